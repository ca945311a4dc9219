// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe dependency tracking: what a device waits for.
 *
 * A device taken by the framework is evaluated: each of its suppliers is
 * looked at, and decides what the device waits for.
 *
 *  - The parent and every further ancestor, and suppliers declared with
 *    async_probe_add_dependency(), order the probe only while their own
 *    probe is in flight in the framework: the driver core does not
 *    require them to be bound.  An ancestor counts because a device added
 *    by a probe still running (a bus scan, say) is one that probe made:
 *    probing it while the scan goes on makes them compete.  A SCSI host
 *    scan, for one, freezes the queue of every disk already attached
 *    twice per target it tries (the target's queue joins and leaves the
 *    host's shared tag set): an RCU grace period each, once the disk's
 *    driver has registered that queue.  But a probe may also wait for a
 *    device it added (a parent for its child's probe): so an ancestor is
 *    waited for by a parked edge, not by its cookie, and the edge goes
 *    once it has waited async_probe.ancestor_wait_ms for the ancestor's
 *    running probe, or at once when that probe calls
 *    async_probe_wait_device() for the device.  A scan is held back from
 *    what it found for a bounded time, and a parent waiting for its child
 *    is late by that time at most, never hung.
 *  - A managed device link (not SYNC_STATE_ONLY) whose supplier is bound
 *    is met.  Its supplier is waited for while its probe is in flight, in
 *    the framework or elsewhere.  A supplier that is neither bound nor
 *    being probed (no driver yet, a missing module, a failed probe) is not
 *    waited for: the probe runs, the driver core defers it, and the
 *    ordinary deferred-probe machinery takes over.  So is a supplier that
 *    does not exist yet (fwnode links left by fw_devlink).
 *
 * A supplier that is queued or running has a cookie: the device is queued
 * after it (kernel/async.c parks the entry without a worker until the
 * cookie completes).  A supplier without a cookie (itself parked, or
 * probing outside the framework) parks the device: an &struct ap_wait edge
 * is hung on the supplier's node, and the device holds no async entry at
 * all.  When the supplier gets a cookie, binds, or its probe ends without
 * binding, its parked consumers are evaluated again.
 *
 * Evaluations run from a to-do list rather than recursively, so that a
 * long chain of parked devices cannot exhaust the stack.
 */
#include <kunit/static_stub.h>
#include <linux/async_probe_log.h>
#include <linux/device.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "../base.h"
#include "internal.h"

/* What ap_lock protects, and its place in the lock order: internal.h. */
DEFINE_MUTEX(ap_lock);
LIST_HEAD(ap_nodes);			/* ap_node.inflight (ap_lock) */
static LIST_HEAD(ap_todo);		/* nodes to evaluate (ap_lock) */

/*
 * Suppliers of one evaluation; names feed the queue tracepoint and the
 * history.  Suppliers in flight beyond AP_MAX_COOKIES are parked on
 * instead (rare: a device with dozens of busy suppliers).
 */
#define AP_MAX_COOKIES	32

struct ap_deps {
	async_cookie_t cookies[AP_MAX_COOKIES];
	unsigned int ncookies;
	char names[AP_DEPS_NAMES];
	size_t len;
	unsigned int more;
};

/* Room kept at the end of ap_deps.names for ",+N", N < 100000. */
#define AP_DEPS_MORE	8

/*
 * The one evaluation's (ap_lock): ap_evaluate_one() runs under ap_lock
 * and never within itself.  Not on the stack, which the kernel clears at
 * every call (CONFIG_INIT_STACK_ALL_ZERO): 400 bytes per probe.
 */
static struct ap_deps ap_deps_scratch;

/**
 * ap_node_find() - the framework's node of a device, if any
 * @dev: the device
 *
 * Context: ap_lock held.
 * Return: the node, or %NULL.
 */
struct ap_node *ap_node_find(struct device *dev)
{
	lockdep_assert_held(&ap_lock);
	return dev->p ? dev->p->async_probe : NULL;
}

/**
 * ap_node_alloc() - a new idle node that belongs to no device yet
 *
 * Lets a caller allocate before it takes ap_lock: see ap_node_find_or_create().
 * The KUnit suite replaces it to make the framework decline a probe.
 *
 * Context: may sleep.
 * Return: the node, or %NULL if out of memory.
 */
struct ap_node *ap_node_alloc(void)
{
	struct ap_node *node;

	KUNIT_STATIC_STUB_REDIRECT(ap_node_alloc);
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return NULL;
	node->state = AP_IDLE;
	INIT_LIST_HEAD(&node->parked_on);
	INIT_LIST_HEAD(&node->waiters);
	INIT_LIST_HEAD(&node->explicit_sup);
	INIT_LIST_HEAD(&node->explicit_con);
	INIT_LIST_HEAD(&node->inflight);
	INIT_LIST_HEAD(&node->todo);
	return node;
}

/**
 * ap_node_find_or_create() - the node of a device, created idle if needed
 * @dev: a registered device
 * @spare: a node from ap_node_alloc() to use if one is needed (it is
 *	taken, and *@spare set to %NULL), or %NULL to allocate here
 *
 * No node is made for a device that device_del() has marked dead: its
 * async_probe_device_del() may have run already, and nothing would drop
 * such a node, or the consumers parked on it, before the device is freed.
 *
 * Context: ap_lock held; may sleep.
 * Return: the node, or %NULL if out of memory or @dev is being removed.
 */
struct ap_node *ap_node_find_or_create(struct device *dev,
				       struct ap_node **spare)
{
	struct ap_node *node = ap_node_find(dev);

	if (node || !dev->p || dev->p->dead)
		return node;
	if (spare && *spare) {
		node = *spare;
		*spare = NULL;
	} else {
		node = ap_node_alloc();
		if (!node)
			return NULL;
	}
	node->dev = dev;
	WRITE_ONCE(dev->p->async_probe, node);
	return node;
}

/**
 * ap_node_free_if_idle() - free a node that no longer has a job
 * @node: the node
 *
 * An idle node with no waiters and no explicit dependencies is freed;
 * any other is left alone.
 *
 * Context: ap_lock held.
 */
void ap_node_free_if_idle(struct ap_node *node)
{
	lockdep_assert_held(&ap_lock);

	if (node->state != AP_IDLE || node->handback || !list_empty(&node->waiters) ||
	    !list_empty(&node->explicit_sup) || !list_empty(&node->explicit_con) ||
	    !list_empty(&node->todo))
		return;
	if (node->dev->p)
		WRITE_ONCE(node->dev->p->async_probe, NULL);
	if (node->plan && node->plan->node == node)
		node->plan->node = NULL;
	kfree(node);
}

static bool ap_in_flight(struct ap_node *node)
{
	return node && node->state != AP_IDLE;
}

/*
 * Whether a probe of @dev runs now outside the framework.  links.status
 * alone does not tell: the driver core sets DL_DEV_PROBING once a probe
 * passes device_links_check_suppliers(), but that function leaves it set
 * when it defers the probe too, and a device waiting on the deferred list
 * stays so until its next attempt.  Only a probe under way has a driver
 * set as well; both change back before the result hook runs.
 */
static bool ap_probing_elsewhere(struct device *dev)
{
	return READ_ONCE(dev->links.status) == DL_DEV_PROBING &&
	       READ_ONCE(dev->driver);
}

/*
 * Names of the suppliers waited for, for the queue tracepoint and the
 * history: whole names only, in the order they are waited for; once one
 * does not fit, it and those after it are only counted (ap_deps_end()).
 */
static void ap_deps_name(struct ap_deps *d, struct device *sup)
{
	const char *name = dev_name(sup);
	size_t len = strlen(name);

	/* Room for the comma, the name and its NUL, and for ",+N" after. */
	if (d->more || d->len + 1 + len >= sizeof(d->names) - AP_DEPS_MORE) {
		d->more++;
		return;
	}
	/* Copied, not formatted: every waited-for supplier comes here. */
	if (d->len)
		d->names[d->len++] = ',';
	memcpy(d->names + d->len, name, len + 1);
	d->len += len;
}

/* The count of names left out, as the list's last item ("a,b,+3"). */
static void ap_deps_end(struct ap_deps *d)
{
	if (d->more)
		scnprintf(d->names + d->len, sizeof(d->names) - d->len,
			  "%s%c%u", d->len ? "," : "", ASYNC_PROBE_LOG_MORE,
			  d->more);
}

static void ap_ancestor_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ap_ancestor_work, ap_ancestor_fn);

/*
 * Look at the ancestor edges again in half the time they may wait.  A
 * look already scheduled is brought forward if it would come later than
 * that (ancestor_wait_ms was lowered meanwhile), and left alone otherwise.
 */
static void ap_ancestor_check_start(void)
{
	unsigned long delay = msecs_to_jiffies(READ_ONCE(ap_ancestor_wait_ms) / 2);

	delay = max(delay, 1UL);
	if (!delayed_work_pending(&ap_ancestor_work) ||
	    time_after(READ_ONCE(ap_ancestor_work.timer.expires), jiffies + delay))
		mod_delayed_work(system_wq, &ap_ancestor_work, delay);
}

/* Park @node on @sup, once; @ancestor: see &struct ap_wait. */
static void ap_park_on(struct ap_node *node, struct ap_node *sup, bool ancestor)
{
	struct ap_wait *w;

	lockdep_assert_held(&ap_lock);
	list_for_each_entry(w, &node->parked_on, c_node)
		if (w->supplier == sup)
			return;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		/* Then do not wait: the driver core still checks links. */
		atomic_inc(&ap_stats.wait_nomem);
		return;
	}
	w->consumer = node;
	w->supplier = sup;
	w->ancestor = ancestor;
	if (ancestor)
		w->since = ktime_get();
	list_add_tail(&w->c_node, &node->parked_on);
	list_add_tail(&w->s_node, &sup->waiters);
	node->nparked++;
	if (ancestor)
		ap_ancestor_check_start();
}

/* Wait for @sup, a supplier in flight: for its cookie, or parked on it. */
static void ap_wait_for(struct ap_node *node, struct ap_node *sup,
			struct ap_deps *d)
{
	unsigned int i;

	/* What releases a parked node: see &enum ap_state. */
	if (WARN_ON_ONCE(!ap_in_flight(sup)) || sup == node)
		return;
	if (sup->state == AP_QUEUED && sup->cookie && d->ncookies < AP_MAX_COOKIES) {
		for (i = 0; i < d->ncookies; i++)
			if (d->cookies[i] == sup->cookie)
				return;
		d->cookies[d->ncookies++] = sup->cookie;
		ap_deps_name(d, sup->dev);
		return;
	}
	ap_park_on(node, sup, false);
}

static void ap_consider_links(struct ap_node *node, struct ap_deps *d)
{
	struct device_link *link;
	struct device *sup;
	struct ap_node *sn;
	int idx;

	/*
	 * A link added after this look is checked by the driver core when
	 * the device probes, as it is for one added after the evaluation.
	 */
	if (list_empty(&node->dev->links.suppliers))
		return;
	idx = device_links_read_lock();
	list_for_each_entry_rcu(link, &node->dev->links.suppliers, c_node,
				device_links_read_lock_held()) {
		if (!(link->flags & DL_FLAG_MANAGED) ||
		    link->flags & DL_FLAG_SYNC_STATE_ONLY)
			continue;
		sup = link->supplier;
		if (READ_ONCE(sup->links.status) == DL_DEV_DRIVER_BOUND)
			continue;
		sn = ap_node_find(sup);
		if (ap_in_flight(sn)) {
			ap_wait_for(node, sn, d);
		} else if (ap_probing_elsewhere(sup)) {
			/*
			 * Probing outside the framework: wait for its end.
			 * The node is published before the status is looked
			 * at again: see ap_may_have_waiters().
			 */
			sn = ap_node_find_or_create(sup, NULL);
			if (!sn)
				continue;
			/* Pairs with ap_may_have_waiters(). */
			smp_mb();
			if (ap_probing_elsewhere(sup))
				ap_park_on(node, sn, false);
			ap_node_free_if_idle(sn);
		}
	}
	device_links_read_unlock(idx);
}

/*
 * The suppliers the plan learned for @node: each is waited for, by its
 * cookie, while its probe is queued or running in the framework (see
 * replay.c for why no other is).  Returns the number waited for.
 */
static unsigned int ap_consider_learned(struct ap_node *node, struct ap_deps *d,
					unsigned int *skipped)
{
	struct ap_plan_entry *e = node->plan;
	unsigned int i, waits = 0;
	struct ap_node *sn;

	for (i = 0; i < e->nafter; i++) {
		sn = e->after[i]->node;
		if (!sn || sn == node || sn->state != AP_QUEUED || !sn->cookie ||
		    ap_is_descendant(node->dev, sn->dev) ||
		    ap_is_descendant(sn->dev, node->dev)) {
			(*skipped)++;
			continue;
		}
		ap_wait_for(node, sn, d);
		waits++;
	}
	return waits;
}

/* Evaluate one node: park it, or queue it after its suppliers' cookies. */
static void ap_evaluate_one(struct ap_node *node)
{
	struct ap_deps *d = &ap_deps_scratch;
	unsigned int learned = 0, skipped = 0;
	struct ap_explicit *e;
	struct device *anc;
	struct ap_node *pn;

	lockdep_assert_held(&ap_lock);

	if (node->state != AP_PARKED || node->nparked)
		return;
	d->ncookies = 0;
	d->len = 0;
	d->more = 0;
	d->names[0] = '\0';
	for (anc = node->dev->parent; anc; anc = anc->parent) {
		pn = ap_node_find(anc);
		if (ap_in_flight(pn) && !node->no_ancestors &&
		    READ_ONCE(ap_ancestor_wait_ms))
			ap_park_on(node, pn, true);
	}
	list_for_each_entry(e, &node->explicit_sup, c_node)
		if (ap_in_flight(e->supplier))
			ap_wait_for(node, e->supplier, d);
	ap_consider_links(node, d);
	if (node->plan && !node->nparked)
		learned = ap_consider_learned(node, d, &skipped);

	if (node->nparked) {
		atomic_inc(&ap_stats.parked);
		ap_trace_park(node, node->nparked);
	} else {
		/* Counted once per queued probe, not per evaluation. */
		atomic_add(learned, &ap_stats.plan_waits);
		atomic_add(skipped, &ap_stats.plan_skipped);
		ap_deps_end(d);
		if (d->len || d->more)
			strscpy(node->deps, d->names, sizeof(node->deps));
		else
			node->deps[0] = '\0';
		ap_queue(node, d->cookies, d->ncookies);
	}
}

/**
 * ap_evaluate() - decide what a parked node waits for, and settle
 * @node: a node in state %AP_PARKED (or %NULL to only settle)
 *
 * Evaluates @node and every node whose evaluation this leads to.
 *
 * Context: ap_lock held; may sleep.
 */
void ap_evaluate(struct ap_node *node)
{
	lockdep_assert_held(&ap_lock);

	if (node && list_empty(&node->todo))
		list_add_tail(&node->todo, &ap_todo);
	while (!list_empty(&ap_todo)) {
		node = list_first_entry(&ap_todo, struct ap_node, todo);
		list_del_init(&node->todo);
		ap_evaluate_one(node);
		ap_node_free_if_idle(node);
	}
}

/*
 * Drop one parked edge; a consumer left with none is evaluated again (by
 * the next ap_evaluate()).  The supplier's node is the caller's to put.
 */
static void ap_drop_wait(struct ap_wait *w)
{
	struct ap_node *c = w->consumer;

	lockdep_assert_held(&ap_lock);
	list_del(&w->s_node);
	list_del(&w->c_node);
	kfree(w);
	if (!--c->nparked && list_empty(&c->todo))
		list_add_tail(&c->todo, &ap_todo);
}

/**
 * ap_release_waiters() - let the consumers parked on a node go on
 * @node: the supplier's node
 * @bound: the supplier is bound now (for the record only)
 *
 * Every consumer parked on @node loses that edge; one with no edge left
 * is evaluated again (by the next ap_evaluate()).
 *
 * Context: ap_lock held.
 */
void ap_release_waiters(struct ap_node *node, bool bound)
{
	struct ap_wait *w, *tmp;

	lockdep_assert_held(&ap_lock);

	list_for_each_entry_safe(w, tmp, &node->waiters, s_node) {
		ap_drop_wait(w);
		if (!bound)
			atomic_inc(&ap_stats.released);
	}
}

/**
 * ap_drop_stale_parks() - let go of consumers parked on a finished probe
 *
 * A consumer parks on an idle supplier only while that supplier probes
 * outside the framework, and the end of that probe releases it.  Should
 * such an end go unseen, the consumer would wait forever: this finds
 * parked edges to an idle supplier that is no longer probing, drops them
 * and evaluates the consumers again.  The barriers call it when they have
 * waited a second for nothing; each edge dropped is counted in
 * ap_stats.stale_parks and reported once.
 *
 * Context: ap_lock held; may sleep.
 * Return: the number of edges dropped.
 */
unsigned int ap_drop_stale_parks(void)
{
	struct ap_node *node, *sup;
	struct ap_wait *w, *tmp;
	unsigned int n = 0;

	lockdep_assert_held(&ap_lock);

	list_for_each_entry(node, &ap_nodes, inflight) {
		if (node->state != AP_PARKED)
			continue;
		list_for_each_entry_safe(w, tmp, &node->parked_on, c_node) {
			sup = w->supplier;
			if (sup->state != AP_IDLE || ap_probing_elsewhere(sup->dev))
				continue;
			pr_warn_once("async_probe: %s was left parked on %s, which is not probing; going on\n",
				     dev_name(node->dev), dev_name(sup->dev));
			ap_drop_wait(w);
			ap_node_free_if_idle(sup);
			n++;
		}
	}
	if (n) {
		atomic_add(n, &ap_stats.stale_parks);
		ap_evaluate(NULL);
	}
	return n;
}

/*
 * Whether the ancestor edge @w has waited long enough: for
 * ap_ancestor_wait_ms since both it was made and its ancestor's probe
 * started.  An ancestor whose probe has not started is waited for.
 */
static bool ap_ancestor_expired(struct ap_wait *w, ktime_t now)
{
	struct ap_node *sup = w->supplier;
	ktime_t from = w->since;

	/* Pairs with ap_probe_fn()'s release: t_start is set. */
	if (sup->state != AP_QUEUED || !smp_load_acquire(&sup->task))
		return false;
	if (ktime_after(sup->t_start, from))
		from = sup->t_start;
	return ktime_ms_delta(now, from) >= READ_ONCE(ap_ancestor_wait_ms);
}

/**
 * ap_drop_ancestor_waits() - stop a parked node waiting for its ancestors
 * @node: a parked node
 * @waiter: drop the edges to the ancestors whose probe this task runs, or
 *	%NULL to drop those that waited as long as they may
 *
 * A node that lost an ancestor edge waits for no ancestor any more, until
 * it is claimed again.  It is evaluated again by the next ap_evaluate().
 *
 * Context: ap_lock held.
 * Return: whether ancestor edges are left.
 */
bool ap_drop_ancestor_waits(struct ap_node *node, struct task_struct *waiter)
{
	struct ap_wait *w, *tmp;
	ktime_t now = ktime_get();
	bool left = false;

	lockdep_assert_held(&ap_lock);

	list_for_each_entry_safe(w, tmp, &node->parked_on, c_node) {
		if (!w->ancestor)
			continue;
		if (waiter ? READ_ONCE(w->supplier->task) != waiter :
			     !ap_ancestor_expired(w, now)) {
			left = true;
			continue;
		}
		node->no_ancestors = true;
		ap_drop_wait(w);	/* the ancestor is in flight: no put */
	}
	return left;
}

static void ap_ancestor_fn(struct work_struct *work)
{
	struct ap_node *node;
	bool left = false;

	mutex_lock(&ap_lock);
	list_for_each_entry(node, &ap_nodes, inflight)
		if (node->state == AP_PARKED && ap_drop_ancestor_waits(node, NULL))
			left = true;
	ap_evaluate(NULL);
	if (left)
		ap_ancestor_check_start();
	mutex_unlock(&ap_lock);
}

/**
 * ap_unpark() - drop the edges a parked node waits on
 * @node: the node
 *
 * Context: ap_lock held.
 */
void ap_unpark(struct ap_node *node)
{
	struct ap_wait *w, *tmp;

	lockdep_assert_held(&ap_lock);

	list_for_each_entry_safe(w, tmp, &node->parked_on, c_node) {
		list_del(&w->s_node);
		list_del(&w->c_node);
		ap_node_free_if_idle(w->supplier);
		kfree(w);
	}
	node->nparked = 0;
	list_del_init(&node->todo);
}

/**
 * ap_drop_explicit() - forget the declared dependencies of a node
 * @node: the node, consumer or supplier
 *
 * Context: ap_lock held.
 */
void ap_drop_explicit(struct ap_node *node)
{
	struct ap_explicit *e, *tmp;

	lockdep_assert_held(&ap_lock);

	list_for_each_entry_safe(e, tmp, &node->explicit_sup, c_node) {
		list_del(&e->c_node);
		list_del(&e->s_node);
		if (e->supplier != node)
			ap_node_free_if_idle(e->supplier);
		kfree(e);
	}
	list_for_each_entry_safe(e, tmp, &node->explicit_con, s_node) {
		list_del(&e->c_node);
		list_del(&e->s_node);
		if (e->consumer != node)
			ap_node_free_if_idle(e->consumer);
		kfree(e);
	}
}

/* Devices to look at in ap_depends_on(), and those seen (ap_lock). */
struct ap_walk {
	struct device **queue;
	unsigned int head, tail, size;
	struct xarray seen;
};

/* Queue @dev unless seen already; -ENOMEM if there is no room. */
static int ap_walk_add(struct ap_walk *w, struct device *dev)
{
	struct device **q;
	int ret;

	ret = xa_insert(&w->seen, (unsigned long)dev, dev, GFP_KERNEL);
	if (ret)
		return ret == -EBUSY ? 0 : ret;
	if (w->tail == w->size) {
		q = krealloc_array(w->queue, max(2 * w->size, 16U), sizeof(*q),
				   GFP_KERNEL);
		if (!q)
			return -ENOMEM;
		w->queue = q;
		w->size = max(2 * w->size, 16U);
	}
	w->queue[w->tail++] = dev;
	return 0;
}

/* Queue what @dev waits for: its parent, declared and linked suppliers. */
static int ap_walk_suppliers(struct ap_walk *w, struct device *dev)
{
	struct ap_node *node = ap_node_find(dev);
	struct device_link *link;
	struct ap_explicit *e;
	int idx, ret = 0;

	if (dev->parent)
		ret = ap_walk_add(w, dev->parent);
	if (node) {
		list_for_each_entry(e, &node->explicit_sup, c_node)
			ret = ret ?: ap_walk_add(w, e->supplier->dev);
	}
	idx = device_links_read_lock();
	list_for_each_entry_rcu(link, &dev->links.suppliers, c_node,
				device_links_read_lock_held()) {
		if (link->flags & DL_FLAG_MANAGED &&
		    !(link->flags & DL_FLAG_SYNC_STATE_ONLY))
			ret = ret ?: ap_walk_add(w, link->supplier);
	}
	device_links_read_unlock(idx);
	return ret;
}

/*
 * Whether @from already waits for @to, directly or through other devices:
 * an ancestor, a declared dependency or a managed device link.  Then a
 * dependency of @to on @from would make a cycle, and both devices would
 * wait for each other forever.
 *
 * Context: ap_lock held; may sleep.
 * Return: 1 if it does, 0 if not, -ENOMEM.
 */
static int ap_depends_on(struct device *from, struct device *to)
{
	struct ap_walk w = { };
	struct device *dev;
	int ret;

	lockdep_assert_held(&ap_lock);

	xa_init(&w.seen);
	ret = ap_walk_add(&w, from);
	while (!ret && w.head < w.tail) {
		dev = w.queue[w.head++];
		if (dev == to)
			ret = 1;
		else
			ret = ap_walk_suppliers(&w, dev);
	}
	xa_destroy(&w.seen);
	kfree(w.queue);
	return ret;
}

/**
 * async_probe_add_dependency() - order one device's probe after another's
 * @consumer: the device to probe second
 * @supplier: the device to probe first
 *
 * While a probe of @supplier is in flight in the framework, a probe of
 * @consumer that the framework runs waits for it to end.  Unlike a device
 * link, this does not require @supplier to bind: use it for ordering
 * that the driver core does not know about.  Both devices must be
 * registered; the dependency goes away with either of them, or with
 * async_probe_remove_dependency().
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for a device that is not registered or a device
 * depending on itself, -ELOOP if @supplier already waits for @consumer
 * (it is a descendant of @consumer, or depends on it through declared
 * dependencies or managed device links: the two would wait for each
 * other forever), -ENODEV for one being removed, -ENOMEM.
 */
int async_probe_add_dependency(struct device *consumer, struct device *supplier)
{
	struct ap_node *c, *s;
	struct ap_explicit *e;
	int ret = -ENOMEM;

	if (!consumer || !supplier || consumer == supplier ||
	    !device_is_registered(consumer) || !device_is_registered(supplier))
		return -EINVAL;

	mutex_lock(&ap_lock);
	if (consumer->p->dead || supplier->p->dead) {
		ret = -ENODEV;
		goto out;
	}
	ret = ap_depends_on(supplier, consumer);
	if (ret) {
		if (ret > 0) {
			dev_warn(consumer, "async_probe: not ordering after %s, which waits for this device already\n",
				 dev_name(supplier));
			ret = -ELOOP;
		}
		goto out;
	}
	ret = -ENOMEM;
	c = ap_node_find_or_create(consumer, NULL);
	s = c ? ap_node_find_or_create(supplier, NULL) : NULL;
	e = s ? kzalloc(sizeof(*e), GFP_KERNEL) : NULL;
	if (e) {
		e->consumer = c;
		e->supplier = s;
		list_add_tail(&e->c_node, &c->explicit_sup);
		list_add_tail(&e->s_node, &s->explicit_con);
		ret = 0;
	}
	if (s)
		ap_node_free_if_idle(s);
	if (c)
		ap_node_free_if_idle(c);
out:
	mutex_unlock(&ap_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(async_probe_add_dependency);

/**
 * async_probe_remove_dependency() - undo async_probe_add_dependency()
 * @consumer: the device probed second
 * @supplier: the device probed first
 *
 * A probe already queued keeps its order.
 *
 * Context: Process context; may sleep.
 */
void async_probe_remove_dependency(struct device *consumer,
				   struct device *supplier)
{
	struct ap_explicit *e, *tmp;
	struct ap_node *c, *s;

	mutex_lock(&ap_lock);
	c = ap_node_find(consumer);
	s = ap_node_find(supplier);
	if (c && s) {
		list_for_each_entry_safe(e, tmp, &c->explicit_sup, c_node) {
			if (e->supplier != s)
				continue;
			list_del(&e->c_node);
			list_del(&e->s_node);
			kfree(e);
		}
		ap_node_free_if_idle(s);
		ap_node_free_if_idle(c);
	}
	mutex_unlock(&ap_lock);
}
EXPORT_SYMBOL_GPL(async_probe_remove_dependency);
