/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * splitvisor user API: the one contract between the splitvisor module and
 * its tools (vmctl, selftests).
 *
 * Two channels reach the module:
 *  - the character device /dev/splitvisor (mode 0600): ioctls below, and
 *    later bulk data such as guest images;
 *  - the generic netlink family "splitvisor": commands and attributes
 *    below, described in uapi/splitvisor.yaml (keep both in step:
 *    tools/check-uapi-spec verifies it).
 */
#ifndef _UAPI_SPLITVISOR_H
#define _UAPI_SPLITVISOR_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Version of this API. It grows when commands, attributes or ioctls are
 * added; existing numbers never change meaning.
 */
#define SPLITVISOR_API_VERSION		3

#define SPLITVISOR_DEVICE_PATH		"/dev/splitvisor"

/* ioctls on /dev/splitvisor; 0xBD is unused in ioctl-number.rst */
#define SPLITVISOR_IOC_MAGIC		0xBD

/* Fills a __u32 with SPLITVISOR_API_VERSION of the running module. */
#define SPLITVISOR_IOC_API_VERSION	_IOR(SPLITVISOR_IOC_MAGIC, 0x00, __u32)

/* Longest VM name, without its NUL; names are [A-Za-z0-9_.-], not empty. */
#define SPLITVISOR_VM_NAME_MAX		31
/* Longest guest command line, without its NUL. */
#define SPLITVISOR_VM_CMDLINE_MAX	1023
/* Largest guest image the device takes. */
#define SPLITVISOR_IMAGE_MAX		(64U << 20)
/* VM memory is taken and mapped in units of this size (2 MiB). */
#define SPLITVISOR_VM_MEM_UNIT		(2U << 20)

/* What a file descriptor of /dev/splitvisor is attached to. */
enum splitvisor_channel {
	/*
	 * write() and pwrite() put image bytes at the file offset into the
	 * VM's staged image (emptied by the attach); SPLITVISOR_CMD_VM_LOAD
	 * then checks and loads it.
	 */
	SPLITVISOR_CHANNEL_IMAGE = 1,
	/*
	 * read() gives the VM's console output from the file offset, a
	 * count of bytes since the VM was created; bytes older than the
	 * buffer (SPLITVISOR_CONSOLE_SIZE) are skipped. 0 at the end of
	 * what there is so far; poll() says when more came.
	 */
	SPLITVISOR_CHANNEL_CONSOLE = 2,
};

#define SPLITVISOR_CONSOLE_SIZE		(64U << 10)

struct splitvisor_attach {
	char name[SPLITVISOR_VM_NAME_MAX + 1];	/* NUL-terminated */
	__u32 channel;				/* enum splitvisor_channel */
	__u32 reserved;				/* 0 */
};

/* Attach the descriptor to one VM's image or console; once per descriptor. */
#define SPLITVISOR_IOC_ATTACH		_IOW(SPLITVISOR_IOC_MAGIC, 0x01, struct splitvisor_attach)

/*
 * What the root sees of the hypervisor through CPUID while it is on:
 * leaf 0x40000000 returns EAX = the highest hypervisor leaf and
 * EBX:ECX:EDX = "splitvisor\0\0"; leaf 0x40000001 returns EAX =
 * SPLITVISOR_API_VERSION. CPUID.1:ECX.VMX reads 0 (VMX belongs to
 * splitvisor) and CPUID.1:ECX.HYPERVISOR reads 1.
 */
#define SPLITVISOR_CPUID_SIGNATURE_LEAF	0x40000000
#define SPLITVISOR_CPUID_INFO_LEAF	0x40000001
#define SPLITVISOR_CPUID_SIGNATURE	"splitvisor\0\0"
#define SPLITVISOR_CPUID_SIG_EBX	0x696c7073	/* "spli" */
#define SPLITVISOR_CPUID_SIG_ECX	0x73697674	/* "tvis" */
#define SPLITVISOR_CPUID_SIG_EDX	0x0000726f	/* "or\0\0" */

/*
 * Hypercalls: VMCALL from the root at CPL 0 (at CPL 3 it raises #UD, as on
 * a CPU without a hypervisor). RAX = function, RBX, RCX, RDX = arguments.
 * On return RAX = 0 or a negative errno (-EOPNOTSUPP for an unknown
 * function, -EPERM for a bad cookie), RBX, RCX, RDX = results; other
 * registers are kept. On a CPU that is not virtualized VMCALL raises #UD.
 */
/* out: RBX = SPLITVISOR_HC_MAGIC, RCX = SPLITVISOR_API_VERSION */
#define SPLITVISOR_HC_VERSION		0x0
/* in: RBX = x; out: RBX = x + 1 */
#define SPLITVISOR_HC_PING		0x1
/*
 * out: RBX = the CPU's number (Linux's numbering), RCX = 1 (virtualized),
 * RDX = VM exits this CPU has taken since it was virtualized
 */
#define SPLITVISOR_HC_CPU_INFO		0x2
/*
 * The module's own: hands this CPU back to bare Linux (VMXOFF). in: RBX =
 * the cookie of the current enable; anything else gets -EPERM.
 */
#define SPLITVISOR_HC_LEAVE		0x100
/*
 * The module's own: unmap (RDX = 0) or map again (RDX = 1) for the root
 * the 2 MiB of physical memory at RCX (2 MiB aligned), as VMs take and
 * give back memory. in: RBX = the cookie.
 */
#define SPLITVISOR_HC_EPT_SET		0x101
/*
 * The module's own: drop this CPU's cached translations of the root's EPT
 * after an SPLITVISOR_HC_EPT_SET on another CPU. in: RBX = the cookie.
 */
#define SPLITVISOR_HC_EPT_SYNC		0x102

#define SPLITVISOR_HC_MAGIC		0x52535654494c5053ULL	/* "SPLITVSR" in memory order */

/* Generic netlink family */
#define SPLITVISOR_FAMILY_NAME		"splitvisor"
#define SPLITVISOR_FAMILY_VERSION	1
#define SPLITVISOR_MCGRP_EVENTS		"events"

/* State of the hypervisor as a whole. */
enum splitvisor_hv_state {
	SPLITVISOR_HV_STATE_OFF = 0,	/* VMX off, Linux runs bare */
	SPLITVISOR_HV_STATE_ON,		/* Linux runs as the root under VMX */
};

/*
 * Capabilities the hardware check looks at. The kernel reports each with
 * its name, so a tool older than the module can still show new ones.
 */
enum splitvisor_feature {
	SPLITVISOR_FEATURE_INTEL_CPU = 0,	/* vendor GenuineIntel */
	SPLITVISOR_FEATURE_VMX,			/* CPUID.1:ECX.VMX */
	SPLITVISOR_FEATURE_VMX_FIRMWARE,	/* IA32_FEATURE_CONTROL allows VMXON */
	SPLITVISOR_FEATURE_VMCS_WB,		/* VMCS accessible as write-back */
	SPLITVISOR_FEATURE_TRUE_CTLS,		/* IA32_VMX_TRUE_*_CTLS */
	SPLITVISOR_FEATURE_SECONDARY_CTLS,	/* secondary processor controls */
	SPLITVISOR_FEATURE_MSR_BITMAP,
	SPLITVISOR_FEATURE_IO_BITMAP,
	SPLITVISOR_FEATURE_EFER_CTLS,		/* save/load IA32_EFER on entry/exit */
	SPLITVISOR_FEATURE_PAT_CTLS,		/* save/load IA32_PAT on entry/exit */
	SPLITVISOR_FEATURE_EPT,
	SPLITVISOR_FEATURE_EPT_4LEVEL,		/* 4-level page walk */
	SPLITVISOR_FEATURE_EPT_WB,		/* write-back EPT paging structures */
	SPLITVISOR_FEATURE_EPT_2M,
	SPLITVISOR_FEATURE_EPT_1G,
	SPLITVISOR_FEATURE_EPT_AD,		/* EPT accessed/dirty flags */
	SPLITVISOR_FEATURE_INVEPT_SINGLE,	/* single-context INVEPT */
	SPLITVISOR_FEATURE_INVEPT_ALL,		/* all-context INVEPT */
	SPLITVISOR_FEATURE_VPID,
	SPLITVISOR_FEATURE_INVVPID_SINGLE,	/* single-context INVVPID */
	SPLITVISOR_FEATURE_INVVPID_ALL,		/* all-context INVVPID */
	SPLITVISOR_FEATURE_UNRESTRICTED_GUEST,
	SPLITVISOR_FEATURE_RDTSCP,		/* "enable RDTSCP" control */
	SPLITVISOR_FEATURE_INVPCID,		/* "enable INVPCID" control */
	SPLITVISOR_FEATURE_XSAVES,		/* "enable XSAVES/XRSTORS" control */
	SPLITVISOR_FEATURE_PREEMPTION_TIMER,
	SPLITVISOR_FEATURE_VIRTUAL_NMIS,	/* NMI exiting, virtual NMIs, NMI-window exiting */

	__SPLITVISOR_FEATURE_MAX,		/* how many there are */
	SPLITVISOR_FEATURE_MAX = (__SPLITVISOR_FEATURE_MAX - 1)
};

/* What the check found for one feature, over every online CPU. */
enum splitvisor_feature_state {
	SPLITVISOR_FEATURE_STATE_ABSENT = 0,
	SPLITVISOR_FEATURE_STATE_PRESENT,	/* present on every CPU checked */
	SPLITVISOR_FEATURE_STATE_UNKNOWN,	/* not checkable: a prerequisite is absent */
};

/* How much splitvisor needs a feature on this machine. */
enum splitvisor_feature_need {
	SPLITVISOR_FEATURE_NEED_REQUIRED = 0,	/* the hypervisor cannot run without it */
	SPLITVISOR_FEATURE_NEED_OPTIONAL,	/* used when present; a fallback exists */
};

/* IA32_FEATURE_CONTROL bits, for tools that explain the raw value. */
#define SPLITVISOR_FEATURE_CONTROL_LOCKED		_BITULL(0)
#define SPLITVISOR_FEATURE_CONTROL_VMX_INSIDE_SMX	_BITULL(1)
#define SPLITVISOR_FEATURE_CONTROL_VMX_OUTSIDE_SMX	_BITULL(2)

/*
 * SPLITVISOR_A_EXIT_REASON of the bucket for basic exit reasons (SDM
 * Appendix C) that the module does not count one by one.
 */
#define SPLITVISOR_EXIT_REASON_OTHER	0xffffffff

enum splitvisor_cmd {
	SPLITVISOR_CMD_UNSPEC = 0,
	SPLITVISOR_CMD_GET_STATUS,	/* do: module, API, hypervisor, hardware */
	SPLITVISOR_CMD_ENABLE,		/* do: switch the hypervisor on */
	SPLITVISOR_CMD_DISABLE,		/* do: switch the hypervisor off */
	SPLITVISOR_CMD_GET_STATS,	/* do: VM exit counters of every CPU */
	SPLITVISOR_CMD_HV_STATE_EVENT,	/* notify ("events"): state changed */
	/* VMs: requests and replies use attribute set "vm" at the top level. */
	SPLITVISOR_CMD_VM_CREATE,	/* do: NAME, CPU.. or NR_CPUS, MEM_SIZE[, CMDLINE] */
	SPLITVISOR_CMD_VM_LOAD,		/* do: NAME[, CMDLINE]: load the staged image */
	SPLITVISOR_CMD_VM_START,	/* do: NAME */
	SPLITVISOR_CMD_VM_STOP,		/* do: NAME: forcibly, whatever the guest does */
	SPLITVISOR_CMD_VM_DESTROY,	/* do: NAME: CPUs and memory back to Linux */
	SPLITVISOR_CMD_VM_GET,		/* do: NAME; dump: every VM */
	SPLITVISOR_CMD_VM_STATE_EVENT,	/* notify ("events"): a VM's state changed */

	__SPLITVISOR_CMD_MAX,
	SPLITVISOR_CMD_MAX = __SPLITVISOR_CMD_MAX - 1
};

/* Attribute set "status": top level of messages of the family. */
enum splitvisor_a {
	SPLITVISOR_A_UNSPEC = 0,
	SPLITVISOR_A_MODULE_VERSION,	/* string */
	SPLITVISOR_A_API_VERSION,	/* u32 */
	SPLITVISOR_A_HV_STATE,		/* u32, enum splitvisor_hv_state */
	SPLITVISOR_A_HW,		/* nest, attribute set "hw" */
	SPLITVISOR_A_CPUS_VIRTUALIZED,	/* u32, CPUs running under the hypervisor */
	SPLITVISOR_A_EXITS_TOTAL,	/* u64, VM exits of all CPUs */
	SPLITVISOR_A_PAD,
	SPLITVISOR_A_CPU,		/* nest, multi-attr, attribute set "cpu" */

	__SPLITVISOR_A_MAX,
	SPLITVISOR_A_MAX = __SPLITVISOR_A_MAX - 1
};

/* Attribute set "hw": the hardware check. */
enum splitvisor_a_hw {
	SPLITVISOR_A_HW_UNSPEC = 0,
	SPLITVISOR_A_HW_CAPABLE,	/* u8: 1 when every required feature is present */
	SPLITVISOR_A_HW_VENDOR,		/* string, CPUID.0 vendor */
	SPLITVISOR_A_HW_SIGNATURE,	/* u32, CPUID.1:EAX (family/model/stepping) */
	SPLITVISOR_A_HW_CPUS_CHECKED,	/* u32, online CPUs the check ran on */
	SPLITVISOR_A_HW_CPUS_DIFFER,	/* u8: 1 when the CPUs did not all agree */
	SPLITVISOR_A_HW_FEATURE_CONTROL, /* u64, IA32_FEATURE_CONTROL (boot CPU) */
	SPLITVISOR_A_HW_VMX_BASIC,	/* u64, IA32_VMX_BASIC (boot CPU) */
	SPLITVISOR_A_HW_EPT_VPID_CAP,	/* u64, IA32_VMX_EPT_VPID_CAP (boot CPU) */
	SPLITVISOR_A_HW_FEATURE,	/* nest, multi-attr, attribute set "feature" */
	SPLITVISOR_A_HW_PAD,

	__SPLITVISOR_A_HW_MAX,
	SPLITVISOR_A_HW_MAX = __SPLITVISOR_A_HW_MAX - 1
};

/* Attribute set "feature": one capability of the hardware check. */
enum splitvisor_a_feature {
	SPLITVISOR_A_FEATURE_UNSPEC = 0,
	SPLITVISOR_A_FEATURE_ID,	/* u32, enum splitvisor_feature */
	SPLITVISOR_A_FEATURE_NAME,	/* string, e.g. "ept-1g" */
	SPLITVISOR_A_FEATURE_STATE,	/* u32, enum splitvisor_feature_state */
	SPLITVISOR_A_FEATURE_NEED,	/* u32, enum splitvisor_feature_need */

	__SPLITVISOR_A_FEATURE_MAX,
	SPLITVISOR_A_FEATURE_MAX = __SPLITVISOR_A_FEATURE_MAX - 1
};

/*
 * Attribute set "cpu": the counters of one CPU since the hypervisor was
 * last switched on.
 */
enum splitvisor_a_cpu {
	SPLITVISOR_A_CPU_UNSPEC = 0,
	SPLITVISOR_A_CPU_CPU,		/* u32, the CPU's number (Linux's numbering) */
	SPLITVISOR_A_CPU_VIRTUALIZED,	/* u8: 1 when it runs under the hypervisor */
	SPLITVISOR_A_CPU_EXITS_TOTAL,	/* u64, every VM exit of the CPU */
	SPLITVISOR_A_CPU_HIDDEN_ACCESSES, /* u64, root touched hypervisor memory */
	SPLITVISOR_A_CPU_UNMAPPED_ACCESSES, /* u64, root touched unmapped memory */
	SPLITVISOR_A_CPU_EXIT,		/* nest, multi-attr, attribute set "exit" */
	SPLITVISOR_A_CPU_PAD,
	SPLITVISOR_A_CPU_NMIS,		/* u64, NMIs the hypervisor gave the root */
	SPLITVISOR_A_CPU_NMIS_IN_HYPERVISOR, /* u64, of those, arrived in the hypervisor */

	__SPLITVISOR_A_CPU_MAX,
	SPLITVISOR_A_CPU_MAX = __SPLITVISOR_A_CPU_MAX - 1
};

/* Attribute set "exit": VM exits of one CPU for one basic exit reason. */
enum splitvisor_a_exit {
	SPLITVISOR_A_EXIT_UNSPEC = 0,
	SPLITVISOR_A_EXIT_REASON,	/* u32, basic exit reason, or ..._OTHER */
	SPLITVISOR_A_EXIT_NAME,		/* string, e.g. "cpuid", "other" */
	SPLITVISOR_A_EXIT_COUNT,	/* u64 */
	SPLITVISOR_A_EXIT_PAD,

	__SPLITVISOR_A_EXIT_MAX,
	SPLITVISOR_A_EXIT_MAX = __SPLITVISOR_A_EXIT_MAX - 1
};

/* Life of a VM. */
enum splitvisor_vm_state {
	SPLITVISOR_VM_STATE_EMPTY = 0,	/* created, no image loaded */
	SPLITVISOR_VM_STATE_LOADED,	/* image loaded, never started */
	SPLITVISOR_VM_STATE_RUNNING,
	SPLITVISOR_VM_STATE_STOPPED,	/* stopped by request */
	SPLITVISOR_VM_STATE_EXITED,	/* the guest ended itself (exit port) */
	SPLITVISOR_VM_STATE_CRASHED,	/* stopped by the hypervisor: see CRASH_* */
	SPLITVISOR_VM_STATE_DESTROYED,	/* only in the event of its destruction */
};

/* Why a VM crashed. */
enum splitvisor_vm_crash {
	SPLITVISOR_VM_CRASH_NONE = 0,
	SPLITVISOR_VM_CRASH_TRIPLE_FAULT,
	SPLITVISOR_VM_CRASH_MEMORY,	/* access outside its memory: CRASH_ADDR */
	SPLITVISOR_VM_CRASH_UNHANDLED_EXIT, /* an exit the hypervisor does not emulate */
	SPLITVISOR_VM_CRASH_ENTRY_FAILED, /* the guest state could not be entered */
};

/*
 * The exit port: a guest writes a byte, word or dword to this I/O port to
 * end itself; the value is its exit status (QEMU's isa-debug-exit port).
 */
#define SPLITVISOR_VM_EXIT_PORT		0xf4
/* The guest's 16550 UART, whose output is the VM's console. */
#define SPLITVISOR_VM_UART_PORT		0x3f8

/* Attribute set "vm": one VM, in requests, replies and events. */
enum splitvisor_a_vm {
	SPLITVISOR_A_VM_UNSPEC = 0,
	SPLITVISOR_A_VM_NAME,		/* string, SPLITVISOR_VM_NAME_MAX */
	SPLITVISOR_A_VM_CPU,		/* u32, multi-attr: a CPU of the VM (Linux's number) */
	SPLITVISOR_A_VM_NR_CPUS,	/* u32, create: let the module choose this many */
	SPLITVISOR_A_VM_MEM_SIZE,	/* u64, bytes, a multiple of SPLITVISOR_VM_MEM_UNIT */
	SPLITVISOR_A_VM_CMDLINE,	/* string, SPLITVISOR_VM_CMDLINE_MAX */
	SPLITVISOR_A_VM_STATE,		/* u32, enum splitvisor_vm_state */
	SPLITVISOR_A_VM_EXIT_STATUS,	/* u32, value written to the exit port (EXITED) */
	SPLITVISOR_A_VM_CRASH,		/* u32, enum splitvisor_vm_crash (CRASHED) */
	SPLITVISOR_A_VM_CRASH_TEXT,	/* string: the crash in words */
	SPLITVISOR_A_VM_CRASH_EXIT_REASON, /* u32, the basic exit reason that crashed it */
	SPLITVISOR_A_VM_CRASH_RIP,	/* u64, guest RIP at the crash */
	SPLITVISOR_A_VM_CRASH_ADDR,	/* u64, guest-physical address (MEMORY) */
	SPLITVISOR_A_VM_ENTRY,		/* u64, guest-physical entry of the loaded image */
	SPLITVISOR_A_VM_IMAGE_SIZE,	/* u64, bytes of the loaded image */
	SPLITVISOR_A_VM_EXITS_TOTAL,	/* u64, VM exits of the VM's CPUs */
	SPLITVISOR_A_VM_EXIT,		/* nest, multi-attr, attribute set "exit" */
	SPLITVISOR_A_VM_IO_IGNORED,	/* u64, accesses to ports the VM has no device at */
	SPLITVISOR_A_VM_MSR_GP,		/* u64, MSR accesses answered with #GP */
	SPLITVISOR_A_VM_IPIS_DROPPED,	/* u64, IPIs aimed outside the VM */
	SPLITVISOR_A_VM_CONSOLE_BYTES,	/* u64, console bytes written since creation */
	SPLITVISOR_A_VM_PAD,
	SPLITVISOR_A_VM_ROOT_IRQS_DROPPED, /* u64, INITs and interrupts from the root, dropped */

	__SPLITVISOR_A_VM_MAX,
	SPLITVISOR_A_VM_MAX = __SPLITVISOR_A_VM_MAX - 1
};

#endif /* _UAPI_SPLITVISOR_H */
