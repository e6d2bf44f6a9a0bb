/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armature io-pgtable: Arm IOMMU page-table formats as loadable modules.
 *
 * The API mirrors the kernel's <linux/io-pgtable.h> under names of its own
 * (the distribution kernel's io-pgtable is built in and exports the upstream
 * names), so an IOMMU driver moves over by renaming. The differences:
 * armature_pgtable_alloc_ops() returns an ERR_PTR() that says why it failed,
 * and the format is loaded on demand.
 *
 * Only plain types here: C drivers, the C++ formats and host tests share it.
 */
#ifndef ARMATURE_IO_PGTABLE_H
#define ARMATURE_IO_PGTABLE_H

#include <kcpp_compat.h>

#ifdef __cplusplus
extern "C" {
#else
#include <linux/types.h>
#endif

struct device;
struct module;
struct iommu_iotlb_gather;
struct iommu_dirty_bitmap;

enum armature_pgtable_fmt {
	ARMATURE_PGTABLE_ARM_32_LPAE_S1,
	ARMATURE_PGTABLE_ARM_32_LPAE_S2,
	ARMATURE_PGTABLE_ARM_64_LPAE_S1,
	ARMATURE_PGTABLE_ARM_64_LPAE_S2,
	ARMATURE_PGTABLE_ARM_V7S,
	ARMATURE_PGTABLE_ARM_MALI_LPAE,
	ARMATURE_PGTABLE_APPLE_DART,
	ARMATURE_PGTABLE_APPLE_DART2,
	ARMATURE_PGTABLE_NUM_FMTS,
};

/* Quirks: the same bits as IO_PGTABLE_QUIRK_* (S2FWB and NO_WARN are newer than 6.12). */
#define ARMATURE_PGTABLE_QUIRK_ARM_NS			(1UL << 0)
#define ARMATURE_PGTABLE_QUIRK_NO_PERMS			(1UL << 1)
#define ARMATURE_PGTABLE_QUIRK_ARM_MTK_EXT		(1UL << 3)
#define ARMATURE_PGTABLE_QUIRK_ARM_MTK_TTBR_EXT		(1UL << 4)
#define ARMATURE_PGTABLE_QUIRK_ARM_TTBR1		(1UL << 5)
#define ARMATURE_PGTABLE_QUIRK_ARM_OUTER_WBWA		(1UL << 6)
#define ARMATURE_PGTABLE_QUIRK_ARM_HD			(1UL << 7)
/* 64-bit stage 2 for an SMMU with FEAT_S2FWB: stage 2 forces the memory type. */
#define ARMATURE_PGTABLE_QUIRK_ARM_S2FWB		(1UL << 8)
/* LPAE: a map over a mapping or an unmap inside a block is refused silently. */
#define ARMATURE_PGTABLE_QUIRK_NO_WARN			(1UL << 9)
/*
 * Ours, no upstream equivalent (a 2025 series posted it, not merged): LPAE
 * descriptors carry the Contiguous bit on every aligned run that one
 * map_pages call covers; a partial unmap of a run breaks it first. The top
 * bit of a 32-bit long, far from the low bits upstream hands out in order.
 */
#define ARMATURE_PGTABLE_QUIRK_ARM_CONTIG		(1UL << 31)

/* The callbacks of struct iommu_flush_ops, with the same signatures. */
struct armature_pgtable_flush_ops {
	void (*tlb_flush_all)(void *cookie);
	void (*tlb_flush_walk)(unsigned long iova, unsigned long size,
			       unsigned long granule, void *cookie);
	void (*tlb_add_page)(struct iommu_iotlb_gather *gather,
			     unsigned long iova, unsigned long granule,
			     void *cookie);
};

/*
 * The fields of struct io_pgtable_cfg. Input: quirks, pgsize_bitmap, ias,
 * oas, coherent_walk, tlb, iommu_dev, alloc and free. Output: the narrowed
 * pgsize_bitmap, ias and oas, and the register values of the format in the
 * union.
 */
struct armature_pgtable_cfg {
	unsigned long quirks;
	unsigned long pgsize_bitmap;
	unsigned int ias;
	unsigned int oas;
	bool coherent_walk;
	const struct armature_pgtable_flush_ops *tlb;
	struct device *iommu_dev;

	/*
	 * A custom table allocator, as upstream's (6.10 and later): both or
	 * neither, and only for formats that take one (LPAE; -EINVAL
	 * otherwise). alloc(cookie, size, gfp) returns size bytes, zeroed, in
	 * the linear map and aligned to size (64 at least), or NULL; gfp is the
	 * one the format allocates with (GFP_ATOMIC or the caller's on map).
	 * free gets the same cookie, pointer and size. A non-coherent walker's
	 * tables are still DMA-mapped, and their DMA address must be their
	 * physical one. The cookie is alloc_ops'.
	 */
	void *(*alloc)(void *cookie, unsigned long size, unsigned int gfp);
	void (*free)(void *cookie, void *pages, unsigned long size);

	union {
		struct {
			unsigned long long ttbr;
			struct {
				unsigned int ips:3;
				unsigned int tg:2;
				unsigned int sh:2;
				unsigned int orgn:2;
				unsigned int irgn:2;
				unsigned int tsz:6;
			} tcr;
			unsigned long long mair;
		} arm_lpae_s1_cfg;

		struct {
			unsigned long long vttbr;
			struct {
				unsigned int ps:3;
				unsigned int tg:2;
				unsigned int sh:2;
				unsigned int orgn:2;
				unsigned int irgn:2;
				unsigned int sl:2;
				unsigned int tsz:6;
			} vtcr;
		} arm_lpae_s2_cfg;

		struct {
			unsigned int ttbr;
			unsigned int tcr;
			unsigned int nmrr;
			unsigned int prrr;
		} arm_v7s_cfg;

		struct {
			unsigned long long transtab;
			unsigned long long memattr;
		} arm_mali_lpae_cfg;

		/* The physical address of each level-1 table, one per TTBR. */
		struct {
			unsigned long long ttbr[4];
			unsigned int n_ttbrs;
		} apple_dart_cfg;
	};
};

/*
 * What pgtable_walk of an LPAE table fills, as upstream's (after 6.12)
 * struct arm_lpae_io_pgtable_walk_data: ptes[level] is the descriptor the
 * walk read at that level, from the table's start level down to the leaf, or
 * to the first entry that is neither a leaf nor a table. Entries of other
 * levels are left as they were.
 */
struct armature_pgtable_lpae_walk_data {
	unsigned long long ptes[4];
};

/*
 * Page-table operations, as struct io_pgtable_ops of the kernel built against
 * (prot: IOMMU_READ, ...): before 6.2 with the single-page map and unmap too,
 * before 6.7 without read_and_clear_dirty. pgtable_walk (upstream's after
 * 6.12) comes last, so that the kernel's struct stays a prefix of ours.
 */
struct armature_pgtable_ops {
#ifdef KCPP_HAVE_IO_PGTABLE_SINGLE_MAP
	int (*map)(struct armature_pgtable_ops *ops, unsigned long iova,
		   unsigned long long paddr, unsigned long size, int prot,
		   unsigned int gfp);
#endif
	int (*map_pages)(struct armature_pgtable_ops *ops, unsigned long iova,
			 unsigned long long paddr, unsigned long pgsize,
			 unsigned long pgcount, int prot, unsigned int gfp,
			 unsigned long *mapped);
#ifdef KCPP_HAVE_IO_PGTABLE_SINGLE_MAP
	unsigned long (*unmap)(struct armature_pgtable_ops *ops,
			       unsigned long iova, unsigned long size,
			       struct iommu_iotlb_gather *gather);
#endif
	unsigned long (*unmap_pages)(struct armature_pgtable_ops *ops,
				     unsigned long iova, unsigned long pgsize,
				     unsigned long pgcount,
				     struct iommu_iotlb_gather *gather);
	unsigned long long (*iova_to_phys)(struct armature_pgtable_ops *ops,
					   unsigned long iova);
#ifdef KCPP_HAVE_IOMMU_DIRTY_TRACKING
	int (*read_and_clear_dirty)(struct armature_pgtable_ops *ops,
				    unsigned long iova, unsigned long size,
				    unsigned long flags,
				    struct iommu_dirty_bitmap *dirty);
#endif
	/*
	 * Optional (NULL for v7s). LPAE: fills a struct
	 * armature_pgtable_lpae_walk_data for iova; 0 if the walk ends at a
	 * leaf, -EINVAL if at an entry that maps nothing.
	 */
	int (*pgtable_walk)(struct armature_pgtable_ops *ops, unsigned long iova, void *wd);
};

/*
 * Allocates a page table of the format, loading the format's module (alias
 * "io-pgtable-fmt-<name>") if it is not registered yet. cfg is updated as
 * alloc_io_pgtable_ops() updates it. Returns an ERR_PTR():
 *   -ENODEV  the format is not available (no module provides it),
 *   -EINVAL  the format rejects the configuration (the log says why),
 *   -ENOMEM  out of memory.
 * The table holds a reference on the format's module until it is freed.
 */
struct armature_pgtable_ops *armature_pgtable_alloc_ops(enum armature_pgtable_fmt fmt,
							struct armature_pgtable_cfg *cfg,
							void *cookie);

/* Flushes the whole TLB through cfg->tlb, then frees the table. NULL is a no-op. */
void armature_pgtable_free_ops(struct armature_pgtable_ops *ops);

/* The format's name ("arm-64-lpae-s1", ...), or NULL for an unknown fmt. */
const char *armature_pgtable_fmt_name(enum armature_pgtable_fmt fmt);

#ifdef __cplusplus
}
#endif

#endif /* ARMATURE_IO_PGTABLE_H */
