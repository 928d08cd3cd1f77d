/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command line of vmctl: `vmctl [--json] COMMAND [ARGS] [OPTIONS]`,
 * options before or after the command, `vmctl help [COMMAND]`, and the
 * help texts.
 */
#ifndef VMCTL_CMDLINE_H
#define VMCTL_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vm_args.h"

/* Exit codes, as documented in `vmctl --help`. */
#define EXIT_OK			0
#define EXIT_ERROR		1	/* module not loaded, permission, kernel */
#define EXIT_USAGE		2
#define EXIT_NOT_CAPABLE	3	/* hw-check: hardware not capable */

enum vmctl_command {
	CMD_NONE = 0,
	CMD_STATUS,
	CMD_HW_CHECK,
	CMD_VERSION,
	CMD_HELP,
	CMD_ENABLE,
	CMD_DISABLE,
	CMD_STATS,
	CMD_MONITOR,
	CMD_CREATE,
	CMD_LOAD,
	CMD_START,
	CMD_STOP,
	CMD_DESTROY,
	CMD_LIST,
	CMD_SHOW,
	CMD_CONSOLE,
};

/* `stats --watch` without SECS, and the range SECS may take. */
#define WATCH_DEFAULT_MS	1000
#define WATCH_MIN_MS		100
#define WATCH_MAX_MS		(24 * 3600 * 1000)

struct cmdline {
	enum vmctl_command command;
	bool json;
	bool help;			/* --help: show help for command */
	enum vmctl_command help_topic;	/* for help: CMD_NONE = general */
	bool watch;			/* stats --watch */
	uint32_t watch_ms;		/* its interval */
	const char *vm_name;		/* VM commands: NAME, checked */
	const char *file;		/* load: FILE ("-": stdin) */
	const char *image;		/* create: --image FILE */
	const char *vm_cmdline;		/* create, load: --cmdline, checked */
	struct vm_cpus cpus;		/* create: --cpus or --cpu-list */
	uint64_t mem_size;		/* create: --mem, checked */
	bool follow;			/* console -f */
	uint32_t count;			/* monitor --count; 0: no limit */
};

/*
 * Fill @cl from argv. Returns EXIT_OK, or EXIT_USAGE after printing the
 * reason and the usage to @err.
 */
int cmdline_parse(int argc, char *const argv[], struct cmdline *cl,
		  FILE *err);

const char *command_name(enum vmctl_command cmd);
void print_usage(FILE *out);
/* Help for one command; CMD_NONE or CMD_HELP gives the general help. */
void print_help(FILE *out, enum vmctl_command cmd);

#endif /* VMCTL_CMDLINE_H */
