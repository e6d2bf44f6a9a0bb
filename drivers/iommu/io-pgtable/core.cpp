// SPDX-License-Identifier: GPL-2.0
// The io-pgtable core: which module provides which format, and tables handed
// out through them. A table holds a reference on its format's module, so the
// module cannot go while the table exists.
#include "core.h"
#include "format_registry.hpp"
#include "pgtable.hpp"
#include <kcpp/static.hpp>

using namespace armature::iopt;

namespace {

constinit kcpp::Static<FormatRegistry> formats;

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
	case ARMATURE_PGTABLE_NUM_FMTS: break;
	}
	return nullptr;
}

constexpr char alias_prefix[] = "io-pgtable-fmt-";

// "io-pgtable-fmt-" + name, in buf.
template <kcpp::usize N>
void make_alias(char (&buf)[N], const char *name)
{
	kcpp::usize i = 0;
	for (const char *p = alias_prefix; *p && i < N - 1; p++)
		buf[i++] = *p;
	for (const char *p = name; *p && i < N - 1; p++)
		buf[i++] = *p;
	buf[i] = '\0';
}

} // namespace

extern "C" {

const char *armature_pgtable_fmt_name(armature_pgtable_fmt fmt)
{
	return format_name(fmt);
}

int armature_pgtable_core_alloc(armature_pgtable_fmt fmt, armature_pgtable_cfg *cfg, void *cookie,
				armature_pgtable_ops **ops)
{
	const char *name = armature_pgtable_fmt_name(fmt);
	if (!name) {
		armature_pgtable_report(cfg->iommu_dev, "unknown format %d\n", fmt);
		return -EINVAL;
	}
	char alias[sizeof(alias_prefix) + 16];
	make_alias(alias, name);

	auto format = formats->get(fmt, alias);
	if (!format) {
		armature_pgtable_report(cfg->iommu_dev,
					"format %s not available: no module provides %s (%d)\n",
					name, alias, format.code());
		return -ENODEV;
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

int armature_pgtable_register_format(armature_pgtable_format *format)
{
	return formats->add(*format).code();
}

void armature_pgtable_unregister_format(armature_pgtable_format *format)
{
	formats->remove(*format);
}

int armature_pgtable_core_init()
{
	formats.construct(KCPP_LOCK_CLASS("armature_pgtable_formats"));
	return 0;
}

void armature_pgtable_core_exit()
{
	formats.destroy();
}

} // extern "C"
