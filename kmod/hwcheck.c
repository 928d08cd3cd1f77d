// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware check. Each online CPU reads its own CPUID leaves and VMX
 * capability MSRs (in IPI context, so nothing is allocated there); the
 * results are then reduced to one verdict per feature: present only if
 * every CPU has it, because a VM or the root may run on any of them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpu.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/cpufeatures.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "compat.h"
#include "hwcheck.h"

static const char * const sv_feature_names[] = {
	[SPLITVISOR_FEATURE_INTEL_CPU]		= "intel-cpu",
	[SPLITVISOR_FEATURE_VMX]		= "vmx",
	[SPLITVISOR_FEATURE_VMX_FIRMWARE]	= "vmx-firmware",
	[SPLITVISOR_FEATURE_VMCS_WB]		= "vmcs-wb",
	[SPLITVISOR_FEATURE_TRUE_CTLS]		= "true-ctls",
	[SPLITVISOR_FEATURE_SECONDARY_CTLS]	= "secondary-ctls",
	[SPLITVISOR_FEATURE_MSR_BITMAP]		= "msr-bitmap",
	[SPLITVISOR_FEATURE_IO_BITMAP]		= "io-bitmap",
	[SPLITVISOR_FEATURE_EFER_CTLS]		= "efer-ctls",
	[SPLITVISOR_FEATURE_PAT_CTLS]		= "pat-ctls",
	[SPLITVISOR_FEATURE_EPT]		= "ept",
	[SPLITVISOR_FEATURE_EPT_4LEVEL]		= "ept-4level",
	[SPLITVISOR_FEATURE_EPT_WB]		= "ept-wb",
	[SPLITVISOR_FEATURE_EPT_2M]		= "ept-2m",
	[SPLITVISOR_FEATURE_EPT_1G]		= "ept-1g",
	[SPLITVISOR_FEATURE_EPT_AD]		= "ept-ad",
	[SPLITVISOR_FEATURE_INVEPT_SINGLE]	= "invept-single",
	[SPLITVISOR_FEATURE_INVEPT_ALL]		= "invept-all",
	[SPLITVISOR_FEATURE_VPID]		= "vpid",
	[SPLITVISOR_FEATURE_INVVPID_SINGLE]	= "invvpid-single",
	[SPLITVISOR_FEATURE_INVVPID_ALL]	= "invvpid-all",
	[SPLITVISOR_FEATURE_UNRESTRICTED_GUEST]	= "unrestricted-guest",
	[SPLITVISOR_FEATURE_RDTSCP]		= "rdtscp",
	[SPLITVISOR_FEATURE_INVPCID]		= "invpcid",
	[SPLITVISOR_FEATURE_XSAVES]		= "xsaves",
	[SPLITVISOR_FEATURE_PREEMPTION_TIMER]	= "preemption-timer",
	[SPLITVISOR_FEATURE_VIRTUAL_NMIS]	= "virtual-nmis",
};

static_assert(ARRAY_SIZE(sv_feature_names) == __SPLITVISOR_FEATURE_MAX);

/*
 * Features splitvisor cannot run without. The three instruction controls
 * (RDTSCP, INVPCID, XSAVES) join them on CPUs that offer the instruction,
 * because Linux uses it and would fault in VMX non-root mode without them.
 */
static const u8 sv_required[] = {
	SPLITVISOR_FEATURE_INTEL_CPU, SPLITVISOR_FEATURE_VMX,
	SPLITVISOR_FEATURE_VMX_FIRMWARE, SPLITVISOR_FEATURE_VMCS_WB,
	SPLITVISOR_FEATURE_SECONDARY_CTLS, SPLITVISOR_FEATURE_MSR_BITMAP,
	SPLITVISOR_FEATURE_IO_BITMAP, SPLITVISOR_FEATURE_EFER_CTLS,
	SPLITVISOR_FEATURE_PAT_CTLS, SPLITVISOR_FEATURE_EPT,
	SPLITVISOR_FEATURE_EPT_4LEVEL, SPLITVISOR_FEATURE_EPT_WB,
	SPLITVISOR_FEATURE_INVEPT_SINGLE, SPLITVISOR_FEATURE_INVEPT_ALL,
	SPLITVISOR_FEATURE_UNRESTRICTED_GUEST, SPLITVISOR_FEATURE_VIRTUAL_NMIS,
};

/* What one CPU reported; filled in IPI context. */
struct sv_cpu_report {
	bool done;
	u32 vendor[3];
	u32 signature;
	bool has_vmx, has_rdtscp, has_invpcid, has_xsaves;
	bool fc_read;
	u64 feature_control;
	bool msrs_read;			/* every MSR below could be read */
	u64 basic, pinbased, procbased, procbased2, exit_ctls, entry_ctls;
	u64 ept_vpid_cap;
};

const char *sv_feature_name(enum splitvisor_feature feat)
{
	if ((unsigned int)feat >= ARRAY_SIZE(sv_feature_names))
		return "unknown";
	return sv_feature_names[feat];
}

/* The VMX MSRs #GP on CPUs without VMX, hence the safe reads. */
static bool sv_read_vmx_msrs(struct sv_cpu_report *r)
{
	bool true_ctls;

	if (sv_rdmsr_safe(MSR_IA32_VMX_BASIC, &r->basic))
		return false;
	true_ctls = r->basic & VMX_BASIC_TRUE_CTLS;
	if (sv_rdmsr_safe(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
			  MSR_IA32_VMX_PINBASED_CTLS, &r->pinbased) ||
	    sv_rdmsr_safe(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			  MSR_IA32_VMX_PROCBASED_CTLS, &r->procbased) ||
	    sv_rdmsr_safe(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			  MSR_IA32_VMX_EXIT_CTLS, &r->exit_ctls) ||
	    sv_rdmsr_safe(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
			  MSR_IA32_VMX_ENTRY_CTLS, &r->entry_ctls))
		return false;

	/* The secondary controls MSR exists only if they can be activated. */
	if ((r->procbased >> 32) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) {
		if (sv_rdmsr_safe(MSR_IA32_VMX_PROCBASED_CTLS2, &r->procbased2))
			return false;
	}
	/* EPT_VPID_CAP exists only if EPT or VPID can be enabled. */
	if ((r->procbased2 >> 32) &
	    (SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID)) {
		if (sv_rdmsr_safe(MSR_IA32_VMX_EPT_VPID_CAP, &r->ept_vpid_cap))
			return false;
	}
	return true;
}

static void sv_read_this_cpu(void *info)
{
	struct sv_cpu_report *r = (struct sv_cpu_report *)info +
				  smp_processor_id();
	u32 eax, ebx, ecx, edx, max_leaf, max_ext;

	cpuid(0, &max_leaf, &r->vendor[0], &r->vendor[2], &r->vendor[1]);
	cpuid(1, &r->signature, &ebx, &ecx, &edx);
	r->has_vmx = ecx & BIT(X86_FEATURE_VMX & 31);
	if (max_leaf >= 7) {
		cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
		r->has_invpcid = ebx & BIT(X86_FEATURE_INVPCID & 31);
	}
	if (max_leaf >= 0xd) {
		cpuid_count(0xd, 1, &eax, &ebx, &ecx, &edx);
		r->has_xsaves = eax & BIT(X86_FEATURE_XSAVES & 31);
	}
	max_ext = cpuid_eax(0x80000000);
	if (max_ext >= 0x80000001)
		r->has_rdtscp = cpuid_edx(0x80000001) &
				BIT(X86_FEATURE_RDTSCP & 31);

	r->fc_read = !sv_rdmsr_safe(MSR_IA32_FEAT_CTL, &r->feature_control);
	if (r->has_vmx)
		r->msrs_read = sv_read_vmx_msrs(r);
	r->done = true;
}

/* Features one CPU has, and those it could not check, as bitmaps. */
static void sv_cpu_features(const struct sv_cpu_report *r,
			    unsigned long *present, unsigned long *unknown)
{
	u32 pin1 = r->pinbased >> 32, proc1 = r->procbased >> 32;
	u32 proc2 = r->procbased2 >> 32;
	u32 exit1 = r->exit_ctls >> 32, entry1 = r->entry_ctls >> 32;
	u64 cap = r->ept_vpid_cap;
	bool intel = !memcmp(r->vendor, "GenuineIntel", 12);
	bool ept, vpid;
	int f;

	bitmap_zero(present, __SPLITVISOR_FEATURE_MAX);
	bitmap_zero(unknown, __SPLITVISOR_FEATURE_MAX);
	if (intel)
		__set_bit(SPLITVISOR_FEATURE_INTEL_CPU, present);
	if (!intel || !r->has_vmx) {
		for (f = SPLITVISOR_FEATURE_VMX_FIRMWARE;
		     f < __SPLITVISOR_FEATURE_MAX; f++)
			__set_bit(f, unknown);
		if (intel)
			__clear_bit(SPLITVISOR_FEATURE_VMX, unknown);
		else
			__set_bit(SPLITVISOR_FEATURE_VMX, unknown);
		return;
	}
	__set_bit(SPLITVISOR_FEATURE_VMX, present);

	/*
	 * Linux locks IA32_FEATURE_CONTROL at boot; unlocked means firmware
	 * and Linux both left it alone, and VMXON would #GP.
	 */
	if (r->fc_read && (r->feature_control & FEAT_CTL_LOCKED) &&
	    (r->feature_control & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX))
		__set_bit(SPLITVISOR_FEATURE_VMX_FIRMWARE, present);

	if (!r->msrs_read) {
		for (f = SPLITVISOR_FEATURE_VMCS_WB;
		     f < __SPLITVISOR_FEATURE_MAX; f++)
			__set_bit(f, unknown);
		return;
	}

	__assign_bit(SPLITVISOR_FEATURE_VMCS_WB, present,
		     sv_vmx_basic_mem_type(r->basic) == SV_MEMTYPE_WB);
	__assign_bit(SPLITVISOR_FEATURE_TRUE_CTLS, present,
		     r->basic & VMX_BASIC_TRUE_CTLS);
	__assign_bit(SPLITVISOR_FEATURE_SECONDARY_CTLS, present,
		     proc1 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	__assign_bit(SPLITVISOR_FEATURE_MSR_BITMAP, present,
		     proc1 & CPU_BASED_USE_MSR_BITMAPS);
	__assign_bit(SPLITVISOR_FEATURE_IO_BITMAP, present,
		     proc1 & CPU_BASED_USE_IO_BITMAPS);
	__assign_bit(SPLITVISOR_FEATURE_EFER_CTLS, present,
		     (exit1 & VM_EXIT_SAVE_IA32_EFER) &&
		     (exit1 & VM_EXIT_LOAD_IA32_EFER) &&
		     (entry1 & VM_ENTRY_LOAD_IA32_EFER));
	__assign_bit(SPLITVISOR_FEATURE_PAT_CTLS, present,
		     (exit1 & VM_EXIT_SAVE_IA32_PAT) &&
		     (exit1 & VM_EXIT_LOAD_IA32_PAT) &&
		     (entry1 & VM_ENTRY_LOAD_IA32_PAT));
	__assign_bit(SPLITVISOR_FEATURE_PREEMPTION_TIMER, present,
		     pin1 & PIN_BASED_VMX_PREEMPTION_TIMER);
	__assign_bit(SPLITVISOR_FEATURE_VIRTUAL_NMIS, present,
		     (pin1 & PIN_BASED_NMI_EXITING) &&
		     (pin1 & PIN_BASED_VIRTUAL_NMIS) &&
		     (proc1 & CPU_BASED_NMI_WINDOW_EXITING));

	if (!(proc1 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)) {
		for (f = SPLITVISOR_FEATURE_EPT;
		     f < __SPLITVISOR_FEATURE_MAX; f++)
			if (f != SPLITVISOR_FEATURE_PREEMPTION_TIMER &&
			    f != SPLITVISOR_FEATURE_VIRTUAL_NMIS)
				__set_bit(f, unknown);
		return;
	}
	ept = proc2 & SECONDARY_EXEC_ENABLE_EPT;
	vpid = proc2 & SECONDARY_EXEC_ENABLE_VPID;
	__assign_bit(SPLITVISOR_FEATURE_EPT, present, ept);
	__assign_bit(SPLITVISOR_FEATURE_VPID, present, vpid);
	__assign_bit(SPLITVISOR_FEATURE_UNRESTRICTED_GUEST, present,
		     proc2 & SECONDARY_EXEC_UNRESTRICTED_GUEST);
	__assign_bit(SPLITVISOR_FEATURE_RDTSCP, present,
		     proc2 & SECONDARY_EXEC_ENABLE_RDTSCP);
	__assign_bit(SPLITVISOR_FEATURE_INVPCID, present,
		     proc2 & SECONDARY_EXEC_ENABLE_INVPCID);
	__assign_bit(SPLITVISOR_FEATURE_XSAVES, present,
		     proc2 & SECONDARY_EXEC_ENABLE_XSAVES);

	if (ept) {
		__assign_bit(SPLITVISOR_FEATURE_EPT_4LEVEL, present,
			     cap & VMX_EPT_PAGE_WALK_4_BIT);
		__assign_bit(SPLITVISOR_FEATURE_EPT_WB, present,
			     cap & VMX_EPTP_WB_BIT);
		__assign_bit(SPLITVISOR_FEATURE_EPT_2M, present,
			     cap & VMX_EPT_2MB_PAGE_BIT);
		__assign_bit(SPLITVISOR_FEATURE_EPT_1G, present,
			     cap & VMX_EPT_1GB_PAGE_BIT);
		__assign_bit(SPLITVISOR_FEATURE_EPT_AD, present,
			     cap & VMX_EPT_AD_BIT);
		__assign_bit(SPLITVISOR_FEATURE_INVEPT_SINGLE, present,
			     (cap & VMX_EPT_INVEPT_BIT) &&
			     (cap & VMX_EPT_EXTENT_CONTEXT_BIT));
		__assign_bit(SPLITVISOR_FEATURE_INVEPT_ALL, present,
			     (cap & VMX_EPT_INVEPT_BIT) &&
			     (cap & VMX_EPT_EXTENT_GLOBAL_BIT));
	} else {
		for (f = SPLITVISOR_FEATURE_EPT_4LEVEL;
		     f <= SPLITVISOR_FEATURE_INVEPT_ALL; f++)
			__set_bit(f, unknown);
	}
	if (vpid) {
		u32 vcap = cap >> 32;

		__assign_bit(SPLITVISOR_FEATURE_INVVPID_SINGLE, present,
			     (vcap & VMX_VPID_INVVPID_BIT) &&
			     (vcap & VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT));
		__assign_bit(SPLITVISOR_FEATURE_INVVPID_ALL, present,
			     (vcap & VMX_VPID_INVVPID_BIT) &&
			     (vcap & VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT));
	} else {
		__set_bit(SPLITVISOR_FEATURE_INVVPID_SINGLE, unknown);
		__set_bit(SPLITVISOR_FEATURE_INVVPID_ALL, unknown);
	}
}

static void sv_hwcheck_reduce(struct sv_hwcheck *hw,
			      const struct sv_cpu_report *reports)
{
	DECLARE_BITMAP(present, __SPLITVISOR_FEATURE_MAX);
	DECLARE_BITMAP(unknown, __SPLITVISOR_FEATURE_MAX);
	DECLARE_BITMAP(all_present, __SPLITVISOR_FEATURE_MAX);
	DECLARE_BITMAP(any_unknown, __SPLITVISOR_FEATURE_MAX);
	bool rdtscp = false, invpcid = false, xsaves = false;
	const struct sv_cpu_report *boot = NULL;
	unsigned int cpu, i;
	int f;

	bitmap_fill(all_present, __SPLITVISOR_FEATURE_MAX);
	bitmap_zero(any_unknown, __SPLITVISOR_FEATURE_MAX);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		const struct sv_cpu_report *r = &reports[cpu];

		if (!r->done)
			continue;
		sv_cpu_features(r, present, unknown);
		if (!boot) {
			boot = r;
		} else if (!bitmap_equal(present, all_present,
					 __SPLITVISOR_FEATURE_MAX)) {
			hw->cpus_differ = true;
		}
		bitmap_and(all_present, all_present, present,
			   __SPLITVISOR_FEATURE_MAX);
		bitmap_or(any_unknown, any_unknown, unknown,
			  __SPLITVISOR_FEATURE_MAX);
		rdtscp |= r->has_rdtscp;
		invpcid |= r->has_invpcid;
		xsaves |= r->has_xsaves;
		hw->cpus_checked++;
	}
	if (!boot)
		return;

	memcpy(hw->vendor, boot->vendor, sizeof(boot->vendor));
	hw->vendor[12] = '\0';
	hw->signature = boot->signature;
	hw->feature_control = boot->feature_control;
	hw->vmx_basic = boot->basic;
	hw->ept_vpid_cap = boot->ept_vpid_cap;

	for (f = 0; f < __SPLITVISOR_FEATURE_MAX; f++) {
		if (test_bit(f, all_present))
			hw->state[f] = SPLITVISOR_FEATURE_STATE_PRESENT;
		else if (test_bit(f, any_unknown))
			hw->state[f] = SPLITVISOR_FEATURE_STATE_UNKNOWN;
		else
			hw->state[f] = SPLITVISOR_FEATURE_STATE_ABSENT;
		hw->need[f] = SPLITVISOR_FEATURE_NEED_OPTIONAL;
	}
	for (i = 0; i < ARRAY_SIZE(sv_required); i++)
		hw->need[sv_required[i]] = SPLITVISOR_FEATURE_NEED_REQUIRED;
	if (rdtscp)
		hw->need[SPLITVISOR_FEATURE_RDTSCP] = SPLITVISOR_FEATURE_NEED_REQUIRED;
	if (invpcid)
		hw->need[SPLITVISOR_FEATURE_INVPCID] = SPLITVISOR_FEATURE_NEED_REQUIRED;
	if (xsaves)
		hw->need[SPLITVISOR_FEATURE_XSAVES] = SPLITVISOR_FEATURE_NEED_REQUIRED;

	hw->capable = true;
	for (f = 0; f < __SPLITVISOR_FEATURE_MAX; f++)
		if (hw->need[f] == SPLITVISOR_FEATURE_NEED_REQUIRED &&
		    hw->state[f] != SPLITVISOR_FEATURE_STATE_PRESENT)
			hw->capable = false;
}

/* Run the check on every online CPU; process context only. */
int sv_hwcheck_run(struct sv_hwcheck *hw)
{
	struct sv_cpu_report *reports;

	reports = kcalloc(nr_cpu_ids, sizeof(*reports), GFP_KERNEL);
	if (!reports)
		return -ENOMEM;

	memset(hw, 0, sizeof(*hw));
	cpus_read_lock();
	on_each_cpu(sv_read_this_cpu, reports, 1);
	cpus_read_unlock();

	sv_hwcheck_reduce(hw, reports);
	kfree(reports);
	return 0;
}

void sv_hwcheck_log(const struct sv_hwcheck *hw)
{
	char missing[160] = "", optional[160] = "";
	int f;

	for (f = 0; f < __SPLITVISOR_FEATURE_MAX; f++) {
		char *list = hw->need[f] == SPLITVISOR_FEATURE_NEED_REQUIRED ?
			     missing : optional;

		if (hw->state[f] == SPLITVISOR_FEATURE_STATE_PRESENT)
			continue;
		if (list[0])
			strlcat(list, ",", sizeof(missing));
		strlcat(list, sv_feature_names[f], sizeof(missing));
	}

	pr_info("hardware check on %u CPU%s: %s signature %#x: %s%s%s%s\n",
		hw->cpus_checked, hw->cpus_checked == 1 ? "" : "s", hw->vendor,
		hw->signature, hw->capable ? "capable" : "NOT capable",
		missing[0] ? ", missing " : "", missing,
		hw->cpus_differ ? ", CPUs differ" : "");
	if (optional[0])
		pr_info("optional features absent: %s\n", optional);
}
