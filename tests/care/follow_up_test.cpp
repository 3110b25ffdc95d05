// The daily observation's rules without storage: when the first check-in goes, how the form and a
// number reply are read, who goes on (and comes off) the call list, which calls settle it, and
// the check-in link (signed, one tenant's, expiring).
#include "care/follow_up.hpp"

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/time_format.hpp"

namespace madoguchi::care {
namespace {

using namespace std::chrono;

constexpr int64_t kMinute = 60'000;
constexpr booking::Day kDay{year{2026} / 12 / 3};

FormFields Stable() {
  FormFields f{{"urgent", "no"}, {"temperature", "36.8"}, {"spo2", "97"}};
  for (size_t i = 0; i < kSymptomCount; ++i) f.emplace("s_" + std::string(SymptomName(static_cast<Symptom>(i))), "no");
  return f;
}

std::vector<std::string> Keys(const Problems& p) {
  std::vector<std::string> out;
  for (const Status& s : p) out.push_back(s.field() + ":" + s.key());
  return out;
}

FormFields With(FormFields f, const std::string& k, const std::string& v) {
  f.erase(k);
  if (!v.empty()) f.emplace(k, v);
  return f;
}

TEST(CheckInTimesTest, TheDefaultsAreNineNoonAndThree) {
  const CheckInTimes t = CheckInTimesOn(kDay, CheckInRules{});
  EXPECT_EQ(FormatTokyo(t.send_at_ms), "2026-12-03 09:00:00");
  EXPECT_EQ(FormatTokyo(t.remind_at_ms), "2026-12-03 12:00:00");
  EXPECT_EQ(FormatTokyo(t.call_at_ms), "2026-12-03 15:00:00");
}

TEST(CheckInTimesTest, APatientConfirmedBeforeNoonIsAskedTheSameDayAndLaterTheNextMorning) {
  const CheckInTimes t = CheckInTimesOn(kDay, CheckInRules{});
  EXPECT_EQ(FirstCheckInDay(t.send_at_ms - 60 * kMinute, CheckInRules{}), kDay);  // 08:00
  EXPECT_EQ(FirstCheckInDay(t.remind_at_ms - kMinute, CheckInRules{}), kDay);     // 11:59
  EXPECT_EQ(FirstCheckInDay(t.remind_at_ms, CheckInRules{}), kDay + days{1});     // 12:00
}

TEST(ReadHealthReportTest, AStableReportIsRead) {
  HealthReport r;
  ASSERT_TRUE(ReadHealthReport(With(Stable(), "note", "少し咳が出ます\n熱は下がりました"), 5, r).empty());
  EXPECT_FALSE(r.urgent);
  EXPECT_EQ(r.spo2, 97);
  EXPECT_DOUBLE_EQ(*r.temperature, 36.8);
  EXPECT_EQ(r.note, "少し咳が出ます\n熱は下がりました");
  EXPECT_EQ(r.at_ms, 5);
}

TEST(ReadHealthReportTest, NumbersAreReadAsPeopleTypeThemWithTheirUnits) {
  HealthReport r;
  ASSERT_TRUE(ReadHealthReport(With(With(Stable(), "temperature", "３７．２℃"), "spo2", "９７％"), 0, r).empty());
  EXPECT_DOUBLE_EQ(*r.temperature, 37.2);
  EXPECT_EQ(r.spo2, 97);
  ASSERT_TRUE(ReadHealthReport(With(With(Stable(), "temperature", "38度"), "spo2", "95%"), 0, r).empty());
  EXPECT_DOUBLE_EQ(*r.temperature, 38.0);
  EXPECT_EQ(r.spo2, 95);
  EXPECT_EQ(Keys(ReadHealthReport(With(Stable(), "temperature", "℃"), 0, r)), (std::vector<std::string>{"temperature:not_a_number"}));
}

TEST(ReadHealthReportTest, WithoutAnOximeterOrAThermometerTheReadingsAreLeftOut) {
  HealthReport r;
  ASSERT_TRUE(ReadHealthReport(With(With(Stable(), "spo2", ""), "temperature", ""), 0, r).empty());
  EXPECT_EQ(r.spo2, std::nullopt);
  EXPECT_EQ(r.temperature, std::nullopt);
}

TEST(ReadHealthReportTest, EveryWrongFieldIsNamedAtOnce) {
  FormFields f = With(Stable(), "urgent", "");
  f = With(f, "spo2", "101");
  f = With(f, "temperature", "熱い");
  f = With(f, "s_cough", "maybe");
  f = With(f, "s_tired", "");
  f = With(f, "note", std::string(1001, 'a'));
  HealthReport r;
  EXPECT_EQ(Keys(ReadHealthReport(f, 0, r)), (std::vector<std::string>{"urgent:required", "temperature:not_a_number", "spo2:out_of_range",
                                                                       "s_cough:yes_no_unknown", "s_tired:required", "note:too_long"}));
  EXPECT_EQ(Keys(ReadHealthReport(With(Stable(), "spo2", "95.5"), 0, r)), (std::vector<std::string>{"spo2:not_whole"}));
  EXPECT_EQ(Keys(ReadHealthReport(With(Stable(), "note", "a\x01z"), 0, r)), (std::vector<std::string>{"note:bad_text"}));
}

TEST(ReadNumberReplyTest, OneDigitHalfOrFullWidthIsANumberReplyAnythingElseIsAMessage) {
  EXPECT_EQ(ReadNumberReply("1"), NumberReply::kNoChange);
  EXPECT_EQ(ReadNumberReply(" ２ "), NumberReply::kWorse);
  EXPECT_EQ(ReadNumberReply("３\n"), NumberReply::kCallMe);
  EXPECT_EQ(ReadNumberReply("4"), std::nullopt);
  EXPECT_EQ(ReadNumberReply("12"), std::nullopt);
  EXPECT_EQ(ReadNumberReply("2 です"), std::nullopt);
  EXPECT_EQ(ReadNumberReply(""), std::nullopt);
}

TEST(LineLinkTest, TheWordIsReadAsPeopleTypeItAndAnOrdinaryTextIsNotTakenForOne) {
  EXPECT_EQ(ReadLineLinkRequest("連携 ABCDE-FGHJK"), "ABCDEFGHJK");
  EXPECT_EQ(ReadLineLinkRequest("連携ABCDEFGHJK"), "ABCDEFGHJK");
  EXPECT_EQ(ReadLineLinkRequest("れんけい　ａｂｃｄｅ－ｆｇｈｊｋ"), "ABCDEFGHJK");
  EXPECT_EQ(ReadLineLinkRequest("レンケイ abcde fghjk\n"), "ABCDEFGHJK");
  EXPECT_EQ(ReadLineLinkRequest("連携コード：「２３４５６-７８９AB」"), "23456789AB");
  EXPECT_EQ(ReadLineLinkRequest("ABCDE-FGHJK"), "ABCDEFGHJK") << "the word's code alone, as the page shows it";
  // A request whose code is not one: said so, nothing looked up.
  EXPECT_EQ(ReadLineLinkRequest("連携"), "");
  EXPECT_EQ(ReadLineLinkRequest("連携したいです"), "");
  EXPECT_EQ(ReadLineLinkRequest("連携 ABCDE-FGHJ"), "") << "nine characters";
  EXPECT_EQ(ReadLineLinkRequest("連携 ABCDE-FGH0K"), "") << "0 is not in the alphabet (it reads as O)";
  // Not a request: on to the booking conversation or the inbox.
  EXPECT_EQ(ReadLineLinkRequest("ABCDEFGHJK"), std::nullopt);
  EXPECT_EQ(ReadLineLinkRequest("1"), std::nullopt);
  EXPECT_EQ(ReadLineLinkRequest("3456789012"), std::nullopt) << "a ticket number";
  EXPECT_EQ(ReadLineLinkRequest("THANK-YOUUU"), std::nullopt) << "the shape of one, but O is not in the alphabet";
  EXPECT_EQ(ReadLineLinkRequest("ありがとう"), std::nullopt);
  EXPECT_EQ(LineLinkCodeInGroups("ABCDEFGHJK"), "ABCDE-FGHJK");
}

TEST(LineLinkTest, AnApplicationLinksWhileItWaitsOrItsHomeCareGoesOn) {
  EXPECT_TRUE(LineLinkable(ApplicationState::kWaiting, std::nullopt));
  EXPECT_TRUE(LineLinkable(ApplicationState::kPhotoRequested, std::nullopt));
  EXPECT_TRUE(LineLinkable(ApplicationState::kConfirmed, true));
  EXPECT_FALSE(LineLinkable(ApplicationState::kConfirmed, false)) << "home care ended";
  EXPECT_FALSE(LineLinkable(ApplicationState::kNotConfirmed, std::nullopt));
  EXPECT_FALSE(LineLinkable(ApplicationState::kSeeClinic, std::nullopt));
}

Classification Class(Priority p, const std::string& rule) { return {p, rule, "v", 0}; }

TEST(CallNeedTest, AP0ReportPutsThePatientOnTheListAndAStableOneDoesNotTakeThemOff) {
  auto need = CallNeedAfter(std::nullopt, Class(Priority::kP0, "spo2_93"), false, 100);
  ASSERT_TRUE(need);
  EXPECT_EQ(need->priority, Priority::kP0);
  EXPECT_EQ(need->since_ms, 100);
  auto after = CallNeedAfter(need, Class(Priority::kP3, "stable"), false, 200);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->rule_id, "spo2_93");
  // A missed check-in later does not lower it.
  after = CallNeedAfter(need, Class(Priority::kP2, "missed"), true, 300);
  EXPECT_EQ(after->priority, Priority::kP0);
}

TEST(CallNeedTest, AnAnswerTakesOffOnlyAPatientAMissedCheckInPutThere) {
  auto missed = CallNeedAfter(std::nullopt, Class(Priority::kP2, "missed"), true, 100);
  ASSERT_TRUE(missed);
  EXPECT_TRUE(missed->from_missed);
  EXPECT_EQ(CallNeedAfter(missed, Class(Priority::kP3, "stable"), false, 200), std::nullopt);
  EXPECT_EQ(CallNeedAfter(std::nullopt, Class(Priority::kP2, "risk_score"), false, 200), std::nullopt);
}

TEST(CallNeedTest, AMoreUrgentReportReplacesTheNeedAndItsWaitingStartsThen) {
  auto missed = CallNeedAfter(std::nullopt, Class(Priority::kP2, "missed"), true, 100);
  auto worse = CallNeedAfter(missed, Class(Priority::kP1, "reported_worse"), false, 200);
  ASSERT_TRUE(worse);
  EXPECT_EQ(worse->rule_id, "reported_worse");
  EXPECT_FALSE(worse->from_missed);
  EXPECT_EQ(worse->since_ms, 200);
  // At the same priority the report's reason replaces the missed check-in's, waiting kept.
  auto high_risk = CallNeedAfter(std::nullopt, Class(Priority::kP1, "high_risk_missed"), true, 100);
  auto asked = CallNeedAfter(high_risk, Class(Priority::kP1, "asked_for_call"), false, 200);
  EXPECT_EQ(asked->rule_id, "asked_for_call");
  EXPECT_EQ(asked->since_ms, 100);
}

TEST(CallOutcomeTest, NoAnswerAndAWrongNumberLeaveThePatientOnTheList) {
  EXPECT_FALSE(SettlesCall(CallOutcome::kNoAnswer));
  EXPECT_FALSE(SettlesCall(CallOutcome::kWrongNumber));
  EXPECT_TRUE(SettlesCall(CallOutcome::kReached));
  EXPECT_TRUE(SettlesCall(CallOutcome::kAdvised119));
  EXPECT_TRUE(SettlesCall(CallOutcome::kReferred));
  EXPECT_EQ(ParseCallOutcome("maybe").status().key(), "unknown_outcome");
  EXPECT_EQ(ParseCallOutcome("maybe").status().field(), "outcome");
}

TEST(AdviceTest, P0IsCall119P1IsWeWillCallElseThanks) {
  EXPECT_EQ(AdviceFor(Class(Priority::kP0, "urgent_symptom")), Advice::kCall119);
  EXPECT_EQ(AdviceFor(Class(Priority::kP1, "breathless")), Advice::kWeWillCall);
  EXPECT_EQ(AdviceFor(Class(Priority::kP2, "risk_score")), Advice::kThanks);
}

TEST(CheckInTokenTest, ALinkOpensOneCheckInOfOneTenantUntilItExpires) {
  FakeClock clock;
  clock.SetMs(CheckInTimesOn(kDay, CheckInRules{}).send_at_ms);
  const FollowUpService s(clock, "secret");
  const int64_t expires = FollowUpService::CheckInLinkExpiry(kDay);
  EXPECT_EQ(FormatTokyo(expires - 1), "2026-12-04 23:59:59");  // the end of the next day
  const std::string token = s.CheckInToken("430005", 42, expires);
  EXPECT_EQ(s.ReadCheckInToken("430005", token), 42);
  EXPECT_EQ(s.ReadCheckInToken("131016", token), std::nullopt);
  EXPECT_EQ(FollowUpService(clock, "other").ReadCheckInToken("430005", token), std::nullopt);
  clock.SetMs(expires + 1);
  EXPECT_EQ(s.ReadCheckInToken("430005", token), std::nullopt);
}

}  // namespace
}  // namespace madoguchi::care
