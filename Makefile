# SPDX-License-Identifier: GPL-2.0
#
# TTP top-level Makefile: the user's entry points.
#
#   make               build module/ttp.ko against KDIR
#   make tools         build the user-space tools (scripts/*.c -> build/tools/)
#   make demo          boot the VM and show TTP at work (README)
#   make test          build, boot the VM, run every selftest (T=NAME: one)
#   make bench         TTP against Linux on the same cable, as ratios (VM)
#   make soak          hundreds of MB to and from Linux TCP, SHA-256 compared (VM)
#   make profile       kernel function calls per segment, TTP against Linux (VM)
#   make install       the module, its UAPI header and the tools; depmod
#   make uninstall     remove what make install put there
#   make check         checkpatch --strict, sparse and W=1 builds on 6.1 and 6.12
#   make clean
#
# KDIR defaults to the running kernel's build dir if it exists, else the
# newest /lib/modules/*/build.  KERNEL selects the VM kernel for demo/test:
# 6.1 (default), 6.12 or debug.

TOP := $(CURDIR)
KDIR ?= $(shell $(TOP)/scripts/kdir)
KERNEL ?= 6.1
T ?=

.PHONY: all modules tools clean check test demo bench soak profile deps help \
	install uninstall

all: modules

modules:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "No kernel build directory found (KDIR='$(KDIR)')."; \
		echo "Install headers: apt-get install linux-headers-amd64, or set KDIR=."; \
		exit 1; fi
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# User-space tools (ttpcat, ...): one C file each, built for the host; the
# test VM shares the host's root, so the same binaries run there.
TOOLS_SRC := $(wildcard $(TOP)/scripts/*.c)
TOOLS := $(patsubst $(TOP)/scripts/%.c,$(TOP)/build/tools/%,$(TOOLS_SRC))
TOOLS_CFLAGS := -O2 -g -Wall -Wextra -I$(TOP)/module/include/uapi

tools: $(TOOLS)

$(TOP)/build/tools/%: $(TOP)/scripts/%.c $(TOP)/scripts/ttp_tool.h $(wildcard $(TOP)/module/include/uapi/linux/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $<

# make install: the module into /lib/modules/<its kernel>/extra, the UAPI
# header and the tools under PREFIX, then depmod, so that the first
# socket(AF_TTP, ...) or `ip link add ... type ttp` loads the module (its
# aliases net-pf-25 and rtnl-link-ttp).  DESTDIR stages the files (no
# depmod then); TTP_KO=FILE installs that module instead of building one;
# DEPMOD=true skips depmod (the selftest restores the index itself).
PREFIX ?= /usr/local
DEPMOD ?= depmod
INSTALL_TOOLS := ttpstat ttp-timeline ttp-xcable
install: tools
	@set -e; ko="$(TTP_KO)"; \
	if [ -z "$$ko" ]; then $(MAKE) -s modules; ko=$(TOP)/module/ttp.ko; fi; \
	kver=$$(modinfo -F vermagic "$$ko" | cut -d' ' -f1); \
	[ -n "$$kver" ] || { echo "install: $$ko is not a module"; exit 1; }; \
	install -D -m 644 "$$ko" $(DESTDIR)/lib/modules/$$kver/extra/ttp.ko; \
	install -D -m 644 $(TOP)/module/include/uapi/linux/ttp.h \
		$(DESTDIR)$(PREFIX)/include/linux/ttp.h; \
	install -D -m 755 $(TOP)/build/tools/ttpcat $(DESTDIR)$(PREFIX)/bin/ttpcat; \
	install -D -m 755 $(TOP)/build/tools/ttpping $(DESTDIR)$(PREFIX)/bin/ttpping; \
	for t in $(INSTALL_TOOLS); do \
		install -m 755 $(TOP)/scripts/$$t $(DESTDIR)$(PREFIX)/bin/$$t; done; \
	if [ -z "$(DESTDIR)" ]; then $(DEPMOD) -a $$kver; fi; \
	echo "installed ttp.ko for $$kver, ttp.h and the tools under $(DESTDIR)$(PREFIX)"

uninstall:
	@set -e; for f in $(DESTDIR)/lib/modules/*/extra/ttp.ko; do \
		[ -f "$$f" ] || continue; rm -f "$$f"; \
		k=$${f#$(DESTDIR)/lib/modules/}; k=$${k%%/*}; \
		if [ -z "$(DESTDIR)" ]; then $(DEPMOD) -a "$$k"; fi; done; \
	rm -f $(DESTDIR)$(PREFIX)/include/linux/ttp.h $(DESTDIR)$(PREFIX)/bin/ttpcat \
		$(DESTDIR)$(PREFIX)/bin/ttpping; \
	for t in $(INSTALL_TOOLS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t; done

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(TOP) clean; fi
	rm -rf build selftests/build

deps:
	$(TOP)/scripts/deps

check:
	$(TOP)/scripts/check

test:
	$(TOP)/scripts/test --kernel $(KERNEL) $(if $(T),--only $(T))

demo:
	$(TOP)/scripts/demo --kernel $(KERNEL)

bench:
	$(TOP)/scripts/bench --kernel $(KERNEL)

soak:
	$(TOP)/scripts/soak --kernel $(KERNEL)

profile:
	$(TOP)/scripts/profile --kernel $(KERNEL)

help:
	@sed -n '3,20p' Makefile | sed 's/^# \{0,1\}//'
