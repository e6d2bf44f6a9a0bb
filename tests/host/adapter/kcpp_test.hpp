// SPDX-License-Identifier: GPL-2.0
// The KCPP_TEST macros on GoogleTest: the test bodies of tests/kunit that use
// only pure code build and run on the host unchanged (see the KUnit adapter,
// tests/kunit/adapter/kcpp_test.hpp).
#pragma once

#include <cstdarg>
#include <cstdio>
#include <gtest/gtest.h>
#include <string>

namespace kcpp::test {

[[gnu::format(printf, 1, 2)]] inline std::string format(const char *fmt, ...)
{
	char buf[512];
	va_list args;
	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	return buf;
}

} // namespace kcpp::test

#define KCPP_TEST(SUITE, NAME) TEST(SUITE, NAME)
#define KCPP_EXPECT_EQ(A, B) EXPECT_EQ(A, B)
#define KCPP_EXPECT_NE(A, B) EXPECT_NE(A, B)
#define KCPP_EXPECT_TRUE(C) EXPECT_TRUE(C)
#define KCPP_EXPECT_FALSE(C) EXPECT_FALSE(C)
#define KCPP_FAIL(...) ADD_FAILURE() << ::kcpp::test::format(__VA_ARGS__)
#define KCPP_ASSERT_EQ(A, B) ASSERT_EQ(A, B)
#define KCPP_ASSERT_TRUE(C) ASSERT_TRUE(C)
