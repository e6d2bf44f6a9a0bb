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
// An I/O policy is any type with  template <typename W> W read(u32 offset)
// and  template <typename W> void write(u32 offset, W value).
// Anchor: Zircon's hwreg.
#pragma once

#include <kcpp/bits.hpp>
#include <kcpp/types.hpp>
#include <concepts>

namespace kcpp {

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

// A field of bits Hi..Lo: NAME() reads it, set_NAME(v) writes it (chainable),
// NAME_mask is its mask in the register.
#define KCPP_FIELD(HI, LO, NAME)                                               \
	static constexpr Value NAME##_mask = ::kcpp::field_mask<Value, HI, LO>; \
	constexpr Value NAME() const { return this->template get_field<HI, LO>(); } \
	constexpr auto &set_##NAME(Value v) { return this->template set_field<HI, LO>(v); }

#define KCPP_BIT(BIT, NAME) KCPP_FIELD(BIT, BIT, NAME)

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
