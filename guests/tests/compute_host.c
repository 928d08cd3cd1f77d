// SPDX-License-Identifier: GPL-2.0
/*
 * compute_work.h as ordinary userspace C: checks the results its comment
 * documents, which the compute guest must print as well.
 */
#include <inttypes.h>
#include <stdio.h>
#include "../compute/compute_work.h"

static int check(uint64_t n, uint64_t want)
{
	uint64_t got = compute_work(n);

	printf("compute_work(%" PRIu64 ") = 0x%016" PRIx64 " %s\n", n, got,
	       got == want ? "ok" : "WRONG");
	return got != want;
}

int main(void)
{
	int bad = 0;

	bad |= check(1000, 0xe1b8a70c1aaa7da9ULL);
	bad |= check(COMPUTE_DEFAULT_N, 0xa8072e12a7002044ULL);
	return bad;
}
