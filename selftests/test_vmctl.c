// SPDX-License-Identifier: GPL-2.0
/*
 * vmctl against the real module: status, hw-check and version in text and
 * JSON, and the errors a user meets (not privileged, module not loaded).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define VERDICT_CAPABLE "verdict: splitvisor can run on this machine\n"
#define JSON_PRESENT(id, name) \
	"{\"id\":" #id ",\"name\":\"" name "\",\"state\":\"present\""

FIXTURE(loaded) {
	struct sv_cmd r;
};

FIXTURE_SETUP(loaded)
{
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, access(sv_vmctl_path(), X_OK));
}

FIXTURE_TEARDOWN(loaded)
{
	sv_cmd_free(&self->r);
}

TEST_F(loaded, status_text)
{
	char *version = sv_read_file("/sys/module/splitvisor/version");
	char want[80];

	ASSERT_NE(NULL, version);
	version[strcspn(version, "\n")] = '\0';
	self->r = sv_vmctl(-1, "status", NULL);
	TH_LOG("stdout:\n%s\nstderr:\n%s", self->r.out, self->r.err);
	ASSERT_EQ(0, self->r.status);
	snprintf(want, sizeof(want), "module version: %s\n", version);
	EXPECT_NE(NULL, strstr(self->r.out, want));
	EXPECT_NE(NULL, strstr(self->r.out, "hypervisor:     off\n"));
	EXPECT_NE(NULL, strstr(self->r.out, "hardware:       capable ("));
	EXPECT_NE(NULL, strstr(self->r.out, "GenuineIntel"));
	free(version);
}

TEST_F(loaded, status_json)
{
	self->r = sv_vmctl(-1, "--json", "status");
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_EQ('{', self->r.out[0]);
	EXPECT_NE(NULL, strstr(self->r.out, "\"api_version\":1"));
	EXPECT_NE(NULL, strstr(self->r.out, "\"hv_state\":\"off\""));
	EXPECT_NE(NULL, strstr(self->r.out, "\"capable\":true"));
	/* one line of JSON */
	EXPECT_EQ(strlen(self->r.out) - 1, strcspn(self->r.out, "\n"));
}

TEST_F(loaded, hw_check_text_reports_vmx_ept_unrestricted_guest)
{
	self->r = sv_vmctl(-1, "hw-check", NULL);
	TH_LOG("stdout:\n%s", self->r.out);
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.out, VERDICT_CAPABLE));
	EXPECT_TRUE(sv_hw_check_has(self->r.out, "ok", "vmx"));
	EXPECT_TRUE(sv_hw_check_has(self->r.out, "ok", "ept"));
	EXPECT_TRUE(sv_hw_check_has(self->r.out, "ok", "unrestricted-guest"));
}

TEST_F(loaded, hw_check_json)
{
	self->r = sv_vmctl(-1, "hw-check", "--json");
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	TH_LOG("%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "\"capable\":true"));
	EXPECT_NE(NULL, strstr(self->r.out, "\"vendor\":\"GenuineIntel\""));
	EXPECT_NE(NULL, strstr(self->r.out, JSON_PRESENT(1, "vmx")));
	EXPECT_NE(NULL, strstr(self->r.out, JSON_PRESENT(10, "ept")));
	EXPECT_NE(NULL, strstr(self->r.out,
			       JSON_PRESENT(21, "unrestricted-guest")));
	EXPECT_NE(NULL, strstr(self->r.out, "\"missing_required\":[]"));
}

TEST_F(loaded, version_shows_module)
{
	self->r = sv_vmctl(-1, "version", NULL);
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_NE(NULL, strstr(self->r.out, "vmctl "));
	EXPECT_NE(NULL, strstr(self->r.out, "module "));
	EXPECT_EQ(NULL, strstr(self->r.out, "not loaded"));
}

TEST_F(loaded, unprivileged_is_told_which_privilege)
{
	self->r = sv_vmctl(SV_NOBODY_UID, "status", NULL);
	TH_LOG("stderr: %s", self->r.err);
	EXPECT_EQ(1, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "permission denied"));
	EXPECT_NE(NULL, strstr(self->r.err, "CAP_NET_ADMIN"));
}

TEST(module_not_loaded_is_explained)
{
	struct sv_cmd r;

	if (sv_module_loaded("splitvisor"))
		ASSERT_EQ(0, sv_module_unload("splitvisor"));

	r = sv_vmctl(-1, "status", NULL);
	TH_LOG("stderr: %s", r.err);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "the splitvisor module is not loaded"));
	EXPECT_NE(NULL, strstr(r.err, "sudo modprobe splitvisor"));
	sv_cmd_free(&r);

	r = sv_vmctl(-1, "hw-check", NULL);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "the splitvisor module is not loaded"));
	sv_cmd_free(&r);

	r = sv_vmctl(-1, "version", NULL);
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "module: not loaded"));
	sv_cmd_free(&r);

	ASSERT_EQ(0, sv_module_load("splitvisor"));
}

TEST(usage_errors)
{
	struct sv_cmd r = sv_vmctl(-1, "no-such-command", NULL);

	EXPECT_EQ(2, r.status);
	EXPECT_NE(0, r.err[0]);
	sv_cmd_free(&r);
	r = sv_vmctl(-1, "status", "--help");
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "status"));
	sv_cmd_free(&r);
}

TEST_HARNESS_MAIN
