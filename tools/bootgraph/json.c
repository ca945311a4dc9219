// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph json: the whole model, schema "bootgraph-1" (documented in
 * Documentation/bootgraph/bootgraph.rst).  Times are integers in
 * microseconds since boot; unknown values are null.  The html command
 * embeds the same document in a denser form, "bootgraph-html-1" (see
 * write_doc()); one set of writers serves both.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

struct json_params {
	struct bg_common c;
};

static const char *const json_usage[] = {
	"",
	"  usage: bootgraph json [options] [FILE...]",
	"",
	"  Devices, probe attempts, initcalls, async functions, markers,",
	"  statistics and the critical chain as one JSON document.",
	"",
	BG_COMMON_HELP,
	NULL,
};

/*
 * The html page's data (write_doc()) has devices and calls as rows:
 * arrays of values in a fixed order, with bus, driver and state as
 * indexes into its "strings".
 */
struct jsyms {
	struct strmap map;		/* string -> index + 1 */
	const char **v;
	int n, cap;
	struct arena *arena;		/* of the keys of map */
};

struct jw {
	FILE *f;
	enum bg_esc esc;
	const char *sep;
	struct jsyms *rows;		/* NULL: objects */
};

/* The separator, then "key": unless key is NULL (an array element). */
static void jkey(struct jw *w, const char *key)
{
	fputs(w->sep, w->f);
	if (key)
		fprintf(w->f, "\"%s\": ", key);
	w->sep = ", ";
}

/* Start a new line for the next array element. */
static void jnl(struct jw *w)
{
	fputs(*w->sep ? ",\n  " : "\n  ", w->f);
	w->sep = "";
}

static void jstr(struct jw *w, const char *key, const char *val)
{
	jkey(w, key);
	if (!val) {
		fputs("null", w->f);
		return;
	}
	fputc('"', w->f);
	bg_put_escaped(w->f, val, w->esc);
	fputc('"', w->f);
}

static void jtime(struct jw *w, const char *key, bg_time t)
{
	jkey(w, key);
	if (t == BG_NOTIME)
		fputs("null", w->f);
	else
		fprintf(w->f, "%lld", (long long)t);
}

static void jint(struct jw *w, const char *key, long long v)
{
	jkey(w, key);
	fprintf(w->f, "%lld", v);
}

static void jopen(struct jw *w, const char *key, char c)
{
	jkey(w, key);
	fputc(c, w->f);
	w->sep = "";
}

static void jclose(struct jw *w, char c)
{
	fputc(c, w->f);
	w->sep = ", ";
}

/* A value's key, or NULL in a row. */
static const char *jk(const struct jw *w, const char *key)
{
	return w->rows ? NULL : key;
}

/* An element of a list of devices, attempts or calls: object or row. */
static void jelem(struct jw *w)
{
	jopen(w, NULL, w->rows ? '[' : '{');
}

static void jelem_end(struct jw *w)
{
	jclose(w, w->rows ? ']' : '}');
}

/* true or false, or in a row 1 or 0. */
static void jbool(struct jw *w, const char *key, bool b)
{
	jkey(w, jk(w, key));
	if (w->rows)
		fputc(b ? '1' : '0', w->f);
	else
		fputs(b ? "true" : "false", w->f);
}

/* A name of few values (bus, driver, state); in a row its index. */
static void jsym(struct jw *w, const char *key, const char *str)
{
	struct jsyms *y = w->rows;
	void **v;

	if (!y) {
		jstr(w, key, str);
		return;
	}
	jkey(w, NULL);
	if (!str) {
		fputs("null", w->f);
		return;
	}
	v = strmap_get(&y->map, str, strlen(str), y->arena, NULL);
	if (!*v) {
		y->v = bg_grow(y->v, &y->cap, y->n + 1, sizeof(*y->v));
		y->v[y->n++] = str;
		*v = (void *)(intptr_t)y->n;
	}
	fprintf(w->f, "%d", (int)((intptr_t)*v - 1));
}

static void json_summary(struct jw *w, const struct bg_model *m)
{
	const struct bg_stats *st = &m->st;
	bg_time len = st->probe_end == BG_NOTIME ? BG_NOTIME :
		      st->probe_end - st->probe_start;
	int i;

	jopen(w, "summary", '{');
	jtime(w, "probe_start_us", st->probe_start);
	jtime(w, "probe_end_us", st->probe_end);
	jtime(w, "probe_phase_us", len);
	jtime(w, "serial_us", st->serial);
	jkey(w, "parallelism");
	if (len > 0)
		fprintf(w->f, "%.3f", (double)st->serial / (double)len);
	else
		fputs("null", w->f);
	jtime(w, "critical_path_us", st->crit_busy);
	jtime(w, "critical_start_us", st->crit_start);
	jint(w, "devices", st->ndev);
	jint(w, "attempts", st->nattempts);
	for (i = 0; i < ST_NR; i++)
		jint(w, bg_state_name[i], st->nstate[i]);
	jint(w, "initcalls", st->ninitcalls);
	jtime(w, "initcall_us", st->init_sum);
	jtime(w, "log_end_us", st->log_end);
	jtime(w, "view_end_us", st->view_end);
	jclose(w, '}');
}

static void json_input(struct jw *w, const struct bg_model *m)
{
	int i;

	jopen(w, "input", '{');
	jopen(w, "framings", '[');
	for (i = 0; i < FR_NR; i++) {
		if (!(m->framings & (1u << i)))
			continue;
		jstr(w, NULL, bg_framing_name[i]);
	}
	jclose(w, ']');
	jkey(w, "trace_clock_aligned");
	fputs(m->trace_unaligned ? "false" : "true", w->f);
	jint(w, "boots", m->boots.n ? m->boots.n : 1);
	jint(w, "boot", m->boots.want ? m->boots.want :
			m->boots.n ? m->boots.n : 1);
	jint(w, "duplicates", m->boots.dups);
	jclose(w, '}');
}

static void json_markers(struct jw *w, const struct bg_model *m)
{
	int i;

	jopen(w, "markers", '[');
	for (i = 0; i < MARK_NR; i++) {
		if (m->mark[i].ts == BG_NOTIME)
			continue;
		jopen(w, NULL, '{');
		jstr(w, "name", bg_mark_name[i]);
		jtime(w, "ts_us", m->mark[i].ts);
		jstr(w, "label", m->mark[i].label);
		jclose(w, '}');
	}
	jclose(w, ']');
}

/*
 * An attempt; its row: [park, queue, start, end, ret, pid, cookie,
 * critical].
 */
static void json_attempt(struct jw *w, const struct bg_attempt *a)
{
	bool open = a->end == BG_NOTIME;

	jelem(w);
	jtime(w, jk(w, "park_us"), a->park);
	jtime(w, jk(w, "queue_us"), a->queue);
	jtime(w, jk(w, "start_us"), a->start);
	jtime(w, jk(w, "end_us"), a->end);
	if (!w->rows)
		jtime(w, "dur_us", open ? BG_NOTIME : bg_att_len(a));
	jtime(w, jk(w, "ret"), open ? BG_NOTIME : a->ret);
	jtime(w, jk(w, "pid"), a->pid < 0 ? BG_NOTIME : a->pid);
	jtime(w, jk(w, "cookie"), a->cookie < 0 ? BG_NOTIME : a->cookie);
	jbool(w, "critical", a->crit);
	if (!w->rows) {
		jtime(w, "self_us", open ? BG_NOTIME : bg_att_self(a));
		jstr(w, "parent", a->parent ? a->parent->dev->name : NULL);
	}
	jelem_end(w);
}

/*
 * A device; its row: [name, bus, driver, state, self_us, critical,
 * [deps], reason, defer_us, [attempts]].
 */
static void json_device(struct jw *w, const struct bg_dev *d)
{
	int i;

	jnl(w);
	jelem(w);
	jstr(w, jk(w, "name"), d->name);
	jsym(w, "bus", d->bus);
	jsym(w, "driver", d->drv);
	jsym(w, "state", bg_state_name[d->state]);
	if (!w->rows)
		jtime(w, "total_us", bg_dev_time(d));
	jtime(w, jk(w, "self_us"), bg_dev_self(d));
	jbool(w, "critical", d->crit);
	jopen(w, jk(w, "deps"), '[');
	for (i = 0; i < d->ndeps; i++)
		jstr(w, NULL, d->deps[i]);
	jclose(w, ']');
	jstr(w, jk(w, "defer_reason"), d->reason);
	jtime(w, jk(w, "defer_us"), d->defer_ts);
	jopen(w, jk(w, "attempts"), '[');
	for (i = 0; i < d->natt; i++)
		json_attempt(w, &d->att[i]);
	jclose(w, ']');
	jelem_end(w);
}

/* The calls of cs; a call's row: [func, queue, start, end, ret, pid, cookie]. */
static void json_calls(struct jw *w, const char *key,
		       const struct bg_callset *cs)
{
	const struct bg_call *c;
	int i;

	jopen(w, key, '[');
	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		jnl(w);
		jelem(w);
		jstr(w, jk(w, "func"), c->func);
		jtime(w, jk(w, "queue_us"), c->queue);
		jtime(w, jk(w, "start_us"), c->start);
		jtime(w, jk(w, "end_us"), c->end);
		if (!w->rows) {
			jtime(w, "dur_us", c->end == BG_NOTIME ? BG_NOTIME :
			      c->end - c->start);
			jstr(w, "dur_from", c->end == BG_NOTIME ? NULL :
			     c->kernel_dur ? "kernel" : "timestamps");
		}
		jint(w, jk(w, "ret"), c->ret);
		jtime(w, jk(w, "pid"), c->pid < 0 ? BG_NOTIME : c->pid);
		jtime(w, jk(w, "cookie"), c->cookie < 0 ? BG_NOTIME : c->cookie);
		jelem_end(w);
	}
	jclose(w, ']');
}

static void json_chain(struct jw *w, const struct bg_model *m)
{
	const struct bg_attempt *a;
	int i;

	jopen(w, "critical_chain", '[');
	for (i = 0; i < m->nchain; i++) {
		a = m->chain[i];
		jnl(w);
		jopen(w, NULL, '{');
		jstr(w, "device", a->dev->name);
		jint(w, "attempt", a - a->dev->att);
		jtime(w, "start_us", a->start);
		jtime(w, "end_us", a->end);
		jtime(w, "dur_us", bg_att_len(a));
		jstr(w, "why", i ? bg_why_name[m->chain[i]->why] : NULL);
		jstr(w, "through", i && a->inside ? a->inside->dev->name : NULL);
		jclose(w, '}');
	}
	jclose(w, ']');
}

static void json_view(struct jw *w, const struct bg_html_view *v)
{
	jopen(w, "view", '{');
	jint(w, "overview_at", v->overview_at);
	jint(w, "top", v->top);
	jtime(w, "fast_us", v->fast);
	jclose(w, '}');
}

/*
 * The document: schema "bootgraph-1", or with v the html page's data,
 * "bootgraph-html-1": the same summary, markers and chain, but also the
 * view, and devices and calls as rows (struct jsyms), so that 50,000
 * devices take some 6 MB instead of 25.  html/bootgraph.js turns it back
 * into bootgraph-1 objects.
 */
static int write_doc(FILE *f, struct bg_model *m,
		     const struct bg_html_view *v)
{
	struct jsyms y = { .arena = &m->arena };
	struct jw w = { f, v ? ESC_JSON_HTML : ESC_JSON, "", NULL };
	int i;

	jopen(&w, NULL, '{');
	jstr(&w, "schema", v ? "bootgraph-html-1" : "bootgraph-1");
	jstr(&w, "version", BG_VERSION);
	if (v)
		json_view(&w, v);
	fputs(",\n", f);
	w.sep = "";
	json_input(&w, m);
	fputs(",\n", f);
	w.sep = "";
	json_summary(&w, m);
	fputs(",\n", f);
	w.sep = "";
	json_markers(&w, m);
	w.rows = v ? &y : NULL;
	jopen(&w, "devices", '[');
	for (i = 0; i < m->nshown; i++)
		json_device(&w, m->shown[i]);
	jclose(&w, ']');
	json_calls(&w, "initcalls", &m->initcalls);
	json_calls(&w, "async", &m->asyncs);
	w.rows = NULL;
	json_chain(&w, m);
	if (v) {
		jopen(&w, "strings", '[');
		for (i = 0; i < y.n; i++)
			jstr(&w, NULL, y.v[i]);
		jclose(&w, ']');
	}
	jclose(&w, '}');
	fputc('\n', f);
	strmap_free(&y.map);
	free(y.v);
	return 0;
}

int bg_write_html_data(FILE *f, struct bg_model *m,
		       const struct bg_html_view *v)
{
	return write_doc(f, m, v);
}

static int json_out(FILE *f, struct bg_model *m, const void *p)
{
	(void)p;
	return write_doc(f, m, NULL);
}

int cmd_json(int argc, char **argv)
{
	struct json_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS, NULL)) != -1)
		bg_common_opt(&p.c, c, optarg, json_usage);
	return bg_run_model(&p.c, argv + optind, argc - optind, json_out, &p);
}
