// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel crash with the hypervisor on and a VM running: on its way to
 * the crash kernel, Linux calls the emergency virtualization callback on
 * every CPU it has online (the crashing one, and the others from the NMI
 * that stops them); splitvisor must leave VMX there, and stop the VM's
 * CPU, which Linux has offline and does not stop. Else the crash kernel
 * would start in VMX non-root mode under a hypervisor nobody runs any
 * more, and find a CPU still running the guest that its INIT cannot start.
 *
 * One test, two kernels. In the first it loads splitvisor, checks every
 * CPU is virtualized, starts a VM spinning with interrupts off on the last
 * CPU, loads the same kernel as crash kernel (the running initramfs packed
 * again, SV_KDUMP_MARK and as many CPUs on its command line), tells the
 * test host that a panic is coming and crashes the kernel with sysrq 'c'
 * on the first CPU. The crash kernel's init runs the test again, which
 * checks that it is a crash kernel (/proc/vmcore), that every CPU came up,
 * the VM's too, under no hypervisor, and that splitvisor can virtualize
 * them afresh (VMXON fails on a CPU still in VMX operation). Needs
 * /boot/vmlinuz and a crashkernel= reservation (tools/testhost provides
 * both when test_kdump is asked for); it ends the boot, so it is not in
 * the default list.
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
/* How many CPUs the first kernel had online: the crash kernel starts them all. */
#define SV_KDUMP_CPUS		"splitvisor.test_kdump_cpus="
/* irqpoll and reset_devices as kdump does. */
#define SV_KDUMP_ARGS		"irqpoll reset_devices " SV_KDUMP_MARK

/* The first kernel: hypervisor on, a VM running, crash kernel loaded, crash. */
static void crash_into_crash_kernel(struct __test_metadata *_metadata)
{
	int cpus[SV_MAX_CPUS], ncpus;
	char *size, *why, args[128];

	size = sv_read_file("/sys/kernel/kexec_crash_size");
	ASSERT_NE(NULL, size);
	ASSERT_LT(0, atol(size)) TH_LOG("no crashkernel= memory reserved");
	free(size);
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	ASSERT_EQ(sv_cpus_virtualized(cpus, &ncpus), ncpus);
	ASSERT_LT(1, ncpus) TH_LOG("the crash must stop a VM's CPU and a root's");
	why = sv_spin_vm_start(cpus[ncpus - 1]);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	snprintf(args, sizeof(args), "nr_cpus=%d %s %s%d", ncpus, SV_KDUMP_ARGS,
		 SV_KDUMP_CPUS, ncpus);
	ASSERT_EQ(0, sv_kexec_load_self(args, KEXEC_FILE_ON_CRASH));

	/*
	 * On the first CPU, the only one left to the root with two: the crash
	 * kernel starts there, and an INIT to the boot CPU is not safe.
	 */
	ASSERT_EQ(0, sv_pin_cpu(cpus[0]));
	sv_write_file("/dev/kmsg", "test_kdump: crash with the hypervisor on and a VM running");
	sv_write_file("/dev/kmsg", "SPLITVISOR-TESTHOST-PANIC-EXPECTED");
	sync();
	sv_write_file("/proc/sysrq-trigger", "c");
	TH_LOG("still running after sysrq 'c'");
	ASSERT_TRUE(false);
}

/* The crash kernel: nothing left of the first kernel's hypervisor. */
static void check_in_crash_kernel(struct __test_metadata *_metadata)
{
	char *why;

	ASSERT_EQ(0, access("/proc/vmcore", R_OK))
		TH_LOG("/proc/vmcore: %s: not a crash kernel", strerror(errno));
	why = sv_new_kernel_is_bare(SV_KDUMP_CPUS);
	EXPECT_EQ(NULL, why) TH_LOG("in the crash kernel: %s", why);
	free(why);
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
