// SPDX-License-Identifier: GPL-2.0
/*
 * kexec with the hypervisor on and a VM running: the reboot notifiers
 * must destroy the VM and hand every CPU back before the new kernel
 * starts, or that kernel would run in VMX non-root mode under a
 * hypervisor whose memory it reuses, and find a CPU still running the
 * guest (which INIT would not reach: the CPU would not come up).
 *
 * One test, two kernels. In the test host's first kernel it loads
 * splitvisor, checks every CPU is virtualized, starts a VM spinning with
 * interrupts off on its last CPU, packs the running
 * initramfs into a new one and kexecs the same kernel with
 * SV_KEXEC_MARK on its command line; it never returns unless that fails.
 * The new kernel's init runs the same test again, which now checks that
 * no CPU is under a hypervisor and that splitvisor can virtualize every
 * CPU afresh. Needs /boot/vmlinuz in the initramfs (tools/testhost puts
 * it there when test_kexec is asked for); it ends the boot, so it is not
 * in the default list.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>
#include <linux/reboot.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define SV_KEXEC_MARK		"splitvisor.test_kexec=2"
/* How many CPUs the first kernel had online: the second must have as many. */
#define SV_KEXEC_CPUS		"splitvisor.test_kexec_cpus="

/* The first kernel: hypervisor on, then kexec. Returns only on failure. */
static void kexec_into_second_kernel(struct __test_metadata *_metadata)
{
	int cpus[SV_MAX_CPUS], ncpus;
	char args[128], *why;

	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	ASSERT_EQ(sv_cpus_virtualized(cpus, &ncpus), ncpus);
	ASSERT_LT(1, ncpus) TH_LOG("kexec must hand back more than one CPU");
	why = sv_spin_vm_start(cpus[ncpus - 1]);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	snprintf(args, sizeof(args), "%s %s%d", SV_KEXEC_MARK, SV_KEXEC_CPUS, ncpus);
	ASSERT_EQ(0, sv_kexec_load_self(args, 0));

	sv_write_file("/dev/kmsg", "test_kexec: kexec with the hypervisor on and a VM running");
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	TH_LOG("reboot(LINUX_REBOOT_CMD_KEXEC): %s", strerror(errno));
	ASSERT_TRUE(false);
}

/* The second kernel: nothing left of the first one's hypervisor. */
static void check_after_kexec(struct __test_metadata *_metadata)
{
	/* The VM's CPU too: a CPU left running the guest would not come up. */
	char *why = sv_new_kernel_is_bare(SV_KEXEC_CPUS);

	EXPECT_EQ(NULL, why) TH_LOG("after kexec: %s", why);
	free(why);
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
	if (sv_cmdline_has(SV_KEXEC_MARK))
		check_after_kexec(_metadata);
	else
		kexec_into_second_kernel(_metadata);
}

TEST_HARNESS_MAIN
