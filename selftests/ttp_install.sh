#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_install.sh: `make install` puts the module where modprobe finds it
# (depmod), and then the first `ip link add ... type ttp` and the first
# socket(AF_TTP, ...) load it on demand, through its aliases rtnl-link-ttp
# and net-pf-25; the UAPI header compiles from where it went and the
# tools run; `make uninstall` takes it all away again.  The VM's root is
# an overlay on a tmpfs, so nothing of this reaches the host.  depmod over
# the VM's 9p root takes a minute under TCG: uninstall skips it and puts
# the module index saved before the install back instead.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

KVER=$(uname -r)
M=/lib/modules/$KVER
D=$(mktemp -d)
at_exit "rm -rf '$D'"
mkdir "$D/index"
cp -p "$M"/modules.* "$D/index/"
inst() { make -s -C "$TTP_TOP" "$@" TTP_KO="$TTP_KO" PREFIX="$D/usr" 2>&1; }
uninst() { inst uninstall DEPMOD=true && cp -p "$D"/index/modules.* "$M/"; }
at_exit "uninst >/dev/null; ip link del ttpi0 2>/dev/null; ttp_load"
unload() { ip link del ttpi0 2>/dev/null; rmmod ttp 2>/dev/null; ! ttp_loaded; }
af_socket() {
	python3 -c 'import socket, sys
socket.socket(int(sys.argv[1]), socket.SOCK_DGRAM, 0).close()' "$1"
}

plan 11
check "the module can be unloaded first" unload
check "make install" inst install
check_eq "modinfo finds the installed module" \
	"/lib/modules/$KVER/extra/ttp.ko" "$(modinfo -n ttp 2>&1)"
check "ip link add type ttp works with the module unloaded" \
	ip link add ttpi0 type ttp
check "... and loaded it (alias rtnl-link-ttp)" ttp_loaded
check "unloaded again" unload
check "socket(25, SOCK_DGRAM) works with the module unloaded" af_socket 25
check "... and loaded it (alias net-pf-25)" ttp_loaded
printf '#include <sys/socket.h>\n#include <linux/ttp.h>\nint main(void) { return sizeof(struct sockaddr_ttp) == 0; }\n' >"$D/t.c"
check "the installed UAPI header compiles" \
	cc -I"$D/usr/include" -o "$D/t" "$D/t.c"
check "the installed tools run (ttpstat)" "$D/usr/bin/ttpstat" -s
unload >/dev/null
uninst >/dev/null
check "after make uninstall: no module, no header, no tools" \
	eval "! modinfo ttp >/dev/null 2>&1 && [ ! -e '$D/usr/include/linux/ttp.h' ] && [ ! -e '$D/usr/bin/ttpstat' ]"
