/* SPDX-License-Identifier: GPL-2.0 */
/*
 * async_probe.h - dependency-aware parallel device probing
 *
 * Drivers opt in with PROBE_PREFER_ASYNCHRONOUS, or PROBE_ASYNC_WITH_FRAMEWORK
 * to stay synchronous where the framework is off (struct device_driver's
 * probe_type); their probes then run in parallel, each one as soon as the
 * devices it depends on (parent, device links, and the dependencies
 * declared here) have finished probing.  See
 * Documentation/driver-api/async_probe.rst.
 */
#ifndef _LINUX_ASYNC_PROBE_H
#define _LINUX_ASYNC_PROBE_H

#include <linux/device/bus.h>
#include <linux/types.h>

struct device;

/**
 * enum async_probe_mode - what the async_probe= kernel parameter picks
 * @ASYNC_PROBE_SYNC: every probe is synchronous
 * @ASYNC_PROBE_STOCK: upstream's behaviour: drivers that ask for it probe
 *	asynchronously, dependencies are left to -EPROBE_DEFER
 * @ASYNC_PROBE_ON: drivers that ask for asynchronous probing go through
 *	the framework (the default)
 * @ASYNC_PROBE_ALL: every driver that does not force synchronous probing
 *	goes through the framework
 */
enum async_probe_mode {
	ASYNC_PROBE_SYNC,
	ASYNC_PROBE_STOCK,
	ASYNC_PROBE_ON,
	ASYNC_PROBE_ALL,
};

#ifdef CONFIG_ASYNC_PROBE
int async_probe_add_dependency(struct device *consumer, struct device *supplier);
void async_probe_remove_dependency(struct device *consumer,
				   struct device *supplier);
void async_probe_wait_all(void);
int async_probe_wait_device(struct device *dev);
void async_probe_wait_earlier(struct device *dev);
#else
static inline int async_probe_add_dependency(struct device *consumer,
					     struct device *supplier)
{
	return 0;
}

static inline void async_probe_remove_dependency(struct device *consumer,
						 struct device *supplier)
{
}

static inline void async_probe_wait_all(void) { }
static inline int async_probe_wait_device(struct device *dev) { return 0; }
static inline void async_probe_wait_earlier(struct device *dev) { }
#endif

#endif /* _LINUX_ASYNC_PROBE_H */
