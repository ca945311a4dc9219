#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The async tracepoints work from tracefs: loading a module whose driver
# probes asynchronously produces async_queue, async_run and async_finish
# events with key=value fields, in that order for every cookie, and the
# module loader's wait shows as async_wait_begin/async_wait_end.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh

T=/sys/kernel/tracing
MOD=test_async_driver_probe

ktap_print_header
if [ ! -d "$T/events/async" ]; then
	ktap_skip_all "no async events in $T"
	exit "$KSFT_SKIP"
fi
if ! grep -q "/$MOD.ko" "/lib/modules/$(uname -r)/modules.dep" 2>/dev/null; then
	ktap_skip_all "$MOD not built"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 4

echo 0 >"$T/tracing_on"
echo >"$T/trace"
echo 1 >"$T/events/async/enable"
echo 1 >"$T/tracing_on"
modprobe "$MOD"
echo 0 >"$T/tracing_on"
modprobe -r "$MOD"
echo 0 >"$T/events/async/enable"
trace=$(mktemp)
grep -E ' async_[a-z_]+: ' "$T/trace" >"$trace"

fields_ok() {
	local cf='cookie=[0-9]+ func=[^ ]+'

	grep -Eq "async_queue: $cf ndeps=[0-9]+ pending=[0-9]+ sync=[01] deps=" "$trace" &&
	grep -Eq 'async_run: cookie=[0-9]+ func=[^ ]+$' "$trace" &&
	grep -Eq 'async_finish: cookie=[0-9]+ func=[^ ]+ usecs=[0-9]+$' "$trace"
}

# For every cookie: queue, then run, then finish, each exactly once.
order_ok() {
	awk '{
		ev = ""; c = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^async_(queue|run|finish):$/) ev = $i
			if ($i ~ /^cookie=/) c = substr($i, 8)
		}
		if (ev == "" || c == "") next
		n++
		if (ev == "async_queue:") { if (st[c] != "") bad++; st[c] = "q" }
		else if (ev == "async_run:") { if (st[c] != "q") bad++; st[c] = "r" }
		else { if (st[c] != "r") bad++; st[c] = "f"; done++ }
	}
	END {
		for (c in st) if (st[c] != "f") bad++
		printf "# %d events, %d calls finished, %d out of order\n", n, done, bad
		exit !(n > 0 && done > 0 && bad == 0)
	}' "$trace"
}

# The probes run as async calls: the driver core's helpers, or the
# framework's (async_probe=on, the default).
probe_calls_traced() {
	local helpers="__driver_attach_async_helper|__device_attach_async_helper|ap_probe_fn"

	grep -Eq "async_run: .*func=($helpers)" "$trace"
}

waits_traced() {
	grep -Eq 'async_wait_begin: kind=(full|cookie|one) cookie=[0-9]+' "$trace" &&
	grep -Eq 'async_wait_end: kind=(full|cookie|one) cookie=[0-9]+ usecs=[0-9]+' "$trace"
}

ktap_test_result "async_events_have_key_value_fields" fields_ok
ktap_test_result "every_call_queued_run_finished_in_order" order_ok
ktap_test_result "async_probe_helpers_traced" probe_calls_traced
ktap_test_result "waits_traced" waits_traced
rm -f "$trace"
ktap_finished
