#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn test output into one "PASS|FAIL|SKIP suite.case" line per case.

  results.py kunit CONSOLE_LOG PREFIX   KUnit KTAP from a console log, parsed
                                        by the kernel's own kunit_parser
  results.py ktap FILE PREFIX           kselftest runner output (TAP 13 with
                                        each script's own plan nested as "# ")

A test that crashed, a missing plan entry or output that cannot be parsed
is a FAIL, never silently dropped.  A failed case is followed by up to
WHY_LINES "WHY message" lines: the last diagnostics a kselftest case
printed, the first lines of KUnit's own about the case.
"""
import contextlib
import io
import os
import re
import sys


WHY_LINES = 12


def why(lines, first=False):
    """Diagnostics of a failed case, one "WHY" line each: the last ones,
    or the first ones with first=True."""
    lines = [l.strip() for l in lines if l.strip()]
    for line in lines[:WHY_LINES] if first else lines[-WHY_LINES:]:
        print('WHY', line)


# A console line's timestamp, and what KUnit writes at the top level of its
# KTAP: the rest of its lines are indented.
TIMESTAMP = re.compile(r'^\[ *\d+\.\d+\] ')
KTAP_TOP = re.compile(r'^(\s|KTAP version |TAP version |1\.\.\d|ok |not ok |# )')


def kunit_lines(lines):
    """The console lines KUnit wrote: other messages, which drivers
    probing meanwhile interleave with its KTAP at the top level ("sd 1:0:0:0:
    [sdb] Write Protect is off" between a suite's header and its plan), are
    left out: the kernel's parser took them for the suite's end."""
    return [l for l in lines if KTAP_TOP.match(TIMESTAMP.sub('', l, count=1))]


def kunit(path, prefix):
    ksrc = os.environ.get('KSRC', 'build/linux')
    sys.path.insert(0, os.path.join(ksrc, 'tools/testing/kunit'))
    with open(path, errors='replace') as f:
        lines = kunit_lines(f.readlines())
    # kunit_printer binds sys.stdout when imported: import it muted too.
    with contextlib.redirect_stdout(io.StringIO()):
        import kunit_parser  # pylint: disable=import-outside-toplevel
        root = kunit_parser.parse_run_tests(lines)
    out = []

    def walk(test, names):
        if test.subtests:
            for sub in test.subtests:
                walk(sub, names + [sub.name])
            if test.counts.errors:
                out.append(('FAIL', names + ['(parse error)'], []))
            return
        st = test.status.name
        verdict = {'SUCCESS': 'PASS', 'SKIPPED': 'SKIP'}.get(st, 'FAIL')
        out.append((verdict, names, test.log))
    for suite in root.subtests:
        walk(suite, [suite.name])
    if not root.subtests:
        out.append(('FAIL', ['(no KUnit output found)'], []))
    elif root.counts.errors:
        out.append(('FAIL', ['(KTAP errors: ' + '; '.join(root.log[-3:] or ['?']) + ')'], []))
    for verdict, names, log in out:
        print(verdict, '.'.join([prefix] + names))
        if verdict == 'FAIL':
            # KUnit's own lines are indented; the console's others are
            # not.  Its first expectations that failed say the most.
            why([l for l in log if l[:1].isspace()], first=True)


RESULT = re.compile(r'^(not ok|ok) +(\d+)(?: +-)? *([^#]*?)\s*(?:#\s*(\S+).*)?$')
PLAN = re.compile(r'^1\.\.(\d+)')
SKIP_PLAN = re.compile(r'#\s*SKIP\b', re.I)


def ktap(path, prefix):
    """kselftest runner output: top level per script, "# " per case."""
    try:
        with open(path, errors='replace') as f:
            lines = [l.rstrip('\n') for l in f]
    except OSError as e:
        print('FAIL', f'{prefix}.(no output: {e.strerror})')
        return
    nested, nested_plan, nested_skip = [], None, False
    top_plan, top_seen = None, 0
    diag, why_of = [], {}	# a case's "# # " lines, by its result

    def verdict(res, directive):
        if directive and directive.upper() == 'SKIP':
            return 'SKIP'
        if directive and directive.upper() == 'XFAIL':
            return 'PASS'
        return 'PASS' if res == 'ok' else 'FAIL'

    for line in lines:
        if line.startswith('# '):
            body = line[2:]
            m = RESULT.match(body)
            if m:
                nested.append(m)
                why_of[id(m)], diag = diag, []
            elif body.startswith('# '):
                diag.append(body[2:])
            elif PLAN.match(body):
                nested_plan = int(PLAN.match(body).group(1))
                # "1..0 # SKIP reason": the script skipped as a whole
                nested_skip = nested_plan == 0 and bool(SKIP_PLAN.search(body))
            continue
        m = PLAN.match(line)
        if m:
            top_plan = int(m.group(1))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        top_seen += 1
        script = re.sub(r'^selftests: *[^:]*: *', '', m.group(3)).strip() or m.group(2)
        for n in nested:
            v = verdict(n.group(1), n.group(4))
            print(v, f'{prefix}.{script}.{n.group(3) or n.group(2)}')
            if v == 'FAIL':
                why(why_of.get(id(n), []))
        if nested_plan is not None and len(nested) < nested_plan:
            print('FAIL', f'{prefix}.{script}.(ran {len(nested)} of {nested_plan} cases)')
        # A script is a skip when it says so itself (its own plan is
        # "1..0 # SKIP") or the runner does and it reported no case: its
        # cases' results stand for it, whatever its exit status made the
        # runner print (kselftest's exit status 4 is "# SKIP").
        top = verdict(m.group(1), m.group(4))
        if nested_skip and top == 'PASS':
            top = 'SKIP'
        if not nested or top == 'FAIL' and all(verdict(n.group(1), n.group(4)) != 'FAIL'
                                               for n in nested):
            print(top, f'{prefix}.{script}' + ('' if not nested else '.(script exit status)'))
        nested, nested_plan, nested_skip = [], None, False
        diag, why_of = [], {}
    if top_plan is None:
        print('FAIL', f'{prefix}.(no TAP plan in {path})')
    elif top_plan == 0:
        # Each caller runs a set of tests that is never empty.
        print('FAIL', f'{prefix}.(a plan of no test: "1..0")')
    elif top_seen < top_plan:
        print('FAIL', f'{prefix}.(ran {top_seen} of {top_plan} scripts)')


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('kunit', 'ktap'):
        sys.exit(__doc__)
    {'kunit': kunit, 'ktap': ktap}[sys.argv[1]](sys.argv[2], sys.argv[3])


if __name__ == '__main__':
    main()
