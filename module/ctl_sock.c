// SPDX-License-Identifier: GPL-2.0
/*
 * TTP control sockets: socket(AF_TTP, SOCK_DGRAM, TTPPROTO_CONTROL).
 *
 * What Linux's ping sockets (net/ipv4/ping.c) are to ICMP: a program sends
 * an echo request as an 8-byte control header (type 8, code 0) and its
 * data; the kernel puts the socket's identifier and the checksum in,
 * routes the packet and sends it with the socket's TTL.  The socket
 * receives the echo replies that carry its identifier, and -- unlike a
 * Linux ping socket, which needs IP_RECVERR for them -- the errors that
 * quote one of its echo requests ("time exceeded" from a router on the
 * way, "destination unreachable"), each as the whole control message with
 * its sender as the source address.  That is all ping and traceroute need.
 *
 * The identifier is the socket's local port: bind() may choose it, or the
 * first send() or connect() picks an ephemeral one.  It is unique among
 * the control sockets of a namespace (unless both set SO_REUSEADDR, as
 * for Linux's).  The sockets sit in a table hashed by identifier: bind,
 * connect and close change it under a spinlock, the receive path reads it
 * under RCU (SOCK_RCU_FREE).
 *
 * Sending raw control messages on a network is a privilege: creating a
 * control socket needs CAP_NET_RAW in the user namespace that owns the
 * network namespace (EPERM otherwise).  Linux's ping_group_range has no
 * TTP twin.
 */
#include <linux/capability.h>
#include <linux/icmp.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <asm/ioctls.h>
#include <net/checksum.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/ttp.h>

#include "af.h"
#include "ctl.h"
#include "ctl_sock.h"
#include "dgram.h"
#include "ip.h"
#include "stats.h"

#define TTP_CTL_HLEN		sizeof(struct icmphdr)
/* The largest packet, 65535 bytes, less the network header. */
#define TTP_CTL_MAX_LEN		(IP_MAX_MTU - sizeof(struct iphdr))

/* --- the identifier table --------------------------------------------- */

/* Is @ident taken for @sk?  Called with the table lock held. */
static bool ttp_ctl_ident_taken(void *table, const struct sock *sk,
				__be32 saddr, u16 ident)
{
	struct ttp_sk_table *t = table;
	struct sock *sk2;

	sk_for_each(sk2, ttp_sk_bucket(t, ident))
		if (sk2 != sk && ttp_af_sk(sk2)->port == ident &&
		    !(sk->sk_reuse && sk2->sk_reuse))
			return true;
	return false;
}

static const struct ttp_af_kind ttp_ctl_kind = {
	.proto		= "ctl",
	.taken		= ttp_ctl_ident_taken,
	.peer_port	= false,
	.drop_mib	= -1,
};

/*
 * The socket with identifier @ident whose echo request went from @laddr
 * to @raddr: bound to @laddr or to any address, connected to @raddr or
 * not connected.  RCU read side.
 */
static struct sock *ttp_ctl_lookup(struct ttp_sk_table *t, u16 ident,
				   __be32 laddr, __be32 raddr, int ifindex)
{
	struct sock *sk;

	sk_for_each_rcu(sk, ttp_sk_bucket(t, ident)) {
		const struct ttp_af_sock *cs = ttp_af_sk(sk);
		__be32 local = READ_ONCE(cs->saddr);
		__be32 peer = READ_ONCE(cs->daddr);
		int dev = READ_ONCE(sk->sk_bound_dev_if);

		if (READ_ONCE(cs->port) != ident)
			continue;
		if ((local && local != laddr) || (peer && peer != raddr))
			continue;
		if (dev && ifindex && dev != ifindex)
			continue;
		return sk;
	}
	return NULL;
}

/* --- receive ---------------------------------------------------------- */

/**
 * ttp_ctl_sock_rcv - a control message for a control socket
 * @net: namespace
 * @skb: data at the control header; consumed if a socket takes it
 * @ident: the identifier of the echo request it answers or quotes
 * @laddr: where that request came from (one of our addresses)
 * @raddr: where it went
 *
 * Return: true if a socket took @skb (queued or dropped for a full
 * queue, counted as CtlRcvbufErrors and in the socket's Drops).
 */
bool ttp_ctl_sock_rcv(struct net *net, struct sk_buff *skb, u16 ident,
		      __be32 laddr, __be32 raddr)
{
	struct sock *sk;
	int err;

	rcu_read_lock();
	sk = ttp_ctl_lookup(ttp_net(net)->ctl, ident, laddr, raddr,
			    skb->dev ? skb->dev->ifindex : 0);
	if (!sk) {
		rcu_read_unlock();
		return false;
	}
	/* Charged to the socket's receive buffer; refusals in sk_drops. */
	err = sock_queue_rcv_skb(sk, skb);
	if (err) {
		if (err == -ENOMEM || err == -ENOBUFS)
			TTP_NET_INC_STATS(net, TTP_MIB_CTL_RCVBUF_ERRORS);
		kfree_skb(skb);
	}
	rcu_read_unlock();
	return true;
}

/* --- socket calls ----------------------------------------------------- */

static int ttp_ctl_bind(struct socket *sock, struct sockaddr *uaddr,
			int addr_len)
{
	const struct sockaddr_ttp *sttp = (const struct sockaddr_ttp *)uaddr;
	struct sock *sk = sock->sk;
	__be32 addr;
	u16 ident;
	int err;

	err = ttp_af_check_addr(sk, sttp, addr_len);
	if (err)
		return err;
	addr = sttp->sttp_addr;
	ident = ntohs(sttp->sttp_port);
	if (sttp->sttp_family == AF_UNSPEC && addr != htonl(INADDR_ANY))
		return -EAFNOSUPPORT;
	if (addr != htonl(INADDR_ANY) && !ttp_ip_is_local(sock_net(sk), addr))
		return -EADDRNOTAVAIL;

	return ttp_af_bind_to(sk, addr, ident);
}

/*
 * Where the echo request goes (msg_name, else the connected peer; the
 * port of msg_name is ignored, as Linux's ping sockets ignore it), from
 * which address, with which identifier.  Binds an unbound socket.
 */
static int ttp_ctl_get_dest(struct sock *sk, struct msghdr *msg,
			    __be32 *daddr, __be32 *saddr, u16 *ident)
{
	DECLARE_SOCKADDR(struct sockaddr_ttp *, sttp, msg->msg_name);
	struct ttp_af_sock *cs = ttp_af_sk(sk);
	int err;

	if (sttp) {
		err = ttp_af_check_addr(sk, sttp, msg->msg_namelen);
		if (err)
			return err;
	}
	lock_sock(sk);
	if (sttp) {
		*daddr = sttp->sttp_addr;
	} else if (sk->sk_state == TCP_ESTABLISHED) {
		*daddr = cs->daddr;
	} else {
		err = -EDESTADDRREQ;
		goto out;
	}
	err = ttp_af_autobind(sk);
	*saddr = cs->saddr;
	*ident = cs->port;
out:
	release_sock(sk);
	return err;
}

/* The echo request: the user's header and data, our identifier. */
static int ttp_ctl_xmit(struct sock *sk, struct msghdr *msg, size_t len,
			const struct icmphdr *user, u16 ident,
			const struct ttp_route *r)
{
	struct net *net = sock_net(sk);
	size_t data = len - TTP_CTL_HLEN;
	size_t paged = data > SKB_MAX_ALLOC ? data - SKB_MAX_ALLOC : 0;
	struct icmphdr *h;
	struct sk_buff *skb;
	int err;

	skb = sock_alloc_send_pskb(sk, ttp_ip_headroom(r->dev) + len - paged,
				   paged, msg->msg_flags & MSG_DONTWAIT, &err,
				   PAGE_ALLOC_COSTLY_ORDER);
	if (!skb)
		return err;
	skb_reserve(skb, ttp_ip_headroom(r->dev));
	skb_reset_transport_header(skb);
	skb_put(skb, len - paged);
	skb->data_len = paged;
	skb->len += paged;
	err = skb_copy_datagram_from_iter(skb, TTP_CTL_HLEN, &msg->msg_iter,
					  data);
	if (err) {
		kfree_skb(skb);
		return err;
	}
	h = icmp_hdr(skb);
	*h = *user;
	h->un.echo.id = htons(ident);
	h->checksum = 0;
	h->checksum = csum_fold(skb_checksum(skb, 0, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;

	ttp_ctl_count_out(net, ICMP_ECHO);
	err = ttp_ip_send(ttp_net(net), skb, r, TTPPROTO_CONTROL,
			  ttp_af_ttl(sk, &ttp_af_sk(sk)->opts));
	/* A full queue below us lost it, as a wire may (as for datagrams). */
	return err == -ENOBUFS ? 0 : err;
}

/**
 * ttp_ctl_sendmsg - send one echo request
 * @sock: the control socket
 * @msg: an 8-byte control header (type TTP_CTL_ECHO, code 0; identifier
 *	 and checksum are ours to fill in), then the data
 * @len: its length
 *
 * Return: @len; -EINVAL for a short header or another type or code,
 * -EMSGSIZE for more than the route's MTU allows, -EDESTADDRREQ without
 * an address on an unconnected socket, -ENETUNREACH without a route.
 */
static int ttp_ctl_sendmsg(struct socket *sock, struct msghdr *msg,
			   size_t len)
{
	struct sock *sk = sock->sk;
	struct icmphdr user;
	struct ttp_route r;
	__be32 daddr, saddr;
	u16 ident;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len > TTP_CTL_MAX_LEN)
		return -EMSGSIZE;
	if (len < TTP_CTL_HLEN)
		return -EINVAL;
	if (memcpy_from_msg(&user, msg, sizeof(user)))
		return -EFAULT;
	if (user.type != ICMP_ECHO || user.code != 0)
		return -EINVAL;
	err = ttp_ctl_get_dest(sk, msg, &daddr, &saddr, &ident);
	if (err)
		return err;
	err = ttp_route_output(sock_net(sk), &r, daddr, saddr,
			       READ_ONCE(sk->sk_bound_dev_if));
	if (err)
		return err;
	/* TTP never fragments. */
	if (sizeof(struct iphdr) + len > r.mtu)
		err = -EMSGSIZE;
	else
		err = ttp_ctl_xmit(sk, msg, len, &user, ident, &r);
	ttp_route_put(&r);
	return err ? err : len;
}

/* .family: see ttp_dgram_ops. */
static const struct proto_ops ttp_ctl_ops = {
	.family		= PF_TTP,
	.owner		= THIS_MODULE,
	.release	= ttp_af_release,
	.bind		= ttp_ctl_bind,
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
	.sendmsg	= ttp_ctl_sendmsg,
	.recvmsg	= ttp_af_recvmsg,
	.mmap		= sock_no_mmap,
};

static struct proto ttp_ctl_prot = {
	.name		= "TTP_CTL",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct ttp_af_sock),
};

int ttp_ctl_sock_create(struct net *net, struct socket *sock, int protocol,
			int kern)
{
	struct sock *sk;

	if (!kern && !ns_capable(net->user_ns, CAP_NET_RAW))
		return -EPERM;
	sk = sk_alloc(net, ttp_af_family(), GFP_KERNEL, &ttp_ctl_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &ttp_ctl_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	sk->sk_protocol = TTPPROTO_CONTROL;
	ttp_af_sock_init(sk, ttp_net(net)->ctl);
	return 0;
}

/* --- /proc/net/ttp/sockets -------------------------------------------- */

void ttp_ctl_sock_seq_show(struct seq_file *seq, struct ttp_net *tn)
{
	ttp_sk_table_seq(seq, tn->ctl);
}

/* --- init and exit ---------------------------------------------------- */

int ttp_ctl_sock_init_ns(struct ttp_net *tn)
{
	return ttp_sk_table_init(&tn->ctl, &ttp_ctl_kind);
}

void ttp_ctl_sock_exit_ns(struct ttp_net *tn)
{
	ttp_sk_table_exit(&tn->ctl);
}

int ttp_ctl_sock_init(void)
{
	/* A slab of its own: /proc/slabinfo shows the TTP_CTL sockets. */
	return proto_register(&ttp_ctl_prot, 1);
}

void ttp_ctl_sock_exit(void)
{
	proto_unregister(&ttp_ctl_prot);
}
