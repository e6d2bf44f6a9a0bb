// SPDX-License-Identifier: GPL-2.0
// What the profiling buffer's syndrome (PMBSR_EL1) asks of the driver when
// the buffer-management interrupt fires. Pure code: the driver reads PMBSR
// (after psb csync, dsb and isb) and acts on the answer.
#pragma once

#include "regs.hpp"

#include <kcpp/types.hpp>

namespace armature::spe {

using kcpp::u8;

enum class Action : u8 {
	spurious, // S = 0: nothing to service, not our interrupt
	resume,   // the buffer filled: end the AUX session and start the next
	fatal,    // stop profiling on this CPU until the event restarts
};

enum class Fault : u8 {
	none,
	stage1,      // EC 0b100100: stage 1 abort writing the buffer
	stage2,      // EC 0b100101: stage 2 abort writing the buffer
	gpc,         // EC 0b011110: granule protection check fault
	unknown_ec,  // IMPLEMENTATION DEFINED or unallocated EC
	unknown_bsc, // EC BUF with a status other than "full"
};

// perf's PERF_AUX_FLAG_* (include/uapi/linux/perf_event.h), for
// perf_aux_output_flag().
inline constexpr u64 aux_truncated = 0x01, aux_partial = 0x04, aux_collision = 0x08;

struct Syndrome {
	Action action;
	Fault fault;
	// Flags for the session being ended. With aux_truncated set (a partial
	// record was lost) perf disables the event: a resume must then not
	// begin a new session.
	u64 aux_flags;
};

constexpr Syndrome decode(u64 pmbsr)
{
	const auto sr = PMBSR::FromValue(pmbsr);
	if (!sr.s())
		return {Action::spurious, Fault::none, 0};

	u64 flags = 0;
	if (sr.dl()) // the last record is incomplete
		flags |= aux_truncated | aux_partial;
	if (sr.coll()) // samples were dropped: userspace may raise the period
		flags |= aux_collision;

	Fault fault;
	switch (sr.ec()) {
	case PMBSR::ec_buf:
		// All of MSS, as upstream compares it: bits above BSC are RES0 for
		// this EC, and a value we do not understand is not "full".
		if (sr.mss() == PMBSR::bsc_full)
			return {Action::resume, Fault::none, flags};
		fault = Fault::unknown_bsc;
		break;
	case PMBSR::ec_fault_s1:
		fault = Fault::stage1;
		break;
	case PMBSR::ec_fault_s2:
		fault = Fault::stage2;
		break;
	case PMBSR::ec_fault_gpc:
		fault = Fault::gpc;
		break;
	default:
		fault = Fault::unknown_ec;
		break;
	}
	return {Action::fatal, fault, flags};
}

inline const char *describe(Fault f)
{
	switch (f) {
	case Fault::none: return "no fault";
	case Fault::stage1: return "stage 1 fault writing the profiling buffer";
	case Fault::stage2: return "stage 2 fault writing the profiling buffer";
	case Fault::gpc: return "granule protection fault writing the profiling buffer";
	case Fault::unknown_ec: return "unknown PMBSR_EL1 exception class";
	case Fault::unknown_bsc: return "unknown PMBSR_EL1 buffer status code";
	}
	return "unknown fault";
}

} // namespace armature::spe
