/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iov_kshim.h - the few kernel definitions iovcore's pure code uses
 * (common/iov_mbx.c: the mailbox parser and builders; common/iov_itr.c: the
 * interrupt moderation policy), so the same .c files build in user space
 * for the unit suite (the lab kernel has no KUnit). Every shim/linux/X.h
 * includes this file and nothing else: a new kernel include in those files
 * fails the unit build until it is shimmed here, on purpose.
 *
 * jiffies is a variable the tests set: time moves only when a test says.
 */
#ifndef IOV_KSHIM_H
#define IOV_KSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

/* the lab kernel's version: iov_compat.h picks the 6.12 spellings */
#define KERNEL_VERSION(a, b, c)	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#define LINUX_VERSION_CODE	KERNEL_VERSION(6, 12, 0)

/* an export becomes a harmless declaration (it takes the trailing ';') */
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern int iov_kshim_export_##sym

#define BIT(n)			(1UL << (n))
#define U32_MAX			((u32)~0U)
#define USEC_PER_SEC		1000000UL

/* the kernel's min()/max() accept a non-negative constant beside an unsigned value */
#define min(a, b)	({ __typeof__((a) + (b)) _a = (a), _b = (b); _a < _b ? _a : _b; })
#define max(a, b)	({ __typeof__((a) + (b)) _a = (a), _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)	({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })
#define max_t(t, a, b)	({ t _a = (a); t _b = (b); _a > _b ? _a : _b; })
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_CLOSEST(x, d)	(((x) + ((d) / 2)) / (d))
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

/* networking constants the mailbox message set uses */
#define ETH_ALEN		6
#define ETH_ZLEN		60
#define ETH_FCS_LEN		4
#define VLAN_N_VID		4096

/* time: HZ 1000, so a jiffy is a millisecond in the tests */
#define HZ			1000
extern unsigned long jiffies;

static inline unsigned long msecs_to_jiffies(unsigned int ms)
{
	return ms;
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return j;
}

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)

#endif
