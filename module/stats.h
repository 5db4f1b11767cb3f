/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-namespace counters, shown in /proc/net/ttp/stats as "Name Value"
 * lines.  They are per-CPU so the receive path never bounces a cache line
 * between CPUs just to count a frame.
 */
#ifndef _TTP_STATS_H
#define _TTP_STATS_H

#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "netns.h"

enum ttp_mib_field {
	TTP_MIB_NF_IN_TTP,		/* EtherType 0x88B5 frames at the hook */
	TTP_MIB_NF_IN_ARP,		/* ARP frames for protocol 0x88B5 */
	TTP_MIB_DEV_ENABLES,		/* ingress hooks installed */
	TTP_MIB_DEV_DISABLES,		/* ingress hooks removed */
	TTP_MIB_SOCK_UNSUPPORTED,	/* socket() of a type TTP lacks */
	TTP_MIB_MAX
};

struct ttp_mib {
	unsigned long mibs[TTP_MIB_MAX];
};

#define TTP_INC_STATS(tn, field) this_cpu_inc((tn)->mib->mibs[field])

int ttp_stats_init_ns(struct ttp_net *tn);
void ttp_stats_exit_ns(struct ttp_net *tn);
int ttp_stats_seq_show(struct seq_file *seq, void *v);

#endif /* _TTP_STATS_H */
