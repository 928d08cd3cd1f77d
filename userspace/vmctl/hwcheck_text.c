// SPDX-License-Identifier: GPL-2.0
/*
 * Turns the module's hardware check into sentences. The module sends bare
 * facts (feature, state, need, raw MSR values); advice for the user lives
 * here so that it can improve without touching the kernel.
 */
#include <stdio.h>
#include <string.h>

#include <splitvisor.h>

#include "hwcheck_text.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NO_PREREQ	UINT32_MAX

struct feature_text {
	const char *name;
	const char *present;	/* short description */
	const char *absent;	/* consequence; NULL: built by a function */
	uint32_t prereq;	/* feature that must be present to check it */
};

static const struct feature_text feature_texts[] = {
	[SPLITVISOR_FEATURE_INTEL_CPU] = {
		"intel-cpu", "Intel CPU", NULL, NO_PREREQ },
	[SPLITVISOR_FEATURE_VMX] = {
		"vmx", "VMX (Intel VT-x)",
		"VMX (Intel VT-x) not offered by the CPU: enable virtualization in firmware, or nested virtualization if this is a VM",
		SPLITVISOR_FEATURE_INTEL_CPU },
	[SPLITVISOR_FEATURE_VMX_FIRMWARE] = {
		"vmx-firmware", NULL, NULL, SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_VMCS_WB] = {
		"vmcs-wb", "VMCS in write-back memory", NULL,
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_TRUE_CTLS] = {
		"true-ctls", "true VMX control MSRs",
		"no true VMX control MSRs: some default-1 controls stay set",
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_SECONDARY_CTLS] = {
		"secondary-ctls", "secondary processor-based controls",
		"no secondary processor-based controls: EPT and unrestricted guest depend on them",
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_MSR_BITMAP] = {
		"msr-bitmap", "MSR bitmaps",
		"MSR bitmaps unsupported: every MSR access of Linux would exit to the hypervisor",
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_IO_BITMAP] = {
		"io-bitmap", "I/O bitmaps",
		"I/O bitmaps unsupported: port I/O of Linux cannot be passed through selectively",
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_EFER_CTLS] = {
		"efer-ctls", "IA32_EFER saved/loaded on VM entry and exit",
		"IA32_EFER cannot be saved/loaded on VM entry and exit",
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_PAT_CTLS] = {
		"pat-ctls", "IA32_PAT saved/loaded on VM entry and exit",
		"IA32_PAT cannot be saved/loaded on VM entry and exit",
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_EPT] = {
		"ept", "EPT (extended page tables)",
		"EPT (extended page tables) unsupported: splitvisor needs it to protect its memory",
		SPLITVISOR_FEATURE_SECONDARY_CTLS },
	[SPLITVISOR_FEATURE_EPT_4LEVEL] = {
		"ept-4level", "EPT 4-level page walk",
		"EPT 4-level page walk unsupported",
		SPLITVISOR_FEATURE_EPT },
	[SPLITVISOR_FEATURE_EPT_WB] = {
		"ept-wb", "EPT paging structures in write-back memory",
		"EPT paging structures cannot be write-back",
		SPLITVISOR_FEATURE_EPT },
	[SPLITVISOR_FEATURE_EPT_2M] = {
		"ept-2m", "EPT 2M pages",
		"EPT 2M pages unsupported: will use 4K pages",
		SPLITVISOR_FEATURE_EPT },
	[SPLITVISOR_FEATURE_EPT_1G] = {
		"ept-1g", "EPT 1G pages",
		"EPT 1G pages unsupported: will use 2M",
		SPLITVISOR_FEATURE_EPT },
	[SPLITVISOR_FEATURE_EPT_AD] = {
		"ept-ad", "EPT accessed/dirty flags",
		"EPT accessed/dirty flags unsupported: not used",
		SPLITVISOR_FEATURE_EPT },
	[SPLITVISOR_FEATURE_INVEPT_SINGLE] = {
		"invept-single", "single-context INVEPT",
		"single-context INVEPT unsupported",
		SPLITVISOR_FEATURE_EPT },
	[SPLITVISOR_FEATURE_INVEPT_ALL] = {
		"invept-all", "all-context INVEPT",
		"all-context INVEPT unsupported",
		SPLITVISOR_FEATURE_EPT },
	[SPLITVISOR_FEATURE_VPID] = {
		"vpid", "VPID (tagged TLB entries)",
		"VPID unsupported: the TLB is flushed on every VM switch",
		SPLITVISOR_FEATURE_SECONDARY_CTLS },
	[SPLITVISOR_FEATURE_INVVPID_SINGLE] = {
		"invvpid-single", "single-context INVVPID",
		"single-context INVVPID unsupported: wider TLB flushes are used",
		SPLITVISOR_FEATURE_VPID },
	[SPLITVISOR_FEATURE_INVVPID_ALL] = {
		"invvpid-all", "all-context INVVPID",
		"all-context INVVPID unsupported: wider TLB flushes are used",
		SPLITVISOR_FEATURE_VPID },
	[SPLITVISOR_FEATURE_UNRESTRICTED_GUEST] = {
		"unrestricted-guest", "unrestricted guest",
		"unrestricted guest unsupported: splitvisor needs it to run Linux unchanged",
		SPLITVISOR_FEATURE_SECONDARY_CTLS },
	[SPLITVISOR_FEATURE_RDTSCP] = {
		"rdtscp", "RDTSCP allowed in VMX non-root mode", NULL,
		SPLITVISOR_FEATURE_SECONDARY_CTLS },
	[SPLITVISOR_FEATURE_INVPCID] = {
		"invpcid", "INVPCID allowed in VMX non-root mode", NULL,
		SPLITVISOR_FEATURE_SECONDARY_CTLS },
	[SPLITVISOR_FEATURE_XSAVES] = {
		"xsaves", "XSAVES/XRSTORS allowed in VMX non-root mode", NULL,
		SPLITVISOR_FEATURE_SECONDARY_CTLS },
	[SPLITVISOR_FEATURE_PREEMPTION_TIMER] = {
		"preemption-timer", "VMX preemption timer",
		"VMX preemption timer unsupported",
		SPLITVISOR_FEATURE_VMX },
	[SPLITVISOR_FEATURE_VIRTUAL_NMIS] = {
		"virtual-nmis", "NMI exiting, virtual NMIs and NMI-window exiting",
		"NMI exiting, virtual NMIs or NMI-window exiting unsupported: splitvisor needs them to hand every NMI to Linux, also one arriving while the hypervisor runs",
		SPLITVISOR_FEATURE_VMX },
};

_Static_assert(ARRAY_SIZE(feature_texts) == __SPLITVISOR_FEATURE_MAX,
	       "every feature of uapi/splitvisor.h needs words");

/* Bits 53:50 of IA32_VMX_BASIC: memory type for the VMCS. */
#define VMX_BASIC_MEMTYPE(basic)	(((basic) >> 50) & 0xf)
#define MEMTYPE_WB			6

void cpu_signature_decode(uint32_t eax, struct cpu_signature *sig)
{
	unsigned int base_family = (eax >> 8) & 0xf;

	sig->family = base_family;
	if (base_family == 0xf)
		sig->family += (eax >> 20) & 0xff;
	sig->model = (eax >> 4) & 0xf;
	/* The extended model counts only for families 6 and 15 and up. */
	if (base_family == 0x6 || base_family == 0xf)
		sig->model |= ((eax >> 16) & 0xf) << 4;
	sig->stepping = eax & 0xf;
}

const char *feature_state_word(uint32_t state)
{
	switch (state) {
	case SPLITVISOR_FEATURE_STATE_PRESENT:
		return "ok";
	case SPLITVISOR_FEATURE_STATE_ABSENT:
		return "MISSING";
	default:
		return "unknown";
	}
}

const char *feature_state_name(uint32_t state)
{
	switch (state) {
	case SPLITVISOR_FEATURE_STATE_PRESENT:
		return "present";
	case SPLITVISOR_FEATURE_STATE_ABSENT:
		return "absent";
	default:
		return "unknown";
	}
}

const char *feature_need_name(uint32_t need)
{
	/* A need a newer module invents is safest shown as required. */
	return need == SPLITVISOR_FEATURE_NEED_OPTIONAL ? "optional" : "required";
}

const char *feature_known_name(uint32_t id)
{
	if (id >= ARRAY_SIZE(feature_texts))
		return NULL;
	return feature_texts[id].name;
}

int feature_blocks_hypervisor(const struct hw_feature *feat)
{
	return feat->need != SPLITVISOR_FEATURE_NEED_OPTIONAL &&
	       feat->state != SPLITVISOR_FEATURE_STATE_PRESENT;
}

unsigned int hw_missing_required_count(const struct hw_report *hw)
{
	unsigned int i, count = 0;

	for (i = 0; i < hw->nr_features; i++)
		count += feature_blocks_hypervisor(&hw->features[i]);
	return count;
}

const struct hw_feature *hw_first_missing_required(const struct hw_report *hw)
{
	unsigned int i;

	for (i = 0; i < hw->nr_features; i++)
		if (feature_blocks_hypervisor(&hw->features[i]))
			return &hw->features[i];
	return NULL;
}

static const struct hw_feature *hw_find(const struct hw_report *hw,
					uint32_t id)
{
	unsigned int i;

	for (i = 0; i < hw->nr_features; i++)
		if (hw->features[i].id == id)
			return &hw->features[i];
	return NULL;
}

static const char *hw_feature_name(const struct hw_report *hw, uint32_t id)
{
	const struct hw_feature *feat = hw_find(hw, id);

	if (feat && feat->name[0])
		return feat->name;
	return feature_known_name(id);
}

const char *feature_control_sentence(uint64_t feature_control)
{
	if (!(feature_control & SPLITVISOR_FEATURE_CONTROL_LOCKED))
		return "IA32_FEATURE_CONTROL left unlocked by the firmware, so VMXON would fault: enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup or update the firmware";
	if (!(feature_control & SPLITVISOR_FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		return "VMX disabled in firmware: enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup";
	return "VMX enabled and locked by the firmware";
}

/*
 * A feature is "unknown" when something it depends on is missing. Name
 * the most basic missing one: that is what the user has to fix first.
 */
static void unknown_sentence(const struct hw_report *hw, uint32_t id,
			     char *buf, size_t len)
{
	uint32_t chain[8], prereq;
	unsigned int depth = 0;
	const struct hw_feature *feat;

	if (id >= ARRAY_SIZE(feature_texts)) {
		snprintf(buf, len, "not checked: a prerequisite is missing");
		return;
	}
	for (prereq = feature_texts[id].prereq;
	     prereq != NO_PREREQ && depth < ARRAY_SIZE(chain);
	     prereq = feature_texts[prereq].prereq)
		chain[depth++] = prereq;
	while (depth--) {
		feat = hw_find(hw, chain[depth]);
		if (feat && feat->state != SPLITVISOR_FEATURE_STATE_PRESENT) {
			snprintf(buf, len, "not checked: %s is missing",
				 hw_feature_name(hw, chain[depth]));
			return;
		}
	}
	if (id == SPLITVISOR_FEATURE_VMX_FIRMWARE)
		snprintf(buf, len, "not checked: IA32_FEATURE_CONTROL could not be read");
	else
		snprintf(buf, len, "not checked: the VMX capability MSRs could not be read");
}

/* RDTSCP, INVPCID, XSAVES: required only where the CPU has the instruction. */
static void instruction_control_sentence(const struct hw_feature *feat,
					 const char *insn, char *buf,
					 size_t len)
{
	if (feat->need == SPLITVISOR_FEATURE_NEED_OPTIONAL)
		snprintf(buf, len, "%s cannot be allowed in VMX non-root mode (not needed: the CPU lacks %s)",
			 insn, insn);
	else
		snprintf(buf, len, "%s cannot be allowed in VMX non-root mode, but Linux uses it and would fault",
			 insn);
}

static void absent_sentence(const struct hw_report *hw,
			    const struct hw_feature *feat, char *buf,
			    size_t len)
{
	const struct feature_text *text = &feature_texts[feat->id];

	switch (feat->id) {
	case SPLITVISOR_FEATURE_INTEL_CPU:
		snprintf(buf, len, "not an Intel CPU (vendor %s): splitvisor needs Intel VT-x",
			 hw->vendor[0] ? hw->vendor : "unknown");
		return;
	case SPLITVISOR_FEATURE_VMX_FIRMWARE:
		if ((hw->feature_control &
		     SPLITVISOR_FEATURE_CONTROL_LOCKED) &&
		    (hw->feature_control &
		     SPLITVISOR_FEATURE_CONTROL_VMX_OUTSIDE_SMX))
			/* fine on the boot CPU, so another CPU disagrees */
			snprintf(buf, len, "VMX not enabled by the firmware on every CPU: enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup");
		else
			snprintf(buf, len, "%s (IA32_FEATURE_CONTROL 0x%llx)",
				 feature_control_sentence(hw->feature_control),
				 (unsigned long long)hw->feature_control);
		return;
	case SPLITVISOR_FEATURE_VMCS_WB:
		snprintf(buf, len, "VMCS cannot be in write-back memory (IA32_VMX_BASIC memory type %u)",
			 (unsigned int)VMX_BASIC_MEMTYPE(hw->vmx_basic));
		return;
	case SPLITVISOR_FEATURE_RDTSCP:
		instruction_control_sentence(feat, "RDTSCP", buf, len);
		return;
	case SPLITVISOR_FEATURE_INVPCID:
		instruction_control_sentence(feat, "INVPCID", buf, len);
		return;
	case SPLITVISOR_FEATURE_XSAVES:
		instruction_control_sentence(feat, "XSAVES", buf, len);
		return;
	}
	snprintf(buf, len, "%s", text->absent);
}

char *feature_sentence(const struct hw_report *hw,
		       const struct hw_feature *feat, char *buf, size_t len)
{
	if (!len)
		return buf;

	if (!feature_known_name(feat->id)) {
		/* A module newer than vmctl: only its name is known. */
		switch (feat->state) {
		case SPLITVISOR_FEATURE_STATE_PRESENT:
			snprintf(buf, len, "%s (feature not known to this vmctl)",
				 feat->name);
			break;
		case SPLITVISOR_FEATURE_STATE_ABSENT:
			snprintf(buf, len, "%s unsupported (feature not known to this vmctl; a newer vmctl explains it)",
				 feat->name);
			break;
		default:
			snprintf(buf, len, "not checked: a prerequisite is missing");
		}
		return buf;
	}

	switch (feat->state) {
	case SPLITVISOR_FEATURE_STATE_PRESENT:
		if (feat->id == SPLITVISOR_FEATURE_INTEL_CPU)
			snprintf(buf, len, "Intel CPU (%s)", hw->vendor);
		else if (feat->id == SPLITVISOR_FEATURE_VMX_FIRMWARE)
			snprintf(buf, len, "VMX enabled and locked by the firmware");
		else
			snprintf(buf, len, "%s", feature_texts[feat->id].present);
		break;
	case SPLITVISOR_FEATURE_STATE_ABSENT:
		absent_sentence(hw, feat, buf, len);
		break;
	default:
		unknown_sentence(hw, feat->id, buf, len);
	}
	return buf;
}
