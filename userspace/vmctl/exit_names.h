/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Short names of the basic VM-exit reasons (SDM Appendix C), the same the
 * module gives its counters: for exit reasons the module reports by
 * number only, such as the one that crashed a VM.
 */
#ifndef VMCTL_EXIT_NAMES_H
#define VMCTL_EXIT_NAMES_H

#include <stdint.h>

/* "cpuid", "ept-violation", ...; NULL for a reason without a name. */
const char *exit_reason_name(uint32_t reason);

#endif /* VMCTL_EXIT_NAMES_H */
