#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The project's documentation builds without warnings:
#   - make htmldocs SPHINXDIRS=driver-api with Debian's Sphinx, warnings
#     about the project's page and the sources it pulls kernel-doc from;
#   - the bootgraph man page as standalone reStructuredText (docutils).
# One "PASS|FAIL name" line each; the logs are in out/.
set -u
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/deps.sh" docs >&2 || { echo "FAIL docs.(sphinx not installed)"; exit 0; }
log=$OUT/htmldocs-driver-api.log
mkdir -p "$BUILD/obj/docs"
if make -C "$KSRC" O="$BUILD/obj/docs" SPHINXDIRS=driver-api htmldocs >"$log" 2>&1; then
	mine=$(grep -E 'WARNING|ERROR' "$log" |
		grep -E 'async_probe|kernel/async\.c|linux/async\.h|trace/events/async' || true)
	if [ -z "$mine" ]; then
		echo "PASS docs.htmldocs-driver-api.async_probe"
	else
		printf '%s\n' "$mine" | sed 's/^/      /' >&2
		echo "FAIL docs.htmldocs-driver-api.async_probe"
	fi
else
	tail -20 "$log" | sed 's/^/      /' >&2
	echo "FAIL docs.htmldocs-driver-api (build failed, log: ${log#$TOP/})"
fi

for rst in $(git -C "$TOP" ls-files 'Documentation/bootgraph/*.rst'); do
	if /usr/bin/python3 -c 'import sys, docutils.core as d
d.publish_doctree(open(sys.argv[1]).read(), source_path=sys.argv[1],
		  settings_overrides={"halt_level": 2, "report_level": 2})' "$TOP/$rst" \
		>"$OUT/docutils.log" 2>&1; then
		echo "PASS docs.$rst"
	else
		sed 's/^/      /' "$OUT/docutils.log" >&2
		echo "FAIL docs.$rst"
	fi
done
