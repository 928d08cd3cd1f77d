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

#include <splitvisor.h>

#include "cmdline.h"

#define STR(x)		STR_(x)
#define STR_(x)		#x

struct command_info {
	enum vmctl_command cmd;
	const char *name;
	const char *summary;
	const char *help;
	unsigned int min_args;		/* positional arguments */
	unsigned int max_args;
};

#define NAME_RULE \
	"NAME is 1 to " STR(SPLITVISOR_VM_NAME_MAX) " characters of A-Z a-z 0-9 _ . -\n"
#define VM_JSON_KEYS \
	"{\"name\",\"state\",\"cpus\":[N,..],\"mem_size\",\"cmdline\",\"entry\",\n" \
	"\"image_size\",\"exit_status\",\"crash\",\"crash_text\",\"crash_exit_reason\",\n" \
	"\"crash_exit_name\",\"crash_rip\",\"crash_addr\",\"exits_total\",\n" \
	"\"exits\":{NAME:COUNT},\"io_ignored\",\"msr_gp\",\"ipis_dropped\",\"root_irqs_dropped\",\"console_bytes\"}"

static const struct command_info commands[] = {
	{ CMD_STATUS, "status",
	  "module and API versions, hypervisor state, hardware verdict",
	  "Usage: vmctl [--json] status\n"
	  "\n"
	  "Show the version of the loaded splitvisor module, the API versions\n"
	  "of the module and of vmctl, whether the hypervisor is on, and\n"
	  "whether the hardware can run it (see `vmctl hw-check` for why).\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  0, 0 },
	{ CMD_HW_CHECK, "hw-check",
	  "explain, feature by feature, whether this machine can run splitvisor",
	  "Usage: vmctl [--json] hw-check\n"
	  "\n"
	  "Print the CPU the module checked and one line per VMX feature:\n"
	  "its state (ok, MISSING, unknown), whether splitvisor requires it,\n"
	  "its name and what it means. The last line is the verdict.\n"
	  "Exits 3 when a required feature is missing.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  0, 0 },
	{ CMD_ENABLE, "enable",
	  "switch the hypervisor on",
	  "Usage: vmctl [--json] enable\n"
	  "\n"
	  "Switch the hypervisor on: every online CPU, and CPUs onlined later,\n"
	  "moves under splitvisor. Does nothing when it is on already. Prints\n"
	  "the resulting state, e.g. \"hypervisor: on (4 CPUs)\". When the module\n"
	  "refuses, prints its reason and exits 1.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  0, 0 },
	{ CMD_DISABLE, "disable",
	  "switch the hypervisor off",
	  "Usage: vmctl [--json] disable\n"
	  "\n"
	  "Switch the hypervisor off and hand every CPU back to bare Linux.\n"
	  "Does nothing when it is off already. Prints the resulting state,\n"
	  "\"hypervisor: off\". When the module refuses, prints its reason and\n"
	  "exits 1.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  0, 0 },
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
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  0, 0 },
	{ CMD_MONITOR, "monitor",
	  "print the hypervisor's and the VMs' state whenever it changes",
	  "Usage: vmctl [--json] monitor [--count N]\n"
	  "\n"
	  "Listen for the module's state notifications and print one line per\n"
	  "change until interrupted (Ctrl-C): of the hypervisor,\n"
	  "\"hypervisor: on (4 CPUs)\" or \"hypervisor: off\"; of a VM,\n"
	  "\"vm NAME STATE\", with \" status N\" when its guest exited and\n"
	  "\" crash KIND: TEXT\" when it crashed. STATE is one of empty, loaded,\n"
	  "running, stopped, exited, crashed, destroyed.\n"
	  "Once listening, says so on stderr: changes from then on are seen.\n"
	  "\n"
	  "  -n, --count N  exit after N events\n"
	  "\n"
	  "With --json, one object per line: {\"hypervisor\",\"cpus_virtualized\"}\n"
	  "for the hypervisor; for a VM, the object of `vmctl show --json` with\n"
	  "what the event carried: {\"name\",\"state\"[,\"exit_status\"][,\"crash\",\n"
	  "\"crash_text\",...]}.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  0, 0 },
	{ CMD_CREATE, "create",
	  "create a VM: its CPUs and memory leave Linux",
	  "Usage: vmctl [--json] create NAME --cpus N|LIST --mem SIZE\n"
	  "                    [--cmdline STR] [--image FILE]\n"
	  "\n"
	  "Create VM NAME: its CPUs leave Linux to run the VM only, and SIZE\n"
	  "bytes of memory are taken from Linux. The VM starts out empty: load\n"
	  "an image (--image, or `vmctl load`), then `vmctl start` it. Prints the\n"
	  "VM as `vmctl show` does.\n"
	  "\n"
	  "  --cpus N          N CPUs, chosen by the module\n"
	  "  --cpus LIST       these CPUs: a value with ',' or '-' is a list of\n"
	  "                    Linux's CPU numbers, e.g. 2,3 or 1-3 or 1,3-4\n"
	  "  --cpu-list LIST   these CPUs, one too: --cpu-list 3 is CPU 3\n"
	  "  --mem SIZE        memory in bytes, or with a binary suffix K, M or\n"
	  "                    G: a multiple of 2M, e.g. 64M or 1G\n"
	  "  --cmdline STR     the guest's command line, at most " STR(SPLITVISOR_VM_CMDLINE_MAX) " bytes\n"
	  "  --image FILE      then load FILE ('-': standard input) as `vmctl\n"
	  "                    load` does; if that fails the VM is destroyed\n"
	  "                    again: no VM is left behind\n"
	  "\n"
	  NAME_RULE
	  "Needs CAP_NET_ADMIN, and root for --image.\n",
	  1, 1 },
	{ CMD_LOAD, "load",
	  "load a guest image into a VM",
	  "Usage: vmctl [--json] load NAME FILE [--cmdline STR]\n"
	  "\n"
	  "Load the guest image FILE ('-': standard input) into VM NAME: vmctl\n"
	  "hands it to the module through " SPLITVISOR_DEVICE_PATH ", which checks\n"
	  "and loads it; images over 64 MiB are refused. --cmdline replaces the\n"
	  "guest command line given at creation. Prints nothing; with --json,\n"
	  "the VM as `vmctl show --json` prints it, if the module sent it.\n"
	  "Needs root (the device is root's only).\n",
	  2, 2 },
	{ CMD_START, "start",
	  "start a loaded VM",
	  "Usage: vmctl [--json] start NAME\n"
	  "\n"
	  "Start VM NAME, whose image is loaded. Prints nothing; with --json,\n"
	  "the VM as `vmctl show --json` prints it.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  1, 1 },
	{ CMD_STOP, "stop",
	  "stop a running VM, whatever its guest does",
	  "Usage: vmctl [--json] stop NAME\n"
	  "\n"
	  "Stop VM NAME at once, whatever its guest is doing. Its CPUs and\n"
	  "memory stay with it until `vmctl destroy`. Prints nothing; with\n"
	  "--json, the VM as `vmctl show --json` prints it.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  1, 1 },
	{ CMD_DESTROY, "destroy",
	  "destroy a VM: its CPUs and memory go back to Linux",
	  "Usage: vmctl destroy NAME\n"
	  "\n"
	  "Destroy VM NAME, stopping it first: its CPUs and memory go back to\n"
	  "Linux. Prints nothing.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  1, 1 },
	{ CMD_LIST, "list",
	  "one line per VM",
	  "Usage: vmctl [--json] list\n"
	  "\n"
	  "Print a header and one line per VM: its name, state, CPUs, memory\n"
	  "and VM exits, e.g.\n"
	  "\n"
	  "  NAME  STATE    CPUS  MEM  EXITS\n"
	  "  vm1   running  2-3   64M   1234\n"
	  "\n"
	  "With --json, one line: an array of the objects of `vmctl show --json`.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  0, 0 },
	{ CMD_SHOW, "show",
	  "everything about one VM",
	  "Usage: vmctl [--json] show NAME\n"
	  "\n"
	  "Print what the module reports of VM NAME: state (empty, loaded,\n"
	  "running, stopped, exited, crashed), CPUs, memory, command line,\n"
	  "image size and entry, the exit status of a guest that exited, why a\n"
	  "VM crashed (triple-fault, memory, unhandled-exit, entry-failed, in\n"
	  "words, the exit reason, RIP and address), VM exits by reason, ignored\n"
	  "I/O, MSR accesses answered with #GP, dropped IPIs and console bytes.\n"
	  "\n"
	  "With --json, one line:\n"
	  VM_JSON_KEYS "\n"
	  "leaving out what the module did not report; entry, crash_rip and\n"
	  "crash_addr are \"0x...\" strings.\n"
	  "Needs CAP_NET_ADMIN (run as root or with sudo).\n",
	  1, 1 },
	{ CMD_CONSOLE, "console",
	  "print a VM's console output",
	  "Usage: vmctl console NAME [-f]\n"
	  "\n"
	  "Print the console output (serial port) of VM NAME that the module\n"
	  "keeps, its last 64 KiB at most, and exit.\n"
	  "\n"
	  "  -f, --follow  then print what comes until interrupted (Ctrl-C) or\n"
	  "                until the VM is destroyed, which ends it successfully\n"
	  "                after \"vmctl: vm NAME destroyed\" on stderr\n"
	  "\n"
	  "Needs root (the device is root's only).\n",
	  1, 1 },
	{ CMD_VERSION, "version",
	  "versions of vmctl and of the loaded module",
	  "Usage: vmctl [--json] version\n"
	  "\n"
	  "Print the version and API version of vmctl and, when the module is\n"
	  "loaded, of the module. Succeeds without the module.\n",
	  0, 0 },
	{ CMD_HELP, "help",
	  "general help, or help on COMMAND",
	  "Usage: vmctl help [COMMAND]\n",
	  0, 1 },
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
	"       vmctl [--json] monitor [--count N]\n"
	"       vmctl [--json] create NAME --cpus N|LIST --mem SIZE [--cmdline STR] [--image FILE]\n"
	"       vmctl [--json] load NAME FILE|- [--cmdline STR]\n"
	"       vmctl [--json] start|stop|destroy|show NAME\n"
	"       vmctl [--json] list\n"
	"       vmctl console NAME [-f]\n"
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
	      "  -n, --count N       monitor: exit after N events\n"
	      "  --cpus N|LIST       create: N CPUs, or a list such as 2,3 or 1-3\n"
	      "                      (a value with ',' or '-' is a list)\n"
	      "  --cpu-list LIST     create: these CPUs; --cpu-list 3 is CPU 3\n"
	      "  --mem SIZE          create: memory, e.g. 64M or 1G (multiple of 2M)\n"
	      "  --cmdline STR       create, load: the guest's command line\n"
	      "  --image FILE        create: then load FILE as `vmctl load` does\n"
	      "  -f, --follow        console: keep printing new output\n"
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

/*
 * Options that take a value: "--mem 64M", "--mem=64M", "-n 3". Returns
 * true when @arg is option @name (or @short_name), with its value in
 * *@value, NULL when there is none.
 */
static bool value_option(int argc, char *const argv[], int *i,
			 const char *name, const char *short_name,
			 const char **value)
{
	const char *arg = argv[*i];
	size_t len = strlen(name);

	if (!strncmp(arg, name, len) && arg[len] == '=') {
		*value = arg + len + 1;
		return true;
	}
	if (strcmp(arg, name) && (!short_name || strcmp(arg, short_name)))
		return false;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

/* --count: events, from 1 on. */
static int parse_count(const char *text, uint32_t *count)
{
	unsigned long value;
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || *end || value == 0 || value > UINT32_MAX)
		return -1;
	*count = value;
	return 0;
}

/* Which commands an option applies to, for the error when it does not. */
struct option_scope {
	bool given;
	const char *option;
	enum vmctl_command cmds[2];
	const char *which;
};

static int check_scope(const struct cmdline *cl,
		       const struct option_scope *scope, FILE *err)
{
	if (!scope->given || cl->command == CMD_HELP ||
	    cl->command == scope->cmds[0] || cl->command == scope->cmds[1])
		return EXIT_OK;
	return usage_error(err, "%s applies to %s only", scope->option,
			   scope->which);
}

/* An option's value, checked; EXIT_OK or a usage error. */
static int take_option(struct cmdline *cl, const char *option,
		       const char *value, FILE *err)
{
	char why[160];

	if (!value)
		return usage_error(err, "%s needs a value", option);
	if (!strcmp(option, "--cpus") || !strcmp(option, "--cpu-list")) {
		if (cl->cpus.kind != VM_CPUS_NONE)
			return usage_error(err, "give the CPUs once, with --cpus or --cpu-list");
		if (vm_parse_cpus(value, !strcmp(option, "--cpu-list"),
				  &cl->cpus, why, sizeof(why)) < 0)
			return usage_error(err, "%s", why);
	} else if (!strcmp(option, "--mem")) {
		if (vm_parse_mem_size(value, &cl->mem_size, why,
				      sizeof(why)) < 0)
			return usage_error(err, "%s", why);
	} else if (!strcmp(option, "--cmdline")) {
		if (vm_check_cmdline(value, why, sizeof(why)) < 0)
			return usage_error(err, "%s", why);
		cl->vm_cmdline = value;
	} else if (!strcmp(option, "--image")) {
		cl->image = value;
	} else if (!strcmp(option, "--count")) {
		if (parse_count(value, &cl->count) < 0)
			return usage_error(err, "--count takes a number of events from 1, not '%s'",
					   value);
	}
	return EXIT_OK;
}

/* NAME and FILE of the VM commands, in the order given. */
static int take_args(struct cmdline *cl, const char *const *args,
		     unsigned int nr_args, FILE *err)
{
	const struct command_info *info = command_info(cl->command);
	char why[160];

	if (cl->command == CMD_HELP || !info->max_args)
		return EXIT_OK;
	if (nr_args < info->min_args) {
		if (cl->command == CMD_LOAD)
			return usage_error(err, "load needs a VM name and a file");
		return usage_error(err, "%s needs a VM name", info->name);
	}
	if (vm_check_name(args[0], why, sizeof(why)) < 0)
		return usage_error(err, "%s", why);
	cl->vm_name = args[0];
	if (cl->command == CMD_LOAD)
		cl->file = args[1];
	return EXIT_OK;
}

static int check_command_options(const struct cmdline *cl, FILE *err)
{
	const struct option_scope scopes[] = {
		{ cl->watch, "--watch", { CMD_STATS, CMD_STATS }, "stats" },
		{ cl->cpus.kind != VM_CPUS_NONE, "--cpus/--cpu-list",
		  { CMD_CREATE, CMD_CREATE }, "create" },
		{ cl->mem_size != 0, "--mem", { CMD_CREATE, CMD_CREATE },
		  "create" },
		{ cl->vm_cmdline != NULL, "--cmdline", { CMD_CREATE, CMD_LOAD },
		  "create and load" },
		{ cl->image != NULL, "--image",
		  { CMD_CREATE, CMD_CREATE }, "create" },
		{ cl->follow, "--follow", { CMD_CONSOLE, CMD_CONSOLE },
		  "console" },
		{ cl->count != 0, "--count", { CMD_MONITOR, CMD_MONITOR },
		  "monitor" },
	};
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(scopes); i++) {
		ret = check_scope(cl, &scopes[i], err);
		if (ret != EXIT_OK)
			return ret;
	}
	if (cl->command == CMD_CREATE && cl->cpus.kind == VM_CPUS_NONE)
		return usage_error(err, "create needs --cpus N or --cpus LIST");
	if (cl->command == CMD_CREATE && !cl->mem_size)
		return usage_error(err, "create needs --mem SIZE");
	if (cl->json && cl->command == CMD_CONSOLE)
		return usage_error(err, "console prints the guest's output as it is; --json does not apply");
	return EXIT_OK;
}

int cmdline_parse(int argc, char *const argv[], struct cmdline *cl,
		  FILE *err)
{
	static const char *const value_options[][2] = {
		{ "--cpus", NULL },
		{ "--cpu-list", NULL },
		{ "--mem", NULL },
		{ "--cmdline", NULL },
		{ "--image", NULL },
		{ "--count", "-n" },
	};
	const struct command_info *info;
	const char *args[2];
	unsigned int nr_args = 0;
	bool options_end = false;
	const char *value;
	size_t j;
	int i, ret;

	memset(cl, 0, sizeof(*cl));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *secs = NULL;

		if (options_end || arg[0] != '-' || !arg[1])
			goto positional;
		if (!strcmp(arg, "--")) {
			options_end = true;
			continue;
		}
		if (!strcmp(arg, "--json") || !strcmp(arg, "-j")) {
			cl->json = true;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			cl->help = true;
			continue;
		}
		if (!strcmp(arg, "--follow") || !strcmp(arg, "-f")) {
			cl->follow = true;
			continue;
		}
		if (!strcmp(arg, "--watch") || !strcmp(arg, "-w") ||
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
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(value_options); j++) {
			if (!value_option(argc, argv, &i, value_options[j][0],
					  value_options[j][1], &value))
				continue;
			ret = take_option(cl, value_options[j][0], value, err);
			if (ret != EXIT_OK)
				return ret;
			break;
		}
		if (j < ARRAY_SIZE(value_options))
			continue;
		return usage_error(err, "unknown option '%s'", arg);

positional:
		if (cl->command == CMD_NONE) {
			info = command_lookup(arg);
			if (!info)
				return usage_error(err,
						   "unknown command '%s'", arg);
			cl->command = info->cmd;
		} else if (nr_args < command_info(cl->command)->max_args) {
			args[nr_args++] = arg;
		} else {
			return usage_error(err, "unexpected argument '%s'",
					   arg);
		}
	}

	if (cl->command == CMD_HELP && nr_args) {
		info = command_lookup(args[0]);
		if (!info)
			return usage_error(err, "no help on unknown command '%s'",
					   args[0]);
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
	ret = take_args(cl, args, nr_args, err);
	if (ret != EXIT_OK)
		return ret;
	return check_command_options(cl, err);
}
