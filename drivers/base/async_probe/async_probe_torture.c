// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe_torture - async_probe under random work, faults and races
 *
 * Modelled on the kernel's torture modules and built on kernel/torture.c.
 * For "duration" seconds, each of "nworkers" threads runs rounds: it makes
 * a random DAG of up to "ndevs" platform devices linked by managed device
 * links, registers them and its own asynchronous driver in a random order,
 * and injects faults into the probes (failure, -EPROBE_DEFER a random
 * number of times, a probe that sleeps past the hung-probe timeout).  In
 * some rounds it tears everything down again while the probes are parked,
 * queued or running; in the others it waits for the probes and checks:
 *
 *   - every device that can bind (it and all its suppliers do not fail)
 *     is bound exactly once, and no other device is bound;
 *   - at no time, teardowns included, is a device bound twice (a second
 *     successful probe without a remove in between);
 *   - no probe starts before each of its suppliers finished binding (the
 *     driver core's device links guarantee that much), and the framework
 *     never makes the driver core defer a probe for a supplier that was
 *     in flight when the probe was queued: such a probe must be queued
 *     after the supplier's (checked from the framework's tracepoints);
 *   - no probe runs after its device was unregistered;
 *   - when async_probe_wait_device() or async_probe_wait_all() returns,
 *     no probe it waits for is running;
 *   - the checker binds nothing the kernel would not retry by itself: a
 *     device left unbound after the barriers is attached by hand only
 *     while it waits on the deferred-probe list (it deferred after what
 *     turned out to be the round's last bind, which upstream never
 *     retries either); such repairs are counted, and so are devices left
 *     unbound because an allocation failure injected into the driver
 *     core's part of a probe (or a supplier's) failed it, which the
 *     kernel does not retry either ("excused").  A device lost any other
 *     way is a violation.
 *
 * Allocation failures are injected from outside: failslab and
 * fail_page_alloc, limited (require-start/require-end) to call chains
 * through the framework's code, make its queueing and dependency tracking
 * fail now and then.  A round in which a device or a link cannot be made
 * is torn down and counted as aborted, and its order is not checked.
 *
 * The result is one console line when the run ends:
 *
 *   async_probe_torture: done rounds=R aborted=A devices=D probes=P
 *	faults=F checks=C link_defers=L repairs=X excused=E violations=V
 *
 * (L: probes the driver core deferred on a device link, all of them
 * unavoidable, since an avoidable one is a violation.)
 *
 * and /sys/kernel/debug/async_probe_torture/result has the same fields,
 * one per line, plus "running=0|1".
 */
#include <linux/async_probe.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/torture.h>
#include <trace/events/async_probe.h>

#include "../base.h"
#include "internal.h"

#define APT_MAX_WORKERS	8
#define APT_MAX_DEVS	64
#define APT_MAX_SUP	3

static int duration = 60;
module_param(duration, int, 0444);
MODULE_PARM_DESC(duration, "seconds to run (default 60)");
static int nworkers = 2;
module_param(nworkers, int, 0444);
MODULE_PARM_DESC(nworkers, "worker threads (default 2, at most 8)");
static int ndevs = 24;
module_param(ndevs, int, 0444);
MODULE_PARM_DESC(ndevs, "most devices in one round (default 24, at most 64)");
static int fail_pct = 5;
module_param(fail_pct, int, 0444);
MODULE_PARM_DESC(fail_pct, "probes that fail with -EIO, percent (default 5)");
static int defer_pct = 10;
module_param(defer_pct, int, 0444);
MODULE_PARM_DESC(defer_pct, "probes that defer 1-3 times, percent (default 10)");
static int churn_pct = 30;
module_param(churn_pct, int, 0444);
MODULE_PARM_DESC(churn_pct, "rounds torn down while probing, percent (default 30)");
static int hang_ms = 2500;
module_param(hang_ms, int, 0444);
MODULE_PARM_DESC(hang_ms, "the one hanging probe of the run sleeps this long (default 2500, 0: none)");

/* How deep apt_excused() follows suppliers (a round has fewer devices). */
#define APT_MAX_DEPTH	64

/* Barrier and straggler passes before a round's outcome is judged. */
#define APT_CHECK_TRIES	12

/*
 * One device of a round.  The fields a probe writes are touched by one
 * probe at a time (the driver core holds the device lock around it);
 * @done is published with release semantics for the consumers' probes.
 */
struct apt_dev {
	struct platform_device *pdev;
	struct apt_round *round;
	unsigned int idx;
	unsigned int sup[APT_MAX_SUP];
	unsigned int nsup;
	unsigned int defer_left;
	bool fail, hang, expected;
	bool done;		/* bound: the probe returned 0 */
	bool dying;		/* being unregistered: its links may be gone */
	bool repaired;		/* attached by the checker (counted once) */
	bool gone;		/* unregistered */
	atomic_t running;	/* probes of this device running now */
	atomic_t binds;		/* successful probes */
	atomic_t unbinds;	/* removes: binds - unbinds is 0 or 1 */
	atomic_t own_fails;	/* probes that failed or deferred on purpose */
	atomic_t not_bound;	/* the driver core's "driver not bound" */
};

/*
 * One round of a worker: @defers says that a probe defers, after which the
 * driver core, not the framework, decides when it and its consumers run;
 * with @nolink, a consumer may legitimately probe before its supplier.
 */
struct apt_round {
	struct apt_worker *w;
	int fallbacks;		/* ap_stats.fallbacks when it began */
	bool defers;
	bool nolink;		/* a device link could not be made */
	unsigned int n;
	struct apt_dev devs[] __counted_by(n);
};

struct apt_worker {
	unsigned int id;
	char name[16];
	struct platform_driver drv;
	struct task_struct *task;
	struct torture_random_state rnd;
	struct apt_round *round;	/* the round whose devices exist */
};

static struct apt_worker *workers;
static struct dentry *apt_dir;
static atomic_t rounds, aborted, devices, probes, faults, checks, violations;
static atomic_t repairs;	/* deferred devices the checker attached */
static atomic_t excused;	/* unbound after an injected driver-core failure */
static atomic_t live;		/* workers still running rounds */
static bool apt_running;

/*
 * What the framework's tracepoints tell of each worker's devices, by
 * worker and device index: which probes are in flight (from their
 * async_probe_queue to their async_probe_end event), and, for each
 * device, which devices were in flight when it was queued and not among
 * those it was queued after (deps=).  The arrays are static: an event may
 * come while its round is being torn down.
 *
 * A probe can start, and defer, before ap_queue() has emitted its queue
 * event (never end: the framework emits the end event after the queue
 * event): its deferral is then judged when the queue event comes.  Not judged: a device queued
 * right after the framework could not record a wait or make an async call
 * (injected allocation failures: its view of the suppliers was not the
 * usual one), and a deferral on a supplier being unregistered.
 */
static DEFINE_SPINLOCK(apt_trace_lock);	/* everything below */
static unsigned long apt_busy[APT_MAX_WORKERS];
static unsigned long apt_queued[APT_MAX_WORKERS];	/* queue event seen */
static unsigned long apt_degraded[APT_MAX_WORKERS];
static unsigned long apt_dying[APT_MAX_WORKERS];
static unsigned long apt_unwaited[APT_MAX_WORKERS][APT_MAX_DEVS];
static int apt_pending[APT_MAX_WORKERS][APT_MAX_DEVS];	/* supplier + 1 */
/*
 * For the report of a violation: each registered device, and what the
 * driver core and the framework said of each supplier that a queued device
 * did not wait for, when it was queued (apt_state()).
 */
static struct device *apt_devs[APT_MAX_WORKERS][APT_MAX_DEVS];
static u8 apt_seen[APT_MAX_WORKERS][APT_MAX_DEVS][APT_MAX_DEVS];
static int apt_failures_seen;
static atomic_t link_defers;	/* deferrals on a device link */
static bool apt_traced;		/* the probes below are registered */

/* "aptort<w>.<i>": a device of worker w. */
static bool apt_parse(const char *name, unsigned int *w, unsigned int *i)
{
	return sscanf(name, "aptort%u.%u", w, i) == 2 &&
	       *w < APT_MAX_WORKERS && *i < APT_MAX_DEVS;
}

/*
 * links.status (high nibble), and the framework's node state (0-3, 4: no
 * node, 5: a node whose state was not read) plus 8 if a driver is set
 * (low nibble), of @dev; 0xff: none.  A node is freed under ap_lock, at
 * any time: its state is read only by a caller that knows ap_lock to be
 * held (the queue event's, which ap_queue() emits under it).  Read
 * racily: a report.
 */
static u8 apt_state(struct device *dev, bool ap_locked)
{
	struct ap_node *node;
	u8 st;

	if (!dev)
		return 0xff;
	node = READ_ONCE(dev->p->async_probe);
	st = !node ? 4 : ap_locked ? READ_ONCE(node->state) : 5;
	return READ_ONCE(dev->links.status) << 4 | st | (READ_ONCE(dev->driver) ? 8 : 0);
}

static void apt_judge(unsigned int w, unsigned int i, unsigned int s,
		      bool ap_locked)
{
	lockdep_assert_held(&apt_trace_lock);

	if (!(apt_unwaited[w][i] & BIT(s)) || apt_degraded[w] & BIT(i) ||
	    apt_dying[w] & BIT(s))
		return;
	atomic_inc(&violations);
	pr_err("async_probe_torture: VIOLATION worker %u device %u: deferred on supplier %u, which was in flight when it was queued (supplier state when queued 0x%02x, now 0x%02x)\n",
	       w, i, s, apt_seen[w][i][s], apt_state(apt_devs[w][s], ap_locked));
}

static void apt_trace_queue(void *data, const char *dev, const char *bus,
			    const char *drv, u64 cookie, const char *deps)
{
	int failures = atomic_read(&ap_stats.wait_nomem) +
		       atomic_read(&ap_stats.fallbacks);
	unsigned long waited = 0;
	unsigned int w, i, sw, s;
	const char *p;
	bool degraded;

	/* Every queue event, any device's: ap_lock orders them. */
	spin_lock(&apt_trace_lock);
	degraded = failures != apt_failures_seen;
	apt_failures_seen = failures;
	spin_unlock(&apt_trace_lock);
	if (!apt_parse(dev, &w, &i))
		return;
	for (p = deps; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (apt_parse(p, &sw, &s) && sw == w)
			waited |= BIT(s);
	spin_lock(&apt_trace_lock);
	apt_unwaited[w][i] = apt_busy[w] & ~waited & ~BIT(i);
	for (s = 0; s < APT_MAX_DEVS; s++)
		if (apt_unwaited[w][i] & BIT(s))
			apt_seen[w][i][s] = apt_state(apt_devs[w][s], true);
	apt_busy[w] |= BIT(i);
	apt_queued[w] |= BIT(i);
	if (degraded)
		apt_degraded[w] |= BIT(i);
	else
		apt_degraded[w] &= ~BIT(i);
	if (apt_pending[w][i]) {
		apt_judge(w, i, apt_pending[w][i] - 1, true);
		apt_pending[w][i] = 0;
	}
	spin_unlock(&apt_trace_lock);
}

static void apt_trace_end(void *data, const char *dev, const char *bus,
			  const char *drv, u64 cookie, int pid, int ret,
			  u64 usecs)
{
	unsigned int w, i;

	if (!apt_parse(dev, &w, &i))
		return;
	spin_lock(&apt_trace_lock);
	apt_busy[w] &= ~BIT(i);
	apt_queued[w] &= ~BIT(i);
	apt_pending[w][i] = 0;
	spin_unlock(&apt_trace_lock);
}

/* The reason is the driver core's, spaces made '_': "..._supplier_<dev>_not_ready". */
static void apt_trace_defer(void *data, const char *dev, const char *bus,
			    const char *drv, const char *reason)
{
	const char *p = strstr(reason, "_supplier_");
	unsigned int w, i, sw, s;

	if (!apt_parse(dev, &w, &i) || !p || !apt_parse(p + 10, &sw, &s) || sw != w)
		return;
	atomic_inc(&link_defers);
	spin_lock(&apt_trace_lock);
	if (apt_queued[w] & BIT(i))
		apt_judge(w, i, s, false);
	else
		apt_pending[w][i] = s + 1;
	spin_unlock(&apt_trace_lock);
}

/* Worker @w unregisters its device @i: deferrals on it are not judged. */
static void apt_trace_dying(unsigned int w, unsigned int i)
{
	spin_lock(&apt_trace_lock);
	apt_dying[w] |= BIT(i);
	apt_busy[w] &= ~BIT(i);
	apt_devs[w][i] = NULL;
	spin_unlock(&apt_trace_lock);
}

/* A new round of worker @w: its devices' indices start afresh. */
static void apt_trace_reset(unsigned int w)
{
	spin_lock(&apt_trace_lock);
	apt_busy[w] = 0;
	apt_queued[w] = 0;
	apt_degraded[w] = 0;
	apt_dying[w] = 0;
	memset(apt_unwaited[w], 0, sizeof(apt_unwaited[w]));
	memset(apt_pending[w], 0, sizeof(apt_pending[w]));
	memset(apt_devs[w], 0, sizeof(apt_devs[w]));
	spin_unlock(&apt_trace_lock);
}

static int apt_trace_register(void)
{
	int ret;

	BUILD_BUG_ON(APT_MAX_DEVS > BITS_PER_LONG);
	ret = register_trace_async_probe_queue(apt_trace_queue, NULL);
	if (ret)
		return ret;
	ret = register_trace_async_probe_end(apt_trace_end, NULL);
	if (ret)
		goto out_queue;
	ret = register_trace_async_probe_defer(apt_trace_defer, NULL);
	if (ret)
		goto out_end;
	apt_traced = true;
	return 0;

out_end:
	unregister_trace_async_probe_end(apt_trace_end, NULL);
out_queue:
	unregister_trace_async_probe_queue(apt_trace_queue, NULL);
	return ret;
}

static void apt_trace_unregister(void)
{
	if (!apt_traced)
		return;
	apt_traced = false;
	unregister_trace_async_probe_defer(apt_trace_defer, NULL);
	unregister_trace_async_probe_end(apt_trace_end, NULL);
	unregister_trace_async_probe_queue(apt_trace_queue, NULL);
	tracepoint_synchronize_unregister();
}

static void apt_violation(struct apt_dev *d, const char *what)
{
	atomic_inc(&violations);
	pr_err("async_probe_torture: VIOLATION worker %u device %u: %s\n",
	       d->round->w->id, d->idx, what);
}

/*
 * @done is written once, at the end of a successful probe, before the
 * driver core marks the device bound.
 */
static bool apt_bound(struct apt_dev *d)
{
	/* Pairs with the release in apt_probe(): the probe's work is seen. */
	return smp_load_acquire(&d->done);
}

static struct apt_dev *apt_dev_of(struct device *dev)
{
	struct apt_dev *const *pd = dev_get_platdata(dev);

	return pd ? *pd : NULL;
}

static int apt_probe(struct platform_device *pdev)
{
	struct apt_dev *d = apt_dev_of(&pdev->dev);
	struct apt_round *r = d->round;
	unsigned int i;
	int ret = 0;

	atomic_inc(&probes);
	if (READ_ONCE(d->gone))
		apt_violation(d, "probe after the device was unregistered");
	if (d->defer_left) {
		d->defer_left--;
		atomic_inc(&faults);
		atomic_inc(&d->own_fails);
		return -EPROBE_DEFER;
	}
	atomic_inc(&d->running);
	for (i = 0; i < d->nsup; i++) {
		struct apt_dev *s = &r->devs[d->sup[i]];

		atomic_inc(&checks);
		/* A supplier being removed takes its device links along. */
		if (!apt_bound(s) && !READ_ONCE(r->nolink) && !READ_ONCE(s->dying))
			apt_violation(d, "probe started before a supplier was bound");
	}
	if (d->fail) {
		atomic_inc(&faults);
		atomic_inc(&d->own_fails);
		ret = -EIO;
		goto out;
	}
	if (d->hang) {
		atomic_inc(&faults);
		msleep(hang_ms);
	} else {
		usleep_range(50, 50 + torture_random(&r->w->rnd) % 2000);
	}
	/*
	 * Bound again after an unbind is fine: in a teardown that removes a
	 * supplier first, its consumers are unbound and a probe request
	 * still queued for one may bind it again before it goes.
	 */
	if (atomic_inc_return(&d->binds) - atomic_read(&d->unbinds) > 1)
		apt_violation(d, "bound twice");
	/* Pairs with apt_bound(): publishes this probe's work. */
	smp_store_release(&d->done, true);
out:
	atomic_dec(&d->running);
	return ret;
}

static void apt_remove(struct platform_device *pdev)
{
	struct apt_dev *d = apt_dev_of(&pdev->dev);

	atomic_inc(&d->unbinds);
}

/* Link each device to its suppliers as it is added, before any probe. */
static int apt_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;
	struct apt_dev *d;
	unsigned int i;

	if ((action != BUS_NOTIFY_ADD_DEVICE &&
	     action != BUS_NOTIFY_DRIVER_NOT_BOUND) ||
	    strncmp(to_platform_device(dev)->name, "aptort", 6))
		return NOTIFY_DONE;
	d = apt_dev_of(dev);
	if (!d)
		return NOTIFY_DONE;
	if (action == BUS_NOTIFY_DRIVER_NOT_BOUND) {
		/* Counted before the probe's own failure would be. */
		atomic_inc(&d->not_bound);
		return NOTIFY_DONE;
	}
	for (i = 0; i < d->nsup; i++) {
		struct apt_dev *s = &d->round->devs[d->sup[i]];

		if (!device_link_add(dev, &s->pdev->dev, 0)) {
			/* The consumer may then probe early: not checkable. */
			WRITE_ONCE(d->round->nolink, true);
			pr_info("async_probe_torture: no link %u -> %u (no memory?)\n",
				d->idx, s->idx);
		}
	}
	return NOTIFY_DONE;
}

static struct notifier_block apt_nb = { .notifier_call = apt_notify };

static bool apt_has_sup(const struct apt_dev *d, unsigned int s)
{
	unsigned int i;

	for (i = 0; i < d->nsup; i++)
		if (d->sup[i] == s)
			return true;
	return false;
}

/* A random DAG: device i takes up to APT_MAX_SUP suppliers among 0..i-1. */
static struct apt_round *apt_new_round(struct apt_worker *w, bool with_hang)
{
	unsigned int n = 2 + torture_random(&w->rnd) % (ndevs - 1);
	struct apt_round *r;
	unsigned int i, j;

	r = kzalloc(struct_size(r, devs, n), GFP_KERNEL);
	if (!r)
		return NULL;
	r->n = n;
	r->w = w;
	r->fallbacks = atomic_read(&ap_stats.fallbacks);
	for (i = 0; i < n; i++) {
		struct apt_dev *d = &r->devs[i];

		d->round = r;
		d->idx = i;
		for (j = 0; i && j < APT_MAX_SUP; j++) {
			unsigned int s = torture_random(&w->rnd) % i;

			if (torture_random(&w->rnd) % 100 < 40 &&
			    !apt_has_sup(d, s))
				d->sup[d->nsup++] = s;
		}
		d->fail = torture_random(&w->rnd) % 100 < fail_pct;
		if (torture_random(&w->rnd) % 100 < defer_pct) {
			d->defer_left = 1 + torture_random(&w->rnd) % 3;
			r->defers = true;
		}
		d->expected = !d->fail;
		for (j = 0; j < d->nsup; j++)
			d->expected &= r->devs[d->sup[j]].expected;
	}
	if (with_hang)
		r->devs[0].hang = true;
	return r;
}

static int apt_add_device(struct apt_worker *w, struct apt_dev *d)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(w->name, d->idx);
	if (!pdev)
		return -ENOMEM;
	ret = platform_device_add_data(pdev, &d, sizeof(d));
	if (!ret)
		ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		return ret;
	}
	d->pdev = pdev;
	spin_lock(&apt_trace_lock);
	apt_devs[w->id][d->idx] = &pdev->dev;
	spin_unlock(&apt_trace_lock);
	atomic_inc(&devices);
	return 0;
}

static void apt_del_device(struct apt_dev *d)
{
	if (!d->pdev)
		return;
	apt_trace_dying(d->round->w->id, d->idx);
	WRITE_ONCE(d->dying, true);
	platform_device_unregister(d->pdev);
	d->pdev = NULL;
	WRITE_ONCE(d->gone, true);
}

/* Unregister the driver and the devices in one of several orders. */
static void apt_teardown(struct apt_worker *w, struct apt_round *r, bool drv)
{
	unsigned int i, start = torture_random(&w->rnd) % r->n;

	switch (torture_random(&w->rnd) % 3) {
	case 0:		/* the driver first: unbinds every device */
		if (drv)
			platform_driver_unregister(&w->drv);
		drv = false;
		fallthrough;
	case 1:		/* consumers before suppliers */
		for (i = r->n; i-- > 0;)
			apt_del_device(&r->devs[i]);
		break;
	default:	/* from a random device on: suppliers go first */
		for (i = 0; i < r->n; i++)
			apt_del_device(&r->devs[(start + i) % r->n]);
		break;
	}
	if (drv)
		platform_driver_unregister(&w->drv);
}

/*
 * Whether @d waits on the deferred-probe list: the kernel owes it a retry
 * at the next successful bind, which may not come in this round.
 */
static bool apt_deferred(struct apt_dev *d)
{
	return !list_empty_careful(&d->pdev->dev.p->deferred_probe);
}

/*
 * What the driver core and the framework know of a lost device (read
 * without their locks: this is a report, after the barriers).
 */
static void apt_explain(struct apt_dev *d)
{
	struct device *dev = &d->pdev->dev;
	struct ap_node *node = READ_ONCE(dev->p->async_probe);

	pr_err("async_probe_torture: device %u: driver=%s links.status=%d can_match=%d deferred=%d defer_left=%u node=%s%s again=%d\n",
	       d->idx, dev->driver ? dev->driver->name : "-", dev->links.status,
	       dev->can_match, apt_deferred(d), d->defer_left,
	       !node ? "none" : node->state == AP_PARKED ? "parked" :
	       node->state == AP_QUEUED ? "queued" : "idle",
	       node && node->handback ? " handback" : "",
	       node ? node->again : 0);
}

/*
 * Whether @d may stay unbound for a reason the kernel does not retry: an
 * allocation failure injected into the driver core's part of a probe
 * (driver_sysfs_add(), say) failed one of its attempts, or that of a
 * supplier.  The probe function itself did not fail as often as the
 * driver core reported "not bound".
 */
static bool apt_excused(struct apt_round *r, struct apt_dev *d, unsigned int depth)
{
	unsigned int i;

	if (atomic_read(&d->not_bound) > atomic_read(&d->own_fails))
		return true;
	for (i = 0; depth < APT_MAX_DEPTH && i < d->nsup; i++)
		if (apt_excused(r, &r->devs[d->sup[i]], depth + 1))
			return true;
	return false;
}

/* Wait for the round's probes and check what they left. */
static void apt_check(struct apt_worker *w, struct apt_round *r)
{
	unsigned int i, tries;
	bool all = torture_random(&w->rnd) & 1;

	for (tries = 0; tries < APT_CHECK_TRIES; tries++) {
		bool missing = false;

		if (all) {
			async_probe_wait_all();
		} else {
			for (i = 0; i < r->n; i++)
				async_probe_wait_device(&r->devs[i].pdev->dev);
		}
		for (i = 0; i < r->n; i++) {
			struct apt_dev *d = &r->devs[i];

			/*
			 * A device whose claim the framework declined (no
			 * memory when it was offered) is probed by the driver
			 * core synchronously, in the task that offered it (a
			 * registration, the deferred-probe work), which the
			 * framework's barriers do not wait for: not judged in
			 * a round with a fallback.  Once claimed, a device
			 * stays the framework's (ap_queue()), and is judged.
			 */
			if (tries == 0 && !r->defers &&
			    atomic_read(&ap_stats.fallbacks) == r->fallbacks) {
				atomic_inc(&checks);
				if (atomic_read(&d->running))
					apt_violation(d, "a barrier returned while its probe ran");
			}
			if (d->expected && !apt_bound(d))
				missing = true;
		}
		if (!missing)
			break;
		/*
		 * A device that deferred is retried when another device binds;
		 * the round's last one may wait for that forever.  Attach the
		 * stragglers on the deferred list, suppliers first, as a late
		 * retry would; any other is the framework's to bind.  A chain
		 * of devices that each defer up to 3 times needs a pass per
		 * deferral, and the deferred-probe work a moment to run.
		 */
		for (i = 0; i < r->n; i++) {
			struct apt_dev *d = &r->devs[i];

			if (!d->expected || apt_bound(d) || !apt_deferred(d))
				continue;
			if (!d->repaired) {
				d->repaired = true;
				atomic_inc(&repairs);
			}
			/* A failure here is judged by the next pass. */
			if (device_attach(&d->pdev->dev) < 0)
				pr_debug("async_probe_torture: %s: attach failed\n",
					 dev_name(&d->pdev->dev));
		}
		msleep(20);
	}
	for (i = 0; i < r->n; i++) {
		struct apt_dev *d = &r->devs[i];
		bool bound = apt_bound(d);

		atomic_inc(&checks);
		if (d->expected && !bound && apt_excused(r, d, 0)) {
			atomic_inc(&excused);
		} else if (d->expected && !bound) {
			apt_violation(d, "never bound, though it and its suppliers can");
			apt_explain(d);
		} else if (!d->expected && bound) {
			apt_violation(d, "bound, though it or a supplier fails");
		} else if (bound && atomic_read(&d->binds) != 1) {
			apt_violation(d, "not bound exactly once");
		}
	}
}

static void apt_round(struct apt_worker *w, bool with_hang)
{
	bool churn = torture_random(&w->rnd) % 100 < churn_pct;
	bool driver_first = torture_random(&w->rnd) & 1;
	bool drv = false, ok = true;
	struct apt_round *r;
	unsigned int i;

	r = apt_new_round(w, with_hang);
	if (!r) {
		atomic_inc(&aborted);
		return;
	}
	apt_trace_reset(w->id);
	WRITE_ONCE(w->round, r);
	if (driver_first) {
		ok = !platform_driver_register(&w->drv);
		drv = ok;
	}
	for (i = 0; ok && i < r->n; i++)
		ok = !apt_add_device(w, &r->devs[i]);
	if (ok && !driver_first) {
		ok = !platform_driver_register(&w->drv);
		drv = ok;
	}
	/* A missing device or link makes the round's outcome unknowable. */
	if (!ok || READ_ONCE(r->nolink)) {
		atomic_inc(&aborted);
		churn = true;
	}
	if (!churn)
		apt_check(w, r);
	else if (torture_random(&w->rnd) & 1)
		usleep_range(100, 3000);	/* let some probes start */
	apt_teardown(w, r, drv);
	WRITE_ONCE(w->round, NULL);
	atomic_inc(&rounds);
	kfree(r);
}

static void apt_report(void)
{
	pr_info("async_probe_torture: done rounds=%d aborted=%d devices=%d probes=%d faults=%d checks=%d link_defers=%d repairs=%d excused=%d violations=%d\n",
		atomic_read(&rounds), atomic_read(&aborted), atomic_read(&devices),
		atomic_read(&probes), atomic_read(&faults), atomic_read(&checks),
		atomic_read(&link_defers), atomic_read(&repairs),
		atomic_read(&excused), atomic_read(&violations));
	WRITE_ONCE(apt_running, false);
}

static int apt_worker_fn(void *arg)
{
	struct apt_worker *w = arg;
	unsigned long end = jiffies + duration * HZ;
	bool hang = w->id == 0 && hang_ms > 0;

	while (!torture_must_stop() && time_before(jiffies, end)) {
		apt_round(w, hang);
		hang = false;
		cond_resched();
	}
	if (atomic_dec_and_test(&live))
		apt_report();
	torture_kthread_stopping("apt_worker_fn");
	return 0;
}

static int apt_result_show(struct seq_file *m, void *v)
{
	seq_printf(m, "running=%d\nrounds=%d\naborted=%d\ndevices=%d\nprobes=%d\n",
		   READ_ONCE(apt_running), atomic_read(&rounds),
		   atomic_read(&aborted), atomic_read(&devices),
		   atomic_read(&probes));
	seq_printf(m, "faults=%d\nchecks=%d\nlink_defers=%d\nrepairs=%d\nexcused=%d\nviolations=%d\n",
		   atomic_read(&faults), atomic_read(&checks),
		   atomic_read(&link_defers), atomic_read(&repairs),
		   atomic_read(&excused), atomic_read(&violations));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(apt_result);

static void apt_cleanup(void)
{
	int i;

	if (torture_cleanup_begin())
		return;
	for (i = 0; workers && i < nworkers; i++)
		torture_stop_kthread(apt_worker_fn, workers[i].task);
	debugfs_remove_recursive(apt_dir);
	bus_unregister_notifier(&platform_bus_type, &apt_nb);
	apt_trace_unregister();
	kfree(workers);
	workers = NULL;
	torture_cleanup_end();
}

static int __init apt_init(void)
{
	int i, ret;

	if (duration < 1 || nworkers < 1 || nworkers > APT_MAX_WORKERS ||
	    ndevs < 2 || ndevs > APT_MAX_DEVS || fail_pct < 0 || fail_pct > 100 ||
	    defer_pct < 0 || defer_pct > 100 || churn_pct < 0 || churn_pct > 100 ||
	    hang_ms < 0) {
		pr_err("async_probe_torture: bad parameters (duration=%d nworkers=%d ndevs=%d fail_pct=%d defer_pct=%d churn_pct=%d hang_ms=%d)\n",
		       duration, nworkers, ndevs, fail_pct, defer_pct, churn_pct,
		       hang_ms);
		return -EINVAL;
	}
	if (!torture_init_begin("async_probe", true))
		return -EBUSY;
	workers = kcalloc(nworkers, sizeof(*workers), GFP_KERNEL);
	if (!workers) {
		ret = -ENOMEM;
		goto out;
	}
	ret = apt_trace_register();
	if (ret)
		goto out;
	ret = bus_register_notifier(&platform_bus_type, &apt_nb);
	if (ret)
		goto out;
	apt_dir = debugfs_create_dir("async_probe_torture", NULL);
	debugfs_create_file("result", 0444, apt_dir, NULL, &apt_result_fops);
	WRITE_ONCE(apt_running, true);
	atomic_set(&live, nworkers);
	for (i = 0; i < nworkers; i++) {
		struct apt_worker *w = &workers[i];

		w->id = i;
		snprintf(w->name, sizeof(w->name), "aptort%d", i);
		w->drv.probe = apt_probe;
		w->drv.remove = apt_remove;
		w->drv.driver.name = w->name;
		w->drv.driver.probe_type = PROBE_PREFER_ASYNCHRONOUS;
		torture_random_init(&w->rnd);
		ret = torture_create_kthread(apt_worker_fn, w, w->task);
		if (ret) {
			/* Those started run their course; account for the rest. */
			if (atomic_sub_and_test(nworkers - i, &live))
				apt_report();
			break;
		}
	}
	pr_info("async_probe_torture: running for %d s: nworkers=%d ndevs=%d fail_pct=%d defer_pct=%d churn_pct=%d hang_ms=%d\n",
		duration, nworkers, ndevs, fail_pct, defer_pct, churn_pct,
		hang_ms);
	torture_init_end();
	return 0;

out:
	torture_init_end();
	apt_cleanup();
	return ret;
}
module_init(apt_init);
module_exit(apt_cleanup);

MODULE_IMPORT_NS(ASYNC_PROBE_INTERNAL);
MODULE_DESCRIPTION("Torture test of async_probe: random graphs, faults and races");
MODULE_LICENSE("GPL");
