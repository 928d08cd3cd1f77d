// SPDX-License-Identifier: GPL-2.0
/*
 * The VMCS of a CPU given to a VM: controls under which everything the
 * guest could use to reach beyond its VM exits (I/O, MSRs, memory outside
 * its EPT, VMX, interrupts and NMIs aimed at the physical CPU), and the
 * architectural states the guest is started in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "../compat.h"
#include "../vm/guest.h"
#include "insn.h"
#include "vcpu.h"

#define SV_VMX_MISC_ACTIVITY_HLT	BIT_ULL(6)
#define SV_AR_CODE32		0xc09b	/* present, DPL 0, code r/x accessed, D, G */
#define SV_AR_DATA32		0xc093	/* present, DPL 0, data r/w accessed, B, G */
#define SV_AR_TSS32_BUSY	0x008b
#define SV_AR_LDT		0x0082
#define SV_AR_UNUSABLE		BIT(16)
#define SV_PAT_POWER_ON		0x0007040600070406ULL
#define SV_DR7_INIT		0x400

void sv_guest_controls_init(struct sv_hv_shared *sh, u32 pin_msr,
			    u32 proc_msr, u32 exit_msr, u32 entry_msr)
{
	u32 want, missing, all = 0;

	sh->no_vms_why = NULL;
	want = PIN_BASED_NMI_EXITING | PIN_BASED_EXT_INTR_MASK |
	       PIN_BASED_VMX_PREEMPTION_TIMER;
	sh->g_pinbased = sv_adjust_ctls(pin_msr, want, want, &missing) &
			 ~PIN_BASED_VMX_PREEMPTION_TIMER;
	all |= missing;
	/*
	 * Beyond I/O and MSRs, what reaches state the root shares or the VM
	 * does not own: CR8 (the physical TPR) and MONITOR/MWAIT (physical
	 * C-states). TSC offsetting backs guest writes of IA32_TSC.
	 */
	want = CPU_BASED_UNCOND_IO_EXITING | CPU_BASED_USE_MSR_BITMAPS |
	       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | CPU_BASED_RDPMC_EXITING |
	       CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING |
	       CPU_BASED_MONITOR_EXITING | CPU_BASED_MWAIT_EXITING |
	       CPU_BASED_USE_TSC_OFFSETTING;
	sh->g_procbased = sv_adjust_ctls(proc_msr, want, want, &missing);
	/* CR3 accesses, INVLPG and HLT are the guest's own business. */
	sh->g_procbased &= ~(CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING |
			     CPU_BASED_INVLPG_EXITING | CPU_BASED_HLT_EXITING);
	all |= missing;
	/*
	 * What the CPU offers, not what the root uses: RDTSCP, INVPCID and
	 * XSAVES as CPUID shows them to the guest, WBINVD exiting where the
	 * CPU has it.
	 */
	want = SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID |
	       SECONDARY_EXEC_UNRESTRICTED_GUEST;
	sh->g_procbased2 = sv_adjust_ctls(MSR_IA32_VMX_PROCBASED_CTLS2,
					  want | SECONDARY_EXEC_ENABLE_RDTSCP |
					  SECONDARY_EXEC_ENABLE_INVPCID |
					  SECONDARY_EXEC_ENABLE_XSAVES |
					  SECONDARY_EXEC_WBINVD_EXITING, want, &missing);
	all |= missing;
	sh->vm_xsaves = sh->cpu_has_xss &&
			(sh->g_procbased2 & SECONDARY_EXEC_ENABLE_XSAVES);
	want = VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_ACK_INTR_ON_EXIT |
	       VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT |
	       VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER |
	       VM_EXIT_SAVE_DEBUG_CONTROLS;
	sh->g_exit_ctls = sv_adjust_ctls(exit_msr, want, want, &missing);
	all |= missing;
	want = VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_IA32_EFER |
	       VM_ENTRY_LOAD_DEBUG_CONTROLS;
	sh->g_entry_ctls = sv_adjust_ctls(entry_msr, want, want, &missing) &
			   ~VM_ENTRY_IA32E_MODE;
	all |= missing;
	if (all)
		sh->no_vms_why =
			"the CPU lacks VM controls: I/O, interrupt, CR8, MWAIT exiting or timer";
	else if (!(sv_rdmsr(MSR_IA32_VMX_MISC) & SV_VMX_MISC_ACTIVITY_HLT))
		sh->no_vms_why = "the CPU cannot enter a VM in the HLT activity state";
	if (!sh->no_vms_why)
		sv_cpu_hygiene_init();
}

static void sv_gseg(unsigned long sel_field, u16 sel, u64 base, u32 limit, u32 ar)
{
	unsigned long off = sel_field - GUEST_ES_SELECTOR;

	sv_vmwrite(sel_field, sel);
	sv_vmwrite(GUEST_ES_BASE + off, base);
	sv_vmwrite(GUEST_ES_LIMIT + off, limit);
	sv_vmwrite(GUEST_ES_AR_BYTES + off, ar);
}

/* Registers every start state shares: no events, no debug, power-on MSRs. */
static void sv_gvmcs_reset_common(struct sv_gcpu *g)
{
	sv_vmwrite(GUEST_CR3, 0);
	sv_vmwrite(GUEST_CR4, sv_shared.cr4_fixed0 | SV_GUEST_CR4_HOST_OWNED);
	sv_vmwrite(CR4_READ_SHADOW, 0);
	sv_vmwrite(GUEST_IA32_EFER, 0);
	sv_vmwrite(VM_ENTRY_CONTROLS, sv_shared.g_entry_ctls);
	sv_vmwrite(GUEST_IA32_PAT, SV_PAT_POWER_ON);
	sv_vmwrite(GUEST_DR7, SV_DR7_INIT);
	sv_vmwrite(GUEST_IA32_DEBUGCTL, 0);
	sv_vmwrite(GUEST_SYSENTER_CS, 0);
	sv_vmwrite(GUEST_SYSENTER_ESP, 0);
	sv_vmwrite(GUEST_SYSENTER_EIP, 0);
	sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	sv_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	sv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, 0);
	sv_vmwrite(GUEST_LDTR_SELECTOR, 0);
	sv_vmwrite(GUEST_LDTR_AR_BYTES, SV_AR_UNUSABLE);
	sv_vmwrite(GUEST_GDTR_BASE, 0);
	sv_vmwrite(GUEST_GDTR_LIMIT, 0);
	sv_vmwrite(GUEST_IDTR_BASE, 0);
	sv_vmwrite(GUEST_IDTR_LIMIT, 0);
	g->apic_svr = 0xff;
	g->apic_tpr = 0;
}

/* 32-bit protected mode, flat, paging off: the Multiboot machine state. */
static void sv_gvmcs_flat32(struct sv_gcpu *g, u64 cr0)
{
	sv_gvmcs_reset_common(g);
	sv_vmwrite(GUEST_CR0, cr0 | (sv_shared.cr0_fixed0 & ~(u64)X86_CR0_PG));
	sv_vmwrite(CR0_READ_SHADOW, cr0);
	sv_gseg(GUEST_CS_SELECTOR, 0x08, 0, 0xffffffff, SV_AR_CODE32);
	sv_gseg(GUEST_SS_SELECTOR, 0x10, 0, 0xffffffff, SV_AR_DATA32);
	sv_gseg(GUEST_DS_SELECTOR, 0x10, 0, 0xffffffff, SV_AR_DATA32);
	sv_gseg(GUEST_ES_SELECTOR, 0x10, 0, 0xffffffff, SV_AR_DATA32);
	sv_gseg(GUEST_FS_SELECTOR, 0x10, 0, 0xffffffff, SV_AR_DATA32);
	sv_gseg(GUEST_GS_SELECTOR, 0x10, 0, 0xffffffff, SV_AR_DATA32);
	sv_gseg(GUEST_TR_SELECTOR, 0, 0, 0xffff, SV_AR_TSS32_BUSY);
	sv_vmwrite(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	sv_vmwrite(GUEST_RSP, 0);
}

/*
 * Parked: halted with interrupts off. Only NMIs and interrupts could end
 * the HLT state, and both exit to the hypervisor, so the guest never runs
 * again until the root starts it afresh.
 */
void sv_gvmcs_park(struct sv_gcpu *g)
{
	sv_gvmcs_flat32(g, X86_CR0_PE | X86_CR0_ET);
	sv_vmwrite(GUEST_RIP, 0);
	sv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_HLT);
}

void sv_gvmcs_multiboot_entry(struct sv_gcpu *g, u32 entry, u32 info)
{
	sv_gvmcs_flat32(g, X86_CR0_PE | X86_CR0_ET);
	sv_vmwrite(GUEST_RIP, entry);
	sv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/* A VM's power-on: its TSC counts as the machine's until it writes it. */
void sv_gvmcs_power_on(struct sv_gcpu *g)
{
	sv_vmwrite(TSC_OFFSET, 0);
}

/* What a SIPI leaves: real mode at vector << 12 (unrestricted guest). */
void sv_gvmcs_real_mode_start(struct sv_gcpu *g, u8 vector)
{
	u64 cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;

	sv_gvmcs_reset_common(g);
	sv_vmwrite(GUEST_CR0, cr0 | (sv_shared.cr0_fixed0 &
				     ~(u64)(X86_CR0_PE | X86_CR0_PG)));
	sv_vmwrite(CR0_READ_SHADOW, cr0);
	sv_gseg(GUEST_CS_SELECTOR, vector << 8, (u64)vector << 12, 0xffff, 0x9b);
	sv_gseg(GUEST_SS_SELECTOR, 0, 0, 0xffff, 0x93);
	sv_gseg(GUEST_DS_SELECTOR, 0, 0, 0xffff, 0x93);
	sv_gseg(GUEST_ES_SELECTOR, 0, 0, 0xffff, 0x93);
	sv_gseg(GUEST_FS_SELECTOR, 0, 0, 0xffff, 0x93);
	sv_gseg(GUEST_GS_SELECTOR, 0, 0, 0xffff, 0x93);
	sv_gseg(GUEST_TR_SELECTOR, 0, 0, 0xffff, SV_AR_TSS32_BUSY);
	sv_vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	sv_vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	sv_vmwrite(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	sv_vmwrite(GUEST_RSP, 0);
	sv_vmwrite(GUEST_RIP, 0);
	sv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/* The whole VMCS of @g, current on this CPU, with the guest parked. */
int sv_gvmcs_setup(struct sv_vcpu *v, struct sv_gcpu *g)
{
	const struct sv_hv_shared *sh = &sv_shared;
	u64 pe_pg = X86_CR0_PE | X86_CR0_PG;
	int err = 0;

	g->pinbased = sh->g_pinbased;
	err |= sv_vmcs_write_controls(&(struct sv_vmcs_controls) {
		.pinbased = sh->g_pinbased, .procbased = sh->g_procbased,
		.procbased2 = sh->g_procbased2, .exit_ctls = sh->g_exit_ctls,
		.entry_ctls = sh->g_entry_ctls, .vpid = g->vpid,
		.exception_bitmap = BIT(X86_TRAP_MC),
		.msr_bitmap_pa = g->vm->msr_bitmap_pa, .eptp = g->vm->eptp });
	err |= sv_vmwrite(CR0_GUEST_HOST_MASK,
			  ((sh->cr0_fixed0 & ~pe_pg) | ~sh->cr0_fixed1) & 0xffffffffULL);
	err |= sv_vmwrite(CR4_GUEST_HOST_MASK,
			  (sh->cr4_fixed0 | ~sh->cr4_fixed1 | SV_GUEST_CR4_HOST_OWNED) &
			  0xffffffffULL);
	err |= sv_vmwrite(TSC_OFFSET, 0);
	err |= sv_vmwrite(VMX_PREEMPTION_TIMER_VALUE, 0);
	err |= sv_vmwrite(VMCS_LINK_POINTER, ~0ULL);
	err |= sv_vmcs_host_state(v);
	/* The hypervisor loads the guest's XCR0 on this CPU (guest_cpu.c). */
	if (sh->xcr0_supported)
		err |= sv_vmwrite(HOST_CR4, sv_vmread(HOST_CR4) | X86_CR4_OSXSAVE);
	if (err)
		return -EIO;
	sv_gvmcs_park(g);
	return 0;
}
