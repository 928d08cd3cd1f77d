// SPDX-License-Identifier: GPL-2.0
/* Short names of the basic VM-exit reasons (SDM Appendix C) for counters. */
#include <linux/kernel.h>
#include <asm/vmx.h>

#include "../hv.h"

static const char *const sv_exit_names[SV_EXIT_REASONS] = {
	[EXIT_REASON_EXCEPTION_NMI] = "exception-nmi",
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "external-interrupt",
	[EXIT_REASON_TRIPLE_FAULT] = "triple-fault",
	[EXIT_REASON_INIT_SIGNAL] = "init",
	[EXIT_REASON_SIPI_SIGNAL] = "sipi",
	[EXIT_REASON_INTERRUPT_WINDOW] = "interrupt-window",
	[EXIT_REASON_NMI_WINDOW] = "nmi-window",
	[EXIT_REASON_TASK_SWITCH] = "task-switch",
	[EXIT_REASON_CPUID] = "cpuid",
	[11] = "getsec",	/* not named in every kernel */
	[EXIT_REASON_HLT] = "hlt",
	[EXIT_REASON_INVD] = "invd",
	[EXIT_REASON_INVLPG] = "invlpg",
	[EXIT_REASON_RDPMC] = "rdpmc",
	[EXIT_REASON_RDTSC] = "rdtsc",
	[EXIT_REASON_VMCALL] = "vmcall",
	[EXIT_REASON_VMCLEAR] = "vmclear",
	[EXIT_REASON_VMLAUNCH] = "vmlaunch",
	[EXIT_REASON_VMPTRLD] = "vmptrld",
	[EXIT_REASON_VMPTRST] = "vmptrst",
	[EXIT_REASON_VMREAD] = "vmread",
	[EXIT_REASON_VMRESUME] = "vmresume",
	[EXIT_REASON_VMWRITE] = "vmwrite",
	[EXIT_REASON_VMOFF] = "vmxoff",
	[EXIT_REASON_VMON] = "vmxon",
	[EXIT_REASON_CR_ACCESS] = "cr-access",
	[EXIT_REASON_DR_ACCESS] = "dr-access",
	[EXIT_REASON_IO_INSTRUCTION] = "io",
	[EXIT_REASON_MSR_READ] = "rdmsr",
	[EXIT_REASON_MSR_WRITE] = "wrmsr",
	[EXIT_REASON_INVALID_STATE] = "invalid-guest-state",
	[EXIT_REASON_MSR_LOAD_FAIL] = "msr-load-fail",
	[EXIT_REASON_MWAIT_INSTRUCTION] = "mwait",
	[EXIT_REASON_MONITOR_TRAP_FLAG] = "monitor-trap-flag",
	[EXIT_REASON_MONITOR_INSTRUCTION] = "monitor",
	[EXIT_REASON_PAUSE_INSTRUCTION] = "pause",
	[EXIT_REASON_MCE_DURING_VMENTRY] = "mce-during-entry",
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = "tpr-below-threshold",
	[EXIT_REASON_APIC_ACCESS] = "apic-access",
	[EXIT_REASON_EOI_INDUCED] = "eoi-induced",
	[EXIT_REASON_GDTR_IDTR] = "gdtr-idtr",
	[EXIT_REASON_LDTR_TR] = "ldtr-tr",
	[EXIT_REASON_EPT_VIOLATION] = "ept-violation",
	[EXIT_REASON_EPT_MISCONFIG] = "ept-misconfig",
	[EXIT_REASON_INVEPT] = "invept",
	[EXIT_REASON_RDTSCP] = "rdtscp",
	[EXIT_REASON_PREEMPTION_TIMER] = "preemption-timer",
	[EXIT_REASON_INVVPID] = "invvpid",
	[EXIT_REASON_WBINVD] = "wbinvd",
	[EXIT_REASON_XSETBV] = "xsetbv",
	[EXIT_REASON_APIC_WRITE] = "apic-write",
	[EXIT_REASON_RDRAND] = "rdrand",
	[EXIT_REASON_INVPCID] = "invpcid",
	[EXIT_REASON_VMFUNC] = "vmfunc",
	[EXIT_REASON_ENCLS] = "encls",
	[EXIT_REASON_RDSEED] = "rdseed",
	[EXIT_REASON_PML_FULL] = "pml-full",
	[EXIT_REASON_XSAVES] = "xsaves",
	[EXIT_REASON_XRSTORS] = "xrstors",
	[EXIT_REASON_UMWAIT] = "umwait",
	[EXIT_REASON_TPAUSE] = "tpause",
	[EXIT_REASON_BUS_LOCK] = "bus-lock",
	[EXIT_REASON_NOTIFY] = "notify",
};

const char *sv_exit_reason_name(unsigned int reason)
{
	return reason < SV_EXIT_REASONS ? sv_exit_names[reason] : NULL;
}
