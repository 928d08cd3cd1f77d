/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The root's EPT: an identity map of the physical address space with the
 * MTRRs' memory types, minus the pages the hypervisor keeps to itself.
 */
#ifndef SPLITVISOR_EPT_H
#define SPLITVISOR_EPT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct sv_mtrr_state;

struct sv_ept {
	u64 *pml4;
	struct list_head tables;	/* every paging-structure page */
	unsigned int nr_tables;
	u64 top;			/* end of the identity map */
	bool use_1g;
	/* Where root accesses to hidden or unmapped addresses land. */
	void *decoy;
	u64 *decoy_pt, *decoy_pd, *decoy_pdpt;
	raw_spinlock_t lock;		/* faults on several CPUs at once */
};

enum sv_ept_fault {
	SV_EPT_FAULT_SPURIOUS,		/* another CPU mapped it already */
	SV_EPT_FAULT_HIDDEN,		/* hypervisor memory: now the decoy */
	SV_EPT_FAULT_UNMAPPED,		/* beyond the map: now the decoy */
};

int sv_ept_build(struct sv_ept *ept, const struct sv_mtrr_state *mtrr,
		 u64 top, bool use_1g);
/* Unmap one 4 KiB page for the root (splitting large pages as needed). */
int sv_ept_hide_page(struct sv_ept *ept, u64 pa);
/* Hide the map's own paging structures, including those hiding creates. */
int sv_ept_hide_tables(struct sv_ept *ept);
u64 sv_ept_eptp(const struct sv_ept *ept);
void sv_ept_free(struct sv_ept *ept);
/*
 * Hypervisor context: unmap (@present false) or map again, write-back,
 * the 2 MiB at @pa for the root. The root's map has no 1 GiB pages, so
 * this never allocates. -EINVAL for a range the map does not cover.
 */
int sv_ept_set_2m(struct sv_ept *ept, u64 pa, bool present);
/*
 * A VM's EPT in three given zeroed tables: guest-physical [0, nr * 2 MiB)
 * onto the 2 MiB chunks @chunk_pa, write-back, nothing else. Returns the
 * EPTP.
 */
u64 sv_ept_build_vm(u64 *pml4, u64 *pdpt, u64 *pd, const u64 *chunk_pa,
		    unsigned int nr);
/* VM-exit context: resolve an EPT violation at @gpa. */
enum sv_ept_fault sv_ept_fault(struct sv_ept *ept, u64 gpa);

#endif /* SPLITVISOR_EPT_H */
