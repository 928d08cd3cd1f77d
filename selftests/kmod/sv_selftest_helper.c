// SPDX-License-Identifier: GPL-2.0
/*
 * sv_selftest_helper: what the VMX selftests need done at CPL 0, through
 * debugfs files under /sys/kernel/debug/sv_selftest/ (mode 0600). Test
 * only: it executes VMX instructions and reads physical memory on request.
 *
 * cpu_info  read: VMCALL SPLITVISOR_HC_CPU_INFO on every online CPU, one
 *           line per CPU: "cpu N rax R rbx B rcx C rdx D" (RAX signed,
 *           the others unsigned, decimal), "cpu N ud" when the VMCALL
 *           raised #UD (the CPU is not virtualized), or "cpu N fault T"
 *           for any other exception vector T.
 * peek      write: a physical address in hex, 8-byte aligned, with a
 *           struct page; read: the 8 bytes there read through the direct
 *           map, as "0x%016llx".
 * vmx_insn  write: vmxon, vmxoff, vmread, vmptrld, invept or
 *           cr4_clear_vmxe, optionally followed by a CPU number (default:
 *           the writer's CPU); runs it there at CPL 0. read: "ud", "ok" or
 *           "fault T", then "cpu N"; cr4_clear_vmxe adds the CR4 value
 *           read before the write, after it, and after putting back what
 *           Linux's CR4 shadow holds.
 * nmi       write: "CPU COUNT [LO HI [GAP]]": sends COUNT NMIs to CPU from
 *           the writer's CPU, one at a time, each awaited for up to a
 *           second in an NMI handler of Linux's, then GAP microseconds
 *           more (default 0: the next one comes while the handler still
 *           runs); LO and HI (hex) bound a code range, and NMIs whose
 *           interrupted RIP lies in it are counted.
 *           read: "sent N received M in_range R cpu C".
 * ipi       write: "CPU KIND COUNT": sends COUNT IPIs of KIND (nmi, init,
 *           sipi or fixed) to CPU, online in Linux or not (a VM's CPUs are
 *           offline), 10 microseconds apart; read: "sent N KIND cpu C".
 * desc      read: one line per online CPU, "cpu N gdt_limit G idt_limit I"
 *           (decimal), the descriptor-table limits the CPU runs with.
 *
 * Every instruction that may fault has an exception table entry of the
 * "fault" type: the kernel resumes after it with the vector in RAX, so a
 * CPU without a hypervisor reports "ud" instead of oopsing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/apic.h>
#include <asm/asm.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/nmi.h>
#include <asm/processor-flags.h>
#include <asm/tlbflush.h>
#include <asm/traps.h>

#include <splitvisor.h>

/* VMCS field the vmread probe names: guest RIP. */
#define SV_FIELD_GUEST_RIP	0x681eUL
/* INVEPT type: all contexts. */
#define SV_INVEPT_ALL		2UL

static struct dentry *sv_dir;
static DEFINE_MUTEX(sv_lock);
/* A zeroed page, the operand of vmxon and vmptrld. */
static unsigned long sv_region;
static phys_addr_t sv_peek_pa;
static bool sv_peek_set;

/*
 * Results of one instruction: fault is -1 when it completed, else the
 * exception vector it raised.
 */
struct sv_insn_result {
	int fault;
	bool vmfail;
	unsigned long cr4_before, cr4_after, cr4_restored;
};

struct sv_vmcall_result {
	int fault;
	unsigned long ax, bx, cx, dx;
};

static void sv_vmcall_cpu_info(void *arg)
{
	struct sv_vmcall_result *r = arg;
	unsigned long ax = SPLITVISOR_HC_CPU_INFO, bx = 0, cx = 0, dx = 0;
	int fault = 1;

	asm volatile("1: vmcall\n\t"
		     "xorl %k[fault], %k[fault]\n"
		     "2:\n\t"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a" (ax), "+b" (bx), "+c" (cx), "+d" (dx),
		       [fault] "+r" (fault)
		     : : "cc", "memory");
	r->fault = fault ? (int)ax : -1;
	r->ax = ax;
	r->bx = bx;
	r->cx = cx;
	r->dx = dx;
}

static int sv_cpu_info_show(struct seq_file *m, void *v)
{
	unsigned int cpu;
	int err = 0;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct sv_vmcall_result r = { .fault = -1 };

		err = smp_call_function_single(cpu, sv_vmcall_cpu_info, &r, 1);
		if (err)
			break;
		if (r.fault == X86_TRAP_UD)
			seq_printf(m, "cpu %u ud\n", cpu);
		else if (r.fault >= 0)
			seq_printf(m, "cpu %u fault %d\n", cpu, r.fault);
		else
			seq_printf(m, "cpu %u rax %ld rbx %lu rcx %lu rdx %lu\n",
				   cpu, (long)r.ax, r.bx, r.cx, r.dx);
	}
	cpus_read_unlock();
	return err;
}
DEFINE_SHOW_ATTRIBUTE(sv_cpu_info);

static ssize_t sv_peek_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	u64 pa;
	int err;

	err = kstrtoull_from_user(ubuf, len, 16, &pa);
	if (err)
		return err;
	if ((pa & 7) || !pfn_valid(PHYS_PFN(pa)))
		return -EINVAL;
	mutex_lock(&sv_lock);
	sv_peek_pa = pa;
	sv_peek_set = true;
	mutex_unlock(&sv_lock);
	return len;
}

static ssize_t sv_peek_read(struct file *file, char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[24];
	u64 val;
	int n;

	/* One access per read from the start: the counters see each. */
	if (*ppos)
		return 0;
	mutex_lock(&sv_lock);
	if (!sv_peek_set) {
		mutex_unlock(&sv_lock);
		return -ENODATA;
	}
	if (copy_from_kernel_nofault(&val, phys_to_virt(sv_peek_pa),
				     sizeof(val))) {
		mutex_unlock(&sv_lock);
		return -EFAULT;
	}
	mutex_unlock(&sv_lock);
	n = scnprintf(buf, sizeof(buf), "0x%016llx\n", val);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations sv_peek_fops = {
	.owner = THIS_MODULE,
	.read = sv_peek_read,
	.write = sv_peek_write,
	.llseek = default_llseek,
};

enum sv_insn {
	SV_VMXON,
	SV_VMXOFF,
	SV_VMREAD,
	SV_VMPTRLD,
	SV_INVEPT,
	SV_CR4_CLEAR_VMXE,
};

static const char * const sv_insn_names[] = {
	[SV_VMXON] = "vmxon",
	[SV_VMXOFF] = "vmxoff",
	[SV_VMREAD] = "vmread",
	[SV_VMPTRLD] = "vmptrld",
	[SV_INVEPT] = "invept",
	[SV_CR4_CLEAR_VMXE] = "cr4_clear_vmxe",
};

struct sv_insn_req {
	enum sv_insn insn;
	bool busy;		/* Linux itself has VMX on (e.g. kvm_intel) */
	struct sv_insn_result res;
};

static unsigned long sv_read_cr4(void)
{
	unsigned long cr4;

	asm volatile("mov %%cr4, %0" : "=r" (cr4));
	return cr4;
}

/* Returns the vector raised, or -1. */
static int sv_write_cr4(unsigned long val)
{
	unsigned long ax = 0;
	int fault = 1;

	asm volatile("1: mov %[val], %%cr4\n\t"
		     "xorl %k[fault], %k[fault]\n"
		     "2:\n\t"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a" (ax), [fault] "+r" (fault)
		     : [val] "r" (val) : "cc", "memory");
	return fault ? (int)ax : -1;
}

/*
 * One VMX instruction with an exception table entry; VMX_ASM leaves the
 * vector in ax and fault set when it raised one, and vmfail set when it
 * completed with CF or ZF (VMfailInvalid / VMfailValid).
 */
#define VMX_ASM(insn, ...)						\
({									\
	asm volatile("1: " insn "\n\t"					\
		     "setbe %b[vmfail]\n\t"				\
		     "xorl %k[fault], %k[fault]\n"			\
		     "2:\n\t"						\
		     _ASM_EXTABLE_FAULT(1b, 2b)				\
		     : "+a" (ax), [fault] "+r" (fault),			\
		       [vmfail] "+q" (vmfail)				\
		     : __VA_ARGS__ : "cc", "memory");			\
})

static void sv_run_insn(void *arg)
{
	struct sv_insn_req *req = arg;
	struct sv_insn_result *res = &req->res;
	struct sv_vmcall_result probe;
	unsigned long ax = 0, pa = __pa(sv_region), field = SV_FIELD_GUEST_RIP;
	unsigned long type = SV_INVEPT_ALL;
	u64 value = 0;
	struct { u64 eptp, reserved; } desc = { 0, 0 };
	u8 vmfail = 0;
	int fault = 1;

	/*
	 * Under the hypervisor every one of these exits to it. On a bare CPU
	 * with VMX on in Linux itself (kvm_intel), they would act on its
	 * VMCSs for real: refuse.
	 */
	sv_vmcall_cpu_info(&probe);
	if (probe.fault >= 0 && (sv_read_cr4() & X86_CR4_VMXE)) {
		req->busy = true;
		return;
	}
	switch (req->insn) {
	case SV_VMXON:
		VMX_ASM("vmxon %[pa]", [pa] "m" (pa));
		break;
	case SV_VMXOFF:
		VMX_ASM("vmxoff", "i" (0));
		break;
	case SV_VMREAD:
		VMX_ASM("vmread %[field], %[value]",
			[field] "r" (field), [value] "m" (value));
		break;
	case SV_VMPTRLD:
		VMX_ASM("vmptrld %[pa]", [pa] "m" (pa));
		break;
	case SV_INVEPT:
		VMX_ASM("invept %[desc], %[type]",
			[desc] "m" (desc), [type] "r" (type));
		break;
	case SV_CR4_CLEAR_VMXE:
		res->cr4_before = sv_read_cr4();
		fault = sv_write_cr4(res->cr4_before & ~X86_CR4_VMXE);
		res->cr4_after = sv_read_cr4();
		/* Whatever happened, the CPU gets what Linux expects. */
		sv_write_cr4(cr4_read_shadow());
		res->cr4_restored = sv_read_cr4();
		res->fault = fault;
		return;
	}
	res->fault = fault ? (int)ax : -1;
	res->vmfail = !fault && vmfail;
	/* Should a VMXON ever complete on a bare CPU, leave VMX again. */
	if (req->insn == SV_VMXON && !fault && !vmfail) {
		fault = 1;
		VMX_ASM("vmxoff", "i" (0));
	}
}

static char sv_insn_text[160] = "none\n";

static ssize_t sv_vmx_insn_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct sv_insn_req req = { .res.fault = -1 };
	char buf[48], *args, *name;
	unsigned int cpu;
	int i, err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	args = strim(buf);
	name = strsep(&args, " \t");
	i = match_string(sv_insn_names, ARRAY_SIZE(sv_insn_names), name);
	if (i < 0)
		return -EINVAL;
	req.insn = i;

	cpus_read_lock();
	if (args && *args) {
		err = kstrtouint(skip_spaces(args), 10, &cpu);
		if (err)
			goto out;
	} else {
		cpu = raw_smp_processor_id();
	}
	err = -ENXIO;
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		goto out;
	/* In IPI context, interrupts off: CR4 stays Linux's between writes. */
	err = smp_call_function_single(cpu, sv_run_insn, &req, 1);
	if (err)
		goto out;
	err = -EBUSY;
	if (req.busy)
		goto out;
	err = 0;

	mutex_lock(&sv_lock);
	if (req.res.fault == X86_TRAP_UD)
		i = scnprintf(sv_insn_text, sizeof(sv_insn_text), "ud");
	else if (req.res.fault >= 0)
		i = scnprintf(sv_insn_text, sizeof(sv_insn_text), "fault %d",
			      req.res.fault);
	else
		i = scnprintf(sv_insn_text, sizeof(sv_insn_text), "ok%s",
			      req.res.vmfail ? " vmfail" : "");
	i += scnprintf(sv_insn_text + i, sizeof(sv_insn_text) - i, " cpu %u",
		       cpu);
	if (req.insn == SV_CR4_CLEAR_VMXE)
		i += scnprintf(sv_insn_text + i, sizeof(sv_insn_text) - i,
			       " cr4 before %#lx after %#lx restored %#lx",
			       req.res.cr4_before, req.res.cr4_after,
			       req.res.cr4_restored);
	scnprintf(sv_insn_text + i, sizeof(sv_insn_text) - i, "\n");
	mutex_unlock(&sv_lock);
out:
	cpus_read_unlock();
	return err ? err : len;
}

/* A result text written under sv_lock, read out whole. */
static ssize_t sv_read_result(char __user *ubuf, size_t len, loff_t *ppos,
			      const char *text, size_t size)
{
	char buf[160];

	mutex_lock(&sv_lock);
	strscpy(buf, text, min(size, sizeof(buf)));
	mutex_unlock(&sv_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, strlen(buf));
}

static ssize_t sv_vmx_insn_read(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	return sv_read_result(ubuf, len, ppos, sv_insn_text,
			      sizeof(sv_insn_text));
}

static const struct file_operations sv_vmx_insn_fops = {
	.owner = THIS_MODULE,
	.read = sv_vmx_insn_read,
	.write = sv_vmx_insn_write,
	.llseek = default_llseek,
};

/* NMIs sent by the nmi file: the one awaited, and what arrived. */
static int sv_nmi_target = -1;
static int sv_nmi_armed;
static unsigned long sv_nmi_lo, sv_nmi_hi;
static unsigned int sv_nmi_received, sv_nmi_in_range;
static char sv_nmi_text[96] = "none\n";

static int sv_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	if (READ_ONCE(sv_nmi_target) != smp_processor_id() ||
	    !READ_ONCE(sv_nmi_armed))
		return NMI_DONE;
	if (regs->ip >= sv_nmi_lo && regs->ip < sv_nmi_hi)
		sv_nmi_in_range++;
	sv_nmi_received++;
	/* Publishes the counts to the sender, which then reads them. */
	smp_store_release(&sv_nmi_armed, 0);
	return NMI_HANDLED;
}

static ssize_t sv_nmi_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	unsigned int cpu, count, i, sent = 0, gap = 0;
	unsigned long lo = 0, hi = 0;
	char buf[80];
	int n, err = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	n = sscanf(buf, "%u %u %lx %lx %u", &cpu, &count, &lo, &hi, &gap);
	if (n != 2 && n != 4 && n != 5)
		return -EINVAL;
	if (count > 100000 || gap > 1000)
		return -EINVAL;

	mutex_lock(&sv_lock);
	cpus_read_lock();
	if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		err = -ENXIO;
		goto out;
	}
	sv_nmi_lo = lo;
	sv_nmi_hi = hi;
	sv_nmi_received = 0;
	sv_nmi_in_range = 0;
	WRITE_ONCE(sv_nmi_target, cpu);
	for (i = 0; i < count; i++) {
		ktime_t deadline = ktime_add_ms(ktime_get(), 1000);

		/* Armed before the NMI can arrive; the handler disarms. */
		smp_store_release(&sv_nmi_armed, 1);
		apic->send_IPI(cpu, NMI_VECTOR);
		sent++;
		/* Pairs with the handler's release: its counts are seen. */
		while (smp_load_acquire(&sv_nmi_armed) &&
		       ktime_before(ktime_get(), deadline))
			cpu_relax();
		/* Lost: disarm, so that a late one is not counted. */
		WRITE_ONCE(sv_nmi_armed, 0);
		if (signal_pending(current))
			break;
		udelay(gap);
		cond_resched();
	}
	/* Whatever is still on its way has had a second. */
	WRITE_ONCE(sv_nmi_target, -1);
	scnprintf(sv_nmi_text, sizeof(sv_nmi_text),
		  "sent %u received %u in_range %u cpu %u\n", sent,
		  sv_nmi_received, sv_nmi_in_range, cpu);
out:
	cpus_read_unlock();
	mutex_unlock(&sv_lock);
	return err ? err : len;
}

static ssize_t sv_nmi_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	return sv_read_result(ubuf, len, ppos, sv_nmi_text, sizeof(sv_nmi_text));
}

static const struct file_operations sv_nmi_fops = {
	.owner = THIS_MODULE,
	.read = sv_nmi_read,
	.write = sv_nmi_write,
	.llseek = default_llseek,
};

static char sv_ipi_text[64] = "none\n";

/* An IPI no VM CPU may let through; harmless should it reach Linux. */
#define SV_FIXED_IPI_VECTOR	IRQ_WORK_VECTOR
#define SV_SIPI_PAGE		0x10

static ssize_t sv_ipi_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	unsigned int cpu, count, i;
	char buf[48], kind[8];
	u32 apicid;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%u %7s %u", &cpu, kind, &count) != 3 || count > 1000 ||
	    cpu >= nr_cpu_ids || !cpu_present(cpu))
		return -EINVAL;
	if (strcmp(kind, "nmi") && strcmp(kind, "init") &&
	    strcmp(kind, "sipi") && strcmp(kind, "fixed"))
		return -EINVAL;
	apicid = per_cpu(x86_cpu_to_apicid, cpu);
	mutex_lock(&sv_lock);
	for (i = 0; i < count; i++) {
		if (!strcmp(kind, "nmi"))
			apic->send_IPI(cpu, NMI_VECTOR);
		else if (!strcmp(kind, "fixed"))
			apic->send_IPI(cpu, SV_FIXED_IPI_VECTOR);
		else if (!strcmp(kind, "init"))
			apic->icr_write(APIC_INT_ASSERT | APIC_DM_INIT, apicid);
		else
			apic->icr_write(APIC_DM_STARTUP | SV_SIPI_PAGE, apicid);
		usleep_range(10, 20);
	}
	scnprintf(sv_ipi_text, sizeof(sv_ipi_text), "sent %u %s cpu %u\n",
		  count, kind, cpu);
	mutex_unlock(&sv_lock);
	return len;
}

static ssize_t sv_ipi_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	return sv_read_result(ubuf, len, ppos, sv_ipi_text, sizeof(sv_ipi_text));
}

static const struct file_operations sv_ipi_fops = {
	.owner = THIS_MODULE,
	.read = sv_ipi_read,
	.write = sv_ipi_write,
	.llseek = default_llseek,
};

static void sv_read_desc(void *arg)
{
	struct desc_ptr *d = arg;

	native_store_gdt(&d[0]);
	store_idt(&d[1]);
}

static int sv_desc_show(struct seq_file *m, void *v)
{
	struct desc_ptr d[2];
	unsigned int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (smp_call_function_single(cpu, sv_read_desc, d, 1))
			continue;
		seq_printf(m, "cpu %u gdt_limit %u idt_limit %u\n", cpu,
			   d[0].size, d[1].size);
	}
	cpus_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_desc);

static int __init sv_helper_init(void)
{
	int err;

	sv_region = get_zeroed_page(GFP_KERNEL);
	if (!sv_region)
		return -ENOMEM;
	err = register_nmi_handler(NMI_LOCAL, sv_nmi_handler, 0, "sv_selftest");
	if (err) {
		free_page(sv_region);
		return err;
	}
	sv_dir = debugfs_create_dir("sv_selftest", NULL);
	if (IS_ERR(sv_dir)) {
		unregister_nmi_handler(NMI_LOCAL, "sv_selftest");
		free_page(sv_region);
		return PTR_ERR(sv_dir);
	}
	debugfs_create_file("cpu_info", 0600, sv_dir, NULL, &sv_cpu_info_fops);
	debugfs_create_file("peek", 0600, sv_dir, NULL, &sv_peek_fops);
	debugfs_create_file("vmx_insn", 0600, sv_dir, NULL, &sv_vmx_insn_fops);
	debugfs_create_file("nmi", 0600, sv_dir, NULL, &sv_nmi_fops);
	debugfs_create_file("ipi", 0600, sv_dir, NULL, &sv_ipi_fops);
	debugfs_create_file("desc", 0400, sv_dir, NULL, &sv_desc_fops);
	return 0;
}

static void __exit sv_helper_exit(void)
{
	debugfs_remove_recursive(sv_dir);
	unregister_nmi_handler(NMI_LOCAL, "sv_selftest");
	free_page(sv_region);
}

module_init(sv_helper_init);
module_exit(sv_helper_exit);

MODULE_DESCRIPTION("splitvisor selftest helper: VMCALL, VMX instructions, NMIs and physical reads at CPL 0");
MODULE_LICENSE("GPL");
