#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_demo.sh: `make demo` (scripts/demo) tells one connection's life as
# it says (the ARP counters allow the re-checks that ARP's timers may add
# on a slow machine): ARP before the handshake, each side's states in the live feed
# from the tracepoints, B's window closing to zero and reopening, the
# data intact, the 4-way close on both sides, A's TIME_WAIT entry (and
# none on B) counting down to nothing, and the counters it prints (see
# lab.sh: every EVIDENCE line the demo prints is checked).
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the demo must print.
DEMO_WANT=(
	"arp.a|NONE>INCOMPLETE,INCOMPLETE>REACHABLE|step 3: A's ARP entry for B: INCOMPLETE, then REACHABLE"
	"handshake.a|CLOSED>SYN_SENT,SYN_SENT>ESTABLISHED|step 3: A: SYN_SENT, ESTABLISHED"
	"handshake.b|CLOSED>LISTEN,LISTEN>SYN_RECEIVED,SYN_RECEIVED>ESTABLISHED|step 3: B: LISTEN, SYN_RECEIVED, ESTABLISHED"
	"window.zero|seen|step 4: B's window fell to 0 while its reader was paused"
	"window.reopened|yes|step 4: ... and reopened when it read"
	"recvq.at.zero|~^[1-9][0-9]*$|step 4: B held unread bytes when the window was 0"
	"data|20000 same|step 5: B received the 20000 bytes intact"
	"close.a|CLOSED>SYN_SENT,SYN_SENT>ESTABLISHED,ESTABLISHED>FIN_WAIT_1,FIN_WAIT_1>FIN_WAIT_2,FIN_WAIT_2>TIME_WAIT|step 5: A: FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT"
	"close.b|~^CLOSED>LISTEN,LISTEN>SYN_RECEIVED,SYN_RECEIVED>ESTABLISHED,(LISTEN>CLOSED,)?ESTABLISHED>CLOSE_WAIT,CLOSE_WAIT>LAST_ACK,LAST_ACK>CLOSED$|step 5: B: CLOSE_WAIT, LAST_ACK, CLOSED"
	"tw.a|present|step 6: A has a TIME_WAIT entry"
	"tw.b|0|step 6: B has none"
	"tw.end|CLOSED>SYN_SENT,SYN_SENT>ESTABLISHED,ESTABLISHED>FIN_WAIT_1,FIN_WAIT_1>FIN_WAIT_2,FIN_WAIT_2>TIME_WAIT,TIME_WAIT>CLOSED|step 6: A's entry ended (TIME_WAIT -> CLOSED)"
	"counters.ArpOutRequests|~^[1-9][0-9]* [0-9]+$|step 7: ArpOutRequests: A asked"
	"counters.ArpInRequests|~^[0-9]+ [1-9][0-9]*$|step 7: ArpInRequests: B heard it"
	"counters.ArpOutReplies|~^[0-9]+ [1-9][0-9]*$|step 7: ArpOutReplies: B answered"
	"counters.ArpInReplies|~^[1-9][0-9]* [0-9]+$|step 7: ArpInReplies: A got the answer"
	"counters.StreamActiveOpens|1 0|step 7: StreamActiveOpens (A B)"
	"counters.StreamPassiveOpens|0 1|step 7: StreamPassiveOpens (A B)"
	"counters.StreamOutSegs|~^[1-9][0-9]* [1-9][0-9]*$|step 7: StreamOutSegs (A B)"
	"counters.StreamInSegs|~^[1-9][0-9]* [1-9][0-9]*$|step 7: StreamInSegs (A B)"
	"counters.StreamToZeroWindowAdv|~^0 [1-9][0-9]*$|step 7: StreamToZeroWindowAdv: B only"
	"counters.StreamFromZeroWindowAdv|~^0 [1-9][0-9]*$|step 7: StreamFromZeroWindowAdv: B only"
	"counters.StreamWinProbe|~^[1-9][0-9]* 0$|step 7: StreamWinProbe: A only"
	"counters.TimeWaitEntered|1 0|step 7: TimeWaitEntered (A B)"
	"counters.TimeWaitExpired|1 0|step 7: TimeWaitExpired (A B)"
)

plan $((LAB_CHECKS + 2 + ${#DEMO_WANT[@]}))

run_lab demo
check_lab demo "${DEMO_WANT[@]}"
check_eq "demo: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^demo-(a|b)( |$)')"
check "demo: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-demo
