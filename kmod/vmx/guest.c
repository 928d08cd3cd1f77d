// SPDX-License-Identifier: GPL-2.0
/*
 * A physical CPU given to a VM, as the hypervisor runs it.
 *
 * The root offlines the CPU with the hypervisor still on it, then posts
 * TAKE in the CPU's mailbox and sends it an NMI. The NMI exits from the
 * root's offline idle loop; instead of resuming the root, the hypervisor
 * keeps the root's registers and VMCS aside and loads the VM's VMCS, with
 * the guest parked. START, STOP and RELEASE come the same way. RELEASE
 * takes the root's VMCS back and leaves VMX right where the root was, so
 * Linux finds its offline CPU bare and onlines it as usual.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/tsc.h>
#include <asm/vmx.h>

#include "../vm/guest.h"
#include "guest_hv.h"
#include "insn.h"
#include "vcpu.h"

DEFINE_PER_CPU(struct sv_mailbox, sv_mailbox);

/*
 * Fault injection for the root's timeout paths: a VM CPU acts on requests
 * of kind test_late_req (enum sv_greq) only test_late_ms after they came,
 * as a CPU held up in the hypervisor would. Off (0) unless a test sets it.
 */
static unsigned int test_late_req;
module_param(test_late_req, uint, 0600);
MODULE_PARM_DESC(test_late_req, "for tests: the request VM CPUs answer late (1 take, 2 start, 3 stop, 4 release)");
static unsigned int test_late_ms;
module_param(test_late_ms, uint, 0600);
MODULE_PARM_DESC(test_late_ms, "for tests: how late, in ms");

/* Spins on the TSC: nothing of the root's runs in the hypervisor. */
static void sv_test_late(u32 req)
{
	unsigned int ms = READ_ONCE(test_late_ms);
	u64 end;

	if (likely(!ms) || req != READ_ONCE(test_late_req))
		return;
	end = rdtsc() + (u64)ms * tsc_khz;
	while (rdtsc() < end)
		cpu_relax();
}

static struct sv_mailbox *sv_my_mailbox(void)
{
	return this_cpu_ptr(&sv_mailbox);
}

bool sv_guest_take_pending(struct sv_vcpu *v)
{
	struct sv_mailbox *mb = sv_my_mailbox();

	return READ_ONCE(mb->seq) != v->mailbox_seen &&
	       READ_ONCE(mb->req) == SV_GREQ_TAKE;
}

static void sv_mailbox_answer(struct sv_vcpu *v, int result)
{
	struct sv_mailbox *mb = sv_my_mailbox();

	mb->result = result;
	smp_wmb();	/* the result before "done" */
	WRITE_ONCE(mb->done, v->mailbox_seen);
}

/* Make the CPU exit right after the next VM entry (preemption timer at 0). */
void sv_guest_exit_soon(struct sv_gcpu *g)
{
	if (g->pinbased & PIN_BASED_VMX_PREEMPTION_TIMER)
		return;
	g->pinbased |= PIN_BASED_VMX_PREEMPTION_TIMER;
	sv_vmwrite(PIN_BASED_VM_EXEC_CONTROL, g->pinbased);
	sv_vmwrite(VMX_PREEMPTION_TIMER_VALUE, 0);
}

void sv_guest_exit_soon_done(struct sv_gcpu *g)
{
	if (!(g->pinbased & PIN_BASED_VMX_PREEMPTION_TIMER))
		return;
	g->pinbased &= ~PIN_BASED_VMX_PREEMPTION_TIMER;
	sv_vmwrite(PIN_BASED_VM_EXEC_CONTROL, g->pinbased);
}

/* An NMI came while the hypervisor ran for the VM: look at it after entry. */
void sv_guest_nmi_arrived(struct sv_vcpu *v)
{
	xchg(sv_nmi_arrived_flag(v), 0);
	sv_guest_exit_soon(v->guest);
}

void sv_guest_take(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	struct sv_mailbox *mb = sv_my_mailbox();
	struct sv_gcpu *g = READ_ONCE(mb->gcpu);

	v->mailbox_seen = READ_ONCE(mb->seq);
	sv_test_late(SV_GREQ_TAKE);
	/* The NMI was the root's request, not an NMI for the root. */
	v->nmi_owed = false;
	xchg(sv_nmi_arrived_flag(v), 0);
	if (!g || sv_vmclear(__pa(g->vmcs)) || sv_vmptrld(__pa(g->vmcs))) {
		sv_vmptrld(v->vmcs_pa);
		sv_mailbox_answer(v, -EIO);
		return;
	}
	if (sv_gvmcs_setup(v, g)) {
		sv_vmclear(__pa(g->vmcs));
		sv_vmptrld(v->vmcs_pa);
		sv_mailbox_answer(v, -EIO);
		return;
	}
	memcpy(&v->root_regs, r, sizeof(*r));
	memset(r, 0, sizeof(*r));
	sv_cpu_state_take(&v->root_cpu);
	g->run = SV_GCPU_PARKED;
	v->guest = g;
	*sv_launch_flag(v) = 1;
	sv_mailbox_answer(v, 0);
}

/* Once taken, the CPU only leaves the wait for a started guest or Linux. */
unsigned long sv_guest_take_and_wait(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	sv_guest_take(v, r);
	return v->guest ? sv_guest_requests(v, r) : 0;
}

/* Guest-physical bytes of the VM, chunk by chunk; false if outside it. */
static bool sv_guest_copy(struct sv_vm_hv *vm, u64 gpa, const void *src, u64 len)
{
	if (gpa > vm->mem_size || len > vm->mem_size - gpa)
		return false;
	while (len) {
		u64 off = gpa & (SZ_2M - 1);
		u64 n = min_t(u64, len, SZ_2M - off);
		void *dst = __va(vm->chunk_pa[gpa >> 21] + off);

		if (src) {
			memcpy(dst, src, n);
			src += n;
		} else {
			memset(dst, 0, n);
		}
		gpa += n;
		len -= n;
	}
	return true;
}

/* The image's segments, zeroed tails and Multiboot info into VM memory. */
static int sv_guest_load(struct sv_vm_hv *vm, const struct sv_vm_image *img)
{
	const struct sv_mb_plan *plan = &img->plan;
	unsigned int i;

	for (i = 0; i < plan->nr_segments && i < SV_MB_MAX_SEGMENTS; i++) {
		const struct sv_mb_segment *s = &plan->seg[i];

		if (s->filesz > s->memsz || s->offset > img->size ||
		    s->filesz > img->size - s->offset ||
		    !sv_guest_copy(vm, s->gpa, img->bytes + s->offset, s->filesz) ||
		    !sv_guest_copy(vm, s->gpa + s->filesz, NULL, s->memsz - s->filesz))
			return -EINVAL;
	}
	if (!sv_guest_copy(vm, SV_MB_INFO_GPA, img->info, PAGE_SIZE))
		return -EINVAL;
	return 0;
}

static void sv_guest_start(struct sv_vcpu *v, struct sv_gcpu *g,
			   struct sv_guest_regs *r)
{
	struct sv_vm_hv *vm = g->vm;
	const struct sv_vm_image *img = READ_ONCE(vm->image);

	g->init_pending = false;
	g->sipi_pending = 0;
	memset(r, 0, sizeof(*r));
	sv_gvmcs_park(g);
	sv_gvmcs_power_on(g);
	sv_guest_lapic_reset(g);
	sv_cpu_state_power_on();
	if (g->index != 0) {
		g->run = SV_GCPU_WAIT_SIPI;
		sv_mailbox_answer(v, 0);
		return;
	}
	if (!img || sv_guest_load(vm, img)) {
		g->run = SV_GCPU_PARKED;
		sv_mailbox_answer(v, -EINVAL);
		return;
	}
	WRITE_ONCE(vm->ended, false);
	r->rax = SV_MB_BOOT_MAGIC;
	r->rbx = img->info_ptr;
	sv_gvmcs_multiboot_entry(g, img->plan.entry, img->info_ptr);
	g->run = SV_GCPU_RUNNING;
	sv_mailbox_answer(v, 0);
}

/* Give the CPU back to Linux: the root's VMCS again, then out of VMX. */
static unsigned long sv_guest_release(struct sv_vcpu *v, struct sv_gcpu *g,
				      struct sv_guest_regs *r)
{
	sv_cpu_state_give_back(&v->root_cpu);
	sv_vmclear(__pa(g->vmcs));
	v->guest = NULL;
	*sv_launch_flag(v) = 0;
	if (sv_vmptrld(v->vmcs_pa)) {
		sv_mailbox_answer(v, -EIO);
		panic("splitvisor: CPU %u cannot load the root's VMCS back", v->cpu);
	}
	memcpy(r, &v->root_regs, sizeof(*r));
	sv_mailbox_answer(v, 0);
	/* NMI exits are taken on instruction boundaries: resume at RIP itself. */
	return sv_leave(v, r, sv_vmread(GUEST_RIP));
}

/*
 * What the root and the VM's other CPUs asked of this one. Returns a leave
 * frame once the CPU went back to Linux, else 0.
 */
static unsigned long sv_guest_requests_once(struct sv_vcpu *v,
					    struct sv_guest_regs *r)
{
	struct sv_mailbox *mb = sv_my_mailbox();
	struct sv_gcpu *g = v->guest;
	u32 seq = READ_ONCE(mb->seq);

	if (seq != v->mailbox_seen) {
		u32 req;

		smp_rmb();	/* the root wrote the request before seq */
		req = READ_ONCE(mb->req);
		v->mailbox_seen = seq;
		sv_test_late(req);
		switch (req) {
		case SV_GREQ_START:
			sv_guest_start(v, g, r);
			break;
		case SV_GREQ_STOP:
			sv_gvmcs_park(g);
			g->run = SV_GCPU_PARKED;
			sv_mailbox_answer(v, 0);
			break;
		case SV_GREQ_RELEASE:
			return sv_guest_release(v, g, r);
		default:
			sv_mailbox_answer(v, -EINVAL);
			break;
		}
	}
	if (g->run != SV_GCPU_PARKED && READ_ONCE(g->vm->ended)) {
		sv_gvmcs_park(g);
		g->run = SV_GCPU_PARKED;
	}
	/* INIT and SIPI from another CPU of the VM. */
	if (READ_ONCE(g->init_pending)) {
		WRITE_ONCE(g->init_pending, false);
		if (g->run != SV_GCPU_PARKED) {
			sv_gvmcs_park(g);
			sv_cpu_state_init_signal();
			g->run = SV_GCPU_WAIT_SIPI;
		}
	}
	if (READ_ONCE(g->sipi_pending)) {
		u32 sipi = xchg(&g->sipi_pending, 0);

		if (g->run == SV_GCPU_WAIT_SIPI) {
			memset(r, 0, sizeof(*r));
			sv_gvmcs_real_mode_start(g, sipi & 0xff);
			g->run = SV_GCPU_RUNNING;
		}
	}
	return 0;
}

/*
 * Crash and emergency reboot. Linux stops the CPUs it has online; those of
 * the VMs are offline to it, so the hypervisor stops them. Each leaves VMX
 * operation, which blocks INIT (the next kernel starts a CPU with INIT and
 * SIPI), and halts for good with its guest's memory as it was.
 */
static atomic_t sv_emergency = ATOMIC_INIT(0);
static atomic_t sv_emergency_stopped = ATOMIC_INIT(0);

static void __noreturn sv_guest_emergency_halt(struct sv_vcpu *v)
{
	sv_vmclear(__pa(v->guest->vmcs));
	sv_vmclear(v->vmcs_pa);
	sv_vmxoff();
	/* Linux's CR4 shadow is the root's, not this CPU's host CR4. */
	asm volatile("mov %0, %%cr4" :: "r" (native_read_cr4() & ~X86_CR4_VMXE)
		     : "memory");
	atomic_inc(&sv_emergency_stopped);
	for (;;)
		native_halt();
}

/*
 * From Linux's emergency virtualization callback, on each CPU that leaves:
 * the first one NMIs every VM CPU and waits for them, up to a second as
 * Linux waits for its own. NMI context is fine: it only sends IPIs.
 */
void sv_guest_emergency_stop_all(void)
{
	unsigned int cpu, sent = 0, ms;

	if (atomic_xchg(&sv_emergency, 1))
		return;
	for_each_present_cpu(cpu) {
		if (cpu == smp_processor_id() ||
		    !READ_ONCE(per_cpu_ptr(&sv_mailbox, cpu)->gcpu))
			continue;
		apic->send_IPI(cpu, NMI_VECTOR);
		sent++;
	}
	for (ms = 0; ms < 1000 && atomic_read(&sv_emergency_stopped) < sent; ms++)
		mdelay(1);
}

/*
 * Handle what is asked of this CPU. While its guest is parked or waits
 * for a SIPI, the CPU halts here, in the hypervisor, until the NMI that
 * comes with every request, INIT or SIPI; parked guests are never entered.
 */
unsigned long sv_guest_requests(struct sv_vcpu *v, struct sv_guest_regs *r)
{
	unsigned long *nmi = sv_nmi_arrived_flag(v);
	struct sv_gcpu *g = v->guest;
	unsigned long leave;

	for (;;) {
		/* Cleared before looking: a later NMI keeps the CPU awake. */
		xchg(nmi, 0);
		if (unlikely(atomic_read(&sv_emergency)))
			sv_guest_emergency_halt(v);
		leave = sv_guest_requests_once(v, r);
		if (leave)
			return leave;
		if (g->run == SV_GCPU_RUNNING) {
			sv_cpu_before_entry();
			return 0;
		}
		sv_host_halt(nmi);
	}
}

/* Send an NMI to another CPU of a VM so it looks at its requests. */
void sv_guest_kick(struct sv_gcpu *g)
{
	apic->send_IPI(g->cpu, NMI_VECTOR);
}
