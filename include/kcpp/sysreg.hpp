// SPDX-License-Identifier: GPL-2.0
// The system-register policy (arm64 only): a register type whose Io is a
// SysReg reads and writes with MRS/MSR. The encoding is the generic
// S<op0>_<op1>_C<n>_C<m>_<op2> form, so any assembler accepts it.
//
//   KCPP_SYSREG(PmbLimitrEl1, "s3_0_c9_c10_0");
//   struct PMBLIMITR : kcpp::Register<PMBLIMITR, kcpp::u64, 0> { ... };
//   PMBLIMITR::Get().ReadFrom(PmbLimitrEl1::io).set_e(1).WriteTo(PmbLimitrEl1::io);
#pragma once

#include <kcpp/types.hpp>
#include <concepts>

#define KCPP_SYSREG(NAME, ENCODING)                                            \
	struct NAME {                                                          \
		template <std::same_as<::kcpp::u64> W>                         \
		W read(::kcpp::u32) const                                      \
		{                                                              \
			::kcpp::u64 v;                                         \
			asm volatile("mrs %0, " ENCODING : "=r"(v));           \
			return v;                                              \
		}                                                              \
		template <std::same_as<::kcpp::u64> W>                         \
		void write(::kcpp::u32, W v) const                             \
		{                                                              \
			asm volatile("msr " ENCODING ", %x0" : : "rZ"(v));     \
		}                                                              \
		static NAME io;                                                \
	};                                                                     \
	inline constinit NAME NAME::io
