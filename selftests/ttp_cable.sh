#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_cable.sh: the "ttp" link kind, a veth-like cable: naming, pairing,
# MAC and MTU rules, ethtool, carrier, frame delivery and counters, drops,
# tc (netem, clsact), tcpdump, netns moves and deletion, and deletion /
# moves racing with traffic.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

A=ttp_cable-a
B=ttp_cable-b
C=ttp_cable-c
D=ttp_cable-d
E=ttp_cable-e

plan 61

ttp_load
before=$(ttp_devices "")
at_exit "del_new_ttp_devices '$before'"
for ns in $A $B $C $D $E; do ns_add "$ns"; done
for ns in $A $B $C; do py_start "$ns"; done

# peer_of DEV [NS]: PEER in `ip link`'s "DEV@PEER" ("ifN" across netns).
peer_of()
{
	ip ${2:+-n "$2"} -o link show dev "$1" | awk -F': ' '{ sub(/^[^@]*@/, "", $2); print $2 }'
}
no_carrier()	# DEV [NS]: ip link shows NO-CARRIER
{
	ip ${2:+-n "$2"} -o link show dev "$1" | grep -q NO-CARRIER
}
ping3()		# NS ADDR
{
	ip netns exec "$1" busybox ping -c 3 -i 0.2 -W 1 "$2"
}

# --- names and pairing ---------------------------------------------------

check "ip link add cab0 type ttp" ip link add cab0 type ttp
check "its peer is named cab0-peer" link_exists cab0-peer
check_eq "IFLA_LINK: cab0@cab0-peer and cab0-peer@cab0" "cab0-peer cab0" \
	"$(peer_of cab0) $(peer_of cab0-peer)"
check_fail "a second cab0 is refused" ip link add cab0 type ttp

# unnamed_pair: `ip link add type ttp` makes ttp<N>, its peer ttp<N>-peer.
unnamed_pair()
{
	local list0 n1 n2 rest
	list0=$(ttp_devices "")
	ip link add type ttp || return 1
	read -r n1 n2 rest <<<"$(ttp_devices "" | grep -vxF "$list0" | sort | xargs)"
	echo "new: $n1 $n2 $rest"
	[[ $n1 =~ ^ttp[0-9]+$ && $n2 = "$n1-peer" && -z $rest ]] &&
	[ "$(peer_of "$n1")" = "$n2" ] && [ "$(peer_of "$n2")" = "$n1" ]
}
check "ip link add type ttp: ttp%d and ttp%d-peer" unnamed_pair

ip -b - <<EOF
link add cab4567890 type ttp
link add cab45678901 type ttp
link add cabt-peer type ttp
link add cabt type ttp
EOF
check_eq "10-char name: peer is NAME-peer (15 chars)" cab4567890-peer "$(peer_of cab4567890)"
check "11-char name: peer falls back to ttp%d" grep -Eqx 'ttp[0-9]+' <<<"$(peer_of cab45678901)"
check "NAME-peer taken: peer falls back to ttp%d" grep -Eqx 'ttp[0-9]+' <<<"$(peer_of cabt)"

ip link del cab4567890
check_fail "deleting an end deletes its peer" link_exists cab4567890-peer
ip link del "$(peer_of cab45678901)"
check_fail "deleting the peer end deletes the named end" link_exists cab45678901

# --- MAC, MTU, ethtool ---------------------------------------------------

macs="$(sysfs "" cab0 address) $(sysfs "" cab0-peer address) $(sysfs "" cabt address)"
macs+=" $(sysfs "" "$(peer_of cabt)" address)"
check_eq "random MACs all differ" 4 "$(tr ' ' '\n' <<<"$macs" | sort -u | wc -l)"
bad=""
for m in $macs; do
	[ $((0x${m:0:2} & 3)) -eq 2 ] || bad+=" $m"
done
check_eq "random MACs are unicast and locally administered" "" "$bad"
ip link set cab0 address 02:11:22:33:44:55
check_eq "set MAC 02:11:22:33:44:55" 02:11:22:33:44:55 "$(sysfs "" cab0 address)"
check_fail "multicast MAC refused" ip link set cab0 address 01:00:5e:00:00:01
check_fail "all-zero MAC refused" ip link set cab0 address 00:00:00:00:00:00
check_eq "MAC unchanged after the refusals" 02:11:22:33:44:55 "$(sysfs "" cab0 address)"

check_eq "default MTU 1500 on both ends" "1500 1500" "$(sysfs "" cab0 mtu) $(sysfs "" cab0-peer mtu)"
ip link set cab0 mtu 68
check_eq "MTU 68 accepted" 68 "$(sysfs "" cab0 mtu)"
ip link set cab0 mtu 65535
check_eq "MTU 65535 accepted" 65535 "$(sysfs "" cab0 mtu)"
for m in 67 65536; do
	err=$(ip link set cab0 mtu $m 2>&1)
	check_eq "MTU $m refused, with the kernel's message ($err)" "65535 yes" \
		"$(sysfs "" cab0 mtu) $(grep -qi '^Error: .*mtu' <<<"$err" && echo yes)"
done

check_eq "ethtool -i: driver ttp" "driver: ttp" "$(ethtool -i cab0 | grep '^driver:')"
check_eq "ethtool -S: exactly the seven counters" \
	"peer_ifindex: tx_packets: tx_bytes: tx_drops: rx_packets: rx_bytes: rx_drops:" \
	"$(ethtool -S cab0 | awk 'NR > 1 { print $1 }' | xargs)"
check_eq "ethtool -S: peer_ifindex is the peer's ifindex" "$(sysfs "" cab0-peer ifindex)" \
	"$(ethtool -S cab0 | awk '$1 == "peer_ifindex:" { print $2 }')"

# --- carrier -------------------------------------------------------------

cac()		# carrier of cac0 and cac0-peer ("-" when down)
{
	echo "$(sysfs "" cac0 carrier || echo -)$(sysfs "" cac0-peer carrier || echo -)"
}
cac_is()
{
	[ "$(cac)" = "$1" ]
}
ip link add cac0 type ttp
check_eq "both ends down: no carrier, operstate down" "-- down down" \
	"$(cac) $(sysfs "" cac0 operstate) $(sysfs "" cac0-peer operstate)"
ip link set cac0 up
check "one end up alone: carrier 0, NO-CARRIER" eval 'wait_for "cac_is 0-" 2 && no_carrier cac0'
ip link set cac0-peer up
check "both ends up: carrier 1 and operstate up on both" \
	wait_for '[ "$(cac) $(sysfs "" cac0 operstate) $(sysfs "" cac0-peer operstate)" = "11 up up" ]' 3
ip link set cac0 down
check "first end down: the other loses carrier (NO-CARRIER)" \
	eval 'wait_for "cac_is -0" 2 && no_carrier cac0-peer'
ip link set cac0 up
check "back up: carrier 1 on both" wait_for 'cac_is 11' 3
ip link set cac0-peer down
check "other end down: the first loses carrier (NO-CARRIER)" \
	eval 'wait_for "cac_is 0-" 2 && no_carrier cac0'

# --- move ends to namespaces, traffic, counters --------------------------

ip -b - <<EOF
link add cat0 type ttp
link set cat0 netns $A name ca
link set cat0-peer netns $B name cb
EOF
check "ends moved with rename: ca in $A, cb in $B" eval 'link_exists ca $A && link_exists cb $B'
check_eq "across namespaces, IFLA_LINK shows ca@if<cb's ifindex>" \
	"if$(sysfs $B cb ifindex)" "$(peer_of ca $A)"
check_eq "across namespaces, peer_ifindex is the peer's ifindex" "$(sysfs $B cb ifindex)" \
	"$(ip netns exec $A ethtool -S ca | awk '$1 == "peer_ifindex:" { print $2 }')"
ip -n $A link set ca up
ip -n $B link set cb up
wait_for '[ "$(sysfs $A ca carrier)" = 1 ]' 3

# Counters: "tx_pkts tx_bytes rx_pkts rx_bytes tx_drop rx_drop"; the core
# counts the frames no protocol takes in rx_drop, so "first5" skips it.
first5()
{
	cut -d' ' -f1-5 <<<"$1"
}
ca0=$(link_stats ca $A) cb0=$(link_stats cb $B)
ea0=$(eth_stats ca $A) eb0=$(eth_stats cb $B)
check_eq "7 raw 60-byte frames sent on ca" 7 "$(py $A send ca 7)"
check_eq "ip -s link: 7 frames / 420 bytes out of ca" "7 420 0 0 0" \
	"$(first5 "$(delta "$ca0" "$(link_stats ca $A)")")"
check_eq "ip -s link: 7 frames / 420 bytes into cb" "0 0 7 420 0" \
	"$(first5 "$(delta "$cb0" "$(link_stats cb $B)")")"
check_eq "ethtool -S agrees (ca / cb)" "7 420 0 0 0 0 / 0 0 7 420 0 0" \
	"$(delta "$ea0" "$(eth_stats ca $A)") / $(delta "$eb0" "$(eth_stats cb $B)")"

# --- drops ---------------------------------------------------------------

# Frames longer than the peer's MTU are dropped on the peer's side.
ip -n $B link set cb mtu 68
cb0=$(link_stats cb $B) eb0=$(eth_stats cb $B)
py $A send ca 3 0x88b5 "$(printf '%0400d' 0)" >/dev/null	# 214 bytes
check_eq "frames over the peer's MTU: rx dropped +3 (ip -s link, ethtool rx_drops)" \
	"0 0 0 0 0 3 / 0 0 0 0 0 3" \
	"$(delta "$cb0" "$(link_stats cb $B)") / $(delta "$eb0" "$(eth_stats cb $B)")"
ip -n $B link set cb mtu 1500

# Transmit with the peer down.  ca has no carrier then; sends through the
# qdisc layer may be eaten by the core's noop qdisc before the driver sees
# them (6.1), so the counted frames are sent with PACKET_QDISC_BYPASS.
ip -n $B link set cb down
wait_for '[ "$(sysfs $A ca carrier)" = 0 ]' 2
ca0=$(link_stats ca $A) ea0=$(eth_stats ca $A) cb0=$(link_stats cb $B)
py $A send ca 5 0x88b5 - - 1 >/dev/null	# each refused: ENOBUFS
check_eq "peer down: 5 frames dropped, ip -s link TX dropped +5" \
	5 "$(delta "$ca0" "$(link_stats ca $A)" | cut -d' ' -f5)"
check_eq "peer down: 5 frames dropped, ethtool tx_drops +5" \
	5 "$(delta "$ea0" "$(eth_stats ca $A)" | cut -d' ' -f5)"
py $A send ca 5 >/dev/null
ip -n $B link set cb up
wait_for '[ "$(sysfs $A ca carrier)" = 1 ]' 3
check_eq "peer down: none of 10 frames was delivered to it" "0 0 0 0 0 0" \
	"$(delta "$cb0" "$(link_stats cb $B)")"

# --- kernel IPv4 over the cable -------------------------------------------

ip -n $A addr add 10.210.0.1/24 dev ca
ip -n $B addr add 10.210.0.2/24 dev cb
check "kernel IPv4 ping across the cable" ping3 $A 10.210.0.2
check_fail "ping to an absent address fails (control)" ip netns exec $A busybox ping -c 1 -W 1 10.210.0.9

# --- tc: netem, clsact ---------------------------------------------------

if modprobe -q sch_netem; then
	check "tc qdisc add dev ca root netem delay 20ms" \
		tc -n $A qdisc add dev ca root netem delay 20ms
	min=$(ping3 $A 10.210.0.2 | awk -F'[=/ ]+' '/min\/avg\/max/ { print $(NF - 3) }')
	check "netem: ping RTT min ${min:-?} ms >= 20 ms" awk -v m="${min:-0}" 'BEGIN { exit !(m >= 20) }'
	tc -n $A qdisc del dev ca root
else
	skip "tc netem" "sch_netem not available"
	skip "netem RTT" "sch_netem not available"
fi

tc_pkts()	# NS DEV DIR: packets counted by the action of DEV's DIR filter
{
	tc -n "$1" -s filter show dev "$2" "$3" | awk '/Sent .* pkt/ { print $4; exit }'
}
tc -n $B qdisc add dev cb clsact
tc -n $B filter add dev cb ingress protocol 0x88b5 matchall action pass
tc -n $A qdisc add dev ca clsact
tc -n $A filter add dev ca egress protocol 0x88b5 u32 match u32 0 0 action pass
py $A send ca 5 >/dev/null
py $A send ca 3 0x88b6 >/dev/null
check_eq "clsact ingress matchall on cb counts the 5 0x88b5 frames (not the 3 others)" \
	5 "$(tc_pkts $B cb ingress)"
check_eq "clsact egress u32 on ca counts the 5 0x88b5 frames" 5 "$(tc_pkts $A ca egress)"
tc -n $A qdisc del dev ca clsact
tc -n $B qdisc del dev cb clsact

# --- tcpdump on either end -----------------------------------------------

capture()	# NS DEV: tcpdump on DEV sees the 4 TTP frames ca sends
{
	local out=$TMPD/td.$2 pid
	ip netns exec "$1" timeout 30 tcpdump -i "$2" -nn -e -l -c 4 ether proto 0x88b5 \
		>"$out" 2>"$out.err" &
	pid=$!
	wait_for "grep -q 'listening on' '$out.err'" 20 || { cat "$out.err"; return 1; }
	py $A send ca 4 >/dev/null
	wait "$pid" || { cat "$out.err"; return 1; }
	[ "$(grep -c 'ethertype Unknown (0x88b5)' "$out")" = 4 ] || { cat "$out"; return 1; }
}
check "tcpdump on the receiving end captures the frames" capture $B cb
check "tcpdump on the sending end captures the frames" capture $A ca

# --- more moves ----------------------------------------------------------

ip -n $B link set cb netns $C name cc
ip -n $C addr add 10.210.0.2/24 dev cc
ip -n $C link set cc up
check "moved again with rename (cb -> $C as cc): ping still works" ping3 $A 10.210.0.2
check_fail "nothing named cb left in $B" link_exists cb $B
ip -n $C link set cc netns 1
check "moved back to the init ns (netns 1)" link_exists cc
ip link del cc

# --- netns deletion ------------------------------------------------------

ip link add cad0 type ttp
ip link set cad0-peer netns $D
ip netns del $D
check "netns deleted with a cable end inside: the other end goes too" \
	wait_for '! link_exists cad0' 10
ip -n $E link add cae0 type ttp
ip -n $E link set cae0-peer netns $C
ip netns del $E
check "netns deleted: the end it held in another netns goes too" \
	wait_for '! link_exists cae0-peer $C' 10

# --- delete during traffic -----------------------------------------------

ip -n $C -b - <<EOF
link add cf0 type ttp
link set cf0-peer netns $B
link set cf0 up
EOF
ip -n $B link set cf0-peer up
pkt_flood $C cf0 8 >/dev/null &
f1=$!
pkt_flood $B cf0-peer 8 >/dev/null &
f2=$!
rx_of()		# DEV NS: rx packets
{
	link_stats "$1" "$2" | cut -d' ' -f3
}
check "both ends are flooding" \
	wait_for '[ "$(rx_of cf0 $C)" -gt 100 ] && [ "$(rx_of cf0-peer $B)" -gt 100 ]' 15
check "ip link del during the flood" ip -n $C link del cf0
check_fail "both ends gone" eval 'link_exists cf0 $C || link_exists cf0-peer $B'
check "flooders finish" wait_for '! kill -0 $f1 2>/dev/null && ! kill -0 $f2 2>/dev/null' 20
wait $f1 $f2

# --- churn: delete/recreate, move, transmit, read /proc concurrently ------

CHURN=5
churn_create()	# cable cy in A, its peer cx in B, again and again
{
	local end=$(($(_now_ms) + CHURN * 1000))
	while [ "$(_now_ms)" -lt $end ]; do
		ip -n $A -b - <<-EOF
			link add cy type ttp
			link set cy up
			link set cy-peer netns $B name cx
		EOF
		ip -n $B link set cx up
		sleep 0.3
		ip -n $A link del cy
	done 2>/dev/null
}
churn_move()	# cx between B and C
{
	local end=$(($(_now_ms) + CHURN * 1000)) from to
	while [ "$(_now_ms)" -lt $end ]; do
		for from in $B $C; do
			to=$B
			[ "$from" = $B ] && to=$C
			ip -n "$from" link set cx netns $to && ip -n $to link set cx up
		done
	done 2>/dev/null
}
churn_read()	# TTP's /proc files and ethtool, in every namespace
{
	local end=$(($(_now_ms) + CHURN * 1000)) ns
	while [ "$(_now_ms)" -lt $end ]; do
		for ns in $A $B $C; do
			ip netns exec "$ns" sh -c 'cat /proc/net/ttp/devices /proc/net/ttp/stats
				ethtool -S cx; ethtool -S cy'
		done
	done >/dev/null 2>&1
}
pids=""
churn_create & pids+=" $!"
churn_move & pids+=" $!"
churn_read & pids+=" $!"
for ns in $B $C; do
	pkt_flood "$ns" cx $CHURN >/dev/null & pids+=" $!"
done
pkt_flood $A cy $CHURN >/dev/null & pids+=" $!"
check "create/delete, move, flood and /proc readers ran ${CHURN}s and ended" \
	wait_for "! kill -0 $pids 2>/dev/null" $((CHURN + 30))
# shellcheck disable=SC2086 # a list of pids
wait $pids
ip -n $A link del cy 2>/dev/null
check_eq "no ttp device left in $A $B $C after the churn" "" \
	"$(ttp_devices $A)$(ttp_devices $B)$(ttp_devices $C)"
ip -n $A -b - <<EOF
link add cz type ttp
link set cz-peer netns $B
addr add 10.210.1.1/24 dev cz
link set cz up
EOF
ip -n $B addr add 10.210.1.2/24 dev cz-peer
ip -n $B link set cz-peer up
check "a new cable works after the churn" ping3 $A 10.210.1.2
