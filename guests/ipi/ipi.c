// SPDX-License-Identifier: GPL-2.0
/*
 * IPIs the hypervisor must drop without the guest noticing (INIT to
 * itself, NMI, INIT and a fixed IPI to APIC IDs the VM does not have),
 * then a VMCALL, which must raise #UD. With "mmio=1" instead: a write to
 * the xAPIC ICR page, outside VM memory, which must crash the VM.
 *
 * Assumes it runs on APIC ID 0 of a 1-CPU VM. Status 0, or 1 if an ICR
 * write faulted.
 */
#include "guest.h"

#define XAPIC_ICR_LO	0xfee00300UL

static const struct {
	u32 dest, low;
} ipis[] = {
	{ 0, ICR_INIT },		/* itself */
	{ 0, ICR_NMI },			/* itself */
	{ 0xff, ICR_INIT },		/* no such CPU */
	{ 7, ICR_INIT },		/* no such CPU */
	{ 1, ICR_FIXED | 0x40 },	/* no such CPU in a 1-CPU VM */
};

int guest_main(void)
{
	u64 rax = 0x0123456789abcdefULL;
	unsigned int i;
	int status = 0;
	int r;

	if (cmdline_get("mmio", 0)) {
		puts("mmio icr write\n");
		/* INIT to APIC ID 0: ICR high (the destination) is 0. */
		write32(XAPIC_ICR_LO, ICR_INIT);
		puts("mmio icr write done\n");
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(ipis); i++) {
		u64 icr = ((u64)ipis[i].dest << 32) | ipis[i].low;

		r = safe_wrmsr(MSR_X2APIC_ICR, icr);
		if (r) {
			printf("icr 0x%llx %s\n", (unsigned long long)icr,
			       exception_name(SAFE_VECTOR(r)));
			status = 1;
		}
	}
	puts("ipis sent\n");

	r = safe_vmcall(&rax, 0xfedcba9876543210ULL, 0xdeadbeefULL,
			0xffffffffffffffffULL, 0x5a5a5a5a5a5a5a5aULL);
	if (!r)
		printf("vmcall returned rax=0x%llx\n", (unsigned long long)rax);
	else if (SAFE_VECTOR(r) == X86_UD)
		puts("vmcall #UD\n");
	else
		printf("vmcall %s\n", exception_name(SAFE_VECTOR(r)));
	return status;
}
