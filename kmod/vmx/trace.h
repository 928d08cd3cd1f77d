/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints of the hypervisor: splitvisor:splitvisor_exit, like kvm:kvm_exit. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM splitvisor

#if !defined(SPLITVISOR_VMX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SPLITVISOR_VMX_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(splitvisor_exit,
	    TP_PROTO(unsigned int cpu, u32 reason, u64 rip, u64 qual),
	    TP_ARGS(cpu, reason, rip, qual),
	    TP_STRUCT__entry(__field(unsigned int, cpu)
			     __field(u32, reason)
			     __field(u64, rip)
			     __field(u64, qual)),
	    TP_fast_assign(__entry->cpu = cpu;
			   __entry->reason = reason;
			   __entry->rip = rip;
			   __entry->qual = qual;),
	    TP_printk("cpu %u reason %u rip 0x%llx qual 0x%llx",
		      __entry->cpu, __entry->reason, __entry->rip, __entry->qual)
);

#endif /* SPLITVISOR_VMX_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
