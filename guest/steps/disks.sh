#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Which name each disk got: "name serial" per block device, in
# /out/disks.txt (the benchmark compares them across probe modes).
#
# The USB devices enumerate last (hub_wq, once the xHCI probe is done, and
# usb-storage scans its disk after delay_use, 1 s), and this step may run
# before: with "disks_wait=HID,SD" on the kernel command line (make
# bench-real) it first waits, 20 s at most, until HID HID devices are bound
# and SD sd disks are registered, or the log the benchmark reads would end
# before the boot's last probe.
hid_count() { ls -d /sys/bus/hid/devices/*/driver 2>/dev/null | wc -l; }
sd_count() { ls -d /sys/block/sd* 2>/dev/null | wc -l; }
for arg in $(cat /proc/cmdline); do
	case $arg in disks_wait=*) wait=${arg#disks_wait=} ;; esac
done
if [ -n "${wait:-}" ]; then
	hid=${wait%,*} sd=${wait#*,} i=0
	while { [ "$(hid_count)" -lt "$hid" ] || [ "$(sd_count)" -lt "$sd" ]; } &&
	      [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 200 ] ||
		echo "disks: after 20 s, $(hid_count) of $hid HID devices bound, $(sd_count) of $sd sd disks" >&2
	# A disk shows in sysfs from inside its probe; let the probe end.
	sleep 0.2
fi
for b in /sys/block/*; do
	n=${b##*/}
	case $n in loop*|ram*) continue ;; esac
	s=$(cat "$b/serial" 2>/dev/null || cat "$b/device/serial" 2>/dev/null ||
	    cat "$b/device/wwid" 2>/dev/null || cat "$b/device/model" 2>/dev/null)
	echo "$n $(echo $s)"
done | tee /out/disks.txt
# The probe plan this boot wrote, for a boot that replays it.
cat /sys/kernel/debug/async_probe/plan >/out/async_probe.plan 2>/dev/null ||
	rm -f /out/async_probe.plan
