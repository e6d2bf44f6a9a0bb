// SPDX-License-Identifier: GPL-2.0
// Tests of gunyah's pure parts: RPC framing (rpc.hpp), memory-parcel
// messages (memparcel.hpp), RM and hypervisor error mapping, the UUID
// register layout and the identification decisions of the hypercall layer
// (hypercall.hpp) on fake call functions: the firmware path cannot run in
// QEMU. Part of the KUnit suite armature_gunyah and of the host tests.
#include <kcpp_test.hpp>

#include "hypercall.hpp"
#include "memparcel.hpp"
#include "rpc.hpp"

using namespace armature::gunyah;

// Gunyah's UID (the name alone would also mean the C struct gunyah_uuid).
static constexpr Uuid plain_uuid = armature::gunyah::gunyah_uuid;

// --- RPC framing -------------------------------------------------------------

KCPP_TEST(gunyah_rpc, fragment_counts_at_each_boundary)
{
	KCPP_EXPECT_EQ(rpc::fragment_payload, usize(232));
	KCPP_EXPECT_EQ(rpc::continuations_for(0), 0);
	KCPP_EXPECT_EQ(rpc::continuations_for(1), 0);
	KCPP_EXPECT_EQ(rpc::continuations_for(232), 0);
	KCPP_EXPECT_EQ(rpc::continuations_for(233), 1);
	KCPP_EXPECT_EQ(rpc::continuations_for(464), 1);
	KCPP_EXPECT_EQ(rpc::continuations_for(465), 2);
	KCPP_EXPECT_EQ(rpc::continuations_for(rpc::max_payload), 62);
	KCPP_EXPECT_EQ(rpc::continuations_for(rpc::max_payload - 231), 62);
	KCPP_EXPECT_EQ(rpc::continuations_for(rpc::max_payload - 232), 61);
	KCPP_EXPECT_EQ(rpc::continuations_for(rpc::max_payload + 1), -1);
	KCPP_EXPECT_EQ(rpc::max_payload, usize(232 * 63));
}

KCPP_TEST(gunyah_rpc, header_round_trip)
{
	const rpc::Header in{rpc::Type::reply, 62, 0xbeef, 0x51000013};
	u8 wire[rpc::header_size];
	in.encode(wire);
	KCPP_EXPECT_EQ(wire[0], u8(0x21));        // 2 header words, API 1
	KCPP_EXPECT_EQ(wire[1], u8(62 << 2 | 2)); // fragments, reply
	KCPP_EXPECT_EQ(wire[2], u8(0xef));
	KCPP_EXPECT_EQ(wire[3], u8(0xbe));
	KCPP_EXPECT_EQ(wire[4], u8(0x13));
	KCPP_EXPECT_EQ(wire[7], u8(0x51));
	rpc::Header out{};
	KCPP_ASSERT_TRUE(rpc::Header::decode(wire, out));
	KCPP_EXPECT_TRUE(out.type == rpc::Type::reply);
	KCPP_EXPECT_EQ(out.fragments, u8(62));
	KCPP_EXPECT_EQ(out.seq, u16(0xbeef));
	KCPP_EXPECT_EQ(out.msg_id, u32(0x51000013));
	wire[0] = 0x22; // API version 2
	KCPP_EXPECT_FALSE(rpc::Header::decode(wire, out));
	wire[0] = 0x31; // 3 header words
	KCPP_EXPECT_FALSE(rpc::Header::decode(wire, out));
}

KCPP_TEST(gunyah_rpc, rm_errors_map_to_errno_and_names)
{
	using E = rpc::RmError;
	KCPP_EXPECT_EQ(rpc::to_errno(E::ok), 0);
	KCPP_EXPECT_EQ(rpc::to_errno(E::unimplemented), -EOPNOTSUPP);
	KCPP_EXPECT_EQ(rpc::to_errno(E::no_memory), -ENOMEM);
	KCPP_EXPECT_EQ(rpc::to_errno(E::denied), -EPERM);
	KCPP_EXPECT_EQ(rpc::to_errno(E::msg_invalid), -EINVAL);
	KCPP_EXPECT_EQ(rpc::to_errno(E::mem_inuse), -EBUSY);
	KCPP_EXPECT_EQ(rpc::to_errno(E::vmid_invalid), -EINVAL);
	KCPP_EXPECT_EQ(rpc::to_errno(E::in_use), -EBUSY);
	KCPP_EXPECT_EQ(rpc::to_errno(static_cast<E>(0x77)), -EREMOTEIO);
	// The values of quic/gunyah-resource-manager's rm_types.h.
	KCPP_EXPECT_EQ(static_cast<u32>(E::denied), 3u);
	KCPP_EXPECT_EQ(static_cast<u32>(E::msg_invalid), 4u);
	KCPP_EXPECT_EQ(static_cast<u32>(E::argument_invalid), 6u);
	KCPP_EXPECT_EQ(static_cast<u32>(E::handle_invalid), 7u);
	KCPP_EXPECT_EQ(static_cast<u32>(E::mem_invalid), 0xau);
	KCPP_EXPECT_EQ(static_cast<u32>(E::mem_inuse), 0xbu);
	KCPP_EXPECT_EQ(static_cast<u32>(E::vmid_invalid), 0xdu);
	KCPP_EXPECT_EQ(static_cast<u32>(E::irq_released), 0x11u);
	KCPP_EXPECT_EQ(static_cast<u32>(E::vm_state), 0x14u);
	// Every defined code has a name and an errno.
	for (u32 v = 0; v <= 0x14; v++) {
		KCPP_EXPECT_TRUE(rpc::name(static_cast<E>(v)) != nullptr);
		KCPP_EXPECT_TRUE(rpc::to_errno(static_cast<E>(v)) != -EREMOTEIO);
	}
	KCPP_EXPECT_TRUE(rpc::name(E::unimplemented) != nullptr);
	KCPP_EXPECT_TRUE(rpc::name(static_cast<E>(0x15)) == nullptr);
	const char *denied = rpc::name(E::denied);
	KCPP_EXPECT_TRUE(denied && denied[0] == 'D' && denied[5] == 'D' && !denied[6]);
}

KCPP_TEST(gunyah_rpc, hypervisor_errors_map_to_errno)
{
	KCPP_EXPECT_EQ(to_errno(HypError::ok), 0);
	KCPP_EXPECT_EQ(to_errno(HypError::unimplemented), -EOPNOTSUPP);
	KCPP_EXPECT_EQ(to_errno(HypError::retry), -EAGAIN);
	KCPP_EXPECT_EQ(to_errno(HypError::arg_size), -EINVAL);
	KCPP_EXPECT_EQ(to_errno(HypError::addr_inval), -EINVAL);
	KCPP_EXPECT_EQ(to_errno(HypError::msgqueue_full), -EIO);
	KCPP_EXPECT_EQ(to_errno(HypError::cspace_cap_null), -EACCES);
	KCPP_EXPECT_EQ(static_cast<long>(HypError::arg_size), 2l);
	KCPP_EXPECT_EQ(static_cast<long>(HypError::addr_inval), 22l);
	KCPP_EXPECT_EQ(static_cast<long>(HypError::msgqueue_empty), 60l);
	KCPP_EXPECT_EQ(static_cast<long>(HypError::msgqueue_full), 61l);
	KCPP_EXPECT_EQ(static_cast<long>(HypError::unimplemented), -1l);
}

// --- Memory parcels ----------------------------------------------------------

KCPP_TEST(gunyah_memparcel, split_at_512_entries)
{
	auto eq = [](memparcel::Split s, usize first, usize appends) {
		return s.first == first && s.appends == appends;
	};
	KCPP_EXPECT_TRUE(eq(memparcel::split(1), 1, 0));
	KCPP_EXPECT_TRUE(eq(memparcel::split(512), 512, 0));
	KCPP_EXPECT_TRUE(eq(memparcel::split(513), 512, 1));
	KCPP_EXPECT_TRUE(eq(memparcel::split(1024), 512, 1));
	KCPP_EXPECT_TRUE(eq(memparcel::split(1025), 512, 2));
	// The largest first message fits one RPC.
	KCPP_EXPECT_TRUE(memparcel::share_size(512, 512) <= rpc::max_payload);
	KCPP_EXPECT_TRUE(memparcel::append_size(512) <= rpc::max_payload);
}

KCPP_TEST(gunyah_memparcel, share_round_trip)
{
	const memparcel::AclEntry acl[2] = {{3, 7}, {0x80, 6}};
	const memparcel::SglEntry sgl[3] = {{0x80000000, 0x1000},
					    {0x123456789000, 0x200000},
					    {0xfffff000, 0x1000}};
	u8 msg[memparcel::share_size(2, 3)];
	usize n = memparcel::encode_share(msg, 1, memparcel::flag_append, 0xabcdef01, acl, 2, sgl, 3);
	KCPP_ASSERT_EQ(n, sizeof(msg));
	KCPP_EXPECT_EQ(msg[0], u8(1));
	KCPP_EXPECT_EQ(msg[2], memparcel::flag_append);
	memparcel::ShareRequest r{};
	KCPP_ASSERT_TRUE(memparcel::parse_share(msg, n, r) == rpc::RmError::ok);
	KCPP_EXPECT_EQ(r.mem_type, u8(1));
	KCPP_EXPECT_EQ(r.flags, memparcel::flag_append);
	KCPP_EXPECT_EQ(r.label, 0xabcdef01u);
	KCPP_ASSERT_EQ(r.acl.count, usize(2));
	KCPP_EXPECT_EQ(r.acl.acl(1).vmid, u16(0x80));
	KCPP_EXPECT_EQ(r.acl.acl(1).rights, u8(6));
	KCPP_ASSERT_EQ(r.sgl.count, usize(3));
	KCPP_EXPECT_EQ(r.sgl.sgl(1).ipa, u64(0x123456789000));
	KCPP_EXPECT_EQ(r.sgl.sgl(1).size, u64(0x200000));
	KCPP_EXPECT_EQ(r.attr.count, usize(0));
	// Truncated, or with a byte too many: MSG_INVALID.
	KCPP_EXPECT_TRUE(memparcel::parse_share(msg, n - 1, r) == rpc::RmError::msg_invalid);
	u8 longer[sizeof(msg) + 1] = {};
	__builtin_memcpy(longer, msg, n);
	KCPP_EXPECT_TRUE(memparcel::parse_share(longer, n + 1, r) == rpc::RmError::msg_invalid);
	// Without the (empty) attribute list it still parses.
	KCPP_EXPECT_TRUE(memparcel::parse_share(msg, n - 4, r) == rpc::RmError::ok);
}

KCPP_TEST(gunyah_memparcel, append_and_reclaim_round_trip)
{
	const memparcel::SglEntry sgl[2] = {{0x1000, 0x1000}, {0x3000, 0x2000}};
	u8 msg[memparcel::append_size(2)];
	usize n = memparcel::encode_append(msg, 42, memparcel::flag_end, sgl, 2);
	KCPP_ASSERT_EQ(n, sizeof(msg));
	memparcel::AppendRequest a{};
	KCPP_ASSERT_TRUE(memparcel::parse_append(msg, n, a) == rpc::RmError::ok);
	KCPP_EXPECT_EQ(a.handle, 42u);
	KCPP_EXPECT_EQ(a.flags, memparcel::flag_end);
	KCPP_ASSERT_EQ(a.sgl.count, usize(2));
	KCPP_EXPECT_EQ(a.sgl.sgl(1).size, u64(0x2000));
	KCPP_EXPECT_TRUE(memparcel::parse_append(msg, n - 16, a) == rpc::RmError::msg_invalid);

	u8 rec[memparcel::reclaim_size];
	KCPP_ASSERT_EQ(memparcel::encode_reclaim(rec, 0, memparcel::flag_sanitize), usize(8));
	memparcel::ReclaimRequest r{};
	KCPP_ASSERT_TRUE(memparcel::parse_reclaim(rec, sizeof(rec), r) == rpc::RmError::ok);
	KCPP_EXPECT_EQ(r.handle, 0u);
	KCPP_EXPECT_EQ(r.flags, memparcel::flag_sanitize);
	KCPP_EXPECT_TRUE(memparcel::parse_reclaim(rec, 7, r) == rpc::RmError::msg_invalid);
}

// --- Hypercalls and identification -------------------------------------------

namespace {

// A hypervisor that answers the identification calls as told, and records
// the last call.
struct FakeFirmware {
	unsigned long uid[4];
	unsigned long identify[4];
	unsigned long qcom[4];
	unsigned long last_args[8];
	unsigned long msgq_res[4];
	unsigned calls;
};
FakeFirmware fw;

void fw_call(const unsigned long args[8], unsigned long res[4])
{
	fw.calls++;
	for (unsigned i = 0; i < 8; i++)
		fw.last_args[i] = args[i];
	const unsigned long *answer = fw.msgq_res;
	switch (static_cast<u32>(args[0])) {
	case fn::uid:
		answer = fw.uid;
		break;
	case fn::hyp_identify:
		answer = fw.identify;
		break;
	case fn::qcom_uuid:
		answer = fw.qcom;
		break;
	}
	for (unsigned i = 0; i < 4; i++)
		res[i] = answer[i];
}

__u64 fake_phys(const void *p) { return reinterpret_cast<__u64>(p) ^ 0x5000000000ull; }

void fw_reset()
{
	fw = {};
	uuid_to_smccc(plain_uuid, fw.uid);
	fw.identify[0] = 1ul | 1ul << 15;  // API v1, 64-bit
	fw.identify[1] = 1ul << 2;         // msgqueue
	fw.qcom[0] = ~0ul;                 // unknown function
}

Hypercalls fw_hyp(Conduit c = Conduit::hvc) { return Hypercalls({fw_call, fake_phys, c}); }

} // namespace

KCPP_TEST(gunyah_hypercall, uuid_registers_as_the_kernel_reads_them)
{
	// The series reads w0..w3 into uuid_t bytes 0..15 as u32 stores on a
	// little-endian CPU: c1d58fcd-... is w0 = 0xcd8fd5c1.
	unsigned long res[4];
	uuid_to_smccc(plain_uuid, res);
	KCPP_EXPECT_EQ(res[0], 0xcd8fd5c1ul);
	KCPP_EXPECT_EQ(res[1], 0xdb5f53a4ul);
	KCPP_EXPECT_EQ(res[2], 0x36ce6592ul);
	KCPP_EXPECT_EQ(res[3], 0x145f3d67ul);
	KCPP_EXPECT_TRUE(uuid_from_smccc(res) == plain_uuid);
	// Upper halves of the registers are not part of the UUID.
	res[0] |= 0xffffffff00000000ul;
	KCPP_EXPECT_TRUE(uuid_from_smccc(res) == plain_uuid);
	uuid_to_smccc(qcom_platform_uuid, res);
	KCPP_EXPECT_EQ(res[0], 0xbd54bd19ul);
	KCPP_EXPECT_TRUE(uuid_from_smccc(res) == qcom_platform_uuid);
	KCPP_EXPECT_TRUE(smccc_unknown(~0ul));
	KCPP_EXPECT_TRUE(smccc_unknown(0xfffffffful));
	KCPP_EXPECT_FALSE(smccc_unknown(0xcd8fd5c1ul));
}

KCPP_TEST(gunyah_hypercall, conduit_none_is_not_gunyah_without_a_call)
{
	fw_reset();
	Identity id = fw_hyp(Conduit::none).identify();
	KCPP_EXPECT_FALSE(id.is_gunyah);
	KCPP_EXPECT_TRUE(id.reason != nullptr);
	KCPP_EXPECT_EQ(fw.calls, 0u);
	// Nor with no policy at all.
	Identity none = Hypercalls().identify();
	KCPP_EXPECT_FALSE(none.is_gunyah);
	KCPP_EXPECT_TRUE(none.reason != nullptr);
}

KCPP_TEST(gunyah_hypercall, unknown_or_other_uid_is_not_gunyah)
{
	fw_reset();
	fw.uid[0] = ~0ul; // no vendor-hyp UID service
	Identity id = fw_hyp().identify();
	KCPP_EXPECT_FALSE(id.is_gunyah);
	KCPP_EXPECT_TRUE(id.reason != nullptr);
	KCPP_EXPECT_EQ(fw.calls, 1u);
	KCPP_EXPECT_EQ(fw.last_args[0], 0x8600ff01ul);

	// KVM's UID (28b46fb6-2ec5-11e9-a9ca-4b564d003a74).
	fw_reset();
	const Uuid kvm = {{0x28, 0xb4, 0x6f, 0xb6, 0x2e, 0xc5, 0x11, 0xe9, 0xa9, 0xca, 0x4b, 0x56,
			   0x4d, 0x00, 0x3a, 0x74}};
	uuid_to_smccc(kvm, fw.uid);
	id = fw_hyp(Conduit::smc).identify();
	KCPP_EXPECT_FALSE(id.is_gunyah);
	KCPP_EXPECT_TRUE(id.reason != nullptr);
	KCPP_EXPECT_TRUE(id.uid == kvm);
	KCPP_EXPECT_TRUE(id.conduit == Conduit::smc);
	KCPP_EXPECT_EQ(fw.calls, 1u);
}

KCPP_TEST(gunyah_hypercall, plain_gunyah_and_qualcomm)
{
	fw_reset();
	Identity id = fw_hyp().identify();
	KCPP_ASSERT_TRUE(id.is_gunyah);
	KCPP_EXPECT_TRUE(id.reason == nullptr);
	KCPP_EXPECT_TRUE(id.platform == plain_uuid);
	KCPP_EXPECT_FALSE(id.is_qcom());
	KCPP_EXPECT_EQ(id.api.version(), u16(1));
	KCPP_EXPECT_TRUE(id.api.is_64bit());
	KCPP_EXPECT_TRUE(id.has(Feature::msgqueue));
	KCPP_EXPECT_FALSE(id.has(Feature::vcpu));
	KCPP_EXPECT_EQ(fw.calls, 3u);
	KCPP_EXPECT_EQ(fw.last_args[0], 0x86003f01ul);

	uuid_to_smccc(qcom_platform_uuid, fw.qcom);
	id = fw_hyp().identify();
	KCPP_ASSERT_TRUE(id.is_gunyah);
	KCPP_EXPECT_TRUE(id.is_qcom());
	KCPP_EXPECT_TRUE(id.platform == qcom_platform_uuid);
	KCPP_EXPECT_TRUE(id.uid == plain_uuid);
}

KCPP_TEST(gunyah_hypercall, api_other_than_v1_is_not_gunyah)
{
	fw_reset();
	fw.identify[0] = 2 | 1ul << 15 | 0x81ul << 56;
	Identity id = fw_hyp().identify();
	KCPP_EXPECT_FALSE(id.is_gunyah);
	KCPP_EXPECT_TRUE(id.reason != nullptr);
	KCPP_EXPECT_EQ(id.api.version(), u16(2));
	KCPP_EXPECT_EQ(id.api.variant(), u8(0x81));
	KCPP_EXPECT_EQ(fw.calls, 2u);
}

KCPP_TEST(gunyah_hypercall, msgq_registers)
{
	fw_reset();
	u8 buf[16];
	fw.msgq_res[0] = 0;
	fw.msgq_res[1] = 1;
	MsgqSend s = fw_hyp().msgq_send(0x1234, buf, 200, true);
	KCPP_EXPECT_EQ(fw.last_args[0], 0xc600801bul);
	KCPP_EXPECT_EQ(fw.last_args[1], 0x1234ul);
	KCPP_EXPECT_EQ(fw.last_args[2], 200ul);
	KCPP_EXPECT_EQ(fw.last_args[3], static_cast<unsigned long>(fake_phys(buf)));
	KCPP_EXPECT_EQ(fw.last_args[4], 1ul);
	KCPP_EXPECT_TRUE(s.error == HypError::ok);
	KCPP_EXPECT_TRUE(s.not_full);

	fw.msgq_res[0] = 61;
	fw.msgq_res[1] = 0;
	s = fw_hyp().msgq_send(0x1234, buf, 8, false);
	KCPP_EXPECT_EQ(fw.last_args[4], 0ul);
	KCPP_EXPECT_TRUE(s.error == HypError::msgqueue_full);
	KCPP_EXPECT_FALSE(s.not_full);

	fw.msgq_res[0] = 0;
	fw.msgq_res[1] = 96;
	fw.msgq_res[2] = 1;
	MsgqRecv r = fw_hyp().msgq_recv(0x99, buf, 240);
	KCPP_EXPECT_EQ(fw.last_args[0], 0xc600801cul);
	KCPP_EXPECT_EQ(fw.last_args[1], 0x99ul);
	KCPP_EXPECT_EQ(fw.last_args[2], static_cast<unsigned long>(fake_phys(buf)));
	KCPP_EXPECT_EQ(fw.last_args[3], 240ul);
	KCPP_EXPECT_TRUE(r.error == HypError::ok);
	KCPP_EXPECT_EQ(r.size, usize(96));
	KCPP_EXPECT_TRUE(r.not_empty);

	fw.msgq_res[0] = ~0ul; // -1 as x0: UNIMPLEMENTED
	r = fw_hyp().msgq_recv(0x99, buf, 240);
	KCPP_EXPECT_TRUE(r.error == HypError::unimplemented);
	KCPP_EXPECT_EQ(to_errno(r.error), -EOPNOTSUPP);
}
