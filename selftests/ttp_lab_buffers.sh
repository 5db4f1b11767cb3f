#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_buffers.sh: scripts/lab-buffers shows what it says it shows:
# every piece of evidence it prints is what Documentation/labs/buffers.md
# tells the students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
BUFFERS_WANT=(
	"knobs|rmem:4096 1048576 6291456;wmem:4096 1048576 4194304;mem_max_kb:262144|step 2: the knobs' defaults"
	"mem.before|a=0 b=0|step 2: StreamMemory 0 in both"
	"b.listen|RcvBuf=65536|step 3: SO_RCVBUF 32768, doubled"
	"writer.eagain|write(): Resource temporarily unavailable (EAGAIN)|step 4: the non-blocking write fails with EAGAIN"
	"writer.info|ttpi_snd_wnd=0 ttpi_sndbuf=65536 ttpi_timer=persist|step 4: TTP_INFO: window 0, 64 KiB send buffer, persist timer"
	"writer.queue|send_queue=SIOCOUTQ notsent=all|step 4: SIOCOUTQ = ttpi_send_queue, all of it unsent"
	"b.full|RcvWnd=0 RecvQ=half-to-all-of-RcvBuf yes|step 5: B: window 0, RecvQ between 32768 and 65536"
	"a.full|SendQ=SIOCOUTQ yes SndBuf=65536 SndWnd=0 Timer=persist|step 5: A: SendQ is SIOCOUTQ, SndBuf 64 KiB, window 0"
	"mem.full|a>SendQ yes a>=SndBuf yes b>RecvQ yes|step 5: StreamMemory: memory, more than the data"
	"writer.blocked|returned|step 6: the blocking write returns once B reads"
	"writer.drained|SIOCOUTQ=0 SIOCOUTQNSD=0 ttpi_send_queue=0|step 6: A's queue drained"
	"b.got|all|step 6: B got every byte written"
	"mem.after|a=0 b=0|step 6: StreamMemory back to 0"
)

plan $((LAB_CHECKS + 1 + ${#BUFFERS_WANT[@]}))

run_lab lab-buffers
check_lab lab-buffers "${BUFFERS_WANT[@]}"
check_eq "lab-buffers: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^buf-(a|b)( |$)')"
