# SPDX-License-Identifier: GPL-2.0
# Rules shared by the host unit tests of kmod/*/tests: each Makefile there
# sets PURE_OBJS (the files of ../ it tests), adds its CPPFLAGS and HEADERS,
# then includes this file.
#
#   make            build and run the unit_*.c of that directory

KSFT_DIR ?= ../../../build/linux-source/ksft

CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -std=gnu11
# The pure logic is written against <linux/types.h>; on the host its kernel
# type names come from the C library instead. u64 is unsigned long long, as
# in the kernel, for its printf formats.
CPPFLAGS += -I.. -include stdbool.h -include stdint.h \
	-Du8=uint8_t -Du16=uint16_t -Du32=uint32_t '-Du64=unsigned long long'

# Built from ../ into this directory, away from the module's objects.
.SECONDARY: $(PURE_OBJS)
HEADERS += $(wildcard ../*.h)

UNIT_DIR := $(notdir $(patsubst %/tests,%,$(CURDIR)))
UNIT_TESTS := $(patsubst %.c,%,$(wildcard unit_*.c))

test: $(UNIT_TESTS)
	@failed=0; \
	for t in $(UNIT_TESTS); do \
		echo "# kmod/$(UNIT_DIR)/tests/$$t"; \
		./$$t || failed=1; \
	done; \
	exit $$failed

# The kernel's test harness has unused parameters in its macros.
TEST_CFLAGS := -Wno-unused-parameter

%.o: ../%.c $(HEADERS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

unit_%: unit_%.c $(PURE_OBJS) $(HEADERS) $(KSFT_DIR)/kselftest_harness.h
	$(CC) $(CPPFLAGS) -I$(KSFT_DIR) $(CFLAGS) $(TEST_CFLAGS) $(LDFLAGS) \
		-o $@ $< $(PURE_OBJS)

# Taken from Debian's linux-source package on first use.
$(KSFT_DIR)/kselftest_harness.h:
	../../../tools/linux-source-files

clean:
	rm -f $(PURE_OBJS) $(UNIT_TESTS)

.PHONY: test clean
