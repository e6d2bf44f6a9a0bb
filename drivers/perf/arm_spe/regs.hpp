// SPDX-License-Identifier: GPL-2.0
// The Statistical Profiling Extension's system registers, each field once,
// named as in the Arm ARM. A register's "offset" is its system-register
// encoding (sysreg_id below), so one I/O policy serves them all: the CPU's
// MRS/MSR (hardware.hpp) or the simulated SPE (tests/modules/arm_spe_sim/model.hpp).
//
//   PMBLIMITR::Get().set_limit(va >> 12).set_e(1).WriteTo(io);
#pragma once

#include <kcpp/regs.hpp>
#include <kcpp/types.hpp>

namespace armature::spe {

using kcpp::u32;
using kcpp::u64;

// op0:op1:CRn:CRm:op2 packed as in the MRS/MSR instruction's bits [20:5].
constexpr u32 sysreg_id(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2)
{
	return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
}

template <typename Self, u32 Id>
using SysReg = kcpp::Register<Self, u64, Id>;

// Profiling control: what is sampled and what records carry.
struct PMSCR : SysReg<PMSCR, sysreg_id(3, 0, 9, 9, 0)> {
	KCPP_BIT(0, e0spe);     // sample at EL0
	KCPP_BIT(1, e1spe);     // sample at EL1 (EL2 under VHE)
	KCPP_BIT(3, cx);        // CONTEXT packets (CONTEXTIDR_EL1)
	KCPP_BIT(4, pa);        // physical-address packets
	KCPP_BIT(5, ts);        // TIMESTAMP packets
	KCPP_FIELD(7, 6, pct);  // timestamp source: 0 virtual, 1 physical
};

// Inverted event filter (FEAT_SPEv1p2): drop records with any of these events.
struct PMSNEVFR : SysReg<PMSNEVFR, sysreg_id(3, 0, 9, 9, 1)> {};

// Sampling interval counter, counting operations down to the next sample.
struct PMSICR : SysReg<PMSICR, sysreg_id(3, 0, 9, 9, 2)> {
	KCPP_FIELD(31, 0, count);
	KCPP_FIELD(63, 56, ecount); // secondary count when PMSIDR.ERnd = 1
};

// Sampling interval reload. INTERVAL counts in units of 256 operations:
// the register value of an interval of N operations is N & ~0xff.
struct PMSIRR : SysReg<PMSIRR, sysreg_id(3, 0, 9, 9, 3)> {
	KCPP_BIT(0, rnd);
	KCPP_FIELD(31, 8, interval);
	static constexpr u64 period_mask = interval_mask;
};

// Sample filters.
struct PMSFCR : SysReg<PMSFCR, sysreg_id(3, 0, 9, 9, 4)> {
	KCPP_BIT(0, fe);    // event filter (PMSEVFR): all selected events
	KCPP_BIT(1, ft);    // operation-type filter (B, LD, ST)
	KCPP_BIT(2, fl);    // latency filter (PMSLATFR)
	KCPP_BIT(3, fne);   // inverted event filter (PMSNEVFR)
	KCPP_BIT(4, fds);   // data-source filter
	KCPP_BIT(16, b);
	KCPP_BIT(17, ld);
	KCPP_BIT(18, st);
	KCPP_BIT(19, fp);   // FEAT_SPE_EFT from here on
	KCPP_BIT(20, simd);
	KCPP_BIT(48, bm);
	KCPP_BIT(49, ldm);
	KCPP_BIT(50, stm);
	KCPP_BIT(51, fpm);
	KCPP_BIT(52, simdm);
};

// Event filter: one bit per event, numbered as in the EVENTS packet.
struct PMSEVFR : SysReg<PMSEVFR, sysreg_id(3, 0, 9, 9, 5)> {};

struct PMSLATFR : SysReg<PMSLATFR, sysreg_id(3, 0, 9, 9, 6)> {
	KCPP_FIELD(15, 0, minlat);
};

// Sampling ID (read-only).
struct PMSIDR : SysReg<PMSIDR, sysreg_id(3, 0, 9, 9, 7)> {
	KCPP_BIT(0, fe);
	KCPP_BIT(1, ft);
	KCPP_BIT(2, fl);
	KCPP_BIT(3, archinst);
	KCPP_BIT(4, lds);
	KCPP_BIT(5, ernd);
	KCPP_BIT(6, fne);
	KCPP_BIT(7, fds);
	KCPP_FIELD(11, 8, interval);   // recommended minimum interval, encoded
	KCPP_FIELD(15, 12, maxsize);   // log2 of the largest record in bytes
	KCPP_FIELD(19, 16, countsize); // 2: 12-bit counters, 3: 16-bit
	KCPP_FIELD(23, 20, format);
	KCPP_BIT(24, pbt);
	KCPP_BIT(25, crr);
	KCPP_BIT(26, eft);
	KCPP_BIT(27, fpf);
};

// Profiling buffer limit: LIMIT:Zeros(12) is the first byte past the buffer.
struct PMBLIMITR : SysReg<PMBLIMITR, sysreg_id(3, 0, 9, 10, 0)> {
	KCPP_BIT(0, e);
	KCPP_FIELD(2, 1, fm); // fill mode
	KCPP_BIT(5, pmfz);
	KCPP_FIELD(63, 12, limit);
	KCPP_VALUE(fm, fill, 0);
	KCPP_VALUE(fm, discard, 2);
};

// Profiling buffer write pointer: the virtual address of the next byte.
struct PMBPTR : SysReg<PMBPTR, sysreg_id(3, 0, 9, 10, 1)> {};

// Profiling buffer status (syndrome); writing zero resumes profiling.
struct PMBSR : SysReg<PMBSR, sysreg_id(3, 0, 9, 10, 3)> {
	KCPP_FIELD(15, 0, mss);
	KCPP_SUBFIELD(5, 0, bsc, mss); // when EC is BUF
	KCPP_SUBFIELD(5, 0, fsc, mss); // when EC is a fault
	KCPP_BIT(16, coll);
	KCPP_BIT(17, s);
	KCPP_BIT(18, ea);
	KCPP_BIT(19, dl);
	KCPP_FIELD(31, 26, ec);
	KCPP_VALUE(ec, buf, 0x00);
	KCPP_VALUE(ec, fault_gpc, 0x1e);
	KCPP_VALUE(ec, imp_def, 0x1f);
	KCPP_VALUE(ec, fault_s1, 0x24);
	KCPP_VALUE(ec, fault_s2, 0x25);
	KCPP_VALUE(bsc, full, 1);
};

// Profiling buffer ID (read-only).
struct PMBIDR : SysReg<PMBIDR, sysreg_id(3, 0, 9, 10, 7)> {
	KCPP_FIELD(3, 0, align); // log2 of the write alignment in bytes
	KCPP_BIT(4, p);          // buffer owned by a higher exception level
	KCPP_BIT(5, f);
	KCPP_FIELD(11, 8, ea);
};

// The debug feature register that says whether and which SPE is present.
struct ID_AA64DFR0 : SysReg<ID_AA64DFR0, sysreg_id(3, 0, 0, 5, 0)> {
	KCPP_FIELD(35, 32, pmsver); // 0 none, 1 SPEv1, 2 v1p1, 3 v1p2, ...
};

} // namespace armature::spe
