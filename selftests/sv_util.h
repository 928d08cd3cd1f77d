/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the splitvisor selftests: loading the module with the
 * module syscalls, raw generic netlink (so tests can send malformed
 * requests no library would build), and running a command as a user.
 */
#ifndef SV_UTIL_H
#define SV_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SV_NOBODY_UID	65534

/* Path of a module built for the test host: $SPLITVISOR_MODULES/NAME.ko */
const char *sv_module_path(const char *name);
bool sv_module_loaded(const char *name);
/* 0 or -errno, like the syscalls */
int sv_module_load(const char *name);
/* With module parameters, e.g. "enable=0". */
int sv_module_load_params(const char *name, const char *params);
int sv_module_unload(const char *name);
/* Make sure splitvisor is loaded, whatever an earlier test left. */
int sv_module_ensure_loaded(void);

/* Raw generic netlink */
struct sv_nl_reply {
	int error;		/* 0 or -errno from NLMSG_ERROR */
	char extack[256];	/* NLMSGERR_ATTR_MSG, "" if none */
	unsigned char data[8192]; /* the reply message, if any */
	size_t len;
};

int sv_nl_open(void);
/* Family id of NAME, or -errno (-ENOENT when it does not exist). */
int sv_nl_family_id(int fd, const char *name, char *mcgrp, size_t mcgrp_len);
/*
 * Send CMD to FAMILY with RAW attribute bytes appended after the genl
 * header, setting genlmsghdr.reserved to RESERVED; collect the reply and
 * the final ack or error.
 */
int sv_nl_request(int fd, int family, unsigned char cmd, const void *raw,
		  size_t raw_len, unsigned short reserved,
		  struct sv_nl_reply *reply);

/* Attribute lookup inside a payload (start/len): NULL if absent. */
const void *sv_nla_find(const void *start, size_t len, int type,
			size_t *payload_len);

/*
 * Run ARGV (argv[0] a path) as UID (-1: unchanged), capturing stdout and
 * stderr into malloc'd strings. Returns the exit status, or -1.
 */
int sv_run(uid_t uid, const char *const argv[], char **out, char **err);

/*
 * Kernel log records after sequence number AFTER (-1: all), messages joined
 * by newlines into a malloc'd string; *LAST gets the last sequence number.
 */
char *sv_kmsg_since(long long after, long long *last);

/* Where run_tests.sh keeps "<kmsg seq> <taint>" from before the tests. */
#define SV_BASELINE_PATH	"/tmp/splitvisor-selftests.baseline"

/* vmctl ($VMCTL, default /usr/sbin/vmctl) with up to two arguments. */
struct sv_cmd {
	int status;
	char *out, *err;
};

const char *sv_vmctl_path(void);
struct sv_cmd sv_vmctl(uid_t uid, const char *a1, const char *a2);
/* vmctl as root with the NULL-terminated arguments from FIRST (at most 14). */
struct sv_cmd sv_vmctl_args(const char *first, ...);
void sv_cmd_free(struct sv_cmd *c);

/*
 * vmctl A1 A2 left running, its stdout and stderr in pipes. The test host
 * runs guest time slowly, so these tests wait for what vmctl prints, never
 * for a time.
 */
struct sv_background {
	pid_t pid;
	int out, err;
	char text[2][16384];	/* what came so far from out and err */
	size_t len[2];
};

int sv_vmctl_start(struct sv_background *bg, const char *a1, const char *a2);
/* Read stdout (0) or stderr (1) until it holds WANT (NULL: to its end). */
bool sv_wait_for_output(struct sv_background *bg, int which, const char *want);
/* Interrupt it as Ctrl-C would; its exit status. */
int sv_vmctl_interrupt(struct sv_background *bg);

/* Has vmctl hw-check's text a line "STATE NEED NAME ..."? */
bool sv_hw_check_has(const char *out, const char *state, const char *name);

/* GET_STATUS: the "hw" nest of a reply, and one feature's state by name. */
const void *sv_status_hw(const struct sv_nl_reply *r, size_t *len);
int sv_feature_state(const void *hw, size_t len, const char *name);

/* Whole contents of a file into a malloc'd string, or NULL. */
char *sv_read_file(const char *path);

/* --- For the VMX selftests (test_vmx) and bench_vmx --- */

#include <stdint.h>

/* The test-only helper module's debugfs files, and the module's own. */
#define SV_HELPER_MODULE	"sv_selftest_helper"
#define SV_HELPER_DIR		"/sys/kernel/debug/sv_selftest"
#define SV_HIDDEN_PATH		"/sys/kernel/debug/splitvisor/hidden"
#define SV_MAX_CPUS		64

/* CPUID on the calling CPU: r[0..3] = EAX, EBX, ECX, EDX. */
void sv_cpuid(unsigned int leaf, unsigned int subleaf, unsigned int r[4]);
/* RDTSC, ordered after what came before it. */
uint64_t sv_rdtsc(void);
/* The median of the N values at V (sorts them). */
double sv_median(double *v, int n);
/* Pin the calling thread to CPU; 0 or -errno. */
int sv_pin_cpu(int cpu);
/* Online CPU numbers into CPUS (at most MAX); how many, or -errno. */
int sv_online_cpus(int *cpus, int max);
/* Write S to the file PATH (no newline added); 0 or -errno. */
int sv_write_file(const char *path, const char *s);
/* Load the helper module unless loaded; 0 or -errno. */
int sv_helper_ensure_loaded(void);

/* One line of the helper's cpu_info: VMCALL SPLITVISOR_HC_CPU_INFO. */
struct sv_cpu_info {
	int cpu;
	int fault;		/* -1: the VMCALL returned; else the vector (6: #UD) */
	long long rax;
	unsigned long long rbx, rcx, rdx;
};

/* Lines of cpu_info into CI (at most MAX): how many, or -errno. */
int sv_cpu_info(struct sv_cpu_info *ci, int max);
/* Is CPU listed in cpu_info as virtualized (RAX 0, RBX its number, RCX 1)? */
bool sv_cpu_info_virtualized(const struct sv_cpu_info *ci, int n, int cpu);

/* How many of the online CPUs (into CPUS, NCPUS) are virtualized. */
int sv_cpus_virtualized(int *cpus, int *ncpus);

/* Tests that boot a second kernel from the first (test_kexec, test_kdump). */
/* Is WORD on the running kernel's command line? */
bool sv_cmdline_has(const char *word);
/*
 * Load /boot/vmlinuz by kexec_file_load with FLAGS, its initramfs the
 * running one packed again, its command line the running one and ARGS.
 * 0 or -errno.
 */
int sv_kexec_load_self(const char *args, unsigned long flags);
/*
 * Whether the CPU running this is under no hypervisor and sees VMX; then
 * whether splitvisor loads, virtualizes every online CPU, keeps the
 * workload right and unloads. NULL, or what is wrong.
 */
/*
 * VM "spin" (4 MiB, guests/spin.elf: spins with interrupts off) created on
 * CPU and running. NULL, or what went wrong (free it).
 */
char *sv_spin_vm_start(int cpu);
const char *sv_cpu_left_vmx(void);
const char *sv_hypervisor_comes_back(void);
/*
 * In a kernel started by kexec or a crash: whether as many CPUs are online
 * as CPUS_KEY on the command line says the first kernel had (a CPU some
 * hypervisor still holds in VMX operation does not take the INIT that
 * starts it), each under no hypervisor, and whether splitvisor virtualizes
 * them all afresh. NULL, or what is wrong (free it).
 */
char *sv_new_kernel_is_bare(const char *cpus_key);

/* vmctl --json stats, the figures the VMX tests use. */
struct sv_cpu_stats {
	int cpu;
	bool virtualized;
	uint64_t exits, hidden_accesses, unmapped_accesses;
	uint64_t nmis, nmis_in_hypervisor;	/* 0 from a module without them */
	uint64_t cpuid;		/* by_reason.cpuid, 0 when absent */
};

struct sv_hv_stats {
	bool on;
	int cpus_virtualized;
	uint64_t exits;
	int ncpus;
	struct sv_cpu_stats cpu[SV_MAX_CPUS];
};

/* 0, or -1 when vmctl failed or printed something else (OUT gets it). */
int sv_hv_stats(struct sv_hv_stats *s, char **out);
/* The entry of CPU in S, or NULL. */
const struct sv_cpu_stats *sv_hv_stats_cpu(const struct sv_hv_stats *s,
					   int cpu);

/*
 * Id of multicast group GROUP of generic netlink family FAMILY, or -errno
 * (-ENOENT: no such family or group). Unlike sv_nl_family_id's MCGRP,
 * which returns the first group's name, this returns the id to join.
 */
int sv_nl_mcgrp_id(int fd, const char *family, const char *group);

/*
 * The checked workload: CPU (hashing), system calls (getpid, and each
 * chunk written to a pipe and read back before it is hashed) and memory
 * (a fresh buffer every call, rewritten every round). Deterministic:
 * sv_workload(SV_WORKLOAD_ROUNDS) must return SV_WORKLOAD_HASH. Returns 0
 * when a system call failed or misbehaved.
 */
#define SV_WORKLOAD_ROUNDS	4
#define SV_WORKLOAD_HASH	0x8772572a7bf40c19ULL
uint64_t sv_workload(unsigned int rounds);
/*
 * CHILDREN processes run sv_workload(SV_WORKLOAD_ROUNDS) side by side;
 * returns how many got a wrong result or died (0: all right), or -1.
 */
int sv_workload_children(int children);

/* --- Memory accounting (test_module_cycles) --- */

/*
 * Free memory in KiB with the caches dropped: MemFree plus the free pages
 * on the per-CPU lists (the " count:" lines of /proc/zoneinfo). MemFree
 * alone leaves those out, and Linux 6.7 and later raise a list's high mark
 * after a burst of frees: MemFree then swings by 10-20 MB in the 2-CPU
 * test host while nothing is lost. -1 on error.
 */
long sv_free_kib(void);

void sv_sleep_ms(int ms);
/*
 * Wait until VM NAME's console holds TEXT or SECS pass: the console
 * (caller frees), or NULL after saying why if vmctl console failed.
 */
char *sv_wait_console(const char *name, const char *text, int secs);
/*
 * A child keeping the page allocator busy until sv_memory_churn_stop():
 * anonymous memory mapped, written and unmapped, a tmpfs file written and
 * removed, over and over. Its pid, or -1.
 */
pid_t sv_memory_churn_start(void);
/* Stop it and wait for it; 0 if it ran until told to stop. */
int sv_memory_churn_stop(pid_t pid);

#endif /* SV_UTIL_H */
