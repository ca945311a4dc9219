// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph diff: compare two groups of boots.  Each FILE is one boot;
 * side A and side B are split by "--" (or by -n N, or one file each).
 *
 * For the boot totals, each device's probe time and each initcall's
 * duration it gathers one sample per boot and side, and prints per side
 * the median and the interquartile range, the change of the medians and
 * the p-value of the Mann-Whitney U test (stats.c).  With at least two
 * boots a side it lists only the changes that are larger than their
 * noise: p below ALPHA and a change of the medians larger than either
 * side's interquartile range.  With one boot a side nothing tells noise
 * from change, so it lists every change above the threshold and says so.
 *
 * Async calls, which initcall_debug names "COOKIE_func", are paired by
 * function and device, or by their order, not by cookie (boots.c).
 *
 * Things present on one side only are counted and listed apart.  Two
 * devices of one driver whose names swapped between the sides (two HID
 * devices enumerated in the other order) would be two large changes that
 * cancel: within each driver, when pairing the devices by the order of
 * their probe times halves the total change that pairing by name gives,
 * the devices are paired so and the swap is reported as such.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

#define ALPHA		0.05

struct diff {
	struct bg_sampled s;
	bool multi;			/* two boots or more on each side */
};

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
	"  Each file is one boot.  Compares the boot totals, the probe time of",
	"  every device and the duration of every initcall: median ~interquartile",
	"  range per side, change of the medians, Mann-Whitney U test.  With two",
	"  boots or more a side only changes larger than their noise are listed",
	"  (p < 0.05 and beyond either side's interquartile range).  Options",
	"  come before the files.",
	"",
	"  -n, --left N          the first N files are side A",
	"  -t, --threshold USECS list only changes of the medians larger than",
	"                        USECS (default 0)",
	"  -a, --all             list every device and initcall",
	BG_COMMON_HELP,
	NULL,
};

/* One line of the comparison: a's samples on side A, b's on side B. */
struct row {
	const struct bg_item *a, *b;
	double med[2], iqr[2], delta, p;
	bool listed;
};

/* ------------------------------------------------------------------ */
/* Comparing */

static void compare(struct row *r, const struct diff *df,
		    const struct diff_params *p)
{
	const struct bg_item *it[2] = { r->a, r->b };
	bool exact;
	int s;

	for (s = 0; s < 2; s++) {
		r->med[s] = bg_item_median(it[s], s);
		r->iqr[s] = bg_item_iqr(it[s], s);
	}
	r->delta = r->med[1] - r->med[0];
	r->p = bg_mann_whitney(r->a->v[0], r->a->n[0], r->b->v[1], r->b->n[1],
			       &exact);
	r->listed = fabs(r->delta) > (double)p->threshold;
	if (df->multi)
		r->listed = r->listed && r->p < ALPHA &&
			    fabs(r->delta) > fmax(r->iqr[0], r->iqr[1]);
	r->listed = r->listed || p->all;
}

static const char *sort_key(const struct bg_item *it)
{
	return it->drv ? it->drv : "";
}

static int cmp_drv(const void *pa, const void *pb)
{
	const struct bg_item *a = *(struct bg_item *const *)pa;
	const struct bg_item *b = *(struct bg_item *const *)pb;
	int c = strcmp(sort_key(a), sort_key(b));

	return c ? c : strcmp(a->name, b->name);
}

static int sort_side;

static int cmp_median(const void *pa, const void *pb)
{
	const struct bg_item *a = *(struct bg_item *const *)pa;
	const struct bg_item *b = *(struct bg_item *const *)pb;
	double ma = bg_item_median(a, sort_side), mb = bg_item_median(b, sort_side);

	if (ma != mb)
		return ma < mb ? -1 : 1;
	return strcmp(a->name, b->name);
}

/*
 * Pair the n devices g[] of one driver by the order of their medians
 * when that halves the change that pairing by name gives: b[i] is the
 * device of side B compared with g[i].  Returns the number of swaps.
 */
static int match_group(struct bg_item **g, int n, const struct bg_item **b)
{
	struct bg_item **oa = xcalloc(n, sizeof(*oa)), **ob;
	double by_name = 0, by_rank = 0;
	int i, j, swaps = 0;

	ob = xcalloc(n, sizeof(*ob));
	memcpy(oa, g, n * sizeof(*oa));
	memcpy(ob, g, n * sizeof(*ob));
	sort_side = 0;
	qsort(oa, n, sizeof(*oa), cmp_median);
	sort_side = 1;
	qsort(ob, n, sizeof(*ob), cmp_median);
	for (i = 0; i < n; i++) {
		by_name += fabs(bg_item_median(g[i], 1) - bg_item_median(g[i], 0));
		by_rank += fabs(bg_item_median(ob[i], 1) - bg_item_median(oa[i], 0));
	}
	for (i = 0; i < n; i++)
		b[i] = g[i];
	if (2 * by_rank < by_name) {
		for (i = 0; i < n; i++) {
			for (j = 0; g[j] != oa[i]; j++)
				;
			b[j] = ob[i];
			swaps += ob[i] != oa[i];
		}
	}
	free(oa);
	free(ob);
	return swaps;
}

/*
 * The rows of the devices on both sides, swaps paired (see the top of
 * the file); *nswaps counts the devices compared with another's name.
 */
static struct row *device_rows(struct diff *df, int *nrows, int *nswaps)
{
	struct bg_item **g = xcalloc(df->s.dev.n + 1, sizeof(*g));
	const struct bg_item **b = xcalloc(df->s.dev.n + 1, sizeof(*b));
	struct row *rows = xcalloc(df->s.dev.n + 1, sizeof(*rows));
	int i, j, n = 0;

	for (i = 0; i < df->s.dev.n; i++)
		if (df->s.dev.v[i].n[0] && df->s.dev.v[i].n[1])
			g[n++] = &df->s.dev.v[i];
	qsort(g, n, sizeof(*g), cmp_drv);
	*nswaps = 0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && g[i]->drv && g[j]->drv &&
		     !strcmp(g[i]->drv, g[j]->drv); j++)
			;
		if (j - i > 1)
			*nswaps += match_group(g + i, j - i, b + i);
		else
			b[i] = g[i];
	}
	for (i = 0; i < n; i++)
		rows[i] = (struct row){ .a = g[i], .b = b[i] };
	free(g);
	free(b);
	*nrows = n;
	return rows;
}

static struct row *call_rows(struct bg_itemset *s, int *nrows)
{
	struct row *rows = xcalloc(s->n + 1, sizeof(*rows));
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->v[i].n[0] && s->v[i].n[1])
			rows[n++] = (struct row){ .a = &s->v[i], .b = &s->v[i] };
	*nrows = n;
	return rows;
}

static int cmp_row(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (fabs(a->delta) != fabs(b->delta))
		return fabs(a->delta) > fabs(b->delta) ? -1 : 1;
	return strcmp(a->a->name, b->a->name);
}

/* ------------------------------------------------------------------ */
/* Output */

#define NAME_W	30
#define DRV_W	14
#define SIDE_W	20

static void fmt_val(char *buf, size_t sz, double v, bool count)
{
	if (count)
		snprintf(buf, sz, "%.1f", v);
	else
		bg_fmt_dur(buf, sz, llround(v));
}

static void put_side(FILE *f, const struct row *r, int s, bool count)
{
	char m[48], q[48], buf[112];

	fmt_val(m, sizeof(m), r->med[s], count);
	if ((s ? r->b : r->a)->n[s] < 2) {
		fprintf(f, "  %-*s", SIDE_W, m);
		return;
	}
	fmt_val(q, sizeof(q), r->iqr[s], count);
	snprintf(buf, sizeof(buf), "%s ~%s", m, q);
	fprintf(f, "  %-*s", SIDE_W, buf);
}

static void put_name(FILE *f, const char *name, int w)
{
	int len = strlen(name);

	bg_put_escaped(f, name, ESC_TEXT);
	fprintf(f, "%*s", len < w ? w - len : 1, "");
}

static void put_change(FILE *f, const struct row *r, bool count)
{
	char buf[48], d[64];

	if (count)
		snprintf(buf, sizeof(buf), "%+.1f", r->delta);
	else
		snprintf(buf, sizeof(buf), "%s%s", r->delta >= 0 ? "+" : "",
			 bg_fmt_dur(d, sizeof(d), llround(r->delta)));
	if (r->med[0] > 0) {
		snprintf(d, sizeof(d), " (%+.1f%%)", 100 * r->delta / r->med[0]);
		strncat(buf, d, sizeof(buf) - strlen(buf) - 1);
	}
	fprintf(f, "  %-20s", buf);
}

static void put_p(FILE *f, const struct row *r, const struct diff *df)
{
	if (!df->multi)
		fputs("  -\n", f);
	else
		fprintf(f, "  %.3f\n", r->p);
}

/* drv: NULL for no driver column. */
static void put_row(FILE *f, const struct row *r, const struct diff *df,
		    const char *drv, bool count)
{
	fputs("  ", f);
	put_name(f, r->a->name, NAME_W);
	if (drv) {
		fputs("  ", f);
		put_name(f, drv, DRV_W);
	}
	put_side(f, r, 0, count);
	put_side(f, r, 1, count);
	put_change(f, r, count);
	put_p(f, r, df);
}

static void put_head(FILE *f, const char *what, const struct diff *df,
		     bool drv)
{
	char a[32], b[32];

	snprintf(a, sizeof(a), "A (%d boot%s)", df->s.boots[0],
		 df->s.boots[0] == 1 ? "" : "s");
	snprintf(b, sizeof(b), "B (%d boot%s)", df->s.boots[1],
		 df->s.boots[1] == 1 ? "" : "s");
	fprintf(f, "  %-*s", NAME_W, what);
	if (drv)
		fprintf(f, "  %-*s", DRV_W, "driver");
	fprintf(f, "  %-*s  %-*s  %-20s  %s\n", SIDE_W, a, SIDE_W, b, "B - A",
		"p");
}

/*
 * The things of set s present on side `side` only: returns their count,
 * and lists them under "what" when f is given.
 */
static int put_one_side(FILE *f, const struct bg_itemset *s, int side,
			const char *what, bool drv)
{
	const struct bg_item *it;
	char m[48];
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->v[i].n[side] && !s->v[i].n[!side];
	if (!n || !f)
		return n;
	fprintf(f, "  only in %c (%d %s%s):\n", side ? 'B' : 'A', n, what,
		n == 1 ? "" : "s");
	for (i = 0; i < s->n; i++) {
		it = &s->v[i];
		if (!it->n[side] || it->n[!side])
			continue;
		fputs("    ", f);
		put_name(f, it->name, NAME_W);
		if (drv) {
			fputs("  ", f);
			put_name(f, it->drv ? it->drv : "-", DRV_W);
		}
		bg_fmt_dur(m, sizeof(m), llround(bg_item_median(it, side)));
		fprintf(f, "  %s\n", m);
	}
	return n;
}

/* Rows of one section, sorted by the size of the change; returns listed. */
static int put_rows(FILE *f, struct row *rows, int n, const struct diff *df,
		    const struct diff_params *p, bool devices)
{
	int i, listed = 0;

	for (i = 0; i < n; i++)
		compare(&rows[i], df, p);
	qsort(rows, n, sizeof(*rows), cmp_row);
	for (i = 0; i < n; i++) {
		if (!rows[i].listed)
			continue;
		listed++;
		put_row(f, &rows[i], df, devices ? (rows[i].a->drv ?
			rows[i].a->drv : "-") : NULL, false);
	}
	return listed;
}

static void put_unlisted(FILE *f, int n, int listed, const char *what,
			 const struct diff *df, const struct diff_params *p)
{
	const char *s = n - listed == 1 ? "" : "s";

	if (n == listed)
		return;
	if (df->multi)
		fprintf(f, "  %d %s%s%s changed less than their noise (-a lists them)\n",
			n - listed, listed ? "more " : "", what, s);
	else if (!p->threshold)
		fprintf(f, "  %d %s%s%s unchanged (-a lists them)\n",
			n - listed, listed ? "more " : "", what, s);
	else
		fprintf(f, "  %d %s%s%s changed by %lldus or less (-a lists them)\n",
			n - listed, listed ? "more " : "", what, s, p->threshold);
}

static void put_swaps(FILE *f, const struct row *rows, int n, int nswaps)
{
	int i;

	if (!nswaps)
		return;
	fprintf(f, "  names swapped (same driver; the rows above pair them by probe time):\n");
	for (i = 0; i < n; i++) {
		if (rows[i].a == rows[i].b)
			continue;
		fputs("    ", f);
		bg_put_escaped(f, rows[i].a->name, ESC_TEXT);
		fputs(" of A is ", f);
		bg_put_escaped(f, rows[i].b->name, ESC_TEXT);
		fputs(" of B (", f);
		bg_put_escaped(f, rows[i].a->drv, ESC_TEXT);
		fputs(")\n", f);
	}
}

static void put_devices(FILE *f, struct diff *df, const struct diff_params *p)
{
	int n, nswaps, listed, only[2];
	struct row *rows = device_rows(df, &n, &nswaps);

	only[0] = put_one_side(NULL, &df->s.dev, 0, NULL, true);
	only[1] = put_one_side(NULL, &df->s.dev, 1, NULL, true);
	fprintf(f, "\nDevices (probe time, all attempts): %d on both sides, ", n);
	fprintf(f, "%d only in A, %d only in B\n", only[0], only[1]);
	put_head(f, "", df, true);
	listed = put_rows(f, rows, n, df, p, true);
	if (!listed && !df->multi)
		fprintf(f, "  no device changed by more than %lldus\n",
			p->threshold);
	else if (!listed)
		fprintf(f, "  no device changed by more than its noise\n");
	put_unlisted(f, n, listed, "device", df, p);
	put_swaps(f, rows, n, nswaps);
	put_one_side(f, &df->s.dev, 0, "device", true);
	put_one_side(f, &df->s.dev, 1, "device", true);
	free(rows);
}

static void put_initcalls(FILE *f, struct diff *df,
			  const struct diff_params *p)
{
	int n, listed, only[2];
	struct row *rows = call_rows(&df->s.call, &n);

	only[0] = put_one_side(NULL, &df->s.call, 0, NULL, false);
	only[1] = put_one_side(NULL, &df->s.call, 1, NULL, false);
	fprintf(f, "\nInitcalls (duration): %d on both sides, %d only in A, %d only in B\n",
		n, only[0], only[1]);
	put_head(f, "", df, false);
	listed = put_rows(f, rows, n, df, p, false);
	if (!listed)
		fprintf(f, "  no initcall changed by more than %s\n",
			df->multi ? "its noise" : "the threshold");
	put_unlisted(f, n, listed, "initcall", df, p);
	put_one_side(f, &df->s.call, 0, "initcall", false);
	put_one_side(f, &df->s.call, 1, "initcall", false);
	free(rows);
}

/* How the comparison was made, and what it can tell. */
static void put_method(FILE *f, const struct diff *df)
{
	double minp = bg_mw_min_p(df->s.boots[0], df->s.boots[1]);

	if (!df->multi) {
		fputs("One boot on a side: nothing tells a change from the noise ", f);
		fputs("between boots;\nevery change over the threshold is listed.  ", f);
		fputs("Boot each side 4 times or more\nand give them all ", f);
		fputs("(A1 A2 A3 A4 -- B1 B2 B3 B4) to list only real changes.\n\n", f);
		return;
	}
	fprintf(f, "Medians ~interquartile range; p: two-sided Mann-Whitney U test.  Listed:\n"
		"changes with p < %.2f and larger than the interquartile range of either side.\n",
		ALPHA);
	if (minp >= ALPHA)
		fprintf(f, "With %d and %d boots the smallest p the test can give is %.3f: no\n"
			"change can be told from the noise; boot each side 4 times or more.\n",
			df->s.boots[0], df->s.boots[1], minp);
	fputc('\n', f);
}

static void put_diff(FILE *f, struct diff *df, const struct diff_params *p)
{
	struct row *rows;
	int i, n;

	bg_sampled_sort(&df->s);
	put_method(f, df);
	put_head(f, "Boot", df, false);
	rows = call_rows(&df->s.metric, &n);
	for (i = 0; i < n; i++) {
		compare(&rows[i], df, p);
		put_row(f, &rows[i], df, NULL, rows[i].a->name ==
			df->s.metric.v[BM_BOUND].name);
	}
	free(rows);
	put_devices(f, df, p);
	put_initcalls(f, df, p);
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
		ret |= bg_sampled_load(&df.s, side, argv[i], &p->c.in);
	}
	df.multi = df.s.boots[0] >= 2 && df.s.boots[1] >= 2;
	f = bg_open_output(p->c.output);
	if (f) {
		put_diff(f, &df, p);
		ret |= bg_close_output(f, p->c.output);
	} else {
		ret = 1;
	}
	bg_sampled_free(&df.s);
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
