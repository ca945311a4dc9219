#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bootgraph tests, reported as TAP version 13.
#
#   run-tests.sh BOOTGRAPH      BOOTGRAPH: the binary to test (sanitizers on)
#   UPDATE=1 run-tests.sh ...   rewrite the golden files instead of comparing
#   ONLY=REGEX run-tests.sh ... only the tests whose name matches REGEX
#
# Golden files: tests/samples/NAME.CMD is the output of "bootgraph CMD" on
# tests/samples/NAME (and the same for tests/samples/real/).  Everything
# that is not a TAP line is prefixed with "# ".

set -u
BG=$(realpath "$1")
cd "$(dirname "$0")" || exit 1
OUT=out
rm -rf "$OUT"
mkdir -p "$OUT"
CHECK="python3 check.py"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
GOLDEN_CMDS="summary blame critical-chain json csv svg trace"
S=samples

# --- helpers ---------------------------------------------------------

# bg OUT ERR ARGS...: run bootgraph; fail on a crash or sanitizer report.
bg() {
	local out=$1 err=$2 rc
	shift 2
	"$BG" "$@" >"$out" 2>"$err"
	rc=$?
	if [ $rc -ge 3 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$err"; then
		echo "bootgraph $* crashed (rc=$rc)"
		head -30 "$err"
		return 1
	fi
	return $rc
}

# --- tests: each prints why it failed, returns 77 to skip --------------

t_golden() {	# t_golden INPUT CMD
	local in=$1 cmd=$2 want=$1.$2
	bg "$OUT/g.out" "$OUT/g.err" "$cmd" "$in" || [ $? -eq 2 ] || return 1
	if [ -n "${UPDATE:-}" ]; then
		cp "$OUT/g.out" "$want"
		return 0
	fi
	[ -f "$want" ] || { echo "no golden file $want (make test UPDATE=1)"; return 1; }
	diff -u "$want" "$OUT/g.out" | head -40
	return "${PIPESTATUS[0]}"
}

t_expect() {	# t_expect WANT ARGS...: output of "bootgraph ARGS" is WANT
	local want=$1 rc
	shift
	bg "$OUT/x.out" "$OUT/x.err" "$@"
	rc=$?
	[ $rc -le 2 ] || return 1
	if [ -n "${UPDATE:-}" ]; then
		cp "$OUT/x.out" "$want"
		return 0
	fi
	[ -f "$want" ] || { echo "no golden file $want (make test UPDATE=1)"; return 1; }
	diff -u "$want" "$OUT/x.out" | head -40
	return "${PIPESTATUS[0]}"
}

t_golden_diff() {	# t_golden_diff WANT ARGS...: "bootgraph diff ARGS" is WANT
	local want=$1
	shift
	bg "$OUT/d.out" "$OUT/d.err" diff "$@" || return 1
	[ -n "${UPDATE:-}" ] && { cp "$OUT/d.out" "$want"; return 0; }
	diff -u "$want" "$OUT/d.out"
}

t_framing() {	# the same boot in another framing gives the same events
	bg "$OUT/a.json" "$OUT/a.err" json $S/qemu-async.log || return 1
	bg "$OUT/b.json" "$OUT/b.err" json "$1" || return 1
	case $1 in
	*caller*) $CHECK same-events-caller "$OUT/a.json" "$OUT/b.json" ;;
	*) $CHECK same-events "$OUT/a.json" "$OUT/b.json" ;;
	esac
}

t_ftrace_formats() {
	bg "$OUT/a.json" "$OUT/a.err" json $S/qemu-async.trace || return 1
	bg "$OUT/b.json" "$OUT/b.err" json $S/qemu-async.trace-cmd.txt || return 1
	$CHECK same-events "$OUT/a.json" "$OUT/b.json"
}

t_merge() {	# console log + trace of the same boot: no duplicate probes
	bg "$OUT/a.json" "$OUT/a.err" json $S/qemu-async.log || return 1
	bg "$OUT/b.json" "$OUT/b.err" json $S/qemu-async.log $S/qemu-async.trace || return 1
	$CHECK same-devices "$OUT/a.json" "$OUT/b.json"
}

t_dedup() {	# one boot in several files, or one file twice: counted once
	bg "$OUT/a.json" "$OUT/a.err" json $S/qemu-async.log || return 1
	bg "$OUT/b.json" "$OUT/b.err" json "$@" || return 1
	$CHECK same-events "$OUT/a.json" "$OUT/b.json" || return 1
	grep -q "records already read from an earlier file skipped" "$OUT/b.err" ||
		{ echo "no message about the records skipped"; return 1; }
	! grep -q "the input holds" "$OUT/b.err" || { echo "several boots seen"; return 1; }
	bg "$OUT/b.txt" "$OUT/b.err" summary "$@" || return 1
	grep -q "^Duplicates: *[1-9][0-9]* records read twice" "$OUT/b.txt"
}

t_dedup_wrapped() {	# a kmsg dump whose ring buffer lost the boot's start
	tail -n +40 $S/qemu-async.kmsg >"$OUT/wrapped.kmsg"
	t_dedup $S/qemu-async.log "$OUT/wrapped.kmsg"
}

# Three boots in one file: the generated boot of stock-initcall.log; that
# of qemu-async.log without its "Linux version" line (its timestamps
# restart at 0); that of qemu-async-b.log with a record from a CPU whose
# clock went back 2.6 s (not to 0: no new boot).
make_boots() {
	local outlier='[    0.095958] calibrate_delay_direct() dropping max bogoMips estimate 1 = 3121300'
	{ cat $S/stock-initcall.log
	  grep -v "Linux version" $S/qemu-async.log
	  sed "/^\[    0.6/{p;s/.*/$outlier/;q}" $S/qemu-async-b.log
	  sed '1,/^\[    0.6/d' $S/qemu-async-b.log; } >"$OUT/boots.log"
	sed "/^\[    0.6/{p;s/.*/$outlier/;q}" $S/qemu-async-b.log >"$OUT/b3.log"
	sed '1,/^\[    0.6/d' $S/qemu-async-b.log >>"$OUT/b3.log"
	grep -v "Linux version" $S/qemu-async.log >"$OUT/b2.log"
}

t_boots() {	# t_boots N WANT: --boot N (0: none) is the boot of file WANT
	local opt=
	make_boots
	[ "$1" -gt 0 ] && opt="--boot $1"
	bg "$OUT/a.json" "$OUT/a.err" json "$2" || return 1
	bg "$OUT/b.json" "$OUT/b.err" json $opt "$OUT/boots.log" || return 1
	$CHECK same-events "$OUT/a.json" "$OUT/b.json" || return 1
	[ "$(grep -c "the input holds" "$OUT/b.err")" = 1 ] ||
		{ echo "want one line about boots"; cat "$OUT/b.err"; return 1; }
	grep -q "the input holds 3 boots; using boot ${1/#0/3}" "$OUT/b.err" ||
		{ cat "$OUT/b.err"; return 1; }
}

t_boots_errors() {
	make_boots
	"$BG" --boot 4 "$OUT/boots.log" >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 1 ] && grep -q -- "--boot 4: the input holds 3 boots" "$OUT/e.txt" ||
		{ echo "--boot 4 of 3"; cat "$OUT/e.txt"; return 1; }
	"$BG" --boot 0 "$OUT/boots.log" >/dev/null 2>&1
	[ $? -eq 1 ] || { echo "--boot 0 accepted"; return 1; }
	# Two files of two kernels are two boots; -q says nothing.
	bg "$OUT/o.txt" "$OUT/e.txt" $S/stock-initcall.log $S/qemu-async.log || return 1
	grep -q "holds 2 boots; using boot 2" "$OUT/e.txt" || { cat "$OUT/e.txt"; return 1; }
	bg "$OUT/o.txt" "$OUT/e.txt" -q --boot 2 "$OUT/boots.log" || return 1
	grep -q "^Boot: *2 of 3 in the input" "$OUT/o.txt" || { echo "no Boot: line"; return 1; }
	[ ! -s "$OUT/e.txt" ] || { echo "-q"; cat "$OUT/e.txt"; return 1; }
}

t_backwards() {	# a stray record is no warning; a clock that stays back is
	local l
	make_boots
	bg "$OUT/o.txt" "$OUT/e.txt" summary "$OUT/b3.log" || return 1
	! grep -q "before the previous" "$OUT/e.txt" ||
		{ echo "a CPU's stray record warned about"; cat "$OUT/e.txt"; return 1; }
	for l in 1.0 2.0 0.5 0.6 0.7 0.8 0.9; do
		printf '[    %s00000] line\n' "$l"
	done >"$OUT/back.log"
	bg "$OUT/o.txt" "$OUT/e.txt" summary "$OUT/back.log"
	grep -q "back.log:3: timestamp 0.500000 is before the previous 2.000000" "$OUT/e.txt" ||
		{ echo "a clock that stayed back not warned about at its line"; cat "$OUT/e.txt"; return 1; }
	head -n 3 "$OUT/back.log" >"$OUT/back-end.log"
	bg "$OUT/o.txt" "$OUT/e.txt" summary "$OUT/back-end.log"
	grep -q "back-end.log:3: timestamp 0.500000" "$OUT/e.txt" ||
		{ echo "a file ending back not warned about"; cat "$OUT/e.txt"; return 1; }
}

t_stdin() {
	bg "$OUT/a.json" "$OUT/a.err" json $S/qemu-async.kmsg || return 1
	"$BG" json - <$S/qemu-async.kmsg >"$OUT/b.json" 2>"$OUT/b.err" || return 1
	cmp "$OUT/a.json" "$OUT/b.json"
}

t_rows() {	# every probed device has a row in svg and json
	local text=$1
	bg "$OUT/r.json" "$OUT/r.err" json "$1" || return 1
	bg "$OUT/r.svg" "$OUT/r.err" svg "$1" || return 1
	# The device names of a trace.dat come from trace-cmd's own report.
	if [ "${1%.dat}" != "$1" ]; then
		text=$OUT/r.report
		trace-cmd report -i "$1" >"$text" 2>/dev/null || return 1
	fi
	$CHECK rows "$text" "$OUT/r.json" "$OUT/r.svg"
}

t_chain() {
	bg "$OUT/c.json" "$OUT/c.err" json "$1" || return 1
	bg "$OUT/c.txt" "$OUT/c.err" critical-chain "$1" || return 1
	$CHECK chain "$OUT/c.json" "$OUT/c.txt"
}

t_initcall_durs() {	# kernel's "after N usecs" once its clock is fine
	bg "$OUT/i.json" "$OUT/i.err" json "$1" || return 1
	$CHECK initcall-durs "$1" "$OUT/i.json"
}

t_plan() {	# the kernel's probe-plan lines: in the summary, not warned about
	bg "$OUT/pl.out" "$OUT/pl.err" summary "$S/plan.log" || return 1
	[ ! -s "$OUT/pl.err" ] || { cat "$OUT/pl.err"; return 1; }
	grep -q '^Probe plan: *144 devices, 235 learned suppliers' "$OUT/pl.out" &&
		grep -q '^ *4 of 144 devices matched so far, 3 learned' "$OUT/pl.out"
}

t_plan_use_bad() {	# summary --plan of no plan: said why, exit 1, no summary half printed
	local f
	for f in "$S/plan/malformed.plan" "$S/plan/cut-short.plan" "$S/plan-use.log" "$OUT/none.plan"; do
		bg "$OUT/pu.out" "$OUT/pu.err" summary --plan "$f" "$S/plan-use.log"
		[ $? = 1 ] || { echo "$f: not exit 1"; return 1; }
		grep -q "$(basename "$f")" "$OUT/pu.err" ||
			{ echo "$f: no message"; cat "$OUT/pu.err"; return 1; }
		[ -s "$OUT/pu.out" ] && { echo "$f: output before the error:"; head -3 "$OUT/pu.out"; return 1; }
	done
	return 0
}

t_probe_durs() {	# kernel's "after N usecs" of probes once its clock is fine
	bg "$OUT/p.json" "$OUT/p.err" json "$1" || return 1
	$CHECK probe-durs "$1" "$OUT/p.json"
}

t_nesting() {	# t_nesting INPUT [PARENT:CHILD...]
	local in=$1
	shift
	bg "$OUT/n.json" "$OUT/n.err" json "$in" || return 1
	$CHECK nesting "$OUT/n.json" "$@"
}

t_labels() {	# bus and driver of each device of $S/names.log
	bg "$OUT/l.json" "$OUT/l.err" json $S/names.log || return 1
	$CHECK labels "$OUT/l.json" $S/names.log.labels
}

t_chain_evidence() {	# each link of the critical chain has its evidence
	bg "$OUT/c.json" "$OUT/c.err" json "$1" || return 1
	$CHECK chain-evidence "$OUT/c.json" "$1"
}

t_chain_target_evidence() {	# t_chain_target_evidence TARGET LOG
	bg "$OUT/c.json" "$OUT/c.err" json "$2" || return 1
	bg "$OUT/c.txt" "$OUT/c.err" critical-chain -t "$1" "$2" || return 1
	$CHECK chain-evidence "$OUT/c.json" --chain="$OUT/c.txt" "$2"
}

t_chain_target_errors() {
	"$BG" critical-chain -t no-such-dev $S/chain.log >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 1 ] && grep -q "no finished probe or initcall 'no-such-dev'" "$OUT/e.txt" || return 1
	printf '[    1.000000] Run /init as init process\n' >"$OUT/init-only.log"
	"$BG" critical-chain -t /init "$OUT/init-only.log" >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 1 ] && grep -q "no /init, or nothing pid 1 did before it" "$OUT/e.txt"
}

t_check() {	# t_check KIND CMD INPUT: validate CMD's output with check.py
	bg "$OUT/o.$1" "$OUT/o.err" "$2" "$3" || return 1
	$CHECK "$1" "$OUT/o.$1"
}

t_plan_refused() {	# a plan the kernel would refuse: left out, said why
	local f
	for f in cut-short v2 malformed no-newline; do
		bg "$OUT/p.out" "$OUT/p.err" plan $S/plan/$f.plan && [ -s "$OUT/p.out" ] &&
			{ echo "$f.plan: exit 0, or output"; return 1; }
		grep -q "$f.plan.*left out" "$OUT/p.err" ||
			{ echo "$f.plan: no message"; cat "$OUT/p.err"; return 1; }
		# Beside a good plan, it changes nothing.
		bg "$OUT/p.out" "$OUT/p.err" plan $S/plan/$f.plan $S/plan/c.plan || return 1
		bg "$OUT/c.out" "$OUT/c.err" plan $S/plan/c.plan || return 1
		cmp "$OUT/p.out" "$OUT/c.out" || return 1
	done
}

t_plan_roundtrip() {	# a kernel's plan, read and written again
	bg "$OUT/p.out" "$OUT/p.err" plan "$1" || return 1
	# maybe= is not merged; of devices sharing a firmware node, the
	# first line stands, as in the kernel.
	awk 'NR > 1 && !seen[$1]++ { sub(/ maybe=[^ ]*/, ""); print }' "$1" >"$OUT/want"
	sed -i "1i # async_probe plan v1 devices=$(wc -l <"$OUT/want") nomem=0" "$OUT/want"
	diff -u "$OUT/want" "$OUT/p.out" | head -20
	return "${PIPESTATUS[0]}"
}

t_csv() {
	bg "$OUT/o.csv" "$OUT/o.err" csv "$1" || return 1
	bg "$OUT/o.json" "$OUT/o.err" json "$1" || return 1
	$CHECK csv "$OUT/o.csv" "$OUT/o.json"
}

t_group_driver() {
	bg "$OUT/o.svg" "$OUT/o.err" svg -g driver -w 800 --from 0.3 --to 0.5 \
		$S/qemu-async.log || return 1
	$CHECK svg "$OUT/o.svg" && grep -q '>usbhid</text>' "$OUT/o.svg"
}

t_diff_self() {
	bg "$OUT/d.txt" "$OUT/d.err" diff $S/qemu-async.log $S/qemu-async.log || return 1
	$CHECK diff-zero "$OUT/d.txt"
}

t_diff_multi() {	# A A -- B B: medians and spread per device, p of 2 vs 2
	bg "$OUT/d.txt" "$OUT/d.err" diff -a $S/qemu-async.log $S/qemu-async.kmsg -- \
		$S/qemu-async-b.log $S/qemu-async-b.log || return 1
	grep -q 'A (2 boots)' "$OUT/d.txt" &&
	grep -q "smallest p the test can give is 0.333" "$OUT/d.txt" &&
	$CHECK diff-delta "$OUT/d.txt" 1-1 "+33.720ms (+30.0%)" &&
	$CHECK diff-delta "$OUT/d.txt" 0000:00:03.0 "24.870ms ~0us"
}

# Boots of a generated stock kernel: e1000e, virtio_blk, ahci, two
# initcalls, 5% noise; in B virtio0 30% and bar_init 40% slower.  And
# snd_hda_intel, slower in every boot of B (p 0.008) but by less than
# the spread of A's boots, half fast and half slow: not beyond its noise.
make_many() {	# make_many N: N boots a side
	local a="0000:00:02.0:e1000e:40000 virtio0:virtio_blk:15000 0000:00:1f.2:ahci:20000"
	a="$a init:foo_init:3000 init:bar_init:8000"
	local i b=${a/virtio_blk:15000/virtio_blk:19500}
	b="${b/bar_init:8000/bar_init:11200} 0000:00:1f.3:snd_hda_intel:9002/9003/9004/9005/9006"
	a="$a 0000:00:1f.3:snd_hda_intel:9001/1000/1001/5000/9000"
	rm -f "$OUT"/many-*.log
	for i in $(seq "$1"); do
		python3 genboots.py "$i" 5 $a >"$OUT/many-a$i.log"
		python3 genboots.py "$((i + 100))" 5 $b >"$OUT/many-b$i.log"
	done
}

t_diff_many() {	# 5 vs 5: only the changes beyond their noise, p exact
	make_many 5
	bg "$OUT/d.txt" "$OUT/d.err" diff "$OUT"/many-a*.log -- "$OUT"/many-b*.log || return 1
	$CHECK diff-mw "$OUT/d.txt" "$OUT"/many-a*.log -- "$OUT"/many-b*.log || return 1
	$CHECK diff-delta "$OUT/d.txt" virtio0 "0.008" &&
	$CHECK diff-delta "$OUT/d.txt" bar_init "0.008" &&
	! grep -q -e e1000e -e foo_init -e snd_hda_intel "$OUT/d.txt" &&
	grep -q "3 more devices changed less than their noise" "$OUT/d.txt" ||
		{ cat "$OUT/d.txt"; return 1; }
	bg "$OUT/d.txt" "$OUT/d.err" diff -a "$OUT"/many-a*.log -- "$OUT"/many-b*.log || return 1
	$CHECK diff-mw "$OUT/d.txt" -a "$OUT"/many-a*.log -- "$OUT"/many-b*.log
}

t_summary_many() {	# summary -m: median and range per device and initcall
	make_many 5
	python3 genboots.py 1 0 0003:0627:0001.0001:hid-generic:100000 \
		virtio0:virtio_blk:15000 >"$OUT/many-a6.log"
	bg "$OUT/s.txt" "$OUT/s.err" summary -m -n 100 "$OUT"/many-a*.log || return 1
	grep -q "^Boots: *6, one per file" "$OUT/s.txt" &&
	grep -q "^Devices bound: *4 *(2 .. 4)$" "$OUT/s.txt" ||
		{ cat "$OUT/s.txt"; return 1; }
	$CHECK summary-many "$OUT/s.txt" "$OUT"/many-a*.log
}

t_diff_few() {	# 3 vs 3: no p below 0.05 can be had, and diff says so
	make_many 3
	bg "$OUT/d.txt" "$OUT/d.err" diff "$OUT"/many-a*.log -- "$OUT"/many-b*.log || return 1
	grep -q "With 3 and 3 boots the smallest p the test can give is 0.100" "$OUT/d.txt" &&
	grep -q "no device changed by more than its noise" "$OUT/d.txt" ||
		{ cat "$OUT/d.txt"; return 1; }
}

t_diff_swap() {	# two HID devices swap names; a device and an initcall on one side
	python3 genboots.py 1 0 0003:0627:0001.0001:hid-generic:100000 \
		0003:0627:0001.0002:hid-generic:5000 virtio0:virtio_blk:15000 \
		0000:00:1f.3:snd_hda_intel:30000 init:foo_init:3000 >"$OUT/sa.log"
	python3 genboots.py 2 0 0003:0627:0001.0001:hid-generic:5200 \
		0003:0627:0001.0002:hid-generic:101000 virtio0:virtio_blk:25000 \
		virtio1:virtio_net:2000 init:foo_init:3000 init:new_init:500 >"$OUT/sb.log"
	bg "$OUT/d.txt" "$OUT/d.err" diff "$OUT/sa.log" "$OUT/sb.log" || return 1
	grep -q "0003:0627:0001.0001 of A is 0003:0627:0001.0002 of B (hid-generic)" "$OUT/d.txt" &&
	$CHECK diff-delta "$OUT/d.txt" 0003:0627:0001.0001 "+1.000ms (+1.0%)" &&
	$CHECK diff-delta "$OUT/d.txt" virtio0 "virtio_blk      15.000ms" &&
	grep -q "3 on both sides, 1 only in A, 1 only in B" "$OUT/d.txt" &&
	grep -q "^    0000:00:1f.3  *snd_hda_intel   30.000ms" "$OUT/d.txt" &&
	grep -q "^Initcalls (duration): 1 on both sides, 0 only in A, 1 only in B" "$OUT/d.txt" &&
	grep -q "^    new_init  *500us" "$OUT/d.txt" || { cat "$OUT/d.txt"; return 1; }
}

# The real captured boots: stock mode on the lean kernel, and the project's
# debug kernel with the framework (six devices and 26 initcalls and async
# calls of its own).
RS=$S/real/stock-lean-initcall-debug.log
RF=$S/real/framework-initcall-debug.log

t_diff_real() {	# t_diff_real [OPTS] A [--] B: every row as the two logs say
	bg "$OUT/d.txt" "$OUT/d.err" diff "$@" || return 1
	$CHECK diff-logs "$OUT/d.txt" "$@"
}

t_diff_real_group() {	# A -- B with one boot a side: the rows of A B
	t_diff_real $RS -- $RF || return 1
	bg "$OUT/d2.txt" "$OUT/d.err" diff $RS $RF || return 1
	diff -u "$OUT/d2.txt" "$OUT/d.txt" | head -20
	return "${PIPESTATUS[0]}"
}

# The framework boot again, as another boot would number its async calls:
# every cookie one higher (one more call queued before them), apsim.1 and
# apsim.2 queued in the other order (cookies 11 and 12 become 13 and 12),
# and the ATA port probes of cookies 5 and 6 started in the other order.
make_cookies() {
	python3 - "$RF" >"$OUT/cookies.log" <<'EOF'
import re, sys
new = lambda c: str({11: 13, 12: 12}.get(int(c), int(c) + 1))
lines = open(sys.argv[1], encoding='utf-8').readlines()
at = [i for i, l in enumerate(lines) if re.search(r'calling  [56]_async_port', l)]
a, b = (lines[i].split('] ', 1) for i in at)
lines[at[0]], lines[at[1]] = a[0] + '] ' + b[1], b[0] + '] ' + a[1]
for l in lines:
    l = re.sub(r'(\] (?:calling  |initcall ))(\d+)_',
               lambda m: m.group(1) + new(m.group(2)) + '_', l)
    sys.stdout.write(re.sub(r'\bcookie=(\d+)', lambda m: 'cookie=' + new(m.group(1)), l))
EOF
}

t_diff_cookies() {	# async calls paired by function and device, not cookie
	make_cookies || return 1
	bg "$OUT/d.txt" "$OUT/d.err" diff $RF "$OUT/cookies.log" || return 1
	grep -q "^Initcalls (duration): 267 on both sides, 0 only in A, 0 only in B" "$OUT/d.txt" &&
	grep -q "no initcall changed by more than the threshold" "$OUT/d.txt" ||
		{ cat "$OUT/d.txt"; return 1; }
	bg "$OUT/d.txt" "$OUT/d.err" diff -a $RF "$OUT/cookies.log" || return 1
	$CHECK diff-logs "$OUT/d.txt" -a $RF "$OUT/cookies.log"
}

t_diff_n() {
	bg "$OUT/d1.txt" "$OUT/d.err" diff -n 1 $S/qemu-async.log $S/qemu-async-b.log || return 1
	bg "$OUT/d2.txt" "$OUT/d.err" diff $S/qemu-async.log -- $S/qemu-async-b.log || return 1
	cmp "$OUT/d1.txt" "$OUT/d2.txt"
}

t_help() {
	local c
	for c in summary blame critical-chain svg html json csv trace diff; do
		"$BG" "$c" --help >"$OUT/h.txt" 2>&1 || { echo "$c --help failed"; return 1; }
		grep -q "usage: bootgraph" "$OUT/h.txt" || { echo "$c: no usage"; return 1; }
	done
	"$BG" --help | grep -q critical-chain
}

t_usage_errors() {
	"$BG" svg --no-such-option $S/qemu-async.log >/dev/null 2>&1
	[ $? -eq 1 ] || { echo "bad option: want exit 1"; return 1; }
	"$BG" frobnicate >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 1 ] && grep -q "neither a command nor a file" "$OUT/e.txt" || return 1
	"$BG" diff $S/qemu-async.log >/dev/null 2>&1
	[ $? -eq 1 ] || { echo "diff with one file: want exit 1"; return 1; }
	"$BG" json no/such/file >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 1 ] && grep -q "cannot open no/such/file" "$OUT/e.txt"
}

t_output_file() {
	bg "$OUT/stdout" "$OUT/o.err" svg -o "$OUT/file.svg" $S/qemu-async.log || return 1
	[ ! -s "$OUT/stdout" ] && [ -s "$OUT/file.svg" ] || return 1
	"$BG" json -o /nonexistent/dir/x.json $S/qemu-async.log 2>/dev/null
	[ $? -eq 1 ]
}

t_default_cmd() {
	bg "$OUT/a.txt" "$OUT/a.err" $S/qemu-async.log || return 1
	bg "$OUT/b.txt" "$OUT/b.err" summary $S/qemu-async.log || return 1
	cmp "$OUT/a.txt" "$OUT/b.txt" && grep -q "Run init: *0.699973s (/init)" "$OUT/a.txt"
}

t_bad() {	# bad input: no crash, output for what was read, file:line message
	local f=$1 rc c
	for c in svg json trace html csv critical-chain blame summary; do
		bg "$OUT/bad.out" "$OUT/bad.err" "$c" "$f"
		rc=$?
		[ $rc -le 2 ] || return 1
	done
	grep -q -E "^$f:[0-9]+: " "$OUT/bad.err" ||
		{ echo "no file:line message"; cat "$OUT/bad.err"; return 1; }
	[ -s "$OUT/bad.out" ] || { echo "no output"; return 1; }
}

t_noprobes_exit() {	# exit 2, and say what was seen and what to boot with
	"$BG" bad/noprobes.log >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 2 ] || { echo "want exit 2"; return 1; }
	grep -q "no probe or initcall events found in the lines read (printk): boot with initcall_debug,$(
		) and ignore_loglevel" "$OUT/e.txt" ||
		{ cat "$OUT/e.txt"; return 1; }
	printf 'SeaBIOS\nno timestamps here\n' >"$OUT/plain.log"
	"$BG" "$OUT/plain.log" >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 2 ] || { echo "want exit 2"; return 1; }
	grep -q "no line with a kernel timestamp: boot with printk.time=1" "$OUT/e.txt" ||
		{ cat "$OUT/e.txt"; return 1; }
}

# A 4,000-device boot over six buses and 300 drivers (genlog.py).
big_log() {
	[ -s "$OUT/d4k.log" ] ||
		python3 genlog.py 25000 4000 >"$OUT/d4k.log" || return 1
	[ -s "$OUT/d4k.json" ] ||
		bg "$OUT/d4k.json" "$OUT/d4k.err" json "$OUT/d4k.log"
}

t_overview() {	# t_overview MAXH ARGS...: the overview's rows, from the json
	local maxh=$1 key=bus top=20 fast=1000 a
	shift
	big_log || return 1
	for a in "$@"; do
		case $a in
		driver) key=driver ;;
		--top=*) top=${a#--top=} ;;
		--fast=*) fast=$(( ${a#--fast=} * 1000 )) ;;
		esac
	done
	bg "$OUT/ov.svg" "$OUT/ov.err" svg "$@" "$OUT/d4k.log" || return 1
	$CHECK svg "$OUT/ov.svg" &&
		$CHECK overview "$OUT/ov.svg" "$OUT/d4k.json" $key $top $fast $maxh
}

t_overview_at() {	# --overview-at and --full: when the overview is drawn
	big_log || return 1
	bg "$OUT/f.svg" "$OUT/f.err" svg --full "$OUT/d4k.log" || return 1
	grep -q 'overview' "$OUT/f.svg" && { echo "--full drew the overview"; return 1; }
	$CHECK rows "$OUT/d4k.log" "$OUT/d4k.json" "$OUT/f.svg" || return 1
	bg "$OUT/f.svg" "$OUT/f.err" svg --overview-at 4000 "$OUT/d4k.log" || return 1
	grep -q 'overview' "$OUT/f.svg" && { echo "4000 devices are not past 4000"; return 1; }
	bg "$OUT/f.svg" "$OUT/f.err" svg --overview-at 3999 "$OUT/d4k.log" || return 1
	grep -q '(overview; --full' "$OUT/f.svg" || { echo "no overview past 3999"; return 1; }
	bg "$OUT/f.svg" "$OUT/f.err" svg --overview-at 0 $S/qemu-async.log || return 1
	grep -q 'class="grp">slowest' "$OUT/f.svg" ||
		{ echo "--overview-at 0: no overview of a small boot"; return 1; }
}

t_window() {	# svg --from/--to: no bar entirely outside the window
	bg "$OUT/w.svg" "$OUT/w.err" svg --from 0.5 --to 0.6 $S/qemu-async.log || return 1
	$CHECK svg-window "$OUT/w.svg" 0.5 0.6
}

t_axis_end() {	# t_axis_end INPUT: the axis ends at the last thing drawn
	bg "$OUT/v.json" "$OUT/v.err" json "$1" || return 1
	$CHECK view-end "$OUT/v.json" || return 1
	bg "$OUT/v.svg" "$OUT/v.err" svg "$1" || return 1
	$CHECK svg-axis "$OUT/v.svg"
}

t_axis_tail() {	# a log that goes on for seconds after the last event
	{ cat $S/stock-initcall.log
	  echo '[    4.100000] EXT4-fs (vda): re-mounted. Quota mode: none.'; } >"$OUT/tail.log"
	t_axis_end "$OUT/tail.log"
}

t_window_backwards() {
	"$BG" svg --from 5 --to 1 $S/qemu-async.log >/dev/null 2>"$OUT/e.txt"
	[ $? -eq 1 ] || { echo "want exit 1"; return 1; }
	grep -q -- "--to 1 is not after --from 5" "$OUT/e.txt" || { cat "$OUT/e.txt"; return 1; }
	"$BG" svg --from 0.5 --to 0.5 $S/qemu-async.log >/dev/null 2>&1
	[ $? -eq 1 ] || { echo "an empty window: want exit 1"; return 1; }
}

t_directory() {	# a directory as input: exit 1, as documented
	"$BG" json $S $S/qemu-async.log >"$OUT/d.json" 2>"$OUT/e.txt"
	[ $? -eq 1 ] || { echo "want exit 1"; return 1; }
	grep -q "cannot read $S: Is a directory" "$OUT/e.txt" || { cat "$OUT/e.txt"; return 1; }
	bg "$OUT/a.json" "$OUT/a.err" json $S/qemu-async.log || return 1
	cmp "$OUT/a.json" "$OUT/d.json"	# the other files still count
}

t_huge_line() {	# a 2 MiB line is cut, the lines around it still count
	{ head -60 $S/qemu-async.log
	  printf '[    0.380000] '; head -c 2097152 /dev/zero | tr '\0' 'y'; echo
	  tail -n +61 $S/qemu-async.log; } >"$OUT/huge.log"
	bg "$OUT/h.json" "$OUT/h.err" json "$OUT/huge.log" || return 1
	grep -q "huge.log:61: line longer than" "$OUT/h.err" || return 1
	bg "$OUT/a.json" "$OUT/a.err" json $S/qemu-async.log || return 1
	$CHECK same-devices "$OUT/a.json" "$OUT/h.json"
}

t_tracedat_garbage() {
	{ printf '\027\010\104tracing6\0\0\0'; head -c 4096 /dev/urandom; } >"$OUT/fake.dat"
	bg "$OUT/t.out" "$OUT/t.err" json "$OUT/fake.dat"
	[ $? -eq 1 ] && grep -q "fake.dat:1: " "$OUT/t.err"
}

t_trace_clock() {
	bg "$OUT/t.json" "$OUT/t.err" json --trace-clock=x86-tsc $S/qemu-async.trace || return 1
	grep -q "cannot be aligned" "$OUT/t.err" &&
	grep -q '"trace_clock_aligned": false' "$OUT/t.json"
}

t_fuzz() {
	[ -n "${NO_FUZZ:-}" ] && { echo "SKIP NO_FUZZ set"; return 77; }
	command -v "${CLANG:-clang}" >/dev/null || { echo "SKIP no clang"; return 77; }
	echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' >"$OUT/f.c"
	"${CLANG:-clang}" -fsanitize=fuzzer -o "$OUT/f" "$OUT/f.c" 2>/dev/null ||
		{ echo "SKIP clang cannot link libFuzzer (libclang-rt-dev)"; return 77; }
	make -s -C .. bootgraph-fuzz CLANG="${CLANG:-clang}" >"$OUT/fuzz-build.log" 2>&1 ||
		{ cat "$OUT/fuzz-build.log"; return 1; }
	./fuzz.sh ../bootgraph-fuzz "${FUZZ_TIME:-5}" >"$OUT/fuzz.log" 2>&1 ||
		{ tail -30 "$OUT/fuzz.log"; return 1; }
}

# The trace.dat samples are tested only where bootgraph reads trace.dat
# (built with libtracecmd): said here, not left out in silence.
t_tracedat_input() {
	pkg-config --exists libtracecmd libtraceevent 2>/dev/null || {
		echo "SKIP no libtracecmd (libtracecmd-dev, libtracefs-dev): trace.dat samples untested"
		return 77
	}
	bg "$OUT/td.out" "$OUT/td.err" summary "$S/real/framework-sim.dat" || return 1
	grep -q '^Input: *trace.dat$' "$OUT/td.out" || { head -3 "$OUT/td.out"; return 1; }
}

# --- the plan ----------------------------------------------------------

TESTS=()
# add "NAME|CMD ARGS...", or add NAME CMD ARGS... (the same)
add() {
	local t=$1

	[ $# -gt 1 ] && { shift; t="$t|$*"; }
	[ -z "${ONLY:-}" ] || [[ ${t%%|*} =~ $ONLY ]] || return 0
	TESTS+=("$t")
}

GOLDEN_INPUTS=$(ls $S/qemu-async.log $S/qemu-async-b.log $S/qemu-async.trace \
		 $S/stock-initcall.log $S/real/*.log $S/real/*.ftrace 2>/dev/null)
# trace.dat files recorded in the guest, when bootgraph can read them.
if pkg-config --exists libtracecmd libtraceevent 2>/dev/null; then
	GOLDEN_INPUTS="$GOLDEN_INPUTS $(ls $S/real/*.dat 2>/dev/null)"
fi
for in in $GOLDEN_INPUTS; do
	for c in $GOLDEN_CMDS; do
		add "golden $in $c|t_golden $in $c"
	done
done
add "golden diff|t_golden_diff $S/qemu-async.diff $S/qemu-async.log $S/qemu-async-b.log"
add "golden diff of the real stock and framework boots" \
	t_golden_diff $S/real/stock-lean-vs-framework.diff $RS $RF
for f in $S/qemu-async.dmesg-r.log $S/qemu-async.caller.log $S/qemu-async.kmsg \
	 $S/qemu-async.journal.log $S/qemu-async.dmesg-x.log; do
	add "framing $f parses to the same events|t_framing $f"
done
for f in $S/initcall-usecs.log $S/stock-initcall.log $S/real/*.log; do
	add "initcall durations of $f: kernel's once the clock is fine|t_initcall_durs $f"
done
add "initcall durations: blame -i" \
	t_expect $S/initcall-usecs.log.blame-i blame -i $S/initcall-usecs.log
for f in $S/probe-usecs.log $S/initcall-usecs.log $S/qemu-async.log $S/stock-initcall.log \
	 $S/real/*.log; do
	add "probe durations of $f: kernel's N once the clock is fine|t_probe_durs $f"
done
add "probe durations: blame|t_expect $S/probe-usecs.log.blame blame $S/probe-usecs.log"
add "the kernel's probe plan lines in the summary|t_plan"
add "nested probes on one task (printk caller ids)" \
	t_nesting $S/nested.log 1-1:1-1:1.0 1-1:1-1:1.1 1-1:1.0:0003:0627:0001.0001
add "nested probes by name when the task is unknown" \
	t_nesting $S/nested-names.log 00:03:00:03:0 00:03:00:03:0.0 1-1:1-1.2
for f in nested nested-names; do
	add "blame of $f.log by self time|t_expect $S/$f.log.blame blame $S/$f.log"
	add "blame -I of $f.log by inclusive time|t_expect $S/$f.log.blame-I blame -I $S/$f.log"
done
add "bus from the name's shape, driver from its own lines, never a bus|t_labels"
add "csv of nested.log: self_us beside dur_us|t_csv $S/nested.log"
add "deps= ending in +N: the count of unnamed suppliers is no device" \
	t_expect $S/more-deps.log.csv csv $S/more-deps.log
add "plan of a log: a deferred probe's candidates overlapped its window" \
	t_expect $S/plan-defer.log.plan plan $S/plan-defer.log
add "plan of a log: of the candidates, those bound before the successful retry began" \
	t_expect $S/plan-rank.log.plan plan $S/plan-rank.log
add "plan of three boots: medians, suppliers all deferring boots name" \
	t_expect $S/plan/abc.plan.out plan $S/plan/a.plan $S/plan/b.plan $S/plan/c.plan
add "plan: a plan the kernel would refuse is left out, with the reason|t_plan_refused"
add "summary --plan: devices probed or not, deferrals avoided and again" \
	t_expect $S/plan-use.log.summary-plan summary --plan $S/plan-use.plan $S/plan-use.log
add "summary --plan of a plan that cannot be read: exit 1, said why, no summary printed" \
	t_plan_use_bad
add "plan of a real boot's plan is that plan|t_plan_roundtrip $S/real/main-boot.plan"
add "critical chain of chain.log: every link has its evidence|t_chain_evidence $S/chain.log"
add "nested by the parent the log names: usb2 in its controller's probe" \
	t_nesting $S/chain.log --log=$S/chain.log 0000:00:05.0:usb2
add "critical chain: USB disk <- interface <- device, psmouse not on it" \
	t_expect $S/chain.log.critical-chain critical-chain $S/chain.log
for t in panel sensor serio1; do
	add "critical-chain -t $t" \
		t_expect $S/chain.log.critical-chain-$t critical-chain -t $t $S/chain.log
done
add "critical-chain -t of a device without a finished probe: exit 1|t_chain_target_errors"
add "summary says first what pid 1 waited for before /init, and on what" \
	t_expect $S/init-wait.log.summary summary $S/init-wait.log
add "a wait for framework probes: the probe named, not the framework's async call" \
	t_expect $S/ap-wait.log.summary summary $S/ap-wait.log $S/ap-wait.trace
add "critical-chain -t /init: through pid 1's longest wait" \
	t_expect $S/init-wait.log.critical-chain-init critical-chain -t /init $S/init-wait.log
add "critical-chain -t INITCALL" \
	t_expect $S/init-wait.log.critical-chain-cmos_init critical-chain -t cmos_init \
		$S/init-wait.log
add "critical-chain -t /init of the real stock log" \
	t_expect $S/real/stock-lean-initcall-debug.log.critical-chain-init critical-chain -t \
		/init $S/real/stock-lean-initcall-debug.log
# The device-rich machine's real boots: stock 6.12 (as shipped, and with
# driver_async_probe=*) and the project's kernel, framework off and on.
RM=$S/real
for f in stock612 stock612-async-all project-sync project-on; do
	for t in 7:0:0:0 /init; do
		add "critical-chain -t $t of $f-machine: every link has its evidence" \
			t_chain_target_evidence $t $RM/$f-machine-initcall-debug.log
	done
	add "critical-chain -t 7:0:0:0 of $f-machine: USB disk <- interface (<- device) <- usb2" \
		t_expect $RM/$f-machine-initcall-debug.log.critical-chain-usbdisk critical-chain \
			-t 7:0:0:0 $RM/$f-machine-initcall-debug.log
done
add "ftrace and trace-cmd report give the same events|t_ftrace_formats"
add "console log + trace: probes merged, not doubled|t_merge"
add "stdin input|t_stdin"
add "one file twice: records counted once|t_dedup $S/qemu-async.log $S/qemu-async.log"
add "console log + its kmsg dump: counted once|t_dedup $S/qemu-async.log $S/qemu-async.kmsg"
add "console log + a kmsg dump without the boot's start: counted once|t_dedup_wrapped"
add "kmsg + journal + dmesg -r of one boot: counted once" \
	t_dedup $S/qemu-async.kmsg $S/qemu-async.journal.log $S/qemu-async.dmesg-r.log
add "three boots in one file: the last is used, said once|t_boots 0 $OUT/b3.log"
add "three boots in one file: --boot 1|t_boots 1 $S/stock-initcall.log"
add "three boots in one file: --boot 2 (restarts at 0, no banner)|t_boots 2 $OUT/b2.log"
add "--boot out of range, two kernels in two files, -q|t_boots_errors"
add "time going back: a CPU's stray record is no warning, a clock that stays back is" \
	t_backwards
for in in $GOLDEN_INPUTS; do
	add "every probed device of $in has a row|t_rows $in"
	add "critical chain of $in adds up|t_chain $in"
	add "trace-event JSON of $in follows the format|t_check trace trace $in"
	add "csv of $in has one row per attempt|t_csv $in"
	add "json of $in follows the schema|t_check schema json $in"
	case $in in	# the log names the parent of a root hub usbN
	*.log) add "nested probes of $in justified, self times add up|t_nesting $in --log=$in" ;;
	*) add "nested probes of $in justified, self times add up|t_nesting $in" ;;
	esac
	add "axis of $in ends at the last thing drawn|t_axis_end $in"
	add "critical chain of $in: every link has its evidence|t_chain_evidence $in"
done
add "svg is well-formed XML with styled bars|t_check svg svg $S/qemu-async.log"
add "svg grouped by driver, zoomed range|t_group_driver"
add "html is self-contained, its data parses|t_check html html $S/qemu-async.log"
add "diff of a log with itself is zero|t_diff_self"
add "diff A A -- B B: median and spread|t_diff_multi"
add "diff of 5 vs 5 boots: only changes beyond their noise, exact p|t_diff_many"
add "summary -m: median and range of each device and initcall over boots|t_summary_many"
add "diff of 3 vs 3 boots: says no p below 0.05 can be had|t_diff_few"
add "diff: swapped HID names paired, devices and initcalls on one side|t_diff_swap"
add "diff -n 1 equals diff A -- B|t_diff_n"
add "diff of the real stock boot and framework boot: every number from the logs|t_diff_real $RS $RF"
add "diff of the real framework boot and stock boot: every number from the logs|t_diff_real $RF $RS"
add "diff A -- B of the real boots, one a side: the rows of A B, from the logs|t_diff_real_group"
add "diff -t 5000 of the real boots: every change over it listed, none under" \
	t_diff_real -t 5000 $RF $RS
for p in stock612 project-sync; do
	add "diff of the real $p-machine and project-on-machine boots: every number from the logs" \
		t_diff_real $RM/$p-machine-initcall-debug.log \
			$RM/project-on-machine-initcall-debug.log
done
add "diff -a of the real stock612-machine boot and its driver_async_probe=* boot: every row" \
	t_diff_real -a $RM/stock612-machine-initcall-debug.log \
		$RM/stock612-async-all-machine-initcall-debug.log
add "diff of two framework boots, cookies renumbered: async calls paired by function and device" \
	t_diff_cookies
add "--help everywhere|t_help"
add "usage and I/O errors exit 1|t_usage_errors"
add "-o writes the file|t_output_file"
add "summary is the default command|t_default_cmd"
for f in bad/*; do
	add "bad input $f|t_bad $f"
done
add "no probes: exit 2, the framing seen and what to boot with|t_noprobes_exit"
add "svg --from/--to leaves out bars outside the window|t_window"
add "svg of 4,000 devices: an overview one screen tall, groups by bus right|t_overview 1000"
add "svg overview by driver: 300 drivers, the smallest share the last row|t_overview 1200 -g driver"
add "svg overview --top 5: fewer rows|t_overview 400 --top=5"
add "svg overview --fast 50: fewer slow devices than --top, fast ones folded" \
	t_overview 1000 --fast=50
add "svg --overview-at and --full: when the overview is drawn|t_overview_at"
add "axis of a log going on after the boot: ends at the last thing drawn|t_axis_tail"
add "svg --from 5 --to 1 is rejected|t_window_backwards"
add "a directory as input: exit 1|t_directory"
add "positive returned R (6.12): 517 deferred, others failed" \
	t_expect $S/ret.log.blame blame $S/ret.log
add "summary without initcall lines says so before /init" \
	t_expect $S/ret.log.summary summary $S/ret.log
add "line over 1 MiB is cut|t_huge_line"
add "corrupt trace.dat: message, no crash|t_tracedat_garbage"
add "unaligned trace clock is reported|t_trace_clock"
add "trace.dat input: bootgraph reads it, its samples are tested|t_tracedat_input"
add "fuzz|t_fuzz"

echo "TAP version 13"
echo "1..${#TESTS[@]}"
n=0
failed=0
for t in "${TESTS[@]}"; do
	n=$((n + 1))
	name=${t%%|*}
	${t#*|} >"$OUT/test.log" 2>&1
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "ok $n - $name # SKIP $(sed -n 's/^SKIP //p' "$OUT/test.log" | head -1)"
	elif [ $rc -eq 0 ]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		sed 's/^/# /' "$OUT/test.log" | head -40
		failed=$((failed + 1))
	fi
done
echo "# $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
