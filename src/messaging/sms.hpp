// src/messaging/sms.hpp — how a text travels as SMS: its encoding (GSM 7-bit when every character
// allows it, else UCS-2), its length in the encoding's units, and the parts it is cut into.
//
// One part holds 160 septets or 70 UTF-16 units; a concatenated message loses room to its header
// and holds 153 septets or 67 units per part. A GSM extension character (€ [ ] { } ~ | ^ \ and
// form feed) is an escape and a character, two septets, and a pair is never cut; a character
// outside the Basic Multilingual Plane is a surrogate pair, two units, and is never cut either.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::messaging {

enum class SmsEncoding { kGsm7, kUcs2 };
std::string_view SmsEncodingName(SmsEncoding e);  // "gsm7", "ucs2"

struct SmsParts {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;                   // septets (GSM 7-bit) or UTF-16 code units (UCS-2), in all
  std::vector<std::string> texts;  // the parts, as UTF-8, in order; one for a single message
  int parts() const { return static_cast<int>(texts.size()); }
};

constexpr int kSingleSeptets = 160, kPartSeptets = 153;
constexpr int kSingleUcs2Units = 70, kPartUcs2Units = 67;

// Errors: kInvalidArgument on `field`: "bad_utf8" for text that is not UTF-8, "empty" for none.
Result<SmsParts> SplitSms(std::string_view utf8, std::string_view field = "text");

// `parts` within the tenant's limit (1..10). kInvalidArgument "too_many_parts" on `field`.
Status CheckPartLimit(const SmsParts& parts, int max_parts, std::string_view field = "text");

// The cost of sending `parts` parts at `sen_per_part` (1 円 = 100 銭), in 銭.
int64_t SmsCostSen(const SmsParts& parts, int64_t sen_per_part);

}  // namespace madoguchi::messaging
