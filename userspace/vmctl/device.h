/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The character device SPLITVISOR_DEVICE_PATH: descriptors attached to
 * one VM's image or console (SPLITVISOR_IOC_ATTACH).
 */
#ifndef VMCTL_DEVICE_H
#define VMCTL_DEVICE_H

#include <stdint.h>
#include <stdio.h>

/*
 * Open the device with @flags (O_RDONLY, O_WRONLY) and attach the
 * descriptor to @channel (enum splitvisor_channel) of VM @name. Returns
 * the descriptor, or -1 after saying why on @err.
 */
int device_attach(const char *name, uint32_t channel, int flags, FILE *err);

#endif /* VMCTL_DEVICE_H */
