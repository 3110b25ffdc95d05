// src/messaging/phone.cpp — see phone.hpp.
#include "messaging/phone.hpp"

#include "common/text.hpp"

namespace madoguchi::messaging {

Result<std::string> MobileE164(std::string_view typed, std::string_view field) {
  // Full-width digits and dashes as ASCII, spaces gone; then the separators people write.
  std::string s = text::AsTyped(text::Trim(typed));
  for (std::string_view wide : {"＋", "（", "）", "ー", "‐", "−", "―"}) {
    const char narrow = wide == "＋" ? '+' : '-';
    for (size_t pos; (pos = s.find(wide)) != std::string::npos;) s.replace(pos, wide.size(), 1, narrow);
  }
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c != '-' && c != '(' && c != ')' && c != ' ' && c != '.') {
      return InvalidArgumentError(std::string(field), "holds a character that is not part of a phone number", "bad_phone");
    }
  }
  std::string national;
  if (plus) {
    if (digits.rfind("81", 0) != 0) return InvalidArgumentError(std::string(field), "is not a Japanese number (+81)", "bad_phone");
    national = digits.substr(2);
    if (national.rfind('0', 0) != 0) national = "0" + national;  // +81(0)90… and +8190… alike
  } else {
    if (digits.rfind('0', 0) != 0) return InvalidArgumentError(std::string(field), "must start with 0 or +81", "bad_phone");
    national = digits;
  }
  const bool mobile_prefix = national.rfind("070", 0) == 0 || national.rfind("080", 0) == 0 || national.rfind("090", 0) == 0;
  if (mobile_prefix && national.size() == 11) return "+81" + national.substr(1);
  if (mobile_prefix) return InvalidArgumentError(std::string(field), "a mobile number has 11 digits", "bad_phone");
  if (national.size() == 10 || national.size() == 11) {
    return InvalidArgumentError(std::string(field), "is not a mobile number (070, 080, 090) and cannot receive SMS", "not_mobile");
  }
  return InvalidArgumentError(std::string(field), "has " + std::to_string(national.size()) + " digits; a mobile number has 11",
                              "bad_phone");
}

std::string NationalFormat(std::string_view e164) {
  if (e164.size() != 13 || !e164.starts_with("+81")) return std::string(e164);
  const std::string national = "0" + std::string(e164.substr(3));
  return national.substr(0, 3) + "-" + national.substr(3, 4) + "-" + national.substr(7);
}

}  // namespace madoguchi::messaging
