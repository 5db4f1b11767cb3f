#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_netns.sh: TTP's per-namespace state: /proc/net/ttp and
# /proc/sys/net/ttp in every namespace, per-namespace counters, the
# per-device "enabled" knob (defaults, EINVAL, rename, move, delete), and
# namespace deletion without leaks, after which the module still unloads.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

N1=ttp_netns-a
N2=ttp_netns-b
N3=ttp_netns-c
N4=ttp_netns-d
MANY=10
COUNTERS="NfInTtpFrames NfInArpFrames DevEnabled DevEnables DevDisables SockCreateUnsupported"

plan 32

ttp_load
for ns in $N1 $N2 $N3; do ns_add "$ns"; done
for ((i = 0; i < MANY; i++)); do at_exit "ip netns del ttp_netns-m$i"; done
at_exit "ip netns del $N4"

knob()		# NS DEV: the value of DEV's knob
{
	ip netns exec "$1" cat "/proc/sys/net/ttp/conf/$2/enabled" 2>&1
}
set_knob()	# NS DEV VALUE: write the knob; prints the error, if any
{
	ip netns exec "$1" sh -c "echo '$3' > /proc/sys/net/ttp/conf/$2/enabled" 2>&1
}
has_counters()	# NS
{
	local c v
	for c in $COUNTERS; do
		v=$(ttp_stat "$c" "$1") || { echo "no $c"; return 1; }
		[[ $v =~ ^[0-9]+$ ]] || { echo "$c: '$v'"; return 1; }
	done
}

# --- the files exist everywhere ------------------------------------------

for ns in "" $N1; do
	where=${ns:-init ns}
	check "[$where] /proc/net/ttp/{stats,devices} and /proc/sys/net/ttp exist" \
		in_ns "$ns" test -r /proc/net/ttp/stats -a -r /proc/net/ttp/devices -a -d /proc/sys/net/ttp
	check_eq "[$where] stats: first line" "Name Value" "$(in_ns "$ns" head -1 /proc/net/ttp/stats)"
	check "[$where] stats: the issue-2 counters, numeric" has_counters "$ns"
	check_eq "[$where] devices: header" "Iface Ifindex Kind Knob State InTtp InArp" \
		"$(in_ns "$ns" head -1 /proc/net/ttp/devices | xargs)"
done
check_eq "a fresh netns starts with zero counters" "0 0 0 0 0 0" \
	"$(for c in $COUNTERS; do ttp_stat "$c" $N3; done | xargs)"

# --- counters are per namespace ------------------------------------------

ip -n $N1 link add nt0 type ttp
ip -n $N1 link set nt0-peer netns $N2 name nt1
ip -n $N1 addr add 10.220.0.1/24 dev nt0
ip -n $N2 addr add 10.220.0.2/24 dev nt1
ip -n $N1 link set nt0 up
ip -n $N2 link set nt1 up
snap()		# NAME: the counter in init, N1, N2, N3
{
	echo "$(ttp_stat "$1") $(ttp_stat "$1" $N1) $(ttp_stat "$1" $N2) $(ttp_stat "$1" $N3)"
}
check_eq "DevEnabled per netns (init, $N1, $N2, $N3)" \
	"$(ttp_stat DevEnabled) 1 1 0" "$(snap DevEnabled)"
t0=$(snap NfInTtpFrames)
ip netns exec $N2 pkt_send nt1 6 >/dev/null
read -r a b c d <<<"$t0"
check_eq "6 TTP frames into $N1 move only $N1's NfInTtpFrames" \
	"$a $((b + 6)) $c $d" "$(snap NfInTtpFrames)"
s0=$(snap SockCreateUnsupported)
ip netns exec $N2 sock_errno 25 1 >/dev/null
ip netns exec $N2 sock_errno 25 2 >/dev/null
read -r a b c d <<<"$s0"
check_eq "2 socket() calls in $N2 move only $N2's SockCreateUnsupported" \
	"$a $b $((c + 2)) $d" "$(snap SockCreateUnsupported)"

# --- the per-device knob ---------------------------------------------------

ip -n $N3 link add nk0 type ttp
ip -n $N3 link add nv0 type veth peer name nv1
check "conf/<dev>/enabled for both ttp ends and both veth ends" \
	ip netns exec $N3 test -f /proc/sys/net/ttp/conf/nk0/enabled \
		-a -f /proc/sys/net/ttp/conf/nk0-peer/enabled \
		-a -f /proc/sys/net/ttp/conf/nv0/enabled -a -f /proc/sys/net/ttp/conf/nv1/enabled
check "no knob and no devices line for lo (not Ethernet)" \
	eval '! ip netns exec $N3 test -e /proc/sys/net/ttp/conf/lo && ! ttp_dev_field lo Kind $N3'
check_eq "knob defaults: ttp 1 1, veth 0 0" "1 1 0 0" \
	"$(knob $N3 nk0) $(knob $N3 nk0-peer) $(knob $N3 nv0) $(knob $N3 nv1)"
check_eq "devices: Kind and Knob columns" "ttp 1 veth 0" \
	"$(ttp_dev_field nk0 Kind $N3) $(ttp_dev_field nk0 Knob $N3) $(ttp_dev_field nv0 Kind $N3) $(ttp_dev_field nv0 Knob $N3)"
set_knob $N3 nk0 0
set_knob $N3 nv0 1
check_eq "writing 0 and 1 works (and shows in devices)" "0 1 0 1" \
	"$(knob $N3 nk0) $(knob $N3 nv0) $(ttp_dev_field nk0 Knob $N3) $(ttp_dev_field nv0 Knob $N3)"
for v in 2 -1 x; do
	err=$(set_knob $N3 nv0 "$v")
	check "writing '$v' fails with EINVAL, value unchanged" \
		test -n "$(grep -i 'invalid argument' <<<"$err")" -a "$(knob $N3 nv0)" = 1
done

ip -n $N3 link set nv0 name nv0r
check "rename: conf/nv0r has the knob (1), conf/nv0 is gone" \
	eval '[ "$(knob $N3 nv0r)" = 1 ] && ! ip netns exec $N3 test -e /proc/sys/net/ttp/conf/nv0'
check_eq "rename: devices shows nv0r, not nv0" "veth -" \
	"$(ttp_dev_field nv0r Kind $N3) $(ttp_dev_field nv0 Kind $N3 || echo -)"
ip -n $N3 link set nk0-peer netns $N2
check "netns move: the knob leaves with the device" \
	eval '! ip netns exec $N3 test -e /proc/sys/net/ttp/conf/nk0-peer &&
	      [ "$(knob $N2 nk0-peer)" = 1 ] && [ "$(ttp_dev_field nk0-peer Kind $N2)" = ttp ]'
ip -n $N3 link del nv0r
check "delete: both veth knobs and devices lines are gone" \
	eval '! ip netns exec $N3 test -e /proc/sys/net/ttp/conf/nv0r -o -e /proc/sys/net/ttp/conf/nv1 &&
	      ! ttp_dev_field nv1 Kind $N3'

# --- netns deletion -------------------------------------------------------

# baseline: init-ns ttp devices, lines of its devices file, module refcount
baseline()
{
	echo "$(ttp_devices "" | wc -l) $(wc -l </proc/net/ttp/devices) $(cat /sys/module/ttp/refcnt)"
}
base=$(baseline)
ns_add $N4
ip link add ntd0 type ttp
ip link set ntd0-peer netns $N4
ip -n $N4 link add ntd1 type ttp
ip -n $N4 link add ntv0 type veth peer name ntv1
for d in ntd0-peer ntd1 ntd1-peer ntv0; do
	ip -n $N4 addr add 10.221.0.1/32 dev $d
	ip -n $N4 link set $d up
	set_knob $N4 $d 1
done
check_eq "$N4 has 4 TTP-enabled devices" 4 "$(ttp_stat DevEnabled $N4)"
check "$N4 deleted: the cable end it held in the init ns goes (netns freed)" \
	eval 'ip netns del $N4 && wait_for "! link_exists ntd0" 10'
check_eq "init ns back to baseline (ttp devices, devices lines, module refcnt)" \
	"$base" "$(baseline)"

many()
{
	local i
	for ((i = 0; i < MANY; i++)); do
		ip netns add ttp_netns-m$i &&
		ip link add ntm$i type ttp &&
		ip link set ntm$i-peer netns ttp_netns-m$i &&
		ip -n ttp_netns-m$i link add ntn$i type ttp || return 1
	done
	for ((i = 0; i < MANY; i++)); do
		ip netns del ttp_netns-m$i
	done
	wait_for '[ "$(baseline)" = "$base" ]' 20 || { echo "$(baseline) != $base"; return 1; }
}
check "$MANY namespaces with cables created and deleted: back to baseline" many

check "the module unloads after all that" rmmod ttp
check_fail "no /proc/net/ttp in a live netns without the module" ip netns exec $N1 test -e /proc/net/ttp
check "and loads again" insmod "$TTP_KO"
check_eq "the existing netns has fresh zero counters" "0 0 0 0 0 0" \
	"$(for c in $COUNTERS; do ttp_stat "$c" $N1; done | xargs)"
