# SPDX-License-Identifier: GPL-2.0
#
# async_probe: dependency-aware parallel device probing for Linux 6.12,
# developed as an overlay on Debian's linux-source-6.12 and proven in QEMU.
#
#   make run       build the lean kernel, boot it, summarise the probe phase
#   make test      every test; ends with "N passed, N failed"
#   make help      all targets and variables
#
# Every target installs the Debian packages it lacks (as root).

SHELL := /bin/bash
S := scripts

FLAVOUR ?= test
CMDLINE ?=
STEPS ?=
TIMEOUT ?= 600
TORTURE_S ?= 180
FAIL_ALLOC ?= 1

.PHONY: bench bench-async bench-sim bench-plan bench-real bench-bootgraph profile-sim lock-sim perf-sim torture series series-check help deps prepare stock-tree kernel-test kernel-lean kernel-stock \
	initramfs-test initramfs-lean initramfs-stock initramfs-kcsan kernel-kcsan run test boot \
	refresh-patches reset-tree clean distclean

help:
	@sed -n 's/^## \{0,1\}//p' $(MAKEFILE_LIST)

## Main targets
##   run                the main job: lean kernel, one boot, probe summary
##   test               host tests, style checks, the debug kernel booted
##                      with KUnit and kselftests; ONLY="host style boots"
##                      picks stages
##   bench              the benchmarks below, one after the other; each
##                      kernel benchmark takes ICOUNT=1 (a guest clock that
##                      counts instructions: figures that repeat within a
##                      few percent) and SMP=N (vCPUs, default 2)
##   bench-async        kernel/async.c costs, project vs stock (lean)
##   bench-sim          probe simulator: modes sync/stock/on, stock kernel
##   bench-plan         the probe plan: hidden-dependency storms, a boot
##                      that records, two that replay, the stock kernel
##   bench-real         a q35 machine full of devices: every mode, a
##                      second boot with the plan, stock; REPS=, CONFIGS=
##   bench-bootgraph    bootgraph's time and memory on a generated
##                      1,000,000-line log beside scripts/bootgraph.pl and
##                      pm-graph's bootgraph.py; says whether summary met
##                      its goal (0.5 s, 100 MB); BENCH_LINES=,
##                      BENCH_PY_LINES= (default 100000) for other sizes
##   profile-sim        where a simulator workload's time goes, function
##                      by function (ftrace's function profiler, a kernel
##                      of its own), per mode; WORKLOAD="NAME PARAMS",
##                      MODES="stock on", REPS=3
##   lock-sim           which locks a simulator workload waits for, call
##                      site by call site (the lock contention tracepoints,
##                      lean kernel), per mode; WORKLOAD=, MODES=, REPS=1
##   perf-sim           where a simulator workload's CPU goes, function by
##                      function, with and without callees (perf sampling
##                      every CPU, lean kernel), per mode; WORKLOAD=,
##                      MODES=, REPS=3, STOCK=1 (the stock kernel too),
##                      PERIOD=200000 (ns of CPU a sample), CALLERS="f g"
##                      (keep the call chains into f and g); with ICOUNT=1
##                      its figures are instructions per device
##   torture            async_probe_torture on the debug kernel for
##                      TORTURE_S=180 seconds, FAIL_ALLOC=1 (failslab and
##                      fail_page_alloc on the framework); one summary
##                      line; KCSAN=1: on a KCSAN kernel instead of KASAN,
##                      data races outside the project's code filtered out;
##                      PLAN=FILE: with that probe plan replayed;
##                      PLAN=stale: one made up for its own devices
##   series             out/series/: the project as a format-patch series
##                      against the 6.12 tree, with a cover letter
##   series-check       apply it patch by patch to a fresh tree, build and
##                      checkpatch each one (make test runs this)
##   boot               one boot: FLAVOUR=test|lean|stock CMDLINE="..."
##                      STEPS=info,kselftest,... INTERACTIVE=1 for a shell
##
## Pieces
##   deps               install missing Debian packages
##   prepare            build/linux: pristine 6.12 + patches/ + overlay
##   kernel-FLAVOUR     build one kernel (test, lean, stock)
##   refresh-patches    rewrite patches/ from edits in build/linux
##                      (NEW=nnnn-name.patch for files no patch owns yet)
##   reset-tree         drop edits in build/linux, re-apply patches/
##   clean              out/ and the kernel objects (keeps ccache, tree)
##   distclean          everything under build/ and out/

deps:
	@$(S)/deps.sh base

prepare: deps
	@$(S)/tree.sh prepare

stock-tree: deps
	@$(S)/tree.sh stock

kernel-test kernel-lean kernel-kcsan: prepare
	@$(S)/kernel.sh $(@:kernel-%=%)

kernel-stock: stock-tree
	@$(S)/kernel.sh stock

# Phony targets get no pattern rules: one rule per flavour.
initramfs-test: kernel-test
initramfs-lean: kernel-lean
initramfs-stock: kernel-stock
initramfs-kcsan: kernel-kcsan
initramfs-test initramfs-lean initramfs-stock initramfs-kcsan:
	@$(S)/initramfs.sh $(@:initramfs-%=%)

run: initramfs-lean
	@$(S)/run.sh

test:
	@$(S)/test.sh

boot: initramfs-$(FLAVOUR)
	@$(S)/boot.sh -t $(TIMEOUT) \
		$(if $(filter 1,$(INTERACTIVE)),-i -s shell,-v $(if $(STEPS),-s $(STEPS))) \
		-n boot-$(FLAVOUR) -c "$(CMDLINE)" $(FLAVOUR)

bench: bench-async bench-sim bench-plan bench-real bench-bootgraph

bench-async: prepare
	@$(S)/bench-async.sh

bench-sim: prepare
	@$(S)/bench-sim.sh

bench-plan: prepare
	@$(S)/bench-plan.sh

bench-real: prepare
	@$(S)/bench-real.sh

bench-bootgraph: prepare
	@$(S)/bench-bootgraph.sh

profile-sim: prepare
	@$(S)/profile-sim.sh

lock-sim: prepare
	@$(S)/lock-sim.sh

perf-sim: prepare
	@$(S)/perf-sim.sh

torture: initramfs-$(if $(filter 1,$(KCSAN)),kcsan,test)
	@$(S)/torture.sh "$(TORTURE_S)" "$(FAIL_ALLOC)" $(if $(filter 1,$(KCSAN)),kcsan,test) "$(PLAN)"

series: prepare
	@$(S)/series.sh export

series-check: prepare
	@$(S)/series.sh check | awk '{ print } /^PASS/ { p++ } /^FAIL/ { f++ } \
		END { printf "%d passed, %d failed\n", p, f; exit f > 0 }'

refresh-patches: deps
	@$(S)/tree.sh refresh $(if $(NEW),NEW=$(NEW))

reset-tree: deps
	@$(S)/tree.sh reset

clean:
	rm -rf out build/obj build/initramfs build/disks

distclean:
	rm -rf out build
