# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the async_probe kselftests: run the simulator, read its
# result and the framework's counters.

AP_DBG=/sys/kernel/debug/async_probe
SIM_RESULT=/sys/kernel/debug/async_probe_sim/result
SIM_MOD=async_probe_sim

have_module() {
	grep -q "/$1.ko" "/lib/modules/$(uname -r)/modules.dep" 2>/dev/null
}

# The value of KEY in a key: value or key=value file.
kv() {
	sed -n "s/^$2[:=] *//p" "$1" | head -n 1
}

ap_stat() {
	kv "$AP_DBG/stats" "$1"
}

# sim_run ARGS...: load the simulator with ARGS (it returns once every
# device that can bind is bound) and keep its result in $SIM_OUT.
SIM_OUT=/tmp/sim.result
sim_run() {
	rmmod "$SIM_MOD" 2>/dev/null
	if ! modprobe "$SIM_MOD" "$@"; then
		ktap_print_msg "modprobe $SIM_MOD $* failed"
		: >"$SIM_OUT"
		return 1
	fi
	cp "$SIM_RESULT" "$SIM_OUT"
	ktap_print_msg "sim $*: $(tr '\n' ' ' <"$SIM_OUT")"
}

sim_unload() {
	rmmod "$SIM_MOD" 2>/dev/null
}

sim() {
	kv "$SIM_OUT" "$1"
}

# Every device that can bind did, and no probe started before a supplier.
sim_ok() {
	[ -s "$SIM_OUT" ] && [ "$(sim bound)" = "$(sim expected)" ] &&
		[ "$(sim violations)" = 0 ]
}

# The devices of the simulator bound to its driver (apsim, or $1),
# counted in sysfs.
sim_bound_in_sysfs() {
	local name=${1:-apsim}
	ls "/sys/bus/platform/drivers/$name" 2>/dev/null | grep -c "^$name\."
}

# The plan (debugfs async_probe/plan) records every attempt of every
# device, and for a device that deferred, the devices whose binding
# attempt overlaps the window of its last deferral and its success (in
# "after", or "maybe" when they were not running at the deferral): one of
# them must be a supplier it waited for.  A hidden-dependency storm,
# checked device by device against the simulator's own graph and counts;
# a device that never deferred names no candidate.
# plan_check N: the plan after a storm of N simulator devices.
plan_check() {
	local plan=/tmp/plan.txt graph=/tmp/sim.graph

	cat "$AP_DBG/plan" >"$plan" && cat /sys/kernel/debug/async_probe_sim/graph >"$graph" ||
		return 1
	head -n 1 "$plan" | grep -q '^# async_probe plan v1 devices=' || return 1
	awk -v n="$1" '
	FNR == NR {
		att[$1] = substr($2, 10)
		sup[$1] = $3 == "" ? "" : substr($3, 5)
		next
	}
	$1 ~ /^platform:apsim\.[0-9]+$/ {
		i = substr($1, 16); seen++
		for (f = 2; f <= NF; f++) {
			split($f, kv, "="); v[kv[1]] = kv[2]
		}
		if (v["drv"] != "apsim" || v["ret"] != 0 || v["tries"] != att[i] ||
		    v["defers"] != att[i] - 1) {
			print "plan: " $0 " (simulator: " att[i] " attempts)"; bad++
		}
		if (v["defers"] == 0 && "after" in v) {
			print "plan: candidates without a deferral: " $0; bad++
		}
		if (v["defers"] > 0) {
			hit = 0; m = split(sup[i], s, ",")
			c = "," v["after"] "," v["maybe"] ","
			for (j = 1; j <= m; j++)
				if (index(c, ",platform:apsim." s[j] ","))
					hit = 1
			if (!hit && c !~ /,\+[0-9]+,/) {
				print "plan: apsim." i " (suppliers " sup[i] ") after=" v["after"] \
				      " maybe=" v["maybe"]
				bad++
			}
			learned++; cands += split(v["after"], s, ",")
			if (learned <= 3)
				print "plan: " $0
		}
		delete v
	}
	END {
		printf "plan: %d devices, %d with candidates (%d in all), %d wrong\n",
		       seen, learned, cands, bad
		exit !(seen == n && learned > 0 && !bad)
	}' "$graph" "$plan" | while read -r l; do ktap_print_msg "$l"; done
	return "${PIPESTATUS[0]}"
}
