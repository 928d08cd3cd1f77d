// SPDX-License-Identifier: GPL-2.0
/*
 * Control-plane fuzzing: random generic netlink messages to the
 * "splitvisor" family, and random ioctls, reads, writes and seeks on
 * /dev/splitvisor. Whatever arrives, the module must answer every request
 * (one ack, or one DONE for a dump), refuse with a negative errno, never
 * hang, never oops or warn, and leave nothing behind: afterwards no VM is
 * left, the hypervisor is on as loading leaves it and the module unloads.
 *
 * The requests come from a seeded generator that never looks at replies:
 * SPLITVISOR_FUZZ_SEED=N repeats a run's requests exactly, and
 * SPLITVISOR_FUZZ_ROUNDS=N changes how many there are (default 10000 of
 * each kind).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

#define FUZZ_ROUNDS		10000
#define FUZZ_TEST_SECS		1200	/* the harness's limit; the watchdog is sooner */
#define WATCHDOG_SECS		60	/* one call this long counts as a hang */
#define ERRNO_SLOTS		512
#define SZ_2M			(2ULL << 20)

/* Netlink: requests per sendmsg, sizes, how long a reply may take. */
#define NL_BATCH_MAX		16
#define NL_MSG_SMALL		4096
#define NL_MSG_LARGE		(64 * 1024 + 512)	/* one attribute fills nla_len */
/* Room for a batch of large messages and the sentinel. */
#define NL_SEND_MAX		((NL_BATCH_MAX + 1) * (NL_MSG_LARGE + 64))
#define NL_RECV_MAX		(256 * 1024)
#define NL_SOCKBUF		(4 << 20)
#define NL_TIMEOUT_SECS		30
#define NL_DEPTH_MAX		6
/* A command no op has: the sentinel that closes every batch. */
#define NL_SENTINEL_CMD		(SPLITVISOR_CMD_MAX + 100)

/* The names the fuzzer creates VMs with, and the one the device test uses. */
#define VM_POOL			3
#define DEV_VM			"fzdev"
#define VM_NAMES_MAX		64

/* /dev/splitvisor: descriptors kept open at once. */
#define DEV_FDS			4

static unsigned long long fuzz_seed;
static unsigned long fuzz_rounds = FUZZ_ROUNDS;
/* The kernel log and taint before the first test, and the CPUs online. */
static long long kmsg_mark = -1;
static unsigned long taint_mark;
static char *cpus_online_mark;

/* --- Reproducible random numbers (splitmix64) --- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? rnd(r) % n : 0;
}

/* True once in N. */
static bool one_in(struct rng *r, uint32_t n)
{
	return below(r, n) == 0;
}

static const uint64_t edge_values[] = {
	0, 1, 2, 3, 7, 8, 9, 31, 32, 63, 64, 127, 128, 255, 256, 1023, 1024,
	4095, 4096, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff, 0x100000000ULL, SZ_2M - 1, SZ_2M, SZ_2M + 1,
	2 * SZ_2M, 511 * SZ_2M, 512 * SZ_2M, 513 * SZ_2M, 1ULL << 31,
	1ULL << 32, (1ULL << 32) + SZ_2M, 1ULL << 52, 1ULL << 63,
	~0ULL << 21, ~0ULL - 1, ~0ULL,
};

static uint64_t pick_value(struct rng *r)
{
	switch (below(r, 4)) {
	case 0:
		return rnd(r);
	case 1:
		return rnd(r) >> below(r, 64);
	default:
		return edge_values[below(r, ARRAY_SIZE(edge_values))];
	}
}

/* --- Counting results --- */

struct tally {
	unsigned long ok;
	unsigned long err[ERRNO_SLOTS];	/* by errno; 0: out of range */
};

static void tally_add(struct tally *t, int err)
{
	if (!err)
		t->ok++;
	else
		t->err[err > 0 && err < ERRNO_SLOTS ? err : 0]++;
}

static void tally_print(const char *what, const struct tally *t)
{
	char line[1024];
	size_t n;
	int e;

	n = snprintf(line, sizeof(line), "%s: %lu ok", what, t->ok);
	for (e = 0; e < ERRNO_SLOTS && n < sizeof(line); e++) {
		const char *name = e ? strerrorname_np(e) : "errno-out-of-range";

		if (t->err[e])
			n += snprintf(line + n, sizeof(line) - n, ", %s %lu",
				      name ? name : "?", t->err[e]);
	}
	printf("# %s\n", line);
}

static unsigned long tally_rejects(const struct tally *t)
{
	unsigned long n = 0;
	int e;

	for (e = 0; e < ERRNO_SLOTS; e++)
		n += t->err[e];
	return n;
}

/* What went wrong, kept to print: the first few in full, the rest counted. */
struct faults {
	unsigned long n;
};

static void __attribute__((format(printf, 2, 3)))
fault(struct faults *f, const char *fmt, ...)
{
	va_list ap;

	if (f->n++ >= 20)
		return;
	printf("# FAULT (seed %llu): ", fuzz_seed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * A call that never returns is a failure the harness would only see as a
 * timeout: a thread watches progress and names the call that hangs.
 */
static unsigned long watch_progress;	/* __atomic: two threads */
static char watch_doing[160];

static void *watchdog(void *arg)
{
	unsigned long seen = ~0UL;
	int still = 0;

	for (;;) {
		sleep(1);
		if (seen != __atomic_load_n(&watch_progress, __ATOMIC_RELAXED)) {
			seen = __atomic_load_n(&watch_progress, __ATOMIC_RELAXED);
			still = 0;
			continue;
		}
		if (++still < WATCHDOG_SECS)
			continue;
		printf("# HANG (seed %llu): no return in %d s from %s\n",
		       fuzz_seed, WATCHDOG_SECS, watch_doing);
		fflush(stdout);
		_exit(3);
	}
	return NULL;
}

static void watch_start(void)
{
	pthread_t t;

	if (!pthread_create(&t, NULL, watchdog, NULL))
		pthread_detach(t);
}

static void __attribute__((format(printf, 1, 2))) doing(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(watch_doing, sizeof(watch_doing), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&watch_progress, 1, __ATOMIC_RELAXED);
}

/* --- Building netlink messages --- */

struct msg {
	unsigned char *buf;
	size_t len, cap;
};

/* Append LEN bytes of DATA (zeros when NULL); false when they do not fit. */
static bool msg_put(struct msg *m, const void *data, size_t len)
{
	if (len > m->cap - m->len)
		return false;
	if (data)
		memcpy(m->buf + m->len, data, len);
	else
		memset(m->buf + m->len, 0, len);
	m->len += len;
	return true;
}

/* Attributes may sit unaligned after a mangled one: headers by memcpy. */
static void set_nla(struct msg *m, size_t off, uint16_t len, uint16_t type)
{
	struct nlattr nla = { .nla_len = len, .nla_type = type };

	memcpy(m->buf + off, &nla, sizeof(nla));
}

/* Offset of a new attribute's header, or SIZE_MAX when full. */
static size_t attr_begin(struct msg *m, uint16_t type)
{
	size_t off = m->len;

	if (!msg_put(m, NULL, NLA_HDRLEN))
		return SIZE_MAX;
	set_nla(m, off, 0, type);
	return off;
}

/*
 * Close the attribute at OFF: its length, then padding. MANGLE gives it a
 * wrong length now and then: zero, shorter than a header, beyond the
 * message, cut short, or no padding so the next one sits unaligned.
 */
static void attr_end(struct rng *r, struct msg *m, size_t off, bool mangle)
{
	size_t len = m->len - off;
	uint16_t type, nla_len = len > 0xffff ? 0xffff : len;
	struct nlattr nla;
	bool pad = true;

	memcpy(&nla, m->buf + off, sizeof(nla));
	type = nla.nla_type;
	if (mangle) {
		switch (below(r, 5)) {
		case 0:
			nla_len = 0;
			break;
		case 1:
			nla_len = 1 + below(r, NLA_HDRLEN - 1);
			break;
		case 2:
			nla_len = one_in(r, 4) ? 0xffff :
				  nla_len + 1 + below(r, 512);
			break;
		case 3:
			if (nla_len > NLA_HDRLEN)
				nla_len -= 1 + below(r, nla_len - NLA_HDRLEN);
			break;
		default:
			pad = false;
			break;
		}
	}
	set_nla(m, off, nla_len, type);
	if (pad)
		msg_put(m, NULL, NLA_ALIGN(len) - len);
}

static void put_bytes(struct msg *m, uint16_t type, const void *data,
		      size_t len)
{
	size_t off = attr_begin(m, type);

	if (off == SIZE_MAX)
		return;
	if (!msg_put(m, data, len)) {
		m->len = off;
		return;
	}
	set_nla(m, off, m->len - off, type);
	msg_put(m, NULL, NLA_ALIGN(m->len - off) - (m->len - off));
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put_bytes(m, type, &v, sizeof(v));
}

static void put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	put_bytes(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put_bytes(m, type, s, strlen(s) + 1);
}

static const char name_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";

static void fill_chars(struct rng *r, char *p, size_t n, const char *set,
		       size_t set_len)
{
	while (n--)
		*p++ = set[below(r, set_len)];
}

static void fill_random(struct rng *r, void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = rnd(r);
}

/*
 * A VM name as it goes into an attribute: mostly one of the pool, or
 * hostile: at and over the length limit, without NUL, empty, with bytes
 * names may not have, cut by an inner NUL. Returns the payload length.
 */
static size_t gen_name(struct rng *r, char *out, size_t cap)
{
	size_t n;

	if (cap < 512)
		return 0;
	switch (below(r, 16)) {
	case 0 ... 5:
		return snprintf(out, cap, "fz%u", below(r, VM_POOL)) + 1;
	case 6:
		n = 1 + below(r, SPLITVISOR_VM_NAME_MAX);
		break;
	case 7:
		n = SPLITVISOR_VM_NAME_MAX;
		break;
	case 8:
		n = SPLITVISOR_VM_NAME_MAX + 1;
		break;
	case 9:
		n = SPLITVISOR_VM_NAME_MAX + 2 + below(r, 300);
		break;
	case 10:	/* no NUL */
		n = 1 + below(r, 40);
		fill_chars(r, out, n, name_chars, sizeof(name_chars) - 1);
		return n;
	case 11:
		out[0] = '\0';
		return 1;
	case 12:
		return 0;
	case 13: {
		static const char * const bad[] = {
			"a/b", "a b", "fz0\n", "\xc3\xa9t\xc3\xa9", "\t", "..",
			".", "-", "fz0;rm", "%s%n", "\x7f",
		};

		return snprintf(out, cap, "%s", bad[below(r, ARRAY_SIZE(bad))]) + 1;
	}
	case 14:	/* an inner NUL: "fz0\0junk" */
		n = snprintf(out, cap, "fz%u", below(r, VM_POOL)) + 1;
		fill_chars(r, out + n, 8, name_chars, sizeof(name_chars) - 1);
		return n + 8;
	default:
		n = 1 + below(r, 64);
		fill_random(r, out, n);
		return n;
	}
	fill_chars(r, out, n, name_chars, sizeof(name_chars) - 1);
	out[n] = '\0';
	return n + 1;
}

/* A guest command line: ordinary, at and over the limit, no NUL, huge. */
static size_t gen_cmdline(struct rng *r, char *out, size_t cap)
{
	static const char printable[] =
		" abcdefghijklmnopqrstuvwxyz=0123456789,./-";
	size_t n;
	bool nul = true;

	switch (below(r, 8)) {
	case 0 ... 2:
		n = below(r, 80);
		break;
	case 3:
		n = SPLITVISOR_VM_CMDLINE_MAX;
		break;
	case 4:
		n = SPLITVISOR_VM_CMDLINE_MAX + 1;
		break;
	case 5:
		n = 1 + below(r, 2000);
		nul = false;
		break;
	case 6:
		n = 4000 + below(r, 61000);
		nul = one_in(r, 2);
		break;
	default:
		n = below(r, 200);
		if (n + 1 > cap)
			return 0;
		fill_random(r, out, n);
		out[n] = '\0';
		return n + 1;
	}
	if (n + 1 > cap)
		return 0;
	fill_chars(r, out, n, printable, sizeof(printable) - 1);
	if (nul)
		out[n++] = '\0';
	return n;
}

struct nl_fuzz {
	struct rng r;
	int fd, family;
	unsigned int seq;
	unsigned char *sendbuf, *recvbuf;
	char *scratch;		/* room for one attribute's payload */

	unsigned long sent, batches, silent, replies, dumps_done, not_requests;
	unsigned long rejects_with_msg;
	unsigned long accepted_by_cmd[SPLITVISOR_CMD_MAX + 1];
	unsigned long vms_created, vms_destroyed, enables, disables;
	/* Rejects without an extack message, by command and errno */
	unsigned long no_msg[SPLITVISOR_CMD_MAX + 1][ERRNO_SLOTS];
	struct tally results;
	struct faults faults;
};

static void gen_attrs(struct nl_fuzz *f, struct msg *m, unsigned int maxattr,
		      unsigned int depth);

/* One attribute of random type, flags, value and length. */
static void gen_attr(struct nl_fuzz *f, struct msg *m, unsigned int maxattr,
		     unsigned int depth)
{
	struct rng *r = &f->r;
	uint16_t type;
	uint64_t v;
	size_t off, n;

	switch (below(r, 10)) {
	case 0 ... 4:
		type = 1 + below(r, maxattr);
		break;
	case 5:
		type = 0;
		break;
	case 6:
		type = maxattr + 1 + below(r, 4);
		break;
	case 7:
		type = rnd(r) & NLA_TYPE_MASK;
		break;
	default:
		type = below(r, 32);
		break;
	}
	if (one_in(r, 10))
		type |= NLA_F_NESTED;
	if (one_in(r, 30))
		type |= NLA_F_NET_BYTEORDER;
	off = attr_begin(m, type);
	if (off == SIZE_MAX)
		return;
	v = pick_value(r);
	switch (below(r, 12)) {
	case 0:
		msg_put(m, &v, 1);
		break;
	case 1:
		msg_put(m, &v, 2);
		break;
	case 2 ... 3:
		msg_put(m, &v, 4);
		break;
	case 4 ... 5:
		msg_put(m, &v, 8);
		break;
	case 6:
		n = gen_name(r, f->scratch, m->cap - m->len);
		msg_put(m, f->scratch, n);
		break;
	case 7:
		if (one_in(r, 4)) {
			n = gen_cmdline(r, f->scratch, m->cap - m->len);
			msg_put(m, f->scratch, n);
		}
		break;
	case 8 ... 9:
		if (depth < NL_DEPTH_MAX) {
			if (!one_in(r, 6))
				set_nla(m, off, 0, type | NLA_F_NESTED);
			gen_attrs(f, m, maxattr, depth + 1);
		}
		break;
	default:
		n = one_in(r, 20) ? 64 + below(r, 2048) : below(r, 65);
		if (n <= m->cap - m->len) {
			fill_random(r, f->scratch, n);
			msg_put(m, f->scratch, n);
		}
		break;
	}
	attr_end(r, m, off, one_in(r, 12));
}

static void gen_attrs(struct nl_fuzz *f, struct msg *m, unsigned int maxattr,
		      unsigned int depth)
{
	unsigned int n = below(&f->r, depth ? 4 : 7);

	while (n--)
		gen_attr(f, m, maxattr, depth);
}

/* A CPU number: the real ones, CPU 0 (the root's), beyond every limit. */
static uint32_t pick_cpu(struct rng *r)
{
	static const uint32_t cpus[] = {
		0, 1, 1, 1, 2, 3, 7, 8, 63, 64, 255, 1023, 4096, 8191, 8192,
		0x7fffffff, 0xffffffff,
	};

	return one_in(r, 8) ? (uint32_t)rnd(r) : cpus[below(r, ARRAY_SIZE(cpus))];
}

static uint64_t pick_mem(struct rng *r)
{
	static const uint64_t sizes[] = {
		0, 1, 4096, SZ_2M - 1, SZ_2M, SZ_2M, 2 * SZ_2M, SZ_2M + 4096,
		3 * SZ_2M, 64 * SZ_2M, 512 * SZ_2M, 513 * SZ_2M,
		1ULL << 32, 1ULL << 40, ~0ULL << 21, 1ULL << 63, ~0ULL,
	};

	return one_in(r, 6) ? pick_value(r) : sizes[below(r, ARRAY_SIZE(sizes))];
}

static void put_name(struct nl_fuzz *f, struct msg *m)
{
	size_t n = gen_name(&f->r, f->scratch, m->cap - m->len);

	put_bytes(m, SPLITVISOR_A_VM_NAME, f->scratch, n);
}

static void put_cmdline(struct nl_fuzz *f, struct msg *m)
{
	size_t n = gen_cmdline(&f->r, f->scratch, m->cap - m->len);

	put_bytes(m, SPLITVISOR_A_VM_CMDLINE, f->scratch, n);
}

/*
 * A request that looks right for CMD: the attributes its policy names,
 * with values at and past their limits. Now and then every value is
 * valid, so VMs do get created and destroyed and the hypervisor switched.
 */
static void gen_plausible(struct nl_fuzz *f, struct msg *m, uint8_t cmd)
{
	struct rng *r = &f->r;
	unsigned int i, n;

	switch (cmd) {
	case SPLITVISOR_CMD_GET_STATUS:
	case SPLITVISOR_CMD_GET_STATS:
	case SPLITVISOR_CMD_ENABLE:
	case SPLITVISOR_CMD_DISABLE:
		/* No attributes is right; any is wrong. */
		if (one_in(r, 2))
			break;
		n = 1 + below(r, 3);
		for (i = 0; i < n; i++) {
			uint16_t type = 1 + below(r, SPLITVISOR_A_MAX);

			if (one_in(r, 2))
				put_u32(m, type, pick_value(r));
			else
				put_u64(m, type, pick_value(r));
		}
		break;
	case SPLITVISOR_CMD_VM_CREATE:
		if (one_in(r, 5)) {
			/* Valid: may take CPU 1 and some memory. */
			put_str(m, SPLITVISOR_A_VM_NAME, one_in(r, 2) ? "fz0" : "fz1");
			put_u32(m, one_in(r, 2) ? SPLITVISOR_A_VM_CPU :
				SPLITVISOR_A_VM_NR_CPUS, 1);
			put_u64(m, SPLITVISOR_A_VM_MEM_SIZE, SZ_2M * (1 + below(r, 2)));
			if (one_in(r, 2))
				put_str(m, SPLITVISOR_A_VM_CMDLINE, "console=ttyS0 fuzz");
			break;
		}
		if (!one_in(r, 8))
			put_name(f, m);
		n = below(r, 4);
		if (n == 1 || n == 3) {
			/* Up to 10 CPUs: more than a VM may have */
			unsigned int cpus = one_in(r, 3) ? 1 + below(r, 10) : 1;

			for (i = 0; i < cpus; i++)
				put_u32(m, SPLITVISOR_A_VM_CPU, pick_cpu(r));
		}
		if (n >= 2)
			put_u32(m, SPLITVISOR_A_VM_NR_CPUS,
				one_in(r, 2) ? below(r, 10) : (uint32_t)pick_value(r));
		if (!one_in(r, 8)) {
			if (one_in(r, 10))	/* the wrong width */
				put_u32(m, SPLITVISOR_A_VM_MEM_SIZE, SZ_2M);
			else
				put_u64(m, SPLITVISOR_A_VM_MEM_SIZE, pick_mem(r));
		}
		if (one_in(r, 3))
			put_cmdline(f, m);
		break;
	case SPLITVISOR_CMD_VM_LOAD:
		if (!one_in(r, 8))
			put_name(f, m);
		if (one_in(r, 2))
			put_cmdline(f, m);
		break;
	case SPLITVISOR_CMD_VM_START:
	case SPLITVISOR_CMD_VM_STOP:
	case SPLITVISOR_CMD_VM_DESTROY:
	case SPLITVISOR_CMD_VM_GET:
		if (!one_in(r, 8))
			put_name(f, m);
		/* An attribute of the set that this command's policy lacks */
		if (one_in(r, 6))
			put_u64(m, SPLITVISOR_A_VM_MEM_SIZE, SZ_2M);
		if (one_in(r, 8))
			put_u32(m, SPLITVISOR_A_VM_CPU, 1);
		break;
	default:
		/* Events: what a notification carries, sent as a request. */
		put_name(f, m);
		put_u32(m, SPLITVISOR_A_VM_STATE, below(r, 8));
		break;
	}
}

/* A request the kernel must answer, and what came back for it. */
struct pending {
	uint32_t seq;
	uint16_t flags;
	uint8_t cmd;
	size_t off, len;	/* where it is in the send buffer */
	bool dump;		/* NLM_F_REQUEST with both NLM_F_DUMP bits */
	int errors, dones, data;
	int err;
	bool full_header;	/* a whole genl header */
	bool msg;		/* its error carried an extack message */
};

/* Has the family an op for CMD (not a notification)? */
static bool has_op(uint8_t cmd)
{
	return cmd >= SPLITVISOR_CMD_GET_STATUS && cmd <= SPLITVISOR_CMD_VM_GET &&
	       cmd != SPLITVISOR_CMD_HV_STATE_EVENT;
}

static bool is_vm_cmd(uint8_t cmd)
{
	return cmd >= SPLITVISOR_CMD_VM_CREATE && cmd <= SPLITVISOR_CMD_VM_STATE_EVENT;
}

/* One message at the end of M's buffer; fills P. */
static void gen_message(struct nl_fuzz *f, struct msg *m, struct pending *p)
{
	struct rng *r = &f->r;
	size_t start = m->len;
	struct nlmsghdr nlh = { 0 };
	struct genlmsghdr g = { 0 };
	struct msg body;
	uint16_t flags = 0;
	unsigned int mode = below(r, 100);
	uint8_t cmd;
	bool full;

	if (!one_in(r, 12))
		flags |= NLM_F_REQUEST;
	if (!one_in(r, 5))
		flags |= NLM_F_ACK;
	switch (below(r, 20)) {
	case 0 ... 1:
		flags |= NLM_F_DUMP;
		break;
	case 2:
		flags |= NLM_F_ROOT;
		break;
	case 3:
		flags |= NLM_F_MATCH;
		break;
	case 4:
		flags |= NLM_F_ECHO;
		break;
	case 5:
		flags |= rnd(r) & 0xfff0;
		break;
	}
	if (mode < 55)
		cmd = 1 + below(r, SPLITVISOR_CMD_MAX);
	else if (mode < 65)
		cmd = one_in(r, 3) ? 0 : one_in(r, 2) ? rnd(r) :
		      SPLITVISOR_CMD_MAX + 1 + below(r, 8);
	else
		cmd = 1 + below(r, SPLITVISOR_CMD_MAX);
	/* VM_GET's dump is the only one there is: ask for it more often. */
	if (mode >= 65 && cmd == SPLITVISOR_CMD_VM_GET && one_in(r, 3))
		flags |= NLM_F_REQUEST | NLM_F_DUMP;

	g.cmd = cmd;
	g.version = one_in(r, 10) ? rnd(r) : SPLITVISOR_FAMILY_VERSION;
	g.reserved = one_in(r, 15) ? rnd(r) : 0;
	msg_put(m, NULL, NLMSG_HDRLEN);
	full = !one_in(r, 40);
	if (!full) {
		/* Shorter than a genl header */
		msg_put(m, &g, below(r, GENL_HDRLEN));
	} else {
		msg_put(m, &g, GENL_HDRLEN);
		body.buf = m->buf + m->len;
		body.len = 0;
		body.cap = one_in(r, 50) ? NL_MSG_LARGE : NL_MSG_SMALL;
		if (mode >= 65)
			gen_plausible(f, &body, cmd);
		else
			gen_attrs(f, &body, one_in(r, 8) ? 40 :
				  is_vm_cmd(cmd) ? SPLITVISOR_A_VM_MAX :
				  SPLITVISOR_A_MAX, 0);
		m->len += body.len;
	}
	nlh.nlmsg_len = m->len - start;
	nlh.nlmsg_type = f->family;
	nlh.nlmsg_flags = flags;
	nlh.nlmsg_seq = ++f->seq;
	nlh.nlmsg_pid = one_in(r, 20) ? rnd(r) : 0;
	memcpy(m->buf + start, &nlh, sizeof(nlh));

	memset(p, 0, sizeof(*p));
	p->seq = nlh.nlmsg_seq;
	p->flags = flags;
	p->cmd = cmd;
	p->off = start;
	p->len = nlh.nlmsg_len;
	p->full_header = full;
	p->dump = (flags & NLM_F_REQUEST) &&
		  (flags & NLM_F_DUMP) == NLM_F_DUMP;
	/* The next message starts aligned, as the kernel reads them. */
	msg_put(m, NULL, NLMSG_ALIGN(m->len) - m->len);
}

/* The request, in hex as far as it goes, to reproduce a fault by hand. */
static void fault_request(struct nl_fuzz *f, const struct pending *p,
			  const char *what)
{
	char hex[3 * 48 + 1];
	size_t i, n = p->len < 48 ? p->len : 48;

	for (i = 0; i < n; i++)
		snprintf(hex + 3 * i, 4, "%02x ", f->sendbuf[p->off + i]);
	hex[3 * n] = '\0';
	fault(&f->faults,
	      "%s: seq %u cmd %u flags %#x len %zu (errors %d dones %d data %d err %d): %s",
	      what, p->seq, p->cmd, p->flags, p->len, p->errors, p->dones,
	      p->data, p->err, hex);
}

/* Attributes of a reply must be well formed. */
static bool attrs_ok(const unsigned char *a, size_t len)
{
	while (len >= NLA_HDRLEN) {
		struct nlattr nla;

		memcpy(&nla, a, sizeof(nla));
		if (nla.nla_len < NLA_HDRLEN || nla.nla_len > len)
			return false;
		if (NLA_ALIGN(nla.nla_len) >= len)
			return true;
		len -= NLA_ALIGN(nla.nla_len);
		a += NLA_ALIGN(nla.nla_len);
	}
	return len == 0;
}

/* Has the error message NLH an extack message? */
static bool has_extack_msg(const struct nlmsghdr *nlh)
{
	/* NETLINK_CAP_ACK: the TLVs follow the request's header alone. */
	size_t hdr = NLMSG_LENGTH(sizeof(struct nlmsgerr));

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= hdr)
		return false;
	return sv_nla_find((const char *)nlh + hdr, nlh->nlmsg_len - hdr,
			   NLMSGERR_ATTR_MSG, NULL);
}

/* One reply message NLH for pending P. */
static void nl_reply(struct nl_fuzz *f, struct pending *p,
		     const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	int err;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			fault_request(f, p, "short error message");
			return;
		}
		p->errors++;
		p->err = e->error;
		if (e->error > 0)
			fault_request(f, p, "positive errno");
		p->msg = has_extack_msg(nlh);
		if (e->error && p->msg)
			f->rejects_with_msg++;
		else if (e->error && p->cmd <= SPLITVISOR_CMD_MAX &&
			 -e->error < ERRNO_SLOTS)
			f->no_msg[p->cmd][-e->error]++;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int))) {
			fault_request(f, p, "short DONE");
			return;
		}
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		p->dones++;
		p->err = err;
		f->dumps_done++;
		if (err > 0)
			fault_request(f, p, "positive errno in DONE");
		if (!p->dump)
			fault_request(f, p, "DONE for a request that is no dump");
	} else if (nlh->nlmsg_type == f->family) {
		p->data++;
		f->replies++;
		if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) ||
		    g->cmd != p->cmd ||
		    !attrs_ok((const unsigned char *)g + GENL_HDRLEN,
			      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)))
			fault_request(f, p, "malformed reply");
		if (!p->dump && (nlh->nlmsg_flags & NLM_F_MULTI))
			fault_request(f, p, "multipart reply to a do request");
		if (g->cmd == SPLITVISOR_CMD_VM_CREATE)
			f->vms_created++;
	} else {
		fault_request(f, p, "reply of an unexpected type");
	}
}

/* After the batch: did each request get what it must? */
static void nl_settle(struct nl_fuzz *f, struct pending *p)
{
	bool acked = p->errors + p->dones > 0;

	if (p->dump) {
		if (p->errors + p->dones != 1)
			fault_request(f, p, "a dump must end in one DONE or one error");
		if (p->errors && !p->err)
			fault_request(f, p, "a dump answered by a bare ack");
	} else if (p->flags & NLM_F_ACK) {
		if (p->errors != 1)
			fault_request(f, p, "NLM_F_ACK must get exactly one ack");
	} else {
		/* Without NLM_F_ACK only a failure is answered. */
		if (p->errors > 1 || (p->errors && !p->err))
			fault_request(f, p, "unasked ack");
	}
	if (!p->dump && p->data > 1)
		fault_request(f, p, "more than one reply to a do request");
	/*
	 * The family's errors carry an extack message. Only the core's own
	 * refusals come without one: a cut genl header, no such op, no dump,
	 * a dump while the socket's last one still runs (EBUSY).
	 */
	if (p->errors && p->err && !p->msg && (p->flags & NLM_F_REQUEST) &&
	    p->full_header && has_op(p->cmd) &&
	    (!p->dump || (p->cmd == SPLITVISOR_CMD_VM_GET && p->err != -EBUSY)))
		fault_request(f, p, "a reject without an extack message");
	/* A reply says it was done: an error after it contradicts it. */
	if (!p->dump && p->data && p->errors && p->err)
		fault_request(f, p, "a reply, then an error");
	if (!acked) {
		f->silent++;
		tally_add(&f->results, 0);
	} else {
		tally_add(&f->results, -p->err);
	}
	if (acked && p->err)
		return;
	/* Not a request: the core acks it, if asked, and goes on. */
	if (!(p->flags & NLM_F_REQUEST)) {
		f->not_requests++;
		return;
	}
	if (p->cmd <= SPLITVISOR_CMD_MAX)
		f->accepted_by_cmd[p->cmd]++;
	if (!acked || p->dump)
		return;
	if (p->cmd == SPLITVISOR_CMD_VM_DESTROY)
		f->vms_destroyed++;
	else if (p->cmd == SPLITVISOR_CMD_ENABLE)
		f->enables++;
	else if (p->cmd == SPLITVISOR_CMD_DISABLE)
		f->disables++;
}

/*
 * Up to NL_BATCH_MAX random requests in one sendmsg, then the sentinel:
 * the kernel handles a batch's messages in order, so once the sentinel's
 * ack is in, so is every answer to the requests before it, except the
 * rest of a dump, which comes as it is read. False when the kernel left
 * a request unanswered.
 */
static bool nl_batch(struct nl_fuzz *f, unsigned int n)
{
	struct pending p[NL_BATCH_MAX + 1];
	struct msg m = { .buf = f->sendbuf, .cap = NL_SEND_MAX };
	struct nlmsghdr sentinel = {
		.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	struct genlmsghdr g = {
		.cmd = NL_SENTINEL_CMD,
		.version = SPLITVISOR_FAMILY_VERSION,
	};
	unsigned int i, dumps = 0;
	uint32_t first;
	ssize_t sent;

	first = f->seq + 1;
	for (i = 0; i < n; i++) {
		gen_message(f, &m, &p[i]);
		dumps += p[i].dump;
	}
	sentinel.nlmsg_type = f->family;
	sentinel.nlmsg_seq = ++f->seq;
	memset(&p[n], 0, sizeof(p[n]));
	p[n].seq = sentinel.nlmsg_seq;
	p[n].flags = sentinel.nlmsg_flags;
	p[n].cmd = g.cmd;
	p[n].off = m.len;
	p[n].len = sentinel.nlmsg_len;
	msg_put(&m, &sentinel, sizeof(sentinel));
	msg_put(&m, &g, sizeof(g));

	doing("netlink batch of %u from seq %u", n, first);
	sent = send(f->fd, m.buf, m.len, 0);
	if (sent != (ssize_t)m.len) {
		fault(&f->faults, "send of %zu bytes from seq %u: %zd (%s)",
		      m.len, first, sent, strerror(errno));
		return false;
	}
	f->sent += n;
	f->batches++;

	while (!p[n].errors || dumps) {
		ssize_t len = recv(f->fd, f->recvbuf, NL_RECV_MAX, MSG_TRUNC);
		struct nlmsghdr *nlh;

		__atomic_add_fetch(&watch_progress, 1, __ATOMIC_RELAXED);
		if (len < 0 || len > NL_RECV_MAX) {
			for (i = 0; i <= n; i++)
				if (p[i].dump ? !(p[i].errors + p[i].dones) :
				    !p[i].errors && (p[i].flags & NLM_F_ACK))
					fault_request(f, &p[i], len < 0 ?
						      "no answer in time" :
						      "answer truncated");
			fault(&f->faults, "recv: %zd (%s)", len,
			      len < 0 ? strerror(errno) : "truncated");
			return false;
		}
		for (nlh = (struct nlmsghdr *)f->recvbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			struct pending *q;

			if (nlh->nlmsg_seq - first > n) {
				fault(&f->faults, "reply type %u seq %u to no request of batch %u..%u",
				      nlh->nlmsg_type, nlh->nlmsg_seq, first,
				      first + n);
				continue;
			}
			q = &p[nlh->nlmsg_seq - first];
			nl_reply(f, q, nlh);
			if (q->dump && q->errors + q->dones == 1 &&
			    nlh->nlmsg_type != f->family)
				dumps--;
		}
	}
	for (i = 0; i < n; i++)
		nl_settle(f, &p[i]);
	if (p[n].errors != 1 || p[n].err != -EOPNOTSUPP || p[n].data)
		fault_request(f, &p[n], "the sentinel must get EOPNOTSUPP");
	return true;
}

/* --- Requests the tests make on purpose --- */

static int nl_socket(void)
{
	struct timeval tv = { .tv_sec = NL_TIMEOUT_SECS };
	int fd = sv_nl_open(), size = NL_SOCKBUF;

	if (fd < 0)
		return fd;
	/* A batch's answers must fit, or the kernel drops them (ENOBUFS). */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* CMD with only a name attribute: 0 or -errno. */
static int vm_cmd(int fd, int family, uint8_t cmd, const char *name)
{
	unsigned char buf[64];
	struct msg m = { .buf = buf, .cap = sizeof(buf) };
	struct sv_nl_reply *r = malloc(sizeof(*r));
	int ret;

	if (!r)
		return -ENOMEM;
	if (name)
		put_str(&m, SPLITVISOR_A_VM_NAME, name);
	ret = sv_nl_request(fd, family, cmd, m.buf, m.len, 0, r);
	if (!ret)
		ret = r->error;
	free(r);
	return ret;
}

static int hv_cmd(int fd, int family, uint8_t cmd)
{
	return vm_cmd(fd, family, cmd, NULL);
}

/* Names of every VM, by VM_GET's dump: how many, or -errno. */
static int vm_names(int fd, int family, char names[][SPLITVISOR_VM_NAME_MAX + 1],
		    int max)
{
	static unsigned char buf[NL_RECV_MAX];
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = family,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 0x7ffffff0,
		},
		.g = {
			.cmd = SPLITVISOR_CMD_VM_GET,
			.version = SPLITVISOR_FAMILY_VERSION,
		},
	};
	int n = 0;

	if (send(fd, &req, sizeof(req), 0) != sizeof(req))
		return -errno;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;

		if (len < 0)
			return -errno;
		for (nlh = (void *)buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			const void *attrs = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
			const char *name;
			size_t alen;

			if (nlh->nlmsg_seq != req.nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return n;
			if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
				continue;
			name = sv_nla_find(attrs, nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
					   SPLITVISOR_A_VM_NAME, &alen);
			if (name && n < max && alen && alen <= SPLITVISOR_VM_NAME_MAX + 1 &&
			    !name[alen - 1])
				memcpy(names[n++], name, alen);
		}
	}
}

/*
 * Destroy every VM there is and switch the hypervisor on, as loading the
 * module leaves it. How many VMs there were, or -errno.
 */
static int vms_destroy_all(int fd, int family)
{
	char names[VM_NAMES_MAX][SPLITVISOR_VM_NAME_MAX + 1];
	int n, i, err;

	n = vm_names(fd, family, names, VM_NAMES_MAX);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		err = vm_cmd(fd, family, SPLITVISOR_CMD_VM_DESTROY, names[i]);
		if (err)
			return err;
	}
	err = hv_cmd(fd, family, SPLITVISOR_CMD_ENABLE);
	return err ? err : n;
}

/* GET_STATUS's u32 attribute TYPE, or -errno. */
static long long status_u32(int fd, int family, int type)
{
	struct sv_nl_reply *r = malloc(sizeof(*r));
	const void *a;
	long long ret;

	if (!r)
		return -ENOMEM;
	ret = sv_nl_request(fd, family, SPLITVISOR_CMD_GET_STATUS, NULL, 0, 0, r);
	if (!ret)
		ret = r->error;
	if (!ret) {
		a = sv_nla_find(r->data + NLMSG_LENGTH(GENL_HDRLEN),
				r->len - NLMSG_LENGTH(GENL_HDRLEN), type, NULL);
		ret = a ? *(const uint32_t *)a : -ENODATA;
	}
	free(r);
	return ret;
}

static uint64_t elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* --- /dev/splitvisor --- */

struct dev_fuzz {
	struct rng r;
	int fd[DEV_FDS];
	int mode[DEV_FDS];		/* O_RDONLY, O_WRONLY or O_RDWR */
	uint32_t channel[DEV_FDS];	/* attached to: 0 none */
	unsigned char *area;		/* two pages, then an inaccessible one */
	size_t page;
	int nl, family;
	bool have_vm;
	bool dead;			/* the device went away: stop */

	unsigned long ops, ioctls, reads, writes, seeks, polls, mmaps;
	unsigned long reopens, attaches, loads;
	/*
	 * What the VM's staged image holds as far as the calls tell: VM_LOAD
	 * must say ENODATA exactly when nothing was staged.
	 */
	enum { STAGED_NONE, STAGED_SOME } staged;
	struct tally ioctl_res, read_res, write_res, seek_res, load_res;
	struct faults faults;
};

static void dev_open(struct dev_fuzz *d, int i)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	int flags = modes[below(&d->r, ARRAY_SIZE(modes))];

	d->mode[i] = flags;
	if (one_in(&d->r, 4))
		flags |= O_NONBLOCK;
	if (one_in(&d->r, 8))
		flags |= O_APPEND;
	d->fd[i] = open(SPLITVISOR_DEVICE_PATH, flags | O_CLOEXEC);
	d->channel[i] = 0;
	if (d->fd[i] < 0) {
		fault(&d->faults, "open %s flags %#x: %s", SPLITVISOR_DEVICE_PATH,
		      flags, strerror(errno));
		d->dead = true;
	}
}

/* How a pointer argument is chosen, to say which faults are expected. */
enum ptr_kind {
	PTR_NULL, PTR_LOW, PTR_KERNEL, PTR_NONCANONICAL, PTR_GUARD,
	PTR_STRADDLE, PTR_GOOD,
};

static bool ptr_bad(enum ptr_kind k)
{
	return k != PTR_GOOD;
}

/*
 * A user pointer for LEN bytes: NULL, low, kernel, non-canonical, the
 * inaccessible page, across into it, or inside the area (random bytes).
 */
static void *pick_ptr(struct dev_fuzz *d, size_t len, enum ptr_kind *kind)
{
	static const uintptr_t kernel[] = {
		0xffffffff81000000UL, 0xffff888000000000UL, 0xffffffffffffff00UL,
	};
	struct rng *r = &d->r;
	size_t off;

	switch (below(r, 14)) {
	case 0:
		*kind = PTR_NULL;
		return NULL;
	case 1:
		*kind = PTR_LOW;
		return (void *)(uintptr_t)(1 + below(r, 4095));
	case 2:
		*kind = PTR_KERNEL;
		return (void *)kernel[below(r, ARRAY_SIZE(kernel))];
	case 3:
		*kind = PTR_NONCANONICAL;
		return (void *)(one_in(r, 2) ? 0x0000800000000000UL : 0xdead000000000000UL);
	case 4:
		*kind = PTR_GUARD;
		return d->area + 2 * d->page + below(r, d->page);
	case 5:
		if (len > 1) {
			*kind = PTR_STRADDLE;
			return d->area + 2 * d->page - 1 - below(r, len - 1 < d->page ?
								 len - 1 : d->page);
		}
		/* fall through */
	default:
		off = len < 2 * d->page ? below(r, 2 * d->page - len + 1) : 0;
		*kind = len <= 2 * d->page ? PTR_GOOD : PTR_STRADDLE;
		if (one_in(r, 4))
			fill_random(r, d->area + off,
				    len < 2 * d->page - off ? len : 2 * d->page - off);
		return d->area + off;
	}
}

static size_t pick_len(struct rng *r)
{
	static const size_t lens[] = {
		0, 1, 2, 3, 4, 7, 8, 63, 64, 4095, 4096, 4097, 8191, 8192, 8193,
		65536, 1 << 20, 0x7ffff000, 1UL << 31, 1UL << 32, SIZE_MAX / 2,
		SIZE_MAX,
	};

	switch (below(r, 4)) {
	case 0:
		return lens[below(r, ARRAY_SIZE(lens))];
	case 1:
		return below(r, 8192);
	default:
		return below(r, 256);
	}
}

/* Offsets: the first MiB mostly, the image limit and past it, negative. */
static off_t pick_offset(struct rng *r)
{
	static const long long offs[] = {
		0, 1, -1, -4096, SPLITVISOR_IMAGE_MAX - 1, SPLITVISOR_IMAGE_MAX,
		SPLITVISOR_IMAGE_MAX + 1LL, 1LL << 32, 1LL << 62, INT64_MAX,
		INT64_MIN, SPLITVISOR_CONSOLE_SIZE, SPLITVISOR_CONSOLE_SIZE + 1,
	};

	/*
	 * Rarely near the image limit: a write there makes the module take
	 * that much memory for the staged image.
	 */
	if (one_in(r, 40))
		return offs[below(r, ARRAY_SIZE(offs))];
	return below(r, 1 << 20) & ~(one_in(r, 2) ? 0 : 4095);
}

/* An ioctl command: the real ones, the same with other bits, any other. */
static unsigned long pick_ioctl(struct rng *r)
{
	unsigned long cmd;

	switch (below(r, 8)) {
	case 0 ... 1:
		return one_in(r, 2) ? SPLITVISOR_IOC_API_VERSION : SPLITVISOR_IOC_ATTACH;
	case 2 ... 3:
		cmd = one_in(r, 2) ? SPLITVISOR_IOC_API_VERSION : SPLITVISOR_IOC_ATTACH;
		if (one_in(r, 2))
			cmd = (cmd & ~(_IOC_DIRMASK << _IOC_DIRSHIFT)) |
			      (unsigned long)below(r, 4) << _IOC_DIRSHIFT;
		if (one_in(r, 2))
			cmd = (cmd & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
			      (unsigned long)below(r, _IOC_SIZEMASK + 1) << _IOC_SIZESHIFT;
		if (one_in(r, 4))
			cmd ^= 1UL << (_IOC_NRSHIFT + below(r, _IOC_NRBITS));
		return cmd;
	case 4:
		return _IOC(below(r, 4), SPLITVISOR_IOC_MAGIC, below(r, 256),
			    below(r, _IOC_SIZEMASK + 1));
	case 5:
		cmd = (uint32_t)rnd(r);
		break;
	case 6:
		cmd = rnd(r);	/* the syscall keeps the low 32 bits */
		break;
	default:
		cmd = below(r, 0x100);
		break;
	}
	/*
	 * The VFS handles some commands for every file before the driver:
	 * 'X' has FIFREEZE/FITHAW on the filesystem /dev is on. Not ours.
	 */
	if (_IOC_TYPE((uint32_t)cmd) == 'X')
		cmd = _IO(SPLITVISOR_IOC_MAGIC, 0x80);
	return cmd;
}

static bool errno_in(int err, const int *set, size_t n)
{
	while (n--)
		if (set[n] == err)
			return true;
	return false;
}

#define ERRNO_IN(err, ...) \
	errno_in(err, (const int[]){ __VA_ARGS__ }, \
		 sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int))

/* Fill an attach request in the area: a name, a channel, reserved. */
static struct splitvisor_attach *gen_attach(struct dev_fuzz *d)
{
	static const char * const names[] = {
		DEV_VM, DEV_VM, DEV_VM, "fz0", "nosuchvm", "", "fzdev\n",
	};
	struct rng *r = &d->r;
	struct splitvisor_attach *a;

	a = (void *)(d->area + (one_in(r, 8) ? 1 + below(r, 64) : 0));
	memset(a, 0, sizeof(*a));
	if (one_in(r, 10))
		memset(a->name, 'a', sizeof(a->name));	/* no NUL */
	else
		snprintf(a->name, sizeof(a->name), "%s", names[below(r, ARRAY_SIZE(names))]);
	a->channel = one_in(r, 6) ? (uint32_t)pick_value(r) : 1 + below(r, 2);
	a->reserved = one_in(r, 10) ? (uint32_t)rnd(r) | 1 : 0;
	return a;
}

static void dev_ioctl(struct dev_fuzz *d, int i, bool plausible_attach)
{
	struct rng *r = &d->r;
	unsigned long cmd = plausible_attach ? SPLITVISOR_IOC_ATTACH : pick_ioctl(r);
	unsigned int cmd32 = cmd;
	struct splitvisor_attach *a = NULL;
	enum ptr_kind kind;
	void *arg;
	long ret;

	if (cmd32 == SPLITVISOR_IOC_ATTACH && (plausible_attach || one_in(r, 2))) {
		a = gen_attach(d);
		arg = a;
		kind = PTR_GOOD;
	} else {
		arg = pick_ptr(d, _IOC_SIZE(cmd32) ? _IOC_SIZE(cmd32) : 8, &kind);
	}
	doing("ioctl fd %d cmd %#lx arg %p", d->fd[i], cmd, arg);
	errno = 0;
	ret = ioctl(d->fd[i], cmd, arg);
	d->ioctls++;
	tally_add(&d->ioctl_res, ret < 0 ? errno : 0);
	if (ret < 0 && !errno)
		fault(&d->faults, "ioctl %#lx: -1 without errno", cmd);
	if (ret != 0 && ret != -1)
		fault(&d->faults, "ioctl %#lx returned %ld", cmd, ret);

	if (cmd32 == SPLITVISOR_IOC_API_VERSION) {
		uint32_t version = 0;

		if (kind == PTR_GOOD)
			memcpy(&version, arg, sizeof(version));
		if (kind == PTR_GOOD && (ret || version != SPLITVISOR_API_VERSION))
			fault(&d->faults, "API_VERSION: %ld (%s), version %u", ret,
			      strerror(errno), version);
		if (ptr_bad(kind) && (ret != -1 || errno != EFAULT))
			fault(&d->faults, "API_VERSION to %p: %ld (%s), not EFAULT",
			      arg, ret, strerror(errno));
	} else if (cmd32 == SPLITVISOR_IOC_ATTACH) {
		if (ptr_bad(kind) && kind != PTR_STRADDLE &&
		    (ret != -1 || errno != EFAULT))
			fault(&d->faults, "ATTACH from %p: %ld (%s), not EFAULT",
			      arg, ret, strerror(errno));
		if (a && a->reserved && ret != -1)
			fault(&d->faults, "ATTACH with reserved %#x accepted",
			      a->reserved);
		if (!ret) {
			if (d->channel[i])
				fault(&d->faults, "a second ATTACH accepted");
			d->channel[i] = ((struct splitvisor_attach *)arg)->channel;
			d->attaches++;
			if (d->channel[i] == SPLITVISOR_CHANNEL_IMAGE)
				d->staged = STAGED_NONE;
		}
	} else if (_IOC_TYPE(cmd32) == SPLITVISOR_IOC_MAGIC &&
		   (ret != -1 || errno != ENOTTY)) {
		fault(&d->faults, "unknown ioctl %#x: %ld (%s), not ENOTTY",
		      cmd32, ret, strerror(errno));
	}
}

static void dev_read(struct dev_fuzz *d, int i)
{
	struct rng *r = &d->r;
	size_t len = pick_len(r);
	bool at = one_in(r, 3);
	off_t pos = at ? pick_offset(r) : 0;
	enum ptr_kind kind;
	void *buf = pick_ptr(d, len, &kind);
	ssize_t ret;

	doing("read fd %d len %zu at %lld (%d)", d->fd[i], len, (long long)pos, at);
	errno = 0;
	ret = at ? pread(d->fd[i], buf, len, pos) : read(d->fd[i], buf, len);
	d->reads++;
	tally_add(&d->read_res, ret < 0 ? errno : 0);
	if (ret < 0 && !errno)
		fault(&d->faults, "read: -1 without errno");
	if (ret > 0 && (size_t)ret > len)
		fault(&d->faults, "read of %zu gave %zd", len, ret);
	if (at && pos < 0) {
		/* pread() refuses a negative offset before looking at the file */
		if (ret != -1 || errno != EINVAL)
			fault(&d->faults, "pread at %lld: %zd (%s)", (long long)pos,
			      ret, strerror(errno));
	} else if (d->mode[i] == O_WRONLY) {
		if (ret != -1 || errno != EBADF)
			fault(&d->faults, "read on a write-only descriptor: %zd (%s)",
			      ret, strerror(errno));
	} else if (d->channel[i] != SPLITVISOR_CHANNEL_CONSOLE) {
		/*
		 * Nothing to read from. EFAULT: the VFS checks the buffer
		 * first; EINVAL: the offset is negative or overflows.
		 */
		if (ret != -1 || !ERRNO_IN(errno, EBADFD, EINVAL, EFAULT) ||
		    (errno == EFAULT && !ptr_bad(kind)))
			fault(&d->faults, "read unattached (channel %u): %zd (%s)",
			      d->channel[i], ret, strerror(errno));
	} else if (ret < 0 && !ERRNO_IN(errno, EFAULT, EINVAL, ENODEV)) {
		fault(&d->faults, "console read of %zu at %lld: %s", len,
		      (long long)pos, strerror(errno));
	}
}

static void dev_write(struct dev_fuzz *d, int i)
{
	struct rng *r = &d->r;
	size_t len = one_in(r, 6) ? 0 : one_in(r, 4) ? pick_len(r) :
		     below(r, 3 * d->page);
	bool at = one_in(r, 3);
	off_t pos = at ? pick_offset(r) : 0;
	enum ptr_kind kind;
	const void *buf = pick_ptr(d, len, &kind);
	ssize_t ret;

	doing("write fd %d len %zu at %lld (%d)", d->fd[i], len, (long long)pos, at);
	errno = 0;
	ret = at ? pwrite(d->fd[i], buf, len, pos) : write(d->fd[i], buf, len);
	d->writes++;
	tally_add(&d->write_res, ret < 0 ? errno : 0);
	if (ret < 0 && !errno)
		fault(&d->faults, "write: -1 without errno");
	if (at && pos < 0) {
		if (ret != -1 || errno != EINVAL)
			fault(&d->faults, "pwrite at %lld: %zd (%s)", (long long)pos,
			      ret, strerror(errno));
	} else if (d->mode[i] == O_RDONLY) {
		if (ret != -1 || errno != EBADF)
			fault(&d->faults, "write on a read-only descriptor: %zd (%s)",
			      ret, strerror(errno));
	} else if (d->channel[i] != SPLITVISOR_CHANNEL_IMAGE) {
		if (ret >= 0 && len)
			fault(&d->faults, "write of %zu unattached (channel %u) accepted",
			      len, d->channel[i]);
	} else if (ret >= 0 && (size_t)ret != len &&
		   (kind != PTR_STRADDLE || !ret ||
		    (size_t)ret > (size_t)(d->area + 2 * d->page - (const unsigned char *)buf))) {
		/* Only a buffer running into the guard page is taken in part. */
		fault(&d->faults, "image write of %zu took %zd", len, ret);
	} else if (ret > 0) {
		d->staged = STAGED_SOME;
	} else if (ret < 0 && errno == EFAULT && !ptr_bad(kind)) {
		fault(&d->faults, "image write of %zu from a good buffer: EFAULT", len);
	} else if (ret < 0 && !ERRNO_IN(errno, EFAULT, EFBIG, EINVAL, ENOMEM)) {
		fault(&d->faults, "image write of %zu at %lld: %s", len,
		      (long long)pos, strerror(errno));
	}
}

static void dev_seek(struct dev_fuzz *d, int i)
{
	struct rng *r = &d->r;
	int whence = one_in(r, 8) ? (int)below(r, 16) : (int)below(r, 3);
	off_t off = one_in(r, 3) ? (off_t)pick_value(r) : pick_offset(r);
	off_t ret;

	doing("lseek fd %d %lld whence %d", d->fd[i], (long long)off, whence);
	errno = 0;
	ret = lseek(d->fd[i], off, whence);
	d->seeks++;
	tally_add(&d->seek_res, ret < 0 ? errno : 0);
	if (ret < 0 && !errno)
		fault(&d->faults, "lseek: -1 without errno");
	/* Beyond SEEK_MAX the VFS refuses it before the driver sees it. */
	if (!d->channel[i] && whence <= SEEK_HOLE && (ret != -1 || errno != ESPIPE))
		fault(&d->faults, "lseek unattached: %lld (%s), not ESPIPE",
		      (long long)ret, strerror(errno));
	/* ENXIO: SEEK_DATA or SEEK_HOLE beyond the (empty) end */
	if ((d->channel[i] || whence > SEEK_HOLE) && ret < 0 &&
	    !ERRNO_IN(errno, EINVAL, ENXIO))
		fault(&d->faults, "lseek %lld whence %d: %s", (long long)off,
		      whence, strerror(errno));
}

static void dev_poll(struct dev_fuzz *d, int i)
{
	struct pollfd pfd = {
		.fd = d->fd[i],
		.events = POLLIN | POLLOUT | POLLPRI | (short)rnd(&d->r),
	};
	int ret;

	doing("poll fd %d events %#x", d->fd[i], pfd.events);
	ret = poll(&pfd, 1, 0);
	d->polls++;
	if (ret < 0 || ret > 1)
		fault(&d->faults, "poll: %d (%s)", ret, strerror(errno));
	if (ret == 1 && !d->channel[i] && !(pfd.revents & POLLERR))
		fault(&d->faults, "poll unattached: revents %#x", pfd.revents);
}

static void dev_mmap(struct dev_fuzz *d, int i)
{
	size_t len = d->page * (1 + below(&d->r, 4));
	void *p;

	doing("mmap fd %d", d->fd[i]);
	p = mmap(NULL, len, PROT_READ | (one_in(&d->r, 2) ? PROT_WRITE : 0),
		 MAP_SHARED, d->fd[i], 0);
	d->mmaps++;
	if (p != MAP_FAILED) {
		fault(&d->faults, "mmap of the device succeeded");
		munmap(p, len);
	}
}

/*
 * A Multiboot header with a right checksum and random a.out fields, at a
 * random aligned place in random bytes: the loader checks far more than
 * the magic.
 */
static size_t gen_image(struct dev_fuzz *d, unsigned char *img, size_t cap)
{
	static const uint32_t flags[] = {
		0x10000, 0x10002, 0x10003, 0x10001, 0x10004, 0x0, 0x2, 0x12345,
	};
	struct rng *r = &d->r;
	size_t len = 64 + below(r, cap - 64), off;
	uint32_t h[8], i;

	fill_random(r, img, len);
	off = below(r, (len < 8192 ? len : 8192) - 32 + 1) & ~3UL;
	h[0] = 0x1badb002;
	h[1] = one_in(r, 4) ? (uint32_t)rnd(r) : flags[below(r, ARRAY_SIZE(flags))];
	h[2] = -(h[0] + h[1]) + (one_in(r, 10) ? 1 : 0);
	/* header, load, load end, bss end, entry: consistent, then spoilt */
	h[4] = 0x100000 + (below(r, 16) << 12);
	h[3] = h[4] + off;
	h[5] = one_in(r, 2) ? 0 : h[4] + len;
	h[6] = one_in(r, 2) ? 0 : h[4] + len + below(r, 1 << 16);
	h[7] = h[4] + below(r, len);
	for (i = 3; i < 8; i++)
		if (one_in(r, 4))
			h[i] = one_in(r, 2) ? (uint32_t)pick_value(r) :
			       h[i] + below(r, 64) - 32;
	memcpy(img + off, h, sizeof(h));
	if (one_in(r, 3))
		memcpy(img, "\177ELF", 4);
	return len;
}

/*
 * Stage an image through descriptor I (attached to the image; -1: stage
 * nothing more) and load it.
 */
static void dev_load(struct dev_fuzz *d, int i)
{
	struct rng *r = &d->r;
	unsigned char buf[256];
	struct msg m = { .buf = buf, .cap = sizeof(buf) };
	struct sv_nl_reply *rep;
	size_t len;
	int err;

	if (i >= 0) {
		len = gen_image(d, d->area, 2 * d->page);
		doing("stage %zu bytes through fd %d", len, d->fd[i]);
		if (lseek(d->fd[i], 0, SEEK_SET) != 0 ||
		    write(d->fd[i], d->area, len) != (ssize_t)len) {
			fault(&d->faults, "staging %zu image bytes: %s", len,
			      strerror(errno));
			return;
		}
		d->staged = STAGED_SOME;
	}
	put_str(&m, SPLITVISOR_A_VM_NAME, DEV_VM);
	if (one_in(r, 2))
		put_str(&m, SPLITVISOR_A_VM_CMDLINE, "fuzz");
	rep = malloc(sizeof(*rep));
	if (!rep)
		return;
	doing("VM_LOAD, staged %d", d->staged);
	err = sv_nl_request(d->nl, d->family, SPLITVISOR_CMD_VM_LOAD, m.buf,
			    m.len, 0, rep);
	if (err)
		fault(&d->faults, "VM_LOAD unanswered: %s", strerror(-err));
	else if (rep->error > 0)
		fault(&d->faults, "VM_LOAD: positive errno %d", rep->error);
	else
		tally_add(&d->load_res, -rep->error);
	if (!err && d->staged == STAGED_NONE && rep->error != -ENODATA)
		fault(&d->faults, "VM_LOAD with nothing staged: %d (%s), not ENODATA",
		      rep->error, rep->extack);
	if (!err && d->staged == STAGED_SOME && rep->error == -ENODATA)
		fault(&d->faults, "VM_LOAD of staged bytes: ENODATA (%s)", rep->extack);
	/* A load takes the staged image; a refused one leaves it. */
	if (!err && !rep->error)
		d->staged = STAGED_NONE;
	d->loads++;
	free(rep);
}

/* An image descriptor of the VM, opened and attached now if none is or FRESH. */
static int dev_image_fd(struct dev_fuzz *d, bool fresh)
{
	struct splitvisor_attach a = { .name = DEV_VM,
				       .channel = SPLITVISOR_CHANNEL_IMAGE };
	int i;

	for (i = 0; i < DEV_FDS && !fresh; i++)
		if (d->fd[i] >= 0 && d->channel[i] == SPLITVISOR_CHANNEL_IMAGE)
			return i;
	i = below(&d->r, DEV_FDS);
	if (d->fd[i] >= 0)
		close(d->fd[i]);
	d->fd[i] = open(SPLITVISOR_DEVICE_PATH, O_WRONLY | O_CLOEXEC);
	d->mode[i] = O_WRONLY;
	d->channel[i] = 0;
	if (d->fd[i] < 0 || ioctl(d->fd[i], SPLITVISOR_IOC_ATTACH, &a)) {
		fault(&d->faults, "attaching an image descriptor: %s", strerror(errno));
		return -1;
	}
	d->channel[i] = a.channel;
	d->staged = STAGED_NONE;
	return i;
}

/*
 * Attach afresh and write nothing somewhere: a write of no bytes stages
 * none, wherever it is, so VM_LOAD must find nothing to load.
 */
static void dev_stage_nothing(struct dev_fuzz *d)
{
	off_t pos = pick_offset(&d->r);
	int i = dev_image_fd(d, true);
	ssize_t ret;

	if (i < 0)
		return;
	doing("write of nothing at %lld through fd %d", (long long)pos, d->fd[i]);
	ret = pwrite(d->fd[i], d->area, 0, pos);
	if (ret != (pos < 0 ? -1 : 0))
		fault(&d->faults, "pwrite of nothing at %lld: %zd (%s)",
		      (long long)pos, ret, strerror(errno));
	d->writes++;
	tally_add(&d->write_res, ret < 0 ? errno : 0);
	dev_load(d, -1);
}

static void dev_round(struct dev_fuzz *d)
{
	struct rng *r = &d->r;
	int i = below(r, DEV_FDS), op = below(r, 100);

	if (d->fd[i] < 0) {
		dev_open(d, i);
		if (d->fd[i] < 0)
			return;
	}
	d->ops++;
	if (op < 62) {
		dev_ioctl(d, i, false);
	} else if (op < 70) {
		dev_read(d, i);
	} else if (op < 80) {
		dev_write(d, i);
	} else if (op < 87) {
		dev_seek(d, i);
	} else if (op < 90) {
		dev_poll(d, i);
	} else if (op < 93) {
		close(d->fd[i]);
		d->reopens++;
		dev_open(d, i);
	} else if (op < 94) {
		dev_mmap(d, i);
	} else if (op < 96) {
		if (d->have_vm) {
			i = dev_image_fd(d, false);
			if (i >= 0)
				dev_load(d, i);
		}
	} else if (op < 97) {
		if (d->have_vm)
			dev_stage_nothing(d);
	} else if (op < 98) {
		if (d->have_vm)
			dev_load(d, -1);
	} else {
		dev_ioctl(d, i, true);
	}
}

/* --- The tests --- */

static void __attribute__((constructor)) fuzz_init(void)
{
	const char *s = getenv("SPLITVISOR_FUZZ_SEED");
	const char *n = getenv("SPLITVISOR_FUZZ_ROUNDS");
	char *log, *taint;

	if (s && *s)
		fuzz_seed = strtoull(s, NULL, 0);
	else
		fuzz_seed = (unsigned long long)time(NULL) << 16 ^ getpid();
	if (n && *n)
		fuzz_rounds = strtoul(n, NULL, 0);
	log = sv_kmsg_since(-1, &kmsg_mark);
	free(log);
	taint = sv_read_file("/proc/sys/kernel/tainted");
	taint_mark = taint ? strtoul(taint, NULL, 10) : 0;
	free(taint);
	cpus_online_mark = sv_read_file("/sys/devices/system/cpu/online");
	printf("# fuzz seed %llu, %lu rounds: SPLITVISOR_FUZZ_SEED=%llu ./test_fuzz_ctl repeats them\n",
	       fuzz_seed, fuzz_rounds, fuzz_seed);
}

FIXTURE(fuzz) {
	int fd;
	int family;
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, sv_module_ensure_loaded());
	self->fd = nl_socket();
	ASSERT_LE(0, self->fd);
	self->family = sv_nl_family_id(self->fd, SPLITVISOR_FAMILY_NAME, NULL, 0);
	ASSERT_LT(0, self->family) TH_LOG("resolve: %d", self->family);
	watch_start();
}

FIXTURE_TEARDOWN(fuzz)
{
	close(self->fd);
}

TEST_F_TIMEOUT(fuzz, netlink_messages, FUZZ_TEST_SECS)
{
	struct nl_fuzz *f = calloc(1, sizeof(*f));
	struct timespec t0;
	unsigned int c;
	int left, e;

	ASSERT_NE(NULL, f);
	f->r.s = fuzz_seed ^ 0x6e65746c696e6bULL;
	f->fd = self->fd;
	f->family = self->family;
	f->seq = 1000;
	f->sendbuf = malloc(NL_SEND_MAX);
	f->recvbuf = malloc(NL_RECV_MAX);
	f->scratch = malloc(NL_MSG_LARGE);
	ASSERT_NE(NULL, f->sendbuf);
	ASSERT_NE(NULL, f->recvbuf);
	ASSERT_NE(NULL, f->scratch);
	TH_LOG("seed %llu: SPLITVISOR_FUZZ_SEED=%llu repeats this run",
	       fuzz_seed, fuzz_seed);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (f->sent < fuzz_rounds)
		if (!nl_batch(f, 1 + below(&f->r, NL_BATCH_MAX)))
			break;

	TH_LOG("%lu messages in %lu batches in %llu ms: %lu accepted (%lu without NLM_F_REQUEST, %lu unanswered without NLM_F_ACK), %lu rejected (%lu with an extack message), %lu replies, %lu dumps",
	       f->sent, f->batches, (unsigned long long)elapsed_ms(&t0),
	       f->results.ok, f->not_requests, f->silent,
	       tally_rejects(&f->results), f->rejects_with_msg, f->replies,
	       f->dumps_done);
	tally_print("netlink results", &f->results);
	for (c = 1; c <= SPLITVISOR_CMD_MAX; c++)
		TH_LOG("accepted cmd %u: %lu", c, f->accepted_by_cmd[c]);
	for (c = 0; c <= SPLITVISOR_CMD_MAX; c++)
		for (e = 0; e < ERRNO_SLOTS; e++)
			if (f->no_msg[c][e])
				TH_LOG("rejects of cmd %u without a message: %s %lu",
				       c, strerrorname_np(e), f->no_msg[c][e]);
	TH_LOG("VMs created %lu, destroyed %lu; hypervisor switched on %lu, off %lu times",
	       f->vms_created, f->vms_destroyed, f->enables, f->disables);

	/* What the fuzzing made goes: the next tests start from clean. */
	left = vms_destroy_all(self->fd, self->family);
	TH_LOG("VMs left by the fuzzing, destroyed: %d", left);
	EXPECT_LE(0, left);
	EXPECT_EQ(0, f->faults.n) TH_LOG("%lu faults, the first ones above", f->faults.n);
	EXPECT_LE(fuzz_rounds, f->sent);
	/* Not only rejects: the fuzzing reached the commands themselves. */
	EXPECT_LT(0, f->results.ok);
	EXPECT_LT(0, f->accepted_by_cmd[SPLITVISOR_CMD_GET_STATUS]);
	free(f->sendbuf);
	free(f->recvbuf);
	free(f->scratch);
	free(f);
}

TEST_F_TIMEOUT(fuzz, device_calls, FUZZ_TEST_SECS)
{
	struct dev_fuzz *d = calloc(1, sizeof(*d));
	unsigned char buf[128];
	struct msg m = { .buf = buf, .cap = sizeof(buf) };
	struct sv_nl_reply *rep = malloc(sizeof(*rep));
	struct timespec t0;
	long cpus;
	int i, err;

	ASSERT_NE(NULL, d);
	ASSERT_NE(NULL, rep);
	d->r.s = fuzz_seed ^ 0x646576696365ULL;
	d->nl = self->fd;
	d->family = self->family;
	d->page = sysconf(_SC_PAGESIZE);
	d->area = mmap(NULL, 3 * d->page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, d->area);
	ASSERT_EQ(0, mprotect(d->area + 2 * d->page, d->page, PROT_NONE));
	TH_LOG("seed %llu: SPLITVISOR_FUZZ_SEED=%llu repeats this run",
	       fuzz_seed, fuzz_seed);

	/* A VM to attach to: the smallest there is, on a CPU of its own. */
	ASSERT_LE(0, vms_destroy_all(self->fd, self->family));
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	put_str(&m, SPLITVISOR_A_VM_NAME, DEV_VM);
	put_u32(&m, SPLITVISOR_A_VM_NR_CPUS, 1);
	put_u64(&m, SPLITVISOR_A_VM_MEM_SIZE, SZ_2M);
	ASSERT_EQ(0, sv_nl_request(self->fd, self->family, SPLITVISOR_CMD_VM_CREATE,
				   m.buf, m.len, 0, rep));
	d->have_vm = !rep->error;
	if (cpus < 2)
		TH_LOG("one CPU: no VM to attach to (%s)", rep->extack);
	ASSERT_TRUE(cpus < 2 || !rep->error) TH_LOG("VM_CREATE: %s", rep->extack);

	for (i = 0; i < DEV_FDS; i++)
		d->fd[i] = -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (d->ioctls < fuzz_rounds && !d->dead)
		dev_round(d);

	TH_LOG("%lu calls in %llu ms: %lu ioctls, %lu reads, %lu writes, %lu seeks, %lu polls, %lu mmaps, %lu reopens, %lu attaches, %lu loads",
	       d->ops, (unsigned long long)elapsed_ms(&t0), d->ioctls, d->reads,
	       d->writes, d->seeks, d->polls, d->mmaps, d->reopens, d->attaches,
	       d->loads);
	tally_print("ioctl", &d->ioctl_res);
	tally_print("read", &d->read_res);
	tally_print("write", &d->write_res);
	tally_print("lseek", &d->seek_res);
	tally_print("VM_LOAD", &d->load_res);

	for (i = 0; i < DEV_FDS; i++)
		if (d->fd[i] >= 0)
			close(d->fd[i]);
	if (d->have_vm) {
		err = vm_cmd(self->fd, self->family, SPLITVISOR_CMD_VM_DESTROY, DEV_VM);
		EXPECT_EQ(0, err);
		EXPECT_LT(0, d->attaches);
	}
	EXPECT_EQ(0, d->faults.n) TH_LOG("%lu faults, the first ones above", d->faults.n);
	EXPECT_LE(fuzz_rounds, d->ioctls);
	munmap(d->area, 3 * d->page);
	free(rep);
	free(d);
}

/* Whatever the tests before did or died in: nothing of it stays. */
TEST_F_TIMEOUT(fuzz, nothing_left_and_module_unloads, FUZZ_TEST_SECS)
{
	char names[VM_NAMES_MAX][SPLITVISOR_VM_NAME_MAX + 1];
	char *online;
	struct stat st;
	long long v;

	EXPECT_LE(0, vms_destroy_all(self->fd, self->family));
	EXPECT_EQ(0, vm_names(self->fd, self->family, names, VM_NAMES_MAX));
	EXPECT_EQ(SPLITVISOR_HV_STATE_ON,
		  status_u32(self->fd, self->family, SPLITVISOR_A_HV_STATE));
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN),
		  status_u32(self->fd, self->family, SPLITVISOR_A_CPUS_VIRTUALIZED));
	online = sv_read_file("/sys/devices/system/cpu/online");
	ASSERT_NE(NULL, online);
	ASSERT_NE(NULL, cpus_online_mark);
	EXPECT_STREQ(cpus_online_mark, online) TH_LOG("CPUs online before: %s",
						      cpus_online_mark);
	free(online);

	ASSERT_EQ(0, sv_module_unload("splitvisor"));
	EXPECT_FALSE(sv_module_loaded("splitvisor"));
	EXPECT_NE(0, stat(SPLITVISOR_DEVICE_PATH, &st));
	EXPECT_EQ(-ENOENT, sv_nl_family_id(self->fd, SPLITVISOR_FAMILY_NAME, NULL, 0));

	/* And comes back as it was, for the tests after. */
	ASSERT_EQ(0, sv_module_load("splitvisor"));
	self->family = sv_nl_family_id(self->fd, SPLITVISOR_FAMILY_NAME, NULL, 0);
	ASSERT_LT(0, self->family);
	v = status_u32(self->fd, self->family, SPLITVISOR_A_HV_STATE);
	EXPECT_EQ(SPLITVISOR_HV_STATE_ON, v);
	EXPECT_EQ(0, vm_names(self->fd, self->family, names, VM_NAMES_MAX));
}

TEST_F_TIMEOUT(fuzz, no_oops_warning_or_taint, FUZZ_TEST_SECS)
{
	/* Out-of-tree and unsigned: what loading splitvisor taints anyway. */
	unsigned long expected = (1UL << 12) | (1UL << 13), taint;
	static const char * const bad[] = {
		"BUG", "WARNING", "Oops", "general protection", "UBSAN",
		"KASAN", "refcount", "Call Trace", "list_add corruption",
		"list_del corruption", "stack-protector", "soft lockup",
		"hung task", "blocked for more than",
	};
	long long last;
	unsigned int i;
	char *log, *t;

	ASSERT_LE(0, kmsg_mark) TH_LOG("no kernel log mark from the start");
	log = sv_kmsg_since(kmsg_mark, &last);
	ASSERT_NE(NULL, log);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *hit = strstr(log, bad[i]);

		EXPECT_EQ(NULL, hit) TH_LOG("kernel log: %.400s", hit);
	}
	TH_LOG("kernel log records since the start: %lld", last - kmsg_mark);
	free(log);
	t = sv_read_file("/proc/sys/kernel/tainted");
	ASSERT_NE(NULL, t);
	taint = strtoul(t, NULL, 10);
	free(t);
	TH_LOG("taint before %#lx, now %#lx", taint_mark, taint);
	EXPECT_EQ(0, taint & ~taint_mark & ~expected);
}

TEST_HARNESS_MAIN
