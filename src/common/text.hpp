// src/common/text.hpp — small text helpers every room may use: UTF-8 validity, HTML escaping,
// thousands separators.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace madoguchi::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// & < > " ' as entities, for HTML built by hand (templates escape by themselves).
std::string HtmlEscape(std::string_view s);

// Without leading and trailing spaces, tabs and carriage returns.
std::string Trim(std::string_view s);

// 1234567 → "1,234,567" (rounded to a whole number).
std::string GroupThousands(double v);

}  // namespace madoguchi::text
