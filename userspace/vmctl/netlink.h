/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink client for the "splitvisor" family. libnl stays
 * behind this interface.
 */
#ifndef VMCTL_NETLINK_H
#define VMCTL_NETLINK_H

#include <stdint.h>

#include "errors.h"
#include "stats.h"
#include "status.h"

/*
 * Each returns 0 with its result filled in, or -1 with @qe saying what
 * went wrong.
 */

/* SPLITVISOR_CMD_GET_STATUS */
int sv_get_status(struct sv_status *st, struct query_error *qe);
/* SPLITVISOR_CMD_ENABLE and DISABLE; the new state needs sv_get_status(). */
int sv_enable(struct query_error *qe);
int sv_disable(struct query_error *qe);
/* SPLITVISOR_CMD_GET_STATS into @st, reusing its memory; stats_free() it. */
int sv_get_stats(struct sv_stats *st, struct query_error *qe);

struct sv_events;

/* SPLITVISOR_CMD_HV_STATE_EVENT, decoded. */
struct hv_event {
	uint32_t hv_state;		/* enum splitvisor_hv_state */
	uint32_t cpus_virtualized;
};

typedef void (*hv_event_fn)(const struct hv_event *ev, void *arg);

/* A socket that has joined the "events" group, or NULL with @qe filled. */
struct sv_events *sv_events_open(struct query_error *qe);
/*
 * Call @fn for every state change until interrupted (interrupt_setup()
 * first). Returns 0 when interrupted, -1 with @qe on an error.
 */
int sv_events_run(struct sv_events *ev, hv_event_fn fn, void *arg,
		  struct query_error *qe);
void sv_events_close(struct sv_events *ev);

#endif /* VMCTL_NETLINK_H */
