// Issue #13's check-ins by LINE: a home-care patient links the tenant's LINE account by sending
// the word their status page shows (only where the tenant has LINE set up), and from then on the
// doctor's result and the daily check-ins go to that LINE user; a number replied in LINE is the
// day's report; a wrong word is told plainly and counted, five in 15 minutes stop a LINE user
// (even with the right one), another LINE user cannot take a linked word over, another tenant's
// account knows nothing of it, and an unfollow sends the check-ins back to SMS.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "care/follow_up.hpp"
#include "common/text.hpp"
#include "messaging/templates.hpp"
#include "store/care/follow_up.hpp"
#include "store/line/line.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/messages.hpp"
#include "support/care_forms.hpp"
#include "support/line_stand_in.hpp"
#include "support/web_fixture.hpp"
#include "web/ui/messages.hpp"
#include "web/web_app.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using ::testing::HasSubstr;
using testing::HeaderOf;
using testing::kForeignTenant;
using testing::kOwnTenant;
using ::testing::Not;
using testing::WebFixture;

constexpr int64_t kNow = 1'796'184'000'000;  // 2026-12-02 13:00 in Japan
constexpr int64_t kHour = 3'600'000;
constexpr const char* kOther = "U0000000000000000000000000000beef";

class LineFollowUpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fx_ = std::make_unique<WebFixture>(GetParam(), WebSettings{}, stand_in_.base());
    MADOGUCHI_REQUIRE_DB(fx_->test_db());
    MADOGUCHI_REQUIRE_SHARED_DATA("kits");
    ASSERT_TRUE(fx_->ready());
    fx_->clock().SetMs(kNow);
    doctor_ = fx_->AddUser("dr", Role::kDoctor, {kOwnTenant});
    HttpResponse applied =
        fx_->Send(testing::ResidentPost(std::string("/r/") + kOwnTenant + "/care/apply", testing::CareForm("kit_032.jpg")));
    ASSERT_EQ(applied.status, 303) << applied.body;
    status_ = HeaderOf(applied, "Location");
    status_ = status_.substr(0, status_.find('?'));
    auto secret = LoadSigningSecret(fx_->db(), fx_->clock());
    ASSERT_TRUE(secret.ok());
    secret_ = *secret;
  }
  void SetUpLine() {
    ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                  return store::SaveLineChannel(c, kOwnTenant, {testing::kLineSecret, testing::kLineToken}, fx_->clock().NowMs());
                }).ok());
  }
  // The word the status page shows, as shown (「連携 ABCDE-FGHJK」); empty when none is.
  std::string LinkWord() {
    HttpResponse page = fx_->Send(Call{"GET", status_});
    EXPECT_EQ(page.status, 200) << page.body;
    std::smatch m;
    static const std::regex word("連携 <span class=\"nowrap\">([A-Z2-9]{5}-[A-Z2-9]{5})</span>");
    if (!std::regex_search(page.body, m, word)) return "";
    return "連携 " + m[1].str();
  }
  // A webhook call as LINE makes it; its status.
  int Deliver(const std::string& body, const std::string& tenant = kOwnTenant) {
    Call c{"POST", std::string("/line/webhook/") + tenant};
    c.body = body;
    c.Header("Content-Type", "application/json; charset=utf-8");
    c.Header("X-Line-Signature", channels::LineSignature(testing::kLineSecret, body));
    HttpResponse r = fx_->Send(c);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status;
  }
  // A text from `user` to the tenant's LINE account; what LINE was asked to answer.
  std::string Say(const std::string& text, const std::string& user = testing::kLineUser, const std::string& tenant = kOwnTenant) {
    const std::string n = std::to_string(++events_);
    const std::string body = testing::Event("01HL" + n + "ABCDEFGHJKMNPQRSTVWXYZ", "message",
                                            {{"message", {{"type", "text"}, {"id", n}, {"text", text}}}}, "rt-" + n, false, user);
    EXPECT_EQ(Deliver(body, tenant), 200);
    const auto log = stand_in_.log();
    if (log.empty()) return "";
    return nlohmann::json::parse(log.back().body)["messages"][0]["text"];
  }
  void Confirm() {
    const auto session = fx_->SessionFor(doctor_);
    HttpResponse next = fx_->SendAs(session, Call{"POST", std::string("/t/") + kOwnTenant + "/care/next"});
    ASSERT_EQ(next.status, 303) << next.body;
    ASSERT_EQ(fx_->SendAs(session, Call{"POST", HeaderOf(next, "Location") + "/decision"}.Param("decision", "confirm")).status, 200);
  }
  void Round() {
    const care::FollowUpService follow_up(fx_->clock(), secret_);
    ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                  store::SqlFollowUpPort port(c);
                  return follow_up.Round(port, kOwnTenant, 100).status();
                }).ok());
  }
  // The newest outbox message of `template_key`.
  store::StoredMessage Newest(const std::string& template_key) {
    std::vector<store::StoredMessage> all;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(all, store::ListMessages(c, kOwnTenant, 100));
                  return Status::Ok();
                }).ok());
    for (auto m = all.rbegin(); m != all.rend(); ++m) {
      if (m->message.template_key == template_key) return *m;
    }
    ADD_FAILURE() << "no " << template_key << " in the outbox";
    return {};
  }
  // The worker's record of message `id` sent to `address` on `channel`.
  void Sent(int64_t id, messaging::Delivery channel, const std::string& address) {
    ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(auto claimed, store::ClaimMessages(c, "w", fx_->clock().NowMs() + kHour, 60'000, 100));
                  std::vector<store::AttemptOutcome> outcomes;
                  for (const auto& m : claimed) {
                    if (m.stored.id != id) continue;
                    store::AttemptOutcome o;
                    o.id = id;
                    o.channel = channel;
                    o.address_used = address;
                    outcomes.push_back(o);
                  }
                  EXPECT_EQ(outcomes.size(), 1u);
                  return store::RecordOutcomes(c, "w", outcomes, fx_->clock().NowMs()).status();
                }).ok());
  }
  std::vector<std::string> Sources() {
    std::vector<std::string> out;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT source FROM care_reports ORDER BY id"));
                  for (const auto& r : rows) out.push_back(r.Text(0));
                  return Status::Ok();
                }).ok());
    return out;
  }

  testing::LineStandIn stand_in_;
  std::unique_ptr<WebFixture> fx_;
  int64_t doctor_ = 0;
  std::string status_, secret_;
  int events_ = 0;
};

TEST_P(LineFollowUpTest, APatientLinkedInLineGetsTheResultAndCheckInsThereAndRepliesWithANumber) {
  EXPECT_EQ(LinkWord(), "") << "no LINE account, nothing offered";
  SetUpLine();
  const std::string word = LinkWord();
  ASSERT_FALSE(word.empty());
  EXPECT_EQ(LinkWord(), word) << "the same word each time the page opens";

  // Typed as people do with an IME on: in hiragana, full-width lower case, no hyphen.
  std::string typed = "れんけい　";
  for (char ch : word.substr(std::string("連携 ").size())) {
    if (ch >= 'A' && ch <= 'Z') typed += std::string{'\xEF', '\xBD', static_cast<char>(0x81 + (ch - 'A'))};  // ａ..ｚ
    if (ch >= '0' && ch <= '9') typed += std::string{'\xEF', '\xBC', static_cast<char>(0x90 + (ch - '0'))};  // ０..９
  }
  EXPECT_EQ(Say(typed), ui::LineLinkText(care::LineLinkOutcome::kLinked));
  EXPECT_EQ(Say(word), ui::LineLinkText(care::LineLinkOutcome::kAlreadyLinked));
  EXPECT_EQ(Say(word, kOther), ui::LineLinkText(care::LineLinkOutcome::kUsedByAnother)) << "a word links one LINE user";
  EXPECT_THAT(fx_->Send(Call{"GET", status_}).body, HasSubstr("LINEで受け取っています"));
  EXPECT_THAT(fx_->AuditActions(kOwnTenant), ::testing::Contains("care.line_link"));

  // The doctor's result goes there.
  Confirm();
  const store::StoredMessage confirmed = Newest("care_confirmed");
  EXPECT_EQ(confirmed.message.channels, std::vector<messaging::Delivery>{messaging::Delivery::kLine});
  EXPECT_EQ(confirmed.message.address, testing::kLineUser);

  // So does the next morning's check-in; a number replied in LINE is the day's report.
  fx_->clock().SetMs(kNow + 20 * kHour);
  Round();
  const store::StoredMessage check_in = Newest("care_check_in");
  EXPECT_EQ(check_in.message.channels, std::vector<messaging::Delivery>{messaging::Delivery::kLine});
  EXPECT_EQ(check_in.message.address, testing::kLineUser);
  Sent(check_in.id, messaging::Delivery::kLine, testing::kLineUser);
  EXPECT_EQ(Say("１"), ui::LineCheckInTakenText(care::Advice::kThanks));
  EXPECT_EQ(Sources(), std::vector<std::string>{"number_reply"});
  EXPECT_EQ(Say("3"), ui::LineCheckInTakenText(care::Advice::kWeWillCall)) << "a later number is a new report";

  // Unfollowing the account sends the next check-in by SMS, and the page offers LINE again.
  ASSERT_EQ(Deliver(testing::Event("01HLUNFOLLOW0000ABCDEFGHJKMNPQRS", "unfollow", {})), 200);
  EXPECT_EQ(LinkWord(), word);
  fx_->clock().SetMs(kNow + 44 * kHour);
  Round();
  const store::StoredMessage by_sms = Newest("care_check_in");
  EXPECT_NE(by_sms.id, check_in.id);
  EXPECT_EQ(by_sms.message.channels, std::vector<messaging::Delivery>{messaging::Delivery::kSms});
  EXPECT_EQ(by_sms.message.address, "+819012345678");
}

// Where the account's ID is known (an admin checked the token), the page opens LINE at the
// account with the word already written.
TEST_P(LineFollowUpTest, ThePageOpensLineWithTheWordWrittenWhenTheAccountsIdIsKnown) {
  SetUpLine();
  const std::string word = LinkWord();
  ASSERT_FALSE(word.empty());
  EXPECT_THAT(fx_->Send(Call{"GET", status_}).body, Not(HasSubstr("line.me/R/oaMessage")));
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                return store::SaveLineBasicId(c, kOwnTenant, testing::kLineToken, "@123abcde");
              }).ok());
  const std::string page = fx_->Send(Call{"GET", status_}).body;
  EXPECT_THAT(page, HasSubstr("（LINE ID：@123abcde）"));
  EXPECT_THAT(page, HasSubstr("href=\"https://line.me/R/oaMessage/%40123abcde/?" + text::PercentEncode(word) + "\""));
  EXPECT_THAT(page, HasSubstr("LINEを開いて、このことばを送る"));
}

TEST_P(LineFollowUpTest, WrongWordsAreToldAndCountedAndAnotherTenantKnowsNothingOfTheWord) {
  SetUpLine();
  const std::string word = LinkWord();
  ASSERT_FALSE(word.empty());
  EXPECT_EQ(Say("連携したいです"), ui::LineLinkText(care::LineLinkOutcome::kMalformed));
  EXPECT_EQ(Say("連携 ABCDE-FGHJK"), ui::LineLinkText(care::LineLinkOutcome::kUnknownCode));
  // Ordinary texts are not taken for a word: the booking conversation answers them.
  EXPECT_THAT(Say("こんにちは"), Not(HasSubstr("連携")));
  EXPECT_THAT(Say("ABCDEFGHJK"), Not(HasSubstr("申請が見つかりません")));

  // Another tenant's account: the same word finds nothing there.
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                return store::SaveLineChannel(c, kForeignTenant, {testing::kLineSecret, testing::kLineToken}, fx_->clock().NowMs());
              }).ok());
  EXPECT_EQ(Say(word, kOther, kForeignTenant), ui::LineLinkText(care::LineLinkOutcome::kUnknownCode));

  // Five wrong words in 15 minutes: the sixth try is refused unread, the right word too; another
  // LINE user is not held up; after 15 minutes it goes through.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(Say("連携 ZZZZZ-ZZZZ" + std::to_string(2 + i)), ui::LineLinkText(care::LineLinkOutcome::kUnknownCode));
  EXPECT_EQ(Say(word), ui::LineLinkText(care::LineLinkOutcome::kThrottled));
  EXPECT_EQ(Newest("care_received").message.channels, std::vector<messaging::Delivery>{messaging::Delivery::kSms});
  fx_->clock().SetMs(kNow + 16 * 60'000);
  EXPECT_EQ(Say(word), ui::LineLinkText(care::LineLinkOutcome::kLinked));

  // Refused or ended applications link nothing: the page stops offering it.
  const auto session = fx_->SessionFor(doctor_);
  HttpResponse next = fx_->SendAs(session, Call{"POST", std::string("/t/") + kOwnTenant + "/care/next"});
  ASSERT_EQ(next.status, 303);
  ASSERT_EQ(
      fx_->SendAs(
             session,
             Call{"POST", HeaderOf(next, "Location") + "/decision"}.Param("decision", "not_eligible").Param("reason", "基礎疾患があるため"))
          .status,
      200);
  EXPECT_EQ(LinkWord(), "");
  EXPECT_EQ(Say(word), ui::LineLinkText(care::LineLinkOutcome::kEnded));
}

// The patient can undo the link on their status page, and staff on the patient's record (a
// patient who phones: a new phone, or a word someone else sent); the record says how messages
// reach the patient.
TEST_P(LineFollowUpTest, ThePatientOrStaffUndoTheLinkAndMessagesGoBySmsAgain) {
  SetUpLine();
  const std::string word = LinkWord();
  ASSERT_EQ(Say(word), ui::LineLinkText(care::LineLinkOutcome::kLinked));
  Confirm();
  int64_t episode = 0;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM care_episodes"));
                episode = rows.at(0).Int(0);
                return Status::Ok();
              }).ok());
  const std::string record = std::string("/t/") + kOwnTenant + "/care/patients/" + std::to_string(episode);
  const auto op = fx_->SessionFor(fx_->AddUser("op", Role::kOperator, {kOwnTenant}));
  HttpResponse shown = fx_->SendAs(op, Call{"GET", record});
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_THAT(shown.body, HasSubstr("<dt>ご案内の受け取り方</dt><dd>LINE"));
  EXPECT_THAT(shown.body, HasSubstr("LINEの連携を解除する"));

  // Staff undo it.
  HttpResponse undone = fx_->SendAs(op, Call{"POST", record + "/line"});
  ASSERT_EQ(undone.status, 303) << undone.body;
  HttpResponse after = fx_->SendAs(op, Call{"GET", HeaderOf(undone, "Location")});
  EXPECT_THAT(after.body, HasSubstr("LINEの連携を解除しました。これからのご案内はショートメッセージで送ります。"));
  EXPECT_THAT(after.body, HasSubstr("<dt>ご案内の受け取り方</dt><dd>ショートメッセージ"));
  EXPECT_THAT(after.body, Not(HasSubstr("LINEの連携を解除する")));
  EXPECT_THAT(fx_->AuditActions(kOwnTenant), ::testing::Contains("care.line_unlink"));
  fx_->clock().SetMs(kNow + 20 * kHour);
  Round();
  EXPECT_EQ(Newest("care_check_in").message.channels, std::vector<messaging::Delivery>{messaging::Delivery::kSms});

  // Linked again, the patient undoes it on the status page, which offers LINE again.
  ASSERT_EQ(Say(word), ui::LineLinkText(care::LineLinkOutcome::kLinked));
  HttpResponse page = fx_->Send(Call{"GET", status_});
  EXPECT_THAT(page.body, HasSubstr("ショートメッセージに戻す"));
  HttpResponse back = fx_->Send(testing::ResidentPost(status_ + "/line", {}));
  ASSERT_EQ(back.status, 303) << back.body;
  EXPECT_EQ(LinkWord(), word);
  EXPECT_EQ(fx_->Send(testing::ResidentPost(status_ + "/line", {})).status, 303) << "twice is harmless";
  // Without the residents' CSRF field, nothing is undone.
  ASSERT_EQ(Say(word), ui::LineLinkText(care::LineLinkOutcome::kLinked));
  EXPECT_EQ(fx_->Send(Call{"POST", status_ + "/line"}).status, 403);
  EXPECT_THAT(fx_->Send(Call{"GET", status_}).body, HasSubstr("LINEで受け取っています"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LineFollowUpTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web
