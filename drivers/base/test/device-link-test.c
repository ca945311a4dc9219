// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for managed device links: what a supplier's unbinding does
 * to the links of its consumers.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/platform_device.h>

#define SUP	"dl-test-sup"
#define SUP2	"dl-test-sup2"
#define BUSY	"dl-test-busy"
#define CON	"dl-test-con"

/* What the busy consumer's remove() saw: read there, checked after. */
static struct device_link *con_link;
static enum device_link_state con_link_status;
static bool busy_removed;

static int dl_test_probe(struct platform_device *pdev)
{
	return 0;
}

/*
 * The supplier is unbinding and has started to unbind its consumers, this
 * one first.  Any consumer of it that probes now must find its link to
 * the supplier unusable, or it may start probing against a supplier that
 * is going away.
 */
static void dl_test_busy_remove(struct platform_device *pdev)
{
	con_link_status = READ_ONCE(con_link->status);
	busy_removed = true;
}

static struct platform_driver dl_test_sup_drv = {
	.probe = dl_test_probe,
	.driver.name = SUP,
};

static struct platform_driver dl_test_busy_drv = {
	.probe = dl_test_probe,
	.remove = dl_test_busy_remove,
	.driver.name = BUSY,
};

static void dl_test_unregister_driver(void *drv)
{
	platform_driver_unregister(drv);
}

static void dl_test_unregister_device(void *pdev)
{
	platform_device_unregister(pdev);
}

static struct platform_device *dl_test_device(struct kunit *test,
					      const char *name)
{
	struct platform_device *pdev;

	pdev = platform_device_register_simple(name, PLATFORM_DEVID_NONE, NULL, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pdev);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dl_test_unregister_device,
							pdev), 0);
	return pdev;
}

static void dl_test_driver(struct kunit *test, struct platform_driver *drv)
{
	KUNIT_ASSERT_EQ(test, platform_driver_register(drv), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dl_test_unregister_driver,
							drv), 0);
}

/*
 * A supplier with two consumers, the first bound and the second not yet
 * (it waits for a second supplier).  While the supplier unbinds, the
 * second consumer's link to it must read "supplier unbind" from the
 * start, not "available": device_links_busy() used to stop at the first
 * busy consumer and leave the links after it available, so a consumer
 * probing in that window (here: from the first consumer's remove())
 * passed its check of this supplier, failed on the other one, and
 * device_links_missing_supplier() warned about a link to a supplier that
 * was neither bound nor a sync-state-only one.
 */
static void device_link_supplier_unbind_marks_every_idle_consumer(struct kunit *test)
{
	struct platform_device *sup, *sup2, *busy, *con;
	struct device_link *busy_link;

	busy_removed = false;
	sup = dl_test_device(test, SUP);
	sup2 = dl_test_device(test, SUP2);	/* never bound */
	busy = dl_test_device(test, BUSY);
	con = dl_test_device(test, CON);

	/* In the supplier's consumer list, the busy consumer comes first. */
	busy_link = device_link_add(&busy->dev, &sup->dev, 0);
	KUNIT_ASSERT_NOT_NULL(test, busy_link);
	con_link = device_link_add(&con->dev, &sup->dev, 0);
	KUNIT_ASSERT_NOT_NULL(test, con_link);
	KUNIT_ASSERT_NOT_NULL(test, device_link_add(&con->dev, &sup2->dev, 0));

	dl_test_driver(test, &dl_test_sup_drv);
	dl_test_driver(test, &dl_test_busy_drv);
	KUNIT_ASSERT_PTR_EQ(test, busy->dev.driver, &dl_test_busy_drv.driver);
	KUNIT_ASSERT_EQ(test, READ_ONCE(busy_link->status), DL_STATE_ACTIVE);
	KUNIT_ASSERT_EQ(test, READ_ONCE(con_link->status), DL_STATE_AVAILABLE);

	device_release_driver(&sup->dev);

	KUNIT_EXPECT_TRUE(test, busy_removed);
	KUNIT_EXPECT_EQ(test, con_link_status, DL_STATE_SUPPLIER_UNBIND);
	KUNIT_EXPECT_NULL(test, busy->dev.driver);
	KUNIT_EXPECT_NULL(test, sup->dev.driver);
}

static struct kunit_case device_link_test_cases[] = {
	KUNIT_CASE(device_link_supplier_unbind_marks_every_idle_consumer),
	{}
};

static struct kunit_suite device_link_test_suite = {
	.name = "device_link",
	.test_cases = device_link_test_cases,
};

kunit_test_suite(device_link_test_suite);

MODULE_DESCRIPTION("KUnit tests for managed device links");
MODULE_LICENSE("GPL");
