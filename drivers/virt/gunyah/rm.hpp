// SPDX-License-Identifier: GPL-2.0
// The resource manager's RPC engine: requests out through the TX message
// queue, replies and notifications in through the RX one, and the calls of
// gunyah.h built on it (memory lend/share/reclaim, VM allocate).
//
// Lifetime: an Rm is reference counted. create() returns it with one
// reference (the device binding's); each open VM fd and each gunyah_rm_get()
// holds another. The last put() frees its interrupts, unbinds its platform
// ops (ops->unbind(state)) and then drops the registry Handles it owns, so
// the hypervisor and platform modules stay pinned while any user remains.
//
// Context: call() and the calls built on it sleep (they wait for the reply,
// and for TX room). on_tx_irq() may run in any context; on_rx_irq() runs in
// the RX interrupt's thread (see rm.cpp for why a thread). A notification
// subscriber runs there too: it may sleep but must not make an RM call and
// wait for it (the reply would come through the thread it blocks), must
// not (un)subscribe, and must not take a lock its owner holds while it
// (un)subscribes (notify runs under the subscriber list's lock).
#pragma once

#include "gunyah.h"
#include "hypercall.hpp"
#include "platform.hpp"
#include "rpc.hpp"
#include <kcpp/irq.hpp>
#include <kcpp/list.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/log.hpp>
#include <kcpp/result.hpp>
#include <kcpp/sync.hpp>

namespace armature::gunyah {

// The platform ops bound at setup and their state (from ops->bind).
struct PlatformBinding {
	const gunyah_platform_ops *ops = nullptr;
	void *state = nullptr;
};

// What an Rm is made of. create() takes all of it, also when it fails.
struct RmConfig {
	Hypercalls hyp;
	u64 tx_cap = 0;
	u64 rx_cap = 0;
	// Linux IRQ numbers of TX "not full" and RX "not empty" (edge); a
	// negative one is not requested, and whoever drives the queues calls
	// on_tx_irq()/on_rx_irq() instead (the KUnit fake).
	int tx_irq = -1;
	int rx_irq = -1;
	PlatformBinding platform;
	PlatformRegistry::Handle platform_handle;
	HypervisorRegistry::Handle hypervisor_handle;
	const device *dev = nullptr;  // for the log (referenced); may be null
	unsigned timeout_ms = 10000;  // for each call: TX room, then the reply
	void (*released)() = nullptr;  // after the last put() freed the Rm
};

// A reply's payload (what follows the RM error word), owned.
class Reply {
public:
	Reply() = default;
	Reply(u8 *buf, usize size) : buf_(buf), size_(size) {}
	Reply(Reply &&other);
	Reply &operator=(Reply &&other);
	Reply(const Reply &) = delete;
	Reply &operator=(const Reply &) = delete;
	~Reply();

	const u8 *data() const { return buf_ + rm_error_size; }
	usize size() const { return size_ - rm_error_size; }

	static constexpr usize rm_error_size = 4;

private:
	u8 *buf_ = nullptr;  // the whole reply payload, error word first
	usize size_ = rm_error_size;
};

// A notification subscriber: notify() gets each notification with this
// msg_id (payload, size) until unsubscribed. Lives in the subscriber's
// storage while subscribed.
class RmSubscriber : public kcpp::ListNode<> {
public:
	using Fn = void (*)(RmSubscriber *self, const u8 *payload, usize size);
	constexpr RmSubscriber(u32 msg_id, Fn notify) : msg_id_(msg_id), notify_(notify) {}
	u32 msg_id() const { return msg_id_; }

private:
	friend class Rm;
	u32 msg_id_;
	Fn notify_;
};

class Rm {
public:
	static constexpr u32 invalid_handle = GUNYAH_RM_INVALID_HANDLE;

	// The RM with one reference, its interrupts requested. Takes cfg's
	// binding and handles whatever happens (on failure they are released
	// as by the last put()).
	static kcpp::Result<Rm *> create(RmConfig &&cfg);

	void get() { refs_.inc(); }
	// Drops a reference; the last one frees the Rm. Sleeps; not from the
	// RX thread (a subscriber).
	void put();
	unsigned refs() const { return refs_.read(); }

	// Interrupt entry points. TX "not full": wakes a sender waiting for
	// room. RX "not empty": receives until the queue is EMPTY.
	bool on_tx_irq();
	bool on_rx_irq();

	// One request/reply exchange: the reply's payload, or -E2BIG for a
	// request beyond 63 fragments, -EBUSY when the TX queue stayed full
	// (the RM did not get the request), -ETIMEDOUT when no reply came (it
	// may have carried it out), -EBADMSG (truncated reply), the RM's error
	// as an errno (logged with its name), a hypercall's.
	kcpp::Result<Reply> call(u32 msg_id, const void *req, usize size);

	// -EBUSY when s is subscribed already.
	int subscribe(RmSubscriber &s);
	// Returns once no notify() of s runs any more.
	void unsubscribe(RmSubscriber &s);

	// gunyah.h's calls (see there).
	int mem_share(gunyah_rm_mem_parcel *parcel);
	int mem_reclaim(gunyah_rm_mem_parcel *parcel);
	int alloc_vmid(u16 vmid, u16 *allocated);
	int dealloc_vmid(u16 vmid);
	// The platform's demand-paging hooks (0 when it has none).
	int pre_demand_page(u16 vmid, u32 flags, u64 phys, u64 size);
	int release_demand_page(u16 vmid, u32 flags, u64 phys, u64 size);

	const PlatformBinding &platform() const { return platform_; }
	const device *dev() const { return dev_; }
	unsigned timeout_ms() const { return timeout_ms_; }

	// For create() (kcpp::make); use create().
	explicit Rm(RmConfig &&cfg);
	~Rm();
	Rm(const Rm &) = delete;
	Rm &operator=(const Rm &) = delete;

private:
	struct Pending;
	struct Partial {
		u8 *buf = nullptr;
		usize len = 0;
		u32 msg_id = 0;
		u16 seq = 0;
		rpc::Type type = rpc::Type::continuation;
		u8 fragments = 0;  // continuations announced
		u8 received = 0;   // continuations received
	};

	u16 alloc_seq_locked();
	int send(rpc::Type type, u32 msg_id, u16 seq, const u8 *payload, usize size);
	int send_fragment(u32 msg_id, u16 seq, usize size, bool push);
	void receive(const u8 *msg, usize size);
	void drop_partial(const char *why);
	void complete_message();
	void deliver_reply(u32 msg_id, u16 seq, u8 *buf, usize len);
	void notify(u32 msg_id, const u8 *buf, usize len);
	int share_first(u32 msg_id, const gunyah_rm_mem_parcel *parcel, usize n_sgl, bool append,
			u32 *handle);
	int append(u32 handle, const gunyah_rm_mem_entry *entries, usize n, bool end);
	int reclaim(u32 handle);
	int pre_mem_share(gunyah_rm_mem_parcel *parcel);
	int post_mem_reclaim(gunyah_rm_mem_parcel *parcel);

	kcpp::Refcount refs_{1};
	const Hypercalls hyp_;
	const u64 tx_cap_;
	const u64 rx_cap_;
	const int tx_irq_num_;
	const int rx_irq_num_;
	const PlatformBinding platform_;
	PlatformRegistry::Handle platform_handle_;
	HypervisorRegistry::Handle hypervisor_handle_;
	const device *const dev_;
	const unsigned timeout_ms_;
	void (*const released_)();

	// Senders, one whole message (all its fragments) at a time.
	kcpp::Mutex tx_lock_{KCPP_LOCK_CLASS("gunyah_rm_tx")};
	kcpp::Completion tx_ready_;
	alignas(8) u8 tx_buf_[rpc::message_size];

	// Calls waiting for their reply, by msg_id and seq.
	kcpp::Mutex pending_lock_{KCPP_LOCK_CLASS("gunyah_rm_pending")};
	kcpp::List<Pending> pending_;
	u16 next_seq_ = 1;
	// For the errors and timeouts of calls, which users can cause.
	kcpp::RateLimit call_ratelimit_;

	// The receiver (the RX thread) and its message in reassembly.
	kcpp::Mutex rx_lock_{KCPP_LOCK_CLASS("gunyah_rm_rx")};
	alignas(8) u8 rx_buf_[rpc::message_size];
	Partial partial_;
	static constexpr unsigned max_unknown = 8;
	u32 unknown_notifications_[max_unknown] = {};
	unsigned n_unknown_ = 0;
	kcpp::RateLimit rx_ratelimit_;

	kcpp::Mutex sub_lock_{KCPP_LOCK_CLASS("gunyah_rm_subscribers")};
	kcpp::List<RmSubscriber> subscribers_;

	kcpp::Irq tx_irq_;
	kcpp::Irq rx_irq_;
};

} // namespace armature::gunyah
