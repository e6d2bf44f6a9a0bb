// SPDX-License-Identifier: GPL-2.0
// arm_cspmu_module: probes CoreSight PMUs, picks the vendor backend by
// PMIIDR (requesting its module), and runs the PMU for perf.
#include "backend.hpp"
#include "core.h"
#include "engine.hpp"
#include <kcpp/alloc.hpp>
#include <kcpp/static.hpp>
#include <type_traits>

using namespace armature::cspmu;

// A PMU and the backend it uses (a reference on the backend's module for as
// long as the PMU exists). The glue holds it as an opaque pointer and hands
// it to every callback.
struct armature_cspmu_core {
	template <typename... Args>
	explicit armature_cspmu_core(Args &&...args) : pmu(std::forward<Args>(args)...) {}
	~armature_cspmu_core()
	{
		if (initialised && backend->release)
			backend->release(pmu);
		kcpp_kfree(pmu.slots_);
	}

	Pmu pmu;
	BackendRegistry::Handle backend;
	bool initialised = false;
	// The CPU that handles the PMU, -1 while none: changed by CPU
	// hotplug, read by event_init (as upstream reads its cpumask).
	int active_cpu = -1;
};

namespace {

using Instance = armature_cspmu_core;

// Which module knows which implementer. A PMU whose PMIIDR matches an entry
// gets that module requested at probe; the module registers a backend under
// the entry's value.
struct BackendModule {
	u32 value;
	u32 mask;
	const char *module;
};

constexpr BackendModule backend_modules[] = {
	{implementer_nvidia, PMIIDR::implementer_mask, "nvidia_cspmu"},
	{implementer_ampere, PMIIDR::implementer_mask, "ampere_cspmu"},
};

// Out of line: inlined, it lets GCC specialise choose_backend() for each
// entry, each specialisation with its own copy of the registry lookup.
[[gnu::noinline]] const BackendModule *backend_module_for(u32 pmiidr)
{
	for (const BackendModule &m : backend_modules)
		if ((pmiidr & m.mask) == (m.value & m.mask))
			return &m;
	return nullptr;
}

constinit kcpp::Static<BackendRegistry> backends;

constexpr Ops baseline_ops = {
	.events = baseline_events,
	.formats = baseline_formats,
};

// Names without a backend: arm_cspmu_<n> for devicetree PMUs, by APMT node
// type otherwise (arm_cspmu_acpi_<HID>_<UID> for an ACPI device's PMU). The
// numbers count up from 0 per type for the module's lifetime.
constinit u32 next_index[apmt::node_types] = {};

void baseline_name(Pmu &pmu)
{
	const Firmware &fw = pmu.firmware();
	char hid[sizeof(fw.apmt_inst_primary) + 1] = {};
	// arm_cspmu_[<type>_[<HID>_]]<number>
	const char *parts[5] = {"arm_cspmu_"};
	u64 number;
	if (!fw.from_apmt) {
		number = __atomic_fetch_add(&next_index[0], 1, __ATOMIC_RELAXED);
	} else {
		parts[1] = apmt::type_names[fw.apmt_type];
		parts[2] = "_";
		if (fw.apmt_type == apmt::acpi_device) {
			__builtin_memcpy(hid, &fw.apmt_inst_primary, sizeof(fw.apmt_inst_primary));
			parts[3] = hid;
			parts[4] = "_";
			number = fw.apmt_inst_secondary;
		} else {
			number = __atomic_fetch_add(&next_index[fw.apmt_type], 1, __ATOMIC_RELAXED);
		}
	}
	for (const char *part : parts)
		if (part)
			pmu.name().append(part);
	pmu.name().append_uint(number);
}

// PMIIDR, from the peripheral ID registers when it reads zero, and
// firmware's override last.
u32 read_pmiidr(armature_cspmu *c, Pmu::Io io, const Firmware &fw)
{
	u32 pmiidr = PMIIDR::Get().ReadFrom(io).reg_value();
	if (!pmiidr)
		pmiidr = pmiidr_from_pmpidr(PMPIDR0::Get().ReadFrom(io).reg_value(),
					    PMPIDR1::Get().ReadFrom(io).reg_value(),
					    PMPIDR2::Get().ReadFrom(io).reg_value(),
					    PMPIDR3::Get().ReadFrom(io).reg_value(),
					    PMPIDR4::Get().ReadFrom(io).reg_value());
	if (fw.from_apmt && fw.apmt_impl_id && fw.apmt_impl_id != pmiidr) {
		armature_cspmu_info(c, "firmware's implementation ID 0x%x replaces PMIIDR 0x%x\n",
				    fw.apmt_impl_id, pmiidr);
		pmiidr = fw.apmt_impl_id;
	}
	return pmiidr;
}

kcpp::Result<volatile void *> map_frame(armature_cspmu *c, unsigned index, bool required)
{
	void *base = nullptr;
	__u64 size = 0;
	int ret = armature_cspmu_map_frame(c, index, &base, &size);
	if (ret == -ENOENT && !required)
		return static_cast<volatile void *>(nullptr);
	if (ret == -ENOENT) {
		armature_cspmu_err(c, "no register frame %u\n", index);
		return kcpp::Error(-ENODEV);
	}
	if (ret) {
		armature_cspmu_err(c, "cannot map register frame %u: %d\n", index, ret);
		return kcpp::Error(ret);
	}
	if (size < page_size) {
		armature_cspmu_err(c, "register frame %u is %llu bytes; the architecture needs %u\n",
				   index, size, page_size);
		return kcpp::Error(-EINVAL);
	}
	return static_cast<volatile void *>(base);
}

// The CPUs that may handle the PMU: devicetree's "cpus" (all of them when
// absent), or the processor or processor container of the APMT node. The
// lowest of them.
kcpp::Result<int> associate_cpus(armature_cspmu *c, const Firmware &fw)
{
	int first = -1;
	auto associate = [&](int cpu) {
		armature_cspmu_associate_cpu(c, cpu);
		if (first < 0 || cpu < first)
			first = cpu;
	};
	if (fw.from_apmt) {
		bool container = fw.apmt_flags & apmt::flag_container_affinity;
		for (int cpu = -1; (cpu = armature_cspmu_next_possible_cpu(cpu)) >= 0;) {
			u32 uid;
			if (container ? armature_cspmu_cpu_in_acpi_container(cpu, fw.apmt_proc_affinity)
				      : armature_cspmu_acpi_cpu_uid(cpu, &uid) &&
						uid == fw.apmt_proc_affinity)
				associate(cpu);
		}
	} else if (armature_cspmu_dt_has_cpus(c)) {
		for (unsigned i = 0;; i++) {
			int cpu;
			int ret = armature_cspmu_dt_cpu(c, i, &cpu);
			if (ret == -ENOENT)
				break;
			if (ret) {
				armature_cspmu_err(c, "cpus[%u]: %d\n", i, ret);
				return kcpp::Error(ret);
			}
			if (cpu >= 0)
				associate(cpu);
		}
	} else {
		for (int cpu = -1; (cpu = armature_cspmu_next_possible_cpu(cpu)) >= 0;)
			associate(cpu);
	}
	if (first < 0) {
		if (fw.from_apmt)
			armature_cspmu_err(c, "no CPU has the APMT node's %s UID %u\n",
					   fw.apmt_flags & apmt::flag_container_affinity
						   ? "processor container" : "processor",
					   fw.apmt_proc_affinity);
		else
			armature_cspmu_err(c, "none of the \"cpus\" is a possible CPU\n");
		return kcpp::Error(-ENODEV);
	}
	return first;
}

// The backend named for the PMU's implementer, its module requested if need
// be, and initialised for this PMU. Without one, the baseline.
kcpp::Result<void> choose_backend(Instance &inst)
{
	Pmu &pmu = inst.pmu;
	armature_cspmu *c = pmu.kobj();
	const BackendModule *m = backend_module_for(pmu.pmiidr());
	if (m) {
		auto found = backends->get(m->value, m->module);
		if (found) {
			inst.backend = std::move(found.value());
			int ret = inst.backend->init(pmu);
			if (ret) {
				armature_cspmu_err(c, "backend %s refused PMIIDR 0x%x: %d\n",
						   m->module, pmu.pmiidr(), ret);
				return kcpp::Error(ret);
			}
			inst.initialised = true;
			return {};
		}
		armature_cspmu_info(c, "PMIIDR 0x%x: backend %s not available (%d); "
				    "architectural events only\n", pmu.pmiidr(), m->module,
				    found.code());
	} else {
		armature_cspmu_info(c, "PMIIDR 0x%x: no backend for implementer 0x%x; "
				    "architectural events only\n", pmu.pmiidr(),
				    PMIIDR::FromValue(pmu.pmiidr()).implementer());
	}
	pmu.set_ops(&baseline_ops);
	baseline_name(pmu);
	return {};
}

kcpp::Result<void> make_attrs(Pmu &pmu)
{
	armature_cspmu *c = pmu.kobj();
	const Ops &ops = pmu.ops();
	for (const FormatAttr &f : ops.formats) {
		if (!pmu.masks_.add_spec(f.spec)) {
			armature_cspmu_err(c, "format %s: \"%s\" is not configN:lo-hi\n", f.name,
					   f.spec);
			return kcpp::Error(-EINVAL);
		}
	}
	KCPP_TRY(kcpp::to_result(armature_cspmu_alloc_attrs(c, ops.events.size(),
							    ops.formats.size())));
	// Only the events this PMU shows, first in the zeroed (so still
	// terminated) list: what shows depends on nothing that changes after
	// probe, so sysfs needs no is_visible callback.
	unsigned shown = 0;
	for (const EventAttr &e : ops.events)
		if (engine::event_visible(pmu, e))
			armature_cspmu_set_event_attr(c, shown++, e.name, e.id);
	for (usize i = 0; i < ops.formats.size(); i++)
		armature_cspmu_set_format_attr(c, i, ops.formats[i].name, ops.formats[i].spec);
	return {};
}

// Zeroed memory is an array of default Slots: an aggregate of integers and
// a pointer, all zero by default, is an implicit-lifetime type that the
// allocation brings into being (no constructor to run, none to clear the
// memory a second time).
static_assert(std::is_aggregate_v<Slot> && std::is_trivially_copyable_v<Slot>);
kcpp::Result<void> alloc_slots(Pmu &pmu)
{
	u32 n = pmu.geometry().logical_counters();
	void *mem = kcpp_kmalloc(n * sizeof(Slot), kcpp::gfp::kernel | kcpp::gfp::zero);
	if (!mem)
		return kcpp::Error(-ENOMEM);
	pmu.slots_ = static_cast<Slot *>(mem);
	return {};
}

kcpp::Result<void> probe(armature_cspmu *c, const Firmware &fw)
{
	volatile void *page0 = KCPP_TRY(map_frame(c, 0, true));
	volatile void *page1 = KCPP_TRY(map_frame(c, 1, false));
	if (fw.from_apmt && (fw.apmt_flags & apmt::flag_dual_page) != fw.page1_present) {
		armature_cspmu_err(c, "APMT node %s a dual-page PMU but there is %s page-1 frame\n",
				   fw.page1_present ? "does not describe" : "describes",
				   fw.page1_present ? "a" : "no");
		return kcpp::Error(-EINVAL);
	}
	if (fw.from_apmt && fw.apmt_type >= apmt::node_types) {
		armature_cspmu_err(c, "APMT node type %u is not one the specification defines\n",
				   fw.apmt_type);
		return kcpp::Error(-EINVAL);
	}
	Pmu::Io io0(page0);
	u32 pmcfgr = PMCFGR::Get().ReadFrom(io0).reg_value();
	const char *why = nullptr;
	auto geo = Geometry::from_pmcfgr(pmcfgr, &why);
	if (!geo) {
		armature_cspmu_err(c, "PMCFGR 0x%x: %s\n", pmcfgr, why);
		return geo.error();
	}
	u32 pmiidr = read_pmiidr(c, io0, fw);

	int irq = armature_cspmu_request_irq(c);
	if (irq < 0)
		return kcpp::Error(irq);
	int node = armature_cspmu_cpu_to_node(KCPP_TRY(associate_cpus(c, fw)));

	auto inst = kcpp::make<Instance>(kcpp::gfp::kernel, c, page0, page1 ? page1 : page0,
					 geo.value(), pmiidr, fw, node);
	if (!inst)
		return kcpp::Error(-ENOMEM);
	Pmu &pmu = inst->pmu;
	KCPP_TRY(alloc_slots(pmu));
	KCPP_TRY(choose_backend(*inst));
	if (pmu.identifier().empty())
		pmu.identifier().append_uint(pmiidr, 16);
	KCPP_TRY(make_attrs(pmu));

	engine::reset_all(pmu);
	armature_cspmu_set_core(c, inst.get());
	int ret = armature_cspmu_register(c, pmu.name().c_str(), pmu.identifier().c_str());
	if (ret) {
		armature_cspmu_set_core(c, nullptr);
		armature_cspmu_err(c, "cannot register PMU %s: %d\n", pmu.name().c_str(), ret);
		return kcpp::Error(ret);
	}
	armature_cspmu_info(c, "%s: PMIIDR 0x%x, %u counters of %u bits%s%s\n", pmu.name().c_str(),
			    pmiidr, geo.value().logical_counters(), geo.value().width(),
			    geo.value().has_cycle_counter() ? ", cycle counter" : "",
			    inst->backend ? "" : ", architectural baseline");
	(void)inst.release();
	return {};
}

// The group an event joins, member by member (those of this PMU; software
// events go anywhere, another hardware PMU's cannot be in the group). The
// leader's part comes with the event's own info, read once; a new leader
// has no siblings yet and is counted once, last.
int validate_group(Pmu &pmu, perf_event *event, const armature_cspmu_event_info &info)
{
	EventConfig config{info.config, info.config1, info.config2};
	EventConfig leader_config{info.leader_config, info.leader_config1, info.leader_config2};
	engine::GroupCheck group(pmu);
	perf_event *leader = info.leader;

	for (perf_event *m = leader; m; m = armature_cspmu_next_sibling(leader, m)) {
		if (m == event)
			continue;
		bool software = info.leader_is_software, mine = info.leader_on_this_pmu;
		EventConfig member = leader_config;
		if (m != leader) {
			armature_cspmu_event_info mi = armature_cspmu_event_get(pmu.kobj(), m);
			software = mi.is_software;
			mine = mi.on_this_pmu;
			member = {mi.config, mi.config1, mi.config2};
		}
		if (software)
			continue;
		if (!mine)
			return -EINVAL;
		int ret = group.add({member, leader_config});
		if (ret)
			return ret;
	}
	return group.add({config, leader_config});
}

// The count an update found; a counter that never read stable counts
// nothing and says so. Out of line: read, stop and the interrupt share it.
[[gnu::noinline]] void count(Pmu &pmu, void *event, kcpp::Result<u64> delta)
{
	if (!delta)
		armature_cspmu_err_ratelimited(pmu.kobj(), "64-bit counter never read stable; "
					       "count not updated\n");
	armature_cspmu_event_add_count(event, delta.value_or(0));
}

// Hotplug callbacks of one PMU are serialised; event_init reads the CPU
// concurrently.
void set_active_cpu(armature_cspmu_core *core, int cpu)
{
	__atomic_store_n(&core->active_cpu, cpu, __ATOMIC_RELAXED);
	armature_cspmu_set_active_cpu(core->pmu.kobj(), cpu);
}

} // namespace

extern "C" {

int armature_cspmu_core_init()
{
	backends.construct(KCPP_LOCK_CLASS("armature_cspmu_backends"));
	return 0;
}

void armature_cspmu_core_exit()
{
	backends.destroy();
}

int armature_cspmu_register_backend(armature_cspmu_backend *backend)
{
	bool known = false;
	for (const BackendModule &m : backend_modules)
		known |= m.value == backend->key();
	if (!known)
		return -EINVAL;
	return backends->add(*backend).code();
}

void armature_cspmu_unregister_backend(armature_cspmu_backend *backend)
{
	backends->remove(*backend);
}

int armature_cspmu_probe(armature_cspmu *c, const armature_cspmu_firmware *fw)
{
	return probe(c, *fw).code();
}

void armature_cspmu_remove(armature_cspmu_core *core)
{
	armature_cspmu *c = core->pmu.kobj();
	armature_cspmu_unregister(c);
	kcpp::Box<Instance> inst(core);
	armature_cspmu_set_core(c, nullptr);
}

int armature_cspmu_event_init(armature_cspmu_core *core, perf_event *event, int *cpu, int *idx)
{
	Pmu &pmu = core->pmu;
	armature_cspmu *c = pmu.kobj();
	armature_cspmu_event_info info = armature_cspmu_event_get(c, event);
	if (!info.matches_type)
		return -ENOENT;
	// Uncore counters: no sampling, no per-task counting.
	if (info.sampling) {
		armature_cspmu_dbg(c, "sampling is not supported\n");
		return -EOPNOTSUPP;
	}
	if (*cpu < 0 || info.per_task) {
		armature_cspmu_dbg(c, "per-task counting is not supported\n");
		return -EINVAL;
	}
	if (!armature_cspmu_cpu_associated(c, *cpu)) {
		armature_cspmu_dbg(c, "CPU %d is not associated with the PMU\n", *cpu);
		return -EINVAL;
	}
	int active = __atomic_load_n(&core->active_cpu, __ATOMIC_RELAXED);
	if (active < 0)
		return -EINVAL;
	EventConfig config{info.config, info.config1, info.config2};
	if (!pmu.masks_.covers(config)) {
		armature_cspmu_dbg(c, "config 0x%llx,0x%llx,0x%llx sets bits no format names\n",
				   static_cast<unsigned long long>(config.config),
				   static_cast<unsigned long long>(config.config1),
				   static_cast<unsigned long long>(config.config2));
		return -EINVAL;
	}
	if (engine::is_cycle_event(pmu, config) && !pmu.geometry().has_cycle_counter()) {
		armature_cspmu_dbg(c, "the PMU has no cycle counter\n");
		return -EINVAL;
	}
	int ret = validate_group(pmu, event, info);
	if (ret) {
		armature_cspmu_dbg(c, "the event's group cannot count at once (%d)\n", ret);
		return -EINVAL;
	}
	*cpu = active;
	*idx = -1;
	return 0;
}

int armature_cspmu_add(armature_cspmu_core *core, perf_event *event, int flags, int *idx,
		       int *state)
{
	Pmu &pmu = core->pmu;
	armature_cspmu_event_info info = armature_cspmu_event_get(pmu.kobj(), event);
	auto logical = engine::add(pmu, {info.config, info.config1, info.config2},
				   {info.leader_config, info.leader_config1, info.leader_config2},
				   event);
	if (!logical)
		return logical.code();
	*idx = logical.value();
	*state = ARMATURE_CSPMU_HES_STOPPED | ARMATURE_CSPMU_HES_UPTODATE;
	if (flags & ARMATURE_CSPMU_EF_START)
		armature_cspmu_start(core, *idx, state);
	armature_cspmu_event_update_userpage(event);
	return 0;
}

void armature_cspmu_start(armature_cspmu_core *core, int idx, int *state)
{
	engine::start(core->pmu, idx);
	*state = 0;
}

void armature_cspmu_stop(armature_cspmu_core *core, perf_event *event, int idx, int *state)
{
	if (*state & ARMATURE_CSPMU_HES_STOPPED)
		return;
	count(core->pmu, event, engine::stop(core->pmu, idx));
	*state |= ARMATURE_CSPMU_HES_STOPPED | ARMATURE_CSPMU_HES_UPTODATE;
}

void armature_cspmu_del(armature_cspmu_core *core, perf_event *event, int *idx, int *state)
{
	armature_cspmu_stop(core, event, *idx, state);
	engine::remove(core->pmu, *idx);
	*idx = -1;
	armature_cspmu_event_update_userpage(event);
}

void armature_cspmu_read(armature_cspmu_core *core, perf_event *event, int idx)
{
	count(core->pmu, event, engine::update(core->pmu, idx));
}

void armature_cspmu_enable(armature_cspmu_core *core)
{
	engine::enable(core->pmu);
}

void armature_cspmu_disable(armature_cspmu_core *core)
{
	engine::disable(core->pmu);
}

bool armature_cspmu_handle_irq(armature_cspmu_core *core)
{
	Pmu &pmu = core->pmu;
	return engine::handle_overflow(pmu, [&](void *event, u64 delta) { count(pmu, event, delta); });
}

void armature_cspmu_cpu_online(armature_cspmu_core *core, unsigned int cpu)
{
	armature_cspmu *c = core->pmu.kobj();
	if (core->active_cpu < 0 && armature_cspmu_cpu_associated(c, cpu))
		set_active_cpu(core, cpu);
}

void armature_cspmu_cpu_teardown(armature_cspmu_core *core, unsigned int cpu)
{
	if (core->active_cpu != static_cast<int>(cpu))
		return;
	set_active_cpu(core, -1);
	armature_cspmu *c = core->pmu.kobj();
	int target = armature_cspmu_other_online_associated_cpu(c, cpu);
	if (target < 0)
		return;
	armature_cspmu_migrate(c, cpu, target);
	set_active_cpu(core, target);
}

} // extern "C"
