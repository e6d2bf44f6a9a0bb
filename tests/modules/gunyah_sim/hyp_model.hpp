// SPDX-License-Identifier: GPL-2.0
// gunyah_sim (tests only): the simulated hypervisor's part, pure: SMCCC
// function IDs as the real hypervisor decodes them, its identification
// answers, and the message queues between the client VM and the RM.
//
// Function IDs (SMCCC: bit 31 fast call, bit 30 SMC64, bits 29:24 the owning
// service, 6 = vendor-specific hypervisor, bits 15:0 the function):
//   0x8600FF01 vendor-hyp UID (SMC32)       x0..x3 = the UUID, 4 bytes each,
//                                           little-endian (the kernel's
//                                           uuid_t b[0..3] in w0, ...)
//   0x86003F01 Qualcomm UUID (SMC32)        the same layout, or NOT_SUPPORTED
//                                           on plain Gunyah
//   0xC6008000 hyp_identify (SMC64)         x0 api_info, x1..x3 feature flags
//   0xC600801B msgq_send (SMC64)            x1 cap, x2 size, x3 buf, x4 flags
//                                           -> x0 error, x1 not-full
//   0xC600801C msgq_recv (SMC64)            x1 cap, x2 buf, x3 max size
//                                           -> x0 error, x1 size, x2 not-empty
// Anything else returns SMCCC_RET_NOT_SUPPORTED (-1) in x0. These values are
// transcribed here from the sources, not taken from the client's
// hypercall.hpp: a mistake on either side then shows in the tests instead
// of being shared.
//
// Queues (hyp/ipc/msgqueue/src/msgqueue_common.c): depth 8, messages up to
// 240 bytes. A send to a full queue fails with MSGQUEUE_FULL before anything
// else is looked at; not-full is false once the queue holds 8. A receive
// from an empty queue fails with MSGQUEUE_EMPTY; a message longer than the
// buffer fails with ARGUMENT_SIZE and stays queued. The receiver's
// interrupt is asserted on a push or when the queue reaches its not-empty
// threshold (1); the sender's when a receive brings it down to its
// not-full threshold (7).
#pragma once

#include "rpc.hpp"
#include <kcpp/types.hpp>

namespace armature::gunyah::sim {

using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;

namespace smccc {
inline constexpr u32 fast = 1u << 31;
inline constexpr u32 smc64 = 1u << 30;
inline constexpr u32 owner_vendor_hyp = 6;
constexpr u32 function_id(bool is_fast, bool is_64, u32 owner, u32 fn)
{
	return (is_fast ? fast : 0) | (is_64 ? smc64 : 0) | (owner & 0x3f) << 24 | (fn & 0xffff);
}
inline constexpr u32 vendor_hyp_uid = function_id(true, false, owner_vendor_hyp, 0xff01);
inline constexpr u32 qcom_uuid = function_id(true, false, owner_vendor_hyp, 0x3f01);
inline constexpr u32 hyp_identify = function_id(true, true, owner_vendor_hyp, 0x8000);
inline constexpr u32 msgq_send = function_id(true, true, owner_vendor_hyp, 0x801b);
inline constexpr u32 msgq_recv = function_id(true, true, owner_vendor_hyp, 0x801c);
static_assert(vendor_hyp_uid == 0x8600ff01 && qcom_uuid == 0x86003f01 &&
	      hyp_identify == 0xc6008000 && msgq_send == 0xc600801b && msgq_recv == 0xc600801c);
inline constexpr unsigned long not_supported = ~0ul;  // SMCCC_RET_NOT_SUPPORTED, -1
} // namespace smccc

// The hypervisor's error codes (x0 of a hypercall).
enum HypError : unsigned long {
	ok = 0,
	argument_size = 2,
	addr_invalid = 22,
	cspace_cap_null = 50,
	cspace_insufficient_rights = 53,
	msgqueue_empty = 60,
	msgqueue_full = 61,
};

// c1d58fcd-a453-5fdb-9265-ce36673d5f14 and 19bd54bd-0b37-571b-946f-609b54539de6,
// in the byte order of their string form (the kernel's uuid_t).
inline constexpr u8 gunyah_uuid[16] = {0xc1, 0xd5, 0x8f, 0xcd, 0xa4, 0x53, 0x5f, 0xdb,
				       0x92, 0x65, 0xce, 0x36, 0x67, 0x3d, 0x5f, 0x14};
inline constexpr u8 qcom_uuid[16] = {0x19, 0xbd, 0x54, 0xbd, 0x0b, 0x37, 0x57, 0x1b,
				     0x94, 0x6f, 0x60, 0x9b, 0x54, 0x53, 0x9d, 0xe6};

// A UUID in x0..x3 as the SMCCC UID calls return it.
inline void uuid_to_regs(const u8 (&uuid)[16], unsigned long res[4])
{
	for (unsigned r = 0; r < 4; r++) {
		u32 w = 0;
		for (unsigned i = 0; i < 4; i++)
			w |= static_cast<u32>(uuid[4 * r + i]) << (8 * i);
		res[r] = w;
	}
}

// hyp_identify: API version 1, little-endian, 64-bit, variant 0x48 (Gunyah);
// features: doorbell, msgqueue, vcpu, memextent.
inline constexpr u64 api_info = 1 | 1ull << 15 | 0x48ull << 56;
inline constexpr u64 api_flags0 = 1u << 1 | 1u << 2 | 1u << 5 | 1u << 6;

inline constexpr unsigned queue_depth = 8;
inline constexpr unsigned notfull_threshold = queue_depth - 1;
inline constexpr unsigned notempty_threshold = 1;

template <typename Msg>
class Msgq {
public:
	bool full() const { return count_ == queue_depth; }
	bool empty() const { return count_ == 0; }
	unsigned count() const { return count_; }
	Msg &tail() { return slots_[(head_ + count_) % queue_depth]; }
	void commit() { count_++; }
	const Msg &head() const { return slots_[head_]; }
	void drop_head()
	{
		head_ = (head_ + 1) % queue_depth;
		count_--;
	}
	void clear() { head_ = count_ = 0; }

private:
	Msg slots_[queue_depth];
	unsigned head_ = 0, count_ = 0;
};


// The queues between the client VM and the RM, and the client's calls.
// Not locked: the caller serialises call() and the rm_*() functions.
// Platform: static u8 *map(u64 phys, usize size), the hypervisor's view of
// the caller's buffer, nullptr when that is not memory of the VM.
template <typename Platform, typename Msg>
class Transport {
public:
	struct Effects {
		bool rm_wake = false;   // the RM has messages to read, or room to send
	};

	Transport(u64 tx_cap, u64 rx_cap, bool qcom) : tx_cap_(tx_cap), rx_cap_(rx_cap), qcom_(qcom) {}

	Effects call(const unsigned long a[8], unsigned long res[4])
	{
		Effects fx;
		res[0] = res[1] = res[2] = res[3] = 0;
		switch (static_cast<u32>(a[0])) {
		case smccc::vendor_hyp_uid:
			uuid_to_regs(gunyah_uuid, res);
			break;
		case smccc::qcom_uuid:
			if (qcom_)
				uuid_to_regs(qcom_uuid, res);
			else
				res[0] = smccc::not_supported;
			break;
		case smccc::hyp_identify:
			res[0] = api_info;
			res[1] = api_flags0;
			break;
		case smccc::msgq_send:
			send(a[1], a[2], a[3], a[4], res, fx);
			break;
		case smccc::msgq_recv:
			recv(a[1], a[2], a[3], res, fx);
			break;
		default:
			res[0] = smccc::not_supported;
			break;
		}
		return fx;
	}

	// --- The RM's end ---
	// Takes the next message the client sent; raise_tx when the client's
	// not-full interrupt is to be asserted.
	bool rm_take(Msg &out, bool &raise_tx)
	{
		if (tx_.empty())
			return false;
		out = tx_.head();
		tx_.drop_head();
		raise_tx = tx_.count() == notfull_threshold;
		sends_taken_++;
		return true;
	}
	// Sends a message to the client (pushed: the client's interrupt is to
	// be asserted); false when its queue is full.
	bool rm_send(const Msg &m)
	{
		if (rx_.full())
			return false;
		rx_.tail() = m;
		rx_.commit();
		return true;
	}

	unsigned tx_count() const { return tx_.count(); }
	unsigned rx_count() const { return rx_.count(); }
	u64 tx_cap() const { return tx_cap_; }
	u64 rx_cap() const { return rx_cap_; }

private:
	unsigned long cap_error(u64 cap) const
	{
		return cap == tx_cap_ || cap == rx_cap_ ? cspace_insufficient_rights : cspace_cap_null;
	}

	void send(u64 cap, u64 size, u64 buf, u64 flags, unsigned long res[4], Effects &fx)
	{
		(void)flags;  // push: the RM reads every message anyway
		if (cap != tx_cap_) {
			res[0] = cap_error(cap);
			return;
		}
		if (tx_.full()) {
			res[0] = msgqueue_full;
			return;
		}
		if (size > rpc::message_size) {
			res[0] = argument_size;
			return;
		}
		const u8 *src = size ? Platform::map(buf, size) : nullptr;
		if (size && !src) {
			res[0] = addr_invalid;
			return;
		}
		Msg &m = tx_.tail();
		for (usize i = 0; i < size; i++)
			m.data[i] = src[i];
		m.size = static_cast<decltype(m.size)>(size);
		tx_.commit();
		res[1] = !tx_.full();
		fx.rm_wake = true;
	}

	void recv(u64 cap, u64 buf, u64 max_size, unsigned long res[4], Effects &fx)
	{
		if (cap != rx_cap_) {
			res[0] = cap_error(cap);
			return;
		}
		if (rx_.empty()) {
			res[0] = msgqueue_empty;
			return;
		}
		const Msg &m = rx_.head();
		if (m.size > max_size) {
			res[0] = argument_size;
			return;
		}
		u8 *dst = m.size ? Platform::map(buf, m.size) : nullptr;
		if (m.size && !dst) {
			res[0] = addr_invalid;
			res[2] = 1;
			return;
		}
		for (usize i = 0; i < m.size; i++)
			dst[i] = m.data[i];
		res[1] = m.size;
		rx_.drop_head();
		res[2] = !rx_.empty();
		// The RM's send queue has room: a reply it holds can go on.
		fx.rm_wake = true;
	}

	u64 tx_cap_, rx_cap_;
	bool qcom_;
	Msgq<Msg> tx_, rx_;
	unsigned long sends_taken_ = 0;
};

} // namespace armature::gunyah::sim
