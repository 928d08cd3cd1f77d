// SPDX-License-Identifier: GPL-2.0
/*
 * vmctl: userspace control of the splitvisor hypervisor. This file only
 * dispatches; asking the module, wording and printing live elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>

#include <splitvisor.h>

#include "cmdline.h"
#include "module_info.h"
#include "netlink.h"
#include "report.h"

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
