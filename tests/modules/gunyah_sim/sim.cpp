// SPDX-License-Identifier: GPL-2.0
// gunyah_sim (tests only): a Gunyah hypervisor answering in the kernel, and
// its resource manager. gunyah_rsc_mgr calls it through the
// gunyah_hypervisor_ops this module registers, exactly as it would make
// hypercalls (hyp_model.hpp); the RM (rm_model.hpp) runs in a work item,
// like a VM of its own: it reads what the client sent, and its replies
// reach the client's receive queue, with the client's interrupts raised on
// the GIC SPIs of the RM's devicetree node (module.c).
//
// Locks: queue_lock (a spinlock, interrupts off) guards the two queues and
// is all a client's call takes, from any context; model_lock (a mutex)
// guards the RM model and is taken by the RM's run, the knobs and debugfs.
#include <kcpp/alloc.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/log.hpp>
#include <kcpp/module.hpp>
#include <kcpp/static.hpp>
#include <new>

#include "hyp_model.hpp"
#include "platform.hpp"
#include "rm_model.hpp"
#include "sim.h"

using namespace armature::gunyah;

namespace {

struct KernelEnv {
	static void *alloc(kcpp::usize n) { return kcpp_kmalloc(n, kcpp::gfp::kernel); }
	static void free(void *p) { kcpp_kfree(p); }
};

struct Platform {
	static kcpp::u8 *map(kcpp::u64 phys, kcpp::usize size)
	{
		return static_cast<kcpp::u8 *>(gunyah_sim_map(phys, size));
	}
};

using Model = sim::RmModel<KernelEnv>;
using Transport = sim::Transport<Platform, sim::Message>;

class Sim {
public:
	explicit Sim(const gunyah_sim_config &config)
		: transport(config.tx_cap, config.rx_cap, config.qcom) {}
	Sim(const Sim &) = delete;
	Sim &operator=(const Sim &) = delete;

	void call(const unsigned long args[8], unsigned long res[4])
	{
		Transport::Effects fx;
		{
			kcpp::IrqSaveGuard held(queue_lock);
			fx = transport.call(args, res);
		}
		if (fx.rm_wake)
			gunyah_sim_wake_rm();
	}

	// The RM's run, under model_lock: sends what it holds while the
	// client's queue has room, then reads requests one by one while it
	// holds no reply.
	void run()
	{
		for (;;) {
			if (held)
				return;
			bool raise_rx = false;
			{
				kcpp::IrqSaveGuard q(queue_lock);
				while (model.has_output() && transport.rm_send(model.front())) {
					model.pop();
					raise_rx = true;
				}
			}
			if (raise_rx)
				gunyah_sim_raise(1);
			if (model.has_output())
				return;  // the one pending reply: the client must drain
			sim::Message m;
			bool got, raise_tx = false;
			{
				kcpp::IrqSaveGuard q(queue_lock);
				got = transport.rm_take(m, raise_tx);
			}
			if (raise_tx)
				gunyah_sim_raise(0);
			if (!got)
				return;
			model.receive(m.data, m.size);
			if (model.has_output() && model.faults.delay_next_ms) {
				held = true;
				gunyah_sim_wake_after(model.faults.delay_next_ms);
				model.faults.delay_next_ms = 0;
			}
		}
	}

	void queues(unsigned &tx, unsigned &rx)
	{
		kcpp::IrqSaveGuard q(queue_lock);
		tx = transport.tx_count();
		rx = transport.rx_count();
	}

	kcpp::SpinLock queue_lock{KCPP_LOCK_CLASS("gunyah_sim_queues")};
	Transport transport;
	Model model;
	bool held = false;  // a delayed reply waits in the outbox
};

constinit kcpp::Static<kcpp::Mutex> model_lock;
constinit Sim *the_sim = nullptr;     // under model_lock
constinit Sim *calls_to = nullptr;    // set while registered
constinit bool stopping = false;
constinit bool lock_ready = false;    // model_lock constructed (in init)
// Knobs written before the module's init ran (insmod parameters).
constinit sim::Faults boot_faults;

void call(const unsigned long args[8], unsigned long res[4])
{
	Sim *s = __atomic_load_n(&calls_to, __ATOMIC_ACQUIRE);
	if (!s) {
		res[0] = sim::smccc::not_supported;
		res[1] = res[2] = res[3] = 0;
		return;
	}
	s->call(args, res);
}

constexpr gunyah_hypervisor_ops hypervisor_ops = {
	.call = call,
};

constinit gunyah_hypervisor hypervisor{HypervisorSlot{}, &hypervisor_ops, &__this_module};

// The knobs that are fields of sim::Faults, in gunyah_sim_knob's order.
constexpr kcpp::u32 sim::Faults::*fault_fields[] = {
	&sim::Faults::drop_next,   &sim::Faults::delay_next_ms, &sim::Faults::error_next,
	&sim::Faults::fail_msg_id, &sim::Faults::fail_nth,      &sim::Faults::fail_error,
	&sim::Faults::malformed_next, &sim::Faults::duplicate_next,
};
static_assert(sizeof(fault_fields) / sizeof(fault_fields[0]) == GUNYAH_SIM_NOTIFY);

int set_fault(sim::Faults &f, gunyah_sim_knob knob, unsigned value)
{
	if (knob >= GUNYAH_SIM_NOTIFY)
		return -EINVAL;
	f.*fault_fields[knob] = value;
	return 0;
}

// The index-th parcel of the running simulator, under model_lock.
const Model::Parcel *nth_parcel(unsigned index)
{
	const Model::Parcel *found = nullptr;
	unsigned i = 0;
	if (the_sim)
		the_sim->model.for_each_parcel([&](const Model::Parcel &p) {
			if (i++ == index)
				found = &p;
		});
	return found;
}

} // namespace

extern "C" {

void gunyah_sim_hypercall(const unsigned long args[8], unsigned long res[4])
{
	call(args, res);
}

int gunyah_sim_start(const gunyah_sim_config *config)
{
	model_lock.construct(KCPP_LOCK_CLASS("gunyah_sim_model"));
	lock_ready = true;
	void *mem = gunyah_sim_vzalloc(sizeof(Sim));
	if (!mem)
		return -ENOMEM;
	Sim *s = new (mem) Sim(*config);
	s->model.faults = boot_faults;
	{
		kcpp::Guard held(*model_lock);
		the_sim = s;
	}
	__atomic_store_n(&calls_to, s, __ATOMIC_RELEASE);
	int ret = config->register_hypervisor ? gunyah_hypervisor_register(&hypervisor) : 0;
	if (ret) {
		KCPP_ERR("gunyah_sim: cannot register the hypervisor: %d\n", ret);
		gunyah_sim_stop();
		return ret;
	}
	KCPP_INFO("gunyah_sim: a simulated %s hypervisor and RM (tests only), RM message queues tx 0x%llx rx 0x%llx%s\n",
		  config->qcom ? "Qualcomm Gunyah" : "Gunyah",
		  (unsigned long long)config->tx_cap, (unsigned long long)config->rx_cap,
		  config->register_hypervisor ? "" : ", not registered");
	return 0;
}

void gunyah_sim_stop()
{
	gunyah_hypervisor_unregister(&hypervisor);
	__atomic_store_n(&calls_to, nullptr, __ATOMIC_RELEASE);
	{
		kcpp::Guard held(*model_lock);
		stopping = true;
	}
	gunyah_sim_cancel_work();
	Sim *s;
	{
		kcpp::Guard held(*model_lock);
		s = the_sim;
		the_sim = nullptr;
	}
	if (s) {
		s->~Sim();
		gunyah_sim_vfree(s);
	}
}

void gunyah_sim_rm_run()
{
	kcpp::Guard held(*model_lock);
	if (the_sim && !stopping)
		the_sim->run();
}

void gunyah_sim_delay_over()
{
	{
		kcpp::Guard held(*model_lock);
		if (!the_sim || stopping)
			return;
		the_sim->held = false;
	}
	gunyah_sim_wake_rm();
}

int gunyah_sim_knob_set(gunyah_sim_knob knob, unsigned value)
{
	if (!lock_ready) {
		// insmod's parameters, before init: nothing runs yet.
		return set_fault(boot_faults, knob, value);
	}
	int ret = 0;
	bool wake = false;
	{
		kcpp::Guard held(*model_lock);
		if (!the_sim)
			return -ENODEV;
		Model &m = the_sim->model;
		switch (knob) {
		case GUNYAH_SIM_NOTIFY:
			ret = m.notify(value) ? 0 : -EBUSY;
			wake = !ret;
			break;
		case GUNYAH_SIM_ACCEPT:
		case GUNYAH_SIM_RELEASE:
			ret = m.set_accepted(value, knob == GUNYAH_SIM_ACCEPT) ? 0 : -ENOENT;
			break;
		default:
			ret = set_fault(m.faults, knob, value);
			break;
		}
	}
	if (wake)
		gunyah_sim_wake_rm();
	return ret;
}

unsigned gunyah_sim_knob_get(gunyah_sim_knob knob)
{
	sim::Faults f = boot_faults;
	if (lock_ready) {
		kcpp::Guard held(*model_lock);
		if (the_sim)
			f = the_sim->model.faults;
	}
	return knob < GUNYAH_SIM_NOTIFY ? f.*fault_fields[knob] : 0;
}

void gunyah_sim_get_stats(gunyah_sim_stats *out)
{
	*out = {};
	kcpp::Guard held(*model_lock);
	if (!the_sim)
		return;
	const Model &m = the_sim->model;
	out->parcels = m.parcel_count();
	out->vmids = m.vmids_allocated();
	out->next_handle = m.next_handle();
	out->lent_bytes = m.lent_bytes();
	out->shared_bytes = m.shared_bytes();
	out->requests = m.stats().requests;
	out->replies = m.stats().replies;
	out->dropped = m.stats().dropped;
	out->ignored = m.stats().ignored;
	out->discarded_partials = m.stats().discarded_partials;
	out->outbox = static_cast<unsigned>(m.output_count());
	out->delayed = the_sim->held;
	the_sim->queues(out->tx_queued, out->rx_queued);
}

bool gunyah_sim_get_parcel(unsigned index, gunyah_sim_parcel_info *out)
{
	*out = {};
	kcpp::Guard held(*model_lock);
	const Model::Parcel *p = nth_parcel(index);
	if (!p)
		return false;
	out->handle = p->handle;
	out->label = p->label;
	out->owner = p->owner;
	out->mem_type = p->mem_type;
	out->lend = p->lend;
	out->open = p->open;
	out->accepted = p->accepted;
	out->entries = p->n_sgl;
	out->bytes = p->bytes();
	out->n_acl = p->n_acl;
	for (unsigned a = 0; a < p->n_acl && a < 8; a++) {
		out->acl_vmid[a] = p->acl[a].vmid;
		out->acl_rights[a] = p->acl[a].rights;
	}
	return true;
}

bool gunyah_sim_get_parcel_entry(unsigned index, __u64 entry, __u64 *ipa, __u64 *size)
{
	kcpp::Guard held(*model_lock);
	const Model::Parcel *p = nth_parcel(index);
	if (!p || entry >= p->n_sgl)
		return false;
	*ipa = p->sgl[entry].ipa;
	*size = p->sgl[entry].size;
	return true;
}

} // extern "C"
