#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_badinput.sh: malformed and hostile input from the wire.  From the
# peer end of a ttp cable (namespace B, AF_PACKET), frames are injected
# into A's TTP-enabled end; each must be dropped and counted by the right
# counter of A's /proc/net/ttp/stats, and by no other:
#  - network layer (EtherType 0x88B5): version, IHL, total length (short,
#    truncated), header checksum, TTL 0, fragments, bad source addresses,
#    another host's destination with forwarding off, runt frames, unknown
#    protocol (protocol unreachable sent back), another MAC; control
#    message checksum and length; datagram checksum and length, no
#    listener (port unreachable sent back); with forwarding on, no route
#    (network unreachable sent back) and a directed broadcast (no answer);
#  - TTP ARP (ptype 0x88B5): hardware type, lengths, opcode, sender
#    addresses, conflicts with A's address (cache not poisoned), a flood
#    of 2000 senders against arp_max_entries 64 (cache bounded, evictions
#    counted), a table full of static entries (ArpCacheFull);
#  - the kernel's own IPv4 and ARP on the same device: handled by the
#    kernel, not counted by TTP; the kernel's neighbour table never learns
#    from TTP ARP.
# Good frames built the same way (datagrams with and without checksum, an
# echo request) are delivered, which proves the injection path and the
# checksums.
#
# The agents get extra commands (prepended to lib.sh's _PY_AGENT): in A,
# stats snapshots and exact deltas, a bound AF_TTP datagram socket, snmp;
# in B, a frame builder/sender and a capture socket for what A answers.
#
# shellcheck source=lib.sh disable=SC2016,SC2086 # eval'd conditions; NAME=DELTA lists split
. "$(dirname "$0")/lib.sh"

A=ttp_bi-a
B=ttp_bi-b
AIP=10.232.0.1
BIP=10.232.0.2
PORT=5000

plan 62

_PY_AGENT='
import os, select, socket, struct, ctypes
SCALE = float(os.environ.get("TTP_TIME_SCALE", "1"))
G = {}

# ---- A: counters -----------------------------------------------------
def stats():
    d = {}
    with open("/proc/net/ttp/stats") as f:
        next(f)
        for l in f:
            k, v = l.split()
            d[k] = int(v)
    return d

def c_snap():
    G["snap"] = stats()
    return "ok"

def c_diff(*want):
    """ok if the counters moved since snap exactly by NAME=DELTA..."""
    now, old = stats(), G["snap"]
    got = {k: now[k] - old.get(k, 0) for k in now if now[k] != old.get(k, 0)}
    w = {}
    for x in want:
        k, v = x.split("=")
        w[k] = int(v)
    if got == w:
        return "ok"
    order = list(now) + sorted(k for k in w if k not in now)
    fmt = lambda d: " ".join("%s=%d" % (k, d[k]) for k in order if k in d)
    return "want: %s\ngot:  %s" % (fmt(w), fmt(got))

def c_snmp(proto, name):    # a /proc/net/snmp counter
    with open("/proc/net/snmp") as f:
        rows = [l.split() for l in f if l.startswith(proto + ":")]
    return rows[1][rows[0].index(name)]

# ---- A: a datagram socket --------------------------------------------
def c_dbind(port):          # AF_TTP datagram socket bound to *:port
    libc = ctypes.CDLL(None, use_errno=True)
    s = socket.socket(25, socket.SOCK_DGRAM, 0)
    sa = struct.pack("=H", 25) + struct.pack("!HI", int(port), 0) + bytes(8)
    if libc.bind(s.fileno(), sa, len(sa)):
        raise OSError(ctypes.get_errno(), "bind")
    G["sock"] = s
    return "ok"

def c_drecv():              # the next datagram, or "nothing" (3 s bound)
    s = G["sock"]
    r, _, _ = select.select([s], [], [], 3 * SCALE)
    return s.recv(65536, socket.MSG_DONTWAIT).decode() if r else "nothing"

# ---- B: frames -------------------------------------------------------
def mac(s):
    return bytes.fromhex(s.replace(":", ""))

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def c_setup(dev, amac, aip, bip):
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind((dev, 0))
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
    rx.bind((dev, 0x88b5))
    rx.setblocking(False)
    G.update(tx=tx, rx=rx, amac=mac(amac), bmac=tx.getsockname()[4],
             aip=aip, bip=bip)
    return "ok"

def ip4(o, payload, proto):
    """an IPv4-layout header (valid unless o says otherwise) + payload"""
    h = struct.pack("!BBHHHBBH4s4s",
                    int(o.get("ver", 4)) << 4 | int(o.get("ihl", 5)), 0,
                    int(o.get("tot", 20 + len(payload))), 7,
                    int(o.get("frag", "0x4000"), 0), int(o.get("ttl", 64)),
                    int(o.get("proto", proto)), 0,
                    socket.inet_aton(o.get("src", G["bip"])),
                    socket.inet_aton(o.get("dst", G["aip"])))
    c = csum(h)
    if o.get("csum") == "bad":
        c ^= 0x00ff         # never the other zero: the high byte stays
    return h[:10] + struct.pack("!H", c) + h[12:] + payload

def dgram(o):
    """a datagram header + data, checksum right unless o says otherwise"""
    data = o.get("data", "hello").encode()
    ulen = int(o.get("ulen", 8 + len(data)))
    u = struct.pack("!HHHH", 4000, int(o.get("dport", 5000)), ulen, 0) + data
    how = o.get("ucsum", "good")
    if how != "none":
        ph = socket.inet_aton(o.get("src", G["bip"]))
        ph += socket.inet_aton(o.get("dst", G["aip"]))
        c = csum(ph + struct.pack("!BBH", 0, 17, ulen) + u) or 0xffff
        if how == "bad":
            c ^= 0x00ff
            c = c or 0x0f00     # 0 would mean "no checksum"
        u = u[:6] + struct.pack("!H", c) + u[8:]
    return u

def arp_pkt(o):
    return (struct.pack("!HHBBH", int(o.get("hrd", 1)),
                        int(o.get("pro", "0x88b5"), 0), int(o.get("hln", 6)),
                        int(o.get("pln", 4)), int(o.get("op", 1))) +
            mac(o.get("sha", G["bmac"].hex())) +
            socket.inet_aton(o.get("sip", G["bip"])) +
            mac(o.get("tha", "00:00:00:00:00:00")) +
            socket.inet_aton(o.get("tip", G["aip"])))

def c_tx(kind, *words):
    """send one frame: kind udp|ip|icmp|arp, KEY=VALUE overrides"""
    o = dict(w.split("=", 1) for w in words)
    etype = 0x88b5
    if kind == "udp":
        body = ip4(o, dgram(o), 17)
    elif kind == "ip":
        body = ip4(o, bytes.fromhex(o.get("payload", "")), 17)
    elif kind == "ctl":     # a TTP control message, echo request by default
        m = struct.pack("!BBHI", int(o.get("type", 8)), int(o.get("code", 0)),
                        0, 0x42420001) + bytes.fromhex(o.get("payload", "70696e67"))
        c = csum(m)
        if o.get("ccsum") == "bad":
            c ^= 0x00ff
        body = ip4(o, m[:2] + struct.pack("!H", c) + m[4:], 1)
    elif kind == "icmp":    # echo request, kernel IPv4
        e = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 1) + b"ping"
        e = e[:2] + struct.pack("!H", csum(e)) + e[4:]
        body, etype = ip4(o, e, 1), 0x0800
    elif kind == "arp":
        body, etype = arp_pkt(o), 0x0806
    if "cut" in o:
        body = body[:int(o["cut"])]
    G["last"] = body
    dst = mac(o["dmac"]) if "dmac" in o else G["amac"]
    if "etype" in o:
        etype = int(o["etype"], 0)
    f = dst + G["bmac"] + struct.pack("!H", etype)
    f += body
    if o.get("pad", "1") == "1":
        f = f.ljust(60, b"\0")
    G["tx"].send(f)
    return "sent %d" % len(f)

def c_flood(n, tip):
    """n ARP requests for tip from n senders 10.240.X.Y, 02:00:00:00:X:Y"""
    n, sent = int(n), 0
    for i in range(1, n + 1):
        sha = bytes([2, 0, 0, 0, i >> 8, i & 255])
        p = struct.pack("!HHBBH", 1, 0x88b5, 6, 4, 1) + sha
        p += socket.inet_aton("10.240.%d.%d" % (i >> 8, i & 255))
        p += bytes(6) + socket.inet_aton(tip)
        f = b"\xff" * 6 + sha + b"\x08\x06" + p
        G["tx"].send(f.ljust(60, b"\0"))
        sent += 1
    return str(sent)

def c_drain():
    try:
        while True:
            G["rx"].recv(65536)
    except BlockingIOError:
        pass
    return "ok"

def c_rx():
    """the next 0x88B5 frame A sent us, decoded (3 s bound)"""
    r, _, _ = select.select([G["rx"]], [], [], 3 * SCALE)
    if not r:
        return "nothing"
    f = G["rx"].recv(65536)
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    m = ip[hl:tot]
    last = G["last"]
    if m[8:] == last[:28]:
        body = "quotes ours"            # an error: our header + 8 bytes
    elif m[4:] == last[24:]:
        body = "echoes ours"            # an echo reply: id, seq, data
    else:
        body = "unknown"
    return "proto %d %s>%s ipcsum %s type %d code %d csum %s, %s" % (
        ip[9], socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20]),
        "ok" if csum(ip[:hl]) == 0 else "bad", m[0], m[1],
        "ok" if csum(m) == 0 else "bad", body)
'"$_PY_AGENT"

export TTP_TIME_SCALE

ttp_load
ns_add $A
ns_add $B
py_start $A
py_start $B
ip -n $A link add bi0 type ttp
ip -n $A link set bi0-peer netns $B name bip
ip -n $A addr add $AIP/24 dev bi0
ip -n $A link set bi0 up
ip -n $B link set bip up
AMAC=$(py $A read /sys/class/net/bi0/address)
BMAC=$(py $B read /sys/class/net/bip/address)
py $B setup bip "$AMAC" $AIP $BIP >/dev/null
# A answers B without ARP (B's end is not TTP-enabled: it has no address).
py $A write /proc/net/ttp/arp add $BIP "$BMAC" bi0 >/dev/null
py $A dbind $PORT >/dev/null
py $B drain >/dev/null

check "A's end is TTP-enabled, B's is not" \
	wait_for '[ "$(ttp_dev_field bi0 State $A) $(ttp_dev_field bip State $B)" = "enabled no-address" ]' 5

# expect DESC KIND [KEY=VALUE...] -- NAME=DELTA...: send one frame, then
# the counters of A must move by exactly NAME=DELTA... and nothing else.
expect()
{
	local desc=$1 kind=$2 args=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	_want="$*"
	py $A snap >/dev/null
	py $B tx "$kind" "${args[@]}" >/dev/null
	wait_for '[ "$(py $A diff $_want)" = ok ]' 3
	check_eq "$desc" ok "$(py $A diff $_want)"
}
IN="NfInTtpFrames=1 IpInReceives=1"
ARPIN="NfInArpFrames=1"

# --- the injection path works: good datagrams are delivered ---------------

expect "good datagram: delivered" udp data=good1 -- \
	$IN IpInDelivers=1 DgramInDatagrams=1
check_eq "... the socket on port $PORT reads it" good1 "$(py $A drecv)"
expect "good datagram without checksum (0): delivered" udp data=good2 ucsum=none -- \
	$IN IpInDelivers=1 DgramInDatagrams=1
check_eq "... the socket on port $PORT reads it" good2 "$(py $A drecv)"

# --- network header ---------------------------------------------------------

expect "version 6: IpInHdrErrors" udp ver=6 -- $IN IpInHdrErrors=1
expect "IHL 4: IpInHdrErrors" udp ihl=4 -- $IN IpInHdrErrors=1
expect "IHL 15, past the end of the frame: IpInHdrErrors" udp ihl=15 -- $IN IpInHdrErrors=1
expect "frame shorter than a network header (12 bytes): IpInHdrErrors" \
	udp cut=12 pad=0 -- $IN IpInHdrErrors=1
expect "total length 10, shorter than the header: IpInHdrErrors" udp tot=10 -- \
	$IN IpInHdrErrors=1
expect "total length 200, longer than the frame: IpInTruncatedPkts" udp tot=200 -- \
	$IN IpInTruncatedPkts=1
expect "bad header checksum: IpInCsumErrors and IpInHdrErrors" udp csum=bad -- \
	$IN IpInHdrErrors=1 IpInCsumErrors=1
expect "TTL 0: IpInHdrErrors" udp ttl=0 -- $IN IpInHdrErrors=1
expect "more fragments (MF): IpInHdrErrors" udp frag=0x2000 -- $IN IpInHdrErrors=1
expect "fragment offset 8: IpInHdrErrors" udp frag=0x0001 -- $IN IpInHdrErrors=1
expect "source 224.0.0.1 (multicast): IpInAddrErrors" udp src=224.0.0.1 -- \
	$IN IpInAddrErrors=1
expect "source 255.255.255.255: IpInAddrErrors" udp src=255.255.255.255 -- \
	$IN IpInAddrErrors=1
expect "source 0.0.0.0: IpInAddrErrors" udp src=0.0.0.0 -- $IN IpInAddrErrors=1
expect "destination 10.232.0.99 (not ours), forwarding off: IpForwDisabled, IpInAddrErrors" \
	udp dst=10.232.0.99 -- $IN IpInAddrErrors=1 IpForwDisabled=1
expect "frame for another MAC: seen by the hook, not received" \
	udp dmac=02:00:00:00:00:99 -- NfInTtpFrames=1

# Answers A sends back: B captures them (EtherType 0x88B5 on its end).
ctl_back()	# what B captured: proto, addresses, checksums, type, code, quote
{
	py $B rx
}
expect "unknown protocol 99: IpInUnknownProtos, a control message out" \
	ip proto=99 payload=0102030405060708 -- \
	$IN IpInUnknownProtos=1 IpOutRequests=1 CtlOutMsgs=1 CtlOutDestUnreachs=1
check_eq "... B gets protocol unreachable (3/2) quoting the packet" \
	"proto 1 $AIP>$BIP ipcsum ok type 3 code 2 csum ok, quotes ours" "$(ctl_back)"

# --- control messages -------------------------------------------------------

expect "control message with a bad checksum: CtlInErrors" ctl ccsum=bad -- \
	$IN IpInDelivers=1 CtlInErrors=1
expect "control message of 2 bytes: CtlInErrors" ip proto=1 payload=0800 -- \
	$IN IpInDelivers=1 CtlInErrors=1
expect "destination unreachable quoting 4 bytes: CtlInDestUnreachs, CtlInErrors" \
	ctl type=3 code=3 payload=45000020 -- \
	$IN IpInDelivers=1 CtlInMsgs=1 CtlInDestUnreachs=1 CtlInErrors=1
expect "good echo request: answered" ctl -- \
	$IN IpInDelivers=1 CtlInMsgs=1 CtlInEchos=1 IpOutRequests=1 CtlOutMsgs=1 CtlOutEchoReps=1
check_eq "... B gets the echo reply (0/0) with our id, sequence and data" \
	"proto 1 $AIP>$BIP ipcsum ok type 0 code 0 csum ok, echoes ours" "$(ctl_back)"

# --- datagram header --------------------------------------------------------

expect "bad datagram checksum: DgramInCsumErrors and DgramInErrors" udp ucsum=bad -- \
	$IN IpInDelivers=1 DgramInErrors=1 DgramInCsumErrors=1
expect "datagram length 23 > the 13 bytes there: DgramInErrors" udp ulen=23 -- \
	$IN IpInDelivers=1 DgramInErrors=1
expect "datagram length 4 < its header: DgramInErrors" udp ulen=4 -- \
	$IN IpInDelivers=1 DgramInErrors=1
expect "good datagram to port 5001, nobody listens: DgramNoPorts, a control message out" \
	udp dport=5001 -- \
	$IN IpInDelivers=1 DgramNoPorts=1 IpOutRequests=1 CtlOutMsgs=1 CtlOutDestUnreachs=1
check_eq "... B gets port unreachable (3/3) quoting the datagram" \
	"proto 1 $AIP>$BIP ipcsum ok type 3 code 3 csum ok, quotes ours" "$(ctl_back)"
check_eq "no other frame came back for any of the bad packets" nothing "$(py $B rx)"

# --- forwarding on: errors go back, but never about a broadcast ---------------

py $A write /proc/sys/net/ttp/forwarding 1 >/dev/null
expect "forwarding on, no route to 10.99.0.1: network unreachable sent back" \
	udp dst=10.99.0.1 -- \
	$IN IpInAddrErrors=1 IpOutNoRoutes=1 IpOutRequests=1 CtlOutMsgs=1 CtlOutDestUnreachs=1
check_eq "... B gets network unreachable (3/0) quoting the datagram" \
	"proto 1 $AIP>$BIP ipcsum ok type 3 code 0 csum ok, quotes ours" "$(ctl_back)"
expect "forwarding on, to the directed broadcast 10.232.0.255: dropped, no answer" \
	udp dst=10.232.0.255 -- $IN IpInAddrErrors=1 IpOutNoRoutes=1
check_eq "... nothing comes back (RFC 1122 3.2.2)" nothing "$(py $B rx)"
py $A write /proc/sys/net/ttp/forwarding 0 >/dev/null

# --- TTP ARP ----------------------------------------------------------------

expect "ARP hardware type 6 (IEEE 802): ArpInErrors" arp hrd=6 -- $ARPIN ArpInErrors=1
expect "ARP hardware length 8: ArpInErrors" arp hln=8 -- $ARPIN ArpInErrors=1
expect "ARP protocol length 6: ArpInErrors" arp pln=6 -- $ARPIN ArpInErrors=1
expect "ARP opcode 3: ArpInErrors" arp op=3 -- $ARPIN ArpInErrors=1
expect "ARP sender MAC multicast: ArpInErrors" arp sha=01:00:5e:00:00:01 -- \
	$ARPIN ArpInErrors=1
expect "ARP sender address 127.0.0.1: ArpInErrors" arp sip=127.0.0.1 -- \
	$ARPIN ArpInErrors=1
expect "ARP reply from 0.0.0.0: ArpInErrors" arp op=2 sip=0.0.0.0 -- \
	$ARPIN ArpInErrors=1
expect "ARP frame cut after 20 bytes: ArpInErrors" arp cut=20 pad=0 -- \
	$ARPIN ArpInErrors=1

expect "gratuitous ARP for A's address from another MAC: ArpConflicts" \
	arp sha=02:00:00:00:aa:01 sip=$AIP tip=$AIP -- \
	$ARPIN ArpInRequests=1 ArpConflicts=1
expect "ARP reply claiming A's address: ArpConflicts" \
	arp op=2 sha=02:00:00:00:aa:01 sip=$AIP tip=$BIP tha="$BMAC" -- \
	$ARPIN ArpInReplies=1 ArpConflicts=1
# shellcheck disable=SC2034 # read by the eval'd condition
arp_tab=$(py $A read /proc/net/ttp/arp)
check "A's cache has no entry for its own address nor for the claimant's MAC" \
	eval '! grep -Eq "^$AIP |02:00:00:00:aa:01" <<<"$arp_tab"'
expect "gratuitous ARP moving B's address to another MAC: ArpInGratuitous" \
	arp sha=02:00:00:00:aa:02 sip=$BIP tip=$BIP -- \
	$ARPIN ArpInRequests=1 ArpInGratuitous=1
check "... the static entry for B keeps B's MAC" \
	grep -Eq "^$BIP +$BMAC +PERMANENT +bi0 " <<<"$(py $A read /proc/net/ttp/arp)"

# arp_lines: entries in A's TTP ARP cache (lines, header excluded)
arp_lines()
{
	local n
	n=$(py $A read /proc/net/ttp/arp | wc -l)
	echo $((n - 1))
}
py $A write /proc/sys/net/ttp/arp_max_entries 64 >/dev/null
neigh0=$(ip -n $A neigh show)
n0=$(arp_lines)
py $A snap >/dev/null
check_eq "2000 ARP requests for A from 2000 senders sent" 2000 "$(py $B flood 2000 $AIP)"
_want="NfInArpFrames=2000 ArpInRequests=2000 ArpOutReplies=2000 ArpGcEvicted=$((n0 + 2000 - 64))"
wait_for '[ "$(py $A diff $_want)" = ok ]' 30
check_eq "... all answered, the oldest learnt entries evicted: ArpGcEvicted $((n0 + 2000 - 64))" \
	ok "$(py $A diff $_want)"
check_eq "... the cache stays at arp_max_entries (64)" 64 "$(arp_lines)"
check_eq "... the kernel's neighbour table did not change" "$neigh0" "$(ip -n $A neigh show)"

# A cache full of static entries cannot make room: ArpCacheFull.
py $A write /proc/net/ttp/arp flush >/dev/null
py $A write /proc/sys/net/ttp/arp_max_entries 16 >/dev/null
py $A write /proc/net/ttp/arp add $BIP "$BMAC" bi0 >/dev/null
for i in {10..24}; do
	py $A write /proc/net/ttp/arp add 10.232.0.1$i 02:00:00:00:01:$i bi0 >/dev/null
done
check_eq "16 static entries" 16 "$(arp_lines)"
expect "ARP request from a new sender into a full static cache: ArpCacheFull" \
	arp sha=02:00:00:00:bb:01 sip=10.241.0.1 tip=$AIP -- \
	$ARPIN ArpInRequests=1 ArpOutReplies=1 ArpCacheFull=1
check "... answered but not learnt: still 16 entries, none for 10.241.0.1" \
	eval '[ "$(arp_lines)" = 16 ] && ! grep -q "^10.241.0.1 " <<<"$(py $A read /proc/net/ttp/arp)"'

# --- the kernel's own IPv4 and ARP are not TTP's --------------------------

# shellcheck disable=SC2034 # read by the eval'd condition
echos0=$(py $A snmp Icmp InEchos)
py $A snap >/dev/null
for i in 1 2 3; do py $B tx icmp >/dev/null; done
check "3 kernel IPv4 echo requests reach A's kernel (Icmp InEchos +3)" \
	wait_for '[ "$(py $A snmp Icmp InEchos)" = $((echos0 + 3)) ]' 3
check_eq "... TTP counts none of them" ok "$(py $A diff)"
py $A snap >/dev/null
py $B tx arp pro=0x0800 sip=10.232.0.3 tip=$AIP dmac=ff:ff:ff:ff:ff:ff >/dev/null
check "kernel ARP request from 10.232.0.3: A's kernel learns it (ip neigh)" \
	wait_for 'ip -n $A neigh show 10.232.0.3 | grep -qi "lladdr $BMAC"' 3
check_eq "... TTP counts nothing" ok "$(py $A diff)"
check "... and TTP's cache has no entry for 10.232.0.3" \
	eval '! grep -q "^10.232.0.3 " <<<"$(py $A read /proc/net/ttp/arp)"'
