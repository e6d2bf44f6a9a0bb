// SPDX-License-Identifier: GPL-2.0
// gunyah_sim's self-test (the selftest parameter), for when no RM client is
// bound: a minimal client of its own makes the hypercalls gunyah_rsc_mgr
// would, through the same call interface, with buffers by physical address,
// and waits for the simulated interrupts. Refused calls, the one pending
// reply (backpressure()), VM allocate and deallocate, a LEND whose 512-entry
// SGL takes 36 fragments, RECLAIM, an injected RM error, a dropped request
// and a duplicated reply. It checks the simulator, not gunyah_rsc_mgr, whose own
// client is tested against it.
#include <kcpp/alloc.hpp>
#include <kcpp/log.hpp>
#include <kcpp/memory.h>

#include "hyp_model.hpp"
#include "memparcel.hpp"
#include "rm_model.hpp"
#include "sim.h"

using namespace armature::gunyah;

namespace {

// As gunyah_rsc_mgr's call timeout: a debug kernel under TCG is slow.
constexpr unsigned wait_ms = 10000;

struct Client {
	kcpp::u64 tx_cap, rx_cap;
	kcpp::u8 *buf;  // one message, kmalloc'd: the hypervisor reads it by physical address
	kcpp::u16 seq = 0;

	unsigned long call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3,
			   unsigned long a4, unsigned long res[4])
	{
		const unsigned long args[8] = {fn, a1, a2, a3, a4, 0, 0, 0};
		gunyah_sim_hypercall(args, res);
		return res[0];
	}

	// One message; waits for the not-full interrupt while the queue is full.
	int send_message(kcpp::usize size)
	{
		for (;;) {
			unsigned long res[4];
			unsigned long err = call(sim::smccc::msgq_send, tx_cap, size,
						 kcpp_virt_to_phys(buf), 1, res);
			if (err == sim::ok)
				return 0;
			if (err != sim::msgqueue_full) {
				KCPP_ERR("gunyah_sim selftest: msgq_send: error %lu\n", err);
				return -EIO;
			}
			if (!gunyah_sim_selftest_wait(0, wait_ms)) {
				KCPP_ERR("gunyah_sim selftest: no not-full interrupt\n");
				return -ETIMEDOUT;
			}
		}
	}

	int send(kcpp::u32 msg_id, const kcpp::u8 *payload, kcpp::usize len)
	{
		int cont = rpc::continuations_for(len);
		if (cont < 0)
			return -E2BIG;
		seq++;
		for (int f = 0; f <= cont; f++) {
			rpc::Header{f ? rpc::Type::continuation : rpc::Type::request,
				    static_cast<kcpp::u8>(cont), seq, msg_id}
				.encode(buf);
			kcpp::usize off = static_cast<kcpp::usize>(f) * rpc::fragment_payload;
			kcpp::usize n = len - off < rpc::fragment_payload ? len - off : rpc::fragment_payload;
			for (kcpp::usize i = 0; i < n; i++)
				buf[rpc::header_size + i] = payload[off + i];
			if (int ret = send_message(rpc::header_size + n))
				return ret;
		}
		return 0;
	}

	// The next message, waiting up to ms for the RX interrupt; its size,
	// 0 on timeout, or a negative errno.
	long receive(unsigned ms)
	{
		for (;;) {
			unsigned long res[4];
			unsigned long err = call(sim::smccc::msgq_recv, rx_cap,
						 kcpp_virt_to_phys(buf), rpc::message_size, 0, res);
			if (err == sim::ok)
				return static_cast<long>(res[1]);
			if (err != sim::msgqueue_empty) {
				KCPP_ERR("gunyah_sim selftest: msgq_recv: error %lu\n", err);
				return -EIO;
			}
			if (!gunyah_sim_selftest_wait(1, ms))
				return 0;
		}
	}

	// The reply to the last request: its rm_error, and its payload's
	// words after it in out[].
	int reply(kcpp::u32 msg_id, kcpp::u32 &error, kcpp::u32 *out = nullptr, unsigned words = 0)
	{
		long size = receive(wait_ms);
		if (size <= 0) {
			KCPP_ERR("gunyah_sim selftest: no reply to 0x%x\n", msg_id);
			return size ? static_cast<int>(size) : -ETIMEDOUT;
		}
		rpc::Header h;
		if (!rpc::Header::decode(buf, h) || h.type != rpc::Type::reply || h.msg_id != msg_id ||
		    h.seq != seq || size < static_cast<long>(rpc::header_size + 4 + 4 * words)) {
			KCPP_ERR("gunyah_sim selftest: a bad reply to 0x%x: type %u msg_id 0x%x seq %u size %ld\n",
				 msg_id, static_cast<unsigned>(h.type), h.msg_id, h.seq, size);
			return -EPROTO;
		}
		error = memparcel::get32(buf + rpc::header_size);
		for (unsigned i = 0; i < words; i++)
			out[i] = memparcel::get32(buf + rpc::header_size + 4 + 4 * i);
		return 0;
	}

	int expect(const char *what, kcpp::u32 msg_id, kcpp::u32 want, kcpp::u32 *out = nullptr,
		   unsigned words = 0)
	{
		kcpp::u32 error;
		if (int ret = reply(msg_id, error, out, words))
			return ret;
		if (error != want) {
			KCPP_ERR("gunyah_sim selftest: %s: RM error 0x%x, expected 0x%x\n", what, error,
				 want);
			return -EPROTO;
		}
		return 0;
	}
};

// The one pending reply: with the client's receive queue full (8 replies)
// and a ninth reply held, the RM reads no more, so after 8 more requests the
// send queue is full (17 accepted in all). One receive lets the RM go on by
// one request: the send queue drops to 7 and raises the not-full interrupt.
// Then every reply comes, in order.
int backpressure(Client &c)
{
	constexpr kcpp::u32 unknown = 0x5600ff00;
	const kcpp::u16 first = static_cast<kcpp::u16>(c.seq + 1);
	for (int i = 0; i < 17; i++)
		if (int ret = c.send(unknown, nullptr, 0))
			return ret;
	gunyah_sim_stats st;
	for (int tries = 0;; tries++) {
		gunyah_sim_get_stats(&st);
		if (st.rx_queued == 8 && st.outbox == 1 && st.tx_queued == 8)
			break;
		if (tries == 1000) {
			KCPP_ERR("gunyah_sim selftest: queues %u/%u/%u, expected 8 received, 1 held, 8 sent\n",
				 st.rx_queued, st.outbox, st.tx_queued);
			return -EPROTO;
		}
		gunyah_sim_selftest_wait(1, 10);
	}
	unsigned long res[4];
	rpc::Header{rpc::Type::request, 0, static_cast<kcpp::u16>(c.seq + 1), unknown}.encode(c.buf);
	if (c.call(sim::smccc::msgq_send, c.tx_cap, rpc::header_size, kcpp_virt_to_phys(c.buf), 1,
		   res) != sim::msgqueue_full) {
		KCPP_ERR("gunyah_sim selftest: the 18th send was not refused as FULL\n");
		return -EPROTO;
	}
	while (gunyah_sim_selftest_wait(0, 0))
		;  // earlier not-full interrupts
	if (c.receive(wait_ms) <= 0)
		return -EPROTO;
	if (!gunyah_sim_selftest_wait(0, wait_ms)) {
		KCPP_ERR("gunyah_sim selftest: no not-full interrupt after a receive\n");
		return -ETIMEDOUT;
	}
	if (int ret = c.send(unknown, nullptr, 0))
		return ret;
	for (kcpp::u16 seq = static_cast<kcpp::u16>(first + 1); seq != c.seq + 1; seq++) {
		long size = c.receive(wait_ms);
		rpc::Header h;
		if (size <= 0 || !rpc::Header::decode(c.buf, h) || h.seq != seq) {
			KCPP_ERR("gunyah_sim selftest: reply %u missing or out of order (%ld, seq %u)\n",
				 seq, size, size > 0 ? h.seq : 0);
			return -EPROTO;
		}
	}
	return 0;
}

// What the hypervisor refuses before a queue is touched: another cap, the
// receive end's cap, a buffer that is not RAM of the VM (physical 0 is the
// virt machine's flash).
int refusals(Client &c)
{
	unsigned long res[4];
	const unsigned long buf = kcpp_virt_to_phys(c.buf);
	struct {
		unsigned long cap, buf, want;
	} cases[] = {
		{c.tx_cap + c.rx_cap + 1, buf, sim::cspace_cap_null},
		{c.rx_cap, buf, sim::cspace_insufficient_rights},
		{c.tx_cap, 0, sim::addr_invalid},
	};
	for (auto &k : cases) {
		unsigned long err = c.call(sim::smccc::msgq_send, k.cap, rpc::header_size, k.buf, 1, res);
		if (err != k.want) {
			KCPP_ERR("gunyah_sim selftest: msgq_send(cap 0x%lx, buf 0x%lx): error %lu, expected %lu\n",
				 k.cap, k.buf, err, k.want);
			return -EPROTO;
		}
	}
	return 0;
}

int run(Client &c, kcpp::u8 *payload)
{
	if (int ret = refusals(c))
		return ret;
	if (int ret = backpressure(c))
		return ret;

	// VM allocate, deallocate.
	kcpp::u8 req[4] = {};
	kcpp::u32 word;
	if (int ret = c.send(rpc::vm_alloc_vmid, req, 4))
		return ret;
	if (int ret = c.expect("VM_ALLOCATE", rpc::vm_alloc_vmid, 0, &word, 1))
		return ret;
	const kcpp::u16 vmid = static_cast<kcpp::u16>(word);
	if (vmid < sim::vmid_dynamic_first || vmid > sim::vmid_dynamic_last) {
		KCPP_ERR("gunyah_sim selftest: VM_ALLOCATE gave VMID 0x%x\n", vmid);
		return -EPROTO;
	}

	// A LEND to it of 512 pages, 36 fragments.
	memparcel::SglEntry *sgl = reinterpret_cast<memparcel::SglEntry *>(payload + 16384);
	for (unsigned i = 0; i < memparcel::max_entries; i++)
		sgl[i] = {0x800000000000ull + i * 0x2000ull, 0x1000};
	const memparcel::AclEntry acl = {vmid, 6};
	kcpp::usize len = memparcel::encode_share(payload, 0, 0, 0x5e1f, &acl, 1, sgl,
						  memparcel::max_entries);
	if (int ret = c.send(rpc::mem_lend, payload, len))
		return ret;
	kcpp::u32 handle;
	if (int ret = c.expect("LEND", rpc::mem_lend, 0, &handle, 1))
		return ret;
	gunyah_sim_stats st;
	gunyah_sim_get_stats(&st);
	if (st.lent_bytes != memparcel::max_entries * 0x1000ull) {
		KCPP_ERR("gunyah_sim selftest: %llu bytes lent after LEND\n", st.lent_bytes);
		return -EPROTO;
	}

	// An injected error, a dropped request, a duplicated reply.
	kcpp::u8 req8[memparcel::reclaim_size];
	memparcel::encode_reclaim(req8, handle, 0);
	gunyah_sim_knob_set(GUNYAH_SIM_ERROR_NEXT, static_cast<unsigned>(rpc::RmError::busy));
	if (int ret = c.send(rpc::mem_reclaim, req8, sizeof(req8)))
		return ret;
	if (int ret = c.expect("RECLAIM, BUSY injected", rpc::mem_reclaim,
			       static_cast<kcpp::u32>(rpc::RmError::busy)))
		return ret;
	gunyah_sim_knob_set(GUNYAH_SIM_DROP_NEXT, 1);
	if (int ret = c.send(rpc::mem_reclaim, req8, sizeof(req8)))
		return ret;
	if (long size = c.receive(200)) {
		KCPP_ERR("gunyah_sim selftest: a reply (%ld) to a dropped request\n", size);
		return -EPROTO;
	}
	gunyah_sim_knob_set(GUNYAH_SIM_DUPLICATE_NEXT, 1);
	if (int ret = c.send(rpc::mem_reclaim, req8, sizeof(req8)))
		return ret;
	if (int ret = c.expect("RECLAIM", rpc::mem_reclaim, 0))
		return ret;
	if (int ret = c.expect("RECLAIM's duplicate", rpc::mem_reclaim, 0))
		return ret;

	memparcel::put16(req, vmid);
	if (int ret = c.send(rpc::vm_dealloc_vmid, req, 4))
		return ret;
	if (int ret = c.expect("VM_DEALLOCATE", rpc::vm_dealloc_vmid, 0))
		return ret;
	gunyah_sim_get_stats(&st);
	if (st.parcels || st.vmids || st.lent_bytes || st.outbox || st.tx_queued || st.rx_queued) {
		KCPP_ERR("gunyah_sim selftest: left %u parcels, %u VMIDs, %u/%u/%u messages\n",
			 st.parcels, st.vmids, st.outbox, st.tx_queued, st.rx_queued);
		return -EPROTO;
	}
	return 0;
}

} // namespace

extern "C" int gunyah_sim_selftest(__u64 tx_cap, __u64 rx_cap)
{
	Client c{tx_cap, rx_cap, nullptr};
	c.buf = static_cast<kcpp::u8 *>(kcpp_kmalloc(rpc::message_size, kcpp::gfp::kernel));
	auto *payload = static_cast<kcpp::u8 *>(kcpp_kmalloc(32768, kcpp::gfp::kernel));
	int ret = c.buf && payload ? run(c, payload) : -ENOMEM;
	kcpp_kfree(payload);
	kcpp_kfree(c.buf);
	return ret;
}
