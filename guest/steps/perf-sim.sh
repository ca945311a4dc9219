#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Where the probe simulator's CPU goes, function by function: perf samples
# every CPU (the cpu-clock event, one sample each /bench/period ns a CPU
# runs, with its kernel call chain) while the workload of
# /bench/workloads.txt (NAME PARAMS) loads, /bench/reps times.  Each run's
# report (functions by the samples in them, self and with their callees),
# the uevents, interrupts and softirqs counted before and after it, and the
# simulator's result lines go to /out; scripts/perf-sim.sh reads them.
# For each function /bench/callers names, the call chains of its samples
# go there too.  Only the module's loading is recorded, not its removal.
reps=$(cat /bench/reps 2>/dev/null || echo 1)
period=$(cat /bench/period 2>/dev/null || echo 200000)
read -r name params </bench/workloads.txt
command -v perf >/dev/null || { echo "no perf in the initramfs"; exit 1; }
# perf reads kernel symbols from /proc/kallsyms, which hides them unless told.
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
: >/out/perf-sim.txt
# perf starts with its events off and is told when the module loads: its
# own start (it reads every task's maps and /proc/kallsyms) is not counted.
mkfifo /tmp/perf.ctl /tmp/perf.ack
r=0
while [ $r -lt "$reps" ]; do
	perf record -q -a -g -e cpu-clock -c "$period" -o /tmp/perf.data -D -1 \
		--control fifo:/tmp/perf.ctl,/tmp/perf.ack >/tmp/perf.log 2>&1 &
	pid=$!
	exec 3>/tmp/perf.ctl 4</tmp/perf.ack
	{ echo "uevents: $(cat /sys/kernel/uevent_seqnum)"; cat /proc/interrupts /proc/softirqs; } >/out/perf-irq-before-$r.txt
	echo enable >&3 && read -r _ <&4
	insmod /extra/async_probe_sim.ko $params || { kill -INT $pid; exit 1; }
	echo disable >&3 && read -r _ <&4
	{ echo "uevents: $(cat /sys/kernel/uevent_seqnum)"; cat /proc/interrupts /proc/softirqs; } >/out/perf-irq-after-$r.txt
	exec 3>&- 4<&-
	# Interrupted, perf writes its data and ends.
	kill -INT $pid
	wait $pid
	[ -s /tmp/perf.data ] || { cat /tmp/perf.log; exit 1; }
	echo "workload=$name run=$r $(tr '\n' ' ' </sys/kernel/debug/async_probe_sim/result)" >>/out/perf-sim.txt
	# Before the module goes: its symbols come from /proc/kallsyms.
	perf report -i /tmp/perf.data --stdio --children --sort sym -g none \
		--percent-limit 0.01 >/out/perf-report-$r.txt 2>/tmp/perf.log ||
		{ cat /tmp/perf.log; exit 1; }
	# The call chains that lead to the functions asked about.
	for sym in $(cat /bench/callers 2>/dev/null); do
		perf report -i /tmp/perf.data --stdio --no-children -S "$sym" \
			-g caller,0.5,callee --percent-limit 0.01 \
			>/out/perf-callers-$r-$sym.txt 2>/dev/null
	done
	rmmod async_probe_sim
	rm -f /tmp/perf.data
	r=$((r + 1))
done
echo "$name sampled ($reps runs, a sample each $period ns of CPU)"
