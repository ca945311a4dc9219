#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-real: boot a q35 machine full of emulated devices whose
# drivers ship in the kernel (virtio-blk x8, AHCI x3, NVMe, xHCI with USB
# storage, keyboard and tablet, virtio-scsi, virtio-net x2, e1000e) with
# the lean kernel in the modes sync, stock, on and all, on again with the
# probe plan the on boot before it wrote (a second boot: lean-on-replay,
# boot r replays the plan of lean-on's boot r), and the stock kernel as
# shipped and with driver_async_probe=*, REPS times each.
# Reports the time from kernel start to the last successful probe and to
# /init (median and spread), probes and deferrals, and whether the disk
# names match the synchronous boot's; writes out/bench-real.{md,json}
# and the bootgraph SVG of the fastest and slowest configuration.
#
#   REPS=n          boots per configuration (default 3)
#   CONFIGS="..."   a subset of: lean-sync lean-stock lean-on lean-on-replay
#                   lean-all stock-kernel stock-kernel-async-all (default:
#                   all seven; lean-on-replay needs lean-on)
set -eu
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-3}
ALL_CONFIGS="lean-sync lean-stock lean-on lean-on-replay lean-all stock-kernel stock-kernel-async-all"
CONFIGS=${CONFIGS:-$ALL_CONFIGS}
for c in $CONFIGS; do
	[[ " $ALL_CONFIGS " == *" $c "* ]] || die "CONFIGS: unknown configuration '$c' ($ALL_CONFIGS)"
done
[[ " $CONFIGS " != *" lean-on-replay "* || " $CONFIGS " == *" lean-on "* ]] ||
	die "CONFIGS: lean-on-replay replays the plans of lean-on's boots: add lean-on"
disks=$BUILD/disks
mkdir -p "$disks"
q=()
for i in 0 1 2 3 4 5 6 7; do
	[ -f "$disks/vb$i.img" ] || truncate -s 16M "$disks/vb$i.img"
	q+=(-drive "file=$disks/vb$i.img,if=none,format=raw,id=vb$i"
	    -device "virtio-blk-pci,drive=vb$i,serial=vblk-$i")
done
for i in 1 2; do
	[ -f "$disks/ah$i.img" ] || truncate -s 16M "$disks/ah$i.img"
	q+=(-drive "file=$disks/ah$i.img,if=none,format=raw,id=ah$i"
	    -device "ide-hd,drive=ah$i,bus=ide.$i,serial=ahci-$i")
done
for d in nv0 us0; do [ -f "$disks/$d.img" ] || truncate -s 16M "$disks/$d.img"; done
q+=(-drive "file=$disks/nv0.img,if=none,format=raw,id=nv0" -device "nvme,drive=nv0,serial=nvme-0"
    -device qemu-xhci,id=xhci
    -drive "file=$disks/us0.img,if=none,format=raw,id=us0"
    -device "usb-storage,bus=xhci.0,drive=us0,serial=usbstor-0"
    -device usb-kbd,bus=xhci.0 -device usb-tablet,bus=xhci.0
    -netdev user,id=n0 -device virtio-net-pci,netdev=n0
    -netdev user,id=n1 -device virtio-net-pci,netdev=n1
    -netdev user,id=n2 -device e1000e,netdev=n2)
QARGS="${q[*]}"

flavours=lean
if [[ " $CONFIGS " == *" stock-kernel"* ]]; then
	"$TOP/scripts/tree.sh" stock
	flavours="lean stock"
fi
for flavour in $flavours; do
	"$TOP/scripts/kernel.sh" $flavour
	"$TOP/scripts/initramfs.sh" $flavour
done

# disks_wait: the guest waits for the keyboard's and the tablet's HID
# devices and the five sd disks (virtio-scsi, AHCI x3, USB storage): the
# USB ones come last, and the log must not end before them.
CMD="initcall_debug loglevel=5 log_buf_len=16M disks_wait=2,5"
run() {	# NAME FLAVOUR CMDLINE [REPLAY]: REPLAY, boot r replays that config's r plan
	local r initrd
	[[ " $CONFIGS " == *" $1 "* ]] || return 0
	say "bench-real: $1 ($REPS boots)"
	for r in $(seq 1 "$REPS"); do
		initrd=()
		if [ -n "${4:-}" ]; then
			initrd=(-I "$BUILD/initramfs/bench-real-$1-$r.cpio")
			[ -s "$OUT/bench-real-$4-$r/guest/async_probe.plan" ] ||
				warn "the $4 boot $r wrote no plan: the $1 boot $r replays none"
			plan_initramfs "$OUT/bench-real-$4-$r/guest/async_probe.plan" \
				"$BUILD/initramfs/$2.cpio" "${initrd[1]}"
		fi
		# A boot that does not end (stock 6.12 with driver_async_probe=*
		# once hung in poweroff) is left out of the table, not fatal.
		if ! "$TOP/scripts/boot.sh" -n "bench-real-$1-$r" -s disks -t 300 -q "$QARGS" \
			"${initrd[@]}" -c "$CMD $3" "$2" >/dev/null; then
			warn "the $1 boot $r failed and is left out (out/bench-real-$1-$r/console.log)"
			continue
		fi
		python3 "$TOP/scripts/judge.py" "$OUT/bench-real-$1-$r/console.log" >&2 ||
			warn "the $1 boot $r was not clean"
	done
}
run lean-sync lean "async_probe=sync"
run lean-stock lean "async_probe=stock"
run lean-on lean "async_probe=on"
run lean-on-replay lean "async_probe=on async_probe.plan=replay" lean-on
run lean-all lean "async_probe=all"
run stock-kernel stock ""
run stock-kernel-async-all stock "driver_async_probe=*"

# shellcheck disable=SC2086 # one word per configuration
python3 "$TOP/scripts/bench_table.py" real "$OUT" "$REPS" $CONFIGS
