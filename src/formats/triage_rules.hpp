// src/formats/triage_rules.hpp — a tenant's triage rule set (care::TriageRuleSet) as JSON: the
// one place the file format is written (docs/care.md has it with the defaults):
//   {"version": "mhlw-kanagawa-2022.2", "fever_celsius": 37.5,
//    "score": {"age_75_and_over": 3, "age_65_to_74": 2, "per_risk_factor": 1},
//    "rules": [{"id": "spo2_93", "priority": "P0", "when": {"spo2_at_most": 93}}, …]}
// Conditions in "when": urgent_symptom (true), spo2_at_most, spo2_drop_at_least, any_yes (daily
// item names), fever_days_at_least, missed_check_in (true), risk_score_at_least; all given must
// hold. An unknown key or a wrong type is an error, never ignored.
#pragma once

#include <string>
#include <string_view>

#include "care/triage.hpp"
#include "common/status.hpp"

namespace madoguchi::formats {

// Parsed and validated (care::ValidateTriageRules). kMalformed for text that is not a JSON
// object; kInvalidArgument naming the setting ("rules[2].when.spo2_at_most") otherwise.
Result<care::TriageRuleSet> ParseTriageRules(std::string_view json);

// The canonical JSON of `rules` (what ParseTriageRules reads back as the same set).
std::string TriageRulesJson(const care::TriageRuleSet& rules);

}  // namespace madoguchi::formats
