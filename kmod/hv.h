/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor as the control side sees it: switch it on and off, ask
 * its state and read its per-CPU exit counters. Implemented in kmod/vmx/.
 */
#ifndef SPLITVISOR_HV_H
#define SPLITVISOR_HV_H

#include <linux/types.h>
#include <splitvisor.h>

struct netlink_ext_ack;

/* Basic exit reasons counted one by one (SDM Appendix C); more go to "other". */
#define SV_EXIT_REASONS		80

struct sv_exit_stats {
	bool virtualized;		/* the CPU runs under the hypervisor now */
	u64 total;			/* every VM exit of the CPU */
	u64 by_reason[SV_EXIT_REASONS];	/* by basic exit reason */
	u64 other;			/* basic reasons >= SV_EXIT_REASONS */
	u64 hidden_accesses;		/* root touched hypervisor memory */
	u64 unmapped_accesses;		/* root touched nothing the map covers */
	u64 nmis;			/* NMIs given to the root */
	u64 nmis_in_hypervisor;		/* of those, held while the hypervisor ran */
};

/*
 * Switch the hypervisor on (every online CPU, and CPUs onlined later) or
 * off. Both are idempotent and serialised; on failure nothing is left
 * changed, the reason is logged and, with @extack, reported to the caller.
 */
int sv_hv_enable(struct netlink_ext_ack *extack);
int sv_hv_disable(struct netlink_ext_ack *extack);

enum splitvisor_hv_state sv_hv_state(void);
unsigned int sv_hv_cpus_virtualized(void);

/*
 * Counters of @cpu since the hypervisor was last switched on (zero while it
 * was never on). Returns false for a CPU that is not possible.
 */
bool sv_hv_cpu_stats(unsigned int cpu, struct sv_exit_stats *out);

/* Short name of a basic exit reason ("cpuid", "ept-violation"), or NULL. */
const char *sv_exit_reason_name(unsigned int reason);

/*
 * For VMs (kmod/vm/): a reference on the hypervisor, taken before a VM
 * takes anything and dropped once it gave everything back. While one is
 * held the hypervisor stays on. Returns 0, or -EOPNOTSUPP with @why (the
 * hypervisor is off, a VMX feature VMs need is missing).
 */
int sv_hv_get(const char **why);
void sv_hv_put(void);
/*
 * Unmap (@present false) or map again the 2 MiB at @pa for the root, on
 * every CPU. Only while the hypervisor is on.
 */
int sv_hv_ept_set(u64 pa, bool present);
u32 sv_hv_vmcs_revision(void);

/* Module lifetime: module_init/exit. */
int sv_hv_init(void);
void sv_hv_exit(void);

#endif /* SPLITVISOR_HV_H */
