/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the io-pgtable core and its format modules (plain types: C glue
 * and C++ both include it). A format module registers one
 * struct armature_pgtable_format per format it provides at load time; the
 * core hands tables out through it and holds a reference on the module
 * while a table exists.
 */
#ifndef ARMATURE_IO_PGTABLE_FORMAT_H
#define ARMATURE_IO_PGTABLE_FORMAT_H

#include <armature/io_pgtable.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A page table, as struct io_pgtable. A format's table object starts with it. */
struct armature_pgtable {
	enum armature_pgtable_fmt fmt;
	void *cookie;
	struct armature_pgtable_cfg cfg;
	struct armature_pgtable_ops ops;
	/* Set by the core: how to free it, and the module reference it holds. */
	const struct armature_pgtable_init_fns *fns;
	struct module *owner;
};

struct armature_pgtable_init_fns {
	/*
	 * Fills *out with fmt, cookie, the updated cfg and ops; or returns
	 * -EINVAL (cfg rejected, after logging why) or -ENOMEM.
	 */
	int (*alloc)(enum armature_pgtable_fmt fmt, struct armature_pgtable_cfg *cfg,
		     void *cookie, struct armature_pgtable **out);
	void (*free)(struct armature_pgtable *iop);
	/* ARMATURE_PGTABLE_CAP_*. */
	unsigned int caps;
};

/* The format takes cfg->alloc and cfg->free (IO_PGTABLE_CAP_CUSTOM_ALLOCATOR). */
#define ARMATURE_PGTABLE_CAP_CUSTOM_ALLOCATOR	(1U << 0)

/* A registry entry; defined in C++ (format_registry.hpp). */
struct armature_pgtable_format;

/* -EEXIST if another module provides fmt already. */
int armature_pgtable_register_format(struct armature_pgtable_format *format);
void armature_pgtable_unregister_format(struct armature_pgtable_format *format);

/*
 * Tables for the formats (core.cpp, on kcpp's memory adapter), unless cfg
 * has an allocator of its own (the Env's alloc_table). Tables come
 * from the linear map, zeroed: whole pages on the node of dev, or 1
 * KiB-aligned blocks of up to 1 KiB (v7s level 2) from a ZONE_DMA32 cache.
 * A table for a non-coherent walker is DMA-mapped, and only if its DMA
 * address is its physical address (the walker uses physical addresses).
 */
void *armature_pgtable_pages_alloc(struct device *dev, unsigned int order, unsigned int gfp);
void armature_pgtable_pages_free(void *pages, unsigned int order);
void *armature_pgtable_1k_alloc(unsigned int gfp);
void armature_pgtable_1k_free(void *table);
bool armature_pgtable_dma_map(struct device *dev, void *table, unsigned long bytes);
void armature_pgtable_dma_unmap(struct device *dev, void *table, unsigned long bytes);
/* Tables allocated and not yet freed, by every format (for tests). */
long armature_pgtable_tables_in_use(void);
/* Reports made, logged or rate-limited away (for tests). */
long armature_pgtable_reports(void);
/* A rate-limited error about a caller's input, on dev if there is one. */
__attribute__((format(printf, 2, 3)))
void armature_pgtable_report(struct device *dev, const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#endif /* ARMATURE_IO_PGTABLE_FORMAT_H */
