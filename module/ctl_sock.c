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

struct ttp_ctl_sock {
	struct sock sk;		/* first: sk_alloc() allocates the whole */
	/*
	 * Written under lock_sock() and the table lock, read by the
	 * receive path under RCU alone.
	 */
	__be32 saddr;		/* local address: bound or chosen by connect() */
	__be32 daddr;		/* connected peer; 0 when not connected */
	u16 ident;		/* identifier, host order; 0: not in the table */
	struct ttp_af_opts opts;	/* TTP_TTL, TTP_RECVTTL */
};

static struct ttp_ctl_sock *ttp_ctl_sk(const struct sock *sk)
{
	return container_of(sk, struct ttp_ctl_sock, sk);
}

static struct ttp_sk_table *ttp_ctl_table(const struct sock *sk)
{
	return ttp_net(sock_net(sk))->ctl;
}

/* --- the identifier table --------------------------------------------- */

/* Is @ident taken for @sk?  Called with the table lock held. */
static bool ttp_ctl_ident_taken(void *table, const struct sock *sk,
				__be32 saddr, u16 ident)
{
	struct ttp_sk_table *t = table;
	struct sock *sk2;

	sk_for_each(sk2, ttp_sk_bucket(t, ident))
		if (sk2 != sk && ttp_ctl_sk(sk2)->ident == ident &&
		    !(sk->sk_reuse && sk2->sk_reuse))
			return true;
	return false;
}

/*
 * Enter @sk in the table as @saddr with identifier @ident; 0 asks for an
 * ephemeral one.  Returns 0 or -EADDRINUSE.  Called under lock_sock().
 */
static int ttp_ctl_hash(struct sock *sk, __be32 saddr, u16 ident)
{
	struct ttp_sk_table *t = ttp_ctl_table(sk);
	struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);

	spin_lock_bh(&t->lock);
	if (!ident)
		ident = ttp_net_pick_port(sk, saddr, ttp_ctl_ident_taken, t);
	else if (ttp_ctl_ident_taken(t, sk, saddr, ident))
		ident = 0;
	if (ident) {
		WRITE_ONCE(cs->saddr, saddr);
		WRITE_ONCE(cs->ident, ident);
		/* Publishes the fields above to RCU readers. */
		sk_add_node_rcu(sk, ttp_sk_bucket(t, ident));
	}
	spin_unlock_bh(&t->lock);
	return ident ? 0 : -EADDRINUSE;
}

static void ttp_ctl_unhash(struct sock *sk)
{
	struct ttp_sk_table *t = ttp_ctl_table(sk);

	spin_lock_bh(&t->lock);
	if (sk_del_node_init_rcu(sk))
		WRITE_ONCE(ttp_ctl_sk(sk)->ident, 0);
	spin_unlock_bh(&t->lock);
}

/* An unbound socket gets an identifier on its first send or connect. */
static int ttp_ctl_autobind(struct sock *sk)
{
	struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);

	if (cs->ident)
		return 0;
	return ttp_ctl_hash(sk, cs->saddr, 0) ? -EAGAIN : 0;
}

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
		const struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);
		__be32 local = READ_ONCE(cs->saddr);
		__be32 peer = READ_ONCE(cs->daddr);
		int dev = READ_ONCE(sk->sk_bound_dev_if);

		if (READ_ONCE(cs->ident) != ident)
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

	lock_sock(sk);
	err = ttp_ctl_sk(sk)->ident ? -EINVAL : ttp_ctl_hash(sk, addr, ident);
	if (!err) {
		if (addr)
			sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
		if (ident)
			sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	}
	release_sock(sk);
	return err;
}

/* connect(AF_UNSPEC): forget the peer and what connect() chose. */
static int ttp_ctl_disconnect(struct sock *sk)
{
	struct ttp_sk_table *t = ttp_ctl_table(sk);
	struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);

	lock_sock(sk);
	spin_lock_bh(&t->lock);
	sk->sk_state = TCP_CLOSE;
	WRITE_ONCE(cs->daddr, 0);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		WRITE_ONCE(cs->saddr, 0);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK) &&
	    sk_del_node_init_rcu(sk))
		WRITE_ONCE(cs->ident, 0);
	spin_unlock_bh(&t->lock);
	release_sock(sk);
	return 0;
}

/*
 * The default peer, as for a datagram socket: the route is looked up now
 * (an unreachable peer fails connect()) and fixes the source address.
 */
static int ttp_ctl_connect(struct socket *sock, struct sockaddr *uaddr,
			   int addr_len, int flags)
{
	struct sockaddr_ttp *sttp = (struct sockaddr_ttp *)uaddr;
	struct sock *sk = sock->sk;
	struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);
	struct ttp_sk_table *t = ttp_ctl_table(sk);
	struct ttp_route r;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC)
		return ttp_ctl_disconnect(sk);
	err = ttp_af_check_addr(sk, sttp, addr_len);
	if (err)
		return err;
	lock_sock(sk);
	err = ttp_route_output(sock_net(sk), &r, sttp->sttp_addr, cs->saddr,
			       READ_ONCE(sk->sk_bound_dev_if));
	if (err)
		goto out;
	err = ttp_ctl_autobind(sk);
	if (!err) {
		spin_lock_bh(&t->lock);
		if (!cs->saddr)
			WRITE_ONCE(cs->saddr, r.saddr);
		WRITE_ONCE(cs->daddr, sttp->sttp_addr);
		sk->sk_state = TCP_ESTABLISHED;
		spin_unlock_bh(&t->lock);
	}
	ttp_route_put(&r);
out:
	release_sock(sk);
	return err;
}

static int ttp_ctl_getname(struct socket *sock, struct sockaddr *uaddr,
			   int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_ttp *, sttp, uaddr);
	struct sock *sk = sock->sk;
	struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);
	int err = sizeof(*sttp);

	memset(sttp, 0, sizeof(*sttp));
	sttp->sttp_family = sk->sk_family;
	lock_sock(sk);
	if (!peer) {
		sttp->sttp_addr = cs->saddr;
		sttp->sttp_port = htons(cs->ident);
	} else if (sk->sk_state == TCP_ESTABLISHED) {
		sttp->sttp_addr = cs->daddr;
	} else {
		err = -ENOTCONN;
	}
	release_sock(sk);
	return err;
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
	struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);
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
	err = ttp_ctl_autobind(sk);
	*saddr = cs->saddr;
	*ident = cs->ident;
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
			  ttp_af_ttl(sk, &ttp_ctl_sk(sk)->opts));
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

/* The sender is the pinged host, or a router on the way: no port. */
static int ttp_ctl_recvmsg(struct socket *sock, struct msghdr *msg,
			   size_t len, int flags)
{
	return ttp_af_recvmsg(sock->sk, msg, len, flags,
			      &ttp_ctl_sk(sock->sk)->opts, false, -1);
}

static int ttp_ctl_ioctl(struct socket *sock, unsigned int cmd,
			 unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int amount = 0;

	switch (cmd) {
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		break;
	case SIOCINQ:
		/* The next message's size, as for a datagram socket. */
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		if (skb)
			amount = skb->len;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(amount, (int __user *)arg);
}

static int ttp_ctl_setsockopt(struct socket *sock, int level, int optname,
			      sockptr_t optval, unsigned int optlen)
{
	return ttp_af_setsockopt(&ttp_ctl_sk(sock->sk)->opts, level, optname,
				 optval, optlen);
}

static int ttp_ctl_getsockopt(struct socket *sock, int level, int optname,
			      char __user *optval, int __user *optlen)
{
	return ttp_af_getsockopt(sock->sk, &ttp_ctl_sk(sock->sk)->opts,
				 level, optname, optval, optlen);
}

static int ttp_ctl_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	ttp_ctl_unhash(sk);
	lock_sock(sk);
	sock_orphan(sk);
	sock->sk = NULL;
	release_sock(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

/* .family: see ttp_dgram_ops. */
static const struct proto_ops ttp_ctl_ops = {
	.family		= PF_TTP,
	.owner		= THIS_MODULE,
	.release	= ttp_ctl_release,
	.bind		= ttp_ctl_bind,
	.connect	= ttp_ctl_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= ttp_ctl_getname,
	.poll		= datagram_poll,
	.ioctl		= ttp_ctl_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= sock_no_listen,
	.shutdown	= ttp_dgram_shutdown,	/* the same rules */
	.setsockopt	= ttp_ctl_setsockopt,
	.getsockopt	= ttp_ctl_getsockopt,
	.sendmsg	= ttp_ctl_sendmsg,
	.recvmsg	= ttp_ctl_recvmsg,
	.mmap		= sock_no_mmap,
};

static struct proto ttp_ctl_prot = {
	.name		= "TTP_CTL",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct ttp_ctl_sock),
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
	sk->sk_destruct = ttp_dgram_destruct;
	ttp_af_opts_init(&ttp_ctl_sk(sk)->opts);
	sock_set_flag(sk, SOCK_RCU_FREE);
	return 0;
}

/* --- /proc/net/ttp/sockets -------------------------------------------- */

static void ttp_ctl_seq_sock(struct seq_file *seq, struct sock *sk)
{
	const struct ttp_ctl_sock *cs = ttp_ctl_sk(sk);

	/* A control socket has no remote port: 0. */
	ttp_af_seq_line(seq, sk, "ctl", READ_ONCE(cs->saddr),
			READ_ONCE(cs->ident), READ_ONCE(cs->daddr), 0);
}

void ttp_ctl_sock_seq_show(struct seq_file *seq, struct ttp_net *tn)
{
	ttp_sk_table_seq(seq, tn->ctl, ttp_ctl_seq_sock);
}

/* --- init and exit ---------------------------------------------------- */

int ttp_ctl_sock_init_ns(struct ttp_net *tn)
{
	return ttp_sk_table_init(&tn->ctl);
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
