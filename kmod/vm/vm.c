// SPDX-License-Identifier: GPL-2.0
/*
 * VMs, control side: CPUs are taken from Linux with CPU hotplug and handed
 * to the hypervisor through their mailboxes (vmx/guest.c); memory is taken
 * from the page allocator in 2 MiB chunks and unmapped for the root before
 * the VM's own EPT maps it. Destroying a VM gives both back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/msr-index.h>

#include "../ept/ept.h"
#include "../debugfs.h"
#include "../hv.h"
#include "../netlink.h"
#include "multiboot.h"
#include "vm.h"

#define SV_CHUNK_ORDER		(21 - PAGE_SHIFT)
/* Where things live in the control chunk, in pages. */
#define SV_CTL_HV		0
#define SV_CTL_MSR_BITMAP	4
#define SV_CTL_EPT_PML4		5
#define SV_CTL_EPT_PDPT		6
#define SV_CTL_EPT_PD		7
#define SV_CTL_VMCS		8
#define SV_MAX_VMS		64	/* VPIDs 2..65; 1 is the root's */
#define SV_REQUEST_TIMEOUT	(10 * HZ)
/* How often the root looks at running VMs for their ends and console output. */
#define SV_POLL_INTERVAL	msecs_to_jiffies(10)

static LIST_HEAD(sv_vms);
static DEFINE_MUTEX(sv_vms_lock);
static DECLARE_BITMAP(sv_vpids, SV_MAX_VMS);
static int sv_prepare_state = -1;
static void sv_vm_poll(struct work_struct *work);
static DECLARE_DELAYED_WORK(sv_poll_work, sv_vm_poll);

static void *sv_ctl_page(struct sv_vm *vm, unsigned int n)
{
	return page_address(vm->ctl) + n * PAGE_SIZE;
}

/*
 * Linux may not bring a CPU back while a VM holds it. EPERM, not EBUSY:
 * the sysfs "online" file retries EBUSY for over half a second, as if the
 * refusal were transient.
 */
static int sv_vm_cpu_prepare(unsigned int cpu)
{
	if (READ_ONCE(per_cpu_ptr(&sv_mailbox, cpu)->gcpu)) {
		pr_err("CPU %u belongs to a VM: destroy the VM to get it back\n", cpu);
		return -EPERM;
	}
	return 0;
}

/*
 * Post a request to the VM's @i-th CPU and wait for its answer. A request
 * not answered in time is remembered: the CPU may still be acting on it
 * (copying the image, running on the VM's VMCS and the hypervisor's
 * stack), so nothing it may use changes or goes until it answers; see
 * sv_vm_settle(). Under sv_vms_lock.
 */
static int sv_vm_request(struct sv_vm *vm, unsigned int i, enum sv_greq req)
{
	unsigned int cpu = vm->cpu[i];
	struct sv_mailbox *mb = per_cpu_ptr(&sv_mailbox, cpu);
	unsigned long deadline = jiffies + SV_REQUEST_TIMEOUT;
	u32 seq;

	if (vm->late_req[i])
		return -EBUSY;
	seq = READ_ONCE(mb->seq) + 1;
	WRITE_ONCE(mb->req, req);
	smp_wmb();	/* the request before its sequence number */
	WRITE_ONCE(mb->seq, seq);
	apic->send_IPI(cpu, NMI_VECTOR);
	while (READ_ONCE(mb->done) != seq) {
		if (time_after(jiffies, deadline)) {
			pr_err("VM %s: CPU %u did not answer request %u in %u s; the VM keeps its CPUs and memory until it does\n",
			       vm->name, cpu, req, SV_REQUEST_TIMEOUT / HZ);
			vm->late_req[i] = req;
			return -ETIMEDOUT;
		}
		usleep_range(100, 1000);
	}
	smp_rmb();	/* the answer was written before "done" */
	return READ_ONCE(mb->result);
}

static int sv_vm_request_all(struct sv_vm *vm, enum sv_greq req)
{
	unsigned int i;
	int err, ret = 0;

	for (i = 0; i < vm->cpus_taken; i++) {
		err = sv_vm_request(vm, i, req);
		if (err && !ret)
			ret = err;
	}
	return ret;
}

static const char sv_why_late[] =
	"a VM CPU has not answered the hypervisor: the VM keeps its CPUs and memory till then";
static const char sv_why_kept[] =
	"a CPU did not answer: the VM stays, holding what it took; destroy it once it answers";

/*
 * Catch up with requests that timed out: a CPU that answered since has
 * done what it was asked. Fails with -EBUSY while one has not answered.
 * Under sv_vms_lock, before anything else is asked of the VM.
 */
static int sv_vm_settle(struct sv_vm *vm, const char **why)
{
	bool started = false, late = false;
	struct sv_mailbox *mb;
	unsigned int i;
	int result;
	u32 req;

	for (i = 0; i < vm->nr_cpus; i++) {
		req = vm->late_req[i];
		if (!req)
			continue;
		mb = per_cpu_ptr(&sv_mailbox, vm->cpu[i]);
		if (READ_ONCE(mb->done) != READ_ONCE(mb->seq)) {
			late = true;
			continue;
		}
		smp_rmb();	/* the answer was written before "done" */
		result = READ_ONCE(mb->result);
		vm->late_req[i] = SV_GREQ_NONE;
		pr_info("VM %s: CPU %u answered request %u at last (%d)\n",
			vm->name, vm->cpu[i], req, result);
		if (result)
			continue;
		/* CPUs are taken bottom up and released top down. */
		if (req == SV_GREQ_TAKE)
			vm->cpus_taken++;
		else if (req == SV_GREQ_RELEASE)
			vm->cpus_taken--;
		else if (req == SV_GREQ_START)
			started = true;
	}
	if (late) {
		*why = sv_why_late;
		return -EBUSY;
	}
	/*
	 * A start given up on (the VM never went RUNNING) may have started
	 * the guest after all: park it.
	 */
	if (started && sv_vm_request_all(vm, SV_GREQ_STOP)) {
		*why = sv_why_late;
		return -EBUSY;
	}
	return 0;
}

static bool sv_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len > SPLITVISOR_VM_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

static struct sv_vm *sv_vm_find(const char *name)
{
	struct sv_vm *vm;

	list_for_each_entry(vm, &sv_vms, node)
		if (!strcmp(vm->name, name))
			return vm;
	return NULL;
}

static bool sv_cpu_claimed(unsigned int cpu)
{
	return READ_ONCE(per_cpu_ptr(&sv_mailbox, cpu)->gcpu);
}

static void sv_vm_release(struct kref *ref)
{
	struct sv_vm *vm = container_of(ref, struct sv_vm, ref);

	if (vm->image) {
		vfree(vm->image->bytes);
		free_page((unsigned long)vm->image->info);
		kfree(vm->image);
	}
	vfree(vm->staged);
	if (vm->console)
		free_pages((unsigned long)vm->console,
			   get_order(sizeof(*vm->console)));
	kfree(vm->report);
	kfree(vm->stats);
	kfree(vm->chunks);
	kfree(vm);
}

void sv_vm_put(struct sv_vm *vm)
{
	kref_put(&vm->ref, sv_vm_release);
}

struct sv_vm *sv_vm_get(const char *name)
{
	struct sv_vm *vm;

	mutex_lock(&sv_vms_lock);
	vm = sv_vm_find(name);
	if (vm)
		kref_get(&vm->ref);
	mutex_unlock(&sv_vms_lock);
	return vm;
}

struct sv_vm *sv_vm_get_nth(unsigned int idx)
{
	struct sv_vm *vm, *found = NULL;

	mutex_lock(&sv_vms_lock);
	list_for_each_entry(vm, &sv_vms, node)
		if (!idx--) {
			found = vm;
			kref_get(&vm->ref);
			break;
		}
	mutex_unlock(&sv_vms_lock);
	return found;
}

static void sv_vm_notify(struct sv_vm *vm)
{
	sv_netlink_notify_vm(vm);
}

/* Under sv_vms_lock. */
void sv_vm_refresh(struct sv_vm *vm)
{
	struct sv_vm_report *rep = vm->report;
	u32 seq = READ_ONCE(rep->seq);

	if (vm->state != SPLITVISOR_VM_STATE_RUNNING || seq == vm->report_seen)
		return;
	smp_rmb();	/* the report was written before its sequence number */
	vm->report_seen = seq;
	vm->state = READ_ONCE(rep->state);
	sv_vm_notify(vm);
}

void sv_vm_refresh_locked(struct sv_vm *vm)
{
	mutex_lock(&sv_vms_lock);
	if (!vm->destroyed)
		sv_vm_refresh(vm);
	mutex_unlock(&sv_vms_lock);
}

/* While VMs run: their ends become events, console output wakes readers. */
static void sv_vm_poll(struct work_struct *work)
{
	bool running = false;
	struct sv_vm *vm;

	if (!mutex_trylock(&sv_vms_lock)) {
		schedule_delayed_work(&sv_poll_work, SV_POLL_INTERVAL);
		return;
	}
	list_for_each_entry(vm, &sv_vms, node) {
		u64 head = READ_ONCE(vm->console->head);

		sv_vm_refresh(vm);
		if (head != vm->console_seen) {
			vm->console_seen = head;
			wake_up_interruptible(&vm->console_wait);
		}
		running |= vm->state == SPLITVISOR_VM_STATE_RUNNING;
	}
	mutex_unlock(&sv_vms_lock);
	if (running)
		schedule_delayed_work(&sv_poll_work, SV_POLL_INTERVAL);
}

void sv_vm_sum_stats(struct sv_vm *vm, struct sv_gcpu_stats *sum)
{
	unsigned int i, r;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < vm->nr_cpus; i++) {
		const struct sv_gcpu_stats *s = &vm->stats[i];

		sum->exits.total += READ_ONCE(s->exits.total);
		for (r = 0; r < SV_EXIT_REASONS; r++)
			sum->exits.by_reason[r] += READ_ONCE(s->exits.by_reason[r]);
		sum->exits.other += READ_ONCE(s->exits.other);
		sum->io_ignored += READ_ONCE(s->io_ignored);
		sum->msr_gp += READ_ONCE(s->msr_gp);
		sum->ipis_dropped += READ_ONCE(s->ipis_dropped);
		sum->root_irqs_dropped += READ_ONCE(s->root_irqs_dropped);
	}
}

/* Let the guest read (and, with @write, write) @msr without an exit. */
static void sv_vm_msr_pass(u8 *bitmap, u32 msr, bool write)
{
	/* Low MSRs: read bits at 0, write at 0x800; high: 0x400, 0xc00. */
	unsigned int base = msr >= 0xc0000000 ? 0x400 : 0;
	u32 bit = msr & 0x1fff;

	__clear_bit(bit, (unsigned long *)(bitmap + base));
	if (write)
		__clear_bit(bit, (unsigned long *)(bitmap + base + 0x800));
}

/*
 * Every MSR exits but those the VMCS switches itself (EFER, FS/GS base,
 * SYSENTER) and those the VM owns on its CPU, which the hypervisor resets
 * at each start and gives back to the root (vmx/guest_cpu.c): SYSCALL's,
 * KERNEL_GS_BASE and TSC_AUX (reads only). The CPU checks the values a
 * guest writes to these as it would anywhere.
 */
static void sv_vm_msr_bitmap(u8 *bitmap)
{
	static const u32 passthrough[] = {
		MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
		MSR_EFER, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
		MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	};
	/* Writes checked by the hypervisor: not every CPU faults on bits 63:32. */
	static const u32 read_only[] = { MSR_TSC_AUX };
	unsigned int i;

	memset(bitmap, 0xff, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(passthrough); i++)
		sv_vm_msr_pass(bitmap, passthrough[i], true);
	for (i = 0; i < ARRAY_SIZE(read_only); i++)
		sv_vm_msr_pass(bitmap, read_only[i], false);
}

/* Fill the control chunk while the root may still write it. */
static void sv_vm_fill_ctl(struct sv_vm *vm)
{
	struct sv_vm_hv *hv = sv_ctl_page(vm, SV_CTL_HV);
	u32 revision = sv_hv_vmcs_revision();
	unsigned int i;

	BUILD_BUG_ON(sizeof(*hv) > SV_CTL_MSR_BITMAP * PAGE_SIZE);
	BUILD_BUG_ON((SV_CTL_VMCS + SV_VM_MAX_CPUS) * PAGE_SIZE > SV_VM_CTL_SIZE);
	hv->mem_size = vm->mem_size;
	hv->nr_chunks = vm->nr_chunks;
	hv->nr_cpus = vm->nr_cpus;
	raw_spin_lock_init(&hv->lock);
	hv->report = vm->report;
	hv->console = vm->console;
	hv->image = vm->image;
	for (i = 0; i < vm->nr_chunks; i++)
		hv->chunk_pa[i] = page_to_phys(vm->chunks[i]);
	sv_vm_msr_bitmap(sv_ctl_page(vm, SV_CTL_MSR_BITMAP));
	hv->msr_bitmap_pa = page_to_phys(vm->ctl) + SV_CTL_MSR_BITMAP * PAGE_SIZE;
	hv->eptp = sv_ept_build_vm(sv_ctl_page(vm, SV_CTL_EPT_PML4),
				   sv_ctl_page(vm, SV_CTL_EPT_PDPT),
				   sv_ctl_page(vm, SV_CTL_EPT_PD),
				   hv->chunk_pa, vm->nr_chunks);
	for (i = 0; i < vm->nr_cpus; i++) {
		struct sv_gcpu *g = &hv->gcpu[i];

		g->vm = hv;
		g->index = i;
		g->cpu = vm->cpu[i];
		g->vpid = vm->vpid;
		g->vmcs = sv_ctl_page(vm, SV_CTL_VMCS + i);
		*(u32 *)g->vmcs = revision;
		g->stats = &vm->stats[i];
	}
}

static u64 sv_chunk_pa(struct sv_vm *vm, unsigned int i)
{
	return page_to_phys(i < vm->nr_chunks ? vm->chunks[i] : vm->ctl);
}

/*
 * A chunk goes back to Linux zeroed: what the VM kept there is not for the
 * root to read. The root may write it now that it is mapped again.
 */
static void sv_chunk_scrub_free(struct page *chunk)
{
	unsigned int i;

	for (i = 0; i < 1U << SV_CHUNK_ORDER; i++)
		clear_highpage(chunk + i);
	__free_pages(chunk, SV_CHUNK_ORDER);
}

/*
 * Undo whatever of a creation got done; under sv_vms_lock. A CPU that does
 * not leave the VM stops it there, with everything kept (a CPU still in
 * the VM may write the VM's memory and control structures, and runs on
 * the hypervisor's): called again, it goes on from there.
 */
static int sv_vm_teardown(struct sv_vm *vm, const char **why)
{
	unsigned int i, cpu;
	int err;

	err = sv_vm_settle(vm, why);
	if (err)
		return err;
	while (vm->cpus_taken) {
		err = sv_vm_request(vm, vm->cpus_taken - 1, SV_GREQ_RELEASE);
		if (err) {
			*why = sv_why_late;
			return err;
		}
		vm->cpus_taken--;
	}
	while (vm->cpus_offline) {
		cpu = vm->cpu[--vm->cpus_offline];
		WRITE_ONCE(per_cpu_ptr(&sv_mailbox, cpu)->gcpu, NULL);
		err = add_cpu(cpu);
		if (err)
			pr_err("VM %s: CPU %u cannot come back online (%d)\n",
			       vm->name, cpu, err);
	}
	/* Chunk index nr_chunks stands for the control chunk. */
	for (i = vm->chunks_hidden; i-- > 0; ) {
		err = sv_hv_ept_set(sv_chunk_pa(vm, i), true);
		if (!err)
			continue;
		/* Linux must not get memory it cannot reach: kept. */
		pr_err("VM %s: memory at 0x%llx not given back to the root (%d)\n",
		       vm->name, sv_chunk_pa(vm, i), err);
		if (i < vm->nr_chunks)
			vm->chunks[i] = NULL;
		else
			vm->ctl = NULL;
	}
	vm->chunks_hidden = 0;
	for (i = 0; vm->chunks && i < vm->nr_chunks; i++)
		if (vm->chunks[i])
			sv_chunk_scrub_free(vm->chunks[i]);
	vm->nr_chunks = 0;
	if (vm->ctl)
		sv_chunk_scrub_free(vm->ctl);
	vm->ctl = NULL;
	if (vm->vpid)
		clear_bit(vm->vpid - 2, sv_vpids);
	vm->vpid = 0;
	return 0;
}

static int sv_vm_pick_cpus(struct sv_vm *vm, const u32 *cpus,
			   unsigned int nr, const char **why)
{
	unsigned int i, j, cpu;

	if (!nr || nr > SV_VM_MAX_CPUS) {
		*why = "a VM has 1 to 8 CPUs";
		return -EINVAL;
	}
	if (nr >= num_online_cpus()) {
		*why = "the root must keep at least one online CPU";
		return -EBUSY;
	}
	if (!cpus) {
		for (i = 0, cpu = nr_cpu_ids; cpu-- > 1 && i < nr; )
			if (cpu_online(cpu) && !sv_cpu_claimed(cpu))
				vm->cpu[i++] = cpu;
		if (i < nr) {
			*why = "not enough free online CPUs (CPU 0 stays with the root)";
			return -EBUSY;
		}
		vm->nr_cpus = nr;
		return 0;
	}
	for (i = 0; i < nr; i++) {
		if (cpus[i] == 0) {
			*why = "CPU 0 stays with the root";
			return -EINVAL;
		}
		if (cpus[i] >= nr_cpu_ids || !cpu_possible(cpus[i])) {
			*why = "no such CPU";
			return -ENODEV;
		}
		for (j = 0; j < i; j++)
			if (cpus[j] == cpus[i]) {
				*why = "a CPU is named twice";
				return -EINVAL;
			}
		if (sv_cpu_claimed(cpus[i])) {
			*why = "a CPU already belongs to another VM";
			return -EBUSY;
		}
		if (!cpu_online(cpus[i])) {
			*why = "a CPU is offline in Linux (bring it online first)";
			return -EBUSY;
		}
		vm->cpu[i] = cpus[i];
	}
	vm->nr_cpus = nr;
	return 0;
}

static int sv_vm_alloc(struct sv_vm *vm, const char **why)
{
	unsigned int i;

	vm->stats = kcalloc(vm->nr_cpus, sizeof(*vm->stats), GFP_KERNEL);
	vm->report = kzalloc(sizeof(*vm->report), GFP_KERNEL);
	vm->image = kzalloc(sizeof(*vm->image), GFP_KERNEL);
	vm->console = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					       get_order(sizeof(*vm->console)));
	vm->chunks = kcalloc(vm->nr_chunks, sizeof(*vm->chunks), GFP_KERNEL);
	if (!vm->stats || !vm->report || !vm->image || !vm->console || !vm->chunks) {
		*why = "out of memory for the VM's bookkeeping";
		return -ENOMEM;
	}
	vm->ctl = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
			      __GFP_RETRY_MAYFAIL, SV_CHUNK_ORDER);
	if (!vm->ctl) {
		*why = "cannot take 2 MiB of contiguous memory for the VM's control structures";
		return -ENOMEM;
	}
	for (i = 0; i < vm->nr_chunks; i++) {
		vm->chunks[i] = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
					    __GFP_RETRY_MAYFAIL, SV_CHUNK_ORDER);
		if (!vm->chunks[i]) {
			*why = "cannot take that much memory from Linux in 2 MiB chunks";
			return -ENOMEM;
		}
	}
	return 0;
}

/* Unmap the VM's memory and control chunk for the root; then take its CPUs. */
static int sv_vm_take(struct sv_vm *vm, const char **why)
{
	unsigned int i;
	int err;

	for (i = 0; i <= vm->nr_chunks; i++) {
		err = sv_hv_ept_set(sv_chunk_pa(vm, i), false);
		if (err) {
			*why = "cannot unmap the VM's memory for the root";
			return err;
		}
		vm->chunks_hidden++;
	}
	for (i = 0; i < vm->nr_cpus; i++) {
		unsigned int cpu = vm->cpu[i];
		struct sv_vm_hv *hv = sv_ctl_page(vm, SV_CTL_HV);

		/* A pointer only: the root never dereferences hidden memory. */
		WRITE_ONCE(per_cpu_ptr(&sv_mailbox, cpu)->gcpu, &hv->gcpu[i]);
		err = remove_cpu(cpu);
		if (err) {
			WRITE_ONCE(per_cpu_ptr(&sv_mailbox, cpu)->gcpu, NULL);
			*why = "Linux refused to offline a CPU (see the kernel log)";
			return err;
		}
		vm->cpus_offline++;
		err = sv_vm_request(vm, i, SV_GREQ_TAKE);
		if (err) {
			*why = "the hypervisor could not take an offlined CPU";
			return err;
		}
		vm->cpus_taken++;
	}
	return 0;
}

int sv_vm_create(const char *name, const u32 *cpus, unsigned int nr_cpus,
		 u64 mem_size, const char *cmdline, const char **why)
{
	const char *kept_why;
	struct sv_vm *vm;
	long avail;
	int err, vpid;

	if (!sv_name_valid(name)) {
		*why = "a VM name is 1 to 31 characters of A-Z a-z 0-9 _ . -";
		return -EINVAL;
	}
	if (!mem_size || mem_size % SPLITVISOR_VM_MEM_UNIT) {
		*why = "memory must be a positive multiple of 2 MiB";
		return -EINVAL;
	}
	if (mem_size > (u64)SV_VM_MAX_CHUNKS * SZ_2M) {
		*why = "a VM has at most 1 GiB of memory";
		return -E2BIG;
	}
	if (cmdline && strlen(cmdline) > SPLITVISOR_VM_CMDLINE_MAX) {
		*why = "command line too long";
		return -E2BIG;
	}
	/*
	 * A VM pins the module and the hypervisor from before it takes
	 * anything until it gave everything back: rmmod or disable cannot
	 * free them under CPUs a creation under way has taken.
	 */
	if (!try_module_get(THIS_MODULE)) {
		*why = "splitvisor is being unloaded";
		return -ENODEV;
	}
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm) {
		module_put(THIS_MODULE);
		return -ENOMEM;
	}
	kref_init(&vm->ref);
	init_waitqueue_head(&vm->console_wait);
	strscpy(vm->name, name, sizeof(vm->name));
	if (cmdline)
		strscpy(vm->cmdline, cmdline, sizeof(vm->cmdline));
	vm->mem_size = mem_size;
	vm->nr_chunks = mem_size / SZ_2M;

	mutex_lock(&sv_vms_lock);
	err = sv_hv_get(why);
	if (err)
		goto fail_unlock;
	if (sv_vm_find(name)) {
		*why = "a VM of that name exists";
		err = -EEXIST;
		goto fail;
	}
	vpid = find_first_zero_bit(sv_vpids, SV_MAX_VMS);
	if (vpid >= SV_MAX_VMS) {
		*why = "too many VMs";
		err = -ENOSPC;
		goto fail;
	}
	cpus_read_lock();
	err = sv_vm_pick_cpus(vm, cpus, nr_cpus, why);
	cpus_read_unlock();
	if (err)
		goto fail;
	avail = si_mem_available();
	if ((mem_size + SZ_2M) >> PAGE_SHIFT > avail) {
		*why = "not that much memory available in Linux (see MemAvailable)";
		err = -ENOMEM;
		goto fail;
	}
	err = sv_vm_alloc(vm, why);
	if (err)
		goto fail_teardown;
	set_bit(vpid, sv_vpids);
	vm->vpid = vpid + 2;
	sv_vm_fill_ctl(vm);
	err = sv_vm_take(vm, why);
	if (err)
		goto fail_teardown;

	vm->state = SPLITVISOR_VM_STATE_EMPTY;
	list_add_tail(&vm->node, &sv_vms);
	pr_info("VM %s created: %u CPUs, %llu MiB\n", vm->name, vm->nr_cpus,
		mem_size >> 20);
	sv_vm_notify(vm);
	mutex_unlock(&sv_vms_lock);
	return 0;

fail_teardown:
	if (sv_vm_teardown(vm, &kept_why)) {
		/* Not undone: listed, so that destroy can finish it later. */
		*why = sv_why_kept;
		vm->state = SPLITVISOR_VM_STATE_EMPTY;
		list_add_tail(&vm->node, &sv_vms);
		sv_vm_notify(vm);
		mutex_unlock(&sv_vms_lock);
		return err;
	}
fail:
	sv_hv_put();
fail_unlock:
	mutex_unlock(&sv_vms_lock);
	sv_vm_put(vm);
	module_put(THIS_MODULE);
	return err;
}

/*
 * A VM by name, its state brought up to date and its late answers caught
 * up with, ready to be asked something; under sv_vms_lock. NULL with *@err
 * and @why if there is none or a CPU of it has still not answered.
 */
static struct sv_vm *sv_vm_lookup(const char *name, const char **why, int *err)
{
	struct sv_vm *vm = sv_vm_find(name);

	if (!vm) {
		*why = "no VM of that name";
		*err = -ENOENT;
		return NULL;
	}
	sv_vm_refresh(vm);
	*err = sv_vm_settle(vm, why);
	return *err ? NULL : vm;
}

int sv_vm_load(const char *name, const char *cmdline, const char **why)
{
	/* Outlives the call: the netlink core reads it after we return. */
	static char reason[160];
	struct sv_vm_image *img;
	struct sv_mb_plan *plan;
	struct sv_vm *vm;
	u8 *info;
	int err;

	mutex_lock(&sv_vms_lock);
	vm = sv_vm_lookup(name, why, &err);
	if (!vm)
		goto out;
	err = -EBUSY;
	if (vm->state == SPLITVISOR_VM_STATE_RUNNING) {
		*why = "the VM is running: stop it first";
		goto out;
	}
	err = -ENODATA;
	if (!vm->staged_size) {
		*why = "no image was written to the device for this VM";
		goto out;
	}
	if (cmdline && strlen(cmdline) > SPLITVISOR_VM_CMDLINE_MAX) {
		*why = "command line too long";
		err = -E2BIG;
		goto out;
	}
	err = -ENOMEM;
	plan = kzalloc(sizeof(*plan), GFP_KERNEL);
	info = (u8 *)get_zeroed_page(GFP_KERNEL);
	if (!plan || !info) {
		kfree(plan);
		free_page((unsigned long)info);
		goto out;
	}
	reason[0] = '\0';
	err = sv_mb_parse(vm->staged, vm->staged_size, vm->mem_size, plan,
			  reason, sizeof(reason));
	if (err) {
		*why = reason;
		kfree(plan);
		free_page((unsigned long)info);
		goto out;
	}
	if (cmdline)
		strscpy(vm->cmdline, cmdline, sizeof(vm->cmdline));
	img = vm->image;
	vfree(img->bytes);
	free_page((unsigned long)img->info);
	img->plan = *plan;
	img->info_ptr = sv_mb_build_info(info, vm->mem_size, vm->cmdline);
	img->info = info;
	img->size = vm->staged_size;
	img->bytes = vm->staged;
	vm->staged = NULL;
	vm->staged_size = 0;
	vm->staged_cap = 0;
	kfree(plan);
	vm->state = SPLITVISOR_VM_STATE_LOADED;
	sv_vm_notify(vm);
	err = 0;
out:
	mutex_unlock(&sv_vms_lock);
	return err;
}

int sv_vm_start(const char *name, const char **why)
{
	struct sv_vm *vm;
	int err;

	mutex_lock(&sv_vms_lock);
	vm = sv_vm_lookup(name, why, &err);
	if (!vm)
		goto out;
	err = -EBUSY;
	if (vm->state == SPLITVISOR_VM_STATE_RUNNING) {
		*why = "the VM is running already";
		goto out;
	}
	err = -ENODATA;
	if (vm->state == SPLITVISOR_VM_STATE_EMPTY || !vm->image->bytes) {
		*why = "no image loaded (vmctl load)";
		goto out;
	}
	vm->report_seen = READ_ONCE(vm->report->seq);
	/* The first CPU loads the image; the others then wait for its SIPIs. */
	err = sv_vm_request_all(vm, SV_GREQ_START);
	if (err) {
		*why = err == -ETIMEDOUT ? sv_why_late :
		       "the VM's CPUs could not start it (image load failed?)";
		sv_vm_request_all(vm, SV_GREQ_STOP);
		goto out;
	}
	vm->state = SPLITVISOR_VM_STATE_RUNNING;
	sv_vm_notify(vm);
	schedule_delayed_work(&sv_poll_work, SV_POLL_INTERVAL);
out:
	mutex_unlock(&sv_vms_lock);
	return err;
}

int sv_vm_stop(const char *name, const char **why)
{
	struct sv_vm *vm;
	int err;

	mutex_lock(&sv_vms_lock);
	vm = sv_vm_lookup(name, why, &err);
	if (!vm)
		goto out;
	err = -EINVAL;
	if (vm->state != SPLITVISOR_VM_STATE_RUNNING) {
		*why = "the VM is not running";
		goto out;
	}
	err = sv_vm_request_all(vm, SV_GREQ_STOP);
	if (err) {
		*why = err == -ETIMEDOUT ? sv_why_late : "a CPU of the VM did not stop";
		goto out;
	}
	sv_vm_refresh(vm);
	if (vm->state == SPLITVISOR_VM_STATE_RUNNING) {
		vm->state = SPLITVISOR_VM_STATE_STOPPED;
		sv_vm_notify(vm);
	}
out:
	mutex_unlock(&sv_vms_lock);
	return err;
}

int sv_vm_destroy(const char *name, const char **why)
{
	struct sv_vm *vm;
	int err;

	mutex_lock(&sv_vms_lock);
	vm = sv_vm_lookup(name, why, &err);
	if (!vm)
		goto out;
	if (vm->state == SPLITVISOR_VM_STATE_RUNNING &&
	    !sv_vm_request_all(vm, SV_GREQ_STOP)) {
		sv_vm_refresh(vm);
		if (vm->state == SPLITVISOR_VM_STATE_RUNNING) {
			vm->state = SPLITVISOR_VM_STATE_STOPPED;
			sv_vm_notify(vm);
		}
	}
	/* A CPU that did not stop fails the teardown: the VM stays. */
	err = sv_vm_teardown(vm, why);
	if (err)
		goto out;
	list_del(&vm->node);
	vm->state = SPLITVISOR_VM_STATE_DESTROYED;
	vm->destroyed = true;
	sv_vm_notify(vm);
	wake_up_interruptible(&vm->console_wait);
	pr_info("VM %s destroyed: CPUs and memory back to Linux\n", vm->name);
	sv_hv_put();
	mutex_unlock(&sv_vms_lock);
	sv_vm_put(vm);
	module_put(THIS_MODULE);
	return 0;
out:
	mutex_unlock(&sv_vms_lock);
	return err;
}

void sv_vm_stage_reset(struct sv_vm *vm)
{
	mutex_lock(&sv_vms_lock);
	vfree(vm->staged);
	vm->staged = NULL;
	vm->staged_size = 0;
	vm->staged_cap = 0;
	mutex_unlock(&sv_vms_lock);
}

ssize_t sv_vm_stage_write(struct sv_vm *vm, const char __user *buf,
			  size_t len, loff_t *pos)
{
	size_t end, copied;
	ssize_t ret;

	if (*pos < 0 || *pos > SPLITVISOR_IMAGE_MAX ||
	    len > SPLITVISOR_IMAGE_MAX - *pos)
		return -EFBIG;
	end = *pos + len;
	mutex_lock(&sv_vms_lock);
	ret = -ENODEV;
	if (vm->destroyed)
		goto out;
	if (end > vm->staged_cap) {
		/* Grow by doubling, so a stream of writes stays linear. */
		size_t cap = max_t(size_t, end, min_t(size_t, 2 * vm->staged_cap,
						      SPLITVISOR_IMAGE_MAX));
		u8 *bigger = vzalloc(cap);

		ret = -ENOMEM;
		if (!bigger)
			goto out;
		if (vm->staged)
			memcpy(bigger, vm->staged, vm->staged_size);
		vfree(vm->staged);
		vm->staged = bigger;
		vm->staged_cap = cap;
	}
	/*
	 * As a file does: a write that faults part way keeps the bytes before
	 * the fault and says how many; one that copies nothing stages nothing.
	 */
	copied = len - copy_from_user(vm->staged + *pos, buf, len);
	ret = -EFAULT;
	if (len && !copied)
		goto out;
	*pos += copied;
	vm->staged_size = max_t(size_t, vm->staged_size, *pos);
	ret = copied;
out:
	mutex_unlock(&sv_vms_lock);
	return ret;
}

bool sv_vm_console_ready(struct sv_vm *vm, loff_t pos)
{
	return READ_ONCE(vm->console->head) > pos || READ_ONCE(vm->destroyed);
}

ssize_t sv_vm_console_read(struct sv_vm *vm, char __user *buf, size_t len,
			   loff_t *pos)
{
	const struct sv_vm_console *con = vm->console;
	u64 head, start, n, off;
	char *bounce;
	ssize_t ret;

	len = min_t(size_t, len, PAGE_SIZE);
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	for (;;) {
		head = READ_ONCE(con->head);
		smp_rmb();	/* bytes below head were written before it */
		start = max_t(u64, *pos, head > SPLITVISOR_CONSOLE_SIZE ?
				head - SPLITVISOR_CONSOLE_SIZE : 0);
		if (start >= head) {
			ret = READ_ONCE(vm->destroyed) ? -ENODEV : 0;
			goto out;
		}
		n = min_t(u64, len, head - start);
		for (off = 0; off < n; off++)
			bounce[off] = con->buf[(start + off) % SPLITVISOR_CONSOLE_SIZE];
		smp_rmb();	/* the copy before the look for overwriting */
		/* Overwritten while copying: start again from what is left. */
		if (READ_ONCE(con->head) - start <= SPLITVISOR_CONSOLE_SIZE)
			break;
	}
	ret = -EFAULT;
	if (copy_to_user(buf, bounce, n))
		goto out;
	*pos = start + n;
	ret = n;
out:
	kfree(bounce);
	return ret;
}

void sv_vm_show_memory(struct seq_file *m)
{
	struct sv_vm *vm;
	unsigned int i;

	mutex_lock(&sv_vms_lock);
	list_for_each_entry(vm, &sv_vms, node)
		for (i = 0; i <= vm->nr_chunks; i++)
			seq_printf(m, "%s 0x%llx 0x%llx %s\n", vm->name,
				   sv_chunk_pa(vm, i), sv_chunk_pa(vm, i) + SZ_2M,
				   i < vm->nr_chunks ? "memory" : "control");
	mutex_unlock(&sv_vms_lock);
}

/*
 * An orderly reboot, power-off or kexec destroys the VMs first, so that
 * every CPU is Linux's again when the hypervisor's own notifier (which
 * runs after this one) switches it off: otherwise the hypervisor could not
 * go off, and a kexec'd kernel would find its CPUs still running guests.
 */
static int sv_vm_reboot_notify(struct notifier_block *nb, unsigned long action,
			       void *data)
{
	char name[SPLITVISOR_VM_NAME_MAX + 1];
	const char *why;
	struct sv_vm *vm;

	for (;;) {
		mutex_lock(&sv_vms_lock);
		vm = list_first_entry_or_null(&sv_vms, struct sv_vm, node);
		if (vm)
			strscpy(name, vm->name, sizeof(name));
		mutex_unlock(&sv_vms_lock);
		if (!vm)
			break;
		pr_info("VM %s destroyed for the reboot\n", name);
		if (sv_vm_destroy(name, &why)) {
			pr_err("VM %s could not be destroyed before the reboot\n", name);
			break;
		}
	}
	return NOTIFY_DONE;
}

static struct notifier_block sv_vm_reboot_nb = {
	.notifier_call = sv_vm_reboot_notify,
	.priority = 1,		/* before the hypervisor's, at 0 */
};

int sv_vm_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "splitvisor:vm-cpus",
					sv_vm_cpu_prepare, NULL);
	if (ret < 0)
		return ret;
	sv_prepare_state = ret;
	ret = register_reboot_notifier(&sv_vm_reboot_nb);
	if (ret) {
		cpuhp_remove_state_nocalls(sv_prepare_state);
		sv_prepare_state = -1;
	}
	return ret;
}

void sv_vm_exit(void)
{
	unregister_reboot_notifier(&sv_vm_reboot_nb);
	cancel_delayed_work_sync(&sv_poll_work);
	if (sv_prepare_state >= 0)
		cpuhp_remove_state_nocalls(sv_prepare_state);
}
