#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a plain boot shows: kernel, CPUs, every bound device, and the probe
# plan the kernel wrote.
echo "kernel $(uname -r), $(nproc) CPUs, up $(cut -d' ' -f1 /proc/uptime) s"
for d in /sys/bus/*/devices/*; do
	[ -L "$d/driver" ] || continue
	bus=${d#/sys/bus/}; bus=${bus%%/*}
	printf 'bound %s %s %s\n' "$bus" "${d##*/}" "$(basename "$(readlink "$d/driver")")"
done >/out/bound.txt
echo "$(wc -l </out/bound.txt) devices bound"
# The probe plan this boot wrote, for make run's second boot.
cat /sys/kernel/debug/async_probe/plan >/out/async_probe.plan 2>/dev/null ||
	rm -f /out/async_probe.plan
ls /sys/block | grep -v '^loop' | tr '\n' ' '; echo
