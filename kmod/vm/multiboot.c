// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot (version 1) images, after the Multiboot Specification 0.6.96
 * and the way GRUB loads them.
 *
 * Every range of the untrusted image is checked as an offset and a length
 * against a limit (sv_mb_within()), never by adding the two, so no value
 * in the image can make a check wrap. Multi-byte fields are read byte by
 * byte, little-endian, whatever their alignment.
 *
 * Pure logic: no kernel calls, so the host unit test builds it too.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <splitvisor.h>

#include "multiboot.h"

/* The header: magic, flags, checksum, then the a.out kludge's fields. */
#define SV_MB_HEADER_SIZE	12
#define SV_MB_HEADER_AOUT_SIZE	32

/* Header flags; the low 16 bits are features the image requires. */
#define SV_MB_FLAG_PAGE_ALIGN	0x1U		/* modules: none are loaded */
#define SV_MB_FLAG_MEMORY_INFO	0x2U		/* always given */
#define SV_MB_FLAG_VIDEO_MODE	0x4U
#define SV_MB_FLAG_REQUIRED	0xffffU
#define SV_MB_FLAG_AOUT_KLUDGE	0x10000U

#define SV_MB_4G		0x100000000ULL
#define SV_MB_U64_MAX		(~0ULL)
#define SV_MB_LOW_MEM_END	0xa0000ULL	/* 640 KiB */
#define SV_MB_HIGH_MEM_START	0x100000ULL	/* 1 MiB */

/* ELF, as far as the loader reads it. */
#define SV_ELF_IDENT_SIZE	16
#define SV_ELF_CLASS		4		/* offsets in e_ident */
#define SV_ELF_DATA		5
#define SV_ELF_VERSION		6
#define SV_ELF_CLASS32		1
#define SV_ELF_CLASS64		2
#define SV_ELF_DATA_LSB		1
#define SV_ELF_EV_CURRENT	1
#define SV_ELF_ET_EXEC		2
#define SV_ELF_EM_386		3
#define SV_ELF_EM_X86_64	62
#define SV_ELF_PT_LOAD		1
#define SV_ELF32_EHDR_SIZE	52
#define SV_ELF64_EHDR_SIZE	64
#define SV_ELF32_PHDR_SIZE	32
#define SV_ELF64_PHDR_SIZE	56

/* What the information page holds fits in it, each part apart. */
static_assert(sizeof(struct sv_mb_info) <= SV_MB_INFO_MMAP_OFFSET,
	      "Multiboot information overlaps its memory map");
static_assert(SV_MB_INFO_MMAP_OFFSET + 2 * sizeof(struct sv_mb_mmap_entry) <=
	      SV_MB_INFO_CMDLINE_OFFSET,
	      "Multiboot memory map overlaps the command line");
static_assert(SV_MB_INFO_CMDLINE_OFFSET + SPLITVISOR_VM_CMDLINE_MAX + 1 <=
	      SV_MB_INFO_SIZE,
	      "Multiboot command line does not fit the information page");

struct sv_mb_ctx {
	const u8 *image;
	size_t size;
	u64 mem_size;
	struct sv_mb_plan *plan;
	u64 vaddr[SV_MB_MAX_SEGMENTS];		/* of each segment */
	unsigned int phdr[SV_MB_MAX_SEGMENTS];	/* program header of each */
	char label[32];				/* what is checked, for why */
	char *why;
	size_t len;
};

static u16 sv_mb_get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 sv_mb_get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static u64 sv_mb_get64(const u8 *p)
{
	return sv_mb_get32(p) | (u64)sv_mb_get32(p + 4) << 32;
}

/* Whether [@off, @off + @len) lies in [0, @limit), without wrapping. */
static bool sv_mb_within(u64 off, u64 len, u64 limit)
{
	return off <= limit && len <= limit - off;
}

/*
 * Take [@gpa, @gpa + @memsz) from bytes [@offset, @offset + @filesz) of
 * the image as the next segment, described in why by c->label.
 */
static int sv_mb_add_segment(struct sv_mb_ctx *c, unsigned int phdr,
			     u64 vaddr, u64 gpa, u64 offset, u64 filesz,
			     u64 memsz)
{
	struct sv_mb_plan *plan = c->plan;
	struct sv_mb_segment *s;
	unsigned int i;

	if (filesz > memsz) {
		snprintf(c->why, c->len,
			 "%s: its file size 0x%llx is larger than its memory size 0x%llx",
			 c->label, filesz, memsz);
		return -ENOEXEC;
	}
	/* No bytes of the image are read: any offset will do. */
	if (!filesz)
		offset = 0;
	if (!sv_mb_within(offset, filesz, c->size)) {
		snprintf(c->why, c->len,
			 "%s: its 0x%llx file bytes at offset 0x%llx lie beyond the end of the image (0x%zx bytes)",
			 c->label, filesz, offset, c->size);
		return -ENOEXEC;
	}
	if (memsz > SV_MB_U64_MAX - gpa) {
		snprintf(c->why, c->len,
			 "%s (0x%llx bytes at 0x%llx) ends beyond the VM's memory (0x%llx bytes)",
			 c->label, memsz, gpa, c->mem_size);
		return -ERANGE;
	}
	if (!sv_mb_within(gpa, memsz, c->mem_size)) {
		snprintf(c->why, c->len,
			 "%s (0x%llx-0x%llx) ends beyond the VM's memory (0x%llx bytes)",
			 c->label, gpa, gpa + memsz, c->mem_size);
		return -ERANGE;
	}
	if (gpa < SV_MB_INFO_GPA + SV_MB_INFO_SIZE &&
	    gpa + memsz > SV_MB_INFO_GPA) {
		snprintf(c->why, c->len,
			 "%s (0x%llx-0x%llx) overlaps the Multiboot information page (0x%x-0x%x)",
			 c->label, gpa, gpa + memsz, SV_MB_INFO_GPA,
			 SV_MB_INFO_GPA + SV_MB_INFO_SIZE);
		return -ERANGE;
	}
	for (i = 0; i < plan->nr_segments; i++) {
		s = &plan->seg[i];
		if (gpa < s->gpa + s->memsz && s->gpa < gpa + memsz) {
			snprintf(c->why, c->len,
				 "%s (0x%llx-0x%llx) overlaps segment %u (0x%llx-0x%llx)",
				 c->label, gpa, gpa + memsz, c->phdr[i],
				 s->gpa, s->gpa + s->memsz);
			return -ENOEXEC;
		}
	}
	if (plan->nr_segments == SV_MB_MAX_SEGMENTS) {
		snprintf(c->why, c->len,
			 "more than %u loadable segments", SV_MB_MAX_SEGMENTS);
		return -E2BIG;
	}

	c->phdr[plan->nr_segments] = phdr;
	c->vaddr[plan->nr_segments] = vaddr;
	s = &plan->seg[plan->nr_segments++];
	s->gpa = gpa;
	s->offset = offset;
	s->filesz = filesz;
	s->memsz = memsz;
	return 0;
}

/*
 * The first 4-byte aligned header wholly in the first 8 KiB whose
 * checksum holds, as GRUB looks for it; its offset in *@off.
 */
static int sv_mb_find_header(struct sv_mb_ctx *c, size_t *off)
{
	size_t end = c->size < SV_MB_HEADER_SEARCH ? c->size :
		     SV_MB_HEADER_SEARCH;
	size_t o, bad_off = 0;
	u32 magic, flags, sum, bad_sum = 0;
	bool bad = false;

	for (o = 0; o + SV_MB_HEADER_SIZE <= end; o += 4) {
		magic = sv_mb_get32(c->image + o);
		if (magic != SV_MB_HEADER_MAGIC)
			continue;
		flags = sv_mb_get32(c->image + o + 4);
		sum = sv_mb_get32(c->image + o + 8);
		if ((u32)(magic + flags + sum) == 0) {
			*off = o;
			return 0;
		}
		if (!bad) {
			bad = true;
			bad_off = o;
			bad_sum = sum;
		}
	}

	if (bad)
		snprintf(c->why, c->len,
			 "not a Multiboot image: the header at 0x%zx has a bad checksum (0x%08x, not 0x%08x)",
			 bad_off, bad_sum,
			 (u32)(0U - SV_MB_HEADER_MAGIC -
			       sv_mb_get32(c->image + bad_off + 4)));
	else
		snprintf(c->why, c->len,
			 "not a Multiboot image: no Multiboot header in the first %u bytes",
			 SV_MB_HEADER_SEARCH);
	return -ENOEXEC;
}

/*
 * Flags bit 16: the header says where the image goes. header_addr is
 * where the header itself lands, load_addr where loading starts (so the
 * image is loaded from header_addr - load_addr bytes before the header),
 * load_end_addr where it ends (0: at the end of the image), bss_end_addr
 * where the zeroed memory after it ends (0: none).
 */
static int sv_mb_load_aout(struct sv_mb_ctx *c, size_t hoff)
{
	const u8 *h = c->image + hoff;
	u32 header_addr, load_addr, load_end, bss_end, entry;
	u64 offset, filesz, memsz;
	int err;

	if (!sv_mb_within(hoff, SV_MB_HEADER_AOUT_SIZE,
			  c->size < SV_MB_HEADER_SEARCH ? c->size :
			  SV_MB_HEADER_SEARCH)) {
		snprintf(c->why, c->len,
			 "the header at 0x%zx is cut short: with flags bit 16 it takes %u bytes, within the first %u of the image",
			 hoff, SV_MB_HEADER_AOUT_SIZE, SV_MB_HEADER_SEARCH);
		return -ENOEXEC;
	}
	header_addr = sv_mb_get32(h + 12);
	load_addr = sv_mb_get32(h + 16);
	load_end = sv_mb_get32(h + 20);
	bss_end = sv_mb_get32(h + 24);
	entry = sv_mb_get32(h + 28);

	if (load_addr > header_addr) {
		snprintf(c->why, c->len,
			 "header load_addr 0x%x is above its header_addr 0x%x",
			 load_addr, header_addr);
		return -ENOEXEC;
	}
	if (header_addr - load_addr > hoff) {
		snprintf(c->why, c->len,
			 "header load_addr 0x%x would load from 0x%x bytes before the header at offset 0x%zx, before the start of the image",
			 load_addr, header_addr - load_addr, hoff);
		return -ENOEXEC;
	}
	offset = hoff - (header_addr - load_addr);

	filesz = c->size - offset;
	if (load_end) {
		if (load_end < load_addr || load_end - load_addr > filesz) {
			snprintf(c->why, c->len,
				 "header load_end_addr 0x%x is not within the image loaded at 0x%x (0x%llx bytes from offset 0x%llx)",
				 load_end, load_addr, filesz, offset);
			return -ENOEXEC;
		}
		filesz = load_end - load_addr;
	}

	memsz = filesz;
	if (bss_end) {
		if (bss_end < load_addr || bss_end - load_addr < filesz) {
			snprintf(c->why, c->len,
				 "header bss_end_addr 0x%x is below the end of the loaded bytes (0x%llx)",
				 bss_end, load_addr + filesz);
			return -ENOEXEC;
		}
		memsz = bss_end - load_addr;
	}
	if (!memsz) {
		snprintf(c->why, c->len,
			 "the header's address fields load nothing");
		return -ENOEXEC;
	}

	snprintf(c->label, sizeof(c->label), "the a.out load range");
	err = sv_mb_add_segment(c, 0, load_addr, load_addr, offset, filesz,
				memsz);
	if (err)
		return err;

	if (entry < load_addr || entry - load_addr >= memsz) {
		snprintf(c->why, c->len,
			 "entry point 0x%x lies outside the loaded range (0x%x-0x%llx)",
			 entry, load_addr, load_addr + memsz);
		return -ENOEXEC;
	}
	c->plan->entry = entry;
	return 0;
}

/* Whether the ELF header fits the loader; its fields in the out values. */
static int sv_mb_elf_header(struct sv_mb_ctx *c, bool *is64, u64 *entry,
			    u64 *phoff, u16 *phentsize, u16 *phnum)
{
	const u8 *e = c->image;
	unsigned int bits, ehsize, min_phentsize;
	u16 machine, want_machine;
	const char *want_name;

	if (c->size < SV_ELF_IDENT_SIZE) {
		snprintf(c->why, c->len,
			 "truncated ELF header: the image has 0x%zx bytes",
			 c->size);
		return -ENOEXEC;
	}
	if (e[SV_ELF_CLASS] == SV_ELF_CLASS32) {
		*is64 = false;
		bits = 32;
		ehsize = SV_ELF32_EHDR_SIZE;
		min_phentsize = SV_ELF32_PHDR_SIZE;
		want_machine = SV_ELF_EM_386;
		want_name = "EM_386";
	} else if (e[SV_ELF_CLASS] == SV_ELF_CLASS64) {
		*is64 = true;
		bits = 64;
		ehsize = SV_ELF64_EHDR_SIZE;
		min_phentsize = SV_ELF64_PHDR_SIZE;
		want_machine = SV_ELF_EM_X86_64;
		want_name = "EM_X86_64";
	} else {
		snprintf(c->why, c->len,
			 "ELF class %u is neither ELFCLASS32 nor ELFCLASS64",
			 e[SV_ELF_CLASS]);
		return -ENOEXEC;
	}
	if (e[SV_ELF_DATA] != SV_ELF_DATA_LSB) {
		snprintf(c->why, c->len,
			 "ELF data encoding %u is not little-endian (ELFDATA2LSB)",
			 e[SV_ELF_DATA]);
		return -ENOEXEC;
	}
	if (e[SV_ELF_VERSION] != SV_ELF_EV_CURRENT) {
		snprintf(c->why, c->len, "ELF version %u is not EV_CURRENT",
			 e[SV_ELF_VERSION]);
		return -ENOEXEC;
	}
	if (c->size < ehsize) {
		snprintf(c->why, c->len,
			 "truncated ELF header: the image has 0x%zx bytes, an ELF%u header takes %u",
			 c->size, bits, ehsize);
		return -ENOEXEC;
	}
	if (sv_mb_get16(e + 16) != SV_ELF_ET_EXEC) {
		snprintf(c->why, c->len,
			 "ELF type %u is not an executable (ET_EXEC)",
			 sv_mb_get16(e + 16));
		return -ENOEXEC;
	}
	machine = sv_mb_get16(e + 18);
	if (machine != want_machine) {
		snprintf(c->why, c->len,
			 "ELF%u machine %u is not %s (%u)",
			 bits, machine, want_name, want_machine);
		return -ENOEXEC;
	}

	if (*is64) {
		*entry = sv_mb_get64(e + 24);
		*phoff = sv_mb_get64(e + 32);
		*phentsize = sv_mb_get16(e + 54);
		*phnum = sv_mb_get16(e + 56);
	} else {
		*entry = sv_mb_get32(e + 24);
		*phoff = sv_mb_get32(e + 28);
		*phentsize = sv_mb_get16(e + 42);
		*phnum = sv_mb_get16(e + 44);
	}
	if (*phentsize < min_phentsize) {
		snprintf(c->why, c->len,
			 "ELF program header size %u is below the %u of ELF%u",
			 *phentsize, min_phentsize, bits);
		return -ENOEXEC;
	}
	if (!*phnum) {
		snprintf(c->why, c->len, "the ELF image has no program headers");
		return -ENOEXEC;
	}
	/* At most 0xffff entries of 0xffff bytes: the product fits. */
	if (!sv_mb_within(*phoff, (u64)*phnum * *phentsize, c->size)) {
		snprintf(c->why, c->len,
			 "the ELF program header table (%u entries of %u bytes at offset 0x%llx) lies beyond the end of the image (0x%zx bytes)",
			 *phnum, *phentsize, *phoff, c->size);
		return -ENOEXEC;
	}
	return 0;
}

static int sv_mb_load_elf(struct sv_mb_ctx *c)
{
	struct sv_mb_plan *plan = c->plan;
	u64 entry, phoff, offset, vaddr, paddr, filesz, memsz;
	u16 phentsize, phnum;
	unsigned int i;
	const u8 *ph;
	bool is64;
	int err;

	err = sv_mb_elf_header(c, &is64, &entry, &phoff, &phentsize, &phnum);
	if (err)
		return err;
	/* As GRUB: the entry runs in 32-bit protected mode. */
	if (entry >= SV_MB_4G) {
		snprintf(c->why, c->len,
			 "ELF entry point 0x%llx is above 4 GiB, out of reach of 32-bit protected mode",
			 entry);
		return -ENOEXEC;
	}

	for (i = 0; i < phnum; i++) {
		ph = c->image + phoff + (u64)i * phentsize;
		if (sv_mb_get32(ph) != SV_ELF_PT_LOAD)
			continue;
		if (is64) {
			offset = sv_mb_get64(ph + 8);
			vaddr = sv_mb_get64(ph + 16);
			paddr = sv_mb_get64(ph + 24);
			filesz = sv_mb_get64(ph + 32);
			memsz = sv_mb_get64(ph + 40);
		} else {
			offset = sv_mb_get32(ph + 4);
			vaddr = sv_mb_get32(ph + 8);
			paddr = sv_mb_get32(ph + 12);
			filesz = sv_mb_get32(ph + 16);
			memsz = sv_mb_get32(ph + 20);
		}
		if (!memsz && !filesz)
			continue;
		snprintf(c->label, sizeof(c->label), "segment %u", i);
		err = sv_mb_add_segment(c, i, vaddr, paddr, offset, filesz,
					memsz);
		if (err)
			return err;
	}
	if (!plan->nr_segments) {
		snprintf(c->why, c->len,
			 "the ELF image has no segment to load (PT_LOAD)");
		return -ENOEXEC;
	}

	/*
	 * e_entry is a virtual address. As GRUB does, find the segment whose
	 * virtual range holds it and enter at the physical address it lands
	 * at, so that kernels linked to run higher-half (p_vaddr != p_paddr)
	 * start at the right place.
	 */
	for (i = 0; i < plan->nr_segments; i++) {
		if (entry >= c->vaddr[i] &&
		    entry - c->vaddr[i] < plan->seg[i].memsz)
			break;
	}
	if (i == plan->nr_segments) {
		snprintf(c->why, c->len,
			 "ELF entry point 0x%llx lies outside every loaded segment",
			 entry);
		return -ENOEXEC;
	}
	paddr = plan->seg[i].gpa + (entry - c->vaddr[i]);
	if (paddr >= SV_MB_4G) {
		snprintf(c->why, c->len,
			 "ELF entry point 0x%llx lands at 0x%llx in segment %u, above 4 GiB, out of reach of 32-bit protected mode",
			 entry, paddr, c->phdr[i]);
		return -ENOEXEC;
	}
	plan->entry = paddr;
	return 0;
}

int sv_mb_parse(const void *image, size_t size, u64 mem_size,
		struct sv_mb_plan *plan, char *why, size_t len)
{
	static const u8 elf_magic[4] = { 0x7f, 'E', 'L', 'F' };
	struct sv_mb_ctx c = {
		.image = image,
		.size = size,
		.mem_size = mem_size,
		.plan = plan,
		.why = why,
		.len = why ? len : 0,
	};
	size_t hoff;
	u32 flags;
	int err;

	if (c.len)
		why[0] = '\0';
	*plan = (struct sv_mb_plan){ 0 };

	if (!mem_size || mem_size % SPLITVISOR_VM_MEM_UNIT) {
		snprintf(c.why, c.len,
			 "VM memory size 0x%llx is not a positive multiple of 0x%x",
			 mem_size, SPLITVISOR_VM_MEM_UNIT);
		return -EINVAL;
	}
	if (size > SPLITVISOR_IMAGE_MAX) {
		snprintf(c.why, c.len,
			 "the image (0x%zx bytes) is larger than the 0x%x bytes an image may have",
			 size, SPLITVISOR_IMAGE_MAX);
		return -E2BIG;
	}

	err = sv_mb_find_header(&c, &hoff);
	if (err)
		goto fail;
	flags = sv_mb_get32(c.image + hoff + 4);
	if (flags & SV_MB_FLAG_VIDEO_MODE) {
		snprintf(c.why, c.len,
			 "video mode requests are not supported (header flags 0x%08x, bit 2)",
			 flags);
		err = -EOPNOTSUPP;
		goto fail;
	}
	if (flags & SV_MB_FLAG_REQUIRED &
	    ~(SV_MB_FLAG_PAGE_ALIGN | SV_MB_FLAG_MEMORY_INFO)) {
		snprintf(c.why, c.len,
			 "the header requires features this loader does not know (flags 0x%08x)",
			 flags);
		err = -EOPNOTSUPP;
		goto fail;
	}

	if (flags & SV_MB_FLAG_AOUT_KLUDGE) {
		err = sv_mb_load_aout(&c, hoff);
	} else if (size < sizeof(elf_magic) ||
		   c.image[0] != elf_magic[0] || c.image[1] != elf_magic[1] ||
		   c.image[2] != elf_magic[2] || c.image[3] != elf_magic[3]) {
		snprintf(c.why, c.len,
			 "not a Multiboot image: not ELF, and its header gives no load addresses (flags bit 16)");
		err = -ENOEXEC;
	} else {
		err = sv_mb_load_elf(&c);
	}
	if (!err)
		return 0;
fail:
	*plan = (struct sv_mb_plan){ 0 };
	return err;
}

static void sv_mb_mmap_entry(struct sv_mb_mmap_entry *e, u64 base, u64 length)
{
	e->size = sizeof(*e) - sizeof(e->size);
	e->base_lo = (u32)base;
	e->base_hi = base >> 32;
	e->length_lo = (u32)length;
	e->length_hi = length >> 32;
	e->type = SV_MB_MMAP_AVAILABLE;
}

u32 sv_mb_build_info(void *page, u64 mem_size, const char *cmdline)
{
	struct sv_mb_info *info = page;
	struct sv_mb_mmap_entry *mmap;
	u8 *p = page;
	char *line;
	u64 upper;
	size_t i;

	for (i = 0; i < SV_MB_INFO_SIZE; i++)
		p[i] = 0;

	upper = mem_size > SV_MB_HIGH_MEM_START ?
		(mem_size - SV_MB_HIGH_MEM_START) / 1024 : 0;
	info->flags = SV_MB_INFO_MEMORY | SV_MB_INFO_MEM_MAP;
	info->mem_lower = SV_MB_LOW_MEM_END / 1024;
	info->mem_upper = upper < SV_MB_4G ? upper : 0xffffffffU;

	mmap = (struct sv_mb_mmap_entry *)(p + SV_MB_INFO_MMAP_OFFSET);
	sv_mb_mmap_entry(&mmap[0], 0, SV_MB_LOW_MEM_END);
	info->mmap_length = sizeof(*mmap);
	if (mem_size > SV_MB_HIGH_MEM_START) {
		sv_mb_mmap_entry(&mmap[1], SV_MB_HIGH_MEM_START,
				 mem_size - SV_MB_HIGH_MEM_START);
		info->mmap_length += sizeof(*mmap);
	}
	info->mmap_addr = SV_MB_INFO_GPA + SV_MB_INFO_MMAP_OFFSET;

	if (cmdline) {
		line = (char *)p + SV_MB_INFO_CMDLINE_OFFSET;
		for (i = 0; i < SPLITVISOR_VM_CMDLINE_MAX && cmdline[i]; i++)
			line[i] = cmdline[i];
		line[i] = '\0';
		info->flags |= SV_MB_INFO_CMDLINE;
		info->cmdline = SV_MB_INFO_GPA + SV_MB_INFO_CMDLINE_OFFSET;
	}
	return SV_MB_INFO_GPA;
}
