#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_pdu.sh: scripts/lab-pdu shows what it says it shows: every piece
# of evidence it prints is what Documentation/labs/pdu.md tells the
# students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
PDU_WANT=(
	"message.stream|hello, layers|step 3: B's stream server read the message"
	"message.dgram|~^from 10\.0\.0\.1:[0-9]+ len 13: hello, layers$|step 3: B's datagram server read it"
	"bytes.4243|3000 0|step 3: 3000 bytes arrived whole (MTU 1500)"
	"bytes.4244|3000 0|step 3: 3000 bytes arrived whole (MTU 1000)"
	"arp.frame|len=42 type=0x0806 proto=0x88b5|step 4: the ARP frame: 42 bytes, EtherType 0x0806, for TTP addresses"
	"stream.packet|hl=20 len=53 ttl=64 proto=6 10.0.0.1>10.0.0.2|step 5: the packet header read from the bytes"
	"stream.segment|~^hl=20 ports=[0-9]+>4242 flags=0x18$|step 5: the segment header read from the bytes (PSH,ACK)"
	"stream.message|hello, layers|step 5: the message after the headers"
	"stream.sum|14+20+20+13=67|step 5: the headers and the message add up to the frame"
	"stream.tshark|ip.hdr_len=20 ip.len=53 tcp.hdr_len=20 tcp.len=13 flags=PSH,ACK|step 5: tshark reads the same"
	"dgram.packet|hl=20 len=41 ttl=64 proto=17 10.0.0.1>10.0.0.2|step 6: the datagram's packet header"
	"dgram.header|~^ports=[0-9]+>8765 length=21$|step 6: the 8-byte datagram header, length 8 + 13"
	"dgram.sum|14+20+8+13=55|step 6: the datagram frame adds up"
	"mss.4243|1460|step 7: A's SYN announces MSS 1460 (MTU 1500)"
	"mss.4244|960|step 7: ... and 960 with MTU 1000"
	"split.4243|1460+1460+80|step 7: 3000 bytes in segments of at most 1460"
	"split.4244|960+960+960+120|step 7: ... of at most 960 with MTU 1000"
	"frames.4243|1514,1514,134|step 7: full frames are 1514 bytes"
	"counters.frames|arp = the capture, ttp = the capture|step 8: B's frame counters match the capture"
	"counters.packets|in = the capture, delivered = the capture|step 8: every TTP frame a packet, every packet delivered"
	"counters.transport|segments = the capture, datagrams = the capture|step 8: segments and datagrams counted as captured"
)

plan $((LAB_CHECKS + 1 + ${#PDU_WANT[@]}))

run_lab lab-pdu
check_lab lab-pdu "${PDU_WANT[@]}"
check_eq "lab-pdu: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^pdu-(a|b)( |$)')"
