// The application form as the care engine reads it: the screen's answers and the form's, every
// wrong field named at once; the doctor's decisions and when they may be made; where the pre-read
// sends an application; the episode's planned end; when photos are deleted.
#include "care/application.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "support/status_matchers.hpp"

namespace madoguchi::care {
namespace {

using booking::Day;
using testing::StatusIsOn;
using namespace std::chrono;

const Day kToday = Day{year{2026} / 12 / 2};

FormFields GoodScreen() {
  return {{"birth_date", "1986-05-01"},
          {"tested_on", "2026-12-01"},
          {"kit", DefaultCareSettings().eligibility.kits[0].name},
          {"pregnant", "no"},
          {"mild", "yes"}};
}

FormFields GoodForm() {
  FormFields f = GoodScreen();
  f.insert({{"family_name", "熊本"},
            {"given_name", "花子"},
            {"family_kana", "クマモト"},
            {"given_kana", "ハナコ"},
            {"sex", "female"},
            {"phone", "090-1234-5678"},
            {"email", ""},
            {"postal_code", "８６２－８５７０"},
            {"address", "熊本県熊本市中央区水前寺6-18-1"},
            {"tested_time", "９：３０"},
            {"onset_on", "2026/11/30"},
            {"symptom", "fever"},
            {"symptom", "cough"},
            {"consent", "1"}});
  return f;
}

std::set<std::string> FieldsOf(const Problems& p) {
  std::set<std::string> out;
  for (const Status& s : p) out.insert(s.field() + ":" + s.key());
  return out;
}

TEST(ApplicationFormTest, AGoodFormReadsWithItsValuesNormalised) {
  ApplicationForm f;
  Problems p = ReadApplicationForm(GoodForm(), DefaultCareSettings().eligibility, kToday, f);
  ASSERT_TRUE(p.empty()) << p[0].ToString();
  EXPECT_EQ(f.applicant.phone, "+819012345678");
  EXPECT_EQ(f.applicant.postal_code, "8628570");
  EXPECT_EQ(f.tested_minute, 9 * 60 + 30);
  EXPECT_EQ(f.onset, Day{year{2026} / 11 / 30});
  EXPECT_EQ(f.symptoms, (std::vector<OnsetSymptom>{OnsetSymptom::kFever, OnsetSymptom::kCough}));
  EXPECT_EQ(f.screen.answers.tested_on, kToday - days{1});
  auto e = CheckScreen(f.screen, DefaultCareSettings().eligibility, kToday);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->eligible);
}

TEST(ApplicationFormTest, EveryWrongFieldIsNamedAtOnce) {
  FormFields f = GoodForm();
  auto set = [&](const std::string& k, const std::string& v) {
    f.erase(k);
    f.insert({k, v});
  };
  set("family_kana", "くまもと");  // hiragana
  set("phone", "03-1234-5678");    // a landline takes no SMS
  set("postal_code", "86285");
  set("tested_time", "25:00");
  set("onset_on", "2026-12-09");  // after today
  set("consent", "");
  set("given_name", "");
  ApplicationForm out;
  Problems p = ReadApplicationForm(f, DefaultCareSettings().eligibility, kToday, out);
  const auto got = FieldsOf(p);
  EXPECT_TRUE(got.count("family_kana:not_katakana")) << ::testing::PrintToString(got);
  EXPECT_TRUE(got.count("postal_code:postal_code"));
  EXPECT_TRUE(got.count("tested_time:bad_time"));
  EXPECT_TRUE(got.count("onset_on:in_future"));
  EXPECT_TRUE(got.count("consent:consent_required"));
  EXPECT_TRUE(got.count("given_name:required"));
  bool phone = false;
  for (const Status& s : p) phone = phone || s.field() == "phone";
  EXPECT_TRUE(phone);
  EXPECT_EQ(p.size(), 7u);
}

TEST(ApplicationFormTest, CheckInsGoBySmsUnlessEmailIsChosenWithAnAddress) {
  ApplicationForm out;
  ASSERT_TRUE(ReadApplicationForm(GoodForm(), DefaultCareSettings().eligibility, kToday, out).empty());
  EXPECT_EQ(out.applicant.contact, Contact::kSms);  // not chosen: SMS
  FormFields f = GoodForm();
  f.insert({"contact", "email"});
  EXPECT_EQ(FieldsOf(ReadApplicationForm(f, DefaultCareSettings().eligibility, kToday, out)),
            std::set<std::string>{"email:email_for_contact"});
  f.erase("email");
  f.insert({"email", "hanako@example.jp"});
  ASSERT_TRUE(ReadApplicationForm(f, DefaultCareSettings().eligibility, kToday, out).empty());
  EXPECT_EQ(out.applicant.contact, Contact::kEmail);
  EXPECT_EQ(EpisodePatientOf(out, kToday).contact, Contact::kEmail);
  f.erase("contact");
  f.insert({"contact", "fax"});
  EXPECT_EQ(FieldsOf(ReadApplicationForm(f, DefaultCareSettings().eligibility, kToday, out)),
            std::set<std::string>{"contact:unknown_contact"});
}

TEST(ApplicationFormTest, NoSymptomsAndAnOnsetDayContradictEachOther) {
  FormFields f = GoodForm();
  f.insert({"no_symptoms", "1"});
  ApplicationForm out;
  EXPECT_TRUE(FieldsOf(ReadApplicationForm(f, DefaultCareSettings().eligibility, kToday, out)).count("onset_on:no_symptoms_and_onset"));
  f.erase("onset_on");
  f.erase("symptom");
  EXPECT_TRUE(ReadApplicationForm(f, DefaultCareSettings().eligibility, kToday, out).empty());
  EXPECT_FALSE(out.onset.has_value());
}

TEST(ScreenTest, MissingAnswersAndAKitNotOnTheListAreNamed) {
  FormFields f = GoodScreen();
  f.erase("mild");
  f.erase("kit");
  f.insert({"kit", "どこかのキット"});
  f.insert({"risk", "gout"});
  Screen s;
  const auto got = FieldsOf(ReadScreen(f, DefaultCareSettings().eligibility, kToday, s));
  EXPECT_EQ(got, (std::set<std::string>{"mild:required", "kit:unknown_kit", "risk:unknown_risk_factor"}));
}

TEST(ScreenTest, ATickedRiskFactorOrAResearchKitTurnsAwayAndIsRecorded) {
  FormFields f = GoodScreen();
  f.insert({"risk", "diabetes"});
  Screen s;
  ASSERT_TRUE(ReadScreen(f, DefaultCareSettings().eligibility, kToday, s).empty());
  EXPECT_EQ(s.risk_factors, std::vector<RiskFactor>{RiskFactor::kDiabetes});
  auto e = CheckScreen(s, DefaultCareSettings().eligibility, kToday);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->eligible);
  EXPECT_EQ(e->reasons, std::vector<Ineligible>{Ineligible::kRiskFactor});

  FormFields research = GoodScreen();
  research.erase("kit");
  research.insert({"kit", DefaultCareSettings().eligibility.kits[1].name});
  ASSERT_TRUE(ReadScreen(research, DefaultCareSettings().eligibility, kToday, s).empty());
  e = CheckScreen(s, DefaultCareSettings().eligibility, kToday);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->reasons, std::vector<Ineligible>{Ineligible::kKitResearchUse});
}

TEST(ScreenTest, TheTenantsOptionalRulesAskTheirQuestions) {
  EligibilityRules rules = DefaultCareSettings().eligibility;
  rules.min_vaccinations = 2;
  rules.refuse_smokers = true;
  rules.max_bmi = 30;
  Screen s;
  EXPECT_EQ(FieldsOf(ReadScreen(GoodScreen(), rules, kToday, s)),
            (std::set<std::string>{"vaccinations:required", "smoker:required", "height_cm:required", "weight_kg:required"}));
  FormFields f = GoodScreen();
  f.insert({{"vaccinations", "３"}, {"smoker", "no"}, {"height_cm", "160"}, {"weight_kg", "80"}});
  ASSERT_TRUE(ReadScreen(f, rules, kToday, s).empty());
  auto e = CheckScreen(s, rules, kToday);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->reasons, std::vector<Ineligible>{Ineligible::kBmiTooHigh});  // 31.25
  // The BMI rule decides a measured BMI; it is kept on the checklist for the triage score.
  EXPECT_EQ(s.risk_factors, std::vector<RiskFactor>{RiskFactor::kObesity});
}

TEST(DecisionTest, OnlyAWaitingApplicationIsDecidedAndEveryRefusalSaysWhy) {
  EXPECT_TRUE(CheckDecision(ApplicationState::kWaiting, Decision::kConfirm, "").ok());
  EXPECT_THAT(CheckDecision(ApplicationState::kWaiting, Decision::kCannotConfirm, "  "),
              StatusIsOn(StatusCode::kInvalidArgument, "required", "reason"));
  EXPECT_TRUE(CheckDecision(ApplicationState::kWaiting, Decision::kUnclearPhoto, "窓の部分が光っています").ok());
  EXPECT_EQ(CheckDecision(ApplicationState::kConfirmed, Decision::kConfirm, "").key(), "already_decided");
  EXPECT_EQ(CheckDecision(ApplicationState::kPhotoRequested, Decision::kConfirm, "").key(), "awaiting_photo");
  EXPECT_EQ(CheckDecision(ApplicationState::kWaiting, Decision::kNotEligible, std::string(501, 'a')).key(), "too_long");
  EXPECT_EQ(StateAfter(Decision::kUnclearPhoto), ApplicationState::kPhotoRequested);
  EXPECT_EQ(StateAfter(Decision::kNotEligible), ApplicationState::kSeeClinic);
}

TEST(IntakeTest, AReadablePhotoQueuesByItsTLineAndAnUnusableOneGoesBackTwiceAtMost) {
  KitReading r;
  r.category = KitCategory::kReadable;
  r.test_line_seen = true;
  EXPECT_EQ(IntakeOf(r, 0).queue_rank, 0);
  r.test_line_seen = false;
  EXPECT_EQ(IntakeOf(r, 0).queue_rank, 1);
  EXPECT_EQ(IntakeOf(r, 0).state, ApplicationState::kWaiting);
  r.category = KitCategory::kGlare;
  EXPECT_EQ(IntakeOf(r, 0).state, ApplicationState::kPhotoRequested);
  EXPECT_EQ(IntakeOf(r, 1).state, ApplicationState::kPhotoRequested);
  const Intake third = IntakeOf(r, kMaxAutomaticReturns);
  EXPECT_EQ(third.state, ApplicationState::kWaiting);  // a doctor looks, whatever the pre-read says
  EXPECT_EQ(third.queue_rank, 2);
}

TEST(EpisodeTest, HomeCareEndsSevenDaysAfterOnsetOrTheTestAndNeverBeforeTomorrow) {
  const EpisodeRules rules;
  EXPECT_EQ(PlanEpisode(Day{year{2026} / 11 / 30}, kToday - days{1}, kToday, rules).planned_end_on, Day{year{2026} / 12 / 7});
  EXPECT_EQ(PlanEpisode(std::nullopt, kToday - days{1}, kToday, rules).planned_end_on, Day{year{2026} / 12 / 8});
  EXPECT_EQ(PlanEpisode(kToday - days{20}, kToday - days{1}, kToday, rules).planned_end_on, kToday + days{1});
  EpisodeRules bad;
  bad.id_photo_retention_days = 40;
  EXPECT_THAT(ValidateEpisodeRules(bad), StatusIsOn(StatusCode::kInvalidArgument, "out_of_range", "id_photo_retention_days"));
}

TEST(RetentionTest, IdPhotosGoSoonAfterTheDecisionAndKitPhotosAfterTheEpisode) {
  const EpisodeRules rules;  // 7 and 30 days
  const int64_t decided = 1'800'000'000'000;
  constexpr int64_t kDay = 86'400'000;
  EXPECT_EQ(PhotoDeleteAfterMs(PhotoKind::kId, decided, Day{year{2027} / 1 / 20}, rules), decided + 7 * kDay);
  EXPECT_EQ(PhotoDeleteAfterMs(PhotoKind::kKit, decided, std::nullopt, rules), decided + 30 * kDay);
  const Day end = Day{floor<days>(sys_time<milliseconds>{milliseconds{decided}})} + days{7};
  EXPECT_GT(PhotoDeleteAfterMs(PhotoKind::kKit, decided, end, rules), decided + 37 * kDay - kDay);
}

TEST(ReceiptTest, EightDigitsReadInTwoGroups) {
  const std::string r = NewReceiptNumber();
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(r.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(ReceiptInGroups("12345678"), "1234-5678");
}

}  // namespace
}  // namespace madoguchi::care
