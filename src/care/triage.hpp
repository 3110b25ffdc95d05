// src/care/triage.hpp — pseudo-triage: which home-care patient operators phone first. A tenant's
// versioned rule set (its file format is formats/triage_rules.hpp; docs/care.md) is evaluated on
// every health report and on every missed check-in; the first rule that holds gives the priority,
// and the rule and the rule set's version are kept with the classification, so a call list can
// always say why someone is on it. The defaults follow public sources: P0 (call now, advise 119)
// for any of the MHLW's urgent symptoms or SpO2 ≤ 93 % (中等症II); P1 for SpO2 94–95 % (中等症I), a
// fall of 3 points from the patient's own first reading, breathlessness, a fever that persists, a
// high-risk patient who missed the check-in; P2 ordered by a Kanagawa-style risk score; P3 stable.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::care {

enum class Priority { kP0 = 0, kP1 = 1, kP2 = 2, kP3 = 3 };
std::string_view PriorityName(Priority p);  // "P0" … "P3"
Result<Priority> ParsePriority(std::string_view name, std::string_view field = "priority");

// はい / いいえ / わからない.
enum class Answer { kNo, kYes, kUnknown };

// The My HER-SYS items asked every day, in the form's order.
enum class Symptom { kPaleFace, kCough, kBreathless, kTired, kNausea, kDiarrhoea, kDrowsy, kCannotEat, kNoUrine };
constexpr size_t kSymptomCount = 9;
std::string_view SymptomName(Symptom s);  // "pale_face", "cough", "breathless", …
Result<Symptom> ParseSymptom(std::string_view name, std::string_view field = "symptom");

// The number a patient may reply to the check-in's SMS instead of opening the form.
enum class NumberReply { kNoChange = 1, kWorse = 2, kCallMe = 3 };  // 1 変わりなし, 2 悪くなった, 3 電話がほしい
std::string_view NumberReplyName(NumberReply n);                    // "no_change", "worse", "call_me"
Result<NumberReply> ParseNumberReply(std::string_view name, std::string_view field = "number_reply");

struct HealthReport {
  int64_t at_ms = 0;
  bool urgent = false;                          // any of the MHLW's 13 urgent symptoms (唇が紫色, 急に息苦しくなった, …)
  std::optional<double> temperature;            // ℃
  std::optional<int> spo2;                      // %, when they have an oximeter
  std::array<Answer, kSymptomCount> answers{};  // by Symptom; kNo unless answered
  std::optional<NumberReply> number_reply;      // a number replied instead of the form (nothing else is set)
  std::string note;                             // the patient's free text
  Answer answer(Symptom s) const { return answers[static_cast<size_t>(s)]; }
};

struct Patient {
  int age = 0;
  int risk_factors = 0;  // how many of the health centre's list they have (docs/care.md)
};

// One rule: when every condition given holds, the priority. A rule with no condition holds
// always (a catch-all at the end). Conditions on a report's values do not hold on a missed
// check-in, and `missed_check_in` holds only on one.
struct TriageRule {
  std::string id;  // shown to staff and stored: "spo2_93", "breathless", …
  Priority priority = Priority::kP3;
  bool urgent_symptom = false;
  std::optional<int> spo2_at_most;
  std::optional<int> spo2_drop_at_least;     // points below the patient's first reading
  std::vector<Symptom> any_yes;              // one of these answered はい
  std::vector<NumberReply> number_reply_in;  // the patient replied one of these numbers
  std::optional<int> fever_days_at_least;    // consecutive days (this report's included) at or above fever_celsius
  bool missed_check_in = false;
  std::optional<int> risk_score_at_least;
};

struct TriageRuleSet {
  std::string version;
  double fever_celsius = 37.5;
  // The risk score: points for age and for each risk factor.
  int score_age_75_and_over = 3;
  int score_age_65_to_74 = 2;
  int score_per_risk_factor = 1;
  std::vector<TriageRule> rules;  // in order; the first that holds gives the priority
};

// The defaults above, version "mhlw-kanagawa-2022.2".
TriageRuleSet DefaultTriageRules();

// Errors: kInvalidArgument naming the setting: no version (or over 64 bytes), fever 35–42 ℃,
// score points 0–10, no rule, a rule id that is empty, not [a-z0-9_] up to 40, or repeated,
// SpO2 50–100, a drop 1–20, fever days 1–14, a risk score 0–50, a missed-check-in rule that
// also tests a report's values.
Status ValidateTriageRules(const TriageRuleSet& r);

int RiskScore(const Patient& p, const TriageRuleSet& r);

struct Classification {
  Priority priority = Priority::kP3;
  std::string rule_id;  // the rule that held; "stable" when none did
  std::string version;  // the rule set's
  int risk_score = 0;   // orders patients of one priority (higher first)
};

// Classifies `report` (nullopt: the check-in was missed) given the patient's earlier reports,
// newest first (their first SpO2 reading and how long a fever has lasted come from them).
Classification Classify(const std::optional<HealthReport>& report, std::span<const HealthReport> earlier, const Patient& p,
                        const TriageRuleSet& rules);

}  // namespace madoguchi::care
