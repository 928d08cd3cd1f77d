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
void sv_cmd_free(struct sv_cmd *c);
/* Has vmctl hw-check's text a line "STATE NEED NAME ..."? */
bool sv_hw_check_has(const char *out, const char *state, const char *name);

/* GET_STATUS: the "hw" nest of a reply, and one feature's state by name. */
const void *sv_status_hw(const struct sv_nl_reply *r, size_t *len);
int sv_feature_state(const void *hw, size_t len, const char *name);

/* Whole contents of a file into a malloc'd string, or NULL. */
char *sv_read_file(const char *path);

#endif /* SV_UTIL_H */
