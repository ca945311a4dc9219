#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables of the benchmark runs.

  bench_table.py sim OUT RUN...   simulator results of out/bench-sim-RUN/

Each RUN's guest wrote bench-sim.txt, one line per run of a workload with
key=value fields.  Prints a Markdown table (median wall time, spread, the
ratio to the critical path, probe attempts and deferrals) and writes
OUT/bench-sim.md and OUT/bench-sim.json.
"""
import json
import os
import statistics
import sys


def fields(line):
    return dict(kv.split('=', 1) for kv in line.split() if '=' in kv)


def host():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown'


def spread(v):
    return f'{min(v) / 1000:.1f}-{max(v) / 1000:.1f}' if v else '-'


def sim(out, runs):
    data = {}       # workload -> run -> list of dicts
    order = []
    for run in runs:
        path = os.path.join(out, f'bench-sim-{run}', 'guest', 'bench-sim.txt')
        try:
            lines = open(path).read().splitlines()
        except OSError:
            lines = []
        for line in lines:
            f = fields(line)
            w = f.get('workload')
            if not w:
                continue
            if w not in order:
                order.append(w)
            data.setdefault(w, {}).setdefault(run, []).append(f)
    md = ['# Probe simulator: wall time from driver registration to the last bind',
          '',
          f'QEMU TCG, -smp 2, q35, lean kernels; host {host()}.  Times in ms: '
          'median (min-max) of the runs; x = wall / critical path.',
          '',
          '| workload | devices | links | serial sum | critical path | ' +
          ' | '.join(runs) + ' |',
          '|---|---|---|---|---|' + '---|' * len(runs)]
    js = {'host_cpu': host(), 'qemu': 'TCG -smp 2 -M q35', 'workloads': []}
    for w in order:
        any_run = next(iter(data[w].values()))[0]
        crit = int(any_run.get('critical_us', 0))
        row = [w, any_run.get('n', '?'), any_run.get('links', '?'),
               f'{int(any_run.get("sum_us", 0)) / 1000:.1f}', f'{crit / 1000:.1f}']
        jw = {'workload': w, 'n': any_run.get('n'), 'links': any_run.get('links'),
              'sum_us': int(any_run.get('sum_us', 0)), 'critical_us': crit, 'runs': {}}
        for run in runs:
            rs = [r for r in data[w].get(run, []) if 'wall_us' in r]
            walls = [int(r['wall_us']) for r in rs]
            if not walls:
                row.append('failed' if data[w].get(run) else '-')
                continue
            med = statistics.median(walls)
            ok = all(r.get('bound') == r.get('expected') and r.get('violations') == '0'
                     for r in rs)
            att = rs[0].get('core_attempts', rs[0].get('attempts', '?'))
            dfr = rs[0].get('core_defers', '-')
            cell = f'{med / 1000:.1f} ({spread(walls)}) {med / crit if crit else 0:.2f}x'
            cell += f' a={att} d={dfr}' + ('' if ok else ' **BAD**')
            row.append(cell)
            jw['runs'][run] = {'wall_us': walls, 'median_us': med,
                               'ratio': med / crit if crit else None,
                               'attempts': att, 'deferrals': dfr, 'correct': ok}
        md.append('| ' + ' | '.join(str(c) for c in row) + ' |')
        js['workloads'].append(jw)
    md += ['', 'a = probe attempts by the driver core (the simulator\'s own count on '
           'the stock kernel), d = deferrals (- where the kernel has no counter).']
    text = '\n'.join(md) + '\n'
    with open(os.path.join(out, 'bench-sim.md'), 'w') as f:
        f.write(text)
    with open(os.path.join(out, 'bench-sim.json'), 'w') as f:
        json.dump(js, f, indent=1)
    print(text)


def main():
    if len(sys.argv) < 4 or sys.argv[1] != 'sim':
        sys.exit(__doc__)
    sim(sys.argv[2], sys.argv[3:])


if __name__ == '__main__':
    main()
