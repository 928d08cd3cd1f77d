// SPDX-License-Identifier: GPL-2.0
/* VMs as plain data: building them while decoding, and their words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_names.h"
#include "vm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct exit_count *vm_add_reason(struct sv_vm *vm)
{
	struct exit_count *e;

	if (vm->nr_reasons == STATS_MAX_REASONS)
		return NULL;
	e = &vm->reasons[vm->nr_reasons++];
	memset(e, 0, sizeof(*e));
	return e;
}

struct sv_vm *vm_list_add(struct sv_vm_list *list)
{
	struct sv_vm *vm;

	if (list->nr == list->allocated) {
		unsigned int n = list->allocated ? 2 * list->allocated : 4;
		struct sv_vm *bigger;

		bigger = reallocarray(list->vms, n, sizeof(*bigger));
		if (!bigger)
			return NULL;
		list->vms = bigger;
		list->allocated = n;
	}
	vm = &list->vms[list->nr++];
	memset(vm, 0, sizeof(*vm));
	return vm;
}

void vm_list_free(struct sv_vm_list *list)
{
	free(list->vms);
	memset(list, 0, sizeof(*list));
}

const char *vm_state_name(uint32_t state)
{
	static const char *const names[] = {
		[SPLITVISOR_VM_STATE_EMPTY] = "empty",
		[SPLITVISOR_VM_STATE_LOADED] = "loaded",
		[SPLITVISOR_VM_STATE_RUNNING] = "running",
		[SPLITVISOR_VM_STATE_STOPPED] = "stopped",
		[SPLITVISOR_VM_STATE_EXITED] = "exited",
		[SPLITVISOR_VM_STATE_CRASHED] = "crashed",
		[SPLITVISOR_VM_STATE_DESTROYED] = "destroyed",
	};

	if (state >= ARRAY_SIZE(names))
		return "unknown";
	return names[state];
}

const char *vm_crash_name(uint32_t crash)
{
	static const char *const names[] = {
		[SPLITVISOR_VM_CRASH_NONE] = "none",
		[SPLITVISOR_VM_CRASH_TRIPLE_FAULT] = "triple-fault",
		[SPLITVISOR_VM_CRASH_MEMORY] = "memory",
		[SPLITVISOR_VM_CRASH_UNHANDLED_EXIT] = "unhandled-exit",
		[SPLITVISOR_VM_CRASH_ENTRY_FAILED] = "entry-failed",
	};

	if (crash >= ARRAY_SIZE(names))
		return "unknown";
	return names[crash];
}

const char *vm_crash_exit_name(const struct sv_vm *vm, char *buf,
			       size_t len)
{
	const char *name = exit_reason_name(vm->crash_exit_reason);
	unsigned int i;

	if (!name) {
		for (i = 0; i < vm->nr_reasons; i++)
			if (vm->reasons[i].reason == vm->crash_exit_reason)
				name = vm->reasons[i].name;
	}
	if (name)
		snprintf(buf, len, "%s", name);
	else
		exit_reason_label(vm->crash_exit_reason, buf, len);
	return buf;
}
