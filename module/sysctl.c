// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/sys/net/ttp/: the per-namespace knobs.
 *
 * Layout, modelled on net.ipv4.conf:
 *   net/ttp/<knob>            namespace-wide knobs (Documentation/proc.md)
 *   net/ttp/conf/<dev>/enabled   run TTP on this Ethernet device (0/1)
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sysctl.h>

#include "compat.h"
#include "sysctl.h"
#include "ndev.h"

static const struct ttp_net_cfg ttp_sysctl_defaults = {
	.forwarding		= 0,
	.default_ttl		= 64,
	.local_port_range	= { 32768, 60999 },
	.arp_retries		= 3,
	.arp_retrans_ms		= 1000,
	.arp_reachable_ms	= 30000,
	.arp_delay_probe_ms	= 5000,
	.arp_stale_ms		= 60000,
	.arp_max_entries	= 512,
	.arp_queue_len		= 10,
	.stream_syn_retries	= 6,
	.stream_synack_retries	= 5,
	.stream_rto_init_ms	= 1000,
	.stream_time_wait_ms	= 60000,
	.stream_fin_timeout_ms	= 60000,
	.stream_max_tw_buckets	= 65536,
	.stream_keepalive_time_ms = 7200000,
	.stream_keepalive_intvl_ms = 75000,
	.stream_keepalive_probes = 9,
	.stream_rto_min_ms	= 200,
	.stream_rto_max_ms	= 120000,
	.stream_retries2	= 15,
	.stream_delack_ms	= 40,
	.stream_invalid_ratelimit_ms = 500,
	.stream_rmem		= { 4096, 1048576, 6291456 },
	.stream_wmem		= { 4096, 1048576, 4194304 },
	.stream_mem_max_kb	= 262144,
};

static int ttp_sysctl_port_range(TTP_CTL_CONST struct ctl_table *table,
				 int write, void *buffer, size_t *lenp,
				 loff_t *ppos)
{
	int *range = table->data;
	int val[2] = { READ_ONCE(range[0]), READ_ONCE(range[1]) };
	struct ctl_table tmp = *table;
	int err;

	tmp.data = val;
	err = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	if (val[0] > val[1])
		return -EINVAL;
	WRITE_ONCE(range[0], val[0]);
	WRITE_ONCE(range[1], val[1]);
	return 0;
}

/*
 * stream_rmem, stream_wmem: "min default max" bytes, as tcp_rmem; each
 * within extra1..extra2 and in order.
 */
static int ttp_sysctl_mem3(TTP_CTL_CONST struct ctl_table *table, int write,
			   void *buffer, size_t *lenp, loff_t *ppos)
{
	int *mem = table->data;
	int val[3] = { READ_ONCE(mem[0]), READ_ONCE(mem[1]), READ_ONCE(mem[2]) };
	struct ctl_table tmp = *table;
	int err, i;

	tmp.data = val;
	err = proc_dointvec_minmax(&tmp, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	if (val[0] > val[1] || val[1] > val[2])
		return -EINVAL;
	for (i = 0; i < 3; i++)
		WRITE_ONCE(mem[i], val[i]);
	return 0;
}

static int ttp_sysctl_int_10 = 10, ttp_sysctl_int_16 = 16;
static int ttp_sysctl_int_100 = 100, ttp_sysctl_int_255 = 255;
static int ttp_sysctl_int_1000 = 1000, ttp_sysctl_int_60000 = 60000;
static int ttp_sysctl_int_65535 = 65535, ttp_sysctl_int_65536 = 65536;
static int ttp_sysctl_int_hour_ms = 3600 * 1000;
static int ttp_sysctl_int_20 = 20, ttp_sysctl_int_600000 = 600000;
static int ttp_sysctl_int_day_ms = 86400 * 1000;
static int ttp_sysctl_int_127 = 127, ttp_sysctl_int_1m = 1048576;
static int ttp_sysctl_int_10000 = 10000;
static int ttp_sysctl_int_2048 = 2048, ttp_sysctl_int_64m = 64 << 20;
static int ttp_sysctl_int_1024 = 1024, ttp_sysctl_int_16m_kb = 16 << 20;

#define TTP_SYSCTL_MEM3(name, field) {					\
	.procname	= name,						\
	.data		= (void *)&ttp_sysctl_defaults.field,		\
	.maxlen		= 3 * sizeof(int),				\
	.mode		= 0644,						\
	.proc_handler	= ttp_sysctl_mem3,				\
	.extra1		= &ttp_sysctl_int_2048,				\
	.extra2		= &ttp_sysctl_int_64m,				\
}

#define TTP_SYSCTL_INT(name, field, min, max) {			\
	.procname	= name,						\
	.data		= (void *)&ttp_sysctl_defaults.field,		\
	.maxlen		= sizeof(int),					\
	.mode		= 0644,						\
	.proc_handler	= proc_dointvec_minmax,				\
	.extra1		= (void *)(min),				\
	.extra2		= (void *)(max),				\
}

/*
 * Namespace-wide knobs.  .data points into ttp_sysctl_defaults; each
 * namespace gets a copy of the table pointing at the same field of its own
 * struct ttp_net_cfg.
 */
static const struct ctl_table ttp_sysctl_ns_template[] = {
	TTP_SYSCTL_INT("forwarding", forwarding, SYSCTL_ZERO, SYSCTL_ONE),
	TTP_SYSCTL_INT("default_ttl", default_ttl, SYSCTL_ONE,
		       &ttp_sysctl_int_255),
	{
		.procname	= "local_port_range",
		.data		= (void *)&ttp_sysctl_defaults.local_port_range,
		.maxlen		= sizeof(ttp_sysctl_defaults.local_port_range),
		.mode		= 0644,
		.proc_handler	= ttp_sysctl_port_range,
		.extra1		= SYSCTL_ONE,
		.extra2		= &ttp_sysctl_int_65535,
	},
	TTP_SYSCTL_INT("arp_retries", arp_retries, SYSCTL_ONE,
		       &ttp_sysctl_int_10),
	TTP_SYSCTL_INT("arp_retrans_ms", arp_retrans_ms, &ttp_sysctl_int_10,
		       &ttp_sysctl_int_60000),
	TTP_SYSCTL_INT("arp_reachable_ms", arp_reachable_ms,
		       &ttp_sysctl_int_100, &ttp_sysctl_int_hour_ms),
	TTP_SYSCTL_INT("arp_delay_probe_ms", arp_delay_probe_ms, SYSCTL_ZERO,
		       &ttp_sysctl_int_60000),
	TTP_SYSCTL_INT("arp_stale_ms", arp_stale_ms, &ttp_sysctl_int_1000,
		       &ttp_sysctl_int_day_ms),
	TTP_SYSCTL_INT("arp_max_entries", arp_max_entries, &ttp_sysctl_int_16,
		       &ttp_sysctl_int_65536),
	TTP_SYSCTL_INT("arp_queue_len", arp_queue_len, SYSCTL_ONE,
		       &ttp_sysctl_int_1000),
	TTP_SYSCTL_INT("stream_syn_retries", stream_syn_retries, SYSCTL_ONE,
		       &ttp_sysctl_int_20),
	TTP_SYSCTL_INT("stream_synack_retries", stream_synack_retries,
		       SYSCTL_ONE, &ttp_sysctl_int_20),
	TTP_SYSCTL_INT("stream_rto_init_ms", stream_rto_init_ms,
		       &ttp_sysctl_int_10, &ttp_sysctl_int_60000),
	TTP_SYSCTL_INT("stream_time_wait_ms", stream_time_wait_ms,
		       SYSCTL_ZERO, &ttp_sysctl_int_600000),
	TTP_SYSCTL_INT("stream_fin_timeout_ms", stream_fin_timeout_ms,
		       SYSCTL_ZERO, &ttp_sysctl_int_600000),
	TTP_SYSCTL_INT("stream_max_tw_buckets", stream_max_tw_buckets,
		       SYSCTL_ZERO, &ttp_sysctl_int_1m),
	TTP_SYSCTL_INT("stream_keepalive_time_ms", stream_keepalive_time_ms,
		       &ttp_sysctl_int_100, &ttp_sysctl_int_day_ms),
	TTP_SYSCTL_INT("stream_keepalive_intvl_ms", stream_keepalive_intvl_ms,
		       &ttp_sysctl_int_100, &ttp_sysctl_int_hour_ms),
	TTP_SYSCTL_INT("stream_keepalive_probes", stream_keepalive_probes,
		       SYSCTL_ONE, &ttp_sysctl_int_127),
	TTP_SYSCTL_INT("stream_rto_min_ms", stream_rto_min_ms,
		       SYSCTL_ONE, &ttp_sysctl_int_60000),
	TTP_SYSCTL_INT("stream_rto_max_ms", stream_rto_max_ms,
		       &ttp_sysctl_int_100, &ttp_sysctl_int_600000),
	TTP_SYSCTL_INT("stream_retries2", stream_retries2, SYSCTL_ONE,
		       &ttp_sysctl_int_127),
	TTP_SYSCTL_INT("stream_delack_ms", stream_delack_ms, SYSCTL_ZERO,
		       &ttp_sysctl_int_10000),
	TTP_SYSCTL_INT("stream_invalid_ratelimit_ms",
		       stream_invalid_ratelimit_ms, SYSCTL_ZERO,
		       &ttp_sysctl_int_60000),
	TTP_SYSCTL_MEM3("stream_rmem", stream_rmem),
	TTP_SYSCTL_MEM3("stream_wmem", stream_wmem),
	TTP_SYSCTL_INT("stream_mem_max_kb", stream_mem_max_kb,
		       &ttp_sysctl_int_1024, &ttp_sysctl_int_16m_kb),
	{ }
};

int ttp_sysctl_init_ns(struct ttp_net *tn)
{
	const size_t n = ARRAY_SIZE(ttp_sysctl_ns_template) - 1;
	struct ctl_table *table;
	size_t i;

	tn->cfg = ttp_sysctl_defaults;
	table = kmemdup(ttp_sysctl_ns_template,
			sizeof(ttp_sysctl_ns_template), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		table[i].data = (char *)&tn->cfg +
			((char *)table[i].data -
			 (char *)&ttp_sysctl_defaults);

	tn->sysctl_hdr = ttp_compat_register_sysctl(tn->net, "net/ttp",
						    table, n);
	if (!tn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	tn->sysctl_table = table;
	return 0;
}

void ttp_sysctl_exit_ns(struct ttp_net *tn)
{
	unregister_net_sysctl_table(tn->sysctl_hdr);
	kfree(tn->sysctl_table);
	tn->sysctl_hdr = NULL;
	tn->sysctl_table = NULL;
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
