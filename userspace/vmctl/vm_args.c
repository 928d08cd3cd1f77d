// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of VM arguments. The module checks them again; vmctl checks
 * first so that a typo gets a usage error that names the option.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <splitvisor.h>

#include "vm_args.h"

int vm_parse_cpus(const char *text, bool always_list, struct vm_cpus *cpus,
		  char *why, size_t why_len)
{
	const char *p;
	uint64_t count = 0;

	memset(cpus, 0, sizeof(*cpus));
	if (always_list || strpbrk(text, ",-")) {
		if (cpuset_parse(text, &cpus->set, why, why_len) < 0)
			return -1;
		cpus->kind = VM_CPUS_LIST;
		return 0;
	}
	for (p = text; *p >= '0' && *p <= '9'; p++) {
		count = count * 10 + (*p - '0');
		if (count > CPUSET_MAX)
			count = CPUSET_MAX + 1;	/* saturate: too many anyway */
	}
	if (p == text || *p) {
		snprintf(why, why_len,
			 "--cpus takes a count (2) or a list of CPUs (2,3 or 1-3), not '%s'",
			 text);
		return -1;
	}
	if (count == 0 || count > CPUSET_MAX) {
		snprintf(why, why_len,
			 "--cpus %s: a VM has from 1 to %d CPUs", text,
			 CPUSET_MAX);
		return -1;
	}
	cpus->kind = VM_CPUS_COUNT;
	cpus->count = count;
	return 0;
}

/* The multiplier of a size suffix, or 0 when @s is none. */
static uint64_t size_suffix(const char *s)
{
	unsigned int shift;

	switch (*s) {
	case '\0':
		return 1;
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	default:
		return 0;
	}
	s++;
	if (*s && strcasecmp(s, "iB") && strcasecmp(s, "B"))
		return 0;
	return 1ULL << shift;
}

int vm_parse_mem_size(const char *text, uint64_t *bytes, char *why,
		      size_t why_len)
{
	uint64_t value = 0, mult;
	const char *p;

	for (p = text; *p >= '0' && *p <= '9'; p++) {
		if (value > (UINT64_MAX - (*p - '0')) / 10)
			goto too_large;
		value = value * 10 + (*p - '0');
	}
	mult = size_suffix(p);
	if (p == text || !mult) {
		snprintf(why, why_len,
			 "--mem takes a size like 64M, 1G or 2097152 (bytes), not '%s'",
			 text);
		return -1;
	}
	if (value > UINT64_MAX / mult)
		goto too_large;
	value *= mult;
	if (value == 0 || value % SPLITVISOR_VM_MEM_UNIT) {
		snprintf(why, why_len,
			 "--mem %s: VM memory comes in units of %u MiB; give a positive multiple of %uM",
			 text, SPLITVISOR_VM_MEM_UNIT >> 20,
			 SPLITVISOR_VM_MEM_UNIT >> 20);
		return -1;
	}
	*bytes = value;
	return 0;

too_large:
	snprintf(why, why_len, "--mem %s: too large", text);
	return -1;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int vm_check_name(const char *name, char *why, size_t why_len)
{
	size_t len = strlen(name), i;

	if (!len || len > SPLITVISOR_VM_NAME_MAX) {
		snprintf(why, why_len,
			 "VM name '%s': give 1 to %d characters", name,
			 SPLITVISOR_VM_NAME_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!name_char(name[i])) {
			snprintf(why, why_len,
				 "VM name '%s': only letters, digits, '_', '.' and '-' are allowed",
				 name);
			return -1;
		}
	}
	return 0;
}

int vm_check_cmdline(const char *cmdline, char *why, size_t why_len)
{
	size_t len = strlen(cmdline);

	if (len > SPLITVISOR_VM_CMDLINE_MAX) {
		snprintf(why, why_len,
			 "--cmdline: %zu bytes, more than the %d a guest command line may have",
			 len, SPLITVISOR_VM_CMDLINE_MAX);
		return -1;
	}
	return 0;
}
