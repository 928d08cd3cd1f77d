// SPDX-License-Identifier: GPL-2.0
/*
 * The "splitvisor" generic netlink family: GET_STATUS answers with the
 * module and hardware state; bad requests are refused with an errno and an
 * extack message; callers without CAP_NET_ADMIN get EPERM.
 */
#include <errno.h>
#include <string.h>
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
	a = sv_nla_find(p, len, SPLITVISOR_A_HV_STATE, NULL);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(SPLITVISOR_HV_STATE_OFF, *(const __u32 *)a);

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
			if (*(const __u32 *)st == SPLITVISOR_FEATURE_PRESENT) {
				vmx |= !strcmp(name, "vmx");
				ept |= !strcmp(name, "ept");
				ug |= !strcmp(name, "unrestricted-guest");
			}
			features++;
		}
		q += NLA_ALIGN(nla->nla_len);
	}
	EXPECT_EQ(__SPLITVISOR_FEAT_COUNT, features);
	EXPECT_TRUE(vmx);
	EXPECT_TRUE(ept);
	EXPECT_TRUE(ug);
}

/*
 * Send GET_STATUS carrying RAW (and RESERVED in the genl header); the
 * kernel must refuse it with EINVAL and an extack message containing WANT.
 */
static void expect_rejected(struct __test_metadata *_metadata, int fd,
			    int family, struct sv_nl_reply *r,
			    const void *raw, size_t len,
			    unsigned short reserved, const char *want)
{
	ASSERT_EQ(0, sv_nl_request(fd, family, SPLITVISOR_CMD_GET_STATUS,
				   raw, len, reserved, r));
	EXPECT_EQ(-EINVAL, r->error);
	EXPECT_NE(NULL, strstr(r->extack, want))
		TH_LOG("extack: '%s', wanted '%s'", r->extack, want);
	TH_LOG("extack: %s", r->extack);
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
		_exit(self->r.error == -EPERM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
