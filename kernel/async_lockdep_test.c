// SPDX-License-Identifier: GPL-2.0-only
/*
 * Provoke the lockdep report of kernel/async.c on purpose, with a real
 * dependency cycle: an async call takes a mutex, and later a task that
 * holds that mutex waits for async calls.  Had the call still been
 * pending, neither could go on.  Here it has finished before the wait, so
 * nothing hangs, but lockdep must report the cycle all the same.  Loading
 * the module leaves lockdep off for the rest of the boot: the harness
 * runs it last, inside a "judge: expect-begin" window.
 */
#include <linux/async.h>
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(async_lockdep_test_mutex);

static void takes_mutex_fn(void *data, async_cookie_t cookie)
{
	mutex_lock(&async_lockdep_test_mutex);
	mutex_unlock(&async_lockdep_test_mutex);
}

static int __init async_lockdep_test_init(void)
{
	async_schedule(takes_mutex_fn, NULL);
	async_synchronize_full();
	pr_info("async_lockdep_test: waiting for async calls with a mutex they take held\n");
	mutex_lock(&async_lockdep_test_mutex);
	async_synchronize_full();
	mutex_unlock(&async_lockdep_test_mutex);
	return 0;
}
module_init(async_lockdep_test_init);

MODULE_DESCRIPTION("Provokes the lockdep report for a wait on async calls under a lock they take");
MODULE_LICENSE("GPL");
