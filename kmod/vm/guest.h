/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the control side (kmod/vm/) and the hypervisor (kmod/vmx/) share
 * about VMs.
 *
 * Each VM has one 2 MiB control chunk, hidden from the root like the VM's
 * memory: its EPT, its VMCSs, the hypervisor's view of its CPUs and the
 * list of its memory chunks, so the root cannot redirect the hypervisor.
 * What the root may read (counters, console, outcome) and the image to
 * load live in ordinary module memory, referenced from the chunk.
 *
 * The root talks to a CPU it gave to a VM through that CPU's mailbox: it
 * posts a request, bumps the sequence number and sends the CPU an NMI,
 * which always makes it exit to the hypervisor; the hypervisor answers
 * by copying the sequence number to "done".
 */
#ifndef SPLITVISOR_VM_GUEST_H
#define SPLITVISOR_VM_GUEST_H

#include <linux/percpu.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <splitvisor.h>

#include "../hv.h"
#include "multiboot.h"

#define SV_VM_MAX_CPUS		8
#define SV_VM_MAX_CHUNKS	512		/* 1 GiB of guest memory */
#define SV_VM_CTL_SIZE		SZ_2M
#define SV_VM_CRASH_TEXT	64
/* A crash without a VM exit (VMLAUNCH/VMRESUME itself failed). */
#define SV_VM_NO_EXIT_REASON	U32_MAX

/* Visible: counters of one CPU of a VM. */
struct sv_gcpu_stats {
	struct sv_exit_stats exits;
	u64 io_ignored;
	u64 msr_gp;
	u64 ipis_dropped;		/* the guest's IPIs aimed outside the VM */
	u64 root_irqs_dropped;		/* the root's INITs and interrupts */
};

/* Visible: how the VM's last run ended, written by the hypervisor. */
struct sv_vm_report {
	u32 seq;			/* bumped after each change */
	u32 state;			/* RUNNING, EXITED or CRASHED */
	u32 exit_status;
	u32 crash;			/* enum splitvisor_vm_crash */
	u32 crash_exit_reason;		/* SV_VM_NO_EXIT_REASON: none */
	u64 crash_rip;
	u64 crash_addr;
	char crash_text[SV_VM_CRASH_TEXT];
};

/* Visible: the VM's console, a ring of the last SPLITVISOR_CONSOLE_SIZE bytes. */
struct sv_vm_console {
	u64 head;			/* bytes written since creation */
	u8 buf[SPLITVISOR_CONSOLE_SIZE];
};

/* Visible: the loaded image, read by the VM's first CPU at each start. */
struct sv_vm_image {
	struct sv_mb_plan plan;
	const u8 *bytes;		/* vmalloc'ed, @size bytes */
	size_t size;
	u8 *info;			/* the Multiboot info page */
	u32 info_ptr;			/* EBX at entry */
};

enum sv_gcpu_run {
	SV_GCPU_PARKED = 0,		/* halted for good, nothing is delivered */
	SV_GCPU_WAIT_SIPI,		/* parked until the VM's INIT-SIPI */
	SV_GCPU_RUNNING,
};

struct sv_vm_hv;

/* Hidden: one CPU of a VM as the hypervisor keeps it. */
struct sv_gcpu {
	struct sv_vm_hv *vm;
	unsigned int index;		/* the CPU's APIC ID inside the VM */
	unsigned int cpu;		/* Linux's number of the physical CPU */
	u16 vpid;
	void *vmcs;
	enum sv_gcpu_run run;
	bool init_pending;		/* set by another CPU of the VM */
	u32 sipi_pending;		/* vector | SV_SIPI_PENDING */
	u32 pinbased;
	u64 apic_base;			/* IA32_APIC_BASE as the guest sees it */
	u64 apic_svr;
	u64 apic_tpr;
	struct sv_gcpu_stats *stats;	/* visible */
};

#define SV_SIPI_PENDING		BIT(31)

/* Hidden: the VM as the hypervisor keeps it, at the start of the control chunk. */
struct sv_vm_hv {
	u64 mem_size;
	unsigned int nr_chunks;
	unsigned int nr_cpus;
	u64 eptp;
	u64 msr_bitmap_pa;
	bool ended;			/* exited or crashed: every CPU parks */
	raw_spinlock_t lock;		/* console, UART and report */
	u8 uart_lcr, uart_ier, uart_mcr, uart_scr, uart_dll, uart_dlm;
	struct sv_vm_report *report;	/* visible */
	struct sv_vm_console *console;	/* visible */
	struct sv_vm_image *image;	/* visible, NULL until loaded */
	struct sv_gcpu gcpu[SV_VM_MAX_CPUS];
	u64 chunk_pa[SV_VM_MAX_CHUNKS];
};

/* Requests of the root to a CPU it gave to a VM. */
enum sv_greq {
	SV_GREQ_NONE = 0,
	SV_GREQ_TAKE,			/* become this VM CPU (parked) */
	SV_GREQ_START,			/* start the guest: entry, or wait for SIPI */
	SV_GREQ_STOP,			/* park, whatever the guest does */
	SV_GREQ_RELEASE,		/* hand the CPU back to Linux, bare */
};

/* Visible: one per physical CPU. */
struct sv_mailbox {
	struct sv_gcpu *gcpu;		/* what TAKE hands over */
	u32 req;			/* enum sv_greq */
	u32 seq;			/* bumped by the root for each request */
	u32 done;			/* set to seq by the hypervisor */
	int result;
};

DECLARE_PER_CPU(struct sv_mailbox, sv_mailbox);

#endif /* SPLITVISOR_VM_GUEST_H */
