// SPDX-License-Identifier: GPL-2.0
/*
 * From entry.S to guest_main(): the IDT, the exception handler with its
 * fixups for the safe_*() instructions, and the multiboot information.
 */
#include "guest.h"

#define MB_BOOT_MAGIC	0x2badb002
#define MB_INFO_CMDLINE	(1U << 2)
#define CMDLINE_MAX	1023		/* as SPLITVISOR_VM_CMDLINE_MAX */

/* Pushed by the CPU, the stub and isr_common, lowest address first. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

struct idt_gate {
	u16 off0;
	u16 sel;
	u8 ist;
	u8 type;
	u16 off1;
	u32 off2;
	u32 reserved;
} __packed;

static struct idt_gate idt[32] __aligned(16);
static char cmdline_buf[CMDLINE_MAX + 1];

static void idt_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(idt); i++) {
		u64 a = isr_table[i];

		idt[i] = (struct idt_gate) {
			.off0 = a & 0xffff,
			.sel = 0x08,
			.type = 0x8e,		/* present, 64-bit interrupt gate */
			.off1 = (a >> 16) & 0xffff,
			.off2 = a >> 32,
		};
	}
}

/* Each CPU loads the one IDT. */
static void idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed ptr = { sizeof(idt) - 1, (u64)idt };

	asm volatile("lidt %0" : : "m"(ptr));
}

static const char *const exc_names[32] = {
	[0] = "#DE", [1] = "#DB", [2] = "NMI", [3] = "#BP", [4] = "#OF",
	[5] = "#BR", [6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS",
	[11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
	[17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
};

const char *exception_name(unsigned int vector)
{
	if (vector < ARRAY_SIZE(exc_names) && exc_names[vector])
		return exc_names[vector];
	return "#??";
}

/* Print with no lock: the faulting CPU may hold the console lock. */
static void __printf(1, 2) emergency_printf(const char *fmt, ...)
{
	char buf[160];
	const char *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p; p++) {
		while (!(inb(UART_LSR) & UART_LSR_THRE))
			cpu_relax();
		outb(UART_PORT, *p);
	}
}

/* Called by isr_common for every exception, with the frame it built. */
void exception_handler(void *trap_frame)
{
	struct trap_frame *f = trap_frame;
	const struct extable_entry *e;
	u64 cr2 = 0;

	for (e = __extable_start; e < __extable_end; e++) {
		if (e->insn == f->rip) {
			/* A safe_*() instruction: skip it, report the vector. */
			f->rip = e->fixup;
			f->rsi = SAFE_FAULT | f->vector;
			return;
		}
	}
	if (f->vector == X86_PF)
		asm volatile("mov %%cr2, %0" : "=r"(cr2));
	emergency_printf("exception %u %s rip=0x%lx err=0x%lx cr2=0x%lx\n",
			 (unsigned int)f->vector, exception_name(f->vector),
			 f->rip, f->error, cr2);
	sv_exit(0xe0 + f->vector);
}

/*
 * "1:" is the instruction that may fault, "2:" where to go on if it does.
 * The handler puts SAFE_FAULT | vector in RSI, which the caller binds to
 * its fault variable, initialised to 0.
 */
#define SAFE_INSN(insn)					\
	"1:	" insn "\n"				\
	"2:\n"						\
	"	.pushsection .extable, \"a\"\n"		\
	"	.balign 8\n"				\
	"	.quad 1b, 2b\n"				\
	"	.popsection\n"

int safe_rdmsr(u32 msr, u64 *val)
{
	u64 fault = 0;
	u32 lo = 0, hi = 0;

	asm volatile(SAFE_INSN("rdmsr")
		     : "+a"(lo), "+d"(hi), "+S"(fault)
		     : "c"(msr)
		     : "memory");
	*val = fault ? 0 : ((u64)hi << 32) | lo;
	return fault;
}

/* WRMSR and XSETBV take ECX and EDX:EAX alike. */
#define SAFE_ECX_EDX_EAX(name, insn)					\
int name(u32 ecx, u64 val)						\
{									\
	u64 fault = 0;							\
									\
	asm volatile(SAFE_INSN(insn)					\
		     : "+S"(fault)					\
		     : "c"(ecx), "a"((u32)val), "d"((u32)(val >> 32))	\
		     : "memory");					\
	return fault;							\
}

SAFE_ECX_EDX_EAX(safe_wrmsr, "wrmsr")
SAFE_ECX_EDX_EAX(safe_xsetbv, "xsetbv")

int safe_monitor(const void *addr)
{
	u64 fault = 0;

	asm volatile(SAFE_INSN("monitor")
		     : "+S"(fault)
		     : "a"(addr), "c"(0), "d"(0)
		     : "memory");
	return fault;
}

int safe_mwait(void)
{
	u64 fault = 0;

	asm volatile(SAFE_INSN("mwait")
		     : "+S"(fault)
		     : "a"(0), "c"(0)
		     : "memory");
	return fault;
}

/* MOV to a control register. */
#define SAFE_WRITE_CR(name, cr)						\
int name(u64 val)							\
{									\
	u64 fault = 0;							\
									\
	asm volatile(SAFE_INSN("mov %1, %%" cr)				\
		     : "+S"(fault)					\
		     : "r"(val)						\
		     : "memory");					\
	return fault;							\
}

SAFE_WRITE_CR(safe_write_cr0, "cr0")
SAFE_WRITE_CR(safe_write_cr4, "cr4")
SAFE_WRITE_CR(safe_write_cr8, "cr8")

int safe_vmcall(u64 *rax, u64 rbx, u64 rcx, u64 rdx, u64 rdi)
{
	/* RSI is the fault report: 0 going in, the only register not set. */
	u64 fault = 0, a = *rax;

	asm volatile(SAFE_INSN("vmcall")
		     : "+a"(a), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+D"(rdi),
		       "+S"(fault)
		     :
		     : "memory");
	if (!fault)
		*rax = a;
	return fault;
}

const char *cmdline(void)
{
	return cmdline_buf;
}

/* Called by entry.S on CPU 0, on the boot stack, in long mode. */
void __noreturn bsp_start(void)
{
	idt_init();
	idt_load();

	/* Copy the command line out of the loader's page at 0x9000. */
	if (mb_magic == MB_BOOT_MAGIC) {
		const u32 *info = (const u32 *)(u64)mb_info;

		if (info[0] & MB_INFO_CMDLINE) {
			const char *s = (const char *)(u64)info[4];
			size_t i;

			for (i = 0; i < CMDLINE_MAX && s[i]; i++)
				cmdline_buf[i] = s[i];
		}
	} else {
		printf("not booted by multiboot: eax=0x%x\n", mb_magic);
	}
	sv_exit(guest_main());
}

/* Called by ap_start() on an AP, on the stack smp_start_ap() gave it. */
void ap_init(void)
{
	idt_load();
}
