// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph html: one self-contained page (no network resources) with
 * the json document, the timeline style and the script that draws it
 * (html/bootgraph.js): zoom, pan, search and details on click.
 */
#include <getopt.h>

#include "bootgraph.h"
#include "bootgraph_js.h"
#include "page_css.h"
#include "timeline_css.h"

struct html_params {
	struct bg_common c;
};

static const char *const html_usage[] = {
	"",
	"  usage: bootgraph html [options] [FILE...]",
	"",
	"  Interactive timeline in a single page: ctrl+wheel or +/- to zoom,",
	"  drag to pan, type to search devices, click a bar for details.",
	"",
	BG_COMMON_HELP,
	NULL,
};

static const char html_body[] =
	"<header><b>bootgraph</b><span id=\"sum\"></span>\n"
	"<input id=\"search\" type=\"search\" placeholder=\"search device, driver, bus\">\n"
	"<span id=\"hits\"></span>\n"
	"<label>group <select id=\"group\">\n"
	"<option>bus</option><option>driver</option><option>none</option></select></label>\n"
	"<button id=\"zout\" title=\"zoom out\">&minus;</button>\n"
	"<span id=\"zoomlevel\"></span>\n"
	"<button id=\"zin\" title=\"zoom in\">+</button>\n"
	"<button id=\"zreset\">reset</button></header>\n"
	"<div id=\"scroll\">\n"
	"<div id=\"rows\"><svg id=\"lab\" xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"
	"<div id=\"view\"><svg id=\"tl\" xmlns=\"http://www.w3.org/2000/svg\"></svg></div>\n"
	"</div></div>\n"
	"<div id=\"details\">Click a bar for details.</div>\n";

static int html_out(FILE *f, struct bg_model *m, const void *p)
{
	(void)p;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>bootgraph</title>\n<style>\n%s%s</style></head>\n<body>\n"
		"%s<script type=\"application/json\" id=\"bgdata\">\n",
		bg_page_css, bg_timeline_css, html_body);
	bg_write_json(f, m, true);
	fprintf(f, "</script>\n<script>\n%s</script>\n</body></html>\n",
		bg_bootgraph_js);
	return 0;
}

int cmd_html(int argc, char **argv)
{
	struct html_params p = { 0 };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS, NULL)) != -1)
		bg_common_opt(&p.c, c, optarg, html_usage);
	return bg_run_model(&p.c, argv + optind, argc - optind, html_out, &p);
}
