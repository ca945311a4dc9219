#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs for one kernel flavour: busybox, bash (for the
# kselftests), the harness /init and its steps, the flavour's modules and
# the project's kselftests.  The archive is rewritten only when its
# content changed (file mtimes are fixed), so an unchanged tree costs
# nothing downstream.
#
# Usage: initramfs.sh FLAVOUR [VARIANT]
#   EXTRA_KO="a.ko b.ko" adds out-of-tree modules under /extra,
#   EXTRA_DIR=dir copies dir to /bench, and EXTRA_PROGS="perf" adds
#   programs of this machine with their libraries; the archive is then
#   build/initramfs/FLAVOUR-VARIANT.cpio.
set -eu
. "$(dirname "$0")/lib.sh"

flavour=${1:?usage: initramfs.sh FLAVOUR}
obj=$BUILD/obj/$flavour
src=$KSRC
[ "$flavour" = stock ] && src=$KSTOCK
name=$flavour${2:+-$2}
stage=$BUILD/initramfs/$name
cpio=$BUILD/initramfs/$name.cpio
[ -f "$obj/.built" ] || die "the $flavour kernel is not built"

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,lib64,harness}

# A dynamically linked program and the libraries it needs.
copy_prog() {
	local prog lib
	prog=$(command -v "$1") || die "$1 is not installed"
	install -D -m 0755 "$prog" "$stage$2"
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		[ -e "$stage$lib" ] || install -D -m 0755 "$lib" "$stage$lib"
	done
}

install -m 0755 /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
copy_prog bash /bin/bash
# trace-cmd, to record trace.dat files in the guest (test kernel).
if [ "$flavour" = test ] && command -v trace-cmd >/dev/null; then
	copy_prog trace-cmd /usr/bin/trace-cmd
fi
for p in ${EXTRA_PROGS:-}; do
	copy_prog "$p" "/usr/bin/$p"
done
install -m 0755 "$TOP/guest/init" "$stage/init"
cp -r "$TOP/guest/steps" "$stage/harness/"
[ -d "$obj/modinst/lib" ] && cp -a "$obj/modinst/lib" "$stage/"
for ko in ${EXTRA_KO:-}; do
	install -D -m 0644 "$ko" "$stage/extra/$(basename "$ko")"
done
[ -n "${EXTRA_DIR:-}" ] && cp -r "$EXTRA_DIR" "$stage/bench"

# kselftests, installed by the kselftest build system with its runner.
if [ "$src" = "$KSRC" ] && [ -d "$TOP/tools/testing/selftests/async_probe" ]; then
	make -s -C "$src/tools/testing/selftests" O="$obj/kselftest" \
		TARGETS=async_probe INSTALL_PATH="$stage/kselftest" install \
		>"$obj/kselftest.log" 2>&1 ||
		{ cat "$obj/kselftest.log"; die "kselftest install failed"; }
fi

cat >"$stage/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
PW
cat >"$BUILD/initramfs/$name.spec" <<'SPEC'
nod /dev/console 0600 0 0 c 5 1
nod /dev/null 0666 0 0 c 1 3
SPEC

tmp=$cpio.tmp
(cd "$obj" && sh "$src/usr/gen_initramfs.sh" -o "$tmp" -u squash -g squash -d @0 \
	"$stage" "$BUILD/initramfs/$name.spec")
# The test kernel's files also as an ext2 image, for the boot without an
# initramfs (the root-mount wait test).
if [ "$name" = test ]; then
	img=$BUILD/initramfs/$name.ext2
	rm -f "$img.tmp"
	mkdir -p "$stage/dev/pts" "$stage/out"
	mke2fs -q -t ext2 -d "$stage" "$img.tmp" 96M && mv "$img.tmp" "$img" ||
		warn "no ext2 image of the $name initramfs"
fi
if cmp -s "$tmp" "$cpio"; then
	rm -f "$tmp"
else
	mv "$tmp" "$cpio"
	note "initramfs $name: $(du -h "$cpio" | cut -f1)"
fi
