// src/common/text.hpp — small text helpers every room may use: UTF-8 validity, HTML escaping,
// thousands separators.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace madoguchi::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// How many characters (code points) valid UTF-8 `s` holds: every byte that starts one.
size_t CountCodePoints(std::string_view s);

// True when `s` holds a control character: C0 (U+0000–U+001F, NUL and tab included), DEL, or a
// UTF-8 encoded C1 control (U+0080–U+009F). Names, addresses and other one-line fields refuse them.
bool HasControlChars(std::string_view s);

// & < > " ' as entities, for HTML built by hand (templates escape by themselves).
std::string HtmlEscape(std::string_view s);

// Without leading and trailing spaces, tabs and carriage returns.
std::string Trim(std::string_view s);

// A number, time or range as an IME leaves it, in ASCII: full-width digits, point, colon and
// dash, and 〜 ～ as "-"; spaces (half- and full-width) dropped. "９：００〜１７：１５" → "9:00-17:15".
std::string AsTyped(std::string_view typed);

// 1234567 → "1,234,567" (rounded to a whole number).
std::string GroupThousands(double v);

// Percent-encoding of every byte outside A-Z a-z 0-9 - . _ ~ (and '/' when `keep_slash`), for a
// URL's query value or path; binary bytes included.
std::string PercentEncode(std::string_view bytes, bool keep_slash = false);

// `s` as a JSON string literal, quotes included (for the few small JSON objects engines build
// without a JSON library: messages' payloads).
std::string JsonQuote(std::string_view s);

}  // namespace madoguchi::text
