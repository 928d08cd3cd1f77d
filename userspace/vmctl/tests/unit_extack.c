// SPDX-License-Identifier: GPL-2.0
/*
 * Extended ACK parsing over crafted NLMSG_ERROR messages: with and without
 * TLVs, capped and uncapped, and cut short anywhere.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#include "kselftest_harness.h"

#include "extack.h"

#define MSG_TEXT	"splitvisor: unexpected attribute"

struct builder {
	unsigned char buf[512];
	size_t len;
};

/* Header and nlmsgerr; echoes a request with @payload bytes if uncapped. */
static void begin(struct builder *b, int error, uint16_t flags,
		  uint32_t payload)
{
	struct nlmsghdr hdr = {
		.nlmsg_type = NLMSG_ERROR,
		.nlmsg_flags = flags,
	};
	struct nlmsgerr err = {
		.error = -error,
		.msg = {
			.nlmsg_len = NLMSG_HDRLEN + payload,
			.nlmsg_type = 0x20,
		},
	};

	memset(b, 0, sizeof(*b));
	b->len = NLMSG_HDRLEN;
	memcpy(b->buf + b->len, &err, sizeof(err));
	b->len += sizeof(err);
	if (!(flags & NLM_F_CAPPED)) {
		memset(b->buf + b->len, 0xee, payload);
		b->len += NLMSG_ALIGN(payload);
	}
	memcpy(b->buf, &hdr, sizeof(hdr));
}

static void put_attr(struct builder *b, uint16_t type, const void *data,
		     uint16_t len)
{
	struct nlattr attr = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	memcpy(b->buf + b->len, &attr, sizeof(attr));
	memcpy(b->buf + b->len + NLA_HDRLEN, data, len);
	b->len += NLA_ALIGN(attr.nla_len);
}

/* Stamp the total length into the header. */
static void end(struct builder *b)
{
	struct nlmsghdr *hdr = (struct nlmsghdr *)b->buf;

	hdr->nlmsg_len = b->len;
}

static void build_full(struct builder *b, uint16_t flags)
{
	uint32_t offs = 20;

	begin(b, EINVAL, NLM_F_ACK_TLVS | flags, 8);
	put_attr(b, NLMSGERR_ATTR_MSG, MSG_TEXT, sizeof(MSG_TEXT));
	put_attr(b, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
	end(b);
}

TEST(message_and_offset_capped)
{
	struct builder b;
	struct extack ext;

	build_full(&b, NLM_F_CAPPED);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_EQ(EINVAL, ext.error);
	ASSERT_TRUE(ext.has_msg);
	ASSERT_STREQ(MSG_TEXT, ext.msg);
	ASSERT_TRUE(ext.has_offset);
	ASSERT_EQ(20U, ext.offset);
}

TEST(message_after_echoed_request)
{
	struct builder b;
	struct extack ext;

	/* uncapped: the 8 bytes of request payload precede the TLVs */
	build_full(&b, 0);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_EQ(EINVAL, ext.error);
	ASSERT_STREQ(MSG_TEXT, ext.msg);
	ASSERT_EQ(20U, ext.offset);
}

TEST(echoed_request_of_odd_length_is_aligned)
{
	struct builder b;
	struct extack ext;

	begin(&b, EPERM, NLM_F_ACK_TLVS, 5);
	put_attr(&b, NLMSGERR_ATTR_MSG, "odd", 4);
	end(&b);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_EQ(EPERM, ext.error);
	ASSERT_STREQ("odd", ext.msg);
}

TEST(no_tlvs_without_ack_tlvs_flag)
{
	struct builder b;
	struct extack ext;

	begin(&b, ENOENT, NLM_F_CAPPED, 0);
	end(&b);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_EQ(ENOENT, ext.error);
	ASSERT_FALSE(ext.has_msg);
	ASSERT_FALSE(ext.has_offset);
	ASSERT_STREQ("", ext.msg);
}

TEST(tlvs_flag_but_only_offset)
{
	struct builder b;
	struct extack ext;
	uint32_t offs = 4;

	begin(&b, EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, 0);
	put_attr(&b, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
	end(&b);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_FALSE(ext.has_msg);
	ASSERT_TRUE(ext.has_offset);
	ASSERT_EQ(4U, ext.offset);
}

TEST(missing_attribute_type)
{
	struct builder b;
	struct extack ext;
	uint32_t type = 1;

	/* as Linux 6.x sends for a missing required attribute */
	begin(&b, EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, 0);
	put_attr(&b, 5 /* NLMSGERR_ATTR_MISS_TYPE */, &type, sizeof(type));
	end(&b);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_FALSE(ext.has_msg);
	ASSERT_TRUE(ext.has_missing_type);
	ASSERT_EQ(1U, ext.missing_type);
}

TEST(ack_is_error_zero)
{
	struct builder b;
	struct extack ext;

	begin(&b, 0, NLM_F_CAPPED, 0);
	end(&b);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_EQ(0, ext.error);
}

TEST(not_an_error_message_is_rejected)
{
	struct builder b;
	struct extack ext;

	build_full(&b, NLM_F_CAPPED);
	((struct nlmsghdr *)b.buf)->nlmsg_type = NLMSG_DONE;
	ASSERT_EQ(-EINVAL, extack_parse(b.buf, b.len, &ext));
	ASSERT_EQ(-EINVAL, extack_parse(NULL, 100, &ext));
}

TEST(header_shorter_than_nlmsgerr_is_rejected)
{
	struct builder b;
	struct extack ext;

	build_full(&b, NLM_F_CAPPED);
	((struct nlmsghdr *)b.buf)->nlmsg_len = NLMSG_HDRLEN + 4;
	ASSERT_EQ(-EINVAL, extack_parse(b.buf, b.len, &ext));
}

/*
 * Every prefix of a valid message, copied into an exactly sized heap
 * buffer so that a read past the end would be caught by tools such as
 * ASan or valgrind; the parse must also never report a cut message.
 */
TEST(every_truncation_is_safe)
{
	size_t cut, full_len, i;
	struct builder b;
	struct extack ext;
	uint16_t flags[] = { NLM_F_CAPPED, 0 };

	for (i = 0; i < 2; i++) {
		build_full(&b, flags[i]);
		full_len = b.len;
		for (cut = 0; cut <= full_len; cut++) {
			unsigned char *copy = malloc(cut ? cut : 1);
			int ret;

			memcpy(copy, b.buf, cut);
			ret = extack_parse(copy, cut, &ext);
			if (cut < NLMSG_HDRLEN + sizeof(struct nlmsgerr)) {
				ASSERT_EQ(-EINVAL, ret);
			} else {
				ASSERT_EQ(0, ret);
				ASSERT_EQ(EINVAL, ext.error);
			}
			/* The message is only seen once fully received. */
			if (ext.has_msg)
				ASSERT_STREQ(MSG_TEXT, ext.msg);
			free(copy);
		}
		ASSERT_TRUE(ext.has_msg);
	}
}

TEST(header_claiming_more_than_buffer)
{
	struct builder b;
	struct extack ext;
	size_t short_len;

	build_full(&b, NLM_F_CAPPED);
	/* keep the header's full length but hand over only part */
	short_len = NLMSG_HDRLEN + sizeof(struct nlmsgerr) + 6;
	ASSERT_EQ(0, extack_parse(b.buf, short_len, &ext));
	ASSERT_FALSE(ext.has_msg);
}

TEST(attribute_longer_than_message)
{
	struct builder b;
	struct extack ext;
	struct nlattr *attr;

	build_full(&b, NLM_F_CAPPED);
	attr = (struct nlattr *)(b.buf + NLMSG_HDRLEN +
				 sizeof(struct nlmsgerr));
	attr->nla_len = 400;
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_FALSE(ext.has_msg);
	/* a zero length must not loop forever either */
	attr->nla_len = 0;
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_FALSE(ext.has_msg);
}

TEST(unterminated_message_is_cut_at_attribute_end)
{
	struct builder b;
	struct extack ext;

	begin(&b, EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, 0);
	put_attr(&b, NLMSGERR_ATTR_MSG, "abcd", 4);	/* no NUL */
	end(&b);
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_STREQ("abcd", ext.msg);
}

TEST(echoed_request_longer_than_message)
{
	struct builder b;
	struct extack ext;
	struct nlmsgerr *err;

	build_full(&b, 0);
	err = (struct nlmsgerr *)(b.buf + NLMSG_HDRLEN);
	err->msg.nlmsg_len = 0xfffffff0;
	ASSERT_EQ(0, extack_parse(b.buf, b.len, &ext));
	ASSERT_EQ(EINVAL, ext.error);
	ASSERT_FALSE(ext.has_msg);
}

TEST_HARNESS_MAIN
