// SPDX-License-Identifier: GPL-2.0
/*
 * Options may come before or after the command, as with ip(8), so a user
 * can append --json or --help to a command already typed.
 */
#include <stdarg.h>
#include <string.h>

#include "cmdline.h"

struct command_info {
	enum vmctl_command cmd;
	const char *name;
	const char *summary;
	const char *help;
};

static const struct command_info commands[] = {
	{ CMD_STATUS, "status",
	  "module and API versions, hypervisor state, hardware verdict",
	  "Usage: vmctl [--json] status\n"
	  "\n"
	  "Show the version of the loaded splitvisor module, the API versions\n"
	  "of the module and of vmctl, whether the hypervisor is on, and\n"
	  "whether the hardware can run it (see `vmctl hw-check` for why).\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n" },
	{ CMD_HW_CHECK, "hw-check",
	  "explain, feature by feature, whether this machine can run splitvisor",
	  "Usage: vmctl [--json] hw-check\n"
	  "\n"
	  "Print the CPU the module checked and one line per VMX feature:\n"
	  "its state (ok, MISSING, unknown), whether splitvisor requires it,\n"
	  "its name and what it means. The last line is the verdict.\n"
	  "Exits 3 when a required feature is missing.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n" },
	{ CMD_VERSION, "version",
	  "versions of vmctl and of the loaded module",
	  "Usage: vmctl [--json] version\n"
	  "\n"
	  "Print the version and API version of vmctl and, when the module is\n"
	  "loaded, of the module. Succeeds without the module.\n" },
	{ CMD_HELP, "help",
	  "general help, or help on COMMAND",
	  "Usage: vmctl help [COMMAND]\n" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_COMMANDS	ARRAY_SIZE(commands)

static const struct command_info *command_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static const struct command_info *command_info(enum vmctl_command cmd)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (commands[i].cmd == cmd)
			return &commands[i];
	return NULL;
}

const char *command_name(enum vmctl_command cmd)
{
	const struct command_info *info = command_info(cmd);

	return info ? info->name : "";
}

static const char usage_lines[] =
	"Usage: vmctl [--json] COMMAND [--json] [--help]\n"
	"       vmctl help [COMMAND]\n";

void print_usage(FILE *out)
{
	fputs(usage_lines, out);
	fputs("Commands: status, hw-check, version, help\n", out);
}

void print_help(FILE *out, enum vmctl_command cmd)
{
	const struct command_info *info = command_info(cmd);
	size_t i;

	if (info && cmd != CMD_HELP) {
		fputs(info->help, out);
		return;
	}
	fputs("vmctl: control the splitvisor hypervisor\n\n", out);
	fputs(usage_lines, out);
	fputs("\nCommands:\n", out);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nOptions:\n"
	      "  -j, --json  print one line of JSON (status, hw-check, version)\n"
	      "  -h, --help  print help (of COMMAND, if given) and exit\n"
	      "\nExit status:\n"
	      "  0  success\n"
	      "  1  error: module not loaded, permission denied, kernel error\n"
	      "  2  usage error\n"
	      "  3  hw-check: this hardware cannot run splitvisor\n", out);
}

static int __attribute__((format(printf, 2, 3)))
usage_error(FILE *err, const char *fmt, ...)
{
	va_list ap;

	fputs("vmctl: ", err);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	print_usage(err);
	return EXIT_USAGE;
}

int cmdline_parse(int argc, char *const argv[], struct cmdline *cl,
		  FILE *err)
{
	const struct command_info *info;
	const char *topic = NULL;
	int i;

	memset(cl, 0, sizeof(*cl));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--json") || !strcmp(arg, "-j")) {
			cl->json = true;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			cl->help = true;
		} else if (arg[0] == '-' && arg[1]) {
			return usage_error(err, "unknown option '%s'", arg);
		} else if (cl->command == CMD_NONE) {
			info = command_lookup(arg);
			if (!info)
				return usage_error(err,
						   "unknown command '%s'", arg);
			cl->command = info->cmd;
		} else if (cl->command == CMD_HELP && !topic) {
			topic = arg;
		} else {
			return usage_error(err, "unexpected argument '%s'",
					   arg);
		}
	}

	if (topic) {
		info = command_lookup(topic);
		if (!info)
			return usage_error(err, "no help on unknown command '%s'",
					   topic);
		cl->help_topic = info->cmd;
	}
	/* `vmctl --help` and `vmctl CMD --help` both become help requests. */
	if (cl->help) {
		cl->help_topic = cl->command == CMD_HELP ? cl->help_topic :
							   cl->command;
		cl->command = CMD_HELP;
	}
	if (cl->command == CMD_NONE)
		return usage_error(err, "no command given");
	return EXIT_OK;
}
