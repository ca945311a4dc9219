#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make torture: boot the debug test kernel (lockdep, KASAN, kmemleak,
# DEBUG_OBJECTS) and run async_probe_torture with the userspace churn of
# tools/testing/selftests/async_probe/torture.sh beside it, then print one
# summary line.
#
# Usage: torture.sh [SECONDS [FAIL_ALLOC [FLAVOUR [PLAN]]]]
#   SECONDS     default 180
#   FAIL_ALLOC  1 (default): failslab and fail_page_alloc aimed at the
#               framework's call chains
#   FLAVOUR     test (default: KASAN) or kcsan (KCSAN instead; data-race
#               reports outside the project's code are filtered out)
#   PLAN        a probe plan the boot replays (async_probe.plan=replay),
#               e.g. out/main/guest/async_probe.plan; "stale": one made up
#               for the torture's own devices, each after up to three
#               random others (of any worker), so that its devices wait
#               for learned suppliers that are not theirs; default none
set -u
. "$(dirname "$0")/lib.sh"

secs=${1:-180}
fail_alloc=${2:-1}
flavour=${3:-test}
plan=${4:-}
case $flavour in test|kcsan) ;; *) die "FLAVOUR must be test or kcsan, not '$flavour'" ;; esac
case $secs in ''|*[!0-9]*|0) die "TORTURE_S must be a positive number of seconds, not '$secs'" ;; esac
case $fail_alloc in 0|1) ;; *) die "FAIL_ALLOC must be 0 or 1, not '$fail_alloc'" ;; esac

name=torture-${secs}s
[ "$flavour" = test ] || name=$name-$flavour
initrd=() replay=
if [ "$plan" = stale ]; then
	# Every device a torture worker can make: aptort<w>.<i>, 8 x 64.
	plan=$BUILD/torture-stale.plan
	python3 - "$plan" <<'PY'
import random, sys
rnd = random.Random(15)
devs = ["platform:aptort%d.%d" % (w, i) for w in range(8) for i in range(64)]
with open(sys.argv[1], "w") as f:
    f.write("# async_probe plan v1 devices=%d nomem=0\n" % len(devs))
    for d in devs:
        after = rnd.sample([x for x in devs if x != d], rnd.randint(0, 3))
        f.write("%s drv=%s ret=0 us=%d tries=%d defers=%d%s\n" % (
            d, d.split(":")[1].split(".")[0], rnd.randint(100, 5000),
            len(after) + 1, len(after), " after=" + ",".join(after) if after else ""))
PY
fi
if [ -n "$plan" ]; then
	[ -f "$plan" ] && [ -r "$plan" ] || die "PLAN: no readable file '$plan'"
	name=$name-plan
	initrd=(-I "$BUILD/initramfs/$flavour-torture-plan.cpio")
	plan_initramfs "$plan" "$BUILD/initramfs/$flavour.cpio" "${initrd[1]}"
	replay=async_probe.plan=replay
fi
run=$OUT/$name
say "torture: ${secs} s on the $flavour kernel (fault injection: $fail_alloc${plan:+, replaying $plan})"
"$TOP/scripts/boot.sh" -n "$name" -s kselftest -t $((secs + 400)) -S "${initrd[@]}" \
	-c "aptorture_s=$secs aptorture_fail_alloc=$fail_alloc $replay KSFT_TESTS=async_probe:torture.sh" "$flavour"
rc=$?
judge=pass
log=$run/console.log
if [ "$flavour" = kcsan ]; then
	# A KCSAN that is not enabled reports nothing: prove it watched.
	grep -q 'kcsan: enabled early' "$log" && grep -q 'kcsan: selftest: \([0-9]*\)/\1 tests passed' "$log" ||
		{ judge=FAIL; warn "KCSAN was not enabled, or its selftest failed (see $log)"; }
	note "$(python3 "$TOP/scripts/kcsan_filter.py" "$log" "$run/console.project.log")"
	log=$run/console.project.log
fi
python3 "$TOP/scripts/judge.py" "$log" >"$run/judge.txt" || judge=FAIL
[ "$judge" = pass ] || sed 's/^/    /' "$run/judge.txt"
python3 "$TOP/scripts/results.py" ktap "$run/guest/kselftest.tap" torture >"$run/results.txt" 2>/dev/null
grep -v '^PASS' "$run/results.txt" | sed 's/^/    /'
line=$(grep -o 'async_probe_torture: done.*' "$run/console.log" | tr -d '\r' | tail -n 1)
churn=$(grep -o 'churn: loads=.*' "$run/console.log" | tr -d '\r' | tail -n 1)
note "${line:-async_probe_torture: no result line}"
note "${churn:-churn: no result line}"
[ -n "$plan" ] && note "$(grep -o 'plan: matched=.*' "$run/console.log" | tr -d '\r' | tail -n 1)"
# One summary line: operations, faults, invariants checked, violations.
awk -v l="$line" -v c="$churn" -v j="$judge" -v rc="$rc" 'BEGIN {
	n = split(l " " c, f, /[ =]/)
	for (i = 1; i < n; i++) v[f[i]] = f[i + 1]
	ops = v["rounds"] + v["devices"] + v["probes"] + v["loads"] + v["unloads"] + v["rebinds"] + v["limits"]
	printf "torture: %d operations, %d faults injected (%d probe faults, %d allocation failures), %d invariants checked, %s violations, %d probes deferred on a device link, %d deferred devices attached by the checker (owed retries), %d left unbound by injected driver-core failures, %d stale parks recovered; console %s%s\n",
		ops, v["faults"] + v["alloc_failures"], v["faults"], v["alloc_failures"], v["checks"],
		(v["violations"] == "" ? "?" : v["violations"]), v["link_defers"], v["repairs"], v["excused"], v["stale_parks"], j,
		(rc == 0 ? "" : ", boot status " rc)
}'
[ "$rc" = 0 ] && [ "$judge" = pass ] && ! grep -q '^FAIL' "$run/results.txt" &&
	[[ "$line" == *" violations=0" ]]
