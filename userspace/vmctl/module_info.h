/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What can be learnt about the module without CAP_NET_ADMIN: whether it is
 * loaded and its version (sysfs), and its API version (ioctl, if the
 * device node is accessible).
 */
#ifndef VMCTL_MODULE_INFO_H
#define VMCTL_MODULE_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool module_is_loaded(void);
/* Version from /sys/module/splitvisor/version; 0 or -errno. */
int module_sysfs_version(char *buf, size_t len);
/* SPLITVISOR_IOC_API_VERSION on /dev/splitvisor; 0 or -errno. */
int module_ioctl_api_version(uint32_t *api_version);

#endif /* VMCTL_MODULE_INFO_H */
