#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_retrans.sh: scripts/lab-retrans shows what it says it shows:
# every piece of evidence it prints is what Documentation/labs/retrans.md
# tells the students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
RETRANS_WANT=(
	"fast.trace|len=1460 n=1 ca=recovery|step 3: ttp_retransmit: one segment, once, in fast recovery"
	"fast.a|retrans=1 fast=1 timeouts=0|step 3: A: StreamRetransSegs +1, StreamFastRetrans +1, no timeout"
	"fast.b|ofo=3+|step 3: B queued 3 or more segments out of order"
	"rto.before|Rto=200 Retrans=0|step 4: the RTO before the loss: 200 ms"
	"rto.trace|len=1460 n=1 ca=loss,len=1460 n=2 ca=loss|step 4: ttp_retransmit: the lone segment, after two timeouts"
	"rto.a|retrans=2 fast=0 timeouts=2|step 4: A: StreamRetransSegs +2, StreamTimeouts +2"
	"rto.after|Rto=800 Retrans=0|step 4: the RTO doubled twice; the timeouts in a row back to 0"
	"nft.dropped|1 2|step 5: the LOST rule dropped one packet, the GONE rule two"
	"capture.dupacks|3+|step 5: tshark: 3 or more duplicate ACKs before the fast retransmission"
	"capture.fast|10.0.0.1 len=1460 [TCP Fast Retransmission]|step 5: tshark: the fast retransmission"
	"capture.rto|10.0.0.1 len=1460 [TCP Retransmission] after 0.2s,0.6s|step 5: tshark: the retransmissions 0.2 s and 0.6 s after the first copy"
	"sha256.1|same|step 5: B got bulk and gone intact"
	"ttpcat.big|rc=0|step 6: the transfer over a lossy cable completes"
	"sha256.2|same|step 6: ... intact"
	"big.a|retrans=yes|step 6: ... with retransmissions"
)

plan $((LAB_CHECKS + 2 + ${#RETRANS_WANT[@]}))

run_lab lab-retrans
check_lab lab-retrans "${RETRANS_WANT[@]}"
check_eq "lab-retrans: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^rtx-(a|b)( |$)')"
check "lab-retrans: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-retrans
