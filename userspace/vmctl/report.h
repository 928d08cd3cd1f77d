/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmctl prints for status, hw-check and version, as text or as one
 * line of JSON. Works on decoded data only, so it is testable anywhere.
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

/* Capable by the module's verdict and by every required feature. */
bool hw_is_capable(const struct hw_report *hw);

void report_status_text(FILE *out, const struct sv_status *st);
void report_status_json(FILE *out, const struct sv_status *st);

void report_hw_check_text(FILE *out, const struct hw_report *hw);
void report_hw_check_json(FILE *out, const struct hw_report *hw);

void report_version_text(FILE *out, const struct version_info *ver);
void report_version_json(FILE *out, const struct version_info *ver);

#endif /* VMCTL_REPORT_H */
