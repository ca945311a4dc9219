#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-async: what kernel/async.c costs, the project's against
# stock 6.12, measured by one module (tools/testing/async_bench) built
# against each lean kernel and run in the same make invocation.
# Writes out/bench-async.md and out/bench-async.json.
set -eu
. "$(dirname "$0")/lib.sh"

REPS=${REPS:-5}
for flavour in lean stock; do
	[ $flavour = stock ] && "$TOP/scripts/tree.sh" stock
	"$TOP/scripts/kernel.sh" $flavour
	ko=$("$TOP/scripts/extmod.sh" $flavour async_bench "$TOP/tools/testing/async_bench/async_bench.c")
	EXTRA_KO="$ko" "$TOP/scripts/initramfs.sh" $flavour bench
	say "async benchmark on the $flavour kernel ($REPS runs of each case)"
	"$TOP/scripts/boot.sh" -n bench-async-$flavour -s bench-async -t 900 \
		-I "$BUILD/initramfs/$flavour-bench.cpio" -c "BENCH_ARGS=reps=$REPS" $flavour
	python3 "$TOP/scripts/judge.py" "$OUT/bench-async-$flavour/console.log" ||
		die "the $flavour benchmark boot was not clean"
done

python3 - "$OUT" "$TOP" <<'PY'
import json, os, re, statistics, subprocess, sys
out = sys.argv[1]
rx = re.compile(r'async_bench: case=(\S+) run=\d+ n=(\d+) total_us=(\d+) ns_per_call=(\d+)')
res = {}
for k in ('lean', 'stock'):
    for line in open(f'{out}/bench-async-{k}/guest/bench-async.txt'):
        m = rx.search(line)
        if m:
            res.setdefault(m[1], {}).setdefault(k, []).append((int(m[2]), int(m[3]), int(m[4])))
cpu = subprocess.run(['sh', '-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.strip()
def cell(v):
    if not v:
        return '-'
    ns = sorted(x[2] for x in v)
    return f'{statistics.median(ns):,.0f} ({ns[0]:,}-{ns[-1]:,})'
rows = []
desc = {'plain': 'schedule N empty calls + async_synchronize_full',
        'roundtrip': 'schedule one call + wait for it, N times',
        'wide': 'N calls after one root, from the root\'s release',
        'deep': 'chain of N calls, from the root\'s release',
        'pending-schedule': 'schedule 100,000 parked calls',
        'pending-drain': 'run the 100,000 parked calls once released'}
sys.path.insert(0, os.path.join(sys.argv[2], 'scripts'))
from bench_table import machine
guest = machine(out, 'bench-async-lean')
md = ['# async benchmark: ns per call, median (min-max) of the runs', '',
      f'QEMU TCG, {guest}, q35; host {cpu}; lean kernels, same module.', '',
      '| case | n | what | project | stock 6.12 |', '|---|---|---|---|---|']
for case in desc:
    v = res.get(case, {})
    n = (v.get('lean') or v.get('stock') or [(0, 0, 0)])[0][0]
    md.append(f'| {case} | {n:,} | {desc[case]} | {cell(v.get("lean"))} | {cell(v.get("stock"))} |')
    rows.append({'case': case, 'n': n, 'ns_per_call': {k: [x[2] for x in v.get(k, [])] for k in ('lean', 'stock')}})
open(f'{out}/bench-async.md', 'w').write('\n'.join(md) + '\n')
json.dump({'host_cpu': cpu, 'qemu': f'TCG {guest} -M q35',
           'cases': rows},
          open(f'{out}/bench-async.json', 'w'), indent=1)
print('\n'.join(md))
PY
