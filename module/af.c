// SPDX-License-Identifier: GPL-2.0
/*
 * The AF_TTP socket family: socket(AF_TTP, type, protocol) lands here.
 *
 * The stream (SOCK_STREAM, TCP layout) and datagram (SOCK_DGRAM, UDP
 * layout) services are built layer by layer; until a type exists,
 * socket() says so honestly with ESOCKTNOSUPPORT, as inet_create() does
 * for a type it does not know.
 */
#include <linux/net.h>
#include <linux/module.h>
#include <net/sock.h>
#include <uapi/linux/ttp.h>

#include "af.h"
#include "dgram.h"
#include "stream.h"
#include "stats.h"

static int ttp_af_create(struct net *net, struct socket *sock, int protocol,
			 int kern)
{
	switch (sock->type) {
	case SOCK_DGRAM:
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
