// SPDX-License-Identifier: GPL-2.0
/*
 * One CPU into and out of VMX: the running Linux becomes the root in
 * place, and is handed back with its own state intact.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <asm/desc.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "insn.h"
#include "vcpu.h"

DEFINE_PER_CPU(struct sv_vcpu *, sv_vcpu_ptr);
DEFINE_PER_CPU(enum sv_vcpu_state, sv_cpu_state);

static long sv_vmcall(unsigned long nr, unsigned long arg)
{
	unsigned long rax = nr, rbx = arg, rcx = 0, rdx = 0;

	asm volatile("vmcall"
		     : "+a" (rax), "+b" (rbx), "+c" (rcx), "+d" (rdx)
		     :: "memory", "cc");
	return rax;
}

/* Called with interrupts off on the CPU itself. */
int sv_cpu_virtualize(struct sv_vcpu *v)
{
	int ret;

	if (__read_cr4() & X86_CR4_VMXE) {
		pr_err("CPU %u: VMX is already in use (CR4.VMXE is set)\n", v->cpu);
		return -EBUSY;
	}
	cr4_set_bits(X86_CR4_VMXE);
	if (sv_vmxon(v->vmxon_pa)) {
		pr_err("CPU %u: VMXON failed\n", v->cpu);
		ret = -EIO;
		goto clear_cr4;
	}
	/* Drop what an earlier enable may have left tagged. */
	sv_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	sv_invvpid(VMX_VPID_EXTENT_ALL_CONTEXT, 0);
	if (sv_vmclear(v->vmcs_pa) || sv_vmptrld(v->vmcs_pa)) {
		pr_err("CPU %u: cannot load the VMCS\n", v->cpu);
		ret = -EIO;
		goto vmxoff;
	}
	if (sv_vmcs_setup(v)) {
		pr_err("CPU %u: cannot write the VMCS\n", v->cpu);
		ret = -EIO;
		goto vmclear;
	}

	this_cpu_write(sv_vcpu_ptr, v);
	this_cpu_write(sv_cpu_state, SV_VCPU_LAUNCHING);
	ret = sv_vmx_launch();
	if (ret == 0) {
		/* From here on @v is hidden from this code: do not touch it. */
		this_cpu_write(sv_cpu_state, SV_VCPU_ON);
		return 0;
	}
	if (ret == 2) {
		/* The exit handler dumped the VMCS and already left VMX. */
		pr_err("CPU %u: VM entry failed, exit reason 0x%x, qualification 0x%llx\n",
		       v->cpu, v->launch_exit_reason, v->launch_qual);
		force_reload_TR();
		ret = -EIO;
		goto clear_cr4;
	}
	pr_err("CPU %u: VMLAUNCH failed, VM-instruction error %lu\n",
	       v->cpu, sv_vmread(VM_INSTRUCTION_ERROR));
	this_cpu_write(sv_cpu_state, SV_VCPU_OFF);
	ret = -EIO;
vmclear:
	sv_vmclear(v->vmcs_pa);
vmxoff:
	sv_vmxoff();
clear_cr4:
	cr4_clear_bits(X86_CR4_VMXE);
	return ret;
}

/* Called with interrupts off on the CPU itself. */
void sv_cpu_devirtualize(void)
{
	long ret;

	if (this_cpu_read(sv_cpu_state) != SV_VCPU_ON)
		return;
	ret = sv_vmcall(SPLITVISOR_HC_LEAVE, sv_shared.cookie);
	if (ret) {
		pr_err("CPU %d: the hypervisor refused to leave (%ld)\n",
		       smp_processor_id(), ret);
		return;
	}
	/* A VM exit cut the TSS limit to 0x67: Linux's I/O bitmap needs more. */
	force_reload_TR();
	cr4_clear_bits(X86_CR4_VMXE);
}
