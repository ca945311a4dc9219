// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph json: the whole model, schema "bootgraph-1" (documented in
 * Documentation/bootgraph/bootgraph.rst).  Times are integers in
 * microseconds since boot; unknown values are null.  The html command
 * embeds the same document.
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

struct jw {
	FILE *f;
	enum bg_esc esc;
	const char *sep;
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

static void json_attempt(struct jw *w, const struct bg_attempt *a)
{
	jopen(w, NULL, '{');
	jtime(w, "park_us", a->park);
	jtime(w, "queue_us", a->queue);
	jtime(w, "start_us", a->start);
	jtime(w, "end_us", a->end);
	jtime(w, "dur_us", a->end == BG_NOTIME ? BG_NOTIME : bg_att_len(a));
	jkey(w, "ret");
	if (a->end == BG_NOTIME)
		fputs("null", w->f);
	else
		fprintf(w->f, "%d", a->ret);
	jtime(w, "pid", a->pid < 0 ? BG_NOTIME : a->pid);
	jtime(w, "cookie", a->cookie < 0 ? BG_NOTIME : a->cookie);
	jkey(w, "critical");
	fputs(a->crit ? "true" : "false", w->f);
	jtime(w, "self_us", a->end == BG_NOTIME ? BG_NOTIME : bg_att_self(a));
	jstr(w, "parent", a->parent ? a->parent->dev->name : NULL);
	jclose(w, '}');
}

static void json_device(struct jw *w, const struct bg_dev *d)
{
	int i;

	jnl(w);
	jopen(w, NULL, '{');
	jstr(w, "name", d->name);
	jstr(w, "bus", d->bus);
	jstr(w, "driver", d->drv);
	jstr(w, "state", bg_state_name[d->state]);
	jtime(w, "total_us", bg_dev_time(d));
	jtime(w, "self_us", bg_dev_self(d));
	jkey(w, "critical");
	fputs(d->crit ? "true" : "false", w->f);
	jopen(w, "deps", '[');
	for (i = 0; i < d->ndeps; i++)
		jstr(w, NULL, d->deps[i]);
	jclose(w, ']');
	jstr(w, "defer_reason", d->reason);
	jtime(w, "defer_us", d->defer_ts);
	jopen(w, "attempts", '[');
	for (i = 0; i < d->natt; i++)
		json_attempt(w, &d->att[i]);
	jclose(w, ']');
	jclose(w, '}');
}

static void json_calls(struct jw *w, const char *key,
		       const struct bg_callset *cs)
{
	const struct bg_call *c;
	int i;

	jopen(w, key, '[');
	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		jnl(w);
		jopen(w, NULL, '{');
		jstr(w, "func", c->func);
		jtime(w, "queue_us", c->queue);
		jtime(w, "start_us", c->start);
		jtime(w, "end_us", c->end);
		jtime(w, "dur_us", c->end == BG_NOTIME ? BG_NOTIME :
		      c->end - c->start);
		jstr(w, "dur_from", c->end == BG_NOTIME ? NULL :
		     c->kernel_dur ? "kernel" : "timestamps");
		jint(w, "ret", c->ret);
		jtime(w, "pid", c->pid < 0 ? BG_NOTIME : c->pid);
		jtime(w, "cookie", c->cookie < 0 ? BG_NOTIME : c->cookie);
		jclose(w, '}');
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

int bg_write_json(FILE *f, struct bg_model *m, bool for_html)
{
	struct jw w = { f, for_html ? ESC_JSON_HTML : ESC_JSON, "" };
	int i;

	jopen(&w, NULL, '{');
	jstr(&w, "schema", "bootgraph-1");
	jstr(&w, "version", BG_VERSION);
	fputs(",\n", f);
	w.sep = "";
	json_input(&w, m);
	fputs(",\n", f);
	w.sep = "";
	json_summary(&w, m);
	fputs(",\n", f);
	w.sep = "";
	json_markers(&w, m);
	jopen(&w, "devices", '[');
	for (i = 0; i < m->nshown; i++)
		json_device(&w, m->shown[i]);
	jclose(&w, ']');
	json_calls(&w, "initcalls", &m->initcalls);
	json_calls(&w, "async", &m->asyncs);
	json_chain(&w, m);
	jclose(&w, '}');
	fputc('\n', f);
	return 0;
}

/* ------------------------------------------------------------------ */
/*
 * The html page's data, schema "bootgraph-html-1": the same summary,
 * markers and chain, but devices and calls as arrays of values in a fixed
 * order and bus, driver and state as indexes into "strings", so that
 * 50,000 devices take some 6 MB instead of 25.  html/bootgraph.js turns
 * it back into bootgraph-1 objects.
 */
struct jsyms {
	struct strmap map;		/* string -> index + 1 */
	const char **v;
	int n, cap;
};

static void jsym(struct jw *w, struct jsyms *y, struct arena *a,
		 const char *str)
{
	void **v;

	jkey(w, NULL);
	if (!str) {
		fputs("null", w->f);
		return;
	}
	v = strmap_get(&y->map, str, strlen(str), a, NULL);
	if (!*v) {
		y->v = bg_grow(y->v, &y->cap, y->n + 1, sizeof(*y->v));
		y->v[y->n++] = str;
		*v = (void *)(intptr_t)y->n;
	}
	fprintf(w->f, "%d", (int)((intptr_t)*v - 1));
}

static void jbool(struct jw *w, bool b)
{
	jkey(w, NULL);
	fputc(b ? '1' : '0', w->f);
}

/* [park, queue, start, end, ret, pid, cookie, critical] */
static void compact_attempt(struct jw *w, const struct bg_attempt *a)
{
	jopen(w, NULL, '[');
	jtime(w, NULL, a->park);
	jtime(w, NULL, a->queue);
	jtime(w, NULL, a->start);
	jtime(w, NULL, a->end);
	jtime(w, NULL, a->end == BG_NOTIME ? BG_NOTIME : a->ret);
	jtime(w, NULL, a->pid < 0 ? BG_NOTIME : a->pid);
	jtime(w, NULL, a->cookie < 0 ? BG_NOTIME : a->cookie);
	jbool(w, a->crit);
	jclose(w, ']');
}

/*
 * [name, bus, driver, state, self_us, critical, [deps], reason, defer_us,
 *  [attempts]]
 */
static void compact_device(struct jw *w, struct jsyms *y, struct arena *a,
			   const struct bg_dev *d)
{
	int i;

	jnl(w);
	jopen(w, NULL, '[');
	jstr(w, NULL, d->name);
	jsym(w, y, a, d->bus);
	jsym(w, y, a, d->drv);
	jsym(w, y, a, bg_state_name[d->state]);
	jtime(w, NULL, bg_dev_self(d));
	jbool(w, d->crit);
	jopen(w, NULL, '[');
	for (i = 0; i < d->ndeps; i++)
		jstr(w, NULL, d->deps[i]);
	jclose(w, ']');
	jstr(w, NULL, d->reason);
	jtime(w, NULL, d->defer_ts);
	jopen(w, NULL, '[');
	for (i = 0; i < d->natt; i++)
		compact_attempt(w, &d->att[i]);
	jclose(w, ']');
	jclose(w, ']');
}

/* [func, queue, start, end, ret, pid, cookie] */
static void compact_calls(struct jw *w, const char *key,
			  const struct bg_callset *cs)
{
	const struct bg_call *c;
	int i;

	jopen(w, key, '[');
	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		jnl(w);
		jopen(w, NULL, '[');
		jstr(w, NULL, c->func);
		jtime(w, NULL, c->queue);
		jtime(w, NULL, c->start);
		jtime(w, NULL, c->end);
		jint(w, NULL, c->ret);
		jtime(w, NULL, c->pid < 0 ? BG_NOTIME : c->pid);
		jtime(w, NULL, c->cookie < 0 ? BG_NOTIME : c->cookie);
		jclose(w, ']');
	}
	jclose(w, ']');
}

int bg_write_html_data(FILE *f, struct bg_model *m,
		       const struct bg_html_view *v)
{
	struct jw w = { f, ESC_JSON_HTML, "" };
	struct jsyms y = { 0 };
	int i;

	jopen(&w, NULL, '{');
	jstr(&w, "schema", "bootgraph-html-1");
	jstr(&w, "version", BG_VERSION);
	jopen(&w, "view", '{');
	jint(&w, "overview_at", v->overview_at);
	jint(&w, "top", v->top);
	jtime(&w, "fast_us", v->fast);
	jclose(&w, '}');
	fputs(",\n", f);
	w.sep = "";
	json_input(&w, m);
	fputs(",\n", f);
	w.sep = "";
	json_summary(&w, m);
	fputs(",\n", f);
	w.sep = "";
	json_markers(&w, m);
	jopen(&w, "devices", '[');
	for (i = 0; i < m->nshown; i++)
		compact_device(&w, &y, &m->arena, m->shown[i]);
	jclose(&w, ']');
	compact_calls(&w, "initcalls", &m->initcalls);
	compact_calls(&w, "async", &m->asyncs);
	json_chain(&w, m);
	jopen(&w, "strings", '[');
	for (i = 0; i < y.n; i++)
		jstr(&w, NULL, y.v[i]);
	jclose(&w, ']');
	jclose(&w, '}');
	fputc('\n', f);
	strmap_free(&y.map);
	free(y.v);
	return 0;
}

static int json_out(FILE *f, struct bg_model *m, const void *p)
{
	(void)p;
	return bg_write_json(f, m, false);
}

int cmd_json(int argc, char **argv)
{
	struct json_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS, NULL)) != -1)
		bg_common_opt(&p.c, c, optarg, json_usage);
	return bg_run_model(&p.c, argv + optind, argc - optind, json_out, &p);
}
