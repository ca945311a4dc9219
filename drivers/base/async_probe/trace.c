// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe tracing: the tracepoints are the record of every probe
 * event; the console lines (initcall_debug or async_probe.debug=1) and
 * the history that debugfs shows are built from the same calls.
 *
 * The console lines use the formats of include/linux/async_probe_log.h,
 * which tools/bootgraph includes too.  They are KERN_DEBUG: they go to
 * the log buffer, and to the console only at loglevel 8, because a
 * serial console prints synchronously and would serialise the probes.
 */
#define DEBUG

#include <linux/async_probe_log.h>
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../base.h"
#include "internal.h"

#define CREATE_TRACE_POINTS
#include <trace/events/async_probe.h>

/* For async_probe_torture, which checks each probe's place from them. */
EXPORT_TRACEPOINT_SYMBOL_GPL(async_probe_queue);
EXPORT_TRACEPOINT_SYMBOL_GPL(async_probe_end);
EXPORT_TRACEPOINT_SYMBOL_GPL(async_probe_defer);

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "async_probe."

static bool ap_debug;

static const char *ap_bus(struct device *dev)
{
	return dev->bus ? dev->bus->name : ASYNC_PROBE_LOG_EMPTY;
}

/* The driver of a node: the one it probes with, or the one it got. */
static const char *ap_drv(struct ap_node *node)
{
	const struct device_driver *drv = READ_ONCE(node->drv) ?: READ_ONCE(node->dev->driver);

	return drv ? drv->name : ASYNC_PROBE_LOG_EMPTY;
}

/*
 * The events below are emitted for every probe: their arguments (names,
 * the task's pid) are only looked up while someone listens.
 */
void ap_trace_park(struct ap_node *node, unsigned int waiting)
{
	if (!trace_async_probe_park_enabled())
		return;
	trace_async_probe_park(dev_name(node->dev), ap_bus(node->dev),
			       ap_drv(node), waiting);
}

void ap_trace_queue(struct ap_node *node)
{
	if (!trace_async_probe_queue_enabled())
		return;
	trace_async_probe_queue(dev_name(node->dev), ap_bus(node->dev),
				ap_drv(node), node->cookie,
				node->deps[0] ? node->deps : ASYNC_PROBE_LOG_EMPTY);
}

void ap_trace_start(struct ap_node *node)
{
	if (!trace_async_probe_start_enabled())
		return;
	trace_async_probe_start(dev_name(node->dev), ap_bus(node->dev),
				ap_drv(node), node->cookie, task_pid_nr(current));
}

void ap_trace_end(struct ap_node *node)
{
	if (!trace_async_probe_end_enabled())
		return;
	trace_async_probe_end(dev_name(node->dev), ap_bus(node->dev),
			      ap_drv(node), node->cookie, node->pid, node->ret,
			      ktime_us_delta(node->t_end, node->t_start));
}

/*
 * The framework's own probe of @node deferred: its reason is the one the
 * attempt gave (ap_probe_fn() cleared the last one), or "probe".  Reading
 * it takes the driver core's deferred_probe_mutex, which every deferral
 * and every deferred-probe retry takes too: only while the event is on.
 */
void ap_trace_defer(struct ap_node *node)
{
	char buf[64], *p;

	if (!trace_async_probe_defer_enabled())
		return;
	device_get_deferred_probe_reason(node->dev, buf, sizeof(buf));
	if (!buf[0])
		strscpy(buf, "probe", sizeof(buf));
	/* A value must be one word: the reason is free text. */
	for (p = buf; *p; p++)
		if (*p == ' ' || *p == '\n' || *p == '\t')
			*p = *(p + 1) ? '_' : '\0';
	trace_async_probe_defer(dev_name(node->dev), ap_bus(node->dev),
				ap_drv(node), buf[0] ? buf : ASYNC_PROBE_LOG_EMPTY);
}

/**
 * ap_trace_wait_start() - the start of a framework barrier's wait
 *
 * Context: Any context.
 * Return: the time, or 0 when the async_probe_wait tracepoint is off.
 */
ktime_t ap_trace_wait_start(void)
{
	return trace_async_probe_wait_enabled() ? ktime_get() : 0;
}

/**
 * ap_trace_wait() - a framework barrier returned
 * @what: which one: "all", "device", "earlier" or "driver"
 * @start: what ap_trace_wait_start() returned when it began
 *
 * Context: Any context.
 */
void ap_trace_wait(const char *what, ktime_t start)
{
	if (start && trace_async_probe_wait_enabled())
		trace_async_probe_wait(what, ktime_us_delta(ktime_get(), start));
}

/* The console lines, hung off the tracepoints. */
static void ap_log_park(void *ignore, const char *dev, const char *bus,
			const char *drv, unsigned int waiting)
{
	pr_debug(ASYNC_PROBE_FMT_PARK, dev, bus, drv, waiting);
}

static void ap_log_queue(void *ignore, const char *dev, const char *bus,
			 const char *drv, u64 cookie, const char *deps)
{
	pr_debug(ASYNC_PROBE_FMT_QUEUE, dev, bus, drv, cookie, deps);
}

static void ap_log_start(void *ignore, const char *dev, const char *bus,
			 const char *drv, u64 cookie, int pid)
{
	pr_debug(ASYNC_PROBE_FMT_START, dev, bus, drv, cookie, pid);
}

static void ap_log_end(void *ignore, const char *dev, const char *bus,
		       const char *drv, u64 cookie, int pid, int ret, u64 usecs)
{
	pr_debug(ASYNC_PROBE_FMT_END, dev, bus, drv, cookie, pid, ret, usecs);
}

static void ap_log_defer(void *ignore, const char *dev, const char *bus,
			 const char *drv, const char *reason)
{
	pr_debug(ASYNC_PROBE_FMT_DEFER, dev, bus, drv, reason);
}

static DEFINE_MUTEX(ap_log_lock);
static bool ap_log_on;		/* the probes are registered (ap_log_lock) */

static void ap_log_enable(bool on)
{
	int ret = 0;

	mutex_lock(&ap_log_lock);
	if (on && !ap_log_on) {
		ret = register_trace_async_probe_park(ap_log_park, NULL);
		ret |= register_trace_async_probe_queue(ap_log_queue, NULL);
		ret |= register_trace_async_probe_start(ap_log_start, NULL);
		ret |= register_trace_async_probe_end(ap_log_end, NULL);
		ret |= register_trace_async_probe_defer(ap_log_defer, NULL);
		if (ret)
			pr_warn("async_probe: cannot print probe lines (%d)\n", ret);
	} else if (!on && ap_log_on) {
		unregister_trace_async_probe_park(ap_log_park, NULL);
		unregister_trace_async_probe_queue(ap_log_queue, NULL);
		unregister_trace_async_probe_start(ap_log_start, NULL);
		unregister_trace_async_probe_end(ap_log_end, NULL);
		unregister_trace_async_probe_defer(ap_log_defer, NULL);
		tracepoint_synchronize_unregister();
	}
	ap_log_on = on;
	mutex_unlock(&ap_log_lock);
}

static bool ap_log_ready;	/* set once tracepoints can be registered */

static int ap_set_debug(const char *val, const struct kernel_param *kp)
{
	bool on;

	if (kstrtobool(val, &on)) {
		pr_warn("async_probe: debug=%s is not 0 or 1%s\n", val,
			system_state < SYSTEM_RUNNING ? ", leaving it off" : "");
		return system_state < SYSTEM_RUNNING ? 0 : -EINVAL;
	}
	ap_debug = on;
	if (ap_log_ready)
		ap_log_enable(on || initcall_debug);
	return 0;
}

static const struct kernel_param_ops ap_debug_ops = {
	.set = ap_set_debug,
	.get = param_get_bool,
};
module_param_cb(debug, &ap_debug_ops, &ap_debug, 0644);
MODULE_PARM_DESC(debug, "print a line per probe event, as initcall_debug does (default 0)");

/* Before the first device is probed. */
static int __init ap_trace_init(void)
{
	ap_log_ready = true;
	if (ap_debug || initcall_debug)
		ap_log_enable(true);
	return 0;
}
early_initcall(ap_trace_init);

/*
 * The history: one record per probe the framework ran, for the
 * dependency graph in debugfs.  At most async_probe.history records are
 * kept (params.c).  Records are packed, in the order the probes ended,
 * into chunks of AP_HISTORY_CHUNK bytes that are allocated as they fill
 * and never freed: a record costs a copy under ap_lock, not an allocation
 * of its own (which, with 10,000 probes, cost more than the rest of a
 * probe's end).
 *
 * Writers hold ap_lock.  The reader takes no lock, so that reading the
 * graph never holds up a probe: a chunk is added to ap_history with
 * list_add_tail_rcu() and never removed, and a record is written before
 * its chunk's @used covers it (smp_store_release(), paired with the
 * reader's smp_load_acquire()), and never written again.
 */
#define AP_HISTORY_CHUNK	(16 * 1024)

struct ap_record {
	u64 cookie;
	s64 t_start, t_end;		/* us since boot */
	int ret;
	unsigned short size;		/* of the record, aligned */
	unsigned short drv, deps;	/* offsets in @names */
	char names[];			/* device, driver, suppliers */
};

struct ap_history_chunk {
	struct list_head node;
	size_t used;
	char data[];
};

#define AP_HISTORY_ROOM	(AP_HISTORY_CHUNK - sizeof(struct ap_history_chunk))

static LIST_HEAD(ap_history);		/* ap_history_chunk.node */
static unsigned int ap_history_len;	/* ap_lock */
static unsigned int ap_history_dropped;	/* ap_lock; read without it */

/* The chunk with room for @size more bytes at its end, or %NULL. */
static struct ap_history_chunk *ap_history_room(size_t size)
{
	struct ap_history_chunk *c;

	lockdep_assert_held(&ap_lock);

	if (size > AP_HISTORY_ROOM)
		return NULL;
	c = list_empty(&ap_history) ? NULL :
		list_last_entry(&ap_history, struct ap_history_chunk, node);
	if (!c || c->used + size > AP_HISTORY_ROOM) {
		c = kmalloc(AP_HISTORY_CHUNK, GFP_KERNEL | __GFP_NOWARN);
		if (!c)
			return NULL;
		c->used = 0;
		list_add_tail_rcu(&c->node, &ap_history);
	}
	return c;
}

/**
 * ap_history_add() - record the probe of a node that ended
 * @node: the node, its probe ended (@node->ret and @node->t_end set)
 *
 * Nothing is recorded once async_probe.history records are kept, or
 * without memory for another chunk: the graph then says how many probes
 * it lacks.
 *
 * Context: ap_lock held; may sleep.
 */
void ap_history_add(struct ap_node *node)
{
	const char *dev = dev_name(node->dev), *drv = ap_drv(node);
	const char *deps = node->deps[0] ? node->deps : ASYNC_PROBE_LOG_EMPTY;
	size_t ldev = strlen(dev) + 1, ldrv = strlen(drv) + 1;
	size_t ldeps = strlen(deps) + 1;
	size_t size = ALIGN(struct_size_t(struct ap_record, names,
					  ldev + ldrv + ldeps), 8);
	struct ap_history_chunk *c = NULL;
	struct ap_record *r;

	lockdep_assert_held(&ap_lock);

	/* Offsets and sizes within a chunk fit struct ap_record's fields. */
	BUILD_BUG_ON(AP_HISTORY_CHUNK > U16_MAX);
	if (ap_history_len < ap_history_max_param())
		c = ap_history_room(size);
	if (!c) {
		WRITE_ONCE(ap_history_dropped, ap_history_dropped + 1);
		return;
	}
	ap_history_len++;
	r = (struct ap_record *)(c->data + c->used);
	r->cookie = node->cookie;
	r->t_start = ktime_to_us(node->t_start);
	r->t_end = ktime_to_us(node->t_end);
	r->ret = node->ret;
	r->size = size;
	r->drv = ldev;
	r->deps = ldev + ldrv;
	memcpy(r->names, dev, ldev);
	memcpy(r->names + r->drv, drv, ldrv);
	memcpy(r->names + r->deps, deps, ldeps);
	/* The record is whole before the reader sees it: see above. */
	smp_store_release(&c->used, c->used + size);
}

/* One edge per supplier named in @r's list; "+N" (N not named) is none. */
static void ap_history_edges(struct seq_file *m, const struct ap_record *r)
{
	const char *dep = r->names + r->deps, *end;
	size_t len;

	for (; *dep; dep = *end ? end + 1 : end) {
		end = strchrnul(dep, ',');
		len = end - dep;
		if (!len || *dep == '+' ||
		    (len == strlen(ASYNC_PROBE_LOG_EMPTY) &&
		     !memcmp(dep, ASYNC_PROBE_LOG_EMPTY, len)))
			continue;
		seq_printf(m, "\t\"%.*s\" -> \"%s\";\n", (int)len, dep, r->names);
	}
}

/**
 * ap_history_show() - print the history as a Graphviz graph
 * @m: the debugfs file
 *
 * One box per probe (device, driver, start and duration in ms, result),
 * one edge per dependency the probe was queued after.
 *
 * Context: Process context; takes no lock (see the history above).
 */
void ap_history_show(struct seq_file *m)
{
	const struct ap_history_chunk *c;
	const struct ap_record *r;
	unsigned int dropped;
	size_t at, used;

	seq_puts(m, "digraph async_probe {\n\trankdir=LR;\n\tnode [shape=box];\n");
	rcu_read_lock();
	list_for_each_entry_rcu(c, &ap_history, node) {
		/* Pairs with ap_history_add(). */
		used = smp_load_acquire(&c->used);
		for (at = 0; at < used; at += r->size) {
			r = (const struct ap_record *)(c->data + at);
			seq_printf(m, "\t\"%s\" [label=\"%s\\n%s\\n@%lld.%03lld ms +%lld.%03lld ms\\nret=%d\"%s];\n",
				   r->names, r->names, r->names + r->drv,
				   r->t_start / 1000, r->t_start % 1000,
				   (r->t_end - r->t_start) / 1000,
				   (r->t_end - r->t_start) % 1000, r->ret,
				   r->ret ? " color=red" : "");
			ap_history_edges(m, r);
		}
	}
	rcu_read_unlock();
	dropped = READ_ONCE(ap_history_dropped);
	if (dropped)
		seq_printf(m, "\t/* %u probes not recorded */\n", dropped);
	seq_puts(m, "}\n");
}
