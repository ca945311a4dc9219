// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph model: devices with their probe attempts, initcalls, async
 * functions and boot phase markers, built event by event while the
 * input streams by.  Nothing of the input is kept but these.
 *
 * One probe can be reported by several sources (the driver core's
 * "probe of" line, the async_probe console lines and the async_probe
 * tracepoints).  Each attempt remembers which sources reported its
 * begin and end; an event joins the first attempt its source has not
 * reported yet whose times agree, else it starts a new attempt.  Its
 * duration is the kernel's own where a console line prints one, as for
 * initcalls (probe_start(), call_end()).
 */
#include <stdlib.h>
#include <string.h>

#include <linux/async_probe_log.h>

#include "bootgraph.h"

#define MATCH_TOL	2000		/* usecs between two reports of a probe */
#define MATCH_WINDOW	8		/* attempts looked at per event */
#define MAX_HINT_DEVS	65536		/* devices known from messages only */
#define MAX_DEPS	256

const char *const bg_state_name[ST_NR] = {
	[ST_BOUND] = "bound",
	[ST_FAILED] = "failed",
	[ST_DEFERRED] = "deferred",
	[ST_RUNNING] = "running",
	[ST_PENDING] = "pending",
};

const char *const bg_mark_name[MARK_NR] = {
	[MARK_FREE_INIT] = "free_initmem",
	[MARK_INIT] = "init",
};

void bg_model_init(struct bg_model *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	m->initcall_framing = -1;
	m->last_ts = 0;
	for (i = 0; i < MARK_NR; i++)
		m->mark[i].ts = BG_NOTIME;
}

static void callset_free(struct bg_callset *cs)
{
	free(cs->v);
	strmap_free(&cs->open);
}

void bg_model_free(struct bg_model *m)
{
	int i;

	free(m->boots.seen.key);
	free(m->boots.seen.file);

	for (i = 0; i < m->ndevs; i++) {
		free(m->devs[i]->att);
		free(m->devs[i]->deps);
	}
	free(m->devs);
	free(m->shown);
	free(m->chain);
	callset_free(&m->initcalls);
	callset_free(&m->asyncs);
	strmap_free(&m->devmap);
	strmap_free(&m->strs);
	arena_free(&m->arena);
}

/*
 * Forget everything read so far but the framings and the state of the
 * input (boots, records seen): a new boot begins.
 */
void bg_model_reset(struct bg_model *m)
{
	struct bg_boots boots = m->boots;
	unsigned int framings = m->framings;

	memset(&m->boots.seen, 0, sizeof(m->boots.seen));
	bg_model_free(m);
	bg_model_init(m);
	m->boots = boots;
	m->framings = framings;
}

const char *bg_intern(struct bg_model *m, const char *s, size_t len)
{
	const char *key;
	void **v;

	if (!s)
		return NULL;
	v = strmap_get(&m->strs, s, len, &m->arena, &key);
	*v = (void *)key;
	return key;
}

static const char *intern(struct bg_model *m, const char *s)
{
	return s ? bg_intern(m, s, strlen(s)) : NULL;
}

/* The device called name; created unless only a hint and too many. */
static struct bg_dev *get_dev(struct bg_model *m, const char *name, bool probe)
{
	size_t len = strlen(name);
	struct bg_dev *d;
	const char *key;
	void **v;

	/*
	 * A device's lines come in runs (its driver's message, then its
	 * probe): the last device asked for is in cache, the map is not.
	 */
	if (m->last_dev && !strcmp(m->last_dev->name, name)) {
		d = m->last_dev;
		goto out;
	}
	v = strmap_find(&m->devmap, name, len);
	if (v) {
		d = *v;
		goto out;
	}
	if (!probe && m->nhints >= MAX_HINT_DEVS)
		return NULL;
	v = strmap_get(&m->devmap, name, len, &m->arena, &key);
	d = arena_alloc(&m->arena, sizeof(*d));
	memset(d, 0, sizeof(*d));
	d->name = key;
	d->defer_ts = BG_NOTIME;
	d->order = m->ndevs;
	*v = d;
	m->devs = bg_grow(m->devs, &m->devs_cap, m->ndevs + 1, sizeof(*m->devs));
	m->devs[m->ndevs++] = d;
	m->nhints += !probe;
out:
	d->probed |= probe;
	m->last_dev = d;
	return d;
}

static void add_deps(struct bg_model *m, struct bg_loc *loc, struct bg_dev *d,
		     const char *deps)
{
	const char *p = deps, *e, *name;
	int i;

	for (; p && *p; p = *e ? e + 1 : e) {
		e = strchr(p, ASYNC_PROBE_LOG_LIST_SEP);
		if (!e)
			e = p + strlen(p);
		/* Empty, or "+N": N more the kernel had no room to name. */
		if (e == p || *p == ASYNC_PROBE_LOG_MORE)
			continue;
		name = bg_intern(m, p, e - p);
		for (i = 0; i < d->ndeps && d->deps[i] != name; i++)
			;
		if (i < d->ndeps || !strcmp(name, ASYNC_PROBE_LOG_EMPTY))
			continue;
		if (d->ndeps >= MAX_DEPS) {
			bg_warn(loc, W_MALFORMED, "%.80s: too many deps", d->name);
			return;
		}
		d->deps = bg_grow(d->deps, &d->deps_cap, d->ndeps + 1, sizeof(*d->deps));
		d->deps[d->ndeps++] = name;
	}
}

static void dev_info(struct bg_model *m, struct bg_loc *loc, struct bg_dev *d,
		     const struct bg_ev *ev)
{
	if (ev->bus)
		d->bus = intern(m, ev->bus);
	if (ev->drv)
		d->drv = intern(m, ev->drv);
	if (ev->reason)
		d->reason = intern(m, ev->reason);
	if (ev->deps)
		add_deps(m, loc, d, ev->deps);
}

/* ------------------------------------------------------------------ */

static bg_time *begin_field(struct bg_attempt *a, enum bg_ev_type t)
{
	return t == EV_PARK ? &a->park : t == EV_QUEUE ? &a->queue : &a->start;
}

static bool near(bg_time a, bg_time b)
{
	return a - b <= MATCH_TOL && b - a <= MATCH_TOL;
}

/* May a park/queue/start at ts of source k belong to attempt a? */
static bool begin_fits(struct bg_attempt *a, enum bg_ev_type t, bg_time ts)
{
	bg_time f = *begin_field(a, t);

	if (f != BG_NOTIME)
		return near(f, ts);
	if (t != EV_START && a->start != BG_NOTIME && ts > a->start + MATCH_TOL)
		return false;
	return a->end == BG_NOTIME || ts <= a->end + MATCH_TOL;
}

static bool end_fits(struct bg_attempt *a, int k, bg_time ts)
{
	if (a->seen_end & (1u << k))
		return false;
	if (a->end == BG_NOTIME)
		return a->start == BG_NOTIME || a->start <= ts + MATCH_TOL;
	return near(a->end, ts);
}

static struct bg_attempt *new_attempt(struct bg_dev *d,
				      const struct bg_loc *loc)
{
	struct bg_attempt *a;

	d->att = bg_grow(d->att, &d->att_cap, d->natt + 1, sizeof(*d->att));
	a = &d->att[d->natt++];
	memset(a, 0, sizeof(*a));
	a->dev = d;
	a->park = BG_NOTIME;
	a->queue = BG_NOTIME;
	a->start = BG_NOTIME;
	a->end = BG_NOTIME;
	a->cookie = -1;
	a->pid = -1;
	a->rank = -1;
	a->file = loc->file;
	a->line = loc->line;
	return a;
}

static struct bg_attempt *find_attempt(struct bg_dev *d, const struct bg_ev *ev,
				       const struct bg_loc *loc)
{
	int i, k = ev->src, last = d->cursor[k] + MATCH_WINDOW;
	struct bg_attempt *a;
	bool fits;

	for (i = d->cursor[k]; i < d->natt && i < last; i++) {
		a = &d->att[i];
		if (ev->cookie >= 0 && a->cookie >= 0 && a->cookie != ev->cookie)
			continue;
		fits = ev->type == EV_END ? end_fits(a, k, ev->ts) :
		       begin_fits(a, ev->type, ev->ts);
		if (fits)
			return a;
	}
	return new_attempt(d, loc);
}

static void probe_event(struct bg_model *m, struct bg_loc *loc,
			const struct bg_ev *ev)
{
	struct bg_dev *d = get_dev(m, ev->dev, true);
	struct bg_attempt *a = find_attempt(d, ev, loc);
	bg_time *f = begin_field(a, ev->type);

	dev_info(m, loc, d, ev);
	if (ev->cookie >= 0)
		a->cookie = ev->cookie;
	if (*f == BG_NOTIME && ev->type == EV_START)
		a->start_from = ev->src == SRC_AP_TRACE ? FROM_TRACE : FROM_STAMP;
	if (*f == BG_NOTIME)
		*f = ev->ts;
	if (ev->type == EV_START && ev->pid >= 0)
		a->pid = ev->pid;
	a->seen_start |= 1u << ev->src;
}

/*
 * Where attempt a, ended by ev, starts.  As for initcalls (call_end()),
 * the kernel's own duration is used where a console line prints it: the
 * driver core reads ktime_get() around the driver's probe, after the
 * framework's "async_probe: start" line was printed, so that line's
 * timestamp is early by the time the console took to print it.  The
 * duration of "probe of DEV returned R after N usecs" (the probe alone)
 * is preferred to the usecs= of "async_probe: end" (which also holds
 * the framework's own work and the start line's printing), and either
 * to the start line's timestamp.  The attempt is drawn as ending at its
 * first end report and starting N microseconds before that.  While the
 * kernel's clock counts jiffies (coarse), and for trace events, which
 * no console output inflates, a start event's timestamp is kept; the
 * kernel's duration is then used only where no start was reported.
 */
static void probe_start(struct bg_attempt *a, const struct bg_ev *ev,
			bool coarse)
{
	enum bg_from from = ev->src == SRC_PROBE_OF ? FROM_PROBE_OF :
			    FROM_AP_USECS;
	bool console = ev->src != SRC_AP_TRACE;

	if (ev->usecs < 0) {
		if (a->start == BG_NOTIME) {
			a->start = a->end;
			a->start_from = FROM_STAMP;
		}
	} else if (a->start == BG_NOTIME ||
		   (console && !coarse && from > a->start_from)) {
		a->start = a->end - ev->usecs;
		a->start_from = from;
	}
	if (a->start > a->end)
		a->start = a->end;
}

static void probe_end(struct bg_model *m, struct bg_loc *loc,
		      const struct bg_ev *ev)
{
	struct bg_dev *d = get_dev(m, ev->dev, true);
	struct bg_attempt *a = find_attempt(d, ev, loc);

	dev_info(m, loc, d, ev);
	if (ev->cookie >= 0)
		a->cookie = ev->cookie;
	if (a->pid < 0)
		a->pid = ev->pid;
	if (a->end == BG_NOTIME) {
		a->end = ev->ts;
		a->ret = ev->ret;
	}
	probe_start(a, ev, m->clock_coarse);
	a->seen_end |= 1u << ev->src;
	d->cursor[ev->src] = a - d->att + 1;
}

static void defer_event(struct bg_model *m, struct bg_loc *loc,
			const struct bg_ev *ev)
{
	struct bg_dev *d = get_dev(m, ev->dev, true);
	bool latest = d->defer_ts == BG_NOTIME || ev->ts >= d->defer_ts;
	const char *reason = d->reason;

	if (ev->type == EV_DEFER_PENDING) {
		if (!d->hint_first)
			d->hint_first = intern(m, ev->drv);
	} else {
		dev_info(m, loc, d, ev);
	}
	d->reason = latest ? intern(m, ev->reason) : reason;
	if (latest)
		d->defer_ts = ev->ts;
}

static void hint_event(struct bg_model *m, struct bg_loc *loc,
		       const struct bg_ev *ev)
{
	struct bg_dev *d = get_dev(m, ev->dev, false);

	if (!d)
		return;
	if (ev->label && !strcmp(ev->label, "parent")) {
		d->parent = intern(m, ev->deps);
		return;
	}
	if (ev->label && !strcmp(ev->label, "added by")) {
		d->added_by = intern(m, ev->deps);
		d->added_ts = ev->ts;
		return;
	}
	if (ev->label) {		/* the driver names the device */
		d->hint_drv = intern(m, ev->drv);
		return;
	}
	if (ev->deps) {			/* a device link */
		add_deps(m, loc, d, ev->deps);
		return;
	}
	if (!d->hint_first)
		d->hint_first = intern(m, ev->drv);
	if (!d->hint_last || strcmp(d->hint_last, ev->drv))
		d->hint_last = intern(m, ev->drv);
	if (strcmp(d->hint_first, d->hint_last))
		d->hint_alt = d->hint_last;
}

/* ------------------------------------------------------------------ */

static struct bg_call *call_new(struct bg_model *m, struct bg_callset *cs,
				const char *func, const char *key,
				const struct bg_loc *loc)
{
	struct bg_call *c;

	cs->v = bg_grow(cs->v, &cs->cap, cs->n + 1, sizeof(*cs->v));
	c = &cs->v[cs->n++];
	c->func = intern(m, func);
	c->kernel_dur = false;
	c->queue = BG_NOTIME;
	c->start = BG_NOTIME;
	c->end = BG_NOTIME;
	c->cookie = -1;
	c->pid = -1;
	c->ret = 0;
	c->file = loc->file;
	c->line = loc->line;
	if (key)
		*strmap_get(&cs->open, key, strlen(key), &m->arena, NULL) =
			(void *)(intptr_t)cs->n;
	return c;
}

/* The open call under key, which is closed; NULL if none. */
static struct bg_call *call_close(struct bg_callset *cs, const char *key)
{
	void **v = strmap_find(&cs->open, key, strlen(key));
	intptr_t i;

	if (!v || !*v)
		return NULL;
	i = (intptr_t)*v;
	*v = NULL;
	return &cs->v[i - 1];
}

/*
 * The end of a call.  A console line's own duration ("after N usecs",
 * taken with ktime_get() after the "calling" line was printed) is used
 * unless that clock still counted jiffies (coarse): then the timestamps
 * of the two lines are, which include the time the console took to
 * print the first.  Trace events keep their timestamps, which nothing
 * inflates.  Without a start the kernel's duration is all there is.
 */
static void call_end(struct bg_call *c, const struct bg_ev *ev, bool coarse)
{
	bool trace = ev->framing == FR_FTRACE || ev->framing == FR_TRACEDAT;

	c->end = ev->ts;
	c->ret = ev->ret;
	if (ev->usecs >= 0 &&
	    (c->start == BG_NOTIME || (!coarse && !trace))) {
		c->start = ev->ts - ev->usecs;
		c->kernel_dur = true;
	} else if (c->start == BG_NOTIME) {
		c->start = ev->ts;
	}
	if (c->start > c->end)
		c->start = c->end;
}

static void initcall_event(struct bg_model *m, struct bg_loc *loc,
			   const struct bg_ev *ev)
{
	int cls = ev->framing == FR_FTRACE || ev->framing == FR_TRACEDAT;
	struct bg_callset *cs = &m->initcalls;
	struct bg_call *c;

	if (m->initcall_framing < 0)
		m->initcall_framing = cls;
	if (m->initcall_framing != cls)
		return;			/* same initcalls from the other side */
	if (ev->type == EV_CALL_START) {
		c = call_new(m, cs, ev->func, ev->func, loc);
		c->start = ev->ts;
		c->pid = ev->pid;
		return;
	}
	c = call_close(cs, ev->func);
	if (!c) {
		if (ev->usecs < 0)
			bg_warn(loc, W_UNMATCHED, "initcall %.80s ended, never started",
				ev->func);
		c = call_new(m, cs, ev->func, NULL, loc);
	}
	call_end(c, ev, m->clock_coarse);
}

static void async_event(struct bg_model *m, struct bg_loc *loc,
			const struct bg_ev *ev)
{
	bool wait = ev->type == EV_ASYNC_WAIT || ev->type == EV_ASYNC_CONT;
	const char *fn = ev->func ? ev->func :
			 wait ? "async_synchronize" : "async";
	struct bg_callset *cs = &m->asyncs;
	struct bg_call *c;
	char key[48];

	if (wait)
		snprintf(key, sizeof(key), "wait:%d", ev->pid);
	else
		snprintf(key, sizeof(key), "%lld", ev->cookie);
	if (ev->type == EV_ASYNC_QUEUE || ev->type == EV_ASYNC_WAIT) {
		c = call_new(m, cs, fn, key, loc);
		*(ev->type == EV_ASYNC_QUEUE ? &c->queue : &c->start) = ev->ts;
		c->cookie = ev->cookie;
		c->pid = ev->type == EV_ASYNC_WAIT ? ev->pid : -1;
		return;
	}
	if (ev->type == EV_ASYNC_RUN) {
		void **v = strmap_find(&cs->open, key, strlen(key));

		c = v && *v ? &cs->v[(intptr_t)*v - 1] :
		    call_new(m, cs, fn, key, loc);
		c->start = ev->ts;
		c->pid = ev->pid;
		c->cookie = ev->cookie;
		return;
	}
	c = call_close(cs, key);
	if (!c)
		c = call_new(m, cs, fn, NULL, loc);
	call_end(c, ev, m->clock_coarse);
}

static void mark_event(struct bg_model *m, const struct bg_ev *ev)
{
	struct bg_marker *mk = &m->mark[ev->mark];

	if (mk->ts != BG_NOTIME)
		return;
	mk->ts = ev->ts;
	mk->label = intern(m, ev->label);
}

void bg_model_event(struct bg_model *m, struct bg_loc *loc,
		    const struct bg_ev *ev)
{
	switch (ev->type) {
	case EV_CALL_START:
	case EV_CALL_END:
		initcall_event(m, loc, ev);
		break;
	case EV_PARK:
	case EV_QUEUE:
	case EV_START:
		probe_event(m, loc, ev);
		break;
	case EV_END:
		probe_end(m, loc, ev);
		break;
	case EV_DEFER:
	case EV_DEFER_PENDING:
		defer_event(m, loc, ev);
		break;
	case EV_HINT:
		hint_event(m, loc, ev);
		break;
	case EV_MARK:
		mark_event(m, ev);
		break;
	case EV_BOOT:
		m->clock_coarse = true;
		break;
	case EV_CLOCK:
		m->clock_coarse = !strcmp(ev->label, "jiffies") ||
				  !strcmp(ev->label, "refined-jiffies");
		break;
	default:
		async_event(m, loc, ev);
		break;
	}
}
