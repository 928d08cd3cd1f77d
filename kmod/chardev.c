// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/splitvisor: the control device, root-only (0600). Besides the
 * API-version ioctl it carries the bulk data netlink should not: a
 * descriptor attached to a VM takes image bytes (write) or gives console
 * output (read, poll), see SPLITVISOR_IOC_ATTACH.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <splitvisor.h>

#include "chardev.h"
#include "vm/vm.h"

struct sv_chardev_file {
	struct mutex lock;		/* attach against read/write */
	struct sv_vm *vm;		/* referenced once attached */
	u32 channel;
};

static int sv_chardev_open(struct inode *inode, struct file *file)
{
	struct sv_chardev_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int sv_chardev_release(struct inode *inode, struct file *file)
{
	struct sv_chardev_file *f = file->private_data;

	if (f->vm)
		sv_vm_put(f->vm);
	kfree(f);
	return 0;
}

static long sv_chardev_attach(struct file *file, void __user *uarg)
{
	struct sv_chardev_file *f = file->private_data;
	struct splitvisor_attach a;
	struct sv_vm *vm;
	long ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.reserved || !memchr(a.name, '\0', sizeof(a.name)))
		return -EINVAL;
	if (a.channel != SPLITVISOR_CHANNEL_IMAGE &&
	    a.channel != SPLITVISOR_CHANNEL_CONSOLE)
		return -EINVAL;
	if (a.channel == SPLITVISOR_CHANNEL_IMAGE && !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (a.channel == SPLITVISOR_CHANNEL_CONSOLE && !(file->f_mode & FMODE_READ))
		return -EBADF;
	vm = sv_vm_get(a.name);
	if (!vm)
		return -ENOENT;
	mutex_lock(&f->lock);
	if (f->vm) {
		ret = -EBUSY;
		sv_vm_put(vm);
	} else {
		f->vm = vm;
		f->channel = a.channel;
		file->f_pos = 0;
		if (a.channel == SPLITVISOR_CHANNEL_IMAGE)
			sv_vm_stage_reset(vm);
	}
	mutex_unlock(&f->lock);
	return ret;
}

static long sv_chardev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	u32 __user *uversion = (u32 __user *)arg;

	switch (cmd) {
	case SPLITVISOR_IOC_API_VERSION:
		return put_user(SPLITVISOR_API_VERSION, uversion);
	case SPLITVISOR_IOC_ATTACH:
		return sv_chardev_attach(file, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static struct sv_vm *sv_chardev_vm(struct file *file, u32 channel)
{
	struct sv_chardev_file *f = file->private_data;
	struct sv_vm *vm;

	mutex_lock(&f->lock);
	vm = f->channel == channel ? f->vm : NULL;
	mutex_unlock(&f->lock);
	return vm;
}

static ssize_t sv_chardev_write(struct file *file, const char __user *buf,
				size_t len, loff_t *pos)
{
	struct sv_vm *vm = sv_chardev_vm(file, SPLITVISOR_CHANNEL_IMAGE);

	if (!vm)
		return -EBADFD;
	/* Writing nothing stages nothing: the image must not grow to *pos. */
	if (!len)
		return 0;
	return sv_vm_stage_write(vm, buf, len, pos);
}

static ssize_t sv_chardev_read(struct file *file, char __user *buf,
			       size_t len, loff_t *pos)
{
	struct sv_vm *vm = sv_chardev_vm(file, SPLITVISOR_CHANNEL_CONSOLE);

	if (!vm)
		return -EBADFD;
	return sv_vm_console_read(vm, buf, len, pos);
}

static __poll_t sv_chardev_poll(struct file *file, poll_table *wait)
{
	struct sv_vm *vm = sv_chardev_vm(file, SPLITVISOR_CHANNEL_CONSOLE);

	if (!vm)
		return EPOLLERR;
	poll_wait(file, &vm->console_wait, wait);
	return sv_vm_console_ready(vm, file->f_pos) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* The offset means something only once attached: an image or console offset. */
static loff_t sv_chardev_llseek(struct file *file, loff_t offset, int whence)
{
	struct sv_chardev_file *f = file->private_data;
	bool attached;

	mutex_lock(&f->lock);
	attached = f->vm;
	mutex_unlock(&f->lock);
	return attached ? default_llseek(file, offset, whence) : -ESPIPE;
}

static const struct file_operations sv_chardev_fops = {
	.owner		= THIS_MODULE,
	.open		= sv_chardev_open,
	.release	= sv_chardev_release,
	.read		= sv_chardev_read,
	.write		= sv_chardev_write,
	.poll		= sv_chardev_poll,
	.llseek		= sv_chardev_llseek,
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
