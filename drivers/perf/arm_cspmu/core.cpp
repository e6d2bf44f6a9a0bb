// SPDX-License-Identifier: GPL-2.0
// arm_cspmu_module: probes CoreSight PMUs, picks the vendor backend by
// PMIIDR (requesting its module), and runs the PMU for perf, on kcpp's
// device, sysfs and perf adapters.
#include "backend.hpp"
#include "core.h"
#include "engine.hpp"
#include <kcpp/alloc.hpp>
#include <kcpp/device.hpp>
#include <kcpp/perf.hpp>
#include <kcpp/static.hpp>
#include <kcpp/sysfs.hpp>
#include <type_traits>

using namespace armature::cspmu;
using kcpp::perf::Event;

namespace {

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
// The hotplug state of every PMU's instance.
constinit int cpuhp_state;

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
	const apmt::Node *node = pmu.firmware().apmt;
	char hid[sizeof(node->inst_primary) + 1] = {};
	// arm_cspmu_[<type>_[<HID>_]]<number>
	const char *parts[5] = {"arm_cspmu_"};
	u64 number;
	if (!node) {
		number = __atomic_fetch_add(&next_index[0], 1, __ATOMIC_RELAXED);
	} else {
		parts[1] = apmt::type_names[node->type];
		parts[2] = "_";
		if (node->type == apmt::acpi_device) {
			__builtin_memcpy(hid, &node->inst_primary, sizeof(node->inst_primary));
			parts[3] = hid;
			parts[4] = "_";
			number = node->inst_secondary;
		} else {
			number = __atomic_fetch_add(&next_index[node->type], 1, __ATOMIC_RELAXED);
		}
	}
	for (const char *part : parts)
		if (part)
			pmu.name().append(part);
	pmu.name().append_uint(number);
}

// The ACPI device an APMT node of type "ACPI device" names by _HID and
// _UID, held until unbind: its _DSD has the PMU's "instance_id", its
// resources a backend's registers.
acpi_device *apmt_acpi_device(kcpp_device *dev, const apmt::Node &node)
{
	char hid[sizeof(node.inst_primary) + 1] = {};
	NameBuf<11> uid;
	__builtin_memcpy(hid, &node.inst_primary, sizeof(node.inst_primary));
	uid.append_uint(node.inst_secondary);
	return kcpp_acpi_device_get(dev, hid, uid.c_str());
}

// What firmware says: the APMT node in platform data, or the devicetree.
Firmware read_firmware(kcpp_device *dev)
{
	Firmware fw;
	void *const *platdata = static_cast<void *const *>(kcpp_device_platdata(dev));
	fw.has_instance_id = !kcpp_device_property_read_u32(dev, "instance_id", &fw.instance_id);
	if (!platdata) {
		u32 width = 0;
		kcpp_device_property_read_u32(dev, "reg-io-width", &width);
		fw.atomic_64bit = width == 8;
		return fw;
	}
	const auto &node = *static_cast<const apmt::Node *>(*platdata);
	fw.apmt = &node;
	fw.atomic_64bit = apmt::Flags::FromValue(node.flags).atomic_64bit();
	if (node.type == apmt::acpi_device)
		fw.acpi_dev = apmt_acpi_device(dev, node);
	if (fw.acpi_dev)
		fw.has_instance_id =
			!kcpp_acpi_device_read_u32(fw.acpi_dev, "instance_id", &fw.instance_id);
	return fw;
}

// PMIIDR, from the peripheral ID registers when it reads zero, and
// firmware's override last.
u32 read_pmiidr(kcpp_device *dev, Pmu::Io io, const Firmware &fw)
{
	u32 pmiidr = PMIIDR::Get().ReadFrom(io).reg_value();
	if (!pmiidr)
		pmiidr = pmiidr_from_pmpidr(PMPIDR0::Get().ReadFrom(io).reg_value(),
					    PMPIDR1::Get().ReadFrom(io).reg_value(),
					    PMPIDR2::Get().ReadFrom(io).reg_value(),
					    PMPIDR3::Get().ReadFrom(io).reg_value(),
					    PMPIDR4::Get().ReadFrom(io).reg_value());
	if (fw.apmt && fw.apmt->impl_id && fw.apmt->impl_id != pmiidr) {
		KCPP_DEV_INFO(dev, "firmware's implementation ID 0x%x replaces PMIIDR 0x%x\n",
			      fw.apmt->impl_id, pmiidr);
		pmiidr = fw.apmt->impl_id;
	}
	return pmiidr;
}

kcpp::Result<volatile void *> map_frame(kcpp_device *dev, unsigned index, bool required)
{
	auto frame = kcpp::map_frame(dev, index);
	if (frame.code() == -ENOENT && !required)
		return static_cast<volatile void *>(nullptr);
	if (frame.code() == -ENOENT) {
		KCPP_DEV_ERR(dev, "no register frame %u\n", index);
		return kcpp::Error(-ENODEV);
	}
	if (!frame) {
		KCPP_DEV_ERR(dev, "cannot map register frame %u: %d\n", index, frame.code());
		return frame.error();
	}
	if (frame.value().size < page_size) {
		KCPP_DEV_ERR(dev, "register frame %u is %llu bytes; the architecture needs %u\n",
			     index, static_cast<unsigned long long>(frame.value().size), page_size);
		return kcpp::Error(-EINVAL);
	}
	return frame.value().base;
}

// The overflow interrupt's number, 0 when the PMU has none.
kcpp::Result<int> overflow_irq(kcpp_device *dev)
{
	int irq = kcpp_device_irq_optional(dev, 0);
	if (irq == -ENXIO)
		return 0;
	if (irq < 0)
		return kcpp::Error(kcpp_dev_err_probe(dev->dev, irq, "overflow interrupt\n"));
	return irq;
}

// Whether a CPU belongs to the ACPI processor container of this UID.
bool cpu_in_acpi_container(unsigned cpu, u32 container_uid)
{
	for (acpi_device *a = kcpp_acpi_cpu_device(cpu); a; a = kcpp_acpi_device_parent(a))
		if (kcpp_acpi_device_is(a, "ACPI0010", container_uid))
			return true;
	return false;
}

// A PMU and the backend it uses (a reference on the backend's module for
// as long as the PMU exists). It lives as long as the device's binding;
// what it registers is undone by the device's actions, in reverse order.
class Instance {
public:
	static constexpr int task_ctx_nr = KCPP_PERF_INVALID_CONTEXT;

	Instance(kcpp_device *dev, volatile void *page0, volatile void *page1, Geometry geo,
		 u32 pmiidr, const Firmware &fw, int node)
		: pmu(dev, page0, page1, geo, pmiidr, fw, node) {}
	~Instance()
	{
		if (initialised && backend->release)
			backend->release(pmu);
		kcpp_kfree(pmu.slots_);
	}
	Instance(const Instance &) = delete;
	Instance &operator=(const Instance &) = delete;

	static int probe(kcpp_device *dev);

	// perf
	int event_init(Event event);
	int add(Event event, int flags);
	void del(Event event, int flags);
	void start(Event event, int flags);
	void stop(Event event, int flags);
	void read(Event event);
	void pmu_enable() { engine::enable(pmu); }
	void pmu_disable() { engine::disable(pmu); }
	bool handle_irq();
	// CPU hotplug
	void cpu_online(unsigned cpu);
	void cpu_offline(unsigned cpu);

private:
	kcpp::Result<int> associate_cpus();
	kcpp::Result<void> choose_backend();
	kcpp::Result<const attribute_group **> make_attrs();
	kcpp::Result<void> alloc_slots();
	kcpp::Result<void> enable_overflow_irq(int irq);
	kcpp::Result<void> register_pmu();
	int validate_group(Event event);
	void count(Event event, kcpp::Result<u64> delta);
	void set_active_cpu(int cpu);
	kcpp_device *dev() const { return pmu.dev(); }

	Pmu pmu;
	BackendRegistry::Handle backend;
	bool initialised = false;
	int irq = 0;
	// The CPU that handles the PMU, -1 while none: changed by CPU
	// hotplug, read by event_init (as upstream reads its cpumask).
	int active_cpu = -1;
	kcpp::CpuMask associated;
	kcpp::CpuMask active;
	kcpp_pmu *perf = nullptr;
};

// The CPUs that may handle the PMU: devicetree's "cpus" (all of them when
// absent), or the processor or processor container of the APMT node. The
// lowest of them.
kcpp::Result<int> Instance::associate_cpus()
{
	const apmt::Node *node = pmu.firmware().apmt;
	int first = -1;
	auto associate = [&](int cpu) {
		associated.set(cpu);
		if (first < 0 || cpu < first)
			first = cpu;
	};
	if (node) {
		bool container = apmt::Flags::FromValue(node->flags).container_affinity();
		kcpp::for_each_possible_cpu([&](unsigned cpu) {
			u32 uid;
			if (container ? cpu_in_acpi_container(cpu, node->proc_affinity)
				      : kcpp_acpi_cpu_uid(cpu, &uid) && uid == node->proc_affinity)
				associate(cpu);
		});
	} else if (kcpp_device_property_present(dev(), "cpus")) {
		for (unsigned i = 0;; i++) {
			int cpu;
			int ret = kcpp_device_of_cpu(dev(), "cpus", i, &cpu);
			if (ret == -ENOENT)
				break;
			if (ret) {
				KCPP_DEV_ERR(dev(), "cpus[%u]: %d\n", i, ret);
				return kcpp::Error(ret);
			}
			if (cpu >= 0)
				associate(cpu);
		}
	} else {
		kcpp::for_each_possible_cpu(associate);
	}
	if (first < 0) {
		if (node)
			KCPP_DEV_ERR(dev(), "no CPU has the APMT node's %s UID %u\n",
				     apmt::Flags::FromValue(node->flags).container_affinity()
					     ? "processor container" : "processor",
				     node->proc_affinity);
		else
			KCPP_DEV_ERR(dev(), "none of the \"cpus\" is a possible CPU\n");
		return kcpp::Error(-ENODEV);
	}
	return first;
}

// The backend named for the PMU's implementer, its module requested if need
// be, and initialised for this PMU. Without one, the baseline.
kcpp::Result<void> Instance::choose_backend()
{
	const BackendModule *m = backend_module_for(pmu.pmiidr());
	if (m) {
		auto found = backends->get(m->value, m->module);
		if (found) {
			backend = std::move(found.value());
			int ret = backend->init(pmu);
			if (ret) {
				KCPP_DEV_ERR(dev(), "backend %s refused PMIIDR 0x%x: %d\n", m->module,
					     pmu.pmiidr(), ret);
				return kcpp::Error(ret);
			}
			initialised = true;
			return {};
		}
		KCPP_DEV_INFO(dev(), "PMIIDR 0x%x: backend %s not available (%d); "
			      "architectural events only\n", pmu.pmiidr(), m->module, found.code());
	} else {
		KCPP_DEV_INFO(dev(), "PMIIDR 0x%x: no backend for implementer 0x%x; "
			      "architectural events only\n", pmu.pmiidr(),
			      PMIIDR::FromValue(pmu.pmiidr()).implementer());
	}
	pmu.set_ops(&baseline_ops);
	baseline_name(pmu);
	return {};
}

// events/, format/, identifier, and cpumask and associated_cpus: upstream's
// files. Only the events this PMU shows are listed: what shows depends on
// nothing that changes after probe.
kcpp::Result<const attribute_group **> Instance::make_attrs()
{
	const Ops &ops = pmu.ops();
	for (const FormatAttr &f : ops.formats) {
		if (!pmu.masks_.add_spec(f.spec)) {
			KCPP_DEV_ERR(dev(), "format %s: \"%s\" is not configN:lo-hi\n", f.name, f.spec);
			return kcpp::Error(-EINVAL);
		}
	}
	auto files = KCPP_TRY(kcpp::SysfsGroups::create(dev(), 3,
							ops.events.size() + ops.formats.size() + 3));
	files.group("events");
	for (const EventAttr &e : ops.events)
		if (engine::event_visible(pmu, e))
			files.event(e.name, e.id);
	files.group("format");
	for (const FormatAttr &f : ops.formats)
		files.string(f.name, f.spec);
	files.group(nullptr);
	files.string("identifier", pmu.identifier().c_str());
	files.cpumask("cpumask", active);
	files.cpumask("associated_cpus", associated);
	return files.groups();
}

// Zeroed memory is an array of default Slots: an aggregate of integers and
// a pointer, all zero by default, is an implicit-lifetime type that the
// allocation brings into being (no constructor to run, none to clear the
// memory a second time).
static_assert(std::is_aggregate_v<Slot> && std::is_trivially_copyable_v<Slot>);
kcpp::Result<void> Instance::alloc_slots()
{
	u32 n = pmu.geometry().logical_counters();
	void *mem = kcpp_kmalloc(n * sizeof(Slot), kcpp::gfp::kernel | kcpp::gfp::zero);
	if (!mem)
		return kcpp::Error(-ENOMEM);
	pmu.slots_ = static_cast<Slot *>(mem);
	return {};
}

kcpp::Result<void> Instance::enable_overflow_irq(int number)
{
	if (!number)
		return {};
	int ret = kcpp::request_irq(dev(), number, KCPP_IRQF_NOBALANCING | KCPP_IRQF_NO_THREAD,
				    this);
	if (ret)
		return kcpp::Error(kcpp_dev_err_probe(dev()->dev, ret,
						      "cannot request overflow interrupt %d\n",
						      number));
	irq = number;
	return {};
}

// perf, then the hotplug instance that picks the CPU handling the PMU from
// those online; undone in reverse order at unbind.
kcpp::Result<void> Instance::register_pmu()
{
	const attribute_group **groups = KCPP_TRY(make_attrs());
	kcpp_cpuhp_instance *hotplug = kcpp_cpuhp_instance_alloc(dev(), &kcpp::cpuhp_ops<Instance>, this);
	perf = kcpp_pmu_alloc(dev(), &kcpp::perf::pmu_type<Instance>, this);
	if (!hotplug || !perf)
		return kcpp::Error(-ENOMEM);
	unsigned caps = KCPP_PERF_PMU_CAP_NO_EXCLUDE | (irq ? 0 : KCPP_PERF_PMU_CAP_NO_INTERRUPT);
	int ret = kcpp_pmu_register(perf, kcpp::this_module(), pmu.name().c_str(), caps, groups);
	if (ret) {
		KCPP_DEV_ERR(dev(), "cannot register PMU %s: %d\n", pmu.name().c_str(), ret);
		return kcpp::Error(ret);
	}
	KCPP_TRY(kcpp::to_result(kcpp_device_add_action(
		dev(), [](void *p) { kcpp_pmu_unregister(static_cast<kcpp_pmu *>(p)); }, perf)));
	KCPP_TRY(kcpp::to_result(kcpp_cpuhp_add(cpuhp_state, hotplug)));
	return kcpp::to_result(kcpp_device_add_action(
		dev(), [](void *h) {
			kcpp_cpuhp_del_nocalls(cpuhp_state, static_cast<kcpp_cpuhp_instance *>(h));
		}, hotplug));
}

int Instance::probe(kcpp_device *dev)
{
	Firmware fw = read_firmware(dev);
	auto result = [&]() -> kcpp::Result<Instance *> {
		volatile void *page0 = KCPP_TRY(map_frame(dev, 0, true));
		volatile void *page1 = KCPP_TRY(map_frame(dev, 1, false));
		fw.page1_present = page1 != nullptr;
		if (fw.apmt && apmt::Flags::FromValue(fw.apmt->flags).dual_page() != fw.page1_present) {
			KCPP_DEV_ERR(dev, "APMT node %s a dual-page PMU but there is %s page-1 frame\n",
				     fw.page1_present ? "does not describe" : "describes",
				     fw.page1_present ? "a" : "no");
			return kcpp::Error(-EINVAL);
		}
		if (fw.apmt && fw.apmt->type >= apmt::node_types) {
			KCPP_DEV_ERR(dev, "APMT node type %u is not one the specification defines\n",
				     fw.apmt->type);
			return kcpp::Error(-EINVAL);
		}
		Pmu::Io io0(page0);
		u32 pmcfgr = PMCFGR::Get().ReadFrom(io0).reg_value();
		const char *why = nullptr;
		auto geo = Geometry::from_pmcfgr(pmcfgr, &why);
		if (!geo) {
			KCPP_DEV_ERR(dev, "PMCFGR 0x%x: %s\n", pmcfgr, why);
			return geo.error();
		}
		u32 pmiidr = read_pmiidr(dev, io0, fw);
		int irq = KCPP_TRY(overflow_irq(dev));

		Instance *inst = kcpp::make_bound<Instance>(dev, dev, page0, page1 ? page1 : page0,
							    geo.value(), pmiidr, fw, 0);
		if (!inst)
			return kcpp::Error(-ENOMEM);
		int first_cpu = KCPP_TRY(inst->associate_cpus());
		inst->pmu.set_numa_node(kcpp_cpu_to_node(first_cpu));
		KCPP_TRY(inst->alloc_slots());
		KCPP_TRY(inst->choose_backend());
		if (inst->pmu.identifier().empty())
			inst->pmu.identifier().append_uint(pmiidr, 16);
		engine::reset_all(inst->pmu);
		KCPP_TRY(inst->enable_overflow_irq(irq));
		KCPP_TRY(inst->register_pmu());
		return inst;
	}();
	if (!result)
		return result.code();
	const Pmu &pmu = result.value()->pmu;
	const Geometry &geo = pmu.geometry();
	KCPP_DEV_INFO(dev, "%s: PMIIDR 0x%x, %u counters of %u bits%s%s\n", pmu.name().c_str(),
		      pmu.pmiidr(), geo.logical_counters(), geo.width(),
		      geo.has_cycle_counter() ? ", cycle counter" : "",
		      result.value()->backend ? "" : ", architectural baseline");
	return 0;
}

// The group an event joins, member by member (those of this PMU; software
// events go anywhere, another hardware PMU's cannot be in the group). A new
// leader has no siblings yet and is counted once, last.
int Instance::validate_group(Event event)
{
	Event leader = event.leader();
	auto config_of = [](Event e) {
		return EventConfig{e.attr().config, e.attr().config1, e.attr().config2};
	};
	const EventConfig leader_config = config_of(leader);
	engine::GroupCheck group(pmu);

	for (Event m = leader; m.raw(); m = m.next_sibling(leader)) {
		if (m == event || m.software())
			continue;
		if (!m.on(perf))
			return -EINVAL;
		int ret = group.add({config_of(m), leader_config});
		if (ret)
			return ret;
	}
	return group.add({config_of(event), leader_config});
}

// The count an update found; a counter that never read stable counts
// nothing and says so. Out of line: read, stop and the interrupt share it.
[[gnu::noinline]] void Instance::count(Event event, kcpp::Result<u64> delta)
{
	if (!delta)
		KCPP_DEV_ERR_RATELIMITED(dev(), "64-bit counter never read stable; "
					 "count not updated\n");
	event.add_count(delta.value_or(0));
}

int Instance::event_init(Event event)
{
	if (!event.names(perf))
		return -ENOENT;
	// Uncore counters: no sampling, no per-task counting.
	if (event.sampling()) {
		KCPP_DEV_DBG(dev(), "sampling is not supported\n");
		return -EOPNOTSUPP;
	}
	if (event.cpu() < 0 || event.per_task()) {
		KCPP_DEV_DBG(dev(), "per-task counting is not supported\n");
		return -EINVAL;
	}
	if (!associated.test(event.cpu())) {
		KCPP_DEV_DBG(dev(), "CPU %d is not associated with the PMU\n", event.cpu());
		return -EINVAL;
	}
	int cpu = __atomic_load_n(&active_cpu, __ATOMIC_RELAXED);
	if (cpu < 0)
		return -EINVAL;
	const perf_event_attr &attr = event.attr();
	EventConfig config{attr.config, attr.config1, attr.config2};
	if (!pmu.masks_.covers(config)) {
		KCPP_DEV_DBG(dev(), "config 0x%llx,0x%llx,0x%llx sets bits no format names\n",
			     static_cast<unsigned long long>(config.config),
			     static_cast<unsigned long long>(config.config1),
			     static_cast<unsigned long long>(config.config2));
		return -EINVAL;
	}
	if (engine::is_cycle_event(pmu, config) && !pmu.geometry().has_cycle_counter()) {
		KCPP_DEV_DBG(dev(), "the PMU has no cycle counter\n");
		return -EINVAL;
	}
	int ret = validate_group(event);
	if (ret) {
		KCPP_DEV_DBG(dev(), "the event's group cannot count at once (%d)\n", ret);
		return -EINVAL;
	}
	event.cpu() = cpu;
	event.idx() = -1;
	return 0;
}

int Instance::add(Event event, int flags)
{
	const perf_event_attr &attr = event.attr(), &leader = event.leader().attr();
	auto logical = engine::add(pmu, {attr.config, attr.config1, attr.config2},
				   {leader.config, leader.config1, leader.config2}, event.raw());
	if (!logical)
		return logical.code();
	event.idx() = logical.value();
	event.state() = kcpp::perf::hes_stopped | kcpp::perf::hes_uptodate;
	if (flags & kcpp::perf::ef_start)
		start(event, flags);
	event.update_userpage();
	return 0;
}

void Instance::start(Event event, int)
{
	engine::start(pmu, event.idx());
	event.state() = 0;
}

void Instance::stop(Event event, int)
{
	if (event.state() & kcpp::perf::hes_stopped)
		return;
	count(event, engine::stop(pmu, event.idx()));
	event.state() |= kcpp::perf::hes_stopped | kcpp::perf::hes_uptodate;
}

void Instance::del(Event event, int flags)
{
	stop(event, flags);
	engine::remove(pmu, event.idx());
	event.idx() = -1;
	event.update_userpage();
}

void Instance::read(Event event)
{
	count(event, engine::update(pmu, event.idx()));
}

bool Instance::handle_irq()
{
	return engine::handle_overflow(pmu, [&](void *event, u64 delta) {
		count(Event(static_cast<perf_event *>(event)), delta);
	});
}

// Hotplug callbacks of one PMU are serialised; event_init reads the CPU
// concurrently.
void Instance::set_active_cpu(int cpu)
{
	__atomic_store_n(&active_cpu, cpu, __ATOMIC_RELAXED);
	active.clear();
	if (cpu < 0)
		return;
	active.set(cpu);
	if (!irq)
		return;
	int ret = kcpp_irq_set_affinity(irq, active.raw());
	if (ret)
		KCPP_DEV_ERR(dev(), "cannot move the overflow interrupt to CPU %d: %d\n", cpu, ret);
}

void Instance::cpu_online(unsigned cpu)
{
	if (active_cpu < 0 && associated.test(cpu))
		set_active_cpu(cpu);
}

void Instance::cpu_offline(unsigned cpu)
{
	if (active_cpu != static_cast<int>(cpu))
		return;
	set_active_cpu(-1);
	int target = associated.any_online_but(cpu);
	if (target < 0)
		return;
	kcpp_pmu_migrate(perf, cpu, target);
	set_active_cpu(target);
}

// The driver registers from a work item, not from module_init: probing
// requests the vendor backend's module, and module_init must not wait for
// another module to load.
struct DriverRegistration {
	kcpp::Work work{[](work_struct *) {
		int ret = kcpp_platform_driver_register(&armature_cspmu_driver, kcpp::this_module());
		if (ret)
			KCPP_ERR("arm_cspmu: cannot register the platform driver: %d\n", ret);
		__atomic_store_n(&registration->registered, !ret, __ATOMIC_RELEASE);
	}, KCPP_LOCK_CLASS("armature_cspmu_register")};
	bool registered = false;

	static kcpp::Static<DriverRegistration> registration;
};
constinit kcpp::Static<DriverRegistration> DriverRegistration::registration;

} // namespace

extern "C" {

const kcpp_driver_ops armature_cspmu_driver_ops = kcpp::driver_ops<Instance>;

int armature_cspmu_init()
{
	int state = kcpp_cpuhp_setup("perf/arm/cspmu:online");
	if (state < 0)
		return state;
	cpuhp_state = state;
	backends.construct(KCPP_LOCK_CLASS("armature_cspmu_backends"));
	DriverRegistration::registration.construct().work.queue_unbound();
	return 0;
}

void armature_cspmu_exit()
{
	DriverRegistration &r = *DriverRegistration::registration;
	r.work.flush();
	if (r.registered)
		kcpp_platform_driver_unregister(&armature_cspmu_driver);
	DriverRegistration::registration.destroy();
	backends.destroy();
	kcpp_cpuhp_remove(cpuhp_state);
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

} // extern "C"
