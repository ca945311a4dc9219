/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of drivers/base/async_probe.  The fields and their order
 * are those of the console lines defined in include/linux/async_probe_log.h
 * (which tools/bootgraph parses from both):
 *
 *   async_probe_park   dev bus drv waiting
 *   async_probe_queue  dev bus drv cookie deps
 *   async_probe_start  dev bus drv cookie pid
 *   async_probe_end    dev bus drv cookie pid ret usecs
 *   async_probe_defer  dev bus drv reason
 *   async_probe_wait   what usecs      (a framework barrier returned)
 *
 * A probe's queue event is emitted once its async call is made, and a free
 * worker may start the probe before that: its start (and a deferral) can
 * come before its queue event, never its end.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM async_probe

#if !defined(_TRACE_ASYNC_PROBE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_ASYNC_PROBE_H

#include <linux/tracepoint.h>

TRACE_EVENT(async_probe_park,

	TP_PROTO(const char *dev, const char *bus, const char *drv,
		 unsigned int waiting),

	TP_ARGS(dev, bus, drv, waiting),

	TP_STRUCT__entry(
		__string(dev, dev)
		__string(bus, bus)
		__string(drv, drv)
		__field(unsigned int, waiting)
	),

	TP_fast_assign(
		__assign_str(dev);
		__assign_str(bus);
		__assign_str(drv);
		__entry->waiting = waiting;
	),

	TP_printk("dev=%s bus=%s drv=%s waiting=%u", __get_str(dev),
		  __get_str(bus), __get_str(drv), __entry->waiting)
);

TRACE_EVENT(async_probe_queue,

	TP_PROTO(const char *dev, const char *bus, const char *drv,
		 u64 cookie, const char *deps),

	TP_ARGS(dev, bus, drv, cookie, deps),

	TP_STRUCT__entry(
		__string(dev, dev)
		__string(bus, bus)
		__string(drv, drv)
		__field(u64, cookie)
		__string(deps, deps)
	),

	TP_fast_assign(
		__assign_str(dev);
		__assign_str(bus);
		__assign_str(drv);
		__entry->cookie = cookie;
		__assign_str(deps);
	),

	TP_printk("dev=%s bus=%s drv=%s cookie=%llu deps=%s", __get_str(dev),
		  __get_str(bus), __get_str(drv), __entry->cookie,
		  __get_str(deps))
);

TRACE_EVENT(async_probe_start,

	TP_PROTO(const char *dev, const char *bus, const char *drv,
		 u64 cookie, int pid),

	TP_ARGS(dev, bus, drv, cookie, pid),

	TP_STRUCT__entry(
		__string(dev, dev)
		__string(bus, bus)
		__string(drv, drv)
		__field(u64, cookie)
		__field(int, pid)
	),

	TP_fast_assign(
		__assign_str(dev);
		__assign_str(bus);
		__assign_str(drv);
		__entry->cookie = cookie;
		__entry->pid = pid;
	),

	TP_printk("dev=%s bus=%s drv=%s cookie=%llu pid=%d", __get_str(dev),
		  __get_str(bus), __get_str(drv), __entry->cookie, __entry->pid)
);

TRACE_EVENT(async_probe_end,

	TP_PROTO(const char *dev, const char *bus, const char *drv,
		 u64 cookie, int pid, int ret, u64 usecs),

	TP_ARGS(dev, bus, drv, cookie, pid, ret, usecs),

	TP_STRUCT__entry(
		__string(dev, dev)
		__string(bus, bus)
		__string(drv, drv)
		__field(u64, cookie)
		__field(int, pid)
		__field(int, ret)
		__field(u64, usecs)
	),

	TP_fast_assign(
		__assign_str(dev);
		__assign_str(bus);
		__assign_str(drv);
		__entry->cookie = cookie;
		__entry->pid = pid;
		__entry->ret = ret;
		__entry->usecs = usecs;
	),

	TP_printk("dev=%s bus=%s drv=%s cookie=%llu pid=%d ret=%d usecs=%llu",
		  __get_str(dev), __get_str(bus), __get_str(drv),
		  __entry->cookie, __entry->pid, __entry->ret, __entry->usecs)
);

TRACE_EVENT(async_probe_defer,

	TP_PROTO(const char *dev, const char *bus, const char *drv,
		 const char *reason),

	TP_ARGS(dev, bus, drv, reason),

	TP_STRUCT__entry(
		__string(dev, dev)
		__string(bus, bus)
		__string(drv, drv)
		__string(reason, reason)
	),

	TP_fast_assign(
		__assign_str(dev);
		__assign_str(bus);
		__assign_str(drv);
		__assign_str(reason);
	),

	TP_printk("dev=%s bus=%s drv=%s reason=%s", __get_str(dev),
		  __get_str(bus), __get_str(drv), __get_str(reason))
);

TRACE_EVENT(async_probe_wait,

	TP_PROTO(const char *what, u64 usecs),

	TP_ARGS(what, usecs),

	TP_STRUCT__entry(
		__string(what, what)
		__field(u64, usecs)
	),

	TP_fast_assign(
		__assign_str(what);
		__entry->usecs = usecs;
	),

	TP_printk("what=%s usecs=%llu", __get_str(what), __entry->usecs)
);

#endif /* _TRACE_ASYNC_PROBE_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
