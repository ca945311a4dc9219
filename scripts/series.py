#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Export the project as a git format-patch series against the 6.12 tree.

Usage: series.py export TREE OUTDIR VERSION TABLES
                  commit the series in TREE (a worktree at the pristine
                  tag), write it to OUTDIR with a cover letter that names
                  the package VERSION and quotes the Markdown file TABLES
       series.py steps    one line per patch: subject and size
       series.py builds   one line per patch: the directories to compile
                          after it ("-": nothing to compile)
       series.py kunit    one line per patch: "async" if the async KUnit
                          suite runs after it (under UML), else "-"

The series is made of the project's own files (laid in whole) and the
hook patches of patches/ (applied with git apply), grouped into one
logical change per patch (STEPS below), in an order where each builds.
Each patch that adds files also adds them to the MAINTAINERS entry, so
checkpatch has no "does MAINTAINERS need updating?" to say.  Commits get
fixed dates and the placeholder identity below, so the same project gives
the same series byte for byte.
"""
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AUTHOR = os.environ.get("SERIES_AUTHOR", "Your Name <your.name@example.org>")
DATE = "2026-11-26T12:00:00+00:00"

MAINT_HEAD = """ASYNCHRONOUS DEVICE PROBING (ASYNC_PROBE)
M:\t{author}
L:\tlinux-kernel@vger.kernel.org
S:\tMaintained
"""
MAINT_BEFORE = "ASYNCHRONOUS TRANSFERS/TRANSFORMS (IOAT) API\n"

APD = "drivers/base/async_probe/"
BOOTGRAPH_TESTS = "tools/bootgraph/tests/"
SELFTESTS = "tools/testing/selftests/async_probe/"

# Kconfig/Makefile of drivers/base/async_probe as the framework patch adds
# them: without the simulators and the KUnit suite, which come later.
TEST_SYMBOLS = ("ASYNC_PROBE_SIM", "ASYNC_PROBE_SIM_DT", "ASYNC_PROBE_TORTURE",
                "ASYNC_PROBE_KUNIT_TEST")


def kconfig_without_tests(text):
    """Drop the config blocks of TEST_SYMBOLS from a Kconfig file."""
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        m = re.match(r"config (\S+)", line)
        if m:
            skip = m.group(1) in TEST_SYMBOLS
        elif line.strip() and not line[0].isspace():
            skip = False
        if not skip:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "".join(out)


def makefile_without_tests(text):
    """Drop the Makefile lines that build the TEST_SYMBOLS objects."""
    return "".join(l for l in text.splitlines(keepends=True)
                   if not re.search(r"CONFIG_ASYNC_PROBE_(SIM|TORTURE|KUNIT)|sim_dt", l))


def git_files(prefix):
    out = subprocess.run(["git", "-C", TOP, "ls-files", "--", prefix],
                         check=True, capture_output=True, text=True).stdout
    return [f for f in out.split() if f]


def patch_message(name):
    """Subject and body of one of patches/*.patch."""
    with open(os.path.join(TOP, "patches", name)) as f:
        head = f.read().split("\n---\n", 1)[0]
    subject = re.search(r"^Subject: \[PATCH\] (.*)$", head, re.M).group(1)
    body = head.split("\n", 1)[1].strip("\n") + "\n"
    return subject, body


def step_from_patch(name, build, followup=False):
    subject, body = patch_message(name)
    return dict(subject=subject, body=body, files=[], patches=[name],
                maint=[], build=build, followup=followup)


# kernel/async.c evolves from upstream's file in steps: patches/async/,
# applied in order, each building and passing the async KUnit suite as it
# stands after it (series-check runs it under UML); the last step lays the
# overlay's files in whole.  A change to the overlay lands in that last
# step; one that belongs to an earlier step goes into its patch as well.
ASYNC_FILES = ["kernel/async.c", "kernel/async_internal.h", "include/linux/async.h",
               "include/trace/events/async.h", "kernel/async_test.c",
               "kernel/async_lockdep_test.c"]


# What a step of kernel/async.c builds for x86 (the test configuration):
# the files it touches and two callers of async.h from elsewhere.  The
# whole kernel, every other caller UML has included, is built for UML at
# each step to run the suite (series.sh kunit_step).
ASYNC_BUILD = ["kernel/async.o", "kernel/async_test.o", "init/main.o", "kernel/module/main.o"]


def async_step(name, maint, build=ASYNC_BUILD):
    step = step_from_patch("async/" + name, build=build)
    step.update(maint=maint, kunit=True)
    return step


# A fix of the driver core that the framework's hook patch carries (one
# upstream file belongs to one patch of patches/), sent first and on its
# own: its hunk leaves that patch in the series (see "without").
SPLIT_LINKS = "split/device-links-busy.patch"
FRAMEWORK_HOOKS = "0002-driver-core-hand-asynchronous-probes-to-async_probe.patch"


def fix_step():
    step = step_from_patch(SPLIT_LINKS, build=["drivers/base/"])
    step["patches"] += ["0011-driver-core-test-build-the-device-link-KUnit-test.patch"]
    step["files"] = ["drivers/base/test/device-link-test.c"]
    return step


STEPS = [
    fix_step(),
    async_step("01-add-a-KUnit-suite.patch",
               ["include/linux/async.h", "kernel/async.c", "kernel/async_test.c"]),
    async_step("02-wake-only-the-waiters-a-completion-satisfies.patch", []),
    async_step("03-run-calls-after-the-calls-they-depend-on.patch",
               ["kernel/async_internal.h"]),
    async_step("04-limit-how-many-calls-of-a-domain-run-at-once.patch", []),
    async_step("05-trace-calls-and-waits-with-tracepoints.patch",
               ["include/trace/events/async.h"]),
    async_step("06-tell-lockdep-what-async-waits-wait-for.patch",
               ["kernel/async_lockdep_test.c"],
               ASYNC_BUILD + ["kernel/async_lockdep_test.o"]),
    dict(
        subject="async: go on with a dependent call in the worker that finished",
        body="""\
When a call finishes and its completion makes dependent calls ready,
they are queued on the workqueue, and the worker that finished goes idle
while another is woken to run them.  Along a chain of dependent calls
every link pays a wake-up and waits behind whatever was queued before it
became ready, though the worker that made it ready is free.

Let that worker run one of the calls its completion made ready itself,
after the completion is over (waiters woken, the other ready calls
queued): the one that most calls wait for, since it is the likeliest to
be on the longest chain, of those that may run on this NUMA node.  The
work item that the workqueue runs stays allocated until its worker is
done, and current_is_async() and current_async_cookie() report the call
that runs now, not the one whose work item it is.

Measured with the project's benchmark module for kernel/async.c (lean
x86_64 kernels in QEMU TCG, -smp 2, five runs each):

  ns per call (median, range)   before               after
  chain of 10,000 calls         3,790 (2,719-4,243)  667 (416-833)
  10,000 calls after one root   1,283 (1,099-1,728)  1,511 (1,060-1,586)
  10,000 calls and a barrier    1,713 (1,156-2,116)  1,514 (1,104-2,168)
  one call and its wait         81k (80k-101k)       84k (78k-105k)
  100,000 parked, then drained  1,222 (1,135-1,425)  1,320 (1,098-1,435)

A chain runs 5.7 times faster; the other cases are within their spread.

Also give calls a priority (async_schedule_node_domain_after_prio()):
where a domain's limit holds ready calls back, they wait in priority
order, highest first, and in the order they became ready among equals
(inserted from the tail: O(1) while all have one priority), and the
worker that finished prefers the ready call of highest priority.  The
probe framework orders its probes by what the last boot learned.

And current_async_data(func): the argument of the call the current task
runs, if that call runs func.  The probe framework's driver-core hooks
run inside the framework's own probe calls and in every other probe;
with it they tell which without a lock or state of their own.
""",
        files=ASYNC_FILES,
        patches=[],
        maint=[],
        build=ASYNC_BUILD + ["kernel/async_lockdep_test.o"],
        kunit=True),
    dict(
        subject="driver core: probe in parallel in dependency order (async_probe)",
        body="""\
Asynchronous probing today is a per-driver flag that hands the probe to
kernel/async.c with no notion of what the device depends on: the probe
may run before its supplier is bound, defer, and be retried from the
deferred list, and "driver_async_probe=*" can make a boot slower because
unrelated probes queue behind one another.

Add drivers/base/async_probe: the driver core offers every probe it
would run asynchronously to async_probe_claim().  The framework finds
what the device depends on (its parent, its managed device links,
including those fw_devlink makes from firmware, and dependencies a
driver declares), and schedules the probe with async dependency cookies
after the probes of those suppliers, or parks it until a supplier
without a pending probe binds.  No probe runs while a device or parent
lock is held by the scheduling side, and no worker waits for another
queued probe.

async_probe= chooses the mode: "sync" (no asynchronous probing),
"stock" (upstream's behaviour), "on" (drivers that opted in, the
default) and "all" (every driver that does not forbid it).  Also:
async_probe.max_active= (the concurrency limit, changeable at run time),
async_probe.hung_timeout= (report a probe that takes too long, without
killing it), barriers for all, one device, one bus and "everything a
naming order depends on", debugfs (stats, pending, graph.dot) and
async_probe:* tracepoints with the debug lines printed from them.

The hooks in the driver core are small: dd.c hands asynchronous probes
to the framework while it is on, and probes synchronously one that the
framework cannot take, so that there is one asynchronous path; it splits
out the asynchronous half of __device_attach() and the synchronous path
of __driver_attach() for the framework's probes to run, and tells the
framework when a probe attempt begins, when a device binds, fails, or is
deleted, and when a driver detaches.

Every probe attempt, in every mode, is also recorded per device in a
plan (debugfs async_probe/plan): tries, deferrals, result and time, and
for a device that deferred, the devices whose probe may have provided
what it waited for.  With async_probe.plan=replay, the next boot reads
that plan from an early cpio archive of the initramfs
(kernel/async_probe.plan, the way early microcode is found) before
devices probe, and queues each device it names after the suppliers it
learned while their probes are queued or running, so that the deferral
does not happen again, and when more probes are ready than
async_probe.max_active lets run, starts the one heading the longest
learned chain first and those that found no hardware last.  A plan that
is not valid is reported and ignored; a stale one costs time, never a
device.
""",
        files=[APD + f for f in ("core.c", "deps.c", "params.c", "plan.c",
                                 "replay.c", "trace.c", "debugfs.c", "hooks.h", "internal.h",
                                 "Kconfig", "Makefile")] +
              ["include/linux/async_probe.h", "include/linux/async_probe_log.h",
               "include/trace/events/async_probe.h"],
        filters={APD + "Kconfig": kconfig_without_tests,
                 APD + "Makefile": makefile_without_tests},
        patches=[FRAMEWORK_HOOKS,
                 "0003-Documentation-document-the-async_probe-parameters.patch"],
        without={FRAMEWORK_HOOKS: SPLIT_LINKS},
        maint=[APD, "include/linux/async_probe.h",
               "include/linux/async_probe_log.h",
               "include/trace/events/async_probe.h"],
        build=["drivers/base/"]),
    # A follow-up that changes one file builds what it can break: that
    # file's object, or for a Kconfig select the code of the option.
    step_from_patch("0004-x86-of-unflatten-an-empty-device-tree-root-with-OF.patch",
                    build=["arch/x86/kernel/devicetree.o", "drivers/of/"], followup=True),
    step_from_patch("0005-of-property-let-fw_devlink-parse-overlays-on-x86.patch",
                    build=["drivers/of/"], followup=True),
    dict(
        subject="dt-bindings: misc: add the async_probe device-tree simulator",
        body="""\
Describe the nodes of the overlay the async_probe device-tree simulator
applies: devices whose only dependencies are "-supply" phandles, which
fw_devlink turns into device links.  The binding exists for the test
module only; no hardware uses it.
""",
        files=["Documentation/devicetree/bindings/misc/async-probe-sim-dt.yaml"],
        patches=[],
        maint=["Documentation/devicetree/bindings/misc/async-probe-sim-dt.yaml"],
        build=[]),
    dict(
        subject="driver core: async_probe: add simulators, a torture test, KUnit and kselftests",
        body="""\
async_probe_sim builds random or explicit device graphs of platform
devices with managed device links and timed probes (sleeping or busy,
failing, deferring or hanging on request), probes them through either
attach path, checks that no consumer started before its suppliers
finished, and prints one result line with the serial sum, the critical
path and the wall time.  async_probe_sim_dt does the same from a
device-tree overlay, where fw_devlink makes the links.

async_probe_torture, built on kernel/torture.c, runs random graphs for a
given time while it registers and unregisters devices and drivers under
the probes, injects failures, deferrals and a hung probe, and can aim
failslab and fail_page_alloc at its own threads; it checks that every
device that can bind is bound exactly once and in dependency order, and
that no probe outlives its device.

The KUnit suite tests dependency evaluation, the modes and their
precedence, and the barriers.  The kselftests drive the simulators from
userspace: random graphs, faults, the concurrency limit, unbind and
rebind through sysfs, the hung-probe report, the modes on the command
line, boot-time tracing, the in-tree users of kernel/async.c, and the
torture test with the simulator reloaded and rebound beside it.
""",
        files=[APD + f for f in ("Kconfig", "Makefile", "async_probe_sim.c",
                                 "async_probe_sim_dt.c", "async_probe_sim_dt.dtso",
                                 "async_probe_sim_dt.h", "async_probe_test.c",
                                 "async_probe_torture.c")] +
              git_files(SELFTESTS),
        patches=[],
        maint=[SELFTESTS],
        build=["drivers/base/"]),
    step_from_patch("0006-virtio_blk-probe-asynchronously.patch", build=["drivers/block/virtio_blk.o"],
                    followup=True),
    step_from_patch("0007-virtio_net-probe-asynchronously.patch", build=["drivers/net/virtio_net.o"],
                    followup=True),
    step_from_patch("0008-e1000e-probe-asynchronously.patch",
                    build=["drivers/net/ethernet/intel/e1000e/netdev.o"], followup=True),
    step_from_patch("0009-ahci-probe-asynchronously.patch", build=["drivers/ata/ahci.o"], followup=True),
    dict(
        subject="tools/bootgraph: show a boot device by device",
        body="""\
bootgraph reads a boot's kernel log (initcall_debug and async_probe
debug lines), a tracefs trace or a trace-cmd trace.dat, and draws the
boot as an SVG or HTML timeline, one row per device or initcall, with
the dependency edges and the critical chain: the chain of dependent
probes that bounds the boot.  It also prints a text summary and the
chain, writes CSV and JSON, compares two boots, and merges boots into a
probe plan for async_probe.plan=replay.
""",
        files=[f for f in git_files("tools/bootgraph/")
               if not f.startswith(BOOTGRAPH_TESTS)],
        patches=[],
        maint=["tools/bootgraph/"],
        build=[]),
    dict(
        subject="tools/bootgraph: test it on recorded boots, bad input and a fuzzer",
        body="""\
"make -C tools/bootgraph test" compares bootgraph's output for boots
recorded in QEMU (stock 6.12, and this series with and without the
framework, as kernel logs, tracefs text and trace.dat) with golden
files, and feeds it bad input (truncated, binary, malformed and
overlong lines, time going backwards, probes that never end), which
must give a message and an exit status rather than a crash.  It runs
under ASan and UBSan, and its parsers are fuzzed with libFuzzer for a
short while.  "make browser-test" loads the HTML page in headless
Chromium, also at 4,000 and 50,000 devices.

The recorded boots and the golden files are most of this patch's size:
test data, kept apart from the tool so that the tool reads on its own.
""",
        files=[f for f in git_files("tools/bootgraph/") if f.startswith(BOOTGRAPH_TESTS)],
        patches=[],
        maint=[],
        build=[]),
    dict(
        subject="Documentation: describe async_probe and bootgraph",
        body="""\
Documentation/driver-api/async_probe.rst explains the model (cookies,
dependencies, barriers), how a driver opts in and how its dependencies
are found, what can change when a driver probes asynchronously (naming,
ordering) and how to keep it stable, the command line, debugfs and the
tracepoints, with a worked bootgraph example and the API reference.
Documentation/bootgraph/bootgraph.rst is the tool's manual page and a
short boot-tuning guide.
""",
        files=["Documentation/driver-api/async_probe.rst",
               "Documentation/bootgraph/bootgraph.rst"],
        patches=["0010-Documentation-driver-api-add-async_probe-to-the-toctree.patch"],
        maint=["Documentation/bootgraph/", "Documentation/driver-api/async_probe.rst"],
        build=[]),
]


def ordered():
    """The core series, then the follow-ups for other subsystems."""
    return ([s for s in STEPS if not s.get("followup")] +
            [s for s in STEPS if s.get("followup")])


# Why each follow-up is kept apart (cover letter).
FOLLOWUP_WHY = {
    "0004-x86-of-unflatten-an-empty-device-tree-root-with-OF.patch":
        " (x86, for the device-tree simulator on machines without firmware DT)",
    "0005-of-property-let-fw_devlink-parse-overlays-on-x86.patch":
        " (OF, the same)",
}


def hunks(text):
    """The hunks of a patch, each with its file's diff header."""
    out = []
    for sec in re.split(r"(?m)^(?=diff --git )", text.split("\n---\n", 1)[-1]):
        if sec.startswith("diff --git "):
            head, *hs = re.split(r"(?m)^(?=@@ )", sec)
            out += [(head, h) for h in hs]
    return out


def patch_without(name, minus):
    """Patch NAME of patches/ without the hunks of patch MINUS."""
    with open(os.path.join(TOP, "patches", name)) as f:
        text = f.read()
    with open(os.path.join(TOP, "patches", minus)) as f:
        drop = [h for _, h in hunks(f.read())]
    for h in drop:
        if h not in text:
            sys.exit("series.py: %s no longer has the hunk of %s: make them agree"
                     % (name, minus))
        text = text.replace(h, "", 1)
    return text


def run(tree, *cmd, **kw):
    return subprocess.run(cmd, cwd=tree, check=True, **kw)


def maintainers(tree, patterns):
    path = os.path.join(tree, "MAINTAINERS")
    with open(path) as f:
        text = f.read()
    start = text.find(MAINT_HEAD.format(author=AUTHOR).split("\n")[0] + "\n")
    if start >= 0:
        end = text.index("\n\n", start) + 2
        text = text[:start] + text[end:]
    entry = MAINT_HEAD.format(author=AUTHOR) + "".join(
        "F:\t%s\n" % p for p in sorted(set(patterns))) + "\n"
    at = text.index(MAINT_BEFORE)
    with open(path, "w") as f:
        f.write(text[:at] + entry + text[at:])


def export(tree, outdir):
    name, email = re.match(r"(.*) <(.*)>", AUTHOR).groups()
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email,
               GIT_AUTHOR_DATE=DATE, GIT_COMMITTER_DATE=DATE)
    maint = []
    core_head = None
    for step in ordered():
        if step.get("followup") and core_head is None:
            core_head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tree, check=True,
                                       capture_output=True, text=True).stdout.strip()
        for f in step["files"]:
            dst = os.path.join(tree, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(os.path.join(TOP, f), "rb") as src:
                data = src.read()
            filt = step.get("filters", {}).get(f)
            if filt:
                data = filt(data.decode()).encode()
            with open(dst, "wb") as out:
                out.write(data)
            os.chmod(dst, os.stat(os.path.join(TOP, f)).st_mode & 0o777)
        for p in step["patches"]:
            minus = step.get("without", {}).get(p)
            if minus:
                run(tree, "git", "apply", "--whitespace=nowarn", "-",
                    input=patch_without(p, minus).encode())
            else:
                run(tree, "git", "apply", "--whitespace=nowarn",
                    os.path.join(TOP, "patches", p))
        if step["maint"]:
            maint += step["maint"]
            maintainers(tree, maint)
        run(tree, "git", "add", "-A")
        # The kernel tree's info/exclude hides the overlay files: add them,
        # and those a patch creates, by name.
        named = list(step["files"])
        for p in step["patches"]:
            with open(os.path.join(TOP, "patches", p)) as f:
                named += re.findall(r"(?m)^\+\+\+ b/(\S+)$", f.read())
        if named:
            run(tree, "git", "add", "-f", "--", *named)
        # Tags (Fixes:) go right above the sign-off.
        tags = step["body"].rstrip("\n").split("\n")[-1].startswith("Fixes: ")
        msg = "%s\n\n%s%sSigned-off-by: %s\n" % (step["subject"], step["body"],
                                                 "" if tags else "\n", AUTHOR)
        run(tree, "git", "commit", "-q", "--no-verify", "-F", "-",
            input=msg.encode(), env=env)
    followups = os.path.join(outdir, "followups")
    for d in (outdir, followups):
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.endswith(".patch"):
                os.unlink(os.path.join(d, f))
    run(tree, "git", "format-patch", "-q", "--cover-letter", "--no-signature",
        "--base=pristine", "-o", outdir, "pristine.." + (core_head or "HEAD"), env=env)
    if core_head:
        run(tree, "git", "format-patch", "-q", "--no-signature", "-o", followups,
            core_head + "..HEAD", env=env)


def plain_headings(markdown):
    """Markdown "# Title" as an underlined title: git drops '#' lines."""
    out = []
    for line in markdown.splitlines():
        m = re.match(r"#+ (.*)", line)
        out += [m.group(1), "-" * len(m.group(1))] if m else [line]
    return "\n".join(out) + "\n"


def cover(outdir, version, tables):
    """Fill in the cover letter format-patch left with placeholders."""
    tables = plain_headings(tables)
    path = [os.path.join(outdir, f) for f in sorted(os.listdir(outdir))
            if f.startswith("0000-")][0]
    with open(path) as f:
        text = f.read()
    just = []
    jf = os.path.join(TOP, "scripts", "checkpatch-justified")
    if os.path.exists(jf):
        with open(jf) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    path_, typ, why = line.split(None, 2)
                    just.append("  %s %s: %s" % (path_, typ, why.strip()))
    blurb = """\
Boots spend much of their time probing devices one after another, even
where the devices do not depend on one another.  This series makes the
driver core probe in parallel, each device as soon as the devices it
depends on are bound, so that a boot takes about as long as its slowest
chain of dependent devices, and adds bootgraph, a tool that shows a boot
device by device so that people can tune it.

Patch 1 fixes a race in device_links_busy() that parallel probing
found, with a KUnit test; it stands on its own (Fixes: tag).

Patches 2-8 take kernel/async.c from today's file to dependency
cookies (calls that run after a given set of earlier ones, without
occupying a worker while they wait), one step at a time: a KUnit suite
for what it promises today (2), wake-ups only for the waiters a
completion satisfies (3), the dependencies themselves (4), per-domain
limits (5), tracepoints (6), a lockdep model of its waits (7), and the
hand-off of a dependent call to the worker that made it ready, with its
figures (8).  Each step builds and passes the suite as it stands then.
Patch 9 adds drivers/base/async_probe and its driver-core hooks.
Patches 10-11 add the test binding, the probe simulators, a KUnit suite
and kselftests.  Patch 12 adds tools/bootgraph, patch 13 its tests
(mostly recorded boots and golden files), patch 14 the documentation.

Not in this series, and sent to their subsystems once it is in (the
project keeps them in followups/, applied after this series in its
test kernel):
{followups}

Based on Linux {kver} as Debian packages it (linux-source-6.12
{version}).  Each patch builds with the test configuration: the
directories it touches, or for patches 2-8 the files they touch and
two other callers of async.h, and the whole kernel for UML, where the
async KUnit suite runs at each of those steps.  This series and the
follow-ups together are what the project's test kernel runs.

Tested in QEMU (TCG, x86_64) on a debug kernel (lockdep, KASAN,
DEBUG_OBJECTS): KUnit suites, kselftests, boots in every mode with an
AHCI, virtio-blk and virtio-scsi disk.

checkpatch --strict: no errors.  Warnings and CHECKs left, and why:
{just}

Benchmarks (QEMU TCG, from the project's "make bench"):

{tables}
""".format(version=version, kver=kernel_version(), just="\n".join(just) or "  none",
           followups="\n".join("  - %s%s" % (st["subject"], FOLLOWUP_WHY.get(st["patches"][0], ""))
                               for st in STEPS if st.get("followup")),
           tables=tables.strip() or "  (run make bench to fill in)")
    text = text.replace("*** SUBJECT HERE ***",
                        "Dependency-aware parallel device probing, and bootgraph")
    text = text.replace("*** BLURB HERE ***", blurb.strip())
    with open(path, "w") as f:
        f.write(text)


def kernel_version():
    out = subprocess.run(["make", "-s", "-C", os.path.join(TOP, "build", "linux"),
                          "kernelversion"], capture_output=True, text=True)
    return out.stdout.strip() or "6.12"


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "steps":
        for i, s in enumerate(ordered(), 1):
            print("%2d %s (%d files, %d hook patches)" %
                  (i, s["subject"], len(s["files"]), len(s["patches"])))
        return 0
    if len(sys.argv) == 6 and sys.argv[1] == "export":
        tree, outdir, version, tables = sys.argv[2:]
        export(tree, outdir)
        tab = ""
        if os.path.exists(tables):
            with open(tables) as f:
                tab = f.read()
        cover(outdir, version, tab)
        return 0
    if len(sys.argv) == 2 and sys.argv[1] == "builds":
        for s in ordered():
            print(" ".join(s["build"]) or "-")
        return 0
    if len(sys.argv) == 2 and sys.argv[1] == "kunit":
        for s in ordered():
            print("async" if s.get("kunit") else "-")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
