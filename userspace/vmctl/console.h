/* SPDX-License-Identifier: GPL-2.0 */
/* `vmctl console`: a VM's console output, copied to a descriptor. */
#ifndef VMCTL_CONSOLE_H
#define VMCTL_CONSOLE_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Copy the console of VM @name, from the oldest byte it keeps, to @out_fd.
 * With @follow, keep copying what comes until SIGINT or SIGTERM or until
 * the VM is destroyed. Errors go to @err. Returns 0 or -1.
 */
int console_copy(const char *name, bool follow, int out_fd, FILE *err);

#endif /* VMCTL_CONSOLE_H */
