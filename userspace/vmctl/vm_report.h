/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VM commands print: one VM (show, create, and start, stop, load
 * with --json), the table of list, and the VM lines of monitor, as text
 * or as one line of JSON. Works on decoded VMs only, so it is testable
 * anywhere. Attributes the module did not send are left out.
 */
#ifndef VMCTL_VM_REPORT_H
#define VMCTL_VM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vm.h"

/*
 * @bytes in the largest binary unit that holds it whole: "64M", "1G",
 * "3K", "1000" (bytes). Returns the length as snprintf() does.
 */
size_t format_size(uint64_t bytes, char *buf, size_t len);

/* One "label: value" line per attribute. */
void report_vm_text(FILE *out, const struct sv_vm *vm);
/* {"name","state","cpus":[..],"mem_size",...} on one line. */
void report_vm_json(FILE *out, const struct sv_vm *vm);

/* A header "NAME STATE CPUS MEM EXITS", then one row per VM. */
void report_vm_list_text(FILE *out, const struct sv_vm_list *list);
/* An array of the objects of report_vm_json(), on one line. */
void report_vm_list_json(FILE *out, const struct sv_vm_list *list);

/* "vm NAME STATE", then " status N" or " crash KIND: TEXT" if sent. */
void report_vm_event_text(FILE *out, const struct sv_vm *vm);
/* The object of report_vm_json() with what the event carried. */
void report_vm_event_json(FILE *out, const struct sv_vm *vm);

#endif /* VMCTL_VM_REPORT_H */
