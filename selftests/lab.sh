# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lab.sh: what the lab selftests (ttp_lab_*.sh) share; sourced after
# lib.sh, never run.  Each lab (scripts/lab-NAME) runs as a student would
# see it (--inside, as the VM runs it), with LAB_CHECK=1: next to every
# table, capture or counter it shows, it prints "EVIDENCE KEY VALUE",
# taken from that same output.  A lab's selftest lists, for every key,
# the value the lab's text tells the students (cache states, frames,
# TTLs, errnos, counter changes) and check_lab compares them, so a lab
# whose output would contradict its explanations fails.  Also: the lab
# exits 0, prints exactly the evidence expected, ends with questions and
# finishes in time.
#
#   run_lab NAME            run scripts/NAME; output in $TMPD/NAME.out
#   check_lab NAME WANT...  3 + 1 + one check per WANT ("KEY|VALUE|WHAT";
#                           VALUE "~RE": an ERE the whole value matches)
#   ev NAME KEY             the value of one EVIDENCE line ("missing")
#   LAB_CHECKS              the number of checks check_lab adds besides
#                           one per WANT (for plan)

# A lab runs in ~30-60 s in the TCG VM; the bound leaves room.
LAB_BUDGET=${LAB_BUDGET:-$((90 * TTP_TIME_SCALE))}
# shellcheck disable=SC2034 # read by the ttp_lab_*.sh tests (plan)
LAB_CHECKS=4

# run_lab NAME: run scripts/NAME inside this VM, output in $TMPD/NAME.out.
run_lab()
{
	local t0=$SECONDS
	LAB_CHECK=1 STEP=0 timeout $((LAB_BUDGET + 60)) \
		"$TTP_TOP/scripts/$1" --inside >"$TMPD/$1.out" 2>&1 </dev/null
	LAB_RC=$?
	LAB_SECS=$((SECONDS - t0))
}

# ev NAME KEY: the value of the lab's EVIDENCE KEY line ("missing").
ev()
{
	local tag k v
	while read -r tag k v; do
		[ "$tag" = EVIDENCE ] && [ "$k" = "$2" ] && { echo "$v"; return; }
	done <"$TMPD/$1.out"
	echo missing
}

# keys NAME: the evidence keys the lab printed, sorted.
keys()
{
	local tag k v
	while read -r tag k v; do
		[ "$tag" = EVIDENCE ] && echo "$k"
	done <"$TMPD/$1.out" | sort
}

# questions NAME: the lab ends with its questions for the students.
questions()
{
	local out
	out=$(sed -n '/== Questions/,$p' "$TMPD/$1.out")
	[ "$(grep -cE '^  [0-9]+\. ' <<<"$out")" -ge 5 ] || { echo "$out"; return 1; }
}

# check_lab NAME WANT...: the checks for one lab.
check_lab()
{
	local name=$1 w key want what got
	shift
	if [ "$LAB_RC" = 0 ]; then
		ok "$name: exits 0"
	else
		fail "$name: exits 0" "status $LAB_RC; the end of its output:"$'\n'"$(tail -n 30 "$TMPD/$name.out")"
	fi
	check_fn "$name: ends with questions for the students" questions "$name"
	check "$name: done in ${LAB_SECS}s (at most ${LAB_BUDGET}s)" \
		test "$LAB_SECS" -le "$LAB_BUDGET"
	check_eq "$name: printed each expected evidence key once, no other" \
		"$(for w; do echo "${w%%|*}"; done | sort)" "$(keys "$name")"
	for w; do
		key=${w%%|*}
		want=${w#*|}
		what=${want#*|}
		want=${want%%|*}
		got=$(ev "$name" "$key")
		if [[ $want == "~"* ]]; then
			if [[ $got =~ ${want#\~} ]]; then
				ok "$name: $what"
			else
				fail "$name: $what" "$key: want /${want#\~}/"$'\n'"got  '$got'"
			fi
		else
			check_eq "$name: $what" "$want" "$got"
		fi
	done
}
