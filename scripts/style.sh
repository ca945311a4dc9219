#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Upstream's style checks on the project's kernel code and on its C tools
# (tools/bootgraph), one result line ("PASS|FAIL name") per file and check:
#   checkpatch.pl --strict   no ERROR or WARNING; a CHECK only when it is
#                            justified in scripts/checkpatch-justified
#   kernel-doc -Wall         silent (kernel code only, not tools/)
#   the patch series         checkpatch --strict on each patch
set -u
. "$(dirname "$0")/lib.sh"

JUSTIFIED=$TOP/scripts/checkpatch-justified
# checkpatch runs scripts/spdxcheck.py with "python3": Debian's, which has
# the ply and git modules from the deps (a pyenv python3 first on the
# PATH would make the SPDX check fail silently).
export PATH=/usr/bin:$PATH
cd "$KSRC" || { echo "FAIL style.(no kernel tree)"; exit 0; }

kernel_files() {
	git -C "$TOP" ls-files -co --exclude-standard -- \
		'kernel/*.[ch]' 'drivers/*.[ch]' 'include/*.h' 'lib/*.[ch]' \
		'tools/bootgraph/*.[ch]'
}

# Drop the CHECKs justified for this file: lines "FILE TYPE reason".
unjustified() {
	local f=$1 line type
	while IFS= read -r line; do
		type=$(sed -n 's/.*: CHECK:\([A-Z_]*\):.*/\1/p' <<<"$line")
		if [ -n "$type" ] && [ -f "$JUSTIFIED" ] &&
		   grep -qE "^$f[[:space:]]+$type[[:space:]]+[^[:space:]]" "$JUSTIFIED"; then
			continue
		fi
		printf '%s\n' "$line"
	done
}

for f in $(kernel_files); do
	# The kernel files are laid into the tree, tools/ is not: check it here.
	case $f in tools/*) p=$TOP/$f ;; *) p=$f ;; esac
	out=$(perl scripts/checkpatch.pl --strict --terse --show-types --no-summary \
		-f "$p" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):' | unjustified "$f")
	if [ -z "$out" ]; then
		echo "PASS checkpatch.$f"
	else
		printf '%s\n' "$out" | sed 's/^/      /' >&2
		echo "FAIL checkpatch.$f"
	fi
	case $f in tools/*) ;; *.c|*.h)
		out=$(perl scripts/kernel-doc -Wall -none "$f" 2>&1)
		if [ -z "$out" ]; then
			echo "PASS kernel-doc.$f"
		else
			printf '%s\n' "$out" | sed 's/^/      /' >&2
			echo "FAIL kernel-doc.$f"
		fi
	esac
done

sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series" 2>/dev/null | while read -r p; do
	out=$(perl scripts/checkpatch.pl --strict --terse --show-types --no-summary \
		--no-signoff "$TOP/patches/$p" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):')
	if [ -z "$out" ]; then
		echo "PASS checkpatch.patches/$p"
	else
		printf '%s\n' "$out" | sed 's/^/      /' >&2
		echo "FAIL checkpatch.patches/$p"
	fi
done
