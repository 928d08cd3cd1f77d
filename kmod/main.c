// SPDX-License-Identifier: GPL-2.0
/*
 * splitvisor: a Type 1.5 hypervisor for Linux on Intel VMX.
 *
 * Module lifecycle: check the hardware, open the control interfaces
 * (/dev/splitvisor and the "splitvisor" generic netlink family), then
 * switch the hypervisor on. If it cannot be switched on, the load fails
 * with the reason logged; with enable=0 the module loads with the
 * hypervisor off, so that `vmctl hw-check` can tell the user why.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "chardev.h"
#include "debugfs.h"
#include "hv.h"
#include "hwcheck.h"
#include "netlink.h"
#include "vm/vm.h"

static bool enable = true;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "virtualize every CPU at load (default: yes); off: `vmctl enable` later");

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
	err = sv_hv_init();
	if (err)
		goto chardev_exit;
	err = sv_vm_init();
	if (err)
		goto hv_exit;
	err = sv_netlink_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		goto vm_exit;
	}
	sv_debugfs_init();
	if (enable) {
		err = sv_hv_enable(NULL);
		if (err) {
			pr_err("load with enable=0 to keep the module without the hypervisor\n");
			goto debugfs_exit;
		}
	}
	pr_info("version %s loaded (API %d), hypervisor %s\n", SPLITVISOR_VERSION,
		SPLITVISOR_API_VERSION,
		sv_hv_state() == SPLITVISOR_HV_STATE_ON ? "on" : "off");
	return 0;

debugfs_exit:
	sv_debugfs_exit();
	sv_netlink_exit();
vm_exit:
	sv_vm_exit();
hv_exit:
	sv_hv_exit();
chardev_exit:
	sv_chardev_exit();
	return err;
}

static void __exit sv_exit(void)
{
	sv_hv_disable(NULL);
	sv_debugfs_exit();
	sv_netlink_exit();
	sv_vm_exit();
	sv_hv_exit();
	sv_chardev_exit();
	pr_info("unloaded\n");
}

module_init(sv_init);
module_exit(sv_exit);

MODULE_DESCRIPTION("splitvisor: partitioning hypervisor on Intel VMX");
MODULE_AUTHOR("The splitvisor authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(SPLITVISOR_VERSION);
