// SPDX-License-Identifier: GPL-2.0
// Tests of the RM RPC engine (drivers/virt/gunyah/rm.cpp) on a fake
// hypervisor in memory: message queues of depth 8 and 240-byte messages,
// and an RM behind them that echoes, keeps parcel handles and injects
// faults. The fake's "RM" runs in a work item, which also raises the
// engine's interrupt entry points (TX not full, RX not empty), so callers
// block and wake as they would on interrupts. Part of the KUnit suite
// armature_gunyah (kernel only).
#include <kcpp_test.hpp>

#include <kcpp/alloc.hpp>
#include <kcpp/device.hpp>
#include <kcpp/lock.hpp>
#include <kcpp/memory.h>
#include <kcpp/sync.hpp>

#include "memparcel.hpp"
#include "rm.hpp"

#include <initializer_list>
#include <type_traits>

using namespace armature::gunyah;
using kcpp::usize;

namespace {

constexpr u32 echo_id = 0x5600ff00;      // not an RM call: the fake echoes it
constexpr u64 tx_cap = 0x10, rx_cap = 0x11;
constexpr unsigned depth = 8;
constexpr unsigned rx_ring = 192;        // the RM's backlog towards us
constexpr unsigned max_records = 64;
constexpr unsigned max_saved = 40;

struct Msg {
	u8 data[rpc::message_size];
	usize size;
};

// What the fake RM received, one entry per request.
struct Record {
	u32 msg_id;
	u8 flags;
	usize n_acl, n_sgl;
	u32 handle;
	unsigned fragments;
	usize size;
};

struct Saved {
	u32 msg_id;
	u16 seq;
	u8 *buf;
	usize size;
};

class FakeHyp;
FakeHyp *fake;

void fake_call(const unsigned long args[8], unsigned long res[4]);

class FakeHyp {
public:
	FakeHyp() = default;
	~FakeHyp()
	{
		for (unsigned i = 0; i < n_held; i++)
			kcpp_kfree(held[i].buf);
		for (unsigned i = 0; i < n_batch; i++)
			kcpp_kfree(batch[i].buf);
	}

	// --- the hypervisor's side: the two queues ---
	void send(u64 cap, usize size, __u64 phys, unsigned long res[4])
	{
		if (cap != tx_cap) {
			res[0] = static_cast<unsigned long>(HypError::cspace_cap_null);
			return;
		}
		if (size > rpc::message_size) {
			res[0] = static_cast<unsigned long>(HypError::arg_size);
			return;
		}
		bool stalled;
		{
			kcpp::Guard held_lock(lock);
			if (tx_count == depth) {
				full_events++;
				res[0] = static_cast<unsigned long>(HypError::msgqueue_full);
				res[1] = 0;
				return;
			}
			__builtin_memcpy(tx[tx_count].data, kcpp_phys_to_virt(phys), size);
			tx[tx_count].size = size;
			tx_count++;
			res[0] = 0;
			res[1] = tx_count < depth;
			stalled = stall_tx;
		}
		if (!stalled)
			work.queue_unbound();
	}

	void recv(u64 cap, __u64 phys, usize max, unsigned long res[4])
	{
		if (cap != rx_cap) {
			res[0] = static_cast<unsigned long>(HypError::cspace_cap_null);
			return;
		}
		kcpp::Guard held_lock(lock);
		if (!rx_count) {
			res[0] = static_cast<unsigned long>(HypError::msgqueue_empty);
			return;
		}
		Msg &m = rx[rx_head];
		rx_head = (rx_head + 1) % rx_ring;
		rx_count--;
		const usize n = m.size < max ? m.size : max;
		__builtin_memcpy(kcpp_phys_to_virt(phys), m.data, n);
		res[0] = 0;
		res[1] = n;
		res[2] = rx_count != 0;
	}

	// A message from the RM, split into fragments, into the RX ring.
	void push(rpc::Type type, u32 msg_id, u16 seq, const u8 *payload, usize size)
	{
		const int conts = rpc::continuations_for(size);
		usize off = 0;
		kcpp::Guard held_lock(lock);
		for (int i = 0; i <= conts; i++) {
			const usize chunk = size - off < rpc::fragment_payload ? size - off
									     : rpc::fragment_payload;
			Msg &m = rx[(rx_head + rx_count) % rx_ring];
			rpc::Header{i ? rpc::Type::continuation : type, static_cast<u8>(conts), seq, msg_id}
				.encode(m.data);
			if (chunk)
				__builtin_memcpy(m.data + rpc::header_size, payload + off, chunk);
			m.size = rpc::header_size + chunk;
			off += chunk;
			if (rx_count < rx_ring)
				rx_count++;
		}
	}

	// Raw bytes as one RX message.
	void push_raw(const u8 *bytes, usize size)
	{
		kcpp::Guard held_lock(lock);
		Msg &m = rx[(rx_head + rx_count) % rx_ring];
		__builtin_memcpy(m.data, bytes, size);
		m.size = size;
		rx_count++;
	}

	void kick() { work.queue_unbound(); }

	// The next request with msg_id after skip others fails with e.
	void fail(u32 msg_id, rpc::RmError e, unsigned skip = 0)
	{
		fail_msg_id = msg_id;
		fail_skip = skip;
		fail_count = 1;
		fail_error = e;
	}

	// A second, independent failure: the next request with this msg_id.
	void fail_also(u32 msg_id, rpc::RmError e)
	{
		also_msg_id = msg_id;
		also_error = e;
	}

	void notify(u32 id, const u8 *payload, usize size)
	{
		push(rpc::Type::notification, id, 0, payload, size);
		kick();
	}

	void release_tx()
	{
		{
			kcpp::Guard held_lock(lock);
			stall_tx = false;
		}
		kick();
	}

	void release_held()
	{
		for (unsigned i = 0; i < n_held; i++) {
			push(rpc::Type::reply, held[i].msg_id, held[i].seq, held[i].buf, held[i].size);
			kcpp_kfree(held[i].buf);
		}
		n_held = 0;
		kick();
	}

	unsigned rx_pending()
	{
		kcpp::Guard held_lock(lock);
		return rx_count;
	}

	unsigned full()
	{
		kcpp::Guard held_lock(lock);
		return full_events;
	}

	// --- the RM's side, in the work item ---
	void run()
	{
		unsigned n;
		bool was_full;
		{
			kcpp::Guard held_lock(lock);
			if (stall_tx)
				return;
			n = tx_count;
			for (unsigned i = 0; i < n; i++)
				taken[i] = tx[i];
			was_full = tx_count == depth;
			tx_count = 0;
		}
		if (was_full)
			rm->on_tx_irq();  // the queue's "not full" edge
		for (unsigned i = 0; i < n; i++)
			receive(taken[i]);
		if (rx_pending())
			rm->on_rx_irq();  // the "not empty" edge
	}

	void receive(const Msg &m)
	{
		rpc::Header h;
		if (m.size < rpc::header_size || !rpc::Header::decode(m.data, h))
			return;
		const usize len = m.size - rpc::header_size;
		if (h.type != rpc::Type::continuation) {
			req_hdr = h;
			req_len = 0;
			req_seen = 0;
		} else if (h.msg_id != req_hdr.msg_id || h.seq != req_hdr.seq) {
			interleaved++;
			return;
		}
		__builtin_memcpy(req + req_len, m.data + rpc::header_size, len);
		req_len += len;
		if (++req_seen == req_hdr.fragments + 1u)
			process();
	}

	void process()
	{
		Record r{req_hdr.msg_id, 0, 0, 0, 0, req_seen, req_len};
		usize n = 4;
		memparcel::put32(out, 0);
		switch (req_hdr.msg_id) {
		case rpc::mem_lend:
		case rpc::mem_share: {
			memparcel::ShareRequest s;
			if (memparcel::parse_share(req, req_len, s) == rpc::RmError::ok) {
				r.flags = s.flags;
				r.n_acl = s.acl.count;
				r.n_sgl = s.sgl.count;
			}
			r.handle = next_handle++;
			memparcel::put32(out + 4, r.handle);
			n = 8;
			break;
		}
		case rpc::mem_append: {
			memparcel::AppendRequest a;
			if (memparcel::parse_append(req, req_len, a) == rpc::RmError::ok) {
				r.flags = a.flags;
				r.n_sgl = a.sgl.count;
				r.handle = a.handle;
			}
			break;
		}
		case rpc::mem_reclaim: {
			memparcel::ReclaimRequest c;
			if (memparcel::parse_reclaim(req, req_len, c) == rpc::RmError::ok)
				r.handle = c.handle;
			break;
		}
		case rpc::vm_alloc_vmid: {
			const u16 want = memparcel::get16(req);
			memparcel::put16(out + 4, want ? want : 0x80);
			memparcel::put16(out + 6, 0);
			n = 8;
			break;
		}
		default: {
			const usize echo = req_len < rpc::max_payload - 4 ? req_len : rpc::max_payload - 4;
			if (echo)
				__builtin_memcpy(out + 4, req, echo);
			n = 4 + echo;
			break;
		}
		}
		if (also_msg_id && also_msg_id == req_hdr.msg_id) {
			also_msg_id = 0;
			memparcel::put32(out, static_cast<u32>(also_error));
			n = 4;
		}
		if (fail_msg_id == req_hdr.msg_id && fail_count) {
			if (fail_skip) {
				fail_skip--;
			} else {
				fail_count--;
				memparcel::put32(out, static_cast<u32>(fail_error));
				n = 4;
			}
		}
		if (n_records < max_records)
			records[n_records++] = r;
		reply(req_hdr.msg_id, req_hdr.seq, n);
	}

	void reply(u32 msg_id, u16 seq, usize n)
	{
		if (drop) {
			drop--;
			return;
		}
		if (truncate) {
			truncate--;
			n = 2;
		}
		if (hold && n_held < max_saved) {
			hold--;
			held[n_held++] = save(msg_id, seq, n);
			return;
		}
		if (reorder && n_batch < max_saved) {
			batch[n_batch++] = save(msg_id, seq, n);
			if (n_batch < reorder)
				return;
			for (unsigned i = n_batch; i-- > 0;) {
				push(rpc::Type::reply, batch[i].msg_id, batch[i].seq, batch[i].buf,
				     batch[i].size);
				kcpp_kfree(batch[i].buf);
			}
			n_batch = 0;
			reorder = 0;
			return;
		}
		push(rpc::Type::reply, msg_id, seq, out, n);
		if (duplicate) {
			duplicate--;
			push(rpc::Type::reply, msg_id, seq, out, n);
		}
	}

	Saved save(u32 msg_id, u16 seq, usize n)
	{
		u8 *b = static_cast<u8 *>(kcpp_kmalloc(n ? n : 1, kcpp::gfp::kernel));
		if (b && n)
			__builtin_memcpy(b, out, n);
		return {msg_id, seq, b, b ? n : 0};
	}

	kcpp::SpinLock lock{KCPP_LOCK_CLASS("gunyah_fake_queues")};
	kcpp::Work work{[](work_struct *) { fake->run(); }, KCPP_LOCK_CLASS("gunyah_fake_rm")};
	Rm *rm = nullptr;

	// Fault injection, set before a call.
	bool stall_tx = false;
	unsigned drop = 0, hold = 0, duplicate = 0, truncate = 0, reorder = 0;
	u32 fail_msg_id = 0;
	unsigned fail_skip = 0, fail_count = 0;
	rpc::RmError fail_error = rpc::RmError::ok;
	u32 also_msg_id = 0;
	rpc::RmError also_error = rpc::RmError::ok;

	Record records[max_records];
	unsigned n_records = 0;
	unsigned interleaved = 0;
	u32 next_handle = 0;

private:
	Msg tx[depth];
	unsigned tx_count = 0;
	unsigned full_events = 0;
	Msg rx[rx_ring];
	unsigned rx_head = 0, rx_count = 0;
	Msg taken[depth];
	rpc::Header req_hdr{};
	unsigned req_seen = 0;
	usize req_len = 0;
	u8 req[rpc::max_payload];
	u8 out[rpc::max_payload];
	Saved held[max_saved];
	unsigned n_held = 0;
	Saved batch[max_saved];
	unsigned n_batch = 0;
};

void fake_call(const unsigned long args[8], unsigned long res[4])
{
	switch (static_cast<u32>(args[0])) {
	case fn::msgq_send:
		fake->send(args[1], args[2], args[3], res);
		return;
	case fn::msgq_recv:
		fake->recv(args[1], args[2], args[3], res);
		return;
	}
	res[0] = ~0ul;
}

// --- Platform hooks that record their order ---

struct HookLog {
	char events[16];
	unsigned n;
	int pre_ret;
	int post_ret;
	void *state_seen;
	void add(char c)
	{
		if (n < sizeof(events) - 1)
			events[n++] = c;
		events[n] = 0;
	}
	bool is(const char *want) const
	{
		unsigned i = 0;
		for (; want[i]; i++)
			if (i >= n || events[i] != want[i])
				return false;
		return i == n;
	}
};
HookLog hooks;
int hook_state;

const gunyah_platform_ops recording_ops = {
	.bind = nullptr,
	.unbind = nullptr,
	.pre_mem_share = [](void *s, gunyah_rm_mem_parcel *) { hooks.state_seen = s; hooks.add('P'); return hooks.pre_ret; },
	.post_mem_reclaim = [](void *s, gunyah_rm_mem_parcel *) { hooks.state_seen = s; hooks.add('R'); return hooks.post_ret; },
	.pre_demand_page = [](void *, __u16, __u32, __u64, __u64) { hooks.add('D'); return 0; },
	.release_demand_page = [](void *, __u16, __u32, __u64, __u64) { hooks.add('E'); return 0; },
};

const gunyah_platform_ops no_hooks = {};

// An Rm on a fresh fake hypervisor.
struct Bench {
	explicit Bench(unsigned timeout_ms = 2000, PlatformBinding platform = {&recording_ops, &hook_state},
		       bool start_rm = true)
		: timeout_ms_(timeout_ms), platform_(platform)
	{
		hooks = {};
		hyp = kcpp::make<FakeHyp>(kcpp::gfp::kernel).release();
		if (!hyp)
			return;
		fake = hyp;
		if (start_rm)
			start();
	}
	void start()
	{
		const unsigned timeout_ms = timeout_ms_;
		const PlatformBinding platform = platform_;
		RmConfig cfg;
		cfg.hyp = Hypercalls({fake_call, kcpp_virt_to_phys, Conduit::in_kernel});
		cfg.tx_cap = tx_cap;
		cfg.rx_cap = rx_cap;
		cfg.platform = platform;
		cfg.timeout_ms = timeout_ms;
		auto r = Rm::create(static_cast<RmConfig &&>(cfg));
		rm = r ? r.value() : nullptr;
		hyp->rm = rm;
	}
	~Bench()
	{
		if (hyp)
			hyp->work.flush();
		if (rm)
			rm->put();
		if (hyp)
			kcpp::Box<FakeHyp>(hyp).reset();
		fake = nullptr;
	}
	bool ok() const { return hyp && rm; }
	const Record &last() const { return hyp->records[hyp->n_records - 1]; }

	FakeHyp *hyp = nullptr;
	Rm *rm = nullptr;

private:
	unsigned timeout_ms_;
	PlatformBinding platform_;
};

u8 pattern(unsigned key, usize i) { return static_cast<u8>(key * 31 + i * 7 + 1); }

u8 *patterned(unsigned key, usize size)
{
	u8 *b = static_cast<u8 *>(kcpp_kmalloc(size ? size : 1, kcpp::gfp::kernel));
	for (usize i = 0; b && i < size; i++)
		b[i] = pattern(key, i);
	return b;
}

// An echo call of size patterned bytes: 0, or the error.
int echo(Rm &rm, unsigned key, usize size)
{
	u8 *req = patterned(key, size);
	if (!req)
		return -ENOMEM;
	auto r = rm.call(echo_id, req, size);
	int ret = r.code();
	if (r) {
		const usize want = size < rpc::max_payload - 4 ? size : rpc::max_payload - 4;
		if (r.value().size() != want)
			ret = -EMSGSIZE;
		for (usize i = 0; !ret && i < want; i++)
			if (r.value().data()[i] != pattern(key, i))
				ret = -EILSEQ;
	}
	kcpp_kfree(req);
	return ret;
}

// Callers on the unbound workqueue, each blocking in its own call.
struct Caller {
	kcpp::Work work{[](work_struct *w) { reinterpret_cast<Caller *>(w)->run(); },
			KCPP_LOCK_CLASS("gunyah_test_caller")};
	Rm *rm = nullptr;
	unsigned key = 0;
	usize size = 0;
	int ret = 1;
	void run() { ret = echo(*rm, key, size); }
};
static_assert(std::is_standard_layout_v<Caller>, "the work item is the Caller's address");

struct Callers {
	static constexpr unsigned max = 32;
	Caller c[max];
	void start(Rm *rm, unsigned n, const usize *sizes, unsigned n_sizes)
	{
		for (unsigned i = 0; i < n; i++) {
			c[i].rm = rm;
			c[i].key = i;
			c[i].size = sizes[i % n_sizes];
			c[i].ret = 1;
			c[i].work.queue_unbound();
		}
	}
	void wait(unsigned n)
	{
		for (unsigned i = 0; i < n; i++)
			c[i].work.flush();
	}
};

// Waits up to a second for cond().
template <typename F>
bool eventually(F cond)
{
	for (unsigned i = 0; i < 1000; i++) {
		if (cond())
			return true;
		kcpp::msleep(1);
	}
	return cond();
}

gunyah_rm_mem_entry *entries(usize n)
{
	auto *e = static_cast<gunyah_rm_mem_entry *>(
		kcpp_kmalloc(n * sizeof(gunyah_rm_mem_entry), kcpp::gfp::kernel));
	for (usize i = 0; e && i < n; i++)
		e[i] = {0x40000000ull + 0x2000 * i, 0x1000};  // non-contiguous pages
	return e;
}

// A parcel of one page lent to VM 0x80 (self-referential: used in place).
struct OnePage {
	gunyah_rm_acl_entry acl[1] = {{0x80, GUNYAH_RM_ACL_R}};
	gunyah_rm_mem_entry mem[1] = {{0x40000000, 0x1000}};
	gunyah_rm_mem_parcel p = {GUNYAH_RM_MEM_TYPE_NORMAL, 0, 1, acl, 1, mem, 0};
	OnePage() = default;
	OnePage(const OnePage &) = delete;
};

// A parcel of n scattered pages for VM 0x80, read-only; freed even when an
// assertion ends the test early.
struct ManyPages {
	gunyah_rm_acl_entry acl[1] = {{0x80, GUNYAH_RM_ACL_R}};
	gunyah_rm_mem_entry *mem;
	gunyah_rm_mem_parcel p;
	explicit ManyPages(u32 n)
		: mem(entries(n)), p{GUNYAH_RM_MEM_TYPE_NORMAL, 0, 1, acl, n, mem, 0}
	{
	}
	~ManyPages() { kcpp_kfree(mem); }
	ManyPages(const ManyPages &) = delete;
};

} // namespace

// --- Framing and matching -----------------------------------------------------

KCPP_TEST(gunyah_rm, fragments_at_each_boundary)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	const usize sizes[] = {0, 232, 233, 464, 465, rpc::max_payload};
	const unsigned fragments[] = {1, 1, 2, 2, 3, 63};
	for (unsigned i = 0; i < 6; i++) {
		KCPP_EXPECT_EQ(echo(*b.rm, i, sizes[i]), 0);
		KCPP_EXPECT_EQ(b.last().fragments, fragments[i]);
		KCPP_EXPECT_EQ(b.last().size, sizes[i]);
	}
	// One fragment too many: refused before anything is sent.
	const unsigned before = b.hyp->n_records;
	KCPP_EXPECT_EQ(echo(*b.rm, 9, rpc::max_payload + 1), -E2BIG);
	b.hyp->work.flush();
	KCPP_EXPECT_EQ(b.hyp->n_records, before);
	KCPP_EXPECT_EQ(b.hyp->interleaved, 0u);
}

KCPP_TEST(gunyah_rm, concurrent_callers)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	kcpp::Box<Callers> callers = kcpp::make<Callers>(kcpp::gfp::kernel);
	KCPP_ASSERT_TRUE(static_cast<bool>(callers));
	// Sizes mix one-fragment and multi-fragment messages, which must not
	// interleave on the queue.
	const usize sizes[] = {0, 17, 232, 233, 700, 2000, 4000};
	callers->start(b.rm, Callers::max, sizes, 7);
	callers->wait(Callers::max);
	for (unsigned i = 0; i < Callers::max; i++)
		KCPP_EXPECT_EQ(callers->c[i].ret, 0);
	KCPP_EXPECT_EQ(b.hyp->n_records, Callers::max);
	KCPP_EXPECT_EQ(b.hyp->interleaved, 0u);
}

KCPP_TEST(gunyah_rm, replies_out_of_order)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	kcpp::Box<Callers> callers = kcpp::make<Callers>(kcpp::gfp::kernel);
	KCPP_ASSERT_TRUE(static_cast<bool>(callers));
	// The fake answers the 8 calls only when it has all 8, last first.
	b.hyp->reorder = 8;
	const usize sizes[] = {10, 300, 20, 1000};
	callers->start(b.rm, 8, sizes, 4);
	callers->wait(8);
	for (unsigned i = 0; i < 8; i++)
		KCPP_EXPECT_EQ(callers->c[i].ret, 0);
}

KCPP_TEST(gunyah_rm, tx_full_waits_for_not_full)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	kcpp::Box<Callers> callers = kcpp::make<Callers>(kcpp::gfp::kernel);
	KCPP_ASSERT_TRUE(static_cast<bool>(callers));
	// 20 fragments into a queue of 8 that nobody empties yet.
	b.hyp->stall_tx = true;
	const usize size = 20 * rpc::fragment_payload;
	callers->start(b.rm, 1, &size, 1);
	KCPP_EXPECT_TRUE(eventually([&] { return b.hyp->full() > 0; }));
	KCPP_EXPECT_EQ(callers->c[0].ret, 1);  // still waiting
	b.hyp->release_tx();
	callers->wait(1);
	KCPP_EXPECT_EQ(callers->c[0].ret, 0);
	KCPP_EXPECT_EQ(b.last().fragments, 20u);
}

KCPP_TEST(gunyah_rm, rx_drained_until_empty)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	struct Counter : RmSubscriber {
		Counter() : RmSubscriber(0x56100001, [](RmSubscriber *s, const u8 *p, usize n) {
			auto *c = static_cast<Counter *>(s);
			c->count++;
			c->last_size = n;
			c->first = n ? p[0] : 0;
		}) {}
		unsigned count = 0;
		usize last_size = 0;
		u8 first = 0;
	} counter;
	KCPP_ASSERT_EQ(b.rm->subscribe(counter), 0);
	KCPP_EXPECT_EQ(b.rm->subscribe(counter), -EBUSY);
	const u8 payload[5] = {9, 8, 7, 6, 5};
	for (unsigned i = 0; i < 5; i++)
		b.hyp->push(rpc::Type::notification, 0x56100001, 0, payload, 5);
	// One "interrupt" receives all five.
	b.rm->on_rx_irq();
	KCPP_EXPECT_EQ(counter.count, 5u);
	KCPP_EXPECT_EQ(b.hyp->rx_pending(), 0u);
	KCPP_EXPECT_EQ(counter.last_size, usize(5));
	KCPP_EXPECT_EQ(counter.first, u8(9));
	// A notification of several fragments is reassembled.
	u8 *big = patterned(3, 600);
	KCPP_ASSERT_TRUE(big != nullptr);
	b.hyp->notify(0x56100001, big, 600);
	b.hyp->work.flush();
	KCPP_EXPECT_EQ(counter.count, 6u);
	KCPP_EXPECT_EQ(counter.last_size, usize(600));
	KCPP_EXPECT_EQ(counter.first, pattern(3, 0));
	kcpp_kfree(big);
	// An unknown notification is dropped (and logged once), twice.
	b.hyp->notify(0x56100077, payload, 5);
	b.hyp->notify(0x56100077, payload, 5);
	b.hyp->work.flush();
	b.rm->unsubscribe(counter);
	b.hyp->notify(0x56100001, payload, 5);
	b.hyp->work.flush();
	KCPP_EXPECT_EQ(counter.count, 6u);
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), 0);
}

KCPP_TEST(gunyah_rm, create_drains_what_came_before)
{
	// Messages queued before the RM's interrupt existed raised their
	// edge already: create() receives them.
	Bench b(2000, {&recording_ops, &hook_state}, false);
	KCPP_ASSERT_TRUE(b.hyp != nullptr);
	const u8 payload[4] = {1, 2, 3, 4};
	b.hyp->push(rpc::Type::notification, 0x56100002, 0, payload, 4);
	b.hyp->push(rpc::Type::notification, 0x56100002, 0, payload, 4);
	b.start();
	KCPP_ASSERT_TRUE(b.ok());
	KCPP_EXPECT_EQ(b.hyp->rx_pending(), 0u);
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), 0);
}

// --- Faults --------------------------------------------------------------------

KCPP_TEST(gunyah_rm, timeout_then_late_reply)
{
	// Long enough for a round trip on a loaded TCG guest, short enough to wait.
	Bench b(250);
	KCPP_ASSERT_TRUE(b.ok());
	b.hyp->drop = 1;
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), -ETIMEDOUT);
	// The next call has its own seq and its own reply.
	KCPP_EXPECT_EQ(echo(*b.rm, 2, 10), 0);

	// A reply that comes after its caller gave up is dropped; the
	// caller's frame is gone by then (KASAN would see a use).
	b.hyp->hold = 1;
	KCPP_EXPECT_EQ(echo(*b.rm, 3, 300), -ETIMEDOUT);
	b.hyp->release_held();
	b.hyp->work.flush();
	KCPP_EXPECT_EQ(b.hyp->rx_pending(), 0u);
	KCPP_EXPECT_EQ(echo(*b.rm, 4, 300), 0);
}

KCPP_TEST(gunyah_rm, duplicate_and_truncated_replies)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	b.hyp->duplicate = 1;
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), 0);
	b.hyp->work.flush();
	KCPP_EXPECT_EQ(echo(*b.rm, 2, 10), 0);
	// A reply without its error word.
	b.hyp->truncate = 1;
	KCPP_EXPECT_EQ(echo(*b.rm, 3, 10), -EBADMSG);
	KCPP_EXPECT_EQ(echo(*b.rm, 4, 10), 0);
}

KCPP_TEST(gunyah_rm, malformed_messages_are_dropped)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	u8 bad[12] = {};
	rpc::Header{rpc::Type::reply, 0, 1, echo_id}.encode(bad);
	bad[0] = 0x22;  // API version 2
	b.hyp->push_raw(bad, sizeof(bad));
	b.hyp->push_raw(bad, 3);  // shorter than a header
	rpc::Header{rpc::Type::continuation, 1, 7, echo_id}.encode(bad);
	b.hyp->push_raw(bad, sizeof(bad));  // a continuation of nothing
	rpc::Header{rpc::Type::reply, 63, 7, echo_id}.encode(bad);
	b.hyp->push_raw(bad, sizeof(bad));  // more than 62 continuations
	rpc::Header{rpc::Type::reply, 2, 7, echo_id}.encode(bad);
	b.hyp->push_raw(bad, sizeof(bad));  // a first fragment whose rest never comes
	b.hyp->kick();
	b.hyp->work.flush();
	KCPP_EXPECT_EQ(b.hyp->rx_pending(), 0u);
	// The next reply's first fragment discards the partial one.
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 500), 0);
}

KCPP_TEST(gunyah_rm, rm_error_is_mapped)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	b.hyp->fail(echo_id, rpc::RmError::denied);
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), -EPERM);
	b.hyp->fail(echo_id, rpc::RmError::unimplemented);
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), -EOPNOTSUPP);
	b.hyp->fail(echo_id, static_cast<rpc::RmError>(0x99));  // no name
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), -EREMOTEIO);
	KCPP_EXPECT_EQ(echo(*b.rm, 1, 10), 0);
}

// --- Memory parcels and VMs -------------------------------------------------------

KCPP_TEST(gunyah_rm, lend_with_one_acl_entry_share_with_more)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	gunyah_rm_acl_entry acl[2] = {{0x80, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W},
				      {GUNYAH_VMID_HLOS, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W}};
	gunyah_rm_mem_entry mem[1] = {{0x40000000, 0x1000}};
	gunyah_rm_mem_parcel p = {GUNYAH_RM_MEM_TYPE_NORMAL, 5, 1, acl, 1, mem, 0};
	KCPP_ASSERT_EQ(b.rm->mem_share(&p), 0);
	KCPP_EXPECT_EQ(b.last().msg_id, u32(rpc::mem_lend));
	KCPP_EXPECT_EQ(b.last().n_acl, usize(1));
	KCPP_EXPECT_EQ(p.mem_handle, 0u);
	p.n_acl_entries = 2;
	KCPP_ASSERT_EQ(b.rm->mem_share(&p), 0);
	KCPP_EXPECT_EQ(b.last().msg_id, u32(rpc::mem_share));
	KCPP_EXPECT_EQ(b.last().n_acl, usize(2));
	KCPP_EXPECT_EQ(p.mem_handle, 1u);
	KCPP_EXPECT_EQ(b.rm->mem_reclaim(&p), 0);
	KCPP_EXPECT_EQ(b.last().msg_id, u32(rpc::mem_reclaim));
	KCPP_EXPECT_EQ(b.last().handle, 1u);
	p.n_acl_entries = 0;
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), -EINVAL);
}

KCPP_TEST(gunyah_rm, append_and_end_for_long_sgls)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	ManyPages pages(1025);
	KCPP_ASSERT_TRUE(pages.mem != nullptr);
	gunyah_rm_mem_parcel &p = pages.p;
	p.n_mem_entries = 512;

	KCPP_EXPECT_EQ(b.rm->mem_share(&p), 0);
	KCPP_EXPECT_EQ(b.hyp->n_records, 1u);
	KCPP_EXPECT_EQ(b.hyp->records[0].n_sgl, usize(512));
	KCPP_EXPECT_EQ(b.hyp->records[0].flags, u8(0));

	p.n_mem_entries = 513;
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), 0);
	KCPP_ASSERT_EQ(b.hyp->n_records, 3u);
	KCPP_EXPECT_EQ(b.hyp->records[1].msg_id, u32(rpc::mem_lend));
	KCPP_EXPECT_EQ(b.hyp->records[1].flags, memparcel::flag_append);
	KCPP_EXPECT_EQ(b.hyp->records[1].n_sgl, usize(512));
	KCPP_EXPECT_EQ(b.hyp->records[2].msg_id, u32(rpc::mem_append));
	KCPP_EXPECT_EQ(b.hyp->records[2].flags, memparcel::flag_end);
	KCPP_EXPECT_EQ(b.hyp->records[2].n_sgl, usize(1));
	KCPP_EXPECT_EQ(b.hyp->records[2].handle, p.mem_handle);

	p.n_mem_entries = 1025;
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), 0);
	KCPP_ASSERT_EQ(b.hyp->n_records, 6u);
	KCPP_EXPECT_EQ(b.hyp->records[3].flags, memparcel::flag_append);
	KCPP_EXPECT_EQ(b.hyp->records[3].n_sgl, usize(512));
	KCPP_EXPECT_EQ(b.hyp->records[4].msg_id, u32(rpc::mem_append));
	KCPP_EXPECT_EQ(b.hyp->records[4].flags, u8(0));
	KCPP_EXPECT_EQ(b.hyp->records[4].n_sgl, usize(512));
	KCPP_EXPECT_EQ(b.hyp->records[5].flags, memparcel::flag_end);
	KCPP_EXPECT_EQ(b.hyp->records[5].n_sgl, usize(1));
	KCPP_EXPECT_EQ(b.hyp->records[5].handle, p.mem_handle);
	KCPP_EXPECT_TRUE(hooks.is("PPP"));
}

KCPP_TEST(gunyah_rm, failed_append_reclaims_the_parcel)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	ManyPages pages(1025);
	KCPP_ASSERT_TRUE(pages.mem != nullptr);
	gunyah_rm_mem_parcel &p = pages.p;
	b.hyp->fail(rpc::mem_append, rpc::RmError::mem_invalid, 1);
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), -EINVAL);
	KCPP_ASSERT_EQ(b.hyp->n_records, 4u);
	KCPP_EXPECT_EQ(b.hyp->records[2].msg_id, u32(rpc::mem_append));
	KCPP_EXPECT_EQ(b.hyp->records[3].msg_id, u32(rpc::mem_reclaim));
	KCPP_EXPECT_EQ(b.hyp->records[3].handle, b.hyp->records[0].handle);
	KCPP_EXPECT_EQ(p.mem_handle, Rm::invalid_handle);
	KCPP_EXPECT_TRUE(hooks.is("PR"));
}

KCPP_TEST(gunyah_rm, failed_append_and_reclaim_keeps_the_parcel)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	ManyPages pages(1025);
	KCPP_ASSERT_TRUE(pages.mem != nullptr);
	gunyah_rm_mem_parcel &p = pages.p;
	b.hyp->fail(rpc::mem_append, rpc::RmError::mem_invalid, 1);
	b.hyp->fail_also(rpc::mem_reclaim, rpc::RmError::mem_inuse);
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), -EINVAL);
	KCPP_ASSERT_EQ(b.hyp->n_records, 4u);
	KCPP_EXPECT_EQ(b.hyp->records[3].msg_id, u32(rpc::mem_reclaim));
	// The RM still holds the parcel: the caller is told which, and the
	// platform does not get the memory back.
	KCPP_EXPECT_EQ(p.mem_handle, b.hyp->records[0].handle);
	KCPP_EXPECT_TRUE(hooks.is("P"));
}

KCPP_TEST(gunyah_rm, unanswered_share_leaves_the_memory_assigned)
{
	Bench b(250);
	KCPP_ASSERT_TRUE(b.ok());
	OnePage one;
	b.hyp->drop = 1;
	KCPP_EXPECT_EQ(b.rm->mem_share(&one.p), -ETIMEDOUT);
	// The RM may hold it: the platform does not get it back.
	KCPP_EXPECT_TRUE(hooks.is("P"));
	KCPP_EXPECT_EQ(one.p.mem_handle, Rm::invalid_handle);
}

KCPP_TEST(gunyah_rm, share_the_rm_never_got_is_undone)
{
	Bench b(250);
	KCPP_ASSERT_TRUE(b.ok());
	ManyPages pages(512);
	KCPP_ASSERT_TRUE(pages.mem != nullptr);
	gunyah_rm_mem_parcel &p = pages.p;
	// 36 fragments into a queue of 8 nobody empties: the RM never has the
	// whole LEND, so the platform gets its memory back.
	b.hyp->stall_tx = true;
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), -EBUSY);
	KCPP_EXPECT_TRUE(hooks.is("PR"));
	KCPP_EXPECT_EQ(p.mem_handle, Rm::invalid_handle);
	b.hyp->release_tx();
}

KCPP_TEST(gunyah_rm, hook_order)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	OnePage one;
	gunyah_rm_mem_parcel &p = one.p;

	// pre first; nothing else on success.
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), 0);
	KCPP_EXPECT_TRUE(hooks.is("P"));
	KCPP_EXPECT_TRUE(hooks.state_seen == &hook_state);
	// post_mem_reclaim when the RPC fails.
	hooks = {};
	b.hyp->fail(rpc::mem_lend, rpc::RmError::denied);
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), -EPERM);
	KCPP_EXPECT_TRUE(hooks.is("PR"));
	// pre refusing: no RPC, no post.
	hooks = {};
	hooks.pre_ret = -EIO;
	const unsigned before = b.hyp->n_records;
	KCPP_EXPECT_EQ(b.rm->mem_share(&p), -EIO);
	KCPP_EXPECT_TRUE(hooks.is("P"));
	KCPP_EXPECT_EQ(b.hyp->n_records, before);
	// reclaim: post only when the RM agreed.
	hooks = {};
	b.hyp->fail(rpc::mem_reclaim, rpc::RmError::mem_inuse);
	KCPP_EXPECT_EQ(b.rm->mem_reclaim(&p), -EBUSY);
	KCPP_EXPECT_TRUE(hooks.is(""));
	KCPP_EXPECT_EQ(b.rm->mem_reclaim(&p), 0);
	KCPP_EXPECT_TRUE(hooks.is("R"));
	// The demand-page pair calls exactly its own hooks.
	hooks = {};
	KCPP_EXPECT_EQ(b.rm->pre_demand_page(0x80, 0, 0x40000000, 0x1000), 0);
	KCPP_EXPECT_TRUE(hooks.is("D"));
	KCPP_EXPECT_EQ(b.rm->release_demand_page(0x80, 0, 0x40000000, 0x1000), 0);
	KCPP_EXPECT_TRUE(hooks.is("DE"));
}

KCPP_TEST(gunyah_rm, null_hooks_are_skipped)
{
	for (const gunyah_platform_ops *ops : {static_cast<const gunyah_platform_ops *>(nullptr), &no_hooks}) {
		Bench b(2000, {ops, nullptr});
		KCPP_ASSERT_TRUE(b.ok());
		OnePage one;
		gunyah_rm_mem_parcel &p = one.p;
		KCPP_EXPECT_EQ(b.rm->mem_share(&p), 0);
		KCPP_EXPECT_EQ(b.rm->mem_reclaim(&p), 0);
		KCPP_EXPECT_EQ(b.rm->pre_demand_page(0x80, 0, 0, 0x1000), 0);
		KCPP_EXPECT_EQ(b.rm->release_demand_page(0x80, 0, 0, 0x1000), 0);
		KCPP_EXPECT_TRUE(hooks.is(""));
	}
}

KCPP_TEST(gunyah_rm, alloc_vmid)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	u16 vmid = 0;
	KCPP_EXPECT_EQ(b.rm->alloc_vmid(0, &vmid), 0);
	KCPP_EXPECT_EQ(vmid, u16(0x80));
	KCPP_EXPECT_EQ(b.last().msg_id, u32(rpc::vm_alloc_vmid));
	KCPP_EXPECT_EQ(b.last().size, usize(4));
	KCPP_EXPECT_EQ(b.rm->alloc_vmid(0x85, &vmid), 0);
	KCPP_EXPECT_EQ(vmid, u16(0x85));
	b.hyp->fail(rpc::vm_alloc_vmid, rpc::RmError::vmid_invalid);
	KCPP_EXPECT_EQ(b.rm->alloc_vmid(0x85, &vmid), -EINVAL);
}

KCPP_TEST(gunyah_rm, references)
{
	Bench b;
	KCPP_ASSERT_TRUE(b.ok());
	KCPP_EXPECT_EQ(b.rm->refs(), 1u);
	b.rm->get();
	KCPP_EXPECT_EQ(b.rm->refs(), 2u);
	b.rm->put();
	KCPP_EXPECT_EQ(b.rm->refs(), 1u);
}
