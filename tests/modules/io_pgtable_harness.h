/* SPDX-License-Identifier: GPL-2.0 */
/*
 * armature_io_pgtable_harness: between its C++ (io_pgtable_harness.cpp) and
 * C glue (upstream's io-pgtable, module parameters). Upstream's
 * struct io_pgtable_ops has the layout and calling convention of
 * struct armature_pgtable_ops (the glue checks it at build time), so the
 * C++ drives both through the same code.
 */
#ifndef IO_PGTABLE_HARNESS_H
#define IO_PGTABLE_HARNESS_H

#include <armature/io_pgtable.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Upstream's alloc_io_pgtable_ops() for the same format and cfg (alloc and
 * free where it has them; its outputs copied back into cfg), or NULL; and
 * free_io_pgtable_ops(). */
struct armature_pgtable_ops *iopt_upstream_alloc(enum armature_pgtable_fmt fmt,
						 struct armature_pgtable_cfg *cfg, void *cookie);
void iopt_upstream_free(struct armature_pgtable_ops *ops);
/* Whether upstream's cfg has alloc/free (6.10 and later): if not, upstream's
 * tables come from its own allocator whatever cfg says. */
bool iopt_upstream_has_custom_alloc(void);
/* Whether the kernel has the format built in: Debian's 6.1 has no v7s. */
bool iopt_upstream_has(enum armature_pgtable_fmt fmt);

struct device *iopt_harness_device(void);
/* A gather that is not queued, for unmap in the bench. */
struct iommu_iotlb_gather *iopt_harness_gather(void);
void *iopt_harness_phys_to_virt(unsigned long long pa);
unsigned long long iopt_harness_now_ns(void);
void iopt_harness_cond_resched(void);
__attribute__((format(printf, 1, 2))) void iopt_harness_log(const char *fmt, ...);

/* C++: keeps a table of the named format ("" frees it); 0 or -errno. */
int iopt_harness_hold(const char *format);
const char *iopt_harness_held(void);
/* C++: random map/unmap sequences on ours and upstream's, compared. */
int iopt_harness_compare(unsigned long long seed, unsigned int ops_per_config);
/* C++: why the last compare left formats out ("" when it did not). */
const char *iopt_harness_compare_skipped(void);
/* C++: throughput of ours against upstream's; results go to the log. */
int iopt_harness_bench(const char *which);
int iopt_harness_init(void);
void iopt_harness_exit(void);

#ifdef __cplusplus
}
#endif

#endif
