// SPDX-License-Identifier: GPL-2.0
// Strings built from pieces in a fixed buffer, never overrun, always
// terminated: what kernel code would do with snprintf().
#pragma once

#include <kcpp/types.hpp>

namespace kcpp {

// Appends s to the string of length len in buf (capacity cap), as much
// as fits with the terminator; returns the new length. Not templates, so
// one copy serves every buffer size; append_uint() out of line, as it is
// larger than a call.
inline usize append_str(char *buf, usize cap, usize len, const char *s)
{
	while (*s && len < cap - 1)
		buf[len++] = *s++;
	buf[len] = '\0';
	return len;
}

// The same for value in base (2 to 16), without leading zeros; when it
// does not fit, its leading digits.
[[gnu::noinline]] inline usize append_uint(char *buf, usize cap, usize len, u64 value,
					   unsigned base)
{
	usize end = len + 1;
	for (u64 v = value; v >= base; v /= base)
		end++;
	// The digits from the last: those past the capacity are dropped.
	for (usize p = end; p-- > len; value /= base) {
		u64 d = value % base;
		if (p < cap - 1)
			buf[p] = static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
	}
	len = end < cap - 1 ? end : cap - 1;
	buf[len] = '\0';
	return len;
}

// A fixed-size, always-terminated string built from pieces (PMU names,
// module aliases).
template <usize N>
class NameBuf {
public:
	NameBuf &append(const char *s)
	{
		len_ = append_str(buf_, N, len_, s);
		return *this;
	}
	NameBuf &append_uint(u64 value, unsigned base = 10)
	{
		len_ = kcpp::append_uint(buf_, N, len_, value, base);
		return *this;
	}
	void clear() { buf_[len_ = 0] = '\0'; }
	const char *c_str() const { return buf_; }
	bool empty() const { return len_ == 0; }

private:
	char buf_[N] = {};
	usize len_ = 0;
};

} // namespace kcpp
