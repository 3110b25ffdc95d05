#include "care/eligibility.hpp"

#include <array>
#include <set>

namespace madoguchi::care {

namespace {

constexpr std::array<std::pair<Ineligible, std::string_view>, 10> kNames = {{
    {Ineligible::kTooOld, "too_old"},
    {Ineligible::kRiskFactor, "risk_factor"},
    {Ineligible::kPregnant, "pregnant"},
    {Ineligible::kSymptomsNotMild, "symptoms_not_mild"},
    {Ineligible::kKitNotListed, "kit_not_listed"},
    {Ineligible::kKitResearchUse, "kit_research_use"},
    {Ineligible::kTestTooOld, "test_too_old"},
    {Ineligible::kTooFewVaccinations, "too_few_vaccinations"},
    {Ineligible::kSmoker, "smoker"},
    {Ineligible::kBmiTooHigh, "bmi_too_high"},
}};

}  // namespace

std::string_view IneligibleName(Ineligible i) {
  for (const auto& [k, name] : kNames) {
    if (k == i) return name;
  }
  return "ineligible";
}

Status ValidateEligibilityRules(const EligibilityRules& r) {
  if (r.max_age < 0 || r.max_age > 120) return InvalidArgumentError("max_age", "must be from 0 to 120");
  if (r.max_days_since_test < 0 || r.max_days_since_test > 14) return InvalidArgumentError("max_days_since_test", "must be from 0 to 14");
  if (r.min_vaccinations && (*r.min_vaccinations < 0 || *r.min_vaccinations > 10)) {
    return InvalidArgumentError("min_vaccinations", "must be from 0 to 10");
  }
  if (r.max_bmi && (*r.max_bmi < 10 || *r.max_bmi > 60)) return InvalidArgumentError("max_bmi", "must be from 10 to 60");
  if (r.kits.size() > kMaxKits) return InvalidArgumentError("kits", "list at most 100 kits", "too_many_kits");
  std::set<std::string> names;
  bool any_approved = false;
  for (size_t i = 0; i < r.kits.size(); ++i) {
    const TestKit& k = r.kits[i];
    const std::string at = "kits[" + std::to_string(i) + "]";
    if (k.name.empty() || k.name.size() > 200) return InvalidArgumentError(at, "each kit needs a name (up to 200 bytes)", "bad_kit");
    if (!names.insert(k.name).second) return InvalidArgumentError(at, "the kit " + k.name + " is listed twice", "repeated_kit");
    any_approved = any_approved || k.approved;
  }
  if (!any_approved) return InvalidArgumentError("kits", "list at least one approved kit", "no_approved_kit");
  return Status::Ok();
}

Result<Eligibility> CheckEligibility(const EligibilityAnswers& a, const EligibilityRules& r, booking::Day today) {
  using std::chrono::days;
  using std::chrono::year;
  if (a.birth_date > today || a.birth_date < booking::Day{year{1900} / 1 / 1}) {
    return InvalidArgumentError("birth_date", "must be a date from 1900 to today");
  }
  if (a.tested_on > today) return InvalidArgumentError("tested_on", "must not be after today", "in_future");
  if (r.min_vaccinations && !a.vaccinations) return InvalidArgumentError("vaccinations", "answer how many times", "missing");
  if (a.vaccinations && (*a.vaccinations < 0 || *a.vaccinations > 10)) return InvalidArgumentError("vaccinations", "must be from 0 to 10");
  if (r.refuse_smokers && !a.smoker) return InvalidArgumentError("smoker", "answer whether you smoke", "missing");
  Eligibility out;
  if (r.max_bmi || (a.height_cm && a.weight_kg)) {
    if (r.max_bmi && !a.height_cm) return InvalidArgumentError("height_cm", "give your height", "missing");
    if (r.max_bmi && !a.weight_kg) return InvalidArgumentError("weight_kg", "give your weight", "missing");
    if (*a.height_cm < 50 || *a.height_cm > 250) return InvalidArgumentError("height_cm", "must be from 50 to 250 cm");
    if (*a.weight_kg < 10 || *a.weight_kg > 300) return InvalidArgumentError("weight_kg", "must be from 10 to 300 kg");
    const double m = *a.height_cm / 100;
    out.bmi = *a.weight_kg / (m * m);
  }
  auto fail = [&](Ineligible i) { out.reasons.push_back(i); };
  if (booking::AgeOn(a.birth_date, today) > r.max_age) fail(Ineligible::kTooOld);
  if (r.refuse_risk_factors && a.has_risk_factor) fail(Ineligible::kRiskFactor);
  if (r.refuse_pregnant && a.pregnant) fail(Ineligible::kPregnant);
  if (r.require_mild_symptoms && !a.mild_symptoms) fail(Ineligible::kSymptomsNotMild);
  const TestKit* kit = nullptr;
  for (const TestKit& k : r.kits) {
    if (k.name == a.kit) kit = &k;
  }
  if (kit == nullptr) {
    fail(Ineligible::kKitNotListed);
  } else if (!kit->approved) {
    fail(Ineligible::kKitResearchUse);
  }
  if ((today - a.tested_on).count() > r.max_days_since_test) fail(Ineligible::kTestTooOld);
  if (r.min_vaccinations && *a.vaccinations < *r.min_vaccinations) fail(Ineligible::kTooFewVaccinations);
  if (r.refuse_smokers && *a.smoker) fail(Ineligible::kSmoker);
  if (r.max_bmi && *out.bmi >= *r.max_bmi) fail(Ineligible::kBmiTooHigh);
  out.eligible = out.reasons.empty();
  return out;
}

}  // namespace madoguchi::care
