#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-tree users of async calls and asynchronous probing still work:
# libata probes its ports from async work and sd attaches its disks the
# same way, virtio-blk and virtio-scsi probe asynchronously, and the
# upstream async-probe test module passes.  The harness gives the guest one
# disk of each kind (AHCI, virtio-blk with serial "vblk0", virtio-scsi).

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh

# The driver bound to the device behind a block device, walking up.
driver_of() {
	local d
	d=$(readlink -f "/sys/block/$1/device")
	while [ "$d" != / ] && [ -n "$d" ]; do
		[ -L "$d/driver" ] && basename "$(readlink "$d/driver")" && return
		d=$(dirname "$d")
	done
}

# Names of the disks whose device path contains both $1 and $2.
disks_on() {
	local b p
	for b in /sys/block/*; do
		p=$(readlink -f "$b/device")
		case "$p" in *"$1"*) ;; *) continue ;; esac
		case "$p" in *"$2"*) echo "${b##*/}" ;; esac
	done
}

has_ancestor_driver() {
	local d
	d=$(readlink -f "/sys/block/$1/device")
	while [ "$d" != / ] && [ -n "$d" ]; do
		[ -L "$d/driver" ] && [ "$(basename "$(readlink "$d/driver")")" = "$2" ] && return 0
		d=$(dirname "$d")
	done
	return 1
}

check_disk() {
	local where="$1 $2" leaf=$3 host=$4 disks
	disks=$(disks_on "$1" "$2")
	if [ "$(echo "$disks" | wc -w)" -ne 1 ]; then
		ktap_print_msg "disks on $where: '$disks'"
		return 1
	fi
	if [ "$(driver_of "$disks")" != "$leaf" ]; then
		ktap_print_msg "$disks: driver $(driver_of "$disks")"
		return 1
	fi
	if ! has_ancestor_driver "$disks" "$host"; then
		ktap_print_msg "$disks: no $host above it"
		return 1
	fi
	if [ "$(cat "/sys/block/$disks/size")" -ne 32768 ]; then
		ktap_print_msg "$disks: wrong size"
		return 1
	fi
}

vblk_serial() {
	local s
	for s in /sys/block/vd*/serial; do
		[ "$(cat "$s")" = vblk0 ] && return 0
	done
	ktap_print_msg "no virtio-blk disk with serial vblk0"
	return 1
}

async_driver_probe_module() {
	local deps="/lib/modules/$(uname -r)/modules.dep"

	if ! grep -q "/test_async_driver_probe.ko" "$deps" 2>/dev/null; then
		return 2
	fi
	modprobe test_async_driver_probe && modprobe -r test_async_driver_probe
}

ktap_print_header
ktap_set_plan 4
ktap_test_result "ahci_disk_attached_by_sd" check_disk /ata /target sd ahci
ktap_test_result "virtio_scsi_disk_attached_by_sd" check_disk /virtio /target sd virtio_scsi
ktap_test_result "virtio_blk_disk_probed" vblk_serial
async_driver_probe_module
case $? in
0) ktap_test_pass "upstream_test_async_driver_probe" ;;
2) ktap_test_skip "upstream_test_async_driver_probe (module not built)" ;;
*) ktap_test_fail "upstream_test_async_driver_probe" ;;
esac
ktap_finished
