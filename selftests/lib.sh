#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lib.sh: helpers shared by the TTP shell selftests (sourced, not run).
#
#   TAP:      plan N; check DESC CMD...; check_fail DESC CMD...;
#             check_eq DESC WANT GOT; check_fn DESC FUNC...;
#             ok DESC; fail DESC [WHY]; skip DESC WHY
#   cleanup:  at_exit CMD (run in reverse order on exit, even on failure)
#   netns:    ns_add NAME (IPv6 off, deleted at exit); in_ns NS CMD...
#   polling:  wait_for 'SHELL CONDITION' TIMEOUT_SECONDS
#   module:   TTP_TOP; TTP_KO; ttp_load; ttp_loaded; TTPCAT (build/tools)
#   /proc:    ttp_stat NAME [NS]; ttp_dev_field DEV COL [NS]
#   agent:    py_start NS; py NS CMD ARGS... (see _PY_AGENT below)
#
# NS "" is the initial namespace.  Under TCG every exec costs ~0.2 s and a
# python3 start ~1 s, so per-namespace reads, writes and packet sends go
# through one long-lived python3 agent per namespace (py_start).
#
# The exit status is 0 only if every planned test ran and none failed.

# shellcheck disable=SC2016 # awk/python programs are single-quoted
set -u

TTP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# TTP_KO may be set to test another build (e.g. for another kernel).
TTP_KO=${TTP_KO:-"$TTP_TOP/module/ttp.ko"}
# The user-space tools (make tools; scripts/test builds them).
TTPCAT=$TTP_TOP/build/tools/ttpcat
# The host's python3 may be a pyenv shim; the VM has the Debian one.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# ---- TAP -----------------------------------------------------------------

_tap_n=0
_tap_failed=0
_tap_plan=0

plan()
{
	_tap_plan=$1
	echo "TAP version 13"
	echo "1..$1"
}

ok()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

# fail DESC [WHY]: a failed test, with an optional diagnostic.
fail()
{
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	[ $# -lt 2 ] || diag "$2"
}

skip()
{
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

diag()
{
	local l
	while IFS= read -r l; do echo "# $l"; done <<<"$1"
}

# check DESC CMD...: ok if CMD succeeds; its output is shown only on failure.
check()
{
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		fail "$desc" "failed: $*${out:+$'\n'$out}"
	fi
}

# check_fail DESC CMD...: ok if CMD fails.
check_fail()
{
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "$desc" "unexpectedly succeeded: $*${out:+$'\n'$out}"
	else
		ok "$desc"
	fi
}

# check_eq DESC WANT GOT
check_eq()
{
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1" "want '$2'"$'\n'"got  '$3'"
	fi
}

# ---- cleanup -------------------------------------------------------------

_cleanups=()

at_exit()
{
	_cleanups+=("$1")
}

_lib_exit()
{
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[i]}" >/dev/null 2>&1
	done
	if [ "$_tap_n" -ne "$_tap_plan" ]; then
		fail "plan: $_tap_plan tests planned, $_tap_n ran"
	fi
	[ "$_tap_failed" -eq 0 ] && exit 0
	exit 1
}
trap _lib_exit EXIT
trap 'exit 143' INT TERM HUP

# A scratch directory for the test, removed at exit.
TMPD=$(mktemp -d /tmp/ttp-test.XXXXXX)
at_exit "rm -rf '$TMPD'"

# check_fn DESC FUNC [ARGS...]: like check, but FUNC runs in this shell
# (it may set variables); its output is shown only on failure.
check_fn()
{
	local desc=$1
	shift
	if "$@" >"$TMPD/check.out" 2>&1; then
		ok "$desc"
	else
		fail "$desc" "$(<"$TMPD/check.out")"
	fi
}

# ---- namespaces ----------------------------------------------------------

# ns_add NAME: a fresh namespace with lo up and IPv6 off (so that no DAD,
# MLD or RS frame spoils an exact frame count), deleted at exit.
ns_add()
{
	ip netns del "$1" 2>/dev/null
	ip netns add "$1" || return 1
	at_exit "ip netns del '$1'"
	ip netns exec "$1" sh -c 'ip link set lo up
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1' 2>/dev/null
	true
}

# in_ns NS CMD...: run CMD in namespace NS, or here if NS is empty.
in_ns()
{
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# ---- polling -------------------------------------------------------------

# The debug kernel (KASAN, lockdep, kmemleak; release "*-dbg") runs module
# code several times slower: bounds stretch by TTP_TIME_SCALE there.
case $(uname -r) in
*-dbg*) TTP_TIME_SCALE=${TTP_TIME_SCALE:-8} ;;
*) TTP_TIME_SCALE=${TTP_TIME_SCALE:-1} ;;
esac

# wait_for 'CONDITION' TIMEOUT: evaluate CONDITION every 0.1 s until it is
# true (status 0) or TIMEOUT seconds (may be fractional, scaled by
# TTP_TIME_SCALE) have passed.
wait_for()
{
	local cond=$1 deadline
	deadline=$(($(_now_ms) + $(_sec_to_ms "$2") * TTP_TIME_SCALE))
	while :; do
		eval "$cond" && return 0
		[ "$(_now_ms)" -ge "$deadline" ] && break
		sleep 0.1
	done
	eval "$cond"
}

_now_ms()
{
	local s=${EPOCHREALTIME%.*} us=${EPOCHREALTIME#*.}
	echo $((s * 1000 + 10#${us:0:3}))
}

# _sec_to_ms 2.5 -> 2500
_sec_to_ms()
{
	local i=${1%.*} f=000
	[ "$i" = "$1" ] || f=${1#*.}000
	echo $((10#${i:-0} * 1000 + 10#${f:0:3}))
}

# ---- module --------------------------------------------------------------

ttp_loaded()
{
	[ -d /sys/module/ttp ]
}

# ttp_load: insmod the module (default parameters) unless it is loaded.
ttp_load()
{
	ttp_loaded || insmod "$TTP_KO"
}

# ---- the python3 agent ---------------------------------------------------

# One request per line, words separated by spaces ("-" is an empty word);
# the reply is zero or more lines, then "." (success) or "!" (failure:
# the reply is the errno name, ENOENT, EINVAL, ...).
_PY_AGENT='
import ctypes, errno, os, socket, sys, time
held = []

def ename(e):
    return errno.errorcode.get(e.errno, str(e.errno))

def c_read(path):           # the file, or its errno name
    with open(path) as f:
        return f.read().rstrip("\n")

def c_write(path, *words):  # "ok" or the errno name
    with open(path, "w") as f:
        f.write(" ".join(words) + "\n")
    return "ok"

def c_exists(path):
    return "1" if os.path.exists(path) else "0"

def c_sock(fam, typ, proto="0", hold=""):
    s = socket.socket(int(fam), int(typ), int(proto))
    held.append(s) if hold else s.close()
    return "ok"

def c_release():
    while held:
        held.pop().close()
    return "ok"

def c_finit(path, *params): # finit_module(): insmod without kmod
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    r = libc.syscall(313, fd, " ".join(params).encode(), 0)
    os.close(fd)
    return "ok" if r == 0 else errno.errorcode.get(ctypes.get_errno())

def arp(spa, tpa, ptype):   # RFC 826 request body
    b = bytes([0, 1]) + int(ptype, 0).to_bytes(2, "big") + bytes([6, 4, 0, 1])
    return b + b"\2" * 6 + socket.inet_aton(spa) + bytes(6) + socket.inet_aton(tpa)

def c_send(dev, n, etype="0x88b5", body="", dst="", bypass="0"):
    """n 60-byte frames; body "arp:SPA:TPA:PTYPE" or hex; prints # sent"""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    if bypass == "1":
        s.setsockopt(263, 20, 1)  # SOL_PACKET, PACKET_QDISC_BYPASS
    s.bind((dev, 0))
    b = arp(*body[4:].split(":")) if body.startswith("arp:") else bytes.fromhex(body)
    f = (bytes.fromhex(dst.replace(":", "")) if dst else b"\xff" * 6)
    f += s.getsockname()[4] + int(etype, 0).to_bytes(2, "big") + b.ljust(46, b"\0")
    sent = 0
    for _ in range(int(n)):
        try:
            s.send(f)
            sent += 1
        except OSError:
            pass
    s.close()
    return str(sent)

for line in sys.stdin:
    w = ["" if x == "-" else x for x in line.split()]
    try:
        r = globals()["c_" + w[0]](*w[1:]) + "\n."
    except OSError as e:
        r = ename(e) + "\n!"
    except Exception as e:
        r = "ERROR %r\n!" % e
    print(r, flush=True)
'

declare -A _py_w _py_r _py_pid

# py_start NS: start the agent in NS (not in a subshell: it registers fds).
# The agent is a process in NS: stop it (py_stop) before deleting NS and
# expecting the namespace to go away.
py_start()
{
	local k=${1:-init} fifo=$TMPD/py.${1:-init} w r
	mkfifo "$fifo.in" "$fifo.out"
	in_ns "$1" "$PY" -S -u -c "$_PY_AGENT" <"$fifo.in" >"$fifo.out" 2>&1 &
	_py_pid[$k]=$!
	exec {w}>"$fifo.in" {r}<"$fifo.out"
	_py_w[$k]=$w
	_py_r[$k]=$r
	at_exit "py_stop '$1'"
}

py_stop()
{
	local k=${1:-init} w r
	[ -n "${_py_pid[$k]:-}" ] || return 0
	w=${_py_w[$k]} r=${_py_r[$k]}
	exec {w}>&- {r}<&-
	wait "${_py_pid[$k]}"
	unset "_py_pid[$k]"
}

# py NS CMD ARGS...: run one agent command in NS, print its reply; the
# status is that of the command.
py()
{
	local k=${1:-init} l
	shift
	[ -n "${_py_pid[$k]:-}" ] || { echo "py: no agent in '$k'"; return 1; }
	echo "$@" >&"${_py_w[$k]}"
	while IFS= read -r l <&"${_py_r[$k]}"; do
		case $l in
		.) return 0 ;;
		!) return 1 ;;
		*) printf '%s\n' "$l" ;;
		esac
	done
	return 1
}

# ns_cat NS FILE: FILE as seen from NS (via its agent).
ns_cat()
{
	if [ -n "$1" ]; then
		py "$1" read "$2"
	else
		printf '%s\n' "$(<"$2")"
	fi
}

# ns_test NS PATH: PATH exists in NS.
ns_test()
{
	if [ -n "$1" ]; then
		[ "$(py "$1" exists "$2")" = 1 ]
	else
		[ -e "$2" ]
	fi
}

# ---- /proc/net/ttp -------------------------------------------------------

# ttp_stat NAME [NS]: the value of counter NAME in /proc/net/ttp/stats.
ttp_stat()
{
	local k v
	while read -r k v; do
		[ "$k" = "$1" ] && { echo "$v"; return 0; }
	done <<<"$(ns_cat "${2:-}" /proc/net/ttp/stats)"
	return 1
}

# ttp_dev_field DEV COL [NS]: column COL (a header name, e.g. State) of
# DEV's line in /proc/net/ttp/devices.
ttp_dev_field()
{
	local -a h f
	local i c=-1
	{
		read -r -a h
		for i in "${!h[@]}"; do [ "${h[i]}" = "$2" ] && c=$i; done
		[ "$c" -ge 0 ] || return 1
		while read -r -a f; do
			[ "${f[0]}" = "$1" ] && { echo "${f[c]}"; return 0; }
		done
		return 1
	} <<<"$(ns_cat "${3:-}" /proc/net/ttp/devices)"
}

# ttp_devices [NS]: names of the ttp-kind links in NS, one per line.
ttp_devices()
{
	local l
	while IFS= read -r l; do
		l=${l#*: }
		[ -z "$l" ] || echo "${l%%[@:]*}"
	done <<<"$(ip ${1:+-n "$1"} -o link show type ttp 2>/dev/null)"
}

# del_new_ttp_devices BEFORE: delete init-ns ttp devices not in list BEFORE.
del_new_ttp_devices()
{
	local d
	for d in $(ttp_devices ""); do
		grep -qx "$d" <<<"$1" || ip link del "$d" 2>/dev/null
	done
}

# ---- links ---------------------------------------------------------------

# sysfs NS DEV ATTR: /sys/class/net/DEV/ATTR as seen from NS; fails if it
# cannot be read (e.g. carrier of a device that is down).
sysfs()
{
	local v
	if [ -n "$1" ]; then
		py "$1" read "/sys/class/net/$2/$3"
	else
		read -r v 2>/dev/null <"/sys/class/net/$2/$3" && echo "$v"
	fi
}

# link_exists DEV [NS]
link_exists()
{
	ns_test "${2:-}" "/sys/class/net/$1"
}

# link_stats DEV [NS]: "txp txb rxp rxb txdrop rxdrop" from `ip -s link`.
link_stats()
{
	ip ${2:+-n "$2"} -s link show dev "$1" | awk '
		$1 == "RX:" || $1 == "TX:" {
			d = $1; for (i = 2; i <= NF; i++) col[d, $i] = i - 1
			getline; for (i = 1; i <= NF; i++) v[d, i] = $i }
		END { print v["TX:", col["TX:", "packets"]], v["TX:", col["TX:", "bytes"]],
			    v["RX:", col["RX:", "packets"]], v["RX:", col["RX:", "bytes"]],
			    v["TX:", col["TX:", "dropped"]], v["RX:", col["RX:", "dropped"]] }'
}

# eth_stats DEV [NS]: the same six from `ethtool -S` (tx_drops, rx_drops).
eth_stats()
{
	in_ns "${2:-}" ethtool -S "$1" | awk '{ v[$1] = $2 }
		END { print v["tx_packets:"], v["tx_bytes:"], v["rx_packets:"],
			    v["rx_bytes:"], v["tx_drops:"], v["rx_drops:"] }'
}

# delta "A1 A2 .." "B1 B2 ..": element-wise B - A.
delta()
{
	local -a a b
	local i out=""
	read -r -a a <<<"$1"
	read -r -a b <<<"$2"
	for i in "${!a[@]}"; do out+="${out:+ }$((b[i] - a[i]))"; done
	echo "$out"
}

# ---- background traffic --------------------------------------------------

# pkt_flood NS DEV SECONDS: (its own python3, in NS) send broadcast 0x88b5
# frames on DEV for SECONDS, rebinding DEV by name whenever it is missing, down,
# moved or recreated.  Prints the number of frames sent.
pkt_flood()
{
	local ns=$1
	shift
	in_ns "$ns" "$PY" -S -c '
import socket, sys, time
dev, end = sys.argv[1], time.time() + float(sys.argv[2])
sent, s = 0, None
while time.time() < end:
    try:
        if s is None:
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((dev, 0))
            f = b"\xff" * 6 + s.getsockname()[4] + b"\x88\xb5" + bytes(46)
        s.send(f)
        sent += 1
    except OSError:
        if s:
            s.close()
        s = None
        time.sleep(0.01)
print(sent)' "$@"
}
