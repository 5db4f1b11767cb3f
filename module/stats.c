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
	[TTP_MIB_IP_IN_RECEIVES]	= "IpInReceives",
	[TTP_MIB_IP_IN_HDR_ERRORS]	= "IpInHdrErrors",
	[TTP_MIB_IP_IN_CSUM_ERRORS]	= "IpInCsumErrors",
	[TTP_MIB_IP_IN_ADDR_ERRORS]	= "IpInAddrErrors",
	[TTP_MIB_IP_IN_UNKNOWN_PROTOS]	= "IpInUnknownProtos",
	[TTP_MIB_IP_IN_TRUNCATED]	= "IpInTruncatedPkts",
	[TTP_MIB_IP_IN_DISCARDS]	= "IpInDiscards",
	[TTP_MIB_IP_IN_DELIVERS]	= "IpInDelivers",
	[TTP_MIB_IP_OUT_REQUESTS]	= "IpOutRequests",
	[TTP_MIB_IP_OUT_NO_ROUTES]	= "IpOutNoRoutes",
	[TTP_MIB_IP_OUT_DISCARDS]	= "IpOutDiscards",
	[TTP_MIB_IP_FORW_DATAGRAMS]	= "IpForwDatagrams",
	[TTP_MIB_IP_FORW_DISABLED]	= "IpForwDisabled",
	[TTP_MIB_IP_TTL_EXPIRED]	= "IpTtlExpired",
	[TTP_MIB_IP_FRAG_NEEDED]	= "IpFragNeeded",
	[TTP_MIB_ARP_IN_REQUESTS]	= "ArpInRequests",
	[TTP_MIB_ARP_IN_REPLIES]	= "ArpInReplies",
	[TTP_MIB_ARP_OUT_REQUESTS]	= "ArpOutRequests",
	[TTP_MIB_ARP_OUT_REPLIES]	= "ArpOutReplies",
	[TTP_MIB_ARP_IN_ERRORS]		= "ArpInErrors",
	[TTP_MIB_ARP_IN_GRATUITOUS]	= "ArpInGratuitous",
	[TTP_MIB_ARP_CONFLICTS]		= "ArpConflicts",
	[TTP_MIB_ARP_RESOLVE_FAILED]	= "ArpResolveFailed",
	[TTP_MIB_ARP_QUEUE_DROPS]	= "ArpQueueDrops",
	[TTP_MIB_ARP_CACHE_FULL]	= "ArpCacheFull",
	[TTP_MIB_ARP_GC_EVICTED]	= "ArpGcEvicted",
	[TTP_MIB_CTL_IN_MSGS]		= "CtlInMsgs",
	[TTP_MIB_CTL_IN_ERRORS]		= "CtlInErrors",
	[TTP_MIB_CTL_IN_DEST_UNREACHS]	= "CtlInDestUnreachs",
	[TTP_MIB_CTL_IN_TIME_EXCDS]	= "CtlInTimeExcds",
	[TTP_MIB_CTL_IN_ECHOS]		= "CtlInEchos",
	[TTP_MIB_CTL_IN_ECHO_REPS]	= "CtlInEchoReps",
	[TTP_MIB_CTL_OUT_MSGS]		= "CtlOutMsgs",
	[TTP_MIB_CTL_OUT_DEST_UNREACHS]	= "CtlOutDestUnreachs",
	[TTP_MIB_CTL_OUT_TIME_EXCDS]	= "CtlOutTimeExcds",
	[TTP_MIB_CTL_OUT_ECHO_REPS]	= "CtlOutEchoReps",
	[TTP_MIB_CTL_OUT_ECHOS]		= "CtlOutEchos",
	[TTP_MIB_CTL_RCVBUF_ERRORS]	= "CtlRcvbufErrors",
	[TTP_MIB_DGRAM_IN_DATAGRAMS]	= "DgramInDatagrams",
	[TTP_MIB_DGRAM_NO_PORTS]	= "DgramNoPorts",
	[TTP_MIB_DGRAM_IN_ERRORS]	= "DgramInErrors",
	[TTP_MIB_DGRAM_IN_CSUM_ERRORS]	= "DgramInCsumErrors",
	[TTP_MIB_DGRAM_RCVBUF_ERRORS]	= "DgramRcvbufErrors",
	[TTP_MIB_DGRAM_OUT_DATAGRAMS]	= "DgramOutDatagrams",
	[TTP_MIB_DGRAM_SNDBUF_ERRORS]	= "DgramSndbufErrors",
	[TTP_MIB_STREAM_ACTIVE_OPENS]	= "StreamActiveOpens",
	[TTP_MIB_STREAM_PASSIVE_OPENS]	= "StreamPassiveOpens",
	[TTP_MIB_STREAM_ATTEMPT_FAILS]	= "StreamAttemptFails",
	[TTP_MIB_STREAM_ESTAB_RESETS]	= "StreamEstabResets",
	[TTP_MIB_STREAM_CURR_ESTAB]	= "StreamCurrEstab",
	[TTP_MIB_STREAM_IN_SEGS]	= "StreamInSegs",
	[TTP_MIB_STREAM_OUT_SEGS]	= "StreamOutSegs",
	[TTP_MIB_STREAM_IN_ERRS]	= "StreamInErrs",
	[TTP_MIB_STREAM_OUT_RSTS]	= "StreamOutRsts",
	[TTP_MIB_STREAM_IN_CSUM_ERRORS]	= "StreamInCsumErrors",
	[TTP_MIB_STREAM_LISTEN_OVERFLOWS] = "StreamListenOverflows",
	[TTP_MIB_STREAM_LISTEN_DROPS]	= "StreamListenDrops",
	[TTP_MIB_STREAM_CHALLENGE_ACKS]	= "StreamChallengeACKs",
	[TTP_MIB_STREAM_ACKS_SKIPPED]	= "StreamACKsSkipped",
	[TTP_MIB_TIMEWAIT_ENTERED]	= "TimeWaitEntered",
	[TTP_MIB_TIMEWAIT_EXPIRED]	= "TimeWaitExpired",
	[TTP_MIB_TIMEWAIT_FIN_ACKED]	= "TimeWaitFinAcked",
	[TTP_MIB_TIMEWAIT_OVERFLOW]	= "TimeWaitOverflow",
	[TTP_MIB_TIMEWAIT_REUSED]	= "TimeWaitReused",
	[TTP_MIB_TIMEWAIT_RST_IGNORED]	= "TimeWaitRstIgnored",
	[TTP_MIB_STREAM_KEEPALIVE_PROBES] = "StreamKeepAliveProbes",
	[TTP_MIB_STREAM_KEEPALIVE_TIMEOUTS] = "StreamKeepAliveTimeouts",
	[TTP_MIB_STREAM_SYNQ_EVICTIONS]	= "StreamSynQueueEvictions",
	[TTP_MIB_STREAM_RETRANS_SEGS]	= "StreamRetransSegs",
	[TTP_MIB_STREAM_FAST_RETRANS]	= "StreamFastRetrans",
	[TTP_MIB_STREAM_TIMEOUTS]	= "StreamTimeouts",
	[TTP_MIB_STREAM_SPURIOUS_RTOS]	= "StreamSpuriousRTOs",
	[TTP_MIB_STREAM_OFO_QUEUE]	= "StreamOFOQueue",
	[TTP_MIB_STREAM_OFO_DROP]	= "StreamOFODrop",
	[TTP_MIB_STREAM_WIN_PROBE]	= "StreamWinProbe",
	[TTP_MIB_STREAM_TO_ZERO_WINDOW_ADV] = "StreamToZeroWindowAdv",
	[TTP_MIB_STREAM_FROM_ZERO_WINDOW_ADV] = "StreamFromZeroWindowAdv",
	[TTP_MIB_STREAM_DELAYED_ACKS]	= "StreamDelayedACKs",
	[TTP_MIB_STREAM_RCVQ_DROP]	= "StreamRcvQDrop",
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
	/* A gauge: bytes in all stream buffers (stream_mem_max_kb bounds) */
	seq_printf(seq, "StreamMemory %ld\n", atomic_long_read(&tn->stream_mem));
	return 0;
}
