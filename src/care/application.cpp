#include "care/application.hpp"

#include "common/name_table.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "common/crypto.hpp"
#include "common/text.hpp"
#include "messaging/email.hpp"
#include "messaging/phone.hpp"

namespace madoguchi::care {

using text::AsTyped;
using text::HasControlChars;
using text::IsValidUtf8;
using text::Trim;

namespace {

constexpr std::array<std::pair<RiskFactor, std::string_view>, 12> kRiskNames = {{
    {RiskFactor::kPregnancy, "pregnancy"},
    {RiskFactor::kMalignancy, "malignancy"},
    {RiskFactor::kCopd, "copd"},
    {RiskFactor::kCkd, "ckd"},
    {RiskFactor::kCardiovascular, "cardiovascular"},
    {RiskFactor::kCerebrovascular, "cerebrovascular"},
    {RiskFactor::kDiabetes, "diabetes"},
    {RiskFactor::kHypertension, "hypertension"},
    {RiskFactor::kDyslipidaemia, "dyslipidaemia"},
    {RiskFactor::kObesity, "obesity"},
    {RiskFactor::kSmoking, "smoking"},
    {RiskFactor::kImmunosuppression, "immunosuppression"},
}};

constexpr std::array<std::pair<OnsetSymptom, std::string_view>, 8> kSymptomNames = {{
    {OnsetSymptom::kFever, "fever"},
    {OnsetSymptom::kCough, "cough"},
    {OnsetSymptom::kSoreThroat, "sore_throat"},
    {OnsetSymptom::kRunnyNose, "runny_nose"},
    {OnsetSymptom::kHeadache, "headache"},
    {OnsetSymptom::kTired, "tired"},
    {OnsetSymptom::kTasteSmell, "taste_smell"},
    {OnsetSymptom::kOther, "other"},
}};

constexpr std::array<std::pair<Contact, std::string_view>, 2> kContactNames = {{{Contact::kSms, "sms"}, {Contact::kEmail, "email"}}};

constexpr std::array<std::pair<Sex, std::string_view>, 4> kSexNames = {{
    {Sex::kFemale, "female"},
    {Sex::kMale, "male"},
    {Sex::kOther, "other"},
    {Sex::kUnanswered, "unanswered"},
}};

constexpr std::array<std::pair<ApplicationState, std::string_view>, 5> kStateNames = {{
    {ApplicationState::kWaiting, "waiting"},
    {ApplicationState::kPhotoRequested, "photo_requested"},
    {ApplicationState::kConfirmed, "confirmed"},
    {ApplicationState::kNotConfirmed, "not_confirmed"},
    {ApplicationState::kSeeClinic, "see_clinic"},
}};

constexpr std::array<std::pair<Decision, std::string_view>, 4> kDecisionNames = {{
    {Decision::kConfirm, "confirm"},
    {Decision::kCannotConfirm, "cannot_confirm"},
    {Decision::kUnclearPhoto, "unclear_photo"},
    {Decision::kNotEligible, "not_eligible"},
}};

template <typename E, size_t N>
Result<E> Parse(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view name, std::string_view field,
                std::string_view key) {
  if (auto e = ValueOf(names, name)) return *e;
  return InvalidArgumentError(std::string(field), "\"" + std::string(name) + "\" is not one of the choices", std::string(key));
}

// The field's first value, trimmed; "" when absent.
std::string One(const FormFields& f, const std::string& name) {
  auto it = f.find(name);
  return it == f.end() ? std::string() : Trim(it->second);
}

std::vector<std::string> All(const FormFields& f, const std::string& name) {
  std::vector<std::string> out;
  auto [lo, hi] = f.equal_range(name);
  for (auto it = lo; it != hi; ++it) {
    std::string v = Trim(it->second);
    if (!v.empty()) out.push_back(std::move(v));
  }
  return out;
}

Status Required(const std::string& field) { return InvalidArgumentError(field, "is required", "required"); }

// A date not after today, typed as people write it; the date readers' problems keyed "bad_date".
std::optional<booking::Day> ReadDate(const FormFields& f, const std::string& field, booking::Day today, Problems& problems) {
  const std::string typed = One(f, field);
  if (typed.empty()) {
    problems.push_back(Required(field));
    return std::nullopt;
  }
  // Read first without the bound, so a day after today is named as such.
  auto day = booking::ReadTypedBirthDate(typed, booking::Day{std::chrono::year{2200} / 1 / 1}, field);
  if (!day.ok()) {
    problems.push_back(InvalidArgumentError(field, day.status().message(), "bad_date"));
    return std::nullopt;
  }
  if (*day > today) {
    problems.push_back(InvalidArgumentError(field, "must not be after today", "in_future"));
    return std::nullopt;
  }
  return *day;
}

std::optional<bool> ReadYesNo(const FormFields& f, const std::string& field, Problems& problems) {
  const std::string v = One(f, field);
  if (v == "yes") return true;
  if (v == "no") return false;
  problems.push_back(v.empty() ? Required(field) : InvalidArgumentError(field, "answer yes or no", "yes_or_no"));
  return std::nullopt;
}

std::optional<double> ReadNumber(const FormFields& f, const std::string& field, double lo, double hi, Problems& problems) {
  const std::string v = AsTyped(One(f, field));
  if (v.empty()) {
    problems.push_back(Required(field));
    return std::nullopt;
  }
  double x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(x)) {
    problems.push_back(InvalidArgumentError(field, "must be a number", "not_a_number"));
    return std::nullopt;
  }
  if (x < lo || x > hi) {
    problems.push_back(InvalidArgumentError(
        field, "must be from " + std::to_string(static_cast<int>(lo)) + " to " + std::to_string(static_cast<int>(hi)), "out_of_range"));
    return std::nullopt;
  }
  return x;
}

std::string ReadText(const FormFields& f, const std::string& field, size_t max_bytes, bool required, Problems& problems) {
  std::string v = One(f, field);
  if (v.empty()) {
    if (required) problems.push_back(Required(field));
    return v;
  }
  if (v.size() > max_bytes) {
    problems.push_back(InvalidArgumentError(field, "must be at most " + std::to_string(max_bytes) + " bytes", "too_long"));
  } else if (!IsValidUtf8(v) || HasControlChars(v)) {
    problems.push_back(InvalidArgumentError(field, "must be text on one line", "bad_text"));
  }
  return v;
}

}  // namespace

std::string_view RiskFactorName(RiskFactor f) { return NameOf(kRiskNames, f); }
Result<RiskFactor> ParseRiskFactor(std::string_view name, std::string_view field) {
  return Parse(kRiskNames, name, field, "unknown_risk_factor");
}
std::string_view OnsetSymptomName(OnsetSymptom s) { return NameOf(kSymptomNames, s); }
Result<OnsetSymptom> ParseOnsetSymptom(std::string_view name, std::string_view field) {
  return Parse(kSymptomNames, name, field, "unknown_symptom");
}
std::string_view SexName(Sex s) { return NameOf(kSexNames, s); }
Result<Sex> ParseSex(std::string_view name, std::string_view field) { return Parse(kSexNames, name, field, "unknown_sex"); }
std::string_view ContactName(Contact c) { return NameOf(kContactNames, c); }
Result<Contact> ParseContact(std::string_view name, std::string_view field) { return Parse(kContactNames, name, field, "unknown_contact"); }

Problems ReadScreen(const FormFields& f, const EligibilityRules& rules, booking::Day today, Screen& out) {
  Problems problems;
  out = Screen{};
  if (auto d = ReadDate(f, "birth_date", today, problems)) out.answers.birth_date = *d;
  if (auto d = ReadDate(f, "tested_on", today, problems)) out.answers.tested_on = *d;
  out.answers.kit = One(f, "kit");
  if (out.answers.kit.empty()) {
    problems.push_back(Required("kit"));
  } else if (std::none_of(rules.kits.begin(), rules.kits.end(), [&](const TestKit& k) { return k.name == out.answers.kit; })) {
    problems.push_back(InvalidArgumentError("kit", "choose a kit from the list", "unknown_kit"));
  }
  for (const std::string& name : All(f, "risk")) {
    auto r = ParseRiskFactor(name);
    if (!r.ok()) {
      problems.push_back(r.status());
      continue;
    }
    if (std::find(out.risk_factors.begin(), out.risk_factors.end(), *r) == out.risk_factors.end()) out.risk_factors.push_back(*r);
  }
  std::sort(out.risk_factors.begin(), out.risk_factors.end());
  if (auto v = ReadYesNo(f, "pregnant", problems)) out.answers.pregnant = *v;
  if (auto v = ReadYesNo(f, "mild", problems)) out.answers.mild_symptoms = *v;
  if (rules.min_vaccinations) {
    if (auto v = ReadNumber(f, "vaccinations", 0, 10, problems)) {
      if (*v != std::floor(*v)) {
        problems.push_back(InvalidArgumentError("vaccinations", "must be a whole number", "not_a_number"));
      } else {
        out.answers.vaccinations = static_cast<int>(*v);
      }
    }
  }
  if (rules.refuse_smokers) {
    if (auto v = ReadYesNo(f, "smoker", problems)) out.answers.smoker = *v;
  }
  if (rules.max_bmi) {
    out.answers.height_cm = ReadNumber(f, "height_cm", 50, 250, problems);
    out.answers.weight_kg = ReadNumber(f, "weight_kg", 10, 300, problems);
  }
  // The checklist keeps what the yes/no answers and the measurements say too (for the triage score).
  auto tick = [&](RiskFactor r) {
    if (std::find(out.risk_factors.begin(), out.risk_factors.end(), r) == out.risk_factors.end()) out.risk_factors.push_back(r);
  };
  const bool obesity_ticked = std::find(out.risk_factors.begin(), out.risk_factors.end(), RiskFactor::kObesity) != out.risk_factors.end();
  if (out.answers.pregnant) tick(RiskFactor::kPregnancy);
  if (out.answers.smoker.value_or(false)) tick(RiskFactor::kSmoking);
  if (out.answers.height_cm && out.answers.weight_kg) {
    const double m = *out.answers.height_cm / 100;
    if (*out.answers.weight_kg / (m * m) >= 30) tick(RiskFactor::kObesity);
  }
  std::sort(out.risk_factors.begin(), out.risk_factors.end());
  // Pregnancy has a rule of its own, and so have smoking and the BMI where the tenant sets them;
  // every other ticked factor is a risk factor.
  out.answers.has_risk_factor = std::any_of(out.risk_factors.begin(), out.risk_factors.end(), [&](RiskFactor r) {
    if (r == RiskFactor::kPregnancy) return false;
    if (r == RiskFactor::kSmoking && rules.refuse_smokers) return false;
    if (r == RiskFactor::kObesity && rules.max_bmi && !obesity_ticked) return false;  // measured: the BMI rule decides
    return true;
  });
  return problems;
}

Result<Eligibility> CheckScreen(const Screen& screen, const EligibilityRules& rules, booking::Day today) {
  return CheckEligibility(screen.answers, rules, today);
}

Problems ReadApplicationForm(const FormFields& f, const EligibilityRules& rules, booking::Day today, ApplicationForm& out) {
  out = ApplicationForm{};
  Problems problems = ReadScreen(f, rules, today, out.screen);
  Applicant& a = out.applicant;
  a.family_name = ReadText(f, "family_name", 40, true, problems);
  a.given_name = ReadText(f, "given_name", 40, true, problems);
  for (auto [field, value] : {std::pair{"family_kana", &a.family_kana}, std::pair{"given_kana", &a.given_kana}}) {
    *value = ReadText(f, field, 80, true, problems);
    if (!value->empty() && !booking::IsKatakana(*value)) {
      problems.push_back(InvalidArgumentError(field, "write it in full-width katakana", "not_katakana"));
    }
  }
  if (const std::string sex = One(f, "sex"); sex.empty()) {
    a.sex = Sex::kUnanswered;
  } else if (auto s = ParseSex(sex); s.ok()) {
    a.sex = *s;
  } else {
    problems.push_back(s.status());
  }
  if (const std::string phone = One(f, "phone"); phone.empty()) {
    problems.push_back(Required("phone"));
  } else if (auto e164 = messaging::MobileE164(phone, "phone"); e164.ok()) {
    a.phone = *e164;
  } else {
    problems.push_back(e164.status());
  }
  const std::string email = One(f, "email");
  if (!email.empty()) {
    if (auto e = messaging::NormalEmail(email, "email"); e.ok()) {
      a.email = *e;
    } else {
      problems.push_back(e.status());
    }
  }
  if (const std::string contact = One(f, "contact"); !contact.empty()) {
    if (auto c = ParseContact(contact); c.ok()) {
      a.contact = *c;
      if (a.contact == Contact::kEmail && email.empty()) {
        problems.push_back(InvalidArgumentError("email", "needed to send the check-ins by email", "email_for_contact"));
      }
    } else {
      problems.push_back(c.status());
    }
  }
  if (const std::string postal = AsTyped(One(f, "postal_code")); postal.empty()) {
    problems.push_back(Required("postal_code"));
  } else {
    std::string digits;
    for (char c : postal) {
      if (c != '-') digits += c;
    }
    if (digits.size() != 7 || digits.find_first_not_of("0123456789") != std::string::npos) {
      problems.push_back(InvalidArgumentError("postal_code", "must be 7 digits, like 860-8570", "postal_code"));
    } else {
      a.postal_code = digits;
    }
  }
  a.address = ReadText(f, "address", 200, true, problems);

  if (const std::string t = AsTyped(One(f, "tested_time")); t.empty()) {
    problems.push_back(Required("tested_time"));
  } else {
    int h = -1, m = -1;
    const size_t colon = t.find(':');
    bool ok = colon != std::string::npos && colon > 0 && colon <= 2 && t.size() - colon - 1 == 2;
    if (ok) {
      ok = std::from_chars(t.data(), t.data() + colon, h).ec == std::errc() &&
           std::from_chars(t.data() + colon + 1, t.data() + t.size(), m).ec == std::errc() && h >= 0 && h <= 23 && m >= 0 && m <= 59;
    }
    if (!ok) {
      problems.push_back(InvalidArgumentError("tested_time", "write the time like 9:30", "bad_time"));
    } else {
      out.tested_minute = h * 60 + m;
    }
  }

  const bool no_symptoms = One(f, "no_symptoms") == "1";
  const bool onset_given = !One(f, "onset_on").empty();
  if (no_symptoms && onset_given) {
    problems.push_back(InvalidArgumentError("onset_on", "either a day symptoms began or no symptoms, not both", "no_symptoms_and_onset"));
  } else if (!no_symptoms) {
    if (auto d = ReadDate(f, "onset_on", today, problems)) {
      out.onset = *d;
      if (out.screen.answers.tested_on != booking::Day{} && *d < out.screen.answers.tested_on - std::chrono::days{14}) {
        problems.push_back(InvalidArgumentError("onset_on", "more than 14 days before the test", "onset_before_test_window"));
      }
    }
    for (const std::string& name : All(f, "symptom")) {
      auto s = ParseOnsetSymptom(name);
      if (!s.ok()) {
        problems.push_back(s.status());
      } else if (std::find(out.symptoms.begin(), out.symptoms.end(), *s) == out.symptoms.end()) {
        out.symptoms.push_back(*s);
      }
    }
    std::sort(out.symptoms.begin(), out.symptoms.end());
  }
  out.consent = One(f, "consent") == "1";
  if (!out.consent) problems.push_back(InvalidArgumentError("consent", "agree to the handling of your information", "consent_required"));
  return problems;
}

std::string_view ApplicationStateName(ApplicationState s) { return NameOf(kStateNames, s); }
Result<ApplicationState> ParseApplicationState(std::string_view name) {
  for (const auto& [k, n] : kStateNames) {
    if (n == name) return k;
  }
  return InternalError("unknown application state \"" + std::string(name) + "\"", "unknown_state");
}
bool IsDecided(ApplicationState s) {
  return s == ApplicationState::kConfirmed || s == ApplicationState::kNotConfirmed || s == ApplicationState::kSeeClinic;
}

std::string_view DecisionName(Decision d) { return NameOf(kDecisionNames, d); }
Result<Decision> ParseDecision(std::string_view name, std::string_view field) {
  return Parse(kDecisionNames, name, field, "unknown_decision");
}

ApplicationState StateAfter(Decision d) {
  switch (d) {
    case Decision::kConfirm: return ApplicationState::kConfirmed;
    case Decision::kCannotConfirm: return ApplicationState::kNotConfirmed;
    case Decision::kUnclearPhoto: return ApplicationState::kPhotoRequested;
    case Decision::kNotEligible: return ApplicationState::kSeeClinic;
  }
  return ApplicationState::kWaiting;
}

Status CheckDecision(ApplicationState from, Decision d, std::string_view reason) {
  if (IsDecided(from)) return FailedPreconditionError("the application is decided already", "already_decided");
  if (from == ApplicationState::kPhotoRequested) return FailedPreconditionError("a new photo is awaited", "awaiting_photo");
  if (reason.size() > 500) return InvalidArgumentError("reason", "must be at most 500 bytes", "too_long");
  if (!IsValidUtf8(reason)) return InvalidArgumentError("reason", "must be text", "bad_text");
  for (unsigned char c : reason) {
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) return InvalidArgumentError("reason", "must be text", "bad_text");
  }
  if (d != Decision::kConfirm && Trim(reason).empty()) {
    return InvalidArgumentError("reason", "say why, for the resident and the record", "required");
  }
  return Status::Ok();
}

Intake IntakeOf(const KitReading& reading, int automatic_returns_so_far) {
  if (reading.category == KitCategory::kReadable) return Intake{ApplicationState::kWaiting, reading.test_line_seen ? 0 : 1};
  if (automatic_returns_so_far >= kMaxAutomaticReturns) return Intake{ApplicationState::kWaiting, 2};
  return Intake{ApplicationState::kPhotoRequested, 2};
}

std::string NewReceiptNumber() {
  std::string out(8, '0');
  uint64_t r = crypto::RandomU64();
  for (char& c : out) {
    c = static_cast<char>('0' + r % 10);
    r /= 10;
  }
  return out;
}

std::string ReceiptInGroups(std::string_view receipt) {
  if (receipt.size() != 8) return std::string(receipt);
  return std::string(receipt.substr(0, 4)) + "-" + std::string(receipt.substr(4));
}

Status ValidateEpisodeRules(const EpisodeRules& r) {
  if (r.days_after_onset < 1 || r.days_after_onset > 30) return InvalidArgumentError("days_after_onset", "must be from 1 to 30");
  if (r.kit_photo_retention_days < 1 || r.kit_photo_retention_days > 3650) {
    return InvalidArgumentError("kit_photo_retention_days", "must be from 1 to 3650");
  }
  if (r.id_photo_retention_days < 1 || r.id_photo_retention_days > r.kit_photo_retention_days) {
    return InvalidArgumentError("id_photo_retention_days", "must be from 1 to the kit photo's retention", "out_of_range");
  }
  return Status::Ok();
}

EpisodePlan PlanEpisode(std::optional<booking::Day> onset, booking::Day tested_on, booking::Day decided_on, const EpisodeRules& rules) {
  EpisodePlan p;
  p.starts_on = onset ? std::min(*onset, tested_on) : tested_on;
  p.planned_end_on = std::max(p.starts_on + std::chrono::days{rules.days_after_onset}, decided_on + std::chrono::days{1});
  return p;
}

EpisodePlan PlanEpisode(const ApplicationForm& form, booking::Day decided_on, const EpisodeRules& rules) {
  return PlanEpisode(form.onset, form.screen.answers.tested_on, decided_on, rules);
}

std::string_view PhotoKindName(PhotoKind k) { return k == PhotoKind::kKit ? "kit" : "id"; }

int64_t PhotoDeleteAfterMs(PhotoKind kind, int64_t decided_at_ms, std::optional<booking::Day> episode_end, const EpisodeRules& rules) {
  constexpr int64_t kDayMs = 86'400'000;
  if (kind == PhotoKind::kId) return decided_at_ms + rules.id_photo_retention_days * kDayMs;
  int64_t base = decided_at_ms;
  if (episode_end) {
    // The end of the planned last day in Japan (UTC+9, no daylight saving).
    base = std::max(base, (episode_end->time_since_epoch().count() + 1) * kDayMs - 9 * 3'600'000);
  }
  return base + rules.kit_photo_retention_days * kDayMs;
}

CareSettings DefaultCareSettings() {
  CareSettings s;
  s.eligibility.kits = {
      TestKit{"体外診断用医薬品・第1類医薬品の抗原検査キット（箱に「体外診断用医薬品」または「第1類医薬品」と書かれたもの）", true},
      TestKit{"研究用の抗原検査キット（箱に「研究用」と書かれたもの）", false},
  };
  s.triage = DefaultTriageRules();
  return s;
}

Status ValidateCheckInRules(const CheckInRules& r) {
  if (r.send_minute < 0 || r.send_minute > 1439) return InvalidArgumentError("send_minute", "must be a time of day (0 to 1439 minutes)");
  if (r.remind_after_minutes < 30 || r.remind_after_minutes > 720) {
    return InvalidArgumentError("remind_after_minutes", "must be from 30 to 720 minutes after the check-in is sent");
  }
  if (r.call_after_minutes <= r.remind_after_minutes) {
    return InvalidArgumentError("call_after_minutes", "must come after the reminder", "call_before_reminder");
  }
  if (r.send_minute + r.call_after_minutes > 1439) {
    return InvalidArgumentError("call_after_minutes", "both deadlines must fall on the day the check-in is sent", "past_midnight");
  }
  return Status::Ok();
}

EpisodePatient EpisodePatientOf(const ApplicationForm& form, booking::Day on) {
  EpisodePatient p;
  const Applicant& a = form.applicant;
  p.name = a.family_name + " " + a.given_name;
  p.kana = a.family_kana + " " + a.given_kana;
  p.phone = a.phone;
  p.email = a.email;
  p.contact = a.contact;
  p.patient.age = booking::AgeOn(form.screen.answers.birth_date, on);
  p.patient.risk_factors = static_cast<int>(form.screen.risk_factors.size());
  const auto& h = form.screen.answers.height_cm;
  const auto& w = form.screen.answers.weight_kg;
  const bool obesity_ticked =
      std::find(form.screen.risk_factors.begin(), form.screen.risk_factors.end(), RiskFactor::kObesity) != form.screen.risk_factors.end();
  if (h && w && *h > 0 && *w / ((*h / 100) * (*h / 100)) >= 30 && !obesity_ticked) ++p.patient.risk_factors;
  return p;
}

}  // namespace madoguchi::care
