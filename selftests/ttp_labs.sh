#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_labs.sh: the labs (scripts/lab-arp, scripts/lab-router) show what
# they say they show.  Each lab runs as a student would see it (--inside,
# as the VM runs it), with LAB_CHECK=1: next to every table, capture or
# counter it shows, it prints "EVIDENCE KEY VALUE", taken from that same
# output.  Each value is compared here with what the lab's text tells the
# students (the expected cache states, frames, TTLs, errnos and counter
# changes), so a lab whose output would contradict its explanations
# fails.  Also: the lab exits 0, prints exactly the evidence expected,
# finishes in time and leaves no namespace or trace instance behind.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Each lab runs in ~30 s in the TCG VM; the bound leaves room.
LAB_BUDGET=$((90 * TTP_TIME_SCALE))

ttp_load
# The TTL TTP hosts start with (the lab does not change it before step 5).
ns_add ttp_labs-x
TTL=$(ip netns exec ttp_labs-x cat /proc/sys/net/ttp/default_ttl)

# KEY|WANT|WHAT: the evidence a lab must print.  WANT "~RE" is an ERE the
# whole value must match.
ARP_WANT=(
	"arp.a.before|none|step 2: A's cache is empty"
	"arp.a.sent|INCOMPLETE queue=1 probes=1|step 4: just after the send: INCOMPLETE, the datagram queued, 1 probe"
	"arp.a.resolved|REACHABLE 02:00:00:00:00:0b queue=0|step 4: then REACHABLE at B's MAC, queue empty"
	"b.got|~^from 10\.0\.0\.1:[0-9]+ len 5: hello$|step 4: B received A's datagram"
	"arp.b|STALE 02:00:00:00:00:0a|step 4: B learnt A from the request (STALE)"
	"arp.c|none|step 4: C learnt nothing"
	"capture.c.frames|1|step 5: C's tcpdump saw one frame"
	"capture.c.first|02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff|step 5: ... A's broadcast"
	"capture.a.1|02:00:00:00:00:0a ff:ff:ff:ff:ff:ff ARP Who has 0a000002? Tell 0a000001|step 5: tshark: A's broadcast request"
	"capture.a.2|02:00:00:00:00:0b 02:00:00:00:00:0a ARP 0a000002 is at 02:00:00:00:00:0b|step 5: tshark: B's unicast reply"
	"capture.a.3|~^02:00:00:00:00:0a 02:00:00:00:00:0b UDP [0-9]+ → 7777 Len=5$|step 5: tshark: the datagram, A's MAC to B's"
	"c.nf|arp=1 ttp=0|step 5: C's counters: one TTP ARP frame, no TTP frame"
	"arp.a.aged|STALE 02:00:00:00:00:0b|step 6: after arp_reachable_ms: STALE, MAC kept"
	"trace.10.0.0.2|NONE>INCOMPLETE,INCOMPLETE>REACHABLE,REACHABLE>STALE|step 6: the tracepoint: A's entry for B"
	"trace.10.0.0.1|NONE>STALE|step 6: the tracepoint: B's entry for A"
	"ttpcat.missing|rc=1 EHOSTUNREACH|step 7: 10.0.0.9: ttpcat fails with EHOSTUNREACH"
	"arp.a.missing|FAILED probes=3|step 7: FAILED after 3 probes"
	"trace.10.0.0.9|NONE>INCOMPLETE,INCOMPLETE>FAILED|step 7: the tracepoint: INCOMPLETE -> FAILED"
	"arp.a.static|PERMANENT 02:00:00:00:00:0c|step 8: the static entry is PERMANENT"
	"c.got|~^from 10\.0\.0\.1:[0-9]+ len 6: static$|step 8: C received through the static entry"
	"static.arp|requests=0 c_arp_frames=0|step 8: ... with no ARP request"
	"arp.c.after|none|step 8: C still knows nobody"
	"trace.10.0.0.3|NONE>PERMANENT|step 8: the tracepoint: NONE -> PERMANENT"
	"counters.ArpOutRequests|4 0 0|step 9: ArpOutRequests (A B C)"
	"counters.ArpInRequests|0 4 4|step 9: ArpInRequests (A B C)"
	"counters.ArpOutReplies|0 1 0|step 9: ArpOutReplies (A B C)"
	"counters.ArpInReplies|1 0 0|step 9: ArpInReplies (A B C)"
	"counters.ArpResolveFailed|1 0 0|step 9: ArpResolveFailed (A B C)"
	"neigh.a|empty|step 10: ip neigh is empty"
)
ROUTER_WANT=(
	"route.a|default via 10.0.1.1 dev eth0|step 1: A's default route via R"
	"routeget.a|10.0.2.2 via 10.0.1.1 dev eth0|step 2: next hop for B is R"
	"ttpcat.a|rc=0|step 3: A's datagram and B's echo made it"
	"b.got|from 10.0.1.2|step 3: B saw A's address as the source"
	"r.forwarded|2|step 3: R: IpForwDatagrams +2"
	"arp.a|10.0.1.1 02:00:00:00:01:01 REACHABLE|step 4: A's cache: only R, at R's MAC"
	"arp.r.b|02:00:00:00:02:02 eth1|step 4: R resolved B on eth1"
	"capture.a.arp|ff:ff:ff:ff:ff:ff Who has 0a000101? Tell 0a000102|step 5: A's broadcast asks for R"
	"capture.a.out|02:00:00:00:01:02 02:00:00:00:01:01 10.0.1.2 10.0.2.2 $TTL|step 5: A's cable: to R's MAC, B's IP, TTL $TTL"
	"capture.a.back|02:00:00:00:01:01 02:00:00:00:01:02 10.0.2.2 10.0.1.2 $((TTL - 1))|step 5: A's cable: the echo, TTL $((TTL - 1))"
	"capture.b.arp|02:00:00:00:02:01 Who has 0a000202? Tell 0a000201|step 5: R asks for B from eth1"
	"capture.b.in|02:00:00:00:02:01 02:00:00:00:02:02 10.0.1.2 10.0.2.2 $((TTL - 1))|step 5: B's cable: R's eth1 MAC to B, TTL $((TTL - 1))"
	"capture.b.out|02:00:00:00:02:02 02:00:00:00:02:01 10.0.2.2 10.0.1.2 $TTL|step 5: B's cable: the echo, TTL $TTL"
	"ttpcat.ttl1|rc=1 EHOSTUNREACH|step 6: TTL 1: EHOSTUNREACH for A"
	"ttl1.r|expired=1 sent=1 forwarded=0|step 6: R: IpTtlExpired, CtlOutTimeExcds +1, nothing forwarded"
	"ttl1.a|received=1|step 6: A: CtlInTimeExcds +1"
	"ttl1.b|frames=0|step 6: nothing reached B"
	"capture.ttl.out|10.0.1.2 10.0.2.2 ttl=1|step 6: tshark: A's packet with TTL 1"
	"capture.ttl.back|10.0.1.1 10.0.1.2 proto=1 type=11 code=0|step 6: tshark: R's time exceeded"
	"ttpcat.off|rc=1 EAGAIN|step 7: forwarding off: A hears nothing"
	"off.r|disabled=1 addr_errors=1 forwarded=0|step 7: R: IpForwDisabled, IpInAddrErrors +1"
	"off.ab|a_ctl=0 b_frames=0|step 7: no control message for A, nothing at B"
)

plan $((11 + ${#ARP_WANT[@]} + ${#ROUTER_WANT[@]}))

# run_lab NAME: run scripts/NAME inside this VM, output in $TMPD/NAME.out.
run_lab()
{
	local t0=$SECONDS
	LAB_CHECK=1 STEP=0 timeout $((LAB_BUDGET + 60)) \
		"$TTP_TOP/scripts/$1" --inside >"$TMPD/$1.out" 2>&1 </dev/null
	LAB_RC=$?
	LAB_SECS=$((SECONDS - t0))
}

# ev NAME KEY: the value of the lab's EVIDENCE KEY line ("missing").
ev()
{
	local tag k v
	while read -r tag k v; do
		[ "$tag" = EVIDENCE ] && [ "$k" = "$2" ] && { echo "$v"; return; }
	done <"$TMPD/$1.out"
	echo missing
}

# keys NAME: the evidence keys the lab printed, sorted.
keys()
{
	local tag k v
	while read -r tag k v; do
		[ "$tag" = EVIDENCE ] && echo "$k"
	done <"$TMPD/$1.out" | sort
}

# questions NAME: the lab ends with its questions for the students.
questions()
{
	local out
	out=$(sed -n '/== Questions/,$p' "$TMPD/$1.out")
	[ "$(grep -cE '^  [0-9]+\. ' <<<"$out")" -ge 5 ] || { echo "$out"; return 1; }
}

# check_lab NAME WANT...: the checks for one lab.
check_lab()
{
	local name=$1 w key want what got
	shift
	if [ "$LAB_RC" = 0 ]; then
		ok "$name: exits 0"
	else
		fail "$name: exits 0" "status $LAB_RC; the end of its output:"$'\n'"$(tail -n 30 "$TMPD/$name.out")"
	fi
	check_fn "$name: ends with questions for the students" questions "$name"
	check "$name: done in ${LAB_SECS}s (at most ${LAB_BUDGET}s)" \
		test "$LAB_SECS" -le "$LAB_BUDGET"
	check_eq "$name: printed each expected evidence key once, no other" \
		"$(for w; do echo "${w%%|*}"; done | sort)" "$(keys "$name")"
	for w; do
		key=${w%%|*}
		want=${w#*|}
		what=${want#*|}
		want=${want%%|*}
		got=$(ev "$name" "$key")
		if [[ $want == "~"* ]]; then
			if [[ $got =~ ${want#\~} ]]; then
				ok "$name: $what"
			else
				fail "$name: $what" "$key: want /${want#\~}/"$'\n'"got  '$got'"
			fi
		else
			check_eq "$name: $what" "$want" "$got"
		fi
	done
}

# ---- lab-arp -----------------------------------------------------------------

run_lab lab-arp
check_lab lab-arp "${ARP_WANT[@]}"
check_eq "lab-arp: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^arp-(a|b|c|sw)( |$)')"
check "lab-arp: its trace instance is gone" \
	test ! -e /sys/kernel/tracing/instances/ttp-lab-arp

# ---- lab-router --------------------------------------------------------------

run_lab lab-router
check_lab lab-router "${ROUTER_WANT[@]}"
check_eq "lab-router: its namespaces are gone" "" \
	"$(ip netns list | grep -E '^rt-(a|r|b)( |$)')"
