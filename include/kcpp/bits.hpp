// SPDX-License-Identifier: GPL-2.0
// Bit-field arithmetic on unsigned integers, checked at compile time.
#pragma once

#include <kcpp/types.hpp>
#include <concepts>
#include <limits>

namespace kcpp {

template <std::unsigned_integral W, unsigned Hi, unsigned Lo>
	requires(Hi >= Lo && Hi < std::numeric_limits<W>::digits)
inline constexpr W field_mask = static_cast<W>(
	(Hi - Lo + 1 == std::numeric_limits<W>::digits ? ~W(0)
						       : ((W(1) << (Hi - Lo + 1)) - 1))
	<< Lo);

template <unsigned Hi, unsigned Lo, std::unsigned_integral W>
constexpr W field_get(W reg)
{
	return static_cast<W>((reg & field_mask<W, Hi, Lo>) >> Lo);
}

// Bits of value beyond the field's width are dropped, as FIELD_PREP would
// for a run-time value.
template <unsigned Hi, unsigned Lo, std::unsigned_integral W>
constexpr W field_set(W reg, W value)
{
	constexpr W mask = field_mask<W, Hi, Lo>;
	return static_cast<W>((reg & ~mask) | ((static_cast<W>(value << Lo)) & mask));
}

// A field's geometry as a type: what a register's field declaration names
// (NAME_field), for code that needs its bits rather than its value, such as
// text generated from it.
template <std::unsigned_integral W, unsigned Hi, unsigned Lo>
struct Field {
	using Value = W;
	static constexpr unsigned hi = Hi;
	static constexpr unsigned lo = Lo;
	static constexpr W mask = field_mask<W, Hi, Lo>;
	static constexpr W max = static_cast<W>(mask >> Lo); // the largest value it holds
};

} // namespace kcpp
