// SPDX-License-Identifier: GPL-2.0
/*
 * VM reports: show (text and JSON) of running, exited and crashed VMs,
 * the list table, monitor's VM lines, sizes and crash exit names, from
 * decoded module replies.
 */
#include <stdlib.h>
#include <string.h>

#include <splitvisor.h>

#include "kselftest_harness.h"

#include "vm.h"
#include "vm_report.h"
#include "capture.h"

#define MiB	(1ULL << 20)

/* Large: kept off the stack. */
static struct sv_vm vm;

static void reason(struct sv_vm *v, uint32_t nr, const char *name,
		   uint64_t count)
{
	struct exit_count *e = vm_add_reason(v);

	e->reason = nr;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->count = count;
	vm_set_has(v, SPLITVISOR_A_VM_EXIT);
}

/* What VM_GET answers for a running VM on CPUs 2 and 3. */
static void running_vm(struct sv_vm *v)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "vm1");
	vm_set_has(v, SPLITVISOR_A_VM_NAME);
	v->state = SPLITVISOR_VM_STATE_RUNNING;
	vm_set_has(v, SPLITVISOR_A_VM_STATE);
	cpuset_add(&v->cpus, 2);
	cpuset_add(&v->cpus, 3);
	vm_set_has(v, SPLITVISOR_A_VM_CPU);
	v->mem_size = 64 * MiB;
	vm_set_has(v, SPLITVISOR_A_VM_MEM_SIZE);
	snprintf(v->cmdline, sizeof(v->cmdline), "console=ttyS0 quiet");
	vm_set_has(v, SPLITVISOR_A_VM_CMDLINE);
	v->entry = 0x100000;
	vm_set_has(v, SPLITVISOR_A_VM_ENTRY);
	v->image_size = 12345;
	vm_set_has(v, SPLITVISOR_A_VM_IMAGE_SIZE);
	v->exits_total = 1234;
	vm_set_has(v, SPLITVISOR_A_VM_EXITS_TOTAL);
	reason(v, 10, "cpuid", 600);
	reason(v, 30, "io", 600);
	reason(v, 48, "ept-violation", 34);
	v->io_ignored = 5;
	vm_set_has(v, SPLITVISOR_A_VM_IO_IGNORED);
	v->msr_gp = 1;
	vm_set_has(v, SPLITVISOR_A_VM_MSR_GP);
	v->ipis_dropped = 0;
	vm_set_has(v, SPLITVISOR_A_VM_IPIS_DROPPED);
	v->root_irqs_dropped = 2;
	vm_set_has(v, SPLITVISOR_A_VM_ROOT_IRQS_DROPPED);
	v->console_bytes = 4096;
	vm_set_has(v, SPLITVISOR_A_VM_CONSOLE_BYTES);
}

static void exited_vm(struct sv_vm *v)
{
	running_vm(v);
	v->state = SPLITVISOR_VM_STATE_EXITED;
	v->exit_status = 3;
	vm_set_has(v, SPLITVISOR_A_VM_EXIT_STATUS);
}

/* Crashed on an EPT violation outside its memory. */
static void crashed_vm(struct sv_vm *v)
{
	running_vm(v);
	v->state = SPLITVISOR_VM_STATE_CRASHED;
	v->crash = SPLITVISOR_VM_CRASH_MEMORY;
	vm_set_has(v, SPLITVISOR_A_VM_CRASH);
	snprintf(v->crash_text, sizeof(v->crash_text),
		 "write to 0x80000000, outside the VM's memory");
	vm_set_has(v, SPLITVISOR_A_VM_CRASH_TEXT);
	v->crash_exit_reason = 48;
	vm_set_has(v, SPLITVISOR_A_VM_CRASH_EXIT_REASON);
	v->crash_rip = 0xffffffff81000123ULL;
	vm_set_has(v, SPLITVISOR_A_VM_CRASH_RIP);
	v->crash_addr = 0x80000000;
	vm_set_has(v, SPLITVISOR_A_VM_CRASH_ADDR);
}

TEST(show_text_running)
{
	struct capture o;

	running_vm(&vm);
	report_vm_text(capture_open(&o), &vm);
	ASSERT_STREQ("name:          vm1\n"
		     "state:         running\n"
		     "cpus:          2-3\n"
		     "memory:        64M\n"
		     "cmdline:       console=ttyS0 quiet\n"
		     "image size:    12345 bytes\n"
		     "entry:         0x100000\n"
		     "exits:         1234\n"
		     "  cpuid          600\n"
		     "  io             600\n"
		     "  ept-violation  34\n"
		     "io ignored:    5\n"
		     "msr #GP:       1\n"
		     "ipis dropped:  0\n"
		     "root irqs:     2 dropped\n"
		     "console:       4096 bytes\n",
		     capture_text(&o));
	free(o.buf);
}

TEST(show_text_exited)
{
	struct capture o;

	exited_vm(&vm);
	report_vm_text(capture_open(&o), &vm);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "state:         exited\n"));
	ASSERT_NE(NULL, strstr(o.buf, "entry:         0x100000\n"
				      "exit status:   3\n"
				      "exits:         1234\n"));
	ASSERT_EQ(NULL, strstr(o.buf, "crash"));
	free(o.buf);
}

TEST(show_text_crashed)
{
	struct capture o;

	crashed_vm(&vm);
	report_vm_text(capture_open(&o), &vm);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "state:         crashed\n"));
	ASSERT_NE(NULL, strstr(o.buf,
			       "entry:         0x100000\n"
			       "crash:         memory: write to 0x80000000, outside the VM's memory\n"
			       "crash exit:    48 (ept-violation)\n"
			       "crash rip:     0xffffffff81000123\n"
			       "crash address: 0x80000000\n"
			       "exits:         1234\n"));
	ASSERT_EQ(NULL, strstr(o.buf, "exit status"));
	free(o.buf);
}

TEST(show_text_leaves_out_what_was_not_sent)
{
	struct capture o;

	memset(&vm, 0, sizeof(vm));
	snprintf(vm.name, sizeof(vm.name), "new");
	vm_set_has(&vm, SPLITVISOR_A_VM_NAME);
	vm_set_has(&vm, SPLITVISOR_A_VM_STATE);	/* empty */
	vm.mem_size = 2 * MiB;
	vm_set_has(&vm, SPLITVISOR_A_VM_MEM_SIZE);
	report_vm_text(capture_open(&o), &vm);
	ASSERT_STREQ("name:          new\n"
		     "state:         empty\n"
		     "memory:        2M\n",
		     capture_text(&o));
	free(o.buf);
}

TEST(show_json_running)
{
	struct capture o;

	running_vm(&vm);
	report_vm_json(capture_open(&o), &vm);
	ASSERT_STREQ("{\"name\":\"vm1\",\"state\":\"running\",\"cpus\":[2,3],\"mem_size\":67108864,"
		     "\"cmdline\":\"console=ttyS0 quiet\",\"entry\":\"0x100000\",\"image_size\":12345,"
		     "\"exits_total\":1234,\"exits\":{\"cpuid\":600,\"io\":600,\"ept-violation\":34},"
		     "\"io_ignored\":5,\"msr_gp\":1,\"ipis_dropped\":0,\"root_irqs_dropped\":2,\"console_bytes\":4096}\n",
		     capture_text(&o));
	free(o.buf);
}

TEST(show_json_exited)
{
	struct capture o;

	exited_vm(&vm);
	report_vm_json(capture_open(&o), &vm);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "\"state\":\"exited\","));
	ASSERT_NE(NULL, strstr(o.buf, "\"image_size\":12345,\"exit_status\":3,\"exits_total\":1234,"));
	ASSERT_EQ(NULL, strstr(o.buf, "crash"));
	free(o.buf);
}

TEST(show_json_crashed)
{
	struct capture o;

	crashed_vm(&vm);
	report_vm_json(capture_open(&o), &vm);
	capture_text(&o);
	ASSERT_NE(NULL, strstr(o.buf, "\"state\":\"crashed\","));
	ASSERT_NE(NULL, strstr(o.buf,
			       "\"image_size\":12345,\"crash\":\"memory\","
			       "\"crash_text\":\"write to 0x80000000, outside the VM's memory\","
			       "\"crash_exit_reason\":48,\"crash_exit_name\":\"ept-violation\","
			       "\"crash_rip\":\"0xffffffff81000123\",\"crash_addr\":\"0x80000000\","
			       "\"exits_total\":1234,"));
	ASSERT_EQ(NULL, strstr(o.buf, "exit_status"));
	free(o.buf);
}

TEST(show_json_of_a_bare_vm)
{
	struct capture o;

	memset(&vm, 0, sizeof(vm));
	snprintf(vm.name, sizeof(vm.name), "a\"b");
	vm_set_has(&vm, SPLITVISOR_A_VM_NAME);
	report_vm_json(capture_open(&o), &vm);
	ASSERT_STREQ("{\"name\":\"a\\\"b\"}\n", capture_text(&o));
	free(o.buf);
}

TEST(crash_kinds_and_states_have_names)
{
	ASSERT_STREQ("empty", vm_state_name(SPLITVISOR_VM_STATE_EMPTY));
	ASSERT_STREQ("loaded", vm_state_name(SPLITVISOR_VM_STATE_LOADED));
	ASSERT_STREQ("running", vm_state_name(SPLITVISOR_VM_STATE_RUNNING));
	ASSERT_STREQ("stopped", vm_state_name(SPLITVISOR_VM_STATE_STOPPED));
	ASSERT_STREQ("exited", vm_state_name(SPLITVISOR_VM_STATE_EXITED));
	ASSERT_STREQ("crashed", vm_state_name(SPLITVISOR_VM_STATE_CRASHED));
	ASSERT_STREQ("destroyed",
		     vm_state_name(SPLITVISOR_VM_STATE_DESTROYED));
	ASSERT_STREQ("unknown", vm_state_name(99));
	ASSERT_STREQ("none", vm_crash_name(SPLITVISOR_VM_CRASH_NONE));
	ASSERT_STREQ("triple-fault",
		     vm_crash_name(SPLITVISOR_VM_CRASH_TRIPLE_FAULT));
	ASSERT_STREQ("memory", vm_crash_name(SPLITVISOR_VM_CRASH_MEMORY));
	ASSERT_STREQ("unhandled-exit",
		     vm_crash_name(SPLITVISOR_VM_CRASH_UNHANDLED_EXIT));
	ASSERT_STREQ("entry-failed",
		     vm_crash_name(SPLITVISOR_VM_CRASH_ENTRY_FAILED));
	ASSERT_STREQ("unknown", vm_crash_name(5));
}

TEST(crash_exit_name_from_table_then_reply_then_number)
{
	char buf[STATS_REASON_NAME_LEN];

	memset(&vm, 0, sizeof(vm));
	vm.crash_exit_reason = 2;
	ASSERT_STREQ("triple-fault", vm_crash_exit_name(&vm, buf, sizeof(buf)));
	vm.crash_exit_reason = 33;
	ASSERT_STREQ("invalid-guest-state",
		     vm_crash_exit_name(&vm, buf, sizeof(buf)));
	/* a reason newer than vmctl, named by the module among the exits */
	vm.crash_exit_reason = 80;
	reason(&vm, 80, "shiny-new", 1);
	ASSERT_STREQ("shiny-new", vm_crash_exit_name(&vm, buf, sizeof(buf)));
	vm.crash_exit_reason = 81;
	ASSERT_STREQ("reason-81", vm_crash_exit_name(&vm, buf, sizeof(buf)));
}

TEST(list_text_lines_up)
{
	struct sv_vm_list list = { 0 };
	struct capture o;
	struct sv_vm *v;

	running_vm(vm_list_add(&list));
	v = vm_list_add(&list);
	crashed_vm(v);
	snprintf(v->name, sizeof(v->name), "database-1");
	cpuset_clear(&v->cpus);
	cpuset_add(&v->cpus, 1);
	cpuset_add(&v->cpus, 4);
	cpuset_add(&v->cpus, 5);
	cpuset_add(&v->cpus, 6);
	v->mem_size = 1024 * MiB;
	v->exits_total = 7;
	v = vm_list_add(&list);
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "x");
	vm_set_has(v, SPLITVISOR_A_VM_NAME);
	vm_set_has(v, SPLITVISOR_A_VM_STATE);
	report_vm_list_text(capture_open(&o), &list);
	ASSERT_STREQ("NAME        STATE    CPUS   MEM  EXITS\n"
		     "vm1         running  2-3    64M   1234\n"
		     "database-1  crashed  1,4-6   1G      7\n"
		     "x           empty    -        -      -\n",
		     capture_text(&o));
	free(o.buf);
	vm_list_free(&list);
}

TEST(list_of_no_vms)
{
	struct sv_vm_list list = { 0 };
	struct capture o;

	report_vm_list_text(capture_open(&o), &list);
	ASSERT_STREQ("NAME  STATE  CPUS  MEM  EXITS\n", capture_text(&o));
	free(o.buf);
	report_vm_list_json(capture_open(&o), &list);
	ASSERT_STREQ("[]\n", capture_text(&o));
	free(o.buf);
}

TEST(list_json_is_an_array_of_show_objects)
{
	struct sv_vm_list list = { 0 };
	struct capture o;
	struct sv_vm *v;

	v = vm_list_add(&list);
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "a");
	vm_set_has(v, SPLITVISOR_A_VM_NAME);
	vm_set_has(v, SPLITVISOR_A_VM_STATE);
	v = vm_list_add(&list);
	exited_vm(v);
	report_vm_list_json(capture_open(&o), &list);
	capture_text(&o);
	ASSERT_EQ(o.buf, strstr(o.buf, "[{\"name\":\"a\",\"state\":\"empty\"},{\"name\":\"vm1\",\"state\":\"exited\",\"cpus\":[2,3],"));
	ASSERT_STREQ("\"console_bytes\":4096}]\n",
		     strstr(o.buf, "\"console_bytes\":4096}]"));
	free(o.buf);
	vm_list_free(&list);
}

/* What a VM_STATE_EVENT carries. */
static void event(struct sv_vm *v, const char *name, uint32_t state)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	vm_set_has(v, SPLITVISOR_A_VM_NAME);
	v->state = state;
	vm_set_has(v, SPLITVISOR_A_VM_STATE);
}

TEST(event_lines)
{
	struct capture o;

	event(&vm, "vm1", SPLITVISOR_VM_STATE_RUNNING);
	report_vm_event_text(capture_open(&o), &vm);
	ASSERT_STREQ("vm vm1 running\n", capture_text(&o));
	free(o.buf);
	report_vm_event_json(capture_open(&o), &vm);
	ASSERT_STREQ("{\"name\":\"vm1\",\"state\":\"running\"}\n",
		     capture_text(&o));
	free(o.buf);

	event(&vm, "vm1", SPLITVISOR_VM_STATE_EXITED);
	vm.exit_status = 0;
	vm_set_has(&vm, SPLITVISOR_A_VM_EXIT_STATUS);
	report_vm_event_text(capture_open(&o), &vm);
	ASSERT_STREQ("vm vm1 exited status 0\n", capture_text(&o));
	free(o.buf);
	report_vm_event_json(capture_open(&o), &vm);
	ASSERT_STREQ("{\"name\":\"vm1\",\"state\":\"exited\",\"exit_status\":0}\n",
		     capture_text(&o));
	free(o.buf);

	event(&vm, "vm2", SPLITVISOR_VM_STATE_CRASHED);
	vm.crash = SPLITVISOR_VM_CRASH_TRIPLE_FAULT;
	vm_set_has(&vm, SPLITVISOR_A_VM_CRASH);
	report_vm_event_text(capture_open(&o), &vm);
	ASSERT_STREQ("vm vm2 crashed crash triple-fault\n", capture_text(&o));
	free(o.buf);
	snprintf(vm.crash_text, sizeof(vm.crash_text),
		 "triple fault at rip 0x1000");
	vm_set_has(&vm, SPLITVISOR_A_VM_CRASH_TEXT);
	report_vm_event_text(capture_open(&o), &vm);
	ASSERT_STREQ("vm vm2 crashed crash triple-fault: triple fault at rip 0x1000\n",
		     capture_text(&o));
	free(o.buf);
	report_vm_event_json(capture_open(&o), &vm);
	ASSERT_STREQ("{\"name\":\"vm2\",\"state\":\"crashed\",\"crash\":\"triple-fault\",\"crash_text\":\"triple fault at rip 0x1000\"}\n",
		     capture_text(&o));
	free(o.buf);

	event(&vm, "vm2", SPLITVISOR_VM_STATE_DESTROYED);
	report_vm_event_text(capture_open(&o), &vm);
	ASSERT_STREQ("vm vm2 destroyed\n", capture_text(&o));
	free(o.buf);
}

TEST(sizes_in_the_largest_whole_unit)
{
	static const struct {
		uint64_t bytes;
		const char *text;
	} cases[] = {
		{ 0, "0" },
		{ 1000, "1000" },
		{ 1024, "1K" },
		{ 3072, "3K" },
		{ 2 * MiB, "2M" },
		{ 64 * MiB, "64M" },
		{ 1536 * MiB, "1536M" },
		{ 1024 * MiB, "1G" },
		{ 1ULL << 40, "1T" },
		{ 1ULL << 63, "8E" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		format_size(cases[i].bytes, buf, sizeof(buf));
		ASSERT_STREQ(cases[i].text, buf);
	}
}

TEST_HARNESS_MAIN
