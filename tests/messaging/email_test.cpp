// Email addresses as residents type them, the tenant's sender settings, and a message that goes
// by email when no text message reaches the person: its subject comes with the text.
#include "messaging/email.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "messaging/delivery.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIsOn;

TEST(EmailTest, AddressesAreReadAsTypedOnAPhone) {
  EXPECT_EQ(*NormalEmail("hanako@example.jp"), "hanako@example.jp");
  EXPECT_EQ(*NormalEmail(" Hanako.Nichinan+yoyaku@Mail.Example.JP "), "Hanako.Nichinan+yoyaku@mail.example.jp")
      << "the domain only is lower-cased";
  EXPECT_EQ(*NormalEmail("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"), "hanako@example.jp") << "full-width from an IME";
  EXPECT_EQ(*NormalEmail("\xE3\x80\x80taro@example.jp\xE3\x80\x80"), "taro@example.jp") << "ideographic spaces around";
}

TEST(EmailTest, WhatCannotBeAnAddressIsRefusedOnTheField) {
  for (const char* bad :
       {"", "hanako", "hanako@", "@example.jp", "hanako@example", "hana ko@example.jp", "hanako@@example.jp", ".hanako@example.jp",
        "hana..ko@example.jp", "hanako.@example.jp", "hanako@-example.jp", "hanako@example..jp", "花子@example.jp", "hanako@例え.jp",
        "\"hanako\"@example.jp", "hanako@example.jp\r\nBcc: x@evil.example", "hanako@example.jp>", "<hanako@example.jp"}) {
    EXPECT_THAT(NormalEmail(bad, "email").status(), StatusIsOn(StatusCode::kInvalidArgument, "bad_email", "email")) << bad;
  }
  EXPECT_FALSE(NormalEmail(std::string(65, 'a') + "@example.jp").ok()) << "65 characters before the @";
  EXPECT_TRUE(NormalEmail(std::string(64, 'a') + "@example.jp").ok());
  EXPECT_FALSE(NormalEmail("a@" + std::string(250, 'b') + ".jp").ok()) << "over 254";
}

TEST(EmailTest, TheSenderSettingsAreCheckedBeforeSaving) {
  SendingSettings s;
  EXPECT_TRUE(ValidateSendingSettings(s).ok()) << "no email by default";
  s.email_from = "yoyaku@city.nichinan.example.jp";
  s.email_from_name = "日南市 接種予約窓口";
  EXPECT_TRUE(ValidateSendingSettings(s).ok());
  s.email_from = "yoyaku@City.Example.jp";
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "bad_email", "email_from")) << "stored as normalised";
  s.email_from = "yoyaku";
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "bad_email", "email_from"));
  s.email_from = "yoyaku@example.jp";
  s.email_from_name = "日南市\r\nBcc: x@evil.example";
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "bad_sender_name", "email_from_name"));
  s.email_from_name = std::string(61 * 3, 'a');
  EXPECT_THAT(ValidateSendingSettings(s), StatusIsOn(StatusCode::kInvalidArgument, "bad_sender_name", "email_from_name"));
}

TEST(EmailTest, ALandlineResidentWithAnEmailIsReachedByEmailWithASubject) {
  Reach landline{"", "0987-31-1111", "hanako@example.jp"};
  auto route = ChooseRoute({Delivery::kSms, Delivery::kEmail}, landline);
  ASSERT_TRUE(route.ok()) << route.status().ToString();
  EXPECT_EQ(route->delivery, Delivery::kEmail);
  EXPECT_EQ(route->address, "hanako@example.jp");
  Reach mobile{"", "090-1234-5678", "hanako@example.jp"};
  EXPECT_EQ(ChooseRoute({Delivery::kSms, Delivery::kEmail}, mobile)->delivery, Delivery::kSms) << "a text message first";

  Message m;
  m.tenant = "452041";
  m.resident_id = 7;
  m.channels = {Delivery::kSms, Delivery::kEmail};
  m.template_key = "booking_confirmed";
  m.variables = {{"starts_at_ms", int64_t{1'796'176'800'000}}, {"confirmation_code", std::string("K7QM4XRT")}};
  m.dedupe_key = "b:1";
  TemplateContext ctx;
  ctx.tenant_name = "日南市";
  ctx.venue_name = "市民会館";
  SendingSettings s;  // 21:00–8:00 quiet hours do not hold an email
  const int64_t night = 1'796'137'200'000 + 23 * 3'600'000;
  Decision d = DecideAttempt(m, *route, false, ctx, s, night);
  ASSERT_EQ(d.kind, Decision::Kind::kSend) << d.reason;
  EXPECT_EQ(d.subject, "【日南市】接種の予約が確定しました");
  EXPECT_THAT(d.text, ::testing::HasSubstr("市民会館"));
  EXPECT_FALSE(d.sms.has_value());
  EXPECT_EQ(d.cost_sen, 0);
}

}  // namespace
}  // namespace madoguchi::messaging
