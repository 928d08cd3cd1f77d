// SPDX-License-Identifier: GPL-2.0
/*
 * Runs last: whatever the other tests did, the kernel must not have warned,
 * oopsed or reported a bug since the baseline run_tests.sh took before the
 * first test. The taint mask says so precisely; the log says what happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "sv_util.h"

/* Taints an out-of-tree, unsigned module is expected to cause. */
#define TAINT_OOT_MODULE	12
#define TAINT_UNSIGNED_MODULE	13

struct baseline {
	long long seq;
	unsigned long taint;
};

static int read_baseline(struct baseline *b)
{
	char *s = sv_read_file(SV_BASELINE_PATH);
	int ok;

	if (!s)
		return -1;
	ok = sscanf(s, "%lld %lu", &b->seq, &b->taint) == 2;
	free(s);
	return ok ? 0 : -1;
}

TEST(no_new_taint)
{
	unsigned long expected = (1UL << TAINT_OOT_MODULE) |
				 (1UL << TAINT_UNSIGNED_MODULE);
	struct baseline b;
	unsigned long taint;
	char *t;

	ASSERT_EQ(0, read_baseline(&b))
		TH_LOG("no %s: run through run_tests.sh", SV_BASELINE_PATH);
	t = sv_read_file("/proc/sys/kernel/tainted");
	ASSERT_NE(NULL, t);
	taint = strtoul(t, NULL, 10);
	free(t);
	TH_LOG("taint before %#lx, now %#lx", b.taint, taint);
	EXPECT_EQ(0, taint & ~b.taint & ~expected);
}

TEST(no_new_warnings_in_kernel_log)
{
	static const char * const bad[] = {
		"WARNING:", "BUG:", "Oops", "Call Trace:", "general protection",
		"kernel BUG", "UBSAN", "KASAN", "list_add corruption",
		"unchecked MSR access",
	};
	struct baseline b;
	long long last;
	unsigned int i;
	char *log;

	ASSERT_EQ(0, read_baseline(&b))
		TH_LOG("no %s: run through run_tests.sh", SV_BASELINE_PATH);
	log = sv_kmsg_since(b.seq, &last);
	ASSERT_NE(NULL, log);
	ASSERT_LT(b.seq, last) TH_LOG("the tests left nothing in the log");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *hit = strstr(log, bad[i]);

		EXPECT_EQ(NULL, hit) TH_LOG("kernel log: %.300s", hit);
	}
	free(log);
}

TEST_HARNESS_MAIN
