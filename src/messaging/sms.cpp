// src/messaging/sms.cpp — see sms.hpp.
#include "messaging/sms.hpp"

#include <algorithm>
#include <string>

#include "common/text.hpp"

namespace madoguchi::messaging {
namespace {

// The GSM 03.38 default alphabet (one septet each), as Unicode, and its extension table (an
// escape and a septet: two).
constexpr std::u32string_view kGsmBasic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
constexpr std::u32string_view kGsmExtension = U"\f^{}\\[~]|€";

// The code points of valid UTF-8, with the byte offset each starts at.
struct CodePoint {
  char32_t cp;
  size_t offset;
};

std::vector<CodePoint> Decode(std::string_view s) {
  std::vector<CodePoint> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back({cp, i});
    i += len;
  }
  return out;
}

int Gsm7Septets(char32_t cp) {
  if (kGsmBasic.find(cp) != std::u32string_view::npos) return 1;
  if (kGsmExtension.find(cp) != std::u32string_view::npos) return 2;
  return 0;  // not in the alphabet
}

}  // namespace

std::string_view SmsEncodingName(SmsEncoding e) { return e == SmsEncoding::kGsm7 ? "gsm7" : "ucs2"; }

Result<SmsParts> SplitSms(std::string_view utf8, std::string_view field) {
  if (!text::IsValidUtf8(utf8)) return InvalidArgumentError(std::string(field), "is not UTF-8 text", "bad_utf8");
  if (utf8.empty()) return InvalidArgumentError(std::string(field), "is empty", "empty");
  const std::vector<CodePoint> cps = Decode(utf8);
  // Each character's width in the encoding: GSM 7-bit if every character has one.
  std::vector<int> width(cps.size());
  bool gsm = true;
  for (size_t i = 0; i < cps.size() && gsm; ++i) gsm = (width[i] = Gsm7Septets(cps[i].cp)) > 0;
  if (!gsm) {
    for (size_t i = 0; i < cps.size(); ++i) width[i] = cps[i].cp > 0xFFFF ? 2 : 1;
  }
  SmsParts out;
  out.encoding = gsm ? SmsEncoding::kGsm7 : SmsEncoding::kUcs2;
  for (int w : width) out.units += w;
  const int single = gsm ? kSingleSeptets : kSingleUcs2Units;
  const int per_part = gsm ? kPartSeptets : kPartUcs2Units;
  if (out.units <= single) {
    out.texts.emplace_back(utf8);
    return out;
  }
  // Fill each part with whole characters: a character that would not fit starts the next part.
  size_t start = 0;
  int used = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (used + width[i] > per_part) {
      out.texts.emplace_back(utf8.substr(cps[start].offset, cps[i].offset - cps[start].offset));
      start = i;
      used = 0;
    }
    used += width[i];
  }
  out.texts.emplace_back(utf8.substr(cps[start].offset));
  return out;
}

Status CheckPartLimit(const SmsParts& parts, int max_parts, std::string_view field) {
  if (parts.parts() <= max_parts) return Status::Ok();
  return InvalidArgumentError(
      std::string(field), "needs " + std::to_string(parts.parts()) + " SMS parts; at most " + std::to_string(max_parts) + " are allowed",
      "too_many_parts");
}

int64_t SmsCostSen(const SmsParts& parts, int64_t sen_per_part) { return parts.parts() * sen_per_part; }

}  // namespace madoguchi::messaging
