// SPDX-License-Identifier: GPL-2.0
// Errors as values: a Result<T> holds a T or a negative errno.
//
//   Result<Foo *> find(...);
//   Foo *foo = KCPP_TRY(find(...));   // returns the error to our caller
//
// Anchors: zx::result, SerenityOS ErrorOr/TRY, Rust-for-Linux to_result.
#pragma once

#include <kcpp/errno.hpp>
#include <new>
#include <type_traits>
#include <utility>

namespace kcpp {

class Error {
public:
	// errno is negative, as the kernel returns it. Error(0) or a positive
	// value is a caller's bug (say, "return Error(ret)" with ret == 0); it
	// becomes -EINVAL, never a success that holds no value.
	constexpr explicit Error(int negative_errno)
		: code_(negative_errno < 0 ? negative_errno : -EINVAL) {}
	constexpr int code() const { return code_; }
	constexpr bool operator==(const Error &) const = default;

private:
	int code_;
};

template <typename T>
class [[nodiscard]] Result {
public:
	using Value = T;

	constexpr Result(Error e) : code_(e.code()) {}
	// Not for a Result or an Error: those have their own constructors (a
	// Result<bool> must copy, not convert through its operator bool).
	template <typename U>
		requires(std::is_constructible_v<T, U &&> &&
			 !std::is_same_v<std::remove_cvref_t<U>, Result> &&
			 !std::is_same_v<std::remove_cvref_t<U>, Error>)
	constexpr Result(U &&value) : value_(std::forward<U>(value)), code_(0) {}
	// Trivial when T's are: a Result of an integer or a pointer is then
	// returned in registers, not through memory.
	constexpr Result(const Result &other)
		requires std::is_trivially_copy_constructible_v<T>
	= default;
	constexpr Result(const Result &other) : code_(other.code_)
	{
		if (!code_)
			new (&value_) T(other.value_);
	}
	constexpr Result(Result &&other)
		requires std::is_trivially_move_constructible_v<T>
	= default;
	constexpr Result(Result &&other) : code_(other.code_)
	{
		if (!code_)
			new (&value_) T(std::move(other.value_));
	}
	Result &operator=(const Result &) = delete;
	constexpr ~Result()
		requires std::is_trivially_destructible_v<T>
	= default;
	constexpr ~Result()
	{
		if (!code_)
			value_.~T();
	}

	constexpr explicit operator bool() const { return code_ == 0; }
	constexpr bool ok() const { return code_ == 0; }
	constexpr Error error() const { return Error(code_); }
	// The errno for a caller that speaks int: 0 on success.
	constexpr int code() const { return code_; }
	constexpr T &value() & { return value_; }
	constexpr const T &value() const & { return value_; }
	constexpr T &&value() && { return std::move(value_); }
	constexpr T value_or(T fallback) const { return code_ ? fallback : value_; }

private:
	union {
		T value_;
	};
	int code_;
};

template <>
class [[nodiscard]] Result<void> {
public:
	using Value = void;

	constexpr Result() : code_(0) {}
	constexpr Result(Error e) : code_(e.code()) {}

	constexpr explicit operator bool() const { return code_ == 0; }
	constexpr bool ok() const { return code_ == 0; }
	constexpr Error error() const { return Error(code_); }
	constexpr int code() const { return code_; }
	constexpr void value() const {}

private:
	int code_;
};

// A kernel int return (negative errno, or >= 0 on success) as a Result.
constexpr Result<void> to_result(int ret)
{
	if (ret < 0)
		return Error(ret);
	return {};
}

// A kernel pointer return that may be an ERR_PTR() (the top 4095 values
// are negative errnos, as IS_ERR() reads them) as a Result.
template <typename T>
Result<T *> from_err_ptr(T *ptr)
{
	const long value = reinterpret_cast<long>(ptr);
	if (value < 0 && value >= -4095)
		return Error(static_cast<int>(value));
	return ptr;
}

// ERR_PTR(): a negative errno as a pointer, for a C caller that takes one.
template <typename T>
T *err_ptr(int negative_errno)
{
	return reinterpret_cast<T *>(static_cast<long>(negative_errno));
}

} // namespace kcpp

// Evaluates a Result; on error returns it from the enclosing function, else
// yields the value (nothing for Result<void>). A GNU statement expression,
// as the kernel itself uses.
#define KCPP_TRY(expr)                                                        \
	({                                                                    \
		auto kcpp_try_result_ = (expr);                               \
		if (!kcpp_try_result_)                                        \
			return kcpp_try_result_.error();                      \
		std::move(kcpp_try_result_).value();                          \
	})
