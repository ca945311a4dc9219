#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a boot by its console.

A boot passes when the guest ran its steps to the end ("harness: all steps
done") and the console shows no report of a kernel problem: panic, oops,
BUG, WARNING, lockdep, hung task, RCU stall, KASAN, UBSAN, kmemleak,
debugobjects.  The patterns follow tools/testing/selftests/rcutorture/bin/
console-badness.sh.

A test that provokes a report on purpose declares a window on the console:

    judge: expect-begin TAG REGEX
    ...
    judge: expect-end TAG

Inside the window, a line matching REGEX is required, report headlines
must match REGEX, and the generic lines of a report (call traces, module
lists) are tolerated.  Any other report, inside or outside a window,
fails the boot.

Usage: judge.py CONSOLE_LOG [--no-finish]   (exit 0 pass, 1 fail)
"""
import re
import sys

# The first line of a report.
HEADLINE = re.compile(
    r'Kernel panic|BUG:|WARNING:|Oops|general protection fault|'
    r'Unable to handle kernel|kernel BUG at|INFO: task .* blocked for|'
    r'detected stalls on CPUs/tasks|self-detected stall on CPU|'
    r'rcu_.*kthread starved|UBSAN:|unreferenced object 0x|'
    r'kmemleak: [0-9]+ new suspected memory leaks|ODEBUG: |'
    r'Badness|DEBUG_LOCKS_WARN_ON|possible recursive locking|'
    r'inconsistent lock state|suspicious RCU usage|'
    r'hung_task: blocked tasks')
# Lines that belong to a report but do not start one.
GENERIC = re.compile(
    r'Call Trace:|---\[ end trace|Modules linked in:|Kernel Offset:|'
    r'^ *(<TASK>|</TASK>|<IRQ>|</IRQ>)')
# Known-harmless lines that match the patterns above.
BENIGN = re.compile(
    r'This means that this is a DEBUG kernel|'
    r'Warning: unable to open an initial console|'
    r'NOHZ tick-stop error: local softirq work is pending')
# How far after a headline its call trace may run.
REPORT_SPAN = 100
MARK = re.compile(r'judge: expect-(begin|end) (\S+) ?(.*)$')
PREFIX = re.compile(r'^\[ *[0-9]+\.[0-9]+\](\[ *[TC][0-9]+\])? ?')


def judge(lines, need_finish=True):
    problems = []           # (line number, why)
    windows = {}            # tag -> [regex, start line, matched?]
    finished = False
    last_head = -1000       # line of the last report headline
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip('\r\n')
        body = PREFIX.sub('', line)
        m = MARK.search(body)
        if m:
            kind, tag, rx = m.groups()
            if kind == 'begin':
                try:
                    windows[tag] = [re.compile(rx or '.'), no, False]
                except re.error as e:
                    problems.append((no, f'bad regex in expect window {tag}: {e}'))
            elif tag not in windows:
                problems.append((no, f'expect-end {tag} without a begin'))
            else:
                w = windows.pop(tag)
                if not w[2]:
                    problems.append((no, f'expected report "{w[0].pattern}" '
                                         f'(window {tag} from line {w[1]}) did not appear'))
            continue
        if 'harness: all steps done' in body:
            finished = True
        for w in windows.values():
            if w[0].search(body):
                w[2] = True
        if BENIGN.search(body):
            continue
        head = HEADLINE.search(body)
        generic = GENERIC.search(body)
        if not head and not generic:
            continue
        if generic and not head:
            # The rest of a report already counted, or one inside a window.
            if windows or no - last_head <= REPORT_SPAN:
                continue
            problems.append((no, 'stack dump'))
            last_head = no
            continue
        last_head = no
        if windows:
            if any(w[0].search(body) for w in windows.values()):
                continue
            problems.append((no, 'unexpected report inside an expect window'))
        else:
            problems.append((no, 'kernel report'))
    for tag, w in windows.items():
        problems.append((w[1], f'expect window {tag} never closed'))
    if need_finish and not finished:
        problems.append((len(lines), 'the guest did not finish its steps '
                                     '(no "harness: all steps done")'))
    return problems


def show(path, lines, problems, context=2, after=14, limit=80):
    print(f'judge: {path}: {len(problems)} problem(s)')
    shown, printed = set(), 0
    for no, why in problems:
        print(f'  line {no}: {why}')
        for i in range(max(1, no - context), min(len(lines), no + after) + 1):
            if i in shown:
                continue
            shown.add(i)
            mark = '>' if i == no else ' '
            print(f'  {mark}{i:6}| {lines[i - 1].rstrip()}')
            printed += 1
        if printed >= limit:
            print('  ... (more in the log)')
            break


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 1:
        sys.exit(__doc__)
    with open(args[0], errors='replace') as f:
        lines = f.readlines()
    problems = judge(lines, '--no-finish' not in sys.argv)
    if problems:
        show(args[0], lines, problems)
        sys.exit(1)


if __name__ == '__main__':
    main()
