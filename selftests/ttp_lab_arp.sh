#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_arp.sh: scripts/lab-arp shows what it says it shows: every piece
# of evidence it prints is what Documentation/labs/arp.md tells the
# students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
ARP_WANT=(
	"arp.a.before|none|step 2: A's cache is empty"
	"arp.a.sent|INCOMPLETE queue=1 probes=1|step 4: just after the send: INCOMPLETE, the datagram queued, 1 probe"
	"arp.a.resolved|REACHABLE 02:00:00:00:00:0b queue=0|step 4: then REACHABLE at B's MAC, queue empty"
	"b.got|~^from 10\.0\.0\.1:[0-9]+ len 5: hello$|step 4: B received A's datagram"
	"arp.b|STALE 02:00:00:00:00:0a|step 4: B learnt A from the request (STALE)"
	"arp.c|none|step 4: C learnt nothing"
	"capture.c.frames|1|step 5: C's tcpdump saw one frame"
	"capture.c.first|02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff|step 5: ... A's broadcast"
	"capture.a.1|02:00:00:00:00:0a ff:ff:ff:ff:ff:ff ARP Who has 0a000002? Tell 0a000001|step 5: tshark: A's broadcast request"
	"capture.a.2|02:00:00:00:00:0b 02:00:00:00:00:0a ARP 0a000002 is at 02:00:00:00:00:0b|step 5: tshark: B's unicast reply"
	"capture.a.3|~^02:00:00:00:00:0a 02:00:00:00:00:0b UDP [0-9]+ → 7777 Len=5$|step 5: tshark: the datagram, A's MAC to B's"
	"c.nf|arp=1 ttp=0|step 5: C's counters: one TTP ARP frame, no TTP frame"
	"arp.a.aged|STALE 02:00:00:00:00:0b|step 6: after arp_reachable_ms: STALE, MAC kept"
	"trace.10.0.0.2|NONE>INCOMPLETE,INCOMPLETE>REACHABLE,REACHABLE>STALE|step 6: the tracepoint: A's entry for B"
	"trace.10.0.0.1|NONE>STALE|step 6: the tracepoint: B's entry for A"
	"ttpcat.missing|rc=1 EHOSTUNREACH|step 7: 10.0.0.9: ttpcat fails with EHOSTUNREACH"
	"arp.a.missing|FAILED probes=3|step 7: FAILED after 3 probes"
	"trace.10.0.0.9|NONE>INCOMPLETE,INCOMPLETE>FAILED|step 7: the tracepoint: INCOMPLETE -> FAILED"
	"arp.a.static|PERMANENT 02:00:00:00:00:0c|step 8: the static entry is PERMANENT"
	"c.got|~^from 10\.0\.0\.1:[0-9]+ len 6: static$|step 8: C received through the static entry"
	"static.arp|requests=0 c_arp_frames=0|step 8: ... with no ARP request"
	"arp.c.after|none|step 8: C still knows nobody"
	"trace.10.0.0.3|NONE>PERMANENT|step 8: the tracepoint: NONE -> PERMANENT"
	"counters.ArpOutRequests|4 0 0|step 9: ArpOutRequests (A B C)"
	"counters.ArpInRequests|0 4 4|step 9: ArpInRequests (A B C)"
	"counters.ArpOutReplies|0 1 0|step 9: ArpOutReplies (A B C)"
	"counters.ArpInReplies|1 0 0|step 9: ArpInReplies (A B C)"
	"counters.ArpResolveFailed|1 0 0|step 9: ArpResolveFailed (A B C)"
	"neigh.a|empty|step 10: ip neigh is empty"
)

plan $((LAB_CHECKS + 2 + ${#ARP_WANT[@]}))

run_lab lab-arp
check_lab lab-arp "${ARP_WANT[@]}"
check_eq "lab-arp: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^arp-(a|b|c|sw)( |$)')"
check "lab-arp: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-arp
