// SPDX-License-Identifier: GPL-2.0-only
/*
 * async_bench - what kernel/async.c costs
 *
 * Built out of tree against every kernel the benchmark boots, the project's
 * and stock 6.12, so that the plain-cookie figures of both come from the
 * same code in the same run.  The dependency figures exist only where the
 * dependency API does (include/linux/async.h defines ASYNC_MAX_DEPS).
 *
 * Each case runs "reps" times; every run prints one line
 *   async_bench: case=NAME run=I n=N total_us=T ns_per_call=C
 * which scripts/bench-async.sh turns into a table.
 *
 *   plain       N empty calls scheduled, then async_synchronize_full()
 *   roundtrip   one empty call scheduled and waited for, N times
 *   wide        N calls that each depend on one root call
 *   deep        a chain of N calls, each depending on the one before
 *   pending     P calls parked behind one blocked call: scheduling, then
 *               draining them once it is released
 */
#include <linux/async.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

#ifdef ASYNC_MAX_DEPS
#define BENCH_DEPS	1
#else
#define BENCH_DEPS	0
#endif

static unsigned int n = 10000;
module_param(n, uint, 0444);
MODULE_PARM_DESC(n, "calls per case (default 10000)");

static unsigned int pending = 100000;
module_param(pending, uint, 0444);
MODULE_PARM_DESC(pending, "parked calls of the pending case (default 100000)");

static unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "runs of each case (default 5)");

static void empty_fn(void *data, async_cookie_t cookie)
{
}

static void report(const char *name, unsigned int run, unsigned int calls,
		   ktime_t start)
{
	u64 ns = ktime_to_ns(ktime_sub(ktime_get(), start));

	pr_info("async_bench: case=%s run=%u n=%u total_us=%llu ns_per_call=%llu\n",
		name, run, calls, div_u64(ns, 1000), div_u64(ns, calls ?: 1));
}

static void bench_plain(unsigned int run)
{
	ktime_t start = ktime_get();
	unsigned int i;

	for (i = 0; i < n; i++)
		async_schedule(empty_fn, NULL);
	async_synchronize_full();
	report("plain", run, n, start);
}

static void bench_roundtrip(unsigned int run)
{
	ktime_t start = ktime_get();
	async_cookie_t c;
	unsigned int i;

	for (i = 0; i < n; i++) {
		c = async_schedule(empty_fn, NULL);
		async_synchronize_cookie(c + 1);
	}
	report("roundtrip", run, n, start);
}

#if BENCH_DEPS
static DECLARE_COMPLETION(root_release);

static void root_fn(void *data, async_cookie_t cookie)
{
	wait_for_completion_timeout(&root_release, 60 * HZ);
}

/* A root call that runs once released, and its cookie. */
static async_cookie_t blocked_root(void)
{
	reinit_completion(&root_release);
	return async_schedule(root_fn, NULL);
}

static void bench_wide(unsigned int run)
{
	async_cookie_t root = blocked_root();
	unsigned int i, failed = 0;
	ktime_t start;

	for (i = 0; i < n; i++)
		failed += !!async_schedule_after(empty_fn, NULL, &root, 1, NULL);
	start = ktime_get();
	complete(&root_release);
	async_synchronize_full();
	report(failed ? "wide-FAILED" : "wide", run, n, start);
}

static void bench_deep(unsigned int run)
{
	async_cookie_t prev = blocked_root();
	unsigned int i, failed = 0;
	ktime_t start;

	for (i = 0; i < n; i++)
		failed += !!async_schedule_after(empty_fn, NULL, &prev, 1, &prev);
	start = ktime_get();
	complete(&root_release);
	async_synchronize_full();
	report(failed ? "deep-FAILED" : "deep", run, n, start);
}

static void bench_pending(unsigned int run)
{
	async_cookie_t root = blocked_root();
	unsigned int i, failed = 0;
	ktime_t start = ktime_get();

	for (i = 0; i < pending; i++)
		failed += !!async_schedule_after(empty_fn, NULL, &root, 1, NULL);
	report(failed ? "pending-schedule-FAILED" : "pending-schedule", run,
	       pending, start);
	start = ktime_get();
	complete(&root_release);
	async_synchronize_full();
	report("pending-drain", run, pending, start);
}
#endif

static int __init async_bench_init(void)
{
	unsigned int r;

	pr_info("async_bench: start n=%u pending=%u reps=%u deps=%d\n", n,
		pending, reps, BENCH_DEPS);
	for (r = 0; r < reps; r++) {
		bench_plain(r);
		bench_roundtrip(r);
#if BENCH_DEPS
		bench_wide(r);
		bench_deep(r);
		bench_pending(r);
#endif
	}
	pr_info("async_bench: done\n");
	return 0;
}
module_init(async_bench_init);

static void __exit async_bench_exit(void)
{
}
module_exit(async_bench_exit);

MODULE_DESCRIPTION("Benchmark of asynchronous function calls");
MODULE_LICENSE("GPL");
