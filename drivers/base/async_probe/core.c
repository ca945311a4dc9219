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
 *    an async worker that takes the device (and parent) lock like the
 *    driver core's own async helpers, and rechecks there that the device
 *    is alive and unbound.
 *  - A device reference is held from the claim to the end of the probe.
 *  - Queued and running probes are async calls in a registered domain, so
 *    async_synchronize_full() and wait_for_device_probe() wait for them,
 *    and driver_probe_done() counts them.  Parked devices are waited for
 *    only through the in-flight suppliers they wait on.
 *  - If the framework cannot take a device (out of memory), the driver
 *    core's own asynchronous path runs it instead; nothing is lost.
 */
#include <linux/async.h>
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../base.h"
#include "internal.h"

ASYNC_DOMAIN(ap_domain);
struct ap_stats ap_stats;

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

static void ap_fallback_fn(struct work_struct *work)
{
	struct ap_node *node = container_of(work, struct ap_node, fallback);

	ap_probe_fn(node->dev, 0);
}

/**
 * ap_queue() - create the async call that probes a node
 * @node: a node in state %AP_PARKED with nothing left to park on
 * @deps: cookies of the suppliers in flight
 * @ndeps: how many
 *
 * If no async call can be made (no memory), the probe runs from a work
 * item embedded in the node instead, without waiting for its suppliers:
 * the driver core checks device links again when it runs, so it may
 * defer, but it is not lost.
 *
 * Context: ap_lock held; may sleep.
 * Return: 0, or the error that made it fall back.
 */
int ap_queue(struct ap_node *node, const async_cookie_t *deps,
	     unsigned int ndeps)
{
	int ret;

	lockdep_assert_held(&ap_lock);

	node->state = AP_QUEUED;
	node->t_queue = ktime_get();
	atomic_inc(&ap_inflight);
	ret = async_schedule_dev_after(ap_probe_fn, node->dev, &ap_domain,
				       deps, ndeps, &node->cookie);
	if (ret) {
		dev_warn_ratelimited(node->dev,
				     "async_probe: no async call (%d), probing without ordering\n",
				     ret);
		atomic_inc(&ap_stats.fallbacks);
		node->cookie = 0;
		INIT_WORK(&node->fallback, ap_fallback_fn);
		queue_work(system_unbound_wq, &node->fallback);
	}
	atomic_inc(&ap_stats.queued);
	ap_trace_queue(node);
	/* Consumers parked on this node can now wait for its cookie. */
	ap_release_waiters(node, false);
	ap_state_changed();
	return ret;
}

/*
 * The probe ran: count and record it (node->ret was set by
 * async_probe_result()), let the waiters go, drop the node.
 */
static void ap_finish(struct ap_node *node, ktime_t end)
{
	struct ap_record *rec = ap_history_record(node, node->ret, end);
	int ret;

	mutex_lock(&ap_lock);
	ret = node->ret;
	if (node->dev->driver)
		atomic_inc(&ap_stats.bound);
	else if (ret == -EPROBE_DEFER)
		atomic_inc(&ap_stats.deferred);
	else if (ret != -ENODEV)
		atomic_inc(&ap_stats.failed);
	ap_trace_end(node, ret, end);
	ap_history_add(rec);
	list_del_init(&node->inflight);
	node->state = AP_IDLE;
	WRITE_ONCE(node->task, NULL);
	node->drv = NULL;
	ap_release_waiters(node, !!node->dev->driver);
	/* Put first: evaluating the consumers may free an idle node. */
	ap_node_put(node);
	ap_evaluate(NULL);
	mutex_unlock(&ap_lock);
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

/* The async call: one probe of one device. */
static void ap_probe_fn(void *data, async_cookie_t cookie)
{
	struct device *dev = data;
	const struct device_driver *drv;
	struct ap_node *node;
	ktime_t end;

	/* The node stays while its probe is in flight; no ap_lock needed. */
	node = READ_ONCE(dev->p->async_probe);
	node->t_start = ktime_get();
	node->hung_reported = false;
	node->ret = -ENODEV;
	drv = node->drv;
	/* Publish the fields above: pairs with ap_hung_fn()'s acquire. */
	smp_store_release(&node->task, current);

	ap_trace_start(node);
	ap_running(1);
	ap_hung_check_start();
	atomic_inc(&ap_stats.probes);
	if (drv)
		driver_attach_async(dev, drv);
	else
		device_attach_async(dev);
	end = ktime_get();
	ap_running(-1);

	ap_finish(node, end);

	atomic_dec(&ap_inflight);
	ap_state_changed();
	ap_drop_device(dev);
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
 * Return: true if the framework will probe @dev; false if the driver core
 * must do it itself (framework off, or out of memory).
 */
bool async_probe_claim(struct device *dev, const struct device_driver *drv)
{
	struct ap_node *node, *spare;

	if (!ap_framework_active())
		return false;

	/*
	 * A driver matched (the driver core offers only matched devices):
	 * say so now, as a synchronous probe would have, not when the probe
	 * runs.  Otherwise, once all drivers are registered, device_add()
	 * takes the device for one that no driver wants and relaxes the
	 * fw_devlink links of its consumers, which may then probe first.
	 * The driver core writes this bit under the device lock.
	 */
	device_lock(dev);
	dev->can_match = true;
	device_unlock(dev);

	/* Most devices have no node yet: allocate it out of ap_lock. */
	spare = ap_node_alloc();
	mutex_lock(&ap_lock);
	if (dev->p->dead) {
		/* Being removed: the driver core's own path drops it. */
		mutex_unlock(&ap_lock);
		kfree(spare);
		return false;
	}
	node = ap_node_get(dev, &spare);
	if (!node) {
		mutex_unlock(&ap_lock);
		kfree(spare);
		atomic_inc(&ap_stats.fallbacks);
		return false;
	}
	if (node->state != AP_IDLE) {
		/* In flight already: that probe will look at this driver too. */
		mutex_unlock(&ap_lock);
		kfree(spare);
		return true;
	}
	ap_hold_device(dev);
	node->drv = drv;
	node->state = AP_PARKED;
	node->t_claim = ktime_get();
	list_add_tail(&node->inflight, &ap_nodes);
	atomic_inc(&ap_stats.claimed);
	ap_evaluate(node);
	mutex_unlock(&ap_lock);
	kfree(spare);
	return true;
}

/*
 * Whether the probe now ending is the framework's own (ap_finish() lets
 * the waiters go then), rather than one from outside it: a synchronous
 * attach, sysfs, or the deferred-probe work, which may run while the
 * framework also has the device parked or queued.
 */
static bool ap_own_probe(struct ap_node *node)
{
	lockdep_assert_held(&ap_lock);
	return node->state == AP_QUEUED && READ_ONCE(node->task) == current;
}

/*
 * The same, without ap_lock, for the hooks that every probe calls: the
 * node of @dev if the probe calling is the framework's own, else %NULL.
 * Nodes are freed after a grace period, and only the task running a
 * node's probe ever sets its @task to itself; a node returned stays
 * while that probe runs.
 */
static struct ap_node *ap_my_probe(struct device *dev)
{
	struct ap_node *node;

	rcu_read_lock();
	node = READ_ONCE(dev->p->async_probe);
	if (node && READ_ONCE(node->task) != current)
		node = NULL;
	rcu_read_unlock();
	return node;
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

	/* The framework's own probe: ap_finish() lets the waiters go. */
	if (ap_my_probe(dev))
		return;
	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && !ap_own_probe(node) && !list_empty(&node->waiters)) {
		ap_release_waiters(node, true);
		ap_node_put(node);
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
	node = ap_my_probe(dev);
	if (node) {
		/* Fields of the probing task's own (struct ap_node). */
		node->ret = ret;
		if (ret == -EPROBE_DEFER)
			ap_trace_defer(node, dev->p->deferred_probe_reason ?: "probe");
		return;
	}
	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && ret && !list_empty(&node->waiters)) {
		ap_release_waiters(node, false);
		ap_node_put(node);
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
	ap_node_put(node);
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

	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node) {
		ap_release_waiters(node, false);
		ap_drop_explicit(node);
		if (node->state == AP_PARKED)
			ap_cancel_parked(node);	/* may free node */
		else
			ap_node_put(node);
		ap_evaluate(NULL);
	}
	mutex_unlock(&ap_lock);
}

/* Is a probe with @drv queued or running, other than the caller's own? */
static bool ap_driver_busy(const struct device_driver *drv)
{
	struct ap_node *node;
	bool busy = false;

	mutex_lock(&ap_lock);
	list_for_each_entry(node, &ap_nodes, inflight) {
		if (node->drv == drv && !ap_own_probe(node)) {
			busy = true;
			break;
		}
	}
	mutex_unlock(&ap_lock);
	return busy;
}

/**
 * async_probe_driver_detach() - a driver is being removed
 * @drv: the driver
 *
 * Parked probes with @drv are dropped, and queued and running ones are
 * waited for, before @drv goes away.  driver_detach()'s own
 * async_synchronize_full() would not see a probe that runs from the
 * fallback work (no async call could be made for it), which would then
 * bind a device to the driver being removed.
 *
 * Context: Process context; sleeps.
 */
void async_probe_driver_detach(const struct device_driver *drv)
{
	struct ap_node *node, *tmp;
	int gen;

	mutex_lock(&ap_lock);
	list_for_each_entry_safe(node, tmp, &ap_nodes, inflight)
		if (node->state == AP_PARKED && node->drv == drv)
			ap_cancel_parked(node);
	ap_evaluate(NULL);
	mutex_unlock(&ap_lock);

	for (;;) {
		gen = atomic_read(&ap_generation);
		if (!ap_driver_busy(drv))
			break;
		wait_event(ap_state_wq, atomic_read(&ap_generation) != gen);
	}
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
	async_synchronize_full_domain(&ap_domain);
	wait_event(ap_state_wq, !atomic_read(&ap_inflight));
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
 * without one (parked, or probing from the fallback work).
 */
static async_cookie_t ap_device_cookie(struct device *dev, bool *parked)
{
	struct ap_node *node;
	async_cookie_t cookie = 0;

	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && node->state == AP_QUEUED)
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
 * framework.
 *
 * Context: Process context; sleeps.  Not from @dev's own probe.
 * Return: 0, or -EDEADLK when called from @dev's own probe.
 */
int async_probe_wait_device(struct device *dev)
{
	async_cookie_t cookie;
	bool parked;
	int gen;

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
			return 0;
	}
}
EXPORT_SYMBOL_GPL(async_probe_wait_device);

static bool ap_bus_busy(const struct bus_type *bus, async_cookie_t *cookie)
{
	struct ap_node *node;
	bool busy = false;

	*cookie = 0;
	mutex_lock(&ap_lock);
	list_for_each_entry(node, &ap_nodes, inflight) {
		if (node->dev->bus != bus)
			continue;
		busy = true;
		if (node->state == AP_QUEUED) {
			*cookie = node->cookie;
			break;
		}
	}
	mutex_unlock(&ap_lock);
	return busy;
}

/**
 * async_probe_wait_bus() - wait for the framework's probes on one bus
 * @bus: the bus
 *
 * Returns once no probe of a device on @bus is parked, queued or running
 * in the framework.
 *
 * Context: Process context; sleeps.
 */
void async_probe_wait_bus(const struct bus_type *bus)
{
	async_cookie_t cookie;
	int gen;

	for (;;) {
		gen = atomic_read(&ap_generation);
		if (!ap_bus_busy(bus, &cookie))
			return;
		if (cookie)
			async_synchronize_one(cookie);
		else
			ap_wait_state_change(gen);
	}
}
EXPORT_SYMBOL_GPL(async_probe_wait_bus);

/* Whether a probe of @dev holds its parent's lock (USB interfaces). */
static bool ap_locks_parent(struct device *dev)
{
	return dev->parent && dev->type && dev->type->need_parent_lock;
}

/*
 * Whether @n is a probe async_probe_wait_earlier() waits for on behalf of
 * @self, whose probe with @drv runs: one with the same driver, queued
 * before it (a lower cookie).  A probe from the device_add() path has no
 * driver until it runs: it counts if @drv matches its device.  A sibling
 * whose probe, like @self's, holds the parent's lock does not count: it
 * could not start before @self's probe returns.
 */
static bool ap_earlier_probe(struct ap_node *n, struct ap_node *self,
			     const struct device_driver *drv)
{
	struct device *dev = self->dev;

	lockdep_assert_held(&ap_lock);

	if (n == self || n->state != AP_QUEUED || !n->cookie ||
	    n->cookie >= self->cookie)
		return false;
	if (ap_locks_parent(dev) && ap_locks_parent(n->dev) &&
	    n->dev->parent == dev->parent)
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
 * caller must not hold a lock that the driver's other probes take.
 *
 * Context: Process context, from @dev's probe; sleeps.
 */
void async_probe_wait_earlier(struct device *dev)
{
	const struct device_driver *drv;
	struct ap_node *self, *n;
	async_cookie_t wait;

	do {
		wait = 0;
		mutex_lock(&ap_lock);
		self = ap_node_find(dev);
		drv = READ_ONCE(dev->driver);
		if (self && drv && ap_own_probe(self)) {
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

static void ap_hung_fn(struct work_struct *work)
{
	unsigned int timeout = READ_ONCE(ap_hung_timeout);
	const struct device_driver *drv;
	struct task_struct *task;
	struct ap_node *node;
	bool running = false;
	s64 ms;

	mutex_lock(&ap_lock);
	list_for_each_entry(node, &ap_nodes, inflight) {
		/* Pairs with ap_probe_fn()'s release: t_start is set. */
		task = node->state == AP_QUEUED ? smp_load_acquire(&node->task) : NULL;
		if (!task)
			continue;
		running = true;
		ms = ktime_ms_delta(ktime_get(), node->t_start);
		if (!timeout || node->hung_reported || ms < timeout * 1000LL)
			continue;
		node->hung_reported = true;
		atomic_inc(&ap_stats.hung);
		drv = READ_ONCE(node->dev->driver);
		pr_warn("async_probe: probe of %s (driver %s) has been running for %lld ms on %s/%d\n",
			dev_name(node->dev), drv ? drv->name : "-", ms,
			task->comm, task_pid_nr(task));
		sched_show_task(task);
	}
	if (running && timeout)
		schedule_delayed_work(&ap_hung_work, ap_hung_period());
	mutex_unlock(&ap_lock);
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
