#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_topo.sh: TTP across small topologies (issue 3).
#
#   cable:   A -- R on one ttp cable: datagrams both ways (ttpcat).
#   switch:  H1, H2, H3 on a Linux bridge br0 in namespace S (the bridge
#            ports are not TTP-enabled, the hosts' ends are): TTP ARP
#            broadcasts reach every host, unicast frames only their target,
#            and the bridge learns the hosts' MACs.
#   router:  A 10.232.1.2/24 -- R -- 10.232.2.2/24 B, default routes via R,
#            net.ttp.forwarding=1 in R: a datagram and its echo cross R
#            with the TTL one lower; TTL 1 gives "time exceeded" back to A;
#            forwarding off drops and counts.
#   capture: tcpdump on B's end during the router exchange, decoded by stock
#            tshark (-d ethertype==0x88b5,ip): valid IPv4 and UDP headers and
#            checksums, nothing malformed, TTP ARP shown as ARP with
#            protocol type 0x88b5.
#
# Counters are read through /proc/PID/net/ttp/ of one long-lived process
# per namespace (a sleep): a bash read, no exec, no python start.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

P=ttp_topo
A=$P-a
R=$P-r
B=$P-b
S=$P-s
H1=$P-h1
H2=$P-h2
H3=$P-h3

plan 29

ttp_load
for ns in $A $R $B $S $H1 $H2 $H3; do ns_add "$ns"; done

# --- helpers ----------------------------------------------------------------

declare -A HOLD BASE

# hold NS: a sleeping process in NS whose /proc/PID/net is NS's.
hold()
{
	ip netns exec "$1" sleep 100000 &
	HOLD[$1]=$!
	at_exit "kill ${HOLD[$1]}"
}

# held NS: the holder has entered NS (it is the sleep, after setns).
held()
{
	local c
	read -r c <"/proc/${HOLD[$1]}/comm" && [ "$c" = sleep ]
}

# nstat NAME NS: counter NAME of /proc/net/ttp/stats in NS.
nstat()
{
	local k v
	while read -r k v; do
		[ "$k" = "$1" ] && { echo "$v"; return 0; }
	done <"/proc/${HOLD[$2]}/net/ttp/stats"
	echo "no-counter-$1"
	return 1
}

# snap NS NAME...: remember the counters; d NS NAME: the change since.
snap()
{
	local ns=$1 n
	shift
	for n; do BASE[$ns:$n]=$(nstat "$n" "$ns"); done
}

d()
{
	echo $(($(nstat "$2" "$1") - ${BASE[$1:$2]}))
}

# devstate NS DEV: DEV's State column in NS's /proc/net/ttp/devices.
devstate()
{
	local -a f
	while read -r -a f; do
		[ "${f[0]}" = "$2" ] && { echo "${f[4]}"; return 0; }
	done <"/proc/${HOLD[$1]}/net/ttp/devices"
	echo none
}

# bound NS PORT: a TTP socket of NS is bound to PORT.
bound()
{
	local proto l rest
	while read -r proto l rest; do
		[ "$proto" = dgram ] && [ "${l##*:}" = "$2" ] && return 0
	done <"/proc/${HOLD[$1]}/net/ttp/sockets"
	return 1
}

# listen NS PORT OUT [ARGS...]: a ttpcat receiving one datagram on PORT,
# in the background, its output in OUT; returns once its socket is bound.
listen()
{
	local ns=$1 port=$2 out=$3 pid
	shift 3
	: >"$out"
	ip netns exec "$ns" "$TTPCAT" -u -l "$port" -n 1 -w 30 "$@" \
		>"$out" 2>&1 &
	pid=$!
	at_exit "kill $pid"
	wait_for 'bound "$ns" "$port"' 5
}

# heard OUT WANT: the listener's output becomes WANT (one line).
heard()
{
	local _out=$1 _want=$2
	wait_for '[ "$(<"$_out")" = "$_want" ]' 10 && return 0
	echo "want '$_want'"
	echo "got  '$(<"$_out")'"
	return 1
}

# send NS FROM-PORT ADDR PORT MSG [ARGS...]: one datagram with ttpcat.
send()
{
	local ns=$1 from=$2
	shift 2
	ip netns exec "$ns" "$TTPCAT" -u -b ":$from" "$1" "$2" -m "$3" "${@:4}"
}

# cable NS DEV PEER-NS MAC: a ttp cable from DEV in NS to eth0 in PEER-NS
# (ip -batch lines for NS), the peer's MAC set to MAC.
cable()
{
	echo "link add $2 type ttp"
	echo "link set $2-peer address $4"
	echo "link set $2-peer netns $3 name eth0"
}

# host NS ADDR [GW]: address eth0, bring it up, default route via GW.
host()
{
	{
		echo "addr add $2 dev eth0"
		echo "link set eth0 up"
		[ -z "${3:-}" ] || echo "route add default via $3"
	} | ip -n "$1" -batch -
}

# --- the router topology; its first link is the two-host cable -------------

{
	cable $R ra $A 02:74:74:70:01:02
	cable $R rb $B 02:74:74:70:02:02
	echo "addr add 10.232.1.1/24 dev ra"
	echo "addr add 10.232.2.1/24 dev rb"
	echo "link set ra up"
	echo "link set rb up"
} | ip -n $R -batch -
host $A 10.232.1.2/24 10.232.1.1
host $B 10.232.2.2/24 10.232.2.1

# --- the switch topology ----------------------------------------------------

{
	echo "link add br0 type bridge"
	for i in 1 2 3; do
		cable $S p$i "$P-h$i" 02:74:74:70:03:0$i
		echo "link set p$i master br0"
		echo "link set p$i up"
	done
	echo "link set br0 up"
} | ip -n $S -batch -
for i in 1 2 3; do host "$P-h$i" 10.233.0.$i/24; done

for ns in $A $R $B $S $H1 $H2 $H3; do hold "$ns"; done
for ns in $A $R $B $S $H1 $H2 $H3; do wait_for 'held "$ns"' 5; done

# --- 1. two hosts on one cable ------------------------------------------------

out=$TMPD/cat.out
cat_a_to_r()
{
	listen $R 47001 "$out" &&
	send $A 47002 10.232.1.1 47001 ping-a-to-r &&
	heard "$out" "from 10.232.1.2:47002 len 11: ping-a-to-r"
}
check_fn "cable: a datagram A -> R arrives (ttpcat)" cat_a_to_r
cat_r_to_a()
{
	listen $A 47002 "$out" &&
	send $R 47001 10.232.1.2 47002 ping-r-to-a &&
	heard "$out" "from 10.232.1.1:47001 len 11: ping-r-to-a"
}
check_fn "cable: a datagram R -> A arrives (ttpcat)" cat_r_to_a

# --- 2. three hosts on a bridge ----------------------------------------------

ports_forwarding()
{
	[ "$(bridge -n $S link show | grep -c 'master br0 state forwarding')" = 3 ]
}
check "switch: the 3 bridge ports are forwarding" wait_for ports_forwarding 10
check_eq "switch: bridge ports enslaved (no TTP), hosts' ends enabled" \
	"enslaved enslaved enslaved enabled enabled enabled" \
	"$(devstate $S p1) $(devstate $S p2) $(devstate $S p3) $(devstate $H1 eth0) $(devstate $H2 eth0) $(devstate $H3 eth0)"

snap $H3 ArpInRequests ArpInGratuitous NfInArpFrames NfInTtpFrames
snap $S NfInTtpFrames NfInArpFrames
# Requests H3 got that were not gratuitous (those are setup noise).
asks_h3()
{
	echo $(($(d $H3 ArpInRequests) - $(d $H3 ArpInGratuitous)))
}
h1_to_h2()
{
	listen $H2 47010 "$out" &&
	send $H1 47011 10.233.0.2 47010 h1-to-h2 &&
	heard "$out" "from 10.233.0.1:47011 len 8: h1-to-h2"
}
check_fn "switch: a datagram H1 -> H2 arrives" h1_to_h2
wait_for '[ "$(asks_h3)" -ge 1 ]' 3
check_eq "switch: H1's ARP request for H2 (broadcast) reached H3" 1 "$(asks_h3)"
# A datagram H1 -> H3 takes the same path after the H1 -> H2 one: once it
# is there, anything flooded before it would be too.
h1_to_h3()
{
	listen $H3 47012 "$out" &&
	send $H1 47011 10.233.0.3 47012 marker &&
	heard "$out" "from 10.233.0.1:47011 len 6: marker"
}
check_fn "switch: a datagram H1 -> H3 arrives" h1_to_h3
check_eq "switch: H3 saw only its own datagram, not H1 -> H2 (unicast by MAC)" \
	1 "$(d $H3 NfInTtpFrames)"
# The hook counts every TTP ARP frame, also those for another MAC.
check_eq "switch: H3 got H1's 2 ARP requests, not H2's unicast reply" \
	2 "$(($(d $H3 NfInArpFrames) - $(d $H3 ArpInGratuitous)))"
fdb=$(bridge -n $S fdb show br br0)
learned()
{
	if grep -E "^02:74:74:70:03:01 dev p1 (vlan 1 )?master br0 *$" <<<"$fdb" &&
	   grep -E "^02:74:74:70:03:02 dev p2 (vlan 1 )?master br0 *$" <<<"$fdb"; then
		return 0
	fi
	echo "$fdb"
	return 1
}
check_fn "switch: bridge fdb learned H1's MAC on p1 and H2's on p2" learned
check_eq "switch: TTP in the switch namespace saw none of it" "0 0" \
	"$(d $S NfInTtpFrames) $(d $S NfInArpFrames)"

# --- 3. two subnets through router R -----------------------------------------

ip netns exec $R sysctl -qw net.ttp.forwarding=1
ttl_a=$(ip netns exec $A cat /proc/sys/net/ttp/default_ttl)
ttl_b=$(ip netns exec $B cat /proc/sys/net/ttp/default_ttl)

# Capture on B's end: R's ARP request for B, B's reply, the forwarded
# datagram and B's echo of it, then tcpdump exits (-c 4).
pcap=$TMPD/b.pcap
ip netns exec $B timeout 60 tcpdump -i eth0 -nn -U -c 4 -w "$pcap" \
	'ether proto 0x88b5 or (arp and arp[2:2] = 0x88b5)' \
	2>"$TMPD/tcpdump.err" &
tpid=$!
at_exit "kill $tpid"
wait_for '[[ $(<"$TMPD/tcpdump.err") == *"listening on"* ]]' 20

snap $R IpForwDatagrams
via_r()
{
	listen $B 47004 "$out" -e &&
	send $A 47003 10.232.2.2 47004 hello-b -r -w 10 &&
	heard "$out" "from 10.232.1.2:47003 len 7: hello-b"
}
check_fn "router: a datagram A -> B arrives, B's echo gets back to A" via_r
check_eq "router: IpForwDatagrams in R +2 (there and back)" 2 \
	"$(d $R IpForwDatagrams)"
wait_for '! kill -0 $tpid 2>/dev/null' 20
wait "$tpid"
check_eq "capture on B: tcpdump got the 4 frames" 0 $?

# --- TTL 1: the router drops it and tells A ---

ip netns exec $A sysctl -qw net.ttp.default_ttl=1
snap $R IpTtlExpired CtlOutTimeExcds IpForwDatagrams
snap $A CtlInTimeExcds
snap $B NfInTtpFrames
send $A 47003 10.232.2.2 47004 ttl-1
wait_for '[ "$(d $A CtlInTimeExcds)" -ge 1 ]' 5
check_eq "router: TTL 1 dropped in R (IpTtlExpired +1, IpForwDatagrams +0)" \
	"1 0" "$(d $R IpTtlExpired) $(d $R IpForwDatagrams)"
check_eq "router: time exceeded sent by R, received by A (CtlInTimeExcds)" \
	"1 1" "$(d $R CtlOutTimeExcds) $(d $A CtlInTimeExcds)"
check_eq "router: nothing reached B" 0 "$(d $B NfInTtpFrames)"
ip netns exec $A sysctl -qw net.ttp.default_ttl="$ttl_a"

# --- forwarding off ---

ip netns exec $R sysctl -qw net.ttp.forwarding=0
snap $R IpForwDisabled IpInAddrErrors IpForwDatagrams
snap $B NfInTtpFrames
send $A 47003 10.232.2.2 47004 no-forwarding
wait_for '[ "$(d $R IpForwDisabled)" -ge 1 ]' 5
check_eq "router: forwarding off: dropped (IpForwDisabled, IpInAddrErrors +1)" \
	"1 1 0" "$(d $R IpForwDisabled) $(d $R IpInAddrErrors) $(d $R IpForwDatagrams)"
check_eq "router: forwarding off: nothing reached B" 0 "$(d $B NfInTtpFrames)"

# --- 4. the capture, decoded by stock tshark ----------------------------------

fields=(eth.type arp.proto.type arp.opcode arp.src.proto arp.dst.proto
	ip.version ip.hdr_len ip.flags.df ip.proto ip.ttl ip.src ip.dst
	ip.checksum.status udp.srcport udp.dstport udp.length
	udp.checksum.status data.data _ws.malformed _ws.expert)
targs=()
for x in "${fields[@]}"; do targs+=(-e "$x"); done
mapfile -t frames < <(tshark -r "$pcap" -n -d ethertype==0x88b5,ip \
	-d udp.port==47004,data -o ip.check_checksum:TRUE \
	-o udp.check_checksum:TRUE -T fields -E separator='|' \
	"${targs[@]}" 2>"$TMPD/tshark.err")
frame()		# N: frame N's fields, or the decoder's complaint
{
	echo "${frames[$1]:-missing: $(<"$TMPD/tshark.err")}"
}
check_eq "tshark: 4 frames" 4 "${#frames[@]}"
# ip.checksum.status / udp.checksum.status: 1 is "Good" (0 Bad, 2 Unverified).
hello=$(printf hello-b | od -An -tx1 | tr -d ' \n')
check_eq "tshark: R's TTP ARP request, as ARP with protocol type 0x88b5" \
	"0x0806|0x88b5|1|0ae80201|0ae80202|||||||||||||||" "$(frame 0)"
check_eq "tshark: B's TTP ARP reply, as ARP with protocol type 0x88b5" \
	"0x0806|0x88b5|2|0ae80202|0ae80201|||||||||||||||" "$(frame 1)"
IFS='|' read -r -a f2 <<<"$(frame 2)"
IFS='|' read -r -a f3 <<<"$(frame 3)"
check_eq "tshark: forwarded datagram: IPv4, IHL 20, DF, proto 17, A -> B" \
	"0x88b5 4 20 1 17 10.232.1.2 10.232.2.2" \
	"${f2[0]} ${f2[*]:5:4} ${f2[*]:10:2}"
check_eq "tshark: forwarded datagram: TTL = A's default_ttl - 1" \
	$((ttl_a - 1)) "${f2[9]:-}"
check_eq "tshark: forwarded datagram: IP and UDP checksums Good" \
	"1 1" "${f2[12]:-} ${f2[16]:-}"
check_eq "tshark: forwarded datagram: UDP 47003 -> 47004, length 15, payload" \
	"47003 47004 15 $hello" "${f2[*]:13:3} ${f2[17]:-}"
check_eq "tshark: B's echo: IPv4, IHL 20, DF, proto 17, B -> A, TTL = B's default_ttl" \
	"0x88b5 4 20 1 17 $ttl_b 10.232.2.2 10.232.1.2" \
	"${f3[0]} ${f3[*]:5:7}"
check_eq "tshark: B's echo: checksums Good, UDP 47004 -> 47003, payload" \
	"1 1 47004 47003 15 $hello" \
	"${f3[12]:-} ${f3[16]:-} ${f3[*]:13:3} ${f3[17]:-}"
expert=""
for l in "${frames[@]}"; do
	IFS='|' read -r -a f <<<"$l"
	expert+="${f[18]:-}${f[19]:-}"
done
check_eq "tshark: no malformed packet, no expert info" "" "$expert"
