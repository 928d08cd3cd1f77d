// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU MSRs a VM owns: SYSENTER's, SYSCALL's, KERNEL_GS_BASE and
 * TSC_AUX read 0 at the start (never the root's syscall entry or CPU
 * number), take what the guest writes and refuse non-canonical addresses
 * as hardware does; SYSCALL reaches the guest's own handler, RDTSCP returns
 * its TSC_AUX; a write of IA32_TSC moves the TSC RDTSC reads; IA32_XSS
 * takes 0 only (CPUID offers no supervisor states).
 * Status 0 when all of that holds, 1 if not; every check prints a line.
 */
#include "guest.h"

#define SEL_CODE64	0x08

static bool ok = true;
static volatile u64 syscall_seen;

static void check(bool cond, const char *what)
{
	printf("%s: %s\n", what, cond ? "ok" : "BAD");
	if (!cond)
		ok = false;
}

/* SYSCALL from ring 0 lands here: note it, go back with the saved RFLAGS. */
asm(".text\n"
    "syscall_entry:\n"
    "	movq $1, syscall_seen(%rip)\n"
    "	push %r11\n"
    "	popfq\n"
    "	jmp *%rcx\n");
extern const char syscall_entry[];

static const struct {
	const char *name;
	u32 msr;
	u64 val;
} owned[] = {
	{ "sysenter_cs", MSR_IA32_SYSENTER_CS, 0x10 },
	{ "sysenter_esp", MSR_IA32_SYSENTER_ESP, 0xffff800000123000ULL },
	{ "sysenter_eip", MSR_IA32_SYSENTER_EIP, 0xffff800000456000ULL },
	{ "star", MSR_STAR, 0x0023001000000000ULL },
	{ "lstar", MSR_LSTAR, 0xffff800000789000ULL },
	{ "cstar", MSR_CSTAR, 0x00007fff00001000ULL },
	{ "fmask", MSR_SYSCALL_MASK, 0x47700 },
	{ "kernel_gs_base", MSR_KERNEL_GS_BASE, 0xffff8000000ab000ULL },
	{ "tsc_aux", MSR_TSC_AUX, 0x5a5a },
};

int guest_main(void)
{
	u64 v, t, set = 1ULL << 40;
	unsigned int i;
	u32 aux, a, b, c, d;
	int r;

	for (i = 0; i < ARRAY_SIZE(owned); i++) {
		r = safe_rdmsr(owned[i].msr, &v);
		printf("%s at start: %s0x%llx\n", owned[i].name,
		       r ? "#GP " : "", (unsigned long long)v);
		if (r || v)
			ok = false;
	}
	for (i = 0; i < ARRAY_SIZE(owned); i++) {
		r = safe_wrmsr(owned[i].msr, owned[i].val);
		if (!r)
			r = safe_rdmsr(owned[i].msr, &v);
		printf("%s wrote 0x%llx read %s0x%llx\n", owned[i].name,
		       (unsigned long long)owned[i].val, r ? "#GP " : "",
		       (unsigned long long)v);
		if (r || v != owned[i].val)
			ok = false;
	}
	check(SAFE_VECTOR(safe_wrmsr(MSR_LSTAR, 0x0000800000000000ULL)) == X86_GP,
	      "lstar non-canonical #GP");
	check(SAFE_VECTOR(safe_wrmsr(MSR_KERNEL_GS_BASE, 0x8000000000000000ULL)) ==
	      X86_GP, "kernel_gs_base non-canonical #GP");
	check(SAFE_VECTOR(safe_wrmsr(MSR_TSC_AUX, 1ULL << 32)) == X86_GP,
	      "tsc_aux reserved bits #GP");

	asm volatile("rdtscp" : "=a"(a), "=d"(d), "=c"(aux));
	check(aux == 0x5a5a, "rdtscp returns the guest's tsc_aux");

	/* SYSCALL with the guest's own STAR/LSTAR/FMASK. */
	wrmsr(MSR_STAR, (u64)SEL_CODE64 << 32);
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_SYSCALL_MASK, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	asm volatile("syscall" ::: "rcx", "r11", "memory");
	check(syscall_seen == 1, "syscall reached the guest's own entry");

	r = safe_wrmsr(MSR_IA32_TSC, set);
	t = rdtsc();
	printf("tsc after writing 0x%llx: %s0x%llx\n", (unsigned long long)set,
	       r ? "#GP " : "", (unsigned long long)t);
	check(!r && t >= set && t - set < (1ULL << 36), "tsc write moves rdtsc");
	r = safe_rdmsr(MSR_IA32_TSC, &v);
	check(!r && v >= t && v - t < (1ULL << 36), "tsc msr read follows");

	cpuid(0xd, 1, &a, &b, &c, &d);
	printf("cpuid 0xd.1 xss bits 0x%x%08x\n", d, c);
	check(!c && !d, "no supervisor xsave states offered");
	if (a & (1U << 3)) {		/* XSAVES: IA32_XSS exists */
		r = safe_rdmsr(MSR_IA32_XSS, &v);
		check(!r && v == 0, "xss reads 0");
		check(!safe_wrmsr(MSR_IA32_XSS, 0), "xss takes 0");
		check(SAFE_VECTOR(safe_wrmsr(MSR_IA32_XSS, 1ULL << 8)) == X86_GP,
		      "xss refuses a supervisor state");
	} else {
		check(SAFE_VECTOR(safe_rdmsr(MSR_IA32_XSS, &v)) == X86_GP,
		      "no xsaves: xss #GP");
	}
	puts(ok ? "msrs ok\n" : "msrs BAD\n");
	return ok ? 0 : 1;
}
