// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph message parser: turns one kernel message (without its printk
 * prefix) into model events.  The async_probe line format comes from
 * include/linux/async_probe_log.h, shared with the kernel side.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <linux/async_probe_log.h>

#include "bootgraph.h"

#define TAG_LEN		(sizeof(ASYNC_PROBE_LOG_TAG) - 1)

void bg_ev_init(struct bg_ev *ev, enum bg_ev_type type, bg_time ts)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->ts = ts;
	ev->cookie = -1;
	ev->usecs = -1;
	ev->pid = -1;
}

static bool parse_ll(const char *s, long long *v)
{
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoll(s, &end, 0);
	return *end == '\0';
}

static bool parse_int(const char *s, int *v)
{
	long long l;

	if (!parse_ll(s, &l) || l < -2147483647LL || l > 2147483647LL)
		return false;
	*v = (int)l;
	return true;
}

/* A value of "-" (ASYNC_PROBE_LOG_EMPTY) stands for none. */
static const char *kv_str(const char *v)
{
	return strcmp(v, ASYNC_PROBE_LOG_EMPTY) ? v : NULL;
}

static bool kv_set(struct bg_ev *ev, const char *key, const char *val)
{
	if (!strcmp(key, "dev"))
		ev->dev = kv_str(val);
	else if (!strcmp(key, "bus"))
		ev->bus = kv_str(val);
	else if (!strcmp(key, "drv"))
		ev->drv = kv_str(val);
	else if (!strcmp(key, "deps"))
		ev->deps = kv_str(val);
	else if (!strcmp(key, "reason"))
		ev->reason = kv_str(val);
	else if (!strcmp(key, "func"))
		ev->func = val;
	else if (!strcmp(key, "cookie"))
		return parse_ll(val, &ev->cookie) && ev->cookie >= 0;
	else if (!strcmp(key, "usecs"))
		return parse_ll(val, &ev->usecs) && ev->usecs >= 0 &&
		       ev->usecs <= BG_MAX_USECS;
	else if (!strcmp(key, "pid"))
		return parse_int(val, &ev->pid);
	else if (!strcmp(key, "ret"))
		return parse_int(val, &ev->ret);
	return true;			/* unknown keys are ignored */
}

/*
 * Split "k1=v1 k2=v2 ..." in place.  A word without '=' continues the
 * previous value (a reason with spaces).  Returns false on a bad number.
 */
bool bg_parse_kv(char *s, struct bg_ev *ev)
{
	char *key = NULL, *val = NULL, *eq, *sp;
	bool ok = true;

	for (; s && *s; s = sp) {
		while (*s == ' ')
			s++;
		sp = strchr(s, ' ');
		if (sp)
			*sp++ = '\0';
		eq = strchr(s, '=');
		if (!eq && val) {
			s[-1] = ' ';	/* glue back onto the value */
			continue;
		}
		if (key && !kv_set(ev, key, val))
			ok = false;
		key = eq ? s : NULL;
		val = eq ? eq + 1 : NULL;
		if (eq)
			*eq = '\0';
	}
	if (key && !kv_set(ev, key, val))
		ok = false;
	return ok;
}

static const struct {
	const char *name;
	enum bg_ev_type type;
} ap_events[] = {
	{ ASYNC_PROBE_EV_PARK,	EV_PARK },
	{ ASYNC_PROBE_EV_QUEUE,	EV_QUEUE },
	{ ASYNC_PROBE_EV_START,	EV_START },
	{ ASYNC_PROBE_EV_END,	EV_END },
	{ ASYNC_PROBE_EV_DEFER,	EV_DEFER },
};

/* An async_probe event by name ("start") with its key=value text. */
bool bg_ap_event(struct bg_model *m, struct bg_loc *loc, struct bg_ev *ev,
		 const char *name, char *kv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ap_events); i++)
		if (!strcmp(name, ap_events[i].name))
			break;
	if (i == ARRAY_SIZE(ap_events))
		return false;
	ev->type = ap_events[i].type;
	if (!bg_parse_kv(kv, ev) || !ev->dev) {
		bg_warn(loc, W_MALFORMED, "bad async_probe %s event", name);
		return true;
	}
	bg_model_event(m, loc, ev);
	return true;
}

static void parse_ap(struct bg_model *m, struct bg_loc *loc, struct bg_ev *ev,
		     char *s)
{
	char *sp = strchr(s, ' ');

	if (sp)
		*sp++ = '\0';
	/* What the kernel read of its probe plan, then how much matched. */
	if (!strcmp(s, "plan:")) {
		m->plan[m->plan[0] ? 1 : 0] = bg_intern(m, sp ? sp : "", sp ? strlen(sp) : 0);
		return;
	}
	ev->src = SRC_AP_PRINTK;
	if (!bg_ap_event(m, loc, ev, s, sp))
		bg_warn(loc, W_MALFORMED, "unknown async_probe event '%.40s'", s);
}

/* ------------------------------------------------------------------ */

static char *skip_spaces(char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* Expect literal at *p; advance past it. */
static bool eat(char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n))
		return false;
	*p += n;
	return true;
}

/* "foo_init+0x0/0x40 [mod]" -> "foo_init [mod]", in place. */
void bg_strip_offset(char *sym)
{
	char *plus = strchr(sym, '+'), *sp;

	if (!plus)
		return;
	sp = strchr(plus, ' ');
	if (sp)
		memmove(plus, sp, strlen(sp) + 1);
	else
		*plus = '\0';
}

/* The symbol (and " [mod]") at p; returns the text after it, or NULL. */
static char *parse_sym(char *p, char **name)
{
	char *end = strchr(p, ' '), *mod_end, *rest;

	if (!end || end == p)
		return NULL;
	mod_end = end[1] == '[' ? strchr(end + 1, ']') : NULL;
	if (mod_end)
		end = mod_end + 1;
	rest = *end ? end + 1 : end;
	*end = '\0';
	bg_strip_offset(p);
	*name = p;
	return rest;
}

/* "calling  foo_init+0x0/0x40 @ 1" */
static void parse_calling(struct bg_model *m, struct bg_loc *loc,
			  struct bg_ev *ev, char *p)
{
	p = parse_sym(skip_spaces(p), (char **)&ev->func);
	ev->type = EV_CALL_START;
	if (!p || !eat(&p, "@ ") || !parse_int(p, &ev->pid)) {
		bg_warn(loc, W_MALFORMED, "bad 'calling' line");
		return;
	}
	bg_model_event(m, loc, ev);
}

/*
 * "returned R after N usecs", or "returned after N usecs" (async calls,
 * which return nothing: R is 0).
 */
static bool parse_returned(char *p, struct bg_ev *ev)
{
	char *after;

	if (!p || !eat(&p, "returned "))
		return false;
	if (eat(&p, "after ")) {
		ev->ret = 0;
	} else {
		after = strstr(p, " after ");
		if (!after)
			return false;
		*after = '\0';
		if (!parse_int(p, &ev->ret))
			return false;
		p = after + 7;
	}
	ev->usecs = strtoll(p, &after, 10);
	return after != p && ev->usecs >= 0 && ev->usecs <= BG_MAX_USECS &&
	       !strncmp(after, " usec", 5);
}

/* "initcall foo_init+0x0/0x40 returned 0 after 123 usecs" */
static void parse_initcall(struct bg_model *m, struct bg_loc *loc,
			   struct bg_ev *ev, char *p)
{
	ev->type = EV_CALL_END;
	p = parse_sym(p, (char **)&ev->func);
	if (!parse_returned(p, ev)) {
		if (!p || strncmp(p, "returned with", 13))
			bg_warn(loc, W_MALFORMED, "bad 'initcall' line");
		return;
	}
	bg_model_event(m, loc, ev);
}

/* "probe of DEV returned R after N usecs" */
static void parse_probe_of(struct bg_model *m, struct bg_loc *loc,
			   struct bg_ev *ev, char *p)
{
	char *sp = strstr(p, " returned ");

	ev->type = EV_END;
	ev->src = SRC_PROBE_OF;
	if (!sp || sp == p || !parse_returned(sp + 1, ev)) {
		bg_warn(loc, W_MALFORMED, "bad 'probe of' line");
		return;
	}
	*sp = '\0';
	ev->dev = p;
	bg_model_event(m, loc, ev);
}

/* "async_waiting @ 1", "async_continuing @ 1 after 5 usec" */
static void parse_async_wait(struct bg_model *m, struct bg_loc *loc,
			     struct bg_ev *ev, char *p, bool cont)
{
	char *end;

	ev->type = cont ? EV_ASYNC_CONT : EV_ASYNC_WAIT;
	ev->pid = strtol(p, &end, 10);
	if (end == p) {
		bg_warn(loc, W_MALFORMED, "bad async_%s line",
			cont ? "continuing" : "waiting");
		return;
	}
	p = end;
	if (cont && eat(&p, " after "))
		ev->usecs = strtoll(p, NULL, 10);
	if (ev->usecs > BG_MAX_USECS)
		ev->usecs = -1;
	bg_model_event(m, loc, ev);
}

static void parse_mark(struct bg_model *m, struct bg_loc *loc,
		       struct bg_ev *ev, int mark, const char *label)
{
	ev->type = EV_MARK;
	ev->mark = mark;
	ev->label = label;
	bg_model_event(m, loc, ev);
}

/* "Run /init as init process" */
static void parse_run(struct bg_model *m, struct bg_loc *loc,
		      struct bg_ev *ev, char *p)
{
	char *as = strstr(p, " as init process");

	if (!as || as[16])
		return;
	*as = '\0';
	parse_mark(m, loc, ev, MARK_INIT, p);
}

/*
 * "clocksource: Switched to clocksource tsc": from here on ktime_get(),
 * which times the initcalls, reads a fine-grained clock.
 */
static void parse_clocksource(struct bg_model *m, struct bg_loc *loc,
			      struct bg_ev *ev, char *p)
{
	ev->type = EV_CLOCK;
	ev->label = p;
	bg_model_event(m, loc, ev);
}

/* The one word at p, without a trailing newline; NULL if more. */
static char *one_word(char *p)
{
	p[strcspn(p, "\r\n")] = '\0';
	return *p && !strchr(p, ' ') ? p : NULL;
}

/*
 * dev_printk() lines that relate two devices:
 *   "nvme nvme0: pci function 0000:04:00.0"   the driver of the function
 *   "scsi host2: usb-storage 2-1:1.0"          the interface adding host2
 *   "scsi host0: ahci"                         the driver adding host0
 *   "xhci_hcd 0000:00:05.0: new USB bus registered, assigned bus number 1"
 *                                              the controller of usb1
 *   "DRV DEV: Linked as a consumer to SUP"     a device link (dyndbg)
 *   "DRV DEV: supplier SUP not ready"          the same, at a deferral
 */
static void parse_relation(struct bg_model *m, struct bg_loc *loc,
			   struct bg_ev *ev, char *rest)
{
	bool scsi_host = !strcmp(ev->drv, "scsi") &&
			 !strncmp(ev->dev, "host", 4);
	char *e, usb[32];
	int bus;

	if (eat(&rest, "new USB bus registered, assigned bus number ")) {
		bus = atoi(rest);
		snprintf(usb, sizeof(usb), "usb%d", bus);
		ev->deps = ev->dev;	/* the host controller */
		ev->dev = bus > 0 ? usb : NULL;
		ev->label = "parent";
	} else if (eat(&rest, "pci function ")) {
		ev->dev = one_word(rest);
		ev->label = "driver";
	} else if (scsi_host && eat(&rest, "usb-storage ")) {
		ev->deps = one_word(rest);
		ev->label = "parent";
	} else if (scsi_host) {
		ev->deps = one_word(rest);
		ev->label = "added by";	/* "scsi host0: ahci": its driver */
	} else if (eat(&rest, "Linked as a consumer to ")) {
		ev->deps = one_word(rest);
	} else if (eat(&rest, "supplier ")) {
		e = strstr(rest, " not ready");
		if (e)
			*e = '\0';
		ev->deps = e ? one_word(rest) : NULL;
	}
	if (ev->dev && (ev->deps || (ev->label && !strcmp(ev->label, "driver"))))
		bg_model_event(m, loc, ev);
}

/* The ':' that ends the word at p (before a space or the end), or NULL. */
static char *word_colon(char *p)
{
	char *end = strchr(p, ' ');

	end = end ? end - 1 : p + strlen(p) - 1;
	return end > p && *end == ':' ? end : NULL;
}

/*
 * dev_printk: "drv DEV: msg", and netdev_printk: "drv DEV IFNAME: msg".
 * Gives a driver (or bus) name for DEV, and carries the driver core's
 * "deferred probe pending: reason" warning.
 */
static void parse_dev_msg(struct bg_model *m, struct bg_loc *loc,
			  struct bg_ev *ev, char *p)
{
	char *sp = strchr(p, ' '), *colon, *rest, *sp2;

	if (!sp || sp == p || memchr(p, ':', sp - p) || sp[1] == ' ')
		return;
	colon = word_colon(sp + 1);
	if (!colon) {
		sp2 = strchr(sp + 1, ' ');
		if (!sp2 || sp2[1] == ' ' || !word_colon(sp2 + 1))
			return;
		colon = word_colon(sp2 + 1);
		*sp2 = '\0';		/* drop the interface name */
	}
	*sp = '\0';
	*colon = '\0';
	ev->drv = p;
	ev->dev = sp + 1;
	rest = colon[1] ? colon + 2 : colon + 1;
	if (eat(&rest, "deferred probe pending: ")) {
		ev->type = EV_DEFER_PENDING;
		ev->reason = rest;
		rest[strcspn(rest, "\r\n")] = '\0';
	} else {
		ev->type = EV_HINT;
	}
	bg_model_event(m, loc, ev);
	if (ev->type == EV_HINT)
		parse_relation(m, loc, ev, rest);
}

void bg_parse_msg(struct bg_model *m, struct bg_loc *loc, bg_time ts,
		  enum bg_framing fr, int pid, char *msg)
{
	struct bg_ev ev;
	char *p = msg;

	bg_ev_init(&ev, EV_HINT, ts);
	ev.framing = fr;
	ev.pid = pid;			/* the printk caller id, if any */
	switch (*p) {
	case 'a':
		if (!strncmp(p, ASYNC_PROBE_LOG_TAG, TAG_LEN))
			return parse_ap(m, loc, &ev, p + TAG_LEN);
		if (eat(&p, "async_waiting @ "))
			return parse_async_wait(m, loc, &ev, p, false);
		if (eat(&p, "async_continuing @ "))
			return parse_async_wait(m, loc, &ev, p, true);
		break;
	case 'c':
		if (eat(&p, "calling "))
			return parse_calling(m, loc, &ev, p);
		if (eat(&p, "clocksource: Switched to clocksource "))
			return parse_clocksource(m, loc, &ev, p);
		break;
	case 'i':
		if (eat(&p, "initcall "))
			return parse_initcall(m, loc, &ev, p);
		break;
	case 'p':
		if (eat(&p, "probe of "))
			return parse_probe_of(m, loc, &ev, p);
		break;
	case 'F':
		if (eat(&p, "Freeing unused kernel "))
			return parse_mark(m, loc, &ev, MARK_FREE_INIT, msg);
		break;
	case 'L':
		if (eat(&p, "Linux version ")) {
			ev.type = EV_BOOT;
			return bg_model_event(m, loc, &ev);
		}
		break;
	case 'R':
		if (eat(&p, "Run "))
			return parse_run(m, loc, &ev, p);
		break;
	}
	parse_dev_msg(m, loc, &ev, msg);
}
