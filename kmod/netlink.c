// SPDX-License-Identifier: GPL-2.0
/*
 * The "splitvisor" generic netlink family (uapi/splitvisor.yaml). Every
 * command is admin-only and strictly validated: unknown attributes,
 * attributes a request may not carry, trailing bytes and reserved header
 * bits are all rejected with an extack message by the netlink core.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "compat.h"
#include "core.h"
#include "hwcheck.h"
#include "netlink.h"

/*
 * GET_STATUS takes no attributes: every entry stays NLA_UNSPEC, which
 * strict validation turns into "Unsupported attribute". maxattr must still
 * cover the set, or the core would skip parsing and let anything through.
 */
static const struct nla_policy sv_get_status_policy[SPLITVISOR_A_MAX + 1];

static struct genl_family sv_genl_family;

static int sv_put_feature(struct sk_buff *msg, const struct sv_hwcheck *hw,
			  enum splitvisor_feature feat)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, SPLITVISOR_A_HW_FEATURE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SPLITVISOR_A_FEATURE_ID, feat) ||
	    nla_put_string(msg, SPLITVISOR_A_FEATURE_NAME,
			   sv_feature_name(feat)) ||
	    nla_put_u32(msg, SPLITVISOR_A_FEATURE_STATE, hw->state[feat]) ||
	    nla_put_u32(msg, SPLITVISOR_A_FEATURE_NEED, hw->need[feat])) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sv_put_hw(struct sk_buff *msg, const struct sv_hwcheck *hw)
{
	struct nlattr *nest;
	int feat;

	nest = nla_nest_start(msg, SPLITVISOR_A_HW);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, SPLITVISOR_A_HW_CAPABLE, hw->capable) ||
	    nla_put_string(msg, SPLITVISOR_A_HW_VENDOR, hw->vendor) ||
	    nla_put_u32(msg, SPLITVISOR_A_HW_SIGNATURE, hw->signature) ||
	    nla_put_u32(msg, SPLITVISOR_A_HW_CPUS_CHECKED, hw->cpus_checked) ||
	    nla_put_u8(msg, SPLITVISOR_A_HW_CPUS_DIFFER, hw->cpus_differ) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_HW_FEATURE_CONTROL,
			      hw->feature_control, SPLITVISOR_A_HW_PAD) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_HW_VMX_BASIC, hw->vmx_basic,
			      SPLITVISOR_A_HW_PAD) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_HW_EPT_VPID_CAP,
			      hw->ept_vpid_cap, SPLITVISOR_A_HW_PAD))
		goto cancel;
	for (feat = 0; feat < __SPLITVISOR_FEAT_COUNT; feat++)
		if (sv_put_feature(msg, hw, feat))
			goto cancel;
	nla_nest_end(msg, nest);
	return 0;

cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int sv_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sv_hwcheck *hw;
	struct sk_buff *msg;
	void *hdr;
	int err;

	/* Checked afresh: the set of online CPUs may have changed. */
	hw = kmalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	err = sv_hwcheck_run(hw);
	if (err)
		goto out_hw;

	err = -ENOMEM;
	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out_hw;
	hdr = genlmsg_put_reply(msg, info, &sv_genl_family, 0,
				SPLITVISOR_CMD_GET_STATUS);
	if (!hdr)
		goto out_msg;

	err = -EMSGSIZE;
	if (nla_put_string(msg, SPLITVISOR_A_MODULE_VERSION,
			   SPLITVISOR_VERSION) ||
	    nla_put_u32(msg, SPLITVISOR_A_API_VERSION,
			SPLITVISOR_API_VERSION) ||
	    nla_put_u32(msg, SPLITVISOR_A_HV_STATE, sv_hv_state()) ||
	    sv_put_hw(msg, hw)) {
		NL_SET_ERR_MSG(info->extack, "status reply does not fit");
		goto out_msg;
	}
	genlmsg_end(msg, hdr);
	kfree(hw);
	return genlmsg_reply(msg, info);

out_msg:
	nlmsg_free(msg);
out_hw:
	kfree(hw);
	return err;
}

static const struct genl_ops sv_genl_ops[] = {
	{
		.cmd		= SPLITVISOR_CMD_GET_STATUS,
		.doit		= sv_nl_get_status,
		.policy		= sv_get_status_policy,
		.maxattr	= SPLITVISOR_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group sv_genl_mcgrps[] = {
	{
		.name	= SPLITVISOR_MCGRP_EVENTS,
		.flags	= SV_GENL_MCAST_ADMIN_FLAGS,
	},
};

static struct genl_family sv_genl_family __ro_after_init = {
	.name		= SPLITVISOR_FAMILY_NAME,
	.version	= SPLITVISOR_FAMILY_VERSION,
	.netnsok	= false,
	.module		= THIS_MODULE,
	.ops		= sv_genl_ops,
	.n_ops		= ARRAY_SIZE(sv_genl_ops),
	/* Reserved header fields and flags are checked from the first op. */
	.resv_start_op	= SPLITVISOR_CMD_GET_STATUS,
	.mcgrps		= sv_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(sv_genl_mcgrps),
};

int __init sv_netlink_init(void)
{
	return genl_register_family(&sv_genl_family);
}

void sv_netlink_exit(void)
{
	genl_unregister_family(&sv_genl_family);
}
