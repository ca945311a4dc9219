#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dependencies that come only from a device tree, as on ARM boards: the
# async_probe_sim_dt module applies an overlay of seven devices whose
# "-supply" phandles fw_devlink turns into device links (one of them
# names a device that appears later), and the probes must follow them.
# The driver core enforces the order by itself (a link defers a consumer
# whose supplier is not bound); the framework's part is to start no probe
# the driver core must defer.  From the framework's tracepoints: every
# deferral must be fw_devlink's "wait for supplier" (the supplier has no
# device yet: the overlay's devices are created consumers first), or a
# link to a supplier that was not in flight when the consumer was queued,
# or one whose probe the consumer was queued after (and which then did
# not bind).  A deferral whose reason was lost (the driver core's
# deferred-probe work clears a device's reason when it takes the device
# for a retry, which can happen before the framework's tracepoint reads
# it) is judged by the overlay's edges instead: none of the device's
# suppliers may have been in flight, and not waited for, when it was
# queued.  Each device binds in one attempt that is not a deferral.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh
source "$DIR"/ap_lib.sh

MOD=async_probe_sim_dt_mod
# The overlay's supply phandles, consumer:supplier (sim@C needs sim@S).
EDGES="1:0 2:1 3:2 3:4 4:0 6:5"
ktap_print_header
if ! have_module "$MOD"; then
	ktap_skip_all "$MOD not built (CONFIG_OF_OVERLAY?)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 4

T=/sys/kernel/tracing
EVS="async_probe_queue async_probe_end async_probe_defer"
traced=0
if [ -w "$T/events/async_probe/async_probe_defer/enable" ]; then
	echo 0 >"$T/tracing_on"
	: >"$T/trace"
	for e in $EVS; do echo 1 >"$T/events/async_probe/$e/enable"; done
	echo 1 >"$T/tracing_on"
	traced=1
fi
claimed0=$(ap_stat claimed)
att0=$(ap_stat attempts_all)
def0=$(ap_stat defers_all)
modprobe "$MOD"
att=$(($(ap_stat attempts_all) - att0))
def=$(($(ap_stat defers_all) - def0))
if [ $traced = 1 ]; then
	echo 0 >"$T/tracing_on"
	for e in $EVS; do echo 0 >"$T/events/async_probe/$e/enable"; done
	grep -e 'async_probe_queue:' -e 'async_probe_end:' -e 'async_probe_defer:' \
		"$T/trace" >/tmp/dt_overlay.trace
fi
line=$(dmesg | grep 'async_probe_sim_dt: done' | tail -n 1)
ktap_print_msg "$line"
ktap_print_msg "driver-core attempts $att, deferrals $def for 7 devices"

all_bound_in_order() {
	[[ "$line" == *"n=7 bound=7 suppliers=6 violations=0"* ]] &&
		[ $((att - def)) = 7 ]
}

# Replay the events: which devices were in flight when each was queued,
# and after which devices' probes it was queued (deps=).
only_unavoidable_deferrals() {
	awk -v edges="$EDGES" '
	BEGIN {
		n = split(edges, e, " ")
		for (i = 1; i <= n; i++) {
			split(e[i], cs, ":")
			sup["apsim-dt-bus:sim@" cs[1]] = sup["apsim-dt-bus:sim@" cs[1]] \
				" apsim-dt-bus:sim@" cs[2]
		}
	}
	function field(k,   i) {
		for (i = 1; i <= NF; i++)
			if (index($i, k "=") == 1)
				return substr($i, length(k) + 2)
		return ""
	}
	/async_probe_queue:/ {
		d = field("dev")
		deps[d] = "," field("deps") ","
		snap[d] = " "
		for (x in busy)
			if (busy[x])
				snap[d] = snap[d] x " "
		busy[d] = 1
	}
	/async_probe_end:/ { busy[field("dev")] = 0 }
	/async_probe_defer:/ {
		d = field("dev"); r = field("reason")
		if (r ~ /_wait_for_supplier_/)
			next
		if (match(r, /_supplier_.*_not_ready$/)) {
			x = substr(r, RSTART + 10, RLENGTH - 20)
			if (index(snap[d], " " x " ") && !index(deps[d], "," x ",")) {
				print "# " d " deferred on " x ", in flight when it was queued"
				bad++
			}
		} else if (r == "probe") {
			# The reason was lost: see above.
			m = split(sup[d], ss, " "); lost = 0
			for (i = 1; i <= m; i++)
				if (index(snap[d], " " ss[i] " ") &&
				    !index(deps[d], "," ss[i] ",")) {
					print "# " d " deferred (reason lost); " ss[i] \
					      " was in flight when it was queued"
					lost++
				}
			if (!lost)
				print "# " d " deferred (reason lost); every supplier" \
				      " in flight when it was queued was waited for"
			bad += lost
		} else {
			print "# " d " deferred: " r
			bad++
		}
	}
	END { exit bad > 0 }' /tmp/dt_overlay.trace
}

# fw_devlink made a device link for each of the six phandles: every
# consumer has a supplier:<dev> entry for each device its phandles name.
links_from_phandles() {
	local c s dev missing=0
	for edge in $EDGES; do
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
if [ $traced = 1 ]; then
	ktap_test_result "dt_overlay_no_avoidable_deferral" only_unavoidable_deferrals
else
	ktap_test_skip "dt_overlay_no_avoidable_deferral (no tracefs)"
fi
ktap_test_result "fw_devlink_links_from_phandles" links_from_phandles
ktap_test_result "dt_overlay_devices_probed_by_the_framework" taken_by_framework
rmmod "$MOD"
ktap_finished
