#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh BOOTGRAPH KSRC: time bootgraph on a generated 1,000,000-line
# initcall_debug log, against scripts/bootgraph.pl and
# tools/power/pm-graph/bootgraph.py of the kernel tree KSRC (the latter
# on the first 100,000 lines only: it is quadratic).  Prints a table.

set -u
BG=$(realpath "$1")
KSRC=${2:-}
cd "$(dirname "$0")" || exit 1
HERE=$(pwd)
OUT=$(pwd)/out/bench
mkdir -p "$OUT"
LINES=${BENCH_LINES:-1000000}
PY_LINES=${BENCH_PY_LINES:-100000}
LOG=$OUT/boot-$LINES.log
SMALL=$OUT/boot-$PY_LINES.log

[ -s "$LOG" ] || python3 genlog.py "$LINES" >"$LOG" || exit 1
head -n "$PY_LINES" "$LOG" >"$SMALL"

row() {	# row NAME INPUT CMD...: one line of the table
	local name=$1 in=$2 r
	shift 2
	r=$(python3 "$HERE/measure.py" "$in" "$OUT/result" "$@") || return
	set -- $r
	printf "%-34s %9s %10s s %9s MB%s\n" "$name" "$(wc -l <"$in")" "$1" \
		$(( $2 / 1024 )) "$([ "$3" = 0 ] || echo "  (exit $3)")"
}

printf "%-34s %9s %12s %12s\n" "command" "lines" "time" "peak RSS"
row "bootgraph summary" "$LOG" "$BG" summary -q
row "bootgraph svg" "$LOG" "$BG" svg -q
row "bootgraph json" "$LOG" "$BG" json -q
row "bootgraph html" "$LOG" "$BG" html -q
if [ -f "$KSRC/scripts/bootgraph.pl" ] && command -v perl >/dev/null; then
	row "perl scripts/bootgraph.pl" "$LOG" perl "$KSRC/scripts/bootgraph.pl"
else
	echo "# scripts/bootgraph.pl not found in KSRC='$KSRC': skipped"
fi
row "bootgraph summary (${PY_LINES} lines)" "$SMALL" "$BG" summary -q
row "bootgraph html (${PY_LINES} lines)" "$SMALL" "$BG" html -q
PY=$KSRC/tools/power/pm-graph/bootgraph.py
if [ -f "$PY" ] && command -v python3 >/dev/null; then
	# it writes bootgraph.html into the current directory
	(cd "$OUT" && row "bootgraph.py -dmesg (${PY_LINES} lines)" "$SMALL" \
		python3 "$PY" -dmesg "$SMALL" -o "$OUT/py")
else
	echo "# tools/power/pm-graph/bootgraph.py not found in KSRC='$KSRC': skipped"
fi
