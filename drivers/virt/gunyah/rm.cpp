// SPDX-License-Identifier: GPL-2.0
// The resource manager's RPC engine (rm.hpp).
//
// Sending: a message of up to 63 fragments goes out under tx_lock_, whole,
// so fragments of concurrent callers never interleave. A full TX queue
// (MSGQUEUE_FULL) waits for the TX "not full" interrupt (tx_ready_, re-armed
// before each attempt so an interrupt between the attempt and the wait is
// not lost).
//
// Receiving: the RX "not empty" interrupt is threaded (request_threaded_irq,
// IRQF_ONESHOT), and its thread receives until the queue says EMPTY. The RM
// buffers only one pending reply per VM, so draining promptly matters, but
// a thread is prompt enough and buys what hard-IRQ context cannot give: a
// reply of up to 63 fragments (14.6 KB) is reassembled into a GFP_KERNEL
// buffer, calls are matched under a mutex, and notification subscribers may
// sleep. The hypercalls themselves are fast calls, fine in any context; the
// TX interrupt only completes tx_ready_, so it stays a hard handler.
//
// Matching: a call sits in pending_ (on its own stack) until a reply with
// its msg_id and seq takes it off, under pending_lock_, and completes it.
// A caller that times out takes itself off under the same lock, so a late
// reply finds nothing and is dropped: nothing touches the caller's frame
// after it returned. A duplicate reply (same seq again) is dropped the same
// way.
#include "rm.hpp"

#include "memparcel.hpp"
#include <kcpp/alloc.hpp>
#include <kcpp/misc.h>

namespace armature::gunyah {

using kcpp::Error;
using kcpp::Result;

namespace {

constexpr usize min(usize a, usize b) { return a < b ? a : b; }

u8 *alloc_bytes(usize size)
{
	return static_cast<u8 *>(kcpp_kmalloc(size ? size : 1, kcpp::gfp::kernel));
}

// gunyah.h's parcel entries are the memparcel encoder's, field for field.
static_assert(sizeof(gunyah_rm_acl_entry) == 4 && sizeof(memparcel::AclEntry) == 4 &&
	      __builtin_offsetof(gunyah_rm_acl_entry, rights) ==
		      __builtin_offsetof(memparcel::AclEntry, rights));
static_assert(sizeof(gunyah_rm_mem_entry) == sizeof(memparcel::SglEntry) &&
	      __builtin_offsetof(gunyah_rm_mem_entry, size) ==
		      __builtin_offsetof(memparcel::SglEntry, size));

const memparcel::AclEntry *acl_of(const gunyah_rm_mem_parcel *p)
{
	return reinterpret_cast<const memparcel::AclEntry *>(p->acl_entries);
}
const memparcel::SglEntry *sgl_of(const gunyah_rm_mem_entry *e)
{
	return reinterpret_cast<const memparcel::SglEntry *>(e);
}

} // namespace

struct Rm::Pending : kcpp::ListNode<> {
	explicit Pending(u32 id) : msg_id(id) {}
	u32 msg_id;
	u16 seq = 0;
	int status = 0;  // -EBADMSG for a truncated reply
	u8 *buf = nullptr;
	usize size = 0;
	kcpp::Completion done;
};

// --- Reply -------------------------------------------------------------------

Reply::Reply(Reply &&other) : buf_(other.buf_), size_(other.size_)
{
	other.buf_ = nullptr;
	other.size_ = rm_error_size;
}

Reply &Reply::operator=(Reply &&other)
{
	if (this != &other) {
		kcpp_kfree(buf_);
		buf_ = other.buf_;
		size_ = other.size_;
		other.buf_ = nullptr;
		other.size_ = rm_error_size;
	}
	return *this;
}

Reply::~Reply() { kcpp_kfree(buf_); }

// --- Lifetime ----------------------------------------------------------------

Rm::Rm(RmConfig &&cfg)
	: hyp_(cfg.hyp), tx_cap_(cfg.tx_cap), rx_cap_(cfg.rx_cap), tx_irq_num_(cfg.tx_irq),
	  rx_irq_num_(cfg.rx_irq), platform_(cfg.platform),
	  platform_handle_(static_cast<PlatformRegistry::Handle &&>(cfg.platform_handle)),
	  hypervisor_handle_(static_cast<HypervisorRegistry::Handle &&>(cfg.hypervisor_handle)),
	  // The Rm outlives the device's binding (open VM files, other
	  // modules' gunyah_rm_get()) and logs through dev_: keep it allocated.
	  dev_(cfg.dev ? kcpp_get_device(const_cast<device *>(cfg.dev)) : nullptr),
	  timeout_ms_(cfg.timeout_ms), released_(cfg.released)
{
}

Rm::~Rm()
{
	// No handler runs after these return.
	rx_irq_.free();
	tx_irq_.free();
	kcpp_kfree(partial_.buf);
	if (platform_.ops && platform_.ops->unbind)
		platform_.ops->unbind(platform_.state);
	if (dev_)
		kcpp_put_device(const_cast<device *>(dev_));
	// The registry handles drop their module references last.
}

Result<Rm *> Rm::create(RmConfig &&cfg)
{
	const int tx_irq = cfg.tx_irq, rx_irq = cfg.rx_irq;
	const device *dev = cfg.dev;
	kcpp::Box<Rm> box = kcpp::make<Rm>(kcpp::gfp::kernel, static_cast<RmConfig &&>(cfg));
	if (!box) {
		// cfg still holds what it held: release it as ~Rm would.
		if (cfg.platform.ops && cfg.platform.ops->unbind)
			cfg.platform.ops->unbind(cfg.platform.state);
		return Error(-ENOMEM);
	}
	Rm *rm = box.release();
	if (tx_irq >= 0) {
		auto r = rm->tx_irq_.request<Rm, &Rm::on_tx_irq>(tx_irq, "gunyah_rm_tx", rm);
		if (!r) {
			KCPP_DEV_ERR(dev, "gunyah: TX interrupt %d: error %d\n", tx_irq, r.code());
			rm->put();
			return r.error();
		}
	}
	if (rx_irq >= 0) {
		auto r = rm->rx_irq_.request_threaded<Rm, &Rm::on_rx_irq>(rx_irq, "gunyah_rm_rx", rm);
		if (!r) {
			KCPP_DEV_ERR(dev, "gunyah: RX interrupt %d: error %d\n", rx_irq, r.code());
			rm->put();
			return r.error();
		}
	}
	// What arrived before the interrupt was ours raised its edge already.
	rm->on_rx_irq();
	return rm;
}

void Rm::put()
{
	if (refs_.dec_and_test()) {
		void (*released)() = released_;
		this->~Rm();
		kcpp_kfree(this);
		if (released)
			released();
	}
}

// --- Sending -----------------------------------------------------------------

u16 Rm::alloc_seq_locked()
{
	// A seq still waiting for its reply is not reused; the counter wraps
	// after 65536 calls, so a late reply meets a new call of its seq only
	// that much later (and the msg_id must match too).
	for (;;) {
		u16 seq = next_seq_++;
		if (!pending_.find_if([&](Pending &p) { return p.seq == seq; }))
			return seq;
	}
}

int Rm::send_fragment(u32 msg_id, u16 seq, usize size, bool push)
{
	for (;;) {
		tx_ready_.reinit();
		MsgqSend r = hyp_.msgq_send(tx_cap_, tx_buf_, size, push);
		if (r.error == HypError::ok)
			return 0;
		if (r.error != HypError::msgqueue_full) {
			KCPP_DEV_ERR(dev_, "gunyah: RM call msg_id %#x seq %u: msgq_send failed: %s (%ld)\n",
				     msg_id, seq, name(r.error), static_cast<long>(r.error));
			return to_errno(r.error);
		}
		// EBUSY, not ETIMEDOUT: the RM never had the whole request, so
		// the caller knows it did nothing (mem_share undoes its share).
		if (!tx_ready_.wait_ms(timeout_ms_)) {
			KCPP_DEV_ERR(dev_, "gunyah: RM call msg_id %#x seq %u: TX queue full for %u ms\n",
				     msg_id, seq, timeout_ms_);
			return -EBUSY;
		}
	}
}

int Rm::send(rpc::Type type, u32 msg_id, u16 seq, const u8 *payload, usize size)
{
	const int continuations = rpc::continuations_for(size);
	if (continuations < 0)
		return -E2BIG;
	kcpp::Guard held(tx_lock_);
	usize off = 0;
	for (int i = 0; i <= continuations; i++) {
		const usize chunk = min(size - off, rpc::fragment_payload);
		const rpc::Header h{i ? rpc::Type::continuation : type, static_cast<u8>(continuations),
				    seq, msg_id};
		h.encode(tx_buf_);
		if (chunk)
			__builtin_memcpy(tx_buf_ + rpc::header_size, payload + off, chunk);
		off += chunk;
		int ret = send_fragment(msg_id, seq, rpc::header_size + chunk, i == continuations);
		if (ret)
			return ret;
	}
	return 0;
}

bool Rm::on_tx_irq()
{
	tx_ready_.complete();
	return true;
}

Result<Reply> Rm::call(u32 msg_id, const void *req, usize size)
{
	if (rpc::continuations_for(size) < 0) {
		KCPP_DEV_ERR(dev_, "gunyah: RM call msg_id %#x: %zu bytes need more than %u fragments\n",
			     msg_id, size, rpc::max_continuations + 1);
		return Error(-E2BIG);
	}
	Pending p(msg_id);
	{
		kcpp::Guard held(pending_lock_);
		p.seq = alloc_seq_locked();
		pending_.push_back(p);
	}
	int ret = send(rpc::Type::request, msg_id, p.seq, static_cast<const u8 *>(req), size);
	if (!ret && !p.done.wait_ms(timeout_ms_))
		ret = -ETIMEDOUT;
	{
		kcpp::Guard held(pending_lock_);
		if (p.linked())
			pending_.remove(p);
		else if (ret == -ETIMEDOUT)
			ret = 0;  // the reply came as the wait ended
	}
	// From here on no one else touches p.
	Reply reply(p.buf, p.size);
	if (ret == -ETIMEDOUT && call_ratelimit_.allow())
		KCPP_DEV_ERR(dev_, "gunyah: RM call msg_id %#x seq %u: no reply within %u ms\n", msg_id,
			     p.seq, timeout_ms_);
	if (ret)
		return Error(ret);
	if (p.status)
		return Error(p.status);
	const auto err = static_cast<rpc::RmError>(memparcel::get32(p.buf));
	if (err != rpc::RmError::ok) {
		// Userspace can make the RM refuse (/dev/gunyah): rate limited.
		const char *n = rpc::name(err);
		if (call_ratelimit_.allow())
			KCPP_DEV_ERR(dev_, "gunyah: RM call msg_id %#x seq %u failed: %s (%#x)\n", msg_id,
				     p.seq, n ? n : "unknown error", static_cast<u32>(err));
		return Error(rpc::to_errno(err));
	}
	return reply;
}

// --- Receiving ---------------------------------------------------------------

bool Rm::on_rx_irq()
{
	kcpp::Guard held(rx_lock_);
	for (;;) {
		MsgqRecv r = hyp_.msgq_recv(rx_cap_, rx_buf_, rpc::message_size);
		if (r.error == HypError::msgqueue_empty)
			break;
		if (r.error != HypError::ok) {
			if (rx_ratelimit_.allow())
				KCPP_DEV_ERR(dev_, "gunyah: msgq_recv failed: %s (%ld)\n", name(r.error),
					     static_cast<long>(r.error));
			break;
		}
		if (r.size > rpc::message_size) {
			if (rx_ratelimit_.allow())
				KCPP_DEV_ERR(dev_, "gunyah: RM message of %zu bytes dropped\n", r.size);
			continue;
		}
		receive(rx_buf_, r.size);
	}
	return true;
}

void Rm::drop_partial(const char *why)
{
	if (!partial_.buf)
		return;
	if (rx_ratelimit_.allow())
		KCPP_DEV_ERR(dev_, "gunyah: RM message msg_id %#x seq %u dropped after %u of %u fragments: %s\n",
			     partial_.msg_id, partial_.seq, partial_.received + 1u,
			     partial_.fragments + 1u, why);
	kcpp_kfree(partial_.buf);
	partial_ = {};
}

void Rm::receive(const u8 *msg, usize size)
{
	rpc::Header h;
	if (size < rpc::header_size || !rpc::Header::decode(msg, h)) {
		if (rx_ratelimit_.allow())
			KCPP_DEV_ERR(dev_, "gunyah: RM message with a bad header (%zu bytes) dropped\n", size);
		return;
	}
	if (h.fragments > rpc::max_continuations) {
		if (rx_ratelimit_.allow())
			KCPP_DEV_ERR(dev_, "gunyah: RM message msg_id %#x seq %u with %u fragments dropped\n",
				     h.msg_id, h.seq, h.fragments + 1u);
		return;
	}
	const u8 *payload = msg + rpc::header_size;
	const usize len = size - rpc::header_size;

	if (h.type == rpc::Type::continuation) {
		if (!partial_.buf || h.msg_id != partial_.msg_id || h.seq != partial_.seq ||
		    h.fragments != partial_.fragments) {
			if (rx_ratelimit_.allow())
				KCPP_DEV_ERR(dev_, "gunyah: stray RM continuation msg_id %#x seq %u dropped\n",
					     h.msg_id, h.seq);
			return;
		}
		__builtin_memcpy(partial_.buf + partial_.len, payload, len);
		partial_.len += len;
		if (++partial_.received == partial_.fragments)
			complete_message();
		return;
	}

	// A first fragment: whatever was in reassembly will not complete.
	drop_partial("a new message began");
	u8 *buf = alloc_bytes((h.fragments + 1u) * rpc::fragment_payload);
	if (!buf) {
		if (rx_ratelimit_.allow())
			KCPP_DEV_ERR(dev_, "gunyah: no memory for RM message msg_id %#x seq %u\n", h.msg_id,
				     h.seq);
		return;
	}
	if (len)
		__builtin_memcpy(buf, payload, len);
	partial_ = {buf, len, h.msg_id, h.seq, h.type, h.fragments, 0};
	if (!h.fragments)
		complete_message();
}

void Rm::complete_message()
{
	Partial m = partial_;
	partial_ = {};
	switch (m.type) {
	case rpc::Type::reply:
		deliver_reply(m.msg_id, m.seq, m.buf, m.len);  // takes m.buf
		return;
	case rpc::Type::notification:
		notify(m.msg_id, m.buf, m.len);
		break;
	default:
		if (rx_ratelimit_.allow())
			KCPP_DEV_ERR(dev_, "gunyah: RM request msg_id %#x seq %u not served, dropped\n",
				     m.msg_id, m.seq);
		break;
	}
	kcpp_kfree(m.buf);
}

void Rm::deliver_reply(u32 msg_id, u16 seq, u8 *buf, usize len)
{
	kcpp::Guard held(pending_lock_);
	Pending *p = pending_.find_if([&](Pending &c) { return c.msg_id == msg_id && c.seq == seq; });
	if (!p) {
		if (rx_ratelimit_.allow())
			KCPP_DEV_WARN(dev_, "gunyah: RM reply msg_id %#x seq %u matches no call (late or duplicate), dropped\n",
				      msg_id, seq);
		kcpp_kfree(buf);
		return;
	}
	pending_.remove(*p);
	if (len < Reply::rm_error_size) {
		KCPP_DEV_ERR(dev_, "gunyah: RM reply msg_id %#x seq %u truncated to %zu bytes\n", msg_id,
			     seq, len);
		p->status = -EBADMSG;
		kcpp_kfree(buf);
	} else {
		p->buf = buf;
		p->size = len;
	}
	p->done.complete();
}

void Rm::notify(u32 msg_id, const u8 *buf, usize len)
{
	kcpp::Guard held(sub_lock_);
	bool delivered = false;
	for (RmSubscriber &s : subscribers_) {
		if (s.msg_id_ == msg_id) {
			s.notify_(&s, buf, len);
			delivered = true;
		}
	}
	if (delivered)
		return;
	for (unsigned i = 0; i < n_unknown_; i++)
		if (unknown_notifications_[i] == msg_id)
			return;  // logged once already
	if (n_unknown_ < max_unknown)
		unknown_notifications_[n_unknown_++] = msg_id;
	else if (!rx_ratelimit_.allow())
		return;
	KCPP_DEV_WARN(dev_, "gunyah: RM notification %#x has no subscriber, dropped\n", msg_id);
}

int Rm::subscribe(RmSubscriber &s)
{
	kcpp::Guard held(sub_lock_);
	if (s.linked())
		return -EBUSY;
	subscribers_.push_back(s);
	return 0;
}

void Rm::unsubscribe(RmSubscriber &s)
{
	kcpp::Guard held(sub_lock_);
	if (s.linked())
		subscribers_.remove(s);
}

// --- Platform hooks ----------------------------------------------------------

int Rm::pre_mem_share(gunyah_rm_mem_parcel *parcel)
{
	if (!platform_.ops || !platform_.ops->pre_mem_share)
		return 0;
	return platform_.ops->pre_mem_share(platform_.state, parcel);
}

int Rm::post_mem_reclaim(gunyah_rm_mem_parcel *parcel)
{
	if (!platform_.ops || !platform_.ops->post_mem_reclaim)
		return 0;
	return platform_.ops->post_mem_reclaim(platform_.state, parcel);
}

int Rm::pre_demand_page(u16 vmid, u32 flags, u64 phys, u64 size)
{
	if (!platform_.ops || !platform_.ops->pre_demand_page)
		return 0;
	return platform_.ops->pre_demand_page(platform_.state, vmid, flags, phys, size);
}

int Rm::release_demand_page(u16 vmid, u32 flags, u64 phys, u64 size)
{
	if (!platform_.ops || !platform_.ops->release_demand_page)
		return 0;
	return platform_.ops->release_demand_page(platform_.state, vmid, flags, phys, size);
}

// --- Memory parcels ----------------------------------------------------------

int Rm::share_first(u32 msg_id, const gunyah_rm_mem_parcel *parcel, usize n_sgl, bool append,
		    u32 *handle)
{
	const usize size = memparcel::share_size(parcel->n_acl_entries, n_sgl);
	u8 *msg = alloc_bytes(size);
	if (!msg)
		return -ENOMEM;
	memparcel::encode_share(msg, parcel->mem_type, append ? memparcel::flag_append : 0,
				parcel->label, acl_of(parcel), parcel->n_acl_entries,
				sgl_of(parcel->mem_entries), n_sgl);
	Result<Reply> r = call(msg_id, msg, size);
	kcpp_kfree(msg);
	if (!r)
		return r.code();
	if (r.value().size() < 4) {
		KCPP_DEV_ERR(dev_, "gunyah: RM %s reply without a handle\n",
			     msg_id == rpc::mem_lend ? "MEM_LEND" : "MEM_SHARE");
		return -EBADMSG;
	}
	*handle = memparcel::get32(r.value().data());
	return 0;
}

int Rm::append(u32 handle, const gunyah_rm_mem_entry *entries, usize n, bool end)
{
	const usize size = memparcel::append_size(n);
	u8 *msg = alloc_bytes(size);
	if (!msg)
		return -ENOMEM;
	memparcel::encode_append(msg, handle, end ? memparcel::flag_end : 0, sgl_of(entries), n);
	Result<Reply> r = call(rpc::mem_append, msg, size);
	kcpp_kfree(msg);
	return r.code();
}

int Rm::reclaim(u32 handle)
{
	u8 msg[memparcel::reclaim_size];
	memparcel::encode_reclaim(msg, handle, 0);
	return call(rpc::mem_reclaim, msg, sizeof(msg)).code();
}

int Rm::mem_share(gunyah_rm_mem_parcel *parcel)
{
	const usize n_acl = parcel->n_acl_entries, n_mem = parcel->n_mem_entries;
	parcel->mem_handle = invalid_handle;
	if (!n_acl || n_acl > memparcel::max_entries || !n_mem || !parcel->acl_entries ||
	    !parcel->mem_entries)
		return -EINVAL;
	// LEND gives the memory to one VM; SHARE keeps the owner in the ACL.
	const u32 msg_id = n_acl == 1 ? rpc::mem_lend : rpc::mem_share;
	const memparcel::Split split = memparcel::split(n_mem);

	int ret = pre_mem_share(parcel);
	if (ret)
		return ret;
	u32 handle;
	ret = share_first(msg_id, parcel, split.first, split.appends != 0, &handle);
	if (ret == -ETIMEDOUT) {
		// No answer: the RM may have made the parcel and lent the memory,
		// under a handle nobody will learn. It stays assigned away, and
		// the caller must keep it (gunyah.h): lost, never handed out twice.
		KCPP_DEV_ERR(dev_, "gunyah: no answer to %s of %zu entries: its memory is left with the RM\n",
			     msg_id == rpc::mem_lend ? "MEM_LEND" : "MEM_SHARE", n_mem);
		return ret;
	}
	if (ret) {
		post_mem_reclaim(parcel);
		return ret;
	}
	parcel->mem_handle = handle;
	usize done = split.first;
	for (usize i = 0; i < split.appends; i++) {
		const usize n = min(n_mem - done, memparcel::max_entries);
		ret = append(handle, parcel->mem_entries + done, n, i + 1 == split.appends);
		if (ret)
			break;
		done += n;
	}
	if (!ret)
		return 0;

	// The parcel exists with part of its memory: take it back. The
	// platform gets the memory back only when the RM gave it up; else it
	// stays with the RM (and assigned away), which is safe, only lost, as
	// long as the caller keeps it: mem_handle still names the parcel to
	// tell it so (gunyah.h).
	KCPP_DEV_ERR(dev_, "gunyah: MEM_APPEND to parcel %u failed after %zu of %zu entries (%d), reclaiming\n",
		     handle, done, n_mem, ret);
	const int rret = reclaim(handle);
	if (!rret) {
		post_mem_reclaim(parcel);
		parcel->mem_handle = invalid_handle;
	} else {
		KCPP_DEV_ERR(dev_, "gunyah: parcel %u could not be reclaimed (%d): its memory stays lent\n",
			     handle, rret);
	}
	return ret;
}

int Rm::mem_reclaim(gunyah_rm_mem_parcel *parcel)
{
	int ret = reclaim(parcel->mem_handle);
	if (ret)
		return ret;
	return post_mem_reclaim(parcel);
}

// --- VMs ---------------------------------------------------------------------

int Rm::alloc_vmid(u16 vmid, u16 *allocated)
{
	u8 req[4];
	memparcel::put16(req, vmid);
	memparcel::put16(req + 2, 0);
	Result<Reply> r = call(rpc::vm_alloc_vmid, req, sizeof(req));
	if (!r)
		return r.code();
	if (r.value().size() >= 2)
		*allocated = memparcel::get16(r.value().data());
	else if (vmid)
		*allocated = vmid;  // the RM took the one asked for
	else
		return -EBADMSG;
	return 0;
}

int Rm::dealloc_vmid(u16 vmid)
{
	u8 req[4];
	memparcel::put16(req, vmid);
	memparcel::put16(req + 2, 0);
	return call(rpc::vm_dealloc_vmid, req, sizeof(req)).code();
}

} // namespace armature::gunyah
