// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe: dependency-aware parallel device probing
 *
 * Why: a driver that asks for asynchronous probing (PROBE_PREFER_
 * ASYNCHRONOUS) gets its probes run from async work, but the driver core
 * does not know what a probe needs first.  A consumer probed before its
 * supplier fails with -EPROBE_DEFER, waits on the deferred list, and is
 * retried after every later successful probe in the system: with
 * thousands of devices, boots end far after their critical path.
 *
 * The model: the driver core hands the framework the probes it would have
 * run asynchronously, from both attach paths (a driver registered after
 * its devices, a device added after its driver) and from deferred-probe
 * retries.  The framework finds each device's suppliers (deps.c) and runs
 * its probe from kernel/async.c as soon as they have finished, as an async
 * call that depends on their calls' cookies.  A device whose suppliers
 * have no cookie yet is parked, holding nothing but a small node.
 *
 * What callers may rely on:
 *  - The framework never probes under a lock of its own, and its hooks
 *    never probe: they queue work and return.  The probe itself runs in
 *    an async worker that takes the device (and parent) lock and probes
 *    the way the driver core's own attach paths do (see hooks.h), which
 *    check there that the device is alive and unbound.
 *  - A device reference is held from the claim to the end of the probe.
 *  - Queued and running probes are async calls in a registered domain, so
 *    async_synchronize_full() and wait_for_device_probe() wait for them,
 *    and driver_probe_done() counts them.  Parked devices are waited for
 *    only through the in-flight suppliers they wait on.
 *  - If the framework cannot take a device (out of memory), the driver
 *    core probes it synchronously; nothing is lost.  With the framework
 *    on, the driver core's own asynchronous helpers are not used.
 */
#include <linux/async.h>
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../base.h"
#include "internal.h"

ASYNC_DOMAIN(ap_domain);
struct ap_stats ap_stats;
/* async_probe_torture reads wait_nomem to tell injected failures apart. */
EXPORT_SYMBOL_NS_GPL(ap_stats, ASYNC_PROBE_INTERNAL);

/*
 * Probes queued or running; and a generation count of state changes, with
 * the wait queue of the barriers that wait for one.
 */
static atomic_t ap_inflight = ATOMIC_INIT(0);
static atomic_t ap_generation = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(ap_state_wq);

static void ap_probe_fn(void *data, async_cookie_t cookie);

static void ap_state_changed(void)
{
	atomic_inc(&ap_generation);
	/* Orders the count before the check, as wait_event() expects. */
	if (wq_has_sleeper(&ap_state_wq))
		wake_up_all(&ap_state_wq);
}

/*
 * The reference a node holds on its device from the claim to the end of
 * its probe (or its cancellation), counted in ap_stats.refs so that
 * debugfs and the torture can check that none is left.
 */
static void ap_hold_device(struct device *dev)
{
	get_device(dev);
	atomic_inc(&ap_stats.refs);
}

static void ap_drop_device(struct device *dev)
{
	atomic_dec(&ap_stats.refs);
	put_device(dev);
}

/*
 * No async call could be made for @node: give the probe back to the
 * driver core.  A node being claimed (@node->claiming, the only one whose
 * call may fail for want of memory: see ap_queue()) makes its claim
 * return false: the driver core then probes synchronously.  Any other
 * can only come here through a bug (a bad cookie): it is put on the
 * deferred-probe list, so that it is not lost, and its next claim is
 * declined.
 */
static void ap_hand_back(struct ap_node *node, int err)
{
	struct device *dev = node->dev;

	lockdep_assert_held(&ap_lock);

	dev_warn_ratelimited(dev, "async_probe: no async call (%d), leaving the probe to the driver core\n",
			     err);
	atomic_inc(&ap_stats.fallbacks);
	list_del_init(&node->inflight);
	node->state = AP_IDLE;
	node->drv = NULL;
	node->handback = true;
	/* Its consumers must not wait for a probe the framework will not run. */
	ap_release_waiters(node, false);
	ap_state_changed();
	if (WARN_ON_ONCE(!node->claiming)) {
		driver_deferred_probe_add(dev);
		driver_deferred_probe_trigger();
	}
	ap_drop_device(dev);
}

/**
 * ap_queue() - create the async call that probes a node
 * @node: a node in state %AP_PARKED with nothing left to park on
 * @deps: cookies of the suppliers in flight
 * @ndeps: how many
 *
 * Only the claim may still say no (async_probe_claim() returns false, and
 * the driver core probes the device itself, inside every barrier): if no
 * memory can be had for the call then, the probe is given back
 * (ap_hand_back()).  Any other node was promised a probe by an earlier
 * claim, and was parked; the probe is due now, in whatever context let it
 * go (a supplier's probe ending, a device removed), where nothing can run
 * it and no caller is left to hand it back to.  Giving it to the driver
 * core's deferred-probe work then would let every barrier return before
 * it ran, so its call is allocated with %__GFP_NOFAIL: about a kilobyte at
 * most (AP_MAX_COOKIES dependencies), the kind of allocation that does not
 * fail in practice, and that fault injection leaves alone.
 *
 * Context: ap_lock held; may sleep.
 * Return: 0, or the error that made it give the probe back.
 */
int ap_queue(struct ap_node *node, const async_cookie_t *deps,
	     unsigned int ndeps)
{
	gfp_t gfp = node->claiming ? GFP_KERNEL : GFP_KERNEL | __GFP_NOFAIL;
	struct device *dev = node->dev;
	int ret;

	lockdep_assert_held(&ap_lock);

	/* Set before the call can run: ap_probe_fn() does not take ap_lock. */
	node->state = AP_QUEUED;
	node->queue_traced = false;
	atomic_inc(&ap_inflight);
	ret = async_schedule_node_domain_after_prio(ap_probe_fn, dev, dev_to_node(dev),
						    &ap_domain,
						    node->plan ? node->plan->prio : 0,
						    deps, ndeps, &node->cookie, gfp);
	if (ret) {
		atomic_dec(&ap_inflight);
		ap_hand_back(node, ret);
		return ret;
	}
	atomic_inc(&ap_stats.queued);
	ap_trace_queue(node);
	/* Its end event may follow now: pairs with ap_probe_fn(). */
	smp_store_release(&node->queue_traced, true);
	/* Consumers parked on this node can now wait for its cookie. */
	ap_release_waiters(node, false);
	ap_state_changed();
	return 0;
}

/*
 * Whether a device whose probe just ended must be probed again: it is not
 * bound, and the driver core asked for it (a second driver registered, a
 * deferred-probe retry after some other device bound) after the probe had
 * started, too late for the probe to see it.  The driver core itself would
 * have blocked on the device lock and probed again; nothing else will.
 */
static bool ap_probe_again(struct ap_node *node)
{
	struct device *dev = node->dev;

	lockdep_assert_held(&ap_lock);
	return node->again && node->claims != node->claims_seen &&
	       !READ_ONCE(dev->driver) && !dev->p->dead;
}

/*
 * The probe ran: count and record it (node->ret was set by
 * async_probe_result(), node->t_end by its task), let the waiters go,
 * and either drop the node or, if the driver core asked for the device
 * again meanwhile, park it again for another probe.  Returns true in that
 * case: the node keeps its device reference.
 */
static bool ap_finish(struct ap_node *node)
{
	bool again;
	int ret;

	lockdep_assert_held(&ap_lock);

	ret = node->ret;
	if (node->dev->driver)
		atomic_inc(&ap_stats.bound);
	else if (ret == -EPROBE_DEFER)
		atomic_inc(&ap_stats.deferred);
	else if (ret != -ENODEV)
		atomic_inc(&ap_stats.failed);
	if (ret == -EPROBE_DEFER && node->plan && !node->dev->driver)
		atomic_inc(&ap_stats.plan_deferred);
	ap_history_add(node);
	again = ap_probe_again(node);
	if (again) {
		atomic_inc(&ap_stats.again);
		node->drv = node->again_drv;
		node->state = AP_PARKED;
	} else {
		list_del_init(&node->inflight);
		node->state = AP_IDLE;
		node->drv = NULL;
	}
	node->again = false;
	node->again_drv = NULL;
	ap_release_waiters(node, !!node->dev->driver);
	if (again) {
		ap_evaluate(node);
	} else {
		/* Put first: evaluating the consumers may free an idle node. */
		ap_node_free_if_idle(node);
		ap_evaluate(NULL);
	}
	return again;
}

/*
 * Probes that ended while ap_lock was taken.  Short probes end by the
 * hundred while the driver core's attach loop claims devices, and each
 * end needs ap_lock: the task that ran such a probe does not wait for the
 * lock.  It puts the node on ap_ended and makes sure that an ap_end_fn()
 * call is queued (ap_end_queued), which ends them all (ap_finish()).
 *
 * That call is an async call of a registered domain of its own, queued
 * while the probe's own call is still running: async_synchronize_full()
 * (wait_for_device_probe(), a module's init) waits for it, and so for
 * the consumers it lets go, exactly as if the probe's task had ended the
 * probe itself; and no max_active limit of ap_domain delays it behind the
 * probes it may have released.  Until it runs, the node is queued with a
 * cookie that is done: ap_inflight counts it, the barriers wait for it,
 * and a claim of the device is seen by ap_finish() as before.  It also
 * emits the end event of a probe that ended before its queue event was
 * emitted (ap_probe_fn()): that event's time stamp is then later than the
 * probe's end, which its duration still gives.
 */
static LLIST_HEAD(ap_ended);
static atomic_t ap_end_queued = ATOMIC_INIT(0);
static ASYNC_DOMAIN(ap_end_domain);

/* Nodes ended per hold of ap_lock: their device references are put after. */
#define AP_END_BATCH	16

/* Its name is in async_probe_log.h (ASYNC_PROBE_CALL_END): bootgraph reads it. */
static void ap_end_fn(void *data, async_cookie_t cookie)
{
	struct device *put[AP_END_BATCH];
	struct llist_node *list;
	struct ap_node *node;
	unsigned int i, n;

	/*
	 * Cleared before the list is taken, with a full barrier: a node added
	 * after this queues another call.  Pairs with ap_end_later().
	 */
	atomic_xchg(&ap_end_queued, 0);
	list = llist_reverse_order(llist_del_all(&ap_ended));
	while (list) {
		n = 0;
		mutex_lock(&ap_lock);
		for (i = 0; list && i < AP_END_BATCH; i++) {
			node = llist_entry(list, struct ap_node, ended);
			list = list->next;
			if (!node->end_traced)
				ap_trace_end(node);
			/* ap_finish() may free the node. */
			put[n] = node->dev;
			if (!ap_finish(node))
				n++;
			atomic_dec(&ap_inflight);
		}
		mutex_unlock(&ap_lock);
		ap_state_changed();
		while (n)
			ap_drop_device(put[--n]);
	}
}

/* Leave the end of @node's probe to ap_end_fn(): ap_lock is taken. */
static void ap_end_later(struct ap_node *node)
{
	llist_add(&node->ended, &ap_ended);
	/*
	 * A full barrier (pairs with ap_end_fn()): either the call queued
	 * finds the node, or this queues another.  Without memory for the
	 * call, ap_end_fn() runs here and waits for ap_lock.
	 */
	if (!atomic_xchg(&ap_end_queued, 1))
		async_schedule_domain(ap_end_fn, NULL, &ap_end_domain);
}

static void ap_running(int delta)
{
	int now = atomic_add_return(delta, &ap_stats.running);
	int max = atomic_read(&ap_stats.max_running);

	while (now > max) {
		int old = atomic_cmpxchg(&ap_stats.max_running, max, now);

		if (old == max)
			break;
		max = old;
	}
}

/*
 * The async call: one probe of one device.  Its name is in
 * async_probe_log.h (ASYNC_PROBE_CALL_PROBE): bootgraph reads it.
 */
static void ap_probe_fn(void *data, async_cookie_t cookie)
{
	struct device *dev = data;
	const struct device_driver *drv;
	struct ap_node *node;
	bool again, locked;

	/* The node stays while its probe is in flight; no ap_lock needed. */
	node = READ_ONCE(dev->p->async_probe);
	node->t_start = ktime_get();
	node->hung_reported = false;
	node->ret = -ENODEV;
	/*
	 * A claim that came before this sees its driver tried now; one that
	 * comes later, after @drv was read, is seen by ap_finish().  Pairs
	 * with the release in ap_claim_in_flight().
	 */
	node->claims_seen = smp_load_acquire(&node->claims);
	drv = READ_ONCE(node->drv);
	/* Publish the fields above: pairs with ap_hung_fn()'s acquire. */
	smp_store_release(&node->task, current);

	ap_trace_start(node);
	ap_running(1);
	ap_hung_check_start();
	atomic_inc(&ap_stats.probes);
	/*
	 * A reason left from an earlier attempt (the device may wait on the
	 * deferred-probe list) must not be taken for this one's, which may
	 * defer without giving one.
	 */
	device_clear_deferred_probe_reason(dev);
	if (drv)
		driver_attach_device(dev, drv);
	else
		device_attach_async(dev);
	node->t_end = ktime_get();
	node->pid = task_pid_nr(current);
	ap_running(-1);
	/*
	 * The probe may have started, and ended, before ap_queue() emitted
	 * its queue event: its end event must come after that one, which was
	 * emitted under ap_lock.  So it is emitted with ap_lock held, or once
	 * the queue event has been; otherwise ap_end_fn() emits it.
	 */
	locked = mutex_trylock(&ap_lock);
	/* Pairs with the release in ap_queue(). */
	node->end_traced = locked || smp_load_acquire(&node->queue_traced);
	if (node->end_traced)
		ap_trace_end(node);
	/* The probe is over: the hung-probe watchdog looks at it no more. */
	WRITE_ONCE(node->task, NULL);

	if (!locked) {
		ap_end_later(node);	/* @node and @dev may go at once */
		return;
	}
	again = ap_finish(node);
	mutex_unlock(&ap_lock);

	atomic_dec(&ap_inflight);
	ap_state_changed();
	if (!again)
		ap_drop_device(dev);
}

/*
 * The driver core offers a device whose probe is in flight already: with
 * @drv (%NULL: any asynchronous driver).  A probe that has not read its
 * driver yet tries this one too; one that has is run again if it does not
 * bind (ap_probe_again()).
 */
static void ap_claim_in_flight(struct ap_node *node,
			       const struct device_driver *drv)
{
	lockdep_assert_held(&ap_lock);

	if (node->drv != drv)
		WRITE_ONCE(node->drv, NULL);
	if (!node->again)
		node->again_drv = drv;
	else if (node->again_drv != drv)
		node->again_drv = NULL;
	node->again = true;
	/* Orders the driver before the count: see ap_probe_fn(). */
	smp_store_release(&node->claims, node->claims + 1);
}

/*
 * If a probe of @dev is in flight in the framework, hand it this request
 * too (ap_claim_in_flight()) and return true.  Only devices with a node
 * take ap_lock here; most have none.
 */
static bool ap_claim_if_in_flight(struct device *dev,
				  const struct device_driver *drv)
{
	struct ap_node *node;
	bool busy = false;

	if (!READ_ONCE(dev->p->async_probe))
		return false;
	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && node->state != AP_IDLE && !dev->p->dead) {
		ap_claim_in_flight(node, drv);
		busy = true;
	}
	mutex_unlock(&ap_lock);
	return busy;
}

/*
 * The claim of a node given back to the driver core (ap_hand_back())
 * declines: the driver core probes the device itself.  Returns false, the
 * claim's answer.
 */
static bool ap_take_back(struct ap_node *node)
{
	lockdep_assert_held(&ap_lock);
	node->handback = false;
	ap_node_free_if_idle(node);
	return false;
}

/**
 * async_probe_active() - do the driver core's asynchronous probes come here?
 *
 * While this is true, the driver core offers every probe it would run
 * asynchronously to async_probe_claim(), and runs one that the framework
 * declines synchronously; its own asynchronous helpers serve the other
 * modes (stock: upstream's behaviour).
 *
 * Context: Any context.
 * Return: true in the modes on and all.
 */
bool async_probe_active(void)
{
	return ap_framework_active();
}

/**
 * async_probe_claim() - take a probe the driver core would run asynchronously
 * @dev: the device, registered
 * @drv: the driver to probe it with, or %NULL for any asynchronous driver
 *	of its bus
 *
 * Called from __driver_attach() and __device_attach() with no lock held.
 *
 * Context: Process context; may sleep.
 * Return: true if the framework will probe @dev (or a probe of @dev is in
 * flight, which will look at @drv too, or it is bound already); false if
 * the driver core must probe it itself, synchronously (framework off, out
 * of memory, or the device is being removed).
 */
bool async_probe_claim(struct device *dev, const struct device_driver *drv)
{
	struct ap_node *node, *spare;
	struct ap_plan_entry *plan;
	bool ret = true;

	if (!ap_framework_active())
		return false;
	/*
	 * A probe of @dev in flight already takes the request over, without
	 * waiting for the device lock that the probe may hold.
	 */
	if (ap_claim_if_in_flight(dev, drv))
		return true;

	/*
	 * A driver matched (the driver core offers only matched devices):
	 * say so now, as a synchronous probe would have, not when the probe
	 * runs.  Otherwise, once all drivers are registered, device_add()
	 * takes the device for one that no driver wants and relaxes the
	 * fw_devlink links of its consumers, which may then probe first.
	 * The driver core writes this bit under the device lock, and only
	 * once the device is ready to probe (see __driver_probe_device()).
	 */
	device_lock(dev);
	if (dev->driver) {
		/* Bound meanwhile: the driver core would do nothing either. */
		device_unlock(dev);
		return true;
	}
	if (dev_ready_to_probe(dev))
		dev->can_match = true;
	device_unlock(dev);

	/*
	 * Most devices have no node yet: allocate it out of ap_lock.  One
	 * that has (a parked consumer's supplier) most likely keeps it.
	 */
	spare = READ_ONCE(dev->p->async_probe) ? NULL : ap_node_alloc();
	plan = ap_replay_lookup(dev);
	mutex_lock(&ap_lock);
	if (dev->p->dead) {
		/* Being removed: the driver core's own path drops it. */
		ret = false;
		goto out;
	}
	node = ap_node_find_or_create(dev, &spare);
	if (!node) {
		atomic_inc(&ap_stats.fallbacks);
		ret = false;
		goto out;
	}
	if (node->state != AP_IDLE) {
		ap_claim_in_flight(node, drv);
		goto out;
	}
	if (node->handback) {
		/* Given back (ap_hand_back()): the driver core probes it. */
		ret = ap_take_back(node);
		goto out;
	}
	ap_hold_device(dev);
	node->drv = drv;
	node->again = false;
	node->again_drv = NULL;
	node->no_ancestors = false;
	node->state = AP_PARKED;
	node->claimed = jiffies;
	ap_replay_claimed(node, plan);
	list_add_tail(&node->inflight, &ap_nodes);
	atomic_inc(&ap_stats.claimed);
	node->claiming = true;
	ap_evaluate(node);
	node->claiming = false;
	if (node->handback)
		ret = ap_take_back(node);
out:
	mutex_unlock(&ap_lock);
	kfree(spare);
	return ret;
}

/*
 * Whether the probe now ending is the framework's own (ap_finish() lets
 * the waiters go then), rather than one from outside it: a synchronous
 * attach, sysfs, or the deferred-probe work, which may run while the
 * framework also has the device parked or queued.
 */
static bool ap_node_probing_here(struct ap_node *node)
{
	lockdep_assert_held(&ap_lock);
	return node->state == AP_QUEUED && READ_ONCE(node->task) == current;
}

/*
 * The same, without ap_lock, for the hooks that every probe calls: the
 * node of @dev if the probe calling is the framework's own, else %NULL.
 * The task is running ap_probe_fn() for @dev then, and the node stays
 * while that call runs: the hook needs no lock, and does not look at
 * the node of a probe that is not its own, which may be freed at any
 * time.
 */
static struct ap_node *ap_node_if_probing_here(struct device *dev)
{
	if (current_async_data(ap_probe_fn) != dev)
		return NULL;
	return READ_ONCE(dev->p->async_probe);
}

/*
 * Whether consumers may be parked on @dev, which the driver core has just
 * marked bound, or no longer probing, in its links.status.  Without a
 * node there are none, and the hook needs no ap_lock: a consumer parks on
 * a device probing outside the framework only after publishing its node
 * and then seeing it still probing (ap_consider_links()).  The barrier
 * pairs with the one there: either this sees the node, or that sees the
 * new status.
 */
static bool ap_may_have_waiters(struct device *dev)
{
	/* Orders the new links.status before the look at the node. */
	smp_mb();
	return !!READ_ONCE(dev->p->async_probe);
}

/**
 * async_probe_attempt() - a probe attempt begins
 * @dev: the device
 *
 * Called from __driver_probe_device() just before the driver's probe, in
 * every mode and on every path: the plan records it (plan.c).
 *
 * Context: Process context; device lock held.
 */
void async_probe_attempt(struct device *dev)
{
	ap_plan_attempt(dev);
}

/**
 * async_probe_bound() - a device was bound to a driver
 * @dev: the device
 *
 * Called from driver_bound(), with the device lock held.  Consumers parked
 * on a device probing outside the framework can go on.
 *
 * Context: Process context; device lock held.
 */
void async_probe_bound(struct device *dev)
{
	struct ap_node *node;

	ap_plan_bound(dev);
	/* The framework's own probe: ap_finish() lets the waiters go. */
	if (ap_node_if_probing_here(dev) || !ap_may_have_waiters(dev))
		return;
	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && !ap_node_probing_here(node) && !list_empty(&node->waiters)) {
		ap_release_waiters(node, true);
		ap_node_free_if_idle(node);
		ap_evaluate(NULL);
	}
	mutex_unlock(&ap_lock);
}

/**
 * async_probe_result() - a probe attempt returned
 * @dev: the device
 * @ret: what driver_probe_device() returns
 *
 * Records the result of the framework's own probes.  For a device probing
 * outside the framework that did not bind, the consumers parked on it are
 * evaluated again, which sends them down the deferred-probe path.
 *
 * Context: Process context; device lock held.
 */
void async_probe_result(struct device *dev, int ret)
{
	struct ap_node *node;

	if (ret > 0)
		ret = -ret;
	atomic_inc(&ap_stats.attempts_all);
	if (ret == -EPROBE_DEFER)
		atomic_inc(&ap_stats.defers_all);
	ap_plan_result(dev, ret);
	node = ap_node_if_probing_here(dev);
	if (node) {
		/* Fields of the probing task's own (struct ap_node). */
		node->ret = ret;
		if (ret == -EPROBE_DEFER)
			ap_trace_defer(node);
		return;
	}
	if (!ret || !ap_may_have_waiters(dev))
		return;
	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && !list_empty(&node->waiters)) {
		ap_release_waiters(node, false);
		ap_node_free_if_idle(node);
		ap_evaluate(NULL);
	}
	mutex_unlock(&ap_lock);
}

/**
 * ap_inflight_count() - framework probes queued or running
 *
 * Context: Any context.
 * Return: their number.
 */
int ap_inflight_count(void)
{
	return atomic_read(&ap_inflight);
}

/**
 * async_probe_busy() - are framework probes queued or running?
 *
 * Context: Any context.
 * Return: true while any is.
 */
bool async_probe_busy(void)
{
	return atomic_read(&ap_inflight) > 0;
}

/* Stop waiting for anything, and forget about the probe. */
static void ap_cancel_parked(struct ap_node *node)
{
	struct device *dev = node->dev;

	lockdep_assert_held(&ap_lock);

	ap_unpark(node);
	/* Its consumers must not wait for a probe that will not come. */
	ap_release_waiters(node, false);
	list_del_init(&node->inflight);
	node->state = AP_IDLE;
	node->drv = NULL;
	ap_state_changed();
	ap_node_free_if_idle(node);
	ap_drop_device(dev);
}

/**
 * async_probe_device_del() - a device is being removed
 * @dev: the device, already marked dead
 *
 * A parked probe of @dev is dropped; a queued or running one finds the
 * device dead and does nothing.  Consumers parked on @dev are evaluated
 * again, and dependencies declared on it are forgotten.
 *
 * Context: Process context; may sleep.
 */
void async_probe_device_del(struct device *dev)
{
	struct ap_node *node;

	ap_plan_device_del(dev);
	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node) {
		node->handback = false;
		ap_release_waiters(node, false);
		ap_drop_explicit(node);
		if (node->state == AP_PARKED)
			ap_cancel_parked(node);	/* may free node */
		else
			ap_node_free_if_idle(node);
		ap_evaluate(NULL);
	}
	mutex_unlock(&ap_lock);
}

/*
 * Drop the parked probes with @drv; return whether one with @drv is queued
 * or running, other than the caller's own.  A probe in flight that would
 * be run again with @drv (ap_probe_again()) is run again with any driver
 * of the bus instead, which no longer finds @drv: @drv has left the bus's
 * list before driver_detach(), and a later probe with it could bind a
 * device after driver_detach() has looked at it.
 */
static bool ap_driver_busy(const struct device_driver *drv)
{
	struct ap_node *node, *tmp;
	bool busy = false;

	mutex_lock(&ap_lock);
	list_for_each_entry_safe(node, tmp, &ap_nodes, inflight) {
		if (node->again_drv == drv)
			node->again_drv = NULL;
		if (node->drv != drv)
			continue;
		if (node->state == AP_PARKED)
			ap_cancel_parked(node);
		else if (!ap_node_probing_here(node))
			busy = true;
	}
	ap_evaluate(NULL);
	mutex_unlock(&ap_lock);
	return busy;
}

/**
 * async_probe_driver_detach() - a driver is being removed
 * @drv: the driver
 *
 * Parked probes with @drv are dropped, and queued and running ones are
 * waited for, before @drv goes away; a probe with @drv that ends by being
 * parked again (ap_probe_again()) is dropped then.  Probes given back to
 * the driver core (ap_hand_back()) are its own to wait for.
 *
 * Context: Process context; sleeps.
 */
void async_probe_driver_detach(const struct device_driver *drv)
{
	ktime_t start = ap_trace_wait_start();
	int gen;

	for (;;) {
		gen = atomic_read(&ap_generation);
		if (!ap_driver_busy(drv))
			break;
		wait_event(ap_state_wq, atomic_read(&ap_generation) != gen);
	}
	ap_trace_wait("driver", start);
}

/**
 * async_probe_wait_all() - wait for every queued and running probe
 *
 * Parked probes are waited for only once the suppliers they wait for
 * have queued them.
 *
 * Context: Process context; sleeps.
 */
void async_probe_wait_all(void)
{
	ktime_t start = ap_trace_wait_start();

	async_synchronize_full_domain(&ap_domain);
	wait_event(ap_state_wq, !atomic_read(&ap_inflight));
	ap_trace_wait("all", start);
}
EXPORT_SYMBOL_GPL(async_probe_wait_all);

/*
 * Wait until the framework's state changes after generation @gen; after a
 * second without a change, look for consumers left parked by mistake.
 */
static void ap_wait_state_change(int gen)
{
	if (wait_event_timeout(ap_state_wq, atomic_read(&ap_generation) != gen, HZ))
		return;
	mutex_lock(&ap_lock);
	ap_drop_stale_parks();
	mutex_unlock(&ap_lock);
}

/*
 * The cookie of @dev's probe in flight, 0 if none; whether it is in flight
 * without one (parked, or its probe returned and waits for ap_end_fn()).
 */
static async_cookie_t ap_device_cookie(struct device *dev, bool *parked)
{
	struct ap_node *node;
	async_cookie_t cookie = 0;

	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	/* A probe that returned is in flight until ap_end_fn() ends it. */
	if (node && node->state == AP_QUEUED && !async_cookie_done(node->cookie))
		cookie = node->cookie;
	*parked = node && node->state != AP_IDLE && !cookie;
	mutex_unlock(&ap_lock);
	return cookie;
}

/**
 * async_probe_wait_device() - wait for the framework's probe of a device
 * @dev: the device
 *
 * Returns once no probe of @dev is parked, queued or running in the
 * framework.  Called from the probe of an ancestor of @dev, it lets @dev
 * go without waiting for that probe to end.
 *
 * Context: Process context; sleeps.  Not from @dev's own probe.
 * Return: 0, or -EDEADLK when called from @dev's own probe.
 */
int async_probe_wait_device(struct device *dev)
{
	ktime_t start = ap_trace_wait_start();
	async_cookie_t cookie;
	struct ap_node *node;
	bool parked;
	int gen;

	/* From an ancestor's probe: @dev must not wait for that probe. */
	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && node->state == AP_PARKED) {
		ap_drop_ancestor_waits(node, current);
		ap_evaluate(NULL);
	}
	mutex_unlock(&ap_lock);

	for (;;) {
		gen = atomic_read(&ap_generation);
		cookie = ap_device_cookie(dev, &parked);
		if (cookie && cookie == current_async_cookie())
			return -EDEADLK;
		if (cookie)
			async_synchronize_one(cookie);
		else if (parked)
			ap_wait_state_change(gen);
		else
			break;
	}
	ap_trace_wait("device", start);
	return 0;
}
EXPORT_SYMBOL_GPL(async_probe_wait_device);

/* Whether a probe of @dev holds its parent's lock (USB interfaces). */
static bool ap_locks_parent(struct device *dev)
{
	return dev->parent && dev->type && dev->type->need_parent_lock;
}

/**
 * ap_is_descendant() - whether a device is below another in the device tree
 * @dev: the device
 * @ancestor: the other
 *
 * Context: Any context; @dev's parents must stay (a reference or a lock).
 * Return: true if @ancestor is a parent of @dev, or a parent's parent...
 */
bool ap_is_descendant(struct device *dev, struct device *ancestor)
{
	for (dev = dev->parent; dev; dev = dev->parent)
		if (dev == ancestor)
			return true;
	return false;
}

/*
 * Whether @n is a probe async_probe_wait_earlier() waits for on behalf of
 * @self, whose probe with @drv runs: one with the same driver, queued
 * before it (a lower cookie), that has not returned yet.  A probe from
 * the device_add() path has no driver until it runs: it counts if @drv
 * matches its device.  Probes that could not start before @self's
 * returns do not count: a sibling whose probe, like @self's, holds the
 * parent's lock, and a descendant of @self (its probe may hold @self's
 * lock, and it may wait for @self's probe by the ancestor rule).
 */
static bool ap_earlier_probe(struct ap_node *n, struct ap_node *self,
			     const struct device_driver *drv)
{
	struct device *dev = self->dev;

	lockdep_assert_held(&ap_lock);

	if (n == self || n->state != AP_QUEUED || !n->cookie ||
	    n->cookie >= self->cookie || async_cookie_done(n->cookie))
		return false;
	if (ap_locks_parent(dev) && ap_locks_parent(n->dev) &&
	    n->dev->parent == dev->parent)
		return false;
	if (ap_is_descendant(n->dev, dev))
		return false;
	if (n->drv)
		return n->drv == drv;
	return n->dev->bus == drv->bus && driver_match_device(drv, n->dev) > 0;
}

/**
 * async_probe_wait_earlier() - keep what a driver's probes make visible in
 *	order
 * @dev: the device whose probe is running
 *
 * From a probe the framework runs, waits until every framework probe with
 * the same driver that was queued before this one has returned.  A driver
 * calls it just before the part of its probe whose order others see
 * (registering a disk whose index becomes its name, say), so that its
 * devices get names in the order in which they were queued while the slow
 * part still runs in parallel.  Probes of other drivers are not waited for.
 * Does nothing when @dev's probe does not run from the framework.  The
 * caller must not hold a lock that the driver's other probes take.  Each
 * waiting probe keeps its worker: a driver with more devices than the
 * async workqueue has workers (256) should not call it.
 *
 * Context: Process context, from @dev's probe; sleeps.
 */
void async_probe_wait_earlier(struct device *dev)
{
	ktime_t start = ap_trace_wait_start();
	const struct device_driver *drv;
	struct ap_node *self, *n;
	async_cookie_t wait;

	do {
		wait = 0;
		mutex_lock(&ap_lock);
		self = ap_node_find(dev);
		drv = READ_ONCE(dev->driver);
		if (self && drv && ap_node_probing_here(self)) {
			list_for_each_entry(n, &ap_nodes, inflight)
				if (ap_earlier_probe(n, self, drv) &&
				    (!wait || n->cookie < wait))
					wait = n->cookie;
		}
		mutex_unlock(&ap_lock);
		/*
		 * Cannot wait for itself: an earlier entry only ever waits for
		 * entries earlier still (a dependency names an older cookie),
		 * and no parent lock this probe holds is one it needs (see
		 * ap_earlier_probe()).  async_synchronize_one() tells lockdep.
		 */
		if (wait)
			async_synchronize_one(wait);
	} while (wait);
	ap_trace_wait("earlier", start);
}
EXPORT_SYMBOL_GPL(async_probe_wait_earlier);

/*
 * The hung-probe watchdog: while probes run, look at them every quarter
 * of the timeout, and report each one that has run longer than that, once
 * per run, with its stack.  It never stops a probe.
 */
static void ap_hung_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ap_hung_work, ap_hung_fn);

static unsigned long ap_hung_period(void)
{
	return max_t(unsigned long, msecs_to_jiffies(ap_hung_timeout * 1000) / 4, 1);
}

/* One hung-probe report, gathered under ap_lock and printed after it. */
struct ap_hung_report {
	struct task_struct *task;
	char dev[64];
	char drv[64];
	s64 ms;
};

#define AP_HUNG_REPORTS	4	/* per pass; the rest wait for the next */

static void ap_hung_fn(struct work_struct *work)
{
	struct ap_hung_report r[AP_HUNG_REPORTS];
	unsigned int timeout = READ_ONCE(ap_hung_timeout);
	const struct device_driver *drv;
	unsigned int i, nr = 0;
	struct task_struct *task;
	struct ap_node *node;
	bool running = false;
	s64 ms;

	mutex_lock(&ap_lock);
	/*
	 * ap_lock does not keep a task that ran a probe: it clears
	 * node->task without it, and may then exit (an idle kworker).  The
	 * task is freed an RCU grace period after that: one still found
	 * here under rcu_read_lock() can be held.
	 */
	rcu_read_lock();
	list_for_each_entry(node, &ap_nodes, inflight) {
		/* Pairs with ap_probe_fn()'s release: t_start is set. */
		task = node->state == AP_QUEUED ? smp_load_acquire(&node->task) : NULL;
		if (!task)
			continue;
		running = true;
		ms = ktime_ms_delta(ktime_get(), node->t_start);
		if (!timeout || node->hung_reported || ms < timeout * 1000LL ||
		    nr == AP_HUNG_REPORTS)
			continue;
		node->hung_reported = true;
		drv = READ_ONCE(node->dev->driver);
		r[nr].task = get_task_struct(task);
		strscpy(r[nr].dev, dev_name(node->dev), sizeof(r[nr].dev));
		strscpy(r[nr].drv, drv ? drv->name : "-", sizeof(r[nr].drv));
		r[nr++].ms = ms;
	}
	rcu_read_unlock();
	if (running && timeout)
		schedule_delayed_work(&ap_hung_work, nr == AP_HUNG_REPORTS ?
				      1 : ap_hung_period());
	mutex_unlock(&ap_lock);

	/* The console may be slow: no lock is held while printing. */
	for (i = 0; i < nr; i++) {
		atomic_inc(&ap_stats.hung);
		pr_warn("async_probe: probe of %s (driver %s) has been running for %lld ms on %s/%d\n",
			r[i].dev, r[i].drv, r[i].ms, r[i].task->comm,
			task_pid_nr(r[i].task));
		sched_show_task(r[i].task);
		put_task_struct(r[i].task);
	}
}

/**
 * ap_hung_check_start() - make sure the watchdog looks at running probes
 *
 * A check already scheduled is brought forward when it would come later
 * than one period from now (hung_timeout was lowered meanwhile), and left
 * alone otherwise, so that frequent probe starts cannot keep pushing it
 * back.
 *
 * Context: Any context.
 */
void ap_hung_check_start(void)
{
	unsigned long period;

	if (!READ_ONCE(ap_hung_timeout))
		return;
	period = ap_hung_period();
	if (!delayed_work_pending(&ap_hung_work) ||
	    time_after(READ_ONCE(ap_hung_work.timer.expires), jiffies + period))
		mod_delayed_work(system_wq, &ap_hung_work, period);
}
