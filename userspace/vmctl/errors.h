/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a request to the module failed, and how to tell the user what to do
 * about it.
 */
#ifndef VMCTL_ERRORS_H
#define VMCTL_ERRORS_H

#include <stdio.h>

#include "extack.h"

enum query_error_kind {
	QUERY_OK = 0,
	QUERY_NOT_LOADED,	/* no "splitvisor" generic netlink family */
	QUERY_KERNEL,		/* the kernel answered with an error */
	QUERY_LOCAL,		/* socket or protocol trouble on our side */
};

struct query_error {
	enum query_error_kind kind;
	int error;		/* positive errno, for QUERY_KERNEL */
	struct extack ext;	/* kernel's explanation, if any */
	char detail[128];	/* for QUERY_LOCAL */
};

/* Print the error on @out (stderr), with advice where there is some. */
void print_query_error(FILE *out, const struct query_error *qe);

#endif /* VMCTL_ERRORS_H */
