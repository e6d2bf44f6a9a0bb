// SPDX-License-Identifier: GPL-2.0
// gunyah_sim (tests only): the simulated resource manager, pure. It is fed
// the messages a client VM sends, one 240-byte message at a time, as the RM
// reads them from its receive queue, and leaves what it answers in an
// outbox the transport (sim.cpp) moves into the client's receive queue.
// Facts: ../shared/GUNYAH-RM.md (and the RM's src/rpc, src/memparcel).
//
// Framing. Silently dropped: a header with another API version or header
// size, a first fragment announcing more than 62 continuations, a
// continuation with no message in progress or that does not repeat its
// msg_id, seq and fragment count. A new first fragment discards a message in
// progress; one that is not a request is then ignored. An unknown msg_id is
// answered with UNIMPLEMENTED. A reply echoes msg_id and seq and starts with
// a le32 rm_error; a failed call's reply is that word alone.
//
// One pending reply: while the outbox holds anything, the transport does not
// feed the model (the client must drain its receive queue for the RM to read
// on).
//
// Memory parcels (owner: the VM that sent LEND/SHARE):
//   LEND/SHARE: < 8 bytes -> MSG_INVALID; SANITIZE on I/O -> ARGUMENT_INVALID;
//     truncated lists, trailing bytes, > 512 entries in a list -> MSG_INVALID;
//     an empty ACL or SGL -> ARGUMENT_INVALID; 64 parcels already ->
//     NO_RESOURCES. From here on a handle is used up even when the call
//     fails (the RM allocates it before checking the lists' contents):
//     duplicate VMID, a VMID other than 3, 0xFF or an allocated dynamic one,
//     rights not 4/5/6/7, executable I/O, SHARE without the owner in the ACL
//     or LEND with it -> ARGUMENT_INVALID; attributes: duplicate VMID or an
//     unknown value, or not DEVICE on I/O -> ARGUMENT_INVALID, a VMID not in
//     the ACL -> VMID_INVALID; SGL: unaligned (4 KiB) or empty range or one
//     that wraps -> ARGUMENT_INVALID, a range overlapping a parcel (or
//     another of its own) -> MEM_INUSE (the RM cannot derive its memextent).
//     Reply: le32 handle, allocated sequentially from 0.
//   APPEND: truncated / trailing / > 512 -> MSG_INVALID; empty SGL ->
//     ARGUMENT_INVALID; unknown handle -> HANDLE_INVALID; not the owner or the
//     parcel is not open (created without APPEND, or ended) -> DENIED; SGL
//     checks as above. END closes the parcel.
//   RECLAIM: not 8 bytes -> MSG_INVALID; unknown handle -> HANDLE_INVALID;
//     not the owner -> DENIED; accepted by a VM -> MEM_INUSE.
//   VM_ALLOCATE {le16 vmid (0: any), pad}: not 4 bytes -> MSG_INVALID; a VMID
//     outside 0x80..0xBF or taken -> VMID_INVALID; none free ->
//     NO_RESOURCES. Reply {le16 vmid, pad}. VM_DEALLOCATE (0x56000002, same
//     request) frees one: not allocated -> VMID_INVALID.
#pragma once

#include "memparcel.hpp"
#include "rpc.hpp"
#include <kcpp/types.hpp>

namespace armature::gunyah::sim {

using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
using rpc::RmError;

inline constexpr u16 vmid_hlos = 3;
inline constexpr u16 vmid_any = 0xff;
inline constexpr u16 vmid_dynamic_first = 0x80;
inline constexpr u16 vmid_dynamic_last = 0xbf;
inline constexpr unsigned dynamic_vmids = vmid_dynamic_last - vmid_dynamic_first + 1;
inline constexpr unsigned max_parcels = 64;
inline constexpr u64 page_size = 4096;
inline constexpr u8 rights_x = 1;

inline constexpr u8 mem_type_normal = 0;
inline constexpr u8 mem_type_io = 1;
// Memory attributes of the ATTR list.
inline constexpr u16 attr_normal = 0, attr_device = 1, attr_uncached = 2, attr_cached = 3;

// A message on the wire: the transport's unit.
struct Message {
	u8 data[rpc::message_size];
	u16 size;
};

// Faults for the next replies, set by a test. Each is taken once (a flag
// is on when non-zero).
struct Faults {
	u32 drop_next = 0;       // the next request is lost: no effect, no reply
	u32 delay_next_ms = 0;   // for the transport: the next reply waits this long
	u32 error_next = 0;      // the next request fails with this RM error, no effect
	u32 fail_msg_id = 0;     // the fail_nth-th request with this msg_id from now
	u32 fail_nth = 0;        //   fails with fail_error (0: off)
	u32 fail_error = 0;
	u32 malformed_next = 0;  // the next request is not carried out, and its
	                         // reply stops 2 bytes into its rm_error
	u32 duplicate_next = 0;  // the next reply is sent twice (same seq)
};

// Env: static void *alloc(usize bytes) (nullptr on failure), static void free(void *).
template <typename Env>
class RmModel {
public:
	struct Parcel {
		bool used = false;
		bool lend = false;
		bool open = false;      // created with APPEND, not ended
		bool accepted = false;  // a VM accepted it: RECLAIM is refused
		u8 mem_type = 0;
		u8 flags = 0;
		u16 owner = 0;
		u32 handle = 0;
		u32 label = 0;
		u16 n_acl = 0;
		memparcel::AclEntry acl[2 + dynamic_vmids];
		memparcel::SglEntry *sgl = nullptr;
		usize n_sgl = 0, cap_sgl = 0;

		u64 bytes() const
		{
			u64 total = 0;
			for (usize i = 0; i < n_sgl; i++)
				total += sgl[i].size;
			return total;
		}
	};

	struct Stats {
		unsigned dropped = 0;   // messages dropped silently (framing)
		unsigned ignored = 0;   // first fragments that are not requests
		unsigned requests = 0;  // complete requests dispatched
		unsigned replies = 0;   // replies put in the outbox
		unsigned discarded_partials = 0;
	};

	RmModel() = default;
	~RmModel()
	{
		for (Parcel &p : parcels_)
			release(p);
	}
	RmModel(const RmModel &) = delete;
	RmModel &operator=(const RmModel &) = delete;

	Faults faults;

	// One message from VM from, as the RM reads it from its queue.
	void receive(const u8 *msg, usize size, u16 from = vmid_hlos)
	{
		rpc::Header h;
		if (size < rpc::header_size || size > rpc::message_size || !rpc::Header::decode(msg, h)) {
			stats_.dropped++;
			return;
		}
		const u8 *payload = msg + rpc::header_size;
		usize len = size - rpc::header_size;
		if (h.type == rpc::Type::continuation) {
			if (!partial_ || h.msg_id != cur_.msg_id || h.seq != cur_.seq ||
			    h.fragments != cur_.fragments || from != cur_from_) {
				stats_.dropped++;
				return;
			}
			append_payload(payload, len);
			if (--remaining_ == 0) {
				partial_ = false;
				dispatch(from);
			}
			return;
		}
		if (partial_) {
			partial_ = false;
			stats_.discarded_partials++;
		}
		if (h.fragments > rpc::max_continuations) {
			stats_.dropped++;
			return;
		}
		if (h.type != rpc::Type::request) {
			stats_.ignored++;
			return;
		}
		cur_ = h;
		cur_from_ = from;
		buf_len_ = 0;
		append_payload(payload, len);
		if (h.fragments == 0) {
			dispatch(from);
		} else {
			partial_ = true;
			remaining_ = h.fragments;
		}
	}

	// A notification from the RM (msg_id of the test's choice, a zero
	// word of payload), queued behind what the outbox holds.
	bool notify(u32 msg_id)
	{
		u8 payload[4] = {};
		return put_message(rpc::Type::notification, msg_id, 0, payload, sizeof(payload));
	}

	// --- The outbox: what the RM sends, in order ---
	bool has_output() const { return out_count_ != 0; }
	usize output_count() const { return out_count_; }
	const Message &front() const { return out_[out_head_]; }
	void pop()
	{
		out_head_ = (out_head_ + 1) % out_capacity;
		out_count_--;
	}

	// --- For tests: the state of memory and VMIDs ---
	// The test's stand-in for a VM accepting a parcel: RECLAIM then fails
	// with MEM_INUSE until it is released.
	bool set_accepted(u32 handle, bool accepted)
	{
		Parcel *p = find(handle);
		if (!p)
			return false;
		p->accepted = accepted;
		return true;
	}
	const Parcel *parcel(u32 handle) const
	{
		for (const Parcel &p : parcels_)
			if (p.used && p.handle == handle)
				return &p;
		return nullptr;
	}
	unsigned parcel_count() const
	{
		unsigned n = 0;
		for (const Parcel &p : parcels_)
			n += p.used;
		return n;
	}
	template <typename F>
	void for_each_parcel(F &&f) const
	{
		for (const Parcel &p : parcels_)
			if (p.used)
				f(p);
	}
	// Bytes of memory the owner has lent (gone from its stage 2) or shared.
	u64 lent_bytes() const { return bytes_where(true); }
	u64 shared_bytes() const { return bytes_where(false); }
	// Whether [addr, addr + size) touches memory in a parcel.
	bool in_parcel(u64 addr, u64 size) const { return overlaps_any(addr, size); }
	bool vmid_allocated(u16 vmid) const
	{
		return vmid >= vmid_dynamic_first && vmid <= vmid_dynamic_last &&
		       vmids_[vmid - vmid_dynamic_first];
	}
	unsigned vmids_allocated() const
	{
		unsigned n = 0;
		for (bool b : vmids_)
			n += b;
		return n;
	}
	u32 next_handle() const { return next_handle_; }
	const Stats &stats() const { return stats_; }
	bool partial() const { return partial_; }

private:
	static constexpr usize out_capacity = 8;

	static void put_le32(u8 *p, u32 v) { memparcel::put32(p, v); }

	void append_payload(const u8 *p, usize len)
	{
		for (usize i = 0; i < len && buf_len_ < rpc::max_payload; i++)
			buf_[buf_len_++] = p[i];
	}

	bool put_message(rpc::Type type, u32 msg_id, u16 seq, const u8 *payload, usize len)
	{
		int cont = rpc::continuations_for(len);
		if (cont < 0 || out_count_ + cont + 1 > out_capacity)
			return false;
		rpc::Header h{type, static_cast<u8>(cont), seq, msg_id};
		for (int f = 0; f <= cont; f++) {
			Message &m = out_[(out_head_ + out_count_++) % out_capacity];
			if (f > 0)
				h.type = rpc::Type::continuation;
			h.encode(m.data);
			usize off = static_cast<usize>(f) * rpc::fragment_payload;
			usize n = len - off < rpc::fragment_payload ? len - off : rpc::fragment_payload;
			for (usize i = 0; i < n; i++)
				m.data[rpc::header_size + i] = payload[off + i];
			m.size = static_cast<u16>(rpc::header_size + n);
		}
		return true;
	}

	void reply(RmError err, const u8 *data = nullptr, usize len = 0)
	{
		u8 payload[4 + 8];
		put_le32(payload, static_cast<u32>(err));
		if (err == RmError::ok)
			for (usize i = 0; i < len; i++)
				payload[4 + i] = data[i];
		else
			len = 0;
		usize total = 4 + len;
		if (faults.malformed_next) {
			faults.malformed_next = 0;
			total = 2;
		}
		int times = 1;
		if (faults.duplicate_next) {
			faults.duplicate_next = 0;
			times = 2;
		}
		for (int i = 0; i < times; i++)
			if (put_message(rpc::Type::reply, cur_.msg_id, cur_.seq, payload, total))
				stats_.replies++;
	}

	void dispatch(u16 from)
	{
		stats_.requests++;
		if (faults.drop_next) {
			faults.drop_next = 0;
			return;
		}
		if (faults.fail_nth && cur_.msg_id == faults.fail_msg_id && --faults.fail_nth == 0) {
			reply(static_cast<RmError>(faults.fail_error));
			return;
		}
		if (faults.malformed_next) {
			// A client cannot know what a reply it cannot read
			// did: the request had no effect, so that the test
			// can expect everything back.
			reply(RmError::ok);
			return;
		}
		if (faults.error_next) {
			RmError e = static_cast<RmError>(faults.error_next);
			faults.error_next = 0;
			reply(e);
			return;
		}
		switch (cur_.msg_id) {
		case rpc::mem_lend:
		case rpc::mem_share:
			return create(from, cur_.msg_id == rpc::mem_lend);
		case rpc::mem_append:
			return reply(append(from));
		case rpc::mem_reclaim:
			return reply(reclaim(from));
		case rpc::vm_alloc_vmid:
			return alloc_vmid();
		case rpc::vm_dealloc_vmid:
			return reply(dealloc_vmid());
		default:
			return reply(RmError::unimplemented);
		}
	}

	// --- Memory parcels ---

	Parcel *find(u32 handle)
	{
		for (Parcel &p : parcels_)
			if (p.used && p.handle == handle)
				return &p;
		return nullptr;
	}

	void release(Parcel &p)
	{
		if (p.sgl)
			Env::free(p.sgl);
		p = Parcel{};
	}

	u64 bytes_where(bool lend) const
	{
		u64 total = 0;
		for (const Parcel &p : parcels_)
			if (p.used && p.lend == lend)
				total += p.bytes();
		return total;
	}

	bool valid_target(u16 vmid) const
	{
		return vmid == vmid_hlos || vmid == vmid_any || vmid_allocated(vmid);
	}

	static bool valid_rights(u8 r) { return r >= 4 && r <= 7; }

	static bool overlap(u64 a, u64 as, u64 b, u64 bs) { return a < b + bs && b < a + as; }

	// Whether [addr, addr + size) overlaps a parcel's range.
	bool overlaps_any(u64 addr, u64 size) const
	{
		for (const Parcel &p : parcels_)
			if (p.used)
				for (usize i = 0; i < p.n_sgl; i++)
					if (overlap(addr, size, p.sgl[i].ipa, p.sgl[i].size))
						return true;
		return false;
	}

	static void sort_by_ipa(memparcel::SglEntry *a, usize n)
	{
		// Shell sort: no library here, and a few thousand entries.
		for (usize gap = n / 2; gap > 0; gap /= 2) {
			for (usize i = gap; i < n; i++) {
				memparcel::SglEntry t = a[i];
				usize j = i;
				for (; j >= gap && a[j - gap].ipa > t.ipa; j -= gap)
					a[j] = a[j - gap];
				a[j] = t;
			}
		}
	}

	// ARGUMENT_INVALID for an empty, unaligned or wrapping range;
	// MEM_INUSE for one that overlaps a parcel's or another of the list's.
	// The ranges are sorted rather than compared pairwise: 1025-entry
	// parcels on a debug kernel under TCG made that take seconds.
	RmError check_sgl(const memparcel::ListView &sgl) const
	{
		for (usize i = 0; i < sgl.count; i++) {
			memparcel::SglEntry e = sgl.sgl(i);
			if (e.size == 0 || (e.ipa | e.size) % page_size || e.ipa + e.size < e.ipa)
				return RmError::argument_invalid;
		}
		usize n = sgl.count;
		for (const Parcel &p : parcels_)
			n += p.used ? p.n_sgl : 0;
		auto *all = static_cast<memparcel::SglEntry *>(Env::alloc(n * sizeof(memparcel::SglEntry)));
		if (!all)
			return RmError::no_memory;
		usize k = 0;
		for (const Parcel &p : parcels_)
			for (usize i = 0; p.used && i < p.n_sgl; i++)
				all[k++] = p.sgl[i];
		for (usize i = 0; i < sgl.count; i++)
			all[k++] = sgl.sgl(i);
		sort_by_ipa(all, n);
		RmError err = RmError::ok;
		for (usize i = 1; i < n && err == RmError::ok; i++)
			if (all[i - 1].ipa + all[i - 1].size > all[i].ipa)
				err = RmError::mem_inuse;
		Env::free(all);
		return err;
	}

	bool add_sgl(Parcel &p, const memparcel::ListView &sgl)
	{
		if (p.n_sgl + sgl.count > p.cap_sgl) {
			usize cap = p.cap_sgl ? p.cap_sgl : 16;
			while (cap < p.n_sgl + sgl.count)
				cap *= 2;
			auto *grown = static_cast<memparcel::SglEntry *>(
				Env::alloc(cap * sizeof(memparcel::SglEntry)));
			if (!grown)
				return false;
			for (usize i = 0; i < p.n_sgl; i++)
				grown[i] = p.sgl[i];
			if (p.sgl)
				Env::free(p.sgl);
			p.sgl = grown;
			p.cap_sgl = cap;
		}
		for (usize i = 0; i < sgl.count; i++)
			p.sgl[p.n_sgl++] = sgl.sgl(i);
		return true;
	}

	void create(u16 from, bool lend)
	{
		u32 handle = 0;
		RmError err = do_create(from, lend, handle);
		u8 data[4];
		put_le32(data, handle);
		reply(err, data, sizeof(data));
	}

	RmError do_create(u16 from, bool lend, u32 &handle)
	{
		const u8 *msg = buf_;
		if (buf_len_ < memparcel::header_size)
			return RmError::msg_invalid;
		const u8 mem_type = msg[0];
		const u8 flags = msg[2];
		if ((flags & memparcel::flag_sanitize) && mem_type == mem_type_io)
			return RmError::argument_invalid;
		memparcel::ShareRequest req;
		if (RmError e = memparcel::parse_share(msg, buf_len_, req); e != RmError::ok)
			return e;
		if (req.acl.count > memparcel::max_entries || req.sgl.count > memparcel::max_entries ||
		    req.attr.count > memparcel::max_entries)
			return RmError::msg_invalid;
		if (req.acl.count == 0 || req.sgl.count == 0)
			return RmError::argument_invalid;
		unsigned owned = 0;
		Parcel *slot = nullptr;
		for (Parcel &p : parcels_) {
			if (p.used)
				owned += p.owner == from;
			else if (!slot)
				slot = &p;
		}
		if (owned >= max_parcels || !slot)
			return RmError::no_resources;
		const u32 h = next_handle_++;
		if (mem_type != mem_type_normal && mem_type != mem_type_io)
			return RmError::argument_invalid;
		bool owner_in_acl = false;
		for (usize i = 0; i < req.acl.count; i++) {
			memparcel::AclEntry a = req.acl.acl(i);
			for (usize j = 0; j < i; j++)
				if (req.acl.acl(j).vmid == a.vmid)
					return RmError::argument_invalid;
			if (!valid_target(a.vmid) || !valid_rights(a.rights))
				return RmError::argument_invalid;
			if (mem_type == mem_type_io && (a.rights & rights_x))
				return RmError::argument_invalid;
			owner_in_acl |= a.vmid == from;
		}
		if (lend == owner_in_acl)
			return RmError::argument_invalid;
		for (usize i = 0; i < req.attr.count; i++) {
			memparcel::AttrEntry a = req.attr.attr(i);
			for (usize j = 0; j < i; j++)
				if (req.attr.attr(j).vmid == a.vmid)
					return RmError::argument_invalid;
			if (a.attr > attr_cached)
				return RmError::argument_invalid;
			if (mem_type == mem_type_io && a.attr != attr_device)
				return RmError::argument_invalid;
			bool in_acl = false;
			for (usize j = 0; j < req.acl.count; j++)
				in_acl |= req.acl.acl(j).vmid == a.vmid;
			if (!in_acl)
				return RmError::vmid_invalid;
		}
		if (RmError e = check_sgl(req.sgl); e != RmError::ok)
			return e;
		Parcel &p = *slot;
		if (!add_sgl(p, req.sgl)) {
			release(p);
			return RmError::no_memory;
		}
		p.used = true;
		p.lend = lend;
		p.open = flags & memparcel::flag_append;
		p.accepted = false;
		p.mem_type = mem_type;
		p.flags = flags;
		p.owner = from;
		p.handle = h;
		p.label = req.label;
		p.n_acl = static_cast<u16>(req.acl.count);
		for (usize i = 0; i < req.acl.count; i++)
			p.acl[i] = req.acl.acl(i);
		handle = h;
		return RmError::ok;
	}

	RmError append(u16 from)
	{
		memparcel::AppendRequest req;
		if (RmError e = memparcel::parse_append(buf_, buf_len_, req); e != RmError::ok)
			return e;
		if (req.sgl.count > memparcel::max_entries)
			return RmError::msg_invalid;
		if (req.sgl.count == 0)
			return RmError::argument_invalid;
		Parcel *p = find(req.handle);
		if (!p)
			return RmError::handle_invalid;
		if (p->owner != from || !p->open)
			return RmError::denied;
		if (RmError e = check_sgl(req.sgl); e != RmError::ok)
			return e;
		if (!add_sgl(*p, req.sgl))
			return RmError::no_memory;
		if (req.flags & memparcel::flag_end)
			p->open = false;
		return RmError::ok;
	}

	RmError reclaim(u16 from)
	{
		memparcel::ReclaimRequest req;
		if (RmError e = memparcel::parse_reclaim(buf_, buf_len_, req); e != RmError::ok)
			return e;
		Parcel *p = find(req.handle);
		if (!p)
			return RmError::handle_invalid;
		if (p->owner != from)
			return RmError::denied;
		if (p->accepted)
			return RmError::mem_inuse;
		release(*p);
		return RmError::ok;
	}

	// --- VMIDs ---

	void alloc_vmid()
	{
		u16 vmid = 0;
		RmError err = do_alloc_vmid(vmid);
		u8 data[4];
		memparcel::put16(data, vmid);
		memparcel::put16(data + 2, 0);
		reply(err, data, sizeof(data));
	}

	RmError do_alloc_vmid(u16 &vmid)
	{
		if (buf_len_ != 4)
			return RmError::msg_invalid;
		u16 want = memparcel::get16(buf_);
		if (want == 0) {
			for (unsigned i = 0; i < dynamic_vmids; i++) {
				if (!vmids_[i]) {
					vmids_[i] = true;
					vmid = static_cast<u16>(vmid_dynamic_first + i);
					return RmError::ok;
				}
			}
			return RmError::no_resources;
		}
		if (want < vmid_dynamic_first || want > vmid_dynamic_last ||
		    vmids_[want - vmid_dynamic_first])
			return RmError::vmid_invalid;
		vmids_[want - vmid_dynamic_first] = true;
		vmid = want;
		return RmError::ok;
	}

	RmError dealloc_vmid()
	{
		if (buf_len_ != 4)
			return RmError::msg_invalid;
		u16 vmid = memparcel::get16(buf_);
		if (!vmid_allocated(vmid))
			return RmError::vmid_invalid;
		vmids_[vmid - vmid_dynamic_first] = false;
		return RmError::ok;
	}

	// Reassembly of the request being read.
	bool partial_ = false;
	unsigned remaining_ = 0;
	rpc::Header cur_{};
	u16 cur_from_ = 0;
	usize buf_len_ = 0;
	u8 buf_[rpc::max_payload];

	Message out_[out_capacity];
	usize out_head_ = 0, out_count_ = 0;

	Parcel parcels_[max_parcels * 2];
	u32 next_handle_ = 0;
	bool vmids_[dynamic_vmids] = {};
	Stats stats_;
};

} // namespace armature::gunyah::sim
