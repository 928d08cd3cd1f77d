/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SPLITVISOR_NETLINK_H
#define SPLITVISOR_NETLINK_H

int sv_netlink_init(void);
void sv_netlink_exit(void);

#endif /* SPLITVISOR_NETLINK_H */
