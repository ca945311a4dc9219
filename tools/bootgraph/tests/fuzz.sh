#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh FUZZER SECONDS: a bounded libFuzzer run of bootgraph, seeded with
# the sample logs.  Crashes are left in fuzz/crashes/; exit status non-zero
# when the fuzzer found one.

set -u
FUZZER=$(realpath "$1")
SECS=${2:-20}
cd "$(dirname "$0")/.." || exit 1
CORPUS=fuzz/corpus-run
mkdir -p "$CORPUS" fuzz/crashes
# seeds: the samples, each prefixed by every command selector byte
for f in tests/samples/*.log tests/samples/*.kmsg tests/samples/*.trace \
	 tests/samples/*.txt tests/bad/*; do
	[ -f "$f" ] || continue
	for c in 0 1 2 3 4 5 6 7 8 9; do	# one per command
		{ printf "\\x3$c"; head -c 16000 "$f"; } >"$CORPUS/seed-$c-$(basename "$f")"
	done
done
exec "$FUZZER" -max_total_time="$SECS" -max_len=16384 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix=fuzz/crashes/ "$CORPUS"
