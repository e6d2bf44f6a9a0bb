// SPDX-License-Identifier: GPL-2.0
// The io-pgtable core: which module provides which format, and tables handed
// out through them. A table holds a reference on its format's module, so the
// module cannot go while the table exists.
#include "core.h"
#include "format_registry.hpp"
#include "pgtable.hpp"
#include <kcpp/alloc.hpp>
#include <kcpp/log.hpp>
#include <kcpp/memory.h>
#include <kcpp/name.hpp>
#include <kcpp/static.hpp>

using namespace armature::iopt;

namespace {

constinit kcpp::Static<FormatRegistry> formats;
constinit kcpp::Static<kcpp::RateLimit> report_limit;
// v7s level-2 tables: 1 KiB, aligned, below 4 GiB as the format needs.
constinit kmem_cache *tables_1k;
constinit long tables_in_use;
constinit long reports_made;

void *count_table(void *table)
{
	if (table)
		__atomic_fetch_add(&tables_in_use, 1, __ATOMIC_RELAXED);
	return table;
}

void uncount_table()
{
	__atomic_fetch_sub(&tables_in_use, 1, __ATOMIC_RELAXED);
}

// The names in the module aliases, "io-pgtable-fmt-<name>".
constexpr const char *format_name(armature_pgtable_fmt fmt)
{
	switch (fmt) {
	case ARMATURE_PGTABLE_ARM_32_LPAE_S1: return "arm-32-lpae-s1";
	case ARMATURE_PGTABLE_ARM_32_LPAE_S2: return "arm-32-lpae-s2";
	case ARMATURE_PGTABLE_ARM_64_LPAE_S1: return "arm-64-lpae-s1";
	case ARMATURE_PGTABLE_ARM_64_LPAE_S2: return "arm-64-lpae-s2";
	case ARMATURE_PGTABLE_ARM_V7S: return "arm-v7s";
	case ARMATURE_PGTABLE_ARM_MALI_LPAE: return "arm-mali-lpae";
	case ARMATURE_PGTABLE_APPLE_DART: return "apple-dart";
	case ARMATURE_PGTABLE_APPLE_DART2: return "apple-dart2";
	case ARMATURE_PGTABLE_NUM_FMTS: break;
	}
	return nullptr;
}

constexpr char alias_prefix[] = "io-pgtable-fmt-";

int core_alloc(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie,
	       armature_pgtable_ops **ops)
{
	const char *name = armature_pgtable_fmt_name(fmt);
	if (!name) {
		armature_pgtable_report(cfg->iommu_dev, "unknown format %d\n", fmt);
		return -EINVAL;
	}
	kcpp::NameBuf<sizeof(alias_prefix) + 16> alias;
	alias.append(alias_prefix).append(name);

	auto format = formats->get(fmt, alias.c_str());
	if (!format) {
		armature_pgtable_report(cfg->iommu_dev,
					"format %s not available: no module provides %s (%d)\n",
					name, alias.c_str(), format.code());
		return -ENODEV;
	}
	if (const char *why = allocator_refusal(*cfg, *format.value())) {
		armature_pgtable_report(cfg->iommu_dev, "format %s: %s\n", name, why);
		return -EINVAL;
	}
	armature_pgtable *iop = nullptr;
	int ret = format.value()->alloc(fmt, cfg, cookie, &iop);
	if (ret)
		return ret;	// the reference goes with the Handle
	iop->fns = format.value().get();
	iop->owner = format.value().release();
	*ops = &iop->ops;
	return 0;
}

} // namespace

extern "C" {

const char *armature_pgtable_fmt_name(armature_pgtable_fmt fmt)
{
	return format_name(fmt);
}

armature_pgtable_ops *armature_pgtable_alloc_ops(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg,
						void *cookie)
{
	armature_pgtable_ops *ops = nullptr;
	int ret = core_alloc(fmt, cfg, cookie, &ops);
	return ret ? kcpp::err_ptr<armature_pgtable_ops>(ret) : ops;
}

void armature_pgtable_free_ops(armature_pgtable_ops *ops)
{
	if (!ops)
		return;
	armature_pgtable *iop = pgtable_of(ops);
	module *owner = iop->owner;
	tlb_flush_all(*iop);
	iop->fns->free(iop);
	kcpp::KernelEnv::module_put(owner);
}

void armature_pgtable_report(device *dev, const char *fmt, ...)
{
	__atomic_fetch_add(&reports_made, 1, __ATOMIC_RELAXED);
	if (!report_limit->allow())
		return;
	__builtin_va_list args;
	__builtin_va_start(args, fmt);
	if (dev)
		kcpp_dev_vlog(dev, KCPP_LOG_ERR, "io-pgtable: ", fmt, args);
	else
		kcpp_vlog(KCPP_LOG_ERR, "armature io-pgtable: ", fmt, args);
	__builtin_va_end(args);
}

long armature_pgtable_reports()
{
	return __atomic_load_n(&reports_made, __ATOMIC_RELAXED);
}

long armature_pgtable_tables_in_use()
{
	return __atomic_load_n(&tables_in_use, __ATOMIC_RELAXED);
}

void *armature_pgtable_pages_alloc(device *dev, unsigned order, unsigned gfp)
{
	return count_table(kcpp_alloc_pages(dev ? kcpp_dev_to_node(dev) : KCPP_NUMA_NO_NODE,
					    gfp | kcpp::gfp::zero, order));
}

void armature_pgtable_pages_free(void *pages, unsigned order)
{
	uncount_table();
	kcpp_free_pages(pages, order);
}

void *armature_pgtable_1k_alloc(unsigned gfp)
{
	return count_table(kcpp_kmem_cache_alloc(tables_1k, gfp | kcpp::gfp::zero));
}

void armature_pgtable_1k_free(void *table)
{
	uncount_table();
	kcpp_kmem_cache_free(tables_1k, table);
}

bool armature_pgtable_dma_map(device *dev, void *table, unsigned long bytes)
{
	__u64 dma;
	if (kcpp_dma_map_to_device(dev, table, bytes, &dma))
		return false;
	if (dma == kcpp_virt_to_phys(table))
		return true;
	KCPP_DEV_ERR(dev, "io-pgtable: page tables need DMA addresses equal to physical ones\n");
	kcpp_dma_unmap_to_device(dev, dma, bytes);
	return false;
}

void armature_pgtable_dma_unmap(device *dev, void *table, unsigned long bytes)
{
	kcpp_dma_unmap_to_device(dev, kcpp_virt_to_phys(table), bytes);
}

int armature_pgtable_register_format(armature_pgtable_format *format)
{
	return formats->add(*format).code();
}

void armature_pgtable_unregister_format(armature_pgtable_format *format)
{
	formats->remove(*format);
}

int armature_pgtable_init()
{
	tables_1k = kcpp_kmem_cache_create("armature_pgtable_1k", 1024, 1024,
					   KCPP_ZONE_DMA32 ? KCPP_SLAB_CACHE_DMA32 : 0);
	if (!tables_1k)
		return -ENOMEM;
	formats.construct(KCPP_LOCK_CLASS("armature_pgtable_formats"));
	report_limit.construct();
	return 0;
}

void armature_pgtable_exit()
{
	report_limit.destroy();
	formats.destroy();
	kcpp_kmem_cache_destroy(tables_1k);
}

} // extern "C"
