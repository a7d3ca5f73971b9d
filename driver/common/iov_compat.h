/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench: the one place that asks which kernel the modules are built
 * against. The drivers build out of tree, for the lab's guest kernel and
 * (make host-driver) for whatever kernel the host runs, so the kernel APIs
 * they use that changed in 6.6 .. 6.10 are named here as IOV_HAVE_* (each
 * 0 or 1, for #if) or given the newer kernel's spelling. Everything else
 * tests those names, never the version.
 *
 * scripts/lint.sh exempts this file, and only this file, from checkpatch's
 * LINUX_VERSION_CODE, CONSTANT_COMPARISON, MACRO_ARG_UNUSED and
 * PREFER_ETHTOOL_PUTS: a compatibility header is made of exactly those.
 */
#ifndef _IOV_COMPAT_H_
#define _IOV_COMPAT_H_

#include <linux/version.h>

#define IOV_KERNEL_AT_LEAST(a, b, c)	(LINUX_VERSION_CODE >= KERNEL_VERSION(a, b, c))

/* 6.6: <net/page_pool/helpers.h>, page_pool_params.napi */
#define IOV_HAVE_PP_HELPERS	IOV_KERNEL_AT_LEAST(6, 6, 0)
/* 6.7: page_pool_params.netdev and .queue_idx */
#define IOV_HAVE_PP_NETDEV	IOV_KERNEL_AT_LEAST(6, 7, 0)
/* 6.8: netif_napi_set_irq(), netif_queue_set_napi() */
#define IOV_HAVE_NAPI_LINKS	IOV_KERNEL_AT_LEAST(6, 8, 0)
/* 6.9: netdev netlink per-queue stats (<net/netdev_queues.h>, stat_ops) */
#define IOV_HAVE_QSTATS		IOV_KERNEL_AT_LEAST(6, 9, 0)
/* 6.10: qstats checksum, GSO, stop/wake and drop counters */
#define IOV_HAVE_QSTATS_DETAIL	IOV_KERNEL_AT_LEAST(6, 10, 0)

/*
 * The symbol namespace of iovcore's exports, which iovpf and iovvf import
 * (EXPORT_SYMBOL_NS_GPL(sym, IOV_NS), MODULE_IMPORT_NS(IOV_NS)). 6.13 made
 * the namespace a string literal; before, the macros stringify the
 * (macro-expanded) identifier.
 */
#if IOV_KERNEL_AT_LEAST(6, 13, 0)
#define IOV_NS			"IOVBENCH"
#else
#define IOV_NS			IOVBENCH
#endif

/* 6.8 added ethtool_puts(); before, the same copy is ethtool_sprintf() of "%s". */
#if !IOV_KERNEL_AT_LEAST(6, 8, 0)
#define ethtool_puts(data, str)	ethtool_sprintf(data, "%s", str)
#endif

/* 6.10: __assign_str() takes the source from __string() and has one argument. */
#if IOV_KERNEL_AT_LEAST(6, 10, 0)
#define iov_assign_str(dst, src)	__assign_str(dst)
#else
#define iov_assign_str(dst, src)	__assign_str(dst, src)
#endif

#endif /* _IOV_COMPAT_H_ */
