// SPDX-License-Identifier: GPL-2.0
// Ampere CoreSight PMUs: the AmpereOne memory controller unit (MCU) PMU.
// Its filters (a threshold, a rank and a bank) are not per counter: one set
// of implementation-defined registers, PMAUXR0..2, holds them for every
// counter, so all events counting at once must agree on them. Pure code,
// compiled unchanged into the ampere_cspmu module (ampere_module.cpp),
// KUnit and host tests.
#pragma once

#include "pmu.hpp"

namespace armature::cspmu::ampere {

// The first IMPLEMENTATION DEFINED registers of page 0.
using PMAUXR0 = Reg32<0xd80>; // threshold
using PMAUXR1 = Reg32<0xd84>; // rank
using PMAUXR2 = Reg32<0xd88>; // bank

inline constexpr EventAttr events[] = {
	{"cycle_count", 0x00},
	{"act_sent", 0x01},
	{"pre_sent", 0x02},
	{"rd_sent", 0x03},
	{"rda_sent", 0x04},
	{"wr_sent", 0x05},
	{"wra_sent", 0x06},
	{"pd_entry_vld", 0x07},
	{"sref_entry_vld", 0x08},
	{"prea_sent", 0x09},
	{"pre_sb_sent", 0x0a},
	{"ref_sent", 0x0b},
	{"rfm_sent", 0x0c},
	{"ref_sb_sent", 0x0d},
	{"rfm_sb_sent", 0x0e},
	{"rd_rda_sent", 0x0f},
	{"wr_wra_sent", 0x10},
	{"raw_hazard", 0x11},
	{"war_hazard", 0x12},
	{"waw_hazard", 0x13},
	{"rar_hazard", 0x14},
	{"raw_war_waw_hazard", 0x15},
	{"hprd_lprd_wr_req_vld", 0x16},
	{"lprd_req_vld", 0x17},
	{"hprd_req_vld", 0x18},
	{"hprd_lprd_req_vld", 0x19},
	{"prefetch_tgt", 0x1a},
	{"wr_req_vld", 0x1b},
	{"partial_wr_req_vld", 0x1c},
	{"rd_retry", 0x1d},
	{"wr_retry", 0x1e},
	{"retry_gnt", 0x1f},
	{"rank_change", 0x20},
	{"dir_change", 0x21},
	{"rank_dir_change", 0x22},
	{"rank_active", 0x23},
	{"rank_idle", 0x24},
	{"rank_pd", 0x25},
	{"rank_sref", 0x26},
	{"queue_fill_gt_thresh", 0x27},
	{"queue_rds_gt_thresh", 0x28},
	{"queue_wrs_gt_thresh", 0x29},
	{"phy_updt_complt", 0x2a},
	{"tz_fail", 0x2b},
	{"dram_errc", 0x2c},
	{"dram_errd", 0x2d},
	// 0x2e..0x31 are not events.
	{"read_data_return", 0x32},
	{"chi_wr_data_delta", 0x33},
	{"zq_start", 0x34},
	{"zq_latch", 0x35},
	{"wr_fifo_full", 0x36},
	{"info_fifo_full", 0x37},
	{"cmd_fifo_full", 0x38},
	{"dfi_nop", 0x39},
	{"dfi_cmd", 0x3a},
	{"rd_run_len", 0x3b},
	{"wr_run_len", 0x3c},
	{"cycles", cycles_event},
};

// The filter fields of config1, PMAUXR0..2's values.
struct Config1 : kcpp::BitLayout<Config1, u64> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(7, 0, threshold);
	KCPP_FIELD(23, 8, rank);
	KCPP_FIELD(55, 24, bank);
};

inline constexpr FormatAttr formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(Config1, threshold),
	CSPMU_FORMAT(Config1, rank),
	CSPMU_FORMAT(Config1, bank),
};

struct Filters {
	u32 threshold;
	u32 rank;
	u32 bank;

	static constexpr Filters of(const EventConfig &c)
	{
		auto f = Config1::FromValue(c.config1);
		return {static_cast<u32>(f.threshold()), static_cast<u32>(f.rank()),
			static_cast<u32>(f.bank())};
	}
	constexpr bool operator==(const Filters &) const = default;
};

// The event being started brings its filters; validate_event() has made
// sure every event counting agrees on them. PMEVFILTR is RES0 here and
// left alone.
inline void set_ev_filter(Pmu &pmu, Counter, const Slot &slot)
{
	Filters f = Filters::of(slot.config);
	auto io = pmu.page0();
	PMAUXR0::Get().set_reg_value(f.threshold).WriteTo(io);
	PMAUXR1::Get().set_reg_value(f.rank).WriteTo(io);
	PMAUXR2::Get().set_reg_value(f.bank).WriteTo(io);
}

// PMCCFILTR is RES0 on this PMU: nothing to write.
inline void set_cc_filter(Pmu &, const Slot &) {}

// An event's filters must be its leader's and, when events already count,
// those of the one counting.
inline int validate_event(const Pmu &, const Slot &event, const Slot *scheduled)
{
	Filters f = Filters::of(event.config);
	if (f != Filters::of(event.leader))
		return -EINVAL;
	if (scheduled && f != Filters::of(scheduled->config))
		return -EINVAL;
	return 0;
}

inline constexpr Ops ops = {
	.events = events,
	.formats = formats,
	.set_ev_filter = set_ev_filter,
	.set_cc_filter = set_cc_filter,
	.validate_event = validate_event,
};

inline constexpr char name_prefix[] = "ampere_mcu_pmu_";

// Names the PMU ampere_mcu_pmu_<id> and keeps id in its backend data, for
// the module to free. -EINVAL for a negative id.
inline int init(Pmu &pmu, int id)
{
	if (id < 0)
		return -EINVAL;
	pmu.name().clear();
	pmu.name().append(name_prefix).append_uint(static_cast<u32>(id));
	pmu.backend_data() = id;
	pmu.set_ops(&ops);
	return 0;
}

// The lowest free instance ID, from a fixed bitmap updated with atomics
// (no lock, no constructor to run: constinit in the module). Freed IDs are
// reused; upstream allocates from an IDA and never frees, so its numbers
// only grow. capacity bounds how many PMUs can exist at once.
template <u32 Words>
class IdBitmap {
public:
	static constexpr u32 capacity = Words * 64;

	constexpr IdBitmap() = default;
	IdBitmap(const IdBitmap &) = delete;
	IdBitmap &operator=(const IdBitmap &) = delete;

	// An ID, or -ENOSPC when all are taken.
	int alloc()
	{
		for (u32 w = 0; w < Words; w++) {
			u64 bits = __atomic_load_n(&words_[w], __ATOMIC_RELAXED);
			while (~bits) {
				u32 bit = static_cast<u32>(__builtin_ctzll(~bits));
				if (__atomic_compare_exchange_n(&words_[w], &bits, bits | (u64(1) << bit),
								false, __ATOMIC_ACQUIRE,
								__ATOMIC_RELAXED))
					return static_cast<int>(w * 64 + bit);
				// bits now holds the new value: try again with it.
			}
		}
		return -ENOSPC;
	}

	void free(int id)
	{
		if (id < 0 || static_cast<u32>(id) >= capacity)
			return;
		u32 w = static_cast<u32>(id) / 64, bit = static_cast<u32>(id) % 64;
		__atomic_fetch_and(&words_[w], ~(u64(1) << bit), __ATOMIC_RELEASE);
	}

	bool test(int id) const
	{
		if (id < 0 || static_cast<u32>(id) >= capacity)
			return false;
		u32 w = static_cast<u32>(id) / 64, bit = static_cast<u32>(id) % 64;
		return (__atomic_load_n(&words_[w], __ATOMIC_RELAXED) >> bit) & 1;
	}

private:
	u64 words_[Words] = {};
};

} // namespace armature::cspmu::ampere
