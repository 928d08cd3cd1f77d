// SPDX-License-Identifier: GPL-2.0
/*
 * The console channel reads like a file that grows: read() returns 0 at
 * the end of what there is so far and poll() says when more came. The
 * file offset counts bytes since the VM was created; the module skips
 * bytes it no longer keeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <splitvisor.h>

#include "console.h"
#include "device.h"
#include "image.h"
#include "interrupt.h"

#define CHUNK	4096

int console_copy(const char *name, bool follow, int out_fd, FILE *err)
{
	bool hung_up = false;
	char buf[CHUNK];
	short revents;
	int fd, ret = -1, e;
	ssize_t n;

	if (follow) {
		e = interrupt_setup();
		if (e) {
			fprintf(err, "vmctl: catching signals: %s\n",
				strerror(-e));
			return -1;
		}
	}
	fd = device_attach(name, SPLITVISOR_CHANNEL_CONSOLE, O_RDONLY, err);
	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			e = write_all(out_fd, buf, n);
			if (e) {
				fprintf(err, "vmctl: writing the console: %s\n",
					strerror(-e));
				break;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENODEV) {
			fprintf(err, "vmctl: vm %s destroyed\n", name);
			ret = 0;
			break;
		}
		if (n < 0) {
			fprintf(err, "vmctl: reading the console of vm %s: %s\n",
				name, strerror(errno));
			break;
		}
		/* At the end of what there is: done, unless following. */
		if (!follow) {
			ret = 0;
			break;
		}
		if (hung_up) {
			fprintf(err, "vmctl: the console of vm %s was closed\n",
				name);
			ret = 0;
			break;
		}
		e = interrupt_poll(fd, -1, &revents);
		if (e == -EINTR) {
			ret = 0;
			break;
		}
		if (e < 0) {
			fprintf(err, "vmctl: waiting for the console of vm %s: %s\n",
				name, strerror(-e));
			break;
		}
		/* Read what is left; stop if that is nothing. */
		hung_up = revents & (POLLHUP | POLLERR | POLLNVAL);
	}
	close(fd);
	return ret;
}
