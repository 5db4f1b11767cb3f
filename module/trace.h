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
#include <net/tcp_states.h>

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

#define ttp_show_stream_state(s)				\
	__print_symbolic(s,					\
			 { TCP_CLOSE,		"CLOSED" },		\
			 { TCP_LISTEN,		"LISTEN" },		\
			 { TCP_SYN_SENT,	"SYN_SENT" },		\
			 { TCP_SYN_RECV,	"SYN_RECEIVED" },	\
			 { TCP_ESTABLISHED,	"ESTABLISHED" },	\
			 { TCP_FIN_WAIT1,	"FIN_WAIT_1" },		\
			 { TCP_FIN_WAIT2,	"FIN_WAIT_2" },		\
			 { TCP_CLOSE_WAIT,	"CLOSE_WAIT" },		\
			 { TCP_CLOSING,		"CLOSING" },		\
			 { TCP_LAST_ACK,	"LAST_ACK" },		\
			 { TCP_TIME_WAIT,	"TIME_WAIT" })

/*
 * ttp_set_state: a stream socket changed state (stream.c,
 * ttp_stream_set_state(): every transition of the table in stream_fsm.c).
 */
TRACE_EVENT(ttp_set_state,
	    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		     int old_state, int new_state),
	    TP_ARGS(saddr, sport, daddr, dport, old_state, new_state),
	    TP_STRUCT__entry(__field(u32, saddr)
			     __field(u32, daddr)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(int, old_state)
			     __field(int, new_state)),
	    TP_fast_assign(__entry->saddr = (__force u32)saddr;
			   __entry->daddr = (__force u32)daddr;
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->old_state = old_state;
			   __entry->new_state = new_state),
	    TP_printk("%pI4:%u -> %pI4:%u %s -> %s",
		      &__entry->saddr, __entry->sport,
		      &__entry->daddr, __entry->dport,
		      ttp_show_stream_state(__entry->old_state),
		      ttp_show_stream_state(__entry->new_state))
);

#endif /* _TTP_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
