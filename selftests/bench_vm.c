// SPDX-License-Identifier: GPL-2.0
/*
 * bench_vm: what a VM costs and how fast one comes up, measured in one
 * boot of the test host (make bench runs it after bench_vmx). It prints
 * figures and the targets next to them; it enforces none. Exit status 1
 * only when a figure could not be measured. Needs 2 CPUs (one for the VM).
 *
 *  1. Boot: `vmctl create` of a 1-CPU, 4 MiB VM with hello.elf (CPU taken
 *     from Linux, memory, image), then `vmctl start` to the first console
 *     byte read through /dev/splitvisor; in ms, median of RUNS.
 *  2. Compute: the compute guest's own TSC count for compute_work(N)
 *     against the same loop (compute_work.h) run in the root, pinned to a
 *     root CPU, in this boot; root cycles over VM cycles (target >= 0.99:
 *     the VM core is as fast as a bare one).
 *  3. VM exits per second on a VM core while the compute guest computes:
 *     two readings of the VM's exit counter while it runs (target 0).
 *
 * Times inside Bochs follow its instruction count: the figures compare
 * runs within this boot, they are not real-world nanoseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <splitvisor.h>

#include "sv_util.h"
#include "../guests/compute/compute_work.h"

#define GUESTS		"/guests/"
#define RUNS		3
#define COMPUTE_N	"n=1000000"
#define COMPUTE_N_VAL	1000000ULL
#define COMPUTE_RESULT	"result=0xa8072e12a7002044 "
#define COMPUTE_RESULT_VAL	0xa8072e12a7002044ULL
/* Far longer than the two readings of its exit counter; destroy ends it. */
#define SPIN_N		"n=1000000000"
#define FIRST_BYTE_MS	60000

#define TARGET_COMPUTE_RATIO	0.99
#define TARGET_VM_EXITS		0.0

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* vmctl with the arguments after @out; 0 when it succeeded. */
#define vmctl(out, ...)	vmctl_status(out, sv_vmctl_args(__VA_ARGS__, NULL))

static int vmctl_status(char **out, struct sv_cmd c)
{
	if (c.status)
		fprintf(stderr, "# vmctl failed (%d): %s%s", c.status,
			c.out ? c.out : "", c.err ? c.err : "");
	if (out) {
		*out = c.out;
		c.out = NULL;
	}
	sv_cmd_free(&c);
	return c.status;
}

/* A descriptor attached to @name's console, or -1. */
static int console_open(const char *name)
{
	struct splitvisor_attach at = { .channel = SPLITVISOR_CHANNEL_CONSOLE };
	int fd = open("/dev/splitvisor", O_RDONLY);

	if (fd < 0)
		return -1;
	snprintf(at.name, sizeof(at.name), "%s", name);
	if (ioctl(fd, SPLITVISOR_IOC_ATTACH, &at)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Wait for the console's first byte; 0 once one was read. A read returns
 * what the console holds so far (0: nothing yet); poll waits for more.
 */
static int first_byte(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	char c;

	for (;;) {
		n = read(fd, &c, 1);
		if (n == 1)
			return 0;
		if (n < 0 || poll(&p, 1, FIRST_BYTE_MS) <= 0)
			return -1;
	}
}

/* One boot of hello.elf: create, and start to first byte, in ms. */
static int boot_once(double ms[2])
{
	double t0, t1, t2;
	int fd, ret = -1;

	t0 = now_ms();
	if (vmctl(NULL, "create", "boot", "--cpus", "1", "--mem", "4M",
		  "--image", GUESTS "hello.elf"))
		return -1;
	fd = console_open("boot");
	if (fd < 0)
		goto out;
	t1 = now_ms();
	if (vmctl(NULL, "start", "boot") || first_byte(fd))
		goto out_fd;
	t2 = now_ms();
	ms[0] = t1 - t0;
	ms[1] = t2 - t1;
	ret = 0;
out_fd:
	close(fd);
out:
	vmctl(NULL, "destroy", "boot");
	return ret;
}

static const char *json_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? p + strlen(key) : NULL;
}

/* "state" and "exits_total" of vmctl --json show NAME. */
static int vm_sample(const char *name, char *state, size_t len,
		     unsigned long long *exits)
{
	const char *p;
	char *out;
	int ret = -1;

	if (vmctl(&out, "--json", "show", name))
		return -1;
	p = json_after(out, "\"state\":\"");
	if (p) {
		snprintf(state, len, "%.*s", (int)strcspn(p, "\""), p);
		p = json_after(out, "\"exits_total\":");
		if (p) {
			*exits = strtoull(p, NULL, 10);
			ret = 0;
		}
	}
	free(out);
	return ret;
}

/* Wait until the VM has left "running"; its console. */
static char *run_to_end(const char *name)
{
	unsigned long long exits;
	char state[32], *con = NULL;

	do {
		if (vm_sample(name, state, sizeof(state), &exits))
			return NULL;
		usleep(20000);
	} while (!strcmp(state, "running"));
	if (vmctl(&con, "console", name))
		return NULL;
	return con;
}

static unsigned long long console_u64(const char *con, const char *key)
{
	const char *p = json_after(con, key);

	return p ? strtoull(p, NULL, 10) : 0;
}

/* TSC cycles of compute_work(COMPUTE_N_VAL) on root CPU 0, median; -1 if wrong. */
static double root_compute_cycles(void)
{
	double v[RUNS];

	sv_pin_cpu(0);
	for (int i = 0; i < RUNS; i++) {
		uint64_t t0 = sv_rdtsc(), result;

		result = compute_work(COMPUTE_N_VAL);
		v[i] = (double)(sv_rdtsc() - t0);
		if (result != COMPUTE_RESULT_VAL)
			return -1;
	}
	return sv_median(v, RUNS);
}

/* TSC cycles the compute guest reports for COMPUTE_N, median. */
static double vm_compute_cycles(void)
{
	double v[RUNS];
	char *con;

	for (int i = 0; i < RUNS; i++) {
		if (vmctl(NULL, "create", "compute", "--cpus", "1", "--mem", "4M",
			  "--cmdline", COMPUTE_N, "--image", GUESTS "compute.elf") ||
		    vmctl(NULL, "start", "compute"))
			goto fail;
		con = run_to_end("compute");
		vmctl(NULL, "destroy", "compute");
		if (!con || !strstr(con, COMPUTE_RESULT)) {
			fprintf(stderr, "# compute guest: %s\n", con ? con : "no console");
			free(con);
			return -1;
		}
		v[i] = (double)console_u64(con, "cycles=");
		free(con);
	}
	return sv_median(v, RUNS);
fail:
	vmctl(NULL, "destroy", "compute");
	return -1;
}

/* Exits per second of a VM core while its guest computes; -1 on failure. */
static double vm_core_exits(unsigned long long *exits, double *secs)
{
	unsigned long long e0, e1;
	char state[32];
	double t0, t1, rate = -1;

	if (vmctl(NULL, "create", "spin", "--cpus", "1", "--mem", "4M",
		  "--cmdline", SPIN_N, "--image", GUESTS "compute.elf") ||
	    vmctl(NULL, "start", "spin"))
		goto out;
	/* Past the guest's start-up (mode switches, its first exits). */
	usleep(20000);
	if (vm_sample("spin", state, sizeof(state), &e0) || strcmp(state, "running"))
		goto out;
	t0 = now_ms();
	usleep(200000);
	if (vm_sample("spin", state, sizeof(state), &e1) || strcmp(state, "running"))
		goto out;
	t1 = now_ms();
	*exits = e1 - e0;
	*secs = (t1 - t0) / 1e3;
	rate = *exits / *secs;
out:
	vmctl(NULL, "destroy", "spin");
	return rate;
}

int main(void)
{
	double create[RUNS], first[RUNS], root, vm, rate, secs;
	unsigned long long exits;
	int bad = 0;

	if (sv_module_ensure_loaded()) {
		fprintf(stderr, "bench_vm: splitvisor does not load\n");
		return 1;
	}
	printf("splitvisor VM benchmark (Bochs time: compare within this run)\n");

	for (int i = 0; i < RUNS; i++) {
		double ms[2];

		if (boot_once(ms)) {
			fprintf(stderr, "bench_vm: boot run %d failed\n", i);
			return 1;
		}
		create[i] = ms[0];
		first[i] = ms[1];
	}
	printf("vm boot: create %.1f ms, start to first console byte %.1f ms (median of %d)\n",
	       sv_median(create, RUNS), sv_median(first, RUNS), RUNS);

	root = root_compute_cycles();
	vm = vm_compute_cycles();
	if (root <= 0 || vm <= 0) {
		fprintf(stderr, "bench_vm: compute_work gave no figure (root %.0f, VM %.0f)\n",
			root, vm);
		bad = 1;
	} else {
		printf("compute_work(%llu): root %.0f cycles, VM %.0f cycles: ratio %.3f (target >= %.2f)\n",
		       COMPUTE_N_VAL, root, vm, root / vm, TARGET_COMPUTE_RATIO);
	}

	rate = vm_core_exits(&exits, &secs);
	if (rate < 0) {
		fprintf(stderr, "bench_vm: no exit counts of a computing VM\n");
		bad = 1;
	} else {
		printf("vm core exits while computing: %llu in %.2f s = %.1f/s (target %.0f)\n",
		       exits, secs, rate, TARGET_VM_EXITS);
	}
	printf("bench_vm: %s\n", bad ? "some figures missing" : "done");
	return bad;
}
