/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TTP control sockets: socket(AF_TTP, SOCK_DGRAM, TTPPROTO_CONTROL), the
 * ping sockets of Linux's net/ipv4/ping.c for TTP.  See
 * Documentation/ping.md.
 */
#ifndef _TTP_CTL_SOCK_H
#define _TTP_CTL_SOCK_H

#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>

#include "netns.h"

int ttp_ctl_sock_create(struct net *net, struct socket *sock, int protocol,
			int kern);

/*
 * A control message for the socket whose identifier is @ident, about an
 * echo request sent from @laddr to @raddr: an echo reply, or an error
 * quoting the request.  @skb: data at the control header, network header
 * set, checksum verified.  Consumes @skb and returns true when a socket
 * took it; false leaves it to the caller.  Softirq context.
 */
bool ttp_ctl_sock_rcv(struct net *net, struct sk_buff *skb, u16 ident,
		      __be32 laddr, __be32 raddr);

int ttp_ctl_sock_init_ns(struct ttp_net *tn);
void ttp_ctl_sock_exit_ns(struct ttp_net *tn);
int ttp_ctl_sock_init(void);
void ttp_ctl_sock_exit(void);

/* One line per control socket, for /proc/net/ttp/sockets. */
void ttp_ctl_sock_seq_show(struct seq_file *seq, struct ttp_net *tn);

#endif /* _TTP_CTL_SOCK_H */
