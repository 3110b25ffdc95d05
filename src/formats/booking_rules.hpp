// src/formats/booking_rules.hpp — a municipality's booking rules (booking::Rules) as JSON: the
// one place their format is written, read by the API (PUT …/booking-rules), the rules page and
// the stored copy alike (docs/booking.md):
//   {"min_age": 65, "max_age": null, "max_dose": 2, "same_vaccine_for_second_dose": true,
//    "min_days_after_previous_dose": {"pfizer": 21, "moderna": 28}}
// A key left out keeps its default; an unknown key or a wrong type is an error, never ignored.
#pragma once

#include <string>
#include <string_view>

#include "booking/booking.hpp"
#include "common/status.hpp"

namespace madoguchi::formats {

// Parsed and validated (booking::ValidateRules). kMalformed for text that is not a JSON object;
// kInvalidArgument naming the setting otherwise.
Result<booking::Rules> ParseBookingRules(std::string_view json);

// The canonical JSON of `rules` (every key present).
std::string BookingRulesJson(const booking::Rules& rules);

}  // namespace madoguchi::formats
