// SPDX-License-Identifier: GPL-2.0
// Tests of the pure parts of include/kcpp: bit fields, typed registers on a
// fake register file, Result and KCPP_TRY, the intrusive list, Static, and
// the Registry's logic on a model environment. Built as a KUnit suite
// (kcpp_core) and as host tests.
#include <kcpp/bits.hpp>
#include <kcpp/perf_format.hpp>
#include <kcpp/registry.hpp>
#include <kcpp/regs.hpp>
#include <kcpp/result.hpp>
#include <kcpp/static.hpp>
#include <kcpp_test.hpp>

using namespace kcpp;

// A register of the CoreSight PMU architecture, for realistic offsets.
struct PMCFGR : Register<PMCFGR, u32, 0xe00> {
	KCPP_FIELD(7, 0, n);
	KCPP_FIELD(13, 8, size);
	KCPP_BIT(14, cc);
	KCPP_BIT(15, ccd);
	KCPP_FIELD(31, 28, ncg);
};

struct PMEVTYPER : Register<PMEVTYPER, u32, 0x400, 4> {
	KCPP_FIELD(15, 0, evtcount);
};

struct WIDE : Register<WIDE, u64, 0x10> {
	KCPP_FIELD(63, 0, all);
	KCPP_SUBFIELD(63, 48, top, all);
};

// The compile-time checks of field declarations. A field's bits, its
// claim, its named values:
static_assert(PMCFGR::field_bits() == 0xf000ffffu);
static_assert(PMCFGR::size_field::lo == 8 && PMCFGR::size_field::max == 0x3f);
static_assert(PMEVTYPER::evtcount_mask == 0xffffu);

// Sub-fields claim nothing and may overlap each other (PMBSR: MSS holds BSC
// or FSC, by EC); alternatives may overlap the fields they name, and claim
// the bits of theirs that none of those has.
struct Syndrome : BitLayout<Syndrome, u64> {
	KCPP_FIELD(15, 0, mss);
	KCPP_SUBFIELD(5, 0, bsc, mss);
	KCPP_SUBFIELD(5, 0, fsc, mss);
	KCPP_FIELD(31, 26, ec);
	KCPP_VALUE(ec, buf, 0);
	KCPP_VALUE(ec, fault_s1, 0x24);
};
static_assert(Syndrome::field_bits() == 0xfc00ffffu);
static_assert(Syndrome::ec_fault_s1 == 0x24 && Syndrome::bsc_mask == Syndrome::fsc_mask);

struct Descriptor : BitLayout<Descriptor, u64> {
	KCPP_FIELD(4, 2, attrindx);
	KCPP_BIT(5, ns);
	KCPP_ALT_FIELD(5, 2, memattr, attrindx, ns);
	KCPP_ALT_FIELD(7, 2, wider, memattr);
};
static_assert(Descriptor::field_bits() == 0xfcu);
static_assert(Descriptor::FromValue(0x34).memattr() == 0xd);

// perf's format text of a field.
constexpr bool text_is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}
static_assert(text_is(perf_format<1, PMCFGR::size_field>, "config1:8-13"));
static_assert(text_is(perf_format<0, PMCFGR::cc_field>, "config:14"));
static_assert(text_is(perf_format<2, WIDE::all_field>, "config2:0-63"));

KCPP_TEST(bits, masks)
{
	KCPP_EXPECT_EQ((field_mask<u32, 7, 0>), 0xffu);
	KCPP_EXPECT_EQ((field_mask<u32, 31, 0>), 0xffffffffu);
	KCPP_EXPECT_EQ((field_mask<u64, 63, 48>), 0xffff000000000000ull);
	KCPP_EXPECT_EQ((field_mask<u8, 0, 0>), u8(1));
}

KCPP_TEST(bits, get_and_set)
{
	KCPP_EXPECT_EQ((field_get<13, 8>(u32(0x3f00))), 0x3fu);
	KCPP_EXPECT_EQ((field_set<13, 8>(u32(0xffffffff), u32(0))), 0xffffc0ffu);
	// A value wider than its field is cut to the field, never spills over.
	KCPP_EXPECT_EQ((field_set<3, 0>(u32(0), u32(0x1f))), 0xfu);
}

KCPP_TEST(regs, fields_of_a_value)
{
	auto cfg = PMCFGR::FromValue(0x10003f07);
	KCPP_EXPECT_EQ(cfg.n(), 7u);
	KCPP_EXPECT_EQ(cfg.size(), 0x3fu);
	KCPP_EXPECT_EQ(cfg.cc(), 0u);
	KCPP_EXPECT_EQ(cfg.ncg(), 1u);
	cfg.set_cc(1).set_n(0xff);
	KCPP_EXPECT_EQ(cfg.reg_value(), 0x10007fffu);
	KCPP_EXPECT_EQ(PMCFGR::cc_mask, 0x4000u);
}

KCPP_TEST(regs, read_modify_write_through_io)
{
	FakeRegs<0x1000> io;
	io.write<u32>(0xe00, 0x00003f1f);
	auto cfg = PMCFGR::Get().ReadFrom(io);
	KCPP_EXPECT_EQ(cfg.n(), 0x1fu);
	cfg.set_cc(1).WriteTo(io);
	KCPP_EXPECT_EQ(io.read<u32>(0xe00), 0x00007f1fu);
	KCPP_EXPECT_EQ(io.writes(), 2u);
	KCPP_EXPECT_EQ(io.out_of_range(), 0u);
}

KCPP_TEST(regs, indexed_and_wide)
{
	FakeRegs<0x1000> io;
	PMEVTYPER::Get(3).set_evtcount(0x11).WriteTo(io);
	KCPP_EXPECT_EQ(PMEVTYPER::Get(3).offset(), 0x40cu);
	KCPP_EXPECT_EQ(io.read<u32>(0x40c), 0x11u);
	KCPP_EXPECT_EQ(io.read<u32>(0x408), 0u);
	WIDE::Get().set_top(0xabcd).WriteTo(io);
	KCPP_EXPECT_EQ(io.read<u32>(0x14), 0xabcd0000u);
	KCPP_EXPECT_EQ(WIDE::Get().ReadFrom(io).all(), 0xabcd000000000000ull);
}

KCPP_TEST(regs, fake_file_counts_bad_accesses)
{
	FakeRegs<0x10> io;
	io.write<u32>(0x10, 1);	// past the end
	io.write<u64>(0x4, 1);	// misaligned
	KCPP_EXPECT_EQ(io.read<u32>(0xc), 0u);
	KCPP_EXPECT_EQ(io.out_of_range(), 2u);
	FakeRegs<4> small;	// narrower than the access
	KCPP_EXPECT_EQ(small.read<u64>(0), 0ull);
	KCPP_EXPECT_EQ(small.out_of_range(), 1u);
}

namespace {

Result<int> parse_digit(char c)
{
	if (c < '0' || c > '9')
		return Error(-EINVAL);
	return c - '0';
}

Result<int> sum_digits(const char *s)
{
	int sum = 0;
	for (; *s; ++s)
		sum += KCPP_TRY(parse_digit(*s));
	return sum;
}

Result<void> check_positive(int v)
{
	if (v <= 0)
		return Error(-ERANGE);
	return {};
}

Result<int> doubled_if_positive(int v)
{
	KCPP_TRY(check_positive(v));
	return 2 * v;
}

} // namespace

KCPP_TEST(result, value_and_error)
{
	Result<int> good = parse_digit('7');
	KCPP_EXPECT_TRUE(good.ok());
	KCPP_EXPECT_EQ(good.value(), 7);
	KCPP_EXPECT_EQ(good.code(), 0);
	Result<int> bad = parse_digit('x');
	KCPP_EXPECT_FALSE(bad.ok());
	KCPP_EXPECT_EQ(bad.code(), -EINVAL);
	KCPP_EXPECT_EQ(bad.value_or(-1), -1);
	KCPP_EXPECT_TRUE(bad.error() == Error(-EINVAL));
}

KCPP_TEST(result, error_zero_is_never_success)
{
	Result<int> r = Error(0);
	KCPP_EXPECT_FALSE(r.ok());
	KCPP_EXPECT_EQ(r.code(), -EINVAL);
	KCPP_EXPECT_EQ(Error(5).code(), -EINVAL);
}

KCPP_TEST(result, bool_results_copy_their_value)
{
	Result<bool> no = false;
	Result<bool> copy = no;
	KCPP_EXPECT_TRUE(copy.ok());
	KCPP_EXPECT_FALSE(copy.value());
	Result<bool> failed = Error(-EIO);
	Result<bool> failed_copy = failed;
	KCPP_EXPECT_EQ(failed_copy.code(), -EIO);
}

KCPP_TEST(result, try_propagates_the_first_error)
{
	KCPP_EXPECT_EQ(sum_digits("1234").value(), 10);
	KCPP_EXPECT_EQ(sum_digits("12x4").code(), -EINVAL);
	KCPP_EXPECT_EQ(doubled_if_positive(21).value(), 42);
	KCPP_EXPECT_EQ(doubled_if_positive(-1).code(), -ERANGE);
	KCPP_EXPECT_EQ(to_result(-ENODEV).code(), -ENODEV);
	KCPP_EXPECT_TRUE(to_result(5).ok());
}

KCPP_TEST(result, err_ptr_values)
{
	int x = 7;
	KCPP_EXPECT_EQ(from_err_ptr(&x).value(), &x);
	KCPP_EXPECT_EQ(from_err_ptr(reinterpret_cast<int *>(-ENOMEM)).code(), -ENOMEM);
	KCPP_EXPECT_EQ(from_err_ptr(reinterpret_cast<int *>(-4095L)).code(), -4095);
	// Just below the errno range: a (strange) pointer, not an error.
	KCPP_EXPECT_TRUE(from_err_ptr(reinterpret_cast<int *>(-4096L)).ok());
	KCPP_EXPECT_EQ(from_err_ptr(static_cast<int *>(nullptr)).value(), static_cast<int *>(nullptr));
}

namespace {

struct Counted {
	static inline int live = 0;
	int v;
	explicit Counted(int x) : v(x) { ++live; }
	Counted(const Counted &o) : v(o.v) { ++live; }
	Counted(Counted &&o) : v(o.v) { ++live; }
	~Counted() { --live; }
};

} // namespace

KCPP_TEST(result, destroys_exactly_what_it_holds)
{
	Counted::live = 0;
	{
		Result<Counted> r = Counted(3);
		KCPP_EXPECT_EQ(Counted::live, 1);
		Result<Counted> moved = static_cast<Result<Counted> &&>(r);
		KCPP_EXPECT_EQ(Counted::live, 2);
		Result<Counted> e = Error(-ENOMEM);
		KCPP_EXPECT_EQ(Counted::live, 2);
	}
	KCPP_EXPECT_EQ(Counted::live, 0);
}

// Trivial when T is, so that it is returned in registers; not when T is not.
static_assert(std::is_trivially_copyable_v<Result<u64>>);
static_assert(std::is_trivially_copyable_v<Result<const char *>>);
static_assert(!std::is_trivially_copyable_v<Result<Counted>>);
static_assert(!std::is_trivially_destructible_v<Result<Counted>>);

namespace {

struct Item : ListNode<> {
	int v;
	explicit Item(int x) : v(x) {}
};

} // namespace

KCPP_TEST(list, push_remove_iterate)
{
	Item a(1), b(2), c(3);
	List<Item> list;
	KCPP_EXPECT_TRUE(list.empty());
	list.push_back(b);
	list.push_back(c);
	list.push_front(a);
	KCPP_EXPECT_EQ(list.size(), usize(3));
	int expected = 1;
	for (Item &i : list)
		KCPP_EXPECT_EQ(i.v, expected++);
	list.remove(b);
	KCPP_EXPECT_FALSE(b.linked());
	KCPP_EXPECT_TRUE(a.linked());
	KCPP_EXPECT_EQ(list.size(), usize(2));
	KCPP_EXPECT_EQ(list.find_if([](Item &i) { return i.v == 3; }), &c);
	KCPP_EXPECT_TRUE(list.find_if([](Item &i) { return i.v == 2; }) == nullptr);
	list.remove(a);
	list.remove(c);
	KCPP_EXPECT_TRUE(list.empty());
}

KCPP_TEST(static_storage, construct_and_destroy)
{
	static constinit Static<Counted> s;
	Counted::live = 0;
	s.construct(5);
	KCPP_EXPECT_EQ(s->v, 5);
	KCPP_EXPECT_EQ(Counted::live, 1);
	s.destroy();
	KCPP_EXPECT_EQ(Counted::live, 0);
}

// The Registry on a model of the kernel: module references are counters, a
// module "going" refuses new references, request_module is a hook.
namespace {

struct ModelModule {
	int refs = 0;
	bool going = false;
};

struct ModelEnv {
	using Module = ModelModule;
	struct LockClass {};
	struct Lock {
		explicit Lock(LockClass &) {}
		void lock() { ++locks_held; }
		void unlock() { --locks_held; }
	};
	static inline int locks_held = 0;
	static bool module_get(Module *m)
	{
		if (m->going)
			return false;
		++m->refs;
		return true;
	}
	static void module_put(Module *m) { --m->refs; }
	static int request_module(const char *name)
	{
		++requests;
		return on_request ? on_request(name) : 1;
	}
	static inline int requests = 0;
	static inline int (*on_request)(const char *) = nullptr;
};

struct Ops {
	int id;
};

using ModelRegistry = Registry<int, Ops, ModelEnv>;

ModelEnv::LockClass model_class;
constinit Ops ops_a{1}, ops_b{2};
ModelModule module_a, module_b;
ModelRegistry *current;
ModelRegistry::Entry *entry_to_add;
bool lock_held_in_request;

int add_on_request(const char *)
{
	lock_held_in_request = ModelEnv::locks_held != 0;
	(void)current->add(*entry_to_add);
	return 0;
}

void reset_model()
{
	module_a = {};
	module_b = {};
	ModelEnv::requests = 0;
	ModelEnv::locks_held = 0;
	ModelEnv::on_request = nullptr;
}

} // namespace

KCPP_TEST(registry, add_get_remove)
{
	reset_model();
	ModelRegistry reg(model_class);
	ModelRegistry::Entry a(0xa, &ops_a, &module_a);
	KCPP_EXPECT_TRUE(reg.add(a).ok());
	KCPP_EXPECT_EQ(reg.add(a).code(), -EBUSY);
	ModelRegistry::Entry dup(0xa, &ops_b, &module_b);
	KCPP_EXPECT_EQ(reg.add(dup).code(), -EEXIST);
	ModelRegistry::Entry no_ops(0xd, nullptr, &module_b);
	KCPP_EXPECT_EQ(reg.add(no_ops).code(), -EINVAL);
	ModelRegistry::Entry no_module(0xd, &ops_b, nullptr);
	KCPP_EXPECT_EQ(reg.add(no_module).code(), -EINVAL);
	{
		auto h = reg.get(0xa);
		KCPP_ASSERT_TRUE(h.ok());
		KCPP_EXPECT_EQ(h.value()->id, 1);
		KCPP_EXPECT_EQ(module_a.refs, 1);
		auto h2 = reg.get(0xa);
		KCPP_EXPECT_EQ(module_a.refs, 2);
		ModelRegistry::Handle moved = std::move(h2).value();
		KCPP_EXPECT_EQ(module_a.refs, 2);
	}
	KCPP_EXPECT_EQ(module_a.refs, 0);
	reg.remove(a);
	KCPP_EXPECT_EQ(reg.get(0xa).code(), -ENOENT);
	KCPP_EXPECT_EQ(ModelEnv::requests, 0);
}

KCPP_TEST(registry, handle_outlives_removal)
{
	reset_model();
	ModelRegistry reg(model_class);
	ModelRegistry::Entry a(0xa, &ops_a, &module_a);
	KCPP_EXPECT_TRUE(reg.add(a).ok());
	auto h = reg.get(0xa);
	KCPP_ASSERT_TRUE(h.ok());
	reg.remove(a);
	KCPP_EXPECT_FALSE(reg.contains(0xa));
	KCPP_EXPECT_EQ(module_a.refs, 1);
	KCPP_EXPECT_EQ(h.value()->id, 1);
	h.value().reset();
	KCPP_EXPECT_EQ(module_a.refs, 0);
}

KCPP_TEST(registry, going_module_is_refused)
{
	reset_model();
	ModelRegistry reg(model_class);
	ModelRegistry::Entry a(0xa, &ops_a, &module_a);
	KCPP_EXPECT_TRUE(reg.add(a).ok());
	module_a.going = true;
	KCPP_EXPECT_EQ(reg.get(0xa, "mod-a").code(), -ENODEV);
	KCPP_EXPECT_EQ(ModelEnv::requests, 0);
	KCPP_EXPECT_EQ(module_a.refs, 0);
	reg.remove(a);
}

KCPP_TEST(registry, loads_a_missing_backend_on_demand)
{
	reset_model();
	ModelRegistry reg(model_class);
	ModelRegistry::Entry b(0xb, &ops_b, &module_b);
	current = &reg;
	entry_to_add = &b;
	lock_held_in_request = true;
	ModelEnv::on_request = add_on_request;
	auto h = reg.get(0xb, "mod-b");
	KCPP_ASSERT_TRUE(h.ok());
	KCPP_EXPECT_EQ(h.value()->id, 2);
	KCPP_EXPECT_EQ(ModelEnv::requests, 1);
	KCPP_EXPECT_FALSE(lock_held_in_request);
	KCPP_EXPECT_EQ(module_b.refs, 1);
	h.value().reset();
	reg.remove(b);
}

KCPP_TEST(registry, missing_backend_errors)
{
	reset_model();
	ModelRegistry reg(model_class);
	// modprobe ran and failed (exit status 1): nothing registered.
	KCPP_EXPECT_EQ(reg.get(0xc, "mod-c").code(), -ENOENT);
	KCPP_EXPECT_EQ(ModelEnv::requests, 1);
	// The request itself failed: its error comes back.
	ModelEnv::on_request = [](const char *) { return -ENOMEM; };
	KCPP_EXPECT_EQ(reg.get(0xc, "mod-c").code(), -ENOMEM);
	// No module name: no request.
	KCPP_EXPECT_EQ(reg.get(0xc).code(), -ENOENT);
	KCPP_EXPECT_EQ(ModelEnv::requests, 2);
}
