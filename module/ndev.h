/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-device TTP state: which Ethernet devices TTP runs on, and why not.
 *
 * A device is TTP-enabled when its knob (net.ttp.conf.<dev>.enabled) is 1,
 * it is up, it has an IPv4 address and it is not a bridge/bond/team port
 * (a port's frames belong to its master).  While enabled it carries TTP's
 * netfilter ingress hook.  All changes happen under RTNL; readers (the
 * ingress hook, /proc) use RCU.
 */
#ifndef _TTP_NDEV_H
#define _TTP_NDEV_H

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/seq_file.h>

#include "netns.h"

/* Why a device is or is not TTP-enabled, as /proc/net/ttp/devices says. */
enum ttp_ndev_state {
	TTP_NDEV_ENABLED,
	TTP_NDEV_KNOB_OFF,
	TTP_NDEV_DOWN,
	TTP_NDEV_ENSLAVED,
	TTP_NDEV_NO_ADDRESS,
};

struct ttp_ndev_stats {
	unsigned long in_ttp;
	unsigned long in_arp;
};

struct ttp_ndev {
	struct list_head list;		/* in ttp_net.ndevs */
	struct net_device *dev;		/* lives until our UNREGISTER event */
	struct ttp_net *tn;
	int knob;			/* net.ttp.conf.<dev>.enabled */
	bool hooked;			/* ingress hook installed */
	struct nf_hook_ops hook;
	struct ttp_ndev_stats __percpu *stats;
	struct ctl_table_header *sysctl_hdr;
	struct ctl_table *sysctl_table;
	struct rcu_head rcu;
};

int ttp_ndev_init(void);
void ttp_ndev_exit(void);

void ttp_ndev_set_knob(struct ttp_ndev *nd, int val);
unsigned int ttp_ndev_count_enabled(struct ttp_net *tn);
bool ttp_ndev_enabled(const struct net_device *dev);
int ttp_ndev_seq_show(struct seq_file *seq, void *v);

#endif /* _TTP_NDEV_H */
