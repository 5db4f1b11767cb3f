// SPDX-License-Identifier: GPL-2.0
/*
 * Building and sending stream segments: the TCP header layout of
 * RFC 9293 3.1, with the checksum over the IPv4-style pseudo-header.
 */
#include <linux/siphash.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <net/checksum.h>
#include <uapi/linux/ttp.h>

#include "ip.h"
#include "stats.h"
#include "stream.h"

/* MSS (4) + NOP (1) + window scale (3): 8 bytes, on SYNs only. */
#define TTP_STREAM_SYN_OPTLEN	8
#define TTP_STREAM_MSS_OPTLEN	4	/* a SYN-ACK to a SYN without wscale */

/* Everything a segment's header needs. */
struct ttp_stream_seg {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	u32 seq;
	u32 ack;
	u8 flags;
	u16 win;		/* the header's field, already scaled */
	bool syn_opts;		/* MSS and window scale */
	bool no_wscale;		/* MSS only: the peer's SYN had no wscale */
	u16 mss;
	u8 wscale;
	int oif;
};

static siphash_aligned_key_t ttp_stream_isn_key;

/**
 * ttp_stream_isn - an initial sequence number (RFC 6528)
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 *
 * ISN = M + F(4-tuple, secret): M a clock ticking every 64 ns (as
 * Linux's), F a keyed hash, so an off-path attacker cannot predict the
 * ISN of another connection, yet a new incarnation of the same 4-tuple
 * still starts above the old one's sequence numbers.
 */
u32 ttp_stream_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	u32 hash;

	net_get_random_once(&ttp_stream_isn_key, sizeof(ttp_stream_isn_key));
	hash = siphash_3u32((__force u32)saddr, (__force u32)daddr,
			    (u32)ntohs(sport) << 16 | ntohs(dport),
			    &ttp_stream_isn_key);
	return hash + (u32)(ktime_get_real_ns() >> 6);
}

static void ttp_stream_put_syn_opts(u8 *p, const struct ttp_stream_seg *seg)
{
	*p++ = TTP_OPT_MSS;
	*p++ = TTP_OPTLEN_MSS;
	*p++ = seg->mss >> 8;		/* network order, unaligned */
	*p++ = seg->mss & 0xff;
	if (seg->no_wscale)
		return;
	*p++ = TTP_OPT_NOP;
	*p++ = TTP_OPT_WSCALE;
	*p++ = TTP_OPTLEN_WSCALE;
	*p = seg->wscale;
}

/*
 * Push the header described by @seg in front of @skb's payload and send
 * it along @r.  Consumes @skb.
 */
static int ttp_stream_xmit(struct ttp_net *tn, struct sk_buff *skb,
			   const struct ttp_stream_seg *seg,
			   const struct ttp_route *r)
{
	unsigned int hlen = sizeof(struct tcphdr);
	struct tcphdr *th;
	int err;

	if (seg->syn_opts)
		hlen += seg->no_wscale ? TTP_STREAM_MSS_OPTLEN :
					 TTP_STREAM_SYN_OPTLEN;
	err = skb_cow_head(skb, ttp_ip_headroom(r->dev) + hlen);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	th = __skb_push(skb, hlen);	/* skb_cow_head() made the room */
	skb_reset_transport_header(skb);
	memset(th, 0, hlen);
	th->source = seg->sport;
	th->dest = seg->dport;
	th->seq = htonl(seg->seq);
	th->ack_seq = htonl(seg->ack);
	th->doff = hlen / 4;
	*ttp_th_flags(th) = seg->flags;
	th->window = htons(seg->win);
	if (seg->syn_opts)
		ttp_stream_put_syn_opts((u8 *)(th + 1), seg);
	th->check = csum_tcpudp_magic(r->saddr, r->daddr, skb->len,
				      TTPPROTO_STREAM,
				      skb_checksum(skb, 0, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;

	TTP_INC_STATS(tn, TTP_MIB_STREAM_OUT_SEGS);
	if (seg->flags & TTP_TH_RST)
		TTP_INC_STATS(tn, TTP_MIB_STREAM_OUT_RSTS);
	return ttp_ip_send(tn, skb, r, TTPPROTO_STREAM,
			   READ_ONCE(tn->cfg.default_ttl));
}

/* The header of a segment of @sk's connection. */
static void ttp_stream_seg_init(struct sock *sk, struct ttp_stream_seg *seg,
				u8 flags, u32 seq)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	*seg = (struct ttp_stream_seg) {
		.saddr	= ss->saddr,
		.daddr	= ss->daddr,
		.sport	= ss->sport,
		.dport	= ss->dport,
		.seq	= seq,
		.ack	= flags & TTP_TH_ACK ? ss->rcv_nxt : 0,
		.flags	= flags,
		.oif	= READ_ONCE(sk->sk_bound_dev_if),
	};
	if (flags & TTP_TH_SYN) {
		/* RFC 7323 2.2: the window of a SYN is never scaled. */
		seg->syn_opts = true;
		/* RFC 7323 1.3: no wscale in a SYN-ACK unless the SYN had it */
		seg->no_wscale = (flags & TTP_TH_ACK) && !ss->wscale_ok;
		seg->mss = ss->advmss;
		seg->wscale = ss->rcv_wscale;
		seg->win = min_t(u32, ttp_stream_rcv_window(sk) <<
				 ss->rcv_wscale, 65535);
	} else if (!(flags & TTP_TH_RST)) {
		seg->win = ttp_stream_rcv_window(sk);
	}
	if (flags & TTP_TH_ACK)
		ttp_stream_ack_sent(sk);
}

/**
 * ttp_stream_route - the route of @sk's segments
 * @sk: socket, locked
 * @r: filled in on success; release with ttp_route_put()
 *
 * Return: 0 or the errno of ttp_route_output().
 */
int ttp_stream_route(struct sock *sk, struct ttp_route *r)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);

	return ttp_route_sk(sk, r, ss->daddr, ss->saddr,
			    READ_ONCE(sk->sk_bound_dev_if));
}

/**
 * ttp_stream_send_ctl - send a segment without data on @sk's connection
 * @sk: socket, locked
 * @flags: TTP_TH_*
 * @seq: its sequence number
 *
 * SYN, SYN-ACK, FIN, ACK, RST.  A SYN's MSS comes from the route's MTU.
 */
int ttp_stream_send_ctl(struct sock *sk, u8 flags, u32 seq)
{
	struct ttp_stream_sock *ss = ttp_stream_sk(sk);
	struct ttp_stream_seg seg;
	struct ttp_route r;
	struct sk_buff *skb;
	int err;

	err = ttp_stream_route(sk, &r);
	if (err)
		return err;
	if (flags & TTP_TH_SYN) {
		/* What fits in one packet on our route, both ways. */
		ss->advmss = min_t(unsigned int, r.mtu - sizeof(struct iphdr) -
				   sizeof(struct tcphdr), 65535);
		ss->mss = min(ss->mss, ss->advmss);
	}
	skb = alloc_skb(ttp_ip_headroom(r.dev) + TTP_STREAM_MAX_HDR,
			GFP_ATOMIC);
	if (!skb) {
		ttp_route_put(&r);
		return -ENOBUFS;
	}
	skb_reserve(skb, ttp_ip_headroom(r.dev) + TTP_STREAM_MAX_HDR);
	/*
	 * A SYN is charged to its socket until it leaves the module
	 * (ttp_ip_leave_module()): if it waits for ARP and that fails, the
	 * connect learns of it.  Nothing else is: a SYN-ACK to a spoofed
	 * address, waiting for an ARP answer that never comes, must not
	 * keep an evicted child's memory (a SYN flood stays bounded by the
	 * SYN queue).
	 */
	if ((flags & (TTP_TH_SYN | TTP_TH_ACK)) == TTP_TH_SYN)
		skb_set_owner_w(skb, sk);
	WRITE_ONCE(ss->segs_out, ss->segs_out + 1);
	ttp_stream_seg_init(sk, &seg, flags, seq);
	err = ttp_stream_xmit(ttp_stream_tn(sk), skb, &seg, &r);
	ttp_route_put(&r);
	return err;
}

/**
 * ttp_stream_send_seg - send @skb's payload as a segment of @sk
 * @sk: socket, locked
 * @r: the route from ttp_stream_route(), held by the caller
 * @skb: payload, headroom of ttp_stream_headroom(); consumed
 * @flags: TTP_TH_* (ACK, maybe PSH, FIN)
 * @seq: sequence number of its first byte
 */
int ttp_stream_send_seg(struct sock *sk, const struct ttp_route *r,
			struct sk_buff *skb, u8 flags, u32 seq)
{
	struct ttp_stream_seg seg;

	WRITE_ONCE(ttp_stream_sk(sk)->segs_out,
		   ttp_stream_sk(sk)->segs_out + 1);
	ttp_stream_seg_init(sk, &seg, flags, seq);
	return ttp_stream_xmit(ttp_stream_tn(sk), skb, &seg, r);
}

/**
 * ttp_stream_send_reset - answer @in_skb, which no connection wants
 * @net: namespace
 * @in_skb: the segment; transport and network headers set
 *
 * RFC 9293 3.10.7.1: with an ACK, <SEQ=SEG.ACK><CTL=RST>; without,
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.  Never for an RST.
 */
void ttp_stream_send_reset(struct net *net, struct sk_buff *in_skb)
{
	const struct tcphdr *th = tcp_hdr(in_skb);
	const struct iphdr *iph = ip_hdr(in_skb);
	struct ttp_stream_seg seg = {
		.saddr	= iph->daddr,
		.daddr	= iph->saddr,
		.sport	= th->dest,
		.dport	= th->source,
	};
	struct ttp_route r;
	struct sk_buff *skb;
	u32 len;

	if (th->rst)
		return;
	if (th->ack) {
		seg.seq = ntohl(th->ack_seq);
		seg.flags = TTP_TH_RST;
	} else {
		len = ntohs(iph->tot_len) - iph->ihl * 4 - th->doff * 4;
		seg.ack = ntohl(th->seq) + len + th->syn + th->fin;
		seg.flags = TTP_TH_RST | TTP_TH_ACK;
	}
	if (ttp_route_output(net, &r, seg.daddr, seg.saddr, 0))
		return;
	skb = alloc_skb(ttp_ip_headroom(r.dev) + TTP_STREAM_MAX_HDR,
			GFP_ATOMIC);
	if (skb) {
		skb_reserve(skb, ttp_ip_headroom(r.dev) + TTP_STREAM_MAX_HDR);
		ttp_stream_xmit(ttp_net(net), skb, &seg, &r);
	}
	ttp_route_put(&r);
}

/**
 * ttp_stream_send_bare - a segment with no socket behind it
 * @net: namespace
 * @k: its addresses and ports (s = ours)
 * @seq: sequence number
 * @ack: acknowledgment number (with TTP_TH_ACK in @flags)
 * @flags: TTP_TH_*
 * @win: the window field
 * @oif: device to leave by, 0: the route's
 *
 * The ACK of a TIME_WAIT entry.
 */
int ttp_stream_send_bare(struct net *net, const struct ttp_stream_tuple *k,
			 u32 seq, u32 ack, u8 flags, u16 win, int oif)
{
	struct ttp_stream_seg seg = {
		.saddr = k->saddr, .daddr = k->daddr,
		.sport = k->sport, .dport = k->dport,
		.seq = seq, .ack = ack, .flags = flags, .win = win, .oif = oif,
	};
	struct ttp_route r;
	struct sk_buff *skb;
	int err;

	err = ttp_route_output(net, &r, seg.daddr, seg.saddr, oif);
	if (err)
		return err;
	skb = alloc_skb(ttp_ip_headroom(r.dev) + TTP_STREAM_MAX_HDR,
			GFP_ATOMIC);
	if (skb) {
		skb_reserve(skb, ttp_ip_headroom(r.dev) + TTP_STREAM_MAX_HDR);
		err = ttp_stream_xmit(ttp_net(net), skb, &seg, &r);
	} else {
		err = -ENOBUFS;
	}
	ttp_route_put(&r);
	return err;
}
