/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TTP network layer: an IPv4-layout header under EtherType 0x88B5.
 *
 * Addresses are the IPv4 addresses of TTP-enabled devices and routes come
 * from the namespace's own routing table (ip route), so a student builds a
 * TTP network with exactly the commands of an IPv4 one.
 */
#ifndef _TTP_IP_H
#define _TTP_IP_H

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/route.h>
#include <net/sock.h>
#include <uapi/linux/ttp.h>

struct ttp_ndev;
struct ttp_net;

/*
 * Where a packet goes: the result of a routing decision.  @rt holds the
 * reference on @dev; release it with ttp_route_put().
 */
struct ttp_route {
	struct rtable *rt;
	struct net_device *dev;		/* output device (lo when @local) */
	__be32 saddr;			/* source address the FIB chose */
	__be32 daddr;
	__be32 nexthop;			/* daddr, or the gateway */
	unsigned int mtu;		/* largest packet, network header included */
	bool local;			/* daddr is one of ours */
};

int ttp_route_output(struct net *net, struct ttp_route *r, __be32 daddr,
		     __be32 saddr, int oif);
int ttp_route_sk(struct sock *sk, struct ttp_route *r, __be32 daddr,
		 __be32 saddr, int oif);
void ttp_route_put(struct ttp_route *r);
bool ttp_ip_is_local(struct net *net, __be32 addr);

/*
 * Send a transport segment: @skb holds the transport header and payload
 * with room for the link and network headers in front (LL_RESERVED_SPACE
 * of r->dev plus sizeof(struct iphdr)).  Consumes @skb.  Returns 0, or a
 * negative errno the caller may report (-EHOSTUNREACH, -ENOBUFS, ...).
 */
int ttp_ip_send(struct ttp_net *tn, struct sk_buff *skb,
		const struct ttp_route *r, u8 proto, u8 ttl);

/*
 * A packet a local socket sent could not be delivered (ARP failed, ...):
 * report @err on that socket, if it has one.
 */
void ttp_ip_report_error(struct sk_buff *skb, int err);

/*
 * A packet leaves the module for a device here.  A stream segment drops
 * its socket then: stream sockets do not pin the module (an orphan must
 * not hold rmmod up), so no device queue that might outlive the module
 * may point at one.  Datagram sockets pin it and keep their send-buffer
 * accounting until the device frees the packet, as UDP's do.
 */
static inline void ttp_ip_leave_module(struct sk_buff *skb)
{
	if (skb->sk && skb->sk->sk_protocol == TTPPROTO_STREAM)
		skb_orphan(skb);
}

/* A frame from the ingress hook (@nd) or from lo (@nd == NULL); consumes. */
void ttp_ip_rcv(struct sk_buff *skb, struct ttp_ndev *nd);

/* dev_queue_xmit()'s result as 0 or a negative errno. */
int ttp_ip_xmit_errno(int rc);

/* Headroom a transport must reserve for ttp_ip_send() on @dev. */
static inline unsigned int ttp_ip_headroom(const struct net_device *dev)
{
	return LL_RESERVED_SPACE(dev) + sizeof(struct iphdr);
}

int ttp_ip_init(void);
void ttp_ip_exit(void);

#endif /* _TTP_IP_H */
