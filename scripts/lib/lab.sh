# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # CAP_PID, BG_PID, OUT, RC: for the labs
#
# scripts/lib/lab.sh: what the labs (scripts/lab-*) share; sourced, never
# run.  A lab is a lesson first: it prints every command it runs, with the
# host it runs in as the prompt ("A# cat /proc/net/ttp/arp") and its output
# indented, and says in a line or two what to look at.  The helpers:
#
#   lab_start "$@"      options; outside the VM: build, boot, run inside
#   step TITLE          a heading (STEP=1: wait for Enter first)
#   say TEXT            an explanation line
#   show 'CMD'          run CMD (sh -c) here, print "$ CMD" and its output;
#                       the output is kept in OUT, the status in RC
#   on H 'CMD'          the same in host H ("H# CMD")
#   host H NS           host H is network namespace NS (created here)
#   bg_on H FILE 'CMD'  CMD in H in the background, output to FILE (BG_PID)
#   prompt H TEXT       print "H# TEXT" (for what runs in the background)
#   show_file TEXT FILE print TEXT as a comment, then FILE's lines (in OUT)
#   wait_until 'COND' [SECS]  poll COND every 0.1 s, give up after SECS
#   counter H NAME      counter NAME of H's /proc/net/ttp/stats
#   snap H NAME...; moved H NAME   the change since snap
#   arp_col H ADDR COL  a column of ADDR's line in H's /proc/net/ttp/arp
#   evidence KEY VALUE  with LAB_CHECK=1: "EVIDENCE KEY VALUE" for the
#                       selftest (selftests/ttp_lab_NAME.sh)
#   lab_at_exit 'CMD'   cleanup, run in reverse order on exit
#
# Reading /proc/net/ttp of a host goes through /proc/PID/net of a sleeping
# process in its namespace: no command starts, which matters in the TCG VM
# where every exec costs ~0.2 s.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$TOP/scripts/lib/common.sh"
TTPCAT=$TOP/build/tools/ttpcat
LAB_NAME=${0##*/}
# The commands shown say "ttpcat": make it one.
PATH=$TOP/build/tools:$PATH

# lab_help: the comment block at the top of the lab, without "# ".
lab_help()
{
	local l
	while IFS= read -r l; do
		case $l in
		'#!'*|'# SPDX'*) continue ;;
		'#') echo ;;
		'# '*) echo "${l#\# }" ;;
		*) break ;;
		esac
	done <"$0"
}

lab_start()
{
	local kernel=6.1 kdir kver rc=0
	INSIDE=${INSIDE:-0}
	while [ $# -gt 0 ]; do
		case $1 in
		--kernel) kernel=${2:?--kernel needs 6.1 or 6.12}; shift ;;
		--inside) INSIDE=1 ;;
		-h|--help) lab_help; exit 0 ;;
		*) echo "$LAB_NAME: unknown argument $1 (see $LAB_NAME --help)" >&2
		   exit 2 ;;
		esac
		shift
	done
	[ "$INSIDE" = 1 ] && return 0
	if [ "${VM:-1}" = 0 ]; then
		[ "$(id -u)" = 0 ] || {
			echo "$LAB_NAME: VM=0 needs root (it loads a module)" >&2
			exit 1
		}
		kdir=/lib/modules/$(uname -r)/build
		kver=$(uname -r)
	else
		"$TOP/scripts/deps"
		kdir=$("$TOP/scripts/deps" --kdir "$kernel")
		kver=$("$TOP/scripts/deps" --kver "$kernel")
	fi
	echo "== building module/ttp.ko for $kver"
	lab_build "$kdir" "$kver"
	make -s -C "$TOP" tools >/dev/null
	if [ "${VM:-1}" = 0 ]; then
		TTP_KO=$LAB_KO "$0" --inside || rc=$?
		exit $rc
	fi
	echo "== booting the VM ($kernel); this takes a few seconds"
	"$TOP/scripts/vm-run" -k "$kernel" -- env STEP="${STEP:-0}" \
		LAB_CHECK="${LAB_CHECK:-0}" TTP_KO="$LAB_KO" "$0" --inside || rc=$?
	exit $rc
}

# lab_build KDIR KVER: build module/ttp.ko against KDIR and keep a private
# copy for this run (LAB_KO), as scripts/test does (ttp_build_ko).
lab_build()
{
	LAB_KO=$(ttp_build_ko "$1" "$2" "$LAB_TMP/build.log") || {
		tail -n 30 "$LAB_TMP/build.log" >&2
		exit 1
	}
	lab_at_exit "rm -rf '${LAB_KO%/*}'"
}

# The debug kernel (KASAN, lockdep: release "*-dbg") runs TTP several times
# slower: a lab's timers and waits stretch by LAB_SLOW there, as the
# selftests' do (TTP_TIME_SCALE); elsewhere the numbers are the ones shown.
case $(uname -r) in
*-dbg*) LAB_SLOW=8 ;;
*) LAB_SLOW=1 ;;
esac

# ---- cleanup ---------------------------------------------------------------

LAB_CLEANUPS=()
lab_at_exit() { LAB_CLEANUPS+=("$1"); }
lab_exit()
{
	local i
	# Every step, even after a failed one (set -e would stop at the first).
	set +e
	for ((i = ${#LAB_CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${LAB_CLEANUPS[i]}" >/dev/null 2>&1
	done
	rm -rf "$LAB_TMP"
}
LAB_TMP=$(mktemp -d "/tmp/$LAB_NAME.XXXXXX")
trap lab_exit EXIT
trap 'exit 130' INT TERM HUP

# ---- what the students see ----------------------------------------------

step()
{
	printf '\n\033[1m== %s\033[0m' "$*"
	# The selftest wants to see where the time goes.
	[ "${LAB_CHECK:-0}" != 1 ] || printf '   [%ss]' "$SECONDS"
	echo
	if [ "${STEP:-0}" = 1 ] && [ -t 0 ]; then
		read -r -p "(press Enter)" _
	fi
}

say() { printf '  %s\n' "$@"; }

# _out: print OUT indented (nothing for an empty output).
_out()
{
	local l
	[ -n "$OUT" ] || return 0
	while IFS= read -r l; do printf '    %s\n' "$l"; done <<<"$OUT"
}

show()
{
	printf '$ %s\n' "$1"
	OUT=$(sh -c "$1" 2>&1) && RC=0 || RC=$?
	_out
}

declare -A LAB_NS LAB_HOLD

on()
{
	printf '%s# %s\n' "$1" "$2"
	OUT=$(ip netns exec "${LAB_NS[$1]}" sh -c "$2" 2>&1) && RC=0 || RC=$?
	_out
}

prompt() { printf '%s# %s\n' "$1" "$2"; }

show_file()
{
	printf '  (%s)\n' "$1"
	OUT=$(<"$2")
	_out
}

bg_on()
{
	ip netns exec "${LAB_NS[$1]}" sh -c "$3" >"$2" 2>&1 &
	BG_PID=$!
	lab_at_exit "kill $BG_PID"
}

# ---- hosts -------------------------------------------------------------------

# host H NS: a fresh namespace NS for host H, lo up, IPv6 off (no noise on
# the wire), and a sleeping process in it for reading its /proc/net.
host()
{
	local h=$1 ns=$2 c
	ip netns del "$ns" 2>/dev/null || true
	ip netns add "$ns"
	lab_at_exit "ip netns del $ns"
	LAB_NS[$h]=$ns
	ip netns exec "$ns" sh -c 'ip link set lo up
		echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
		echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
		exec sleep 100000' >/dev/null 2>&1 &
	LAB_HOLD[$h]=$!
	lab_at_exit "kill ${LAB_HOLD[$h]}"
}

# hosts_ready: every host's sleeper is in its namespace.
hosts_ready()
{
	local h c
	for h in "${!LAB_HOLD[@]}"; do
		wait_until "read -r c <'/proc/${LAB_HOLD[$h]}/comm' && [ \"\$c\" = sleep ]" 10 || true
	done
}

# wait_until 'COND' [SECS]: true once COND is; false after SECS (default
# 10) -- the lab says so and goes on: it never hangs.
wait_until()
{
	local i n=$((${2:-10} * 10 * LAB_SLOW))
	for ((i = 0; i < n; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	say "(gave up waiting for: $1)"
	return 1
}

# hostfile H PATH: PATH under H's /proc/net/ttp/.
hostfile() { echo "/proc/${LAB_HOLD[$1]}/net/ttp/$2"; }

counter()
{
	local k v
	while read -r k v; do
		[ "$k" = "$2" ] && { echo "$v"; return 0; }
	done <"$(hostfile "$1" stats)"
	echo "?"
}

declare -A LAB_BASE
snap()
{
	local h=$1 n
	shift
	for n; do LAB_BASE[$h:$n]=$(counter "$h" "$n"); done
}

moved() { echo $(($(counter "$1" "$2") - ${LAB_BASE[$1:$2]:-0})); }

# arp_col H ADDR COL: column COL (Address, HWaddress, State, Device,
# Confirmed, Used, Probes, Queue) of ADDR's entry in H's cache; "none".
arp_col()
{
	local -a f
	local i=0 c
	for c in Address HWaddress State Device Confirmed Used Probes Queue; do
		[ "$c" = "$3" ] && break
		i=$((i + 1))
	done
	while read -r -a f; do
		[ "${f[0]:-}" = "$2" ] && { echo "${f[i]}"; return 0; }
	done <"$(hostfile "$1" arp)"
	echo none
}

# arp_addrs H: the addresses in H's cache, space-separated ("" if empty).
arp_addrs()
{
	local a rest out=""
	{
		read -r _
		while read -r a rest; do out+="${out:+ }$a"; done
	} <"$(hostfile "$1" arp)"
	echo "$out"
}

# bound H PORT: a TTP datagram socket in H is bound to PORT.
bound()
{
	local proto l rest
	while read -r proto l rest; do
		[ "$proto" = dgram ] && [ "${l##*:}" = "$2" ] && return 0
	done <"$(hostfile "$1" sockets)"
	return 1
}

# ---- captures ----------------------------------------------------------------

# capture H DEV FILE COUNT FILTER: tcpdump in H on DEV, writing FILE,
# stopping after COUNT frames (or 60 s); returns once it listens.
capture()
{
	bg_on "$1" "$3.err" "exec timeout 60 tcpdump -i $2 -nn -U -c $4 -w $3 '$5'"
	CAP_PID=$BG_PID
	wait_until "grep -qs 'listening on' '$3.err'" 20 || true
}

# capture_done PID: wait (bounded) for a capture to have its COUNT frames.
capture_done()
{
	wait_until "! kill -0 $1 2>/dev/null" "${2:-10}" || kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	true
}

# table: TAB-separated lines on stdin, printed as aligned columns
# (tshark -T fields separates with TABs).
table()
{
	local -a rows w f
	local l i out cell
	mapfile -t rows
	for l in "${rows[@]}"; do
		IFS=$'\x1f' read -r -a f <<<"${l//$'\t'/$'\x1f'}"
		for i in "${!f[@]}"; do
			[ "${#f[i]}" -le "${w[i]:-0}" ] || w[i]=${#f[i]}
		done
	done
	for l in "${rows[@]}"; do
		IFS=$'\x1f' read -r -a f <<<"${l//$'\t'/$'\x1f'}"
		out=""
		for i in "${!w[@]}"; do
			printf -v cell '%-*s  ' "${w[i]}" "${f[i]:-}"
			out+=$cell
		done
		printf '    %s\n' "${out%"${out##*[! ]}"}"
	done
}

# decode FILE FIELD...: the FIELDs of each frame of the capture FILE, by
# tshark (TTP's EtherType decoded as IPv4), shown as a table; the frames'
# TAB-separated fields are kept in FRAMES (frame_field N I: field I of
# frame N, both from 0).
decode() { local pcap=$1; shift; decode_where "$pcap" "" "$@"; }

frame_field()
{
	local -a f
	local l=${FRAMES[$1]:-}
	IFS=$'\x1f' read -r -a f <<<"${l//$'\t'/$'\x1f'}"
	echo "${f[$2]:--}"
}

# errname TEXT: the errno name ttpcat put in parentheses, or "none".
errname()
{
	local e=${1##*\(}
	[ "$e" != "$1" ] || { echo none; return; }
	echo "${e%%\)*}"
}

# ---- evidence for selftests/ttp_lab_*.sh ------------------------------

evidence()
{
	local k=$1 v
	shift
	v="$*"
	[ "${LAB_CHECK:-0}" = 1 ] && printf 'EVIDENCE %s %s\n' "$k" "${v%"${v##*[! ]}"}"
	true
}

# ---- TTP ---------------------------------------------------------------------

lab_load()
{
	if [ ! -d /sys/module/ttp ]; then
		show "insmod ${TTP_KO:-$TOP/module/ttp.ko}"
		[ "$RC" = 0 ] || exit 1
	fi
	[ -x "$TTPCAT" ] || { say "no $TTPCAT: run make tools"; exit 1; }
	command -v tshark >/dev/null || say "(tshark is missing: apt-get install tshark)"
}

# cable_to NS DEV PEER-NS MAC: ip -batch lines for NS: a ttp cable, DEV in
# NS, its other end eth0 in PEER-NS with MAC.
cable_to()
{
	echo "link add $2 type ttp"
	echo "link set $2-peer address $4"
	echo "link set $2-peer netns $3 name eth0"
}

# ---- added by lab-buffers, lab-window and lab-retrans ----------------------

# two_hosts PREFIX: hosts A (10.0.0.1, namespace PREFIX-a) and B
# (10.0.0.2, PREFIX-b), joined by a ttp cable whose ends are eth0 in both.
two_hosts()
{
	host A "$1-a"
	host B "$1-b"
	hosts_ready
	{
		cable_to "$1-a" eth0 "$1-b" 02:00:00:00:00:0b
		echo "link set eth0 address 02:00:00:00:00:0a"
		echo "addr add 10.0.0.1/24 dev eth0"
		echo "link set eth0 up"
	} | ip -n "$1-a" -batch -
	ip -n "$1-b" -batch - <<<$'addr add 10.0.0.2/24 dev eth0\nlink set eth0 up'
}

# sock_col COL 'LOCAL REMOTE' [H]: column COL (a header of
# /proc/net/ttp/sockets) of the first stream socket whose "Local Remote"
# matches the glob: in the table just shown (OUT), or with H in H's file
# now; "none" when no line matches.
sock_col()
{
	local -a hd f
	local i src
	if [ -n "${3:-}" ]; then src=$(<"$(hostfile "$3" sockets)"); else src=$OUT; fi
	read -r -a hd <<<"${src%%$'\n'*}"
	for i in "${!hd[@]}"; do [ "${hd[i]}" = "$1" ] && break; done
	while read -r -a f; do
		# shellcheck disable=SC2053 # $2 is a glob
		[ "${f[0]:-}" = strm ] && [[ "${f[1]} ${f[2]}" == $2 ]] &&
			{ echo "${f[i]}"; return 0; }
	done <<<"$src"
	echo none
}

# trace_instance NAME EVENT...: a trace instance of the lab's own
# (TRACE_DIR) with the ttp EVENTs enabled, shown; removed on exit.
trace_instance()
{
	local tr=/sys/kernel/tracing e
	[ -d $tr/instances ] || mount -t tracefs nodev $tr
	TRACE_DIR=$tr/instances/$1
	rmdir "$TRACE_DIR" 2>/dev/null || true
	show "mkdir $TRACE_DIR"
	lab_at_exit "rmdir $TRACE_DIR"
	for e in "${@:2}"; do
		lab_at_exit "echo 0 > $TRACE_DIR/events/ttp/$e/enable"
		show "echo 1 > $TRACE_DIR/events/ttp/$e/enable"
	done
}

# decode_where FILE FILTER FIELD...: decode, of the frames tshark's
# display filter FILTER (-Y) keeps only; with DECODE_ROWS=N only the first
# N of them (shown and in FRAMES).
decode_where()
{
	local file=$1 filter=$2 x
	local -a a=() y=()
	shift 2
	for x; do a+=(-e "$x"); done
	if [ -n "$filter" ]; then
		y=(-Y "$filter")
		printf '$ tshark -r %s -n -d ethertype==0x88b5,ip -Y \\\n' "${file##*/}"
		printf "         '%s' \\\\\n" "$filter"
		printf '         -T fields -E header=y -E occurrence=f %s\n' "${a[*]}"
	else
		printf '$ tshark -r %s -n -d ethertype==0x88b5,ip -T fields -E header=y \\\n' "${file##*/}"
		printf '         -E occurrence=f %s\n' "${a[*]}"
	fi
	FRAMES=()
	if command -v tshark >/dev/null; then
		mapfile -t FRAMES < <(tshark -r "$file" -n -d ethertype==0x88b5,ip \
			"${y[@]}" -T fields -E header=y -E occurrence=f "${a[@]}" 2>/dev/null)
	fi
	[ ${#FRAMES[@]} -gt 0 ] || { say "(tshark printed nothing)"; return 0; }
	x=$((${#FRAMES[@]} - 1 - ${DECODE_ROWS:-${#FRAMES[@]}}))
	[ $x -le 0 ] || FRAMES=("${FRAMES[@]:0:DECODE_ROWS + 1}")
	printf '%s\n' "${FRAMES[@]}" | table
	[ $x -le 0 ] || say "  ($x more)"
	FRAMES=("${FRAMES[@]:1}")
}

# ---- added by lab-handshake, lab-close and lab-synretry --------------------

# state_changes 'SRC:PORT -> DST:PORT': the ttp_set_state lines just shown
# (OUT) of that connection end, as OLD>NEW,... ("none").
state_changes()
{
	local l w out=""
	local -a f
	while IFS= read -r l; do
		[[ " $l " == *" $1 "* ]] || continue
		read -r -a f <<<"$l"
		w=${#f[@]}
		if [ "$w" -lt 3 ] || [ "${f[w - 2]}" != "->" ]; then continue; fi
		out+="${out:+,}${f[w - 3]}>${f[w - 1]}"
	done <<<"$OUT"
	echo "${out:-none}"
}

# flag_names STR: tshark's tcp.flags.str (as "·······A··S·") as the
# names its Info column uses, in that order: "SYN,ACK", "FIN,ACK".
flag_names()
{
	local n out=""
	for n in S:SYN F:FIN R:RST P:PSH A:ACK; do
		[[ $1 == *"${n%%:*}"* ]] && out+="${out:+,}${n#*:}"
	done
	echo "${out:-none}"
}

# tw_lines H: the entries of H's /proc/net/ttp/timewait (header skipped).
tw_lines()
{
	local n=0 l
	{
		read -r _
		while read -r l; do [ -z "$l" ] || n=$((n + 1)); done
	} <"$(hostfile "$1" timewait)"
	echo "$n"
}

# ---- added by lab-timewait ---------------------------------------------

# wire_count H DEV: "FRAMES BYTES" that H's DEV received and sent so far
# (/proc/net/dev), the BASE of capture_sync.
wire_count()
{
	local l
	local -a f
	while IFS= read -r l; do
		[[ $l == *" $2:"* ]] || continue
		read -r -a f <<<"${l#*:}"
		echo "$((f[1] + f[9])) $((f[0] + f[8]))"
		return 0
	done <"/proc/${LAB_HOLD[$1]}/net/dev"
	echo "0 0"
}

# capture_sync H DEV FILE BASE: wait (bounded) until the capture of H's
# DEV into FILE holds every frame DEV received and sent since wire_count
# gave BASE: tcpdump writes a little behind the wire.  (All of them: no
# filter, or nothing on DEV that the filter drops.)
capture_sync()
{
	local n b n0 b0 want
	read -r n0 b0 <<<"$4"
	read -r n b <<<"$(wire_count "$1" "$2")"
	want=$((24 + 16 * (n - n0) + b - b0))
	wait_until "[ \"\$(stat -c %s '$3' 2>/dev/null)\" -ge $want ]" 5 || true
}

# ---- added in session 7 (labs that need a tool to work) --------------------

# lab_need WHAT: the command just shown (show/on) worked; otherwise say
# that WHAT failed and stop (exit 1): a lab that goes on without its
# drop rule would wait for things that never come.
lab_need()
{
	[ "$RC" = 0 ] && return 0
	say "($1 failed: the lab cannot go on without it)"
	exit 1
}
