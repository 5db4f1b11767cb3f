#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_window.sh: scripts/lab-window shows what it says it shows: every
# piece of evidence it prints is what Documentation/labs/window.md tells
# the students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
WINDOW_WANT=(
	"b.zero|RecvQ=2920 RcvBuf=5840 RcvWnd=0 Inode=0|step 4: B holds 2920 unread bytes of a 5840-byte buffer, window 0, not accepted"
	"a.zero|FIN_WAIT_1 SendQ=97081 SndWnd=0 Timer=persist|step 4: A: the rest and the FIN queued, window 0, persist timer"
	"counters.zero|to_zero=1 probes=4|step 4: StreamToZeroWindowAdv +1 (B), StreamWinProbe +4 (A)"
	"ttpcat|a=0 b=0|step 5: both ttpcats finish"
	"sha256|same 100000|step 5: B got the 100000 bytes intact"
	"b.reopen|yes|step 5: StreamFromZeroWindowAdv moved"
	"trace.first|ours window 1460 -> 0|step 6: ttp_window: B's window closes"
	"trace.peer|peer window 1460 -> 0|step 6: ttp_window: A sees the zero window"
	"trace.reopen|ours window 0 -> 2920|step 6: ttp_window: B's window update"
	"capture.zero|10.0.0.2 win=0 [TCP ZeroWindow]|step 7: tshark: B's Win=0, [TCP ZeroWindow]"
	"capture.probe|10.0.0.1 seq=2920 ack_of_b=2921 [TCP Keep-Alive]|step 7: tshark: A's probe, one below B's Ack"
	"capture.backoff|probes=4+ first=200ms doubling=yes|step 7: probes after the RTO, each gap twice the one before"
	"capture.update|10.0.0.2 win=2920 [TCP Window Update]|step 7: tshark: B's window update"
)

plan $((LAB_CHECKS + 2 + ${#WINDOW_WANT[@]}))

run_lab lab-window
check_lab lab-window "${WINDOW_WANT[@]}"
check_eq "lab-window: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^win-(a|b)( |$)')"
check "lab-window: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-window
