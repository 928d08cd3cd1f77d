// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel appends TLVs to a struct nlmsgerr when the socket asked for
 * NETLINK_EXT_ACK. Their position depends on whether the request was
 * echoed in full or capped to its header, so it is computed here from the
 * headers alone, each length checked against the buffer before use.
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include "extack.h"

/*
 * NLMSGERR_ATTR_MISS_TYPE (Linux 6.0): the kernel names a missing required
 * attribute instead of writing a message. Numbered here so that older
 * uapi headers still build.
 */
#define EXTACK_ATTR_MISS_TYPE	5

static void extack_take_msg(struct extack *ext, const char *data, size_t len)
{
	size_t n = strnlen(data, len);

	/* The kernel NUL-terminates; an unterminated string is cut at len. */
	if (n >= sizeof(ext->msg))
		n = sizeof(ext->msg) - 1;
	memcpy(ext->msg, data, n);
	ext->msg[n] = '\0';
	ext->has_msg = true;
}

static void extack_parse_tlvs(const unsigned char *p, size_t len,
			      struct extack *ext)
{
	struct nlattr attr;
	size_t payload, step;

	while (len >= NLA_HDRLEN) {
		memcpy(&attr, p, sizeof(attr));
		if (attr.nla_len < NLA_HDRLEN || attr.nla_len > len)
			return;	/* truncated: stop before reading past it */
		payload = attr.nla_len - NLA_HDRLEN;

		switch (attr.nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (payload)
				extack_take_msg(ext,
						(const char *)p + NLA_HDRLEN,
						payload);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (payload >= sizeof(uint32_t)) {
				memcpy(&ext->offset, p + NLA_HDRLEN,
				       sizeof(uint32_t));
				ext->has_offset = true;
			}
			break;
		case EXTACK_ATTR_MISS_TYPE:
			if (payload >= sizeof(uint32_t)) {
				memcpy(&ext->missing_type, p + NLA_HDRLEN,
				       sizeof(uint32_t));
				ext->has_missing_type = true;
			}
			break;
		}

		step = NLA_ALIGN((size_t)attr.nla_len);
		if (step >= len)
			return;
		p += step;
		len -= step;
	}
}

int extack_parse(const void *buf, size_t len, struct extack *ext)
{
	const unsigned char *p = buf;
	struct nlmsghdr hdr;
	struct nlmsgerr err;
	size_t tlv_start, echoed;

	memset(ext, 0, sizeof(*ext));
	if (!buf || len < NLMSG_HDRLEN + sizeof(err))
		return -EINVAL;
	memcpy(&hdr, p, sizeof(hdr));
	if (hdr.nlmsg_type != NLMSG_ERROR ||
	    hdr.nlmsg_len < NLMSG_HDRLEN + sizeof(err))
		return -EINVAL;
	/* Trust the smaller of what we got and what the header claims. */
	if (hdr.nlmsg_len < len)
		len = hdr.nlmsg_len;

	memcpy(&err, p + NLMSG_HDRLEN, sizeof(err));
	ext->error = err.error < 0 ? -err.error : err.error;

	if (!(hdr.nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;

	tlv_start = NLMSG_HDRLEN + sizeof(err);
	if (!(hdr.nlmsg_flags & NLM_F_CAPPED) &&
	    err.msg.nlmsg_len > sizeof(struct nlmsghdr)) {
		/* the request's payload follows the echoed header */
		echoed = NLMSG_ALIGN(err.msg.nlmsg_len -
				     sizeof(struct nlmsghdr));
		if (echoed >= len - tlv_start)
			return 0;
		tlv_start += echoed;
	}
	if (tlv_start < len)
		extack_parse_tlvs(p + tlv_start, len - tlv_start, ext);
	return 0;
}
