/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a user asks of a VM, checked before anything is sent: its name,
 * CPUs, memory size and command line, against the limits of the uapi.
 * Each check returns 0, or -1 with a sentence for the user in @why.
 */
#ifndef VMCTL_VM_ARGS_H
#define VMCTL_VM_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "cpuset.h"

enum vm_cpus_kind {
	VM_CPUS_NONE = 0,	/* not given */
	VM_CPUS_COUNT,		/* this many, chosen by the module */
	VM_CPUS_LIST,		/* these CPUs */
};

struct vm_cpus {
	enum vm_cpus_kind kind;
	uint32_t count;		/* VM_CPUS_COUNT */
	struct cpuset set;	/* VM_CPUS_LIST */
};

/*
 * --cpus: a plain number is a count ("2": two CPUs the module chooses);
 * a value with ',' or '-' is a list ("2,3", "1-3", "3-3"). --cpu-list
 * (@always_list) takes a list only, so "--cpu-list 3" names CPU 3.
 */
int vm_parse_cpus(const char *text, bool always_list, struct vm_cpus *cpus,
		  char *why, size_t why_len);

/*
 * --mem: bytes, or with a binary suffix K, M or G (any case, an optional
 * "iB" or "B" after it): a positive multiple of SPLITVISOR_VM_MEM_UNIT.
 */
int vm_parse_mem_size(const char *text, uint64_t *bytes, char *why,
		      size_t why_len);

/* 1 to SPLITVISOR_VM_NAME_MAX characters of [A-Za-z0-9_.-]. */
int vm_check_name(const char *name, char *why, size_t why_len);

/* At most SPLITVISOR_VM_CMDLINE_MAX bytes. */
int vm_check_cmdline(const char *cmdline, char *why, size_t why_len);

#endif /* VMCTL_VM_ARGS_H */
