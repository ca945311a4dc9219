#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one kernel flavour in QEMU (TCG) and keep its console in out/NAME/.
#
# Usage: boot.sh [options] FLAVOUR
#   -n NAME       name of the run: out/NAME/ (default: FLAVOUR)
#   -s STEPS      guest steps, comma-separated (guest/steps/*.sh; default info)
#   -c CMDLINE    extra kernel parameters
#   -t SECONDS    guest timeout (default 600); QEMU is killed after it
#   -q ARGS       extra QEMU arguments
#   -I CPIO       initramfs (default build/initramfs/FLAVOUR.cpio)
#   -R IMG        no initramfs: the root filesystem is IMG, an ext2 image,
#                 on the only virtio disk (/dev/vda: asynchronous probing
#                 may reorder virtio disk names); no vblk0, no outbox
#   -S            no virtio-scsi disk: the scan of its bus (256 targets)
#                 holds a debug kernel's boot back by ~15 s under TCG, a
#                 cost only the boots that test that disk need to pay
#   -i            interactive: the console is the terminal (make boot)
#   -v            show the whole console instead of the harness lines
#
# ICOUNT=1 in the environment runs the guest on an instruction-counted
# clock (QEMU's -icount shift=0,sleep=off): one nanosecond of guest time
# per instruction, idle time skipped, every vCPU in turn on one host
# thread.  Guest time then measures the work done, the same from one boot
# to the next within a few percent, not the wall time of a machine with
# that many CPUs: the benchmarks use it to tell costs of a few percent
# apart.
#
# The guest has AHCI, virtio-blk and virtio-scsi disks (real users of async
# probing) and an "outbox" disk: the guest writes /out into it as a tar
# archive, unpacked here into out/NAME/guest/.  Exit status: 0 if the guest
# powered itself off, 2 on a timeout, 1 on any other QEMU failure.
set -eu
. "$(dirname "$0")/lib.sh"

name= steps=info cmdline= timeout=600 qargs= interactive=0 verbose=0 initrd= rootimg= scsi=1
while getopts "n:s:c:t:q:I:R:Siv" o; do
	case $o in
	n) name=$OPTARG ;;
	s) steps=$OPTARG ;;
	c) cmdline=$OPTARG ;;
	t) timeout=$OPTARG ;;
	q) qargs=$OPTARG ;;
	I) initrd=$OPTARG ;;
	R) rootimg=$OPTARG ;;
	S) scsi=0 ;;
	i) interactive=1 ;;
	v) verbose=1 ;;
	*) exit 1 ;;
	esac
done
shift $((OPTIND - 1))
case ${ICOUNT:-0} in
0) ;;
1) qargs="-icount shift=0,sleep=off $qargs" ;;
*) die "ICOUNT must be 0 or 1, not '$ICOUNT'" ;;
esac
flavour=${1:?usage: boot.sh [options] FLAVOUR}
name=${name:-$flavour}
obj=$BUILD/obj/$flavour
kernel=$obj/arch/x86/boot/bzImage
initrd=${initrd:-$BUILD/initramfs/$flavour.cpio}
[ -f "$kernel" ] || die "no $flavour kernel: build it first"
[ -n "$rootimg" ] || [ -f "$initrd" ] || die "no $flavour initramfs: build it first"
case "$timeout" in ''|*[!0-9]*) die "boot.sh: -t wants seconds, got '$timeout'" ;; esac

run=$OUT/$name
rm -rf "$run"
mkdir -p "$run" "$BUILD/disks"
console=$run/console.log

# Scratch disks for the in-tree drivers, and the outbox.
for d in ahci0 vblk0 vscsi0; do
	[ -f "$BUILD/disks/$d.img" ] || truncate -s 16M "$BUILD/disks/$d.img"
done
outbox=$run/outbox.img
truncate -s 256M "$outbox"

base_cmdline="console=ttyS0 panic=-1 kunit.enable=0 harness=$steps"
if [ -n "$rootimg" ]; then
	# The root disk comes first on the PCI bus, so it is /dev/vda.
	boot_args=(-drive file="$rootimg",if=none,format=raw,id=rootfs
		   -device virtio-blk-pci,drive=rootfs,serial=rootfs)
	base_cmdline="$base_cmdline root=/dev/vda rw rootfstype=ext2 init=/init"
else
	boot_args=(-initrd "$initrd")
fi
# shellcheck disable=SC2206
qemu=(qemu-system-x86_64 -M q35 -cpu max -smp "${SMP:-2}" -m "${MEM:-2G}"
	-nographic -no-reboot -bios /usr/share/qemu/qboot.rom
	-kernel "$kernel" "${boot_args[@]}" -append "$base_cmdline $cmdline"
	-drive file="$BUILD/disks/ahci0.img",if=none,format=raw,id=ahci0
	-device ide-hd,drive=ahci0,bus=ide.0
	$qargs)
[ $scsi = 0 ] ||
	qemu+=(-device virtio-scsi-pci,id=scsi0
	       -drive file="$BUILD/disks/vscsi0.img",if=none,format=raw,id=vscsi0
	       -device scsi-hd,drive=vscsi0,bus=scsi0.0)
if [ -z "$rootimg" ]; then
	qemu+=(-drive file="$BUILD/disks/vblk0.img",if=none,format=raw,id=vblk0
	       -device virtio-blk-pci,drive=vblk0,serial=vblk0
	       -drive file="$outbox",if=none,format=raw,id=outbox
	       -device virtio-blk-pci,drive=outbox,serial=outbox)
fi
printf '%q ' "${qemu[@]}" >"$run/qemu.cmd"

# The harness lines tell the story; the whole console is in $console.
filter() {
	if [ $verbose -eq 1 ]; then
		tee "$console"
	else
		tee "$console" | sed -u -n -e 's/^\[ *\([0-9.]*\)\].*harness: /    [\1] /p'
	fi
}

t0=$(now)
set +e
if [ $interactive -eq 1 ]; then
	timeout -k 10 "$timeout" "${qemu[@]}" | tee "$console"
	rc=${PIPESTATUS[0]}
else
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | filter
	rc=${PIPESTATUS[0]}
fi
set -e
echo "$rc" >"$run/qemu.rc"
awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f\n", b - a }' >"$run/wall"

mkdir -p "$run/guest"
tar -xf "$outbox" -C "$run/guest" 2>/dev/null || true
rm -f "$outbox"

case $rc in
0) exit 0 ;;
124|137) echo "guest timed out after ${timeout}s (console: ${console#$TOP/})" >&2; exit 2 ;;
*) echo "qemu exited with status $rc (console: ${console#$TOP/})" >&2; exit 1 ;;
esac
