// SPDX-License-Identifier: GPL-2.0
// gunyah_sim_scm (tests only): a simulated Qualcomm secure world for
// gunyah_qcom (scm_model.hpp), registered in gunyah_qcom's secure-world
// slot in place of gunyah_qcom_scm. One mutex guards the records: the
// calls come from gunyah_qcom's platform ops, in process context.
#include <kcpp/alloc.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/log.hpp>
#include <kcpp/module.hpp>
#include <kcpp/static.hpp>

#include "qcom_scm.hpp"
#include "scm.h"
#include "scm_model.hpp"

using namespace armature::gunyah;

namespace {

struct KernelEnv {
	static void *alloc(kcpp::usize n) { return kcpp_kmalloc(n, kcpp::gfp::kernel); }
	static void free(void *p) { kcpp_kfree(p); }
};
using Model = sim::ScmModel<KernelEnv>;

struct State {
	kcpp::Mutex lock{KCPP_LOCK_CLASS("gunyah_sim_scm")};
	Model model;
};

constinit kcpp::Static<State> state;
constinit bool started = false;
constinit unsigned boot_fail_nth = 0;  // the parameter given to insmod

int assign_mem(__u64 phys, __u64 size, __u64 *srcvm, const gunyah_qcom_vmperm *newvm,
	       unsigned dest_cnt)
{
	kcpp::Guard held(state->lock);
	kcpp::u64 src = *srcvm;
	int ret = state->model.assign(phys, size, &src, newvm, dest_cnt);
	*srcvm = src;
	return ret;
}

constexpr gunyah_qcom_scm_ops ops = {
	.assign_mem = assign_mem,
};

constinit gunyah_qcom_scm entry{qcom::ScmSlot{}, &ops, &__this_module};

} // namespace

extern "C" {

int gunyah_sim_scm_start()
{
	state.construct();
	state->model.fail_nth = boot_fail_nth;
	started = true;
	int ret = gunyah_qcom_scm_register(&entry);
	if (ret) {
		KCPP_ERR("gunyah_sim_scm: cannot register the secure world: %d\n", ret);
		started = false;
		state.destroy();
		return ret;
	}
	KCPP_INFO("gunyah_sim_scm: a simulated Qualcomm secure world (tests only)\n");
	return 0;
}

void gunyah_sim_scm_stop()
{
	gunyah_qcom_scm_unregister(&entry);
	started = false;
	state.destroy();
}

void gunyah_sim_scm_set_fail_nth(unsigned nth)
{
	if (!started) {
		boot_fail_nth = nth;
		return;
	}
	kcpp::Guard held(state->lock);
	state->model.fail_nth = nth;
}

unsigned gunyah_sim_scm_get_fail_nth()
{
	if (!started)
		return boot_fail_nth;
	kcpp::Guard held(state->lock);
	return state->model.fail_nth;
}

void gunyah_sim_scm_get_stats(gunyah_sim_scm_stats *out)
{
	*out = {};
	if (!started)
		return;
	kcpp::Guard held(state->lock);
	const Model &m = state->model;
	out->calls = m.stats().calls;
	out->refused = m.stats().refused;
	out->injected = m.stats().injected;
	out->pages = m.count();
}

bool gunyah_sim_scm_get_page(unsigned long index, __u64 *phys, __u64 *owners)
{
	if (!started)
		return false;
	kcpp::Guard held(state->lock);
	const Model &m = state->model;
	if (index >= m.count())
		return false;
	*phys = m.at(index).pfn * Model::page;
	*owners = m.at(index).owners;
	return true;
}

} // extern "C"
