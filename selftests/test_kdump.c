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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define SV_KDUMP_MARK		"splitvisor.test_kdump=2"
/* One CPU is all a crash kernel needs; irqpoll and reset_devices as kdump does. */
#define SV_KDUMP_ARGS		"nr_cpus=1 irqpoll reset_devices " SV_KDUMP_MARK

/* The first kernel: hypervisor on, crash kernel loaded, then crash. */
static void crash_into_crash_kernel(struct __test_metadata *_metadata)
{
	int cpus[SV_MAX_CPUS], ncpus;
	char *size;

	size = sv_read_file("/sys/kernel/kexec_crash_size");
	ASSERT_NE(NULL, size);
	ASSERT_LT(0, atol(size)) TH_LOG("no crashkernel= memory reserved");
	free(size);
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	ASSERT_EQ(sv_cpus_virtualized(cpus, &ncpus), ncpus);
	ASSERT_LT(1, ncpus) TH_LOG("the crash must stop more than one CPU");
	ASSERT_EQ(0, sv_kexec_load_self(SV_KDUMP_ARGS, KEXEC_FILE_ON_CRASH));

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
	int cpus[SV_MAX_CPUS];
	const char *wrong;

	ASSERT_EQ(0, access("/proc/vmcore", R_OK))
		TH_LOG("/proc/vmcore: %s: not a crash kernel", strerror(errno));
	ASSERT_EQ(1, sv_online_cpus(cpus, SV_MAX_CPUS));
	ASSERT_EQ(0, sv_pin_cpu(cpus[0]));
	wrong = sv_cpu_left_vmx();
	EXPECT_EQ(NULL, wrong) TH_LOG("%s", wrong);
	wrong = sv_hypervisor_comes_back();
	EXPECT_EQ(NULL, wrong) TH_LOG("%s", wrong);
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
	if (sv_cmdline_has(SV_KDUMP_MARK))
		check_in_crash_kernel(_metadata);
	else
		crash_into_crash_kernel(_metadata);
}

TEST_HARNESS_MAIN
