// SPDX-License-Identifier: GPL-2.0
/*
 * TTP, the Teaching TCP/IP Protocol family: module init and exit.
 *
 * Layers come up bottom first and go down in exactly the reverse order:
 * per-namespace state, the device rules (notifiers), the cable link kind
 * and last the socket family, so nothing can reach a layer that is not
 * there yet, or no longer there.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/sock.h>
#include <uapi/linux/ttp.h>

#include "af.h"
#include "cable.h"
#include "ctl_sock.h"
#include "dgram.h"
#include "ip.h"
#include "ndev.h"
#include "netns.h"
#include "stream.h"

static int ttp_family = AF_TTP;
module_param_named(family, ttp_family, int, 0444);
MODULE_PARM_DESC(family, "address family number for AF_TTP (default 25)");

static int __init ttp_init(void)
{
	int err;

	err = ttp_net_init();
	if (err)
		goto err_out;
	err = ttp_ndev_init();
	if (err)
		goto err_net;
	err = ttp_cable_init();
	if (err)
		goto err_ndev;
	err = ttp_ip_init();
	if (err)
		goto err_cable;
	err = ttp_dgram_init();
	if (err)
		goto err_ip;
	err = ttp_ctl_sock_init();
	if (err)
		goto err_dgram;
	err = ttp_stream_init();
	if (err)
		goto err_ctl;
	err = ttp_af_init(ttp_family);
	if (err)
		goto err_stream;

	pr_info("ttp: Teaching TCP/IP Protocol family loaded (AF_TTP=%d)\n",
		ttp_family);
	return 0;

err_stream:
	ttp_stream_exit();
err_ctl:
	ttp_ctl_sock_exit();
err_dgram:
	ttp_dgram_exit();
err_ip:
	ttp_ip_exit();
err_cable:
	ttp_cable_exit();
err_ndev:
	ttp_ndev_exit();
err_net:
	ttp_net_exit();
err_out:
	return err;
}

static void __exit ttp_exit(void)
{
	ttp_af_exit();
	ttp_ctl_sock_exit();
	ttp_dgram_exit();
	ttp_ip_exit();
	ttp_cable_exit();
	ttp_ndev_exit();
	/* Resets orphaned stream sockets and empties TIME_WAIT tables. */
	ttp_net_exit();
	/*
	 * Wait for call_rcu() frees (per-device state, stream sockets and
	 * TIME_WAIT entries) before their caches and our text go.
	 */
	rcu_barrier();
	ttp_stream_exit();
	pr_info("ttp: unloaded\n");
}

module_init(ttp_init);
module_exit(ttp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TTP: the Teaching TCP/IP Protocol family");
MODULE_AUTHOR("The TTP developers");
MODULE_VERSION("0.1");
MODULE_ALIAS_NETPROTO(PF_TTP);
