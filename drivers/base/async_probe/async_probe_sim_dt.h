/* SPDX-License-Identifier: GPL-2.0 */
/* The overlay blob Kbuild links in from async_probe_sim_dt.dtso. */
#ifndef _ASYNC_PROBE_SIM_DT_H
#define _ASYNC_PROBE_SIM_DT_H

#include <linux/types.h>

extern u8 __dtbo_async_probe_sim_dt_begin[];
extern u8 __dtbo_async_probe_sim_dt_end[];

#endif /* _ASYNC_PROBE_SIM_DT_H */
