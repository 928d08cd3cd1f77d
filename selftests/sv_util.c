// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <splitvisor.h>

#include "sv_util.h"

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

int sv_module_load(const char *name)
{
	int fd, ret;

	fd = open(sv_module_path(name), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
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

int sv_nl_family_id(int fd, const char *name, char *mcgrp, size_t mcgrp_len)
{
	unsigned char attr[NLA_HDRLEN + 64];
	struct nlattr *nla = (struct nlattr *)attr;
	struct sv_nl_reply *r;
	const void *id, *grps, *payload;
	size_t plen, glen;
	int ret;

	if (strlen(name) >= 64)
		return -EINVAL;
	memset(attr, 0, sizeof(attr));
	nla->nla_type = CTRL_ATTR_FAMILY_NAME;
	nla->nla_len = NLA_HDRLEN + strlen(name) + 1;
	memcpy(attr + NLA_HDRLEN, name, strlen(name));

	r = malloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	ret = sv_nl_request(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attr,
			    NLA_ALIGN(nla->nla_len), 0, r);
	if (!ret)
		ret = r->error;
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

void sv_cmd_free(struct sv_cmd *c)
{
	free(c->out);
	free(c->err);
	c->out = NULL;
	c->err = NULL;
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
