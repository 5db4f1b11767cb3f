// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace setup and teardown.
 *
 * TTP registers as a pernet *subsystem*: on namespace exit, the kernel tears
 * down devices (pernet device ops) before subsystems, so by the time
 * ttp_net_exit_ns() runs every device of the namespace is gone or has moved
 * away, and with it every struct ttp_ndev that pointed at this ttp_net.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>

#include "netns.h"
#include "stats.h"
#include "proc.h"
#include "sysctl.h"
#include "arp.h"
#include "ctl_sock.h"
#include "dgram.h"
#include "stream.h"

unsigned int ttp_net_id __read_mostly;

static int __net_init ttp_net_init_ns(struct net *net)
{
	struct ttp_net *tn = ttp_net(net);
	int err;

	tn->net = net;
	INIT_LIST_HEAD(&tn->ndevs);
	/* Quietly: a flood of bad packets must not flood the log either. */
	ratelimit_state_init(&tn->ctl_rs, HZ, 200);
	ratelimit_set_flags(&tn->ctl_rs, RATELIMIT_MSG_ON_RELEASE);

	err = ttp_stats_init_ns(tn);
	if (err)
		return err;
	err = ttp_proc_init_ns(tn);
	if (err)
		goto err_stats;
	err = ttp_sysctl_init_ns(tn);
	if (err)
		goto err_proc;
	err = ttp_arp_init_ns(tn);
	if (err)
		goto err_sysctl;
	err = ttp_dgram_init_ns(tn);
	if (err)
		goto err_arp;
	err = ttp_ctl_sock_init_ns(tn);
	if (err)
		goto err_dgram;
	err = ttp_stream_init_ns(tn);
	if (err)
		goto err_ctl;
	return 0;

err_ctl:
	ttp_ctl_sock_exit_ns(tn);
err_dgram:
	ttp_dgram_exit_ns(tn);
err_arp:
	ttp_arp_exit_ns(tn);
err_sysctl:
	ttp_sysctl_exit_ns(tn);
err_proc:
	ttp_proc_exit_ns(tn);
err_stats:
	ttp_stats_exit_ns(tn);
	return err;
}

static void __net_exit ttp_net_exit_ns(struct net *net)
{
	struct ttp_net *tn = ttp_net(net);

	/* Devices went first (see above); an entry left here is a bug. */
	WARN_ON_ONCE(!list_empty(&tn->ndevs));
	/*
	 * /proc/net/ttp first: on module unload the namespace lives on and
	 * its files may be read right now.  Removing them waits for readers
	 * (/proc/net/ttp/sockets walks tn->dgram) and keeps new ones out.
	 */
	ttp_proc_exit_ns(tn);
	ttp_stream_exit_ns(tn);
	ttp_ctl_sock_exit_ns(tn);
	ttp_dgram_exit_ns(tn);
	ttp_arp_exit_ns(tn);
	ttp_sysctl_exit_ns(tn);
	ttp_stats_exit_ns(tn);
}

static struct pernet_operations ttp_net_ops = {
	.init = ttp_net_init_ns,
	.exit = ttp_net_exit_ns,
	.id   = &ttp_net_id,
	.size = sizeof(struct ttp_net),
};

int __init ttp_net_init(void)
{
	return register_pernet_subsys(&ttp_net_ops);
}

void ttp_net_exit(void)
{
	unregister_pernet_subsys(&ttp_net_ops);
}

/**
 * ttp_net_pick_port - an ephemeral port for @sk, or 0 when none is free
 * @sk: the socket
 * @saddr: its local address, 0 for any
 * @taken: the socket type's rule
 * @table: its port table, locked by the caller
 *
 * From net.ttp.local_port_range, starting at a random port so that
 * ports are hard to guess (RFC 6056).
 */
u16 ttp_net_pick_port(const struct sock *sk, __be32 saddr,
		      ttp_port_taken_t taken, void *table)
{
	const struct ttp_net_cfg *cfg = &ttp_net(sock_net(sk))->cfg;
	u32 lo = READ_ONCE(cfg->local_port_range[0]);
	u32 hi = READ_ONCE(cfg->local_port_range[1]);
	u32 n, start, i;
	u16 port;

	/* The sysctl writes both ends one by one: they may cross briefly. */
	if (lo > hi)
		swap(lo, hi);
	n = hi - lo + 1;
	start = get_random_u32_below(n);
	for (i = 0; i < n; i++) {
		port = lo + (start + i) % n;
		if (!taken(table, sk, saddr, port))
			return port;
	}
	return 0;
}
