// SPDX-License-Identifier: GPL-2.0
/*
 * TTP control messages: the ICMP layout (RFC 792) as protocol 1 of the TTP
 * network layer.
 *
 * A router that drops a packet whose TTL ran out says "time exceeded", a
 * host with no socket on a port says "port unreachable": that is what
 * makes a traceroute lab possible and gives a connected datagram socket
 * ECONNREFUSED.  Echo requests are answered, so TTP hosts can be pinged;
 * echo replies, and errors about echo requests, go to the control
 * ("ping") socket that sent the request (ctl_sock.c).
 *
 * Errors quote the offending packet's network header and its first 8
 * payload bytes (the ports), as RFC 792 asks, and are rate-limited per
 * namespace so that a flood of bad packets cannot become a flood of
 * answers.
 */
#include <linux/icmp.h>
#include <linux/ratelimit.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <uapi/linux/ttp.h>

#include "ctl.h"
#include "ctl_sock.h"
#include "dgram.h"
#include "ip.h"
#include "stats.h"

/* Errors we never answer with an error (RFC 1122 3.2.2). */
static bool ttp_ctl_is_error(u8 type)
{
	return type != ICMP_ECHO && type != ICMP_ECHOREPLY;
}

static bool ttp_ctl_may_answer(struct sk_buff *in_skb)
{
	const struct iphdr *iph = ip_hdr(in_skb);
	u8 _type;
	const u8 *type;

	if (ipv4_is_multicast(iph->daddr) || ipv4_is_lbcast(iph->daddr) ||
	    in_skb->pkt_type != PACKET_HOST)
		return false;
	/* A subnet's directed broadcast, sent to a router's MAC, is one too. */
	if (inet_addr_type_dev_table(dev_net(in_skb->dev), in_skb->dev,
				     iph->daddr) == RTN_BROADCAST)
		return false;
	if (iph->protocol != TTPPROTO_CONTROL)
		return true;
	type = skb_header_pointer(in_skb, skb_transport_offset(in_skb),
				  sizeof(_type), &_type);
	return type && !ttp_ctl_is_error(*type);
}

void ttp_ctl_count_out(struct net *net, u8 type)
{
	TTP_NET_INC_STATS(net, TTP_MIB_CTL_OUT_MSGS);
	if (type == ICMP_DEST_UNREACH)
		TTP_NET_INC_STATS(net, TTP_MIB_CTL_OUT_DEST_UNREACHS);
	else if (type == ICMP_TIME_EXCEEDED)
		TTP_NET_INC_STATS(net, TTP_MIB_CTL_OUT_TIME_EXCDS);
	else if (type == ICMP_ECHOREPLY)
		TTP_NET_INC_STATS(net, TTP_MIB_CTL_OUT_ECHO_REPS);
	else if (type == ICMP_ECHO)
		TTP_NET_INC_STATS(net, TTP_MIB_CTL_OUT_ECHOS);
}

/*
 * Build and send one message to @daddr: @hdr, then @len bytes of @in_skb
 * from offset @off (relative to its network header).
 */
static void ttp_ctl_xmit(struct net *net, const struct icmphdr *hdr,
			 __be32 daddr, __be32 saddr, struct sk_buff *in_skb,
			 int off, unsigned int len)
{
	struct ttp_route r;
	struct icmphdr *h;
	struct sk_buff *skb;

	if (ttp_route_output(net, &r, daddr, saddr, 0))
		return;
	skb = alloc_skb(ttp_ip_headroom(r.dev) + sizeof(*h) + len,
			GFP_ATOMIC);
	if (!skb)
		goto out;
	skb_reserve(skb, ttp_ip_headroom(r.dev));
	h = skb_put(skb, sizeof(*h));
	*h = *hdr;
	if (skb_copy_bits(in_skb, skb_network_offset(in_skb) + off,
			  skb_put(skb, len), len)) {
		kfree_skb(skb);
		goto out;
	}
	h->checksum = 0;
	h->checksum = ip_compute_csum(h, skb->len);
	ttp_ctl_count_out(net, hdr->type);
	ttp_ip_send(ttp_net(net), skb, &r, TTPPROTO_CONTROL,
		    READ_ONCE(ttp_net(net)->cfg.default_ttl));
out:
	ttp_route_put(&r);
}

void ttp_ctl_send(struct sk_buff *in_skb, u8 type, u8 code, __be32 info)
{
	struct net *net = dev_net(in_skb->dev);
	const struct iphdr *iph = ip_hdr(in_skb);
	struct icmphdr hdr = { .type = type, .code = code };
	unsigned int quote;
	__be32 saddr;

	if (!ttp_ctl_may_answer(in_skb))
		return;
	if (!__ratelimit(&ttp_net(net)->ctl_rs))
		return;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		hdr.un.frag.mtu = htons(ntohl(info));
	/* The network header and 8 bytes, or what there is of them. */
	quote = min_t(unsigned int, iph->ihl * 4 + 8,
		      in_skb->len - skb_network_offset(in_skb));
	quote = min_t(unsigned int, quote, ntohs(iph->tot_len));
	/* Answer from the address that was asked, if it is ours. */
	saddr = ttp_ip_is_local(net, iph->daddr) ? iph->daddr : 0;
	ttp_ctl_xmit(net, &hdr, iph->saddr, saddr, in_skb, 0, quote);
}

/* Ping: answer with the request's identifier, sequence and data. */
static void ttp_ctl_echo(struct net *net, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct icmphdr hdr = *icmp_hdr(skb);

	TTP_NET_INC_STATS(net, TTP_MIB_CTL_IN_ECHOS);
	if (skb->pkt_type != PACKET_HOST)
		return;
	hdr.type = ICMP_ECHOREPLY;
	ttp_ctl_xmit(net, &hdr, iph->saddr, iph->daddr, skb,
		     skb_network_header_len(skb) + sizeof(hdr),
		     skb->len - sizeof(hdr));
}

/* The (negative) errno a socket sees for a control error. */
static int ttp_ctl_errno(u8 type, u8 code)
{
	if (type == ICMP_TIME_EXCEEDED)
		return -EHOSTUNREACH;
	switch (code) {
	case ICMP_NET_UNREACH:
		return -ENETUNREACH;
	case ICMP_PROT_UNREACH:
		return -ENOPROTOOPT;
	case ICMP_PORT_UNREACH:
		return -ECONNREFUSED;
	case ICMP_FRAG_NEEDED:
		return -EMSGSIZE;
	}
	return -EHOSTUNREACH;
}

/*
 * An error about a packet we sent: tell the transport that sent it.  One
 * about an echo request goes, whole, to the control socket that sent it:
 * returns true then, @skb consumed.
 */
static bool ttp_ctl_error(struct net *net, struct sk_buff *skb)
{
	const struct icmphdr *h = icmp_hdr(skb);
	const struct icmphdr *quoted;
	const struct iphdr *inner;

	TTP_NET_INC_STATS(net, h->type == ICMP_TIME_EXCEEDED ?
			  TTP_MIB_CTL_IN_TIME_EXCDS :
			  TTP_MIB_CTL_IN_DEST_UNREACHS);
	if (!pskb_may_pull(skb, sizeof(*h) + sizeof(*inner) + 8)) {
		TTP_NET_INC_STATS(net, TTP_MIB_CTL_IN_ERRORS);
		return false;
	}
	h = icmp_hdr(skb);
	inner = (const struct iphdr *)(h + 1);
	if (inner->ihl != 5)
		return false;
	if (inner->protocol == TTPPROTO_DGRAM)
		ttp_dgram_err(net, inner, -ttp_ctl_errno(h->type, h->code));
	if (inner->protocol != TTPPROTO_CONTROL)
		return false;
	quoted = (const struct icmphdr *)(inner + 1);
	if (quoted->type != ICMP_ECHO)
		return false;
	return ttp_ctl_sock_rcv(net, skb, ntohs(quoted->un.echo.id),
				inner->saddr, inner->daddr);
}

/**
 * ttp_ctl_rcv - a control message for us
 * @skb: data at the control header; consumed
 */
void ttp_ctl_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct icmphdr *h;

	if (!pskb_may_pull(skb, sizeof(*h)) ||
	    csum_fold(skb_checksum(skb, 0, skb->len, 0))) {
		TTP_NET_INC_STATS(net, TTP_MIB_CTL_IN_ERRORS);
		kfree_skb(skb);
		return;
	}
	TTP_NET_INC_STATS(net, TTP_MIB_CTL_IN_MSGS);
	h = icmp_hdr(skb);
	switch (h->type) {
	case ICMP_ECHO:
		ttp_ctl_echo(net, skb);
		break;
	case ICMP_ECHOREPLY:
		TTP_NET_INC_STATS(net, TTP_MIB_CTL_IN_ECHO_REPS);
		/* For the control socket whose identifier it carries. */
		if (ttp_ctl_sock_rcv(net, skb, ntohs(h->un.echo.id),
				     ip_hdr(skb)->daddr, ip_hdr(skb)->saddr))
			return;
		break;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
		if (ttp_ctl_error(net, skb))
			return;
		break;
	}
	consume_skb(skb);
}
