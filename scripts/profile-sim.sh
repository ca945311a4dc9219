#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the time of a probe-simulator workload goes, function by function:
# the lean kernel with ftrace's function profiler (configs/profile.config),
# booted once per mode, profiles the driver core's and the framework's
# functions while the simulator runs, and prints calls and time per device
# (callees included) side by side.  A tool for issue 14, not a benchmark:
# the profiler's own cost inflates every figure, so compare the modes.
#
#   WORKLOAD="NAME PARAMS"   default: 10,000 zero-length probes, no links
#   MODES="stock on"         async_probe= modes to compare
#   REPS=n                   simulator runs per boot (default 3)
#   TOP_ROWS=n               rows to print (default 30)
#   CPU=1                    count only the time a function's task ran
#                            (ftrace's sleep-time option off): no lock
#                            waits, no preemption; the CPU each costs
set -eu
. "$(dirname "$0")/lib.sh"

WORKLOAD=${WORKLOAD:-zero10000 n=10000 min_us=0 max_us=0 links=0 timeout_s=300}
MODES=${MODES:-stock on}
REPS=${REPS:-3}
ROWS=${TOP_ROWS:-30}
CPU=${CPU:-0}
case $CPU in 0|1) ;; *) die "CPU must be 0 or 1, not '$CPU'" ;; esac
dir=$BUILD/profile-sim
rm -rf "$dir"
mkdir -p "$dir"
echo "$WORKLOAD" >"$dir/workloads.txt"
echo "$REPS" >"$dir/reps"
[ "$CPU" = 1 ] && : >"$dir/cpu-only"
# The attach loops, the probe path, the framework and kernel/async.c, and
# what they call that could cost: allocation, locks, the workqueue.
cat >"$dir/filter" <<'F'
ap_*
async_*
__driver_attach
driver_attach
__device_attach
device_attach_async
driver_attach_async
__driver_attach_async_helper
__device_attach_async_helper
driver_probe_device
__driver_probe_device
really_probe
driver_bound
device_links_check_suppliers
device_links_read_lock
device_lock
mutex_lock
mutex_unlock
__kmalloc_cache_noprof
__kmalloc_noprof
kfree
kfree_rcu
queue_work_node
__queue_work
try_to_wake_up
get_device
put_device
bus_for_each_dev
platform_match
driver_match_device
F
"$TOP/scripts/kernel.sh" profile
ko=$("$TOP/scripts/extmod.sh" profile async_probe_sim "$TOP/drivers/base/async_probe/async_probe_sim.c")
EXTRA_KO="$ko" EXTRA_DIR="$dir" "$TOP/scripts/initramfs.sh" profile profsim
runs=
for mode in $MODES; do
	say "profiling ${WORKLOAD%% *} with async_probe=$mode"
	"$TOP/scripts/boot.sh" -n "profile-sim-$mode" -s profile-sim -t 1800 \
		-I "$BUILD/initramfs/profile-profsim.cpio" -c "loglevel=5 async_probe=$mode" profile
	runs="$runs $OUT/profile-sim-$mode"
done
python3 - "$ROWS" "$REPS" "$CPU" $runs <<'PY' | tee "$OUT/profile-sim.md"
import glob, os, re, sys

rows, reps, cpu, runs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]
tables, devices = {}, {}
for run in runs:
    mode = os.path.basename(run).replace("profile-sim-", "")
    fn = {}
    for path in glob.glob(os.path.join(run, "guest", "function*.txt")):
        for line in open(path, errors="replace"):
            m = re.match(r"\s*(\S+)\s+(\d+)\s+([\d.]+) us", line)
            if m:
                hit, us = fn.get(m.group(1), (0, 0.0))
                fn[m.group(1)] = (hit + int(m.group(2)), us + float(m.group(3)))
    tables[mode] = fn
    n = 0
    for path in glob.glob(os.path.join(run, "guest", "profile-sim.txt")):
        for line in open(path):
            m = re.search(r"\bn=(\d+)", line)
            n += int(m.group(1)) if m else 0
    devices[mode] = max(n, 1)
modes = list(tables)
names = sorted({f for t in tables.values() for f in t},
               key=lambda f: -max(tables[m].get(f, (0, 0))[1] / devices[m] for m in modes))
print("| function | " + " | ".join("%s calls/dev | %s us/dev" % (m, m) for m in modes) + " |")
print("|---|" + "---|---|" * len(modes))
for f in names[:rows]:
    cells = []
    for m in modes:
        hit, us = tables[m].get(f, (0, 0.0))
        cells += ["%.2f" % (hit / devices[m]), "%.2f" % (us / devices[m])]
    print("| %s | %s |" % (f, " | ".join(cells)))
print()
print("Times include callees (graph-time)" +
      (", and only the time the task ran (sleep-time off)" if cpu else
       ", and the time the task slept or waited for a CPU") +
      "; devices probed per mode: " +
      ", ".join("%s %d" % (m, devices[m]) for m in modes) + ".")
PY
