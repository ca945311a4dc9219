// SPDX-License-Identifier: GPL-2.0
/*
 * async_probe command line and parameters.
 *
 *   async_probe=sync|stock|on|all      the mode (boot only; default on)
 *   async_probe.max_active=N           probes running at once, 0: no limit
 *   async_probe.hung_timeout=SECONDS   report probes running longer, 0: off
 *   async_probe.ancestor_wait_ms=MS    longest a device waits for a running
 *                                      ancestor's probe, 0: not at all
 *   async_probe.history=N              probes kept for debugfs graph.dot,
 *                                      0: none
 *   async_probe.debug=0|1              one console line per probe event
 *
 * The last four are also in /sys/module/async_probe/parameters/.  A bad
 * value is reported with pr_warn() and replaced by the default at boot,
 * and refused with -EINVAL at run time: a typo never stops a boot.
 *
 * Which drivers probe asynchronously, first rule that applies:
 *   1. PROBE_FORCE_SYNCHRONOUS: never.
 *   2. async_probe=sync: no driver.
 *   3. async_probe=all: every driver, except those driver_async_probe=*,...
 *      names (with "*", the names listed are the exceptions).
 *   4. async_probe=on: PROBE_ASYNC_WITH_FRAMEWORK drivers.
 *   5. Otherwise upstream's rules: PROBE_PREFER_ASYNCHRONOUS,
 *      driver_async_probe=, <module>.async_probe; PROBE_ASYNC_WITH_FRAMEWORK
 *      is the default strategy there, so in stock and sync (and without
 *      CONFIG_ASYNC_PROBE) such drivers probe and name devices as upstream.
 * Drivers that probe asynchronously go through the framework in the
 * modes on and all, and through upstream's async helpers in stock.
 */
#include <linux/device/driver.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "hooks.h"
#include "internal.h"

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "async_probe."

#define AP_DEFAULT_MAX_ACTIVE	0
#define AP_DEFAULT_HUNG_TIMEOUT	30
#define AP_DEFAULT_ANCESTOR_WAIT_MS	250
#define AP_DEFAULT_HISTORY	16384
#define AP_MAX_HISTORY		(1024 * 1024)

static enum async_probe_mode ap_mode = ASYNC_PROBE_ON;
static unsigned int ap_max_active = AP_DEFAULT_MAX_ACTIVE;
unsigned int ap_hung_timeout = AP_DEFAULT_HUNG_TIMEOUT;
unsigned int ap_ancestor_wait_ms = AP_DEFAULT_ANCESTOR_WAIT_MS;
static unsigned int ap_history_max = AP_DEFAULT_HISTORY;

static const char * const ap_mode_names[] = {
	[ASYNC_PROBE_SYNC] = "sync",
	[ASYNC_PROBE_STOCK] = "stock",
	[ASYNC_PROBE_ON] = "on",
	[ASYNC_PROBE_ALL] = "all",
};

static int __init ap_mode_setup(char *str)
{
	int i = match_string(ap_mode_names, ARRAY_SIZE(ap_mode_names), str);

	if (i < 0) {
		pr_warn("async_probe: unknown mode '%s' (sync, stock, on, all); using 'on'\n",
			str);
		i = ASYNC_PROBE_ON;
	}
	ap_mode = i;
	return 1;
}
__setup("async_probe=", ap_mode_setup);

/**
 * ap_get_mode() - the mode picked by async_probe=
 *
 * Context: Any context.
 * Return: the mode.
 */
enum async_probe_mode ap_get_mode(void)
{
	return ap_mode;
}

/**
 * ap_framework_active() - do asynchronous probes go through the framework?
 *
 * Context: Any context.
 * Return: true in the modes on and all.
 */
bool ap_framework_active(void)
{
	return ap_mode == ASYNC_PROBE_ON || ap_mode == ASYNC_PROBE_ALL;
}

/**
 * ap_driver_policy() - a mode's say on a driver's probe type
 * @mode: the mode
 * @drv: the driver
 * @excluded: driver_async_probe= has "*" and names @drv
 *
 * Context: Any context.
 * Return: 0 for synchronous, 1 for asynchronous, -1 to apply upstream's
 * rules (PROBE_PREFER_ASYNCHRONOUS, driver_async_probe=,
 * <module>.async_probe; %PROBE_ASYNC_WITH_FRAMEWORK is the default
 * strategy there).
 */
int ap_driver_policy(enum async_probe_mode mode,
		     const struct device_driver *drv, bool excluded)
{
	if (drv->probe_type == PROBE_FORCE_SYNCHRONOUS)
		return 0;
	switch (mode) {
	case ASYNC_PROBE_SYNC:
		return 0;
	case ASYNC_PROBE_ALL:
		return !excluded;
	case ASYNC_PROBE_ON:
		if (drv->probe_type == PROBE_ASYNC_WITH_FRAMEWORK)
			return 1;
		return -1;
	default:
		return -1;
	}
}

/**
 * async_probe_driver_policy() - the mode's say on a driver's probe type
 * @drv: the driver
 * @excluded: driver_async_probe= has "*" and names @drv
 *
 * Context: Any context.
 * Return: as ap_driver_policy() for the mode async_probe= picked.
 */
int async_probe_driver_policy(const struct device_driver *drv, bool excluded)
{
	return ap_driver_policy(ap_mode, drv, excluded);
}

/**
 * ap_max_active_param() - the async_probe.max_active setting
 *
 * Context: Any context.
 * Return: the limit, 0 for none.
 */
unsigned int ap_max_active_param(void)
{
	return READ_ONCE(ap_max_active);
}

/**
 * ap_history_max_param() - the async_probe.history setting
 *
 * Context: Any context.
 * Return: how many probes the history keeps at most, 0 for none.
 */
unsigned int ap_history_max_param(void)
{
	return READ_ONCE(ap_history_max);
}

/*
 * An unsigned parameter: bad values are refused at run time, and replaced
 * by the default (with a warning) at boot.
 */
static int ap_param_uint(const char *val, const struct kernel_param *kp,
			 unsigned int max, unsigned int dflt)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v > max) {
		pr_warn("async_probe: %s=%s is not a number from 0 to %u%s\n",
			kp->name, val, max,
			system_state < SYSTEM_RUNNING ? ", using the default" : "");
		if (system_state >= SYSTEM_RUNNING)
			return -EINVAL;
		v = dflt;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int ap_set_max_active(const char *val, const struct kernel_param *kp)
{
	int ret = ap_param_uint(val, kp, 4096, AP_DEFAULT_MAX_ACTIVE);

	if (!ret)
		async_domain_set_max_active(&ap_domain, ap_max_active);
	return ret;
}

static const struct kernel_param_ops ap_max_active_ops = {
	.set = ap_set_max_active,
	.get = param_get_uint,
};
module_param_cb(max_active, &ap_max_active_ops, &ap_max_active, 0644);
MODULE_PARM_DESC(max_active, "probes running at once, 0 for no limit (default 0)");

static int ap_set_hung_timeout(const char *val, const struct kernel_param *kp)
{
	int ret = ap_param_uint(val, kp, 24 * 3600, AP_DEFAULT_HUNG_TIMEOUT);

	/* At boot, the first probe to start arms the watchdog. */
	if (!ret && system_state >= SYSTEM_RUNNING)
		ap_hung_check_start();
	return ret;
}

static const struct kernel_param_ops ap_hung_timeout_ops = {
	.set = ap_set_hung_timeout,
	.get = param_get_uint,
};
module_param_cb(hung_timeout, &ap_hung_timeout_ops, &ap_hung_timeout, 0644);
MODULE_PARM_DESC(hung_timeout,
		 "report probes running longer than this many seconds, 0 for never (default 30)");

static int ap_set_ancestor_wait(const char *val, const struct kernel_param *kp)
{
	return ap_param_uint(val, kp, 60 * 1000, AP_DEFAULT_ANCESTOR_WAIT_MS);
}

static const struct kernel_param_ops ap_ancestor_wait_ops = {
	.set = ap_set_ancestor_wait,
	.get = param_get_uint,
};
module_param_cb(ancestor_wait_ms, &ap_ancestor_wait_ops, &ap_ancestor_wait_ms, 0644);
MODULE_PARM_DESC(ancestor_wait_ms,
		 "longest a device waits for the running probe of an ancestor, in ms, 0 for not at all (default 250)");

/* Lowered below the records kept, it keeps those and records no more. */
static int ap_set_history(const char *val, const struct kernel_param *kp)
{
	return ap_param_uint(val, kp, AP_MAX_HISTORY, AP_DEFAULT_HISTORY);
}

static const struct kernel_param_ops ap_history_ops = {
	.set = ap_set_history,
	.get = param_get_uint,
};
module_param_cb(history, &ap_history_ops, &ap_history_max, 0644);
MODULE_PARM_DESC(history,
		 "probes the debugfs graph.dot keeps, 0 for none (default 16384, at most 1048576)");
