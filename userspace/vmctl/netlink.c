// SPDX-License-Identifier: GPL-2.0
/*
 * libnl client: resolves the family, sends GET_STATUS and decodes the
 * reply into struct sv_status. Attributes this vmctl does not know (from
 * a newer module) are skipped, and features are kept by name for display.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <splitvisor.h>

#include "extack.h"
#include "hwcheck_text.h"
#include "netlink.h"

struct reply_ctx {
	struct sv_status *st;
	struct query_error *qe;
	bool done;
	bool got_reply;
};

static struct nla_policy status_policy[SPLITVISOR_A_MAX + 1] = {
	[SPLITVISOR_A_MODULE_VERSION]	= { .type = NLA_STRING },
	[SPLITVISOR_A_API_VERSION]	= { .type = NLA_U32 },
	[SPLITVISOR_A_HV_STATE]		= { .type = NLA_U32 },
	[SPLITVISOR_A_HW]		= { .type = NLA_NESTED },
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
		      SPLITVISOR_FEATURE_UNKNOWN;
	feat->need = tb[SPLITVISOR_A_FEATURE_NEED] ?
		     nla_get_u32(tb[SPLITVISOR_A_FEATURE_NEED]) :
		     SPLITVISOR_NEED_REQUIRED;
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

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[SPLITVISOR_A_MAX + 1];
	struct reply_ctx *ctx = arg;
	struct sv_status *st = ctx->st;
	int err;

	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, SPLITVISOR_A_MAX,
			    status_policy);
	if (err < 0) {
		local_error(ctx->qe, "malformed reply from the module", err);
		return NL_STOP;
	}

	snprintf(st->module_version, sizeof(st->module_version), "%s",
		 tb[SPLITVISOR_A_MODULE_VERSION] ?
		 nla_get_string(tb[SPLITVISOR_A_MODULE_VERSION]) : "unknown");
	if (tb[SPLITVISOR_A_API_VERSION])
		st->api_version = nla_get_u32(tb[SPLITVISOR_A_API_VERSION]);
	if (tb[SPLITVISOR_A_HV_STATE])
		st->hv_state = nla_get_u32(tb[SPLITVISOR_A_HV_STATE]);
	if (tb[SPLITVISOR_A_HW]) {
		if (parse_hw(tb[SPLITVISOR_A_HW], &st->hw) < 0) {
			local_error(ctx->qe,
				    "malformed hardware report from the module",
				    -NLE_INVAL);
			return NL_STOP;
		}
		st->has_hw = true;
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

static void enable_ext_ack(struct nl_sock *sk)
{
	int one = 1;

	/* Best effort: without it errors just lose their explanation. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
}

static int request_status(struct nl_sock *sk, int family,
			  struct reply_ctx *ctx)
{
	struct nl_msg *msg;
	struct nl_cb *cb;
	int err;

	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		local_error(ctx->qe, "allocating a message", -NLE_NOMEM);
		err = -1;
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 SPLITVISOR_CMD_GET_STATUS,
			 SPLITVISOR_FAMILY_VERSION)) {
		local_error(ctx->qe, "building the request", -NLE_NOMEM);
		err = -1;
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, ctx);

	/* nl_send_auto asks for an ACK, which ends the exchange. */
	err = nl_send_auto(sk, msg);
	if (err < 0) {
		local_error(ctx->qe, "sending the request", err);
		goto out;
	}
	while (!ctx->done) {
		err = nl_recvmsgs(sk, cb);
		if (ctx->qe->kind != QUERY_OK)
			break;
		if (err < 0) {
			local_error(ctx->qe, "receiving the reply", err);
			break;
		}
	}
	err = ctx->qe->kind == QUERY_OK ? 0 : -1;
	if (!err && !ctx->got_reply) {
		local_error(ctx->qe, "the module sent no status", -NLE_MSG_TOOSHORT);
		err = -1;
	}
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return err;
}

int sv_get_status(struct sv_status *st, struct query_error *qe)
{
	struct reply_ctx ctx = { .st = st, .qe = qe };
	struct nl_sock *sk;
	int family, err;

	memset(st, 0, sizeof(*st));
	memset(qe, 0, sizeof(*qe));

	sk = nl_socket_alloc();
	if (!sk) {
		local_error(qe, "allocating a socket", -NLE_NOMEM);
		return -1;
	}
	err = genl_connect(sk);
	if (err < 0) {
		local_error(qe, "connecting to generic netlink", err);
		goto out;
	}
	family = genl_ctrl_resolve(sk, SPLITVISOR_FAMILY_NAME);
	if (family == -NLE_OBJ_NOTFOUND) {
		qe->kind = QUERY_NOT_LOADED;
		err = -1;
		goto out;
	}
	if (family < 0) {
		local_error(qe, "resolving the splitvisor family", family);
		err = -1;
		goto out;
	}
	enable_ext_ack(sk);
	err = request_status(sk, family, &ctx);
out:
	nl_socket_free(sk);
	return err < 0 ? -1 : 0;
}
