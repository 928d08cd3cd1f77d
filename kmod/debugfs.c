// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/splitvisor/: what the hypervisor and the VMs keep from
 * the root, for debugging and for the selftests that check it stays hidden.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "debugfs.h"

static struct dentry *sv_debugfs_dir;

static int sv_hidden_show(struct seq_file *m, void *unused)
{
	sv_hv_show_hidden(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_hidden);

static int sv_vm_memory_show(struct seq_file *m, void *unused)
{
	sv_vm_show_memory(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_vm_memory);

void sv_debugfs_init(void)
{
	sv_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("hidden", 0400, sv_debugfs_dir, NULL, &sv_hidden_fops);
	debugfs_create_file("vm_memory", 0400, sv_debugfs_dir, NULL, &sv_vm_memory_fops);
}

void sv_debugfs_exit(void)
{
	debugfs_remove_recursive(sv_debugfs_dir);
}
