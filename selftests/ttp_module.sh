#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_module.sh: the module loads and unloads cleanly, again and again, with
# and without live cables, enabled devices, namespaces and socket attempts;
# bad "family" parameters are refused without side effects; family=19
# works; the autoload aliases are in the .ko.  Leaves ttp loaded with the
# default parameters.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CYCLES=20
NSA=ttp_module-a
NSB=ttp_module-b
NSC=ttp_module-c

plan 24

# Whatever happens, end with the module loaded with its default family.
restore_default()
{
	if ttp_loaded && [ "$(</sys/module/ttp/parameters/family)" != 25 ]; then
		rmmod ttp
	fi
	ttp_load
}
at_exit restore_default

# ttp_gone [NS...]: no ttp device, no /proc/net/ttp, no /proc/sys/net/ttp
# in the init namespace and in each NS (which must have an agent).
ttp_gone()
{
	local ns
	[ ! -e /sys/module/ttp ] || { echo "/sys/module/ttp still there"; return 1; }
	[ -z "$(ttp_devices "")" ] || { echo "ttp devices left in the init ns"; return 1; }
	for ns in "" "$@"; do
		! ns_test "$ns" /proc/net/ttp || { echo "/proc/net/ttp left in '$ns'"; return 1; }
		! ns_test "$ns" /proc/sys/net/ttp || { echo "/proc/sys/net/ttp left in '$ns'"; return 1; }
		[ -n "$ns" ] || continue
		! grep -Eq '^ *(tmod[0-9a]|ttp[0-9])' <<<"$(py "$ns" read /proc/net/dev)" ||
			{ echo "ttp devices left in $ns"; return 1; }
	done
}

# --- aliases and default parameter --------------------------------------

aliases=$(modinfo -F alias "$TTP_KO")
check "modinfo: alias net-pf-25 (socket() autoload)" grep -qx net-pf-25 <<<"$aliases"
check "modinfo: alias rtnl-link-ttp (ip link add autoload)" grep -qx rtnl-link-ttp <<<"$aliases"

ttp_load
check_eq "default family parameter is 25" 25 "$(</sys/module/ttp/parameters/family)"

# --- plain unload/load cycles --------------------------------------------

plain_cycles()
{
	local i
	for ((i = 1; i <= CYCLES; i++)); do
		rmmod ttp || { echo "cycle $i: rmmod failed"; return 1; }
		ttp_gone || { echo "cycle $i"; return 1; }
		insmod "$TTP_KO" || { echo "cycle $i: insmod failed"; return 1; }
		[ -r /proc/net/ttp/stats ] || { echo "cycle $i: no /proc/net/ttp/stats"; return 1; }
	done
}
check "$CYCLES plain rmmod/insmod cycles, nothing left behind" plain_cycles

# --- unload/load cycles with live objects --------------------------------

ns_add $NSA
ns_add $NSB
at_exit "ip netns del $NSC"
ip netns del $NSC 2>/dev/null
ip -n $NSB link add tmodv0 type veth peer name tmodv1
ip -n $NSB addr add 10.201.9.1/24 dev tmodv0
ip -n $NSB link set tmodv0 up
py_start ""
py_start $NSA
py_start $NSB

# live_objects: cables in the init ns, across namespaces and inside a
# namespace created after the load; TTP-enabled ends; a veth with knob 1.
live_objects()
{
	ip netns add $NSC || return 1
	ip -b - <<-EOF || return 1
		link add tmod0 type ttp
		link set tmod0 up
		link set tmod0-peer up
		addr add 10.201.0.1/24 dev tmod0
		link add tmod1 type ttp
		link set tmod1 up
		link set tmod1-peer netns $NSA name tmoda
	EOF
	ip -n $NSA -b - <<-EOF || return 1
		link set tmoda up
		addr add 10.201.1.2/24 dev tmoda
		link add tmod2 type ttp
		link set tmod2-peer netns $NSB
	EOF
	ip -n $NSC -b - <<-EOF || return 1
		link add tmod3 type ttp
		link set tmod3 up
		link set tmod3-peer up
		addr add 10.201.3.1/24 dev tmod3
	EOF
	[ "$(py $NSB write /proc/sys/net/ttp/conf/tmodv0/enabled 1)" = ok ]
}

sock_results=""
live_cycles()
{
	local i
	for ((i = 1; i <= CYCLES; i++)); do
		live_objects || { echo "cycle $i: setting up objects failed"; return 1; }
		[ "$(ttp_dev_field tmodv0 State $NSB)" = enabled ] ||
			{ echo "cycle $i: the veth is not enabled"; return 1; }
		# A datagram socket is held in $NSA across the cycle's setup;
		# rmmod rightly fails while it is open: release first.
		sock_results+="$(py "" sock 25 1 0 hold) $(py $NSA sock 25 2 0 hold) "
		py "" release >/dev/null
		py $NSA release >/dev/null
		rmmod ttp || { echo "cycle $i: rmmod with live objects failed"; return 1; }
		ttp_gone $NSA $NSB || { echo "cycle $i"; return 1; }
		[ -z "$(ttp_devices $NSC)" ] || { echo "cycle $i: ttp devices left in $NSC"; return 1; }
		link_exists tmodv0 $NSB || { echo "cycle $i: the veth vanished"; return 1; }
		ip netns del $NSC
		insmod "$TTP_KO" || { echo "cycle $i: insmod failed"; return 1; }
	done
}
check_fn "$CYCLES rmmod with cables, enabled devices and namespaces alive" live_cycles
ttp_load	# in case a cycle failed half-way
check_eq "each cycle: a stream socket (init ns) and a datagram socket (netns) made" \
	"$(for ((i = 0; i < CYCLES; i++)); do printf 'ok ok '; done)" "$sock_results"
check "after the cycles, the existing netns has /proc/net/ttp again" \
	ns_test $NSA /proc/net/ttp/stats
check "after the cycles, a cable can be created in the netns" \
	ip -n $NSA link add tmod9 type ttp

# --- bad family parameters -----------------------------------------------

rmmod ttp
for v in 0 -1 46 1000 abc; do
	check_eq "family=$v refused with EINVAL" EINVAL "$(py "" finit "$TTP_KO" family="$v")"
done
check "nothing left behind by the refused loads" ttp_gone $NSA

echo "ttp_module: mark" >/dev/kmsg
check_eq "family=2 (AF_INET's slot) refused with EEXIST" EEXIST \
	"$(py "" finit "$TTP_KO" family=2)"
check "dmesg says the family slot is taken" \
	grep -Eiq 'ttp.*(taken|in use|already)' <<<"$(dmesg | sed -n '/ttp_module: mark$/,$p')"
gone_and_inet_ok()
{
	ttp_gone $NSA && [ "$(py "" sock 2 1)" = ok ]
}
check "nothing left behind, and AF_INET still works" gone_and_inet_ok

# --- family=19 -----------------------------------------------------------

check_eq "family=19 loads" ok "$(py "" finit "$TTP_KO" family=19)"
check_eq "parameters/family reads 19" 19 "$(cat /sys/module/ttp/parameters/family 2>&1)"
check_eq "socket(19, SOCK_STREAM) works" ok "$(py "" sock 19 1)"
check_eq "socket(25, SOCK_STREAM) -> EAFNOSUPPORT while on 19" EAFNOSUPPORT "$(py "" sock 25 1)"
rmmod ttp

check "default load after all that" insmod "$TTP_KO"
check_eq "socket(25, SOCK_STREAM) works with the default" \
	ok "$(py "" sock 25 1)"
check_eq "socket(19, SOCK_STREAM) -> EAFNOSUPPORT with the default" EAFNOSUPPORT "$(py "" sock 19 1)"
