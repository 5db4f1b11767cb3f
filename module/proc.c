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
#include "arp.h"
#include "ctl_sock.h"
#include "dgram.h"
#include "stream.h"

/*
 * /proc/net/ttp/sockets: every TTP socket of the namespace, one line each,
 * with /proc/net/tcp-like columns (Documentation/proc.md).
 */
static int ttp_proc_sockets_show(struct seq_file *seq, void *v)
{
	struct ttp_net *tn = ttp_net(seq_file_single_net(seq));

	seq_printf(seq, "%-5s %-21s %-21s %-12s %8s %8s %8s %8s %8s %8s %8s %6s %7s %-5s %7s %5s %s\n",
		   "Proto", "Local", "Remote", "State", "SendQ", "RecvQ",
		   "SndBuf", "RcvBuf", "SndWnd", "RcvWnd", "Cwnd", "Rto",
		   "Retrans", "Timer", "Drops", "Uid", "Inode");
	ttp_dgram_seq_show(seq, tn);
	ttp_ctl_sock_seq_show(seq, tn);
	ttp_stream_seq_show(seq, tn);
	return 0;
}

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
	/* Writable: static entries, delete, flush (CAP_NET_ADMIN). */
	if (!proc_create_net_single_write("arp", 0644, tn->proc_dir,
					  ttp_arp_seq_show, ttp_arp_proc_write,
					  NULL))
		goto err;
	if (!proc_create_net_single("sockets", 0444, tn->proc_dir,
				    ttp_proc_sockets_show, NULL))
		goto err;
	/* Maybe 100k lines: a real iterator, a page at a time. */
	if (!proc_create_net("timewait", 0444, tn->proc_dir,
			     &ttp_stream_tw_seq_ops,
			     sizeof(struct seq_net_private)))
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
