// SPDX-License-Identifier: GPL-2.0
/*
 * What a VM's CPU holds when the guest starts must be the power-on state,
 * never what the root or an earlier guest left: x87, SSE, AVX and AVX-512
 * registers, MXCSR, CR2, DR0-3, DR6, XCR0 and the MSRs a guest reaches
 * directly. The guest prints what it finds ("state at start: clean", or a
 * "dirty:" line per register that is not), then fills all of them with
 * values of its own and exits, so that the next start on that CPU (the
 * same VM started again, or a new VM) shows whether they were scrubbed.
 * Status 0 when clean, 1 if not.
 */
#include "guest.h"

#define CR0_EM		(1ULL << 2)
#define CR0_TS		(1ULL << 3)
#define XCR0_X87_SSE	0x3ULL
#define XCR0_AVX	0x4ULL
#define XCR0_AVX512	0xe0ULL
#define DR6_INIT	0xffff0ff0ULL
#define MXCSR_INIT	0x1f80
#define FCW_INIT	0x37f

static bool clean = true;
static u8 fx[512] __aligned(64);
static u8 vec[32 * 64] __aligned(64);	/* zmm0-31, or ymm0-15 */
static u64 kregs[8];

static void dirty(const char *what, u64 v)
{
	printf("dirty: %s=0x%llx\n", what, (unsigned long long)v);
	clean = false;
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static u64 read_dr(int n)
{
	u64 v = 0;

	switch (n) {
	case 0: asm volatile("mov %%db0, %0" : "=r"(v)); break;
	case 1: asm volatile("mov %%db1, %0" : "=r"(v)); break;
	case 2: asm volatile("mov %%db2, %0" : "=r"(v)); break;
	case 3: asm volatile("mov %%db3, %0" : "=r"(v)); break;
	case 6: asm volatile("mov %%db6, %0" : "=r"(v)); break;
	}
	return v;
}

static void save_ymm(void)
{
	asm volatile("vmovdqu %%ymm0, 0x000(%0)\n\tvmovdqu %%ymm1, 0x020(%0)\n\t"
		     "vmovdqu %%ymm2, 0x040(%0)\n\tvmovdqu %%ymm3, 0x060(%0)\n\t"
		     "vmovdqu %%ymm4, 0x080(%0)\n\tvmovdqu %%ymm5, 0x0a0(%0)\n\t"
		     "vmovdqu %%ymm6, 0x0c0(%0)\n\tvmovdqu %%ymm7, 0x0e0(%0)\n\t"
		     "vmovdqu %%ymm8, 0x100(%0)\n\tvmovdqu %%ymm9, 0x120(%0)\n\t"
		     "vmovdqu %%ymm10, 0x140(%0)\n\tvmovdqu %%ymm11, 0x160(%0)\n\t"
		     "vmovdqu %%ymm12, 0x180(%0)\n\tvmovdqu %%ymm13, 0x1a0(%0)\n\t"
		     "vmovdqu %%ymm14, 0x1c0(%0)\n\tvmovdqu %%ymm15, 0x1e0(%0)"
		     : : "r"(vec) : "memory");
}

#define ZMM_SAVE(n) "vmovdqu64 %%zmm" #n ", " #n "*64(%0)\n\t"
static void save_zmm(void)
{
	asm volatile(ZMM_SAVE(0) ZMM_SAVE(1) ZMM_SAVE(2) ZMM_SAVE(3)
		     ZMM_SAVE(4) ZMM_SAVE(5) ZMM_SAVE(6) ZMM_SAVE(7)
		     ZMM_SAVE(8) ZMM_SAVE(9) ZMM_SAVE(10) ZMM_SAVE(11)
		     ZMM_SAVE(12) ZMM_SAVE(13) ZMM_SAVE(14) ZMM_SAVE(15)
		     ZMM_SAVE(16) ZMM_SAVE(17) ZMM_SAVE(18) ZMM_SAVE(19)
		     ZMM_SAVE(20) ZMM_SAVE(21) ZMM_SAVE(22) ZMM_SAVE(23)
		     ZMM_SAVE(24) ZMM_SAVE(25) ZMM_SAVE(26) ZMM_SAVE(27)
		     ZMM_SAVE(28) ZMM_SAVE(29) ZMM_SAVE(30) ZMM_SAVE(31)
		     "kmovq %%k0, 0(%1)\n\tkmovq %%k1, 8(%1)\n\t"
		     "kmovq %%k2, 16(%1)\n\tkmovq %%k3, 24(%1)\n\t"
		     "kmovq %%k4, 32(%1)\n\tkmovq %%k5, 40(%1)\n\t"
		     "kmovq %%k6, 48(%1)\n\tkmovq %%k7, 56(%1)"
		     : : "r"(vec), "r"(kregs) : "memory");
}

/* Every vector register, mask register and x87 register gets a pattern. */
static void taint_vectors(u64 xcr0)
{
	static const u16 fcw = 0x27f;
	static const u32 mxcsr = 0x9f80;	/* FZ set */
	static u8 pattern[64] __aligned(64);
	unsigned int i;

	/* A few registers of each bank carry the pattern: enough to be seen. */

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = 0xa5 ^ i;
	asm volatile("fldcw %0\n\tfld1\n\tfldpi\n\tfldl2t\n\tldmxcsr %1"
		     : : "m"(fcw), "m"(mxcsr));
	if (xcr0 & XCR0_AVX512) {
		asm volatile("vmovdqu64 (%0), %%zmm0\n\t"
			     "kxnorq %%k0, %%k0, %%k1\n\tkmovq %%k1, %%k7" : : "r"(pattern));
		asm volatile("vmovdqa64 %%zmm0, %%zmm1\n\tvmovdqa64 %%zmm0, %%zmm15\n\t"
			     "vmovdqa64 %%zmm0, %%zmm16\n\tvmovdqa64 %%zmm0, %%zmm31" : :);
	} else if (xcr0 & XCR0_AVX) {
		asm volatile("vmovdqu (%0), %%ymm0\n\tvmovdqa %%ymm0, %%ymm1\n\t"
			     "vmovdqa %%ymm0, %%ymm15" : : "r"(pattern));
	} else {
		asm volatile("movdqa (%0), %%xmm0\n\tmovdqa %%xmm0, %%xmm1\n\t"
			     "movdqa %%xmm0, %%xmm15" : : "r"(pattern));
	}
}

int guest_main(void)
{
	u64 cr0, cr2, xcr0, supported, v;
	u32 a, b, c, d;
	unsigned int i;
	static const u32 msrs[] = { MSR_STAR, MSR_LSTAR, MSR_CSTAR,
				    MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE, MSR_TSC_AUX };

	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	if (cr2)
		dirty("cr2", cr2);
	for (i = 0; i < 4; i++)
		if (read_dr(i)) {
			char name[4] = { 'd', 'r', (char)('0' + i), 0 };

			dirty(name, read_dr(i));
		}
	if (read_dr(6) != DR6_INIT)
		dirty("dr6", read_dr(6));
	for (i = 0; i < ARRAY_SIZE(msrs); i++)
		if (safe_rdmsr(msrs[i], &v) || v) {
			char name[16];

			snprintf(name, sizeof(name), "msr 0x%x", msrs[i]);
			dirty(name, v);
		}

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %0, %%cr0" : : "r"(cr0 & ~(CR0_EM | CR0_TS)));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE);
	xcr0 = xgetbv(0);
	if (xcr0 != 1)
		dirty("xcr0", xcr0);
	cpuid(0xd, 0, &a, &b, &c, &d);
	supported = a | ((u64)d << 32);
	printf("xcr0 supported 0x%llx\n", (unsigned long long)supported);

	asm volatile("fxsave64 %0" : "=m"(fx));
	if (*(u16 *)&fx[0] != FCW_INIT)
		dirty("fcw", *(u16 *)&fx[0]);
	if (*(u16 *)&fx[2])
		dirty("fsw", *(u16 *)&fx[2]);
	if (fx[4])
		dirty("ftw", fx[4]);
	if (*(u32 *)&fx[24] != MXCSR_INIT)
		dirty("mxcsr", *(u32 *)&fx[24]);
	if (!all_zero(&fx[32], 8 * 16))
		dirty("st0-7", *(u64 *)&fx[32]);
	if (!all_zero(&fx[160], 16 * 16))
		dirty("xmm0-15", *(u64 *)&fx[160]);

	xcr0 = XCR0_X87_SSE;
	if ((supported & XCR0_AVX512) == XCR0_AVX512 && (supported & XCR0_AVX))
		xcr0 |= XCR0_AVX | XCR0_AVX512;
	else if (supported & XCR0_AVX)
		xcr0 |= XCR0_AVX;
	if (xcr0 != XCR0_X87_SSE) {
		if (safe_xsetbv(0, xcr0)) {
			printf("xsetbv 0x%llx refused\n", (unsigned long long)xcr0);
			clean = false;
			xcr0 = xgetbv(0);
		} else if (xcr0 & XCR0_AVX512) {
			save_zmm();
			if (!all_zero(vec, 32 * 64))
				dirty("zmm0-31", *(u64 *)&vec[16]);
			if (!all_zero((u8 *)kregs, sizeof(kregs)))
				dirty("k0-7", kregs[1]);
		} else {
			save_ymm();
			if (!all_zero(vec, 16 * 32))
				dirty("ymm0-15", *(u64 *)&vec[16]);
		}
	}
	printf("checked xcr0 0x%llx\n", (unsigned long long)xcr0);
	puts(clean ? "state at start: clean\n" : "state at start: dirty\n");

	/* Leave marks in everything for the next start on this CPU. */
	taint_vectors(xcr0);
	asm volatile("mov %0, %%cr2" : : "r"(0x5a5a5000ULL));
	asm volatile("mov %0, %%db0\n\tmov %0, %%db1\n\tmov %0, %%db2\n\t"
		     "mov %0, %%db3" : : "r"(0x123000ULL));
	asm volatile("mov %0, %%db6" : : "r"(DR6_INIT | 0xf));
	for (i = 0; i < ARRAY_SIZE(msrs); i++)
		safe_wrmsr(msrs[i], msrs[i] == MSR_TSC_AUX ? 0x77 : 0x5000);
	puts("marks left\n");
	return clean ? 0 : 1;
}
