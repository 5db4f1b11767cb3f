#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_stream_interop.sh: TTP stream sockets <-> the kernel's own TCP over
# the translating cable (scripts/ttp-xcable, Documentation/interop.md).
#
#   T (TTP host, st 10.237.0.1/24, MTU 1400) ==== sl 10.237.0.2/24 (X, Linux)
#
#   Each pairing (a Linux client and ttpcat -t -l; ttpcat -t and a Linux
#   server) moves 100 KB each way (md5 compared) and closes in both
#   orders: the side that closes first ends in TIME_WAIT (TTP:
#   /proc/net/ttp/timewait, or a TIME_WAIT line of /proc/net/ttp/sockets;
#   Linux: ss state time-wait), the other side keeps nothing;
#   refused:  a TTP connect to a closed Linux port and a Linux connect to
#             a closed TTP port both get ECONNREFUSED, with the counters;
#   mss:      Linux sends with the MSS TTP announced (T's end has MTU 1400:
#             1360, where Linux's own would be 1460), seen in ss -ti;
#             ttpcat -q leaves at the peer's EOF with stdin still open;
#   checksums: no checksum or header error on either side over the whole
#             test; a capture on X's end decoded by tshark: every TTP
#             segment a valid TCP segment with a good checksum.
#
# Counters and /proc files of T are read through /proc/PID/net of one
# sleeping process per namespace (a bash read, no exec); Linux's sockets
# are driven by the python3 agent of lib.sh in X, with the commands below.
# TIME_WAIT lasts net.ttp.stream_time_wait_ms (set to 10 s here); the
# entries are waited out at exit.
#
# shellcheck source=lib.sh disable=SC2016 # single-quoted conditions are eval'd
. "$(dirname "$0")/lib.sh"

T=ttp_sint-t
X=ttp_sint-x
TA=10.237.0.1
XA=10.237.0.2
TD=st
XD=sl
XCABLE=$TTP_TOP/scripts/ttp-xcable
SIZE=102400
TW_MS=$((10000 * TTP_TIME_SCALE))
W=$((30 * TTP_TIME_SCALE))	# ttpcat -w and the agent's socket timeouts

plan 23

# Agent commands for this test (lib.sh's agent runs every c_NAME it finds):
# Linux TCP sockets by name, data files, and Linux's view of a 4-tuple.
_PY_AGENT='
import errno, hashlib, random, socket, struct, threading
tcp = {}

def c_mkdata(path, size, seed):     # reproducible random bytes
    b = random.Random(int(seed)).randbytes(int(size))
    with open(path, "wb") as f:
        f.write(b)
    return "%d %s" % (len(b), hashlib.md5(b).hexdigest())

def c_md5(path):
    with open(path, "rb") as f:
        b = f.read()
    return "%d %s" % (len(b), hashlib.md5(b).hexdigest())

def c_tlisten(name, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(port)))
    s.listen(4)
    tcp[name] = s
    return "ok"

def timed(f, *a):
    try:
        return f(*a)
    except socket.timeout:
        raise OSError(errno.ETIMEDOUT, "timeout")

def c_taccept(name, lname, secs):   # prints the peer address:port
    l = tcp[lname]
    l.settimeout(float(secs))
    s, a = timed(l.accept)
    tcp[name] = s
    return "%s:%d" % a

def c_tconnect(name, addr, port, secs):  # prints the local address:port
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(float(secs))
    try:
        timed(s.connect, (addr, int(port)))
    except OSError:
        s.close()
        raise
    tcp[name] = s
    return "%s:%d" % s.getsockname()

def c_tclose(name):
    tcp.pop(name).close()
    return "ok"

def c_xfer(name, path, order, secs):
    """Send the file while receiving.  order "peer": read to EOF, then
    close (the peer closed first); "first:N": read N bytes, shutdown
    (our FIN first), read to EOF, close.  Prints what was received."""
    s = tcp[name]
    s.settimeout(float(secs))
    with open(path, "rb") as f:
        data = f.read()
    err = []
    def tx():
        try:
            s.sendall(data)
        except OSError as e:
            err.append(e)
    t = threading.Thread(target=tx)
    t.start()
    got = bytearray()
    want = int(order[6:]) if order.startswith("first:") else -1
    def rcv(n):
        while n < 0 or len(got) < n:
            b = timed(s.recv, 65536)
            if not b:
                return
            got.extend(b)
    phase = "data"
    try:
        rcv(want)
        t.join()
        if err:
            raise err[0]
        if want >= 0:
            s.shutdown(socket.SHUT_WR)
            phase = "EOF"
            rcv(-1)
    except OSError as e:            # which wait ran out, and where
        if e.errno != errno.ETIMEDOUT:
            raise
        return "ETIMEDOUT after %d bytes, waiting for %s" % (len(got), phase)
    finally:
        t.join()
        tcp.pop(name).close()
    return "%d %s" % (len(got), hashlib.md5(got).hexdigest())

ST = ["?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
      "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"]

def ap(h):
    a, p = h.split(":")
    return "%s:%d" % (socket.inet_ntoa(struct.pack("<I", int(a, 16))),
                      int(p, 16))

def c_tcpstate(local, remote):      # Linux state of the 4-tuple, or none
    with open("/proc/net/tcp") as f:
        for l in f.readlines()[1:]:
            w = l.split()
            if ap(w[1]) == local and ap(w[2]) == remote:
                return ST[int(w[3], 16)]
    return "none"
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

tnet() { printf '%s\n' "$(<"/proc/${HOLD[$T]}/net/$1")"; }

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

# ttp_state LOCAL REMOTE: TTP's state of the 4-tuple in T: TIME_WAIT if
# /proc/net/ttp/timewait has it (the compact table) or a sockets line in
# TIME_WAIT does (before that table), else the sockets line's state, else
# "none".
ttp_state()
{
	local f l r s rest
	if [ -e "/proc/${HOLD[$T]}/net/ttp/timewait" ]; then
		while read -r l r rest; do
			[ "$l $r" = "$1 $2" ] && { echo TIME_WAIT; return; }
		done <"/proc/${HOLD[$T]}/net/ttp/timewait"
	fi
	while read -r f l r s rest; do
		[ "$f $l $r" = "strm $1 $2" ] && { echo "$s"; return; }
	done <"/proc/${HOLD[$T]}/net/ttp/sockets"
	echo none
}
# listening PORT: a TTP stream listener on PORT in T.
listening()
{
	local f l r s rest
	while read -r f l r s rest; do
		[ "$f" = strm ] && [ "${l##*:}" = "$1" ] && [ "$s" = LISTEN ] &&
			return 0
	done <"/proc/${HOLD[$T]}/net/ttp/sockets"
	return 1
}
# linux_state LOCAL REMOTE: Linux's state of the 4-tuple in X, or none.
linux_state() { py $X tcpstate "$1" "$2"; }
# linux_tw LOCAL REMOTE: "TIME_WAIT" if `ss state time-wait` in X lists
# the 4-tuple, else "no TIME_WAIT".
linux_tw()
{
	local l r
	while read -r _ _ l r; do
		[ "$l $r" = "$1 $2" ] && { echo TIME_WAIT; return; }
	done <<<"$(ip netns exec $X ss -Htan state time-wait)"
	echo "no TIME_WAIT"
}

# ttpcat_bg OUT ARGS...: ttpcat -t in T, stdin $TMPD/t.dat, stdout OUT
# (stderr OUT.err), in the background: TPID.
TPID=
ttpcat_bg()
{
	local out=$1
	shift
	ip netns exec $T "$TTPCAT" -t -w "$W" "$@" <"$TMPD/t.dat" \
		>"$out" 2>"$out.err" &
	TPID=$!
	at_exit "kill $TPID"
}
# ttpcat_rc: wait for TPID (ttpcat has written all it got); TRC="rc=N"
# and its stderr, if any.  Not in $(...): a subshell cannot wait for its
# parent's child and does not (bash says rc=-1 while it still runs).
TRC=
ttpcat_rc()
{
	local rc=0
	wait "$TPID" || rc=$?
	TRC="rc=$rc$(<"$TMPD/t.out.err")"
}

# --- when an exchange stalls ------------------------------------------------

# A tracefs instance with the stream's window, retransmission, probe and
# state events (read only when an exchange stalls), and a watchdog per
# exchange: xfer_watched runs the agent's xfer while a background job,
# if the xfer still runs after half the agent's timeout, saves what both
# sides hold (TTP's sockets with their Timer column, Linux's ss -tinm, the
# trace) into $TMPD/stall; stall_show prints it as diagnostics after a
# failed check.
TR=/sys/kernel/tracing
[ -d $TR/instances ] || mount -t tracefs nodev $TR 2>/dev/null
INST=$TR/instances/ttp_sint
if mkdir "$INST" 2>/dev/null; then
	at_exit "rmdir $INST"
	echo 2048 >"$INST/buffer_size_kb"
	for e in ttp_window ttp_retransmit ttp_probe ttp_set_state; do
		echo 1 >"$INST/events/ttp/$e/enable"
	done
fi
stall_dump()
{
	echo "--- TTP sockets"
	tnet ttp/sockets
	echo "--- TTP stats (Stream)"
	grep '^Stream' "/proc/${HOLD[$T]}/net/ttp/stats"
	echo "--- Linux ss -tinmo"
	ip netns exec $X ss -tinmoHa
	echo "--- Linux nstat (Tcp, non-zero)"
	ip netns exec $X nstat -as | grep -E '^Tcp'
	if [ -d "$INST" ]; then
		echo "--- trace (last 300 lines)"
		tail -300 "$INST/trace"
	fi
}
# xfer_watched NAME ORDER: got=the agent's xfer NAME x.dat ORDER.
xfer_watched()
{
	local wpid i
	rm -f "$TMPD/stall"
	[ -d "$INST" ] && echo >"$INST/trace"
	(
		for ((i = 0; i < W / 2; i++)); do sleep 1; done
		stall_dump >"$TMPD/stall" 2>&1
	) &
	wpid=$!
	got=$(py $X xfer "$1" "$TMPD/x.dat" "$2" "$W")
	kill $wpid 2>/dev/null
	wait $wpid 2>/dev/null
}
# stall_show: what xfer_watched saved, if anything.
stall_show()
{
	[ -s "$TMPD/stall" ] || return 0
	diag "the exchange stalled; after $((W / 2)) s:"
	diag "$(<"$TMPD/stall")"
	rm -f "$TMPD/stall"
}

# --- the cable --------------------------------------------------------------

check "ttp-xcable add T X (MTU 1400 on T's end, TIME_WAIT 10 s in T)" \
	bash -c '"$0" add "$1" "$2" --ttp-addr "$3/24" --linux-addr "$4/24" \
		--ttp-dev "$5" --linux-dev "$6" &&
		ip -n "$1" link set dev "$5" mtu 1400 &&
		ip netns exec "$1" sysctl -qw net.ttp.stream_time_wait_ms="$7"' \
	"$XCABLE" $T $X $TA $XA $TD $XD $TW_MS
at_exit "'$XCABLE' del $T $X --ttp-dev $TD --linux-dev $XD"
# Before the namespaces go: TTP's TIME_WAIT entries run out.
at_exit "wait_for '! grep -q TIME_WAIT /proc/${HOLD[$T]}/net/ttp/sockets' $((TW_MS / 1000 + 10))"

# The data: 100 KB each way, different bytes.
TDAT=$(py $X mkdata "$TMPD/t.dat" $SIZE 1)
XDAT=$(py $X mkdata "$TMPD/x.dat" $SIZE 2)

snap t:StreamInCsumErrors t:StreamInErrs t:StreamInSegs t:StreamOutSegs \
	x:Tcp:InCsumErrors x:Tcp:InErrs

# A capture on X's end for exchanges 1 to 4.
pcap=$TMPD/x.pcap
ip netns exec $X tcpdump -i $XD -nn -U -w "$pcap" 2>"$TMPD/tcpdump.err" &
dpid=$!
at_exit "kill $dpid"
wait_for '[[ $(<"$TMPD/tcpdump.err") == *"listening on"* ]]' 20

# --- 1. Linux client, TTP server: TTP closes first ---------------------------

snap t:StreamPassiveOpens t:StreamActiveOpens x:Tcp:ActiveOpens
ttpcat_bg "$TMPD/t.out" -l 5001
wait_for 'listening 5001' 10
cli=$(py $X tconnect c1 $TA 5001 "$W")
# TTP's FIN comes after its 100 KB; Linux reads to EOF, then closes.
xfer_watched c1 peer
ttpcat_rc	# in this shell: wait works on our own child only
check_eq "Linux client <-> ttpcat -t -l: 100 KB each way intact, ttpcat rc 0" \
	"linux got $TDAT; ttp got $XDAT; rc=0" \
	"linux got $got; ttp got $(py $X md5 "$TMPD/t.out"); $TRC"
stall_show
check_eq "... StreamPassiveOpens +1, StreamActiveOpens +0; Linux ActiveOpens +1" \
	"StreamPassiveOpens=+1 StreamActiveOpens=+0 ActiveOpens=+1" \
	"$(deltas t:StreamPassiveOpens t:StreamActiveOpens x:Tcp:ActiveOpens)"
wait_for '[ "$(ttp_state $TA:5001 "$cli")" = TIME_WAIT ]' 5
check_eq "TTP closed first: TTP has the TIME_WAIT ($TA:5001 $cli)" \
	TIME_WAIT "$(ttp_state $TA:5001 "$cli")"
wait_for '[ "$(linux_state "$cli" $TA:5001)" = none ]' 5
check_eq "... and Linux none (ss state time-wait; the socket is gone)" \
	"no TIME_WAIT none" \
	"$(linux_tw "$cli" $TA:5001) $(linux_state "$cli" $TA:5001)"

# --- 2. Linux client, TTP server: Linux closes first -------------------------

# ttpcat -H: no FIN at stdin's EOF; it closes when Linux's FIN came.
ttpcat_bg "$TMPD/t.out" -l 5002 -H
wait_for 'listening 5002' 10
cli=$(py $X tconnect c2 $TA 5002 "$W")
xfer_watched c2 first:$SIZE
ttpcat_rc	# in this shell: wait works on our own child only
check_eq "Linux client <-> ttpcat -t -l -H: 100 KB each way intact, ttpcat rc 0" \
	"linux got $TDAT; ttp got $XDAT; rc=0" \
	"linux got $got; ttp got $(py $X md5 "$TMPD/t.out"); $TRC"
stall_show
wait_for '[ "$(linux_state "$cli" $TA:5002)" = TIME_WAIT ]' 5
# Both views: ss's time-wait filter also lists a closed socket still in
# FIN_WAIT_2 (a TIME_WAIT-table entry whose substate /proc/net/tcp shows),
# which is what Linux keeps when our FIN never came.
check_eq "Linux closed first: Linux has the TIME_WAIT (ss: $cli $TA:5002)" \
	"TIME_WAIT TIME_WAIT" \
	"$(linux_tw "$cli" $TA:5002) $(linux_state "$cli" $TA:5002)"
wait_for '[ "$(ttp_state $TA:5002 "$cli")" = none ]' 5
check_eq "... and TTP none (LAST_ACK ended at Linux's ACK)" \
	none "$(ttp_state $TA:5002 "$cli")"

# --- 3. TTP client, Linux server: TTP closes first ---------------------------

py $X tlisten srv 6001 >/dev/null
# (Not Linux's PassiveOpens: with 2 CPUs it may count 2 for one
# connection, when TTP's ACK and first data segment race for the request
# socket on both; the loser's child is freed, the count stays.)
snap t:StreamPassiveOpens t:StreamActiveOpens x:Tcp:ActiveOpens
ttpcat_bg "$TMPD/t.out" $XA 6001
tcli=$(py $X taccept c3 srv "$W")
xfer_watched c3 peer
ttpcat_rc	# in this shell: wait works on our own child only
check_eq "ttpcat -t <-> Linux server: 100 KB each way intact, ttpcat rc 0" \
	"linux got $TDAT; ttp got $XDAT; rc=0" \
	"linux got $got; ttp got $(py $X md5 "$TMPD/t.out"); $TRC"
stall_show
check_eq "... StreamActiveOpens +1, StreamPassiveOpens +0; Linux ActiveOpens +0" \
	"StreamActiveOpens=+1 StreamPassiveOpens=+0 ActiveOpens=+0" \
	"$(deltas t:StreamActiveOpens t:StreamPassiveOpens x:Tcp:ActiveOpens)"
wait_for '[ "$(ttp_state "$tcli" $XA:6001)" = TIME_WAIT ]' 5
check_eq "TTP closed first: TTP has the TIME_WAIT ($tcli $XA:6001)" \
	TIME_WAIT "$(ttp_state "$tcli" $XA:6001)"
wait_for '[ "$(linux_state $XA:6001 "$tcli")" = none ]' 5
check_eq "... and Linux none (ss state time-wait; the socket is gone)" \
	"no TIME_WAIT none" \
	"$(linux_tw $XA:6001 "$tcli") $(linux_state $XA:6001 "$tcli")"

# --- 4. TTP client, Linux server: Linux closes first -------------------------

ttpcat_bg "$TMPD/t.out" -H $XA 6001
tcli=$(py $X taccept c4 srv "$W")
xfer_watched c4 first:$SIZE
ttpcat_rc	# in this shell: wait works on our own child only
check_eq "ttpcat -t -H <-> Linux server: 100 KB each way intact, ttpcat rc 0" \
	"linux got $TDAT; ttp got $XDAT; rc=0" \
	"linux got $got; ttp got $(py $X md5 "$TMPD/t.out"); $TRC"
stall_show
wait_for '[ "$(linux_state $XA:6001 "$tcli")" = TIME_WAIT ]' 5
check_eq "Linux closed first: Linux has the TIME_WAIT (ss: $XA:6001 $tcli)" \
	"TIME_WAIT TIME_WAIT" \
	"$(linux_tw $XA:6001 "$tcli") $(linux_state $XA:6001 "$tcli")"
wait_for '[ "$(ttp_state "$tcli" $XA:6001)" = none ]' 5
check_eq "... and TTP none (LAST_ACK ended at Linux's ACK)" \
	none "$(ttp_state "$tcli" $XA:6001)"
py $X tclose srv >/dev/null
kill $dpid
wait $dpid

# --- 5. closed ports: ECONNREFUSED both ways --------------------------------

snap t:StreamAttemptFails t:StreamActiveOpens x:Tcp:OutRsts
check_eq "a TTP connect to a closed Linux port: ECONNREFUSED" \
	"ttpcat: connect: Connection refused (ECONNREFUSED)" \
	"$(ip netns exec $T "$TTPCAT" -t -w "$W" $XA 6999 </dev/null 2>&1)"
check_eq "... Linux reset it (Tcp OutRsts +1); StreamActiveOpens +1, AttemptFails +1" \
	"OutRsts=+1 StreamActiveOpens=+1 StreamAttemptFails=+1" \
	"$(deltas x:Tcp:OutRsts t:StreamActiveOpens t:StreamAttemptFails)"

snap t:StreamOutRsts x:Tcp:AttemptFails x:Tcp:ActiveOpens
check_eq "a Linux connect to a closed TTP port: ECONNREFUSED" \
	ECONNREFUSED "$(py $X tconnect c5 $TA 5999 "$W")"
check_eq "... TTP reset it (StreamOutRsts +1); Linux ActiveOpens +1, AttemptFails +1" \
	"StreamOutRsts=+1 ActiveOpens=+1 AttemptFails=+1" \
	"$(deltas t:StreamOutRsts x:Tcp:ActiveOpens x:Tcp:AttemptFails)"

# --- 6. the MSS TTP announces; ttpcat -q ------------------------------------

# ttpcat's stdin: a FIFO it holds open itself (never EOF); -q makes it
# leave at Linux's EOF all the same.
mkfifo "$TMPD/fifo"
ip netns exec $T "$TTPCAT" -t -w "$W" -l 5003 -q <>"$TMPD/fifo" \
	>"$TMPD/q.out" 2>&1 &
qpid=$!
at_exit "kill $qpid"
wait_for 'listening 5003' 10
cli=$(py $X tconnect c6 $TA 5003 "$W")
mss=$(ip netns exec $X ss -Htin dst $TA:5003)
[[ $mss =~ \ mss:([0-9]+) ]] && mss=${BASH_REMATCH[1]}
check_eq "Linux sends with the MSS TTP announced: ss -ti mss:1360 (T's MTU 1400)" \
	1360 "$mss"
printf 'bye\n' >"$TMPD/bye"
got=$(py $X xfer c6 "$TMPD/bye" first:0 "$W")
rc=0
wait $qpid || rc=$?
check_eq "ttpcat -q: leaves at the peer's EOF with stdin still open (rc 0, got 'bye')" \
	"rc=0 bye 0" "rc=$rc $(<"$TMPD/q.out") ${got%% *}"

# --- 7. checksums ---------------------------------------------------------------

# moved KEY: "KEY moved" if the counter grew since snap.
moved() { [ "$(val "$1")" -gt "${BASE[$1]}" ] && echo "${1##*:} moved"; }
check_eq "whole test: no checksum or header error on either side" \
	"StreamInCsumErrors=+0 StreamInErrs=+0 InCsumErrors=+0 InErrs=+0 StreamInSegs moved StreamOutSegs moved" \
	"$(deltas t:StreamInCsumErrors t:StreamInErrs x:Tcp:InCsumErrors x:Tcp:InErrs) $(moved t:StreamInSegs) $(moved t:StreamOutSegs)"

# The capture on X's end (exchanges 1 to 4; the last frames may be lost
# when tcpdump is stopped): T's frames arrive as IPv4, X's own leave
# re-typed as 0x88b5 (decoded as IPv4 too).  Every TTP segment must decode
# as TCP with a good checksum (tcp.checksum.status 1), none malformed
# (in its headers: no reassembly, see ttp_stream_bulk.sh); exchange 1
# alone is more than 75 (100 KB in segments of 1360 bytes).
tshark_segs()
{
	local -a l
	local re=$'^ *([0-9]+) 6\t1\t$'
	mapfile -t l < <(tshark -r "$pcap" -n -d ethertype==0x88b5,ip \
		-o tcp.check_checksum:TRUE -o tcp.desegment_tcp_streams:FALSE \
		-Y "ip.src==$TA" -T fields \
		-e ip.proto -e tcp.checksum.status -e _ws.malformed \
		2>"$TMPD/tshark.err" | sort | uniq -c)
	if [ ${#l[@]} = 1 ] && [[ ${l[0]} =~ $re ]] &&
	   [ "${BASH_REMATCH[1]}" -gt 75 ]; then
		echo "all TCP, checksums Good"
	else
		printf '%s\n' "${l[@]}" "$(<"$TMPD/tshark.err")"
	fi
}
check_eq "tshark on X's end: every TTP segment captured is TCP, checksum Good" \
	"all TCP, checksums Good" "$(tshark_segs)"
