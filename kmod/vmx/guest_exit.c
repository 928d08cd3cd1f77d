// SPDX-License-Identifier: GPL-2.0
/*
 * VM exits of a guest. A guest is not trusted: whatever it does that the
 * hypervisor does not emulate ends the VM as crashed, with the reason,
 * and never reaches the root or another VM. Emulated: its UART and exit
 * port, CPUID, a few MSRs and an x2APIC for starting its own CPUs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/apic.h>
#include <asm/fpu/xcr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/sync_core.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "../compat.h"
#include "../vm/guest.h"
#include "guest_hv.h"
#include "insn.h"
#include "vcpu.h"

#define SV_CPUID_MONITOR	BIT(3)
#define SV_CPUID_VMX		BIT(5)
#define SV_CPUID_X2APIC		BIT(21)
#define SV_CPUID_OSXSAVE	BIT(27)
#define SV_CPUID_HYPERVISOR	BIT(31)
#define SV_CPUID_APIC		BIT(9)		/* leaf 1 EDX */
#define SV_CPUID7_OSPKE		BIT(4)		/* leaf 7 ECX */
#define SV_CPUID7_WAITPKG	BIT(5)
#define SV_X2APIC_ID		0x802
#define SV_X2APIC_VERSION	0x803
#define SV_X2APIC_TPR		0x808
#define SV_X2APIC_EOI		0x80b
#define SV_X2APIC_SVR		0x80f
#define SV_X2APIC_ICR		0x830
#define SV_APIC_BASE_ADDR	0xfee00000ULL
#define SV_APIC_BASE_EN		BIT(11)
#define SV_APIC_BASE_EXTD	BIT(10)
#define SV_APIC_BASE_BSP	BIT(8)
#define SV_APIC_MODE_MASK	(SV_APIC_BASE_EN | SV_APIC_BASE_EXTD)
#define SV_X2APIC_FIRST		0x800
#define SV_X2APIC_LAST		0x8ff
#define SV_ICR_MODE(icr)	(((icr) >> 8) & 7)
#define SV_ICR_LOGICAL		BIT(11)
#define SV_ICR_SHORTHAND	(3 << 18)
#define SV_ICR_MODE_INIT	5
#define SV_ICR_MODE_SIPI	6

static unsigned long *sv_ggpr(struct sv_guest_regs *r, unsigned int idx)
{
	static const u8 off[16] = {
		offsetof(struct sv_guest_regs, rax), offsetof(struct sv_guest_regs, rcx),
		offsetof(struct sv_guest_regs, rdx), offsetof(struct sv_guest_regs, rbx),
		0, offsetof(struct sv_guest_regs, rbp),
		offsetof(struct sv_guest_regs, rsi), offsetof(struct sv_guest_regs, rdi),
		offsetof(struct sv_guest_regs, r8), offsetof(struct sv_guest_regs, r9),
		offsetof(struct sv_guest_regs, r10), offsetof(struct sv_guest_regs, r11),
		offsetof(struct sv_guest_regs, r12), offsetof(struct sv_guest_regs, r13),
		offsetof(struct sv_guest_regs, r14), offsetof(struct sv_guest_regs, r15),
	};

	return (unsigned long *)((u8 *)r + off[idx & 15]);
}

/* End the VM (every CPU of it parks); the first CPU to end it tells why. */
static void sv_guest_end(struct sv_gcpu *g, u32 state, u32 status, u32 crash,
			 u32 reason, u64 addr, const char *text)
{
	struct sv_vm_hv *vm = g->vm;
	struct sv_vm_report *rep = vm->report;
	unsigned int i;
	bool first;

	raw_spin_lock(&vm->lock);
	first = !vm->ended;
	if (first) {
		rep->state = state;
		rep->exit_status = status;
		rep->crash = crash;
		rep->crash_exit_reason = reason;
		rep->crash_rip = sv_vmread(GUEST_RIP);
		rep->crash_addr = addr;
		strscpy(rep->crash_text, text, sizeof(rep->crash_text));
		smp_wmb();	/* the report before its sequence number */
		WRITE_ONCE(rep->seq, rep->seq + 1);
		WRITE_ONCE(vm->ended, true);
	}
	raw_spin_unlock(&vm->lock);
	sv_gvmcs_park(g);
	g->run = SV_GCPU_PARKED;
	if (first)
		for (i = 0; i < vm->nr_cpus; i++)
			if (&vm->gcpu[i] != g)
				sv_guest_kick(&vm->gcpu[i]);
}

static void sv_guest_crash(struct sv_gcpu *g, u32 crash, u32 reason, u64 addr,
			   const char *text)
{
	sv_guest_end(g, SPLITVISOR_VM_STATE_CRASHED, 0, crash, reason, addr, text);
}

static void sv_console_put(struct sv_vm_hv *vm, u8 c)
{
	struct sv_vm_console *con = vm->console;
	u64 head = con->head;

	con->buf[head % SPLITVISOR_CONSOLE_SIZE] = c;
	smp_wmb();	/* the byte before the head that shows it */
	WRITE_ONCE(con->head, head + 1);
}

/* A 16550 with nothing to receive that transmits at once. */
static u32 sv_uart_in(struct sv_vm_hv *vm, unsigned int reg)
{
	bool dlab = vm->uart_lcr & 0x80;

	switch (reg) {
	case 0:
		return dlab ? vm->uart_dll : 0;
	case 1:
		return dlab ? vm->uart_dlm : vm->uart_ier;
	case 2:
		return 0x01;			/* no interrupt pending */
	case 3:
		return vm->uart_lcr;
	case 4:
		return vm->uart_mcr;
	case 5:
		return 0x60;			/* transmitter empty */
	case 6:
		return 0xb0;			/* DCD, DSR, CTS */
	default:
		return vm->uart_scr;
	}
}

static void sv_uart_out(struct sv_vm_hv *vm, unsigned int reg, u8 val)
{
	bool dlab = vm->uart_lcr & 0x80;

	switch (reg) {
	case 0:
		if (dlab)
			vm->uart_dll = val;
		else
			sv_console_put(vm, val);
		break;
	case 1:
		if (dlab)
			vm->uart_dlm = val;
		else
			vm->uart_ier = val;
		break;
	case 3:
		vm->uart_lcr = val;
		break;
	case 4:
		vm->uart_mcr = val;
		break;
	case 7:
		vm->uart_scr = val;
		break;
	}
}

static void sv_guest_io(struct sv_gcpu *g, struct sv_guest_regs *r)
{
	unsigned long qual = sv_vmread(EXIT_QUALIFICATION);
	unsigned int size = (qual & 7) + 1, port = qual >> 16;
	bool in = qual & BIT(3);
	struct sv_vm_hv *vm = g->vm;
	u32 mask = size == 4 ? 0xffffffff : (1U << (size * 8)) - 1;
	u32 val = ~0U;

	if (qual & BIT(4)) {
		sv_guest_crash(g, SPLITVISOR_VM_CRASH_UNHANDLED_EXIT,
			       EXIT_REASON_IO_INSTRUCTION, port,
			       "string I/O is not emulated");
		return;
	}
	if (port == SPLITVISOR_VM_EXIT_PORT && !in) {
		sv_skip_insn();
		sv_guest_end(g, SPLITVISOR_VM_STATE_EXITED, r->rax & mask, 0, 0, 0, "");
		return;
	}
	if (port >= SPLITVISOR_VM_UART_PORT && port < SPLITVISOR_VM_UART_PORT + 8) {
		raw_spin_lock(&vm->lock);
		if (in)
			val = sv_uart_in(vm, port - SPLITVISOR_VM_UART_PORT);
		else
			sv_uart_out(vm, port - SPLITVISOR_VM_UART_PORT, r->rax);
		raw_spin_unlock(&vm->lock);
	} else {
		g->stats->io_ignored++;
	}
	if (in) {
		if (size == 4)
			r->rax = val;
		else
			r->rax = (r->rax & ~(unsigned long)mask) | (val & mask);
	}
	sv_skip_insn();
}

/*
 * The CPU's own CPUID, less what a VM does not get (VMX, MONITOR/MWAIT,
 * supervisor XSAVE states, performance counters), with the bits that
 * follow the guest's own state (OSXSAVE, OSPKE, the APIC's enable) taken
 * from it rather than from the hypervisor's CR4.
 */
static void sv_guest_cpuid(struct sv_gcpu *g, struct sv_guest_regs *r)
{
	u32 leaf = r->rax, eax, ebx, ecx, edx;
	u64 cr4 = sv_vmread(GUEST_CR4);

	cpuid_count(leaf, r->rcx, &eax, &ebx, &ecx, &edx);
	switch (leaf) {
	case 1:
		ecx &= ~(SV_CPUID_VMX | SV_CPUID_MONITOR | SV_CPUID_OSXSAVE);
		ecx |= SV_CPUID_HYPERVISOR | SV_CPUID_X2APIC;
		if (cr4 & X86_CR4_OSXSAVE)
			ecx |= SV_CPUID_OSXSAVE;
		if (!(g->apic_base & SV_APIC_BASE_EN))
			edx &= ~SV_CPUID_APIC;
		ebx = (ebx & 0x00ffffff) | (g->index << 24);
		break;
	case 5:				/* MONITOR/MWAIT: not offered */
		eax = 0;
		ebx = 0;
		ecx = 0;
		edx = 0;
		break;
	case 7:
		if ((u32)r->rcx != 0)
			break;
		ecx &= ~(SV_CPUID7_OSPKE | SV_CPUID7_WAITPKG);
		if (cr4 & X86_CR4_PKE)
			ecx |= SV_CPUID7_OSPKE;
		break;
	case 0xd:			/* no supervisor states: IA32_XSS stays 0 */
		if ((u32)r->rcx == 1) {
			if (!sv_shared.vm_xsaves)
				eax &= ~SV_CPUID_D1_XSAVES;
			ecx = 0;
			edx = 0;
		}
		break;
	case 0xa:			/* no performance counters to share */
		eax = 0;
		ebx = 0;
		ecx = 0;
		edx = 0;
		break;
	case 0xb:
	case 0x1f:
		edx = g->index;
		break;
	case SPLITVISOR_CPUID_SIGNATURE_LEAF:
		eax = SPLITVISOR_CPUID_INFO_LEAF;
		ebx = SPLITVISOR_CPUID_SIG_EBX;
		ecx = SPLITVISOR_CPUID_SIG_ECX;
		edx = SPLITVISOR_CPUID_SIG_EDX;
		break;
	case SPLITVISOR_CPUID_INFO_LEAF:
		eax = SPLITVISOR_API_VERSION;
		ebx = 0;
		ecx = 0;
		edx = 0;
		break;
	}
	r->rax = eax;
	r->rbx = ebx;
	r->rcx = ecx;
	r->rdx = edx;
	sv_skip_insn();
}

static bool sv_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* INIT and SIPI to the VM's own other CPUs; anything else is dropped. */
static void sv_guest_icr(struct sv_gcpu *g, u64 icr)
{
	struct sv_vm_hv *vm = g->vm;
	u32 dest = icr >> 32, mode = SV_ICR_MODE(icr);
	struct sv_gcpu *t;

	if ((icr & (SV_ICR_LOGICAL | SV_ICR_SHORTHAND)) || dest >= vm->nr_cpus ||
	    dest == g->index ||
	    (mode != SV_ICR_MODE_INIT && mode != SV_ICR_MODE_SIPI)) {
		g->stats->ipis_dropped++;
		return;
	}
	t = &vm->gcpu[dest];
	if (mode == SV_ICR_MODE_INIT) {
		/* INIT level de-assert (trigger level, level 0) does nothing. */
		if ((icr & BIT(15)) && !(icr & BIT(14)))
			return;
		WRITE_ONCE(t->init_pending, true);
	} else {
		WRITE_ONCE(t->sipi_pending, (icr & 0xff) | SV_SIPI_PENDING);
	}
	sv_guest_kick(t);
}

/* A VM's CPUs power on with their APIC in x2APIC mode, the only one emulated. */
void sv_guest_lapic_reset(struct sv_gcpu *g)
{
	g->apic_base = SV_APIC_BASE_ADDR | SV_APIC_MODE_MASK |
		       (g->index ? 0 : SV_APIC_BASE_BSP);
	g->apic_svr = 0xff;
	g->apic_tpr = 0;
}

/*
 * IA32_APIC_BASE as hardware takes it (SDM vol. 3, 11.12.5): reserved bits
 * and the invalid mode changes (EXTD without EN, x2APIC to xAPIC,
 * disabled to x2APIC) fault, and so does moving the APIC, which is not
 * emulated. Rewriting the value, the x2APIC enable path of an OS, and
 * disabling are taken; an APIC in xAPIC mode has no registers here (its
 * page is not the VM's memory), so using it ends the VM, with the reason.
 */
static bool sv_guest_apic_base_write(struct sv_gcpu *g, u64 val)
{
	u64 reserved = GENMASK_ULL(7, 0) | BIT_ULL(9) |
		       ~GENMASK_ULL(boot_cpu_data.x86_phys_bits - 1, 0);
	u64 old = g->apic_base & SV_APIC_MODE_MASK, new = val & SV_APIC_MODE_MASK;

	if ((val & reserved) || new == SV_APIC_BASE_EXTD ||
	    (old == SV_APIC_MODE_MASK && new == SV_APIC_BASE_EN) ||
	    (old == 0 && new == SV_APIC_MODE_MASK) ||
	    (val & PAGE_MASK & ~SV_APIC_MODE_MASK & ~SV_APIC_BASE_BSP) !=
	    SV_APIC_BASE_ADDR)
		return false;
	if (!new) {
		/* Disabling resets the APIC (SDM 11.4.3). */
		g->apic_svr = 0xff;
		g->apic_tpr = 0;
	}
	g->apic_base = (val & ~SV_APIC_BASE_BSP) | (g->apic_base & SV_APIC_BASE_BSP);
	return true;
}

static void sv_guest_msr(struct sv_gcpu *g, struct sv_guest_regs *r, bool write)
{
	u32 msr = r->rcx;
	u64 val = (r->rdx << 32) | (u32)r->rax;

	/* x2APIC registers exist in x2APIC mode only. */
	if (msr >= SV_X2APIC_FIRST && msr <= SV_X2APIC_LAST &&
	    (g->apic_base & SV_APIC_MODE_MASK) != SV_APIC_MODE_MASK)
		goto gp;
	switch (msr) {
	case MSR_IA32_APICBASE:
		if (write && !sv_guest_apic_base_write(g, val))
			goto gp;
		val = g->apic_base;
		break;
	case MSR_IA32_TSC:
		/* A write moves the VM's TSC, through the offset RDTSC adds. */
		if (write)
			sv_vmwrite(TSC_OFFSET, val - rdtsc());
		val = rdtsc() + sv_vmread(TSC_OFFSET);
		break;
	case MSR_TSC_AUX:
		/* Reads pass through; a write is checked (bits 63:32 reserved). */
		if (!write || (val >> 32) || sv_wrmsr_safe(MSR_TSC_AUX, val))
			goto gp;
		break;
	case MSR_IA32_XSS:
		if (write ? !sv_cpu_xss_write_ok(val) : !sv_cpu_xss_read_ok())
			goto gp;
		val = 0;
		break;
	case MSR_IA32_CR_PAT:
		if (write) {
			if (!sv_pat_valid(val))
				goto gp;
			sv_vmwrite(GUEST_IA32_PAT, val);
		}
		val = sv_vmread(GUEST_IA32_PAT);
		break;
	case SV_X2APIC_ID:
		if (write)
			goto gp;
		val = g->index;
		break;
	case SV_X2APIC_VERSION:
		if (write)
			goto gp;
		val = 0x00050014;
		break;
	case SV_X2APIC_TPR:
		if (write)
			g->apic_tpr = val & 0xff;
		val = g->apic_tpr;
		break;
	case SV_X2APIC_SVR:
		if (write)
			g->apic_svr = val & 0x1ff;
		val = g->apic_svr;
		break;
	case SV_X2APIC_EOI:
		if (!write)
			goto gp;
		break;
	case SV_X2APIC_ICR:
		if (!write)
			goto gp;
		sv_guest_icr(g, val);
		break;
	default:
		goto gp;
	}
	if (!write) {
		r->rax = (u32)val;
		r->rdx = val >> 32;
	}
	sv_skip_insn();
	return;
gp:
	g->stats->msr_gp++;
	sv_inject(X86_TRAP_GP, true, 0);
}

/*
 * MOV to CR0/CR4 that touches a bit VMX keeps fixed: the guest sees what it
 * wrote; the CPU runs with the fixed bits. Turning paging on or off with
 * EFER.LME is done here as the CPU would, since the write never reached it.
 */
static bool sv_guest_cr(struct sv_gcpu *g, struct sv_guest_regs *r)
{
	unsigned long qual = sv_vmread(EXIT_QUALIFICATION);
	unsigned int cr = qual & 15, type = (qual >> 4) & 3, gpr = (qual >> 8) & 15;
	const struct sv_hv_shared *sh = &sv_shared;
	u64 val, forced;

	if (cr == 8 && type == 1) {
		/* MOV from CR8: the emulated TPR's priority class. */
		val = g->apic_tpr >> 4;
		if (gpr == 4)
			sv_vmwrite(GUEST_RSP, val);
		else
			*sv_ggpr(r, gpr) = val;
		sv_skip_insn();
		return true;
	}
	if (type != 0 || (cr != 0 && cr != 4 && cr != 8))
		return false;
	val = gpr == 4 ? sv_vmread(GUEST_RSP) : *sv_ggpr(r, gpr);
	if (cr == 8) {
		/* MOV to CR8 sets the TPR, never the physical APIC's. */
		if (val & ~0xfULL) {
			sv_inject(X86_TRAP_GP, true, 0);
			return true;
		}
		g->apic_tpr = val << 4;
	} else if (cr == 0) {
		u64 efer = sv_vmread(GUEST_IA32_EFER);
		u32 entry = sv_vmread(VM_ENTRY_CONTROLS);

		forced = sh->cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);
		if ((val >> 32) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
		    ((val & X86_CR0_NW) && !(val & X86_CR0_CD))) {
			sv_inject(X86_TRAP_GP, true, 0);
			return true;
		}
		if ((val & X86_CR0_PG) && (efer & EFER_LME)) {
			efer |= EFER_LMA;
			entry |= VM_ENTRY_IA32E_MODE;
		} else if (!(val & X86_CR0_PG)) {
			efer &= ~EFER_LMA;
			entry &= ~VM_ENTRY_IA32E_MODE;
		}
		sv_vmwrite(GUEST_IA32_EFER, efer);
		sv_vmwrite(VM_ENTRY_CONTROLS, entry);
		sv_vmwrite(GUEST_CR0, (val & sh->cr0_fixed1) | forced);
		sv_vmwrite(CR0_READ_SHADOW, val);
	} else {
		forced = sh->cr4_fixed0;
		/* No VMX inside a VM: CR4.VMXE is reserved for the guest. */
		if ((val & X86_CR4_VMXE) || (val & ~sh->cr4_fixed1 & ~forced)) {
			sv_inject(X86_TRAP_GP, true, 0);
			return true;
		}
		sv_vmwrite(GUEST_CR4, val | forced | SV_GUEST_CR4_HOST_OWNED);
		sv_vmwrite(CR4_READ_SHADOW, val);
		sv_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, g->vpid);
	}
	sv_skip_insn();
	return true;
}

static void sv_guest_xsetbv(struct sv_gcpu *g, struct sv_guest_regs *r)
{
	u64 val = (r->rdx << 32) | (u32)r->rax;

	if ((u32)r->rcx != XCR_XFEATURE_ENABLED_MASK || !sv_xcr0_valid(val)) {
		sv_inject(X86_TRAP_GP, true, 0);
		return;
	}
	/* The CPU is the VM's: its XCR0 is loaded for good, not per entry. */
	if (!sv_cpu_xsetbv(val)) {
		sv_guest_crash(g, SPLITVISOR_VM_CRASH_UNHANDLED_EXIT,
			       EXIT_REASON_XSETBV, val, "XSETBV faulted in the hypervisor");
		return;
	}
	sv_skip_insn();
}

/* Interrupts of the root that reached the CPU: acknowledged and dropped. */
static void sv_guest_interrupt(struct sv_gcpu *g)
{
	g->stats->root_irqs_dropped++;
	sv_apic_eoi();
}

/*
 * A guest never takes an NMI (every NMI exits), so it is never blocking
 * them; Bochs 2.7 saves "blocking by NMI" after an NMI or INIT exit all
 * the same, and with no guest IRET to end it, the next NMI (a request,
 * a forced stop) would never exit.
 */
static void sv_guest_unblock_nmis(void)
{
	u32 intr = sv_vmread(GUEST_INTERRUPTIBILITY_INFO);

	if (intr & GUEST_INTR_STATE_NMI)
		sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO, intr & ~GUEST_INTR_STATE_NMI);
}

static void sv_guest_unhandled(struct sv_gcpu *g, u32 basic, const char *what)
{
	char text[SV_VM_CRASH_TEXT];

	snprintf(text, sizeof(text), "%s (exit reason %u)", what, basic);
	sv_guest_crash(g, SPLITVISOR_VM_CRASH_UNHANDLED_EXIT, basic,
		       sv_vmread(EXIT_QUALIFICATION), text);
}

/*
 * After a failed entry, whatever the state was: the VMCS is set up afresh,
 * parked, and the CPU waits for the root's next request.
 */
static unsigned long sv_guest_vmcs_afresh(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	struct sv_gcpu *g = v->guest;

	sv_vmclear(__pa(g->vmcs));
	if (sv_vmptrld(__pa(g->vmcs)) || sv_gvmcs_setup(v, g))
		panic("splitvisor: CPU %u cannot set up its VM's VMCS again", v->cpu);
	*sv_launch_flag(v) = 1;
	return sv_guest_requests(v, r);
}

/* VMLAUNCH/VMRESUME of the guest failed with an instruction error. */
unsigned long sv_guest_entry_vmfail(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	u32 err = sv_vmread(VM_INSTRUCTION_ERROR);
	char text[SV_VM_CRASH_TEXT];

	snprintf(text, sizeof(text), "VM entry failed: VM-instruction error %u", err);
	sv_guest_crash(v->guest, SPLITVISOR_VM_CRASH_ENTRY_FAILED,
		       SV_VM_NO_EXIT_REASON, 0, text);
	return sv_guest_vmcs_afresh(v, r);
}

unsigned long sv_guest_handle_exit(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	struct sv_gcpu *g = v->guest;
	u32 reason = sv_vmread(VM_EXIT_REASON);
	u32 basic = reason & 0xffff;
	struct sv_exit_stats *st = &g->stats->exits;

	*sv_launch_flag(v) = 0;
	st->total++;
	if (basic < SV_EXIT_REASONS)
		st->by_reason[basic]++;
	else
		st->other++;

	if (unlikely(reason & VMX_EXIT_REASONS_FAILED_VMENTRY)) {
		sv_guest_crash(g, SPLITVISOR_VM_CRASH_ENTRY_FAILED, basic,
			       sv_vmread(EXIT_QUALIFICATION),
			       "the guest state could not be entered");
		return sv_guest_vmcs_afresh(v, r);
	}

	switch (basic) {
	case EXIT_REASON_EXCEPTION_NMI:
		if ((sv_vmread(VM_EXIT_INTR_INFO) & INTR_INFO_INTR_TYPE_MASK) !=
		    INTR_TYPE_NMI_INTR) {
			/*
			 * #MC, the only exception in the bitmap: the machine
			 * failed under the VM, which cannot go on safely. The
			 * CPU is offline to Linux, whose handler would wait for
			 * the online ones.
			 */
			sv_guest_crash(g, SPLITVISOR_VM_CRASH_UNHANDLED_EXIT, basic,
				       sv_vmread(VM_EXIT_INTR_INFO),
				       "machine check on the VM's CPU");
			break;
		}
		/* An NMI: a request from the root or the VM's other CPUs. */
		iret_to_self();
		sv_guest_unblock_nmis();
		break;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		sv_guest_interrupt(g);
		break;
	case EXIT_REASON_PREEMPTION_TIMER:
		sv_guest_exit_soon_done(g);
		break;
	case EXIT_REASON_INIT_SIGNAL:
		/*
		 * An INIT of the root's: the CPU is not the root's any more.
		 * Bochs 2.7 sets "blocking by SMI" after INIT: entry would fail.
		 */
		g->stats->root_irqs_dropped++;
		sv_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			   sv_vmread(GUEST_INTERRUPTIBILITY_INFO) & ~GUEST_INTR_STATE_SMI);
		sv_guest_unblock_nmis();
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		sv_guest_crash(g, SPLITVISOR_VM_CRASH_TRIPLE_FAULT, basic, 0,
			       "triple fault");
		break;
	case EXIT_REASON_EPT_VIOLATION:
	case EXIT_REASON_EPT_MISCONFIG: {
		u64 gpa = sv_vmread(GUEST_PHYSICAL_ADDRESS);
		char text[SV_VM_CRASH_TEXT];

		if ((gpa & PAGE_MASK) == SV_APIC_BASE_ADDR)
			snprintf(text, sizeof(text),
				 "xAPIC access at 0x%llx: a VM's APIC is x2APIC only", gpa);
		else
			snprintf(text, sizeof(text),
				 "access to 0x%llx, outside its memory", gpa);
		sv_guest_crash(g, SPLITVISOR_VM_CRASH_MEMORY, basic, gpa, text);
		break;
	}
	case EXIT_REASON_IO_INSTRUCTION:
		sv_guest_io(g, r);
		break;
	case EXIT_REASON_CPUID:
		sv_guest_cpuid(g, r);
		break;
	case EXIT_REASON_MSR_READ:
		sv_guest_msr(g, r, false);
		break;
	case EXIT_REASON_MSR_WRITE:
		sv_guest_msr(g, r, true);
		break;
	case EXIT_REASON_CR_ACCESS:
		if (!sv_guest_cr(g, r))
			sv_guest_unhandled(g, basic, "control-register access");
		break;
	case EXIT_REASON_XSETBV:
		sv_guest_xsetbv(g, r);
		break;
	case EXIT_REASON_INVD:
	case EXIT_REASON_WBINVD:
		/*
		 * VM memory is write-back and no device writes it behind the
		 * caches, so there is nothing to write back or discard; doing
		 * it would flush the caches the root shares (INVD would even
		 * lose the root's data).
		 */
		sv_skip_insn();
		break;
	case EXIT_REASON_MONITOR_INSTRUCTION:
	case EXIT_REASON_MWAIT_INSTRUCTION:
		/* CPUID offers neither: as on a CPU without them. */
		sv_inject(X86_TRAP_UD, false, 0);
		break;
	case EXIT_REASON_VMCALL:
		/* No hypercalls for guests: as on a CPU without VMX. */
		sv_inject(X86_TRAP_UD, false, 0);
		break;
	case EXIT_REASON_RDPMC:
		/* No performance counters are shared with a VM. */
		sv_inject(X86_TRAP_GP, true, 0);
		break;
	default:
		if (sv_exit_is_vmx_insn(basic))
			sv_inject(X86_TRAP_UD, false, 0);
		else
			sv_guest_unhandled(g, basic, "unhandled VM exit");
		break;
	}
	if (xchg(sv_nmi_arrived_flag(v), 0))
		sv_guest_exit_soon(g);
	return sv_guest_requests(v, r);
}
