// SPDX-License-Identifier: GPL-2.0
/* The smallest guest: a greeting, the command line, status 0. */
#include "guest.h"

int guest_main(void)
{
	puts("hello from a splitvisor guest\n");
	printf("cmdline: %s\n", cmdline());
	return 0;
}
