// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph command helpers: the options every command takes, usage
 * text, and running a command's output over the model of its input.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

/* The long options every command takes, ahead of the command's own. */
static const struct option common_longopts[] = {
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "output",	 required_argument, NULL, 'o' },
	{ "quiet",	 no_argument,	    NULL, 'q' },
	{ "trace-clock", required_argument, NULL, 0x100 },
	{ "boot",	 required_argument, NULL, 0x101 },
};

#define MAX_LONGOPTS	16

/*
 * getopt_long() over the common long options and then the command's
 * opts, a list ending with a zeroed entry (NULL: none); shortopts has
 * the short options of both.
 */
int bg_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *opts)
{
	struct option all[MAX_LONGOPTS + 1];
	size_t n = ARRAY_SIZE(common_longopts);

	memcpy(all, common_longopts, sizeof(common_longopts));
	for (; opts && opts->name; opts++) {
		if (n == MAX_LONGOPTS)
			abort();	/* raise MAX_LONGOPTS */
		all[n++] = *opts;
	}
	memset(&all[n], 0, sizeof(all[n]));
	return getopt_long(argc, argv, shortopts, all, NULL);
}

void bg_usage(const char *const *usage, int status)
{
	FILE *f = status ? stderr : stdout;
	int i;

	for (i = 0; usage[i]; i++)
		fprintf(f, "%s\n", usage[i]);
	exit(status);
}

static int boot_arg(const char *arg)
{
	long long n = bg_arg_num(arg, "boot number");

	if (n < 1 || n > INT_MAX) {
		bg_err("bad boot number: '%s' (the first boot is 1)", arg);
		exit(1);
	}
	return (int)n;
}

bool bg_common_opt(struct bg_common *c, int opt, const char *arg,
		   const char *const *usage)
{
	switch (opt) {
	case 'h':
		bg_usage(usage, 0);
		return true;
	case 'o':
		c->output = arg;
		return true;
	case 'q':
		bg_quiet = 1;
		return true;
	case 0x100:
		c->in.trace_clock = arg;
		return true;
	case 0x101:
		c->in.boot = boot_arg(arg);
		return true;
	case '?':
		bg_usage(usage, 1);
		return true;
	}
	return false;
}

long long bg_arg_num(const char *arg, const char *what)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (end == arg || *end || v < 0) {
		bg_err("bad %s: '%s'", what, arg);
		exit(1);
	}
	return v;
}

/* A duration given in milliseconds, as usecs. */
bg_time bg_arg_ms(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0) || v > 1e9) {
		bg_err("bad time in milliseconds: '%s'", arg);
		exit(1);
	}
	return (bg_time)(v * 1e3 + 0.5);
}

/* Why nothing was found, and what to boot with to find something. */
static void no_events(const struct bg_model *m)
{
	const char *sep = "";
	int i;

	fprintf(stderr, "%s:%lu: no probe or initcall events found", m->last_file,
		m->last_line);
	if (!m->framings) {
		fputs(" and no line with a kernel timestamp: ", stderr);
		fputs("boot with printk.time=1 (and initcall_debug), ", stderr);
		fputs("or give the kernel's log ", stderr);
		fputs("(dmesg, journalctl -k -o short-monotonic, /dev/kmsg)\n", stderr);
		return;
	}
	fputs(" in the lines read (", stderr);
	for (i = 0; i < FR_NR; i++) {
		if (m->framings & (1u << i)) {
			fprintf(stderr, "%s%s", sep, bg_framing_name[i]);
			sep = ", ";
		}
	}
	fputs("): boot with initcall_debug, ", stderr);
	fputs("and ignore_loglevel (or loglevel=8) when the log is a console's, ", stderr);
	fputs("for the calling/initcall/\"probe of\" lines\n", stderr);
}

int bg_run_model(const struct bg_common *c, char *const *files, int nfiles,
		 int (*out)(FILE *f, struct bg_model *m, const void *p),
		 const void *p)
{
	struct bg_model m;
	int ret;
	FILE *f;

	bg_model_init(&m);
	ret = bg_load(&m, files, nfiles, &c->in);
	bg_analyze(&m);
	f = bg_open_output(c->output);
	if (!f) {
		ret = 1;
	} else {
		ret |= out(f, &m, p);
		ret |= bg_close_output(f, c->output);
	}
	if (!ret && !m.nshown && !m.initcalls.n) {
		if (!bg_quiet)
			no_events(&m);
		ret = 2;
	}
	bg_model_free(&m);
	return ret;
}
