/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM commands of vmctl: create, load, start, stop, destroy, list,
 * show and console. Each returns the exit status of vmctl.
 */
#ifndef VMCTL_VM_CMDS_H
#define VMCTL_VM_CMDS_H

#include "cmdline.h"

int cmd_create(const struct cmdline *cl);
int cmd_load(const struct cmdline *cl);
/* start, stop and destroy */
int cmd_vm_action(const struct cmdline *cl);
int cmd_list(const struct cmdline *cl);
int cmd_show(const struct cmdline *cl);
int cmd_console(const struct cmdline *cl);

#endif /* VMCTL_VM_CMDS_H */
