// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the async_probe scheduling and dependency logic, on
 * platform devices of the test's own drivers.  Probes record their start
 * and end on one sequence counter, so orders are checked exactly.  Every
 * wait is bounded.
 */
#include <kunit/platform_device.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/workqueue.h>

#include "internal.h"

#define WAIT	(10 * HZ)

static atomic_t seq;
static atomic_t running, max_running;

struct tdev {
	unsigned int sleep_us;
	struct completion *release;	/* the probe waits for it */
	struct completion *started;	/* the probe completes it */
	bool wait_earlier;		/* call async_probe_wait_earlier() */
	int start, end;
	int visible;			/* after async_probe_wait_earlier() */
	int ret;			/* what the probe returns */
	atomic_t attempts;
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
	t->start = atomic_inc_return(&seq);
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

static int ap_test_init(struct kunit *test)
{
	if (!ap_framework_active())
		kunit_skip(test, "async_probe mode is not on or all");
	atomic_set(&running, 0);
	atomic_set(&max_running, 0);
	return 0;
}

/* Device links order the probes: a chain probes strictly in order. */
static void ap_test_links_order_probes(struct kunit *test)
{
	struct tdev *t = kunit_kcalloc(test, 3, sizeof(*t), GFP_KERNEL);
	struct platform_device *a, *b, *c;
	int claimed = atomic_read(&ap_stats.claimed);

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
	KUNIT_EXPECT_EQ(test, atomic_read(&t[2].attempts), 1);
	KUNIT_EXPECT_GE(test, atomic_read(&ap_stats.claimed) - claimed, 3);
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
	int parked = atomic_read(&ap_stats.parked);

	t[0].release = &release;
	t[0].started = &started;
	sup = tdev_add(test, "ap-kunit-sync", 0, &t[0], NULL);
	con = tdev_add(test, "ap-kunit", 1, &t[1], NULL);
	link(test, con, sup);

	INIT_WORK_ONSTACK(&ctx.work, register_sync_drv);
	schedule_work(&ctx.work);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&started, WAIT), 0);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv), 0);

	KUNIT_EXPECT_EQ(test, atomic_read(&ap_stats.parked) - parked, 1);
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
	int parked;

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

	parked = atomic_read(&ap_stats.parked);
	KUNIT_ASSERT_EQ(test, kunit_platform_driver_register(test, &async_drv_b), 0);
	KUNIT_ASSERT_EQ(test, atomic_read(&ap_stats.parked) - parked, 0);
	KUNIT_EXPECT_EQ(test, async_probe_wait_device(&c->dev), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t[2].attempts), 0);
	KUNIT_EXPECT_NULL(test, READ_ONCE(c->dev.driver));
}

static struct kunit_case ap_test_cases[] = {
	KUNIT_CASE(ap_test_links_order_probes),
	KUNIT_CASE(ap_test_parent_orders_child),
	KUNIT_CASE(ap_test_ancestor_orders_grandchild),
	KUNIT_CASE(ap_test_explicit_dependency),
	KUNIT_CASE(ap_test_wait_earlier),
	KUNIT_CASE(ap_test_independent_in_parallel),
	KUNIT_CASE(ap_test_max_active_one),
	KUNIT_CASE(ap_test_parked_on_probing_supplier),
	KUNIT_CASE(ap_test_removed_while_parked),
	KUNIT_CASE(ap_test_deferred_supplier_not_waited_for),
	{}
};

static struct kunit_suite ap_test_suite = {
	.name = "async_probe",
	.init = ap_test_init,
	.test_cases = ap_test_cases,
};

kunit_test_suite(ap_test_suite);

MODULE_DESCRIPTION("KUnit tests for async_probe");
MODULE_LICENSE("GPL");
