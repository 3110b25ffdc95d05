// The eligibility screen: the 2022 registration centres' defaults (under 65, no risk factor, not
// pregnant, an approved kit within 2 days, mild symptoms), the optional rules (vaccinations,
// smoking, BMI), every failing rule named, and answers that are missing or impossible refused
// naming the field.
#include <gtest/gtest.h>

#include "care/eligibility.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::care {
namespace {

using booking::Day;
using testing::StatusIsOn;
using namespace std::chrono;

const Day kToday = Day{year{2026} / 12 / 2};

EligibilityRules Defaults() {
  EligibilityRules r;
  r.kits = {{"ルミラ SARS-CoV-2 抗原検査キット", true}, {"研究用 抗原テスト", false}};
  return r;
}

EligibilityAnswers Healthy40() {
  EligibilityAnswers a;
  a.birth_date = Day{year{1986} / 5 / 1};
  a.tested_on = kToday - days{1};
  a.kit = "ルミラ SARS-CoV-2 抗原検査キット";
  return a;
}

std::vector<std::string> Reasons(const Eligibility& e) {
  std::vector<std::string> out;
  for (Ineligible i : e.reasons) out.emplace_back(IneligibleName(i));
  return out;
}

TEST(EligibilityTest, TheDefaultsLetALowRiskAdultRegister) {
  auto e = CheckEligibility(Healthy40(), Defaults(), kToday);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(e->eligible);
  EXPECT_TRUE(e->reasons.empty());
}

TEST(EligibilityTest, SixtyFiveOnTheBirthdayIsTooOldSixtyFourIsNot) {
  EligibilityAnswers a = Healthy40();
  a.birth_date = Day{year{1961} / 12 / 2};  // 65 today
  EXPECT_EQ(Reasons(*CheckEligibility(a, Defaults(), kToday)), std::vector<std::string>{"too_old"});
  a.birth_date = Day{year{1961} / 12 / 3};  // 65 tomorrow
  EXPECT_TRUE(CheckEligibility(a, Defaults(), kToday)->eligible);
}

TEST(EligibilityTest, EveryFailingRuleIsNamedInOrder) {
  EligibilityAnswers a = Healthy40();
  a.has_risk_factor = true;
  a.pregnant = true;
  a.mild_symptoms = false;
  a.tested_on = kToday - days{3};
  auto e = CheckEligibility(a, Defaults(), kToday);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->eligible);
  EXPECT_EQ(Reasons(*e), (std::vector<std::string>{"risk_factor", "pregnant", "symptoms_not_mild", "test_too_old"}));
  a = Healthy40();
  a.tested_on = kToday - days{2};
  EXPECT_TRUE(CheckEligibility(a, Defaults(), kToday)->eligible) << "two days before is within the default";
}

TEST(EligibilityTest, AResearchUseKitOrOneNotListedIsRefused) {
  EligibilityAnswers a = Healthy40();
  a.kit = "研究用 抗原テスト";
  EXPECT_EQ(Reasons(*CheckEligibility(a, Defaults(), kToday)), std::vector<std::string>{"kit_research_use"});
  a.kit = "どこかのキット";
  EXPECT_EQ(Reasons(*CheckEligibility(a, Defaults(), kToday)), std::vector<std::string>{"kit_not_listed"});
}

TEST(EligibilityTest, TheOptionalRulesOfKumamotoAndHiroshima) {
  EligibilityRules r = Defaults();
  r.min_vaccinations = 2;
  r.refuse_smokers = true;
  r.max_bmi = 30;
  EligibilityAnswers a = Healthy40();
  EXPECT_THAT(CheckEligibility(a, r, kToday).status(), StatusIsOn(StatusCode::kInvalidArgument, "missing", "vaccinations"));
  a.vaccinations = 1;
  EXPECT_THAT(CheckEligibility(a, r, kToday).status(), StatusIsOn(StatusCode::kInvalidArgument, "missing", "smoker"));
  a.smoker = true;
  EXPECT_THAT(CheckEligibility(a, r, kToday).status(), StatusIsOn(StatusCode::kInvalidArgument, "missing", "height_cm"));
  a.height_cm = 170;
  a.weight_kg = 87;  // BMI 30.1
  auto e = CheckEligibility(a, r, kToday);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Reasons(*e), (std::vector<std::string>{"too_few_vaccinations", "smoker", "bmi_too_high"}));
  ASSERT_TRUE(e->bmi.has_value());
  EXPECT_NEAR(*e->bmi, 30.1, 0.05);
  a.vaccinations = 3;
  a.smoker = false;
  a.weight_kg = 70;
  EXPECT_TRUE(CheckEligibility(a, r, kToday)->eligible);
}

TEST(EligibilityTest, ImpossibleAnswersAreRefusedNamingTheField) {
  EligibilityAnswers a = Healthy40();
  a.tested_on = kToday + days{1};
  EXPECT_THAT(CheckEligibility(a, Defaults(), kToday).status(), StatusIsOn(StatusCode::kInvalidArgument, "in_future", "tested_on"));
  a = Healthy40();
  a.birth_date = kToday + days{1};
  EXPECT_EQ(CheckEligibility(a, Defaults(), kToday).status().field(), "birth_date");
  a = Healthy40();
  a.height_cm = 20;
  a.weight_kg = 60;
  EXPECT_EQ(CheckEligibility(a, Defaults(), kToday).status().field(), "height_cm");
}

TEST(EligibilityTest, RulesAreValidatedNamingTheRule) {
  EXPECT_TRUE(ValidateEligibilityRules(Defaults()).ok());
  EligibilityRules r = Defaults();
  r.max_age = 200;
  EXPECT_EQ(ValidateEligibilityRules(r).field(), "max_age");
  r = Defaults();
  r.kits = {{"研究用 抗原テスト", false}};
  EXPECT_EQ(ValidateEligibilityRules(r).key(), "no_approved_kit");
  EXPECT_EQ(ValidateEligibilityRules(r).field(), "kits");
  r.kits = {{"A", true}, {"B", false}, {"A", true}};
  EXPECT_EQ(ValidateEligibilityRules(r).key(), "repeated_kit");
  EXPECT_EQ(ValidateEligibilityRules(r).field(), "kits[2]") << "the second of the two, by its place";
  r.kits = {{"A", true}, {"", false}};
  EXPECT_EQ(ValidateEligibilityRules(r).field(), "kits[1]");
  r.kits.clear();
  for (size_t i = 0; i <= kMaxKits; ++i) r.kits.push_back({"kit " + std::to_string(i), true});
  EXPECT_EQ(ValidateEligibilityRules(r).key(), "too_many_kits");
  r = Defaults();
  r.max_bmi = 5;
  EXPECT_EQ(ValidateEligibilityRules(r).field(), "max_bmi");
}

}  // namespace
}  // namespace madoguchi::care
