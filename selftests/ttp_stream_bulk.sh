#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_stream_bulk.sh: the bulk-transfer oracle.  TTP streams move files to
# and from the kernel's own TCP over the translating cable
# (scripts/ttp-xcable, Documentation/interop.md), and every file arrives
# with the same SHA-256 as it left, whatever the cable does:
#
#   T (TTP host, bt 10.238.0.1/24) ========== bl 10.238.0.2/24 (X, Linux)
#
#   clean:    4 MB TTP -> Linux and 4 MB Linux -> TTP; no checksum error;
#   netem:    on both ends' egress: loss 5%, delay 20 ms +- 5 ms, 25%
#             reordering, 1% duplication, 0.1% corruption; 1 MB each way;
#             netem really dropped frames on both ends;
#   corrupt:  5% corruption on both ends (nothing else), 512 KB each way;
#             the checksums caught it: TTP's StreamInCsumErrors and
#             Linux's Tcp InCsumErrors both moved;
#   slow Linux reader:  TTP sends 256 KB to a Linux socket with a small
#             SO_RCVBUF read at 64 KB/s: Linux advertises zero windows;
#   slow TTP reader:    Linux sends 256 KB to ttpcat -R 65536 -B 8192 (a
#             small SO_RCVBUF read at 64 KB/s): TTP advertises zero windows;
#   capture:  every frame either stack sent, analysed by tshark: TTP's
#             frames are all TCP with good checksums, none malformed; no
#             TTP segment ends beyond the window Linux advertised; the
#             zero windows of the two slow-reader cases.
#
# Every transfer is bounded: ttpcat by timeout(1) and -w (no progress),
# the Linux side by socket timeouts and a deadline.  Linux's sockets are
# driven by the python3 agent of lib.sh in X (commands below); counters of
# both namespaces are read through /proc/PID/net of a sleeping process.
#
# The capture, and why it is exact.  netem is a qdisc: on a sending end it
# runs after the cable's clsact egress filter (the EtherType translation)
# and before the device transmits; tcpdump's tap on a device sees egress
# frames only when they are transmitted, i.e. AFTER netem: corrupted,
# duplicated, without the lost ones, delayed.  On the receiving end the tap
# sees them as netem left them too.  So a capture on either end of the
# cable would show frames netem corrupted, and a bad checksum there would
# say nothing about TTP.  Instead, each end's translating filter gets a
# second action, "mirred egress mirror" to a dummy device (capt in T, capl
# in X), and tcpdump listens on the dummies: the mirror runs in clsact,
# before the root qdisc, so the two captures hold every frame exactly as
# each stack sent it, at the time it was sent, before netem touched it.
# mergecap joins them (one clock).  Then:
#   - a TTP frame with a bad checksum is TTP's fault, never netem's;
#   - the window check is exact on the lossless cases and never wrong on
#     the lossy ones: TTP sees Linux's ACKs later than Linux sent them (or
#     never), and Linux never shrinks its window (right edge ACK + WIN
#     never moves back), so a segment inside the window TTP knew is inside
#     the newest window in the capture; a segment beyond that is beyond
#     any window Linux ever offered.  (tshark 4.0 has no "window exceeded"
#     flag: the check is computed from its seq/len/ack/window fields.)
#   - tcpdump must report 0 packets dropped by the kernel, on both dummies.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

T=ttp_bulk-t
X=ttp_bulk-x
TA=10.238.0.1
XA=10.238.0.2
TD=bt
XD=bl
XCABLE=$TTP_TOP/scripts/ttp-xcable
# Sizes (bytes); the environment may change them (scripts/soak does).
CLEAN_SIZE=${BULK_CLEAN_SIZE:-$((4 << 20))}
NETEM_SIZE=${BULK_NETEM_SIZE:-$((1 << 20))}
CORRUPT_SIZE=${BULK_CORRUPT_SIZE:-$((512 << 10))}
SLOW_SIZE=${BULK_SLOW_SIZE:-$((256 << 10))}
SLOW_RATE=${BULK_SLOW_RATE:-65536}	# bytes/s of both slow readers
# BULK_SNAPLEN=N: capture only N bytes of each frame (scripts/soak: its
# captures would not fit in memory); checksums are then not verifiable
# (tshark: unverified) and only the rest is checked.  BULK_SAVE=DIR: keep
# the captures and tshark's table there.
SNAPLEN=${BULK_SNAPLEN:-0}
NETEM=(loss 5% delay 20ms 5ms reorder 25% duplicate 1% corrupt 0.1%)
CORRUPT=(corrupt 5%)
# No progress for W seconds fails a transfer (ttpcat -w, the agent's
# socket timeouts); tmo SIZE: the bound of a whole transfer of SIZE bytes.
# W leaves room for RTO backoff: without timestamps or SACK (TTP offers
# neither), Karn's rule keeps Linux's backed-off RTO through a chain of
# losses (seen: 0.2 s doubling to 27 s against a receiver without an
# out-of-order queue).
W=$((30 * TTP_TIME_SCALE))
tmo() { echo $(((30 + $1 / 20000) * TTP_TIME_SCALE)); }

plan 20

# Agent commands for this test (lib.sh's agent runs every c_NAME it finds).
_PY_AGENT='
import errno, hashlib, os, socket, time
tcp = {}

def c_mkdata(path, size):           # random bytes: "SIZE SHA256"
    h, left = hashlib.sha256(), int(size)
    with open(path, "wb") as f:
        while left:
            b = os.urandom(min(left, 1 << 20))
            h.update(b)
            f.write(b)
            left -= len(b)
    return "%d %s" % (int(size), h.hexdigest())

def c_sha(path):
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
            n += len(b)
    return "%d %s" % (n, h.hexdigest())

def timed(f, *a):
    try:
        return f(*a)
    except socket.timeout:
        raise OSError(errno.ETIMEDOUT, "timeout")

def c_serve(name, port, rcvbuf):    # a listener; rcvbuf > 0: SO_RCVBUF
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if int(rcvbuf):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, int(rcvbuf))
    s.bind(("0.0.0.0", int(port)))
    s.listen(1)
    tcp[name] = s
    return "ok"

def c_recvfile(lname, secs, total, rate):
    """Accept one connection on listener lname, read it to EOF, close.
    rate > 0: a slow reader, one recv() of at most rate/10 bytes every
    100 ms, so at most rate bytes/s and never more than the receive
    buffer held per 100 ms (it fills while we sleep: zero windows even
    when rate is more than the path can do).  Prints "LEN SHA256"."""
    l = tcp.pop(lname)
    end = time.monotonic() + float(total)
    try:
        l.settimeout(float(secs))
        s, _ = timed(l.accept)
    finally:
        l.close()
    rate = int(rate)
    chunk = max(rate // 10, 1) if rate else 1 << 16
    h, n, due = hashlib.sha256(), 0, time.monotonic()
    try:
        s.settimeout(float(secs))
        while True:
            if time.monotonic() > end:
                raise OSError(errno.ETIME, "deadline")
            b = timed(s.recv, chunk)
            if not b:
                break
            h.update(b)
            n += len(b)
            if rate:
                due += 0.1
                if due > time.monotonic():
                    time.sleep(due - time.monotonic())
    finally:
        s.close()
    return "%d %s" % (n, h.hexdigest())

def c_sendfile(addr, port, path, secs, total):
    """Connect, send the file, shutdown(SHUT_WR), read to EOF, close.
    Prints the number of bytes sent."""
    end = time.monotonic() + float(total)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    n = 0
    try:
        s.settimeout(float(secs))
        timed(s.connect, (addr, int(port)))
        with open(path, "rb") as f:
            while True:
                b = f.read(1 << 16)
                if not b:
                    break
                if time.monotonic() > end:
                    raise OSError(errno.ETIME, "deadline")
                timed(s.sendall, b)
                n += len(b)
        s.shutdown(socket.SHUT_WR)
        while timed(s.recv, 65536):
            if time.monotonic() > end:
                raise OSError(errno.ETIME, "deadline")
    finally:
        s.close()
    return "%d" % n
'"$_PY_AGENT"

ttp_load
ns_add $T
ns_add $X

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
py_start $X

# tstat NAME: TTP counter NAME in T.
tstat()
{
	local k v
	while read -r k v; do
		[ "$k" = "$1" ] && { echo "$v"; return 0; }
	done <"/proc/${HOLD[$T]}/net/ttp/stats"
	echo "no-$1"
}
# snmp PROTO FIELD: /proc/net/snmp's PROTO: FIELD in X.
snmp()
{
	local -a h=() v=()
	local p i rest
	while read -r p rest; do
		[ "$p" = "$1:" ] || continue
		if [ ${#h[@]} -eq 0 ]; then
			read -r -a h <<<"$rest"
		else
			read -r -a v <<<"$rest"
			for i in "${!h[@]}"; do
				[ "${h[i]}" = "$2" ] && { echo "${v[i]}"; return 0; }
			done
		fi
	done <"/proc/${HOLD[$X]}/net/snmp"
	echo "no-$1-$2"
}
# Counters as keys "t:Name" (TTP in T) or "x:Proto:Field" (Linux in X).
val()
{
	case $1 in
	t:*) tstat "${1#t:}" ;;
	x:*) local k=${1#x:}; snmp "${k%%:*}" "${k#*:}" ;;
	esac
}
snap() { local k; for k; do BASE[$k]=$(val "$k"); done; }
# deltas KEY...: "Name=+N ..." since snap.
deltas()
{
	local k out=""
	for k; do out+="${out:+ }${k##*:}=+$(($(val "$k") - ${BASE[$k]}))"; done
	echo "$out"
}
# moved KEY...: "Name moved" or "Name=+0" for each KEY since snap.
moved()
{
	local k out=""
	for k; do
		if [ "$(($(val "$k") - ${BASE[$k]}))" -gt 0 ]; then
			out+="${out:+ }${k##*:} moved"
		else
			out+="${out:+ }${k##*:}=+0"
		fi
	done
	echo "$out"
}
# listening PORT: a TTP stream listener on PORT in T.
listening()
{
	local f l s rest
	while read -r f l _ s rest; do
		[ "$f" = strm ] && [ "${l##*:}" = "$1" ] && [ "$s" = LISTEN ] &&
			return 0
	done <"/proc/${HOLD[$T]}/net/ttp/sockets"
	return 1
}

# rate SIZE MS: "SIZE bytes in S s (R KB/s)", for the log.
rate()
{
	awk -v b="$1" -v ms="$2" 'BEGIN {
		printf "%d bytes in %.1f s (%.0f KB/s)", b, ms / 1000,
			ms ? b / 1024 / (ms / 1000) : 0 }'
}

# t2x DESC SIZE PORT FILE [RCVBUF RATE]: ttpcat -t sends FILE to a Linux
# server on PORT (SO_RCVBUF RCVBUF, reading at RATE bytes/s if given);
# checks Linux got FILE's SHA-256 and ttpcat ended with status 0.
t2x()
{
	local desc=$1 size=$2 port=$3 file=$4 rcvbuf=${5:-0} rate=${6:-0}
	local want got pid rc=0 t0
	want=$(py $X sha "$file")
	py $X serve "s$port" "$port" "$rcvbuf" >/dev/null
	t0=$(_now_ms)
	timeout "$(tmo "$size")" ip netns exec $T "$TTPCAT" -t -w "$W" \
		$XA "$port" <"$file" >/dev/null 2>"$TMPD/t.err" &
	pid=$!
	got=$(py $X recvfile "s$port" "$W" "$(tmo "$size")" "$rate")
	wait $pid || rc=$?
	diag "$desc: $(rate "$size" $(($(_now_ms) - t0)))"
	check_eq "$desc: Linux got the SHA-256 sent, ttpcat rc 0" \
		"$want rc=0" "$got rc=$rc$(<"$TMPD/t.err")"
}

# x2t DESC SIZE PORT FILE [TTPCAT_ARGS...]: a Linux client sends FILE to
# ttpcat -t -l PORT; checks that what ttpcat wrote has FILE's SHA-256
# (sha256sum of its stdout, no copy kept), that ttpcat ended with status
# 0 and that Linux sent it all.
x2t()
{
	local desc=$1 size=$2 port=$3 file=$4 want got sent pid rc t0
	shift 4
	want=$(py $X sha "$file")
	t0=$(_now_ms)
	{
		timeout "$(tmo "$size")" ip netns exec $T "$TTPCAT" -t -w "$W" \
			-l "$port" "$@" </dev/null 2>"$TMPD/t.err"
		echo "rc=$?" >"$TMPD/t.rc"
	} | sha256sum >"$TMPD/t.sha" &
	pid=$!
	wait_for "listening $port" 10
	sent=$(py $X sendfile $TA "$port" "$file" "$W" "$(tmo "$size")")
	wait $pid	# sha256sum, which ends after ttpcat's rc is written
	diag "$desc: $(rate "$size" $(($(_now_ms) - t0)))"
	read -r got _ <"$TMPD/t.sha"
	rc=$(<"$TMPD/t.rc")
	check_eq "$desc: TTP got the SHA-256 sent, ttpcat rc 0" \
		"${want#* } rc=0 sent ${want%% *}" \
		"$got $rc$(<"$TMPD/t.err") sent $sent"
}

# netem ARGS...: "ARGS" as the root qdisc of both ends ("off": none).
netem()
{
	local ns dev
	for ns in $T:$TD $X:$XD; do
		dev=${ns#*:} ns=${ns%%:*}
		if [ "$1" = off ]; then
			tc -n "$ns" qdisc del dev "$dev" root || return 1
		else
			tc -n "$ns" qdisc replace dev "$dev" root netem "$@" ||
				return 1
		fi
	done
}
# netem_drops NS DEV: the dropped count of DEV's netem qdisc in NS.
netem_drops()
{
	tc -n "$1" -s qdisc show dev "$2" | awk '
		$1 == "qdisc" { q = $2 }
		q == "netem" && $1 == "Sent" { sub(",", "", $7); print $7; exit }'
}

# --- the cable, the captures ---------------------------------------------

# The cable, then each end's translating filter (pref 1) again with a
# mirror to a dummy device, where tcpdump listens (see the top).
cable()
{
	"$XCABLE" add $T $X --ttp-addr $TA/24 --linux-addr $XA/24 \
		--ttp-dev $TD --linux-dev $XD || return 1
	modprobe -q dummy 2>/dev/null
	modprobe -q act_mirred 2>/dev/null
	modprobe -q sch_netem 2>/dev/null
	ip -n $T link add capt type dummy &&
		ip -n $T link set capt up &&
		ip -n $X link add capl type dummy &&
		ip -n $X link set capl up || return 1
	tc -n $T -batch - >/dev/null <<-EOF || return 1
		filter del dev $TD egress pref 1
		filter add dev $TD egress pref 1 protocol 0x88b5 matchall action skbmod set etype 0x0800 pipe action mirred egress mirror dev capt
	EOF
	tc -n $X -batch - >/dev/null <<-EOF || return 1
		filter del dev $XD egress pref 1
		filter add dev $XD egress pref 1 protocol ip matchall action skbmod set etype 0x88b5 pipe action mirred egress mirror dev capl
	EOF
	# TIME_WAIT entries of TTP (it closes first in t2x) last 1 s.
	ip netns exec $T sysctl -qw net.ttp.stream_time_wait_ms=1000
}
check_fn "ttp-xcable add T X, each end's frames mirrored to a dummy for tcpdump" \
	cable
at_exit "'$XCABLE' del $T $X --ttp-dev $TD --linux-dev $XD"

declare -A DUMP
# dump NS DEV: tcpdump on DEV in NS into $TMPD/DEV.pcap, in the background.
dump()
{
	ip netns exec "$1" tcpdump -i "$2" -nn -U -B 16384 -s "$SNAPLEN" \
		-w "$TMPD/$2.pcap" 2>"$TMPD/$2.err" &
	DUMP[$2]=$!
	at_exit "kill ${DUMP[$2]}"
}
dump $T capt
dump $X capl
wait_for '[[ $(<"$TMPD/capt.err") == *"listening on"* &&
	     $(<"$TMPD/capl.err") == *"listening on"* ]]' 30

# The data: a different random file for each size.
for s in "$CLEAN_SIZE" "$NETEM_SIZE" "$CORRUPT_SIZE" "$SLOW_SIZE"; do
	[ -e "$TMPD/$s.dat" ] || py $X mkdata "$TMPD/$s.dat" "$s" >/dev/null
done
mb() { awk -v b="$1" 'BEGIN { printf (b >= 1048576 ? "%g MB" : "%g KB"), b / (b >= 1048576 ? 1048576 : 1024) }'; }

# --- 1. clean cable --------------------------------------------------------

snap t:StreamInCsumErrors t:StreamInErrs x:Tcp:InCsumErrors x:Tcp:InErrs
t2x "clean: $(mb "$CLEAN_SIZE") TTP -> Linux" "$CLEAN_SIZE" 6101 "$TMPD/$CLEAN_SIZE.dat"
x2t "clean: $(mb "$CLEAN_SIZE") Linux -> TTP" "$CLEAN_SIZE" 5102 "$TMPD/$CLEAN_SIZE.dat"
check_eq "clean: no checksum or header error on either side" \
	"StreamInCsumErrors=+0 StreamInErrs=+0 InCsumErrors=+0 InErrs=+0" \
	"$(deltas t:StreamInCsumErrors t:StreamInErrs x:Tcp:InCsumErrors x:Tcp:InErrs)"

# --- 2. netem: loss, delay, reordering, duplication, corruption -----------

check "netem on both ends' egress: ${NETEM[*]}" netem "${NETEM[@]}"
t2x "netem: $(mb "$NETEM_SIZE") TTP -> Linux" "$NETEM_SIZE" 6201 "$TMPD/$NETEM_SIZE.dat"
x2t "netem: $(mb "$NETEM_SIZE") Linux -> TTP" "$NETEM_SIZE" 5202 "$TMPD/$NETEM_SIZE.dat"
td=$(netem_drops $T $TD) xd=$(netem_drops $X $XD)
check "netem: it dropped frames on both ends (T: ${td:-?}, X: ${xd:-?})" \
	test "${td:-0}" -gt 0 -a "${xd:-0}" -gt 0

# --- 3. dense corruption: the checksums must catch it ----------------------

# netem flips one bit in the linear part of a frame: anywhere in TTP's
# (linear) frames, in the headers of Linux's (data in page fragments).
# Over ~400 frames each way at 5%, some land in TCP's checksummed bytes on
# both sides (P(none) < 1e-6).
check "netem on both ends: ${CORRUPT[*]}" netem "${CORRUPT[@]}"
snap t:StreamInCsumErrors x:Tcp:InCsumErrors
t2x "corrupt: $(mb "$CORRUPT_SIZE") TTP -> Linux" "$CORRUPT_SIZE" 6301 "$TMPD/$CORRUPT_SIZE.dat"
x2t "corrupt: $(mb "$CORRUPT_SIZE") Linux -> TTP" "$CORRUPT_SIZE" 5302 "$TMPD/$CORRUPT_SIZE.dat"
check_eq "corrupt: the checksums caught it (TTP StreamInCsumErrors, Linux InCsumErrors)" \
	"StreamInCsumErrors moved InCsumErrors moved" \
	"$(moved t:StreamInCsumErrors x:Tcp:InCsumErrors)"
check "netem off on both ends" netem off

# --- 4. slow readers: zero windows -------------------------------------------

# Linux: SO_RCVBUF 4096 (8 KB), one read every 100 ms, at most SLOW_RATE;
# TTP: ttpcat -B 8192 (16 KB), reading at most SLOW_RATE (-R).
t2x "slow Linux reader: $(mb "$SLOW_SIZE") TTP -> Linux at $((SLOW_RATE >> 10)) KB/s" \
	"$SLOW_SIZE" 6401 "$TMPD/$SLOW_SIZE.dat" 4096 "$SLOW_RATE"
x2t "slow TTP reader: $(mb "$SLOW_SIZE") Linux -> ttpcat -R $SLOW_RATE -B 8192" \
	"$SLOW_SIZE" 5402 "$TMPD/$SLOW_SIZE.dat" -R "$SLOW_RATE" -B 8192

# --- 5. the capture ------------------------------------------------------------

# stop_dump DEV: stop tcpdump (it prints its counts at exit); DROPPED+=
# "N dropped".  Not in $(...): a subshell cannot wait for our child.
DROPPED=
stop_dump()
{
	local e
	kill "${DUMP[$1]}"
	wait "${DUMP[$1]}"
	e=$(<"$TMPD/$1.err")
	if [[ $e =~ ([0-9]+)\ packets?\ dropped\ by\ kernel ]]; then
		DROPPED+="${DROPPED:+, }${BASH_REMATCH[1]} dropped"
	else
		DROPPED+="${DROPPED:+, }no count: $e"
	fi
}
stop_dump capt
stop_dump capl
check_eq "both captures complete: tcpdump dropped nothing (T, X)" \
	"0 dropped, 0 dropped" "$DROPPED"

# One tshark pass over both captures; per frame: source, ports, relative
# seq, length, ack, calculated window, flags, checksum status (1 good),
# malformed, zero window.  awk then counts per direction and checks every
# TTP segment against the newest right edge (ACK + window) Linux had
# advertised on that connection when it was sent.  No reassembly: the
# random payload may look like some protocol to a heuristic dissector,
# which then reassembles the stream and calls a retransmission cut at
# other boundaries (legal TCP) a "Reassembly error"; "malformed" is
# about TTP's headers here.
t0=$(_now_ms)
mergecap -w "$TMPD/all.pcap" "$TMPD/capt.pcap" "$TMPD/capl.pcap" 2>"$TMPD/merge.err"
tshark -r "$TMPD/all.pcap" -n -d ethertype==0x88b5,ip \
	-o tcp.check_checksum:TRUE -o tcp.relative_sequence_numbers:TRUE \
	-o tcp.desegment_tcp_streams:FALSE \
	-T fields -E separator=, -E occurrence=f \
	-e frame.number -e ip.src -e ip.proto -e tcp.srcport -e tcp.dstport \
	-e tcp.seq -e tcp.len -e tcp.ack -e tcp.window_size -e tcp.flags.ack \
	-e tcp.checksum.status -e _ws.malformed -e tcp.analysis.zero_window \
	>"$TMPD/all.csv" 2>"$TMPD/tshark.err"
awk -F, -v ta=$TA -v xa=$XA -v snap="$SNAPLEN" '
	$2 == ta {
		n++
		if ($3 != 6 || !($11 == 1 || (snap && $11 == 2)) || $12 != "") {
			bad++
			if (bad <= 5) badl = badl " #" $1 "(proto " $3 " csum " $11 " malformed " $12 ")"
		}
		k = $4 "," $5
		if ($7 > 0) {
			segs++
			if (!(k in edge)) {
				noedge++
			} else if ($6 + $7 > edge[k]) {
				over++
				if (over <= 5) overl = overl " #" $1 "(" $6 "+" $7 ">" edge[k] ")"
			}
		}
		if ($13 != "") zt[$4 "," $5]++
	}
	$2 == xa && $10 == 1 {
		k = $5 "," $4
		e = $8 + $9
		if (!(k in edge) || e > edge[k]) edge[k] = e
		if ($13 != "") zx[$5 "," $4]++
	}
	END {
		printf "ttp_frames %d bad %d%s\n", n, bad, badl
		printf "ttp_segs %d over %d noedge %d%s\n", segs, over, noedge, overl
		for (k in zx) printf "zero_linux %s %d\n", k, zx[k]
		for (k in zt) printf "zero_ttp %s %d\n", k, zt[k]
	}' "$TMPD/all.csv" >"$TMPD/analysis"
diag "$(cat "$TMPD/analysis")"
diag "mergecap, tshark, awk: $(($(_now_ms) - t0)) ms"
if [ -n "${BULK_SAVE:-}" ]; then
	mkdir -p "$BULK_SAVE" &&
		cp "$TMPD/all.pcap" "$TMPD/all.csv" "$TMPD/analysis" "$BULK_SAVE/"
fi

# field NAME: the words after NAME on its line of the analysis.
field() { sed -n "s/^$1 //p" "$TMPD/analysis"; }
# zeros WHO PORT: zero-window segments WHO sent on the connection whose
# TTP-side or Linux-side port is PORT.
zeros()
{
	awk -v w="zero_$1" -v p="$2" '
		$1 == w { split($2, a, ","); if (a[1] == p || a[2] == p) n += $3 }
		END { print n + 0 }' "$TMPD/analysis"
}

# Every case moved more than CLEAN_SIZE / 1400 segments from TTP, so the
# frame counts below have a floor.
f=$(field ttp_frames) note=
[ "$SNAPLEN" = 0 ] || note=" (headers only: checksums not verified)"
if [[ $f =~ ^([0-9]+)\ bad\ 0$ ]] && [ "${BASH_REMATCH[1]}" -gt $((CLEAN_SIZE / 1400)) ]; then
	ok "tshark: all ${BASH_REMATCH[1]} TTP frames are TCP with good checksums, none malformed$note"
else
	fail "tshark: all TTP frames are TCP with good checksums, none malformed" \
		"ttp_frames $f"$'\n'"$(head -c 2000 "$TMPD/tshark.err")"
fi
f=$(field ttp_segs)
if [[ $f =~ ^([0-9]+)\ over\ 0\ noedge\ 0$ ]] && [ "${BASH_REMATCH[1]}" -gt $((CLEAN_SIZE / 1400)) ]; then
	ok "tshark: none of the ${BASH_REMATCH[1]} TTP data segments beyond Linux's advertised window"
else
	fail "tshark: no TTP data segment beyond Linux's advertised window" \
		"ttp_segs $f"
fi
z=$(zeros linux 6401)
check "slow Linux reader: Linux advertised zero windows ($z in the capture)" \
	test "$z" -gt 0
z=$(zeros ttp 5402)
check "slow TTP reader: TTP advertised zero windows ($z in the capture)" \
	test "$z" -gt 0
