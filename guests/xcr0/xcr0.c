// SPDX-License-Identifier: GPL-2.0
/*
 * XSETBV with every kind of XCR0 value the SDM refuses (no x87, AVX
 * without SSE, AVX-512 or AMX or MPX halves, a supervisor state, a
 * reserved bit, an XCR other than 0) and the ones it takes: each must
 * raise #GP in the guest and leave XCR0 as it was, or take effect, and
 * never reach the hypervisor's own XSETBV unchecked. Also CPUID.1:ECX's
 * OSXSAVE, which must follow the guest's CR4, not the hypervisor's.
 * Prints "xsetbv ecx=N 0xV: ok|#GP xcr0=0xX" per attempt; status 0.
 */
#include "guest.h"

#define CPUID1_OSXSAVE	(1U << 27)

static void attempt(u32 xcr, u64 val)
{
	int r = safe_xsetbv(xcr, val);

	printf("xsetbv ecx=%u 0x%llx: %s xcr0=0x%llx\n", xcr,
	       (unsigned long long)val, r ? exception_name(SAFE_VECTOR(r)) : "ok",
	       (unsigned long long)xgetbv(0));
}

int guest_main(void)
{
	static const u64 values[] = {
		0x0, 0x2, 0x5, 0x3, 0x7, 0x27, 0x67, 0xe3, 0xe7, 0x9, 0x11, 0x1b,
		0x20003, 0x40003, 0x60003, 0x103, 0x1003, 0x8000000000000003ULL,
		0x207, 0x3,
	};
	u32 a, b, c, d;
	unsigned int i;

	cpuid(1, 0, &a, &b, &c, &d);
	printf("osxsave before cr4: %u\n", !!(c & CPUID1_OSXSAVE));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXSAVE);
	cpuid(1, 0, &a, &b, &c, &d);
	printf("osxsave after cr4: %u\n", !!(c & CPUID1_OSXSAVE));
	cpuid(0xd, 0, &a, &b, &c, &d);
	printf("xcr0 supported 0x%llx\n", (unsigned long long)(a | ((u64)d << 32)));
	printf("xcr0 at start 0x%llx\n", (unsigned long long)xgetbv(0));

	for (i = 0; i < ARRAY_SIZE(values); i++)
		attempt(0, values[i]);
	attempt(1, 0x3);
	puts("xcr0 done\n");
	return 0;
}
