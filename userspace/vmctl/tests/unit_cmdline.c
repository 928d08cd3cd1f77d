// SPDX-License-Identifier: GPL-2.0
/* Command-line parsing: commands, options on either side, help, errors. */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "cmdline.h"

struct parsed {
	int ret;
	struct cmdline cl;
	char *err;
	size_t err_len;
};

/* argv from a NULL-terminated list; stderr captured in p->err. */
static void parse(struct parsed *p, const char *const *args)
{
	char *argv[16] = { "vmctl" };
	int argc = 1;
	FILE *err;

	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	p->err = NULL;
	err = open_memstream(&p->err, &p->err_len);
	p->ret = cmdline_parse(argc, argv, &p->cl, err);
	fclose(err);
}

#define PARSE(p, ...) parse(p, (const char *const[]){ __VA_ARGS__, NULL })

TEST(status_plain)
{
	struct parsed p;

	PARSE(&p, "status");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_STATUS, (int)p.cl.command);
	ASSERT_FALSE(p.cl.json);
	ASSERT_STREQ("", p.err);
	free(p.err);
}

TEST(json_before_command)
{
	struct parsed p;

	PARSE(&p, "--json", "hw-check");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HW_CHECK, (int)p.cl.command);
	ASSERT_TRUE(p.cl.json);
	free(p.err);
}

TEST(json_after_command)
{
	struct parsed p;

	PARSE(&p, "version", "--json");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_VERSION, (int)p.cl.command);
	ASSERT_TRUE(p.cl.json);
	free(p.err);
}

TEST(unknown_command_is_usage_error)
{
	struct parsed p;

	PARSE(&p, "no-such-command");
	ASSERT_EQ(2, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "unknown command 'no-such-command'"));
	ASSERT_NE(NULL, strstr(p.err, "Usage: vmctl"));
	free(p.err);
}

TEST(unknown_option_is_usage_error)
{
	struct parsed p;

	PARSE(&p, "status", "--frobnicate");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "unknown option '--frobnicate'"));
	ASSERT_NE(NULL, strstr(p.err, "Usage: vmctl"));
	free(p.err);
}

TEST(no_command_is_usage_error)
{
	struct parsed p;

	PARSE(&p, "--json");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "Usage: vmctl"));
	free(p.err);
}

TEST(extra_argument_is_usage_error)
{
	struct parsed p;

	PARSE(&p, "status", "now");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "'now'"));
	free(p.err);
}

TEST(help_command_with_topic)
{
	struct parsed p;

	PARSE(&p, "help", "hw-check");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HELP, (int)p.cl.command);
	ASSERT_EQ(CMD_HW_CHECK, (int)p.cl.help_topic);
	free(p.err);
}

TEST(help_command_without_topic)
{
	struct parsed p;

	PARSE(&p, "help");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HELP, (int)p.cl.command);
	ASSERT_EQ(CMD_NONE, (int)p.cl.help_topic);
	free(p.err);
}

TEST(help_on_unknown_command_is_usage_error)
{
	struct parsed p;

	PARSE(&p, "help", "reboot");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "reboot"));
	free(p.err);
}

TEST(help_with_two_topics_is_usage_error)
{
	struct parsed p;

	PARSE(&p, "help", "status", "version");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	free(p.err);
}

TEST(command_dash_dash_help)
{
	struct parsed p;

	PARSE(&p, "status", "--help");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HELP, (int)p.cl.command);
	ASSERT_EQ(CMD_STATUS, (int)p.cl.help_topic);
	free(p.err);

	PARSE(&p, "-h", "version");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HELP, (int)p.cl.command);
	ASSERT_EQ(CMD_VERSION, (int)p.cl.help_topic);
	free(p.err);
}

TEST(general_dash_dash_help)
{
	struct parsed p;

	PARSE(&p, "--help");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HELP, (int)p.cl.command);
	ASSERT_EQ(CMD_NONE, (int)p.cl.help_topic);
	free(p.err);
}

TEST(general_help_documents_exit_codes)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	print_help(f, CMD_NONE);
	fclose(f);
	ASSERT_NE(NULL, strstr(out, "Exit status:"));
	ASSERT_NE(NULL, strstr(out, "  3  hw-check"));
	ASSERT_NE(NULL, strstr(out, "  2  usage error"));
	ASSERT_NE(NULL, strstr(out, "--json"));
	ASSERT_NE(NULL, strstr(out, "hw-check"));
	free(out);
}

TEST(command_help_names_the_command)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	print_help(f, CMD_HW_CHECK);
	fclose(f);
	ASSERT_EQ(0, strncmp(out, "Usage: vmctl [--json] hw-check\n", 31));
	ASSERT_EQ(NULL, strstr(out, "Exit status:"));
	free(out);
	ASSERT_STREQ("hw-check", command_name(CMD_HW_CHECK));
}

TEST_HARNESS_MAIN
