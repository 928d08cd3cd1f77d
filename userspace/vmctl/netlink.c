// SPDX-License-Identifier: GPL-2.0
/*
 * libnl client: resolves the family, sends requests, decodes replies into
 * struct sv_status, struct sv_stats and struct sv_vm, and listens to the
 * "events" group.
 * Attributes this vmctl does not know (from a newer module) are skipped;
 * features and exit reasons are kept by name for display.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <splitvisor.h>

#include "extack.h"
#include "hwcheck_text.h"
#include "interrupt.h"
#include "netlink.h"

/*
 * What a reply means to the command that asked: decodes one message of
 * the family into @arg. Returns 0, or -1 with @what set when malformed.
 */
typedef int (*reply_parser)(struct nl_msg *msg, void *arg, const char **what);

/* Puts the attributes of a request into @msg; 0, or -1 when out of room. */
typedef int (*request_builder)(struct nl_msg *msg, const void *arg);

struct request {
	uint8_t cmd;
	int flags;			/* NLM_F_DUMP for a dump */
	size_t size;			/* of the message; 0: libnl's default */
	request_builder build;		/* NULL: no attributes */
	const void *build_arg;
	reply_parser parse;		/* NULL: the command sends no reply */
	void *arg;
	bool reply_optional;		/* no reply is no error */
};

struct reply_ctx {
	reply_parser parse;
	void *arg;
	struct query_error *qe;
	bool done;
	bool got_reply;
};

/*
 * A GET_STATS reply of many CPUs exceeds the default socket buffer; the
 * ACK after it would then be dropped. Room for about 64 CPUs with every
 * exit reason counted.
 */
#define RCVBUF_BYTES	(1024 * 1024)

static struct nla_policy status_policy[SPLITVISOR_A_MAX + 1] = {
	[SPLITVISOR_A_MODULE_VERSION]	= { .type = NLA_STRING },
	[SPLITVISOR_A_API_VERSION]	= { .type = NLA_U32 },
	[SPLITVISOR_A_HV_STATE]		= { .type = NLA_U32 },
	[SPLITVISOR_A_HW]		= { .type = NLA_NESTED },
	[SPLITVISOR_A_CPUS_VIRTUALIZED]	= { .type = NLA_U32 },
	[SPLITVISOR_A_EXITS_TOTAL]	= { .type = NLA_U64 },
	[SPLITVISOR_A_CPU]		= { .type = NLA_NESTED },
};

static struct nla_policy cpu_policy[SPLITVISOR_A_CPU_MAX + 1] = {
	[SPLITVISOR_A_CPU_CPU]			= { .type = NLA_U32 },
	[SPLITVISOR_A_CPU_VIRTUALIZED]		= { .type = NLA_U8 },
	[SPLITVISOR_A_CPU_EXITS_TOTAL]		= { .type = NLA_U64 },
	[SPLITVISOR_A_CPU_HIDDEN_ACCESSES]	= { .type = NLA_U64 },
	[SPLITVISOR_A_CPU_UNMAPPED_ACCESSES]	= { .type = NLA_U64 },
	[SPLITVISOR_A_CPU_EXIT]			= { .type = NLA_NESTED },
	[SPLITVISOR_A_CPU_NMIS]			= { .type = NLA_U64 },
	[SPLITVISOR_A_CPU_NMIS_IN_HYPERVISOR]	= { .type = NLA_U64 },
};

static struct nla_policy exit_policy[SPLITVISOR_A_EXIT_MAX + 1] = {
	[SPLITVISOR_A_EXIT_REASON]	= { .type = NLA_U32 },
	[SPLITVISOR_A_EXIT_NAME]	= { .type = NLA_STRING },
	[SPLITVISOR_A_EXIT_COUNT]	= { .type = NLA_U64 },
};

static struct nla_policy hw_policy[SPLITVISOR_A_HW_MAX + 1] = {
	[SPLITVISOR_A_HW_CAPABLE]	  = { .type = NLA_U8 },
	[SPLITVISOR_A_HW_VENDOR]	  = { .type = NLA_STRING },
	[SPLITVISOR_A_HW_SIGNATURE]	  = { .type = NLA_U32 },
	[SPLITVISOR_A_HW_CPUS_CHECKED]	  = { .type = NLA_U32 },
	[SPLITVISOR_A_HW_CPUS_DIFFER]	  = { .type = NLA_U8 },
	[SPLITVISOR_A_HW_FEATURE_CONTROL] = { .type = NLA_U64 },
	[SPLITVISOR_A_HW_VMX_BASIC]	  = { .type = NLA_U64 },
	[SPLITVISOR_A_HW_EPT_VPID_CAP]	  = { .type = NLA_U64 },
	[SPLITVISOR_A_HW_FEATURE]	  = { .type = NLA_NESTED },
};

static struct nla_policy feature_policy[SPLITVISOR_A_FEATURE_MAX + 1] = {
	[SPLITVISOR_A_FEATURE_ID]	= { .type = NLA_U32 },
	[SPLITVISOR_A_FEATURE_NAME]	= { .type = NLA_STRING },
	[SPLITVISOR_A_FEATURE_STATE]	= { .type = NLA_U32 },
	[SPLITVISOR_A_FEATURE_NEED]	= { .type = NLA_U32 },
};

static struct nla_policy vm_policy[SPLITVISOR_A_VM_MAX + 1] = {
	[SPLITVISOR_A_VM_NAME]			= { .type = NLA_STRING },
	[SPLITVISOR_A_VM_CPU]			= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_NR_CPUS]		= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_MEM_SIZE]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_CMDLINE]		= { .type = NLA_STRING },
	[SPLITVISOR_A_VM_STATE]			= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_EXIT_STATUS]		= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_CRASH]			= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_CRASH_TEXT]		= { .type = NLA_STRING },
	[SPLITVISOR_A_VM_CRASH_EXIT_REASON]	= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_CRASH_RIP]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_CRASH_ADDR]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_ENTRY]			= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_IMAGE_SIZE]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_EXITS_TOTAL]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_EXIT]			= { .type = NLA_NESTED },
	[SPLITVISOR_A_VM_IO_IGNORED]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_MSR_GP]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_IPIS_DROPPED]		= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_ROOT_IRQS_DROPPED]	= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_CONSOLE_BYTES]		= { .type = NLA_U64 },
};

static void local_error(struct query_error *qe, const char *what, int nlerr)
{
	qe->kind = QUERY_LOCAL;
	snprintf(qe->detail, sizeof(qe->detail), "%s: %s", what,
		 nl_geterror(nlerr));
}

static int parse_feature(struct nlattr *attr, struct hw_feature *feat)
{
	struct nlattr *tb[SPLITVISOR_A_FEATURE_MAX + 1];
	const char *known;

	if (nla_parse_nested(tb, SPLITVISOR_A_FEATURE_MAX, attr,
			     feature_policy) < 0 ||
	    !tb[SPLITVISOR_A_FEATURE_ID])
		return -1;

	feat->id = nla_get_u32(tb[SPLITVISOR_A_FEATURE_ID]);
	known = feature_known_name(feat->id);
	if (tb[SPLITVISOR_A_FEATURE_NAME])
		snprintf(feat->name, sizeof(feat->name), "%s",
			 nla_get_string(tb[SPLITVISOR_A_FEATURE_NAME]));
	else if (known)
		snprintf(feat->name, sizeof(feat->name), "%s", known);
	else
		snprintf(feat->name, sizeof(feat->name), "feature-%u",
			 feat->id);
	feat->state = tb[SPLITVISOR_A_FEATURE_STATE] ?
		      nla_get_u32(tb[SPLITVISOR_A_FEATURE_STATE]) :
		      SPLITVISOR_FEATURE_STATE_UNKNOWN;
	feat->need = tb[SPLITVISOR_A_FEATURE_NEED] ?
		     nla_get_u32(tb[SPLITVISOR_A_FEATURE_NEED]) :
		     SPLITVISOR_FEATURE_NEED_REQUIRED;
	return 0;
}

static int parse_hw(struct nlattr *nest, struct hw_report *hw)
{
	struct nlattr *tb[SPLITVISOR_A_HW_MAX + 1];
	struct nlattr *attr;
	int rem;

	if (nla_parse_nested(tb, SPLITVISOR_A_HW_MAX, nest, hw_policy) < 0)
		return -1;

	if (tb[SPLITVISOR_A_HW_CAPABLE])
		hw->capable = nla_get_u8(tb[SPLITVISOR_A_HW_CAPABLE]);
	if (tb[SPLITVISOR_A_HW_VENDOR])
		snprintf(hw->vendor, sizeof(hw->vendor), "%s",
			 nla_get_string(tb[SPLITVISOR_A_HW_VENDOR]));
	if (tb[SPLITVISOR_A_HW_SIGNATURE])
		hw->signature = nla_get_u32(tb[SPLITVISOR_A_HW_SIGNATURE]);
	if (tb[SPLITVISOR_A_HW_CPUS_CHECKED])
		hw->cpus_checked =
			nla_get_u32(tb[SPLITVISOR_A_HW_CPUS_CHECKED]);
	if (tb[SPLITVISOR_A_HW_CPUS_DIFFER])
		hw->cpus_differ = nla_get_u8(tb[SPLITVISOR_A_HW_CPUS_DIFFER]);
	if (tb[SPLITVISOR_A_HW_FEATURE_CONTROL])
		hw->feature_control =
			nla_get_u64(tb[SPLITVISOR_A_HW_FEATURE_CONTROL]);
	if (tb[SPLITVISOR_A_HW_VMX_BASIC])
		hw->vmx_basic = nla_get_u64(tb[SPLITVISOR_A_HW_VMX_BASIC]);
	if (tb[SPLITVISOR_A_HW_EPT_VPID_CAP])
		hw->ept_vpid_cap =
			nla_get_u64(tb[SPLITVISOR_A_HW_EPT_VPID_CAP]);

	/* FEATURE is multi-attr: nla_parse keeps only the last one. */
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != SPLITVISOR_A_HW_FEATURE)
			continue;
		if (hw->nr_features >= HW_MAX_FEATURES)
			break;
		if (!parse_feature(attr, &hw->features[hw->nr_features]))
			hw->nr_features++;
	}
	return 0;
}

static int parse_status(struct nl_msg *msg, void *arg, const char **what)
{
	struct nlattr *tb[SPLITVISOR_A_MAX + 1];
	struct sv_status *st = arg;

	*what = "malformed reply from the module";
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SPLITVISOR_A_MAX,
			  status_policy) < 0)
		return -1;

	snprintf(st->module_version, sizeof(st->module_version), "%s",
		 tb[SPLITVISOR_A_MODULE_VERSION] ?
		 nla_get_string(tb[SPLITVISOR_A_MODULE_VERSION]) : "unknown");
	if (tb[SPLITVISOR_A_API_VERSION])
		st->api_version = nla_get_u32(tb[SPLITVISOR_A_API_VERSION]);
	if (tb[SPLITVISOR_A_HV_STATE])
		st->hv_state = nla_get_u32(tb[SPLITVISOR_A_HV_STATE]);
	if (tb[SPLITVISOR_A_CPUS_VIRTUALIZED] && tb[SPLITVISOR_A_EXITS_TOTAL]) {
		st->has_counters = true;
		st->cpus_virtualized =
			nla_get_u32(tb[SPLITVISOR_A_CPUS_VIRTUALIZED]);
		st->exits = nla_get_u64(tb[SPLITVISOR_A_EXITS_TOTAL]);
	}
	if (tb[SPLITVISOR_A_HW]) {
		*what = "malformed hardware report from the module";
		if (parse_hw(tb[SPLITVISOR_A_HW], &st->hw) < 0)
			return -1;
		st->has_hw = true;
	}
	return 0;
}

static int parse_exit(struct nlattr *nest, struct exit_count *e)
{
	struct nlattr *tb[SPLITVISOR_A_EXIT_MAX + 1];

	if (nla_parse_nested(tb, SPLITVISOR_A_EXIT_MAX, nest, exit_policy) < 0 ||
	    !tb[SPLITVISOR_A_EXIT_REASON] || !tb[SPLITVISOR_A_EXIT_COUNT])
		return -1;
	e->reason = nla_get_u32(tb[SPLITVISOR_A_EXIT_REASON]);
	e->count = nla_get_u64(tb[SPLITVISOR_A_EXIT_COUNT]);
	if (tb[SPLITVISOR_A_EXIT_NAME] &&
	    nla_get_string(tb[SPLITVISOR_A_EXIT_NAME])[0])
		snprintf(e->name, sizeof(e->name), "%s",
			 nla_get_string(tb[SPLITVISOR_A_EXIT_NAME]));
	else
		exit_reason_label(e->reason, e->name, sizeof(e->name));
	return 0;
}

static int parse_cpu(struct nlattr *nest, struct cpu_stats *cpu)
{
	struct nlattr *tb[SPLITVISOR_A_CPU_MAX + 1];
	struct exit_count *e;
	struct nlattr *attr;
	int rem;

	if (nla_parse_nested(tb, SPLITVISOR_A_CPU_MAX, nest, cpu_policy) < 0 ||
	    !tb[SPLITVISOR_A_CPU_CPU])
		return -1;
	cpu->cpu = nla_get_u32(tb[SPLITVISOR_A_CPU_CPU]);
	if (tb[SPLITVISOR_A_CPU_VIRTUALIZED])
		cpu->virtualized = nla_get_u8(tb[SPLITVISOR_A_CPU_VIRTUALIZED]);
	if (tb[SPLITVISOR_A_CPU_EXITS_TOTAL])
		cpu->exits = nla_get_u64(tb[SPLITVISOR_A_CPU_EXITS_TOTAL]);
	if (tb[SPLITVISOR_A_CPU_HIDDEN_ACCESSES])
		cpu->hidden_accesses =
			nla_get_u64(tb[SPLITVISOR_A_CPU_HIDDEN_ACCESSES]);
	if (tb[SPLITVISOR_A_CPU_UNMAPPED_ACCESSES])
		cpu->unmapped_accesses =
			nla_get_u64(tb[SPLITVISOR_A_CPU_UNMAPPED_ACCESSES]);
	if (tb[SPLITVISOR_A_CPU_NMIS])
		cpu->nmis = nla_get_u64(tb[SPLITVISOR_A_CPU_NMIS]);
	if (tb[SPLITVISOR_A_CPU_NMIS_IN_HYPERVISOR])
		cpu->nmis_in_hypervisor =
			nla_get_u64(tb[SPLITVISOR_A_CPU_NMIS_IN_HYPERVISOR]);

	/* EXIT is multi-attr: nla_parse keeps only the last one. */
	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != SPLITVISOR_A_CPU_EXIT)
			continue;
		e = cpu_stats_add_reason(cpu);
		if (!e)
			break;
		if (parse_exit(attr, e) < 0)
			cpu->nr_reasons--;
	}
	return 0;
}

static int parse_stats(struct nl_msg *msg, void *arg, const char **what)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[SPLITVISOR_A_MAX + 1];
	struct sv_stats *st = arg;
	struct cpu_stats *cpu;
	struct nlattr *attr;
	int rem;

	*what = "malformed statistics from the module";
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SPLITVISOR_A_MAX,
			  status_policy) < 0)
		return -1;
	if (tb[SPLITVISOR_A_HV_STATE])
		st->hv_state = nla_get_u32(tb[SPLITVISOR_A_HV_STATE]);
	if (tb[SPLITVISOR_A_CPUS_VIRTUALIZED])
		st->cpus_virtualized =
			nla_get_u32(tb[SPLITVISOR_A_CPUS_VIRTUALIZED]);
	if (tb[SPLITVISOR_A_EXITS_TOTAL])
		st->exits = nla_get_u64(tb[SPLITVISOR_A_EXITS_TOTAL]);

	nla_for_each_attr(attr, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		if (nla_type(attr) != SPLITVISOR_A_CPU)
			continue;
		cpu = stats_add_cpu(st);
		if (!cpu) {
			*what = "no memory for the statistics";
			return -1;
		}
		if (parse_cpu(attr, cpu) < 0)
			return -1;
	}
	return 0;
}

/* A u32 or u64 attribute of set "vm" into @field, noting that it came. */
static void vm_take_u32(struct sv_vm *vm, struct nlattr **tb,
			unsigned int attr, uint32_t *field)
{
	if (tb[attr]) {
		*field = nla_get_u32(tb[attr]);
		vm_set_has(vm, attr);
	}
}

static void vm_take_u64(struct sv_vm *vm, struct nlattr **tb,
			unsigned int attr, uint64_t *field)
{
	if (tb[attr]) {
		*field = nla_get_u64(tb[attr]);
		vm_set_has(vm, attr);
	}
}

static void vm_take_string(struct sv_vm *vm, struct nlattr **tb,
			   unsigned int attr, char *buf, size_t len)
{
	if (tb[attr]) {
		snprintf(buf, len, "%s", nla_get_string(tb[attr]));
		vm_set_has(vm, attr);
	}
}

/* One VM: a reply to a VM command, an entry of a dump, or an event. */
static int parse_vm(struct nl_msg *msg, struct sv_vm *vm, const char **what)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[SPLITVISOR_A_VM_MAX + 1];
	struct exit_count *e;
	struct nlattr *attr;
	int rem;

	*what = "malformed VM from the module";
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SPLITVISOR_A_VM_MAX,
			  vm_policy) < 0)
		return -1;
	vm_take_string(vm, tb, SPLITVISOR_A_VM_NAME, vm->name,
		       sizeof(vm->name));
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_MEM_SIZE, &vm->mem_size);
	vm_take_string(vm, tb, SPLITVISOR_A_VM_CMDLINE, vm->cmdline,
		       sizeof(vm->cmdline));
	vm_take_u32(vm, tb, SPLITVISOR_A_VM_STATE, &vm->state);
	vm_take_u32(vm, tb, SPLITVISOR_A_VM_EXIT_STATUS, &vm->exit_status);
	vm_take_u32(vm, tb, SPLITVISOR_A_VM_CRASH, &vm->crash);
	vm_take_string(vm, tb, SPLITVISOR_A_VM_CRASH_TEXT, vm->crash_text,
		       sizeof(vm->crash_text));
	vm_take_u32(vm, tb, SPLITVISOR_A_VM_CRASH_EXIT_REASON,
		    &vm->crash_exit_reason);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_CRASH_RIP, &vm->crash_rip);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_CRASH_ADDR, &vm->crash_addr);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_ENTRY, &vm->entry);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_IMAGE_SIZE, &vm->image_size);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_EXITS_TOTAL, &vm->exits_total);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_IO_IGNORED, &vm->io_ignored);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_MSR_GP, &vm->msr_gp);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_IPIS_DROPPED, &vm->ipis_dropped);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_ROOT_IRQS_DROPPED,
		    &vm->root_irqs_dropped);
	vm_take_u64(vm, tb, SPLITVISOR_A_VM_CONSOLE_BYTES,
		    &vm->console_bytes);

	/* CPU and EXIT are multi-attr: nla_parse keeps only the last one. */
	nla_for_each_attr(attr, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		switch (nla_type(attr)) {
		case SPLITVISOR_A_VM_CPU:
			if (!cpuset_add(&vm->cpus, nla_get_u32(attr)))
				return -1;
			vm_set_has(vm, SPLITVISOR_A_VM_CPU);
			break;
		case SPLITVISOR_A_VM_EXIT:
			e = vm_add_reason(vm);
			if (e && parse_exit(attr, e) < 0)
				vm->nr_reasons--;
			vm_set_has(vm, SPLITVISOR_A_VM_EXIT);
			break;
		}
	}
	return 0;
}

static int parse_one_vm(struct nl_msg *msg, void *arg, const char **what)
{
	struct sv_vm *vm = arg;

	memset(vm, 0, sizeof(*vm));
	return parse_vm(msg, vm, what);
}

static int parse_vm_entry(struct nl_msg *msg, void *arg, const char **what)
{
	struct sv_vm_list *list = arg;
	struct sv_vm *vm = vm_list_add(list);

	if (!vm) {
		*what = "no memory for the VMs";
		return -1;
	}
	return parse_vm(msg, vm, what);
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct reply_ctx *ctx = arg;
	const char *what = "unexpected reply from the module";

	if (!ctx->parse || ctx->parse(msg, ctx->arg, &what) < 0) {
		local_error(ctx->qe, what, -NLE_INVAL);
		return NL_STOP;
	}
	ctx->got_reply = true;
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct reply_ctx *ctx = arg;

	(void)msg;
	ctx->done = true;
	return NL_STOP;
}

/* NLMSG_DONE ends a dump; its payload is 0 or the -errno that cut it. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct reply_ctx *ctx = arg;
	int error;

	ctx->done = true;
	if (hdr->nlmsg_len >= NLMSG_HDRLEN + sizeof(error)) {
		memcpy(&error, nlmsg_data(hdr), sizeof(error));
		if (error < 0) {
			ctx->qe->kind = QUERY_KERNEL;
			ctx->qe->error = -error;
		}
	}
	return NL_STOP;
}

/* libnl hands us the nlmsgerr; its header sits just before it. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *nlerr,
		    void *arg)
{
	const struct nlmsghdr *hdr =
		(const struct nlmsghdr *)((const char *)nlerr - NLMSG_HDRLEN);
	struct reply_ctx *ctx = arg;

	(void)nla;
	ctx->qe->kind = QUERY_KERNEL;
	if (extack_parse(hdr, hdr->nlmsg_len, &ctx->qe->ext) < 0)
		memset(&ctx->qe->ext, 0, sizeof(ctx->qe->ext));
	ctx->qe->error = nlerr->error < 0 ? -nlerr->error : nlerr->error;
	ctx->done = true;
	return NL_STOP;
}

static void tune_socket(struct nl_sock *sk)
{
	int one = 1, rcvbuf = RCVBUF_BYTES;
	int fd = nl_socket_get_fd(sk);

	/* Best effort: without it errors just lose their explanation. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Past rmem_max needs CAP_NET_ADMIN, which every request needs. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* Read each message whole, however large. */
	nl_socket_enable_msg_peek(sk);
}

/* A connected socket and the family's id, or -1 with @qe filled. */
static int open_family(struct nl_sock **skp, int *family,
		       struct query_error *qe)
{
	struct nl_sock *sk;
	int err;

	memset(qe, 0, sizeof(*qe));
	sk = nl_socket_alloc();
	if (!sk) {
		local_error(qe, "allocating a socket", -NLE_NOMEM);
		return -1;
	}
	err = genl_connect(sk);
	if (err < 0) {
		local_error(qe, "connecting to generic netlink", err);
		goto fail;
	}
	*family = genl_ctrl_resolve(sk, SPLITVISOR_FAMILY_NAME);
	if (*family == -NLE_OBJ_NOTFOUND) {
		qe->kind = QUERY_NOT_LOADED;
		goto fail;
	}
	if (*family < 0) {
		local_error(qe, "resolving the splitvisor family", *family);
		goto fail;
	}
	tune_socket(sk);
	*skp = sk;
	return 0;

fail:
	nl_socket_free(sk);
	return -1;
}

/*
 * Send @rq and wait for the ACK, error or end of dump that ends the
 * exchange; replies before it go to its parser. A command that must
 * answer and did not is an error.
 */
static int transact_request(const struct request *rq, struct query_error *qe)
{
	struct reply_ctx ctx = { .parse = rq->parse, .arg = rq->arg, .qe = qe };
	struct nl_msg *msg = NULL;
	struct nl_cb *cb = NULL;
	struct nl_sock *sk;
	int family, err;

	if (open_family(&sk, &family, qe) < 0)
		return -1;
	msg = rq->size ? nlmsg_alloc_size(rq->size) : nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		local_error(qe, "allocating a message", -NLE_NOMEM);
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 rq->flags, rq->cmd, SPLITVISOR_FAMILY_VERSION) ||
	    (rq->build && rq->build(msg, rq->build_arg) < 0)) {
		local_error(qe, "building the request", -NLE_NOMEM);
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ctx);

	/*
	 * nl_send_auto asks for an ACK, which ends the exchange; a dump
	 * ends with NLMSG_DONE instead, the kernel sending no ACK after it.
	 */
	err = nl_send_auto(sk, msg);
	if (err < 0) {
		local_error(qe, "sending the request", err);
		goto out;
	}
	while (!ctx.done) {
		err = nl_recvmsgs(sk, cb);
		if (qe->kind != QUERY_OK)
			break;
		if (err < 0) {
			local_error(qe, "receiving the reply", err);
			break;
		}
	}
	if (qe->kind == QUERY_OK && rq->parse && !rq->reply_optional &&
	    !(rq->flags & NLM_F_DUMP) && !ctx.got_reply)
		local_error(qe, "the module sent no reply", -NLE_MSG_TOOSHORT);
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	nl_socket_free(sk);
	return qe->kind == QUERY_OK ? 0 : -1;
}

/* @cmd without attributes. */
static int transact(uint8_t cmd, reply_parser parse, void *arg,
		    struct query_error *qe)
{
	struct request rq = { .cmd = cmd, .parse = parse, .arg = arg };

	return transact_request(&rq, qe);
}

int sv_get_status(struct sv_status *st, struct query_error *qe)
{
	memset(st, 0, sizeof(*st));
	return transact(SPLITVISOR_CMD_GET_STATUS, parse_status, st, qe);
}

int sv_enable(struct query_error *qe)
{
	return transact(SPLITVISOR_CMD_ENABLE, NULL, NULL, qe);
}

int sv_disable(struct query_error *qe)
{
	return transact(SPLITVISOR_CMD_DISABLE, NULL, NULL, qe);
}

int sv_get_stats(struct sv_stats *st, struct query_error *qe)
{
	stats_reset(st);
	return transact(SPLITVISOR_CMD_GET_STATS, parse_stats, st, qe);
}

/* Upper bound of a VM request: every CPU named, the longest strings. */
static size_t vm_request_size(const struct vm_request *req)
{
	size_t size = 4096;

	if (req->cpus && req->cpus->kind == VM_CPUS_LIST)
		size += cpuset_count(&req->cpus->set) * NLA_HDRLEN * 2;
	return size;
}

static int build_vm_request(struct nl_msg *msg, const void *arg)
{
	const struct vm_request *req = arg;
	int cpu;

	if (nla_put_string(msg, SPLITVISOR_A_VM_NAME, req->name) < 0)
		return -1;
	if (req->cpus && req->cpus->kind == VM_CPUS_COUNT &&
	    nla_put_u32(msg, SPLITVISOR_A_VM_NR_CPUS, req->cpus->count) < 0)
		return -1;
	if (req->cpus && req->cpus->kind == VM_CPUS_LIST) {
		for (cpu = cpuset_next(&req->cpus->set, 0); cpu >= 0;
		     cpu = cpuset_next(&req->cpus->set, cpu + 1))
			if (nla_put_u32(msg, SPLITVISOR_A_VM_CPU, cpu) < 0)
				return -1;
	}
	if (req->mem_size &&
	    nla_put_u64(msg, SPLITVISOR_A_VM_MEM_SIZE, req->mem_size) < 0)
		return -1;
	if (req->cmdline &&
	    nla_put_string(msg, SPLITVISOR_A_VM_CMDLINE, req->cmdline) < 0)
		return -1;
	return 0;
}

int sv_vm_request(uint8_t cmd, const struct vm_request *req,
		  struct sv_vm *vm, bool *got_vm, struct query_error *qe)
{
	struct request rq = {
		.cmd = cmd,
		.size = vm_request_size(req),
		.build = build_vm_request,
		.build_arg = req,
		.parse = parse_one_vm,
		.arg = vm,
		.reply_optional = true,
	};

	memset(vm, 0, sizeof(*vm));
	if (transact_request(&rq, qe) < 0)
		return -1;
	*got_vm = vm->present != 0;
	return 0;
}

int sv_vm_list(struct sv_vm_list *list, struct query_error *qe)
{
	struct request rq = {
		.cmd = SPLITVISOR_CMD_VM_GET,
		.flags = NLM_F_DUMP,
		.parse = parse_vm_entry,
		.arg = list,
	};

	memset(list, 0, sizeof(*list));
	return transact_request(&rq, qe);
}

struct sv_events {
	struct nl_sock *sk;
	sv_event_fn fn;
	void *arg;
	bool stop;		/* @fn had enough */
	struct sv_event event;	/* large: kept off the stack */
};

static int decode_hv_event(struct nl_msg *msg, struct hv_event *hv)
{
	struct nlattr *tb[SPLITVISOR_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, SPLITVISOR_A_MAX,
			  status_policy) < 0 ||
	    !tb[SPLITVISOR_A_HV_STATE])
		return -1;
	memset(hv, 0, sizeof(*hv));
	hv->hv_state = nla_get_u32(tb[SPLITVISOR_A_HV_STATE]);
	if (tb[SPLITVISOR_A_CPUS_VIRTUALIZED])
		hv->cpus_virtualized =
			nla_get_u32(tb[SPLITVISOR_A_CPUS_VIRTUALIZED]);
	return 0;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct sv_events *ev = arg;
	const char *what;

	switch (gnlh->cmd) {
	case SPLITVISOR_CMD_HV_STATE_EVENT:
		ev->event.kind = SV_EVENT_HV;
		if (decode_hv_event(msg, &ev->event.hv) < 0)
			return NL_SKIP;
		break;
	case SPLITVISOR_CMD_VM_STATE_EVENT:
		ev->event.kind = SV_EVENT_VM;
		if (parse_one_vm(msg, &ev->event.vm, &what) < 0 ||
		    !vm_has(&ev->event.vm, SPLITVISOR_A_VM_NAME))
			return NL_SKIP;
		break;
	default:
		return NL_SKIP;	/* a newer module's other events */
	}
	if (!ev->fn(&ev->event, ev->arg)) {
		ev->stop = true;
		return NL_STOP;
	}
	return NL_OK;
}

struct sv_events *sv_events_open(struct query_error *qe)
{
	struct sv_events *ev;
	int family, group, err;

	ev = calloc(1, sizeof(*ev));
	if (!ev) {
		memset(qe, 0, sizeof(*qe));
		local_error(qe, "allocating", -NLE_NOMEM);
		return NULL;
	}
	if (open_family(&ev->sk, &family, qe) < 0) {
		free(ev);
		return NULL;
	}
	group = genl_ctrl_resolve_grp(ev->sk, SPLITVISOR_FAMILY_NAME,
				      SPLITVISOR_MCGRP_EVENTS);
	if (group < 0) {
		local_error(qe, "resolving the events group", group);
		goto fail;
	}
	err = nl_socket_add_membership(ev->sk, group);
	if (err == -NLE_PERM) {
		/* Linux 6.6 and later let only CAP_NET_ADMIN listen. */
		qe->kind = QUERY_KERNEL;
		qe->error = EPERM;
		goto fail;
	}
	if (err < 0) {
		local_error(qe, "joining the events group", err);
		goto fail;
	}
	/* Notifications carry no sequence number of ours. */
	nl_socket_disable_seq_check(ev->sk);
	nl_socket_modify_cb(ev->sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, ev);
	return ev;

fail:
	sv_events_close(ev);
	return NULL;
}

int sv_events_run(struct sv_events *ev, sv_event_fn fn, void *arg,
		  struct query_error *qe)
{
	int err;

	memset(qe, 0, sizeof(*qe));
	ev->fn = fn;
	ev->arg = arg;
	ev->stop = false;
	while (!ev->stop) {
		err = interrupt_wait(nl_socket_get_fd(ev->sk), -1);
		if (err == -EINTR)
			return 0;
		if (err < 0) {
			local_error(qe, "waiting for events",
				    -nl_syserr2nlerr(-err));
			return -1;
		}
		err = nl_recvmsgs_default(ev->sk);
		if (err < 0 && err != -NLE_AGAIN) {
			local_error(qe, "receiving events", err);
			return -1;
		}
	}
	return 0;
}

void sv_events_close(struct sv_events *ev)
{
	if (!ev)
		return;
	nl_socket_free(ev->sk);
	free(ev);
}
