// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph over several boots: each file is one boot, read into its
 * own model and analysed, and what diff and summary compare is kept as
 * one sample per boot: the boot totals, each device's probe time (all
 * attempts) and each initcall's duration, per side (diff's A and B;
 * summary uses side 0).  A thing missing from a boot has no sample of
 * it; an initcall run twice in a boot has the sum as its sample.  Async
 * calls are named by their function and the device they probed or their
 * place, not by their cookie (add_async()).
 * bg_sampled_sort() sorts the samples, after which the quantiles can be
 * read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

const char *const bg_metric_name[BM_NR] = {
	"probing ended", "probe phase", "serial probe time",
	"critical path", "run /init", "devices bound",
};

static struct bg_item *get_item(struct bg_sampled *b, struct bg_itemset *s,
				const char *name)
{
	void **v = strmap_get(&s->map, name, strlen(name), &b->arena, NULL);

	if (!*v) {
		s->v = bg_grow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
		memset(&s->v[s->n], 0, sizeof(*s->v));
		s->v[s->n].name = arena_strndup(&b->arena, name, strlen(name));
		s->n++;
		*v = (void *)(intptr_t)s->n;
	}
	return &s->v[(intptr_t)*v - 1];
}

/* A sample of boot number boot; a second one of the same boot adds up. */
static void add_sample(struct bg_item *it, int side, int boot, double v)
{
	if (it->n[side] && it->boot[side] == boot) {
		it->v[side][it->n[side] - 1] += v;
		return;
	}
	it->v[side] = bg_grow(it->v[side], &it->cap[side], it->n[side] + 1,
			      sizeof(double));
	it->v[side][it->n[side]++] = v;
	it->boot[side] = boot;
}

static void metric_add(struct bg_sampled *b, int side, enum bg_metric k,
		       bg_time t)
{
	if (t != BG_NOTIME)
		add_sample(get_item(b, &b->metric, bg_metric_name[k]), side,
			   b->boots[side], (double)t);
}

/* ------------------------------------------------------------------ */
/*
 * kernel/async.c prints its calls as initcalls named "COOKIE_func", and
 * the cookies of one call differ from boot to boot.  So an async call is
 * compared under its function's name without the cookie, and with what
 * tells apart the calls of one function: the device it probed, where an
 * async_probe line gives its cookie ("ap_probe_fn(1:0:0:0)"), else its
 * place among the other calls of the function, in cookie order, that is
 * in the order they were queued ("async_port_probe", then
 * "async_port_probe#2" and on).
 */
struct async_name {
	const struct bg_call *c;
	const char *fn;			/* after the cookie */
	long long cookie;
};

/* A probe attempt's cookie and its device. */
struct cookie_dev {
	long long cookie;
	const char *dev;
};

/* The cookie of an async call's name "COOKIE_func", or -1. */
static long long name_cookie(const char *name, const char **fn)
{
	long long v;
	char *end;

	if (*name < '0' || *name > '9')
		return -1;
	errno = 0;
	v = strtoll(name, &end, 10);
	if (errno || *end != '_' || !end[1])
		return -1;
	*fn = end + 1;
	return v;
}

static int cmp_async_name(const void *pa, const void *pb)
{
	const struct async_name *a = pa, *b = pb;
	int c = strcmp(a->fn, b->fn);

	if (c)
		return c;
	return a->cookie < b->cookie ? -1 : a->cookie > b->cookie;
}

static int cmp_cookie(const void *pa, const void *pb)
{
	const struct cookie_dev *a = pa, *b = pb;

	return a->cookie < b->cookie ? -1 : a->cookie > b->cookie;
}

/* The probe attempts of m that have a cookie, by cookie. */
static struct cookie_dev *cookie_devs(const struct bg_model *m, int *n)
{
	struct cookie_dev *v = NULL;
	const struct bg_dev *d;
	int i, j, cap = 0;

	*n = 0;
	for (i = 0; i < m->nshown; i++) {
		d = m->shown[i];
		for (j = 0; j < d->natt; j++) {
			if (d->att[j].cookie < 0)
				continue;
			v = bg_grow(v, &cap, *n + 1, sizeof(*v));
			v[(*n)++] = (struct cookie_dev){ d->att[j].cookie, d->name };
		}
	}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_cookie);
	return v;
}

/* Sample each finished async call of m's initcalls under its name. */
static void add_async(struct bg_sampled *b, int side, int boot,
		      const struct bg_model *m)
{
	struct async_name *v = xcalloc(m->initcalls.n + 1, sizeof(*v));
	struct cookie_dev key, *cd, *devs;
	int i, n = 0, k = 0, ndevs;
	char *name;
	size_t len;

	for (i = 0; i < m->initcalls.n; i++) {
		v[n].c = &m->initcalls.v[i];
		v[n].cookie = name_cookie(v[n].c->func, &v[n].fn);
		if (v[n].cookie >= 0)
			n++;
	}
	qsort(v, n, sizeof(*v), cmp_async_name);
	devs = cookie_devs(m, &ndevs);
	for (i = 0; i < n; i++) {
		key.cookie = v[i].cookie;
		cd = ndevs ? bsearch(&key, devs, ndevs, sizeof(*devs),
				     cmp_cookie) : NULL;
		k = i && !strcmp(v[i].fn, v[i - 1].fn) ? k : 0;
		len = strlen(v[i].fn) + (cd ? strlen(cd->dev) : 0) + 16;
		name = xmalloc(len);
		if (cd)
			snprintf(name, len, "%s(%s)", v[i].fn, cd->dev);
		else if (k++)
			snprintf(name, len, "%s#%d", v[i].fn, k);
		else
			snprintf(name, len, "%s", v[i].fn);
		if (bg_call_len(v[i].c) >= 0)
			add_sample(get_item(b, &b->call, name), side, boot,
				   (double)bg_call_len(v[i].c));
		free(name);
	}
	free(devs);
	free(v);
}

static void add_boot(struct bg_sampled *b, int side, const struct bg_model *m)
{
	const struct bg_stats *st = &m->st;
	const struct bg_call *c;
	const char *fn;
	struct bg_item *it;
	int i, boot = ++b->boots[side];

	for (i = 0; i < BM_NR; i++)	/* the totals in their order */
		get_item(b, &b->metric, bg_metric_name[i]);
	metric_add(b, side, BM_PROBE_END, st->probe_end);
	if (st->probe_end != BG_NOTIME)
		metric_add(b, side, BM_PHASE, st->probe_end - st->probe_start);
	metric_add(b, side, BM_SERIAL, st->serial);
	metric_add(b, side, BM_CRIT, st->crit_busy);
	metric_add(b, side, BM_INIT, m->mark[MARK_INIT].ts);
	metric_add(b, side, BM_BOUND, st->nstate[ST_BOUND]);
	for (i = 0; i < m->nshown; i++) {
		it = get_item(b, &b->dev, m->shown[i]->name);
		if (!it->drv && m->shown[i]->drv)
			it->drv = arena_strndup(&b->arena, m->shown[i]->drv,
						strlen(m->shown[i]->drv));
		add_sample(it, side, boot, (double)bg_dev_time(m->shown[i]));
	}
	for (i = 0; i < m->initcalls.n; i++) {
		c = &m->initcalls.v[i];
		if (bg_call_len(c) >= 0 && name_cookie(c->func, &fn) < 0)
			add_sample(get_item(b, &b->call, c->func), side, boot,
				   (double)bg_call_len(c));
	}
	add_async(b, side, boot, m);
}

/*
 * Read file as one boot of side `side`; returns 1 if unreadable, 2 if it
 * had nothing in it.
 */
int bg_sampled_load(struct bg_sampled *b, int side, char *file,
		    const struct bg_input_opts *in)
{
	struct bg_model m;
	int ret;

	bg_model_init(&m);
	ret = bg_load(&m, &file, 1, in);
	bg_analyze(&m);
	if (!ret && !m.nshown && !m.initcalls.n)
		ret = 2;
	add_boot(b, side, &m);
	bg_model_free(&m);
	return ret;
}

static void sort_set(struct bg_itemset *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		bg_sort_doubles(s->v[i].v[0], s->v[i].n[0]);
		bg_sort_doubles(s->v[i].v[1], s->v[i].n[1]);
	}
}

void bg_sampled_sort(struct bg_sampled *b)
{
	sort_set(&b->metric);
	sort_set(&b->dev);
	sort_set(&b->call);
}

double bg_item_median(const struct bg_item *it, int side)
{
	return bg_quantile(it->v[side], it->n[side], 0.5);
}

double bg_item_iqr(const struct bg_item *it, int side)
{
	return bg_quantile(it->v[side], it->n[side], 0.75) -
	       bg_quantile(it->v[side], it->n[side], 0.25);
}

static void free_set(struct bg_itemset *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].v[0]);
		free(s->v[i].v[1]);
	}
	free(s->v);
	strmap_free(&s->map);
}

void bg_sampled_free(struct bg_sampled *b)
{
	free_set(&b->dev);
	free_set(&b->call);
	free_set(&b->metric);
	arena_free(&b->arena);
}
