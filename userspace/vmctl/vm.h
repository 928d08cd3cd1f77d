/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM as the module reports it (attribute set "vm" of replies to the
 * VM commands and of SPLITVISOR_CMD_VM_STATE_EVENT), decoded into plain
 * C. Which attributes came is kept, so that reports omit the others. No
 * libnl here.
 */
#ifndef VMCTL_VM_H
#define VMCTL_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <splitvisor.h>

#include "cpuset.h"
#include "stats.h"

#define VM_CRASH_TEXT_LEN	256

struct sv_vm {
	uint64_t present;	/* bit SPLITVISOR_A_VM_x: the module sent x */
	char name[SPLITVISOR_VM_NAME_MAX + 1];
	struct cpuset cpus;	/* SPLITVISOR_A_VM_CPU, all of them */
	uint64_t mem_size;
	char cmdline[SPLITVISOR_VM_CMDLINE_MAX + 1];
	uint32_t state;		/* enum splitvisor_vm_state */
	uint32_t exit_status;
	uint32_t crash;		/* enum splitvisor_vm_crash */
	char crash_text[VM_CRASH_TEXT_LEN];
	uint32_t crash_exit_reason;
	uint64_t crash_rip;
	uint64_t crash_addr;
	uint64_t entry;
	uint64_t image_size;
	uint64_t exits_total;
	unsigned int nr_reasons;	/* SPLITVISOR_A_VM_EXIT nests */
	struct exit_count reasons[STATS_MAX_REASONS];
	uint64_t io_ignored;
	uint64_t msr_gp;
	uint64_t ipis_dropped;
	uint64_t root_irqs_dropped;
	uint64_t console_bytes;
};

static inline bool vm_has(const struct sv_vm *vm, unsigned int attr)
{
	return attr < 64 && (vm->present >> attr) & 1;
}

static inline void vm_set_has(struct sv_vm *vm, unsigned int attr)
{
	if (attr < 64)
		vm->present |= 1ULL << attr;
}

/* A zeroed reason appended to @vm, or NULL when it has no room left. */
struct exit_count *vm_add_reason(struct sv_vm *vm);

/* The VMs of a dump, in the order the module sent them. */
struct sv_vm_list {
	unsigned int nr;
	unsigned int allocated;
	struct sv_vm *vms;
};

/* A zeroed VM appended to @list, or NULL when out of memory. */
struct sv_vm *vm_list_add(struct sv_vm_list *list);
void vm_list_free(struct sv_vm_list *list);

/* "empty", "loaded", ... "destroyed"; "unknown" for other values. */
const char *vm_state_name(uint32_t state);
/* "none", "triple-fault", "memory", "unhandled-exit", "entry-failed". */
const char *vm_crash_name(uint32_t crash);
/*
 * Name of the exit reason that crashed @vm: from the exit-name table,
 * else as the module named it among the VM's exits, else "reason-N".
 */
const char *vm_crash_exit_name(const struct sv_vm *vm, char *buf,
			       size_t len);

#endif /* VMCTL_VM_H */
