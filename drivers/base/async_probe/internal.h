/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by the files of drivers/base/async_probe.
 *
 * Locking:
 *
 *   ap_lock (mutex)
 *     protects every struct ap_node and the lists it is on, the
 *     async_probe pointer in struct device_private, ap_nodes, the
 *     evaluation's scratch (deps.c), the history's writers (its reader
 *     takes no lock: trace.c), and the counters in ap_stats that are not
 *     atomic.
 *
 *   The async_probe pointer is written under ap_lock with WRITE_ONCE().
 *   Outside ap_lock it is only compared with %NULL, or followed by the
 *   task that runs the node's probe (ap_probe_fn() and the driver core's
 *   hooks it calls, which tell that it is their own with
 *   current_async_data(): ap_node_if_probing_here()), while the node
 *   cannot go.  So a node is freed at once, without a grace period.
 *
 *   Order: the device lock (and a parent's) comes before ap_lock; ap_lock
 *   comes before async_lock (kernel/async.c), the device links SRCU read
 *   side, the driver core's deferred_probe_mutex (ap_hand_back() puts a
 *   device on the deferred-probe list; the device lock comes before it
 *   too, where a probe's result hook reads its reason), and what a bus's
 *   match() takes (its dynamic-ID lock): async_probe_wait_earlier() asks
 *   it under ap_lock whether a driver matches a device.  No device lock
 *   is ever taken under ap_lock, and no probe runs under it: the hooks
 *   schedule work and return.  The hung-probe and ancestor watchdogs are
 *   delayed work that takes ap_lock; nothing cancels them under it.  A
 *   probe that returns while ap_lock is taken is ended by ap_end_fn(), an
 *   async call that takes ap_lock: nothing waits for an async call under
 *   it.
 *
 * A node holds a reference to its device while it is parked, queued or
 * running; an idle node (one that only anchors parked consumers or
 * explicit dependencies) holds none and is freed by async_probe_device_del()
 * at the latest.
 */
#ifndef _DRIVERS_BASE_ASYNC_PROBE_INTERNAL_H
#define _DRIVERS_BASE_ASYNC_PROBE_INTERNAL_H

#include <linux/async.h>
#include <linux/async_probe.h>
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

struct device;
struct device_driver;
struct seq_file;
struct task_struct;

/**
 * enum ap_state - where a device stands in the framework
 * @AP_IDLE: known (it anchors waiters or explicit dependencies) but no
 *	probe of it is in flight
 * @AP_PARKED: waiting for suppliers that have no cookie yet; it holds no
 *	async entry and no worker, and no barrier waits for it.  What keeps
 *	it from being lost: a parked node is always parked on a supplier in
 *	flight in the framework (whose queueing or end releases it) or
 *	probing outside it (whose result hook releases it), or it is on the
 *	list ap_evaluate() works through.  ap_wait_for() asserts the first
 *	case; ap_drop_stale_parks() is the net under the second.
 * @AP_QUEUED: an async entry exists: it waits for the cookies of its
 *	suppliers, for a worker, or its probe runs (then &ap_node.task is set)
 */
enum ap_state {
	AP_IDLE,
	AP_PARKED,
	AP_QUEUED,
};

/* Room for the supplier names of one probe (whole names, then a count). */
#define AP_DEPS_NAMES	128

/**
 * struct ap_node - the framework's state for one device (ap_lock)
 * @dev: the device
 * @drv: the driver to probe with (driver_attach path), or %NULL to try
 *	every asynchronous driver of the bus (device_add path)
 * @state: see &enum ap_state
 * @cookie: the async cookie while queued or running
 * @nparked: number of @parked_on edges
 * @parked_on: &struct ap_wait.c_node of the suppliers this node waits for
 * @waiters: &struct ap_wait.s_node of the consumers parked on this node
 * @explicit_sup: &struct ap_explicit.c_node: declared suppliers
 * @explicit_con: &struct ap_explicit.s_node: declared consumers
 * @inflight: on ap_nodes while parked, queued or running
 * @todo: on the list of nodes to evaluate
 * @task: the task running the probe, %NULL until it starts.  That task
 *	sets it without ap_lock, so that starting a probe does not contend
 *	with the claims of the driver core's attach loop: with
 *	smp_store_release() once @t_start, @hung_reported and @ret are set,
 *	and readers that need those read it with smp_load_acquire().  That
 *	task clears it when the probe returns.
 * @claimed: when the framework took the device, in jiffies (debugfs
 *	shows how long ago)
 * @t_start: when its probe started (see @task)
 * @t_end: when it returned (the probing task's own, then ap_lock)
 * @pid: the task that ran it, for its end event (the same)
 * @queue_traced: its queue event has been emitted: set under ap_lock
 *	with smp_store_release(), read by the probing task with
 *	smp_load_acquire() (see ap_probe_fn())
 * @end_traced: its end event has been emitted (the probing task's own,
 *	then ap_lock)
 * @hung_reported: the hung-probe report was printed for this run (see
 *	@task; then ap_lock)
 * @ret: what the last probe attempt of this run returned (the probing
 *	task's own)
 * @claims: claims of the device while its probe was in flight; written
 *	under ap_lock with smp_store_release(), after @drv and @again_drv
 * @claims_seen: @claims as the probe read it when it started, with
 *	smp_load_acquire() (the probing task's own)
 * @again: a claim came while the probe was in flight: if the probe that
 *	runs ends without binding, and a claim came after it started, the
 *	device is probed again
 * @again_drv: the driver to probe with then (%NULL: any asynchronous
 *	driver of the bus)
 * @no_ancestors: do not wait for ancestors any more (one was waited for
 *	as long as ap_ancestor_wait_ms allows, or waits for this device)
 * @deps: names of the suppliers it was queued after, comma-separated, for
 *	tracing; empty for none
 * @claiming: async_probe_claim() is evaluating it (ap_lock)
 * @handback: no async call could be made for it, and its probe was given
 *	back to the driver core: its next claim is declined (ap_lock)
 * @plan: its entry in the plan the boot replays, %NULL for none (ap_lock)
 * @ended: on the list of probes that returned while ap_lock was taken,
 *	for ap_end_fn() to end (core.c)
 */
struct ap_node {
	struct device *dev;
	const struct device_driver *drv;
	enum ap_state state;
	async_cookie_t cookie;
	unsigned int nparked;
	struct list_head parked_on;
	struct list_head waiters;
	struct list_head explicit_sup;
	struct list_head explicit_con;
	struct list_head inflight;
	struct list_head todo;
	struct task_struct *task;
	unsigned long claimed;
	ktime_t t_start, t_end;
	pid_t pid;
	bool queue_traced, end_traced;
	bool hung_reported;
	int ret;
	unsigned int claims, claims_seen;
	bool again;
	const struct device_driver *again_drv;
	bool no_ancestors;
	char deps[AP_DEPS_NAMES];
	bool claiming, handback;
	struct ap_plan_entry *plan;
	struct llist_node ended;
};

/**
 * struct ap_plan_entry - one device of the plan the boot replays
 * @hnode: in the plan's hash table, by @id
 * @id: the device's identity as the plan writes it (escaped)
 * @after: the suppliers it was learned to wait for
 * @nafter: how many
 * @links: the suppliers of its device links (for @prio only: every boot
 *	knows those)
 * @nlinks: how many
 * @node: the framework's node of the device with this identity while it
 *	has one, claimed with this entry (ap_lock)
 * @us: how long its probe took in the boot the plan is from
 * @prio: the priority of its probe among those waiting for a slot: the
 *	probe time of the longest learned chain it heads, the lowest for
 *	@absent
 * @listed: the plan has a line for it (else it names it as a supplier)
 * @absent: its probe found no hardware (-ENODEV, -ENXIO)
 * @matched: bit 0 is set (test_and_set_bit()) by ap_replay_lookup() for
 *	the first device with this identity offered for a probe, by the
 *	framework or by the driver core itself
 *
 * The plan is read once, before devices probe, and never changes after:
 * every field but @node (ap_lock) and @matched (atomic bit operations) is
 * read without a lock.
 */
struct ap_plan_entry {
	struct hlist_node hnode;
	const char *id;
	struct ap_plan_entry **after;
	unsigned int nafter;
	struct ap_plan_entry **links;
	unsigned int nlinks;
	struct ap_node *node;
	u32 us;
	int prio;
	bool listed, absent;
	unsigned long matched;
};

/**
 * struct ap_wait - a consumer parked on a supplier (ap_lock)
 * @consumer: the parked node
 * @supplier: the node it waits for
 * @c_node: in @consumer->parked_on
 * @s_node: in @supplier->waiters
 * @ancestor: @supplier is an ancestor of @consumer: the edge is dropped
 *	once it has waited ap_ancestor_wait_ms for @supplier's running probe
 * @since: when the edge was made, for an @ancestor edge (else 0)
 */
struct ap_wait {
	struct ap_node *consumer, *supplier;
	struct list_head c_node, s_node;
	bool ancestor;
	ktime_t since;
};

/**
 * struct ap_explicit - a dependency declared by async_probe_add_dependency()
 * @consumer: node of the consumer
 * @supplier: node of the supplier
 * @c_node: in @consumer->explicit_sup
 * @s_node: in @supplier->explicit_con
 */
struct ap_explicit {
	struct ap_node *consumer, *supplier;
	struct list_head c_node, s_node;
};

/**
 * struct ap_stats - counters shown in debugfs
 * @claimed: devices the framework took
 * @parked: times a device was parked
 * @queued: async entries created
 * @probes: probes run
 * @bound: probes that bound the device
 * @failed: probes that failed
 * @deferred: probes that returned -EPROBE_DEFER
 * @released: parked consumers sent down the deferred-probe path
 * @fallbacks: devices left to the driver core because the framework could
 *	not take them, or make an async call for them when it did (no
 *	memory; only ever in async_probe_claim())
 * @hung: hung-probe reports
 * @attempts_all: probe attempts of the driver core, in every mode and path
 * @defers_all: those that returned -EPROBE_DEFER
 * @running: probes running now
 * @max_running: most probes seen running at once
 * @refs: device references the framework holds now (one per device that
 *	is parked, queued or running)
 * @again: probes run again because the driver core asked for the device
 *	while its probe was in flight (a second driver, a deferred-probe
 *	retry) and the probe did not bind
 * @stale_parks: parked edges to a supplier whose probe ended unseen,
 *	dropped by ap_drop_stale_parks() (normally zero)
 * @wait_nomem: waits for a supplier not recorded for lack of memory (the
 *	consumer then probes without waiting, and the driver core's device
 *	links defer it)
 * @plan_matched: plan entries that a device of this boot matched, probed
 *	by the framework or by the driver core itself
 * @plan_waits: learned suppliers that queued probes waited for
 * @plan_skipped: learned suppliers not waited for: not queued or
 *	running in the framework when the consumer was, or its ancestor or
 *	descendant
 * @plan_deferred: probes of planned devices that deferred all the same
 * @plan_avoided: devices the plan has learned suppliers for (they deferred
 *	in an earlier boot) bound for the first time without a deferral
 */
struct ap_stats {
	atomic_t claimed, parked, queued, probes, bound, failed, deferred;
	atomic_t released, fallbacks, hung, running, max_running;
	atomic_t attempts_all, defers_all, refs, stale_parks, again;
	atomic_t wait_nomem;
	atomic_t plan_matched, plan_waits, plan_skipped, plan_deferred;
	atomic_t plan_avoided;
};

extern struct mutex ap_lock;
extern struct list_head ap_nodes;
extern struct async_domain ap_domain;
extern struct ap_stats ap_stats;

/* params.c */
extern unsigned int ap_hung_timeout;
extern unsigned int ap_ancestor_wait_ms;
enum async_probe_mode ap_get_mode(void);
bool ap_framework_active(void);
int ap_driver_policy(enum async_probe_mode mode,
		     const struct device_driver *drv, bool excluded);
unsigned int ap_max_active_param(void);
unsigned int ap_history_max_param(void);

/* core.c */
int ap_inflight_count(void);
bool ap_is_descendant(struct device *dev, struct device *ancestor);

/* deps.c */
struct ap_node *ap_node_alloc(void);
struct ap_node *ap_node_find_or_create(struct device *dev,
				       struct ap_node **spare);
struct ap_node *ap_node_find(struct device *dev);
void ap_node_free_if_idle(struct ap_node *node);
void ap_evaluate(struct ap_node *node);
void ap_release_waiters(struct ap_node *node, bool bound);
void ap_unpark(struct ap_node *node);
void ap_drop_explicit(struct ap_node *node);
unsigned int ap_drop_stale_parks(void);
bool ap_drop_ancestor_waits(struct ap_node *node, struct task_struct *waiter);

/* core.c */
int ap_queue(struct ap_node *node, const async_cookie_t *deps,
	     unsigned int ndeps);
void ap_hung_check_start(void);

/* plan.c */
enum ap_plan_mode {
	AP_PLAN_OFF,
	AP_PLAN_RECORD,
	AP_PLAN_REPLAY,
};

/*
 * Where async_probe.plan=replay finds the plan: a file of an uncompressed
 * cpio archive at the start of the initramfs, as early microcode is.
 */
#define AP_PLAN_PATH	"kernel/async_probe.plan"

/* The longest identity of a device in a plan, escaped, with its NUL. */
#define AP_PLAN_ID_MAX	384

enum ap_plan_mode ap_plan_mode_get(void);
int ap_plan_dev_id(struct device *dev, char *buf, size_t size);
void ap_plan_attempt(struct device *dev);
void ap_plan_result(struct device *dev, int ret);
void ap_plan_bound(struct device *dev);
void ap_plan_device_del(struct device *dev);
int ap_plan_show(struct seq_file *m);

/* replay.c */
struct ap_plan_table;
struct ap_plan_error {
	unsigned int line;
	const char *why;
};

int ap_replay_parse(char *text, size_t size, struct ap_plan_table **tablep,
		    struct ap_plan_error *err);
void ap_replay_free(struct ap_plan_table *t);
struct ap_plan_table *ap_replay_set(struct ap_plan_table *t);
struct ap_plan_entry *ap_replay_find(struct ap_plan_table *t, const char *id);
unsigned int ap_replay_devices(struct ap_plan_table *t);
struct ap_plan_entry *ap_replay_lookup(struct device *dev);
void ap_replay_claimed(struct ap_node *node, struct ap_plan_entry *entry);

/* trace.c */
void ap_trace_park(struct ap_node *node, unsigned int waiting);
void ap_trace_queue(struct ap_node *node);
void ap_trace_start(struct ap_node *node);
void ap_trace_end(struct ap_node *node);
void ap_trace_defer(struct ap_node *node);
ktime_t ap_trace_wait_start(void);
void ap_trace_wait(const char *what, ktime_t start);
void ap_history_add(struct ap_node *node);
void ap_history_show(struct seq_file *m);

#endif /* _DRIVERS_BASE_ASYNC_PROBE_INTERNAL_H */
