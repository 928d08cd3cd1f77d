/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMs as the control side sees them: created from CPUs and memory taken
 * from the running Linux, loaded with a Multiboot image, started, stopped
 * and destroyed. Every operation is serialised; failures leave nothing
 * changed and say why through @why (an extack message).
 */
#ifndef SPLITVISOR_VM_VM_H
#define SPLITVISOR_VM_VM_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <splitvisor.h>

#include "guest.h"

struct sv_vm {
	struct list_head node;
	struct kref ref;
	char name[SPLITVISOR_VM_NAME_MAX + 1];
	enum splitvisor_vm_state state;
	unsigned int nr_cpus;
	unsigned int cpu[SV_VM_MAX_CPUS];
	unsigned int cpus_offline;	/* taken from Linux so far */
	unsigned int cpus_taken;	/* of those, running the VM's VMCS */
	/* A request CPU i did not answer in time (enum sv_greq), or 0. */
	u32 late_req[SV_VM_MAX_CPUS];
	u64 mem_size;
	unsigned int nr_chunks;
	unsigned int chunks_hidden;	/* unmapped for the root so far */
	struct page **chunks;		/* the VM's memory, 2 MiB each */
	struct page *ctl;		/* the control chunk: struct sv_vm_hv */
	u16 vpid;
	char cmdline[SPLITVISOR_VM_CMDLINE_MAX + 1];
	/* Visible to the root, written by the hypervisor. */
	struct sv_gcpu_stats *stats;	/* one per CPU */
	struct sv_vm_report *report;
	struct sv_vm_console *console;
	struct sv_vm_image *image;
	u32 report_seen;
	u64 console_seen;
	/* Image bytes written through the device, not yet loaded. */
	u8 *staged;
	size_t staged_size;	/* bytes written */
	size_t staged_cap;	/* bytes allocated */
	wait_queue_head_t console_wait;
	bool destroyed;
};

/* Create: @cpus (@nr_cpus of them) or, with @nr_cpus and no @cpus, any. */
int sv_vm_create(const char *name, const u32 *cpus, unsigned int nr_cpus,
		 u64 mem_size, const char *cmdline, const char **why);
int sv_vm_load(const char *name, const char *cmdline, const char **why);
int sv_vm_start(const char *name, const char **why);
int sv_vm_stop(const char *name, const char **why);
int sv_vm_destroy(const char *name, const char **why);

/* A reference to a VM by name (NULL if none), and its release. */
struct sv_vm *sv_vm_get(const char *name);
void sv_vm_put(struct sv_vm *vm);
/* The @idx-th VM in creation order, referenced; NULL past the end. */
struct sv_vm *sv_vm_get_nth(unsigned int idx);
/* Bring vm->state up to date with what the hypervisor reported. */
void sv_vm_refresh(struct sv_vm *vm);		/* under the VMs' lock */
void sv_vm_refresh_locked(struct sv_vm *vm);	/* takes it */
/* Per-VM exit counters summed over its CPUs. */
void sv_vm_sum_stats(struct sv_vm *vm, struct sv_gcpu_stats *sum);

/* The device: staged image bytes and console bytes. */
ssize_t sv_vm_stage_write(struct sv_vm *vm, const char __user *buf,
			  size_t len, loff_t *pos);
void sv_vm_stage_reset(struct sv_vm *vm);
ssize_t sv_vm_console_read(struct sv_vm *vm, char __user *buf, size_t len,
			   loff_t *pos);
bool sv_vm_console_ready(struct sv_vm *vm, loff_t pos);

int sv_vm_init(void);
void sv_vm_exit(void);

#endif /* SPLITVISOR_VM_VM_H */
