#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What a plain boot shows: kernel, CPUs, and every bound device.
echo "kernel $(uname -r), $(nproc) CPUs, up $(cut -d' ' -f1 /proc/uptime) s"
for d in /sys/bus/*/devices/*; do
	[ -L "$d/driver" ] || continue
	bus=${d#/sys/bus/}; bus=${bus%%/*}
	printf 'bound %s %s %s\n' "$bus" "${d##*/}" "$(basename "$(readlink "$d/driver")")"
done >/out/bound.txt
echo "$(wc -l </out/bound.txt) devices bound"
ls /sys/block | grep -v '^loop' | tr '\n' ' '; echo
