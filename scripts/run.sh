#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: boot the lean kernel the way a user would, twice: the second
# time with the probe plan the first boot wrote (async_probe.plan=replay),
# and summarise the probe phase of both.  Probe lines go to the log buffer
# only (loglevel=5): the serial console prints synchronously and would
# serialise the probes.  Everything is kept in out/run/ and
# out/run-replay/: console.log, guest/dmesg.txt, the bound devices, the
# plan, and the bootgraph timeline of the first boot.
set -eu
. "$(dirname "$0")/lib.sh"

CMDLINE="initcall_debug loglevel=5 log_buf_len=8M ${CMDLINE:-}"

# side_by_side DMESG1 DMESG2: the lines of bootgraph's summary that say
# how the probe phase went, for both boots.
side_by_side() {
	local keys='^(Probe phase|Serial probe time|Parallelism|Critical path|Devices|Run init):'

	"$TOP/tools/bootgraph/bootgraph" summary "$1" | grep -E "$keys" >"$OUT/run/summary.a"
	"$TOP/tools/bootgraph/bootgraph" summary "$2" | grep -E "$keys" >"$OUT/run/summary.b"
	# Values in short (the counts of devices that are 0 left out), never
	# cut: a long one pushes its neighbour right rather than lose its end.
	awk 'function val(l) {
		sub(/^[^:]*: */, "", l)
		sub(/ from its first start to the end$/, " start to end", l)
		gsub(/, 0 [a-z ]+/, "", l)
		return l
	}
	FNR == NR { k[FNR] = $0; sub(/:.*/, "", k[FNR]); a[FNR] = val($0); n = FNR; next }
	{ b[FNR] = val($0) }
	END {
		printf "%-18s %-46s %s\n", "", "first boot", "with its plan"
		for (i = 1; i <= n; i++)
			printf "%-18s %-46s %s\n", k[i] ":", a[i], b[i]
	}' "$OUT/run/summary.a" "$OUT/run/summary.b"
}
say "booting the lean kernel (out/run/console.log)"
"$TOP/scripts/boot.sh" -n run -s info -t 600 -c "$CMDLINE" lean ||
	die "the boot failed: see out/run/console.log"
python3 "$TOP/scripts/judge.py" "$OUT/run/console.log" || warn "the console shows problems (above)"

# The same boot with the plan the first one wrote.
replay=
plan=$OUT/run/guest/async_probe.plan
if [ -s "$plan" ]; then
	say "booting it again with the plan the first boot wrote (out/run-replay/console.log)"
	plan_initramfs "$plan" "$BUILD/initramfs/lean.cpio" "$BUILD/initramfs/lean-plan.cpio"
	if "$TOP/scripts/boot.sh" -n run-replay -s info -t 600 -I "$BUILD/initramfs/lean-plan.cpio" \
		-c "$CMDLINE async_probe.plan=replay" lean; then
		python3 "$TOP/scripts/judge.py" "$OUT/run-replay/console.log" ||
			warn "the console of the second boot shows problems (above)"
		replay=$OUT/run-replay/guest/dmesg.txt
	else
		warn "the boot with the plan failed: see out/run-replay/console.log"
	fi
else
	warn "the first boot wrote no plan (out/run/guest/async_probe.plan): one boot only"
fi

dmesg=$OUT/run/guest/dmesg.txt
[ -s "$dmesg" ] || die "the guest wrote no dmesg (out/run/guest/)"
say "summary"
note "kernel $(cat "$OUT/run/guest/kernelrelease"), booted in $(cat "$OUT/run/wall") s of QEMU (TCG) time"
note "$(wc -l <"$OUT/run/guest/bound.txt") devices bound: $(cut -d' ' -f2 "$OUT/run/guest/bound.txt" |
	sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')"
if [ -x "$TOP/tools/bootgraph/bootgraph" ]; then
	"$TOP/tools/bootgraph/bootgraph" summary "$dmesg" | sed 's/^/    /'
	"$TOP/tools/bootgraph/bootgraph" critical-chain "$dmesg" | sed 's/^/    /'
	"$TOP/tools/bootgraph/bootgraph" svg -o "$OUT/run/bootgraph.svg" "$dmesg" &&
		note "timeline: out/run/bootgraph.svg"
else
	# Until bootgraph is built: the upstream "probe of" lines, summed up.
	awk '
	/probe of .* returned .* after [0-9]+ usecs/ {
		ts = $0; sub(/^\[ */, "", ts); sub(/\].*/, "", ts)
		for (i = 1; i <= NF; i++) {
			if ($i == "of") dev = $(i + 1)
			if ($i == "returned") ret = $(i + 1)
			if ($i == "after") us = $(i + 1)
		}
		end = ts + 0; start = end - us / 1e6
		if (!n || start < first) first = start
		if (end > last) last = end
		n++; sum += us
		if (ret == -517) deferred++; else if (ret != 0) failed++
		slow[dev] = us
	}
	/Run \/init as init process/ { init = $0; sub(/^\[ */, "", init); sub(/\].*/, "", init) }
	END {
		if (!n) { print "    no probe lines (was initcall_debug set?)"; exit }
		printf "    %d probes (%d failed, %d deferred) from %.3f s to %.3f s: probe phase %.1f ms\n",
			n, failed, deferred, first, last, (last - first) * 1000
		printf "    serial sum of probe time %.1f ms; /init started at %.3f s\n", sum / 1000, init
		k = 0
		while (k < 5) {
			best = ""; for (d in slow) if (best == "" || slow[d] > slow[best]) best = d
			if (best == "") break
			printf "      %10.1f ms  %s\n", slow[best] / 1000, best; delete slow[best]; k++
		}
	}' "$dmesg"
fi
if [ -x "$TOP/tools/bootgraph/bootgraph" ] && [ -n "$replay" ] && [ -s "$replay" ]; then
	say "the two boots side by side: without a plan, and with the first boot's"
	side_by_side "$dmesg" "$replay" | sed 's/^/    /'
	grep -h "async_probe: plan:" "$replay" | sed 's/^\[[^]]*\] /    /'
	# What the second boot made of the plan, device by device.
	"$TOP/tools/bootgraph/bootgraph" summary --plan "$plan" "$replay" |
		sed -n '/^Plan replayed:/,/^$/p' | sed '/^$/d; s/^/    /'
fi
note "full console: out/run/console.log; kernel log: out/run/guest/dmesg.txt"
