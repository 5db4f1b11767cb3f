#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_lab_ports.sh: scripts/lab-ports shows what it says it shows: every
# piece of evidence it prints is what Documentation/labs/ports.md tells
# the students (see lab.sh), and it leaves nothing behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lab.sh
. "$(dirname "$0")/lab.sh"

ttp_load

# KEY|WANT|WHAT: the evidence the lab must print.
PORTS_WANT=(
	"sockets.b.listen|dgram 0.0.0.0:5000 UNCONN,strm 0.0.0.0:5000 LISTEN,strm 0.0.0.0:6000 LISTEN|step 2: B: a datagram and a stream socket on port 5000, a listener on 6000"
	"bind.stream.inuse|rc=1 EADDRINUSE|step 2: a second stream server on 5000: EADDRINUSE"
	"bind.dgram.inuse|rc=1 EADDRINUSE|step 2: a second datagram server on 5000: EADDRINUSE"
	"ephemeral.range|yes yes|step 3: the clients' ports are in local_port_range"
	"sockets.b.conn|dgram 0.0.0.0:5000 UNCONN,strm 10.0.0.2:5000 ESTABLISHED,strm 10.0.0.2:6000 ESTABLISHED|step 3: B: two connections, the listeners closed"
	"inode.5000|the server's pid|step 4: the inode leads to the server's process"
	"cmdline.5000|ttpcat -t -l 5000|step 4: ... whose command line is the server's"
	"inode.client|the client's pid|step 4: the client's inode leads to the client"
	"dgram.got|~^from 10\.0\.0\.1:[0-9]+ len 5: hello$|step 5: the datagram reached the datagram server"
	"stream.got|nothing|step 5: the stream server on the same port got nothing"
	"refused.stream|rc=1 ECONNREFUSED|step 6: connect to a closed port: ECONNREFUSED"
	"refused.dgram|rc=1 ECONNREFUSED|step 6: a datagram to a closed port: ECONNREFUSED"
	"refused.b|rsts=1 noports=1 unreach_out=1|step 6: B: one RST, one datagram for no port, one port unreachable"
	"refused.a|attempt_fails=1 unreach_in=1|step 6: A: a failed connect, a port unreachable received"
	"capture.1|10.0.0.1>10.0.0.2 proto=6 flags=0x0002 icmp=-/-|step 6: tshark: the SYN"
	"capture.2|10.0.0.2>10.0.0.1 proto=6 flags=0x0014 icmp=-/-|step 6: tshark: the RST+ACK"
	"capture.3|10.0.0.1>10.0.0.2 proto=17 flags=- icmp=-/-|step 6: tshark: the datagram"
	"capture.4|10.0.0.2>10.0.0.1 proto=1 flags=- icmp=3/3|step 6: tshark: port unreachable"
	"ephemeral.one|10.0.0.1:45000|step 7: the one ephemeral port"
	"ephemeral.none|rc=1 EADDRNOTAVAIL|step 7: no port left: EADDRNOTAVAIL"
)

plan $((LAB_CHECKS + 1 + ${#PORTS_WANT[@]}))

run_lab lab-ports
check_lab lab-ports "${PORTS_WANT[@]}"
check_eq "lab-ports: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^pt-(a|b)( |$)')"
