// SPDX-License-Identifier: GPL-2.0
/*
 * Memory type of a physical range by the MTRR precedence rules of the SDM
 * (vol. 3, "MTRR Precedences"), plus the SMRR.
 *
 * A range is walked from boundary to boundary: the type at an address
 * comes with the next address where any MTRR's verdict may change. A
 * variable range with a contiguous mask, as firmware writes them, adds two
 * boundaries, so a range of any size takes a handful of steps; a
 * discontiguous mask adds one per block it matches.
 *
 * Pure logic: no kernel calls, so the host unit test builds it too.
 */
#include "mtrr.h"

#define SV_MTRR_CAP_FIX		0x100ULL	/* fixed ranges exist */
#define SV_MTRR_DEF_TYPE_FE	0x400ULL	/* fixed ranges enabled */
#define SV_MTRR_DEF_TYPE_E	0x800ULL	/* MTRRs enabled */
#define SV_MTRR_MASK_VALID	0x800ULL	/* PHYSMASKn.V, SMRR_PHYSMASK.V */
#define SV_MTRR_TYPE_FIELD	0xffULL		/* type in DEF_TYPE, PHYSBASEn */
#define SV_MTRR_PAGE_MASK	0xfffULL	/* below the 4 KiB granularity */

/* The fixed ranges cover the first MiB in three granularities. */
#define SV_MTRR_FIX64K_END	0x80000ULL
#define SV_MTRR_FIX16K_END	0xc0000ULL
#define SV_MTRR_FIXED_END	0x100000ULL

/* SMRR_PHYSBASE and SMRR_PHYSMASK hold bits 31:12 only. */
#define SV_MTRR_SMRR_BITS	32

/* MAXPHYADDR of CPUs that do not report it, and what CPUs report. */
#define SV_MTRR_PHYS_BITS_DEFAULT	36
#define SV_MTRR_PHYS_BITS_MIN		32
#define SV_MTRR_PHYS_BITS_MAX		52

#define SV_MTRR_NO_CHANGE	(~0ULL)

/*
 * A base/mask pair as compared: @mask has every bit at and above the
 * address width set, so no address beyond it matches, and bits 11:0
 * clear; @base holds only bits the mask compares.
 */
struct sv_mtrr_range {
	u64 base;
	u64 mask;
};

static unsigned int sv_mtrr_phys_bits(const struct sv_mtrr_state *s)
{
	if (s->phys_bits < SV_MTRR_PHYS_BITS_MIN ||
	    s->phys_bits > SV_MTRR_PHYS_BITS_MAX)
		return SV_MTRR_PHYS_BITS_DEFAULT;
	return s->phys_bits;
}

/* Bits of the raw registers above @bits are reserved: ignore them. */
static struct sv_mtrr_range sv_mtrr_range(u64 raw_base, u64 raw_mask,
					  unsigned int bits)
{
	u64 field = ((1ULL << bits) - 1) & ~SV_MTRR_PAGE_MASK;
	struct sv_mtrr_range r;

	r.mask = (raw_mask & field) | ~((1ULL << bits) - 1);
	r.base = raw_base & field & r.mask;
	return r;
}

static u64 sv_mtrr_top_bit(u64 x)
{
	return 1ULL << (63 - __builtin_clzll(x));
}

/*
 * Whether @addr lies in @r; *@next is the lowest address above @addr
 * where that changes, or SV_MTRR_NO_CHANGE.
 */
static bool sv_mtrr_range_match(const struct sv_mtrr_range *r, u64 addr,
				u64 *next)
{
	u64 block = r->mask & -r->mask;	/* lowest bit the mask compares */
	u64 v, diff, top, carry;

	if (!((addr ^ r->base) & r->mask)) {
		/* Matches come in aligned blocks; the next one is apart. */
		*next = (addr | (block - 1)) + 1;
		return true;
	}

	/* The lowest v > addr whose compared bits equal the base's. */
	*next = SV_MTRR_NO_CHANGE;
	v = addr + 1;
	if (!v)
		return false;
	diff = (v ^ r->base) & r->mask;
	if (!diff) {
		*next = v;
		return false;
	}
	top = sv_mtrr_top_bit(diff);
	if (r->base & top) {
		/* Raising v's highest mismatching bit is the least step. */
		carry = top;
	} else {
		/* v is past a match: carry into the first clear free bit. */
		carry = ~r->mask & ~v & ~((top << 1) - 1);
		if (!carry)
			return false;
		carry &= -carry;
	}
	*next = ((v | carry) & ~(carry - 1)) | (r->base & (carry - 1));
	return false;
}

/* Reserved encodings (2, 3, 7 and up) are taken as UC. */
static u8 sv_mtrr_checked_type(u64 type)
{
	switch (type) {
	case SV_MTRR_TYPE_WC:
	case SV_MTRR_TYPE_WT:
	case SV_MTRR_TYPE_WP:
	case SV_MTRR_TYPE_WB:
		return type;
	default:
		return SV_MTRR_TYPE_UC;
	}
}

/* Overlapping variable ranges; overlaps the SDM leaves undefined get UC. */
static u8 sv_mtrr_overlap(u8 a, u8 b)
{
	if (a == b)
		return a;
	if ((a == SV_MTRR_TYPE_WT && b == SV_MTRR_TYPE_WB) ||
	    (a == SV_MTRR_TYPE_WB && b == SV_MTRR_TYPE_WT))
		return SV_MTRR_TYPE_WT;
	return SV_MTRR_TYPE_UC;
}

/* Type of the fixed sub-range @addr (below 1 MiB) lies in. */
static u8 sv_mtrr_fixed_type(const struct sv_mtrr_state *s, u64 addr,
			     u64 *next)
{
	unsigned int msr, field;
	u64 size;

	if (addr < SV_MTRR_FIX64K_END) {
		size = 0x10000;
		msr = 0;
		field = addr / size;
	} else if (addr < SV_MTRR_FIX16K_END) {
		size = 0x4000;
		msr = 1 + (addr - SV_MTRR_FIX64K_END) / (8 * size);
		field = (addr - SV_MTRR_FIX64K_END) / size % 8;
	} else {
		size = 0x1000;
		msr = 3 + (addr - SV_MTRR_FIX16K_END) / (8 * size);
		field = (addr - SV_MTRR_FIX16K_END) / size % 8;
	}
	*next = (addr & ~(size - 1)) + size;
	return sv_mtrr_checked_type((s->fixed[msr] >> (field * 8)) &
				    SV_MTRR_TYPE_FIELD);
}

static u8 sv_mtrr_var_type(const struct sv_mtrr_state *s, u64 addr,
			   u64 *next)
{
	unsigned int bits = sv_mtrr_phys_bits(s);
	unsigned int i, nr = s->nr_var;
	bool matched = false;
	u8 type = 0, t;
	u64 n;

	if (nr > SV_MTRR_NR_VAR_MAX)
		nr = SV_MTRR_NR_VAR_MAX;
	*next = SV_MTRR_NO_CHANGE;
	for (i = 0; i < nr; i++) {
		const struct sv_mtrr_var *v = &s->var[i];
		struct sv_mtrr_range r;
		bool match;

		if (!(v->mask & SV_MTRR_MASK_VALID))
			continue;
		r = sv_mtrr_range(v->base, v->mask, bits);
		match = sv_mtrr_range_match(&r, addr, &n);
		if (n < *next)
			*next = n;
		if (!match)
			continue;
		t = sv_mtrr_checked_type(v->base & SV_MTRR_TYPE_FIELD);
		type = matched ? sv_mtrr_overlap(type, t) : t;
		matched = true;
	}
	if (!matched)
		type = sv_mtrr_checked_type(s->def_type & SV_MTRR_TYPE_FIELD);
	return type;
}

/* Type at @addr with the MTRRs enabled; *@next as for a range match. */
static u8 sv_mtrr_type_at(const struct sv_mtrr_state *s, u64 addr, u64 *next)
{
	bool fixed = (s->cap & SV_MTRR_CAP_FIX) &&
		     (s->def_type & SV_MTRR_DEF_TYPE_FE);
	u64 smrr_next = SV_MTRR_NO_CHANGE;
	u8 type;

	/* Outside SMM the SMRAM the SMRR guards is UC, over any MTRR. */
	if (s->smrr_valid) {
		struct sv_mtrr_range r = sv_mtrr_range(s->smrr_base,
						       s->smrr_mask,
						       SV_MTRR_SMRR_BITS);

		if (sv_mtrr_range_match(&r, addr, next))
			return SV_MTRR_TYPE_UC;
		smrr_next = *next;
	}

	/* Enabled fixed ranges take the first MiB from the variable ones. */
	if (fixed && addr < SV_MTRR_FIXED_END)
		type = sv_mtrr_fixed_type(s, addr, next);
	else
		type = sv_mtrr_var_type(s, addr, next);
	if (smrr_next < *next)
		*next = smrr_next;
	return type;
}

/*
 * Without MTRRs nothing constrains the memory type, as Linux treats it:
 * WB everywhere, which the root's PAT still refines because the EPT
 * entries do not ignore PAT. With MTRRs disabled the CPU uses UC.
 */
u8 sv_mtrr_type(const struct sv_mtrr_state *s, u64 start, u64 end,
		bool *uniform)
{
	u64 addr, next;
	u8 type;

	if (uniform)
		*uniform = true;
	if (!s->present)
		return SV_MTRR_TYPE_WB;
	if (!(s->def_type & SV_MTRR_DEF_TYPE_E))
		return SV_MTRR_TYPE_UC;

	type = sv_mtrr_type_at(s, start, &next);
	if (!uniform)
		return type;
	while (next < end) {
		addr = next;
		if (sv_mtrr_type_at(s, addr, &next) != type) {
			*uniform = false;
			break;
		}
	}
	return type;
}
