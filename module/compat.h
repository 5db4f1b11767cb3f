/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place that knows which kernel TTP is built for.  Debian 12's
 * 6.1 and 6.12 kernels differ in a few interfaces; every difference is
 * wrapped here so the rest of the module reads the same on both.
 *
 * TTP_KV is the kernel's VERSION * 100 + PATCHLEVEL (601, 612), set by
 * module/Kbuild from the build tree's Makefile.
 */
#ifndef _TTP_COMPAT_H
#define _TTP_COMPAT_H

#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#ifndef TTP_KV
#error "TTP_KV is not set: build through module/Kbuild"
#endif

#if TTP_KV >= 611
/* 6.11 made sysctl handlers take a const table. */
#define TTP_CTL_CONST const
#else
#define TTP_CTL_CONST
#endif

/* Lockless transmit: a feature flag until 6.9, a device field after. */
static inline void ttp_compat_set_lltx(struct net_device *dev)
{
#if TTP_KV >= 609
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * register_net_sysctl() learnt the table size in 6.6 and stopped needing a
 * sentinel; @n counts the entries without one.  Callers still end their
 * tables with an empty entry, which both kernels accept.
 */
static inline struct ctl_table_header *
ttp_compat_register_sysctl(struct net *net, const char *path,
			   struct ctl_table *table, size_t n)
{
#if TTP_KV >= 606
	return register_net_sysctl_sz(net, path, table, n);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/*
 * proto_ops.accept took (flags, kern) until 6.10, then a struct
 * proto_accept_arg.  ttp_compat_stream_accept() has the kernel's
 * signature and calls stream.c's, which has the old one.
 */
int ttp_stream_accept(struct socket *sock, struct socket *newsock, int flags,
		      bool kern);

#if TTP_KV >= 610
static inline int ttp_compat_stream_accept(struct socket *sock,
					   struct socket *newsock,
					   struct proto_accept_arg *arg)
{
	return ttp_stream_accept(sock, newsock, arg->flags, arg->kern);
}
#else
static inline int ttp_compat_stream_accept(struct socket *sock,
					   struct socket *newsock, int flags,
					   bool kern)
{
	return ttp_stream_accept(sock, newsock, flags, kern);
}
#endif

#endif /* _TTP_COMPAT_H */
