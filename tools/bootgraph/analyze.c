// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph analysis: device outcomes, boot statistics, the critical
 * chain, and the row layout shared by the svg and html timelines.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <linux/async_probe_log.h>

#include "bootgraph.h"

#define EPROBE_DEFER	517

/*
 * A probe's result: the driver core's own errors are negative (-517: a
 * supplier is missing), but since 6.12 "probe of" prints a driver's
 * error negated, as really_probe() returns it: 517 is the driver's
 * -EPROBE_DEFER, 19 its -ENODEV.
 */
bool bg_ret_deferred(int ret)
{
	return ret == -EPROBE_DEFER || ret == EPROBE_DEFER;
}

bg_time bg_att_len(const struct bg_attempt *a)
{
	if (a->start == BG_NOTIME || a->end == BG_NOTIME)
		return 0;
	return a->end - a->start;
}

/* The sum of len() over d's attempts, saturating. */
static bg_time dev_sum(const struct bg_dev *d,
		       bg_time (*len)(const struct bg_attempt *a))
{
	bg_time t = 0;
	int i;

	for (i = 0; i < d->natt; i++)
		t = bg_add(t, len(&d->att[i]));
	return t;
}

bg_time bg_dev_time(const struct bg_dev *d)
{
	return dev_sum(d, bg_att_len);
}

bg_time bg_att_self(const struct bg_attempt *a)
{
	bg_time t = bg_att_len(a) - a->child_time;

	return t > 0 ? t : 0;
}

bg_time bg_dev_self(const struct bg_dev *d)
{
	return dev_sum(d, bg_att_self);
}

int bg_dev_nchild(const struct bg_dev *d)
{
	int i, n = 0;

	for (i = 0; i < d->natt; i++)
		n += d->att[i].nchild;
	return n;
}

const struct bg_attempt *bg_dev_last(const struct bg_dev *d)
{
	return d->natt ? &d->att[d->natt - 1] : NULL;
}

bg_time bg_first_ts(const struct bg_attempt *a)
{
	if (a->park != BG_NOTIME)
		return a->park;
	if (a->queue != BG_NOTIME)
		return a->queue;
	return a->start != BG_NOTIME ? a->start : a->end;
}

/* Where the bar of a attempt ends: its end, or the end of the log. */
bg_time bg_vis_end(const struct bg_model *m, const struct bg_attempt *a)
{
	bg_time s = a->start != BG_NOTIME ? a->start : bg_first_ts(a);

	if (a->end != BG_NOTIME)
		return a->end;
	return m->last_ts > s ? m->last_ts : s;
}

static bg_time dev_first_ts(const struct bg_dev *d)
{
	bg_time t = d->defer_ts;
	int i;

	for (i = 0; i < d->natt; i++)
		if (t == BG_NOTIME || bg_first_ts(&d->att[i]) < t)
			t = bg_first_ts(&d->att[i]);
	return t;
}

static enum bg_state dev_state(const struct bg_dev *d)
{
	const struct bg_attempt *a = bg_dev_last(d);

	if (!a)
		return ST_DEFERRED;
	if (a->end != BG_NOTIME) {
		if (a->ret == 0)
			return ST_BOUND;
		return bg_ret_deferred(a->ret) ? ST_DEFERRED : ST_FAILED;
	}
	if (a->start != BG_NOTIME)
		return ST_RUNNING;
	if (d->defer_ts != BG_NOTIME && d->defer_ts >= bg_first_ts(a))
		return ST_DEFERRED;
	return ST_PENDING;
}

/*
 * The bus (or, for ataN and inputN, the subsystem) that the shape of a
 * device's name gives away.  Order matters: "0-0050" is an I2C client,
 * not a USB device.
 */
static const struct {
	const char *re, *bus;
} name_shapes[] = {
	{ "^[0-9a-f]{4,}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$",	"pci" },
	{ "^[0-9]+-[0-9a-f]{4}$",				"i2c" },
	{ "^usb[0-9]+$",					"usb" },
	{ "^[0-9]+-[0-9]+(\\.[0-9]+)*(:[0-9]+\\.[0-9]+)?$",	"usb" },
	{ "^[0-9]+:[0-9]+:[0-9]+:[0-9]+$",			"scsi" },
	{ "^(host|target)[0-9]+(:[0-9]+)*$",			"scsi" },
	{ "^ata[0-9]+(\\.[0-9]+)?$",				"ata" },
	{ "^virtio[0-9]+$",					"virtio" },
	{ "^serio[0-9]+$",					"serio" },
	{ "^input[0-9]+$",					"input" },
	{ "^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{4}\\.[0-9A-F]{4}$",	"hid" },
	{ "^[0-9a-f]{2}:[0-9a-f]{2}$",				"pnp" },
	{ "^[0-9a-f]{2}:[0-9a-f]{2}:[0-9]+(\\.[0-9]+)?$",		"serial-base" },
	{ "^[a-z0-9_]*serial[a-z0-9_]*:[0-9]+(\\.[0-9]+)?$",	"serial-base" },
	{ "^[A-Z0-9_]{7,8}:[0-9a-f]{2}$",			"acpi" },
};

/* Words that name a bus or subsystem: never a driver. */
static const char *const bus_words[] = {
	"pci", "usb", "scsi", "platform", "virtio", "serio", "i2c", "spi",
	"acpi", "pnp", "hid", "serial-base", "ata", "input", "mdio_bus",
	"amba", "sdio", "mmc", "cpu", "memory", "node", "container",
};

static regex_t shape_re[ARRAY_SIZE(name_shapes)];

static const char *bus_from_name(const char *name)
{
	static bool compiled;
	size_t i;

	if (!compiled) {
		for (i = 0; i < ARRAY_SIZE(name_shapes); i++)
			if (regcomp(&shape_re[i], name_shapes[i].re,
				    REG_EXTENDED | REG_NOSUB))
				abort();	/* a bad pattern above */
		compiled = true;
	}
	for (i = 0; i < ARRAY_SIZE(name_shapes); i++)
		if (!regexec(&shape_re[i], name, 0, NULL, 0))
			return name_shapes[i].bus;
	return NULL;
}

static bool is_bus_word(const struct bg_dev *d, const char *w)
{
	size_t i;

	if (d->bus && !strcmp(w, d->bus))
		return true;
	for (i = 0; i < ARRAY_SIZE(bus_words); i++)
		if (!strcmp(w, bus_words[i]))
			return true;
	return false;
}

/*
 * Bus and driver where no event named them.  The bus from the name's
 * shape, else the first word of the "word DEV: msg" lines when a later
 * one differs (dev_printk() prints the bus until a driver binds).  The
 * driver from an nvme-style "pci function DEV" line, else the last such
 * word that is not a bus.
 */
static void guess_names(struct bg_dev *d)
{
	const char *const cand[] = { d->hint_drv, d->hint_last, d->hint_alt,
				     d->hint_first };
	size_t i;

	if (!d->bus)
		d->bus = bus_from_name(d->name);
	if (!d->bus && d->hint_first && d->hint_first != d->drv &&
	    (d->hint_alt || is_bus_word(d, d->hint_first)))
		d->bus = d->hint_first;
	for (i = 0; i < ARRAY_SIZE(cand) && !d->drv; i++)
		if (cand[i] && !is_bus_word(d, cand[i]))
			d->drv = cand[i];
}

/* ------------------------------------------------------------------ */

/* A device and its first timestamp, computed once for the sort. */
struct dev_first {
	bg_time t;
	struct bg_dev *d;
};

static int cmp_dev_first(const void *pa, const void *pb)
{
	const struct dev_first *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->d->order - b->d->order;
}

static void pick_shown(struct bg_model *m)
{
	struct dev_first *k = xcalloc(m->ndevs + 1, sizeof(*k));
	struct bg_dev *d;
	int i, n = 0;

	for (i = 0; i < m->ndevs; i++) {
		d = m->devs[i];
		if (!d->probed)
			continue;
		guess_names(d);
		d->state = dev_state(d);
		m->st.nstate[d->state]++;
		k[n++] = (struct dev_first){ dev_first_ts(d), d };
	}
	qsort(k, n, sizeof(*k), cmp_dev_first);
	m->shown = xcalloc(m->ndevs, sizeof(*m->shown));
	for (i = 0; i < n; i++)
		m->shown[i] = k[i].d;
	m->nshown = n;
	free(k);
	m->st.ndev = m->nshown;
}

static void probe_stats(struct bg_model *m)
{
	struct bg_stats *st = &m->st;
	struct bg_attempt *a;
	int i, j;

	st->probe_start = BG_NOTIME;
	st->probe_end = BG_NOTIME;
	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			st->nattempts++;
			if (a->start == BG_NOTIME)
				continue;
			if (st->probe_start == BG_NOTIME || a->start < st->probe_start)
				st->probe_start = a->start;
			if (a->end == BG_NOTIME)
				continue;
			if (st->probe_end == BG_NOTIME || a->end > st->probe_end)
				st->probe_end = a->end;
			st->serial = bg_add(st->serial, bg_att_len(a));
		}
	}
}

static void initcall_stats(struct bg_model *m)
{
	const struct bg_call *c;
	int i;

	for (i = 0; i < m->initcalls.n; i++) {
		c = &m->initcalls.v[i];
		m->st.ninitcalls++;
		if (c->end != BG_NOTIME)
			m->st.init_sum = bg_add(m->st.init_sum, c->end - c->start);
	}
}

static bg_time later(bg_time a, bg_time b)
{
	return a == BG_NOTIME || (b != BG_NOTIME && b > a) ? b : a;
}

static bg_time calls_end(const struct bg_model *m, const struct bg_callset *cs,
			 bg_time t)
{
	const struct bg_call *c;
	int i;

	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		if (c->start == BG_NOTIME)
			continue;
		t = later(t, c->end != BG_NOTIME ? c->end :
			  later(c->start, m->last_ts));
	}
	return t;
}

/*
 * The last moment a picture draws something: the end of the last bar
 * (a probe or call still running is drawn to the end of the log), of a
 * deferral tick, or a phase marker.  The log may go on for seconds past
 * it, with nothing in it to draw.
 */
static void view_end(struct bg_model *m)
{
	const struct bg_dev *d;
	bg_time t = BG_NOTIME;
	int i, j;

	for (i = 0; i < m->nshown; i++) {
		d = m->shown[i];
		for (j = 0; j < d->natt; j++)
			t = later(t, bg_vis_end(m, &d->att[j]));
		if (!d->natt)
			t = later(t, d->defer_ts);
	}
	t = calls_end(m, &m->initcalls, t);
	t = calls_end(m, &m->asyncs, t);
	for (i = 0; i < MARK_NR; i++)
		t = later(t, m->mark[i].ts);
	m->st.view_end = t != BG_NOTIME ? t : m->last_ts;
}

/* ------------------------------------------------------------------ */

static int cmp_att_end(const void *pa, const void *pb)
{
	const struct bg_attempt *a = *(struct bg_attempt *const *)pa;
	const struct bg_attempt *b = *(struct bg_attempt *const *)pb;

	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->dev->order != b->dev->order)
		return a->dev->order - b->dev->order;
	return a < b ? -1 : a > b;
}

/* Finished attempts sorted by end time; each gets its rank. */
static struct bg_attempt **sorted_ends(struct bg_model *m, int *n)
{
	struct bg_attempt **v = xcalloc(m->st.nattempts, sizeof(*v));
	struct bg_attempt *a;
	int i, j;

	*n = 0;
	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (a->end != BG_NOTIME && a->start != BG_NOTIME)
				v[(*n)++] = a;
		}
	}
	qsort(v, *n, sizeof(*v), cmp_att_end);
	for (i = 0; i < *n; i++)
		v[i]->rank = i;
	return v;
}

/* The latest-ending attempt that ended before cur started. */
static struct bg_attempt *time_pred(struct bg_attempt **v, struct bg_attempt *cur)
{
	int lo = 0, hi = cur->rank;	/* search v[0 .. rank) */

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (v[mid]->end <= cur->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? v[lo - 1] : NULL;
}

const char *const bg_why_name[WHY_NR] = {
	[WHY_NONE] = NULL,
	[WHY_SUPPLIER] = "supplier",
	[WHY_PARENT] = "parent",
	[WHY_RETRY] = "retry",
};

static struct bg_dev *find_dev(const struct bg_model *m, const char *name,
			       size_t len)
{
	void **v = strmap_find(&m->devmap, name, len);

	return v ? *v : NULL;
}

static struct bg_dev *find_devf(const struct bg_model *m, const char *fmt,
				unsigned int n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), fmt, n);
	return find_dev(m, buf, strlen(buf));
}

static bool bus_is(const struct bg_dev *d, const char *bus)
{
	return d->bus && !strcmp(d->bus, bus);
}

/* The device whose probe by driver drv was running at ts. */
static struct bg_dev *probing_with(const struct bg_model *m, const char *drv,
				   bg_time ts)
{
	const struct bg_attempt *a;
	int i, j;

	for (i = 0; i < m->nshown; i++) {
		if (!m->shown[i]->drv || strcmp(m->shown[i]->drv, drv))
			continue;
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (a->start != BG_NOTIME && a->start <= ts &&
			    (a->end == BG_NOTIME || ts <= a->end))
				return m->shown[i];
		}
	}
	return NULL;
}

/*
 * The device that added d, where the log says so ("scsi host2:
 * usb-storage 2-1:1.0"; "scsi host0: ahci" while ahci probed a device)
 * or its name does: SCSI "2:0:0:0" -> "host2"; a
 * name less its last ":x" or ".x" ("2-1:1.0" -> "2-1", "2-1.4" -> "2-1",
 * "00:03:0" -> "00:03"); a USB port or root hub interface "2-1", "2-0:1.0"
 * -> its root hub "usb2".
 */
static struct bg_dev *topo_parent(const struct bg_model *m,
				  const struct bg_dev *d)
{
	const char *n = d->name;
	size_t len = strlen(n);
	struct bg_dev *p;
	unsigned int h;

	if (d->parent)
		return find_dev(m, d->parent, strlen(d->parent));
	if (d->added_by)
		return probing_with(m, d->added_by, d->added_ts);
	if (bus_is(d, "scsi") && sscanf(n, "%u:", &h) == 1)
		return find_devf(m, "host%u", h);
	while (len) {
		while (len && n[len - 1] != ':' && n[len - 1] != '.')
			len--;
		if (!len--)
			break;
		p = find_dev(m, n, len);
		if (p)
			return p;
	}
	if (bus_is(d, "usb") && sscanf(n, "%u-", &h) == 1 &&
	    (!strpbrk(n, ":.") || strstr(n, "-0:")))
		return find_devf(m, "usb%u", h);
	return NULL;
}

/* The latest finished attempt of d that ended before cur started. */
static struct bg_attempt *done_before(const struct bg_dev *d,
				      const struct bg_attempt *cur)
{
	struct bg_attempt *a, *best = NULL;
	int i;

	for (i = 0; d && i < d->natt; i++) {
		a = &d->att[i];
		if (a->rank < 0 || a->rank >= cur->rank || a->end > cur->start)
			continue;
		if (!best || a->rank > best->rank)
			best = a;
	}
	return best;
}

/* The latest supplier attempt (deps=, device links) before cur started. */
static struct bg_attempt *dep_pred(struct bg_model *m, struct bg_attempt *cur)
{
	struct bg_attempt *best = NULL, *a;
	int i;

	for (i = 0; i < cur->dev->ndeps; i++) {
		a = done_before(find_dev(m, cur->dev->deps[i],
					 strlen(cur->dev->deps[i])), cur);
		if (a && (!best || a->rank > best->rank))
			best = a;
	}
	return best;
}

/*
 * A retry of a deferred probe: the driver core retries deferred probes
 * when a probe binds, so the last probe that bound between the deferral
 * and the retry.
 */
static struct bg_attempt *retry_pred(struct bg_attempt **v,
				     struct bg_attempt *cur)
{
	const struct bg_attempt *prev;
	struct bg_attempt *a = time_pred(v, cur);
	int i;

	if (cur == cur->dev->att)
		return NULL;
	prev = cur - 1;
	if (prev->end == BG_NOTIME || !bg_ret_deferred(prev->ret) || !a)
		return NULL;
	for (i = a->rank; i >= 0 && v[i]->end >= prev->end; i--)
		if (!v[i]->ret && v[i]->dev != cur->dev)
			return v[i];
	return NULL;
}

#define MAX_INSIDE	64

/*
 * The parent's probe, or its parent's where the parent was not probed
 * (a SCSI host: "2:0:0:0" -> host2 -> "2-1:1.0").
 */
static struct bg_attempt *parent_pred(struct bg_model *m,
				      struct bg_attempt *cur)
{
	struct bg_dev *d = topo_parent(m, cur->dev);
	int depth;

	for (depth = 0; d && depth < MAX_INSIDE; depth++) {
		if (d->natt)
			return done_before(d, cur);
		d = topo_parent(m, d);
	}
	return NULL;
}

/*
 * The probe cur waited for, on evidence only; cur->why says which.  A
 * probe that ran inside another's (nested) waited for what that one
 * waited for.
 */
static struct bg_attempt *chain_pred(struct bg_model *m, struct bg_attempt **v,
				     struct bg_attempt *cur, int depth)
{
	struct bg_attempt *p;

	cur->inside = NULL;
	cur->why = WHY_SUPPLIER;
	p = dep_pred(m, cur);
	if (p)
		return p;
	cur->why = WHY_PARENT;
	p = parent_pred(m, cur);
	if (p)
		return p;
	cur->why = WHY_RETRY;
	p = retry_pred(v, cur);
	if (p)
		return p;
	cur->why = WHY_NONE;
	if (!cur->parent || depth >= MAX_INSIDE)
		return NULL;
	p = chain_pred(m, v, cur->parent, depth + 1);
	cur->why = cur->parent->why;
	cur->inside = cur->parent;
	return p;
}

/*
 * The chain that ends with target (NULL: the probe that ended last),
 * replacing any chain computed before.
 */
void bg_critical_chain(struct bg_model *m, struct bg_attempt *target)
{
	struct bg_attempt **v, *cur, *pred, *last = NULL;
	int n, i;

	for (i = 0; i < m->nchain; i++) {
		m->chain[i]->crit = false;
		m->chain[i]->dev->crit = false;
	}
	free(m->chain);
	m->nchain = 0;
	m->st.crit_busy = 0;
	v = sorted_ends(m, &n);
	m->chain = xcalloc(n, sizeof(*m->chain));
	if (!target && n)
		target = v[n - 1];
	for (cur = target; cur; cur = pred) {
		cur->crit = true;
		cur->dev->crit = true;
		m->chain[m->nchain++] = cur;
		pred = chain_pred(m, v, cur, 0);
		last = cur;
	}
	m->chain_cut = last && time_pred(v, last);
	for (i = 0; i < m->nchain / 2; i++) {
		cur = m->chain[i];
		m->chain[i] = m->chain[m->nchain - 1 - i];
		m->chain[m->nchain - 1 - i] = cur;
	}
	for (i = 0; i < m->nchain; i++)
		m->st.crit_busy = bg_add(m->st.crit_busy,
					 bg_att_len(m->chain[i]));
	m->st.crit_start = m->nchain ? m->chain[0]->start : BG_NOTIME;
	free(v);
}

/* ------------------------------------------------------------------ */
/* What pid 1 waited for: its waits for async work and its initcalls. */

bg_time bg_call_len(const struct bg_call *c)
{
	return c->start != BG_NOTIME && c->end != BG_NOTIME ?
	       c->end - c->start : -1;
}

bool bg_is_wait(const struct bg_call *c)
{
	return !strncmp(c->func, "async_synchronize", 17);
}

/*
 * The async_probe framework's own async calls (async_probe_log.h): one
 * runs a probe, which the model has as a probe of its own, the other ends
 * probes.  Neither is what a wait was for: the probe is.
 */
bool bg_is_framework_call(const struct bg_call *c)
{
	return !strcmp(c->func, ASYNC_PROBE_CALL_PROBE) ||
	       !strcmp(c->func, ASYNC_PROBE_CALL_END);
}

/* The pid 1 wait for async work that took longest inside [t0, t1]. */
const struct bg_call *bg_longest_wait(const struct bg_model *m, bg_time t0,
				      bg_time t1)
{
	const struct bg_call *c, *best = NULL;
	int i;

	for (i = 0; i < m->asyncs.n; i++) {
		c = &m->asyncs.v[i];
		if (c->pid != 1 || !bg_is_wait(c) || bg_call_len(c) < 0 ||
		    c->start < t0 || c->end > t1)
			continue;
		if (!best || bg_call_len(c) > bg_call_len(best))
			best = c;
	}
	return best;
}

/*
 * What pid 1 spent longest on before t: its longest initcall or its
 * longest wait for async work, whichever took longer; NULL if neither.
 */
const struct bg_call *bg_pid1_longest(const struct bg_model *m, bg_time t)
{
	const struct bg_call *c, *big = NULL, *w;
	int i;

	for (i = 0; i < m->initcalls.n; i++) {
		c = &m->initcalls.v[i];
		if (c->pid != 1 || bg_call_len(c) < 0 || c->end > t)
			continue;
		if (!big || bg_call_len(c) > bg_call_len(big))
			big = c;
	}
	w = bg_longest_wait(m, BG_NOTIME + 1, t);
	return big && (!w || bg_call_len(big) >= bg_call_len(w)) ? big : w;
}

/*
 * The probe a call (an initcall or a wait) waited for: for a wait, or an
 * initcall with a wait inside, the probe that finished last in the wait;
 * for an initcall without one, the longest probe that ran inside it.
 */
struct bg_attempt *bg_call_waited_for(const struct bg_model *m,
				      const struct bg_call *c)
{
	const struct bg_call *w = bg_is_wait(c) ? c :
				  bg_longest_wait(m, c->start, c->end);

	return w ? bg_last_probe_in(m, w->start, w->end) :
		   bg_longest_probe_in(m, c);
}

/* The probe that finished last inside [t0, t1]: what a wait waited for. */
struct bg_attempt *bg_last_probe_in(const struct bg_model *m, bg_time t0,
				    bg_time t1)
{
	struct bg_attempt *a, *best = NULL;
	int i, j;

	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (a->start == BG_NOTIME || a->end == BG_NOTIME ||
			    a->end < t0 || a->end > t1)
				continue;
			if (!best || a->end > best->end)
				best = a;
		}
	}
	return best;
}

/* The longest probe that ran inside call c, on pid 1 or unknown. */
struct bg_attempt *bg_longest_probe_in(const struct bg_model *m,
				       const struct bg_call *c)
{
	struct bg_attempt *a, *best = NULL;
	int i, j;

	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (a->start == BG_NOTIME || a->end == BG_NOTIME ||
			    a->start < c->start || a->end > c->end ||
			    (a->pid >= 0 && a->pid != 1))
				continue;
			if (!best || bg_att_len(a) > bg_att_len(best))
				best = a;
		}
	}
	return best;
}

/* ------------------------------------------------------------------ */
/*
 * Nested probes.  A probe that adds a device may probe it before it
 * returns, on its own task: USB device, then its interface, then the HID
 * device.  The parent's time holds the child's.  An attempt is the child
 * of the innermost attempt that contains it in time and
 *  - ran on the same task (both pids known: async_probe start lines,
 *    tracepoints, or printk caller ids), or
 *  - when either pid is unknown, whose device's name its own extends
 *    after a ':' or '.' ("1-1" -> "1-1:1.0" or "1-1.2", "00:03" ->
 *    "00:03:0" -> "00:03:0.0"), or that the log names as its parent
 *    ("xhci_hcd 0000:00:05.0: new USB bus registered, ... number 2").
 * Containment in time alone proves nothing: probes on other tasks run
 * beside each other.  An attempt's self time is its time less that of
 * its children.
 */

static bool finished(const struct bg_attempt *a)
{
	return a->start != BG_NOTIME && a->end != BG_NOTIME;
}

static bool contains(const struct bg_attempt *p, const struct bg_attempt *a)
{
	return p->dev != a->dev && finished(p) && p->start <= a->start &&
	       a->end <= p->end;
}

static int cmp_att_task(const void *pa, const void *pb)
{
	const struct bg_attempt *a = *(struct bg_attempt *const *)pa;
	const struct bg_attempt *b = *(struct bg_attempt *const *)pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;	/* the outer one first */
	return a->dev->order - b->dev->order;
}

/* One task's probes nest: a stack of those still open, per task. */
static void nest_by_task(struct bg_model *m)
{
	struct bg_attempt **v = xcalloc(m->st.nattempts, sizeof(*v));
	struct bg_attempt **stack = xcalloc(m->st.nattempts, sizeof(*v));
	struct bg_attempt *a;
	int i, j, n = 0, top = 0;

	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (finished(a) && a->pid >= 0)
				v[n++] = a;
		}
	}
	qsort(v, n, sizeof(*v), cmp_att_task);
	for (i = 0; i < n; i++) {
		if (i && v[i]->pid != v[i - 1]->pid)
			top = 0;
		while (top && !contains(stack[top - 1], v[i]))
			top--;
		if (top)
			v[i]->parent = stack[top - 1];
		stack[top++] = v[i];
	}
	free(stack);
	free(v);
}

/* The attempt of the nearest device named like a's parent that holds a. */
static struct bg_attempt *name_parent(struct bg_model *m, struct bg_attempt *a)
{
	const char *name = a->dev->name;
	size_t len = strlen(name);
	struct bg_attempt *p;
	struct bg_dev *d;
	void **v;
	int i;

	while (len) {
		while (len && name[len - 1] != ':' && name[len - 1] != '.')
			len--;
		if (!len--)
			break;
		v = strmap_find(&m->devmap, name, len);
		if (!v)
			continue;
		d = *v;
		for (i = d->natt - 1; i >= 0; i--) {
			p = &d->att[i];
			if (contains(p, a) && (p->pid < 0 || a->pid < 0))
				return p;
		}
	}
	return NULL;
}

/* The attempt of the parent the log names (topo_parent()) that holds a. */
static struct bg_attempt *log_parent(struct bg_model *m, struct bg_attempt *a)
{
	struct bg_dev *d = a->dev->parent || a->dev->added_by ?
			   topo_parent(m, a->dev) : NULL;
	struct bg_attempt *p;
	int i;

	for (i = d ? d->natt - 1 : -1; i >= 0; i--) {
		p = &d->att[i];
		if (contains(p, a) && (p->pid < 0 || a->pid < 0))
			return p;
	}
	return NULL;
}

static void nested_probes(struct bg_model *m)
{
	struct bg_attempt *a;
	int i, j;

	nest_by_task(m);
	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (finished(a) && !a->parent)
				a->parent = name_parent(m, a);
			if (finished(a) && !a->parent)
				a->parent = log_parent(m, a);
			if (!a->parent)
				continue;
			a->parent->child_time = bg_add(a->parent->child_time,
						       bg_att_len(a));
			a->parent->nchild++;
		}
	}
}

#define MAX_NOTES	5

static void note(int *n, const char *file, unsigned long line,
		 const char *what, const char *name)
{
	if (bg_quiet || ++*n > MAX_NOTES)
		return;
	fprintf(stderr, "%s:%lu: %s %.80s did not finish before the log ended\n",
		file, line, what, name);
}

/* Say where probes and initcalls that never ended began. */
static void report_unfinished(const struct bg_model *m)
{
	const struct bg_attempt *a;
	int i, j, n = 0;

	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (a->end == BG_NOTIME)
				note(&n, a->file, a->line, a->start == BG_NOTIME ?
				     "queued probe of" : "probe of",
				     m->shown[i]->name);
		}
	}
	for (i = 0; i < m->initcalls.n; i++)
		if (m->initcalls.v[i].end == BG_NOTIME)
			note(&n, m->initcalls.v[i].file, m->initcalls.v[i].line,
			     "initcall", m->initcalls.v[i].func);
	if (n > MAX_NOTES && !bg_quiet)
		fprintf(stderr, "%s: %d more unfinished probes and initcalls\n",
			bg_prog, n - MAX_NOTES);
}

void bg_analyze(struct bg_model *m)
{
	m->st.log_end = m->last_ts;
	pick_shown(m);
	probe_stats(m);
	initcall_stats(m);
	view_end(m);
	nested_probes(m);
	bg_critical_chain(m, NULL);
	report_unfinished(m);
}

/* ------------------------------------------------------------------ */

int bg_parse_group(const char *arg)
{
	if (!strcmp(arg, "bus"))
		return GROUP_BUS;
	if (!strcmp(arg, "driver") || !strcmp(arg, "drv"))
		return GROUP_DRIVER;
	if (!strcmp(arg, "none"))
		return GROUP_NONE;
	return -1;
}

const char *bg_dev_group(const struct bg_dev *d, enum bg_group g)
{
	if (g == GROUP_BUS)
		return d->bus ? d->bus : "(unknown bus)";
	if (g == GROUP_DRIVER)
		return d->drv ? d->drv : "(unknown driver)";
	return "devices";
}

/*
 * Rows of the timeline: a header per group, then its devices by first
 * event; groups in the order of their first device.  Returns the count.
 */
int bg_layout_rows(struct bg_model *m, enum bg_group g, struct bg_row **rows)
{
	const char **names = xcalloc(m->nshown, sizeof(*names)), *name;
	int *gidx = xcalloc(m->nshown, sizeof(int)), *next, ngroups = 0;
	struct bg_row *r;
	struct strmap groups = { 0 };
	void **v;
	int i;

	for (i = 0; i < m->nshown; i++) {
		name = bg_dev_group(m->shown[i], g);
		v = strmap_get(&groups, name, strlen(name), &m->arena, NULL);
		if (!*v) {
			names[ngroups++] = name;
			*v = (void *)(intptr_t)ngroups;
		}
		gidx[i] = (intptr_t)*v - 1;
	}
	next = xcalloc(ngroups + 1, sizeof(int));
	for (i = 0; i < m->nshown; i++)
		next[gidx[i] + 1]++;
	for (i = 0; i < ngroups; i++)
		next[i + 1] += next[i] + 1;	/* + 1: the group's header */
	r = xcalloc(ngroups + m->nshown + 1, sizeof(*r));
	for (i = 0; i < ngroups; i++)
		r[next[i]++] = (struct bg_row){ names[i], NULL, names[i] };
	for (i = 0; i < m->nshown; i++)
		r[next[gidx[i]]++] = (struct bg_row){ m->shown[i]->name,
						      m->shown[i], names[gidx[i]] };
	free(next);
	free(gidx);
	free(names);
	strmap_free(&groups);
	*rows = r;
	return ngroups + m->nshown;
}
