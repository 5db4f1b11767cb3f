/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TTP control messages (protocol 1): the ICMP layout, for "destination
 * unreachable", "time exceeded" and echo.  See Documentation/network.md.
 */
#ifndef _TTP_CTL_H
#define _TTP_CTL_H

#include <linux/icmp.h>
#include <linux/skbuff.h>

/* A control message for a local address; data at its header.  Consumes. */
void ttp_ctl_rcv(struct sk_buff *skb);

/*
 * Report a problem with @in_skb (a received packet whose network header
 * is set) to its source: @type/@code as in ICMP, @info the next-hop MTU
 * for "fragmentation needed".  Never answers an error with an error.
 */
void ttp_ctl_send(struct sk_buff *in_skb, u8 type, u8 code, __be32 info);

/* Count a control message of @type we send (CtlOutMsgs and its type's). */
void ttp_ctl_count_out(struct net *net, u8 type);

#endif /* _TTP_CTL_H */
