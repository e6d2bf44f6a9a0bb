// SPDX-License-Identifier: GPL-2.0
// Tests of kcpp's completions, reference counts and interrupt owner
// (include/kcpp/sync.hpp, irq.hpp), part of the KUnit suite kcpp_kernel.
#include <kcpp/irq.hpp>
#include <kcpp/sync.hpp>
#include <kcpp_test.hpp>

using namespace kcpp;

KCPP_TEST(kernel, completion_waits_and_times_out)
{
	Completion c;
	KCPP_EXPECT_FALSE(c.done());
	KCPP_EXPECT_FALSE(c.wait_ms(5));  // nobody completes it
	c.complete();
	KCPP_EXPECT_TRUE(c.done());
	KCPP_EXPECT_TRUE(c.wait_ms(5));   // consumes the completion
	KCPP_EXPECT_FALSE(c.done());
	c.complete();
	c.reinit();                       // forgets it
	KCPP_EXPECT_FALSE(c.wait_ms(1));
}

KCPP_TEST(kernel, refcount_counts_to_the_last)
{
	Refcount r(1);
	KCPP_EXPECT_EQ(r.read(), 1u);
	r.inc();
	KCPP_EXPECT_EQ(r.read(), 2u);
	KCPP_EXPECT_FALSE(r.dec_and_test());
	KCPP_EXPECT_TRUE(r.dec_and_test());
	KCPP_EXPECT_EQ(r.read(), 0u);
}

KCPP_TEST(kernel, irq_request_fails_cleanly)
{
	struct Owner {
		bool handle() { return true; }
	} owner;
	Irq irq;
	KCPP_EXPECT_FALSE(static_cast<bool>(irq));
	// No such interrupt: an error, nothing held, and free() is a no-op.
	auto r = irq.request<Owner, &Owner::handle>(-1, "kcpp_test", &owner);
	KCPP_EXPECT_FALSE(r.ok());
	KCPP_EXPECT_FALSE(static_cast<bool>(irq));
	auto t = irq.request_threaded<Owner, &Owner::handle>(-1, "kcpp_test", &owner);
	KCPP_EXPECT_FALSE(t.ok());
	irq.free();
}
