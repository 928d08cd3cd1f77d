/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot v1 header, the 32-bit entry, the switch to long mode (shared
 * by CPU 0 and the APs), the AP real-mode trampoline and the exception
 * stubs.
 */
#include "guest.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000002	/* bit 1: want mem info; ELF, no bit 16 */

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18

#define CR0_PE		0x00000001
#define CR0_NW_CD	0x60000000
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define EFER_LME	0x00000100
#define PTE_P_RW	0x003
#define PTE_PS		0x080

	.section .multiboot, "a"
	.balign 4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.section .text.entry, "ax"
	.code32
	.globl	_start
_start:
	/* EAX = multiboot magic, EBX = info; no stack, no GDT of ours yet. */
	cli
	cld
	mov	%eax, %esi
	mov	%ebx, %ebp
	lgdt	gdt_ptr
	ljmp	$SEL_CODE32, $1f
1:	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs

	/* The loader need not zero .bss, and the page tables live there. */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl
	mov	%esi, mb_magic
	mov	%ebp, mb_info

	/*
	 * Identity-map the first 4 GiB with 2 MiB pages: 1 PML4 entry,
	 * 4 PDPT entries, 4 page directories of 512 entries. Addresses past
	 * the VM's memory are mapped too, so touching them reaches EPT.
	 */
	movl	$pdpt + PTE_P_RW, pml4
	mov	$pd + PTE_P_RW, %eax
	xor	%ecx, %ecx
2:	mov	%eax, pdpt(, %ecx, 8)
	add	$4096, %eax
	inc	%ecx
	cmp	$4, %ecx
	jne	2b
	mov	$PTE_P_RW + PTE_PS, %eax
	xor	%ecx, %ecx
3:	mov	%eax, pd(, %ecx, 8)
	add	$(2 << 20), %eax
	inc	%ecx
	cmp	$2048, %ecx
	jne	3b

	mov	$bsp_main64, %edi
	/* fall through */

/*
 * 32-bit protected mode, flat segments, paging off -> long mode, then jump
 * to the 64-bit address in EDI. Uses no stack: the APs come here too.
 */
	.globl	lm_common
lm_common:
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	/* An AP comes out of INIT with caching disabled: turn it on. */
	mov	%cr0, %eax
	and	$~CR0_NW_CD, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $lm64

	.code64
lm64:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	/* Upper halves of the GPRs are undefined after the mode switch. */
	mov	%edi, %edi
	jmp	*%rdi

bsp_main64:
	lea	boot_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	call	bsp_start
	jmp	halt_forever

ap_main64:
	mov	ap_boot_stack(%rip), %rsp
	xor	%ebp, %ebp
	call	ap_start
	jmp	halt_forever

	.globl	halt_forever
halt_forever:
	cli
	hlt
	jmp	halt_forever

/*
 * The AP trampoline, copied to TRAMP_BASE by smp_start_ap(). An AP starts
 * here in real mode at CS = TRAMP_VECTOR << 8, IP = 0, so everything it
 * touches before paging is addressed relative to the copy.
 */
	.section .rodata.trampoline, "a"
	.code16
	.globl	trampoline_start, trampoline_end
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tramp_gdt_ptr - trampoline_start
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $(TRAMP_BASE + tramp32 - trampoline_start)

	.code32
tramp32:
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$ap_main64, %edi
	mov	$lm_common, %eax
	jmp	*%eax

	.balign 8
tramp_gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt
trampoline_end:

/*
 * Exception stubs for vectors 0-31: push a zero error code where the CPU
 * pushes none, then the vector, so every frame looks the same. Their
 * addresses go to isr_table, from which idt_init() builds the IDT.
 */
	.section .rodata.isr, "a"
	.balign 8
	.globl	isr_table
isr_table:

	.text
	.code64
.macro ISR vec
	.p2align 4
isr_\vec:
	.if !((\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || \
	      (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || \
	      (\vec == 29) || (\vec == 30))
	pushq	$0
	.endif
	pushq	$\vec
	jmp	isr_common
	.pushsection .rodata.isr, "a"
	.quad	isr_\vec
	.popsection
.endm

	.irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ISR	\vec
	.endr

/* Saves the GPRs in the order of struct trap_frame (lib/lib.c). */
isr_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	call	exception_handler
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

	.data
	.balign 16
	.globl	gdt, gdt_end
gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* SEL_CODE64 */
	.quad	0x00cf92000000ffff	/* SEL_DATA: flat 4 GiB */
	.quad	0x00cf9a000000ffff	/* SEL_CODE32: entry and trampoline */
gdt_end:
	.balign 8
	.word	0, 0, 0
gdt_ptr:				/* 8-aligned base: lgdt in either mode */
	.word	gdt_end - gdt - 1
	.quad	gdt

	.globl	mb_magic, mb_info
mb_magic:
	.long	0
mb_info:
	.long	0

	.bss
	.balign 4096
pml4:
	.skip	4096
pdpt:
	.skip	4096
pd:
	.skip	4 * 4096
	.balign 16
boot_stack:
	.skip	16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
