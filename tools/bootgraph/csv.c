// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph csv: one row per probe attempt, initcall and async function.
 */
#include <getopt.h>

#include "bootgraph.h"

struct csv_params {
	struct bg_common c;
	bool no_calls;
};

static const char *const csv_usage[] = {
	"",
	"  usage: bootgraph csv [options] [FILE...]",
	"",
	"  Columns: kind,name,driver,bus,state,attempt,park_us,queue_us,",
	"  start_us,end_us,dur_us,ret,pid,cookie,deps,critical,self_us.  kind is",
	"  probe, initcall or async; times in microseconds since boot; empty:",
	"  unknown.  self_us: dur_us less the probes nested in this one.",
	"",
	"  -p, --probes-only     no initcall and async rows",
	BG_COMMON_HELP,
	NULL,
};

static void csv_str(FILE *f, const char *s)
{
	fputc('"', f);
	if (s)
		bg_put_escaped(f, s, ESC_CSV);
	fputs("\",", f);
}

static void csv_num(FILE *f, bg_time t, const char *sep)
{
	if (t != BG_NOTIME)
		fprintf(f, "%lld", (long long)t);
	fputs(sep, f);
}

static void csv_deps(FILE *f, const struct bg_dev *d)
{
	int i;

	fputc('"', f);
	for (i = 0; i < d->ndeps; i++) {
		if (i)
			fputc(',', f);
		bg_put_escaped(f, d->deps[i], ESC_CSV);
	}
	fputs("\",", f);
}

/* Attempt i of d; i < 0: the row of a device known from a deferral only. */
static void csv_attempt(FILE *f, const struct bg_dev *d, int i)
{
	static const struct bg_attempt none = {
		.park = BG_NOTIME, .queue = BG_NOTIME, .start = BG_NOTIME,
		.end = BG_NOTIME, .cookie = -1, .pid = -1,
	};
	const struct bg_attempt *a = i >= 0 ? &d->att[i] : &none;
	bool done = a->end != BG_NOTIME;

	fputs("probe,", f);
	csv_str(f, d->name);
	csv_str(f, d->drv);
	csv_str(f, d->bus);
	fprintf(f, "%s,", bg_state_name[d->state]);
	csv_num(f, i >= 0 ? i : BG_NOTIME, ",");
	csv_num(f, a->park, ",");
	csv_num(f, a->queue, ",");
	csv_num(f, a->start, ",");
	csv_num(f, a->end, ",");
	csv_num(f, done ? bg_att_len(a) : BG_NOTIME, ",");
	csv_num(f, done ? a->ret : BG_NOTIME, ",");
	csv_num(f, a->pid < 0 ? BG_NOTIME : a->pid, ",");
	csv_num(f, a->cookie < 0 ? BG_NOTIME : a->cookie, ",");
	csv_deps(f, d);
	fprintf(f, "%d,", a->crit);
	csv_num(f, done ? bg_att_self(a) : BG_NOTIME, "\n");
}

static void csv_calls(FILE *f, const char *kind, const struct bg_callset *cs)
{
	const struct bg_call *c;
	bool done;
	int i;

	for (i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		done = c->end != BG_NOTIME;
		fprintf(f, "%s,", kind);
		csv_str(f, c->func);
		fprintf(f, "\"\",\"\",%s,%d,,", done ? (c->ret ? "failed" : "done") :
			"running", i);
		csv_num(f, c->queue, ",");
		csv_num(f, c->start, ",");
		csv_num(f, c->end, ",");
		csv_num(f, done ? c->end - c->start : BG_NOTIME, ",");
		csv_num(f, done ? c->ret : BG_NOTIME, ",");
		csv_num(f, c->pid < 0 ? BG_NOTIME : c->pid, ",");
		csv_num(f, c->cookie < 0 ? BG_NOTIME : c->cookie, ",");
		fputs("\"\",0,\n", f);
	}
}

static int csv_out(FILE *f, struct bg_model *m, const void *p)
{
	const struct csv_params *cp = p;
	int i, j;

	fprintf(f,
		"kind,name,driver,bus,state,attempt,park_us,queue_us,start_us,end_us,dur_us,ret,pid,cookie,deps,critical,self_us\n");
	for (i = 0; i < m->nshown; i++) {
		for (j = 0; j < m->shown[i]->natt; j++)
			csv_attempt(f, m->shown[i], j);
		if (!m->shown[i]->natt)
			csv_attempt(f, m->shown[i], -1);
	}
	if (cp->no_calls)
		return 0;
	csv_calls(f, "initcall", &m->initcalls);
	csv_calls(f, "async", &m->asyncs);
	return 0;
}

int cmd_csv(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "probes-only", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct csv_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS "p", opts)) != -1) {
		if (bg_common_opt(&p.c, c, optarg, csv_usage))
			continue;
		if (c == 'p')
			p.no_calls = true;
	}
	return bg_run_model(&p.c, argv + optind, argc - optind, csv_out, &p);
}
