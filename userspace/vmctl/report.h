/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmctl prints for status, hw-check, version and the hypervisor's
 * state (enable, disable, monitor), as text or as one line of JSON. Works
 * on decoded data only, so it is testable anywhere.
 */
#ifndef VMCTL_REPORT_H
#define VMCTL_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "status.h"

struct version_info {
	bool module_loaded;
	bool module_answered;		/* the module's versions are known */
	char module_version[64];
	uint32_t module_api_version;
};

/* "on", "off" or "unknown": the JSON spelling of enum splitvisor_hv_state. */
const char *hv_state_name(uint32_t state);
/* "hypervisor: on (2 CPUs)" or "hypervisor: off", without a newline. */
void print_hv_state(FILE *out, uint32_t state, uint32_t cpus_virtualized);

/* One line for enable, disable and each event of monitor. */
void report_hv_state_text(FILE *out, uint32_t state,
			  uint32_t cpus_virtualized);
void report_hv_state_json(FILE *out, uint32_t state,
			  uint32_t cpus_virtualized);

/* Capable by the module's verdict and by every required feature. */
bool hw_is_capable(const struct hw_report *hw);

void report_status_text(FILE *out, const struct sv_status *st);
void report_status_json(FILE *out, const struct sv_status *st);

void report_hw_check_text(FILE *out, const struct hw_report *hw);
void report_hw_check_json(FILE *out, const struct hw_report *hw);

void report_version_text(FILE *out, const struct version_info *ver);
void report_version_json(FILE *out, const struct version_info *ver);

#endif /* VMCTL_REPORT_H */
