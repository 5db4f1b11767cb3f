#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_interop.sh: TTP datagrams <-> the kernel's own UDP over the
# translating cable (scripts/ttp-xcable, Documentation/interop.md).
#
#   T (TTP host, xt 10.236.0.1/24) ==== xl 10.236.0.2/24 (X, Linux host)
#   T's egress re-types 0x88B5 -> 0x0800, X's egress 0x0800 -> 0x88B5.
#
#   setup:    the script's ends: TTP on T's end and off on X's, the static
#             TTP ARP and ip neigh entries, --help;
#   UDP:      ttpcat -> a Linux UDP socket and back, payload and source
#             address:port exact, each side's checksum counters unmoved
#             (each verified the other's checksum); request/response both
#             ways; 1472-byte datagrams (MTU 1500) both ways;
#   errors:   a connected TTP socket gets ECONNREFUSED from Linux's ICMP
#             port unreachable; a connected Linux UDP socket gets
#             ECONNREFUSED from TTP's control message;
#   drops:    a bad UDP checksum is dropped either way; Linux's fragments
#             (a 1473-byte datagram) are dropped by TTP, which never
#             reassembles;
#   ping:     Linux's ping is answered by TTP's control layer, not T's
#             kernel; T's kernel IPv4 (its ARP) never reaches X;
#   del:      both ends, the filters and both static entries go.
#
# Counters and /proc files are read through /proc/PID/net of one sleeping
# process per namespace (a bash read, no exec); Linux sockets and raw frames
# go through the python3 agent of lib.sh, with the commands below added.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

T=ttp_interop-t
X=ttp_interop-x
TA=10.236.0.1
XA=10.236.0.2
TD=xt
XD=xl
XCABLE=$TTP_TOP/scripts/ttp-xcable

plan 25

# Agent commands for this test (lib.sh's agent runs every c_NAME it finds):
# Linux UDP sockets by name, and IPv4/UDP frames built byte by byte.
_PY_AGENT='
import errno, socket, struct, threading
udp = {}

def data(spec):             # "x*1472" or a literal word
    c, _, n = spec.partition("*")
    return c.encode() * int(n) if n else spec.encode()

def fromline(b, a):             # the format of ttpcat -l
    return "from %s:%d len %d: %s" % (a[0], a[1], len(b), b.decode())

def c_ubind(name, addr="0.0.0.0", port="0"):
    s = udp.get(name) or socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp[name] = s
    s.bind((addr, int(port)))
    return "ok"

def c_uconnect(name, addr, port):
    udp[name].connect((addr, int(port)))
    return "ok"

def c_usend(name, spec, addr="", port=""):
    s, b = udp[name], data(spec)
    return str(s.sendto(b, (addr, int(port))) if addr else s.send(b))

def c_urecv(name, secs, echo=""):   # one datagram; echo="echo" sends it back
    s = udp[name]
    s.settimeout(float(secs))
    try:
        b, a = s.recvfrom(65536)
    except socket.timeout:
        raise OSError(errno.ETIMEDOUT, "timeout")
    if echo:
        s.sendto(b, a)
    return fromline(b, a)

def c_uclose(name):
    udp.pop(name).close()
    return "ok"

def csum(b):
    b += bytes(len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def c_rawudp(dev, etype, dmac, src, dst, sport, dport, spec, bad=""):
    """one IPv4/UDP frame with EtherType etype; bad=1: wrong UDP checksum"""
    p = data(spec)
    sa, da = socket.inet_aton(src), socket.inet_aton(dst)
    u = struct.pack("!HHHH", int(sport), int(dport), 8 + len(p), 0) + p
    c = csum(sa + da + struct.pack("!BBH", 0, 17, len(u)) + u) or 0xffff
    if bad:
        c = c ^ 0x5555
    u = u[:6] + struct.pack("!H", c) + u[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 1, 0x4000, 64,
                     17, 0, sa, da)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    t = int(etype, 0)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(t))
    s.bind((dev, t))
    f = bytes.fromhex(dmac.replace(":", "")) + s.getsockname()[4]
    n = s.send(f + struct.pack("!H", t) + ip + u)
    s.close()
    return str(n)
'"$_PY_AGENT"

ttp_load
ns_add $T
ns_add $X
# Linux rate-limits its ICMP errors (per destination and machine-wide);
# under TCG, with another VM on the cores, an earlier test's errors can
# use up the budget and the "port unreachable" below is not sent.  An
# empty mask exempts every type from both limits.
ip netns exec $X sh -c 'echo 0 > /proc/sys/net/ipv4/icmp_ratemask'

declare -A HOLD BASE
# hold NS: a sleeping process in NS whose /proc/PID/net is NS's.
hold()
{
	ip netns exec "$1" sleep 100000 &
	HOLD[$1]=$!
	at_exit "kill ${HOLD[$1]}"
}
held()
{
	local c
	read -r c <"/proc/${HOLD[$1]}/comm" && [ "$c" = sleep ]
}
hold $T
hold $X
wait_for 'held $T && held $X' 10
py_start $T
py_start $X

# pnet NS FILE: /proc/net/FILE of NS.
pnet() { printf '%s\n' "$(<"/proc/${HOLD[$1]}/net/$2")"; }

# tstat NAME: TTP counter NAME in T.
tstat()
{
	local k v
	while read -r k v; do
		[ "$k" = "$1" ] && { echo "$v"; return 0; }
	done <"/proc/${HOLD[$T]}/net/ttp/stats"
	echo "no-$1"
}

# snmp NS PROTO FIELD: /proc/net/snmp's PROTO: FIELD in NS (X or T).
snmp()
{
	local -a h=() v=()
	local p i rest
	while read -r p rest; do
		[ "$p" = "$2:" ] || continue
		if [ ${#h[@]} -eq 0 ]; then
			read -r -a h <<<"$rest"
		else
			read -r -a v <<<"$rest"
			for i in "${!h[@]}"; do
				[ "${h[i]}" = "$3" ] && { echo "${v[i]}"; return 0; }
			done
		fi
	done <"/proc/${HOLD[$1]}/net/snmp"
	echo "no-$2-$3"
}

# Counters as keys "t:Name" (TTP in T), "x:Proto:Field" / "tk:Proto:Field"
# (the kernel's /proc/net/snmp in X / T).
val()
{
	case $1 in
	t:*) tstat "${1#t:}" ;;
	x:*) local k=${1#x:}; snmp $X "${k%%:*}" "${k#*:}" ;;
	tk:*) local k=${1#tk:}; snmp $T "${k%%:*}" "${k#*:}" ;;
	esac
}
snap() { local k; for k; do BASE[$k]=$(val "$k"); done; }
# deltas KEY...: "KEY=+N ..." since snap.
deltas()
{
	local k out=""
	for k; do out+="${out:+ }${k##*:}=+$(($(val "$k") - ${BASE[$k]}))"; done
	echo "$out"
}

# bound PORT: a TTP socket is bound to PORT in T (sockets file).
bound() { [[ "$(pnet $T ttp/sockets)" == *":$1 "* ]]; }

# listen PORT OUT [ARGS...]: ttpcat in T receiving one datagram on PORT
# (output to OUT); returns once the socket is bound.
LPID=
listen()
{
	local port=$1 out=$2
	shift 2
	ip netns exec $T "$TTPCAT" -u -l "$port" -n 1 -w $((10 * TTP_TIME_SCALE)) \
		"$@" >"$out" 2>&1 &
	LPID=$!
	wait_for "bound $port" 5
}
# heard: wait for the listener to exit (then read its OUT).
heard() { wait "$LPID"; }

# --- the cable --------------------------------------------------------------

check "ttp-xcable --help prints its usage" \
	bash -c '"$0" --help | grep -q "^usage: .*ttp-xcable"' "$XCABLE"
check "ttp-xcable add T X (addresses and names given)" \
	"$XCABLE" add $T $X --ttp-addr $TA/24 --linux-addr $XA/24 \
	--ttp-dev $TD --linux-dev $XD
at_exit "'$XCABLE' del $T $X --ttp-dev $TD --linux-dev $XD"
TMAC=$(py $T read /sys/class/net/$TD/address)
XMAC=$(py $X read /sys/class/net/$XD/address)

check_eq "TTP runs on T's end only: enabled there, knob-off on X's" \
	"enabled knob-off" \
	"$(ttp_dev_field $TD State $T) $(ttp_dev_field $XD State $X)"

# The static entries: TTP ARP in T, the kernel's neighbour table in X.
arp_line() { local a m s d; while read -r a m s d _; do [ "$a" = "$1" ] && echo "$m $s $d"; done <<<"$(pnet $T ttp/arp)"; }
neigh_line() { local a f m; while read -r a _ f m _; do [ "$a" = "$1" ] && echo "$m $f"; done <<<"$(pnet $X arp)"; }
check_eq "T's TTP ARP: X's MAC, PERMANENT; X's ip neigh: T's MAC, permanent (0x6)" \
	"$XMAC PERMANENT $TD / $TMAC 0x6" "$(arp_line $XA) / $(neigh_line $TA)"

# --- datagrams both ways ------------------------------------------------------

# tcat ARGS...: ttpcat in T; its output (errors included) on stdout.
tcat() { ip netns exec $T "$TTPCAT" -u "$@" 2>&1; }

py $X ubind srv $XA 5001 >/dev/null
snap x:Udp:InDatagrams x:Udp:InErrors x:Udp:InCsumErrors
tcat -b $TA:4001 $XA 5001 -m hello-linux
check_eq "TTP -> Linux UDP: payload and source address:port exact" \
	"from $TA:4001 len 11: hello-linux" "$(py $X urecv srv 5)"
check_eq "... Linux verified TTP's checksum: Udp InDatagrams +1, InErrors +0, InCsumErrors +0" \
	"InDatagrams=+1 InErrors=+0 InCsumErrors=+0" \
	"$(deltas x:Udp:InDatagrams x:Udp:InErrors x:Udp:InCsumErrors)"

snap t:DgramInDatagrams t:DgramInErrors t:DgramInCsumErrors
listen 4002 "$TMPD/rx"
py $X usend srv hello-ttp $TA 4002 >/dev/null
heard
check_eq "Linux UDP -> TTP: payload and source address:port exact" \
	"from $XA:5001 len 9: hello-ttp" "$(<"$TMPD/rx")"
check_eq "... TTP verified Linux's checksum: DgramInDatagrams +1, InErrors +0, InCsumErrors +0" \
	"DgramInDatagrams=+1 DgramInErrors=+0 DgramInCsumErrors=+0" \
	"$(deltas t:DgramInDatagrams t:DgramInErrors t:DgramInCsumErrors)"

# Request/response.  TTP asks, Linux echoes: ttpcat -C -r exits 0 only
# when the reply came back from the address it connected to.
tcat -C -r -w $((10 * TTP_TIME_SCALE)) -b $TA:4003 $XA 5001 -m question >"$TMPD/rr" &
pid=$!
got=$(py $X urecv srv 5 echo)
wait $pid
rc=$?
check_eq "request/response TTP -> Linux -> TTP: Linux got it, TTP got the echo" \
	"from $TA:4003 len 8: question rc=0" "$got rc=$rc$(<"$TMPD/rr")"
# Linux asks, TTP (ttpcat -e) echoes.
listen 4004 "$TMPD/rx" -e
py $X usend srv ping $TA 4004 >/dev/null
check_eq "request/response Linux -> TTP -> Linux: the echo, from TTP's port" \
	"from $TA:4004 len 4: ping" "$(py $X urecv srv 5)"
heard

# --- errors: port unreachable both ways -----------------------------------------

snap x:Icmp:OutDestUnreachs x:Udp:NoPorts t:CtlInDestUnreachs
check_eq "a connected TTP socket to a closed Linux port: ECONNREFUSED" \
	"ttpcat: recv: Connection refused (ECONNREFUSED)" \
	"$(tcat -C -r -w $((10 * TTP_TIME_SCALE)) $XA 5999 -m anyone)"
check_eq "... Linux sent port unreachable, TTP's control layer took it" \
	"OutDestUnreachs=+1 NoPorts=+1 CtlInDestUnreachs=+1" \
	"$(deltas x:Icmp:OutDestUnreachs x:Udp:NoPorts t:CtlInDestUnreachs)"

snap t:DgramNoPorts t:CtlOutDestUnreachs x:Icmp:InDestUnreachs
py $X ubind cli >/dev/null
py $X uconnect cli $TA 4999 >/dev/null
py $X usend cli anyone >/dev/null
check_eq "a connected Linux UDP socket to a closed TTP port: ECONNREFUSED" \
	"ECONNREFUSED" "$(py $X urecv cli 5)"
check_eq "... TTP sent port unreachable, Linux's ICMP took it" \
	"DgramNoPorts=+1 CtlOutDestUnreachs=+1 InDestUnreachs=+1" \
	"$(deltas t:DgramNoPorts t:CtlOutDestUnreachs x:Icmp:InDestUnreachs)"
py $X uclose cli >/dev/null

# --- the largest datagrams, and the ones that do not fit ---------------------

tcat -b $TA:4005 $XA 5001 -s 1472
big=$(printf 'x%.0s' {1..1472})
check_eq "1472 bytes (MTU 1500) TTP -> Linux arrive whole" \
	"from $TA:4005 len 1472: $big" "$(py $X urecv srv 5)"
listen 4006 "$TMPD/rx"
py $X usend srv 'y*1472' $TA 4006 >/dev/null
heard
check_eq "1472 bytes Linux -> TTP arrive whole" \
	"from $XA:5001 len 1472: ${big//x/y}" "$(<"$TMPD/rx")"

# Linux fragments a datagram above the MTU; TTP never reassembles: both
# fragments are dropped, the next datagram is the first one delivered.
snap x:Ip:FragCreates t:IpInHdrErrors t:DgramInDatagrams
listen 4007 "$TMPD/rx"
py $X usend srv 'z*1473' $TA 4007 >/dev/null
py $X usend srv after-fragments $TA 4007 >/dev/null
heard
check_eq "1473 bytes Linux -> TTP: 2 fragments, dropped by TTP (IpInHdrErrors +2)" \
	"FragCreates=+2 IpInHdrErrors=+2 DgramInDatagrams=+1 from $XA:5001 len 15: after-fragments" \
	"$(deltas x:Ip:FragCreates t:IpInHdrErrors t:DgramInDatagrams) $(<"$TMPD/rx")"

# --- a wrong checksum is still dropped, each way -----------------------------

# Linux -> TTP: an IPv4 frame (re-typed by X's end) with a bad UDP checksum,
# then a good datagram: TTP delivers only the good one.
snap t:DgramInCsumErrors t:DgramInDatagrams
listen 4008 "$TMPD/rx"
py $X rawudp $XD 0x0800 "$TMAC" $XA $TA 5001 4008 bad-sum 1 >/dev/null
py $X usend srv good-sum $TA 4008 >/dev/null
heard
check_eq "bad UDP checksum Linux -> TTP: dropped (DgramInCsumErrors +1), the good one delivered" \
	"DgramInCsumErrors=+1 DgramInDatagrams=+1 from $XA:5001 len 8: good-sum" \
	"$(deltas t:DgramInCsumErrors t:DgramInDatagrams) $(<"$TMPD/rx")"
# TTP -> Linux: a TTP frame (re-typed by T's end) with a bad checksum.
snap x:Udp:InCsumErrors x:Udp:InDatagrams
py $T rawudp $TD 0x88b5 "$XMAC" $TA $XA 4009 5001 bad-sum 1 >/dev/null
tcat -b $TA:4009 $XA 5001 -m good-sum
# (Linux counts InDatagrams when the socket reads the datagram)
got=$(py $X urecv srv 5)
check_eq "bad UDP checksum TTP -> Linux: dropped (Udp InCsumErrors +1), the good one delivered" \
	"InCsumErrors=+1 InDatagrams=+1 from $TA:4009 len 8: good-sum" \
	"$(deltas x:Udp:InCsumErrors x:Udp:InDatagrams) $got"

# --- ping, and the TTP host's own kernel IPv4 -------------------------------

snap t:CtlInEchos t:CtlOutEchoReps tk:Icmp:InEchos
check "Linux pings T's address: answered" \
	ip netns exec $X busybox ping -c 1 -W $((5 * TTP_TIME_SCALE)) $TA
check_eq "... by TTP's control layer, not by T's kernel" \
	"CtlInEchos=+1 CtlOutEchoReps=+1 InEchos=+0" \
	"$(deltas t:CtlInEchos t:CtlOutEchoReps tk:Icmp:InEchos)"

# T's kernel has the same address on its end; what it sends (here the ARP
# of a ping) is dropped by the end's egress filter and never reaches X.
drops() { [[ $(tc -n $T -s filter show dev $TD egress pref 2) =~ dropped\ ([0-9]+) ]] && echo "${BASH_REMATCH[1]}"; }
d0=$(drops)
rx0=$(link_stats $XD $X | cut -d' ' -f3)
check_fail "T's kernel pings X: no answer" \
	ip netns exec $T busybox ping -c 1 -W 1 $XA
check_eq "... its frames were dropped on T's end (filter drops > 0, X received 0)" \
	"more 0" \
	"$([ "$(drops)" -gt "$d0" ] && echo more || echo "same") $(($(link_stats $XD $X | cut -d' ' -f3) - rx0))"

# --- del ----------------------------------------------------------------------

py $X uclose srv >/dev/null
check "ttp-xcable del T X" "$XCABLE" del $T $X --ttp-dev $TD --linux-dev $XD
check_eq "both ends, T's TTP ARP entry and X's neighbour entry are gone" \
	"0 0 / /" \
	"$(py $T exists /sys/class/net/$TD) $(py $X exists /sys/class/net/$XD) /$(arp_line $XA) /$(neigh_line $TA)"
