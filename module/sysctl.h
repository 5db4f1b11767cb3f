/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TTP_SYSCTL_H
#define _TTP_SYSCTL_H

#include "netns.h"

struct ttp_ndev;

int ttp_sysctl_init_ns(struct ttp_net *tn);
void ttp_sysctl_exit_ns(struct ttp_net *tn);

int ttp_sysctl_ndev_register(struct ttp_ndev *nd);
void ttp_sysctl_ndev_unregister(struct ttp_ndev *nd);

#endif /* _TTP_SYSCTL_H */
