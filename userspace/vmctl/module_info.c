// SPDX-License-Identifier: GPL-2.0
/*
 * Fallbacks for `vmctl version` when netlink is refused: a user without
 * privileges should still learn which module version is loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <splitvisor.h>

#include "module_info.h"

#define SYSFS_MODULE_DIR	"/sys/module/" SPLITVISOR_FAMILY_NAME

bool module_is_loaded(void)
{
	return access(SYSFS_MODULE_DIR, F_OK) == 0;
}

int module_sysfs_version(char *buf, size_t len)
{
	FILE *f = fopen(SYSFS_MODULE_DIR "/version", "re");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int module_ioctl_api_version(uint32_t *api_version)
{
	__u32 version;
	int fd, ret = 0;

	fd = open(SPLITVISOR_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SPLITVISOR_IOC_API_VERSION, &version) < 0)
		ret = -errno;
	else
		*api_version = version;
	close(fd);
	return ret;
}
