// SPDX-License-Identifier: GPL-2.0
/*
 * Feature sentences and CPU signature decoding, fed with reports like the
 * module sends for real and broken machines.
 */
#include <string.h>

#include <splitvisor.h>

#include "kselftest_harness.h"

#include "hwcheck_text.h"

#define ABSENT	SPLITVISOR_FEATURE_STATE_ABSENT
#define PRESENT	SPLITVISOR_FEATURE_STATE_PRESENT
#define UNKNOWN	SPLITVISOR_FEATURE_STATE_UNKNOWN
#define REQ	SPLITVISOR_FEATURE_NEED_REQUIRED
#define OPT	SPLITVISOR_FEATURE_NEED_OPTIONAL

static struct hw_report report;
static char sentence[320];

static struct hw_feature *add(uint32_t id, const char *name, uint32_t state,
			      uint32_t need)
{
	struct hw_feature *f = &report.features[report.nr_features++];

	f->id = id;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->state = state;
	f->need = need;
	return f;
}

static void reset(const char *vendor, uint64_t feature_control)
{
	memset(&report, 0, sizeof(report));
	snprintf(report.vendor, sizeof(report.vendor), "%s", vendor);
	report.feature_control = feature_control;
}

static const char *say(const struct hw_feature *f)
{
	return feature_sentence(&report, f, sentence, sizeof(sentence));
}

TEST(signature_skylake_server)
{
	struct cpu_signature sig;

	cpu_signature_decode(0x00050654, &sig);
	ASSERT_EQ(6U, sig.family);
	ASSERT_EQ(85U, sig.model);
	ASSERT_EQ(4U, sig.stepping);
}

TEST(signature_extended_family)
{
	struct cpu_signature sig;

	/* family 0xf + extended 0xa = 25, model 0x21, stepping 0 */
	cpu_signature_decode(0x00a20f10, &sig);
	ASSERT_EQ(25U, sig.family);
	ASSERT_EQ(33U, sig.model);
	ASSERT_EQ(0U, sig.stepping);
	/* Pentium 4: family 15, extended family 0, extended model counts */
	cpu_signature_decode(0x00010f29, &sig);
	ASSERT_EQ(15U, sig.family);
	ASSERT_EQ(0x12U, sig.model);
	ASSERT_EQ(9U, sig.stepping);
}

TEST(signature_extended_model_ignored_below_family_6)
{
	struct cpu_signature sig;

	/* family 5 (Pentium): extended model bits do not count */
	cpu_signature_decode(0x00010543, &sig);
	ASSERT_EQ(5U, sig.family);
	ASSERT_EQ(4U, sig.model);
	ASSERT_EQ(3U, sig.stepping);
}

TEST(intel_cpu_absent_names_the_vendor)
{
	struct hw_feature *f;

	reset("AuthenticAMD", 0);
	f = add(SPLITVISOR_FEATURE_INTEL_CPU, "intel-cpu", ABSENT, REQ);
	ASSERT_STREQ("not an Intel CPU (vendor AuthenticAMD): splitvisor needs Intel VT-x",
		     say(f));
	ASSERT_STREQ("MISSING", feature_state_word(f->state));
	ASSERT_STREQ("absent", feature_state_name(f->state));
}

TEST(vmx_absent)
{
	struct hw_feature *f;

	reset("GenuineIntel", 0);
	f = add(SPLITVISOR_FEATURE_VMX, "vmx", ABSENT, REQ);
	ASSERT_STREQ("VMX (Intel VT-x) not offered by the CPU: enable virtualization in firmware, or nested virtualization if this is a VM",
		     say(f));
}

TEST(vmx_firmware_locked_without_vmx_enabled)
{
	struct hw_feature *f;

	reset("GenuineIntel", 0x1);
	add(SPLITVISOR_FEATURE_VMX, "vmx", PRESENT, REQ);
	f = add(SPLITVISOR_FEATURE_VMX_FIRMWARE, "vmx-firmware", ABSENT, REQ);
	ASSERT_NE(NULL, strstr(say(f), "VMX disabled in firmware: enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup"));
	ASSERT_NE(NULL, strstr(sentence, "0x1"));
	/* VMX inside SMX only (bit 1) is still disabled for splitvisor */
	report.feature_control = 0x3;
	ASSERT_NE(NULL, strstr(say(f), "VMX disabled in firmware"));
}

TEST(vmx_firmware_unlocked)
{
	struct hw_feature *f;

	reset("GenuineIntel", 0x0);
	f = add(SPLITVISOR_FEATURE_VMX_FIRMWARE, "vmx-firmware", ABSENT, REQ);
	ASSERT_NE(NULL, strstr(say(f), "unlocked"));
	ASSERT_EQ(NULL, strstr(sentence, "VMX disabled in firmware"));
	/* bit 2 without the lock: still unusable, still "unlocked" */
	report.feature_control = 0x4;
	ASSERT_NE(NULL, strstr(say(f), "left unlocked by the firmware"));
}

TEST(vmx_firmware_fine_on_boot_cpu_only)
{
	struct hw_feature *f;

	reset("GenuineIntel", 0x5);
	f = add(SPLITVISOR_FEATURE_VMX_FIRMWARE, "vmx-firmware", ABSENT, REQ);
	ASSERT_NE(NULL, strstr(say(f), "on every CPU"));
}

TEST(feature_control_sentences)
{
	ASSERT_STREQ("VMX enabled and locked by the firmware",
		     feature_control_sentence(0x5));
	ASSERT_STREQ("VMX disabled in firmware: enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup",
		     feature_control_sentence(0x1));
	ASSERT_NE(NULL, strstr(feature_control_sentence(0x0), "unlocked"));
}

TEST(present_features_get_short_descriptions)
{
	reset("GenuineIntel", 0x5);
	ASSERT_STREQ("EPT 1G pages",
		     say(add(SPLITVISOR_FEATURE_EPT_1G, "ept-1g", PRESENT, OPT)));
	ASSERT_STREQ("Intel CPU (GenuineIntel)",
		     say(add(SPLITVISOR_FEATURE_INTEL_CPU, "intel-cpu", PRESENT,
			     REQ)));
	ASSERT_STREQ("VMX enabled and locked by the firmware",
		     say(add(SPLITVISOR_FEATURE_VMX_FIRMWARE, "vmx-firmware",
			     PRESENT, REQ)));
	ASSERT_STREQ("ok", feature_state_word(PRESENT));
	ASSERT_STREQ("present", feature_state_name(PRESENT));
}

TEST(optional_paging_features_absent_say_the_fallback)
{
	reset("GenuineIntel", 0x5);
	ASSERT_STREQ("EPT 1G pages unsupported: will use 2M",
		     say(add(SPLITVISOR_FEATURE_EPT_1G, "ept-1g", ABSENT, OPT)));
	ASSERT_STREQ("EPT 2M pages unsupported: will use 4K pages",
		     say(add(SPLITVISOR_FEATURE_EPT_2M, "ept-2m", ABSENT, OPT)));
	ASSERT_STREQ("VPID unsupported: the TLB is flushed on every VM switch",
		     say(add(SPLITVISOR_FEATURE_VPID, "vpid", ABSENT, OPT)));
}

TEST(virtual_nmis_words)
{
	struct hw_feature *f;

	reset("GenuineIntel", 0x5);
	ASSERT_STREQ("virtual-nmis",
		     feature_known_name(SPLITVISOR_FEATURE_VIRTUAL_NMIS));
	f = add(SPLITVISOR_FEATURE_VIRTUAL_NMIS, "virtual-nmis", PRESENT, REQ);
	ASSERT_STREQ("NMI exiting, virtual NMIs and NMI-window exiting",
		     say(f));
	f->state = ABSENT;
	ASSERT_NE(NULL, strstr(say(f), "unsupported: splitvisor needs them to hand every NMI to Linux"));

	/* checked only with VMX */
	reset("GenuineIntel", 0x5);
	add(SPLITVISOR_FEATURE_INTEL_CPU, "intel-cpu", PRESENT, REQ);
	add(SPLITVISOR_FEATURE_VMX, "vmx", ABSENT, REQ);
	f = add(SPLITVISOR_FEATURE_VIRTUAL_NMIS, "virtual-nmis", UNKNOWN, REQ);
	ASSERT_STREQ("not checked: vmx is missing", say(f));
}

TEST(instruction_controls_depend_on_need)
{
	reset("GenuineIntel", 0x5);
	ASSERT_NE(NULL, strstr(say(add(SPLITVISOR_FEATURE_RDTSCP, "rdtscp",
				       ABSENT, REQ)),
			       "Linux uses it"));
	ASSERT_NE(NULL, strstr(say(add(SPLITVISOR_FEATURE_XSAVES, "xsaves",
				       ABSENT, OPT)),
			       "not needed"));
}

TEST(vmcs_wb_absent_reports_memory_type)
{
	reset("GenuineIntel", 0x5);
	report.vmx_basic = 0ULL << 50;	/* uncacheable */
	ASSERT_STREQ("VMCS cannot be in write-back memory (IA32_VMX_BASIC memory type 0)",
		     say(add(SPLITVISOR_FEATURE_VMCS_WB, "vmcs-wb", ABSENT, REQ)));
}

TEST(unknown_names_the_missing_prerequisite)
{
	struct hw_feature *ept_1g, *fw, *invvpid;

	reset("GenuineIntel", 0x5);
	add(SPLITVISOR_FEATURE_INTEL_CPU, "intel-cpu", PRESENT, REQ);
	add(SPLITVISOR_FEATURE_VMX, "vmx", PRESENT, REQ);
	fw = add(SPLITVISOR_FEATURE_VMX_FIRMWARE, "vmx-firmware", PRESENT, REQ);
	add(SPLITVISOR_FEATURE_SECONDARY_CTLS, "secondary-ctls", PRESENT, REQ);
	add(SPLITVISOR_FEATURE_EPT, "ept", ABSENT, REQ);
	add(SPLITVISOR_FEATURE_VPID, "vpid", ABSENT, OPT);
	ept_1g = add(SPLITVISOR_FEATURE_EPT_1G, "ept-1g", UNKNOWN, OPT);
	invvpid = add(SPLITVISOR_FEATURE_INVVPID_ALL, "invvpid-all", UNKNOWN,
		      OPT);
	ASSERT_STREQ("not checked: ept is missing", say(ept_1g));
	ASSERT_STREQ("not checked: vpid is missing", say(invvpid));
	ASSERT_STREQ("unknown", feature_state_word(UNKNOWN));

	/* Without VMX, the VMX-based features point at vmx. */
	report.features[1].state = ABSENT;
	fw->state = UNKNOWN;
	ASSERT_STREQ("not checked: vmx is missing", say(fw));
	/* ... and deeper ones at the most basic missing piece */
	ASSERT_STREQ("not checked: vmx is missing", say(ept_1g));
}

TEST(unknown_on_amd_points_at_intel_cpu)
{
	struct hw_feature *vmx;

	reset("AuthenticAMD", 0);
	add(SPLITVISOR_FEATURE_INTEL_CPU, "intel-cpu", ABSENT, REQ);
	vmx = add(SPLITVISOR_FEATURE_VMX, "vmx", UNKNOWN, REQ);
	ASSERT_STREQ("not checked: intel-cpu is missing", say(vmx));
}

TEST(unknown_with_prerequisites_present_blames_msrs)
{
	struct hw_feature *f;

	reset("GenuineIntel", 0x5);
	add(SPLITVISOR_FEATURE_INTEL_CPU, "intel-cpu", PRESENT, REQ);
	add(SPLITVISOR_FEATURE_VMX, "vmx", PRESENT, REQ);
	f = add(SPLITVISOR_FEATURE_VMCS_WB, "vmcs-wb", UNKNOWN, REQ);
	ASSERT_STREQ("not checked: the VMX capability MSRs could not be read",
		     say(f));
}

TEST(feature_id_newer_than_vmctl_uses_its_name)
{
	struct hw_feature *f;

	reset("GenuineIntel", 0x5);
	ASSERT_EQ(NULL, feature_known_name(__SPLITVISOR_FEATURE_MAX));
	ASSERT_STREQ("ept-1g", feature_known_name(SPLITVISOR_FEATURE_EPT_1G));
	f = add(200, "ept-5level", ABSENT, OPT);
	ASSERT_NE(NULL, strstr(say(f), "ept-5level"));
	ASSERT_NE(NULL, strstr(sentence, "not known to this vmctl"));
	f->state = PRESENT;
	ASSERT_NE(NULL, strstr(say(f), "ept-5level"));
	f->state = UNKNOWN;
	ASSERT_STREQ("not checked: a prerequisite is missing", say(f));
}

TEST(missing_required_counts_absent_and_unknown)
{
	reset("AuthenticAMD", 0);
	add(SPLITVISOR_FEATURE_INTEL_CPU, "intel-cpu", ABSENT, REQ);
	add(SPLITVISOR_FEATURE_VMX, "vmx", UNKNOWN, REQ);
	add(SPLITVISOR_FEATURE_EPT_1G, "ept-1g", UNKNOWN, OPT);
	add(SPLITVISOR_FEATURE_EPT_2M, "ept-2m", ABSENT, OPT);
	ASSERT_EQ(2U, hw_missing_required_count(&report));
	ASSERT_EQ(&report.features[0], hw_first_missing_required(&report));
	ASSERT_STREQ("required", feature_need_name(REQ));
	ASSERT_STREQ("optional", feature_need_name(OPT));
}

TEST(sentence_truncates_to_buffer)
{
	struct hw_feature *f;
	char small[8];

	reset("GenuineIntel", 0);
	f = add(SPLITVISOR_FEATURE_VMX, "vmx", ABSENT, REQ);
	memset(small, 'x', sizeof(small));
	feature_sentence(&report, f, small, sizeof(small));
	ASSERT_STREQ("VMX (In", small);
}

TEST_HARNESS_MAIN
