#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Which locks a probe-simulator workload waits for, and where: the lean
# kernel (the benchmark kernel itself: the lock contention tracepoints
# need no lockdep and cost nothing until enabled) boots once per mode,
# traces lock:contention_begin (with its stack) and contention_end while
# the simulator runs, and prints, per call site of the lock (the first
# function of the stack outside the locking code), contentions and time
# waited per device, mode beside mode.  A tool for issue 14: a
# contention's time is the time its task waited, spinning or asleep.
#
#   WORKLOAD="NAME PARAMS"   default: 10,000 zero-length probes, no links
#   MODES="stock on"         async_probe= modes to compare
#   REPS=n                   simulator runs per boot (default 1)
#   TOP_ROWS=n               rows to print (default 20)
set -eu
. "$(dirname "$0")/lib.sh"

WORKLOAD=${WORKLOAD:-zero10000 n=10000 min_us=0 max_us=0 links=0 timeout_s=300}
MODES=${MODES:-stock on}
REPS=${REPS:-1}
ROWS=${TOP_ROWS:-20}
case $REPS in ''|*[!0-9]*|0) die "REPS must be a number of runs, not '$REPS'" ;; esac
case $ROWS in ''|*[!0-9]*|0) die "TOP_ROWS must be a number of rows, not '$ROWS'" ;; esac
for m in $MODES; do
	case $m in sync|stock|on|all) ;; *) die "MODES: '$m' is not sync, stock, on or all" ;; esac
done
dir=$BUILD/lock-sim
rm -rf "$dir"
mkdir -p "$dir"
echo "$WORKLOAD" >"$dir/workloads.txt"
echo "$REPS" >"$dir/reps"
"$TOP/scripts/kernel.sh" lean
ko=$("$TOP/scripts/extmod.sh" lean async_probe_sim "$TOP/drivers/base/async_probe/async_probe_sim.c")
EXTRA_KO="$ko" EXTRA_DIR="$dir" "$TOP/scripts/initramfs.sh" lean locksim
runs=
for mode in $MODES; do
	say "tracing lock contention of ${WORKLOAD%% *} with async_probe=$mode"
	"$TOP/scripts/boot.sh" -n "lock-sim-$mode" -s lock-sim -t 1800 \
		-I "$BUILD/initramfs/lean-locksim.cpio" -c "loglevel=5 async_probe=$mode" lean
	python3 "$TOP/scripts/judge.py" "$OUT/lock-sim-$mode/console.log" ||
		die "the $mode boot was not clean"
	runs="$runs $OUT/lock-sim-$mode"
done
python3 "$TOP/scripts/lock_table.py" "$ROWS" $runs | tee "$OUT/lock-sim.md"
