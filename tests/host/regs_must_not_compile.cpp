// SPDX-License-Identifier: GPL-2.0
// Register declarations that must not compile, one per CASE; the build
// (CMakeLists.txt) compiles each and expects the error named in its line.
#include <kcpp/regs.hpp>

using kcpp::u32;

struct Reg : kcpp::BitLayout<Reg, u32> {
	KCPP_FIELD(7, 0, a);
	KCPP_BIT(12, b);
#if CASE == 1 // overlaps a field declared before it
	KCPP_FIELD(8, 7, c);
#elif CASE == 2 // is not inside a
	KCPP_SUBFIELD(8, 4, c, a);
#elif CASE == 3 // overlaps a field declared before it
	KCPP_ALT_FIELD(12, 0, c, a);
#elif CASE == 4 // does not fit
	KCPP_VALUE(a, big, 0x100);
#endif
};
