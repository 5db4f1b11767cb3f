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

#define ttp_show_ca_state(s)					\
	__print_symbolic(s, { 0, "open" }, { 1, "recovery" }, { 2, "loss" })

/*
 * ttp_retransmit: a segment was sent again (stream_send.c): after an
 * RTO (ca=loss) or in fast recovery (ca=recovery); @n counts the
 * retransmissions of this segment.
 */
TRACE_EVENT(ttp_retransmit,
	    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		     u32 seq, u32 len, u8 n, u8 ca_state),
	    TP_ARGS(saddr, sport, daddr, dport, seq, len, n, ca_state),
	    TP_STRUCT__entry(__field(u32, saddr)
			     __field(u32, daddr)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(u32, seq)
			     __field(u32, len)
			     __field(u8, n)
			     __field(u8, ca_state)),
	    TP_fast_assign(__entry->saddr = (__force u32)saddr;
			   __entry->daddr = (__force u32)daddr;
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->seq = seq;
			   __entry->len = len;
			   __entry->n = n;
			   __entry->ca_state = ca_state),
	    TP_printk("%pI4:%u -> %pI4:%u seq=%u len=%u n=%u ca=%s",
		      &__entry->saddr, __entry->sport,
		      &__entry->daddr, __entry->dport,
		      __entry->seq, __entry->len, __entry->n,
		      ttp_show_ca_state(__entry->ca_state))
);

/*
 * ttp_probe: the sender's state after each ACK (stream_ack.c), as
 * Linux's tcp:tcp_probe: what a student plots to see slow start,
 * congestion avoidance and recovery.  Windows in bytes, srtt in us.
 */
TRACE_EVENT(ttp_probe,
	    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		     u32 snd_una, u32 snd_nxt, u32 cwnd, u32 ssthresh,
		     u32 snd_wnd, u32 rcv_wnd, u32 srtt, u8 ca_state),
	    TP_ARGS(saddr, sport, daddr, dport, snd_una, snd_nxt, cwnd,
		    ssthresh, snd_wnd, rcv_wnd, srtt, ca_state),
	    TP_STRUCT__entry(__field(u32, saddr)
			     __field(u32, daddr)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(u32, snd_una)
			     __field(u32, snd_nxt)
			     __field(u32, cwnd)
			     __field(u32, ssthresh)
			     __field(u32, snd_wnd)
			     __field(u32, rcv_wnd)
			     __field(u32, srtt)
			     __field(u8, ca_state)),
	    TP_fast_assign(__entry->saddr = (__force u32)saddr;
			   __entry->daddr = (__force u32)daddr;
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->snd_una = snd_una;
			   __entry->snd_nxt = snd_nxt;
			   __entry->cwnd = cwnd;
			   __entry->ssthresh = ssthresh;
			   __entry->snd_wnd = snd_wnd;
			   __entry->rcv_wnd = rcv_wnd;
			   __entry->srtt = srtt;
			   __entry->ca_state = ca_state),
	    TP_printk("%pI4:%u -> %pI4:%u snd_una=%u snd_nxt=%u cwnd=%u ssthresh=%u snd_wnd=%u rcv_wnd=%u srtt=%u ca=%s",
		      &__entry->saddr, __entry->sport,
		      &__entry->daddr, __entry->dport, __entry->snd_una, __entry->snd_nxt,
		      __entry->cwnd, __entry->ssthresh, __entry->snd_wnd,
		      __entry->rcv_wnd, __entry->srtt,
		      ttp_show_ca_state(__entry->ca_state))
);

/*
 * ttp_window: a window changed: the peer's (who=peer, any change) or
 * ours (who=ours: to or from zero, and window updates after a read).
 */
TRACE_EVENT(ttp_window,
	    TP_PROTO(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		     int who, u32 old_wnd, u32 new_wnd),
	    TP_ARGS(saddr, sport, daddr, dport, who, old_wnd, new_wnd),
	    TP_STRUCT__entry(__field(u32, saddr)
			     __field(u32, daddr)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(int, who)
			     __field(u32, old_wnd)
			     __field(u32, new_wnd)),
	    TP_fast_assign(__entry->saddr = (__force u32)saddr;
			   __entry->daddr = (__force u32)daddr;
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->who = who;
			   __entry->old_wnd = old_wnd;
			   __entry->new_wnd = new_wnd),
	    TP_printk("%pI4:%u -> %pI4:%u %s window %u -> %u", &__entry->saddr, __entry->sport,
		      &__entry->daddr, __entry->dport,
		      __entry->who ? "peer" : "ours", __entry->old_wnd,
		      __entry->new_wnd)
);

#endif /* _TTP_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
