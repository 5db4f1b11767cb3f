#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_handshake.sh: scripts/lab-handshake shows what it says it shows:
# every piece of evidence it prints is what Documentation/labs/handshake.md
# tells the students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
HANDSHAKE_WANT=(
	"sockets.b.listen|LISTEN|step 2: B's listener on 0.0.0.0:5000"
	"sockets.a.during|SYN_SENT timer=rtx retrans=0|step 3: A in SYN_SENT, its SYN timer running"
	"sockets.b.during|LISTEN SYN_RECEIVED timer=rtx inode=0|step 3: B: the listener and a SYN_RECEIVED child, no file yet"
	"sockets.a.after|ESTABLISHED sndwnd=65535 cwnd=14600|step 4: A ESTABLISHED, the SYN-ACK's unscaled window, 10 segments of cwnd"
	"sockets.b.after|ESTABLISHED sndwnd=524288 listener=none|step 4: B's child ESTABLISHED, A's scaled window, the listener closed"
	"ttpcat.b|ttpcat: accepted 10.0.0.2:5000 10.0.0.1:PORT|step 4: B's ttpcat accepted A's connection"
	"trace.a|CLOSED>SYN_SENT,SYN_SENT>ESTABLISHED|step 5: A's states from the tracepoint"
	"trace.b.child|LISTEN>SYN_RECEIVED,SYN_RECEIVED>ESTABLISHED|step 5: B's child's states"
	"trace.b.listener|CLOSED>LISTEN,LISTEN>CLOSED|step 5: B's listener's states"
	"segment.1|10.0.0.1 SYN seq=ISN_A+0 ack=0|step 6: A's SYN carries ISN_A"
	"segment.2|10.0.0.2 SYN,ACK seq=ISN_B+0 ack=ISN_A+1|step 6: B's SYN-ACK: ISN_B, ack ISN_A + 1"
	"segment.3|10.0.0.1 ACK seq=ISN_A+1 ack=ISN_B+1|step 6: A's ACK: ack ISN_B + 1"
	"options.syn|win=65535 mss=1460 wscale=4|step 6: the SYN's window and options"
	"options.synack|win=65535 mss=1460 wscale=4|step 6: the SYN-ACK's window and options"
	"options.ack|win=32768 mss=-|step 6: the ACK: a scaled window (32768 << 4), no options"
	"counters.StreamActiveOpens|1 0|step 7: StreamActiveOpens (A B)"
	"counters.StreamPassiveOpens|0 1|step 7: StreamPassiveOpens (A B)"
	"counters.StreamOutSegs|2 1|step 7: StreamOutSegs (A B)"
	"counters.StreamInSegs|1 2|step 7: StreamInSegs (A B)"
	"ttpcat.refused|rc=1 ECONNREFUSED|step 8: no listener: ECONNREFUSED"
	"refused.counters|a_fails=1 b_rsts=1|step 8: A: StreamAttemptFails +1, B: StreamOutRsts +1"
)

plan $((LAB_CHECKS + 2 + ${#HANDSHAKE_WANT[@]}))

run_lab lab-handshake
check_lab lab-handshake "${HANDSHAKE_WANT[@]}"
check_eq "lab-handshake: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^hs-(a|b)( |$)')"
check "lab-handshake: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-handshake
