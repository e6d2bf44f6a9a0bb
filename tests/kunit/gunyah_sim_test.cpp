// SPDX-License-Identifier: GPL-2.0
// Tests of the simulated Gunyah hypervisor, RM and secure world
// (tests/modules/gunyah_sim): the RM's framing (silent drops, fragment
// limits, a partial message discarded), every memory-parcel rule of
// ../shared/GUNYAH-RM.md, VM allocation and fault injection (rm_model.hpp);
// the SMCCC calls and message queues (hyp_model.hpp); page ownership in the
// secure world (scm_model.hpp). Part of the KUnit suite armature_gunyah_sim
// (gunyah_sim_test_glue.c) and of the host tests.
#include "kcpp_test.hpp"

#include "hyp_model.hpp"
#include "rm_model.hpp"
#include "scm_model.hpp"
#include <initializer_list>
#include <new>

using namespace armature::gunyah;
using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
using memparcel::AclEntry;
using memparcel::AttrEntry;
using memparcel::SglEntry;
using rpc::RmError;

// Zeroed memory, from the suite's glue (kzalloc) or the host's (calloc).
extern "C" void *gunyah_sim_test_alloc(unsigned long size);
extern "C" void gunyah_sim_test_free(void *p);

namespace {

struct Env {
	static void *alloc(usize n) { return gunyah_sim_test_alloc(n); }
	static void free(void *p) { gunyah_sim_test_free(p); }
};
using Model = sim::RmModel<Env>;

// One T on the heap (the models are too big for a kernel stack).
template <typename T>
struct Heap {
	T *p = nullptr;
	template <typename... Args>
	explicit Heap(Args... args)
	{
		if (void *m = gunyah_sim_test_alloc(sizeof(T)))
			p = new (m) T(args...);
	}
	~Heap()
	{
		if (p) {
			p->~T();
			gunyah_sim_test_free(p);
		}
	}
	Heap(const Heap &) = delete;
	Heap &operator=(const Heap &) = delete;
	T *operator->() const { return p; }
	explicit operator bool() const { return p != nullptr; }
};

constexpr u32 err(RmError e) { return static_cast<u32>(e); }
constexpr u32 unimplemented = 0xffffffff;
constexpr u32 unknown_id = 0x12345678;

struct Reply {
	bool ok = false;  // exactly one reply, echoing msg_id and seq
	rpc::Header h{};
	usize size = 0;   // of the payload
	u8 payload[16] = {};
	u32 error() const { return size >= 4 ? memparcel::get32(payload) : 0xdeadbeef; }
	u32 word(usize i) const { return memparcel::get32(payload + 4 + 4 * i); }
	u16 half(usize i) const { return memparcel::get16(payload + 4 + 2 * i); }
};

// A client of the model: builds requests, sends them fragment by
// fragment, reads the outbox. Assertions stay in the test bodies.
struct Client {
	Heap<Model> rm;
	u16 seq = 0;
	u8 msg[rpc::message_size];
	u8 req[16384];
	SglEntry sgl[1100];

	void send(const u8 *m, usize n, u16 from = sim::vmid_hlos) { rm->receive(m, n, from); }

	void header(rpc::Type type, unsigned frags, u16 s, u32 id, u16 from = sim::vmid_hlos)
	{
		rpc::Header{type, static_cast<u8>(frags), s, id}.encode(msg);
		send(msg, rpc::header_size, from);
	}

	// Fragment f of a request (f = -1: all of them).
	void request(u32 id, u16 s, const u8 *payload, usize len, int only = -1,
		     u16 from = sim::vmid_hlos)
	{
		int cont = rpc::continuations_for(len);
		for (int f = 0; f <= cont; f++) {
			rpc::Header{f ? rpc::Type::continuation : rpc::Type::request,
				    static_cast<u8>(cont), s, id}
				.encode(msg);
			usize off = static_cast<usize>(f) * rpc::fragment_payload;
			usize n = len - off < rpc::fragment_payload ? len - off : rpc::fragment_payload;
			for (usize i = 0; i < n; i++)
				msg[rpc::header_size + i] = payload[off + i];
			if (only < 0 || only == f)
				send(msg, rpc::header_size + n, from);
		}
	}

	Reply take()
	{
		Reply r;
		if (!rm->has_output())
			return r;
		const sim::Message &m = rm->front();
		r.ok = rpc::Header::decode(m.data, r.h);
		r.size = m.size - rpc::header_size;
		for (usize i = 0; i < r.size && i < sizeof(r.payload); i++)
			r.payload[i] = m.data[rpc::header_size + i];
		rm->pop();
		return r;
	}

	Reply call(u32 id, const u8 *payload, usize len, u16 from = sim::vmid_hlos)
	{
		u16 s = ++seq;
		request(id, s, payload, len, -1, from);
		bool one = rm->output_count() == 1;
		Reply r = take();
		r.ok = r.ok && one && r.h.type == rpc::Type::reply && r.h.msg_id == id && r.h.seq == s;
		return r;
	}

	usize share_req(u8 mem_type, u8 flags, const AclEntry *acl, usize n_acl, const SglEntry *s,
			usize n_sgl, const AttrEntry *attr = nullptr, usize n_attr = 0)
	{
		usize n = memparcel::encode_share(req, mem_type, flags, 0x1234, acl, n_acl, s, n_sgl);
		u8 *p = req + n - memparcel::list_header_size;  // the empty ATTR list
		memparcel::put16(p, static_cast<u16>(n_attr));
		p += memparcel::list_header_size;
		for (usize i = 0; i < n_attr; i++, p += 4) {
			memparcel::put16(p, attr[i].attr);
			memparcel::put16(p + 2, attr[i].vmid);
		}
		return static_cast<usize>(p - req);
	}

	// sgl[0, n): n pages from base, stride apart.
	const SglEntry *pages(u64 base, usize n, u64 stride = 0x2000)
	{
		for (usize i = 0; i < n; i++)
			sgl[i] = {base + i * stride, 0x1000};
		return sgl;
	}

	Reply create(u32 id, u8 mem_type, u8 flags, const AclEntry *acl, usize n_acl,
		     const SglEntry *s, usize n_sgl, const AttrEntry *attr = nullptr, usize n_attr = 0)
	{
		return call(id, req, share_req(mem_type, flags, acl, n_acl, s, n_sgl, attr, n_attr));
	}
	Reply lend(u64 addr, u64 size = 0x1000, u16 vmid = 0xff, u8 flags = 0)
	{
		const AclEntry acl[] = {{vmid, 7}};
		const SglEntry s[] = {{addr, size}};
		return create(rpc::mem_lend, 0, flags, acl, 1, s, 1);
	}
	Reply share(u64 addr, u64 size = 0x1000)
	{
		const AclEntry acl[] = {{3, 7}, {0xff, 6}};
		const SglEntry s[] = {{addr, size}};
		return create(rpc::mem_share, 0, 0, acl, 2, s, 1);
	}
	Reply reclaim(u32 handle, u16 from = sim::vmid_hlos)
	{
		memparcel::encode_reclaim(req, handle, 0);
		return call(rpc::mem_reclaim, req, memparcel::reclaim_size, from);
	}
	Reply append(u32 handle, u8 flags, const SglEntry *s, usize n, u16 from = sim::vmid_hlos)
	{
		return call(rpc::mem_append, req, memparcel::encode_append(req, handle, flags, s, n), from);
	}
	Reply vm(u32 id, u16 vmid)
	{
		memparcel::put16(req, vmid);
		memparcel::put16(req + 2, 0);
		return call(id, req, 4);
	}
};

} // namespace

#define CLIENT(c)                                                              \
	Heap<Client> c##_holder;                                               \
	KCPP_ASSERT_TRUE(c##_holder && c##_holder->rm);                       \
	Client &c = *c##_holder.p

// --- Framing ---

KCPP_TEST(gunyah_sim_rm, unknown_msg_id_is_unimplemented)
{
	CLIENT(c);
	Reply r = c.call(unknown_id, nullptr, 0);
	KCPP_EXPECT_TRUE(r.ok);
	KCPP_EXPECT_EQ(r.error(), unimplemented);
	KCPP_EXPECT_EQ(r.size, 4u);
}

KCPP_TEST(gunyah_sim_rm, bad_version_or_header_words_dropped)
{
	CLIENT(c);
	rpc::Header{rpc::Type::request, 0, 1, unknown_id}.encode(c.msg);
	c.msg[0] = 2 << 4 | 2;  // version 2
	c.send(c.msg, rpc::header_size);
	c.msg[0] = 3 << 4 | 1;  // three header words
	c.send(c.msg, rpc::header_size);
	c.send(c.msg, 4);       // shorter than a header
	KCPP_EXPECT_FALSE(c.rm->has_output());
	KCPP_EXPECT_EQ(c.rm->stats().dropped, 3u);
}

KCPP_TEST(gunyah_sim_rm, not_a_request_ignored)
{
	CLIENT(c);
	c.header(rpc::Type::reply, 0, 1, unknown_id);
	c.header(rpc::Type::notification, 0, 2, unknown_id);
	KCPP_EXPECT_FALSE(c.rm->has_output());
	KCPP_EXPECT_EQ(c.rm->stats().ignored, 2u);
}

KCPP_TEST(gunyah_sim_rm, stray_continuation_dropped)
{
	CLIENT(c);
	c.header(rpc::Type::continuation, 1, 1, unknown_id);
	KCPP_EXPECT_FALSE(c.rm->has_output());
	KCPP_EXPECT_EQ(c.rm->stats().dropped, 1u);
	// Continuations that do not match the message in progress: dropped,
	// and the message still completes with its own.
	c.request(unknown_id, 7, c.req, 300, 0);
	c.header(rpc::Type::continuation, 1, 8, unknown_id);      // another seq
	c.header(rpc::Type::continuation, 1, 7, unknown_id + 1);  // another msg_id
	c.header(rpc::Type::continuation, 2, 7, unknown_id);      // another count
	c.header(rpc::Type::continuation, 1, 7, unknown_id, 0x80); // another VM
	KCPP_EXPECT_FALSE(c.rm->has_output());
	KCPP_EXPECT_EQ(c.rm->stats().dropped, 5u);
	c.request(unknown_id, 7, c.req, 300, 1);
	Reply r = c.take();
	KCPP_EXPECT_EQ(r.h.seq, 7);
	KCPP_EXPECT_EQ(r.error(), unimplemented);
}

KCPP_TEST(gunyah_sim_rm, fragment_counts)
{
	CLIENT(c);
	// 62 continuations: reassembled and answered, after the last only.
	for (int f = 0; f < 63; f++) {
		KCPP_EXPECT_FALSE(c.rm->has_output());
		c.request(unknown_id, 3, c.req, rpc::max_payload, f);
	}
	KCPP_EXPECT_EQ(c.take().h.seq, 3);
	// 63 announced: the first fragment and its continuations are dropped.
	c.header(rpc::Type::request, 63, 4, unknown_id);
	for (int i = 0; i < 63; i++)
		c.header(rpc::Type::continuation, 63, 4, unknown_id);
	KCPP_EXPECT_FALSE(c.rm->has_output());
	KCPP_EXPECT_EQ(c.rm->stats().dropped, 64u);
}

KCPP_TEST(gunyah_sim_rm, payload_boundaries)
{
	CLIENT(c);
	for (usize n : {usize(0), usize(232), usize(233), usize(464), usize(465)}) {
		KCPP_EXPECT_EQ(rpc::continuations_for(n), n <= 232 ? 0 : n <= 464 ? 1 : 2);
		Reply r = c.call(unknown_id, c.req, n);
		KCPP_EXPECT_TRUE(r.ok);
		KCPP_EXPECT_EQ(r.error(), unimplemented);
	}
}

KCPP_TEST(gunyah_sim_rm, new_first_fragment_discards_partial)
{
	CLIENT(c);
	c.request(unknown_id, 1, c.req, 500, 0);
	c.request(unknown_id, 1, c.req, 500, 1);
	KCPP_EXPECT_TRUE(c.rm->partial());
	Reply r = c.call(0x22222222, nullptr, 0);
	KCPP_EXPECT_TRUE(r.ok);
	KCPP_EXPECT_EQ(c.rm->stats().discarded_partials, 1u);
	c.request(unknown_id, 1, c.req, 500, 2);  // now stray
	KCPP_EXPECT_FALSE(c.rm->has_output());
	// A first fragment that is then ignored discards it too.
	c.request(unknown_id, 1, c.req, 500, 0);
	c.header(rpc::Type::notification, 0, 9, 1);
	KCPP_EXPECT_FALSE(c.rm->partial());
}

// --- Memory parcels ---

KCPP_TEST(gunyah_sim_rm, lend_share_reclaim_and_handles)
{
	CLIENT(c);
	Reply a = c.lend(0x10000);
	KCPP_ASSERT_EQ(a.error(), 0u);
	KCPP_EXPECT_EQ(a.word(0), 0u);
	Reply b = c.share(0x20000, 0x3000);
	KCPP_ASSERT_EQ(b.error(), 0u);
	KCPP_EXPECT_EQ(b.word(0), 1u);
	KCPP_EXPECT_EQ(c.rm->lent_bytes(), 0x1000u);
	KCPP_EXPECT_EQ(c.rm->shared_bytes(), 0x3000u);
	KCPP_EXPECT_TRUE(c.rm->in_parcel(0x21000, 0x1000));
	KCPP_EXPECT_FALSE(c.rm->in_parcel(0x11000, 0x1000));
	KCPP_EXPECT_EQ(c.reclaim(0).error(), 0u);
	KCPP_EXPECT_EQ(c.reclaim(0).error(), err(RmError::handle_invalid));
	KCPP_EXPECT_EQ(c.reclaim(1).error(), 0u);
	KCPP_EXPECT_EQ(c.rm->parcel_count(), 0u);
	KCPP_EXPECT_EQ(c.rm->lent_bytes() + c.rm->shared_bytes(), 0u);
	KCPP_EXPECT_EQ(c.lend(0x10000).word(0), 2u);
}

KCPP_TEST(gunyah_sim_rm, short_or_trailing_is_msg_invalid)
{
	CLIENT(c);
	const AclEntry acl[] = {{0xff, 7}};
	const SglEntry s[] = {{0x1000, 0x1000}};
	usize n = c.share_req(0, 0, acl, 1, s, 1);
	c.req[n] = 0;
	KCPP_EXPECT_EQ(c.call(rpc::mem_lend, c.req, n + 1).error(), err(RmError::msg_invalid));
	n = c.share_req(0, 0, acl, 1, s, 1);
	KCPP_EXPECT_EQ(c.call(rpc::mem_lend, c.req, n - 10).error(), err(RmError::msg_invalid));
	KCPP_EXPECT_EQ(c.call(rpc::mem_lend, c.req, 6).error(), err(RmError::msg_invalid));
	// The ATTR list may be absent; nothing before used a handle.
	n = c.share_req(0, 0, acl, 1, s, 1);
	Reply r = c.call(rpc::mem_lend, c.req, n - 4);
	KCPP_EXPECT_EQ(r.error(), 0u);
	KCPP_EXPECT_EQ(r.word(0), 0u);
}

KCPP_TEST(gunyah_sim_rm, list_limits)
{
	CLIENT(c);
	const AclEntry acl[] = {{0xff, 7}};
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, c.pages(0x100000, 512), 512).error(), 0u);
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, c.pages(0x10000000, 513), 513).error(),
		       err(RmError::msg_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, c.sgl, 0).error(),
		       err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 0, c.pages(0x20000000, 1), 1).error(),
		       err(RmError::argument_invalid));
}

KCPP_TEST(gunyah_sim_rm, sixty_four_parcels)
{
	CLIENT(c);
	for (unsigned i = 0; i < 64; i++)
		KCPP_ASSERT_EQ(c.lend(0x100000 + i * 0x1000).error(), 0u);
	KCPP_EXPECT_EQ(c.lend(0x200000).error(), err(RmError::no_resources));
	KCPP_EXPECT_EQ(c.reclaim(5).error(), 0u);
	KCPP_EXPECT_EQ(c.lend(0x200000).error(), 0u);
}

KCPP_TEST(gunyah_sim_rm, rights)
{
	CLIENT(c);
	for (u8 r = 0; r < 9; r++) {
		const AclEntry acl[] = {{0xff, r}};
		const SglEntry s[] = {{0x100000ull * (r + 1), 0x1000}};
		KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, s, 1).error(),
			       r >= 4 && r <= 7 ? 0u : err(RmError::argument_invalid));
	}
}

KCPP_TEST(gunyah_sim_rm, acl_rules)
{
	CLIENT(c);
	const SglEntry *s = c.pages(0x1000, 1);
	const AclEntry dup[] = {{3, 7}, {0xff, 4}, {0xff, 6}};
	KCPP_EXPECT_EQ(c.create(rpc::mem_share, 0, 0, dup, 3, s, 1).error(), err(RmError::argument_invalid));
	// SHARE must include the owner, LEND must not.
	const AclEntry other[] = {{0xff, 7}};
	const AclEntry owner[] = {{3, 7}, {0xff, 7}};
	KCPP_EXPECT_EQ(c.create(rpc::mem_share, 0, 0, other, 1, s, 1).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, owner, 1, s, 1).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, owner, 2, s, 1).error(), err(RmError::argument_invalid));
	// A dynamic VMID only once allocated; others never.
	KCPP_EXPECT_EQ(c.lend(0x1000, 0x1000, 0x80).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.lend(0x1000, 0x1000, 0x45).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.lend(0x1000, 0x1000, 0xc0).error(), err(RmError::argument_invalid));
	KCPP_ASSERT_EQ(c.vm(rpc::vm_alloc_vmid, 0x80).error(), 0u);
	Reply r = c.lend(0x1000, 0x1000, 0x80);
	KCPP_EXPECT_EQ(r.error(), 0u);
	// Each failure after the list checks used up a handle, as in the RM.
	KCPP_EXPECT_EQ(r.word(0), 7u);
}

KCPP_TEST(gunyah_sim_rm, io_memory)
{
	CLIENT(c);
	const SglEntry *s = c.pages(0x1000, 1);
	const AclEntry rwx[] = {{0xff, 7}};
	const AclEntry rw[] = {{0xff, 6}};
	const AttrEntry normal[] = {{sim::attr_normal, 0xff}};
	const AttrEntry device[] = {{sim::attr_device, 0xff}};
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 1, 0, rwx, 1, s, 1).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 1, memparcel::flag_sanitize, rw, 1, s, 1).error(),
		       err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 1, 0, rw, 1, s, 1, normal, 1).error(),
		       err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 1, 0, rw, 1, s, 1, device, 1).error(), 0u);
	// Sanitized normal memory is fine.
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, memparcel::flag_sanitize, rwx, 1, c.pages(0x8000, 1), 1).error(),
		       0u);
}

KCPP_TEST(gunyah_sim_rm, attributes)
{
	CLIENT(c);
	const SglEntry *s = c.pages(0x1000, 1);
	const AclEntry acl[] = {{0xff, 7}};
	const AttrEntry unknown[] = {{9, 0xff}};
	const AttrEntry dup[] = {{0, 0xff}, {2, 0xff}};
	const AttrEntry stranger[] = {{0, 3}};
	const AttrEntry fine[] = {{3, 0xff}};
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, s, 1, unknown, 1).error(),
		       err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, s, 1, dup, 2).error(),
		       err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, s, 1, stranger, 1).error(),
		       err(RmError::vmid_invalid));
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, s, 1, fine, 1).error(), 0u);
}

KCPP_TEST(gunyah_sim_rm, sgl_ranges_and_overlap)
{
	CLIENT(c);
	KCPP_EXPECT_EQ(c.lend(0x1800).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.lend(0x1000, 0x800).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.lend(0x1000, 0).error(), err(RmError::argument_invalid));
	KCPP_EXPECT_EQ(c.lend(0xfffffffffffff000ull, 0x2000).error(), err(RmError::argument_invalid));
	KCPP_ASSERT_EQ(c.lend(0x10000, 0x4000).error(), 0u);
	// Lent memory is no longer the owner's: neither lent nor shared again.
	KCPP_EXPECT_EQ(c.lend(0x12000).error(), err(RmError::mem_inuse));
	KCPP_EXPECT_EQ(c.share(0xf000, 0x2000).error(), err(RmError::mem_inuse));
	// Overlap inside one request.
	const AclEntry acl[] = {{0xff, 7}};
	const SglEntry s[] = {{0x40000, 0x2000}, {0x41000, 0x1000}};
	KCPP_EXPECT_EQ(c.create(rpc::mem_lend, 0, 0, acl, 1, s, 2).error(), err(RmError::mem_inuse));
	KCPP_EXPECT_EQ(c.rm->parcel_count(), 1u);
}

KCPP_TEST(gunyah_sim_rm, append_only_while_open_and_by_owner)
{
	CLIENT(c);
	// 1025 entries: 512, then 512, then 1 with END.
	const AclEntry acl[] = {{0xff, 7}};
	c.pages(0x1000000, 1025);
	Reply r = c.create(rpc::mem_lend, 0, memparcel::flag_append, acl, 1, c.sgl, 512);
	KCPP_ASSERT_EQ(r.error(), 0u);
	const u32 h = r.word(0);
	KCPP_EXPECT_TRUE(c.rm->parcel(h)->open);
	KCPP_EXPECT_EQ(c.append(h, 0, c.sgl, 1).error(), err(RmError::mem_inuse));
	KCPP_EXPECT_EQ(c.append(h, 0, c.sgl, 0).error(), err(RmError::argument_invalid));
	const SglEntry elsewhere[] = {{0x1000, 0x1000}};
	KCPP_EXPECT_EQ(c.append(h + 1, 0, elsewhere, 1).error(), err(RmError::handle_invalid));
	KCPP_EXPECT_EQ(c.append(h, 0, elsewhere, 1, 0x80).error(), err(RmError::denied));
	KCPP_EXPECT_EQ(c.append(h, 0, c.sgl + 512, 512).error(), 0u);
	KCPP_EXPECT_EQ(c.append(h, memparcel::flag_end, c.sgl + 1024, 1).error(), 0u);
	KCPP_EXPECT_FALSE(c.rm->parcel(h)->open);
	KCPP_EXPECT_EQ(c.rm->parcel(h)->n_sgl, 1025u);
	KCPP_EXPECT_EQ(c.rm->lent_bytes(), 1025u * 0x1000);
	KCPP_EXPECT_EQ(c.append(h, memparcel::flag_end, elsewhere, 1).error(), err(RmError::denied));
	// Created without APPEND: never open.
	Reply closed = c.lend(0x2000);
	const SglEntry more[] = {{0x4000, 0x1000}};
	KCPP_EXPECT_EQ(c.append(closed.word(0), 0, more, 1).error(), err(RmError::denied));
	// A trailing byte; 513 entries.
	usize n = memparcel::encode_append(c.req, h, 0, more, 1);
	c.req[n] = 0;
	KCPP_EXPECT_EQ(c.call(rpc::mem_append, c.req, n + 1).error(), err(RmError::msg_invalid));
	Reply open = c.create(rpc::mem_lend, 0, memparcel::flag_append, acl, 1, c.pages(0x8000000, 1), 1);
	KCPP_EXPECT_EQ(c.append(open.word(0), 0, c.pages(0x9000000, 513), 513).error(),
		       err(RmError::msg_invalid));
	// An open parcel can be reclaimed (the client's rollback).
	KCPP_EXPECT_EQ(c.reclaim(open.word(0)).error(), 0u);
	KCPP_EXPECT_EQ(c.reclaim(h).error(), 0u);
	KCPP_EXPECT_EQ(c.rm->lent_bytes(), 0x1000u);
}

KCPP_TEST(gunyah_sim_rm, reclaim_rules)
{
	CLIENT(c);
	const u32 h = c.lend(0x1000).word(0);
	KCPP_EXPECT_EQ(c.reclaim(h, 0x80).error(), err(RmError::denied));
	KCPP_EXPECT_TRUE(c.rm->set_accepted(h, true));
	KCPP_EXPECT_EQ(c.reclaim(h).error(), err(RmError::mem_inuse));
	KCPP_EXPECT_TRUE(c.rm->set_accepted(h, false));
	memparcel::encode_reclaim(c.req, h, 0);
	KCPP_EXPECT_EQ(c.call(rpc::mem_reclaim, c.req, 9).error(), err(RmError::msg_invalid));
	KCPP_EXPECT_EQ(c.reclaim(h).error(), 0u);
}

// --- VMIDs ---

KCPP_TEST(gunyah_sim_rm, vm_allocate)
{
	CLIENT(c);
	Reply r = c.vm(rpc::vm_alloc_vmid, 0);
	KCPP_ASSERT_EQ(r.error(), 0u);
	KCPP_EXPECT_EQ(r.half(0), 0x80);
	KCPP_EXPECT_EQ(r.size, 8u);
	KCPP_EXPECT_EQ(c.vm(rpc::vm_alloc_vmid, 0x80).error(), err(RmError::vmid_invalid));
	KCPP_EXPECT_EQ(c.vm(rpc::vm_alloc_vmid, 0x7f).error(), err(RmError::vmid_invalid));
	KCPP_EXPECT_EQ(c.vm(rpc::vm_alloc_vmid, 0xc0).error(), err(RmError::vmid_invalid));
	KCPP_EXPECT_EQ(c.vm(rpc::vm_alloc_vmid, 0xbf).half(0), 0xbf);
	for (int i = 0; i < 62; i++)
		KCPP_ASSERT_EQ(c.vm(rpc::vm_alloc_vmid, 0).error(), 0u);
	KCPP_EXPECT_EQ(c.vm(rpc::vm_alloc_vmid, 0).error(), err(RmError::no_resources));
	KCPP_EXPECT_EQ(c.call(rpc::vm_alloc_vmid, c.req, 2).error(), err(RmError::msg_invalid));
	KCPP_EXPECT_EQ(c.vm(rpc::vm_dealloc_vmid, 0x90).error(), 0u);
	KCPP_EXPECT_EQ(c.vm(rpc::vm_dealloc_vmid, 0x90).error(), err(RmError::vmid_invalid));
	KCPP_EXPECT_EQ(c.vm(rpc::vm_alloc_vmid, 0).half(0), 0x90);
}

// --- Fault injection ---

KCPP_TEST(gunyah_sim_rm, faults)
{
	CLIENT(c);
	const AclEntry acl[] = {{0xff, 7}};
	c.rm->faults.drop_next = 1;
	c.request(rpc::mem_lend, 1, c.req, c.share_req(0, 0, acl, 1, c.pages(0x1000, 1), 1));
	KCPP_EXPECT_FALSE(c.rm->has_output());
	KCPP_EXPECT_EQ(c.rm->parcel_count(), 0u);  // lost, not done

	c.rm->faults.error_next = err(RmError::busy);
	KCPP_EXPECT_EQ(c.lend(0x1000).error(), err(RmError::busy));
	KCPP_EXPECT_EQ(c.rm->parcel_count(), 0u);

	c.rm->faults.fail_msg_id = rpc::mem_lend;
	c.rm->faults.fail_nth = 2;
	c.rm->faults.fail_error = err(RmError::mem_invalid);
	KCPP_EXPECT_EQ(c.reclaim(9).error(), err(RmError::handle_invalid));  // not counted
	KCPP_EXPECT_EQ(c.lend(0x1000).error(), 0u);
	KCPP_EXPECT_EQ(c.lend(0x2000).error(), err(RmError::mem_invalid));
	KCPP_EXPECT_EQ(c.lend(0x3000).error(), 0u);

	// Malformed: cut in its rm_error, and not carried out.
	c.rm->faults.malformed_next = 1;
	Reply m = c.lend(0x100000);
	KCPP_EXPECT_EQ(m.size, 2u);
	KCPP_EXPECT_EQ(c.rm->parcel_count(), 2u);

	c.rm->faults.duplicate_next = 1;
	c.request(unknown_id, 77, nullptr, 0);
	KCPP_ASSERT_EQ(c.rm->output_count(), 2u);
	KCPP_EXPECT_EQ(c.take().h.seq, 77);
	KCPP_EXPECT_EQ(c.take().h.seq, 77);

	KCPP_EXPECT_TRUE(c.rm->notify(0x5600ffff));
	Reply n = c.take();
	KCPP_EXPECT_TRUE(n.h.type == rpc::Type::notification);
	KCPP_EXPECT_EQ(n.h.msg_id, 0x5600ffffu);
}

// --- The hypervisor: SMCCC calls and message queues ---

namespace {

// Test "physical addresses" are the buffers' own; below 0x1000 is not memory.
struct TestPlatform {
	static u8 *map(u64 phys, usize) { return phys < 0x1000 ? nullptr : reinterpret_cast<u8 *>(phys); }
};
using Hyp = sim::Transport<TestPlatform, sim::Message>;
constexpr u64 tx = 0x21, rx = 0x22;

struct Call {
	unsigned long res[4];
	bool wake;
};

Call hvc(Hyp &h, unsigned long a0, unsigned long a1 = 0, unsigned long a2 = 0,
	 unsigned long a3 = 0, unsigned long a4 = 0)
{
	const unsigned long args[8] = {a0, a1, a2, a3, a4, 0, 0, 0};
	Call c;
	c.wake = h.call(args, c.res).rm_wake;
	return c;
}

unsigned long addr(const void *p) { return reinterpret_cast<unsigned long>(p); }

} // namespace

KCPP_TEST(gunyah_sim_hyp, identification)
{
	Heap<Hyp> plain_h(tx, rx, false), qcom_h(tx, rx, true);
	KCPP_ASSERT_TRUE(plain_h && qcom_h);
	Hyp &plain = *plain_h.p, &qcom = *qcom_h.p;
	for (Hyp *h : {&plain, &qcom}) {
		Call c = hvc(*h, 0x8600ff01);
		KCPP_EXPECT_EQ(c.res[0], 0xcd8fd5c1ul);
		KCPP_EXPECT_EQ(c.res[1], 0xdb5f53a4ul);
		KCPP_EXPECT_EQ(c.res[2], 0x36ce6592ul);
		KCPP_EXPECT_EQ(c.res[3], 0x145f3d67ul);
	}
	KCPP_EXPECT_EQ(hvc(plain, 0x86003f01).res[0], ~0ul);
	Call q = hvc(qcom, 0x86003f01);
	KCPP_EXPECT_EQ(q.res[0], 0xbd54bd19ul);
	KCPP_EXPECT_EQ(q.res[1], 0x1b57370bul);
	KCPP_EXPECT_EQ(q.res[2], 0x9b606f94ul);
	KCPP_EXPECT_EQ(q.res[3], 0xe69d5354ul);
	Call id = hvc(plain, 0xc6008000);
	KCPP_EXPECT_EQ(id.res[0] & 0x3fff, 1ul);
	KCPP_EXPECT_EQ(id.res[0] >> 15 & 1, 1ul);
	KCPP_EXPECT_EQ(id.res[1] >> 2 & 1, 1ul);  // message queues
	// The SMC32 forms of the 64-bit calls, and anything else, are unknown.
	for (unsigned long fn : {0x86008000ul, 0x8600801bul, 0x8600801cul, 0xc600801dul, 0x84000000ul})
		KCPP_EXPECT_EQ(hvc(plain, fn).res[0], ~0ul);
}

KCPP_TEST(gunyah_sim_hyp, send_queue)
{
	Heap<Hyp> hh(tx, rx, false);
	KCPP_ASSERT_TRUE(hh.p != nullptr);
	Hyp &h = *hh.p;
	u8 buf[241] = {1, 2, 3};
	KCPP_EXPECT_EQ(hvc(h, 0xc600801b, 0x99, 8, addr(buf), 1).res[0], 50ul);
	KCPP_EXPECT_EQ(hvc(h, 0xc600801b, rx, 8, addr(buf), 1).res[0], 53ul);
	KCPP_EXPECT_EQ(hvc(h, 0xc600801b, tx, 241, addr(buf), 1).res[0], 2ul);
	KCPP_EXPECT_EQ(hvc(h, 0xc600801b, tx, 8, 0x10, 1).res[0], 22ul);
	for (unsigned i = 0; i < 8; i++) {
		Call c = hvc(h, 0xc600801b, tx, 8 + i, addr(buf), 1);
		KCPP_EXPECT_EQ(c.res[0], 0ul);
		KCPP_EXPECT_EQ(c.res[1], i < 7 ? 1ul : 0ul);
		KCPP_EXPECT_TRUE(c.wake);
	}
	// FULL comes before the size is looked at.
	KCPP_EXPECT_EQ(hvc(h, 0xc600801b, tx, 241, addr(buf), 1).res[0], 61ul);
	sim::Message m;
	bool raise_tx = false;
	KCPP_ASSERT_TRUE(h.rm_take(m, raise_tx));
	KCPP_EXPECT_EQ(m.size, 8);
	KCPP_EXPECT_EQ(m.data[2], 3);
	KCPP_EXPECT_TRUE(raise_tx);  // 8 -> 7: not full again
	KCPP_ASSERT_TRUE(h.rm_take(m, raise_tx));
	KCPP_EXPECT_FALSE(raise_tx);
	KCPP_EXPECT_EQ(m.size, 9);
}

KCPP_TEST(gunyah_sim_hyp, receive_queue)
{
	Heap<Hyp> hh(tx, rx, false);
	KCPP_ASSERT_TRUE(hh.p != nullptr);
	Hyp &h = *hh.p;
	u8 buf[240];
	Call e = hvc(h, 0xc600801c, rx, addr(buf), sizeof(buf));
	KCPP_EXPECT_EQ(e.res[0], 60ul);
	KCPP_EXPECT_EQ(e.res[2], 0ul);
	KCPP_EXPECT_EQ(hvc(h, 0xc600801c, tx, addr(buf), sizeof(buf)).res[0], 53ul);
	sim::Message m{};
	m.size = 100;
	m.data[99] = 0x5a;
	for (int i = 0; i < 8; i++)
		KCPP_EXPECT_TRUE(h.rm_send(m));
	KCPP_EXPECT_FALSE(h.rm_send(m));
	// A buffer too small: the message stays.
	KCPP_EXPECT_EQ(hvc(h, 0xc600801c, rx, addr(buf), 99).res[0], 2ul);
	KCPP_EXPECT_EQ(h.rx_count(), 8u);
	for (unsigned i = 0; i < 8; i++) {
		Call c = hvc(h, 0xc600801c, rx, addr(buf), sizeof(buf));
		KCPP_EXPECT_EQ(c.res[0], 0ul);
		KCPP_EXPECT_EQ(c.res[1], 100ul);
		KCPP_EXPECT_EQ(c.res[2], i < 7 ? 1ul : 0ul);
		KCPP_EXPECT_EQ(buf[99], 0x5a);
	}
}

// --- The secure world ---

namespace {
using Scm = sim::ScmModel<Env>;
constexpr u64 hlos = u64{1} << 3;
} // namespace

KCPP_TEST(gunyah_sim_scm, ownership)
{
	Heap<Scm> scm;
	KCPP_ASSERT_TRUE(scm.p != nullptr);
	const gunyah_qcom_vmperm to_vm[] = {{0x3a, 7}, {3, 6}};
	const gunyah_qcom_vmperm back[] = {{3, 7}};
	u64 src = hlos;
	KCPP_ASSERT_EQ(scm->assign(0x40000000, 0x3000, &src, to_vm, 2), 0);
	KCPP_EXPECT_EQ(src, (u64{1} << 0x3a) | hlos);
	KCPP_EXPECT_EQ(scm->count(), 3u);
	KCPP_EXPECT_EQ(scm->owners_of(0x40001), src);
	KCPP_EXPECT_EQ(scm->owners_of(0x40003), hlos);
	// Refused, changing nothing: a source that is not the owners, a range
	// partly someone else's, unaligned, no destination.
	u64 wrong = hlos;
	KCPP_EXPECT_EQ(scm->assign(0x40000000, 0x1000, &wrong, back, 1), -EINVAL);
	KCPP_EXPECT_EQ(wrong, hlos);
	u64 owners = src;
	KCPP_EXPECT_EQ(scm->assign(0x40002000, 0x2000, &owners, back, 1), -EINVAL);
	KCPP_EXPECT_EQ(scm->count(), 3u);
	KCPP_EXPECT_EQ(scm->assign(0x40000800, 0x1000, &owners, back, 1), -EINVAL);
	KCPP_EXPECT_EQ(scm->assign(0x40000000, 0x1000, &owners, back, 0), -EINVAL);
	KCPP_EXPECT_EQ(scm->stats().refused, 4ul);
	// Back to HLOS: no longer recorded.
	KCPP_ASSERT_EQ(scm->assign(0x40000000, 0x3000, &owners, back, 1), 0);
	KCPP_EXPECT_EQ(owners, hlos);
	KCPP_EXPECT_EQ(scm->count(), 0u);
}

KCPP_TEST(gunyah_sim_scm, fail_nth)
{
	Heap<Scm> scm;
	KCPP_ASSERT_TRUE(scm.p != nullptr);
	const gunyah_qcom_vmperm to_vm[] = {{0x3a, 7}};
	scm->fail_nth = 2;
	u64 src = hlos;
	KCPP_EXPECT_EQ(scm->assign(0x1000, 0x1000, &src, to_vm, 1), 0);
	src = hlos;
	KCPP_EXPECT_EQ(scm->assign(0x2000, 0x1000, &src, to_vm, 1), -EIO);
	KCPP_EXPECT_EQ(src, hlos);
	KCPP_EXPECT_EQ(scm->owners_of(2), hlos);
	KCPP_EXPECT_EQ(scm->assign(0x2000, 0x1000, &src, to_vm, 1), 0);
	KCPP_EXPECT_EQ(scm->count(), 2u);
	KCPP_EXPECT_EQ(scm->stats().injected, 1ul);
	// Pages assigned in any order stay sorted.
	for (u64 p = 200; p > 100; p--) {
		u64 s = hlos;
		KCPP_ASSERT_EQ(scm->assign(p * 0x1000, 0x1000, &s, to_vm, 1), 0);
	}
	for (usize i = 1; i < scm->count(); i++)
		KCPP_EXPECT_TRUE(scm->at(i - 1).pfn < scm->at(i).pfn);
}
