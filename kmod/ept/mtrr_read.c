// SPDX-License-Identifier: GPL-2.0
/*
 * The MTRRs and the SMRR of the current CPU, read for sv_mtrr_type().
 * Firmware programs every CPU alike (SDM vol. 3, "MTRR Considerations in
 * MP Systems"), so one CPU's registers describe the machine.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/processor.h>

#include "../compat.h"
#include "mtrr.h"

/*
 * SDM names and numbers: <asm/msr-index.h> has no SMRR and spells the
 * others in CamelCase, which checkpatch rejects.
 */
#define SV_MSR_MTRRCAP			0x000000fe
#define SV_MSR_SMRR_PHYSBASE		0x000001f2
#define SV_MSR_SMRR_PHYSMASK		0x000001f3
#define SV_MSR_MTRR_PHYSBASE(n)		(0x00000200 + 2 * (n))
#define SV_MSR_MTRR_PHYSMASK(n)		(0x00000201 + 2 * (n))
#define SV_MSR_MTRR_FIX64K_00000	0x00000250
#define SV_MSR_MTRR_FIX16K_80000	0x00000258
#define SV_MSR_MTRR_FIX16K_A0000	0x00000259
#define SV_MSR_MTRR_FIX4K_C0000		0x00000268	/* up to F8000: 0x26f */
#define SV_MSR_MTRR_DEF_TYPE		0x000002ff

#define SV_CPUID1_EDX_MTRR	BIT(12)
#define SV_MTRRCAP_VCNT		GENMASK_ULL(7, 0)
#define SV_MTRRCAP_FIX		BIT_ULL(8)
#define SV_MTRRCAP_SMRR		BIT_ULL(11)
#define SV_SMRR_MASK_VALID	BIT_ULL(11)

/* In the order of sv_mtrr_state.fixed[]. */
static const u32 sv_mtrr_fixed_msrs[] = {
	SV_MSR_MTRR_FIX64K_00000,
	SV_MSR_MTRR_FIX16K_80000,
	SV_MSR_MTRR_FIX16K_A0000,
	SV_MSR_MTRR_FIX4K_C0000 + 0,	/* C0000 */
	SV_MSR_MTRR_FIX4K_C0000 + 1,	/* C8000 */
	SV_MSR_MTRR_FIX4K_C0000 + 2,	/* D0000 */
	SV_MSR_MTRR_FIX4K_C0000 + 3,	/* D8000 */
	SV_MSR_MTRR_FIX4K_C0000 + 4,	/* E0000 */
	SV_MSR_MTRR_FIX4K_C0000 + 5,	/* E8000 */
	SV_MSR_MTRR_FIX4K_C0000 + 6,	/* F0000 */
	SV_MSR_MTRR_FIX4K_C0000 + 7,	/* F8000 */
};

static_assert(ARRAY_SIZE(sv_mtrr_fixed_msrs) ==
	      sizeof_field(struct sv_mtrr_state, fixed) / sizeof(u64));

int sv_mtrr_read(struct sv_mtrr_state *s)
{
	unsigned int i;
	u64 smrr_base, smrr_mask;

	memset(s, 0, sizeof(*s));
	/* Without the keyID bits of TME-MK, which MTRR masks leave out. */
	s->phys_bits = boot_cpu_data.x86_phys_bits;
	/* The CPU's own word: the MTRRs apply even if Linux ignores them. */
	s->present = cpuid_edx(1) & SV_CPUID1_EDX_MTRR;
	if (!s->present)
		return 0;

	if (sv_rdmsr_safe(SV_MSR_MTRRCAP, &s->cap) ||
	    sv_rdmsr_safe(SV_MSR_MTRR_DEF_TYPE, &s->def_type))
		return -EIO;

	if (s->cap & SV_MTRRCAP_FIX) {
		for (i = 0; i < ARRAY_SIZE(sv_mtrr_fixed_msrs); i++)
			if (sv_rdmsr_safe(sv_mtrr_fixed_msrs[i], &s->fixed[i]))
				return -EIO;
	}

	/* Leaving ranges out would give memory a type it does not have. */
	s->nr_var = s->cap & SV_MTRRCAP_VCNT;
	if (s->nr_var > SV_MTRR_NR_VAR_MAX)
		return -E2BIG;
	for (i = 0; i < s->nr_var; i++) {
		if (sv_rdmsr_safe(SV_MSR_MTRR_PHYSBASE(i), &s->var[i].base) ||
		    sv_rdmsr_safe(SV_MSR_MTRR_PHYSMASK(i), &s->var[i].mask))
			return -EIO;
	}

	/*
	 * Outside SMM the CPU makes SMRAM UC whatever its mapping says, so
	 * an SMRR that cannot be read (a hypervisor below) is left out.
	 */
	if ((s->cap & SV_MTRRCAP_SMRR) &&
	    !sv_rdmsr_safe(SV_MSR_SMRR_PHYSBASE, &smrr_base) &&
	    !sv_rdmsr_safe(SV_MSR_SMRR_PHYSMASK, &smrr_mask) &&
	    (smrr_mask & SV_SMRR_MASK_VALID)) {
		s->smrr_valid = true;
		s->smrr_base = smrr_base;
		s->smrr_mask = smrr_mask;
	}
	return 0;
}
