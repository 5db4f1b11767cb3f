#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_ping.sh: scripts/lab-ping shows what it says it shows: every piece
# of evidence it prints is what Documentation/labs/ping.md tells the
# students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
PING_WANT=(
	"route.a|default via 10.0.1.1 dev eth0|step 1: A's default route via R1"
	"socket.ctl|~^ctl 0\.0\.0\.0 0\.0\.0\.0:0 UNCONN$|step 2: a ctl line in A's socket table while ttpping runs"
	"ping.replies|3|step 2: three replies from B"
	"ping.ttls|ttl=62 ttl=62 ttl=62|step 2: each with TTL 64 - 2 routers"
	"ping.summary|3 transmitted, 3 received, 0 errors, 0% packet loss|step 2: the summary"
	"counters.a|out_echos=3 in_echo_reps=3|step 2: A: CtlOutEchos, CtlInEchoReps +3"
	"counters.b|in_echos=3 out_echo_reps=3|step 2: B: CtlInEchos, CtlOutEchoReps +3"
	"r1.forwarded|6|step 2: R1 forwarded 3 requests and 3 replies"
	"capture.request|10.0.1.2 10.0.2.2 ttl=64 type=8 code=0|step 2: tshark: the echo request, TTL 64"
	"capture.reply|10.0.2.2 10.0.1.2 ttl=62 type=0 code=0|step 2: tshark: the echo reply, TTL 62"
	"capture.ident|yes|step 2: request and reply carry the socket's identifier"
	"ttl1|rc=1 from 10.0.1.1: seq=1 time exceeded|step 3: TTL 1: time exceeded from R1"
	"ttl2|rc=1 from 10.0.12.2: seq=1 time exceeded|step 3: TTL 2: time exceeded from R2"
	"ttl.routers|r1=1 r2=1 a=2|step 3: one time exceeded from each router, both reached A"
	"trace.rc|rc=0|step 4: traceroute reached B"
	"trace.hops|1 10.0.1.1, 2 10.0.12.2, 3 10.0.2.2|step 4: the hops: R1, R2, B"
	"capture.trace.out|ttl=1 2 3|step 4: tshark: the probes' TTLs"
	"capture.trace.back|10.0.1.1 type=11 ttl=64, 10.0.12.2 type=11 ttl=63, 10.0.2.2 type=0 ttl=62|step 4: tshark: who answered, with which TTL"
	"unreach|rc=1 from 10.0.1.1: seq=1 destination unreachable (network)|step 5: R1 has no route"
	"unreach.counters|r1=1 a=1|step 5: CtlOutDestUnreachs at R1, CtlInDestUnreachs at A"
)

plan $((LAB_CHECKS + 1 + ${#PING_WANT[@]}))

run_lab lab-ping
check_lab lab-ping "${PING_WANT[@]}"
check_eq "lab-ping: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^pg-(a|r1|r2|b)( |$)')"
