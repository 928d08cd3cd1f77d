/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels splitvisor builds against, in one place.
 * The SV_HAVE_* macros come from probes of the kernel headers in
 * kmod/Kbuild, never from version numbers.
 */
#ifndef SPLITVISOR_COMPAT_H
#define SPLITVISOR_COMPAT_H

#include <linux/bits.h>
#include <asm/msr.h>
#include <asm/vmx.h>

#ifndef SV_HAVE_SECONDARY_EXEC_ENABLE_XSAVES
#define SECONDARY_EXEC_ENABLE_XSAVES	SECONDARY_EXEC_XSAVES
#endif

/* Memory type for the VMCS and VMXON region, IA32_VMX_BASIC[53:50]. */
#ifdef SV_HAVE_VMX_BASIC_VMCS_MEM_TYPE
#define sv_vmx_basic_mem_type(basic)	vmx_basic_vmcs_mem_type(basic)
#else
#define sv_vmx_basic_mem_type(basic) \
	((u32)(((basic) & VMX_BASIC_MEM_TYPE_MASK) >> VMX_BASIC_MEM_TYPE_SHIFT))
#endif

/* The write-back memory type encoding (SDM: PAT/MTRR type 6). */
#define SV_MEMTYPE_WB			6

#ifdef SV_HAVE_RDMSRQ
#define sv_rdmsr_safe(msr, p)		rdmsrq_safe(msr, p)
#define sv_wrmsr_safe(msr, v)		wrmsrq_safe(msr, v)
#define sv_wrmsr(msr, v)		wrmsrq(msr, v)
#define sv_rdmsr_to(msr, v)		rdmsrq(msr, v)
#else
#define sv_rdmsr_safe(msr, p)		rdmsrl_safe(msr, p)
#define sv_wrmsr_safe(msr, v)		wrmsrl_safe(msr, v)
#define sv_wrmsr(msr, v)		wrmsrl(msr, v)
#define sv_rdmsr_to(msr, v)		rdmsrl(msr, v)
#endif

static inline u64 sv_rdmsr(u32 msr)
{
	u64 v;

	sv_rdmsr_to(msr, v);
	return v;
}

/* End of interrupt to the local APIC, from the hypervisor. */
#include <asm/apic.h>
#ifdef SV_HAVE_APIC_EOI_CALLBACK
#define sv_apic_eoi()			apic->eoi()
#else
#define sv_apic_eoi()			apic->eoi_write(APIC_EOI, APIC_EOI_ACK)
#endif

/* Only CAP_NET_ADMIN may listen to the events group, where supported. */
#ifdef SV_HAVE_GENL_MCAST_CAP
#define SV_GENL_MCAST_ADMIN_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define SV_GENL_MCAST_ADMIN_FLAGS	0
#endif

/*
 * An extack message built at run time. NL_SET_ERR_MSG_FMT is not in every
 * kernel; @msg must outlive the request.
 */
#include <linux/netlink.h>
static inline void sv_extack_set(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

#endif /* SPLITVISOR_COMPAT_H */
