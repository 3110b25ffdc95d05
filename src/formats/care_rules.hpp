// src/formats/care_rules.hpp — a tenant's home-test registration rules as a JSON file: who may
// register online (the eligibility screen and the tenant's kit list), how long home care lasts and
// how long the photos are kept, and the clinic information shown to those turned away. A key left
// out keeps the default (care::DefaultCareSettings()); an unknown key, a wrong type or a value out
// of range is refused naming it ("eligibility.kits[1].name"). docs/care.md shows the file.
//
//   {"eligibility": {"max_age": 64, "max_days_since_test": 2, "refuse_risk_factors": true,
//                    "refuse_pregnant": true, "require_mild_symptoms": true, "min_vaccinations": 2,
//                    "refuse_smokers": false, "max_bmi": 30,
//                    "kits": [{"name": "…", "approved": true}]},
//    "episode": {"days_after_onset": 7, "kit_photo_retention_days": 30, "id_photo_retention_days": 7},
//    "clinic_info": "発熱外来は…"}
#pragma once

#include <string>
#include <string_view>

#include "care/application.hpp"
#include "common/status.hpp"

namespace madoguchi::formats {

// `base` with what the file sets, validated (care::ValidateEligibilityRules, ValidateEpisodeRules;
// clinic_info text of at most 2000 bytes). Errors: kMalformed for text that is not a JSON object;
// kInvalidArgument naming the setting otherwise.
Result<care::CareSettings> ParseCareRules(std::string_view json, const care::CareSettings& base);

// The canonical JSON of the settings' rules (what ParseCareRules reads back to the same).
std::string CareRulesJson(const care::CareSettings& s);

}  // namespace madoguchi::formats
