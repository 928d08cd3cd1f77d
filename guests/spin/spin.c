// SPDX-License-Identifier: GPL-2.0
/*
 * Never ends on its own and never exits to the hypervisor: interrupts off,
 * no I/O, no HLT, not even PAUSE (which PAUSE-loop exiting could catch).
 * Only a stop from the root ends it.
 */
#include "guest.h"

int guest_main(void)
{
	u64 n = 0;

	puts("spinning with interrupts off\n");
	asm volatile("cli");
	/* A counter, so the loop is not a bare "jmp ." an emulator might spot. */
	for (;;) {
		n++;
		asm volatile("" : "+r"(n));
	}
}
