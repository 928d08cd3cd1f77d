/* SPDX-License-Identifier: GPL-2.0 */
/* Between guest.c and guest_exit.c: a CPU given to a VM, hypervisor side. */
#ifndef SPLITVISOR_VMX_GUEST_HV_H
#define SPLITVISOR_VMX_GUEST_HV_H

#include "../vm/guest.h"
#include "vcpu.h"

/* Requests of the root and of the VM's other CPUs; a leave frame or 0. */
unsigned long sv_guest_requests(struct sv_vcpu *v, struct sv_guest_regs *r);
/* Make another CPU of the VM look at its requests. */
void sv_guest_kick(struct sv_gcpu *g);
/* Exit again right after the next entry, and the exit that follows. */
void sv_guest_exit_soon(struct sv_gcpu *g);
void sv_guest_exit_soon_done(struct sv_gcpu *g);
/* Crash and emergency reboot: every VM CPU out of VMX and halted. */
void sv_guest_emergency_stop_all(void);
/* The emulated local APIC as at power-on. */
void sv_guest_lapic_reset(struct sv_gcpu *g);

#endif /* SPLITVISOR_VMX_GUEST_HV_H */
