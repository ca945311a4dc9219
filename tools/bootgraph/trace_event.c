// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph trace: Chrome trace-event JSON for Perfetto and
 * chrome://tracing.  Probes, initcalls and async functions are "X"
 * complete events (ts and dur in microseconds) in three processes; a
 * thread is the kernel pid that ran them, or a numbered lane when the pid
 * is unknown or its slices would overlap.  Dependencies are flow events
 * ("s" at the supplier, "f" at the consumer), boot phase markers global
 * instant events ("i").
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

#define PID_PROBES	1
#define PID_INITCALLS	2
#define PID_ASYNC	3
#define LANE_BASE	1000000		/* tids of lanes */

struct trace_params {
	struct bg_common c;
};

static const char *const trace_usage[] = {
	"",
	"  usage: bootgraph trace [options] [FILE...]",
	"",
	"  Chrome trace-event JSON: open it in https://ui.perfetto.dev or",
	"  chrome://tracing.",
	"",
	BG_COMMON_HELP,
	NULL,
};

/* A slice to place on a thread. */
struct span {
	bg_time start, end;
	int pid, tid, idx;
};

struct lane {
	bg_time end;
	int id;
};

struct lanes {
	struct lane *heap;		/* min-heap by end */
	int n, cap, next_id;
};

static void heap_swap(struct lane *a, struct lane *b)
{
	struct lane t = *a;

	*a = *b;
	*b = t;
}

static void heap_down(struct lanes *l, int i)
{
	int c;

	for (; (c = 2 * i + 1) < l->n; i = c) {
		if (c + 1 < l->n && l->heap[c + 1].end < l->heap[c].end)
			c++;
		if (l->heap[i].end <= l->heap[c].end)
			break;
		heap_swap(&l->heap[i], &l->heap[c]);
	}
}

static void heap_push(struct lanes *l, struct lane ln)
{
	int i = l->n++;

	l->heap = bg_grow(l->heap, &l->cap, l->n, sizeof(*l->heap));
	l->heap[i] = ln;
	for (; i && l->heap[(i - 1) / 2].end > l->heap[i].end; i = (i - 1) / 2)
		heap_swap(&l->heap[i], &l->heap[(i - 1) / 2]);
}

/* A lane free at start: the one that ended first, or a new one. */
static int lane_take(struct lanes *l, const struct span *s)
{
	struct lane ln = { s->end, l->next_id };

	if (l->n && l->heap[0].end <= s->start) {
		ln.id = l->heap[0].id;
		l->heap[0] = ln;
		heap_down(l, 0);
		return ln.id;
	}
	l->next_id++;
	heap_push(l, ln);
	return ln.id;
}

static int cmp_span(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->idx - b->idx;
}

/* Give every span a tid: its pid while that thread is free, else a lane. */
static void assign_tids(struct span *v, int n)
{
	struct strmap busy = { 0 };
	struct lanes lanes = { 0 };
	struct arena a = { 0 };
	bg_time *end;
	char key[24];
	void **slot;
	int i;

	qsort(v, n, sizeof(*v), cmp_span);
	for (i = 0; i < n; i++) {
		if (v[i].pid >= 0) {
			snprintf(key, sizeof(key), "%d", v[i].pid);
			slot = strmap_get(&busy, key, strlen(key), &a, NULL);
			if (!*slot)
				*slot = arena_alloc(&a, sizeof(bg_time));
			else if (*(bg_time *)*slot > v[i].start)
				goto lane;
			end = *slot;
			*end = v[i].end;
			v[i].tid = v[i].pid;
			continue;
		}
lane:
		v[i].tid = LANE_BASE + lane_take(&lanes, &v[i]);
	}
	free(lanes.heap);
	strmap_free(&busy);
	arena_free(&a);
}

/* ------------------------------------------------------------------ */

struct tw {
	FILE *f;
	const char *sep;
	struct strmap threads;		/* "pid/tid" already named */
	struct arena arena;
};

static void ev_begin(struct tw *w, char ph, int pid, int tid, const char *name)
{
	fprintf(w->f, "%s\n{\"ph\":\"%c\",\"pid\":%d,\"tid\":%d,\"name\":\"",
		w->sep, ph, pid, tid);
	bg_put_escaped(w->f, name, ESC_JSON);
	fputc('"', w->f);
	w->sep = ",";
}

static void thread_name(struct tw *w, int pid, int tid)
{
	char key[48];
	void **v;

	snprintf(key, sizeof(key), "%d/%d", pid, tid);
	v = strmap_get(&w->threads, key, strlen(key), &w->arena, NULL);
	if (*v)
		return;
	*v = w;
	ev_begin(w, 'M', pid, tid, "thread_name");
	if (tid >= LANE_BASE)
		fprintf(w->f, ",\"args\":{\"name\":\"lane %d\"}}", tid - LANE_BASE);
	else
		fprintf(w->f, ",\"args\":{\"name\":\"pid %d\"}}", tid);
}

static void process_names(struct tw *w)
{
	static const char *const names[] = { "device probes", "initcalls",
					     "async" };
	int i;

	for (i = 0; i < 3; i++) {
		ev_begin(w, 'M', i + 1, 0, "process_name");
		fprintf(w->f, ",\"args\":{\"name\":\"%s\"}}", names[i]);
		ev_begin(w, 'M', i + 1, 0, "process_sort_index");
		fprintf(w->f, ",\"args\":{\"sort_index\":%d}}", i + 1);
	}
}

static void complete(struct tw *w, int pid, const struct span *s,
		     const char *name, const char *cat)
{
	thread_name(w, pid, s->tid);
	ev_begin(w, 'X', pid, s->tid, name);
	fprintf(w->f, ",\"cat\":\"%s\",\"ts\":%lld,\"dur\":%lld", cat,
		(long long)s->start, (long long)(s->end - s->start));
}

static void arg_str(FILE *f, const char *key, const char *v)
{
	if (!v)
		return;
	fprintf(f, ",\"%s\":\"", key);
	bg_put_escaped(f, v, ESC_JSON);
	fputc('"', f);
}

static void arg_num(FILE *f, const char *key, long long v)
{
	if (v >= 0)
		fprintf(f, ",\"%s\":%lld", key, v);
}

static void probe_args(FILE *f, const struct bg_attempt *a)
{
	const struct bg_dev *d = a->dev;
	int i;

	fprintf(f, ",\"args\":{\"state\":\"%s\"", bg_state_name[d->state]);
	arg_str(f, "driver", d->drv);
	arg_str(f, "bus", d->bus);
	if (a->end != BG_NOTIME)
		fprintf(f, ",\"ret\":%d", a->ret);
	arg_num(f, "pid", a->pid);
	arg_num(f, "cookie", a->cookie);
	arg_num(f, "queue_us", a->queue == BG_NOTIME ? -1 : a->queue);
	arg_num(f, "attempt", a - d->att);
	fprintf(f, ",\"critical\":%s,\"deps\":[", a->crit ? "true" : "false");
	for (i = 0; i < d->ndeps; i++) {
		fputs(i ? ",\"" : "\"", f);
		bg_put_escaped(f, d->deps[i], ESC_JSON);
		fputc('"', f);
	}
	fputs("]}}", f);
}

/* Spans of every attempt that has a start; idx encodes device/attempt. */
static struct span *probe_spans(struct bg_model *m, struct bg_attempt ***att,
				int *n)
{
	struct span *v = xcalloc(m->st.nattempts, sizeof(*v));
	struct bg_attempt *a;
	int i, j;

	*att = xcalloc(m->st.nattempts, sizeof(**att));
	*n = 0;
	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++) {
			a = &m->shown[i]->att[j];
			if (a->start == BG_NOTIME)
				continue;
			v[*n] = (struct span){ a->start, bg_vis_end(m, a),
					       a->pid, 0, *n };
			(*att)[(*n)++] = a;
		}
	}
	assign_tids(v, *n);
	return v;
}

struct flows {
	struct bg_attempt **att;	/* attempts with a span */
	int n;
	int *tid_of;			/* by index into att */
	int *by_rank;			/* rank -> index into att, or -1 */
};

static void put_flows(struct tw *w, struct bg_model *m, const struct flows *fl);

static void put_probes(struct tw *w, struct bg_model *m)
{
	struct flows fl;
	struct span *v;
	char cat[32];
	int i;

	v = probe_spans(m, &fl.att, &fl.n);
	fl.tid_of = xcalloc(fl.n, sizeof(int));
	fl.by_rank = xcalloc(m->st.nattempts, sizeof(int));
	for (i = 0; i < m->st.nattempts; i++)
		fl.by_rank[i] = -1;
	for (i = 0; i < fl.n; i++) {
		const struct bg_attempt *a = fl.att[v[i].idx];

		fl.tid_of[v[i].idx] = v[i].tid;
		if (a->rank >= 0)
			fl.by_rank[a->rank] = v[i].idx;
		snprintf(cat, sizeof(cat), "probe,%s", a->end == BG_NOTIME ?
			 "running" : bg_state_name[a->dev->state]);
		complete(w, PID_PROBES, &v[i], a->dev->name, cat);
		probe_args(w->f, a);
	}
	put_flows(w, m, &fl);
	free(fl.by_rank);
	free(fl.tid_of);
	free(fl.att);
	free(v);
}

/* The last finished attempt of the named supplier, or NULL. */
static const struct bg_attempt *supplier(struct bg_model *m, const char *name)
{
	void **v = strmap_find(&m->devmap, name, strlen(name));
	const struct bg_dev *d = v ? *v : NULL;
	int i;

	for (i = d ? d->natt - 1 : -1; i >= 0; i--)
		if (d->att[i].end != BG_NOTIME && d->att[i].start != BG_NOTIME)
			return &d->att[i];
	return NULL;
}

static void flow(struct tw *w, char ph, long long id, int tid, bg_time ts)
{
	ev_begin(w, ph, PID_PROBES, tid, "dep");
	fprintf(w->f, ",\"cat\":\"dep\",\"id\":%lld,\"ts\":%lld%s}", id,
		(long long)ts, ph == 'f' ? ",\"bp\":\"e\"" : "");
}

static void put_flows(struct tw *w, struct bg_model *m, const struct flows *fl)
{
	const struct bg_attempt *a, *s;
	long long id = 0;
	int i, j, si;

	for (i = 0; i < fl->n; i++) {
		a = fl->att[i];
		if (a != bg_dev_last(a->dev))
			continue;
		for (j = 0; j < a->dev->ndeps; j++) {
			s = supplier(m, a->dev->deps[j]);
			si = s && s->rank >= 0 ? fl->by_rank[s->rank] : -1;
			if (si < 0)
				continue;
			flow(w, 's', ++id, fl->tid_of[si],
			     s->end > s->start ? s->end - 1 : s->start);
			flow(w, 'f', id, fl->tid_of[i], a->start);
		}
	}
}

static void put_calls(struct tw *w, struct bg_model *m,
		      const struct bg_callset *cs, int pid, const char *cat)
{
	struct span *v = xcalloc(cs->n, sizeof(*v));
	const struct bg_call *c;
	int i, n = 0;

	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		if (c->start == BG_NOTIME)
			continue;
		v[n++] = (struct span){ c->start, c->end != BG_NOTIME ? c->end :
					m->last_ts > c->start ? m->last_ts :
					c->start, c->pid, 0, i };
	}
	assign_tids(v, n);
	for (i = 0; i < n; i++) {
		c = &cs->v[v[i].idx];
		complete(w, pid, &v[i], c->func, cat);
		fprintf(w->f, ",\"args\":{\"ret\":%d", c->ret);
		arg_num(w->f, "pid", c->pid);
		arg_num(w->f, "cookie", c->cookie);
		fputs("}}", w->f);
	}
	free(v);
}

static void put_markers(struct tw *w, const struct bg_model *m)
{
	int i;

	for (i = 0; i < MARK_NR; i++) {
		if (m->mark[i].ts == BG_NOTIME)
			continue;
		ev_begin(w, 'i', PID_PROBES, 0, bg_mark_name[i]);
		fprintf(w->f, ",\"cat\":\"marker\",\"s\":\"g\",\"ts\":%lld}",
			(long long)m->mark[i].ts);
	}
}

static int trace_out(FILE *f, struct bg_model *m, const void *p)
{
	struct tw w = { .f = f, .sep = "" };

	(void)p;
	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[", f);
	process_names(&w);
	put_probes(&w, m);
	put_calls(&w, m, &m->initcalls, PID_INITCALLS, "initcall");
	put_calls(&w, m, &m->asyncs, PID_ASYNC, "async");
	put_markers(&w, m);
	fputs("\n]}\n", f);
	strmap_free(&w.threads);
	arena_free(&w.arena);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS, NULL)) != -1)
		bg_common_opt(&p.c, c, optarg, trace_usage);
	return bg_run_model(&p.c, argv + optind, argc - optind, trace_out, &p);
}
