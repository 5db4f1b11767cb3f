# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# Shared helpers for the TTP scripts (sourced, never run).  Keep this small:
# paths, kernel names and messages.  Every variable and function is ttp_*.

# The project's root: the directory above scripts/, wherever the clone is.
TTP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The 6.12 kernel is pinned to one ABI: Debian ships several 6.12 ABIs in
# bookworm's archive and the module must be tested against one known one.
TTP_KVER_612=6.12.117+deb12-amd64

# The Debian kernel source used for the debug kernel, kselftest headers and
# checkpatch.
TTP_KSRC_TAR=/usr/src/linux-source-6.1.tar.xz

ttp_log() { printf '%s: %s\n' "${TTP_PROG:-${0##*/}}" "$*" >&2; }
ttp_die() { ttp_log "error: $*"; exit 1; }

# The cache for everything generated outside the tree (initramfs, extracted
# kernels, the debug kernel, checkpatch).  TTP_CACHE overrides; root (CI)
# uses /var/cache/ttp, a user who can write there too, others their XDG cache.
ttp_cache_dir() {
	local d
	if [ -n "${TTP_CACHE:-}" ]; then
		d=$TTP_CACHE
	elif [ "$(id -u)" = 0 ] || [ -w /var/cache/ttp ]; then
		d=/var/cache/ttp
	else
		d=${XDG_CACHE_HOME:-$HOME/.cache}/ttp
	fi
	mkdir -p "$d" || ttp_die "cannot create the cache dir $d (set TTP_CACHE=DIR)"
	printf '%s\n' "$d"
}

# The newest installed Debian 6.1 kernel with its headers (linux-image-amd64
# moves forward, so never hard-code its ABI).  Prints nothing if none is.
ttp_kver_61() {
	local d v best=
	for d in /lib/modules/6.1.*; do
		[ -d "$d" ] || continue
		v=${d##*/}
		{ [ -f "/boot/vmlinuz-$v" ] && [ -d "$d/build" ]; } || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n 1)
	done
	printf '%s\n' "$best"
}

# Kernel names the scripts accept: 6.1, 6.12, debug, or an exact KVER.
# Prints the kernel release (uname -r) for a name; for "debug" that is the
# debug kernel's release as recorded in its build dir (empty if not built).
ttp_kver() {
	case $1 in
	6.1) ttp_kver_61 ;;
	6.12) printf '%s\n' "$TTP_KVER_612" ;;
	debug)
		local b
		b=$(ttp_debug_build_dir)
		if [ -f "$b/include/config/kernel.release" ]; then
			cat "$b/include/config/kernel.release"
		fi
		;;
	*) printf '%s\n' "$1" ;;
	esac
}

# The kernel build dir (headers) to build the module against.
ttp_kdir() {
	case $1 in
	debug) ttp_debug_build_dir ;;
	*)
		local v
		v=$(ttp_kver "$1")
		[ -n "$v" ] && printf '%s\n' "/lib/modules/$v/build"
		;;
	esac
}

# Where scripts/debug-kernel keeps its source and build tree.
ttp_debug_dir() { printf '%s\n' "$(ttp_cache_dir)/debug-kernel"; }
ttp_debug_build_dir() { printf '%s\n' "$(ttp_debug_dir)/build"; }

# True if the summary line format matches ("N passed, N failed[, N skipped]").
TTP_SUMMARY_RE='^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'

# ttp_build_ko KDIR KVER LOG: build module/ttp.ko against KDIR and print the
# path of a private copy of it (DIR/ttp.ko; the caller removes DIR).
# module/ is one build tree for every kernel, so the build runs under a
# lock, from clean when objects of another kernel survived, and a VM boots
# with the copy: a concurrent build for another kernel cannot swap it.
# The make output goes to LOG.  Fails (status 1) if the build does.
ttp_build_ko()
{
	local kdir=$1 kver=$2 log=$3
	mkdir -p "$TTP_TOP/build"
	(
		local vm='' dir
		flock 7
		make -C "$TTP_TOP" KDIR="$kdir" >"$log" 2>&1 &&
			vm=$(modinfo -F vermagic "$TTP_TOP/module/ttp.ko" 2>/dev/null | cut -d' ' -f1)
		if [ "$vm" != "$kver" ]; then
			# Kbuild's clean only: the top Makefile's would delete
			# build/, where other runs keep their module copies.
			make -C "$kdir" M="$TTP_TOP" clean >/dev/null 2>&1 || true
			make -C "$TTP_TOP" KDIR="$kdir" >"$log" 2>&1 || exit 1
			vm=$(modinfo -F vermagic "$TTP_TOP/module/ttp.ko" 2>/dev/null | cut -d' ' -f1)
			if [ "$vm" != "$kver" ]; then
				echo "module/ttp.ko is for '$vm', not $kver" >>"$log"
				exit 1
			fi
		fi
		dir=$(mktemp -d "$TTP_TOP/build/ko.XXXXXX") || exit 1
		cp "$TTP_TOP/module/ttp.ko" "$dir/ttp.ko" || exit 1
		echo "$dir/ttp.ko"
	) 7>"$TTP_TOP/build/.module.lock"
}
