/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Words for the hardware check: what each feature means to a user, why a
 * missing one matters, and the CPU signature in the usual notation.
 */
#ifndef VMCTL_HWCHECK_TEXT_H
#define VMCTL_HWCHECK_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct cpu_signature {
	unsigned int family;
	unsigned int model;
	unsigned int stepping;
};

/* CPUID.1:EAX to display family/model/stepping (extended fields folded in). */
void cpu_signature_decode(uint32_t eax, struct cpu_signature *sig);

/* "ok", "MISSING" or "unknown": the column of `vmctl hw-check`. */
const char *feature_state_word(uint32_t state);
/* "present", "absent" or "unknown": the JSON spelling. */
const char *feature_state_name(uint32_t state);
/* "required" or "optional". */
const char *feature_need_name(uint32_t need);

/* Name this vmctl knows for a feature ID, or NULL for a newer one. */
const char *feature_known_name(uint32_t id);

/* Required and not present: splitvisor cannot run. */
int feature_blocks_hypervisor(const struct hw_feature *feat);
unsigned int hw_missing_required_count(const struct hw_report *hw);
const struct hw_feature *hw_first_missing_required(const struct hw_report *hw);

/*
 * One sentence about @feat as found on the machine described by @hw,
 * NUL-terminated in @buf (truncated to @len). Returns @buf.
 */
char *feature_sentence(const struct hw_report *hw,
		       const struct hw_feature *feat, char *buf, size_t len);

/* Why VMX is not usable, from the raw IA32_FEATURE_CONTROL value. */
const char *feature_control_sentence(uint64_t feature_control);

#endif /* VMCTL_HWCHECK_TEXT_H */
