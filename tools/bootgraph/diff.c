// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph diff: compare two sets of boots.  Each FILE is one boot; side
 * A and side B are split by "--" (or by -n N, or one file each).  Per
 * device and for the boot as a whole it prints the mean and standard
 * deviation on each side and the change of the means.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

struct diff_params {
	struct bg_common c;
	long long nleft;		/* -n: files on side A; 0: unset */
	long long threshold;		/* usecs */
	bool all;
};

static const char *const diff_usage[] = {
	"",
	"  usage: bootgraph diff [options] A B",
	"         bootgraph diff [options] A1 A2 ... -- B1 B2 ...",
	"         bootgraph diff [options] -n N A1 ... AN B1 ...",
	"",
	"  Each file is one boot.  Compares the probe time of every device and",
	"  the boot totals: mean +-standard deviation per side, change of the",
	"  means.  Options come before the files.",
	"",
	"  -n, --left N          the first N files are side A",
	"  -t, --threshold USECS list devices whose mean changed by more than",
	"                        USECS (default 0: any change)",
	"  -a, --all             list every device",
	BG_COMMON_HELP,
	NULL,
};

enum metric {
	M_PROBE_END,
	M_PHASE,
	M_SERIAL,
	M_CRIT,
	M_INIT,
	M_BOUND,
	M_NR,
};

static const char *const metric_name[M_NR] = {
	"probing ended", "probe phase", "serial probe time",
	"critical path", "run /init", "devices bound",
};

struct acc {
	double sum[2], sq[2];
	int n[2];
};

struct diff {
	struct strmap names;		/* device name -> index + 1 */
	struct arena arena;
	struct acc *dev;
	const char **dev_name;
	int ndev, cap;
	struct acc metric[M_NR];
	int boots[2];
};

static void acc_add(struct acc *a, int side, double v)
{
	a->sum[side] += v;
	a->sq[side] += v * v;
	a->n[side]++;
}

static double acc_mean(const struct acc *a, int side)
{
	return a->n[side] ? a->sum[side] / a->n[side] : 0;
}

static double acc_sd(const struct acc *a, int side)
{
	double mean = acc_mean(a, side), var;

	if (a->n[side] < 2)
		return 0;
	var = (a->sq[side] - a->n[side] * mean * mean) / (a->n[side] - 1);
	return var > 0 ? sqrt(var) : 0;
}

static struct acc *dev_acc(struct diff *df, const char *name)
{
	void **v = strmap_get(&df->names, name, strlen(name), &df->arena,
			      NULL);

	if (!*v) {
		df->dev = bg_grow(df->dev, &df->cap, df->ndev + 1, sizeof(*df->dev));
		df->dev_name = xrealloc(df->dev_name, df->cap,
					sizeof(*df->dev_name));
		memset(&df->dev[df->ndev], 0, sizeof(*df->dev));
		df->dev_name[df->ndev] = arena_strndup(&df->arena, name,
						       strlen(name));
		df->ndev++;
		*v = (void *)(intptr_t)df->ndev;
	}
	return &df->dev[(intptr_t)*v - 1];
}

static void metric_add(struct diff *df, int side, enum metric k, bg_time t)
{
	if (t != BG_NOTIME)
		acc_add(&df->metric[k], side, (double)t);
}

static void add_boot(struct diff *df, int side, const struct bg_model *m)
{
	const struct bg_stats *st = &m->st;
	int i;

	df->boots[side]++;
	for (i = 0; i < m->nshown; i++)
		acc_add(dev_acc(df, m->shown[i]->name), side,
			(double)bg_dev_time(m->shown[i]));
	metric_add(df, side, M_PROBE_END, st->probe_end);
	if (st->probe_end != BG_NOTIME)
		metric_add(df, side, M_PHASE, st->probe_end - st->probe_start);
	metric_add(df, side, M_SERIAL, st->serial);
	metric_add(df, side, M_CRIT, st->crit_busy);
	metric_add(df, side, M_INIT, m->mark[MARK_INIT].ts);
	acc_add(&df->metric[M_BOUND], side, st->nstate[ST_BOUND]);
}

/* Load one boot; returns 1 if unreadable, 2 if it had nothing in it. */
static int load_boot(struct diff *df, int side, char *file,
		     const struct bg_input_opts *in)
{
	struct bg_model m;
	int ret;

	bg_model_init(&m);
	ret = bg_load(&m, &file, 1, in);
	bg_analyze(&m);
	if (!ret && !m.nshown && !m.initcalls.n)
		ret = 2;
	add_boot(df, side, &m);
	bg_model_free(&m);
	return ret;
}

/* ------------------------------------------------------------------ */

static void put_mean(FILE *f, const struct acc *a, int side, bool count)
{
	char m[48], sd[48], buf[112];

	if (!a->n[side]) {
		fprintf(f, "  %-24s", "-");
		return;
	}
	if (count) {
		snprintf(buf, sizeof(buf), "%.1f +-%.1f", acc_mean(a, side),
			 acc_sd(a, side));
	} else {
		bg_fmt_dur(m, sizeof(m), llround(acc_mean(a, side)));
		bg_fmt_dur(sd, sizeof(sd), llround(acc_sd(a, side)));
		snprintf(buf, sizeof(buf), "%s +-%s", m, sd);
	}
	fprintf(f, "  %-24s", buf);
}

static double acc_delta(const struct acc *a)
{
	return acc_mean(a, 1) - acc_mean(a, 0);
}

static void put_delta(FILE *f, const struct acc *a, bool count)
{
	double d = acc_delta(a), base = acc_mean(a, 0);
	char buf[48];

	if (!a->n[0] || !a->n[1]) {
		fputs("  -\n", f);
		return;
	}
	if (count)
		fprintf(f, "  %+.1f", d);
	else
		fprintf(f, "  %s%s", d >= 0 ? "+" : "",
			bg_fmt_dur(buf, sizeof(buf), llround(d)));
	if (base > 0)
		fprintf(f, " (%+.1f%%)", 100 * d / base);
	fputc('\n', f);
}

static void put_row(FILE *f, const char *name, const struct acc *a, bool count)
{
	fputs("  ", f);
	bg_put_escaped(f, name, ESC_TEXT);
	fprintf(f, "%*s", (int)(strlen(name) < 30 ? 30 - strlen(name) : 1), "");
	put_mean(f, a, 0, count);
	put_mean(f, a, 1, count);
	put_delta(f, a, count);
}

static const struct diff *sort_df;

static int cmp_delta(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;
	double da = fabs(acc_delta(&sort_df->dev[a]));
	double db = fabs(acc_delta(&sort_df->dev[b]));

	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(sort_df->dev_name[a], sort_df->dev_name[b]);
}

static void put_devices(FILE *f, const struct diff *df,
			const struct diff_params *p)
{
	int *idx = xcalloc(df->ndev, sizeof(int)), i, n = 0;
	const struct acc *a;

	for (i = 0; i < df->ndev; i++) {
		a = &df->dev[i];
		if (p->all || !a->n[0] || !a->n[1] ||
		    fabs(acc_delta(a)) > (double)p->threshold)
			idx[n++] = i;
	}
	sort_df = df;
	qsort(idx, n, sizeof(int), cmp_delta);
	fprintf(f, "\nDevices (probe time, all attempts):\n");
	if (!n)
		fprintf(f, "  no device changed by more than %lldus\n",
			p->threshold);
	for (i = 0; i < n; i++)
		put_row(f, df->dev_name[idx[i]], &df->dev[idx[i]], false);
	free(idx);
}

static void put_diff(FILE *f, const struct diff *df, const struct diff_params *p)
{
	char a[32], b[32];
	int k;

	snprintf(a, sizeof(a), "A (%d boot%s)", df->boots[0],
		 df->boots[0] == 1 ? "" : "s");
	snprintf(b, sizeof(b), "B (%d boot%s)", df->boots[1],
		 df->boots[1] == 1 ? "" : "s");
	fprintf(f, "  %-30s  %-24s  %-24s  %s\n", "", a, b, "B - A");
	for (k = 0; k < M_NR; k++)
		put_row(f, metric_name[k], &df->metric[k], k == M_BOUND);
	put_devices(f, df, p);
}

/* ------------------------------------------------------------------ */

static int split_sides(struct diff_params *p, int argc, char **argv,
		       int *nleft)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			break;
	if (i < argc && !p->nleft) {
		*nleft = i;
		return 1;	/* one "--" to skip */
	}
	*nleft = p->nleft ? p->nleft : argc / 2;
	if (!p->nleft && argc != 2) {
		bg_err("diff: give A B, A... -- B..., or -n N");
		bg_usage(diff_usage, 1);
	}
	return 0;
}

static int run_diff(struct diff_params *p, int argc, char **argv)
{
	struct diff df = { 0 };
	int nleft, skip, i, ret = 0, side;
	FILE *f;

	skip = split_sides(p, argc, argv, &nleft);
	if (nleft < 1 || argc - nleft - skip < 1) {
		bg_err("diff: each side needs at least one file");
		bg_usage(diff_usage, 1);
	}
	for (i = 0; i < argc; i++) {
		if (skip && i == nleft)
			continue;
		side = i >= nleft;
		ret |= load_boot(&df, side, argv[i], &p->c.in);
	}
	f = bg_open_output(p->c.output);
	if (f) {
		put_diff(f, &df, p);
		ret |= bg_close_output(f, p->c.output);
	} else {
		ret = 1;
	}
	free(df.dev);
	free(df.dev_name);
	strmap_free(&df.names);
	arena_free(&df.arena);
	return ret & 1 ? 1 : ret;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "left",	required_argument, NULL, 'n' },
		{ "threshold",	required_argument, NULL, 't' },
		{ "all",	no_argument,	   NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct diff_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, "+" BG_COMMON_SHORTOPTS "n:t:a", opts)) != -1) {
		if (bg_common_opt(&p.c, c, optarg, diff_usage))
			continue;
		if (c == 'n')
			p.nleft = bg_arg_num(optarg, "file count");
		else if (c == 't')
			p.threshold = bg_arg_num(optarg, "threshold");
		else if (c == 'a')
			p.all = true;
	}
	return run_diff(&p, argc - optind, argv + optind);
}
