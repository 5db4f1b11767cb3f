// SPDX-License-Identifier: GPL-2.0
/*
 * What datagram sockets (dgram.c) and control sockets (ctl_sock.c) share:
 * both are a struct ttp_af_sock in a namespace's table hashed by local
 * port (a control socket's port is its identifier), and most of their
 * socket calls are the same but for a few rules their kind gives (struct
 * ttp_af_kind): when a port is taken, whether a peer has a port, which
 * counter a lost datagram bumps.
 *
 * bind(), connect() and close() change a table under its spinlock; the
 * receive path reads it under RCU alone, which is why these sockets are
 * freed a grace period after their last reference goes (SOCK_RCU_FREE).
 */
#include <linux/ip.h>
#include <linux/net.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sockios.h>
#include <linux/udp.h>
#include <linux/uaccess.h>
#include <asm/ioctls.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/ttp.h>

#include "af.h"
#include "ip.h"
#include "netns.h"
#include "stats.h"

/* --- the table -------------------------------------------------------- */

int ttp_sk_table_init(struct ttp_sk_table **tp, const struct ttp_af_kind *kind)
{
	struct ttp_sk_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock);
	t->kind = kind;
	*tp = t;
	return 0;
}

void ttp_sk_table_exit(struct ttp_sk_table **tp)
{
	struct ttp_sk_table *t = *tp;
	unsigned int i;

	if (!t)
		return;
	/* Every user socket holds its namespace: none can be left here. */
	for (i = 0; i < TTP_SK_HASH_SIZE; i++)
		WARN_ON_ONCE(!hlist_empty(&t->hash[i]));
	kfree(t);
	*tp = NULL;
}

/*
 * Enter @sk in its table as @saddr:@port; port 0 asks for an ephemeral
 * one.  Returns 0 or -EADDRINUSE.  Called under lock_sock().
 */
int ttp_af_hash(struct sock *sk, __be32 saddr, u16 port)
{
	struct ttp_af_sock *as = ttp_af_sk(sk);
	struct ttp_sk_table *t = as->table;

	spin_lock_bh(&t->lock);
	if (!port)
		port = ttp_net_pick_port(sk, saddr, t->kind->taken, t);
	else if (t->kind->taken(t, sk, saddr, port))
		port = 0;
	if (port) {
		WRITE_ONCE(as->saddr, saddr);
		WRITE_ONCE(as->port, port);
		/* Publishes the fields above to RCU readers. */
		sk_add_node_rcu(sk, ttp_sk_bucket(t, port));
	}
	spin_unlock_bh(&t->lock);
	return port ? 0 : -EADDRINUSE;
}

static void ttp_af_unhash(struct sock *sk)
{
	struct ttp_af_sock *as = ttp_af_sk(sk);

	spin_lock_bh(&as->table->lock);
	if (sk_del_node_init_rcu(sk))
		WRITE_ONCE(as->port, 0);
	spin_unlock_bh(&as->table->lock);
}

/*
 * connect() and send() on an unbound socket bind it to an ephemeral port
 * first.  Linux says EAGAIN when none is left.  Called under lock_sock().
 */
int ttp_af_autobind(struct sock *sk)
{
	struct ttp_af_sock *as = ttp_af_sk(sk);

	if (as->port)
		return 0;
	return ttp_af_hash(sk, as->saddr, 0) ? -EAGAIN : 0;
}

/* bind() to a checked @addr and @port (0: pick one). */
int ttp_af_bind_to(struct sock *sk, __be32 addr, u16 port)
{
	int err;

	lock_sock(sk);
	err = ttp_af_sk(sk)->port ? -EINVAL : ttp_af_hash(sk, addr, port);
	if (!err) {
		/* What the user chose survives a disconnect; the rest not. */
		if (addr)
			sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
		if (port)
			sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	}
	release_sock(sk);
	return err;
}

/* --- connect and names ------------------------------------------------ */

/*
 * connect(AF_UNSPEC) breaks the association (POSIX), and undoes what
 * connect() chose by itself: an address or port the user did not bind.
 */
static int ttp_af_disconnect(struct sock *sk)
{
	struct ttp_af_sock *as = ttp_af_sk(sk);
	struct ttp_sk_table *t = as->table;

	lock_sock(sk);
	spin_lock_bh(&t->lock);
	sk->sk_state = TCP_CLOSE;
	WRITE_ONCE(as->daddr, 0);
	WRITE_ONCE(as->dport, 0);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		WRITE_ONCE(as->saddr, 0);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK) &&
	    sk_del_node_init_rcu(sk))
		WRITE_ONCE(as->port, 0);
	spin_unlock_bh(&t->lock);
	release_sock(sk);
	return 0;
}

/*
 * The default peer.  The route is looked up now so that an unreachable
 * peer fails connect(), and it fixes the source address of an unbound
 * socket: from then on it receives only what is sent to that address.
 * Called under lock_sock().
 */
static int ttp_af_set_peer(struct sock *sk, __be32 daddr, __be16 dport)
{
	struct ttp_af_sock *as = ttp_af_sk(sk);
	struct ttp_sk_table *t = as->table;
	struct ttp_route r;
	int err;

	err = ttp_route_output(sock_net(sk), &r, daddr, as->saddr,
			       READ_ONCE(sk->sk_bound_dev_if));
	if (err)
		return err;
	err = ttp_af_autobind(sk);
	if (!err) {
		spin_lock_bh(&t->lock);
		if (!as->saddr)
			WRITE_ONCE(as->saddr, r.saddr);
		WRITE_ONCE(as->daddr, daddr);
		WRITE_ONCE(as->dport, dport);
		sk->sk_state = TCP_ESTABLISHED;
		spin_unlock_bh(&t->lock);
	}
	ttp_route_put(&r);
	return err;
}

/* A control socket's peer has no port: the one given is ignored. */
int ttp_af_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len,
		   int flags)
{
	struct sockaddr_ttp *sttp = (struct sockaddr_ttp *)uaddr;
	struct sock *sk = sock->sk;
	__be16 dport;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC)
		return ttp_af_disconnect(sk);
	err = ttp_af_check_addr(sk, sttp, addr_len);
	if (err)
		return err;
	dport = ttp_af_sk(sk)->table->kind->peer_port ? sttp->sttp_port : 0;
	lock_sock(sk);
	err = ttp_af_set_peer(sk, sttp->sttp_addr, dport);
	release_sock(sk);
	return err;
}

int ttp_af_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_ttp *, sttp, uaddr);
	struct sock *sk = sock->sk;
	struct ttp_af_sock *as = ttp_af_sk(sk);
	int err;

	lock_sock(sk);
	if (!peer)
		err = ttp_af_fill_name(sttp, sk, as->saddr, htons(as->port));
	else if (sk->sk_state == TCP_ESTABLISHED)
		err = ttp_af_fill_name(sttp, sk, as->daddr, as->dport);
	else
		err = -ENOTCONN;
	release_sock(sk);
	return err;
}

/* --- receive ---------------------------------------------------------- */

/* recvmsg(): the received packet's TTL, if the socket asked for it. */
static void ttp_af_recv_cmsgs(struct msghdr *msg, const struct ttp_af_opts *o,
			      const struct sk_buff *skb)
{
	int ttl;

	if (!READ_ONCE(o->recvttl))
		return;
	ttl = ip_hdr(skb)->ttl;
	put_cmsg(msg, SOL_TTP, TTP_TTL, sizeof(ttl), &ttl);
}

/* recvmsg(): who sent it; a control message's sender has no port. */
static void ttp_af_name(struct sock *sk, struct msghdr *msg,
			const struct sk_buff *skb)
{
	DECLARE_SOCKADDR(struct sockaddr_ttp *, sttp, msg->msg_name);

	if (!sttp)
		return;
	msg->msg_namelen = ttp_af_fill_name(sttp, sk, ip_hdr(skb)->saddr,
					    ttp_af_sk(sk)->table->kind->peer_port ?
					    udp_hdr(skb)->source : 0);
}

/* A datagram a failed copy lost: gone, as if never received. */
static void ttp_af_lost(struct sock *sk)
{
	int mib = ttp_af_sk(sk)->table->kind->drop_mib;

	atomic_inc(&sk->sk_drops);
	if (mib >= 0)
		TTP_NET_INC_STATS(sock_net(sk), mib);
}

/**
 * ttp_af_recvmsg - recvmsg() of datagram and control sockets
 * @sock: the socket
 * @msg: recvmsg()'s message
 * @len: the size of its buffer
 * @flags: recvmsg()'s flags
 *
 * One queued packet per call, cut to @len (MSG_TRUNC set), a pending
 * error (sk_err) first; waits as the socket and @flags say.
 *
 * Return: the bytes copied, the packet's whole length with MSG_TRUNC in
 * @flags, or an error.
 */
int ttp_af_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		   int flags)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	size_t copied;
	int err;

	/*
	 * No IP_RECVERR: a datagram socket's errors are sk_err, a control
	 * socket's come in the receive queue itself.
	 */
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;
	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;
	copied = min_t(size_t, len, skb->len);
	if (copied < skb->len)
		msg->msg_flags |= MSG_TRUNC;
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err) {
		if (!(flags & MSG_PEEK))
			ttp_af_lost(sk);
		kfree_skb(skb);
		return err;
	}
	sock_recv_cmsgs(msg, sk, skb);
	ttp_af_recv_cmsgs(msg, &ttp_af_sk(sk)->opts, skb);
	ttp_af_name(sk, msg, skb);
	err = flags & MSG_TRUNC ? skb->len : copied;
	skb_free_datagram(sk, skb);
	return err;
}

/* --- the other calls -------------------------------------------------- */

/* SIOCINQ: the size of the next datagram, as for UDP, not of them all. */
static int ttp_af_first_len(struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sk_buff *skb;
	int len;

	spin_lock_bh(&q->lock);
	skb = skb_peek(q);
	len = skb ? skb->len : 0;
	spin_unlock_bh(&q->lock);
	return len;
}

int ttp_af_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	int amount;

	switch (cmd) {
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		break;
	case SIOCINQ:
		amount = ttp_af_first_len(sk);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(amount, (int __user *)arg);
}

/*
 * As inet_shutdown(): the flags are set either way, so that poll() wakes
 * up, but an unconnected socket also gets ENOTCONN.
 */
int ttp_af_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err;

	/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 -> RCV_, SEND_, both */
	how++;
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	err = sk->sk_state == TCP_ESTABLISHED ? 0 : -ENOTCONN;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/*
 * SOL_SOCKET options never get here: the core handles them.  SOL_TTP has
 * the network layer's TTP_TTL and TTP_RECVTTL (af.c).
 */
int ttp_af_sock_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	return ttp_af_setsockopt(&ttp_af_sk(sock->sk)->opts, level, optname,
				 optval, optlen);
}

int ttp_af_sock_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	return ttp_af_getsockopt(sock->sk, &ttp_af_sk(sock->sk)->opts,
				 level, optname, optval, optlen);
}

int ttp_af_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	ttp_af_unhash(sk);
	lock_sock(sk);
	sock_orphan(sk);
	sock->sk = NULL;
	release_sock(sk);
	skb_queue_purge(&sk->sk_receive_queue);
	sock_put(sk);
	return 0;
}

/*
 * A receiver that found the socket just before it was unhashed may still
 * queue to it; the socket is freed a grace period later, and this purge
 * catches those packets.
 */
static void ttp_af_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
}

/* A new socket of @t's kind: sock_init_data() has run. */
void ttp_af_sock_init(struct sock *sk, struct ttp_sk_table *t)
{
	struct ttp_af_sock *as = ttp_af_sk(sk);

	as->table = t;
	ttp_af_opts_init(&as->opts);
	sk->sk_destruct = ttp_af_destruct;
	sock_set_flag(sk, SOCK_RCU_FREE);
}

/* --- /proc/net/ttp/sockets -------------------------------------------- */

/* One line a socket: the stream columns are "-" (Documentation/proc.md). */
static void ttp_af_seq_line(struct seq_file *seq, struct sock *sk,
			    const char *proto)
{
	const struct ttp_af_sock *as = ttp_af_sk(sk);
	__be32 saddr = READ_ONCE(as->saddr), daddr = READ_ONCE(as->daddr);
	char local[24], remote[24];

	snprintf(local, sizeof(local), "%pI4:%u", &saddr, READ_ONCE(as->port));
	snprintf(remote, sizeof(remote), "%pI4:%u", &daddr,
		 ntohs(READ_ONCE(as->dport)));
	seq_printf(seq, "%-5s %-21s %-21s %-12s %8d %8d %8d %8d %8s %8s %8s %6s %7s %-5s %7d %5u %lu\n",
		   proto, local, remote, daddr ? "ESTAB" : "UNCONN",
		   sk_wmem_alloc_get(sk), sk_rmem_alloc_get(sk),
		   READ_ONCE(sk->sk_sndbuf), READ_ONCE(sk->sk_rcvbuf),
		   "-", "-", "-", "-", "-", "-", atomic_read(&sk->sk_drops),
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)),
		   sock_i_ino(sk));
}

void ttp_sk_table_seq(struct seq_file *seq, struct ttp_sk_table *t)
{
	struct sock *sk;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < TTP_SK_HASH_SIZE; i++)
		sk_for_each_rcu(sk, &t->hash[i])
			ttp_af_seq_line(seq, sk, t->kind->proto);
	rcu_read_unlock();
}
