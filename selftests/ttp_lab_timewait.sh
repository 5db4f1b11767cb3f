#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_timewait.sh: scripts/lab-timewait shows what it says it shows:
# every piece of evidence it prints is what Documentation/labs/timewait.md
# tells the students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# The four last frames of a close whose last ACK is lost: B's FIN, A's
# ACK (dropped in B), B's FIN again, then A's answer (flags in hex).
CLOSE="10.0.0.2>10.0.0.1 0x0011,10.0.0.1>10.0.0.2 0x0010,10.0.0.2>10.0.0.1 0x0011"
OPEN_A="CLOSED>SYN_SENT,SYN_SENT>ESTABLISHED,ESTABLISHED>FIN_WAIT_1,FIN_WAIT_1>FIN_WAIT_2,FIN_WAIT_2>TIME_WAIT"
OPEN_B="~^(.*,)?ESTABLISHED>CLOSE_WAIT,CLOSE_WAIT>LAST_ACK,LAST_ACK>CLOSED$"

# KEY|WANT|WHAT: the evidence the lab must print.
TW_WANT=(
	"state.a|FIN_WAIT_2|step 3: A closed first: FIN_WAIT_2"
	"state.b|CLOSE_WAIT|step 3: B read A's FIN: CLOSE_WAIT"
	"server.1|0 (EOF, a clean close)|step 4: B's application sees a clean close"
	"drop.1|1|step 4: B's nft rule dropped one ACK"
	"counters.1|b_retrans=1 a_finacked=1 a_rsts=0|step 4: B sent its FIN again, A's entry acknowledged it, no RST"
	"trace.a.1|$OPEN_A|step 4: the tracepoint: A's connection ends in TIME_WAIT"
	"trace.b.1|$OPEN_B|step 4: the tracepoint: B's ends LAST_ACK -> CLOSED"
	"trace.rtx.1|1|step 4: the tracepoint: one retransmission by B"
	"tw.entry|10.0.0.1:40000>10.0.0.2:5000|step 5: A's TIME_WAIT entry"
	"tw.countdown|down|step 5: ExpiresMs counts down"
	"reuse.tw|rc=1 EADDRINUSE|step 5: the entry holds the port"
	"replay.1|rc=0|step 6: the old segment was sent again"
	"capture.close.1|$CLOSE,10.0.0.1>10.0.0.2 0x0010|step 6: the capture: FIN, ACK, FIN again, ACK again"
	"capture.dup.tw|10.0.0.2>10.0.0.1 0x0018,10.0.0.1>10.0.0.2 0x0010,10.0.0.2>10.0.0.1 0x0004|step 6: the capture: the old data, the entry's ACK, B's RST"
	"counters.dup.tw|a_rst_ignored=1 b_rsts=1|step 6: B's RST ignored by the entry (RFC 1337)"
	"tw.after.dup|10.0.0.1:40000>10.0.0.2:5000|step 6: the entry is still there"
	"server.2|Connection reset by peer (ECONNRESET)|step 7: TIME_WAIT 0: B's application sees ECONNRESET"
	"drop.2|1|step 7: the rule dropped one ACK again"
	"counters.2|a_entered=1 a_expired=1 a_finacked=0 a_rsts=1 b_retrans=1|step 7: A's entry expired at once, A answered the FIN with an RST"
	"trace.a.2|$OPEN_A,TIME_WAIT>CLOSED|step 7: the tracepoint: A's TIME_WAIT ends at once"
	"trace.b.2|$OPEN_B|step 7: the tracepoint: B's LAST_ACK -> CLOSED (by the RST)"
	"a3.before|B's line, connection 3|step 8: a new connection on the same 4-tuple"
	"replay.2|rc=0|step 8: the old segment was sent again"
	"capture.close.2|$CLOSE,10.0.0.1>10.0.0.2 0x0004|step 8: the capture: connection 2: FIN, ACK, FIN again, RST"
	"capture.dup.new|10.0.0.2>10.0.0.1 0x0018,10.0.0.1>10.0.0.2 0x0010|step 8: the capture: the old data, the new connection's ACK"
	"dup.new.gap|outside|step 8: the old segment is far outside the new window"
	"a3.after|B's line, connection 3|step 8: the old bytes were not taken"
)

plan $((LAB_CHECKS + 2 + ${#TW_WANT[@]}))

run_lab lab-timewait
check_lab lab-timewait "${TW_WANT[@]}"
check_eq "lab-timewait: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^tw-(a|b)( |$)')"
check "lab-timewait: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-timewait
