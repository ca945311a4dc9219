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
set -eu
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
dir=$BUILD/bench-sim
rm -rf "$dir"
mkdir -p "$dir"
echo "$REPS" >"$dir/reps"
if [ -n "${WORKLOADS:-}" ]; then
	cp "$WORKLOADS" "$dir/workloads.txt"
else
	cat >"$dir/workloads.txt" <<'W'
# name            simulator parameters
dag256            n=256 k=2 p=40 min_us=2000 max_us=5000 seed=11
dag1000           n=1000 k=2 p=40 min_us=2000 max_us=5000 seed=12
dag4000           n=4000 k=2 p=80 min_us=100 max_us=2000 seed=13 timeout_s=300
nolinks4000       n=4000 k=2 p=80 min_us=100 max_us=2000 seed=13 links=0 timeout_s=300
W
fi

"$TOP/scripts/tree.sh" stock
boot_mode() {	# FLAVOUR NAME CMDLINE
	"$TOP/scripts/boot.sh" -n "bench-sim-$2" -s bench-sim -t 1800 \
		-I "$BUILD/initramfs/$1-benchsim.cpio" -c "loglevel=5 log_buf_len=16M $3" "$1"
	python3 "$TOP/scripts/judge.py" "$OUT/bench-sim-$2/console.log" ||
		die "the $2 benchmark boot was not clean"
}
for flavour in lean stock; do
	"$TOP/scripts/kernel.sh" $flavour
	ko=$("$TOP/scripts/extmod.sh" $flavour async_probe_sim "$TOP/drivers/base/async_probe/async_probe_sim.c")
	EXTRA_KO="$ko" EXTRA_DIR="$dir" "$TOP/scripts/initramfs.sh" $flavour benchsim
done
for mode in sync stock on; do
	say "simulator on the lean kernel, async_probe=$mode"
	boot_mode lean "lean-$mode" "async_probe=$mode"
done
say "simulator on the stock kernel"
boot_mode stock stock-kernel ""

python3 "$TOP/scripts/bench_table.py" sim "$OUT" lean-sync lean-stock lean-on stock-kernel
