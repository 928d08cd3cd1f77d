// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of status, hw-check, version and hypervisor-state reports, and
 * of errors, from decoded module replies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <splitvisor.h>

#include "kselftest_harness.h"

#include "errors.h"
#include "report.h"
#include "capture.h"

static struct sv_status st;

static void add(uint32_t id, const char *name, uint32_t state, uint32_t need)
{
	struct hw_feature *f = &st.hw.features[st.hw.nr_features++];

	f->id = id;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->state = state;
	f->need = need;
}

/* A capable Skylake-SP with one optional feature missing. */
static void capable_machine(void)
{
	memset(&st, 0, sizeof(st));
	snprintf(st.module_version, sizeof(st.module_version), "0.1.0");
	st.api_version = SPLITVISOR_API_VERSION;
	st.hv_state = SPLITVISOR_HV_STATE_OFF;
	st.has_counters = true;
	st.has_hw = true;
	st.hw.capable = true;
	snprintf(st.hw.vendor, sizeof(st.hw.vendor), "GenuineIntel");
	st.hw.signature = 0x00050654;
	st.hw.cpus_checked = 1;
	st.hw.feature_control = 0x5;
	st.hw.vmx_basic = 0xda0400000000000fULL;
	st.hw.ept_vpid_cap = 0xf0106734141ULL;
	add(SPLITVISOR_FEATURE_VMX, "vmx", SPLITVISOR_FEATURE_STATE_PRESENT,
	    SPLITVISOR_FEATURE_NEED_REQUIRED);
	add(SPLITVISOR_FEATURE_EPT, "ept", SPLITVISOR_FEATURE_STATE_PRESENT,
	    SPLITVISOR_FEATURE_NEED_REQUIRED);
	add(SPLITVISOR_FEATURE_EPT_1G, "ept-1g", SPLITVISOR_FEATURE_STATE_ABSENT,
	    SPLITVISOR_FEATURE_NEED_OPTIONAL);
}

/* Firmware disabled VMX; the VMX MSRs could not be read either. */
static void incapable_machine(void)
{
	capable_machine();
	st.hw.capable = false;
	st.hw.feature_control = 0x1;
	st.hw.nr_features = 0;
	add(SPLITVISOR_FEATURE_VMX, "vmx", SPLITVISOR_FEATURE_STATE_PRESENT,
	    SPLITVISOR_FEATURE_NEED_REQUIRED);
	add(SPLITVISOR_FEATURE_VMX_FIRMWARE, "vmx-firmware",
	    SPLITVISOR_FEATURE_STATE_ABSENT, SPLITVISOR_FEATURE_NEED_REQUIRED);
	add(SPLITVISOR_FEATURE_EPT, "ept", SPLITVISOR_FEATURE_STATE_UNKNOWN,
	    SPLITVISOR_FEATURE_NEED_REQUIRED);
}

TEST(status_text_capable)
{
	struct capture o;

	capable_machine();
	report_status_text(capture_open(&o), &st);
	ASSERT_STREQ("module version: 0.1.0\n"
		     "API version:    3 (vmctl 3)\n"
		     "hypervisor:     off\n"
		     "hardware:       capable (GenuineIntel, family 6 model 85 stepping 4, 1 CPU checked)\n",
		     capture_text(&o));
	free(o.buf);
}

TEST(status_text_not_capable_gives_first_reason)
{
	struct capture o;

	incapable_machine();
	st.hv_state = SPLITVISOR_HV_STATE_ON;
	report_status_text(capture_open(&o), &st);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "hypervisor:     on\n"));
	ASSERT_NE(NULL, strstr(o.buf,
			       "hardware:       NOT capable: VMX disabled in firmware: enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup"));
	free(o.buf);
}

TEST(hw_check_text_capable)
{
	struct capture o;
	const char *last;

	capable_machine();
	st.hw.cpus_checked = 4;
	report_hw_check_text(capture_open(&o), &st.hw);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "GenuineIntel, family 6 model 85 stepping 4, 4 CPUs checked (signature 0x00050654)\n"));
	ASSERT_NE(NULL, strstr(o.buf, "\n  ok       required  vmx                 VMX (Intel VT-x)\n"));
	ASSERT_NE(NULL, strstr(o.buf, "\n  MISSING  optional  ept-1g              EPT 1G pages unsupported: will use 2M\n"));
	ASSERT_EQ(NULL, strstr(o.buf, "warning"));
	/* the verdict is the last line */
	last = strstr(o.buf, "verdict: ");
	ASSERT_NE(NULL, last);
	ASSERT_STREQ("verdict: splitvisor can run on this machine\n", last);
	ASSERT_TRUE(hw_is_capable(&st.hw));
	free(o.buf);
}

TEST(hw_check_text_not_capable)
{
	struct capture o;

	incapable_machine();
	st.hw.cpus_differ = true;
	report_hw_check_text(capture_open(&o), &st.hw);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "the CPUs do not all report the same capabilities"));
	ASSERT_NE(NULL, strstr(o.buf, "\n  unknown  required  ept                 not checked: the VMX capability MSRs could not be read\n"));
	ASSERT_NE(NULL, strstr(o.buf, "\nverdict: splitvisor cannot run on this machine: 2 required feature(s) missing\n"));
	ASSERT_FALSE(hw_is_capable(&st.hw));
	free(o.buf);
}

TEST(hw_check_json_exact)
{
	struct capture o;

	capable_machine();
	report_hw_check_json(capture_open(&o), &st.hw);
	ASSERT_STREQ("{\"capable\":true,\"vendor\":\"GenuineIntel\","
		     "\"family\":6,\"model\":85,\"stepping\":4,"
		     "\"signature\":\"0x50654\",\"cpus_checked\":1,"
		     "\"cpus_differ\":false,\"feature_control\":\"0x5\","
		     "\"vmx_basic\":\"0xda0400000000000f\","
		     "\"ept_vpid_cap\":\"0xf0106734141\",\"features\":["
		     "{\"id\":1,\"name\":\"vmx\",\"state\":\"present\",\"need\":\"required\",\"message\":\"VMX (Intel VT-x)\"},"
		     "{\"id\":10,\"name\":\"ept\",\"state\":\"present\",\"need\":\"required\",\"message\":\"EPT (extended page tables)\"},"
		     "{\"id\":14,\"name\":\"ept-1g\",\"state\":\"absent\",\"need\":\"optional\",\"message\":\"EPT 1G pages unsupported: will use 2M\"}],"
		     "\"missing_required\":[]}\n",
		     capture_text(&o));
	free(o.buf);
}

TEST(hw_check_json_lists_missing_required)
{
	struct capture o;

	incapable_machine();
	report_hw_check_json(capture_open(&o), &st.hw);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "{\"capable\":false,"));
	ASSERT_NE(NULL, strstr(o.buf, "\"missing_required\":[\"vmx-firmware\",\"ept\"]}\n"));
	ASSERT_EQ(strlen(o.buf) - 1, strcspn(o.buf, "\n"));
	ASSERT_EQ(NULL, strstr(o.buf, "\": "));
	ASSERT_EQ(NULL, strstr(o.buf, ", \""));
	free(o.buf);
}

TEST(status_json_is_one_compact_line)
{
	struct capture o;

	capable_machine();
	report_status_json(capture_open(&o), &st);
	capture_text(&o);
	ASSERT_EQ(o.buf, strstr(o.buf, "{\"module_version\":\"0.1.0\",\"api_version\":3,\"vmctl_api_version\":3,\"hv_state\":\"off\",\"cpus_virtualized\":0,\"exits\":0,\"hw\":{\"capable\":true,"));
	ASSERT_EQ(strlen(o.buf) - 1, strcspn(o.buf, "\n"));
	ASSERT_STREQ("]}}\n", o.buf + strlen(o.buf) - 4);
	free(o.buf);
}

TEST(unknown_feature_id_is_shown_by_name)
{
	struct capture o;

	capable_machine();
	add(99, "ept-5level", SPLITVISOR_FEATURE_STATE_PRESENT,
	    SPLITVISOR_FEATURE_NEED_OPTIONAL);
	report_hw_check_text(capture_open(&o), &st.hw);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "\n  ok       optional  ept-5level          ept-5level (feature not known to this vmctl)\n"));
	free(o.buf);
}

TEST(version_text_and_json)
{
	struct version_info ver = { 0 };
	struct capture o;

	report_version_text(capture_open(&o), &ver);
	ASSERT_STREQ("vmctl " VMCTL_VERSION " (API 3)\nmodule: not loaded\n",
		     capture_text(&o));
	free(o.buf);

	ver.module_loaded = true;
	ver.module_answered = true;
	snprintf(ver.module_version, sizeof(ver.module_version), "0.1.0");
	ver.module_api_version = 1;
	report_version_text(capture_open(&o), &ver);
	ASSERT_STREQ("vmctl " VMCTL_VERSION " (API 3)\nmodule 0.1.0 (API 1)\n",
		     capture_text(&o));
	free(o.buf);

	report_version_json(capture_open(&o), &ver);
	ASSERT_STREQ("{\"vmctl_version\":\"" VMCTL_VERSION "\",\"vmctl_api_version\":3,\"module_loaded\":true,\"module_version\":\"0.1.0\",\"api_version\":1}\n",
		     capture_text(&o));
	free(o.buf);
}

TEST(status_text_on_shows_cpus_and_exits)
{
	struct capture o;

	capable_machine();
	st.hv_state = SPLITVISOR_HV_STATE_ON;
	st.cpus_virtualized = 2;
	st.exits = 1234;
	report_status_text(capture_open(&o), &st);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "hypervisor:     on\n"
			       "cpus virtualized: 2\n"
			       "vm exits: 1234\n"
			       "hardware:       capable ("));
	free(o.buf);
}

TEST(status_text_off_has_no_counter_lines)
{
	struct capture o;

	capable_machine();
	st.exits = 99;
	report_status_text(capture_open(&o), &st);
	capture_text(&o);
	ASSERT_EQ(NULL, strstr(o.buf, "cpus virtualized"));
	ASSERT_EQ(NULL, strstr(o.buf, "vm exits"));
	free(o.buf);
}

TEST(status_json_counters_null_from_an_api_1_module)
{
	struct capture o;

	capable_machine();
	st.hv_state = SPLITVISOR_HV_STATE_ON;
	st.cpus_virtualized = 4;
	st.exits = 18446744073709551615ULL;
	report_status_json(capture_open(&o), &st);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "\"hv_state\":\"on\",\"cpus_virtualized\":4,\"exits\":18446744073709551615,\"hw\":{"));
	free(o.buf);

	st.has_counters = false;
	report_status_json(capture_open(&o), &st);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "\"cpus_virtualized\":null,\"exits\":null,"));
	free(o.buf);
	report_status_text(capture_open(&o), &st);
	capture_text(&o);
	ASSERT_EQ(NULL, strstr(o.buf, "vm exits"));
	free(o.buf);
}

TEST(hv_state_lines)
{
	struct capture o;

	report_hv_state_text(capture_open(&o), SPLITVISOR_HV_STATE_ON, 2);
	ASSERT_STREQ("hypervisor: on (2 CPUs)\n", capture_text(&o));
	free(o.buf);
	report_hv_state_text(capture_open(&o), SPLITVISOR_HV_STATE_ON, 1);
	ASSERT_STREQ("hypervisor: on (1 CPU)\n", capture_text(&o));
	free(o.buf);
	report_hv_state_text(capture_open(&o), SPLITVISOR_HV_STATE_OFF, 0);
	ASSERT_STREQ("hypervisor: off\n", capture_text(&o));
	free(o.buf);
	report_hv_state_text(capture_open(&o), 7, 0);
	ASSERT_STREQ("hypervisor: unknown state 7\n", capture_text(&o));
	free(o.buf);

	report_hv_state_json(capture_open(&o), SPLITVISOR_HV_STATE_ON, 2);
	ASSERT_STREQ("{\"hypervisor\":\"on\",\"cpus_virtualized\":2}\n",
		     capture_text(&o));
	free(o.buf);
	report_hv_state_json(capture_open(&o), SPLITVISOR_HV_STATE_OFF, 0);
	ASSERT_STREQ("{\"hypervisor\":\"off\",\"cpus_virtualized\":0}\n",
		     capture_text(&o));
	free(o.buf);
}

static char *error_text(const struct query_error *qe)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	print_query_error(f, qe);
	fclose(f);
	return text;
}

TEST(error_module_not_loaded)
{
	struct query_error qe = { .kind = QUERY_NOT_LOADED };
	char *text = error_text(&qe);

	ASSERT_NE(NULL, strstr(text, "the splitvisor module is not loaded"));
	ASSERT_NE(NULL, strstr(text, "sudo modprobe splitvisor"));
	ASSERT_NE(NULL, strstr(text, "sudo insmod kmod/splitvisor.ko"));
	free(text);
}

TEST(error_permission_denied)
{
	struct query_error qe = { .kind = QUERY_KERNEL, .error = EPERM };
	char *text = error_text(&qe);

	ASSERT_NE(NULL, strstr(text, "permission denied"));
	ASSERT_NE(NULL, strstr(text, "CAP_NET_ADMIN"));
	ASSERT_NE(NULL, strstr(text, "sudo"));
	free(text);
}

TEST(error_kernel_with_extack)
{
	struct query_error qe = { .kind = QUERY_KERNEL, .error = EINVAL };
	char *text;

	qe.ext.has_msg = true;
	snprintf(qe.ext.msg, sizeof(qe.ext.msg), "request must be empty");
	text = error_text(&qe);
	ASSERT_STREQ("vmctl: kernel: request must be empty (Invalid argument)\n",
		     text);
	free(text);

	qe.ext.has_msg = false;
	text = error_text(&qe);
	ASSERT_STREQ("vmctl: kernel: request failed (Invalid argument)\n",
		     text);
	free(text);

	qe.ext.has_missing_type = true;
	qe.ext.missing_type = 4;
	text = error_text(&qe);
	ASSERT_STREQ("vmctl: kernel: request lacks attribute 4 (Invalid argument)\n",
		     text);
	free(text);
}

TEST_HARNESS_MAIN
