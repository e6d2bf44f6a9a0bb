// SPDX-License-Identifier: GPL-2.0
// The MMIO register policy: accesses at an offset from an ioremap()ed base,
// with readl()/writel() ordering, or the _relaxed forms when Relaxed.
#pragma once

#include <kcpp/abi.h>
#include <kcpp/types.hpp>
#include <concepts>

namespace kcpp {

enum class Ordering { ordered, relaxed };

template <Ordering Order = Ordering::ordered>
class Mmio {
public:
	constexpr explicit Mmio(volatile void *base) : base_(static_cast<volatile u8 *>(base)) {}

	template <std::unsigned_integral W>
		requires(sizeof(W) == 4 || sizeof(W) == 8)
	W read(u32 offset) const
	{
		const volatile void *addr = base_ + offset;
		if constexpr (sizeof(W) == 4)
			return Order == Ordering::relaxed ? kcpp_readl_relaxed(addr) : kcpp_readl(addr);
		else
			return Order == Ordering::relaxed ? kcpp_readq_relaxed(addr) : kcpp_readq(addr);
	}

	template <std::unsigned_integral W>
		requires(sizeof(W) == 4 || sizeof(W) == 8)
	void write(u32 offset, W value) const
	{
		volatile void *addr = base_ + offset;
		if constexpr (sizeof(W) == 4)
			Order == Ordering::relaxed ? kcpp_writel_relaxed(value, addr) : kcpp_writel(value, addr);
		else
			Order == Ordering::relaxed ? kcpp_writeq_relaxed(value, addr) : kcpp_writeq(value, addr);
	}

	volatile void *base() const { return base_; }

private:
	volatile u8 *base_;
};

} // namespace kcpp
