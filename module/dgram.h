/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TTP datagram sockets: socket(AF_TTP, SOCK_DGRAM, 0), a UDP-layout
 * transport (protocol 17) with the checksum over the IPv4-style
 * pseudo-header.
 */
#ifndef _TTP_DGRAM_H
#define _TTP_DGRAM_H

#include <linux/ip.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>

#include "netns.h"

int ttp_dgram_create(struct net *net, struct socket *sock, int protocol,
		     int kern);

/*
 * A datagram for a local address.  skb->data is at the datagram header,
 * the network header is set (ip_hdr() works) and trimmed to its total
 * length.  Consumes @skb.
 */
void ttp_dgram_rcv(struct sk_buff *skb);

/* Shared with control sockets, whose queue and flags work the same. */

/*
 * A control message reported an error for a datagram we sent: @iph is
 * the embedded original network header (its 8 payload bytes follow it),
 * @err the errno for the socket (ECONNREFUSED, EHOSTUNREACH, ...).
 */
void ttp_dgram_err(struct net *net, const struct iphdr *iph, int err);

int ttp_dgram_init_ns(struct ttp_net *tn);
void ttp_dgram_exit_ns(struct ttp_net *tn);
int ttp_dgram_init(void);
void ttp_dgram_exit(void);

/* One line per datagram socket, for /proc/net/ttp/sockets. */
void ttp_dgram_seq_show(struct seq_file *seq, struct ttp_net *tn);

#endif /* _TTP_DGRAM_H */
