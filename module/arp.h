/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TTP ARP: RFC 826 address resolution for TTP (hardware Ethernet, protocol
 * type 0x88B5), with its own per-namespace cache, independent of the
 * kernel's neighbour table (ip neigh).
 */
#ifndef _TTP_ARP_H
#define _TTP_ARP_H

#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>

#include "netns.h"

struct ttp_ndev;
struct ttp_arp_table;

/* Cache entry states, as /proc/net/ttp/arp shows them. */
enum ttp_arp_state {
	TTP_ARP_INCOMPLETE,	/* request sent, waiting for the reply */
	TTP_ARP_REACHABLE,	/* confirmed within reachable time */
	TTP_ARP_STALE,		/* usable, but not confirmed lately */
	TTP_ARP_DELAY,		/* stale and used: waiting before probing */
	TTP_ARP_PROBE,		/* unicast requests to re-confirm */
	TTP_ARP_FAILED,		/* no answer: packets to it are dropped */
	TTP_ARP_PERMANENT,	/* static, set by the administrator */
};

/*
 * Transmit @skb (network header at skb->data, no link header yet) to the
 * on-link neighbour @nexthop through @dev: resolve it, add the Ethernet
 * header and dev_queue_xmit(), or queue it on the entry until resolution
 * ends (a FAILED entry is resolved again).  Consumes @skb.  Returns 0 when
 * sent or queued: if resolution fails later, each queued packet's socket
 * gets EHOSTUNREACH through ttp_ip_report_error().  -ENOBUFS when no entry
 * can be made (table full, no memory), -ENETUNREACH when @dev is not
 * TTP-enabled, -EHOSTUNREACH for a @nexthop ARP cannot resolve (multicast,
 * broadcast, zero, loopback).  Drops are counted.
 * Called with BHs enabled or disabled, from any context but hard IRQ.
 */
int ttp_arp_output(struct net_device *dev, __be32 nexthop,
		   struct sk_buff *skb);

/* A TTP ARP frame from the ingress hook (data at the ARP header); consumes. */
void ttp_arp_rcv(struct sk_buff *skb, struct ttp_ndev *nd);

/* Gratuitous ARP: announce @addr on @dev (address added, link up). */
void ttp_arp_announce(struct net_device *dev, __be32 addr);

/* Drop every entry (static ones too) on @dev: link down or device gone. */
void ttp_arp_flush_dev(struct net *net, struct net_device *dev);

int ttp_arp_init_ns(struct ttp_net *tn);
void ttp_arp_exit_ns(struct ttp_net *tn);
int ttp_arp_seq_show(struct seq_file *seq, void *v);
int ttp_arp_proc_write(struct file *file, char *buf, size_t size);

#endif /* _TTP_ARP_H */
