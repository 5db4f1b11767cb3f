#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_l2l3.sh: scripts/lab-l2l3 shows what it says it shows: every piece
# of evidence it prints is what Documentation/labs/l2l3.md tells the
# students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load
# The TTL TTP hosts start with (the lab does not change it).
ns_add ttp_lab_l2l3-x
TTL=$(ip netns exec ttp_lab_l2l3-x cat /proc/sys/net/ttp/default_ttl)

A=02:00:00:00:00:01 B=02:00:00:00:00:02 R0=02:00:00:00:00:fe
R1=02:00:00:00:01:01 C=02:00:00:00:01:02
# KEY|WANT|WHAT: the evidence the lab must print.
L2L3_WANT=(
	"fdb.before|none|step 1: the switch has learnt no MAC yet"
	"routeget.b|10.0.0.2 dev eth0|step 2: B is on-link (no via)"
	"routeget.c|10.0.1.2 via 10.0.0.254 dev eth0|step 2: C is via the gateway R"
	"b.got|from 10.0.0.1|step 3: B received A's datagram"
	"arp.a.b|10.0.0.2|step 3: A's cache: B"
	"c.got|from 10.0.0.1|step 4: C received A's datagram, A's address as the source"
	"arp.a|10.0.0.2,10.0.0.254|step 4: A's cache: B and R, not C"
	"arp.r.c|$C eth1|step 4: R resolved C on eth1"
	"r.ip|received=1 forwarded=1|step 4: R: IpInReceives, IpForwDatagrams +1"
	"s.ip|frames=0 received=0 forwarded=0|step 4: TTP in the switch saw nothing"
	"b.offlink|arp=1 ttp=0|step 4: B heard the ARP broadcast for R, not the datagram"
	"capture.pa.asked|0a000002 0a0000fe|step 5: A asked for B and for R, never for C"
	"capture.pa.to_b|$A $B 10.0.0.1 10.0.0.2 $TTL|step 5: A's port: A -> B, TTL $TTL"
	"capture.pa.to_c|$A $R0 10.0.0.1 10.0.1.2 $TTL|step 5: A's port: to R's MAC, C's IP, TTL $TTL"
	"capture.pb.to_b|$A $B 10.0.0.1 10.0.0.2 $TTL|step 5: B's port: the same frame, unchanged"
	"capture.pb.asked|0a000002 0a0000fe|step 5: B's port: both broadcasts"
	"capture.c.asked|0a000102|step 5: C's cable: R asked for C"
	"capture.c.to_c|$R1 $C 10.0.0.1 10.0.1.2 $((TTL - 1))|step 5: C's cable: new MACs, TTL $((TTL - 1))"
	"fdb.after|$A pa,$B pb,$R0 pr|step 6: the switch learnt A, B, R on their ports, not C"
	"arp.s|none|step 6: TTP in the switch resolved nothing"
)

plan $((LAB_CHECKS + 1 + ${#L2L3_WANT[@]}))

run_lab lab-l2l3
check_lab lab-l2l3 "${L2L3_WANT[@]}"
check_eq "lab-l2l3: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^l23-(a|b|c|r|sw)( |$)')"
