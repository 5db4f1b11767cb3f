/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TTP tracepoints (the "ttp" system): what a student watches with
 *   echo 1 > /sys/kernel/tracing/events/ttp/enable; cat /sys/kernel/tracing/trace_pipe
 * or trace-cmd/perf.  See Documentation/tracing.md.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ttp

#if !defined(_TTP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TTP_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "arp.h"

/* TTP_ARP_NONE: "no entry" on either side of an update. */
#define TTP_ARP_NONE	(-1)

#define ttp_show_arp_state(s)					\
	__print_symbolic(s,					\
			 { TTP_ARP_NONE,	"NONE" },	\
			 { TTP_ARP_INCOMPLETE,	"INCOMPLETE" },	\
			 { TTP_ARP_REACHABLE,	"REACHABLE" },	\
			 { TTP_ARP_STALE,	"STALE" },	\
			 { TTP_ARP_DELAY,	"DELAY" },	\
			 { TTP_ARP_PROBE,	"PROBE" },	\
			 { TTP_ARP_FAILED,	"FAILED" },	\
			 { TTP_ARP_PERMANENT,	"PERMANENT" })

/*
 * ttp_arp_update: an ARP cache entry was created (old NONE), changed
 * state, or was removed (new NONE).
 */
TRACE_EVENT(ttp_arp_update,
	    TP_PROTO(const struct net_device *dev, __be32 addr, const u8 *mac,
		     int old_state, int new_state),
	    TP_ARGS(dev, addr, mac, old_state, new_state),
	    /* addr is a u32: sparse dislikes the signedness probe on __be32. */
	    TP_STRUCT__entry(__array(char, dev, IFNAMSIZ)
			     __field(u32, addr)
			     __array(u8, mac, ETH_ALEN)
			     __field(int, old_state)
			     __field(int, new_state)),
	    TP_fast_assign(strscpy(__entry->dev, dev->name, IFNAMSIZ);
			   __entry->addr = (__force u32)addr;
			   memcpy(__entry->mac, mac, ETH_ALEN);
			   __entry->old_state = old_state;
			   __entry->new_state = new_state),
	    TP_printk("dev=%s addr=%pI4 mac=%pM %s -> %s",
		      __entry->dev, &__entry->addr, __entry->mac,
		      ttp_show_arp_state(__entry->old_state),
		      ttp_show_arp_state(__entry->new_state))
);

#endif /* _TTP_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
