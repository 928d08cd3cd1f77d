/* SPDX-License-Identifier: GPL-2.0 */
/* Module-wide state that the control interfaces report. */
#ifndef SPLITVISOR_CORE_H
#define SPLITVISOR_CORE_H

#include <splitvisor.h>

enum splitvisor_hv_state sv_hv_state(void);

#endif /* SPLITVISOR_CORE_H */
