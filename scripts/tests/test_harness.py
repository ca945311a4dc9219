#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the harness's own judges: the console judge, the
kselftest TAP reader and the benchmark's bound.  Prints one "PASS|FAIL
name" line per case."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import bench_table  # noqa: E402
import judge  # noqa: E402
import kcsan_filter  # noqa: E402
import lock_table  # noqa: E402
import perf_table  # noqa: E402
import results  # noqa: E402

DONE = '[   9.000000] harness: all steps done\n'
WARN = ['[   2.000000] ------------[ cut here ]------------\n',
        '[   2.000001] WARNING: CPU: 0 PID: 1 at drivers/foo.c:12 foo+0x1/0x2\n',
        '[   2.000002] Modules linked in:\n',
        '[   2.000003] Call Trace:\n',
        '[   2.000004] ---[ end trace 0000000000000000 ]---\n']


def begin(tag, rx):
    return f'[   1.000000] judge: expect-begin {tag} {rx}\n'


def end(tag):
    return f'[   3.000000] judge: expect-end {tag}\n'


class Judge(unittest.TestCase):
    def test_clean_boot_passes(self):
        self.assertEqual(judge.judge(['[   0.1] Linux version 6.12\n', DONE]), [])

    def test_warning_fails(self):
        p = judge.judge(WARN + [DONE])
        self.assertTrue(any('kernel report' in why for _, why in p))
        self.assertEqual(p[0][0], 2)

    def test_one_report_is_one_problem(self):
        self.assertEqual(len(judge.judge(WARN + [DONE])), 1)

    def test_bare_stack_dump_fails(self):
        p = judge.judge(['[ 1.0] Call Trace:\n', '[ 1.1]  <TASK>\n', DONE])
        self.assertEqual([w for _, w in p], ['stack dump'])

    def test_each_report_kind_fails(self):
        for head in ('BUG: KASAN: slab-use-after-free in foo',
                     'INFO: task kworker/0:1:12 blocked for more than 60 seconds.',
                     'WARNING: possible circular locking dependency detected',
                     'UBSAN: array-index-out-of-bounds in foo.c:3:4',
                     'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)',
                     'Kernel panic - not syncing: oops',
                     'BUG: workqueue lockup - pool cpus=0',
                     'rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'):
            with self.subTest(head=head):
                self.assertNotEqual(judge.judge([f'[ 1.0] {head}\n', DONE]), [])

    def test_caller_id_prefix(self):
        self.assertNotEqual(judge.judge(['[    1.000000][    T1] BUG: oops\n', DONE]), [])

    def test_expected_report_in_window_passes(self):
        lines = [begin('hung', 'WARNING: CPU')] + WARN + [end('hung'), DONE]
        self.assertEqual(judge.judge(lines), [])

    def test_expected_report_missing_fails(self):
        lines = [begin('hung', 'async_probe: hung'), end('hung'), DONE]
        p = judge.judge(lines)
        self.assertEqual(len(p), 1)
        self.assertIn('did not appear', p[0][1])

    def test_other_report_in_window_fails(self):
        lines = [begin('hung', 'WARNING: CPU'), *WARN,
                 '[   2.5] BUG: KASAN: use-after-free\n', end('hung'), DONE]
        p = judge.judge(lines)
        self.assertEqual([n for n, _ in p], [7])

    def test_report_after_window_fails(self):
        lines = [begin('hung', 'WARNING: CPU'), *WARN, end('hung'), *WARN, DONE]
        self.assertNotEqual(judge.judge(lines), [])

    def test_unclosed_window_fails(self):
        lines = [begin('x', 'WARNING'), *WARN, DONE]
        self.assertTrue(any('never closed' in w for _, w in judge.judge(lines)))

    def test_unfinished_boot_fails(self):
        p = judge.judge(['[   0.1] Linux version 6.12\n'])
        self.assertTrue(any('did not finish' in w for _, w in p))

    def test_bad_regex_is_reported(self):
        p = judge.judge([begin('x', '(('), end('x'), DONE])
        self.assertTrue(any('bad regex' in w for _, w in p))


def read_back(reader, text, prefix):
    """What a results.py reader prints for a file holding @text."""
    path = os.path.join('/tmp', f'{reader.__name__}-{os.getpid()}.txt')
    with open(path, 'w') as f:
        f.write(text)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        reader(path, prefix)
    os.unlink(path)
    return buf.getvalue().splitlines()


def ktap_lines(text):
    return read_back(results.ktap, text, 'k')


class Ktap(unittest.TestCase):
    def test_nested_cases(self):
        out = ktap_lines('TAP version 13\n1..1\n# selftests: ap: a.sh\n# TAP version 13\n'
                         '# 1..3\n# ok 1 one\n# not ok 2 two\n# ok 3 three # SKIP no\n'
                         'not ok 1 selftests: ap: a.sh # exit=1\n')
        self.assertEqual(out, ['PASS k.a.sh.one', 'FAIL k.a.sh.two', 'SKIP k.a.sh.three'])

    def test_failed_case_says_why(self):
        # Its own diagnostics only, not the passed case's before it.
        out = ktap_lines('TAP version 13\n1..1\n# selftests: ap: a.sh\n# TAP version 13\n'
                         '# 1..2\n# # fine\n# ok 1 one\n# # deferrals: 3\n# # missed: x\n'
                         '# not ok 2 two\nnot ok 1 selftests: ap: a.sh # exit=1\n')
        self.assertEqual(out, ['PASS k.a.sh.one', 'FAIL k.a.sh.two',
                               'WHY deferrals: 3', 'WHY missed: x'])

    def test_missing_cases_fail(self):
        out = ktap_lines('TAP version 13\n1..1\n# 1..3\n# ok 1 one\n'
                         'not ok 1 selftests: ap: a.sh # exit=1\n')
        self.assertIn('FAIL k.a.sh.(ran 1 of 3 cases)', out)

    def test_crashed_script_fails(self):
        out = ktap_lines('TAP version 13\n1..2\nnot ok 1 selftests: ap: a.sh # exit=139\n')
        self.assertEqual(out, ['FAIL k.a.sh', 'FAIL k.(ran 1 of 2 scripts)'])

    def test_empty_plan_fails(self):
        # bootgraph's runner given a filter that matched nothing.
        self.assertEqual(ktap_lines('TAP version 13\n1..0\n# 0 passed, 0 failed\n'),
                         ['FAIL k.(a plan of no test: "1..0")'])

    def test_no_plan_fails(self):
        self.assertEqual(ktap_lines(''), ['FAIL k.(no TAP plan in /tmp/ktap-%d.txt)' % os.getpid()])

    def test_top_skip_with_passed_cases_is_no_skip(self):
        # kselftest prints "# SKIP" for exit status 4; the cases ran.
        out = ktap_lines('TAP version 13\n1..1\n# selftests: ap: torture.sh\n'
                         '# TAP version 13\n# 1..2\n# ok 1 ran_to_the_end\n'
                         '# ok 2 no_invariant_violated\n'
                         'ok 1 selftests: ap: torture.sh # SKIP\n')
        self.assertEqual(out, ['PASS k.torture.sh.ran_to_the_end',
                               'PASS k.torture.sh.no_invariant_violated'])

    def test_script_skipped_whole(self):
        # As the main boot's console shows boot_trace.sh and torture.sh.
        out = ktap_lines('TAP version 13\n1..2\n# timeout set to 45\n'
                         '# selftests: async_probe: boot_trace.sh\n# TAP version 13\n'
                         '# 1..0 # SKIP boot without trace_event=async_probe:*\n'
                         'ok 1 selftests: async_probe: boot_trace.sh # SKIP\n'
                         '# selftests: async_probe: modes.sh\n# TAP version 13\n'
                         '# 1..1\n# ok 1 on_graph_correct\n'
                         'ok 2 selftests: async_probe: modes.sh\n')
        self.assertEqual(out, ['SKIP k.boot_trace.sh', 'PASS k.modes.sh.on_graph_correct'])

    def test_script_skipped_whole_exit_0(self):
        # Its own plan says it skipped: no pass, whatever its exit status.
        out = ktap_lines('TAP version 13\n1..1\n# TAP version 13\n'
                         '# 1..0 # SKIP no aptorture_s= on the command line\n'
                         'ok 1 selftests: ap: torture.sh\n')
        self.assertEqual(out, ['SKIP k.torture.sh'])
        out = ktap_lines('TAP version 13\n1..1\n# TAP version 13\n# 1..0 # SKIP x\n'
                         'not ok 1 selftests: ap: torture.sh # exit=1\n')
        self.assertEqual(out, ['FAIL k.torture.sh'])

    def test_flat_tap(self):
        out = ktap_lines('TAP version 13\n1..2\nok 1 - parse\nok 2 - fuzz # SKIP no clang\n')
        self.assertEqual(out, ['PASS k.parse', 'SKIP k.fuzz'])


KUNIT_CONSOLE = '''[   1.0] KTAP version 1
[   1.1] 1..1
[   1.2]     KTAP version 1
[   1.3] sd 1:0:0:0: [sdb] 32768 512-byte logical blocks: (16.8 MB/16.0 MiB)
[   1.4]     # Subtest: s
[   1.5] sd 1:0:0:0: [sdb] Write Protect is off
[   1.6]     1..2
[   1.7]     ok 1 a
[   1.8]     # b: EXPECTATION FAILED at x.c:1
[   1.9]     Expected 1 == 2
[   2.0]     not ok 2 b
[   2.1] # s: pass:1 fail:1 skip:0 total:2
[   2.2] not ok 1 s
'''


class Kunit(unittest.TestCase):
    def test_other_messages_are_not_ktap(self):
        kept = results.kunit_lines(KUNIT_CONSOLE.splitlines(True))
        self.assertEqual(len(kept), 11)
        self.assertFalse([l for l in kept if 'sdb' in l])

    @unittest.skipUnless(os.path.exists(os.path.join(
        os.environ.get('KSRC', 'build/linux'), 'tools/testing/kunit/kunit_parser.py')),
        'no kernel tree (KSRC)')
    def test_interleaved_messages_do_not_break_a_suite(self):
        self.assertEqual(read_back(results.kunit, KUNIT_CONSOLE, 'ku'),
                         ['PASS ku.s.a', 'FAIL ku.s.b', 'WHY # b: EXPECTATION FAILED at x.c:1',
                          'WHY Expected 1 == 2'])


def kcsan_report(frames, context='Workqueue: async async_run_entry_fn'):
    lines = ['[  5.0] ==================================================================\n',
             f'[  5.0] BUG: KCSAN: data-race in {frames[0]} / {frames[-1]}\n']
    lines += [f'[  5.0]  {f.split()[0]}+0x10/0x20{f[len(f.split()[0]):]}\n' for f in frames]
    lines += [f'[  5.0] {context}\n',
              '[  5.0] ==================================================================\n']
    return lines


class KcsanFilter(unittest.TestCase):
    def run_filter(self, lines):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            src, dst = os.path.join(d, 'in'), os.path.join(d, 'out')
            with open(src, 'w') as f:
                f.writelines(lines)
            sys.argv = ['kcsan_filter.py', src, dst]
            with contextlib.redirect_stdout(io.StringIO()) as out:
                kcsan_filter.main()
            with open(dst) as f:
                return out.getvalue(), f.read()

    def test_report_in_project_code_is_kept(self):
        summary, text = self.run_filter(kcsan_report(['ap_finish', 'ap_probe_fn']))
        self.assertIn('1 in the project', summary)
        self.assertIn('BUG: KCSAN', text)

    def test_workqueue_context_line_does_not_count(self):
        summary, text = self.run_filter(kcsan_report(['process_one_work', 'worker_thread']))
        self.assertIn('0 in the project', summary)
        self.assertNotIn('BUG: KCSAN', text)


    def test_frames_below_an_interrupt_entry_do_not_count(self):
        # A timer interrupt that hit a probe raced in timekeeping: not ours.
        lines = kcsan_report(['timekeeping_update', 'timekeeping_advance',
                              'asm_sysvec_apic_timer_interrupt', 'mutex_lock_nested',
                              'really_probe', 'ap_probe_fn'])
        lines[1] = '[  5.0] BUG: KCSAN: data-race in ktime_get_mono_fast_ns / timekeeping_update\n'
        lines.insert(2, '[  5.0] write to 0xffff of 56 bytes by interrupt on cpu 1:\n')
        summary, text = self.run_filter(lines)
        self.assertIn('0 in the project', summary)
        self.assertNotIn('BUG: KCSAN', text)

    def test_project_frames_above_an_interrupt_entry_count(self):
        lines = kcsan_report(['ap_trace_end', 'asm_sysvec_apic_timer_interrupt',
                              'schedule', 'worker_thread'])
        lines[1] = '[  5.0] BUG: KCSAN: data-race in ap_trace_end / ktime_get\n'
        lines.insert(2, '[  5.0] read to 0xffff of 8 bytes by interrupt on cpu 0:\n')
        summary, _ = self.run_filter(lines)
        self.assertIn('1 in the project', summary)

    def test_frames_below_a_scheduler_entry_do_not_count(self):
        # The watchdog slept on ap_lock; the workqueue's wake-up hook raced
        # with the scheduler's runtime accounting (torture, 2026-11-30).
        lines = kcsan_report(['wq_worker_running', 'schedule_preempt_disabled',
                              '__mutex_lock', 'mutex_lock_nested', 'ap_hung_fn',
                              'process_one_work', 'worker_thread'])
        lines[1] = '[  5.0] BUG: KCSAN: data-race in wq_worker_running+0x5d/0xc0\n'
        lines.insert(2, '[  5.0] race at unknown origin, with read to 0xffff of 8 bytes '
                        'by task 161 on cpu 1:\n')
        summary, text = self.run_filter(lines)
        self.assertIn('0 in the project', summary)
        self.assertNotIn('BUG: KCSAN', text)

    def test_a_test_module_calling_the_driver_core_does_not_count(self):
        # Two torture workers race inside klist, through the driver core.
        lines = kcsan_report(['klist_put', 'klist_remove', 'bus_remove_driver',
                              'apt_worker_fn [async_probe_torture]', 'kthread'])
        lines[1] = '[  5.0] BUG: KCSAN: data-race in klist_put / klist_put\n'
        lines.insert(2, '[  5.0] write to 0xffff of 8 bytes by task 149 on cpu 0:\n')
        summary, text = self.run_filter(lines)
        self.assertIn('0 in the project', summary)
        self.assertNotIn('BUG: KCSAN', text)

    def test_a_test_module_that_raced_itself_counts(self):
        lines = kcsan_report(['apt_check [async_probe_torture]', 'apt_worker_fn', 'kthread'])
        lines[1] = '[  5.0] BUG: KCSAN: data-race in apt_check / apt_notify\n'
        lines.insert(2, '[  5.0] read to 0xffff of 8 bytes by task 149 on cpu 0:\n')
        summary, _ = self.run_filter(lines)
        self.assertIn('1 in the project', summary)

    def test_framework_frames_under_a_test_caller_count(self):
        lines = kcsan_report(['klist_put', 'driver_attach_async', 'ap_probe_fn',
                              'async_run_entry_fn', 'apt_worker_fn [async_probe_torture]'])
        lines[1] = '[  5.0] BUG: KCSAN: data-race in klist_put / klist_put\n'
        lines.insert(2, '[  5.0] write to 0xffff of 8 bytes by task 149 on cpu 0:\n')
        summary, _ = self.run_filter(lines)
        self.assertIn('1 in the project', summary)


class BenchBound(unittest.TestCase):
    def test_sleeping_probes_use_the_critical_path(self):
        r = {'critical_us': '28000', 'sum_us': '900000', 'cpus': '2'}
        self.assertEqual(bench_table.sim_bound(r), 28000)

    def test_cpu_bound_probes_use_the_work_over_the_cpus(self):
        r = {'critical_us': '28000', 'sum_us': '900000', 'cpus': '2', 'cpu_bound': '1'}
        self.assertEqual(bench_table.sim_bound(r), 450000)

    def test_cpu_bound_long_chain_keeps_the_critical_path(self):
        r = {'critical_us': '500000', 'sum_us': '600000', 'cpus': '2', 'cpu_bound': '1'}
        self.assertEqual(bench_table.sim_bound(r), 500000)

    def test_missing_cpu_count_is_one(self):
        r = {'critical_us': '1', 'sum_us': '10', 'cpu_bound': '1'}
        self.assertEqual(bench_table.sim_bound(r), 10)


class BenchPlanCounts(unittest.TestCase):
    LINE = ('workload=hidden256 mode=on run=0 core_attempts=300 core_defers=44 '
            'plan_matched=256 plan_waits=5120 plan_avoided=205 plan_deferred=44 '
            'wall_us=52000')

    def test_a_replayed_plan_shows_matched_and_avoided(self):
        c = bench_table.plan_counts(bench_table.fields(self.LINE))
        self.assertEqual(c, {'matched': 256, 'waits': 5120, 'avoided': 205,
                             'deferred': 44})
        self.assertEqual(bench_table.plan_cell(c), ' m=256 v=205')

    def test_no_plan_no_note(self):
        c = bench_table.plan_counts(bench_table.fields('workload=a plan_matched=0'))
        self.assertEqual(bench_table.plan_cell(c), '')
        self.assertEqual(bench_table.plan_counts({}), {})

    def test_a_garbled_count_is_left_out(self):
        c = bench_table.plan_counts({'plan_matched': '12', 'plan_avoided': '-3',
                                     'plan_waits': 'x'})
        self.assertEqual(c, {'matched': 12})
        self.assertEqual(bench_table.plan_cell(c), ' m=12 v=?')


class BenchRounds(unittest.TestCase):
    """ROUNDS=n: a ratio per round, then their median."""

    def test_ratio_is_taken_round_by_round(self):
        r = bench_table.round_ratios({'a': [100, 200], 'b': [100, 100]}, ('a', 'b'))
        self.assertEqual(r, [1.0, 2.0])
        self.assertEqual(bench_table.ratio_cell(r), '1.50 (1.00-2.00)')

    def test_a_round_without_a_result_is_left_out(self):
        r = bench_table.round_ratios({'a': [100, None], 'b': [50, 100]}, ('a', 'b'))
        self.assertEqual(r, [2.0])
        self.assertEqual(bench_table.ratio_cell(r), '2.00')
        self.assertEqual(bench_table.ratio_cell([]), '-')

    def test_sim_reads_every_round(self):
        # Pooled, the medians are 100 and 50 (2.00); round by round the
        # ratios are 2.0 and 1.0, whose median is 1.5.
        boots = {'bench-sim-lean-on': [100, 100, 100],
                 'bench-sim-stock-kernel': [50, 50, 50],
                 'bench-sim-lean-on.r2': [300], 'bench-sim-stock-kernel.r2': [300],
                 'bench-sim-lean-on.r3': [999]}     # a round not asked for
        with tempfile.TemporaryDirectory() as out:
            for d, walls in boots.items():
                os.makedirs(os.path.join(out, d, 'guest'))
                with open(os.path.join(out, d, 'guest', 'bench-sim.txt'), 'w') as f:
                    for i, w in enumerate(walls):
                        f.write(f'workload=z run={i} n=10 wall_us={w} bound=10 '
                                'expected=10 violations=0\n')
            with contextlib.redirect_stdout(io.StringIO()):
                bench_table.sim(out, ['lean-on', 'stock-kernel'], rounds=2)
            with open(os.path.join(out, 'bench-sim.json')) as f:
                w = json.load(f)['workloads'][0]
        self.assertEqual(w['on_over_stock_rounds'], [2.0, 1.0])
        self.assertEqual(w['on_over_stock'], 1.5)
        self.assertEqual(w['runs']['lean-on']['wall_us'], [100, 100, 100, 300])
        self.assertEqual(w['runs']['lean-on']['round_median_us'], [100, 300])


class BenchMachine(unittest.TestCase):
    def machine(self, cmd):
        with tempfile.TemporaryDirectory() as out:
            if cmd is not None:
                os.mkdir(os.path.join(out, 'run'))
                with open(os.path.join(out, 'run', 'qemu.cmd'), 'w') as f:
                    f.write(cmd)
            return bench_table.machine(out, 'run')

    def test_wall_clock_guest(self):
        self.assertEqual(self.machine('qemu-system-x86_64 -M q35 -smp 2 -m 2G'), '-smp 2')

    def test_counted_clock_is_said(self):
        m = self.machine('qemu-system-x86_64 -smp 1 -icount shift=0,sleep=off')
        self.assertTrue(m.startswith('-smp 1, guest time counted in instructions'), m)

    def test_no_command_is_the_default(self):
        self.assertEqual(self.machine(None), '-smp 2')


class LockTable(unittest.TestCase):
    # A claim that spins, then sleeps, on one lock (two begins, one end);
    # a probe end that waits on it, its stack after the trigger's frame;
    # and a waiter on another lock whose end never came.
    TRACE = """# tracer: nop
          insmod-85      [000] .....     2.000000: contention_begin: 0xaa (flags=SPIN|MUTEX)
          insmod-85      [000] .....     2.000010: <stack trace>
 => trace_event_raw_event_contention_begin
 => __mutex_lock.constprop.0
 => async_probe_claim
 => __driver_attach
    kworker/u8:4-41      [001] .....     2.000020: contention_begin: 0xaa (flags=SPIN|MUTEX)
    kworker/u8:4-41      [001] .....     2.000021: <stack trace>
 => __mutex_lock.constprop.0
 => ap_end_fn+0x12/0x80
          insmod-85      [000] .....     2.000030: contention_begin: 0xaa (flags=MUTEX)
          insmod-85      [000] .....     2.000031: <stack trace>
 => __mutex_lock.constprop.0
 => async_probe_claim
          insmod-85      [000] .....     2.000110: contention_end: 0xaa (ret=0)
    kworker/u8:4-41      [001] .....     2.000220: contention_end: 0xaa (ret=0)
    kworker/u8:5-42      [001] .....     2.000300: contention_begin: 0xbb (flags=SPIN)
"""

    def read(self, trace, result='workload=z run=0 n=10 wall_us=5\n'):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, 'guest'))
            with open(os.path.join(d, 'guest', 'lock-trace.txt'), 'w') as f:
                f.write(trace)
            with open(os.path.join(d, 'guest', 'lock-sim.txt'), 'w') as f:
                f.write(result)
            return lock_table.read_run(d)

    def test_lost_events_counted(self):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, 'guest'))
            with open(os.path.join(d, 'guest', 'lock-trace.txt'), 'w') as f:
                f.write(self.TRACE + 'CPU:1 [LOST 42 EVENTS]\n')
            self.assertEqual(lock_table.lost_events(d), 42)
            with open(os.path.join(d, 'guest', 'lock-trace.txt'), 'w') as f:
                f.write(self.TRACE)
            self.assertEqual(lock_table.lost_events(d), 0)
            with open(os.path.join(d, 'guest', 'lock-sim-buffer.txt'), 'w') as f:
                f.write('entries: 10\noverrun: 7\n' * 2)
            self.assertEqual(lock_table.lost_events(d), 14)

    def test_waits_by_call_site_from_the_stack(self):
        sites, devices = self.read(self.TRACE)
        self.assertEqual(devices, 10)
        # One contention each; the wait starts after the stack was taken.
        self.assertEqual(sites['async_probe_claim'][0], 1)
        self.assertAlmostEqual(sites['async_probe_claim'][1], 100.0, places=3)
        self.assertEqual(sites['ap_end_fn'][0], 1)
        self.assertAlmostEqual(sites['ap_end_fn'][1], 199.0, places=3)
        self.assertEqual(set(sites), {'async_probe_claim', 'ap_end_fn'})

    def test_no_result_counts_one_device(self):
        _, devices = self.read(self.TRACE, result='')
        self.assertEqual(devices, 1)


class PerfTable(unittest.TestCase):
    # Two runs of 10,000 devices each: 100 ms of CPU, then 300 ms, of
    # which 20% and 10% an idle CPU's, and a user-space function.
    REPORT = """# Samples: 2K of event 'cpu-clock'
# Event count (approx.): %d
#
# Children      Self  Symbol
# ........  ........  ....................................
#
    50.00%%     0.00%%  [k] async_run_entry_fn
    %s%%    %s%%  [k] pv_native_safe_halt
    10.00%%     5.00%%  [k] ap_probe_fn.constprop.0
     4.00%%     4.00%%  [.] insmod_main
"""

    def read(self, results='workload=z run=0 n=10000 wall_us=5\n'
                           'workload=z run=1 n=10000 wall_us=5\n'):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, 'guest'))
            for r, (total, idle) in enumerate(((100000000, '20.00'), (300000000, '10.00'))):
                with open(os.path.join(d, 'guest', 'perf-report-%d.txt' % r), 'w') as f:
                    f.write(self.REPORT % (total, idle, idle))
            with open(os.path.join(d, 'guest', 'perf-sim.txt'), 'w') as f:
                f.write(results)
            return perf_table.read_run(d)

    def test_cost_per_device_over_all_runs(self):
        funcs, busy, devices, _ = self.read()
        self.assertEqual(devices, 20000)
        # 50% of 100 ms and of 300 ms, over 20,000 devices: 10,000 ns.
        self.assertAlmostEqual(funcs['async_run_entry_fn'][0] / devices, 10000.0)
        # A compiler's clone is the function it was made from.
        self.assertAlmostEqual(funcs['ap_probe_fn'][0] / devices, 2000.0)
        self.assertAlmostEqual(funcs['ap_probe_fn'][1] / devices, 1000.0)
        self.assertNotIn('insmod_main', funcs)

    def test_idle_cpus_not_counted(self):
        _, busy, devices, _ = self.read()
        # 80 of the first run's 100 ms, 270 of the second's 300.
        self.assertAlmostEqual(busy / devices, 17500.0)

    def test_no_result_counts_one_device(self):
        _, _, devices, _ = self.read(results='')
        self.assertEqual(devices, 1)

    def test_report_without_call_chains_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, 'guest'))
            with open(os.path.join(d, 'guest', 'perf-report-0.txt'), 'w') as f:
                f.write("# Event count (approx.): 1000\n"
                        "    11.76%  [k] handle_softirqs\n")
            with self.assertRaises(SystemExit) as e:
                perf_table.read_run(d)
            self.assertIn('call chains', str(e.exception))

    def alone_rows(self, data):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            perf_table.table('alone', 2, data, ['a'] * len(data), 1,
                             perf_table.alone_order(len(data)))
        return [line.split('`')[1] for line in out.getvalue().splitlines()[2:]]

    def test_one_mode_ranks_functions_by_cost(self):
        run = ({'cheap': (0, 10), 'dear': (0, 900), 'mid': (0, 50)}, 0, 1, {})
        self.assertEqual(self.alone_rows([run]), ['dear', 'mid'])

    def test_two_modes_rank_functions_by_difference(self):
        a = ({'dear': (0, 900), 'grows': (0, 10)}, 0, 1, {})
        b = ({'dear': (0, 900), 'grows': (0, 500)}, 0, 1, {})
        self.assertEqual(self.alone_rows([a, b])[0], 'grows')

    def test_wall_is_the_median_of_the_runs(self):
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, 'guest'))
            self.assertIsNone(perf_table.wall_ms(d))
            with open(os.path.join(d, 'guest', 'perf-sim.txt'), 'w') as f:
                f.write('workload=z run=0 n=10 wall_us=9000\n'
                        'workload=z run=1 n=10 wall_us=1000\n'
                        'workload=z run=2 n=10 wall_us=2000\n')
            self.assertEqual(perf_table.wall_ms(d), 2.0)

    IRQS = """           CPU0       CPU1
  0:         44          0   IO-APIC   2-edge      timer
LOC:       %d       %d   Local timer interrupts
RES:        %d          7   Rescheduling interrupts
                    CPU0       CPU1
          TIMER:        %d          1
            RCU:         5          5
"""

    def test_interrupts_grown_over_all_runs(self):
        with tempfile.TemporaryDirectory() as d:
            g = os.path.join(d, 'guest')
            os.mkdir(g)
            for r in (0, 1):
                open(os.path.join(g, 'perf-report-%d.txt' % r), 'w').write(
                    self.REPORT % (100000000, '1.00', '1.00'))
                open(os.path.join(g, 'perf-irq-before-%d.txt' % r), 'w').write(
                    self.IRQS % (100, 100, 3, 10))
                open(os.path.join(g, 'perf-irq-after-%d.txt' % r), 'w').write(
                    self.IRQS % (150, 130, 13, 10))
            irqs = perf_table.read_run(d)[3]
        # Every CPU's column, every run; softirqs apart from interrupts.
        self.assertEqual(irqs['LOC'], 160)
        self.assertEqual(irqs['RES'], 20)
        self.assertEqual(irqs['softirq TIMER'], 0)
        self.assertNotIn('TIMER', irqs)
        self.assertEqual(irqs['0'], 0)


class Result(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print('PASS harness.' + test.id().split('.', 1)[1])

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print('FAIL harness.' + test.id().split('.', 1)[1])

    def addError(self, test, err):
        super().addError(test, err)
        print('FAIL harness.' + test.id().split('.', 1)[1])


if __name__ == '__main__':
    unittest.main(testRunner=unittest.TextTestRunner(resultclass=Result, stream=sys.stderr))
