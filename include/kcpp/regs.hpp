// SPDX-License-Identifier: GPL-2.0
// Typed registers: each field is defined once, with its bit positions and its
// name from the Arm architecture manual, and a register is read and written
// through an I/O policy (MMIO, system register, or a fake register file).
//
//   struct PMCR : kcpp::Register<PMCR, kcpp::u32, 0xe04> {
//           KCPP_BIT(0, e);
//           KCPP_BIT(1, p);
//   };
//   PMCR::Get().ReadFrom(io).set_e(1).WriteTo(io);
//
// A register's fields are checked as it compiles: a field that overlaps one
// declared before it is an error, unless its declaration says why it may:
//
//   KCPP_FIELD(15, 0, mss);
//   KCPP_SUBFIELD(5, 0, bsc, mss);      // part of MSS, read on its own
//   KCPP_ALT_FIELD(5, 2, memattr, attrindx, ns);  // the bits of AttrIndx
//                                       // and NS, read another way
//   KCPP_VALUE(ec, buf, 0);             // ec_buf, checked to fit EC
//
// Values that are not at an I/O offset (descriptors, perf config words)
// have their fields declared the same way, in a BitLayout.
//
// An I/O policy is any type with  template <typename W> W read(u32 offset)
// and  template <typename W> void write(u32 offset, W value).
// Anchor: Zircon's hwreg.
#pragma once

#include <kcpp/bits.hpp>
#include <kcpp/types.hpp>
#include <concepts>

namespace kcpp {

namespace detail {
// Overload ranks: a call with Rank<N> resolves to the overload of the
// highest rank up to N.
template <unsigned N>
struct Rank : Rank<N - 1> {};
template <>
struct Rank<0> {};
inline constexpr unsigned max_fields = 64;

// What the field declarations of a register so far add up to: how many
// claimed bits, and which bits.
template <unsigned N, auto Bits>
struct Claimed {
	static constexpr unsigned count = N;
	static constexpr auto bits = Bits;
};
} // namespace detail

template <typename Io, typename W>
concept RegisterIo = requires(Io io, u32 offset, W value) {
	{ io.template read<W>(offset) } -> std::same_as<W>;
	io.template write<W>(offset, value);
};

// Self: the register type (CRTP); W: its width; Offset: its offset from the
// policy's base; Stride: the distance between instances of an indexed
// register (PMEVTYPER<n>, PMEVCNTR<n>), 0 for a single one.
template <typename Self, std::unsigned_integral W, u32 Offset, u32 Stride = 0>
class Register {
public:
	using Value = W;
	static constexpr u32 base_offset = Offset;
	static constexpr u32 stride = Stride;

	static constexpr Self Get(u32 index = 0)
	{
		Self reg;
		reg.offset_ = Offset + Stride * index;
		return reg;
	}
	static constexpr Self FromValue(W value) { return Get().set_reg_value(value); }

	constexpr u32 offset() const { return offset_; }
	constexpr W reg_value() const { return value_; }
	constexpr Self &set_reg_value(W value)
	{
		value_ = value;
		return self();
	}

	// The head of the chain each claiming field declaration extends (see
	// KCPP_CLAIM_), and the bits the whole chain claims.
	static detail::Claimed<0, W(0)> kcpp_claimed(detail::Rank<0>);
	static constexpr W field_bits()
	{
		return decltype(Self::kcpp_claimed(detail::Rank<detail::max_fields>{}))::bits;
	}

	template <RegisterIo<W> Io>
	Self &ReadFrom(Io &io)
	{
		value_ = io.template read<W>(offset_);
		return self();
	}
	template <RegisterIo<W> Io>
	Self &WriteTo(Io &io)
	{
		io.template write<W>(offset_, value_);
		return self();
	}

protected:
	template <unsigned Hi, unsigned Lo>
	constexpr W get_field() const
	{
		return field_get<Hi, Lo>(value_);
	}
	template <unsigned Hi, unsigned Lo>
	constexpr Self &set_field(W value)
	{
		value_ = field_set<Hi, Lo>(value_, value);
		return self();
	}

private:
	constexpr Self &self() { return static_cast<Self &>(*this); }

	W value_ = 0;
	u32 offset_ = Offset;
};

// A value's fields without an I/O offset: descriptors, configuration words.
template <typename Self, std::unsigned_integral W>
using BitLayout = Register<Self, W, 0>;

// A field of bits HI..LO: NAME() reads it, set_NAME(v) writes it (chainable),
// NAME_mask is its mask in the register and NAME_field its bits as a type.
// Its bits must be free of the fields declared before it.
#define KCPP_FIELD(HI, LO, NAME)                                                 \
	KCPP_ACCESSORS_(HI, LO, NAME)                                            \
	KCPP_CLAIM_(NAME, NAME##_mask, Value(0))

#define KCPP_BIT(BIT, NAME) KCPP_FIELD(BIT, BIT, NAME)

// A part of field PARENT with a name of its own (PMBSR.MSS's BSC, or FSC:
// sub-fields of one parent may overlap each other). Claims nothing.
#define KCPP_SUBFIELD(HI, LO, NAME, PARENT)                                      \
	KCPP_ACCESSORS_(HI, LO, NAME)                                            \
	static_assert(!(NAME##_mask & ~PARENT##_mask),                           \
		      "sub-field " #NAME " is not inside " #PARENT)

// Another reading of the bits of the fields named after NAME (one to
// three), as a stage-2 descriptor reads a stage-1 one's: it may overlap
// them and no other field; bits of it that none of them has are claimed.
#define KCPP_ALT_FIELD(HI, LO, NAME, ...)                                        \
	KCPP_ACCESSORS_(HI, LO, NAME)                                            \
	KCPP_CLAIM_(NAME, NAME##_mask, KCPP_MASKS_(__VA_ARGS__))

// A named value of a field: FIELD_NAME, checked to fit the field.
#define KCPP_VALUE(FIELD, NAME, VALUE)                                           \
	static constexpr Value FIELD##_##NAME = VALUE;                           \
	static_assert(FIELD##_##NAME <= FIELD##_field::max,                      \
		      #FIELD "_" #NAME " does not fit " #FIELD)

#define KCPP_ACCESSORS_(HI, LO, NAME)                                            \
	using NAME##_field = ::kcpp::Field<Value, HI, LO>;                       \
	static constexpr Value NAME##_mask = NAME##_field::mask;                 \
	constexpr Value NAME() const { return this->template get_field<HI, LO>(); } \
	constexpr auto &set_##NAME(Value v) { return this->template set_field<HI, LO>(v); }

// The claim of field NAME on BITS: an error if a field declared before it
// holds any of them but those in SHARED. Name lookup in a class body sees
// the members declared so far, so the call with the highest rank finds the
// claims up to here, and the declaration below becomes the next link: the
// register's fields are checked one by one, in order, as they compile.
// (The standard makes a lookup in a class that would find more at the
// class's end ill-formed, no diagnostic required; GCC and Clang look up
// where the name stands, which the chain needs. core_test.cpp and
// regs_must_not_compile.cpp would notice a compiler that did not.)
#define KCPP_CLAIM_(NAME, BITS, SHARED)                                          \
	using kcpp_before_##NAME =                                               \
		decltype(kcpp_claimed(::kcpp::detail::Rank<::kcpp::detail::max_fields>{})); \
	static_assert(kcpp_before_##NAME::count < ::kcpp::detail::max_fields,    \
		      "too many fields in one register");                        \
	static_assert(!(kcpp_before_##NAME::bits & (BITS) & ~(SHARED)),          \
		      "field " #NAME " overlaps a field declared before it");    \
	static ::kcpp::detail::Claimed<kcpp_before_##NAME::count + 1,            \
				       Value(kcpp_before_##NAME::bits | (BITS))> \
		kcpp_claimed(::kcpp::detail::Rank<kcpp_before_##NAME::count + 1>)

#define KCPP_MASKS_(...)                                                         \
	(KCPP_MASKS_PICK_(__VA_ARGS__, KCPP_MASKS_3_, KCPP_MASKS_2_, KCPP_MASKS_1_, )(__VA_ARGS__))
#define KCPP_MASKS_PICK_(_1, _2, _3, N, ...) N
#define KCPP_MASKS_1_(A) A##_mask
#define KCPP_MASKS_2_(A, B) A##_mask | B##_mask
#define KCPP_MASKS_3_(A, B, C) A##_mask | B##_mask | C##_mask

// A register file in memory, for tests and for simulated devices: reads
// return what was last written, little-endian, at any width.
template <u32 Bytes>
class FakeRegs {
public:
	template <std::unsigned_integral W>
	W read(u32 offset) const
	{
		W value = 0;
		if (in_range<W>(offset))
			__builtin_memcpy(&value, &bytes_[offset], sizeof(W));
		else
			++out_of_range_;
		return value;
	}
	template <std::unsigned_integral W>
	void write(u32 offset, W value)
	{
		++writes_;
		if (in_range<W>(offset))
			__builtin_memcpy(&bytes_[offset], &value, sizeof(W));
		else
			++out_of_range_;
	}

	// Number of writes so far, and of accesses outside the file (a driver
	// bug that a test should see, not a crash).
	u32 writes() const { return writes_; }
	u32 out_of_range() const { return out_of_range_; }

private:
	template <typename W>
	static constexpr bool in_range(u32 offset)
	{
		return sizeof(W) <= Bytes && offset % sizeof(W) == 0 && offset <= Bytes - sizeof(W);
	}

	alignas(8) u8 bytes_[Bytes] = {};
	u32 writes_ = 0;
	mutable u32 out_of_range_ = 0;
};

} // namespace kcpp
