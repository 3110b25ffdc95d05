// src/messaging/email.cpp — see email.hpp.
#include "messaging/email.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace madoguchi::messaging {
namespace {

bool IsAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool LocalChar(char c) { return IsAlnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos; }

// Full-width ASCII (U+FF01..U+FF5E) and the ideographic space as ASCII; other text as it is.
std::string HalfWidth(std::string_view typed) {
  std::string out;
  for (size_t i = 0; i < typed.size();) {
    const unsigned char b0 = static_cast<unsigned char>(typed[i]);
    if (b0 == 0xEF && i + 2 < typed.size()) {
      const unsigned cp = ((b0 & 0x0F) << 12) | ((static_cast<unsigned char>(typed[i + 1]) & 0x3F) << 6) |
                          (static_cast<unsigned char>(typed[i + 2]) & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out += static_cast<char>(cp - 0xFF01 + 0x21);
        i += 3;
        continue;
      }
    }
    if (typed.substr(i, 3) == "\xE3\x80\x80") {  // 　
      out += ' ';
      i += 3;
      continue;
    }
    out += typed[i++];
  }
  return out;
}

}  // namespace

Result<std::string> NormalEmail(std::string_view typed, std::string_view field) {
  std::string s = text::Trim(HalfWidth(typed));
  const auto bad = [&](const std::string& why) { return InvalidArgumentError(std::string(field), why, "bad_email"); };
  if (s.empty()) return bad("is empty");
  if (s.size() > 254) return bad("is longer than 254 characters");
  const size_t at = s.rfind('@');
  if (at == std::string::npos || s.find('@') != at) return bad("must have one @");
  const std::string local = s.substr(0, at);
  std::string domain = s.substr(at + 1);
  if (local.empty() || local.size() > 64) return bad("must have 1 to 64 characters before the @");
  if (!std::all_of(local.begin(), local.end(), LocalChar)) return bad("has a character an address cannot have before the @");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
    return bad("has a dot first, last or twice before the @");
  }
  std::transform(domain.begin(), domain.end(), domain.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; });
  size_t labels = 0;
  for (size_t start = 0; start <= domain.size();) {
    size_t dot = domain.find('.', start);
    if (dot == std::string::npos) dot = domain.size();
    const std::string_view label(domain.data() + start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), [](char c) { return IsAlnum(c) || c == '-'; })) {
      return bad("has a domain after the @ that is not a name such as example.jp");
    }
    ++labels;
    start = dot + 1;
  }
  if (labels < 2) return bad("has a domain after the @ that is not a name such as example.jp");
  return local + "@" + domain;
}

Status ValidateSenderName(std::string_view name, std::string_view field) {
  if (!text::IsValidUtf8(name) || text::HasControlChars(name)) {
    return InvalidArgumentError(std::string(field), "must be text without line breaks", "bad_sender_name");
  }
  size_t chars = 0;
  for (unsigned char c : name) chars += (c & 0xC0) != 0x80;
  if (chars > 60) return InvalidArgumentError(std::string(field), "must be at most 60 characters", "bad_sender_name");
  return Status::Ok();
}

}  // namespace madoguchi::messaging
