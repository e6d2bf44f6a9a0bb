// SPDX-License-Identifier: GPL-2.0
// NVIDIA CoreSight PMUs (Grace / Tegra241 and Tegra410): which PMU a PMIIDR
// names, its events and formats, its name in sysfs, and how its config
// words become filter register values. Pure code, compiled unchanged into
// the nvidia_cspmu module (nvidia_module.cpp), KUnit and host tests.
//
// The state follows upstream's newest merged driver: Grace PCIe, NVLink-C2C
// (with the port filter), CNVLink and SCF (the trimmed event list of
// v6.14), and Tegra410 UCF, PCIe and PCIe-TGT; any other NVIDIA PMU is a
// "generic" one with raw filters. Products are matched on PMIIDR's product
// ID, variant and revision, in the table's order.
#pragma once

#include "engine.hpp"
#include "pmu.hpp"

namespace armature::cspmu::nvidia {

// PMIIDR bits a variant is matched on: product ID, variant, revision.
inline constexpr u32 prodid_mask =
	PMIIDR::product_id_mask | PMIIDR::variant_mask | PMIIDR::revision_mask;
static_assert(prodid_mask == 0xfffff000);

// --- Fields and formats -----------------------------------------------------

// Each field a config word holds is declared once, in a layout that says
// which word holds it; the sysfs format is the field's name and bits
// (CSPMU_FORMAT), and the driver's masks are the same declarations'. The
// event field and a generic PMU's filters are the baseline's (pmu.hpp).

// Grace's PMEVFILTR, from config1: a bit per root port, NVLink-C2C port or
// remote socket.
struct PcieFilter : kcpp::BitLayout<PcieFilter, u32> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(9, 0, root_port);
};
struct NvlinkC2cFilter : kcpp::BitLayout<NvlinkC2cFilter, u32> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(1, 0, port);
};
struct CnvlinkFilter : kcpp::BitLayout<CnvlinkFilter, u32> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(3, 0, rem_socket);
};

// UCF PMEVFILTR: sources and destinations. Either set left empty means all
// of it.
namespace ucf {
struct Filter : kcpp::BitLayout<Filter, u32> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(2, 0, src);
	KCPP_SUBFIELD(0, 0, src_loc_noncpu, src);
	KCPP_SUBFIELD(1, 1, src_loc_cpu, src);
	KCPP_SUBFIELD(2, 2, src_rem, src);
	KCPP_FIELD(11, 8, dst);
	KCPP_SUBFIELD(8, 8, dst_loc_cmem, dst);
	KCPP_SUBFIELD(9, 9, dst_loc_gmem, dst);
	KCPP_SUBFIELD(10, 10, dst_loc_other, dst);
	KCPP_SUBFIELD(11, 11, dst_rem, dst);
};
inline constexpr u32 filter_default = Filter::src_mask | Filter::dst_mask;
} // namespace ucf

// Tegra410 PCIe PMEVFILTR: a root-port mask, or one requester BDF enabled
// by SRC_BDF_EN (the two are mutually exclusive; one BDF for the whole
// PMU). PMEVFILT2R: a destination mask.
namespace pcie_v2 {
struct Filter : kcpp::BitLayout<Filter, u32> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(7, 0, src_rp_mask);
	KCPP_FIELD(24, 8, bdf_val_en);
	KCPP_SUBFIELD(23, 8, src_bdf, bdf_val_en);
	KCPP_SUBFIELD(24, 24, src_bdf_en, bdf_val_en);
};
struct Filter2 : kcpp::BitLayout<Filter2, u32> {
	static constexpr unsigned config_word = 2;
	KCPP_BIT(0, dst_loc_cmem);
	KCPP_BIT(1, dst_loc_gmem);
	KCPP_BIT(2, dst_loc_pcie_p2p);
	KCPP_BIT(3, dst_loc_pcie_cxl);
	KCPP_BIT(4, dst_rem);
};

// The BDF and its enable bit when BDF filtering is on, 0 otherwise.
constexpr u32 bdf_val_en(u32 filter)
{
	auto f = Filter::FromValue(filter);
	return f.src_bdf_en() ? f.bdf_val_en() : 0;
}
} // namespace pcie_v2

// Tegra410 PCIe-TGT: the config word holds the event type and the
// PMEVFILT2R settings: a destination root-port mask and the address-filter
// enable; config1 and config2 the address range. PMEVFILT2R takes the
// root-port mask and selects the address filters the counter applies.
namespace pcie_tgt {
struct Config : kcpp::BitLayout<Config, u64> {
	static constexpr unsigned config_word = 0;
	KCPP_FIELD(2, 0, event);
	KCPP_VALUE(event, cycles, 4);
	KCPP_FIELD(10, 3, dst_rp_mask);
	KCPP_BIT(11, dst_addr_en);
};
struct AddrBase : kcpp::BitLayout<AddrBase, u64> {
	static constexpr unsigned config_word = 1;
	KCPP_FIELD(63, 0, dst_addr_base);
};
struct AddrMask : kcpp::BitLayout<AddrMask, u64> {
	static constexpr unsigned config_word = 2;
	KCPP_FIELD(63, 0, dst_addr_mask);
};
struct Filter2 : kcpp::BitLayout<Filter2, u32> {
	KCPP_FIELD(7, 0, dst_rp_mask);
	KCPP_FIELD(15, 8, addr_filter); // a bit per address filter
};
inline constexpr u32 filter2_default = Filter2::dst_rp_mask_mask;

// Address filters: eight base/mask pairs in a second register frame (the
// first memory resource of the PMU's ACPI device), each a control word then
// base and mask, low words first, 20 bytes apart. PMEVFILT2R's addr_filter
// selects the filters a counter applies.
inline constexpr u32 addr_filters = 8;
inline constexpr u32 addr_stride = 20;
inline constexpr u32 addr_ctrl = 0xd38;
inline constexpr u32 addr_base_lo = 0xd3c;
inline constexpr u32 addr_base_hi = 0xd40;
inline constexpr u32 addr_mask_lo = 0xd44;
inline constexpr u32 addr_mask_hi = 0xd48;
inline constexpr u64 addr_frame_size = addr_mask_hi + (addr_filters - 1) * addr_stride + 4;
static_assert(Filter2::addr_filter_field::max == (1u << addr_filters) - 1);

// The address filters of one PMU and the counters using them. Counters
// that filter on the same range share a filter. start() and stop() of one
// PMU run on its CPU in perf's context, one at a time; event_init only
// asks whether a filter could be had (find()), which may change by start.
class AddressFilters {
public:
	using Io = Pmu::Io;
	// Called when a counter starts and every filter holds another range.
	using Report = void (*)(const Pmu &, u64 base, u64 mask);

	AddressFilters(volatile void *frame, Report report) : io_(frame), report_(report)
	{
		for (kcpp::s8 &f : held_)
			f = -1;
	}
	AddressFilters(const AddressFilters &) = delete;
	AddressFilters &operator=(const AddressFilters &) = delete;

	// The filter a range would use: one already programmed with it, else
	// a free one; -ENOSPC when all hold other ranges.
	int find(u64 base, u64 mask) const
	{
		int free = -ENOSPC;
		for (u32 i = 0; i < addr_filters; i++) {
			u32 refs = __atomic_load_n(&filters_[i].refs, __ATOMIC_RELAXED);
			if (refs && filters_[i].base == base && filters_[i].mask == mask)
				return static_cast<int>(i);
			if (!refs && free < 0)
				free = static_cast<int>(i);
		}
		return free;
	}

	// Counter `physical` filters on [base, mask]: the filter it now holds
	// (programmed when it was free), or -ENOSPC.
	int get(const Pmu &pmu, u32 physical, u64 base, u64 mask)
	{
		int i = find(base, mask);
		if (i < 0) {
			report_(pmu, base, mask);
			return i;
		}
		Filter &f = filters_[i];
		if (!f.refs) {
			f.base = base;
			f.mask = mask;
			write(i, addr_base_lo, static_cast<u32>(base));
			write(i, addr_base_hi, static_cast<u32>(base >> 32));
			write(i, addr_mask_lo, static_cast<u32>(mask));
			write(i, addr_mask_hi, static_cast<u32>(mask >> 32));
			write(i, addr_ctrl, 1);
		}
		__atomic_store_n(&f.refs, f.refs + 1, __ATOMIC_RELAXED);
		held_[physical] = static_cast<kcpp::s8>(i);
		return i;
	}

	// Counter `physical` stops: its filter, if it had one, loses a user;
	// the last one disables and clears it.
	void put(u32 physical)
	{
		int i = held_[physical];
		if (i < 0)
			return;
		held_[physical] = -1;
		Filter &f = filters_[i];
		__atomic_store_n(&f.refs, f.refs - 1, __ATOMIC_RELAXED);
		if (f.refs)
			return;
		write(i, addr_ctrl, 0);
		write(i, addr_base_lo, 0);
		write(i, addr_base_hi, 0);
		write(i, addr_mask_lo, 0);
		write(i, addr_mask_hi, 0);
		f.base = f.mask = 0;
	}

	u32 users(u32 filter) const { return filters_[filter].refs; }

private:
	struct Filter {
		u32 refs = 0;
		u64 base = 0;
		u64 mask = 0;
	};
	void write(int filter, u32 reg, u32 value)
	{
		io_.write<u32>(reg + static_cast<u32>(filter) * addr_stride, value);
	}

	Io io_;
	Report report_;
	Filter filters_[addr_filters];
	kcpp::s8 held_[max_counters]; // by physical counter: its filter, or -1
};
} // namespace pcie_tgt

inline constexpr FormatAttr scf_formats[] = {
	CSPMU_FORMAT(Config, event),
};

inline constexpr FormatAttr pcie_formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(PcieFilter, root_port),
};

inline constexpr FormatAttr nvlink_c2c_formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(NvlinkC2cFilter, port),
};

inline constexpr FormatAttr cnvlink_formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(CnvlinkFilter, rem_socket),
};

inline constexpr FormatAttr ucf_formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(ucf::Filter, src_loc_noncpu),
	CSPMU_FORMAT(ucf::Filter, src_loc_cpu),
	CSPMU_FORMAT(ucf::Filter, src_rem),
	CSPMU_FORMAT(ucf::Filter, dst_loc_cmem),
	CSPMU_FORMAT(ucf::Filter, dst_loc_gmem),
	CSPMU_FORMAT(ucf::Filter, dst_loc_other),
	CSPMU_FORMAT(ucf::Filter, dst_rem),
};

inline constexpr FormatAttr pcie_v2_formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(pcie_v2::Filter, src_rp_mask),
	CSPMU_FORMAT(pcie_v2::Filter, src_bdf),
	CSPMU_FORMAT(pcie_v2::Filter, src_bdf_en),
	CSPMU_FORMAT(pcie_v2::Filter2, dst_loc_cmem),
	CSPMU_FORMAT(pcie_v2::Filter2, dst_loc_gmem),
	CSPMU_FORMAT(pcie_v2::Filter2, dst_loc_pcie_p2p),
	CSPMU_FORMAT(pcie_v2::Filter2, dst_loc_pcie_cxl),
	CSPMU_FORMAT(pcie_v2::Filter2, dst_rem),
};

inline constexpr FormatAttr pcie_tgt_formats[] = {
	CSPMU_FORMAT(pcie_tgt::Config, event),
	CSPMU_FORMAT(pcie_tgt::Config, dst_rp_mask),
	CSPMU_FORMAT(pcie_tgt::Config, dst_addr_en),
	CSPMU_FORMAT(pcie_tgt::AddrBase, dst_addr_base),
	CSPMU_FORMAT(pcie_tgt::AddrMask, dst_addr_mask),
};

inline constexpr FormatAttr generic_formats[] = {
	CSPMU_FORMAT(Config, event),
	CSPMU_FORMAT(Filter, filter),
	CSPMU_FORMAT(Filter2, filter2),
};

// --- Events -----------------------------------------------------------------

// Memory-controller-like fabric PMUs: Grace PCIe, NVLink-C2C and CNVLink.
inline constexpr EventAttr mcf_events[] = {
	{"rd_bytes_loc", 0x0},	  {"rd_bytes_rem", 0x1},    {"wr_bytes_loc", 0x2},
	{"wr_bytes_rem", 0x3},	  {"total_bytes_loc", 0x4}, {"total_bytes_rem", 0x5},
	{"rd_req_loc", 0x6},	  {"rd_req_rem", 0x7},	    {"wr_req_loc", 0x8},
	{"wr_req_rem", 0x9},	  {"total_req_loc", 0xa},   {"total_req_rem", 0xb},
	{"rd_cum_outs_loc", 0xc}, {"rd_cum_outs_rem", 0xd}, {"cycles", cycles_event},
};

// Grace's Scalable Coherency Fabric, with only the events the hardware
// supports (the list as trimmed in v6.14).
inline constexpr EventAttr scf_events[] = {
	{"bus_cycles", 0x1d},

	{"scf_cache_allocate", 0xf0},
	{"scf_cache_refill", 0xf1},
	{"scf_cache", 0xf2},
	{"scf_cache_wb", 0xf3},

	{"socket_0_rd_data", 0x101},
	{"socket_1_rd_data", 0x102},
	{"socket_2_rd_data", 0x103},
	{"socket_3_rd_data", 0x104},

	{"socket_0_wb_data", 0x109},
	{"socket_1_wb_data", 0x10a},
	{"socket_2_wb_data", 0x10b},
	{"socket_3_wb_data", 0x10c},

	{"socket_0_rd_outstanding", 0x115},
	{"socket_1_rd_outstanding", 0x116},
	{"socket_2_rd_outstanding", 0x117},
	{"socket_3_rd_outstanding", 0x118},

	{"socket_0_rd_access", 0x12d},
	{"socket_1_rd_access", 0x12e},
	{"socket_2_rd_access", 0x12f},
	{"socket_3_rd_access", 0x130},

	{"socket_0_wb_access", 0x135},
	{"socket_1_wb_access", 0x136},
	{"socket_2_wb_access", 0x137},
	{"socket_3_wb_access", 0x138},

	{"socket_0_wr_access", 0x139},
	{"socket_1_wr_access", 0x13a},
	{"socket_2_wr_access", 0x13b},
	{"socket_3_wr_access", 0x13c},

	{"gmem_rd_data", 0x16d},
	{"gmem_rd_access", 0x16e},
	{"gmem_rd_outstanding", 0x16f},
	{"gmem_wb_data", 0x173},
	{"gmem_wb_access", 0x174},
	{"gmem_wr_data", 0x179},
	{"gmem_wr_access", 0x17b},

	{"socket_0_wr_data", 0x17c},
	{"socket_1_wr_data", 0x17d},
	{"socket_2_wr_data", 0x17e},
	{"socket_3_wr_data", 0x17f},

	{"gmem_wr_total_bytes", 0x1a0},
	{"remote_socket_wr_total_bytes", 0x1a1},
	{"remote_socket_rd_data", 0x1a2},
	{"remote_socket_rd_outstanding", 0x1a3},
	{"remote_socket_rd_access", 0x1a4},

	{"cmem_rd_data", 0x1a5},
	{"cmem_rd_access", 0x1a6},
	{"cmem_rd_outstanding", 0x1a7},
	{"cmem_wb_data", 0x1ab},
	{"cmem_wb_access", 0x1ac},
	{"cmem_wr_data", 0x1b1},
	{"cmem_wr_access", 0x1ca},
	{"cmem_wr_total_bytes", 0x1db},

	{"cycles", cycles_event},
};

// Tegra410's Unified Coherency Fabric.
inline constexpr EventAttr ucf_events[] = {
	{"bus_cycles", 0x1d},
	{"slc_allocate", 0xf0},
	{"slc_wb", 0xf3},
	{"slc_refill_rd", 0x109},
	{"slc_refill_wr", 0x10a},
	{"slc_hit_rd", 0x119},
	{"slc_access_dataless", 0x183},
	{"slc_access_atomic", 0x184},
	{"slc_access_rd", 0x111},
	{"slc_access_wr", 0x112},
	{"slc_bytes_rd", 0x113},
	{"slc_bytes_wr", 0x114},
	{"mem_access_rd", 0x121},
	{"mem_access_wr", 0x122},
	{"mem_bytes_rd", 0x123},
	{"mem_bytes_wr", 0x124},
	{"local_snoop", 0x180},
	{"ext_snp_access", 0x181},
	{"ext_snp_evict", 0x182},
	{"cycles", cycles_event},
};

// Tegra410's PCIe root complex, as a source of traffic.
inline constexpr EventAttr pcie_v2_events[] = {
	{"rd_bytes", 0x0}, {"wr_bytes", 0x1},	 {"rd_req", 0x2},
	{"wr_req", 0x3},   {"rd_cum_outs", 0x4}, {"cycles", cycles_event},
};

// Tegra410's PCIe root complex, as a target. Its event field is three bits
// wide, and the cycle counter counts event type 4.
inline constexpr EventAttr pcie_tgt_events[] = {
	{"rd_bytes", 0x0}, {"wr_bytes", 0x1}, {"rd_req", 0x2},
	{"wr_req", 0x3},   {"cycles", pcie_tgt::Config::event_cycles},
};

inline constexpr EventAttr generic_events[] = {{"cycles", cycles_event}};

// --- Variants ---------------------------------------------------------------

// How a PMU is named: prefix then the NUMA node of its CPUs (a socket on
// these systems), optionally "_rc_" and the root complex's instance ID from
// firmware; or prefix then a count of generic PMUs.
enum class Naming : u8 { generic, socket, socket_inst };

struct Variant;
using FilterFn = u32 (*)(const Variant &, const Slot &);

// One kind of NVIDIA PMU.
struct Variant {
	u32 prodid;					  // in PMIIDR's bit positions
	u32 prodid_mask = nvidia::prodid_mask;		  // 0: the generic fallback
	const char *name;
	Naming naming;
	// The configured value of PMEVFILTR / PMEVFILT2R from config1 /
	// config2, and the value when nothing is selected.
	u32 filter_mask;
	u32 filter_default;
	u32 filter2_mask = 0;
	u32 filter2_default = 0;
	// What set_ev_filter() writes to PMEVFILTR and PMEVFILT2R; nullptr
	// leaves that register alone.
	FilterFn filter;
	FilterFn filter2 = nullptr;
	Ops ops;
	// Has pcie_tgt::AddressFilters (backend state) when firmware gives
	// their registers.
	bool address_filters = false;
};

// config1 under the filter mask, or the default when that selects nothing
// (NVIDIA's filters select "all" by default).
constexpr u32 nv_filter(const Variant &v, const EventConfig &c)
{
	u32 f = static_cast<u32>(c.config1) & v.filter_mask;
	return f ? f : v.filter_default;
}

constexpr u32 nv_filter2(const Variant &v, const EventConfig &c)
{
	u32 f = static_cast<u32>(c.config2) & v.filter2_mask;
	return f ? f : v.filter2_default;
}

inline u32 event_filter(const Variant &v, const Slot &s) { return nv_filter(v, s.config); }
inline u32 event_filter2(const Variant &v, const Slot &s) { return nv_filter2(v, s.config); }

// UCF: sources and destinations default to "all" independently.
constexpr u32 ucf_filter_value(const Variant &v, const EventConfig &c)
{
	using F = ucf::Filter;
	auto f = F::FromValue(nv_filter(v, c));
	return F::Get()
		.set_src(f.src() ? f.src() : F::src_field::max)
		.set_dst(f.dst() ? f.dst() : F::dst_field::max)
		.reg_value();
}

inline u32 ucf_filter(const Variant &v, const Slot &s) { return ucf_filter_value(v, s.config); }

// Tegra410 PCIe: the event's own filter; when it selects nothing, a sibling
// takes its leader's filter if that filters on a BDF (the PMU has one BDF
// register for all counters), the default otherwise. A leader's filter is
// its own config1 or the default.
constexpr u32 pcie_v2_leader_filter(const Variant &v, const EventConfig &leader)
{
	u32 f = static_cast<u32>(leader.config1) & v.filter_mask;
	return f ? f : v.filter_default;
}

constexpr u32 pcie_v2_filter_value(const Variant &v, const EventConfig &c,
				   const EventConfig &leader)
{
	u32 f = static_cast<u32>(c.config1) & v.filter_mask;
	if (f)
		return f;
	u32 lead = pcie_v2_leader_filter(v, leader);
	if (pcie_v2::bdf_val_en(lead))
		return lead;
	return v.filter_default;
}

inline u32 pcie_v2_filter(const Variant &v, const Slot &s)
{
	return pcie_v2_filter_value(v, s.config, s.leader);
}

// --- Ops --------------------------------------------------------------------

inline const Variant &variant_of(const Pmu &pmu) { return pmu.variant<Variant>(); }

// An event counter's filters: PMEVFILTR and/or PMEVFILT2R, as the variant
// says.
inline void set_ev_filter(Pmu &pmu, Counter ctr, const Slot &slot)
{
	const Variant &v = variant_of(pmu);
	auto io = pmu.page0();
	if (v.filter)
		PMEVFILTR::Get(ctr.physical).set_reg_value(v.filter(v, slot)).WriteTo(io);
	if (v.filter2)
		PMEVFILT2R::Get(ctr.physical).set_reg_value(v.filter2(v, slot)).WriteTo(io);
}

// The cycle counter always takes the plain config1 filter, whatever the
// variant's PMEVFILTR helper (as upstream: UCF and PCIe included).
inline void set_cc_filter(Pmu &pmu, const Slot &slot)
{
	auto io = pmu.page0();
	PMCCFILTR::Get().set_reg_value(nv_filter(variant_of(pmu), slot.config)).WriteTo(io);
}

// Clears on stop what set_ev_filter() wrote.
inline void reset_ev_filter(Pmu &pmu, Counter ctr, const Slot &)
{
	const Variant &v = variant_of(pmu);
	auto io = pmu.page0();
	if (v.filter)
		PMEVFILTR::Get(ctr.physical).set_reg_value(0).WriteTo(io);
	if (v.filter2)
		PMEVFILT2R::Get(ctr.physical).set_reg_value(0).WriteTo(io);
}

// Tegra410 PCIe: a root-port mask and a BDF cannot both filter one event;
// an event and its leader filter on the same BDF (or neither does); and
// every group counting at once filters on the same BDF as the first one
// scheduled (its leader's filter is what the BDF register holds).
inline int pcie_v2_validate_event(const Pmu &pmu, const Slot &event, const Slot *scheduled)
{
	if (engine::is_cycle_event(pmu, event.config))
		return 0;
	const Variant &v = variant_of(pmu);
	u32 filter = pcie_v2_filter_value(v, event.config, event.leader);
	u32 bdf = pcie_v2::bdf_val_en(filter);
	u32 lead_bdf = pcie_v2::bdf_val_en(pcie_v2_leader_filter(v, event.leader));
	if (pcie_v2::Filter::FromValue(filter).src_rp_mask() && bdf)
		return -EINVAL;
	if (bdf != lead_bdf)
		return -EINVAL;
	if (scheduled &&
	    pcie_v2::bdf_val_en(pcie_v2_leader_filter(v, scheduled->leader)) != lead_bdf)
		return -EINVAL;
	return 0;
}

// Tegra410 PCIe-TGT.
inline u32 pcie_tgt_event_type(const Pmu &, const EventConfig &c)
{
	return static_cast<u32>(pcie_tgt::Config::FromValue(c.config).event());
}

inline bool pcie_tgt_is_cycle_event(const Pmu &pmu, const EventConfig &c)
{
	return pcie_tgt_event_type(pmu, c) == pcie_tgt::Config::event_cycles;
}

// Address filtering needs the PMU's address-filter frame: without one (no
// ACPI device memory resource, or a devicetree PMU) dst_addr_en is refused.
inline int pcie_tgt_validate_event(const Pmu &pmu, const Slot &event, const Slot *)
{
	if (!pcie_tgt::Config::FromValue(event.config.config).dst_addr_en())
		return 0;
	const auto *filters = pmu.backend_state<pcie_tgt::AddressFilters>();
	if (!filters)
		return -EOPNOTSUPP;
	return filters->find(event.config.config1, event.config.config2) < 0 ? -EINVAL : 0;
}

// PMEVFILT2R: the destination root ports (all of them when none is selected
// and no address filter is), and the address filter the counter holds. When
// none can be had the counter counts nothing rather than everything.
inline void pcie_tgt_set_ev_filter(Pmu &pmu, Counter ctr, const Slot &slot)
{
	auto c = pcie_tgt::Config::FromValue(slot.config.config);
	u32 value = static_cast<u32>(c.dst_rp_mask());
	if (c.dst_addr_en()) {
		auto *filters = pmu.backend_state<pcie_tgt::AddressFilters>();
		int i = filters ? filters->get(pmu, ctr.physical, slot.config.config1, slot.config.config2)
				: -EOPNOTSUPP;
		value = i < 0 ? 0
			      : pcie_tgt::Filter2::Get()
					.set_dst_rp_mask(value)
					.set_addr_filter(u32(1) << i)
					.reg_value();
	} else if (!value) {
		value = pcie_tgt::filter2_default;
	}
	auto io = pmu.page0();
	PMEVFILT2R::Get(ctr.physical).set_reg_value(value).WriteTo(io);
}

inline void pcie_tgt_reset_ev_filter(Pmu &pmu, Counter ctr, const Slot &)
{
	if (auto *filters = pmu.backend_state<pcie_tgt::AddressFilters>())
		filters->put(ctr.physical);
}

// The hooks a variant sets itself, NVIDIA's filter hook or the core's
// baseline (nullptr) where it does not. (Defaults rather than a test of the
// pointers in make_ops(): a function's address compared with nullptr is not
// a constant expression under the sanitizers, and the table must stay
// constant-initialised.)
struct Overrides {
	bool (*is_cycle_event)(const Pmu &, const EventConfig &) = nullptr;
	u32 (*event_type)(const Pmu &, const EventConfig &) = nullptr;
	void (*set_ev_filter)(Pmu &, Counter, const Slot &) = nvidia::set_ev_filter;
	void (*reset_ev_filter)(Pmu &, Counter, const Slot &) = nullptr;
	int (*validate_event)(const Pmu &, const Slot &, const Slot *) = nullptr;
};

constexpr Ops make_ops(Table<EventAttr> events, Table<FormatAttr> formats, Overrides o = {})
{
	return {
		.events = events,
		.formats = formats,
		.is_cycle_event = o.is_cycle_event,
		.event_type = o.event_type,
		.set_ev_filter = o.set_ev_filter,
		.set_cc_filter = set_cc_filter,
		.reset_ev_filter = o.reset_ev_filter,
		.validate_event = o.validate_event,
		.event_visible = nullptr,
	};
}

// Upstream's match table, in its order; the generic entry is last and
// catches every PMIIDR.
inline constexpr Variant variants[] = {
	{
		.prodid = 0x10300000,
		.name = "nvidia_pcie_pmu_",
		.naming = Naming::socket,
		.filter_mask = PcieFilter::field_bits(),
		.filter_default = PcieFilter::field_bits(),
		.filter = event_filter,
		.ops = make_ops(mcf_events, pcie_formats),
	},
	{
		.prodid = 0x10400000,
		.name = "nvidia_nvlink_c2c1_pmu_",
		.naming = Naming::socket,
		.filter_mask = NvlinkC2cFilter::field_bits(),
		.filter_default = NvlinkC2cFilter::field_bits(),
		.filter = event_filter,
		.ops = make_ops(mcf_events, nvlink_c2c_formats),
	},
	{
		.prodid = 0x10500000,
		.name = "nvidia_nvlink_c2c0_pmu_",
		.naming = Naming::socket,
		.filter_mask = NvlinkC2cFilter::field_bits(),
		.filter_default = NvlinkC2cFilter::field_bits(),
		.filter = event_filter,
		.ops = make_ops(mcf_events, nvlink_c2c_formats),
	},
	{
		.prodid = 0x10600000,
		.name = "nvidia_cnvlink_pmu_",
		.naming = Naming::socket,
		.filter_mask = CnvlinkFilter::field_bits(),
		.filter_default = CnvlinkFilter::field_bits(),
		.filter = event_filter,
		.ops = make_ops(mcf_events, cnvlink_formats),
	},
	{
		// SCF has no filter: PMEVFILTR and PMCCFILTR are written 0.
		.prodid = 0x2cf00000,
		.name = "nvidia_scf_pmu_",
		.naming = Naming::socket,
		.filter_mask = 0,
		.filter_default = 0,
		.filter = event_filter,
		.ops = make_ops(scf_events, scf_formats),
	},
	{
		.prodid = 0x2cf20000,
		.name = "nvidia_ucf_pmu_",
		.naming = Naming::socket,
		.filter_mask = ucf::Filter::field_bits(),
		.filter_default = ucf::filter_default,
		.filter = ucf_filter,
		.ops = make_ops(ucf_events, ucf_formats),
	},
	{
		// Variant 0, revision 1 of product 0x103: not Grace's PCIe PMU.
		.prodid = 0x10301000,
		.name = "nvidia_pcie_pmu_",
		.naming = Naming::socket_inst,
		.filter_mask = pcie_v2::Filter::field_bits(),
		.filter_default = pcie_v2::Filter::src_rp_mask_mask,
		.filter2_mask = pcie_v2::Filter2::field_bits(),
		.filter2_default = pcie_v2::Filter2::field_bits(),
		.filter = pcie_v2_filter,
		.filter2 = event_filter2,
		.ops = make_ops(pcie_v2_events, pcie_v2_formats,
				{
					.reset_ev_filter = reset_ev_filter,
					.validate_event = pcie_v2_validate_event,
				}),
	},
	{
		// The cycle counter gets the config1 filter under a zero mask:
		// PMCCFILTR is written 0.
		.prodid = 0x10700000,
		.name = "nvidia_pcie_tgt_pmu_",
		.naming = Naming::socket_inst,
		.filter_mask = 0,
		.filter_default = 0,
		.filter = nullptr,
		.ops = make_ops(pcie_tgt_events, pcie_tgt_formats,
				{
					.is_cycle_event = pcie_tgt_is_cycle_event,
					.event_type = pcie_tgt_event_type,
					.set_ev_filter = pcie_tgt_set_ev_filter,
					.reset_ev_filter = pcie_tgt_reset_ev_filter,
					.validate_event = pcie_tgt_validate_event,
				}),
		.address_filters = true,
	},
	{
		.prodid = 0,
		.prodid_mask = 0,
		.name = "nvidia_uncore_pmu_",
		.naming = Naming::generic,
		.filter_mask = Filter::field_bits(),
		.filter_default = Filter::field_bits(),
		.filter2_mask = Filter2::field_bits(),
		.filter2_default = Filter2::field_bits(),
		.filter = event_filter,
		.filter2 = event_filter2,
		.ops = make_ops(generic_events, generic_formats),
	},
};

inline constexpr usize variant_count = sizeof(variants) / sizeof(variants[0]);
inline constexpr const Variant &generic_variant = variants[variant_count - 1];
static_assert(generic_variant.prodid_mask == 0 && generic_variant.naming == Naming::generic);

// The first variant whose product, variant and revision match; the generic
// one when none does.
constexpr const Variant &match(u32 pmiidr)
{
	for (const Variant &v : variants)
		if (!v.prodid_mask || (v.prodid & v.prodid_mask) == (pmiidr & v.prodid_mask))
			return v;
	return generic_variant;
}

// Chooses the PMU's variant and names it. generic_index numbers the
// generic PMUs (the module counts them). -ENODEV when a PMU named by its
// root complex has no instance ID in firmware.
inline int init(Pmu &pmu, u32 generic_index)
{
	const Variant &v = match(pmu.pmiidr());
	auto &name = pmu.name();
	name.clear();
	name.append(v.name);
	// cpu_to_node() of a CPU is never negative; printed as unsigned like
	// upstream's "%u" all the same.
	u32 socket = static_cast<u32>(pmu.numa_node());
	switch (v.naming) {
	case Naming::generic:
		name.append_uint(generic_index);
		break;
	case Naming::socket:
		name.append_uint(socket);
		break;
	case Naming::socket_inst:
		if (!pmu.firmware().has_instance_id) {
			name.clear();
			return -ENODEV;
		}
		name.append_uint(socket).append("_rc_").append_uint(pmu.firmware().instance_id);
		break;
	}
	pmu.set_ops(&v.ops, &v);
	return 0;
}

} // namespace armature::cspmu::nvidia
