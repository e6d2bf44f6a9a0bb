// SPDX-License-Identifier: GPL-2.0
// Test bodies in C++ for KUnit. The same bodies build against GoogleTest on
// the host (tests/host/adapter/kcpp_test.hpp defines the same macros).
//
//   KCPP_TEST(suite, name) { KCPP_EXPECT_EQ(1 + 1, 2); }
//
// defines  extern "C" void kcpp_test_suite_name(struct kunit *), which a C
// glue file lists with KUNIT_CASE(). A failed expectation is reported at the
// C++ file and line, with both values. KCPP_ASSERT_* also ends the test
// (by returning: C++ objects are destroyed as usual). KCPP_FAIL(fmt, ...)
// fails with a message of the test's own.
#pragma once

#include <kcpp/abi.h>
#include <kcpp/types.hpp>
#include <type_traits>

namespace kcpp::test {

template <typename T>
constexpr bool printable = std::is_integral_v<T> || std::is_enum_v<T> || std::is_pointer_v<T>;

template <typename T>
long long as_integer(const T &v)
{
	if constexpr (std::is_pointer_v<T>)
		return static_cast<long long>(reinterpret_cast<uptr>(v));
	else if constexpr (printable<T>)
		return static_cast<long long>(v);
	else
		return 0;
}

template <typename A, typename B>
bool expect_eq(kunit *test, const char *file, int line, const char *a_text,
	       const char *b_text, const A &a, const B &b, bool equal)
{
	if ((a == b) == equal)
		return true;
	if constexpr (printable<A> && printable<B>)
		kcpp_kunit_fail(test, file, line, "Expected %s %s %s, but\n    %s == %lld (%#llx)\n    %s == %lld (%#llx)",
				a_text, equal ? "==" : "!=", b_text, a_text, as_integer(a),
				as_integer(a), b_text, as_integer(b), as_integer(b));
	else
		kcpp_kunit_fail(test, file, line, "Expected %s %s %s", a_text, equal ? "==" : "!=", b_text);
	return false;
}

inline bool expect_true(kunit *test, const char *file, int line, const char *text, bool value, bool want)
{
	if (value != want)
		kcpp_kunit_fail(test, file, line, "Expected %s to be %s", text, want ? "true" : "false");
	return value == want;
}

} // namespace kcpp::test

#define KCPP_TEST(SUITE, NAME)                                                 \
	extern "C" void kcpp_test_##SUITE##_##NAME(kunit *kcpp_test_);         \
	void kcpp_test_##SUITE##_##NAME(kunit *kcpp_test_)

#define KCPP_EXPECT_EQ(A, B) ::kcpp::test::expect_eq(kcpp_test_, __FILE__, __LINE__, #A, #B, (A), (B), true)
#define KCPP_EXPECT_NE(A, B) ::kcpp::test::expect_eq(kcpp_test_, __FILE__, __LINE__, #A, #B, (A), (B), false)
#define KCPP_EXPECT_TRUE(C) ::kcpp::test::expect_true(kcpp_test_, __FILE__, __LINE__, #C, (C), true)
#define KCPP_EXPECT_FALSE(C) ::kcpp::test::expect_true(kcpp_test_, __FILE__, __LINE__, #C, (C), false)
#define KCPP_FAIL(...) kcpp_kunit_fail(kcpp_test_, __FILE__, __LINE__, __VA_ARGS__)
#define KCPP_ASSERT_EQ(A, B) do { if (!KCPP_EXPECT_EQ(A, B)) return; } while (0)
#define KCPP_ASSERT_TRUE(C) do { if (!KCPP_EXPECT_TRUE(C)) return; } while (0)
