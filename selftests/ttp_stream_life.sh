#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_stream_life.sh: the life and death of many stream sockets.
#
#   1. 5000 connect/accept/close cycles over a cable: all succeed, the
#      counters add up, no socket and no slab object is left behind.
#   2. A flood of spoofed SYNs (AF_PACKET, from a namespace with no TTP
#      address) at a listener with backlog 8 while a real client connects
#      again and again: the SYN queue turns over (evictions), never holds
#      more than backlog + 1 children, memory stays bounded and every real
#      connect succeeds within a bound.
#   3. Sockets in every state (LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED,
#      CLOSE_WAIT, FIN_WAIT_1, FIN_WAIT_2, LAST_ACK, CLOSING and a TIME_WAIT
#      entry), built three times with nft netdev rules dropping the right
#      segments, then: (a) all closed: orphans, gone after fin_timeout;
#      (b) their namespaces deleted: the namespaces really go; (c) rmmod
#      fails while a stream fd is open (EBUSY), and succeeds with orphans
#      and TIME_WAIT entries left; insmod again.
#
#      C  10.79.0.1 sc0 --- ss0 10.79.0.2  S  10.79.1.1 sf0 --- fl0  F
#      A  10.80.0.1 la0 --- lb0 10.80.0.2  B          (one pair per round)
#
# The agent of lib.sh gets stream-socket commands (inserted below, before
# its main loop): one python3 process makes sockets in several namespaces
# with setns(), so no exec is paid per socket.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

C=tsl-c
S=tsl-s
F=tsl-f
CYCLES=5000
BACKLOG=8
FT=1500		# stream_fin_timeout_ms for the state rounds
SYSD=/proc/sys/net/ttp

plan 24

# ---- the agent's stream commands ------------------------------------------

_STREAM_CMDS='
import struct
libc = ctypes.CDLL(None, use_errno=True)
FAM = int(open("/sys/module/ttp/parameters/family").read())
NS0 = os.open("/proc/self/ns/net", os.O_RDONLY)
fds = {}

def _ck(r):
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r

def _sa(ip, port):
    return struct.pack("=H", FAM) + struct.pack(">H", int(port)) + \
        socket.inet_aton(ip) + bytes(8)

def _tmo(fd, sec):          # SO_RCVTIMEO, SO_SNDTIMEO
    tv = struct.pack("qq", int(sec), 0)
    for o in (20, 21):
        _ck(libc.setsockopt(fd, 1, o, tv, 16))

def c_ns(name=""):          # later sockets are made in netns NAME
    fd = os.open("/run/netns/" + name, os.O_RDONLY) if name else NS0
    try:
        _ck(libc.setns(fd, 0x40000000))
    finally:
        if name:
            os.close(fd)
    return "ok"

def c_listen(name, ip, port, backlog):
    fd = fds[name] = _ck(libc.socket(FAM, 1, 0))
    _tmo(fd, 5)
    _ck(libc.bind(fd, _sa(ip, port), 16))
    _ck(libc.listen(fd, int(backlog)))
    return "ok"

def c_connect(name, ip, port, nb="0"):
    fd = fds[name] = _ck(libc.socket(FAM, 1 | (0o4000 if nb == "1" else 0), 0))
    _tmo(fd, 5)
    if libc.connect(fd, _sa(ip, port), 16) < 0:
        e = ctypes.get_errno()
        if nb != "1" or e != errno.EINPROGRESS:
            raise OSError(e, os.strerror(e))
    return "ok"

def c_accept(name, lname):
    fds[name] = _ck(libc.accept(fds[lname], None, None))
    return "ok"

def c_shut(name):
    _ck(libc.shutdown(fds[name], 1))
    return "ok"

def c_closeall():
    while fds:
        os.close(fds.popitem()[1])
    return "ok"

def c_readns(ns, path):     # PATH as seen from netns NS
    c_ns(ns)
    try:
        return open(path).read().rstrip("\n")
    finally:
        c_ns()

def c_states(ns=""):        # sorted states of the strm lines of netns NS
    c_ns(ns)
    try:
        t = open("/proc/net/ttp/sockets").read().splitlines()
    finally:
        c_ns()
    return " ".join(sorted(l.split()[3] for l in t if l.startswith("strm")))

def c_cycles(lname, ip, port, n):
    """N connect/accept/close cycles to listener LNAME: "failures ms" """
    l, a, bad, t = fds[lname], _sa(ip, port), 0, time.time()
    for i in range(int(n)):
        c = libc.socket(FAM, 1, 0)
        if c < 0 or libc.connect(c, a, 16) < 0:
            bad += 1
        else:
            s = libc.accept(l, None, None)
            if s < 0:
                bad += 1
            else:
                os.close(s)
        if c >= 0:
            os.close(c)
    return "%d %d" % (bad, (time.time() - t) * 1000)

def _conn_once(lname, ip, port):  # errno name of the failed call, or ""
    c = _ck(libc.socket(FAM, 1, 0))
    try:
        _tmo(c, 10)
        if libc.connect(c, _sa(ip, port), 16) < 0:
            return "connect:" + errno.errorcode[ctypes.get_errno()]
        s = libc.accept(fds[lname], None, None)
        if s < 0:
            return "accept:" + errno.errorcode[ctypes.get_errno()]
        os.close(s)
        return ""
    finally:
        os.close(c)

def c_realconn(lname, ip, port, secs):
    """connections for SECS, an attempt that fails retried at once (up
    to 10 s): "connections failed worst_ms attempts failures" """
    n, bad, worst, tries, why = 0, 0, 0, 0, []
    end = time.time() + float(secs)
    while time.time() < end:
        t = time.time()
        while True:
            tries += 1
            e = _conn_once(lname, ip, port)
            if not e:
                break
            why.append(e)
            if time.time() - t > 10:
                bad += 1
                break
        n, worst = n + 1, max(worst, time.time() - t)
    return "%d %d %d %d %s" % (n, bad, worst * 1000, tries,
                               ",".join(sorted(set(why))) or "-")
'
_PY_AGENT=${_PY_AGENT/$'\n'for line in sys.stdin:/$_STREAM_CMDS$'\n'for line in sys.stdin:}

# ---- helpers --------------------------------------------------------------

# nstat NAME NS: counter NAME of netns NS, read by the agent in $C
nstat()
{
	local k v
	while read -r k v; do
		[ "$k" = "$1" ] && { echo "$v"; return 0; }
	done <<<"$(py $C readns "$2" /proc/net/ttp/stats)"
	return 1
}

sysctl_ns()	# NS NAME VALUE
{
	ip netns exec "$1" sh -c "echo $3 > $SYSD/$2"
}

# slab_objs: TTP_STREAM objects in use (SLUB's count; a merged cache's too)
slab_objs()
{
	local n
	read -r n _ </sys/kernel/slab/TTP_STREAM/objects 2>/dev/null && echo "$n"
}

# ---- 1. connect/close cycles ----------------------------------------------

ttp_load
for ns in $C $S $F; do ns_add "$ns"; done
ip -n $C -b - <<EOF
link add sc0 type ttp
link set sc0-peer netns $S name ss0
addr add 10.79.0.1/24 dev sc0
link set sc0 up
EOF
ip -n $S -b - <<EOF
addr add 10.79.0.2/24 dev ss0
link set ss0 up
link add sf0 type ttp
link set sf0-peer netns $F name fl0
addr add 10.79.1.1/24 dev sf0
link set sf0 up
EOF
ip -n $F link set fl0 up
for ns in $C $S; do sysctl_ns "$ns" stream_time_wait_ms 100; done
py_start $C

act0=$(ttp_stat StreamActiveOpens $C)
pas0=$(nstat StreamPassiveOpens $S)
est0="$(ttp_stat StreamCurrEstab $C) $(nstat StreamCurrEstab $S)"
slab0=$(slab_objs)
py $C ns $S >/dev/null
py $C listen cyc 0.0.0.0 7000 64 >/dev/null
py $C ns >/dev/null
read -r bad ms <<<"$(py $C cycles cyc 10.79.0.2 7000 $CYCLES)"
diag "$CYCLES cycles: ${ms:-?} ms"
check_eq "$CYCLES connect/accept/close cycles over a cable: no failure" 0 "${bad:-none}"
check "... in under $((90 * TTP_TIME_SCALE)) s ($((${ms:-0} / 1000)) s)" \
	test "${ms:-999999}" -lt $((90000 * TTP_TIME_SCALE))
check_eq "ActiveOpens ($C) and PassiveOpens ($S) both +$CYCLES" \
	"$((act0 + CYCLES)) $((pas0 + CYCLES))" \
	"$(ttp_stat StreamActiveOpens $C) $(nstat StreamPassiveOpens $S)"
estab() { echo "$(ttp_stat StreamCurrEstab $C) $(nstat StreamCurrEstab $S)"; }
check "StreamCurrEstab back to its start in both namespaces ($est0)" \
	wait_for '[ "$(estab)" = "$est0" ]' 5
check "no socket left in /proc/net/ttp/sockets but the listener" \
	wait_for '[ "$(py $C states)|$(py $C states $S)" = "|LISTEN" ]' 5
# Sockets are freed after an RCU grace period (SOCK_RCU_FREE): poll.
slab_back() { slab1=$(slab_objs); [ -n "$slab0" ] && [ -n "$slab1" ] && [ $((slab1 - slab0)) -lt 100 ]; }
wait_for slab_back 10
diag "TTP_STREAM slab objects: ${slab0:-?} before, ${slab1:-?} after"
check "TTP_STREAM slab objects back near the start (${slab0:-?} -> ${slab1:-?})" slab_back

# ---- 2. SYN flood ---------------------------------------------------------

# In F (no TTP address): spoofed SYNs to DST:PORT from random addresses
# of DST's /24, valid IPv4 and TCP checksums, as fast as python goes.
syn_flood()	# DEV DMAC DST PORT SECS: prints the frames sent
{
	ip netns exec $F "$PY" -S -c '
import random, socket, struct, sys, time
dev, dmac, dst, port, secs = sys.argv[1:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
hdr = bytes.fromhex(dmac.replace(":", "")) + s.getsockname()[4] + b"\x88\xb5"
def csum(b):
    x = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while x >> 16:
        x = (x & 0xffff) + (x >> 16)
    return ~x & 0xffff
pfx, daddr = dst.rsplit(".", 1)[0], socket.inet_aton(dst)
end, n = time.time() + float(secs), 0
while time.time() < end:
    for _ in range(20):
        src = socket.inet_aton("%s.%d" % (pfx, random.randint(2, 254)))
        tcp = struct.pack("!HHIIBBHHH", random.randint(1024, 65535),
                          int(port), random.getrandbits(32), 0, 0x50, 0x02,
                          65535, 0, 0)
        ph = src + daddr + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, random.getrandbits(16),
                         0, 64, 6, 0, src, daddr)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        try:
            s.send(hdr + ip + tcp + bytes(6))
            n += 1
        except OSError:
            pass
print(n)' "$@"
}

# In S: the most SYN_RECEIVED lines and TTP_STREAM objects seen, sampled
# every 20 ms for SECS: "max_synrecv samples max_slab"
sampler()	# SECS
{
	ip netns exec $S "$PY" -S -c '
import sys, time
end, m, n, so = time.time() + float(sys.argv[1]), 0, 0, 0
while time.time() < end:
    t = open("/proc/net/ttp/sockets").read()
    m, n = max(m, t.count(" SYN_RECEIVED ")), n + 1
    try:
        so = max(so, int(open("/sys/kernel/slab/TTP_STREAM/objects").read().split()[0]))
    except (OSError, ValueError):
        pass
    time.sleep(0.02)
print(m, n, so)' "$1"
}

FLOOD=12
# Children of spoofed SYNs otherwise live 63 s (5 SYN-ACK retries).
sysctl_ns $S stream_synack_retries 1
py $C ns $S >/dev/null
py $C listen fl 0.0.0.0 8000 $BACKLOG >/dev/null
py $C ns >/dev/null
scnt()	# the SYN-queue counters of S
{
	local c
	for c in StreamSynQueueEvictions StreamListenDrops StreamListenOverflows StreamOutRsts; do
		nstat $c $S
	done | xargs
}
read -r ev0 dr0 ov0 rst0 <<<"$(scnt)"
slab0=$(slab_objs)
dmac=$(ip netns exec $S cat /sys/class/net/sf0/address)
syn_flood fl0 "$dmac" 10.79.1.1 8000 $FLOOD >"$TMPD/flood" 2>&1 &
fpid=$!
sampler $((FLOOD - 1)) >"$TMPD/sampler" 2>&1 &
spid=$!
# Let the flood fill the SYN queue first (python starts slowly under TCG).
wait_for '[ "$(py $C states $S | grep -o SYN_RECEIVED | wc -l)" -gt $BACKLOG ]' 8 ||
	diag "the flood did not fill the SYN queue within 8 s"
read -r nconn bad worst tries why <<<"$(py $C realconn fl 10.79.0.2 8000 5)"
wait $fpid $spid
read -r sent <"$TMPD/flood"
read -r maxsr samples maxslab <"$TMPD/sampler"
read -r ev1 dr1 ov1 rst1 <<<"$(scnt)"
diag "flood: ${sent:-?} SYNs sent in $FLOOD s"
diag "SYN_RECEIVED max ${maxsr:-?} in ${samples:-?} samples; slab max ${maxslab:-?} (start ${slab0:-?})"
diag "S: evictions +$((ev1 - ev0)), ListenDrops +$((dr1 - dr0)), ListenOverflows +$((ov1 - ov0)), OutRsts +$((rst1 - rst0))"
# A real client's child is evicted too when the flood's next backlog + 1
# SYNs come before its ACK (RTT > (backlog + 1) / flood rate, seen under
# TCG): its ACK then meets the listener, an RST, connect() ECONNRESET.  A
# client that tries again at once gets in: that is the policy's promise.
failed=$((tries - nconn))
diag "real client: ${nconn:-?} connections in ${tries:-?} attempts (${failed} reset: ${why:-?})"
check "real connections during the flood: all made (${bad:-?} of ${nconn:-?} not within 10 s)" \
	test "${nconn:-0}" -gt 0 -a "${bad:-1}" = 0
check "... each within 3 s, retries included (worst ${worst:-?} ms)" test "${worst:-99999}" -lt 3000
check "... fewer than 5% of the attempts reset ($failed of ${tries:-?})" \
	test "$((failed * 20))" -lt "${tries:-0}"
check "StreamSynQueueEvictions grew, for most spoofed SYNs ($((ev1 - ev0)) for ${sent:-?} spoofed SYNs)" \
	test "${sent:-0}" -gt 0 -a "$((ev1 - ev0))" -ge "$((${sent:-0} / 2))"
check "SYN_RECEIVED lines: never above backlog + 1 = $((BACKLOG + 1)), reached it (max ${maxsr:-?}, ${samples:-?} samples)" \
	test "${samples:-0}" -gt 10 -a "${maxsr:-99}" -le $((BACKLOG + 1)) -a "${maxsr:-0}" -ge $BACKLOG
check "TTP_STREAM slab objects stay bounded during the flood (${slab0:-?} -> max ${maxslab:-?})" \
	test -n "$slab0" -a "${maxslab:-99999}" -lt $((${slab0:-0} + 500))
check "after the flood the SYN_RECEIVED children go (SYN-ACK retries or ARP fail)" \
	wait_for '[ "$(py $C states $S)" = "LISTEN LISTEN" ]' 60
py $C closeall >/dev/null
py_stop $C

# ---- 3. sockets in every state --------------------------------------------

WANT_A="CLOSING ESTABLISHED ESTABLISHED FIN_WAIT_2 SYN_SENT"
WANT_B="CLOSE_WAIT ESTABLISHED FIN_WAIT_1 LAST_ACK LISTEN LISTEN LISTEN LISTEN LISTEN SYN_RECEIVED"

# build_states R: namespaces tsl-aR and tsl-bR, cable la0 -- lb0, witness
# cables tslwR/tslvR from the init ns into them, an agent in tsl-aR holding
# sockets in every state (A: clients, B: listeners and accepted ones):
#   7001 SYN_SENT        (B drops everything to 7001)
#   7002 SYN_RECEIVED    (B drops 7002 but SYNs: the client's ACK is lost)
#   7003 ESTABLISHED     both ends
#   7004 FIN_WAIT_2 (A) / CLOSE_WAIT (B): A shuts down
#   7005 TIME_WAIT entry (A) / LAST_ACK (B): A's last ACK dropped
#   7006 CLOSING (A) / FIN_WAIT_1 (B): A's FIN dropped, both shut down
# Prints what went wrong, if anything.
build_states()
{
	local a=tsl-a$1 b=tsl-b$1 p

	{ ns_add "$a" && ns_add "$b"; } || return 1
	ip link add tslw$1 type ttp || return 1
	ip link add tslv$1 type ttp || return 1
	ip link set tslw$1-peer netns $b || return 1
	ip link set tslv$1-peer netns $a || return 1
	at_exit "ip link del tslw$1; ip link del tslv$1"
	ip -n $a -b - <<-EOF || return 1
		link add la0 type ttp
		link set la0-peer netns $b name lb0
		addr add 10.80.0.1/24 dev la0
		link set la0 up
	EOF
	ip -n $b -b - <<-EOF || return 1
		addr add 10.80.0.2/24 dev lb0
		link set lb0 up
	EOF
	for p in $a $b; do sysctl_ns $p stream_fin_timeout_ms $FT || return 1; done
	# @nh: the TTP header (IPv4 layout, 20 bytes), then the TCP layout:
	# dport at bit 176, flags at bit 264.
	ip netns exec $b nft -f - <<-EOF || return 1
		table netdev tsl {
			chain in {
				type filter hook ingress device lb0 priority 0;
				ether type 0x88b5 @nh,176,16 7001 drop
				ether type 0x88b5 @nh,176,16 7002 @nh,264,8 & 0x02 == 0x00 drop
			}
		}
	EOF
	py_start $a
	py $a ns $b >/dev/null || return 1
	for p in 7002 7003 7004 7005 7006; do
		py $a listen l$p 0.0.0.0 $p 8 || return 1
	done
	py $a ns >/dev/null
	py $a connect c7001 10.80.0.2 7001 1 || return 1
	for p in 7002 7003 7004 7005 7006; do
		py $a connect c$p 10.80.0.2 $p || return 1
	done
	for p in 7003 7004 7005 7006; do
		py $a accept s$p l$p || return 1
	done
	py $a shut c7004 && py $a shut c7005 || return 1
	wait_for '[ "$(py $a states $b | grep -o CLOSE_WAIT | wc -l)" = 2 ]' 5 ||
		{ echo "no CLOSE_WAIT: $(py $a states $b)"; return 1; }
	ip netns exec $b nft add rule netdev tsl in ether type 0x88b5 @nh,176,16 '{ 7005, 7006 }' drop ||
		return 1
	py $a shut s7005 && py $a shut c7006 && py $a shut s7006 || return 1
	wait_for '[ "$(py $a states)|$(py $a states $b)" = "$WANT_A|$WANT_B" ]' 5 ||
		{ echo "A: $(py $a states)"$'\n'"B: $(py $a states $b)"; return 1; }
}

tw_lines()	# NS: lines of /proc/net/ttp/timewait but the header
{
	ip netns exec "$1" tail -n +2 /proc/net/ttp/timewait | wc -l
}

# (a) close them all
check_fn "round 1: A has $WANT_A; B has $WANT_B" build_states 1
check_eq "... and a TIME_WAIT entry in A (7005)" 1 "$(tw_lines tsl-a1)"
py tsl-a1 closeall >/dev/null
orph="$(py tsl-a1 states) | $(py tsl-a1 states tsl-b1)"
check "all closed: orphans still closing in A and B ($orph)" \
	eval '[[ "$orph" == *CLOSING*"|"*FIN_WAIT_1*LAST_ACK* ]]'
check "... and gone within fin_timeout ($FT ms) + 2 s" \
	wait_for '[ "$(py tsl-a1 states)|$(py tsl-a1 states tsl-b1)" = "|" ]' $((FT / 1000 + 2))
py_stop tsl-a1

# (b) delete the namespaces with sockets in every state
check_fn "round 2: sockets in every state again" build_states 2
ip netns del tsl-a2
ip netns del tsl-b2
py_stop tsl-a2		# its fds close: orphans are all that is left
check "namespaces deleted: both really go (their witness cable ends vanish)" \
	wait_for '! link_exists tslw2 && ! link_exists tslv2' $((FT / 1000 + 10))

# (c) rmmod with orphans and TIME_WAIT entries
check_fn "round 3: sockets in every state again" build_states 3
check_fail "rmmod fails while stream fds are open (module in use)" rmmod ttp
py tsl-a3 closeall >/dev/null
check "all closed: orphans and a TIME_WAIT entry exist" \
	eval '[ -n "$(py tsl-a3 states)$(py tsl-a3 states tsl-b3)" ] && [ "$(tw_lines tsl-a3)" -ge 1 ]'
check "rmmod succeeds right away (orphans do not pin the module)" rmmod ttp
check "insmod again, and the stats file is back" \
	eval 'insmod "$TTP_KO" && [ -r /proc/net/ttp/stats ]'
