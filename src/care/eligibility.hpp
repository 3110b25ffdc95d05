// src/care/eligibility.hpp — who may register a home-test positive online instead of seeing a
// clinic: the screen a resident answers first, per tenant. The defaults are those of the 2022
// registration centres (陽性者登録センター): under 65, no risk factor, not pregnant, tested with an
// approved kit (not a research-use one) within a few days, symptoms the person judges mild. A
// tenant may add the rules seen in Kumamoto and Hiroshima: a vaccination count, no smoking, a
// BMI limit. Who fails is told to see a clinic and is not queued. docs/care.md.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "booking/booking.hpp"
#include "common/status.hpp"

namespace madoguchi::care {

// A test kit a tenant lists. Research-use kits (研究用) are listed only to be refused by name.
struct TestKit {
  std::string name;      // as on the box: 「○○ SARS-CoV-2 抗原検査キット」
  bool approved = true;  // 体外診断用医薬品 (approved); false: research use only
};

struct EligibilityRules {
  int max_age = 64;             // the oldest who may register (under 65)
  int max_days_since_test = 2;  // the test on the day of applying or up to this many days before
  bool refuse_risk_factors = true;
  bool refuse_pregnant = true;
  bool require_mild_symptoms = true;
  std::optional<int> min_vaccinations;  // e.g. 2 (Kumamoto's rule); nullopt: not asked
  bool refuse_smokers = false;
  std::optional<double> max_bmi;  // e.g. 30; nullopt: height and weight not asked
  std::vector<TestKit> kits;      // the tenant's list; at least one approved
};
// The most kits a tenant lists (the screen shows each as a choice).
inline constexpr size_t kMaxKits = 100;

// Errors: kInvalidArgument naming the rule: max_age 0..120, max_days_since_test 0..14,
// min_vaccinations 0..10, max_bmi 10..60; a kit without a name ("bad_kit") or twice
// ("repeated_kit"), named by its place ("kits[3]", the second of two); no approved kit
// ("no_approved_kit" on "kits"); more than kMaxKits ("too_many_kits" on "kits").
Status ValidateEligibilityRules(const EligibilityRules& r);

struct EligibilityAnswers {
  booking::Day birth_date{};
  booking::Day tested_on{};
  std::string kit;               // one of the tenant's kits, by name
  bool has_risk_factor = false;  // any of the health centre's list (docs/care.md)
  bool pregnant = false;
  bool mild_symptoms = true;
  std::optional<int> vaccinations;
  std::optional<bool> smoker;
  std::optional<double> height_cm, weight_kg;
};

// Why someone may not register, each a code the screen explains in Japanese.
enum class Ineligible {
  kTooOld,  // aged max_age + 1 or over on `today`
  kRiskFactor,
  kPregnant,
  kSymptomsNotMild,
  kKitNotListed,    // a kit the tenant does not list
  kKitResearchUse,  // a research-use kit: its result is not a diagnosis
  kTestTooOld,      // tested more than max_days_since_test days ago
  kTooFewVaccinations,
  kSmoker,
  kBmiTooHigh,
};
std::string_view IneligibleName(Ineligible i);  // "too_old", "risk_factor", …

struct Eligibility {
  bool eligible = false;
  std::vector<Ineligible> reasons;  // every rule that fails, in the order above; empty when eligible
  std::optional<double> bmi;        // when height and weight were given
};

// The screen's verdict on `today` (Japan's date). Errors: kInvalidArgument naming the answer
// that is missing or impossible: birth_date after today or before 1900, tested_on after today,
// vaccinations when asked and not given (or outside 0..10), smoker when asked and not given,
// height 50..250 cm and weight 10..300 kg when a BMI limit asks for them.
Result<Eligibility> CheckEligibility(const EligibilityAnswers& a, const EligibilityRules& r, booking::Day today);

}  // namespace madoguchi::care
