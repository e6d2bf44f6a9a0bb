// SPDX-License-Identifier: GPL-2.0
// Tests of the simulated SPE (tests/modules/arm_spe_sim/model.hpp): its
// registers as a driver sees them, the interval counter, the filters, the
// records (decoded here by a packet decoder of the test's own and checked
// byte for byte against the notes' example) and the buffer-management
// events, injected ones included. Built as the KUnit suite armature_spe_sim
// (arm_spe_sim_test_glue.c) and as host tests.
#include <kcpp_test.hpp>

#include "model.hpp"

#include <initializer_list>

using namespace armature::spe;
using namespace armature::spe::sim;

static_assert(kcpp::RegisterIo<Model, u64>);

namespace {

// --- A packet decoder of the test's own --------------------------------------

struct Decoded {
	usize length; // through the terminator
	bool has_address[5];
	u64 address[5];
	bool has_op;
	u8 op_header, op_payload;
	bool has_counter[3];
	u16 counter[3];
	bool has_events, has_source, has_context, has_timestamp;
	u64 events, source, timestamp;
	u32 context;
	unsigned events_bytes;
};

u64 le(const u8 *p, unsigned n)
{
	u64 v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= u64(p[i]) << (8 * i);
	return v;
}

// One record from p[0, avail): nullptr, or what is wrong with it. Packets
// may not repeat; padding bytes inside a record are skipped.
const char *decode(const u8 *p, usize avail, Decoded &d)
{
	d = Decoded{};
	usize i = 0;
	while (i < avail) {
		const u8 h = p[i];
		usize n = 0; // payload bytes
		if (h == 0x00) {
			i++;
			continue;
		}
		if (h == 0x01) {
			d.length = i + 1;
			return nullptr;
		}
		if (h == 0x71)
			n = 8;
		else if ((h & 0xcf) == 0x42 || (h & 0xcf) == 0x43)
			n = usize(1) << ((h >> 4) & 3);
		else if ((h & 0xfc) == 0x64)
			n = 4;
		else if ((h & 0xfc) == 0x48)
			n = 1;
		else if ((h & 0xf8) == 0xb0)
			n = 8;
		else if ((h & 0xf8) == 0x98)
			n = 2;
		else
			return "bad header";
		if (avail - i < 1 + n)
			return "packet cut by the end of the data";
		const u64 v = le(p + i + 1, static_cast<unsigned>(n));
		bool dup = false;
		if (h == 0x71) {
			dup = d.has_timestamp;
			d.has_timestamp = true;
			d.timestamp = v;
		} else if ((h & 0xcf) == 0x42) {
			dup = d.has_events;
			d.has_events = true;
			d.events = v;
			d.events_bytes = static_cast<unsigned>(n);
		} else if ((h & 0xcf) == 0x43) {
			dup = d.has_source;
			d.has_source = true;
			d.source = v;
		} else if ((h & 0xfc) == 0x64) {
			if (h != 0x64)
				return "CONTEXT of EL2";
			dup = d.has_context;
			d.has_context = true;
			d.context = static_cast<u32>(v);
		} else if ((h & 0xfc) == 0x48) {
			dup = d.has_op;
			d.has_op = true;
			d.op_header = h;
			d.op_payload = static_cast<u8>(v);
		} else if ((h & 0xf8) == 0xb0) {
			const unsigned idx = h & 7;
			if (idx > 4)
				return "ADDRESS index";
			dup = d.has_address[idx];
			d.has_address[idx] = true;
			d.address[idx] = v;
		} else {
			const unsigned idx = h & 7;
			if (idx > 2)
				return "COUNTER index";
			dup = d.has_counter[idx];
			d.has_counter[idx] = true;
			d.counter[idx] = static_cast<u16>(v);
		}
		if (dup)
			return "packet repeated in a record";
		i += 1 + n;
		if (h == 0x71) {
			d.length = i;
			return nullptr;
		}
	}
	return "no END or TIMESTAMP";
}

struct Walk {
	usize records = 0;
	usize bytes = 0;           // including padding
	const char *error = nullptr;
	usize error_at = 0;
};

// Every record from buf[0, len): starts aligned, decodes, is padded with
// zeros to the alignment and is at most max bytes with its padding.
template <typename Each>
Walk walk(const u8 *buf, usize len, usize align, usize max, Each &&each)
{
	Walk w;
	usize pos = 0;
	auto fail = [&](const char *why) {
		w.error = why;
		w.error_at = pos;
		return w;
	};
	while (pos < len) {
		if (pos % align)
			return fail("record not aligned");
		Decoded d;
		if (const char *err = decode(buf + pos, len - pos, d))
			return fail(err);
		const usize padded = (d.length + align - 1) / align * align;
		if (padded > max)
			return fail("record longer than MaxSize");
		if (padded > len - pos)
			return fail("padding cut by the end of the data");
		for (usize i = d.length; i < padded; i++)
			if (buf[pos + i])
				return fail("padding not zero");
		if (!d.has_address[0] || !d.has_op || !d.has_counter[0] || !d.has_events)
			return fail("PC, OP_TYPE, total latency or EVENTS missing");
		each(d);
		w.records++;
		pos += padded;
	}
	w.bytes = pos;
	return w;
}

// --- The bench ---------------------------------------------------------------

// The profiling buffer: real memory, ending on a 4 KiB boundary as LIMIT
// requires. One at a time: the cases run one after the other.
alignas(4096) u8 g_buffer[4 * 4096];
constexpr usize buffer_size = sizeof(g_buffer);

u64 base() { return reinterpret_cast<kcpp::uptr>(g_buffer); }
u64 limit() { return base() + buffer_size; }

IdRegisters ids(unsigned pmsver, unsigned align = 0, unsigned maxsize = 6, unsigned countsize = 2,
		bool fne = false, bool lds = true)
{
	IdRegisters id = typical_ids(pmsver, align, fne);
	id.pmsidr = PMSIDR::FromValue(id.pmsidr).set_maxsize(maxsize).set_countsize(countsize)
		.set_lds(lds).reg_value();
	return id;
}

constexpr u64 scr_both = PMSCR::e0spe_mask | PMSCR::e1spe_mask;

// Profiling on: interval, PMSCR as given, an empty buffer from ptr (the
// start of g_buffer by default) to its end, PMSICR zero so that the first
// counted operation is sampled.
void start(Model &m, u64 scr = scr_both, u64 interval = 256, u64 ptr = 0, u64 fm = PMBLIMITR::fm_fill)
{
	__builtin_memset(g_buffer, 0, buffer_size);
	PMSIRR::Get().set_interval(interval >> 8).WriteTo(m);
	PMSICR::Get().WriteTo(m);
	PMSCR::FromValue(scr).WriteTo(m);
	PMBPTR::FromValue(ptr ? ptr : base()).WriteTo(m);
	PMBSR::Get().WriteTo(m);
	PMBLIMITR::Get().set_limit(limit() >> 12).set_fm(fm).set_e(1).WriteTo(m);
}

u64 reg(const Model &m, u32 id) { return m.read<u64>(id); }
u64 ptr(const Model &m) { return reg(m, PMBPTR::base_offset); }
PMBSR pmbsr(const Model &m) { return PMBSR::FromValue(reg(m, PMBSR::base_offset)); }
u64 count(const Model &m) { return PMSICR::FromValue(reg(m, PMSICR::base_offset)).count(); }

// The notes' example operation (§8.7): a load at EL0.
constexpr Operation user_load{
	.pc = 0x0000aaaad0001234,
	.user = true,
	.data_va = 0x0000ffffb7e01008,
	.data_pa = 0x0000000081234008,
	.has_pa = true,
	.context_id = 4242,
	.virtual_count = 0x12345678,
	.physical_count = 0x9abcdef0,
};

constexpr Operation kernel_op{
	.pc = 0xffff800080001234,
	.user = false,
	.data_va = 0xffff000012345678,
	.data_pa = 0x12345678,
	.has_pa = true,
	.context_id = 0,
	.virtual_count = 1,
	.physical_count = 2,
};

// The example's load: retired, L1D and TLB accessed, latencies 32/5/2.
constexpr Draw example_load{
	.op = OpClass::load,
	.conditional = false,
	.events = event::retired | event::l1d_access | event::tlb_access,
	.total = 32,
	.issue = 5,
	.translation = 2,
	.source = source::l1d,
	.target_offset = 0,
};

// The records written so far, checked; returns the walk.
Walk written(const Model &m, unsigned align_field, unsigned maxsize_field, auto &&each)
{
	return walk(g_buffer, ptr(m) - base(), usize(1) << align_field, usize(1) << maxsize_field, each);
}

Walk written(const Model &m, unsigned align_field = 0, unsigned maxsize_field = 6)
{
	return written(m, align_field, maxsize_field, [](const Decoded &) {});
}

// The only record written, decoded.
Decoded only_record(const Model &m)
{
	Decoded d{};
	decode(g_buffer, ptr(m) - base(), d);
	return d;
}

} // namespace

#define EXPECT_WALK_OK(w)                                                      \
	do {                                                                   \
		if ((w).error)                                                 \
			KCPP_FAIL("record at byte %zu: %s", usize((w).error_at), (w).error); \
	} while (0)

// --- Registers ---------------------------------------------------------------

KCPP_TEST(spe_sim, id_registers_are_read_only)
{
	const IdRegisters id = typical_ids(3, 2, true);
	Model m(id, 1);
	KCPP_EXPECT_TRUE(m.refusal() == nullptr);
	KCPP_EXPECT_EQ(ID_AA64DFR0::Get().ReadFrom(m).pmsver(), 3u);
	KCPP_EXPECT_EQ(reg(m, PMSIDR::base_offset), id.pmsidr);
	KCPP_EXPECT_EQ(reg(m, PMBIDR::base_offset), id.pmbidr);
	for (u32 r : {PMSIDR::base_offset, PMBIDR::base_offset, ID_AA64DFR0::base_offset})
		m.write<u64>(r, ~u64(0));
	KCPP_EXPECT_EQ(ID_AA64DFR0::Get().ReadFrom(m).reg_value(), u64(3) << 32);
	KCPP_EXPECT_EQ(reg(m, PMSIDR::base_offset), id.pmsidr);
	KCPP_EXPECT_EQ(reg(m, PMBIDR::base_offset), id.pmbidr);
	KCPP_EXPECT_EQ(m.unknown_accesses(), 0u);
	reg(m, sysreg_id(3, 0, 9, 10, 2));
	m.write<u64>(sysreg_id(3, 0, 9, 10, 6), 1);
	KCPP_EXPECT_EQ(m.unknown_accesses(), 2u);
	// PMBPTR keeps its bits below the alignment (2^2) at zero.
	PMBPTR::FromValue(0x1007).WriteTo(m);
	KCPP_EXPECT_EQ(ptr(m), 0x1004u);
}

KCPP_TEST(spe_sim, unsupported_id_registers_are_refused)
{
	for (unsigned v = 1; v <= 5; v++)
		KCPP_EXPECT_TRUE(check_ids(typical_ids(v, 6, true)) == nullptr);
	KCPP_EXPECT_TRUE(check_ids(ids(1, 0, 11)) == nullptr);
	KCPP_EXPECT_TRUE(check_ids(ids(1, 0, 6, 3)) == nullptr);

	const IdRegisters bad[] = {
		typical_ids(0),
		typical_ids(6),
		ids(1, 0, 5),              // MaxSize 32 bytes: too small for a record
		ids(1, 0, 12),             // reserved MaxSize
		ids(1, 7, 6),              // Align above MaxSize
		ids(1, 0, 6, 1),           // CountSize
		ids(1, 0, 6, 4),
		{2, 0, PMSIDR::FromValue(typical_ids(2).pmsidr).set_fne(1).reg_value()}, // FnE before v1p2
		{1, 0, PMSIDR::FromValue(typical_ids(1).pmsidr).set_ernd(1).reg_value()},
		{3, 0, PMSIDR::FromValue(typical_ids(3).pmsidr).set_fds(1).reg_value()},
		{3, 0, PMSIDR::FromValue(typical_ids(3).pmsidr).set_format(1).reg_value()},
	};
	for (const IdRegisters &id : bad) {
		Model m(id, 1);
		if (!m.refusal()) {
			KCPP_FAIL("PMSVer %u PMBIDR %#llx PMSIDR %#llx accepted", id.pmsver,
				  (unsigned long long)id.pmbidr, (unsigned long long)id.pmsidr);
			continue;
		}
		// A refused model is a CPU without SPE, and does nothing.
		KCPP_EXPECT_EQ(ID_AA64DFR0::Get().ReadFrom(m).pmsver(), 0u);
		start(m);
		KCPP_EXPECT_FALSE(m.execute(100000, user_load));
		KCPP_EXPECT_EQ(m.stats().samples, 0u);
	}
}

KCPP_TEST(spe_sim, pmsevfr_readback_per_version)
{
	// The filterable events of each version, as a driver's all-ones probe
	// sees them.
	const u64 expect[] = {
		0,
		0xffff0000ff00f0aa, // v1: 1, 3, 5, 7, 12-15, 24-31, 48-63
		0xffff0000ff06f8aa, // v1p1: + 11, 17, 18
		0xffff0000ff06f8ea, // v1p2: + 6
		0xffff0000ff06f8ea, // v1p3: as v1p2
		0xffff0000fffefffe, // v1p4: + 2, 4, 8-10, 19-23
	};
	for (unsigned v = 1; v <= 5; v++) {
		for (bool fne : {false, true}) {
			Model m(typical_ids(v, 0, fne), 1);
			PMSEVFR::FromValue(~u64(0)).WriteTo(m);
			PMSNEVFR::FromValue(~u64(0)).WriteTo(m);
			PMSFCR::FromValue(~u64(0)).WriteTo(m);
			KCPP_EXPECT_EQ(reg(m, PMSEVFR::base_offset), expect[v]);
			// PMSNEVFR and FnE only with v1p2 and PMSIDR.FnE.
			const bool nevfr = v >= 3 && fne;
			KCPP_EXPECT_EQ(reg(m, PMSNEVFR::base_offset), nevfr ? expect[v] : 0);
			KCPP_EXPECT_EQ(PMSFCR::FromValue(reg(m, PMSFCR::base_offset)).fne(), u64(nevfr));
			KCPP_EXPECT_EQ(reg(m, PMSFCR::base_offset) & ~PMSFCR::fne_mask,
				       PMSFCR::fe_mask | PMSFCR::ft_mask | PMSFCR::fl_mask | PMSFCR::b_mask |
					       PMSFCR::ld_mask | PMSFCR::st_mask);
			KCPP_EXPECT_EQ(filterable_events(v), expect[v]);
		}
	}
}

// --- Records -----------------------------------------------------------------

KCPP_TEST(spe_sim, example_record_byte_for_byte)
{
	static constexpr u8 example[44] = {
		0xb0, 0x34, 0x12, 0x00, 0xd0, 0xaa, 0xaa, 0x00, 0x80, // PC, EL0, NS
		0x49, 0x00,                                           // GP load
		0xb2, 0x08, 0x10, 0xe0, 0xb7, 0xff, 0xff, 0x00, 0x00, // VA
		0x98, 0x20, 0x00,                                     // total 32
		0x99, 0x05, 0x00,                                     // issue 5
		0x9a, 0x02, 0x00,                                     // translation 2
		0x52, 0x16, 0x00,                                     // EVENTS
		0x53, 0x00, 0x00,                                     // DATA_SOURCE L1D
		0x71, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, // TIMESTAMP
	};
	Model m(typical_ids(1), 7);
	m.force(example_load);
	start(m, PMSCR::e0spe_mask | PMSCR::ts_mask);
	KCPP_EXPECT_FALSE(m.execute(1, user_load));
	KCPP_ASSERT_EQ(ptr(m) - base(), u64(sizeof(example)));
	for (usize i = 0; i < sizeof(example); i++)
		if (g_buffer[i] != example[i])
			KCPP_FAIL("byte %zu is %#x, not %#x", i, g_buffer[i], example[i]);
	KCPP_EXPECT_EQ(m.stats().records, 1u);
	KCPP_EXPECT_EQ(m.stats().record_bytes, 44u);

	// Without TS the record ends in END instead: 36 bytes.
	start(m, PMSCR::e0spe_mask);
	m.execute(1, user_load);
	KCPP_ASSERT_EQ(ptr(m) - base(), 36u);
	for (usize i = 0; i < 35; i++)
		KCPP_EXPECT_EQ(g_buffer[i], example[i]);
	KCPP_EXPECT_EQ(g_buffer[35], 0x01);

	// 64-byte alignment: the same 44 bytes and 20 of padding.
	Model aligned(typical_ids(1, 6), 7);
	aligned.force(example_load);
	start(aligned, PMSCR::e0spe_mask | PMSCR::ts_mask);
	aligned.execute(1, user_load);
	KCPP_ASSERT_EQ(ptr(aligned) - base(), 64u);
	for (usize i = 0; i < 64; i++)
		KCPP_EXPECT_EQ(g_buffer[i], i < 44 ? example[i] : 0);
	KCPP_EXPECT_EQ(aligned.stats().record_bytes, 44u);
	KCPP_EXPECT_EQ(aligned.stats().padding_bytes, 20u);
}

KCPP_TEST(spe_sim, every_record_decodes)
{
	struct Config {
		unsigned pmsver, align, maxsize;
		u64 scr;
	};
	const u64 all = scr_both | PMSCR::pa_mask | PMSCR::cx_mask | PMSCR::ts_mask;
	const Config configs[] = {
		{1, 0, 6, scr_both}, {1, 0, 6, all},  {2, 3, 6, all},  {3, 6, 6, all},
		{5, 4, 7, all},      {3, 7, 7, all},  {5, 11, 11, all},
	};
	for (const Config &c : configs) {
		Model m(ids(c.pmsver, c.align, c.maxsize), 1234 + c.align);
		start(m, c.scr, 256);
		// Alternate user and kernel until the buffer is full.
		u64 steps = 0;
		Operation op = user_load;
		while (!m.execute(1000, op) && steps++ < 100000) {
			op = op.user ? kernel_op : user_load;
			op.pc += 4;
			op.virtual_count++;
		}
		KCPP_EXPECT_TRUE(m.interrupt_asserted());
		KCPP_EXPECT_EQ(pmbsr(m).ec(), PMBSR::ec_buf);
		KCPP_EXPECT_EQ(pmbsr(m).bsc(), PMBSR::bsc_full);
		u64 terminators_ts = 0, classes[4] = {};
		const Walk w = written(m, c.align, c.maxsize, [&](const Decoded &d) {
			terminators_ts += d.has_timestamp;
			classes[d.op_header & 3]++;
		});
		EXPECT_WALK_OK(w);
		KCPP_EXPECT_EQ(u64(w.records), m.stats().records);
		KCPP_EXPECT_EQ(u64(w.bytes), m.stats().record_bytes + m.stats().padding_bytes);
		KCPP_EXPECT_EQ(terminators_ts, (c.scr & PMSCR::ts_mask) ? m.stats().records : 0);
		// Room for a max-size record was left before the last one.
		KCPP_EXPECT_TRUE(limit() - ptr(m) < (u64(1) << c.maxsize));
		if (w.records >= 50) { // loads/stores, branches and others all show up
			KCPP_EXPECT_TRUE(classes[0] && classes[1] && classes[2]);
		}
		KCPP_EXPECT_EQ(m.stats().samples, m.stats().records);
		KCPP_EXPECT_EQ(m.stats().events, 1u);
	}
}

KCPP_TEST(spe_sim, same_seed_same_records)
{
	static u8 first[1024];
	Model a(typical_ids(3), 99);
	start(a);
	a.execute(256 * 20, user_load);
	__builtin_memcpy(first, g_buffer, sizeof(first));
	const u64 len = ptr(a) - base();

	Model b(typical_ids(3), 99);
	start(b);
	b.execute(256 * 20, user_load);
	KCPP_EXPECT_EQ(ptr(b) - base(), len);
	KCPP_EXPECT_EQ(__builtin_memcmp(first, g_buffer, sizeof(first)), 0);

	Model c(typical_ids(3), 100);
	start(c);
	c.execute(256 * 20, user_load);
	KCPP_EXPECT_NE(__builtin_memcmp(first, g_buffer, sizeof(first)), 0);
}

// --- Sampling ----------------------------------------------------------------

KCPP_TEST(spe_sim, interval_counts_operations)
{
	// Discard mode: the samples are counted, the buffer stays untouched.
	Model m(typical_ids(3), 1);
	start(m, scr_both, 256, 0, PMBLIMITR::fm_discard);
	m.execute(1, user_load); // COUNT was zero: the first operation
	KCPP_EXPECT_EQ(m.stats().samples, 1u);
	KCPP_EXPECT_EQ(count(m), 256u);
	m.execute(255, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 1u);
	KCPP_EXPECT_EQ(count(m), 1u);
	m.execute(1, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 2u);
	m.execute(256 * 1000, kernel_op);
	KCPP_EXPECT_EQ(m.stats().samples, 1002u);
	m.execute(100, user_load);
	KCPP_EXPECT_EQ(count(m), 156u);

	// What the driver saved is where counting resumes.
	PMSIRR::Get().set_interval(4096 >> 8).WriteTo(m);
	PMSICR::Get().set_count(10).WriteTo(m);
	m.execute(9, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 1002u);
	m.execute(4096 + 1, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 1004u);
	KCPP_EXPECT_EQ(count(m), 4096u);
	KCPP_EXPECT_EQ(m.stats().discarded, 1004u);
}

KCPP_TEST(spe_sim, interval_zero_samples_nothing)
{
	Model m(typical_ids(1), 1);
	start(m, scr_both, 0);
	KCPP_EXPECT_FALSE(m.execute(1000000, user_load));
	KCPP_EXPECT_EQ(m.stats().samples, 0u);
	KCPP_EXPECT_EQ(ptr(m), base());
}

KCPP_TEST(spe_sim, rnd_randomises_the_low_byte)
{
	Model m(typical_ids(3), 5);
	start(m, scr_both, 512, 0, PMBLIMITR::fm_discard);
	u64 seen[4] = {};
	unsigned distinct = 0;
	PMSIRR::Get().set_interval(2).set_rnd(1).WriteTo(m);
	for (int i = 0; i < 64; i++) {
		PMSICR::Get().set_count(1).WriteTo(m);
		m.execute(1, user_load);
		const u64 c = count(m);
		KCPP_EXPECT_TRUE(c >= 512 && c < 768);
		if (!(seen[(c & 0xff) / 64] & u64(1) << (c % 64)))
			distinct++;
		seen[(c & 0xff) / 64] |= u64(1) << (c % 64);
	}
	KCPP_EXPECT_TRUE(distinct >= 32);
	KCPP_EXPECT_EQ(m.stats().samples, 64u);
	// Without RND the reload is exact.
	PMSIRR::Get().set_interval(2).WriteTo(m);
	for (int i = 0; i < 8; i++) {
		PMSICR::Get().set_count(1).WriteTo(m);
		m.execute(1, user_load);
		KCPP_EXPECT_EQ(count(m), 512u);
	}
}

KCPP_TEST(spe_sim, exception_level_enables)
{
	Model m(typical_ids(1), 3);
	m.force(example_load);
	start(m, PMSCR::e0spe_mask);
	PMSICR::Get().set_count(50).WriteTo(m);
	m.execute(1000, kernel_op); // EL1 does not count
	KCPP_EXPECT_EQ(count(m), 50u);
	m.execute(50, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 1u);
	KCPP_EXPECT_EQ(only_record(m).address[0], 0x8000aaaad0001234u); // EL0, NS

	start(m, PMSCR::e1spe_mask);
	m.execute(1000, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 1u);
	m.execute(1, kernel_op);
	KCPP_EXPECT_EQ(m.stats().samples, 2u);
	// EL1 in bits 62:61, NS in 63: 34 12 00 80 00 80 ff a0.
	KCPP_EXPECT_EQ(only_record(m).address[0], 0xa0ff800080001234u);
	static constexpr u8 pc[] = {0xb0, 0x34, 0x12, 0x00, 0x80, 0x00, 0x80, 0xff, 0xa0};
	KCPP_EXPECT_EQ(__builtin_memcmp(g_buffer, pc, sizeof(pc)), 0);

	start(m, 0);
	m.execute(100000, user_load);
	m.execute(100000, kernel_op);
	KCPP_EXPECT_EQ(m.stats().samples, 2u);
}

KCPP_TEST(spe_sim, profiling_needs_the_buffer_on)
{
	Model m(typical_ids(3), 3);
	start(m);
	PMBLIMITR::Get().set_limit(limit() >> 12).WriteTo(m); // E=0
	m.execute(100000, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 0u);
	KCPP_EXPECT_EQ(count(m), 0u);

	start(m);
	PMBLIMITR::Get().set_limit(limit() >> 12).set_fm(1).set_e(1).WriteTo(m); // reserved FM
	m.execute(100000, user_load);
	KCPP_EXPECT_EQ(m.stats().samples, 0u);

	start(m);
	PMBSR::Get().set_s(1).WriteTo(m); // software stopped it
	KCPP_EXPECT_FALSE(m.execute(100000, user_load));
	KCPP_EXPECT_EQ(m.stats().samples, 0u);
	KCPP_EXPECT_EQ(m.stats().events, 0u);

	// A buffer owned by a higher EL.
	IdRegisters owned = typical_ids(3);
	owned.pmbidr = PMBIDR::FromValue(owned.pmbidr).set_p(1).reg_value();
	Model p(owned, 3);
	KCPP_EXPECT_TRUE(p.refusal() == nullptr);
	start(p);
	p.execute(100000, user_load);
	KCPP_EXPECT_EQ(p.stats().samples, 0u);
}

// --- Filters -----------------------------------------------------------------

KCPP_TEST(spe_sim, type_filter_keeps_any_selected_type)
{
	Model m(typical_ids(1), 11);
	start(m);
	PMSFCR::Get().set_ft(1).set_ld(1).WriteTo(m);
	m.execute(256 * 100, user_load);
	u64 loads = 0;
	Walk w = written(m, 0, 6, [&](const Decoded &d) { loads += d.op_header == 0x49 && d.op_payload == 0; });
	EXPECT_WALK_OK(w);
	KCPP_EXPECT_EQ(loads, u64(w.records));
	KCPP_EXPECT_TRUE(m.stats().filtered > 0 && w.records > 0);
	KCPP_EXPECT_EQ(m.stats().filtered + m.stats().records, 100u);

	start(m);
	PMSFCR::Get().set_ft(1).set_b(1).set_st(1).WriteTo(m);
	m.execute(256 * 100, user_load);
	u64 branches = 0, stores = 0;
	w = written(m, 0, 6, [&](const Decoded &d) {
		branches += d.op_header == 0x4a;
		stores += d.op_header == 0x49 && d.op_payload == 1;
	});
	EXPECT_WALK_OK(w);
	KCPP_EXPECT_TRUE(branches > 0 && stores > 0);
	KCPP_EXPECT_EQ(branches + stores, u64(w.records));

	// FT without a type: the model filters nothing.
	const u64 filtered = m.stats().filtered;
	start(m);
	PMSFCR::Get().set_ft(1).WriteTo(m);
	m.execute(256 * 100, user_load);
	KCPP_EXPECT_EQ(m.stats().filtered, filtered);
}

KCPP_TEST(spe_sim, event_filter_needs_every_selected_event)
{
	Model m(typical_ids(1), 12);
	start(m);
	PMSEVFR::FromValue(event::l1d_refill | event::retired).WriteTo(m);
	PMSFCR::Get().set_fe(1).WriteTo(m);
	m.execute(256 * 200, user_load);
	bool all = true;
	const Walk w = written(m, 0, 6, [&](const Decoded &d) {
		all &= (d.events & (event::l1d_refill | event::retired)) == (event::l1d_refill | event::retired);
	});
	EXPECT_WALK_OK(w);
	KCPP_EXPECT_TRUE(all);
	KCPP_EXPECT_TRUE(w.records > 0 && m.stats().filtered > 0);
}

KCPP_TEST(spe_sim, inverse_event_filter_drops_any_selected_event)
{
	Model m(typical_ids(3, 0, true), 13);
	start(m);
	const u64 drop = event::l1d_refill | event::mispredicted;
	PMSNEVFR::FromValue(drop).WriteTo(m);
	PMSFCR::Get().set_fne(1).WriteTo(m);
	m.execute(256 * 200, user_load);
	bool none = true;
	const Walk w = written(m, 0, 6, [&](const Decoded &d) { none &= !(d.events & drop); });
	EXPECT_WALK_OK(w);
	KCPP_EXPECT_TRUE(none);
	KCPP_EXPECT_TRUE(w.records > 0 && m.stats().filtered > 0);
}

KCPP_TEST(spe_sim, latency_filter_keeps_minlat_and_above)
{
	Model m(typical_ids(1), 14);
	start(m);
	PMSLATFR::Get().set_minlat(100).WriteTo(m);
	PMSFCR::Get().set_fl(1).WriteTo(m);
	m.execute(256 * 200, user_load);
	bool all = true;
	const Walk w = written(m, 0, 6, [&](const Decoded &d) { all &= d.counter[0] >= 100; });
	EXPECT_WALK_OK(w);
	KCPP_EXPECT_TRUE(all);
	KCPP_EXPECT_TRUE(w.records > 0 && m.stats().filtered > 0);

	// At the edge, with the example's total latency of 32.
	m.force(example_load);
	start(m);
	PMSFCR::Get().set_fl(1).WriteTo(m);
	PMSLATFR::Get().set_minlat(32).WriteTo(m);
	m.execute(1, user_load);
	KCPP_EXPECT_EQ(ptr(m) - base(), 36u);
	PMSLATFR::Get().set_minlat(33).WriteTo(m);
	const u64 filtered = m.stats().filtered;
	m.execute(256, user_load);
	KCPP_EXPECT_EQ(ptr(m) - base(), 36u);
	KCPP_EXPECT_EQ(m.stats().filtered, filtered + 1);
}

KCPP_TEST(spe_sim, counters_saturate_at_count_size)
{
	Draw slow = example_load;
	slow.total = 70000;
	slow.issue = 5000;
	for (unsigned cs : {2u, 3u}) {
		Model m(ids(1, 0, 6, cs), 1);
		m.force(slow);
		start(m);
		// MINLAT is as wide as the counters; a saturated latency reaches it.
		PMSLATFR::FromValue(0xffff).WriteTo(m);
		PMSFCR::Get().set_fl(1).WriteTo(m);
		KCPP_EXPECT_EQ(reg(m, PMSLATFR::base_offset), cs == 2 ? 0xfffu : 0xffffu);
		m.execute(1, user_load);
		const Decoded d = only_record(m);
		KCPP_EXPECT_EQ(d.counter[0], cs == 2 ? 4095u : 65535u);
		KCPP_EXPECT_EQ(d.counter[1], cs == 2 ? 4095u : 5000u);
		KCPP_EXPECT_EQ(d.counter[2], 2u);
	}
	// Random ones stay within 12 bits too.
	Model m(typical_ids(1), 15);
	start(m);
	m.execute(256 * 300, user_load);
	u64 most = 0;
	const Walk w = written(m, 0, 6, [&](const Decoded &d) {
		for (u16 c : d.counter)
			most = c > most ? c : most;
	});
	EXPECT_WALK_OK(w);
	KCPP_EXPECT_TRUE(most <= 4095);
}

// --- Optional packets --------------------------------------------------------

KCPP_TEST(spe_sim, optional_packets_only_when_enabled)
{
	Model m(typical_ids(1), 16);
	m.force(example_load);
	start(m, scr_both);
	m.execute(1, user_load);
	Decoded d = only_record(m);
	KCPP_EXPECT_FALSE(d.has_address[3] || d.has_context || d.has_timestamp);
	KCPP_EXPECT_TRUE(d.has_address[2] && d.has_source && d.has_counter[2]);
	KCPP_EXPECT_EQ(d.length, 36u);

	start(m, scr_both | PMSCR::pa_mask);
	m.execute(1, user_load);
	d = only_record(m);
	KCPP_EXPECT_TRUE(d.has_address[3]);
	KCPP_EXPECT_EQ(d.address[3], 0x8000000081234008u); // NS, PA
	Operation no_pa = user_load;
	no_pa.has_pa = false;
	start(m, scr_both | PMSCR::pa_mask);
	m.execute(1, no_pa);
	KCPP_EXPECT_FALSE(only_record(m).has_address[3]);

	start(m, scr_both | PMSCR::cx_mask);
	m.execute(1, user_load);
	d = only_record(m);
	KCPP_EXPECT_TRUE(d.has_context);
	KCPP_EXPECT_EQ(d.context, 4242u);
	KCPP_EXPECT_EQ(g_buffer[d.length - 6], 0x64);

	start(m, scr_both | PMSCR::ts_mask);
	m.execute(1, user_load);
	KCPP_EXPECT_EQ(only_record(m).timestamp, 0x12345678u);
	start(m, scr_both | PMSCR::ts_mask | PMSCR::Get().set_pct(1).reg_value());
	m.execute(1, user_load);
	KCPP_EXPECT_EQ(only_record(m).timestamp, 0x9abcdef0u);

	// No DATA_SOURCE without PMSIDR.LDS, nor for stores.
	Model nolds(ids(1, 0, 6, 2, false, false), 16);
	nolds.force(example_load);
	start(nolds);
	nolds.execute(1, user_load);
	KCPP_EXPECT_FALSE(only_record(nolds).has_source);
	Draw store = example_load;
	store.op = OpClass::store;
	m.force(store);
	start(m, scr_both | PMSCR::pa_mask);
	m.execute(1, user_load);
	d = only_record(m);
	KCPP_EXPECT_FALSE(d.has_source);
	KCPP_EXPECT_EQ(d.op_payload, 1u);
	KCPP_EXPECT_TRUE(d.has_address[2] && d.has_address[3]);

	// A mispredicted conditional branch: target, no data addresses.
	const Draw branch{OpClass::branch, true, event::retired | event::mispredicted, 20, 1, 0, 0, -8};
	m.force(branch);
	start(m, scr_both | PMSCR::pa_mask);
	m.execute(1, user_load);
	d = only_record(m);
	KCPP_EXPECT_EQ(d.op_header, 0x4au);
	KCPP_EXPECT_EQ(d.op_payload, 1u);
	KCPP_EXPECT_EQ(d.address[1], 0x8000aaaad000122cu);
	KCPP_EXPECT_FALSE(d.has_address[2] || d.has_address[3] || d.has_counter[2] || d.has_source);
	KCPP_EXPECT_EQ(d.events, 0x82u);
}

// --- The buffer --------------------------------------------------------------

KCPP_TEST(spe_sim, buffer_full_at_the_edge)
{
	// 36-byte records, 1-byte alignment, 64-byte MaxSize.
	Model m(typical_ids(1), 17);
	m.force(example_load);
	// Room for this record and exactly one max-size one after it.
	start(m, scr_both, 256, limit() - 36 - 64);
	KCPP_EXPECT_FALSE(m.execute(1, user_load));
	KCPP_EXPECT_EQ(limit() - ptr(m), 64u);
	KCPP_EXPECT_FALSE(m.interrupt_asserted());
	KCPP_EXPECT_EQ(m.stats().events, 0u);

	// One byte less: the record is written, then buffer-full.
	start(m, scr_both, 256, limit() - 36 - 63);
	KCPP_EXPECT_TRUE(m.execute(1, user_load));
	KCPP_EXPECT_EQ(limit() - ptr(m), 63u);
	const PMBSR s = pmbsr(m);
	KCPP_EXPECT_EQ(s.s(), 1u);
	KCPP_EXPECT_EQ(s.ec(), PMBSR::ec_buf);
	KCPP_EXPECT_EQ(s.bsc(), PMBSR::bsc_full);
	KCPP_EXPECT_EQ(s.dl() | s.coll() | s.ea(), 0u);
	KCPP_EXPECT_EQ(m.stats().records, 2u);
	KCPP_EXPECT_EQ(m.stats().events, 1u);
	// Stopped: nothing counts until software clears S.
	KCPP_EXPECT_FALSE(m.execute(100000, user_load));
	KCPP_EXPECT_EQ(m.stats().samples, 2u);
}

KCPP_TEST(spe_sim, record_that_does_not_fit_is_not_written)
{
	Model m(typical_ids(1), 18);
	m.force(example_load);
	start(m, scr_both, 256, limit() - 35);
	__builtin_memset(g_buffer + buffer_size - 35, 0xaa, 35);
	KCPP_EXPECT_TRUE(m.execute(1, user_load));
	KCPP_EXPECT_EQ(ptr(m), limit() - 35);
	for (usize i = buffer_size - 35; i < buffer_size; i++)
		KCPP_EXPECT_EQ(g_buffer[i], 0xaa);
	KCPP_EXPECT_EQ(pmbsr(m).bsc(), PMBSR::bsc_full);
	KCPP_EXPECT_EQ(m.stats().records, 0u);
	KCPP_EXPECT_EQ(m.stats().lost, 1u);
}

KCPP_TEST(spe_sim, pmbsr_write_resumes)
{
	Model m(typical_ids(1, 6), 19);
	start(m, scr_both, 256, limit() - 64);
	KCPP_EXPECT_TRUE(m.execute(256 * 10, user_load)); // the first record fills it
	KCPP_EXPECT_EQ(m.stats().samples, 1u);
	KCPP_EXPECT_FALSE(m.execute(256 * 10, user_load));
	KCPP_EXPECT_EQ(m.stats().samples, 1u);
	// The driver's handler: a new window, then S=0.
	PMBPTR::FromValue(base()).WriteTo(m);
	PMBSR::Get().WriteTo(m);
	KCPP_EXPECT_FALSE(m.interrupt_asserted());
	KCPP_EXPECT_FALSE(m.execute(256 * 10, user_load));
	KCPP_EXPECT_EQ(m.stats().samples, 11u);
	KCPP_EXPECT_EQ(ptr(m) - base(), 10 * 64u);
	EXPECT_WALK_OK(written(m, 6, 6));
}

KCPP_TEST(spe_sim, execute_until_event_keeps_the_rest)
{
	// The first sample's record fills the buffer: the event is raised with
	// the other 10 * 256 - 1 operations still to run.
	Model m(typical_ids(1, 6), 19);
	start(m, scr_both, 256, limit() - 64);
	u64 ops = 256 * 10;
	KCPP_EXPECT_TRUE(m.execute_until_event(ops, user_load));
	KCPP_EXPECT_EQ(ops, 256 * 10 - 1u);
	// Stopped: nothing counts until the handler clears PMBSR.S.
	KCPP_EXPECT_FALSE(m.execute_until_event(ops, user_load));
	KCPP_EXPECT_EQ(ops, 256 * 10 - 1u);
	KCPP_EXPECT_EQ(count(m), 256u);
	PMBPTR::FromValue(base()).WriteTo(m);
	PMBSR::Get().WriteTo(m);
	// The rest runs after the handler: nine more samples, one operation
	// short of a tenth, and all of the time used.
	KCPP_EXPECT_FALSE(m.execute_until_event(ops, user_load));
	KCPP_EXPECT_EQ(ops, 0u);
	KCPP_EXPECT_EQ(m.stats().samples, 10u);
	KCPP_EXPECT_EQ(count(m), 1u);
	KCPP_EXPECT_EQ(ptr(m) - base(), 9 * 64u);
}

// --- Injections --------------------------------------------------------------

KCPP_TEST(spe_sim, injected_stage1_fault)
{
	Model m(typical_ids(1), 20);
	start(m);
	m.inject(Injection::stage1_fault);
	KCPP_EXPECT_TRUE(m.execute(256 * 5, user_load));
	const PMBSR s = pmbsr(m);
	KCPP_EXPECT_EQ(s.s(), 1u);
	KCPP_EXPECT_EQ(s.ec(), PMBSR::ec_fault_s1);
	KCPP_EXPECT_EQ(s.fsc() & 0x3c, 0x04u); // a translation fault
	KCPP_EXPECT_EQ(ptr(m), base());
	KCPP_EXPECT_EQ(g_buffer[0], 0u);
	KCPP_EXPECT_EQ(m.stats().samples, 1u);
	// Once: after a resume, records are written again.
	PMBSR::Get().WriteTo(m);
	KCPP_EXPECT_FALSE(m.execute(256 * 5, user_load));
	KCPP_EXPECT_EQ(m.stats().records, 5u);
}

KCPP_TEST(spe_sim, injected_unknown_code)
{
	Model m(typical_ids(1), 21);
	start(m);
	m.execute(256 * 3, user_load);
	const u64 at = ptr(m);
	m.inject(Injection::unknown_code);
	KCPP_EXPECT_TRUE(m.execute(256 * 5, user_load));
	KCPP_EXPECT_EQ(pmbsr(m).s(), 1u);
	KCPP_EXPECT_EQ(pmbsr(m).ec(), PMBSR::ec_imp_def);
	KCPP_EXPECT_EQ(ptr(m), at);
	KCPP_EXPECT_EQ(m.stats().records, 3u);
	EXPECT_WALK_OK(written(m));
}

KCPP_TEST(spe_sim, injected_data_loss_cuts_a_record)
{
	Model m(typical_ids(1), 22);
	m.force(example_load);
	start(m);
	m.execute(1, user_load);
	m.inject(Injection::data_loss);
	KCPP_EXPECT_TRUE(m.execute(256, user_load));
	const PMBSR s = pmbsr(m);
	KCPP_EXPECT_EQ(s.s(), 1u);
	KCPP_EXPECT_EQ(s.dl(), 1u);
	KCPP_EXPECT_EQ(s.ec(), PMBSR::ec_buf);
	KCPP_EXPECT_EQ(s.bsc(), PMBSR::bsc_full);
	// Half of the second record is there, and PMBPTR is past it.
	KCPP_EXPECT_EQ(ptr(m) - base(), 36u + 18u);
	KCPP_EXPECT_EQ(__builtin_memcmp(g_buffer, g_buffer + 36, 18), 0);
	KCPP_EXPECT_EQ(g_buffer[36 + 18], 0u);
	KCPP_EXPECT_EQ(m.stats().records, 1u);
	KCPP_EXPECT_EQ(m.stats().lost, 1u);
	Decoded d;
	KCPP_EXPECT_TRUE(decode(g_buffer + 36, 18, d) != nullptr);
}

KCPP_TEST(spe_sim, injected_collision_marks_the_next_full_event)
{
	Model m(typical_ids(1, 6), 23);
	start(m, scr_both, 256, limit() - 4 * 64);
	m.inject(Injection::collision);
	KCPP_EXPECT_FALSE(m.execute(256, user_load)); // written as usual
	KCPP_EXPECT_EQ(m.stats().records, 1u);
	KCPP_EXPECT_TRUE(m.execute(256 * 10, user_load));
	KCPP_EXPECT_EQ(m.stats().records, 4u);
	KCPP_EXPECT_EQ(pmbsr(m).coll(), 1u);
	KCPP_EXPECT_EQ(pmbsr(m).bsc(), PMBSR::bsc_full);
	// Only that one.
	PMBPTR::FromValue(limit() - 2 * 64).WriteTo(m);
	PMBSR::Get().WriteTo(m);
	KCPP_EXPECT_TRUE(m.execute(256 * 10, user_load));
	KCPP_EXPECT_EQ(pmbsr(m).coll(), 0u);
}

KCPP_TEST(spe_sim, injection_waits_for_a_record)
{
	Model m(typical_ids(1), 24);
	start(m);
	PMSFCR::Get().set_fl(1).WriteTo(m);
	PMSLATFR::FromValue(0xfff).WriteTo(m); // nearly everything filtered
	m.force(example_load);
	m.inject(Injection::stage1_fault);
	KCPP_EXPECT_FALSE(m.execute(256 * 10, user_load));
	KCPP_EXPECT_EQ(m.stats().filtered, 10u);
	PMSFCR::Get().WriteTo(m);
	KCPP_EXPECT_TRUE(m.execute(1, user_load));
	KCPP_EXPECT_EQ(pmbsr(m).ec(), PMBSR::ec_fault_s1);
	// And none cancels one.
	PMBSR::Get().WriteTo(m);
	m.inject(Injection::unknown_code);
	m.inject(Injection::none);
	KCPP_EXPECT_FALSE(m.execute(256, user_load));
	KCPP_EXPECT_EQ(m.stats().records, 1u);
}

// --- Discard mode ------------------------------------------------------------

KCPP_TEST(spe_sim, discard_mode_drops_records_without_events)
{
	Model m(typical_ids(3), 25);
	start(m, scr_both, 256, limit() - 64, PMBLIMITR::fm_discard);
	KCPP_EXPECT_EQ(PMBLIMITR::FromValue(reg(m, PMBLIMITR::base_offset)).fm(), PMBLIMITR::fm_discard);
	KCPP_EXPECT_FALSE(m.execute(256 * 1000, user_load));
	KCPP_EXPECT_EQ(m.stats().samples, 1000u);
	KCPP_EXPECT_EQ(m.stats().discarded, 1000u);
	KCPP_EXPECT_EQ(m.stats().records + m.stats().events, 0u);
	KCPP_EXPECT_EQ(ptr(m), limit() - 64);
	KCPP_EXPECT_EQ(g_buffer[buffer_size - 64], 0u);

	// Before v1p2, FM is RES0: the same write is fill mode.
	Model v1(typical_ids(1), 25);
	start(v1, scr_both, 256, limit() - 64, PMBLIMITR::fm_discard);
	KCPP_EXPECT_EQ(PMBLIMITR::FromValue(reg(v1, PMBLIMITR::base_offset)).fm(), PMBLIMITR::fm_fill);
	KCPP_EXPECT_TRUE(v1.execute(256 * 1000, user_load));
	KCPP_EXPECT_EQ(v1.stats().records, 1u);
}
