// SPDX-License-Identifier: GPL-2.0-only
/*
 * async.c: asynchronous function calls, ordered by cookies and by
 * explicit dependencies
 *
 * (C) Copyright 2009 Intel Corporation
 * Author: Arjan van de Ven <arjan@linux.intel.com>
 * Dependencies, domain limits and targeted wake-ups: the async_probe
 * authors, 2026.
 *
 * Why: boot spends much of its time waiting for hardware.  Work that does
 * not depend on other work can overlap, as long as what the outside world
 * sees (device names, registration order) still happens in order.
 *
 * The model.  Every scheduled call is an *entry* with a *cookie*, a number
 * that grows by one with each call.  Cookies give two kinds of order:
 *
 *  - Checkpoints.  async_synchronize_cookie(c) returns once every entry of
 *    the domain with a cookie below c has finished.  An entry that is
 *    about to do something globally visible waits for its own cookie, so
 *    the visible parts happen in cookie order while the slow parts overlap.
 *    async_synchronize_full() waits for all of them.
 *
 *  - Dependencies.  async_schedule_after() names the cookies of earlier
 *    entries that must finish before the new one may start, and nothing
 *    else: "run B after A and C".  A dependency can only name a cookie
 *    that was handed out already, so the graph is acyclic by
 *    construction.  A cookie whose entry has finished is a dependency that
 *    is met; a cookie never handed out is an error.  async_synchronize_one()
 *    waits for exactly one entry.
 *
 * What callers may rely on:
 *
 *  - An entry whose dependencies have not all finished is *parked*: it is
 *    on its domain's pending list (so barriers wait for it) but holds no
 *    worker and is not on the workqueue.  It is queued by the completion
 *    of its last dependency.  No worker ever blocks on behalf of the
 *    dependency mechanism.
 *
 *  - The worker that finished an entry runs one of the entries its
 *    completion made ready itself, once the completion is over (waiters
 *    woken, the others queued): the one most entries wait for, of those
 *    that may run on its NUMA node.  So a chain of dependent calls goes on
 *    without a wake-up and without waiting behind calls that were queued
 *    before it became ready.  current_is_async() and
 *    current_async_cookie() tell the entry that runs now.
 *
 *  - The dependency calls never run the function in the caller: if the
 *    entry cannot be set up they return an error.  The old calls keep
 *    their documented behaviour: when an entry cannot be allocated, or too
 *    much work is pending, the function runs synchronously before
 *    async_schedule*() returns (async_schedule_dev_nocall() returns false
 *    instead).
 *
 *  - A domain may limit how many of its entries run at once
 *    (async_domain_set_max_active()).  Entries ready beyond the limit wait
 *    on the domain's throttled list, again without a worker, and run by
 *    priority (async_schedule_node_domain_after_prio()), highest first,
 *    and among equals in the order they became ready.  An entry that waits for earlier
 *    entries lends its slot out for the time of the wait, so a limited
 *    domain cannot fill up with entries all waiting for one that is
 *    held back.
 *
 *  - A completion wakes only the waiters it satisfies: the waiters of
 *    that entry, and the barrier waiters of its domain whose checkpoint
 *    is now below the domain's earliest pending cookie.  Waiters are kept
 *    sorted by checkpoint, so each wake-up costs O(woken).  Scheduling
 *    and completion cost O(1) amortized plus O(dependencies): pending
 *    lists are in cookie order by construction, and pending cookies are
 *    looked up in a chained hash table that doubles when it fills up.
 *    Its entries move to the doubled table a few chains per call, so
 *    that no call holds async_lock (with interrupts off) for a rehash.
 *
 * Locking:
 *
 *   async_lock  (spinlock, IRQ-safe; the innermost lock)
 *     protects  next_cookie, entry_count, parked_count, the cookie hash,
 *               every domain's lists and counters, async_global_pending,
 *               async_global_waiters, and in every entry the list heads,
 *               ndeps_pending and active.
 *
 * An entry's cookie, func, data, domain and node are set before it is
 * published under async_lock and never change.  The workqueue is queued
 * and waiters are woken after async_lock is dropped.
 *
 * Waits and lockdep: every wait acquires and releases async_lockdep_map,
 * which running entries hold as a recursive reader, the way workqueue
 * flushes do.  So "a task holding lock L waits for async work that takes
 * L" is reported.  From inside an entry, only a wait that may include
 * that entry itself is reported, as recursive locking: a wait for later
 * entries of its own domain (or of every registered domain, if its own
 * is registered), or for one entry that depends on it, directly or not.
 * Waiting for *earlier* entries (libata waits for the ports probed before
 * its own) and fork-joins in another domain (regulator_bulk_enable() runs
 * one in a private exclusive domain, from probe paths that may be async
 * entries) cannot wait for the entry itself and are not reported.
 */

/*
 * The initcall_debug lines below are KERN_DEBUG, like init/main.c's, and
 * are printed whenever their tracepoint probes are registered.
 */
#define DEBUG

#include <linux/async.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/export.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "async_internal.h"
#include "workqueue_internal.h"

#define CREATE_TRACE_POINTS
#include <trace/events/async.h>

/* Beyond this many pending entries the old calls run synchronously. */
#define MAX_WORK		32768
#define ASYNC_COOKIE_MAX	ULLONG_MAX	/* "after everything" */

/**
 * struct async_dep - one dependency edge
 * @node: in the dependency's @dependents list (async_lock)
 * @entry: the entry that waits for the dependency
 * @dep: the dependency while it is pending, then %NULL (async_lock)
 */
struct async_dep {
	struct list_head node;
	struct async_entry *entry;
	struct async_entry *dep;
};

/**
 * struct async_entry - one scheduled call
 * @hash: in the cookie hash (async_lock)
 * @domain_list: in @domain->pending, in cookie order (async_lock)
 * @global_list: in async_global_pending if @domain is registered, else
 *	empty (async_lock)
 * @dependents: async_dep.node of the entries waiting for this one
 *	(async_lock)
 * @waiters: async_waiter.node of async_synchronize_one() callers
 *	(async_lock)
 * @ready: on @domain->throttled, or on a local list between becoming
 *	ready and being queued (async_lock, then the task that queues it)
 * @work: runs the entry on async_wq
 * @cookie: the entry's cookie
 * @func: the function to run
 * @data: its argument
 * @domain: the domain the entry is accounted in
 * @node: NUMA node to run on, or NUMA_NO_NODE
 * @ndeps_pending: dependencies that have not finished yet (async_lock)
 * @ndependents: entries that named this one as a dependency (async_lock)
 * @active: counted in @domain->active (async_lock)
 * @prio: its place among the throttled entries of @domain: higher first,
 *	in the order they became ready among equals
 * @running: in the entry whose work item a worker runs, the entry that
 *	worker runs now: the entry itself or one handed on to it (read and
 *	written by that worker only)
 * @ndeps: number of @deps
 * @deps: the edges to this entry's dependencies
 */
struct async_entry {
	struct hlist_node	hash;
	struct list_head	domain_list;
	struct list_head	global_list;
	struct list_head	dependents;
	struct list_head	waiters;
	struct list_head	ready;
	struct work_struct	work;
	async_cookie_t		cookie;
	async_func_t		func;
	void			*data;
	struct async_domain	*domain;
	int			node;
	unsigned int		ndeps_pending;
	unsigned int		ndependents;
	bool			active;
	int			prio;
	struct async_entry	*running;
	unsigned int		ndeps;
	struct async_dep	deps[] __counted_by(ndeps);
};

/**
 * struct async_waiter - a task waiting in a barrier, on its stack
 * @node: in a waiters list (async_lock), then on a local wake list
 * @cookie: for barriers, the checkpoint: done once the earliest pending
 *	cookie is at or past it
 * @done: completed by the task that satisfies the wait
 */
struct async_waiter {
	struct list_head node;
	async_cookie_t cookie;
	struct completion done;
};

static DEFINE_SPINLOCK(async_lock);
static async_cookie_t next_cookie = 1;			/* async_lock */
static unsigned int entry_count;			/* async_lock */
/* Entries waiting for dependencies: not counted against MAX_WORK. */
static unsigned int parked_count;			/* async_lock */
/*
 * Pending entries by cookie: 2^async_hash_bits chains (async_lock).
 * After a doubling, async_hash_old holds the entries not moved yet: its
 * chains from async_hash_moved on.
 */
#define ASYNC_HASH_MIN_BITS	8
#define ASYNC_HASH_MOVE		4	/* chains moved per call */
static struct hlist_head async_hash_min[1 << ASYNC_HASH_MIN_BITS];
static struct hlist_head *async_hash = async_hash_min;
static unsigned int async_hash_bits = ASYNC_HASH_MIN_BITS;
static struct hlist_head *async_hash_old;
static unsigned int async_hash_old_bits, async_hash_moved;
static LIST_HEAD(async_global_pending);			/* async_lock */
static LIST_HEAD(async_global_waiters);			/* async_lock */
static ASYNC_DOMAIN(async_dfl_domain);
static struct workqueue_struct *async_wq;

#ifdef CONFIG_LOCKDEP
static struct lock_class_key async_lockdep_key;
static struct lockdep_map async_lockdep_map =
	STATIC_LOCKDEP_MAP_INIT("async_entry", &async_lockdep_key);
#endif

static void async_run_entry_fn(struct work_struct *work);

/*
 * The entry %current is running, if it is an async worker.  The worker's
 * own copy of the function tells, not the work item's: a work function
 * may free its work item before it returns.  An async work item stays
 * until async_run_entry_fn() returns.
 */
static struct async_entry *async_current_entry(void)
{
	struct worker *worker = current_wq_worker();

	if (!worker || worker->current_func != async_run_entry_fn)
		return NULL;
	return container_of(worker->current_work, struct async_entry,
			    work)->running;
}

void async_trace_format_deps(char *buf, size_t len, const async_cookie_t *deps,
			     unsigned int ndeps)
{
	unsigned int i, n = min_t(unsigned int, ndeps, ASYNC_TRACE_DEPS);
	size_t used = 0;

	buf[0] = '\0';
	if (!n) {
		strscpy(buf, "-", len);
		return;
	}
	for (i = 0; i < n && used < len; i++)
		used += scnprintf(buf + used, len - used, "%s%llu",
				  i ? "," : "", deps[i]);
	if (ndeps > n)
		scnprintf(buf + used, len - used, "+");
}

static struct hlist_head *async_chain(async_cookie_t cookie)
{
	return &async_hash[hash_64(cookie, async_hash_bits)];
}

/* The pending entry with @cookie, or NULL if it finished or never was. */
static struct async_entry *async_lookup(async_cookie_t cookie)
{
	struct async_entry *entry;

	lockdep_assert_held(&async_lock);

	hlist_for_each_entry(entry, async_chain(cookie), hash)
		if (entry->cookie == cookie)
			return entry;
	if (!async_hash_old)
		return NULL;
	hlist_for_each_entry(entry,
			     &async_hash_old[hash_64(cookie, async_hash_old_bits)],
			     hash)
		if (entry->cookie == cookie)
			return entry;
	return NULL;
}

static void async_hash_free(struct hlist_head *table)
{
	if (table != async_hash_min)
		kfree(table);
}

/*
 * Move up to @chains chains of the table being emptied into the current
 * one, and free it once it is empty.
 */
static void async_hash_move(unsigned int chains)
{
	struct async_entry *entry;
	struct hlist_node *tmp;

	lockdep_assert_held(&async_lock);

	while (async_hash_old && chains--) {
		hlist_for_each_entry_safe(entry, tmp,
					  &async_hash_old[async_hash_moved], hash) {
			hlist_del(&entry->hash);
			hlist_add_head(&entry->hash, async_chain(entry->cookie));
		}
		if (++async_hash_moved == 1U << async_hash_old_bits) {
			async_hash_free(async_hash_old);
			async_hash_old = NULL;
		}
	}
}

/*
 * Double the hash.  Its entries move over ASYNC_HASH_MOVE chains per
 * later call, which ends long before the next doubling is due (that takes
 * as many new entries as the table has chains), so a doubling never waits
 * for the last one.  Allocation failure is fine: the chains just get
 * longer.
 */
static void async_hash_grow(void)
{
	unsigned int i, bits = async_hash_bits + 1;
	struct hlist_head *new;

	lockdep_assert_held(&async_lock);

	if (async_hash_old)
		return;
	new = kmalloc_array(1U << bits, sizeof(*new), GFP_ATOMIC | __GFP_NOWARN);
	if (!new)
		return;
	for (i = 0; i < 1U << bits; i++)
		INIT_HLIST_HEAD(&new[i]);
	async_hash_old = async_hash;
	async_hash_old_bits = async_hash_bits;
	async_hash_moved = 0;
	async_hash = new;
	async_hash_bits = bits;
}

/* With no entry pending, go back to the static table. */
static void async_hash_reset(void)
{
	lockdep_assert_held(&async_lock);

	if (async_hash_old)
		async_hash_free(async_hash_old);
	async_hash_old = NULL;
	async_hash_free(async_hash);
	async_hash = async_hash_min;
	async_hash_bits = ASYNC_HASH_MIN_BITS;
}

/* Earliest pending cookie on a pending list, or ASYNC_COOKIE_MAX. */
static async_cookie_t async_lowest(struct list_head *pending, bool global)
{
	lockdep_assert_held(&async_lock);

	if (list_empty(pending))
		return ASYNC_COOKIE_MAX;
	if (global)
		return list_first_entry(pending, struct async_entry,
					global_list)->cookie;
	return list_first_entry(pending, struct async_entry,
				domain_list)->cookie;
}

/* Move the barrier waiters satisfied by @lowest to @wake. */
static void async_collect_waiters(struct list_head *waiters,
				  async_cookie_t lowest, struct list_head *wake)
{
	struct async_waiter *w, *tmp;

	lockdep_assert_held(&async_lock);

	list_for_each_entry_safe(w, tmp, waiters, node) {
		if (w->cookie > lowest)
			break;
		list_move_tail(&w->node, wake);
	}
}

/* Add a barrier waiter, keeping the list sorted by checkpoint. */
static void async_add_waiter(struct list_head *waiters, struct async_waiter *w)
{
	struct async_waiter *pos;

	lockdep_assert_held(&async_lock);

	list_for_each_entry_reverse(pos, waiters, node) {
		if (pos->cookie <= w->cookie) {
			list_add(&w->node, &pos->node);
			return;
		}
	}
	list_add(&w->node, waiters);
}

static void async_wake(struct list_head *wake)
{
	struct async_waiter *w, *tmp;

	/* A woken waiter returns and its stack goes: read next first. */
	list_for_each_entry_safe(w, tmp, wake, node)
		complete(&w->done);
}

/*
 * Put @entry on the throttled list of its domain, after the entries of
 * its priority and higher: from the tail, so that a domain whose entries
 * all have one priority pays O(1).
 */
static void async_throttle(struct async_entry *entry)
{
	struct list_head *pos = &entry->domain->throttled;

	lockdep_assert_held(&async_lock);

	while (pos->prev != &entry->domain->throttled &&
	       list_entry(pos->prev, struct async_entry, ready)->prio < entry->prio)
		pos = pos->prev;
	list_add_tail(&entry->ready, pos);
}

/* @entry may run: onto @run, or onto the throttled list of its domain. */
static void async_ready(struct async_entry *entry, struct list_head *run)
{
	struct async_domain *domain = entry->domain;

	lockdep_assert_held(&async_lock);

	if (domain->max_active && domain->active >= domain->max_active) {
		async_throttle(entry);
		return;
	}
	domain->active++;
	entry->active = true;
	list_add_tail(&entry->ready, run);
}

/* Let throttled entries of @domain take the slots that are free. */
static void async_unthrottle(struct async_domain *domain, struct list_head *run)
{
	struct async_entry *entry;

	lockdep_assert_held(&async_lock);

	while (!list_empty(&domain->throttled) &&
	       (!domain->max_active || domain->active < domain->max_active)) {
		entry = list_first_entry(&domain->throttled, struct async_entry,
					 ready);
		list_del(&entry->ready);
		domain->active++;
		entry->active = true;
		list_add_tail(&entry->ready, run);
	}
}

/* Queue the entries that async_ready() and async_unthrottle() picked. */
static void async_queue_list(struct list_head *run)
{
	struct async_entry *entry, *tmp;

	list_for_each_entry_safe(entry, tmp, run, ready)
		queue_work_node(entry->node, async_wq, &entry->work);
}

/*
 * Unlink a finished entry: pick the entries that may run now (the
 * dependents it was the last dependency of, and those its slot frees)
 * onto @run, and collect the waiters it satisfies onto @wake.
 */
static void async_retire(struct async_entry *entry, struct list_head *run,
			 struct list_head *wake)
{
	struct async_domain *domain = entry->domain;
	bool dom_head, glob_head = false;
	struct async_dep *dep;

	lockdep_assert_held(&async_lock);

	dom_head = domain->pending.next == &entry->domain_list;
	list_del(&entry->domain_list);
	if (!list_empty(&entry->global_list)) {
		glob_head = async_global_pending.next == &entry->global_list;
		list_del_init(&entry->global_list);
	}
	hlist_del(&entry->hash);
	entry_count--;
	if (!entry_count && async_hash != async_hash_min)
		async_hash_reset();
	else
		async_hash_move(ASYNC_HASH_MOVE);
	if (entry->active)
		domain->active--;

	list_for_each_entry(dep, &entry->dependents, node) {
		dep->dep = NULL;
		if (!--dep->entry->ndeps_pending) {
			parked_count--;
			async_ready(dep->entry, run);
		}
	}
	async_unthrottle(domain, run);
	list_splice_tail_init(&entry->waiters, wake);
	if (dom_head)
		async_collect_waiters(&domain->waiters,
				      async_lowest(&domain->pending, false), wake);
	if (glob_head)
		async_collect_waiters(&async_global_waiters,
				      async_lowest(&async_global_pending, true),
				      wake);
}

/*
 * Of the entries a completion made ready, the one its worker runs next
 * instead of queuing it: one that may run on this node, and of those the
 * one of highest priority, then the one most entries wait for, since it
 * is most likely on the longest chain.  NULL if none may.
 */
static struct async_entry *async_pick_next(struct list_head *run)
{
	struct async_entry *entry, *best = NULL;
	int nid = numa_node_id();

	lockdep_assert_held(&async_lock);

	list_for_each_entry(entry, run, ready) {
		if (entry->node != NUMA_NO_NODE && entry->node != nid)
			continue;
		if (!best || entry->prio > best->prio ||
		    (entry->prio == best->prio &&
		     entry->ndependents > best->ndependents))
			best = entry;
	}
	if (best)
		list_del(&best->ready);
	return best;
}

/*
 * Retire a finished entry, queue what became ready and wake the waiters
 * it satisfies; return an entry for the caller to run next, if any.  The
 * entry is freed unless it is @host, whose work item is still running.
 */
static struct async_entry *async_complete(struct async_entry *entry,
					  struct async_entry *host)
{
	struct async_entry *next;
	unsigned long flags;
	LIST_HEAD(run);
	LIST_HEAD(wake);

	spin_lock_irqsave(&async_lock, flags);
	async_retire(entry, &run, &wake);
	next = async_pick_next(&run);
	spin_unlock_irqrestore(&async_lock, flags);

	async_queue_list(&run);
	async_wake(&wake);
	if (entry != host)
		kfree(entry);
	return next;
}

/* Microseconds since @start, or 0 if it was not taken (tracing was off). */
static u64 async_usecs_since(ktime_t start)
{
	return start ? ktime_us_delta(ktime_get(), start) : 0;
}

static void async_run_one(struct async_entry *entry)
{
	/* Time the call only for the tracepoint: it is on every call's path. */
	ktime_t start = trace_async_finish_enabled() ? ktime_get() : 0;

	trace_async_run(entry->cookie, entry->func);
	lock_map_acquire_read(&async_lockdep_map);
	entry->func(entry->data, entry->cookie);
	lock_map_release(&async_lockdep_map);
	if (trace_async_finish_enabled())
		trace_async_finish(entry->cookie, entry->func,
				   async_usecs_since(start));
}

/*
 * Run the entry of @work, then, as long as a completion makes an entry
 * ready that may run here, that one: a chain of dependent calls goes on
 * in this worker, without a wake-up and without waiting behind the calls
 * queued before it became ready.  The first entry stays allocated until
 * the end, since its work item is the one the workqueue runs.
 */
static void async_run_entry_fn(struct work_struct *work)
{
	struct async_entry *host = container_of(work, struct async_entry, work);
	struct async_entry *entry = host;

	do {
		host->running = entry;
		async_run_one(entry);
		entry = async_complete(entry, host);
	} while (entry);
	kfree(host);
}

/* The KUnit suite replaces this to make allocations fail. */
VISIBLE_IF_KUNIT struct async_entry *async_alloc_entry(unsigned int ndeps,
						       gfp_t gfp)
{
	struct async_entry *entry;

	KUNIT_STATIC_STUB_REDIRECT(async_alloc_entry, ndeps, gfp);
	entry = kzalloc(struct_size(entry, deps, ndeps), gfp);
	if (!entry)
		return NULL;
	entry->ndeps = ndeps;
	INIT_LIST_HEAD(&entry->global_list);
	INIT_LIST_HEAD(&entry->dependents);
	INIT_LIST_HEAD(&entry->waiters);
	return entry;
}
EXPORT_SYMBOL_IF_KUNIT(async_alloc_entry);

/*
 * Give @entry its cookie and publish it; link it to each dependency that
 * has not finished.  Return 0, or -EINVAL for a dependency that was never
 * handed out, in which case nothing is published.
 */
static int async_publish(struct async_entry *entry, const async_cookie_t *deps)
{
	unsigned int i;

	lockdep_assert_held(&async_lock);

	for (i = 0; i < entry->ndeps; i++) {
		if (!deps[i] || deps[i] >= next_cookie)
			return -EINVAL;
	}
	entry->cookie = next_cookie++;
	hlist_add_head(&entry->hash, async_chain(entry->cookie));
	async_hash_move(ASYNC_HASH_MOVE);
	if (++entry_count > 2U << async_hash_bits)
		async_hash_grow();

	for (i = 0; i < entry->ndeps; i++) {
		struct async_entry *dep = async_lookup(deps[i]);

		if (!dep)
			continue;	/* finished already */
		entry->deps[i].entry = entry;
		entry->deps[i].dep = dep;
		list_add_tail(&entry->deps[i].node, &dep->dependents);
		dep->ndependents++;
		entry->ndeps_pending++;
	}
	if (entry->ndeps_pending)
		parked_count++;
	list_add_tail(&entry->domain_list, &entry->domain->pending);
	if (entry->domain->registered)
		list_add_tail(&entry->global_list, &async_global_pending);
	return 0;
}

static void async_init_entry(struct async_entry *entry, async_func_t func,
			     void *data, int node, struct async_domain *domain)
{
	INIT_WORK(&entry->work, async_run_entry_fn);
	entry->func = func;
	entry->data = data;
	entry->node = node;
	entry->domain = domain;
}

/*
 * The old calls: queue at once, or run synchronously if that cannot be
 * done (no memory, too much pending work) and @nocall is false.
 */
static bool async_schedule_now(async_func_t func, void *data, int node,
			       struct async_domain *domain, gfp_t gfp,
			       bool nocall, async_cookie_t *cookiep)
{
	struct async_entry *entry = async_alloc_entry(0, gfp);
	async_cookie_t cookie = 0;
	unsigned long flags;
	int ret = -ENOMEM;
	LIST_HEAD(run);

	spin_lock_irqsave(&async_lock, flags);
	/*
	 * Parked entries hold no worker: a backlog of them (probes waiting
	 * for their suppliers) must not make unrelated callers synchronous.
	 */
	if (entry && entry_count - parked_count < MAX_WORK) {
		async_init_entry(entry, func, data, node, domain);
		ret = async_publish(entry, NULL);
	}
	if (!ret) {
		cookie = entry->cookie;
		trace_async_queue(cookie, func, NULL, 0, 0, false);
		async_ready(entry, &run);
	} else if (!nocall) {
		/*
		 * Run in the caller, under a cookie of its own, as upstream
		 * always did: a barrier in another task does not wait for
		 * this call (its cookie is not pending), the caller does.
		 * The probe framework never comes here (nocall).
		 */
		cookie = next_cookie++;
		trace_async_queue(cookie, func, NULL, 0, 0, true);
	}
	spin_unlock_irqrestore(&async_lock, flags);

	if (!ret) {
		async_queue_list(&run);
	} else {
		kfree(entry);
		if (nocall)
			return false;
		trace_async_run(cookie, func);
		func(data, cookie);
		trace_async_finish(cookie, func, 0);
	}
	if (cookiep)
		*cookiep = cookie;
	return true;
}

/**
 * async_schedule_node_domain() - run a function asynchronously, near a
 *	NUMA node, in a domain
 * @func: function to run
 * @data: its first argument
 * @node: NUMA node to run on if it has CPUs, or NUMA_NO_NODE
 * @domain: the domain to account the call in
 *
 * @func is called from a workqueue with @data and the call's cookie.
 * The domain may be waited for with async_synchronize_full_domain() and
 * async_synchronize_cookie_domain().  If no entry can be allocated, or
 * more than 32768 entries are pending, @func runs synchronously before
 * this returns.
 *
 * Context: Any context.
 * Return: the cookie of the call.
 */
async_cookie_t async_schedule_node_domain(async_func_t func, void *data,
					  int node, struct async_domain *domain)
{
	async_cookie_t cookie;

	async_schedule_now(func, data, node, domain, GFP_ATOMIC, false, &cookie);
	return cookie;
}
EXPORT_SYMBOL_GPL(async_schedule_node_domain);

/**
 * async_schedule_node() - run a function asynchronously, near a NUMA node
 * @func: function to run
 * @data: its first argument
 * @node: NUMA node to run on if it has CPUs, or NUMA_NO_NODE
 *
 * Like async_schedule_node_domain() in the default domain.
 *
 * Context: Any context.
 * Return: the cookie of the call.
 */
async_cookie_t async_schedule_node(async_func_t func, void *data, int node)
{
	return async_schedule_node_domain(func, data, node, &async_dfl_domain);
}
EXPORT_SYMBOL_GPL(async_schedule_node);

/**
 * async_schedule_dev_nocall() - run a function on a device asynchronously,
 *	or not at all
 * @func: function to run
 * @dev: the device, passed to @func and used to pick a NUMA node
 *
 * Unlike async_schedule_dev(), never runs @func in the caller: if the call
 * cannot be queued, nothing happens and the caller decides what to do.
 *
 * Context: Process context; may sleep.
 * Return: true if @func was queued, false if not.
 */
bool async_schedule_dev_nocall(async_func_t func, struct device *dev)
{
	return async_schedule_now(func, dev, dev_to_node(dev), &async_dfl_domain,
				  GFP_KERNEL, true, NULL);
}
EXPORT_SYMBOL_GPL(async_schedule_dev_nocall);

/**
 * async_schedule_node_domain_after_prio() - run a function asynchronously
 *	once the given earlier calls finished, with a priority
 * @func: function to run
 * @data: its first argument
 * @node: NUMA node to run on if it has CPUs, or NUMA_NO_NODE
 * @domain: the domain to account the call in, or %NULL for the default
 * @prio: where the call goes when it is ready while its domain runs as
 *	many calls as async_domain_set_max_active() allows: before every
 *	waiting call of a lower priority, after those of its own
 * @deps: cookies of earlier calls that must finish before @func starts
 * @ndeps: number of cookies in @deps (at most %ASYNC_MAX_DEPS)
 * @cookie: where to store the cookie of the call, or %NULL
 * @gfp: how to allocate the call's bookkeeping: %GFP_KERNEL, with
 *	%__GFP_NOFAIL for a caller that has promised the call to someone
 *	and has no way to take the promise back
 *
 * @func starts after every call named in @deps has returned, and waits for
 * nothing else: calls scheduled before it but not named may still be
 * running.  A dependency whose call has finished already is met at once;
 * duplicates are allowed.  Until its last dependency finishes, the call is
 * parked: it counts as pending for the barriers of its domain but does not
 * occupy a worker.  With no dependency left it is queued at once.
 *
 * Unlike async_schedule(), this never runs @func in the caller.  A
 * domain without a limit starts every ready call at once, whatever its
 * priority.
 *
 * Context: Process context; may sleep.
 * Return: 0 on success; -EINVAL if @func is %NULL or a cookie in @deps
 * was never handed out (or is 0); -E2BIG if @ndeps exceeds
 * %ASYNC_MAX_DEPS; -ENOMEM if the call cannot be set up (never with
 * %__GFP_NOFAIL).
 */
int async_schedule_node_domain_after_prio(async_func_t func, void *data,
					  int node, struct async_domain *domain,
					  int prio, const async_cookie_t *deps,
					  unsigned int ndeps,
					  async_cookie_t *cookie, gfp_t gfp)
{
	struct async_entry *entry;
	unsigned long flags;
	unsigned int pending;
	async_cookie_t c;
	LIST_HEAD(run);
	int ret;

	if (!func || (ndeps && !deps))
		return -EINVAL;
	if (ndeps > ASYNC_MAX_DEPS)
		return -E2BIG;
	entry = async_alloc_entry(ndeps, gfp);
	if (!entry)
		return -ENOMEM;
	async_init_entry(entry, func, data, node, domain ?: &async_dfl_domain);
	entry->prio = prio;

	spin_lock_irqsave(&async_lock, flags);
	ret = async_publish(entry, deps);
	if (!ret) {
		/* Once published it may run and be freed: copy what we need. */
		c = entry->cookie;
		pending = entry->ndeps_pending;
		trace_async_queue(c, func, deps, ndeps, pending, false);
		if (!pending)
			async_ready(entry, &run);
	}
	spin_unlock_irqrestore(&async_lock, flags);
	if (ret) {
		kfree(entry);
		return ret;
	}

	async_queue_list(&run);
	if (cookie)
		*cookie = c;
	return 0;
}
EXPORT_SYMBOL_GPL(async_schedule_node_domain_after_prio);

/**
 * async_schedule_node_domain_after() - run a function asynchronously once
 *	the given earlier calls finished
 * @func: function to run
 * @data: its first argument
 * @node: NUMA node to run on if it has CPUs, or NUMA_NO_NODE
 * @domain: the domain to account the call in, or %NULL for the default
 * @deps: cookies of earlier calls that must finish before @func starts
 * @ndeps: number of cookies in @deps (at most %ASYNC_MAX_DEPS)
 * @cookie: where to store the cookie of the call, or %NULL
 * @gfp: %GFP_KERNEL, or with %__GFP_NOFAIL
 *
 * async_schedule_node_domain_after_prio() with priority 0.
 *
 * Context: Process context; may sleep.
 * Return: see async_schedule_node_domain_after_prio().
 */
int async_schedule_node_domain_after(async_func_t func, void *data, int node,
				     struct async_domain *domain,
				     const async_cookie_t *deps,
				     unsigned int ndeps, async_cookie_t *cookie,
				     gfp_t gfp)
{
	return async_schedule_node_domain_after_prio(func, data, node, domain, 0,
						     deps, ndeps, cookie, gfp);
}
EXPORT_SYMBOL_GPL(async_schedule_node_domain_after);

/* How far async_depends_on() looks before it assumes the worst. */
#define ASYNC_DEPENDS_MAX	64

/*
 * Whether the pending entry @entry waits for @self, directly or through
 * pending entries in between.  Looks at ASYNC_DEPENDS_MAX entries at
 * most, and says yes past that.
 */
static bool async_depends_on(struct async_entry *entry,
			     const struct async_entry *self)
{
	struct async_entry *stack[ASYNC_DEPENDS_MAX];
	unsigned int i, top = 0, seen = 0;

	lockdep_assert_held(&async_lock);

	stack[top++] = entry;
	while (top) {
		entry = stack[--top];
		if (entry == self)
			return true;
		for (i = 0; i < entry->ndeps; i++) {
			if (!entry->deps[i].dep)
				continue;
			if (top == ASYNC_DEPENDS_MAX || ++seen > ASYNC_DEPENDS_MAX)
				return true;
			stack[top++] = entry->deps[i].dep;
		}
	}
	return false;
}

/*
 * Whether a wait from inside the entry @self for the entries up to and
 * including @last of @domain (%NULL: of every registered domain) may be a
 * wait for @self.  Dependencies name only earlier cookies, so an entry
 * never waits for itself by waiting for earlier entries, and a domain's
 * entries are not another domain's.
 */
static bool async_wait_may_include(const struct async_entry *self,
				   const struct async_domain *domain,
				   async_cookie_t last)
{
	if (last < self->cookie)
		return false;
	return domain ? domain == self->domain : self->domain->registered;
}

/*
 * Tell lockdep about a wait (see "Waits and lockdep" above); @self_too:
 * from inside an entry, the wait may be one for that entry itself.
 */
static void async_lockdep_wait(struct async_entry *self, bool self_too)
{
	if (self && !self_too) {
		/*
		 * Not a wait for itself: as if this entry let go of its hold
		 * for the time of the wait.  A lock held across the wait that
		 * entries take is still a dependency cycle.
		 */
		lock_map_release(&async_lockdep_map);
		lock_map_acquire(&async_lockdep_map);
		lock_map_release(&async_lockdep_map);
		lock_map_acquire_read(&async_lockdep_map);
	} else {
		lock_map_acquire(&async_lockdep_map);
		lock_map_release(&async_lockdep_map);
	}
}

/*
 * Trace a synchronize call, and wait for @w in it if @wait: a call with
 * nothing to wait for is traced too, the way initcall_debug always
 * printed it.
 */
static void async_trace_wait(struct async_waiter *w, bool wait,
			     const char *kind, async_cookie_t cookie)
{
	struct async_entry *self = wait ? async_current_entry() : NULL;
	ktime_t start = trace_async_wait_end_enabled() ? ktime_get() : 0;
	unsigned long flags;
	bool lent = false;
	LIST_HEAD(run);

	trace_async_wait_begin(kind, cookie);
	if (self && self->domain->max_active) {
		/* Lend this entry's slot to a throttled one while it waits. */
		spin_lock_irqsave(&async_lock, flags);
		lent = self->active;
		if (lent) {
			self->active = false;
			self->domain->active--;
			async_unthrottle(self->domain, &run);
		}
		spin_unlock_irqrestore(&async_lock, flags);
		async_queue_list(&run);
	}
	if (wait)
		wait_for_completion(&w->done);
	if (lent) {
		/* Take it back, even beyond the limit for a while. */
		spin_lock_irqsave(&async_lock, flags);
		self->active = true;
		self->domain->active++;
		spin_unlock_irqrestore(&async_lock, flags);
	}
	if (trace_async_wait_end_enabled())
		trace_async_wait_end(kind, cookie, async_usecs_since(start));
}

/**
 * async_synchronize_cookie_domain() - wait for the calls of a domain
 *	scheduled before a cookie
 * @cookie: the checkpoint
 * @domain: the domain, or %NULL for every registered domain
 *
 * Returns once every call in @domain whose cookie is below @cookie has
 * finished, parked calls included.  An async call may wait for its own
 * cookie this way: that waits for the calls before it only.
 *
 * Context: Process context; sleeps.
 */
void async_synchronize_cookie_domain(async_cookie_t cookie,
				     struct async_domain *domain)
{
	struct async_entry *self = async_current_entry();
	struct list_head *pending, *waiters;
	struct async_waiter w;
	unsigned long flags;
	bool wait, self_too;

	self_too = IS_ENABLED(CONFIG_LOCKDEP) && self &&
		   async_wait_may_include(self, domain, cookie ? cookie - 1 : 0);
	async_lockdep_wait(self, self_too);

	pending = domain ? &domain->pending : &async_global_pending;
	waiters = domain ? &domain->waiters : &async_global_waiters;
	init_completion(&w.done);
	w.cookie = cookie;

	spin_lock_irqsave(&async_lock, flags);
	wait = async_lowest(pending, !domain) < cookie;
	if (wait)
		async_add_waiter(waiters, &w);
	spin_unlock_irqrestore(&async_lock, flags);

	async_trace_wait(&w, wait,
			 cookie == ASYNC_COOKIE_MAX ? "full" : "cookie",
			 cookie == ASYNC_COOKIE_MAX ? 0 : cookie);
}
EXPORT_SYMBOL_GPL(async_synchronize_cookie_domain);

/**
 * async_synchronize_cookie() - wait for the calls scheduled before a cookie
 * @cookie: the checkpoint
 *
 * Like async_synchronize_cookie_domain() in the default domain.
 *
 * Context: Process context; sleeps.
 */
void async_synchronize_cookie(async_cookie_t cookie)
{
	async_synchronize_cookie_domain(cookie, &async_dfl_domain);
}
EXPORT_SYMBOL_GPL(async_synchronize_cookie);

/**
 * async_synchronize_full_domain() - wait for every call of a domain
 * @domain: the domain, or %NULL for every registered domain
 *
 * Returns once every call in @domain scheduled so far has finished,
 * parked calls included.
 *
 * Context: Process context; sleeps.
 */
void async_synchronize_full_domain(struct async_domain *domain)
{
	async_synchronize_cookie_domain(ASYNC_COOKIE_MAX, domain);
}
EXPORT_SYMBOL_GPL(async_synchronize_full_domain);

/**
 * async_synchronize_full() - wait for every call of the registered domains
 *
 * Context: Process context; sleeps.
 */
void async_synchronize_full(void)
{
	async_synchronize_full_domain(NULL);
}
EXPORT_SYMBOL_GPL(async_synchronize_full);

/**
 * async_synchronize_one() - wait for one call
 * @cookie: the cookie of the call
 *
 * Returns once the call with @cookie has finished, whatever the state of
 * the calls scheduled before it.  A call that finished already returns at
 * once.
 *
 * Context: Process context; sleeps.
 * Return: 0, or -EINVAL if @cookie was never handed out.
 */
int async_synchronize_one(async_cookie_t cookie)
{
	struct async_entry *self = async_current_entry(), *entry;
	bool wait = false, self_too = false;
	struct async_waiter w;
	unsigned long flags;

	spin_lock_irqsave(&async_lock, flags);
	if (!cookie || cookie >= next_cookie) {
		spin_unlock_irqrestore(&async_lock, flags);
		return -EINVAL;
	}
	entry = async_lookup(cookie);
	if (entry) {
		/* Only a later entry can wait for this one (for lockdep). */
		self_too = IS_ENABLED(CONFIG_LOCKDEP) && self &&
			   cookie >= self->cookie && async_depends_on(entry, self);
		init_completion(&w.done);
		list_add_tail(&w.node, &entry->waiters);
		wait = true;
	}
	spin_unlock_irqrestore(&async_lock, flags);

	async_lockdep_wait(self, self_too);
	async_trace_wait(&w, wait, "one", cookie);
	return 0;
}
EXPORT_SYMBOL_GPL(async_synchronize_one);

/**
 * async_domain_set_max_active() - limit how many calls of a domain run at once
 * @domain: the domain
 * @max_active: the limit, or 0 for none
 *
 * Calls of @domain that are ready to run beyond the limit wait, without a
 * worker, until a running one returns.  Raising the limit starts waiting
 * calls at once.  The limit is soft in one way: a call that waits for
 * earlier calls (async_synchronize_cookie() and friends) lets another one
 * run meanwhile, and takes its slot back when its wait is over.
 *
 * Context: Any context.
 */
void async_domain_set_max_active(struct async_domain *domain,
				 unsigned int max_active)
{
	unsigned long flags;
	LIST_HEAD(run);

	spin_lock_irqsave(&async_lock, flags);
	domain->max_active = max_active;
	async_unthrottle(domain, &run);
	spin_unlock_irqrestore(&async_lock, flags);
	async_queue_list(&run);
}
EXPORT_SYMBOL_GPL(async_domain_set_max_active);

/**
 * async_cookie_done() - has a call finished?
 * @cookie: the cookie of the call
 *
 * Context: Any context.
 * Return: true if the call with @cookie has finished (or ran
 * synchronously), false if it is parked, queued or running, or if
 * @cookie was never handed out.
 */
bool async_cookie_done(async_cookie_t cookie)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&async_lock, flags);
	done = cookie && cookie < next_cookie && !async_lookup(cookie);
	spin_unlock_irqrestore(&async_lock, flags);
	return done;
}
EXPORT_SYMBOL_GPL(async_cookie_done);

/**
 * current_is_async() - is %current running an async call?
 *
 * Context: Any context.
 * Return: true if %current is an async worker running a call.
 */
bool current_is_async(void)
{
	return !!async_current_entry();
}
EXPORT_SYMBOL_GPL(current_is_async);

/**
 * current_async_cookie() - the cookie of the call %current is running
 *
 * Context: Any context.
 * Return: the cookie, or 0 if %current is not running an async call.
 */
async_cookie_t current_async_cookie(void)
{
	struct async_entry *entry = async_current_entry();

	return entry ? entry->cookie : 0;
}
EXPORT_SYMBOL_GPL(current_async_cookie);

/**
 * current_async_data() - the argument of the call %current is running
 * @func: the function that call must run
 *
 * Lets a function called from deep inside an async call (a hook of the
 * driver core, say) tell whether it runs on behalf of a given call of
 * @func, without keeping state of its own for that.
 *
 * Context: Any context.
 * Return: the call's @data if %current is an async worker running a call
 * of @func, else %NULL.
 */
void *current_async_data(async_func_t func)
{
	struct async_entry *entry = async_current_entry();

	return entry && entry->func == func ? entry->data : NULL;
}
EXPORT_SYMBOL_GPL(current_async_data);

/*
 * initcall_debug prints the calls and waits, in the format of the lines
 * the async code printed with pr_debug() before it had tracepoints.
 */
static void async_debug_run(void *ignore, async_cookie_t cookie,
			    async_func_t func)
{
	pr_debug("calling  %llu_%pS @ %i\n", cookie, func, task_pid_nr(current));
}

static void async_debug_finish(void *ignore, async_cookie_t cookie,
			       async_func_t func, u64 usecs)
{
	pr_debug("initcall %llu_%pS returned after %llu usecs\n", cookie, func,
		 usecs);
}

static void async_debug_wait_begin(void *ignore, const char *kind,
				   async_cookie_t cookie)
{
	pr_debug("async_waiting @ %i\n", task_pid_nr(current));
}

static void async_debug_wait_end(void *ignore, const char *kind,
				 async_cookie_t cookie, u64 usecs)
{
	pr_debug("async_continuing @ %i after %llu usec\n", task_pid_nr(current),
		 usecs);
}

static void __init async_debug_enable(void)
{
	int ret;

	ret = register_trace_async_run(async_debug_run, NULL);
	ret |= register_trace_async_finish(async_debug_finish, NULL);
	ret |= register_trace_async_wait_begin(async_debug_wait_begin, NULL);
	ret |= register_trace_async_wait_end(async_debug_wait_end, NULL);
	WARN(ret, "async: failed to register the initcall_debug probes\n");
}

void __init async_init(void)
{
	/*
	 * Old-style callers wait for earlier entries from inside later ones
	 * (libata), so the workqueue must run many entries at once: with
	 * too low a min_active an unbound workqueue stalls.
	 */
	async_wq = alloc_workqueue("async", WQ_UNBOUND, 0);
	if (WARN_ON(!async_wq)) {
		async_wq = system_unbound_wq;
		return;
	}
	workqueue_set_min_active(async_wq, WQ_DFL_ACTIVE);

	if (initcall_debug)
		async_debug_enable();
}
