/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink client for the "splitvisor" family. libnl stays
 * behind this interface.
 */
#ifndef VMCTL_NETLINK_H
#define VMCTL_NETLINK_H

#include "errors.h"
#include "status.h"

/*
 * SPLITVISOR_CMD_GET_STATUS. Returns 0 with @st filled, or -1 with @qe
 * saying what went wrong.
 */
int sv_get_status(struct sv_status *st, struct query_error *qe);

#endif /* VMCTL_NETLINK_H */
