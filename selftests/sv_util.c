// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <splitvisor.h>

#include "sv_util.h"

/*
 * run_tests.sh shows a test's output as it comes, so that a test host that
 * runs out of time still shows which test it was in: stdout is a pipe there,
 * and a pipe is block-buffered unless told otherwise.
 */
static void __attribute__((constructor)) sv_stdout_line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

const char *sv_module_path(const char *name)
{
	static char path[PATH_MAX];
	const char *dir = getenv("SPLITVISOR_MODULES");

	snprintf(path, sizeof(path), "%s/%s.ko", dir ? dir : "/modules", name);
	return path;
}

bool sv_module_loaded(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

int sv_module_load_params(const char *name, const char *params)
{
	int fd, ret;

	fd = open(sv_module_path(name), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

int sv_module_load(const char *name)
{
	return sv_module_load_params(name, "");
}

int sv_module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

int sv_module_ensure_loaded(void)
{
	if (sv_module_loaded("splitvisor"))
		return 0;
	return sv_module_load("splitvisor");
}

int sv_nl_open(void)
{
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	/* Ask for extack messages and a capped ack (no echo of the request). */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

const void *sv_nla_find(const void *start, size_t len, int type,
			size_t *payload_len)
{
	const struct nlattr *nla = start;

	while (len >= NLA_HDRLEN && nla->nla_len >= NLA_HDRLEN &&
	       nla->nla_len <= len) {
		size_t step = NLA_ALIGN(nla->nla_len);

		if ((nla->nla_type & NLA_TYPE_MASK) == type) {
			if (payload_len)
				*payload_len = nla->nla_len - NLA_HDRLEN;
			return (const char *)nla + NLA_HDRLEN;
		}
		if (step >= len)
			break;
		len -= step;
		nla = (const void *)((const char *)nla + step);
	}
	return NULL;
}

static void sv_parse_error(const struct nlmsghdr *nlh, struct sv_nl_reply *r)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t hdr = NLMSG_HDRLEN + sizeof(*e);
	const char *msg;
	size_t msg_len;

	r->error = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= hdr)
		return;
	/* The request is capped (NETLINK_CAP_ACK): TLVs follow the header. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hdr += e->msg.nlmsg_len - sizeof(e->msg);
	if (nlh->nlmsg_len <= hdr)
		return;
	msg = sv_nla_find((const char *)nlh + hdr, nlh->nlmsg_len - hdr,
			  NLMSGERR_ATTR_MSG, &msg_len);
	if (msg && msg_len)
		snprintf(r->extack, sizeof(r->extack), "%.*s", (int)msg_len,
			 msg);
}

int sv_nl_request(int fd, int family, unsigned char cmd, const void *raw,
		  size_t raw_len, unsigned short reserved,
		  struct sv_nl_reply *reply)
{
	static unsigned int seq;
	unsigned char buf[16384];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t len = NLMSG_LENGTH(GENL_HDRLEN) + raw_len;
	bool done = false;

	if (len > sizeof(buf))
		return -EMSGSIZE;
	memset(reply, 0, sizeof(*reply));
	memset(buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	nlh->nlmsg_len = len;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = 1;
	g->reserved = reserved;
	memcpy((char *)g + GENL_HDRLEN, raw, raw_len);
	if (send(fd, buf, len, 0) < 0)
		return -errno;

	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				sv_parse_error(nlh, reply);
				done = true;
				break;
			}
			if (nlh->nlmsg_len <= sizeof(reply->data)) {
				memcpy(reply->data, nlh, nlh->nlmsg_len);
				reply->len = nlh->nlmsg_len;
			}
		}
	}
	return 0;
}

/* CTRL_CMD_GETFAMILY for NAME, reply in R: 0 or -errno. */
static int sv_nl_getfamily(int fd, const char *name, struct sv_nl_reply *r)
{
	unsigned char attr[NLA_HDRLEN + 64];
	struct nlattr *nla = (struct nlattr *)attr;
	int ret;

	if (strlen(name) >= 64)
		return -EINVAL;
	memset(attr, 0, sizeof(attr));
	nla->nla_type = CTRL_ATTR_FAMILY_NAME;
	nla->nla_len = NLA_HDRLEN + strlen(name) + 1;
	memcpy(attr + NLA_HDRLEN, name, strlen(name));
	ret = sv_nl_request(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attr,
			    NLA_ALIGN(nla->nla_len), 0, r);
	return ret ? ret : r->error;
}

int sv_nl_family_id(int fd, const char *name, char *mcgrp, size_t mcgrp_len)
{
	struct sv_nl_reply *r;
	const void *id, *grps, *payload;
	size_t plen, glen;
	int ret;

	r = malloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	ret = sv_nl_getfamily(fd, name, r);
	if (ret)
		goto out;
	payload = r->data + NLMSG_LENGTH(GENL_HDRLEN);
	plen = r->len - NLMSG_LENGTH(GENL_HDRLEN);
	id = sv_nla_find(payload, plen, CTRL_ATTR_FAMILY_ID, NULL);
	ret = id ? *(const unsigned short *)id : -ENOENT;
	if (mcgrp && mcgrp_len) {
		const void *grp, *gname;

		mcgrp[0] = '\0';
		grps = sv_nla_find(payload, plen, CTRL_ATTR_MCAST_GROUPS,
				   &glen);
		/* First group's nest is the first attribute of the list. */
		grp = grps ? sv_nla_find(grps, glen, 1, &glen) : NULL;
		gname = grp ? sv_nla_find(grp, glen, CTRL_ATTR_MCAST_GRP_NAME,
					  NULL) : NULL;
		if (gname)
			snprintf(mcgrp, mcgrp_len, "%s", (const char *)gname);
	}
out:
	free(r);
	return ret;
}

static char *sv_slurp_fd(int fd)
{
	size_t len = 0, cap = 4096;
	char *s = malloc(cap);
	ssize_t n;

	if (!s)
		return NULL;
	while ((n = read(fd, s + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *bigger = realloc(s, cap * 2);

			if (!bigger)
				break;
			s = bigger;
			cap *= 2;
		}
	}
	s[len] = '\0';
	return s;
}

int sv_run(uid_t uid, const char *const argv[], char **out, char **err)
{
	char tmpl_out[] = "/tmp/sv_outXXXXXX", tmpl_err[] = "/tmp/sv_errXXXXXX";
	int fo = mkstemp(tmpl_out), fe = mkstemp(tmpl_err);
	int status = -1;
	pid_t pid;

	if (fo < 0 || fe < 0)
		return -1;
	unlink(tmpl_out);
	unlink(tmpl_err);
	pid = fork();
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		if (uid != (uid_t)-1 &&
		    (setgroups(0, NULL) || setgid(uid) || setuid(uid)))
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	else
		status = -1;
	lseek(fo, 0, SEEK_SET);
	lseek(fe, 0, SEEK_SET);
	*out = sv_slurp_fd(fo);
	*err = sv_slurp_fd(fe);
	close(fo);
	close(fe);
	return status;
}

char *sv_kmsg_since(long long after, long long *last)
{
	size_t len = 0, cap = 65536;
	char *all = malloc(cap), rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (!all || fd < 0) {
		free(all);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	all[0] = '\0';
	*last = -1;
	/* One record per read: "prio,seq,usec,flags;message\n..." */
	for (;;) {
		long long seq;
		char *msg, *end;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg || sscanf(rec, "%*u,%lld", &seq) != 1)
			continue;
		*last = seq;
		if (seq <= after)
			continue;
		msg++;
		end = strchrnul(msg, '\n');
		if (len + (end - msg) + 2 > cap) {
			char *bigger = realloc(all, cap * 2);

			if (!bigger)
				break;
			all = bigger;
			cap *= 2;
		}
		memcpy(all + len, msg, end - msg);
		len += end - msg;
		all[len++] = '\n';
		all[len] = '\0';
	}
	close(fd);
	return all;
}

char *sv_read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *s;

	if (fd < 0)
		return NULL;
	s = sv_slurp_fd(fd);
	close(fd);
	return s;
}

const char *sv_vmctl_path(void)
{
	const char *p = getenv("VMCTL");

	return p ? p : "/usr/sbin/vmctl";
}

struct sv_cmd sv_vmctl(uid_t uid, const char *a1, const char *a2)
{
	const char *argv[4];
	struct sv_cmd c;

	argv[0] = sv_vmctl_path();
	argv[1] = a1;
	argv[2] = a2;
	argv[3] = NULL;
	c.status = sv_run(uid, argv, &c.out, &c.err);
	return c;
}

struct sv_cmd sv_vmctl_args(const char *first, ...)
{
	const char *argv[16] = { sv_vmctl_path(), first };
	struct sv_cmd c;
	va_list ap;
	int n = 2;

	va_start(ap, first);
	while (n < 15 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	c.status = sv_run(0, argv, &c.out, &c.err);
	return c;
}

void sv_cmd_free(struct sv_cmd *c)
{
	free(c->out);
	free(c->err);
	c->out = NULL;
	c->err = NULL;
}

int sv_vmctl_start(struct sv_background *bg, const char *a1, const char *a2)
{
	int out[2], err[2];

	memset(bg, 0, sizeof(*bg));
	if (pipe(out) || pipe(err))
		return -errno;
	bg->pid = fork();
	if (bg->pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		close(out[0]);
		close(err[0]);
		execl(sv_vmctl_path(), sv_vmctl_path(), a1, a2, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	bg->out = out[0];
	bg->err = err[0];
	return bg->pid < 0 ? -errno : 0;
}

/*
 * Read stdout (0) or stderr (1) until it holds WANT (NULL: to its end);
 * false at its end.
 */
bool sv_wait_for_output(struct sv_background *bg, int which,
			    const char *want)
{
	int fd = which ? bg->err : bg->out;
	char *text = bg->text[which];
	size_t *len = &bg->len[which];
	ssize_t n;

	while (!want || !strstr(text, want)) {
		if (*len + 1 >= sizeof(bg->text[which]))
			return false;
		n = read(fd, text + *len, sizeof(bg->text[which]) - 1 - *len);
		if (n <= 0)
			return false;
		*len += n;
		text[*len] = '\0';
	}
	return true;
}

/* Interrupt it as Ctrl-C would; its exit status. */
int sv_vmctl_interrupt(struct sv_background *bg)
{
	int status;

	kill(bg->pid, SIGINT);
	if (waitpid(bg->pid, &status, 0) != bg->pid)
		status = -1;
	sv_wait_for_output(bg, 0, NULL);
	close(bg->out);
	close(bg->err);
	if (status < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

bool sv_hw_check_has(const char *out, const char *state, const char *name)
{
	for (const char *l = out; l && *l; l = strchr(l, '\n')) {
		char st[16], nm[40];

		l += (*l == '\n');
		if (sscanf(l, " %15s %*s %39s", st, nm) == 2 &&
		    !strcmp(st, state) && !strcmp(nm, name))
			return true;
	}
	return false;
}

const void *sv_status_hw(const struct sv_nl_reply *r, size_t *len)
{
	size_t hdr = NLMSG_LENGTH(GENL_HDRLEN);

	if (r->len <= hdr)
		return NULL;
	return sv_nla_find(r->data + hdr, r->len - hdr, SPLITVISOR_A_HW, len);
}

int sv_feature_state(const void *hw, size_t len, const char *name)
{
	const unsigned char *q = hw, *end = q + len;

	while (q + NLA_HDRLEN <= end) {
		const struct nlattr *nla = (const void *)q;
		const void *nm, *st;
		size_t flen;

		if (nla->nla_len < NLA_HDRLEN || q + nla->nla_len > end)
			break;
		flen = nla->nla_len - NLA_HDRLEN;
		if ((nla->nla_type & NLA_TYPE_MASK) == SPLITVISOR_A_HW_FEATURE) {
			nm = sv_nla_find(q + NLA_HDRLEN, flen,
					 SPLITVISOR_A_FEATURE_NAME, NULL);
			st = sv_nla_find(q + NLA_HDRLEN, flen,
					 SPLITVISOR_A_FEATURE_STATE, NULL);
			if (nm && st && !strcmp(nm, name))
				return *(const __u32 *)st;
		}
		q += NLA_ALIGN(nla->nla_len);
	}
	return -1;
}

/* --- For the VMX selftests (test_vmx) and bench_vmx --- */

#include <sched.h>
#include <stdint.h>

void sv_cpuid(unsigned int leaf, unsigned int subleaf, unsigned int r[4])
{
	asm volatile("cpuid"
		     : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]), "=d" (r[3])
		     : "a" (leaf), "c" (subleaf));
}

uint64_t sv_rdtsc(void)
{
	unsigned int lo, hi;

	asm volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

int sv_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

int sv_online_cpus(int *cpus, int max)
{
	char *s = sv_read_file("/sys/devices/system/cpu/online");
	char *p, *end;
	int n = 0;

	if (!s)
		return -errno;
	/* "0-3,5,7-8\n" */
	for (p = s; *p && *p != '\n';) {
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b && n < max; a++)
			cpus[n++] = a;
		p = end + (*end == ',');
	}
	free(s);
	return n;
}

int sv_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(s))
		ret = -EIO;
	close(fd);
	return ret;
}

int sv_helper_ensure_loaded(void)
{
	if (sv_module_loaded(SV_HELPER_MODULE))
		return 0;
	return sv_module_load(SV_HELPER_MODULE);
}

int sv_cpu_info(struct sv_cpu_info *ci, int max)
{
	char *s = sv_read_file(SV_HELPER_DIR "/cpu_info");
	char *line, *save = NULL;
	int n = 0;

	if (!s)
		return -errno;
	for (line = strtok_r(s, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct sv_cpu_info *c = &ci[n];
		char word[16];

		memset(c, 0, sizeof(*c));
		if (sscanf(line, "cpu %d %15s", &c->cpu, word) != 2)
			continue;
		if (!strcmp(word, "ud"))
			c->fault = 6;	/* #UD */
		else if (sscanf(line, "cpu %*d fault %d", &c->fault) == 1)
			;
		else if (sscanf(line, "cpu %*d rax %lld rbx %llu rcx %llu rdx %llu",
				&c->rax, &c->rbx, &c->rcx, &c->rdx) == 4)
			c->fault = -1;
		else
			continue;
		n++;
	}
	free(s);
	return n;
}

bool sv_cpu_info_virtualized(const struct sv_cpu_info *ci, int n, int cpu)
{
	for (int i = 0; i < n; i++)
		if (ci[i].cpu == cpu)
			return ci[i].fault < 0 && ci[i].rax == 0 &&
			       ci[i].rbx == (unsigned long long)cpu &&
			       ci[i].rcx == 1;
	return false;
}

/* The unsigned number after "KEY": in [s, end), or false. */
static bool sv_json_u64(const char *s, const char *end, const char *key,
			uint64_t *v)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = memmem(s, end - s, pat, strlen(pat));
	if (!p)
		return false;
	*v = strtoull(p + strlen(pat), NULL, 10);
	return true;
}

static bool sv_json_has(const char *s, const char *end, const char *kv)
{
	return memmem(s, end - s, kv, strlen(kv)) != NULL;
}

int sv_hv_stats(struct sv_hv_stats *s, char **out)
{
	struct sv_cmd c = sv_vmctl(-1, "--json", "stats");
	const char *p, *end, *cpus;
	uint64_t v;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (c.status != 0 || !c.out)
		goto out;
	end = c.out + strlen(c.out);
	cpus = strstr(c.out, "\"cpus\":[");
	if (!cpus)
		goto out;
	s->on = sv_json_has(c.out, cpus, "\"hypervisor\":\"on\"");
	if (sv_json_u64(c.out, cpus, "cpus_virtualized", &v))
		s->cpus_virtualized = v;
	if (!sv_json_u64(c.out, cpus, "exits", &s->exits))
		goto out;
	for (p = strstr(cpus, "{\"cpu\":"); p && s->ncpus < SV_MAX_CPUS;) {
		const char *next = strstr(p + 1, "{\"cpu\":");
		const char *stop = next ? next : end;
		struct sv_cpu_stats *cs = &s->cpu[s->ncpus++];

		cs->cpu = strtol(p + strlen("{\"cpu\":"), NULL, 10);
		cs->virtualized = sv_json_has(p, stop, "\"virtualized\":true");
		sv_json_u64(p, stop, "exits", &cs->exits);
		sv_json_u64(p, stop, "hidden_accesses", &cs->hidden_accesses);
		sv_json_u64(p, stop, "unmapped_accesses",
			    &cs->unmapped_accesses);
		sv_json_u64(p, stop, "nmis", &cs->nmis);
		sv_json_u64(p, stop, "nmis_in_hypervisor",
			    &cs->nmis_in_hypervisor);
		sv_json_u64(p, stop, "cpuid", &cs->cpuid);
		p = next;
	}
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "# vmctl --json stats: status %d, stderr: %.300s, stdout: %.300s\n",
			c.status, c.err ? c.err : "", c.out ? c.out : "");
	if (out) {
		*out = c.out;
		c.out = NULL;
	}
	sv_cmd_free(&c);
	return ret;
}

const struct sv_cpu_stats *sv_hv_stats_cpu(const struct sv_hv_stats *s,
					   int cpu)
{
	for (int i = 0; i < s->ncpus; i++)
		if (s->cpu[i].cpu == cpu)
			return &s->cpu[i];
	return NULL;
}

int sv_nl_mcgrp_id(int fd, const char *family, const char *group)
{
	const unsigned char *grps, *q, *end;
	struct sv_nl_reply *r;
	size_t glen;
	int ret;

	r = malloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	ret = sv_nl_getfamily(fd, family, r);
	if (ret)
		goto out;
	ret = -ENOENT;
	if (r->len <= NLMSG_LENGTH(GENL_HDRLEN))
		goto out;
	grps = sv_nla_find(r->data + NLMSG_LENGTH(GENL_HDRLEN),
			   r->len - NLMSG_LENGTH(GENL_HDRLEN),
			   CTRL_ATTR_MCAST_GROUPS, &glen);
	if (!grps)
		goto out;
	/* A list of nests, one per group, each with a name and an id. */
	for (q = grps, end = grps + glen; q + NLA_HDRLEN <= end;) {
		const struct nlattr *g = (const void *)q;
		const char *name;
		const void *id;
		size_t len;

		if (g->nla_len < NLA_HDRLEN || q + g->nla_len > end)
			break;
		len = g->nla_len - NLA_HDRLEN;
		name = sv_nla_find(q + NLA_HDRLEN, len,
				   CTRL_ATTR_MCAST_GRP_NAME, NULL);
		id = sv_nla_find(q + NLA_HDRLEN, len, CTRL_ATTR_MCAST_GRP_ID,
				 NULL);
		if (name && id && !strcmp(name, group)) {
			ret = *(const uint32_t *)id;
			break;
		}
		q += NLA_ALIGN(g->nla_len);
	}
out:
	free(r);
	return ret;
}

#define SV_WORKLOAD_BYTES	(256 * 1024)
#define SV_WORKLOAD_CHUNK	4096

uint64_t sv_workload(unsigned int rounds)
{
	uint64_t h = 0xcbf29ce484222325ULL, x = 0x9e3779b97f4a7c15ULL;
	unsigned char *buf = malloc(SV_WORKLOAD_BYTES);
	unsigned char back[SV_WORKLOAD_CHUNK];
	pid_t self = getpid();
	uint64_t *words;
	int p[2] = { -1, -1 };
	size_t i, off;

	if (!buf || pipe(p))
		goto fail;
	words = (uint64_t *)buf;
	for (i = 0; i < SV_WORKLOAD_BYTES / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		words[i] = x;
	}
	while (rounds--) {
		for (off = 0; off < SV_WORKLOAD_BYTES; off += SV_WORKLOAD_CHUNK) {
			if (getpid() != self ||
			    write(p[1], buf + off, SV_WORKLOAD_CHUNK) !=
			    SV_WORKLOAD_CHUNK ||
			    read(p[0], back, SV_WORKLOAD_CHUNK) !=
			    SV_WORKLOAD_CHUNK)
				goto fail;
			for (i = 0; i < SV_WORKLOAD_CHUNK; i++)
				h = (h ^ back[i]) * 0x100000001b3ULL;
		}
		/* Each round hashes what the one before left. */
		for (i = 0; i < SV_WORKLOAD_BYTES / 8; i += 8)
			words[i] ^= h + i;
	}
	close(p[0]);
	close(p[1]);
	free(buf);
	return h ? h : 1;
fail:
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	free(buf);
	return 0;
}

int sv_workload_children(int children)
{
	int bad = 0, i, status;
	pid_t pid;

	for (i = 0; i < children; i++) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0)
			_exit(sv_workload(SV_WORKLOAD_ROUNDS) ==
			      SV_WORKLOAD_HASH ? 0 : 1);
	}
	for (i = 0; i < children; i++) {
		if (wait(&status) < 0)
			return -1;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad++;
	}
	return bad;
}

static int sv_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double sv_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), sv_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int sv_cpus_virtualized(int *cpus, int *ncpus)
{
	struct sv_cpu_info ci[SV_MAX_CPUS];
	int n, v = 0;

	*ncpus = sv_online_cpus(cpus, SV_MAX_CPUS);
	n = sv_cpu_info(ci, SV_MAX_CPUS);
	for (int i = 0; i < *ncpus; i++)
		if (sv_cpu_info_virtualized(ci, n, cpus[i]))
			v++;
	return v;
}

bool sv_cmdline_has(const char *word)
{
	char *cmdline = sv_read_file("/proc/cmdline");
	bool has = cmdline && strstr(cmdline, word);

	free(cmdline);
	return has;
}

#define SV_SELF_KERNEL	"/boot/vmlinuz"
#define SV_SELF_INITRD	"/tmp/next-initramfs.cpio"

int sv_kexec_load_self(const char *args, unsigned long flags)
{
	char *cmdline, *nl, next[2048];
	int kfd, ifd, err = 0;

	if (system("cd / && find . -xdev | cpio -o -H newc > " SV_SELF_INITRD
		   " 2>/dev/null"))
		return -EIO;
	cmdline = sv_read_file("/proc/cmdline");
	if (!cmdline)
		return -errno;
	nl = strchr(cmdline, '\n');
	if (nl)
		*nl = '\0';
	snprintf(next, sizeof(next), "%s %s", cmdline, args);
	free(cmdline);
	kfd = open(SV_SELF_KERNEL, O_RDONLY);
	ifd = open(SV_SELF_INITRD, O_RDONLY);
	if (kfd < 0 || ifd < 0 ||
	    syscall(SYS_kexec_file_load, kfd, ifd, strlen(next) + 1, next, flags))
		err = -errno;
	if (kfd >= 0)
		close(kfd);
	if (ifd >= 0)
		close(ifd);
	/* The kernel keeps its own copy: the tmpfs space goes back. */
	unlink(SV_SELF_INITRD);
	return err;
}

#define SV_CPUID_1_ECX_VMX	(1u << 5)

const char *sv_cpu_left_vmx(void)
{
	unsigned int r[4];

	sv_cpuid(SPLITVISOR_CPUID_SIGNATURE_LEAF, 0, r);
	if (r[1] == SPLITVISOR_CPUID_SIG_EBX && r[2] == SPLITVISOR_CPUID_SIG_ECX)
		return "the CPU still runs under splitvisor";
	sv_cpuid(1, 0, r);
	if (!(r[2] & SV_CPUID_1_ECX_VMX))
		return "VMX is hidden from the CPU";
	return NULL;
}

/* NULL if vmctl C succeeded and printed WANT, else what it said. */
static char *sv_cmd_why(struct sv_cmd *c, const char *what, const char *want)
{
	char *why = NULL;

	if ((c->status || (want && !strstr(c->out, want))) &&
	    asprintf(&why, "vmctl %s: %s%s", what, c->out, c->err) < 0)
		why = strdup(what);
	sv_cmd_free(c);
	return why;
}

char *sv_spin_vm_start(int cpu)
{
	struct sv_cmd c;
	char cpu_s[16], *why;

	snprintf(cpu_s, sizeof(cpu_s), "%d", cpu);
	c = sv_vmctl_args("create", "spin", "--cpu-list", cpu_s, "--mem", "4M",
			  "--image", "/guests/spin.elf", NULL);
	why = sv_cmd_why(&c, "create spin", NULL);
	if (!why) {
		c = sv_vmctl_args("start", "spin", NULL);
		why = sv_cmd_why(&c, "start spin", NULL);
	}
	if (!why) {
		c = sv_vmctl_args("show", "spin", NULL);
		why = sv_cmd_why(&c, "show spin", "running");
	}
	return why;
}

char *sv_new_kernel_is_bare(const char *cpus_key)
{
	char *cmdline = sv_read_file("/proc/cmdline"), *p, *why = NULL;
	int cpus[SV_MAX_CPUS], ncpus, expected = 0, i;
	const char *wrong = NULL;

	p = cmdline ? strstr(cmdline, cpus_key) : NULL;
	if (p)
		expected = atoi(p + strlen(cpus_key));
	free(cmdline);
	ncpus = sv_online_cpus(cpus, SV_MAX_CPUS);
	if (ncpus != expected) {
		if (asprintf(&why, "%d CPUs online, %d before: a CPU left in VMX operation does not take INIT",
			     ncpus, expected) < 0)
			why = strdup("not every CPU came up");
		return why;
	}
	for (i = 0; i < ncpus && !wrong; i++)
		wrong = sv_pin_cpu(cpus[i]) ? "cannot run there" : sv_cpu_left_vmx();
	if (wrong) {
		if (asprintf(&why, "CPU %d: %s", cpus[i - 1], wrong) < 0)
			why = strdup(wrong);
		return why;
	}
	wrong = sv_hypervisor_comes_back();
	return wrong ? strdup(wrong) : NULL;
}

const char *sv_hypervisor_comes_back(void)
{
	int cpus[SV_MAX_CPUS], ncpus;

	/* VMXON fails on a CPU still in VMX operation. */
	if (sv_module_ensure_loaded() || sv_helper_ensure_loaded())
		return "splitvisor or its test helper does not load";
	if (sv_cpus_virtualized(cpus, &ncpus) != ncpus)
		return "not every online CPU is virtualized";
	if (sv_workload(SV_WORKLOAD_ROUNDS) != SV_WORKLOAD_HASH)
		return "the workload's hash is wrong";
	if (sv_module_unload("splitvisor"))
		return "splitvisor does not unload";
	return NULL;
}

#include <sys/mman.h>
#include <sys/prctl.h>

long sv_free_kib(void)
{
	long kib = -1, pages = 0;
	char *m, *z, *p;

	sync();
	sv_write_file("/proc/sys/vm/drop_caches", "3");
	m = sv_read_file("/proc/meminfo");
	z = sv_read_file("/proc/zoneinfo");
	p = m ? strstr(m, "MemFree:") : NULL;
	if (p && z) {
		kib = strtol(p + strlen("MemFree:"), NULL, 10);
		for (p = z; (p = strstr(p, " count:")); p += strlen(" count:"))
			pages += strtol(p + strlen(" count:"), NULL, 10);
		kib += pages * (sysconf(_SC_PAGESIZE) / 1024);
	}
	free(m);
	free(z);
	return kib;
}

#define SV_CHURN_ANON	(16 << 20)
#define SV_CHURN_FILE	"/tmp/sv-memory-churn"

pid_t sv_memory_churn_start(void)
{
	static char chunk[64 << 10];
	pid_t pid = fork();

	if (pid)
		return pid;
	/* Never outlive the test, whichever way it ends. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(3);
	memset(chunk, 0x5a, sizeof(chunk));
	for (;;) {
		char *p = mmap(NULL, SV_CHURN_ANON, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int fd, i;

		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 0xa5, SV_CHURN_ANON);
		munmap(p, SV_CHURN_ANON);
		/* Page cache as a dd to a file makes it, on tmpfs. */
		fd = open(SV_CHURN_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			_exit(1);
		for (i = 0; i < 64; i++)
			if (write(fd, chunk, sizeof(chunk)) != sizeof(chunk))
				_exit(1);
		close(fd);
		unlink(SV_CHURN_FILE);
	}
}

int sv_memory_churn_stop(pid_t pid)
{
	int status;

	if (pid <= 0 || kill(pid, SIGTERM) || waitpid(pid, &status, 0) != pid)
		return -1;
	unlink(SV_CHURN_FILE);
	/* Killed as asked, not ended on its own by a failure. */
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM ? 0 : -1;
}

void sv_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

char *sv_wait_console(const char *name, const char *text, int secs)
{
	time_t end = time(NULL) + secs;
	struct sv_cmd c;

	for (;;) {
		c = sv_vmctl_args("console", name, NULL);
		if (c.status != 0) {
			fprintf(stderr, "# vmctl failed (%d): %s%s", c.status, c.out, c.err);
			sv_cmd_free(&c);
			return NULL;
		}
		free(c.err);
		if (strstr(c.out, text) || time(NULL) > end)
			return c.out;
		free(c.out);
		/* A poll costs the test host seconds of emulated idle time. */
		sv_sleep_ms(20);
	}
}
