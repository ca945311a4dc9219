// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph summary: one screen on the probe phase of a boot.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

struct summary_params {
	struct bg_common c;
	long long slowest;
	bool many;			/* -m: each file one boot */
	struct bg_plan *plan;		/* --plan: the plan the boot replayed */
};

static const char *const summary_usage[] = {
	"",
	"  usage: bootgraph [summary] [options] [FILE...]",
	"",
	"  Probe phase, serial probe time, critical path, parallelism, device",
	"  outcomes, the slowest probes and when /init ran.",
	"",
	"  -n, --slowest N       list the N slowest devices (default 5)",
	"  -m, --many            each FILE is one boot: median and range over",
	"                        the boots of the totals, devices and initcalls",
	"  -p, --plan PLAN       how the boot used PLAN, the plan it replayed:",
	"                        its devices probed or not, and of those that",
	"                        deferred when it was made, those that bound",
	"                        without deferring (devices named BUS:NAME)",
	BG_COMMON_HELP,
	NULL,
};

static void put_framings(FILE *f, unsigned int fr)
{
	const char *sep = "";
	int i;

	for (i = 0; i < FR_NR; i++) {
		if (!(fr & (1u << i)))
			continue;
		fprintf(f, "%s%s", sep, bg_framing_name[i]);
		sep = ", ";
	}
	fprintf(f, "%s\n", *sep ? "" : "none");
}

/* Only when the input held several boots or records read twice. */
static void put_boots(FILE *f, const struct bg_boots *b)
{
	if (b->n > 1)
		fprintf(f, "%-20s%d of %d in the input (--boot N picks one)\n",
			"Boot:", b->want ? b->want : b->n, b->n);
	if (b->dups)
		fprintf(f, "%-20s%lld records read twice, counted once\n",
			"Duplicates:", b->dups);
}

/* ------------------------------------------------------------------ */
/*
 * What pid 1 waited for before /init: its initcalls and its waits for
 * async work (async_synchronize_*()), the longest of them, and for a
 * wait (or the wait inside the longest initcall) what finished last in
 * it: what the wait was for.
 */

/* Put the probe or async function that finished last inside wait w. */
static void put_waited_for(FILE *f, const struct bg_model *m,
			   const struct bg_call *w)
{
	const struct bg_attempt *ba = bg_last_probe_in(m, w->start, w->end);
	const struct bg_call *c, *bc = NULL;
	int i;

	for (i = 0; i < m->asyncs.n; i++) {
		c = &m->asyncs.v[i];
		if (bg_is_wait(c) || bg_is_framework_call(c) ||
		    c->end == BG_NOTIME || c->end < w->start ||
		    c->end > w->end)
			continue;
		if (!bc || c->end > bc->end)
			bc = c;
	}
	fputs(", for ", f);
	if (ba && (!bc || ba->end >= bc->end)) {
		fputs("the probe of ", f);
		bg_put_escaped(f, ba->dev->name, ESC_TEXT);
	} else if (bc) {
		bg_put_escaped(f, bc->func, ESC_TEXT);
	} else {
		fputs("nothing the log shows", f);
	}
	fputs(ba || bc ? " (the last to finish in it)" : "", f);
}

static void put_wait(FILE *f, const struct bg_model *m, const struct bg_call *w)
{
	bg_put_dur(f, bg_call_len(w));
	fputs(" in ", f);
	bg_put_escaped(f, w->func, ESC_TEXT);
	fputs(" @", f);
	bg_put_time(f, w->start);
	fputc('s', f);
	put_waited_for(f, m, w);
}

/* The longest probe that ran inside initcall c on pid 1 (or unknown). */
static void put_probe_inside(FILE *f, const struct bg_model *m,
			     const struct bg_call *c)
{
	const struct bg_attempt *best = bg_longest_probe_in(m, c);

	if (!best)
		return;
	fputs(", of it the probe of ", f);
	bg_put_escaped(f, best->dev->name, ESC_TEXT);
	fputc(' ', f);
	bg_put_dur(f, bg_att_len(best));
}

static void put_before_init(FILE *f, const struct bg_model *m)
{
	bg_time t = m->mark[MARK_INIT].ts, sum = 0, waits = 0;
	const struct bg_call *c, *big, *w;
	int i, n = 0;

	if (t == BG_NOTIME)
		return;
	for (i = 0; i < m->initcalls.n; i++) {
		c = &m->initcalls.v[i];
		if (c->pid != 1 || bg_call_len(c) < 0 || c->end > t)
			continue;
		n++;
		sum = bg_add(sum, bg_call_len(c));
	}
	for (i = 0; i < m->asyncs.n; i++) {
		c = &m->asyncs.v[i];
		if (c->pid == 1 && bg_is_wait(c) && bg_call_len(c) >= 0 && c->end <= t)
			waits = bg_add(waits, bg_call_len(c));
	}
	fprintf(f, "%-20s/init ran at ", "Before /init:");
	bg_put_time(f, t);
	if (!n && !waits) {
		fputs("s; no initcall_debug lines say what pid 1 did before\n", f);
		return;
	}
	fprintf(f, "s; pid 1 ran %d initcall%s (", n, n == 1 ? "" : "s");
	bg_put_dur(f, sum);
	fputs(") and waited for async work for ", f);
	bg_put_dur(f, waits);
	fputc('\n', f);
	c = bg_pid1_longest(m, t);
	w = c && bg_is_wait(c) ? c : NULL;
	if (c && !w) {
		big = c;
		fprintf(f, "%-20sinitcall ", "Pid 1 waited most:");
		bg_put_escaped(f, big->func, ESC_TEXT);
		fputc(' ', f);
		bg_put_dur(f, bg_call_len(big));
		w = bg_longest_wait(m, big->start, big->end);
		if (w) {
			fputs(", of it ", f);
			put_wait(f, m, w);
		} else {
			put_probe_inside(f, m, big);
		}
		fputc('\n', f);
	} else if (w) {
		fprintf(f, "%-20s", "Pid 1 waited most:");
		put_wait(f, m, w);
		fputc('\n', f);
	}
}

static void put_at(FILE *f, const char *what, bg_time t, const char *label)
{
	fprintf(f, "%-20s", what);
	if (t == BG_NOTIME) {
		fputs("-\n", f);
		return;
	}
	bg_put_time(f, t);
	fputc('s', f);
	if (label) {
		fputs(" (", f);
		bg_put_escaped(f, label, ESC_TEXT);
		fputc(')', f);
	}
	fputc('\n', f);
}

static void put_phase(FILE *f, const struct bg_stats *st)
{
	bg_time len;

	fprintf(f, "%-20s", "Probe phase:");
	if (st->probe_end == BG_NOTIME) {
		fputs("-\n", f);
		return;
	}
	len = st->probe_end - st->probe_start;
	bg_put_time(f, st->probe_start);
	fputs("s .. ", f);
	bg_put_time(f, st->probe_end);
	fputs("s (", f);
	bg_put_dur(f, len);
	fputs(")\n", f);
	fprintf(f, "%-20s", "Serial probe time:");
	bg_put_dur(f, st->serial);
	fprintf(f, " in %d attempts\n", st->nattempts);
	if (len > 0)
		fprintf(f, "%-20s%.2fx (serial / phase)\n", "Parallelism:",
			(double)st->serial / (double)len);
}

static void put_chain(FILE *f, const struct bg_model *m)
{
	const struct bg_stats *st = &m->st;

	if (!m->nchain)
		return;
	fprintf(f, "%-20s", "Critical path:");
	bg_put_dur(f, st->crit_busy);
	fprintf(f, " in %d probe%s, ", m->nchain, m->nchain > 1 ? "s" : "");
	bg_put_dur(f, st->probe_end - st->crit_start);
	fputs(" from its first start to the end\n", f);
}

static void put_counts(FILE *f, const struct bg_stats *st)
{
	int i;

	fprintf(f, "%-20s%d:", "Devices:", st->ndev);
	for (i = 0; i < ST_NR; i++)
		fprintf(f, "%s %d %s", i ? "," : "", st->nstate[i],
			i == ST_RUNNING ? "still running" : bg_state_name[i]);
	fputc('\n', f);
	if (st->ninitcalls) {
		fprintf(f, "%-20s%d, ", "Initcalls:", st->ninitcalls);
		bg_put_dur(f, st->init_sum);
		fputs(" in total\n", f);
	}
}

static int summary_out(FILE *f, struct bg_model *m, const void *p)
{
	const struct summary_params *sp = p;
	struct bg_dev **v;
	int i;

	fprintf(f, "%-20s", "Input:");
	put_framings(f, m->framings);
	put_boots(f, &m->boots);
	put_before_init(f, m);
	put_phase(f, &m->st);
	put_chain(f, m);
	put_counts(f, &m->st);
	put_at(f, "Freeing initmem:", m->mark[MARK_FREE_INIT].ts, NULL);
	put_at(f, "Run init:", m->mark[MARK_INIT].ts, m->mark[MARK_INIT].label);
	put_at(f, "Log ends:", m->st.log_end, NULL);
	for (i = 0; i < 2 && m->plan[i]; i++)
		fprintf(f, "%-20s%s\n", i ? "" : "Probe plan:", m->plan[i]);
	if (sp->plan)
		bg_plan_use(f, m, sp->plan);
	if (!m->nshown || !sp->slowest)
		return 0;
	fprintf(f, "\nSlowest probes (self time):\n");
	v = bg_blame_order(m, false);
	for (i = 0; i < m->nshown && i < sp->slowest; i++)
		bg_blame_line(f, v[i], false);
	free(v);
	return 0;
}

/* ------------------------------------------------------------------ */
/* summary -m: several boots, one per file */

/*
 * The median and (min .. max) of it, then the number of boots it was
 * seen in when not all of them, and the end of the line.
 */
static void put_range(FILE *f, const struct bg_item *it, bool count, int boots)
{
	char a[48], b[48], c[48], buf[160];
	const double *v = it->v[0];
	int n = it->n[0];

	if (count) {
		snprintf(a, sizeof(a), "%g", bg_item_median(it, 0));
		snprintf(b, sizeof(b), "%g", v[0]);
		snprintf(c, sizeof(c), "%g", v[n - 1]);
	} else {
		bg_fmt_dur(a, sizeof(a), llround(bg_item_median(it, 0)));
		bg_fmt_dur(b, sizeof(b), llround(v[0]));
		bg_fmt_dur(c, sizeof(c), llround(v[n - 1]));
	}
	snprintf(buf, sizeof(buf), "(%s .. %s)", b, c);
	if (n == boots)
		fprintf(f, "%-12s %s\n", a, buf);
	else
		fprintf(f, "%-12s %-26s in %d of %d boots\n", a, buf, n, boots);
}

static void put_col(FILE *f, const char *s, int w)
{
	int len = strlen(s);

	bg_put_escaped(f, s, ESC_TEXT);
	fprintf(f, "%*s", len < w ? w - len : 1, "");
}

static const struct bg_itemset *sort_set;

static int cmp_median_desc(const void *pa, const void *pb)
{
	const struct bg_item *a = &sort_set->v[*(const int *)pa];
	const struct bg_item *b = &sort_set->v[*(const int *)pb];
	double ma = bg_item_median(a, 0), mb = bg_item_median(b, 0);

	if (ma != mb)
		return ma > mb ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* The slowest things of s by median, with range and boots seen in. */
static void put_slowest(FILE *f, const struct bg_itemset *s, const char *what,
			int boots, const struct summary_params *p, bool drv)
{
	int *idx = xcalloc(s->n + 1, sizeof(int)), i, n;
	const struct bg_item *it;

	for (i = 0; i < s->n; i++)
		idx[i] = i;
	sort_set = s;
	qsort(idx, s->n, sizeof(int), cmp_median_desc);
	n = s->n < p->slowest ? s->n : (int)p->slowest;
	fprintf(f, "\nSlowest %s by median (min .. max), %d of %d:\n", what, n,
		s->n);
	for (i = 0; i < n; i++) {
		it = &s->v[idx[i]];
		fputs("  ", f);
		put_col(f, it->name, 30);
		if (drv)
			put_col(f, it->drv ? it->drv : "-", 16);
		put_range(f, it, false, boots);
	}
	free(idx);
}

static void put_many(FILE *f, const struct bg_sampled *b,
		     const struct summary_params *p)
{
	const struct bg_item *it;
	char label[32];
	int i;

	fprintf(f, "%-20s%d, one per file: median (min .. max) of each\n",
		"Boots:", b->boots[0]);
	for (i = 0; i < BM_NR; i++) {
		it = &b->metric.v[i];
		if (!it->n[0])
			continue;
		snprintf(label, sizeof(label), "%c%s:",
			 bg_metric_name[i][0] - 'a' + 'A', bg_metric_name[i] + 1);
		fprintf(f, "%-20s", label);
		put_range(f, it, i == BM_BOUND, b->boots[0]);
	}
	if (!p->slowest)
		return;
	if (b->dev.n)
		put_slowest(f, &b->dev, "devices (probe time, all attempts)",
			    b->boots[0], p, true);
	if (b->call.n)
		put_slowest(f, &b->call, "initcalls", b->boots[0], p, false);
}

static int run_many(const struct summary_params *p, char **files, int n)
{
	struct bg_sampled b = { 0 };
	int i, ret = 0, empty = 0, r;
	FILE *f;

	if (n < 1) {
		bg_err("summary -m: give the files of the boots, one per boot");
		bg_usage(summary_usage, 1);
	}
	for (i = 0; i < n; i++) {
		r = bg_sampled_load(&b, 0, files[i], &p->c.in);
		empty += r == 2;
		ret |= r & 1;
	}
	bg_sampled_sort(&b);
	f = bg_open_output(p->c.output);
	if (f) {
		put_many(f, &b, p);
		ret |= bg_close_output(f, p->c.output);
	} else {
		ret = 1;
	}
	bg_sampled_free(&b);
	return ret ? 1 : empty == n ? 2 : 0;
}

int cmd_summary(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "slowest",	required_argument, NULL, 'n' },
		{ "many",	no_argument,	   NULL, 'm' },
		{ "plan",	required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct summary_params p = { .slowest = 5 };
	const char *plan = NULL;
	int c, ret;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS "n:mp:", opts)) != -1) {
		if (bg_common_opt(&p.c, c, optarg, summary_usage))
			continue;
		if (c == 'n')
			p.slowest = bg_arg_num(optarg, "count");
		else if (c == 'm')
			p.many = true;
		else if (c == 'p')
			plan = optarg;
	}
	if (p.many && plan) {
		bg_err("summary: --plan reads one boot, not --many");
		return 1;
	}
	if (p.many)
		return run_many(&p, argv + optind, argc - optind);
	/* A plan that cannot be read stops the command before any output. */
	if (plan) {
		p.plan = bg_plan_read(plan);
		if (!p.plan)
			return 1;
	}
	ret = bg_run_model(&p.c, argv + optind, argc - optind, summary_out, &p);
	bg_plan_free(p.plan);
	return ret;
}
