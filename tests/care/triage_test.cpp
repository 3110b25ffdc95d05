// Pseudo-triage with the default rules: every rule with a case that fires it (and the case just
// short of it), the first rule in order wins, a missed check-in is its own input, the risk score
// orders P2, and every classification names its rule and the rule set's version.
#include <gtest/gtest.h>

#include "care/triage.hpp"

namespace madoguchi::care {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kToday = 1'796'000'000'000;  // a morning, Japan time

HealthReport Fine(int64_t at = kToday) {
  HealthReport r;
  r.at_ms = at;
  r.temperature = 36.6;
  r.spo2 = 98;
  return r;
}

Classification Of(const std::optional<HealthReport>& r, const Patient& p = {40, 0}, std::vector<HealthReport> earlier = {}) {
  return Classify(r, earlier, p, DefaultTriageRules());
}

TEST(TriageTest, TheDefaultsAreValidAndVersioned) {
  const TriageRuleSet d = DefaultTriageRules();
  EXPECT_TRUE(ValidateTriageRules(d).ok());
  EXPECT_EQ(d.version, "mhlw-kanagawa-2022.2");
  const Classification c = Of(Fine());
  EXPECT_EQ(c.priority, Priority::kP3);
  EXPECT_EQ(c.rule_id, "stable");
  EXPECT_EQ(c.version, "mhlw-kanagawa-2022.2");
}

TEST(TriageTest, AnUrgentSymptomIsP0WhateverElseIsFine) {
  HealthReport r = Fine();
  r.urgent = true;
  EXPECT_EQ(Of(r).priority, Priority::kP0);
  EXPECT_EQ(Of(r).rule_id, "urgent_symptom");
}

TEST(TriageTest, Spo2Of93OrLessIsP0And94To95IsP1) {
  HealthReport r = Fine();
  r.spo2 = 92;
  EXPECT_EQ(Of(r).rule_id, "spo2_93");
  EXPECT_EQ(Of(r).priority, Priority::kP0);
  r.spo2 = 93;
  EXPECT_EQ(Of(r).priority, Priority::kP0);
  r.spo2 = 94;
  EXPECT_EQ(Of(r).rule_id, "spo2_95");
  EXPECT_EQ(Of(r).priority, Priority::kP1);
  r.spo2 = 95;
  EXPECT_EQ(Of(r).priority, Priority::kP1);
  r.spo2 = 96;
  EXPECT_EQ(Of(r).priority, Priority::kP3);
  r.spo2.reset();  // no oximeter
  EXPECT_EQ(Of(r).priority, Priority::kP3);
}

TEST(TriageTest, AFallOfThreePointsFromTheirOwnFirstReadingIsP1) {
  std::vector<HealthReport> earlier = {Fine(kToday - kDay), Fine(kToday - 2 * kDay)};
  earlier[1].spo2 = 99;  // the first reading
  earlier[0].spo2 = 98;
  HealthReport r = Fine();
  r.spo2 = 96;
  EXPECT_EQ(Of(r, {40, 0}, earlier).rule_id, "spo2_drop_3");
  r.spo2 = 97;
  EXPECT_EQ(Of(r, {40, 0}, earlier).priority, Priority::kP3) << "a fall of 2";
  EXPECT_EQ(Of(r).priority, Priority::kP3) << "no earlier reading to fall from";
}

TEST(TriageTest, BreathlessnessIsP1AndDontKnowIsNotYes) {
  HealthReport r = Fine();
  r.answers[static_cast<size_t>(Symptom::kBreathless)] = Answer::kYes;
  EXPECT_EQ(Of(r).rule_id, "breathless");
  r.answers[static_cast<size_t>(Symptom::kBreathless)] = Answer::kUnknown;
  EXPECT_EQ(Of(r).priority, Priority::kP3);
  r.answers[static_cast<size_t>(Symptom::kCough)] = Answer::kYes;
  EXPECT_EQ(Of(r).priority, Priority::kP3) << "a cough alone is not a rule";
}

TEST(TriageTest, AFeverOnFourDaysRunningIsP1AndAGapEndsTheRun) {
  auto hot = [](int64_t at) {
    HealthReport r = Fine(at);
    r.temperature = 38.2;
    return r;
  };
  // Newest first: yesterday, the day before, three days ago; and a second reading yesterday.
  std::vector<HealthReport> earlier = {hot(kToday - kDay + 3'600'000), hot(kToday - kDay), hot(kToday - 2 * kDay), hot(kToday - 3 * kDay)};
  EXPECT_EQ(Of(hot(kToday), {40, 0}, earlier).rule_id, "fever_4_days");
  earlier.pop_back();
  EXPECT_EQ(Of(hot(kToday), {40, 0}, earlier).priority, Priority::kP3) << "three days";
  earlier = {hot(kToday - kDay), Fine(kToday - 2 * kDay), hot(kToday - 3 * kDay), hot(kToday - 4 * kDay)};
  EXPECT_EQ(Of(hot(kToday), {40, 0}, earlier).priority, Priority::kP3) << "a normal day between";
  HealthReport at_line = hot(kToday);
  at_line.temperature = 37.5;
  earlier = {hot(kToday - kDay), hot(kToday - 2 * kDay), hot(kToday - 3 * kDay)};
  EXPECT_EQ(Of(at_line, {40, 0}, earlier).rule_id, "fever_4_days") << "37.5 is a fever";
}

TEST(TriageTest, AMissedCheckInIsP1ForTheHighRiskAndP2ForOthers) {
  EXPECT_EQ(Of(std::nullopt, {80, 0}).rule_id, "high_risk_missed");  // 75+: 3 points
  EXPECT_EQ(Of(std::nullopt, {80, 0}).priority, Priority::kP1);
  EXPECT_EQ(Of(std::nullopt, {50, 2}).priority, Priority::kP1);  // two risk factors
  EXPECT_EQ(Of(std::nullopt, {50, 1}).rule_id, "missed");
  EXPECT_EQ(Of(std::nullopt, {50, 1}).priority, Priority::kP2);
  EXPECT_EQ(Of(std::nullopt, {30, 0}).priority, Priority::kP2);
}

TEST(TriageTest, TheRiskScoreIsKanagawaStyleAndOrdersP2) {
  const TriageRuleSet d = DefaultTriageRules();
  EXPECT_EQ(RiskScore({75, 0}, d), 3);
  EXPECT_EQ(RiskScore({74, 0}, d), 2);
  EXPECT_EQ(RiskScore({65, 2}, d), 4);
  EXPECT_EQ(RiskScore({64, 0}, d), 0);
  const Classification old = Of(Fine(), {78, 1});
  EXPECT_EQ(old.priority, Priority::kP2);
  EXPECT_EQ(old.rule_id, "risk_score");
  EXPECT_EQ(old.risk_score, 4);
  EXPECT_EQ(Of(Fine(), {30, 0}).priority, Priority::kP3);
}

TEST(TriageTest, TheFirstRuleInOrderWins) {
  HealthReport r = Fine();
  r.urgent = true;
  r.spo2 = 94;
  EXPECT_EQ(Of(r, {80, 3}).rule_id, "urgent_symptom");
  r.urgent = false;
  EXPECT_EQ(Of(r, {80, 3}).rule_id, "spo2_95") << "P1 before the risk score's P2";
}

TEST(TriageTest, RuleSetsAreValidatedNamingTheRule) {
  TriageRuleSet s = DefaultTriageRules();
  s.rules[1].spo2_at_most = 120;
  EXPECT_EQ(ValidateTriageRules(s).field(), "rules[1].spo2_at_most");
  s = DefaultTriageRules();
  s.rules[2].id = s.rules[0].id;
  EXPECT_EQ(ValidateTriageRules(s).key(), "repeated_rule");
  s = DefaultTriageRules();
  s.rules[0].missed_check_in = true;  // urgent_symptom on a missed check-in
  EXPECT_EQ(ValidateTriageRules(s).key(), "missed_with_values");
  s = DefaultTriageRules();
  s.version.clear();
  EXPECT_EQ(ValidateTriageRules(s).field(), "version");
  s = DefaultTriageRules();
  s.rules.clear();
  EXPECT_EQ(ValidateTriageRules(s).key(), "no_rules");
}

}  // namespace
}  // namespace madoguchi::care
