/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-namespace counters, shown in /proc/net/ttp/stats as "Name Value"
 * lines.  They are per-CPU so the receive path never bounces a cache line
 * between CPUs just to count a frame.
 */
#ifndef _TTP_STATS_H
#define _TTP_STATS_H

#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "netns.h"

enum ttp_mib_field {
	TTP_MIB_NF_IN_TTP,		/* EtherType 0x88B5 frames at the hook */
	TTP_MIB_NF_IN_ARP,		/* ARP frames for protocol 0x88B5 */
	TTP_MIB_DEV_ENABLES,		/* ingress hooks installed */
	TTP_MIB_DEV_DISABLES,		/* ingress hooks removed */
	TTP_MIB_SOCK_UNSUPPORTED,	/* socket() of a type TTP lacks */
	/* network layer: /proc/net/snmp "Ip:" names, prefixed */
	TTP_MIB_IP_IN_RECEIVES,
	TTP_MIB_IP_IN_HDR_ERRORS,
	TTP_MIB_IP_IN_CSUM_ERRORS,
	TTP_MIB_IP_IN_ADDR_ERRORS,
	TTP_MIB_IP_IN_UNKNOWN_PROTOS,
	TTP_MIB_IP_IN_TRUNCATED,
	TTP_MIB_IP_IN_DISCARDS,
	TTP_MIB_IP_IN_DELIVERS,
	TTP_MIB_IP_OUT_REQUESTS,
	TTP_MIB_IP_OUT_NO_ROUTES,
	TTP_MIB_IP_OUT_DISCARDS,
	TTP_MIB_IP_FORW_DATAGRAMS,
	TTP_MIB_IP_FORW_DISABLED,
	TTP_MIB_IP_TTL_EXPIRED,
	TTP_MIB_IP_FRAG_NEEDED,
	/* TTP ARP */
	TTP_MIB_ARP_IN_REQUESTS,
	TTP_MIB_ARP_IN_REPLIES,
	TTP_MIB_ARP_OUT_REQUESTS,
	TTP_MIB_ARP_OUT_REPLIES,
	TTP_MIB_ARP_IN_ERRORS,
	TTP_MIB_ARP_IN_GRATUITOUS,
	TTP_MIB_ARP_CONFLICTS,
	TTP_MIB_ARP_RESOLVE_FAILED,
	TTP_MIB_ARP_QUEUE_DROPS,
	TTP_MIB_ARP_CACHE_FULL,
	TTP_MIB_ARP_GC_EVICTED,
	/* control messages (ICMP layout) */
	TTP_MIB_CTL_IN_MSGS,
	TTP_MIB_CTL_IN_ERRORS,
	TTP_MIB_CTL_IN_DEST_UNREACHS,
	TTP_MIB_CTL_IN_TIME_EXCDS,
	TTP_MIB_CTL_IN_ECHOS,
	TTP_MIB_CTL_IN_ECHO_REPS,
	TTP_MIB_CTL_OUT_MSGS,
	TTP_MIB_CTL_OUT_DEST_UNREACHS,
	TTP_MIB_CTL_OUT_TIME_EXCDS,
	TTP_MIB_CTL_OUT_ECHO_REPS,
	TTP_MIB_CTL_OUT_ECHOS,		/* echo requests from control sockets */
	TTP_MIB_CTL_RCVBUF_ERRORS,	/* a control socket's queue was full */
	/* datagram transport: /proc/net/snmp "Udp:" names, prefixed */
	TTP_MIB_DGRAM_IN_DATAGRAMS,
	TTP_MIB_DGRAM_NO_PORTS,
	TTP_MIB_DGRAM_IN_ERRORS,
	TTP_MIB_DGRAM_IN_CSUM_ERRORS,
	TTP_MIB_DGRAM_RCVBUF_ERRORS,
	TTP_MIB_DGRAM_OUT_DATAGRAMS,
	TTP_MIB_DGRAM_SNDBUF_ERRORS,
	/* stream transport: /proc/net/snmp "Tcp:" names, prefixed */
	TTP_MIB_STREAM_ACTIVE_OPENS,
	TTP_MIB_STREAM_PASSIVE_OPENS,
	TTP_MIB_STREAM_ATTEMPT_FAILS,
	TTP_MIB_STREAM_ESTAB_RESETS,
	TTP_MIB_STREAM_CURR_ESTAB,	/* a gauge: inc and dec */
	TTP_MIB_STREAM_IN_SEGS,
	TTP_MIB_STREAM_OUT_SEGS,
	TTP_MIB_STREAM_IN_ERRS,
	TTP_MIB_STREAM_OUT_RSTS,
	TTP_MIB_STREAM_IN_CSUM_ERRORS,
	/* TcpExt ones */
	TTP_MIB_STREAM_LISTEN_OVERFLOWS,
	TTP_MIB_STREAM_LISTEN_DROPS,
	TTP_MIB_STREAM_CHALLENGE_ACKS,
	TTP_MIB_TIMEWAIT_ENTERED,
	TTP_MIB_TIMEWAIT_EXPIRED,
	TTP_MIB_TIMEWAIT_FIN_ACKED,
	TTP_MIB_TIMEWAIT_OVERFLOW,
	TTP_MIB_TIMEWAIT_REUSED,
	TTP_MIB_TIMEWAIT_RST_IGNORED,
	TTP_MIB_STREAM_KEEPALIVE_PROBES,
	TTP_MIB_STREAM_KEEPALIVE_TIMEOUTS,
	TTP_MIB_STREAM_SYNQ_EVICTIONS,
	/* the data path */
	TTP_MIB_STREAM_RETRANS_SEGS,	/* Tcp: RetransSegs */
	TTP_MIB_STREAM_FAST_RETRANS,
	TTP_MIB_STREAM_TIMEOUTS,
	TTP_MIB_STREAM_SPURIOUS_RTOS,
	TTP_MIB_STREAM_OFO_QUEUE,
	TTP_MIB_STREAM_OFO_DROP,
	TTP_MIB_STREAM_WIN_PROBE,
	TTP_MIB_STREAM_TO_ZERO_WINDOW_ADV,
	TTP_MIB_STREAM_FROM_ZERO_WINDOW_ADV,
	TTP_MIB_STREAM_DELAYED_ACKS,
	TTP_MIB_STREAM_RCVQ_DROP,
	TTP_MIB_MAX
};

struct ttp_mib {
	unsigned long mibs[TTP_MIB_MAX];
};

#define TTP_INC_STATS(tn, field) this_cpu_inc((tn)->mib->mibs[field])
#define TTP_DEC_STATS(tn, field) this_cpu_dec((tn)->mib->mibs[field])
#define TTP_NET_INC_STATS(net, field) TTP_INC_STATS(ttp_net(net), field)

int ttp_stats_init_ns(struct ttp_net *tn);
void ttp_stats_exit_ns(struct ttp_net *tn);
int ttp_stats_seq_show(struct seq_file *seq, void *v);

#endif /* _TTP_STATS_H */
