// SPDX-License-Identifier: GPL-2.0
// arm_spe_pmu: the driver (driver.hpp) on this CPU's own SPE registers,
// read and written with MRS/MSR where they are used.
#include "driver.hpp"
#include "hardware.hpp"

namespace armature::spe {

struct Platform {
	using Io = hw::Cpu;

	int init(kcpp_device *, const kcpp::CpuMask &, void *) { return 0; }
	Io io() const { return Io(); }
	void started_local() {}
	void stopping_local() {}
	void show_stats(seq_file *) const {}
};

} // namespace armature::spe

#include "entry.hpp"
