#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# async_probe_torture for aptorture_s= seconds (kernel command line; the
# test skips without it), with what only userspace can do running beside
# it: the probe simulator loaded with its probes still in flight, devices
# unbound and rebound through sysfs, the simulator unloaded while its
# probes are parked, queued or running, and the concurrency limit changed.
# aptorture_fail_alloc=1 also fails allocations made through the
# framework's code (failslab and fail_page_alloc, limited to call chains
# through its text).  Then: no invariant violated, no device
# reference or probe left behind, and no leak that kmemleak pins on the
# project's code.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh
source "$DIR"/ap_lib.sh

MOD=async_probe_torture
RESULT=/sys/kernel/debug/async_probe_torture/result
PARAMS=/sys/module/async_probe/parameters
KMEMLEAK=/sys/kernel/debug/kmemleak
STOP=/tmp/torture.stop

cmdline_value() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1
}

ktap_print_header
secs=$(cmdline_value aptorture_s)
fail_alloc=$(cmdline_value aptorture_fail_alloc)
if [ -z "$secs" ]; then
	ktap_skip_all "no aptorture_s= on the command line (make torture)"
	exit "$KSFT_SKIP"
fi
case $secs in
''|*[!0-9]*|0)
	ktap_print_msg "aptorture_s=$secs is not a positive number of seconds: using 60"
	secs=60 ;;
esac
case $fail_alloc in 1|y|Y) fail_alloc=1 ;; *) fail_alloc=0 ;; esac
if [ ! -d "$AP_DBG" ] || ! have_module "$MOD" || ! have_module "$SIM_MOD"; then
	ktap_skip_all "async_probe, $MOD or $SIM_MOD missing"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 7

# Userspace churn beside the torture; one line per kind of operation.
CHURN_OUT=/tmp/torture.churn
churn() {
	local i=0 loads=0 unloads=0 rebinds=0 limits=0 reads=0 d
	while [ ! -e "$STOP" ]; do
		i=$((i + 1))
		echo $((i % 5)) >"$PARAMS/max_active" && limits=$((limits + 1))
		# timeout_s=0: the module is live while its probes are in flight.
		modprobe "$SIM_MOD" n=24 seed="$i" k=2 p=50 min_us=200 max_us=4000 \
			timeout_s=0 order=$([ $((i % 2)) = 0 ] && echo devices || echo driver) \
			>/dev/null 2>&1 && loads=$((loads + 1))
		# Leaves only: supplier removal under probing consumers is the
		# torture's own teardown and the unload below.  (Unbinding a
		# supplier used to trip device_links_missing_supplier(); patch
		# 0002 fixes that race in device_links_busy().)
		for d in /sys/bus/platform/drivers/apsim/apsim.*; do
			[ -e "$d" ] || break
			ls -d "$d"/consumer:* >/dev/null 2>&1 && continue
			d=${d##*/}
			echo "$d" >/sys/bus/platform/drivers/apsim/unbind 2>/dev/null &&
				echo "$d" >/sys/bus/platform/drivers/apsim/bind 2>/dev/null &&
				rebinds=$((rebinds + 1))
			[ $((RANDOM % 3)) = 0 ] && break
		done
		[ $((i % 3)) = 0 ] && sleep 0.$((RANDOM % 10))
		# The debugfs files, graph.dot's lockless reader among them,
		# read while probes end and record themselves.
		cat "$AP_DBG/graph.dot" "$AP_DBG/pending" "$AP_DBG/stats" >/dev/null &&
			reads=$((reads + 1))
		rmmod "$SIM_MOD" 2>/dev/null && unloads=$((unloads + 1))
	done
	echo 0 >"$PARAMS/max_active"
	echo "loads=$loads unloads=$unloads rebinds=$rebinds limits=$limits" \
		"reads=$reads" >"$CHURN_OUT"
}

# The text of the built-in framework, "START END": its functions (ap_*,
# async_probe_*) within 64 KiB of async_probe_claim(), the first to a page
# past the last (other code has ap_* names too).
framework_text() {
	local anchor addr type name lo= hi= a
	anchor=$(awk '$3 == "async_probe_claim" { print $1 }' /proc/kallsyms)
	[ -n "$anchor" ] && [ "$anchor" != 0000000000000000 ] || return 1
	anchor=$((16#$anchor))
	while read -r addr type name; do
		a=$((16#$addr))
		[ $((a - anchor)) -lt 65536 ] && [ $((anchor - a)) -lt 65536 ] || continue
		{ [ -z "$lo" ] || [ "$a" -lt "$lo" ]; } && lo=$a
		{ [ -z "$hi" ] || [ "$a" -gt "$hi" ]; } && hi=$a
	done < <(grep -E ' [tT] (ap|async_probe)_[A-Za-z0-9_.]*$' /proc/kallsyms)
	printf '0x%x 0x%x\n' "$lo" $((hi + 4096))
}

# Each attribute fails at most TIMES allocations; what is left of it
# says how many failed.
TIMES=1000000
alloc_failures() {
	local f n=0
	for f in failslab fail_page_alloc; do
		n=$((n + TIMES - $(cat "/sys/kernel/debug/$f/times")))
	done
	echo "$n"
}

# fault_injection PERCENT: fail that share of the allocations whose call
# chain goes through the framework (0: stop).  The range is written and
# read back before any failure is switched on.
fault_injection() {
	local pct=$1 f range d
	for f in failslab fail_page_alloc; do
		d=/sys/kernel/debug/$f
		[ -w "$d/require-start" ] || return 1
		echo 0 >"$d/probability" || return 1
	done
	[ "$pct" = 0 ] && return 0
	range=$(framework_text) || return 1
	for f in failslab fail_page_alloc; do
		d=/sys/kernel/debug/$f
		echo N >"$d/task-filter" && echo 0 >"$d/verbose" &&
			echo N >"$d/ignore-gfp-wait" && echo 32 >"$d/stacktrace-depth" &&
			echo "${range% *}" >"$d/require-start" &&
			echo "${range#* }" >"$d/require-end" &&
			echo 1 >"$d/interval" && echo "$TIMES" >"$d/times" || return 1
		if [ $(($(cat "$d/require-start"))) != $((${range% *})) ] ||
		   [ $(($(cat "$d/require-end"))) != $((${range#* })) ]; then
			ktap_print_msg "$f: range $range not taken:" \
				"$(cat "$d/require-start") $(cat "$d/require-end")"
			return 1
		fi
	done
	ktap_print_msg "failing $pct% of the allocations made through $range"
	for f in failslab fail_page_alloc; do
		echo "$pct" >"/sys/kernel/debug/$f/probability" || return 1
	done
}

# The one probe that hangs is reported (hung_timeout=1), with its stack:
# the judge tolerates stacks until the torture's result line, and fails
# on any report headline (lockdep, KASAN, WARNING...) in between.
hung0=$(cat "$PARAMS/hung_timeout")
echo 1 >"$PARAMS/hung_timeout"
injected=no
if [ "$fail_alloc" = 1 ]; then
	fault_injection 3 && injected=yes
fi
echo "judge: expect-begin torture async_probe_torture: done" >/dev/kmsg
rm -f "$STOP"
churn &
churn_pid=$!
modprobe "$MOD" duration="$secs" || ktap_print_msg "modprobe $MOD failed"
finished=no
for _ in $(seq $((secs + 120))); do
	[ "$(kv "$RESULT" running 2>/dev/null)" = 0 ] && finished=yes && break
	sleep 1
done
if [ $finished = no ]; then
	# Show where everything is stuck: the framework's pending work, the
	# running CPUs and the blocked tasks (SysRq l and w).
	ktap_print_msg "the torture did not finish $((secs + 120)) s after it started"
	sed 's/^/# pending: /' "$AP_DBG/pending" 2>/dev/null
	echo l >/proc/sysrq-trigger 2>/dev/null
	echo w >/proc/sysrq-trigger 2>/dev/null
fi
touch "$STOP"
if [ $finished = yes ]; then
	wait "$churn_pid"
else
	kill "$churn_pid" 2>/dev/null
fi
if [ "$injected" = yes ]; then
	fault_injection 0
	injected="yes alloc_failures=$(alloc_failures)"
fi
[ $finished = yes ] && rmmod "$SIM_MOD" 2>/dev/null
echo "judge: expect-end torture" >/dev/kmsg
echo "$hung0" >"$PARAMS/hung_timeout"

cp "$RESULT" /tmp/torture.result 2>/dev/null || : >/tmp/torture.result
res() { kv /tmp/torture.result "$1"; }
ktap_print_msg "torture: $(tr '\n' ' ' </tmp/torture.result)"
ktap_print_msg "churn: $(cat "$CHURN_OUT" 2>/dev/null) stale_parks=$(ap_stat stale_parks)" \
	"fault injection: $injected"
ktap_print_msg "plan: matched=$(ap_stat plan_matched) waits=$(ap_stat plan_waits)" \
	"skipped=$(ap_stat plan_skipped) deferred=$(ap_stat plan_deferred)"

torture_finished() {
	[ "$(res running)" = 0 ] && [ "$(res rounds)" -gt 0 ] && [ "$(res probes)" -gt 0 ]
}
ktap_test_result "torture_ran_to_the_end" torture_finished

no_violations() {
	[ -n "$(res violations)" ] && [ "$(res violations)" = 0 ]
}
ktap_test_result "no_invariant_violated" no_violations

churn_ran() {
	grep -q 'loads=[1-9]' "$CHURN_OUT" && grep -q 'unloads=[1-9]' "$CHURN_OUT" &&
		grep -q 'reads=[1-9]' "$CHURN_OUT"
}
ktap_test_result "simulator_reloaded_and_rebound_beside_it" churn_ran

if [ $finished = yes ]; then
	rmmod "$MOD" || ktap_print_msg "rmmod $MOD failed"
fi

# Nothing parked, queued or running, and no device reference held.
nothing_held() {
	local s
	for s in inflight running refs; do
		[ "$(ap_stat "$s")" = 0 ] || { ktap_print_msg "$s: $(ap_stat "$s")"; return 1; }
	done
}
ktap_test_result "framework_holds_nothing_afterwards" nothing_held

# Consumers the barriers found parked on a supplier that was no longer
# probing (ap_drop_stale_parks()): recovered, but each is a release the
# framework missed.
ktap_test_result "no_consumer_left_parked" [ "$(ap_stat stale_parks)" = 0 ]

if [ "$fail_alloc" = 1 ]; then
	ktap_test_result "faults_injected" [ "${injected%% *}" = yes ]
else
	ktap_test_skip "faults_injected (aptorture_fail_alloc=1 not given)"
fi

# kmemleak reports objects at least 5 s old: wait, scan, and count the
# leaks whose allocation went through the project's code.  The scan's own
# console line is declared to the judge; other leaks are listed, not
# failed on here.
no_leaks() {
	local n scan="kmemleak: [0-9]+ new suspected|torture leak scan"

	sleep 6
	echo "judge: expect-begin kmemleak ($scan)" >/dev/kmsg
	echo "torture leak scan" >/dev/kmsg
	echo scan >"$KMEMLEAK"
	echo "judge: expect-end kmemleak" >/dev/kmsg
	n=$(grep -c 'unreferenced object' "$KMEMLEAK")
	ktap_print_msg "kmemleak: $n suspected leaks in the whole kernel"
	! grep -Eq 'async_probe|async_schedule|async_run_entry| apt?_[a-z_]+\+' "$KMEMLEAK"
}
if [ -w "$KMEMLEAK" ]; then
	ktap_test_result "no_leak_in_the_project_code" no_leaks
else
	ktap_test_skip "no_leak_in_the_project_code (no kmemleak)"
fi

ktap_finished
