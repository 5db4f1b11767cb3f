/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state.  Everything a student can see in one
 * namespace (counters, devices, /proc and sysctl files) hangs off the
 * struct ttp_net of that namespace, so namespaces never see each other.
 */
#ifndef _TTP_NETNS_H
#define _TTP_NETNS_H

#include <linux/list.h>
#include <linux/ratelimit.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct ttp_mib;
struct ttp_arp_table;
struct ttp_sk_table;
struct ttp_stream_table;

/* The namespace's knobs: /proc/sys/net/ttp/, see Documentation/proc.md. */
struct ttp_net_cfg {
	int forwarding;			/* forward between enabled devices */
	int default_ttl;		/* TTL of locally sent packets */
	int local_port_range[2];	/* ephemeral ports */
	int arp_retries;		/* requests before FAILED */
	int arp_retrans_ms;		/* between requests */
	int arp_reachable_ms;		/* REACHABLE -> STALE */
	int arp_delay_probe_ms;		/* DELAY -> PROBE */
	int arp_stale_ms;		/* unused STALE/FAILED entries go */
	int arp_max_entries;		/* cache size limit */
	int arp_queue_len;		/* packets waiting per entry */
	int stream_syn_retries;		/* SYN retransmissions, then ETIMEDOUT */
	int stream_synack_retries;	/* SYN-ACK retransmissions */
	int stream_rto_init_ms;		/* first SYN/SYN-ACK timeout */
	int stream_time_wait_ms;	/* 2MSL; 0 allowed for labs */
	int stream_fin_timeout_ms;	/* orphaned FIN_WAIT_2 and friends */
	int stream_max_tw_buckets;	/* TIME_WAIT table limit */
	int stream_keepalive_time_ms;	/* idle time before the first probe */
	int stream_keepalive_intvl_ms;	/* between unanswered probes */
	int stream_keepalive_probes;	/* unanswered probes, then reset */
	int stream_rto_min_ms;		/* RFC 6298 bounds of the RTO */
	int stream_rto_max_ms;
	int stream_retries2;		/* RTOs without progress, ETIMEDOUT */
	int stream_delack_ms;		/* delayed-ACK timeout; 0: none */
	int stream_invalid_ratelimit_ms; /* ACKs to invalid segments; 0: all */
	int stream_rmem[3];		/* receive buffer: min default max */
	int stream_wmem[3];		/* send buffer: min default max */
	int stream_mem_max_kb;		/* all stream buffers of the netns */
};

struct ttp_net {
	struct net *net;
	struct ttp_mib __percpu *mib;		/* /proc/net/ttp/stats */
	struct proc_dir_entry *proc_dir;	/* /proc/net/ttp */
	struct ctl_table_header *sysctl_hdr;	/* /proc/sys/net/ttp */
	struct ctl_table *sysctl_table;
	/* struct ttp_ndev of this namespace: RCU readers, RTNL writers */
	struct list_head ndevs;
	struct ttp_net_cfg cfg;
	atomic_t ip_id;				/* IP ID of sent packets */
	struct ratelimit_state ctl_rs;		/* control errors sent */
	struct ttp_arp_table *arp;
	struct ttp_sk_table *dgram;		/* datagram sockets */
	struct ttp_sk_table *ctl;		/* control (ping) sockets */
	struct ttp_stream_table *stream;
	atomic_long_t stream_mem;		/* bytes in stream buffers */
};

extern unsigned int ttp_net_id;

static inline struct ttp_net *ttp_net(const struct net *net)
{
	return net_generic(net, ttp_net_id);
}

int ttp_net_init(void);
void ttp_net_exit(void);

/* Is @port taken for @sk at @saddr?  @table: the caller's port table. */
typedef bool (*ttp_port_taken_t)(void *table, const struct sock *sk,
				 __be32 saddr, u16 port);
u16 ttp_net_pick_port(const struct sock *sk, __be32 saddr,
		      ttp_port_taken_t taken, void *table);

#endif /* _TTP_NETNS_H */
