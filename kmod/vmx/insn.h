/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX instructions splitvisor executes in VMX root operation, as
 * inline functions. Each failing instruction reports an errno instead of
 * oopsing: VMfailInvalid (CF) and VMfailValid (ZF) both become -EIO.
 */
#ifndef SPLITVISOR_VMX_INSN_H
#define SPLITVISOR_VMX_INSN_H

#include <linux/errno.h>
#include <linux/types.h>
#include <asm/vmx.h>

/* VMXON, VMCLEAR and VMPTRLD: one 64-bit physical address in memory. */
#define sv_vmx_pa_insn(insn, pa)					\
({									\
	u64 __pa = (pa);						\
	bool __fail;							\
									\
	asm volatile(insn " %[addr]\n\t"					\
		     "setna %[fail]"					\
		     : [fail] "=qm" (__fail) : [addr] "m" (__pa) : "cc", "memory"); \
	__fail ? -EIO : 0;						\
})

static __always_inline int sv_vmxon(u64 pa)
{
	return sv_vmx_pa_insn("vmxon", pa);
}

static __always_inline void sv_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

static __always_inline int sv_vmclear(u64 pa)
{
	return sv_vmx_pa_insn("vmclear", pa);
}

static __always_inline int sv_vmptrld(u64 pa)
{
	return sv_vmx_pa_insn("vmptrld", pa);
}

static __always_inline unsigned long sv_vmread(unsigned long field)
{
	unsigned long value;

	asm volatile("vmread %[field], %[value]"
		     : [value] "=rm" (value) : [field] "r" (field) : "cc");
	return value;
}

/* Setting up a VMCS: a failure means a field splitvisor does not know. */
static __always_inline int sv_vmwrite(unsigned long field, unsigned long value)
{
	bool fail;

	asm volatile("vmwrite %[value], %[field]\n\t"
		     "setna %[fail]"
		     : [fail] "=qm" (fail)
		     : [field] "r" (field), [value] "rm" (value)
		     : "cc");
	return fail ? -EIO : 0;
}

/* INVEPT and INVVPID share one form: a type and a 128-bit descriptor. */
struct sv_inv_desc {
	u64 lo;
	u64 hi;
};

#define sv_inv(insn, type, lo_value)					\
do {									\
	struct sv_inv_desc __desc = { .lo = (lo_value) };		\
									\
	asm volatile(insn " %[desc], %[t]"				\
		     :: [desc] "m" (__desc), [t] "r" ((unsigned long)(type)) \
		     : "cc", "memory");					\
} while (0)

static __always_inline void sv_invept(unsigned long type, u64 eptp)
{
	sv_inv("invept", type, eptp);
}

static __always_inline void sv_invvpid(unsigned long type, u16 vpid)
{
	sv_inv("invvpid", type, vpid);
}

#endif /* SPLITVISOR_VMX_INSN_H */
