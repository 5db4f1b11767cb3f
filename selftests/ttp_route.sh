#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_route.sh: how the network layer picks a way out (issue 3).
#
#   local:   two sockets in one namespace talk through lo (the local path);
#            lo down -> ENETDOWN.
#   routes:  no route -> ENETUNREACH; a route through a device TTP is not
#            enabled on -> ENETUNREACH; both counted as IpOutNoRoutes; a
#            default gateway is used (ARP resolves the gateway, not the
#            destination).
#   arp:     packets waiting for resolution are bounded in bytes too.
#   mtu:     a router whose next hop has a smaller MTU drops the packet and
#            answers "fragmentation needed" with that MTU (IpFragNeeded).
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

P=ttp_route
L=$P-l
A=$P-a
R=$P-r
B=$P-b

plan 16

ttp_load
for ns in $L $A $R $B; do ns_add "$ns"; done
for ns in $L $A $R $B; do py_start "$ns"; done

# ttpcat in NS; its output (errors included) on stdout.
cat_in() { local ns=$1; shift; ip netns exec "$ns" "$TTPCAT" "$@" 2>&1; }
sockets_have() { [[ "$(py "$1" read /proc/net/ttp/sockets)" == *":$2 "* ]]; }
# listen NS PORT FILE: a one-datagram receiver in the background.
listen()
{
	# The timeout only bounds a failure: a loaded VM may be slow to start
	# the sender.
	ip netns exec "$1" "$TTPCAT" -u -l "$2" -n 1 -w $((20 * TTP_TIME_SCALE)) >"$3" 2>&1 &
	LPID=$!
	wait_for 'sockets_have "$1" "$2"' 5
}
snap() { local ns=$1; shift; for n; do ttp_stat "$n" "$ns"; done | tr '\n' ' '; }
delta()
{
	local -a a b
	read -r -a a <<<"$1"
	read -r -a b <<<"$2"
	local i out=
	for i in "${!a[@]}"; do out+="$((b[i] - a[i])) "; done
	echo "${out% }"
}

# --- the local path -----------------------------------------------------------

ip -n $L link add l0 type ttp
ip -n $L addr add 10.235.0.1/24 dev l0
ip -n $L addr add 10.235.1.1/24 dev l0-peer
ip -n $L link set l0 up
ip -n $L link set l0-peer up
lo_rx() { ip netns exec $L cat /sys/class/net/lo/statistics/rx_packets; }
lo0=$(lo_rx)
s0=$(snap $L IpOutRequests IpInDelivers)
listen $L 7000 "$TMPD/l1"
cat_in $L -u -b 10.235.0.1:6000 10.235.1.1 7000 -m local >/dev/null
wait "$LPID"
check_eq "two sockets in one namespace talk (to the other device's address)" \
	"from 10.235.0.1:6000 len 5: local" "$(cat "$TMPD/l1")"
check_eq "... one packet out, one delivered" "1 1" \
	"$(delta "$s0" "$(snap $L IpOutRequests IpInDelivers)")"
lo1=$(lo_rx)
check "... through lo (its packet counters moved: $lo0 -> $lo1)" test "$lo1" -gt "$lo0"
listen $L 7001 "$TMPD/l2"
cat_in $L -u 10.235.0.1 7001 -m self >/dev/null
wait "$LPID"
check_eq "to its own address too" "self" "$(sed 's/.*: //' "$TMPD/l2")"
ip -n $L link set lo down
check_eq "lo down: the local path is gone (ENETDOWN)" \
	"ttpcat: sendto: Network is down (ENETDOWN)" \
	"$(cat_in $L -u 10.235.1.1 7000)"
ip -n $L link set lo up

# --- packets waiting for ARP are bounded in memory, not only in number ------------

# Four 60000-byte datagrams to a neighbour that never answers: the queue
# (arp_queue_len 10) keeps one, since two would pass 128 KiB.
ip -n $L link set l0 mtu 65535
py $L write /proc/sys/net/ttp/arp_retrans_ms $((3000 * TTP_TIME_SCALE)) >/dev/null
s0=$(snap $L ArpQueueDrops)
cat_in $L -u 10.235.0.77 9 -s 60000 -n 4 >/dev/null
q=$(py $L read /proc/net/ttp/arp | awk '$1 == "10.235.0.77" { print $3, $8 }')
check_eq "4 big packets waiting: 1 kept (INCOMPLETE, Queue 1), 3 dropped" \
	"INCOMPLETE 1 3" "$q $(delta "$s0" "$(snap $L ArpQueueDrops)")"
py $L write /proc/net/ttp/arp flush >/dev/null

# --- routes ---------------------------------------------------------------------

s0=$(snap $L IpOutNoRoutes)
check_eq "no route: ENETUNREACH" \
	"ttpcat: sendto: Network is unreachable (ENETUNREACH)" \
	"$(cat_in $L -u 192.0.2.1 9)"
# A veth is an Ethernet device TTP is not enabled on (knob 0).
ip -n $L link add v0 type veth peer name v1
ip -n $L addr add 10.235.9.1/24 dev v0
ip -n $L link set v0 up
ip -n $L link set v1 up
check_eq "a route out through a device TTP is not enabled on: ENETUNREACH" \
	"ttpcat: sendto: Network is unreachable (ENETUNREACH)" \
	"$(cat_in $L -u 10.235.9.2 9)"
check_eq "... both counted as IpOutNoRoutes" 2 \
	"$(delta "$s0" "$(snap $L IpOutNoRoutes)")"

# --- a default gateway, and an MTU smaller on the far side ------------------------

ip -n $A link add a0 type ttp
ip -n $A link set a0-peer netns $R name r0
ip -n $R link add r1 type ttp
ip -n $R link set r1-peer netns $B name b0
ip -n $A addr add 10.236.1.2/24 dev a0
ip -n $R addr add 10.236.1.1/24 dev r0
ip -n $R addr add 10.236.2.1/24 dev r1
ip -n $B addr add 10.236.2.2/24 dev b0
for d in "$A a0" "$R r0" "$R r1" "$B b0"; do ip -n "${d% *}" link set "${d#* }" up; done
ip -n $A route add default via 10.236.1.1
ip -n $B route add default via 10.236.2.1
py $R write /proc/sys/net/ttp/forwarding 1 >/dev/null
wait_for '[ "$(ttp_dev_field r1 State $R)" = enabled ]' 5

listen $B 7100 "$TMPD/b1"
cat_in $A -u -b 10.236.1.2:6100 10.236.2.2 7100 -m via-gw >/dev/null
wait "$LPID"
check_eq "the default route: A reaches B through R" \
	"from 10.236.1.2:6100 len 6: via-gw" "$(cat "$TMPD/b1")"
arp_a=$(py $A read /proc/net/ttp/arp | awk 'NR > 1 { print $1, $3 }')
check_eq "A's ARP resolved the gateway, not B" "10.236.1.1 REACHABLE" "$arp_a"

# R -> B allows 600 bytes; A -> R 1500.  A 1000-byte datagram fits A's
# route but not R's next hop: R answers "fragmentation needed" (3/4) with 600.
ip -n $R link set r1 mtu 600
sr0=$(snap $R IpFragNeeded CtlOutDestUnreachs IpForwDatagrams)
sa0=$(snap $A CtlInDestUnreachs)
cat_in $A -u 10.236.2.2 7100 -s 1000 >/dev/null
wait_for '[ "$(delta "$sa0" "$(snap $A CtlInDestUnreachs)")" = 1 ]' 5
check_eq "too big for R's next hop: IpFragNeeded, CtlOutDestUnreachs +1, nothing forwarded" \
	"1 1 0" "$(delta "$sr0" "$(snap $R IpFragNeeded CtlOutDestUnreachs IpForwDatagrams)")"
check_eq "... and A got the control message" 1 \
	"$(delta "$sa0" "$(snap $A CtlInDestUnreachs)")"
listen $B 7101 "$TMPD/b2"
cat_in $A -u 10.236.2.2 7101 -s 572 >/dev/null
wait "$LPID"
check_eq "572 bytes + 28 of headers = 600: forwarded" \
	"len 572" "$(grep -o 'len [0-9]*' "$TMPD/b2")"

# The same datagram with forwarding off: dropped, counted, not answered.
py $R write /proc/sys/net/ttp/forwarding 0 >/dev/null
sr0=$(snap $R IpForwDisabled IpForwDatagrams)
cat_in $A -u 10.236.2.2 7101 -m off >/dev/null
wait_for '[ "$(delta "$sr0" "$(snap $R IpForwDisabled IpForwDatagrams)")" = "1 0" ]' 5
check_eq "forwarding off: IpForwDisabled +1, nothing forwarded" "1 0" \
	"$(delta "$sr0" "$(snap $R IpForwDisabled IpForwDatagrams)")"
check_eq "the kernel's neighbour tables stay empty" "" \
	"$(for ns in $A $R $B; do ip -n $ns -4 neigh show; done)"
