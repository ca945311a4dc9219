#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-sim: the probe simulator on the lean kernel in the modes
# sync, stock and on, and on the stock kernel, with the same module source
# built out of tree against each.  Prints a table and writes
# out/bench-sim.md and out/bench-sim.json.
#
#   REPS=n         runs of each workload per boot (default 3)
#   WORKLOADS=f    a workloads file (NAME PARAMS... per line; default below)
#   MODES="..."    modes of the lean kernel (default: sync stock on); a
#                  mode may add kernel parameters after "+", e.g.
#                  on+async_probe.plan=off
#   STOCK=0        skip the stock kernel
#   ROUNDS=n       boot every kernel and mode n times, in turn (default 1):
#                  boots differ more than runs within one boot, so a ratio
#                  is taken round by round, and the table gives its median
#                  and range
set -eu
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
MODES=${MODES:-sync stock on}
STOCK=${STOCK:-1}
ROUNDS=${ROUNDS:-1}
case $ROUNDS in ''|*[!0-9]*|0) die "ROUNDS must be a number of boots per mode, not '$ROUNDS'" ;; esac
for m in $MODES; do
	case ${m%%+*} in sync|stock|on|all) ;; *) die "MODES: '$m' is not sync, stock, on or all" ;; esac
done
case $STOCK in 0|1) ;; *) die "STOCK must be 0 or 1, not '$STOCK'" ;; esac
dir=$BUILD/bench-sim
rm -rf "$dir"
mkdir -p "$dir"
echo "$REPS" >"$dir/reps"
if [ -n "${WORKLOADS:-}" ]; then
	cp "$WORKLOADS" "$dir/workloads.txt"
else
	cat >"$dir/workloads.txt" <<'W'
# name            simulator parameters
# sleep-bound probes of 2-5 ms on random DAGs (the async_probe targets)
dag256            n=256 k=2 p=40 min_us=2000 max_us=5000 seed=11
dag1000           n=1000 k=2 p=40 min_us=2000 max_us=5000 seed=12
# 4,000 devices with ~6,000 links against the same devices without links
dag4000           n=4000 k=2 p=80 min_us=100 max_us=2000 seed=13 timeout_s=300
nolinks4000       n=4000 k=2 p=80 min_us=100 max_us=2000 seed=13 links=0 timeout_s=300
# independent devices (no supplier) with sleeping probes, 1,000 to 10,000:
# the framework's cost per device where it has nothing to order
indep1000         n=1000 min_us=100 max_us=2000 seed=15 links=0
indep10000        n=10000 min_us=100 max_us=2000 seed=16 links=0 timeout_s=300
# dependencies the firmware does not describe: a probe defers until its
# suppliers are bound, with no device link (the kernel retries after binds)
hidden256         n=256 k=2 p=40 min_us=2000 max_us=5000 seed=11 hidden=1 links=0
hidden1000        n=1000 k=2 p=40 min_us=2000 max_us=5000 seed=12 hidden=1 links=0 timeout_s=300
# few slow probes on long chains (suppliers among the 3 devices before)
chain32           n=32 k=2 p=70 span=3 min_us=10000 max_us=200000 seed=14
# CPU-bound probes: the bound is max(critical path, sum / CPUs)
cpu256            n=256 k=2 p=40 min_us=2000 max_us=5000 seed=11 cpu=1
# zero-length probes: the cost of the scheduling itself, 1,000 to 10,000
zero1000          n=1000 min_us=0 max_us=0 links=0
zero3000          n=3000 min_us=0 max_us=0 links=0 timeout_s=300
zero10000         n=10000 min_us=0 max_us=0 links=0 timeout_s=300
W
fi

[ "$STOCK" = 1 ] && "$TOP/scripts/tree.sh" stock
boot_mode() {	# FLAVOUR NAME CMDLINE
	"$TOP/scripts/boot.sh" -n "bench-sim-$2" -s bench-sim -t 1800 \
		-I "$BUILD/initramfs/$1-benchsim.cpio" -c "loglevel=5 log_buf_len=16M $3" "$1"
	python3 "$TOP/scripts/judge.py" "$OUT/bench-sim-$2/console.log" ||
		die "the $2 benchmark boot was not clean"
}
flavours=lean
[ "$STOCK" = 1 ] && flavours="lean stock"
for flavour in $flavours; do
	"$TOP/scripts/kernel.sh" $flavour
	ko=$("$TOP/scripts/extmod.sh" $flavour async_probe_sim "$TOP/drivers/base/async_probe/async_probe_sim.c")
	EXTRA_KO="$ko" EXTRA_DIR="$dir" "$TOP/scripts/initramfs.sh" $flavour benchsim
done
# Round r > 1 boots into bench-sim-NAME.rR; none is left from an earlier run.
rm -rf "$OUT"/bench-sim-*.r[0-9]*
runs=
for r in $(seq 1 "$ROUNDS"); do
	sfx=
	[ "$r" -gt 1 ] && sfx=.r$r
	round=
	[ "$ROUNDS" -gt 1 ] && round=" (round $r of $ROUNDS)"
	for mode in $MODES; do
		# A mode may carry more kernel parameters: on+async_probe.plan=off.
		params=
		case $mode in *+*) params=${mode#*+} ;; esac
		params=${params//+/ }
		name=lean-${mode%%+*}
		[ -n "$params" ] && name=$name-$(echo "$params" | tr -c 'a-z0-9\n' - | tr -s -)
		say "simulator on the lean kernel, async_probe=${mode%%+*} $params$round"
		boot_mode lean "$name$sfx" "async_probe=${mode%%+*} $params"
		if [ "$r" = 1 ]; then runs="$runs $name"; fi
	done
	if [ "$STOCK" = 1 ]; then
		say "simulator on the stock kernel$round"
		boot_mode stock "stock-kernel$sfx" ""
		if [ "$r" = 1 ]; then runs="$runs stock-kernel"; fi
	fi
done

python3 "$TOP/scripts/bench_table.py" sim "$OUT" --rounds="$ROUNDS" $runs
