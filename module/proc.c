// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/ttp/: the student's window into each namespace.
 *
 * Every file is per namespace (proc_net) and starts with a header line;
 * the formats are documented in Documentation/proc.md and are stable.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "proc.h"
#include "stats.h"
#include "ndev.h"

int ttp_proc_init_ns(struct ttp_net *tn)
{
	struct net *net = tn->net;

	tn->proc_dir = proc_net_mkdir(net, "ttp", net->proc_net);
	if (!tn->proc_dir)
		return -ENOMEM;

	if (!proc_create_net_single("stats", 0444, tn->proc_dir,
				    ttp_stats_seq_show, NULL))
		goto err;
	if (!proc_create_net_single("devices", 0444, tn->proc_dir,
				    ttp_ndev_seq_show, NULL))
		goto err;
	return 0;

err:
	ttp_proc_exit_ns(tn);
	return -ENOMEM;
}

void ttp_proc_exit_ns(struct ttp_net *tn)
{
	if (!tn->proc_dir)
		return;
	remove_proc_subtree("ttp", tn->net->proc_net);
	tn->proc_dir = NULL;
}
