// SPDX-License-Identifier: GPL-2.0
/*
 * VM exits of the root. The root is Linux itself, so everything it may
 * safely do passes through without an exit; what does exit is either
 * architecturally unconditional (CPUID, XSETBV, INVD, GETSEC, the VMX
 * instructions, INIT/SIPI), guarded (the CR0/CR4 bits VMX needs, VMX
 * MSRs, hypervisor memory) or an NMI on its way to the root (nmi.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq_work.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/xstate.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "../compat.h"
#include "../ept/ept.h"
#include "insn.h"
#include "trace.h"
#include "vcpu.h"

#define SV_CPUID_VMX		BIT(5)		/* CPUID.1:ECX */
#define SV_CPUID_HYPERVISOR	BIT(31)		/* CPUID.1:ECX */
#define SV_DR7_INIT		0x400		/* DR7 after INIT */
#define SV_MSR_VMX_FIRST	0x480		/* IA32_VMX_BASIC */
#define SV_MSR_VMX_LAST		0x493		/* IA32_VMX_EXIT_CTLS2 */
#define SV_FEAT_CTL_VMX		(FEAT_CTL_VMX_ENABLED_INSIDE_SMX | \
				 FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)

/*
 * Inject a hardware exception as the CPU would deliver it in the guest's
 * current mode. With unrestricted guest, CR0.PE may be 0 (real mode, where
 * every AP starts after SIPI): exceptions push no error code there, and
 * VM entry fails on an injection that asks for one (SDM 26.2.1.3). Faults
 * (#UD, #GP here) are delivered with RFLAGS.RF set, as hardware does, so
 * that a guest's IRET back to the instruction skips its breakpoints once.
 */
void sv_inject(u32 vector, bool has_error, u32 error)
{
	u32 info = vector | INTR_TYPE_HARD_EXCEPTION | INTR_INFO_VALID_MASK;

	if (has_error && (sv_vmread(GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		sv_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	if (vector == X86_TRAP_UD || vector == X86_TRAP_GP)
		sv_vmwrite(GUEST_RFLAGS, sv_vmread(GUEST_RFLAGS) | X86_EFLAGS_RF);
	sv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, info);
}

static void sv_inject_ud(void)
{
	sv_inject(X86_TRAP_UD, false, 0);
}

static void sv_inject_gp(void)
{
	sv_inject(X86_TRAP_GP, true, 0);
}

/* The instruction completed: step over it as the CPU would have. */
void sv_skip_insn(void)
{
	unsigned long intr;

	sv_vmwrite(GUEST_RIP, sv_vmread(GUEST_RIP) +
		   sv_vmread(VM_EXIT_INSTRUCTION_LEN));
	intr = sv_vmread(GUEST_INTERRUPTIBILITY_INFO);
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

static unsigned int sv_guest_cpl(void)
{
	return (sv_vmread(GUEST_SS_AR_BYTES) >> 5) & 3;
}

static unsigned long *sv_gpr(struct sv_guest_regs *r, unsigned int idx)
{
	switch (idx) {
	case 0: return &r->rax;
	case 1: return &r->rcx;
	case 2: return &r->rdx;
	case 3: return &r->rbx;
	case 5: return &r->rbp;
	case 6: return &r->rsi;
	case 7: return &r->rdi;
	case 8: return &r->r8;
	case 9: return &r->r9;
	case 10: return &r->r10;
	case 11: return &r->r11;
	case 12: return &r->r12;
	case 13: return &r->r13;
	case 14: return &r->r14;
	default: return &r->r15;
	}
}

static unsigned long sv_read_gpr(struct sv_guest_regs *r, unsigned int idx)
{
	return idx == 4 ? sv_vmread(GUEST_RSP) : *sv_gpr(r, idx);
}

static void sv_exit_cpuid(struct sv_guest_regs *r)
{
	u32 leaf = r->rax, eax, ebx, ecx, edx;

	cpuid_count(leaf, r->rcx, &eax, &ebx, &ecx, &edx);
	if (leaf == 1) {
		ecx &= ~SV_CPUID_VMX;
		ecx |= SV_CPUID_HYPERVISOR;
	} else if (leaf == SPLITVISOR_CPUID_SIGNATURE_LEAF) {
		eax = SPLITVISOR_CPUID_INFO_LEAF;
		ebx = SPLITVISOR_CPUID_SIG_EBX;
		ecx = SPLITVISOR_CPUID_SIG_ECX;
		edx = SPLITVISOR_CPUID_SIG_EDX;
	} else if (leaf == SPLITVISOR_CPUID_INFO_LEAF) {
		eax = SPLITVISOR_API_VERSION;
		ebx = 0;
		ecx = 0;
		edx = 0;
	} else if (leaf > SPLITVISOR_CPUID_INFO_LEAF && leaf <= 0x400000ff) {
		eax = 0;
		ebx = 0;
		ecx = 0;
		edx = 0;
	}
	r->rax = eax;
	r->rbx = ebx;
	r->rcx = ecx;
	r->rdx = edx;
	sv_skip_insn();
}

/* MOV to CR0/CR4 touching a guarded bit: keep VMX's needs, show the root its value. */
static void sv_exit_cr(struct sv_guest_regs *r)
{
	unsigned long qual = sv_vmread(EXIT_QUALIFICATION);
	unsigned int cr = qual & 15, type = (qual >> 4) & 3;
	const struct sv_hv_shared *sh = &sv_shared;
	u64 val, forced;

	if (type != 0 || (cr != 0 && cr != 4)) {
		/* CLTS and LMSW never touch a guarded bit; nothing else exits. */
		sv_vmcs_dump("unexpected control-register exit");
		panic("splitvisor: unexpected CR access 0x%lx in the root", qual);
	}
	val = sv_read_gpr(r, (qual >> 8) & 15);
	if (cr == 0) {
		forced = sh->cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);
		if ((val >> 32) || (val & ~sh->cr0_fixed1 & ~forced) ||
		    ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
		    ((val & X86_CR0_NW) && !(val & X86_CR0_CD))) {
			sv_inject_gp();
			return;
		}
		sv_vmwrite(GUEST_CR0, val | forced);
		sv_vmwrite(CR0_READ_SHADOW, val);
	} else {
		forced = sh->cr4_fixed0;
		if (val & ~sh->cr4_fixed1 & ~forced) {
			sv_inject_gp();
			return;
		}
		sv_vmwrite(GUEST_CR4, val | forced);
		sv_vmwrite(CR4_READ_SHADOW, val);
		/* A CR4 write may flush the TLB; the root's VPID stands for it. */
		sv_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, SV_ROOT_VPID);
	}
	sv_skip_insn();
}

/*
 * XCR0 as XSETBV takes it (SDM vol. 1, 13.3): x87 always on, nothing the
 * CPU lacks, AVX only with SSE, AVX-512's three bits together and only
 * with AVX, MPX's two together, AMX's two together. A value that passes
 * cannot fault, so the hypervisor may load it.
 */
bool sv_xcr0_valid(u64 val)
{
	u64 avx512 = XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 |
		     XFEATURE_MASK_Hi16_ZMM;
	u64 mpx = XFEATURE_MASK_BNDREGS | XFEATURE_MASK_BNDCSR;
	u64 amx = BIT_ULL(XFEATURE_XTILE_CFG) | BIT_ULL(XFEATURE_XTILE_DATA);

	if (!(val & XFEATURE_MASK_FP) || (val & ~sv_shared.xcr0_supported))
		return false;
	if ((val & XFEATURE_MASK_YMM) && !(val & XFEATURE_MASK_SSE))
		return false;
	if ((val & avx512) && ((val & avx512) != avx512 || !(val & XFEATURE_MASK_YMM)))
		return false;
	if ((val & mpx) && (val & mpx) != mpx)
		return false;
	if ((val & amx) && (val & amx) != amx)
		return false;
	return true;
}

static void sv_exit_xsetbv(struct sv_guest_regs *r)
{
	u64 val = (r->rdx << 32) | (u32)r->rax;

	if ((u32)r->rcx != XCR_XFEATURE_ENABLED_MASK || !sv_xcr0_valid(val)) {
		sv_inject_gp();
		return;
	}
	xsetbv(XCR_XFEATURE_ENABLED_MASK, val);
	sv_skip_insn();
}

static bool sv_msr_is_vmx(u32 msr)
{
	return msr >= SV_MSR_VMX_FIRST && msr <= SV_MSR_VMX_LAST;
}

static void sv_exit_rdmsr(struct sv_guest_regs *r)
{
	u32 msr = r->rcx;
	u64 val;

	if (sv_msr_is_vmx(msr) || sv_rdmsr_safe(msr, &val)) {
		sv_inject_gp();
		return;
	}
	/* VMX is the hypervisor's: the root sees it disabled and locked. */
	if (msr == MSR_IA32_FEAT_CTL)
		val &= ~(u64)SV_FEAT_CTL_VMX;
	r->rax = (u32)val;
	r->rdx = val >> 32;
	sv_skip_insn();
}

static void sv_exit_wrmsr(struct sv_guest_regs *r)
{
	u32 msr = r->rcx;
	u64 val = (r->rdx << 32) | (u32)r->rax;

	if (msr == MSR_IA32_FEAT_CTL || sv_msr_is_vmx(msr) ||
	    sv_wrmsr_safe(msr, val)) {
		sv_inject_gp();
		return;
	}
	sv_skip_insn();
}

/*
 * Hand the CPU back: VMXOFF, then restore what a VM exit does not keep
 * (CR0/CR3/CR4 of the root, GDT/IDT limits, FS/GS bases, debug and MSR
 * state), and build the frame entry.S returns to the root from.
 */
unsigned long sv_leave(struct sv_vcpu *v, struct sv_guest_regs *r,
		       unsigned long rip)
{
	unsigned long rsp = sv_vmread(GUEST_RSP);
	unsigned long rflags = sv_vmread(GUEST_RFLAGS);
	unsigned long cr0 = sv_vmread(GUEST_CR0), cr3 = sv_vmread(GUEST_CR3);
	unsigned long cr4 = sv_vmread(GUEST_CR4), dr7 = sv_vmread(GUEST_DR7);
	u64 fs = sv_vmread(GUEST_FS_BASE), gs = sv_vmread(GUEST_GS_BASE);
	u64 debugctl = sv_vmread(GUEST_IA32_DEBUGCTL);
	u64 pat = sv_vmread(GUEST_IA32_PAT), efer = sv_vmread(GUEST_IA32_EFER);
	u64 se_cs = sv_vmread(GUEST_SYSENTER_CS);
	u64 se_esp = sv_vmread(GUEST_SYSENTER_ESP);
	u64 se_eip = sv_vmread(GUEST_SYSENTER_EIP);
	struct desc_ptr gdt = {
		.size = sv_vmread(GUEST_GDTR_LIMIT),
		.address = sv_vmread(GUEST_GDTR_BASE),
	};
	struct desc_ptr idt = {
		.size = sv_vmread(GUEST_IDTR_LIMIT),
		.address = sv_vmread(GUEST_IDTR_BASE),
	};
	unsigned long *frame;

	frame = (unsigned long *)(rsp - sizeof(*r) - 2 * sizeof(long));
	memcpy(frame, r, sizeof(*r));
	frame[sizeof(*r) / sizeof(long)] = rflags;
	frame[sizeof(*r) / sizeof(long) + 1] = rip;

	sv_vmclear(v->vmcs_pa);
	sv_vmxoff();
	this_cpu_write(sv_cpu_state, SV_VCPU_OFF);

	asm volatile("mov %0, %%cr4" :: "r" (cr4) : "memory");
	asm volatile("mov %0, %%cr0" :: "r" (cr0) : "memory");
	asm volatile("mov %0, %%cr3" :: "r" (cr3) : "memory");
	native_load_gdt(&gdt);
	native_load_idt(&idt);
	sv_wrmsr(MSR_FS_BASE, fs);
	sv_wrmsr(MSR_GS_BASE, gs);
	sv_wrmsr(MSR_IA32_CR_PAT, pat);
	sv_wrmsr(MSR_EFER, efer);
	sv_wrmsr(MSR_IA32_SYSENTER_CS, se_cs);
	sv_wrmsr(MSR_IA32_SYSENTER_ESP, se_esp);
	sv_wrmsr(MSR_IA32_SYSENTER_EIP, se_eip);
	sv_wrmsr(MSR_IA32_DEBUGCTLMSR, debugctl);
	native_set_debugreg(7, dr7);
	sv_nmi_after_leave(v);
	return (unsigned long)frame;
}

static unsigned long sv_exit_vmcall(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	unsigned long next;

	/* At CPL 3 VMCALL behaves as on a CPU without a hypervisor. */
	if (sv_guest_cpl() != 0) {
		sv_inject_ud();
		return 0;
	}
	switch (r->rax) {
	case SPLITVISOR_HC_VERSION:
		r->rbx = SPLITVISOR_HC_MAGIC;
		r->rcx = SPLITVISOR_API_VERSION;
		r->rdx = 0;
		r->rax = 0;
		break;
	case SPLITVISOR_HC_PING:
		r->rbx++;
		r->rax = 0;
		break;
	case SPLITVISOR_HC_CPU_INFO:
		r->rbx = v->cpu;
		r->rcx = 1;
		r->rdx = v->stats->total;
		r->rax = 0;
		break;
	case SPLITVISOR_HC_EPT_SET:
		r->rax = r->rbx != sv_shared.cookie ? -EPERM :
			 sv_ept_set_2m(&sv_root_ept, r->rcx, r->rdx);
		break;
	case SPLITVISOR_HC_EPT_SYNC:
		if (r->rbx != sv_shared.cookie) {
			r->rax = -EPERM;
			break;
		}
		sv_invept(VMX_EPT_EXTENT_CONTEXT, sv_shared.eptp);
		r->rax = 0;
		break;
	case SPLITVISOR_HC_LEAVE:
		if (r->rbx != sv_shared.cookie) {
			r->rax = -EPERM;
			break;
		}
		r->rax = 0;
		next = sv_vmread(GUEST_RIP) + sv_vmread(VM_EXIT_INSTRUCTION_LEN);
		return sv_leave(v, r, next);
	default:
		r->rax = -EOPNOTSUPP;
		break;
	}
	sv_skip_insn();
	return 0;
}

/* INIT: the CPU waits for a SIPI, as a bare CPU would. */
static void sv_exit_init(struct sv_vcpu *v)
{
	sv_nmi_discard(v);
	sv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_WAIT_SIPI);
	/* Bochs 2.7 leaves "blocking by SMI" set after INIT: entry would fail. */
	sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
}

static void sv_real_mode_seg(unsigned long sel_field, u16 sel, u32 ar)
{
	unsigned long off = sel_field - GUEST_ES_SELECTOR;

	sv_vmwrite(sel_field, sel);
	sv_vmwrite(GUEST_ES_BASE + off, (u64)sel << 4);
	sv_vmwrite(GUEST_ES_LIMIT + off, 0xffff);
	sv_vmwrite(GUEST_ES_AR_BYTES + off, ar);
}

/* SIPI: real mode at vector << 12, the architectural state after INIT. */
static void sv_exit_sipi(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	u32 vector = sv_vmread(EXIT_QUALIFICATION) & 0xff;
	u64 cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	u32 eax, ebx, ecx, edx;

	sv_nmi_discard(v);

	cpuid(1, &eax, &ebx, &ecx, &edx);
	memset(r, 0, sizeof(*r));
	r->rdx = eax;
	sv_vmwrite(GUEST_CR0, cr0 | (sv_shared.cr0_fixed0 &
				     ~(u64)(X86_CR0_PE | X86_CR0_PG)));
	sv_vmwrite(CR0_READ_SHADOW, cr0);
	sv_vmwrite(GUEST_CR3, 0);
	sv_vmwrite(GUEST_CR4, sv_shared.cr4_fixed0);
	sv_vmwrite(CR4_READ_SHADOW, 0);
	sv_vmwrite(GUEST_IA32_EFER, 0);
	sv_vmwrite(VM_ENTRY_CONTROLS, sv_shared.entry_ctls & ~VM_ENTRY_IA32E_MODE);
	sv_vmwrite(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	sv_vmwrite(GUEST_RSP, 0);
	sv_vmwrite(GUEST_RIP, 0);
	sv_real_mode_seg(GUEST_CS_SELECTOR, vector << 8, 0x9b);
	sv_real_mode_seg(GUEST_SS_SELECTOR, 0, 0x93);
	sv_real_mode_seg(GUEST_DS_SELECTOR, 0, 0x93);
	sv_real_mode_seg(GUEST_ES_SELECTOR, 0, 0x93);
	sv_real_mode_seg(GUEST_FS_SELECTOR, 0, 0x93);
	sv_real_mode_seg(GUEST_GS_SELECTOR, 0, 0x93);
	sv_real_mode_seg(GUEST_TR_SELECTOR, 0, 0x8b);
	sv_real_mode_seg(GUEST_LDTR_SELECTOR, 0, 0x82);
	sv_vmwrite(GUEST_GDTR_BASE, 0);
	sv_vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	sv_vmwrite(GUEST_IDTR_BASE, 0);
	sv_vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	sv_vmwrite(GUEST_DR7, SV_DR7_INIT);
	sv_vmwrite(GUEST_IA32_DEBUGCTL, 0);
	sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, 0);
	sv_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	sv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}

/*
 * After an exit that may cut into event delivery or into an IRET (EPT
 * violation, NMI): an event being delivered is delivered again on the
 * next entry; an IRET that had unblocked NMIs did not complete, so the
 * root's NMIs are blocked again (@iret_unblocked, bit 12 of the exit
 * qualification or interruption information).
 */
static void sv_redeliver_event(bool iret_unblocked)
{
	u32 info = sv_vmread(IDT_VECTORING_INFO_FIELD);
	u32 intr = sv_vmread(GUEST_INTERRUPTIBILITY_INFO);

	if (!(info & VECTORING_INFO_VALID_MASK)) {
		if (iret_unblocked)
			sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
				   intr | GUEST_INTR_STATE_NMI);
		return;
	}
	if (info & VECTORING_INFO_DELIVER_CODE_MASK)
		sv_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE,
			   sv_vmread(IDT_VECTORING_ERROR_CODE));
	/* An NMI cut short left NMIs blocked: entry must not see that. */
	if ((info & VECTORING_INFO_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~GUEST_INTR_STATE_NMI);
	sv_vmwrite(VM_ENTRY_INSTRUCTION_LEN, sv_vmread(VM_EXIT_INSTRUCTION_LEN));
	sv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, info & ~INTR_INFO_UNBLOCK_NMI);
}

/*
 * A root access to memory it may not see is logged by the root itself,
 * from an irq_work raised here: printing from the hypervisor could wait
 * forever for a console lock the interrupted root holds.
 */
struct sv_fault_report {
	struct irq_work work;
	enum sv_ept_fault kind;
	u64 gpa;
	unsigned long rip;
};

static DEFINE_PER_CPU(struct sv_fault_report, sv_fault_reports);

static void sv_fault_report_print(struct irq_work *work)
{
	struct sv_fault_report *r = container_of(work, struct sv_fault_report, work);

	if (r->kind == SV_EPT_FAULT_HIDDEN)
		pr_warn("CPU %d: root access to hypervisor memory at 0x%llx (rip 0x%lx): given a decoy page\n",
			smp_processor_id(), r->gpa, r->rip);
	else
		pr_warn("CPU %d: root access to 0x%llx beyond the physical address map (rip 0x%lx): reads as all ones\n",
			smp_processor_id(), r->gpa, r->rip);
}

void sv_fault_reports_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		init_irq_work(&per_cpu(sv_fault_reports, cpu).work,
			      sv_fault_report_print);
}

void sv_fault_reports_sync(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu(sv_fault_reports, cpu).work);
}

static void sv_report_fault(enum sv_ept_fault kind, u64 gpa)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 5);
	struct sv_fault_report *r = this_cpu_ptr(&sv_fault_reports);

	if (irq_work_is_pending(&r->work) || !__ratelimit(&rs))
		return;
	r->kind = kind;
	r->gpa = gpa;
	r->rip = sv_vmread(GUEST_RIP);
	irq_work_queue(&r->work);
}

static void sv_exit_ept_violation(struct sv_vcpu *v)
{
	u64 gpa = sv_vmread(GUEST_PHYSICAL_ADDRESS);
	unsigned long qual = sv_vmread(EXIT_QUALIFICATION);
	enum sv_ept_fault kind;

	kind = sv_ept_fault(&sv_root_ept, gpa);
	switch (kind) {
	case SV_EPT_FAULT_HIDDEN:
		v->stats->hidden_accesses++;
		sv_report_fault(kind, gpa);
		break;
	case SV_EPT_FAULT_UNMAPPED:
		v->stats->unmapped_accesses++;
		sv_report_fault(kind, gpa);
		break;
	case SV_EPT_FAULT_SPURIOUS:
		break;
	}
	sv_redeliver_event(qual & INTR_INFO_UNBLOCK_NMI);
}

static unsigned long sv_entry_failed(struct sv_vcpu *v, struct sv_guest_regs *r,
				     u32 reason)
{
	v->launch_exit_reason = reason;
	v->launch_qual = sv_vmread(EXIT_QUALIFICATION);
	sv_vmcs_dump("VM entry failed");
	if (this_cpu_read(sv_cpu_state) != SV_VCPU_LAUNCHING)
		panic("splitvisor: VM entry of the root failed on CPU %u (reason 0x%x)",
		      v->cpu, reason);
	/* The root state is the launcher's own: return there with an error. */
	return sv_leave(v, r, (unsigned long)sv_vmx_launch_entry_failed);
}

unsigned long sv_vmx_handle_exit(struct sv_guest_regs *r)
{
	struct sv_vcpu *v = this_cpu_read(sv_vcpu_ptr);
	u32 reason, basic;

	if (v->guest)
		return sv_guest_handle_exit(v, r);
	reason = sv_vmread(VM_EXIT_REASON);
	basic = reason & 0xffff;
	v->stats->total++;
	if (basic < SV_EXIT_REASONS)
		v->stats->by_reason[basic]++;
	else
		v->stats->other++;
	/* Tracepoints need RCU: skip the rare exits taken from RCU-idle code. */
	if (trace_splitvisor_exit_enabled() && rcu_is_watching())
		trace_splitvisor_exit(v->cpu, reason, sv_vmread(GUEST_RIP),
				      sv_vmread(EXIT_QUALIFICATION));

	if (unlikely(reason & VMX_EXIT_REASONS_FAILED_VMENTRY))
		return sv_entry_failed(v, r, reason);

	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:
		sv_nmi_exit(v);
		sv_redeliver_event(sv_vmread(VM_EXIT_INTR_INFO) &
				   INTR_INFO_UNBLOCK_NMI);
		/* The NMI may be the root handing this (offline) CPU to a VM. */
		if (unlikely(sv_guest_take_pending(v)))
			return sv_guest_take_and_wait(v, r);
		break;
	case EXIT_REASON_NMI_WINDOW:
		/* The root can take its NMI now: see sv_nmi_prepare_entry(). */
		break;
	case EXIT_REASON_CPUID:
		sv_exit_cpuid(r);
		break;
	case EXIT_REASON_VMCALL: {
		unsigned long leave = sv_exit_vmcall(v, r);

		if (leave)
			return leave;
		break;
	}
	case EXIT_REASON_CR_ACCESS:
		sv_exit_cr(r);
		break;
	case EXIT_REASON_MSR_READ:
		sv_exit_rdmsr(r);
		break;
	case EXIT_REASON_MSR_WRITE:
		sv_exit_wrmsr(r);
		break;
	case EXIT_REASON_XSETBV:
		sv_exit_xsetbv(r);
		break;
	case EXIT_REASON_INVD:
		/* Dropping dirty lines would lose Linux's data: write them back. */
		native_wbinvd();
		sv_skip_insn();
		break;
	case EXIT_REASON_EPT_VIOLATION:
		sv_exit_ept_violation(v);
		break;
	case EXIT_REASON_INIT_SIGNAL:
		sv_exit_init(v);
		break;
	case EXIT_REASON_SIPI_SIGNAL:
		sv_exit_sipi(v, r);
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		sv_vmcs_dump("the root triple-faulted");
		panic("splitvisor: the root triple-faulted on CPU %u", v->cpu);
	default:
		/* VMX (and SMX) belong to the hypervisor: as on a CPU without them. */
		if (sv_exit_is_vmx_insn(basic)) {
			sv_inject_ud();
			break;
		}
		sv_vmcs_dump("unexpected VM exit");
		panic("splitvisor: unexpected VM exit %u of the root on CPU %u",
		      basic, v->cpu);
	}
	sv_nmi_before_entry(v);
	return 0;
}

/*
 * VMLAUNCH or VMRESUME itself failed (VMfailValid). On a VM's CPU that ends
 * the VM, never the machine: whatever the guest did to get there, its VMCS
 * is set up afresh, parked. On the root it is the hypervisor's own fault.
 */
unsigned long sv_vmx_resume_failed(struct sv_guest_regs *r)
{
	struct sv_vcpu *v = this_cpu_read(sv_vcpu_ptr);

	if (v->guest)
		return sv_guest_entry_vmfail(v, r);
	sv_vmcs_dump("VMRESUME failed");
	panic("splitvisor: VMRESUME failed on CPU %d, instruction error %lu",
	      smp_processor_id(), sv_vmread(VM_INSTRUCTION_ERROR));
}
