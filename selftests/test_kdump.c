// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel crash with the hypervisor on: on its way to the crash kernel,
 * Linux calls the emergency virtualization callback on every CPU (the
 * crashing one, and the others from the NMI that stops them); splitvisor
 * must leave VMX there, or the crash kernel would start in VMX non-root
 * mode under a hypervisor nobody runs any more.
 *
 * One test, two kernels. In the first it loads splitvisor, checks every
 * CPU is virtualized, loads the same kernel as crash kernel (the running
 * initramfs packed again, SV_KDUMP_MARK on its command line), tells the
 * test host that a panic is coming and crashes the kernel with sysrq 'c'
 * on its last CPU. The crash kernel's init runs the test again, which
 * checks that it is a crash kernel (/proc/vmcore), that its CPU is under
 * no hypervisor, and that splitvisor can virtualize it afresh (VMXON
 * fails on a CPU still in VMX operation). Needs /boot/vmlinuz and a
 * crashkernel= reservation (tools/testhost provides both when test_kdump
 * is asked for); it ends the boot, so it is not in the default list.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kexec.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define SV_KDUMP_MARK		"splitvisor.test_kdump=2"
#define SV_KDUMP_KERNEL		"/boot/vmlinuz"
#define SV_KDUMP_INITRD		"/tmp/kdump.cpio"
/* One CPU is all a crash kernel needs; irqpoll and reset_devices as kdump does. */
#define SV_KDUMP_ARGS		"nr_cpus=1 irqpoll reset_devices"
#define CPUID_1_ECX_VMX		(1u << 5)

static bool in_crash_kernel(void)
{
	char *cmdline = sv_read_file("/proc/cmdline");
	bool crash = cmdline && strstr(cmdline, SV_KDUMP_MARK);

	free(cmdline);
	return crash;
}

/* How many of the online CPUs the hypercall reports as virtualized. */
static int cpus_virtualized(int *ncpus, int *cpus)
{
	struct sv_cpu_info ci[SV_MAX_CPUS];
	int n, v = 0;

	*ncpus = sv_online_cpus(cpus, SV_MAX_CPUS);
	n = sv_cpu_info(ci, SV_MAX_CPUS);
	for (int i = 0; i < *ncpus; i++)
		if (sv_cpu_info_virtualized(ci, n, cpus[i]))
			v++;
	return v;
}

/* The first kernel: hypervisor on, crash kernel loaded, then crash. */
static void crash_into_crash_kernel(struct __test_metadata *_metadata)
{
	char *cmdline, *nl, *size, next[2048];
	int cpus[SV_MAX_CPUS], ncpus, kfd, ifd;

	size = sv_read_file("/sys/kernel/kexec_crash_size");
	ASSERT_NE(NULL, size);
	ASSERT_LT(0, atol(size)) TH_LOG("no crashkernel= memory reserved");
	free(size);
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	ASSERT_EQ(cpus_virtualized(&ncpus, cpus), ncpus);
	ASSERT_LT(1, ncpus) TH_LOG("the crash must stop more than one CPU");

	/* The running initramfs, packed again: the crash kernel's. */
	ASSERT_EQ(0, system("cd / && find . -xdev | cpio -o -H newc > "
			    SV_KDUMP_INITRD " 2>/dev/null"));
	cmdline = sv_read_file("/proc/cmdline");
	ASSERT_NE(NULL, cmdline);
	nl = strchr(cmdline, '\n');
	if (nl)
		*nl = '\0';
	snprintf(next, sizeof(next), "%s %s %s", cmdline, SV_KDUMP_ARGS,
		 SV_KDUMP_MARK);
	free(cmdline);

	kfd = open(SV_KDUMP_KERNEL, O_RDONLY);
	ASSERT_LE(0, kfd) TH_LOG("%s: %s", SV_KDUMP_KERNEL, strerror(errno));
	ifd = open(SV_KDUMP_INITRD, O_RDONLY);
	ASSERT_LE(0, ifd);
	ASSERT_EQ(0, syscall(SYS_kexec_file_load, kfd, ifd, strlen(next) + 1,
			     next, (unsigned long)KEXEC_FILE_ON_CRASH))
		TH_LOG("kexec_file_load(crash): %s", strerror(errno));
	ASSERT_EQ(0, unlink(SV_KDUMP_INITRD));

	/* Crash on a CPU other than 0: the crash kernel starts there. */
	ASSERT_EQ(0, sv_pin_cpu(cpus[ncpus - 1]));
	sv_write_file("/dev/kmsg", "test_kdump: crash with the hypervisor on");
	sv_write_file("/dev/kmsg", "SPLITVISOR-TESTHOST-PANIC-EXPECTED");
	sync();
	sv_write_file("/proc/sysrq-trigger", "c");
	TH_LOG("still running after sysrq 'c'");
	ASSERT_TRUE(false);
}

/* The crash kernel: nothing left of the first kernel's hypervisor. */
static void check_in_crash_kernel(struct __test_metadata *_metadata)
{
	int cpus[SV_MAX_CPUS], ncpus;
	unsigned int r[4];

	ASSERT_EQ(0, access("/proc/vmcore", R_OK))
		TH_LOG("/proc/vmcore: %s: not a crash kernel", strerror(errno));
	ncpus = sv_online_cpus(cpus, SV_MAX_CPUS);
	ASSERT_EQ(1, ncpus);
	ASSERT_EQ(0, sv_pin_cpu(cpus[0]));
	sv_cpuid(SPLITVISOR_CPUID_SIGNATURE_LEAF, 0, r);
	EXPECT_FALSE(r[1] == SPLITVISOR_CPUID_SIG_EBX &&
		     r[2] == SPLITVISOR_CPUID_SIG_ECX)
		TH_LOG("the crash kernel runs under splitvisor");
	sv_cpuid(1, 0, r);
	EXPECT_NE(0, r[2] & CPUID_1_ECX_VMX) TH_LOG("VMX hidden");
	/* VMXON succeeds: the CPU was not left in VMX operation. */
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	EXPECT_EQ(1, cpus_virtualized(&ncpus, cpus));
	EXPECT_EQ(SV_WORKLOAD_HASH, sv_workload(SV_WORKLOAD_ROUNDS));
	EXPECT_EQ(0, sv_module_unload("splitvisor"));
}

FIXTURE(kdump) {
};

FIXTURE_SETUP(kdump)
{
}

FIXTURE_TEARDOWN(kdump)
{
}

TEST_F_TIMEOUT(kdump, crash_with_hypervisor_on, 600)
{
	if (in_crash_kernel())
		check_in_crash_kernel(_metadata);
	else
		crash_into_crash_kernel(_metadata);
}

TEST_HARNESS_MAIN
