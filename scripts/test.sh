#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: every test of the project, with a time per stage and one line
# "N passed, N failed" at the very end.  Exit status 0 only if none failed.
#
#   host       the harness's own unit tests, bootgraph's tests
#   style      checkpatch --strict and kernel-doc -Wall on the kernel code
#   docs       the driver-api page's Sphinx build and the bootgraph man page
#   series     the project as a patch series: each patch applies to a
#              fresh 6.12 tree, builds and passes checkpatch --strict
#   kernel     the debug test kernel and its initramfs
#   boot:NAME  one QEMU boot each: its console judged (scripts/judge.py),
#              KUnit parsed from the console, kselftests from the guest
#
# ONLY="host style docs" runs a subset of the stages (boots: "boots").
set -u
. "$(dirname "$0")/lib.sh"

RES=$OUT/test-results.txt
TIMES=$OUT/test-times.txt
mkdir -p "$OUT"
: >"$RES"
: >"$TIMES"
ONLY=${ONLY:-}
T_ALL=$(now)

want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# Results arrive as "PASS|FAIL|SKIP name" lines on stdin.
collect() {
	local v n p=0 f=0 s=0
	while read -r v n; do
		case $v in
		PASS) p=$((p + 1)) ;;
		FAIL) f=$((f + 1)); printf '    %sFAIL%s %s\n' "$C_R" "$C_0" "$n" ;;
		SKIP) s=$((s + 1)) ;;
		WHY) printf '        %s\n' "$n" ;;
		*) continue ;;
		esac
		echo "$v $n" >>"$RES"
	done
	printf '    %d passed, %d failed%s\n' $p $f "$([ $s -gt 0 ] && echo ", $s skipped")"
}

# stage NAME: times what follows until the next stage (or the end).
STAGE= T_STAGE=
stage() {
	[ -n "$STAGE" ] && printf '%-28s %s\n' "$STAGE" "$(elapsed "$T_STAGE")" >>"$TIMES"
	STAGE=$1 T_STAGE=$(now)
	[ -n "$STAGE" ] && say "$STAGE"
}

host_tests() {
	stage "host: harness unit tests"
	python3 "$TOP/scripts/tests/test_harness.py" 2>"$OUT/host-tests.log" | collect
	stage "host: bootgraph (ASan+UBSan, fuzz)"
	"$TOP/scripts/deps.sh" tools || warn "could not install the tools packages"
	# ONLY picks this script's stages (and "make ONLY=..." hands it to
	# every make below); bootgraph's runner reads it as a filter of its
	# own tests: none.
	make -s -C "$TOP/tools/bootgraph" ONLY= test >"$OUT/bootgraph-test.log" 2>&1
	python3 "$TOP/scripts/results.py" ktap "$OUT/bootgraph-test.log" bootgraph | collect
	stage "host: bootgraph html in headless Chromium"
	# No browser is a failure, not a skip: the page is what users open.
	"$TOP/scripts/deps.sh" browser >"$OUT/deps-browser.log" 2>&1 ||
		echo "FAIL bootgraph-html.(chromium/node not installed: $(tail -1 \
			"$OUT/deps-browser.log"))" | collect
	make -s -C "$TOP/tools/bootgraph" browser-test >"$OUT/bootgraph-browser.log" 2>&1
	python3 "$TOP/scripts/results.py" ktap "$OUT/bootgraph-browser.log" bootgraph-html | collect
}

style_tests() {
	stage "style: checkpatch, kernel-doc"
	"$TOP/scripts/style.sh" | collect
}

docs_tests() {
	stage "docs: the driver-api page (Sphinx, kernel-doc), man page"
	"$TOP/scripts/docs.sh" | collect
}

series_tests() {
	stage "series: each patch applies, builds, passes checkpatch"
	"$TOP/scripts/series.sh" check | collect
}

# boot NAME STEPS TIMEOUT CMDLINE [INITRAMFS]: one test boot and what it
# produced.  Only the main boot, which tests the in-tree drivers' disks,
# has the virtio-scsi one (boot.sh -S).
boot() {
	local name=$1 steps=$2 timeout=$3 cmdline=$4 run=$OUT/$1 rc
	stage "boot: $name ($steps)"
	"$TOP/scripts/boot.sh" -n "$name" -s "$steps" -t "$timeout" -c "$cmdline" \
		${5:+-I "$5"} $([ "$name" = main ] || echo -S) test
	rc=$?
	{
		case $rc in
		0) echo "PASS boot.$name.powered-off" ;;
		2) echo "FAIL boot.$name.powered-off (timed out after ${timeout}s)" ;;
		*) echo "FAIL boot.$name.powered-off (qemu status $rc)" ;;
		esac
		if python3 "$TOP/scripts/judge.py" "$run/console.log" >"$run/judge.txt"; then
			echo "PASS boot.$name.console-clean"
		else
			sed 's/^/    /' "$run/judge.txt" >&2
			echo "FAIL boot.$name.console-clean"
		fi
		case ",$steps," in *,kunit,*)
			KSRC=$KSRC python3 "$TOP/scripts/results.py" kunit "$run/console.log" "kunit" ;;
		esac
		case ",$steps," in *,kselftest,*)
			python3 "$TOP/scripts/results.py" ktap "$run/guest/kselftest.tap" "kselftest.$name" ;;
		esac
	} | collect
}

# The root-mount wait: no initramfs, the root filesystem on a virtio disk
# whose driver probes asynchronously through the framework (mode all).
boot_rootfs() {
	local run=$OUT/rootfs rc
	stage "boot: rootfs (no initramfs, async_probe=all)"
	"$TOP/scripts/boot.sh" -n rootfs -s rootcheck -t 300 -S \
		-R "$BUILD/initramfs/test.ext2" -c "async_probe=all" test
	rc=$?
	{
		[ $rc = 0 ] && echo "PASS boot.rootfs.powered-off" ||
			echo "FAIL boot.rootfs.powered-off (status $rc)"
		if python3 "$TOP/scripts/judge.py" "$run/console.log" >"$run/judge.txt"; then
			echo "PASS boot.rootfs.console-clean"
		else
			sed 's/^/    /' "$run/judge.txt" >&2
			echo "FAIL boot.rootfs.console-clean"
		fi
		# No outbox in this boot: the answer is on the console.
		if grep -q '^/dev/root / ext2' "$run/console.log"; then
			echo "PASS boot.rootfs.root-mounted-from-virtio-disk"
		else
			echo "FAIL boot.rootfs.root-mounted-from-virtio-disk"
		fi
	} | collect
}

stage "setup: packages, kernel tree"
"$TOP/scripts/deps.sh" base && "$TOP/scripts/tree.sh" prepare ||
	{ echo "FAIL setup" | collect; stage ""; exit 1; }
note "kernel source: linux-source-6.12 $(ksrc_pkg_version)"

want host && host_tests
want style && style_tests
want docs && docs_tests
want series && series_tests

if want boots || want kernel; then
	stage "kernel: build test kernel"
	if "$TOP/scripts/kernel.sh" test && "$TOP/scripts/initramfs.sh" test; then
		echo "PASS build.test-kernel" | collect
		if want boots || [ -z "$ONLY" ]; then
			boot main kunit,kselftest 900 "kunit.enable=1"
			# The plan the main boot recorded (plan.sh), for the boots
			# that replay it, as bootgraph plan writes it again: the
			# replay proves that the kernel takes what the tool
			# writes.  One cut short, for a boot to ignore.
			main_plan=$OUT/main/guest/async_probe.plan
			if make -s -C "$TOP/tools/bootgraph" bootgraph >/dev/null 2>&1 &&
			   "$TOP/tools/bootgraph/bootgraph" plan -o "$OUT/main.plan" "$main_plan"; then
				main_plan=$OUT/main.plan
				echo "PASS bootgraph.plan_of_the_main_boot" | collect
			else
				echo "FAIL bootgraph.plan_of_the_main_boot" | collect
			fi
			plan_initramfs "$main_plan" \
				"$BUILD/initramfs/test.cpio" "$BUILD/initramfs/test-plan.cpio"
			printf '%s\n' "# async_probe plan v1 devices=50 nomem=0" \
				"platform:apsim.1 drv=apsim ret=0 tries=2 defers=1 after=platform:apsim.0" \
				>"$BUILD/initramfs/garbage.plan"
			plan_initramfs "$BUILD/initramfs/garbage.plan" \
				"$BUILD/initramfs/test.cpio" "$BUILD/initramfs/test-garbage-plan.cpio"
			replay="async_probe.plan=replay"
			# One boot per mode, and one with garbage parameters.
			local_modes="KSFT_TESTS=async_probe:modes.sh"
			boot mode-sync kselftest 300 "async_probe=sync $local_modes"
			boot mode-stock kselftest 300 "async_probe=stock $local_modes"
			boot mode-all kselftest 300 \
				"async_probe=all driver_async_probe=*,apsim $replay APPLAN=garbage $local_modes,async_probe:plan.sh" \
				"$BUILD/initramfs/test-garbage-plan.cpio"
			boot trace kselftest 300 \
				"trace_event=async_probe:*,async:* trace_clock=perf trace_buf_size=4M initcall_debug loglevel=5 $replay APPLAN=replay KSFT_TESTS=async_probe:boot_trace.sh,async_probe:plan.sh" \
				"$BUILD/initramfs/test-plan.cpio"
			boot_rootfs
			# A short torture pass (make torture runs the long one),
			# with a plan that names none of its devices.
			boot torture kselftest 500 \
				"aptorture_s=60 aptorture_fail_alloc=1 $replay KSFT_TESTS=async_probe:torture.sh" \
				"$BUILD/initramfs/test-plan.cpio"
			boot garbage kselftest 300 "async_probe=bogus async_probe.max_active=-3 async_probe.hung_timeout=soon async_probe.history=lots async_probe.debug=maybe async_probe.plan=sometimes $local_modes"
		fi
	else
		echo "FAIL build.test-kernel" | collect
	fi
fi
stage ""

say "time per stage"
sed 's/^/    /' "$TIMES"
printf '    %-28s %s\n' "total" "$(elapsed "$T_ALL")"
pass=$(grep -c '^PASS' "$RES")
fail=$(grep -c '^FAIL' "$RES")
skip=$(grep -c '^SKIP' "$RES")
[ "$fail" -gt 0 ] && { say "failed:"; grep '^FAIL' "$RES" | sed 's/^FAIL /    /'; }
[ "$skip" -gt 0 ] && note "$skip skipped (see out/test-results.txt)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
