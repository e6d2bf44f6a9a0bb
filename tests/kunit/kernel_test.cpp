// SPDX-License-Identifier: GPL-2.0
// Tests of the kernel-facing parts of include/kcpp (KUnit suite kcpp_kernel):
// allocation, locks under lockdep, and the Registry with real modules
// loaded through modprobe (kcpp_test_core and its backends).
#include <kcpp/alloc.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/mmio.hpp>
#include <kcpp/module.hpp>
#include <kcpp/regs.hpp>
#include <kcpp/sysreg.hpp>
#include <kcpp_test.hpp>

#include "../modules/test_core.hpp"
#include "kcpp_kunit.h"

using namespace kcpp;

namespace {

struct Tracked {
	static inline int live = 0;
	u64 payload[4] = {};
	explicit Tracked(u64 v) { payload[0] = v; ++live; }
	~Tracked() { --live; }
};

struct Huge {
	u8 bytes[1ul << 30];
};

} // namespace

KCPP_TEST(kernel, box_owns_and_frees)
{
	Tracked::live = 0;
	{
		Box<Tracked> box = make<Tracked>(gfp::kernel, 42);
		KCPP_ASSERT_TRUE(static_cast<bool>(box));
		KCPP_EXPECT_EQ(box->payload[0], u64(42));
		KCPP_EXPECT_EQ(Tracked::live, 1);
		Box<Tracked> other = static_cast<Box<Tracked> &&>(box);
		KCPP_EXPECT_FALSE(static_cast<bool>(box));
		KCPP_EXPECT_EQ(Tracked::live, 1);
	}
	KCPP_EXPECT_EQ(Tracked::live, 0);
	Tracked *raw = make<Tracked>(gfp::kernel, 1).release();
	KCPP_EXPECT_EQ(Tracked::live, 1);
	Box<Tracked>{raw}.reset();
	KCPP_EXPECT_EQ(Tracked::live, 0);
}

KCPP_TEST(kernel, box_is_empty_when_allocation_fails)
{
	// 1 GiB is beyond what kmalloc() serves: it fails, quietly.
	Box<Huge> box = make<Huge>(gfp::kernel | gfp::nowarn);
	KCPP_EXPECT_FALSE(static_cast<bool>(box));
}

namespace {

struct TwoLocks {
	Mutex outer{KCPP_LOCK_CLASS("kcpp_test_outer")};
	Mutex inner{KCPP_LOCK_CLASS("kcpp_test_inner")};
	SpinLock spin{KCPP_LOCK_CLASS("kcpp_test_spin")};
};

} // namespace

// Two mutexes initialised at different sites nest without a lockdep report:
// were their classes shared, lockdep would see recursive locking and stop.
KCPP_TEST(kernel, lock_sites_have_distinct_lockdep_classes)
{
	Box<TwoLocks> locks = make<TwoLocks>(gfp::kernel);
	KCPP_ASSERT_TRUE(static_cast<bool>(locks));
	KCPP_ASSERT_TRUE(kcpp_kunit_debug_locks() != 0);
	{
		Guard outer(locks->outer);
		Guard inner(locks->inner);
		IrqSaveGuard spin(locks->spin);
	}
	KCPP_EXPECT_TRUE(kcpp_kunit_debug_locks() != 0);
	KCPP_EXPECT_TRUE(locks->outer.try_lock());
	KCPP_EXPECT_FALSE(locks->outer.try_lock());
	locks->outer.unlock();
}

KCPP_TEST(kernel, registry_loads_backend_by_alias)
{
	kcpp_test_registry *reg = kcpp_test_core_registry();
	auto handle = reg->get(kcpp_test::backend_a, kcpp_test::module_for(kcpp_test::backend_a));
	KCPP_ASSERT_TRUE(handle.ok());
	KCPP_EXPECT_EQ(handle.value()->answer(), 10 * kcpp_test::backend_a);
	module *owner = handle.value().module();
	KCPP_EXPECT_EQ(kcpp_module_refcount(owner), 1);
	{
		auto again = reg->get(kcpp_test::backend_a);
		KCPP_EXPECT_TRUE(again.ok());
		KCPP_EXPECT_EQ(kcpp_module_refcount(owner), 2);
	}
	KCPP_EXPECT_EQ(kcpp_module_refcount(owner), 1);
	handle.value().reset();
	KCPP_EXPECT_EQ(kcpp_module_refcount(owner), 0);
}

KCPP_TEST(kernel, registry_reports_a_missing_module)
{
	kcpp_test_registry *reg = kcpp_test_core_registry();
	auto handle = reg->get(kcpp_test::backend_missing, kcpp_test::module_for(kcpp_test::backend_missing));
	KCPP_EXPECT_EQ(handle.code(), -ENOENT);
}

KCPP_TEST(kernel, registry_refuses_a_duplicate_key)
{
	kcpp_test_registry *reg = kcpp_test_core_registry();
	auto a = reg->get(kcpp_test::backend_a, kcpp_test::module_for(kcpp_test::backend_a));
	KCPP_ASSERT_TRUE(a.ok());
	static constexpr kcpp_test::BackendOps impostor = {"impostor", nullptr};
	static constinit kcpp_test::Registry::Entry entry{kcpp_test::backend_a, &impostor, &__this_module};
	KCPP_EXPECT_EQ(reg->add(entry).code(), -EEXIST);
	KCPP_EXPECT_FALSE(entry.linked());
}

namespace {

struct Ctl : Register<Ctl, u32, 0x8> {
	KCPP_BIT(0, enable);
	KCPP_FIELD(7, 4, mode);
};

struct Counter : Register<Counter, u64, 0x10, 8> {};

// MIDR_EL1: op0=3, op1=0, CRn=0, CRm=0, op2=0.
KCPP_SYSREG(MidrEl1, "s3_0_c0_c0_0");

struct MIDR : Register<MIDR, u64, 0> {
	KCPP_FIELD(31, 24, implementer);
	KCPP_FIELD(15, 4, partnum);
};

} // namespace

// The MMIO policy on ordinary memory: readl()/writel() semantics hold there
// too, so values and offsets can be checked byte for byte.
KCPP_TEST(kernel, mmio_policy_reads_and_writes_at_offsets)
{
	alignas(8) static u8 window[0x40];
	__builtin_memset(window, 0, sizeof(window));
	Mmio<> io(window);
	Ctl::Get().set_enable(1).set_mode(5).WriteTo(io);
	KCPP_EXPECT_EQ(window[8], u8(0x51));
	KCPP_EXPECT_EQ(Ctl::Get().ReadFrom(io).mode(), 5u);
	Mmio<Ordering::relaxed> relaxed(window);
	Counter::Get(2).set_reg_value(0x1122334455667788ull).WriteTo(relaxed);
	KCPP_EXPECT_EQ(window[0x20], u8(0x88));
	KCPP_EXPECT_EQ(window[0x27], u8(0x11));
	KCPP_EXPECT_EQ(Counter::Get(2).ReadFrom(io).reg_value(), 0x1122334455667788ull);
}

KCPP_TEST(kernel, sysreg_policy_reads_what_the_kernel_reads)
{
	auto midr = MIDR::Get().ReadFrom(MidrEl1::io);
	KCPP_EXPECT_EQ(midr.reg_value(), u64(kcpp_kunit_midr()));
	KCPP_EXPECT_EQ(midr.partnum(), (kcpp_kunit_midr() >> 4) & 0xfff);
	KCPP_EXPECT_EQ(midr.implementer(), kcpp_kunit_midr() >> 24);
}
