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
	ASSERT_NE(NULL, strstr(p.err, "Commands: status, hw-check, enable, disable, stats, monitor, version, help\n"));
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

TEST(switch_and_monitor_commands)
{
	static const struct {
		const char *name;
		enum vmctl_command cmd;
	} cases[] = {
		{ "enable", CMD_ENABLE },
		{ "disable", CMD_DISABLE },
		{ "stats", CMD_STATS },
		{ "monitor", CMD_MONITOR },
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		PARSE(&p, cases[i].name, "--json");
		ASSERT_EQ(EXIT_OK, p.ret) TH_LOG("%s", cases[i].name);
		ASSERT_EQ(cases[i].cmd, p.cl.command);
		ASSERT_TRUE(p.cl.json);
		ASSERT_FALSE(p.cl.watch);
		ASSERT_STREQ(cases[i].name, command_name(cases[i].cmd));
		free(p.err);
	}
}

TEST(stats_watch_defaults_to_one_second)
{
	struct parsed p;

	PARSE(&p, "stats", "--watch");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_STATS, (int)p.cl.command);
	ASSERT_TRUE(p.cl.watch);
	ASSERT_EQ(1000U, p.cl.watch_ms);
	free(p.err);

	/* the word after --watch is a command, not seconds */
	PARSE(&p, "--watch", "stats", "--json");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_STATS, (int)p.cl.command);
	ASSERT_EQ(1000U, p.cl.watch_ms);
	ASSERT_TRUE(p.cl.json);
	free(p.err);
}

TEST(stats_watch_takes_seconds)
{
	struct parsed p;

	PARSE(&p, "stats", "--watch", "5");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_TRUE(p.cl.watch);
	ASSERT_EQ(5000U, p.cl.watch_ms);
	free(p.err);

	PARSE(&p, "stats", "-w", "0.25");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(250U, p.cl.watch_ms);
	free(p.err);

	PARSE(&p, "--watch=.5", "stats");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(500U, p.cl.watch_ms);
	free(p.err);

	PARSE(&p, "stats", "--watch", "86400");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(86400000U, p.cl.watch_ms);
	free(p.err);
}

TEST(stats_watch_rejects_bad_seconds)
{
	static const char *const bad[] = {
		"0", "0.05", "86401", "1x", "1e9", "nan", "",
	};
	struct parsed p;
	char arg[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(arg, sizeof(arg), "--watch=%s", bad[i]);
		PARSE(&p, "stats", arg);
		ASSERT_EQ(EXIT_USAGE, p.ret) TH_LOG("'%s'", bad[i]);
		ASSERT_NE(NULL, strstr(p.err, "--watch takes seconds"));
		free(p.err);
	}
	/* a number after --watch is taken as its seconds, and checked */
	PARSE(&p, "stats", "--watch", "0");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	free(p.err);
}

TEST(watch_on_another_command_is_usage_error)
{
	struct parsed p;

	PARSE(&p, "status", "--watch");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "--watch applies to stats only"));
	free(p.err);

	PARSE(&p, "stats", "--watch", "--help");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HELP, (int)p.cl.command);
	ASSERT_EQ(CMD_STATS, (int)p.cl.help_topic);
	free(p.err);
}

TEST(stats_help_documents_watch_and_json)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	print_help(f, CMD_STATS);
	fclose(f);
	ASSERT_EQ(0, strncmp(out, "Usage: vmctl [--json] stats [--watch [SECS]]\n",
			     strlen("Usage: vmctl [--json] stats [--watch [SECS]]\n")));
	ASSERT_NE(NULL, strstr(out, "\"by_reason\""));
	ASSERT_NE(NULL, strstr(out, "\"unmapped_accesses\",\"nmis\",\"nmis_in_hypervisor\",\n"));
	ASSERT_NE(NULL, strstr(out, "\"nmis-in-hv\""));
	ASSERT_NE(NULL, strstr(out, "until interrupted"));
	free(out);
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
	ASSERT_NE(NULL, strstr(out, "--watch"));
	ASSERT_NE(NULL, strstr(out, "hw-check"));
	ASSERT_NE(NULL, strstr(out, "\n  enable     switch the hypervisor on\n"));
	ASSERT_NE(NULL, strstr(out, "\n  disable    "));
	ASSERT_NE(NULL, strstr(out, "\n  stats      "));
	ASSERT_NE(NULL, strstr(out, "\n  monitor    "));
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
