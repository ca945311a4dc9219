#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lock contention per call site, from the traces of scripts/lock-sim.sh.

Usage: lock_table.py ROWS RUN_DIR...

Each RUN_DIR is out/lock-sim-MODE, with guest/lock-trace.txt (ftrace's
text output: lock:contention_begin with a stack trace, contention_end)
and guest/lock-sim.txt (the simulator's result lines, for the device
count).  A contention lasts from a task's first contention_begin on a
lock to its contention_end on that lock (a mutex reports its optimistic
spin and then its sleep as two begins and one end).  It is charged to the
call site: the first function of the begin's stack outside the locking
code.  Prints a Markdown table, call sites by the most time waited per
device in any mode.
"""
import os
import re
import sys

EVENT = re.compile(r"^\s*(?P<task>.+?)-(?P<pid>\d+)\s+\[\d+\]\s+\S+\s+"
                   r"(?P<ts>\d+\.\d+): (?P<ev>contention_begin|contention_end|"
                   r"<stack trace>):?\s*(?P<lock>0x[0-9a-f]+)?")
FRAME = re.compile(r"^ => (\S+)")
# Functions of the locking code itself: never the call site.
LOCKING = re.compile(r"^(_*raw_|_*mutex_|_*down|_*up_|_*rwsem|queued_|"
                     r"native_queued|_*spin_|_*lock_|do_raw|"
                     r"__pv_queued|rwbase_|rt_|__rt_|percpu_down|"
                     r"schedule|__schedule|preempt_|trace_event_raw_|"
                     r"trace_contention).*")


def site_of(frames):
    """The first frame outside the locking code, without its offset."""
    for f in frames:
        name = re.sub(r"\+0x.*$", "", f)
        name = re.sub(r"\.(constprop|isra|part|cold)\.\d+$", "", name)
        if not LOCKING.match(name):
            return name
    return "?"


def read_run(run):
    """Contentions and wait (us) per call site; devices the run probed."""
    sites = {}
    trace = os.path.join(run, "guest", "lock-trace.txt")
    open_ = {}        # (pid, lock) -> (start, site or None)
    last_begin = None  # (pid, lock) whose stack comes next
    frames = None
    try:
        lines = open(trace, errors="replace").read().splitlines()
    except OSError as e:
        sys.exit("lock_table.py: %s: %s" % (trace, e.strerror))
    lines.append("")

    def close_stack():
        nonlocal frames, last_begin
        if frames is not None and last_begin in open_:
            start, site = open_[last_begin]
            if site is None:
                open_[last_begin] = (start, site_of(frames))
        frames = None
        last_begin = None

    for line in lines:
        fm = FRAME.match(line)
        if fm and frames is not None:
            frames.append(fm.group(1))
            continue
        m = EVENT.match(line)
        if not m:
            close_stack()
            continue
        ev, pid, ts = m.group("ev"), m.group("pid"), float(m.group("ts"))
        if ev == "<stack trace>":
            # The trigger unwinds the stack after the begin's time stamp:
            # that is its own cost, not waiting; the wait starts after it.
            if last_begin in open_ and open_[last_begin][1] is None:
                open_[last_begin] = (ts, None)
            frames = []
            continue
        close_stack()
        key = (pid, m.group("lock"))
        if ev == "contention_begin":
            open_.setdefault(key, (ts, None))
            last_begin = key
        elif key in open_:
            start, site = open_.pop(key)
            n, us = sites.get(site or "?", (0, 0.0))
            sites[site or "?"] = (n + 1, us + (ts - start) * 1e6)
    devices = 0
    try:
        for line in open(os.path.join(run, "guest", "lock-sim.txt")):
            m = re.search(r"\bn=(\d+)", line)
            devices += int(m.group(1)) if m else 0
    except OSError:
        pass
    return sites, max(devices, 1)


def sum_of(path, pattern):
    """The sum of group 1 of @pattern over the lines of @path (0 if none)."""
    total = 0
    try:
        for line in open(path, errors="replace"):
            m = re.search(pattern, line)
            total += int(m.group(1)) if m else 0
    except OSError:
        pass
    return total


def lost_events(run):
    """Events the trace lost: its LOST lines, else the buffer's overruns."""
    guest = os.path.join(run, "guest")
    return (sum_of(os.path.join(guest, "lock-trace.txt"), r"\[LOST (\d+) EVENTS\]") or
            sum_of(os.path.join(guest, "lock-sim-buffer.txt"), r"^overrun: (\d+)"))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = int(sys.argv[1])
    tables, devices, modes = {}, {}, []
    for run in sys.argv[2:]:
        mode = os.path.basename(run.rstrip("/")).replace("lock-sim-", "")
        tables[mode], devices[mode] = read_run(run)
        modes.append(mode)
    sites = sorted({s for t in tables.values() for s in t},
                   key=lambda s: -max(tables[m].get(s, (0, 0))[1] / devices[m]
                                      for m in modes))
    print("| call site | " + " | ".join(
        "%s contentions/1k dev | %s us waited/dev" % (m, m) for m in modes) + " |")
    print("|---|" + "---|---|" * len(modes))
    for s in sites[:rows]:
        cells = []
        for m in modes:
            n, us = tables[m].get(s, (0, 0.0))
            cells += ["%.1f" % (1000.0 * n / devices[m]), "%.2f" % (us / devices[m])]
        print("| `%s` | %s |" % (s, " | ".join(cells)))
    cells = []
    for m in modes:
        n = sum(v[0] for v in tables[m].values())
        us = sum(v[1] for v in tables[m].values())
        cells += ["%.1f" % (1000.0 * n / devices[m]), "%.2f" % (us / devices[m])]
    print("| all | %s |" % " | ".join(cells))
    print()
    print("Devices probed per mode: " +
          ", ".join("%s %d" % (m, devices[m]) for m in modes) + ".")
    for run, m in zip(sys.argv[2:], modes):
        lost = lost_events(run)
        if lost:
            print("Warning: the %s trace lost %d events (its buffer overran): "
                  "its counts are too low." % (m, lost))


if __name__ == "__main__":
    main()
