#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_cwnd.sh: scripts/lab-cwnd shows what it says it shows: every
# piece of evidence it prints is what Documentation/labs/cwnd.md tells the
# students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
CWND_WANT=(
	"cwnd.iw|ESTABLISHED 14600|step 4: before any data, cwnd is the initial window, 10 x 1460"
	"b.bytes|1500000|step 5: B received all 1.5 MB"
	"a.loss|fast=1 timeouts=0 retrans=1|step 5: one fast retransmit, no timeout, one segment resent"
	"b.nft|packets 1|step 5: B's rule dropped exactly one frame"
	"b.drops|rcvq=0 ofo=0|step 5: B's stream layer dropped nothing itself"
	"trace.retransmit|len=1460 n=1 ca=recovery|step 5: the trace: one full segment resent once, in fast recovery"
	"chart.marks|*+-^r|step 6: the chart shows slow start, avoidance, ssthresh, the loss, recovery"
	"ss.factor|about 2|step 7: slow start: cwnd x2 per round trip (within 0.2)"
	"loss.kind|fast retransmit|step 7: the loss was found by duplicate ACKs"
	"loss.ssthresh|50% of the flight|step 7: ssthresh = half the bytes in flight"
	"loss.cwnd|ssthresh + 3 MSS|step 7: cwnd in recovery = ssthresh + 3 MSS"
	"ca.growth|about 1 MSS|step 7: avoidance: +1 MSS per round trip (within 0.1)"
	"png|89504e47 960x540|step 8: a 960x540 PNG was written"
)

plan $((LAB_CHECKS + 2 + ${#CWND_WANT[@]}))

run_lab lab-cwnd
check_lab lab-cwnd "${CWND_WANT[@]}"
check_eq "lab-cwnd: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^cw-(a|b)( |$)')"
check "lab-cwnd: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-cwnd
