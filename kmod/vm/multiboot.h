/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (version 1) guest images: where the bytes of an image go in
 * the memory of a VM, where it starts, and the information page it gets.
 * The VM's guest-physical memory is [0, mem_size), all of it RAM.
 *
 * Pure logic: no kernel calls, so the host unit test in tests/ builds it
 * too. The image is untrusted: nothing outside it is read, and every
 * offset and length in it is checked without arithmetic that can wrap.
 */
#ifndef SPLITVISOR_VM_MULTIBOOT_H
#define SPLITVISOR_VM_MULTIBOOT_H

#include <linux/types.h>

#define SV_MB_HEADER_MAGIC	0x1badb002	/* in the image */
#define SV_MB_BOOT_MAGIC	0x2badb002	/* in EAX at the entry */
#define SV_MB_HEADER_SEARCH	8192		/* the header lies in these bytes */

#define SV_MB_MAX_SEGMENTS	16

/* The page the information, its memory map and the command line go to. */
#define SV_MB_INFO_GPA		0x9000
#define SV_MB_INFO_SIZE		4096
#define SV_MB_INFO_MMAP_OFFSET	0x100		/* in the page */
#define SV_MB_INFO_CMDLINE_OFFSET 0x200		/* in the page */

/* Flags of struct sv_mb_info: which of its fields are valid. */
#define SV_MB_INFO_MEMORY	0x1U		/* mem_lower, mem_upper */
#define SV_MB_INFO_CMDLINE	0x4U
#define SV_MB_INFO_MEM_MAP	0x40U		/* mmap_length, mmap_addr */

/* The Multiboot information structure, up to the VBE fields. */
struct sv_mb_info {
	u32 flags;
	u32 mem_lower;		/* KiB of memory from 0 */
	u32 mem_upper;		/* KiB of memory from 1 MiB */
	u32 boot_device;
	u32 cmdline;		/* guest-physical address of a C string */
	u32 mods_count;
	u32 mods_addr;
	u32 syms[4];
	u32 mmap_length;	/* bytes of the memory map */
	u32 mmap_addr;		/* guest-physical address of the memory map */
	u32 drives_length;
	u32 drives_addr;
	u32 config_table;
	u32 boot_loader_name;
	u32 apm_table;
	u32 vbe_control_info;
	u32 vbe_mode_info;
	u16 vbe_mode;
	u16 vbe_interface_seg;
	u16 vbe_interface_off;
	u16 vbe_interface_len;
};

/*
 * An entry of the memory map. @size counts the bytes after itself (20);
 * base and length are 64-bit values kept in halves so that the entry has
 * the map's layout, 24 bytes without padding.
 */
struct sv_mb_mmap_entry {
	u32 size;
	u32 base_lo;
	u32 base_hi;
	u32 length_lo;
	u32 length_hi;
	u32 type;
};

#define SV_MB_MMAP_AVAILABLE	1	/* type of RAM */

/*
 * Bytes [@offset, @offset + @filesz) of the image go to guest-physical
 * @gpa; the rest of [@gpa, @gpa + @memsz) is zero.
 */
struct sv_mb_segment {
	u64 gpa;
	u64 offset;
	u64 filesz;
	u64 memsz;
};

struct sv_mb_plan {
	u32 entry;			/* guest-physical, 32-bit protected mode */
	unsigned int nr_segments;	/* at least one on success */
	struct sv_mb_segment seg[SV_MB_MAX_SEGMENTS];
};

/*
 * Plan the load of the Multiboot image @image of @size bytes into a VM of
 * @mem_size bytes of memory (a multiple of SPLITVISOR_VM_MEM_UNIT). The
 * segments lie in the VM's memory, apart from each other and from the
 * information page, and the entry lies in one of them.
 *
 * Returns 0 or a negative errno; on error @why (@len bytes, may be NULL)
 * gets the reason in one line, and *@plan is empty:
 *  -ENOEXEC	not a Multiboot image, or a malformed one, or one that no
 *		VM could run (entry above 4 GiB, segments overlapping)
 *  -EOPNOTSUPP	the header asks for what this loader does not do (video
 *		mode, unknown required features)
 *  -ERANGE	the image does not fit this VM: a segment outside its
 *		memory or over the information page
 *  -E2BIG	more than SV_MB_MAX_SEGMENTS segments to load, or an image
 *		larger than SPLITVISOR_IMAGE_MAX
 *  -EINVAL	bad arguments (memory size)
 *
 * The segments come from the ELF program headers, or, when the header
 * sets flags bit 16 (the a.out kludge), from its address fields: as the
 * Multiboot specification says, those then take precedence over the ELF
 * headers, whether the image is ELF or not.
 */
int sv_mb_parse(const void *image, size_t size, u64 mem_size,
		struct sv_mb_plan *plan, char *why, size_t len);

/*
 * Fill @page (SV_MB_INFO_SIZE bytes, to be placed at SV_MB_INFO_GPA) with
 * the Multiboot information of a VM of @mem_size bytes: the memory sizes,
 * a memory map of RAM at [0, 640 KiB) and [1 MiB, @mem_size), and, unless
 * @cmdline is NULL, the command line (its first SPLITVISOR_VM_CMDLINE_MAX
 * bytes). Returns the guest-physical address of the information, for EBX.
 */
u32 sv_mb_build_info(void *page, u64 mem_size, const char *cmdline);

#endif /* SPLITVISOR_VM_MULTIBOOT_H */
