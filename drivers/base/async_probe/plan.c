// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe plan, first half: what a boot learns about its devices.
 *
 * Every probe attempt of the driver core, in every mode and on every
 * path, is recorded per device: how often it was tried and deferred, what
 * the last attempt returned and how long it took, with which driver.
 * /sys/kernel/debug/async_probe/plan prints it, one line per device, in
 * the format that Documentation/driver-api/async_probe.rst describes.
 *
 * What the record is for is the dependencies nobody declared: a probe
 * that returns -EPROBE_DEFER until some other device's probe has made
 * something (a clock, a regulator) available.  Every attempt's start and
 * every bind takes a number from one counter.  An attempt of a device X
 * that deferred took its number before it looked for its supplier S, and
 * did not find what S makes: S's bind comes after that, with a higher
 * number.  The attempt of X that succeeded found it: S's successful
 * attempt had started, with a lower number than the one X reads when its
 * attempt returns.  So S is among the devices whose successful attempt
 * overlaps that window: X's "after" candidates.  A probe that makes its
 * resource available before it returns is found by its consumers before
 * its bind, which is why the window is matched against the whole attempt
 * and not the bind alone.  With many parallel probes that window holds
 * every probe that overlapped it, so the candidates are ranked: the
 * driver core retries a deferred device after each bind, and the retry
 * that succeeded was most often let through by a bind that came before it
 * began, after the last deferred attempt: the next boot waits for those
 * ("after"), the likeliest first, and the rest of the window is "maybe".
 * A device that missed several suppliers in turn shows the last one: only
 * the window of the retry that succeeded is known to hold a supplier.
 *
 * Locking: a record's fields are written only under its device's lock
 * (the driver core's hooks and device_del() hold it), and read by the
 * debugfs file without it, with READ_ONCE().  The device's async_plan
 * pointer, written under the same lock, finds the record.  The list of
 * records is read and records are deleted under ap_plan_lock (a mutex);
 * a record is added under ap_plan_add_lock (a spinlock) alone, with RCU
 * list primitives, so that the probes of independent devices do not
 * queue on a mutex to add theirs.  A record is freed, under ap_plan_lock,
 * when its device is deleted, before the device can go away, so the
 * reader may look at the device of every record on the list.  The device
 * lock comes before both locks; neither is taken with ap_lock held, nor
 * ap_lock under them.  The driver name is copied in place: a read while
 * the device probes with another driver may show a mix of the two names.
 */
#include <linux/async_probe_log.h>
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/fwnode.h>
#include <linux/property.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>

#include "../base.h"
#include "internal.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "async_probe."

/* The most "after" candidates printed per device; more are counted. */
#define AP_PLAN_MAX_AFTER	32

/**
 * struct ap_plan_rec - what a boot learned about one device
 * @node: on ap_plan_recs, in the order of first attempts
 * @dev: the device; the record goes when the device is deleted
 * @tries: probe attempts
 * @defers: attempts that returned -EPROBE_DEFER
 * @ret: what the last attempt returned, 0 once bound
 * @probe_us: how long the last attempt took
 * @t_start: when the current attempt began
 * @seq_start: the number of the current (or last) attempt's start
 * @seq_deferred: the number of the last deferred attempt's start
 * @probing: an attempt is under way
 * @deferred: an attempt deferred since the device was last bound
 * @win_lo: the window of the retry that succeeded after deferrals: from
 *	the last deferred attempt's start to the end of the successful one
 * @win_mid: the start of the successful attempt, within the window
 * @win_hi: see @win_lo; 0: no window
 * @bind_start: the number of the start of the attempt that bound the
 *	device (its bind's own for a bind without an attempt)
 * @bind_seq: the number of the device's last bind, 0 for none
 * @drv: the driver of its last bind
 * @entry: the device's entry in the plan the boot replays, if any
 */
struct ap_plan_rec {
	struct list_head node;
	struct device *dev;
	unsigned int tries, defers;
	int ret;
	u32 probe_us;
	ktime_t t_start;
	u32 seq_start, seq_deferred;
	bool probing, deferred;
	u32 win_lo, win_mid, win_hi;
	u32 bind_start, bind_seq;
	char drv[32];
	struct ap_plan_entry *entry;
};

static enum ap_plan_mode ap_plan_mode = AP_PLAN_RECORD;
static DEFINE_MUTEX(ap_plan_lock);
static DEFINE_SPINLOCK(ap_plan_add_lock);
static LIST_HEAD(ap_plan_recs);		/* ap_plan_rec.node (see above) */
static atomic_t ap_plan_seq = ATOMIC_INIT(0);
static atomic_t ap_plan_nomem = ATOMIC_INIT(0);

static const char * const ap_plan_mode_names[] = {
	[AP_PLAN_OFF] = "off",
	[AP_PLAN_RECORD] = "record",
	[AP_PLAN_REPLAY] = "replay",
};

/* off, record, replay; a boolean means off or record. */
static int ap_set_plan(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(ap_plan_mode_names, val);
	bool on;

	if (i >= 0)
		ap_plan_mode = i;
	else if (!kstrtobool(val, &on))
		ap_plan_mode = on ? AP_PLAN_RECORD : AP_PLAN_OFF;
	else
		pr_warn("async_probe: plan=%s is not off, record or replay, leaving it %s\n",
			val, ap_plan_mode_names[ap_plan_mode]);
	return 0;
}

static int ap_get_plan(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", ap_plan_mode_names[ap_plan_mode]);
}

static const struct kernel_param_ops ap_plan_ops = {
	.set = ap_set_plan,
	.get = ap_get_plan,
};
module_param_cb(plan, &ap_plan_ops, NULL, 0444);
MODULE_PARM_DESC(plan, "off, record (default), or replay: record, and use " AP_PLAN_PATH);

/**
 * ap_plan_mode_get() - what the plan is used for in this boot
 *
 * Context: Any context.
 * Return: off, record, or replay.
 */
enum ap_plan_mode ap_plan_mode_get(void)
{
	return ap_plan_mode;
}

/* The record of @dev, made on first use; %NULL when off or no memory. */
static struct ap_plan_rec *ap_plan_get(struct device *dev)
{
	struct ap_plan_rec *rec;

	device_lock_assert(dev);
	if (ap_plan_mode == AP_PLAN_OFF)
		return NULL;
	rec = dev->p->async_plan;
	if (rec || dev->p->dead)
		return rec;
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec) {
		atomic_inc(&ap_plan_nomem);
		return NULL;
	}
	rec->dev = dev;
	rec->entry = ap_replay_lookup(dev);
	dev->p->async_plan = rec;
	spin_lock(&ap_plan_add_lock);
	list_add_tail_rcu(&rec->node, &ap_plan_recs);
	spin_unlock(&ap_plan_add_lock);
	return rec;
}

/**
 * ap_plan_attempt() - a probe attempt of a device begins
 * @dev: the device
 *
 * Context: Process context; the device lock held.
 */
void ap_plan_attempt(struct device *dev)
{
	struct ap_plan_rec *rec = ap_plan_get(dev);

	if (!rec)
		return;
	WRITE_ONCE(rec->tries, rec->tries + 1);
	rec->t_start = ktime_get();
	rec->probing = true;
	/*
	 * Fully ordered: taken before the probe looks for its suppliers, so
	 * a supplier it misses binds later, with a higher number.
	 */
	rec->seq_start = atomic_inc_return(&ap_plan_seq);
}

/**
 * ap_plan_result() - a probe attempt of a device returned
 * @dev: the device
 * @ret: what it returned, negative for an error
 *
 * Context: Process context; the device lock held.
 */
void ap_plan_result(struct device *dev, int ret)
{
	struct ap_plan_rec *rec;

	device_lock_assert(dev);
	rec = dev->p->async_plan;
	if (!rec)
		return;
	rec->probing = false;
	WRITE_ONCE(rec->probe_us, ktime_us_delta(ktime_get(), rec->t_start));
	WRITE_ONCE(rec->ret, ret);
	if (ret == -EPROBE_DEFER) {
		WRITE_ONCE(rec->defers, rec->defers + 1);
		rec->seq_deferred = rec->seq_start;
		rec->deferred = true;
	} else if (!ret && rec->deferred) {
		/* After its look for its suppliers: see ap_plan_attempt(). */
		smp_mb();
		WRITE_ONCE(rec->win_lo, rec->seq_deferred);
		WRITE_ONCE(rec->win_mid, rec->seq_start);
		WRITE_ONCE(rec->win_hi, atomic_read(&ap_plan_seq));
		rec->deferred = false;
	}
	/* A bound device's driver was copied by ap_plan_bound(). */
}

/**
 * ap_plan_bound() - a device was bound to a driver
 * @dev: the device
 *
 * Gives the bind its number, and counts a deferral the plan avoided.
 *
 * Context: Process context; the device lock held.
 */
void ap_plan_bound(struct device *dev)
{
	struct ap_plan_rec *rec = ap_plan_get(dev);
	u32 seq;

	if (!rec)
		return;
	strscpy(rec->drv, dev->driver->name, sizeof(rec->drv));
	/* A deferral the plan's learned suppliers saved: see ap_stats. */
	if (!rec->bind_seq && !rec->defers && rec->entry && rec->entry->nafter)
		atomic_inc(&ap_stats.plan_avoided);
	seq = atomic_inc_return(&ap_plan_seq);
	WRITE_ONCE(rec->bind_start, rec->probing ? rec->seq_start : seq);
	WRITE_ONCE(rec->bind_seq, seq);
}

/**
 * ap_plan_device_del() - a device is being deleted: forget its record
 * @dev: the device
 *
 * Context: Process context; the device lock held.
 */
void ap_plan_device_del(struct device *dev)
{
	struct ap_plan_rec *rec = dev->p->async_plan;

	device_lock_assert(dev);
	if (!rec)
		return;
	dev->p->async_plan = NULL;
	mutex_lock(&ap_plan_lock);
	spin_lock(&ap_plan_add_lock);
	list_del_rcu(&rec->node);
	spin_unlock(&ap_plan_add_lock);
	mutex_unlock(&ap_plan_lock);
	/* Every reader of the list holds ap_plan_lock: none is left. */
	kfree(rec);
}

/*
 * Write @s into @buf as one word of the plan: bytes that are not
 * printable, space and the plan's separators ('%', ',', '=') as %XX.
 * Return the length, or -ENAMETOOLONG if it was cut to fit.
 */
static int ap_plan_escape(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s; s++) {
		if (n + 4 > size) {
			buf[n] = '\0';
			return -ENAMETOOLONG;
		}
		if (*s > ' ' && *s < 0x7f && !strchr("%,=", *s))
			buf[n++] = *s;
		else
			n += sprintf(buf + n, "%%%02x", (unsigned char)*s);
	}
	buf[n] = '\0';
	return n;
}

/**
 * ap_plan_dev_id() - a device's identity in the plan
 * @dev: the device
 * @buf: where to write it
 * @size: the size of @buf, %AP_PLAN_ID_MAX for an identity of any length
 *	the plan can hold
 *
 * The identity is the full path of the device's firmware node where the
 * device is the one made from that node (the first registered with it,
 * whose node fw_devlink links), else its bus and name ("platform:apsim.3"),
 * escaped as a word of the plan.  Devices that share a node with the one
 * made from it (the ports of a serial controller, a driver's children)
 * thus get identities of their own.
 *
 * Context: Process context; may sleep.
 * Return: its length; -ENAMETOOLONG if it was cut to fit @buf, -ENOMEM.
 */
int ap_plan_dev_id(struct device *dev, char *buf, size_t size)
{
	struct fwnode_handle *fwnode = dev_fwnode(dev);
	char *raw;
	int ret;

	/*
	 * The driver core sets and clears fwnode->dev, with no lock, when
	 * a device of that node is added and deleted: read once.  Only a
	 * device of the node added or deleted meanwhile can change it, and
	 * then only which name @dev goes by.
	 */
	if (fwnode && !IS_ERR(fwnode) && READ_ONCE(fwnode->dev) == dev)
		raw = kasprintf(GFP_KERNEL, "%pfwf", fwnode);
	else
		raw = kasprintf(GFP_KERNEL, "%s:%s",
				dev->bus ? dev->bus->name : "-", dev_name(dev));
	if (!raw)
		return -ENOMEM;
	ret = ap_plan_escape(raw, buf, size);
	kfree(raw);
	return ret;
}

/* Print @s as one word of the plan. */
static void ap_plan_word(struct seq_file *m, const char *s, char *buf)
{
	ap_plan_escape(s, buf, AP_PLAN_ID_MAX);
	seq_puts(m, buf);
}

/* Print a device's identity; one that is too long is printed cut. */
static void ap_plan_id(struct seq_file *m, struct device *dev, char *buf)
{
	if (ap_plan_dev_id(dev, buf, AP_PLAN_ID_MAX) == -ENOMEM)
		strscpy(buf, "-", AP_PLAN_ID_MAX);
	seq_puts(m, buf);
}

struct ap_plan_bind {
	u32 seq, start;
	struct ap_plan_rec *rec;
};

static int ap_plan_cmp(const void *a, const void *b)
{
	const struct ap_plan_bind *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first index of @by (sorted by bind number) whose bind is above @seq. */
static unsigned int ap_plan_first_after(const struct ap_plan_bind *by,
					unsigned int n, u32 seq)
{
	unsigned int lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (by[mid].seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The window of a retry that succeeded: see struct ap_plan_rec. */
struct ap_plan_win {
	u32 lo, mid, hi;
};

/* The rank of bind @b in window @w (async_probe_plan_rank()). */
static enum async_probe_plan_rank ap_plan_rank(const struct ap_plan_bind *b,
					       const struct ap_plan_win *w)
{
	return async_probe_plan_rank(b->start, b->seq, w->lo, w->mid, w->hi);
}

/* Whether a device but @rec's bound between the two attempts of @w. */
static bool ap_plan_bound_between(const struct ap_plan_rec *rec,
				  const struct ap_plan_bind *by, unsigned int n,
				  const struct ap_plan_win *w)
{
	unsigned int i;

	for (i = ap_plan_first_after(by, n, w->lo); i < n && by[i].seq <= w->mid; i++)
		if (by[i].rec != rec && ap_plan_rank(&by[i], w) < ASYNC_PROBE_PLAN_LATE)
			return true;
	return false;
}

/* Whether the plan the boot replays names @c among @e's learned suppliers. */
static bool ap_plan_replayed(const struct ap_plan_entry *e,
			     const struct ap_plan_rec *c)
{
	unsigned int j;

	for (j = 0; e && c->entry && j < e->nafter; j++)
		if (e->after[j] == c->entry)
			return true;
	return false;
}

/*
 * Print the candidates of @rec's window @w of rank @rank that the replayed
 * plan does not name for it already, after the @shown printed before
 * them, up to AP_PLAN_MAX_AFTER in all; count the rest in *@more.  Return
 * how many are printed now, with those before; with @m %NULL, count.
 */
static unsigned int ap_plan_kind(struct seq_file *m, struct ap_plan_rec *rec,
				 const struct ap_plan_bind *by, unsigned int n,
				 const struct ap_plan_win *w, enum async_probe_plan_rank rank,
				 unsigned int shown, unsigned int *more, char *buf)
{
	unsigned int i;

	for (i = ap_plan_first_after(by, n, w->lo); i < n; i++) {
		if (by[i].rec == rec || ap_plan_rank(&by[i], w) != rank ||
		    ap_plan_replayed(rec->entry, by[i].rec))
			continue;
		if (shown == AP_PLAN_MAX_AFTER) {
			(*more)++;
			continue;
		}
		if (m)
			seq_puts(m, shown ? "," : "");
		if (m)
			ap_plan_id(m, by[i].rec->dev, buf);
		shown++;
	}
	return shown;
}

/*
 * Print what @rec learned: " after=", the suppliers the next boot waits
 * for, and " maybe=", the other candidates of its window.
 *
 * The suppliers the replayed plan named come first, so that what the boots
 * before this one learned is kept, and is not pushed out of a list cut
 * short by what this boot saw.  Then this boot's: a device bound after the
 * last deferred attempt began and before the successful one did (its
 * bind let the retry through) is the supplier, unless the supplier makes
 * its resource available before its probe returns and the retry found it
 * while that probe still ran.  So "after" goes on with the devices bound
 * between the two attempts, those already probing when the deferred
 * attempt began first (the likeliest: the consumer, not knowing, did not
 * wait for them); "maybe" holds the others.  When no device bound between
 * the two attempts, the others are "after".
 */
static void ap_plan_after(struct seq_file *m, struct ap_plan_rec *rec,
			  const struct ap_plan_bind *by, unsigned int n,
			  char *buf)
{
	struct ap_plan_win w = {
		.lo = READ_ONCE(rec->win_lo),
		.mid = READ_ONCE(rec->win_mid),
		.hi = READ_ONCE(rec->win_hi),
	};
	struct ap_plan_entry *e = rec->entry;
	unsigned int j, shown = 0, more = 0, maybe_more = 0;
	bool late = false;

	if (!w.hi && (!e || !e->nafter))
		return;
	seq_puts(m, " after=");
	for (j = 0; e && j < e->nafter && shown < AP_PLAN_MAX_AFTER; j++)
		seq_printf(m, "%s%s", shown++ ? "," : "", e->after[j]->id);
	if (w.hi) {
		shown = ap_plan_kind(m, rec, by, n, &w, ASYNC_PROBE_PLAN_RAN_BOUND,
				     shown, &more, buf);
		shown = ap_plan_kind(m, rec, by, n, &w, ASYNC_PROBE_PLAN_BOUND,
				     shown, &more, buf);
		late = !ap_plan_bound_between(rec, by, n, &w);
		if (late)
			shown = ap_plan_kind(m, rec, by, n, &w, ASYNC_PROBE_PLAN_LATE,
					     shown, &more, buf);
	}
	if (!shown)
		seq_putc(m, '-');
	if (more)
		seq_printf(m, ",+%u", more);
	if (!w.hi || late ||
	    !ap_plan_kind(NULL, rec, by, n, &w, ASYNC_PROBE_PLAN_LATE, 0, &maybe_more, buf))
		return;
	seq_puts(m, " maybe=");
	maybe_more = 0;
	ap_plan_kind(m, rec, by, n, &w, ASYNC_PROBE_PLAN_LATE, 0, &maybe_more, buf);
	if (maybe_more)
		seq_printf(m, ",+%u", maybe_more);
}

/*
 * Print " links=": the suppliers of @dev's managed device links.  Every
 * boot knows them and waits for them; the plan has them for the next
 * boot's priorities, which follow the longest chain of known and learned
 * suppliers alike.
 */
static void ap_plan_links(struct seq_file *m, struct device *dev, char *buf)
{
	struct device_link *link;
	unsigned int shown = 0;
	int idx;

	idx = device_links_read_lock();
	list_for_each_entry_rcu(link, &dev->links.suppliers, c_node,
				device_links_read_lock_held()) {
		if (!(link->flags & DL_FLAG_MANAGED) ||
		    link->flags & DL_FLAG_SYNC_STATE_ONLY)
			continue;
		if (shown == AP_PLAN_MAX_AFTER)
			break;
		seq_puts(m, shown++ ? "," : " links=");
		ap_plan_id(m, link->supplier, buf);
	}
	device_links_read_unlock(idx);
}

/**
 * ap_plan_show() - print the plan
 * @m: the debugfs file
 *
 * Context: Process context; takes ap_plan_lock.
 * Return: 0, or -ENOMEM.
 */
int ap_plan_show(struct seq_file *m)
{
	struct ap_plan_rec *rec;
	struct ap_plan_bind *by;
	unsigned int i = 0, n = 0, count = 0;
	char *buf;
	u32 seq;

	buf = kmalloc(AP_PLAN_ID_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&ap_plan_lock);
	list_for_each_entry_rcu(rec, &ap_plan_recs, node,
				lockdep_is_held(&ap_plan_lock))
		count++;
	by = kvmalloc_array(max(count, 1U), sizeof(*by), GFP_KERNEL);
	if (!by) {
		mutex_unlock(&ap_plan_lock);
		kfree(buf);
		return -ENOMEM;
	}
	/*
	 * Each bind number read once: a device may be bound again meanwhile.
	 * Records added since the count are left for the next read.
	 */
	list_for_each_entry_rcu(rec, &ap_plan_recs, node,
				lockdep_is_held(&ap_plan_lock)) {
		if (i++ == count)
			break;
		seq = READ_ONCE(rec->bind_seq);
		if (seq) {
			by[n].seq = seq;
			by[n].start = READ_ONCE(rec->bind_start);
			by[n++].rec = rec;
		}
	}
	sort(by, n, sizeof(*by), ap_plan_cmp, NULL);

	seq_printf(m, "# async_probe plan v1 devices=%u nomem=%d\n",
		   count, atomic_read(&ap_plan_nomem));
	list_for_each_entry_rcu(rec, &ap_plan_recs, node,
				lockdep_is_held(&ap_plan_lock)) {
		if (!count--)
			break;
		ap_plan_id(m, rec->dev, buf);
		seq_puts(m, " drv=");
		ap_plan_word(m, rec->drv[0] ? rec->drv : "-", buf);
		seq_printf(m, " ret=%d us=%u tries=%u defers=%u",
			   READ_ONCE(rec->ret), READ_ONCE(rec->probe_us),
			   READ_ONCE(rec->tries), READ_ONCE(rec->defers));
		ap_plan_after(m, rec, by, n, buf);
		ap_plan_links(m, rec->dev, buf);
		seq_putc(m, '\n');
	}
	mutex_unlock(&ap_plan_lock);
	kvfree(by);
	kfree(buf);
	return 0;
}
