// SPDX-License-Identifier: GPL-2.0
/* Kept in step with the module's own table of exit names. */
#include <stddef.h>

#include "exit_names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const exit_names[] = {
	[0] = "exception-nmi",
	[1] = "external-interrupt",
	[2] = "triple-fault",
	[3] = "init",
	[4] = "sipi",
	[7] = "interrupt-window",
	[8] = "nmi-window",
	[9] = "task-switch",
	[10] = "cpuid",
	[11] = "getsec",
	[12] = "hlt",
	[13] = "invd",
	[14] = "invlpg",
	[15] = "rdpmc",
	[16] = "rdtsc",
	[18] = "vmcall",
	[19] = "vmclear",
	[20] = "vmlaunch",
	[21] = "vmptrld",
	[22] = "vmptrst",
	[23] = "vmread",
	[24] = "vmresume",
	[25] = "vmwrite",
	[26] = "vmxoff",
	[27] = "vmxon",
	[28] = "cr-access",
	[29] = "dr-access",
	[30] = "io",
	[31] = "rdmsr",
	[32] = "wrmsr",
	[33] = "invalid-guest-state",
	[34] = "msr-load-fail",
	[36] = "mwait",
	[37] = "monitor-trap-flag",
	[39] = "monitor",
	[40] = "pause",
	[41] = "mce-during-entry",
	[43] = "tpr-below-threshold",
	[44] = "apic-access",
	[45] = "eoi-induced",
	[46] = "gdtr-idtr",
	[47] = "ldtr-tr",
	[48] = "ept-violation",
	[49] = "ept-misconfig",
	[50] = "invept",
	[51] = "rdtscp",
	[52] = "preemption-timer",
	[53] = "invvpid",
	[54] = "wbinvd",
	[55] = "xsetbv",
	[56] = "apic-write",
	[57] = "rdrand",
	[58] = "invpcid",
	[59] = "vmfunc",
	[60] = "encls",
	[61] = "rdseed",
	[62] = "pml-full",
	[63] = "xsaves",
	[64] = "xrstors",
	[67] = "umwait",
	[68] = "tpause",
	[74] = "bus-lock",
	[75] = "notify",
};

const char *exit_reason_name(uint32_t reason)
{
	if (reason >= ARRAY_SIZE(exit_names))
		return NULL;
	return exit_names[reason];
}
