#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lockdep sees async waits: an async call that waits for a later call is
# reported (it can deadlock), inside a window declared to the harness's
# console judge.  Lockdep switches itself off after a report, so this
# script must run last.

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh

ktap_print_header
ktap_set_plan 1

if ! grep -q "/async_lockdep_test.ko" "/lib/modules/$(uname -r)/modules.dep" 2>/dev/null; then
	ktap_test_skip "lockdep_reports_wait_for_later_call (module not built)"
	ktap_finished
fi
if ! grep -q "debug_locks: *1" /proc/lockdep_stats 2>/dev/null; then
	ktap_test_skip "lockdep_reports_wait_for_later_call (lockdep off)"
	ktap_finished
fi

echo "judge: expect-begin async-lockdep possible recursive locking detected" >/dev/kmsg
modprobe async_lockdep_test
echo "judge: expect-end async-lockdep" >/dev/kmsg

report_names_async() {
	dmesg | grep -A12 "possible recursive locking detected" | grep -q "async_entry"
}
ktap_test_result "lockdep_reports_wait_for_later_call" report_names_async
ktap_finished
