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

# The virtio disks are named in PCI order (vda the scratch disk vblk0,
# vdb the outbox): virtio-blk asks for PROBE_ASYNC_WITH_FRAMEWORK, so it
# probes synchronously in sync and stock, as in 6.12, and keeps the order
# with async_probe_wait_earlier() in on.  In all, virtio_pci itself
# probes in parallel and the order may change.
disk_serial() { cat "/sys/block/$1/serial" 2>/dev/null; }
virtio_names_in_pci_order() {
	[ "$(disk_serial vda)" = vblk0 ] && [ "$(disk_serial vdb)" = outbox ] && return 0
	local d
	for d in /sys/block/vd*; do
		ktap_print_msg "${d##*/}: serial '$(disk_serial "${d##*/}")'"
	done
	return 1
}

# A linked random graph binds completely whatever the mode.  The order is
# the driver core's (links defer a consumer whose supplier is not bound);
# what a mode decides is how often the driver core tries: once per device
# and no deferral when probes are synchronous in device order (sync) or
# scheduled along the links (on, all); stock may defer consumers.
graph_correct() {
	local att0 def0 att def
	att0=$(ap_stat attempts_all)
	def0=$(ap_stat defers_all)
	sim_run n=32 seed=5 k=2 p=50 min_us=1000 max_us=3000 timeout_s=30 && sim_ok ||
		return 1
	att=$(($(ap_stat attempts_all) - att0))
	def=$(($(ap_stat defers_all) - def0))
	ktap_print_msg "$mode: driver-core attempts $att, deferrals $def for 32 devices"
	[ "$mode" = stock ] || { [ "$att" = 32 ] && [ "$def" = 0 ]; }
}

case "$mode" in
sync)
	ktap_set_plan 4
	ktap_test_result "sync_graph_correct" graph_correct
	ktap_test_result "sync_virtio_disks_named_in_pci_order" virtio_names_in_pci_order
	ktap_test_result "sync_probes_one_at_a_time" eval '[ "$(sim max_parallel)" = 1 ]'
	ktap_test_result "sync_framework_takes_nothing" \
		eval '[ "$(claimed_delta n=8 min_us=100 max_us=100)" = 0 ]'
	;;
stock)
	ktap_set_plan 4
	ktap_test_result "stock_graph_correct" graph_correct
	ktap_test_result "stock_virtio_disks_named_in_pci_order" virtio_names_in_pci_order
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
	ktap_set_plan 4
	ktap_test_result "on_graph_correct" graph_correct
	ktap_test_result "on_virtio_disks_named_in_pci_order" virtio_names_in_pci_order
	if [[ "$cmdline" == *"async_probe=bogus"* ]]; then
		garbage_reported() {
			local d
			d=$(dmesg)
			grep -q "unknown mode 'bogus'" <<<"$d" &&
			grep -q "max_active=-3 is not a number" <<<"$d" &&
			grep -q "hung_timeout=soon is not a number" <<<"$d" &&
			grep -q "history=lots is not a number" <<<"$d" &&
			grep -q "debug=maybe is not 0 or 1" <<<"$d" &&
			grep -q "plan=sometimes is not off, record or replay, leaving it" <<<"$d"
		}
		defaults_used() {
			[ "$(ap_stat max_active)" = 0 ] && [ "$(ap_stat hung_timeout)" = 30 ] &&
			[ "$(cat /sys/module/async_probe/parameters/debug)" = N ] &&
			[ "$(cat /sys/module/async_probe/parameters/history)" = 16384 ] &&
			[ "$(cat /sys/module/async_probe/parameters/plan)" = record ]
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
