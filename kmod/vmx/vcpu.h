/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU state of the hypervisor, shared by the files of kmod/vmx/.
 *
 * Everything here that the hypervisor depends on (VMXON region, VMCS, host
 * stack, this structure itself) lives in whole pages that the root's EPT
 * does not map. The exit counters are not secret and stay visible, so the
 * control side can read them without a hypercall.
 */
#ifndef SPLITVISOR_VMX_VCPU_H
#define SPLITVISOR_VMX_VCPU_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <asm/vmx.h>

#include "../hv.h"

struct sv_ept;

#define SV_HOST_STACK_ORDER	2	/* 16 KiB, like a kernel stack */
#define SV_HOST_STACK_SIZE	(PAGE_SIZE << SV_HOST_STACK_ORDER)
/*
 * HOST_RSP: the 16 bytes above it are never pushed to and hold the flag
 * the hypervisor's NMI handler raises, which entry.S tests with nothing
 * but the stack pointer just before VMRESUME.
 */
#define SV_HOST_RSP_OFFSET	(SV_HOST_STACK_SIZE - 16)
#define SV_ROOT_VPID		1
#define SV_CPUID1_XSAVE		BIT(26)		/* CPUID.1:ECX */
#define SV_CPUID_D1_XSAVES	BIT(3)		/* CPUID.(0xd,1):EAX */

/* Guest GPRs as the exit entry pushes them (RSP lives in the VMCS). */
struct sv_guest_regs {
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
	unsigned long rdi, rsi, rbp, rbx, rdx, rcx, rax;
};

/* The root's values of what a VM owns of its CPU (guest_cpu.c). */
#define SV_CPU_OWNED_MSRS	8
struct sv_cpu_msrs {
	/* STAR, LSTAR, CSTAR, SYSCALL_MASK, KERNEL_GS_BASE, TSC_AUX, XSS, XFD */
	u64 msr[SV_CPU_OWNED_MSRS];
	u64 xcr0;
};

enum sv_vcpu_state {
	SV_VCPU_OFF = 0,
	SV_VCPU_LAUNCHING,	/* VMLAUNCH issued, not yet back in the root */
	SV_VCPU_ON,
};

struct sv_vcpu {
	unsigned int cpu;
	void *vmxon;
	void *vmcs;
	void *stack;
	u64 vmxon_pa;
	u64 vmcs_pa;
	struct sv_exit_stats *stats;	/* visible: this CPU's entry of the percpu counters */
	u32 procbased;			/* primary controls as last written */
	bool nmi_owed;			/* an NMI the root has yet to be given */
	/* What a VM-entry failure at launch is reported as. */
	u32 launch_exit_reason;
	u64 launch_qual;
	/* Set while the CPU belongs to a VM (guest.c): its VMCS is current. */
	struct sv_gcpu *guest;
	/* The root's GPRs while its VMCS waits for the CPU to come back. */
	struct sv_guest_regs root_regs;
	struct sv_cpu_msrs root_cpu;
	u32 mailbox_seen;		/* last request sequence handled */
};

/* The hypervisor-wide state every CPU shares, set up before any launch. */
struct sv_hv_shared {
	u64 eptp;
	u64 msr_bitmap_pa;
	u64 host_cr3;
	unsigned long host_idt;		/* Linux's IDT with the hypervisor's NMI gate */
	u64 cookie;		/* SPLITVISOR_HC_LEAVE argument of this enable */
	u32 pinbased, procbased, procbased2, exit_ctls, entry_ctls;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 xcr0_supported;		/* 0: the CPU has no XSAVE */
	bool cpu_has_xss;		/* IA32_XSS exists (XSAVES) */
	bool vm_xsaves;			/* and VMs may use it */
	/* VMs: the controls of their VMCSs, or why VMs cannot run here. */
	u32 g_pinbased, g_procbased, g_procbased2, g_exit_ctls, g_entry_ctls;
	const char *no_vms_why;
	u32 vmcs_revision;		/* read before VMX hid its MSRs */
};

extern struct sv_hv_shared sv_shared;
extern struct sv_ept sv_root_ept;
/* Hypervisor side only: the root never dereferences it while virtualized. */
DECLARE_PER_CPU(struct sv_vcpu *, sv_vcpu_ptr);
/* Visible to both sides: what the root knows of its CPU. */
DECLARE_PER_CPU(enum sv_vcpu_state, sv_cpu_state);

/* vmcs.c */
int sv_vmcs_setup(struct sv_vcpu *v);
struct sv_vmcs_controls {
	u32 pinbased, procbased, procbased2, exit_ctls, entry_ctls;
	u32 exception_bitmap;
	u16 vpid;
	u64 msr_bitmap_pa, eptp;
};

int sv_vmcs_write_controls(const struct sv_vmcs_controls *c);
int sv_vmcs_host_state(struct sv_vcpu *v);
u32 sv_adjust_ctls(u32 msr, u32 want, u32 required, u32 *missing);
int sv_vmx_controls_init(struct sv_hv_shared *sh, char *why, size_t len);

/* entry.S */
int sv_vmx_launch(void);
void sv_vmx_exit_entry(void);
void sv_vmx_launch_entry_failed(void);
void sv_host_nmi_entry(void);
/* The last instructions before VMRESUME, which an NMI there restarts. */
extern const char sv_vmx_resume_check[], sv_vmx_resume[];
/* HLT unless *@flag is set; an NMI between the test and HLT restarts it. */
void sv_host_halt(unsigned long *flag);
extern const char sv_host_halt_check[], sv_host_halt_insn[];

/* exit.c */
unsigned long sv_vmx_handle_exit(struct sv_guest_regs *regs);
unsigned long sv_vmx_resume_failed(struct sv_guest_regs *regs);
void sv_fault_reports_init(void);
void sv_fault_reports_sync(void);
unsigned long sv_leave(struct sv_vcpu *v, struct sv_guest_regs *r,
		       unsigned long rip);
bool sv_xcr0_valid(u64 val);
void sv_skip_insn(void);
void sv_inject(u32 vector, bool has_error, u32 error);

/* nmi.c */
static inline unsigned long *sv_nmi_arrived_flag(struct sv_vcpu *v)
{
	return v->stack + SV_HOST_RSP_OFFSET;
}

/* Next to it: entry.S enters with VMLAUNCH instead of VMRESUME while set. */
static inline unsigned long *sv_launch_flag(struct sv_vcpu *v)
{
	return v->stack + SV_HOST_RSP_OFFSET + 8;
}

void sv_host_idt_fill(void *idt_page);
void sv_nmi_exit(struct sv_vcpu *v);
void sv_nmi_prepare_entry(struct sv_vcpu *v);

/*
 * Before every VM entry, on the hot path: only an NMI owed, arrived or
 * waited for needs work. One arriving after this look is caught by
 * entry.S's.
 */
static __always_inline void sv_nmi_before_entry(struct sv_vcpu *v)
{
	if (unlikely(v->nmi_owed || READ_ONCE(*sv_nmi_arrived_flag(v)) ||
		     (v->procbased & CPU_BASED_NMI_WINDOW_EXITING)))
		sv_nmi_prepare_entry(v);
}

void sv_nmi_discard(struct sv_vcpu *v);
void sv_nmi_after_leave(struct sv_vcpu *v);
/* Called from entry.S. */
void sv_host_nmi(unsigned long *iret_frame);
void sv_vmx_nmi_arrived(void);

/* guest.c, guest_vmcs.c, guest_exit.c: CPUs given to VMs */
struct sv_gcpu;
bool sv_guest_take_pending(struct sv_vcpu *v);
void sv_guest_take(struct sv_vcpu *v, struct sv_guest_regs *r);
unsigned long sv_guest_take_and_wait(struct sv_vcpu *v, struct sv_guest_regs *r);
unsigned long sv_guest_handle_exit(struct sv_vcpu *v, struct sv_guest_regs *r);
unsigned long sv_guest_entry_vmfail(struct sv_vcpu *v, struct sv_guest_regs *r);
void sv_guest_nmi_arrived(struct sv_vcpu *v);
void sv_guest_controls_init(struct sv_hv_shared *sh, u32 pin_msr,
			    u32 proc_msr, u32 exit_msr, u32 entry_msr);
int sv_gvmcs_setup(struct sv_vcpu *v, struct sv_gcpu *g);
void sv_gvmcs_park(struct sv_gcpu *g);
void sv_gvmcs_multiboot_entry(struct sv_gcpu *g, u32 entry, u32 info);
void sv_gvmcs_real_mode_start(struct sv_gcpu *g, u8 vector);
void sv_gvmcs_power_on(struct sv_gcpu *g);
/*
 * CR4 bits a guest sees as it wrote them but never gets: CR4.MCE stays on,
 * so a machine check on a VM's CPU exits (#MC is in the exception bitmap)
 * instead of shutting the CPU down.
 */
#define SV_GUEST_CR4_HOST_OWNED	X86_CR4_MCE
void sv_cpu_hygiene_init(void);
void sv_cpu_before_entry(void);
void sv_cpu_state_take(struct sv_cpu_msrs *root);
void sv_cpu_state_power_on(void);
void sv_cpu_state_init_signal(void);
void sv_cpu_state_give_back(const struct sv_cpu_msrs *root);
bool sv_cpu_xsetbv(u64 xcr0);
bool sv_cpu_xss_write_ok(u64 val);
bool sv_cpu_xss_read_ok(void);

/*
 * The VMX and SMX instructions: they exit unconditionally, and both the
 * root and guests get #UD for them, as on a CPU without VMX or SMX.
 */
static inline bool sv_exit_is_vmx_insn(u32 basic)
{
	switch (basic) {
	case 11:	/* GETSEC, not in every kernel's uapi */
	case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST:
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMOFF:
	case EXIT_REASON_VMON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
		return true;
	default:
		return false;
	}
}

/* dump.c */
void sv_vmcs_dump(const char *why);

/* cpu.c: one CPU in and out of VMX */
int sv_cpu_virtualize(struct sv_vcpu *v);
void sv_cpu_devirtualize(void);

#endif /* SPLITVISOR_VMX_VCPU_H */
