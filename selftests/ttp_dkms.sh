#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ttp_dkms.sh: dkms.conf works: `dkms add` takes a clean copy of the
# source tree, `dkms build` compiles ttp.ko for the running kernel with its
# headers, `dkms install` puts it in /lib/modules/$(uname -r)/updates/dkms,
# the installed module is for this kernel (vermagic) and loads, and `dkms
# remove` takes it all away.  The VM's root is an overlay on a tmpfs: what
# dkms writes (/usr/src, /var/lib/dkms, /lib/modules) never reaches the
# host.  depmod over the VM's 9p root takes a minute under TCG
# (ttp_install.sh): dkms runs with --no-depmod here and the test loads the
# installed file itself.
#
# The real `dkms build` compiles the module from scratch: under TCG that
# took 991 s on 6.1, far more than the default per-test timeout.  It runs
# when the test is given the time (scripts/test --only ttp_dkms -t 1800);
# otherwise the module scripts/test built for this kernel from the same
# sources goes where `dkms build` would leave it, and the rest (install,
# status, the module's place and vermagic, loading it, remove) runs as
# after a build.
#
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

KVER=$(uname -r)
ARCH=$(uname -m)
CONF=$TTP_TOP/dkms.conf
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$CONF")
DEST=/lib/modules/$KVER/updates/dkms/ttp.ko
BUILD_SECS=1800

plan 10
check_eq "dkms.conf's PACKAGE_VERSION is the module's MODULE_VERSION" \
	"$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$TTP_TOP/module/main.c")" "$VER"
if ! command -v dkms >/dev/null; then
	for i in $(seq 2 10); do skip "dkms is not installed (scripts/deps installs it)"; done
	exit 0
fi

# The sources only: the working tree may hold objects of another build.
SRC=$TMPD/ttp
mkdir "$SRC"
tar -C "$TTP_TOP" -c --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude=modules.order \
	--exclude=Module.symvers --exclude='*.a' \
	dkms.conf Kbuild Makefile module | tar -C "$SRC" -x
at_exit "dkms remove ttp/$VER --all --no-depmod; rm -rf /usr/src/ttp-$VER /var/lib/dkms/ttp; ttp_load"

check "dkms add (copies the tree to /usr/src/ttp-$VER)" dkms add "$SRC"
# dkms status: its line for ttp only (on 6.12 dkms also passes on
# readelf's warnings about the module's missing .comment section).
dkms_status() { dkms status "$@" 2>&1 | grep '^ttp/'; }
check_eq "dkms status: added" "ttp/$VER: added" "$(dkms_status ttp)"
# prebuilt: what a successful dkms build leaves, from TTP_KO.
prebuilt()
{
	local d=/var/lib/dkms/ttp/$VER/$KVER/$ARCH
	mkdir -p "$d/module" "$d/log" &&
		cp "$TTP_KO" "$d/module/ttp.ko" &&
		echo "prebuilt by selftests/ttp_dkms.sh" >"$d/log/make.log"
}
if [ "${TTP_TEST_TIMEOUT:-300}" -ge "$BUILD_SECS" ]; then
	t0=$SECONDS
	check "dkms build -k $KVER" dkms build "ttp/$VER" -k "$KVER"
	diag "dkms build took $((SECONDS - t0)) s"
else
	check "the module built for $KVER where dkms build leaves it" prebuilt
	diag "not the real dkms build: it takes ~16 min here (-t $BUILD_SECS runs it)"
fi
check "dkms install -k $KVER" dkms install "ttp/$VER" -k "$KVER" --no-depmod
check_eq "dkms status: installed" "ttp/$VER, $KVER, $ARCH: installed" \
	"$(dkms_status ttp -k "$KVER")"
check_eq "the module is in updates/dkms, for this kernel (vermagic)" "$KVER" \
	"$(modinfo -F vermagic "$DEST" 2>&1 | cut -d' ' -f1)"
unload() { rmmod ttp 2>/dev/null; ! ttp_loaded; }
loads() { unload && insmod "$DEST" && ttp_loaded && rmmod ttp; }
check "the installed module loads (after removing the loaded one)" loads
check "dkms remove --all" dkms remove "ttp/$VER" --all --no-depmod
check "after dkms remove: no module, nothing in dkms status" \
	eval "[ ! -e '$DEST' ] && [ -z \"\$(dkms status ttp)\" ]"
