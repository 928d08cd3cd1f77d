// SPDX-License-Identifier: GPL-2.0
/*
 * Exit statistics: the table and JSON of `vmctl stats`, and the rates of
 * `vmctl stats --watch`, from decoded module replies.
 */
#include <stdlib.h>
#include <string.h>

#include <splitvisor.h>

#include "kselftest_harness.h"

#include "exit_names.h"
#include "stats.h"
#include "stats_report.h"
#include "capture.h"

#define CPUID	10
#define VMCALL	18

static struct cpu_stats *add_cpu(struct sv_stats *st, uint32_t nr,
				 bool virtualized)
{
	struct cpu_stats *cpu = stats_add_cpu(st);

	cpu->cpu = nr;
	cpu->virtualized = virtualized;
	return cpu;
}

/* Adds @count exits of @reason to @cpu and to the totals of @st. */
static void count(struct sv_stats *st, struct cpu_stats *cpu,
		  uint32_t reason, const char *name, uint64_t count)
{
	struct exit_count *e = cpu_stats_add_reason(cpu);

	e->reason = reason;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->count = count;
	cpu->exits += count;
	st->exits += count;
}

/* Two virtualized CPUs: 600 CPUID and 17 VMCALL exits each. */
static void two_cpus(struct sv_stats *st)
{
	struct cpu_stats *cpu;
	uint32_t nr;

	memset(st, 0, sizeof(*st));
	st->hv_state = SPLITVISOR_HV_STATE_ON;
	st->cpus_virtualized = 2;
	for (nr = 0; nr < 2; nr++) {
		cpu = add_cpu(st, nr, true);
		count(st, cpu, CPUID, "cpuid", 600);
		count(st, cpu, VMCALL, "vmcall", 17);
	}
}

TEST(json_has_the_documented_shape)
{
	struct sv_stats st;
	struct capture o;

	two_cpus(&st);
	report_stats_json(capture_open(&o), &st, 0);
	ASSERT_STREQ("{\"hypervisor\":\"on\",\"cpus_virtualized\":2,\"exits\":1234,\"cpus\":["
		     "{\"cpu\":0,\"virtualized\":true,\"exits\":617,\"hidden_accesses\":0,\"unmapped_accesses\":0,\"nmis\":0,\"nmis_in_hypervisor\":0,\"by_reason\":{\"cpuid\":600,\"vmcall\":17}},"
		     "{\"cpu\":1,\"virtualized\":true,\"exits\":617,\"hidden_accesses\":0,\"unmapped_accesses\":0,\"nmis\":0,\"nmis_in_hypervisor\":0,\"by_reason\":{\"cpuid\":600,\"vmcall\":17}}]}\n",
		     capture_text(&o));
	free(o.buf);
	stats_free(&st);
}

TEST(json_of_a_hypervisor_never_on)
{
	struct sv_stats st = { 0 };
	struct capture o;

	add_cpu(&st, 0, false);
	report_stats_json(capture_open(&o), &st, 0);
	ASSERT_STREQ("{\"hypervisor\":\"off\",\"cpus_virtualized\":0,\"exits\":0,\"cpus\":["
		     "{\"cpu\":0,\"virtualized\":false,\"exits\":0,\"hidden_accesses\":0,\"unmapped_accesses\":0,\"nmis\":0,\"nmis_in_hypervisor\":0,\"by_reason\":{}}]}\n",
		     capture_text(&o));
	free(o.buf);
	stats_free(&st);
}

TEST(json_has_nmis_after_the_memory_accesses)
{
	struct sv_stats st;
	struct capture o;

	two_cpus(&st);
	st.cpus[1].unmapped_accesses = 2;
	st.cpus[1].nmis = 41;
	st.cpus[1].nmis_in_hypervisor = 7;
	report_stats_json(capture_open(&o), &st, 0);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "{\"cpu\":0,\"virtualized\":true,\"exits\":617,\"hidden_accesses\":0,\"unmapped_accesses\":0,\"nmis\":0,\"nmis_in_hypervisor\":0,\"by_reason\":{"));
	ASSERT_NE(NULL, strstr(o.buf, "{\"cpu\":1,\"virtualized\":true,\"exits\":617,\"hidden_accesses\":0,\"unmapped_accesses\":2,\"nmis\":41,\"nmis_in_hypervisor\":7,\"by_reason\":{"));
	free(o.buf);
	stats_free(&st);
}

TEST(json_of_rates_names_the_interval)
{
	struct sv_stats st;
	struct capture o;

	two_cpus(&st);
	report_stats_json(capture_open(&o), &st, 2000);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "\"vmcall\":17}}],"));
	ASSERT_STREQ("\"vmcall\":17}}],\"interval_ms\":2000}\n",
		     strstr(o.buf, "\"vmcall\":17}}],"));
	free(o.buf);
	stats_free(&st);
}

TEST(table_one_row_per_cpu)
{
	struct sv_stats st;
	struct capture o;

	two_cpus(&st);
	report_stats_text(capture_open(&o), &st, 0);
	ASSERT_STREQ("hypervisor: on (2 CPUs), 1234 VM exits\n"
		     "cpu  virtualized  exits  cpuid  vmcall\n"
		     "  0  yes            617    600      17\n"
		     "  1  yes            617    600      17\n",
		     capture_text(&o));
	free(o.buf);
	stats_free(&st);
}

TEST(table_columns_are_the_union_in_reason_order)
{
	struct sv_stats st = { 0 };
	struct cpu_stats *cpu;
	struct capture o;

	st.hv_state = SPLITVISOR_HV_STATE_ON;
	st.cpus_virtualized = 1;
	cpu = add_cpu(&st, 0, true);
	count(&st, cpu, SPLITVISOR_EXIT_REASON_OTHER, "other", 3);
	count(&st, cpu, VMCALL, "vmcall", 1234567);
	cpu = add_cpu(&st, 12, false);
	count(&st, cpu, 48, "ept-violation", 5);
	count(&st, cpu, CPUID, "cpuid", 2);
	report_stats_text(capture_open(&o), &st, 0);
	ASSERT_STREQ("hypervisor: on (1 CPU), 1234577 VM exits\n"
		     "cpu  virtualized    exits  cpuid   vmcall  ept-violation  other\n"
		     "  0  yes          1234570      0  1234567              0      3\n"
		     " 12  no                 7      2        0              5      0\n",
		     capture_text(&o));
	free(o.buf);
	stats_free(&st);
}

TEST(table_shows_memory_accesses_only_when_there_are_any)
{
	struct sv_stats st;
	struct capture o;

	two_cpus(&st);
	st.cpus[1].hidden_accesses = 3;
	report_stats_text(capture_open(&o), &st, 0);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "  vmcall  hidden\n"));
	ASSERT_NE(NULL, strstr(o.buf, "\n  1  yes            617    600      17       3\n"));
	ASSERT_EQ(NULL, strstr(o.buf, "unmapped"));
	free(o.buf);

	st.cpus[0].unmapped_accesses = 123456789;
	report_stats_text(capture_open(&o), &st, 0);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "  vmcall  hidden   unmapped\n"));
	ASSERT_NE(NULL, strstr(o.buf, "\n  0  yes            617    600      17       0  123456789\n"));
	free(o.buf);
	stats_free(&st);
}

TEST(table_shows_nmis_once_any_came)
{
	struct sv_stats st;
	struct capture o;

	two_cpus(&st);
	report_stats_text(capture_open(&o), &st, 0);
	capture_text(&o);
	ASSERT_EQ(NULL, strstr(o.buf, "nmis"));
	free(o.buf);

	/* none held yet: the held column shows 0 all the same */
	st.cpus[0].nmis = 5;
	report_stats_text(capture_open(&o), &st, 0);
	ASSERT_STREQ("hypervisor: on (2 CPUs), 1234 VM exits\n"
		     "cpu  virtualized  exits  cpuid  vmcall  nmis  nmis-in-hv\n"
		     "  0  yes            617    600      17     5           0\n"
		     "  1  yes            617    600      17     0           0\n",
		     capture_text(&o));
	free(o.buf);

	/* after the memory accesses, each column as wide as its values */
	st.cpus[1].hidden_accesses = 3;
	st.cpus[1].nmis = 123456;
	st.cpus[1].nmis_in_hypervisor = 12345678901ULL;
	report_stats_text(capture_open(&o), &st, 0);
	ASSERT_STREQ("hypervisor: on (2 CPUs), 1234 VM exits\n"
		     "cpu  virtualized  exits  cpuid  vmcall  hidden    nmis   nmis-in-hv\n"
		     "  0  yes            617    600      17       0       5            0\n"
		     "  1  yes            617    600      17       3  123456  12345678901\n",
		     capture_text(&o));
	free(o.buf);
	stats_free(&st);
}

TEST(table_of_rates_says_per_second)
{
	struct sv_stats st;
	struct capture o;

	two_cpus(&st);
	report_stats_text(capture_open(&o), &st, 1500);
	capture_text(&o);
	ASSERT_EQ(o.buf, strstr(o.buf, "hypervisor: on (2 CPUs), 1234 VM exits/s over the last 1.5 s\n"
				"cpu  virtualized  exits/s  cpuid  vmcall\n"));
	free(o.buf);
	stats_free(&st);
}

TEST(table_without_cpus_is_the_summary_alone)
{
	struct sv_stats st = { 0 };
	struct capture o;

	report_stats_text(capture_open(&o), &st, 0);
	ASSERT_STREQ("hypervisor: off, 0 VM exits\n", capture_text(&o));
	free(o.buf);
}

TEST(rates_per_second_rounded)
{
	struct sv_stats prev, cur, rate = { 0 };

	two_cpus(&prev);
	two_cpus(&cur);
	/* 2 s later: CPU 0 took 300 more CPUID exits, CPU 1 one VMCALL */
	cur.cpus[0].reasons[0].count += 300;
	cur.cpus[0].exits += 300;
	cur.cpus[1].reasons[1].count += 1;
	cur.cpus[1].exits += 1;
	cur.exits += 301;
	cur.cpus[1].hidden_accesses = 4;
	prev.cpus[0].nmis = 10;
	prev.cpus[0].nmis_in_hypervisor = 2;
	cur.cpus[0].nmis = 30;
	cur.cpus[0].nmis_in_hypervisor = 5;

	ASSERT_EQ(0, stats_rate(&prev, &cur, 2000, &rate));
	ASSERT_EQ((uint32_t)SPLITVISOR_HV_STATE_ON, rate.hv_state);
	ASSERT_EQ(2U, rate.cpus_virtualized);
	ASSERT_EQ(151U, rate.exits);		/* 150.5 */
	ASSERT_EQ(2U, rate.nr_cpus);
	ASSERT_EQ(150U, rate.cpus[0].exits);
	ASSERT_EQ(150U, cpu_stats_reason_count(&rate.cpus[0], CPUID));
	ASSERT_EQ(0U, cpu_stats_reason_count(&rate.cpus[0], VMCALL));
	/* reasons stay as columns even at a rate of 0 */
	ASSERT_EQ(2U, rate.cpus[0].nr_reasons);
	ASSERT_STREQ("vmcall", rate.cpus[0].reasons[1].name);
	ASSERT_EQ(1U, rate.cpus[1].exits);	/* 0.5 rounds up */
	ASSERT_EQ(2U, rate.cpus[1].hidden_accesses);
	ASSERT_EQ(10U, rate.cpus[0].nmis);
	ASSERT_EQ(2U, rate.cpus[0].nmis_in_hypervisor);	/* 1.5 */
	ASSERT_EQ(0U, rate.cpus[1].nmis);
	ASSERT_TRUE(rate.cpus[1].virtualized);
	stats_free(&prev);
	stats_free(&cur);
	stats_free(&rate);
}

TEST(rates_after_a_counter_reset_count_from_zero)
{
	struct sv_stats prev, cur, rate = { 0 };

	two_cpus(&prev);
	/* switched off and on again: counters restarted, now 10 CPUID exits */
	memset(&cur, 0, sizeof(cur));
	cur.hv_state = SPLITVISOR_HV_STATE_ON;
	count(&cur, add_cpu(&cur, 0, true), CPUID, "cpuid", 10);
	prev.cpus[0].nmis = 50;
	prev.cpus[0].nmis_in_hypervisor = 9;
	cur.cpus[0].nmis = 3;
	cur.cpus[0].nmis_in_hypervisor = 1;
	ASSERT_EQ(0, stats_rate(&prev, &cur, 1000, &rate));
	ASSERT_EQ(10U, rate.exits);
	ASSERT_EQ(3U, rate.cpus[0].nmis);
	ASSERT_EQ(1U, rate.cpus[0].nmis_in_hypervisor);
	ASSERT_EQ(1U, rate.nr_cpus);
	ASSERT_EQ(10U, cpu_stats_reason_count(&rate.cpus[0], CPUID));
	stats_free(&prev);
	stats_free(&cur);
	stats_free(&rate);
}

TEST(rates_of_a_cpu_new_in_the_interval)
{
	struct sv_stats prev, cur, rate = { 0 };
	struct cpu_stats *cpu;

	two_cpus(&prev);
	two_cpus(&cur);
	cpu = add_cpu(&cur, 5, true);
	count(&cur, cpu, CPUID, "cpuid", 40);
	ASSERT_EQ(0, stats_rate(&prev, &cur, 4000, &rate));
	ASSERT_EQ(3U, rate.nr_cpus);
	ASSERT_EQ(5U, rate.cpus[2].cpu);
	ASSERT_EQ(10U, rate.cpus[2].exits);
	ASSERT_EQ(0U, rate.cpus[0].exits);
	/* a zero interval is taken as 1 ms rather than divided by */
	ASSERT_EQ(0, stats_rate(&prev, &cur, 0, &rate));
	ASSERT_EQ(40000U, rate.exits);
	stats_free(&prev);
	stats_free(&cur);
	stats_free(&rate);
}

TEST(sample_memory_is_reused_and_bounded)
{
	struct sv_stats st = { 0 };
	struct cpu_stats *cpu;
	unsigned int i;

	for (i = 0; i < 100; i++)
		ASSERT_NE(NULL, add_cpu(&st, i, true));
	ASSERT_EQ(100U, st.nr_cpus);
	ASSERT_EQ(99U, stats_find_cpu(&st, 99)->cpu);
	ASSERT_EQ(NULL, stats_find_cpu(&st, 100));
	stats_reset(&st);
	ASSERT_EQ(0U, st.nr_cpus);
	ASSERT_LE(100U, st.cpus_allocated);

	cpu = add_cpu(&st, 0, false);
	ASSERT_EQ(0U, cpu->nr_reasons);
	for (i = 0; i < STATS_MAX_REASONS; i++)
		ASSERT_NE(NULL, cpu_stats_add_reason(cpu));
	ASSERT_EQ(NULL, cpu_stats_add_reason(cpu));
	stats_free(&st);
	ASSERT_EQ(NULL, st.cpus);
}

TEST(labels_of_unnamed_reasons)
{
	char buf[STATS_REASON_NAME_LEN];

	exit_reason_label(SPLITVISOR_EXIT_REASON_OTHER, buf, sizeof(buf));
	ASSERT_STREQ("other", buf);
	exit_reason_label(35, buf, sizeof(buf));
	ASSERT_STREQ("reason-35", buf);
}

TEST(labels_of_reasons_vmctl_knows)
{
	char buf[STATS_REASON_NAME_LEN];

	exit_reason_label(10, buf, sizeof(buf));
	ASSERT_STREQ("cpuid", buf);
	exit_reason_label(48, buf, sizeof(buf));
	ASSERT_STREQ("ept-violation", buf);
	exit_reason_label(75, buf, sizeof(buf));
	ASSERT_STREQ("notify", buf);
	exit_reason_label(76, buf, sizeof(buf));
	ASSERT_STREQ("reason-76", buf);
	ASSERT_EQ(NULL, exit_reason_name(5));
	ASSERT_STREQ("triple-fault", exit_reason_name(2));
}

TEST_HARNESS_MAIN
