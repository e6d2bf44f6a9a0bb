// SPDX-License-Identifier: GPL-2.0
// The text of a perf PMU's sysfs format file, "config1:0-9" or "config:11",
// generated at compile time from a field's declaration (regs.hpp), so what
// sysfs tells perf and the mask the driver applies are one definition.
//
//   struct Filter : kcpp::BitLayout<Filter, u32> { KCPP_FIELD(9, 0, root_port); };
//   kcpp::perf_format<1, Filter::root_port_field>   // "config1:0-9"
#pragma once

#include <kcpp/types.hpp>

namespace kcpp {

namespace detail {
struct FormatText {
	char text[sizeof("config3:63-63")];
};

constexpr FormatText format_text(unsigned word, unsigned hi, unsigned lo)
{
	FormatText f{};
	unsigned n = 0;
	auto put = [&](char c) { f.text[n++] = c; };
	auto put_number = [&](unsigned v) {
		if (v >= 10)
			put(static_cast<char>('0' + v / 10));
		put(static_cast<char>('0' + v % 10));
	};
	for (const char *c = "config"; *c; c++)
		put(*c);
	if (word)
		put_number(word);
	put(':');
	put_number(lo);
	if (hi != lo) {
		put('-');
		put_number(hi);
	}
	return f;
}

template <unsigned Word, unsigned Hi, unsigned Lo>
inline constexpr FormatText format_text_of = format_text(Word, Hi, Lo);
} // namespace detail

// Field F of perf_event_attr's config word Word (0: config, 1: config1, ...).
template <unsigned Word, typename F>
	requires(Word <= 3 && F::hi < 64)
inline constexpr const char *perf_format = detail::format_text_of<Word, F::hi, F::lo>.text;

} // namespace kcpp
