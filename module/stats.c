// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/ttp/stats: what each layer of this namespace has seen.
 *
 * The names follow /proc/net/snmp where a counter has a Linux twin, so a
 * student can put the two files side by side.
 */
#include <linux/cpumask.h>
#include <linux/rculist.h>

#include "stats.h"
#include "ndev.h"

static const char *const ttp_mib_names[TTP_MIB_MAX] = {
	[TTP_MIB_NF_IN_TTP]		= "NfInTtpFrames",
	[TTP_MIB_NF_IN_ARP]		= "NfInArpFrames",
	[TTP_MIB_DEV_ENABLES]		= "DevEnables",
	[TTP_MIB_DEV_DISABLES]		= "DevDisables",
	[TTP_MIB_SOCK_UNSUPPORTED]	= "SockCreateUnsupported",
};

int ttp_stats_init_ns(struct ttp_net *tn)
{
	tn->mib = alloc_percpu(struct ttp_mib);
	return tn->mib ? 0 : -ENOMEM;
}

void ttp_stats_exit_ns(struct ttp_net *tn)
{
	free_percpu(tn->mib);
	tn->mib = NULL;
}

static unsigned long ttp_stats_sum(struct ttp_net *tn, int field)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(tn->mib, cpu)->mibs[field];
	return sum;
}

int ttp_stats_seq_show(struct seq_file *seq, void *v)
{
	struct ttp_net *tn = ttp_net(seq_file_single_net(seq));
	int i;

	seq_puts(seq, "Name Value\n");
	for (i = 0; i < TTP_MIB_MAX; i++)
		seq_printf(seq, "%s %lu\n", ttp_mib_names[i],
			   ttp_stats_sum(tn, i));
	/* Gauges: derived from live state, never stored twice. */
	seq_printf(seq, "DevEnabled %u\n", ttp_ndev_count_enabled(tn));
	return 0;
}
