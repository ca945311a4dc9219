// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph input: stream files line by line and recognise the framing
 * of each line (console, dmesg -r, caller id, /dev/kmsg, journalctl,
 * ftrace text) before handing the message to the parsers.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootgraph.h"

#define READ_CHUNK	(256 * 1024)
#define MAX_LINE	(1024 * 1024)
#define BACKWARDS_SLACK	1000		/* usecs of tolerated jitter */
#define EARLY_CLOCK	100000		/* sched_clock may restart before this */

const char *const bg_framing_name[FR_NR] = {
	[FR_PRINTK] = "printk",
	[FR_PRINTK_LEVEL] = "printk-level",
	[FR_CALLER] = "printk-caller",
	[FR_KMSG] = "kmsg",
	[FR_JOURNAL] = "journal",
	[FR_FTRACE] = "ftrace",
	[FR_TRACEDAT] = "trace.dat",
	[FR_DMESG_X] = "dmesg-x",
};

struct reader {
	int fd;
	char *buf;
	size_t cap, start, end;
	bool eof, skipping, cut;
};

/* Fill the buffer; returns false at end of file or on error. */
static bool reader_fill(struct reader *r, struct bg_loc *loc)
{
	ssize_t n;

	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap && r->cap < MAX_LINE) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap + 1, 1);
	}
	if (r->end == r->cap)
		return true;		/* full: caller cuts the line */
	do {
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		bg_warn(loc, W_MALFORMED, "read error: %s", strerror(errno));
	if (n <= 0) {
		r->eof = true;
		return false;
	}
	r->end += n;
	return true;
}

/*
 * Next line, NUL-terminated in place, without its newline.  Lines longer
 * than MAX_LINE are cut; the rest of such a line is dropped.
 */
static char *reader_line(struct reader *r, struct bg_loc *loc, size_t *len)
{
	char *nl, *line;

	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl || r->eof || r->end - r->start == r->cap)
			break;
		reader_fill(r, loc);
	}
	if (!nl && r->start == r->end)
		return NULL;
	line = r->buf + r->start;
	*len = (nl ? nl : r->buf + r->end) - line;
	r->start += *len;
	if (nl)
		r->start++;		/* past the newline */
	line[*len] = '\0';
	if (r->skipping) {
		r->skipping = !nl;
		*len = 0;
		line[0] = '\0';
		return line;
	}
	r->cut = !nl && !r->eof;
	r->skipping = r->cut;
	return line;
}

/* ------------------------------------------------------------------ */

/* "[   12.345678]" with the bracket already consumed by the caller. */
bool bg_parse_ts(const char **pp, bg_time *ts)
{
	const char *p = *pp;
	long long sec = 0, frac = 0;
	int digits = 0, nd = 0;

	while (*p == ' ')
		p++;
	while (isdigit((unsigned char)*p) && nd < 10) {
		sec = sec * 10 + (*p++ - '0');
		nd++;
	}
	if (!nd || *p != '.')
		return false;
	p++;
	while (isdigit((unsigned char)*p)) {
		if (digits < 6) {
			frac = frac * 10 + (*p - '0');
			digits++;
		}
		p++;
	}
	if (!digits)
		return false;
	while (digits++ < 6)
		frac *= 10;
	*ts = sec * 1000000 + frac;
	*pp = p;
	return true;
}

/* "T1" (a task's pid) or "C0" (a CPU: *pid -1); NULL if neither. */
static const char *caller_id(const char *q, int *pid)
{
	bool task = *q == 'T';
	long n = 0;

	if (*q != 'T' && *q != 'C')
		return NULL;
	q++;
	if (!isdigit((unsigned char)*q))
		return NULL;
	while (isdigit((unsigned char)*q)) {
		if (n < 1000000000)
			n = n * 10 + (*q - '0');
		q++;
	}
	*pid = task && n < 1000000000 ? (int)n : -1;
	return q;
}

/* "[    T1]" or "[    C0]" caller id after the timestamp. */
static const char *skip_caller(const char *p, int *pid)
{
	const char *q = p + 1;

	if (*p != '[')
		return NULL;
	while (*q == ' ')
		q++;
	q = caller_id(q, pid);
	if (!q || *q != ']') {
		*pid = -1;
		return NULL;
	}
	return q + 1;
}

/* "host kernel: " of journalctl -k -o short-monotonic. */
static const char *skip_journal(const char *p)
{
	const char *sp = strchr(p, ' ');

	if (!sp || sp == p || memchr(p, ':', sp - p))
		return NULL;
	if (strncmp(sp, " kernel: ", 9))
		return NULL;
	return sp + 9;
}

/* A word of lower-case letters and digits, spaces, a ':' and a space. */
static const char *skip_field(const char *p)
{
	const char *q = p;

	while (islower((unsigned char)*q) || isdigit((unsigned char)*q))
		q++;
	if (q == p)
		return NULL;
	while (*q == ' ')
		q++;
	if (*q++ != ':')
		return NULL;
	return *q == ' ' ? q + 1 : q;
}

/* "kern  :info  : " of dmesg -x (--decode): facility and level. */
static const char *skip_decode(const char *p)
{
	p = skip_field(p);
	return p ? skip_field(p) : NULL;
}

/* A console, dmesg -r, -x, caller-id or journal line; false if not one. */
static bool frame_printk(const char *p, bg_time *ts, enum bg_framing *fr,
			 int *pid, const char **msg)
{
	const char *q;

	*fr = FR_PRINTK;
	*pid = -1;
	q = skip_decode(p);
	if (q && *q == '[') {
		p = q;
		*fr = FR_DMESG_X;
	} else if (*p == '<') {
		for (q = p + 1; isdigit((unsigned char)*q); q++)
			;
		if (q == p + 1 || *q != '>')
			return false;
		p = q + 1;
		*fr = FR_PRINTK_LEVEL;
	}
	if (*p++ != '[' || !bg_parse_ts(&p, ts) || *p++ != ']')
		return false;
	q = skip_caller(p, pid);
	if (q) {
		p = q;
		*fr = FR_CALLER;
	}
	if (*p == ' ')
		p++;
	q = skip_journal(p);
	if (q) {
		p = q;
		*fr = FR_JOURNAL;
	}
	*msg = p;
	return true;
}

/* "6,123,1234567,-;msg" or "6,123,1234567,-,caller=T1;msg". */
static bool frame_kmsg(const char *p, bg_time *ts, int *pid, const char **msg)
{
	long long v[3] = { 0, 0, 0 };
	const char *semi, *caller;
	int i;

	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p) && v[i] < (1LL << 50))
			v[i] = v[i] * 10 + (*p++ - '0');
		if (*p++ != ',')
			return false;
	}
	semi = strchr(p, ';');
	if (!semi || memchr(p, ' ', semi - p))
		return false;
	*ts = v[2];
	*msg = semi + 1;
	caller = memmem(p, semi - p, ",caller=", 8);
	if (caller)
		caller_id(caller + 8, pid);
	return true;
}

/*
 * Time going backwards.  A CPU being brought up may print a record or two
 * on its own clock before that clock is synchronised ("calibrate_delay_
 * direct() ..."), and the records after them go on from where the boot
 * was: a stray like that is no damage to the log, and no warning.  So a
 * record before the previous one is held (struct back) until the clock
 * either comes back to where it was, within STRAY_MAX records, or does
 * not: only then, or when the file or the boot ends first, is it warned
 * about, at its own line.
 */
#define STRAY_MAX	4

struct back {
	unsigned long line;	/* of the first record that went back, 0: none */
	bg_time ts, prev;	/* its time, and the time before it */
	int n;			/* records since, still before @prev */
};

static void back_warn(struct bg_loc *loc, struct back *b)
{
	unsigned long line = loc->line;

	if (!b->line)
		return;
	loc->line = b->line;
	bg_warn(loc, W_BACKWARDS,
		"timestamp %lld.%06lld is before the previous %lld.%06lld",
		(long long)(b->ts / 1000000), (long long)(b->ts % 1000000),
		(long long)(b->prev / 1000000), (long long)(b->prev % 1000000));
	loc->line = line;
	b->line = 0;
}

static void check_time(struct bg_loc *loc, bg_time ts, bg_time *prev,
		       struct back *b)
{
	if (b->line) {
		if (ts + BACKWARDS_SLACK >= b->prev)
			b->line = 0;		/* a stray: the clock is back */
		else if (++b->n >= STRAY_MAX)
			back_warn(loc, b);
		*prev = ts;
		return;
	}
	if (*prev != BG_NOTIME && *prev >= EARLY_CLOCK &&
	    ts + BACKWARDS_SLACK < *prev)
		*b = (struct back){ .line = loc->line, .ts = ts, .prev = *prev };
	*prev = ts;
}

/* ------------------------------------------------------------------ */
/*
 * Records read twice, and several boots.
 *
 * The files describe one boot, but a console log and its /dev/kmsg dump
 * (or one file given twice) hold the same records: when there are
 * several files, a record (its time and message, or a whole trace line)
 * already read from an earlier file is skipped.  Equal records inside
 * one file are kept: they are different events.
 *
 * One capture may hold several boots.  A boot begins at a "Linux
 * version" record once the boot so far has had a printk time above 0,
 * or at a record of time 0 when the record before it in the same file
 * had a later time and the first record after the time-0 ones is also
 * before that time: the clock restarted.  (A CPU whose clock is not
 * synchronised yet can print records of time 0, or go back by seconds,
 * in the middle of a boot: "calibrate_delay_direct() ..." of a CPU
 * being brought up; the records after those go on from where the boot
 * was.  The time-0 records belong to the boot before either way: they
 * hold no event but "Linux version", which begins a boot itself.)
 * Without --boot the model
 * is reset when a boot begins, so the last one is what remains; with
 * --boot N the records of the other boots are skipped.  A file's records
 * belong to the boot that is current when they are read.
 */

struct file_state {
	bg_time prev_ts;
	struct back back;		/* see check_time() */
	bool kmsg;
	bool dedup;			/* several files: skip records read before */
	bg_time zero_after;		/* time before time-0 records, or NOTIME */
	unsigned long zero_line;	/* the first of them */
};

static uint64_t rec_hash(bg_time ts, const char *s)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a, 64 bit */
	int i;

	for (i = 0; i < 8; i++) {
		h ^= (uint64_t)ts >> (8 * i) & 0xff;
		h *= 1099511628211ULL;
	}
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

static void seen_grow(struct bg_seen *s)
{
	struct bg_seen old = *s;
	size_t i, j;

	s->cap = old.cap ? old.cap * 2 : 1024;
	s->key = xcalloc(s->cap, sizeof(*s->key));
	s->file = xcalloc(s->cap, sizeof(*s->file));
	for (i = 0; i < old.cap; i++) {
		if (!old.key[i])
			continue;
		for (j = old.key[i] & (s->cap - 1); s->key[j];
		     j = (j + 1) & (s->cap - 1))
			;
		s->key[j] = old.key[i];
		s->file[j] = old.file[i];
	}
	free(old.key);
	free(old.file);
}

/* Was the record read from an earlier file?  Remember it if not. */
static bool seen_before(struct bg_seen *s, uint64_t h, int file)
{
	size_t i;

	if ((s->n + 1) * 4 > s->cap * 3)
		seen_grow(s);
	for (i = h & (s->cap - 1); s->key[i]; i = (i + 1) & (s->cap - 1))
		if (s->key[i] == h)
			return s->file[i] != file;
	s->key[i] = h;
	s->file[i] = file;
	s->n++;
	return false;
}

static bool read_before(struct bg_model *m, const struct file_state *fs,
			bg_time ts, const char *msg)
{
	if (!fs->dedup ||
	    !seen_before(&m->boots.seen, rec_hash(ts, msg), m->boots.file))
		return false;
	m->boots.dups++;
	return true;
}

static bool boot_begins(const struct bg_model *m, const char *msg)
{
	if (!m->boots.n)
		return true;
	return m->boots.ts_max > 0 && !strncmp(msg, "Linux version ", 14);
}

static void new_boot(struct bg_model *m, const struct bg_loc *loc)
{
	struct bg_boots *b = &m->boots;

	b->n++;
	b->ts_max = BG_NOTIME;
	if (b->want ? b->n != b->want : b->n == 1) {
		if (b->n == 1) {
			b->start_file = loc->file;
			b->start_line = loc->line;
		}
		return;
	}
	if (!b->want)
		bg_model_reset(m);
	b->start_file = loc->file;
	b->start_line = loc->line;
}

/*
 * Time-0 records after later ones: a boot begins at the first of them
 * if the clock restarted, which the first record after them says.
 */
static void zero_restart(struct bg_model *m, struct bg_loc *loc,
			 struct file_state *fs, bg_time ts)
{
	unsigned long line = loc->line;

	if (ts == 0 && fs->zero_after == BG_NOTIME &&
	    fs->prev_ts != BG_NOTIME && fs->prev_ts > 0) {
		fs->zero_after = fs->prev_ts;
		fs->zero_line = loc->line;
	}
	if (ts == 0 || fs->zero_after == BG_NOTIME)
		return;
	if (ts + BACKWARDS_SLACK < fs->zero_after) {
		back_warn(loc, &fs->back);
		loc->line = fs->zero_line;
		new_boot(m, loc);
		loc->line = line;
		fs->prev_ts = BG_NOTIME;
	}
	fs->zero_after = BG_NOTIME;
}

/* Is the current boot the one to read? */
static bool boot_wanted(const struct bg_model *m)
{
	return !m->boots.want || m->boots.n == m->boots.want;
}

static void parse_trace_line(struct bg_model *m, struct bg_loc *loc,
			     char *line, struct file_state *fs)
{
	if (read_before(m, fs, BG_NOTIME, line))
		return;
	if (!m->boots.n)
		new_boot(m, loc);
	if (boot_wanted(m) && bg_parse_ftrace(m, loc, line))
		m->framings |= 1u << FR_FTRACE;
}

static void parse_line(struct bg_model *m, struct bg_loc *loc, char *line,
		       size_t len, struct file_state *fs)
{
	enum bg_framing fr;
	const char *msg;
	int pid = -1;
	bg_time ts;

	if (memchr(line, '\0', len)) {
		bg_warn(loc, W_BINARY, "binary data, line skipped");
		return;
	}
	while (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (fs->kmsg && line[0] == ' ')
		return;			/* /dev/kmsg dictionary line */
	if (frame_printk(line, &ts, &fr, &pid, &msg)) {
		fs->kmsg = false;
	} else if (frame_kmsg(line, &ts, &pid, &msg)) {
		fr = FR_KMSG;
		fs->kmsg = true;
	} else {
		/* ftrace, or noise without a timestamp */
		return parse_trace_line(m, loc, line, fs);
	}
	m->framings |= 1u << fr;
	if (read_before(m, fs, ts, msg))
		return;
	if (boot_begins(m, msg)) {
		back_warn(loc, &fs->back);
		new_boot(m, loc);
		fs->prev_ts = BG_NOTIME;
		fs->zero_after = BG_NOTIME;
	} else {
		zero_restart(m, loc, fs, ts);
	}
	if (fs->zero_after == BG_NOTIME)
		check_time(loc, ts, &fs->prev_ts, &fs->back);
	if (m->boots.ts_max == BG_NOTIME || ts > m->boots.ts_max)
		m->boots.ts_max = ts;
	if (!boot_wanted(m))
		return;
	if (ts > m->last_ts)
		m->last_ts = ts;
	bg_parse_msg(m, loc, ts, fr, pid, (char *)msg);
}

static int open_input(const char *path, struct bg_loc *loc)
{
	struct stat st;
	int fd;

	loc->file = strcmp(path, "-") ? path : "<stdin>";
	if (!strcmp(path, "-"))
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		bg_err("cannot open %s: %s", path, strerror(errno));
		return fd;
	}
	if (!fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		bg_err("cannot read %s: %s", path, strerror(EISDIR));
		close(fd);
		return -1;
	}
	return fd;
}

static int read_text(struct bg_model *m, struct reader *r, struct bg_loc *loc,
		     bool dedup)
{
	struct file_state fs = { .prev_ts = BG_NOTIME, .dedup = dedup,
				  .zero_after = BG_NOTIME };
	size_t len;
	char *line;

	while ((line = reader_line(r, loc, &len))) {
		loc->line++;
		if (r->cut)
			bg_warn(loc, W_LONG, "line longer than %d bytes, cut",
				MAX_LINE);
		parse_line(m, loc, line, len, &fs);
	}
	back_warn(loc, &fs.back);
	return 0;
}

static int load_file(struct bg_model *m, const char *path, bool dedup)
{
	long long dups = m->boots.dups;
	struct bg_loc loc = { 0 };
	struct reader r = { 0 };
	int ret = 0;

	r.fd = open_input(path, &loc);
	if (r.fd < 0)
		return 1;
	r.cap = READ_CHUNK;
	r.buf = xmalloc(r.cap + 1);
	reader_fill(&r, &loc);
	if (bg_is_tracedat((unsigned char *)r.buf, r.end)) {
		loc.line = 1;
		ret = bg_tracedat_read(m, &loc, path);
	} else {
		ret = read_text(m, &r, &loc, dedup);
	}
	bg_warn_flush(&loc);
	if (m->boots.dups > dups && !bg_quiet)
		fprintf(stderr, "%s: %lld records already read from an earlier file skipped\n",
			loc.file, m->boots.dups - dups);
	m->last_file = loc.file;
	m->last_line = loc.line;
	free(r.buf);
	if (r.fd > 0)
		close(r.fd);
	return ret;
}

static void check_clock(struct bg_model *m, const struct bg_input_opts *o)
{
	static const char *const aligned[] = { "local", "perf", "global", NULL };
	const char *clk = o->trace_clock ? o->trace_clock : "local";
	int i;

	if (!(m->framings & (1u << FR_FTRACE | 1u << FR_TRACEDAT)))
		return;
	for (i = 0; aligned[i]; i++)
		if (!strcmp(clk, aligned[i]))
			return;
	m->trace_unaligned = true;
	if (!bg_quiet)
		fprintf(stderr,
			"%s: trace clock '%s' cannot be aligned with printk timestamps; trace events keep their own time base\n",
			bg_prog, clk);
}

/* Say which boot is used when there are several; 1 if --boot is off. */
static int check_boots(const struct bg_model *m)
{
	const struct bg_boots *b = &m->boots;
	int n = b->n ? b->n : 1;

	if (b->want > n) {
		bg_err("--boot %d: the input holds %d boot%s", b->want, n,
		       n > 1 ? "s" : "");
		return 1;
	}
	if (n > 1 && !bg_quiet)
		fprintf(stderr,
			"%s: the input holds %d boots; using boot %d%s, which starts at %s:%lu (--boot N picks another)\n",
			bg_prog, n, b->want ? b->want : n,
			b->want ? "" : ", the last", b->start_file,
			b->start_line);
	return 0;
}

int bg_load(struct bg_model *m, char *const *files, int nfiles,
	    const struct bg_input_opts *o)
{
	char *const stdin_only[] = { "-" };
	int i, ret = 0;

	if (!nfiles) {
		files = stdin_only;
		nfiles = 1;
	}
	m->boots.want = o->boot;
	for (i = 0; i < nfiles; i++) {
		m->boots.file = i;
		ret |= load_file(m, files[i], nfiles > 1);
	}
	check_clock(m, o);
	ret |= check_boots(m);
	return ret;
}
