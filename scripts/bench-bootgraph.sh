#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-bootgraph: bootgraph's time and peak memory on a generated
# 1,000,000-line initcall_debug log, beside scripts/bootgraph.pl and
# tools/power/pm-graph/bootgraph.py of build/linux on the same log
# (tools/bootgraph/tests/bench.sh), and whether "bootgraph summary" met
# its goal (1,000,000 lines in 0.5 s or less, 100 MB or less).  Builds
# the optimised bootgraph first, not the sanitizer one of its tests.
# Writes out/bench-bootgraph.md and out/bench-bootgraph.json.
#
#   BENCH_LINES=n      lines of the generated log (default 1000000; the
#                      goal is judged on 1,000,000 lines only)
#   BENCH_PY_LINES=n   its first n lines for bootgraph.py (default 100000)
set -eu
. "$(dirname "$0")/lib.sh"

BGDIR=$TOP/tools/bootgraph
[ -f "$KSRC/scripts/bootgraph.pl" ] ||
	die "$KSRC/scripts/bootgraph.pl is missing (make prepare)"
say "building bootgraph (optimised, no sanitizers)"
make -s -C "$BGDIR" bootgraph
say "timing bootgraph, scripts/bootgraph.pl and bootgraph.py" \
	"on ${BENCH_LINES:-1000000} lines (table also in out/bench-bootgraph.md)"
mkdir -p "$OUT"
BENCH_MD=$OUT/bench-bootgraph.md BENCH_JSON=$OUT/bench-bootgraph.json \
	"$BGDIR/tests/bench.sh" "$BGDIR/bootgraph" "$KSRC"
