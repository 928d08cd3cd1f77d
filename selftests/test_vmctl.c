// SPDX-License-Identifier: GPL-2.0
/*
 * vmctl against the real module: status, hw-check, stats and version in
 * text and JSON, switching the hypervisor on and off while monitor
 * watches, and the errors a user meets (not privileged, module not
 * loaded).
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define VERDICT_CAPABLE "verdict: splitvisor can run on this machine\n"
#define JSON_PRESENT(id, name) \
	"{\"id\":" #id ",\"name\":\"" name "\",\"state\":\"present\""
#define STRINGIFY(x)	#x
#define TO_STRING(x)	STRINGIFY(x)

/*
 * Whether the hypervisor is on: the module switches it on at load unless
 * told otherwise, and tests before may have switched it either way.
 */
static bool hv_is_on(void)
{
	struct sv_cmd c = sv_vmctl(-1, "--json", "status");
	bool on = c.out && strstr(c.out, "\"hv_state\":\"on\"");

	sv_cmd_free(&c);
	return on;
}

/* Put the hypervisor into state ON; false where it cannot be. */
static bool hv_switch(bool on)
{
	struct sv_cmd c = sv_vmctl(-1, on ? "enable" : "disable", NULL);
	bool ok = c.status == 0;

	sv_cmd_free(&c);
	return ok;
}

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
	if (hv_is_on()) {
		snprintf(want, sizeof(want), "hypervisor:     on\ncpus virtualized: %ld\nvm exits: ",
			 sysconf(_SC_NPROCESSORS_ONLN));
		EXPECT_NE(NULL, strstr(self->r.out, want));
	} else {
		EXPECT_NE(NULL, strstr(self->r.out, "hypervisor:     off\n"));
		EXPECT_EQ(NULL, strstr(self->r.out, "vm exits"));
	}
	EXPECT_NE(NULL, strstr(self->r.out, "hardware:       capable ("));
	EXPECT_NE(NULL, strstr(self->r.out, "GenuineIntel"));
	free(version);
}

TEST_F(loaded, status_json)
{
	self->r = sv_vmctl(-1, "--json", "status");
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_EQ('{', self->r.out[0]);
	EXPECT_NE(NULL, strstr(self->r.out, "\"api_version\":"
			       TO_STRING(SPLITVISOR_API_VERSION) ","));
	EXPECT_NE(NULL, strstr(self->r.out, "\",\"cpus_virtualized\":"));
	EXPECT_NE(NULL, strstr(self->r.out, ",\"exits\":"));
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

TEST_F(loaded, stats_json)
{
	bool on = hv_is_on();
	char want[80];
	long cpu;

	self->r = sv_vmctl(-1, "--json", "stats");
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	TH_LOG("%s", self->r.out);
	snprintf(want, sizeof(want), "{\"hypervisor\":\"%s\",\"cpus_virtualized\":%ld,\"exits\":",
		 on ? "on" : "off", on ? sysconf(_SC_NPROCESSORS_ONLN) : 0);
	EXPECT_EQ(0, strncmp(self->r.out, want, strlen(want)));
	for (cpu = 0; cpu < sysconf(_SC_NPROCESSORS_ONLN); cpu++) {
		snprintf(want, sizeof(want), "{\"cpu\":%ld,\"virtualized\":%s,",
			 cpu, on ? "true" : "false");
		EXPECT_NE(NULL, strstr(self->r.out, want)) TH_LOG("%s", want);
	}
	EXPECT_NE(NULL, strstr(self->r.out, "\"by_reason\":{"));
	EXPECT_EQ(strlen(self->r.out) - 1, strcspn(self->r.out, "\n"));
}

TEST_F(loaded, stats_text)
{
	bool on = hv_is_on();
	char want[32];

	self->r = sv_vmctl(-1, "stats", NULL);
	TH_LOG("stdout:\n%s", self->r.out);
	ASSERT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	snprintf(want, sizeof(want), "%s", on ? "hypervisor: on (" :
		 "hypervisor: off, ");
	EXPECT_EQ(0, strncmp(self->r.out, want, strlen(want)));
	EXPECT_NE(NULL, strstr(self->r.out, "\ncpu  virtualized  exits"));
	EXPECT_NE(NULL, strstr(self->r.out, on ? "\n  0  yes " : "\n  0  no "));
}

TEST_F(loaded, stats_watch_shows_rates_until_interrupted)
{
	struct sv_background bg;

	ASSERT_EQ(0, sv_vmctl_start(&bg, "stats", "--watch=0.1"));
	EXPECT_TRUE(sv_wait_for_output(&bg, 0, "\ncpu  virtualized  exits/s"));
	EXPECT_EQ(0, sv_vmctl_interrupt(&bg));
	TH_LOG("stdout:\n%s\nstderr:\n%s", bg.text[0], bg.text[1]);
	EXPECT_EQ(0, strncmp(bg.text[0], "hypervisor: ", strlen("hypervisor: ")));
	EXPECT_NE(NULL, strstr(bg.text[0], " VM exits/s over the last 0."));
	EXPECT_STREQ("", bg.text[1]);
}

/*
 * enable, status, stats and disable while monitor listens; skipped where
 * the hypervisor cannot be switched on.
 */
TEST_F(loaded, enable_disable_seen_by_monitor)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	bool was_on = hv_is_on();
	struct sv_background monitor;
	char want[80];

	/* From off, so that enable changes something. */
	ASSERT_TRUE(hv_switch(false));
	ASSERT_EQ(0, sv_vmctl_start(&monitor, "monitor", NULL));
	ASSERT_TRUE(sv_wait_for_output(&monitor, 1, "listening"))
		TH_LOG("monitor: %s", monitor.text[1]);

	self->r = sv_vmctl(-1, "enable", NULL);
	TH_LOG("enable: %s%s", self->r.out, self->r.err);
	if (self->r.status) {
		sv_vmctl_interrupt(&monitor);
		EXPECT_EQ(1, self->r.status);
		EXPECT_EQ(self->r.err, strstr(self->r.err, "vmctl: kernel: "));
		hv_switch(was_on);
		SKIP(return, "the hypervisor does not switch on here");
	}
	snprintf(want, sizeof(want), "hypervisor: on (%ld CPU%s)\n", cpus,
		 cpus == 1 ? "" : "s");
	EXPECT_STREQ(want, self->r.out);
	sv_cmd_free(&self->r);
	EXPECT_TRUE(sv_wait_for_output(&monitor, 0, want));

	self->r = sv_vmctl(-1, "status", NULL);
	TH_LOG("status:\n%s", self->r.out);
	EXPECT_NE(NULL, strstr(self->r.out, "hypervisor:     on\n"));
	snprintf(want, sizeof(want), "\ncpus virtualized: %ld\nvm exits: ",
		 cpus);
	EXPECT_NE(NULL, strstr(self->r.out, want));
	sv_cmd_free(&self->r);

	self->r = sv_vmctl(-1, "--json", "stats");
	TH_LOG("stats: %s", self->r.out);
	EXPECT_EQ(0, self->r.status);
	snprintf(want, sizeof(want),
		 "{\"hypervisor\":\"on\",\"cpus_virtualized\":%ld,", cpus);
	EXPECT_EQ(self->r.out, strstr(self->r.out, want));
	EXPECT_NE(NULL, strstr(self->r.out,
			       "{\"cpu\":0,\"virtualized\":true,"));
	sv_cmd_free(&self->r);

	self->r = sv_vmctl(-1, "disable", NULL);
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_STREQ("hypervisor: off\n", self->r.out);
	sv_cmd_free(&self->r);
	/* Switching off what is off is no error. */
	self->r = sv_vmctl(-1, "--json", "disable");
	EXPECT_EQ(0, self->r.status) TH_LOG("%s", self->r.err);
	EXPECT_STREQ("{\"hypervisor\":\"off\",\"cpus_virtualized\":0}\n",
		     self->r.out);

	EXPECT_TRUE(sv_wait_for_output(&monitor, 0, "hypervisor: off\n"));
	EXPECT_EQ(0, sv_vmctl_interrupt(&monitor));
	snprintf(want, sizeof(want),
		 "hypervisor: on (%ld CPU%s)\nhypervisor: off\n", cpus,
		 cpus == 1 ? "" : "s");
	EXPECT_STREQ(want, monitor.text[0]);
	/* As the module had it, for the tests after this one. */
	EXPECT_TRUE(hv_switch(was_on));
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
	sv_cmd_free(&self->r);

	self->r = sv_vmctl(SV_NOBODY_UID, "enable", NULL);
	EXPECT_EQ(1, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "permission denied"));
	EXPECT_STREQ("", self->r.out);
	sv_cmd_free(&self->r);

	self->r = sv_vmctl(SV_NOBODY_UID, "stats", NULL);
	EXPECT_EQ(1, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.err, "permission denied"));
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

	r = sv_vmctl(-1, "enable", NULL);
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "the splitvisor module is not loaded"));
	sv_cmd_free(&r);

	r = sv_vmctl(-1, "stats", "--json");
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
	r = sv_vmctl(-1, "status", "--watch");
	EXPECT_EQ(2, r.status);
	EXPECT_NE(NULL, strstr(r.err, "--watch applies to stats only"));
	sv_cmd_free(&r);
}

TEST_HARNESS_MAIN
