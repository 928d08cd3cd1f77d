// SPDX-License-Identifier: GPL-2.0
/*
 * What a VM sees of the machine: I/O ports with no device behind them
 * must read as all ones, and the MSRs splitvisor does not virtualize
 * (IA32_FEATURE_CONTROL, the VMX capability MSRs) must raise #GP. A few
 * virtualized MSRs are read too and must not fault. Status 0 if all of
 * that holds, 1 if not.
 */
#include "guest.h"

static bool ok = true;

static void io(u16 port, u32 v, u32 all_ones)
{
	printf("io 0x%x=0x%x\n", port, v);
	if (v != all_ones)
		ok = false;
}

/* "msr 0x3a=#GP" or "msr 0x3a=0x5"; returns the safe_*() result. */
static int msr_line(const char *what, u32 msr, int r, u64 v)
{
	if (r)
		printf("%s 0x%x=%s\n", what, msr, exception_name(SAFE_VECTOR(r)));
	else
		printf("%s 0x%x=0x%llx\n", what, msr, (unsigned long long)v);
	return r;
}

int guest_main(void)
{
	static const u32 gp_msrs[] = {
		MSR_IA32_FEATURE_CONTROL,
		0x480,		/* IA32_VMX_BASIC */
		0x48b,		/* IA32_VMX_PROCBASED_CTLS2 */
		0x491,		/* IA32_VMX_VMFUNC */
	};
	static const u32 virt_msrs[] = {
		MSR_IA32_APIC_BASE, MSR_IA32_PAT, MSR_EFER,
	};
	unsigned int i;
	u64 v;
	int r;

	io(0x60, inb(0x60), 0xff);		/* i8042 keyboard data */
	outb(0x70, 0x0a);			/* CMOS index: RTC status A */
	io(0x70, inb(0x70), 0xff);
	io(0x71, inb(0x71), 0xff);
	io(0x1f0, inw(0x1f0), 0xffff);		/* primary IDE data */
	outl(0xcf8, 0x80000000);		/* PCI 00:00.0, register 0 */
	io(0xcf8, inl(0xcf8), 0xffffffff);
	io(0xcfc, inl(0xcfc), 0xffffffff);

	for (i = 0; i < ARRAY_SIZE(gp_msrs); i++) {
		r = safe_rdmsr(gp_msrs[i], &v);
		if (SAFE_VECTOR(msr_line("msr", gp_msrs[i], r, v)) != X86_GP ||
		    !r)
			ok = false;
	}
	/* Writing it (unlocked, nothing enabled) must fault as well. */
	r = safe_wrmsr(MSR_IA32_FEATURE_CONTROL, 0);
	if (r)
		printf("wrmsr 0x%x=%s\n", MSR_IA32_FEATURE_CONTROL,
		       exception_name(SAFE_VECTOR(r)));
	else
		printf("wrmsr 0x%x=ok\n", MSR_IA32_FEATURE_CONTROL);
	if (!r || SAFE_VECTOR(r) != X86_GP)
		ok = false;

	for (i = 0; i < ARRAY_SIZE(virt_msrs); i++) {
		r = safe_rdmsr(virt_msrs[i], &v);
		if (msr_line("msr", virt_msrs[i], r, v))
			ok = false;
	}

	puts("probe done\n");
	return ok ? 0 : 1;
}
