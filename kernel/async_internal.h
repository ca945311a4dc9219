/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What kernel/async.c shows its KUnit suite, and nobody else.
 */
#ifndef _KERNEL_ASYNC_INTERNAL_H
#define _KERNEL_ASYNC_INTERNAL_H

#include <kunit/visibility.h>
#include <linux/types.h>

struct async_entry;

#if IS_ENABLED(CONFIG_KUNIT)
struct async_entry *async_alloc_entry(unsigned int ndeps, gfp_t gfp);
#endif

#endif /* _KERNEL_ASYNC_INTERNAL_H */
