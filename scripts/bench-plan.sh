#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-plan: what the probe plan buys.  Hidden-dependency storms
# (probes that defer until a supplier is bound, with no device link) on
# the lean kernel: two boots that record the plan (made one by bootgraph
# plan: the suppliers both name), a boot that replays it, one that
# replays the plan that boot wrote, and the stock kernel.  A stale plan
# (the same device names, another graph) is measured in every boot.
# Prints a table; writes out/bench-plan.md and out/bench-plan.json, and
# the plans in out/bench-plan-*.plan.
#
#   REPS=n     runs of each workload per boot (default 3)
#   STOCK=0    skip the stock kernel
set -eu
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
STOCK=${STOCK:-1}
case $STOCK in 0|1) ;; *) die "STOCK must be 0 or 1, not '$STOCK'" ;; esac
dir=$BUILD/bench-plan
rm -rf "$dir"
mkdir -p "$dir"
echo "$REPS" >"$dir/reps"
: >"$dir/dump-plans"
# Each workload under its own device names, so that one plan holds them
# all; stale256 has hidden256's names and another graph.
cat >"$dir/workloads.txt" <<'W'
# name       simulator parameters
hidden256    name=h256 n=256 k=2 p=40 min_us=2000 max_us=5000 seed=11 hidden=1 links=0
hidden1000   name=h1000 n=1000 k=2 p=40 min_us=2000 max_us=5000 seed=12 hidden=1 links=0 timeout_s=300
stale256     name=h256 n=256 k=2 p=40 min_us=2000 max_us=5000 seed=99 hidden=1 links=0
# CPU-bound probes along device links, two and four at a time: the plan
# orders the ready ones by the longest chain they head
cpu256-ma2   name=c2 n=256 k=2 p=40 min_us=2000 max_us=5000 seed=11 cpu=1 ap_max_active=2
cpu256-ma4   name=c4 n=256 k=2 p=40 min_us=2000 max_us=5000 seed=11 cpu=1 ap_max_active=4
W

make -s -C "$TOP/tools/bootgraph" bootgraph >/dev/null ||
	die "bootgraph does not build"
[ "$STOCK" = 1 ] && "$TOP/scripts/tree.sh" stock
flavours=lean
[ "$STOCK" = 1 ] && flavours="lean stock"
for flavour in $flavours; do
	"$TOP/scripts/kernel.sh" $flavour
	ko=$("$TOP/scripts/extmod.sh" $flavour async_probe_sim "$TOP/drivers/base/async_probe/async_probe_sim.c")
	EXTRA_KO="$ko" EXTRA_DIR="$dir" "$TOP/scripts/initramfs.sh" $flavour benchplan
done

# boot_plan FLAVOUR NAME INITRAMFS CMDLINE
boot_plan() {
	"$TOP/scripts/boot.sh" -n "bench-sim-$2" -s bench-sim -t 1800 -I "$3" \
		-c "loglevel=5 log_buf_len=16M $4" "$1"
	python3 "$TOP/scripts/judge.py" "$OUT/bench-sim-$2/console.log" ||
		die "the $2 benchmark boot was not clean"
}
base=$BUILD/initramfs/lean-benchplan.cpio
# dmesg_plan NAME: what the kernel of a boot said of its plan.
dmesg_plan() {
	grep -h "async_probe: plan:" "$OUT/bench-sim-$1/guest/dmesg.txt" 2>/dev/null |
		sed 's/^\[[^]]*\] /    /'
}
runs=
for b in 1 2; do
	say "record boot $b of 2: no plan"
	boot_plan lean "plan-record$b" "$base" "async_probe=on"
	plan_merge "$OUT/bench-sim-plan-record$b"/guest/plan-*.txt >"$OUT/bench-plan-record$b.plan"
	runs="$runs plan-record$b"
done
plan=$OUT/bench-plan-confirmed.plan
"$TOP/tools/bootgraph/bootgraph" plan -o "$plan" "$OUT"/bench-plan-record[12].plan ||
	die "bootgraph plan refused the record boots' plans"
for f in "$OUT"/bench-plan-record1.plan "$plan"; do
	note "$(basename "$f"): $(grep -c ' after=' "$f") devices with learned suppliers," \
		"$(grep -o ' after=[^ ]*' "$f" | tr , '\n' | grep -vc '^+')"\
		"suppliers in all"
done
for b in 1 2; do
	say "replay boot $b of 2: the plan of the $([ $b = 1 ] && echo record boots || echo first replay)"
	plan_initramfs "$plan" "$base" "$dir/replay$b.cpio"
	boot_plan lean "plan-replay$b" "$dir/replay$b.cpio" "async_probe=on async_probe.plan=replay"
	dmesg_plan "plan-replay$b"
	plan=$OUT/bench-plan-replay$b.plan
	plan_merge "$OUT/bench-sim-plan-replay$b"/guest/plan-*.txt >"$plan"
	runs="$runs plan-replay$b"
done
if [ "$STOCK" = 1 ]; then
	say "the stock kernel"
	boot_plan stock stock-kernel-plan "$BUILD/initramfs/stock-benchplan.cpio" ""
	runs="$runs stock-kernel-plan"
fi

python3 "$TOP/scripts/bench_table.py" plan "$OUT" $runs
