// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe debugfs: /sys/kernel/debug/async_probe/
 *
 *   stats      the mode, the settings and the counters
 *   pending    every probe parked, queued or running: state, device, bus,
 *              driver, cookie, what a parked one waits for, age
 *   graph.dot  every probe the framework ran, with its dependencies and
 *              timings, as a Graphviz graph
 *   plan       what this boot learned of every device probed (plan.c)
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/seq_file.h>

#include "internal.h"

static const char * const ap_state_names[] = {
	[AP_IDLE] = "idle",
	[AP_PARKED] = "parked",
	[AP_QUEUED] = "queued",
};

/* A queued node whose probe has started shows as running. */
static const char *ap_state_name(struct ap_node *node)
{
	if (node->state == AP_QUEUED && READ_ONCE(node->task))
		return "running";
	return ap_state_names[node->state];
}

static const char * const ap_mode_names[] = {
	[ASYNC_PROBE_SYNC] = "sync",
	[ASYNC_PROBE_STOCK] = "stock",
	[ASYNC_PROBE_ON] = "on",
	[ASYNC_PROBE_ALL] = "all",
};

static int ap_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "mode: %s\n", ap_mode_names[ap_get_mode()]);
	seq_printf(m, "max_active: %u\n", ap_max_active_param());
	seq_printf(m, "hung_timeout: %u\n", READ_ONCE(ap_hung_timeout));
	seq_printf(m, "claimed: %d\n", atomic_read(&ap_stats.claimed));
	seq_printf(m, "parked: %d\n", atomic_read(&ap_stats.parked));
	seq_printf(m, "queued: %d\n", atomic_read(&ap_stats.queued));
	seq_printf(m, "probes: %d\n", atomic_read(&ap_stats.probes));
	seq_printf(m, "bound: %d\n", atomic_read(&ap_stats.bound));
	seq_printf(m, "failed: %d\n", atomic_read(&ap_stats.failed));
	seq_printf(m, "deferred: %d\n", atomic_read(&ap_stats.deferred));
	seq_printf(m, "released: %d\n", atomic_read(&ap_stats.released));
	seq_printf(m, "fallbacks: %d\n", atomic_read(&ap_stats.fallbacks));
	seq_printf(m, "hung: %d\n", atomic_read(&ap_stats.hung));
	seq_printf(m, "inflight: %d\n", ap_inflight_count());
	seq_printf(m, "refs: %d\n", atomic_read(&ap_stats.refs));
	seq_printf(m, "stale_parks: %d\n", atomic_read(&ap_stats.stale_parks));
	seq_printf(m, "running: %d\n", atomic_read(&ap_stats.running));
	seq_printf(m, "max_running: %d\n", atomic_read(&ap_stats.max_running));
	seq_printf(m, "attempts_all: %d\n", atomic_read(&ap_stats.attempts_all));
	seq_printf(m, "defers_all: %d\n", atomic_read(&ap_stats.defers_all));
	seq_printf(m, "wait_nomem: %d\n", atomic_read(&ap_stats.wait_nomem));
	seq_printf(m, "plan_matched: %d\n", atomic_read(&ap_stats.plan_matched));
	seq_printf(m, "plan_waits: %d\n", atomic_read(&ap_stats.plan_waits));
	seq_printf(m, "plan_skipped: %d\n", atomic_read(&ap_stats.plan_skipped));
	seq_printf(m, "plan_deferred: %d\n", atomic_read(&ap_stats.plan_deferred));
	seq_printf(m, "plan_avoided: %d\n", atomic_read(&ap_stats.plan_avoided));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_stats);

static int ap_pending_show(struct seq_file *m, void *v)
{
	struct ap_node *node;
	struct ap_wait *w;
	const char *sep;

	mutex_lock(&ap_lock);
	list_for_each_entry(node, &ap_nodes, inflight) {
		seq_printf(m, "%s dev=%s bus=%s drv=%s cookie=%llu age_ms=%u waits=",
			   ap_state_name(node), dev_name(node->dev),
			   node->dev->bus ? node->dev->bus->name : "-",
			   node->drv ? node->drv->name : "-", node->cookie,
			   jiffies_to_msecs(jiffies - node->claimed));
		sep = "";
		list_for_each_entry(w, &node->parked_on, c_node) {
			seq_printf(m, "%s%s(%s)", sep, dev_name(w->supplier->dev),
				   ap_state_name(w->supplier));
			sep = ",";
		}
		seq_puts(m, *sep ? "\n" : "-\n");
	}
	mutex_unlock(&ap_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_pending);

static int ap_graph_show(struct seq_file *m, void *v)
{
	ap_history_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ap_graph);

static int ap_plan_file_show(struct seq_file *m, void *v)
{
	return ap_plan_show(m);
}
DEFINE_SHOW_ATTRIBUTE(ap_plan_file);

static int __init ap_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("async_probe", NULL);

	debugfs_create_file("stats", 0444, dir, NULL, &ap_stats_fops);
	debugfs_create_file("pending", 0444, dir, NULL, &ap_pending_fops);
	debugfs_create_file("graph.dot", 0444, dir, NULL, &ap_graph_fops);
	debugfs_create_file("plan", 0444, dir, NULL, &ap_plan_file_fops);
	return 0;
}
late_initcall(ap_debugfs_init);
