/* SPDX-License-Identifier: GPL-2.0 */
/* What an output function wrote to its FILE, captured in memory. */
#ifndef VMCTL_TEST_CAPTURE_H
#define VMCTL_TEST_CAPTURE_H

#include <stdio.h>

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *capture_open(struct capture *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static inline const char *capture_text(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

#endif /* VMCTL_TEST_CAPTURE_H */
