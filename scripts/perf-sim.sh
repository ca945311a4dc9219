#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where a probe-simulator workload's CPU goes, function by function, with
# perf: the lean kernel itself (the benchmark kernel: sampling needs no
# option of its own) boots once per mode, and the stock kernel once with
# STOCK=1; perf samples every CPU with its kernel call chain while the
# simulator loads, and the table gives, per function, the CPU a device
# costs in it, with its callees and alone, mode beside mode.  Unlike
# make profile-sim, nothing is added to a function's cost but the
# samples' own interrupts, and code that ftrace cannot see (memset,
# memcpy, the locking fast paths) is counted.  With ICOUNT=1 the guest's
# clock counts instructions: a nanosecond of CPU is then one instruction.
#
#   WORKLOAD="NAME PARAMS"   default: 10,000 zero-length probes, no links
#   MODES="stock on"         async_probe= modes of the lean kernel
#   STOCK=1                  also the stock kernel (default 0)
#   REPS=n                   simulator runs per boot (default 3)
#   PERIOD=ns                CPU time between samples (default 200000)
#   TOP_ROWS=n               rows to print (default 40)
#   CALLERS="f g"            keep the call chains that lead to these
#                            functions (out/perf-sim-MODE/guest/perf-callers-*)
set -eu
. "$(dirname "$0")/lib.sh"

WORKLOAD=${WORKLOAD:-zero10000 n=10000 min_us=0 max_us=0 links=0 timeout_s=300}
MODES=${MODES:-stock on}
STOCK=${STOCK:-0}
REPS=${REPS:-3}
PERIOD=${PERIOD:-200000}
ROWS=${TOP_ROWS:-40}
case $REPS in ''|*[!0-9]*|0) die "REPS must be a number of runs, not '$REPS'" ;; esac
case $ROWS in ''|*[!0-9]*|0) die "TOP_ROWS must be a number of rows, not '$ROWS'" ;; esac
case $PERIOD in ''|*[!0-9]*) die "PERIOD must be nanoseconds, not '$PERIOD'" ;; esac
[ "$PERIOD" -ge 10000 ] || die "PERIOD must be 10000 ns or more: the samples would cost more than the work"
case $STOCK in 0|1) ;; *) die "STOCK must be 0 or 1, not '$STOCK'" ;; esac
for m in $MODES; do
	case $m in sync|stock|on|all) ;; *) die "MODES: '$m' is not sync, stock, on or all" ;; esac
done
for f in ${CALLERS:-}; do
	case $f in *[!A-Za-z0-9_.]*) die "CALLERS: '$f' is not a function name" ;; esac
done
"$TOP/scripts/deps.sh" perf
dir=$BUILD/perf-sim
rm -rf "$dir"
mkdir -p "$dir"
echo "$WORKLOAD" >"$dir/workloads.txt"
echo "$REPS" >"$dir/reps"
echo "$PERIOD" >"$dir/period"
echo "${CALLERS:-}" >"$dir/callers"
flavours=lean
if [ "$STOCK" = 1 ]; then
	"$TOP/scripts/tree.sh" stock
	flavours="lean stock"
fi
for flavour in $flavours; do
	"$TOP/scripts/kernel.sh" "$flavour"
	ko=$("$TOP/scripts/extmod.sh" "$flavour" async_probe_sim "$TOP/drivers/base/async_probe/async_probe_sim.c")
	EXTRA_KO="$ko" EXTRA_DIR="$dir" EXTRA_PROGS=perf "$TOP/scripts/initramfs.sh" "$flavour" perfsim
done
boot_one() {	# FLAVOUR NAME CMDLINE
	"$TOP/scripts/boot.sh" -n "perf-sim-$2" -s perf-sim -t 1800 \
		-I "$BUILD/initramfs/$1-perfsim.cpio" -c "loglevel=5 $3" "$1"
	python3 "$TOP/scripts/judge.py" "$OUT/perf-sim-$2/console.log" ||
		die "the $2 boot was not clean"
}
runs=
for mode in $MODES; do
	say "sampling ${WORKLOAD%% *} with async_probe=$mode"
	boot_one lean "$mode" "async_probe=$mode"
	runs="$runs $OUT/perf-sim-$mode"
done
if [ "$STOCK" = 1 ]; then
	say "sampling ${WORKLOAD%% *} on the stock kernel"
	boot_one stock stock-kernel ""
	runs="$runs $OUT/perf-sim-stock-kernel"
fi
python3 "$TOP/scripts/perf_table.py" "$ROWS" $runs | tee "$OUT/perf-sim.md"
