# SPDX-License-Identifier: GPL-2.0
# Common helpers for the harness scripts; sourced, not run.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
OUT=${OUT:-$TOP/out}
KSRC=$BUILD/linux		# patched tree with the overlay laid in
KSTOCK=$BUILD/linux-stock	# pristine worktree for the stock kernel
JOBS=${JOBS:-$(nproc)}

# Every compiler call goes through ccache (kernel.sh, series.sh,
# extmod.sh), in depend mode: a miss is compiled once and its includes
# taken from the compiler's own dependency file, where the default mode
# runs the preprocessor a second time.  Measured here on a cold cache
# (kernel/ and drivers/base/ of the test kernel, 2 jobs): no ccache 92 s,
# default mode 119 s, depend mode 92 s; a warm rebuild 5 s, every call a
# hit.  A fresh clone's cache is empty, so that is what a cold run pays.
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}

if [ -t 1 ]; then
	C_B=$'\e[1m' C_R=$'\e[31m' C_G=$'\e[32m' C_Y=$'\e[33m' C_0=$'\e[0m'
else
	C_B= C_R= C_G= C_Y= C_0=
fi

say()  { printf '%s==>%s %s\n' "$C_B" "$C_0" "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf '%swarning:%s %s\n' "$C_Y" "$C_0" "$*" >&2; }
die()  { printf '%serror:%s %s\n' "$C_R" "$C_0" "$*" >&2; exit 1; }

# Seconds since the epoch with a fraction, and a duration as "1m23s".
now() { date +%s.%N; }
elapsed() {
	awk -v a="$1" -v b="$(now)" 'BEGIN {
		s = b - a; m = int(s / 60);
		if (m) printf "%dm%02ds", m, s - 60 * m; else printf "%.1fs", s }'
}

# The kernel source version from Debian's package, e.g. 6.12.117-1~deb12u1.
ksrc_pkg_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown
}

# Stable hash of the named files (missing ones count as empty).
hash_files() {
	local f
	for f in "$@"; do
		printf '%s\0' "$f"
		[ -f "$f" ] && cat "$f"
	done | sha1sum | cut -c1-16
}

# plan_initramfs PLAN BASE OUT: the initramfs BASE with PLAN where a boot
# with async_probe.plan=replay reads its plan: kernel/async_probe.plan in
# an uncompressed cpio archive put before it, the way early microcode is.
# No PLAN (the boot that records it failed): BASE alone.
plan_initramfs() {
	local dir

	: >"$3"
	if [ -s "$1" ]; then
		dir=$(mktemp -d)
		mkdir -p "$dir/kernel"
		cp "$1" "$dir/kernel/async_probe.plan"
		(cd "$dir" && find kernel | cpio -o -H newc -R 0:0 --quiet) >"$3"
		rm -rf "$dir"
	fi
	cat "$2" >>"$3"
}

# plan_merge PLAN...: one plan of the devices of every PLAN (the first
# line of a device wins), with the header counting them.
plan_merge() {
	awk '/^#/ { next } !seen[$1]++ { lines[n++] = $0 }
	END {
		print "# async_probe plan v1 devices=" n " nomem=0"
		for (i = 0; i < n; i++) print lines[i]
	}' "$@"
}
