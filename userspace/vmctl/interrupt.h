/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ending a long-running command (`stats --watch`, `monitor`, `console
 * -f`) cleanly on SIGINT or SIGTERM, without a window where the signal
 * is missed.
 */
#ifndef VMCTL_INTERRUPT_H
#define VMCTL_INTERRUPT_H

#include <stdbool.h>

/* Catch SIGINT and SIGTERM from now on; 0 or -errno. */
int interrupt_setup(void);
bool interrupted(void);

/*
 * Wait until @fd (if >= 0) is readable or @timeout_ms (if >= 0) passed.
 * Returns 1 when readable, 0 on timeout, -EINTR once interrupted, or
 * another -errno.
 */
int interrupt_wait(int fd, int timeout_ms);
/* The same, also saying in *@revents what poll() found (POLLHUP...). */
int interrupt_poll(int fd, int timeout_ms, short *revents);

#endif /* VMCTL_INTERRUPT_H */
