// SPDX-License-Identifier: GPL-2.0
/*
 * The module loads and unloads cleanly, reports its hardware check at
 * load, and refuses double loads and unloads with the usual errors.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sv_util.h"

/* Kernel log lines since the last clear, as a string. */
static char *kernel_log(void)
{
	char *out, *err;
	static const char * const argv[] = { "/bin/dmesg", NULL };

	if (sv_run(-1, argv, &out, &err) != 0)
		return NULL;
	free(err);
	return out;
}

TEST(load_unload_cycle)
{
	struct stat st;

	if (sv_module_loaded("splitvisor"))
		ASSERT_EQ(0, sv_module_unload("splitvisor"));
	ASSERT_FALSE(sv_module_loaded("splitvisor"));
	ASSERT_NE(0, stat("/dev/splitvisor", &st));

	ASSERT_EQ(0, sv_module_load("splitvisor"));
	ASSERT_TRUE(sv_module_loaded("splitvisor"));
	ASSERT_EQ(0, stat("/dev/splitvisor", &st));

	ASSERT_EQ(0, sv_module_unload("splitvisor"));
	ASSERT_FALSE(sv_module_loaded("splitvisor"));
	/* devtmpfs removes the node with the misc device */
	ASSERT_NE(0, stat("/dev/splitvisor", &st));
}

TEST(repeated_load_unload)
{
	int i;

	if (sv_module_loaded("splitvisor"))
		ASSERT_EQ(0, sv_module_unload("splitvisor"));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, sv_module_load("splitvisor"));
		ASSERT_EQ(0, sv_module_unload("splitvisor"));
	}
}

TEST(double_load_and_unload_fail)
{
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(-EEXIST, sv_module_load("splitvisor"));
	ASSERT_EQ(0, sv_module_unload("splitvisor"));
	ASSERT_EQ(-ENOENT, sv_module_unload("splitvisor"));
}

TEST(load_reports_hardware_check)
{
	char *log, *line;
	char version[64] = "";
	char *v;

	if (sv_module_loaded("splitvisor"))
		ASSERT_EQ(0, sv_module_unload("splitvisor"));
	ASSERT_EQ(0, sv_module_load("splitvisor"));
	log = kernel_log();
	ASSERT_NE(NULL, log);

	/* The last check logged is the one of this load. */
	line = NULL;
	for (char *p = log; (p = strstr(p, "splitvisor: hardware check on"));
	     p++)
		line = p;
	ASSERT_NE(NULL, line) TH_LOG("no hardware check line in dmesg");
	*strchrnul(line, '\n') = '\0';
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "GenuineIntel"));
	EXPECT_NE(NULL, strstr(line, ": capable"));

	v = sv_read_file("/sys/module/splitvisor/version");
	ASSERT_NE(NULL, v);
	snprintf(version, sizeof(version), "splitvisor: version %.*s loaded",
		 (int)strcspn(v, "\n"), v);
	free(v);
	EXPECT_NE(NULL, strstr(line + strlen(line) + 1, version));
	free(log);
}

TEST_HARNESS_MAIN
