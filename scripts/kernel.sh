#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configure and build one kernel flavour out of tree, with ccache.
#
# Usage: kernel.sh FLAVOUR     FLAVOUR: test | lean | stock
#
#   test   build/linux (the project), base + debug fragments: tests only
#   lean   build/linux (the project), base + lean + bench fragments: make
#          run and the benchmarks (bench: the real-device machine's drivers)
#   stock  build/linux-stock (pristine 6.12), base + stock + bench fragments
#   kcsan  the test kernel with KCSAN instead of KASAN (make torture KCSAN=1)
#
# The .config is regenerated ("allnoconfig" plus the merged fragments) only
# when a fragment or a Kconfig file changed, and every option a fragment
# asks for is checked to have stuck.  A build with nothing changed since the
# last one is skipped without running make at all.
set -eu
. "$(dirname "$0")/lib.sh"

flavour=${1:?usage: kernel.sh test|lean|stock|kcsan|profile}
case "$flavour" in
test)  src=$KSRC;   frags="base debug project project-test" ;;
lean)  src=$KSRC;   frags="base lean project bench" ;;
stock) src=$KSTOCK; frags="base stock bench" ;;
kcsan) src=$KSRC;   frags="base debug project project-test kcsan" ;;
profile) src=$KSRC; frags="base lean project bench profile" ;;
*) die "unknown kernel flavour '$flavour' (test, lean, stock, kcsan or profile)" ;;
esac
[ -d "$src" ] || die "$src is missing: run 'scripts/tree.sh prepare' first"
obj=$BUILD/obj/$flavour
mkdir -p "$obj" "$OUT"
log=$OUT/build-$flavour.log

export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export KBUILD_BUILD_USER=harness KBUILD_BUILD_HOST=async-probe
kmake() {
	make -C "$src" O="$obj" ARCH=x86_64 CC="ccache gcc" LOCALVERSION= "$@"
}

# Project Kconfig files and the patch series decide which options exist.
kconfig_inputs() {
	local f
	for f in $frags; do [ -f "$TOP/configs/$f.config" ] && echo "$TOP/configs/$f.config"; done
	[ "$src" = "$KSRC" ] || return 0
	echo "$BUILD/.series-applied"
	git -C "$TOP" ls-files -co --exclude-standard -- '*Kconfig*' | sed "s|^|$TOP/|"
}

configure() {
	local merged=$obj/.fragments inputs want
	mapfile -t inputs < <(kconfig_inputs)
	want=$(hash_files "${inputs[@]}")
	if [ -f "$obj/.config" ] && [ "$(cat "$obj/.fragments-hash" 2>/dev/null)" = "$want" ]; then
		return 0
	fi
	say "configuring the $flavour kernel ($frags)"
	grep -hv '^[[:space:]]*#' "${inputs[@]}" 2>/dev/null | grep '^CONFIG_' >"$merged" || true
	# Kconfig spells "=n" as "is not set".
	sed -i 's/^\(CONFIG_[A-Za-z0-9_]*\)=n$/# \1 is not set/' "$merged"
	kmake KCONFIG_ALLCONFIG="$merged" allnoconfig >"$obj/.config.log" 2>&1 ||
		{ cat "$obj/.config.log"; die "kconfig failed for the $flavour kernel"; }
	check_config "$merged"
	echo "$want" >"$obj/.fragments-hash"
}

# Every option of the fragments must have the value asked for.
check_config() {
	local bad=0 line sym val got
	while read -r line; do
		case "$line" in
		"# CONFIG_"*) sym=${line#\# }; sym=${sym%% *}; val=n ;;
		CONFIG_*) sym=${line%%=*}; val=${line#*=} ;;
		*) continue ;;
		esac
		got=$(grep -E "^($sym=|# $sym is not set)" "$obj/.config" | tail -1)
		case "$got" in "# "*|"") got=n ;; *) got=${got#*=} ;; esac
		if [ "$got" != "$val" ]; then
			warn "$sym: fragments ask for '$val', Kconfig gave '$got' (unmet dependency?)"
			bad=1
		fi
	done < <(tac "$1" | awk '{ k = $0; sub(/=.*/, "", k); sub(/ is not set/, "", k);
			sub(/^# /, "", k); if (!seen[k]++) print }')
	[ $bad -eq 0 ] || die "the $flavour kernel config does not match configs/ (see above)"
}

# True when nothing that feeds the build changed since the last good build.
up_to_date() {
	local stamp=$obj/.built
	[ -f "$stamp" ] && [ -f "$obj/arch/x86/boot/bzImage" ] || return 1
	[ "$(cat "$stamp")" = "$(kmake -s kernelrelease 2>/dev/null)" ] || return 1
	[ "$obj/.config" -nt "$stamp" ] && return 1
	[ -z "$(find "$src" -path "$src/.git" -prune -o -newer "$stamp" -print -quit)" ] || return 1
	[ "$src" = "$KSRC" ] || return 0
	[ -z "$(cd "$TOP" && find $(cat "$BUILD/.overlay-files") -newer "$stamp" -print -quit)" ]
}

# Show progress instead of the compiler lines; the full log goes to $log.
progress() {
	local est=$1 t0 n=0 last=0 line pct
	t0=$(now)
	while IFS= read -r line; do
		printf '%s\n' "$line" >>"$log"
		case "$line" in
		*" CC "*|*" AS "*|*" LD "*|*" AR "*) n=$((n + 1)) ;;
		*error:*|*Error*|*"*** "*) printf '%s\n' "$line" >&2 ;;
		esac
		if [ $SECONDS -ge $((last + 15)) ] || { [ -t 1 ] && [ $((n % 25)) -eq 0 ]; }; then
			last=$SECONDS
			pct=""
			[ "$est" -gt 0 ] && pct=" (~$((n * 100 / est > 99 ? 99 : n * 100 / est))%)"
			if [ -t 1 ]; then
				printf '\r    %s: %d steps%s, %s   ' "$flavour" "$n" "$pct" "$(elapsed "$t0")"
			else
				printf '    %s: %d steps%s, %s\n' "$flavour" "$n" "$pct" "$(elapsed "$t0")"
			fi
		fi
	done
	[ -t 1 ] && printf '\n'
	echo "$n" >"$obj/.steps.new"
}

build() {
	local t0 est rc
	if up_to_date; then
		note "$flavour kernel $(cat "$obj/.built") is up to date"
		return 0
	fi
	t0=$(now)
	est=$(cat "$obj/.steps" 2>/dev/null || sed -n "s/^$flavour \([0-9]*\)$/\1/p" "$TOP/configs/build-steps" 2>/dev/null || echo 0)
	say "building the $flavour kernel ($JOBS jobs, log: ${log#$TOP/})"
	: >"$log"
	# The stamp's mtime is the start of the build: edits made while it
	# runs are seen by the next one.
	: >"$obj/.building"
	set +e
	kmake -j"$JOBS" bzImage modules 2>&1 | progress "${est:-0}"
	rc=${PIPESTATUS[0]}
	set -e
	if [ "$rc" -ne 0 ]; then
		grep -E -B2 -A6 'error:|Error [0-9]' "$log" | head -60 >&2
		die "the $flavour kernel failed to build (full log: ${log#$TOP/})"
	fi
	# The project's own files build without a warning (those compiled
	# in this run: a clean build sees them all).
	if [ "$src" = "$KSRC" ]; then
		local warn
		warn=$(grep ': warning:' "$log" | grep -F -f <(sed 's/$/:/' "$BUILD/.overlay-files") | sort -u)
		if [ -n "$warn" ]; then
			printf '%s\n' "$warn" >&2
			rm -f "$obj/.building"
			die "warnings in the project's files (full log: ${log#$TOP/})"
		fi
	fi
	# Only a full build gives a fair estimate for the next cold one.
	[ "$(cat "$obj/.steps.new")" -gt "$((est / 2))" ] && mv "$obj/.steps.new" "$obj/.steps"
	rm -rf "$obj/modinst"
	kmake -s INSTALL_MOD_PATH="$obj/modinst" INSTALL_MOD_STRIP=1 modules_install >>"$log" 2>&1 ||
		die "modules_install failed for the $flavour kernel"
	# Keep the stamp's mtime (the start of the build) when writing it.
	kmake -s kernelrelease >"$obj/.built.tmp"
	touch -r "$obj/.building" "$obj/.built.tmp"
	mv "$obj/.built.tmp" "$obj/.built"
	rm -f "$obj/.building"
	note "$flavour kernel $(cat "$obj/.built") built in $(elapsed "$t0")"
}

configure
build
