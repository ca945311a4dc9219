#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Which name each disk got: "name serial" per block device, in
# /out/disks.txt (the benchmark compares them across probe modes).
for b in /sys/block/*; do
	n=${b##*/}
	case $n in loop*|ram*) continue ;; esac
	s=$(cat "$b/serial" 2>/dev/null || cat "$b/device/serial" 2>/dev/null ||
	    cat "$b/device/wwid" 2>/dev/null || cat "$b/device/model" 2>/dev/null)
	echo "$n $(echo $s)"
done | tee /out/disks.txt
