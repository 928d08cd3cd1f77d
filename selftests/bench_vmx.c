// SPDX-License-Identifier: GPL-2.0
/*
 * bench_vmx: what the hypervisor costs, measured in one boot of the test
 * host (make bench runs it through tools/bench). It prints figures and the
 * targets next to them; it enforces none. Exit status 1 only when a figure
 * could not be measured.
 *
 *  1. A CPUID round trip in TSC cycles: 100000 CPUIDs of leaf 0 between
 *     two RDTSCs, median of 5, on bare Linux before splitvisor is loaded
 *     and again with it on (every CPUID is a VM exit then).
 *  2. KVM's cost for the same exit: kvm_intel from /modules/kvm (loaded
 *     before splitvisor), a 16-bit guest looping on CPUID then HLT, timed
 *     around KVM_RUN; cycles per CPUID exit from two loop counts, so that
 *     entering and leaving the guest cancels out. The figure to compare:
 *     splitvisor's round trip over KVM's (target <= 0.25).
 *  3. The checked workload of test_vmx (one process per CPU, 4 times in a
 *     row), bare and virtualized alternately, 3 times each, medians; bare
 *     time over virtualized time (target >= 0.99).
 *  4. VM exits per second per CPU of an idle machine over 10 s, from
 *     vmctl --json stats (target <= 5); the exits of the vmctl run that
 *     takes the second reading are measured and taken off.
 *
 * Times inside Bochs follow its instruction count: the figures compare
 * runs within this boot, they are not real-world nanoseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "sv_util.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define CPUID_LOOPS	100000
#define REPEATS		5
#define WORKLOAD_RUNS	3
#define WORKLOAD_REPEAT	4
#define IDLE_SECS	10
/* Guest CPUID loop counts: the difference gives the cost of one exit. */
#define GUEST_SHORT	1000
#define GUEST_LONG	11000

#define TARGET_EXIT_RATIO	0.25
#define TARGET_WORKLOAD_RATIO	0.99
#define TARGET_IDLE_EXITS	5.0

/* TSC cycles per CPUID leaf 0 on CPU 0, median of REPEATS. */
static double cpuid_cycles(void)
{
	double v[REPEATS];
	unsigned int r[4];

	sv_pin_cpu(0);
	for (int i = 0; i < REPEATS; i++) {
		uint64_t t0 = sv_rdtsc();

		for (int j = 0; j < CPUID_LOOPS; j++)
			sv_cpuid(0, 0, r);
		v[i] = (double)(sv_rdtsc() - t0) / CPUID_LOOPS;
	}
	return sv_median(v, REPEATS);
}

static bool virtualized(void)
{
	unsigned int r[4];

	sv_cpuid(0x40000000, 0, r);
	return !memcmp(&r[1], "splitvisor\0\0", 12);
}

/*
 * The guest, 16-bit real mode at 0x1000, ESI = loop count:
 *	1: xor eax, eax; cpuid; dec esi; jnz 1b; hlt
 */
static const unsigned char guest_code[] = {
	0x66, 0x31, 0xc0,	/* xor eax, eax */
	0x0f, 0xa2,		/* cpuid */
	0x66, 0x4e,		/* dec esi */
	0x75, 0xf7,		/* jnz -9 */
	0xf4,			/* hlt */
};

#define GUEST_MEM	0x10000
#define GUEST_CODE	0x1000

struct kvm_guest {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	void *mem;
};

static void kvm_guest_close(struct kvm_guest *g)
{
	if (g->run && g->run != MAP_FAILED)
		munmap(g->run, g->run_size);
	if (g->mem && g->mem != MAP_FAILED)
		munmap(g->mem, GUEST_MEM);
	if (g->vcpu >= 0)
		close(g->vcpu);
	if (g->vm >= 0)
		close(g->vm);
	if (g->kvm >= 0)
		close(g->kvm);
}

static int kvm_guest_open(struct kvm_guest *g)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = GUEST_MEM,
	};
	struct kvm_sregs sregs;
	int n;

	memset(g, 0, sizeof(*g));
	g->vm = g->vcpu = -1;
	g->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (g->kvm < 0)
		return -errno;
	if (ioctl(g->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return -EINVAL;
	g->vm = ioctl(g->kvm, KVM_CREATE_VM, 0);
	if (g->vm < 0)
		return -errno;
	g->mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->mem == MAP_FAILED)
		return -errno;
	memcpy((char *)g->mem + GUEST_CODE, guest_code, sizeof(guest_code));
	region.userspace_addr = (uintptr_t)g->mem;
	if (ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &region))
		return -errno;
	g->vcpu = ioctl(g->vm, KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0)
		return -errno;
	n = ioctl(g->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (n <= 0)
		return -EINVAL;
	g->run_size = n;
	g->run = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	if (g->run == MAP_FAILED)
		return -errno;
	if (ioctl(g->vcpu, KVM_GET_SREGS, &sregs))
		return -errno;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(g->vcpu, KVM_SET_SREGS, &sregs))
		return -errno;
	return 0;
}

/* TSC cycles of one KVM_RUN of the guest with LOOPS CPUIDs, or 0. */
static uint64_t kvm_guest_run(struct kvm_guest *g, unsigned int loops)
{
	struct kvm_regs regs = {
		.rip = GUEST_CODE, .rsi = loops, .rflags = 0x2,
	};
	uint64_t t0, t1;

	if (ioctl(g->vcpu, KVM_SET_REGS, &regs))
		return 0;
	t0 = sv_rdtsc();
	if (ioctl(g->vcpu, KVM_RUN, 0))
		return 0;
	t1 = sv_rdtsc();
	if (g->run->exit_reason != KVM_EXIT_HLT) {
		fprintf(stderr, "bench: guest exit reason %u, not HLT\n",
			g->run->exit_reason);
		return 0;
	}
	return t1 - t0;
}

/* KVM's cycles per CPUID exit, or a negative errno. */
static double kvm_exit_cycles(void)
{
	double s[REPEATS], l[REPEATS];
	struct kvm_guest g;
	int err;

	sv_pin_cpu(0);
	err = kvm_guest_open(&g);
	if (err) {
		fprintf(stderr, "bench: cannot set up a KVM guest: %s\n",
			strerror(-err));
		kvm_guest_close(&g);
		return err;
	}
	kvm_guest_run(&g, 10);	/* first entry: page faults, setup */
	for (int i = 0; i < REPEATS; i++) {
		s[i] = kvm_guest_run(&g, GUEST_SHORT);
		l[i] = kvm_guest_run(&g, GUEST_LONG);
		if (!s[i] || !l[i]) {
			kvm_guest_close(&g);
			return -EIO;
		}
	}
	kvm_guest_close(&g);
	return (sv_median(l, REPEATS) - sv_median(s, REPEATS)) /
	       (GUEST_LONG - GUEST_SHORT);
}

static int kvm_load(void)
{
	static const char * const mods[] = {
		"kvm/irqbypass", "kvm/kvm", "kvm/kvm_intel",
	};
	int err;

	for (unsigned int i = 0; i < ARRAY_SIZE(mods); i++) {
		err = sv_module_load(mods[i]);
		if (err && err != -EEXIST) {
			fprintf(stderr, "bench: loading %s: %s\n",
				sv_module_path(mods[i]), strerror(-err));
			return err;
		}
	}
	return 0;
}

static void kvm_unload(void)
{
	sv_module_unload("kvm_intel");
	sv_module_unload("kvm");
	sv_module_unload("irqbypass");
}

/*
 * Milliseconds of WORKLOAD_REPEAT checked workload runs (one process per
 * CPU each), or -1.
 */
static double workload_ms(int ncpus)
{
	struct timespec t0, t1;
	int bad = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < WORKLOAD_REPEAT && !bad; i++)
		bad = sv_workload_children(ncpus);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (bad) {
		fprintf(stderr, "bench: workload: %d wrong results\n", bad);
		return -1;
	}
	return (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
}

static int splitvisor_on(void)
{
	int err = sv_module_ensure_loaded();

	if (err) {
		fprintf(stderr, "bench: loading splitvisor: %s\n", strerror(-err));
		return err;
	}
	sv_pin_cpu(0);
	if (!virtualized()) {
		fprintf(stderr, "bench: splitvisor loaded but CPU 0 is not virtualized\n");
		return -ENODEV;
	}
	return 0;
}

static void print_ratio(const char *what, double a, double b,
			const char *cmp, double target)
{
	if (a > 0 && b > 0)
		printf("%-34s %.3f   (target %s %.2f)\n", what, a / b, cmp,
		       target);
	else
		printf("%-34s n/a\n", what);
}

/*
 * Idle VM exits per second per CPU over IDLE_SECS into RATE, and without
 * taking off vmctl's own into RAW; 0 or -1.
 */
static int idle_exits(double *rate, double *raw, int *cpus, int *n)
{
	struct sv_hv_stats *s = calloc(3, sizeof(*s));
	char *out = NULL;
	int i, ret = -1;

	if (!s)
		return -1;
	/* s[0] -> s[1]: one vmctl run; s[1] -> s[2]: idle + one vmctl run. */
	if (sv_hv_stats(&s[0], &out) || sv_hv_stats(&s[1], NULL))
		goto out;
	sleep(IDLE_SECS);
	if (sv_hv_stats(&s[2], NULL))
		goto out;
	*n = 0;
	for (i = 0; i < s[2].ncpus && i < SV_MAX_CPUS; i++) {
		const struct sv_cpu_stats *c0, *c1, *c2 = &s[2].cpu[i];
		double idle;

		c0 = sv_hv_stats_cpu(&s[0], c2->cpu);
		c1 = sv_hv_stats_cpu(&s[1], c2->cpu);
		if (!c0 || !c1)
			continue;
		idle = (double)(c2->exits - c1->exits) -
		       (double)(c1->exits - c0->exits);
		cpus[*n] = c2->cpu;
		raw[*n] = (double)(c2->exits - c1->exits) / IDLE_SECS;
		rate[(*n)++] = (idle < 0 ? 0 : idle) / IDLE_SECS;
		printf("#   cpu %d: %llu exits in %d s, %llu in one vmctl run\n",
		       c2->cpu, (unsigned long long)(c2->exits - c1->exits),
		       IDLE_SECS, (unsigned long long)(c1->exits - c0->exits));
	}
	ret = *n ? 0 : -1;
out:
	if (ret && out)
		fprintf(stderr, "bench: vmctl --json stats: %s\n", out);
	free(out);
	free(s);
	return ret;
}

int main(void)
{
	double bare = 0, virt = 0, kvm = -1, wb[WORKLOAD_RUNS], wv[WORKLOAD_RUNS];
	double rate[SV_MAX_CPUS], raw[SV_MAX_CPUS], bare_ms = 0, virt_ms = 0;
	int cpus[SV_MAX_CPUS], ncpus, nrate = 0, failures, i;
	struct utsname u;

	setvbuf(stdout, NULL, _IOLBF, 0);
	uname(&u);
	ncpus = sv_online_cpus(cpus, SV_MAX_CPUS);
	printf("# bench_vmx: Linux %s, %d CPU(s)\n", u.release, ncpus);
	if (sv_module_loaded("splitvisor") && sv_module_unload("splitvisor")) {
		fprintf(stderr, "bench: cannot unload splitvisor\n");
		return 1;
	}

	/* 1. Bare CPUID, before splitvisor was ever loaded in this boot. */
	bare = cpuid_cycles();
	printf("# cpuid bare: %.1f cycles\n", bare);

	/* 2. KVM, before splitvisor. */
	if (!kvm_load()) {
		kvm = kvm_exit_cycles();
		printf("# kvm cpuid exit: %.1f cycles\n", kvm);
	}
	kvm_unload();

	/* 3. The workload, bare and virtualized alternately. */
	for (i = 0; i < WORKLOAD_RUNS; i++) {
		sv_module_unload("splitvisor");
		wb[i] = workload_ms(ncpus);
		if (splitvisor_on()) {
			wv[i] = -1;
			break;
		}
		wv[i] = workload_ms(ncpus);
		printf("# workload run %d: bare %.1f ms, virtualized %.1f ms\n",
		       i + 1, wb[i], wv[i]);
	}
	if (i == WORKLOAD_RUNS) {
		bare_ms = sv_median(wb, WORKLOAD_RUNS);
		virt_ms = sv_median(wv, WORKLOAD_RUNS);
	}

	/* 1 again and 4, with splitvisor on. */
	if (!splitvisor_on()) {
		virt = cpuid_cycles();
		printf("# cpuid virtualized: %.1f cycles\n", virt);
		if (idle_exits(rate, raw, cpus, &nrate))
			nrate = 0;
	}

	printf("\nsplitvisor benchmark (Bochs TSC cycles / guest time; Linux %s, %d CPUs)\n",
	       u.release, ncpus);
	printf("%-34s %.1f cycles (median of %d x %d)\n", "CPUID bare:", bare,
	       REPEATS, CPUID_LOOPS);
	if (virt > 0)
		printf("%-34s %.1f cycles\n", "CPUID under splitvisor:", virt);
	else
		printf("%-34s n/a\n", "CPUID under splitvisor:");
	if (kvm > 0)
		printf("%-34s %.1f cycles\n", "CPUID exit under KVM:", kvm);
	else
		printf("%-34s n/a\n", "CPUID exit under KVM:");
	print_ratio("exit cost splitvisor/KVM:", virt, kvm, "<=",
		    TARGET_EXIT_RATIO);
	if (bare_ms > 0 && virt_ms > 0)
		printf("%-34s bare %.1f ms, virtualized %.1f ms (medians of %d)\n",
		       "workload:", bare_ms, virt_ms, WORKLOAD_RUNS);
	else
		printf("%-34s n/a\n", "workload:");
	print_ratio("workload bare/virtualized:", bare_ms, virt_ms, ">=",
		    TARGET_WORKLOAD_RATIO);
	for (i = 0; i < nrate; i++) {
		char what[40];

		snprintf(what, sizeof(what), "idle exits/s, cpu %d:", cpus[i]);
		printf("%-34s %.1f   (target <= %.0f; %.1f with vmctl's own)\n",
		       what, rate[i], TARGET_IDLE_EXITS, raw[i]);
	}
	if (!nrate)
		printf("%-34s n/a\n", "idle exits/s:");

	failures = !(bare > 0) + !(virt > 0) + !(kvm > 0) + !(bare_ms > 0) +
		   !(virt_ms > 0) + !nrate;
	printf("bench_vmx: %s\n", failures ? "some figures could not be measured" :
	       "all figures measured");
	return failures ? 1 : 0;
}
