#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ttp_pkt.py: packet-level tests of TTP stream sockets (the packetdrill idea).

usage: ttp_pkt.py [--prefix NAME] [--keep-going] [-v] SCRIPT.pkt...

Builds two namespaces joined by a ttp cable: NAME-t, the TTP side (its end
has an address, 10.77.0.1/24, and runs TTP), and NAME-p, the peer side
(its end has no address, so TTP ignores it: a plain Ethernet wire).  This
program stays in NAME-t for the socket calls and /proc reads, and holds an
AF_PACKET socket on the peer end, through which it injects crafted
segments and sees every segment TTP sends.  TTP reaches the fake peer,
10.77.0.2, through a static TTP ARP entry.

Each script runs on a connection of its own (fresh ports); for each one a
line "PASS name" or "FAIL name" follows lines of diagnostics starting with
"  ".  Exit status: 0 if every script passed.  The script language is in
Documentation/pkt-tester.md.  Needs root and the ttp module loaded.
Python 3.11 standard library and ctypes only.
"""

import argparse
import ctypes
import errno
import fcntl
import os
import re
import select
import socket
import struct
import subprocess
import sys
import time

AF_TTP = 25
ETH_P_TTP = 0x88B5
PROTO_STREAM = 6
CLONE_NEWNET = 0x40000000
PACKET_OUTGOING = 4
SIOCGIFHWADDR = 0x8927
SOL_SOCKET = 1

TTP_ADDR = "10.77.0.1"
PEER_ADDR = "10.77.0.2"
TTP_DEV = "pk0"
PEER_DEV = "pk1"

# Set up once for the whole run (scripts may change them with "sysctl"):
# short TIME_WAIT and orphan timeouts, so that every connection is gone
# soon after its script and the namespaces can be deleted at the end.
# stream_rto_min_ms is the default, set so that it stretches with the
# script on a slow kernel (below): else an RTO of 200 ms fires before a
# stretched script's next segment arrives.
BASE_SYSCTLS = {"stream_time_wait_ms": "2000", "stream_fin_timeout_ms": "2000",
                "stream_rto_init_ms": "1000", "stream_rto_min_ms": "200"}

# On a slow (debug) kernel the whole script runs in stretched time: "+T"
# delays, waits and every *_ms sysctl a script sets are multiplied by
# SCALE, so the kernel's timers keep their relation to the script's.
SCALE = float(os.environ.get("TTP_TIME_SCALE", "1") or 1)


def scaled_sysctl(k, v):
    return str(int(int(v) * SCALE)) if k.endswith("_ms") else v
# Default bounds (seconds, times SCALE): how long a "> ..." line waits for
# its segment, a state/stats line polls, and "> none" listens.
WAIT = 2.0
NONE_WAIT = 1.0
# Timed expectations ("+T > ..."): a segment may come this much earlier
# or later than T after the previous line.
EARLY = (0.1, 0.10)     # seconds + fraction of T
LATE = (0.3, 0.40)

FLAG_BITS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, ".": 0x10, "U": 0x20,
             "E": 0x40, "W": 0x80}
FLAG_ORDER = "SFRPUEW."

libc = ctypes.CDLL(None, use_errno=True)


def oserr(what):
    e = ctypes.get_errno()
    return OSError(e, "%s: %s" % (what, os.strerror(e)))


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET):
        raise oserr("setns")


def ename(e):
    return errno.errorcode.get(e, str(e))


class ScriptError(Exception):
    """The script is wrong (syntax)."""


class Mismatch(Exception):
    """What the script expected did not happen."""


# ---- checksums and segments -----------------------------------------------

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pattern(rel, n):
    """the payload bytes at relative sequence numbers rel..rel+n-1"""
    return bytes(97 + ((rel - 1 + i) & 0xFFFFFFFF) % 26 for i in range(n))


def flags_str(f):
    s = "".join(c for c in FLAG_ORDER if f & FLAG_BITS[c])
    return s or "-"


def parse_flags(s):
    if s == "-":
        return 0
    f = 0
    for c in s:
        if c not in FLAG_BITS:
            raise ScriptError("unknown flag %r in %r" % (c, s))
        f |= FLAG_BITS[c]
    return f


def opts_bytes(opts):
    b = b""
    for o in opts:
        k = o[0]
        if k == "mss":
            b += struct.pack("!BBH", 2, 4, o[1])
        elif k == "wscale":
            b += struct.pack("!BBB", 3, 3, o[1])
        elif k == "nop":
            b += b"\1"
        elif k == "eol":
            b += b"\0"
        elif k == "raw":
            b += o[1]
    return b


def opts_str(opts):
    out = []
    for o in opts:
        if o[0] in ("mss", "wscale"):
            out.append("%s %d" % o)
        elif o[0] == "raw":
            out.append("raw " + o[1].hex())
        else:
            out.append(o[0])
    return "<" + ",".join(out) + ">"


def parse_opts_text(text):
    opts = []
    for item in text.split(","):
        w = item.split()
        if not w:
            continue
        if w[0] in ("mss", "wscale") and len(w) == 2:
            opts.append((w[0], int(w[1], 0)))
        elif w[0] in ("nop", "eol") and len(w) == 1:
            opts.append((w[0],))
        elif w[0] == "raw" and len(w) == 2:
            opts.append(("raw", bytes.fromhex(w[1])))
        else:
            raise ScriptError("bad option %r" % item)
    return opts


def decode_opts(b):
    """the options of a received header, as the script writes them"""
    opts, i = [], 0
    while i < len(b):
        k = b[i]
        if k == 0:
            opts.append(("eol",))
            # what follows an EOL is padding: shown only if not zero
            if any(b[i + 1:]):
                opts.append(("raw", b[i + 1:]))
            break
        if k == 1:
            opts.append(("nop",))
            i += 1
            continue
        if i + 1 >= len(b) or b[i + 1] < 2 or i + b[i + 1] > len(b):
            opts.append(("raw", b[i:]))
            break
        n = b[i + 1]
        if k == 2 and n == 4:
            opts.append(("mss", struct.unpack("!H", b[i + 2:i + 4])[0]))
        elif k == 3 and n == 3:
            opts.append(("wscale", b[i + 2]))
        else:
            opts.append(("raw", b[i:i + n]))
        i += n
    return opts


class Seg:
    """a stream segment as a script line describes it (relative numbers)"""

    def __init__(self):
        self.flags = 0
        self.seq = 0            # relative
        self.len = 0
        self.ack = None         # relative; None: no ACK number given
        self.win = None
        self.opts = None        # None: not given
        self.payload = b""
        self.csum_ok = True
        self.doff = None
        self.ip_ok = True
        self.addrs = ""
        self.ports = None

    def text(self):
        s = "%s %d:%d(%d)" % (flags_str(self.flags), self.seq,
                              (self.seq + self.len) & 0xFFFFFFFF, self.len)
        if self.flags & FLAG_BITS["."]:
            s += " ack %d" % self.ack
        if self.win is not None:
            s += " win %d" % self.win
        if self.opts:
            s += " " + opts_str(self.opts)
        return s


SEG_RE = re.compile(r"^(\S+)\s+(\d+):(\d+)\((\d+)\)(.*)$")


def parse_seg(text, inject):
    """'S. 0:0(0) ack 1 win 100 <mss 1460>' -> Seg and trailing words"""
    m = SEG_RE.match(text.strip())
    if not m:
        raise ScriptError("bad segment %r" % text)
    seg = Seg()
    seg.flags = parse_flags(m.group(1))
    start, end, n = (int(m.group(i)) for i in (2, 3, 4))
    if (start + n) & 0xFFFFFFFF != end:
        raise ScriptError("%d:%d(%d): end is not start + length" %
                          (start, end, n))
    seg.seq, seg.len = start, n
    rest = m.group(5)
    o = re.search(r"<([^>]*)>", rest)
    if o:
        seg.opts = parse_opts_text(o.group(1))
        rest = rest[:o.start()] + " " + rest[o.end():]
    w = rest.split()
    extra = []
    i = 0
    while i < len(w):
        k = w[i]
        v = w[i + 1] if i + 1 < len(w) else None
        if k == "ack" and v is not None:
            seg.ack = int(v, 0)
        elif k == "win" and v is not None:
            seg.win = int(v, 0)
        elif inject and k == "csum" and v == "bad":
            seg.csum_ok = False
        elif inject and k == "doff" and v is not None:
            seg.doff = int(v, 0)
        elif k == "within" and v is not None:
            extra += [k, v]
        else:
            raise ScriptError("unknown word %r" % k)
        i += 2
    if bool(seg.flags & FLAG_BITS["."]) != (seg.ack is not None):
        raise ScriptError("'.' (ACK) and 'ack N' go together")
    return seg, extra


# ---- the two ends ---------------------------------------------------------

def run_ip(ns, cmds):
    args = ["ip"] + (["-n", ns] if ns else []) + ["-batch", "-"]
    p = subprocess.run(args, input="\n".join(cmds) + "\n", text=True,
                       capture_output=True)
    if p.returncode:
        raise RuntimeError("ip %s: %s" % (" ".join(args), p.stderr.strip()))


def ifmac(sock, dev):
    r = fcntl.ioctl(sock.fileno(), SIOCGIFHWADDR,
                    struct.pack("16s16x", dev.encode()))
    return r[18:24]


def write_file(path, value):
    with open(path, "w") as f:
        f.write(value + "\n")


def read_file(path):
    with open(path) as f:
        return f.read()


class Env:
    """the namespaces, the cable, the capture/injection socket"""

    def __init__(self, prefix):
        self.ns_t = prefix + "-t"
        self.ns_p = prefix + "-p"
        self.created = False
        self.rx = None

    def setup(self):
        for ns in (self.ns_t, self.ns_p):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            subprocess.run(["ip", "netns", "add", ns], check=True)
        self.created = True
        self.fd_t = os.open("/run/netns/" + self.ns_t, os.O_RDONLY)
        self.fd_p = os.open("/run/netns/" + self.ns_p, os.O_RDONLY)
        for fd in (self.fd_p, self.fd_t):     # ends in the TTP side
            setns(fd)
            for k in ("all", "default"):
                try:
                    write_file("/proc/sys/net/ipv6/conf/%s/disable_ipv6" % k,
                               "1")
                except OSError:
                    pass
        if not os.path.exists("/proc/net/ttp/stats"):
            raise RuntimeError("no /proc/net/ttp: is the ttp module loaded?")
        run_ip(self.ns_t, [
            "link set lo up",
            "link add %s type ttp" % TTP_DEV,
            "link set %s-peer netns %s name %s" % (TTP_DEV, self.ns_p,
                                                   PEER_DEV),
            "addr add %s/24 dev %s" % (TTP_ADDR, TTP_DEV),
            "link set %s up" % TTP_DEV])
        run_ip(self.ns_p, ["link set lo up", "link set %s up" % PEER_DEV])
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.tmac = ifmac(u, TTP_DEV)
        u.close()
        setns(self.fd_p)
        self.rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                socket.htons(ETH_P_TTP))
        self.rx.bind((PEER_DEV, ETH_P_TTP))
        self.rx.setblocking(False)
        self.pmac = self.rx.getsockname()[4]
        setns(self.fd_t)
        # TTP answers the peer without ARP: a static entry.
        write_file("/proc/net/ttp/arp", "add %s %s %s" % (
            PEER_ADDR, self.pmac.hex(":"), TTP_DEV))
        for k, v in BASE_SYSCTLS.items():
            write_file("/proc/sys/net/ttp/" + k, scaled_sysctl(k, v))
        # the TTP end must be enabled (it has an address), the peer's not
        deadline = time.monotonic() + 5 * SCALE
        while time.monotonic() < deadline:
            if re.search(r"^%s\s.*\benabled\b" % TTP_DEV,
                         read_file("/proc/net/ttp/devices"), re.M):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError("%s never became TTP-enabled" % TTP_DEV)

    def connections(self):
        """stream sockets and TIME_WAIT entries left in the TTP side"""
        n = [l for l in read_file("/proc/net/ttp/sockets").splitlines()
             if l.startswith("strm ")]
        try:
            n += read_file("/proc/net/ttp/timewait").splitlines()[1:]
        except FileNotFoundError:
            pass
        return n

    def teardown(self):
        if not self.created:
            return
        # Orphans and TIME_WAIT hold the namespace and the module: let the
        # short timeouts of BASE_SYSCTLS run out first.
        left = []
        try:
            deadline = time.monotonic() + 8 * SCALE
            while True:
                left = self.connections()
                if not left or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
        except OSError:
            pass
        if self.rx:
            self.rx.close()
        for ns in (self.ns_t, self.ns_p):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        if left:
            print("teardown: connections left in the TTP side:")
            for l in left:
                print("  " + l)
        return not left

    # -- frames --

    def send(self, frame):
        self.rx.send(frame)

    def recv(self, timeout):
        """the next 0x88B5 frame the TTP side sent, or None"""
        deadline = time.monotonic() + timeout
        while True:
            try:
                f, addr = self.rx.recvfrom(65536)
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, None
                select.select([self.rx], [], [], left)
                continue
            if addr[2] == PACKET_OUTGOING:
                continue
            return f, time.monotonic()


# ---- stats, sockets, sysctls (the TTP side) --------------------------------

def stats():
    d = {}
    for l in read_file("/proc/net/ttp/stats").splitlines():
        w = l.split()
        if len(w) == 2 and w[1].isdigit():
            d[w[0]] = int(w[1])
    return d


class Sockaddr(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_uint16),
                ("addr", ctypes.c_uint32), ("zero", ctypes.c_char * 8)]


def sockaddr(addr, port):
    return Sockaddr(AF_TTP, socket.htons(port),
                    struct.unpack("=I", socket.inet_aton(addr))[0], b"")


SOCKOPTS = {"SO_LINGER": 13, "SO_RCVBUF": 8, "SO_SNDBUF": 7,
            "SO_REUSEADDR": 2, "SO_ERROR": 4, "SO_KEEPALIVE": 9}
# Stream options, level SOL_TTP (module/include/uapi/linux/ttp.h)
SOL_TTP = 299
TTP_SOCKOPTS = {"TTP_NODELAY": 1, "TTP_CORK": 3}
TTP_INFO = 11


def sockopt(name):
    """an option's (level, number)"""
    if name in TTP_SOCKOPTS:
        return SOL_TTP, TTP_SOCKOPTS[name]
    if name in SOCKOPTS:
        return SOL_SOCKET, SOCKOPTS[name]
    raise ScriptError("unknown socket option %s" % name)


class TtpInfo(ctypes.Structure):
    """struct ttp_info, field names without their ttpi_ prefix"""
    _fields_ = [(n, t) for t, names in (
        (ctypes.c_uint8, "state options snd_wscale rcv_wscale timer "
                         "retransmits keepalive_probes pad"),
        (ctypes.c_uint32, "rto_ms timer_ms snd_mss rcv_mss iss snd_una "
                          "snd_nxt snd_wnd irs rcv_nxt rcv_wnd sndbuf rcvbuf "
                          "send_queue recv_queue keepalive_time_ms "
                          "keepalive_intvl_ms keepalive_cnt fin_timeout_ms "
                          "time_wait_ms"),
        (ctypes.c_uint64, "segs_in segs_out bytes_received bytes_acked"),
        (ctypes.c_uint32, "rtt_us rttvar_us min_rtt_us snd_cwnd "
                          "snd_ssthresh"),
        (ctypes.c_uint8, "ca_state dupacks backoff probes"),
        (ctypes.c_uint32, "unacked lost total_retrans win_probes "
                          "notsent_bytes ooo_bytes"),
        (ctypes.c_uint64, "bytes_sent bytes_retrans"),
    ) for n in names.split()]


# ttp_info fields that are sequence numbers: shown relative, as in segments
INFO_SEQ_OURS = ("snd_una", "snd_nxt")     # relative to TTP's ISN
INFO_SEQ_THEIRS = ("rcv_nxt",)             # relative to the peer's


# ---- a script ---------------------------------------------------------------

class Line:
    def __init__(self, no, text, delay, body):
        self.no = no
        self.text = text
        self.delay = delay      # seconds after the previous line, or None
        self.body = body


def load(path):
    lines = []
    with open(path) as f:
        for no, raw in enumerate(f, 1):
            text = raw.split("#", 1)[0].strip()
            if not text:
                continue
            delay = None
            m = re.match(r"^\+(\d+(?:\.\d*)?)\s+(.*)$", text)
            if m:
                delay = float(m.group(1)) * SCALE
                text = m.group(2)
            lines.append(Line(no, raw.rstrip("\n"), delay, text))
    return lines


CALL_RE = re.compile(r"^(?:(\w+)\s*=\s*)?(\w+)\((.*)\)\s*(?:=\s*(\S+))?$")


class Run:
    def __init__(self, env, name, index, verbose):
        self.env = env
        self.name = name
        self.verbose = verbose
        self.tport = None               # TTP side's port (learned if None)
        self.listen_port = 20000 + index
        self.pport = 40000 + index
        self.our_isn = 1000             # "isn" changes it
        self.their_isn = None           # learned from their SYN
        self.fds = {}                   # name -> fd
        self.rpos = {}                  # name -> next relative seq read
        self.wpos = {}                  # name -> next relative seq written
        self.snap = stats()
        self.saved_sysctls = {}
        self.t = time.monotonic()       # the previous line's time
        self.log = []

    # -- numbers --

    def rel_in(self, seq):      # a sequence number of theirs -> relative
        return (seq - (self.their_isn or 0)) & 0xFFFFFFFF

    def rel_out(self, seq):     # one of ours -> relative
        return (seq - self.our_isn) & 0xFFFFFFFF

    # -- lines --

    def say(self, msg):
        self.log.append(msg)
        if self.verbose:
            print("  " + msg, flush=True)

    def run_line(self, ln):
        body = ln.body
        if ln.delay is not None and not body.startswith(">"):
            self.sleep_until(self.t + ln.delay)
        word = body.split()[0]
        if body.startswith("<"):
            self.inject(body[1:])
        elif body.startswith(">"):
            self.expect(body[1:], ln.delay)
        elif word == "state":
            self.state(body.split()[1:])
        elif word == "stats":
            self.check_stats(body.split()[1:])
        elif word == "sysctl":
            self.sysctl(body.split()[1:])
        elif word == "info" and "(" not in body:
            self.info(body.split()[1:])
        elif word == "isn":
            self.our_isn = int(body.split()[1], 0) & 0xFFFFFFFF
        else:
            self.call(body)
        # the next line's "+T" counts from when this one happened
        self.t = time.monotonic() if self._t_set is None else self._t_set
        self._t_set = None

    _t_set = None
    _default = 0

    def mark(self, t=None):
        """the time this line happened (the next '+T' counts from it)"""
        self._t_set = time.monotonic() if t is None else t

    def sleep_until(self, t):
        d = t - time.monotonic()
        if d > 0:
            time.sleep(d)

    # -- segments --

    def inject(self, text):
        seg, extra = parse_seg(text, True)
        if extra:
            raise ScriptError("'within' is for expectations")
        if self.tport is None:
            self.tport = self.listen_port
        opts = opts_bytes(seg.opts or [])
        if len(opts) % 4 and seg.doff is None:
            opts += b"\0" * (4 - len(opts) % 4)
        doff = seg.doff if seg.doff is not None else (20 + len(opts)) // 4
        win = 65535 if seg.win is None else seg.win
        seq = (self.our_isn + seg.seq) & 0xFFFFFFFF
        ack = 0
        if seg.ack is not None:
            ack = ((self.their_isn or 0) + seg.ack) & 0xFFFFFFFF
        payload = pattern(seg.seq, seg.len)
        th = struct.pack("!HHIIBBHHH", self.pport, self.tport, seq, ack,
                         (doff & 15) << 4, seg.flags, win, 0, 0)
        tcp = th + opts + payload
        src = socket.inet_aton(PEER_ADDR)
        dst = socket.inet_aton(TTP_ADDR)
        c = csum(src + dst + struct.pack("!BBH", 0, PROTO_STREAM, len(tcp)) +
                 tcp)
        if not seg.csum_ok:
            c ^= 0x00FF
        tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000,
                         64, PROTO_STREAM, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        frame = self.env.tmac + self.env.pmac + struct.pack("!H", ETH_P_TTP)
        frame = (frame + ip + tcp).ljust(60, b"\0")
        self.say("< " + text.strip())
        self.env.send(frame)
        self.mark()

    def decode(self, f):
        """a frame -> Seg (relative numbers, their ISN learned from a SYN),
        or None if it is not a stream segment of this script's connection"""
        ip = f[14:]
        if len(ip) < 20 or ip[0] >> 4 != 4:
            return None
        hl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        if ip[9] != PROTO_STREAM or tot > len(ip) or tot < hl + 20:
            return None
        tcp = ip[hl:tot]
        sport, dport, seq, ack, off, fl, win = struct.unpack(
            "!HHIIBBH", tcp[:16])
        if dport != self.pport:
            return None         # another script's connection (cleanup)
        if self.tport is not None and sport != self.tport:
            return None
        if self.tport is None:
            self.tport = sport
        seg = Seg()
        seg.ports = (sport, dport)
        seg.ip_ok = csum(ip[:hl]) == 0
        seg.addrs = "%s>%s" % (socket.inet_ntoa(ip[12:16]),
                               socket.inet_ntoa(ip[16:20]))
        ph = ip[12:20] + struct.pack("!BBH", 0, PROTO_STREAM, len(tcp))
        seg.csum_ok = csum(ph + tcp) == 0
        doff = (off >> 4) * 4
        seg.doff = off >> 4
        seg.flags = fl
        if fl & FLAG_BITS["S"] and self.their_isn is None:
            self.their_isn = seq
        seg.seq = self.rel_in(seq)
        seg.payload = tcp[doff:]
        seg.len = len(seg.payload)
        seg.ack = self.rel_out(ack) if fl & FLAG_BITS["."] else None
        seg.win = win
        seg.opts = decode_opts(tcp[20:doff])
        return seg

    def next_seg(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            f, t = self.env.recv(max(0.0, deadline - time.monotonic()))
            if f is None:
                return None, None
            seg = self.decode(f)
            if seg is not None:
                return seg, t
            self.say("(ignored a frame of another connection)")

    def expect(self, text, delay):
        text = text.strip()
        if text.split()[0] == "none":
            w = text.split()
            bound = NONE_WAIT
            if len(w) == 3 and w[1] == "within":
                bound = float(w[2])
            elif len(w) != 1:
                raise ScriptError("'> none [within T]'")
            bound *= SCALE
            if delay is not None:
                self.sleep_until(self.t + delay)
            seg, _ = self.next_seg(bound)
            if seg is not None:
                raise Mismatch("expected no segment within %.1f s\n"
                               "got: > %s" % (bound, seg.text()))
            self.say("> none")
            self.mark()
            return
        want, extra = parse_seg(text, False)
        bound = WAIT * SCALE
        if extra:
            bound = float(extra[1]) * SCALE
        if delay is not None:
            late = delay + LATE[0] + LATE[1] * delay
            bound = max(bound, late * SCALE)
        seg, t = self.next_seg(bound)
        if seg is None:
            raise Mismatch("expected: > %s\ngot: nothing within %.1f s" %
                           (want.text(), bound))
        self.say("> " + seg.text())
        errs = []
        if seg.flags != want.flags:
            errs.append("flags")
        if seg.seq != want.seq:
            errs.append("seq")
        if seg.len != want.len:
            errs.append("length")
        if want.ack is not None and seg.ack != want.ack:
            errs.append("ack")
        if want.win is not None and seg.win != want.win:
            errs.append("win")
        if (want.opts or []) != seg.opts:
            errs.append("options")
        if seg.payload != pattern(seg.seq, seg.len):
            errs.append("payload (not the bytes written)")
        if not seg.ip_ok:
            errs.append("network header checksum")
        if not seg.csum_ok:
            errs.append("checksum")
        if seg.addrs != "%s>%s" % (TTP_ADDR, PEER_ADDR):
            errs.append("addresses " + seg.addrs)
        if seg.doff * 4 != 20 + len(opts_bytes(seg.opts)):
            errs.append("data offset")
        if delay is not None:
            d = t - self.t
            lo = delay - EARLY[0] - EARLY[1] * delay
            hi = delay + (LATE[0] + LATE[1] * delay) * SCALE
            if not lo <= d <= hi:
                errs.append("time: +%.3f s, not in [%.3f, %.3f]" %
                            (d, lo, hi))
        if errs:
            raise Mismatch("expected: > %s\ngot:      > %s\nwrong: %s" %
                           (want.text(), seg.text(), ", ".join(errs)))
        self.mark(t)

    # -- state, stats, sysctl --

    def flow_states(self):
        """the states of this script's connection in /proc (CLOSED: none)"""
        if self.tport is None:
            raise ScriptError("'state' before the TTP side's port is known")
        rem = "%s:%d" % (PEER_ADDR, self.pport)
        loc = "%s:%d" % (TTP_ADDR, self.tport)
        got = []
        for l in read_file("/proc/net/ttp/sockets").splitlines():
            w = l.split()
            if len(w) > 4 and w[0] == "strm" and w[1] == loc and w[2] == rem \
               and w[3] != "CLOSED":
                got.append(w[3])
        try:
            tw = read_file("/proc/net/ttp/timewait").splitlines()[1:]
        except FileNotFoundError:
            tw = []
        for l in tw:
            w = l.split()
            if len(w) > 2 and w[0] == loc and w[1] == rem:
                got.append("TIME_WAIT")
        return got or ["CLOSED"]

    def poll(self, words, what, check):
        bound = WAIT
        if len(words) >= 2 and words[-2] == "within":
            bound = float(words[-1])
            words = words[:-2]
        deadline = time.monotonic() + bound * SCALE
        while True:
            ok, got = check(words)
            if ok:
                self.mark()
                return
            if time.monotonic() > deadline:
                raise Mismatch("expected: %s %s\ngot:      %s (within %.1f s)"
                               % (what, " ".join(words), got, bound * SCALE))
            time.sleep(0.02)

    def state(self, words):
        def check(w):
            if len(w) != 1:
                raise ScriptError("'state STATE [within T]'")
            got = self.flow_states()
            return got == [w[0]], " ".join(got)
        self.poll(words, "state", check)
        self.say("state " + " ".join(words))

    def check_stats(self, words):
        want = {}
        for w in words:
            if w == "within":
                break
            m = re.match(r"^(\w+)=([+-]\d+)$", w)
            if not m:
                raise ScriptError("'stats NAME=+N ...': %r" % w)
            want[m.group(1)] = int(m.group(2))

        def check(_):
            now = stats()
            got = {}
            for k in want:
                if k not in now:
                    raise Mismatch("no counter %s in /proc/net/ttp/stats" % k)
                got[k] = now[k] - self.snap.get(k, 0)
            return got == want, " ".join("%s=%+d" % kv for kv in got.items())
        self.poll(words, "stats", check)
        self.snap = stats()
        self.say("stats " + " ".join(words))

    def info(self, words):
        """info SOCK FIELD=VALUE ... [within T]: TTP_INFO of a socket"""
        if not words:
            raise ScriptError("'info SOCK FIELD=VALUE ... [within T]'")
        fd = self.fd(words[0])
        want = {}
        names = [f[0] for f in TtpInfo._fields_]
        for w in words[1:]:
            if w == "within":
                break
            m = re.match(r"^(\w+)=(\d+)$", w)
            if not m or m.group(1) not in names:
                raise ScriptError("'info SOCK FIELD=VALUE': %r (fields: %s)"
                                  % (w, " ".join(names)))
            want[m.group(1)] = int(m.group(2))

        def check(_):
            ti = TtpInfo()
            n = ctypes.c_uint(ctypes.sizeof(ti))
            if libc.getsockopt(fd, SOL_TTP, TTP_INFO, ctypes.byref(ti),
                               ctypes.byref(n)):
                raise oserr("getsockopt(TTP_INFO)")
            got = {}
            for k in want:
                v = getattr(ti, k)
                if k in INFO_SEQ_OURS:
                    v = (v - ti.iss) & 0xFFFFFFFF
                elif k in INFO_SEQ_THEIRS:
                    v = (v - ti.irs) & 0xFFFFFFFF
                got[k] = v
            return got == want, " ".join("%s=%d" % kv for kv in got.items())
        self.poll(words[1:], "info %s" % words[0], check)
        self.say("info " + " ".join(words))

    def sysctl(self, words):
        for w in words:
            k, v = w.split("=", 1)
            p = "/proc/sys/net/ttp/" + k
            if k not in self.saved_sysctls:
                self.saved_sysctls[k] = read_file(p).strip()
            write_file(p, scaled_sysctl(k, v))
        self.mark()

    # -- socket calls --

    def fd(self, name):
        if name not in self.fds:
            raise ScriptError("no socket %r" % name)
        return self.fds[name]

    def wait_fd(self, fd, ev):
        p = select.poll()
        p.register(fd, ev)
        p.poll(int(WAIT * SCALE * 1000))

    def call(self, body):
        m = CALL_RE.match(body)
        if not m:
            raise ScriptError("not a line of the language: %r" % body)
        var, fn, args, want = m.groups()
        args = [a.strip() for a in args.split(",")] if args.strip() else []
        f = getattr(self, "sys_" + fn, None)
        if f is None:
            raise ScriptError("unknown call %s()" % fn)
        want_err = want if want and not re.match(r"^-?\d+$", want) else None
        try:
            got = f(args, want_err)
            err = None
        except OSError as e:
            got, err = None, ename(e.errno)
        self.mark()
        if want is None:
            want = str(getattr(self, "_default", 0))
        self._default = 0
        if err is not None:
            if want != err:
                raise Mismatch("expected: %s(%s) = %s\ngot:      %s" %
                               (fn, ", ".join(args), want, err))
            self.say("%s(%s) = %s" % (fn, ", ".join(args), err))
            return
        if var is not None:
            self.fds[var] = got
            self.rpos[var] = 1
            self.wpos[var] = 1
            self.say("%s = %s(%s)" % (var, fn, ", ".join(args)))
            return
        if str(got) != want:
            raise Mismatch("expected: %s(%s) = %s\ngot:      %s" %
                           (fn, ", ".join(args), want, got))
        self.say("%s(%s) = %s" % (fn, ", ".join(args), got))

    def sys_socket(self, args, want_err):
        fd = libc.socket(AF_TTP, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0)
        if fd < 0:
            raise oserr("socket")
        return fd

    def sys_bind(self, args, want_err):
        if self.tport is None:
            self.tport = self.listen_port
        sa = sockaddr(TTP_ADDR, self.tport)
        if libc.bind(self.fd(args[0]), ctypes.byref(sa), ctypes.sizeof(sa)):
            raise oserr("bind")
        return 0

    def sys_listen(self, args, want_err):
        if libc.listen(self.fd(args[0]), int(args[1]) if len(args) > 1
                       else 5):
            raise oserr("listen")
        return 0

    def sys_accept(self, args, want_err):
        lfd = self.fd(args[0])
        if want_err != "EAGAIN":
            self.wait_fd(lfd, select.POLLIN)
        fd = libc.accept4(lfd, None, None, socket.SOCK_NONBLOCK)
        if fd < 0:
            raise oserr("accept")
        return fd

    def sys_connect(self, args, want_err):
        fd = self.fd(args[0])
        sa = sockaddr(PEER_ADDR, self.pport)
        r = libc.connect(fd, ctypes.byref(sa), ctypes.sizeof(sa))
        e = ctypes.get_errno()
        if self.tport is None:
            la = Sockaddr()
            n = ctypes.c_uint(ctypes.sizeof(la))
            if libc.getsockname(fd, ctypes.byref(la), ctypes.byref(n)) == 0 \
               and la.port:
                self.tport = socket.ntohs(la.port)
        if r:
            raise OSError(e, "connect")
        return 0

    def sys_write(self, args, want_err):
        name = args[0]
        fd = self.fd(name)
        n = int(args[1])
        if want_err != "EAGAIN":
            self.wait_fd(fd, select.POLLOUT)
        r = os.write(fd, pattern(self.wpos[name], n))
        self.wpos[name] += r
        self._default = n
        return r

    def sys_read(self, args, want_err):
        name = args[0]
        fd = self.fd(name)
        n = int(args[1])
        if want_err != "EAGAIN":
            self.wait_fd(fd, select.POLLIN)
        b = os.read(fd, n)
        if b != pattern(self.rpos[name], len(b)):
            raise Mismatch("read(%s, %d): bytes %r are not the ones sent "
                           "at relative seq %d" % (name, n, b,
                                                   self.rpos[name]))
        self.rpos[name] += len(b)
        self._default = n
        return len(b)

    def sys_shutdown(self, args, want_err):
        how = {"RD": 0, "WR": 1, "RDWR": 2}[args[1]]
        if libc.shutdown(self.fd(args[0]), how):
            raise oserr("shutdown")
        return 0

    def sys_close(self, args, want_err):
        fd = self.fds.pop(args[0])
        self.fds = {k: v for k, v in self.fds.items() if v != fd}
        os.close(fd)
        return 0

    def sys_setsockopt(self, args, want_err):
        level, opt = sockopt(args[1])
        vals = [int(a, 0) for a in args[2:]]
        b = struct.pack("=%di" % len(vals), *vals)
        if libc.setsockopt(self.fd(args[0]), level, opt, b, len(b)):
            raise oserr("setsockopt")
        return 0

    def sys_getsockopt(self, args, want_err):
        level, opt = sockopt(args[1])
        b = ctypes.create_string_buffer(8)
        n = ctypes.c_uint(4)
        if libc.getsockopt(self.fd(args[0]), level, opt, b,
                           ctypes.byref(n)):
            raise oserr("getsockopt")
        v = struct.unpack("=i", b.raw[:4])[0]
        if args[1] == "SO_ERROR" and v:
            return ename(v)
        return v

    # -- the end --

    def finish(self):
        """no segment of this connection may be left unread"""
        seg, _ = self.next_seg(0.2 * SCALE)
        if seg is not None:
            raise Mismatch("an unexpected segment at the end:\n  > %s" %
                           seg.text())

    def cleanup(self):
        lg = struct.pack("=ii", 1, 0)
        for fd in set(self.fds.values()):
            libc.setsockopt(fd, SOL_SOCKET, SOCKOPTS["SO_LINGER"], lg, 8)
            os.close(fd)
        self.fds = {}
        for k, v in self.saved_sysctls.items():
            try:
                write_file("/proc/sys/net/ttp/" + k, v)
            except OSError:
                pass


def run_script(env, path, index, verbose):
    name = os.path.basename(path)
    if name.endswith(".pkt"):
        name = name[:-4]
    try:
        lines = load(path)
    except OSError as e:
        return name, False, ["cannot read %s: %s" % (path, e)]
    r = Run(env, name, index, verbose)
    ok, diag = True, []
    cur = None
    try:
        for ln in lines:
            cur = ln
            r.run_line(ln)
        cur = None
        r.finish()
    except (Mismatch, ScriptError, OSError) as e:
        ok = False
        kind = "script error: " if isinstance(e, ScriptError) else ""
        if cur is not None:
            diag.append("%s:%d: %s" % (path, cur.no, cur.text.strip()))
        diag += (kind + str(e)).splitlines()
        diag.append("(the script so far:)")
        diag += ["  " + l for l in r.log[-12:]]
    finally:
        r.cleanup()
    return name, ok, diag


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prefix", default="ttppkt")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("scripts", nargs="+")
    a = ap.parse_args()
    env = Env(a.prefix)
    failed = 0
    try:
        env.setup()
        for i, path in enumerate(a.scripts):
            t0 = time.monotonic()
            name, ok, diag = run_script(env, path, i + 1, a.verbose)
            print("%s %s (%.1f s)" % ("PASS" if ok else "FAIL", name,
                                      time.monotonic() - t0))
            for d in diag:
                print("  " + d)
            sys.stdout.flush()
            failed += not ok
    finally:
        if env.created and not env.teardown():
            print("FAIL teardown")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
