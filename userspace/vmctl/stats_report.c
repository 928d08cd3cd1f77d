// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of exit statistics. The table gets one column per exit reason
 * any CPU reports, in exit-reason order ("other" last), each as wide as
 * its widest value, so that rows line up for any number of CPUs.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <splitvisor.h>

#include "json.h"
#include "report.h"
#include "stats_report.h"

/* Distinct reasons over all CPUs that the table shows as columns. */
#define MAX_COLUMNS	(2 * STATS_MAX_REASONS)
#define COLUMN_GAP	"  "

struct reason_column {
	uint32_t reason;
	const char *name;
	int width;
};

struct table {
	int cpu_width;
	int exits_width;
	int hidden_width;	/* 0: no CPU touched hidden memory */
	int unmapped_width;	/* 0: no CPU touched unmapped memory */
	int nmis_width;		/* 0: no CPU got an NMI */
	int nmis_in_hv_width;	/* 0 when nmis_width is */
	unsigned int nr_columns;
	struct reason_column columns[MAX_COLUMNS];
};

static int digits(uint64_t value)
{
	return snprintf(NULL, 0, "%" PRIu64, value);
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static int by_reason(const void *a, const void *b)
{
	const struct reason_column *x = a, *y = b;

	return x->reason < y->reason ? -1 : x->reason > y->reason;
}

static struct reason_column *find_column(struct table *t, uint32_t reason)
{
	unsigned int i;

	for (i = 0; i < t->nr_columns; i++)
		if (t->columns[i].reason == reason)
			return &t->columns[i];
	return NULL;
}

static int optional_width(const char *header, uint64_t max)
{
	return max ? max_int(strlen(header), digits(max)) : 0;
}

static void table_layout(struct table *t, const struct sv_stats *st,
			 const char *exits_header)
{
	uint64_t hidden_max = 0, unmapped_max = 0, nmis_max = 0;
	uint64_t nmis_in_hv_max = 0;
	unsigned int i, j;

	memset(t, 0, sizeof(*t));
	t->cpu_width = strlen("cpu");
	t->exits_width = strlen(exits_header);
	for (i = 0; i < st->nr_cpus; i++) {
		const struct cpu_stats *cpu = &st->cpus[i];

		t->cpu_width = max_int(t->cpu_width, digits(cpu->cpu));
		t->exits_width = max_int(t->exits_width, digits(cpu->exits));
		if (cpu->hidden_accesses > hidden_max)
			hidden_max = cpu->hidden_accesses;
		if (cpu->unmapped_accesses > unmapped_max)
			unmapped_max = cpu->unmapped_accesses;
		if (cpu->nmis > nmis_max)
			nmis_max = cpu->nmis;
		if (cpu->nmis_in_hypervisor > nmis_in_hv_max)
			nmis_in_hv_max = cpu->nmis_in_hypervisor;
		for (j = 0; j < cpu->nr_reasons; j++) {
			const struct exit_count *e = &cpu->reasons[j];
			struct reason_column *col = find_column(t, e->reason);

			if (!col) {
				if (t->nr_columns == MAX_COLUMNS)
					continue;
				col = &t->columns[t->nr_columns++];
				col->reason = e->reason;
				col->name = e->name;
				col->width = strlen(e->name);
			}
			col->width = max_int(col->width, digits(e->count));
		}
	}
	qsort(t->columns, t->nr_columns, sizeof(t->columns[0]), by_reason);
	t->hidden_width = optional_width("hidden", hidden_max);
	t->unmapped_width = optional_width("unmapped", unmapped_max);
	/* Both or neither: how many NMIs were held matters once any came. */
	t->nmis_width = optional_width("nmis", nmis_max);
	if (t->nmis_width)
		t->nmis_in_hv_width = max_int(strlen("nmis-in-hv"),
					      digits(nmis_in_hv_max));
}

static void print_header(FILE *out, const struct table *t,
			 const char *exits_header)
{
	unsigned int i;

	fprintf(out, "%*s" COLUMN_GAP "virtualized" COLUMN_GAP "%*s",
		t->cpu_width, "cpu", t->exits_width, exits_header);
	for (i = 0; i < t->nr_columns; i++)
		fprintf(out, COLUMN_GAP "%*s", t->columns[i].width,
			t->columns[i].name);
	if (t->hidden_width)
		fprintf(out, COLUMN_GAP "%*s", t->hidden_width, "hidden");
	if (t->unmapped_width)
		fprintf(out, COLUMN_GAP "%*s", t->unmapped_width, "unmapped");
	if (t->nmis_width)
		fprintf(out, COLUMN_GAP "%*s" COLUMN_GAP "%*s", t->nmis_width,
			"nmis", t->nmis_in_hv_width, "nmis-in-hv");
	fputc('\n', out);
}

static void print_row(FILE *out, const struct table *t,
		      const struct cpu_stats *cpu)
{
	unsigned int i;

	fprintf(out, "%*" PRIu32 COLUMN_GAP "%-*s" COLUMN_GAP "%*" PRIu64,
		t->cpu_width, cpu->cpu, (int)strlen("virtualized"),
		cpu->virtualized ? "yes" : "no", t->exits_width, cpu->exits);
	for (i = 0; i < t->nr_columns; i++)
		fprintf(out, COLUMN_GAP "%*" PRIu64, t->columns[i].width,
			cpu_stats_reason_count(cpu, t->columns[i].reason));
	if (t->hidden_width)
		fprintf(out, COLUMN_GAP "%*" PRIu64, t->hidden_width,
			cpu->hidden_accesses);
	if (t->unmapped_width)
		fprintf(out, COLUMN_GAP "%*" PRIu64, t->unmapped_width,
			cpu->unmapped_accesses);
	if (t->nmis_width)
		fprintf(out, COLUMN_GAP "%*" PRIu64 COLUMN_GAP "%*" PRIu64,
			t->nmis_width, cpu->nmis, t->nmis_in_hv_width,
			cpu->nmis_in_hypervisor);
	fputc('\n', out);
}

void report_stats_text(FILE *out, const struct sv_stats *st,
		       uint64_t interval_ms)
{
	const char *exits_header = interval_ms ? "exits/s" : "exits";
	struct table *t;
	unsigned int i;

	print_hv_state(out, st->hv_state, st->cpus_virtualized);
	if (interval_ms)
		fprintf(out, ", %" PRIu64 " VM exits/s over the last %.1f s\n",
			st->exits, interval_ms / 1000.0);
	else
		fprintf(out, ", %" PRIu64 " VM exits\n", st->exits);
	if (!st->nr_cpus)
		return;

	/* A few KiB: kept off the stack. */
	t = malloc(sizeof(*t));
	if (!t) {
		fputs("(no memory for the table)\n", out);
		return;
	}
	table_layout(t, st, exits_header);
	print_header(out, t, exits_header);
	for (i = 0; i < st->nr_cpus; i++)
		print_row(out, t, &st->cpus[i]);
	free(t);
}

void report_stats_json(FILE *out, const struct sv_stats *st,
		       uint64_t interval_ms)
{
	struct json_writer w;
	unsigned int i, j;

	json_init(&w, out);
	json_object_begin(&w);
	json_kv_string(&w, "hypervisor", hv_state_name(st->hv_state));
	json_kv_uint(&w, "cpus_virtualized", st->cpus_virtualized);
	json_kv_uint(&w, "exits", st->exits);
	json_key(&w, "cpus");
	json_array_begin(&w);
	for (i = 0; i < st->nr_cpus; i++) {
		const struct cpu_stats *cpu = &st->cpus[i];

		json_object_begin(&w);
		json_kv_uint(&w, "cpu", cpu->cpu);
		json_kv_bool(&w, "virtualized", cpu->virtualized);
		json_kv_uint(&w, "exits", cpu->exits);
		json_kv_uint(&w, "hidden_accesses", cpu->hidden_accesses);
		json_kv_uint(&w, "unmapped_accesses", cpu->unmapped_accesses);
		json_kv_uint(&w, "nmis", cpu->nmis);
		json_kv_uint(&w, "nmis_in_hypervisor", cpu->nmis_in_hypervisor);
		json_key(&w, "by_reason");
		json_object_begin(&w);
		for (j = 0; j < cpu->nr_reasons; j++)
			json_kv_uint(&w, cpu->reasons[j].name,
				     cpu->reasons[j].count);
		json_object_end(&w);
		json_object_end(&w);
	}
	json_array_end(&w);
	if (interval_ms)
		json_kv_uint(&w, "interval_ms", interval_ms);
	json_object_end(&w);
	fputc('\n', out);
}
