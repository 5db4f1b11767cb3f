#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_arp.sh: TTP ARP between two namespaces joined by a ttp cable:
# resolution with a queued datagram (INCOMPLETE -> REACHABLE), the asker
# learnt by the target, ageing to STALE and re-confirmation through DELAY
# and PROBE (a unicast request), unanswered resolution (arp_retries
# requests arp_retrans_ms apart, FAILED, EHOSTUNREACH for the sender),
# queue overflow, static entries (PERMANENT, no request on the wire),
# /proc/net/ttp/arp writes (add, del, flush DEV, flush; errors; no
# CAP_NET_ADMIN), link down and device deletion, gratuitous ARP on link up
# and address add, garbage collection; the kernel's neighbour table is
# never touched.
#
# The wire is watched by a packet socket in the python agent of B (cap):
# every TTP ARP frame arp1 sends or receives, with kernel timestamps.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

A=ttp_arp-a
B=ttp_arp-b
IPA=10.231.0.1
IPB=10.231.0.2
BCAST=ff:ff:ff:ff:ff:ff

plan 74

# Agent commands for TTP datagram sockets (python's socket module cannot
# build AF_TTP addresses: bind/connect/sendto go through libc), for a write
# without CAP_NET_ADMIN, and for the capture.  Prepended to lib.sh's agent.
_ARP_AGENT='
import ctypes as _ct, errno as _er, os as _os, select as _sel
import socket as _so, struct as _st
_libc = _ct.CDLL(None, use_errno=True)
_ds = {}
_cs = []

def _sa(addr, port):        # struct sockaddr_ttp
    return (_st.pack("=H", 25) + int(port).to_bytes(2, "big") +
            _so.inet_aton(addr) + bytes(8))

def _ok(r):
    if r < 0:
        e = _ct.get_errno()
        raise OSError(e, _os.strerror(e))
    return "ok"

def c_dsock(name, port="0"):  # a datagram socket, bound to port if not 0
    s = _so.socket(25, _so.SOCK_DGRAM)
    _ds[name] = s
    a = _sa("0.0.0.0", port)
    return _ok(_libc.bind(s.fileno(), a, len(a))) if int(port) else "ok"

def c_dconnect(name, addr, port):
    a = _sa(addr, port)
    return _ok(_libc.connect(_ds[name].fileno(), a, len(a)))

def c_dsend(name, addr, port, msg, n="1"):  # addr "-": send() (connected)
    fd, b = _ds[name].fileno(), msg.encode()
    a = _sa(addr, port) if addr else None
    for _ in range(int(n)):
        _ok(_libc.sendto(fd, b, len(b), 0, a, len(a)) if a else
            _libc.send(fd, b, len(b), 0))
    return "ok"

def c_drecv(name, secs):    # the next datagram, its errno, or ETIMEDOUT
    s = _ds[name]
    if not _sel.select([s], [], [], float(secs))[0]:
        raise OSError(_er.ETIMEDOUT, "timeout")
    return s.recv(65536).decode(errors="replace")

def c_write_nocap(path, *words):  # opened as root, written as nobody
    fd = _os.open(path, _os.O_WRONLY)
    pid = _os.fork()
    if pid == 0:
        code = 0
        try:
            _os.setgroups([])
            _os.setresgid(65534, 65534, 65534)
            _os.setresuid(65534, 65534, 65534)
            _os.write(fd, (" ".join(words) + "\n").encode())
        except OSError as e:
            code = e.errno
        _os._exit(code)
    _os.close(fd)
    c = _os.waitstatus_to_exitcode(_os.waitpid(pid, 0)[1])
    return _er.errorcode.get(c, str(c)) if c else "ok"

def c_capstart(dev):        # a packet socket on dev, kernel timestamps
    s = _so.socket(_so.AF_PACKET, _so.SOCK_RAW, _so.htons(3))
    s.setsockopt(_so.SOL_SOCKET, 35, 1)     # SO_TIMESTAMPNS
    s.bind((dev, 3))
    _cs.append(s)
    return "ok"

def _mac(b):
    return ":".join("%02x" % x for x in b)

def c_cap():
    """TTP ARP frames since the last call: TIME in|out SRC DST req|rep SPA TPA"""
    out, s = [], _cs[0]
    while _sel.select([s], [], [], 0)[0]:
        f, anc, _, a = s.recvmsg(2048, 256)
        if len(f) < 42 or f[12:14] != b"\x08\x06" or f[16:18] != b"\x88\xb5":
            continue
        t = 0.0
        for lv, ty, d in anc:
            if lv == _so.SOL_SOCKET and ty == 35:
                sec, ns = _st.unpack("qq", d[:16])
                t = sec + ns / 1e9
        out.append("%.6f %s %s %s %s %s %s" % (t,
                   "out" if a[2] == 4 else "in", _mac(f[6:12]), _mac(f[0:6]),
                   "req" if f[21] == 1 else "rep",
                   _so.inet_ntoa(f[28:32]), _so.inet_ntoa(f[38:42])))
    return "\n".join(out)
'
_PY_AGENT=$_ARP_AGENT$_PY_AGENT

ttp_load
ns_add $A
ns_add $B
py_start $A
py_start $B

# ---- helpers ---------------------------------------------------------------

# arp_cols NS ADDR COL...: columns of ADDR's line in NS's /proc/net/ttp/arp,
# or "none" when there is no entry for ADDR.
arp_cols()
{
	local ns=$1 addr=$2 i c out=""
	local -a h f
	shift 2
	{
		read -r -a h
		while read -r -a f; do
			[ "${f[0]:-}" = "$addr" ] || continue
			for c; do
				for i in "${!h[@]}"; do
					[ "${h[i]}" = "$c" ] && out+="${out:+ }${f[i]}"
				done
			done
			echo "$out"
			return 0
		done
		echo none
	} <<<"$(py "$ns" read /proc/net/ttp/arp)"
}

arp_state()	# NS ADDR
{
	arp_cols "$1" "$2" State
}

# arp_list NS: "ADDR STATE DEV" per entry, in table order.
arp_list()
{
	local a m s d rest
	{
		read -r _
		while read -r a m s d rest; do
			[ -n "$a" ] && echo "$a $s $d"
		done
	} <<<"$(py "$1" read /proc/net/ttp/arp)"
}

# arpw NS WORDS...: write a command to NS's /proc/net/ttp/arp; prints "ok"
# or the errno name.
arpw()
{
	local ns=$1
	shift
	py "$ns" write /proc/net/ttp/arp "$@"
}

knob()		# NS NAME VALUE: /proc/sys/net/ttp/NAME
{
	py "$1" write "/proc/sys/net/ttp/$2" "$3" >/dev/null
}

# stats NS NAME...: the counters' values, space-separated.
stats()
{
	local ns=$1 k v out=""
	local -A m
	shift
	while read -r k v; do
		m[$k]=$v
	done <<<"$(py "$ns" read /proc/net/ttp/stats)"
	for k; do out+="${out:+ }${m[$k]:-?}"; done
	echo "$out"
}

# count PATTERN TEXT: non-empty lines of TEXT matching the glob PATTERN.
count()
{
	local l n=0
	while IFS= read -r l; do
		# shellcheck disable=SC2053 # a glob on purpose
		[[ -n $l && $l == $1 ]] && n=$((n + 1))
	done <<<"$2"
	echo $n
}

neighs()	# the kernel's neighbour tables of A and B
{
	ip -n $A neigh show
	ip -n $B neigh show
}

# ---- setup -----------------------------------------------------------------

ip -n $A link add arp0 type ttp
ip -n $A link set arp0-peer netns $B name arp1
# The timers scale with the kernel's speed (TTP_TIME_SCALE, 8 on the debug
# kernel), or a slow read could find the next state already.
S=$TTP_TIME_SCALE
for ns in $A $B; do
	knob "$ns" arp_retries 3
	knob "$ns" arp_retrans_ms $((3000 * S))
	knob "$ns" arp_reachable_ms $((3000 * S))
	knob "$ns" arp_delay_probe_ms $((1000 * S))
	knob "$ns" arp_stale_ms 60000
	knob "$ns" arp_queue_len 10
done
ip -n $A addr add $IPA/24 dev arp0
ip -n $B addr add $IPB/24 dev arp1
ip -n $A link set arp0 up
ip -n $B link set arp1 up
py $B capstart arp1 >/dev/null
py $B dsock rx 5000 >/dev/null
py $A dsock tx >/dev/null
mac_a=$(sysfs $A arp0 address)
mac_b=$(sysfs $B arp1 address)
wait_for '[ "$(ttp_dev_field arp0 State $A) $(ttp_dev_field arp1 State $B)" = "enabled enabled" ]' 5
check_eq "setup: both ends TTP-enabled, A's cache empty" "enabled enabled ;" \
	"$(ttp_dev_field arp0 State $A) $(ttp_dev_field arp1 State $B) ;$(arp_list $A)"

# ---- resolution: INCOMPLETE with the datagram queued, then REACHABLE --------

# A 1 s delay on A's transmit side keeps the request (and later the probe)
# on its way long enough to see INCOMPLETE (and PROBE) in the cache.
modprobe -q sch_netem
check "tc netem delay 1000ms on arp0 (keeps A's requests in flight)" \
	tc -n $A qdisc add dev arp0 root netem delay $((1000 * S))ms
py $B cap >/dev/null
sa0=$(stats $A ArpOutRequests ArpInReplies)
sb0=$(stats $B ArpInRequests ArpOutReplies)
py $A dsend tx $IPB 5000 m1 >/dev/null
check_eq "first send: INCOMPLETE entry holding the datagram (Queue 1, Probes 1)" \
	"INCOMPLETE 1 1" "$(arp_cols $A $IPB State Queue Probes)"
check_eq "... which B has not received yet" ETIMEDOUT "$(py $B drecv rx 0)"
wait_for '[ "$(arp_state $A $IPB)" = REACHABLE ]' 5
check_eq "the reply makes it REACHABLE at B's MAC (ip link: $mac_b), queue empty" \
	"REACHABLE $mac_b 0" "$(arp_cols $A $IPB State HWaddress Queue)"
check_eq "the queued datagram is delivered after resolution" m1 \
	"$(py $B drecv rx $((5 * S)))"
check_eq "A: ArpOutRequests +1, ArpInReplies +1" "1 1" \
	"$(delta "$sa0" "$(stats $A ArpOutRequests ArpInReplies)")"
check_eq "B: ArpInRequests +1, ArpOutReplies +1" "1 1" \
	"$(delta "$sb0" "$(stats $B ArpInRequests ArpOutReplies)")"
check_eq "B learnt the asker: entry for $IPA, STALE, at A's MAC" \
	"STALE $mac_a" "$(arp_cols $B $IPA State HWaddress)"
cap=$(py $B cap)
got="$(count "* in $mac_a $BCAST req $IPA $IPB" "$cap")"
got+=" $(count "* out $mac_b $mac_a rep $IPB $IPA" "$cap") $(count "*" "$cap")"
check_eq "on the wire: one broadcast request, one unicast reply, nothing else" \
	"1 1 2" "$got"
check_eq "the kernel's neighbour tables stay empty" "" "$(neighs)"

# ---- ageing and re-confirmation: STALE -> DELAY -> PROBE -> REACHABLE -----

wait_for '[ "$(arp_state $A $IPB)" = STALE ]' 6
check_eq "after arp_reachable_ms (3 s): STALE, MAC kept" "STALE $mac_b" \
	"$(arp_cols $A $IPB State HWaddress)"
sa0=$(stats $A ArpOutRequests)
conf0=$(arp_cols $A $IPB Confirmed)
py $A dsend tx $IPB 5000 m2 >/dev/null
check_eq "used while STALE: DELAY (arp_delay_probe_ms 1000)" DELAY \
	"$(arp_state $A $IPB)"
check_eq "... and the datagram goes out at once, to the known MAC" m2 \
	"$(py $B drecv rx $((5 * S)))"
check "then PROBE" wait_for '[ "$(arp_state $A $IPB)" = PROBE ]' 3
check "the probe's reply: REACHABLE again" \
	wait_for '[ "$(arp_state $A $IPB)" = REACHABLE ]' 5
conf1=$(arp_cols $A $IPB Confirmed)
check "... confirmed anew (Confirmed $conf0 -> $conf1 ms ago)" \
	test "$conf1" -lt "$conf0"
cap=$(py $B cap)
check_eq "one probe: ArpOutRequests +1, a request unicast to B's MAC" "1 1" \
	"$(delta "$sa0" "$(stats $A ArpOutRequests)") $(count "* in $mac_a $mac_b req $IPA $IPB" "$cap")"
tc -n $A qdisc del dev arp0 root

# ---- unanswered resolution ------------------------------------------------

knob $A arp_retrans_ms 400
sa0=$(stats $A ArpOutRequests ArpResolveFailed)
py $B cap >/dev/null
out=$(in_ns $A "$TTPCAT" -u -C -r -w 20 10.231.0.99 5000 2>&1)
rc=$?
check_eq "nobody at .99: ttpcat -C -r fails, recv gets EHOSTUNREACH" \
	"1 1" "$rc $(count "ttpcat: recv: * (EHOSTUNREACH)" "$out")"
[[ $out == *"recv: "*"(EHOSTUNREACH)"* ]] || diag "ttpcat: $out"
check_eq "the entry is FAILED, no MAC, 3 probes" "FAILED 00:00:00:00:00:00 3" \
	"$(arp_cols $A 10.231.0.99 State HWaddress Probes)"
check_eq "ArpOutRequests +3 (arp_retries), ArpResolveFailed +1" "3 1" \
	"$(delta "$sa0" "$(stats $A ArpOutRequests ArpResolveFailed)")"
# gaps MS...: the requests for .99 are arp_retrans_ms apart.
gaps()
{
	local t ms prev="" n=0
	echo "$1"
	while read -r t _; do
		[ -n "$t" ] || continue
		ms=$((10#${t%.*} * 1000 + 10#$(printf %.3s "${t#*.}")))
		if [ -n "$prev" ]; then
			echo "gap $((ms - prev)) ms"
			[ $((ms - prev)) -ge 380 ] && [ $((ms - prev)) -le $((1000 * TTP_TIME_SCALE)) ] || return 1
		fi
		prev=$ms
		n=$((n + 1))
	done <<<"$(grep " in $mac_a $BCAST req $IPA 10.231.0.99\$" <<<"$1")"
	[ $n -eq 3 ]
}
check_fn "3 broadcast requests on the wire, 400 ms apart (380..1000)" \
	gaps "$(py $B cap)"

knob $A arp_queue_len 2
sa0=$(stats $A ArpQueueDrops ArpResolveFailed)
py $A dsock q >/dev/null
py $A dconnect q 10.231.0.98 5000 >/dev/null
py $A dsend q - - x 5 >/dev/null
check_eq "5 sends to .98, arp_queue_len 2: INCOMPLETE holding 2" \
	"INCOMPLETE 2" "$(arp_cols $A 10.231.0.98 State Queue)"
check_eq "... ArpQueueDrops +3" 3 \
	"$(delta "${sa0% *}" "$(stats $A ArpQueueDrops)")"
check "after arp_retries: FAILED" \
	wait_for '[ "$(arp_state $A 10.231.0.98)" = FAILED ]' 4
check_eq "ArpResolveFailed +1, queue emptied" "1 0" \
	"$(delta "${sa0#* }" "$(stats $A ArpResolveFailed)") $(arp_cols $A 10.231.0.98 Queue)"
check_eq "the connected socket's next send reports EHOSTUNREACH" \
	EHOSTUNREACH "$(py $A dsend q - - y)"
sa0=$(stats $A ArpOutRequests ArpResolveFailed)
check_eq "the send after that starts over from FAILED: INCOMPLETE, Probes 1" \
	"ok INCOMPLETE 1" \
	"$(py $A dsend q - - z) $(arp_cols $A 10.231.0.98 State Probes)"
check "... and fails again: FAILED, ArpOutRequests +3, ArpResolveFailed +1" \
	wait_for '[ "$(arp_state $A 10.231.0.98) $(delta "$sa0" "$(stats $A ArpOutRequests ArpResolveFailed)")" = "FAILED 3 1" ]' 4
knob $A arp_queue_len 10

# ---- static entries ---------------------------------------------------------

check_eq "del $IPB arp0" ok "$(arpw $A del $IPB arp0)"
check_eq "... the entry is gone" none "$(arp_state $A $IPB)"
check_eq "add $IPB $mac_b arp0" ok "$(arpw $A add $IPB "$mac_b" arp0)"
check_eq "... PERMANENT at that MAC" "PERMANENT $mac_b" \
	"$(arp_cols $A $IPB State HWaddress)"
sa0=$(stats $A ArpOutRequests)
py $B cap >/dev/null
py $A dsend tx $IPB 5000 m3 >/dev/null
check_eq "a datagram through the static entry is delivered" m3 \
	"$(py $B drecv rx $((5 * S)))"
cap=$(py $B cap)
check_eq "... with no request: ArpOutRequests +0, no TTP ARP frame on the wire" \
	"0 0" "$(delta "$sa0" "$(stats $A ArpOutRequests)") $(count "*" "$cap")"
[ -z "$cap" ] || diag "on the wire: $cap"
check_eq "... and leaves it PERMANENT" PERMANENT "$(arp_state $A $IPB)"

# ---- /proc/net/ttp/arp writes -----------------------------------------------

ip -n $A link add arq0 type ttp
ip -n $A addr add 10.232.0.1/24 dev arq0
ip -n $A link set arq0 up
wait_for '[ "$(ttp_dev_field arq0 State $A)" = enabled ]' 3
got="$(arpw $A add 10.231.0.5 02:00:00:00:00:05 arp0)"
got+=" $(arpw $A add 10.232.0.5 02:00:00:00:00:06 arq0)"
check_eq "static entries on two devices" "ok ok PERMANENT PERMANENT" \
	"$got $(arp_state $A 10.231.0.5) $(arp_state $A 10.232.0.5)"
list0=$(arp_list $A)
bad()		# WANT WORDS...
{
	local want=$1
	shift
	check_eq "'$*': $want" "$want" "$(arpw $A "$@")"
}
bad EINVAL bogus
bad EINVAL add 10.231.0.7 02:00:00:00:00:07
bad EINVAL add 10.231.0.7 02:00:00:00:00:07 arp0 extra
bad EINVAL add 10.231.0.7 02:00:00:00:00:zz arp0
bad EINVAL add 10.231.0.7 01:00:5e:00:00:07 arp0
bad EINVAL add 10.231.0.300 02:00:00:00:00:07 arp0
bad EINVAL add 224.0.0.7 02:00:00:00:00:07 arp0
bad ENODEV add 10.231.0.7 02:00:00:00:00:07 nosuch0
bad ENODEV add 10.231.0.7 02:00:00:00:00:07 lo
bad ENETDOWN add 10.231.0.7 02:00:00:00:00:07 arq0-peer
bad ENOENT del 10.231.0.77 arp0
bad ENODEV flush nosuch0
check_eq "... none of them changed the cache" "$list0" "$(arp_list $A)"

# nobody: the file is 0644, so already open() fails (EACCES).
as_nobody()
{
	local out
	out=$(ip netns exec $A setpriv --reuid=65534 --regid=65534 \
	      --clear-groups sh -c 'echo flush > /proc/net/ttp/arp' 2>&1) &&
		return 1
	echo "$out"
	[[ $out == *"Permission denied"* ]]
}
check_fn "nobody (setpriv) cannot write 'flush': Permission denied" as_nobody
check_eq "an fd opened by root, written without CAP_NET_ADMIN: EPERM" EPERM \
	"$(py $A write_nocap /proc/net/ttp/arp flush)"
check_eq "... and the cache is unchanged" "$list0" "$(arp_list $A)"

check_eq "del 10.231.0.5 arp0: only that entry goes" \
	"ok none PERMANENT PERMANENT" \
	"$(arpw $A del 10.231.0.5 arp0) $(arp_state $A 10.231.0.5) $(arp_state $A $IPB) $(arp_state $A 10.232.0.5)"
check_eq "flush arp0: arp0's entries go (static too), arq0's stays" \
	"ok|10.232.0.5 PERMANENT arq0" "$(arpw $A flush arp0)|$(arp_list $A)"
check_eq "flush: everything goes" "ok|" "$(arpw $A flush)|$(arp_list $A)"

# ---- link down, gratuitous ARP ------------------------------------------------

py $A dsend tx $IPB 5000 m4 >/dev/null
check_eq "resolved again" "m4 REACHABLE" \
	"$(py $B drecv rx $((5 * S))) $(arp_state $A $IPB)"
arpw $A add 10.231.0.5 02:00:00:00:00:05 arp0 >/dev/null
arpw $A add 10.232.0.5 02:00:00:00:00:06 arq0 >/dev/null
ip -n $A link set arp0 down
check_eq "link down flushes arp0's entries (learnt and static), not arq0's" \
	"10.232.0.5 PERMANENT arq0" "$(arp_list $A)"

# B: a FAILED entry for .3 (A is down: no carrier), a static one for .4.
knob $B arp_retries 1
knob $B arp_retrans_ms 100
py $B dsock bt >/dev/null
py $B dsend bt 10.231.0.3 5000 z >/dev/null
check "B: entry for .3 FAILED" \
	wait_for '[ "$(arp_state $B 10.231.0.3)" = FAILED ]' 3
check_eq "B: static entry for .4" ok \
	"$(arpw $B add 10.231.0.4 02:00:00:00:00:44 arp1)"
check_eq "B: entry for $IPA STALE at A's MAC" "STALE $mac_a" \
	"$(arp_cols $B $IPA State HWaddress)"
mac_n=02:31:00:00:00:0a
g0=$(stats $B ArpInGratuitous)
ip -n $A link set arp0 address $mac_n
ip -n $A link set arp0 up
check "A's link up with a new MAC: gratuitous ARP moves B's entry for $IPA to it" \
	wait_for '[ "$(arp_cols $B $IPA State HWaddress)" = "STALE $mac_n" ]' 3
check_eq "... ArpInGratuitous +1" 1 "$(delta "$g0" "$(stats $B ArpInGratuitous)")"
ip -n $A addr add 10.231.0.3/24 dev arp0
check "address .3 added on A: B's FAILED entry for .3 becomes STALE at A's MAC" \
	wait_for '[ "$(arp_cols $B 10.231.0.3 State HWaddress)" = "STALE $mac_n" ]' 3
ip -n $A addr add 10.231.0.4/24 dev arp0
check "address .4 added on A: ArpInGratuitous +3 in all" \
	wait_for '[ "$(delta "$g0" "$(stats $B ArpInGratuitous)")" = 3 ]' 3
check_eq "... but B's static entry for .4 keeps its MAC" \
	"PERMANENT 02:00:00:00:00:44" "$(arp_cols $B 10.231.0.4 State HWaddress)"

# ---- garbage collection ----------------------------------------------------

e0=$(stats $B ArpGcEvicted)
knob $B arp_stale_ms 1000
check "arp_stale_ms 1000: B's unused STALE entries go, the static one stays" \
	wait_for '[ "$(arp_list $B)" = "10.231.0.4 PERMANENT arp1" ]' 5
check_eq "... ArpGcEvicted +2" 2 "$(delta "$e0" "$(stats $B ArpGcEvicted)")"

# ---- device deletion -------------------------------------------------------

check_eq "the kernel's neighbour tables are still empty" "" "$(neighs)"
check "deleting arq0 (holding a static entry) completes" \
	timeout 20 ip -n $A link del arq0
check_eq "... and its entry is gone" "" "$(arp_list $A)"
check_eq "static entries on both ends of the cable" \
	"ok|$IPB PERMANENT arp0|10.231.0.4 PERMANENT arp1" \
	"$(arpw $A add $IPB "$mac_b" arp0)|$(arp_list $A)|$(arp_list $B)"
check "deleting the arp0 cable completes" timeout 20 ip -n $A link del arp0
check_eq "... both caches are empty" "|" "$(arp_list $A)|$(arp_list $B)"
