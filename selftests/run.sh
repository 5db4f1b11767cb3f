#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/run.sh: the guest side of `make test`.  Runs in the test VM (see
# scripts/vm-run), never on a build host: it loads module/ttp.ko.
#
# usage: selftests/run.sh [NAME...]
#
# Loads module/ttp.ko, runs every test (selftests/ttp_*.sh and the C tests in
# selftests/build/, built by selftests/Makefile) or the NAMEd ones (with or
# without extension; "cable" finds ttp_cable), unloads the module and prints
# "N passed, N failed, N skipped" as its last line.  Exit 0 iff nothing failed.
#
# Counting: every TAP "ok"/"not ok" line at column 0 of a test's output is one
# result; "# SKIP" (or a "not ok ... # TODO") is a skip, never a pass.  A
# test that exits non-zero without any "not ok" is one failure; one that
# prints fewer results than its plan (1..N) fails the missing ones; one that
# prints no TAP at all counts once by its exit status (0 pass, 4 skip, else
# fail).  Also failures: a test running longer than TTP_TEST_TIMEOUT seconds
# (default 300), a test that leaves the module unloaded, kernel log lines
# (WARNING, BUG, KASAN, lockdep...) logged while a test ran, a module that
# does not unload at the end, and on a kmemleak kernel any leak found by a
# scan after the unload.
#
# Environment: TTP_TEST_TIMEOUT (per test, seconds), TTP_RESULTS (a
# directory for each test's log), TTP_INSMOD_ARGS (module parameters),
# TTP_KO (the module to test; default module/ttp.ko).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
# scripts/test passes its own copy of the module (TTP_KO).
KO=${TTP_KO:-$TOP/module/ttp.ko}
export TTP_KO=$KO
TMO=${TTP_TEST_TIMEOUT:-300}
RESULTS=${TTP_RESULTS:-}
# shellcheck source=scripts/lib/kernel-log.sh
. "$TOP/scripts/lib/kernel-log.sh"

PASS=0 FAIL=0 SKIP=0
FAILED=()
say() { printf '%s\n' "$*"; }

if [ ! -e /run/vm ] && [ -z "${TTP_RUN_ON_HOST:-}" ]; then
	say "run.sh: this loads a kernel module: run it in the VM (make test, or"
	say "scripts/vm-run -- selftests/run.sh), not on the host"
	say "0 passed, 1 failed, 0 skipped"
	exit 1
fi

# ---- which tests --------------------------------------------------------------
all_tests() {
	local f
	for f in "$HERE"/ttp_*.sh; do [ -f "$f" ] && say "$f"; done
	for f in "$HERE"/build/*; do [ -f "$f" ] && [ -x "$f" ] && say "$f"; done
}
mapfile -t ALL < <(all_tests)
TESTS=()
if [ $# = 0 ]; then
	TESTS=(${ALL[@]+"${ALL[@]}"})
else
	for want in "$@"; do
		w=${want##*/}
		w=${w%.sh}
		w=${w%.c}
		found=0
		for f in ${ALL[@]+"${ALL[@]}"}; do
			b=${f##*/}
			b=${b%.sh}
			if [ "$b" = "$w" ] || [ "$b" = "ttp_$w" ]; then
				TESTS+=("$f")
				found=1
			fi
		done
		if [ "$found" = 0 ]; then
			say "not ok - $want: no such test (have: $(for f in ${ALL[@]+"${ALL[@]}"}; do b=${f##*/}; printf '%s ' "${b%.sh}"; done))"
			FAIL=$((FAIL + 1))
			FAILED+=("$want(missing)")
		fi
	done
fi
if [ ${#TESTS[@]} = 0 ] && [ "$FAIL" = 0 ]; then
	say "run.sh: no tests found (selftests/ttp_*.sh, selftests/build/*: run make -C selftests)"
	say "0 passed, 1 failed, 0 skipped"
	exit 1
fi

name_of() { local b=${1##*/}; say "${b%.sh}"; }
finish() {
	if [ ${#FAILED[@]} -gt 0 ]; then say "# failed: ${FAILED[*]}"; fi
	say "$PASS passed, $FAIL failed, $SKIP skipped"
	[ "$FAIL" = 0 ]
	exit
}

# ---- the module -----------------------------------------------------------------
KMEMLEAK=/sys/kernel/debug/kmemleak
loaded() { [ -d /sys/module/ttp ]; }
load() {
	local out
	# shellcheck disable=SC2086
	if ! out=$(insmod "$KO" ${TTP_INSMOD_ARGS:-} 2>&1); then
		say "# insmod $KO failed: $out"
		dmesg | tail -n 10 | sed 's/^/#   dmesg: /'
		return 1
	fi
}

if [ -w "$KMEMLEAK" ]; then
	# Forget what boot left behind: only leaks from here on count.
	say "# kmemleak: scanning once to forget boot-time objects (~30 s)"
	echo scan >"$KMEMLEAK" 2>/dev/null
	echo clear >"$KMEMLEAK" 2>/dev/null
fi
if [ ! -f "$KO" ]; then
	say "# $KO not found: build it first (make KDIR=...; make test does)"
	for t in "${TESTS[@]}"; do say "not ok - $(name_of "$t") # module not built"; done
	FAIL=$((FAIL + ${#TESTS[@]}))
	finish
fi
loaded && { say "# ttp was already loaded; unloading it first"; rmmod ttp; }
if ! load; then
	say "# the module does not load: every test fails"
	for t in "${TESTS[@]}"; do say "not ok - $(name_of "$t") # module did not load"; done
	FAIL=$((FAIL + ${#TESTS[@]}))
	FAILED+=(insmod)
	finish
fi
say "# ttp loaded ($(modinfo -F vermagic "$KO" 2>/dev/null | cut -d' ' -f1)); ${#TESTS[@]} test(s), timeout ${TMO}s each"

[ -n "$RESULTS" ] && mkdir -p "$RESULTS"
LOGD=$(mktemp -d /tmp/ttp-run.XXXXXX)

# ---- run one test -------------------------------------------------------------------
run_one() {
	local t=$1 name log rc pid p=0 f=0 s=0 plan total missing extra='' klog0 kbad start secs
	name=$(name_of "$t")
	log=$LOGD/$name.log
	: >"$log"
	klog0=$(dmesg | wc -l)
	start=${EPOCHREALTIME/./}
	say "# ---- $name"
	# timeout makes itself a process-group leader: after the test, the
	# group is killed so a leftover daemon cannot hold the log open.
	if [[ $t == *.sh ]] && [ ! -x "$t" ]; then
		(cd "$HERE" && exec timeout -k 10 "$TMO" bash "$t" </dev/null >"$log" 2>&1) &
	else
		(cd "$HERE" && exec timeout -k 10 "$TMO" "$t" </dev/null >"$log" 2>&1) &
	fi
	pid=$!
	tail -s 0.2 -n +1 -f --pid="$pid" "$log" | sed -u "s/^/$name| /"
	wait "$pid"
	rc=$?
	kill -- -"$pid" 2>/dev/null
	secs=$(( (${EPOCHREALTIME/./} - start) / 100000 ))
	secs="$((secs / 10)).$((secs % 10))"

	# TAP results at column 0.
	p=$(grep -E '^ok( |$)' "$log" | grep -ciEv '#[[:space:]]*(skip|todo)' || true)
	s=$(grep -E '^(not )?ok( |$)' "$log" | grep -ciE '#[[:space:]]*(skip|todo)' || true)
	f=$(grep -E '^not ok( |$)' "$log" | grep -ciEv '#[[:space:]]*(skip|todo)' || true)
	total=$((p + f + s))
	plan=$(grep -m1 -oE '^1\.\.[0-9]+' "$log" | cut -c4- || true)
	missing=0
	if [ -n "$plan" ] && [ "$total" -lt "$plan" ]; then
		missing=$((plan - total))
	fi
	case $rc in
	124|137)
		# The results it did not get to are the timeout's failures.
		[ "$missing" = 0 ] && missing=1
		extra+=" TIMEOUT after ${TMO}s (TTP_TEST_TIMEOUT);"
		;;
	esac
	if [ "$missing" != 0 ]; then
		f=$((f + missing))
		extra+=" $missing planned result(s) missing;"
	fi
	case $rc in
	0) [ "$total" = 0 ] && { p=1; extra+=" no TAP output, passed by exit status;"; } ;;
	124|137) ;;
	4) [ "$total" = 0 ] && { s=1; extra+=" skipped (exit 4);"; } ;;
	*) [ "$f" = 0 ] && { f=$((f + 1)); extra+=" exit status $rc;"; } ;;
	esac
	if ! loaded; then
		f=$((f + 1))
		extra+=" left the module unloaded (reloaded for the next test);"
		load || true
	fi
	kbad=$(dmesg | tail -n +"$((klog0 + 1))" | grep -E -- "$TTP_KLOG_BAD" || true)
	if [ -n "$kbad" ]; then
		f=$((f + 1))
		extra+=" kernel log reports during the test;"
		dmesg | tail -n +"$((klog0 + 1))" | grep -m1 -A30 -E -- "$TTP_KLOG_BAD" | sed "s/^/$name| kernel: /"
	fi

	PASS=$((PASS + p)) FAIL=$((FAIL + f)) SKIP=$((SKIP + s))
	[ "$f" = 0 ] || FAILED+=("$name")
	[ -n "$RESULTS" ] && cp "$log" "$RESULTS/$name.log"
	say "$( [ "$f" = 0 ] && echo PASS || echo FAIL ) $name: $p passed, $f failed, $s skipped (${secs}s)${extra:+ --${extra%;}}"
}

for t in "${TESTS[@]}"; do
	run_one "$t"
done
rm -rf "$LOGD"

# ---- unload, leaks -----------------------------------------------------------------
unloaded=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	loaded || { unloaded=1; break; }
	rmmod ttp 2>/dev/null && { unloaded=1; break; }
	sleep 1	# namespaces die in a workqueue; give them a moment
done
if [ "$unloaded" = 1 ]; then
	say "# ttp unloaded"
else
	say "not ok - rmmod ttp failed: $(rmmod ttp 2>&1) (refcnt $(cat /sys/module/ttp/refcnt 2>/dev/null))"
	FAIL=$((FAIL + 1))
	FAILED+=(rmmod)
fi
if [ -w "$KMEMLEAK" ]; then
	sleep 6	# kmemleak ignores objects younger than 5 s
	say "# kmemleak: scanning (~30 s)"
	echo scan >"$KMEMLEAK" 2>/dev/null
	leaks=$(cat "$KMEMLEAK" 2>/dev/null)
	if [ -n "$leaks" ]; then
		say "not ok - kmemleak: $(grep -c '^unreferenced object' <<<"$leaks") suspected leak(s):"
		head -n 80 <<<"$leaks" | sed 's/^/kmemleak| /'
		FAIL=$((FAIL + 1))
		FAILED+=(kmemleak)
	else
		say "# kmemleak: no leaks"
	fi
fi
finish
