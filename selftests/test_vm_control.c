// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane against its races and its slow CPUs: rmmod and
 * `vmctl disable` while a create is under way, a VM CPU that answers a
 * request after the root's 10 s timeout (TAKE, START, RELEASE: the VM
 * keeps everything and every command on it says why until the CPU
 * answers, and then it works again), and `vmctl create --image` whose
 * image is refused leaving nothing behind. The late answers come from the
 * module's fault injection (test_late_req, test_late_ms). Needs 2 CPUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define PARAMS		"/sys/module/splitvisor/parameters/"
/* Longer than the module's 10 s request timeout. */
#define LATE_MS		14000
/* Shorter: a create that takes this long, but succeeds. */
#define SLOW_MS		4000
#define RACE_ROUNDS	6
#define WAIT_SECS	120

/* enum sv_greq, as kmod/vm/guest.h numbers the requests. */
enum { REQ_TAKE = 1, REQ_START = 2, REQ_STOP = 3, REQ_RELEASE = 4 };

#define vmctl(...)	sv_vmctl_args(__VA_ARGS__)

/* CPU requests of kind @req answer @ms late (0: on time). */
static int set_late(int req, int ms)
{
	char s[16];

	snprintf(s, sizeof(s), "%d", ms);
	if (sv_write_file(PARAMS "test_late_ms", s))
		return -1;
	snprintf(s, sizeof(s), "%d", req);
	return sv_write_file(PARAMS "test_late_req", s);
}

/* The last online CPU: the one the VMs here take. */
static int vm_cpu(void)
{
	int cpus[SV_MAX_CPUS], n = sv_online_cpus(cpus, SV_MAX_CPUS);

	return n > 1 ? cpus[n - 1] : -1;
}

static int cpu_online(int cpu)
{
	char path[64], *s;
	int on;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	s = sv_read_file(path);
	on = s ? atoi(s) : -1;
	free(s);
	return on;
}

static int module_refcnt(void)
{
	char *s = sv_read_file("/sys/module/splitvisor/refcnt");
	int n = s ? atoi(s) : -1;

	free(s);
	return n;
}

static bool vm_exists(const char *name)
{
	struct sv_cmd c = vmctl("show", name, NULL);
	bool found = c.status == 0;

	sv_cmd_free(&c);
	return found;
}

/* vmctl's exit status, its stderr copied to @err (may be NULL). */
static int vmctl_status(char *err, size_t len, const char *a1, const char *a2,
			const char *a3)
{
	struct sv_cmd c = vmctl(a1, a2, a3, NULL);
	int status = c.status;

	if (err)
		snprintf(err, len, "%s", c.err ? c.err : "");
	sv_cmd_free(&c);
	return status;
}

/*
 * vmctl @cmd @name, again while it fails because a CPU has not answered
 * (up to WAIT_SECS): the status of the last try, its stderr in @err.
 */
static int once_answered(char *err, size_t len, const char *cmd, const char *name)
{
	time_t end = time(NULL) + WAIT_SECS;
	int status;

	for (;;) {
		status = vmctl_status(err, len, cmd, name, NULL);
		if (!status || !strstr(err, "has not answered") || time(NULL) > end)
			return status;
		sv_sleep_ms(500);
	}
}

/* Module loaded, hypervisor on, no injected lateness, no VMs. */
static int fresh_start(void)
{
	if (sv_module_ensure_loaded())
		return -1;
	if (set_late(0, 0))
		return -1;
	return vmctl_status(NULL, 0, "enable", NULL, NULL);
}

/* The VM's CPU is Linux's again: online, and it runs what is put there. */
static const char *cpu_back(int cpu)
{
	if (cpu_online(cpu) != 1)
		return "the CPU is not online again";
	if (sv_pin_cpu(cpu))
		return "nothing runs on the CPU";
	sv_pin_cpu(0);
	return NULL;
}

/*
 * `create --image` of a file that cannot be read, or that the module
 * refuses, leaves no VM: the CPU stays online, the module unpinned.
 */
TEST(create_with_refused_image_leaves_nothing)
{
	static const char *const images[] = { "/no/such/image", "/etc/passwd" };
	char cpu_s[16], err[512];
	unsigned int i;
	int cpu;

	ASSERT_EQ(0, fresh_start());
	cpu = vm_cpu();
	ASSERT_LT(0, cpu) TH_LOG("needs a CPU for the VM besides CPU 0");
	snprintf(cpu_s, sizeof(cpu_s), "%d", cpu);
	for (i = 0; i < ARRAY_SIZE(images); i++) {
		struct sv_cmd c = vmctl("create", "refused", "--cpu-list", cpu_s,
					"--mem", "4M", "--image", images[i], NULL);

		snprintf(err, sizeof(err), "%s", c.err);
		EXPECT_NE(0, c.status) TH_LOG("%s accepted: %s", images[i], c.out);
		sv_cmd_free(&c);
		TH_LOG("%s: %s", images[i], err);
		EXPECT_FALSE(vm_exists("refused")) TH_LOG("VM left behind by %s", images[i]);
		EXPECT_EQ(1, cpu_online(cpu)) TH_LOG("CPU %d kept after %s", cpu, images[i]);
		EXPECT_EQ(0, module_refcnt()) TH_LOG("module still pinned after %s", images[i]);
	}
	/* The module's own refusal names the image and says nothing is left. */
	EXPECT_NE(NULL, strstr(err, "not created")) TH_LOG("%s", err);
	/* And the same create with a good image works. */
	{
		struct sv_cmd c = vmctl("create", "refused", "--cpu-list", cpu_s,
					"--mem", "4M", "--image", "/guests/hello.elf", NULL);

		EXPECT_EQ(0, c.status) TH_LOG("%s%s", c.out, c.err);
		sv_cmd_free(&c);
	}
	EXPECT_EQ(0, vmctl_status(err, sizeof(err), "destroy", "refused", NULL)) TH_LOG("%s", err);
	EXPECT_EQ(1, cpu_online(cpu));
	EXPECT_EQ(0, module_refcnt());
}

/* vmctl create of VM @name on @cpu, run in a child; its pid. */
static pid_t create_in_background(const char *name, int cpu)
{
	char cpu_s[16];
	pid_t pid;

	snprintf(cpu_s, sizeof(cpu_s), "%d", cpu);
	pid = fork();
	if (pid == 0) {
		struct sv_cmd c = vmctl("create", name, "--cpu-list", cpu_s,
					"--mem", "4M", NULL);

		_exit(c.status == 0 ? 0 : 1);
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Wait until @cpu is offline (the create has taken it from Linux). */
static bool wait_offline(int cpu, int secs)
{
	time_t end = time(NULL) + secs;

	while (cpu_online(cpu) != 0) {
		if (time(NULL) > end)
			return false;
		sv_sleep_ms(20);
	}
	return true;
}

/*
 * rmmod and `vmctl disable` in the middle of a create (its CPU held up in
 * the hypervisor for SLOW_MS, so the window is certain): both refused,
 * the create completes, and once the VM is gone both work.
 */
TEST(unload_and_disable_wait_for_a_create_under_way)
{
	char err[512];
	pid_t pid;
	int cpu;

	ASSERT_EQ(0, fresh_start());
	cpu = vm_cpu();
	ASSERT_LT(0, cpu);
	ASSERT_EQ(0, set_late(REQ_TAKE, SLOW_MS));
	pid = create_in_background("midway", cpu);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(wait_offline(cpu, WAIT_SECS));
	EXPECT_NE(0, sv_module_unload("splitvisor")) TH_LOG("rmmod went through a create");
	EXPECT_NE(0, vmctl_status(err, sizeof(err), "disable", NULL, NULL))
		TH_LOG("disable went through a create");
	TH_LOG("disable during the create: %s", err);
	EXPECT_EQ(0, wait_status(pid)) TH_LOG("the create failed");
	EXPECT_EQ(0, set_late(0, 0));
	EXPECT_TRUE(vm_exists("midway"));
	EXPECT_EQ(0, vmctl_status(err, sizeof(err), "destroy", "midway", NULL)) TH_LOG("%s", err);
	EXPECT_EQ(NULL, cpu_back(cpu));
	EXPECT_EQ(0, sv_module_unload("splitvisor"));
	EXPECT_EQ(0, sv_module_load("splitvisor"));
}

/*
 * rmmod or disable started with a create, RACE_ROUNDS times each, 0 to
 * 200 ms after it: whichever wins, the outcome is whole. Either the
 * create won (the VM exists, its CPU offline, the module and hypervisor
 * still there) or it lost (no VM, the CPU online and bare); never both
 * gone from under a VM.
 */
TEST(unload_races_create)
{
	int round, cpu, won_create = 0, won_other = 0, both_lost = 0;
	char err[512];

	for (round = 0; round < 2 * RACE_ROUNDS; round++) {
		bool by_rmmod = round % 2 == 0, loaded, exists, other_ok;
		int delay_ms = (round / 2) * 40, create_st;
		pid_t pid;

		ASSERT_EQ(0, fresh_start());
		cpu = vm_cpu();
		ASSERT_LT(0, cpu);
		pid = create_in_background("race", cpu);
		ASSERT_LT(0, pid);
		sv_sleep_ms(delay_ms);
		if (by_rmmod)
			other_ok = sv_module_unload("splitvisor") == 0;
		else
			other_ok = vmctl_status(err, sizeof(err), "disable", NULL, NULL) == 0;
		create_st = wait_status(pid);
		loaded = sv_module_loaded("splitvisor");
		exists = loaded && vm_exists("race");
		TH_LOG("round %d (%s after %d ms): create %s, %s %s", round,
		       by_rmmod ? "rmmod" : "disable", delay_ms,
		       create_st ? "failed" : "ok", by_rmmod ? "rmmod" : "disable",
		       other_ok ? "ok" : "refused");
		if (create_st == 0) {
			/* A VM: the module and hypervisor stayed under it. */
			EXPECT_FALSE(other_ok);
			EXPECT_TRUE(exists);
			EXPECT_EQ(0, cpu_online(cpu));
			EXPECT_EQ(0, vmctl_status(err, sizeof(err), "destroy", "race", NULL))
				TH_LOG("%s", err);
			won_create++;
		} else {
			EXPECT_FALSE(exists);
			if (other_ok)
				won_other++;
			else
				both_lost++;
		}
		EXPECT_EQ(NULL, cpu_back(cpu)) TH_LOG("round %d", round);
		if (!loaded) {
			/* Gone: the CPU must be bare for the next load. */
			EXPECT_EQ(0, sv_pin_cpu(cpu));
			EXPECT_EQ(NULL, sv_cpu_left_vmx());
			EXPECT_EQ(0, sv_pin_cpu(0));
		}
	}
	TH_LOG("%d rounds: %d creates won, %d unloads or disables won, %d both refused",
	       2 * RACE_ROUNDS, won_create, won_other, both_lost);
	EXPECT_EQ(0, fresh_start());
}

/*
 * A CPU that answers TAKE after the timeout: the create fails and says the
 * VM stays; nothing can destroy it, unload or disable while the CPU has
 * not answered; once it has, destroy gives everything back.
 */
TEST(take_answered_late_keeps_the_vm)
{
	char cpu_s[16], err[512];
	struct sv_cmd c;
	int cpu;

	ASSERT_EQ(0, fresh_start());
	cpu = vm_cpu();
	ASSERT_LT(0, cpu);
	snprintf(cpu_s, sizeof(cpu_s), "%d", cpu);
	ASSERT_EQ(0, set_late(REQ_TAKE, LATE_MS));
	c = vmctl("create", "late", "--cpu-list", cpu_s, "--mem", "4M", NULL);
	EXPECT_NE(0, c.status);
	EXPECT_NE(NULL, strstr(c.err, "the VM stays")) TH_LOG("%s", c.err);
	TH_LOG("create: %s", c.err);
	sv_cmd_free(&c);
	EXPECT_EQ(0, set_late(0, 0));
	EXPECT_TRUE(vm_exists("late"));
	EXPECT_EQ(0, cpu_online(cpu));
	EXPECT_NE(0, sv_module_unload("splitvisor"));
	EXPECT_NE(0, vmctl_status(err, sizeof(err), "disable", NULL, NULL));
	EXPECT_NE(0, vmctl_status(err, sizeof(err), "destroy", "late", NULL));
	EXPECT_NE(NULL, strstr(err, "has not answered")) TH_LOG("%s", err);
	EXPECT_EQ(0, once_answered(err, sizeof(err), "destroy", "late")) TH_LOG("%s", err);
	EXPECT_EQ(NULL, cpu_back(cpu));
	EXPECT_EQ(0, module_refcnt());
}

/*
 * A CPU that answers START after the timeout, then copies the image: the
 * start fails, a new image is refused while the old one may be in use,
 * and once the CPU answered the VM is parked again, its image intact: a
 * start then runs it to its end.
 */
TEST(start_answered_late_keeps_the_image)
{
	char cpu_s[16], err[512], *con;
	struct sv_cmd c;
	int cpu;

	ASSERT_EQ(0, fresh_start());
	cpu = vm_cpu();
	ASSERT_LT(0, cpu);
	snprintf(cpu_s, sizeof(cpu_s), "%d", cpu);
	c = vmctl("create", "slowstart", "--cpu-list", cpu_s, "--mem", "4M",
		  "--image", "/guests/hello.elf", NULL);
	ASSERT_EQ(0, c.status) TH_LOG("%s", c.err);
	sv_cmd_free(&c);
	ASSERT_EQ(0, set_late(REQ_START, LATE_MS));
	EXPECT_NE(0, vmctl_status(err, sizeof(err), "start", "slowstart", NULL));
	EXPECT_NE(NULL, strstr(err, "has not answered")) TH_LOG("%s", err);
	EXPECT_EQ(0, set_late(0, 0));
	c = vmctl("load", "slowstart", "/guests/spin.elf", NULL);
	EXPECT_NE(0, c.status) TH_LOG("a new image went in under a late start");
	EXPECT_NE(NULL, strstr(c.err, "has not answered")) TH_LOG("%s", c.err);
	sv_cmd_free(&c);
	/* stop says "not running" once the late start is caught up with. */
	EXPECT_NE(0, once_answered(err, sizeof(err), "stop", "slowstart"));
	EXPECT_NE(NULL, strstr(err, "not running")) TH_LOG("%s", err);
	EXPECT_EQ(0, vmctl_status(err, sizeof(err), "start", "slowstart", NULL)) TH_LOG("%s", err);
	con = sv_wait_console("slowstart", "hello from a splitvisor guest", WAIT_SECS);
	ASSERT_NE(NULL, con);
	EXPECT_NE(NULL, strstr(con, "hello from a splitvisor guest")) TH_LOG("%s", con);
	free(con);
	EXPECT_EQ(0, vmctl_status(err, sizeof(err), "destroy", "slowstart", NULL)) TH_LOG("%s", err);
	EXPECT_EQ(NULL, cpu_back(cpu));
}

/*
 * A CPU that answers RELEASE after the timeout: destroy fails and the VM
 * stays, with its CPU offline and its memory hidden, rmmod and disable
 * refused; once the CPU answered, destroy completes.
 */
TEST(release_answered_late_keeps_the_vm)
{
	int cpus[SV_MAX_CPUS], ncpus, cpu;
	char *why, err[512];

	ASSERT_EQ(0, fresh_start());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	cpu = vm_cpu();
	ASSERT_LT(0, cpu);
	why = sv_spin_vm_start(cpu);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	ASSERT_EQ(0, set_late(REQ_RELEASE, LATE_MS));
	EXPECT_NE(0, vmctl_status(err, sizeof(err), "destroy", "spin", NULL));
	EXPECT_NE(NULL, strstr(err, "has not answered")) TH_LOG("%s", err);
	EXPECT_EQ(0, set_late(0, 0));
	EXPECT_TRUE(vm_exists("spin"));
	EXPECT_EQ(0, cpu_online(cpu));
	EXPECT_NE(0, sv_module_unload("splitvisor"));
	EXPECT_NE(0, vmctl_status(err, sizeof(err), "disable", NULL, NULL));
	EXPECT_EQ(0, once_answered(err, sizeof(err), "destroy", "spin")) TH_LOG("%s", err);
	EXPECT_EQ(NULL, cpu_back(cpu));
	/* Back in the root, under the hypervisor as every root CPU. */
	ASSERT_EQ(sv_cpus_virtualized(cpus, &ncpus), ncpus);
	EXPECT_EQ(0, module_refcnt());
	EXPECT_EQ(0, sv_module_unload("splitvisor"));
}

TEST_HARNESS_MAIN
