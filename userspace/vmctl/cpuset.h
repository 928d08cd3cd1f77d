/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sets of CPU numbers (Linux's numbering): the CPUs a VM is given or has.
 * Parsed from and printed as lists like "1,3-4". No libnl here.
 */
#ifndef VMCTL_CPUSET_H
#define VMCTL_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CPU numbers vmctl handles: x86's largest NR_CPUS. */
#define CPUSET_MAX		8192
#define CPUSET_WORDS		(CPUSET_MAX / 64)

struct cpuset {
	uint64_t bits[CPUSET_WORDS];
};

void cpuset_clear(struct cpuset *set);
/* false when @cpu is CPUSET_MAX or more */
bool cpuset_add(struct cpuset *set, uint32_t cpu);
bool cpuset_has(const struct cpuset *set, uint32_t cpu);
unsigned int cpuset_count(const struct cpuset *set);
/* The lowest CPU of @set at or above @from, or -1. */
int cpuset_next(const struct cpuset *set, uint32_t from);

/*
 * A list of CPUs and ranges, "2", "2,3", "1-3", "1,3-4", into @set:
 * decimal numbers, no blanks, no empty items, each range ascending, no CPU
 * named twice. Returns 0, or -1 with the reason in @why.
 */
int cpuset_parse(const char *text, struct cpuset *set, char *why,
		 size_t why_len);

/*
 * @set as the shortest list, "1,3-4", "" when empty, into @buf. Returns
 * the length of the whole list, as snprintf() does: @buf was too short
 * when that is @len or more.
 */
size_t cpuset_format(const struct cpuset *set, char *buf, size_t len);

#endif /* VMCTL_CPUSET_H */
