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
CONF=/proc/sys/net/ttp/conf

plan 32

ttp_load
for ns in $N1 $N2 $N3; do
	ns_add "$ns"
	py_start "$ns"
done
for ((i = 0; i < MANY; i++)); do at_exit "ip netns del ttp_netns-m$i"; done
at_exit "ip netns del $N4"

knob()		# NS DEV: DEV's knob
{
	py "$1" read "$CONF/$2/enabled"
}
set_knob()	# NS DEV VALUE: "ok" or the errno name
{
	py "$1" write "$CONF/$2/enabled" "$3"
}
counters()	# NS: all issue-2 counters
{
	local c
	for c in $COUNTERS; do ttp_stat "$c" "$1" || echo "no-$c"; done | xargs
}

# --- the files exist everywhere ------------------------------------------

for ns in "" $N1; do
	where=${ns:-init ns}
	check "[$where] /proc/net/ttp/{stats,devices} and /proc/sys/net/ttp exist" eval \
		'ns_test "$ns" /proc/net/ttp/stats && ns_test "$ns" /proc/net/ttp/devices &&
		 ns_test "$ns" /proc/sys/net/ttp'
	check_eq "[$where] stats: first line" "Name Value" "$(ns_cat "$ns" /proc/net/ttp/stats | head -1)"
	check "[$where] stats: the issue-2 counters, numeric" \
		grep -Eqx '[0-9]+( [0-9]+){5}' <<<"$(counters "$ns")"
	check_eq "[$where] devices: header" "Iface Ifindex Kind Knob State InTtp InArp" \
		"$(ns_cat "$ns" /proc/net/ttp/devices | head -1 | xargs)"
done
check_eq "a fresh netns starts with zero counters" "0 0 0 0 0 0" "$(counters $N3)"

# --- counters are per namespace ------------------------------------------

ip -n $N1 -b - <<EOF
link add nt0 type ttp
link set nt0-peer netns $N2 name nt1
addr add 10.220.0.1/24 dev nt0
link set nt0 up
EOF
ip -n $N2 addr add 10.220.0.2/24 dev nt1
ip -n $N2 link set nt1 up
snap()		# NAME: the counter in init, N1, N2, N3
{
	echo "$(ttp_stat "$1") $(ttp_stat "$1" $N1) $(ttp_stat "$1" $N2) $(ttp_stat "$1" $N3)"
}
check_eq "DevEnabled per netns (init, $N1, $N2, $N3)" \
	"$(ttp_stat DevEnabled) 1 1 0" "$(snap DevEnabled)"
read -r a b c d <<<"$(snap NfInTtpFrames)"
py $N2 send nt1 6 >/dev/null
check_eq "6 TTP frames into $N1 move only $N1's NfInTtpFrames" \
	"$a $((b + 6)) $c $d" "$(snap NfInTtpFrames)"
read -r a b c d <<<"$(snap SockCreateUnsupported)"
py $N2 sock 25 5 >/dev/null	# SOCK_SEQPACKET: no such TTP socket
py $N2 sock 25 3 >/dev/null
check_eq "2 socket() calls in $N2 move only $N2's SockCreateUnsupported" \
	"$a $b $((c + 2)) $d" "$(snap SockCreateUnsupported)"

# --- the per-device knob ---------------------------------------------------

ip -n $N3 -b - <<EOF
link add nk0 type ttp
link add nv0 type veth peer name nv1
EOF
has_knobs()	# NS DEV...
{
	local ns=$1 d
	shift
	for d in "$@"; do ns_test "$ns" "$CONF/$d/enabled" || return 1; done
}
check "conf/<dev>/enabled for both ttp ends and both veth ends" \
	has_knobs $N3 nk0 nk0-peer nv0 nv1
check "no knob and no devices line for lo (not Ethernet)" \
	eval '! ns_test $N3 $CONF/lo && ! ttp_dev_field lo Kind $N3'
check_eq "knob defaults: ttp 1 1, veth 0 0" "1 1 0 0" \
	"$(knob $N3 nk0) $(knob $N3 nk0-peer) $(knob $N3 nv0) $(knob $N3 nv1)"
check_eq "devices: Kind and Knob columns" "ttp 1 veth 0" \
	"$(ttp_dev_field nk0 Kind $N3) $(ttp_dev_field nk0 Knob $N3) $(ttp_dev_field nv0 Kind $N3) $(ttp_dev_field nv0 Knob $N3)"
set_knob $N3 nk0 0 >/dev/null
set_knob $N3 nv0 1 >/dev/null
check_eq "writing 0 and 1 works (and shows in devices)" "0 1 0 1" \
	"$(knob $N3 nk0) $(knob $N3 nv0) $(ttp_dev_field nk0 Knob $N3) $(ttp_dev_field nv0 Knob $N3)"
for v in 2 -1 x; do
	check_eq "writing '$v' fails with EINVAL, value unchanged" "EINVAL 1" \
		"$(set_knob $N3 nv0 "$v") $(knob $N3 nv0)"
done

ip -n $N3 link set nv0 name nv0r
check "rename: conf/nv0r has the knob (1), conf/nv0 is gone" \
	eval '[ "$(knob $N3 nv0r)" = 1 ] && ! ns_test $N3 $CONF/nv0'
check_eq "rename: devices shows nv0r, not nv0" "veth -" \
	"$(ttp_dev_field nv0r Kind $N3) $(ttp_dev_field nv0 Kind $N3 || echo -)"
ip -n $N3 link set nk0-peer netns $N2
check "netns move: the knob leaves with the device" \
	eval '! ns_test $N3 $CONF/nk0-peer && [ "$(knob $N2 nk0-peer)" = 1 ] &&
	      [ "$(ttp_dev_field nk0-peer Kind $N2)" = ttp ]'
ip -n $N3 link del nv0r
check "delete: both veth knobs and devices lines are gone" \
	eval '! ns_test $N3 $CONF/nv0r && ! ns_test $N3 $CONF/nv1 && ! ttp_dev_field nv1 Kind $N3'

# --- netns deletion -------------------------------------------------------

# baseline: init-ns ttp devices, lines of its devices file, module refcount
baseline()
{
	echo "$(ttp_devices "" | wc -l) $(wc -l </proc/net/ttp/devices) $(</sys/module/ttp/refcnt)"
}
base=$(baseline)
ns_add $N4
ip link add ntd0 type ttp
ip link set ntd0-peer netns $N4
ip -n $N4 -b - <<EOF
link add ntd1 type ttp
link add ntv0 type veth peer name ntv1
addr add 10.221.0.1/32 dev ntd0-peer
addr add 10.221.0.1/32 dev ntd1
addr add 10.221.0.1/32 dev ntd1-peer
addr add 10.221.0.1/32 dev ntv0
link set ntd0-peer up
link set ntd1 up
link set ntd1-peer up
link set ntv0 up
EOF
ip netns exec $N4 sh -c "echo 1 > $CONF/ntv0/enabled; cat /proc/net/ttp/stats" >"$TMPD/n4"
check_eq "$N4 has 4 TTP-enabled devices" "DevEnabled 4" "$(grep DevEnabled "$TMPD/n4")"
ip netns del $N4
check "$N4 deleted: the cable end it held in the init ns goes (netns freed)" \
	wait_for '! link_exists ntd0' 10
check_eq "init ns back to baseline (ttp devices, devices lines, module refcnt)" \
	"$base" "$(baseline)"

many()
{
	local i
	for ((i = 0; i < MANY; i++)); do
		ip netns add ttp_netns-m$i &&
		ip -b - <<-EOF || return 1
			link add ntm$i type ttp
			link set ntm$i-peer netns ttp_netns-m$i
			link set ntm$i up
		EOF
		ip -n ttp_netns-m$i link set ntm$i-peer up || return 1
	done
	for ((i = 0; i < MANY; i++)); do
		ip netns del ttp_netns-m$i
	done
	wait_for '[ "$(baseline)" = "$base" ]' 20 || { echo "$(baseline) != $base"; return 1; }
}
check "$MANY namespaces with cables created and deleted: back to baseline" many

check "the module unloads after all that" rmmod ttp
check_fail "no /proc/net/ttp in a live netns without the module" ns_test $N1 /proc/net/ttp
check "and loads again" insmod "$TTP_KO"
check_eq "the existing netns has fresh zero counters" "0 0 0 0 0 0" "$(counters $N1)"
