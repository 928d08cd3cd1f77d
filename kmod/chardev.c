// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/splitvisor: the control device. Root-only (0600) because it will
 * carry guest images and memory; today it answers the API-version ioctl.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include <splitvisor.h>

#include "chardev.h"

static long sv_chardev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	u32 __user *uversion = (u32 __user *)arg;

	switch (cmd) {
	case SPLITVISOR_IOC_API_VERSION:
		return put_user(SPLITVISOR_API_VERSION, uversion);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sv_chardev_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= sv_chardev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice sv_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "splitvisor",
	.fops	= &sv_chardev_fops,
	.mode	= 0600,
};

int sv_chardev_init(void)
{
	return misc_register(&sv_miscdev);
}

void sv_chardev_exit(void)
{
	misc_deregister(&sv_miscdev);
}
