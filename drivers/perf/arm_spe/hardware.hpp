// SPDX-License-Identifier: GPL-2.0
// The CPU's side of the register policy: MRS/MSR on this CPU's SPE
// registers, the barriers SPE needs, and the generic-timer counts.
// The generic S<op0>_<op1>_C<n>_C<m>_<op2> names assemble anywhere.
#pragma once

#include "regs.hpp"

namespace armature::spe::hw {

#define ARMATURE_SPE_SYSREGS(X)                                                \
	X(PMSCR, "s3_0_c9_c9_0")                                               \
	X(PMSNEVFR, "s3_0_c9_c9_1")                                            \
	X(PMSICR, "s3_0_c9_c9_2")                                              \
	X(PMSIRR, "s3_0_c9_c9_3")                                              \
	X(PMSFCR, "s3_0_c9_c9_4")                                              \
	X(PMSEVFR, "s3_0_c9_c9_5")                                             \
	X(PMSLATFR, "s3_0_c9_c9_6")                                            \
	X(PMSIDR, "s3_0_c9_c9_7")                                              \
	X(PMBLIMITR, "s3_0_c9_c10_0")                                          \
	X(PMBPTR, "s3_0_c9_c10_1")                                             \
	X(PMBSR, "s3_0_c9_c10_3")                                              \
	X(PMBIDR, "s3_0_c9_c10_7")                                             \
	X(ID_AA64DFR0, "s3_0_c0_c5_0")

// The register policy. Every call has a constant id once inlined, so the
// switch folds to one instruction; an id not listed reads 0 and ignores
// writes (only the registers above exist).
struct Cpu {
	template <typename W>
	W read(u32 id) const
	{
		u64 v = 0;
		switch (id) {
#define ARMATURE_SPE_READ(REG, NAME)                                           \
	case REG::base_offset:                                                 \
		asm volatile("mrs %0, " NAME : "=r"(v));                       \
		break;
			ARMATURE_SPE_SYSREGS(ARMATURE_SPE_READ)
#undef ARMATURE_SPE_READ
		}
		return v;
	}

	template <typename W>
	void write(u32 id, W v)
	{
		switch (id) {
#define ARMATURE_SPE_WRITE(REG, NAME)                                          \
	case REG::base_offset:                                                 \
		asm volatile("msr " NAME ", %x0" : : "rZ"(u64(v)));            \
		break;
			ARMATURE_SPE_SYSREGS(ARMATURE_SPE_WRITE)
#undef ARMATURE_SPE_WRITE
		}
	}
};

inline void isb() { asm volatile("isb" : : : "memory"); }
inline void dsb_nsh() { asm volatile("dsb nsh" : : : "memory"); }
// PSB CSYNC: profiling data of operations in flight reaches memory. A NOP
// hint on CPUs without SPE.
inline void psb_csync() { asm volatile("hint #17" : : : "memory"); }

inline u64 virtual_count()
{
	u64 v;
	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

inline u64 physical_count()
{
	u64 v;
	asm volatile("isb; mrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

} // namespace armature::spe::hw
