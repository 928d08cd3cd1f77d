/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Extended ACK parsing: the message and offset the kernel attaches to a
 * netlink error. Pure byte-buffer code, independent of libnl.
 */
#ifndef VMCTL_EXTACK_H
#define VMCTL_EXTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXTACK_MSG_LEN	256

struct extack {
	int error;			/* positive errno; 0 for an ACK */
	bool has_msg;
	char msg[EXTACK_MSG_LEN];	/* NLMSGERR_ATTR_MSG */
	bool has_offset;
	uint32_t offset;		/* NLMSGERR_ATTR_OFFS */
	bool has_missing_type;
	uint32_t missing_type;		/* NLMSGERR_ATTR_MISS_TYPE */
};

/*
 * Parse a whole NLMSG_ERROR message (struct nlmsghdr first) of @len bytes.
 * Never reads past @len. Returns 0, or -EINVAL when @buf is not a complete
 * error message; malformed or truncated TLVs are skipped, not fatal.
 */
int extack_parse(const void *buf, size_t len, struct extack *ext);

#endif /* VMCTL_EXTACK_H */
