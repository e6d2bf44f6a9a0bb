// SPDX-License-Identifier: GPL-2.0
// gunyah_qcom: registers Qualcomm's platform ops (qcom.hpp) with
// gunyah_rsc_mgr under Qualcomm's platform UUID, and keeps the slot of the
// secure-world interface they call. Binding the ops takes that interface,
// with a reference on its module, for as long as the RM stays bound; when
// there is none the RM stays deferred and binds once one registers.
#include <kcpp/alloc.hpp>
#include <kcpp/log.hpp>
#include <kcpp/static.hpp>

#include "platform.hpp"
#include "qcom.hpp"
#include "qcom_module.h"
#include "qcom_scm.hpp"

using namespace armature::gunyah;
using qcom::ScmRegistry;
using qcom::ScmSlot;

namespace {

// The module alias of the real secure-world interface (gunyah_qcom_scm).
constexpr const char scm_module[] = "gunyah-qcom-scm";

kcpp::Static<ScmRegistry> scms;

struct Binding {
	ScmRegistry::Handle scm;
};

int bind(void **state, const char **reason)
{
	auto scm = scms->get(ScmSlot{}, scm_module);
	if (!scm) {
		*reason = "Qualcomm platform ops: no secure-world interface (gunyah_qcom_scm "
			  "not loaded, or the SCM firmware is not available)";
		return -KCPP_EPROBE_DEFER;
	}
	auto binding = kcpp::make<Binding>(kcpp::gfp::kernel, std::move(scm.value()));
	if (!binding)
		return -ENOMEM;
	*state = binding.release();
	return 0;
}

void unbind(void *state)
{
	kcpp::Box<Binding> binding(static_cast<Binding *>(state));
}

void report(const char *what, const gunyah_rm_mem_parcel &parcel, const qcom::Outcome &out)
{
	if (!out.error)
		return;
	KCPP_ERR("gunyah_qcom: %s of parcel (label %u), entry %u of %u: secure world refused (%d)\n",
		 what, parcel.label, out.entry, parcel.n_mem_entries, out.error);
	if (out.stranded)
		KCPP_ERR("gunyah_qcom: %u memory entries of parcel (label %u) could not be given "
			 "back to HLOS\n", out.stranded, parcel.label);
}

int pre_mem_share(void *state, gunyah_rm_mem_parcel *parcel)
{
	qcom::Outcome out = qcom::pre_mem_share(*static_cast<Binding *>(state)->scm, *parcel);
	report("assignment before share", *parcel, out);
	return out.error;
}

int post_mem_reclaim(void *state, gunyah_rm_mem_parcel *parcel)
{
	qcom::Outcome out = qcom::post_mem_reclaim(*static_cast<Binding *>(state)->scm, *parcel);
	report("return after reclaim", *parcel, out);
	return out.error;
}

constexpr gunyah_platform_ops ops = {
	.bind = bind,
	.unbind = unbind,
	.pre_mem_share = pre_mem_share,
	.post_mem_reclaim = post_mem_reclaim,
	.pre_demand_page = nullptr,
	.release_demand_page = nullptr,
};

constinit gunyah_platform entry{qcom_platform_uuid, &ops, &__this_module};

} // namespace

extern "C" {

int gunyah_qcom_init()
{
	scms.construct(KCPP_LOCK_CLASS("gunyah_qcom_scm"));
	int ret = gunyah_platform_register(&entry);
	if (ret)
		scms.destroy();
	return ret;
}

void gunyah_qcom_exit()
{
	gunyah_platform_unregister(&entry);
	scms.destroy();
}

int gunyah_qcom_scm_register(gunyah_qcom_scm *scm)
{
	int ret = scms->add(*scm).code();
	if (!ret)
		gunyah_rm_retry_bind();
	return ret;
}

void gunyah_qcom_scm_unregister(gunyah_qcom_scm *scm)
{
	scms->remove(*scm);
}

} // extern "C"
