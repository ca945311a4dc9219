#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables of the benchmark runs.

  bench_table.py sim OUT [--rounds=N] RUN...
                                        simulator results of out/bench-sim-RUN/
                                        (and of RUN.r2/ ... RUN.rN/, its later boots)
  bench_table.py plan OUT RUN...        the same, for make bench-plan
  bench_table.py real OUT REPS CFG...   real-device boots out/bench-real-CFG-1..REPS/

Each RUN's guest wrote bench-sim.txt, one line per run of a workload with
key=value fields.  Prints a Markdown table (median wall time, spread, the
ratio to the critical path, probe attempts and deferrals) and writes
OUT/bench-sim.md and OUT/bench-sim.json.
"""
import json
import os
import re
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


def machine(out, run):
    """'-smp N' of a run's QEMU, and the instruction-counted clock if it had it."""
    try:
        cmd = open(f'{out}/{run}/qemu.cmd').read()
    except OSError:
        return '-smp 2'
    m = re.search(r'-smp (\d+)', cmd)
    s = f'-smp {m[1] if m else "?"}'
    if '-icount' in cmd:
        s += (', guest time counted in instructions (-icount shift=0,sleep=off: '
              '1 ns per instruction, all vCPUs in turn on one host thread; ICOUNT=1)')
    return s


def spread(v):
    return f'{min(v) / 1000:.1f}-{max(v) / 1000:.1f}' if v else '-'


def write_report(out, name, md, js):
    """Write OUT/NAME.md and OUT/NAME.json, and print the Markdown."""
    text = '\n'.join(md) + '\n'
    with open(os.path.join(out, f'{name}.md'), 'w') as f:
        f.write(text)
    with open(os.path.join(out, f'{name}.json'), 'w') as f:
        json.dump(js, f, indent=1)
    print(text)


def sim_bound(r):
    """The lower bound of a run's wall time (us): the critical path, and for
    CPU-bound probes also the serial sum spread over the guest's CPUs."""
    crit = int(r.get('critical_us', 0))
    if r.get('cpu_bound') == '1' or 'max_active' in r:
        slots = int(r.get('cpus', 1)) if r.get('cpu_bound') == '1' else 1 << 30
        if int(r.get('max_active', 0)):
            slots = min(slots, int(r['max_active']))
        return max(crit, int(r.get('sum_us', 0)) / max(slots, 1))
    return crit


def plan_counts(r):
    """What a replayed plan did in a run (its plan_* fields): devices
    matched, learned suppliers waited for, deferrals avoided, planned
    probes deferred.  Fields missing or not a count are left out."""
    out = {}
    for k in ('matched', 'waits', 'avoided', 'deferred'):
        v = r.get('plan_' + k, '')
        if v.isdigit():
            out[k] = int(v)
    return out


def plan_cell(c):
    """The table's note of plan_counts(): nothing for a run without a plan."""
    if not c.get('matched'):
        return ''
    return f' m={c["matched"]} v={c.get("avoided", "?")}'


PLAN_TITLE = ('# Probe plan: hidden-dependency storms, first boot, replays, '
              'stock 6.12')


def round_dirs(out, run, rounds):
    """The boots of RUN, round by round: bench-sim-RUN, then bench-sim-RUN.r2..."""
    return [os.path.join(out, f'bench-sim-{run}' + (f'.r{k}' if k > 1 else ''))
            for k in range(1, rounds + 1)]


def round_ratios(per_round, pair):
    """pair[0] / pair[1] of each round in which both have a median wall time."""
    a, b = per_round.get(pair[0], []), per_round.get(pair[1], [])
    return [x / y for x, y in zip(a, b) if x and y]


def ratio_cell(ratios):
    """The ratio column: one round's ratio, or the median and range of several."""
    if not ratios:
        return '-'
    if len(ratios) == 1:
        return f'{ratios[0]:.2f}'
    return (f'{statistics.median(ratios):.2f} '
            f'({min(ratios):.2f}-{max(ratios):.2f})')


def sim(out, runs, report='bench-sim', title=None, pair=('lean-on', 'stock-kernel'),
        rounds=1):
    data = {}       # workload -> run -> list of dicts, with the round in 'round'
    per_round = {}  # workload -> run -> median wall of each round (None: none)
    order = []
    for run in runs:
        for k, rdir in enumerate(round_dirs(out, run, rounds)):
            path = os.path.join(rdir, 'guest', 'bench-sim.txt')
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
                f['round'] = k
                data.setdefault(w, {}).setdefault(run, []).append(f)
    for w in order:
        for run in runs:
            walls = [[int(f['wall_us']) for f in data[w].get(run, [])
                      if f['round'] == k and f.get('wall_us', '').isdigit()]
                     for k in range(rounds)]
            per_round.setdefault(w, {})[run] = [statistics.median(v) if v else None
                                                for v in walls]
    # The framework's default mode against the kernel it replaces, same run.
    ratio = pair[0] in runs and pair[1] in runs
    md = [title or '# Probe simulator: wall time from driver registration to the last bind',
          '',
          f'QEMU TCG, {machine(out, "bench-sim-" + runs[0])}, q35, lean kernels; host {host()}.  Times in ms: '
          'median (min-max) of the runs' +
          (f' of {rounds} boots each, booted in turn (rounds)' if rounds > 1 else '') +
          '; x = wall / bound, where the bound is the '
          'critical path, and for CPU-bound probes (cpu) the larger of it and the '
          'serial sum over the CPUs.' +
          (f'  {pair[0]} / {pair[1]}: the ratio of their medians round by round, '
           'median (min-max) of the rounds.' if rounds > 1 else ''),
          '',
          '| workload | devices | links | serial sum | bound | ' +
          ' | '.join(runs) + (f' | {pair[0]} / {pair[1]}' if ratio else '') + ' |',
          '|---|---|---|---|---|' + '---|' * (len(runs) + bool(ratio))]
    over = ['', '## Scheduling overhead', '',
            'Per run, medians: wall time per device; the attach loop (registering '
            'the driver or the devices, which hands out every probe); the latency '
            'from the moment a device could start (start of the run, its '
            'registration, the end of its last supplier) to the start of its probe; '
            'the CPU time of the whole guest while the module loaded (device '
            'registration included) per device; and the critical path of the probe '
            'times as measured (sleeps overshoot their nominal time under TCG): the '
            'wall time if nothing else delayed a probe.', '',
            '| workload | run | wall/device (us) | attach loop (ms) | latency median (us) '
            '| latency p99 (us) | CPU/device (us) | measured critical path (ms) |',
            '|---|---|---|---|---|---|---|---|']
    js = {'host_cpu': host(), 'qemu': 'TCG -smp 2 -M q35', 'workloads': []}
    for w in order:
        any_run = next(iter(data[w].values()))[0]
        crit = int(any_run.get('critical_us', 0))
        bound = sim_bound(any_run)
        cpu = any_run.get('cpu_bound') == '1'
        n = int(any_run.get('n', 0) or 0)
        row = [w + (' (cpu)' if cpu else ''), any_run.get('n', '?'),
               any_run.get('links', '?'),
               f'{int(any_run.get("sum_us", 0)) / 1000:.1f}', f'{bound / 1000:.1f}']
        jw = {'workload': w, 'n': any_run.get('n'), 'links': any_run.get('links'),
              'sum_us': int(any_run.get('sum_us', 0)), 'critical_us': crit,
              'bound_us': bound, 'cpu_bound': cpu, 'runs': {}}
        meds = {}
        for run in runs:
            rs = [r for r in data[w].get(run, []) if 'wall_us' in r]
            walls = [int(r['wall_us']) for r in rs]
            if not walls:
                row.append('failed' if data[w].get(run) else '-')
                continue
            med = statistics.median(walls)
            meds[run] = med
            ok = all(r.get('bound') == r.get('expected') and r.get('violations') == '0'
                     for r in rs)
            att = rs[0].get('core_attempts', rs[0].get('attempts', '?'))
            dfr = rs[0].get('core_defers', rs[0].get('hidden_defers', '-'))
            cell = f'{med / 1000:.1f} ({spread(walls)}) {med / bound if bound else 0:.2f}x'
            cell += f' a={att} d={dfr}'
            cell += plan_cell(plan_counts(rs[0]))
            cell += '' if ok else ' **BAD**'
            row.append(cell)

            def m(key):
                v = [int(r[key]) for r in rs if key in r]
                return statistics.median(v) if v else None
            lat, p99, cpu_ms, reg = (m('lat_med_us'), m('lat_p99_us'), m('cpu_ms'),
                                     m('register_us'))
            real_cp = m('critical_real_us')

            def fmt(v, scale=1.0, digits=0):
                return '-' if v is None or not n else f'{v * scale:.{digits}f}'
            over.append(f'| {w} | {run} | {fmt(med / n if n else None, 1, 1)} | '
                        f'{fmt(reg, 1 / 1000, 1)} | {fmt(lat)} | {fmt(p99)} | '
                        f'{fmt(cpu_ms, 1000 / n if n else 0, 1)} | '
                        f'{fmt(real_cp, 1 / 1000, 1)} |')
            jw['runs'][run] = {'wall_us': walls, 'median_us': med,
                               'round_median_us': per_round[w][run],
                               'ratio': med / bound if bound else None,
                               'attempts': att, 'deferrals': dfr, 'correct': ok,
                               'plan': plan_counts(rs[0]),
                               'latency_median_us': lat, 'latency_p99_us': p99,
                               'cpu_ms': cpu_ms, 'register_us': reg,
                               'critical_real_us': real_cp}
        if ratio:
            rs = round_ratios(per_round.get(w, {}), pair)
            row.append(ratio_cell(rs))
            jw['on_over_stock'] = statistics.median(rs) if rs else None
            jw['on_over_stock_rounds'] = rs
        md.append('| ' + ' | '.join(str(c) for c in row) + ' |')
        js['workloads'].append(jw)
    md += ['', 'a = probe attempts by the driver core (the simulator\'s own count on '
           'the stock kernel), d = deferrals (the simulator\'s count where the '
           'kernel has no counter), both of the first run; with a replayed plan, '
           'm = devices it matched and v = deferrals it avoided (devices that '
           'deferred when the plan was made, bound without one).']
    md += over
    write_report(out, report, md, js)


TS = re.compile(r'^\[ *(\d+\.\d+)\]')


def boot_facts(run_dir):
    """Times (s) of the last successful probe and of /init, counts, disks."""
    f = {'last_probe': None, 'init': None, 'probes': 0, 'defers': 0, 'failed': 0}
    try:
        lines = open(os.path.join(run_dir, 'guest', 'dmesg.txt'), errors='replace')
    except OSError:
        return None
    for line in lines:
        m = TS.match(line)
        if not m:
            continue
        t = float(m.group(1))
        if ' probe of ' in line and ' returned ' in line:
            f['probes'] += 1
            if ' returned 0 after ' in line:
                f['last_probe'] = max(f['last_probe'] or 0, t)
            elif ' returned -517 after ' in line:
                f['defers'] += 1
            else:
                f['failed'] += 1
        elif 'Run /init as init process' in line:
            f['init'] = t
    try:
        f['disks'] = sorted(open(os.path.join(run_dir, 'guest', 'disks.txt')).read().split('\n'))
    except OSError:
        f['disks'] = []
    return f


def real(out, reps, cfgs):
    import subprocess
    rows, js, med = [], {'host_cpu': host(), 'qemu': 'TCG -smp 2 -M q35', 'configs': {}}, {}
    ref = None
    for cfg in cfgs:
        runs = [boot_facts(os.path.join(out, f'bench-real-{cfg}-{r}'))
                for r in range(1, reps + 1)]
        runs = [r for r in runs if r and r['last_probe'] is not None]
        if not runs:
            rows.append(f'| {cfg} | 0 | failed | | | | |')
            continue
        lp = sorted(r['last_probe'] for r in runs)
        it = sorted(r['init'] for r in runs if r['init'] is not None)
        disks = runs[0]['disks']
        if ref is None:
            ref = disks
        same = 'same' if disks == ref else 'REORDERED'
        names = ' '.join(d.split()[0] + '=' + (d.split()[1] if len(d.split()) > 1 else '?')
                         for d in disks if d)
        med[cfg] = statistics.median(lp)
        init = f'{statistics.median(it):.3f} ({it[0]:.3f}-{it[-1]:.3f})' if it else '-'
        rows.append(f'| {cfg} | {len(runs)} | '
                    f'{statistics.median(lp):.3f} ({lp[0]:.3f}-{lp[-1]:.3f}) | {init} | '
                    f'{runs[0]["probes"]} | {runs[0]["defers"]} | {same} |')
        js['configs'][cfg] = {'last_probe_s': lp, 'init_s': it, 'probes': runs[0]['probes'],
                              'deferrals': runs[0]['defers'], 'disks': disks,
                              'same_names_as_first': disks == ref}
    md = ['# Real devices: kernel start to the last successful probe and to /init', '',
          f'QEMU TCG, {machine(out, f"bench-real-{cfgs[0]}-1")}, q35 with 8 virtio-blk, 3 AHCI, NVMe, xHCI (USB storage, '
          f'keyboard, tablet), virtio-scsi, 2 virtio-net, e1000e; host {host()}; '
          f'{reps} boots each (boots: those that ended and count), seconds: '
          f'median (min-max).', '',
          '| configuration | boots | last probe | /init | probes | deferrals | '
          'disk names vs first |',
          '|---|---|---|---|---|---|---|'] + rows
    if med:
        fast, slow = min(med, key=med.get), max(med, key=med.get)
        for tag, cfg in (('fastest', fast), ('slowest', slow)):
            log = os.path.join(out, f'bench-real-{cfg}-1', 'guest', 'dmesg.txt')
            bg = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                              'tools', 'bootgraph', 'bootgraph')
            svg = os.path.join(out, f'bench-real-{tag}.svg')
            chain = os.path.join(out, f'bench-real-{tag}.critical-chain.txt')
            if os.access(bg, os.X_OK):
                subprocess.run([bg, 'svg', '-o', svg, log], stderr=subprocess.DEVNULL)
                subprocess.run([bg, 'critical-chain', '-o', chain, log],
                               stderr=subprocess.DEVNULL)
            md.append(f'\n{tag}: {cfg}, timeline {os.path.basename(svg)}, critical chain '
                      f'{os.path.basename(chain)}')
        md.append('\nDisk names of the first configuration: ' +
                  ' '.join(d for d in ref if d).replace('\n', ' '))
    write_report(out, 'bench-real', md, js)


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == 'sim' and sys.argv[3].startswith('--rounds='):
        sim(sys.argv[2], sys.argv[4:], rounds=int(sys.argv[3].split('=', 1)[1]))
    elif len(sys.argv) >= 4 and sys.argv[1] == 'sim':
        sim(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) >= 4 and sys.argv[1] == 'plan':
        sim(sys.argv[2], sys.argv[3:], 'bench-plan', PLAN_TITLE,
            ('plan-replay1', 'stock-kernel-plan'))
    elif len(sys.argv) >= 5 and sys.argv[1] == 'real':
        real(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
