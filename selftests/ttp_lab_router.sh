#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_router.sh: scripts/lab-router shows what it says it shows: every piece
# of evidence it prints is what Documentation/labs/router.md tells the
# students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load
# The TTL TTP hosts start with (the lab does not change it before step 5).
ns_add ttp_lab_router-x
TTL=$(ip netns exec ttp_lab_router-x cat /proc/sys/net/ttp/default_ttl)

# KEY|WANT|WHAT: the evidence the lab must print.
ROUTER_WANT=(
	"route.a|default via 10.0.1.1 dev eth0|step 1: A's default route via R"
	"routeget.a|10.0.2.2 via 10.0.1.1 dev eth0|step 2: next hop for B is R"
	"ttpcat.a|rc=0|step 3: A's datagram and B's echo made it"
	"b.got|from 10.0.1.2|step 3: B saw A's address as the source"
	"r.forwarded|2|step 3: R: IpForwDatagrams +2"
	"arp.a|10.0.1.1 02:00:00:00:01:01 REACHABLE|step 4: A's cache: only R, at R's MAC"
	"arp.r.b|02:00:00:00:02:02 eth1|step 4: R resolved B on eth1"
	"capture.a.arp|ff:ff:ff:ff:ff:ff Who has 0a000101? Tell 0a000102|step 5: A's broadcast asks for R"
	"capture.a.out|02:00:00:00:01:02 02:00:00:00:01:01 10.0.1.2 10.0.2.2 $TTL|step 5: A's cable: to R's MAC, B's IP, TTL $TTL"
	"capture.a.back|02:00:00:00:01:01 02:00:00:00:01:02 10.0.2.2 10.0.1.2 $((TTL - 1))|step 5: A's cable: the echo, TTL $((TTL - 1))"
	"capture.b.arp|02:00:00:00:02:01 Who has 0a000202? Tell 0a000201|step 5: R asks for B from eth1"
	"capture.b.in|02:00:00:00:02:01 02:00:00:00:02:02 10.0.1.2 10.0.2.2 $((TTL - 1))|step 5: B's cable: R's eth1 MAC to B, TTL $((TTL - 1))"
	"capture.b.out|02:00:00:00:02:02 02:00:00:00:02:01 10.0.2.2 10.0.1.2 $TTL|step 5: B's cable: the echo, TTL $TTL"
	"ttpcat.ttl1|rc=1 EHOSTUNREACH|step 6: TTL 1: EHOSTUNREACH for A"
	"ttl1.r|expired=1 sent=1 forwarded=0|step 6: R: IpTtlExpired, CtlOutTimeExcds +1, nothing forwarded"
	"ttl1.a|received=1|step 6: A: CtlInTimeExcds +1"
	"ttl1.b|frames=0|step 6: nothing reached B"
	"capture.ttl.out|10.0.1.2 10.0.2.2 ttl=1|step 6: tshark: A's packet with TTL 1"
	"capture.ttl.back|10.0.1.1 10.0.1.2 proto=1 type=11 code=0|step 6: tshark: R's time exceeded"
	"ttpcat.off|rc=1 EAGAIN|step 7: forwarding off: A hears nothing"
	"off.r|disabled=1 addr_errors=1 forwarded=0|step 7: R: IpForwDisabled, IpInAddrErrors +1"
	"off.ab|a_ctl=0 b_frames=0|step 7: no control message for A, nothing at B"
)

plan $((LAB_CHECKS + 1 + ${#ROUTER_WANT[@]}))

run_lab lab-router
check_lab lab-router "${ROUTER_WANT[@]}"
check_eq "lab-router: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^rt-(a|r|b)( |$)')"
