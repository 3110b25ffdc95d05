// The worker's rules: the order messages go in, the channel that reaches a person, quiet hours,
// retries with backoff, suppression, and what a delivery report does.
#include "messaging/delivery.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIs;
using testing::StatusIsOn;

// 2026-12-02 00:00 Japan time (= 2026-12-01 15:00 UTC), in ms.
constexpr int64_t kJapanMidnight = 1'796'137'200'000;
constexpr int64_t kMinute = 60'000;

int64_t AtJapan(int hour, int minute) { return kJapanMidnight + (hour * 60 + minute) * kMinute; }

TEST(DeliveryTest, UrgentFirstThenBookingNoticesThenCampaigns) {
  EXPECT_LT(SendPriority(Purpose::kTriage, Urgency::kUrgent), SendPriority(Purpose::kBooking, Urgency::kRoutine));
  EXPECT_LT(SendPriority(Purpose::kReminder, Urgency::kRoutine), SendPriority(Purpose::kCampaign, Urgency::kRoutine));
  EXPECT_EQ(SendPriority(Purpose::kCampaign, Urgency::kUrgent), 0);
}

TEST(DeliveryTest, QuietHoursHoldSmsAndVoiceUntilMorningButNotUrgentOrLine) {
  const SendingSettings s;  // 21:00–8:00
  EXPECT_EQ(EarliestSend(s, Delivery::kSms, Urgency::kRoutine, AtJapan(20, 59)), AtJapan(20, 59));
  EXPECT_EQ(EarliestSend(s, Delivery::kSms, Urgency::kRoutine, AtJapan(21, 0)), AtJapan(24 + 8, 0)) << "tonight → tomorrow 8:00";
  EXPECT_EQ(EarliestSend(s, Delivery::kVoice, Urgency::kRoutine, AtJapan(3, 30)), AtJapan(8, 0)) << "after midnight → this morning";
  EXPECT_EQ(EarliestSend(s, Delivery::kSms, Urgency::kRoutine, AtJapan(8, 0)), AtJapan(8, 0));
  EXPECT_EQ(EarliestSend(s, Delivery::kSms, Urgency::kUrgent, AtJapan(23, 0)), AtJapan(23, 0));
  EXPECT_EQ(EarliestSend(s, Delivery::kLine, Urgency::kRoutine, AtJapan(23, 0)), AtJapan(23, 0));
  EXPECT_EQ(EarliestSend(s, Delivery::kEmail, Urgency::kRoutine, AtJapan(23, 0)), AtJapan(23, 0));
  SendingSettings day{12 * 60, 13 * 60};  // a window that does not cross midnight
  EXPECT_EQ(EarliestSend(day, Delivery::kSms, Urgency::kRoutine, AtJapan(12, 30)), AtJapan(13, 0));
  EXPECT_EQ(EarliestSend(day, Delivery::kSms, Urgency::kRoutine, AtJapan(13, 0)), AtJapan(13, 0));
  SendingSettings none{0, 0};
  EXPECT_EQ(EarliestSend(none, Delivery::kSms, Urgency::kRoutine, AtJapan(2, 0)), AtJapan(2, 0));
}

TEST(DeliveryTest, SettingsAreValidatedNamingTheSetting) {
  SendingSettings s;
  EXPECT_TRUE(ValidateSendingSettings(s).ok());
  s.quiet_end_min = 1440;
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "quiet_end"));
  s = {};
  s.max_sms_parts = 11;
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "max_sms_parts"));
  s = {};
  s.sms_sender = "日南市";
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "sms_sender"));
  s.sms_sender = "NichinanCity";  // 12 letters: too long for an alphanumeric sender
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "sms_sender"));
  s.sms_sender = "0987311111";
  EXPECT_TRUE(ValidateSendingSettings(s).ok());
}

TEST(DeliveryTest, TheFirstChannelThatReachesThePerson) {
  Reach linked{"U123", "090-1234-5678", ""};
  auto r = ChooseRoute({Delivery::kLine, Delivery::kSms}, linked);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->delivery, Delivery::kLine);
  EXPECT_EQ(r->address, "U123");
  Reach phone_only{"", "０９０－１２３４－５６７８", ""};
  r = ChooseRoute({Delivery::kLine, Delivery::kSms}, phone_only);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->delivery, Delivery::kSms);
  EXPECT_EQ(r->address, "+819012345678");
  Reach landline{"", "0987-31-1111", ""};
  auto none = ChooseRoute({Delivery::kLine, Delivery::kSms}, landline);
  EXPECT_THAT(none, StatusIs(StatusCode::kFailedPrecondition, "unreachable"));
  EXPECT_NE(none.status().message().find("line: not linked"), std::string::npos) << none.status().message();
  EXPECT_NE(none.status().message().find("sms: not_mobile"), std::string::npos) << none.status().message();
  EXPECT_EQ(ChooseRoute({Delivery::kSms, Delivery::kEmail}, {"", "", "a@example.jp"})->delivery, Delivery::kEmail);
}

TEST(DeliveryTest, RetriesBackOffExponentiallyWithJitterUpToAnHour) {
  for (uint64_t random : {uint64_t{0}, uint64_t{7}, ~uint64_t{0}}) {
    const int64_t first = RetryDelayMs(1, random);
    EXPECT_GE(first, 15'000);
    EXPECT_LE(first, 30'000);
    const int64_t third = RetryDelayMs(3, random);
    EXPECT_GE(third, 60'000);
    EXPECT_LE(third, 120'000);
    const int64_t late = RetryDelayMs(20, random);
    EXPECT_GE(late, 1'800'000);
    EXPECT_LE(late, 3'600'000);
  }
  EXPECT_NE(RetryDelayMs(4, 1), RetryDelayMs(4, 99'999)) << "jitter spreads a burst of retries";
  Message m;
  const Status down = UnavailableError("smsbox did not answer", "sms_gateway_unavailable");
  EXPECT_TRUE(RetryAt(down, 1, m, 0, 1000).has_value());
  EXPECT_FALSE(RetryAt(down, kMaxAttempts, m, 0, 1000).has_value()) << "attempts run out";
  EXPECT_FALSE(RetryAt(InvalidArgumentError("text", "refused", "sms_rejected"), 1, m, 0, 1000).has_value()) << "a refusal is final";
  m.expires_at_ms = 1000 + 10'000;
  EXPECT_FALSE(RetryAt(down, 1, m, 0, 1000).has_value()) << "the retry would come after the message expires";
}

Message Confirmation() {
  Message m;
  m.tenant = "452041";
  m.resident_id = 1;
  m.channels = {Delivery::kSms};
  m.template_key = "booking_confirmed";
  m.variables = {{"confirmation_code", std::string("A7HRG8SM")}, {"starts_at_ms", AtJapan(24 + 10, 0)}};
  m.due_at_ms = AtJapan(12, 0);
  return m;
}

TEST(DeliveryTest, ADecisionInItsOrderExpiryRouteSuppressionQuietHoursTemplateParts) {
  const SendingSettings s;
  const TemplateContext ctx{"日南市", "市民会館", "", "", "A7HR-G8SM", ""};
  const Route sms{Delivery::kSms, "+819012345678"};
  Message m = Confirmation();
  Decision d = DecideAttempt(m, sms, false, ctx, s, AtJapan(12, 0));
  ASSERT_EQ(d.kind, Decision::Kind::kSend);
  EXPECT_EQ(d.text, "【日南市】接種の予約が確定しました。12月3日（木） 10:00 市民会館。予約番号 A7HR-G8SM");
  ASSERT_TRUE(d.sms.has_value());
  EXPECT_EQ(d.cost_sen, d.sms->parts() * 300);
  EXPECT_EQ(DecideAttempt(m, sms, false, ctx, s, AtJapan(22, 0)).kind, Decision::Kind::kDefer);
  EXPECT_EQ(DecideAttempt(m, sms, false, ctx, s, AtJapan(22, 0)).not_before_ms, AtJapan(24 + 8, 0));
  EXPECT_EQ(DecideAttempt(m, sms, true, ctx, s, AtJapan(12, 0)).kind, Decision::Kind::kSuppress);
  Result<Route> unreachable = FailedPreconditionError("no channel reaches the recipient (sms: not_mobile)", "unreachable");
  d = DecideAttempt(m, unreachable, false, ctx, s, AtJapan(12, 0));
  EXPECT_EQ(d.kind, Decision::Kind::kFail);
  EXPECT_NE(d.reason.find("not_mobile"), std::string::npos);
  m.expires_at_ms = AtJapan(11, 0);
  EXPECT_EQ(DecideAttempt(m, sms, false, ctx, s, AtJapan(12, 0)).kind, Decision::Kind::kExpire);
  m = Confirmation();
  m.template_key = "no_such_template";
  EXPECT_EQ(DecideAttempt(m, sms, false, ctx, s, AtJapan(12, 0)).reason.substr(0, 16), "unknown_template");
  SendingSettings one_part = s;
  one_part.max_sms_parts = 1;
  m = Confirmation();
  const TemplateContext with_link{"日南市", "市民会館", "", "", "A7HR-G8SM", "https://yoyaku.example.lg.jp/r/452041/me"};
  d = DecideAttempt(m, sms, false, with_link, one_part, AtJapan(12, 0));
  EXPECT_EQ(d.kind, Decision::Kind::kFail);
  EXPECT_EQ(d.reason, "too_many_parts");
}

TEST(DeliveryTest, UrgentCareMessagesReachASuppressedNumberAndNothingElseDoes) {
  EXPECT_FALSE(SuppressionApplies(Purpose::kTriage, Urgency::kUrgent));
  EXPECT_FALSE(SuppressionApplies(Purpose::kFollowUp, Urgency::kUrgent));
  EXPECT_TRUE(SuppressionApplies(Purpose::kFollowUp, Urgency::kRoutine));
  EXPECT_TRUE(SuppressionApplies(Purpose::kCampaign, Urgency::kUrgent));
  EXPECT_TRUE(SuppressionApplies(Purpose::kBooking, Urgency::kRoutine));
}

TEST(DeliveryTest, ReportsDeliverWhenEveryPartIsDeliveredAndRepeatsChangeNothing) {
  ReportEffect e = StateAfterReport(PartReport::kGatewayAccepted, 0, 2, MessageState::kSent, 0);
  EXPECT_FALSE(e.changed);
  e = StateAfterReport(PartReport::kDelivered, 1, 2, MessageState::kSent, 0);
  EXPECT_TRUE(e.changed);
  EXPECT_EQ(e.state, MessageState::kSent);
  EXPECT_EQ(e.delivered_mask, 0b10);
  e = StateAfterReport(PartReport::kDelivered, 1, 2, MessageState::kSent, e.delivered_mask);
  EXPECT_FALSE(e.changed) << "a repeated report";
  e = StateAfterReport(PartReport::kDelivered, 0, 2, MessageState::kSent, 0b10);
  EXPECT_EQ(e.state, MessageState::kDelivered);
  EXPECT_EQ(StateAfterReport(PartReport::kDelivered, 0, 1, MessageState::kSending, 0).state, MessageState::kDelivered)
      << "a report may beat the worker's own record of the send";
  EXPECT_EQ(StateAfterReport(PartReport::kUndelivered, 0, 1, MessageState::kSent, 0).state, MessageState::kFailed);
  EXPECT_FALSE(StateAfterReport(PartReport::kUndelivered, 0, 1, MessageState::kDelivered, 1).changed);
  EXPECT_FALSE(StateAfterReport(PartReport::kDelivered, 0, 1, MessageState::kCancelled, 0).changed);
  EXPECT_THAT(ValidateReportPart(2, 2), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "part"));
  EXPECT_THAT(ValidateReportPart(0, 11), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "of"));
}

TEST(TemplatesTest, PlaceholdersAreFilledAndAnUnknownOneIsNamed) {
  EXPECT_EQ(*FillTemplate("{a}と{b}", {{"a", "1"}, {"b", "2"}}), "1と2");
  EXPECT_THAT(FillTemplate("こんにちは {name} さん", {}, "body"), StatusIsOn(StatusCode::kInvalidArgument, "unknown_variable", "body"));
  EXPECT_NE(FillTemplate("{name", {}).status().message().find("{"), std::string::npos);
  EXPECT_THAT(BuiltInTemplate("spam"), StatusIs(StatusCode::kNotFound, "unknown_template"));
  for (const char* key : {"booking_confirmed", "booking_changed", "booking_cancelled", "reminder", "waitlist_offer"}) {
    EXPECT_TRUE(BuiltInTemplate(key).ok()) << key;
  }
}

}  // namespace
}  // namespace madoguchi::messaging

namespace madoguchi::messaging {
namespace {

TEST(DeliveryTest, StopRequestsInTheFormsPeopleTypeThem) {
  for (const char* yes : {"停止", "ていし", "テイシ", "STOP", "stop", "Stop", "ＳＴＯＰ", "ｓｔｏｐ", " 停止 ", "停止。", "　ていし　"}) {
    EXPECT_TRUE(IsStopRequest(yes)) << yes;
  }
  for (const char* no : {"停止してほしくない", "1", "止めて", "stopp", "", "予約を停止"}) {
    EXPECT_FALSE(IsStopRequest(no)) << no;
  }
}

TEST(DeliveryTest, ALineUserIdIsUAnd32HexDigits) {
  EXPECT_TRUE(IsLineUserId("U4af4980629a0b1c2d3e4f5a6b7c8d9e0"));
  for (const char* no : {"+819011112222", "u4af4980629a0b1c2d3e4f5a6b7c8d9e0", "U4af4980629a0b1c2d3e4f5a6b7c8d9e",
                         "U4AF4980629A0B1C2D3E4F5A6B7C8D9E0", "a@example.jp", ""}) {
    EXPECT_FALSE(IsLineUserId(no)) << no;
  }
}

TEST(DeliveryTest, AnAnswerIsCheckedForTheChannelItGoesBackOn) {
  SendingSettings s;
  s.max_sms_parts = 2;
  EXPECT_TRUE(CheckAnswer(Delivery::kSms, "はい、お電話でも予約できます。", s).ok());
  EXPECT_THAT(CheckAnswer(Delivery::kSms, "", s), StatusIsOn(StatusCode::kInvalidArgument, "empty", "text"));
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "あ";  // 200 UTF-16 units: 3 parts of 67
  EXPECT_THAT(CheckAnswer(Delivery::kSms, long_text, s), StatusIsOn(StatusCode::kInvalidArgument, "too_many_parts", "text"));
  EXPECT_TRUE(CheckAnswer(Delivery::kLine, long_text, s).ok()) << "LINE has no parts";
  std::string longer;
  for (int i = 0; i < 5001; ++i) longer += "あ";
  EXPECT_THAT(CheckAnswer(Delivery::kLine, longer, s), StatusIsOn(StatusCode::kInvalidArgument, "too_long", "text"));
  EXPECT_THAT(CheckAnswer(Delivery::kLine, "", s), StatusIsOn(StatusCode::kInvalidArgument, "empty", "text"));
  EXPECT_THAT(CheckAnswer(Delivery::kEmail, "x", s), StatusIsOn(StatusCode::kInvalidArgument, "no_answer_channel", "channel"));
}

TEST(DeliveryTest, OneTenantsSameTextGoesInOneMulticastOfAtMost500) {
  std::vector<std::pair<std::string, std::string>> sends = {
      {"452041", "A"}, {"452041", "B"}, {"452041", "A"}, {"131016", "A"}, {"452041", "A"}};
  EXPECT_EQ(GroupForMulticast(sends), (std::vector<std::vector<size_t>>{{0, 2, 4}, {1}, {3}}));
  std::vector<std::pair<std::string, std::string>> many(1201, {"452041", "A"});
  const auto groups = GroupForMulticast(many);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].size(), kLineMulticastMax);
  EXPECT_EQ(groups[1].size(), kLineMulticastMax);
  EXPECT_EQ(groups[2].size(), 201u);
  EXPECT_EQ(groups[2].front(), 1000u);
  EXPECT_TRUE(GroupForMulticast({}).empty());
}

}  // namespace
}  // namespace madoguchi::messaging
