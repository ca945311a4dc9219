// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph - per-device probe timelines from kernel boot logs
 *
 * The dispatcher: "bootgraph COMMAND [options] FILE...", with summary as
 * the command when none is given.  Each command lives in its own file
 * with its own usage and options.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootgraph.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "summary",	    cmd_summary,	"one screen of boot probe statistics" },
	{ "blame",	    cmd_blame,		"probes, slowest first" },
	{ "critical-chain", cmd_critical_chain, "the probes that decided when probing ended" },
	{ "svg",	    cmd_svg,		"timeline as an SVG image" },
	{ "html",	    cmd_html,		"interactive timeline, one self-contained page" },
	{ "json",	    cmd_json,		"everything, as JSON" },
	{ "csv",	    cmd_csv,		"one row per probe attempt and initcall" },
	{ "trace",	    cmd_trace,		"Chrome trace-event JSON (Perfetto, chrome://tracing)" },
	{ "diff",	    cmd_diff,		"compare boots: A... -- B..." },
	{ "plan",	    cmd_plan,		"a probe plan for async_probe.plan=replay" },
};

#define NR_COMMANDS	ARRAY_SIZE(commands)

static void main_usage(int status)
{
	FILE *f = status ? stderr : stdout;
	size_t i;

	fprintf(f, "bootgraph version " BG_VERSION "\n\n"
		"  usage: bootgraph [COMMAND] [options] [FILE...]\n\n"
		"  Reads kernel boot logs (console, dmesg -r, /dev/kmsg, journalctl -k\n"
		"  -o short-monotonic) and ftrace text; FILE \"-\" or none: stdin.\n\n"
		"  commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "     %-15s - %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n"
		"  Without a command: summary.  \"bootgraph COMMAND --help\" for options.\n");
	exit(status);
}

static int run_command(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(argc, argv);
	return -1;
}

int main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : NULL;
	int ret;

	if (a && (!strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help")))
		main_usage(0);
	if (a && (!strcmp(a, "--version") || !strcmp(a, "-V"))) {
		printf("bootgraph version " BG_VERSION "\n");
		return 0;
	}
	if (a) {
		ret = run_command(argc - 1, argv + 1);
		if (ret >= 0)
			return ret;
		if (a[0] != '-' && !strchr(a, '/') && access(a, F_OK)) {
			bg_err("'%s' is neither a command nor a file", a);
			main_usage(1);
		}
	}
	return cmd_summary(argc, argv);	/* the default command */
}
