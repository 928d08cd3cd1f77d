// SPDX-License-Identifier: GPL-2.0
/*
 * IA32_APIC_BASE as hardware takes it: the value read back can be written
 * (the x2APIC enable path of an OS), reserved bits and invalid mode changes
 * (EXTD without EN, x2APIC to xAPIC, disabled to x2APIC) raise #GP, as does
 * moving the APIC (not emulated); disabling it hides the x2APIC registers
 * and CPUID.1:EDX.APIC, and the way back goes through xAPIC mode as the
 * SDM requires. Prints "apic_base NAME 0xV: ok|#GP now=0xX" per write;
 * status 0.
 */
#include "guest.h"

#define CPUID1_EDX_APIC	(1U << 9)

static u64 attempt(const char *name, u64 val)
{
	u64 now = 0;
	int r = safe_wrmsr(MSR_IA32_APIC_BASE, val);

	safe_rdmsr(MSR_IA32_APIC_BASE, &now);
	printf("apic_base %s 0x%llx: %s now=0x%llx\n", name,
	       (unsigned long long)val, r ? exception_name(SAFE_VECTOR(r)) : "ok",
	       (unsigned long long)now);
	return now;
}

static void show_apic(const char *when)
{
	u32 a, b, c, d;
	u64 id;
	int r = safe_rdmsr(MSR_X2APIC_ID, &id);

	cpuid(1, 0, &a, &b, &c, &d);
	printf("%s: cpuid apic %u, x2apic id %s\n", when, !!(d & CPUID1_EDX_APIC),
	       r ? exception_name(SAFE_VECTOR(r)) : "readable");
}

int guest_main(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);
	u64 addr = base & ~0xfffULL, bsp = base & APIC_BASE_BSP;

	printf("apic_base at start 0x%llx\n", (unsigned long long)base);
	attempt("same", base);
	attempt("reserved-bit0", base | 1);
	attempt("reserved-bit9", base | (1ULL << 9));
	attempt("beyond-maxphyaddr", base | (1ULL << 62));
	attempt("relocate", (base & 0xfff) | 0xfed00000ULL);
	attempt("x2apic-to-xapic", addr | bsp | APIC_BASE_EN);
	attempt("extd-without-en", addr | bsp | APIC_BASE_EXTD);
	attempt("disable", addr | bsp);
	show_apic("disabled");
	attempt("disabled-to-x2apic", addr | bsp | APIC_BASE_EN | APIC_BASE_EXTD);
	attempt("disabled-to-xapic", addr | bsp | APIC_BASE_EN);
	show_apic("xapic");
	attempt("xapic-to-x2apic", addr | bsp | APIC_BASE_EN | APIC_BASE_EXTD);
	show_apic("x2apic");
	puts("apic_base done\n");
	return 0;
}
