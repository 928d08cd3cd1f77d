// SPDX-License-Identifier: GPL-2.0
/*
 * kexec with the hypervisor on: the reboot notifier must hand every CPU
 * back before the new kernel starts, or that kernel would run in VMX
 * non-root mode under a hypervisor whose memory it reuses, and die.
 *
 * One test, two kernels. In the test host's first kernel it loads
 * splitvisor, checks every CPU is virtualized, packs the running
 * initramfs into a new one and kexecs the same kernel with
 * SV_KEXEC_MARK on its command line; it never returns unless that fails.
 * The new kernel's init runs the same test again, which now checks that
 * no CPU is under a hypervisor and that splitvisor can virtualize every
 * CPU afresh. Needs /boot/vmlinuz in the initramfs (tools/testhost puts
 * it there when test_kexec is asked for); it ends the boot, so it is not
 * in the default list.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/reboot.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define SV_KEXEC_MARK		"splitvisor.test_kexec=2"
#define SV_KEXEC_KERNEL		"/boot/vmlinuz"
#define SV_KEXEC_INITRD		"/tmp/stage2.cpio"
#define CPUID_1_ECX_VMX		(1u << 5)

static bool in_second_kernel(void)
{
	char *cmdline = sv_read_file("/proc/cmdline");
	bool second = cmdline && strstr(cmdline, SV_KEXEC_MARK);

	free(cmdline);
	return second;
}

/* How many of the online CPUs the hypercall reports as virtualized. */
static int cpus_virtualized(int *ncpus)
{
	struct sv_cpu_info ci[SV_MAX_CPUS];
	int cpus[SV_MAX_CPUS], n, v = 0;

	*ncpus = sv_online_cpus(cpus, SV_MAX_CPUS);
	n = sv_cpu_info(ci, SV_MAX_CPUS);
	for (int i = 0; i < *ncpus; i++)
		if (sv_cpu_info_virtualized(ci, n, cpus[i]))
			v++;
	return v;
}

/* The first kernel: hypervisor on, then kexec. Returns only on failure. */
static void kexec_into_second_kernel(struct __test_metadata *_metadata)
{
	char *cmdline, *nl, next[2048];
	int ncpus, kfd, ifd;

	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	ASSERT_EQ(cpus_virtualized(&ncpus), ncpus);
	ASSERT_LT(1, ncpus) TH_LOG("kexec must hand back more than one CPU");

	/* The running initramfs, packed again: the second kernel's. */
	ASSERT_EQ(0, system("cd / && find . -xdev | cpio -o -H newc > "
			    SV_KEXEC_INITRD " 2>/dev/null"));
	cmdline = sv_read_file("/proc/cmdline");
	ASSERT_NE(NULL, cmdline);
	nl = strchr(cmdline, '\n');
	if (nl)
		*nl = '\0';
	snprintf(next, sizeof(next), "%s %s", cmdline, SV_KEXEC_MARK);
	free(cmdline);

	kfd = open(SV_KEXEC_KERNEL, O_RDONLY);
	ASSERT_LE(0, kfd) TH_LOG("%s: %s", SV_KEXEC_KERNEL, strerror(errno));
	ifd = open(SV_KEXEC_INITRD, O_RDONLY);
	ASSERT_LE(0, ifd);
	ASSERT_EQ(0, syscall(SYS_kexec_file_load, kfd, ifd, strlen(next) + 1,
			     next, 0UL))
		TH_LOG("kexec_file_load: %s", strerror(errno));

	sv_write_file("/dev/kmsg", "test_kexec: kexec with the hypervisor on");
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	TH_LOG("reboot(LINUX_REBOOT_CMD_KEXEC): %s", strerror(errno));
	ASSERT_TRUE(false);
}

/* The second kernel: nothing left of the first one's hypervisor. */
static void check_after_kexec(struct __test_metadata *_metadata)
{
	int cpus[SV_MAX_CPUS], ncpus;

	ncpus = sv_online_cpus(cpus, SV_MAX_CPUS);
	ASSERT_LT(1, ncpus);
	for (int i = 0; i < ncpus; i++) {
		unsigned int r[4];

		ASSERT_EQ(0, sv_pin_cpu(cpus[i]));
		sv_cpuid(SPLITVISOR_CPUID_SIGNATURE_LEAF, 0, r);
		EXPECT_FALSE(r[1] == SPLITVISOR_CPUID_SIG_EBX &&
			     r[2] == SPLITVISOR_CPUID_SIG_ECX)
			TH_LOG("cpu %d still runs under splitvisor", cpus[i]);
		sv_cpuid(1, 0, r);
		EXPECT_NE(0, r[2] & CPUID_1_ECX_VMX)
			TH_LOG("cpu %d: VMX hidden", cpus[i]);
	}
	/* VMXON succeeds on every CPU: none was left in VMX operation. */
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	EXPECT_EQ(ncpus, cpus_virtualized(&ncpus));
	EXPECT_EQ(SV_WORKLOAD_HASH, sv_workload(SV_WORKLOAD_ROUNDS));
	EXPECT_EQ(0, sv_module_unload("splitvisor"));
}

FIXTURE(kexec) {
};

FIXTURE_SETUP(kexec)
{
}

FIXTURE_TEARDOWN(kexec)
{
}

TEST_F_TIMEOUT(kexec, with_hypervisor_on, 600)
{
	if (in_second_kernel())
		check_after_kexec(_metadata);
	else
		kexec_into_second_kernel(_metadata);
}

TEST_HARNESS_MAIN
