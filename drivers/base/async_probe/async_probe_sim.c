// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe_sim - a synthetic probe workload
 *
 * Creates n platform devices "apsim.<i>" (or "<name>.<i>" with the name
 * parameter, which also names the driver), each with a nominal probe time,
 * and suppliers expressed as device links: either the explicit graph of
 * the "graph" parameter, or a seeded random DAG where device i takes each
 * of up to k suppliers among devices 0..i-1 (or among the span devices
 * just before it, which makes long chains) with probability p percent.
 * Then it registers its driver (order=devices: the driver_attach path) or
 * adds the devices after the driver (order=driver: the device_add path;
 * links are made by a bus notifier before each device is probed), waits
 * until every device that can bind is bound, and reports:
 *
 *   wall_us      from the start (driver or first device registration) to
 *                the end of the last probe
 *   sum_us       the serial sum of the nominal probe times
 *   critical_us  the longest chain of nominal times along the links
 *   violations   probes that started before a supplier had finished
 *   register_us  how long registering the driver (order=devices) or the
 *                devices (order=driver) took: the driver core's attach
 *                loop, which hands out every probe
 *   critical_real_us  the critical path of the probe times measured: what
 *                the wall time would be with no scheduling delay at all
 *   lat_*_us     scheduling latency: from the moment a device could start
 *                (the start, or the end of its last supplier) to the start
 *                of its successful probe; median, 99th percentile, maximum
 *
 * With hidden=1 the suppliers are hidden dependencies instead: no link is
 * made, and a probe returns -EPROBE_DEFER while a supplier of its device
 * is not bound, the way a driver does when a clock or regulator it asks
 * for is not there yet.  The retries are the driver core's (the deferred
 * probe list); hidden_defers counts them.
 *
 * The report is one console line and /sys/kernel/debug/async_probe_sim/
 * result (key=value lines); "graph" beside it has a line per device: its
 * index, its probe attempts and its suppliers ("3 attempts=2 sup=0,1").
 * Probes sleep (usleep_range()) or, with cpu=1, spin;
 * "fail", "defer" and "hang" inject faults.  The module uses upstream APIs
 * only, so that the same source measures a stock kernel too.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/prandom.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#define SIM_MAX_DEVICES	20000
#define SIM_MAX_SUP	8

static unsigned int n = 16;
module_param(n, uint, 0444);
MODULE_PARM_DESC(n, "number of devices (default 16, at most 20000)");
static ulong seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "seed of the random graph and probe times");
static unsigned int k = 2;
module_param(k, uint, 0444);
MODULE_PARM_DESC(k, "suppliers a device may take (default 2, at most 8)");
static unsigned int p = 40;
module_param(p, uint, 0444);
MODULE_PARM_DESC(p, "probability of each supplier, percent (default 40)");
static unsigned int span;
module_param(span, uint, 0444);
MODULE_PARM_DESC(span, "draw suppliers among the span devices just before (default 0: all before)");
static unsigned int min_us = 2000, max_us = 5000;
module_param(min_us, uint, 0444);
MODULE_PARM_DESC(min_us, "shortest nominal probe time in us (default 2000)");
module_param(max_us, uint, 0444);
MODULE_PARM_DESC(max_us, "longest nominal probe time in us (default 5000)");
static bool cpu;
module_param(cpu, bool, 0444);
MODULE_PARM_DESC(cpu, "spin on the CPU instead of sleeping");
static bool links = true;
module_param(links, bool, 0444);
MODULE_PARM_DESC(links, "express suppliers as device links (default 1)");
static bool hidden;
module_param(hidden, bool, 0444);
MODULE_PARM_DESC(hidden, "suppliers are hidden: defer until they are bound, no link (default 0)");
static char *graph;
module_param(graph, charp, 0444);
MODULE_PARM_DESC(graph, "explicit graph, e.g. \"1:0 2:0,1\" (device:suppliers ...)");
static char *times;
module_param(times, charp, 0444);
MODULE_PARM_DESC(times, "explicit probe times in us, e.g. \"0:100 3:2000\"");
static char *fail;
module_param(fail, charp, 0444);
MODULE_PARM_DESC(fail, "devices whose probe fails with -EIO, e.g. \"3,7\"");
static char *defer;
module_param(defer, charp, 0444);
MODULE_PARM_DESC(defer, "devices that defer a number of times, e.g. \"2:3 5:1\"");
static char *hang;
module_param(hang, charp, 0444);
MODULE_PARM_DESC(hang, "devices whose probe sleeps hang_ms, e.g. \"4\"");
static unsigned int hang_ms = 3000;
module_param(hang_ms, uint, 0444);
MODULE_PARM_DESC(hang_ms, "how long a hanging probe sleeps (default 3000)");
static char *order = "devices";
module_param(order, charp, 0444);
MODULE_PARM_DESC(order, "\"devices\" then driver (default), or \"driver\" then devices");
static char *probe_type = "async";
module_param(probe_type, charp, 0444);
MODULE_PARM_DESC(probe_type, "\"async\" (default), \"sync\" or \"default\"");
static char *name = "apsim";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "name of the driver and its devices (default apsim)");
static unsigned int timeout_s = 60;
module_param(timeout_s, uint, 0444);
MODULE_PARM_DESC(timeout_s, "how long to wait for the devices (default 60)");

struct sim_dev {
	struct platform_device *pdev;
	unsigned int nsup;
	unsigned int sup[SIM_MAX_SUP];
	unsigned int us;		/* nominal probe time */
	bool fail, hang, can_bind;
	unsigned int defer_left;
	atomic_t attempts;
	ktime_t added;			/* when its registration began */
	ktime_t start, end;		/* of the successful probe */
	bool bound;
};

static struct sim_dev *sim;
static unsigned int nlinks, violations, bound_count, expected;
static atomic_t attempts, injected_defers, hidden_defers, running, max_parallel;
static DEFINE_SPINLOCK(sim_lock);	/* start/end/bound of every device */
static DECLARE_COMPLETION(all_bound);
static ktime_t t0;
static u64 wall_us, register_us, sum_us, critical_us;
static u64 lat_med_us, lat_p99_us, lat_max_us, critical_real_us;
static bool sim_driver_registered, sim_notifier_registered;
static struct dentry *sim_dir;

/* Whether suppliers order the devices at all (links or hidden). */
static bool sim_ordered(void)
{
	return links || hidden;
}

static unsigned int sim_index(struct device *dev)
{
	return to_platform_device(dev)->id;
}

/*
 * Sleep with a tight slack (fsleep() allows up to twice the time, which
 * would blur the comparison with the nominal critical path), or spin.
 */
static void sim_work(unsigned int us)
{
	ktime_t end;

	if (!cpu) {
		if (us > 10)
			usleep_range(us, us + 20);
		else
			udelay(us);
		return;
	}
	end = ktime_add_us(ktime_get(), us);
	while (ktime_before(ktime_get(), end))
		cpu_relax();
}

static int sim_probe(struct platform_device *pdev)
{
	struct sim_dev *d = &sim[sim_index(&pdev->dev)];
	unsigned int i, bad = 0, now, max;
	ktime_t start = ktime_get();

	atomic_inc(&d->attempts);
	atomic_inc(&attempts);
	if (d->defer_left) {
		d->defer_left--;
		atomic_inc(&injected_defers);
		return -EPROBE_DEFER;
	}

	spin_lock(&sim_lock);
	for (i = 0; i < d->nsup; i++) {
		struct sim_dev *s = &sim[d->sup[i]];

		if (sim_ordered() && (!s->bound || ktime_before(start, s->end)))
			bad++;
	}
	if (!bad || !hidden)
		violations += bad;
	spin_unlock(&sim_lock);
	if (bad && hidden) {
		atomic_inc(&hidden_defers);
		return -EPROBE_DEFER;
	}
	if (bad)
		dev_warn(&pdev->dev, "probe started before %u of its suppliers finished\n", bad);

	now = atomic_inc_return(&running);
	max = atomic_read(&max_parallel);
	while (now > max && atomic_cmpxchg(&max_parallel, max, now) != max)
		max = atomic_read(&max_parallel);

	sim_work(d->us);
	if (d->hang)
		msleep(hang_ms);
	atomic_dec(&running);
	if (d->fail)
		return -EIO;

	spin_lock(&sim_lock);
	d->start = start;
	d->end = ktime_get();
	d->bound = true;
	if (++bound_count == expected)
		complete(&all_bound);
	spin_unlock(&sim_lock);
	return 0;
}

static struct platform_driver sim_driver = {
	.probe = sim_probe,
	.driver = {
		.name = "apsim",
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
};

/* "a:b,c d:e" style lists; @fn gets each number and what follows ':'. */
static int sim_parse(const char *list, const char *what,
		     int (*fn)(unsigned int i, char *rest))
{
	char *buf, *p, *tok, *rest;
	unsigned int i;
	int ret = 0;

	if (!list || !*list)
		return 0;
	buf = kstrdup(list, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (p = buf; (tok = strsep(&p, " ;\n")) && !ret; ) {
		if (!*tok)
			continue;
		rest = strchr(tok, ':');
		if (rest)
			*rest++ = '\0';
		if (kstrtouint(tok, 10, &i) || i >= n) {
			pr_err("async_probe_sim: %s: bad device '%s' (0..%u)\n", what, tok, n - 1);
			ret = -EINVAL;
		} else {
			ret = fn(i, rest);
		}
	}
	kfree(buf);
	return ret;
}

static int sim_set_graph(unsigned int i, char *rest)
{
	unsigned int s;
	char *tok;

	while (rest && (tok = strsep(&rest, ",")) && *tok) {
		if (kstrtouint(tok, 10, &s) || s >= i || sim[i].nsup >= SIM_MAX_SUP) {
			pr_err("async_probe_sim: graph: device %u cannot take supplier '%s'\n",
			       i, tok);
			return -EINVAL;
		}
		sim[i].sup[sim[i].nsup++] = s;
	}
	return 0;
}

static int sim_set_time(unsigned int i, char *rest)
{
	if (!rest || kstrtouint(rest, 10, &sim[i].us)) {
		pr_err("async_probe_sim: times: bad time for device %u\n", i);
		return -EINVAL;
	}
	return 0;
}

static int sim_set_defer(unsigned int i, char *rest)
{
	if (!rest || kstrtouint(rest, 10, &sim[i].defer_left)) {
		pr_err("async_probe_sim: defer: bad count for device %u\n", i);
		return -EINVAL;
	}
	return 0;
}

static int sim_set_fail(unsigned int i, char *rest)
{
	sim[i].fail = true;
	return 0;
}

static int sim_set_hang(unsigned int i, char *rest)
{
	sim[i].hang = true;
	return 0;
}

static int sim_make_graph(void)
{
	struct rnd_state rnd;
	unsigned int i, j, s, c;
	int ret;

	prandom_seed_state(&rnd, seed);
	for (i = 0; i < n; i++) {
		sim[i].us = min_us + (max_us > min_us ?
				      prandom_u32_state(&rnd) % (max_us - min_us + 1) : 0);
		if (graph)
			continue;
		for (j = 0; j < k && i; j++) {
			if (prandom_u32_state(&rnd) % 100 >= p)
				continue;
			if (span)
				s = i - 1 - prandom_u32_state(&rnd) % min(i, span);
			else
				s = prandom_u32_state(&rnd) % i;
			for (c = 0; c < sim[i].nsup && sim[i].sup[c] != s; c++)
				;
			if (c == sim[i].nsup)
				sim[i].sup[sim[i].nsup++] = s;
		}
	}
	ret = sim_parse(graph, "graph", sim_set_graph);
	ret = ret ?: sim_parse(times, "times", sim_set_time);
	ret = ret ?: sim_parse(fail, "fail", sim_set_fail);
	ret = ret ?: sim_parse(defer, "defer", sim_set_defer);
	return ret ?: sim_parse(hang, "hang", sim_set_hang);
}

/* What can bind, the serial sum and the critical path, from nominal times. */
static void sim_analyse(void)
{
	u64 *cp = kcalloc(n, sizeof(*cp), GFP_KERNEL);
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		u64 best = 0;

		sim[i].can_bind = !sim[i].fail;
		for (j = 0; j < sim[i].nsup; j++) {
			unsigned int s = sim[i].sup[j];

			if (sim_ordered() && !sim[s].can_bind)
				sim[i].can_bind = false;
			if (cp && sim_ordered())
				best = max(best, cp[s]);
		}
		if (cp)
			cp[i] = best + sim[i].us + (sim[i].hang ? hang_ms * 1000ULL : 0);
		if (!sim[i].can_bind)
			continue;
		expected++;
		sum_us += sim[i].us;
		if (cp)
			critical_us = max(critical_us, cp[i]);
		if (links)
			nlinks += sim[i].nsup;
	}
	kfree(cp);
}

static void sim_link(unsigned int i)
{
	unsigned int j;

	for (j = 0; links && j < sim[i].nsup; j++) {
		if (!device_link_add(&sim[i].pdev->dev, &sim[sim[i].sup[j]].pdev->dev, 0))
			pr_warn("async_probe_sim: no link %u -> %u\n", i, sim[i].sup[j]);
	}
}

/* order=driver: link each device to its suppliers before it is probed. */
static int sim_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;
	unsigned int i;

	if (action != BUS_NOTIFY_ADD_DEVICE || !sim || !dev->bus ||
	    strcmp(to_platform_device(dev)->name, name))
		return NOTIFY_DONE;
	i = sim_index(dev);
	if (i < n && sim[i].pdev == to_platform_device(dev))
		sim_link(i);
	return NOTIFY_OK;
}

static struct notifier_block sim_nb = { .notifier_call = sim_notify };

static int sim_add_devices(bool driver_first)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		sim[i].added = ktime_get();
		sim[i].pdev = platform_device_alloc(name, i);
		if (!sim[i].pdev)
			return -ENOMEM;
		ret = platform_device_add(sim[i].pdev);
		if (ret) {
			platform_device_put(sim[i].pdev);
			sim[i].pdev = NULL;
			return ret;
		}
		if (!driver_first)
			sim_link(i);
	}
	return 0;
}

static int sim_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Scheduling latency of each bound device: from when it could start (the
 * start of the run, its registration, the end of its last supplier) to
 * the start of its successful probe.  Called once every probe has ended.
 */
static void sim_latency(void)
{
	u64 *lat = kvcalloc(n, sizeof(*lat), GFP_KERNEL);
	u64 *cp = kvcalloc(n, sizeof(*cp), GFP_KERNEL);
	unsigned int i, j, m = 0;
	ktime_t ready;
	u64 best;

	if (!lat || !cp)
		goto out;
	spin_lock(&sim_lock);
	for (i = 0; i < n; i++) {
		if (!sim[i].bound)
			continue;
		ready = ktime_after(sim[i].added, t0) ? sim[i].added : t0;
		best = 0;
		for (j = 0; sim_ordered() && j < sim[i].nsup; j++) {
			unsigned int s = sim[i].sup[j];

			if (ktime_after(sim[s].end, ready))
				ready = sim[s].end;
			best = max(best, cp[s]);
		}
		lat[m++] = ktime_after(sim[i].start, ready) ?
			   ktime_us_delta(sim[i].start, ready) : 0;
		cp[i] = best + ktime_us_delta(sim[i].end, sim[i].start);
		critical_real_us = max(critical_real_us, cp[i]);
	}
	spin_unlock(&sim_lock);
	if (m) {
		sort(lat, m, sizeof(*lat), sim_cmp_u64, NULL);
		lat_med_us = lat[m / 2];
		lat_p99_us = lat[(m - 1) * 99 / 100];
		lat_max_us = lat[m - 1];
	}
out:
	kvfree(cp);
	kvfree(lat);
}

static int sim_result_show(struct seq_file *m, void *v)
{
	seq_printf(m, "n=%u\nlinks=%u\nexpected=%u\nbound=%u\n", n, nlinks,
		   expected, bound_count);
	seq_printf(m, "wall_us=%llu\nregister_us=%llu\nsum_us=%llu\ncritical_us=%llu\n",
		   wall_us, register_us, sum_us, critical_us);
	seq_printf(m, "attempts=%d\ninjected_defers=%d\nviolations=%u\nmax_parallel=%d\n",
		   atomic_read(&attempts), atomic_read(&injected_defers),
		   violations, atomic_read(&max_parallel));
	seq_printf(m, "hidden=%d\nhidden_defers=%d\n", hidden,
		   atomic_read(&hidden_defers));
	seq_printf(m, "lat_med_us=%llu\nlat_p99_us=%llu\nlat_max_us=%llu\n",
		   lat_med_us, lat_p99_us, lat_max_us);
	seq_printf(m, "critical_real_us=%llu\ncpu_bound=%d\n", critical_real_us, cpu);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_result);

static int sim_graph_show(struct seq_file *m, void *v)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		seq_printf(m, "%u attempts=%d", i, atomic_read(&sim[i].attempts));
		for (j = 0; j < sim[i].nsup; j++)
			seq_printf(m, "%s%u", j ? "," : " sup=", sim[i].sup[j]);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sim_graph);

static void sim_teardown(void)
{
	unsigned int i;

	debugfs_remove_recursive(sim_dir);
	if (sim_driver_registered)
		platform_driver_unregister(&sim_driver);
	for (i = n; sim && i-- > 0; )
		if (sim[i].pdev)
			platform_device_unregister(sim[i].pdev);
	if (sim_notifier_registered)
		bus_unregister_notifier(&platform_bus_type, &sim_nb);
	kvfree(sim);
	sim = NULL;
}

static int __init sim_init(void)
{
	bool driver_first = !strcmp(order, "driver");
	unsigned int i;
	ktime_t last;
	int ret;

	if (!n || n > SIM_MAX_DEVICES || k > SIM_MAX_SUP || p > 100 || min_us > max_us ||
	    (!driver_first && strcmp(order, "devices")) || (hidden && links)) {
		pr_err("async_probe_sim: bad parameters (n 1..%d, k 0..%d, p 0..100, min_us <= max_us, order devices|driver, hidden=1 with links=0)\n",
		       SIM_MAX_DEVICES, SIM_MAX_SUP);
		return -EINVAL;
	}
	sim_driver.driver.name = name;
	if (!strcmp(probe_type, "sync"))
		sim_driver.driver.probe_type = PROBE_FORCE_SYNCHRONOUS;
	else if (!strcmp(probe_type, "default"))
		sim_driver.driver.probe_type = PROBE_DEFAULT_STRATEGY;
	else if (strcmp(probe_type, "async"))
		return -EINVAL;

	sim = kvcalloc(n, sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	ret = sim_make_graph();
	if (ret)
		goto out;
	sim_analyse();
	sim_dir = debugfs_create_dir("async_probe_sim", NULL);
	debugfs_create_file("result", 0444, sim_dir, NULL, &sim_result_fops);
	debugfs_create_file("graph", 0444, sim_dir, NULL, &sim_graph_fops);

	if (driver_first) {
		ret = bus_register_notifier(&platform_bus_type, &sim_nb);
		if (ret)
			goto out;
		sim_notifier_registered = true;
		ret = platform_driver_register(&sim_driver);
		if (ret)
			goto out;
		sim_driver_registered = true;
		t0 = ktime_get();
		ret = sim_add_devices(true);
		register_us = ktime_us_delta(ktime_get(), t0);
	} else {
		ret = sim_add_devices(false);
		if (ret)
			goto out;
		t0 = ktime_get();
		ret = platform_driver_register(&sim_driver);
		register_us = ktime_us_delta(ktime_get(), t0);
		sim_driver_registered = !ret;
	}
	if (ret)
		goto out;

	/* Killable: a long wait for a test that went wrong is no hung task. */
	if (expected && wait_for_completion_killable_timeout(&all_bound, timeout_s * HZ) <= 0)
		pr_warn("async_probe_sim: %u of %u devices bound after %u s\n",
			bound_count, expected, timeout_s);
	last = t0;
	spin_lock(&sim_lock);
	for (i = 0; i < n; i++)
		if (sim[i].bound && ktime_after(sim[i].end, last))
			last = sim[i].end;
	spin_unlock(&sim_lock);
	wall_us = ktime_us_delta(last, t0);
	sim_latency();

	pr_info("async_probe_sim: done n=%u links=%u order=%s wall_us=%llu sum_us=%llu critical_us=%llu ratio_x100=%llu bound=%u expected=%u attempts=%d injected_defers=%d hidden_defers=%d violations=%u max_parallel=%d\n",
		n, nlinks, order, wall_us, sum_us, critical_us,
		critical_us ? div64_u64(wall_us * 100, critical_us) : 0,
		bound_count, expected, atomic_read(&attempts),
		atomic_read(&injected_defers), atomic_read(&hidden_defers),
		violations, atomic_read(&max_parallel));
	return 0;
out:
	sim_teardown();
	return ret;
}
module_init(sim_init);

static void __exit sim_exit(void)
{
	sim_teardown();
}
module_exit(sim_exit);

MODULE_DESCRIPTION("Synthetic probe workload for async_probe tests and benchmarks");
MODULE_LICENSE("GPL");
