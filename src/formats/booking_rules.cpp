// src/formats/booking_rules.cpp — see booking_rules.hpp.
#include "formats/booking_rules.hpp"

#include <nlohmann/json.hpp>

#include "formats/internal/json_support.hpp"

namespace madoguchi::formats {

using nlohmann::json;

namespace {

// A whole number in int range, or null (nullopt) when `nullable`.
Result<std::optional<int>> WholeNumber(const json& v, const std::string& field, bool nullable) {
  if (nullable && v.is_null()) return std::optional<int>();
  if (!v.is_number_integer() || v.get<int64_t>() < -1'000'000 || v.get<int64_t>() > 1'000'000) {
    return InvalidArgumentError(field, nullable ? "must be a whole number or null" : "must be a whole number");
  }
  return std::optional<int>(static_cast<int>(v.get<int64_t>()));
}

}  // namespace

Result<booking::Rules> ParseBookingRules(std::string_view text) {
  MADOGUCHI_ASSIGN_OR_RETURN(json j, internal::ParseObject(text, "booking rules"));
  MADOGUCHI_RETURN_IF_ERROR(
      internal::OnlyKeys(j, {"min_age", "max_age", "max_dose", "same_vaccine_for_second_dose", "min_days_after_previous_dose"}, ""));
  booking::Rules rules;
  if (j.contains("min_age")) {
    MADOGUCHI_ASSIGN_OR_RETURN(rules.min_age, WholeNumber(j["min_age"], "min_age", true));
  }
  if (j.contains("max_age")) {
    MADOGUCHI_ASSIGN_OR_RETURN(rules.max_age, WholeNumber(j["max_age"], "max_age", true));
  }
  if (j.contains("max_dose") && !j["max_dose"].is_null()) {
    MADOGUCHI_ASSIGN_OR_RETURN(auto dose, WholeNumber(j["max_dose"], "max_dose", false));
    rules.max_dose = *dose;
  }
  if (j.contains("same_vaccine_for_second_dose")) {
    if (!j["same_vaccine_for_second_dose"].is_boolean()) {
      return InvalidArgumentError("same_vaccine_for_second_dose", "must be true or false");
    }
    rules.same_vaccine_for_second_dose = j["same_vaccine_for_second_dose"].get<bool>();
  }
  if (j.contains("min_days_after_previous_dose")) {
    const json& days = j["min_days_after_previous_dose"];
    if (!days.is_object()) return InvalidArgumentError("min_days_after_previous_dose", "must be an object {\"vaccine\": days}");
    for (const auto& [vaccine, v] : days.items()) {
      MADOGUCHI_ASSIGN_OR_RETURN(auto n, WholeNumber(v, "min_days_after_previous_dose." + vaccine, false));
      rules.min_days_after_previous_dose[vaccine] = *n;
    }
  }
  MADOGUCHI_RETURN_IF_ERROR(booking::ValidateRules(rules));
  return rules;
}

std::string BookingRulesJson(const booking::Rules& rules) {
  json days = json::object();
  for (const auto& [vaccine, n] : rules.min_days_after_previous_dose) days[vaccine] = n;
  json j = {{"min_age", rules.min_age ? json(*rules.min_age) : json(nullptr)},
            {"max_age", rules.max_age ? json(*rules.max_age) : json(nullptr)},
            {"max_dose", rules.max_dose},
            {"same_vaccine_for_second_dose", rules.same_vaccine_for_second_dose},
            {"min_days_after_previous_dose", days}};
  return j.dump();
}

}  // namespace madoguchi::formats
