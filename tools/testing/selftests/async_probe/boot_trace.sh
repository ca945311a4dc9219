#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot-time tracing of the framework: with trace_event=async_probe:*,async:*
# on the command line, the probes made during boot are in tracefs with
# key=value fields in queue/start/end order, and a simulator graph loaded
# afterwards is traced in dependency order: every consumer starts after
# each of its suppliers ended, and every device the simulator bound has an
# end event.  The trace and the kernel log are kept in /out for bootgraph.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh
source "$DIR"/ap_lib.sh

T=/sys/kernel/tracing
ktap_print_header
if ! grep -q "trace_event=[^ ]*async_probe" /proc/cmdline; then
	ktap_skip_all "boot without trace_event=async_probe:*"
	exit "$KSFT_SKIP"
fi
if [ ! -d "$T/events/async_probe" ] || ! have_module "$SIM_MOD"; then
	ktap_skip_all "no async_probe events or simulator"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 5

boot=/tmp/boot-trace.txt
cp "$T/trace" "$boot"
mkdir -p /out
cp "$boot" /out/boot-trace.txt

# ts of EVENT for DEV in FILE ("" if none): the trace's own timestamp.
ev_ts() {
	grep " $2: dev=$3 " "$1" | head -n 1 | sed 's/.* \([0-9]*\.[0-9]*\): .*/\1/'
}

boot_probes_traced() {
	local who='dev=[^ ]+ bus=[^ ]+ drv=[^ ]+ cookie=[0-9]+'

	grep -Eq " async_probe_end: $who pid=[0-9]+ ret=-?[0-9]+ usecs=[0-9]+\$" "$boot" &&
	grep -Eq " async_probe_queue: $who deps=[^ ]+\$" "$boot"
}

# queue <= end and start <= end, for every device that has all three.  The
# start may come before the queue event: ap_queue() emits that once the
# async call is made, and a free worker may start the probe first (the
# end needs ap_lock, which ap_queue() holds).
boot_order_ok() {
	awk '
	/ async_probe_(queue|start|end): / {
		ev = $0; sub(/.* async_probe_/, "", ev); sub(/:.*/, "", ev)
		ts = $0; sub(/: async_probe_.*/, "", ts); sub(/.* /, "", ts)
		dev = $0; sub(/.* dev=/, "", dev); sub(/ .*/, "", dev)
		if (!(dev SUBSEP ev in t)) t[dev, ev] = ts
		devs[dev] = 1
	}
	END {
		for (d in devs) {
			if (!((d, "queue") in t) || !((d, "start") in t) || !((d, "end") in t))
				continue
			n++
			if (t[d, "queue"] + 0 > t[d, "end"] + 0 ||
			    t[d, "start"] + 0 > t[d, "end"] + 0)
				bad++
		}
		printf "# %d devices traced from queue to end at boot, %d out of order\n", n, bad
		exit !(n > 0 && bad == 0)
	}' "$boot"
}

GRAPH="1:0 2:1 3:1 4:2,3 5:0"
sim_trace=/tmp/sim-trace.txt
echo >"$T/trace"
sim_run n=6 graph="$GRAPH" min_us=2000 max_us=6000 seed=9
cp "$T/trace" "$sim_trace"
cp "$sim_trace" /out/sim-trace.txt

# A consumer is queued after the suppliers still probing then (its queue
# event lists them in deps=), and starts after each of those ended.  A
# supplier that had bound already is not listed: the simulator's own
# record (no probe before its suppliers bound) covers that case.
sim_traced_in_order() {
	local edge c s cs se deps bad=0 checked=0
	sim_ok || return 1
	for edge in $GRAPH; do
		c=${edge%%:*}
		deps=$(grep " async_probe_queue: dev=apsim.$c " "$sim_trace" | head -n 1 |
			sed 's/.* deps=//')
		for s in $(echo "${edge#*:}" | tr ',' ' '); do
			case ",$deps," in *",apsim.$s,"*) ;; *) continue ;; esac
			checked=$((checked + 1))
			cs=$(ev_ts "$sim_trace" async_probe_start "apsim.$c")
			se=$(ev_ts "$sim_trace" async_probe_end "apsim.$s")
			if [ -z "$cs" ] || [ -z "$se" ] ||
			   ! awk "BEGIN { exit !($cs >= $se) }"; then
				ktap_print_msg "apsim.$c started at '$cs'," \
					"its supplier apsim.$s ended at '$se'"
				bad=1
			fi
		done
	done
	ktap_print_msg "$checked dependencies checked in the trace"
	[ $bad = 0 ] && [ $checked -gt 0 ]
}

every_bound_device_ended() {
	local n
	n=$(grep -c ' async_probe_end: dev=apsim\.[0-9]* .* ret=0 ' "$sim_trace")
	[ "$n" = "$(sim bound)" ]
}

ktap_test_result "boot_probes_traced_with_key_value_fields" boot_probes_traced
ktap_test_result "boot_probes_queue_start_end_in_order" boot_order_ok
ktap_test_result "sim_graph_traced_in_dependency_order" sim_traced_in_order
ktap_test_result "every_bound_sim_device_has_an_end_event" every_bound_device_ended
sim_unload

# trace-cmd records the same events into a trace.dat (read by bootgraph
# on the host), with the clock printk uses.
trace_cmd_records() {
	trace-cmd record -q -C perf -e async_probe -e async -o /out/sim.dat \
		modprobe "$SIM_MOD" n=6 graph="$GRAPH" min_us=2000 max_us=6000 seed=9 \
		>/tmp/trace-cmd.log 2>&1 || { cat /tmp/trace-cmd.log; return 1; }
	sim_unload
	[ -s /out/sim.dat ]
}
if command -v trace-cmd >/dev/null; then
	ktap_test_result "trace_cmd_records_the_probes" trace_cmd_records
else
	ktap_test_skip "trace_cmd_records_the_probes (no trace-cmd in the initramfs)"
fi
ktap_finished
