/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hardware check: which of the VMX capabilities splitvisor relies on the
 * CPUs offer, read from CPUID and the VMX capability MSRs of every online
 * CPU. It never turns VMX on.
 */
#ifndef SPLITVISOR_HWCHECK_H
#define SPLITVISOR_HWCHECK_H

#include <linux/types.h>
#include <splitvisor.h>

struct sv_hwcheck {
	bool capable;			/* every required feature is present */
	char vendor[13];
	u32 signature;			/* CPUID.1:EAX of the boot CPU */
	u32 cpus_checked;
	bool cpus_differ;		/* CPUs disagree on some feature */
	u64 feature_control;		/* raw MSRs of the boot CPU */
	u64 vmx_basic;
	u64 ept_vpid_cap;
	u8 state[__SPLITVISOR_FEATURE_MAX];	/* enum splitvisor_feature_state */
	u8 need[__SPLITVISOR_FEATURE_MAX];	/* enum splitvisor_feature_need */
};

int sv_hwcheck_run(struct sv_hwcheck *hw);
void sv_hwcheck_log(const struct sv_hwcheck *hw);
const char *sv_feature_name(enum splitvisor_feature feat);

#endif /* SPLITVISOR_HWCHECK_H */
