// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite armature_io_pgtable: the io-pgtable formats through the core
 * (io_pgtable_test.cpp), and the kernel objects those tests need.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <kunit/device.h>
#include <kunit/test-bug.h>

#include "io_pgtable_test_glue.h"

#include "armature_io_pgtable_test_cases.h"
#include "kcpp_kunit_suite.h"

void *iopt_test_phys_to_virt(unsigned long long pa)
{
	return phys_to_virt(pa);
}

struct device *iopt_test_dma_device(void)
{
	struct device *dev = kunit_device_register(kunit_get_current_test(), "armature-iopt-dma");

	if (IS_ERR(dev) || dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64)))
		return NULL;
	return dev;
}

struct iommu_iotlb_gather *iopt_test_new_gather(void)
{
	struct iommu_iotlb_gather *gather = kzalloc(sizeof(*gather), GFP_KERNEL);

	if (gather)
		iommu_iotlb_gather_init(gather);
	return gather;
}

void iopt_test_reset_gather(struct iommu_iotlb_gather *gather)
{
	iommu_iotlb_gather_init(gather);
}

void iopt_test_set_gather_queued(struct iommu_iotlb_gather *gather, bool queued)
{
	gather->queued = queued;
}

unsigned long iopt_test_gather_start(struct iommu_iotlb_gather *gather)
{
	return gather->start;
}

unsigned long iopt_test_gather_end(struct iommu_iotlb_gather *gather)
{
	return gather->end;
}

struct iommu_dirty_bitmap *iopt_test_new_dirty_bitmap(struct iommu_iotlb_gather *gather)
{
	struct iommu_dirty_bitmap *dirty = kzalloc(sizeof(*dirty), GFP_KERNEL);

	if (dirty)
		dirty->gather = gather;
	return dirty;
}

void iopt_test_delete(const void *object)
{
	kfree(object);
}

KCPP_KUNIT_SUITE(armature_io_pgtable);
MODULE_DESCRIPTION("armature: KUnit tests of the io-pgtable core and formats");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(KCPP);
MODULE_IMPORT_NS(ARMATURE_IO_PGTABLE);
