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
# The data path: ttp:ttp_probe reports the sender's state after each ACK
# (cwnd grows from IW10 in slow start), ttp:ttp_window a zero window on
# both ends (B's "ours" and A's "peer") when B's reader stops, and
# ttp:ttp_retransmit every segment sent again when netem loses some: one
# event per StreamRetransSegs.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

A=ttp_trace-a
B=ttp_trace-b

plan 24

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

# --- the data path: ttp_probe, ttp_window, ttp_retransmit ---------------

for ev in ttp_probe ttp_window ttp_retransmit; do
	check "$ev exists and can be enabled" \
		sh -c "echo 1 > $INST/events/ttp/$ev/enable"
done
echo > "$INST/trace"

# stream_server PORT OUT [TTPCAT ARGS...]: B accepts one connection,
# writes what it reads to OUT; its pid in $srv.
stream_server()
{
	local port=$1 out=$2
	shift 2
	ip netns exec $B "$TTPCAT" -t -l "$port" -H -q -w 20 "$@" \
		</dev/null >"$out" 2>&1 &
	srv=$!
	wait_for "ip netns exec $B grep -q '0.0.0.0:$port .*LISTEN' /proc/net/ttp/sockets" 10
}

# ttp_probe: a 200 KB transfer, A -> B
stream_server 7001 "$TMPD/probe.out"
head -c 200000 /dev/zero | ip netns exec $A "$TTPCAT" -t -w 20 10.234.0.2 7001 >/dev/null 2>&1
wait $srv
cwnds() {
	trace | sed -n 's/.*ttp_probe: 10\.234\.0\.1:[0-9]* -> 10\.234\.0\.2:7001 snd_una=[0-9]* snd_nxt=[0-9]* cwnd=\([0-9]*\) ssthresh=[0-9]* snd_wnd=[0-9]* rcv_wnd=[0-9]* srtt=[0-9]* ca=[a-z]*$/\1/p'
}
first=$(cwnds | head -n1)
max=$(cwnds | sort -n | tail -n1)
# the first ACK finds IW10 (14600) and adds at most 2 MSS (RFC 3465)
check "ttp_probe: the sender's state after an ACK, IW10 first (${first:-none})" \
	test "${first:-0}" -ge 14600 -a "${first:-0}" -le 17520
check "ttp_probe: cwnd grew in slow start (max ${max:-none})" \
	test "${max:-0}" -gt "${first:-0}"

# ttp_window: B reads (next to) nothing; its window is two segments
# (SO_RCVBUF 2920, doubled, halved), which A fills: zero, not a silly rest
stream_server 7002 /dev/null -B 2920 -R 1
srv2=$srv
at_exit "kill $srv2"
head -c 65536 /dev/zero | ip netns exec $A "$TTPCAT" -t -w 20 10.234.0.2 7002 >/dev/null 2>&1 &
cli=$!
at_exit "kill $cli"
zero_ours='ttp_window: 10\.234\.0\.2:7002 -> 10\.234\.0\.1:[0-9]+ ours window [1-9][0-9]* -> 0$'
zero_peer='ttp_window: 10\.234\.0\.1:[0-9]+ -> 10\.234\.0\.2:7002 peer window [1-9][0-9]* -> 0$'
wait_for 'trace | grep -qE "$zero_peer"' 10
check "ttp_window: B's window closes (ours N -> 0)" \
	sh -c "cat $INST/trace | grep -qE '$zero_ours'"
check "ttp_window: A sees it (peer N -> 0)" \
	sh -c "cat $INST/trace | grep -qE '$zero_peer'"
kill $cli $srv2 2>/dev/null
wait $cli $srv2 2>/dev/null

# ttp_retransmit: netem loses 10% of A's frames during a 200 KB transfer
if modprobe -q sch_netem && tc -n $A qdisc add dev tr0 root netem loss 10%; then
	# (ttp_stat needs an agent: one exec instead)
	stat_a() { ip netns exec $A awk -v k="$1" '$1 == k { print $2 }' /proc/net/ttp/stats; }
	rtx0=$(stat_a StreamRetransSegs)
	stream_server 7003 "$TMPD/rtx.out"
	head -c 200000 /dev/zero | ip netns exec $A "$TTPCAT" -t -w 30 10.234.0.2 7003 >/dev/null 2>&1
	wait $srv
	tc -n $A qdisc del dev tr0 root
	check_eq "the transfer completes despite the losses" \
		200000 "$(wc -c <"$TMPD/rtx.out")"
	rtx='ttp_retransmit: 10\.234\.0\.1:[0-9]+ -> 10\.234\.0\.2:7003 seq=[0-9]+ len=[0-9]+ n=[1-9][0-9]* ca=(loss|recovery)$'
	check "ttp_retransmit: segments sent again (ca=loss or recovery)" \
		sh -c "cat $INST/trace | grep -qE '$rtx'"
	n=$(trace | grep -cE "$rtx")
	check_eq "one ttp_retransmit per StreamRetransSegs" \
		$(($(stat_a StreamRetransSegs) - rtx0)) "$n"
else
	skip "the transfer completes despite the losses" "sch_netem not available"
	skip "ttp_retransmit: segments sent again" "sch_netem not available"
	skip "one ttp_retransmit per StreamRetransSegs" "sch_netem not available"
fi
for ev in ttp_probe ttp_window ttp_retransmit; do
	echo 0 > "$INST/events/ttp/$ev/enable"
done
