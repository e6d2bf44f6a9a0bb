// SPDX-License-Identifier: GPL-2.0
/*
 * armature_io_pgtable_harness: a test-only module that drives the io-pgtable
 * formats from the guest. Parameters (each write runs, the write's result is
 * the outcome):
 *   hold=<format>  keep a table of the format ("arm-64-lpae-s1", ...), loading
 *                  it on demand; hold= (empty) frees it
 *   compare=<seed> random map/unmap sequences on ours and on the kernel's
 *                  built-in io-pgtable, compared descriptor by descriptor
 *   bench=<case>   throughput against the built-in io-pgtable ("all")
 */
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <kcpp/glue.h>

#include "io_pgtable_harness.h"

/* Upstream's ops and cfg, seen through ours. The kernel's ops are a prefix
 * of ours: pgtable_walk, newer than our kernels, follows (never called on
 * upstream's). */
#define SAME_OFFSET(a, b, field) \
	BUILD_BUG_ON(offsetof(struct a, field) != offsetof(struct b, field))
static_assert(sizeof(struct io_pgtable_ops) == offsetof(struct armature_pgtable_ops, pgtable_walk));

bool iopt_upstream_has_custom_alloc(void)
{
	return IS_ENABLED(KCPP_HAVE_IO_PGTABLE_CUSTOM_ALLOC);
}

bool iopt_upstream_has(enum armature_pgtable_fmt fmt)
{
	if (fmt == ARMATURE_PGTABLE_ARM_V7S)
		return IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_ARMV7S);
	if (fmt == ARMATURE_PGTABLE_APPLE_DART || fmt == ARMATURE_PGTABLE_APPLE_DART2)
		return IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_DART);
	return IS_ENABLED(CONFIG_IOMMU_IO_PGTABLE_LPAE);
}

struct armature_pgtable_ops *iopt_upstream_alloc(enum armature_pgtable_fmt fmt,
						 struct armature_pgtable_cfg *cfg, void *cookie)
{
	static const enum io_pgtable_fmt upstream_fmt[] = {
		[ARMATURE_PGTABLE_ARM_32_LPAE_S1] = ARM_32_LPAE_S1,
		[ARMATURE_PGTABLE_ARM_32_LPAE_S2] = ARM_32_LPAE_S2,
		[ARMATURE_PGTABLE_ARM_64_LPAE_S1] = ARM_64_LPAE_S1,
		[ARMATURE_PGTABLE_ARM_64_LPAE_S2] = ARM_64_LPAE_S2,
		[ARMATURE_PGTABLE_ARM_V7S] = ARM_V7S,
		[ARMATURE_PGTABLE_ARM_MALI_LPAE] = ARM_MALI_LPAE,
		[ARMATURE_PGTABLE_APPLE_DART] = APPLE_DART,
		[ARMATURE_PGTABLE_APPLE_DART2] = APPLE_DART2,
	};
	struct io_pgtable_cfg up = {
		.quirks = cfg->quirks,
		.pgsize_bitmap = cfg->pgsize_bitmap,
		.ias = cfg->ias,
		.oas = cfg->oas,
		.coherent_walk = cfg->coherent_walk,
		.tlb = (const struct iommu_flush_ops *)cfg->tlb,
		.iommu_dev = cfg->iommu_dev,
#ifdef KCPP_HAVE_IO_PGTABLE_CUSTOM_ALLOC
		.alloc = (void *(*)(void *, size_t, gfp_t))cfg->alloc,
		.free = cfg->free,
#endif
	};
	struct io_pgtable_ops *ops;

#ifdef KCPP_HAVE_IO_PGTABLE_SINGLE_MAP
	SAME_OFFSET(io_pgtable_ops, armature_pgtable_ops, map);
	SAME_OFFSET(io_pgtable_ops, armature_pgtable_ops, unmap);
#endif
	SAME_OFFSET(io_pgtable_ops, armature_pgtable_ops, map_pages);
	SAME_OFFSET(io_pgtable_ops, armature_pgtable_ops, unmap_pages);
	SAME_OFFSET(io_pgtable_ops, armature_pgtable_ops, iova_to_phys);
#ifdef KCPP_HAVE_IOMMU_DIRTY_TRACKING
	SAME_OFFSET(io_pgtable_ops, armature_pgtable_ops, read_and_clear_dirty);
#endif
	BUILD_BUG_ON(sizeof(struct iommu_flush_ops) != sizeof(struct armature_pgtable_flush_ops));
	BUILD_BUG_ON(sizeof(up.arm_lpae_s1_cfg) != sizeof(cfg->arm_lpae_s1_cfg));
	BUILD_BUG_ON(sizeof(up.arm_lpae_s2_cfg) != sizeof(cfg->arm_lpae_s2_cfg));
	BUILD_BUG_ON(sizeof(up.arm_v7s_cfg) != sizeof(cfg->arm_v7s_cfg));
	BUILD_BUG_ON(sizeof(up.arm_mali_lpae_cfg) != sizeof(cfg->arm_mali_lpae_cfg));
	BUILD_BUG_ON(sizeof(up.apple_dart_cfg) != sizeof(cfg->apple_dart_cfg));

	if (fmt >= ARRAY_SIZE(upstream_fmt))
		return NULL;
	ops = alloc_io_pgtable_ops(upstream_fmt[fmt], &up, cookie);
	if (!ops)
		return NULL;
	cfg->pgsize_bitmap = up.pgsize_bitmap;
	cfg->ias = up.ias;
	cfg->oas = up.oas;
	/* The whole union, through its largest member. */
	BUILD_BUG_ON(sizeof(up.apple_dart_cfg) < max3(sizeof(up.arm_lpae_s1_cfg), sizeof(up.arm_lpae_s2_cfg),
						       max(sizeof(up.arm_v7s_cfg), sizeof(up.arm_mali_lpae_cfg))));
	memcpy(&cfg->apple_dart_cfg, &up.apple_dart_cfg, sizeof(up.apple_dart_cfg));
	return (struct armature_pgtable_ops *)ops;
}

void iopt_upstream_free(struct armature_pgtable_ops *ops)
{
	free_io_pgtable_ops((struct io_pgtable_ops *)ops);
}

/* The walker's device: upstream's allocator needs one (for its NUMA node). */
static struct platform_device *walker;

struct device *iopt_harness_device(void)
{
	return &walker->dev;
}

struct iommu_iotlb_gather *iopt_harness_gather(void)
{
	static struct iommu_iotlb_gather gather;

	iommu_iotlb_gather_init(&gather);
	return &gather;
}

void *iopt_harness_phys_to_virt(unsigned long long pa)
{
	return phys_to_virt(pa);
}

unsigned long long iopt_harness_now_ns(void)
{
	return ktime_get_ns();
}

void iopt_harness_cond_resched(void)
{
	cond_resched();
}

void iopt_harness_log(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("%pV", &vaf);
	va_end(args);
}

static int hold_set(const char *val, const struct kernel_param *kp)
{
	char name[32];

	strscpy(name, val, sizeof(name));
	return iopt_harness_hold(strim(name));
}

static int hold_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", iopt_harness_held());
}

static const struct kernel_param_ops hold_ops = { .set = hold_set, .get = hold_get };
module_param_cb(hold, &hold_ops, NULL, 0644);
MODULE_PARM_DESC(hold, "format of a table to keep allocated (empty: none)");

/* Operations per configuration: the differential test's, and the smoke
 * suite's short form. */
static unsigned int compare_length = 2000, quick_compare_length = 50;

static int compare_set(const char *val, const struct kernel_param *kp)
{
	unsigned long long seed;
	int ret = kstrtoull(val, 0, &seed);

	return ret ? ret : iopt_harness_compare(seed, *(unsigned int *)kp->arg);
}

static const struct kernel_param_ops compare_ops = { .set = compare_set };
module_param_cb(compare, &compare_ops, &compare_length, 0200);
MODULE_PARM_DESC(compare, "seed: compare random sequences against the built-in io-pgtable");
module_param_cb(quick_compare, &compare_ops, &quick_compare_length, 0200);
MODULE_PARM_DESC(quick_compare, "seed: the same, 50 operations per configuration (smoke tests)");

static int compare_skipped_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", iopt_harness_compare_skipped());
}

static const struct kernel_param_ops compare_skipped_ops = { .get = compare_skipped_get };
module_param_cb(compare_skipped, &compare_skipped_ops, NULL, 0444);
MODULE_PARM_DESC(compare_skipped, "why the last compare left formats out (empty: it did not)");

static int bench_set(const char *val, const struct kernel_param *kp)
{
	char which[32];

	strscpy(which, val, sizeof(which));
	return iopt_harness_bench(strim(which));
}

static const struct kernel_param_ops bench_ops = { .set = bench_set };
module_param_cb(bench, &bench_ops, NULL, 0200);
MODULE_PARM_DESC(bench, "case to measure against the built-in io-pgtable, or all");

static int harness_init(void)
{
	walker = platform_device_register_simple("armature-iopt-harness", PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(walker))
		return PTR_ERR(walker);
	return iopt_harness_init();
}

static void harness_exit(void)
{
	iopt_harness_exit();
	platform_device_unregister(walker);
}

KCPP_MODULE_INIT_EXIT(harness_init, harness_exit);
MODULE_DESCRIPTION("armature test: io-pgtable formats against the kernel's, from the guest");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(ARMATURE_IO_PGTABLE);
