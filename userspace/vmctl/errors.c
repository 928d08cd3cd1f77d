// SPDX-License-Identifier: GPL-2.0
/*
 * Error messages for failed requests. The first words of each are relied
 * on by scripts and tests; keep them stable.
 */
#include <errno.h>
#include <string.h>

#include "errors.h"

void print_query_error(FILE *out, const struct query_error *qe)
{
	switch (qe->kind) {
	case QUERY_OK:
		return;
	case QUERY_NOT_LOADED:
		fputs("vmctl: the splitvisor module is not loaded (no generic netlink family \"splitvisor\")\n"
		      "vmctl: load it with: sudo modprobe splitvisor\n"
		      "vmctl: or, from a build tree: sudo insmod kmod/splitvisor.ko\n",
		      out);
		return;
	case QUERY_LOCAL:
		fprintf(out, "vmctl: netlink: %s\n", qe->detail);
		return;
	case QUERY_KERNEL:
		break;
	}

	if (qe->error == EPERM)
		fputs("vmctl: permission denied: splitvisor requests need CAP_NET_ADMIN; run as root or with sudo\n",
		      out);
	if (qe->ext.has_msg)
		fprintf(out, "vmctl: kernel: %s (%s)\n", qe->ext.msg,
			strerror(qe->error));
	else if (qe->ext.has_missing_type)
		fprintf(out, "vmctl: kernel: request lacks attribute %u (%s)\n",
			qe->ext.missing_type, strerror(qe->error));
	else if (qe->error != EPERM)
		fprintf(out, "vmctl: kernel: request failed (%s)\n",
			strerror(qe->error));
}
