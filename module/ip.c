// SPDX-License-Identifier: GPL-2.0
/*
 * The TTP network layer: build, check, deliver and forward packets with
 * the IPv4 header layout (RFC 791) under EtherType 0x88B5.
 *
 * Routing is the namespace's own: ip_route_output_key() reads the same
 * FIB that `ip route` writes, so the student's routes, default gateway
 * and source-address choice apply to TTP as they do to IPv4.  A route must
 * leave through a TTP-enabled device.
 *
 * Packets to one of our own addresses take the kernel's loopback device,
 * as Linux's own IPv4 does: they get an all-zero Ethernet header with
 * EtherType 0x88B5 and are handed to lo, whose receive path brings them
 * back to ttp_ip_loop_rcv() through a packet_type.  Delivery is deferred
 * to softirq like any received frame (no recursion into the receiver
 * while the sender holds its locks), and `tcpdump -i lo` shows it.
 */
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <net/ip.h>
#include <net/route.h>
#include <uapi/linux/ttp.h>

#include "arp.h"
#include "ctl.h"
#include "dgram.h"
#include "stream.h"
#include "ip.h"
#include "ndev.h"
#include "stats.h"

/* --- routing ---------------------------------------------------------- */

/* Is @addr an address of a TTP-enabled device of @net? */
static bool ttp_ip_local_on(struct net *net, __be32 addr,
			    const struct ttp_ndev *in)
{
	struct net_device *dev;
	bool local;

	rcu_read_lock();
	dev = __ip_dev_find(net, addr, false);
	/* The device a packet came in on is enabled: its hook took it. */
	local = dev && ((in && dev == in->dev) || ttp_ndev_enabled(dev));
	rcu_read_unlock();
	return local;
}

bool ttp_ip_is_local(struct net *net, __be32 addr)
{
	return ttp_ip_local_on(net, addr, NULL);
}

static int ttp_route_check(struct net *net, struct ttp_route *r)
{
	struct rtable *rt = r->rt;

	if (rt->rt_type == RTN_LOCAL) {
		r->local = true;
		r->mtu = IP_MAX_MTU;
		if (!ttp_ip_is_local(net, r->daddr))
			return -ENETUNREACH;
		/* Local packets travel through lo, as IPv4's do. */
		return netif_running(net->loopback_dev) ? 0 : -ENETDOWN;
	}
	/* Unicast only: TTP has no broadcast or multicast service. */
	if (rt->rt_type != RTN_UNICAST)
		return -ENETUNREACH;
	r->local = false;
	r->mtu = min_t(unsigned int, dst_mtu(&rt->dst), IP_MAX_MTU);
	return ttp_ndev_enabled(r->dev) ? 0 : -ENETUNREACH;
}

/**
 * ttp_route_output - choose where a packet to @daddr goes
 * @net: the namespace whose routing table decides
 * @r: filled in on success; release with ttp_route_put()
 * @daddr: destination
 * @saddr: source the sender is bound to, or 0 to let the FIB choose
 * @oif: device the sender is bound to, or 0
 *
 * Return: 0, or -ENETUNREACH when no route leaves through a TTP-enabled
 * device (also counted as IpOutNoRoutes), -ENETDOWN for a local address
 * while lo is down, -EINVAL for a bad @saddr.
 */
int ttp_route_output(struct net *net, struct ttp_route *r, __be32 daddr,
		     __be32 saddr, int oif)
{
	struct flowi4 fl4 = {
		.daddr		= daddr,
		.saddr		= saddr,
		.flowi4_oif	= oif,
	};
	struct rtable *rt;
	int err;

	r->rt = NULL;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		TTP_NET_INC_STATS(net, TTP_MIB_IP_OUT_NO_ROUTES);
		err = PTR_ERR(rt);
		return err == -EINVAL ? err : -ENETUNREACH;
	}
	*r = (struct ttp_route) {
		.rt	 = rt,
		.dev	 = rt->dst.dev,
		.saddr	 = fl4.saddr,
		.daddr	 = daddr,
		.nexthop = rt_nexthop(rt, daddr),
	};
	err = ttp_route_check(net, r);
	if (err) {
		TTP_NET_INC_STATS(net, TTP_MIB_IP_OUT_NO_ROUTES);
		ip_rt_put(rt);
		r->rt = NULL;
	}
	return err;
}

/**
 * ttp_route_sk - ttp_route_output() for a connected socket's packets
 * @sk: the socket, locked (lock_sock() or bh_lock_sock())
 * @r: filled in on success; release with ttp_route_put()
 * @daddr: destination
 * @saddr: the socket's source address (not 0)
 * @oif: device the socket is bound to, or 0
 *
 * The route is cached in sk_dst_cache, as TCP caches its own: every
 * segment would otherwise look the FIB up again.  __sk_dst_check()
 * drops it when the routing tables change.
 */
int ttp_route_sk(struct sock *sk, struct ttp_route *r, __be32 daddr,
		 __be32 saddr, int oif)
{
	struct net *net = sock_net(sk);
	struct dst_entry *dst = __sk_dst_check(sk, 0);
	int err;

	if (dst) {
		struct rtable *rt = container_of(dst, struct rtable, dst);

		dst_hold(dst);
		*r = (struct ttp_route) {
			.rt	 = rt,
			.dev	 = dst->dev,
			.saddr	 = saddr,
			.daddr	 = daddr,
			.nexthop = rt_nexthop(rt, daddr),
		};
		if (!ttp_route_check(net, r))
			return 0;
		ttp_route_put(r);
		sk_dst_reset(sk);
	}
	err = ttp_route_output(net, r, daddr, saddr, oif);
	if (!err && r->saddr == saddr)
		sk_dst_set(sk, dst_clone(&r->rt->dst));
	return err;
}

void ttp_route_put(struct ttp_route *r)
{
	if (r->rt)
		ip_rt_put(r->rt);
	r->rt = NULL;
}

/* --- output ----------------------------------------------------------- */

/*
 * dev_queue_xmit() returns 0, a negative errno, or a positive NET_XMIT_*
 * code; net_xmit_errno() is only meant for the positive ones.
 */
int ttp_ip_xmit_errno(int rc)
{
	return rc > 0 ? net_xmit_errno(rc) : rc;
}

static int ttp_ip_loop_xmit(struct net *net, struct sk_buff *skb)
{
	struct net_device *lo = net->loopback_dev;

	skb->dev = lo;
	skb->protocol = htons(ETH_P_TTP);
	if (dev_hard_header(skb, lo, ETH_P_TTP, NULL, NULL, skb->len) < 0) {
		TTP_NET_INC_STATS(net, TTP_MIB_IP_OUT_DISCARDS);
		kfree_skb(skb);
		return -EINVAL;
	}
	ttp_ip_leave_module(skb);
	return ttp_ip_xmit_errno(dev_queue_xmit(skb));
}

static int ttp_ip_xmit(struct net *net, struct sk_buff *skb,
		       const struct ttp_route *r)
{
	if (r->local)
		return ttp_ip_loop_xmit(net, skb);
	return ttp_arp_output(r->dev, r->nexthop, skb);
}

/**
 * ttp_ip_send - put the network header on a transport segment and send it
 * @tn: the namespace's TTP state
 * @skb: transport header and payload; headroom per ttp_ip_headroom()
 * @r: the route from ttp_route_output()
 * @proto: TTPPROTO_*
 * @ttl: time to live
 *
 * Every packet has IHL 5 and DF set: TTP never fragments, transports size
 * their segments from the route's MTU instead.  Consumes @skb.
 *
 * Return: 0 or a negative errno for the sender (-EMSGSIZE, -EHOSTUNREACH,
 * -ENOBUFS).
 */
int ttp_ip_send(struct ttp_net *tn, struct sk_buff *skb,
		const struct ttp_route *r, u8 proto, u8 ttl)
{
	struct iphdr *iph;

	TTP_INC_STATS(tn, TTP_MIB_IP_OUT_REQUESTS);
	if (skb->len + sizeof(*iph) > r->mtu) {
		TTP_INC_STATS(tn, TTP_MIB_IP_OUT_DISCARDS);
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(skb->len);
	iph->id = htons((u16)atomic_inc_return(&tn->ip_id));
	iph->frag_off = htons(IP_DF);
	iph->ttl = ttl;
	iph->protocol = proto;
	iph->saddr = r->saddr;
	iph->daddr = r->daddr;
	ip_send_check(iph);
	return ttp_ip_xmit(tn->net, skb, r);
}

void ttp_ip_report_error(struct sk_buff *skb, int err)
{
	struct sock *sk = skb->sk;

	/* Only TTP sockets send through TTP; the skb pins the socket. */
	if (!sk || !sk_fullsock(sk))
		return;
	if (sk->sk_protocol == TTPPROTO_STREAM) {
		ttp_stream_soft_error(sk, err);
		return;
	}
	WRITE_ONCE(sk->sk_err, err);
	sk_error_report(sk);
}

/* --- input ------------------------------------------------------------ */

static void ttp_ip_drop(struct net *net, struct sk_buff *skb, int field)
{
	TTP_NET_INC_STATS(net, field);
	kfree_skb(skb);
}

static void ttp_ip_local_deliver(struct ttp_net *tn, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	__skb_pull(skb, skb_network_header_len(skb));
	switch (iph->protocol) {
	case TTPPROTO_DGRAM:
		TTP_INC_STATS(tn, TTP_MIB_IP_IN_DELIVERS);
		ttp_dgram_rcv(skb);
		return;
	case TTPPROTO_CONTROL:
		TTP_INC_STATS(tn, TTP_MIB_IP_IN_DELIVERS);
		ttp_ctl_rcv(skb);
		return;
	case TTPPROTO_STREAM:
		TTP_INC_STATS(tn, TTP_MIB_IP_IN_DELIVERS);
		ttp_stream_rcv(tn, skb);
		return;
	}
	TTP_INC_STATS(tn, TTP_MIB_IP_IN_UNKNOWN_PROTOS);
	ttp_ctl_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	kfree_skb(skb);
}

/* Too old: tell the source (traceroute listens for this) and drop. */
static void ttp_ip_ttl_expired(struct net *net, struct sk_buff *skb)
{
	TTP_NET_INC_STATS(net, TTP_MIB_IP_TTL_EXPIRED);
	ttp_ctl_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
	ttp_ip_drop(net, skb, TTP_MIB_IP_IN_HDR_ERRORS);
}

static void ttp_ip_forward_route(struct net *net, struct sk_buff *skb)
{
	struct ttp_route r;

	if (ttp_route_output(net, &r, ip_hdr(skb)->daddr, 0, 0) || r.local) {
		ttp_route_put(&r);
		ttp_ctl_send(skb, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0);
		ttp_ip_drop(net, skb, TTP_MIB_IP_IN_ADDR_ERRORS);
		return;
	}
	if (skb->len > r.mtu) {
		/* DF is always set: say how big a packet may be. */
		TTP_NET_INC_STATS(net, TTP_MIB_IP_FRAG_NEEDED);
		ttp_ctl_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			     htonl(r.mtu));
		ttp_route_put(&r);
		ttp_ip_drop(net, skb, TTP_MIB_IP_IN_DISCARDS);
		return;
	}
	if (skb_cow(skb, LL_RESERVED_SPACE(r.dev))) {
		ttp_route_put(&r);
		ttp_ip_drop(net, skb, TTP_MIB_IP_IN_DISCARDS);
		return;
	}
	ip_decrease_ttl(ip_hdr(skb));
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	TTP_NET_INC_STATS(net, TTP_MIB_IP_FORW_DATAGRAMS);
	ttp_arp_output(r.dev, r.nexthop, skb);
	ttp_route_put(&r);
}

/*
 * Not for us: a router passes it on when net.ttp.forwarding is 1, as
 * RFC 1812 says: TTL first, then the route, then the MTU.
 */
static void ttp_ip_forward(struct net *net, struct sk_buff *skb,
			   struct ttp_ndev *nd)
{
	if (!nd || !READ_ONCE(ttp_net(net)->cfg.forwarding)) {
		TTP_NET_INC_STATS(net, TTP_MIB_IP_FORW_DISABLED);
		ttp_ip_drop(net, skb, TTP_MIB_IP_IN_ADDR_ERRORS);
		return;
	}
	/* Link-layer broadcasts are never forwarded. */
	if (skb->pkt_type != PACKET_HOST) {
		ttp_ip_drop(net, skb, TTP_MIB_IP_IN_ADDR_ERRORS);
		return;
	}
	if (ip_hdr(skb)->ttl <= 1) {
		ttp_ip_ttl_expired(net, skb);
		return;
	}
	ttp_ip_forward_route(net, skb);
}

/*
 * RFC 1122 3.2.1 checks on a received header.  Returns the counter to
 * bump when the packet must be dropped, or -1 when it is good; on success
 * the skb is trimmed to the header's total length.
 */
static int ttp_ip_check(struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int len, hlen;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return TTP_MIB_IP_IN_HDR_ERRORS;
	iph = ip_hdr(skb);
	hlen = iph->ihl * 4;
	if (iph->version != 4 || hlen < sizeof(*iph))
		return TTP_MIB_IP_IN_HDR_ERRORS;
	if (!pskb_may_pull(skb, hlen))
		return TTP_MIB_IP_IN_HDR_ERRORS;
	iph = ip_hdr(skb);
	if (unlikely(ip_fast_csum((u8 *)iph, iph->ihl)))
		return TTP_MIB_IP_IN_CSUM_ERRORS;
	len = ntohs(iph->tot_len);
	if (skb->len < len)
		return TTP_MIB_IP_IN_TRUNCATED;
	if (len < hlen)
		return TTP_MIB_IP_IN_HDR_ERRORS;
	if (pskb_trim_rcsum(skb, len))
		return TTP_MIB_IP_IN_DISCARDS;
	iph = ip_hdr(skb);
	/* TTP never fragments, and a TTL of 0 must not have been sent. */
	if (iph->ttl == 0 || ip_is_fragment(iph))
		return TTP_MIB_IP_IN_HDR_ERRORS;
	if (ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_zeronet(iph->saddr))
		return TTP_MIB_IP_IN_ADDR_ERRORS;
	skb_set_transport_header(skb, hlen);
	return -1;
}

/**
 * ttp_ip_rcv - a TTP packet arrived
 * @skb: the frame, data at the network header
 * @nd: the TTP-enabled device it arrived on, or NULL from lo
 *
 * Called in softirq context.  Consumes @skb.
 */
void ttp_ip_rcv(struct sk_buff *skb, struct ttp_ndev *nd)
{
	struct net *net = dev_net(skb->dev);
	struct ttp_net *tn;
	int bad;

	/* Frames for another MAC reach us only in promiscuous mode. */
	if (skb->pkt_type == PACKET_OTHERHOST) {
		consume_skb(skb);
		return;
	}
	/* A hooked device's namespace is its own: its state says which. */
	tn = nd ? nd->tn : ttp_net(net);
	TTP_INC_STATS(tn, TTP_MIB_IP_IN_RECEIVES);
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		TTP_INC_STATS(tn, TTP_MIB_IP_IN_DISCARDS);
		return;
	}
	/*
	 * A frame from a cable or veth still belongs to the socket that sent
	 * it, maybe in another namespace.  Let go of it, as ip_rcv() does:
	 * otherwise a packet waiting here for ARP stays charged to that
	 * socket, and a failure is reported to it by ttp_ip_report_error().
	 */
	skb_orphan(skb);
	skb_reset_network_header(skb);
	bad = ttp_ip_check(skb);
	if (bad >= 0) {
		if (bad == TTP_MIB_IP_IN_CSUM_ERRORS)
			TTP_INC_STATS(tn, TTP_MIB_IP_IN_HDR_ERRORS);
		ttp_ip_drop(net, skb, bad);
		return;
	}
	if (ttp_ip_local_on(net, ip_hdr(skb)->daddr, nd))
		ttp_ip_local_deliver(tn, skb);
	else
		ttp_ip_forward(net, skb, nd);
}

/*
 * Local packets come back from lo here.  Frames of our EtherType on a
 * device that is not TTP-enabled also reach this handler: they are not
 * ours to take, so they are dropped, as the stack would without us.
 */
static int ttp_ip_loop_rcv(struct sk_buff *skb, struct net_device *dev,
			   struct packet_type *pt, struct net_device *orig)
{
	if (!(dev->flags & IFF_LOOPBACK)) {
		consume_skb(skb);
		return NET_RX_DROP;
	}
	ttp_ip_rcv(skb, NULL);
	return NET_RX_SUCCESS;
}

static struct packet_type ttp_ip_loop_ptype __read_mostly = {
	.type = cpu_to_be16(ETH_P_TTP),
	.func = ttp_ip_loop_rcv,
};

int __init ttp_ip_init(void)
{
	dev_add_pack(&ttp_ip_loop_ptype);
	return 0;
}

void ttp_ip_exit(void)
{
	dev_remove_pack(&ttp_ip_loop_ptype);
}
