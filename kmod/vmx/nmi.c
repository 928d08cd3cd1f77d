// SPDX-License-Identifier: GPL-2.0
/*
 * NMIs of a virtualized CPU, which Linux's perf and watchdog depend on.
 *
 * Every NMI ends up in Linux's own handler in Linux's own context, never
 * on the hypervisor's stack and page table: with NMI exiting and virtual
 * NMIs, an NMI that comes while the root runs causes a VM exit, and one
 * that comes while the hypervisor runs lands in the hypervisor's IDT; both
 * are owed to the root and injected as soon as the root can take one
 * (no virtual-NMI blocking, no STI or MOV SS shadow, no other event being
 * injected), with NMI-window exiting to catch that moment otherwise. Like
 * the hardware, several NMIs that wait together are delivered as one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/string.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/sync_core.h>
#include <asm/vmx.h>

#include "insn.h"
#include "vcpu.h"

/*
 * The hypervisor's IDT: Linux's, so that a fault in the exit handler is
 * handled (exception fixups) or reported as Linux would, except for the
 * NMI gate. That one runs on the current host stack (no IST): Linux's NMI
 * stack may be in use by the root's own NMI handler when it exits.
 */
void sv_host_idt_fill(void *idt_page)
{
	struct desc_ptr linux_idt;
	gate_desc nmi;

	store_idt(&linux_idt);
	memcpy(idt_page, (void *)linux_idt.address,
	       min_t(size_t, linux_idt.size + 1, PAGE_SIZE));
	pack_gate(&nmi, GATE_INTERRUPT, (unsigned long)sv_host_nmi_entry,
		  0, 0, __KERNEL_CS);
	((gate_desc *)idt_page)[NMI_VECTOR] = nmi;
}

/*
 * An NMI while the hypervisor runs: note it for the next VM entry. Had it
 * come after entry.S's last look at the flag (before VMRESUME, or before
 * the HLT of a waiting CPU), that look is taken again.
 */
notrace void sv_host_nmi(unsigned long *iret_frame)
{
	struct sv_vcpu *v = this_cpu_read(sv_vcpu_ptr);
	unsigned long ip = iret_frame[0];

	WRITE_ONCE(*sv_nmi_arrived_flag(v), 1);
	if (ip > (unsigned long)sv_vmx_resume_check &&
	    ip <= (unsigned long)sv_vmx_resume)
		iret_frame[0] = (unsigned long)sv_vmx_resume_check;
	else if (ip > (unsigned long)sv_host_halt_check &&
		 ip <= (unsigned long)sv_host_halt_insn)
		iret_frame[0] = (unsigned long)sv_host_halt_check;
}

/* An NMI that came while the root ran (exit reason 0). */
void sv_nmi_exit(struct sv_vcpu *v)
{
	u32 info = sv_vmread(VM_EXIT_INTR_INFO);

	if ((info & INTR_INFO_INTR_TYPE_MASK) != INTR_TYPE_NMI_INTR) {
		/* The exception bitmap is empty: no exception should exit. */
		sv_vmcs_dump("unexpected exception exit");
		panic("splitvisor: unexpected exception exit 0x%x of the root on CPU %u",
		      info, v->cpu);
	}
	v->nmi_owed = true;
	/*
	 * An NMI exit leaves NMIs blocked until the next IRET (Bochs keeps
	 * them blocked across VM entry too): unblock them here, so the next
	 * NMI is not held back until the root's handler returns.
	 */
	iret_to_self();
}

/*
 * Inject an NMI if the root can take one now. A halted CPU is woken the
 * way the NMI would wake it: it becomes active, past its HLT and past any
 * STI shadow before it.
 */
static bool sv_nmi_inject(void)
{
	u32 activity = sv_vmread(GUEST_ACTIVITY_STATE);
	u32 intr = sv_vmread(GUEST_INTERRUPTIBILITY_INFO);

	if (sv_vmread(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID_MASK)
		return false;
	if (activity == GUEST_ACTIVITY_HLT)
		intr &= ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	else if (activity != GUEST_ACTIVITY_ACTIVE)
		return false;
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS |
		    GUEST_INTR_STATE_NMI))
		return false;
	if (activity == GUEST_ACTIVITY_HLT) {
		sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, intr);
		sv_vmwrite(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	}
	sv_vmwrite(VM_ENTRY_INTR_INFO_FIELD, NMI_VECTOR | INTR_TYPE_NMI_INTR |
		   INTR_INFO_VALID_MASK);
	return true;
}

static void sv_nmi_window(struct sv_vcpu *v, bool open)
{
	u32 want = open ? v->procbased | CPU_BASED_NMI_WINDOW_EXITING :
			  v->procbased & ~CPU_BASED_NMI_WINDOW_EXITING;

	if (want != v->procbased) {
		sv_vmwrite(CPU_BASED_VM_EXEC_CONTROL, want);
		v->procbased = want;
	}
}

/* Just before VM entry: give the root the NMI it is owed, if it can take it. */
void sv_nmi_prepare_entry(struct sv_vcpu *v)
{
	if (xchg(sv_nmi_arrived_flag(v), 0)) {
		v->nmi_owed = true;
		v->stats->nmis_in_hypervisor++;
	}
	if (v->nmi_owed && sv_nmi_inject()) {
		v->nmi_owed = false;
		v->stats->nmis++;
	}
	sv_nmi_window(v, v->nmi_owed);
}

/* entry.S saw the flag raised after the exit handler's last look. */
void sv_vmx_nmi_arrived(void)
{
	struct sv_vcpu *v = this_cpu_read(sv_vcpu_ptr);

	if (v->guest)
		sv_guest_nmi_arrived(v);
	else
		sv_nmi_prepare_entry(v);
}

/* INIT and SIPI start the CPU afresh: what it was owed has no taker. */
void sv_nmi_discard(struct sv_vcpu *v)
{
	xchg(sv_nmi_arrived_flag(v), 0);
	v->nmi_owed = false;
}

/*
 * VMX is off and Linux's own IDT loaded: an NMI still owed is sent to
 * this very CPU, where Linux now takes it directly.
 */
void sv_nmi_after_leave(struct sv_vcpu *v)
{
	bool owed = xchg(sv_nmi_arrived_flag(v), 0) || v->nmi_owed;

	v->nmi_owed = false;
	if (owed) {
		v->stats->nmis++;
		apic->send_IPI(v->cpu, NMI_VECTOR);
	}
}
