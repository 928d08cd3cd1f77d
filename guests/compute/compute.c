// SPDX-License-Identifier: GPL-2.0
/*
 * A deterministic integer workload: compute_work(n) (compute_work.h, shared
 * with the root-side benchmark), n from the command line "n=", timed with
 * the TSC.
 */
#include "guest.h"
#include "compute_work.h"

int guest_main(void)
{
	u64 n = cmdline_get("n", COMPUTE_DEFAULT_N);
	u64 t0, t1, result;

	t0 = rdtsc();
	result = compute_work(n);
	t1 = rdtsc();
	printf("result=0x%016llx n=%llu cycles=%llu\n",
	       (unsigned long long)result, (unsigned long long)n,
	       (unsigned long long)(t1 - t0));
	return 0;
}
