// SPDX-License-Identifier: GPL-2.0
/*
 * vmctl: userspace control of the splitvisor hypervisor. This file only
 * dispatches; asking the module, wording and printing live elsewhere.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <splitvisor.h>

#include "cmdline.h"
#include "interrupt.h"
#include "module_info.h"
#include "netlink.h"
#include "report.h"
#include "stats_report.h"
#include "vm_cmds.h"
#include "vm_report.h"

/* Kept off the stack: the hardware report has room for many features. */
static struct sv_status status;

static void warn_api_mismatch(uint32_t module_api)
{
	if (module_api != SPLITVISOR_API_VERSION)
		fprintf(stderr, "vmctl: warning: the module speaks API %u but vmctl speaks API %d; install matching versions\n",
			module_api, SPLITVISOR_API_VERSION);
}

static int cmd_status(const struct cmdline *cl)
{
	struct query_error qe;

	if (sv_get_status(&status, &qe) < 0) {
		print_query_error(stderr, &qe);
		return EXIT_ERROR;
	}
	warn_api_mismatch(status.api_version);
	if (cl->json)
		report_status_json(stdout, &status);
	else
		report_status_text(stdout, &status);
	return EXIT_OK;
}

static int cmd_hw_check(const struct cmdline *cl)
{
	struct query_error qe;

	if (sv_get_status(&status, &qe) < 0) {
		print_query_error(stderr, &qe);
		return EXIT_ERROR;
	}
	if (!status.has_hw) {
		fputs("vmctl: the module sent no hardware report\n", stderr);
		return EXIT_ERROR;
	}
	warn_api_mismatch(status.api_version);
	if (cl->json)
		report_hw_check_json(stdout, &status.hw);
	else
		report_hw_check_text(stdout, &status.hw);
	return hw_is_capable(&status.hw) ? EXIT_OK : EXIT_NOT_CAPABLE;
}

/* ENABLE or DISABLE, then the state the hypervisor ended up in. */
static int cmd_switch(const struct cmdline *cl)
{
	struct query_error qe;
	int err;

	if (cl->command == CMD_ENABLE)
		err = sv_enable(&qe);
	else
		err = sv_disable(&qe);
	if (err < 0 || sv_get_status(&status, &qe) < 0) {
		print_query_error(stderr, &qe);
		return EXIT_ERROR;
	}
	warn_api_mismatch(status.api_version);
	if (cl->json)
		report_hv_state_json(stdout, status.hv_state,
				     status.cpus_virtualized);
	else
		report_hv_state_text(stdout, status.hv_state,
				     status.cpus_virtualized);
	return EXIT_OK;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_stats(const struct cmdline *cl, const struct sv_stats *st,
			uint64_t interval_ms)
{
	if (cl->json) {
		report_stats_json(stdout, st, interval_ms);
	} else {
		if (interval_ms)
			fputc('\n', stdout);
		report_stats_text(stdout, st, interval_ms);
	}
	fflush(stdout);
}

/*
 * The counters once; with --watch, then the rates of every interval until
 * SIGINT or SIGTERM, which end it successfully.
 */
static int cmd_stats(const struct cmdline *cl)
{
	struct sv_stats prev = { 0 }, cur = { 0 }, rate = { 0 }, swap;
	uint64_t then, now;
	struct query_error qe;
	int ret = EXIT_OK, err;

	if (cl->watch) {
		err = interrupt_setup();
		if (err) {
			fprintf(stderr, "vmctl: catching signals: %s\n",
				strerror(-err));
			return EXIT_ERROR;
		}
	}
	if (sv_get_stats(&cur, &qe) < 0) {
		print_query_error(stderr, &qe);
		ret = EXIT_ERROR;
		goto out;
	}
	now = now_ms();
	print_stats(cl, &cur, 0);

	while (cl->watch) {
		swap = prev;
		prev = cur;
		cur = swap;
		then = now;
		err = interrupt_wait(-1, cl->watch_ms);
		if (err == -EINTR)
			break;
		if (sv_get_stats(&cur, &qe) < 0) {
			print_query_error(stderr, &qe);
			ret = EXIT_ERROR;
			break;
		}
		now = now_ms();
		if (stats_rate(&prev, &cur, now - then, &rate) < 0) {
			fputs("vmctl: out of memory\n", stderr);
			ret = EXIT_ERROR;
			break;
		}
		print_stats(cl, &rate, now - then ? now - then : 1);
	}
out:
	stats_free(&prev);
	stats_free(&cur);
	stats_free(&rate);
	return ret;
}

struct monitor {
	const struct cmdline *cl;
	uint32_t seen;
};

/* One line per event, flushed: readers wait on a pipe. */
static bool print_event(const struct sv_event *ev, void *arg)
{
	struct monitor *mon = arg;
	bool json = mon->cl->json;

	if (ev->kind == SV_EVENT_VM && json)
		report_vm_event_json(stdout, &ev->vm);
	else if (ev->kind == SV_EVENT_VM)
		report_vm_event_text(stdout, &ev->vm);
	else if (json)
		report_hv_state_json(stdout, ev->hv.hv_state,
				     ev->hv.cpus_virtualized);
	else
		report_hv_state_text(stdout, ev->hv.hv_state,
				     ev->hv.cpus_virtualized);
	fflush(stdout);
	return !mon->cl->count || ++mon->seen < mon->cl->count;
}

/* Until interrupted, or after --count events. */
static int cmd_monitor(const struct cmdline *cl)
{
	struct monitor mon = { .cl = cl };
	struct query_error qe;
	struct sv_events *ev;
	int err;

	err = interrupt_setup();
	if (err) {
		fprintf(stderr, "vmctl: catching signals: %s\n",
			strerror(-err));
		return EXIT_ERROR;
	}
	ev = sv_events_open(&qe);
	if (!ev) {
		print_query_error(stderr, &qe);
		return EXIT_ERROR;
	}
	/* From here on no change is missed: scripts may wait for this line. */
	fputs("vmctl: listening for hypervisor and VM state changes (Ctrl-C ends)\n",
	      stderr);
	err = sv_events_run(ev, print_event, &mon, &qe);
	sv_events_close(ev);
	if (err < 0) {
		print_query_error(stderr, &qe);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

/*
 * Succeeds whenever vmctl itself works: the module's side is filled in as
 * far as the user's privileges allow.
 */
static int cmd_version(const struct cmdline *cl)
{
	struct version_info ver = { 0 };
	struct query_error qe;

	if (sv_get_status(&status, &qe) == 0) {
		ver.module_loaded = true;
		ver.module_answered = true;
		snprintf(ver.module_version, sizeof(ver.module_version), "%s",
			 status.module_version);
		ver.module_api_version = status.api_version;
	} else if (qe.kind != QUERY_NOT_LOADED) {
		ver.module_loaded = true;
		module_sysfs_version(ver.module_version,
				     sizeof(ver.module_version));
		if (!module_ioctl_api_version(&ver.module_api_version))
			ver.module_answered = true;
		else
			print_query_error(stderr, &qe);
	}
	if (ver.module_answered)
		warn_api_mismatch(ver.module_api_version);

	if (cl->json)
		report_version_json(stdout, &ver);
	else
		report_version_text(stdout, &ver);
	return EXIT_OK;
}

int main(int argc, char *argv[])
{
	struct cmdline cl;
	int ret;

	ret = cmdline_parse(argc, argv, &cl, stderr);
	if (ret != EXIT_OK)
		return ret;

	switch (cl.command) {
	case CMD_STATUS:
		ret = cmd_status(&cl);
		break;
	case CMD_HW_CHECK:
		ret = cmd_hw_check(&cl);
		break;
	case CMD_VERSION:
		ret = cmd_version(&cl);
		break;
	case CMD_ENABLE:
	case CMD_DISABLE:
		ret = cmd_switch(&cl);
		break;
	case CMD_STATS:
		ret = cmd_stats(&cl);
		break;
	case CMD_MONITOR:
		ret = cmd_monitor(&cl);
		break;
	case CMD_CREATE:
		ret = cmd_create(&cl);
		break;
	case CMD_LOAD:
		ret = cmd_load(&cl);
		break;
	case CMD_START:
	case CMD_STOP:
	case CMD_DESTROY:
		ret = cmd_vm_action(&cl);
		break;
	case CMD_LIST:
		ret = cmd_list(&cl);
		break;
	case CMD_SHOW:
		ret = cmd_show(&cl);
		break;
	case CMD_CONSOLE:
		ret = cmd_console(&cl);
		break;
	case CMD_HELP:
	default:
		print_help(stdout, cl.help_topic);
		ret = EXIT_OK;
		break;
	}
	if (fflush(stdout) != 0) {
		perror("vmctl: writing output");
		return EXIT_ERROR;
	}
	return ret;
}
