// SPDX-License-Identifier: GPL-2.0
// Host-only: the simulated Gunyah hypervisor's calls and queues
// (tests/modules/gunyah_sim/hyp_model.hpp) and the simulated secure world's
// page ownership (scm_model.hpp).
#include <gtest/gtest.h>
#include "hyp_model.hpp"
#include "rm_model.hpp"
#include "scm_model.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

using namespace armature::gunyah::sim;

// Host "physical addresses" are pointers; below 0x1000 is not memory.
struct HostPlatform {
	static uint8_t *map(uint64_t phys, size_t) { return phys < 0x1000 ? nullptr : reinterpret_cast<uint8_t *>(phys); }
};
using Hyp = Transport<HostPlatform, Message>;

constexpr uint64_t tx = 0x21, rx = 0x22;

struct Call {
	unsigned long res[4];
	Hyp::Effects fx;
};

Call call(Hyp &h, unsigned long a0, unsigned long a1 = 0, unsigned long a2 = 0, unsigned long a3 = 0,
	  unsigned long a4 = 0)
{
	unsigned long args[8] = {a0, a1, a2, a3, a4, 0, 0, 0};
	Call c;
	c.fx = h.call(args, c.res);
	return c;
}

unsigned long ptr(const void *p) { return reinterpret_cast<unsigned long>(p); }

TEST(GunyahSimHyp, FunctionIds)
{
	EXPECT_EQ(smccc::function_id(true, false, 6, 0xff01), 0x8600ff01u);
	EXPECT_EQ(smccc::function_id(true, true, 6, 0x801b), 0xc600801bu);
}

TEST(GunyahSimHyp, Identification)
{
	Hyp plain(tx, rx, false), qcom(tx, rx, true);
	for (Hyp *h : {&plain, &qcom}) {
		Call c = call(*h, 0x8600ff01);
		EXPECT_EQ(c.res[0], 0xcd8fd5c1u);
		EXPECT_EQ(c.res[1], 0xdb5f53a4u);
		EXPECT_EQ(c.res[2], 0x36ce6592u);
		EXPECT_EQ(c.res[3], 0x145f3d67u);
	}
	EXPECT_EQ(call(plain, 0x86003f01).res[0], ~0ul);
	Call q = call(qcom, 0x86003f01);
	EXPECT_EQ(q.res[0], 0xbd54bd19u);
	EXPECT_EQ(q.res[1], 0x1b57370bu);
	EXPECT_EQ(q.res[2], 0x9b606f94u);
	EXPECT_EQ(q.res[3], 0xe69d5354u);
	Call id = call(plain, 0xc6008000);
	EXPECT_EQ(id.res[0] & 0x3fff, 1u);
	EXPECT_TRUE(id.res[0] >> 15 & 1);
	EXPECT_TRUE(id.res[1] & 1u << 2);  // message queues
	// The SMC32 forms of the 64-bit calls, and anything else, are unknown.
	for (unsigned long fn : {0x86008000ul, 0x8600801bul, 0x8600801cul, 0xc600801dul, 0x84000000ul})
		EXPECT_EQ(call(plain, fn).res[0], ~0ul) << std::hex << fn;
}

TEST(GunyahSimHyp, SendQueue)
{
	Hyp h(tx, rx, false);
	uint8_t buf[241] = {1, 2, 3};
	EXPECT_EQ(call(h, 0xc600801b, 0x99, 8, ptr(buf), 1).res[0], unsigned(cspace_cap_null));
	EXPECT_EQ(call(h, 0xc600801b, rx, 8, ptr(buf), 1).res[0], unsigned(cspace_insufficient_rights));
	EXPECT_EQ(call(h, 0xc600801b, tx, 241, ptr(buf), 1).res[0], unsigned(argument_size));
	EXPECT_EQ(call(h, 0xc600801b, tx, 8, 0x10, 1).res[0], unsigned(addr_invalid));
	for (int i = 0; i < 8; i++) {
		Call c = call(h, 0xc600801b, tx, 8 + i, ptr(buf), 1);
		EXPECT_EQ(c.res[0], 0u);
		EXPECT_EQ(c.res[1], i < 7 ? 1u : 0u) << i;
		EXPECT_TRUE(c.fx.rm_wake);
	}
	// Full is reported before the size is looked at.
	EXPECT_EQ(call(h, 0xc600801b, tx, 241, ptr(buf), 1).res[0], unsigned(msgqueue_full));
	Message m;
	bool raise_tx = true;
	ASSERT_TRUE(h.rm_take(m, raise_tx));
	EXPECT_EQ(m.size, 8);
	EXPECT_EQ(m.data[2], 3);
	EXPECT_TRUE(raise_tx);  // 8 -> 7: not full again
	ASSERT_TRUE(h.rm_take(m, raise_tx));
	EXPECT_FALSE(raise_tx);
	EXPECT_EQ(m.size, 9);
}

TEST(GunyahSimHyp, ReceiveQueue)
{
	Hyp h(tx, rx, false);
	uint8_t buf[240];
	Call e = call(h, 0xc600801c, rx, ptr(buf), sizeof(buf));
	EXPECT_EQ(e.res[0], unsigned(msgqueue_empty));
	EXPECT_EQ(e.res[2], 0u);
	EXPECT_EQ(call(h, 0xc600801c, tx, ptr(buf), sizeof(buf)).res[0], unsigned(cspace_insufficient_rights));
	Message m{};
	m.size = 100;
	m.data[99] = 0x5a;
	for (int i = 0; i < 8; i++)
		EXPECT_TRUE(h.rm_send(m));
	EXPECT_FALSE(h.rm_send(m));
	// A buffer too small: the message stays.
	EXPECT_EQ(call(h, 0xc600801c, rx, ptr(buf), 99).res[0], unsigned(argument_size));
	EXPECT_EQ(h.rx_count(), 8u);
	for (int i = 0; i < 8; i++) {
		Call c = call(h, 0xc600801c, rx, ptr(buf), sizeof(buf));
		EXPECT_EQ(c.res[0], 0u);
		EXPECT_EQ(c.res[1], 100u);
		EXPECT_EQ(c.res[2], i < 7 ? 1u : 0u);
		EXPECT_EQ(buf[99], 0x5a);
	}
}

struct HeapEnv {
	static void *alloc(size_t n) { return std::malloc(n); }
	static void free(void *p) { std::free(p); }
};
using Scm = ScmModel<HeapEnv>;

TEST(GunyahSimScm, Ownership)
{
	Scm scm;
	const gunyah_qcom_vmperm to_vm[] = {{0x3a, 7}, {3, 6}};
	const gunyah_qcom_vmperm back[] = {{3, 7}};
	uint64_t src = 1 << 3;
	ASSERT_EQ(scm.assign(0x40000000, 0x3000, &src, to_vm, 2), 0);
	EXPECT_EQ(src, (1ull << 0x3a) | 1 << 3);
	EXPECT_EQ(scm.count(), 3u);
	EXPECT_EQ(scm.owners_of(0x40001), src);
	EXPECT_EQ(scm.owners_of(0x40003), 1u << 3);
	// The firmware refuses a source that is not the owners, or a range
	// that is partly someone else's, and changes nothing.
	uint64_t wrong = 1 << 3;
	EXPECT_EQ(scm.assign(0x40000000, 0x1000, &wrong, back, 1), -EINVAL);
	EXPECT_EQ(wrong, 1u << 3);
	uint64_t owners = src;
	EXPECT_EQ(scm.assign(0x40002000, 0x2000, &owners, back, 1), -EINVAL);
	EXPECT_EQ(scm.count(), 3u);
	EXPECT_EQ(scm.assign(0x40000800, 0x1000, &owners, back, 1), -EINVAL);
	EXPECT_EQ(scm.assign(0x40000000, 0x1000, &owners, back, 0), -EINVAL);
	EXPECT_EQ(scm.stats().refused, 4u);
	// Back to HLOS: no longer recorded.
	ASSERT_EQ(scm.assign(0x40000000, 0x3000, &owners, back, 1), 0);
	EXPECT_EQ(owners, 1u << 3);
	EXPECT_EQ(scm.count(), 0u);
}

TEST(GunyahSimScm, FailNth)
{
	Scm scm;
	const gunyah_qcom_vmperm to_vm[] = {{0x3a, 7}};
	scm.fail_nth = 2;
	uint64_t src = 1 << 3;
	EXPECT_EQ(scm.assign(0x1000, 0x1000, &src, to_vm, 1), 0);
	src = 1 << 3;
	EXPECT_EQ(scm.assign(0x2000, 0x1000, &src, to_vm, 1), -EIO);
	EXPECT_EQ(src, 1u << 3);
	EXPECT_EQ(scm.owners_of(2), 1u << 3);
	EXPECT_EQ(scm.assign(0x2000, 0x1000, &src, to_vm, 1), 0);
	EXPECT_EQ(scm.count(), 2u);
	EXPECT_EQ(scm.stats().injected, 1u);
	// Many pages in any order stay sorted.
	for (uint64_t p = 200; p > 100; p--) {
		uint64_t s = 1 << 3;
		ASSERT_EQ(scm.assign(p * 0x1000, 0x1000, &s, to_vm, 1), 0);
	}
	for (size_t i = 1; i < scm.count(); i++)
		EXPECT_LT(scm.at(i - 1).pfn, scm.at(i).pfn);
}

} // namespace
