// SPDX-License-Identifier: GPL-2.0
/*
 * Memory types from MTRR layouts of real firmware and of corner cases,
 * and random layouts checked page by page against a plain reading of the
 * SDM's precedence rules.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"

#include "mtrr.h"

#define KiB		0x400ULL
#define MiB		(1024 * KiB)
#define GiB		(1024 * MiB)
#define PAGE		(4 * KiB)

#define UC		SV_MTRR_TYPE_UC
#define WC		SV_MTRR_TYPE_WC
#define WT		SV_MTRR_TYPE_WT
#define WP		SV_MTRR_TYPE_WP
#define WB		SV_MTRR_TYPE_WB

#define CAP_FIX		0x100ULL
#define CAP_WC		0x400ULL
#define CAP_SMRR	0x800ULL
#define DEF_FE		0x400ULL
#define DEF_E		0x800ULL
#define MASK_VALID	0x800ULL

static struct sv_mtrr_state st;

/* MTRRs on with @def_type, fixed ranges off, 8 free pairs, 39 bits. */
static void machine(u8 def_type)
{
	memset(&st, 0, sizeof(st));
	st.present = true;
	st.cap = CAP_WC | CAP_FIX | 8;
	st.def_type = DEF_E | def_type;
	st.nr_var = 8;
	st.phys_bits = 39;
}

/* The raw pair firmware writes for [@base, @base + @size). */
static void add_var(u64 base, u64 size, u8 type)
{
	u64 width = (1ULL << st.phys_bits) - 1;
	unsigned int i = 0;

	while (st.var[i].mask & MASK_VALID)
		i++;
	st.var[i].base = base | type;
	st.var[i].mask = (~(size - 1) & width) | MASK_VALID;
}

/* The fixed sub-range @i of 88 as MSR, byte within it, start and size. */
static void fixed_subrange(unsigned int i, unsigned int *msr,
			   unsigned int *byte, u64 *start, u64 *size)
{
	*byte = i % 8;
	if (i < 8) {
		*msr = 0;
		*size = 64 * KiB;
		*start = i * *size;
	} else if (i < 24) {
		*msr = i / 8;
		*size = 16 * KiB;
		*start = 512 * KiB + (i - 8) * *size;
	} else {
		*msr = i / 8;
		*size = 4 * KiB;
		*start = 768 * KiB + (i - 24) * *size;
	}
}

/* Give the fixed sub-ranges within [@start, @end) @type, and enable them. */
static void set_fixed(u64 start, u64 end, u8 type)
{
	unsigned int i, msr, byte;
	u64 sub, size;

	for (i = 0; i < 88; i++) {
		fixed_subrange(i, &msr, &byte, &sub, &size);
		if (sub < start || sub + size > end)
			continue;
		st.fixed[msr] &= ~(0xffULL << (byte * 8));
		st.fixed[msr] |= (u64)type << (byte * 8);
	}
	st.def_type |= DEF_FE;
}

static void set_smrr(u64 base, u64 size)
{
	st.cap |= CAP_SMRR;
	st.smrr_valid = true;
	st.smrr_base = base | WB;
	st.smrr_mask = (~(size - 1) & 0xfffff000ULL) | MASK_VALID;
}

#define EXPECT_UNIFORM(start, end, type) do {				\
	bool uniform = false;						\
									\
	ASSERT_EQ(type, sv_mtrr_type(&st, start, end, &uniform));	\
	ASSERT_TRUE(uniform);						\
} while (0)

#define EXPECT_MIXED(start, end, first) do {				\
	bool uniform = true;						\
									\
	ASSERT_EQ(first, sv_mtrr_type(&st, start, end, &uniform));	\
	ASSERT_FALSE(uniform);						\
} while (0)

TEST(no_mtrrs_is_wb)
{
	machine(UC);
	add_var(0, 2 * GiB, UC);
	st.present = false;
	EXPECT_UNIFORM(0, 1ULL << 39, WB);
	EXPECT_UNIFORM(0, PAGE, WB);
}

TEST(disabled_is_uc)
{
	machine(WB);
	add_var(0, 2 * GiB, WB);
	set_fixed(0, MiB, WB);
	st.def_type &= ~DEF_E;
	EXPECT_UNIFORM(0, 1ULL << 39, UC);
	EXPECT_UNIFORM(0, MiB, UC);
}

TEST(default_only)
{
	machine(WB);
	EXPECT_UNIFORM(0, 1ULL << 39, WB);
	machine(WT);
	EXPECT_UNIFORM(GiB, 2 * GiB, WT);
}

TEST(null_uniform_gives_first_byte)
{
	machine(UC);
	add_var(0, GiB, WB);
	ASSERT_EQ(WB, sv_mtrr_type(&st, 0, 4 * GiB, NULL));
	ASSERT_EQ(UC, sv_mtrr_type(&st, GiB, 4 * GiB, NULL));
}

TEST(fixed_ranges_first_mib)
{
	machine(UC);
	add_var(0, GiB, WB);
	set_fixed(0, 640 * KiB, WB);
	set_fixed(640 * KiB, 768 * KiB, UC);
	set_fixed(768 * KiB, 800 * KiB, WP);
	set_fixed(800 * KiB, 804 * KiB, WT);
	set_fixed(804 * KiB, MiB, WP);

	EXPECT_MIXED(0, MiB, WB);
	EXPECT_MIXED(0, 2 * MiB, WB);
	EXPECT_UNIFORM(0, 640 * KiB, WB);
	EXPECT_UNIFORM(64 * KiB, 128 * KiB, WB);
	EXPECT_UNIFORM(640 * KiB, 768 * KiB, UC);
	EXPECT_MIXED(640 * KiB, 772 * KiB, UC);
	/* One 4 KiB sub-range among WP ones. */
	EXPECT_UNIFORM(800 * KiB, 804 * KiB, WT);
	EXPECT_MIXED(796 * KiB, 804 * KiB, WP);
	EXPECT_MIXED(800 * KiB, 808 * KiB, WT);
	EXPECT_UNIFORM(804 * KiB, MiB, WP);
	/* The fixed ranges end at 1 MiB; the variable WB takes over. */
	EXPECT_MIXED(804 * KiB, MiB + PAGE, WP);
	EXPECT_UNIFORM(MiB, GiB, WB);
}

TEST(fixed_ranges_need_fe_and_cap)
{
	machine(UC);
	add_var(0, GiB, WB);
	set_fixed(0, MiB, WB);
	set_fixed(640 * KiB, 768 * KiB, UC);
	EXPECT_MIXED(0, 2 * MiB, WB);

	st.def_type &= ~DEF_FE;
	EXPECT_UNIFORM(0, 2 * MiB, WB);

	st.def_type |= DEF_FE;
	st.cap &= ~CAP_FIX;
	EXPECT_UNIFORM(0, 2 * MiB, WB);
}

TEST(variable_wb_with_uc_hole)
{
	machine(UC);
	add_var(0, 2 * GiB, WB);
	add_var(GiB + 512 * MiB, 256 * MiB, UC);

	EXPECT_UNIFORM(0, GiB, WB);
	EXPECT_UNIFORM(GiB, GiB + 512 * MiB, WB);
	EXPECT_MIXED(GiB, 2 * GiB, WB);
	EXPECT_UNIFORM(GiB + 512 * MiB, GiB + 768 * MiB, UC);
	EXPECT_MIXED(GiB + 510 * MiB, GiB + 512 * MiB + PAGE, WB);
	EXPECT_MIXED(GiB + 766 * MiB, GiB + 768 * MiB + PAGE, UC);
	EXPECT_UNIFORM(GiB + 768 * MiB, 2 * GiB, WB);
	EXPECT_MIXED(0, 4 * GiB, WB);
}

TEST(overlap_uc_wins)
{
	machine(WB);
	add_var(0, 4 * GiB, WB);
	add_var(3 * GiB, GiB, UC);
	EXPECT_UNIFORM(3 * GiB, 4 * GiB, UC);

	/* In either order of the pairs. */
	machine(WB);
	add_var(3 * GiB, GiB, UC);
	add_var(0, 4 * GiB, WB);
	EXPECT_UNIFORM(3 * GiB, 4 * GiB, UC);
	EXPECT_UNIFORM(0, 3 * GiB, WB);
}

TEST(overlap_wt_wb_is_wt)
{
	machine(UC);
	add_var(0, 4 * GiB, WB);
	add_var(2 * GiB, 2 * GiB, WT);
	EXPECT_UNIFORM(2 * GiB, 4 * GiB, WT);
	EXPECT_MIXED(GiB, 4 * GiB, WB);

	machine(UC);
	add_var(2 * GiB, 2 * GiB, WT);
	add_var(0, 4 * GiB, WB);
	EXPECT_UNIFORM(2 * GiB, 4 * GiB, WT);
}

TEST(overlap_undefined_is_uc)
{
	machine(WB);
	add_var(0, 4 * GiB, WB);
	add_var(2 * GiB, GiB, WC);
	add_var(3 * GiB, GiB, WP);
	add_var(3 * GiB, GiB, WT);
	EXPECT_UNIFORM(2 * GiB, 3 * GiB, UC);
	EXPECT_UNIFORM(3 * GiB, 4 * GiB, UC);

	/* The same type twice is that type. */
	machine(UC);
	add_var(0, 4 * GiB, WC);
	add_var(0, 2 * GiB, WC);
	EXPECT_UNIFORM(0, 4 * GiB, WC);
}

TEST(reserved_types_and_invalid_pairs)
{
	machine(7);
	EXPECT_UNIFORM(0, 4 * GiB, UC);

	machine(WB);
	add_var(0, GiB, 2);
	EXPECT_UNIFORM(0, GiB, UC);

	/* A pair without its valid bit, or beyond nr_var, does not count. */
	machine(WB);
	add_var(0, GiB, UC);
	add_var(GiB, GiB, UC);
	st.var[0].mask &= ~MASK_VALID;
	st.nr_var = 1;
	EXPECT_UNIFORM(0, 4 * GiB, WB);
}

TEST(one_gib_straddling_a_variable_boundary)
{
	machine(UC);
	add_var(0, GiB, WB);
	add_var(GiB, 512 * MiB, WB);
	EXPECT_UNIFORM(0, GiB, WB);
	EXPECT_MIXED(GiB, 2 * GiB, WB);
	EXPECT_UNIFORM(GiB, GiB + 512 * MiB, WB);
	EXPECT_UNIFORM(GiB + 512 * MiB, 2 * GiB, UC);
	/* Adjacent ranges of one type do not split a range. */
	EXPECT_UNIFORM(0, GiB + 512 * MiB, WB);
}

TEST(above_every_variable_range_is_default)
{
	machine(WB);
	add_var(3 * GiB, 512 * MiB, UC);
	add_var(3 * GiB + 512 * MiB, 512 * MiB, UC);
	EXPECT_UNIFORM(4 * GiB, 1ULL << 39, WB);
	EXPECT_UNIFORM((1ULL << 39) - GiB, 1ULL << 39, WB);
	EXPECT_MIXED(2 * GiB, 8 * GiB, WB);
}

TEST(smrr_is_uc)
{
	machine(UC);
	add_var(0, 2 * GiB, WB);
	set_smrr(2 * GiB - 8 * MiB, 8 * MiB);

	EXPECT_UNIFORM(2 * GiB - 8 * MiB, 2 * GiB, UC);
	EXPECT_UNIFORM(2 * GiB - 10 * MiB, 2 * GiB - 8 * MiB, WB);
	EXPECT_MIXED(GiB, 2 * GiB, WB);
	EXPECT_MIXED(2 * GiB - 8 * MiB - PAGE, 2 * GiB, WB);
	EXPECT_UNIFORM(2 * GiB, 4 * GiB, UC);

	/* Its 32-bit fields do not alias above 4 GiB. */
	machine(WB);
	set_smrr(2 * GiB - 8 * MiB, 8 * MiB);
	EXPECT_UNIFORM(6 * GiB - 8 * MiB, 6 * GiB, WB);
	EXPECT_MIXED(0, 4 * GiB, WB);
	st.smrr_valid = false;
	EXPECT_UNIFORM(0, 4 * GiB, WB);
}

TEST(smrr_overrides_fixed_ranges)
{
	machine(WB);
	set_fixed(0, MiB, WB);
	set_smrr(640 * KiB, 128 * KiB);
	EXPECT_UNIFORM(640 * KiB, 768 * KiB, UC);
	EXPECT_MIXED(0, MiB, WB);
	EXPECT_UNIFORM(768 * KiB, MiB, WB);
}

TEST(phys_bits_39_and_46)
{
	/* 2 GiB at 0 as written for 39 and for 46 address bits. */
	const u64 mask39 = 0x7f80000000ULL | MASK_VALID;
	const u64 mask46 = 0x3fff80000000ULL | MASK_VALID;

	machine(UC);
	st.var[0].base = WB;
	st.var[0].mask = mask39;
	EXPECT_UNIFORM(0, 2 * GiB, WB);
	EXPECT_UNIFORM(2 * GiB, 1ULL << 39, UC);

	/* Mask bits above the address width are ignored. */
	st.var[0].mask = mask46;
	EXPECT_UNIFORM(0, 2 * GiB, WB);
	EXPECT_UNIFORM(2 * GiB, 1ULL << 39, UC);
	/* And nothing beyond the address width matches. */
	EXPECT_UNIFORM(1ULL << 39, (1ULL << 39) + 2 * GiB, UC);

	st.phys_bits = 46;
	EXPECT_UNIFORM(0, 2 * GiB, WB);
	EXPECT_UNIFORM(2 * GiB, 1ULL << 46, UC);

	/* A 39-bit mask on 46 bits leaves bits 45:39 out: it aliases. */
	st.var[0].mask = mask39;
	EXPECT_UNIFORM(1ULL << 39, (1ULL << 39) + 2 * GiB, WB);
	EXPECT_UNIFORM((1ULL << 39) + 2 * GiB, 1ULL << 40, UC);
	EXPECT_UNIFORM((45ULL << 39), (45ULL << 39) + 2 * GiB, WB);
	EXPECT_MIXED(0, 1ULL << 46, WB);
}

/*
 * Bochs' BIOS: WB by default, 3-4 GiB UC for the PCI hole, the first
 * 640 KiB of RAM WB and the VGA window and ROMs above it UC.
 */
static void bochs(u64 phys_mask)
{
	machine(WB);
	st.phys_bits = 40;
	set_fixed(0, 640 * KiB, WB);
	set_fixed(640 * KiB, MiB, UC);
	st.var[0].base = 3 * GiB | UC;
	st.var[0].mask = (~(GiB - 1) & phys_mask) | MASK_VALID;
}

TEST(bochs_layout)
{
	u64 addr;

	bochs((1ULL << 40) - 1);
	EXPECT_UNIFORM(0, 640 * KiB, WB);
	EXPECT_UNIFORM(640 * KiB, MiB, UC);
	EXPECT_MIXED(0, 2 * MiB, WB);
	EXPECT_UNIFORM(2 * MiB, 3 * GiB, WB);
	EXPECT_UNIFORM(3 * GiB, 4 * GiB, UC);
	EXPECT_MIXED(0, GiB, WB);
	EXPECT_UNIFORM(GiB, 3 * GiB, WB);
	EXPECT_UNIFORM(4 * GiB, 1ULL << 40, WB);

	/* What an EPT builder asks: only the first 2 MiB is split. */
	for (addr = 2 * MiB; addr < 64 * GiB; addr += 2 * MiB)
		EXPECT_UNIFORM(addr, addr + 2 * MiB,
			       addr >= 3 * GiB && addr < 4 * GiB ? UC : WB);

	/* Older versions set every mask bit up to 63. */
	bochs(~0ULL);
	EXPECT_UNIFORM(3 * GiB, 4 * GiB, UC);
	EXPECT_UNIFORM(4 * GiB, 1ULL << 40, WB);
}

/* Firmware that describes RAM: UC by default, WB ranges below and above 4G. */
TEST(uc_default_layout)
{
	machine(UC);
	st.phys_bits = 46;
	set_fixed(0, 640 * KiB, WB);
	set_fixed(640 * KiB, 768 * KiB, UC);
	set_fixed(768 * KiB, MiB, WP);
	add_var(0, 2 * GiB, WB);
	add_var(2 * GiB, GiB, WB);
	add_var(4 * GiB, 4 * GiB, WB);
	add_var(8 * GiB, 512 * MiB, WB);

	EXPECT_MIXED(0, GiB, WB);
	EXPECT_UNIFORM(2 * MiB, 3 * GiB, WB);
	EXPECT_UNIFORM(3 * GiB, 4 * GiB, UC);
	EXPECT_UNIFORM(4 * GiB, 8 * GiB + 512 * MiB, WB);
	EXPECT_MIXED(8 * GiB, 9 * GiB, WB);
	EXPECT_UNIFORM(8 * GiB + 512 * MiB, 1ULL << 46, UC);
}

/*
 * Discontiguous masks and random layouts against a page-by-page reading
 * of the rules, written apart from the code under test.
 */
static u8 reference_type(u64 addr)
{
	u64 width = (1ULL << st.phys_bits) - 1;
	u64 field = width & ~0xfffULL;
	unsigned int i, msr, byte, nr = 0;
	u64 sub, size;
	u8 type, types[SV_MTRR_NR_VAR_MAX];

	if (!st.present)
		return WB;
	if (!(st.def_type & DEF_E))
		return UC;
	if (st.smrr_valid && addr < 4 * GiB &&
	    !((addr ^ st.smrr_base) & st.smrr_mask & 0xfffff000ULL))
		return UC;
	if ((st.def_type & DEF_FE) && (st.cap & CAP_FIX) && addr < MiB) {
		for (i = 0; i < 88; i++) {
			fixed_subrange(i, &msr, &byte, &sub, &size);
			if (addr >= sub && addr < sub + size)
				break;
		}
		type = st.fixed[msr] >> (byte * 8);
		return type == 2 || type == 3 || type > 6 ? UC : type;
	}
	for (i = 0; i < st.nr_var; i++) {
		if (!(st.var[i].mask & MASK_VALID) || addr > width ||
		    ((addr ^ st.var[i].base) & st.var[i].mask & field))
			continue;
		type = st.var[i].base & 0xff;
		types[nr++] = type == 2 || type == 3 || type > 6 ? UC : type;
	}
	if (!nr) {
		type = st.def_type & 0xff;
		return type == 2 || type == 3 || type > 6 ? UC : type;
	}
	type = types[0];
	for (i = 1; i < nr; i++) {
		if (types[i] == UC || type == UC)
			return UC;
		if (types[i] == type)
			continue;
		if ((types[i] == WT || types[i] == WB) &&
		    (type == WT || type == WB))
			type = WT;
		else
			return UC;
	}
	return type;
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u8 random_type(void)
{
	static const u8 types[] = { UC, WC, WT, WP, WB, WB, WB, 3 };

	return types[rng() % sizeof(types)];
}

/* Type and uniformity of [@start, @end) by the reference; 0 if agreed. */
static int check_window(u64 start, u64 end)
{
	u8 first = reference_type(start);
	bool same = true, uniform;
	u64 addr;

	for (addr = start + PAGE; addr < end && same; addr += PAGE)
		same = reference_type(addr) == first;
	if (sv_mtrr_type(&st, start, end, &uniform) != first ||
	    uniform != same) {
		fprintf(stderr,
			"# [%#llx, %#llx): want type %u uniform %d, got %u %d\n",
			(unsigned long long)start, (unsigned long long)end,
			first, same, sv_mtrr_type(&st, start, end, NULL),
			uniform);
		return -1;
	}
	return 0;
}

TEST(discontiguous_mask)
{
	u64 addr;

	machine(UC);
	st.phys_bits = 32;
	/* Every other 64 KiB of the 16 MiB from 16 MiB, and its aliases. */
	st.var[0].base = 16 * MiB | WB;
	st.var[0].mask = 0xff010000ULL | MASK_VALID;
	/* Discontiguous below its lowest bit too. */
	st.var[1].base = 0x40200000ULL | WT;
	st.var[1].mask = 0xc0300000ULL | MASK_VALID;

	EXPECT_UNIFORM(16 * MiB, 16 * MiB + 64 * KiB, WB);
	EXPECT_UNIFORM(16 * MiB + 64 * KiB, 16 * MiB + 128 * KiB, UC);
	EXPECT_MIXED(16 * MiB, 32 * MiB, WB);
	EXPECT_UNIFORM(32 * MiB, GiB, UC);
	for (addr = 0; addr < 4 * GiB; addr += 2 * MiB)
		ASSERT_EQ(0, check_window(addr, addr + 2 * MiB));
	for (addr = 0; addr < 4 * GiB + 64 * MiB; addr += 64 * MiB)
		ASSERT_EQ(0, check_window(addr, addr + 64 * MiB));
}

TEST(random_layouts_match_reference)
{
	unsigned int layout, i, n;
	u64 start, pages;

	for (layout = 0; layout < 400; layout++) {
		machine(random_type());
		st.phys_bits = 32;
		n = rng() % 5;
		for (i = 0; i < n; i++) {
			/* Half contiguous, half random bits from 12 up. */
			if (rng() % 2)
				add_var(rng() & 0xfffff000ULL,
					1ULL << (12 + rng() % 20),
					random_type());
			else
				st.var[i] = (struct sv_mtrr_var) {
					.base = (rng() & 0xfffff000ULL) |
						random_type(),
					.mask = (rng() & 0xfffff000ULL) |
						MASK_VALID,
				};
		}
		if (rng() % 2)
			set_fixed(rng() % MiB, MiB, random_type());
		if (rng() % 4 == 0)
			set_smrr(rng() & 0xfff00000ULL, MiB << (rng() % 4));

		for (i = 0; i < 20; i++) {
			pages = 1 + rng() % 1024;
			if (i % 4 == 0)
				start = (rng() % 512) * PAGE;
			else
				start = (rng() % (1ULL << 21)) * PAGE;
			ASSERT_EQ(0, check_window(start, start + pages * PAGE));
		}
	}
}

TEST_HARNESS_MAIN
