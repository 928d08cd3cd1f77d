/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The splitvisor guest library: what a guest image needs to talk to the
 * VM environment splitvisor gives it (see guests/README.md).
 *
 * A guest defines guest_main(); the library's entry (entry.S) runs it on
 * CPU 0 in long mode with the first 4 GiB identity-mapped, and ends the VM
 * with its return value as the exit status.
 */
#ifndef SPLITVISOR_GUEST_H
#define SPLITVISOR_GUEST_H

/* Constants, also for entry.S. */

/* The two devices every VM has. */
#define UART_PORT	0x3f8
#define UART_LSR	(UART_PORT + 5)
#define UART_LSR_THRE	0x20
#define EXIT_PORT	0xf4

/* Exception vectors the guests care about. */
#define X86_DE		0
#define X86_NMI		2
#define X86_UD		6
#define X86_DF		8
#define X86_GP		13
#define X86_PF		14

/* Control-register bits. */
#define CR4_MCE			(1ULL << 6)
#define CR4_OSFXSR		(1ULL << 9)
#define CR4_OSXMMEXCPT		(1ULL << 10)
#define CR4_OSXSAVE		(1ULL << 18)

/* MSRs. */
#define MSR_IA32_TSC		0x10
#define MSR_IA32_APIC_BASE	0x1b
#define APIC_BASE_BSP		(1ULL << 8)
#define APIC_BASE_EXTD		(1ULL << 10)
#define APIC_BASE_EN		(1ULL << 11)
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_IA32_PAT		0x277
#define MSR_X2APIC_ID		0x802
#define MSR_X2APIC_VERSION	0x803
#define MSR_X2APIC_EOI		0x80b
#define MSR_X2APIC_SVR		0x80f
#define MSR_X2APIC_ICR		0x830
#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_X2APIC_TPR		0x808
#define MSR_IA32_XSS		0xda0
#define MSR_EFER		0xc0000080
#define EFER_SCE		(1ULL << 0)
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

/* ICR delivery modes, as the contract writes them (no level bit). */
#define ICR_FIXED	(0U << 8)
#define ICR_NMI		(4U << 8)
#define ICR_INIT	(5U << 8)
#define ICR_SIPI	(6U << 8)

/* Where the AP real-mode trampoline runs (below 1 MiB, not 0x9000). */
#define TRAMP_BASE	0x8000
#define TRAMP_VECTOR	(TRAMP_BASE >> 12)
#define MAX_CPUS	8

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define __aligned(x)	__attribute__((__aligned__(x)))
#define __packed	__attribute__((__packed__))
#define __noreturn	__attribute__((__noreturn__))
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static inline void barrier(void)
{
	asm volatile("" ::: "memory");
}

/* One access of exactly this width, never merged or elided by gcc. */
static inline u32 read32(u64 addr)
{
	u32 v;

	asm volatile("movl (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline u64 read64(u64 addr)
{
	u64 v;

	asm volatile("movq (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void write32(u64 addr, u32 v)
{
	asm volatile("movl %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

static inline void write64(u64 addr, u64 v)
{
	asm volatile("movq %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

/* Port I/O. */
static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* CPU. */
static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(sub));
}

/* Raw MSR access: a #GP here is fatal (see safe_rdmsr()). */
static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline u64 xgetbv(u32 xcr)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((u64)hi << 32) | lo;
}

static inline u64 read_cr4(void)
{
	u64 v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(u64 v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline u64 read_cr8(void)
{
	u64 v;

	asm volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
		     : "memory");
}

void __noreturn halt_forever(void);

/*
 * Faulting instructions on purpose. These return 0 when the instruction
 * completed, or SAFE_FAULT | vector when it raised an exception, in which
 * case the exception handler skipped it instead of ending the VM.
 */
#define SAFE_FAULT		0x100
#define SAFE_VECTOR(r)		((r) & 0xff)
int safe_rdmsr(u32 msr, u64 *val);
int safe_wrmsr(u32 msr, u64 val);
int safe_xsetbv(u32 xcr, u64 val);
int safe_monitor(const void *addr);
int safe_mwait(void);
int safe_write_cr0(u64 val);
int safe_write_cr4(u64 val);
int safe_write_cr8(u64 val);
/*
 * VMCALL with these registers (RSI is 0: it carries the fault report);
 * *rax is updated if it returns.
 */
int safe_vmcall(u64 *rax, u64 rbx, u64 rcx, u64 rdx, u64 rdi);
/* "#GP", "#UD", ... for the vector; "#??" if the guests never expect it. */
const char *exception_name(unsigned int vector);

/* Console and exit. */
void putc(char c);
void puts(const char *s);	/* no newline added */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printf(const char *fmt, ...) __printf(1, 2);
void __noreturn sv_exit(u32 status);

/* The multiboot command line ("" when there is none). */
const char *cmdline(void);
/* Value of the word key=value on the command line, or def. */
u64 cmdline_get(const char *key, u64 def);

/* Local APIC: x2APIC MSRs (see apic.c for the one exception). */
void apic_init(void);		/* on each CPU, before the functions below */
u32 apic_id(void);
void apic_icr_write(u32 dest, u32 low);
bool apic_is_x2apic(void);

/* SMP. */
#define SMP_TIMEOUT_CYCLES	1000000000ULL
/*
 * Start the CPU with this APIC ID with INIT-SIPI-SIPI; it runs fn() on its
 * own stack with interrupts off, then halts. Returns 0 once it runs, -1 if
 * it did not come within SMP_TIMEOUT_CYCLES of the TSC.
 */
int smp_start_ap(u32 apic_id, void (*fn)(void));

typedef struct {
	u32 locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* Freestanding string functions (gcc may call the first four itself). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
u64 strtoull(const char *s, const char **end, int base);

/* Every guest defines this; its return value is the exit status. */
int guest_main(void);

/* Between the library's files, entry.S and the linker script only. */
struct extable_entry {
	u64 insn, fixup;	/* the instruction that may fault, and after it */
};

extern u32 mb_magic, mb_info;
extern const u64 isr_table[32];
extern const struct extable_entry __extable_start[], __extable_end[];
extern const char trampoline_start[], trampoline_end[];
extern u64 ap_boot_stack;
void exception_handler(void *trap_frame);
void __noreturn bsp_start(void);
void ap_init(void);
void ap_start(void);

#endif /* __ASSEMBLER__ */
#endif /* SPLITVISOR_GUEST_H */
