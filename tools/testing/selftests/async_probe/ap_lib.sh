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
