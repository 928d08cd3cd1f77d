/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest image in memory: read whole from a file or stdin, refused when
 * larger than the module takes, and written to a descriptor in full.
 */
#ifndef VMCTL_IMAGE_H
#define VMCTL_IMAGE_H

#include <stddef.h>

struct image {
	void *data;
	size_t size;
};

/*
 * Read @path ("-": stdin) into @img, at most @max bytes. Returns 0, or -1
 * with the reason in @why (a file larger than @max, or empty, is refused
 * before anything is sent). image_free() it either way.
 */
int image_read(const char *path, size_t max, struct image *img, char *why,
	       size_t why_len);
void image_free(struct image *img);

/* Write all of @len bytes of @data to @fd; 0 or -errno. */
int write_all(int fd, const void *data, size_t len);

#endif /* VMCTL_IMAGE_H */
