// src/care/application.hpp — a home-test positive's application to be confirmed online: what the
// resident answers (the eligibility screen first, then the form), how the answers are read and
// checked field by field, where the pre-read of the kit photo sends it, the doctor's decisions and
// the home-care episode a confirmation opens. Rules only: the service (care/service.hpp) stores
// through its port; pages parse nothing themselves. docs/care.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "booking/booking.hpp"
#include "care/eligibility.hpp"
#include "care/kit_read.hpp"
#include "care/triage.hpp"
#include "common/status.hpp"

namespace madoguchi::care {

// The health centre's risk-factor checklist, in the form's order. Age is not ticked: it comes
// from the birth date (65 and over).
enum class RiskFactor {
  kPregnancy,
  kMalignancy,
  kCopd,
  kCkd,
  kCardiovascular,
  kCerebrovascular,
  kDiabetes,
  kHypertension,
  kDyslipidaemia,
  kObesity,  // BMI 30 or more
  kSmoking,
  kImmunosuppression,
};
inline constexpr RiskFactor kRiskFactors[] = {RiskFactor::kPregnancy, RiskFactor::kMalignancy,     RiskFactor::kCopd,
                                              RiskFactor::kCkd,       RiskFactor::kCardiovascular, RiskFactor::kCerebrovascular,
                                              RiskFactor::kDiabetes,  RiskFactor::kHypertension,   RiskFactor::kDyslipidaemia,
                                              RiskFactor::kObesity,   RiskFactor::kSmoking,        RiskFactor::kImmunosuppression};
std::string_view RiskFactorName(RiskFactor f);  // "pregnancy", "malignancy", "copd", …
Result<RiskFactor> ParseRiskFactor(std::string_view name, std::string_view field = "risk");

// Symptoms since onset, as the form lists them.
enum class OnsetSymptom { kFever, kCough, kSoreThroat, kRunnyNose, kHeadache, kTired, kTasteSmell, kOther };
inline constexpr OnsetSymptom kOnsetSymptoms[] = {OnsetSymptom::kFever,      OnsetSymptom::kCough,    OnsetSymptom::kSoreThroat,
                                                  OnsetSymptom::kRunnyNose,  OnsetSymptom::kHeadache, OnsetSymptom::kTired,
                                                  OnsetSymptom::kTasteSmell, OnsetSymptom::kOther};
std::string_view OnsetSymptomName(OnsetSymptom s);  // "fever", "cough", "sore_throat", …
Result<OnsetSymptom> ParseOnsetSymptom(std::string_view name, std::string_view field = "symptom");

enum class Sex { kFemale, kMale, kOther, kUnanswered };
std::string_view SexName(Sex s);  // "female", "male", "other", "unanswered"
Result<Sex> ParseSex(std::string_view name, std::string_view field = "sex");

// How a patient is reached for the daily check-in: SMS to the mobile (the default; a number
// replied works only there) or email.
enum class Contact { kSms, kEmail };
std::string_view ContactName(Contact c);  // "sms", "email"
Result<Contact> ParseContact(std::string_view name, std::string_view field = "contact");

// A form's fields as sent (name → value; a checklist repeats its name).
using FormFields = std::multimap<std::string, std::string>;

// The eligibility screen's answers, read: the fields birth_date, tested_on, kit, risk (repeated),
// pregnant (yes/no), mild (yes/no), and when the rules ask them vaccinations, smoker (yes/no),
// height_cm, weight_kg.
struct Screen {
  EligibilityAnswers answers;
  std::vector<RiskFactor> risk_factors;  // ticked
};

// What reading a form found: every field that is wrong, each a Status naming it
// (kInvalidArgument, field and key), in the form's order. Empty: the form reads.
using Problems = std::vector<Status>;

// Reads the screen. A date is typed as people write it (2026-12-01, 2026/12/1, 令和8年12月1日);
// the kit is one of the tenant's by name; yes/no fields are "yes" or "no". Problems: "required"
// for a missing answer, the date readers' keys, "unknown_kit", "unknown_risk_factor", "not_a_number".
Problems ReadScreen(const FormFields& fields, const EligibilityRules& rules, booking::Day today, Screen& out);

// The screen's verdict (CheckEligibility) on what ReadScreen read; the BMI is a risk factor of its
// own when height and weight say 30 or more.
Result<Eligibility> CheckScreen(const Screen& screen, const EligibilityRules& rules, booking::Day today);

struct Applicant {
  std::string family_name, given_name;  // 氏名
  std::string family_kana, given_kana;  // 氏名カナ (full-width katakana)
  Sex sex = Sex::kUnanswered;
  std::string phone;  // E.164 (+81…): a mobile that takes SMS
  std::string email;  // may be empty, unless contact is kEmail
  Contact contact = Contact::kSms;
  std::string postal_code;  // 7 digits
  std::string address;
};

// The whole application: the screen's answers and the form's.
struct ApplicationForm {
  Screen screen;
  Applicant applicant;
  int tested_minute = 0;              // the time of the test, minutes after midnight (Japan)
  std::optional<booking::Day> onset;  // nullopt: no symptoms
  std::vector<OnsetSymptom> symptoms;
  bool consent = false;
};

// Reads the screen's fields (carried on from the screen) and the form's: family_name, given_name,
// family_kana, given_kana, sex, phone, email, postal_code, address, tested_time (HH:MM), onset_on
// (a date) or no_symptoms=1, symptom (repeated), consent=1. Problems as ReadScreen's, and "too_long"
// (names 40, address 200 bytes), "not_katakana", the phone's and the email's readers' keys,
// "postal_code", "bad_time", "onset_after_today", "onset_before_test_window" (more than 14 days
// before the test), "no_symptoms_and_onset", "consent_required".
Problems ReadApplicationForm(const FormFields& fields, const EligibilityRules& rules, booking::Day today, ApplicationForm& out);

// ---- where an application is ----

// waiting (for a doctor) → confirmed | not_confirmed | see_clinic, or photo_requested (the pre-read
// or a doctor asks for a new photo) → waiting again when one comes.
enum class ApplicationState { kWaiting, kPhotoRequested, kConfirmed, kNotConfirmed, kSeeClinic };
std::string_view ApplicationStateName(ApplicationState s);  // "waiting", "photo_requested", …
// Errors: kInternal "unknown_state" (a stored value this build does not know is never guessed).
Result<ApplicationState> ParseApplicationState(std::string_view name);
bool IsDecided(ApplicationState s);  // confirmed, not_confirmed, see_clinic

// A doctor's decision: 確定, 確定できない, 写真が不鮮明 (a new photo), 対象外 (see a clinic).
enum class Decision { kConfirm, kCannotConfirm, kUnclearPhoto, kNotEligible };
std::string_view DecisionName(Decision d);  // "confirm", "cannot_confirm", "unclear_photo", "not_eligible"
Result<Decision> ParseDecision(std::string_view name, std::string_view field = "decision");
ApplicationState StateAfter(Decision d);

// Whether `d` may be made on an application in `from`, with `reason`. Errors: kFailedPrecondition
// "already_decided" / "awaiting_photo" (not waiting); kInvalidArgument "reason": required for every
// decision but a confirmation, at most 500 bytes of text without control characters.
Status CheckDecision(ApplicationState from, Decision d, std::string_view reason);

// Photos the pre-read sends back at once before a doctor decides: after this many, the
// application waits for a doctor whatever the pre-read says (it may be wrong about a kit).
inline constexpr int kMaxAutomaticReturns = 2;

// Where a kit photo sends the application, and its place in the doctors' queue: rank 0 a readable
// photo with a T line, 1 readable without one, 2 one the pre-read could not read (sent through
// after kMaxAutomaticReturns). A lower rank is reviewed first, then the longest waiting.
struct Intake {
  ApplicationState state = ApplicationState::kWaiting;
  int queue_rank = 2;
};
Intake IntakeOf(const KitReading& reading, int automatic_returns_so_far);

// The receipt number residents quote: 8 digits, shown "1234-5678". Random: the store retries a clash.
std::string NewReceiptNumber();
std::string ReceiptInGroups(std::string_view receipt);  // "1234-5678"

// ---- home care ----

// When the day's check-in goes out (Japan time) and its two deadlines.
struct CheckInRules {
  int send_minute = 9 * 60;        // 09:00
  int remind_after_minutes = 180;  // no answer by 12:00: a reminder
  int call_after_minutes = 360;    // none by 15:00: the operators' call list
};
// Errors: kInvalidArgument naming the rule: send_minute 0..1439, remind_after_minutes 30..720,
// call_after_minutes after the reminder and both deadlines on the same day.
Status ValidateCheckInRules(const CheckInRules& r);

struct EpisodeRules {
  int days_after_onset = 7;           // home care ends on onset (or the test, without symptoms) + this
  int kit_photo_retention_days = 30;  // kit photos deleted this long after the episode ends (or the decision)
  int id_photo_retention_days = 7;    // ID photos: this long after the decision
};
// Errors: kInvalidArgument naming the rule: days_after_onset 1..30, retention days 1..3650 with
// the ID photo's no longer than the kit photo's.
Status ValidateEpisodeRules(const EpisodeRules& r);

struct EpisodePlan {
  booking::Day starts_on{}, planned_end_on{};
};

// The patient as an episode keeps them: how to reach them and what triage needs (age on the day
// of confirmation, how many of the risk factors they ticked, the BMI's included).
struct EpisodePatient {
  std::string name, kana, phone, email;
  Contact contact = Contact::kSms;
  Patient patient;
};
EpisodePatient EpisodePatientOf(const ApplicationForm& form, booking::Day on);
// From the onset (or the test day when there are no symptoms) to days_after_onset after it; never
// ending before the day after `decided_on`.
EpisodePlan PlanEpisode(const ApplicationForm& form, booking::Day decided_on, const EpisodeRules& rules);
// The same from what is stored (onset may be absent).
EpisodePlan PlanEpisode(std::optional<booking::Day> onset, booking::Day tested_on, booking::Day decided_on, const EpisodeRules& rules);

// When a photo is deleted: an ID photo id_photo_retention_days after the decision; a kit photo
// kit_photo_retention_days after the episode's planned end, or after the decision when none opened.
enum class PhotoKind { kKit, kId };
std::string_view PhotoKindName(PhotoKind k);  // "kit", "id"
int64_t PhotoDeleteAfterMs(PhotoKind kind, int64_t decided_at_ms, std::optional<booking::Day> episode_end, const EpisodeRules& rules);

// A tenant's settings for home-test applications: who may apply, the episode, and what someone
// turned away is told (the tenant's 発熱外来 information).
struct CareSettings {
  EligibilityRules eligibility;
  EpisodeRules episode;
  CheckInRules check_in;
  TriageRuleSet triage;     // DefaultTriageRules() unless the tenant saved its own
  std::string clinic_info;  // plain text for residents; empty: the catalogue's general advice
};
// The defaults: EligibilityRules' with two kits (an approved one, a research-use one) described by
// what their box says, since brands differ by place.
CareSettings DefaultCareSettings();

}  // namespace madoguchi::care
