/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink client for the "splitvisor" family. libnl stays
 * behind this interface.
 */
#ifndef VMCTL_NETLINK_H
#define VMCTL_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"
#include "stats.h"
#include "status.h"
#include "vm.h"
#include "vm_args.h"

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

/* The attributes of a VM request; what is NULL or 0 is not sent. */
struct vm_request {
	const char *name;		/* SPLITVISOR_A_VM_NAME, always */
	const struct vm_cpus *cpus;	/* create: CPU.. or NR_CPUS */
	uint64_t mem_size;		/* create: MEM_SIZE */
	const char *cmdline;		/* create, load: CMDLINE */
};

/*
 * SPLITVISOR_CMD_VM_CREATE, _LOAD, _START, _STOP, _DESTROY or _GET (do)
 * with @req. A VM the module answers with is decoded into @vm, and
 * *@got_vm says whether it did.
 */
int sv_vm_request(uint8_t cmd, const struct vm_request *req,
		  struct sv_vm *vm, bool *got_vm, struct query_error *qe);
/* SPLITVISOR_CMD_VM_GET as a dump: every VM; vm_list_free() @list. */
int sv_vm_list(struct sv_vm_list *list, struct query_error *qe);

struct sv_events;

/* SPLITVISOR_CMD_HV_STATE_EVENT, decoded. */
struct hv_event {
	uint32_t hv_state;		/* enum splitvisor_hv_state */
	uint32_t cpus_virtualized;
};

enum sv_event_kind {
	SV_EVENT_HV,			/* SPLITVISOR_CMD_HV_STATE_EVENT */
	SV_EVENT_VM,			/* SPLITVISOR_CMD_VM_STATE_EVENT */
};

struct sv_event {
	enum sv_event_kind kind;
	struct hv_event hv;		/* SV_EVENT_HV */
	struct sv_vm vm;		/* SV_EVENT_VM: what the event carried */
};

/* Called for every event; false stops the listening. */
typedef bool (*sv_event_fn)(const struct sv_event *ev, void *arg);

/* A socket that has joined the "events" group, or NULL with @qe filled. */
struct sv_events *sv_events_open(struct query_error *qe);
/*
 * Call @fn for every state change of the hypervisor or of a VM until
 * interrupted (interrupt_setup() first) or until @fn returns false.
 * Returns 0 then, -1 with @qe on an error.
 */
int sv_events_run(struct sv_events *ev, sv_event_fn fn, void *arg,
		  struct query_error *qe);
void sv_events_close(struct sv_events *ev);

#endif /* VMCTL_NETLINK_H */
