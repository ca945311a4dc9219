#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh BOOTGRAPH KSRC: time bootgraph on a generated 1,000,000-line
# initcall_debug log, against scripts/bootgraph.pl and
# tools/power/pm-graph/bootgraph.py of the kernel tree KSRC (the latter
# on the first 100,000 lines only: it is quadratic).  Says what it runs
# as it goes (on stderr), then prints the table and whether "bootgraph
# summary" met its goal: 1,000,000 lines in 0.5 s or less, with a peak
# RSS of 100 MB (10^6 bytes) or less.
#
#   BENCH_LINES=N      lines of the generated log (default 1000000); the
#                      goal is judged on 1,000,000 lines only
#   BENCH_PY_LINES=N   lines given to bootgraph.py (default 100000)
#   BENCH_MD=FILE      also write the table as Markdown to FILE
#   BENCH_JSON=FILE    and as JSON to FILE

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
GOAL_LINES=1000000
GOAL_S=0.5
GOAL_MB=100
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
# bootgraph.py imports sleepgraph.py: leave no __pycache__ in KSRC.
export PYTHONDONTWRITEBYTECODE=1

progress() { echo "bench: $*" >&2; }

if [ ! -s "$LOG" ]; then
	progress "generating a $LINES-line log (once: $LOG)"
	python3 genlog.py "$LINES" >"$LOG" || exit 1
fi
head -n "$PY_LINES" "$LOG" >"$SMALL"

# One row per command: name, lines, seconds, peak RSS (kB; "<=" when
# measure.py could only bound it), exit status.
NAME=() NLINES=() SECS=() RSS=() LE=() RC=() NOTES=()

row() {	# row NAME INPUT CMD...: time CMD on INPUT, add a row
	local name=$1 in=$2 r
	shift 2
	progress "timing $name"
	r=$(python3 "$HERE/measure.py" "$in" "$OUT/result" "$@") || return
	set -- $r
	NAME+=("$name")
	NLINES+=("$(wc -l <"$in")")
	SECS+=("$1")
	RSS+=("$2")
	RC+=("$3")
	LE+=("$([ "${4:-}" != bound ] || echo "<=")")
}

mb() {	# kB of ru_maxrss to MB of 10^6 bytes
	awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'
}

row "bootgraph summary" "$LOG" "$BG" summary -q
row "bootgraph svg" "$LOG" "$BG" svg -q
row "bootgraph json" "$LOG" "$BG" json -q
row "bootgraph html" "$LOG" "$BG" html -q
if [ -f "$KSRC/scripts/bootgraph.pl" ] && command -v perl >/dev/null; then
	row "perl scripts/bootgraph.pl" "$LOG" perl "$KSRC/scripts/bootgraph.pl"
else
	NOTES+=("scripts/bootgraph.pl not found in KSRC='$KSRC': skipped")
fi
row "bootgraph summary (${PY_LINES} lines)" "$SMALL" "$BG" summary -q
row "bootgraph html (${PY_LINES} lines)" "$SMALL" "$BG" html -q
PY=$KSRC/tools/power/pm-graph/bootgraph.py
if [ -f "$PY" ] && command -v python3 >/dev/null; then
	# it writes bootgraph.html into the current directory
	cd "$OUT" || exit 1
	row "bootgraph.py -dmesg (${PY_LINES} lines)" "$SMALL" \
		python3 "$PY" -dmesg "$SMALL" -o "$OUT/py"
	cd "$HERE" || exit 1
else
	NOTES+=("tools/power/pm-graph/bootgraph.py not found in KSRC='$KSRC': skipped")
fi

# The goal, judged on the first row: bootgraph summary of the whole log.
GOAL="goal: summary 1M lines <= $GOAL_S s and <= $GOAL_MB MB"
if [ "${NAME[0]:-}" != "bootgraph summary" ]; then
	VERDICT="NOT met"
	WHY="bootgraph summary could not be timed"
elif [ "$LINES" -ne "$GOAL_LINES" ]; then
	VERDICT="not judged"
	WHY="the log has $LINES lines, not $GOAL_LINES (BENCH_LINES)"
else
	# An RSS that is only bounded (no /usr/bin/time) proves the goal
	# met when the bound is met, and nothing otherwise.
	VERDICT=$(awk -v s="${SECS[0]}" -v k="${RSS[0]}" -v rc="${RC[0]}" \
		-v le="${LE[0]}" -v gs="$GOAL_S" -v gm="$GOAL_MB" 'BEGIN {
		big = k * 1024 > gm * 1e6
		if (rc != 0 || s > gs || (big && le == ""))
			print "NOT met"
		else
			print big ? "not judged" : "met" }')
	WHY="${SECS[0]} s, ${LE[0]}$(mb "${RSS[0]}") MB$([ "${RC[0]}" = 0 ] ||
		echo ", exit ${RC[0]}")$([ -z "${LE[0]}" ] ||
		echo ", the peak RSS bounded only: install GNU time")"
fi

printf "%-34s %9s %10s %12s\n" "command" "lines" "time" "peak RSS"
for i in "${!NAME[@]}"; do
	printf "%-34s %9s %8s s %9s MB%s\n" "${NAME[i]}" "${NLINES[i]}" \
		"${SECS[i]}" "${LE[i]}$(mb "${RSS[i]}")" \
		"$([ "${RC[i]}" = 0 ] || echo "  (exit ${RC[i]})")"
done
for n in "${NOTES[@]}"; do
	echo "# $n"
done
echo "# load average before the run: $LOAD ($(nproc) CPUs)"
echo "$GOAL: $VERDICT ($WHY)"

if [ -n "${BENCH_MD:-}" ]; then
	{
		echo "# bootgraph benchmark: a generated initcall_debug log"
		echo
		echo "Load average before the run: $LOAD, $(nproc) CPUs."
		echo
		echo "| command | lines | time (s) | peak RSS (MB) | exit |"
		echo "|---|---|---|---|---|"
		for i in "${!NAME[@]}"; do
			echo "| ${NAME[i]} | ${NLINES[i]} | ${SECS[i]} | ${LE[i]}$(mb "${RSS[i]}") | ${RC[i]} |"
		done
		for n in "${NOTES[@]}"; do
			echo
			echo "$n"
		done
		echo
		echo "$GOAL: **$VERDICT** ($WHY)"
	} >"$BENCH_MD"
fi
if [ -n "${BENCH_JSON:-}" ]; then
	{
		printf '{\n "loadavg": "%s",\n "cpus": %d,\n "rows": [' "$LOAD" "$(nproc)"
		for i in "${!NAME[@]}"; do
			printf '%s\n  {"command": "%s", "lines": %d, "seconds": %s, "peak_rss_kb": %d, "peak_rss_bound_only": %s, "exit": %d}' \
				"$([ "$i" = 0 ] || echo ,)" "${NAME[i]}" "${NLINES[i]}" \
				"${SECS[i]}" "${RSS[i]}" \
				"$([ -n "${LE[i]}" ] && echo true || echo false)" "${RC[i]}"
		done
		printf '\n ],\n "goal": {"command": "bootgraph summary", "lines": %d, "max_seconds": %s, "max_mb": %d, "verdict": "%s", "why": "%s"}\n}\n' \
			"$GOAL_LINES" "$GOAL_S" "$GOAL_MB" "$VERDICT" "$WHY"
	} >"$BENCH_JSON"
fi
