// SPDX-License-Identifier: GPL-2.0
// The Gunyah hypercall layer, typed, over a policy that makes the call.
//
// A policy is an SMCCC-shaped fast call (args[0] the function ID, args[1..7]
// x1..x7; res x0..x3), how a buffer's address is given to the hypervisor
// (physical, as the real one wants), and the conduit the call goes through:
//   - firmware_hypercalls(): the kernel's arm_smccc_1_1_invoke through kcpp.
//     Conduit NONE (no SMCCC 1.1: QEMU's firmware answers 1.0, and a raw hvc
//     would land in its PSCI handler) means "not Gunyah" without any call.
//   - in_kernel_hypercalls(call): a hypervisor answered in the kernel (the
//     simulator's gunyah_hypervisor_ops.call).
// Nothing above Hypercalls knows which one it runs on. The firmware path
// cannot run under QEMU; its decisions are tested with fake call functions.
//
// Identification (Linux series arch/arm64/gunyah, hyp/interfaces/smccc):
//   0x8600FF01 vendor-hyp UID (SMC32): Gunyah's c1d58fcd-a453-5fdb-9265-ce36673d5f14
//   0xC6008000 hyp_identify (SMC64):   api_info, 3 feature flag words
//   0x86003F01 Qualcomm UUID (SMC32):  19bd54bd-0b37-571b-946f-609b54539de6,
//                                      or "unknown function" elsewhere
// A UUID comes back in w0..w3, each register's low 32 bits stored
// little-endian into uuid_t's bytes 4i..4i+3 (what the series does with
// `u32 *up = (u32 *)&uuid.b[0]; up[i] = lower_32_bits(res.ai)`).
#pragma once

#include "uuid.hpp"
#include <kcpp/errno.hpp>
#include <kcpp/memory.h>
#include <kcpp/smccc.h>
#include <kcpp/types.hpp>

namespace armature::gunyah {

using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;

// The SMCCC-shaped call, as gunyah_hypervisor_ops.call.
using CallFn = void (*)(const unsigned long args[8], unsigned long res[4]);

enum class Conduit : u8 { none, smc, hvc, in_kernel };

struct HypervisorPolicy {
	CallFn call;
	__u64 (*to_phys)(const void *buf);
	Conduit conduit;
};

namespace fn {
// SMCCC function IDs: fast (bit 31), SMC64 (bit 30), owner 6 (vendor hyp).
constexpr u32 vendor_hyp(bool smc64, u16 number)
{
	return 0x80000000u | (smc64 ? 0x40000000u : 0) | 6u << 24 | number;
}
inline constexpr u32 uid = vendor_hyp(false, 0xff01);
inline constexpr u32 qcom_uuid = vendor_hyp(false, 0x3f01);
inline constexpr u32 hyp_identify = vendor_hyp(true, 0x8000);
inline constexpr u32 msgq_send = vendor_hyp(true, 0x801b);
inline constexpr u32 msgq_recv = vendor_hyp(true, 0x801c);
static_assert(uid == 0x8600ff01 && qcom_uuid == 0x86003f01 && hyp_identify == 0xc6008000 &&
	      msgq_send == 0xc600801b && msgq_recv == 0xc600801c);
} // namespace fn

// SMCCC's "unknown function" (SMCCC_RET_NOT_SUPPORTED, -1 in w0).
constexpr bool smccc_unknown(unsigned long x0) { return static_cast<u32>(x0) == 0xffffffffu; }

// A UUID returned in x0..x3.
constexpr Uuid uuid_from_smccc(const unsigned long res[4])
{
	Uuid u{};
	for (unsigned i = 0; i < 4; i++)
		for (unsigned j = 0; j < 4; j++)
			u.b[4 * i + j] = static_cast<u8>(res[i] >> (8 * j));
	return u;
}

// The inverse, for simulators and tests: what a hypervisor puts in x0..x3.
constexpr void uuid_to_smccc(const Uuid &u, unsigned long res[4])
{
	for (unsigned i = 0; i < 4; i++) {
		res[i] = 0;
		for (unsigned j = 0; j < 4; j++)
			res[i] |= static_cast<unsigned long>(u.b[4 * i + j]) << (8 * j);
	}
}

// hyp_identify's x0.
struct ApiInfo {
	u64 raw;
	constexpr u16 version() const { return static_cast<u16>(raw & 0x3fff); }
	constexpr bool big_endian() const { return raw >> 14 & 1; }
	constexpr bool is_64bit() const { return raw >> 15 & 1; }
	constexpr u8 variant() const { return static_cast<u8>(raw >> 56); }
};
inline constexpr u16 api_v1 = 1;

// Feature bits of hyp_identify's first flags word (x1).
enum class Feature : unsigned { doorbell = 1, msgqueue = 2, vcpu = 5, memextent = 6 };

struct Identity {
	bool is_gunyah = false;
	// Why this is not Gunyah (for the caller's log); nullptr when it is.
	const char *reason = nullptr;
	Conduit conduit = Conduit::none;
	Uuid uid{};       // the vendor-hyp UID call's answer
	Uuid platform{};  // qcom_platform_uuid on Qualcomm's Gunyah, gunyah_uuid on plain Gunyah
	ApiInfo api{};
	u64 flags[3] = {};

	constexpr bool is_qcom() const { return is_gunyah && platform == qcom_platform_uuid; }
	constexpr bool has(Feature f) const { return flags[0] >> static_cast<unsigned>(f) & 1; }
};

// The hypervisor's error codes (x0 of a hypercall; hyp/interfaces, the
// Linux series' enum gunyah_error).
enum class HypError : long {
	ok = 0,
	unimplemented = -1,
	retry = -2,
	arg_inval = 1,
	arg_size = 2,
	arg_align = 3,
	nomem = 10,
	addr_ovfl = 20,
	addr_unfl = 21,
	addr_inval = 22,
	denied = 30,
	busy = 31,
	idle = 32,
	irq_bound = 40,
	irq_unbound = 41,
	cspace_cap_null = 50,
	cspace_cap_revoked = 51,
	cspace_wrong_obj_type = 52,
	cspace_insuf_rights = 53,
	cspace_full = 54,
	msgqueue_empty = 60,
	msgqueue_full = 61,
};

constexpr int to_errno(HypError e)
{
	switch (e) {
	case HypError::ok:
		return 0;
	case HypError::unimplemented:
		return -EOPNOTSUPP;
	case HypError::retry:
		return -EAGAIN;
	case HypError::nomem:
		return -ENOMEM;
	case HypError::denied:
	case HypError::cspace_cap_null:
	case HypError::cspace_cap_revoked:
	case HypError::cspace_wrong_obj_type:
	case HypError::cspace_insuf_rights:
		return -EACCES;
	case HypError::busy:
	case HypError::idle:
	case HypError::cspace_full:
		return -EBUSY;
	case HypError::irq_bound:
	case HypError::irq_unbound:
	case HypError::msgqueue_empty:
	case HypError::msgqueue_full:
		return -EIO;
	case HypError::arg_inval:
	case HypError::arg_size:
	case HypError::arg_align:
	case HypError::addr_ovfl:
	case HypError::addr_unfl:
	case HypError::addr_inval:
		return -EINVAL;
	}
	return -EINVAL;
}

constexpr const char *name(HypError e)
{
	switch (e) {
	case HypError::ok: return "OK";
	case HypError::unimplemented: return "UNIMPLEMENTED";
	case HypError::retry: return "RETRY";
	case HypError::arg_inval: return "ARG_INVAL";
	case HypError::arg_size: return "ARG_SIZE";
	case HypError::arg_align: return "ARG_ALIGN";
	case HypError::nomem: return "NOMEM";
	case HypError::addr_ovfl: return "ADDR_OVFL";
	case HypError::addr_unfl: return "ADDR_UNFL";
	case HypError::addr_inval: return "ADDR_INVAL";
	case HypError::denied: return "DENIED";
	case HypError::busy: return "BUSY";
	case HypError::idle: return "IDLE";
	case HypError::irq_bound: return "IRQ_BOUND";
	case HypError::irq_unbound: return "IRQ_UNBOUND";
	case HypError::cspace_cap_null: return "CSPACE_CAP_NULL";
	case HypError::cspace_cap_revoked: return "CSPACE_CAP_REVOKED";
	case HypError::cspace_wrong_obj_type: return "CSPACE_WRONG_OBJ_TYPE";
	case HypError::cspace_insuf_rights: return "CSPACE_INSUF_RIGHTS";
	case HypError::cspace_full: return "CSPACE_FULL";
	case HypError::msgqueue_empty: return "MSGQUEUE_EMPTY";
	case HypError::msgqueue_full: return "MSGQUEUE_FULL";
	}
	return "unknown";
}

struct MsgqSend {
	HypError error;
	bool not_full;  // room for another message after this one
};

struct MsgqRecv {
	HypError error;
	usize size;      // of the message received
	bool not_empty;  // another message waits
};

inline constexpr u64 msgq_push = 1;  // msgq_send flags bit 0

class Hypercalls {
public:
	constexpr Hypercalls() = default;
	constexpr explicit Hypercalls(HypervisorPolicy policy) : p_(policy) {}

	constexpr Conduit conduit() const { return p_.conduit; }

	// Who runs us: UID, then hyp_identify (API v1 required), then the
	// Qualcomm UUID query. No call at all through conduit NONE.
	Identity identify() const
	{
		Identity id;
		id.conduit = p_.conduit;
		if (p_.conduit == Conduit::none || !p_.call) {
			id.reason = "no SMCCC 1.1 conduit (firmware without SMCCC 1.1 or PSCI)";
			return id;
		}
		unsigned long res[4];
		call(fn::uid, res);
		if (smccc_unknown(res[0])) {
			id.reason = "the vendor-hypervisor UID call is not implemented";
			return id;
		}
		id.uid = uuid_from_smccc(res);
		if (id.uid != gunyah_uuid) {
			id.reason = "the vendor-hypervisor UID is not Gunyah's";
			return id;
		}
		call(fn::hyp_identify, res);
		id.api = ApiInfo{res[0]};
		for (unsigned i = 0; i < 3; i++)
			id.flags[i] = res[1 + i];
		if (id.api.version() != api_v1) {
			id.reason = "Gunyah's API version is not 1";
			return id;
		}
		call(fn::qcom_uuid, res);
		id.platform = smccc_unknown(res[0]) ? gunyah_uuid : uuid_from_smccc(res);
		id.is_gunyah = true;
		return id;
	}

	// Sends one message (at most 240 bytes); push asks the hypervisor to
	// raise the receiver's interrupt now.
	MsgqSend msgq_send(u64 cap, const void *buf, usize size, bool push) const
	{
		unsigned long res[4];
		call(fn::msgq_send, res, cap, size, p_.to_phys(buf), push ? msgq_push : 0);
		return {static_cast<HypError>(static_cast<long>(res[0])), res[1] != 0};
	}

	MsgqRecv msgq_recv(u64 cap, void *buf, usize max) const
	{
		unsigned long res[4];
		call(fn::msgq_recv, res, cap, p_.to_phys(buf), max);
		return {static_cast<HypError>(static_cast<long>(res[0])), res[1], res[2] != 0};
	}

private:
	void call(u32 id, unsigned long res[4], unsigned long x1 = 0, unsigned long x2 = 0,
		  unsigned long x3 = 0, unsigned long x4 = 0) const
	{
		const unsigned long args[8] = {id, x1, x2, x3, x4, 0, 0, 0};
		res[0] = res[1] = res[2] = res[3] = 0;
		p_.call(args, res);
	}

	HypervisorPolicy p_{nullptr, nullptr, Conduit::none};
};

// The real hypervisor, through the kernel's SMCCC conduit.
inline Hypercalls firmware_hypercalls()
{
	Conduit c = Conduit::none;
	switch (kcpp_smccc_conduit()) {
	case KCPP_SMCCC_CONDUIT_SMC:
		c = Conduit::smc;
		break;
	case KCPP_SMCCC_CONDUIT_HVC:
		c = Conduit::hvc;
		break;
	}
	return Hypercalls({kcpp_smccc_invoke, kcpp_virt_to_phys, c});
}

// A hypervisor answered in the kernel (gunyah_hypervisor_ops.call).
inline Hypercalls in_kernel_hypercalls(CallFn call)
{
	return Hypercalls({call, kcpp_virt_to_phys, Conduit::in_kernel});
}

} // namespace armature::gunyah
