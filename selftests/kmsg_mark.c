// SPDX-License-Identifier: GPL-2.0
/*
 * Prints "<last kernel log sequence number> <taint mask>", the baseline
 * that test_kernel_log compares against: a stock kernel may already have
 * warned while booting (Bochs' CPU model makes some kernels do so).
 */
#include <stdio.h>
#include <stdlib.h>

#include "sv_util.h"

int main(void)
{
	char *taint = sv_read_file("/proc/sys/kernel/tainted");
	char *log;
	long long last;

	log = sv_kmsg_since(-1, &last);
	if (!taint || !log) {
		perror("kmsg_mark");
		return 1;
	}
	printf("%lld %lu\n", last, strtoul(taint, NULL, 10));
	free(log);
	free(taint);
	return 0;
}
