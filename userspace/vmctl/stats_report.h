/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `vmctl stats` prints: a table with one row per CPU, or one line of
 * JSON. Works on decoded samples only, so it is testable anywhere.
 */
#ifndef VMCTL_STATS_REPORT_H
#define VMCTL_STATS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "stats.h"

/*
 * @interval_ms 0: @st holds counters since the hypervisor was switched on.
 * Otherwise @st holds per-second rates over an interval that long (see
 * stats_rate()), and the report says so.
 */
void report_stats_text(FILE *out, const struct sv_stats *st,
		       uint64_t interval_ms);
void report_stats_json(FILE *out, const struct sv_stats *st,
		       uint64_t interval_ms);

#endif /* VMCTL_STATS_REPORT_H */
