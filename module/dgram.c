// SPDX-License-Identifier: GPL-2.0
/*
 * TTP datagram sockets: socket(AF_TTP, SOCK_DGRAM, 0).
 *
 * The UDP service (RFC 768) on the TTP network layer: ports, a checksum
 * over the IPv4-style pseudo-header, one send() = one packet.  Every call
 * answers with the errno Linux's UDP gives in the same situation, so a
 * student's UDP program runs on TTP once its address family is changed.
 *
 * The sockets of a namespace sit in a table hashed by local port.  bind(),
 * connect() and close() change it under a spinlock; the receive path only
 * reads it under RCU, which is why sockets are freed a grace period after
 * their last reference goes (SOCK_RCU_FREE).
 */
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <linux/udp.h>
#include <asm/ioctls.h>
#include <net/checksum.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/ttp.h>

#include "af.h"
#include "ctl.h"
#include "dgram.h"
#include "ip.h"
#include "stats.h"

#define TTP_DGRAM_HLEN		sizeof(struct udphdr)
/* The largest packet, 65535 bytes, less both headers: 65507. */
#define TTP_DGRAM_MAX_PAYLOAD	(IP_MAX_MTU - sizeof(struct iphdr) - \
				 TTP_DGRAM_HLEN)

/* --- the port table --------------------------------------------------- */

/*
 * Would @sk bound to @saddr take datagrams that @sk2, on the same port,
 * already takes?  Linux's UDP rule: unless both set SO_REUSEADDR, the
 * port is taken when the addresses overlap (equal, or either is the
 * wildcard) and so do the bound devices.
 */
static bool ttp_dgram_clash(const struct sock *sk, __be32 saddr,
			    const struct sock *sk2)
{
	__be32 saddr2 = ttp_af_sk(sk2)->saddr;
	/* SO_BINDTODEVICE changes these without our locks. */
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	int dev2 = READ_ONCE(sk2->sk_bound_dev_if);

	if (sk->sk_reuse && sk2->sk_reuse)
		return false;
	if (saddr && saddr2 && saddr != saddr2)
		return false;
	return !dev || !dev2 || dev == dev2;
}

/* Called with the table lock held. */
static bool ttp_dgram_port_taken(struct ttp_sk_table *t,
				 const struct sock *sk, __be32 saddr, u16 port)
{
	struct sock *sk2;

	sk_for_each(sk2, ttp_sk_bucket(t, port))
		if (sk2 != sk && ttp_af_sk(sk2)->port == port &&
		    ttp_dgram_clash(sk, saddr, sk2))
			return true;
	return false;
}

/* ttp_af_kind's rule; the table lock is held. */
static bool ttp_dgram_taken(void *t, const struct sock *sk, __be32 saddr,
			    u16 port)
{
	return ttp_dgram_port_taken(t, sk, saddr, port);
}

static const struct ttp_af_kind ttp_dgram_kind = {
	.proto		= "dgram",
	.taken		= ttp_dgram_taken,
	.peer_port	= true,
	.drop_mib	= TTP_MIB_DGRAM_IN_ERRORS,
};

/*
 * How well @sk matches a datagram from @saddr:@sport to @daddr, received
 * on device @ifindex (0: any device).  0 is no match; otherwise, as in
 * Linux's UDP, the more specific socket wins: connected to the sender,
 * over bound to @daddr, over bound to any address, with a socket bound to
 * the receiving device winning a tie.  RCU read side.
 */
static int ttp_dgram_score(const struct sock *sk, __be32 saddr, __be16 sport,
			   __be32 daddr, int ifindex)
{
	const struct ttp_af_sock *ds = ttp_af_sk(sk);
	__be32 local = READ_ONCE(ds->saddr);
	__be32 peer = READ_ONCE(ds->daddr);
	int dev = READ_ONCE(sk->sk_bound_dev_if);
	int score = 1;

	if (peer) {
		if (peer != saddr || READ_ONCE(ds->dport) != sport)
			return 0;
		score += 4;
	}
	if (local) {
		if (local != daddr)
			return 0;
		score += 2;
	}
	if (dev && ifindex) {
		if (dev != ifindex)
			return 0;
		score += 1;
	}
	return score;
}

static struct sock *ttp_dgram_lookup(struct ttp_sk_table *t,
				     __be32 saddr, __be16 sport,
				     __be32 daddr, __be16 dport, int ifindex)
{
	u16 port = ntohs(dport);
	struct sock *sk, *best = NULL;
	int score, best_score = 0;

	sk_for_each_rcu(sk, ttp_sk_bucket(t, port)) {
		if (READ_ONCE(ttp_af_sk(sk)->port) != port)
			continue;
		score = ttp_dgram_score(sk, saddr, sport, daddr, ifindex);
		if (score > best_score) {
			best = sk;
			best_score = score;
		}
	}
	return best;
}

/* --- receive ---------------------------------------------------------- */

/*
 * RFC 768 / RFC 1122 4.1.3.4: the length must fit in the packet (link
 * padding after it is trimmed off), and the checksum is verified unless
 * the sender sent none (0).  Returns the counter a bad datagram bumps, or
 * -1 for a good one.
 */
static int ttp_dgram_check(struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int len;
	__wsum csum;

	if (!pskb_may_pull(skb, TTP_DGRAM_HLEN))
		return TTP_MIB_DGRAM_IN_ERRORS;
	skb_reset_transport_header(skb);
	len = ntohs(udp_hdr(skb)->len);
	if (len < TTP_DGRAM_HLEN || len > skb->len)
		return TTP_MIB_DGRAM_IN_ERRORS;
	if (pskb_trim_rcsum(skb, len))
		return TTP_MIB_DGRAM_IN_ERRORS;
	if (!udp_hdr(skb)->check)
		return -1;
	/* Always in software: students mangle packets on the wire. */
	iph = ip_hdr(skb);
	csum = skb_checksum(skb, 0, len, 0);
	if (csum_tcpudp_magic(iph->saddr, iph->daddr, len, TTPPROTO_DGRAM,
			      csum))
		return TTP_MIB_DGRAM_IN_CSUM_ERRORS;
	return -1;
}

/* Charge @skb to @sk's receive buffer and queue it.  Consumes @skb. */
static void ttp_dgram_queue(struct net *net, struct sock *sk,
			    struct sk_buff *skb)
{
	int err;

	/* A socket filter sees the datagram header, as on a UDP socket. */
	if (sk_filter_trim_cap(sk, skb, TTP_DGRAM_HLEN)) {
		atomic_inc(&sk->sk_drops);
		goto drop;
	}
	__skb_pull(skb, TTP_DGRAM_HLEN);
	/* Refusals are counted in sk_drops already (SO_RXQ_OVFL). */
	err = __sock_queue_rcv_skb(sk, skb);
	if (err) {
		if (err == -ENOMEM)
			TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_RCVBUF_ERRORS);
		goto drop;
	}
	TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_IN_DATAGRAMS);
	return;

drop:
	TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_IN_ERRORS);
	kfree_skb(skb);
}

/**
 * ttp_dgram_rcv - a datagram for one of our addresses
 * @skb: data at the datagram header, network header set; consumed
 *
 * Called in softirq context.  The source address and port stay in the
 * headers of the queued skb, where recvmsg() finds them.
 */
void ttp_dgram_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct iphdr *iph;
	struct sock *sk;
	int bad;

	bad = ttp_dgram_check(skb);
	if (bad >= 0) {
		if (bad == TTP_MIB_DGRAM_IN_CSUM_ERRORS)
			TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_IN_ERRORS);
		TTP_NET_INC_STATS(net, bad);
		kfree_skb(skb);
		return;
	}
	iph = ip_hdr(skb);
	rcu_read_lock();
	sk = ttp_dgram_lookup(ttp_net(net)->dgram, iph->saddr,
			      udp_hdr(skb)->source, iph->daddr,
			      udp_hdr(skb)->dest, skb->dev->ifindex);
	if (sk) {
		ttp_dgram_queue(net, sk, skb);
	} else {
		TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_NO_PORTS);
		ttp_ctl_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		kfree_skb(skb);
	}
	rcu_read_unlock();
}

/**
 * ttp_dgram_err - a control message reports an error for our datagram
 * @net: namespace
 * @iph: the quoted network header (IHL 5), then our datagram header
 * @err: errno for the socket
 *
 * As Linux's UDP without IP_RECVERR, only a connected socket hears of
 * it: an unconnected one could not tell which of its sends failed.
 */
void ttp_dgram_err(struct net *net, const struct iphdr *iph, int err)
{
	const struct udphdr *uh = (const struct udphdr *)(iph + 1);
	struct sock *sk;

	rcu_read_lock();
	/* We sent it from iph->saddr:source to iph->daddr:dest. */
	sk = ttp_dgram_lookup(ttp_net(net)->dgram, iph->daddr, uh->dest,
			      iph->saddr, uh->source, 0);
	if (sk && READ_ONCE(ttp_af_sk(sk)->daddr)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	}
	rcu_read_unlock();
}

/* --- socket calls ----------------------------------------------------- */

static int ttp_dgram_bind(struct socket *sock, struct sockaddr *uaddr,
			  int addr_len)
{
	__be32 addr;
	u16 port;
	int err;

	err = ttp_af_bind_addr(sock->sk, uaddr, addr_len, &addr, &port);
	return err ? err : ttp_af_bind_to(sock->sk, addr, port);
}

/* Where a datagram goes, and from where. */
struct ttp_dgram_dest {
	__be32 saddr;		/* 0: the route chooses */
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	int oif;		/* SO_BINDTODEVICE, or 0 */
};

/*
 * The destination: msg_name, else the connected peer.  Binds an unbound
 * socket to an ephemeral port, as Linux does before a send.
 */
static int ttp_dgram_get_dest(struct sock *sk, struct msghdr *msg,
			      struct ttp_dgram_dest *d)
{
	DECLARE_SOCKADDR(struct sockaddr_ttp *, sttp, msg->msg_name);
	struct ttp_af_sock *ds = ttp_af_sk(sk);
	int err;

	if (sttp) {
		err = ttp_af_check_addr(sk, sttp, msg->msg_namelen);
		if (err)
			return err;
		if (!sttp->sttp_port)
			return -EINVAL;
	}
	lock_sock(sk);
	if (sttp) {
		d->daddr = sttp->sttp_addr;
		d->dport = sttp->sttp_port;
	} else if (sk->sk_state == TCP_ESTABLISHED) {
		d->daddr = ds->daddr;
		d->dport = ds->dport;
	} else {
		err = -EDESTADDRREQ;
		goto out;
	}
	err = ttp_af_autobind(sk);
	d->saddr = ds->saddr;
	d->sport = htons(ds->port);
	d->oif = READ_ONCE(sk->sk_bound_dev_if);
out:
	release_sock(sk);
	return err;
}

/*
 * A buffer for @len bytes of payload behind room for all the headers.
 * Big datagrams get their payload in pages, as af_unix does, rather than
 * in one high-order allocation that fails when memory is fragmented.
 */
static struct sk_buff *ttp_dgram_alloc_skb(struct sock *sk,
					   const struct net_device *dev,
					   size_t len, int noblock, int *err)
{
	unsigned int headroom = ttp_ip_headroom(dev);
	size_t paged = len > SKB_MAX_ALLOC ? len - SKB_MAX_ALLOC : 0;
	size_t linear = len - paged;
	struct sk_buff *skb;

	skb = sock_alloc_send_pskb(sk, headroom + TTP_DGRAM_HLEN + linear,
				   paged, noblock, err,
				   PAGE_ALLOC_COSTLY_ORDER);
	if (!skb)
		return NULL;
	skb_reserve(skb, headroom);
	skb_reset_transport_header(skb);
	skb_put(skb, TTP_DGRAM_HLEN + linear);
	skb->data_len = paged;
	skb->len += paged;
	return skb;
}

/* Build the datagram and hand it to the network layer. */
static int ttp_dgram_xmit(struct sock *sk, struct msghdr *msg, size_t len,
			  const struct ttp_dgram_dest *d,
			  const struct ttp_route *r)
{
	struct net *net = sock_net(sk);
	struct sk_buff *skb;
	struct udphdr *uh;
	int err;

	skb = ttp_dgram_alloc_skb(sk, r->dev, len,
				  msg->msg_flags & MSG_DONTWAIT, &err);
	if (!skb) {
		/* Linux's rule: out of memory, or out of SO_SNDBUF space. */
		if (err == -ENOBUFS ||
		    test_bit(SOCK_NOSPACE, &sk->sk_socket->flags))
			TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_SNDBUF_ERRORS);
		return err;
	}
	err = skb_copy_datagram_from_iter(skb, TTP_DGRAM_HLEN, &msg->msg_iter,
					  len);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	uh = udp_hdr(skb);
	uh->source = d->sport;
	uh->dest = d->dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(r->saddr, r->daddr, skb->len,
				      TTPPROTO_DGRAM,
				      skb_checksum(skb, 0, skb->len, 0));
	/* 0 would mean "no checksum": send its ones' complement twin. */
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;

	err = ttp_ip_send(ttp_net(net), skb, r, TTPPROTO_DGRAM,
			  ttp_af_ttl(sk, &ttp_af_sk(sk)->opts));
	if (err == -ENOBUFS) {
		/*
		 * A full queue below us lost it, as a wire may: Linux's UDP
		 * counts that and reports success (without IP_RECVERR).
		 */
		TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_SNDBUF_ERRORS);
		return 0;
	}
	if (!err)
		TTP_NET_INC_STATS(net, TTP_MIB_DGRAM_OUT_DATAGRAMS);
	return err;
}

static int ttp_dgram_sendmsg(struct socket *sock, struct msghdr *msg,
			     size_t len)
{
	struct sock *sk = sock->sk;
	struct ttp_dgram_dest d;
	struct ttp_route r;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len > TTP_DGRAM_MAX_PAYLOAD)
		return -EMSGSIZE;
	err = ttp_dgram_get_dest(sk, msg, &d);
	if (err)
		return err;
	err = ttp_route_output(sock_net(sk), &r, d.daddr, d.saddr, d.oif);
	if (err)
		return err;
	/* TTP never fragments: a datagram travels in one packet or not. */
	if (sizeof(struct iphdr) + TTP_DGRAM_HLEN + len > r.mtu)
		err = -EMSGSIZE;
	else
		err = ttp_dgram_xmit(sk, msg, len, &d, &r);
	ttp_route_put(&r);
	return err ? err : len;
}

/*
 * .family stays PF_TTP even when the family= parameter moves TTP: the
 * core reads ops->family only to spot PF_UNIX sockets.  What users see
 * (getsockname(), SO_DOMAIN, LSMs, lockdep classes) is sk->sk_family,
 * which is the number af.c registered.
 */
static const struct proto_ops ttp_dgram_ops = {
	.family		= PF_TTP,
	.owner		= THIS_MODULE,
	.release	= ttp_af_release,
	.bind		= ttp_dgram_bind,
	.connect	= ttp_af_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= ttp_af_getname,
	.poll		= datagram_poll,
	.ioctl		= ttp_af_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= sock_no_listen,
	.shutdown	= ttp_af_shutdown,
	.setsockopt	= ttp_af_sock_setsockopt,
	.getsockopt	= ttp_af_sock_getsockopt,
	.sendmsg	= ttp_dgram_sendmsg,
	.recvmsg	= ttp_af_recvmsg,
	.mmap		= sock_no_mmap,
};

static struct proto ttp_dgram_prot = {
	.name		= "TTP_DGRAM",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct ttp_af_sock),
};

int ttp_dgram_create(struct net *net, struct socket *sock, int protocol,
		     int kern)
{
	struct sock *sk;

	sk = sk_alloc(net, ttp_af_family(), GFP_KERNEL, &ttp_dgram_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &ttp_dgram_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	sk->sk_protocol = TTPPROTO_DGRAM;
	ttp_af_sock_init(sk, ttp_net(net)->dgram);
	return 0;
}

/* --- /proc/net/ttp/sockets -------------------------------------------- */

void ttp_dgram_seq_show(struct seq_file *seq, struct ttp_net *tn)
{
	ttp_sk_table_seq(seq, tn->dgram);
}

/* --- init and exit ---------------------------------------------------- */

int ttp_dgram_init_ns(struct ttp_net *tn)
{
	return ttp_sk_table_init(&tn->dgram, &ttp_dgram_kind);
}

void ttp_dgram_exit_ns(struct ttp_net *tn)
{
	ttp_sk_table_exit(&tn->dgram);
}

int ttp_dgram_init(void)
{
	/* A slab of its own: /proc/slabinfo shows the TTP_DGRAM sockets. */
	return proto_register(&ttp_dgram_prot, 1);
}

void ttp_dgram_exit(void)
{
	proto_unregister(&ttp_dgram_prot);
}
