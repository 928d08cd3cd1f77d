/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SPLITVISOR_NETLINK_H
#define SPLITVISOR_NETLINK_H

int sv_netlink_init(void);
void sv_netlink_exit(void);

/*
 * Send SPLITVISOR_CMD_HV_STATE_EVENT with the hypervisor's state as it is
 * now to the "events" group. For the core, after each switch on or off;
 * process context. Does nothing outside sv_netlink_init()..exit().
 */
void sv_netlink_notify_hv_state(void);

#endif /* SPLITVISOR_NETLINK_H */
