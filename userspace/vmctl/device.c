// SPDX-License-Identifier: GPL-2.0
/*
 * Bulk data goes through the device rather than netlink: images of up to
 * SPLITVISOR_IMAGE_MAX bytes, and console output as a stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <splitvisor.h>

#include "device.h"
#include "module_info.h"

static const char *channel_name(uint32_t channel)
{
	return channel == SPLITVISOR_CHANNEL_IMAGE ? "image" : "console";
}

int device_attach(const char *name, uint32_t channel, int flags, FILE *err)
{
	struct splitvisor_attach attach = { .channel = channel };
	int fd;

	fd = open(SPLITVISOR_DEVICE_PATH, flags | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !module_is_loaded())
			fputs("vmctl: the splitvisor module is not loaded (no " SPLITVISOR_DEVICE_PATH ")\n"
			      "vmctl: load it with: sudo modprobe splitvisor\n",
			      err);
		else if (errno == EACCES || errno == EPERM)
			fprintf(err, "vmctl: permission denied: %s is for root only; run as root or with sudo\n",
				SPLITVISOR_DEVICE_PATH);
		else
			fprintf(err, "vmctl: opening %s: %s\n",
				SPLITVISOR_DEVICE_PATH, strerror(errno));
		return -1;
	}
	/* vmctl checked the name: it fits with its NUL. */
	memcpy(attach.name, name, strnlen(name, sizeof(attach.name) - 1));
	if (ioctl(fd, SPLITVISOR_IOC_ATTACH, &attach) < 0) {
		if (errno == ENOENT)
			fprintf(err, "vmctl: no VM named '%s'\n", name);
		else
			fprintf(err, "vmctl: attaching to the %s of vm %s: %s\n",
				channel_name(channel), name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
