// SPDX-License-Identifier: GPL-2.0
/*
 * Which devices TTP runs on.
 *
 * Every Ethernet device gets a struct ttp_ndev when it registers (and its
 * conf/<dev>/enabled knob); the enable rules are re-evaluated whenever
 * one of their inputs changes: the knob, up/down, an IPv4 address, or a
 * master (bridge, bond) being attached.  A device that moves to another
 * namespace is unregistered and registered again, so its state follows.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/rtnetlink.h>

#include "ndev.h"
#include "arp.h"
#include "nf.h"
#include "cable.h"
#include "sysctl.h"

static const char *const ttp_ndev_state_names[] = {
	[TTP_NDEV_ENABLED]	= "enabled",
	[TTP_NDEV_KNOB_OFF]	= "knob-off",
	[TTP_NDEV_DOWN]		= "down",
	[TTP_NDEV_ENSLAVED]	= "enslaved",
	[TTP_NDEV_NO_ADDRESS]	= "no-address",
};

static bool ttp_ndev_has_ipv4(struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);

	return in_dev && rtnl_dereference(in_dev->ifa_list);
}

/*
 * A bridge, bond or team port hands its frames to its master; TTP runs on
 * the master instead.  The upper link (not IFF_BRIDGE_PORT) is what
 * NETDEV_CHANGEUPPER reports, so test that.  An L3 master (VRF) is routing
 * context, not a port's owner.
 */
static bool ttp_ndev_enslaved(struct net_device *dev)
{
	struct net_device *master = netdev_master_upper_dev_get(dev);

	return master && !netif_is_l3_master(master);
}

/* Called under RTNL: the enable rules, in the order they are reported. */
static enum ttp_ndev_state ttp_ndev_eval(struct ttp_ndev *nd)
{
	struct net_device *dev = nd->dev;

	if (!nd->knob)
		return TTP_NDEV_KNOB_OFF;
	if (!(dev->flags & IFF_UP))
		return TTP_NDEV_DOWN;
	if (ttp_ndev_enslaved(dev))
		return TTP_NDEV_ENSLAVED;
	if (!ttp_ndev_has_ipv4(dev))
		return TTP_NDEV_NO_ADDRESS;
	return TTP_NDEV_ENABLED;
}

/* Gratuitous ARP for every address of @dev: "I am here, at this MAC". */
static void ttp_ndev_announce(struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	const struct in_ifaddr *ifa;

	if (!in_dev)
		return;
	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		ttp_arp_announce(dev, ifa->ifa_local);
}

static void ttp_ndev_disable(struct ttp_ndev *nd)
{
	ttp_nf_hook_del(nd);
	/* Neighbours learnt through a device that is gone are no more. */
	ttp_arp_flush_dev(dev_net(nd->dev), nd->dev);
}

static void ttp_ndev_update(struct ttp_ndev *nd)
{
	bool want = ttp_ndev_eval(nd) == TTP_NDEV_ENABLED;
	int err;

	if (want == nd->hooked)
		return;
	if (!want) {
		ttp_ndev_disable(nd);
		return;
	}
	err = ttp_nf_hook_add(nd);
	if (err) {
		netdev_warn(nd->dev, "ttp: cannot enable TTP here: %d\n", err);
		return;
	}
	ttp_ndev_announce(nd->dev);
}

void ttp_ndev_set_knob(struct ttp_ndev *nd, int val)
{
	ASSERT_RTNL();
	WRITE_ONCE(nd->knob, val);
	ttp_ndev_update(nd);
}

/* Only Ethernet devices speak TTP (and TTP ARP). */
static bool ttp_ndev_wanted(const struct net_device *dev)
{
	return dev->type == ARPHRD_ETHER && dev->addr_len == ETH_ALEN;
}

static struct ttp_ndev *ttp_ndev_find(struct net_device *dev)
{
	struct ttp_net *tn = ttp_net(dev_net(dev));
	struct ttp_ndev *nd;

	list_for_each_entry(nd, &tn->ndevs, list)
		if (nd->dev == dev)
			return nd;
	return NULL;
}

static void ttp_ndev_free_rcu(struct rcu_head *head)
{
	struct ttp_ndev *nd = container_of(head, struct ttp_ndev, rcu);

	free_percpu(nd->stats);
	kfree(nd);
}

static int ttp_ndev_create(struct net_device *dev)
{
	struct ttp_net *tn = ttp_net(dev_net(dev));
	struct ttp_ndev *nd;
	int err;

	nd = kzalloc(sizeof(*nd), GFP_KERNEL);
	if (!nd)
		return -ENOMEM;
	nd->stats = alloc_percpu(struct ttp_ndev_stats);
	if (!nd->stats) {
		kfree(nd);
		return -ENOMEM;
	}
	nd->dev = dev;
	nd->tn = tn;
	nd->knob = ttp_cable_is_ttp(dev);
	err = ttp_sysctl_ndev_register(nd);
	if (err) {
		free_percpu(nd->stats);
		kfree(nd);
		return err;
	}
	list_add_tail_rcu(&nd->list, &tn->ndevs);
	ttp_ndev_update(nd);
	return 0;
}

static void ttp_ndev_destroy(struct ttp_ndev *nd)
{
	if (nd->hooked)
		ttp_ndev_disable(nd);
	ttp_sysctl_ndev_unregister(nd);
	list_del_rcu(&nd->list);
	call_rcu(&nd->rcu, ttp_ndev_free_rcu);
}

static void ttp_ndev_rename(struct ttp_ndev *nd)
{
	ttp_sysctl_ndev_unregister(nd);
	if (ttp_sysctl_ndev_register(nd))
		netdev_warn(nd->dev, "ttp: no memory for conf/%s\n",
			    nd->dev->name);
}

static int ttp_ndev_netdev_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ttp_ndev *nd;

	if (!ttp_ndev_wanted(dev))
		return NOTIFY_DONE;
	if (event == NETDEV_REGISTER)
		return notifier_from_errno(ttp_ndev_create(dev));

	nd = ttp_ndev_find(dev);
	if (!nd)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UNREGISTER:
		ttp_ndev_destroy(nd);
		break;
	case NETDEV_CHANGENAME:
		ttp_ndev_rename(nd);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGEUPPER:
		ttp_ndev_update(nd);
		break;
	}
	return NOTIFY_DONE;
}

/* An IPv4 address came or went: the device may have become (un)usable. */
static int ttp_ndev_inetaddr_event(struct notifier_block *nb,
				   unsigned long event, void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	struct ttp_ndev *nd;

	if (!ttp_ndev_wanted(dev))
		return NOTIFY_DONE;
	nd = ttp_ndev_find(dev);
	if (!nd)
		return NOTIFY_DONE;
	if (nd->hooked && event == NETDEV_UP)
		ttp_arp_announce(dev, ifa->ifa_local);
	ttp_ndev_update(nd);
	return NOTIFY_DONE;
}

static struct notifier_block ttp_ndev_netdev_nb = {
	.notifier_call = ttp_ndev_netdev_event,
};

static struct notifier_block ttp_ndev_inetaddr_nb = {
	.notifier_call = ttp_ndev_inetaddr_event,
};

unsigned int ttp_ndev_count_enabled(struct ttp_net *tn)
{
	struct ttp_ndev *nd;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(nd, &tn->ndevs, list)
		n += READ_ONCE(nd->hooked);
	rcu_read_unlock();
	return n;
}

/* Does TTP run on @dev right now?  Any context; takes RCU itself. */
bool ttp_ndev_enabled(const struct net_device *dev)
{
	struct ttp_net *tn = ttp_net(dev_net(dev));
	struct ttp_ndev *nd;
	bool on = false;

	rcu_read_lock();
	list_for_each_entry_rcu(nd, &tn->ndevs, list) {
		if (nd->dev == dev) {
			on = READ_ONCE(nd->hooked);
			break;
		}
	}
	rcu_read_unlock();
	return on;
}

static void ttp_ndev_stats_sum(struct ttp_ndev *nd, struct ttp_ndev_stats *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct ttp_ndev_stats *p = per_cpu_ptr(nd->stats, cpu);

		s->in_ttp += READ_ONCE(p->in_ttp);
		s->in_arp += READ_ONCE(p->in_arp);
	}
}

static const char *ttp_ndev_kind(const struct net_device *dev)
{
	return dev->rtnl_link_ops ? dev->rtnl_link_ops->kind : "ether";
}

/*
 * /proc/net/ttp/devices.  The State column is evaluated afresh, so a
 * student sees the rule that keeps a device off.  Reading device flags
 * without RTNL can race with a change; the next read is right.
 */
int ttp_ndev_seq_show(struct seq_file *seq, void *v)
{
	struct ttp_net *tn = ttp_net(seq_file_single_net(seq));
	struct ttp_ndev_stats s;
	struct ttp_ndev *nd;

	seq_printf(seq, "%-15s %7s %-8s %4s %-10s %10s %10s\n", "Iface",
		   "Ifindex", "Kind", "Knob", "State", "InTtp", "InArp");
	rtnl_lock();
	list_for_each_entry(nd, &tn->ndevs, list) {
		ttp_ndev_stats_sum(nd, &s);
		seq_printf(seq, "%-15s %7d %-8s %4d %-10s %10lu %10lu\n",
			   nd->dev->name, nd->dev->ifindex,
			   ttp_ndev_kind(nd->dev), nd->knob,
			   ttp_ndev_state_names[ttp_ndev_eval(nd)],
			   s.in_ttp, s.in_arp);
	}
	rtnl_unlock();
	return 0;
}

int __init ttp_ndev_init(void)
{
	int err;

	err = register_netdevice_notifier(&ttp_ndev_netdev_nb);
	if (err)
		return err;
	err = register_inetaddr_notifier(&ttp_ndev_inetaddr_nb);
	if (err)
		unregister_netdevice_notifier(&ttp_ndev_netdev_nb);
	return err;
}

/* Unregistering the netdevice notifier replays UNREGISTER for every device. */
void ttp_ndev_exit(void)
{
	unregister_inetaddr_notifier(&ttp_ndev_inetaddr_nb);
	unregister_netdevice_notifier(&ttp_ndev_netdev_nb);
}
