// SPDX-License-Identifier: GPL-2.0
/*
 * The "splitvisor" generic netlink family (uapi/splitvisor.yaml). Every
 * command is admin-only and strictly validated: unknown attributes,
 * attributes a request may not carry, trailing bytes and reserved header
 * bits are all rejected with an extack message by the netlink core.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "hv.h"
#include "hwcheck.h"
#include "netlink.h"
#include "vm/vm.h"

/*
 * No request carries attributes: every entry stays NLA_UNSPEC, which
 * strict validation turns into "Unsupported attribute". maxattr must still
 * cover the set, or the core would skip parsing and let anything through.
 */
static const struct nla_policy sv_no_attrs_policy[SPLITVISOR_A_MAX + 1];

/*
 * Largest GET_STATS reply. 64 CPUs with every exit reason counted take
 * about 280 KiB; far beyond that the skb is a large physically contiguous
 * allocation and the reply is better refused than half sent.
 */
#define SV_STATS_REPLY_MAX	SZ_512K

/*
 * The u64 counters of a CPU nest: EXITS_TOTAL, HIDDEN_ACCESSES,
 * UNMAPPED_ACCESSES, NMIS, NMIS_IN_HYPERVISOR (sv_put_cpu).
 */
#define SV_CPU_COUNTERS		5

/* Room for "reason-4294967295", the name of a reason the core cannot name. */
#define SV_EXIT_NAME_LEN	24

enum sv_genl_mcgrp {
	SV_GENL_MCGRP_EVENTS,
};

/*
 * The hardware check as last taken while the hypervisor was off. While it
 * is on, CPUID hides VMX from the root and the VMX MSRs belong to the
 * hypervisor, so a fresh check would describe what splitvisor shows Linux
 * instead of the hardware.
 */
static struct sv_hwcheck sv_hw_cache;
static bool sv_hw_cached;
static DEFINE_MUTEX(sv_hw_lock);

/*
 * Multicasts are sent only between registering and unregistering the
 * family; the core may announce a state change at any time.
 */
static bool sv_events_open;
static DEFINE_MUTEX(sv_events_lock);

/*
 * Off, and no CPU under the hypervisor: a switch on under way virtualizes
 * CPUs before the state reads "on".
 */
static bool sv_hv_all_off(void)
{
	return sv_hv_state() == SPLITVISOR_HV_STATE_OFF &&
	       !sv_hv_cpus_virtualized();
}

/*
 * Fill @hw with the hardware check: taken afresh while the hypervisor is
 * off, from the cache while it is on. -ENODATA when it was never off since
 * the module loaded.
 */
static int sv_hwcheck_get(struct sv_hwcheck *hw)
{
	int err = 0;

	mutex_lock(&sv_hw_lock);
	if (sv_hv_all_off()) {
		err = sv_hwcheck_run(hw);
		/*
		 * Switched on during the check: some CPUs may have answered
		 * as the root, so the result is not kept.
		 */
		if (!err && sv_hv_all_off()) {
			sv_hw_cache = *hw;
			sv_hw_cached = true;
		}
	}
	if (!err && !sv_hw_cached)
		err = -ENODATA;
	if (!err)
		*hw = sv_hw_cache;
	mutex_unlock(&sv_hw_lock);
	return err;
}

/* Take the check now, if the hypervisor is off, for later status replies. */
static void sv_hwcheck_refresh(void)
{
	struct sv_hwcheck *hw;

	hw = kmalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return;
	sv_hwcheck_get(hw);
	kfree(hw);
}

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
	for (feat = 0; feat < __SPLITVISOR_FEATURE_MAX; feat++)
		if (sv_put_feature(msg, hw, feat))
			goto cancel;
	nla_nest_end(msg, nest);
	return 0;

cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/* VM exits of every CPU since the hypervisor was last switched on. */
static int sv_exits_total(u64 *total)
{
	struct sv_exit_stats *stats;
	unsigned int cpu;

	stats = kmalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return -ENOMEM;
	*total = 0;
	for_each_possible_cpu(cpu)
		if (sv_hv_cpu_stats(cpu, stats))
			*total += stats->total;
	kfree(stats);
	return 0;
}

static int sv_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sv_hwcheck *hw;
	struct sk_buff *msg;
	bool has_hw;
	u64 exits;
	void *hdr;
	int err;

	hw = kmalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	/* Checked afresh when possible: the online CPUs may have changed. */
	err = sv_hwcheck_get(hw);
	if (err && err != -ENODATA)
		goto out_hw;
	has_hw = !err;
	err = sv_exits_total(&exits);
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
	    nla_put_u32(msg, SPLITVISOR_A_CPUS_VIRTUALIZED,
			sv_hv_cpus_virtualized()) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_EXITS_TOTAL, exits,
			      SPLITVISOR_A_PAD) ||
	    (has_hw && sv_put_hw(msg, hw))) {
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

static int sv_nl_enable(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	/* The last moment the check sees the hardware rather than splitvisor. */
	sv_hwcheck_refresh();
	err = sv_hv_enable(info->extack);
	/* The core explains its failures; this only covers one it did not. */
	if (err && !info->extack->_msg)
		NL_SET_ERR_MSG(info->extack, "cannot switch the hypervisor on");
	return err;
}

static int sv_nl_disable(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	err = sv_hv_disable(info->extack);
	if (err && !info->extack->_msg)
		NL_SET_ERR_MSG(info->extack, "cannot switch the hypervisor off");
	return err;
}

/*
 * The counters of every CPU a GET_STATS reply reports, read once: the
 * reply is sized from the same values it then carries.
 */
struct sv_cpu_sample {
	unsigned int cpu;
	struct sv_exit_stats stats;
};

struct sv_stats_sample {
	unsigned int nr_cpus;
	unsigned int cpus_virtualized;
	u64 exits;
	struct sv_cpu_sample cpus[];
};

static struct sv_stats_sample *sv_stats_take(void)
{
	unsigned int max = num_possible_cpus(), cpu;
	struct sv_stats_sample *sample;
	struct sv_cpu_sample *c;

	sample = kvzalloc(struct_size(sample, cpus, max), GFP_KERNEL);
	if (!sample)
		return NULL;
	for_each_possible_cpu(cpu) {
		if (sample->nr_cpus == max)
			break;
		c = &sample->cpus[sample->nr_cpus];
		if (!sv_hv_cpu_stats(cpu, &c->stats))
			continue;
		/* An offline CPU that never counted anything says nothing. */
		if (!c->stats.virtualized && !c->stats.total && !cpu_online(cpu))
			continue;
		c->cpu = cpu;
		sample->nr_cpus++;
		sample->cpus_virtualized += c->stats.virtualized;
		sample->exits += c->stats.total;
	}
	return sample;
}

static const char *sv_exit_name(unsigned int reason, char *buf, size_t len)
{
	const char *name = sv_exit_reason_name(reason);

	if (name)
		return name;
	snprintf(buf, len, "reason-%u", reason);
	return buf;
}

static size_t sv_exit_size(const char *name)
{
	return nla_total_size(0) +				/* the nest */
	       nla_total_size(sizeof(u32)) +			/* REASON */
	       nla_total_size(strlen(name) + 1) +		/* NAME */
	       nla_total_size_64bit(sizeof(u64));		/* COUNT */
}

static size_t sv_cpu_size(const struct sv_exit_stats *stats)
{
	char buf[SV_EXIT_NAME_LEN];
	unsigned int reason;
	size_t size;

	size = nla_total_size(0) +				/* the nest */
	       nla_total_size(sizeof(u32)) +			/* CPU */
	       nla_total_size(sizeof(u8)) +			/* VIRTUALIZED */
	       SV_CPU_COUNTERS * nla_total_size_64bit(sizeof(u64));
	for (reason = 0; reason < SV_EXIT_REASONS; reason++)
		if (stats->by_reason[reason])
			size += sv_exit_size(sv_exit_name(reason, buf,
							  sizeof(buf)));
	if (stats->other)
		size += sv_exit_size("other");
	return size;
}

static size_t sv_stats_size(const struct sv_stats_sample *sample)
{
	size_t size;
	unsigned int i;

	size = nla_total_size(sizeof(u32)) +			/* HV_STATE */
	       nla_total_size(sizeof(u32)) +			/* CPUS_VIRTUALIZED */
	       nla_total_size_64bit(sizeof(u64));		/* EXITS_TOTAL */
	for (i = 0; i < sample->nr_cpus; i++)
		size += sv_cpu_size(&sample->cpus[i].stats);
	return size;
}

static int sv_put_exit(struct sk_buff *msg, u32 reason, const char *name,
		       u64 count)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, SPLITVISOR_A_CPU_EXIT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SPLITVISOR_A_EXIT_REASON, reason) ||
	    nla_put_string(msg, SPLITVISOR_A_EXIT_NAME, name) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_EXIT_COUNT, count,
			      SPLITVISOR_A_EXIT_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sv_put_cpu(struct sk_buff *msg, const struct sv_cpu_sample *c)
{
	const struct sv_exit_stats *stats = &c->stats;
	char buf[SV_EXIT_NAME_LEN];
	unsigned int reason;
	struct nlattr *nest;

	nest = nla_nest_start(msg, SPLITVISOR_A_CPU);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SPLITVISOR_A_CPU_CPU, c->cpu) ||
	    nla_put_u8(msg, SPLITVISOR_A_CPU_VIRTUALIZED, stats->virtualized) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_CPU_EXITS_TOTAL, stats->total,
			      SPLITVISOR_A_CPU_PAD) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_CPU_HIDDEN_ACCESSES,
			      stats->hidden_accesses, SPLITVISOR_A_CPU_PAD) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_CPU_UNMAPPED_ACCESSES,
			      stats->unmapped_accesses, SPLITVISOR_A_CPU_PAD) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_CPU_NMIS, stats->nmis,
			      SPLITVISOR_A_CPU_PAD) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_CPU_NMIS_IN_HYPERVISOR,
			      stats->nmis_in_hypervisor, SPLITVISOR_A_CPU_PAD))
		goto cancel;
	for (reason = 0; reason < SV_EXIT_REASONS; reason++)
		if (stats->by_reason[reason] &&
		    sv_put_exit(msg, reason,
				sv_exit_name(reason, buf, sizeof(buf)),
				stats->by_reason[reason]))
			goto cancel;
	if (stats->other &&
	    sv_put_exit(msg, SPLITVISOR_EXIT_REASON_OTHER, "other",
			stats->other))
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;

cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int sv_put_stats(struct sk_buff *msg,
			const struct sv_stats_sample *sample)
{
	unsigned int i;

	if (nla_put_u32(msg, SPLITVISOR_A_HV_STATE, sv_hv_state()) ||
	    nla_put_u32(msg, SPLITVISOR_A_CPUS_VIRTUALIZED,
			sample->cpus_virtualized) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_EXITS_TOTAL, sample->exits,
			      SPLITVISOR_A_PAD))
		return -EMSGSIZE;
	for (i = 0; i < sample->nr_cpus; i++)
		if (sv_put_cpu(msg, &sample->cpus[i]))
			return -EMSGSIZE;
	return 0;
}

/*
 * One reply, not a dump: the counters of all CPUs come from one pass and
 * so agree with each other and with the totals.
 */
static int sv_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sv_stats_sample *sample;
	struct sk_buff *msg;
	size_t size;
	void *hdr;
	int err;

	sample = sv_stats_take();
	if (!sample)
		return -ENOMEM;
	size = sv_stats_size(sample);
	if (size > SV_STATS_REPLY_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "statistics of this many CPUs exceed one reply");
		err = -EMSGSIZE;
		goto out_sample;
	}

	err = -ENOMEM;
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		goto out_sample;
	hdr = genlmsg_put_reply(msg, info, &sv_genl_family, 0,
				SPLITVISOR_CMD_GET_STATS);
	if (!hdr)
		goto out_msg;
	err = sv_put_stats(msg, sample);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "statistics reply does not fit");
		goto out_msg;
	}
	genlmsg_end(msg, hdr);
	kvfree(sample);
	return genlmsg_reply(msg, info);

out_msg:
	nlmsg_free(msg);
out_sample:
	kvfree(sample);
	return err;
}

#define SV_VM_NAME_POLICY	{ .type = NLA_NUL_STRING, .len = SPLITVISOR_VM_NAME_MAX }
#define SV_VM_CMDLINE_POLICY	{ .type = NLA_NUL_STRING, .len = SPLITVISOR_VM_CMDLINE_MAX }

static const struct nla_policy sv_vm_create_policy[SPLITVISOR_A_VM_MAX + 1] = {
	[SPLITVISOR_A_VM_NAME]		= SV_VM_NAME_POLICY,
	[SPLITVISOR_A_VM_CPU]		= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_NR_CPUS]	= { .type = NLA_U32 },
	[SPLITVISOR_A_VM_MEM_SIZE]	= { .type = NLA_U64 },
	[SPLITVISOR_A_VM_CMDLINE]	= SV_VM_CMDLINE_POLICY,
};

static const struct nla_policy sv_vm_load_policy[SPLITVISOR_A_VM_MAX + 1] = {
	[SPLITVISOR_A_VM_NAME]		= SV_VM_NAME_POLICY,
	[SPLITVISOR_A_VM_CMDLINE]	= SV_VM_CMDLINE_POLICY,
};

static const struct nla_policy sv_vm_name_policy[SPLITVISOR_A_VM_MAX + 1] = {
	[SPLITVISOR_A_VM_NAME]		= SV_VM_NAME_POLICY,
};

#define SV_VM_OP(_cmd, _doit, _policy)				\
	{							\
		.cmd		= _cmd,				\
		.doit		= _doit,			\
		.policy		= _policy,			\
		.maxattr	= SPLITVISOR_A_VM_MAX,		\
		.flags		= GENL_ADMIN_PERM,		\
	}

/*
 * HV_STATE_EVENT and VM_STATE_EVENT are notifications only: without an
 * op, a request with that command number gets EOPNOTSUPP from the core.
 * VM_GET without a name is a dump (NLM_F_DUMP).
 */
static const struct genl_ops sv_genl_ops[] = {
	{
		.cmd		= SPLITVISOR_CMD_GET_STATUS,
		.doit		= sv_nl_get_status,
		.policy		= sv_no_attrs_policy,
		.maxattr	= SPLITVISOR_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SPLITVISOR_CMD_ENABLE,
		.doit		= sv_nl_enable,
		.policy		= sv_no_attrs_policy,
		.maxattr	= SPLITVISOR_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SPLITVISOR_CMD_DISABLE,
		.doit		= sv_nl_disable,
		.policy		= sv_no_attrs_policy,
		.maxattr	= SPLITVISOR_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SPLITVISOR_CMD_GET_STATS,
		.doit		= sv_nl_get_stats,
		.policy		= sv_no_attrs_policy,
		.maxattr	= SPLITVISOR_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	SV_VM_OP(SPLITVISOR_CMD_VM_CREATE, sv_nl_vm_create, sv_vm_create_policy),
	SV_VM_OP(SPLITVISOR_CMD_VM_LOAD, sv_nl_vm_load, sv_vm_load_policy),
	SV_VM_OP(SPLITVISOR_CMD_VM_START, sv_nl_vm_start, sv_vm_name_policy),
	SV_VM_OP(SPLITVISOR_CMD_VM_STOP, sv_nl_vm_stop, sv_vm_name_policy),
	SV_VM_OP(SPLITVISOR_CMD_VM_DESTROY, sv_nl_vm_destroy, sv_vm_name_policy),
	{
		.cmd		= SPLITVISOR_CMD_VM_GET,
		.doit		= sv_nl_vm_get,
		.dumpit		= sv_nl_vm_dump,
		.policy		= sv_vm_name_policy,
		.maxattr	= SPLITVISOR_A_VM_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group sv_genl_mcgrps[] = {
	[SV_GENL_MCGRP_EVENTS] = {
		.name	= SPLITVISOR_MCGRP_EVENTS,
		.flags	= SV_GENL_MCAST_ADMIN_FLAGS,
	},
};

struct genl_family sv_genl_family __ro_after_init = {
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

void sv_netlink_notify_hv_state(void)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(2 * nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &sv_genl_family, 0,
			  SPLITVISOR_CMD_HV_STATE_EVENT);
	if (!hdr ||
	    nla_put_u32(msg, SPLITVISOR_A_HV_STATE, sv_hv_state()) ||
	    nla_put_u32(msg, SPLITVISOR_A_CPUS_VIRTUALIZED,
			sv_hv_cpus_virtualized())) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	sv_netlink_multicast(msg);
}

void sv_netlink_multicast(struct sk_buff *msg)
{
	int err = 0;

	mutex_lock(&sv_events_lock);
	if (sv_events_open)
		err = genlmsg_multicast(&sv_genl_family, msg, 0,
					SV_GENL_MCGRP_EVENTS, GFP_KERNEL);
	else
		nlmsg_free(msg);
	mutex_unlock(&sv_events_lock);
	/*
	 * -ESRCH: nobody listens. -ENOBUFS: a listener's queue is full; it
	 * learns so from its own socket.
	 */
	if (err && err != -ESRCH && err != -ENOBUFS)
		pr_warn_ratelimited("cannot send an event: %d\n", err);
}

int __init sv_netlink_init(void)
{
	int err;

	/* Status replies need a check from before the hypervisor is on. */
	sv_hwcheck_refresh();
	err = genl_register_family(&sv_genl_family);
	if (err)
		return err;
	mutex_lock(&sv_events_lock);
	sv_events_open = true;
	mutex_unlock(&sv_events_lock);
	return 0;
}

void sv_netlink_exit(void)
{
	/*
	 * Not held across the unregistration: that waits for running
	 * commands, and ENABLE or DISABLE may be notifying right now.
	 */
	mutex_lock(&sv_events_lock);
	sv_events_open = false;
	mutex_unlock(&sv_events_lock);
	genl_unregister_family(&sv_genl_family);
}
