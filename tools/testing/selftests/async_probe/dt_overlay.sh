#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dependencies that come only from a device tree, as on ARM boards: the
# async_probe_sim_dt module applies an overlay of seven devices whose
# "-supply" phandles fw_devlink turns into device links (one of them
# names a device that appears later), and the probes must follow them.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh
source "$DIR"/ap_lib.sh

MOD=async_probe_sim_dt_mod
ktap_print_header
if ! have_module "$MOD"; then
	ktap_skip_all "$MOD not built (CONFIG_OF_OVERLAY?)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 3

claimed0=$(ap_stat claimed)
modprobe "$MOD"
line=$(dmesg | grep 'async_probe_sim_dt: done' | tail -n 1)
ktap_print_msg "$line"

all_bound_in_order() {
	[[ "$line" == *"n=7 bound=7 suppliers=6 violations=0"* ]]
}

# fw_devlink made a device link for each of the six phandles: every
# consumer has a supplier:<dev> entry for each device its phandles name.
links_from_phandles() {
	local c s dev missing=0
	for edge in 1:0 2:1 3:2 3:4 4:0 6:5; do
		c=${edge%%:*} s=${edge#*:}
		dev=/sys/bus/platform/devices/apsim-dt-bus:sim@$c
		if [ ! -e "$dev/supplier:platform:apsim-dt-bus:sim@$s" ]; then
			ktap_print_msg "no device link sim@$c -> sim@$s"
			missing=$((missing + 1))
		fi
	done
	[ $missing = 0 ]
}

taken_by_framework() {
	[ $(($(ap_stat claimed) - claimed0)) -ge 7 ]
}

ktap_test_result "dt_overlay_devices_bound_in_dependency_order" all_bound_in_order
ktap_test_result "fw_devlink_links_from_phandles" links_from_phandles
ktap_test_result "dt_overlay_devices_probed_by_the_framework" taken_by_framework
rmmod "$MOD"
ktap_finished
