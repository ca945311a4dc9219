// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the async_probe scheduling and dependency logic, on
 * platform devices of the test's own drivers.  Probes record their start
 * and end on one sequence counter, so orders are checked exactly.  Every
 * wait is bounded.
 */
#include <kunit/platform_device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/async_probe_log.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <trace/events/async_probe.h>

#include "../../../kernel/async_internal.h"
#include "internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define WAIT	(10 * HZ)

static atomic_t seq;
static atomic_t running, max_running;

/*
 * What the framework did with each test device, counted from its own
 * tracepoints by the id in the device's name ("ap-kunit<...>.<id>"), so
 * that devices probing elsewhere in the system while the tests run do not
 * count: framework probe attempts that ended, those that ended deferred,
 * and parks.
 */
#define TDEV_IDS	8
static atomic_t ends[TDEV_IDS], defers[TDEV_IDS], parks[TDEV_IDS];
static char defer_reason[TDEV_IDS][64];	/* of the last deferral */
static DEFINE_SPINLOCK(defer_reason_lock);

static int tdev_id(const char *dev)
{
	const char *dot = strrchr(dev, '.');
	unsigned int id;

	if (strncmp(dev, "ap-kunit", 8) || !dot || kstrtouint(dot + 1, 10, &id) ||
	    id >= TDEV_IDS)
		return -1;
	return id;
}

static void count_end(void *data, const char *dev, const char *bus,
		      const char *drv, u64 cookie, int pid, int ret, u64 usecs)
{
	int id = tdev_id(dev);

	if (id < 0)
		return;
	atomic_inc(&ends[id]);
	if (ret == -EPROBE_DEFER)
		atomic_inc(&defers[id]);
}

static void count_defer(void *data, const char *dev, const char *bus,
			const char *drv, const char *reason)
{
	int id = tdev_id(dev);

	if (id < 0)
		return;
	spin_lock(&defer_reason_lock);
	strscpy(defer_reason[id], reason, sizeof(defer_reason[id]));
	spin_unlock(&defer_reason_lock);
}

/* The supplier list of the last queue event of "ap-kunit.16". */
static char queue_deps[AP_DEPS_NAMES];

static void count_queue(void *data, const char *dev, const char *bus,
			const char *drv, u64 cookie, const char *deps)
{
	if (strcmp(dev, "ap-kunit.16"))
		return;
	spin_lock(&defer_reason_lock);
	strscpy(queue_deps, deps, sizeof(queue_deps));
	spin_unlock(&defer_reason_lock);
}

static void count_park(void *data, const char *dev, const char *bus,
		       const char *drv, unsigned int waiting)
{
	int id = tdev_id(dev);

	if (id >= 0)
		atomic_inc(&parks[id]);
}

struct tdev {
	unsigned int sleep_us;
	struct completion *release;	/* the probe waits for it */
	struct completion *started;	/* the probe completes it */
	bool wait_earlier;		/* call async_probe_wait_earlier() */
	int start, end;
	int visible;			/* after async_probe_wait_earlier() */
	int ret;			/* what the probe returns */
	unsigned int defer_left;	/* return -EPROBE_DEFER this often first */
	struct tdev *until;		/* and until this one's probe has ended */
	const char *defer_why;		/* with this reason, the first time */
	atomic_t attempts;
	atomic_t rejects;		/* tprobe_reject() calls */
	struct task_struct *task;	/* that ran the last probe */
	bool was_async;			/* that task ran an async call */
};

/* Platform data is copied and freed with the device: carry a pointer. */
struct tdev_pdata {
	struct tdev *t;
};

static int tprobe(struct platform_device *pdev)
{
	struct tdev_pdata *pd = dev_get_platdata(&pdev->dev);
	struct tdev *t = pd->t;
	int now = atomic_inc_return(&running), max;

	do {
		max = atomic_read(&max_running);
	} while (now > max && atomic_cmpxchg(&max_running, max, now) != max);
	atomic_inc(&t->attempts);
	if (t->defer_left) {
		const char *why = t->defer_why;

		t->defer_left--;
		t->defer_why = NULL;
		atomic_dec(&running);
		if (why)
			return dev_err_probe(&pdev->dev, -EPROBE_DEFER, "%s\n", why);
		return -EPROBE_DEFER;
	}
	if (t->until && !READ_ONCE(t->until->end)) {
		atomic_dec(&running);
		return -EPROBE_DEFER;
	}
	t->start = atomic_inc_return(&seq);
	t->task = current;
	t->was_async = current_is_async();
	if (t->started)
		complete(t->started);
	if (t->sleep_us)
		usleep_range(t->sleep_us, t->sleep_us + 100);
	if (t->release)
		wait_for_completion_timeout(t->release, WAIT);
	if (t->wait_earlier)
		async_probe_wait_earlier(&pdev->dev);
	t->visible = atomic_inc_return(&seq);
	t->end = atomic_inc_return(&seq);
	atomic_dec(&running);
	return t->ret;
}

static struct platform_driver async_drv = {
	.probe = tprobe,
	.driver = {
		.name = "ap-kunit",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

/* A second asynchronous driver, to attach some devices later. */
static struct platform_driver async_drv_b = {
	.probe = tprobe,
	.driver = {
		.name = "ap-kunit-b",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

/*
 * Two asynchronous drivers for one device id, the way a generic and a
 * specific driver share a PCI or HDA id: the first one registered is tried
 * first, and rejects the device (after waiting for t->release, if set).
 */
static int tprobe_reject(struct platform_device *pdev)
{
	struct tdev_pdata *pd = dev_get_platdata(&pdev->dev);
	struct tdev *t = pd->t;

	atomic_inc(&t->rejects);
	if (t->started)
		complete(t->started);
	if (t->release)
		wait_for_completion_timeout(t->release, WAIT);
	return -ENODEV;
}

static const struct platform_device_id two_ids[] = {
	{ "ap-kunit-two" },
	{}
};

static struct platform_driver reject_drv = {
	.probe = tprobe_reject,
	.id_table = two_ids,
	.driver = {
		.name = "ap-kunit-reject",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

static struct platform_driver accept_drv = {
	.probe = tprobe,
	.id_table = two_ids,
	.driver = {
		.name = "ap-kunit-accept",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

/*
 * A parent whose probe adds a child device and waits for the child's
 * probe, with a completion (@explicit false) or async_probe_wait_device().
 */
struct parent_ctx {
	struct tdev child_t;
	struct platform_device *child;
	struct completion child_probed;
	bool explicit;
	bool child_bound;		/* when the parent's wait returned */
	int wait_ret;
	s64 wait_ms;			/* how long the parent waited */
};

static struct parent_ctx *parent_ctx;

static int tprobe_child(struct platform_device *pdev)
{
	atomic_inc(&parent_ctx->child_t.attempts);
	complete(&parent_ctx->child_probed);
	return 0;
}

static struct platform_driver child_drv = {
	.probe = tprobe_child,
	.driver = {
		.name = "ap-kunit-child",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

static int tprobe_parent(struct platform_device *pdev)
{
	struct parent_ctx *ctx = parent_ctx;
	ktime_t t0 = ktime_get();

	ctx->child = platform_device_register_data(&pdev->dev, "ap-kunit-child", 0,
						   NULL, 0);
	if (IS_ERR(ctx->child))
		return PTR_ERR(ctx->child);
	if (ctx->explicit)
		ctx->wait_ret = async_probe_wait_device(&ctx->child->dev);
	else if (!wait_for_completion_timeout(&ctx->child_probed, 5 * HZ))
		ctx->wait_ret = -ETIMEDOUT;
	ctx->wait_ms = ktime_ms_delta(ktime_get(), t0);
	ctx->child_bound = READ_ONCE(ctx->child->dev.driver) == &child_drv.driver;
	return 0;
}

static struct platform_driver parent_drv = {
	.probe = tprobe_parent,
	.driver = {
		.name = "ap-kunit-parent",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

static void parent_waits_for_child(struct kunit *test, bool explicit)
{
	struct parent_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct platform_device *parent;
	unsigned int wait_ms = READ_ONCE(ap_ancestor_wait_ms);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&ctx->child_probed);
	ctx->explicit = explicit;
	parent_ctx = ctx;
	/* Waiting out the bound would take a minute: the call must not. */
	if (explicit)
		WRITE_ONCE(ap_ancestor_wait_ms, 60 * 1000);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &child_drv), 0);
	parent = kunit_platform_device_alloc(test, "ap-kunit-parent", 0);
	KUNIT_ASSERT_NOT_NULL(test, parent);
	KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, parent), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &parent_drv), 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&parent->dev), 0);
	WRITE_ONCE(ap_ancestor_wait_ms, wait_ms);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(parent->dev.driver), &parent_drv.driver);
	KUNIT_EXPECT_EQ(test, ctx->wait_ret, 0);
	KUNIT_EXPECT_TRUE(test, ctx->child_bound);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->child_t.attempts), 1);
	if (explicit)
		KUNIT_EXPECT_LT(test, ctx->wait_ms, 30 * 1000);
	if (!IS_ERR_OR_NULL(ctx->child))
		platform_device_unregister(ctx->child);
}

/*
 * A parent's probe that waits for the probe of a child it added is not
 * hung by the rule that a device waits for its ancestors' probes: the
 * child probes after ancestor_wait_ms at most...
 */
static void ap_test_parent_waits_for_child(struct kunit *test)
{
	parent_waits_for_child(test, false);
}

/* ...and at once when the parent waits with async_probe_wait_device(). */
static void ap_test_parent_waits_for_child_explicitly(struct kunit *test)
{
	parent_waits_for_child(test, true);
}

/* Bound only through device_driver_attach(), as sysfs "bind" does. */
static struct platform_driver manual_drv = {
	.probe = tprobe,
	.driver = {
		.name = "ap-kunit-manual",
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

static struct platform_driver sync_drv = {
	.probe = tprobe,
	.driver = {
		.name = "ap-kunit-sync",
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

static struct platform_device *tdev_add(struct kunit *test, const char *name, int id,
					struct tdev *t, struct device *parent)
{
	struct tdev_pdata pd = { .t = t };
	struct platform_device *pdev;

	pdev = kunit_platform_device_alloc(test, name, id);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_EQ(test, platform_device_add_data(pdev, &pd, sizeof(pd)), 0);
	pdev->dev.parent = parent;
	KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, pdev), 0);
	return pdev;
}

static void link(struct kunit *test, struct platform_device *con,
		 struct platform_device *sup)
{
	KUNIT_ASSERT_NOT_NULL(test, device_link_add(&con->dev, &sup->dev,
						    DL_FLAG_AUTOREMOVE_CONSUMER));
}

/* Register the async driver and wait until @last has probed. */
static void probe_all(struct kunit *test, struct platform_device *last)
{
	DECLARE_COMPLETION_ONSTACK(done);
	int ret;

	ret = kunit_platform_device_prepare_wait_for_probe(test, last, &done);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&done, WAIT), 0);
}

/* Each device probed by the framework once, never deferred. */
static void expect_probed_once(struct kunit *test, struct tdev *t, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ends[i]), 1, "device %d", i);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&defers[i]), 0, "device %d", i);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&t[i].attempts), 1, "device %d", i);
	}
}

static int ap_test_suite_init(struct kunit_suite *suite)
{
	int ret;

	ret = register_trace_async_probe_end(count_end, NULL);
	if (!ret)
		ret = register_trace_async_probe_park(count_park, NULL);
	if (!ret)
		ret = register_trace_async_probe_defer(count_defer, NULL);
	if (!ret)
		ret = register_trace_async_probe_queue(count_queue, NULL);
	return ret;
}

static void ap_test_suite_exit(struct kunit_suite *suite)
{
	unregister_trace_async_probe_queue(count_queue, NULL);
	unregister_trace_async_probe_defer(count_defer, NULL);
	unregister_trace_async_probe_park(count_park, NULL);
	unregister_trace_async_probe_end(count_end, NULL);
	tracepoint_synchronize_unregister();
}

static int ap_test_init(struct kunit *test)
{
	int i;

	if (!ap_framework_active())
		kunit_skip(test, "async_probe mode is not on or all");
	atomic_set(&running, 0);
	atomic_set(&max_running, 0);
	for (i = 0; i < TDEV_IDS; i++) {
		atomic_set(&ends[i], 0);
		atomic_set(&defers[i], 0);
		atomic_set(&parks[i], 0);
		defer_reason[i][0] = '\0';
	}
	return 0;
}

/*
 * Device links order the probes: a chain probes strictly in order, each
 * device once, none deferred.
 */
static void ap_test_links_order_probes(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	struct platform_device *a, *b, *c;

	t[0].sleep_us = 20000;
	t[1].sleep_us = 10000;
	a = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	b = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	c = tdev_add(test, "ap-kunit", 2, &t[2], NULL);
	link(test, c, b);
	link(test, b, a);
	probe_all(test, c);
	async_probe_wait_all();
	KUNIT_EXPECT_GT(test, t[1].start, t[0].end);
	KUNIT_EXPECT_GT(test, t[2].start, t[1].end);
	/*
	 * The order above is the driver core's (a link defers a consumer
	 * whose supplier is not bound); the framework's part is that no
	 * probe was attempted before its supplier bound.
	 */
	expect_probed_once(test, t, 3);
}

/* A child waits for its parent's probe. */
static void ap_test_parent_orders_child(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	struct platform_device *parent, *child;

	t[0].sleep_us = 20000;
	parent = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	child = tdev_add(test, "ap-kunit", 1, &t[1], &parent->dev);
	probe_all(test, child);
	KUNIT_EXPECT_GT(test, t[1].start, t[0].end);
}

/*
 * Any ancestor in flight orders a device, not only its parent: here the
 * parent has no driver at all, and the grandparent's probe is slow.
 */
static void ap_test_ancestor_orders_grandchild(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	struct platform_device *gp, *mid, *gc;

	t[0].sleep_us = 20000;
	gp = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	mid = tdev_add(test, "ap-kunit-none", 0, &t[1], &gp->dev);
	gc = tdev_add(test, "ap-kunit", 1, &t[2], &mid->dev);
	probe_all(test, gc);
	KUNIT_EXPECT_GT(test, t[2].start, t[0].end);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 0);
}

/* A declared dependency orders two devices the driver core does not link. */
static void ap_test_explicit_dependency(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	struct platform_device *a, *b;

	t[0].sleep_us = 20000;
	a = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	b = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	KUNIT_ASSERT_EQ(test, async_probe_add_dependency(&b->dev, &a->dev), 0);
	KUNIT_EXPECT_EQ(test, async_probe_add_dependency(&b->dev, &b->dev), -EINVAL);
	probe_all(test, b);
	KUNIT_EXPECT_GT(test, t[1].start, t[0].end);
	async_probe_remove_dependency(&b->dev, &a->dev);
}

/*
 * A consumer waiting for more suppliers than its queue event has room to
 * name: the event names whole devices only, then counts the others
 * ("ap-kunit.0,...,+6"), so that bootgraph never reads a cut name as
 * a supplier.
 */
static void ap_test_queue_names_whole_suppliers(struct kunit *test)
{
	enum { NSUP = 16 };
	struct tdev *t = kunit_kcalloc(test, NSUP + 1, sizeof(*t), GFP_KERNEL);
	struct platform_device *sup[NSUP], *con;
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(done);
	unsigned int id, named = 0, more = 0, seen = 0;
	char deps[AP_DEPS_NAMES], *p = deps, *item;
	int i, ret;

	spin_lock(&defer_reason_lock);
	queue_deps[0] = '\0';
	spin_unlock(&defer_reason_lock);
	for (i = 0; i < NSUP; i++) {
		t[i].release = &release;
		sup[i] = tdev_add(test, "ap-kunit", i, &t[i], NULL);
	}
	con = tdev_add(test, "ap-kunit", NSUP, &t[NSUP], NULL);
	for (i = 0; i < NSUP; i++)
		KUNIT_ASSERT_EQ(test, async_probe_add_dependency(&con->dev, &sup[i]->dev), 0);
	ret = kunit_platform_device_prepare_wait_for_probe(test, con, &done);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	/* The suppliers hold on until the consumer has been queued. */
	for (i = 0; i < 500 && !READ_ONCE(queue_deps[0]); i++)
		msleep(20);
	complete_all(&release);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&done, WAIT), 0);

	spin_lock(&defer_reason_lock);
	strscpy(deps, queue_deps, sizeof(deps));
	spin_unlock(&defer_reason_lock);
	kunit_info(test, "deps=%s\n", deps);
	while ((item = strsep(&p, ","))) {
		if (item[0] == ASYNC_PROBE_LOG_MORE) {
			KUNIT_EXPECT_NULL_MSG(test, p, "%s: the count is last", item);
			KUNIT_EXPECT_EQ(test, kstrtouint(item + 1, 10, &more), 0);
		} else if (sscanf(item, "ap-kunit.%u", &id) == 1 && id < NSUP &&
			   !strcmp(item, dev_name(&sup[id]->dev)) && !(seen & BIT(id))) {
			seen |= BIT(id);
			named++;
		} else {
			KUNIT_FAIL(test, "\"%s\" is not a supplier named once", item);
		}
	}
	KUNIT_EXPECT_GT(test, named, 0);
	KUNIT_EXPECT_GT(test, more, 0);
	KUNIT_EXPECT_EQ(test, named + more, NSUP);
	for (i = 0; i < NSUP; i++)
		async_probe_remove_dependency(&con->dev, &sup[i]->dev);
}

/*
 * async_probe_wait_earlier() holds a probe back until the probes of its
 * driver queued before it have returned, and only those: a probe of
 * another driver queued earlier, still running, is not waited for.
 */
static void ap_test_wait_earlier(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	struct platform_device *other, *b;

	t[0].release = &release;	/* another driver's, queued first */
	t[0].started = &started;
	other = tdev_add(test, "ap-kunit-b", 0, &t[0], NULL);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv_b), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);

	t[1].sleep_us = 100000;		/* queued before t[2], slower */
	t[1].wait_earlier = true;
	t[2].wait_earlier = true;
	tdev_add(test, "ap-kunit", 0, &t[1], NULL);
	b = tdev_add(test, "ap-kunit", 1, &t[2], NULL);
	probe_all(test, b);
	KUNIT_EXPECT_NE(test, t[1].end, 0);
	KUNIT_EXPECT_GT(test, t[2].visible, t[1].visible);
	KUNIT_EXPECT_LT(test, t[2].start, t[1].end);	/* slow parts overlap */
	KUNIT_EXPECT_EQ(test, t[0].end, 0);		/* not waited for */
	complete(&release);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&other->dev), 0);
	KUNIT_EXPECT_NE(test, t[0].end, 0);
}

/* Whether the framework has @dev parked. */
static bool ap_test_is_parked(struct device *dev)
{
	struct ap_node *node;
	bool parked;

	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	parked = node && node->state == AP_PARKED;
	mutex_unlock(&ap_lock);
	return parked;
}

/* Probing a device of this type takes its parent's lock too (like USB). */
static const struct device_type parent_locked_type = {
	.name = "ap-kunit-parent-locked",
	.need_parent_lock = true,
};

/*
 * async_probe_wait_earlier() does not wait for an earlier probe of a
 * descendant: that probe takes the caller's device lock, which the
 * caller's probe holds.  Here a child, queued first behind a supplier
 * that probes, and its parent, queued next (a driver_override kept it
 * out of the first attach), have the same driver; the parent's probe
 * calls async_probe_wait_earlier() while the child still waits for its
 * supplier.  The parent must bind without waiting for the child, which
 * probes afterwards; waiting would deadlock on the parent's lock.
 */
static void ap_test_wait_earlier_skips_descendants(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	DECLARE_COMPLETION_ONSTACK(parent_bound);
	struct platform_device *sup, *parent, *child;
	struct tdev_pdata pd;
	int ret;

	t[2].release = &release;	/* the child's supplier, "ap-kunit-b.2" */
	t[2].started = &started;
	sup = tdev_add(test, "ap-kunit-b", 2, &t[2], NULL);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv_b), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);

	t[0].wait_earlier = true;	/* the parent, "ap-kunit.0" */
	parent = kunit_platform_device_alloc(test, "ap-kunit", 0);
	KUNIT_ASSERT_NOT_NULL(test, parent);
	pd.t = &t[0];
	KUNIT_ASSERT_EQ(test, platform_device_add_data(parent, &pd, sizeof(pd)), 0);
	KUNIT_ASSERT_EQ(test, device_set_driver_override(&parent->dev, "none"), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, parent), 0);

	child = kunit_platform_device_alloc(test, "ap-kunit", 1);
	KUNIT_ASSERT_NOT_NULL(test, child);
	pd.t = &t[1];
	KUNIT_ASSERT_EQ(test, platform_device_add_data(child, &pd, sizeof(pd)), 0);
	child->dev.parent = &parent->dev;
	child->dev.type = &parent_locked_type;
	KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, child), 0);
	link(test, child, sup);

	/* The child is queued behind its supplier's cookie. */
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	KUNIT_EXPECT_FALSE(test, ap_test_is_parked(&child->dev));
	ret = kunit_platform_device_prepare_wait_for_probe(test, parent, &parent_bound);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, device_set_driver_override(&parent->dev, ""), 0);
	KUNIT_ASSERT_EQ(test, driver_attach(&async_drv.driver), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&parent_bound, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, t[1].start, 0);	/* the child has not started */

	complete(&release);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&child->dev), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(parent->dev.driver), &async_drv.driver);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(child->dev.driver), &async_drv.driver);
	KUNIT_EXPECT_GT(test, t[1].start, t[0].end);
	KUNIT_EXPECT_EQ(test, atomic_read(&ends[0]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ends[1]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&defers[1]), 0);
}

/* Devices that do not depend on each other probe in parallel. */
static void ap_test_independent_in_parallel(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 4, sizeof(*t), GFP_KERNEL);
	struct platform_device *last = NULL;
	int i;

	for (i = 0; i < 4; i++) {
		t[i].sleep_us = 50000;
		last = tdev_add(test, "ap-kunit", i, &t[i], NULL);
	}
	probe_all(test, last);
	async_probe_wait_all();
	KUNIT_EXPECT_GE(test, atomic_read(&max_running), 2);
}

/* With max_active 1, probes do not overlap. */
static void ap_test_max_active_one(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 4, sizeof(*t), GFP_KERNEL);
	struct platform_device *last = NULL;
	int i;

	async_domain_set_max_active(&ap_domain, 1);
	for (i = 0; i < 4; i++) {
		t[i].sleep_us = 10000;
		last = tdev_add(test, "ap-kunit", i, &t[i], NULL);
	}
	probe_all(test, last);
	async_probe_wait_all();
	async_domain_set_max_active(&ap_domain, ap_max_active_param());
	KUNIT_EXPECT_EQ(test, atomic_read(&max_running), 1);
}

struct sync_probe_ctx {
	struct work_struct work;
	struct kunit *test;
	int ret;
};

static void register_sync_drv(struct work_struct *work)
{
	struct sync_probe_ctx *ctx = container_of(work, struct sync_probe_ctx, work);

	ctx->ret = platform_driver_register(&sync_drv);
}

/*
 * A consumer of a supplier that is probing outside the framework is
 * parked (no async entry), and probes once the supplier has bound.
 */
static void ap_test_parked_on_probing_supplier(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct sync_probe_ctx ctx = { .test = test };
	struct platform_device *sup, *con;

	t[0].release = &release;
	t[0].started = &started;
	sup = tdev_add(test, "ap-kunit-sync", 0, &t[0], NULL);
	con = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	link(test, con, sup);

	INIT_WORK_ONSTACK(&ctx.work, register_sync_drv);
	schedule_work(&ctx.work);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);

	KUNIT_EXPECT_EQ(test, atomic_read(&parks[1]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 0);
	complete(&release);
	flush_work(&ctx.work);
	destroy_work_on_stack(&ctx.work);
	KUNIT_ASSERT_EQ(test, ctx.ret, 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&con->dev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 1);
	KUNIT_EXPECT_GT(test, t[1].start, t[0].end);
	platform_driver_unregister(&sync_drv);
}

/* A parked consumer that is removed never probes, and nothing is left. */
static void ap_test_removed_while_parked(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct sync_probe_ctx ctx = { .test = test };
	struct platform_device *sup, *con;
	struct ap_node *node;
	void *gone;
	int left = 0;

	t[0].release = &release;
	t[0].started = &started;
	sup = tdev_add(test, "ap-kunit-sync", 0, &t[0], NULL);
	con = platform_device_alloc("ap-kunit", 1);
	KUNIT_ASSERT_NOT_NULL(test, con);
	KUNIT_ASSERT_EQ(test, platform_device_add_data(con, &(struct tdev_pdata){ &t[1] },
						       sizeof(struct tdev_pdata)), 0);
	KUNIT_ASSERT_EQ(test, platform_device_add(con), 0);
	link(test, con, sup);

	INIT_WORK_ONSTACK(&ctx.work, register_sync_drv);
	schedule_work(&ctx.work);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	gone = &con->dev;
	platform_device_unregister(con);
	complete(&release);
	flush_work(&ctx.work);
	destroy_work_on_stack(&ctx.work);
	async_probe_wait_all();
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 0);
	/* Other devices may be probing; none of the framework's nodes is con's. */
	mutex_lock(&ap_lock);
	list_for_each_entry(node, &ap_nodes, inflight)
		left += (void *)node->dev == gone;
	mutex_unlock(&ap_lock);
	KUNIT_EXPECT_EQ(test, left, 0);
	platform_driver_unregister(&sync_drv);
}

static void restore_ancestor_wait(void *ms)
{
	WRITE_ONCE(ap_ancestor_wait_ms, (unsigned long)ms);
}

/*
 * Device 0, whose probe waits for @release, with device 1 as its child,
 * probed by the async driver: returns device 0 once its probe runs and
 * the child is parked on it.  The child waits for its parent for a
 * minute (ancestor_wait_ms, restored when the test ends).
 */
static struct platform_device *blocked_parent(struct kunit *test, struct tdev *t,
					      struct completion *release)
{
	void *wait_ms = (void *)(unsigned long)READ_ONCE(ap_ancestor_wait_ms);
	DECLARE_COMPLETION_ONSTACK(started);
	struct platform_device *parent;
	int ret;

	ret = kunit_add_action_or_reset(test, restore_ancestor_wait, wait_ms);
	KUNIT_ASSERT_EQ(test, ret, 0);
	WRITE_ONCE(ap_ancestor_wait_ms, 60 * 1000);
	t[0].release = release;
	t[0].started = &started;
	parent = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	tdev_add(test, "ap-kunit", 1, &t[1], &parent->dev);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	t[0].started = NULL;
	return parent;
}

/*
 * A probe that returns while ap_lock is taken does not wait for the lock:
 * its async call ends, and the end is left to ap_end_fn().  The barrier
 * of wait_for_device_probe() and of a module's init,
 * async_synchronize_full(), still returns only after that end has let the
 * child parked on the device go, and the child has probed.  And as if its
 * queue event were still to come (ap_queue() emits it under ap_lock once
 * the call may have run): its end event waits for ap_end_fn() too, never
 * coming before the queue event.
 */
static void ap_test_end_left_to_lock_holder(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	struct platform_device *parent;
	async_cookie_t cookie = 0;
	bool done = false, queued;
	struct ap_node *node;
	unsigned long until;
	int early_ends, child_attempts;

	parent = blocked_parent(test, t, &release);
	mutex_lock(&ap_lock);
	node = ap_node_find(&parent->dev);
	if (node && node->state == AP_QUEUED) {
		cookie = node->cookie;
		node->queue_traced = false;
	}
	complete(&release);
	until = jiffies + WAIT;
	while (cookie && !done && time_before(jiffies, until)) {
		usleep_range(1000, 2000);
		done = async_cookie_done(cookie);
	}
	node = ap_node_find(&parent->dev);
	queued = node && node->state == AP_QUEUED;
	early_ends = atomic_read(&ends[0]);
	/* Read under the lock: ap_end_fn() lets the child go once it is free. */
	child_attempts = atomic_read(&t[1].attempts);
	mutex_unlock(&ap_lock);
	KUNIT_ASSERT_NE(test, cookie, 0);
	KUNIT_EXPECT_TRUE_MSG(test, done, "the probe's call waited for ap_lock");
	KUNIT_EXPECT_TRUE_MSG(test, queued, "the probe ended under the test's lock");
	KUNIT_EXPECT_EQ_MSG(test, early_ends, 0, "end event before the queue event");
	KUNIT_EXPECT_EQ(test, child_attempts, 0);

	async_synchronize_full();
	KUNIT_EXPECT_EQ(test, atomic_read(&ends[0]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ends[1]), 1);
	KUNIT_EXPECT_GT(test, t[1].start, t[0].end);
}

/*
 * Lowering ancestor_wait_ms takes effect for children parked from then
 * on, although a look at the ancestor edges was scheduled for the old,
 * longer wait: it is brought forward.
 */
static void ap_test_lowered_ancestor_wait(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 4, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started2);
	struct platform_device *p2;
	unsigned long until;

	/* A child parked now schedules the look 30 s ahead. */
	blocked_parent(test, t, &release);

	/* A child parked after the wait was lowered waits 100 ms, not 30 s. */
	WRITE_ONCE(ap_ancestor_wait_ms, 100);
	t[2].release = &release;
	t[2].started = &started2;
	p2 = tdev_add(test, "ap-kunit", 2, &t[2], NULL);
	tdev_add(test, "ap-kunit", 3, &t[3], &p2->dev);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started2, WAIT), 0);
	/* One look lets both children go; either may start first. */
	until = jiffies + 5 * HZ;
	while ((atomic_read(&t[3].attempts) < 1 || atomic_read(&t[1].attempts) < 1) &&
	       time_before(jiffies, until))
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[3].attempts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 1);
	complete_all(&release);
	async_probe_wait_all();
	KUNIT_EXPECT_EQ(test, atomic_read(&t[0].attempts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[2].attempts), 1);
}

/*
 * A supplier whose own probe was deferred by a missing supplier is not
 * probing, although the driver core leaves its links.status at
 * DL_DEV_PROBING until its next attempt: a consumer must not park on it
 * (nothing would ever let it go) but probe, and be deferred too.
 */
static void ap_test_deferred_supplier_not_waited_for(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	struct platform_device *s, *a, *c;

	t[0].ret = -EIO;
	s = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	a = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	c = tdev_add(test, "ap-kunit-b", 2, &t[2], NULL);
	link(test, a, s);
	link(test, c, a);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	async_probe_wait_all();
	KUNIT_ASSERT_EQ(test, atomic_read(&t[0].attempts), 1);
	KUNIT_ASSERT_EQ(test, atomic_read(&t[1].attempts), 0);
	KUNIT_ASSERT_NULL(test, READ_ONCE(a->dev.driver));
	KUNIT_ASSERT_EQ(test, READ_ONCE(a->dev.links.status), DL_DEV_PROBING);

	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv_b), 0);
	KUNIT_ASSERT_EQ(test, atomic_read(&parks[2]), 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&c->dev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[2].attempts), 0);
	KUNIT_EXPECT_NULL(test, READ_ONCE(c->dev.driver));
}

/*
 * A second driver registered while the first one's probe of a device runs:
 * the first rejects the device, and the device must end bound to the
 * second, each driver tried once.  The driver core's own async path would
 * have blocked on the device lock and then tried the second driver.
 */
static void ap_test_second_driver_while_probing(struct kunit *test)
{
	struct tdev *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct platform_device *pdev;

	t->release = &release;
	t->started = &started;
	pdev = tdev_add(test, "ap-kunit-two", 0, t, NULL);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &reject_drv), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	/* Not blocked by the probe running: that one still waits. */
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &accept_drv), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->attempts), 0);
	/* For both probes: the second driver's waits for it too. */
	complete_all(&release);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&pdev->dev), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(pdev->dev.driver), &accept_drv.driver);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->rejects), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->attempts), 1);
}

/*
 * The same while the first driver's probe is queued behind its parent's:
 * the probe, when it runs, tries both drivers.
 */
static void ap_test_second_driver_while_queued(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct platform_device *parent, *child;

	t[0].release = &release;
	t[0].started = &started;
	parent = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	child = tdev_add(test, "ap-kunit-two", 0, &t[1], &parent->dev);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &reject_drv), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &accept_drv), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].rejects), 0);
	complete(&release);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&child->dev), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(child->dev.driver), &accept_drv.driver);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].rejects), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 1);
}

struct attach_ctx {
	struct work_struct work;
	struct device *dev;
	int ret;
};

static void manual_attach(struct work_struct *work)
{
	struct attach_ctx *ctx = container_of(work, struct attach_ctx, work);

	ctx->ret = device_driver_attach(&manual_drv.driver, ctx->dev);
}

/*
 * A consumer parked on a supplier that is being bound through
 * device_driver_attach() (sysfs "bind") goes on when that bind fails: it
 * probes, and the driver core defers it.  No barrier is called before the
 * check, so nothing repairs a consumer left parked.
 */
static void ap_test_failed_manual_bind_releases_consumer(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	struct attach_ctx ctx = { .ret = 1 };
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct platform_device *sup, *con;
	int i, stale = atomic_read(&ap_stats.stale_parks);

	t[0].release = &release;
	t[0].started = &started;
	t[0].ret = -EIO;
	sup = kunit_platform_device_alloc(test, "ap-kunit-manual", 0);
	KUNIT_ASSERT_NOT_NULL(test, sup);
	KUNIT_ASSERT_EQ(test, platform_device_add_data(sup, &(struct tdev_pdata){ &t[0] },
						       sizeof(struct tdev_pdata)), 0);
	/* Matches no driver: only device_driver_attach() binds it. */
	KUNIT_ASSERT_EQ(test, device_set_driver_override(&sup->dev, "ap-kunit-nobody"), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, sup), 0);
	con = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	link(test, con, sup);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &manual_drv), 0);

	ctx.dev = &sup->dev;
	INIT_WORK_ONSTACK(&ctx.work, manual_attach);
	schedule_work(&ctx.work);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	KUNIT_EXPECT_TRUE(test, ap_test_is_parked(&con->dev));
	complete(&release);
	flush_work(&ctx.work);
	destroy_work_on_stack(&ctx.work);
	KUNIT_EXPECT_EQ(test, ctx.ret, -EIO);

	for (i = 0; i < 200 && ap_test_is_parked(&con->dev); i++)
		usleep_range(10000, 11000);
	KUNIT_EXPECT_FALSE(test, ap_test_is_parked(&con->dev));
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&con->dev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.stale_parks), stale);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 0);
	KUNIT_EXPECT_NULL(test, READ_ONCE(con->dev.driver));
}

/*
 * A declared dependency that closes a cycle is refused: a parent on its
 * child (the child waits for its ancestors' probes), and a chain of
 * declared dependencies and device links back to its start.  The devices
 * then all probe, once each.
 */
static void ap_test_dependency_cycle_refused(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 4, sizeof(*t), GFP_KERNEL);
	struct platform_device *parent, *child, *a, *b;

	parent = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	child = tdev_add(test, "ap-kunit", 1, &t[1], &parent->dev);
	a = tdev_add(test, "ap-kunit", 2, &t[2], NULL);
	b = tdev_add(test, "ap-kunit", 3, &t[3], NULL);
	KUNIT_EXPECT_EQ(test, async_probe_add_dependency(&parent->dev, &child->dev), -ELOOP);
	KUNIT_ASSERT_EQ(test, async_probe_add_dependency(&b->dev, &a->dev), 0);
	KUNIT_EXPECT_EQ(test, async_probe_add_dependency(&a->dev, &b->dev), -ELOOP);
	link(test, a, child);
	KUNIT_EXPECT_EQ(test, async_probe_add_dependency(&parent->dev, &b->dev), -ELOOP);
	KUNIT_EXPECT_EQ(test, async_probe_add_dependency(&child->dev, &b->dev), -ELOOP);
	probe_all(test, b);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&parent->dev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[0].attempts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[2].attempts), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[3].attempts), 1);
	async_probe_remove_dependency(&b->dev, &a->dev);
}

static struct async_entry *no_async_entry(unsigned int ndeps, gfp_t gfp)
{
	return NULL;
}

/*
 * A probe the framework declined (@fallbacks: ap_stats.fallbacks before)
 * ran once, synchronously, in the task that registered the driver: the
 * device is bound when the registration returns.
 */
static void expect_probed_in_caller(struct kunit *test, struct platform_device *pdev,
				    struct tdev *t, int fallbacks)
{
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(pdev->dev.driver), &async_drv.driver);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->attempts), 1);
	KUNIT_EXPECT_PTR_EQ(test, t->task, current);
	KUNIT_EXPECT_FALSE(test, t->was_async);
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.fallbacks) - fallbacks, 1);
}

/*
 * Without memory for an async call, the probe is given back to the driver
 * core, which probes synchronously: every barrier has seen its probe.
 */
static void ap_test_no_memory_probes_synchronously(struct kunit *test)
{
	struct tdev *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct platform_device *pdev;
	int fallbacks = atomic_read(&ap_stats.fallbacks);

	t->sleep_us = 20000;
	pdev = tdev_add(test, "ap-kunit", 0, t, NULL);
	kunit_activate_static_stub(test, async_alloc_entry, no_async_entry);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	kunit_deactivate_static_stub(test, async_alloc_entry);
	expect_probed_in_caller(test, pdev, t, fallbacks);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&pdev->dev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->attempts), 1);
}

static struct ap_node *no_node(void)
{
	return NULL;
}

/*
 * Without memory for its node, the framework declines the probe, and the
 * driver core runs it synchronously in the registering task, not through
 * an async call of its own: with the framework on, the driver core's
 * asynchronous helpers are not used (upstream's would have run it in an
 * async worker, kernel/async.c having memory).
 */
static void ap_test_declined_probe_runs_in_caller(struct kunit *test)
{
	struct tdev *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct platform_device *pdev;
	int fallbacks = atomic_read(&ap_stats.fallbacks);

	pdev = tdev_add(test, "ap-kunit", 0, t, NULL);
	kunit_activate_static_stub(test, ap_node_alloc, no_node);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	kunit_deactivate_static_stub(test, ap_node_alloc);
	expect_probed_in_caller(test, pdev, t, fallbacks);
}

static void expect_defer_reason(struct kunit *test, int id, const char *want)
{
	char got[64];

	spin_lock(&defer_reason_lock);
	strscpy(got, defer_reason[id], sizeof(got));
	spin_unlock(&defer_reason_lock);
	KUNIT_EXPECT_STREQ(test, got, want);
}

/* A third driver for two_ids, whose probe defers without a reason. */
static int tprobe_defer(struct platform_device *pdev)
{
	struct tdev_pdata *pd = dev_get_platdata(&pdev->dev);

	atomic_inc(&pd->t->rejects);
	return -EPROBE_DEFER;
}

static struct platform_driver defer_drv = {
	.probe = tprobe_defer,
	.id_table = two_ids,
	.driver = {
		.name = "ap-kunit-defer",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

/*
 * The reason a deferral of the framework's probe reports is that attempt's
 * own.  A device that deferred with a reason ("supplier X not ready") and
 * is probed again by the framework, not by the deferred-probe work (which
 * forgets the reason first), here because a second driver came, defers
 * without one: it reports "probe", not the reason of the attempt before.
 * (The torture blamed a supplier named in such a stale reason.)
 */
static void ap_test_defer_reason_is_the_attempts_own(struct kunit *test)
{
	struct tdev *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct platform_device *a;

	/* Always deferring: a retry by the deferred-probe work binds nothing. */
	t->defer_left = 100;
	t->defer_why = "waits for the first";
	a = tdev_add(test, "ap-kunit-two", 0, t, NULL);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &accept_drv), 0);
	KUNIT_ASSERT_EQ(test, async_probe_wait_device(&a->dev), 0);
	KUNIT_ASSERT_EQ(test, atomic_read(&t->attempts), 1);
	expect_defer_reason(test, 0, "ap-kunit-accept:_waits_for_the_first");

	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &defer_drv), 0);
	KUNIT_ASSERT_EQ(test, async_probe_wait_device(&a->dev), 0);
	KUNIT_ASSERT_EQ(test, atomic_read(&t->rejects), 1);
	expect_defer_reason(test, 0, "probe");
	KUNIT_EXPECT_GE(test, atomic_read(&ends[0]), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&defers[0]), atomic_read(&ends[0]));
	KUNIT_EXPECT_NULL(test, READ_ONCE(a->dev.driver));
}

struct unregister_ctx {
	struct work_struct work;
	struct platform_driver *drv;
};

/* The driver @dev's probe in flight is to be run again with, if any. */
static const struct device_driver *ap_test_again_drv(struct device *dev)
{
	const struct device_driver *drv = NULL;
	struct ap_node *node;

	mutex_lock(&ap_lock);
	node = ap_node_find(dev);
	if (node && node->again)
		drv = node->again_drv;
	mutex_unlock(&ap_lock);
	return drv;
}

static void unregister_drv(struct work_struct *work)
{
	struct unregister_ctx *ctx = container_of(work, struct unregister_ctx, work);

	platform_driver_unregister(ctx->drv);
}

/*
 * A driver that is unregistered while a device it claimed waits for a
 * probe in flight (here, a first driver's) is not used for the probe run
 * again after it: that probe could bind the device after driver_detach()
 * had passed it.  The torture saw such a probe defer on a supplier that
 * driver_detach() was unbinding.
 */
static void ap_test_removed_driver_not_probed_again(struct kunit *test)
{
	struct tdev *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct unregister_ctx ctx = { .drv = &accept_drv };
	struct platform_device *pdev;
	int i;

	t->release = &release;
	t->started = &started;
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &reject_drv), 0);
	pdev = tdev_add(test, "ap-kunit-two", 0, t, NULL);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	/* Claims the device in flight: it would be probed again with this. */
	KUNIT_ASSERT_EQ(test, platform_driver_register(&accept_drv), 0);
	KUNIT_EXPECT_PTR_EQ(test, ap_test_again_drv(&pdev->dev), &accept_drv.driver);
	INIT_WORK_ONSTACK(&ctx.work, unregister_drv);
	schedule_work(&ctx.work);
	/* The unregistration has passed the node when it forgets the driver. */
	for (i = 0; i < 1000 && ap_test_again_drv(&pdev->dev); i++)
		msleep(20);
	KUNIT_EXPECT_NULL(test, ap_test_again_drv(&pdev->dev));
	/* For the probe in flight and the one run again with any driver. */
	complete_all(&release);
	flush_work(&ctx.work);
	destroy_work_on_stack(&ctx.work);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&pdev->dev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->attempts), 0);
	/* Run again, but with the drivers left on the bus: the first one. */
	KUNIT_EXPECT_EQ(test, atomic_read(&t->rejects), 2);
	KUNIT_EXPECT_NULL(test, READ_ONCE(pdev->dev.driver));
}

/*
 * Allocation failure the way fault injection (failslab, fail_page_alloc)
 * makes it: every allocation fails but a %__GFP_NOFAIL one.
 */
static struct async_entry *nofail_only_entry(unsigned int ndeps, gfp_t gfp)
{
	struct kunit *test = kunit_get_current_test();
	struct async_entry *entry;

	if (!(gfp & __GFP_NOFAIL))
		return NULL;
	kunit_deactivate_static_stub(test, async_alloc_entry);
	entry = async_alloc_entry(ndeps, gfp);
	kunit_activate_static_stub(test, async_alloc_entry, nofail_only_entry);
	return entry;
}

struct async_reg_ctx {
	struct work_struct work;
	struct kunit *test;
	struct completion *started;	/* the supplier's probe is running */
	struct completion *release;	/* let the supplier's probe end */
	int ret;
};

/* Register the async driver while the supplier probes, then release it. */
static void register_async_drv(struct work_struct *work)
{
	struct async_reg_ctx *ctx = container_of(work, struct async_reg_ctx, work);

	if (!wait_for_completion_timeout(ctx->started, WAIT))
		ctx->ret = -ETIMEDOUT;
	else
		ctx->ret = kunit_platform_driver_register(ctx->test, &async_drv);
	complete(ctx->release);
}

/*
 * A consumer parked on a supplier whose probe ends with no memory to be
 * had: its probe was promised when it was claimed, and is due in the
 * supplier's probe, where nobody can take it back.  It stays the
 * framework's (no fallback), and async_probe_wait_device() returns once
 * it has bound, not before.
 */
static void ap_test_no_memory_after_park_keeps_probe(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 2, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	DECLARE_COMPLETION_ONSTACK(started);
	struct async_reg_ctx ctx = {
		.test = test, .started = &started, .release = &release,
	};
	struct platform_device *sup, *con;
	int fallbacks = atomic_read(&ap_stats.fallbacks);

	t[0].release = &release;
	t[0].started = &started;
	t[1].sleep_us = 20000;
	sup = tdev_add(test, "ap-kunit-sync", 0, &t[0], NULL);
	con = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	link(test, con, sup);

	/* The supplier probes in this task, the only one the stub fails. */
	INIT_WORK_ONSTACK(&ctx.work, register_async_drv);
	schedule_work(&ctx.work);
	kunit_activate_static_stub(test, async_alloc_entry, nofail_only_entry);
	KUNIT_EXPECT_EQ(test, platform_driver_register(&sync_drv), 0);
	kunit_deactivate_static_stub(test, async_alloc_entry);
	flush_work(&ctx.work);
	destroy_work_on_stack(&ctx.work);
	KUNIT_ASSERT_EQ(test, ctx.ret, 0);

	KUNIT_EXPECT_EQ(test, atomic_read(&parks[1]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.fallbacks) - fallbacks, 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&con->dev), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(con->dev.driver), &async_drv.driver);
	KUNIT_EXPECT_EQ(test, atomic_read(&ends[1]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&defers[1]), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 1);
	platform_driver_unregister(&sync_drv);
}

/*
 * Which drivers probe asynchronously, per mode and probe type: the answer
 * 1 (asynchronous), 0 (synchronous) or -1 (upstream's rules, under which
 * PROBE_ASYNC_WITH_FRAMEWORK is the default strategy).  A framework
 * opt-in must never be asynchronous in stock or sync: its names would
 * follow probe timing there.
 */
static void ap_test_opt_in_policy_per_mode(struct kunit *test)
{
	static const struct {
		enum probe_type type;
		bool excluded;
		int want[4];	/* sync, stock, on, all */
	} cases[] = {
		{ PROBE_DEFAULT_STRATEGY, false, { 0, -1, -1, 1 } },
		{ PROBE_DEFAULT_STRATEGY, true, { 0, -1, -1, 0 } },
		{ PROBE_PREFER_ASYNCHRONOUS, false, { 0, -1, -1, 1 } },
		{ PROBE_FORCE_SYNCHRONOUS, false, { 0, 0, 0, 0 } },
		{ PROBE_ASYNC_WITH_FRAMEWORK, false, { 0, -1, 1, 1 } },
		{ PROBE_ASYNC_WITH_FRAMEWORK, true, { 0, -1, 1, 0 } },
	};
	static const enum async_probe_mode modes[] = {
		ASYNC_PROBE_SYNC, ASYNC_PROBE_STOCK, ASYNC_PROBE_ON,
		ASYNC_PROBE_ALL,
	};
	struct device_driver drv = { .name = "ap-kunit-policy" };
	int i, m;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		drv.probe_type = cases[i].type;
		for (m = 0; m < ARRAY_SIZE(modes); m++)
			KUNIT_EXPECT_EQ_MSG(test, ap_driver_policy(modes[m], &drv,
								   cases[i].excluded),
					    cases[i].want[m],
					    "probe_type %d excluded %d mode %d",
					    cases[i].type, cases[i].excluded,
					    modes[m]);
	}
}

/* A copy of @text in a kvmalloc() buffer, as the boot reads a plan. */
static char *plan_text(struct kunit *test, const char *text)
{
	char *buf = kvmalloc(max(strlen(text), 1), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, text, strlen(text));
	return buf;
}

/*
 * A plan is checked whole: one that is cut short, from another version,
 * or has a malformed line is refused, with the line at fault; within v1,
 * keys it does not know are skipped.  The edges of a valid plan are the
 * ones it names, with the first line of a device that has two.
 */
static void ap_test_plan_parse(struct kunit *test)
{
	static const struct {
		const char *text;
		unsigned int line;
	} bad[] = {
		{ "", 1 },
		{ "# async_probe plan v1 devices=0", 1 },
		{ "# something else\n", 1 },
		{ "# async_probe plan v2 devices=0\n", 1 },
		{ "# async_probe plan v1\n", 1 },
		{ "# async_probe plan v1 devices=2\na:x ret=0\n", 3 },
		{ "# async_probe plan v1 devices=1\na:x ret=0\nb:y\n", 4 },
		{ "# async_probe plan v1 devices=1\na:x ret=zero\n", 2 },
		{ "# async_probe plan v1 devices=1\na:x retired\n", 2 },
		{ "# async_probe plan v1 devices=1\na:x  ret=0\n", 2 },
		{ "# async_probe plan v1 devices=1\na:x after=b,,c\n", 2 },
		{ "# async_probe plan v1 devices=1\na:x after=+3,b\n", 2 },
		{ "# async_probe plan v1 devices=2\na:x\nb:y tries=-1\n", 3 },
	};
	static const char good[] =
		"# async_probe plan v1 devices=4 nomem=0\n"
		"# a comment\n"
		"a:x drv=d ret=0 us=10 tries=2 defers=1 after=b:y,c:z,+7 new=key\n"
		"b:y drv=d ret=-19 us=5 tries=1 defers=0 after=-\n"
		"\n"
		"a:x drv=d after=b:y\n"
		"c:z after=c:z,e:w links=b:y\n";
	struct ap_plan_table *t = NULL;
	struct ap_plan_entry *a, *c;
	struct ap_plan_error err;
	char *buf;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		buf = plan_text(test, bad[i].text);
		KUNIT_EXPECT_EQ_MSG(test, ap_replay_parse(buf, strlen(bad[i].text), &t, &err),
				    -EINVAL, "plan %d", i);
		KUNIT_EXPECT_EQ_MSG(test, err.line, bad[i].line, "plan %d: %s", i, err.why);
		kvfree(buf);
	}
	KUNIT_EXPECT_NULL(test, t);

	buf = plan_text(test, good);
	KUNIT_ASSERT_EQ(test, ap_replay_parse(buf, strlen(good), &t, &err), 0);
	KUNIT_EXPECT_EQ(test, ap_replay_devices(t), 3);
	a = ap_replay_find(t, "a:x");
	c = ap_replay_find(t, "c:z");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_EQ(test, a->nafter, 2);
	KUNIT_EXPECT_STREQ(test, a->after[0]->id, "b:y");
	KUNIT_EXPECT_STREQ(test, a->after[1]->id, "c:z");
	KUNIT_EXPECT_EQ(test, ap_replay_find(t, "b:y")->nafter, 0);
	/* Itself is no supplier; a supplier without a line of its own is. */
	KUNIT_ASSERT_EQ(test, c->nafter, 1);
	KUNIT_EXPECT_STREQ(test, c->after[0]->id, "e:w");
	KUNIT_EXPECT_FALSE(test, c->after[0]->listed);
	/* Linked suppliers are kept apart: they order, never wait. */
	KUNIT_ASSERT_EQ(test, c->nlinks, 1);
	KUNIT_EXPECT_STREQ(test, c->links[0]->id, "b:y");
	KUNIT_EXPECT_NULL(test, ap_replay_find(t, "d:v"));
	ap_replay_free(t);
}

struct plan_ctx {
	struct ap_plan_table *t, *old;
};

static void plan_restore(void *data)
{
	struct plan_ctx *ctx = data;

	ap_replay_set(ctx->old);
	ap_replay_free(ctx->t);
}

/*
 * Replay @text until the test ends.  Registered before the test's devices:
 * they are removed first, with the framework's pointers into the plan.
 */
static void plan_replay(struct kunit *test, const char *text)
{
	struct plan_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct ap_plan_error err;
	char *buf = plan_text(test, text);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, ap_replay_parse(buf, strlen(text), &ctx->t, &err), 0);
	ctx->old = ap_replay_set(ctx->t);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, plan_restore, ctx), 0);
}

/* The value of @key in @dev's line of the plan, "" if none. */
static const char *plan_value(struct kunit *test, const char *dev, const char *key)
{
	struct seq_file m = { .size = SZ_128K };
	char *line, *word, want[64];

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	snprintf(want, sizeof(want), "\n%s ", dev);
	KUNIT_ASSERT_EQ(test, ap_plan_show(&m), 0);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	line = strstr(m.buf, want);
	KUNIT_ASSERT_NOT_NULL_MSG(test, line, "%s is not in the plan", dev);
	line = strsep(&(char *){ line + 1 }, "\n");
	while ((word = strsep(&line, " ")))
		if (str_has_prefix(word, key) && word[strlen(key)] == '=')
			return kunit_kstrdup(test, word + strlen(key) + 1, GFP_KERNEL);
	return "";
}

/* Whether @list (the value of a plan's after= or maybe=) names @dev. */
static bool plan_names(const char *list, const char *dev)
{
	size_t len = strlen(dev);
	const char *p;

	for (p = list; (p = strstr(p, dev)); p += len)
		if ((p == list || p[-1] == ',') && (!p[len] || p[len] == ','))
			return true;
	return false;
}

KUNIT_DEFINE_ACTION_WRAPPER(ap_test_swnode_remove, fwnode_remove_software_node,
			    struct fwnode_handle *);

/*
 * A device that shares its firmware node with the device made from it
 * (a serial controller's ports, a driver's children) is named in the plan
 * by bus and name: two devices never share one identity, or a plan would
 * give one the other's learned suppliers.  The device made from the node
 * is named by the node.
 */
static void ap_test_plan_id_of_shared_node(struct kunit *test)
{
	struct platform_device *pdev[2];
	struct fwnode_handle *fwnode;
	char *id[2];
	int i;

	fwnode = fwnode_create_software_node(NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fwnode));
	/* Removed last: actions run in reverse, the devices' first. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ap_test_swnode_remove, fwnode), 0);
	for (i = 0; i < 2; i++) {
		pdev[i] = kunit_platform_device_alloc(test, "ap-kunit-id", i);
		KUNIT_ASSERT_NOT_NULL(test, pdev[i]);
		device_set_node(&pdev[i]->dev, fwnode);
		KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, pdev[i]), 0);
		id[i] = kunit_kzalloc(test, AP_PLAN_ID_MAX, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, id[i]);
	}
	KUNIT_ASSERT_PTR_EQ(test, fwnode->dev, &pdev[0]->dev);
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_GT(test, ap_plan_dev_id(&pdev[i]->dev, id[i], AP_PLAN_ID_MAX), 0);
	KUNIT_EXPECT_STRNEQ(test, id[0], id[1]);
	KUNIT_EXPECT_STRNEQ(test, id[0], "platform:ap-kunit-id.0");
	KUNIT_EXPECT_STREQ(test, id[1], "platform:ap-kunit-id.1");
}

/*
 * The plan ranks what a deferred device may have waited for: the device
 * whose bind let its retry through comes in "after", the one the next
 * boot waits for; a probe that also ran at the deferral, and bound only
 * after the retry had begun, comes in "maybe".  Both overlap the window.
 * What the replayed plan named for the device comes first in "after", so
 * that a list cut short keeps it.
 */
static void ap_test_plan_ranks_candidates(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release_s);
	DECLARE_COMPLETION_ONSTACK(release_b);
	DECLARE_COMPLETION_ONSTACK(started_s);
	DECLARE_COMPLETION_ONSTACK(started_b);
	DECLARE_COMPLETION_ONSTACK(bound_x);
	struct platform_device *s, *b, *x;
	const char *after, *maybe;

	if (ap_plan_mode_get() == AP_PLAN_OFF)
		kunit_skip(test, "async_probe.plan=off");
	/* A supplier learned before, of a device not there this time. */
	plan_replay(test, "# async_probe plan v1 devices=1\n"
		    "platform:ap-kunit.2 drv=ap-kunit after=platform:ap-kunit-gone.5\n");
	t[0].release = &release_s;
	t[0].started = &started_s;
	t[1].release = &release_b;
	t[1].started = &started_b;
	t[2].until = &t[0];
	s = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	b = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started_s, WAIT), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started_b, WAIT), 0);
	x = tdev_add(test, "ap-kunit", 2, &t[2], NULL);
	KUNIT_ASSERT_EQ(test, async_probe_wait_device(&x->dev), 0);
	KUNIT_ASSERT_GE(test, atomic_read(&defers[2]), 1);

	KUNIT_ASSERT_EQ(test, kunit_platform_device_prepare_wait_for_probe(test, x, &bound_x), 0);
	complete(&release_s);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&bound_x, WAIT), 0);
	/* x's retry got through once its supplier was bound. */
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(s->dev.driver), &async_drv.driver);
	complete(&release_b);
	KUNIT_ASSERT_EQ(test, async_probe_wait_device(&b->dev), 0);
	KUNIT_ASSERT_PTR_EQ(test, READ_ONCE(b->dev.driver), &async_drv.driver);

	after = plan_value(test, "platform:ap-kunit.2", "after");
	maybe = plan_value(test, "platform:ap-kunit.2", "maybe");
	KUNIT_EXPECT_TRUE_MSG(test, plan_names(after, "platform:ap-kunit.0"),
			      "after=%s maybe=%s", after, maybe);
	KUNIT_EXPECT_FALSE_MSG(test, plan_names(after, "platform:ap-kunit.1"),
			       "after=%s maybe=%s", after, maybe);
	KUNIT_EXPECT_TRUE_MSG(test, plan_names(maybe, "platform:ap-kunit.1"),
			      "after=%s maybe=%s", after, maybe);
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(after, "platform:ap-kunit-gone.5,"),
			      "after=%s", after);
}

/*
 * A supplier the plan learned is waited for like a device link's: the
 * consumer, which no link or parent orders, starts after the supplier's
 * probe ends, and no probe defers.
 */
static void ap_test_plan_orders_learned_supplier(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	int i, waits = atomic_read(&ap_stats.plan_waits);
	int avoided = atomic_read(&ap_stats.plan_avoided);
	struct platform_device *pdev[3];

	plan_replay(test, "# async_probe plan v1 devices=3\n"
		    "platform:ap-kunit.0 drv=ap-kunit\n"
		    "platform:ap-kunit.1 drv=ap-kunit after=platform:ap-kunit.0\n"
		    "platform:ap-kunit.2 drv=ap-kunit after=platform:ap-kunit.1\n");
	/* Long enough that a worker starts the others meanwhile, unordered. */
	t[0].sleep_us = 100000;
	t[1].sleep_us = 50000;
	for (i = 0; i < 3; i++)
		pdev[i] = tdev_add(test, "ap-kunit", i, &t[i], NULL);
	probe_all(test, pdev[2]);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, async_probe_wait_device(&pdev[i]->dev), 0);
	KUNIT_EXPECT_GT(test, t[1].start, t[0].end);
	KUNIT_EXPECT_GT(test, t[2].start, t[1].end);
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.plan_waits) - waits, 2);
	/* The two with learned suppliers, which deferred in that boot. */
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.plan_avoided) - avoided, 2);
	expect_probed_once(test, t, 3);
}

/*
 * A plan entry is matched by the device of this boot with its identity,
 * once, whoever probes it: 0 by the framework (claimed, then probed), 1
 * by the driver core itself (a synchronous driver: no claim), and a
 * second probe of 1 does not count it again.  2, which the plan does not
 * name, and the plan's 5, which is not there, match nothing.
 */
static void ap_test_plan_matches_every_probed_device(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	int matched = atomic_read(&ap_stats.plan_matched);
	struct platform_device *pdev[3];

	KUNIT_ASSERT_NOT_NULL(test, t);
	if (ap_plan_mode_get() == AP_PLAN_OFF)
		kunit_skip(test, "async_probe.plan=off: no device is recorded");
	plan_replay(test, "# async_probe plan v1 devices=3\n"
		    "platform:ap-kunit.0 drv=ap-kunit\n"
		    "platform:ap-kunit-sync.1 drv=ap-kunit-sync\n"
		    "platform:ap-kunit.5 drv=ap-kunit\n");
	pdev[0] = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	pdev[1] = tdev_add(test, "ap-kunit-sync", 1, &t[1], NULL);
	pdev[2] = tdev_add(test, "ap-kunit", 2, &t[2], NULL);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &sync_drv), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(pdev[1]->dev.driver), &sync_drv.driver);
	probe_all(test, pdev[2]);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&pdev[0]->dev), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(pdev[0]->dev.driver), &async_drv.driver);
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.plan_matched) - matched, 2);

	device_release_driver(&pdev[1]->dev);
	KUNIT_EXPECT_EQ(test, device_attach(&pdev[1]->dev), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[1].attempts), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.plan_matched) - matched, 2);
}

/*
 * What a plan must never do: make a probe wait for itself, for a cycle of
 * learned suppliers, for its parent's probe (which may wait for it), or
 * for a device that does not exist.  All probe, each once.
 */
static void ap_test_plan_learned_cycle_does_not_hang(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	struct platform_device *a, *b, *c;
	DECLARE_COMPLETION_ONSTACK(done);
	int skipped = atomic_read(&ap_stats.plan_skipped);

	plan_replay(test, "# async_probe plan v1 devices=3\n"
		    "platform:ap-kunit.0 after=platform:ap-kunit.1,platform:ap-kunit.0\n"
		    "platform:ap-kunit.1 after=platform:ap-kunit.0,platform:gone.7\n"
		    "platform:ap-kunit.2 after=platform:ap-kunit.1\n");
	for (int i = 0; i < 3; i++)
		t[i].sleep_us = 10000;
	a = tdev_add(test, "ap-kunit", 0, &t[0], NULL);
	b = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	c = tdev_add(test, "ap-kunit", 2, &t[2], &b->dev);
	KUNIT_ASSERT_EQ(test, kunit_platform_device_prepare_wait_for_probe(test, c, &done), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&done, WAIT), 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&a->dev), 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&b->dev), 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&c->dev), 0);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(a->dev.driver), &async_drv.driver);
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(b->dev.driver), &async_drv.driver);
	expect_probed_once(test, t, 3);
	/* a: b not queued yet; b: gone.7; c: its parent b. */
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.plan_skipped) - skipped, 3);
}

/*
 * A plan that learned a child's probe after its parent's (the parent's
 * probe made the child, and waited for it) must not make the child wait
 * for that probe: the parent would wait forever.
 */
static void ap_test_plan_child_never_waits_for_parent(struct kunit *test)
{
	int skipped = atomic_read(&ap_stats.plan_skipped);

	plan_replay(test, "# async_probe plan v1 devices=2\n"
		    "platform:ap-kunit-parent.0\n"
		    "platform:ap-kunit-child.0 after=platform:ap-kunit-parent.0\n");
	parent_waits_for_child(test, true);
	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.plan_skipped) - skipped, 1);
}

/*
 * When more probes are ready than may run, the plan orders them: the one
 * heading the longest chain first (3, whose linked consumer 4 takes long,
 * before 2, slower alone), and the one that found no hardware last time
 * (1) after all others, though it was claimed first of them.
 */
static void ap_test_plan_orders_ready_probes(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 4, sizeof(*t), GFP_KERNEL);
	DECLARE_COMPLETION_ONSTACK(release);
	struct platform_device *pdev[4];
	int i;

	plan_replay(test, "# async_probe plan v1 devices=5\n"
		    "platform:ap-kunit.0 us=1\n"
		    "platform:ap-kunit.1 ret=-19 us=1\n"
		    "platform:ap-kunit.2 us=100\n"
		    "platform:ap-kunit.3 us=50\n"
		    "platform:ap-kunit.4 us=80 links=platform:ap-kunit.3\n");
	async_domain_set_max_active(&ap_domain, 1);
	t[0].release = &release;	/* holds the only slot meanwhile */
	for (i = 0; i < 4; i++)
		pdev[i] = tdev_add(test, "ap-kunit", i, &t[i], NULL);
	KUNIT_EXPECT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);
	complete(&release);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, async_probe_wait_device(&pdev[i]->dev), 0);
	async_domain_set_max_active(&ap_domain, ap_max_active_param());
	KUNIT_EXPECT_LT(test, t[0].end, t[3].start);
	KUNIT_EXPECT_LT(test, t[3].end, t[2].start);
	KUNIT_EXPECT_LT(test, t[2].end, t[1].start);
	expect_probed_once(test, t, 4);
}

static struct kunit_case ap_test_cases[] = {
	KUNIT_CASE(ap_test_links_order_probes),
	KUNIT_CASE(ap_test_parent_orders_child),
	KUNIT_CASE(ap_test_ancestor_orders_grandchild),
	KUNIT_CASE(ap_test_explicit_dependency),
	KUNIT_CASE(ap_test_queue_names_whole_suppliers),
	KUNIT_CASE(ap_test_wait_earlier),
	KUNIT_CASE(ap_test_wait_earlier_skips_descendants),
	KUNIT_CASE(ap_test_independent_in_parallel),
	KUNIT_CASE(ap_test_max_active_one),
	KUNIT_CASE(ap_test_parked_on_probing_supplier),
	KUNIT_CASE(ap_test_removed_while_parked),
	KUNIT_CASE(ap_test_end_left_to_lock_holder),
	KUNIT_CASE(ap_test_lowered_ancestor_wait),
	KUNIT_CASE(ap_test_deferred_supplier_not_waited_for),
	KUNIT_CASE(ap_test_second_driver_while_probing),
	KUNIT_CASE(ap_test_second_driver_while_queued),
	KUNIT_CASE(ap_test_failed_manual_bind_releases_consumer),
	KUNIT_CASE(ap_test_dependency_cycle_refused),
	KUNIT_CASE(ap_test_parent_waits_for_child),
	KUNIT_CASE(ap_test_parent_waits_for_child_explicitly),
	KUNIT_CASE(ap_test_no_memory_probes_synchronously),
	KUNIT_CASE(ap_test_declined_probe_runs_in_caller),
	KUNIT_CASE(ap_test_no_memory_after_park_keeps_probe),
	KUNIT_CASE(ap_test_defer_reason_is_the_attempts_own),
	KUNIT_CASE(ap_test_removed_driver_not_probed_again),
	KUNIT_CASE(ap_test_opt_in_policy_per_mode),
	KUNIT_CASE(ap_test_plan_parse),
	KUNIT_CASE(ap_test_plan_id_of_shared_node),
	KUNIT_CASE(ap_test_plan_ranks_candidates),
	KUNIT_CASE(ap_test_plan_orders_learned_supplier),
	KUNIT_CASE(ap_test_plan_matches_every_probed_device),
	KUNIT_CASE(ap_test_plan_learned_cycle_does_not_hang),
	KUNIT_CASE(ap_test_plan_child_never_waits_for_parent),
	KUNIT_CASE(ap_test_plan_orders_ready_probes),
	{}
};

static struct kunit_suite ap_test_suite = {
	.name = "async_probe",
	.suite_init = ap_test_suite_init,
	.suite_exit = ap_test_suite_exit,
	.init = ap_test_init,
	.test_cases = ap_test_cases,
};

kunit_test_suite(ap_test_suite);

MODULE_DESCRIPTION("KUnit tests for async_probe");
MODULE_LICENSE("GPL");
