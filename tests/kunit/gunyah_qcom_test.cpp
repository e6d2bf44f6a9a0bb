// SPDX-License-Identifier: GPL-2.0
// Tests of Qualcomm's platform ops (drivers/virt/gunyah/qcom.hpp) on a
// secure world in memory: who owns each memory entry after a share, a
// failed share and a reclaim. Part of the KUnit suite armature_gunyah_qcom
// and of the host tests.
#include "kcpp_test.hpp"
#include "qcom.hpp"
#include <initializer_list>

using namespace armature::gunyah;
using kcpp::u64;

namespace {

constexpr u64 bit(unsigned n) { return u64{1} << n; }

// A secure world of entries, each with its owners' bitmap; refuses an
// assignment whose source is not the current owners (as the firmware does)
// and fails the calls whose numbers are set in fail (bit 1 = the first).
struct FakeScm {
	static constexpr unsigned entries = 8;
	u64 owner[entries];
	unsigned calls = 0;
	u64 fail = 0;
	u64 last_src = 0;

	static FakeScm *current;

	FakeScm()
	{
		for (u64 &o : owner)
			o = 1u << GUNYAH_QCOM_VMID_HLOS;
		current = this;
	}
	static int assign(__u64 phys, __u64, __u64 *src, const gunyah_qcom_vmperm *to, unsigned n)
	{
		FakeScm &s = *current;
		unsigned i = static_cast<unsigned>(phys >> 12);
		s.last_src = *src;
		if (s.fail & bit(++s.calls) || i >= entries || *src != s.owner[i])
			return -EINVAL;
		u64 owners = 0;
		for (unsigned k = 0; k < n; k++)
			owners |= u64{1} << to[k].vmid;
		s.owner[i] = owners;
		*src = owners;
		return 0;
	}
	bool all_hlos(unsigned n) const
	{
		for (unsigned i = 0; i < n; i++)
			if (owner[i] != 1u << GUNYAH_QCOM_VMID_HLOS)
				return false;
		return true;
	}
};
FakeScm *FakeScm::current;

constexpr gunyah_qcom_scm_ops fake_ops = {.assign_mem = FakeScm::assign};

struct Parcel {
	gunyah_rm_acl_entry acl[20];
	gunyah_rm_mem_entry mem[FakeScm::entries];
	gunyah_rm_mem_parcel p{};

	Parcel(unsigned n_mem, std::initializer_list<gunyah_rm_acl_entry> entries)
	{
		unsigned n = 0;
		for (const gunyah_rm_acl_entry &e : entries)
			acl[n++] = e;
		for (unsigned i = 0; i < n_mem; i++)
			mem[i] = {static_cast<__u64>(i) << 12, 0x1000};
		p = {GUNYAH_RM_MEM_TYPE_NORMAL, 7, n, acl, n_mem, mem, 0};
	}
};

} // namespace

KCPP_TEST(gunyah_qcom, owners_map_dynamic_vmids_and_merge)
{
	Parcel lend(1, {{0x80, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W}});
	qcom::Owners o;
	KCPP_EXPECT_EQ(qcom::owners_of(lend.p, o), 0);
	KCPP_EXPECT_EQ(o.count, 1u);
	KCPP_EXPECT_EQ(o.perms[0].vmid, GUNYAH_QCOM_VMID_RM_MANAGED);
	KCPP_EXPECT_EQ(o.perms[0].perm, GUNYAH_QCOM_PERM_R | GUNYAH_QCOM_PERM_W);

	// Two dynamic VMIDs are one owner to the secure world; HLOS (3) and a
	// VMID it manages (0x3f) keep theirs.
	Parcel share(1, {{GUNYAH_VMID_HLOS, GUNYAH_RM_ACL_R},
			 {0x81, GUNYAH_RM_ACL_W},
			 {0xbf, GUNYAH_RM_ACL_X},
			 {0x3f, GUNYAH_RM_ACL_R}});
	KCPP_EXPECT_EQ(qcom::owners_of(share.p, o), 0);
	KCPP_EXPECT_EQ(o.count, 3u);
	KCPP_EXPECT_EQ(o.bitmap, bit(3) | bit(0x3a) | bit(0x3f));
	KCPP_EXPECT_EQ(o.perms[1].vmid, 0x3a);
	KCPP_EXPECT_EQ(o.perms[1].perm, GUNYAH_QCOM_PERM_W | GUNYAH_QCOM_PERM_X);
}

KCPP_TEST(gunyah_qcom, owners_refuse_bad_acls)
{
	qcom::Owners o;
	Parcel none(1, {});
	KCPP_EXPECT_EQ(qcom::owners_of(none.p, o), -EINVAL);
	Parcel no_rights(1, {{0x80, 0}});
	KCPP_EXPECT_EQ(qcom::owners_of(no_rights.p, o), -EINVAL);
	Parcel many(1, {});
	for (unsigned i = 0; i <= qcom::max_owners; i++)
		many.acl[i] = {static_cast<__u16>(i), GUNYAH_RM_ACL_R};
	many.p.n_acl_entries = qcom::max_owners + 1;
	KCPP_EXPECT_EQ(qcom::owners_of(many.p, o), -E2BIG);
	many.p.n_acl_entries = qcom::max_owners;
	KCPP_EXPECT_EQ(qcom::owners_of(many.p, o), 0);
}

KCPP_TEST(gunyah_qcom, share_assigns_every_entry_from_hlos)
{
	FakeScm scm;
	Parcel lend(4, {{0x80, GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W | GUNYAH_RM_ACL_X}});
	qcom::Outcome out = qcom::pre_mem_share(fake_ops, lend.p);
	KCPP_EXPECT_EQ(out.error, 0);
	KCPP_EXPECT_EQ(scm.calls, 4u);
	for (unsigned i = 0; i < 4; i++)
		KCPP_EXPECT_EQ(scm.owner[i], bit(0x3a));
	KCPP_EXPECT_EQ(scm.owner[4], bit(3));

	out = qcom::post_mem_reclaim(fake_ops, lend.p);
	KCPP_EXPECT_EQ(out.error, 0);
	KCPP_EXPECT_EQ(scm.last_src, bit(0x3a));
	KCPP_EXPECT_TRUE(scm.all_hlos(FakeScm::entries));
}

KCPP_TEST(gunyah_qcom, failed_share_gives_back_what_it_assigned)
{
	FakeScm scm;
	scm.fail = bit(3);
	Parcel share(4, {{GUNYAH_VMID_HLOS, GUNYAH_RM_ACL_R}, {0x80, GUNYAH_RM_ACL_R}});
	qcom::Outcome out = qcom::pre_mem_share(fake_ops, share.p);
	KCPP_EXPECT_EQ(out.error, -EINVAL);
	KCPP_EXPECT_EQ(out.entry, 2u);
	KCPP_EXPECT_EQ(out.stranded, 0u);
	// Two assignments, the failed third, two given back; the fourth entry
	// was never touched.
	KCPP_EXPECT_EQ(scm.calls, 5u);
	KCPP_EXPECT_TRUE(scm.all_hlos(FakeScm::entries));
}

KCPP_TEST(gunyah_qcom, a_failed_give_back_is_counted)
{
	FakeScm scm;
	Parcel lend(3, {{0x80, GUNYAH_RM_ACL_R}});
	KCPP_EXPECT_EQ(qcom::pre_mem_share(fake_ops, lend.p).error, 0);
	scm.fail = bit(5);  // the reclaim's second call
	qcom::Outcome out = qcom::post_mem_reclaim(fake_ops, lend.p);
	// The second entry stays with its owner; the others still come back.
	KCPP_EXPECT_EQ(out.error, -EINVAL);
	KCPP_EXPECT_EQ(out.entry, 1u);
	KCPP_EXPECT_EQ(out.stranded, 1u);
	KCPP_EXPECT_EQ(scm.owner[0], bit(3));
	KCPP_EXPECT_EQ(scm.owner[1], bit(0x3a));
	KCPP_EXPECT_EQ(scm.owner[2], bit(3));

	// A share failing at entry 2 whose give-back of entry 0 fails too.
	FakeScm again;
	again.fail = bit(3) | bit(4);
	out = qcom::pre_mem_share(fake_ops, lend.p);
	KCPP_EXPECT_EQ(out.error, -EINVAL);
	KCPP_EXPECT_EQ(out.entry, 2u);
	KCPP_EXPECT_EQ(out.stranded, 1u);
	KCPP_EXPECT_EQ(again.owner[0], bit(0x3a));
	KCPP_EXPECT_EQ(again.owner[1], bit(3));
}
