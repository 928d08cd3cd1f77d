/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Crossing between the root (Linux in VMX non-root operation) and the
 * hypervisor (VMX root operation).
 *
 * sv_vmx_launch turns the calling CPU into the root: the VMCS's guest RSP
 * and RIP are this very frame and the label after VMLAUNCH, so a
 * successful launch simply returns 0 to its caller, now virtualized.
 *
 * sv_vmx_exit_entry is the VMCS's host RIP. It saves the root's GPRs on
 * the CPU's host stack and calls the C handler, which answers 0 to resume
 * the root, or, once it has left VMX, the root stack address of a frame
 * holding the root's GPRs, RFLAGS and RIP to continue from.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

#define GUEST_RSP_FIELD	0x681c
#define GUEST_RIP_FIELD	0x681e

.macro SV_PUSH_GPRS
	push %rax
	push %rcx
	push %rdx
	push %rbx
	push %rbp
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro SV_POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rbp
	pop %rbx
	pop %rdx
	pop %rcx
	pop %rax
.endm

	.text

/* int sv_vmx_launch(void): 0 virtualized, 1 VMfail, 2 VM-entry failure */
SYM_FUNC_START(sv_vmx_launch)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx

	mov $GUEST_RSP_FIELD, %rax
	vmwrite %rsp, %rax
	lea .Lsv_launched(%rip), %rdx
	mov $GUEST_RIP_FIELD, %rax
	vmwrite %rdx, %rax

	vmlaunch
	mov $1, %eax
	jmp .Lsv_launch_out

SYM_INNER_LABEL(sv_vmx_launch_entry_failed, SYM_L_GLOBAL)
	ENDBR
	mov $2, %eax
	jmp .Lsv_launch_out

.Lsv_launched:
	ENDBR
	xor %eax, %eax

.Lsv_launch_out:
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(sv_vmx_launch)
STACK_FRAME_NON_STANDARD sv_vmx_launch

SYM_FUNC_START(sv_vmx_exit_entry)
	SV_PUSH_GPRS
	/*
	 * Return predictions a guest planted must not steer the hypervisor's
	 * returns: refill the RSB where Linux says the CPU needs it.
	 */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	/* Keep the C handler's frame 16-byte aligned. */
	sub $8, %rsp
	lea 8(%rsp), %rdi
	call sv_vmx_handle_exit
	add $8, %rsp
	test %rax, %rax
	jnz .Lsv_leave

	SV_POP_GPRS
	/*
	 * The stack is back at HOST_RSP, whose slot holds the NMI flag (see
	 * vcpu.h). An NMI between this test and VMRESUME makes the
	 * hypervisor's NMI handler return here, to the test.
	 */
SYM_INNER_LABEL(sv_vmx_resume_check, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR	/* an IRET target, never branched to indirectly */
	cmpq $0, (%rsp)
	jne .Lsv_nmi_arrived
	/* The slot above it asks for the first entry of a VM's VMCS. */
	cmpq $0, 8(%rsp)
	je .Lsv_vmx_do_resume
	vmlaunch
	jmp .Lsv_vmx_entry_failed
.Lsv_vmx_do_resume:
SYM_INNER_LABEL(sv_vmx_resume, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	vmresume

	/*
	 * VMRESUME or VMLAUNCH itself failed. The C handler answers as
	 * sv_vmx_handle_exit does (a VM's CPU waits there for its next start
	 * or release); on the root it does not return.
	 */
.Lsv_vmx_entry_failed:
	SV_PUSH_GPRS
	sub $8, %rsp
	lea 8(%rsp), %rdi
	call sv_vmx_resume_failed
	add $8, %rsp
	test %rax, %rax
	jnz .Lsv_leave
	SV_POP_GPRS
	jmp sv_vmx_resume_check

.Lsv_nmi_arrived:
	SV_PUSH_GPRS
	sub $8, %rsp
	call sv_vmx_nmi_arrived
	add $8, %rsp
	SV_POP_GPRS
	jmp sv_vmx_resume_check

.Lsv_leave:
	/* VMX is off: continue the root where it was, on its own stack. */
	mov %rax, %rsp
	SV_POP_GPRS
	popf
	RET
SYM_FUNC_END(sv_vmx_exit_entry)
STACK_FRAME_NON_STANDARD sv_vmx_exit_entry

/*
 * A CPU waiting in the hypervisor halts until an NMI, with interrupts off.
 * An NMI after the test of the flag it sets, before HLT, would leave the
 * CPU halted with the news missed: the NMI gate sends it back to the test.
 */
SYM_FUNC_START(sv_host_halt)
SYM_INNER_LABEL(sv_host_halt_check, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR	/* an IRET target, never branched to indirectly */
	cmpq $0, (%rdi)
	jne 1f
SYM_INNER_LABEL(sv_host_halt_insn, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	hlt
1:
	RET
SYM_FUNC_END(sv_host_halt)

/*
 * The hypervisor's NMI gate (nmi.c): an interrupt gate on the current
 * stack. The C part gets the IRET frame, whose RIP it may move back.
 */
SYM_CODE_START(sv_host_nmi_entry)
	UNWIND_HINT_IRET_REGS
	ENDBR
	SV_PUSH_GPRS
	/* The CPU aligned the frame: 5 + 15 pushes leave the call aligned. */
	lea 15*8(%rsp), %rdi
	call sv_host_nmi
	SV_POP_GPRS
	iretq
SYM_CODE_END(sv_host_nmi_entry)
