// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions that would reach hardware the root shares: WBINVD and INVD
 * (the caches) complete without touching them; MONITOR and MWAIT (the
 * CPU's C-states), which CPUID does not offer, raise #UD; MOV CR8 reaches
 * the emulated TPR (the x2APIC TPR register follows it) and refuses
 * reserved bits; clearing CR4.MCE reads back as written. Prints a line per
 * check; status 0 when all hold, 1 if not.
 */
#include "guest.h"

#define CPUID1_MONITOR	(1U << 3)

static bool ok = true;
static u64 monitored;

static void check(bool cond, const char *what)
{
	printf("%s: %s\n", what, cond ? "ok" : "BAD");
	if (!cond)
		ok = false;
}

int guest_main(void)
{
	u32 a, b, c, d;
	u64 cr4, tpr = 0;
	int r;

	asm volatile("wbinvd" ::: "memory");
	puts("wbinvd done\n");
	asm volatile("invd" ::: "memory");
	puts("invd done\n");

	cpuid(1, 0, &a, &b, &c, &d);
	check(!(c & CPUID1_MONITOR), "cpuid offers no monitor");
	r = safe_monitor(&monitored);
	check(SAFE_VECTOR(r) == X86_UD && r, "monitor #UD");
	r = safe_mwait();
	check(SAFE_VECTOR(r) == X86_UD && r, "mwait #UD");

	check(!safe_write_cr8(5), "mov cr8 5");
	check(read_cr8() == 5, "cr8 reads 5");
	check(!safe_rdmsr(MSR_X2APIC_TPR, &tpr) && tpr == 0x50, "x2apic tpr 0x50");
	r = safe_write_cr8(16);
	check(SAFE_VECTOR(r) == X86_GP && r, "cr8 reserved bits #GP");
	check(read_cr8() == 5, "cr8 unchanged");
	check(!safe_write_cr8(0), "mov cr8 0");

	cr4 = read_cr4();
	write_cr4(cr4 & ~CR4_MCE);
	check(!(read_cr4() & CR4_MCE), "cr4.mce reads cleared");
	write_cr4(cr4 | CR4_MCE);
	check(read_cr4() & CR4_MCE, "cr4.mce reads set");
	puts(ok ? "hygiene ok\n" : "hygiene BAD\n");
	return ok ? 0 : 1;
}
