#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the harness needs, once.  Only packages that
# are missing are installed, and "apt-get update" runs only if something is.
#
# Usage: deps.sh [group...]   groups: base (default), tools, browser, docs,
#                             perf
#
# "cmd:pkg" installs pkg only when no command cmd is on the PATH (a
# machine may carry its own Node.js, which Debian's npm would conflict with).
#
# Another apt or dpkg (unattended-upgrades, a person) may hold the dpkg
# lock: apt waits for it up to APT_LOCK_WAIT seconds (default 900), then
# deps.sh fails; it never goes on without the packages.
set -eu
. "$(dirname "$0")/lib.sh"

declare -A GROUP=(
	[base]="linux-source-6.12 qemu-system-x86 busybox-static gcc make bc
		python3-ply python3-git e2fsprogs
		flex bison libelf-dev libssl-dev cpio ccache xz-utils kmod
		python3 perl git dwarves rsync time"
	[tools]="clang libclang-rt-14-dev pkg-config libtracecmd-dev
		 libtraceevent-dev libtracefs-dev trace-cmd jq"
	[browser]="chromium node:nodejs npm:npm"
	[docs]="python3-sphinx python3-sphinx-rtd-theme"
	[perf]="linux-perf"
)

mkdir -p "$BUILD"
want=()
for g in "${@:-base}"; do
	[ -n "${GROUP[$g]+x}" ] || die "deps.sh: unknown group '$g'"
	for p in ${GROUP[$g]}; do
		case $p in *:*)
			command -v "${p%%:*}" >/dev/null && continue
			p=${p#*:} ;;
		esac
		st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
		[ "${st:0:2}" = ii ] || want+=("$p")
	done
done
[ ${#want[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || die "missing packages: ${want[*]} (run as root, or install them)"
say "installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
lock=(-o "DPkg::Lock::Timeout=${APT_LOCK_WAIT:-900}")
stamp=$BUILD/.apt-updated
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ]; then
	apt-get "${lock[@]}" update -qq
	mkdir -p "$BUILD" && touch "$stamp"
fi
apt-get "${lock[@]}" install -y -qq --no-install-recommends "${want[@]}" \
	>"$BUILD/apt.log" 2>&1 ||
	{ tail -20 "$BUILD/apt.log"; die "apt-get install failed (log: build/apt.log)"; }
