#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""CPU per device and function, from the perf reports of scripts/perf-sim.sh.

Usage: perf_table.py ROWS RUN_DIR...

Each RUN_DIR is out/perf-sim-NAME, with guest/perf-report-R.txt (perf
report --stdio --children --sort sym: the event count, then per function
the share of samples in it with its callees and alone) and
guest/perf-sim.txt (the simulator's result lines, for the device count
and the wall time), and guest/perf-irq-before-R.txt and -after-R.txt
(the uevent count, /proc/interrupts and /proc/softirqs around each run).
A function's cost per device is its share of the run's CPU (the event
count: nanoseconds of cpu-clock) summed over the runs and divided by the
devices they probed.  CPUs idling are not counted.  Prints the whole
guest's CPU per device and the median wall time; uevents, interrupts
and softirqs per 1,000 devices; functions with their callees, by the
most CPU in any mode; and functions alone, by how far the modes are
apart.
"""
import os
import re
import statistics
import sys

from lock_table import sum_of

TOTAL = re.compile(r"^# Event count \(approx\.\): (\d+)")
ROW = re.compile(r"^\s*(\d+\.\d+)%\s+(\d+\.\d+)%\s+\[(k|\.)\]\s+(\S+)")
# Where an idle CPU is sampled: not the workload's CPU.
IDLE = re.compile(r"^(default_idle|default_idle_call|do_idle|cpu_startup_entry|"
                  r"(pv_)?native_safe_halt|arch_cpu_idle|cpuidle_\w+|"
                  r"start_secondary|rest_init|start_kernel|x86_64_start_\w+|"
                  r"secondary_startup_64\w*|common_startup_64|"
                  r"acpi_idle\w*|mwait_idle\w*|poll_idle|halt)$")


def read_report(path):
    """(event count, {function: (ns with callees, ns alone)}) of one report."""
    total, funcs = 0, {}
    for line in open(path, errors="replace"):
        m = TOTAL.match(line)
        if m:
            total = int(m.group(1))
            continue
        m = ROW.match(line)
        if not m or m.group(3) != "k":
            continue
        name = re.sub(r"\.(constprop|isra|part|cold)\.\d+$", "", m.group(4))
        ch, se = funcs.get(name, (0.0, 0.0))
        funcs[name] = (ch + float(m.group(1)) * total / 100,
                       se + float(m.group(2)) * total / 100)
    return total, funcs


def read_irqs(path):
    """{name: count over all CPUs} of the lines before /proc/interrupts
    (the uevent count), /proc/interrupts, then /proc/softirqs (their names
    prefixed "softirq ")."""
    counts, headers = {}, 0
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        return counts
    for line in lines:
        if line.split()[:1] == ["CPU0"]:
            headers += 1
            continue
        name, sep, rest = line.partition(":")
        if not sep:
            continue
        total = 0
        for field in rest.split():
            if not field.isdigit():
                break
            total += int(field)
        key = ("softirq " if headers > 1 else "") + name.strip()
        counts[key] = counts.get(key, 0) + total
    return counts


def irqs_of(guest, names):
    """{name: count} the runs' interrupts and softirqs grew by."""
    grown = {}
    for name in names:
        r = re.match(r"perf-report-(\d+)\.txt$", name).group(1)
        before = read_irqs(os.path.join(guest, "perf-irq-before-%s.txt" % r))
        after = read_irqs(os.path.join(guest, "perf-irq-after-%s.txt" % r))
        for k, v in after.items():
            grown[k] = grown.get(k, 0) + v - before.get(k, 0)
    return grown


def read_run(run):
    """({function: (ns, ns)} summed over the runs, busy ns, devices,
    {interrupt: count})."""
    guest = os.path.join(run, "guest")
    funcs, busy = {}, 0.0
    try:
        names = sorted(f for f in os.listdir(guest) if re.match(r"perf-report-\d+\.txt$", f))
    except OSError as e:
        sys.exit("perf_table.py: %s: %s" % (guest, e.strerror))
    if not names:
        sys.exit("perf_table.py: %s: no perf report" % guest)
    for name in names:
        total, f = read_report(os.path.join(guest, name))
        if not total or not f:
            sys.exit("perf_table.py: %s: no event count or no function with"
                     " its callees (a report of samples without call chains?)"
                     % os.path.join(guest, name))
        busy += total - sum(se for fn, (_, se) in f.items() if IDLE.match(fn))
        for fn, (ch, se) in f.items():
            c0, s0 = funcs.get(fn, (0.0, 0.0))
            funcs[fn] = (c0 + ch, s0 + se)
    devices = sum_of(os.path.join(guest, "perf-sim.txt"), r"\bn=(\d+)")
    return funcs, busy, max(devices, 1), irqs_of(guest, names)


def wall_ms(run):
    """The median of the runs' wall times (ms), None without any."""
    walls = []
    try:
        for line in open(os.path.join(run, "guest", "perf-sim.txt")):
            m = re.search(r"\bwall_us=(\d+)", line)
            if m:
                walls.append(int(m.group(1)) / 1000)
    except OSError:
        pass
    return statistics.median(walls) if walls else None


def table(title, rows, data, names, col, order):
    """One table: @rows functions, cost @col (0: with callees, 1: alone),
    ranked by @order of their costs in the modes."""
    print("| %s | %s |" % (title, " | ".join(names)))
    print("|---|%s" % ("---|" * len(names)))
    keys = set()
    for funcs, _, _, _ in data:
        keys.update(fn for fn in funcs if not IDLE.match(fn))

    def cost(d, fn):
        funcs, _, devices, _ = d
        return funcs.get(fn, (0.0, 0.0))[col] / devices

    ranked = sorted(keys, key=lambda fn: (-order([cost(d, fn) for d in data]), fn))
    for fn in ranked[:rows]:
        print("| `%s` | %s |" % (fn, " | ".join("%.0f" % cost(d, fn) for d in data)))


def alone_order(modes):
    """How the "alone" table ranks functions: beside another mode, by what a
    function costs more in one of them; in one mode, by what it costs."""
    return (lambda c: max(c) - min(c)) if modes > 1 else max


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: perf_table.py ROWS RUN_DIR...")
    rows = int(sys.argv[1])
    runs = sys.argv[2:]
    data = [read_run(r) for r in runs]
    names = [os.path.basename(r).replace("perf-sim-", "") for r in runs]
    print("CPU per device, ns (with ICOUNT=1: instructions), busy CPUs only:")
    print()
    print("| | %s |" % " | ".join(names))
    print("|---|%s" % ("---|" * len(names)))
    print("| the whole guest, busy | %s |" % " | ".join("%.0f" % (b / n) for _, b, n, _ in data))
    walls = [wall_ms(r) for r in runs]
    print("| wall, ms: registration to last bind (median) | %s |" %
          " | ".join("-" if w is None else "%.1f" % w for w in walls))
    print()
    irq_rows = sorted({k for d in data for k, v in d[3].items() if v * 1000 >= d[2]})
    if irq_rows:
        print("| uevents, interrupts per 1,000 devices | %s |" % " | ".join(names))
        print("|---|%s" % ("---|" * len(names)))
        for k in irq_rows:
            print("| %s | %s |" % (k, " | ".join("%.1f" % (d[3].get(k, 0) * 1000 / d[2])
                                                 for d in data)))
        print()
    table("with callees", rows, data, names, 0, max)
    print()
    table("alone", rows, data, names, 1, alone_order(len(data)))


if __name__ == "__main__":
    main()
