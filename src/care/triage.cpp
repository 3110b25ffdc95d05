#include "care/triage.hpp"

#include <algorithm>
#include <set>

namespace madoguchi::care {

namespace {

constexpr std::array<std::string_view, kSymptomCount> kSymptomNames = {"pale_face", "cough",  "breathless", "tired",   "nausea",
                                                                       "diarrhoea", "drowsy", "cannot_eat", "no_urine"};

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kJapanOffsetMs = 9 * 3'600'000;

int64_t JapanDayOf(int64_t at_ms) { return (at_ms + kJapanOffsetMs) / kDayMs; }

bool HasFever(const HealthReport& r, double celsius) { return r.temperature && *r.temperature >= celsius; }

// Consecutive days, back from the report's, with a reading at or above `celsius` (a day
// without a reading, or with one below, ends the run).
int FeverDays(const HealthReport& report, std::span<const HealthReport> earlier, double celsius) {
  if (!HasFever(report, celsius)) return 0;
  int days = 1;
  int64_t expected = JapanDayOf(report.at_ms) - 1;
  for (const HealthReport& r : earlier) {
    const int64_t day = JapanDayOf(r.at_ms);
    if (day > expected) continue;  // the same day as one already counted
    if (day < expected || !HasFever(r, celsius)) break;
    ++days;
    --expected;
  }
  return days;
}

// The patient's own first SpO2 reading: the oldest earlier report that has one.
std::optional<int> FirstSpo2(std::span<const HealthReport> earlier) {
  for (auto it = earlier.rbegin(); it != earlier.rend(); ++it) {
    if (it->spo2) return it->spo2;
  }
  return std::nullopt;
}

bool Holds(const TriageRule& rule, const std::optional<HealthReport>& report, std::span<const HealthReport> earlier, int score,
           const TriageRuleSet& set) {
  if (rule.missed_check_in != !report.has_value()) {
    // A rule about a missed check-in holds only on one; a rule about a report's values holds
    // only on a report. A rule with neither (a risk score, a catch-all) holds on both.
    const bool about_values = rule.urgent_symptom || rule.spo2_at_most || rule.spo2_drop_at_least || !rule.any_yes.empty() ||
                              rule.fever_days_at_least || !rule.number_reply_in.empty();
    if (rule.missed_check_in || about_values) return false;
  }
  if (rule.urgent_symptom && !report->urgent) return false;
  if (rule.spo2_at_most && !(report->spo2 && *report->spo2 <= *rule.spo2_at_most)) return false;
  if (rule.spo2_drop_at_least) {
    const std::optional<int> first = FirstSpo2(earlier);
    if (!report->spo2 || !first || *first - *report->spo2 < *rule.spo2_drop_at_least) return false;
  }
  if (!rule.any_yes.empty()) {
    bool yes = false;
    for (Symptom s : rule.any_yes) yes = yes || report->answer(s) == Answer::kYes;
    if (!yes) return false;
  }
  if (!rule.number_reply_in.empty() && !(report->number_reply && std::find(rule.number_reply_in.begin(), rule.number_reply_in.end(),
                                                                           *report->number_reply) != rule.number_reply_in.end())) {
    return false;
  }
  if (rule.fever_days_at_least && FeverDays(*report, earlier, set.fever_celsius) < *rule.fever_days_at_least) return false;
  if (rule.risk_score_at_least && score < *rule.risk_score_at_least) return false;
  return true;
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 40) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string_view PriorityName(Priority p) {
  switch (p) {
    case Priority::kP0: return "P0";
    case Priority::kP1: return "P1";
    case Priority::kP2: return "P2";
    case Priority::kP3: return "P3";
  }
  return "P3";
}

Result<Priority> ParsePriority(std::string_view name, std::string_view field) {
  for (Priority p : {Priority::kP0, Priority::kP1, Priority::kP2, Priority::kP3}) {
    if (PriorityName(p) == name) return p;
  }
  return InvalidArgumentError(std::string(field), "must be P0, P1, P2 or P3", "unknown_priority");
}

std::string_view NumberReplyName(NumberReply n) {
  switch (n) {
    case NumberReply::kNoChange: return "no_change";
    case NumberReply::kWorse: return "worse";
    case NumberReply::kCallMe: return "call_me";
  }
  return "no_change";
}

Result<NumberReply> ParseNumberReply(std::string_view name, std::string_view field) {
  for (NumberReply n : {NumberReply::kNoChange, NumberReply::kWorse, NumberReply::kCallMe}) {
    if (NumberReplyName(n) == name) return n;
  }
  return InvalidArgumentError(std::string(field), "must be no_change, worse or call_me", "unknown_number_reply");
}

std::string_view SymptomName(Symptom s) { return kSymptomNames[static_cast<size_t>(s)]; }

Result<Symptom> ParseSymptom(std::string_view name, std::string_view field) {
  for (size_t i = 0; i < kSymptomNames.size(); ++i) {
    if (kSymptomNames[i] == name) return static_cast<Symptom>(i);
  }
  return InvalidArgumentError(std::string(field), "must be one of the daily items (pale_face, cough, breathless, …)", "unknown_symptom");
}

TriageRuleSet DefaultTriageRules() {
  TriageRuleSet s;
  s.version = "mhlw-kanagawa-2022.2";
  auto rule = [&](std::string id, Priority p) -> TriageRule& {
    s.rules.push_back(TriageRule{});
    s.rules.back().id = std::move(id);
    s.rules.back().priority = p;
    return s.rules.back();
  };
  rule("urgent_symptom", Priority::kP0).urgent_symptom = true;
  rule("spo2_93", Priority::kP0).spo2_at_most = 93;
  rule("spo2_95", Priority::kP1).spo2_at_most = 95;
  rule("spo2_drop_3", Priority::kP1).spo2_drop_at_least = 3;
  rule("breathless", Priority::kP1).any_yes = {Symptom::kBreathless};
  rule("fever_4_days", Priority::kP1).fever_days_at_least = 4;
  rule("asked_for_call", Priority::kP1).number_reply_in = {NumberReply::kCallMe};
  rule("reported_worse", Priority::kP1).number_reply_in = {NumberReply::kWorse};
  TriageRule& missed = rule("high_risk_missed", Priority::kP1);
  missed.missed_check_in = true;
  missed.risk_score_at_least = 2;
  rule("missed", Priority::kP2).missed_check_in = true;
  rule("risk_score", Priority::kP2).risk_score_at_least = 1;
  return s;
}

Status ValidateTriageRules(const TriageRuleSet& r) {
  if (r.version.empty() || r.version.size() > 64) return InvalidArgumentError("version", "name the rule set's version (up to 64 bytes)");
  if (r.fever_celsius < 35 || r.fever_celsius > 42) return InvalidArgumentError("fever_celsius", "must be from 35 to 42");
  for (int points : {r.score_age_75_and_over, r.score_age_65_to_74, r.score_per_risk_factor}) {
    if (points < 0 || points > 10) return InvalidArgumentError("score", "points must be from 0 to 10");
  }
  if (r.rules.empty()) return InvalidArgumentError("rules", "give at least one rule", "no_rules");
  std::set<std::string> ids;
  for (size_t i = 0; i < r.rules.size(); ++i) {
    const TriageRule& rule = r.rules[i];
    const std::string where = "rules[" + std::to_string(i) + "]";
    if (!ValidId(rule.id)) return InvalidArgumentError(where + ".id", "must be 1 to 40 of a-z, 0-9, _");
    if (!ids.insert(rule.id).second) return InvalidArgumentError(where + ".id", "the id " + rule.id + " is used twice", "repeated_rule");
    const bool about_values = rule.urgent_symptom || rule.spo2_at_most || rule.spo2_drop_at_least || !rule.any_yes.empty() ||
                              rule.fever_days_at_least || !rule.number_reply_in.empty();
    if (rule.missed_check_in && about_values) {
      return InvalidArgumentError(where + ".missed_check_in", "a missed check-in has no values to test", "missed_with_values");
    }
    if (rule.spo2_at_most && (*rule.spo2_at_most < 50 || *rule.spo2_at_most > 100)) {
      return InvalidArgumentError(where + ".spo2_at_most", "must be from 50 to 100");
    }
    if (rule.spo2_drop_at_least && (*rule.spo2_drop_at_least < 1 || *rule.spo2_drop_at_least > 20)) {
      return InvalidArgumentError(where + ".spo2_drop_at_least", "must be from 1 to 20");
    }
    if (rule.fever_days_at_least && (*rule.fever_days_at_least < 1 || *rule.fever_days_at_least > 14)) {
      return InvalidArgumentError(where + ".fever_days_at_least", "must be from 1 to 14");
    }
    if (rule.risk_score_at_least && (*rule.risk_score_at_least < 0 || *rule.risk_score_at_least > 50)) {
      return InvalidArgumentError(where + ".risk_score_at_least", "must be from 0 to 50");
    }
  }
  return Status::Ok();
}

int RiskScore(const Patient& p, const TriageRuleSet& r) {
  int score = p.risk_factors * r.score_per_risk_factor;
  if (p.age >= 75) {
    score += r.score_age_75_and_over;
  } else if (p.age >= 65) {
    score += r.score_age_65_to_74;
  }
  return score;
}

Classification Classify(const std::optional<HealthReport>& report, std::span<const HealthReport> earlier, const Patient& p,
                        const TriageRuleSet& rules) {
  Classification out;
  out.version = rules.version;
  out.risk_score = RiskScore(p, rules);
  for (const TriageRule& rule : rules.rules) {
    if (Holds(rule, report, earlier, out.risk_score, rules)) {
      out.priority = rule.priority;
      out.rule_id = rule.id;
      return out;
    }
  }
  out.priority = Priority::kP3;
  out.rule_id = "stable";
  return out;
}

}  // namespace madoguchi::care
