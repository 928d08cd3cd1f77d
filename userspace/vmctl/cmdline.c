// SPDX-License-Identifier: GPL-2.0
/*
 * Options may come before or after the command, as with ip(8), so a user
 * can append --json or --help to a command already typed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
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
	{ CMD_ENABLE, "enable",
	  "switch the hypervisor on",
	  "Usage: vmctl [--json] enable\n"
	  "\n"
	  "Switch the hypervisor on: every online CPU, and CPUs onlined later,\n"
	  "moves under splitvisor. Does nothing when it is on already. Prints\n"
	  "the resulting state, e.g. \"hypervisor: on (4 CPUs)\". When the module\n"
	  "refuses, prints its reason and exits 1.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n" },
	{ CMD_DISABLE, "disable",
	  "switch the hypervisor off",
	  "Usage: vmctl [--json] disable\n"
	  "\n"
	  "Switch the hypervisor off and hand every CPU back to bare Linux.\n"
	  "Does nothing when it is off already. Prints the resulting state,\n"
	  "\"hypervisor: off\". When the module refuses, prints its reason and\n"
	  "exits 1.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n" },
	{ CMD_STATS, "stats",
	  "VM exits of every CPU, by exit reason",
	  "Usage: vmctl [--json] stats [--watch [SECS]]\n"
	  "\n"
	  "Print the VM exit counters of every CPU since the hypervisor was\n"
	  "last switched on: one row per CPU with whether it is virtualized,\n"
	  "its total and one column per exit reason seen. Columns \"hidden\"\n"
	  "and \"unmapped\" appear when Linux touched memory splitvisor keeps\n"
	  "for itself, or memory no map covers. Columns \"nmis\" and\n"
	  "\"nmis-in-hv\" appear once Linux got NMIs: how many splitvisor\n"
	  "handed on, and how many of those arrived while splitvisor itself\n"
	  "ran and were held for Linux.\n"
	  "\n"
	  "  -w, --watch [SECS]  after the counters, print per-second rates over\n"
	  "                      every SECS seconds (default 1) until interrupted\n"
	  "\n"
	  "With --json, one line: {\"hypervisor\",\"cpus_virtualized\",\"exits\",\n"
	  "\"cpus\":[{\"cpu\",\"virtualized\",\"exits\",\"hidden_accesses\",\n"
	  "\"unmapped_accesses\",\"nmis\",\"nmis_in_hypervisor\",\n"
	  "\"by_reason\":{NAME:COUNT}}]}; with --watch, one such line per sample,\n"
	  "the later ones holding rates and \"interval_ms\".\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n" },
	{ CMD_MONITOR, "monitor",
	  "print the hypervisor's state whenever it changes",
	  "Usage: vmctl [--json] monitor\n"
	  "\n"
	  "Listen for the module's state notifications and print one line per\n"
	  "change, e.g. \"hypervisor: on (4 CPUs)\", until interrupted (Ctrl-C).\n"
	  "Once listening, says so on stderr: changes from then on are seen.\n"
	  "With --json, one object per line: {\"hypervisor\",\"cpus_virtualized\"}.\n"
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
	"       vmctl [--json] stats [--watch [SECS]]\n"
	"       vmctl help [COMMAND]\n";

void print_usage(FILE *out)
{
	size_t i;

	fputs(usage_lines, out);
	fputs("Commands:", out);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "%s %s", i ? "," : "", commands[i].name);
	fputc('\n', out);
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
	      "  -j, --json          print JSON: one line per report or event\n"
	      "  -w, --watch [SECS]  stats: rates every SECS seconds (default 1)\n"
	      "  -h, --help          print help (of COMMAND, if given) and exit\n"
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

/* SECS of --watch: a number of seconds, fractions allowed. */
static int parse_watch_seconds(const char *text, uint32_t *ms)
{
	double seconds;
	char *end;

	errno = 0;
	seconds = strtod(text, &end);
	/* Written so that NaN fails the range check too. */
	if (errno || end == text || *end ||
	    !(seconds * 1000 >= WATCH_MIN_MS && seconds * 1000 <= WATCH_MAX_MS))
		return -1;
	*ms = (uint32_t)(seconds * 1000 + 0.5);
	return 0;
}

/* `--watch 2` takes the 2; `--watch status` leaves the word alone. */
static bool looks_like_seconds(const char *arg)
{
	return isdigit((unsigned char)arg[0]) ||
	       (arg[0] == '.' && isdigit((unsigned char)arg[1]));
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
		const char *secs = NULL;

		if (!strcmp(arg, "--json") || !strcmp(arg, "-j")) {
			cl->json = true;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			cl->help = true;
		} else if (!strcmp(arg, "--watch") || !strcmp(arg, "-w") ||
			   !strncmp(arg, "--watch=", strlen("--watch="))) {
			cl->watch = true;
			cl->watch_ms = WATCH_DEFAULT_MS;
			if (arg[strlen("--watch")] == '=')
				secs = arg + strlen("--watch=");
			else if (i + 1 < argc && looks_like_seconds(argv[i + 1]))
				secs = argv[++i];
			if (secs && parse_watch_seconds(secs, &cl->watch_ms))
				return usage_error(err,
						   "--watch takes seconds from 0.1 to 86400, not '%s'",
						   secs);
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
	if (cl->watch && cl->command != CMD_STATS && cl->command != CMD_HELP)
		return usage_error(err, "--watch applies to stats only");
	return EXIT_OK;
}
