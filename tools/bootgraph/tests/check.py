#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Assertions on bootgraph output used by run-tests.sh; standard library
# only.  Each subcommand exits 0 when the check holds and prints why not
# otherwise.
#
#   check.py same-events A.json B.json     devices and initcalls equal
#   check.py same-devices A.json B.json    devices equal
#   check.py same-events-caller A B        same, B has pids from caller ids
#   check.py rows LOG JSON SVG             every probed device has a row
#   check.py chain JSON CHAIN.txt          critical chain adds up
#   check.py trace TRACE.json              Chrome trace-event format rules
#   check.py html PAGE.html                self-contained, data parses
#   check.py svg IMAGE.svg                 well-formed, classes, tooltips
#   check.py csv CSV JSON                  one row per attempt and call
#   check.py schema JSON                   documented keys and types
#   check.py diff-zero DIFF.txt            all deltas zero
#   check.py diff-delta DIFF.txt DEV DELTA device changed by DELTA
#   check.py summary-many SUMMARY LOG...   median (min .. max) of each
#                                          device and initcall listed,
#                                          recomputed from the logs
#   check.py diff-mw DIFF.txt [-a] A.log... -- B.log...
#                                          medians, exact Mann-Whitney p
#                                          and the rows listed, recomputed
#                                          from the "after N usecs" lines
#   check.py diff-logs DIFF.txt [-t USECS] [-a] A.log [--] B.log
#                                          diff of one boot a side: every
#                                          row, count, one-side list and
#                                          the listing rule, recomputed
#                                          from the two console logs
#   check.py nesting JSON [PARENT:CHILD...] every nested probe justified,
#                                          self times add up; the pairs
#                                          given are exactly the nested ones
#   check.py chain-evidence JSON LOG...    each chain link has its evidence
#   check.py svg-window SVG FROM TO         no bar outside the window
#   check.py svg-axis SVG                   the axis ends at the last thing
#                                          drawn, less than 5% after it
#   check.py view-end JSON                  view_end_us: the last thing drawn
#   check.py labels JSON WANT               "name bus driver" per device
#   check.py initcall-durs LOG JSON        kernel's usecs once the clock is
#                                          fine, timestamps before
#   check.py probe-durs LOG JSON           each probe's start, end and
#                                          duration as the log's lines
#                                          say: the kernel's N ("probe
#                                          of" before usecs=) once the
#                                          clock is fine
#   check.py overview SVG JSON KEY TOP FAST MAXH
#                                          the overview of a large boot:
#                                          at most MAXH px tall, the TOP
#                                          slowest devices by self time,
#                                          then per group (KEY: bus or
#                                          driver) its count, its fast
#                                          ones (self < FAST usecs), span
#                                          and self time, from the json

import json
import re
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print(msg)
    sys.exit(1)


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def same_events(a, b):
    ja, jb = load(a), load(b)
    for key in ('devices', 'initcalls', 'summary', 'critical_chain', 'markers'):
        if ja[key] != jb[key]:
            for x, y in zip(ja[key] if isinstance(ja[key], list) else [ja[key]],
                            jb[key] if isinstance(jb[key], list) else [jb[key]]):
                if x != y:
                    fail('%s differs:\n  %s\n  %s' % (key, x, y))
            fail('%s differs in length' % key)


def same_events_caller(a, b):
    # B has printk caller ids: the pids that A lacks must come from them.
    ja, jb = load(a), load(b)
    gained = 0
    for da, db in zip(ja['devices'], jb['devices']):
        for x, y in zip(da['attempts'], db['attempts']):
            if x['pid'] is None and y['pid'] is not None:
                y['pid'] = None
                gained += 1
    if not gained:
        fail('no pid from the caller ids')
    for key in ('devices', 'initcalls', 'summary', 'critical_chain', 'markers'):
        if ja[key] != jb[key]:
            fail('%s differs' % key)


def same_devices(a, b):
    ja, jb = load(a), load(b)
    if ja['devices'] != jb['devices']:
        fail('devices differ')


DEV_RES = [re.compile(r'probe of (\S+) returned'),
           re.compile(r'async_probe[_:] ?\w*:? .*?dev=(\S+)'),
           re.compile(r' (\S+): deferred probe pending')]


def rows(log, js, svg):
    names = set()
    with open(log, encoding='utf-8', errors='replace') as f:
        for line in f:
            for r in DEV_RES:
                m = r.search(line)
                if m:
                    names.add(m.group(1))
    got = {d['name'] for d in load(js)['devices']}
    if names != got:
        fail('json devices %s, log devices %s' % (sorted(got ^ names), ''))
    text = open(svg, encoding='utf-8').read()
    labels = set(re.findall(r'<text x="16" y="\d+">([^<]*)</text>', text))
    missing = [n for n in names if n not in labels]
    if missing:
        fail('no svg row for %s' % missing)


def chain(js, txt):
    j = load(js)
    c, s = j['critical_chain'], j['summary']
    if not c:
        fail('empty chain')
    total = 0
    for i, link in enumerate(c):
        if link['end_us'] - link['start_us'] != link['dur_us']:
            fail('link %s: start + dur != end' % link['device'])
        total += link['dur_us']
        if i and link['start_us'] < c[i - 1]['end_us']:
            fail('link %s starts before %s ended' % (link['device'],
                                                     c[i - 1]['device']))
    gaps = sum(c[i]['start_us'] - c[i - 1]['end_us'] for i in range(1, len(c)))
    if c[0]['start_us'] + total + gaps != c[-1]['end_us']:
        fail('durations and gaps do not add up to the end')
    if c[-1]['end_us'] != s['probe_end_us'] or total != s['critical_path_us']:
        fail('chain end/length differ from the summary')
    text = open(txt, encoding='utf-8').read()
    durs = re.findall(r' @(\d+\.\d+)s \+(\d+(?:\.\d+)?)(us|ms|s)', text)
    if len(durs) != len(c):
        fail('text has %d links, json %d' % (len(durs), len(c)))
    mult = {'us': 1, 'ms': 1000, 's': 1000000}
    tsum = sum(round(float(d) * mult[u]) for _, d, u in durs)
    # Each printed duration is rounded to its last digit: allow for that.
    slack = sum(mult[u] * 10 ** -len(d.partition('.')[2]) / 2 for _, d, u in durs)
    if abs(tsum - total) > slack:
        fail('text durations add up to %d, not %d' % (tsum, total))


def trace(path):
    j = load(path)
    evs = j['traceEvents'] if isinstance(j, dict) else j
    if not evs:
        fail('no events')
    flows = {}
    for e in evs:
        ph = e.get('ph')
        if ph not in ('X', 'M', 'i', 's', 'f'):
            fail('bad ph %r' % ph)
        for k in ('pid', 'tid', 'name'):
            if k not in e:
                fail('%s event without %s: %s' % (ph, k, e))
        if not isinstance(e['pid'], int) or not isinstance(e['tid'], int):
            fail('pid/tid not integers: %s' % e)
        if ph == 'M':
            if e['name'] not in ('process_name', 'thread_name',
                                 'process_sort_index', 'thread_sort_index'):
                fail('bad metadata %s' % e)
            if 'args' not in e:
                fail('metadata without args')
            continue
        if not isinstance(e.get('ts'), (int, float)) or e['ts'] < 0:
            fail('bad ts: %s' % e)
        if e['ts'] > 10 ** 10:
            fail('ts not in microseconds? %s' % e)
        if ph == 'X':
            if not isinstance(e.get('dur'), (int, float)) or e['dur'] < 0:
                fail('bad dur: %s' % e)
            if 'cat' not in e:
                fail('X without cat')
        if ph == 'i' and e.get('s') not in ('g', 'p', 't'):
            fail('bad instant scope')
        if ph in ('s', 'f'):
            flows.setdefault(e['id'], []).append(ph)
    for i, v in flows.items():
        if sorted(v) != ['f', 's']:
            fail('flow %s unpaired: %s' % (i, v))
    # slices on one thread must nest or follow each other
    by = {}
    for e in evs:
        if e['ph'] == 'X':
            by.setdefault((e['pid'], e['tid']), []).append(
                (e['ts'], e['ts'] + e['dur']))
    for k, v in by.items():
        v.sort()
        for a, b in zip(v, v[1:]):
            if b[0] < a[1] and b[1] > a[1]:
                fail('overlapping slices on %s: %s %s' % (k, a, b))


def html(path):
    text = open(path, encoding='utf-8').read()
    for m in re.finditer(r'(?:src|href)\s*=\s*["\']?(https?:|//)', text):
        fail('external resource at %d' % m.start())
    urls = set(re.findall(r'https?://[^\s"\'<>]+', text))
    if urls - {'http://www.w3.org/2000/svg'}:
        fail('network addresses in the page: %s' % urls)
    m = re.search(r'<script type="application/json" id="bgdata">(.*?)</script>',
                  text, re.S)
    if not m:
        fail('no data block')
    data = json.loads(m.group(1))
    if data['schema'] != 'bootgraph-html-1':
        fail('bad schema')
    # compact rows: [name, bus, driver, state, self, crit, deps, reason,
    # defer_us, attempts of 8], calls of 7, strings by index
    for d in data['devices']:
        if len(d) != 10 or any(len(a) != 8 for a in d[9]):
            fail('device row %s' % d[:1])
        for i in (1, 2, 3):
            if d[i] is not None and not 0 <= d[i] < len(data['strings']):
                fail('%s: string %d out of range' % (d[0], d[i]))
    for c in data['initcalls'] + data['async']:
        if len(c) != 7:
            fail('call row %s' % c[:1])
    if '<script>' not in text or 'window.bootgraph' not in text:
        fail('no script')


def svg(path):
    tree = ET.parse(path)
    root = tree.getroot()
    ns = '{http://www.w3.org/2000/svg}'
    if root.tag != ns + 'svg' or not root.get('width'):
        fail('not an svg root')
    style = root.find(ns + 'defs/' + ns + 'style')
    if style is None or '.bound' not in style.text:
        fail('no <defs><style> with the classes')
    bars = [r for r in root.iter(ns + 'rect') if r.find(ns + 'title') is not None]
    if not bars:
        fail('no bars with tooltips')
    w = float(root.get('width'))
    for t in root.iter(ns + 'text'):
        if float(t.get('x', 0)) > w:
            fail('text outside the image')


def csv_check(path, js):
    import csv
    j = load(js)
    with open(path, encoding='utf-8', newline='') as f:
        rows_ = list(csv.reader(f))
    if rows_[0][:3] != ['kind', 'name', 'driver']:
        fail('bad header')
    want = sum(max(len(d['attempts']), 1) for d in j['devices'])
    want += len(j['initcalls']) + len(j['async'])
    if len(rows_) - 1 != want:
        fail('%d rows, want %d' % (len(rows_) - 1, want))
    if any(len(r) != len(rows_[0]) for r in rows_):
        fail('ragged rows')
    # self_us of each probe row is the json attempt's
    col = rows_[0].index('self_us')
    want_self = []
    for d in j['devices']:
        for a in d['attempts'] or [{'self_us': None}]:
            want_self.append('' if a['self_us'] is None else str(a['self_us']))
    got_self = [r[col] for r in rows_[1:] if r[0] == 'probe']
    if got_self != want_self:
        fail('self_us %s, want %s' % (got_self[:8], want_self[:8]))


def schema(js):
    j = load(js)
    top = {'schema': str, 'version': str, 'input': dict, 'summary': dict,
           'markers': list, 'devices': list, 'initcalls': list, 'async': list,
           'critical_chain': list}
    for k, t in top.items():
        if not isinstance(j.get(k), t):
            fail('top-level %s missing or not %s' % (k, t.__name__))
    dev_keys = {'name', 'bus', 'driver', 'state', 'total_us', 'self_us',
                'critical', 'deps',
                'defer_reason', 'defer_us', 'attempts'}
    att_keys = {'park_us', 'queue_us', 'start_us', 'end_us', 'dur_us', 'ret',
                'pid', 'cookie', 'critical', 'self_us', 'parent'}
    for d in j['devices']:
        if set(d) != dev_keys:
            fail('device keys %s' % sorted(d))
        if d['state'] not in ('bound', 'failed', 'deferred', 'running', 'pending'):
            fail('bad state')
        for a in d['attempts']:
            if set(a) != att_keys:
                fail('attempt keys %s' % sorted(a))
    for k in ('probe_start_us', 'probe_end_us', 'serial_us', 'parallelism',
              'critical_path_us', 'devices', 'bound', 'failed', 'deferred',
              'running', 'pending', 'initcalls', 'log_end_us', 'view_end_us'):
        if k not in j['summary']:
            fail('summary without %s' % k)


DELTA_RE = re.compile(r'\s([+-][0-9.]+(?:us|ms|s)?)(?:\s|$)')


def diff_zero(path):
    text = open(path, encoding='utf-8').read()
    if 'no device changed' not in text:
        fail('devices changed')
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith('Boot '))
    for line in lines[start + 1:]:
        if not line.strip():
            break
        m = DELTA_RE.search(line)
        if not m or not re.fullmatch(r'[+-]?0(\.0+)?(us)?', m.group(1)):
            fail('non-zero delta: %s' % line)


def log_samples(logs):
    """name -> [usecs per boot] of probes and initcalls, summed per boot."""
    out = {}
    probe = re.compile(r'\] probe of (\S+) returned -?\d+ after (\d+) usecs')
    init = re.compile(r'\] initcall (\w+)\+\S+ returned -?\d+ after (\d+) usecs')
    for i, log in enumerate(logs):
        for line in open(log, encoding='utf-8'):
            m = probe.search(line) or init.search(line)
            if m:
                v = out.setdefault(m.group(1), {})
                v[i] = v.get(i, 0) + int(m.group(2))
    return {k: list(v.values()) for k, v in out.items()}


def exact_mw_p(a, b):
    """Two-sided exact p of U by enumerating every split (no ties)."""
    from itertools import combinations
    pool = sorted(a + b)
    rank = {v: i + 1 for i, v in enumerate(pool)}
    m, n = len(a), len(b)
    u = sum(rank[v] for v in a) - m * (m + 1) / 2
    lo = min(u, m * n - u)
    us = [sum(c) - m * (m + 1) / 2 for c in combinations(range(1, m + n + 1), m)]
    return min(1.0, 2 * sum(x <= lo for x in us) / len(us))


def fmt_dur(us):
    """bg_fmt_dur() of llround(us): halves away from zero"""
    us = int(us + 0.5) if us >= 0 else -int(-us + 0.5)
    if abs(us) >= 1000000:
        ms = (abs(us) + 500) // 1000
        return '%s%d.%03ds' % ('-' if us < 0 else '', ms // 1000, ms % 1000)
    if abs(us) >= 1000:
        return '%s%d.%03dms' % ('-' if us < 0 else '', abs(us) // 1000, abs(us) % 1000)
    return '%dus' % us


def summary_many(path, *logs):
    import statistics
    samples = log_samples(logs)
    n = 0
    for line in open(path, encoding='utf-8'):
        m = re.match(r'  (\S+)\s.*?(\S+)\s+\((\S+) \.\. (\S+)\)(?:\s+in (\d+) of (\d+) boots)?$',
                     line)
        if not m:
            continue
        v = samples.get(m.group(1))
        if v is None:
            fail('%s: not in the logs' % m.group(1))
        want = (fmt_dur(statistics.median(v)), fmt_dur(min(v)), fmt_dur(max(v)))
        if m.group(2, 3, 4) != want:
            fail('%s: %s, want %s' % (m.group(1), m.group(2, 3, 4), want))
        seen = int(m.group(5)) if m.group(5) else len(logs)
        if seen != len(v) or (m.group(6) and int(m.group(6)) != len(logs)):
            fail('%s: in %s boots, want %d of %d' % (m.group(1), seen, len(v), len(logs)))
        n += 1
    if not n:
        fail('no device or initcall rows')
    print('# %d rows: median and range as the logs say' % n)


def diff_mw(path, *logs):
    import statistics
    every = logs[0] == '-a'         # diff -a: every row listed
    logs = logs[every:]
    sep = logs.index('--')
    a, b = log_samples(logs[:sep]), log_samples(logs[sep + 1:])
    listed = set()
    section = None
    for line in open(path, encoding='utf-8'):
        if line.startswith(('Devices', 'Initcalls')):
            section = line
            continue
        f = line.split()
        if not section or len(f) < 5 or not re.fullmatch(r'[01]\.\d{3}', f[-1]):
            continue
        name = f[0]
        if name not in a or name not in b:
            fail('%s: not on both sides of the logs' % name)
        if len(set(a[name] + b[name])) != len(a[name] + b[name]):
            continue        # ties: the normal approximation, not checked here
        p = exact_mw_p(a[name], b[name])
        if abs(p - float(f[-1])) > 0.0005:
            fail('%s: p %s, want %.4f' % (name, f[-1], p))
        listed.add(name)
    want = set()
    for name in set(a) & set(b):
        qa = statistics.quantiles(a[name], n=4, method='inclusive')
        qb = statistics.quantiles(b[name], n=4, method='inclusive')
        d = statistics.median(b[name]) - statistics.median(a[name])
        if exact_mw_p(a[name], b[name]) < 0.05 and \
           abs(d) > max(qa[2] - qa[0], qb[2] - qb[0]):
            want.add(name)
    if not every and listed != want:
        fail('listed %s, want %s' % (sorted(listed), sorted(want)))
    print('# %d rows listed, p and the listing rule recomputed' % len(listed))


def diff_delta(path, dev, delta):
    for line in open(path, encoding='utf-8'):
        f = line.split()
        if f and f[0] == dev:
            if delta not in line:
                fail('%s: want %s in %s' % (dev, delta, line))
            return
    fail('%s not listed' % dev)


CALL_RE = re.compile(r'\[\s*(\d+\.\d+)\] calling  (\S+(?: \[\S+\])?) @')
RET_RE = re.compile(r'\[\s*(\d+\.\d+)\] initcall (\S+(?: \[\S+\])?) returned (?:-?\d+ )?'
                    r'after (\d+) usecs')
CLOCK_RE = re.compile(r'clocksource: Switched to clocksource (\S+)')


def usecs(ts):
    sec, frac = ts.split('.')
    return int(sec) * 1000000 + int((frac + '000000')[:6])


def clocked_lines(log):
    """The lines of a console log, each with whether the kernel's clock
    was still coarse: from a "Linux version" line until the switch to a
    clocksource other than jiffies."""
    coarse = False
    for line in open(log, encoding='utf-8', errors='replace'):
        if '] Linux version ' in line:
            coarse = True
        m = CLOCK_RE.search(line)
        if m:
            coarse = m.group(1) in ('jiffies', 'refined-jiffies')
        yield line, coarse


def initcall_durs(log, js):
    # What each initcall's duration must be, in the order of the json
    # (that of the "calling" lines; a call without one where it ended).
    want, start = [], {}
    for line, coarse in clocked_lines(log):
        m = CALL_RE.match(line)
        if m:
            start[m.group(2)] = (usecs(m.group(1)), len(want))
            want.append(None)
        m = RET_RE.match(line)
        if not m:
            continue
        func, end, n = m.group(2), usecs(m.group(1)), int(m.group(3))
        if func not in start:
            want.append((func, n, 'kernel'))
        elif coarse:
            want[start[func][1]] = (func, end - start[func][0], 'timestamps')
        else:
            want[start[func][1]] = (func, n, 'kernel')
        start.pop(func, None)
    want = [w for w in want if w]
    got = [(c['func'], c['dur_us'], c['dur_from']) for c in load(js)['initcalls']
           if c['end_us'] is not None]
    strip = re.compile(r'\+0x[0-9a-f]+/0x[0-9a-f]+')
    want = [(strip.sub('', f), d, k) for f, d, k in want]
    if len(want) != len(got):
        fail('%d initcalls in the log, %d in the json' % (len(want), len(got)))
    kinds = set()
    for w, g in zip(want, got):
        if w != g:
            fail('initcall %s: want %s, got %s' % (w[0], w[1:], g[1:]))
        kinds.add(w[2])
    print('# %d initcalls checked, sources %s' % (len(want), sorted(kinds)))


def name_extends(child, parent):
    return (child.startswith(parent) and len(child) > len(parent) and
            child[len(parent)] in ':.')


def nesting(js, *want):
    named = {}    # parents the log names ("--log=FILE" first)
    if want and want[0].startswith('--log='):
        for line in open(want[0][6:], encoding='utf-8', errors='replace'):
            m = USB_BUS_RE.search(line.rstrip())
            if m:
                named['usb' + m.group(2)] = m.group(1)
        want = want[1:]
    j = load(js)
    att = {}
    for d in j['devices']:
        for a in d['attempts']:
            att.setdefault(d['name'], []).append(a)
    got, child_time = set(), {}
    for d in j['devices']:
        for a in d['attempts']:
            if a['parent'] is None:
                continue
            p = [x for x in att[a['parent']] if x['start_us'] is not None and
                 x['start_us'] <= a['start_us'] and a['end_us'] <= x['end_us']]
            if not p:
                fail('%s: parent %s does not contain it' % (d['name'], a['parent']))
            same_task = a['pid'] is not None and a['pid'] == p[0]['pid']
            unknown = a['pid'] is None or p[0]['pid'] is None
            if not same_task and not (unknown and (
                    name_extends(d['name'], a['parent']) or
                    named.get(d['name']) == a['parent'])):
                fail('%s in %s: no evidence' % (d['name'], a['parent']))
            got.add('%s:%s' % (a['parent'], d['name']))
            k = (a['parent'], p[0]['start_us'])
            child_time[k] = child_time.get(k, 0) + a['dur_us']
    for d in j['devices']:
        for a in d['attempts']:
            if a['dur_us'] is None:
                continue
            want_self = max(0, a['dur_us'] - child_time.get((d['name'],
                                                            a['start_us']), 0))
            if a['self_us'] != want_self:
                fail('%s: self %s, want %s' % (d['name'], a['self_us'], want_self))
        if d['self_us'] != sum(a['self_us'] or 0 for a in d['attempts']):
            fail('%s: device self time is not the sum' % d['name'])
    if want and set(want) != got:
        fail('nested %s, want %s' % (sorted(got), sorted(want)))


def labels(js, want):
    got = ['%s %s %s' % (d['name'], d['bus'] or '-', d['driver'] or '-')
           for d in load(js)['devices']]
    exp = [l.strip() for l in open(want, encoding='utf-8') if l.strip()]
    for g, w in zip(got, exp):
        if g != w:
            fail('got "%s", want "%s"' % (g, w))
    if len(got) != len(exp):
        fail('%d devices, want %d' % (len(got), len(exp)))


def svg_window(path, t0, t1):
    t0, t1 = float(t0), float(t1)
    root = ET.parse(path).getroot()
    ns = '{http://www.w3.org/2000/svg}'
    mult = {'us': 1e-6, 'ms': 1e-3, 's': 1}
    n = 0
    for r in root.iter(ns + 'rect'):
        t = r.find(ns + 'title')
        if t is None:
            continue
        m = re.search(r'@(\d+\.\d+)s \+(\d+(?:\.\d+)?)(us|ms|s)', t.text or '')
        if not m:
            continue
        a = float(m.group(1))
        b = a + float(m.group(2)) * mult[m.group(3)]
        if b < t0 - 1e-6 or a > t1 + 1e-6:
            fail('bar outside %s..%s: %s' % (t0, t1, t.text.splitlines()[0]))
        n += 1
    if not n:
        fail('no bars')
    print('# %d bars, all in the window' % n)


def svg_axis(path):
    root = ET.parse(path).getroot()
    ns = '{http://www.w3.org/2000/svg}'
    right = float(root.get('width')) - 160   # svg.c's RIGHT
    left, last = None, None
    for r in root.iter(ns + 'rect'):
        if r.find(ns + 'title') is None:
            continue
        x = float(r.get('x'))
        left = x if left is None else min(left, x)
        last = max(last or 0, x + float(r.get('width')))
    for ln in root.iter(ns + 'line'):
        if ln.get('class') == 'marker':
            last = max(last or 0, float(ln.get('x1')))
    ticks = [float(ln.get('x1')) for ln in root.iter(ns + 'line')
             if ln.get('class') == 'tick']
    if last is None or not ticks:
        fail('no bars or no ticks')
    if max(ticks) > right + 0.5:
        fail('a tick at %.1f, past the axis end %.1f' % (max(ticks), right))
    if right - last > 0.05 * (right - left):
        fail('axis %.1f..%.1f, last thing drawn at %.1f: %.0f%% empty' %
             (left, right, last, 100 * (right - last) / (right - left)))
    print('# last thing drawn at %.1f of %.1f..%.1f' % (last, left, right))


def view_end(js):
    j = load(js)
    log_end = j['summary']['log_end_us']
    ends = [m['ts_us'] for m in j['markers']]
    for d in j['devices']:
        for a in d['attempts']:
            s = next(a[k] for k in ('start_us', 'queue_us', 'park_us', 'end_us')
                     if a[k] is not None)
            ends.append(a['end_us'] if a['end_us'] is not None else max(s, log_end))
        if not d['attempts'] and d['defer_us'] is not None:
            ends.append(d['defer_us'])
    for c in j['initcalls'] + j['async']:
        if c['start_us'] is not None:
            ends.append(c['end_us'] if c['end_us'] is not None
                        else max(c['start_us'], log_end))
    want = max(ends) if ends else log_end
    if j['summary'].get('view_end_us') != want:
        fail('view_end_us %s, want %s (log ends %s)' %
             (j['summary'].get('view_end_us'), want, log_end))


USB_STORAGE_RE = re.compile(r'scsi (host\d+): usb-storage (\S+)$')
USB_BUS_RE = re.compile(r' (\S+): new USB bus registered, assigned bus number (\d+)$')
HOST_DRV_RE = re.compile(r'\[\s*(\d+\.\d+)\] scsi (host\d+): (\S+)$')


def parents(name, log_parent):
    # The devices that may have added name, nearest first (bootgraph's
    # topo_parent(), written again).
    out, n = [], name
    for _ in range(16):
        p = None
        if n in log_parent:
            p = log_parent[n]
        elif re.fullmatch(r'\d+:\d+:\d+:\d+', n):
            p = 'host' + n.split(':')[0]
        else:
            for i in range(len(n) - 1, 0, -1):
                if n[i] in ':.':
                    p = n[:i]
                    break
            m = re.fullmatch(r'(\d+)-(\d+|0:\d+\.\d+)', n)
            if m and (p is None or p not in known):
                p = 'usb' + m.group(1)
        if p is None:
            break
        out.append(p)
        n = p
    return out


known = set()


CHAIN_LINE_RE = re.compile(r'^[\s\u2514\u2500]*(\S+)(?: \((.+)\))? @(\d+\.\d+)s '
                           r'\+\S+(?: ret=-?\d+)?  \[(.*)\]$')
CHAIN_WHY_RE = re.compile(r'(parent|supplier|retry after) (\S+?)(?: bound)?'
                          r'(?:, through (\S+) it ran inside)?$')


def chain_text(j, txt):
    """The links of critical-chain's text output, first link first, as
    the json's critical_chain gives them (attempt from its start)."""
    devs = {d['name']: d for d in j['devices']}
    links = []
    for line in open(txt, encoding='utf-8'):
        m = CHAIN_LINE_RE.match(line.rstrip('\n'))
        if not m:
            continue
        name, start = m.group(1), usecs(m.group(3))
        at = [i for i, a in enumerate(devs[name]['attempts'])
              if a['start_us'] == start and a['end_us'] is not None]
        if len(at) != 1:
            fail('%s @%s: no such attempt in the json' % (name, m.group(3)))
        w = CHAIN_WHY_RE.match(m.group(4))
        links.append({'device': name, 'attempt': at[0], 'start_us': start,
                      'end_us': devs[name]['attempts'][at[0]]['end_us'],
                      'why': w and w.group(1).split()[0], 'below': w and w.group(2),
                      'through': w and w.group(3)})
    links.reverse()
    for lo, up in zip(links, links[1:]):
        if up['below'] != lo['device']:
            fail('%s: says it waited for %s, the line below is %s' %
                 (up['device'], up['below'], lo['device']))
    if not links and 'waiting for no probe the log shows' not in open(txt).read():
        fail('no chain in %s' % txt)
    return links


def chain_evidence(js, *logs):
    """Each link of the json's critical chain, or with --chain=TXT of
    critical-chain's output TXT, has the evidence it names in the logs."""
    txt = None
    if logs and logs[0].startswith('--chain='):
        txt, logs = logs[0][8:], logs[1:]
    j = load(js)
    log_parent = {}
    devs = {d['name']: d for d in j['devices']}
    for log in logs:
        for line in open(log, encoding='utf-8', errors='replace'):
            m = USB_STORAGE_RE.search(line.rstrip())
            if m:
                log_parent[m.group(1)] = m.group(2)
                continue
            m = USB_BUS_RE.search(line.rstrip())
            if m:
                log_parent['usb' + m.group(2)] = m.group(1)
                continue
            # "scsi host0: ahci" while ahci probed the device that added it
            m = HOST_DRV_RE.match(line.rstrip())
            if not m:
                continue
            ts = usecs(m.group(1))
            for d in j['devices']:
                if d['driver'] == m.group(3) and any(
                        a['start_us'] is not None and a['start_us'] <= ts and
                        (a['end_us'] is None or ts <= a['end_us'])
                        for a in d['attempts']):
                    log_parent[m.group(2)] = d['name']
                    break
    known.update(devs)
    c = chain_text(j, txt) if txt else j['critical_chain']
    if c and c[0]['why'] is not None:
        fail('the first link has a cause: %s' % c[0])
    for lo, up in zip(c, c[1:]):
        d, why = devs[up['device']], up['why']
        if lo['end_us'] > up['start_us']:
            fail('%s starts before %s ended' % (up['device'], lo['device']))
        if up['through']:
            t = devs[up['through']]
            if not any(a['start_us'] <= up['start_us'] and up['end_us'] <= a['end_us']
                       for a in t['attempts'] if a['end_us'] is not None):
                fail('%s does not run inside %s' % (up['device'], up['through']))
            d = t
        if why == 'supplier':
            ok = lo['device'] in d['deps']
        elif why == 'parent':
            ps = parents(d['name'], log_parent)
            # the nearest probed parent, past the ones never probed
            near = [p for p in ps if p in devs]
            ok = bool(near) and near[0] == lo['device']
        elif why == 'retry':
            prev = [a for a in d['attempts'] if a['end_us'] is not None and
                    a['end_us'] <= lo['end_us'] and abs(a['ret']) == 517]
            ok = bool(prev) and devs[lo['device']]['attempts'][lo['attempt']]['ret'] == 0
        else:
            ok = False
        if not ok:
            fail('%s [%s %s]: no evidence' % (up['device'], why, lo['device']))
    print('# %d links, each with its evidence' % max(len(c) - 1, 0))


def first_us(a):
    for k in ('park_us', 'queue_us', 'start_us', 'end_us'):
        if a[k] is not None:
            return a[k]
    return None


def overview(path, js, key, top, fast, maxh):
    top, fast, maxh = int(top), int(fast), int(maxh)
    text = open(path, encoding='utf-8').read()
    h = int(re.search(r'<svg [^>]*height="(\d+)"', text).group(1))
    if h > maxh:
        fail('svg %d px tall, more than %d' % (h, maxh))
    devs = load(js)['devices']
    # Top rows: between the "slowest" header and the "groups" header.
    m = re.search(r'class="grp">slowest \d+ by self time</text>\n(.*?)'
                  r'class="grp">groups by', text, re.S)
    if not m:
        fail('no overview sections')
    got_top = re.findall(r'<text x="16" y="\d+">([^<]*)</text>', m.group(1))
    order = sorted(range(len(devs)), key=lambda i: (-devs[i]['self_us'], i))
    want_top = [devs[i]['name'] for i in order[:top]
                if devs[i]['self_us'] >= fast]
    if got_top != want_top:
        fail('%d top rows %s, want %d %s' % (len(got_top), got_top[:5],
                                             len(want_top), want_top[:5]))
    groups = {}
    for i, d in enumerate(devs):
        g = groups.setdefault(d[key] or '(unknown %s)' % key,
                              {'n': 0, 'fast': 0, 'self': 0, 'a': None, 'b': None,
                               'first': i})
        g['n'] += 1
        g['fast'] += d['self_us'] < fast
        g['self'] += d['self_us']
        for a in d['attempts']:
            f, e = first_us(a), a['end_us']
            if e is None:
                fail('%s: an open attempt, not in these tests' % d['name'])
            g['a'] = f if g['a'] is None else min(g['a'], f)
            g['b'] = e if g['b'] is None else max(g['b'], e)
    rows = re.findall(r'class="span"><title>([^:<]*): (\d+) devices, (\d+) fast '
                      r'\(self &lt; [^)]*\) folded, @([\d.]+)s \.\. ([\d.]+)s, '
                      r'self ([^<]*)</title>', text)
    if len(rows) != min(len(groups), 40):
        fail('%d group rows for %d groups' % (len(rows), len(groups)))
    # by self time; past 40, the smallest share the last row
    byself = sorted(groups, key=lambda k: (-groups[k]['self'], groups[k]['first']))
    if len(groups) > 40:
        rest = [groups[k] for k in byself[39:]]
        groups['(%d more groups)' % len(rest)] = {
            'n': sum(g['n'] for g in rest), 'fast': sum(g['fast'] for g in rest),
            'self': sum(g['self'] for g in rest),
            'a': min(g['a'] for g in rest), 'b': max(g['b'] for g in rest)}
        byself = byself[:39] + ['(%d more groups)' % len(rest)]
    if [r[0] for r in rows] != byself:
        fail('group rows %s, want %s' % ([r[0] for r in rows][:5], byself[:5]))
    for name, n, nf, a, b, slf in rows:
        g = groups[name]
        got = (int(n), int(nf), usecs(a), usecs(b), slf)
        want = (g['n'], g['fast'], g['a'], g['b'], fmt_dur(g['self']))
        if got != want:
            fail('group %s: %s, want %s' % (name, got, want))
    # an arrow joins two rows drawn: none from or to nowhere (y 0)
    for m in re.finditer(r'<path d="M[\d.]+,(\d+)C[^"]* [\d.]+,(\d+)" class="dep', text):
        if min(int(m.group(1)), int(m.group(2))) < 64:
            fail('dependency arrow to no row: %s' % m.group(0))
    sizes = [int(r[1]) for r in rows]
    print('# %d px tall, %d top rows, groups %s' % (h, len(got_top), sizes))


PROBE_OF_RE = re.compile(r'\[\s*(\d+\.\d+)\] probe of (\S+) returned (-?\d+) '
                         r'after (\d+) usecs')
AP_START_RE = re.compile(r'\[\s*(\d+\.\d+)\] async_probe: start dev=(\S+) ')
AP_END_RE = re.compile(r'\[\s*(\d+\.\d+)\] async_probe: end dev=(\S+) .*'
                       r'\bret=(-?\d+) usecs=(\d+)')
RUN_INIT_RE = re.compile(r'\[\s*(\d+\.\d+)\] Run /init as init process')


# What a probe's start is taken from, weakest first (model.c's enum bg_from).
PROBE_FROM = ('start line', 'usecs=', 'probe of')


def probe_attempts(log, detail=False):
    """dev -> [(start, end, ret)] from a console log, by DURATIONS in the
    manual: an attempt ends at its first end report ("probe of DEV
    returned R after N usecs", "async_probe: end ... usecs=N"; the other
    source's report of the same end, within 2 ms, is the same attempt)
    and starts N microseconds before that, N of "probe of" rather than
    usecs=, either rather than the "async_probe: start" line.  From the
    "Linux version" line until the switch to a clocksource other than
    jiffies, the start line's timestamp is kept where there is one.
    With detail, each attempt is a dict that also says where its start
    came from ('from') and where its start line was ('line')."""
    devs = {}
    for line, coarse in clocked_lines(log):
        m = AP_START_RE.search(line)
        if m:
            devs.setdefault(m.group(2), []).append(
                {'start': usecs(m.group(1)), 'from': 'start line',
                 'line': usecs(m.group(1)), 'end': None, 'ret': None,
                 'ends': set()})
            continue
        m, kind = PROBE_OF_RE.search(line), 'probe of'
        if not m:
            m, kind = AP_END_RE.search(line), 'usecs='
        if not m:
            continue
        ts, dev, ret, n = usecs(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        atts = devs.setdefault(dev, [])
        a = next((x for x in atts if kind not in x['ends'] and
                  (x['end'] is None or abs(x['end'] - ts) <= 2000)), None)
        if a is None:
            a = {'start': None, 'from': None, 'line': None, 'end': None,
                 'ret': None, 'ends': set()}
            atts.append(a)
        a['ends'].add(kind)
        if a['end'] is None:
            a['end'], a['ret'] = ts, ret
        if a['start'] is None or (not coarse and PROBE_FROM.index(kind) >
                                  PROBE_FROM.index(a['from'])):
            a['start'], a['from'] = min(a['end'] - n, a['end']), kind
    if detail:
        return {d: [a for a in v if a['end'] is not None] for d, v in devs.items()}
    return {d: [(a['start'], a['end'], a['ret']) for a in v if a['end'] is not None]
            for d, v in devs.items()}


def probe_durs(log, js):
    """Each finished attempt of the json starts, ends and lasts as the
    console log's lines say (probe_attempts()); where the kernel's N was
    used and a start line was printed, the timestamps would differ."""
    want = probe_attempts(log, detail=True)
    got = {d['name']: [a for a in d['attempts'] if a['end_us'] is not None]
           for d in load(js)['devices']}
    kinds, moved = {}, []
    for dev in sorted(set(want) | set(got)):
        w, g = want.get(dev, []), got.get(dev, [])
        if len(w) != len(g):
            fail('%s: %d finished attempts in the log, %d in the json' %
                 (dev, len(w), len(g)))
        for a, b in zip(w, g):
            exp = (a['start'], a['end'], a['end'] - a['start'])
            if (b['start_us'], b['end_us'], b['dur_us']) != exp:
                fail('%s: start, end, duration %s, the log says %s (%s)' %
                     (dev, (b['start_us'], b['end_us'], b['dur_us']), exp,
                      a['from']))
            kinds[a['from']] = kinds.get(a['from'], 0) + 1
            if a['line'] is not None and a['from'] != 'start line':
                moved.append(a['start'] - a['line'])
    print('# %d attempts, starts from %s; %d start lines overridden by the '
          "kernel's N (%s us)" % (sum(kinds.values()), sorted(kinds.items()),
                                  len(moved), '..'.join(str(x) for x in
                                                       (min(moved), max(moved)))
                                  if moved else '-'))


ASYNC_NAME_RE = re.compile(r'(\d+)_(.+)$')
AP_COOKIE_RE = re.compile(r'async_probe: \w+ dev=(\S+) .*\bcookie=(\d+)')


def initcall_sums(log):
    """func -> summed duration of a console log's initcalls (and async
    functions), by DURATIONS in the manual: the kernel's "after
    N usecs" once the clock is fine, the two lines' timestamps from the
    "Linux version" line until the switch to a clocksource other than
    jiffies, N for a "returned" line without its "calling" line.  An
    async call ("COOKIE_func") is named by its function and the device
    whose async_probe lines have its cookie, "func(DEV)", else by its
    place among the calls of func in cookie order: func, func#2, ..."""
    out, start = {}, {}
    calls, durs, cookie_dev = set(), {}, {}
    strip = re.compile(r'\+0x[0-9a-f]+/0x[0-9a-f]+')
    for line, coarse in clocked_lines(log):
        m = AP_COOKIE_RE.search(line)
        if m:
            cookie_dev[int(m.group(2))] = m.group(1)
        m = CALL_RE.match(line) or RET_RE.match(line)
        a = m and ASYNC_NAME_RE.match(strip.sub('', m.group(2)))
        if a:
            calls.add((a.group(2), int(a.group(1))))
        m = CALL_RE.match(line)
        if m:
            start[m.group(2)] = usecs(m.group(1))
            continue
        m = RET_RE.match(line)
        if not m:
            continue
        func, end, n = m.group(2), usecs(m.group(1)), int(m.group(3))
        d = end - start[func] if coarse and func in start else n
        start.pop(func, None)
        name = strip.sub('', func)
        if a:
            durs[(a.group(2), int(a.group(1)))] = d
            continue
        out[name] = out.get(name, 0) + d
    place = {}
    for fn, cookie in sorted(calls):
        if cookie in cookie_dev:
            name = '%s(%s)' % (fn, cookie_dev[cookie])
        else:
            place[fn] = place.get(fn, 0) + 1
            name = fn if place[fn] == 1 else '%s#%d' % (fn, place[fn])
        if (fn, cookie) in durs:
            out[name] = out.get(name, 0) + durs[(fn, cookie)]
    return out


def boot_evidence(log):
    """Samples of one boot as diff takes them, recomputed from the log."""
    atts = probe_attempts(log)
    every = [a for v in atts.values() for a in v]
    ev = {'dev': {d: sum(e - s for s, e, _ in v) for d, v in atts.items() if v},
          'call': initcall_sums(log), 'metric': {}}
    met = ev['metric']
    if every:
        met['probing ended'] = max(e for _, e, _ in every)
        met['probe phase'] = met['probing ended'] - min(s for s, _, _ in every)
        met['serial probe time'] = sum(ev['dev'].values())
    met['devices bound'] = sum(v[-1][2] == 0 for v in atts.values() if v)
    for line in open(log, encoding='utf-8', errors='replace'):
        m = RUN_INIT_RE.search(line)
        if m:
            met['run /init'] = usecs(m.group(1))
            break
    return ev


def diff_cols(line):
    # Columns are two spaces apart at least; names hold single spaces.
    return re.split(r'\s{2,}', line.strip())


def diff_change(a, b, count=False):
    """put_change() of diff.c: B - A and the percentage of A."""
    d = b - a
    s = '%+.1f' % d if count else ('+' if d >= 0 else '') + fmt_dur(d)
    if a > 0:
        s += ' (%+.1f%%)' % (100 * d / a)
    return s


def diff_logs(path, *args):
    """diff of one boot against one, every number from the two logs."""
    args, threshold, every = list(args), 0, False
    while args[0] in ('-t', '-a'):
        if args.pop(0) == '-a':
            every = True
        else:
            threshold = int(args.pop(0))
    logs = [x for x in args if x != '--']     # A B, or A -- B
    if len(logs) != 2:
        fail('diff-logs takes one log a side, not %s' % logs)
    ea, eb = boot_evidence(logs[0]), boot_evidence(logs[1])
    lines = open(path, encoding='utf-8').read().split('\n')
    rows = {'boot': [], 'dev': [], 'call': []}
    only = {('dev', 0): [], ('dev', 1): [], ('call', 0): [], ('call', 1): []}
    heads, unlisted, swaps = {}, {}, {}
    sec, side = None, None
    for line in lines:
        m = re.match(r'(Devices|Initcalls) \(.*\): (\d+) on both sides, '
                     r'(\d+) only in A, (\d+) only in B$', line)
        if m:
            sec, side = 'dev' if m.group(1) == 'Devices' else 'call', None
            heads[sec] = tuple(int(x) for x in m.group(2, 3, 4))
            continue
        if line.startswith('  Boot '):
            sec = 'boot'
            continue
        if not line.strip() or sec is None or re.search(r'  A \(\d+ boots?\) +B \(', line):
            if not line.strip() and sec == 'boot':
                sec = None
            continue
        m = re.match(r'  only in ([AB]) \(\d+ ', line)
        if m:
            side = 'AB'.index(m.group(1))
            continue
        m = re.match(r'    (\S+) of A is (\S+) of B \(', line)
        if m:
            swaps[m.group(1)] = m.group(2)
            continue
        m = re.match(r'  (\d+) (?:more )?(?:device|initcall)s? '
                     r'(?:unchanged|changed by \d+us or less) \(-a', line)
        if m:
            unlisted[sec] = int(m.group(1))
            continue
        if re.match(r'  (no (device|initcall) changed|names swapped)', line):
            continue
        if line.startswith('    ') and side is not None:
            only[(sec, side)].append(diff_cols(line))
        elif line.startswith('  ') and side is None:
            rows[sec].append(diff_cols(line))
        else:
            fail('unexpected line: %s' % line)
    n = 0
    for sec, what in (('dev', 'devices'), ('call', 'initcalls')):
        a, b = ea[sec], eb[sec]
        both = set(a) & set(b)
        want = (len(both), len(set(a) - set(b)), len(set(b) - set(a)))
        if heads.get(sec) != want:
            fail('%s: %s on both sides / only in A / only in B, the logs say %s' %
                 (what, heads.get(sec), want))
        listed = []
        for r in rows[sec]:
            name, vals = r[0], r[2:] if sec == 'dev' else r[1:]
            if len(vals) != 4 or vals[3] != '-':
                fail('%s: bad row %s' % (what, r))
            bname = swaps.get(name, name)
            if name not in a or bname not in b:
                fail('%s: %s is not on both sides of the logs' % (what, name))
            want = [fmt_dur(a[name]), fmt_dur(b[bname]), diff_change(a[name], b[bname])]
            if vals[:3] != want:
                fail('%s: %s A, B, B - A %s, the logs say %s' % (what, name, vals[:3], want))
            listed.append((-abs(b[bname] - a[name]), name))
            n += 1
        if listed != sorted(listed):
            fail('%s: not sorted by the size of the change' % what)
        got = {x[1] for x in listed}
        want = {x for x in both if every or abs(b[swaps.get(x, x)] - a[x]) > threshold}
        if got != want:
            fail('%s: listed without cause %s, missing %s' %
                 (what, sorted(got - want), sorted(want - got)))
        if unlisted.get(sec, 0) != len(both) - len(got):
            fail('%s: %s said unlisted, want %d' % (what, unlisted.get(sec), len(both) - len(got)))
        for s, mine, other in ((0, a, b), (1, b, a)):
            want = {x: fmt_dur(mine[x]) for x in set(mine) - set(other)}
            got = {r[0]: r[-1] for r in only[(sec, s)]}
            if got != want:
                fail('%s only in %s: %s, the logs say %s' %
                     (what, 'AB'[s], sorted(got.items()), sorted(want.items())))
            n += len(got)
    missing = set(ea['metric']) - {r[0] for r in rows['boot']}
    if missing:
        fail('boot totals %s not compared' % sorted(missing))
    for r in rows['boot']:
        if r[0] not in ea['metric']:
            continue    # the critical path: not recomputed here
        va, vb = ea['metric'][r[0]], eb['metric'][r[0]]
        count = r[0] == 'devices bound'
        want = ['%.1f' % va, '%.1f' % vb] if count else [fmt_dur(va), fmt_dur(vb)]
        want += [diff_change(va, vb, count), '-']
        if r[1:] != want:
            fail('%s: %s, the logs say %s' % (r[0], r[1:], want))
        n += 1
    print('# %d rows and names as the logs say (devices %d+%d, initcalls %d+%d, '
          '%d names swapped)' % (n, len(ea['dev']), len(eb['dev']), len(ea['call']),
                                 len(eb['call']), len(swaps)))


CMDS = {'overview': overview, 'svg-axis': svg_axis, 'view-end': view_end, 'chain-evidence': chain_evidence, 'svg-window': svg_window, 'labels': labels, 'nesting': nesting, 'same-events': same_events, 'same-events-caller': same_events_caller, 'same-devices': same_devices, 'rows': rows,
        'chain': chain, 'trace': trace, 'html': html, 'svg': svg,
        'csv': csv_check, 'schema': schema, 'diff-zero': diff_zero,
        'diff-delta': diff_delta, 'diff-mw': diff_mw, 'summary-many': summary_many, 'initcall-durs': initcall_durs,
        'probe-durs': probe_durs,
        'diff-logs': diff_logs}

if __name__ == '__main__':
    CMDS[sys.argv[1]](*sys.argv[2:])
