#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Which locks the probe simulator's workload waits for: the workload of
# /bench/workloads.txt (NAME PARAMS), /bench/reps times, with the lock
# contention tracepoints (lock:contention_begin and contention_end, which
# every kernel has, lockdep or not) on, and a stack trace at each
# contention's start.  The trace and the simulator's result lines go to
# /out; scripts/lock-sim.sh reads them.
t=/sys/kernel/debug/tracing
reps=$(cat /bench/reps 2>/dev/null || echo 1)
read -r name params </bench/workloads.txt
ev=$t/events/lock
[ -d $ev/contention_begin ] || { echo "no lock contention tracepoints"; exit 1; }
echo 0 >$t/tracing_on
: >$t/trace
# Per CPU: room for about 100,000 contentions and their stacks.
echo 65536 >$t/buffer_size_kb
# A wait may start on one CPU and end on another: one clock for all.
echo mono >$t/trace_clock
echo stacktrace >$ev/contention_begin/trigger
echo 1 >$ev/contention_begin/enable
echo 1 >$ev/contention_end/enable
: >/out/lock-sim.txt
r=0
while [ $r -lt "$reps" ]; do
	# Loading only: the module's removal is not what is measured.
	echo 1 >$t/tracing_on
	insmod /extra/async_probe_sim.ko $params || exit 1
	echo 0 >$t/tracing_on
	echo "workload=$name run=$r $(tr '\n' ' ' </sys/kernel/debug/async_probe_sim/result)" >>/out/lock-sim.txt
	rmmod async_probe_sim
	r=$((r + 1))
done
echo 0 >$t/tracing_on
echo 0 >$ev/contention_begin/enable
echo 0 >$ev/contention_end/enable
echo '!stacktrace' >$ev/contention_begin/trigger
cat $t/per_cpu/cpu*/stats >/out/lock-sim-buffer.txt
cat $t/trace >/out/lock-trace.txt
echo "$name traced ($reps runs, $(grep -c 'contention_begin:' /out/lock-trace.txt) contentions)"
