// SPDX-License-Identifier: GPL-2.0-only
/*
 * Provoke the lockdep report of kernel/async.c on purpose: an async call
 * that waits for a *later* call.  The later call here finishes on its
 * own, so nothing hangs, but the pattern can deadlock (the later call
 * may depend on the earlier one, or wait for a worker the earlier one
 * holds), and lockdep must say so.  Loading the module leaves lockdep
 * off for the rest of the boot: the harness runs it last, inside a
 * "judge: expect-begin" window.
 */
#include <linux/async.h>
#include <linux/completion.h>
#include <linux/module.h>

static DECLARE_COMPLETION(later_scheduled);
static async_cookie_t later_cookie;

static void later_fn(void *data, async_cookie_t cookie)
{
}

static void earlier_fn(void *data, async_cookie_t cookie)
{
	if (!wait_for_completion_timeout(&later_scheduled, 10 * HZ))
		return;
	pr_info("async_lockdep_test: call %llu waits for later call %llu\n",
		cookie, later_cookie);
	async_synchronize_one(later_cookie);
}

static int __init async_lockdep_test_init(void)
{
	async_schedule(earlier_fn, NULL);
	later_cookie = async_schedule(later_fn, NULL);
	complete(&later_scheduled);
	async_synchronize_full();
	return 0;
}
module_init(async_lockdep_test_init);

MODULE_DESCRIPTION("Provokes the lockdep report for an async call waiting on a later one");
MODULE_LICENSE("GPL");
