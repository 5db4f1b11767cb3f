#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_ping.sh: ping and traceroute over TTP (scripts/ttpping on control
# sockets) through a router; the socket API itself is ttp_ping_sock.c's.
#
#   A 10.236.1.2 --- 10.236.1.1 R 10.236.2.1 --- 10.236.2.2 B
#
#   across a cable: A pings R: replies with R's TTL, counters on both ends
#   through R:      A pings B: replies one TTL lower (one hop)
#   TTL option:     -t 1: R's "time exceeded" reaches A's socket, with R's
#                   address; -t 2 is just enough
#   traceroute:     -T lists R, then B
#   unreachable:    R has no route: "destination unreachable (network)"
#   ARP failure:    nobody at the address: EHOSTUNREACH on the socket
#   the module:     cannot be unloaded while a control socket is open
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

P=ttp_ping
A=$P-a
R=$P-r
B=$P-b
TTPPING=$TTP_TOP/build/tools/ttpping

plan 17

ttp_load
for ns in $A $R $B; do ns_add "$ns"; done
ip -n $R -batch - <<EOF
link add eth0 type ttp
link set eth0-peer netns $A name eth0
link add eth1 type ttp
link set eth1-peer netns $B name eth0
addr add 10.236.1.1/24 dev eth0
addr add 10.236.2.1/24 dev eth1
link set eth0 up
link set eth1 up
EOF
ip -n $A -batch - <<<$'addr add 10.236.1.2/24 dev eth0\nlink set eth0 up\nroute add default via 10.236.1.1'
ip -n $B -batch - <<<$'addr add 10.236.2.2/24 dev eth0\nlink set eth0 up\nroute add default via 10.236.2.1'
ip netns exec $R sh -c 'echo 1 > /proc/sys/net/ttp/forwarding'
# A gives up on an address nobody has after 2 x 100 ms.
ip netns exec $A sh -c 'echo 2 > /proc/sys/net/ttp/arp_retries
	echo 100 > /proc/sys/net/ttp/arp_retrans_ms'
for ns in $A $R $B; do py_start "$ns"; done
TTL=$(py $A read /proc/sys/net/ttp/default_ttl)

# ping_in NS ARGS...: ttpping's output; its status in RC.
ping_in()
{
	local ns=$1
	shift
	OUT=$(ip netns exec "$ns" "$TTPPING" "$@" 2>&1) && RC=0 || RC=$?
}
# replies: the "bytes from" lines of OUT without their times.
replies() { grep 'bytes from' <<<"$OUT" | sed 's/ time=.*//'; }
snap() { local ns=$1; shift; for n; do ttp_stat "$n" "$ns"; done | tr '\n' ' '; }
W=$((2 * TTP_TIME_SCALE))

# --- across a cable -----------------------------------------------------------

a0=$(snap $A CtlOutEchos CtlInEchoReps)
r0=$(snap $R CtlInEchos CtlOutEchoReps)
ping_in $A -c 2 -i 0.1 -W $W 10.236.1.1
check_eq "A pings R across the cable: two replies, R's TTL ($TTL)" \
	"64 bytes from 10.236.1.1: seq=1 ttl=$TTL"$'\n'"64 bytes from 10.236.1.1: seq=2 ttl=$TTL" \
	"$(replies)"
check_eq "... exit 0, the summary counts them" "0 2 transmitted, 2 received, 0 errors, 0% packet loss" \
	"$RC $(grep transmitted <<<"$OUT" | sed 's/, time.*//')"
check_eq "... A: CtlOutEchos, CtlInEchoReps +2; R: CtlInEchos, CtlOutEchoReps +2" \
	"2 2 2 2" "$(delta "$a0 $r0" "$(snap $A CtlOutEchos CtlInEchoReps) $(snap $R CtlInEchos CtlOutEchoReps)")"

# --- through the router -------------------------------------------------------

f0=$(snap $R IpForwDatagrams)
ping_in $A -c 2 -i 0.1 -W $W -s 100 10.236.2.2
check_eq "A pings B through R: the replies arrive one TTL lower" \
	"108 bytes from 10.236.2.2: seq=1 ttl=$((TTL - 1))"$'\n'"108 bytes from 10.236.2.2: seq=2 ttl=$((TTL - 1))" \
	"$(replies)"
check_eq "... R forwarded 4 packets" "4" "$(delta "$f0" "$(snap $R IpForwDatagrams)")"

# --- the TTL option -----------------------------------------------------------

a0=$(snap $A CtlInTimeExcds)
r0=$(snap $R IpTtlExpired CtlOutTimeExcds)
b0=$(snap $B CtlInEchos)
ping_in $A -c 1 -t 1 -W $W 10.236.2.2
check_eq "TTL 1: R's time exceeded reaches A's socket, from R's address; exit 1" \
	"1 from 10.236.1.1: seq=1 time exceeded" "$RC $(grep 'from ' <<<"$OUT")"
check_eq "... R: IpTtlExpired, CtlOutTimeExcds +1; A: CtlInTimeExcds +1; B: nothing" \
	"1 1 1 0" "$(delta "$r0 $a0 $b0" "$(snap $R IpTtlExpired CtlOutTimeExcds) $(snap $A CtlInTimeExcds) $(snap $B CtlInEchos)")"
ping_in $A -c 1 -t 2 -W $W 10.236.2.2
check_eq "TTL 2 is enough for one router" "0 1" "$RC $(replies | wc -l)"

# --- traceroute ---------------------------------------------------------------

ping_in $A -T -m 5 -W $W 10.236.2.2
check_eq "traceroute: hop 1 is R, hop 2 is B, then it stops (exit 0)" \
	"0 1 10.236.1.1|2 10.236.2.2|" \
	"$RC $(awk '$1 ~ /^[0-9]+$/ { printf "%s %s|", $1, $2 }' <<<"$OUT")"

# --- errors -------------------------------------------------------------------

a0=$(snap $A CtlInDestUnreachs)
ping_in $A -c 1 -W $W 10.236.9.9
check_eq "no route at R: R's network unreachable reaches A's socket; exit 1" \
	"1 from 10.236.1.1: seq=1 destination unreachable (network)" \
	"$RC $(grep 'from ' <<<"$OUT")"
check_eq "... A: CtlInDestUnreachs +1" "1" "$(delta "$a0" "$(snap $A CtlInDestUnreachs)")"
ping_in $A -c 1 -W $W 10.236.1.99
check_eq "nobody at 10.236.1.99: ARP fails, the socket gets EHOSTUNREACH" \
	"1 seq=1: No route to host (EHOSTUNREACH)" "$RC $(grep 'seq=' <<<"$OUT")"
ping_in $A -c 1 -W 1 -s 2000 10.236.1.1
check_eq "bigger than the cable's MTU: EMSGSIZE from sendto" \
	"2 ttpping: sendto: Message too long (EMSGSIZE)" "$RC $(grep sendto <<<"$OUT")"

# --- what the socket looks like; the module stays -----------------------------

has_ctl() { [[ "$(py $A read /proc/net/ttp/sockets)" == *$'\n'"ctl "* ]]; }
ip netns exec $A "$TTPPING" -c 2 -i $((10 * TTP_TIME_SCALE)) 10.236.1.1 >/dev/null 2>&1 &
PPID_=$!
at_exit "kill $PPID_"
check "while ttpping runs, A's /proc/net/ttp/sockets lists a ctl socket" \
	wait_for has_ctl 5
check_eq "... Local: any address (it is not bound) and the identifier" "" \
	"$(py $A read /proc/net/ttp/sockets | awk '$1 == "ctl" && $2 !~ /^0\.0\.0\.0:[1-9][0-9]*$/')"
check_fail "... rmmod ttp fails: the socket holds the module" rmmod ttp
kill "$PPID_" 2>/dev/null
wait "$PPID_" 2>/dev/null
check "... gone once ttpping is" wait_for '! has_ctl' 5
