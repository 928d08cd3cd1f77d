// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot load plans of synthetic ELF32, ELF64 and a.out kludge images,
 * every way of rejecting one, the information page byte by byte, and
 * random corruptions of a good image.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include <splitvisor.h>
#include "multiboot.h"

#define KiB		0x400ULL
#define MiB		(1024 * KiB)
#define GiB		(1024 * MiB)

#define MB_MAGIC	0x1badb002U
#define MB_FLAGS	0x3U		/* page-align modules, memory info */
#define MB_AOUT		0x10000U
#define PT_LOAD		1
#define PT_NOTE		4
#define PHOFF		64		/* program headers after either header */

static u8 img[0x10000];
static size_t img_size;
static bool img64;
static unsigned int img_phnum;
static unsigned int img_phentsize;
static struct sv_mb_plan plan;
static char why[512];

static void put16(size_t off, u16 v)
{
	img[off] = v;
	img[off + 1] = v >> 8;
}

static void put32(size_t off, u32 v)
{
	put16(off, v);
	put16(off + 2, v >> 16);
}

static void put64(size_t off, u64 v)
{
	put32(off, v);
	put32(off + 4, v >> 32);
}

/* An executable of @size bytes for EM_386 or EM_X86_64, no program headers. */
static void elf(bool is64, size_t size)
{
	memset(img, 0, sizeof(img));
	img_size = size;
	img64 = is64;
	img_phnum = 0;
	img_phentsize = is64 ? 56 : 32;
	memcpy(img, "\177ELF", 4);
	img[4] = is64 ? 2 : 1;
	img[5] = 1;
	img[6] = 1;
	put16(16, 2);
	put16(18, is64 ? 62 : 3);
	put32(20, 1);
	if (is64) {
		put64(32, PHOFF);
		put16(52, 64);
		put16(54, img_phentsize);
	} else {
		put32(28, PHOFF);
		put16(40, 52);
		put16(42, img_phentsize);
	}
}

static void set_entry(u64 entry)
{
	if (img64)
		put64(24, entry);
	else
		put32(24, entry);
}

static void set_phnum(unsigned int n)
{
	img_phnum = n;
	put16(img64 ? 56 : 44, n);
}

static void set_phentsize(unsigned int n)
{
	img_phentsize = n;
	put16(img64 ? 54 : 42, n);
}

static void set_phoff(u64 off)
{
	if (img64)
		put64(32, off);
	else
		put32(28, off);
}

/* Append a program header. */
static void phdr(u32 type, u64 offset, u64 vaddr, u64 paddr, u64 filesz,
		 u64 memsz)
{
	size_t p = PHOFF + img_phnum * img_phentsize;

	put32(p, type);
	if (img64) {
		put32(p + 4, 7);
		put64(p + 8, offset);
		put64(p + 16, vaddr);
		put64(p + 24, paddr);
		put64(p + 32, filesz);
		put64(p + 40, memsz);
		put64(p + 48, 0x1000);
	} else {
		put32(p + 4, offset);
		put32(p + 8, vaddr);
		put32(p + 12, paddr);
		put32(p + 16, filesz);
		put32(p + 20, memsz);
		put32(p + 24, 7);
		put32(p + 28, 0x1000);
	}
	set_phnum(img_phnum + 1);
}

static void load(u64 offset, u64 paddr, u64 filesz, u64 memsz)
{
	phdr(PT_LOAD, offset, paddr, paddr, filesz, memsz);
}

static void mb_header(size_t off, u32 flags)
{
	put32(off, MB_MAGIC);
	put32(off + 4, flags);
	put32(off + 8, 0U - MB_MAGIC - flags);
}

/* A header with flags bit 16 and its address fields. */
static void aout_header(size_t off, u32 header_addr, u32 load_addr,
			u32 load_end, u32 bss_end, u32 entry)
{
	mb_header(off, MB_FLAGS | MB_AOUT);
	put32(off + 12, header_addr);
	put32(off + 16, load_addr);
	put32(off + 20, load_end);
	put32(off + 24, bss_end);
	put32(off + 28, entry);
}

/*
 * What most tests start from: text at 1 MiB from offset 0x1000, where the
 * header is, and data with bss after it at 2 MiB.
 */
static void good(bool is64)
{
	elf(is64, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	load(0x1000, 0x100000, 0x2000, 0x2000);
	load(0x3000, 0x200000, 0x1000, 0x3000);
	set_entry(0x100010);
}

/*
 * Parse a copy of the image in a buffer of its exact size, so that a
 * build with -fsanitize=address catches any read beyond it.
 */
static int parse(u64 mem_size)
{
	u8 *copy = malloc(img_size ? img_size : 1);
	int err;

	if (!copy)
		abort();
	memcpy(copy, img, img_size);
	memset(why, 'x', sizeof(why));
	plan.nr_segments = 99;
	err = sv_mb_parse(copy, img_size, mem_size, &plan, why, sizeof(why));
	free(copy);
	return err;
}

#define EXPECT_REJECT(err, mem_size, text) do {				\
	ASSERT_EQ(err, parse(mem_size));				\
	ASSERT_STREQ(text, why);					\
	ASSERT_EQ(0U, plan.nr_segments);				\
	ASSERT_EQ(0U, plan.entry);					\
} while (0)

#define EXPECT_SEG(i, _gpa, _offset, _filesz, _memsz) do {		\
	const struct sv_mb_segment *_s = &plan.seg[i];			\
									\
	ASSERT_EQ((u64)(_gpa), _s->gpa);				\
	ASSERT_EQ((u64)(_offset), _s->offset);				\
	ASSERT_EQ((u64)(_filesz), _s->filesz);				\
	ASSERT_EQ((u64)(_memsz), _s->memsz);				\
} while (0)

TEST(elf32_plan)
{
	good(false);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_STREQ("", why);
	ASSERT_EQ(2U, plan.nr_segments);
	EXPECT_SEG(0, 0x100000, 0x1000, 0x2000, 0x2000);
	EXPECT_SEG(1, 0x200000, 0x3000, 0x1000, 0x3000);
	ASSERT_EQ(0x100010U, plan.entry);
}

TEST(elf64_plan)
{
	good(true);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(2U, plan.nr_segments);
	EXPECT_SEG(0, 0x100000, 0x1000, 0x2000, 0x2000);
	EXPECT_SEG(1, 0x200000, 0x3000, 0x1000, 0x3000);
	ASSERT_EQ(0x100010U, plan.entry);
}

/* Linked at 3 GiB, loaded at 1 MiB: the entry moves with its segment. */
TEST(higher_half_entry_is_translated)
{
	elf(false, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	phdr(PT_LOAD, 0x1000, 0xc0100000, 0x100000, 0x2000, 0x2000);
	phdr(PT_LOAD, 0x3000, 0xc0200000, 0x200000, 0x1000, 0x1000);
	set_entry(0xc0200020);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(2U, plan.nr_segments);
	EXPECT_SEG(0, 0x100000, 0x1000, 0x2000, 0x2000);
	ASSERT_EQ(0x200020U, plan.entry);

	elf(true, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	phdr(PT_LOAD, 0x1000, 0x40100000, 0x100000, 0x2000, 0x2000);
	set_entry(0x40100ff0);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(0x100ff0U, plan.entry);
}

TEST(other_and_empty_segments_are_skipped)
{
	elf(false, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	phdr(PT_NOTE, 0xfffff000, 0, 0xfffff000, 0x10000, 0x10000);
	load(0x1000, 0x100000, 0x2000, 0x2000);
	/* Nothing to load: neither its address nor its offset matters. */
	load(0xffffff00, 0xfffff000, 0, 0);
	phdr(0x6474e551, 0, 0, 0, 0, 0);	/* PT_GNU_STACK */
	/* Only zeroes: no file bytes, at any offset. */
	load(0xffffff00, 0x300000, 0, 0x1000);
	set_entry(0x100000);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(2U, plan.nr_segments);
	EXPECT_SEG(0, 0x100000, 0x1000, 0x2000, 0x2000);
	/* The offset of no bytes is 0. */
	EXPECT_SEG(1, 0x300000, 0, 0, 0x1000);
	ASSERT_EQ(0x100000U, plan.entry);
}

/* Program headers larger than the ELF structure, as the format allows. */
TEST(larger_program_header_entries)
{
	elf(true, 0x4000);
	set_phentsize(80);
	mb_header(0x1000, MB_FLAGS);
	load(0x1000, 0x100000, 0x2000, 0x2000);
	load(0x3000, 0x200000, 0x1000, 0x1000);
	set_entry(0x200000);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(2U, plan.nr_segments);
	EXPECT_SEG(1, 0x200000, 0x3000, 0x1000, 0x1000);
	ASSERT_EQ(0x200000U, plan.entry);
}

TEST(segments_fill_memory_to_the_edges)
{
	/* Right below and above the information page, up to the end. */
	elf(false, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	load(0x1000, 0, 0x1000, SV_MB_INFO_GPA);
	load(0x2000, SV_MB_INFO_GPA + 0x1000, 0x1000, 0x1000);
	load(0x3000, 2 * MiB - 0x1000, 0x1000, 0x1000);
	set_entry(2 * MiB - 1);
	ASSERT_EQ(0, parse(2 * MiB));
	ASSERT_EQ(3U, plan.nr_segments);
	EXPECT_SEG(0, 0, 0x1000, 0x1000, SV_MB_INFO_GPA);
	EXPECT_SEG(1, 0xa000, 0x2000, 0x1000, 0x1000);
	ASSERT_EQ(2 * MiB - 1, plan.entry);
}

TEST(at_most_16_segments)
{
	unsigned int i;

	elf(false, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	for (i = 0; i < SV_MB_MAX_SEGMENTS; i++)
		load(0x1000, 0x100000 + i * 0x1000, 0x100, 0x1000);
	set_entry(0x100000);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ((unsigned int)SV_MB_MAX_SEGMENTS, plan.nr_segments);
	EXPECT_SEG(15, 0x10f000, 0x1000, 0x100, 0x1000);

	load(0x1000, 0x200000, 0x100, 0x1000);
	EXPECT_REJECT(-E2BIG, 4 * MiB, "more than 16 loadable segments");
}

TEST(no_header)
{
	good(false);
	put32(0x1000, MB_MAGIC + 1);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "not a Multiboot image: no Multiboot header in the first 8192 bytes");

	img_size = 0;
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "not a Multiboot image: no Multiboot header in the first 8192 bytes");
}

TEST(bad_checksum)
{
	good(false);
	put32(0x1008, 0);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "not a Multiboot image: the header at 0x1000 has a bad checksum (0x00000000, not 0xe4524ffb)");

	/* As GRUB, a later header with a good checksum is taken. */
	mb_header(0x1010, MB_FLAGS);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(2U, plan.nr_segments);
}

TEST(header_within_first_8k)
{
	good(false);
	put32(0x1000, 0);

	/* Its last byte at 8191 is the furthest it may be. */
	mb_header(8192 - 12, MB_FLAGS);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(2U, plan.nr_segments);

	memset(img + 8192 - 12, 0, 12);
	mb_header(8192 - 8, MB_FLAGS);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "not a Multiboot image: no Multiboot header in the first 8192 bytes");

	memset(img + 8192 - 8, 0, 12);
	mb_header(8192, MB_FLAGS);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "not a Multiboot image: no Multiboot header in the first 8192 bytes");

	/* The header is 4-byte aligned. */
	memset(img + 8192, 0, 12);
	mb_header(0x1002, MB_FLAGS);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "not a Multiboot image: no Multiboot header in the first 8192 bytes");
}

/* A header at the very end of an image shorter than 8 KiB, and past it. */
TEST(header_at_the_end_of_a_short_image)
{
	elf(false, 0x100);
	load(0, 0x100000, 0x100, 0x100);
	set_entry(0x100000);
	mb_header(0x100 - 12, MB_FLAGS);
	ASSERT_EQ(0, parse(2 * MiB));
	ASSERT_EQ(1U, plan.nr_segments);

	img_size = 0x100 - 4;
	EXPECT_REJECT(-ENOEXEC, 2 * MiB,
		      "not a Multiboot image: no Multiboot header in the first 8192 bytes");
}

TEST(not_elf_without_load_addresses)
{
	memset(img, 0x90, sizeof(img));
	img_size = 0x1000;
	mb_header(0x40, MB_FLAGS);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "not a Multiboot image: not ELF, and its header gives no load addresses (flags bit 16)");
}

TEST(truncated_elf_header)
{
	/* Only the header, over the start of the ELF header's fields. */
	elf(false, 40);
	mb_header(16, MB_FLAGS);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "truncated ELF header: the image has 0x28 bytes, an ELF32 header takes 52");

	elf(true, 60);
	mb_header(16, MB_FLAGS);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "truncated ELF header: the image has 0x3c bytes, an ELF64 header takes 64");
}

TEST(bad_elf_identification)
{
	good(false);
	img[4] = 3;
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF class 3 is neither ELFCLASS32 nor ELFCLASS64");

	good(false);
	img[5] = 2;
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF data encoding 2 is not little-endian (ELFDATA2LSB)");

	good(true);
	img[6] = 0;
	EXPECT_REJECT(-ENOEXEC, 4 * MiB, "ELF version 0 is not EV_CURRENT");
}

TEST(not_an_executable)
{
	good(false);
	put16(16, 3);	/* ET_DYN */
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF type 3 is not an executable (ET_EXEC)");
}

TEST(wrong_machine)
{
	good(false);
	put16(18, 62);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB, "ELF32 machine 62 is not EM_386 (3)");

	good(true);
	put16(18, 3);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF64 machine 3 is not EM_X86_64 (62)");

	good(true);
	put16(18, 40);	/* EM_ARM */
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF64 machine 40 is not EM_X86_64 (62)");
}

TEST(program_header_table_outside_the_image)
{
	good(false);
	set_phoff(0x4000 - 32);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "the ELF program header table (2 entries of 32 bytes at offset 0x3fe0) lies beyond the end of the image (0x4000 bytes)");

	/* Offset plus size wraps around 2^64. */
	good(true);
	set_phoff(~0ULL - 8);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "the ELF program header table (2 entries of 56 bytes at offset 0xfffffffffffffff7) lies beyond the end of the image (0x4000 bytes)");

	good(true);
	set_phnum(0xffff);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "the ELF program header table (65535 entries of 56 bytes at offset 0x40) lies beyond the end of the image (0x4000 bytes)");

	/* Entries overlapping each other, shorter than the structure. */
	good(false);
	set_phentsize(16);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF program header size 16 is below the 32 of ELF32");
}

TEST(no_segment_to_load)
{
	good(false);
	set_phnum(0);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB, "the ELF image has no program headers");

	elf(true, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	phdr(PT_NOTE, 0x1000, 0, 0x100000, 0x100, 0x100);
	load(0x1000, 0x100000, 0, 0);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "the ELF image has no segment to load (PT_LOAD)");
}

TEST(file_bytes_beyond_the_image)
{
	good(false);
	load(0x3800, 0x300000, 0x1000, 0x1000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 2: its 0x1000 file bytes at offset 0x3800 lie beyond the end of the image (0x4000 bytes)");

	good(false);
	load(0x4001, 0x300000, 0, 0x1000);
	ASSERT_EQ(0, parse(4 * MiB));
	load(0x4001, 0x301000, 1, 0x1000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 3: its 0x1 file bytes at offset 0x4001 lie beyond the end of the image (0x4000 bytes)");
}

TEST(offset_plus_file_size_wraps)
{
	good(true);
	load(0xfffffffffffff000ULL, 0x300000, 0x2000, 0x2000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 2: its 0x2000 file bytes at offset 0xfffffffffffff000 lie beyond the end of the image (0x4000 bytes)");

	good(false);
	load(0xfffff000, 0x300000, 0x2000, 0x2000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 2: its 0x2000 file bytes at offset 0xfffff000 lie beyond the end of the image (0x4000 bytes)");
}

TEST(file_size_above_memory_size)
{
	good(false);
	load(0x1000, 0x300000, 0x2000, 0x1000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 2: its file size 0x2000 is larger than its memory size 0x1000");

	good(true);
	load(0x1000, 0x300000, 0x10, 0);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 2: its file size 0x10 is larger than its memory size 0x0");
}

TEST(segment_beyond_memory)
{
	good(false);
	EXPECT_REJECT(-ERANGE, 2 * MiB,
		      "segment 1 (0x200000-0x203000) ends beyond the VM's memory (0x200000 bytes)");

	good(false);
	load(0x1000, 0x3ff000, 0x1000, 0x1001);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "segment 2 (0x3ff000-0x400001) ends beyond the VM's memory (0x400000 bytes)");

	/* Wholly above it, in a 64-bit address. */
	good(true);
	load(0x1000, 0x100000000ULL, 0x1000, 0x1000);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "segment 2 (0x100000000-0x100001000) ends beyond the VM's memory (0x400000 bytes)");
	ASSERT_EQ(0, parse(8 * GiB));
	EXPECT_SEG(2, 0x100000000ULL, 0x1000, 0x1000, 0x1000);
}

TEST(segment_address_wraps)
{
	good(true);
	load(0x1000, 0xfffffffffffff000ULL, 0x1000, 0x2000);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "segment 2 (0x2000 bytes at 0xfffffffffffff000) ends beyond the VM's memory (0x400000 bytes)");

	good(true);
	load(0x1000, 0xfffffffffffff000ULL, 0x1000, 0x1000);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "segment 2 (0x1000 bytes at 0xfffffffffffff000) ends beyond the VM's memory (0x400000 bytes)");
}

TEST(segment_over_the_info_page)
{
	good(false);
	load(0x1000, 0x8000, 0x1000, 0x2000);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "segment 2 (0x8000-0xa000) overlaps the Multiboot information page (0x9000-0xa000)");

	good(false);
	load(0x1000, 0x9fff, 0, 1);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "segment 2 (0x9fff-0xa000) overlaps the Multiboot information page (0x9000-0xa000)");

	good(false);
	load(0x1000, 0, 0, 1 * MiB);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "segment 2 (0x0-0x100000) overlaps the Multiboot information page (0x9000-0xa000)");
}

TEST(overlapping_segments)
{
	good(false);
	load(0x3000, 0x101000, 0x1000, 0x1000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 2 (0x101000-0x102000) overlaps segment 0 (0x100000-0x102000)");

	/* One holding another, and in the other order. */
	elf(false, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	load(0x1000, 0x200800, 0x100, 0x100);
	phdr(PT_NOTE, 0, 0, 0, 0, 0);
	load(0x1000, 0x200000, 0x1000, 0x3000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "segment 2 (0x200000-0x203000) overlaps segment 0 (0x200800-0x200900)");

	/* Touching is not overlapping. */
	good(false);
	load(0x3000, 0x102000, 0x1000, 0x1000);
	load(0x3000, 0x1ff000, 0x1000, 0x1000);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(4U, plan.nr_segments);
}

TEST(entry_outside_the_segments)
{
	good(false);
	set_entry(0x102000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF entry point 0x102000 lies outside every loaded segment");

	set_entry(0xfffff);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF entry point 0xfffff lies outside every loaded segment");

	/* Its zeroed part is part of a segment. */
	set_entry(0x202fff);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(0x202fffU, plan.entry);

	/* The physical address of a higher-half segment is not its entry. */
	elf(false, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	phdr(PT_LOAD, 0x1000, 0xc0100000, 0x100000, 0x2000, 0x2000);
	set_entry(0x100000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF entry point 0x100000 lies outside every loaded segment");
}

TEST(elf64_entry_above_4g)
{
	good(true);
	set_entry(0x100000000ULL);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF entry point 0x100000000 is above 4 GiB, out of reach of 32-bit protected mode");

	/* Even where a segment's virtual range holds it. */
	elf(true, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	phdr(PT_LOAD, 0x1000, 0xffffffff80100000ULL, 0x100000, 0x2000,
	     0x2000);
	set_entry(0xffffffff80100000ULL);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "ELF entry point 0xffffffff80100000 is above 4 GiB, out of reach of 32-bit protected mode");

	/* Or one that lands above 4 GiB through its segment. */
	elf(true, 0x4000);
	mb_header(0x1000, MB_FLAGS);
	phdr(PT_LOAD, 0x1000, 0x100000, 0x100000000ULL, 0x2000, 0x2000);
	set_entry(0x100010);
	EXPECT_REJECT(-ENOEXEC, 8 * GiB,
		      "ELF entry point 0x100010 lands at 0x100000010 in segment 0, above 4 GiB, out of reach of 32-bit protected mode");
}

TEST(video_mode_is_refused)
{
	good(false);
	mb_header(0x1000, MB_FLAGS | 0x4);
	EXPECT_REJECT(-EOPNOTSUPP, 4 * MiB,
		      "video mode requests are not supported (header flags 0x00000007, bit 2)");
}

TEST(required_flags)
{
	good(false);
	mb_header(0x1000, 0x8);
	EXPECT_REJECT(-EOPNOTSUPP, 4 * MiB,
		      "the header requires features this loader does not know (flags 0x00000008)");

	mb_header(0x1000, MB_FLAGS | 0x8000);
	EXPECT_REJECT(-EOPNOTSUPP, 4 * MiB,
		      "the header requires features this loader does not know (flags 0x00008003)");

	/* Bits 0 and 1 alone, none, and unknown optional bits are fine. */
	mb_header(0x1000, 0);
	ASSERT_EQ(0, parse(4 * MiB));
	mb_header(0x1000, 0x1);
	ASSERT_EQ(0, parse(4 * MiB));
	mb_header(0x1000, 0xfffe0003);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(2U, plan.nr_segments);
}

/* A flat binary with its load addresses in the header. */
TEST(aout_kludge_binary)
{
	memset(img, 0x90, sizeof(img));
	img_size = 0x3000;
	aout_header(0x40, 0x100040, 0x100000, 0x102000, 0x105000, 0x100080);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(1U, plan.nr_segments);
	EXPECT_SEG(0, 0x100000, 0, 0x2000, 0x5000);
	ASSERT_EQ(0x100080U, plan.entry);

	/* Loading from the middle of the file, up to its end, no bss. */
	aout_header(0x1040, 0x200040, 0x200000, 0, 0, 0x200000);
	memset(img + 0x40, 0, 32);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(1U, plan.nr_segments);
	EXPECT_SEG(0, 0x200000, 0x1000, 0x2000, 0x2000);
	ASSERT_EQ(0x200000U, plan.entry);
}

/* Per the specification its addresses take precedence over ELF's. */
TEST(aout_kludge_over_elf)
{
	good(true);
	aout_header(0x1000, 0x300000, 0x300000, 0x301000, 0, 0x300010);
	ASSERT_EQ(0, parse(4 * MiB));
	ASSERT_EQ(1U, plan.nr_segments);
	EXPECT_SEG(0, 0x300000, 0x1000, 0x1000, 0x1000);
	ASSERT_EQ(0x300010U, plan.entry);
}

TEST(aout_kludge_rejections)
{
	memset(img, 0x90, sizeof(img));
	img_size = 0x3000;

	aout_header(0x40, 0x100040, 0x100100, 0x102000, 0, 0x100100);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "header load_addr 0x100100 is above its header_addr 0x100040");

	aout_header(0x40, 0x100040, 0xff000, 0, 0, 0x100000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "header load_addr 0xff000 would load from 0x1040 bytes before the header at offset 0x40, before the start of the image");

	aout_header(0x40, 0x100040, 0x100000, 0x103001, 0, 0x100000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "header load_end_addr 0x103001 is not within the image loaded at 0x100000 (0x3000 bytes from offset 0x0)");

	aout_header(0x40, 0x100040, 0x100000, 0xfffff, 0, 0x100000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "header load_end_addr 0xfffff is not within the image loaded at 0x100000 (0x3000 bytes from offset 0x0)");

	aout_header(0x40, 0x100040, 0x100000, 0x102000, 0x101000, 0x100000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "header bss_end_addr 0x101000 is below the end of the loaded bytes (0x102000)");

	aout_header(0x40, 0x100040, 0x100000, 0x100000, 0, 0x100000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "the header's address fields load nothing");

	aout_header(0x40, 0x100040, 0x100000, 0x102000, 0x105000, 0x105000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "entry point 0x105000 lies outside the loaded range (0x100000-0x105000)");

	aout_header(0x40, 0x3ff040, 0x3ff000, 0, 0x404000, 0x3ff000);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "the a.out load range (0x3ff000-0x404000) ends beyond the VM's memory (0x400000 bytes)");

	aout_header(0x40, 0x8040, 0x8000, 0, 0, 0x8000);
	EXPECT_REJECT(-ERANGE, 4 * MiB,
		      "the a.out load range (0x8000-0xb000) overlaps the Multiboot information page (0x9000-0xa000)");

	/* Its 32 bytes must lie in the image and in its first 8 KiB. */
	aout_header(0x40, 0x100040, 0x100000, 0, 0, 0x100000);
	img_size = 0x40 + 28;
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "the header at 0x40 is cut short: with flags bit 16 it takes 32 bytes, within the first 8192 of the image");

	img_size = 0x3000;
	memset(img + 0x40, 0, 32);
	aout_header(8192 - 16, 0x100000 + 8192 - 16, 0x100000, 0, 0, 0x100000);
	EXPECT_REJECT(-ENOEXEC, 4 * MiB,
		      "the header at 0x1ff0 is cut short: with flags bit 16 it takes 32 bytes, within the first 8192 of the image");
}

TEST(bad_arguments)
{
	good(false);
	EXPECT_REJECT(-EINVAL, 0,
		      "VM memory size 0x0 is not a positive multiple of 0x200000");
	EXPECT_REJECT(-EINVAL, 3 * MiB,
		      "VM memory size 0x300000 is not a positive multiple of 0x200000");
	EXPECT_REJECT(-EINVAL, 4 * KiB,
		      "VM memory size 0x1000 is not a positive multiple of 0x200000");

	/* Refused on its size alone, before a byte of it is read. */
	ASSERT_EQ(-E2BIG, sv_mb_parse(img, SPLITVISOR_IMAGE_MAX + 1ULL,
				      4 * MiB, &plan, why, sizeof(why)));
	ASSERT_STREQ(why,
		     "the image (0x4000001 bytes) is larger than the 0x4000000 bytes an image may have");
}

TEST(reason_buffer_is_optional)
{
	char small[12];

	good(false);
	put32(0x1000, 0);
	ASSERT_EQ(-ENOEXEC, sv_mb_parse(img, img_size, 4 * MiB, &plan, NULL,
					sizeof(why)));
	ASSERT_EQ(-ENOEXEC, sv_mb_parse(img, img_size, 4 * MiB, &plan, small,
					sizeof(small)));
	ASSERT_STREQ("not a Multi", small);
	memset(small, 'x', sizeof(small));
	ASSERT_EQ(-ENOEXEC, sv_mb_parse(img, img_size, 4 * MiB, &plan, small,
					0));
	ASSERT_EQ('x', small[0]);
}

/* Whether the plan keeps the promises of sv_mb_parse(); 0 if it does. */
static int check_plan(size_t size, u64 mem_size)
{
	const struct sv_mb_segment *s, *t;
	bool entry_in = false;
	unsigned int i, j;

	if (!plan.nr_segments || plan.nr_segments > SV_MB_MAX_SEGMENTS)
		return -1;
	for (i = 0; i < plan.nr_segments; i++) {
		s = &plan.seg[i];
		if (!s->memsz || s->filesz > s->memsz ||
		    s->offset > size || s->filesz > size - s->offset ||
		    s->gpa >= mem_size || s->memsz > mem_size - s->gpa)
			return -1;
		if (s->gpa < SV_MB_INFO_GPA + SV_MB_INFO_SIZE &&
		    s->gpa + s->memsz > SV_MB_INFO_GPA)
			return -1;
		for (j = 0; j < i; j++) {
			t = &plan.seg[j];
			if (s->gpa < t->gpa + t->memsz &&
			    t->gpa < s->gpa + s->memsz)
				return -1;
		}
		if (plan.entry >= s->gpa && plan.entry - s->gpa < s->memsz)
			entry_in = true;
	}
	return entry_in ? 0 : -1;
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Good images with random bytes of their headers changed and random
 * lengths: each is refused with a reason or planned within the rules.
 */
TEST(random_corruptions)
{
	static const u64 mem_sizes[] = { 2 * MiB, 4 * MiB, 8 * GiB };
	static const u8 values[] = { 0, 1, 2, 0x10, 0x20, 0x40, 0x80, 0xff };
	unsigned int round, n, accepted = 0;
	u64 mem_size;
	size_t off;
	int err;

	for (round = 0; round < 20000; round++) {
		good(rng() % 2);
		if (rng() % 4 == 0)
			aout_header(0x1000, 0x100000 + rng() % 0x2000,
				    0x100000, 0x100000 + rng() % 0x4000,
				    rng() % 2 ? 0 : 0x100000 + rng() % 0x8000,
				    0x100000 + rng() % 0x4000);
		for (n = 1 + rng() % 6; n; n--) {
			/* Mostly the ELF and program headers. */
			off = rng() % 4 ? rng() % 0x100 : 0x1000 + rng() % 32;
			img[off] = rng() % 2 ? (u8)rng() :
				   values[rng() % sizeof(values)];
		}
		if (rng() % 8 == 0)
			img_size = rng() % 0x4001;
		mem_size = mem_sizes[rng() % 3];

		err = parse(mem_size);
		if (!err) {
			accepted++;
			ASSERT_EQ(0, check_plan(img_size, mem_size));
			ASSERT_STREQ("", why);
		} else {
			ASSERT_TRUE(err == -ENOEXEC || err == -ERANGE ||
				    err == -E2BIG || err == -EOPNOTSUPP);
			ASSERT_EQ(0U, plan.nr_segments);
			ASSERT_NE(0, why[0]);
			ASSERT_NE(NULL, memchr(why, '\0', sizeof(why)));
		}
	}
	/* Both outcomes were exercised. */
	ASSERT_LT(1000U, accepted);
	ASSERT_GT(19000U, accepted);
}

static u8 page[SV_MB_INFO_SIZE];

static u32 info_u32(size_t off)
{
	u32 v;

	memcpy(&v, page + off, sizeof(v));
	return v;
}

/* Whether the page is zero in [@from, @to). */
static bool zero_between(size_t from, size_t to)
{
	for (; from < to; from++)
		if (page[from])
			return false;
	return true;
}

TEST(info_memory)
{
	memset(page, 0xaa, sizeof(page));
	ASSERT_EQ(0x9000U, sv_mb_build_info(page, 4 * MiB, NULL));
	/* flags: memory sizes and map, no command line. */
	ASSERT_EQ(0x41U, info_u32(0));
	ASSERT_EQ(640U, info_u32(4));
	ASSERT_EQ(3 * 1024U, info_u32(8));
	ASSERT_EQ(0U, info_u32(16));
	ASSERT_EQ(48U, info_u32(44));
	ASSERT_EQ(0x9100U, info_u32(48));
	/* Nothing else: the rest of the page is cleared. */
	ASSERT_TRUE(zero_between(12, 44));
	ASSERT_TRUE(zero_between(52, 0x100));
	ASSERT_TRUE(zero_between(0x100 + 48, sizeof(page)));

	/* The same through the structure. */
	ASSERT_EQ(0x41U, ((struct sv_mb_info *)page)->flags);
	ASSERT_EQ(3072U, ((struct sv_mb_info *)page)->mem_upper);
	ASSERT_EQ(0x9100U, ((struct sv_mb_info *)page)->mmap_addr);
	ASSERT_EQ(88U, sizeof(struct sv_mb_info));
	ASSERT_EQ(24U, sizeof(struct sv_mb_mmap_entry));
}

TEST(info_memory_map_bytes)
{
	static const u8 map_4m[48] = {
		0x14, 0, 0, 0,			/* size */
		0, 0, 0, 0, 0, 0, 0, 0,		/* base 0 */
		0, 0, 0x0a, 0, 0, 0, 0, 0,	/* length 640 KiB */
		1, 0, 0, 0,			/* available */
		0x14, 0, 0, 0,
		0, 0, 0x10, 0, 0, 0, 0, 0,	/* base 1 MiB */
		0, 0, 0x30, 0, 0, 0, 0, 0,	/* length 3 MiB */
		1, 0, 0, 0,
	};
	static const u8 high_8g[24] = {
		0x14, 0, 0, 0,
		0, 0, 0x10, 0, 0, 0, 0, 0,
		0, 0, 0xf0, 0xff, 0x01, 0, 0, 0, /* length 8 GiB - 1 MiB */
		1, 0, 0, 0,
	};

	sv_mb_build_info(page, 4 * MiB, NULL);
	ASSERT_EQ(0, memcmp(page + 0x100, map_4m, sizeof(map_4m)));

	sv_mb_build_info(page, 8 * GiB, NULL);
	ASSERT_EQ(0, memcmp(page + 0x100, map_4m, 24));
	ASSERT_EQ(0, memcmp(page + 0x100 + 24, high_8g, sizeof(high_8g)));
	ASSERT_EQ(8 * 1024 * 1024 - 1024U, info_u32(8));
}

TEST(info_mem_upper_saturates)
{
	sv_mb_build_info(page, 8 * 1024 * GiB, NULL);
	ASSERT_EQ(0xffffffffU, info_u32(8));
	sv_mb_build_info(page, 4 * 1024 * GiB, NULL);
	ASSERT_EQ(0xfffffc00U, info_u32(8));
}

TEST(info_cmdline)
{
	static const char line[] = "console=ttyS0 loglevel=7";

	memset(page, 0xaa, sizeof(page));
	ASSERT_EQ(0x9000U, sv_mb_build_info(page, 2 * MiB, line));
	ASSERT_EQ(0x45U, info_u32(0));
	ASSERT_EQ(1024U, info_u32(8));
	ASSERT_EQ(0x9200U, info_u32(16));
	ASSERT_STREQ(line, (char *)page + 0x200);
	ASSERT_TRUE(zero_between(0x200 + sizeof(line), sizeof(page)));
	ASSERT_TRUE(zero_between(0x100 + 48, 0x200));
}

TEST(info_empty_and_no_cmdline)
{
	memset(page, 0xaa, sizeof(page));
	sv_mb_build_info(page, 2 * MiB, "");
	ASSERT_EQ(0x45U, info_u32(0));
	ASSERT_EQ(0x9200U, info_u32(16));
	ASSERT_TRUE(zero_between(0x100 + 48, sizeof(page)));

	memset(page, 0xaa, sizeof(page));
	sv_mb_build_info(page, 2 * MiB, NULL);
	ASSERT_EQ(0x41U, info_u32(0));
	ASSERT_EQ(0U, info_u32(16));
	ASSERT_TRUE(zero_between(0x100 + 48, sizeof(page)));
}

TEST(info_cmdline_at_most_the_limit)
{
	static char line[2 * SPLITVISOR_VM_CMDLINE_MAX];

	memset(line, 'a', sizeof(line) - 1);
	sv_mb_build_info(page, 2 * MiB, line);
	ASSERT_EQ((size_t)SPLITVISOR_VM_CMDLINE_MAX, strlen((char *)page + 0x200));
	ASSERT_TRUE(zero_between(0x200 + SPLITVISOR_VM_CMDLINE_MAX,
				 sizeof(page)));

	line[SPLITVISOR_VM_CMDLINE_MAX] = '\0';
	sv_mb_build_info(page, 2 * MiB, line);
	ASSERT_STREQ(line, (char *)page + 0x200);
}

TEST_HARNESS_MAIN
