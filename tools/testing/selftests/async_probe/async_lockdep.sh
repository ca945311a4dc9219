#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lockdep sees async waits: a task that holds a mutex and waits for async
# calls, one of which takes that mutex, is a dependency cycle and is
# reported, inside a window declared to the harness's console judge.
# Lockdep switches itself off after a report, so this script must run
# last.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh

ktap_print_header
ktap_set_plan 1

if ! grep -q "/async_lockdep_test.ko" "/lib/modules/$(uname -r)/modules.dep" 2>/dev/null; then
	ktap_test_skip "lockdep_reports_wait_under_lock_async_calls_take (module not built)"
	ktap_finished
fi
if ! grep -q "debug_locks: *1" /proc/lockdep_stats 2>/dev/null; then
	ktap_test_skip "lockdep_reports_wait_under_lock_async_calls_take (lockdep off)"
	ktap_finished
fi

report="possible circular locking dependency detected"
echo "judge: expect-begin async-lockdep $report" >/dev/kmsg
modprobe async_lockdep_test
echo "judge: expect-end async-lockdep" >/dev/kmsg

report_names_async() {
	dmesg | grep -A30 "$report" | grep -q "async_entry" &&
		dmesg | grep -A30 "$report" | grep -q "async_lockdep_test_mutex"
}
ktap_test_result "lockdep_reports_wait_under_lock_async_calls_take" report_names_async
ktap_finished
