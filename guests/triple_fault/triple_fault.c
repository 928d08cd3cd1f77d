// SPDX-License-Identifier: GPL-2.0
/*
 * A triple fault on purpose: with an IDT of limit 0 the #UD cannot be
 * delivered (#GP), nor can that (#DF), which shuts the CPU down.
 */
#include "guest.h"

int guest_main(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed empty = { 0, 0 };

	puts("triple fault next\n");
	asm volatile("lidt %0\n\t"
		     "ud2"
		     : : "m"(empty) : "memory");
	puts("still running after the triple fault\n");
	return 1;
}
