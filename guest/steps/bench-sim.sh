#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the probe simulator over the workloads of /bench/workloads.txt
# (one line each: NAME PARAMS...), /bench/reps times, and keep each run's
# result in /out/bench-sim.txt, with the driver core's probe attempts and
# deferrals from the framework's counters where the kernel has them, and
# the CPU time the whole guest spent busy while the module loaded (device
# registration included), from /proc/stat, and what a replayed probe plan
# did (devices matched, learned suppliers waited for, deferrals avoided,
# planned probes that deferred all the same).  With /bench/dump-plans, the
# probe plan after the first run of each workload (but those named
# stale*) is kept as /out/plan-NAME.txt (make bench-plan).  A workload parameter
# ap_max_active=N is not the simulator's: async_probe.max_active is N
# while that workload runs.
reps=$(cat /bench/reps 2>/dev/null || echo 3)
stats=/sys/kernel/debug/async_probe/stats
mode=$(sed -n 's/^mode: //p' $stats 2>/dev/null)
mode=${mode:-stock-kernel}
stat() { sed -n "s/^$1: //p" $stats 2>/dev/null; }
# Busy time of all CPUs in USER_HZ ticks (10 ms): all but idle and iowait.
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
: >/out/bench-sim.txt
while read -r name params; do
	case "$name" in ''|'#'*) continue ;; esac
	limit=
	case " $params " in *" ap_max_active="*)
		limit=${params##*ap_max_active=}; limit=${limit%% *}
		params=$(echo "$params" | sed 's/ap_max_active=[0-9]*//')
		old_limit=$(cat /sys/module/async_probe/parameters/max_active)
		echo "$limit" >/sys/module/async_probe/parameters/max_active ;;
	esac
	r=0
	while [ $r -lt "$reps" ]; do
		a0=$(stat attempts_all) d0=$(stat defers_all) b0=$(busy)
		m0=$(stat plan_matched) w0=$(stat plan_waits) v0=$(stat plan_avoided)
		f0=$(stat plan_deferred)
		if insmod /extra/async_probe_sim.ko $params; then
			b1=$(busy)
			a1=$(stat attempts_all) d1=$(stat defers_all)
			extra="cpu_ms=$(((b1 - b0) * 10)) cpus=$(nproc)${limit:+ max_active=$limit}"
			[ -n "$a0" ] && extra="$extra core_attempts=$((a1 - a0)) core_defers=$((d1 - d0))"
			# What a replayed plan did in this run (make bench-plan).
			if [ -n "$m0" ]; then
				m1=$(stat plan_matched) w1=$(stat plan_waits)
				v1=$(stat plan_avoided) f1=$(stat plan_deferred)
				extra="$extra plan_matched=$((m1 - m0)) plan_waits=$((w1 - w0))"
				extra="$extra plan_avoided=$((v1 - v0)) plan_deferred=$((f1 - f0))"
			fi
			echo "workload=$name mode=$mode run=$r $extra" \
				"$(tr '\n' ' ' </sys/kernel/debug/async_probe_sim/result)" >>/out/bench-sim.txt
			case $r,$name in 0,stale*) ;; 0,*)
				[ -f /bench/dump-plans ] &&
					cat /sys/kernel/debug/async_probe/plan >"/out/plan-$name.txt" ;;
			esac
			rmmod async_probe_sim
		else
			echo "workload=$name mode=$mode run=$r failed=1" >>/out/bench-sim.txt
		fi
		r=$((r + 1))
	done
	[ -n "$limit" ] && echo "$old_limit" >/sys/module/async_probe/parameters/max_active
	echo "$name done ($mode)"
done </bench/workloads.txt
