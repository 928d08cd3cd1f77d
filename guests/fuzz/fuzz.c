// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded, reproducible storm of what a hostile guest can hand the
 * hypervisor: RDMSR/WRMSR of MSRs near every range the hypervisor knows
 * and of random ones, with random values; port I/O of random ports and
 * widths; MOV to CR0, CR4 and CR8 with random bits flipped; XSETBV of
 * random XCR0s; CPUID of random leaves; RDPMC, VMCALL, INVD, WBINVD,
 * MONITOR, MWAIT; x2APIC ICR writes of random INITs, SIPIs and IPIs;
 * IA32_APIC_BASE mode changes; EFER writes. Every instruction that faults
 * is caught and counted; the guest must get through all of them.
 *
 * Command line: seed=S (default 1), n=N operations (default 20000).
 * Prints "fuzz seed=S n=N", a count per class, then "fuzz done"; status 0.
 */
#include "guest.h"

#define CR0_MP		(1ULL << 1)
#define CR0_TS		(1ULL << 3)
#define CR0_WP		(1ULL << 16)
#define CR0_AM		(1ULL << 18)
#define CR0_NW		(1ULL << 29)
#define CR0_CD		(1ULL << 30)

static u64 state;

/* xorshift64*: small, fast, and the same sequence for the same seed. */
static u64 rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

/* A value with few, many or all bits set, or a boundary. */
static u64 rnd_value(void)
{
	switch (rnd() % 6) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return 1ULL << (rnd() % 64);
	case 3:
		return rnd() & 0xffffffffULL;
	case 4:
		return (rnd() & 0xffff) | 0xffff800000000000ULL;
	default:
		return rnd();
	}
}

static const u32 msr_bases[] = {
	0x0, 0x10, 0x1b, 0x3a, 0x3b, 0x48, 0x49, 0x8b, 0xc1, 0x174, 0x175, 0x176,
	0x179, 0x17a, 0x186, 0x1a0, 0x1c4, 0x1d9, 0x277, 0x2ff, 0x38d, 0x38f,
	0x480, 0x48d, 0x491, 0x6e0, 0x800, 0x802, 0x808, 0x80b, 0x80f, 0x830,
	0x838, 0x8ff, 0xda0, 0x1fff, 0x2000, 0x40000000, 0xc0000080, 0xc0000081,
	0xc0000082, 0xc0000083, 0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102,
	0xc0000103, 0xc0001fff, 0xc0002000, 0xc0010000, 0xffffffff,
};

/* MSRs whose writes would end the guest's own world, not the host's. */
static bool msr_write_skipped(u32 msr)
{
	return msr == 0xc0000080 ||			/* EFER: flipped below */
	       msr == 0xc0000100 || msr == 0xc0000101 ||	/* FS/GS base: its stack */
	       msr == 0x1b ||				/* APIC base: below */
	       msr == 0x830;				/* ICR: below */
}

static u32 rnd_msr(void)
{
	u32 m = msr_bases[rnd() % ARRAY_SIZE(msr_bases)];

	switch (rnd() % 4) {
	case 0:
		return m + (rnd() % 8);
	case 1:
		return (u32)rnd();
	default:
		return m;
	}
}

enum { OP_RDMSR, OP_WRMSR, OP_IO, OP_CR0, OP_CR4, OP_CR8, OP_XSETBV, OP_CPUID,
       OP_MISC, OP_ICR, OP_APIC_BASE, OP_EFER, OP_COUNT };
static const char * const op_names[OP_COUNT] = {
	"rdmsr", "wrmsr", "io", "cr0", "cr4", "cr8", "xsetbv", "cpuid", "misc",
	"icr", "apic_base", "efer",
};
static u64 done[OP_COUNT], faulted[OP_COUNT];

static int op_io(void)
{
	u16 port = rnd() % 0x10000;
	u32 v = rnd();

	/* Not the exit port: writing it ends the VM, as documented. */
	if (port >= EXIT_PORT && port < EXIT_PORT + 4)
		port = 0x80;
	switch (rnd() % 6) {
	case 0: outb(port, v); break;
	case 1: outw(port, v); break;
	case 2: outl(port, v); break;
	case 3: (void)inb(port); break;
	case 4: (void)inw(port); break;
	default: (void)inl(port); break;
	}
	return 0;
}

static int op_cr0(void)
{
	static const u64 bits[] = { CR0_MP, CR0_TS, CR0_WP, CR0_AM, CR0_NW, CR0_CD };
	u64 cr0, flip = bits[rnd() % ARRAY_SIZE(bits)];
	int r;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	/* NW without CD is #GP, from the hypervisor or the CPU. */
	r = safe_write_cr0(cr0 ^ flip);
	asm volatile("mov %0, %%cr0" : : "r"(cr0 & ~(CR0_NW | CR0_CD | CR0_TS)) : "memory");
	return r;
}

int guest_main(void)
{
	u64 seed = cmdline_get("seed", 1), n = cmdline_get("n", 20000), i, v;
	u64 cr4 = read_cr4(), apic_base = rdmsr(MSR_IA32_APIC_BASE);
	u32 a, b, c, d;
	int r = 0;

	state = seed ? seed : 1;
	printf("fuzz seed=%llu n=%llu\n", (unsigned long long)seed,
	       (unsigned long long)n);
	write_cr4(cr4 | CR4_OSFXSR | CR4_OSXSAVE);
	cr4 = read_cr4();
	for (i = 0; i < n; i++) {
		unsigned int op = rnd() % OP_COUNT;
		u32 msr;

		switch (op) {
		case OP_RDMSR:
			r = safe_rdmsr(rnd_msr(), &v);
			break;
		case OP_WRMSR:
			msr = rnd_msr();
			r = msr_write_skipped(msr) ? 0 : safe_wrmsr(msr, rnd_value());
			break;
		case OP_IO:
			r = op_io();
			break;
		case OP_CR0:
			r = op_cr0();
			break;
		case OP_CR4:
			/* One bit flipped, then back: the guest's paging stays. */
			v = 1ULL << (rnd() % 32);
			/* Not PAE, SMEP, SMAP: those would fault the guest's own code. */
			if (v & ((1ULL << 5) | (1ULL << 20) | (1ULL << 21)))
				v = 1ULL << 13;		/* VMXE instead */
			r = safe_write_cr4(cr4 ^ v);
			write_cr4(cr4);
			break;
		case OP_CR8:
			r = safe_write_cr8(rnd() % 4 ? rnd() % 16 : rnd_value());
			safe_write_cr8(0);
			break;
		case OP_XSETBV:
			r = safe_xsetbv(rnd() % 8 ? 0 : rnd() % 4,
					rnd() % 2 ? rnd() & 0x600ff : rnd_value());
			break;
		case OP_CPUID:
			cpuid(rnd() % 3 ? rnd() % 0x20 : (u32)rnd(), rnd() % 4, &a, &b, &c, &d);
			r = 0;
			break;
		case OP_MISC:
			switch (rnd() % 5) {
			case 0: { u64 rax = rnd() % 4;

				r = safe_vmcall(&rax, rnd(), rnd(), rnd(), rnd());
				break; }
			case 1: asm volatile("wbinvd" ::: "memory"); r = 0; break;
			case 2: asm volatile("invd" ::: "memory"); r = 0; break;
			case 3: r = safe_monitor(&state); break;
			default: r = safe_mwait(); break;
			}
			break;
		case OP_ICR:
			/* INIT, SIPI and fixed IPIs to random targets, self included. */
			r = safe_wrmsr(MSR_X2APIC_ICR, (rnd() & 0xffffffff00000000ULL) |
				       (rnd() & 0xcfff));
			break;
		case OP_APIC_BASE:
			r = safe_wrmsr(MSR_IA32_APIC_BASE, rnd() % 2 ? rnd_value() :
				       (apic_base & ~0xc00ULL) | ((rnd() % 4) << 10));
			/* Back to x2APIC the valid way, whatever mode it is in. */
			safe_wrmsr(MSR_IA32_APIC_BASE, apic_base & ~0xc00ULL);
			safe_wrmsr(MSR_IA32_APIC_BASE, (apic_base & ~0xc00ULL) | APIC_BASE_EN);
			safe_wrmsr(MSR_IA32_APIC_BASE, apic_base);
			break;
		default:	/* EFER: SCE flips; clearing LME under paging must fail */
			v = rdmsr(MSR_EFER);
			r = safe_wrmsr(MSR_EFER, v ^ EFER_SCE);
			if (rnd() % 4 == 0)
				safe_wrmsr(MSR_EFER, v & ~(1ULL << 8));
			wrmsr(MSR_EFER, v);
			break;
		}
		done[op]++;
		if (r)
			faulted[op]++;
		if ((i + 1) % 5000 == 0)
			printf("fuzz %llu ops\n", (unsigned long long)(i + 1));
	}
	for (i = 0; i < OP_COUNT; i++)
		printf("fuzz %s: %llu, %llu faulted\n", op_names[i],
		       (unsigned long long)done[i], (unsigned long long)faulted[i]);
	puts("fuzz done\n");
	return 0;
}
