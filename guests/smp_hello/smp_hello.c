// SPDX-License-Identifier: GPL-2.0
/*
 * Two CPUs: CPU 0 starts APIC ID 1 with INIT-SIPI-SIPI, both say they are
 * up, CPU 0 waits for CPU 1 and ends the VM.
 */
#include "guest.h"

static u32 ap_reported;

static void cpu_up(void)
{
	printf("cpu %u up\n", apic_id());
}

static void ap_main(void)
{
	cpu_up();
	__atomic_store_n(&ap_reported, 1, __ATOMIC_RELEASE);
}

int guest_main(void)
{
	u64 t0;

	apic_init();
	cpu_up();
	if (smp_start_ap(1, ap_main)) {
		puts("ap timeout\n");
		return 1;
	}
	/* It runs; now wait for its line, under the same bound. */
	t0 = rdtsc();
	while (!__atomic_load_n(&ap_reported, __ATOMIC_ACQUIRE)) {
		if (rdtsc() - t0 >= SMP_TIMEOUT_CYCLES) {
			puts("ap timeout\n");
			return 1;
		}
		cpu_relax();
	}
	puts("all 2 cpus up\n");
	return 0;
}
