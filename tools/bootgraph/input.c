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

/* "[    T1]" or "[    C0]" caller id after the timestamp. */
static const char *skip_caller(const char *p)
{
	const char *q = p + 1;

	if (*p != '[')
		return NULL;
	while (*q == ' ')
		q++;
	if (*q != 'T' && *q != 'C')
		return NULL;
	q++;
	if (!isdigit((unsigned char)*q))
		return NULL;
	while (isdigit((unsigned char)*q))
		q++;
	return *q == ']' ? q + 1 : NULL;
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

/* A console, dmesg -r, caller-id or journal line; false if not one. */
static bool frame_printk(const char *p, bg_time *ts, enum bg_framing *fr,
			 const char **msg)
{
	const char *q;

	*fr = FR_PRINTK;
	if (*p == '<') {
		for (q = p + 1; isdigit((unsigned char)*q); q++)
			;
		if (q == p + 1 || *q != '>')
			return false;
		p = q + 1;
		*fr = FR_PRINTK_LEVEL;
	}
	if (*p++ != '[' || !bg_parse_ts(&p, ts) || *p++ != ']')
		return false;
	q = skip_caller(p);
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
static bool frame_kmsg(const char *p, bg_time *ts, const char **msg)
{
	long long v[3] = { 0, 0, 0 };
	const char *semi;
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
	return true;
}

static void check_time(struct bg_model *m, struct bg_loc *loc, bg_time ts,
		       bg_time *prev)
{
	if (*prev != BG_NOTIME && *prev >= EARLY_CLOCK &&
	    ts + BACKWARDS_SLACK < *prev)
		bg_warn(loc, W_BACKWARDS,
			"timestamp %lld.%06lld is before the previous %lld.%06lld",
			(long long)(ts / 1000000), (long long)(ts % 1000000),
			(long long)(*prev / 1000000), (long long)(*prev % 1000000));
	*prev = ts;
	if (ts > m->last_ts)
		m->last_ts = ts;
}

struct file_state {
	bg_time prev_ts;
	bool kmsg;
};

static void parse_line(struct bg_model *m, struct bg_loc *loc, char *line,
		       size_t len, struct file_state *fs)
{
	enum bg_framing fr;
	const char *msg;
	bg_time ts;

	if (memchr(line, '\0', len)) {
		bg_warn(loc, W_BINARY, "binary data, line skipped");
		return;
	}
	while (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (fs->kmsg && line[0] == ' ')
		return;			/* /dev/kmsg dictionary line */
	if (frame_printk(line, &ts, &fr, &msg)) {
		fs->kmsg = false;
	} else if (frame_kmsg(line, &ts, &msg)) {
		fr = FR_KMSG;
		fs->kmsg = true;
	} else {
		if (bg_parse_ftrace(m, loc, line))
			m->framings |= 1u << FR_FTRACE;
		return;			/* ftrace, or noise without a timestamp */
	}
	m->framings |= 1u << fr;
	check_time(m, loc, ts, &fs->prev_ts);
	bg_parse_msg(m, loc, ts, fr, (char *)msg);
}

static int open_input(const char *path, struct bg_loc *loc)
{
	int fd;

	loc->file = strcmp(path, "-") ? path : "<stdin>";
	if (!strcmp(path, "-"))
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		bg_err("cannot open %s: %s", path, strerror(errno));
	return fd;
}

static int read_text(struct bg_model *m, struct reader *r, struct bg_loc *loc)
{
	struct file_state fs = { .prev_ts = BG_NOTIME };
	size_t len;
	char *line;

	while ((line = reader_line(r, loc, &len))) {
		loc->line++;
		if (r->cut)
			bg_warn(loc, W_LONG, "line longer than %d bytes, cut",
				MAX_LINE);
		parse_line(m, loc, line, len, &fs);
	}
	return 0;
}

static int load_file(struct bg_model *m, const char *path)
{
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
		ret = read_text(m, &r, &loc);
	}
	bg_warn_flush(&loc);
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

int bg_load(struct bg_model *m, char *const *files, int nfiles,
	    const struct bg_input_opts *o)
{
	char *const stdin_only[] = { "-" };
	int i, ret = 0;

	if (!nfiles) {
		files = stdin_only;
		nfiles = 1;
	}
	for (i = 0; i < nfiles; i++)
		ret |= load_file(m, files[i]);
	check_clock(m, o);
	return ret;
}
