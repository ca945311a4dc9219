#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The async_probe= modes and their precedence, checked with the probe
# simulator in whatever mode this boot has (the harness boots once per
# mode: sync, stock, all with driver_async_probe=*,apsim, and one with
# garbage values, which must fall back to the defaults).

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh
source "$DIR"/ap_lib.sh

ktap_print_header
if [ ! -d "$AP_DBG" ] || ! have_module "$SIM_MOD"; then
	ktap_skip_all "no async_probe framework or simulator"
	exit "$KSFT_SKIP"
fi
mode=$(ap_stat mode)
cmdline=$(cat /proc/cmdline)
ktap_print_msg "mode $mode, command line: $cmdline"

# claimed_by_framework ARGS...: run the simulator and print how many
# devices the framework took.
claimed_delta() {
	local c0
	c0=$(ap_stat claimed)
	sim_run "$@" >/dev/null || { echo -1; return; }
	echo $(($(ap_stat claimed) - c0))
}

# A linked random graph binds completely and in order, whatever the mode.
graph_correct() {
	sim_run n=32 seed=5 k=2 p=50 min_us=1000 max_us=3000 timeout_s=30 && sim_ok
}

case "$mode" in
sync)
	ktap_set_plan 3
	ktap_test_result "sync_graph_correct" graph_correct
	ktap_test_result "sync_probes_one_at_a_time" eval '[ "$(sim max_parallel)" = 1 ]'
	ktap_test_result "sync_framework_takes_nothing" \
		eval '[ "$(claimed_delta n=8 min_us=100 max_us=100)" = 0 ]'
	;;
stock)
	ktap_set_plan 3
	ktap_test_result "stock_graph_correct" graph_correct
	ktap_test_result "stock_async_driver_runs_in_parallel" \
		eval '[ "$(sim max_parallel)" -gt 1 ]'
	ktap_test_result "stock_framework_takes_nothing" \
		eval '[ "$(claimed_delta n=8 min_us=100 max_us=100)" = 0 ]'
	;;
all)
	ktap_set_plan 4
	ktap_test_result "all_graph_correct" graph_correct
	# A driver with no preference is taken in mode all...
	ktap_test_result "all_takes_default_drivers" \
		eval '[ "$(claimed_delta n=8 name=apsimdef probe_type=default \
				min_us=100 max_us=100)" -ge 8 ]'
	# ...but driver_async_probe=*,apsim leaves apsim synchronous...
	if [[ "$cmdline" == *"driver_async_probe=*,apsim"* ]]; then
		ktap_test_result "all_respects_driver_async_probe_exclusion" \
			eval '[ "$(claimed_delta n=8 probe_type=default \
					min_us=2000 max_us=2000)" = 0 ] &&
			      [ "$(sim max_parallel)" = 1 ]'
	else
		ktap_test_skip "all_respects_driver_async_probe_exclusion (not on the command line)"
	fi
	# ...and PROBE_FORCE_SYNCHRONOUS always wins.
	ktap_test_result "all_leaves_forced_sync_alone" \
		eval '[ "$(claimed_delta n=8 name=apsimsync probe_type=sync \
				min_us=100 max_us=100)" = 0 ]'
	;;
on)
	# The boot with garbage on the command line lands here.
	ktap_set_plan 3
	ktap_test_result "on_graph_correct" graph_correct
	if [[ "$cmdline" == *"async_probe=bogus"* ]]; then
		garbage_reported() {
			local d
			d=$(dmesg)
			grep -q "unknown mode 'bogus'" <<<"$d" &&
			grep -q "max_active=-3 is not a number" <<<"$d" &&
			grep -q "hung_timeout=soon is not a number" <<<"$d" &&
			grep -q "debug=maybe is not 0 or 1" <<<"$d"
		}
		defaults_used() {
			[ "$(ap_stat max_active)" = 0 ] && [ "$(ap_stat hung_timeout)" = 30 ] &&
			[ "$(cat /sys/module/async_probe/parameters/debug)" = N ]
		}
		ktap_test_result "garbage_command_line_reported" garbage_reported
		ktap_test_result "garbage_command_line_uses_defaults" defaults_used
	else
		ktap_test_skip "garbage_command_line_reported (no garbage given)"
		ktap_test_skip "garbage_command_line_uses_defaults (no garbage given)"
	fi
	;;
*)
	ktap_skip_all "unknown mode '$mode'"
	exit "$KSFT_SKIP"
	;;
esac
sim_unload
ktap_finished
