// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's lifecycle: everything is allocated and the root's EPT
 * built before any CPU is touched; CPUs are then virtualized through a
 * CPU-hotplug state, so the kernel itself runs the per-CPU step on every
 * online CPU (and on CPUs onlined later), rolls back on failure, and
 * devirtualizes CPUs on their way offline.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/suspend.h>
#include <asm/reboot.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "../compat.h"
#include "../ept/ept.h"
#include "../ept/mtrr.h"
#include "../hwcheck.h"
#include "../debugfs.h"
#include "../netlink.h"
#include "../vm/guest.h"
#include "guest_hv.h"
#include "insn.h"
#include "vcpu.h"

struct sv_hidden_range {
	u64 start;
	u64 end;
	const char *what;
	int cpu;			/* -1: shared by all CPUs */
};

struct sv_hv_shared sv_shared;
struct sv_ept sv_root_ept;

static DEFINE_MUTEX(sv_hv_lock);
static enum splitvisor_hv_state sv_state;
static unsigned int sv_hv_users;	/* VMs, and creations under way */
static int sv_cpuhp_state;
static struct sv_vcpu **sv_vcpus;
static struct sv_exit_stats __percpu *sv_stats;
static struct page *sv_msr_bitmap;
static struct page *sv_host_pgd;
static struct page *sv_host_idt;
static struct sv_hidden_range *sv_hidden;
static unsigned int sv_nr_hidden, sv_max_hidden;

static int sv_hide(u64 pa, size_t size, const char *what, int cpu)
{
	u64 off;
	int err;

	for (off = 0; off < size; off += PAGE_SIZE) {
		err = sv_ept_hide_page(&sv_root_ept, pa + off);
		if (err)
			return err;
	}
	if (sv_nr_hidden < sv_max_hidden)
		sv_hidden[sv_nr_hidden++] = (struct sv_hidden_range){
			.start = pa, .end = pa + size, .what = what, .cpu = cpu,
		};
	return 0;
}

static void sv_free_vcpu(struct sv_vcpu *v)
{
	if (!v)
		return;
	if (v->stack)
		free_pages((unsigned long)v->stack, SV_HOST_STACK_ORDER);
	if (v->vmcs)
		free_page((unsigned long)v->vmcs);
	if (v->vmxon)
		free_page((unsigned long)v->vmxon);
	free_page((unsigned long)v);
}

static struct sv_vcpu *sv_alloc_vcpu(unsigned int cpu, u32 revision)
{
	int node = cpu_to_node(cpu);
	struct sv_vcpu *v;
	struct page *p;

	BUILD_BUG_ON(sizeof(*v) > PAGE_SIZE);
	p = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, 0);
	if (!p)
		return NULL;
	v = page_address(p);
	v->cpu = cpu;
	v->stats = per_cpu_ptr(sv_stats, cpu);
	p = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, 0);
	v->vmxon = p ? page_address(p) : NULL;
	p = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, 0);
	v->vmcs = p ? page_address(p) : NULL;
	p = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, SV_HOST_STACK_ORDER);
	v->stack = p ? page_address(p) : NULL;
	if (!v->vmxon || !v->vmcs || !v->stack) {
		sv_free_vcpu(v);
		return NULL;
	}
	*(u32 *)v->vmxon = revision;
	*(u32 *)v->vmcs = revision;
	v->vmxon_pa = __pa(v->vmxon);
	v->vmcs_pa = __pa(v->vmcs);
	return v;
}

static void sv_free_all(void)
{
	unsigned int cpu;

	if (sv_vcpus) {
		for_each_possible_cpu(cpu)
			sv_free_vcpu(sv_vcpus[cpu]);
		kfree(sv_vcpus);
		sv_vcpus = NULL;
	}
	sv_ept_free(&sv_root_ept);
	if (sv_msr_bitmap)
		__free_page(sv_msr_bitmap);
	sv_msr_bitmap = NULL;
	if (sv_host_pgd)
		__free_page(sv_host_pgd);
	sv_host_pgd = NULL;
	if (sv_host_idt)
		__free_page(sv_host_idt);
	sv_host_idt = NULL;
	kfree(sv_hidden);
	sv_hidden = NULL;
	sv_nr_hidden = 0;
}

/* Reads and writes of the VMX MSRs exit; every other MSR passes through. */
static void sv_msr_bitmap_init(u8 *bitmap)
{
	u32 msr;

	for (msr = MSR_IA32_VMX_BASIC; msr <= 0x493; msr++) {
		__set_bit(msr, (unsigned long *)bitmap);
		__set_bit(msr, (unsigned long *)(bitmap + 0x800));
	}
	__set_bit(MSR_IA32_FEAT_CTL, (unsigned long *)bitmap);
	__set_bit(MSR_IA32_FEAT_CTL, (unsigned long *)(bitmap + 0x800));
}

/*
 * The hypervisor's own page table: the kernel half of Linux's, which maps
 * the same kernel everywhere, without any process's user half that could
 * go away under it.
 */
static int sv_host_pgd_init(void)
{
	pgd_t *linux_pgd = __va(read_cr3_pa());
	pgd_t *pgd;

	sv_host_pgd = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!sv_host_pgd)
		return -ENOMEM;
	pgd = page_address(sv_host_pgd);
	memcpy(pgd + KERNEL_PGD_BOUNDARY, linux_pgd + KERNEL_PGD_BOUNDARY,
	       KERNEL_PGD_PTRS * sizeof(pgd_t));
	sv_shared.host_cr3 = page_to_phys(sv_host_pgd);
	return 0;
}

static int sv_iomem_end(struct resource *res, void *arg)
{
	u64 *end = arg;

	if (res->end + 1 > *end)
		*end = res->end + 1;
	return 0;
}

/* What the identity map must cover: everything the iomem tree knows of. */
static u64 sv_map_top(void)
{
	u64 limit = 1ULL << boot_cpu_data.x86_phys_bits;
	u64 end = SZ_4G;

	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM, 0, limit - 1,
			    &end, sv_iomem_end);
	return min(round_up(end, SZ_1G), limit);
}

static int sv_build_root_ept(char *why, size_t len)
{
	struct sv_mtrr_state *mtrr;
	bool use_1g;
	u64 top;
	int err;

	mtrr = kzalloc(sizeof(*mtrr), GFP_KERNEL);
	if (!mtrr)
		return -ENOMEM;
	err = sv_mtrr_read(mtrr);
	if (err) {
		snprintf(why, len, "cannot read the MTRRs (%d)", err);
		kfree(mtrr);
		return err;
	}
	/*
	 * No 1 GiB pages: VMs take memory from the root in 2 MiB chunks,
	 * unmapped by the hypervisor, which cannot allocate a table then.
	 */
	use_1g = false;
	top = sv_map_top();
	err = sv_ept_build(&sv_root_ept, mtrr, top, use_1g);
	kfree(mtrr);
	if (err)
		snprintf(why, len, "cannot build the EPT map (%d)", err);
	return err;
}

static int sv_hide_hypervisor(void)
{
	unsigned int cpu;
	int err;

	for_each_possible_cpu(cpu) {
		struct sv_vcpu *v = sv_vcpus[cpu];

		err = sv_hide(__pa(v), PAGE_SIZE, "vcpu", cpu) ?:
		      sv_hide(v->vmxon_pa, PAGE_SIZE, "vmxon", cpu) ?:
		      sv_hide(v->vmcs_pa, PAGE_SIZE, "vmcs", cpu) ?:
		      sv_hide(__pa(v->stack), SV_HOST_STACK_SIZE, "stack", cpu);
		if (err)
			return err;
	}
	err = sv_hide(page_to_phys(sv_msr_bitmap), PAGE_SIZE, "msr-bitmap", -1) ?:
	      sv_hide(page_to_phys(sv_host_pgd), PAGE_SIZE, "host-pgd", -1) ?:
	      sv_hide(page_to_phys(sv_host_idt), PAGE_SIZE, "host-idt", -1) ?:
	      sv_ept_hide_tables(&sv_root_ept);
	if (err)
		return err;
	/* The table list is final now: record it for debugfs too. */
	{
		struct page *page;

		list_for_each_entry(page, &sv_root_ept.tables, lru)
			if (sv_nr_hidden < sv_max_hidden)
				sv_hidden[sv_nr_hidden++] = (struct sv_hidden_range){
					.start = page_to_phys(page),
					.end = page_to_phys(page) + PAGE_SIZE,
					.what = "ept", .cpu = -1,
				};
	}
	return 0;
}

static int sv_prepare(char *why, size_t len)
{
	u32 revision = (u32)sv_rdmsr(MSR_IA32_VMX_BASIC) & 0x7fffffff;
	unsigned int cpu;
	int err;

	err = sv_vmx_controls_init(&sv_shared, why, len);
	if (err)
		return err;
	sv_shared.vmcs_revision = revision;
	sv_vcpus = kcalloc(nr_cpu_ids, sizeof(*sv_vcpus), GFP_KERNEL);
	if (!sv_vcpus)
		goto nomem;
	for_each_possible_cpu(cpu) {
		memset(per_cpu_ptr(sv_stats, cpu), 0, sizeof(struct sv_exit_stats));
		sv_vcpus[cpu] = sv_alloc_vcpu(cpu, revision);
		if (!sv_vcpus[cpu])
			goto nomem;
	}
	sv_msr_bitmap = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!sv_msr_bitmap)
		goto nomem;
	sv_msr_bitmap_init(page_address(sv_msr_bitmap));
	sv_shared.msr_bitmap_pa = page_to_phys(sv_msr_bitmap);
	err = sv_host_pgd_init();
	if (err)
		goto nomem;
	sv_host_idt = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!sv_host_idt)
		goto nomem;
	sv_host_idt_fill(page_address(sv_host_idt));
	sv_shared.host_idt = (unsigned long)page_address(sv_host_idt);

	err = sv_build_root_ept(why, len);
	if (err)
		return err;
	sv_max_hidden = 4 * num_possible_cpus() + 3 + sv_root_ept.nr_tables + 1024;
	sv_hidden = kcalloc(sv_max_hidden, sizeof(*sv_hidden), GFP_KERNEL);
	if (!sv_hidden)
		goto nomem;
	err = sv_hide_hypervisor();
	if (err) {
		snprintf(why, len, "cannot hide the hypervisor's memory (%d)", err);
		return err;
	}
	sv_shared.eptp = sv_ept_eptp(&sv_root_ept);
	sv_shared.cookie = get_random_u64();
	return 0;

nomem:
	snprintf(why, len, "out of memory for the hypervisor's structures");
	return -ENOMEM;
}

static int sv_cpu_online(unsigned int cpu)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = sv_cpu_virtualize(sv_vcpus[cpu]);
	local_irq_restore(flags);
	return err;
}

static int sv_cpu_offline(unsigned int cpu)
{
	unsigned long flags;

	/* A CPU going to a VM stays under the hypervisor (vmx/guest.c). */
	if (READ_ONCE(this_cpu_ptr(&sv_mailbox)->gcpu))
		return 0;
	local_irq_save(flags);
	sv_cpu_devirtualize();
	local_irq_restore(flags);
	return 0;
}

/*
 * Reboot, kexec and crash paths: leave VMX on this CPU, whatever its state,
 * and stop the VMs' CPUs, which Linux does not know as online.
 */
static void sv_emergency_leave(void)
{
	sv_guest_emergency_stop_all();
	sv_cpu_devirtualize();
}

static const char *sv_missing_features(const struct sv_hwcheck *hw, char *buf,
				       size_t len)
{
	size_t used = 0;
	int feat;

	buf[0] = '\0';
	for (feat = 0; feat < __SPLITVISOR_FEATURE_MAX; feat++)
		if (hw->need[feat] == SPLITVISOR_FEATURE_NEED_REQUIRED &&
		    hw->state[feat] != SPLITVISOR_FEATURE_STATE_PRESENT && used < len)
			used += scnprintf(buf + used, len - used, "%s%s",
					  used ? ", " : "", sv_feature_name(feat));
	return buf;
}

static int sv_check_hardware(char *why, size_t len)
{
	struct sv_hwcheck *hw;
	char missing[128];
	int err;

	hw = kmalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return -ENOMEM;
	err = sv_hwcheck_run(hw);
	if (!err && !hw->capable) {
		snprintf(why, len, "the hardware lacks: %s (see `vmctl hw-check`)",
			 sv_missing_features(hw, missing, sizeof(missing)));
		err = -EOPNOTSUPP;
	}
	kfree(hw);
	return err;
}

/*
 * kvm_intel owns VMX once loaded: it may VMXON at any time, and it holds
 * the kernel's single emergency-reboot hook. Our own module kobject's kset
 * is the set of all loaded modules.
 */
static bool sv_kvm_intel_loaded(void)
{
	struct kobject *kobj = kset_find_obj(THIS_MODULE->mkobj.kobj.kset, "kvm_intel");

	kobject_put(kobj);
	return kobj;
}

static void sv_vmxe_in_use(void *arg)
{
	int *busy_cpu = arg;

	if (__read_cr4() & X86_CR4_VMXE)
		WRITE_ONCE(*busy_cpu, smp_processor_id());
}

int sv_hv_enable(struct netlink_ext_ack *extack)
{
	/* Outlives the call: the netlink core reads it after we return. */
	static char why[200];
	int busy_cpu = -1;
	int err;

	mutex_lock(&sv_hv_lock);
	if (sv_state == SPLITVISOR_HV_STATE_ON) {
		mutex_unlock(&sv_hv_lock);
		return 0;
	}
	why[0] = '\0';
	err = sv_check_hardware(why, sizeof(why));
	if (err)
		goto fail;

	if (sv_kvm_intel_loaded()) {
		snprintf(why, sizeof(why),
			 "kvm_intel is loaded and owns VMX (unload it: rmmod kvm_intel)");
		err = -EBUSY;
		goto fail;
	}
	cpus_read_lock();
	on_each_cpu(sv_vmxe_in_use, &busy_cpu, 1);
	cpus_read_unlock();
	if (busy_cpu >= 0) {
		snprintf(why, sizeof(why),
			 "VMX is already in use on CPU %d (CR4.VMXE set), e.g. by kvm_intel",
			 busy_cpu);
		err = -EBUSY;
		goto fail;
	}

	err = sv_prepare(why, sizeof(why));
	if (err)
		goto fail_free;

	err = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "splitvisor:online",
				sv_cpu_online, sv_cpu_offline);
	if (err < 0) {
		snprintf(why, sizeof(why),
			 "a CPU could not be virtualized (%d); all CPUs rolled back, see the kernel log",
			 err);
		goto fail_free;
	}
	sv_cpuhp_state = err;
	cpu_emergency_register_virt_callback(sv_emergency_leave);
	sv_state = SPLITVISOR_HV_STATE_ON;
	pr_info("hypervisor on: %u CPUs virtualized, EPT maps %llu GiB in %u tables, %u hidden ranges\n",
		sv_hv_cpus_virtualized(), sv_root_ept.top >> 30,
		sv_root_ept.nr_tables, sv_nr_hidden);
	mutex_unlock(&sv_hv_lock);
	sv_netlink_notify_hv_state();
	return 0;

fail_free:
	sv_free_all();
fail:
	pr_err("hypervisor not enabled: %s\n", why);
	sv_extack_set(extack, why);
	mutex_unlock(&sv_hv_lock);
	return err;
}

int sv_hv_disable(struct netlink_ext_ack *extack)
{
	mutex_lock(&sv_hv_lock);
	if (sv_state == SPLITVISOR_HV_STATE_OFF) {
		mutex_unlock(&sv_hv_lock);
		return 0;
	}
	if (sv_hv_users) {
		pr_err("hypervisor stays on: %u VMs exist or are being made (vmctl destroy them first)\n",
		       sv_hv_users);
		sv_extack_set(extack, "VMs exist or are being made: destroy them (vmctl list)");
		mutex_unlock(&sv_hv_lock);
		return -EBUSY;
	}
	cpu_emergency_unregister_virt_callback(sv_emergency_leave);
	cpuhp_remove_state(sv_cpuhp_state);
	sv_state = SPLITVISOR_HV_STATE_OFF;
	sv_free_all();
	pr_info("hypervisor off: every CPU handed back\n");
	mutex_unlock(&sv_hv_lock);
	sv_netlink_notify_hv_state();
	return 0;
}

enum splitvisor_hv_state sv_hv_state(void)
{
	return READ_ONCE(sv_state);
}

unsigned int sv_hv_cpus_virtualized(void)
{
	unsigned int cpu, n = 0;

	for_each_possible_cpu(cpu)
		if (READ_ONCE(per_cpu(sv_cpu_state, cpu)) == SV_VCPU_ON)
			n++;
	return n;
}

bool sv_hv_cpu_stats(unsigned int cpu, struct sv_exit_stats *out)
{
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return false;
	memcpy(out, per_cpu_ptr(sv_stats, cpu), sizeof(*out));
	out->virtualized = READ_ONCE(per_cpu(sv_cpu_state, cpu)) == SV_VCPU_ON;
	return true;
}

void sv_hv_show_hidden(struct seq_file *m)
{
	unsigned int i;

	mutex_lock(&sv_hv_lock);
	for (i = 0; i < sv_nr_hidden; i++) {
		seq_printf(m, "0x%llx 0x%llx %s", sv_hidden[i].start,
			   sv_hidden[i].end, sv_hidden[i].what);
		if (sv_hidden[i].cpu >= 0)
			seq_printf(m, " cpu%d", sv_hidden[i].cpu);
		seq_putc(m, '\n');
	}
	mutex_unlock(&sv_hv_lock);
}

int sv_hv_get(const char **why)
{
	mutex_lock(&sv_hv_lock);
	if (sv_state != SPLITVISOR_HV_STATE_ON)
		*why = "the hypervisor is off (vmctl enable)";
	else
		*why = sv_shared.no_vms_why;
	if (!*why)
		sv_hv_users++;
	mutex_unlock(&sv_hv_lock);
	return *why ? -EOPNOTSUPP : 0;
}

void sv_hv_put(void)
{
	mutex_lock(&sv_hv_lock);
	if (!WARN_ON_ONCE(!sv_hv_users))
		sv_hv_users--;
	mutex_unlock(&sv_hv_lock);
}

u32 sv_hv_vmcs_revision(void)
{
	return sv_shared.vmcs_revision;
}

static long sv_hypercall3(unsigned long nr, unsigned long a, unsigned long b,
			  unsigned long c)
{
	unsigned long rax = nr;

	asm volatile("vmcall"
		     : "+a" (rax), "+b" (a), "+c" (b), "+d" (c)
		     :: "memory", "cc");
	return rax;
}

static void sv_ept_sync_one(void *unused)
{
	sv_hypercall3(SPLITVISOR_HC_EPT_SYNC, sv_shared.cookie, 0, 0);
}

int sv_hv_ept_set(u64 pa, bool present)
{
	long ret;

	cpus_read_lock();
	ret = sv_hypercall3(SPLITVISOR_HC_EPT_SET, sv_shared.cookie, pa, present);
	on_each_cpu(sv_ept_sync_one, NULL, 1);
	cpus_read_unlock();
	return ret;
}

/* Suspend would lose VMX state on every CPU: refuse it while on. */
static int sv_pm_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	if ((action == PM_SUSPEND_PREPARE || action == PM_HIBERNATION_PREPARE) &&
	    sv_hv_state() == SPLITVISOR_HV_STATE_ON) {
		pr_err("suspend refused: the hypervisor is on (run `vmctl disable` first)\n");
		return notifier_from_errno(-EBUSY);
	}
	return NOTIFY_DONE;
}

static struct notifier_block sv_pm_nb = { .notifier_call = sv_pm_notify };

/* An orderly reboot or kexec hands every CPU back first. */
static int sv_reboot_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	sv_hv_disable(NULL);
	return NOTIFY_DONE;
}

static struct notifier_block sv_reboot_nb = { .notifier_call = sv_reboot_notify };

int sv_hv_init(void)
{
	int err;

	sv_stats = alloc_percpu(struct sv_exit_stats);
	if (!sv_stats)
		return -ENOMEM;
	sv_fault_reports_init();
	err = register_pm_notifier(&sv_pm_nb);
	if (err)
		goto free_stats;
	err = register_reboot_notifier(&sv_reboot_nb);
	if (err)
		goto unregister_pm;
	return 0;

unregister_pm:
	unregister_pm_notifier(&sv_pm_nb);
free_stats:
	free_percpu(sv_stats);
	return err;
}

void sv_hv_exit(void)
{
	sv_hv_disable(NULL);
	sv_fault_reports_sync();
	unregister_reboot_notifier(&sv_reboot_nb);
	unregister_pm_notifier(&sv_pm_nb);
	free_percpu(sv_stats);
}
