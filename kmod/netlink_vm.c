// SPDX-License-Identifier: GPL-2.0
/*
 * The VM commands of the "splitvisor" family: requests and replies in the
 * attribute set "vm" (uapi/splitvisor.yaml). Each reply and event is the
 * VM as it stands after the command.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "hv.h"
#include "netlink.h"
#include "vm/vm.h"

/* Room for "reason-4294967295". */
#define SV_EXIT_NAME_LEN	24

static const char *sv_nl_vm_name(struct genl_info *info)
{
	if (!info->attrs[SPLITVISOR_A_VM_NAME]) {
		NL_SET_ERR_MSG(info->extack, "the VM's name is missing");
		return NULL;
	}
	return nla_data(info->attrs[SPLITVISOR_A_VM_NAME]);
}

static int sv_put_vm_exit(struct sk_buff *msg, u32 reason, u64 count)
{
	char buf[SV_EXIT_NAME_LEN];
	const char *name = sv_exit_reason_name(reason);
	struct nlattr *nest;

	if (!name) {
		snprintf(buf, sizeof(buf), "reason-%u", reason);
		name = buf;
	}
	if (reason == SPLITVISOR_EXIT_REASON_OTHER)
		name = "other";
	nest = nla_nest_start(msg, SPLITVISOR_A_VM_EXIT);
	if (!nest ||
	    nla_put_u32(msg, SPLITVISOR_A_EXIT_REASON, reason) ||
	    nla_put_string(msg, SPLITVISOR_A_EXIT_NAME, name) ||
	    nla_put_u64_64bit(msg, SPLITVISOR_A_EXIT_COUNT, count, SPLITVISOR_A_EXIT_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int sv_put_u64(struct sk_buff *msg, int type, u64 v)
{
	return nla_put_u64_64bit(msg, type, v, SPLITVISOR_A_VM_PAD);
}

/* The VM's attributes; @full adds counters and the loaded image. */
static int sv_put_vm(struct sk_buff *msg, struct sv_vm *vm, bool full)
{
	const struct sv_vm_report *rep = vm->report;
	struct sv_gcpu_stats *sum;
	unsigned int i;
	int err = -EMSGSIZE;

	if (nla_put_string(msg, SPLITVISOR_A_VM_NAME, vm->name) ||
	    nla_put_u32(msg, SPLITVISOR_A_VM_STATE, vm->state))
		return -EMSGSIZE;
	if (vm->state == SPLITVISOR_VM_STATE_EXITED &&
	    nla_put_u32(msg, SPLITVISOR_A_VM_EXIT_STATUS, READ_ONCE(rep->exit_status)))
		return -EMSGSIZE;
	if (vm->state == SPLITVISOR_VM_STATE_CRASHED &&
	    (nla_put_u32(msg, SPLITVISOR_A_VM_CRASH, rep->crash) ||
	     nla_put_string(msg, SPLITVISOR_A_VM_CRASH_TEXT, rep->crash_text) ||
	     (rep->crash_exit_reason != SV_VM_NO_EXIT_REASON &&
	      nla_put_u32(msg, SPLITVISOR_A_VM_CRASH_EXIT_REASON, rep->crash_exit_reason)) ||
	     sv_put_u64(msg, SPLITVISOR_A_VM_CRASH_RIP, rep->crash_rip) ||
	     sv_put_u64(msg, SPLITVISOR_A_VM_CRASH_ADDR, rep->crash_addr)))
		return -EMSGSIZE;
	if (!full)
		return 0;
	for (i = 0; i < vm->nr_cpus; i++)
		if (nla_put_u32(msg, SPLITVISOR_A_VM_CPU, vm->cpu[i]))
			return -EMSGSIZE;
	if (sv_put_u64(msg, SPLITVISOR_A_VM_MEM_SIZE, vm->mem_size) ||
	    nla_put_string(msg, SPLITVISOR_A_VM_CMDLINE, vm->cmdline) ||
	    sv_put_u64(msg, SPLITVISOR_A_VM_CONSOLE_BYTES, READ_ONCE(vm->console->head)))
		return -EMSGSIZE;
	if (vm->image->bytes &&
	    (sv_put_u64(msg, SPLITVISOR_A_VM_ENTRY, vm->image->plan.entry) ||
	     sv_put_u64(msg, SPLITVISOR_A_VM_IMAGE_SIZE, vm->image->size)))
		return -EMSGSIZE;
	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	sv_vm_sum_stats(vm, sum);
	if (sv_put_u64(msg, SPLITVISOR_A_VM_EXITS_TOTAL, sum->exits.total) ||
	    sv_put_u64(msg, SPLITVISOR_A_VM_IO_IGNORED, sum->io_ignored) ||
	    sv_put_u64(msg, SPLITVISOR_A_VM_MSR_GP, sum->msr_gp) ||
	    sv_put_u64(msg, SPLITVISOR_A_VM_IPIS_DROPPED, sum->ipis_dropped) ||
	    sv_put_u64(msg, SPLITVISOR_A_VM_ROOT_IRQS_DROPPED,
		       sum->root_irqs_dropped))
		goto out;
	for (i = 0; i < SV_EXIT_REASONS; i++)
		if (sum->exits.by_reason[i] &&
		    sv_put_vm_exit(msg, i, sum->exits.by_reason[i]))
			goto out;
	if (sum->exits.other &&
	    sv_put_vm_exit(msg, SPLITVISOR_EXIT_REASON_OTHER, sum->exits.other))
		goto out;
	err = 0;
out:
	kfree(sum);
	return err;
}

static int sv_nl_vm_reply(struct genl_info *info, const char *name, u8 cmd)
{
	struct sk_buff *msg;
	struct sv_vm *vm;
	void *hdr;
	int err;

	vm = sv_vm_get(name);
	if (!vm) {
		NL_SET_ERR_MSG(info->extack, "no VM of that name");
		return -ENOENT;
	}
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &sv_genl_family, 0, cmd);
	err = hdr ? sv_put_vm(msg, vm, true) : -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	sv_vm_put(vm);
	return err;
}

void sv_netlink_notify_vm(struct sv_vm *vm)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &sv_genl_family, 0,
			  SPLITVISOR_CMD_VM_STATE_EVENT);
	if (!hdr || sv_put_vm(msg, vm, false)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	sv_netlink_multicast(msg);
}

/* CPUs named one by one (multi-attr), in the order given. */
static int sv_nl_vm_cpus(struct genl_info *info, u32 *cpus, unsigned int *nr)
{
	const struct nlattr *a;
	int rem;

	*nr = 0;
	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != SPLITVISOR_A_VM_CPU)
			continue;
		if (*nr == SV_VM_MAX_CPUS) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "a VM has at most 8 CPUs");
			return -E2BIG;
		}
		cpus[(*nr)++] = nla_get_u32(a);
	}
	return 0;
}

int sv_nl_vm_create(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = sv_nl_vm_name(info), *cmdline = NULL, *why = NULL;
	u32 cpus[SV_VM_MAX_CPUS];
	unsigned int nr;
	int err;

	if (!name)
		return -EINVAL;
	if (!info->attrs[SPLITVISOR_A_VM_MEM_SIZE]) {
		NL_SET_ERR_MSG(info->extack, "the VM's memory size is missing");
		return -EINVAL;
	}
	err = sv_nl_vm_cpus(info, cpus, &nr);
	if (err)
		return err;
	if (nr && info->attrs[SPLITVISOR_A_VM_NR_CPUS]) {
		NL_SET_ERR_MSG(info->extack, "give either CPUs or a number of CPUs, not both");
		return -EINVAL;
	}
	if (!nr && !info->attrs[SPLITVISOR_A_VM_NR_CPUS]) {
		NL_SET_ERR_MSG(info->extack, "the VM's CPUs are missing");
		return -EINVAL;
	}
	if (info->attrs[SPLITVISOR_A_VM_CMDLINE])
		cmdline = nla_data(info->attrs[SPLITVISOR_A_VM_CMDLINE]);
	err = sv_vm_create(name, nr ? cpus : NULL,
			   nr ? nr : nla_get_u32(info->attrs[SPLITVISOR_A_VM_NR_CPUS]),
			   nla_get_u64(info->attrs[SPLITVISOR_A_VM_MEM_SIZE]),
			   cmdline, &why);
	if (err) {
		sv_extack_set(info->extack, why);
		return err;
	}
	return sv_nl_vm_reply(info, name, SPLITVISOR_CMD_VM_CREATE);
}

int sv_nl_vm_load(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = sv_nl_vm_name(info), *cmdline = NULL, *why = NULL;
	int err;

	if (!name)
		return -EINVAL;
	if (info->attrs[SPLITVISOR_A_VM_CMDLINE])
		cmdline = nla_data(info->attrs[SPLITVISOR_A_VM_CMDLINE]);
	err = sv_vm_load(name, cmdline, &why);
	if (err) {
		sv_extack_set(info->extack, why);
		return err;
	}
	return sv_nl_vm_reply(info, name, SPLITVISOR_CMD_VM_LOAD);
}

int sv_nl_vm_start(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = sv_nl_vm_name(info), *why = NULL;
	int err;

	if (!name)
		return -EINVAL;
	err = sv_vm_start(name, &why);
	if (err) {
		sv_extack_set(info->extack, why);
		return err;
	}
	return sv_nl_vm_reply(info, name, SPLITVISOR_CMD_VM_START);
}

int sv_nl_vm_stop(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = sv_nl_vm_name(info), *why = NULL;
	int err;

	if (!name)
		return -EINVAL;
	err = sv_vm_stop(name, &why);
	if (err) {
		sv_extack_set(info->extack, why);
		return err;
	}
	return sv_nl_vm_reply(info, name, SPLITVISOR_CMD_VM_STOP);
}

int sv_nl_vm_destroy(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = sv_nl_vm_name(info), *why = NULL;
	int err;

	if (!name)
		return -EINVAL;
	err = sv_vm_destroy(name, &why);
	if (err)
		sv_extack_set(info->extack, why);
	return err;
}

int sv_nl_vm_get(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = sv_nl_vm_name(info);
	struct sv_vm *vm;

	if (!name)
		return -EINVAL;
	vm = sv_vm_get(name);
	if (vm) {
		sv_vm_refresh_locked(vm);
		sv_vm_put(vm);
	}
	return sv_nl_vm_reply(info, name, SPLITVISOR_CMD_VM_GET);
}

int sv_nl_vm_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sv_vm *vm;
	void *hdr;
	int err;

	for (;;) {
		vm = sv_vm_get_nth(cb->args[0]);
		if (!vm)
			return skb->len;
		sv_vm_refresh_locked(vm);
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &sv_genl_family, NLM_F_MULTI, SPLITVISOR_CMD_VM_GET);
		err = hdr ? sv_put_vm(skb, vm, true) : -EMSGSIZE;
		sv_vm_put(vm);
		if (err) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			return skb->len ? skb->len : err;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
}
