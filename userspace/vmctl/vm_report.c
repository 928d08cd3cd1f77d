// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of VMs. Text is for people and may change wording; JSON keys
 * are for scripts and stay stable: snake_case names of the attributes,
 * addresses as "0x..." strings, sizes and counters as numbers.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "json.h"
#include "vm_report.h"

#define LABEL_WIDTH	15
#define COLUMN_GAP	"  "
/* Room for any CPU list: at most "NNNN," per CPU. */
#define CPU_LIST_LEN	(CPUSET_MAX * 5 + 1)

size_t format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int i;

	if (bytes) {
		for (i = sizeof(units) - 2; i >= 0; i--) {
			uint64_t unit = 1ULL << (10 * (i + 1));

			if (bytes % unit == 0)
				return snprintf(buf, len, "%" PRIu64 "%c",
						bytes / unit, units[i]);
		}
	}
	return snprintf(buf, len, "%" PRIu64, bytes);
}

static char *cpu_list(const struct sv_vm *vm)
{
	char *buf = malloc(CPU_LIST_LEN);

	if (buf)
		cpuset_format(&vm->cpus, buf, CPU_LIST_LEN);
	return buf;
}

static void label(FILE *out, const char *name)
{
	fprintf(out, "%-*s", LABEL_WIDTH, name);
}

static void text_exits(FILE *out, const struct sv_vm *vm)
{
	int width = 0, n;
	unsigned int i;

	label(out, "exits:");
	if (vm_has(vm, SPLITVISOR_A_VM_EXITS_TOTAL))
		fprintf(out, "%" PRIu64, vm->exits_total);
	fputc('\n', out);
	for (i = 0; i < vm->nr_reasons; i++) {
		n = strlen(vm->reasons[i].name);
		if (n > width)
			width = n;
	}
	for (i = 0; i < vm->nr_reasons; i++)
		fprintf(out, "  %-*s  %" PRIu64 "\n", width,
			vm->reasons[i].name, vm->reasons[i].count);
}

static void text_crash(FILE *out, const struct sv_vm *vm)
{
	char name[STATS_REASON_NAME_LEN];

	if (vm_has(vm, SPLITVISOR_A_VM_CRASH)) {
		label(out, "crash:");
		fputs(vm_crash_name(vm->crash), out);
		if (vm_has(vm, SPLITVISOR_A_VM_CRASH_TEXT))
			fprintf(out, ": %s", vm->crash_text);
		fputc('\n', out);
	} else if (vm_has(vm, SPLITVISOR_A_VM_CRASH_TEXT)) {
		label(out, "crash:");
		fprintf(out, "%s\n", vm->crash_text);
	}
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH_EXIT_REASON)) {
		label(out, "crash exit:");
		fprintf(out, "%" PRIu32 " (%s)\n", vm->crash_exit_reason,
			vm_crash_exit_name(vm, name, sizeof(name)));
	}
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH_RIP)) {
		label(out, "crash rip:");
		fprintf(out, "0x%" PRIx64 "\n", vm->crash_rip);
	}
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH_ADDR)) {
		label(out, "crash address:");
		fprintf(out, "0x%" PRIx64 "\n", vm->crash_addr);
	}
}

static void text_counter(FILE *out, const struct sv_vm *vm,
			 unsigned int attr, const char *name, uint64_t value,
			 const char *unit)
{
	if (!vm_has(vm, attr))
		return;
	label(out, name);
	fprintf(out, "%" PRIu64 "%s\n", value, unit);
}

void report_vm_text(FILE *out, const struct sv_vm *vm)
{
	char size[32], *cpus;

	if (vm_has(vm, SPLITVISOR_A_VM_NAME)) {
		label(out, "name:");
		fprintf(out, "%s\n", vm->name);
	}
	if (vm_has(vm, SPLITVISOR_A_VM_STATE)) {
		label(out, "state:");
		fprintf(out, "%s\n", vm_state_name(vm->state));
	}
	if (vm_has(vm, SPLITVISOR_A_VM_CPU)) {
		cpus = cpu_list(vm);
		label(out, "cpus:");
		fprintf(out, "%s\n", cpus ? cpus : "(no memory)");
		free(cpus);
	}
	if (vm_has(vm, SPLITVISOR_A_VM_MEM_SIZE)) {
		format_size(vm->mem_size, size, sizeof(size));
		label(out, "memory:");
		fprintf(out, "%s\n", size);
	}
	if (vm_has(vm, SPLITVISOR_A_VM_CMDLINE)) {
		label(out, "cmdline:");
		fprintf(out, "%s\n", vm->cmdline);
	}
	text_counter(out, vm, SPLITVISOR_A_VM_IMAGE_SIZE, "image size:",
		     vm->image_size, " bytes");
	if (vm_has(vm, SPLITVISOR_A_VM_ENTRY)) {
		label(out, "entry:");
		fprintf(out, "0x%" PRIx64 "\n", vm->entry);
	}
	text_counter(out, vm, SPLITVISOR_A_VM_EXIT_STATUS, "exit status:",
		     vm->exit_status, "");
	text_crash(out, vm);
	if (vm_has(vm, SPLITVISOR_A_VM_EXITS_TOTAL) || vm->nr_reasons)
		text_exits(out, vm);
	text_counter(out, vm, SPLITVISOR_A_VM_IO_IGNORED, "io ignored:",
		     vm->io_ignored, "");
	text_counter(out, vm, SPLITVISOR_A_VM_MSR_GP, "msr #GP:", vm->msr_gp,
		     "");
	text_counter(out, vm, SPLITVISOR_A_VM_IPIS_DROPPED, "ipis dropped:",
		     vm->ipis_dropped, "");
	text_counter(out, vm, SPLITVISOR_A_VM_ROOT_IRQS_DROPPED, "root irqs:",
		     vm->root_irqs_dropped, " dropped");
	text_counter(out, vm, SPLITVISOR_A_VM_CONSOLE_BYTES, "console:",
		     vm->console_bytes, " bytes");
}

static void json_kv_present(struct json_writer *w, const struct sv_vm *vm,
			    unsigned int attr, const char *key,
			    uint64_t value)
{
	if (vm_has(vm, attr))
		json_kv_uint(w, key, value);
}

static void json_vm(struct json_writer *w, const struct sv_vm *vm)
{
	char name[STATS_REASON_NAME_LEN];
	unsigned int i;
	int cpu;

	json_object_begin(w);
	if (vm_has(vm, SPLITVISOR_A_VM_NAME))
		json_kv_string(w, "name", vm->name);
	if (vm_has(vm, SPLITVISOR_A_VM_STATE))
		json_kv_string(w, "state", vm_state_name(vm->state));
	if (vm_has(vm, SPLITVISOR_A_VM_CPU)) {
		json_key(w, "cpus");
		json_array_begin(w);
		for (cpu = cpuset_next(&vm->cpus, 0); cpu >= 0;
		     cpu = cpuset_next(&vm->cpus, cpu + 1))
			json_uint(w, cpu);
		json_array_end(w);
	}
	json_kv_present(w, vm, SPLITVISOR_A_VM_MEM_SIZE, "mem_size",
			vm->mem_size);
	if (vm_has(vm, SPLITVISOR_A_VM_CMDLINE))
		json_kv_string(w, "cmdline", vm->cmdline);
	if (vm_has(vm, SPLITVISOR_A_VM_ENTRY))
		json_kv_hex(w, "entry", vm->entry);
	json_kv_present(w, vm, SPLITVISOR_A_VM_IMAGE_SIZE, "image_size",
			vm->image_size);
	json_kv_present(w, vm, SPLITVISOR_A_VM_EXIT_STATUS, "exit_status",
			vm->exit_status);
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH))
		json_kv_string(w, "crash", vm_crash_name(vm->crash));
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH_TEXT))
		json_kv_string(w, "crash_text", vm->crash_text);
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH_EXIT_REASON)) {
		json_kv_uint(w, "crash_exit_reason", vm->crash_exit_reason);
		json_kv_string(w, "crash_exit_name",
			       vm_crash_exit_name(vm, name, sizeof(name)));
	}
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH_RIP))
		json_kv_hex(w, "crash_rip", vm->crash_rip);
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH_ADDR))
		json_kv_hex(w, "crash_addr", vm->crash_addr);
	json_kv_present(w, vm, SPLITVISOR_A_VM_EXITS_TOTAL, "exits_total",
			vm->exits_total);
	if (vm_has(vm, SPLITVISOR_A_VM_EXITS_TOTAL) || vm->nr_reasons) {
		json_key(w, "exits");
		json_object_begin(w);
		for (i = 0; i < vm->nr_reasons; i++)
			json_kv_uint(w, vm->reasons[i].name,
				     vm->reasons[i].count);
		json_object_end(w);
	}
	json_kv_present(w, vm, SPLITVISOR_A_VM_IO_IGNORED, "io_ignored",
			vm->io_ignored);
	json_kv_present(w, vm, SPLITVISOR_A_VM_MSR_GP, "msr_gp", vm->msr_gp);
	json_kv_present(w, vm, SPLITVISOR_A_VM_IPIS_DROPPED, "ipis_dropped",
			vm->ipis_dropped);
	json_kv_present(w, vm, SPLITVISOR_A_VM_ROOT_IRQS_DROPPED,
			"root_irqs_dropped", vm->root_irqs_dropped);
	json_kv_present(w, vm, SPLITVISOR_A_VM_CONSOLE_BYTES, "console_bytes",
			vm->console_bytes);
	json_object_end(w);
}

void report_vm_json(FILE *out, const struct sv_vm *vm)
{
	struct json_writer w;

	json_init(&w, out);
	json_vm(&w, vm);
	fputc('\n', out);
}

/* The cells of one row of the list; "-" for what the module did not send. */
struct list_row {
	const char *name;
	const char *state;
	char *cpus;
	char mem[32];
	char exits[24];
};

static void list_row_fill(struct list_row *row, const struct sv_vm *vm)
{
	row->name = vm_has(vm, SPLITVISOR_A_VM_NAME) ? vm->name : "-";
	row->state = vm_has(vm, SPLITVISOR_A_VM_STATE) ?
		     vm_state_name(vm->state) : "-";
	row->cpus = vm_has(vm, SPLITVISOR_A_VM_CPU) ? cpu_list(vm) : NULL;
	if (vm_has(vm, SPLITVISOR_A_VM_MEM_SIZE))
		format_size(vm->mem_size, row->mem, sizeof(row->mem));
	else
		snprintf(row->mem, sizeof(row->mem), "-");
	if (vm_has(vm, SPLITVISOR_A_VM_EXITS_TOTAL))
		snprintf(row->exits, sizeof(row->exits), "%" PRIu64,
			 vm->exits_total);
	else
		snprintf(row->exits, sizeof(row->exits), "-");
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

void report_vm_list_text(FILE *out, const struct sv_vm_list *list)
{
	int name_w = strlen("NAME"), state_w = strlen("STATE");
	int cpus_w = strlen("CPUS"), mem_w = strlen("MEM");
	int exits_w = strlen("EXITS");
	struct list_row *rows;
	unsigned int i;

	rows = calloc(list->nr ? list->nr : 1, sizeof(*rows));
	if (!rows) {
		fputs("(no memory for the table)\n", out);
		return;
	}
	for (i = 0; i < list->nr; i++) {
		list_row_fill(&rows[i], &list->vms[i]);
		name_w = max_int(name_w, strlen(rows[i].name));
		state_w = max_int(state_w, strlen(rows[i].state));
		cpus_w = max_int(cpus_w,
				 rows[i].cpus ? strlen(rows[i].cpus) : 1);
		mem_w = max_int(mem_w, strlen(rows[i].mem));
		exits_w = max_int(exits_w, strlen(rows[i].exits));
	}
	fprintf(out, "%-*s" COLUMN_GAP "%-*s" COLUMN_GAP "%-*s" COLUMN_GAP
		"%*s" COLUMN_GAP "%*s\n", name_w, "NAME", state_w, "STATE",
		cpus_w, "CPUS", mem_w, "MEM", exits_w, "EXITS");
	for (i = 0; i < list->nr; i++) {
		fprintf(out, "%-*s" COLUMN_GAP "%-*s" COLUMN_GAP "%-*s"
			COLUMN_GAP "%*s" COLUMN_GAP "%*s\n", name_w,
			rows[i].name, state_w, rows[i].state, cpus_w,
			rows[i].cpus ? rows[i].cpus : "-", mem_w, rows[i].mem,
			exits_w, rows[i].exits);
		free(rows[i].cpus);
	}
	free(rows);
}

void report_vm_list_json(FILE *out, const struct sv_vm_list *list)
{
	struct json_writer w;
	unsigned int i;

	json_init(&w, out);
	json_array_begin(&w);
	for (i = 0; i < list->nr; i++)
		json_vm(&w, &list->vms[i]);
	json_array_end(&w);
	fputc('\n', out);
}

void report_vm_event_text(FILE *out, const struct sv_vm *vm)
{
	fprintf(out, "vm %s %s", vm->name,
		vm_has(vm, SPLITVISOR_A_VM_STATE) ? vm_state_name(vm->state) :
						    "unknown");
	if (vm_has(vm, SPLITVISOR_A_VM_EXIT_STATUS))
		fprintf(out, " status %" PRIu32, vm->exit_status);
	if (vm_has(vm, SPLITVISOR_A_VM_CRASH)) {
		fprintf(out, " crash %s", vm_crash_name(vm->crash));
		if (vm_has(vm, SPLITVISOR_A_VM_CRASH_TEXT))
			fprintf(out, ": %s", vm->crash_text);
	}
	fputc('\n', out);
}

void report_vm_event_json(FILE *out, const struct sv_vm *vm)
{
	report_vm_json(out, vm);
}
