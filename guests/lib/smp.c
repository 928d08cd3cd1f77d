// SPDX-License-Identifier: GPL-2.0
/* The local APIC and starting the other CPUs with INIT-SIPI-SIPI. */
#include "guest.h"

#define CPUID1_ECX_X2APIC	(1U << 21)

/*
 * splitvisor's VMs have an x2APIC only: their xAPIC page at 0xfee00000 is
 * outside VM memory, and touching it crashes the VM. QEMU's TCG before
 * 8.1 has no x2APIC, so only there do we fall back to the xAPIC MMIO; it
 * lets the SMP code be tried under QEMU and is never taken in splitvisor.
 */
#define XAPIC_BASE		0xfee00000UL
#define XAPIC_ID		0x020
#define XAPIC_ICR_LO		0x300
#define XAPIC_ICR_HI		0x310
#define XAPIC_ICR_PENDING	(1U << 12)

#define AP_STACK_SIZE		16384
/* Between INIT and SIPI, and before a second SIPI (TSC cycles). */
#define INIT_DELAY_CYCLES	1000000ULL
#define SIPI_RETRY_CYCLES	100000000ULL

static bool x2apic;
static u32 xapic_noted;

/*
 * What the AP being started needs: read by entry.S's ap_main64 (its first
 * RSP) and by ap_start(); written by smp_start_ap() before the SIPI.
 */
u64 ap_boot_stack;
static void (*ap_boot_fn)(void);
static u32 ap_booted;		/* set by the AP once it has read them */
static unsigned int ap_count;
static u8 ap_stacks[MAX_CPUS - 1][AP_STACK_SIZE] __aligned(16);

bool apic_is_x2apic(void)
{
	return x2apic;
}

void apic_init(void)
{
	u32 a, b, c, d;
	u64 base;

	cpuid(1, 0, &a, &b, &c, &d);
	x2apic = c & CPUID1_ECX_X2APIC;
	if (!x2apic) {
		if (!__atomic_exchange_n(&xapic_noted, 1, __ATOMIC_RELAXED))
			puts("apic: no x2APIC, using the xAPIC MMIO (not splitvisor)\n");
		return;
	}
	/*
	 * splitvisor hands over the APIC in x2APIC mode already; elsewhere
	 * (QEMU with KVM) it may still be in xAPIC mode and need switching.
	 */
	base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_EXTD))
		safe_wrmsr(MSR_IA32_APIC_BASE,
			   base | APIC_BASE_EN | APIC_BASE_EXTD);
}

u32 apic_id(void)
{
	if (x2apic)
		return rdmsr(MSR_X2APIC_ID);
	return read32(XAPIC_BASE + XAPIC_ID) >> 24;
}

/* Physical destination, no shorthand: low = delivery mode | vector. */
void apic_icr_write(u32 dest, u32 low)
{
	if (x2apic) {
		wrmsr(MSR_X2APIC_ICR, ((u64)dest << 32) | low);
		return;
	}
	write32(XAPIC_BASE + XAPIC_ICR_HI, dest << 24);
	write32(XAPIC_BASE + XAPIC_ICR_LO, low);
	while (read32(XAPIC_BASE + XAPIC_ICR_LO) & XAPIC_ICR_PENDING)
		cpu_relax();
}

static void tsc_delay(u64 cycles)
{
	u64 t0 = rdtsc();

	while (rdtsc() - t0 < cycles)
		cpu_relax();
}

static bool wait_booted(u64 cycles)
{
	u64 t0 = rdtsc();

	while (!__atomic_load_n(&ap_booted, __ATOMIC_ACQUIRE)) {
		if (rdtsc() - t0 >= cycles)
			return false;
		cpu_relax();
	}
	return true;
}

int smp_start_ap(u32 id, void (*fn)(void))
{
	if (ap_count >= ARRAY_SIZE(ap_stacks))
		return -1;
	memcpy((void *)TRAMP_BASE, trampoline_start,
	       trampoline_end - trampoline_start);
	ap_boot_stack = (u64)ap_stacks[ap_count] + AP_STACK_SIZE;
	ap_boot_fn = fn;
	/* Release: the AP sees the stack, fn and trampoline with it. */
	__atomic_store_n(&ap_booted, 0, __ATOMIC_RELEASE);

	apic_icr_write(id, ICR_INIT);
	tsc_delay(INIT_DELAY_CYCLES);
	apic_icr_write(id, ICR_SIPI | TRAMP_VECTOR);
	/*
	 * The second SIPI of the usual sequence only if the first one was
	 * lost: a CPU that already runs ignores a SIPI, but why rely on it.
	 */
	if (!wait_booted(SIPI_RETRY_CYCLES)) {
		apic_icr_write(id, ICR_SIPI | TRAMP_VECTOR);
		if (!wait_booted(SMP_TIMEOUT_CYCLES - SIPI_RETRY_CYCLES))
			return -1;
	}
	/* The AP has its stack and fn: the next AP may have the next ones. */
	ap_count++;
	return 0;
}

/* Called by entry.S on an AP, in long mode, on its own stack. */
void ap_start(void)
{
	void (*fn)(void);

	fn = __atomic_load_n(&ap_boot_fn, __ATOMIC_ACQUIRE);
	ap_init();
	apic_init();
	__atomic_store_n(&ap_booted, 1, __ATOMIC_RELEASE);
	fn();
}
