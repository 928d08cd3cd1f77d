// SPDX-License-Identifier: GPL-2.0
/*
 * Builds the root's EPT identity map with the largest pages the memory
 * types allow (1 GiB, 2 MiB, else 4 KiB), then carves out hypervisor
 * pages. A root access to a carved-out page, or beyond the map, is given
 * a shared decoy page of all-ones bytes, the value of unbacked memory, so
 * the root survives it and learns nothing.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/io.h>
#include <asm/vmx.h>

#include "ept.h"
#include "mtrr.h"
#include "../vmx/insn.h"

#define SV_EPT_ENTRIES		512
#define SV_EPT_RWX		VMX_EPT_RWX_MASK
#define SV_EPT_LARGE		BIT_ULL(7)
#define SV_EPT_ADDR_MASK	GENMASK_ULL(51, 12)
#define SV_EPT_MT_WB		6ULL
#define SV_EPT_PT_LEVELS	4

static u64 *sv_ept_alloc_table(struct sv_ept *ept)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return NULL;
	list_add_tail(&page->lru, &ept->tables);
	ept->nr_tables++;
	return page_address(page);
}

static u64 sv_ept_table_entry(const u64 *table)
{
	return __pa(table) | SV_EPT_RWX;
}

static u64 sv_ept_leaf(u64 pa, u8 type, bool large)
{
	return pa | SV_EPT_RWX | ((u64)type << VMX_EPT_MT_EPTE_SHIFT) |
	       (large ? SV_EPT_LARGE : 0);
}

static u64 *sv_ept_next(u64 entry)
{
	return __va(entry & SV_EPT_ADDR_MASK);
}

static int sv_ept_fill_pd(struct sv_ept *ept, u64 *pd, u64 base,
			  const struct sv_mtrr_state *mtrr)
{
	bool uniform;
	int i, j;

	for (i = 0; i < SV_EPT_ENTRIES; i++) {
		u64 start = base + (u64)i * SZ_2M;
		u8 type = sv_mtrr_type(mtrr, start, start + SZ_2M, &uniform);
		u64 *pt;

		if (uniform) {
			pd[i] = sv_ept_leaf(start, type, true);
			continue;
		}
		pt = sv_ept_alloc_table(ept);
		if (!pt)
			return -ENOMEM;
		for (j = 0; j < SV_EPT_ENTRIES; j++) {
			u64 pa = start + (u64)j * PAGE_SIZE;

			pt[j] = sv_ept_leaf(pa, sv_mtrr_type(mtrr, pa, pa + PAGE_SIZE,
							     &uniform), false);
		}
		pd[i] = sv_ept_table_entry(pt);
	}
	return 0;
}

static int sv_ept_build_decoy(struct sv_ept *ept)
{
	struct page *page = alloc_page(GFP_KERNEL);
	int i;

	if (!page)
		return -ENOMEM;
	ept->decoy = page_address(page);
	memset(ept->decoy, 0xff, PAGE_SIZE);
	ept->decoy_pt = sv_ept_alloc_table(ept);
	ept->decoy_pd = sv_ept_alloc_table(ept);
	ept->decoy_pdpt = sv_ept_alloc_table(ept);
	if (!ept->decoy_pt || !ept->decoy_pd || !ept->decoy_pdpt)
		return -ENOMEM;
	for (i = 0; i < SV_EPT_ENTRIES; i++) {
		ept->decoy_pt[i] = sv_ept_leaf(__pa(ept->decoy), SV_EPT_MT_WB, false);
		ept->decoy_pd[i] = sv_ept_table_entry(ept->decoy_pt);
		ept->decoy_pdpt[i] = sv_ept_table_entry(ept->decoy_pd);
	}
	return 0;
}

int sv_ept_build(struct sv_ept *ept, const struct sv_mtrr_state *mtrr,
		 u64 top, bool use_1g)
{
	u64 gpa;
	int err;

	memset(ept, 0, sizeof(*ept));
	INIT_LIST_HEAD(&ept->tables);
	raw_spin_lock_init(&ept->lock);
	ept->top = top;
	ept->use_1g = use_1g;

	ept->pml4 = sv_ept_alloc_table(ept);
	if (!ept->pml4)
		return -ENOMEM;
	for (gpa = 0; gpa < top; gpa += SZ_1G) {
		unsigned int i4 = (gpa >> 39) & 511, i3 = (gpa >> 30) & 511;
		bool uniform;
		u64 *pdpt, *pd;
		u8 type;

		if (!ept->pml4[i4]) {
			pdpt = sv_ept_alloc_table(ept);
			if (!pdpt)
				return -ENOMEM;
			ept->pml4[i4] = sv_ept_table_entry(pdpt);
		}
		pdpt = sv_ept_next(ept->pml4[i4]);
		type = sv_mtrr_type(mtrr, gpa, gpa + SZ_1G, &uniform);
		if (use_1g && uniform) {
			pdpt[i3] = sv_ept_leaf(gpa, type, true);
			continue;
		}
		pd = sv_ept_alloc_table(ept);
		if (!pd)
			return -ENOMEM;
		pdpt[i3] = sv_ept_table_entry(pd);
		err = sv_ept_fill_pd(ept, pd, gpa, mtrr);
		if (err)
			return err;
	}
	return sv_ept_build_decoy(ept);
}

/* Replace a large leaf by a table of leaves of the same type and access. */
static int sv_ept_split(struct sv_ept *ept, u64 *entry, u64 child_size)
{
	u64 base = *entry & SV_EPT_ADDR_MASK & ~(child_size * SV_EPT_ENTRIES - 1);
	u64 attrs = *entry & ~SV_EPT_ADDR_MASK & ~SV_EPT_LARGE;
	bool large = child_size > PAGE_SIZE;
	u64 *table;
	int i;

	table = sv_ept_alloc_table(ept);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < SV_EPT_ENTRIES; i++)
		table[i] = (base + i * child_size) | attrs | (large ? SV_EPT_LARGE : 0);
	*entry = sv_ept_table_entry(table);
	return 0;
}

int sv_ept_hide_page(struct sv_ept *ept, u64 pa)
{
	u64 *pml4e, *pdpte, *pde;
	int err;

	if (pa >= ept->top)
		return 0;
	pml4e = &ept->pml4[(pa >> 39) & 511];
	if (!*pml4e)
		return 0;
	pdpte = &sv_ept_next(*pml4e)[(pa >> 30) & 511];
	if (*pdpte & SV_EPT_LARGE) {
		err = sv_ept_split(ept, pdpte, SZ_2M);
		if (err)
			return err;
	}
	pde = &sv_ept_next(*pdpte)[(pa >> 21) & 511];
	if (*pde & SV_EPT_LARGE) {
		err = sv_ept_split(ept, pde, PAGE_SIZE);
		if (err)
			return err;
	}
	sv_ept_next(*pde)[(pa >> 12) & 511] = 0;
	return 0;
}

int sv_ept_hide_tables(struct sv_ept *ept)
{
	struct page *page;
	int err;

	/* Hiding may split pages and add tables at the tail: they get hidden too. */
	list_for_each_entry(page, &ept->tables, lru) {
		err = sv_ept_hide_page(ept, page_to_phys(page));
		if (err)
			return err;
	}
	return 0;
}

int sv_ept_set_2m(struct sv_ept *ept, u64 pa, bool present)
{
	u64 *pml4e, *pdpte, *pde;
	int err = 0;

	if ((pa & (SZ_2M - 1)) || pa >= ept->top)
		return -EINVAL;
	raw_spin_lock(&ept->lock);
	pml4e = &ept->pml4[(pa >> 39) & 511];
	if (!*pml4e || (*pml4e & SV_EPT_ADDR_MASK) == __pa(ept->decoy_pdpt)) {
		err = -EINVAL;
		goto out;
	}
	pdpte = &sv_ept_next(*pml4e)[(pa >> 30) & 511];
	if (!*pdpte || (*pdpte & SV_EPT_LARGE) ||
	    (*pdpte & SV_EPT_ADDR_MASK) == __pa(ept->decoy_pd)) {
		err = -EINVAL;
		goto out;
	}
	pde = &sv_ept_next(*pdpte)[(pa >> 21) & 511];
	/* A 4 KiB table left behind stays on the list and is freed with the map. */
	*pde = present ? sv_ept_leaf(pa, SV_EPT_MT_WB, true) : 0;
out:
	raw_spin_unlock(&ept->lock);
	sv_invept(VMX_EPT_EXTENT_CONTEXT, sv_ept_eptp(ept));
	return err;
}

u64 sv_ept_build_vm(u64 *pml4, u64 *pdpt, u64 *pd, const u64 *chunk_pa,
		    unsigned int nr)
{
	unsigned int i;

	pml4[0] = sv_ept_table_entry(pdpt);
	pdpt[0] = sv_ept_table_entry(pd);
	for (i = 0; i < nr && i < SV_EPT_ENTRIES; i++)
		pd[i] = sv_ept_leaf(chunk_pa[i], SV_EPT_MT_WB, true);
	return __pa(pml4) | ((SV_EPT_PT_LEVELS - 1) << 3) | SV_EPT_MT_WB;
}

u64 sv_ept_eptp(const struct sv_ept *ept)
{
	return __pa(ept->pml4) | ((SV_EPT_PT_LEVELS - 1) << 3) | SV_EPT_MT_WB;
}

void sv_ept_free(struct sv_ept *ept)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &ept->tables, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	if (ept->decoy)
		free_page((unsigned long)ept->decoy);
	ept->decoy = NULL;
	ept->pml4 = NULL;
	ept->nr_tables = 0;
}

enum sv_ept_fault sv_ept_fault(struct sv_ept *ept, u64 gpa)
{
	enum sv_ept_fault kind = SV_EPT_FAULT_SPURIOUS;
	u64 *entry, *table = ept->pml4;
	unsigned int shift;

	raw_spin_lock(&ept->lock);
	for (shift = 39; shift >= 12; shift -= 9) {
		entry = &table[(gpa >> shift) & 511];
		if (!*entry) {
			if (shift == 39)
				*entry = sv_ept_table_entry(ept->decoy_pdpt);
			else if (shift == 30)
				*entry = sv_ept_table_entry(ept->decoy_pd);
			else if (shift == 21)
				*entry = sv_ept_table_entry(ept->decoy_pt);
			else
				*entry = sv_ept_leaf(__pa(ept->decoy), SV_EPT_MT_WB, false);
			/* Inside the map, only hiding left holes (pages or VM chunks). */
			kind = gpa < ept->top ? SV_EPT_FAULT_HIDDEN :
						SV_EPT_FAULT_UNMAPPED;
			break;
		}
		if (shift == 12 || (*entry & SV_EPT_LARGE))
			break;
		table = sv_ept_next(*entry);
	}
	raw_spin_unlock(&ept->lock);
	sv_invept(VMX_EPT_EXTENT_CONTEXT, sv_ept_eptp(ept));
	return kind;
}
