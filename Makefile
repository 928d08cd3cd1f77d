# SPDX-License-Identifier: GPL-2.0
#
# splitvisor. Main targets:
#   make            module (against KDIR), vmctl and the selftests
#   make check      host unit tests + selftests in the Bochs VMX test host,
#                   on Debian 6.1 and 6.12; ends with "N passed, N failed"
#   make demo       boot the test host and show splitvisor at work
#   make lint       checkpatch, sparse and a W=1 build, on both kernels
#   make install    module (+ depmod) and vmctl
# check, demo and lint install what they need with apt-get.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
VERSION := $(shell cat VERSION)
# The release the headers were built for, as modules_install names it.
KREL = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

all: module userspace

module:
	@test -f "$(KDIR)/Makefile" || { \
		echo "No kernel headers at $(KDIR)." >&2; \
		echo "Install linux-headers-$$(uname -r), or pass KDIR=<kernel build dir>." >&2; \
		exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace: vmctl selftests

vmctl:
	$(MAKE) -C userspace/vmctl

selftests:
	$(MAKE) -C selftests

# Pure-logic tests that run on the build machine.
unit:
	tools/check-uapi-spec
	$(MAKE) -C userspace/vmctl test
	$(MAKE) -C kmod/ept/tests
	$(MAKE) -C kmod/vm/tests

install: module vmctl
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KREL)
	$(MAKE) -C userspace/vmctl install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

check:
	tools/check

demo:
	tools/demo

bench:
	tools/bench

lint:
	tools/lint

deps:
	tools/deps all

clean:
	-test -f "$(KDIR)/Makefile" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace/vmctl clean
	$(MAKE) -C selftests clean

distclean: clean
	rm -rf build

.PHONY: all module userspace vmctl selftests unit install check demo bench \
	lint deps clean distclean
