// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph html: one self-contained page (no network resources) with
 * the json document, the timeline style and the script that draws it
 * (html/bootgraph.js): zoom, pan, search and details on click.  The data
 * is the compact "bootgraph-html-1" form of the json document (json.c);
 * the script draws only the rows on screen, so that a page of 50,000
 * devices scrolls as one of 50, and past --overview-at devices it opens
 * on the overview (overview.c), whose groups expand on a click.
 */
#include <getopt.h>

#include "bootgraph.h"
#include "bootgraph_js.h"
#include "page_css.h"
#include "timeline_css.h"

struct html_params {
	struct bg_common c;
	struct bg_html_view v;
};

static const char *const html_usage[] = {
	"",
	"  usage: bootgraph html [options] [FILE...]",
	"",
	"  Interactive timeline in a single page: ctrl+wheel or +/- to zoom,",
	"  drag to pan, type to search devices, click a bar for details.",
	"",
	"      --overview-at N   past N devices (default 300), open on the",
	"                        overview: the slowest devices, then one row",
	"                        per group, expanded by a click",
	"      --full            open on one row per device, however many",
	"      --top N           overview: devices drawn on their own (default 20)",
	"      --fast MS         overview: self time of a fast probe, folded",
	"                        (default 1)",
	BG_COMMON_HELP,
	NULL,
};

static const char html_body[] =
	"<header><b>bootgraph</b><span id=\"sum\"></span>\n"
	"<input id=\"search\" type=\"search\" placeholder=\"search device, driver, bus\">\n"
	"<span id=\"hits\"></span>\n"
	"<label>group <select id=\"group\">\n"
	"<option>bus</option><option>driver</option><option>none</option></select></label>\n"
	"<label><input id=\"overview\" type=\"checkbox\"> overview</label>\n"
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
	const struct html_params *hp = p;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>bootgraph</title>\n<style>\n%s%s</style></head>\n<body>\n"
		"%s<script type=\"application/json\" id=\"bgdata\">\n",
		bg_page_css, bg_timeline_css, html_body);
	bg_write_html_data(f, m, &hp->v);
	fprintf(f, "</script>\n<script>\n%s</script>\n</body></html>\n",
		bg_bootgraph_js);
	return 0;
}

int cmd_html(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "overview-at",  required_argument, NULL, 0x203 },
		{ "full",	  no_argument,	     NULL, 0x204 },
		{ "top",	  required_argument, NULL, 0x205 },
		{ "fast",	  required_argument, NULL, 0x206 },
		{ NULL, 0, NULL, 0 },
	};
	struct html_params p = { .v = { .overview_at = BG_OV_AT,
					.top = BG_OV_TOP, .fast = BG_OV_FAST } };
	int c;

	while ((c = bg_getopt(argc, argv, BG_COMMON_SHORTOPTS, opts)) != -1) {
		if (bg_common_opt(&p.c, c, optarg, html_usage))
			continue;
		if (c == 0x203)
			p.v.overview_at = bg_arg_num(optarg, "overview-at");
		else if (c == 0x204)
			p.v.overview_at = -1;
		else if (c == 0x205)
			p.v.top = bg_arg_num(optarg, "top");
		else if (c == 0x206)
			p.v.fast = bg_arg_ms(optarg);
	}
	return bg_run_model(&p.c, argv + optind, argc - optind, html_out, &p);
}
