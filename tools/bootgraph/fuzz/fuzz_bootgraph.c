// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for bootgraph: the first byte picks a command, the
 * rest is the input log, run through the command as the tool would.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bootgraph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* svg's overview, which a small input would not reach otherwise */
static int cmd_svg_overview(int argc, char **argv)
{
	char oa[] = "--overview-at=0", fast[] = "--fast=0.05";
	char *v[10] = { argv[0], oa, fast };
	int i;

	for (i = 1; i < argc && i < 7; i++)
		v[i + 2] = argv[i];
	return cmd_svg(i + 2, v);
}

/* cmd_diff last: it takes the input twice */
static int (*const cmds[])(int argc, char **argv) = {
	cmd_summary, cmd_blame, cmd_critical_chain, cmd_svg, cmd_html,
	cmd_json, cmd_csv, cmd_trace, cmd_svg_overview, cmd_diff,
};

#define NR_CMDS	ARRAY_SIZE(cmds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], name[] = "cmd", q[] = "-q", o[] = "-o", dn[] = "/dev/null";
	int fd, which;

	if (!size)
		return 0;
	which = data[0] % NR_CMDS;
	fd = memfd_create("bootgraph-fuzz", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
		/* not const: getopt_long() may permute it */
		char *argv[7] = { name, q, o, dn, path, path, NULL };

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		optind = 0;
		cmds[which](which == NR_CMDS - 1 ? 6 : 5, argv);
	}
	close(fd);
	return 0;
}
