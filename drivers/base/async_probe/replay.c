// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe plan, second half: a boot that uses what the last one learned.
 *
 * With async_probe.plan=replay, the plan a boot wrote (debugfs
 * async_probe/plan) is read once, at core_initcall() time, before any
 * driver registers: from the initrd image, where it is AP_PLAN_PATH in an
 * uncompressed cpio archive at the start, found the way early microcode
 * is (find_cpio_data()).  Nothing waits for the initramfs to be unpacked:
 * reading the file from the unpacked initramfs would hold every device
 * initcall back until it is, a second on a slow machine.  Bootconfig
 * would carry a 10,000-device plan (about a megabyte) badly, being meant
 * for a few kilobytes of settings (32 KiB at most).
 *
 * A device the framework takes is looked up in the plan by its identity
 * (ap_plan_dev_id()).  The suppliers its entry names ("after=") are then
 * waited for as a device link's would be, but only where that cannot go
 * wrong: a learned supplier is waited for while its probe is queued or
 * running in the framework, by its async cookie, and never when it is an
 * ancestor or a descendant of the device (ancestors have their own rule,
 * and a parent's probe may wait for its child's).  A cookie belongs to a
 * call made earlier, so learned waits cannot make a cycle; a supplier
 * that does not exist, is idle or is parked is not waited for, and the
 * device probes as it would have without a plan.  A wrong plan costs
 * time, never a device.
 *
 * The plan is checked whole before it is used: a file that is not a v1
 * plan, is cut short (its header says how many devices it holds), is
 * larger than AP_PLAN_MAX_BYTES or has a malformed line is reported once
 * and ignored.  Unknown keys are skipped, so that later v1 writers may add
 * some.
 *
 * Locking: the table is built before it is published and never changes
 * after; lookups read it without a lock.  ap_lock protects the @node and
 * @matched fields of its entries.
 */
#include <linux/device.h>
#include <linux/earlycpio.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/initrd.h>
#include <linux/kstrtox.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringhash.h>

#include "internal.h"

/* A larger file is not read: a 10,000-device plan is about a megabyte. */
#define AP_PLAN_MAX_BYTES	(16 << 20)

/* Learned suppliers kept per device, as many as the plan prints. */
#define AP_PLAN_MAX_LEARNED	32

/**
 * struct ap_plan_table - a plan read for replay
 * @text: the file, cut into the words that entries point to
 * @entries: one per device named, with a line of its own or as a supplier
 * @nentries: how many
 * @ndevices: devices with a line of their own
 * @nlearned: learned suppliers in all
 * @nsup: learned and linked suppliers in all
 * @after: the suppliers of every entry, learned and linked, one array
 * @buckets: the hash table, by identity
 * @bits: log2 of its size
 */
struct ap_plan_table {
	char *text;
	struct ap_plan_entry *entries;
	unsigned int nentries, ndevices, nlearned, nsup;
	struct ap_plan_entry **after;
	struct hlist_head *buckets;
	unsigned int bits;
};

/* The plan in use; set once, before devices probe, then never changed. */
static struct ap_plan_table *ap_replay_table;

/* A word of the plan: printable, no space and no separator. */
static bool ap_plan_word_ok(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == ',' || s[i] == '=')
			return false;
	return true;
}

static struct hlist_head *ap_replay_bucket(struct ap_plan_table *t,
					   const char *id)
{
	return &t->buckets[hash_32(full_name_hash(NULL, id, strlen(id)), t->bits)];
}

/**
 * ap_replay_find() - the entry of an identity
 * @t: the plan
 * @id: the identity, escaped as the plan writes it
 *
 * Context: Any context.
 * Return: the entry, or %NULL if the plan does not name @id.
 */
struct ap_plan_entry *ap_replay_find(struct ap_plan_table *t, const char *id)
{
	struct ap_plan_entry *e;

	hlist_for_each_entry(e, ap_replay_bucket(t, id), hnode)
		if (!strcmp(e->id, id))
			return e;
	return NULL;
}

/* A new entry for @id, which the plan does not name yet. */
static struct ap_plan_entry *ap_replay_add(struct ap_plan_table *t,
					   const char *id)
{
	struct ap_plan_entry *e = &t->entries[t->nentries++];

	e->id = id;
	hlist_add_head(&e->hnode, ap_replay_bucket(t, id));
	return e;
}

/* "# async_probe plan v1 devices=N ...": the number of devices announced. */
static int ap_replay_header(char *line, unsigned int *devices,
			    struct ap_plan_error *err)
{
	static const char magic[] = "# async_probe plan v";
	unsigned int version;
	char *tok;

	if (strncmp(line, magic, sizeof(magic) - 1)) {
		err->why = "not an async_probe plan";
		return -EINVAL;
	}
	line += sizeof(magic) - 1;
	tok = strsep(&line, " ");
	if (kstrtouint(tok, 10, &version) || version != 1) {
		err->why = "a version other than 1";
		return -EINVAL;
	}
	while ((tok = strsep(&line, " ")))
		if (!strncmp(tok, "devices=", 8) && !kstrtouint(tok + 8, 10, devices))
			return 0;
	err->why = "no device count in its header";
	return -EINVAL;
}

/*
 * Check the value of "after=": words separated by commas, of which the
 * last may be "+N" (candidates left out), or a lone "-" for none.
 * Returns the number of words, or -EINVAL.
 */
static int ap_replay_after_ok(const char *val)
{
	const char *w = val, *end;
	unsigned int more;
	int n = 0;

	if (!strcmp(val, "-"))
		return 0;
	for (;;) {
		end = strchrnul(w, ',');
		if (*w == '+')
			return !*end && !kstrtouint(w + 1, 10, &more) ? n : -EINVAL;
		if (!ap_plan_word_ok(w, end - w))
			return -EINVAL;
		n++;
		if (!*end)
			return n;
		w = end + 1;
	}
}

/* A device line of a plan, as the first pass cut it. */
struct ap_replay_dev {
	char *id, *after, *links;
	u32 us;
	int ret;
};

/*
 * Check one device line ("ID key=value ..."), cutting it into words in
 * place, into @d; @d->after is its "after=" list, %NULL for none.
 * Returns the number of suppliers it names.
 */
static int ap_replay_line(char *line, struct ap_replay_dev *d,
			  struct ap_plan_error *err)
{
	char *tok, *val;
	int n = 0, k;
	u32 u;

	*d = (struct ap_replay_dev){ .id = strsep(&line, " ") };
	if (!ap_plan_word_ok(d->id, strlen(d->id))) {
		err->why = "a device name that is not one word";
		return -EINVAL;
	}
	while ((tok = strsep(&line, " "))) {
		val = strchr(tok, '=');
		if (!val || val == tok) {
			err->why = "a field that is not key=value";
			return -EINVAL;
		}
		*val++ = '\0';
		if (!strcmp(tok, "ret")) {
			if (kstrtoint(val, 10, &d->ret))
				goto bad;
		} else if (!strcmp(tok, "us")) {
			if (kstrtou32(val, 10, &d->us))
				goto bad;
		} else if (!strcmp(tok, "tries") || !strcmp(tok, "defers")) {
			if (kstrtou32(val, 10, &u))
				goto bad;
		} else if (!strcmp(tok, "drv")) {
			if (!ap_plan_word_ok(val, strlen(val)))
				goto bad;
		} else if (!strcmp(tok, "after") || !strcmp(tok, "links")) {
			k = ap_replay_after_ok(val);
			if (k < 0)
				goto bad;
			n += k;
			if (*tok == 'a')
				d->after = val;
			else
				d->links = val;
		}
		/* Other keys are for later writers of v1: skipped. */
	}
	return n;
bad:
	err->why = "a malformed value";
	return -EINVAL;
}

/*
 * The suppliers a list names ("after=" or "links=", cut in place) for @e,
 * in the table's array of suppliers: *@nsup of them from *@sup.
 */
static void ap_replay_link(struct ap_plan_table *t, struct ap_plan_entry *e,
			   char *list, struct ap_plan_entry ***sup,
			   unsigned int *nsup)
{
	struct ap_plan_entry *s;
	char *w;

	*sup = &t->after[t->nsup];
	while (list && (w = strsep(&list, ",")) && *nsup < AP_PLAN_MAX_LEARNED) {
		if (*w == '+' || !strcmp(w, "-"))
			break;
		s = ap_replay_find(t, w) ?: ap_replay_add(t, w);
		if (s != e)
			(*sup)[(*nsup)++] = s;
	}
	t->nsup += *nsup;
}

/**
 * ap_replay_free() - free a plan's table
 * @t: the table, or %NULL
 *
 * Context: Process context.
 */
void ap_replay_free(struct ap_plan_table *t)
{
	if (!t)
		return;
	kvfree(t->entries);
	kvfree(t->after);
	kvfree(t->buckets);
	kvfree(t->text);
	kfree(t);
}

/* The suppliers of @e, learned then linked: how many, and the @j-th. */
static unsigned int ap_nsup(const struct ap_plan_entry *e)
{
	return e->nafter + e->nlinks;
}

static struct ap_plan_entry *ap_sup(const struct ap_plan_entry *e, unsigned int j)
{
	return j < e->nafter ? e->after[j] : e->links[j - e->nafter];
}

/*
 * Give every entry its priority: the probe time of the longest chain it
 * heads (its own, then that of the consumers waiting for it, by a learned
 * supplier or a device link, and so on), so that when more probes are
 * ready than may run, the one the most work waits for starts first.  A device whose probe found no
 * hardware last time (-ENODEV, -ENXIO) comes after all others; it is
 * still probed.  Longest paths in the graph of learned suppliers, in
 * topological order from the devices nobody waits for; devices on a cycle
 * (a plan can have one) keep what they have when the order stops.
 */
static int ap_replay_prio(struct ap_plan_table *t)
{
	unsigned int *waiters, *queue, head = 0, tail = 0, i, j;
	struct ap_plan_entry *e, *s;
	u64 *best;
	int ret = -ENOMEM;

	waiters = kvcalloc(t->nentries, sizeof(*waiters), GFP_KERNEL);
	queue = kvcalloc(t->nentries, sizeof(*queue), GFP_KERNEL);
	best = kvcalloc(t->nentries, sizeof(*best), GFP_KERNEL);
	if (!waiters || !queue || !best)
		goto out;
	for (i = 0; i < t->nentries; i++)
		for (j = 0; j < ap_nsup(&t->entries[i]); j++)
			waiters[ap_sup(&t->entries[i], j) - t->entries]++;
	for (i = 0; i < t->nentries; i++)
		if (!waiters[i])
			queue[tail++] = i;
	while (head < tail) {
		e = &t->entries[queue[head++]];
		best[e - t->entries] += e->us;
		for (j = 0; j < ap_nsup(e); j++) {
			s = ap_sup(e, j);
			i = s - t->entries;
			best[i] = max(best[i], best[e - t->entries]);
			if (!--waiters[i])
				queue[tail++] = i;
		}
	}
	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		if (waiters[i])
			best[i] += e->us;
		e->prio = e->absent ? INT_MIN : min_t(u64, best[i], INT_MAX);
	}
	ret = 0;
out:
	kvfree(best);
	kvfree(queue);
	kvfree(waiters);
	return ret;
}

/**
 * ap_replay_parse() - check a plan and build its table
 * @text: the file, a kvmalloc() buffer, which this cuts into words in
 *	place; on success the table owns it, else the caller does
 * @size: its size
 * @tablep: where to put the table
 * @err: on error, the line and what is wrong with it
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for a plan that is not valid, -ENOMEM.
 */
int ap_replay_parse(char *text, size_t size, struct ap_plan_table **tablep,
		    struct ap_plan_error *err)
{
	unsigned int lines = 0, devices, ndev = 0, names = 0, learned = 0, i;
	struct ap_replay_dev *dl;
	struct ap_plan_entry *e;
	struct ap_plan_table *t;
	char *p, *line;
	int n, ret;

	*err = (struct ap_plan_error){ .line = 1 };
	if (!size || text[size - 1] != '\n') {
		err->why = size ? "cut short (no newline at its end)" : "empty";
		return -EINVAL;
	}
	if (memchr(text, '\0', size)) {
		err->why = "a NUL byte";
		return -EINVAL;
	}
	text[size - 1] = '\0';
	for (i = 0; i < size; i++)
		lines += text[i] == '\n';

	p = text;
	ret = ap_replay_header(strsep(&p, "\n"), &devices, err);
	if (ret)
		return ret;
	dl = kvmalloc_array(max(lines, 1U), sizeof(*dl), GFP_KERNEL);
	if (!dl)
		return -ENOMEM;
	/* First pass: check every line; count devices and suppliers. */
	for (err->line = 2; (line = strsep(&p, "\n")); err->line++) {
		if (!*line || *line == '#')
			continue;
		n = ap_replay_line(line, &dl[ndev], err);
		if (n < 0) {
			ret = -EINVAL;
			goto out;
		}
		names += n;
		learned += min(n, 2 * AP_PLAN_MAX_LEARNED);
		ndev++;
	}
	if (ndev != devices) {
		err->why = ndev < devices ? "cut short (fewer devices than its header says)" :
					    "more devices than its header says";
		ret = -EINVAL;
		goto out;
	}

	ret = -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto out;
	t->bits = ilog2(roundup_pow_of_two(max(ndev + names, 2U)));
	t->buckets = kvcalloc(1U << t->bits, sizeof(*t->buckets), GFP_KERNEL);
	t->entries = kvcalloc(max(ndev + names, 1U), sizeof(*t->entries), GFP_KERNEL);
	t->after = kvcalloc(max(learned, 1U), sizeof(*t->after), GFP_KERNEL);
	if (!t->buckets || !t->entries || !t->after) {
		ap_replay_free(t);
		goto out;
	}
	/* Second pass: an entry per device (the first line wins), then edges. */
	for (i = 0; i < ndev; i++) {
		if (ap_replay_find(t, dl[i].id)) {
			dl[i].id = NULL;
			continue;
		}
		e = ap_replay_add(t, dl[i].id);
		e->listed = true;
		e->us = dl[i].us;
		e->absent = dl[i].ret == -ENODEV || dl[i].ret == -ENXIO;
	}
	t->ndevices = t->nentries;
	for (i = 0; i < ndev; i++) {
		if (!dl[i].id)
			continue;
		e = ap_replay_find(t, dl[i].id);
		ap_replay_link(t, e, dl[i].after, &e->after, &e->nafter);
		ap_replay_link(t, e, dl[i].links, &e->links, &e->nlinks);
		t->nlearned += e->nafter;
	}
	ret = ap_replay_prio(t);
	if (ret) {
		ap_replay_free(t);
		goto out;
	}
	t->text = text;
	*tablep = t;
	ret = 0;
out:
	kvfree(dl);
	return ret;
}

/**
 * ap_replay_devices() - how many devices a plan has lines for
 * @t: the plan
 *
 * Context: Any context.
 * Return: the number, duplicates counted once.
 */
unsigned int ap_replay_devices(struct ap_plan_table *t)
{
	return t->ndevices;
}

/**
 * ap_replay_set() - make a plan the one the framework replays
 * @t: the plan, or %NULL for none
 *
 * For the KUnit suite, which must put the boot's plan back afterwards;
 * the boot sets it once, before devices probe.
 *
 * Context: Process context; no device may be claimed meanwhile.
 * Return: the plan replayed until now, or %NULL.
 */
struct ap_plan_table *ap_replay_set(struct ap_plan_table *t)
{
	struct ap_plan_table *old = ap_replay_table;

	/* Pairs with ap_replay_lookup(): the table is built. */
	smp_store_release(&ap_replay_table, t);
	return old;
}

/**
 * ap_replay_lookup() - the plan entry of a device
 * @dev: the device
 *
 * Called for every device the framework claims, and for every device at
 * its first probe attempt (or bind without one) in this boot, whoever
 * probes it: the first call that finds an entry the plan lists counts it
 * as matched.
 *
 * Context: Process context; may sleep.
 * Return: the entry, or %NULL if no plan is replayed or it does not name
 * @dev.
 */
struct ap_plan_entry *ap_replay_lookup(struct device *dev)
{
	struct ap_plan_entry *e = NULL;
	struct ap_plan_table *t;
	char *id;

	/* Pairs with ap_replay_set(): the table is built. */
	t = smp_load_acquire(&ap_replay_table);
	if (!t)
		return NULL;
	id = kmalloc(AP_PLAN_ID_MAX, GFP_KERNEL);
	if (id && ap_plan_dev_id(dev, id, AP_PLAN_ID_MAX) > 0)
		e = ap_replay_find(t, id);
	kfree(id);
	/*
	 * Matched by the first device with its identity offered for a probe,
	 * on whichever path: the framework's claim, or the first attempt of
	 * a probe that the driver core runs itself (plan.c).
	 */
	if (e && e->listed && !test_and_set_bit(0, &e->matched))
		atomic_inc(&ap_stats.plan_matched);
	return e;
}

/**
 * ap_replay_claimed() - a device the plan names was claimed
 * @node: its node
 * @entry: its entry, or %NULL
 *
 * Its consumers can now find @node through @entry.
 *
 * Context: ap_lock held.
 */
void ap_replay_claimed(struct ap_node *node, struct ap_plan_entry *entry)
{
	lockdep_assert_held(&ap_lock);

	node->plan = entry;
	if (entry)
		entry->node = node;
}

/*
 * Find the plan in the initrd image as the boot loader left it: a file
 * AP_PLAN_PATH in an uncompressed cpio archive at its start (where early
 * microcode goes), found without unpacking anything.
 */
static int __init ap_replay_find_plan(void **data, size_t *size)
{
	struct cpio_data cd = { };
	long off = 0, next;
	void *p;

	if (!IS_ENABLED(CONFIG_BLK_DEV_INITRD) || !initrd_start)
		return -ENOENT;
	for (;;) {
		next = 0;
		cd = find_cpio_data(AP_PLAN_PATH, (void *)initrd_start + off,
				    initrd_end - initrd_start - off, &next);
		if (!cd.data)
			return -ENOENT;
		/* A name that only begins with AP_PLAN_PATH: look further. */
		if (!cd.name[0])
			break;
		off += next;
	}
	if (cd.size > AP_PLAN_MAX_BYTES)
		return -EFBIG;
	p = kvmalloc(max(cd.size, 1UL), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	memcpy(p, cd.data, cd.size);
	*data = p;
	*size = cd.size;
	return 0;
}

/*
 * Read the plan once, before drivers register: at core_initcall() time the
 * initrd is still where the boot loader put it (populate_rootfs() frees
 * it, later), and nothing waits for it to be unpacked.
 */
static int __init ap_replay_init(void)
{
	struct ap_plan_table *t = NULL;
	struct ap_plan_error err;
	ktime_t start = ktime_get();
	void *buf = NULL;
	size_t size = 0;
	int ret;

	if (ap_plan_mode_get() != AP_PLAN_REPLAY)
		return 0;
	ret = ap_replay_find_plan(&buf, &size);
	if (ret == -ENOENT) {
		pr_info("async_probe: plan: no %s in the initramfs, nothing to replay\n",
			AP_PLAN_PATH);
		return 0;
	}
	if (ret) {
		pr_warn("async_probe: plan: %s ignored: %pe%s\n", AP_PLAN_PATH, ERR_PTR(ret),
			ret == -EFBIG ? " (larger than 16 MiB)" : "");
		return 0;
	}
	ret = ap_replay_parse(buf, size, &t, &err);
	if (ret) {
		if (ret == -EINVAL)
			pr_warn("async_probe: plan: %s ignored: line %u: %s\n",
				AP_PLAN_PATH, err.line, err.why);
		else
			pr_warn("async_probe: plan: %s ignored: %pe\n", AP_PLAN_PATH,
				ERR_PTR(ret));
		kvfree(buf);
		return 0;
	}
	ap_replay_set(t);
	pr_info("async_probe: plan: %u devices, %u learned suppliers (%zu KiB, read in %lld us)\n",
		t->ndevices, t->nlearned, DIV_ROUND_UP(size, 1024),
		ktime_us_delta(ktime_get(), start));
	return 0;
}
core_initcall(ap_replay_init);

/* Say how much of the plan the devices probed at boot matched. */
static int __init ap_replay_report(void)
{
	/* Pairs with ap_replay_set(). */
	struct ap_plan_table *t = smp_load_acquire(&ap_replay_table);

	if (!t)
		return 0;
	pr_info("async_probe: plan: %d of %u devices matched so far, %d learned suppliers waited for, %d not, %d deferrals avoided, %d planned probes deferred\n",
		atomic_read(&ap_stats.plan_matched), t->ndevices,
		atomic_read(&ap_stats.plan_waits),
		atomic_read(&ap_stats.plan_skipped),
		atomic_read(&ap_stats.plan_avoided),
		atomic_read(&ap_stats.plan_deferred));
	return 0;
}
late_initcall_sync(ap_replay_report);
