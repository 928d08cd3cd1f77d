// SPDX-License-Identifier: GPL-2.0
/*
 * Runs last: whatever the other tests did, the kernel must not have
 * warned, oopsed or reported a bug. The taint mask says so precisely;
 * the log lines say what happened when it does.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "sv_util.h"

/* Taints an out-of-tree, unsigned module is expected to cause. */
#define TAINT_OOT_MODULE	12
#define TAINT_UNSIGNED_MODULE	13

TEST(kernel_not_tainted_by_faults)
{
	char *t = sv_read_file("/proc/sys/kernel/tainted");
	unsigned long taint;

	ASSERT_NE(NULL, t);
	taint = strtoul(t, NULL, 10);
	free(t);
	EXPECT_EQ(0, taint & ~((1UL << TAINT_OOT_MODULE) |
			      (1UL << TAINT_UNSIGNED_MODULE)))
		TH_LOG("tainted: %#lx", taint);
}

TEST(kernel_log_has_no_warnings)
{
	static const char * const bad[] = {
		"WARNING:", "BUG:", "Oops", "Call Trace:", "general protection",
		"kernel BUG", "UBSAN", "KASAN", "list_add corruption",
	};
	char *out, *err;
	static const char * const argv[] = { "/bin/dmesg", NULL };
	unsigned int i;

	ASSERT_EQ(0, sv_run(-1, argv, &out, &err));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *hit = strstr(out, bad[i]);

		EXPECT_EQ(NULL, hit) TH_LOG("dmesg: %.200s", hit);
	}
	free(out);
	free(err);
}

TEST_HARNESS_MAIN
