// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph over several boots: each file is one boot, read into its
 * own model and analysed, and what diff and summary compare is kept as
 * one sample per boot: the boot totals, each device's probe time (all
 * attempts) and each initcall's duration, per side (diff's A and B;
 * summary uses side 0).  A thing missing from a boot has no sample of
 * it; an initcall run twice in a boot has the sum as its sample.
 * bg_sampled_sort() sorts the samples, after which the quantiles can be
 * read.
 */
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

static void add_boot(struct bg_sampled *b, int side, const struct bg_model *m)
{
	const struct bg_stats *st = &m->st;
	const struct bg_call *c;
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
		if (bg_call_len(c) >= 0)
			add_sample(get_item(b, &b->call, c->func), side, boot,
				   (double)bg_call_len(c));
	}
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
