// SPDX-License-Identifier: GPL-2.0
/*
 * A read of a guest-physical address outside VM memory ("addr=", default
 * 1 GiB), e.g. where the root's memory is: splitvisor must stop the VM as
 * crashed rather than let it see anything.
 */
#include "guest.h"

int guest_main(void)
{
	u64 addr = cmdline_get("addr", 0x40000000);
	u64 v;

	printf("reading 0x%llx\n", (unsigned long long)addr);
	v = read64(addr);
	printf("read 0x%llx = 0x%llx\n", (unsigned long long)addr,
	       (unsigned long long)v);
	return 0;
}
