#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The probe plan across boots.  APPLAN on the kernel command line says
# which boot this is:
#
#   record   (or unset) a hidden-dependency storm is run and the plan this
#            boot wrote is kept as /out/async_probe.plan, for the host to
#            put in the initramfs of a boot with async_probe.plan=replay
#   replay   that boot: the plan was read, the same storm runs, its queue
#            events wait for every learned supplier in flight and for
#            nothing else, no device defers once its suppliers bound, the
#            plan written again keeps what was learned, and a stale plan
#            loses no device
#   garbage  a boot given a plan cut short: it is reported and ignored,
#            and the storm still binds every device

DIR="$(dirname "$(readlink -f "$0")")"
source "$DIR"/../kselftest/ktap_helpers.sh
source "$DIR"/ap_lib.sh

PLAN=/kernel/async_probe.plan
STORM="n=128 seed=23 k=2 p=50 min_us=500 max_us=2000 links=0 hidden=1 timeout_s=20"
ROLE=${APPLAN:-record}

ktap_print_header
if [ ! -r "$AP_DBG/plan" ] || ! have_module "$SIM_MOD"; then
	ktap_skip_all "no $AP_DBG/plan or no simulator"
	exit "$KSFT_SKIP"
fi
if [ "$(ap_stat mode)" != on ] && [ "$(ap_stat mode)" != all ]; then
	ktap_skip_all "mode is $(ap_stat mode): the framework does not probe"
	exit "$KSFT_SKIP"
fi

# The sum of defers= of the simulator's devices in a plan.
apsim_defers() {
	awk '$1 ~ /^platform:apsim\./ {
		for (f = 2; f <= NF; f++) if ($f ~ /^defers=/) s += substr($f, 8)
	} END { print s + 0 }' "$1"
}

# The value of KEY (e.g. after) of device DEV in plan FILE.
plan_key() {
	awk -v d="$2" -v k="$3=" '$1 == d {
		for (f = 2; f <= NF; f++) if (index($f, k) == 1) print substr($f, length(k) + 1)
	}' "$1"
}

case $ROLE in
record)
	ktap_set_plan 1
	# The plan of the storm, device by device against the simulator's
	# graph (plan_check), kept before rmmod deletes the devices' records.
	record() {
		local plan=/tmp/plan.txt ok=0

		sim_run $STORM && sim_ok || return 1
		plan_check 128 && ok=1
		mkdir -p /out && cp "$plan" /out/async_probe.plan
		ktap_print_msg "plan: $(head -n 1 "$plan"), apsim deferrals $(apsim_defers "$plan")"
		[ $ok = 1 ] && [ "$(apsim_defers "$plan")" -gt 0 ]
	}
	ktap_test_result "plan_names_a_hidden_supplier_128_devices" record
	;;
replay)
	ktap_set_plan 4
	# The kernel read the plan the record boot wrote, and says so.
	read_at_boot() {
		local n
		[ -r "$PLAN" ] || { ktap_print_msg "no $PLAN in the initramfs"; return 1; }
		n=$(dmesg | sed -n 's/.*async_probe: plan: \([0-9]*\) devices, .*/\1/p')
		ktap_print_msg "$(dmesg | grep 'async_probe: plan:' | sed 's/^\[[^]]*\] //' |
			tr '\n' ';')"
		[ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -le "$(grep -c "^[^#]" "$PLAN")" ]
	}
	ktap_test_result "plan_read_at_boot" read_at_boot

	# The storm the plan was learned from, again.  The framework waits for
	# learned suppliers, and only for those (the storm has no other kind):
	# checked on the queue and end events of the storm, in the order the
	# kernel emitted them under its lock (the "counter" trace clock).
	#   not learned  a queue event waited for a device the plan does not
	#                name for it
	#   missed       a queue event did not wait for a learned supplier
	#                whose probe was queued or running (an event whose list
	#                ends in "+N" names only some: not judged)
	#   deferred     a device deferred though its first queue event waited
	#                for all its suppliers, and they had all bound
	# Those the last boot did not see still defer: a single boot's timing
	# shows only some of the hidden dependencies, and a supplier registered
	# after its consumer is not waited for.  The plan this boot writes
	# counts them.
	T=/sys/kernel/tracing/instances/applan
	judge_events() {
		awk -v P="$PLAN" '
		function dev(f) { f = $0; sub(/.* dev=/, "", f); sub(/ .*/, "", f); return f }
		BEGIN {
			while ((getline l <P) > 0) {
				n = split(l, f, " ")
				if (f[1] !~ /^platform:apsim\./) continue
				c = substr(f[1], 10)
				for (i = 2; i <= n; i++) {
					if (f[i] !~ /^after=/) continue
					m = split(substr(f[i], 7), a, ",")
					for (j = 1; j <= m; j++)
						if (a[j] ~ /^platform:/)
							learned[c] = learned[c] " " substr(a[j], 10)
				}
			}
			while ((getline l <"/sys/kernel/debug/async_probe_sim/graph") > 0) {
				n = split(l, f, " ")
				if (n >= 3) sup["apsim." f[1]] = substr(f[3], 5)
			}
		}
		/ async_probe_queue: dev=apsim\./ {
			d = dev(); deps = $NF; sub(/^deps=/, "", deps)
			m = split(deps == "-" ? "" : deps, w, ",")
			delete waited; cut = 0
			for (j = 1; j <= m; j++)
				if (w[j] ~ /^\+/) cut = 1; else waited[w[j]] = 1
			for (j = 1; j <= m; j++)
				if (w[j] !~ /^\+/ && index(learned[d] " ", " " w[j] " ") == 0)
					print "not learned: " d " waited for " w[j]
			k = split(learned[d], ls, " ")
			for (j = 1; j <= k; j++)
				if (!cut && ls[j] != d && (ls[j] in inflight) && !(ls[j] in waited))
					print "missed: " d " did not wait for " ls[j] ", queued"
			if (!(d in first)) {
				first[d] = 1; all[d] = 1
				k = split(sup[d], s, ",")
				for (j = 1; j <= k; j++)
					if (!(("apsim." s[j]) in waited)) all[d] = 0
			}
			inflight[d] = 1
			next
		}
		/ async_probe_end: dev=apsim\./ {
			d = dev(); r = $0; sub(/.* ret=/, "", r); sub(/ .*/, "", r)
			delete inflight[d]; ret[d] = r
			if (r != "-517" || ended[d]++ || !all[d]) next
			k = split(sup[d], s, ","); ok = 1
			for (j = 1; j <= k; j++)
				if (ret["apsim." s[j]] != "0") ok = 0
			if (ok) print "deferred: " d " after all of " sup[d] " bound"
		}' "$1"
	}
	# For each device of the storm that deferred: its suppliers, what the
	# plan learned, and what its queue events waited for.
	why_deferred() {
		local g=/sys/kernel/debug/async_probe_sim/graph i att sup l w

		while read -r i att sup; do
			[ "$att" = attempts=1 ] && continue
			l=$(plan_key "$PLAN" "platform:apsim.$i" after)
			w=$(grep -o "dev=apsim\.$i .* deps=.*" "$1" | sed 's/.*deps=//')
			w=$(echo $w)
			ktap_print_msg "apsim.$i $att $sup learned=$l waited=$w"
		done <"$g"
	}
	replay_storm() {
		local waits0 waits rec now plan=/tmp/plan.again bad

		mkdir -p "$T" && echo counter >"$T/trace_clock" &&
			echo 1 >"$T/events/async_probe/async_probe_queue/enable" &&
			echo 1 >"$T/events/async_probe/async_probe_end/enable" || return 1
		waits0=$(ap_stat plan_waits)
		sim_run $STORM && sim_ok || return 1
		cat "$AP_DBG/plan" >"$plan"
		waits=$(($(ap_stat plan_waits) - waits0))
		rec=$(apsim_defers "$PLAN")
		now=$(sim hidden_defers)
		ktap_print_msg "deferrals: $rec recorded, $now replayed; $waits learned waits"
		bad=$(judge_events "$T/trace")
		[ -z "$bad" ] || printf '%s\n' "$bad" | head -20 |
			while read -r l; do ktap_print_msg "$l"; done
		[ "$now" = 0 ] || why_deferred "$T/trace"
		[ -z "$bad" ] && [ "$waits" -gt 0 ] && [ "$rec" -gt 0 ] &&
			[ "$(apsim_defers "$plan")" = "$now" ]
	}
	ktap_test_result "plan_replay_waits_for_learned_suppliers" replay_storm

	# A device that did not defer this time keeps what the plan taught it
	# (but for the count of candidates left out, which it does not know).
	kept() {
		local plan=/tmp/plan.again dev n=0

		for dev in $(grep '^platform:apsim\..* after=' "$PLAN" | cut -d' ' -f1); do
			[ "$(plan_key "$plan" "$dev" defers)" = 0 ] || continue
			[ "$(plan_key "$plan" "$dev" after)" = \
			  "$(plan_key "$PLAN" "$dev" after | sed 's/,+[0-9]*$//')" ] ||
				{ ktap_print_msg "$dev lost its suppliers"; return 1; }
			n=$((n + 1))
		done
		[ "$n" -gt 0 ]
	}
	ktap_test_result "plan_written_again_keeps_learned_suppliers" kept

	# Another graph under the same device names: the plan is wrong for
	# every device, and costs no device.
	stale() {
		local wall=$(sim wall_us)

		sim_run ${STORM/seed=23/seed=29} && sim_ok &&
			[ "$(sim_bound_in_sysfs)" = "$(sim expected)" ] || return 1
		ktap_print_msg "stale plan: wall ${wall} us with the right graph," \
			"$(sim wall_us) us with another"
	}
	ktap_test_result "plan_stale_loses_no_device" stale
	sim_unload
	;;
garbage)
	ktap_set_plan 2
	ignored() {
		dmesg | grep -q "async_probe: plan: ${PLAN#/} ignored: " || return 1
		ktap_print_msg "$(dmesg | grep 'async_probe: plan:' | sed 's/^\[[^]]*\] //')"
		[ "$(ap_stat plan_matched)" = 0 ] && [ "$(ap_stat plan_waits)" = 0 ]
	}
	ktap_test_result "plan_cut_short_is_reported_and_ignored" ignored
	storm() {
		sim_run $STORM && sim_ok && [ "$(sim_bound_in_sysfs)" = 128 ]
	}
	ktap_test_result "plan_ignored_storm_binds_every_device" storm
	sim_unload
	;;
*)
	ktap_skip_all "APPLAN=$ROLE is not record, replay or garbage"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
