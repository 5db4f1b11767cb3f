#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_synretry.sh: scripts/lab-synretry shows what it says it shows:
# every piece of evidence it prints is what Documentation/labs/synretry.md
# tells the students (see lab.sh), nft's counter equals the SYN-ACKs B
# sent, and the lab leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
SYNRETRY_WANT=(
	"nft.before|0|step 2: the rule's counter starts at 0"
	"sockets.a|SYN_SENT retrans=2 rto=4x timer=rtx|step 4: A in SYN_SENT, 2 resends, the RTO doubled twice"
	"sockets.b|LISTEN SYN_RECEIVED|step 4: B: the listener and a half-open child"
	"ttpcat.a|ETIMEDOUT|step 5: connect() fails with ETIMEDOUT"
	"sockets.b.after|LISTEN child=none|step 5: B deleted its half-open child"
	"capture.syns|syns=4 same_isn=yes|step 6: 4 SYNs with one ISN, SYN-ACKs acking ISN + 1"
	"capture.gaps|~^0\.[345] 0\.[789] 1\.[567]$|step 6: the gaps double: 0.4, 0.8, 1.6 s"
	"capture.synacks|~^[3-9]$|step 6: SYN-ACKs reached A's cable"
	"trace.retransmit.a|n=1,2,3|step 6: ttp_retransmit: A's SYN sent again 3 times, seq ISN, len 0"
	"trace.retransmit.b|~^[2-8]$|step 6: ttp_retransmit: B's SYN-ACKs sent again"
	"nft.dropped|~^[3-9]$|step 7: nft dropped the SYN-ACKs"
	"counters.StreamActiveOpens|1 0|step 7: StreamActiveOpens (A B)"
	"counters.StreamPassiveOpens|0 1|step 7: StreamPassiveOpens (A B)"
	"counters.StreamRetransSegs|~^3 [2-8]$|step 7: StreamRetransSegs (A B)"
	"counters.StreamOutSegs|~^4 [3-9]$|step 7: StreamOutSegs (A B)"
	"counters.StreamAttemptFails|1 1|step 7: StreamAttemptFails (A B)"
	"trace.a|CLOSED>SYN_SENT,SYN_SENT>CLOSED|step 7: A: SYN_SENT -> CLOSED"
	"trace.b.child|LISTEN>SYN_RECEIVED,SYN_RECEIVED>CLOSED|step 7: B's child: SYN_RECEIVED -> CLOSED"
	"ttpcat.again|rc=0 ttpcat: connected|step 8: without the rule the connect succeeds"
	"b.got|1|step 8: B received hello"
)

plan $((LAB_CHECKS + 5 + ${#SYNRETRY_WANT[@]}))

run_lab lab-synretry
check_lab lab-synretry "${SYNRETRY_WANT[@]}"
b_out=$(ev lab-synretry counters.StreamOutSegs)
b_rtx=$(ev lab-synretry counters.StreamRetransSegs)
check_eq "lab-synretry: nft dropped every SYN-ACK B sent" \
	"${b_out#* }" "$(ev lab-synretry nft.dropped)"
check_eq "lab-synretry: A's capture saw every SYN-ACK B sent" \
	"${b_out#* }" "$(ev lab-synretry capture.synacks)"
check_eq "lab-synretry: one ttp_retransmit line per B's StreamRetransSegs" \
	"${b_rtx#* }" "$(ev lab-synretry trace.retransmit.b)"
check_eq "lab-synretry: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^sr-(a|b)( |$)')"
check "lab-synretry: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-synretry
