// SPDX-License-Identifier: GPL-2.0
/*
 * Faults in real mode, where an AP starts after SIPI: CPU 1 runs a real-mode
 * stub that does RDMSR of an MSR no VM has, RDPMC and a MOV to CR4 setting
 * VMXE, each of which the hypervisor answers with #GP. Real mode pushes no
 * error code, so the stub's #GP handler must find FLAGS, CS and IP alone on
 * its stack; a hypervisor that asked for an error code would have failed
 * its VM entry instead. CPU 0 prints what the stub observed.
 * Needs a 2-CPU VM. Status 0 when all three faults came as in real mode.
 */
#include "guest.h"

#define STUB_BASE	0x7000		/* SIPI vector 7 */
#define STUB_SP		0x6f00		/* the stub's stack, below it */
#define RESULT_BASE	0x6f00		/* results, above the stack */
#define R_DONE		0x00		/* u16: 1 once the stub is through */
#define R_COUNT		0x02		/* u16: #GPs taken */
#define R_NEXT		0x04		/* u16: where the handler resumes */
#define R_SP		0x10		/* u16[4]: SP at each #GP */
#define IVT_GP		(13 * 4)
#define NR_FAULTS	3

/* Real-mode code, position-dependent only on CS = STUB_BASE >> 4. */
asm(".section .rodata.rmstub, \"a\"\n"
    ".code16\n"
    ".globl rmstub_start, rmstub_end, rmstub_handler\n"
    "rmstub_start:\n"
    "	cli\n"
    "	xor %ax, %ax\n"
    "	mov %ax, %ds\n"
    "	mov %ax, %ss\n"
    "	mov $0x6f00, %sp\n"
    "	movw $(1f - rmstub_start), 0x6f04\n"
    "	mov $0x3a, %ecx\n"		/* IA32_FEATURE_CONTROL: no VM has it */
    "	rdmsr\n"
    "1:	movw $(2f - rmstub_start), 0x6f04\n"
    "	xor %ecx, %ecx\n"
    "	rdpmc\n"
    "2:	movw $(3f - rmstub_start), 0x6f04\n"
    "	mov %cr4, %eax\n"
    "	or $0x2000, %eax\n"		/* CR4.VMXE */
    "	mov %eax, %cr4\n"
    "3:	movw $1, 0x6f00\n"
    "4:	cli\n"
    "	hlt\n"
    "	jmp 4b\n"
    /* #GP: record SP as delivered, resume at the next step. */
    "rmstub_handler:\n"
    "	mov %sp, 0x6f06\n"
    "	push %bp\n"
    "	push %bx\n"
    "	push %ax\n"
    "	mov %sp, %bp\n"
    "	mov 0x6f02, %bx\n"
    "	and $3, %bx\n"
    "	shl $1, %bx\n"
    "	mov 0x6f06, %ax\n"
    "	mov %ax, 0x6f10(%bx)\n"
    "	incw 0x6f02\n"
    "	mov 0x6f04, %ax\n"
    "	mov %ax, 6(%bp)\n"		/* the pushed IP */
    "	pop %ax\n"
    "	pop %bx\n"
    "	pop %bp\n"
    "	iret\n"
    "rmstub_end:\n"
    ".code64\n"
    ".previous\n");

extern const u8 rmstub_start[], rmstub_end[], rmstub_handler[];

static void poke16(u64 addr, u16 v)
{
	asm volatile("movw %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

static u16 peek16(u64 addr)
{
	u16 v;

	asm volatile("movw (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

int guest_main(void)
{
	u64 t0;
	int i, bad = 0;

	apic_init();
	memcpy((void *)STUB_BASE, rmstub_start, rmstub_end - rmstub_start);
	for (i = 0; i < 0x20; i += 2)
		poke16(RESULT_BASE + i, 0);
	poke16(IVT_GP, rmstub_handler - rmstub_start);
	poke16(IVT_GP + 2, STUB_BASE >> 4);
	puts("real-mode faults on cpu 1 next\n");
	apic_icr_write(1, 5 << 8);				/* INIT */
	t0 = rdtsc();
	while (rdtsc() - t0 < 1000000)
		cpu_relax();
	apic_icr_write(1, (6 << 8) | (STUB_BASE >> 12));	/* SIPI */
	t0 = rdtsc();
	while (!peek16(RESULT_BASE + R_DONE) && rdtsc() - t0 < 1000000000ULL)
		cpu_relax();
	if (!peek16(RESULT_BASE + R_DONE)) {
		printf("stub not done: %u #GP taken\n", peek16(RESULT_BASE + R_COUNT));
		return 1;
	}
	printf("real-mode #GP taken %u times\n", peek16(RESULT_BASE + R_COUNT));
	if (peek16(RESULT_BASE + R_COUNT) != NR_FAULTS)
		bad = 1;
	for (i = 0; i < NR_FAULTS; i++) {
		u16 sp = peek16(RESULT_BASE + R_SP + 2 * i);

		/* FLAGS, CS, IP: 6 bytes; an error code would make it 8. */
		printf("#GP %d: %u bytes pushed%s\n", i, STUB_SP - sp,
		       sp == STUB_SP - 6 ? "" : " (not as in real mode)");
		if (sp != STUB_SP - 6)
			bad = 1;
	}
	puts(bad ? "real-mode faults wrong\n" : "real-mode faults ok\n");
	return bad;
}
