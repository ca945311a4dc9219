// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph ftrace text: lines of /sys/kernel/tracing/trace and of
 * "trace-cmd report", e.g.
 *
 *   kworker/u8:1-45  [001] .....  1.234567: async_probe_start: dev=foo ...
 *   kworker/u8:1-45  [001]  1.234567: async_probe_start:  dev=foo ...
 *   bash-1977  (   1977) [000] d..1.  17.993652: initcall_start: func=...
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

#define AP_TP_PREFIX	"async_probe_"

/* The " [NNN]" CPU field; returns a pointer to its '[' or NULL. */
static char *find_cpu(char *line)
{
	char *p = line, *q;

	while ((p = strstr(p, " ["))) {
		q = p + 2;
		if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q))
				q++;
			if (*q == ']' && (q[1] == ' ' || !q[1]))
				return p + 1;
		}
		p++;
	}
	return NULL;
}

/* The pid of "comm-pid" (and an optional "(tgid)") ending before end. */
static int task_pid(const char *line, const char *end)
{
	const char *p = end;

	while (p > line && p[-1] == ' ')
		p--;
	if (p > line && p[-1] == ')') {
		while (p > line && p[-1] != '(')
			p--;
		if (p > line)
			p--;
		while (p > line && p[-1] == ' ')
			p--;
	}
	end = p;
	while (p > line && isdigit((unsigned char)p[-1]))
		p--;
	if (p == end || p == line || p[-1] != '-')
		return -1;
	return (int)strtol(p, NULL, 10);
}

/* "ts:" after the CPU field and optional flags. */
static char *trace_ts(char *p, bg_time *ts)
{
	const char *q;

	p = strchr(p, ']') + 1;
	while (*p == ' ')
		p++;
	q = p;
	if (!bg_parse_ts(&q, ts) || *q != ':') {
		p = strchr(p, ' ');	/* irq/preempt flags */
		if (!p)
			return NULL;
		q = p;
		if (!bg_parse_ts(&q, ts) || *q != ':')
			return NULL;
	}
	return (char *)q + 1;
}

bool bg_parse_ftrace(struct bg_model *m, struct bg_loc *loc, char *line)
{
	char *cpu = find_cpu(line), *p, *name, *colon;
	bg_time ts;
	int pid;

	p = cpu ? trace_ts(cpu, &ts) : NULL;
	if (!p)
		return false;
	pid = task_pid(line, cpu);
	while (*p == ' ')
		p++;
	name = p;
	for (colon = strchr(p, ':'); colon; colon = strchr(colon + 1, ':'))
		if (colon[1] == ' ' || !colon[1])
			break;
	if (!colon)
		return false;
	*colon = '\0';
	p = colon[1] ? colon + 2 : colon + 1;
	if (ts > m->last_ts)
		m->last_ts = ts;
	bg_trace_event(m, loc, ts, pid, name, p, FR_FTRACE);
	return true;
}

/* ------------------------------------------------------------------ */

static void async_event(struct bg_model *m, struct bg_loc *loc,
			struct bg_ev *ev, const char *name, char *info)
{
	if (!bg_parse_kv(info, ev) || ev->cookie < 0) {
		bg_warn(loc, W_MALFORMED, "bad %s event", name);
		return;
	}
	if (ev->func)
		bg_strip_offset((char *)ev->func);
	bg_model_event(m, loc, ev);
}

static void initcall_event(struct bg_model *m, struct bg_loc *loc,
			   struct bg_ev *ev, const char *name, char *info)
{
	if (!bg_parse_kv(info, ev) || !ev->func) {
		bg_warn(loc, W_MALFORMED, "bad %s event", name);
		return;
	}
	bg_strip_offset((char *)ev->func);
	bg_model_event(m, loc, ev);
}

static const struct {
	const char *name;
	enum bg_ev_type type;
	void (*fn)(struct bg_model *m, struct bg_loc *loc, struct bg_ev *ev,
		   const char *name, char *info);
} trace_events[] = {
	{ "initcall_start",	EV_CALL_START,	 initcall_event },
	{ "initcall_finish",	EV_CALL_END,	 initcall_event },
	{ "async_queue",	EV_ASYNC_QUEUE,	 async_event },
	{ "async_run",		EV_ASYNC_RUN,	 async_event },
	{ "async_finish",	EV_ASYNC_FINISH, async_event },
};

/*
 * One trace event: name is "event" or "system:event", info its printed
 * fields.  Shared by the text parser and the trace.dat reader.
 */
void bg_trace_event(struct bg_model *m, struct bg_loc *loc, bg_time ts,
		    int pid, const char *name, char *info,
		    enum bg_framing fr)
{
	const char *sys = strrchr(name, ':');
	struct bg_ev ev;
	size_t i;

	if (sys)
		name = sys + 1;
	bg_ev_init(&ev, EV_HINT, ts);
	ev.framing = fr;
	ev.pid = pid;
	if (!strncmp(name, AP_TP_PREFIX, strlen(AP_TP_PREFIX))) {
		ev.src = SRC_AP_TRACE;
		bg_ap_event(m, loc, &ev, name + strlen(AP_TP_PREFIX), info);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(trace_events); i++) {
		if (strcmp(name, trace_events[i].name))
			continue;
		ev.type = trace_events[i].type;
		trace_events[i].fn(m, loc, &ev, name, info);
		return;
	}
}
