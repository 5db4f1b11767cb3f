// SPDX-License-Identifier: GPL-2.0
/*
 * The "ttp" link kind: a veth-like virtual cable.
 *
 * `ip link add NAME type ttp` creates two Ethernet devices, NAME and
 * NAME-peer, joined like the two ends of a cable: whatever one end
 * transmits, the other receives.  Either end can be moved to another
 * network namespace, which is how students build topologies.
 *
 * The cable is deliberately plain.  It offers no checksum or segmentation
 * offloads, so every frame on it is complete and checksummed exactly as on
 * a real wire, and tcpdump on either end shows what the lesson says.  It
 * has no queue of its own (IFF_NO_QUEUE) and a lockless transmit, so tc
 * qdiscs such as netem can be attached to shape the "wire".
 *
 * Each end points at the other through an RCU pointer.  Transmit runs
 * under RCU and never sleeps; dellink clears both pointers before the core
 * waits for a grace period, so a transmit racing with a delete or a
 * namespace move sees either a live peer or none.
 */

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "cable.h"

#define TTP_CABLE_KIND "ttp"

/*
 * Receive drops are counted per CPU by the cable itself: the core's
 * rx_dropped also counts frames no protocol wanted, while ethtool -S should
 * show what the cable could not deliver.  Transmit drops are the core's
 * tx_dropped: with the peer down the carrier is off and the kernel's
 * queueing layer may discard a frame before the cable sees it, and a
 * student should see one number for "sent into a dead cable".
 */
struct ttp_cable_drops {
	u64_stats_t rx;
	struct u64_stats_sync syncp;
};

struct ttp_cable_priv {
	struct net_device __rcu *peer;
	struct ttp_cable_drops __percpu *drops;
};

/* ethtool -S counters; the names are part of the user contract. */
enum {
	TTP_CABLE_STAT_PEER_IFINDEX,
	TTP_CABLE_STAT_TX_PACKETS,
	TTP_CABLE_STAT_TX_BYTES,
	TTP_CABLE_STAT_TX_DROPS,
	TTP_CABLE_STAT_RX_PACKETS,
	TTP_CABLE_STAT_RX_BYTES,
	TTP_CABLE_STAT_RX_DROPS,
	TTP_CABLE_STAT_COUNT
};

static const char
ttp_cable_stat_names[TTP_CABLE_STAT_COUNT][ETH_GSTRING_LEN] = {
	[TTP_CABLE_STAT_PEER_IFINDEX]	= "peer_ifindex",
	[TTP_CABLE_STAT_TX_PACKETS]	= "tx_packets",
	[TTP_CABLE_STAT_TX_BYTES]	= "tx_bytes",
	[TTP_CABLE_STAT_TX_DROPS]	= "tx_drops",
	[TTP_CABLE_STAT_RX_PACKETS]	= "rx_packets",
	[TTP_CABLE_STAT_RX_BYTES]	= "rx_bytes",
	[TTP_CABLE_STAT_RX_DROPS]	= "rx_drops",
};

static struct rtnl_link_ops ttp_cable_link_ops;

/**
 * ttp_cable_is_ttp - is @dev one end of a ttp cable?
 * @dev: any network device
 *
 * Return: true for devices of link kind "ttp".
 */
bool ttp_cable_is_ttp(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &ttp_cable_link_ops;
}

/* --- statistics ------------------------------------------------------- */

/* Bumped from the peer's transmit path, with BHs disabled. */
static void ttp_cable_count_rx_drop(struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct ttp_cable_drops *drops = this_cpu_ptr(priv->drops);

	u64_stats_update_begin(&drops->syncp);
	u64_stats_inc(&drops->rx);
	u64_stats_update_end(&drops->syncp);
}

static u64 ttp_cable_rx_drops(struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	unsigned int cpu, start;
	u64 sum = 0, r;

	for_each_possible_cpu(cpu) {
		const struct ttp_cable_drops *drops;

		drops = per_cpu_ptr(priv->drops, cpu);
		do {
			start = u64_stats_fetch_begin(&drops->syncp);
			r = u64_stats_read(&drops->rx);
		} while (u64_stats_fetch_retry(&drops->syncp, start));
		sum += r;
	}
	return sum;
}

/* The peer's ifindex, 0 while the cable is being taken apart. */
static int ttp_cable_peer_ifindex(const struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int ifindex;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	ifindex = peer ? READ_ONCE(peer->ifindex) : 0;
	rcu_read_unlock();

	return ifindex;
}

/* --- ethtool ---------------------------------------------------------- */

static void ttp_cable_get_drvinfo(struct net_device *dev,
				  struct ethtool_drvinfo *info)
{
	strscpy(info->driver, TTP_CABLE_KIND, sizeof(info->driver));
}

/* A virtual cable has no real speed; report what veth does. */
static int ttp_cable_get_link_ksettings(struct net_device *dev,
					struct ethtool_link_ksettings *cmd)
{
	cmd->base.speed = SPEED_10000;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_TP;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

static int ttp_cable_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return TTP_CABLE_STAT_COUNT;
}

static void ttp_cable_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	if (sset == ETH_SS_STATS)
		memcpy(buf, ttp_cable_stat_names, sizeof(ttp_cable_stat_names));
}

static void ttp_cable_get_ethtool_stats(struct net_device *dev,
					struct ethtool_stats *stats, u64 *data)
{
	struct rtnl_link_stats64 sw = {};
	struct rtnl_link_stats64 all;

	dev_fetch_sw_netstats(&sw, dev->tstats);
	dev_get_stats(dev, &all);

	data[TTP_CABLE_STAT_PEER_IFINDEX] = ttp_cable_peer_ifindex(dev);
	data[TTP_CABLE_STAT_TX_PACKETS] = sw.tx_packets;
	data[TTP_CABLE_STAT_TX_BYTES] = sw.tx_bytes;
	data[TTP_CABLE_STAT_TX_DROPS] = all.tx_dropped;
	data[TTP_CABLE_STAT_RX_PACKETS] = sw.rx_packets;
	data[TTP_CABLE_STAT_RX_BYTES] = sw.rx_bytes;
	data[TTP_CABLE_STAT_RX_DROPS] = ttp_cable_rx_drops(dev);
}

static const struct ethtool_ops ttp_cable_ethtool_ops = {
	.get_drvinfo		= ttp_cable_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= ttp_cable_get_link_ksettings,
	.get_sset_count		= ttp_cable_get_sset_count,
	.get_strings		= ttp_cable_get_strings,
	.get_ethtool_stats	= ttp_cable_get_ethtool_stats,
	.get_ts_info		= ethtool_op_get_ts_info,
};

/* --- the data path ---------------------------------------------------- */

static void ttp_cable_tx_drop(struct net_device *dev, struct sk_buff *skb,
			      enum skb_drop_reason reason)
{
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb_reason(skb, reason);
}

/*
 * Hand the frame to the peer as if it had arrived on a wire.
 * dev_forward_skb() scrubs the skb when the ends are in different
 * namespaces, drops frames the peer cannot take (down, or longer than its
 * MTU) and queues the rest to the peer's receive path.  Its drops are
 * already in the peer's core rx_dropped; the cable adds them to the peer's
 * own rx_drops.  The sender counts the frame as sent either way: it left
 * this end, as it would leave a NIC.
 */
static netdev_tx_t ttp_cable_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	unsigned int len;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (unlikely(!peer || !netif_running(peer))) {
		ttp_cable_tx_drop(dev, skb, SKB_DROP_REASON_DEV_READY);
		goto out;
	}
	/* eth_type_trans() on the peer needs a whole Ethernet header. */
	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		ttp_cable_tx_drop(dev, skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		goto out;
	}

	skb_tx_timestamp(skb);
	len = skb->len;
	dev_sw_netstats_tx_add(dev, 1, len);
	if (likely(dev_forward_skb(peer, skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(peer, len);
	else
		ttp_cable_count_rx_drop(peer);
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

/* --- device operations ------------------------------------------------ */

static int ttp_cable_dev_init(struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);

	priv->drops = netdev_alloc_pcpu_stats(struct ttp_cable_drops);
	if (!priv->drops)
		return -ENOMEM;

	/* An end is born unplugged: carrier comes with an open peer. */
	netif_carrier_off(dev);
	return 0;
}

/*
 * Freed at the very end of the device's life, not in ndo_uninit: the
 * peer's transmit may still bump our rx_drops until the RCU grace period
 * that follows dellink.
 */
static void ttp_cable_dev_free(struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);

	free_percpu(priv->drops);
	priv->drops = NULL;
}

/* Carrier is up only while both ends are up, as on a real cable. */
static int ttp_cable_open(struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (!peer)
		return -ENOTCONN;

	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int ttp_cable_stop(struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	return 0;
}

/* IFLA_LINK: `ip link` shows "NAME@PEER". */
static int ttp_cable_get_iflink(const struct net_device *dev)
{
	return ttp_cable_peer_ifindex(dev);
}

static const struct net_device_ops ttp_cable_netdev_ops = {
	.ndo_init		= ttp_cable_dev_init,
	.ndo_open		= ttp_cable_open,
	.ndo_stop		= ttp_cable_stop,
	.ndo_start_xmit		= ttp_cable_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_get_iflink		= ttp_cable_get_iflink,
};

static void ttp_cable_setup(struct net_device *dev)
{
	ether_setup(dev);

	/* Transmit hands the skb itself to the peer: it must not be shared. */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE;
	ttp_compat_set_lltx(dev);

	dev->netdev_ops = &ttp_cable_netdev_ops;
	dev->ethtool_ops = &ttp_cable_ethtool_ops;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
	dev->priv_destructor = ttp_cable_dev_free;

	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	/*
	 * Scatter-gather: the peer takes the skb as it is, so paged data
	 * (TTP's and TCP's send queues are page frags) crosses without
	 * being linearized into a copy.  No checksum offload: students
	 * capture on the cable and must see real checksums.
	 */
	dev->hw_features |= NETIF_F_SG | NETIF_F_HIGHDMA;
	dev->features |= NETIF_F_SG | NETIF_F_HIGHDMA;
}

/* --- netlink ---------------------------------------------------------- */

/*
 * The core copies IFLA_ADDRESS into the new device with the attribute's
 * own length, so anything but a valid 6-byte address is refused here.
 */
static int ttp_cable_validate(struct nlattr *tb[], struct nlattr *data[],
			      struct netlink_ext_ack *extack)
{
	struct nlattr *addr = tb[IFLA_ADDRESS];

	if (!addr)
		return 0;
	if (nla_len(addr) != ETH_ALEN) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "ttp: MAC address must be 6 bytes");
		return -EINVAL;
	}
	if (!is_valid_ether_addr(nla_data(addr))) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "ttp: MAC address is multicast or zero");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/*
 * "NAME-peer" if it fits in IFNAMSIZ and is free in @net, else "ttp%d".
 * iproute2 cannot pass a peer name for a kind it does not know, so the
 * name is derived; the user renames the peer with `ip link set`.
 */
static unsigned char ttp_cable_peer_name(struct net *net, const char *name,
					 char *buf)
{
	int len = snprintf(buf, IFNAMSIZ, "%s-peer", name);

	if (len < IFNAMSIZ && !netdev_name_in_use(net, buf))
		return NET_NAME_PREDICTABLE;

	strscpy(buf, TTP_CABLE_KIND "%d", IFNAMSIZ);
	return NET_NAME_ENUM;
}

/*
 * Create and register the far end of @dev in @net.  Its peer pointer is
 * set before registration so that the RTM_NEWLINK for it already carries
 * IFLA_LINK; @dev's side is tied by the caller.
 */
static struct net_device *ttp_cable_create_peer(struct net *net,
						struct net_device *dev)
{
	struct ttp_cable_priv *priv;
	unsigned char name_type;
	char name[IFNAMSIZ];
	struct net_device *peer;
	int err;

	name_type = ttp_cable_peer_name(net, dev->name, name);
	peer = alloc_netdev(sizeof(*priv), name, name_type, ttp_cable_setup);
	if (!peer)
		return ERR_PTR(-ENOMEM);

	dev_net_set(peer, net);
	peer->rtnl_link_ops = &ttp_cable_link_ops;
	peer->mtu = dev->mtu;
	eth_hw_addr_random(peer);

	priv = netdev_priv(peer);
	rcu_assign_pointer(priv->peer, dev);

	err = register_netdevice(peer);
	if (err) {
		free_netdev(peer);
		return ERR_PTR(err);
	}
	return peer;
}

/*
 * @dev was allocated by the core in its target namespace.  The peer goes
 * to @src_net, the namespace the request came from (or the one named by
 * IFLA_LINK_NETNSID), as veth does: so `ip link add A netns X type ttp`
 * puts A in X and A-peer here, one command for a cable between namespaces.
 *
 * @dev is registered first so that its final name (after "%d" expansion)
 * can name the peer.  On failure @dev is unregistered again; the core's
 * free_netdev() then defers to the unregister path.
 */
static int ttp_cable_newlink(struct net *src_net, struct net_device *dev,
			     struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int err;

	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);

	err = register_netdevice(dev);
	if (err)
		return err;

	peer = ttp_cable_create_peer(src_net, dev);
	if (IS_ERR(peer)) {
		NL_SET_ERR_MSG(extack, "ttp: cannot create the peer device");
		unregister_netdevice(dev);
		return PTR_ERR(peer);
	}

	rcu_assign_pointer(priv->peer, peer);
	return 0;
}

/*
 * Deleting either end deletes the cable.  Readers may still hold the old
 * pointers; unregister_netdevice_many() waits for an RCU grace period
 * before the devices go away.  Each end may be queued twice (when both
 * die with their namespace); unregister_netdevice_queue() copes.
 */
static void ttp_cable_dellink(struct net_device *dev, struct list_head *head)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	RCU_INIT_POINTER(priv->peer, NULL);
	unregister_netdevice_queue(dev, head);

	if (peer) {
		priv = netdev_priv(peer);
		RCU_INIT_POINTER(priv->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

/* The namespace IFLA_LINK refers to: the peer's. */
static struct net *ttp_cable_get_link_net(const struct net_device *dev)
{
	struct ttp_cable_priv *priv = netdev_priv(dev);
	struct net_device *peer = rcu_dereference_rtnl(priv->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

static struct rtnl_link_ops ttp_cable_link_ops = {
	.kind		= TTP_CABLE_KIND,
	.priv_size	= sizeof(struct ttp_cable_priv),
	.setup		= ttp_cable_setup,
	.validate	= ttp_cable_validate,
	.newlink	= ttp_cable_newlink,
	.dellink	= ttp_cable_dellink,
	.get_link_net	= ttp_cable_get_link_net,
};

/**
 * ttp_cable_init - register the "ttp" link kind
 *
 * Return: 0 or a negative errno from rtnl_link_register().
 */
int ttp_cable_init(void)
{
	return rtnl_link_register(&ttp_cable_link_ops);
}

/**
 * ttp_cable_exit - unregister the "ttp" link kind
 *
 * Deletes every ttp cable in every namespace.
 */
void ttp_cable_exit(void)
{
	rtnl_link_unregister(&ttp_cable_link_ops);
}

MODULE_ALIAS_RTNL_LINK(TTP_CABLE_KIND);
