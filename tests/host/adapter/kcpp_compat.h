/* SPDX-License-Identifier: GPL-2.0 */
/* The host tests build the pure code as for the newest kernel the probes of
 * kcpp/compat.probes know: every feature that is there on 6.12. */
#ifndef KCPP_COMPAT_H
#define KCPP_COMPAT_H
#define KCPP_HAVE_PMU_PARENT 1
#define KCPP_HAVE_PERF_ALLOW_KERNEL_VOID 1
#define KCPP_HAVE_PERF_ATTR_CONFIG3 1
#define KCPP_HAVE_PLATFORM_REMOVE_VOID 1
#define KCPP_HAVE_CPUMASK_ANY_AND_BUT 1
#define KCPP_HAVE_ACPI_UID_INTEGER 1
#define KCPP_HAVE_PIN_USER_PAGES_NO_VMAS 1
#define KCPP_HAVE_IOMMU_DIRTY_TRACKING 1
#define KCPP_HAVE_QCOM_SCM_SRCVM_U64 1
#endif
