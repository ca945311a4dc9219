// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph overview: the picture of a large boot on one screen.
 *
 * Past a few hundred devices one row per device is no longer a picture:
 * 4,000 devices make an image 64,000 px tall.  The overview keeps the
 * number of rows bounded whatever the boot: the top N devices by self
 * time, each on its own row, then one row per group (bus or driver) with
 * the span from its first event to its last, its count of devices, how
 * many of them were fast (self time below a threshold: folded, never
 * drawn on their own) and the sum of their self times.  Groups are
 * ordered by that sum; past BG_OV_MAX_GROUPS the smallest share one
 * last row.  A group counts all its devices, the top N included.
 */
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

static void group_add(struct bg_ovgroup *g, const struct bg_model *m,
		      const struct bg_dev *d, bg_time fast)
{
	bg_time self = bg_dev_self(d), a, b;
	int i;

	g->count++;
	g->self = bg_add(g->self, self);
	if (self < fast)
		g->nfast++;
	for (i = 0; i < d->natt; i++) {
		a = bg_first_ts(&d->att[i]);
		b = bg_vis_end(m, &d->att[i]);
		if (g->start == BG_NOTIME || a < g->start)
			g->start = a;
		if (g->end == BG_NOTIME || b > g->end)
			g->end = b;
	}
}

static int by_self(const void *a, const void *b)
{
	const struct bg_dev *x = *(struct bg_dev *const *)a;
	const struct bg_dev *y = *(struct bg_dev *const *)b;
	bg_time sx = bg_dev_self(x), sy = bg_dev_self(y);

	if (sx != sy)
		return sx < sy ? 1 : -1;
	return x->order - y->order;
}

static int group_by_self(const void *a, const void *b)
{
	const struct bg_ovgroup *x = a, *y = b;

	if (x->self != y->self)
		return x->self < y->self ? 1 : -1;
	return x->first - y->first;
}

/* The top devices: the slowest by self time, none of them fast. */
static void pick_top(const struct bg_model *m, struct bg_overview *ov,
		     int top, bg_time fast)
{
	struct bg_dev **v = xcalloc(m->nshown + 1, sizeof(*v));
	int i;

	if (m->nshown)
		memcpy(v, m->shown, m->nshown * sizeof(*v));
	qsort(v, m->nshown, sizeof(*v), by_self);
	for (i = 0; i < m->nshown && i < top && bg_dev_self(v[i]) >= fast; i++)
		;
	ov->top = v;
	ov->ntop = i;
}

/* Merge the groups past BG_OV_MAX_GROUPS into the last row. */
static void fold_groups(struct bg_overview *ov)
{
	struct bg_ovgroup *last, *g;
	int i;

	if (ov->ngroups <= BG_OV_MAX_GROUPS)
		return;
	last = &ov->groups[BG_OV_MAX_GROUPS - 1];
	for (i = BG_OV_MAX_GROUPS; i < ov->ngroups; i++) {
		g = &ov->groups[i];
		last->count += g->count;
		last->nfast += g->nfast;
		last->self = bg_add(last->self, g->self);
		if (g->start != BG_NOTIME &&
		    (last->start == BG_NOTIME || g->start < last->start))
			last->start = g->start;
		if (g->end != BG_NOTIME &&
		    (last->end == BG_NOTIME || g->end > last->end))
			last->end = g->end;
	}
	ov->nmerged = ov->ngroups - BG_OV_MAX_GROUPS + 1;
	ov->ngroups = BG_OV_MAX_GROUPS;
}

/**
 * bg_overview() - the rows of the overview of a boot
 * @m: the analysed model
 * @g: group devices by bus or driver (GROUP_NONE: one group)
 * @top: how many of the slowest devices get a row of their own
 * @fast: self time below which a device is fast, in usecs
 * @ov: filled; bg_overview_free() releases it
 */
void bg_overview(struct bg_model *m, enum bg_group g, int top, bg_time fast,
		 struct bg_overview *ov)
{
	struct strmap map = { 0 };
	struct bg_ovgroup *gr;
	const char *name;
	int i, cap = 0;
	void **v;

	memset(ov, 0, sizeof(*ov));
	ov->fast = fast;
	pick_top(m, ov, top, fast);
	for (i = 0; i < m->nshown; i++) {
		name = bg_dev_group(m->shown[i], g);
		v = strmap_get(&map, name, strlen(name), &m->arena, NULL);
		if (!*v) {
			ov->groups = bg_grow(ov->groups, &cap, ov->ngroups + 1,
					     sizeof(*ov->groups));
			gr = &ov->groups[ov->ngroups++];
			*gr = (struct bg_ovgroup){ .name = name, .first = i,
				.start = BG_NOTIME, .end = BG_NOTIME };
			*v = (void *)(intptr_t)ov->ngroups;
		}
		group_add(&ov->groups[(intptr_t)*v - 1], m, m->shown[i], fast);
	}
	strmap_free(&map);
	if (ov->ngroups)
		qsort(ov->groups, ov->ngroups, sizeof(*ov->groups),
		      group_by_self);
	fold_groups(ov);
}

void bg_overview_free(struct bg_overview *ov)
{
	free(ov->top);
	free(ov->groups);
}
