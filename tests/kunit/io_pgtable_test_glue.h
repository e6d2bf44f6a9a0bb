/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel objects the io-pgtable test bodies use (io_pgtable_test_glue.c). */
#ifndef IO_PGTABLE_TEST_GLUE_H
#define IO_PGTABLE_TEST_GLUE_H

#include <armature/io_pgtable.h>

#ifdef __cplusplus
extern "C" {
#endif

long armature_pgtable_tables_in_use(void);

void *iopt_test_phys_to_virt(unsigned long long pa);
/* A device for DMA to a non-coherent walker, freed when the test ends. */
struct device *iopt_test_dma_device(void);
struct iommu_iotlb_gather *iopt_test_new_gather(void);
void iopt_test_reset_gather(struct iommu_iotlb_gather *gather);
void iopt_test_set_gather_queued(struct iommu_iotlb_gather *gather, bool queued);
unsigned long iopt_test_gather_start(struct iommu_iotlb_gather *gather);
unsigned long iopt_test_gather_end(struct iommu_iotlb_gather *gather);
struct iommu_dirty_bitmap *iopt_test_new_dirty_bitmap(struct iommu_iotlb_gather *gather);
void iopt_test_delete(const void *object);

#ifdef __cplusplus
}
#endif

#endif
