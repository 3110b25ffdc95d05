// Email as the worker sends it: the MIME message (UTF-8 text and HTML, RFC 2047 headers that
// never cut a character, nothing a header could be broken with), and the SMTP client against a
// real SMTP server (aiosmtpd, started here): delivered, a refused mailbox failed for good, a
// server that does not answer retried later.
#include "channels/smtp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/smtp_sink.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::channels {
namespace {

using madoguchi::testing::ParseEmail;
using madoguchi::testing::SmtpSink;
using madoguchi::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// 2026-12-02 16:47:05 Japan time.
constexpr int64_t kNow = 1'796'197'625'000;

Email Confirmation() {
  Email e;
  e.message_id = 42;
  e.from = "yoyaku@city.nichinan.example.jp";
  e.from_name = "日南市 接種予約窓口";
  e.to = "hanako@example.jp";
  e.subject = "【日南市】接種の予約が確定しました（12月5日 10:00 市民会館、予約番号 K7QM-4XRT）";
  e.text =
      "【日南市】接種の予約が確定しました。12月5日 10:00 市民会館。予約番号 K7QM-4XRT https://yoyaku.example.jp/r/452041/me\n<持ち物> 接種券 & 予診票";
  return e;
}

TEST(SmtpTest, TheMessageCarriesJapaneseTextAndHtmlIntact) {
  const std::string raw = ComposeEmail(Confirmation(), kNow);
  const auto e = ParseEmail(raw);
  EXPECT_EQ(e.headers.at("Date"), "Wed, 02 Dec 2026 16:47:05 +0900");
  EXPECT_EQ(e.headers.at("To"), "<hanako@example.jp>");
  EXPECT_EQ(e.headers.at("MIME-Version"), "1.0");
  EXPECT_EQ(e.subject, Confirmation().subject);
  EXPECT_EQ(e.from, "日南市 接種予約窓口 <yoyaku@city.nichinan.example.jp>");
  EXPECT_THAT(e.headers.at("Message-ID"), HasSubstr("@city.nichinan.example.jp>"));
  EXPECT_EQ(e.text_type, "text/plain; charset=UTF-8");
  EXPECT_EQ(e.text,
            "【日南市】接種の予約が確定しました。12月5日 10:00 市民会館。予約番号 K7QM-4XRT https://yoyaku.example.jp/r/452041/me\r\n"
            "<持ち物> 接種券 & 予診票");
  EXPECT_EQ(e.html_type, "text/html; charset=UTF-8");
  EXPECT_THAT(e.html, HasSubstr("<a href=\"https://yoyaku.example.jp/r/452041/me\">https://yoyaku.example.jp/r/452041/me</a><br>"));
  EXPECT_THAT(e.html, HasSubstr("&lt;持ち物&gt; 接種券 &amp; 予診票"));
  EXPECT_THAT(e.html, HasSubstr("<html lang=\"ja\">"));
  // Every line within SMTP's limit, ASCII only, CRLF ends; encoded words of at most 75 characters.
  size_t start = 0;
  for (size_t nl; (nl = raw.find("\r\n", start)) != std::string::npos; start = nl + 2) {
    const std::string line = raw.substr(start, nl - start);
    EXPECT_LE(line.size(), 78u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    for (unsigned char c : line) EXPECT_LT(c, 0x80) << line;
  }
  EXPECT_EQ(start, raw.size()) << "the message ends with CRLF";
  std::smatch m;
  std::string rest = raw;
  int words = 0;
  while (std::regex_search(rest, m, std::regex("=\\?UTF-8\\?B\\?[^?]*\\?="))) {
    EXPECT_LE(m.length(0), 75) << m.str(0);
    ++words;
    rest = m.suffix();
  }
  EXPECT_GE(words, 3) << "the subject is long enough to fold";
}

TEST(SmtpTest, APlainAsciiNameIsWrittenAsItIs) {
  Email e = Confirmation();
  e.from_name = "Nichinan City";
  e.subject = "Reminder";
  const auto parsed = ParseEmail(ComposeEmail(e, kNow));
  EXPECT_EQ(parsed.headers.at("From"), "Nichinan City <yoyaku@city.nichinan.example.jp>");
  EXPECT_EQ(parsed.headers.at("Subject"), "Reminder");
  e.from_name = "";
  EXPECT_EQ(ParseEmail(ComposeEmail(e, kNow)).headers.at("From"), "<yoyaku@city.nichinan.example.jp>");
}

TEST(SmtpTest, OptionsAreCheckedByName) {
  EXPECT_EQ(ValidateSmtpOptions({"http://relay", "", "", false, 1000}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateSmtpOptions({"http://relay", "", "", false, 1000}).field(), "smtp-url");
  EXPECT_EQ(ValidateSmtpOptions({"smtp://", "", "", false, 1000}).field(), "smtp-url");
  EXPECT_EQ(ValidateSmtpOptions({"smtp://relay:587", "user", "", false, 1000}).field(), "smtp-pass");
  EXPECT_TRUE(ValidateSmtpOptions({"smtps://relay.example.jp:465", "user", "pw", false, 1000}).ok());
}

TEST(SmtpTest, ARealServerReceivesItAndRefusesAnUnknownMailboxForGood) {
  std::string output;
  SmtpSink sink = SmtpSink::Start(&output);
  ASSERT_FALSE(sink.url.empty()) << "the SMTP sink did not start: " << output;
  SmtpClient client({sink.url, "", "", false, 5000});
  ASSERT_TRUE(client.Send(Confirmation(), kNow).ok());
  Email second = Confirmation();
  second.message_id = 43;
  second.to = "taro@example.jp";
  ASSERT_TRUE(client.Send(second, kNow).ok()) << "the same client sends again";
  Email unknown = Confirmation();
  unknown.to = "unknown.person@example.jp";
  Status refused = client.Send(unknown, kNow);
  EXPECT_THAT(refused, StatusIs(StatusCode::kInvalidArgument, "email_rejected"));
  EXPECT_THAT(refused.message(), HasSubstr("550"));
  auto got = sink.ReceivedBy("hanako@example.jp");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].subject, Confirmation().subject);
  EXPECT_THAT(got[0].text, HasSubstr("予約番号 K7QM-4XRT"));
  EXPECT_EQ(sink.ReceivedBy("taro@example.jp").size(), 1u);
  EXPECT_EQ(sink.Received().size(), 2u) << "nothing for the refused mailbox";
  sink.Stop();

  // The server gone: retried later, never failed for good.
  Status down = SmtpClient({sink.url, "", "", false, 2000}).Send(Confirmation(), kNow);
  EXPECT_THAT(down, StatusIs(StatusCode::kUnavailable, "email_unavailable"));
}

TEST(SmtpTest, AnAddressThatCouldBreakAHeaderIsNeverSent) {
  SmtpClient client({"smtp://127.0.0.1:9", "", "", false, 1000});
  Email e = Confirmation();
  e.to = "hanako@example.jp>\r\nBcc: <all@example.jp";
  EXPECT_EQ(client.Send(e, kNow).key(), "email_rejected");
  EXPECT_EQ(client.Send(e, kNow).field(), "to");
  EXPECT_EQ(SmtpClient({"", "", "", false, 1000}).Send(Confirmation(), kNow).key(), "email_not_configured");
}

}  // namespace
}  // namespace madoguchi::channels
