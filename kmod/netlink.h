/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SPLITVISOR_NETLINK_H
#define SPLITVISOR_NETLINK_H

#include <net/genetlink.h>

struct sv_vm;

extern struct genl_family sv_genl_family;

int sv_netlink_init(void);
void sv_netlink_exit(void);

/*
 * Send SPLITVISOR_CMD_HV_STATE_EVENT with the hypervisor's state as it is
 * now to the "events" group. For the core, after each switch on or off;
 * process context. Does nothing outside sv_netlink_init()..exit().
 */
void sv_netlink_notify_hv_state(void);

/* Send @msg (consumed) to the "events" group, if the family is open. */
void sv_netlink_multicast(struct sk_buff *msg);

/* netlink_vm.c: SPLITVISOR_CMD_VM_STATE_EVENT with the VM as it is now. */
void sv_netlink_notify_vm(struct sv_vm *vm);
int sv_nl_vm_create(struct sk_buff *skb, struct genl_info *info);
int sv_nl_vm_load(struct sk_buff *skb, struct genl_info *info);
int sv_nl_vm_start(struct sk_buff *skb, struct genl_info *info);
int sv_nl_vm_stop(struct sk_buff *skb, struct genl_info *info);
int sv_nl_vm_destroy(struct sk_buff *skb, struct genl_info *info);
int sv_nl_vm_get(struct sk_buff *skb, struct genl_info *info);
int sv_nl_vm_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* SPLITVISOR_NETLINK_H */
