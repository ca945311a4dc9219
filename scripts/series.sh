#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The project as an upstream patch series (make series, make series-check).
#
# Usage: series.sh export   write out/series/*.patch: a git format-patch
#                           series against the pristine 6.12 tree, with a
#                           cover letter, and out/series/followups/*.patch:
#                           the patches for other subsystems that go on top
#                           (scripts/series.py says what goes where)
#        series.sh check    export, then apply the patches one by one with
#                           git am to the pristine tree (the export's
#                           worktree, checked out again) and, after
#                           each, build the directories it touches, run
#                           checkpatch --strict on it and kernel-doc -Wall
#                           on the C files it touches, and after each step
#                           of kernel/async.c run the async KUnit suite
#                           under UML; finally check that the series ends
#                           in the tree the tests ran on.
#                           One "PASS|FAIL series.NAME" line per check.
set -u
. "$(dirname "$0")/lib.sh"

SERIES=$OUT/series
WT=$BUILD/series		# worktree the series is committed in, then applied to
CK=$WT
OBJ=$BUILD/obj/series		# build directory for the per-patch builds
UML=$BUILD/obj/series-uml	# build directory of the async KUnit suite
# checkpatch runs scripts/spdxcheck.py with Debian's python3 (see style.sh).
export PATH=/usr/bin:$PATH

[ -d "$KSRC/.git" ] || die "no kernel tree: run 'scripts/tree.sh prepare' first"
g() { git -C "$KSRC" "$@"; }

fresh_worktree() {
	local wt=$1
	if [ -d "$wt" ]; then
		g worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
	fi
	g worktree prune
	g worktree add -q --detach "$wt" pristine
}

export_series() {
	local t0 tables ver
	t0=$(now)
	ver=$(ksrc_pkg_version)
	say "exporting the patch series against linux-source-6.12 $ver"
	fresh_worktree "$WT"
	tables=$BUILD/series-tables.md
	: >"$tables"
	for b in bench-real bench-sim bench-async; do
		[ -f "$OUT/$b.md" ] && { cat "$OUT/$b.md"; echo; } >>"$tables"
	done
	python3 "$TOP/scripts/series.py" export "$WT" "$SERIES" "$ver" "$tables" ||
		die "the series could not be exported"
	note "$(ls "$SERIES" | grep -c '\.patch$') files in out/series/ (cover letter included), $(ls "$SERIES/followups" | grep -c '\.patch$') in out/series/followups/, in $(elapsed "$t0")"
	(cd "$SERIES" && ls -- *.patch followups/*.patch) | sed 's/^/    /'
}

# checkpatch on one patch, with the file each report is about (checkpatch
# names only the patch's line): captured logs and other test data are
# exempt (tools/bootgraph/tests/, taken out of the patch first), so are
# the CHECKs justified for a file in scripts/checkpatch-justified, and the
# warnings it lists for the patches ("(message)": the commit message).
checkpatch_patch() {
	local p ignore=
	# The exempt files leave the patch first: checkpatch spends minutes
	# on megabytes of captured logs to say nothing that counts.
	p=$(mktemp)
	python3 -c '
import re, sys
text = open(sys.argv[1], errors="replace").read()
parts = re.split(r"(?m)^(?=diff --git )", text)
sys.stdout.write("".join(x for x in parts
                         if not x.startswith("diff --git a/tools/bootgraph/tests/")))
' "$1" >"$p"
	# A patch of test data only leaves its message: check that alone.
	grep -q '^diff --git ' "$p" || ignore=--ignore=NOT_UNIFIED_DIFF
	(cd "$KSRC" && perl scripts/checkpatch.pl --strict --terse --show-types \
		--no-summary ${ignore:-} "$p" 2>&1) | grep -E ': (ERROR|WARNING|CHECK):' |
		python3 -c '
import re, sys
patch, justified = sys.argv[1], sys.argv[2]
files, cur = {}, None
for n, line in enumerate(open(patch, errors="replace"), 1):
    if line.startswith("diff --git "):
        cur = line.split()[-1][2:]	# b/FILE: for the "new file" lines
    elif line.startswith("+++ b/"):
        cur = line[6:].strip()
    files[n] = cur
ok = set()
try:
    for line in open(justified):
        f = line.split()
        if len(f) >= 3 and not f[0].startswith("#"):
            ok.add((f[0], f[1]))
except OSError:
    pass
for line in sys.stdin:
    m = re.match(r"[^:]*:(\d+): (\w+):(\w+):", line)
    f = files.get(int(m.group(1))) if m else None
    # Justified: CHECKs, and the two warnings about the patch rather than
    # the code that the file names (see scripts/checkpatch-justified).
    if m and m.group(2) in ("CHECK", "WARNING") and (f or "(message)", m.group(3)) in ok:
        continue
    print("%s: %s" % (f or "(message)", line.rstrip()))
' "$p" "$TOP/scripts/checkpatch-justified"
	rm -f "$p"
}

# checkpatch of each patch in DIR/NAME (the result lines) and DIR/NAME.err
# (what it found): it reads the patch files alone, so it runs beside the
# steps that apply and build them, on the core the builds leave idle.
checkpatch_all() {
	local dir=$1 p name out
	shift
	for p in "$@"; do
		name=$(step_name "$p")
		[ "${name%%-*}" = 0000 ] && continue
		out=$(checkpatch_patch "$p")
		if [ -z "$out" ]; then
			echo "PASS series.$name.checkpatch"
		else
			printf '%s\n' "$out" | sed 's/^/      /' >"$dir/$name.err"
			echo "FAIL series.$name.checkpatch"
		fi >"$dir/$name"
	done
}

step_name() {
	local name
	name=$(basename "$1" .patch)
	case $1 in */followups/*) name=followup-$name ;; esac
	echo "$name"
}

check_series() {
	local p name out i=0 dirs t0 log=$OUT/series-check.log cpdir cppid
	local -a patches applied=()
	t0=$(now)
	export_series >&2
	patches=("$SERIES"/[0-9][0-9][0-9][0-9]-*.patch "$SERIES"/followups/[0-9][0-9][0-9][0-9]-*.patch)
	cpdir=$(mktemp -d)
	checkpatch_all "$cpdir" "${patches[@]}" &
	cppid=$!
	say "applying the series to a fresh tree and building each patch" >&2
	# The tree the series was just committed in, back at pristine: the
	# same as a fresh checkout, without writing the whole tree again.
	git -C "$CK" checkout -q --detach pristine && git -C "$CK" clean -q -f -d -x ||
		die "could not take $CK back to pristine"
	mkdir -p "$OBJ"
	: >"$log"
	# The test kernel's configuration plus the benchmark's drivers, so
	# that every file a patch touches is compiled.
	cat "$TOP"/configs/{base,debug,project,project-test,bench}.config |
		grep '^CONFIG_' | sed 's/^\(CONFIG_[A-Za-z0-9_]*\)=n$/# \1 is not set/' >"$OBJ/fragments"
	mapfile -t dirs < <(python3 "$TOP/scripts/series.py" builds)
	mapfile -t kunit < <(python3 "$TOP/scripts/series.py" kunit)
	# The core series, then the follow-ups for other subsystems, in the
	# order scripts/series.py builds lists them.
	for p in "${patches[@]}"; do
		name=$(step_name "$p")
		[ "${name%%-*}" = 0000 ] && continue
		if ! git -C "$CK" am -q --keep-cr "$p" >>"$log" 2>&1; then
			git -C "$CK" am --abort >/dev/null 2>&1
			echo "FAIL series.$name.applies"
			break
		fi
		echo "PASS series.$name.applies"
		applied+=("$name")
		kerneldoc_step "$name"
		build_step "$name" "${dirs[$i]}"
		[ "${kunit[$i]}" = async ] && kunit_step "$name"
		i=$((i + 1))
	done
	# checkpatch's results, for the patches that applied, in their order.
	wait "$cppid"
	for name in "${applied[@]}"; do
		[ -f "$cpdir/$name.err" ] && cat "$cpdir/$name.err" >&2
		cat "$cpdir/$name" 2>/dev/null || echo "FAIL series.$name.checkpatch (no result)"
	done
	rm -rf "$cpdir"
	# The last patch leaves the tree the test kernel was built from.  Only
	# a file that differs from pristine in one of the two trees can differ
	# between them: those are compared (the tested tree's changed and laid
	# files, and every file the series touches; a project file that is not
	# laid over the kernel tree, like tools/bootgraph/, is compared with
	# the project's copy).  MAINTAINERS: the series adds the entry; the
	# harness's own benchmark module is not part of it.
	out=$(python3 - "$KSRC" "$CK" "$TOP" "$BUILD/.overlay-files" <<'PY'
import filecmp, os, re, subprocess, sys
ksrc, ck, top, laid = sys.argv[1:]
def changed(tree, *rev):
    return subprocess.run(["git", "-C", tree, "diff", "--name-only", *rev],
                          capture_output=True, text=True, check=True).stdout.split()
names = set(changed(ksrc, "pristine")) | set(changed(ck, "pristine", "HEAD"))
if os.path.exists(laid):
    names |= set(open(laid).read().split())
for f in sorted(names):
    if re.match(r"MAINTAINERS$|tools/testing/async_bench/", f):
        continue
    a = os.path.join(ksrc, f)
    if not os.path.lexists(a):
        a = os.path.join(top, f)
    b = os.path.join(ck, f)
    if os.path.isdir(a):
        continue
    ea, eb = os.path.exists(a), os.path.exists(b)
    if (ea or eb) and not (ea and eb and filecmp.cmp(a, b, shallow=False)):
        print(f)
PY
)
	if [ -z "$out" ]; then
		echo "PASS series.final_tree_is_the_tested_tree"
	else
		printf '      differs: %s\n' $out >&2
		echo "FAIL series.final_tree_is_the_tested_tree"
	fi
	# Without CONFIG_ASYNC_PROBE the hooks are empty inlines and the
	# opt-in drivers' PROBE_ASYNC_WITH_FRAMEWORK is the default strategy:
	# the driver core and those drivers must build that way too (in a
	# build directory of its own, not to rebuild the steps' next time).
	sed -e 's/^CONFIG_ASYNC_PROBE=y$/# CONFIG_ASYNC_PROBE is not set/' \
		-e '/^CONFIG_ASYNC_PROBE_/d' "$OBJ/fragments" >"$OBJ/fragments-off"
	FRAGS=$OBJ/fragments-off OBJ=$OBJ-off build_step config-off \
		"drivers/base/ drivers/block/virtio_blk.o drivers/ata/ahci.o drivers/net/virtio_net.o drivers/net/ethernet/intel/e1000e/netdev.o"
	note "series checked in $(elapsed "$t0")" >&2
}

export KBUILD_BUILD_USER=harness KBUILD_BUILD_HOST=async-probe
kmake() {
	make -s -C "$CK" O="$OBJ" ARCH=x86_64 CC="ccache gcc" LOCALVERSION= "$@"
}

# build_step NAME "DIR/ ...": configure for the tree as it is now (options
# appear as the patches add them), then compile the objects in DIRs (or
# single objects).  OBJ and FRAGS (default: OBJ/fragments) may be set for
# the call.
build_step() {
	local name=$1 dirs=$2 t0
	[ "$dirs" = - ] && return 0
	t0=$(now)
	mkdir -p "$OBJ"
	if ! {
		kmake KCONFIG_ALLCONFIG="${FRAGS:-$OBJ/fragments}" allnoconfig &&
		kmake -j"$JOBS" $dirs
	} >>"$log" 2>&1; then
		echo "FAIL series.$name.builds"
		tail -20 "$log" | sed 's/^/      /' >&2
		return
	fi
	note "$name: built $dirs in $(elapsed "$t0")" >&2
	echo "PASS series.$name.builds"
}

# kerneldoc_step NAME: kernel-doc -Wall on the kernel C files the patch
# just applied touches: no warning that the file did not have before it
# (upstream files have warnings of their own; line numbers left out).
kerneldoc_step() {
	local name=$1 f files out="" before after
	mapfile -t files < <(git -C "$CK" diff --name-only --diff-filter=AM HEAD~1 HEAD |
		grep -E '\.[ch]$' | grep -v '^tools/')
	[ ${#files[@]} -eq 0 ] && return 0
	before=$(mktemp -d)
	for f in "${files[@]}"; do
		after=$(cd "$CK" && perl scripts/kernel-doc -Wall -none "$f" 2>&1 |
			sed 's/:[0-9]*: /: /' | sort)
		if git -C "$CK" cat-file -e "HEAD~1:$f" 2>/dev/null; then
			mkdir -p "$before/$(dirname "$f")"
			git -C "$CK" show "HEAD~1:$f" >"$before/$f"
			after=$(comm -13 <(cd "$before" && perl "$CK/scripts/kernel-doc" -Wall -none "$f" 2>&1 |
				sed 's/:[0-9]*: /: /' | sort) <(printf '%s\n' "$after"))
		fi
		[ -n "$after" ] && out+="$after"$'\n'
	done
	rm -rf "$before"
	if [ -z "$out" ]; then
		echo "PASS series.$name.kernel-doc"
	else
		printf '%s' "$out" | sed 's/^/      /' >&2
		echo "FAIL series.$name.kernel-doc"
	fi
}

# kunit_step NAME: the async KUnit suite, as the tree stands now, under
# UML with kunit.py (a build directory of its own, kept between steps and
# runs: a step recompiles what it changed).  Every test must pass or be
# skipped (the lockdep case, as UML's KUnit configuration has no lockdep).
kunit_step() {
	local name=$1 t0 klog=$UML/run.log summary
	t0=$(now)
	mkdir -p "$UML"
	# Without what UML and kunit.py turn on that the suite does not use
	# (virtio and PCI, io_uring, the block layer, input): a quarter fewer
	# objects, 2m44s instead of 4m00s for a cold build here.
	printf '%s\n' CONFIG_KUNIT=y CONFIG_ASYNC_KUNIT_TEST=y CONFIG_EXPERT=y \
		'# CONFIG_VIRTIO_UML is not set' '# CONFIG_UML_PCI_OVER_VIRTIO is not set' \
		'# CONFIG_IO_URING is not set' '# CONFIG_BLOCK is not set' \
		'# CONFIG_INPUT is not set' '# CONFIG_HID_SUPPORT is not set' >"$UML/kunitconfig"
	(cd "$CK" && python3 tools/testing/kunit/kunit.py run \
		--kunitconfig="$UML/kunitconfig" --build_dir="$UML" --jobs="$JOBS" \
		--timeout=300 --make_options CC="ccache gcc") >"$klog" 2>&1
	summary=$(sed -n 's/.*Testing complete\. \(Ran .*\)/\1/p' "$klog" | tail -1)
	cat "$klog" >>"$log"
	if [ -n "$summary" ] && ! grep -q -E 'failed: [1-9]|crashed: [1-9]|errors: [1-9]' <<<"$summary" &&
	   grep -q -E 'passed: [1-9]' <<<"$summary"; then
		note "$name: async KUnit suite under UML: $summary, in $(elapsed "$t0")" >&2
		echo "PASS series.$name.kunit"
	else
		grep -E '\[(FAILED|CRASHED)\]|error:|Error' "$klog" | head -20 | sed 's/^/      /' >&2
		echo "FAIL series.$name.kunit (${summary:-no result})"
	fi
}

case ${1:-} in
export) export_series ;;
check) check_series ;;
checkpatch) shift; for p in "$@"; do checkpatch_patch "$p"; done ;;
*) die "usage: series.sh export|check|checkpatch PATCH..." ;;
esac
