#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh BOOTGRAPH: the html page of a sample boot, of a log with a long
# tail, and of generated boots of 4,000 and 50,000 devices (scale-test.js,
# screenshots in tests/out/bootgraph-*.png) in headless Chromium driven by
# playwright-core
# (tests/browser/node_modules, from package-lock.json).  Prints TAP; fails
# when chromium, node or playwright-core cannot be had (scripts/deps.sh
# browser installs the first two).
# The screenshot goes to $SHOT (default <repo>/out/bootgraph-html.png).

set -u
BG=$(realpath "$1")
cd "$(dirname "$0")" || exit 1
ROOT=$(git rev-parse --show-toplevel 2>/dev/null || realpath ../../../..)
SHOT=${SHOT:-$ROOT/out/bootgraph-html.png}

# No browser is a failure, not a skip: the page is what users open.
fail() {
	echo "TAP version 13"
	echo "1..1"
	echo "not ok 1 - html in headless chromium"
	echo "# $*"
	exit 1
}

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}	# to try the failure
[ -x "$CHROMIUM" ] || fail "$CHROMIUM not installed (apt-get install chromium)"
command -v node >/dev/null || fail "node not installed"
if [ ! -d node_modules/playwright-core ]; then
	command -v npm >/dev/null || fail "npm not installed"
	npm ci --no-audit --no-fund >npm.log 2>&1 ||
		fail "npm ci failed: $(tail -1 npm.log)"
fi
# Build the font cache first: a fresh machine would do it during the test.
command -v fc-cache >/dev/null && fc-cache >/dev/null 2>&1
mkdir -p ../out
"$BG" html -q -o ../out/browser.html ../samples/qemu-async.log || exit 1
# A log that goes on for seconds after its last probe and initcall.
{ cat ../samples/stock-initcall.log
  echo '[    4.100000] EXT4-fs (vda): re-mounted. Quota mode: none.'; } >../out/tail.log
"$BG" html -q -o ../out/browser-tail.html ../out/tail.log || exit 1
# Large boots (genlog.py): the pages and the svg overviews.
python3 ../genlog.py 25000 4000 >../out/d4k.log &&
	python3 ../genlog.py 310000 50000 >../out/d50k.log || exit 1
for n in d4k d50k; do
	"$BG" html -q -o ../out/$n.html ../out/$n.log &&
		"$BG" svg -q -o ../out/$n.svg ../out/$n.log || exit 1
done
# One TAP stream of both scripts, numbered through.
{ node html-test.js ../out/browser.html "$SHOT" ../out/browser-tail.html
  echo "rc $?"
  node scale-test.js ../out
  echo "rc $?"; } | awk '
	/^TAP version|^1\.\./ { next }
	/^rc / { rc += $2; next }
	/^(not )?ok [0-9]+/ { n++; sub(/ok [0-9]+/, "ok " n) }
	{ line[++nl] = $0 }
	END {
		print "TAP version 13"; print "1.." n
		for (i = 1; i <= nl; i++) print line[i]
		exit rc != 0
	}'
