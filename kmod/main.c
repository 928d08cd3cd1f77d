// SPDX-License-Identifier: GPL-2.0
/*
 * splitvisor: a Type 1.5 hypervisor for Linux on Intel VMX.
 *
 * Module lifecycle: check the hardware, then open the control interfaces
 * (/dev/splitvisor and the "splitvisor" generic netlink family). The module
 * loads even on hardware it cannot use, so that `vmctl hw-check` can tell
 * the user why.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "chardev.h"
#include "core.h"
#include "hwcheck.h"
#include "netlink.h"

enum splitvisor_hv_state sv_hv_state(void)
{
	return SPLITVISOR_HV_STATE_OFF;
}

static int __init sv_init(void)
{
	struct sv_hwcheck *hw;
	int err;

	hw = kmalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	err = sv_hwcheck_run(hw);
	if (!err)
		sv_hwcheck_log(hw);
	kfree(hw);
	if (err)
		return err;

	err = sv_chardev_init();
	if (err) {
		pr_err("cannot register /dev/splitvisor: %d\n", err);
		return err;
	}
	err = sv_netlink_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		sv_chardev_exit();
		return err;
	}
	pr_info("version %s loaded (API %d)\n", SPLITVISOR_VERSION,
		SPLITVISOR_API_VERSION);
	return 0;
}

static void __exit sv_exit(void)
{
	sv_netlink_exit();
	sv_chardev_exit();
	pr_info("unloaded\n");
}

module_init(sv_init);
module_exit(sv_exit);

MODULE_DESCRIPTION("splitvisor: partitioning hypervisor on Intel VMX");
MODULE_AUTHOR("The splitvisor authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(SPLITVISOR_VERSION);
