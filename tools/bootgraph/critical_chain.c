// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph critical-chain: the chain of probes that decided when probing
 * finished, in the form of systemd-analyze critical-chain.  The last probe
 * to finish is at the top; below each link is the probe it waited for,
 * where the log holds evidence of it: a supplier (deps=, device links),
 * the parent that added its device, or the probe whose binding retried
 * it after a deferral (directly or through the probe it ran inside).
 * Without evidence the chain ends, and says what to boot with to know
 * more.
 */
#include <getopt.h>
#include <string.h>

#include "bootgraph.h"

struct chain_params {
	struct bg_common c;
	const char *target;		/* a device; NULL: the last probe */
};

static const char *const chain_usage[] = {
	"",
	"  usage: bootgraph critical-chain [options] [FILE...]",
	"",
	"  \"@\" is when a probe started, \"+\" how long it ran; the top line",
	"  ended last.  Each line below is the probe the one above waited for,",
	"  with the evidence in brackets; where there is none the chain ends.",
	"",
	"  -t, --target T        the chain that ends with T: a device's last",
	"                        probe; an initcall or /init: the probe it",
	"                        (pid 1's longest initcall or wait before /init)",
	"                        waited for (default: the probe that ended last)",
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
}

/* Why a waited for the probe below it: "[parent 2-1 (inside X's probe)]". */
static void put_why(FILE *f, const struct bg_attempt *a,
		    const struct bg_attempt *below)
{
	fprintf(f, "  [%s", bg_why_name[a->why]);
	if (a->why == WHY_RETRY)
		fputs(" after", f);
	fputc(' ', f);
	bg_put_escaped(f, below->dev->name, ESC_TEXT);
	if (a->why == WHY_RETRY)
		fputs(" bound", f);
	if (a->inside) {
		fputs(", through ", f);
		bg_put_escaped(f, a->inside->dev->name, ESC_TEXT);
		fputs(" it ran inside", f);
	}
	fputc(']', f);
}

static bool any_pid(const struct bg_model *m)
{
	int i, j;

	for (i = 0; i < m->nshown; i++)
		for (j = 0; j < m->shown[i]->natt; j++)
			if (m->shown[i]->att[j].pid >= 0)
				return true;
	return false;
}

static bool any_deps(const struct bg_model *m)
{
	int i;

	for (i = 0; i < m->nshown; i++)
		if (m->shown[i]->ndeps)
			return true;
	return false;
}

/* The first link: why the chain ends there, and how to know more. */
static void put_end(FILE *f, const struct bg_model *m)
{
	if (!m->chain_cut) {
		fputs("  [no probe ended before it started]", f);
		return;
	}
	fputs("  [no known cause in the log", f);
	if (!any_pid(m))
		fputs("; printk.caller=1 shows the task of each probe", f);
	if (!any_deps(m)) {
		fputs("; dyndbg=\"file drivers/base/core.c +p\" logs the device links", f);
		fputs(" (async_probe.debug=1 the framework's deps=)", f);
	}
	fputc(']', f);
}

/* The last finished attempt of the device called name, or NULL. */
static struct bg_attempt *target_attempt(struct bg_model *m, const char *name)
{
	void **v = strmap_find(&m->devmap, name, strlen(name));
	struct bg_dev *d = v ? *v : NULL;
	int i;

	for (i = d && d->probed ? d->natt - 1 : -1; i >= 0; i--)
		if (d->att[i].start != BG_NOTIME && d->att[i].end != BG_NOTIME)
			return &d->att[i];
	return NULL;
}

/* The initcall called name ("foo_init" or "foo_init [mod]"), or NULL. */
static const struct bg_call *target_call(const struct bg_model *m,
					 const char *name)
{
	int i;

	for (i = 0; i < m->initcalls.n; i++)
		if (!strcmp(m->initcalls.v[i].func, name) &&
		    m->initcalls.v[i].end != BG_NOTIME)
			return &m->initcalls.v[i];
	return NULL;
}

/*
 * "/init" or an initcall as target: *a is the probe it waited for
 * (through the longest thing pid 1 did before /init), said in a line;
 * NULL if none.  Returns 1 if there is no such target.
 */
static int waited_probe(FILE *f, struct bg_model *m, const char *name,
			struct bg_attempt **a)
{
	bg_time t = m->mark[MARK_INIT].ts;
	const struct bg_call *c;

	*a = NULL;
	if (!strcmp(name, "/init")) {
		c = t == BG_NOTIME ? NULL : bg_pid1_longest(m, t);
		if (!c) {
			bg_err("critical-chain: no /init, or nothing pid 1 did before it");
			return 1;
		}
		fputs("/init ran at ", f);
		bg_put_time(f, t);
		fputs("s; pid 1 spent longest in ", f);
	} else {
		c = target_call(m, name);
		if (!c) {
			bg_err("critical-chain: no finished probe or initcall '%s'", name);
			return 1;
		}
		fputs("Initcall ", f);
	}
	bg_put_escaped(f, c->func, ESC_TEXT);
	fputs(" @", f);
	bg_put_time(f, c->start);
	fputs("s +", f);
	bg_put_dur(f, bg_call_len(c));
	*a = bg_call_waited_for(m, c);
	if (!*a) {
		fputs(", waiting for no probe the log shows\n", f);
		return 0;
	}
	fputs(bg_is_wait(c) || bg_longest_wait(m, c->start, c->end) ?
	      ", waiting for async work: the last probe to finish in it was " :
	      "; the longest probe inside it was ", f);
	bg_put_escaped(f, (*a)->dev->name, ESC_TEXT);
	fputs("\n", f);
	return 0;
}

static int chain_out(FILE *f, struct bg_model *m, const void *p)
{
	const struct chain_params *cp = p;
	const struct bg_attempt *last;
	struct bg_attempt *t;
	bg_time span;
	int i;

	if (cp->target) {
		t = target_attempt(m, cp->target);
		if (!t && waited_probe(f, m, cp->target, &t))
			return 1;
		if (!t)
			return 0;
		bg_critical_chain(m, t);
	}
	if (!m->nchain) {
		fputs("no finished probes\n", f);
		return 0;
	}
	last = m->chain[m->nchain - 1];
	fprintf(f,
		"The time when a probe started is printed after \"@\", the time it ran after \"+\".\n\n");
	if (cp->target) {
		bg_put_escaped(f, last->dev->name, ESC_TEXT);
		fputs(" finished probing at ", f);
	} else {
		fputs("Probing finished at ", f);
	}
	bg_put_time(f, last->end);
	fputs("s\n", f);
	for (i = m->nchain - 1; i >= 0; i--) {
		put_link(f, m->chain[i], m->nchain - 1 - i);
		if (i)
			put_why(f, m->chain[i], m->chain[i - 1]);
		else
			put_end(f, m);
		fputc('\n', f);
	}
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
	static const struct option opts[] = {
		{ "target",	required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct chain_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS "t:", opts)) != -1) {
		if (bg_common_opt(&p.c, c, optarg, chain_usage))
			continue;
		if (c == 't')
			p.target = optarg;
	}
	return bg_run_model(&p.c, argv + optind, argc - optind, chain_out, &p);
}
