// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph svg: the boot timeline as an SVG image.  A band of initcalls
 * (and async functions) per thread, then one row per device grouped by
 * bus or driver; bars coloured by outcome through CSS classes, the time
 * waiting in the queue drawn lighter, dependency arrows, the critical
 * chain outlined, phase markers as vertical lines, a tooltip per bar.
 * Past --overview-at devices, the overview (overview.c) instead: the
 * slowest devices, then one row per group, and initcalls shorter than
 * the fast threshold left out, so that the image stays one screen tall.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"
#include "timeline_css.h"

#define ROW_H		16
#define BAR_H		11
#define CHAR_W		7		/* of the 11px monospace font */
#define MAX_LABEL	48
#define TOP		64		/* title, summary, axis labels */
#define RIGHT		160
#define LEGEND_H	36
#define MIN_TICK_PX	90

struct svg_params {
	struct bg_common c;
	enum bg_group group;
	long long width;
	bool no_calls;
	bg_time from, to;		/* BG_NOTIME: whole log */
	long long overview_at;		/* -1: never */
	long long top;
	bg_time fast;
};

static const char *const svg_usage[] = {
	"",
	"  usage: bootgraph svg [options] [FILE...]",
	"",
	"  -g, --group KEY       group device rows by bus (default), driver or none",
	"  -w, --width PX        width of the time axis (default 1200)",
	"      --from SEC        start the axis at SEC seconds",
	"      --to SEC          end the axis at SEC seconds",
	"      --no-initcalls    leave out the initcall and async bands",
	"      --overview-at N   past N devices (default 300), draw the overview:",
	"                        the slowest devices, then one row per group",
	"      --full            one row per device, however many",
	"      --top N           overview: devices drawn on their own (default 20)",
	"      --fast MS         overview: self time of a fast probe, folded into",
	"                        its group (default 1)",
	BG_COMMON_HELP,
	NULL,
};

struct svg {
	FILE *f;
	struct bg_model *m;
	const struct svg_params *p;
	bg_time t0, t1;
	double scale;			/* px per usec */
	int x0, y, width, height, label_w;
	int *dev_y;			/* by dev->order; 0: no row */
	bg_time min_call;		/* calls shorter than this not drawn */
	const struct bg_overview *ov;	/* NULL: one row per device */
};

static double svg_x(const struct svg *s, bg_time t)
{
	if (t < s->t0)
		t = s->t0;
	if (t > s->t1)
		t = s->t1;
	return s->x0 + (double)(t - s->t0) * s->scale;
}

static void put_label(FILE *f, const char *s)
{
	char buf[MAX_LABEL + 1];
	size_t n = strlen(s);

	if (n <= MAX_LABEL) {
		bg_put_escaped(f, s, ESC_XML);
		return;
	}
	memcpy(buf, s, MAX_LABEL - 3);
	memcpy(buf + MAX_LABEL - 3, "...", 4);
	bg_put_escaped(f, buf, ESC_XML);
}

static void put_text(struct svg *s, int x, int y, const char *cls, const char *str)
{
	fprintf(s->f, "<text x=\"%d\" y=\"%d\"%s%s%s>", x, y,
		cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	put_label(s->f, str);
	fputs("</text>\n", s->f);
}

/* Does [a, b] show in the time window?  Bars outside it are left out. */
static bool in_window(const struct svg *s, bg_time a, bg_time b)
{
	return b >= s->t0 && a <= s->t1;
}

/* Open a bar: rect from a to b on the current row, tooltip follows. */
static void bar_open(struct svg *s, bg_time a, bg_time b, const char *cls,
		     bool crit)
{
	double x = svg_x(s, a), w = svg_x(s, b) - x;

	fprintf(s->f,
		"<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"%s%s\"><title>",
		x, s->y + (ROW_H - BAR_H) / 2, w < 1 ? 1.0 : w, BAR_H, cls,
		crit ? " crit" : "");
}

static void bar_close(struct svg *s)
{
	fputs("</title></rect>\n", s->f);
}

static void put_span(FILE *f, bg_time a, bg_time b)
{
	fputs(" @", f);
	bg_put_time(f, a);
	fputs("s +", f);
	bg_put_dur(f, b - a);
}

/* ------------------------------------------------------------------ */

static int label_len(const char *s)
{
	int n = strlen(s);

	return n > MAX_LABEL ? MAX_LABEL : n;
}

#define MAX_CALL_ROWS	64

/* The row of pid among n; pids past the last row share that one. */
static int call_row(const int *pids, int n, int pid)
{
	int j;

	for (j = 0; j < n && pids[j] != pid; j++)
		;
	return j < n ? j : n - 1;
}

/* Rows of the initcall/async bands: one per pid, in order of appearance. */
static int call_rows(const struct bg_callset *cs, int *pids)
{
	int i, n = 0;

	for (i = 0; i < cs->n; i++)
		if (n < MAX_CALL_ROWS &&
		    (!n || pids[call_row(pids, n, cs->v[i].pid)] != cs->v[i].pid))
			pids[n++] = cs->v[i].pid;
	return n;
}

/* The first thing drawn: an initcall, async function or probe. */
static bg_time first_item(const struct bg_model *m)
{
	bg_time t = m->last_ts;
	int i;

	for (i = 0; i < m->initcalls.n; i++)
		if (m->initcalls.v[i].start != BG_NOTIME &&
		    m->initcalls.v[i].start < t)
			t = m->initcalls.v[i].start;
	for (i = 0; i < m->asyncs.n; i++)
		if (m->asyncs.v[i].start != BG_NOTIME &&
		    m->asyncs.v[i].start < t)
			t = m->asyncs.v[i].start;
	for (i = 0; i < m->nshown; i++)
		if (m->shown[i]->natt && bg_first_ts(&m->shown[i]->att[0]) < t)
			t = bg_first_ts(&m->shown[i]->att[0]);
	return t;
}

static bg_time tick_step(const struct svg *s);

/*
 * Axis from the first item (rounded down to a tick) to the last thing
 * drawn, with a margin of 2% of the span; not to the end of the log,
 * which may be seconds of nothing.
 */
static void time_range(struct svg *s)
{
	const struct bg_model *m = s->m;
	bg_time end = m->st.view_end;

	s->t0 = s->p->from != BG_NOTIME ? s->p->from : first_item(m);
	if (m->st.probe_end != BG_NOTIME && m->st.probe_end > end)
		end = m->st.probe_end;
	if (end > s->t0)
		end += (end - s->t0) / 50;
	s->t1 = s->p->to != BG_NOTIME ? s->p->to : end;
	if (s->t1 <= s->t0)
		s->t1 = s->t0 + 1000;
	s->scale = (double)s->width / (double)(s->t1 - s->t0);
	if (s->p->from != BG_NOTIME)
		return;
	s->t0 -= s->t0 % tick_step(s);
	s->scale = (double)s->width / (double)(s->t1 - s->t0);
}

static void put_header(struct svg *s, int nrows)
{
	const struct bg_stats *st = &s->m->st;
	int w = s->x0 + s->width + RIGHT;

	s->height = TOP + nrows * ROW_H + LEGEND_H;
	fprintf(s->f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" ",
		w, s->height);
	fprintf(s->f, "viewBox=\"0 0 %d %d\">\n<defs><style>\n%s</style>\n",
		w, s->height, bg_timeline_css);
	fputs("<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" ", s->f);
	fputs("markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\">", s->f);
	fputs("<path d=\"M0,0L10,5L0,10z\" fill=\"#8a8a8a\"/></marker>\n</defs>\n", s->f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", s->f);
	fprintf(s->f,
		"<text x=\"10\" y=\"20\" class=\"title\">bootgraph: %d devices, %d initcalls%s</text>\n"
		"<text x=\"10\" y=\"38\">probing ",
		st->ndev, st->ninitcalls,
		s->ov ? " (overview; --full: every device)" : "");
	if (st->probe_end != BG_NOTIME) {
		bg_put_time(s->f, st->probe_start);
		fputs("s .. ", s->f);
		bg_put_time(s->f, st->probe_end);
		fputs("s, serial ", s->f);
		bg_put_dur(s->f, st->serial);
		fputs(", critical path ", s->f);
		bg_put_dur(s->f, st->crit_busy);
	} else {
		fputs("- ", s->f);
	}
	fputs("</text>\n", s->f);
}

/* 1, 2, 5 x 10^k usecs: the smallest step with MIN_TICK_PX between ticks. */
static bg_time tick_step(const struct svg *s)
{
	static const int mult[] = { 1, 2, 5 };
	bg_time base;
	int i;

	for (base = 1; base < INT64_MAX / 10; base *= 10)
		for (i = 0; i < 3; i++)
			if (base * mult[i] * s->scale >= MIN_TICK_PX)
				return base * mult[i];
	return base;
}

static void put_axis(struct svg *s)
{
	bg_time step = tick_step(s), t;
	char buf[48];
	double x;

	for (t = (s->t0 + step - 1) / step * step; t <= s->t1; t += step) {
		x = svg_x(s, t);
		fprintf(s->f,
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"tick\"/>\n",
			x, TOP - 6, x, s->height - LEGEND_H);
		if (step >= 1000000)
			snprintf(buf, sizeof(buf), "%llds", (long long)(t / 1000000));
		else if (step >= 1000)
			snprintf(buf, sizeof(buf), "%lldms", (long long)(t / 1000));
		else
			snprintf(buf, sizeof(buf), "%lldus", (long long)t);
		fprintf(s->f,
			"<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>\n",
			x, TOP - 10, buf);
	}
}

/* ------------------------------------------------------------------ */

static void group_row(struct svg *s, const char *name)
{
	fprintf(s->f,
		"<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"band\"/>\n",
		s->y, s->x0 + s->width + RIGHT, ROW_H);
	put_text(s, 6, s->y + ROW_H - 4, "grp", name);
	s->y += ROW_H;
}

static void call_bar(struct svg *s, const struct bg_call *c, const char *cls)
{
	bg_time end = c->end != BG_NOTIME ? c->end :
		      s->m->last_ts > c->start ? s->m->last_ts : c->start;

	if (!in_window(s, c->start, end) || end - c->start < s->min_call)
		return;
	bar_open(s, c->start, end, c->end == BG_NOTIME ? "running" :
		 c->ret ? "failed" : cls, false);
	bg_put_escaped(s->f, c->func, ESC_XML);
	put_span(s->f, c->start, end);
	if (c->ret)
		fprintf(s->f, " returned %d", c->ret);
	if (c->pid >= 0)
		fprintf(s->f, " pid %d", c->pid);
	bar_close(s);
}

static void call_band(struct svg *s, const struct bg_callset *cs,
		      const char *name, const char *cls)
{
	int pids[MAX_CALL_ROWS], n = call_rows(cs, pids), r, i;
	char label[96], dur[32];

	if (!cs->n)
		return;
	if (s->min_call) {
		snprintf(label, sizeof(label), "%s (those under %s not drawn)",
			 name, bg_fmt_dur(dur, sizeof(dur), s->min_call));
		name = label;
	}
	group_row(s, name);
	for (r = 0; r < n; r++) {
		snprintf(label, sizeof(label), pids[r] >= 0 ? "pid %d" : "pid ?",
			 pids[r]);
		put_text(s, 16, s->y + ROW_H - 4, NULL, label);
		for (i = 0; i < cs->n; i++)
			if (call_row(pids, n, cs->v[i].pid) == r &&
			    cs->v[i].start != BG_NOTIME)
				call_bar(s, &cs->v[i], cls);
		s->y += ROW_H;
	}
}

static const char *att_class(const struct bg_attempt *a)
{
	if (a->end == BG_NOTIME)
		return a->start != BG_NOTIME ? "running" : "pending";
	if (!a->ret)
		return "bound";
	return bg_ret_deferred(a->ret) ? "deferred" : "failed";
}

static void att_tooltip(FILE *f, const struct bg_attempt *a, bg_time end)
{
	const struct bg_dev *d = a->dev;
	int i;

	bg_put_escaped(f, d->name, ESC_XML);
	fprintf(f, " (%s)", bg_state_name[d->state]);
	fputs("\ndriver ", f);
	bg_put_escaped(f, d->drv ? d->drv : "?", ESC_XML);
	fputs(", bus ", f);
	bg_put_escaped(f, d->bus ? d->bus : "?", ESC_XML);
	fputc('\n', f);
	if (a->start != BG_NOTIME)
		put_span(f, a->start, end);
	if (a->end != BG_NOTIME)
		fprintf(f, " ret %d", a->ret);
	if (a->pid >= 0)
		fprintf(f, " pid %d", a->pid);
	if (a->cookie >= 0)
		fprintf(f, " cookie %lld", a->cookie);
	for (i = 0; i < d->ndeps; i++) {
		fputs(i ? "," : "\ndeps ", f);
		bg_put_escaped(f, d->deps[i], ESC_XML);
	}
	if (d->reason) {
		fputs("\ndeferred: ", f);
		bg_put_escaped(f, d->reason, ESC_XML);
	}
}

static void att_bars(struct svg *s, const struct bg_attempt *a)
{
	bg_time first = bg_first_ts(a), end = bg_vis_end(s->m, a);

	if (!in_window(s, first, end))
		return;
	if (a->start == BG_NOTIME) {	/* queued, never started */
		bar_open(s, first, end, att_class(a), false);
		att_tooltip(s->f, a, end);
		bar_close(s);
		return;
	}
	if (first < a->start && in_window(s, first, a->start)) {
		bar_open(s, first, a->start, "wait", false);
		bg_put_escaped(s->f, a->dev->name, ESC_XML);
		fputs(" waiting", s->f);
		put_span(s->f, first, a->start);
		bar_close(s);
	}
	if (!in_window(s, a->start, end))
		return;
	bar_open(s, a->start, end, att_class(a), a->crit);
	att_tooltip(s->f, a, end);
	bar_close(s);
}

static void dev_row(struct svg *s, struct bg_dev *d)
{
	int i;

	put_text(s, 16, s->y + ROW_H - 4, NULL, d->name);
	s->dev_y[d->order] = s->y + ROW_H / 2;
	for (i = 0; i < d->natt; i++)
		att_bars(s, &d->att[i]);
	if (!d->natt && d->defer_ts != BG_NOTIME &&
	    in_window(s, d->defer_ts, d->defer_ts)) {
		bar_open(s, d->defer_ts, d->defer_ts, "deferred", false);
		bg_put_escaped(s->f, d->name, ESC_XML);
		fputs(" deferred: ", s->f);
		bg_put_escaped(s->f, d->reason ? d->reason : "?", ESC_XML);
		bar_close(s);
	}
	s->y += ROW_H;
}

/* ------------------------------------------------------------------ */

static void dep_arrow(struct svg *s, const struct bg_attempt *a,
		      const struct bg_dev *sup)
{
	const struct bg_attempt *sa = bg_dev_last(sup);
	double x1, x2;
	int y1, y2;

	/* the overview draws some devices only: both ends need a row */
	if (!sa || sa->end == BG_NOTIME || !s->dev_y[sup->order] ||
	    !s->dev_y[a->dev->order] ||
	    !in_window(s, sa->end, sa->end) || !in_window(s, a->start, a->start))
		return;
	x1 = svg_x(s, sa->end);
	x2 = svg_x(s, a->start);
	y1 = s->dev_y[sup->order];
	y2 = s->dev_y[a->dev->order];
	fprintf(s->f,
		"<path d=\"M%.1f,%dC%.1f,%d %.1f,%d %.1f,%d\" class=\"dep%s\"/>\n",
		x1, y1, x1 + 24, y1, x2 - 24, y2, x2, y2,
		sa->crit && a->crit ? " crit" : "");
}

static void put_deps(struct svg *s)
{
	const struct bg_attempt *a;
	struct bg_dev *d;
	void **v;
	int i, j;

	for (i = 0; i < s->m->nshown; i++) {
		d = s->m->shown[i];
		a = bg_dev_last(d);
		if (!a || a->start == BG_NOTIME)
			continue;
		for (j = 0; j < d->ndeps; j++) {
			v = strmap_find(&s->m->devmap, d->deps[j],
					strlen(d->deps[j]));
			if (v)
				dep_arrow(s, a, *v);
		}
	}
}

static void put_markers(struct svg *s)
{
	const struct bg_marker *mk;
	char buf[64];
	double x;
	int i;

	for (i = 0; i < MARK_NR; i++) {
		mk = &s->m->mark[i];
		if (mk->ts == BG_NOTIME || mk->ts < s->t0 || mk->ts > s->t1)
			continue;
		x = svg_x(s, mk->ts);
		fprintf(s->f,
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"marker\"><title>",
			x, TOP - 4, x, s->height - LEGEND_H);
		bg_put_escaped(s->f, mk->label ? mk->label : bg_mark_name[i],
			       ESC_XML);
		fputs("</title></line>\n", s->f);
		snprintf(buf, sizeof(buf), "%s", bg_mark_name[i]);
		put_text(s, (int)x + 3, TOP + 8 + 12 * i, "mlabel", buf);
	}
}

static void put_legend(struct svg *s)
{
	static const char *const cls[] = { "bound", "failed", "deferred",
		"running", "pending", "wait", "initcall", "async" };
	int i, x = 10, y = s->height - LEGEND_H + 14;

	for (i = 0; i < 8; i++) {
		fprintf(s->f,
			"<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"%d\" class=\"%s\"/>\n",
			x, y, BAR_H, cls[i]);
		put_text(s, x + 16, y + 10, NULL, cls[i]);
		x += 30 + CHAR_W * strlen(cls[i]);
	}
	fprintf(s->f,
		"<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"%d\" class=\"bound crit\"/>\n",
		x, y, BAR_H);
	put_text(s, x + 16, y + 10, NULL, "critical chain");
}

/* One group of the overview: its span as one bar, the counts in its title. */
static void ov_group_row(struct svg *s, const struct bg_ovgroup *g, int nmerged)
{
	char label[MAX_LABEL + 32], name[MAX_LABEL + 16], dur[32];

	if (nmerged)
		snprintf(name, sizeof(name), "(%d more groups)", nmerged);
	else
		snprintf(name, sizeof(name), "%.*s", MAX_LABEL - 12, g->name);
	snprintf(label, sizeof(label), "%s (%d)", name, g->count);
	put_text(s, 16, s->y + ROW_H - 4, NULL, label);
	if (g->start != BG_NOTIME && in_window(s, g->start, g->end)) {
		bar_open(s, g->start, g->end, "span", false);
		bg_put_escaped(s->f, name, ESC_XML);
		fprintf(s->f, ": %d devices, %d fast (self &lt; %s) folded, @",
			g->count, g->nfast,
			bg_fmt_dur(dur, sizeof(dur), s->ov->fast));
		bg_put_time(s->f, g->start);
		fputs("s .. ", s->f);
		bg_put_time(s->f, g->end);
		fputs("s, self ", s->f);
		bg_put_dur(s->f, g->self);
		bar_close(s);
	}
	s->y += ROW_H;
}

static void ov_rows(struct svg *s, enum bg_group g)
{
	const struct bg_overview *ov = s->ov;
	char label[96];
	int i;

	snprintf(label, sizeof(label), "slowest %d by self time", ov->ntop);
	group_row(s, label);
	for (i = 0; i < ov->ntop; i++)
		dev_row(s, ov->top[i]);
	snprintf(label, sizeof(label), "groups by %s (devices)",
		 g == GROUP_DRIVER ? "driver" : g == GROUP_BUS ? "bus" : "none");
	group_row(s, label);
	for (i = 0; i < ov->ngroups; i++)
		ov_group_row(s, &ov->groups[i],
			     i == ov->ngroups - 1 ? ov->nmerged : 0);
}

static int ov_label_len(const struct bg_overview *ov)
{
	int i, n = 28;

	for (i = 0; i < ov->ntop; i++)
		if (label_len(ov->top[i]->name) + 2 > n)
			n = label_len(ov->top[i]->name) + 2;
	for (i = 0; i < ov->ngroups; i++)
		if (label_len(ov->groups[i].name) + 10 > n)
			n = label_len(ov->groups[i].name) + 10;
	return n > MAX_LABEL + 2 ? MAX_LABEL + 2 : n;
}

static int svg_out(FILE *f, struct bg_model *m, const void *p)
{
	const struct svg_params *sp = p;
	struct svg s = { .f = f, .m = m, .p = sp, .width = sp->width };
	int pids[MAX_CALL_ROWS], n, i, maxlen = 12, calls = 0;
	struct bg_overview ov;
	struct bg_row *rows = NULL;

	if (sp->overview_at >= 0 && m->nshown > sp->overview_at) {
		bg_overview(m, sp->group, sp->top, sp->fast, &ov);
		s.ov = &ov;
		s.min_call = sp->fast;
		n = 2 + ov.ntop + ov.ngroups;
		maxlen = ov_label_len(&ov);
	} else {
		n = bg_layout_rows(m, sp->group, &rows);
	}
	for (i = 0; rows && i < n; i++)
		if (label_len(rows[i].label) + 2 * !!rows[i].dev > maxlen)
			maxlen = label_len(rows[i].label) + 2 * !!rows[i].dev;
	if (!sp->no_calls)
		calls = (m->initcalls.n ? 1 + call_rows(&m->initcalls, pids) : 0) +
			(m->asyncs.n ? 1 + call_rows(&m->asyncs, pids) : 0);
	s.x0 = 16 + CHAR_W * maxlen;
	s.dev_y = xcalloc(m->ndevs + 1, sizeof(int));
	time_range(&s);
	/* overview: a call shorter than a pixel is not drawn either */
	if (s.ov && s.min_call < (bg_time)(1 / s.scale))
		s.min_call = (bg_time)(1 / s.scale);
	put_header(&s, n + calls);
	put_axis(&s);
	s.y = TOP;
	if (!sp->no_calls) {
		call_band(&s, &m->initcalls, "initcalls", "initcall");
		call_band(&s, &m->asyncs, "async", "async");
	}
	if (s.ov)
		ov_rows(&s, sp->group);
	for (i = 0; rows && i < n; i++) {
		if (rows[i].dev)
			dev_row(&s, rows[i].dev);
		else
			group_row(&s, rows[i].label);
	}
	put_deps(&s);
	put_markers(&s);
	put_legend(&s);
	fputs("</svg>\n", f);
	free(s.dev_y);
	free(rows);
	if (s.ov)
		bg_overview_free(&ov);
	return 0;
}

static bg_time arg_sec(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || v < 0 || v > 1e9) {
		bg_err("bad time in seconds: '%s'", arg);
		exit(1);
	}
	return (bg_time)(v * 1e6 + 0.5);
}

static enum bg_group svg_group(const char *arg)
{
	int g = bg_parse_group(arg);

	if (g < 0)
		bg_usage(svg_usage, 1);
	return g;
}

int cmd_svg(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "group",	  required_argument, NULL, 'g' },
		{ "width",	  required_argument, NULL, 'w' },
		{ "from",	  required_argument, NULL, 0x200 },
		{ "to",		  required_argument, NULL, 0x201 },
		{ "no-initcalls", no_argument,	     NULL, 0x202 },
		{ "overview-at",  required_argument, NULL, 0x203 },
		{ "full",	  no_argument,	     NULL, 0x204 },
		{ "top",	  required_argument, NULL, 0x205 },
		{ "fast",	  required_argument, NULL, 0x206 },
		{ NULL, 0, NULL, 0 },
	};
	struct svg_params p = { .width = 1200, .from = BG_NOTIME,
				.to = BG_NOTIME, .overview_at = BG_OV_AT,
				.top = BG_OV_TOP, .fast = BG_OV_FAST };
	const char *from_arg = NULL, *to_arg = NULL;
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS "g:w:", opts)) != -1) {
		if (bg_common_opt(&p.c, c, optarg, svg_usage))
			continue;
		if (c == 'g')
			p.group = svg_group(optarg);
		else if (c == 'w')
			p.width = bg_arg_num(optarg, "width");
		else if (c == 0x200)
			from_arg = optarg;
		else if (c == 0x201)
			to_arg = optarg;
		else if (c == 0x202)
			p.no_calls = true;
		else if (c == 0x203)
			p.overview_at = bg_arg_num(optarg, "overview-at");
		else if (c == 0x204)
			p.overview_at = -1;
		else if (c == 0x205)
			p.top = bg_arg_num(optarg, "top");
		else if (c == 0x206)
			p.fast = bg_arg_ms(optarg);
	}
	if (from_arg)
		p.from = arg_sec(from_arg);
	if (to_arg)
		p.to = arg_sec(to_arg);
	if (p.from != BG_NOTIME && p.to != BG_NOTIME && p.to <= p.from) {
		bg_err("--to %s is not after --from %s: nothing to draw",
		       to_arg, from_arg);
		return 1;
	}
	if (p.width < 100 || p.width > 1000000)
		p.width = p.width < 100 ? 100 : 1000000;
	return bg_run_model(&p.c, argv + optind, argc - optind, svg_out, &p);
}
