// SPDX-License-Identifier: GPL-2.0
// Host-only: the simulated Gunyah resource manager (tests/modules/gunyah_sim/
// rm_model.hpp) against the rules of ../shared/GUNYAH-RM.md: framing, silent
// drops, replies, every memory-parcel check, VM allocation, fault injection.
#include <gtest/gtest.h>
#include "rm_model.hpp"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace {

using namespace armature::gunyah;
using sim::RmError;

struct HeapEnv {
	static void *alloc(size_t n) { return std::malloc(n); }
	static void free(void *p) { std::free(p); }
};
using Model = sim::RmModel<HeapEnv>;

using Bytes = std::vector<uint8_t>;

Bytes header(rpc::Type type, unsigned fragments, uint16_t seq, uint32_t msg_id)
{
	Bytes m(rpc::header_size);
	rpc::Header{type, static_cast<uint8_t>(fragments), seq, msg_id}.encode(m.data());
	return m;
}

// A request split into fragments as a client sends it.
std::vector<Bytes> fragments(uint32_t msg_id, uint16_t seq, const Bytes &payload)
{
	int cont = rpc::continuations_for(payload.size());
	std::vector<Bytes> out;
	for (int f = 0; f <= cont; f++) {
		Bytes m = header(f ? rpc::Type::continuation : rpc::Type::request, cont, seq, msg_id);
		size_t off = f * rpc::fragment_payload;
		size_t n = std::min(payload.size() - off, rpc::fragment_payload);
		m.insert(m.end(), payload.begin() + off, payload.begin() + off + n);
		out.push_back(m);
	}
	return out;
}

struct Reply {
	rpc::Header h;
	Bytes payload;
	uint32_t error() const { return payload.size() >= 4 ? memparcel::get32(payload.data()) : ~0u - 1; }
	uint32_t word(size_t i) const { return memparcel::get32(payload.data() + 4 + 4 * i); }
};

class RmModelTest : public ::testing::Test {
protected:
	void SetUp() override { rm = std::make_unique<Model>(); }

	void send(const Bytes &m, uint16_t from = sim::vmid_hlos) { rm->receive(m.data(), m.size(), from); }

	// Sends a request and returns its one reply (the outbox must then be empty).
	Reply call(uint32_t msg_id, const Bytes &payload, uint16_t from = sim::vmid_hlos)
	{
		uint16_t seq = ++seq_;
		for (const Bytes &m : fragments(msg_id, seq, payload))
			send(m, from);
		EXPECT_EQ(rm->output_count(), 1u);
		Reply r = take();
		EXPECT_EQ(r.h.type, rpc::Type::reply);
		EXPECT_EQ(r.h.msg_id, msg_id);
		EXPECT_EQ(r.h.seq, seq);
		return r;
	}

	Reply take()
	{
		Reply r{};
		if (!rm->has_output()) {
			ADD_FAILURE() << "no reply";
			return r;
		}
		const sim::Message &m = rm->front();
		EXPECT_TRUE(rpc::Header::decode(m.data, r.h));
		r.payload.assign(m.data + rpc::header_size, m.data + m.size);
		rm->pop();
		return r;
	}

	static Bytes share_req(uint8_t mem_type, uint8_t flags, std::vector<memparcel::AclEntry> acl,
			       std::vector<memparcel::SglEntry> sgl,
			       std::vector<memparcel::AttrEntry> attr = {})
	{
		Bytes b(memparcel::share_size(acl.size(), sgl.size(), attr.size()));
		size_t n = memparcel::encode_share(b.data(), mem_type, flags, 0x1234, acl.data(),
						   acl.size(), sgl.data(), sgl.size());
		// encode_share writes an empty ATTR list: rewrite it.
		uint8_t *p = b.data() + n - memparcel::list_header_size;
		memparcel::put16(p, static_cast<uint16_t>(attr.size()));
		p += memparcel::list_header_size;
		for (auto &a : attr) {
			memparcel::put16(p, a.attr);
			memparcel::put16(p + 2, a.vmid);
			p += 4;
		}
		return b;
	}

	static std::vector<memparcel::SglEntry> pages(uint64_t base, size_t n, uint64_t stride = 0x2000)
	{
		std::vector<memparcel::SglEntry> v;
		for (size_t i = 0; i < n; i++)
			v.push_back({base + i * stride, 0x1000});
		return v;
	}

	Reply lend(uint64_t addr, uint64_t size = 0x1000, uint16_t vmid = 0xff, uint8_t flags = 0)
	{
		return call(rpc::mem_lend, share_req(0, flags, {{vmid, 7}}, {{addr, size}}));
	}
	Reply share(uint64_t addr, uint64_t size = 0x1000)
	{
		return call(rpc::mem_share, share_req(0, 0, {{3, 7}, {0xff, 6}}, {{addr, size}}));
	}
	Reply reclaim(uint32_t handle, uint16_t from = sim::vmid_hlos)
	{
		Bytes b(memparcel::reclaim_size);
		memparcel::encode_reclaim(b.data(), handle, 0);
		return call(rpc::mem_reclaim, b, from);
	}
	Reply append(uint32_t handle, uint8_t flags, std::vector<memparcel::SglEntry> sgl,
		     uint16_t from = sim::vmid_hlos)
	{
		Bytes b(memparcel::append_size(sgl.size()));
		memparcel::encode_append(b.data(), handle, flags, sgl.data(), sgl.size());
		return call(rpc::mem_append, b, from);
	}
	Reply alloc_vmid(uint16_t vmid)
	{
		Bytes b(4);
		memparcel::put16(b.data(), vmid);
		return call(rpc::vm_alloc_vmid, b);
	}

	std::unique_ptr<Model> rm;
	uint16_t seq_ = 0;
};

constexpr uint32_t err(RmError e) { return static_cast<uint32_t>(e); }

// --- Framing ---

TEST_F(RmModelTest, UnknownMsgIdIsUnimplemented)
{
	Reply r = call(0x12345678, {});
	EXPECT_EQ(r.error(), 0xffffffffu);
	EXPECT_EQ(r.payload.size(), 4u);
}

TEST_F(RmModelTest, BadVersionOrHeaderWordsDropped)
{
	Bytes m = header(rpc::Type::request, 0, 1, 0x12345678);
	m[0] = 2 << 4 | 2;  // version 2
	send(m);
	m[0] = 3 << 4 | 1;  // three header words
	send(m);
	Bytes shorty(4, 0);
	send(shorty);
	EXPECT_FALSE(rm->has_output());
	EXPECT_EQ(rm->stats().dropped, 3u);
}

TEST_F(RmModelTest, NotARequestIgnored)
{
	send(header(rpc::Type::reply, 0, 1, 0x12345678));
	send(header(rpc::Type::notification, 0, 2, 0x12345678));
	EXPECT_FALSE(rm->has_output());
	EXPECT_EQ(rm->stats().ignored, 2u);
}

TEST_F(RmModelTest, StrayContinuationDropped)
{
	send(header(rpc::Type::continuation, 1, 1, 0x12345678));
	EXPECT_FALSE(rm->has_output());
	EXPECT_EQ(rm->stats().dropped, 1u);
	// One that does not match the message in progress: dropped, and the
	// message still completes with its own continuation.
	auto frags = fragments(0x12345678, 7, Bytes(300, 0xaa));
	ASSERT_EQ(frags.size(), 2u);
	send(frags[0]);
	send(header(rpc::Type::continuation, 1, 8, 0x12345678));  // other seq
	send(header(rpc::Type::continuation, 1, 7, 0x12345679));  // other msg_id
	send(header(rpc::Type::continuation, 2, 7, 0x12345678));  // other count
	EXPECT_FALSE(rm->has_output());
	send(frags[1]);
	Reply r = take();
	EXPECT_EQ(r.h.seq, 7);
	EXPECT_EQ(r.error(), 0xffffffffu);
}

TEST_F(RmModelTest, FragmentCounts)
{
	// 62 continuations: reassembled and answered; 63: dropped.
	Bytes big(rpc::max_payload, 1);
	auto frags = fragments(0x12345678, 3, big);
	ASSERT_EQ(frags.size(), 63u);
	for (auto &m : frags) {
		EXPECT_FALSE(rm->has_output());
		send(m);
	}
	EXPECT_EQ(take().h.seq, 3);
	Bytes m = header(rpc::Type::request, 63, 4, 0x12345678);
	send(m);
	for (int i = 0; i < 63; i++)
		send(header(rpc::Type::continuation, 63, 4, 0x12345678));
	EXPECT_FALSE(rm->has_output());
	EXPECT_EQ(rm->stats().dropped, 64u);
}

TEST_F(RmModelTest, NewFirstFragmentDiscardsPartial)
{
	auto frags = fragments(0x12345678, 1, Bytes(500, 2));
	ASSERT_EQ(frags.size(), 3u);
	send(frags[0]);
	send(frags[1]);
	EXPECT_TRUE(rm->partial());
	Reply r = call(0x22222222, {});
	EXPECT_EQ(r.h.msg_id, 0x22222222u);
	EXPECT_EQ(rm->stats().discarded_partials, 1u);
	send(frags[2]);  // now stray
	EXPECT_FALSE(rm->has_output());
	// Even a first fragment that is ignored discards it.
	send(frags[0]);
	send(header(rpc::Type::notification, 0, 9, 1));
	EXPECT_FALSE(rm->partial());
}

TEST_F(RmModelTest, PayloadBoundaries)
{
	for (size_t n : {size_t(0), size_t(232), size_t(233), size_t(464), size_t(465)}) {
		auto frags = fragments(0x12345678, 5, Bytes(n, 3));
		EXPECT_EQ(frags.size(), n <= 232 ? 1u : n <= 464 ? 2u : 3u);
		for (auto &m : frags)
			send(m);
		EXPECT_EQ(take().error(), 0xffffffffu) << n;
	}
}

// --- Memory parcels ---

TEST_F(RmModelTest, LendShareReclaimAndHandles)
{
	Reply a = lend(0x10000);
	ASSERT_EQ(a.error(), 0u);
	EXPECT_EQ(a.word(0), 0u);
	Reply b = share(0x20000, 0x3000);
	ASSERT_EQ(b.error(), 0u);
	EXPECT_EQ(b.word(0), 1u);
	EXPECT_EQ(rm->lent_bytes(), 0x1000u);
	EXPECT_EQ(rm->shared_bytes(), 0x3000u);
	EXPECT_TRUE(rm->in_parcel(0x21000, 0x1000));
	EXPECT_FALSE(rm->in_parcel(0x11000, 0x1000));
	EXPECT_EQ(reclaim(0).error(), 0u);
	EXPECT_EQ(reclaim(0).error(), err(RmError::handle_invalid));
	EXPECT_EQ(reclaim(1).error(), 0u);
	EXPECT_EQ(rm->parcel_count(), 0u);
	EXPECT_EQ(rm->lent_bytes() + rm->shared_bytes(), 0u);
	EXPECT_EQ(lend(0x10000).word(0), 2u);
}

TEST_F(RmModelTest, ShortOrTrailingIsMsgInvalid)
{
	Bytes req = share_req(0, 0, {{0xff, 7}}, {{0x1000, 0x1000}});
	Bytes trailing = req;
	trailing.push_back(0);
	EXPECT_EQ(call(rpc::mem_lend, trailing).error(), err(RmError::msg_invalid));
	Bytes truncated(req.begin(), req.end() - 10);
	EXPECT_EQ(call(rpc::mem_lend, truncated).error(), err(RmError::msg_invalid));
	EXPECT_EQ(call(rpc::mem_lend, Bytes(6)).error(), err(RmError::msg_invalid));
	// The ATTR list may be absent.
	Bytes no_attr(req.begin(), req.end() - 4);
	EXPECT_EQ(call(rpc::mem_lend, no_attr).error(), 0u);
	// Nothing was created by the malformed ones: handles start at 0.
	EXPECT_NE(rm->parcel(0), nullptr);
}

TEST_F(RmModelTest, ListLimits)
{
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, pages(0x100000, 512))).error(), 0u);
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, pages(0x10000000, 513))).error(),
		  err(RmError::msg_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, {})).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {}, pages(0x20000000, 1))).error(),
		  err(RmError::argument_invalid));
}

TEST_F(RmModelTest, SixtyFourParcels)
{
	for (int i = 0; i < 64; i++)
		ASSERT_EQ(lend(0x100000 + i * 0x1000).error(), 0u) << i;
	EXPECT_EQ(lend(0x200000).error(), err(RmError::no_resources));
	EXPECT_EQ(reclaim(5).error(), 0u);
	EXPECT_EQ(lend(0x200000).error(), 0u);
}

TEST_F(RmModelTest, Rights)
{
	for (uint8_t r = 0; r < 9; r++) {
		Reply rep = call(rpc::mem_lend, share_req(0, 0, {{0xff, r}}, {{0x100000ull * (r + 1), 0x1000}}));
		EXPECT_EQ(rep.error(), r >= 4 && r <= 7 ? 0u : err(RmError::argument_invalid)) << int(r);
	}
}

TEST_F(RmModelTest, AclRules)
{
	// Duplicate VMIDs.
	EXPECT_EQ(call(rpc::mem_share, share_req(0, 0, {{3, 7}, {0xff, 4}, {0xff, 6}}, pages(0x1000, 1))).error(),
		  err(RmError::argument_invalid));
	// SHARE without the owner, LEND with it.
	EXPECT_EQ(call(rpc::mem_share, share_req(0, 0, {{0xff, 7}}, pages(0x1000, 1))).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{3, 7}}, pages(0x1000, 1))).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{3, 7}, {0xff, 7}}, pages(0x1000, 1))).error(),
		  err(RmError::argument_invalid));
	// Targets: a dynamic VMID only once allocated; others never.
	EXPECT_EQ(lend(0x1000, 0x1000, 0x80).error(), err(RmError::argument_invalid));
	EXPECT_EQ(lend(0x1000, 0x1000, 0x45).error(), err(RmError::argument_invalid));
	EXPECT_EQ(lend(0x1000, 0x1000, 0xc0).error(), err(RmError::argument_invalid));
	ASSERT_EQ(alloc_vmid(0x80).error(), 0u);
	EXPECT_EQ(lend(0x1000, 0x1000, 0x80).error(), 0u);
	// Every failure after the list checks used up a handle.
	EXPECT_NE(rm->parcel(7), nullptr);
}

TEST_F(RmModelTest, IoMemory)
{
	// Not executable, not sanitized, only device attributes.
	EXPECT_EQ(call(rpc::mem_lend, share_req(1, 0, {{0xff, 7}}, pages(0x1000, 1))).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(1, memparcel::flag_sanitize, {{0xff, 6}}, pages(0x1000, 1))).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(1, 0, {{0xff, 6}}, pages(0x1000, 1), {{sim::attr_normal, 0xff}})).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(1, 0, {{0xff, 6}}, pages(0x1000, 1), {{sim::attr_device, 0xff}})).error(),
		  0u);
	// Sanitized normal memory is fine.
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, memparcel::flag_sanitize, {{0xff, 7}}, pages(0x8000, 1))).error(), 0u);
}

TEST_F(RmModelTest, Attributes)
{
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, pages(0x1000, 1), {{9, 0xff}})).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, pages(0x1000, 1), {{0, 0xff}, {2, 0xff}})).error(),
		  err(RmError::argument_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, pages(0x1000, 1), {{0, 3}})).error(),
		  err(RmError::vmid_invalid));
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, pages(0x1000, 1), {{3, 0xff}})).error(), 0u);
}

TEST_F(RmModelTest, SglRangesAndOverlap)
{
	EXPECT_EQ(lend(0x1800).error(), err(RmError::argument_invalid));
	EXPECT_EQ(lend(0x1000, 0x800).error(), err(RmError::argument_invalid));
	EXPECT_EQ(lend(0x1000, 0).error(), err(RmError::argument_invalid));
	EXPECT_EQ(lend(0xfffffffffffff000ull, 0x2000).error(), err(RmError::argument_invalid));
	ASSERT_EQ(lend(0x10000, 0x4000).error(), 0u);
	// Lent memory is no longer the owner's: neither lent nor shared again.
	EXPECT_EQ(lend(0x12000).error(), err(RmError::mem_inuse));
	EXPECT_EQ(share(0xf000, 0x2000).error(), err(RmError::mem_inuse));
	// Overlap inside one request.
	EXPECT_EQ(call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, {{0x40000, 0x2000}, {0x41000, 0x1000}})).error(),
		  err(RmError::mem_inuse));
	EXPECT_EQ(rm->parcel_count(), 1u);
}

TEST_F(RmModelTest, AppendOnlyWhileOpenAndByOwner)
{
	// 1025 entries: 512 + 512 + 1 with END.
	auto all = pages(0x1000000, 1025);
	Reply r = call(rpc::mem_lend, share_req(0, memparcel::flag_append, {{0xff, 7}},
						 {all.begin(), all.begin() + 512}));
	ASSERT_EQ(r.error(), 0u);
	uint32_t h = r.word(0);
	EXPECT_TRUE(rm->parcel(h)->open);
	EXPECT_EQ(append(h, 0, {all.begin(), all.begin() + 1}).error(), err(RmError::mem_inuse));
	EXPECT_EQ(append(h, 0, {}).error(), err(RmError::argument_invalid));
	EXPECT_EQ(append(h + 1, 0, {{0x1000, 0x1000}}).error(), err(RmError::handle_invalid));
	EXPECT_EQ(append(h, 0, {{0x1000, 0x1000}}, 0x80).error(), err(RmError::denied));
	EXPECT_EQ(append(h, 0, {all.begin() + 512, all.begin() + 1024}).error(), 0u);
	EXPECT_EQ(append(h, memparcel::flag_end, {all.begin() + 1024, all.end()}).error(), 0u);
	EXPECT_FALSE(rm->parcel(h)->open);
	EXPECT_EQ(rm->parcel(h)->n_sgl, 1025u);
	EXPECT_EQ(rm->lent_bytes(), 1025u * 0x1000);
	EXPECT_EQ(append(h, memparcel::flag_end, {{0x1000, 0x1000}}).error(), err(RmError::denied));
	// Created without APPEND: never open.
	Reply c = lend(0x2000);
	EXPECT_EQ(append(c.word(0), 0, {{0x4000, 0x1000}}).error(), err(RmError::denied));
	// Trailing byte, 513 entries.
	Bytes b(memparcel::append_size(1) + 1);
	memparcel::SglEntry e{0x4000, 0x1000};
	memparcel::encode_append(b.data(), h, 0, &e, 1);
	EXPECT_EQ(call(rpc::mem_append, b).error(), err(RmError::msg_invalid));
	Reply o = call(rpc::mem_lend, share_req(0, memparcel::flag_append, {{0xff, 7}}, pages(0x8000000, 1)));
	EXPECT_EQ(append(o.word(0), 0, pages(0x9000000, 513)).error(), err(RmError::msg_invalid));
	// An open parcel can be reclaimed (the client's rollback).
	EXPECT_EQ(reclaim(o.word(0)).error(), 0u);
	EXPECT_EQ(reclaim(h).error(), 0u);
	EXPECT_EQ(rm->lent_bytes(), 0x1000u);
}

TEST_F(RmModelTest, ReclaimRules)
{
	uint32_t h = lend(0x1000).word(0);
	EXPECT_EQ(reclaim(h, 0x80).error(), err(RmError::denied));
	EXPECT_TRUE(rm->set_accepted(h, true));
	EXPECT_EQ(reclaim(h).error(), err(RmError::mem_inuse));
	EXPECT_TRUE(rm->set_accepted(h, false));
	Bytes b(9);
	memparcel::encode_reclaim(b.data(), h, 0);
	EXPECT_EQ(call(rpc::mem_reclaim, b).error(), err(RmError::msg_invalid));
	EXPECT_EQ(reclaim(h).error(), 0u);
}

// --- VMIDs ---

TEST_F(RmModelTest, VmAllocate)
{
	Reply r = alloc_vmid(0);
	ASSERT_EQ(r.error(), 0u);
	EXPECT_EQ(memparcel::get16(r.payload.data() + 4), 0x80);
	EXPECT_EQ(r.payload.size(), 8u);
	EXPECT_EQ(alloc_vmid(0x80).error(), err(RmError::vmid_invalid));
	EXPECT_EQ(alloc_vmid(0x7f).error(), err(RmError::vmid_invalid));
	EXPECT_EQ(alloc_vmid(0xc0).error(), err(RmError::vmid_invalid));
	EXPECT_EQ(memparcel::get16(alloc_vmid(0xbf).payload.data() + 4), 0xbf);
	for (int i = 0; i < 62; i++)
		ASSERT_EQ(alloc_vmid(0).error(), 0u);
	EXPECT_EQ(alloc_vmid(0).error(), err(RmError::no_resources));
	EXPECT_EQ(call(rpc::vm_alloc_vmid, Bytes(2)).error(), err(RmError::msg_invalid));
	Bytes d(4);
	memparcel::put16(d.data(), 0x90);
	EXPECT_EQ(call(sim::msg_vm_dealloc_vmid, d).error(), 0u);
	EXPECT_EQ(call(sim::msg_vm_dealloc_vmid, d).error(), err(RmError::vmid_invalid));
	EXPECT_EQ(memparcel::get16(alloc_vmid(0).payload.data() + 4), 0x90);
}

// --- Fault injection ---

TEST_F(RmModelTest, Faults)
{
	rm->faults.drop_next = true;
	for (auto &m : fragments(rpc::mem_lend, 1, share_req(0, 0, {{0xff, 7}}, pages(0x1000, 1))))
		send(m);
	EXPECT_FALSE(rm->has_output());
	EXPECT_EQ(rm->parcel_count(), 0u);  // the request was lost, not done

	rm->faults.error_next = err(RmError::busy);
	EXPECT_EQ(lend(0x1000).error(), err(RmError::busy));
	EXPECT_EQ(rm->parcel_count(), 0u);

	rm->faults.fail_msg_id = rpc::mem_lend;
	rm->faults.fail_nth = 2;
	rm->faults.fail_error = err(RmError::mem_invalid);
	EXPECT_EQ(reclaim(9).error(), err(RmError::handle_invalid));
	EXPECT_EQ(lend(0x1000).error(), 0u);
	EXPECT_EQ(lend(0x2000).error(), err(RmError::mem_invalid));
	EXPECT_EQ(lend(0x3000).error(), 0u);

	rm->faults.malformed_next = true;
	Reply m = call(rpc::mem_lend, share_req(0, 0, {{0xff, 7}}, pages(0x100000, 1)));
	EXPECT_EQ(m.payload.size(), 2u);
	EXPECT_EQ(rm->parcel_count(), 2u);  // not carried out

	rm->faults.duplicate_next = true;
	for (auto &f : fragments(0x12345678, 77, {}))
		send(f);
	ASSERT_EQ(rm->output_count(), 2u);
	EXPECT_EQ(take().h.seq, 77);
	EXPECT_EQ(take().h.seq, 77);

	EXPECT_TRUE(rm->notify(0x5600ffff));
	Reply n = take();
	EXPECT_EQ(n.h.type, rpc::Type::notification);
	EXPECT_EQ(n.h.msg_id, 0x5600ffffu);
}

} // namespace
