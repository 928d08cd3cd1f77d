/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SPLITVISOR_DEBUGFS_H
#define SPLITVISOR_DEBUGFS_H

struct seq_file;

void sv_debugfs_init(void);
void sv_debugfs_exit(void);
/* Lists the hypervisor's hidden ranges: "0x<start> 0x<end> <what>[ cpuN]". */
void sv_hv_show_hidden(struct seq_file *m);
/* Lists the VMs' memory: "<vm> 0x<start> 0x<end> memory|control". */
void sv_vm_show_memory(struct seq_file *m);

#endif /* SPLITVISOR_DEBUGFS_H */
