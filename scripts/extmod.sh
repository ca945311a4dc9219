#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build out-of-tree modules against one kernel flavour.
#
# Usage: extmod.sh FLAVOUR NAME FILE...
#   Copies FILE... into build/extmod/FLAVOUR/NAME/ with a Kbuild line
#   "obj-m := NAME.o" and builds it; prints the path of NAME.ko.
set -eu
. "$(dirname "$0")/lib.sh"

flavour=$1 name=$2
shift 2
src=$KSRC
[ "$flavour" = stock ] && src=$KSTOCK
dir=$BUILD/extmod/$flavour/$name
mkdir -p "$dir"
for f in "$@"; do
	cmp -s "$f" "$dir/$(basename "$f")" || cp "$f" "$dir/"
done
echo "obj-m := $name.o" >"$dir/Kbuild.new"
cmp -s "$dir/Kbuild.new" "$dir/Kbuild" && rm "$dir/Kbuild.new" || mv "$dir/Kbuild.new" "$dir/Kbuild"
make -s -C "$src" O="$BUILD/obj/$flavour" ARCH=x86_64 CC="ccache gcc" LOCALVERSION= \
	M="$dir" modules >"$dir/build.log" 2>&1 ||
	{ cat "$dir/build.log" >&2; die "$name does not build for the $flavour kernel"; }
echo "$dir/$name.ko"
