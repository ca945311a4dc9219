// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for kernel/async.c: cookie order, dependency order over
 * random graphs, the barriers, domains, error paths and a stress case.
 *
 * Every entry records when it started and finished on one global sequence
 * counter, so orderings are checked exactly, not by timing.  Entries that
 * must stay blocked while a test looks wait on a completion with a
 * timeout, so a broken implementation fails the test instead of hanging
 * the boot.
 */
#include <kunit/device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/async.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "async_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define BLOCK_TIMEOUT	(10 * HZ)

static atomic_t seq = ATOMIC_INIT(0);

/* One scheduled call and what it saw. */
struct call {
	async_cookie_t cookie;		/* as returned by the schedule call */
	async_cookie_t seen_cookie;	/* as passed to the function */
	int start, end;			/* on the seq counter, 0 if not run */
	int visible;			/* after its checkpoint, for cookie order */
	bool was_async;
	async_cookie_t current_cookie;
	void *current_data, *other_data;	/* current_async_data() */
	struct task_struct *task;
	struct completion *release;	/* wait for this before returning */
	unsigned long release_timeout;	/* jiffies; 0: BLOCK_TIMEOUT */
	struct async_domain *wait_in;	/* limited_fn: then wait for earlier */
	unsigned long sleep_us;
	unsigned int ndeps;
	int deps[4];			/* indices of earlier calls */
};

static void checkpoint_fn(void *data, async_cookie_t cookie);

static void call_fn(void *data, async_cookie_t cookie)
{
	struct call *c = data;

	c->start = atomic_inc_return(&seq);
	c->seen_cookie = cookie;
	c->was_async = current_is_async();
	c->current_cookie = current_async_cookie();
	c->current_data = current_async_data(call_fn);
	c->other_data = current_async_data(checkpoint_fn);
	c->task = current;
	if (c->sleep_us)
		usleep_range(c->sleep_us, c->sleep_us + 10);
	if (c->release)
		wait_for_completion_timeout(c->release,
					    c->release_timeout ?: BLOCK_TIMEOUT);
	c->end = atomic_inc_return(&seq);
}

/* Do the slow part in any order, the visible part in cookie order. */
static void checkpoint_fn(void *data, async_cookie_t cookie)
{
	struct call *c = data;

	c->start = atomic_inc_return(&seq);
	usleep_range(c->sleep_us, c->sleep_us + 10);
	async_synchronize_cookie(cookie);
	c->visible = atomic_inc_return(&seq);
	c->end = atomic_inc_return(&seq);
}

static struct call *calls_alloc(struct kunit *test, unsigned int n)
{
	struct call *c = kunit_kcalloc(test, n, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	return c;
}

/* Visible parts run in cookie order whatever the slow parts took. */
static void async_test_cookie_order(struct kunit *test)
{
	struct call *c = calls_alloc(test, 16);
	int i;

	for (i = 0; i < 16; i++) {
		c[i].sleep_us = (16 - i) * 500;
		c[i].cookie = async_schedule(checkpoint_fn, &c[i]);
	}
	async_synchronize_full();
	for (i = 0; i < 16; i++) {
		KUNIT_EXPECT_NE(test, c[i].end, 0);
		if (i)
			KUNIT_EXPECT_GT(test, c[i].cookie, c[i - 1].cookie);
		if (i)
			KUNIT_EXPECT_GT(test, c[i].visible, c[i - 1].visible);
	}
}

/* Schedule call i after its deps; every call's own deps index earlier calls. */
static void schedule_graph(struct kunit *test, struct call *c, unsigned int n)
{
	async_cookie_t deps[ARRAY_SIZE(c->deps)];
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < c[i].ndeps; j++)
			deps[j] = c[c[i].deps[j]].cookie;
		KUNIT_ASSERT_EQ(test, async_schedule_after(call_fn, &c[i], deps,
							   c[i].ndeps, &c[i].cookie), 0);
	}
}

static void random_graph(struct call *c, unsigned int n, u64 seed,
			 unsigned int window, unsigned long max_sleep_us)
{
	struct rnd_state rnd;
	unsigned int i, j, lo;

	prandom_seed_state(&rnd, seed);
	for (i = 0; i < n; i++) {
		c[i].ndeps = i ? prandom_u32_state(&rnd) % (ARRAY_SIZE(c->deps) + 1) : 0;
		lo = i > window ? i - window : 0;
		for (j = 0; j < c[i].ndeps; j++)
			c[i].deps[j] = lo + prandom_u32_state(&rnd) % (i - lo);
		c[i].sleep_us = max_sleep_us ? prandom_u32_state(&rnd) % max_sleep_us : 0;
	}
}

/* Every call started after each of its dependencies finished. */
static void expect_graph_order(struct kunit *test, struct call *c, unsigned int n)
{
	unsigned int i, j, bad = 0;

	for (i = 0; i < n; i++) {
		if (!c[i].end) {
			bad++;
			continue;
		}
		for (j = 0; j < c[i].ndeps; j++)
			bad += c[i].start < c[c[i].deps[j]].end;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static void async_test_dependency_order(struct kunit *test)
{
	static const u64 seeds[] = { 1, 42, 2024, 0xdeadbeef };
	struct call *c = calls_alloc(test, 64);
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(seeds); s++) {
		memset(c, 0, 64 * sizeof(*c));
		random_graph(c, 64, seeds[s], 64, 300);
		schedule_graph(test, c, 64);
		async_synchronize_full();
		expect_graph_order(test, c, 64);
	}
}

/* A dependency that has finished already is met at once. */
static void async_test_finished_dependency(struct kunit *test)
{
	struct call *c = calls_alloc(test, 2);
	async_cookie_t dep;

	c[0].cookie = async_schedule(call_fn, &c[0]);
	async_synchronize_full();
	KUNIT_EXPECT_TRUE(test, async_cookie_done(c[0].cookie));
	dep = c[0].cookie;
	KUNIT_ASSERT_EQ(test, async_schedule_after(call_fn, &c[1], &dep, 1,
						   &c[1].cookie), 0);
	KUNIT_EXPECT_EQ(test, async_synchronize_one(c[1].cookie), 0);
	KUNIT_EXPECT_NE(test, c[1].end, 0);
}

/* An entry only waits for what it names, not for everything before it. */
static void async_test_dependency_is_not_a_barrier(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = calls_alloc(test, 3);
	async_cookie_t dep;

	c[0].release = &release;			/* blocked */
	c[0].cookie = async_schedule(call_fn, &c[0]);
	c[1].cookie = async_schedule(call_fn, &c[1]);
	dep = c[1].cookie;
	KUNIT_ASSERT_EQ(test, async_schedule_after(call_fn, &c[2], &dep, 1,
						   &c[2].cookie), 0);
	KUNIT_EXPECT_EQ(test, async_synchronize_one(c[2].cookie), 0);
	KUNIT_EXPECT_NE(test, c[2].end, 0);
	KUNIT_EXPECT_FALSE(test, async_cookie_done(c[0].cookie));
	complete(&release);
	async_synchronize_full();
	KUNIT_EXPECT_GT(test, c[2].start, c[1].end);
}

/* async_synchronize_one() waits for that call and no other. */
static void async_test_synchronize_one(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = calls_alloc(test, 2);

	c[0].release = &release;			/* earlier, blocked */
	c[0].cookie = async_schedule(call_fn, &c[0]);
	c[1].sleep_us = 2000;
	c[1].cookie = async_schedule(call_fn, &c[1]);
	KUNIT_EXPECT_EQ(test, async_synchronize_one(c[1].cookie), 0);
	KUNIT_EXPECT_NE(test, c[1].end, 0);
	KUNIT_EXPECT_TRUE(test, async_cookie_done(c[1].cookie));
	KUNIT_EXPECT_FALSE(test, async_cookie_done(c[0].cookie));
	complete(&release);
	KUNIT_EXPECT_EQ(test, async_synchronize_one(c[0].cookie), 0);
	KUNIT_EXPECT_NE(test, c[0].end, 0);
	/* Finished calls return at once; cookies never handed out are errors. */
	KUNIT_EXPECT_EQ(test, async_synchronize_one(c[0].cookie), 0);
	KUNIT_EXPECT_EQ(test, async_synchronize_one(0), -EINVAL);
	KUNIT_EXPECT_EQ(test, async_synchronize_one(U64_MAX - 1), -EINVAL);
}

/* The cookie barrier waits for the calls before the cookie, no more. */
static void async_test_synchronize_cookie(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = calls_alloc(test, 3);

	c[0].sleep_us = 3000;
	c[0].cookie = async_schedule(call_fn, &c[0]);
	c[1].cookie = async_schedule(call_fn, &c[1]);
	c[2].release = &release;			/* later, blocked */
	c[2].cookie = async_schedule(call_fn, &c[2]);
	async_synchronize_cookie(c[2].cookie);
	KUNIT_EXPECT_NE(test, c[0].end, 0);
	KUNIT_EXPECT_NE(test, c[1].end, 0);
	KUNIT_EXPECT_FALSE(test, async_cookie_done(c[2].cookie));
	complete(&release);
	async_synchronize_full();
}

static ASYNC_DOMAIN(test_domain);
static ASYNC_DOMAIN_EXCLUSIVE(test_exclusive);

/* Full barriers see registered domains, not exclusive ones. */
static void async_test_domains(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = calls_alloc(test, 3);

	c[0].release = &release;
	c[0].cookie = async_schedule_domain(call_fn, &c[0], &test_exclusive);
	c[1].sleep_us = 2000;
	c[1].cookie = async_schedule_domain(call_fn, &c[1], &test_domain);
	async_synchronize_full();
	KUNIT_EXPECT_NE(test, c[1].end, 0);
	KUNIT_EXPECT_FALSE(test, async_cookie_done(c[0].cookie));

	/* A domain barrier waits for its own domain only. */
	c[2].cookie = async_schedule_domain(call_fn, &c[2], &test_domain);
	async_synchronize_full_domain(&test_domain);
	KUNIT_EXPECT_NE(test, c[2].end, 0);
	KUNIT_EXPECT_FALSE(test, async_cookie_done(c[0].cookie));

	complete(&release);
	async_synchronize_full_domain(&test_exclusive);
	KUNIT_EXPECT_NE(test, c[0].end, 0);
}

/* Dependencies cross domains; parked calls count for barriers. */
static void async_test_full_sees_parked(struct kunit *test)
{
	struct call *c = calls_alloc(test, 2);
	async_cookie_t dep;

	c[0].sleep_us = 20000;
	c[0].cookie = async_schedule_domain(call_fn, &c[0], &test_exclusive);
	dep = c[0].cookie;
	KUNIT_ASSERT_EQ(test, async_schedule_after_domain(call_fn, &c[1], &test_domain,
							  &dep, 1, &c[1].cookie), 0);
	async_synchronize_full();
	KUNIT_EXPECT_NE(test, c[1].end, 0);
	KUNIT_EXPECT_GT(test, c[1].start, c[0].end);
	async_synchronize_full_domain(&test_exclusive);
}

static ASYNC_DOMAIN_EXCLUSIVE(test_limited);
static atomic_t running, max_running;

static void limited_fn(void *data, async_cookie_t cookie)
{
	struct call *c = data;
	int now = atomic_inc_return(&running), max;

	do {
		max = atomic_read(&max_running);
	} while (now > max && atomic_cmpxchg(&max_running, max, now) != max);
	call_fn(data, cookie);
	if (c->wait_in) {
		async_synchronize_cookie_domain(cookie, c->wait_in);
		WRITE_ONCE(c->visible, atomic_inc_return(&seq));
	}
	atomic_dec(&running);
}

/* No more calls of a limited domain run at once than its limit. */
static void async_test_domain_limit(struct kunit *test)
{
	struct call *c = calls_alloc(test, 12);
	int i;

	atomic_set(&running, 0);
	atomic_set(&max_running, 0);
	async_domain_set_max_active(&test_limited, 2);
	for (i = 0; i < 12; i++) {
		c[i].sleep_us = 1000;
		c[i].cookie = async_schedule_domain(limited_fn, &c[i], &test_limited);
	}
	async_synchronize_full_domain(&test_limited);
	async_domain_set_max_active(&test_limited, 0);
	for (i = 0; i < 12; i++)
		KUNIT_EXPECT_NE(test, c[i].end, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&max_running), 2);
}

/*
 * With its one slot held, a limited domain starts the calls that became
 * ready meanwhile by priority, highest first, and in the order they
 * became ready among equals.
 */
static void async_test_domain_limit_priority(struct kunit *test)
{
	static const int prio[] = { 0, 5, 9, 5, -3, 9 };
	static const int want[] = { 2, 5, 1, 3, 0, 4 };	/* start order */
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = calls_alloc(test, ARRAY_SIZE(prio) + 1);
	struct call *blocker = &c[ARRAY_SIZE(prio)];
	int i, ret;

	async_domain_set_max_active(&test_limited, 1);
	blocker->release = &release;
	blocker->cookie = async_schedule_domain(call_fn, blocker, &test_limited);
	for (i = 0; i < ARRAY_SIZE(prio); i++) {
		ret = async_schedule_node_domain_after_prio(call_fn, &c[i], NUMA_NO_NODE,
							    &test_limited, prio[i], NULL, 0,
							    &c[i].cookie, GFP_KERNEL);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	complete(&release);
	async_synchronize_full_domain(&test_limited);
	async_domain_set_max_active(&test_limited, 0);
	for (i = 1; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_LT_MSG(test, c[want[i - 1]].end, c[want[i]].start,
				    "call %d (priority %d) before call %d (priority %d)",
				    want[i - 1], prio[want[i - 1]], want[i], prio[want[i]]);
}

/*
 * With a limit of one, a later call that holds the slot and waits for an
 * earlier call which becomes ready only then must lend its slot out: the
 * wait returns (c[2].visible), after the earlier call ran.  Without the
 * loan it would not return; the limit is lifted after a bounded wait so
 * that a failure does not hang the boot.
 */
static void async_test_domain_limit_lends_slot(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = calls_alloc(test, 3);
	unsigned long timeout = jiffies + BLOCK_TIMEOUT;
	async_cookie_t dep;
	int waited;

	async_domain_set_max_active(&test_limited, 1);
	c[0].release = &release;			/* unlimited domain */
	c[0].cookie = async_schedule_domain(call_fn, &c[0], &test_exclusive);
	dep = c[0].cookie;
	KUNIT_ASSERT_EQ(test, async_schedule_after_domain(limited_fn, &c[1], &test_limited,
							  &dep, 1, &c[1].cookie), 0);
	c[2].wait_in = &test_limited;			/* then waits for c[1] */
	c[2].cookie = async_schedule_domain(limited_fn, &c[2], &test_limited);
	/* c[2] takes the only slot and waits for c[1], not ready yet. */
	while (!READ_ONCE(c[2].end) && time_before(jiffies, timeout))
		usleep_range(1000, 2000);
	KUNIT_EXPECT_NE(test, READ_ONCE(c[2].end), 0);
	msleep(20);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c[1].start), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c[2].visible), 0);
	/* c[1] becomes ready while c[2] waits in the slot. */
	complete(&release);
	timeout = jiffies + BLOCK_TIMEOUT;
	while (!READ_ONCE(c[2].visible) && time_before(jiffies, timeout))
		usleep_range(1000, 2000);
	waited = READ_ONCE(c[2].visible);
	async_domain_set_max_active(&test_limited, 0);
	async_synchronize_full_domain(&test_limited);
	async_synchronize_full_domain(&test_exclusive);
	KUNIT_EXPECT_NE_MSG(test, waited, 0, "the waiting call did not lend its slot");
	KUNIT_EXPECT_GT(test, c[1].start, c[0].end);
	KUNIT_EXPECT_LT(test, c[1].end, c[2].visible);
}

static void async_test_current_is_async(struct kunit *test)
{
	struct call *c = calls_alloc(test, 1);

	KUNIT_EXPECT_FALSE(test, current_is_async());
	KUNIT_EXPECT_EQ(test, current_async_cookie(), 0);
	KUNIT_EXPECT_NULL(test, current_async_data(call_fn));
	c[0].cookie = async_schedule(call_fn, &c[0]);
	async_synchronize_full();
	KUNIT_EXPECT_TRUE(test, c[0].was_async);
	KUNIT_EXPECT_EQ(test, c[0].current_cookie, c[0].cookie);
	KUNIT_EXPECT_EQ(test, c[0].seen_cookie, c[0].cookie);
	KUNIT_EXPECT_PTR_EQ(test, c[0].current_data, (void *)&c[0]);
	KUNIT_EXPECT_NULL(test, c[0].other_data);
}

/* A work item of another workqueue that frees itself, then asks. */
struct self_freeing_work {
	struct work_struct work;
	bool *was_async;
	struct completion *done;
};

static void self_freeing_fn(struct work_struct *work)
{
	struct self_freeing_work *w = container_of(work, struct self_freeing_work, work);
	struct completion *done = w->done;
	bool *was_async = w->was_async;

	kfree(w);
	*was_async = current_is_async();
	complete(done);
}

/*
 * current_is_async() from a work function that freed its own work item:
 * false, and no read of the freed item (KASAN reports one).
 */
static void async_test_current_is_async_freed_work(struct kunit *test)
{
	struct self_freeing_work *w = kzalloc(sizeof(*w), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(done);
	bool was_async = true;

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->was_async = &was_async;
	w->done = &done;
	INIT_WORK(&w->work, self_freeing_fn);
	schedule_work(&w->work);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&done, BLOCK_TIMEOUT), 0);
	KUNIT_EXPECT_FALSE(test, was_async);
}

static void fork_fn(void *data, async_cookie_t cookie)
{
	atomic_inc(data);
}

/* A fork-join in a private exclusive domain, from inside an async call. */
static void fork_join_fn(void *data, async_cookie_t cookie)
{
	ASYNC_DOMAIN_EXCLUSIVE(private);
	atomic_t *forked = data;
	int i;

	for (i = 0; i < 4; i++)
		async_schedule_domain(fork_fn, forked, &private);
	async_synchronize_full_domain(&private);
	atomic_add(100, forked);
}

/*
 * What regulator_bulk_enable() does from a probe: lockdep stays on (a wait
 * for another domain's calls cannot be a wait for the caller itself), and
 * the join saw every forked call.
 */
static void async_test_fork_join_in_entry(struct kunit *test)
{
	atomic_t forked = ATOMIC_INIT(0);

	if (!IS_ENABLED(CONFIG_LOCKDEP) || !debug_locks)
		kunit_skip(test, "lockdep is off");
	async_schedule(fork_join_fn, &forked);
	async_synchronize_full();
	KUNIT_EXPECT_EQ(test, atomic_read(&forked), 104);
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

/*
 * The worker that finishes a call goes on with a call its completion made
 * ready, the one more calls wait for first, and each call sees its own
 * cookie as the current one.
 */
static void async_test_chain_stays_on_worker(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = calls_alloc(test, 5);
	unsigned int i;

	c[0].release = &release;	/* held until the rest is scheduled */
	c[1].ndeps = 1;			/* after 0; nothing waits for it */
	c[2].ndeps = 1;			/* after 0; 3 waits for it */
	c[3].ndeps = 1;
	c[3].deps[0] = 2;
	c[4].ndeps = 1;
	c[4].deps[0] = 3;
	schedule_graph(test, c, 5);
	complete(&release);
	async_synchronize_full();
	expect_graph_order(test, c, 5);
	KUNIT_EXPECT_PTR_EQ(test, c[2].task, c[0].task);
	KUNIT_EXPECT_PTR_EQ(test, c[3].task, c[0].task);
	KUNIT_EXPECT_PTR_EQ(test, c[4].task, c[0].task);
	for (i = 0; i < 5; i++) {
		KUNIT_EXPECT_TRUE(test, c[i].was_async);
		KUNIT_EXPECT_EQ(test, c[i].current_cookie, c[i].cookie);
		/* The call the worker runs now, not the one it was queued for. */
		KUNIT_EXPECT_PTR_EQ(test, c[i].current_data, (void *)&c[i]);
	}
}

static void async_test_bad_arguments(struct kunit *test)
{
	async_cookie_t *deps = kunit_kcalloc(test, ASYNC_MAX_DEPS + 1, sizeof(*deps),
					     GFP_KERNEL);
	struct call *c = calls_alloc(test, 1);
	async_cookie_t cookie = 0;

	KUNIT_ASSERT_NOT_NULL(test, deps);

	KUNIT_EXPECT_EQ(test, async_schedule_after(NULL, c, NULL, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, async_schedule_after(call_fn, c, NULL, 1, NULL), -EINVAL);
	deps[0] = 0;
	KUNIT_EXPECT_EQ(test, async_schedule_after(call_fn, c, deps, 1, NULL), -EINVAL);
	deps[0] = U64_MAX - 1;				/* never handed out */
	KUNIT_EXPECT_EQ(test, async_schedule_after(call_fn, c, deps, 1, &cookie), -EINVAL);
	KUNIT_EXPECT_EQ(test, cookie, 0);
	KUNIT_EXPECT_EQ(test, async_schedule_after(call_fn, c, deps,
						   ASYNC_MAX_DEPS + 1, NULL), -E2BIG);
	async_synchronize_full();
	KUNIT_EXPECT_EQ(test, c->start, 0);		/* nothing ran */
}

static atomic_t counted;

static void count_fn(void *data, async_cookie_t cookie)
{
	atomic_inc(&counted);
}

static struct async_entry *no_entry(unsigned int ndeps, gfp_t gfp)
{
	return NULL;
}

/* Old calls run synchronously without memory; the new ones fail. */
static void async_test_allocation_failure(struct kunit *test)
{
	struct call *c = calls_alloc(test, 2);
	struct device *dev;
	int ret;

	dev = kunit_device_register(test, "async-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	atomic_set(&counted, 0);
	kunit_activate_static_stub(test, async_alloc_entry, no_entry);

	c[0].cookie = async_schedule(call_fn, &c[0]);
	KUNIT_EXPECT_NE(test, c[0].end, 0);		/* ran in the caller */
	KUNIT_EXPECT_PTR_EQ(test, c[0].task, current);
	KUNIT_EXPECT_FALSE(test, c[0].was_async);
	KUNIT_EXPECT_TRUE(test, async_cookie_done(c[0].cookie));

	ret = async_schedule_after(call_fn, &c[1], NULL, 0, &c[1].cookie);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);

	KUNIT_EXPECT_FALSE(test, async_schedule_dev_nocall(count_fn, dev));

	kunit_deactivate_static_stub(test, async_alloc_entry);
	async_synchronize_full();
	KUNIT_EXPECT_EQ(test, c[1].start, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&counted), 0);
}

/*
 * 32768 calls parked behind one blocked call hold no worker and do not
 * count as pending work: an unrelated async_schedule() call still runs
 * asynchronously, in a worker, and finishes while they wait.  (Were they
 * counted, the old API would run it synchronously in the caller; were
 * they holding workers, it would wait behind them.)
 */
#define MANY	32768

static void async_test_parked_hold_no_worker(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	struct call *c = kvcalloc(MANY + 2, sizeof(*c), GFP_KERNEL);
	async_cookie_t dep;
	unsigned int i, bad = 0;
	ktime_t t0;

	KUNIT_ASSERT_NOT_NULL(test, c);
	/* Scheduling them takes seconds on a debug kernel. */
	c[0].release = &release;
	c[0].release_timeout = 300 * HZ;
	c[0].cookie = async_schedule(call_fn, &c[0]);
	dep = c[0].cookie;
	t0 = ktime_get();
	for (i = 1; i <= MANY; i++)
		bad += async_schedule_after(call_fn, &c[i], &dep, 1, &c[i].cookie) != 0;
	kunit_info(test, "%u calls parked in %lld ms\n", MANY,
		   ktime_ms_delta(ktime_get(), t0));
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, c[1].start, 0);

	c[MANY + 1].cookie = async_schedule(call_fn, &c[MANY + 1]);
	async_synchronize_one(c[MANY + 1].cookie);
	KUNIT_EXPECT_NE(test, c[MANY + 1].end, 0);
	KUNIT_EXPECT_TRUE(test, c[MANY + 1].was_async);
	KUNIT_EXPECT_PTR_NE(test, c[MANY + 1].task, current);
	KUNIT_EXPECT_EQ(test, c[0].end, 0);
	KUNIT_EXPECT_EQ(test, c[1].start, 0);

	complete(&release);
	async_synchronize_full();
	for (i = 1; i <= MANY; i++)
		bad += !c[i].end || c[i].start < c[0].end;
	KUNIT_EXPECT_EQ(test, bad, 0);
	kvfree(c);
}

/*
 * Every pending call stays findable by its cookie while the cookie hash
 * doubles several times and moves its entries over (a call lost from the
 * hash would read as finished), and all run.
 */
#define HASHED	3000

static void async_test_hash_growth_keeps_calls(struct kunit *test)
{
	struct call *c = kvcalloc(HASHED, sizeof(*c), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	int i, lost = 0, bad = 0;
	async_cookie_t dep;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c[0].release = &release;
	c[0].cookie = async_schedule_domain(call_fn, &c[0], &test_exclusive);
	dep = c[0].cookie;
	for (i = 1; i < HASHED; i++)
		if (async_schedule_after_domain(call_fn, &c[i], &test_exclusive,
						&dep, 1, &c[i].cookie))
			bad++;
	for (i = 0; i < HASHED; i++)
		lost += async_cookie_done(c[i].cookie);
	complete(&release);
	async_synchronize_full_domain(&test_exclusive);
	for (i = 1; i < HASHED; i++)
		bad += !c[i].end || c[i].start < c[0].end;
	KUNIT_EXPECT_EQ(test, lost, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);
	kvfree(c);
}

/* 10,000 calls with random dependencies finish, in order, without a stall. */
#define STRESS	10000

static void async_test_stress(struct kunit *test)
{
	struct call *c = kvcalloc(STRESS, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	random_graph(c, STRESS, 7, 200, 0);
	schedule_graph(test, c, STRESS);
	async_synchronize_full();
	expect_graph_order(test, c, STRESS);
	kvfree(c);
}

static struct kunit_case async_test_cases[] = {
	KUNIT_CASE(async_test_cookie_order),
	KUNIT_CASE(async_test_dependency_order),
	KUNIT_CASE(async_test_finished_dependency),
	KUNIT_CASE(async_test_dependency_is_not_a_barrier),
	KUNIT_CASE(async_test_synchronize_one),
	KUNIT_CASE(async_test_synchronize_cookie),
	KUNIT_CASE(async_test_domains),
	KUNIT_CASE(async_test_full_sees_parked),
	KUNIT_CASE(async_test_domain_limit),
	KUNIT_CASE(async_test_domain_limit_lends_slot),
	KUNIT_CASE(async_test_domain_limit_priority),
	KUNIT_CASE(async_test_current_is_async),
	KUNIT_CASE(async_test_current_is_async_freed_work),
	KUNIT_CASE(async_test_fork_join_in_entry),
	KUNIT_CASE(async_test_chain_stays_on_worker),
	KUNIT_CASE(async_test_bad_arguments),
	KUNIT_CASE(async_test_allocation_failure),
	KUNIT_CASE_SLOW(async_test_parked_hold_no_worker),
	KUNIT_CASE(async_test_hash_growth_keeps_calls),
	KUNIT_CASE_SLOW(async_test_stress),
	{}
};

static struct kunit_suite async_test_suite = {
	.name = "async",
	.test_cases = async_test_cases,
};

kunit_test_suite(async_test_suite);

MODULE_DESCRIPTION("KUnit tests for asynchronous function calls");
MODULE_LICENSE("GPL");
