// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph critical-chain: the chain of probes that decided when probing
 * finished, in the form of systemd-analyze critical-chain.  The last probe
 * to finish is at the top; below each link is the probe it waited for: a
 * supplier from its deps= list, or else the probe that ended last before
 * it started.
 */
#include <getopt.h>

#include "bootgraph.h"

struct chain_params {
	struct bg_common c;
};

static const char *const chain_usage[] = {
	"",
	"  usage: bootgraph critical-chain [options] [FILE...]",
	"",
	"  \"@\" is when a probe started, \"+\" how long it ran; the top line",
	"  ended last.  Each line below is the probe the one above waited for.",
	"",
	BG_COMMON_HELP,
	NULL,
};

#define MAX_INDENT	32

static void put_link(FILE *f, const struct bg_attempt *a, int depth)
{
	int i;

	if (depth > MAX_INDENT)
		depth = MAX_INDENT;
	for (i = 0; i < depth; i++)
		fputs(i == depth - 1 ? "\u2514\u2500" : "  ", f);
	bg_put_escaped(f, a->dev->name, ESC_TEXT);
	if (a->dev->drv) {
		fputs(" (", f);
		bg_put_escaped(f, a->dev->drv, ESC_TEXT);
		fputc(')', f);
	}
	fputs(" @", f);
	bg_put_time(f, a->start);
	fputs("s +", f);
	bg_put_dur(f, bg_att_len(a));
	if (a->ret)
		fprintf(f, " ret=%d", a->ret);
	fputc('\n', f);
}

static int chain_out(FILE *f, struct bg_model *m, const void *p)
{
	const struct bg_attempt *last;
	bg_time span;
	int i;

	(void)p;
	if (!m->nchain) {
		fputs("no finished probes\n", f);
		return 0;
	}
	last = m->chain[m->nchain - 1];
	fprintf(f,
		"The time when a probe started is printed after \"@\", the time it ran after \"+\".\n"
		"\nProbing finished at ");
	bg_put_time(f, last->end);
	fputs("s\n", f);
	for (i = m->nchain - 1; i >= 0; i--)
		put_link(f, m->chain[i], m->nchain - 1 - i);
	span = last->end - m->st.crit_start;
	fprintf(f, "\n%d probe%s: ", m->nchain, m->nchain > 1 ? "s" : "");
	bg_put_dur(f, m->st.crit_busy);
	fputs(" running + ", f);
	bg_put_dur(f, span - m->st.crit_busy);
	fputs(" between them = ", f);
	bg_put_dur(f, span);
	fputs("\n", f);
	return 0;
}

int cmd_critical_chain(int argc, char **argv)
{
	struct chain_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS, NULL)) != -1)
		bg_common_opt(&p.c, c, optarg, chain_usage);
	return bg_run_model(&p.c, argv + optind, argc - optind, chain_out, &p);
}
