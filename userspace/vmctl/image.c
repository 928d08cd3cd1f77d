// SPDX-License-Identifier: GPL-2.0
/*
 * Images are read whole before the device is touched: a pipe has no size
 * to check in advance, and a failed read then leaves the VM's staged
 * image alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"

#define READ_CHUNK	(1 << 20)

static const char *image_label(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

static int too_large(const char *path, size_t max, char *why,
		     size_t why_len)
{
	snprintf(why, why_len,
		 "%s: larger than %zu bytes (%zu MiB), the largest image splitvisor takes",
		 image_label(path), max, max >> 20);
	return -1;
}

/* Grow @img so that @want more bytes fit; 0 or -1. */
static int image_room(struct image *img, size_t *allocated, size_t want)
{
	size_t n = *allocated ? *allocated : READ_CHUNK;
	void *bigger;

	if (img->size + want <= *allocated)
		return 0;
	while (n < img->size + want)
		n *= 2;
	bigger = realloc(img->data, n);
	if (!bigger)
		return -1;
	img->data = bigger;
	*allocated = n;
	return 0;
}

int image_read(const char *path, size_t max, struct image *img, char *why,
	       size_t why_len)
{
	size_t allocated = 0, want;
	struct stat st;
	ssize_t n;
	int fd;

	memset(img, 0, sizeof(*img));
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* A regular file says its size: refuse before reading any of it. */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > max) {
		if (fd)
			close(fd);
		return too_large(path, max, why, why_len);
	}
	for (;;) {
		/* One byte past @max tells a file of exactly @max from more. */
		want = max + 1 - img->size;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		if (image_room(img, &allocated, want) < 0) {
			snprintf(why, why_len, "%s: out of memory",
				 image_label(path));
			goto fail;
		}
		n = read(fd, (char *)img->data + img->size, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, why_len, "%s: %s", image_label(path),
				 strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		img->size += n;
		if (img->size > max) {
			too_large(path, max, why, why_len);
			goto fail;
		}
	}
	if (fd)
		close(fd);
	if (!img->size) {
		snprintf(why, why_len, "%s: empty, no image to load",
			 image_label(path));
		return -1;
	}
	return 0;

fail:
	if (fd)
		close(fd);
	return -1;
}

void image_free(struct image *img)
{
	free(img->data);
	memset(img, 0, sizeof(*img));
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}
