#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_nf.sh: which devices are TTP-enabled (up + IPv4 address + not a
# bridge port + knob 1) and the ingress hook that sits on them: it counts
# TTP frames (EtherType 0x88B5) and TTP ARP (ptype 0x88B5), ignores the
# kernel's own IPv4/ARP, and runs after nft netdev chains of lower priority.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

A=ttp_nf-a
B=ttp_nf-b

plan 27

ttp_load
ns_add $A
ns_add $B
py_start $A
py_start $B
ip -n $A link add nf0 type ttp
ip -n $A link set nf0-peer netns $B name nfp
ip -n $B addr add 10.230.0.2/24 dev nfp
ip -n $B link set nfp up

set_knob()	# DEV VALUE (in A)
{
	py $A write "/proc/sys/net/ttp/conf/$1/enabled" "$2" >/dev/null
}
# now DEV: "State DevEnabled DevEnables DevDisables" in A
now()
{
	echo "$(ttp_dev_field "$1" State $A) $(ttp_stat DevEnabled $A)" \
	     "$(ttp_stat DevEnables $A) $(ttp_stat DevDisables $A)"
}
read -r _ _ ens dis <<<"$(now nf0)"
# step DESC STATE GAUGE: nf0 reaches STATE; an enable or disable is counted
# when the state enters or leaves "enabled".
prev=down
step()
{
	local want
	[ "$2" = enabled ] && [ "$prev" != enabled ] && ens=$((ens + 1))
	[ "$2" != enabled ] && [ "$prev" = enabled ] && dis=$((dis + 1))
	prev=$2
	want="$2 $3 $ens $dis"
	wait_for '[ "$(now nf0)" = "$want" ]' 3
	check_eq "$1: State $2, DevEnabled $3, DevEnables $ens, DevDisables $dis" \
		"$want" "$(now nf0)"
}

# --- enabled-device rules, one transition at a time ------------------------

step "new ttp end, down" down 0
ip -n $A link set nf0 up
step "up, no address" no-address 0
ip -n $A addr add 10.230.0.1/24 dev nf0
step "address added" enabled 1
ip -n $A link set nf0 down
step "down again" down 0
ip -n $A link set nf0 up
step "up again" enabled 1
ip -n $A addr del 10.230.0.1/24 dev nf0
step "address removed" no-address 0
ip -n $A addr add 10.230.0.1/24 dev nf0
step "address back" enabled 1
ip -n $A link add nfbr0 type bridge
ip -n $A link set nf0 master nfbr0
step "added to a bridge" enslaved 0
ip -n $A link set nf0 nomaster
step "released from the bridge" enabled 1
set_knob nf0 0
step "knob 0" knob-off 0
set_knob nf0 1
step "knob 1" enabled 1

ip -n $A link add nfv0 type veth peer name nfv1 netns $B
ip -n $A addr add 10.231.0.1/24 dev nfv0
ip -n $A link set nfv0 up
ip -n $B link set nfv1 up
check_eq "veth up with an address, knob 0: knob-off" "knob-off 1" \
	"$(ttp_dev_field nfv0 State $A) $(ttp_stat DevEnabled $A)"
set_knob nfv0 1
check "veth with knob 1: enabled, DevEnabled 2" \
	wait_for '[ "$(ttp_dev_field nfv0 State $A) $(ttp_stat DevEnabled $A)" = "enabled 2" ]' 3

# --- what the hook counts -------------------------------------------------

# hook DEV: "NfInTtpFrames NfInArpFrames InTtp InArp" in A
hook()
{
	echo "$(ttp_stat NfInTtpFrames $A) $(ttp_stat NfInArpFrames $A)" \
	     "$(ttp_dev_field "$1" InTtp $A) $(ttp_dev_field "$1" InArp $A)"
}
# after DEV DT DA: the hook counters expected after +DT TTP, +DA ARP frames
after()
{
	read -r t a dt da <<<"$h0"
	echo "$((t + $2)) $((a + $3)) $((dt + $2)) $((da + $3))"
}
send()		# DEV-in-B COUNT [ETHERTYPE [PAYLOAD]]
{
	py $B send "$@" >/dev/null
}
arp_ttp=arp:10.230.0.2:10.230.0.1:0x88b5
arp_ip=arp:10.230.0.2:10.230.0.9:0x0800

h0=$(hook nf0)
send nfp 5
check_eq "5 TTP frames: NfInTtpFrames and InTtp +5" "$(after nf0 5 0)" "$(hook nf0)"
h0=$(hook nf0)
send nfp 4 0x0806 "$arp_ttp"
check_eq "4 ARP frames with ptype 0x88B5: NfInArpFrames and InArp +4" "$(after nf0 0 4)" "$(hook nf0)"
h0=$(hook nf0)
send nfp 3 0x0806 "$arp_ip"
check_eq "3 ordinary ARP frames (ptype 0x0800): not counted" "$h0" "$(hook nf0)"
check "kernel IPv4 ping over the enabled device works" \
	ip netns exec $B busybox ping -c 3 -i 0.2 -W 1 10.230.0.1
check_eq "... and is not counted by TTP" "$h0" "$(hook nf0)"

set_knob nf0 0
rx0=$(link_stats nf0 $A | cut -d' ' -f3)
send nfp 5
send nfp 4 0x0806 "$arp_ttp"
# At least 9: the kernel's own neighbour probes (from the ping above) may
# cross the cable meanwhile on a slow kernel.
rx=$(($(link_stats nf0 $A | cut -d' ' -f3) - rx0))
check_eq "knob 0: 9 frames arrive ($rx >= 9) but are not counted" "$h0 ok" \
	"$(hook nf0) $([ "$rx" -ge 9 ] && echo ok)"
set_knob nf0 1

h0=$(hook nfv0)
send nfv1 3
check_eq "enabled veth: 3 TTP frames counted" "$(after nfv0 3 0)" "$(hook nfv0)"

# --- nft netdev ingress chains run before TTP (priority 100) -------------

nftc()		# CHAIN: packets of the chain's counter rule
{
	ip netns exec $A nft list chain netdev ttp_nf "$1" | grep -o 'packets [0-9]*' | cut -d' ' -f2
}
if command -v nft >/dev/null; then
	ip netns exec $A nft -f - <<-EOF
	table netdev ttp_nf {
		chain c0 {
			type filter hook ingress device nf0 priority 0;
			ether type 0x88b5 counter
		}
	}
	EOF
	h0=$(hook nf0)
	send nfp 6
	check_eq "nft chain at priority 0 counts the 6 frames" 6 "$(nftc c0)"
	check_eq "... and accepts them: TTP counts them too" "$(after nf0 6 0)" "$(hook nf0)"
	ip netns exec $A nft -f - <<-EOF
	table netdev ttp_nf {
		chain c1 {
			type filter hook ingress device nf0 priority -10;
			ether type 0x88b5 counter drop
		}
	}
	EOF
	h0=$(hook nf0)
	send nfp 7
	check_eq "nft chain at priority -10 counts and drops 7 frames" "7 6" "$(nftc c1) $(nftc c0)"
	check_eq "... so TTP (priority 100) sees none of them" "$h0" "$(hook nf0)"

	# The same rule stops real TTP traffic: a datagram B -> A is dropped
	# before TTP can deliver it; without the rule it arrives.
	dgram()		# PORT MSG SECS: B sends MSG to A:PORT; what A got in SECS
	{
		ip netns exec $A "$TTPCAT" -u -l "$1" -n 1 -w "$3" >"$TMPD/rx" 2>&1 &
		local rx=$!
		wait_for '[[ "$(py $A read /proc/net/ttp/sockets)" == *":$1 "* ]]' 3
		ip netns exec $B "$TTPCAT" -u 10.230.0.1 "$1" -m "$2"
		wait "$rx"
		cat "$TMPD/rx"
	}
	c1=$(nftc c1)
	check_eq "a TTP datagram B -> A with the drop rule: never arrives" \
		"ttpcat: recvfrom: Resource temporarily unavailable (EAGAIN)" \
		"$(dgram 7001 dropped 3)"
	check_eq "... and the nft rule counted its frame" $((c1 + 1)) "$(nftc c1)"
	ip netns exec $A nft delete chain netdev ttp_nf c1
	check_eq "without the rule the datagram arrives" \
		"from 10.230.0.2:" "$(dgram 7002 passed $((20 * TTP_TIME_SCALE)) | cut -d' ' -f1-2 | sed 's/:[0-9]*$/:/')"
else
	for i in 1 2 3 4 5 6 7; do skip "nft ordering $i" "nft not installed"; done
fi
