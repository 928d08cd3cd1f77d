/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SPLITVISOR_CHARDEV_H
#define SPLITVISOR_CHARDEV_H

int sv_chardev_init(void);
void sv_chardev_exit(void);

#endif /* SPLITVISOR_CHARDEV_H */
