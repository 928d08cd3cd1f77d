/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compute guest's workload, shared with root-side benchmarks: plain C
 * with only <stdint.h>, so a Linux program that includes this header runs
 * exactly the loop the guest runs and must get exactly its result.
 *
 * Each iteration advances a xorshift64 generator and folds its output into
 * an accumulator with a 64-bit LCG step and a rotate, so every iteration
 * depends on the one before (no vectorising, no closed form) and the loop
 * is pure integer ALU work with no memory traffic.
 *
 * Expected results (computed on the host with this header):
 *	compute_work(1000)	= 0xe1b8a70c1aaa7da9
 *	compute_work(1000000)	= 0xa8072e12a7002044	(the guest's default n)
 */
#ifndef COMPUTE_WORK_H
#define COMPUTE_WORK_H

#include <stdint.h>

#define COMPUTE_DEFAULT_N	1000000ULL

static inline uint64_t compute_work(uint64_t n)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;	/* xorshift state, never 0 */
	uint64_t acc = 0;
	uint64_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		acc = acc * 6364136223846793005ULL + (x ^ i);
		acc = (acc << 23) | (acc >> 41);
	}
	return acc ^ x;
}

#endif /* COMPUTE_WORK_H */
