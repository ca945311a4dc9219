#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The project's documentation builds without warnings:
#   - the project's page of the driver-api book, with Debian's Sphinx and
#     the kernel's Documentation/conf.py (what make htmldocs uses) but the
#     rest of the book left out (scripts/sphinx-one-page.py): no warning
#     about the page or the sources it pulls kernel-doc from;
#   - the bootgraph man page as standalone reStructuredText (docutils).
# One "PASS|FAIL name" line each; the logs are in out/.
set -u
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/deps.sh" docs >&2 || { echo "FAIL docs.(sphinx not installed)"; exit 0; }
log=$OUT/htmldocs-driver-api.log
obj=$BUILD/obj/docs-page
# The version the page names, from the kernel tree's Makefile (what
# make htmldocs passes): 6.12 and 6.12.117.
kv=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' "$KSRC/Makefile" | paste -sd.)
rm -rf "$obj"
mkdir -p "$obj"
if (cd "$KSRC/Documentation" &&
    DOCS_SRC=$KSRC/Documentation/driver-api DOCS_PAGE=async_probe \
    SPHINX_CONF=$TOP/scripts/sphinx-one-page.py BUILDDIR=$obj srctree=$KSRC \
    sphinx-build -b html -c . -d "$obj/.doctrees" -D version="${kv%.*}" -D release="$kv" \
	-q driver-api "$obj/html") >"$log" 2>&1 && [ -s "$obj/html/async_probe.html" ]; then
	# kernel-doc's warnings are lower case; graphviz is not installed
	# (the page has no graph).
	mine=$(grep -iE 'warning|error' "$log" | grep -v 'dot(1) not found' || true)
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
