// Bounces as mail servers send them back (issue #12 §3): a Postfix and an Exchange-style delivery
// status notification, a delay, an auto-reply that is no report, and bytes that are no message.
#include "formats/bounce_mail.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "common/crypto.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::formats {
namespace {

using ::testing::Contains;
using testing::StatusIsOn;

// Postfix's own wording and layout (bounce(8)), to the VERP address the worker sent from.
const char kPostfix[] =
    "Return-Path: <>\r\n"
    "X-Original-To: bounce+42-0123456789abcdef@bounce.city.example.jp\r\n"
    "Delivered-To: bounce+42-0123456789abcdef@bounce.city.example.jp\r\n"
    "Date: Thu,  3 Dec 2026 10:01:02 +0900 (JST)\r\n"
    "From: MAILER-DAEMON@relay.city.example.jp (Mail Delivery System)\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "To: bounce+42-0123456789abcdef@bounce.city.example.jp\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
    "\tboundary=\"4F1A2B3C.1733187662/relay.city.example.jp\"\r\n"
    "Message-Id: <20261203010102.5D6E7F80@relay.city.example.jp>\r\n"
    "\r\n"
    "This is a MIME-encapsulated message.\r\n"
    "\r\n"
    "--4F1A2B3C.1733187662/relay.city.example.jp\r\n"
    "Content-Description: Notification\r\n"
    "Content-Type: text/plain; charset=us-ascii\r\n"
    "\r\n"
    "This is the mail system at host relay.city.example.jp.\r\n"
    "\r\n"
    "I'm sorry to have to inform you that your message could not\r\n"
    "be delivered to one or more recipients.\r\n"
    "\r\n"
    "<taro@example.com>: host mx.example.com[192.0.2.25] said: 550 5.1.1\r\n"
    "    <taro@example.com>: Recipient address rejected: User unknown (in reply to\r\n"
    "    RCPT TO command)\r\n"
    "\r\n"
    "--4F1A2B3C.1733187662/relay.city.example.jp\r\n"
    "Content-Description: Delivery report\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Reporting-MTA: dns; relay.city.example.jp\r\n"
    "X-Postfix-Queue-ID: 4F1A2B3C\r\n"
    "X-Postfix-Sender: rfc822; bounce+42-0123456789abcdef@bounce.city.example.jp\r\n"
    "Arrival-Date: Thu,  3 Dec 2026 10:01:01 +0900 (JST)\r\n"
    "\r\n"
    "Final-Recipient: rfc822; taro@example.com\r\n"
    "Original-Recipient: rfc822;taro@example.com\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Remote-MTA: dns; mx.example.com\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <taro@example.com>: Recipient address rejected:\r\n"
    "    User unknown\r\n"
    "\r\n"
    "--4F1A2B3C.1733187662/relay.city.example.jp\r\n"
    "Content-Description: Undelivered Message Headers\r\n"
    "Content-Type: text/rfc822-headers\r\n"
    "\r\n"
    "From: =?UTF-8?B?5pel5Y2X5biC?= <yoyaku@city.example.jp>\r\n"
    "To: taro@example.com\r\n"
    "Subject: =?UTF-8?B?5o6l56iu44Gu5LqI57SE?=\r\n"
    "\r\n"
    "--4F1A2B3C.1733187662/relay.city.example.jp--\r\n";

TEST(BounceMailTest, APostfixReportGivesTheBounceAddressAndTheRecipientsStatus) {
  Result<BounceMail> m = ReadBounceMail(kPostfix);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->is_report);
  EXPECT_THAT(m->addressed_to, Contains("bounce+42-0123456789abcdef@bounce.city.example.jp"));
  ASSERT_EQ(m->recipients.size(), 1U);
  EXPECT_EQ(m->recipients[0].action, "failed");
  EXPECT_EQ(m->recipients[0].status, "5.1.1");
  EXPECT_EQ(messaging::ClassifyBounce(m->recipients).error, "email_bounced: 5.1.1");
}

// Exchange writes the report base64-encoded with a comment after the status, and a nested
// multipart; the report is found and decoded all the same. Unix line ends.
TEST(BounceMailTest, AnEncodedReportInsideAnotherMultipartIsFoundAndDecoded) {
  const std::string report =
      "Reporting-MTA: dns;EX01.example.co.jp\n\nFinal-Recipient: rfc822;hanako@example.co.jp\nAction: delayed\n"
      "Status: 4.4.7 (delivery time expired)\nWill-Retry-Until: Fri, 4 Dec 2026 10:00:00 +0900\n";
  const std::string mail = std::string("From: postmaster@example.co.jp\nTo: \"Madoguchi\" <BOUNCE+7-AAAA@Bounce.City.Example.JP>\n") +
                           "Subject: Delivery delayed\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n"
                           "--outer\nContent-Type: multipart/report; report-type=delivery-status; boundary=inner\n\n"
                           "--inner\nContent-Type: text/plain\n\nDelivery is delayed.\n"
                           "--inner\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n" +
                           crypto::Base64Encode(report) + "\n--inner--\n--outer--\n";
  Result<BounceMail> m = ReadBounceMail(mail);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_THAT(m->addressed_to, Contains("BOUNCE+7-AAAA@Bounce.City.Example.JP"));
  ASSERT_EQ(m->recipients.size(), 1U);
  EXPECT_EQ(m->recipients[0].action, "delayed");
  EXPECT_EQ(m->recipients[0].status, "4.4.7");
}

TEST(BounceMailTest, AnAutoReplyIsReadButIsNoReport) {
  Result<BounceMail> m = ReadBounceMail(
      "From: taro@example.com\r\nTo: bounce+42-0123456789abcdef@bounce.city.example.jp\r\nSubject: =?UTF-8?B?5LiN5Zyo?=\r\n"
      "Auto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nout of office\r\n");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_FALSE(m->is_report);
  EXPECT_TRUE(m->recipients.empty());
  EXPECT_EQ(messaging::ClassifyBounce(m->recipients).kind, messaging::BounceEffect::Kind::kNone);
}

TEST(BounceMailTest, BytesThatAreNoMessageAreRefused) {
  EXPECT_THAT(ReadBounceMail("").status(), StatusIsOn(StatusCode::kInvalidArgument, "not_a_message", "message"));
  EXPECT_THAT(ReadBounceMail(std::string(11 << 20, 'a')).status(), StatusIsOn(StatusCode::kInvalidArgument, "not_a_message", "message"));
}

// A bounce is mail from anyone: thousands of mangled reports each give a reading or an error,
// and never a crash or a recipient that was not in the bytes.
TEST(BounceMailTest, MangledReportsNeverCrashTheReader) {
  std::mt19937_64 rng(20261203);
  const std::string base = kPostfix;
  const char specials[] = {'\0', '\r', '\n', ':', ';', '-', '"', '=', ' ', '\t', '\xff', '\xe3'};
  int reports = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = base;
    for (int e = 0, n = 1 + static_cast<int>(rng() % 8); e < n; ++e) {
      const size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s.erase(at, 1 + rng() % 40); break;
        case 1: s.insert(at, s.substr(rng() % s.size(), 1 + rng() % 60)); break;
        default: s[at] = specials[rng() % sizeof specials]; break;
      }
    }
    Result<BounceMail> m = ReadBounceMail(s);
    if (!m.ok()) {
      EXPECT_EQ(m.status().key(), "not_a_message");
      continue;
    }
    reports += m->is_report;
    for (const auto& r : m->recipients) EXPECT_LE(r.status.size(), s.size());
  }
  EXPECT_GT(reports, 1000) << "most small damage leaves the report readable";
}

}  // namespace
}  // namespace madoguchi::formats
