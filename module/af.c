// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_TTP socket family: socket(AF_TTP, type, protocol) lands here.
 *
 * The stream (SOCK_STREAM, TCP layout) and datagram (SOCK_DGRAM, UDP
 * layout) services are built layer by layer; until a type exists,
 * socket() says so honestly with ESOCKTNOSUPPORT, as inet_create() does
 * for a type it does not know.  SOCK_DGRAM with TTPPROTO_CONTROL is a
 * control ("ping") socket: ctl_sock.c.
 */
#include <linux/ip.h>
#include <linux/net.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/sock.h>
#include <uapi/linux/ttp.h>

#include "af.h"
#include "ctl_sock.h"
#include "ip.h"
#include "dgram.h"
#include "stream.h"
#include "stats.h"

static int ttp_af_create(struct net *net, struct socket *sock, int protocol,
			 int kern)
{
	switch (sock->type) {
	case SOCK_DGRAM:
		if (protocol == TTPPROTO_CONTROL)
			return ttp_ctl_sock_create(net, sock, protocol, kern);
		if (protocol && protocol != TTPPROTO_DGRAM)
			return -EPROTONOSUPPORT;
		return ttp_dgram_create(net, sock, protocol, kern);
	case SOCK_STREAM:
		if (protocol && protocol != TTPPROTO_STREAM)
			return -EPROTONOSUPPORT;
		return ttp_stream_create(net, sock, protocol, kern);
	}
	TTP_INC_STATS(ttp_net(net), TTP_MIB_SOCK_UNSUPPORTED);
	return -ESOCKTNOSUPPORT;
}

static struct net_proto_family ttp_af_family_ops = {
	.create	= ttp_af_create,
	.owner	= THIS_MODULE,
};

int __init ttp_af_init(int family)
{
	int err;

	/* sock_register() indexes an array with it: range-check first. */
	if (family <= AF_UNSPEC || family >= NPROTO) {
		pr_err("ttp: family=%d is not a valid address family (1..%d)\n",
		       family, NPROTO - 1);
		return -EINVAL;
	}
	ttp_af_family_ops.family = family;
	err = sock_register(&ttp_af_family_ops);
	if (err == -EEXIST)
		pr_err("ttp: address family %d is taken by another protocol; load TTP with family=<free slot>, e.g. 19\n",
		       family);
	return err;
}

int ttp_af_family(void)
{
	return ttp_af_family_ops.family;
}

void ttp_af_exit(void)
{
	sock_unregister(ttp_af_family_ops.family);
}

/**
 * ttp_af_check_addr - a struct sockaddr_ttp from the user
 * @sk: the socket it is for
 * @sttp: the address
 * @len: its length
 *
 * Return: 0; -EINVAL when short, -EAFNOSUPPORT for another family.
 * AF_UNSPEC passes, as inet_bind() and udp_sendmsg() let it for old
 * programs; callers narrow that down.
 */
int ttp_af_check_addr(const struct sock *sk, const struct sockaddr_ttp *sttp,
		      int len)
{
	if (len < (int)sizeof(*sttp))
		return -EINVAL;
	if (sttp->sttp_family != sk->sk_family &&
	    sttp->sttp_family != AF_UNSPEC)
		return -EAFNOSUPPORT;
	return 0;
}

/**
 * ttp_af_bind_addr - what a bind() asks for, checked as inet_bind() does
 * @sk: the socket
 * @uaddr: the user's address
 * @len: its length
 * @addr: the local address (0: any), on success
 * @port: the port, host order (0: pick one), on success
 *
 * Return: 0; -EINVAL, -EAFNOSUPPORT, -EADDRNOTAVAIL for an address that
 * is not one of ours, -EACCES for a port below 1024 without
 * CAP_NET_BIND_SERVICE.
 */
int ttp_af_bind_addr(struct sock *sk, const struct sockaddr *uaddr, int len,
		     __be32 *addr, u16 *port)
{
	const struct sockaddr_ttp *sttp = (const struct sockaddr_ttp *)uaddr;
	struct net *net = sock_net(sk);
	int err;

	err = ttp_af_check_addr(sk, sttp, len);
	if (err)
		return err;
	*addr = sttp->sttp_addr;
	*port = ntohs(sttp->sttp_port);
	if (sttp->sttp_family == AF_UNSPEC && *addr != htonl(INADDR_ANY))
		return -EAFNOSUPPORT;
	if (*addr != htonl(INADDR_ANY) && !ttp_ip_is_local(net, *addr))
		return -EADDRNOTAVAIL;
	if (*port && *port < PROT_SOCK &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	return 0;
}

/*
 * A name as getsockname(), getpeername() and recvmsg() report it: @sk's
 * family (the number af.c registered), @addr and @port.  Returns its size.
 */
int ttp_af_fill_name(struct sockaddr_ttp *sttp, const struct sock *sk,
		     __be32 addr, __be16 port)
{
	memset(sttp, 0, sizeof(*sttp));
	sttp->sttp_family = sk->sk_family;
	sttp->sttp_addr = addr;
	sttp->sttp_port = port;
	return sizeof(*sttp);
}

/* --- SOL_TTP options of datagram and control sockets ------------------ */

void ttp_af_opts_init(struct ttp_af_opts *o)
{
	o->ttl = -1;
	o->recvttl = 0;
}

/* The TTL a packet of @sk gets: its TTP_TTL, else the namespace's. */
u8 ttp_af_ttl(const struct sock *sk, const struct ttp_af_opts *o)
{
	int ttl = READ_ONCE(o->ttl);

	if (ttl < 0)
		ttl = READ_ONCE(ttp_net(sock_net(sk))->cfg.default_ttl);
	return ttl;
}

/**
 * ttp_af_setsockopt - TTP_TTL and TTP_RECVTTL, as IP_TTL and IP_RECVTTL
 * @o: the socket's options
 * @level: must be SOL_TTP
 * @optname: TTP_TTL (1..255, or -1: the namespace's default) or TTP_RECVTTL
 * @optval: an int
 * @optlen: its length
 *
 * Return: 0; -ENOPROTOOPT for another level or option, -EINVAL for a
 * short value or a TTL out of range, -EFAULT.
 */
int ttp_af_setsockopt(struct ttp_af_opts *o, int level, int optname,
		      sockptr_t optval, unsigned int optlen)
{
	int val;

	if (level != SOL_TTP ||
	    (optname != TTP_TTL && optname != TTP_RECVTTL))
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	if (optname == TTP_RECVTTL) {
		WRITE_ONCE(o->recvttl, !!val);
		return 0;
	}
	if (val != -1 && (val < 1 || val > 255))
		return -EINVAL;
	WRITE_ONCE(o->ttl, val);
	return 0;
}

int ttp_af_getsockopt(const struct sock *sk, const struct ttp_af_opts *o,
		      int level, int optname, char __user *optval,
		      int __user *optlen)
{
	int val, len;

	if (level != SOL_TTP ||
	    (optname != TTP_TTL && optname != TTP_RECVTTL))
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(int, len, sizeof(int));
	val = optname == TTP_TTL ? ttp_af_ttl(sk, o) : READ_ONCE(o->recvttl);
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}
