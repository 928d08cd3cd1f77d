// SPDX-License-Identifier: GPL-2.0
/*
 * CPU sets as bitmaps: sorted and free of duplicates by construction, so
 * lists come out ascending whatever order the user or the module used.
 */
#include <stdio.h>
#include <string.h>

#include "cpuset.h"

void cpuset_clear(struct cpuset *set)
{
	memset(set, 0, sizeof(*set));
}

bool cpuset_add(struct cpuset *set, uint32_t cpu)
{
	if (cpu >= CPUSET_MAX)
		return false;
	set->bits[cpu / 64] |= 1ULL << (cpu % 64);
	return true;
}

bool cpuset_has(const struct cpuset *set, uint32_t cpu)
{
	return cpu < CPUSET_MAX && (set->bits[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned int cpuset_count(const struct cpuset *set)
{
	unsigned int i, n = 0;

	for (i = 0; i < CPUSET_WORDS; i++)
		n += __builtin_popcountll(set->bits[i]);
	return n;
}

int cpuset_next(const struct cpuset *set, uint32_t from)
{
	uint32_t word = from / 64;
	uint64_t bits;

	if (from >= CPUSET_MAX)
		return -1;
	bits = set->bits[word] & (~0ULL << (from % 64));
	for (;;) {
		if (bits)
			return word * 64 + __builtin_ctzll(bits);
		if (++word == CPUSET_WORDS)
			return -1;
		bits = set->bits[word];
	}
}

/* A decimal CPU number at *@p, which moves past it. */
static int parse_cpu(const char **p, uint32_t *cpu)
{
	uint64_t value = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		value = value * 10 + (*s - '0');
		if (value >= CPUSET_MAX)
			value = CPUSET_MAX;	/* saturate: too large anyway */
		s++;
	}
	*p = s;
	*cpu = value;
	return 0;
}

int cpuset_parse(const char *text, struct cpuset *set, char *why,
		 size_t why_len)
{
	const char *p = text;
	uint32_t first, last, cpu;

	cpuset_clear(set);
	for (;;) {
		if (parse_cpu(&p, &first) < 0)
			goto bad;
		last = first;
		if (*p == '-') {
			p++;
			if (parse_cpu(&p, &last) < 0)
				goto bad;
		}
		if (*p && *p != ',')
			goto bad;
		if (last >= CPUSET_MAX) {
			snprintf(why, why_len,
				 "CPU list '%s': CPUs are numbered below %d",
				 text, CPUSET_MAX);
			return -1;
		}
		if (last < first) {
			snprintf(why, why_len,
				 "CPU list '%s': range %u-%u goes down", text,
				 first, last);
			return -1;
		}
		for (cpu = first; cpu <= last; cpu++) {
			if (cpuset_has(set, cpu)) {
				snprintf(why, why_len,
					 "CPU list '%s': CPU %u is named twice",
					 text, cpu);
				return -1;
			}
			cpuset_add(set, cpu);
		}
		if (!*p)
			return 0;
		p++;	/* past the comma */
	}
bad:
	snprintf(why, why_len,
		 "CPU list '%s' is not like 2,3 or 1-3 or 1,3-4", text);
	return -1;
}

size_t cpuset_format(const struct cpuset *set, char *buf, size_t len)
{
	size_t used = 0;
	int first, last, n;

	if (len)
		buf[0] = '\0';
	for (first = cpuset_next(set, 0); first >= 0;
	     first = cpuset_next(set, last + 1)) {
		last = first;
		while (last + 1 < CPUSET_MAX && cpuset_has(set, last + 1))
			last++;
		if (last == first)
			n = snprintf(used < len ? buf + used : NULL,
				     used < len ? len - used : 0, "%s%d",
				     used ? "," : "", first);
		else
			n = snprintf(used < len ? buf + used : NULL,
				     used < len ? len - used : 0, "%s%d-%d",
				     used ? "," : "", first, last);
		used += n;
	}
	return used;
}
