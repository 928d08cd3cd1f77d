// SPDX-License-Identifier: GPL-2.0
/*
 * What a VM owns of its physical CPU beyond the VMCS: the XSAVE-managed
 * registers (x87, SSE, AVX and every other component), XCR0, CR2, DR0-3
 * and DR6, and the MSRs a guest reaches without an exit (the SYSCALL MSRs,
 * KERNEL_GS_BASE, TSC_AUX) or through XSAVES (IA32_XSS) or AMX (IA32_XFD).
 *
 * A VM's CPU is never shared in time, so none of this is switched per
 * exit: it is the root's until the CPU is taken, the VM's from its start.
 * Each start sets it to the power-on state, so a guest never sees what
 * the root or an earlier guest left; giving the CPU back scrubs the
 * registers and puts the root's MSRs back. Branch predictions are barred
 * (IBPB) across both hand-overs, as between two processes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/fpu/xcr.h>
#include <asm/msr-index.h>
#include <asm/special_insns.h>

#include "../compat.h"
#include "vcpu.h"

#define SV_DR6_INIT		0xffff0ff0UL
#define SV_MXCSR_INIT		0x1f80

/*
 * An XSAVE area in standard form whose header marks every component as in
 * its initial state: XRSTOR of it initializes whatever XCR0 enables. Sized
 * for every component a CPU may have (AMX's tiles included); only the
 * legacy area and the header are read.
 */
static const struct {
	u8 legacy[24];
	u32 mxcsr;
	u8 legacy_rest[512 - 28];
	u64 xstate_bv, xcomp_bv;
	u8 header_rest[48];
	u8 components[SZ_16K - 576];
} sv_xstate_init __aligned(64) = { .mxcsr = SV_MXCSR_INIT };

/* XSETBV and XRSTOR need CR4.OSXSAVE, which the root may not have set. */
static void sv_cpu_osxsave_on(void)
{
	unsigned long cr4 = native_read_cr4();

	if (!(cr4 & X86_CR4_OSXSAVE))
		asm volatile("mov %0, %%cr4" :: "r" (cr4 | X86_CR4_OSXSAVE) : "memory");
}

/* Run @insn with these inputs; true unless it faulted (then skipped). */
#define sv_insn_ok(insn, ...) ({					\
	int __err = 1;							\
									\
	asm volatile("1: " insn "\n"					\
		     "	xor %k[err], %k[err]\n"			\
		     "2:\n"						\
		     _ASM_EXTABLE(1b, 2b)				\
		     : [err] "+r" (__err) : __VA_ARGS__ : "memory");	\
	!__err;								\
})

static bool sv_xrstor_init(u64 rfbm)
{
	return sv_insn_ok("xrstor64 %[area]", [area] "m" (sv_xstate_init),
			  "a" ((u32)rfbm), "d" ((u32)(rfbm >> 32)));
}

/* FXRSTOR of this gives the x87 and SSE registers their FNINIT/reset values. */
static const struct {
	u16 fcw;
	u8 legacy[22];
	u32 mxcsr;
	u8 rest[512 - 28];
} sv_fxstate_init __aligned(16) = { .fcw = 0x37f, .mxcsr = SV_MXCSR_INIT };

/*
 * Every XSAVE component the CPU has to its initial state, XCR0 then set to
 * @xcr0. Without XSAVE, x87 and SSE are all there is.
 */
static void sv_cpu_regs_init(u64 xcr0)
{
	u64 all = sv_shared.xcr0_supported;
	bool done = false;

	if (all) {
		sv_cpu_osxsave_on();
		done = sv_cpu_xsetbv(all) && sv_xrstor_init(all);
	}
	if (!done)
		asm volatile("fninit\n\tfxrstor64 %0" :: "m" (sv_fxstate_init)
			     : "memory");
	if (all)
		sv_cpu_xsetbv(xcr0);
}

static void sv_cpu_debug_init(void)
{
	native_write_cr2(0);
	native_set_debugreg(0, 0);
	native_set_debugreg(1, 0);
	native_set_debugreg(2, 0);
	native_set_debugreg(3, 0);
	native_set_debugreg(6, SV_DR6_INIT);
}

static void sv_cpu_ibpb(void)
{
	if (boot_cpu_has(X86_FEATURE_IBPB))
		sv_wrmsr(MSR_IA32_PRED_CMD, PRED_CMD_IBPB);
}

enum sv_l1d_flush { SV_L1D_NONE, SV_L1D_MSR, SV_L1D_SOFTWARE };

static enum sv_l1d_flush sv_l1d_flush_on_entry;
static bool sv_verw_on_entry;
/* Read whole, it evicts whatever L1D held (twice its largest size). */
static u8 sv_l1d_flush_buf[SZ_64K] __aligned(PAGE_SIZE);

/*
 * Which flushes a VM entry needs, from the bugs Linux found in the CPU
 * (the same as in /sys/devices/system/cpu/vulnerabilities): L1TF wants
 * L1D flushed (by the flush MSR, which clears the CPU buffers too, or by
 * reading a buffer twice L1D's size where the CPU lacks it); MDS, TAA and
 * MMIO stale data want VERW. Said in the kernel log once, at enable.
 */
void sv_cpu_hygiene_init(void)
{
	static const char * const l1d[] = {
		[SV_L1D_NONE] = "off", [SV_L1D_MSR] = "on",
		[SV_L1D_SOFTWARE] = "on (software: no flush MSR)",
	};

	sv_l1d_flush_on_entry = !boot_cpu_has_bug(X86_BUG_L1TF) ? SV_L1D_NONE :
				boot_cpu_has(X86_FEATURE_FLUSH_L1D) ? SV_L1D_MSR :
				SV_L1D_SOFTWARE;
	sv_verw_on_entry = sv_l1d_flush_on_entry != SV_L1D_MSR &&
			   (boot_cpu_has_bug(X86_BUG_MDS) || boot_cpu_has_bug(X86_BUG_TAA) ||
			    boot_cpu_has_bug(X86_BUG_MMIO_STALE_DATA)) &&
			   boot_cpu_has(X86_FEATURE_MD_CLEAR);
	pr_info("VM CPU hygiene: IBPB on hand-over %s, RSB refill on exit %s, L1D flush on entry %s, VERW on entry %s\n",
		boot_cpu_has(X86_FEATURE_IBPB) ? "on" : "off (no IBPB)",
		boot_cpu_has(X86_FEATURE_RSB_VMEXIT) ? "on" :
		boot_cpu_has(X86_FEATURE_RSB_VMEXIT_LITE) ? "on (one entry)" : "off (not needed)",
		l1d[sv_l1d_flush_on_entry], sv_verw_on_entry ? "on" : "off");
}

static void sv_l1d_flush_software(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(sv_l1d_flush_buf); i += L1_CACHE_BYTES)
		READ_ONCE(sv_l1d_flush_buf[i]);
}

/* Last thing before the guest runs: nothing of the hypervisor's to sample. */
void sv_cpu_before_entry(void)
{
	static const u16 ds = __KERNEL_DS;

	if (sv_l1d_flush_on_entry == SV_L1D_MSR)
		sv_wrmsr(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
	else if (sv_l1d_flush_on_entry == SV_L1D_SOFTWARE)
		sv_l1d_flush_software();
	if (sv_verw_on_entry)
		asm volatile("verw %0" :: "m" (ds) : "cc");
}

/* The MSRs of this file, in the order of struct sv_cpu_msrs. */
static const u32 sv_owned_msrs[SV_CPU_OWNED_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
	MSR_TSC_AUX, MSR_IA32_XSS, MSR_IA32_XFD,
};

/* Whether this CPU has @msr at all: the last three come with features. */
static bool sv_owned_msr_exists(u32 msr)
{
	switch (msr) {
	case MSR_TSC_AUX:
		return boot_cpu_has(X86_FEATURE_RDTSCP) || boot_cpu_has(X86_FEATURE_RDPID);
	case MSR_IA32_XSS:
		return sv_shared.cpu_has_xss;
	case MSR_IA32_XFD:
		return boot_cpu_has(X86_FEATURE_XFD);
	default:
		return true;
	}
}

/* Load @val[i] (or 0 with @val NULL) into each owned MSR the CPU has. */
static void sv_owned_msrs_load(const u64 *val)
{
	unsigned int i;

	for (i = 0; i < SV_CPU_OWNED_MSRS; i++)
		if (sv_owned_msr_exists(sv_owned_msrs[i]))
			sv_wrmsr(sv_owned_msrs[i], val ? val[i] : 0);
}

/* The root's values, kept while the CPU is a VM's. */
void sv_cpu_state_take(struct sv_cpu_msrs *root)
{
	unsigned int i;

	for (i = 0; i < SV_CPU_OWNED_MSRS; i++)
		if (sv_owned_msr_exists(sv_owned_msrs[i]))
			root->msr[i] = sv_rdmsr(sv_owned_msrs[i]);
	root->xcr0 = sv_shared.xcr0_supported && (native_read_cr4() & X86_CR4_OSXSAVE) ?
		     xgetbv(XCR_XFEATURE_ENABLED_MASK) : XFEATURE_MASK_FP;
}

/* Power-on values of all of it, before a VM's first instruction. */
void sv_cpu_state_power_on(void)
{
	sv_cpu_ibpb();
	sv_owned_msrs_load(NULL);
	sv_cpu_regs_init(XFEATURE_MASK_FP);
	sv_cpu_debug_init();
}

/* INIT keeps MSRs and the XSAVE registers (SDM table 10-1), not these. */
void sv_cpu_state_init_signal(void)
{
	sv_cpu_debug_init();
}

/* Nothing of the VM's stays in the registers; the root's MSRs come back. */
void sv_cpu_state_give_back(const struct sv_cpu_msrs *root)
{
	sv_cpu_regs_init(root->xcr0);
	sv_cpu_debug_init();
	sv_owned_msrs_load(root->msr);
	sv_cpu_ibpb();
}

/* A guest's XCR0, already checked by sv_xcr0_valid(); false if it faulted. */
bool sv_cpu_xsetbv(u64 xcr0)
{
	return sv_insn_ok("xsetbv", "c" (XCR_XFEATURE_ENABLED_MASK),
			  "a" ((u32)xcr0), "d" ((u32)(xcr0 >> 32)));
}

/* A guest's WRMSR of IA32_XSS: VMs get no supervisor states (CPUID says so). */
bool sv_cpu_xss_write_ok(u64 val)
{
	return sv_shared.vm_xsaves && val == 0;
}

bool sv_cpu_xss_read_ok(void)
{
	return sv_shared.vm_xsaves;
}
