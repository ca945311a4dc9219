/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bootgraph - per-device probe timelines from kernel boot logs
 *
 * Shared types: the event model filled by the parsers, the analysis
 * results read by the output commands, and small utilities.
 */
#ifndef _BOOTGRAPH_H
#define _BOOTGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Attribute macros as in the kernel's tools/include/linux/compiler-gcc.h.
 * __printf() is spelled through bg_attribute(): checkpatch would flag a
 * bare format attribute even in the definition of __printf() itself.
 */
#define bg_attribute(...)	__attribute__((__VA_ARGS__))

#ifndef __printf
#define __printf(a, b)	bg_attribute(format(printf, a, b))
#endif

#ifndef fallthrough
#if __has_attribute(__fallthrough__)
#define fallthrough	__attribute__((__fallthrough__))
#else
#define fallthrough	do {} while (0)
#endif
#endif

#define BG_VERSION	"1.0"

/* Times are microseconds since boot (printk and trace clocks). */
typedef int64_t bg_time;
#define BG_NOTIME	INT64_MIN
#define BG_MAX_USECS	10000000000000LL	/* longest duration taken: ~116 days */

/* Sums of durations saturate instead of overflowing. */
static inline bg_time bg_add(bg_time a, bg_time b)
{
	return b > 0 && a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* ------------------------------------------------------------------ */
/* util.c */

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n, size_t size);

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Grow the array v (*cap elements, each of the given size) so that it
 * holds at least need elements: returns the array, moved if it grew.
 */
static inline void *bg_grow(void *v, int *cap, size_t need, size_t size)
{
	size_t c;

	if (need <= (size_t)*cap)
		return v;
	c = *cap ? (size_t)*cap * 2 : 2;
	while (c < need)
		c *= 2;
	*cap = (int)c;
	return xrealloc(v, c, size);
}

struct arena {
	char *cur;
	size_t left;
	struct arena_chunk *chunks;
};

void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
void arena_free(struct arena *a);

/* Open-addressing map from strings (copied into an arena) to pointers. */
struct strmap_slot {
	const char *key;
	uint32_t hash;
	uint32_t len;
	void *val;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
};

void **strmap_get(struct strmap *m, const char *key, size_t len,
		  struct arena *a, const char **keyp);
void **strmap_find(const struct strmap *m, const char *key, size_t len);
void strmap_free(struct strmap *m);

/* Diagnostics: "file:line: msg", rate-limited per file and kind. */
enum bg_warn_kind {
	W_BINARY,
	W_LONG,
	W_BACKWARDS,
	W_MALFORMED,
	W_UNMATCHED,
	W_CLOCK,
	W_NR,
};

struct bg_loc {
	const char *file;
	unsigned long line;
	unsigned int count[W_NR];
};

extern int bg_quiet;
extern const char *bg_prog;

__printf(3, 4) void bg_warn(struct bg_loc *loc, enum bg_warn_kind kind,
			    const char *fmt, ...);
void bg_warn_flush(struct bg_loc *loc);
__printf(1, 2) void bg_err(const char *fmt, ...);

/* Output helpers. */
enum bg_esc { ESC_TEXT, ESC_XML, ESC_JSON, ESC_JSON_HTML, ESC_CSV };

void bg_put_escaped(FILE *f, const char *s, enum bg_esc how);
void bg_put_time(FILE *f, bg_time t);	/* seconds, 6 decimals */
void bg_put_dur(FILE *f, bg_time d);	/* human: 12.345ms / 1.234s */
const char *bg_fmt_dur(char *buf, size_t sz, bg_time d);
FILE *bg_open_output(const char *path);
int bg_close_output(FILE *f, const char *path);

/* ------------------------------------------------------------------ */
/* The model */

/* Where an event came from; attempts remember which sources saw them. */
enum bg_src {
	SRC_PROBE_OF,		/* "probe of DEV returned R after N usecs" */
	SRC_AP_PRINTK,		/* async_probe: console lines */
	SRC_AP_TRACE,		/* async_probe_* tracepoints */
	SRC_NR,
};

enum bg_state {
	ST_BOUND,
	ST_FAILED,
	ST_DEFERRED,
	ST_RUNNING,		/* started, no end before the log ended */
	ST_PENDING,		/* parked or queued, never started */
	ST_NR,
};

extern const char *const bg_state_name[ST_NR];

struct bg_dev;

/* Why a link of the critical chain waited for the one below it. */
enum bg_why {
	WHY_NONE,			/* no evidence: the chain ends */
	WHY_SUPPLIER,			/* deps= or a device link */
	WHY_PARENT,			/* its device's parent (name or log) */
	WHY_RETRY,			/* deferred, retried after a probe bound */
	WHY_NR,
};

extern const char *const bg_why_name[WHY_NR];

/*
 * What an attempt's start was taken from, weakest first: a later end
 * report with a stronger one moves the start (model.c, probe_start()).
 */
enum bg_from {
	FROM_NONE,			/* no start yet */
	FROM_STAMP,			/* a console line's timestamp */
	FROM_AP_USECS,			/* end - usecs= of "async_probe: end" */
	FROM_PROBE_OF,			/* end - N of "probe of ... after N usecs" */
	FROM_TRACE,			/* a trace's start event: kept */
};

struct bg_attempt {
	struct bg_dev *dev;
	bg_time park, queue, start, end;
	uint8_t start_from;		/* enum bg_from */
	long long cookie;		/* -1: unknown */
	int pid;			/* -1: unknown */
	int ret;
	uint8_t seen_start;		/* sources that reported queue/start */
	uint8_t seen_end;		/* sources that reported the end */
	bool crit;			/* on the critical chain */
	int rank;			/* position by end time, -1: open */
	struct bg_attempt *parent;	/* the probe this one ran inside */
	struct bg_attempt *inside;	/* chain: pred found through this one */
	uint8_t why;			/* chain: enum bg_why of the link below */
	bg_time child_time;		/* of the probes that ran inside it */
	int nchild;
	const char *file;		/* where it was first seen */
	unsigned long line;
};

struct bg_dev {
	const char *name, *bus, *drv, *reason;
	const char *hint_first, *hint_last;	/* from "word DEV: msg" */
	const char *hint_alt;		/* the last word not hint_first */
	const char *hint_drv;		/* "DRV CLASSDEV: pci function DEV" */
	const char *parent;		/* named by the log: "scsi host2: usb-storage IF" */
	const char *added_by;		/* "scsi host0: ahci": the driver adding it */
	bg_time added_ts;		/* when that was printed */
	const char **deps;
	int ndeps, deps_cap;
	struct bg_attempt *att;
	int natt, att_cap;
	int cursor[SRC_NR];
	bg_time defer_ts;		/* deferral reported (no attempt) */
	enum bg_state state;
	int order;			/* creation order, for stable sorting */
	bool probed;			/* seen in a probe event */
	bool crit;
};

/* An initcall, or a function run by the async machinery. */
struct bg_call {
	const char *func;
	bg_time queue, start, end;
	long long cookie;
	int pid, ret;
	bool kernel_dur;		/* duration from "after N usecs" */
	const char *file;		/* where it was first seen */
	unsigned long line;
};

struct bg_callset {
	struct bg_call *v;
	int n, cap;
	struct strmap open;		/* key -> index + 1 of the open call */
};

enum bg_mark {
	MARK_FREE_INIT,			/* Freeing unused kernel image/memory */
	MARK_INIT,			/* Run /init as init process */
	MARK_NR,
};

struct bg_marker {
	bg_time ts;
	const char *label;
};

extern const char *const bg_mark_name[MARK_NR];

/* Framings seen, reported in summary and json. */
enum bg_framing {
	FR_PRINTK,			/* [    1.234567] msg */
	FR_PRINTK_LEVEL,		/* <6>[    1.234567] msg */
	FR_CALLER,			/* [    1.234567][    T1] msg */
	FR_KMSG,			/* 6,123,1234567,-;msg */
	FR_JOURNAL,			/* [    1.234567] host kernel: msg */
	FR_FTRACE,			/* comm-pid [cpu] flags ts: event: ... */
	FR_TRACEDAT,			/* trace.dat through libtracecmd */
	FR_DMESG_X,			/* kern  :info  : [    1.234567] msg */
	FR_NR,
};

extern const char *const bg_framing_name[FR_NR];

struct bg_stats {
	bg_time probe_start, probe_end;	/* first start, last end */
	bg_time log_end;		/* last timestamp read */
	bg_time view_end;		/* end of the last thing drawn */
	bg_time serial;			/* sum of probe durations */
	bg_time crit_busy;		/* sum of durations on the chain */
	bg_time crit_start;		/* start of the first chain link */
	bg_time init_sum;		/* sum of initcall durations */
	int ndev, nattempts, ninitcalls;
	int nstate[ST_NR];
};

/* Records of the files read so far: hash -> the file it was read from. */
struct bg_seen {
	uint64_t *key;			/* 0: a free slot */
	int *file;
	size_t cap, n;
};

/* The boots of the input, and the records read twice (input.c). */
struct bg_boots {
	struct bg_seen seen;		/* only when there are several files */
	int file;			/* index of the file being read */
	int n;				/* boots begun so far */
	int want;			/* --boot N; 0: the last */
	bg_time ts_max;			/* highest printk time of this boot */
	const char *start_file;		/* where the boot used began */
	unsigned long start_line;
	long long dups;			/* records skipped: read before */
};

struct bg_model {
	struct arena arena;
	struct strmap devmap;		/* name -> struct bg_dev * */
	struct bg_dev *last_dev;	/* get_dev()'s last answer */
	struct strmap strs;		/* interned strings */
	struct bg_dev **devs;		/* every device, creation order */
	int ndevs, devs_cap, nhints;
	struct bg_callset initcalls, asyncs;
	int initcall_framing;		/* -1 none, else framing kind used */
	struct bg_marker mark[MARK_NR];
	unsigned int framings;		/* 1 << enum bg_framing */
	bg_time last_ts;
	bool trace_unaligned;
	bool clock_coarse;		/* ktime_get() still counts jiffies */
	struct bg_boots boots;		/* kept by bg_model_reset() */
	const char *last_file;		/* for messages about the whole input */
	unsigned long last_line;
	const char *plan[2];		/* the kernel's "async_probe: plan:" lines */

	/* filled by bg_analyze() */
	struct bg_dev **shown;		/* probed devices, by first start */
	int nshown;
	struct bg_attempt **chain;	/* critical chain, first link first */
	int nchain;
	bool chain_cut;			/* an earlier probe, but no evidence */
	struct bg_stats st;
};

void bg_model_init(struct bg_model *m);
void bg_model_free(struct bg_model *m);
void bg_model_reset(struct bg_model *m);
const char *bg_intern(struct bg_model *m, const char *s, size_t len);

/* One parsed event, handed from the parsers to the model. */
enum bg_ev_type {
	EV_CALL_START,
	EV_CALL_END,
	EV_PARK,
	EV_QUEUE,
	EV_START,
	EV_END,
	EV_DEFER,
	EV_DEFER_PENDING,
	EV_HINT,
	EV_ASYNC_QUEUE,
	EV_ASYNC_RUN,
	EV_ASYNC_FINISH,
	EV_ASYNC_WAIT,
	EV_ASYNC_CONT,
	EV_MARK,
	EV_BOOT,			/* "Linux version ..." */
	EV_CLOCK,			/* "clocksource: Switched to ..." */
};

struct bg_ev {
	enum bg_ev_type type;
	enum bg_src src;
	enum bg_framing framing;
	bg_time ts;
	const char *dev, *bus, *drv, *func, *deps, *reason, *label;
	long long cookie, usecs;
	int pid, ret, mark;
};

void bg_ev_init(struct bg_ev *ev, enum bg_ev_type type, bg_time ts);
void bg_model_event(struct bg_model *m, struct bg_loc *loc,
		    const struct bg_ev *ev);

/* analyze.c */
void bg_analyze(struct bg_model *m);
void bg_critical_chain(struct bg_model *m, struct bg_attempt *target);
bg_time bg_call_len(const struct bg_call *c);	/* -1: unfinished */
bool bg_is_wait(const struct bg_call *c);		/* async_synchronize* */
bool bg_is_framework_call(const struct bg_call *c);	/* ap_probe_fn... */
const struct bg_call *bg_longest_wait(const struct bg_model *m, bg_time t0,
				      bg_time t1);
struct bg_attempt *bg_last_probe_in(const struct bg_model *m, bg_time t0,
				    bg_time t1);
struct bg_attempt *bg_longest_probe_in(const struct bg_model *m,
				       const struct bg_call *c);
const struct bg_call *bg_pid1_longest(const struct bg_model *m, bg_time t);
struct bg_attempt *bg_call_waited_for(const struct bg_model *m,
				      const struct bg_call *c);
bool bg_ret_deferred(int ret);		/* -517, or 517 as 6.12 prints it */
bg_time bg_att_len(const struct bg_attempt *a);
bg_time bg_dev_time(const struct bg_dev *d);	/* sum of attempt lengths */
bg_time bg_att_self(const struct bg_attempt *a);	/* less nested probes */
bg_time bg_dev_self(const struct bg_dev *d);
int bg_dev_nchild(const struct bg_dev *d);
const struct bg_attempt *bg_dev_last(const struct bg_dev *d);
bg_time bg_vis_end(const struct bg_model *m, const struct bg_attempt *a);
bg_time bg_first_ts(const struct bg_attempt *a);

/* ------------------------------------------------------------------ */
/* input.c, parse.c, ftrace.c, tracedat.c */

struct bg_input_opts {
	const char *trace_clock;	/* NULL: local */
	int boot;			/* --boot N; 0: the last */
};

/* Read files into m; returns 0, or 1 when a file could not be read. */
int bg_load(struct bg_model *m, char *const *files, int nfiles,
	    const struct bg_input_opts *o);
void bg_parse_msg(struct bg_model *m, struct bg_loc *loc, bg_time ts,
		  enum bg_framing fr, int pid, char *msg);
bool bg_parse_ftrace(struct bg_model *m, struct bg_loc *loc, char *line);
void bg_trace_event(struct bg_model *m, struct bg_loc *loc, bg_time ts,
		    int pid, const char *name, char *info,
		    enum bg_framing fr);
bool bg_parse_ts(const char **pp, bg_time *ts);
bool bg_ap_event(struct bg_model *m, struct bg_loc *loc, struct bg_ev *ev,
		 const char *name, char *kv);
void bg_strip_offset(char *sym);
bool bg_parse_kv(char *s, struct bg_ev *ev);
int bg_tracedat_read(struct bg_model *m, struct bg_loc *loc, const char *path);
bool bg_is_tracedat(const unsigned char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* bootgraph.c: options shared by the commands */

struct bg_common {
	const char *output;
	struct bg_input_opts in;
};

/* The short options of the common ones; bg_getopt() adds the long ones. */
#define BG_COMMON_SHORTOPTS	"ho:q"

#define BG_COMMON_HELP							\
	"  -o, --output FILE     write to FILE instead of stdout",	\
	"  -q, --quiet           no warnings about the input",		\
	"      --trace-clock CLK clock of ftrace input (default local)",	\
	"      --boot N          of several boots in the input, the Nth",	\
	"                        (default: the last)",			\
	"  -h, --help            this help"

struct option;

/* getopt_long() with the common long options ahead of opts. */
int bg_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *opts);

/* Returns true when c was a common option; exits for -h. */
bool bg_common_opt(struct bg_common *c, int opt, const char *arg,
		   const char *const *usage);
void bg_usage(const char *const *usage, int status);
int bg_run_model(const struct bg_common *c, char *const *files, int nfiles,
		 int (*out)(FILE *f, struct bg_model *m, const void *p),
		 const void *p);
long long bg_arg_num(const char *arg, const char *what);
bg_time bg_arg_ms(const char *arg);

int cmd_summary(int argc, char **argv);
int cmd_blame(int argc, char **argv);
int cmd_critical_chain(int argc, char **argv);
int cmd_svg(int argc, char **argv);
int cmd_html(int argc, char **argv);
int cmd_json(int argc, char **argv);
int cmd_csv(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_plan(int argc, char **argv);
/*
 * plan.c: summary --plan.  bg_plan_read() reads the plan at @path (NULL,
 * with the reason printed, if it cannot); bg_plan_use() prints how the
 * boot of @m used it, once per plan read (it marks the entries it saw).
 */
struct bg_plan;
struct bg_plan *bg_plan_read(const char *path);
void bg_plan_use(FILE *f, const struct bg_model *m, struct bg_plan *p);
void bg_plan_free(struct bg_plan *p);

/* stats.c: over several boots */
void bg_sort_doubles(double *v, int n);
double bg_quantile(const double *v, int n, double q);	/* v sorted */
double bg_mann_whitney(const double *a, int m, const double *b, int n,
		       bool *exact);
double bg_mw_min_p(int m, int n);	/* smallest two-sided p; 0: unknown */

/* boots.c: one sample per boot, for diff and summary over several */
enum bg_metric {
	BM_PROBE_END,
	BM_PHASE,
	BM_SERIAL,
	BM_CRIT,
	BM_INIT,
	BM_BOUND,			/* a count, not a time */
	BM_NR,
};

extern const char *const bg_metric_name[BM_NR];

/* The samples of one thing: a device, an initcall or a boot total. */
struct bg_item {
	const char *name, *drv;
	double *v[2];			/* per side, one per boot */
	int n[2], cap[2];
	int boot[2];			/* the boot of the last sample */
};

struct bg_itemset {
	struct strmap map;		/* name -> index + 1 */
	struct bg_item *v;
	int n, cap;
};

struct bg_sampled {
	struct arena arena;
	struct bg_itemset dev, call, metric;	/* metric: by enum bg_metric */
	int boots[2];
};

int bg_sampled_load(struct bg_sampled *b, int side, char *file,
		    const struct bg_input_opts *in);
void bg_sampled_sort(struct bg_sampled *b);
void bg_sampled_free(struct bg_sampled *b);
double bg_item_median(const struct bg_item *it, int side);	/* sorted */
double bg_item_iqr(const struct bg_item *it, int side);

/* blame.c, shared with summary */
struct bg_dev **bg_blame_order(const struct bg_model *m, bool inclusive);
void bg_blame_line(FILE *f, const struct bg_dev *d, bool inclusive);

/* What the html page draws first: the overview past overview_at devices. */
struct bg_html_view {
	long long overview_at;		/* -1: never */
	long long top;
	bg_time fast;
};

int bg_write_html_data(FILE *f, struct bg_model *m,
		       const struct bg_html_view *v);

/* Shared by svg and html: the row layout of the timeline. */
enum bg_group { GROUP_BUS, GROUP_DRIVER, GROUP_NONE };

struct bg_row {
	const char *label;		/* group header when dev == NULL */
	struct bg_dev *dev;
	const char *group;
};

int bg_layout_rows(struct bg_model *m, enum bg_group g, struct bg_row **rows);
const char *bg_dev_group(const struct bg_dev *d, enum bg_group g);
int bg_parse_group(const char *arg);

/* overview.c: large boots on one screen */
#define BG_OV_AT	300		/* overview past this many devices */
#define BG_OV_TOP	20		/* slowest devices drawn on their own */
#define BG_OV_FAST	1000		/* usecs of self time: a fast probe */
#define BG_OV_MAX_GROUPS 40		/* the rest share the last group row */

struct bg_ovgroup {
	const char *name;
	bg_time start, end;		/* first event .. last drawn end */
	bg_time self;			/* sum of self times */
	int count, nfast;		/* devices, of them fast */
	int first;			/* index in m->shown of its first */
};

struct bg_overview {
	struct bg_dev **top;		/* by self time, slowest first */
	int ntop;
	struct bg_ovgroup *groups;	/* by self time, largest first */
	int ngroups;
	int nmerged;			/* > 0: the last row holds that many */
	bg_time fast;
};

void bg_overview(struct bg_model *m, enum bg_group g, int top, bg_time fast,
		 struct bg_overview *ov);
void bg_overview_free(struct bg_overview *ov);

#endif /* _BOOTGRAPH_H */
