// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor at work: with splitvisor loaded every online CPU runs
 * Linux in VMX non-root mode. The tests ask each CPU through VMCALL (by way
 * of the test-only helper module sv_selftest_helper), look at what the root
 * sees through CPUID, try the VMX instructions at CPL 0 and 3, check that a
 * workload keeps its results, switch the hypervisor off and on, load and
 * unload it repeatedly, take a CPU offline and back, make kvm_intel meet
 * it, read hypervisor memory from the root, and watch the tracepoint, the
 * exit counters and the netlink events. Runs with splitvisor loaded and
 * leaves it loaded.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define CPUID_1_ECX_VMX		(1u << 5)
#define CPUID_1_ECX_HYPERVISOR	(1u << 31)
#define EXIT_REASON_CPUID	10
#define X86_TRAP_UD		6

/*
 * How much less free memory (MemFree + per-CPU free lists, see free_kib())
 * 20 load/unload cycles may leave without a leak: the sum moved by less
 * than 100 KiB over 20 cycles in the 2-CPU test host; 256 KiB is a leak of
 * 2 or more pages per CPU and cycle.
 */
#define FREE_TOLERANCE_KIB	256
#define LOAD_CYCLES		20
#define HOTPLUG_CYCLES		5

/* The online CPUs and what cpu_info said of them last. */
struct cpus {
	int ncpus;
	int cpus[SV_MAX_CPUS];
	struct sv_cpu_info ci[SV_MAX_CPUS];
};

FIXTURE(vmx) {
	struct cpus c;
};

FIXTURE_SETUP(vmx)
{
	ASSERT_EQ(0, sv_module_ensure_loaded());
	ASSERT_EQ(0, sv_helper_ensure_loaded());
	self->c.ncpus = sv_online_cpus(self->c.cpus, SV_MAX_CPUS);
	ASSERT_LT(0, self->c.ncpus);
}

FIXTURE_TEARDOWN(vmx)
{
}

/* cpu_info of every online CPU: how many say virtualized. */
static int count_virtualized(struct __test_metadata *_metadata,
			     struct cpus *cs, bool log)
{
	int n, i, v = 0;

	cs->ncpus = sv_online_cpus(cs->cpus, SV_MAX_CPUS);
	n = sv_cpu_info(cs->ci, SV_MAX_CPUS);
	if (n < 0) {
		TH_LOG("cannot read %s/cpu_info: %s", SV_HELPER_DIR,
		       strerror(-n));
		return -1;
	}
	for (i = 0; i < cs->ncpus; i++) {
		int cpu = cs->cpus[i];

		if (sv_cpu_info_virtualized(cs->ci, n, cpu))
			v++;
		else if (log)
			TH_LOG("cpu %d is not virtualized", cpu);
	}
	if (log && n != cs->ncpus)
		TH_LOG("cpu_info has %d lines for %d online CPUs", n,
		       cs->ncpus);
	return v;
}

/* cpu_info: how many online CPUs say #UD, i.e. run bare. */
static int count_bare(struct cpus *cs)
{
	int n, i, j, bare = 0;

	cs->ncpus = sv_online_cpus(cs->cpus, SV_MAX_CPUS);
	n = sv_cpu_info(cs->ci, SV_MAX_CPUS);
	for (i = 0; i < cs->ncpus; i++)
		for (j = 0; j < n; j++)
			if (cs->ci[j].cpu == cs->cpus[i] &&
			    cs->ci[j].fault == X86_TRAP_UD)
				bare++;
	return bare;
}

#define ASSERT_ALL_VIRTUALIZED() \
	ASSERT_EQ(self->c.ncpus, count_virtualized(_metadata, &self->c, true))

static bool cpuid_has_signature(void)
{
	unsigned int r[4];

	sv_cpuid(SPLITVISOR_CPUID_SIGNATURE_LEAF, 0, r);
	return r[1] == SPLITVISOR_CPUID_SIG_EBX &&
	       r[2] == SPLITVISOR_CPUID_SIG_ECX &&
	       r[3] == SPLITVISOR_CPUID_SIG_EDX;
}

static unsigned int cpuid_1_ecx(void)
{
	unsigned int r[4];

	sv_cpuid(1, 0, r);
	return r[2];
}

/*
 * The hypervisor's state in vmctl --json status ("hv_state"; "hypervisor"
 * in the one-line reports of enable, disable and stats): 1 on, 0 off, -1
 * when vmctl failed or said neither.
 */
static int vmctl_says_on(void)
{
	struct sv_cmd c = sv_vmctl(-1, "--json", "status");
	int on = -1;

	if (c.status == 0 && c.out) {
		if (strstr(c.out, "\"hv_state\":\"on\"") ||
		    strstr(c.out, "\"hypervisor\":\"on\""))
			on = 1;
		else if (strstr(c.out, "\"hv_state\":\"off\"") ||
			 strstr(c.out, "\"hypervisor\":\"off\""))
			on = 0;
	}
	sv_cmd_free(&c);
	return on;
}

/* Run INSN on CPU through the helper; its answer into RES. */
static int run_vmx_insn(const char *insn, int cpu, char *res, size_t len)
{
	char cmd[64];
	char *s;
	int err;

	snprintf(cmd, sizeof(cmd), "%s %d", insn, cpu);
	err = sv_write_file(SV_HELPER_DIR "/vmx_insn", cmd);
	if (err)
		return err;
	s = sv_read_file(SV_HELPER_DIR "/vmx_insn");
	if (!s)
		return -errno;
	snprintf(res, len, "%s", s);
	res[strcspn(res, "\n")] = '\0';
	free(s);
	return 0;
}

static bool starts_with_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(s, word, n) && (s[n] == '\0' || s[n] == ' ');
}

TEST_F_TIMEOUT(vmx, every_cpu_virtualized, 120)
{
	int n, i;

	n = sv_cpu_info(self->c.ci, SV_MAX_CPUS);
	ASSERT_EQ(self->c.ncpus, n);
	for (i = 0; i < n; i++) {
		struct sv_cpu_info *c = &self->c.ci[i];

		TH_LOG("cpu %d: fault %d rax %lld rbx %llu rcx %llu rdx %llu",
		       c->cpu, c->fault, c->rax, c->rbx, c->rcx, c->rdx);
		EXPECT_EQ(-1, c->fault);
		EXPECT_EQ(0, c->rax);
		EXPECT_EQ((unsigned long long)c->cpu, c->rbx);
		EXPECT_EQ(1, c->rcx);
		/* The VMCALL itself is an exit: the count cannot be 0. */
		EXPECT_LT(0, c->rdx);
	}
	EXPECT_EQ(1, vmctl_says_on());
}

TEST_F_TIMEOUT(vmx, cpuid_shows_hypervisor_hides_vmx, 120)
{
	for (int i = 0; i < self->c.ncpus; i++) {
		unsigned int r[4];

		ASSERT_EQ(0, sv_pin_cpu(self->c.cpus[i]));
		sv_cpuid(SPLITVISOR_CPUID_SIGNATURE_LEAF, 0, r);
		TH_LOG("cpu %d: leaf 0x40000000 = %#x %#x %#x %#x",
		       self->c.cpus[i], r[0], r[1], r[2], r[3]);
		EXPECT_LE(SPLITVISOR_CPUID_INFO_LEAF, r[0]);
		EXPECT_EQ(SPLITVISOR_CPUID_SIG_EBX, r[1]);
		EXPECT_EQ(SPLITVISOR_CPUID_SIG_ECX, r[2]);
		EXPECT_EQ(SPLITVISOR_CPUID_SIG_EDX, r[3]);
		EXPECT_EQ(0, memcmp(&r[1], SPLITVISOR_CPUID_SIGNATURE, 12));
		sv_cpuid(SPLITVISOR_CPUID_INFO_LEAF, 0, r);
		EXPECT_EQ(SPLITVISOR_API_VERSION, r[0]);
		EXPECT_EQ(0, cpuid_1_ecx() & CPUID_1_ECX_VMX);
		EXPECT_NE(0, cpuid_1_ecx() & CPUID_1_ECX_HYPERVISOR);
	}
}

TEST_F_TIMEOUT(vmx, vmcall_from_user_is_sigill, 120)
{
	for (int i = 0; i < self->c.ncpus; i++) {
		int status;
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			unsigned long ax = SPLITVISOR_HC_CPU_INFO, bx = 0, cx = 0,
				      dx = 0;

			signal(SIGILL, SIG_DFL);
			if (sv_pin_cpu(self->c.cpus[i]))
				_exit(2);
			asm volatile("vmcall" : "+a" (ax), "+b" (bx), "+c" (cx),
				     "+d" (dx) : : "memory");
			_exit(0);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status))
			TH_LOG("cpu %d: VMCALL at CPL 3 did not kill (status %#x)",
			       self->c.cpus[i], status);
		if (WIFSIGNALED(status))
			EXPECT_EQ(SIGILL, WTERMSIG(status));
	}
}

TEST_F_TIMEOUT(vmx, vmx_instructions_raise_ud, 120)
{
	static const char * const insns[] = {
		"vmxon", "vmxoff", "vmread", "vmptrld", "invept",
	};
	char res[160];

	for (int i = 0; i < self->c.ncpus; i++) {
		for (unsigned int j = 0; j < ARRAY_SIZE(insns); j++) {
			ASSERT_EQ(0, run_vmx_insn(insns[j], self->c.cpus[i], res,
					      sizeof(res)));
			TH_LOG("cpu %d %s: %s", self->c.cpus[i], insns[j], res);
			EXPECT_TRUE(starts_with_word(res, "ud"));
		}
	}
	ASSERT_ALL_VIRTUALIZED();
	EXPECT_EQ(1, vmctl_says_on());
}

TEST_F_TIMEOUT(vmx, cr4_clear_vmxe_keeps_hypervisor, 120)
{
	char res[160];

	for (int i = 0; i < self->c.ncpus; i++) {
		ASSERT_EQ(0, run_vmx_insn("cr4_clear_vmxe", self->c.cpus[i], res,
				      sizeof(res)));
		TH_LOG("cpu %d: %s", self->c.cpus[i], res);
		EXPECT_TRUE(starts_with_word(res, "ok"));
	}
	ASSERT_ALL_VIRTUALIZED();
	EXPECT_EQ(1, vmctl_says_on());
	EXPECT_TRUE(cpuid_has_signature());
}

TEST_F_TIMEOUT(vmx, workload_results_right, 300)
{
	ASSERT_ALL_VIRTUALIZED();
	EXPECT_EQ(SV_WORKLOAD_HASH, sv_workload(SV_WORKLOAD_ROUNDS));
	EXPECT_EQ(0, sv_workload_children(2 * self->c.ncpus));
	ASSERT_ALL_VIRTUALIZED();
}

TEST_F_TIMEOUT(vmx, cpuid_exits_counted, 120)
{
	struct sv_hv_stats before, after;
	const struct sv_cpu_stats *b, *a;
	char *out;
	int cpu = self->c.cpus[0];

	ASSERT_EQ(0, sv_pin_cpu(cpu));
	ASSERT_EQ(0, sv_hv_stats(&before, &out))
		TH_LOG("vmctl --json stats: %s", out ? out : "(nothing)");
	free(out);
	for (int i = 0; i < 1000; i++) {
		unsigned int r[4];

		sv_cpuid(0, 0, r);
	}
	ASSERT_EQ(0, sv_hv_stats(&after, &out))
		TH_LOG("vmctl --json stats: %s", out ? out : "(nothing)");
	free(out);
	EXPECT_TRUE(before.on);
	EXPECT_EQ(self->c.ncpus, before.cpus_virtualized);
	b = sv_hv_stats_cpu(&before, cpu);
	a = sv_hv_stats_cpu(&after, cpu);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, a);
	TH_LOG("cpu %d: cpuid exits %llu -> %llu, all exits %llu -> %llu",
	       cpu, (unsigned long long)b->cpuid,
	       (unsigned long long)a->cpuid, (unsigned long long)b->exits,
	       (unsigned long long)a->exits);
	EXPECT_TRUE(a->virtualized);
	EXPECT_LE(b->cpuid + 1000, a->cpuid);
	EXPECT_LE(b->exits + 1000, a->exits);
	EXPECT_LE(before.exits + 1000, after.exits);
}

/* tracefs, mounted if it is not yet; NULL if there is none. */
static const char *tracefs(void)
{
	if (!access("/sys/kernel/tracing/events", F_OK))
		return "/sys/kernel/tracing";
	if (!mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		return "/sys/kernel/tracing";
	if (!access("/sys/kernel/debug/tracing/events", F_OK))
		return "/sys/kernel/debug/tracing";
	return NULL;
}

/* Does a splitvisor_exit line of the trace name reason 10 (cpuid)? */
static bool trace_has_cpuid_exit(const char *trace)
{
	for (const char *l = trace; l && *l; l = strchr(l, '\n')) {
		const char *end, *r;

		l += (*l == '\n');
		end = strchrnul(l, '\n');
		r = memmem(l, end - l, "splitvisor_exit", 15);
		if (!r)
			continue;
		r = memmem(r, end - r, "reason", 6);
		if (!r)
			continue;
		r += 6;
		while (r < end && (*r == '=' || *r == ':' || *r == ' '))
			r++;
		if (!strncmp(r, "cpuid", 5) ||
		    (strtol(r, NULL, 0) == EXIT_REASON_CPUID && isdigit(*r)))
			return true;
	}
	return false;
}

TEST_F_TIMEOUT(vmx, tracepoint_fires_on_cpuid, 120)
{
	const char *t = tracefs();
	char path[256], *trace;
	int fd;

	ASSERT_NE(NULL, t) TH_LOG("no tracefs");
	snprintf(path, sizeof(path), "%s/events/splitvisor/splitvisor_exit/enable", t);
	ASSERT_EQ(0, access(path, F_OK)) TH_LOG("no %s", path);
	/* Empty the buffer, then trace only this. */
	snprintf(path, sizeof(path), "%s/trace", t);
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(path, sizeof(path), "%s/events/splitvisor/splitvisor_exit/enable", t);
	ASSERT_EQ(0, sv_write_file(path, "1"));
	ASSERT_EQ(0, sv_pin_cpu(self->c.cpus[0]));
	for (int i = 0; i < 100; i++) {
		unsigned int r[4];

		sv_cpuid(0, 0, r);
	}
	ASSERT_EQ(0, sv_write_file(path, "0"));
	snprintf(path, sizeof(path), "%s/trace", t);
	trace = sv_read_file(path);
	ASSERT_NE(NULL, trace);
	EXPECT_TRUE(trace_has_cpuid_exit(trace))
		TH_LOG("no splitvisor_exit with reason 10 in: %.600s", trace);
	free(trace);
}

static uint64_t hidden_accesses(struct __test_metadata *_metadata)
{
	struct sv_hv_stats s;
	uint64_t sum = 0;
	char *out;

	if (sv_hv_stats(&s, &out)) {
		TH_LOG("vmctl --json stats: %s", out ? out : "(nothing)");
		free(out);
		return 0;
	}
	free(out);
	for (int i = 0; i < s.ncpus; i++)
		sum += s.cpu[i].hidden_accesses;
	return sum;
}

TEST_F_TIMEOUT(vmx, hidden_memory_reads_all_ones, 120)
{
	unsigned long long start = 0, end = 0, s, e;
	char *hidden, *val, what[64], pa[32];
	uint64_t before, after;

	hidden = sv_read_file(SV_HIDDEN_PATH);
	ASSERT_NE(NULL, hidden) TH_LOG("cannot read %s", SV_HIDDEN_PATH);
	for (char *l = hidden; *l; l = strchrnul(l, '\n'), l += !!*l) {
		if (sscanf(l, "%llx %llx %63s", &s, &e, what) == 3 &&
		    (!strcmp(what, "vmcs") || !strcmp(what, "vmxon"))) {
			start = s;
			end = e;
			break;
		}
	}
	ASSERT_NE(0, start) TH_LOG("no vmcs/vmxon range in: %.400s", hidden);
	free(hidden);
	TH_LOG("reading hidden range %#llx-%#llx (%s)", start, end, what);
	ASSERT_LT(start, end);

	before = hidden_accesses(_metadata);
	snprintf(pa, sizeof(pa), "%#llx", start);
	ASSERT_EQ(0, sv_write_file(SV_HELPER_DIR "/peek", pa));
	val = sv_read_file(SV_HELPER_DIR "/peek");
	ASSERT_NE(NULL, val) TH_LOG("peek: %s", strerror(errno));
	TH_LOG("peek %s: %.18s", pa, val);
	EXPECT_EQ(0, strcmp(val, "0xffffffffffffffff\n"));
	free(val);
	after = hidden_accesses(_metadata);
	TH_LOG("hidden_accesses %llu -> %llu", (unsigned long long)before,
	       (unsigned long long)after);
	EXPECT_LT(before, after);
	/* The root went on running. */
	ASSERT_ALL_VIRTUALIZED();
	EXPECT_EQ(SV_WORKLOAD_HASH, sv_workload(SV_WORKLOAD_ROUNDS));
}

/*
 * The next splitvisor event on FD: its state, or -1 when none came within
 * the socket's timeout.
 */
static int next_state_event(struct __test_metadata *_metadata, int fd,
			    int family)
{
	unsigned char buf[8192];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			TH_LOG("recv: %s", strerror(errno));
			return -1;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);
			const void *st;
			size_t plen;

			if (nlh->nlmsg_type != family ||
			    g->cmd != SPLITVISOR_CMD_HV_STATE_EVENT)
				continue;
			plen = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			st = sv_nla_find((char *)g + GENL_HDRLEN, plen,
					 SPLITVISOR_A_HV_STATE, NULL);
			if (!st) {
				TH_LOG("event without SPLITVISOR_A_HV_STATE");
				return -2;
			}
			return *(const __u32 *)st;
		}
	}
}

TEST_F_TIMEOUT(vmx, disable_enable_with_events, 300)
{
	/*
	 * The event is sent before vmctl gets its answer; the timeout only
	 * runs out when it is missing (and idle guest seconds are slow in
	 * Bochs: keep it short).
	 */
	struct timeval tv = { .tv_sec = 3 };
	int fd, family, grp;
	struct sv_cmd c;

	fd = sv_nl_open();
	ASSERT_LE(0, fd);
	family = sv_nl_family_id(fd, SPLITVISOR_FAMILY_NAME, NULL, 0);
	ASSERT_LT(0, family);
	grp = sv_nl_mcgrp_id(fd, SPLITVISOR_FAMILY_NAME,
			     SPLITVISOR_MCGRP_EVENTS);
	ASSERT_LT(0, grp) TH_LOG("events group: %d", grp);
	ASSERT_EQ(0, setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));

	c = sv_vmctl(-1, "disable", NULL);
	EXPECT_EQ(0, c.status) TH_LOG("vmctl disable: %s%s", c.out, c.err);
	sv_cmd_free(&c);
	EXPECT_EQ(SPLITVISOR_HV_STATE_OFF, next_state_event(_metadata, fd, family));
	EXPECT_EQ(0, vmctl_says_on());
	EXPECT_EQ(self->c.ncpus, count_bare(&self->c));
	for (int i = 0; i < self->c.ncpus; i++) {
		ASSERT_EQ(0, sv_pin_cpu(self->c.cpus[i]));
		EXPECT_FALSE(cpuid_has_signature());
		EXPECT_NE(0, cpuid_1_ecx() & CPUID_1_ECX_VMX);
	}
	EXPECT_EQ(SV_WORKLOAD_HASH, sv_workload(SV_WORKLOAD_ROUNDS));

	c = sv_vmctl(-1, "enable", NULL);
	EXPECT_EQ(0, c.status) TH_LOG("vmctl enable: %s%s", c.out, c.err);
	sv_cmd_free(&c);
	EXPECT_EQ(SPLITVISOR_HV_STATE_ON, next_state_event(_metadata, fd, family));
	EXPECT_EQ(1, vmctl_says_on());
	ASSERT_ALL_VIRTUALIZED();
	close(fd);
}

TEST_F_TIMEOUT(vmx, cpu_offline_online, 600)
{
	const char *online = "/sys/devices/system/cpu/cpu1/online";

	if (access(online, F_OK))
		SKIP(return, "no hot-pluggable cpu1 (run with 2 CPUs or more)");
	ASSERT_ALL_VIRTUALIZED();
	for (int i = 0; i < HOTPLUG_CYCLES; i++) {
		int n;

		ASSERT_EQ(0, sv_write_file(online, "0")) TH_LOG("cycle %d", i);
		n = sv_cpu_info(self->c.ci, SV_MAX_CPUS);
		for (int j = 0; j < n; j++)
			EXPECT_NE(1, self->c.ci[j].cpu);
		EXPECT_EQ(SV_WORKLOAD_HASH, sv_workload(SV_WORKLOAD_ROUNDS));
		ASSERT_EQ(0, sv_write_file(online, "1")) TH_LOG("cycle %d", i);
		n = sv_cpu_info(self->c.ci, SV_MAX_CPUS);
		ASSERT_TRUE(sv_cpu_info_virtualized(self->c.ci, n, 1))
			TH_LOG("cycle %d: cpu1 came back bare", i);
	}
	ASSERT_ALL_VIRTUALIZED();
	EXPECT_EQ(0, sv_workload_children(2 * self->c.ncpus));
}

/* The first oops marker in LOG, or NULL. */
static const char *kernel_trouble(const char *log)
{
	static const char * const bad[] = {
		"WARNING:", "BUG:", "Oops", "Call Trace:", "general protection",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *hit = strstr(log, bad[i]);

		if (hit)
			return hit;
	}
	return NULL;
}

/* Has LOG a line containing both A and B? */
static bool log_has_line_with(const char *log, const char *a, const char *b)
{
	for (const char *l = log; l && *l; l = strchr(l, '\n')) {
		const char *end, *pa, *pb;

		l += (*l == '\n');
		end = strchrnul(l, '\n');
		pa = memmem(l, end - l, a, strlen(a));
		pb = memmem(l, end - l, b, strlen(b));
		if (pa && pb)
			return true;
	}
	return false;
}

static long long kmsg_last(void)
{
	long long last = -1;

	free(sv_kmsg_since(-1, &last));
	return last;
}

static bool kvm_intel_does_vmxon_at_load(void)
{
	char *s = sv_read_file("/sys/module/kvm/parameters/enable_virt_at_load");
	bool y = s && s[0] == 'Y';

	free(s);
	return y;
}

TEST_F_TIMEOUT(vmx, kvm_intel_and_splitvisor_exclude_each_other, 600)
{
	long long seq = kmsg_last(), last;
	char *log;
	int err;

	ASSERT_ALL_VIRTUALIZED();
	if (!sv_module_loaded("irqbypass"))
		ASSERT_EQ(0, sv_module_load("kvm/irqbypass"));
	if (!sv_module_loaded("kvm"))
		ASSERT_EQ(0, sv_module_load("kvm/kvm"));

	/* VMX belongs to splitvisor: kvm_intel must refuse, cleanly. */
	err = sv_module_load("kvm/kvm_intel");
	TH_LOG("kvm_intel with splitvisor on: %d (%s)", err, strerror(-err));
	EXPECT_NE(0, err);
	EXPECT_FALSE(sv_module_loaded("kvm_intel"));
	log = sv_kmsg_since(seq, &last);
	ASSERT_NE(NULL, log);
	EXPECT_EQ(NULL, kernel_trouble(log)) TH_LOG("%.400s", kernel_trouble(log));
	free(log);
	ASSERT_ALL_VIRTUALIZED();

	/* Once splitvisor is gone, VMX is there for kvm_intel. */
	ASSERT_EQ(0, sv_module_unload("splitvisor"));
	EXPECT_NE(0, cpuid_1_ecx() & CPUID_1_ECX_VMX);
	ASSERT_EQ(0, sv_module_load("kvm/kvm_intel"));
	if (kvm_intel_does_vmxon_at_load()) {
		/* kvm_intel has done VMXON on every CPU: splitvisor refuses. */
		seq = kmsg_last();
		err = sv_module_load("splitvisor");
		TH_LOG("splitvisor with kvm_intel in VMX: %d (%s)", err,
		       strerror(-err));
		EXPECT_EQ(-EBUSY, err);
		if (!err)
			sv_module_unload("splitvisor");
		log = sv_kmsg_since(seq, &last);
		ASSERT_NE(NULL, log);
		/* The refusal is logged, naming what holds VMX. */
		EXPECT_TRUE(log_has_line_with(log, "splitvisor", "kvm_intel"))
			TH_LOG("kernel log: %.400s", log);
		free(log);
	}
	EXPECT_EQ(0, sv_module_unload("kvm_intel"));
	EXPECT_EQ(0, sv_module_unload("kvm"));
	EXPECT_EQ(0, sv_module_unload("irqbypass"));

	ASSERT_EQ(0, sv_module_load("splitvisor"));
	ASSERT_ALL_VIRTUALIZED();
	log = sv_kmsg_since(seq, &last);
	ASSERT_NE(NULL, log);
	EXPECT_EQ(NULL, kernel_trouble(log)) TH_LOG("%.400s", kernel_trouble(log));
	free(log);
}

/*
 * Free memory in KiB: MemFree plus the pages waiting in the per-CPU free
 * lists (the "count:" lines of /proc/zoneinfo), which MemFree leaves out.
 * A module's pages freed at unload land in those lists first: MemFree
 * alone swings by megabytes between two readings, this sum by less than
 * 100 KiB (measured, 20 load/unload cycles in the 2-CPU test host).
 */
static long free_kib(void)
{
	char *s, *p;
	long kib = -1, pcp = 0;

	sync();
	sv_write_file("/proc/sys/vm/drop_caches", "3");
	s = sv_read_file("/proc/zoneinfo");
	for (p = s; p && (p = strstr(p, "count:")); p += 6)
		pcp += strtol(p + 6, NULL, 10);
	free(s);
	s = sv_read_file("/proc/meminfo");
	p = s ? strstr(s, "MemFree:") : NULL;
	if (p)
		kib = strtol(p + strlen("MemFree:"), NULL, 10) +
		      pcp * (sysconf(_SC_PAGESIZE) / 1024);
	free(s);
	return kib;
}

/*
 * A child running the workload over and over until *STOP is closed (EOF
 * on its end of the pipe); it exits 0 if every result was right.
 */
static pid_t start_background_workload(int *stop)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		unsigned long runs = 0, bad = 0;
		char c;

		/* Never outlive the test, whichever way it ends. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(3);
		close(p[1]);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		while (read(p[0], &c, 1) < 0 && errno == EAGAIN) {
			if (sv_workload(SV_WORKLOAD_ROUNDS) != SV_WORKLOAD_HASH)
				bad++;
			runs++;
		}
		printf("# background workload: %lu runs, %lu wrong\n", runs,
		       bad);
		_exit(bad ? 1 : runs ? 0 : 2);
	}
	close(p[0]);
	*stop = p[1];
	return pid;
}

TEST_F_TIMEOUT(vmx, load_unload_cycles_under_load, 1200)
{
	long before, after;
	int status, stop;
	pid_t bg;

	/* One cycle first: what stays cached after the first load. */
	if (sv_module_loaded("splitvisor"))
		ASSERT_EQ(0, sv_module_unload("splitvisor"));
	ASSERT_EQ(0, sv_module_load("splitvisor"));
	ASSERT_EQ(0, sv_module_unload("splitvisor"));
	before = free_kib();
	ASSERT_LT(0, before);

	bg = start_background_workload(&stop);
	ASSERT_LT(0, bg);
	for (int i = 0; i < LOAD_CYCLES; i++) {
		int err = sv_module_load("splitvisor");

		ASSERT_EQ(0, err) TH_LOG("cycle %d: load: %s", i, strerror(-err));
		EXPECT_EQ(self->c.ncpus, count_virtualized(_metadata, &self->c, true))
			TH_LOG("cycle %d", i);
		err = sv_module_unload("splitvisor");
		ASSERT_EQ(0, err) TH_LOG("cycle %d: unload: %s", i, strerror(-err));
		EXPECT_EQ(self->c.ncpus, count_bare(&self->c)) TH_LOG("cycle %d", i);
	}
	close(stop);
	ASSERT_EQ(bg, waitpid(bg, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("background workload status %#x", status);

	after = free_kib();
	TH_LOG("free %ld KiB before %d cycles, %ld KiB after (%+ld KiB)",
	       before, LOAD_CYCLES, after, after - before);
	EXPECT_LT(before - after, FREE_TOLERANCE_KIB);

	ASSERT_EQ(0, sv_module_load("splitvisor"));
	ASSERT_ALL_VIRTUALIZED();
}

/*
 * Suspend would lose every CPU's VMX state: the PM notifier refuses it
 * with EBUSY and says why, and the hypervisor stays on. (Were it let
 * through, the test host would sleep with nothing to wake it: the suite
 * times out and fails.)
 */
TEST_F_TIMEOUT(vmx, suspend_refused_while_on, 300)
{
	long long seq = kmsg_last(), last;
	char *log;
	int fd;

	fd = open("/sys/power/state", O_WRONLY);
	ASSERT_LE(0, fd);
	errno = 0;
	EXPECT_EQ(-1, write(fd, "freeze", strlen("freeze")));
	EXPECT_EQ(EBUSY, errno);
	close(fd);
	log = sv_kmsg_since(seq, &last);
	ASSERT_NE(NULL, log);
	EXPECT_TRUE(log_has_line_with(log, "splitvisor", "suspend refused"))
		TH_LOG("kernel log: %.400s", log);
	free(log);
	ASSERT_ALL_VIRTUALIZED();
}

/*
 * [LO, HI): the splitvisor module's memory, its code first (.text), from
 * sysfs; no NMI Linux handles may have interrupted an address in it.
 */
static int splitvisor_range(unsigned long *lo, unsigned long *hi)
{
	char *text = sv_read_file("/sys/module/splitvisor/sections/.text");
	char *size = sv_read_file("/sys/module/splitvisor/coresize");
	int err = -1;

	if (text && size) {
		*lo = strtoul(text, NULL, 16);
		*hi = *lo + strtoul(size, NULL, 10);
		err = *lo ? 0 : -1;
	}
	free(text);
	free(size);
	return err;
}

/*
 * COUNT NMIs to TARGET through the helper, each sent GAP microseconds
 * after the last was handled: how many were sent, or -1.
 */
static int send_nmis(int target, int count, int gap, unsigned long lo,
		     unsigned long hi, unsigned int *received,
		     unsigned int *in_range)
{
	unsigned int sent, cpu;
	char cmd[96], *s;
	int n;

	snprintf(cmd, sizeof(cmd), "%d %d %lx %lx %d", target, count, lo, hi,
		 gap);
	if (sv_write_file(SV_HELPER_DIR "/nmi", cmd))
		return -1;
	s = sv_read_file(SV_HELPER_DIR "/nmi");
	if (!s)
		return -1;
	n = sscanf(s, "sent %u received %u in_range %u cpu %u", &sent,
		   received, in_range, &cpu);
	free(s);
	return n == 4 ? (int)sent : -1;
}

/* A child on CPU doing nothing but CPUID, i.e. VM exits back to back. */
static pid_t start_cpuid_loop(int cpu)
{
	pid_t pid = fork();

	if (pid == 0) {
		unsigned int r[4];

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1 || sv_pin_cpu(cpu))
			_exit(2);
		for (;;)
			sv_cpuid(0, 0, r);
	}
	return pid;
}

#define NMI_COUNT	100
#define NMI_GAP_US	20

/*
 * Every NMI sent to a virtualized CPU reaches Linux's NMI handler, in
 * Linux's own context: with the CPU idle; with it exiting all the time,
 * each NMI sent while Linux still handles the last one (held until its
 * IRET, NMI-window exiting); and exiting all the time with a gap between
 * NMIs, so that some may arrive while the hypervisor runs.
 */
TEST_F_TIMEOUT(vmx, nmis_reach_the_root, 900)
{
	struct sv_hv_stats *st = calloc(2, sizeof(*st));
	unsigned long lo, hi;
	uint64_t held = 0;
	char *out;

	ASSERT_NE(NULL, st);
	ASSERT_EQ(0, splitvisor_range(&lo, &hi));
	ASSERT_EQ(0, sv_hv_stats(&st[0], &out));
	free(out);
	for (int i = 0; i < self->c.ncpus; i++) {
		int target = self->c.cpus[i];
		int sender = self->c.cpus[(i + 1) % self->c.ncpus];
		unsigned int got = 0, in_range = 0;
		pid_t loop;

		ASSERT_EQ(0, sv_pin_cpu(sender));
		EXPECT_EQ(NMI_COUNT, send_nmis(target, NMI_COUNT, 0, lo, hi,
					       &got, &in_range));
		TH_LOG("cpu %d idle: %u of %d NMIs handled, %u in splitvisor's code",
		       target, got, NMI_COUNT, in_range);
		EXPECT_EQ(NMI_COUNT, got);
		EXPECT_EQ(0, in_range);

		loop = start_cpuid_loop(target);
		ASSERT_LT(0, loop);
		for (int gap = 0; gap <= NMI_GAP_US; gap += NMI_GAP_US) {
			EXPECT_EQ(NMI_COUNT, send_nmis(target, NMI_COUNT, gap,
						       lo, hi, &got, &in_range));
			TH_LOG("cpu %d exiting, %d us apart: %u of %d NMIs handled, %u in splitvisor's code",
			       target, gap, got, NMI_COUNT, in_range);
			EXPECT_EQ(NMI_COUNT, got);
			EXPECT_EQ(0, in_range);
		}
		kill(loop, SIGKILL);
		waitpid(loop, NULL, 0);
	}
	ASSERT_EQ(0, sv_hv_stats(&st[1], &out));
	free(out);
	for (int i = 0; i < self->c.ncpus; i++) {
		const struct sv_cpu_stats *b, *a;

		b = sv_hv_stats_cpu(&st[0], self->c.cpus[i]);
		a = sv_hv_stats_cpu(&st[1], self->c.cpus[i]);
		ASSERT_NE(NULL, b);
		ASSERT_NE(NULL, a);
		TH_LOG("cpu %d: %llu NMIs given to the root, %llu of them held while the hypervisor ran",
		       a->cpu, (unsigned long long)(a->nmis - b->nmis),
		       (unsigned long long)(a->nmis_in_hypervisor -
					    b->nmis_in_hypervisor));
		EXPECT_LE(b->nmis + 3 * NMI_COUNT, a->nmis);
		held += a->nmis_in_hypervisor - b->nmis_in_hypervisor;
	}
	/*
	 * How many arrived while the hypervisor ran depends on where Bochs
	 * switches between its emulated CPUs, mostly at VM entries: seen
	 * from 0 to 28 per CPU. Reported, not asserted; a lost or misplaced
	 * one fails above either way.
	 */
	TH_LOG("%llu NMIs arrived while the hypervisor ran",
	       (unsigned long long)held);
	free(st);
	ASSERT_ALL_VIRTUALIZED();
}

/* A process on CPU given port 0x80 by ioperm uses it: 0, or what went wrong. */
static int port_io_on_cpu(int cpu)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (sv_pin_cpu(cpu) || ioperm(0x80, 1, 1))
			_exit(3);
		/* Needs the TSS's I/O bitmap: a TR limit cut to 0x67 is #GP. */
		outb(0, 0x80);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * What a VM exit changes and leaving VMX must put back: GDT and IDT
 * limits (0xffff after an exit) and the TSS limit (0x67).
 */
TEST_F_TIMEOUT(vmx, cpu_state_intact_after_unload, 300)
{
	char *on, *off;

	on = sv_read_file(SV_HELPER_DIR "/desc");
	ASSERT_NE(NULL, on);
	for (int i = 0; i < self->c.ncpus; i++) {
		EXPECT_EQ(0, port_io_on_cpu(self->c.cpus[i]))
			TH_LOG("cpu %d, virtualized", self->c.cpus[i]);
	}
	ASSERT_EQ(0, sv_module_unload("splitvisor"));
	off = sv_read_file(SV_HELPER_DIR "/desc");
	ASSERT_NE(NULL, off);
	TH_LOG("virtualized:\n%sbare again:\n%s", on, off);
	EXPECT_STREQ(on, off);
	EXPECT_EQ(NULL, strstr(off, "65535"));
	for (int i = 0; i < self->c.ncpus; i++) {
		EXPECT_EQ(0, port_io_on_cpu(self->c.cpus[i]))
			TH_LOG("cpu %d, handed back", self->c.cpus[i]);
	}
	free(on);
	free(off);
	ASSERT_EQ(0, sv_module_load("splitvisor"));
	ASSERT_ALL_VIRTUALIZED();
}

TEST_F_TIMEOUT(vmx, vmx_visible_again_after_unload, 120)
{
	ASSERT_EQ(0, sv_module_unload("splitvisor"));
	EXPECT_EQ(self->c.ncpus, count_bare(&self->c));
	for (int i = 0; i < self->c.ncpus; i++) {
		ASSERT_EQ(0, sv_pin_cpu(self->c.cpus[i]));
		EXPECT_FALSE(cpuid_has_signature());
		EXPECT_NE(0, cpuid_1_ecx() & CPUID_1_ECX_VMX)
			TH_LOG("cpu %d: VMX still hidden", self->c.cpus[i]);
	}
	ASSERT_EQ(0, sv_module_load("splitvisor"));
	ASSERT_ALL_VIRTUALIZED();
}

TEST_HARNESS_MAIN
