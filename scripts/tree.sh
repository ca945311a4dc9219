#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel source trees under build/.
#
#   tree.sh prepare   build/linux: pristine 6.12 + patches/ + overlay links
#   tree.sh stock     build/linux-stock: the pristine tree (a git worktree)
#   tree.sh refresh [NEW=name.patch]
#                     rewrite patches/ from edits made in build/linux
#   tree.sh reset     throw build/linux edits away and re-apply patches/
#
# build/linux is a git repository whose first commit, tagged "pristine", is
# Debian's linux-source-6.12 as shipped.  Patches are applied to the working
# tree only, so "git diff pristine" is always the whole series.  Project
# files are laid in as symbolic links: an edit in the project is seen by the
# next incremental build (Documentation/ is copied at each prepare instead).
# Each upstream file belongs to exactly one patch.
set -eu
. "$(dirname "$0")/lib.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz
SERIES=$TOP/patches/series
# Project directories whose files are laid over the kernel tree.
OVERLAY_ROOTS="kernel include drivers lib Documentation tools/testing"
STAMP_SERIES=$BUILD/.series-applied
OVERLAY_LIST=$BUILD/.overlay-files

g() { git -C "$KSRC" "$@"; }

series_patches() {
	[ -f "$SERIES" ] || return 0
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$SERIES"
}

series_hash() {
	local p files=("$SERIES")
	for p in $(series_patches); do files+=("$TOP/patches/$p"); done
	hash_files "${files[@]}"
}

# Project files to lay in, relative to $TOP.
overlay_files() {
	git -C "$TOP" ls-files -co --exclude-standard -- $OVERLAY_ROOTS
}

# The series as it stands in the working tree (overlay links left out).
tree_diff() {
	local ex=()
	[ -f "$OVERLAY_LIST" ] && mapfile -t ex < <(sed 's/^/:(exclude)/' "$OVERLAY_LIST")
	g diff --no-color pristine -- . "${ex[@]}"
}

extract() {
	local ver
	ver=$(ksrc_pkg_version)
	[ -f "$TARBALL" ] || die "$TARBALL is missing (apt-get install linux-source-6.12)"
	if [ -d "$KSRC/.git" ]; then
		[ "$(cat "$KSRC/.git/pkg-version" 2>/dev/null)" = "$ver" ] && return 0
		warn "linux-source-6.12 moved to $ver: extracting it afresh"
		[ -d "$KSTOCK" ] && g worktree remove --force "$KSTOCK"
		rm -rf "$KSRC" "$BUILD"/obj "$STAMP_SERIES" "$OVERLAY_LIST"
	fi
	say "extracting linux-source-6.12 $ver into build/linux (once)"
	local t0
	t0=$(now)
	mkdir -p "$KSRC.tmp"
	tar -xf "$TARBALL" -C "$KSRC.tmp" --strip-components=1
	git -C "$KSRC.tmp" init -q
	git -C "$KSRC.tmp" config user.name "async_probe harness"
	git -C "$KSRC.tmp" config user.email "harness@localhost"
	git -C "$KSRC.tmp" config gc.auto 0
	# Debian's top-level .gitignore ignores "/*": add by force.
	git -C "$KSRC.tmp" add -A -f .
	git -C "$KSRC.tmp" commit -q -m "linux-source-6.12 $ver (pristine)"
	git -C "$KSRC.tmp" tag pristine
	echo "$ver" >"$KSRC.tmp/.git/pkg-version"
	mv "$KSRC.tmp" "$KSRC"
	note "done in $(elapsed "$t0")"
}

apply_series() {
	local want have p ver
	want=$(series_hash)
	have=$(sed -n 1p "$STAMP_SERIES" 2>/dev/null || true)
	[ "$want" = "$have" ] && return 0
	if [ -n "$have" ] &&
	   [ "$(tree_diff | sha1sum | cut -c1-16)" != "$(sed -n 2p "$STAMP_SERIES")" ]; then
		die "build/linux has edits that are not in patches/ yet, and patches/ changed.
       Run 'make refresh-patches' to keep the edits, or 'make reset-tree' to drop them."
	fi
	ver=$(cat "$KSRC/.git/pkg-version")
	say "applying patches/ to linux-source-6.12 $ver"
	# Back to pristine, keeping the mtime of every file that is unchanged.
	g reset -q --hard pristine
	g clean -fdxq
	rm -f "$OVERLAY_LIST"
	for p in $(series_patches); do
		[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
		if g apply --whitespace=nowarn "$TOP/patches/$p" 2>/dev/null ||
		   g apply --3way --whitespace=nowarn "$TOP/patches/$p"; then
			note "$p"
		else
			die "patch $p does not apply to linux-source-6.12 $ver; refresh it"
		fi
	done
	g reset -q
	printf '%s\n%s\n' "$want" "$(tree_diff | sha1sum | cut -c1-16)" >"$STAMP_SERIES"
}

lay_overlay() {
	local f old new
	new=$(mktemp)
	overlay_files | sort >"$new"
	old=$OVERLAY_LIST
	[ -f "$old" ] || : >"$old"
	# Files that left the project: restore the upstream copy, if any.
	comm -23 "$old" "$new" | while read -r f; do
		rm -f "$KSRC/$f"
		g cat-file -e "pristine:$f" 2>/dev/null && g checkout -q pristine -- "$f"
		note "overlay: removed $f"
	done
	while read -r f; do
		case $f in
		Documentation/*)
			# Copied: checkpatch greps the bindings without
			# following links.
			[ -f "$KSRC/$f" ] && [ ! -L "$KSRC/$f" ] && cmp -s "$TOP/$f" "$KSRC/$f" && continue
			mkdir -p "$(dirname "$KSRC/$f")"
			rm -f "$KSRC/$f"
			cp "$TOP/$f" "$KSRC/$f"
			continue ;;
		esac
		[ "$(readlink "$KSRC/$f" 2>/dev/null)" = "$TOP/$f" ] && continue
		mkdir -p "$(dirname "$KSRC/$f")"
		ln -sfn "$TOP/$f" "$KSRC/$f"
	done <"$new"
	mv "$new" "$old"
}

cmd_prepare() {
	extract
	apply_series
	lay_overlay
}

cmd_stock() {
	extract
	[ -d "$KSTOCK" ] && return 0
	say "creating build/linux-stock (pristine worktree for the stock kernel)"
	g worktree add -q --detach "$KSTOCK" pristine
}

cmd_reset() {
	extract
	rm -f "$STAMP_SERIES"
	apply_series
	lay_overlay
}

# Rewrite each patch from the working tree, keeping its header text.
cmd_refresh() {
	local new=${1#NEW=} p f tmp files=() owned
	[ -f "$STAMP_SERIES" ] || die "nothing applied yet: run 'make prepare' first"
	owned=$(mktemp)
	for p in $(series_patches); do
		mapfile -t files < <(sed -n 's|^diff --git a/\(.*\) b/.*|\1|p' "$TOP/patches/$p")
		printf '%s\n' "${files[@]}" >>"$owned"
		tmp=$(mktemp)
		sed '/^diff --git /,$d' "$TOP/patches/$p" >"$tmp"
		g diff --no-color pristine -- "${files[@]}" >>"$tmp"
		if ! cmp -s "$tmp" "$TOP/patches/$p"; then
			mv "$tmp" "$TOP/patches/$p"
			note "refreshed $p"
		else
			rm -f "$tmp"
		fi
	done
	dups=$(sort "$owned" | uniq -d)
	[ -z "$dups" ] || die "files in more than one patch (split by hand): $dups"
	# Edited upstream files, and new non-overlay files, that no patch owns.
	# (Generated files are no edits: htmldocs writes netlink_spec/*.rst,
	# checkpatch -f its .checkpatch-camelcase.* cache.)
	mapfile -t files < <( { tree_diff | sed -n 's|^diff --git a/\(.*\) b/.*|\1|p';
		g ls-files -o | grep -vxF -f "$OVERLAY_LIST" |
		grep -v -e '^\.checkpatch-camelcase\.' \
			-e '^Documentation/networking/netlink_spec/.*\.rst$'; } |
		grep -vxF -f "$owned" | sort -u)
	rm -f "$owned"
	if [ ${#files[@]} -gt 0 ]; then
		if [ -z "$new" ]; then
			warn "edits in no patch: ${files[*]}"
			die "name a new patch for them: make refresh-patches NEW=0042-subsystem-what.patch"
		fi
		g add -N -f -- "${files[@]}"
		{ printf 'Subject: %s\n\n' "${new%.patch}"; g diff --no-color pristine -- "${files[@]}"; } \
			>"$TOP/patches/$new"
		g reset -q
		echo "$new" >>"$SERIES"
		note "new patch $new: ${files[*]}"
	fi
	printf '%s\n%s\n' "$(series_hash)" "$(tree_diff | sha1sum | cut -c1-16)" >"$STAMP_SERIES"
}

case "${1:-}" in
prepare) cmd_prepare ;;
stock) cmd_stock ;;
reset) cmd_reset ;;
refresh) shift; cmd_refresh "${1:-}" ;;
*) die "usage: tree.sh prepare|stock|reset|refresh [NEW=name.patch]" ;;
esac
