/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * async.h: asynchronous function calls, ordered by cookies and by
 * explicit dependencies.  See kernel/async.c for the model.
 *
 * (C) Copyright 2009 Intel Corporation
 * Author: Arjan van de Ven <arjan@linux.intel.com>
 * Dependencies, domain limits and targeted wake-ups: the async_probe
 * authors, 2026.
 */
#ifndef __ASYNC_H__
#define __ASYNC_H__

#include <linux/gfp_types.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/numa.h>
#include <linux/device.h>

typedef u64 async_cookie_t;
typedef void (*async_func_t) (void *data, async_cookie_t cookie);

/* The most dependencies one entry may name. */
#define ASYNC_MAX_DEPS		256

/**
 * struct async_domain - a set of async entries that can be waited for
 * @pending: entries scheduled in the domain and not finished yet, in
 *	cookie order (async_lock)
 * @waiters: tasks waiting for the domain's earliest pending cookie to
 *	move past a given cookie, in cookie order (async_lock)
 * @throttled: entries ready to run but held back by @max_active, in the
 *	order they became ready (async_lock)
 * @max_active: how many entries of the domain may be on the workqueue at
 *	once, 0 for no limit (async_lock)
 * @active: entries of the domain on the workqueue now (async_lock)
 * @registered: the domain takes part in async_synchronize_full()
 *
 * Define one with ASYNC_DOMAIN() or ASYNC_DOMAIN_EXCLUSIVE(); the fields
 * are private to kernel/async.c.
 */
struct async_domain {
	struct list_head pending;
	struct list_head waiters;
	struct list_head throttled;
	unsigned int max_active;
	unsigned int active;
	unsigned registered:1;
};

#define __ASYNC_DOMAIN_INIT(_name, _registered) {			\
	.pending = LIST_HEAD_INIT(_name.pending),			\
	.waiters = LIST_HEAD_INIT(_name.waiters),			\
	.throttled = LIST_HEAD_INIT(_name.throttled),			\
	.registered = _registered }

/*
 * A domain whose entries are also waited for by async_synchronize_full().
 */
#define ASYNC_DOMAIN(_name) \
	struct async_domain _name = __ASYNC_DOMAIN_INIT(_name, 1)

/*
 * A domain that async_synchronize_full() ignores.  It may go out of scope
 * once async_synchronize_full_domain() on it has returned.
 */
#define ASYNC_DOMAIN_EXCLUSIVE(_name) \
	struct async_domain _name = __ASYNC_DOMAIN_INIT(_name, 0)

async_cookie_t async_schedule_node(async_func_t func, void *data,
				   int node);
async_cookie_t async_schedule_node_domain(async_func_t func, void *data,
					  int node,
					  struct async_domain *domain);

/**
 * async_schedule() - run a function asynchronously
 * @func: function to run
 * @data: its first argument
 *
 * Context: Any context.
 * Return: the cookie of the call, for async_synchronize_cookie().  If the
 * call cannot be queued, @func has run synchronously before this returns.
 */
static inline async_cookie_t async_schedule(async_func_t func, void *data)
{
	return async_schedule_node(func, data, NUMA_NO_NODE);
}

/**
 * async_schedule_domain() - run a function asynchronously, in a domain
 * @func: function to run
 * @data: its first argument
 * @domain: the domain to account the call in
 *
 * Context: Any context.
 * Return: the cookie of the call.  If the call cannot be queued, @func
 * has run synchronously before this returns.
 */
static inline async_cookie_t
async_schedule_domain(async_func_t func, void *data,
		      struct async_domain *domain)
{
	return async_schedule_node_domain(func, data, NUMA_NO_NODE, domain);
}

/**
 * async_schedule_dev() - run a function on a device asynchronously
 * @func: function to run
 * @dev: the device, passed to @func and used to pick a NUMA node
 *
 * Context: Any context.
 * Return: the cookie of the call.  If the call cannot be queued, @func
 * has run synchronously before this returns.
 */
static inline async_cookie_t
async_schedule_dev(async_func_t func, struct device *dev)
{
	return async_schedule_node(func, dev, dev_to_node(dev));
}

bool async_schedule_dev_nocall(async_func_t func, struct device *dev);

/**
 * async_schedule_dev_domain() - run a function on a device asynchronously,
 *	in a domain
 * @func: function to run
 * @dev: the device, passed to @func and used to pick a NUMA node
 * @domain: the domain to account the call in
 *
 * Context: Any context.
 * Return: the cookie of the call.  If the call cannot be queued, @func
 * has run synchronously before this returns.
 */
static inline async_cookie_t
async_schedule_dev_domain(async_func_t func, struct device *dev,
			  struct async_domain *domain)
{
	return async_schedule_node_domain(func, dev, dev_to_node(dev), domain);
}

int __must_check
async_schedule_node_domain_after(async_func_t func, void *data, int node,
				 struct async_domain *domain,
				 const async_cookie_t *deps, unsigned int ndeps,
				 async_cookie_t *cookie, gfp_t gfp);
int __must_check
async_schedule_node_domain_after_prio(async_func_t func, void *data, int node,
				      struct async_domain *domain, int prio,
				      const async_cookie_t *deps,
				      unsigned int ndeps, async_cookie_t *cookie,
				      gfp_t gfp);

/**
 * async_schedule_after() - run a function once its dependencies finished
 * @func: function to run
 * @data: its first argument
 * @deps: cookies of earlier calls that must finish before @func starts
 * @ndeps: number of cookies in @deps
 * @cookie: where to store the cookie of the call, or %NULL
 *
 * See async_schedule_node_domain_after().
 *
 * Context: Process context; may sleep.
 * Return: 0, or a negative errno; @func never runs synchronously.
 */
static inline int __must_check
async_schedule_after(async_func_t func, void *data,
		     const async_cookie_t *deps, unsigned int ndeps,
		     async_cookie_t *cookie)
{
	return async_schedule_node_domain_after(func, data, NUMA_NO_NODE, NULL,
						deps, ndeps, cookie, GFP_KERNEL);
}

/**
 * async_schedule_after_domain() - run a function once its dependencies
 *	finished, in a domain
 * @func: function to run
 * @data: its first argument
 * @domain: the domain to account the call in
 * @deps: cookies of earlier calls that must finish before @func starts
 * @ndeps: number of cookies in @deps
 * @cookie: where to store the cookie of the call, or %NULL
 *
 * See async_schedule_node_domain_after().
 *
 * Context: Process context; may sleep.
 * Return: 0, or a negative errno; @func never runs synchronously.
 */
static inline int __must_check
async_schedule_after_domain(async_func_t func, void *data,
			    struct async_domain *domain,
			    const async_cookie_t *deps, unsigned int ndeps,
			    async_cookie_t *cookie)
{
	return async_schedule_node_domain_after(func, data, NUMA_NO_NODE,
						domain, deps, ndeps, cookie,
						GFP_KERNEL);
}

/**
 * async_schedule_dev_after() - run a function on a device once its
 *	dependencies finished
 * @func: function to run
 * @dev: the device, passed to @func and used to pick a NUMA node
 * @domain: the domain to account the call in, or %NULL for the default
 * @deps: cookies of earlier calls that must finish before @func starts
 * @ndeps: number of cookies in @deps
 * @cookie: where to store the cookie of the call, or %NULL
 *
 * See async_schedule_node_domain_after().
 *
 * Context: Process context; may sleep.
 * Return: 0, or a negative errno; @func never runs synchronously.
 */
static inline int __must_check
async_schedule_dev_after(async_func_t func, struct device *dev,
			 struct async_domain *domain,
			 const async_cookie_t *deps, unsigned int ndeps,
			 async_cookie_t *cookie)
{
	return async_schedule_node_domain_after(func, dev, dev_to_node(dev),
						domain, deps, ndeps, cookie,
						GFP_KERNEL);
}

void async_synchronize_full(void);
void async_synchronize_full_domain(struct async_domain *domain);
void async_synchronize_cookie(async_cookie_t cookie);
void async_synchronize_cookie_domain(async_cookie_t cookie,
				     struct async_domain *domain);
int async_synchronize_one(async_cookie_t cookie);
void async_domain_set_max_active(struct async_domain *domain,
				 unsigned int max_active);
bool async_cookie_done(async_cookie_t cookie);
bool current_is_async(void);
async_cookie_t current_async_cookie(void);
void *current_async_data(async_func_t func);
void async_init(void);
#endif
