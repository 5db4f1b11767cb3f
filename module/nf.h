/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TTP's entry point for received frames: a netfilter NF_NETDEV_INGRESS hook
 * on every TTP-enabled device.
 *
 * It runs at priority TTP_NF_PRIORITY, so an nft "netdev" ingress chain
 * with a lower priority (the usual "priority filter" is 0) sees, counts,
 * mangles or drops TTP frames before TTP does.
 */
#ifndef _TTP_NF_H
#define _TTP_NF_H

#include "ndev.h"

#define TTP_NF_PRIORITY 100

int ttp_nf_hook_add(struct ttp_ndev *nd);
void ttp_nf_hook_del(struct ttp_ndev *nd);

#endif /* _TTP_NF_H */
