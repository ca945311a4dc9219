/* SPDX-License-Identifier: GPL-2.0 */
/*
 * async_probe_log.h - the one definition of the async_probe console lines
 *
 * The probe framework prints one line per probe event when initcall_debug
 * (or async_probe.debug=1) is set; tools/bootgraph parses them back.  Both
 * sides include this header so the format cannot drift.  It must stay free
 * of kernel-only includes and types: it is compiled into a userspace tool.
 *
 * A line is the printk prefix ("[   1.234567] " and any caller id), then
 * ASYNC_PROBE_LOG_TAG, then an event name, then space-separated key=value
 * fields in the order given below.  Values never contain spaces; a list
 * value (deps=) is comma-separated, and "-" stands for an empty value.
 * New keys may be appended to an event; existing keys keep their meaning,
 * so a parser must ignore keys it does not know.
 *
 *   park   dev bus drv waiting          consumer parked on unbound suppliers
 *   queue  dev bus drv cookie deps      handed to the async machinery
 *   start  dev bus drv cookie pid       probe is about to run on pid
 *   end    dev bus drv cookie pid ret usecs   probe returned ret
 *   defer  dev bus drv reason           sent down the deferred-probe path
 *
 * "usecs" of an end line is the probe duration measured by the kernel, so
 * the start time of a probe is the end line's timestamp minus usecs even if
 * its start line was lost.
 */
#ifndef _LINUX_ASYNC_PROBE_LOG_H
#define _LINUX_ASYNC_PROBE_LOG_H

#define ASYNC_PROBE_LOG_TAG	"async_probe: "

#define ASYNC_PROBE_EV_PARK	"park"
#define ASYNC_PROBE_EV_QUEUE	"queue"
#define ASYNC_PROBE_EV_START	"start"
#define ASYNC_PROBE_EV_END	"end"
#define ASYNC_PROBE_EV_DEFER	"defer"

/* Format strings for printk(); arguments in the order of the keys. */
#define ASYNC_PROBE_FMT_PARK \
	ASYNC_PROBE_LOG_TAG ASYNC_PROBE_EV_PARK " dev=%s bus=%s drv=%s waiting=%u\n"
#define ASYNC_PROBE_FMT_QUEUE \
	ASYNC_PROBE_LOG_TAG ASYNC_PROBE_EV_QUEUE " dev=%s bus=%s drv=%s cookie=%llu deps=%s\n"
#define ASYNC_PROBE_FMT_START \
	ASYNC_PROBE_LOG_TAG ASYNC_PROBE_EV_START " dev=%s bus=%s drv=%s cookie=%llu pid=%d\n"
#define ASYNC_PROBE_FMT_END \
	ASYNC_PROBE_LOG_TAG ASYNC_PROBE_EV_END \
	" dev=%s bus=%s drv=%s cookie=%llu pid=%d ret=%d usecs=%llu\n"
#define ASYNC_PROBE_FMT_DEFER \
	ASYNC_PROBE_LOG_TAG ASYNC_PROBE_EV_DEFER " dev=%s bus=%s drv=%s reason=%s\n"

/*
 * Separator of a deps= list, and the value written for an empty one.  A
 * list holds whole names only: when they do not all fit, the last item is
 * ASYNC_PROBE_LOG_MORE and a count ("a,b,+3": three more, not named).
 */
#define ASYNC_PROBE_LOG_LIST_SEP	','
#define ASYNC_PROBE_LOG_EMPTY		"-"
#define ASYNC_PROBE_LOG_MORE		'+'

/*
 * The framework's own async functions, as the async tracepoints and
 * initcall_debug name them (drivers/base/async_probe/core.c): one runs a
 * probe, which the probe lines above already give; the other ends probes
 * that returned while the framework's lock was taken.
 */
#define ASYNC_PROBE_CALL_PROBE	"ap_probe_fn"
#define ASYNC_PROBE_CALL_END	"ap_end_fn"

/*
 * The probe plan's rule for the candidate suppliers of a deferred device:
 * one definition for the kernel, which writes the plan, and for bootgraph,
 * which writes it again from a log or trace.
 *
 * The device's deferred attempt began at @lo, the retry that succeeded
 * began at @mid and returned at @hi.  A candidate is a probe of another
 * device that began at @start and bound at @bound; all five on one clock
 * (the kernel's count of probe events, or bootgraph's timestamps).  Most
 * likely the supplier first: bound between the two attempts and already
 * probing when the deferred one began (the device, not knowing, did not
 * wait for it); bound between them, having begun later; bound only after
 * the retry began, while it ran.  Any other probe is no candidate.
 */
enum async_probe_plan_rank {
	ASYNC_PROBE_PLAN_RAN_BOUND,
	ASYNC_PROBE_PLAN_BOUND,
	ASYNC_PROBE_PLAN_LATE,
	ASYNC_PROBE_PLAN_NONE,
};

static inline enum async_probe_plan_rank
async_probe_plan_rank(long long start, long long bound, long long lo,
		      long long mid, long long hi)
{
	if (bound <= lo || start >= hi)
		return ASYNC_PROBE_PLAN_NONE;
	if (bound > mid)
		return ASYNC_PROBE_PLAN_LATE;
	return start < lo ? ASYNC_PROBE_PLAN_RAN_BOUND : ASYNC_PROBE_PLAN_BOUND;
}

#endif /* _LINUX_ASYNC_PROBE_LOG_H */
