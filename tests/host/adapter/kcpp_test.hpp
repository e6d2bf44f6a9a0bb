// SPDX-License-Identifier: GPL-2.0
// The KCPP_TEST macros on GoogleTest: the test bodies of tests/kunit that use
// only pure code build and run on the host unchanged (see the KUnit adapter,
// tests/kunit/adapter/kcpp_test.hpp).
#pragma once

#include <gtest/gtest.h>

#define KCPP_TEST(SUITE, NAME) TEST(SUITE, NAME)
#define KCPP_EXPECT_EQ(A, B) EXPECT_EQ(A, B)
#define KCPP_EXPECT_NE(A, B) EXPECT_NE(A, B)
#define KCPP_EXPECT_TRUE(C) EXPECT_TRUE(C)
#define KCPP_EXPECT_FALSE(C) EXPECT_FALSE(C)
#define KCPP_ASSERT_EQ(A, B) ASSERT_EQ(A, B)
#define KCPP_ASSERT_TRUE(C) ASSERT_TRUE(C)
