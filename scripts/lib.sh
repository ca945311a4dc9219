# SPDX-License-Identifier: GPL-2.0
# Common helpers for the harness scripts; sourced, not run.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
OUT=${OUT:-$TOP/out}
KSRC=$BUILD/linux		# patched tree with the overlay laid in
KSTOCK=$BUILD/linux-stock	# pristine worktree for the stock kernel
JOBS=${JOBS:-$(nproc)}

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
