#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_trace.sh: the ttp:ttp_arp_update tracepoint reports every ARP cache
# change: an entry created (NONE -> INCOMPLETE), resolved (-> REACHABLE),
# learnt from a request (NONE -> STALE), failed (INCOMPLETE -> FAILED),
# added by hand (NONE -> PERMANENT) and removed (-> NONE).  It uses its own
# trace instance, so a student's global trace buffer is left alone.
#
# ttp:ttp_set_state reports every state of a stream connection, on both
# ends, in the order of RFC 9293's diagram: the active closer's ends with
# its TIME_WAIT entry's expiry, the passive closer's with LAST_ACK ->
# CLOSED.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

A=ttp_trace-a
B=ttp_trace-b

plan 14

ttp_load
TR=/sys/kernel/tracing
[ -d $TR/instances ] || mount -t tracefs nodev $TR
INST=$TR/instances/ttp_trace
mkdir "$INST"
at_exit "rmdir $INST"

ns_add $A
ns_add $B
ip -n $A link add tr0 type ttp
ip -n $A link set tr0-peer netns $B name tr0
ip -n $A addr add 10.234.0.1/24 dev tr0
ip -n $B addr add 10.234.0.2/24 dev tr0
ip -n $A link set tr0 up
ip -n $B link set tr0 up
# Fail an unanswered resolution fast.
for k in "arp_retries 2" "arp_retrans_ms 200"; do
	ip netns exec $A sh -c "echo ${k#* } > /proc/sys/net/ttp/${k% *}"
done

check "the event exists and can be enabled" \
	sh -c "echo 1 > $INST/events/ttp/ttp_arp_update/enable"

trace() { cat "$INST/trace"; }
# seen PATTERN: a line of the trace matches (grep -E).
seen() { trace | grep -qE "ttp_arp_update: (.* )?$1"; }

mac_a=$(ip netns exec $A cat /sys/class/net/tr0/address)
mac_b=$(ip netns exec $B cat /sys/class/net/tr0/address)
ip netns exec $A "$TTPCAT" -u 10.234.0.2 9 >/dev/null 2>&1
wait_for 'seen "dev=tr0 addr=10.234.0.2 mac=$mac_b INCOMPLETE -> REACHABLE"' 5
check "a new entry: NONE -> INCOMPLETE" \
	seen "dev=tr0 addr=10.234.0.2 mac=00:00:00:00:00:00 NONE -> INCOMPLETE"
check "resolved: INCOMPLETE -> REACHABLE with B's MAC" \
	seen "dev=tr0 addr=10.234.0.2 mac=$mac_b INCOMPLETE -> REACHABLE"
check "B learnt A from the request: NONE -> STALE" \
	seen "addr=10.234.0.1 mac=$mac_a NONE -> STALE"

ip netns exec $A "$TTPCAT" -u 10.234.0.99 9 >/dev/null 2>&1
wait_for 'seen "addr=10.234.0.99 .* INCOMPLETE -> FAILED"' 5
check "no answer: INCOMPLETE -> FAILED" seen "addr=10.234.0.99 .* INCOMPLETE -> FAILED"

ip netns exec $A sh -c 'echo "add 10.234.0.7 02:00:00:00:00:07 tr0" > /proc/net/ttp/arp'
check "a static entry: NONE -> PERMANENT" \
	seen "addr=10.234.0.7 mac=02:00:00:00:00:07 NONE -> PERMANENT"
ip netns exec $A sh -c 'echo "del 10.234.0.7 tr0" > /proc/net/ttp/arp'
check "deleted: PERMANENT -> NONE" \
	seen "addr=10.234.0.7 mac=02:00:00:00:00:07 PERMANENT -> NONE"
ip -n $A link set tr0 down
wait_for 'seen "addr=10.234.0.2 .* -> NONE"' 5
check "link down flushes: the resolved entry -> NONE" seen "addr=10.234.0.2 .* -> NONE"

n=$(trace | grep -cE 'ttp_arp_update: .* ([A-Z]+) -> \1$')
check_eq "no line reports a change to the same state" 0 "$n"
echo 0 > "$INST/events/ttp/ttp_arp_update/enable"

# --- ttp_set_state: one connection, A closes first ----------------------

ip -n $A link set tr0 up
check "ttp_set_state exists and can be enabled" \
	sh -c "echo 1 > $INST/events/ttp/ttp_set_state/enable"
ip netns exec $A sysctl -q -w net.ttp.stream_time_wait_ms=300
ip netns exec $B "$TTPCAT" -t -l 7000 -H -q -w 20 </dev/null >/dev/null 2>&1 &
srv=$!
wait_for 'ip netns exec $B grep -q "0.0.0.0:7000 .*LISTEN" /proc/net/ttp/sockets' 10
echo hello | ip netns exec $A "$TTPCAT" -t -w 20 10.234.0.2 7000 >/dev/null 2>&1
wait $srv
states() { trace | sed -n "s/.*ttp_set_state: $1 \([A-Z_0-9]*\) -> \([A-Z_0-9]*\)$/\1>\2/p" | paste -sd' '; }
cport=$(trace | sed -n 's/.*ttp_set_state: 10\.234\.0\.1:\([0-9]*\) -> 10\.234\.0\.2:7000 CLOSED -> SYN_SENT$/\1/p' | head -n1)
wait_for '[ -n "$cport" ] && states "10.234.0.1:$cport -> 10.234.0.2:7000" | grep -q "TIME_WAIT>CLOSED"' 10
check_eq "the listener: CLOSED -> LISTEN -> CLOSED" "CLOSED>LISTEN LISTEN>CLOSED" \
	"$(states '0.0.0.0:7000 -> 0.0.0.0:0')"
check_eq "the active opener and closer (A)" \
	"CLOSED>SYN_SENT SYN_SENT>ESTABLISHED ESTABLISHED>FIN_WAIT_1 FIN_WAIT_1>FIN_WAIT_2 FIN_WAIT_2>TIME_WAIT TIME_WAIT>CLOSED" \
	"$(states "10.234.0.1:$cport -> 10.234.0.2:7000")"
check_eq "the passive opener and closer (B's child)" \
	"LISTEN>SYN_RECEIVED SYN_RECEIVED>ESTABLISHED ESTABLISHED>CLOSE_WAIT CLOSE_WAIT>LAST_ACK LAST_ACK>CLOSED" \
	"$(states "10.234.0.2:7000 -> 10.234.0.1:$cport")"
n=$(trace | grep -cE 'ttp_set_state: .* ([A-Z_0-9]+) -> \1$')
check_eq "no stream line reports a change to the same state" 0 "$n"
echo 0 > "$INST/events/ttp/ttp_set_state/enable"
