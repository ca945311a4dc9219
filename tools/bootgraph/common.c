// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph command helpers: the options every command takes, usage
 * text, and running a command's output over the model of its input.
 */
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

void bg_usage(const char *const *usage, int status)
{
	FILE *f = status ? stderr : stdout;
	int i;

	for (i = 0; usage[i]; i++)
		fprintf(f, "%s\n", usage[i]);
	exit(status);
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
			fprintf(stderr, "%s:%lu: no probe or initcall events found\n",
				m.last_file, m.last_line);
		ret = 2;
	}
	bg_model_free(&m);
	return ret;
}
