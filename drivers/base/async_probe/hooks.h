/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The calls the driver core (drivers/base/dd.c, core.c) makes into the
 * async_probe framework, and back.  Included from drivers/base/base.h;
 * without CONFIG_ASYNC_PROBE the hooks are empty and the driver core
 * behaves exactly as upstream's.
 */
#ifndef _DRIVERS_BASE_ASYNC_PROBE_HOOKS_H
#define _DRIVERS_BASE_ASYNC_PROBE_HOOKS_H

#include <linux/types.h>

struct ap_node;
struct ap_plan_rec;
struct device;
struct device_driver;

/*
 * Provided by dd.c: what the framework's probes run (the asynchronous half
 * of __device_attach(), the synchronous path of __driver_attach()), and the
 * deferred-probe reason of one attempt.
 */
void driver_attach_device(struct device *dev, const struct device_driver *drv);
void device_attach_async(struct device *dev);
void device_clear_deferred_probe_reason(struct device *dev);
void device_get_deferred_probe_reason(struct device *dev, char *buf, size_t size);

#ifdef CONFIG_ASYNC_PROBE
int async_probe_driver_policy(const struct device_driver *drv, bool excluded);
bool async_probe_active(void);
bool async_probe_claim(struct device *dev, const struct device_driver *drv);
void async_probe_attempt(struct device *dev);
void async_probe_bound(struct device *dev);
void async_probe_result(struct device *dev, int ret);
bool async_probe_busy(void);
void async_probe_device_del(struct device *dev);
void async_probe_driver_detach(const struct device_driver *drv);
#else
static inline int async_probe_driver_policy(const struct device_driver *drv,
					    bool excluded)
{
	return -1;
}

static inline bool async_probe_active(void)
{
	return false;
}

static inline bool async_probe_claim(struct device *dev,
				     const struct device_driver *drv)
{
	return false;
}

static inline void async_probe_attempt(struct device *dev) { }
static inline void async_probe_bound(struct device *dev) { }
static inline void async_probe_result(struct device *dev, int ret) { }
static inline bool async_probe_busy(void) { return false; }
static inline void async_probe_device_del(struct device *dev) { }
static inline void async_probe_driver_detach(const struct device_driver *drv) { }
#endif

#endif /* _DRIVERS_BASE_ASYNC_PROBE_HOOKS_H */
