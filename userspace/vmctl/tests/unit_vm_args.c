// SPDX-License-Identifier: GPL-2.0
/*
 * What a user asks of a VM: --cpus counts and lists, --mem sizes, names
 * and command lines, checked against the uapi limits; and CPU sets
 * printed back as compact lists.
 */
#include <stdlib.h>
#include <string.h>

#include <splitvisor.h>

#include "kselftest_harness.h"

#include "cpuset.h"
#include "vm_args.h"

#define MiB	(1ULL << 20)

static char why[256];

/* The CPUs of @set, as a compact list. */
static const char *list_of(const struct cpuset *set)
{
	static char buf[256];

	cpuset_format(set, buf, sizeof(buf));
	return buf;
}

TEST(cpus_plain_number_is_a_count)
{
	struct vm_cpus c;

	ASSERT_EQ(0, vm_parse_cpus("2", false, &c, why, sizeof(why)));
	ASSERT_EQ(VM_CPUS_COUNT, (int)c.kind);
	ASSERT_EQ(2U, c.count);
	ASSERT_EQ(0U, cpuset_count(&c.set));

	ASSERT_EQ(0, vm_parse_cpus("16", false, &c, why, sizeof(why)));
	ASSERT_EQ(VM_CPUS_COUNT, (int)c.kind);
	ASSERT_EQ(16U, c.count);
}

TEST(cpus_with_comma_or_dash_is_a_list)
{
	static const struct {
		const char *text;
		const char *list;
		unsigned int count;
	} cases[] = {
		{ "2,3", "2-3", 2 },
		{ "1-3", "1-3", 3 },
		{ "1,3-4", "1,3-4", 3 },
		{ "3-3", "3", 1 },
		{ "4,0,2", "0,2,4", 3 },
		{ "7-8,1", "1,7-8", 3 },
		{ "0-2,4-5,9", "0-2,4-5,9", 6 },
	};
	struct vm_cpus c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, vm_parse_cpus(cases[i].text, false, &c, why,
					   sizeof(why)))
			TH_LOG("%s: %s", cases[i].text, why);
		ASSERT_EQ(VM_CPUS_LIST, (int)c.kind);
		ASSERT_EQ(cases[i].count, cpuset_count(&c.set));
		ASSERT_STREQ(cases[i].list, list_of(&c.set));
	}
}

TEST(cpu_list_names_a_single_cpu)
{
	struct vm_cpus c;

	ASSERT_EQ(0, vm_parse_cpus("3", true, &c, why, sizeof(why)));
	ASSERT_EQ(VM_CPUS_LIST, (int)c.kind);
	ASSERT_EQ(1U, cpuset_count(&c.set));
	ASSERT_TRUE(cpuset_has(&c.set, 3));
	ASSERT_FALSE(cpuset_has(&c.set, 0));
}

TEST(cpus_named_twice_are_refused)
{
	static const char *const dup[] = { "1,1", "1-3,2", "0-4,4-5", "2,0-3" };
	struct vm_cpus c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dup); i++) {
		ASSERT_EQ(-1, vm_parse_cpus(dup[i], false, &c, why,
					    sizeof(why)))
			TH_LOG("%s", dup[i]);
		ASSERT_NE(NULL, strstr(why, "is named twice"))
			TH_LOG("%s", why);
	}
	vm_parse_cpus("1-3,2", false, &c, why, sizeof(why));
	ASSERT_STREQ("CPU list '1-3,2': CPU 2 is named twice", why);
}

TEST(cpus_bad_input)
{
	static const char *const bad_list[] = {
		"1,", ",1", "1,,2", "1-", "-1", "1-b", "1 ,2", "1-2-3",
		" 1,2", "0x1,2", "a,b",
	};
	/* no ',' or '-': taken for a count */
	static const char *const bad_count[] = { "", "a", "2x", " 2", "+2",
						 "1.5", "1;2" };
	struct vm_cpus c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_list); i++) {
		ASSERT_EQ(-1, vm_parse_cpus(bad_list[i], false, &c, why,
					    sizeof(why)))
			TH_LOG("'%s'", bad_list[i]);
		ASSERT_NE(NULL, strstr(why, "is not like 2,3 or 1-3 or 1,3-4"))
			TH_LOG("%s", why);
	}
	for (i = 0; i < ARRAY_SIZE(bad_count); i++) {
		ASSERT_EQ(-1, vm_parse_cpus(bad_count[i], false, &c, why,
					    sizeof(why)))
			TH_LOG("'%s'", bad_count[i]);
		ASSERT_NE(NULL, strstr(why, "--cpus takes a count (2) or a list"))
			TH_LOG("%s", why);
	}
	/* --cpu-list takes no count */
	ASSERT_EQ(-1, vm_parse_cpus("", true, &c, why, sizeof(why)));
}

TEST(cpus_out_of_range)
{
	struct vm_cpus c;

	ASSERT_EQ(-1, vm_parse_cpus("0", false, &c, why, sizeof(why)));
	ASSERT_STREQ("--cpus 0: a VM has from 1 to 8192 CPUs", why);
	ASSERT_EQ(-1, vm_parse_cpus("99999999999999999999999", false, &c, why,
				    sizeof(why)));
	ASSERT_NE(NULL, strstr(why, "from 1 to 8192 CPUs"));
	ASSERT_EQ(-1, vm_parse_cpus("3-1", false, &c, why, sizeof(why)));
	ASSERT_STREQ("CPU list '3-1': range 3-1 goes down", why);
	ASSERT_EQ(-1, vm_parse_cpus("1,8192", false, &c, why, sizeof(why)));
	ASSERT_NE(NULL, strstr(why, "numbered below 8192"));
	ASSERT_EQ(-1, vm_parse_cpus("0-99999999999999999999", false, &c, why,
				    sizeof(why)));
	ASSERT_NE(NULL, strstr(why, "numbered below 8192"));
	ASSERT_EQ(0, vm_parse_cpus("8191", true, &c, why, sizeof(why)));
	ASSERT_STREQ("8191", list_of(&c.set));
}

TEST(cpuset_format_is_compact)
{
	struct cpuset set;
	char small[4];
	uint32_t cpu;

	cpuset_clear(&set);
	ASSERT_STREQ("", list_of(&set));
	cpuset_add(&set, 2);
	cpuset_add(&set, 3);
	ASSERT_STREQ("2-3", list_of(&set));
	cpuset_add(&set, 5);
	ASSERT_STREQ("2-3,5", list_of(&set));
	/* ranges across 64-bit words */
	for (cpu = 60; cpu < 130; cpu++)
		cpuset_add(&set, cpu);
	ASSERT_STREQ("2-3,5,60-129", list_of(&set));
	ASSERT_FALSE(cpuset_add(&set, CPUSET_MAX));
	ASSERT_TRUE(cpuset_add(&set, CPUSET_MAX - 1));
	ASSERT_STREQ("2-3,5,60-129,8191", list_of(&set));
	ASSERT_EQ(74U, cpuset_count(&set));
	/* too small a buffer: cut, NUL-terminated, full length returned */
	ASSERT_EQ(strlen("2-3,5,60-129,8191"),
		  cpuset_format(&set, small, sizeof(small)));
	ASSERT_STREQ("2-3", small);
}

TEST(cpuset_next_walks_in_order)
{
	struct cpuset set;

	cpuset_clear(&set);
	ASSERT_EQ(-1, cpuset_next(&set, 0));
	cpuset_add(&set, 0);
	cpuset_add(&set, 64);
	cpuset_add(&set, 4000);
	ASSERT_EQ(0, cpuset_next(&set, 0));
	ASSERT_EQ(64, cpuset_next(&set, 1));
	ASSERT_EQ(64, cpuset_next(&set, 64));
	ASSERT_EQ(4000, cpuset_next(&set, 65));
	ASSERT_EQ(-1, cpuset_next(&set, 4001));
	ASSERT_EQ(-1, cpuset_next(&set, CPUSET_MAX));
}

TEST(mem_size_suffixes)
{
	static const struct {
		const char *text;
		uint64_t bytes;
	} cases[] = {
		{ "2097152", 2 * MiB },
		{ "2048K", 2 * MiB },
		{ "2048k", 2 * MiB },
		{ "64M", 64 * MiB },
		{ "64m", 64 * MiB },
		{ "64MiB", 64 * MiB },
		{ "64MB", 64 * MiB },
		{ "1G", 1024 * MiB },
		{ "3g", 3072 * MiB },
		{ "1GiB", 1024 * MiB },
		{ "4096G", 4096 * 1024 * MiB },
	};
	uint64_t bytes;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bytes = 0;
		ASSERT_EQ(0, vm_parse_mem_size(cases[i].text, &bytes, why,
					       sizeof(why)))
			TH_LOG("%s: %s", cases[i].text, why);
		ASSERT_EQ(cases[i].bytes, bytes) TH_LOG("%s", cases[i].text);
	}
}

TEST(mem_size_not_a_multiple_of_the_unit)
{
	static const char *const bad[] = { "0", "0M", "1M", "3M", "1000K",
					   "2097151", "2097153", "65M" };
	uint64_t bytes;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-1, vm_parse_mem_size(bad[i], &bytes, why,
						sizeof(why)))
			TH_LOG("%s", bad[i]);
		ASSERT_NE(NULL, strstr(why, "units of 2 MiB")) TH_LOG("%s", why);
	}
	vm_parse_mem_size("3M", &bytes, why, sizeof(why));
	ASSERT_STREQ("--mem 3M: VM memory comes in units of 2 MiB; give a positive multiple of 2M",
		     why);
}

TEST(mem_size_bad_input_and_overflow)
{
	static const char *const bad[] = { "", "M", "64X", "64 M", "-64M",
					   "64MM", "64Mi", "0x40M", "1.5G",
					   "64T" };
	uint64_t bytes;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-1, vm_parse_mem_size(bad[i], &bytes, why,
						sizeof(why)))
			TH_LOG("'%s'", bad[i]);
		ASSERT_NE(NULL, strstr(why, "--mem takes a size like 64M"))
			TH_LOG("%s", why);
	}
	/* 2^64 - 1 is no multiple of 2 MiB; one more digit overflows */
	ASSERT_EQ(-1, vm_parse_mem_size("18446744073709551615", &bytes, why,
					sizeof(why)));
	ASSERT_NE(NULL, strstr(why, "units of 2 MiB"));
	ASSERT_EQ(-1, vm_parse_mem_size("184467440737095516160", &bytes, why,
					sizeof(why)));
	ASSERT_STREQ("--mem 184467440737095516160: too large", why);
	/* fits as a number, not once multiplied */
	ASSERT_EQ(-1, vm_parse_mem_size("17179869184G", &bytes, why,
					sizeof(why)));
	ASSERT_STREQ("--mem 17179869184G: too large", why);
	ASSERT_EQ(0, vm_parse_mem_size("17179869183G", &bytes, why,
				       sizeof(why)));
	ASSERT_EQ(17179869183ULL << 30, bytes);
}

TEST(names)
{
	static const char *const good[] = {
		"a", "vm1", "web-server_2.test", "0", "...",
		"abcdefghijklmnopqrstuvwxyz01234",	/* 31 */
	};
	static const char *const bad_chars[] = {
		"vm 1", "vm/1", "vm:1", "vm\n", "vmé", "vm*",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		ASSERT_EQ(0, vm_check_name(good[i], why, sizeof(why)))
			TH_LOG("name %zu: %s", i, why);
	for (i = 0; i < ARRAY_SIZE(bad_chars); i++) {
		ASSERT_EQ(-1, vm_check_name(bad_chars[i], why, sizeof(why)));
		ASSERT_NE(NULL, strstr(why, "only letters, digits, '_', '.' and '-' are allowed"));
	}
	ASSERT_EQ(-1, vm_check_name("", why, sizeof(why)));
	ASSERT_STREQ("VM name '': give 1 to 31 characters", why);
	ASSERT_EQ(-1, vm_check_name("abcdefghijklmnopqrstuvwxyz012345", why,
				    sizeof(why)));
	ASSERT_NE(NULL, strstr(why, "give 1 to 31 characters"));
}

TEST(cmdline_length)
{
	char *s = malloc(SPLITVISOR_VM_CMDLINE_MAX + 2);

	ASSERT_NE(NULL, s);
	memset(s, 'x', SPLITVISOR_VM_CMDLINE_MAX);
	s[SPLITVISOR_VM_CMDLINE_MAX] = '\0';
	ASSERT_EQ(0, vm_check_cmdline(s, why, sizeof(why)));
	ASSERT_EQ(0, vm_check_cmdline("", why, sizeof(why)));
	s[SPLITVISOR_VM_CMDLINE_MAX] = 'x';
	s[SPLITVISOR_VM_CMDLINE_MAX + 1] = '\0';
	ASSERT_EQ(-1, vm_check_cmdline(s, why, sizeof(why)));
	ASSERT_STREQ("--cmdline: 1024 bytes, more than the 1023 a guest command line may have",
		     why);
	free(s);
}

TEST_HARNESS_MAIN
