/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of kernel/async.c.  Every event prints stable key=value
 * fields; tools/bootgraph and trace-cmd read them back.
 *
 *   async_queue       an entry was scheduled: its dependencies, and how
 *                     many of them had not finished (pending=0: queued
 *                     to the workqueue at once; sync=1: ran in the caller)
 *   async_run         an entry starts running
 *   async_finish      an entry returned, after usecs
 *   async_wait_begin  a task starts waiting (kind=cookie: for every entry
 *                     before cookie; kind=one: for that entry; kind=full)
 *   async_wait_end    the wait is over, after usecs
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM async

#if !defined(_TRACE_ASYNC_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_ASYNC_H

#include <linux/async.h>
#include <linux/tracepoint.h>

#ifndef _TRACE_ASYNC_DEF_ONCE
#define _TRACE_ASYNC_DEF_ONCE
/* How many dependencies an async_queue event lists by cookie. */
#define ASYNC_TRACE_DEPS	16
/* Room for "c1,c2,...": 20 digits and a comma each, and a NUL. */
#define ASYNC_TRACE_DEPS_LEN(n)	(min_t(unsigned int, (n), ASYNC_TRACE_DEPS) * 21 + 2)
void async_trace_format_deps(char *buf, size_t len, const async_cookie_t *deps,
			     unsigned int ndeps);
#endif

TRACE_EVENT(async_queue,

	TP_PROTO(async_cookie_t cookie, async_func_t func,
		 const async_cookie_t *deps, unsigned int ndeps,
		 unsigned int pending, bool sync),

	TP_ARGS(cookie, func, deps, ndeps, pending, sync),

	TP_STRUCT__entry(
		__field(async_cookie_t, cookie)
		__field(void *, func)
		__field(unsigned int, ndeps)
		__field(unsigned int, pending)
		__field(bool, sync)
		__dynamic_array(char, deps, ASYNC_TRACE_DEPS_LEN(ndeps))
	),

	TP_fast_assign(
		__entry->cookie = cookie;
		__entry->func = func;
		__entry->ndeps = ndeps;
		__entry->pending = pending;
		__entry->sync = sync;
		async_trace_format_deps(__get_dynamic_array(deps),
					ASYNC_TRACE_DEPS_LEN(ndeps), deps, ndeps);
	),

	TP_printk("cookie=%llu func=%ps ndeps=%u pending=%u sync=%d deps=%s",
		  __entry->cookie, __entry->func, __entry->ndeps,
		  __entry->pending, __entry->sync, __get_str(deps))
);

DECLARE_EVENT_CLASS(async_entry,

	TP_PROTO(async_cookie_t cookie, async_func_t func),

	TP_ARGS(cookie, func),

	TP_STRUCT__entry(
		__field(async_cookie_t, cookie)
		__field(void *, func)
	),

	TP_fast_assign(
		__entry->cookie = cookie;
		__entry->func = func;
	),

	TP_printk("cookie=%llu func=%ps", __entry->cookie, __entry->func)
);

DEFINE_EVENT(async_entry, async_run,
	TP_PROTO(async_cookie_t cookie, async_func_t func),
	TP_ARGS(cookie, func)
);

TRACE_EVENT(async_finish,

	TP_PROTO(async_cookie_t cookie, async_func_t func, u64 usecs),

	TP_ARGS(cookie, func, usecs),

	TP_STRUCT__entry(
		__field(async_cookie_t, cookie)
		__field(void *, func)
		__field(u64, usecs)
	),

	TP_fast_assign(
		__entry->cookie = cookie;
		__entry->func = func;
		__entry->usecs = usecs;
	),

	TP_printk("cookie=%llu func=%ps usecs=%llu",
		  __entry->cookie, __entry->func, __entry->usecs)
);

TRACE_EVENT(async_wait_begin,

	TP_PROTO(const char *kind, async_cookie_t cookie),

	TP_ARGS(kind, cookie),

	TP_STRUCT__entry(
		__string(kind, kind)
		__field(async_cookie_t, cookie)
	),

	TP_fast_assign(
		__assign_str(kind);
		__entry->cookie = cookie;
	),

	TP_printk("kind=%s cookie=%llu", __get_str(kind), __entry->cookie)
);

TRACE_EVENT(async_wait_end,

	TP_PROTO(const char *kind, async_cookie_t cookie, u64 usecs),

	TP_ARGS(kind, cookie, usecs),

	TP_STRUCT__entry(
		__string(kind, kind)
		__field(async_cookie_t, cookie)
		__field(u64, usecs)
	),

	TP_fast_assign(
		__assign_str(kind);
		__entry->cookie = cookie;
		__entry->usecs = usecs;
	),

	TP_printk("kind=%s cookie=%llu usecs=%llu",
		  __get_str(kind), __entry->cookie, __entry->usecs)
);

#endif /* _TRACE_ASYNC_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
