// SPDX-License-Identifier: GPL-2.0
/*
 * SIGINT and SIGTERM stay blocked except inside ppoll(), which unblocks
 * them atomically: a signal that arrives while vmctl prints is taken at
 * the next wait instead of being lost between a check and the wait.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "interrupt.h"

/* Lock-free, so safe to set from the handler. */
static atomic_bool caught;
static sigset_t wait_mask;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&caught, true);
}

int interrupt_setup(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, &wait_mask))
		return -errno;
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

bool interrupted(void)
{
	return atomic_load(&caught);
}

int interrupt_wait(int fd, int timeout_ms)
{
	short revents;

	return interrupt_poll(fd, timeout_ms, &revents);
}

int interrupt_poll(int fd, int timeout_ms, short *revents)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts, *tsp = NULL;
	int n;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		tsp = &ts;
	}
	for (;;) {
		if (atomic_load(&caught))
			return -EINTR;
		n = ppoll(fd >= 0 ? &pfd : NULL, fd >= 0 ? 1 : 0, tsp,
			  &wait_mask);
		if (n >= 0) {
			*revents = n > 0 ? pfd.revents : 0;
			return n > 0;
		}
		if (errno != EINTR)
			return -errno;
	}
}
