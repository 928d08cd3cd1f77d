/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module reports for SPLITVISOR_CMD_GET_STATS, decoded into plain
 * C, and the per-second rates between two such samples. No libnl here.
 */
#ifndef VMCTL_STATS_H
#define VMCTL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for the exit reasons of modules newer than this vmctl, too. */
#define STATS_MAX_REASONS	128
#define STATS_REASON_NAME_LEN	32

struct exit_count {
	uint32_t reason;		/* basic exit reason, or ..._OTHER */
	char name[STATS_REASON_NAME_LEN];
	uint64_t count;
};

struct cpu_stats {
	uint32_t cpu;
	bool virtualized;
	uint64_t exits;
	uint64_t hidden_accesses;	/* root touched hypervisor memory */
	uint64_t unmapped_accesses;	/* root touched unmapped memory */
	uint64_t nmis;			/* NMIs handed to the root */
	uint64_t nmis_in_hypervisor;	/* of those, held while it ran */
	unsigned int nr_reasons;
	struct exit_count reasons[STATS_MAX_REASONS];	/* as the module sent them */
};

struct sv_stats {
	uint32_t hv_state;		/* enum splitvisor_hv_state */
	uint32_t cpus_virtualized;
	uint64_t exits;
	unsigned int nr_cpus;
	struct cpu_stats *cpus;
	unsigned int cpus_allocated;
};

/* Forget the CPUs of @st, keeping its memory for the next sample. */
void stats_reset(struct sv_stats *st);
void stats_free(struct sv_stats *st);
/* A zeroed CPU appended to @st, or NULL when out of memory. */
struct cpu_stats *stats_add_cpu(struct sv_stats *st);
/* A zeroed reason appended to @cpu, or NULL when it has no room left. */
struct exit_count *cpu_stats_add_reason(struct cpu_stats *cpu);

const struct cpu_stats *stats_find_cpu(const struct sv_stats *st,
				       uint32_t cpu);
/* Count of @reason on @cpu; 0 when the module sent none. */
uint64_t cpu_stats_reason_count(const struct cpu_stats *cpu, uint32_t reason);

/*
 * For reasons the module did not name: the name exit_reason_name() knows,
 * "other" for the overflow bucket, else "reason-N".
 */
void exit_reason_label(uint32_t reason, char *buf, size_t len);

/*
 * Per-second rates from @prev to @cur, taken @elapsed_ms apart, rounded to
 * whole numbers, into @rate: the same CPUs and reasons as @cur. A counter
 * lower than before was reset (the hypervisor was switched on again) and
 * counts from zero. Returns 0, or -1 when out of memory.
 */
int stats_rate(const struct sv_stats *prev, const struct sv_stats *cur,
	       uint64_t elapsed_ms, struct sv_stats *rate);

#endif /* VMCTL_STATS_H */
