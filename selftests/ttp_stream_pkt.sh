#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_stream_pkt.sh: packet-level tests of TTP stream sockets.  One
# python3 process (selftests/ttp_pkt.py, the packetdrill-like tester) runs
# every script of selftests/pkt/: it injects crafted segments from the
# peer end of a ttp cable (AF_PACKET) and expects TTP's exact answers
# (flags, seq, ack, window, options, timing), drives the TTP side's socket
# calls and checks its /proc/net/ttp/sockets states and counter deltas.
# One TAP result per script (its diagnostics on failure).
#
# The tester itself is tested too: scripts that expect something wrong (a
# wrong ack, window, option, flag, an early retransmission, a segment
# that does not come, a counter that does not move) must FAIL, each for
# the stated reason.  Finally the teardown must find every connection
# gone (orphans and TIME_WAIT timed out).
#
# Documentation/pkt-tester.md describes the script language.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=ttp_pk
mapfile -t SCRIPTS < <(ls "$HERE"/pkt/*.pkt)

# Scripts that must fail, and the diagnostic that says why.
declare -A NEG_WHY
neg()	# neg NAME WHY <<SCRIPT
{
	cat >"$TMPD/neg-$1.pkt"
	NEG_WHY[neg-$1]=$2
}
neg ack "wrong: ack" <<'EOF'
L = socket()
bind(L)
listen(L, 5)
< S 0:0(0) win 65535 <mss 1460,nop,wscale 7>
> S. 0:0(0) ack 2 <mss 1460,nop,wscale 1>
EOF
neg win "wrong: win" <<'EOF'
L = socket()
setsockopt(L, SO_RCVBUF, 32768)
bind(L)
listen(L, 5)
< S 0:0(0) win 65535 <mss 1460,nop,wscale 7>
> S. 0:0(0) ack 1 win 65534 <mss 1460,nop,wscale 0>
EOF
neg opt "wrong: options" <<'EOF'
L = socket()
setsockopt(L, SO_RCVBUF, 32768)
bind(L)
listen(L, 5)
< S 0:0(0) win 65535 <mss 1460,nop,wscale 7>
> S. 0:0(0) ack 1 win 32768 <mss 1400,nop,wscale 0>
EOF
neg flags "wrong: flags" <<'EOF'
< S 0:0(0) win 65535
> R 0:0(0)
EOF
neg early "time: +" <<'EOF'
sysctl stream_rto_init_ms=300 stream_syn_retries=1
c = socket()
setsockopt(c, SO_RCVBUF, 65536)
connect(c) = EINPROGRESS
> S 0:0(0) win 65535 <mss 1460,nop,wscale 1>
+0.6 > S 0:0(0) win 65535 <mss 1460,nop,wscale 1>
EOF
neg missing "got: nothing within" <<'EOF'
< . 1:1(0) ack 1 win 100
> R 1:1(0)
> R 1:1(0) within 0.5
EOF
neg stats "expected: stats" <<'EOF'
< R 1:1(0) win 100
stats StreamOutRsts=+1 within 0.5
EOF
neg extra "unexpected segment at the end" <<'EOF'
< S 0:0(0) win 100
EOF

plan $((${#SCRIPTS[@]} + ${#NEG_WHY[@]} + 1))

ttp_load
at_exit "ip netns del $PREFIX-t; ip netns del $PREFIX-p"
export TTP_TIME_SCALE
"$PY" -u "$HERE/ttp_pkt.py" --prefix $PREFIX "${SCRIPTS[@]}" \
	"$TMPD"/neg-*.pkt >"$TMPD/out" 2>&1
rc=$?

# One result per script: its PASS/FAIL line and the indented lines after it.
declare -A RES DIAG
name=""
while IFS= read -r l; do
	case $l in
	"PASS "* | "FAIL "*)
		read -r res name _ <<<"$l"
		RES[$name]=$res
		DIAG[$name]=""
		;;
	"  "*)
		[ -n "$name" ] && DIAG[$name]+="${l#  }"$'\n'
		;;
	*)
		name=""
		DIAG[_other]+="$l"$'\n'
		;;
	esac
done <"$TMPD/out"

for s in "${SCRIPTS[@]}"; do
	n=$(basename "$s" .pkt)
	case ${RES[$n]:-} in
	PASS) ok "pkt/$n.pkt" ;;
	FAIL) fail "pkt/$n.pkt" "${DIAG[$n]}" ;;
	*) fail "pkt/$n.pkt" "did not run (exit $rc)"$'\n'"$(tail -n 20 "$TMPD/out")" ;;
	esac
done
for n in $(printf '%s\n' "${!NEG_WHY[@]}" | sort); do
	why=${NEG_WHY[$n]}
	if [ "${RES[$n]:-}" = FAIL ] && grep -qF "$why" <<<"${DIAG[$n]}"; then
		ok "the tester fails $n.pkt ($why)"
	else
		fail "the tester fails $n.pkt ($why)" \
			"result '${RES[$n]:-none}'"$'\n'"${DIAG[$n]:-}"
	fi
done
if [ -z "${RES[teardown]:-}" ] && [ -z "${DIAG[_other]:-}" ]; then
	ok "teardown: no connection left, nothing else printed"
else
	fail "teardown: no connection left, nothing else printed" \
		"${DIAG[teardown]:-}${DIAG[_other]:-}"
fi
