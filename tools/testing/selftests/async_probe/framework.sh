#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The async_probe framework in its default mode, driven by the probe
# simulator: random dependency graphs on both attach paths, explicit
# graphs, failures, deferrals, per-driver opt-in, and its parameters.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh
source "$DIR"/ap_lib.sh

ktap_print_header
if [ ! -d "$AP_DBG" ]; then
	ktap_skip_all "no $AP_DBG (CONFIG_ASYNC_PROBE off?)"
	exit "$KSFT_SKIP"
fi
if ! have_module "$SIM_MOD"; then
	ktap_skip_all "$SIM_MOD not built"
	exit "$KSFT_SKIP"
fi
if [ "$(ap_stat mode)" != on ]; then
	ktap_skip_all "mode is $(ap_stat mode), these tests want on"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 23

# Random DAGs, several seeds, both attach paths: every device binds, and
# the framework scheduled them so that the driver core deferred none of
# them and tried each exactly once (attempts_all and defers_all count
# every attempt the driver core makes; stock async probing defers the
# consumers it starts too early).  Registered before their driver, they
# also ran in parallel (added one by one after it, a slow debug kernel
# may probe each before the next).
random_dag() {
	local claimed0 att0 def0
	claimed0=$(ap_stat claimed)
	att0=$(ap_stat attempts_all)
	def0=$(ap_stat defers_all)
	sim_run n=64 seed="$1" k=2 p=50 min_us=500 max_us=2000 order="$2" timeout_s=30 ||
		return 1
	sim_ok && [ $(($(ap_stat claimed) - claimed0)) -ge 64 ] &&
		[ "$(sim_bound_in_sysfs)" = 64 ] &&
		[ $(($(ap_stat attempts_all) - att0)) = 64 ] &&
		[ $(($(ap_stat defers_all) - def0)) = 0 ] && [ "$(sim attempts)" = 64 ] &&
		{ [ "$2" = driver ] || [ "$(sim max_parallel)" -gt 1 ]; }
}
for s in 1 2 3; do
	ktap_test_result "random_dag_seed_${s}_driver_attach" random_dag "$s" devices
done
ktap_test_result "random_dag_seed_4_device_add" random_dag 4 driver

# A deferral storm: 256 devices whose probes defer until up to two earlier
# devices are bound, with no device link to tell anyone.  Every retry is
# the driver core's deferred-probe machinery, and every device must end
# bound: a retry that arrives while the device's own deferring probe is
# still in flight in the framework must not be lost.  Several graphs.
hidden_storm() {
	sim_run n=256 seed="$1" k=2 p=50 min_us=2000 max_us=5000 links=0 hidden=1 \
		order="$2" timeout_s=20 || return 1
	sim_ok && [ "$(sim expected)" = 256 ] && [ "$(sim_bound_in_sysfs)" = 256 ]
}
for s in 11 12 13 14 15; do
	ktap_test_result "hidden_deps_storm_seed_${s}_binds_all" hidden_storm "$s" devices
done
ktap_test_result "hidden_deps_storm_seed_16_device_add_binds_all" hidden_storm 16 driver

# An explicit chain 0 <- 1 <- 2 <- 3 plus 4 after 0 and 3: the wall time
# cannot beat the chain, and a consumer never starts early.
explicit_graph() {
	sim_run n=5 graph="1:0 2:1 3:2 4:0,3" \
		times="0:20000 1:20000 2:20000 3:20000 4:20000" || return 1
	sim_ok && [ "$(sim critical_us)" = 100000 ] && [ "$(sim wall_us)" -ge 100000 ]
}
ktap_test_result "explicit_graph_is_respected" explicit_graph

# A supplier that fails: it and its consumers stay unbound, the rest bind.
failing_supplier() {
	sim_run n=6 graph="1:0 2:1 3:0 5:4" fail=1 min_us=100 max_us=200 || return 1
	# 1 fails, so 2 cannot bind: 4 of 6 bind.
	sim_ok && [ "$(sim expected)" = 4 ] && [ "$(sim_bound_in_sysfs)" = 4 ]
}
ktap_test_result "failing_supplier_leaves_only_its_consumers_unbound" failing_supplier

# A supplier that defers binds in the end, and so do its consumers,
# through the deferred-probe path: a later bind (devices 5..11 are slower)
# triggers the retry, as upstream does.  (Deferring once keeps this
# deterministic: a device deferring again after the last bind in the
# system waits for the next one, with or without the framework.)
deferring_supplier() {
	sim_run n=12 graph="1:0 2:1 3:1 4:3" defer="1:1" min_us=20000 max_us=40000 \
		times="0:100 1:100 2:100 3:100 4:100" timeout_s=30 || return 1
	sim_ok && [ "$(sim injected_defers)" = 1 ] && [ "$(sim_bound_in_sysfs)" = 12 ]
}
ktap_test_result "deferring_supplier_binds_with_its_consumers" deferring_supplier

# A driver that does not ask for asynchronous probing is left alone...
default_driver_is_sync() {
	local claimed0
	claimed0=$(ap_stat claimed)
	sim_run n=8 probe_type=default min_us=1000 max_us=1000 || return 1
	sim_ok && [ "$(sim max_parallel)" = 1 ] && [ "$(ap_stat claimed)" = "$claimed0" ]
}
ktap_test_result "default_probe_type_stays_synchronous" default_driver_is_sync

# ...unless <module>.async_probe asks for it.
module_param_opts_in() {
	local claimed0
	claimed0=$(ap_stat claimed)
	sim_run n=8 probe_type=default async_probe=1 min_us=3000 max_us=3000 || return 1
	sim_ok && [ "$(sim max_parallel)" -gt 1 ] &&
		[ $(($(ap_stat claimed) - claimed0)) -ge 8 ]
}
ktap_test_result "module_async_probe_param_opts_in" module_param_opts_in

# max_active limits the probes running at once, and can change at run time.
max_active_limits() {
	local P=/sys/module/async_probe/parameters/max_active ok=0
	echo 2 >"$P" || return 1
	sim_run n=16 min_us=2000 max_us=2000 links=0 && sim_ok &&
		[ "$(sim max_parallel)" -le 2 ] && ok=1
	echo 0 >"$P"
	[ $ok = 1 ]
}
ktap_test_result "max_active_limits_parallel_probes" max_active_limits

# Garbage written to the parameters is refused and changes nothing.
garbage_params_refused() {
	local D=/sys/module/async_probe/parameters bad=0
	for kv in "max_active=-3" "max_active=lots" "hung_timeout=1e9" "debug=maybe" \
		  "history=2000000"; do
		if echo "${kv#*=}" >"$D/${kv%%=*}" 2>/dev/null; then
			ktap_print_msg "$kv accepted"
			bad=1
		fi
	done
	[ $bad = 0 ] && [ "$(cat $D/max_active)" = 0 ] && [ "$(cat $D/hung_timeout)" = 30 ] &&
		[ "$(cat $D/history)" = 16384 ]
}
ktap_test_result "garbage_parameter_writes_are_refused" garbage_params_refused

# Unbinding and rebinding through sysfs goes back through the driver core.
unbind_rebind() {
	local drv=/sys/bus/platform/drivers/apsim
	sim_run n=4 graph="1:0 2:1 3:2" min_us=100 max_us=100 || return 1
	echo apsim.3 >"$drv/unbind" && echo apsim.2 >"$drv/unbind" || return 1
	[ "$(sim_bound_in_sysfs)" = 2 ] || return 1
	echo apsim.2 >"$drv/bind" && echo apsim.3 >"$drv/bind" || return 1
	[ "$(sim_bound_in_sysfs)" = 4 ]
}
ktap_test_result "unbind_and_rebind_through_sysfs" unbind_rebind

# A probe running past async_probe.hung_timeout is reported once, with
# its stack, and left to finish.  The report is declared to the console
# judge, which requires it inside the window and fails on any other.
hung_probe_reported() {
	local P=/sys/module/async_probe/parameters/hung_timeout h0 ok=0
	local report="async_probe: probe of apsim.0 \(driver apsim\) has been running"

	h0=$(ap_stat hung)
	echo 1 >"$P" || return 1
	echo "judge: expect-begin hung-probe $report" >/dev/kmsg
	sim_run n=2 hang=0 hang_ms=3000 min_us=100 max_us=100 && sim_ok && ok=1
	echo "judge: expect-end hung-probe" >/dev/kmsg
	echo 30 >"$P"
	[ $ok = 1 ] && [ $(($(ap_stat hung) - h0)) = 1 ] &&
		dmesg | grep -q "async_probe: probe of apsim.0 (driver apsim) has been running for"
}
ktap_test_result "hung_probe_reported_not_killed" hung_probe_reported

# The framework's barriers show in the async_probe_wait tracepoint:
# removing the simulator's driver waits for its probes ("driver").
barrier_traced() {
	local T=/sys/kernel/tracing ev=/sys/kernel/tracing/events/async_probe/async_probe_wait
	local ok=0

	[ -d "$ev" ] || return 1
	sim_run n=4 min_us=100 max_us=100 || return 1
	echo 0 >"$T/tracing_on" && echo >"$T/trace" && echo 1 >"$ev/enable" &&
		echo 1 >"$T/tracing_on" || return 1
	sim_unload
	echo 0 >"$T/tracing_on"
	echo 0 >"$ev/enable"
	grep -Eq 'async_probe_wait: what=driver usecs=[0-9]+$' "$T/trace" && ok=1
	echo >"$T/trace"
	[ $ok = 1 ]
}
ktap_test_result "driver_removal_barrier_traced" barrier_traced

# The plan of a hidden-dependency storm, device by device against the
# simulator's graph (plan_check, ap_lib.sh); plan.sh checks a 128-device
# one, which the trace boot then replays.
plan_hidden() {
	sim_run n="$1" seed="$2" k=2 p=50 min_us=500 max_us=2000 links=0 hidden=1 \
		timeout_s=20 && sim_ok && plan_check "$1"
}
ktap_test_result "plan_names_a_hidden_supplier_64_devices" plan_hidden 64 21

# debugfs graph.dot: one box per probe the framework ran, in the order
# they ended, with an edge from each supplier it was queued after; and no
# more boxes than async_probe.history, the probes beyond counted.  A chain
# 0 <- 1 <- 2 <- 3 and 4 after 0 and 3; device 0 takes 200 ms, so every
# supplier is in flight when its consumer is claimed.  Room is left for
# exactly these five probes.
graph_lines() {	# the lines of graph.dot after its first $1 boxes
	awk -v skip="$1" '/\[label=/ { n++ } n > skip' "$AP_DBG/graph.dot"
}
graph_boxes() {
	grep -c '\[label=' "$AP_DBG/graph.dot"
}
graph_dropped() {
	sed -n 's|^\t/\* \([0-9]*\) probes not recorded \*/$|\1|p' "$AP_DBG/graph.dot" |
		grep . || echo 0
}
graph_recorded() {
	local P=/sys/module/async_probe/parameters/history g=/tmp/graph.new
	local b0 d0 p0 e ok=1

	b0=$(graph_boxes)
	p0=$(ap_stat probes)
	echo $((b0 + 5)) >"$P" || return 1
	sim_run n=5 graph="1:0 2:1 3:2 4:0,3" \
		times="0:200000 1:1000 2:1000 3:1000 4:1000" && sim_ok || ok=0
	graph_lines "$b0" >"$g"
	[ "$(grep -c '\[label=' "$g")" = 5 ] && [ $(($(ap_stat probes) - p0)) = 5 ] &&
		[ "$(grep -c ' -> ' "$g")" = 5 ] || ok=0
	for e in 0:1 1:2 2:3 0:4 3:4; do
		grep -qF "\"apsim.${e%:*}\" -> \"apsim.${e#*:}\";" "$g" || ok=0
	done
	grep -q '"apsim.4" \[label="apsim.4\\napsim\\n@[0-9.]* ms +[0-9.]* ms\\nret=0"\];' "$g" ||
		ok=0
	[ $ok = 1 ] || ktap_print_msg "graph.dot: $(tr '\n' ' ' <"$g")"

	# Full: the next three probes are counted, not kept.
	d0=$(graph_dropped)
	sim_run n=3 min_us=100 max_us=100 links=0 && sim_ok || ok=0
	echo 16384 >"$P"
	[ $ok = 1 ] && [ "$(graph_boxes)" = $((b0 + 5)) ] &&
		[ "$(graph_dropped)" = $((d0 + 3)) ]
}
ktap_test_result "graph_dot_records_every_probe_and_its_suppliers" graph_recorded

sim_unload
# Nothing is left parked, queued or running.
nothing_pending() {
	[ ! -s "$AP_DBG/pending" ] && [ "$(ap_stat inflight)" = 0 ]
}
ktap_test_result "nothing_left_pending" nothing_pending
ktap_finished
