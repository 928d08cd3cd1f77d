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
	ASSERT_NE(NULL, strstr(p.err, "Commands: status, hw-check, enable, disable, stats, monitor, create, load, start, stop, destroy, list, show, console, version, help\n"));
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

TEST(create_with_a_cpu_count)
{
	struct parsed p;

	PARSE(&p, "create", "vm1", "--cpus", "2", "--mem", "64M");
	ASSERT_EQ(EXIT_OK, p.ret) TH_LOG("%s", p.err);
	ASSERT_EQ(CMD_CREATE, (int)p.cl.command);
	ASSERT_STREQ("vm1", p.cl.vm_name);
	ASSERT_EQ(VM_CPUS_COUNT, (int)p.cl.cpus.kind);
	ASSERT_EQ(2U, p.cl.cpus.count);
	ASSERT_EQ(64ULL << 20, p.cl.mem_size);
	ASSERT_EQ(NULL, p.cl.vm_cmdline);
	ASSERT_EQ(NULL, p.cl.image);
	free(p.err);
}

TEST(create_with_a_cpu_list_and_everything)
{
	struct parsed p;

	PARSE(&p, "--json", "create", "--cpus=1,3-4", "--mem=1G", "vm-2",
	      "--cmdline", "console=ttyS0 -v", "--image", "-");
	ASSERT_EQ(EXIT_OK, p.ret) TH_LOG("%s", p.err);
	ASSERT_TRUE(p.cl.json);
	ASSERT_STREQ("vm-2", p.cl.vm_name);
	ASSERT_EQ(VM_CPUS_LIST, (int)p.cl.cpus.kind);
	ASSERT_EQ(3U, cpuset_count(&p.cl.cpus.set));
	ASSERT_TRUE(cpuset_has(&p.cl.cpus.set, 4));
	ASSERT_EQ(1ULL << 30, p.cl.mem_size);
	ASSERT_STREQ("console=ttyS0 -v", p.cl.vm_cmdline);
	ASSERT_STREQ("-", p.cl.image);
	free(p.err);

	PARSE(&p, "create", "vm1", "--cpu-list", "3", "--mem", "2M");
	ASSERT_EQ(EXIT_OK, p.ret) TH_LOG("%s", p.err);
	ASSERT_EQ(VM_CPUS_LIST, (int)p.cl.cpus.kind);
	ASSERT_EQ(1U, cpuset_count(&p.cl.cpus.set));
	ASSERT_TRUE(cpuset_has(&p.cl.cpus.set, 3));
	free(p.err);
}

TEST(create_usage_errors)
{
	static const struct {
		const char *args[8];
		const char *message;
	} cases[] = {
		{ { "create", "--cpus", "2", "--mem", "64M" },
		  "create needs a VM name" },
		{ { "create", "vm1", "--mem", "64M" },
		  "create needs --cpus N or --cpus LIST" },
		{ { "create", "vm1", "--cpus", "2" },
		  "create needs --mem SIZE" },
		{ { "create", "vm1", "--cpus", "2", "--mem", "3M" },
		  "units of 2 MiB" },
		{ { "create", "vm1", "--cpus", "1,1", "--mem", "64M" },
		  "CPU 1 is named twice" },
		{ { "create", "vm1", "--cpus", "2", "--cpu-list", "3" },
		  "give the CPUs once" },
		{ { "create", "vm 1", "--cpus", "2", "--mem", "64M" },
		  "VM name 'vm 1': only letters" },
		{ { "create", "vm1", "--cpus", "2", "--mem", "64M", "extra" },
		  "unexpected argument 'extra'" },
		{ { "create", "vm1", "--cpus", "2", "--mem" },
		  "--mem needs a value" },
	};
	char *argv[16];
	struct parsed p;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (n = 0; cases[i].args[n]; n++)
			argv[n] = (char *)cases[i].args[n];
		argv[n] = NULL;
		parse(&p, (const char *const *)argv);
		ASSERT_EQ(EXIT_USAGE, p.ret) TH_LOG("case %zu", i);
		ASSERT_NE(NULL, strstr(p.err, cases[i].message))
			TH_LOG("case %zu: %s", i, p.err);
		free(p.err);
	}
}

TEST(vm_commands_take_a_name)
{
	static const struct {
		const char *name;
		enum vmctl_command cmd;
	} cases[] = {
		{ "start", CMD_START },
		{ "stop", CMD_STOP },
		{ "destroy", CMD_DESTROY },
		{ "show", CMD_SHOW },
		{ "console", CMD_CONSOLE },
	};
	struct parsed p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		PARSE(&p, cases[i].name, "vm1");
		ASSERT_EQ(EXIT_OK, p.ret) TH_LOG("%s", cases[i].name);
		ASSERT_EQ(cases[i].cmd, p.cl.command);
		ASSERT_STREQ("vm1", p.cl.vm_name);
		ASSERT_STREQ(cases[i].name, command_name(cases[i].cmd));
		free(p.err);

		PARSE(&p, cases[i].name);
		ASSERT_EQ(EXIT_USAGE, p.ret);
		ASSERT_NE(NULL, strstr(p.err, "needs a VM name"));
		free(p.err);

		PARSE(&p, cases[i].name, "vm1", "vm2");
		ASSERT_EQ(EXIT_USAGE, p.ret);
		ASSERT_NE(NULL, strstr(p.err, "unexpected argument 'vm2'"));
		free(p.err);
	}
	/* a name like an option, after -- */
	PARSE(&p, "show", "--", "-vm");
	ASSERT_EQ(EXIT_OK, p.ret) TH_LOG("%s", p.err);
	ASSERT_STREQ("-vm", p.cl.vm_name);
	free(p.err);
}

TEST(load_takes_a_name_and_a_file)
{
	struct parsed p;

	PARSE(&p, "load", "vm1", "guest.bin", "--cmdline", "quiet");
	ASSERT_EQ(EXIT_OK, p.ret) TH_LOG("%s", p.err);
	ASSERT_EQ(CMD_LOAD, (int)p.cl.command);
	ASSERT_STREQ("vm1", p.cl.vm_name);
	ASSERT_STREQ("guest.bin", p.cl.file);
	ASSERT_STREQ("quiet", p.cl.vm_cmdline);
	free(p.err);

	PARSE(&p, "load", "vm1", "-");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_STREQ("-", p.cl.file);
	free(p.err);

	PARSE(&p, "load", "vm1");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "load needs a VM name and a file"));
	free(p.err);

	PARSE(&p, "load", "vm1", "f", "--image", "g");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "--image applies to create only"));
	free(p.err);
}

TEST(list_console_and_monitor_options)
{
	struct parsed p;

	PARSE(&p, "list", "--json");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_LIST, (int)p.cl.command);
	ASSERT_TRUE(p.cl.json);
	free(p.err);

	PARSE(&p, "console", "vm1", "-f");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_TRUE(p.cl.follow);
	free(p.err);

	PARSE(&p, "console", "vm1", "--json");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "--json does not apply"));
	free(p.err);

	PARSE(&p, "show", "vm1", "--follow");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "--follow applies to console only"));
	free(p.err);

	PARSE(&p, "monitor", "--count", "3", "--json");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(3U, p.cl.count);
	free(p.err);

	PARSE(&p, "-n", "1", "monitor");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(1U, p.cl.count);
	free(p.err);

	PARSE(&p, "monitor", "--count", "0");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "--count takes a number of events from 1, not '0'"));
	free(p.err);

	PARSE(&p, "status", "--cpus", "2");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "--cpus/--cpu-list applies to create only"));
	free(p.err);

	PARSE(&p, "start", "vm1", "--cmdline", "x");
	ASSERT_EQ(EXIT_USAGE, p.ret);
	ASSERT_NE(NULL, strstr(p.err, "--cmdline applies to create and load only"));
	free(p.err);
}

TEST(vm_command_help)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	struct parsed p;

	print_help(f, CMD_CREATE);
	fclose(f);
	ASSERT_EQ(out, strstr(out, "Usage: vmctl [--json] create NAME --cpus N|LIST --mem SIZE\n"));
	ASSERT_NE(NULL, strstr(out, "a value with ',' or '-' is a list"));
	ASSERT_NE(NULL, strstr(out, "--cpu-list 3 is CPU 3"));
	ASSERT_NE(NULL, strstr(out, "at most 1023 bytes"));
	ASSERT_NE(NULL, strstr(out, "NAME is 1 to 31 characters"));
	free(out);

	out = NULL;
	f = open_memstream(&out, &len);
	print_help(f, CMD_SHOW);
	fclose(f);
	ASSERT_NE(NULL, strstr(out, "\"crash_exit_name\",\"crash_rip\",\"crash_addr\",\"exits_total\""));
	free(out);

	/* --help after a VM command needs no name or options */
	PARSE(&p, "create", "--help");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_HELP, (int)p.cl.command);
	ASSERT_EQ(CMD_CREATE, (int)p.cl.help_topic);
	free(p.err);

	PARSE(&p, "help", "console");
	ASSERT_EQ(EXIT_OK, p.ret);
	ASSERT_EQ(CMD_CONSOLE, (int)p.cl.help_topic);
	free(p.err);
}

TEST_HARNESS_MAIN
