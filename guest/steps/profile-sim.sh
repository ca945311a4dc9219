#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Profile the probe simulator with ftrace's function profiler: for the
# workload of /bench/workloads.txt (NAME PARAMS), /bench/reps times, count
# calls and time (callees included) of the functions /bench/filter names
# (set_ftrace_filter patterns), and keep the per-CPU tables and the
# simulator's result lines in /out.  With /bench/cpu-only, the time a
# task slept or waited for a CPU is left out.
t=/sys/kernel/debug/tracing
reps=$(cat /bench/reps 2>/dev/null || echo 1)
read -r name params </bench/workloads.txt
[ -w $t/function_profile_enabled ] || { echo "no function profiler"; exit 1; }
echo 1 >$t/options/graph-time 2>/dev/null
if [ -e /bench/cpu-only ]; then
	echo 0 >$t/options/sleep-time || { echo "no sleep-time option"; exit 1; }
fi
: >$t/set_ftrace_filter
while read -r f; do
	echo "$f" >>$t/set_ftrace_filter 2>/dev/null || echo "filter: no $f"
done </bench/filter
echo "$(wc -l <$t/set_ftrace_filter) functions profiled"
: >/out/profile-sim.txt
echo 0 >$t/function_profile_enabled
echo 1 >$t/function_profile_enabled
r=0
while [ $r -lt "$reps" ]; do
	insmod /extra/async_probe_sim.ko $params || exit 1
	echo "workload=$name run=$r $(tr '\n' ' ' </sys/kernel/debug/async_probe_sim/result)" >>/out/profile-sim.txt
	rmmod async_probe_sim
	r=$((r + 1))
done
echo 0 >$t/function_profile_enabled
for f in $t/trace_stat/function*; do
	cp "$f" "/out/$(basename "$f").txt"
done
echo "$name profiled ($reps runs)"
