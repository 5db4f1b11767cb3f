// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter ingress hook: where TTP frames enter the stack.
 *
 * TTP does not register a packet_type: a netdev ingress hook lets a
 * teacher put nft rules in front of TTP (drop a SYN-ACK, count ARP) with
 * the ordinary tools.  TTP frames are taken (NF_STOLEN) and handed to the
 * network layer or to TTP ARP; frames that are not TTP's are accepted
 * untouched, so the kernel's own IPv4 and ARP keep working on the cable.
 */
#include <linux/if_arp.h>
#include <linux/netfilter_netdev.h>
#include <linux/skbuff.h>
#include <uapi/linux/ttp.h>

#include "arp.h"
#include "ip.h"
#include "nf.h"
#include "stats.h"

/* RFC 826 frame for TTP: hardware Ethernet, protocol 0x88B5. */
static bool ttp_nf_is_ttp_arp(const struct sk_buff *skb)
{
	struct arphdr _arp;
	const struct arphdr *arp;

	arp = skb_header_pointer(skb, 0, sizeof(_arp), &_arp);
	return arp && arp->ar_pro == htons(ETH_P_TTP);
}

static unsigned int ttp_nf_ingress(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct ttp_ndev *nd = priv;

	switch (skb->protocol) {
	case htons(ETH_P_TTP):
		this_cpu_inc(nd->stats->in_ttp);
		TTP_INC_STATS(nd->tn, TTP_MIB_NF_IN_TTP);
		ttp_ip_rcv(skb, nd);
		return NF_STOLEN;
	case htons(ETH_P_ARP):
		if (!ttp_nf_is_ttp_arp(skb))
			break;
		this_cpu_inc(nd->stats->in_arp);
		TTP_INC_STATS(nd->tn, TTP_MIB_NF_IN_ARP);
		ttp_arp_rcv(skb, nd);
		return NF_STOLEN;
	}
	return NF_ACCEPT;
}

/* Called under RTNL. */
int ttp_nf_hook_add(struct ttp_ndev *nd)
{
	int err;

	nd->hook = (struct nf_hook_ops) {
		.hook		= ttp_nf_ingress,
		.pf		= NFPROTO_NETDEV,
		.hooknum	= NF_NETDEV_INGRESS,
		.priority	= TTP_NF_PRIORITY,
		.dev		= nd->dev,
		.priv		= nd,
	};
	err = nf_register_net_hook(dev_net(nd->dev), &nd->hook);
	if (err)
		return err;
	WRITE_ONCE(nd->hooked, true);	/* /proc reads it without RTNL */
	TTP_INC_STATS(nd->tn, TTP_MIB_DEV_ENABLES);
	return 0;
}

/*
 * Called under RTNL.  A CPU may still be inside ttp_nf_ingress() with @nd
 * as priv; struct ttp_ndev is freed only after an RCU grace period.
 */
void ttp_nf_hook_del(struct ttp_ndev *nd)
{
	nf_unregister_net_hook(dev_net(nd->dev), &nd->hook);
	WRITE_ONCE(nd->hooked, false);
	TTP_INC_STATS(nd->tn, TTP_MIB_DEV_DISABLES);
}
