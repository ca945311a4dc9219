// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph trace.dat input through libtracecmd/libtraceevent, built
 * only when the Makefile finds them (HAVE_LIBTRACECMD).  Each record is
 * printed with its event's format and handed to the same event
 * dispatcher as the ftrace text lines.
 */
#include <string.h>

#include "bootgraph.h"

static const unsigned char tracedat_magic[] = {
	0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'
};

bool bg_is_tracedat(const unsigned char *buf, size_t len)
{
	return len >= sizeof(tracedat_magic) &&
	       !memcmp(buf, tracedat_magic, sizeof(tracedat_magic));
}

#ifdef HAVE_LIBTRACECMD
#include <trace-cmd.h>

struct td_ctx {
	struct bg_model *m;
	struct bg_loc *loc;
	struct trace_seq seq;
};

static int td_record(struct tracecmd_input *h, struct tep_record *rec,
		     int cpu, void *data)
{
	struct tep_handle *tep = tracecmd_get_tep(h);
	struct tep_event *ev = tep_find_event_by_record(tep, rec);
	struct td_ctx *c = data;
	bg_time ts = (bg_time)(rec->ts / 1000);

	(void)cpu;
	c->loc->line++;		/* the record number */
	if (!ev)
		return 0;
	trace_seq_reset(&c->seq);
	tep_print_event(tep, &c->seq, rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&c->seq);
	if (ts > c->m->last_ts)
		c->m->last_ts = ts;
	bg_trace_event(c->m, c->loc, ts, tep_data_pid(tep, rec), ev->name,
		       c->seq.buffer, FR_TRACEDAT);
	return 0;
}

int bg_tracedat_read(struct bg_model *m, struct bg_loc *loc, const char *path)
{
	struct td_ctx c = { .m = m, .loc = loc };
	struct tracecmd_input *h;

	if (!strcmp(path, "-")) {
		fprintf(stderr, "%s:1: trace.dat cannot be read from stdin\n",
			loc->file);
		return 1;
	}
	h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!h) {
		fprintf(stderr, "%s:1: libtracecmd cannot read this trace.dat\n",
			loc->file);
		return 1;
	}
	loc->line = 0;
	trace_seq_init(&c.seq);
	tracecmd_iterate_events(h, NULL, 0, td_record, &c);
	trace_seq_destroy(&c.seq);
	tracecmd_close(h);
	m->framings |= 1u << FR_TRACEDAT;
	return 0;
}

#else

int bg_tracedat_read(struct bg_model *m, struct bg_loc *loc, const char *path)
{
	(void)m;
	(void)path;
	fprintf(stderr,
		"%s:1: trace.dat input needs libtracecmd: rebuild bootgraph with libtracecmd-dev and libtraceevent-dev installed, or convert it with 'trace-cmd report'\n",
		loc->file);
	return 1;
}

#endif
