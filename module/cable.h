/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "ttp" link kind: a virtual cable, always a pair of Ethernet devices.
 * A frame sent on one end is received on the other, even when the two ends
 * live in different network namespaces.  This is the network access layer
 * that students wire their namespace topologies with.
 */
#ifndef _TTP_CABLE_H
#define _TTP_CABLE_H

#include <linux/netdevice.h>

int ttp_cable_init(void);
void ttp_cable_exit(void);
bool ttp_cable_is_ttp(const struct net_device *dev);

#endif /* _TTP_CABLE_H */
