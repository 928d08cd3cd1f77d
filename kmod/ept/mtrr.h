/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory types the MTRRs give physical memory (SDM vol. 3, "Memory Type
 * Range Registers"). The EPT identity map of the root takes its memory
 * types from here, because EPT replaces the MTRRs for the root's accesses.
 * sv_mtrr_type() is pure logic, also built into a host unit test.
 */
#ifndef SPLITVISOR_EPT_MTRR_H
#define SPLITVISOR_EPT_MTRR_H

#include <linux/types.h>

/* Memory type encodings, the same in MTRRs, PAT and EPT entries. */
#define SV_MTRR_TYPE_UC		0
#define SV_MTRR_TYPE_WC		1
#define SV_MTRR_TYPE_WT		4
#define SV_MTRR_TYPE_WP		5
#define SV_MTRR_TYPE_WB		6

#define SV_MTRR_NR_VAR_MAX	32

/* Raw IA32_MTRR_PHYSBASEn and IA32_MTRR_PHYSMASKn. */
struct sv_mtrr_var {
	u64 base;
	u64 mask;
};

struct sv_mtrr_state {
	u64 cap;			/* IA32_MTRRCAP */
	u64 def_type;			/* IA32_MTRR_DEF_TYPE */
	/* FIX64K_00000, FIX16K_80000, FIX16K_A0000, FIX4K_C0000..F8000 */
	u64 fixed[11];
	unsigned int nr_var;		/* pairs in var[] */
	struct sv_mtrr_var var[SV_MTRR_NR_VAR_MAX];
	/* IA32_SMRR_PHYSBASE/PHYSMASK, if MTRRCAP.SMRR and the mask's V */
	bool smrr_valid;
	u64 smrr_base;
	u64 smrr_mask;
	unsigned int phys_bits;		/* MAXPHYADDR the masks are built on */
	bool present;			/* CPUID.1:EDX.MTRR */
};

/*
 * Memory type of [@start, @end): @end is exclusive, both page aligned.
 * With @uniform, *@uniform is false when the range holds more than one
 * type; the type returned is then the one of @start. A NULL @uniform
 * asks for the type of @start alone.
 */
u8 sv_mtrr_type(const struct sv_mtrr_state *s, u64 start, u64 end,
		bool *uniform);

/* Fill @s from the current CPU's MSRs; 0 or -errno. Kernel only. */
int sv_mtrr_read(struct sv_mtrr_state *s);

#endif /* SPLITVISOR_EPT_MTRR_H */
