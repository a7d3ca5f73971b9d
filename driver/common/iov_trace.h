/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iovbench tracepoints (trace system "iovbench"):
 *   iovbench:iov_napi_poll  one per NAPI poll of an iovpf/iovvf instance
 *   iovbench:iov_mbx_msg    one per mailbox message sent or received
 * Defined in iovcore.ko, exported to the drivers.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM iovbench

#if !defined(_IOV_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _IOV_TRACE_H_

#include <linux/tracepoint.h>
#include "iov_compat.h"

TRACE_EVENT(iov_napi_poll,
	    TP_PROTO(const char *name, int work, int budget),
	    TP_ARGS(name, work, budget),
	    TP_STRUCT__entry(__string(name, name)
			     __field(int, work)
			     __field(int, budget)
	    ),
	    TP_fast_assign(iov_assign_str(name, name);
			   __entry->work = work;
			   __entry->budget = budget;
	    ),
	    TP_printk("napi=%s work=%d budget=%d",
		      __get_str(name), __entry->work, __entry->budget)
);

TRACE_EVENT(iov_mbx_msg,
	    TP_PROTO(const char *dev, int vf, bool to_vf, u32 msg0,
		     unsigned int words, u64 lat_ns),
	    TP_ARGS(dev, vf, to_vf, msg0, words, lat_ns),
	    TP_STRUCT__entry(__string(dev, dev)
			     __field(int, vf)
			     __field(bool, to_vf)
			     __field(u32, msg0)
			     __field(unsigned int, words)
			     __field(u64, lat_ns)
	    ),
	    TP_fast_assign(iov_assign_str(dev, dev);
			   __entry->vf = vf;
			   __entry->to_vf = to_vf;
			   __entry->msg0 = msg0;
			   __entry->words = words;
			   __entry->lat_ns = lat_ns;
	    ),
	    TP_printk("dev=%s vf=%d dir=%s msg0=0x%08x op=0x%x words=%u lat_ns=%llu",
		      __get_str(dev), __entry->vf,
		      __entry->to_vf ? "to_vf" : "to_pf", __entry->msg0,
		      __entry->msg0 & 0xffff, __entry->words,
		      (unsigned long long)__entry->lat_ns)
);

#endif /* _IOV_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE iov_trace
#include <trace/define_trace.h>
