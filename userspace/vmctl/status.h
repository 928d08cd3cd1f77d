/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module reports for SPLITVISOR_CMD_GET_STATUS, decoded from
 * netlink into plain C so that everything printing it stays free of libnl
 * and can be tested on any host.
 */
#ifndef VMCTL_STATUS_H
#define VMCTL_STATUS_H

#include <stdbool.h>
#include <stdint.h>

/* Room for features of modules newer than this vmctl, too. */
#define HW_MAX_FEATURES		128
#define HW_FEATURE_NAME_LEN	48

struct hw_feature {
	uint32_t id;			/* enum splitvisor_feature */
	char name[HW_FEATURE_NAME_LEN];
	uint32_t state;			/* enum splitvisor_feature_state */
	uint32_t need;			/* enum splitvisor_feature_need */
};

struct hw_report {
	bool capable;
	char vendor[32];
	uint32_t signature;		/* CPUID.1:EAX */
	uint32_t cpus_checked;
	bool cpus_differ;
	uint64_t feature_control;	/* raw IA32_FEATURE_CONTROL */
	uint64_t vmx_basic;
	uint64_t ept_vpid_cap;
	unsigned int nr_features;
	struct hw_feature features[HW_MAX_FEATURES];
};

struct sv_status {
	char module_version[64];
	uint32_t api_version;
	uint32_t hv_state;		/* enum splitvisor_hv_state */
	/* API 2: the reply carried CPUS_VIRTUALIZED and EXITS_TOTAL */
	bool has_counters;
	uint32_t cpus_virtualized;
	uint64_t exits;			/* VM exits of all CPUs */
	bool has_hw;			/* the reply carried SPLITVISOR_A_HW */
	struct hw_report hw;
};

#endif /* VMCTL_STATUS_H */
