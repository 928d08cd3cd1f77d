// SPDX-License-Identifier: GPL-2.0
/*
 * The root VMCS: VMX controls chosen once for all CPUs, and each CPU's
 * guest state taken from what the CPU runs right now, so that VMLAUNCH
 * lets Linux carry on exactly where it was.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/desc.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "../compat.h"
#include "insn.h"
#include "vcpu.h"

struct sv_seg {
	u16 sel;
	u64 base;
	u32 limit;
	u32 ar;
};

#define SV_AR_UNUSABLE		BIT(16)

/* Adjust @want to what @msr allows; report required bits it lacks. */
u32 sv_adjust_ctls(u32 msr, u32 want, u32 required, u32 *missing)
{
	u64 cap;
	u32 ctl;

	cap = sv_rdmsr(msr);
	ctl = (want | (u32)cap) & (u32)(cap >> 32);
	*missing = required & ~ctl;
	return ctl;
}

int sv_vmx_controls_init(struct sv_hv_shared *sh, char *why, size_t len)
{
	u32 pin_msr = MSR_IA32_VMX_PINBASED_CTLS, proc_msr = MSR_IA32_VMX_PROCBASED_CTLS;
	u32 exit_msr = MSR_IA32_VMX_EXIT_CTLS, entry_msr = MSR_IA32_VMX_ENTRY_CTLS;
	u32 want, required, missing;
	unsigned int eax, ebx, ecx, edx;
	u64 basic;

	basic = sv_rdmsr(MSR_IA32_VMX_BASIC);
	if (basic & VMX_BASIC_TRUE_CTLS) {
		pin_msr = MSR_IA32_VMX_TRUE_PINBASED_CTLS;
		proc_msr = MSR_IA32_VMX_TRUE_PROCBASED_CTLS;
		exit_msr = MSR_IA32_VMX_TRUE_EXIT_CTLS;
		entry_msr = MSR_IA32_VMX_TRUE_ENTRY_CTLS;
	}

	required = CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	sh->procbased = sv_adjust_ctls(proc_msr, required, required, &missing);
	if (missing) {
		snprintf(why, len, "primary controls 0x%x unsupported", missing);
		return -EOPNOTSUPP;
	}

	/*
	 * Linux executes RDTSCP, INVPCID and XSAVES when the CPU has them:
	 * without the matching control they would raise #UD in the root.
	 */
	required = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID |
		   SECONDARY_EXEC_UNRESTRICTED_GUEST;
	if (boot_cpu_has(X86_FEATURE_RDTSCP))
		required |= SECONDARY_EXEC_ENABLE_RDTSCP;
	if (boot_cpu_has(X86_FEATURE_INVPCID))
		required |= SECONDARY_EXEC_ENABLE_INVPCID;
	if (boot_cpu_has(X86_FEATURE_XSAVES))
		required |= SECONDARY_EXEC_ENABLE_XSAVES;
	want = required;
	if (boot_cpu_has(X86_FEATURE_WAITPKG))
		want |= SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE;
	sh->procbased2 = sv_adjust_ctls(MSR_IA32_VMX_PROCBASED_CTLS2, want,
					required, &missing);
	if (missing) {
		snprintf(why, len, "secondary controls 0x%x unsupported", missing);
		return -EOPNOTSUPP;
	}

	/*
	 * Interrupts go straight to the root. NMIs exit, so that one coming
	 * while the hypervisor runs can be handed on too (nmi.c).
	 */
	required = PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS;
	sh->pinbased = sv_adjust_ctls(pin_msr, required, required, &missing);
	if (missing ||
	    !((sv_rdmsr(proc_msr) >> 32) & CPU_BASED_NMI_WINDOW_EXITING)) {
		snprintf(why, len, "virtual NMIs or NMI-window exiting unsupported");
		return -EOPNOTSUPP;
	}

	required = VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_PAT |
		   VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER |
		   VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_DEBUG_CONTROLS;
	sh->exit_ctls = sv_adjust_ctls(exit_msr, required, required, &missing);
	if (missing) {
		snprintf(why, len, "VM-exit controls 0x%x unsupported", missing);
		return -EOPNOTSUPP;
	}
	/* Interrupts stay pending in the APIC until the root is back. */
	sh->exit_ctls &= ~VM_EXIT_ACK_INTR_ON_EXIT;

	required = VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_PAT |
		   VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_DEBUG_CONTROLS;
	sh->entry_ctls = sv_adjust_ctls(entry_msr, required, required, &missing);
	if (missing) {
		snprintf(why, len, "VM-entry controls 0x%x unsupported", missing);
		return -EOPNOTSUPP;
	}

	sh->cr0_fixed0 = sv_rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	sh->cr0_fixed1 = sv_rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	sh->cr4_fixed0 = sv_rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	sh->cr4_fixed1 = sv_rdmsr(MSR_IA32_VMX_CR4_FIXED1);

	/*
	 * From the CPU, not from what Linux uses: a VM's CPU is the VM's, and
	 * Linux may have given XSAVE up for itself (it does under Bochs 2.7,
	 * whose XSAVE sizes it finds inconsistent).
	 */
	sh->xcr0_supported = 0;
	sh->cpu_has_xss = false;
	cpuid_count(1, 0, &eax, &ebx, &ecx, &edx);
	if (ecx & SV_CPUID1_XSAVE) {
		cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
		sh->xcr0_supported = eax | ((u64)edx << 32);
		cpuid_count(0xd, 1, &eax, &ebx, &ecx, &edx);
		sh->cpu_has_xss = eax & SV_CPUID_D1_XSAVES;
	}
	sv_guest_controls_init(sh, pin_msr, proc_msr, exit_msr, entry_msr);
	return 0;
}

/* Base of a system segment (TSS, LDT) from its 16-byte GDT descriptor. */
static u64 sv_system_desc_base(const struct desc_ptr *gdt, u16 sel)
{
	const u32 *d = (const u32 *)(gdt->address + (sel & ~7));

	return ((d[0] >> 16) | ((d[1] & 0xff) << 16) | (d[1] & 0xff000000)) |
	       ((u64)d[2] << 32);
}

static void sv_read_seg(struct sv_seg *s, u16 sel)
{
	unsigned long ar = 0, limit = 0;
	bool ok;

	s->sel = sel;
	s->base = 0;
	asm("lar %[sel], %[ar]\n\t"
	    "setz %[ok]"
	    : [ar] "=r" (ar), [ok] "=qm" (ok) : [sel] "r" ((unsigned long)sel) : "cc");
	if (!(sel & ~3) || !ok) {
		s->ar = SV_AR_UNUSABLE;
		s->limit = 0;
		return;
	}
	asm("lsl %[sel], %[limit]" : [limit] "=r" (limit)
	    : [sel] "r" ((unsigned long)sel) : "cc");
	s->ar = (ar >> 8) & 0xf0ff;
	s->limit = limit;
}

static u16 sv_read_sel(int which)
{
	u16 sel = 0;

	switch (which) {
	case 0:
		asm("mov %%cs, %0" : "=r" (sel));
		break;
	case 1:
		asm("mov %%ss, %0" : "=r" (sel));
		break;
	case 2:
		asm("mov %%ds, %0" : "=r" (sel));
		break;
	case 3:
		asm("mov %%es, %0" : "=r" (sel));
		break;
	case 4:
		asm("mov %%fs, %0" : "=r" (sel));
		break;
	case 5:
		asm("mov %%gs, %0" : "=r" (sel));
		break;
	}
	return sel;
}

static int sv_write_seg(unsigned long sel_field, const struct sv_seg *s)
{
	/* Selector, limit, access rights and base fields are 2 apart each. */
	unsigned long limit_field = sel_field - GUEST_ES_SELECTOR + GUEST_ES_LIMIT;
	unsigned long ar_field = sel_field - GUEST_ES_SELECTOR + GUEST_ES_AR_BYTES;
	unsigned long base_field = sel_field - GUEST_ES_SELECTOR + GUEST_ES_BASE;

	return sv_vmwrite(sel_field, s->sel) |
	       sv_vmwrite(limit_field, s->limit) |
	       sv_vmwrite(ar_field, s->ar) |
	       sv_vmwrite(base_field, s->base);
}

static int sv_vmcs_guest_state(void)
{
	static const unsigned long sel_fields[] = {
		GUEST_CS_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR,
		GUEST_ES_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR,
	};
	struct desc_ptr gdt, idt;
	struct sv_seg seg;
	u16 tr, ldtr;
	int i, err = 0;

	for (i = 0; i < ARRAY_SIZE(sel_fields); i++) {
		sv_read_seg(&seg, sv_read_sel(i));
		if (i == 1 && (seg.ar & SV_AR_UNUSABLE))
			seg.ar = SV_AR_UNUSABLE;	/* null SS at CPL 0: DPL 0 */
		if (i == 4)
			seg.base = sv_rdmsr(MSR_FS_BASE);
		if (i == 5)
			seg.base = sv_rdmsr(MSR_GS_BASE);
		err |= sv_write_seg(sel_fields[i], &seg);
	}

	native_store_gdt(&gdt);
	store_idt(&idt);
	asm("str %0" : "=r" (tr));
	asm("sldt %0" : "=r" (ldtr));

	sv_read_seg(&seg, tr);
	seg.base = sv_system_desc_base(&gdt, tr);
	err |= sv_write_seg(GUEST_TR_SELECTOR, &seg);

	sv_read_seg(&seg, ldtr);
	if (!(seg.ar & SV_AR_UNUSABLE))
		seg.base = sv_system_desc_base(&gdt, ldtr);
	err |= sv_write_seg(GUEST_LDTR_SELECTOR, &seg);

	err |= sv_vmwrite(GUEST_GDTR_BASE, gdt.address);
	err |= sv_vmwrite(GUEST_GDTR_LIMIT, gdt.size);
	err |= sv_vmwrite(GUEST_IDTR_BASE, idt.address);
	err |= sv_vmwrite(GUEST_IDTR_LIMIT, idt.size);

	err |= sv_vmwrite(GUEST_CR0, read_cr0());
	err |= sv_vmwrite(GUEST_CR3, __read_cr3());
	err |= sv_vmwrite(GUEST_CR4, __read_cr4());
	err |= sv_vmwrite(GUEST_DR7, native_get_debugreg(7));
	err |= sv_vmwrite(GUEST_RFLAGS, native_save_fl());
	err |= sv_vmwrite(GUEST_IA32_DEBUGCTL, sv_rdmsr(MSR_IA32_DEBUGCTLMSR));
	err |= sv_vmwrite(GUEST_IA32_PAT, sv_rdmsr(MSR_IA32_CR_PAT));
	err |= sv_vmwrite(GUEST_IA32_EFER, sv_rdmsr(MSR_EFER));
	err |= sv_vmwrite(GUEST_SYSENTER_CS, sv_rdmsr(MSR_IA32_SYSENTER_CS));
	err |= sv_vmwrite(GUEST_SYSENTER_ESP, sv_rdmsr(MSR_IA32_SYSENTER_ESP));
	err |= sv_vmwrite(GUEST_SYSENTER_EIP, sv_rdmsr(MSR_IA32_SYSENTER_EIP));
	err |= sv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	err |= sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	err |= sv_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	err |= sv_vmwrite(VMCS_LINK_POINTER, ~0ULL);
	return err;
}

int sv_vmcs_host_state(struct sv_vcpu *v)
{
	struct desc_ptr gdt;
	u16 tr;
	int err = 0;

	native_store_gdt(&gdt);
	asm("str %0" : "=r" (tr));

	err |= sv_vmwrite(HOST_CR0, read_cr0());
	err |= sv_vmwrite(HOST_CR3, sv_shared.host_cr3);
	err |= sv_vmwrite(HOST_CR4, __read_cr4());
	err |= sv_vmwrite(HOST_CS_SELECTOR, __KERNEL_CS);
	err |= sv_vmwrite(HOST_SS_SELECTOR, __KERNEL_DS);
	err |= sv_vmwrite(HOST_DS_SELECTOR, 0);
	err |= sv_vmwrite(HOST_ES_SELECTOR, 0);
	err |= sv_vmwrite(HOST_FS_SELECTOR, 0);
	err |= sv_vmwrite(HOST_GS_SELECTOR, 0);
	err |= sv_vmwrite(HOST_TR_SELECTOR, tr);
	err |= sv_vmwrite(HOST_FS_BASE, 0);
	/* Linux's per-CPU base: the handler uses this_cpu accessors. */
	err |= sv_vmwrite(HOST_GS_BASE, sv_rdmsr(MSR_GS_BASE));
	err |= sv_vmwrite(HOST_TR_BASE, sv_system_desc_base(&gdt, tr));
	err |= sv_vmwrite(HOST_GDTR_BASE, gdt.address);
	err |= sv_vmwrite(HOST_IDTR_BASE, sv_shared.host_idt);
	err |= sv_vmwrite(HOST_IA32_SYSENTER_CS, sv_rdmsr(MSR_IA32_SYSENTER_CS));
	err |= sv_vmwrite(HOST_IA32_SYSENTER_ESP, sv_rdmsr(MSR_IA32_SYSENTER_ESP));
	err |= sv_vmwrite(HOST_IA32_SYSENTER_EIP, sv_rdmsr(MSR_IA32_SYSENTER_EIP));
	err |= sv_vmwrite(HOST_IA32_PAT, sv_rdmsr(MSR_IA32_CR_PAT));
	err |= sv_vmwrite(HOST_IA32_EFER, sv_rdmsr(MSR_EFER));
	err |= sv_vmwrite(HOST_RSP, (unsigned long)v->stack + SV_HOST_RSP_OFFSET);
	err |= sv_vmwrite(HOST_RIP, (unsigned long)sv_vmx_exit_entry);
	return err;
}

/*
 * The execution, exit and entry controls and what goes with them, for the
 * root's VMCS and a VM's alike: no exceptions, CR3 targets or MSR lists.
 */
int sv_vmcs_write_controls(const struct sv_vmcs_controls *c)
{
	int err = 0;

	err |= sv_vmwrite(PIN_BASED_VM_EXEC_CONTROL, c->pinbased);
	err |= sv_vmwrite(CPU_BASED_VM_EXEC_CONTROL, c->procbased);
	err |= sv_vmwrite(SECONDARY_VM_EXEC_CONTROL, c->procbased2);
	err |= sv_vmwrite(VM_EXIT_CONTROLS, c->exit_ctls);
	err |= sv_vmwrite(VM_ENTRY_CONTROLS, c->entry_ctls);
	err |= sv_vmwrite(EXCEPTION_BITMAP, c->exception_bitmap);
	err |= sv_vmwrite(PAGE_FAULT_ERROR_CODE_MASK, 0);
	err |= sv_vmwrite(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	err |= sv_vmwrite(CR3_TARGET_COUNT, 0);
	err |= sv_vmwrite(VM_EXIT_MSR_STORE_COUNT, 0);
	err |= sv_vmwrite(VM_EXIT_MSR_LOAD_COUNT, 0);
	err |= sv_vmwrite(VM_ENTRY_MSR_LOAD_COUNT, 0);
	err |= sv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	err |= sv_vmwrite(VIRTUAL_PROCESSOR_ID, c->vpid);
	err |= sv_vmwrite(MSR_BITMAP, c->msr_bitmap_pa);
	err |= sv_vmwrite(EPT_POINTER, c->eptp);
	if (c->procbased2 & SECONDARY_EXEC_ENABLE_XSAVES)
		err |= sv_vmwrite(XSS_EXIT_BITMAP, 0);
	return err;
}

static int sv_vmcs_controls(void)
{
	const struct sv_hv_shared *sh = &sv_shared;
	u64 pe_pg = X86_CR0_PE | X86_CR0_PG;
	u64 cr0_mask, cr4_mask;
	int err = 0;

	/*
	 * The root may change any CR0/CR4 bit VMX lets float; the others (NE,
	 * VMXE, reserved bits) exit, so it can never take VMX away from the
	 * hypervisor and sees what it wrote through the read shadows.
	 */
	cr0_mask = ((sh->cr0_fixed0 & ~pe_pg) | ~sh->cr0_fixed1) & 0xffffffffULL;
	cr4_mask = (sh->cr4_fixed0 | ~sh->cr4_fixed1) & 0xffffffffULL;

	err |= sv_vmcs_write_controls(&(struct sv_vmcs_controls) {
		.pinbased = sh->pinbased, .procbased = sh->procbased,
		.procbased2 = sh->procbased2, .exit_ctls = sh->exit_ctls,
		.entry_ctls = sh->entry_ctls, .vpid = SV_ROOT_VPID,
		.msr_bitmap_pa = sh->msr_bitmap_pa, .eptp = sh->eptp });
	err |= sv_vmwrite(CR0_GUEST_HOST_MASK, cr0_mask);
	err |= sv_vmwrite(CR4_GUEST_HOST_MASK, cr4_mask);
	err |= sv_vmwrite(CR0_READ_SHADOW, read_cr0());
	err |= sv_vmwrite(CR4_READ_SHADOW, __read_cr4());
	return err;
}

int sv_vmcs_setup(struct sv_vcpu *v)
{
	v->procbased = sv_shared.procbased;
	v->nmi_owed = false;
	*sv_nmi_arrived_flag(v) = 0;
	if (sv_vmcs_controls() || sv_vmcs_host_state(v) || sv_vmcs_guest_state())
		return -EIO;
	return 0;
}
