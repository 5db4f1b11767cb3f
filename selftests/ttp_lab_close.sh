#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_close.sh: scripts/lab-close shows what it says it shows: every
# piece of evidence it prints is what Documentation/labs/close.md tells the
# students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
CLOSE_WANT=(
	"states.open|ESTABLISHED ESTABLISHED|step 2: both ends ESTABLISHED"
	"states.half|FIN_WAIT_2 CLOSE_WAIT|step 3: A's FIN acknowledged: FIN_WAIT_2 and CLOSE_WAIT"
	"a.got|still here|step 4: A received B's line after its own FIN"
	"states.after_data|FIN_WAIT_2 CLOSE_WAIT a_recvq=0|step 4: A read it, still in FIN_WAIT_2"
	"sockets.a.end|none|step 5: A's connection left the sockets table"
	"timewait.a|10.0.0.2:5000 expires_le_2msl=yes|step 5: A, the active closer, has the TIME_WAIT entry"
	"b.end|socket=none timewait=0|step 5: B keeps nothing"
	"capture.close|10.0.0.1 FIN,ACK; 10.0.0.2 ACK; 10.0.0.2 PSH,ACK len=11; 10.0.0.1 ACK; 10.0.0.2 FIN,ACK; 10.0.0.1 ACK|step 6: FIN, ACK, data, ACK, FIN, ACK on the wire"
	"capture.fin.a|seq=1 acked_by=2|step 6: the FIN takes one sequence number"
	"timewait.a.expired|0|step 7: the entry expires after 2MSL"
	"trace.a|CLOSED>SYN_SENT,SYN_SENT>ESTABLISHED,ESTABLISHED>FIN_WAIT_1,FIN_WAIT_1>FIN_WAIT_2,FIN_WAIT_2>TIME_WAIT,TIME_WAIT>CLOSED|step 7: A's states"
	"trace.b|LISTEN>SYN_RECEIVED,SYN_RECEIVED>ESTABLISHED,ESTABLISHED>CLOSE_WAIT,CLOSE_WAIT>LAST_ACK,LAST_ACK>CLOSED|step 7: B's states"
	"simultaneous.timewait|a=1 b=1|step 8: simultaneous close: both sides in TIME_WAIT"
	"simultaneous.a|ESTABLISHED>FIN_WAIT_1,FIN_WAIT_1>CLOSING,CLOSING>TIME_WAIT|step 8: A: FIN_WAIT_1 -> CLOSING -> TIME_WAIT"
	"simultaneous.b|ESTABLISHED>FIN_WAIT_1,FIN_WAIT_1>CLOSING,CLOSING>TIME_WAIT|step 8: B: FIN_WAIT_1 -> CLOSING -> TIME_WAIT"
)

plan $((LAB_CHECKS + 2 + ${#CLOSE_WANT[@]}))

run_lab lab-close
check_lab lab-close "${CLOSE_WANT[@]}"
check_eq "lab-close: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^cl-(a|b)( |$)')"
check "lab-close: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-close
