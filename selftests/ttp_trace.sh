#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_trace.sh: the ttp:ttp_arp_update tracepoint reports every ARP cache
# change: an entry created (NONE -> INCOMPLETE), resolved (-> REACHABLE),
# learnt from a request (NONE -> STALE), failed (INCOMPLETE -> FAILED),
# added by hand (NONE -> PERMANENT) and removed (-> NONE).  It uses its own
# trace instance, so a student's global trace buffer is left alone.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

A=ttp_trace-a
B=ttp_trace-b

plan 9

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
