// SPDX-License-Identifier: GPL-2.0
/*
 * Exit statistics as plain data: building a sample while decoding a reply,
 * looking counters up, and rates between two samples for `stats --watch`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <splitvisor.h>

#include "exit_names.h"
#include "stats.h"

void stats_reset(struct sv_stats *st)
{
	st->hv_state = 0;
	st->cpus_virtualized = 0;
	st->exits = 0;
	st->nr_cpus = 0;
}

void stats_free(struct sv_stats *st)
{
	free(st->cpus);
	memset(st, 0, sizeof(*st));
}

struct cpu_stats *stats_add_cpu(struct sv_stats *st)
{
	struct cpu_stats *cpu;

	if (st->nr_cpus == st->cpus_allocated) {
		unsigned int n = st->cpus_allocated ? 2 * st->cpus_allocated : 8;
		struct cpu_stats *bigger;

		bigger = reallocarray(st->cpus, n, sizeof(*bigger));
		if (!bigger)
			return NULL;
		st->cpus = bigger;
		st->cpus_allocated = n;
	}
	cpu = &st->cpus[st->nr_cpus++];
	memset(cpu, 0, sizeof(*cpu));
	return cpu;
}

struct exit_count *cpu_stats_add_reason(struct cpu_stats *cpu)
{
	struct exit_count *e;

	if (cpu->nr_reasons == STATS_MAX_REASONS)
		return NULL;
	e = &cpu->reasons[cpu->nr_reasons++];
	memset(e, 0, sizeof(*e));
	return e;
}

const struct cpu_stats *stats_find_cpu(const struct sv_stats *st,
				       uint32_t cpu)
{
	unsigned int i;

	for (i = 0; i < st->nr_cpus; i++)
		if (st->cpus[i].cpu == cpu)
			return &st->cpus[i];
	return NULL;
}

uint64_t cpu_stats_reason_count(const struct cpu_stats *cpu, uint32_t reason)
{
	unsigned int i;

	for (i = 0; i < cpu->nr_reasons; i++)
		if (cpu->reasons[i].reason == reason)
			return cpu->reasons[i].count;
	return 0;
}

void exit_reason_label(uint32_t reason, char *buf, size_t len)
{
	const char *name = exit_reason_name(reason);

	if (name)
		snprintf(buf, len, "%s", name);
	else if (reason == SPLITVISOR_EXIT_REASON_OTHER)
		snprintf(buf, len, "other");
	else
		snprintf(buf, len, "reason-%u", reason);
}

/* Rounded; a counter below its old value restarted from zero. */
static uint64_t per_second(uint64_t before, uint64_t now, uint64_t elapsed_ms)
{
	uint64_t delta = now >= before ? now - before : now;

	if (delta > (UINT64_MAX - elapsed_ms / 2) / 1000)
		return delta / elapsed_ms * 1000;
	return (delta * 1000 + elapsed_ms / 2) / elapsed_ms;
}

int stats_rate(const struct sv_stats *prev, const struct sv_stats *cur,
	       uint64_t elapsed_ms, struct sv_stats *rate)
{
	/* A CPU new since @prev has counted everything in the interval. */
	static const struct cpu_stats none;
	unsigned int i, j;

	if (!elapsed_ms)
		elapsed_ms = 1;
	stats_reset(rate);
	rate->hv_state = cur->hv_state;
	rate->cpus_virtualized = cur->cpus_virtualized;
	rate->exits = per_second(prev->exits, cur->exits, elapsed_ms);

	for (i = 0; i < cur->nr_cpus; i++) {
		const struct cpu_stats *now = &cur->cpus[i];
		const struct cpu_stats *then = stats_find_cpu(prev, now->cpu);
		struct cpu_stats *r = stats_add_cpu(rate);

		if (!r)
			return -1;
		if (!then)
			then = &none;
		r->cpu = now->cpu;
		r->virtualized = now->virtualized;
		r->exits = per_second(then->exits, now->exits, elapsed_ms);
		r->hidden_accesses = per_second(then->hidden_accesses,
						now->hidden_accesses,
						elapsed_ms);
		r->unmapped_accesses = per_second(then->unmapped_accesses,
						  now->unmapped_accesses,
						  elapsed_ms);
		r->nmis = per_second(then->nmis, now->nmis, elapsed_ms);
		r->nmis_in_hypervisor = per_second(then->nmis_in_hypervisor,
						   now->nmis_in_hypervisor,
						   elapsed_ms);
		r->nr_reasons = now->nr_reasons;
		for (j = 0; j < now->nr_reasons; j++) {
			const struct exit_count *e = &now->reasons[j];

			r->reasons[j] = *e;
			r->reasons[j].count =
				per_second(cpu_stats_reason_count(then, e->reason),
					   e->count, elapsed_ms);
		}
	}
	return 0;
}
