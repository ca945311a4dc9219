#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drop KCSAN reports that do not involve the project's code.

Usage: kcsan_filter.py CONSOLE_LOG OUT_LOG

A KCSAN report runs from its "BUG: KCSAN:" line to the line of "=" that
ends it.  One is kept when a function of the project appears in it (the
headline names both racing functions; the stacks show the callers):
kernel/async.c and the framework in drivers/base/async_probe/, anywhere
in a stack.  The test modules (the torture, the simulator, the KUnit
suites) count only where they raced themselves, in the headline or as
the first frame of an access stack: deeper down they are callers of the
driver core's API, and a race inside that API between two of its callers
(klist_put() in bus_remove_driver() and in bus_for_each_drv(), both
called by the torture) is the driver core's, as it would be with any
other driver.  The
"Workqueue:" line of the report's context is not looked at: it names the
work function the racing task was running (often async_run_entry_fn),
not code that raced.  Nor are the frames of an access stack below an
interrupt entry (asm_sysvec_*, common_interrupt, ...): an access "by
interrupt" raced there, in the interrupt handler, and the frames below
belong to whatever code the interrupt happened to stop.  Nor are the
frames below a scheduler entry (schedule(), schedule_preempt_disabled(),
preempt_schedule*()): an access there is the scheduler's or the
workqueue's own bookkeeping on the way into or out of a sleep
(wq_worker_running() reading the task's runtime), and the frames below
are whatever code went to sleep, a mutex_lock() in the framework as
much as any other.  The others are removed from OUT_LOG, which
scripts/judge.py then judges.
Prints one line: how many reports were seen, kept and dropped.
"""
import re
import sys

START = re.compile(r'BUG: KCSAN: ')
END = re.compile(r'^\[[ 0-9.]+\] =+$')
PROJECT = re.compile(r'\b(ap|apt|apsim|async_probe|async)_[a-z0-9_]+\+?|'
                     r'async_(schedule|synchronize|run_entry)')
# The test modules' own functions: counted only where they raced.
TEST = re.compile(r'\b(apt|apsim|ap_test|ap_kunit|async_test|tprobe)[a-z0-9_]*\+|'
                  r'\[(async_probe_torture|async_probe_sim|async_probe_test)\]')
ACCESS = re.compile(r'\b(read|write)\b.* by (task|interrupt)\b')
FRAME = re.compile(r'^\[[ 0-9.]+\]\s+[A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+/0x[0-9a-f]+')
IRQ_ENTRY = re.compile(r'\b(asm_)?(sysvec|common_interrupt|exc_nmi)[a-z0-9_]*\+')
SCHED_ENTRY = re.compile(r'\s(__)?schedule(_[a-z0-9_]+)?\+|\spreempt_schedule[a-z0-9_]*\+')


def involves_project(block):
    """A project function in the headline or in the racing frames."""
    cut = False         # below an interrupt or scheduler entry
    first = True        # the next frame is the one that raced
    for line in block:
        if 'Workqueue:' in line:
            continue
        if START.search(line):
            if PROJECT.search(line):
                return True
            continue
        if ACCESS.search(line):
            cut = False
            first = True
            continue
        if IRQ_ENTRY.search(line) or SCHED_ENTRY.search(line):
            cut = True
            continue
        if not FRAME.search(line):
            continue        # "value changed", "Reported by", "CPU: ... Comm:"
        raced, first = first, False
        if cut or not PROJECT.search(line):
            continue
        if raced or not TEST.search(line):
            return True
    return False


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], errors='replace') as f:
        lines = f.readlines()
    out, block, seen, kept = [], None, 0, 0
    for line in lines:
        if block is None and START.search(line):
            # The "====" line before the headline belongs to the report.
            head = [out.pop()] if out and END.search(out[-1].rstrip()) else []
            block = head + [line]
            seen += 1
            continue
        if block is not None:
            block.append(line)
            if END.search(line.rstrip()) and len(block) > 2:
                if involves_project(block):
                    out.extend(block)
                    kept += 1
                block = None
            continue
        out.append(line)
    if block is not None:
        out.extend(block)
    with open(sys.argv[2], 'w') as f:
        f.writelines(out)
    print(f'kcsan: {seen} reports, {kept} in the project\'s code, '
          f'{seen - kept} elsewhere dropped')
    return 0


if __name__ == '__main__':
    sys.exit(main())
