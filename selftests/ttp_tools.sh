#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_tools.sh: scripts/ttpstat shows what /proc/net/ttp holds, and
# scripts/ttp-timeline what the tracepoints saw.  Two hosts on a cable,
# one stream connection between them: ttpstat lists the listener and both
# ends with their states, the ARP entry that resolved the peer, the
# counters the handshake moved, the TIME_WAIT entry the active closer
# keeps, and in watch mode repeats the view and shows how the counters
# changed.  ttp-timeline, around a second connection, prints each end's
# state changes in order.  Bad arguments get a message and status 2.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

TTPSTAT=$TTP_TOP/scripts/ttpstat
A=ttp_tools-a B=ttp_tools-b
MAC_B=02:00:00:00:7b:02

plan 18
ttp_load
ns_add $A
ns_add $B
ip -n $A link add eth0 type ttp
ip -n $A link set eth0-peer netns $B name eth0
ip -n $B link set eth0 address $MAC_B
ip -n $A addr add 10.240.0.1/24 dev eth0
ip -n $B addr add 10.240.0.2/24 dev eth0
ip -n $A link set eth0 up
ip -n $B link set eth0 up

st() { local ns=$1; shift; "$TTPSTAT" -n "$ns" "$@" 2>&1; }

TMPD=$(mktemp -d)
at_exit "rm -rf '$TMPD'"
# B serves one connection and closes when A does (-q); A holds it open
# until its stdin (a fifo) is closed.
mkfifo "$TMPD/in"
ip netns exec $B "$TTPCAT" -t -l 5000 -q -H -w 60 </dev/null >/dev/null 2>&1 &
SRV=$!
at_exit "kill $SRV 2>/dev/null"
wait_for "st $B --state LISTEN | grep -q '0.0.0.0:5000'" 10
check "the listener shows as LISTEN on 0.0.0.0:5000" \
	eval "st $B --state LISTEN | grep -q '^strm  *LISTEN .*0\.0\.0\.0:5000'"

ip netns exec $A "$TTPCAT" -t -w 60 10.240.0.2 5000 <"$TMPD/in" >/dev/null 2>&1 &
CLI=$!
at_exit "kill $CLI 2>/dev/null"
exec 7>"$TMPD/in"
wait_for "st $A --state ESTABLISHED | grep -q '10.240.0.2:5000'" 10
view=$(st $A)
check "A's end is ESTABLISHED from 10.240.0.1 to 10.240.0.2:5000" \
	eval "grep -q '^strm  *ESTABLISHED .* 10\.240\.0\.1:[0-9]* *10\.240\.0\.2:5000 ' <<<\"\$view\""
check "B's end is ESTABLISHED too" \
	eval "st $B --state ESTABLISHED | grep -q '10\.240\.0\.2:5000 *10\.240\.0\.1:'"
check "the socket view has the window and cwnd columns" \
	eval "grep -q 'SndWnd *RcvWnd *Cwnd *Rto *Timer' <<<\"\$view\""

view=$(st $A -r)
check "A's ARP cache has B's address at B's MAC" \
	eval "grep -Eq '^10\.240\.0\.2 +$MAC_B +(REACHABLE|STALE|DELAY|PROBE) +eth0' <<<\"\$view\""
act=$(st $A -c | awk '$1 == "StreamActiveOpens" { print $2 }')
check_eq "the counters show A's active open" 1 "$act"
pas=$(st $B -c | awk '$1 == "StreamPassiveOpens" { print $2 }')
check_eq "the counters show B's passive open" 1 "$pas"

# A closes first (its stdin ends), B follows: A keeps TIME_WAIT.
exec 7>&-
wait_for "st $A -t | grep -q '10\.240\.0\.2:5000'" 20
view=$(st $A -t)
check "A's TIME_WAIT entry is listed with the time it has left" \
	eval "grep -Eq '^10\.240\.0\.1:[0-9]+ +10\.240\.0\.2:5000 +[0-9]+\.[0-9]s$' <<<\"\$view\""
check "B has no TIME_WAIT entry (it closed second)" \
	eval "st $B -t | grep -q '^(none)$'"

# Watch mode: 2 views; the second lists only what changed since the first.
view=$(st $A -c -w 0.5 -k 2)
n=$(grep -c '^ttpstat [0-9:]*, every 0.5s$' <<<"$view")
check_eq "watch mode -w 0.5 -k 2 shows two views" 2 "$n"
check "the second view lists the counters that changed" \
	eval "grep -q '^== counters that changed' <<<\"\$view\""

# ttp-timeline: a connection's life, recorded while the client runs.
TL=$TTP_TOP/scripts/ttp-timeline
ip netns exec $B "$TTPCAT" -t -l 5001 -q -H -w 30 </dev/null >/dev/null 2>&1 &
SRV2=$!
at_exit "kill $SRV2 2>/dev/null"
wait_for "st $B --state LISTEN | grep -q ':5001'" 10
view=$("$TL" -o "$TMPD/raw" -- ip netns exec $A "$TTPCAT" -t -q -w 30 \
	10.240.0.2 5001 </dev/null 2>&1)
rc=$?
# "  0.000123  ttpcat[42]  state CLOSED -> SYN_SENT" -> "CLOSED>SYN_SENT"
states() { awk -v h="$1" '/^== / { on = ($0 ~ h) } on && $3 == "state" { printf "%s>%s ", $4, $6 }' <<<"$view"; }
tl_a=$(states '^== 10\.240\.0\.1:[0-9]+ > 10\.240\.0\.2:5001$')
tl_b=$(states '^== 10\.240\.0\.2:5001 > 10\.240\.0\.1:[0-9]+$')
check_eq "ttp-timeline passes on the command's status" 0 "$rc"
matches() { grep -Eq "$1" <<<"$2"; }
check "ttp-timeline: the client's timeline, SYN_SENT to TIME_WAIT" \
	matches '^CLOSED>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT_1 .*>TIME_WAIT $' "$tl_a"
check "ttp-timeline: the server's side, SYN_RECEIVED to LAST_ACK" \
	matches 'SYN_RECEIVED>ESTABLISHED ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK' "$tl_b"
check "ttp-timeline -o keeps the raw tracepoint lines" \
	grep -q 'ttp_set_state: 10\.240\.0\.1:[0-9]* -> 10\.240\.0\.2:5001 CLOSED -> SYN_SENT$' "$TMPD/raw"
check "ttp-timeline leaves no tracefs instance behind" \
	eval "! ls /sys/kernel/tracing/instances | grep -q ttp-timeline"

check_fail "an unknown option fails" "$TTPSTAT" --bogus
msg=$("$TTPSTAT" -k 3 2>&1)
rc=$?
check_eq "-k without -w: status 2 and what to do" "2 ttpstat: -k needs -w" "$rc $msg"
