// SPDX-License-Identifier: GPL-2.0
/*
 * A write to a guest-physical address outside VM memory ("addr=", default
 * 1 GiB): splitvisor must stop the VM as crashed before "write done".
 */
#include "guest.h"

int guest_main(void)
{
	u64 addr = cmdline_get("addr", 0x40000000);

	printf("writing 0x%llx\n", (unsigned long long)addr);
	write64(addr, 0x5350564953495421ULL);	/* "!TISIVPS" */
	puts("write done\n");
	return 0;
}
