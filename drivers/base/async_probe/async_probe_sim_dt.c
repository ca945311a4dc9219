// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe_sim_dt - dependencies from a device tree, the way ARM boards
 * meet them
 *
 * Applies a device-tree overlay of seven devices whose only dependencies
 * are phandles ("-supply" properties), populates them, and probes them
 * with an asynchronous driver registered first, so that every device goes
 * through device_add(): fw_devlink turns the phandles into device links,
 * and the probes must follow them.  Each probe checks that every supplier
 * it names has finished; the result is one console line:
 *
 *   async_probe_sim_dt: done n=7 bound=B suppliers=S violations=V wall_us=W
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/spinlock.h>

#include "async_probe_sim_dt.h"

#define SIM_DT_N	7

static struct {
	ktime_t start, end;
	bool bound;
} rec[SIM_DT_N];
static DEFINE_SPINLOCK(rec_lock);	/* rec[], violations, suppliers, bound */
static unsigned int violations, suppliers, bound;
static DECLARE_COMPLETION(all_bound);
static int ovcs_id;
static struct device_node *bus_np;
static struct platform_device *root;	/* parent of the populated devices */

static bool sim_dt_is_supply(const char *name)
{
	size_t len = strlen(name);

	return len > 7 && !strcmp(name + len - 7, "-supply");
}

static int sim_dt_index(struct device_node *np)
{
	u32 reg;

	if (of_property_read_u32(np, "reg", &reg) || reg >= SIM_DT_N)
		return -EINVAL;
	return reg;
}

/* Check every "*-supply" phandle of @np against the record. */
static void sim_dt_check_suppliers(struct device_node *np, ktime_t start)
{
	struct device_node *sup;
	struct property *prop;
	int s;

	for_each_property_of_node(np, prop) {
		if (!sim_dt_is_supply(prop->name))
			continue;
		sup = of_parse_phandle(np, prop->name, 0);
		s = sup ? sim_dt_index(sup) : -EINVAL;
		of_node_put(sup);
		spin_lock(&rec_lock);
		suppliers++;
		if (s < 0 || !rec[s].bound || ktime_before(start, rec[s].end))
			violations++;
		spin_unlock(&rec_lock);
	}
}

static int sim_dt_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	int i = sim_dt_index(np);
	ktime_t start = ktime_get();
	u32 us = 0;

	if (i < 0)
		return -EINVAL;
	sim_dt_check_suppliers(np, start);
	of_property_read_u32(np, "probe-us", &us);
	usleep_range(us, us + 20);

	spin_lock(&rec_lock);
	rec[i].start = start;
	rec[i].end = ktime_get();
	rec[i].bound = true;
	if (++bound == SIM_DT_N)
		complete(&all_bound);
	spin_unlock(&rec_lock);
	return 0;
}

static const struct of_device_id sim_dt_ids[] = {
	{ .compatible = "async-probe-sim-dt" },
	{}
};
MODULE_DEVICE_TABLE(of, sim_dt_ids);

static struct platform_driver sim_dt_driver = {
	.probe = sim_dt_probe,
	.driver = {
		.name = "apsim-dt",
		.of_match_table = sim_dt_ids,
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

static int __init sim_dt_init(void)
{
	u32 size = __dtbo_async_probe_sim_dt_end - __dtbo_async_probe_sim_dt_begin;
	ktime_t t0, last;
	int ret, i;

	ret = platform_driver_register(&sim_dt_driver);
	if (ret)
		return ret;
	ret = of_overlay_fdt_apply(__dtbo_async_probe_sim_dt_begin, size, &ovcs_id, NULL);
	if (ret) {
		pr_err("async_probe_sim_dt: overlay not applied (%d)\n", ret);
		goto out_driver;
	}
	bus_np = of_find_node_by_path("/apsim-dt-bus");
	root = platform_device_register_simple("apsim-dt-root", -1, NULL, 0);
	if (IS_ERR(root)) {
		ret = PTR_ERR(root);
		goto out_overlay;
	}
	t0 = ktime_get();
	ret = bus_np ? of_platform_populate(bus_np, NULL, NULL, &root->dev) : -ENODEV;
	if (ret) {
		pr_err("async_probe_sim_dt: devices not created (%d)\n", ret);
		goto out_overlay;
	}
	if (!wait_for_completion_killable_timeout(&all_bound, 30 * HZ))
		pr_warn("async_probe_sim_dt: %u of %d devices bound after 30 s\n",
			bound, SIM_DT_N);
	last = t0;
	spin_lock(&rec_lock);
	for (i = 0; i < SIM_DT_N; i++)
		if (rec[i].bound && ktime_after(rec[i].end, last))
			last = rec[i].end;
	pr_info("async_probe_sim_dt: done n=%d bound=%u suppliers=%u violations=%u wall_us=%lld\n",
		SIM_DT_N, bound, suppliers, violations, ktime_us_delta(last, t0));
	spin_unlock(&rec_lock);
	return 0;

out_overlay:
	if (!IS_ERR_OR_NULL(root))
		platform_device_unregister(root);
	of_node_put(bus_np);
	of_overlay_remove(&ovcs_id);
out_driver:
	platform_driver_unregister(&sim_dt_driver);
	return ret;
}
module_init(sim_dt_init);

static void __exit sim_dt_exit(void)
{
	of_platform_depopulate(&root->dev);
	platform_device_unregister(root);
	of_node_put(bus_np);
	of_overlay_remove(&ovcs_id);
	platform_driver_unregister(&sim_dt_driver);
}
module_exit(sim_dt_exit);

MODULE_DESCRIPTION("async_probe dependencies from a device-tree overlay");
MODULE_LICENSE("GPL");
