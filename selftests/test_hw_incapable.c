// SPDX-License-Identifier: GPL-2.0
/*
 * On a VMX CPU without EPT (make check boots Bochs' Core 2 model for
 * this), the module still loads and every interface says, in words, that
 * splitvisor cannot run here and why.
 */
#include <errno.h>
#include <string.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define VERDICT_INCAPABLE "verdict: splitvisor cannot run on this machine: "

/* The point of this test is the CPU it runs on: insist on one without EPT. */
static bool cpu_has_vmx_without_ept(void)
{
	char *info = sv_read_file("/proc/cpuinfo");
	char *flags = info ? strstr(info, "\nvmx flags") : NULL;
	bool ept;

	if (!flags) {
		free(info);
		return false;
	}
	*strchrnul(flags + 1, '\n') = '\0';
	ept = strstr(flags, " ept") != NULL;
	free(info);
	return !ept;
}

FIXTURE(incapable) {
	struct sv_cmd r;
};

FIXTURE_SETUP(incapable)
{
	ASSERT_TRUE(cpu_has_vmx_without_ept())
		TH_LOG("needs a VMX CPU without EPT, e.g. --cpu-model core2_penryn_t9600");
	/* Without the hypervisor, so that vmctl can explain why. */
	if (!sv_module_loaded("splitvisor"))
		ASSERT_EQ(0, sv_module_load_params("splitvisor", "enable=0"));
}

FIXTURE_TEARDOWN(incapable)
{
	sv_cmd_free(&self->r);
}

TEST_F(incapable, load_logs_not_capable_and_what_is_missing)
{
	char *out, *err, *line = NULL;
	static const char * const argv[] = { "/bin/dmesg", NULL };

	if (sv_module_loaded("splitvisor"))
		ASSERT_EQ(0, sv_module_unload("splitvisor"));
	/* A plain load must refuse: the hypervisor cannot run here. */
	ASSERT_EQ(-EOPNOTSUPP, sv_module_load("splitvisor"));
	ASSERT_FALSE(sv_module_loaded("splitvisor"));
	ASSERT_EQ(0, sv_module_load_params("splitvisor", "enable=0"));
	ASSERT_EQ(0, sv_run(-1, argv, &out, &err));
	EXPECT_NE(NULL, strstr(out, "hypervisor not enabled: the hardware lacks: "));
	for (char *p = out; (p = strstr(p, "splitvisor: hardware check on"));
	     p++)
		line = p;
	ASSERT_NE(NULL, line);
	*strchrnul(line, '\n') = '\0';
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, ": NOT capable, missing "));
	EXPECT_NE(NULL, strstr(line, "ept"));
	free(out);
	free(err);
}

TEST_F(incapable, get_status_says_not_capable)
{
	struct sv_nl_reply *r = malloc(sizeof(*r));
	int fd = sv_nl_open(), family;
	const void *hw, *capable;
	size_t len;

	ASSERT_NE(NULL, r);
	family = sv_nl_family_id(fd, SPLITVISOR_FAMILY_NAME, NULL, 0);
	ASSERT_LT(0, family);
	ASSERT_EQ(0, sv_nl_request(fd, family, SPLITVISOR_CMD_GET_STATUS,
				   NULL, 0, 0, r));
	ASSERT_EQ(0, r->error) TH_LOG("%s", r->extack);
	hw = sv_status_hw(r, &len);
	ASSERT_NE(NULL, hw);
	capable = sv_nla_find(hw, len, SPLITVISOR_A_HW_CAPABLE, NULL);
	ASSERT_NE(NULL, capable);
	EXPECT_EQ(0, *(const __u8 *)capable);
	EXPECT_EQ(SPLITVISOR_FEATURE_STATE_PRESENT, sv_feature_state(hw, len, "vmx"));
	EXPECT_EQ(SPLITVISOR_FEATURE_STATE_ABSENT, sv_feature_state(hw, len, "ept"));
	/* what depends on EPT cannot be checked without it */
	EXPECT_EQ(SPLITVISOR_FEATURE_STATE_UNKNOWN,
		  sv_feature_state(hw, len, "ept-4level"));
	EXPECT_EQ(SPLITVISOR_FEATURE_STATE_UNKNOWN,
		  sv_feature_state(hw, len, "invept-all"));
	close(fd);
	free(r);
}

TEST_F(incapable, hw_check_explains_and_exits_3)
{
	self->r = sv_vmctl(-1, "hw-check", NULL);
	TH_LOG("stdout:\n%s", self->r.out);
	EXPECT_EQ(3, self->r.status);
	EXPECT_TRUE(sv_hw_check_has(self->r.out, "ok", "vmx"));
	EXPECT_TRUE(sv_hw_check_has(self->r.out, "MISSING", "ept"));
	EXPECT_TRUE(sv_hw_check_has(self->r.out, "unknown", "ept-4level"));
	EXPECT_NE(NULL, strstr(self->r.out, "not checked: ept is missing"));
	EXPECT_NE(NULL, strstr(self->r.out, VERDICT_INCAPABLE));
}

TEST_F(incapable, hw_check_json_lists_missing_required)
{
	self->r = sv_vmctl(-1, "--json", "hw-check");
	EXPECT_EQ(3, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "\"capable\":false"));
	EXPECT_NE(NULL, strstr(self->r.out, "\"missing_required\":["));
	EXPECT_NE(NULL, strstr(self->r.out, "\"ept\""));
}

TEST_F(incapable, status_says_not_capable_and_why)
{
	self->r = sv_vmctl(-1, "status", NULL);
	TH_LOG("stdout:\n%s", self->r.out);
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "hardware:       NOT capable: "));
}

TEST_HARNESS_MAIN
