// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/sys/net/ttp/: the per-namespace knobs.
 *
 * Layout, modelled on net.ipv4.conf:
 *   net/ttp/                  namespace-wide knobs (later layers add them)
 *   net/ttp/conf/<dev>/enabled   run TTP on this Ethernet device (0/1)
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sysctl.h>

#include "compat.h"
#include "sysctl.h"
#include "ndev.h"

/* Namespace-wide knobs.  Empty for now: it makes net/ttp/ exist. */
static struct ctl_table ttp_sysctl_ns_table[] = {
	{ }
};

int ttp_sysctl_init_ns(struct ttp_net *tn)
{
	tn->sysctl_hdr = ttp_compat_register_sysctl(tn->net, "net/ttp",
						    ttp_sysctl_ns_table,
						    ARRAY_SIZE(ttp_sysctl_ns_table) - 1);
	return tn->sysctl_hdr ? 0 : -ENOMEM;
}

void ttp_sysctl_exit_ns(struct ttp_net *tn)
{
	unregister_net_sysctl_table(tn->sysctl_hdr);
	tn->sysctl_hdr = NULL;
}

/*
 * conf/<dev>/enabled.  The new value is applied under RTNL, which also
 * guards the enable rules.  Device unregistration holds RTNL while it waits
 * for this handler to finish, so take RTNL with trylock and restart the
 * system call instead of deadlocking (as net.ipv4.conf does).
 */
static int ttp_sysctl_ndev_enabled(TTP_CTL_CONST struct ctl_table *table,
				   int write, void *buffer, size_t *lenp,
				   loff_t *ppos)
{
	struct ttp_ndev *nd = container_of(table->data, struct ttp_ndev, knob);
	struct ctl_table tmp = *table;
	int val = READ_ONCE(nd->knob);
	int err;

	tmp.data = &val;
	err = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;

	if (!rtnl_trylock())
		return restart_syscall();
	ttp_ndev_set_knob(nd, val);
	rtnl_unlock();
	return 0;
}

static const struct ctl_table ttp_sysctl_ndev_template[] = {
	{
		.procname	= "enabled",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= ttp_sysctl_ndev_enabled,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{ }
};

/* Called under RTNL when a device appears or is renamed. */
int ttp_sysctl_ndev_register(struct ttp_ndev *nd)
{
	char path[sizeof("net/ttp/conf/") + IFNAMSIZ];
	struct ctl_table *table;

	table = kmemdup(ttp_sysctl_ndev_template,
			sizeof(ttp_sysctl_ndev_template), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = &nd->knob;

	snprintf(path, sizeof(path), "net/ttp/conf/%s", nd->dev->name);
	nd->sysctl_hdr = ttp_compat_register_sysctl(dev_net(nd->dev), path,
						    table,
						    ARRAY_SIZE(ttp_sysctl_ndev_template) - 1);
	if (!nd->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	nd->sysctl_table = table;
	return 0;
}

void ttp_sysctl_ndev_unregister(struct ttp_ndev *nd)
{
	if (!nd->sysctl_hdr)
		return;
	unregister_net_sysctl_table(nd->sysctl_hdr);
	kfree(nd->sysctl_table);
	nd->sysctl_hdr = NULL;
	nd->sysctl_table = NULL;
}
