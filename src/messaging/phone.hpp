// src/messaging/phone.hpp — the numbers an SMS can be sent to: Japanese mobile numbers (070, 080,
// 090), kept as E.164 (+81…), read from the forms people write them in.
#pragma once

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace madoguchi::messaging {

// "090-1234-5678", "０９０ １２３４ ５６７８", "(090)1234-5678", "+81 90-1234-5678" and
// "+81(0)90…" → "+819012345678". Errors, kInvalidArgument on `field`: "not_mobile" for a number
// that is well formed but cannot receive SMS (a landline, 050, 0120, 020); "bad_phone" for
// anything else (letters, too few or too many digits, another country).
Result<std::string> MobileE164(std::string_view typed, std::string_view field = "phone");

// "+819012345678" as people read it: "090-1234-5678"; any other text as it is.
std::string NationalFormat(std::string_view e164);

}  // namespace madoguchi::messaging
