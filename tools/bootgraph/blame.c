// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph blame: devices (or initcalls) by the time their probes took,
 * slowest first, like systemd-analyze blame.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

struct blame_params {
	struct bg_common c;
	long long limit;		/* 0: all */
	bool initcalls;
	bool inclusive;
};

static const char *const blame_usage[] = {
	"",
	"  usage: bootgraph blame [options] [FILE...]",
	"",
	"  Devices by self probe time (all attempts, less the probes that ran",
	"  inside theirs), slowest first.",
	"",
	"  -n, --lines N         show the N slowest only",
	"  -I, --inclusive       rank by probe time with the nested probes",
	"  -i, --initcalls       rank initcalls instead of devices",
	BG_COMMON_HELP,
	NULL,
};

static bg_time dev_key(const struct bg_dev *d, bool inclusive)
{
	return inclusive ? bg_dev_time(d) : bg_dev_self(d);
}

struct keyed_dev {
	struct bg_dev *d;
	bg_time key;
};

static int cmp_dev_time(const void *pa, const void *pb)
{
	const struct keyed_dev *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	return strcmp(a->d->name, b->d->name);
}

/* The devices by the time blame ranks them by, each computed once. */
struct bg_dev **bg_blame_order(const struct bg_model *m, bool inclusive)
{
	struct keyed_dev *k = xcalloc(m->nshown, sizeof(*k));
	struct bg_dev **v = xcalloc(m->nshown, sizeof(*v));
	int i;

	for (i = 0; i < m->nshown; i++)
		k[i] = (struct keyed_dev){ m->shown[i],
					   dev_key(m->shown[i], inclusive) };
	qsort(k, m->nshown, sizeof(*k), cmp_dev_time);
	for (i = 0; i < m->nshown; i++)
		v[i] = k[i].d;
	free(k);
	return v;
}

/*
 * "   12.345ms  bound    DEV (DRV)": the time ranked by; where probes
 * ran inside this one's, the other time in brackets.
 */
void bg_blame_line(FILE *f, const struct bg_dev *d, bool inclusive)
{
	int nchild = bg_dev_nchild(d);
	char buf[48];

	fprintf(f, "%12s  %-8s ", bg_fmt_dur(buf, sizeof(buf),
					     dev_key(d, inclusive)),
		bg_state_name[d->state]);
	bg_put_escaped(f, d->name, ESC_TEXT);
	if (d->drv) {
		fputs(" (", f);
		bg_put_escaped(f, d->drv, ESC_TEXT);
		fputc(')', f);
	}
	if (nchild)
		fprintf(f, " [%s %s, %d nested probe%s]",
			inclusive ? "self" : "total",
			bg_fmt_dur(buf, sizeof(buf), dev_key(d, !inclusive)),
			nchild, nchild > 1 ? "s" : "");
	if (d->natt > 1)
		fprintf(f, " [%d attempts]", d->natt);
	fputc('\n', f);
}

static int cmp_call_time(const void *pa, const void *pb)
{
	const struct bg_call *a = pa, *b = pb;
	bg_time ta = a->end != BG_NOTIME ? a->end - a->start : -1;
	bg_time tb = b->end != BG_NOTIME ? b->end - b->start : -1;

	if (ta != tb)
		return ta > tb ? -1 : 1;
	return strcmp(a->func, b->func);
}

static void blame_initcalls(FILE *f, const struct bg_model *m, long long n)
{
	struct bg_call *v = xcalloc(m->initcalls.n, sizeof(*v));
	char buf[48];
	int i;

	memcpy(v, m->initcalls.v, m->initcalls.n * sizeof(*v));
	qsort(v, m->initcalls.n, sizeof(*v), cmp_call_time);
	for (i = 0; i < m->initcalls.n && (!n || i < n); i++) {
		if (v[i].end == BG_NOTIME)
			fprintf(f, "%12s  ", "unfinished");
		else
			fprintf(f, "%12s  ", bg_fmt_dur(buf, sizeof(buf),
							v[i].end - v[i].start));
		bg_put_escaped(f, v[i].func, ESC_TEXT);
		if (v[i].ret)
			fprintf(f, " (returned %d)", v[i].ret);
		fputc('\n', f);
	}
	free(v);
}

static int blame_out(FILE *f, struct bg_model *m, const void *p)
{
	const struct blame_params *bp = p;
	struct bg_dev **v;
	int i;

	if (bp->initcalls) {
		blame_initcalls(f, m, bp->limit);
		return 0;
	}
	v = bg_blame_order(m, bp->inclusive);
	for (i = 0; i < m->nshown && (!bp->limit || i < bp->limit); i++)
		bg_blame_line(f, v[i], bp->inclusive);
	free(v);
	return 0;
}

int cmd_blame(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lines",	required_argument, NULL, 'n' },
		{ "initcalls",	no_argument,	   NULL, 'i' },
		{ "inclusive",	no_argument,	   NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	struct blame_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS "n:iI", opts)) != -1) {
		if (bg_common_opt(&p.c, c, optarg, blame_usage))
			continue;
		if (c == 'n')
			p.limit = bg_arg_num(optarg, "line count");
		else if (c == 'i')
			p.initcalls = true;
		else if (c == 'I')
			p.inclusive = true;
	}
	return bg_run_model(&p.c, argv + optind, argc - optind, blame_out, &p);
}
