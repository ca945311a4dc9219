// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph plan: a probe plan for async_probe.plan=replay, made from one
 * or several boots, in the format of the kernel's
 * /sys/kernel/debug/async_probe/plan (Documentation/driver-api/async_probe.rst).
 *
 * Each FILE is one boot: a plan a kernel wrote, or a boot log or trace,
 * read as every other command reads them.  From a log, a device is named
 * by its bus and name ("platform:apsim.3"), as the kernel names a device
 * that has no firmware node, and its candidate suppliers are found as the
 * kernel finds them: the devices whose successful probe overlapped the
 * window from its last deferred attempt's start to its successful
 * attempt's end, and of those, as the kernel lists them in "after", the
 * ones bound before its successful attempt began (those probing when its
 * deferred attempt began first; the others are the kernel's "maybe").
 *
 * The boots are merged in the order given:
 *   us           the median of the boots'
 *   drv, ret, tries, defers   the last boot's
 *   after        the candidates named by every boot in which the device
 *                deferred with a whole list (not cut to "+N"): a supplier
 *                confirmed across boots; where those boots have none in
 *                common, or none has a whole list, all the candidates any
 *                boot named (waiting for a device that is no supplier
 *                costs time, never a device)
 *   links        every boot's
 * A plan the kernel would refuse (another version, cut short, a malformed
 * line) is reported and left out, as the kernel would leave it out.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <linux/async_probe_log.h>

#include "bootgraph.h"

#define PLAN_HEADER		"# async_probe plan v"
#define PLAN_VERSION		1
#define PLAN_MAX_AFTER		32	/* named per list, as the kernel does */

static const char *const plan_usage[] = {
	"",
	"  usage: bootgraph plan [options] FILE...",
	"",
	"  A probe plan (async_probe.plan=replay) from one boot or several:",
	"  each FILE is one boot, a plan the kernel wrote",
	"  (/sys/kernel/debug/async_probe/plan) or a boot log or trace.  Probe",
	"  times are the boots' medians; a learned supplier is kept when every",
	"  boot in which the device deferred names it (all named ones when the",
	"  boots have none in common).  From a log, devices are named BUS:NAME,",
	"  which matches only the devices the kernel names so (those without a",
	"  firmware node).",
	"",
	BG_COMMON_HELP,
	NULL,
};

/* A set of interned names, in the order they were added. */
struct pl_set {
	const char **v;
	int n, cap;
};

struct pl_dev {
	const char *id, *drv;
	int ret;
	unsigned long tries, defers;
	long long *us;
	int nus, us_cap;
	struct pl_set confirmed;	/* intersection of the whole lists */
	struct pl_set any;		/* union of every list */
	struct pl_set links;
	int nwhole;			/* boots that gave a whole list */
	int boot;			/* the last boot that named it */
	bool seen;			/* bg_plan_use(): probed in the boot */
};

struct pl_state {
	struct arena arena;
	struct strmap names;		/* interned words */
	struct strmap ids;		/* identity -> struct pl_dev */
	struct pl_dev **devs;
	int ndevs, devs_cap;
	int boot;			/* of the file being merged, from 1 */
};

/* One device of one boot, before it is merged. */
struct pl_rec {
	const char *id, *drv;
	int ret;
	unsigned long tries, defers;
	long long us;
	struct pl_set after, links;
	bool cut;			/* its after list ended in "+N" */
};

static const char *intern(struct pl_state *st, const char *s, size_t len)
{
	const char *key;

	strmap_get(&st->names, s, len, &st->arena, &key);
	return key;
}

static bool set_has(const struct pl_set *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == name)
			return true;
	return false;
}

static void set_add(struct pl_set *s, const char *name)
{
	if (set_has(s, name))
		return;
	s->v = bg_grow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n++] = name;
}

/* Keep only the names @s shares with @with. */
static void set_intersect(struct pl_set *s, const struct pl_set *with)
{
	int i, n = 0;

	for (i = 0; i < s->n; i++)
		if (set_has(with, s->v[i]))
			s->v[n++] = s->v[i];
	s->n = n;
}

/* A word of the plan: what the kernel would not print raw is %xx. */
static const char *plan_word(struct pl_state *st, const char *s)
{
	size_t len = strlen(s), n = 0;
	char *buf = xmalloc(len * 3 + 1);
	const char *w;

	for (; *s; s++) {
		if ((unsigned char)*s > ' ' && (unsigned char)*s < 0x7f &&
		    !strchr("%,=", *s))
			buf[n++] = *s;
		else
			n += sprintf(buf + n, "%%%02x", (unsigned char)*s);
	}
	w = intern(st, buf, n);
	free(buf);
	return w;
}

static void merge(struct pl_state *st, const struct pl_rec *r)
{
	struct pl_dev **slot, *d;
	int i;

	slot = (struct pl_dev **)strmap_get(&st->ids, r->id, strlen(r->id),
					    &st->arena, NULL);
	d = *slot;
	if (!d) {
		d = xcalloc(1, sizeof(*d));
		d->id = r->id;
		*slot = d;
		st->devs = bg_grow(st->devs, &st->devs_cap, st->ndevs + 1,
				   sizeof(*st->devs));
		st->devs[st->ndevs++] = d;
	} else if (d->boot == st->boot) {
		return;	/* devices sharing a firmware node: the first wins */
	}
	d->boot = st->boot;
	d->drv = r->drv;
	d->ret = r->ret;
	d->tries = r->tries;
	d->defers = r->defers;
	if (r->us >= 0) {
		d->us = bg_grow(d->us, &d->us_cap, d->nus + 1, sizeof(*d->us));
		d->us[d->nus++] = r->us;
	}
	for (i = 0; i < r->after.n; i++)
		set_add(&d->any, r->after.v[i]);
	for (i = 0; i < r->links.n; i++)
		set_add(&d->links, r->links.v[i]);
	/*
	 * Only a deferral is evidence: a list the device carried through a
	 * boot in which it did not defer is what an earlier boot taught.
	 */
	if (!r->defers || !r->after.n || r->cut)
		return;
	if (!d->nwhole++) {
		for (i = 0; i < r->after.n; i++)
			set_add(&d->confirmed, r->after.v[i]);
	} else {
		set_intersect(&d->confirmed, &r->after);
	}
}

static void rec_free(struct pl_rec *r)
{
	free(r->after.v);
	free(r->links.v);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------ */
/* A plan the kernel wrote. */

static bool parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && !errno;
}

static bool parse_list(struct pl_state *st, char *val, struct pl_set *s,
		       bool *cut)
{
	unsigned long more;
	char *w;

	if (!strcmp(val, "-"))
		return true;
	while ((w = strsep(&val, ","))) {
		if (*w == '+') {
			if (val || !parse_ulong(w + 1, &more))
				return false;
			*cut = true;
			return true;
		}
		if (!*w)
			return false;
		set_add(s, intern(st, w, strlen(w)));
	}
	return true;
}

/* "ID key=value ...": false if the kernel would refuse the line. */
static bool parse_dev(struct pl_state *st, char *line, struct pl_rec *r)
{
	char *tok, *val, *id = strsep(&line, " ");
	unsigned long v;
	bool ignored = false;
	long n;

	if (!*id)
		return false;
	r->id = intern(st, id, strlen(id));
	r->drv = intern(st, "-", 1);
	r->us = -1;
	while ((tok = strsep(&line, " "))) {
		val = strchr(tok, '=');
		if (!val || val == tok)
			return false;
		*val++ = '\0';
		if (!strcmp(tok, "ret")) {
			errno = 0;
			n = strtol(val, &tok, 10);
			if (!*val || *tok || errno || n < -4095 || n > 4095)
				return false;
			r->ret = (int)n;
		} else if (!strcmp(tok, "us")) {
			if (!parse_ulong(val, &v) || v > 0xffffffffUL)
				return false;
			r->us = (long long)v;
		} else if (!strcmp(tok, "tries")) {
			if (!parse_ulong(val, &r->tries))
				return false;
		} else if (!strcmp(tok, "defers")) {
			if (!parse_ulong(val, &r->defers))
				return false;
		} else if (!strcmp(tok, "drv")) {
			if (!*val)
				return false;
			r->drv = intern(st, val, strlen(val));
		} else if (!strcmp(tok, "after")) {
			if (!parse_list(st, val, &r->after, &r->cut))
				return false;
		} else if (!strcmp(tok, "links")) {
			if (!parse_list(st, val, &r->links, &ignored))
				return false;
		}
		/* maybe= and keys of later writers: not merged. */
	}
	return true;
}

/*
 * Read the plan @path (its first line, @header, already read from @f) as
 * one boot.  Returns 0, or 1 if it was left out.
 */
static int load_plan(struct pl_state *st, FILE *f, const char *path,
		     char *header)
{
	unsigned long devices = 0, version, lineno = 1, n = 0;
	struct pl_rec *recs = NULL;
	int cap = 0, i, ret = 1;
	char *line = NULL, *p;
	size_t size = 0;
	ssize_t len;

	p = header + strlen(PLAN_HEADER);
	version = strtoul(p, &p, 10);
	if (version != PLAN_VERSION) {
		bg_err("%s: a plan of version %lu, not %d: left out", path,
		       version, PLAN_VERSION);
		return 1;
	}
	header[strcspn(header, "\n")] = '\0';
	p = strstr(p, " devices=");
	if (p)
		p = strtok(p + 9, " ");
	if (!p || !parse_ulong(p, &devices)) {
		bg_err("%s:1: no device count in the header: left out", path);
		return 1;
	}
	while ((len = getline(&line, &size, f)) > 0) {
		lineno++;
		if (line[len - 1] != '\n') {
			bg_err("%s:%lu: no final newline (cut short?): left out",
			       path, lineno);
			goto out;
		}
		line[len - 1] = '\0';
		if (strlen(line) != (size_t)len - 1) {
			bg_err("%s:%lu: a NUL byte: left out", path, lineno);
			goto out;
		}
		recs = bg_grow(recs, &cap, n + 1, sizeof(*recs));
		memset(&recs[n], 0, sizeof(recs[n]));
		if (!parse_dev(st, line, &recs[n++])) {
			bg_err("%s:%lu: not a device line of a v1 plan: left out",
			       path, lineno);
			goto out;
		}
	}
	if (n != devices) {
		bg_err("%s: %lu devices in its header, %lu lines (cut short?): left out",
		       path, devices, n);
		goto out;
	}
	st->boot++;
	for (i = 0; i < (int)n; i++)
		merge(st, &recs[i]);
	ret = 0;
out:
	for (i = 0; i < (int)n; i++)
		rec_free(&recs[i]);
	free(recs);
	free(line);
	return ret;
}

/* ------------------------------------------------------------------ */
/* A boot log or trace. */

static int plan_ret(int ret)
{
	return ret > 0 ? -ret : ret;	/* 6.12 prints some errors positive */
}

/* A device of a log by its bus and name, as the kernel names it. */
static const char *dev_id(struct pl_state *st, const struct bg_dev *d)
{
	const char *w;
	char *id;

	if (asprintf(&id, "%s:%s", d->bus, d->name) < 0)
		abort();
	w = plan_word(st, id);
	free(id);
	return w;
}

/*
 * Whether attempt @b, if it bound, is a candidate for @d's window [w0, w1]
 * whose successful attempt began at @mid, as the kernel ranks them
 * (async_probe_plan_rank()): of rank @pass for passes 0 and 1; of any
 * rank for pass 2.
 */
static bool cand(const struct bg_attempt *b, int pass, bg_time w0, bg_time mid,
		 bg_time w1)
{
	enum async_probe_plan_rank r;

	if (b->ret || b->start == BG_NOTIME || b->end == BG_NOTIME)
		return false;
	r = async_probe_plan_rank(b->start, b->end, w0, mid, w1);
	if (pass == 2)
		return r != ASYNC_PROBE_PLAN_NONE;
	return r == (pass ? ASYNC_PROBE_PLAN_BOUND : ASYNC_PROBE_PLAN_RAN_BOUND);
}

/*
 * The candidates of @d's window: those of ranks 0 and 1 (see cand()), in
 * that order, so that a list cut short keeps the likeliest; if there are
 * none, those of rank 2.
 */
static void window(struct pl_state *st, const struct bg_model *m,
		   const struct bg_dev *d, bg_time w0, bg_time mid, bg_time w1,
		   struct pl_rec *r)
{
	const struct bg_attempt *b;
	const struct bg_dev *e;
	unsigned long more = 0;
	int i, j, pass;

	for (pass = 0; pass < 3 && (pass < 2 || (!r->after.n && !more)); pass++) {
		for (i = 0; i < m->ndevs; i++) {
			e = m->devs[i];
			if (e == d || !e->bus)
				continue;
			for (j = 0; j < e->natt; j++) {
				b = &e->att[j];
				if (!cand(b, pass, w0, mid, w1))
					continue;
				if (r->after.n == PLAN_MAX_AFTER) {
					more++;
					break;
				}
				set_add(&r->after, dev_id(st, e));
				break;
			}
		}
	}
	r->cut = more > 0;
}

static int load_log(struct pl_state *st, char *path, const struct bg_common *c)
{
	const struct bg_attempt *last, *a;
	int i, j, k, ret, nobus = 0;
	struct bg_model m;
	struct pl_rec r;
	struct bg_dev *d;

	bg_model_init(&m);
	ret = bg_load(&m, &path, 1, &c->in);
	bg_analyze(&m);
	st->boot++;
	for (i = 0; !ret && i < m.ndevs; i++) {
		d = m.devs[i];
		if (!d->natt || d->att[d->natt - 1].end == BG_NOTIME)
			continue;
		if (!d->bus) {
			nobus++;
			continue;
		}
		last = &d->att[d->natt - 1];
		memset(&r, 0, sizeof(r));
		r.id = dev_id(st, d);
		r.drv = plan_word(st, d->drv ? d->drv : "-");
		r.ret = plan_ret(last->ret);
		r.us = bg_att_len(last);
		r.tries = d->natt;
		for (j = 0, k = -1; j < d->natt; j++) {
			a = &d->att[j];
			if (bg_ret_deferred(a->ret) && a->end != BG_NOTIME) {
				r.defers++;
				k = j;
			}
		}
		if (k >= 0 && !last->ret)
			window(st, &m, d, d->att[k].start != BG_NOTIME ?
			       d->att[k].start : d->att[k].end,
			       last->start != BG_NOTIME ? last->start : last->end,
			       last->end, &r);
		merge(st, &r);
		rec_free(&r);
	}
	if (!ret && nobus && !bg_quiet)
		fprintf(stderr, "%s: %s: left out, bus unknown: %d devices\n",
			bg_prog, path, nobus);
	if (!ret && !m.nshown) {
		bg_err("%s: no probe in it", path);
		ret = 2;
	}
	bg_model_free(&m);
	return ret;
}

/* ------------------------------------------------------------------ */

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long median(struct pl_dev *d)
{
	if (!d->nus)
		return 0;
	qsort(d->us, d->nus, sizeof(*d->us), cmp_ll);
	if (d->nus % 2)
		return d->us[d->nus / 2];
	return (d->us[d->nus / 2 - 1] + d->us[d->nus / 2]) / 2;
}

static void put_list(FILE *f, const char *key, const struct pl_set *s)
{
	int i;

	if (!s->n)
		return;
	fprintf(f, " %s=", key);
	for (i = 0; i < s->n && i < PLAN_MAX_AFTER; i++)
		fprintf(f, "%s%s", i ? "," : "", s->v[i]);
	if (s->n > PLAN_MAX_AFTER)
		fprintf(f, ",+%d", s->n - PLAN_MAX_AFTER);
}

static void put_plan(FILE *f, struct pl_state *st)
{
	struct pl_dev *d;
	int i;

	fprintf(f, PLAN_HEADER "%d devices=%d nomem=0\n", PLAN_VERSION,
		st->ndevs);
	for (i = 0; i < st->ndevs; i++) {
		d = st->devs[i];
		fprintf(f, "%s drv=%s ret=%d us=%lld tries=%lu defers=%lu", d->id,
			d->drv, d->ret, median(d), d->tries, d->defers);
		put_list(f, "after", d->confirmed.n ? &d->confirmed : &d->any);
		put_list(f, "links", &d->links);
		fputc('\n', f);
	}
}

static void state_free(struct pl_state *st)
{
	struct pl_dev *d;
	int i;

	for (i = 0; i < st->ndevs; i++) {
		d = st->devs[i];
		free(d->us);
		free(d->confirmed.v);
		free(d->any.v);
		free(d->links.v);
		free(d);
	}
	free(st->devs);
	strmap_free(&st->ids);
	strmap_free(&st->names);
	arena_free(&st->arena);
}

/* ------------------------------------------------------------------ */
/* summary --plan: how a boot used the plan it replayed */

/* Whether any attempt of @d deferred; @bound: its last one bound it. */
static bool dev_deferred(const struct bg_dev *d, bool *bound)
{
	const struct bg_attempt *last = &d->att[d->natt - 1];
	bool deferred = false;
	int i;

	for (i = 0; i < d->natt; i++)
		if (bg_ret_deferred(d->att[i].ret) && d->att[i].end != BG_NOTIME)
			deferred = true;
	*bound = !last->ret && last->end != BG_NOTIME;
	return deferred;
}

/* A plan's identity a log can give: BUS:NAME, not a firmware node path. */
static bool log_id(const char *id)
{
	return *id != '/' && *id != '\\' && strchr(id, ':');
}

/* The plan that summary --plan compares a boot with: see bg_plan_read(). */
struct bg_plan {
	struct pl_state st;
	const char *path;
};

struct bg_plan *bg_plan_read(const char *path)
{
	struct bg_plan *p;
	char *header = NULL;
	size_t size = 0;
	FILE *pf;
	int ret;

	pf = fopen(path, "r");
	if (!pf) {
		bg_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		bg_err("%s: out of memory", path);
		fclose(pf);
		return NULL;
	}
	p->path = path;
	if (getline(&header, &size, pf) <= 0 ||
	    strncmp(header, PLAN_HEADER, strlen(PLAN_HEADER))) {
		bg_err("%s: not a probe plan (no \"%s\" line)", path, PLAN_HEADER);
		ret = 1;
	} else {
		ret = load_plan(&p->st, pf, path, header);
	}
	fclose(pf);
	free(header);
	if (ret) {
		bg_plan_free(p);
		return NULL;
	}
	return p;
}

void bg_plan_free(struct bg_plan *p)
{
	if (!p)
		return;
	state_free(&p->st);
	free(p);
}

void bg_plan_use(FILE *f, const struct bg_model *m, struct bg_plan *p)
{
	int i, named = 0, seen = 0, added = 0, planned = 0, avoided = 0;
	int again = 0, other = 0, fresh = 0, nobus = 0;
	struct pl_state *st = &p->st;
	struct pl_dev *pd;
	const char *id;
	bool bound;
	void **slot;

	for (i = 0; i < m->ndevs; i++) {
		const struct bg_dev *d = m->devs[i];
		bool deferred;

		if (!d->natt)
			continue;
		if (!d->bus) {
			nobus++;
			continue;
		}
		deferred = dev_deferred(d, &bound);
		id = dev_id(st, d);
		slot = strmap_find(&st->ids, id, strlen(id));
		pd = slot ? *slot : NULL;
		if (!pd) {
			added++;
			fresh += deferred;
			continue;
		}
		if (pd->seen)
			continue;
		pd->seen = true;
		seen++;
		if (!pd->defers)
			fresh += deferred;
		else if (deferred)
			again++;
		else if (bound)
			avoided++;
		else
			other++;
	}
	for (i = 0; i < st->ndevs; i++) {
		pd = st->devs[i];
		named += log_id(pd->id);
		planned += pd->defers && log_id(pd->id);
		other += pd->defers && log_id(pd->id) && !pd->seen;
	}
	fprintf(f, "%-20s%s, %d device%s: %d probed in this boot, %d not seen",
		"Plan replayed:", p->path, st->ndevs, st->ndevs == 1 ? "" : "s", seen,
		named - seen);
	if (named < st->ndevs)
		fprintf(f, "; %d named by firmware node (not compared)",
			st->ndevs - named);
	fprintf(f, "\n%-20s%d probed devices it does not name by bus and name", "",
		added);
	if (nobus)
		fprintf(f, "; %d with no bus in the log (not compared)", nobus);
	fputc('\n', f);
	fprintf(f, "%-20s%d deferred when the plan was made: ", "", planned);
	fprintf(f, "%d bound without deferring (avoided), %d deferred again, %d neither\n",
		avoided, again, other);
	fprintf(f, "%-20s%d deferred in this boot that did not then\n", "",
		fresh);
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	struct pl_state st = { 0 };
	struct bg_common c = { 0 };
	char *header = NULL;
	int opt, i, ret = 0, used = 0;
	size_t size = 0;
	FILE *f;

	while ((opt = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS, opts)) != -1)
		bg_common_opt(&c, opt, optarg, plan_usage);
	if (optind == argc) {
		bg_err("plan: which boots? (bootgraph plan --help)");
		return 1;
	}
	for (i = optind; i < argc; i++) {
		f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : NULL;
		if (f && getline(&header, &size, f) > 0 &&
		    !strncmp(header, PLAN_HEADER, strlen(PLAN_HEADER))) {
			if (!load_plan(&st, f, argv[i], header))
				used++;
			fclose(f);
			continue;
		}
		if (f)
			fclose(f);
		if (!load_log(&st, argv[i], &c))
			used++;
	}
	free(header);
	if (!used) {
		bg_err("plan: no boot could be read");
		ret = 1;
	} else {
		f = bg_open_output(c.output);
		if (f) {
			put_plan(f, &st);
			ret = bg_close_output(f, c.output);
		} else {
			ret = 1;
		}
	}
	state_free(&st);
	return ret;
}
