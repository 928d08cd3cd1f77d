// SPDX-License-Identifier: GPL-2.0
/*
 * The "splitvisor" generic netlink family: GET_STATUS answers with the
 * module and hardware state, GET_STATS with the exit counters of every
 * CPU, and state changes are announced on the "events" group; bad requests
 * are refused with an errno and an extack message; callers without
 * CAP_NET_ADMIN get EPERM.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <splitvisor.h>

#include "kselftest_harness.h"
#include "sv_util.h"

FIXTURE(nl) {
	int fd;
	int family;
	char mcgrp[32];
	struct sv_nl_reply r;
};

FIXTURE_SETUP(nl)
{
	ASSERT_EQ(0, sv_module_ensure_loaded());
	self->fd = sv_nl_open();
	ASSERT_LE(0, self->fd);
	self->family = sv_nl_family_id(self->fd, SPLITVISOR_FAMILY_NAME,
				       self->mcgrp, sizeof(self->mcgrp));
	ASSERT_LT(0, self->family) TH_LOG("resolve: %d", self->family);
}

FIXTURE_TEARDOWN(nl)
{
	close(self->fd);
}

/* Top-level payload of the reply, after the genl header. */
static const void *payload(const struct sv_nl_reply *r, size_t *len)
{
	*len = r->len - NLMSG_LENGTH(GENL_HDRLEN);
	return r->data + NLMSG_LENGTH(GENL_HDRLEN);
}

/* The attribute of TYPE (-1: any) after PREV (NULL: the first) in START/LEN. */
static const struct nlattr *next_attr(const void *start, size_t len,
				      const struct nlattr *prev, int type)
{
	const unsigned char *p = start, *end = p + len;

	if (prev)
		p = (const unsigned char *)prev + NLA_ALIGN(prev->nla_len);
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *nla = (const void *)p;

		if (nla->nla_len < NLA_HDRLEN || p + nla->nla_len > end)
			break;
		if (type < 0 || (nla->nla_type & NLA_TYPE_MASK) == type)
			return nla;
		p += NLA_ALIGN(nla->nla_len);
	}
	return NULL;
}

#define NLA_PAYLOAD(nla)	((const void *)((const char *)(nla) + NLA_HDRLEN))
#define NLA_PAYLOAD_LEN(nla)	((size_t)(nla)->nla_len - NLA_HDRLEN)

static size_t put_attr(unsigned char *buf, unsigned short type,
		       const void *data, unsigned short len)
{
	struct nlattr *nla = (struct nlattr *)buf;

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy(buf + NLA_HDRLEN, data, len);
	memset(buf + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(nla->nla_len);
}

TEST_F(nl, family_has_events_group)
{
	EXPECT_STREQ(SPLITVISOR_MCGRP_EVENTS, self->mcgrp);
}

TEST_F(nl, get_status_reports_module_and_hardware)
{
	const void *p, *hw, *a, *fp;
	size_t len, hwlen, alen, flen;
	char *version;
	int features = 0;
	bool vmx = false, ept = false, ug = false;

	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_GET_STATUS, NULL, 0, 0,
				   &self->r));
	ASSERT_EQ(0, self->r.error) TH_LOG("%s", self->r.extack);
	ASSERT_LT(0, self->r.len);
	p = payload(&self->r, &len);

	a = sv_nla_find(p, len, SPLITVISOR_A_MODULE_VERSION, NULL);
	ASSERT_NE(NULL, a);
	version = sv_read_file("/sys/module/splitvisor/version");
	ASSERT_NE(NULL, version);
	version[strcspn(version, "\n")] = '\0';
	EXPECT_STREQ(version, (const char *)a);
	free(version);

	a = sv_nla_find(p, len, SPLITVISOR_A_API_VERSION, NULL);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(SPLITVISOR_API_VERSION, *(const __u32 *)a);
	/* Loading the module switches the hypervisor on. */
	a = sv_nla_find(p, len, SPLITVISOR_A_HV_STATE, NULL);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(SPLITVISOR_HV_STATE_ON, *(const __u32 *)a);

	hw = sv_nla_find(p, len, SPLITVISOR_A_HW, &hwlen);
	ASSERT_NE(NULL, hw);
	a = sv_nla_find(hw, hwlen, SPLITVISOR_A_HW_VENDOR, NULL);
	ASSERT_NE(NULL, a);
	EXPECT_STREQ("GenuineIntel", (const char *)a);
	a = sv_nla_find(hw, hwlen, SPLITVISOR_A_HW_CPUS_CHECKED, NULL);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), *(const __u32 *)a);
	a = sv_nla_find(hw, hwlen, SPLITVISOR_A_HW_CAPABLE, NULL);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1, *(const __u8 *)a);
	/* Linux locks IA32_FEATURE_CONTROL with VMX enabled at boot */
	a = sv_nla_find(hw, hwlen, SPLITVISOR_A_HW_FEATURE_CONTROL, NULL);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(SPLITVISOR_FEATURE_CONTROL_LOCKED |
		  SPLITVISOR_FEATURE_CONTROL_VMX_OUTSIDE_SMX,
		  *(const __u64 *)a & (SPLITVISOR_FEATURE_CONTROL_LOCKED |
		  SPLITVISOR_FEATURE_CONTROL_VMX_OUTSIDE_SMX));

	/* Walk every feature nest */
	for (const unsigned char *q = hw; q < (const unsigned char *)hw + hwlen;) {
		const struct nlattr *nla = (const void *)q;
		const void *id, *st, *name;

		if (nla->nla_len < NLA_HDRLEN)
			break;
		if ((nla->nla_type & NLA_TYPE_MASK) == SPLITVISOR_A_HW_FEATURE) {
			fp = q + NLA_HDRLEN;
			flen = nla->nla_len - NLA_HDRLEN;
			id = sv_nla_find(fp, flen, SPLITVISOR_A_FEATURE_ID, NULL);
			st = sv_nla_find(fp, flen, SPLITVISOR_A_FEATURE_STATE, NULL);
			name = sv_nla_find(fp, flen, SPLITVISOR_A_FEATURE_NAME,
					   &alen);
			ASSERT_NE(NULL, id);
			ASSERT_NE(NULL, st);
			ASSERT_NE(NULL, name);
			EXPECT_EQ(features, *(const __u32 *)id);
			TH_LOG("%-20s state %u", (const char *)name,
			       *(const __u32 *)st);
			if (*(const __u32 *)st == SPLITVISOR_FEATURE_STATE_PRESENT) {
				vmx |= !strcmp(name, "vmx");
				ept |= !strcmp(name, "ept");
				ug |= !strcmp(name, "unrestricted-guest");
			}
			features++;
		}
		q += NLA_ALIGN(nla->nla_len);
	}
	EXPECT_EQ(__SPLITVISOR_FEATURE_MAX, features);
	EXPECT_TRUE(vmx);
	EXPECT_TRUE(ept);
	EXPECT_TRUE(ug);
}

/* The hypervisor's state by GET_STATUS, or -errno. */
static int hv_state(int fd, int family)
{
	struct sv_nl_reply *r = malloc(sizeof(*r));
	const void *p, *state;
	size_t len;
	int ret;

	if (!r)
		return -ENOMEM;
	ret = sv_nl_request(fd, family, SPLITVISOR_CMD_GET_STATUS, NULL, 0, 0,
			    r);
	if (!ret)
		ret = r->error;
	if (!ret) {
		p = payload(r, &len);
		state = sv_nla_find(p, len, SPLITVISOR_A_HV_STATE, NULL);
		ret = state ? (int)*(const __u32 *)state : -EBADMSG;
	}
	free(r);
	return ret;
}

TEST_F(nl, get_status_reports_counters)
{
	const void *p, *state, *cpus, *exits;
	size_t len, exits_len;

	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_GET_STATUS, NULL, 0, 0,
				   &self->r));
	ASSERT_EQ(0, self->r.error) TH_LOG("%s", self->r.extack);
	p = payload(&self->r, &len);
	state = sv_nla_find(p, len, SPLITVISOR_A_HV_STATE, NULL);
	cpus = sv_nla_find(p, len, SPLITVISOR_A_CPUS_VIRTUALIZED, NULL);
	exits = sv_nla_find(p, len, SPLITVISOR_A_EXITS_TOTAL, &exits_len);
	ASSERT_NE(NULL, state);
	ASSERT_NE(NULL, cpus);
	ASSERT_NE(NULL, exits);
	EXPECT_EQ(sizeof(__u64), exits_len);
	/* Off: none; on: every online CPU */
	EXPECT_EQ(*(const __u32 *)state == SPLITVISOR_HV_STATE_OFF ? 0 :
		  sysconf(_SC_NPROCESSORS_ONLN), *(const __u32 *)cpus);
}

TEST_F(nl, get_stats_reports_every_online_cpu)
{
	const struct nlattr *cpu = NULL, *exit;
	const void *p, *a;
	size_t len, clen;
	__u64 exits, sum = 0;
	__u32 virtualized = 0;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int seen = 0;

	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_GET_STATS, NULL, 0, 0,
				   &self->r));
	ASSERT_EQ(0, self->r.error) TH_LOG("%s", self->r.extack);
	p = payload(&self->r, &len);
	ASSERT_NE(NULL, sv_nla_find(p, len, SPLITVISOR_A_HV_STATE, NULL));
	a = sv_nla_find(p, len, SPLITVISOR_A_EXITS_TOTAL, NULL);
	ASSERT_NE(NULL, a);
	exits = *(const __u64 *)a;
	a = sv_nla_find(p, len, SPLITVISOR_A_CPUS_VIRTUALIZED, NULL);
	ASSERT_NE(NULL, a);

	while ((cpu = next_attr(p, len, cpu, SPLITVISOR_A_CPU))) {
		const void *c = NLA_PAYLOAD(cpu), *nr, *virt, *total;
		__u64 by_reason = 0;

		clen = NLA_PAYLOAD_LEN(cpu);
		nr = sv_nla_find(c, clen, SPLITVISOR_A_CPU_CPU, NULL);
		virt = sv_nla_find(c, clen, SPLITVISOR_A_CPU_VIRTUALIZED, NULL);
		total = sv_nla_find(c, clen, SPLITVISOR_A_CPU_EXITS_TOTAL, NULL);
		ASSERT_NE(NULL, nr);
		ASSERT_NE(NULL, virt);
		ASSERT_NE(NULL, total);
		ASSERT_NE(NULL, sv_nla_find(c, clen,
					    SPLITVISOR_A_CPU_HIDDEN_ACCESSES,
					    NULL));
		ASSERT_NE(NULL, sv_nla_find(c, clen,
					    SPLITVISOR_A_CPU_UNMAPPED_ACCESSES,
					    NULL));
		/* CPUs in order, online ones first on the test host */
		EXPECT_EQ(seen, *(const __u32 *)nr);
		virtualized += *(const __u8 *)virt;
		sum += *(const __u64 *)total;

		/* Only non-zero counters are sent, each named. */
		exit = NULL;
		while ((exit = next_attr(c, clen, exit, SPLITVISOR_A_CPU_EXIT))) {
			const void *e = NLA_PAYLOAD(exit), *count, *name;
			size_t elen = NLA_PAYLOAD_LEN(exit);

			ASSERT_NE(NULL, sv_nla_find(e, elen,
						    SPLITVISOR_A_EXIT_REASON,
						    NULL));
			count = sv_nla_find(e, elen, SPLITVISOR_A_EXIT_COUNT,
					    NULL);
			name = sv_nla_find(e, elen, SPLITVISOR_A_EXIT_NAME,
					   NULL);
			ASSERT_NE(NULL, count);
			ASSERT_NE(NULL, name);
			EXPECT_NE(0, *(const __u64 *)count);
			EXPECT_NE(0, *(const char *)name);
			by_reason += *(const __u64 *)count;
		}
		EXPECT_EQ(*(const __u64 *)total, by_reason);
		seen++;
	}
	EXPECT_LE(online, seen);
	/* One sample: the totals agree with the CPUs */
	EXPECT_EQ(exits, sum);
	EXPECT_EQ(*(const __u32 *)a, virtualized);
}

/* Id of the family's "events" group, from the controller. */
static int events_group(int fd)
{
	unsigned char attr[NLA_HDRLEN + 16];
	struct sv_nl_reply *r = malloc(sizeof(*r));
	const struct nlattr *grp = NULL;
	const void *p, *grps;
	size_t len, glen;
	int id = -ENOENT;

	if (!r)
		return -ENOMEM;
	memset(attr, 0, sizeof(attr));
	if (sv_nl_request(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attr,
			  put_attr(attr, CTRL_ATTR_FAMILY_NAME,
				   SPLITVISOR_FAMILY_NAME,
				   sizeof(SPLITVISOR_FAMILY_NAME)),
			  0, r) || r->error)
		goto out;
	p = payload(r, &len);
	grps = sv_nla_find(p, len, CTRL_ATTR_MCAST_GROUPS, &glen);
	/* The list's entries are numbered 1, 2, ...: any type will do. */
	while (grps && (grp = next_attr(grps, glen, grp, -1))) {
		const void *name, *gid;

		name = sv_nla_find(NLA_PAYLOAD(grp), NLA_PAYLOAD_LEN(grp),
				   CTRL_ATTR_MCAST_GRP_NAME, NULL);
		gid = sv_nla_find(NLA_PAYLOAD(grp), NLA_PAYLOAD_LEN(grp),
				  CTRL_ATTR_MCAST_GRP_ID, NULL);
		if (name && gid && !strcmp(name, SPLITVISOR_MCGRP_EVENTS))
			id = *(const __u32 *)gid;
	}
out:
	free(r);
	return id;
}

/*
 * The next HV_STATE_EVENT on FD: 0 with STATE and CPUS filled, or -errno.
 * The event is queued before the command that caused it is answered, so
 * the timeout runs only when it is missing (and idle guest seconds are
 * slow in the test host: keep it short).
 */
static int next_event(int fd, __u32 *state, __u32 *cpus)
{
	unsigned char buf[4096];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *nlh;
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, 3000) != 1)
			return -ETIMEDOUT;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nlh = (void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			struct genlmsghdr *g = NLMSG_DATA(nlh);
			const void *attrs = (char *)g + GENL_HDRLEN;
			size_t len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			const void *s, *c;

			if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) ||
			    g->cmd != SPLITVISOR_CMD_HV_STATE_EVENT)
				continue;
			s = sv_nla_find(attrs, len, SPLITVISOR_A_HV_STATE, NULL);
			c = sv_nla_find(attrs, len,
					SPLITVISOR_A_CPUS_VIRTUALIZED, NULL);
			if (!s || !c)
				return -EBADMSG;
			*state = *(const __u32 *)s;
			*cpus = *(const __u32 *)c;
			return 0;
		}
	}
}

TEST_F(nl, state_changes_are_announced_to_the_events_group)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	__u32 state = ~0U, cpus = ~0U;
	int group, listener;

	/* On before listening, whatever tests before left. */
	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_ENABLE, NULL, 0, 0,
				   &self->r));
	if (self->r.error)
		SKIP(return, "the hypervisor does not switch on here: %s (%d)",
		     self->r.extack, self->r.error);

	group = events_group(self->fd);
	ASSERT_LT(0, group) TH_LOG("events group: %d", group);
	listener = sv_nl_open();
	ASSERT_LE(0, listener);
	/*
	 * Bound to a port of its own: port 0 is the kernel's, the sender of
	 * the notification, which a broadcast skips.
	 */
	ASSERT_EQ(0, bind(listener, (struct sockaddr *)&local, sizeof(local)));
	ASSERT_EQ(0, setsockopt(listener, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&group, sizeof(group)));

	/* Off, then on again: each change is announced once. */
	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_DISABLE, NULL, 0, 0,
				   &self->r));
	ASSERT_EQ(0, self->r.error) TH_LOG("disable: %s", self->r.extack);
	EXPECT_EQ(0, next_event(listener, &state, &cpus));
	EXPECT_EQ(SPLITVISOR_HV_STATE_OFF, state);
	EXPECT_EQ(0, cpus);

	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_ENABLE, NULL, 0, 0,
				   &self->r));
	ASSERT_EQ(0, self->r.error) TH_LOG("enable: %s", self->r.extack);
	EXPECT_EQ(0, next_event(listener, &state, &cpus));
	EXPECT_EQ(SPLITVISOR_HV_STATE_ON, state);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), cpus);
	close(listener);
}

/*
 * Send CMD carrying RAW (and RESERVED in the genl header); the kernel must
 * refuse it with EINVAL and an extack message containing WANT.
 */
static void expect_cmd_rejected(struct __test_metadata *_metadata, int fd,
				int family, unsigned char cmd,
				struct sv_nl_reply *r, const void *raw,
				size_t len, unsigned short reserved,
				const char *want)
{
	ASSERT_EQ(0, sv_nl_request(fd, family, cmd, raw, len, reserved, r));
	EXPECT_EQ(-EINVAL, r->error) TH_LOG("command %u", cmd);
	EXPECT_NE(NULL, strstr(r->extack, want))
		TH_LOG("command %u: extack: '%s', wanted '%s'", cmd,
		       r->extack, want);
	TH_LOG("command %u: extack: %s", cmd, r->extack);
}

static void expect_rejected(struct __test_metadata *_metadata, int fd,
			    int family, struct sv_nl_reply *r,
			    const void *raw, size_t len,
			    unsigned short reserved, const char *want)
{
	expect_cmd_rejected(_metadata, fd, family, SPLITVISOR_CMD_GET_STATUS,
			    r, raw, len, reserved, want);
}

/* The commands after GET_STATUS take no attributes either. */
static const unsigned char attributeless_cmds[] = {
	SPLITVISOR_CMD_ENABLE,
	SPLITVISOR_CMD_DISABLE,
	SPLITVISOR_CMD_GET_STATS,
};

TEST_F(nl, attributes_on_new_commands_rejected_with_extack)
{
	unsigned char buf[16];
	__u32 v = SPLITVISOR_HV_STATE_ON;
	int before = hv_state(self->fd, self->family);
	size_t i, n;

	ASSERT_LE(0, before);
	for (i = 0; i < sizeof(attributeless_cmds); i++) {
		unsigned char cmd = attributeless_cmds[i];

		n = put_attr(buf, 200, &v, sizeof(v));
		expect_cmd_rejected(_metadata, self->fd, self->family, cmd,
				    &self->r, buf, n, 0, "nknown attribute");
		n = put_attr(buf, SPLITVISOR_A_HV_STATE, &v, sizeof(v));
		expect_cmd_rejected(_metadata, self->fd, self->family, cmd,
				    &self->r, buf, n, 0,
				    "nsupported attribute");
		n = put_attr(buf, SPLITVISOR_A_CPU, &v, sizeof(v));
		expect_cmd_rejected(_metadata, self->fd, self->family, cmd,
				    &self->r, buf, n, 0,
				    "nsupported attribute");
		expect_cmd_rejected(_metadata, self->fd, self->family, cmd,
				    &self->r, NULL, 0, 1, "reserved");
	}
	/* None of them got through: the state is what it was. */
	EXPECT_EQ(before, hv_state(self->fd, self->family));
}

TEST_F(nl, notification_is_not_a_request)
{
	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_HV_STATE_EVENT, NULL, 0, 0,
				   &self->r));
	EXPECT_EQ(-EOPNOTSUPP, self->r.error);
}

TEST_F(nl, unknown_attribute_rejected_with_extack)
{
	unsigned char buf[16];
	__u32 v = 1;

	expect_rejected(_metadata, self->fd, self->family, &self->r,
			buf, put_attr(buf, 200, &v, sizeof(v)),
			0, "nknown attribute");
}

TEST_F(nl, reply_only_attribute_rejected_with_extack)
{
	unsigned char buf[16];
	__u32 v = SPLITVISOR_HV_STATE_ON;
	size_t n = put_attr(buf, SPLITVISOR_A_HV_STATE, &v, sizeof(v));

	expect_rejected(_metadata, self->fd, self->family, &self->r,
			buf, n, 0, "nsupported attribute");
}

TEST_F(nl, truncated_attribute_rejected_with_extack)
{
	unsigned char buf[16];
	__u32 v = 1;
	size_t n = put_attr(buf, SPLITVISOR_A_API_VERSION, &v, sizeof(v));

	/* nla_len claims more bytes than the message holds */
	((struct nlattr *)buf)->nla_len = 64;
	expect_rejected(_metadata, self->fd, self->family, &self->r,
			buf, n, 0, "leftover");
}

TEST_F(nl, trailing_garbage_rejected_with_extack)
{
	unsigned char buf[3] = { 0xff, 0xff, 0xff };

	expect_rejected(_metadata, self->fd, self->family, &self->r,
			buf, sizeof(buf), 0, "leftover");
}

TEST_F(nl, reserved_header_field_rejected_with_extack)
{
	expect_rejected(_metadata, self->fd, self->family, &self->r,
			NULL, 0, 1, "reserved");
}

TEST_F(nl, unknown_command_rejected)
{
	ASSERT_EQ(0, sv_nl_request(self->fd, self->family,
				   SPLITVISOR_CMD_MAX + 1, NULL, 0, 0,
				   &self->r));
	EXPECT_EQ(-EOPNOTSUPP, self->r.error);
}

TEST_F(nl, unprivileged_caller_gets_eperm)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd, family;

		if (setgid(SV_NOBODY_UID) || setuid(SV_NOBODY_UID))
			_exit(2);
		/* Resolving the family is open to anyone; using it is not. */
		fd = sv_nl_open();
		family = sv_nl_family_id(fd, SPLITVISOR_FAMILY_NAME, NULL, 0);
		if (fd < 0 || family != self->family)
			_exit(5);
		if (sv_nl_request(fd, family,
				  SPLITVISOR_CMD_GET_STATUS, NULL, 0, 0,
				  &self->r))
			_exit(3);
		if (self->r.error != -EPERM)
			_exit(4);
		for (size_t i = 0; i < sizeof(attributeless_cmds); i++) {
			if (sv_nl_request(fd, family, attributeless_cmds[i],
					  NULL, 0, 0, &self->r))
				_exit(3);
			if (self->r.error != -EPERM)
				_exit(10 + i);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
