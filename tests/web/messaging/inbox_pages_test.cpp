// 返信の受信箱: an operator sees a resident's reply beside the message it answers, answers it by SMS
// to the same number (a message in the outbox) or marks it done; an empty answer is refused in
// Japanese and sends nothing; every read is audited.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time_format.hpp"
#include "store/audit/audit_log.hpp"
#include "store/booking/port.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/messages.hpp"
#include "store/outbox/replies.hpp"
#include "support/status_matchers.hpp"
#include "support/web_fixture.hpp"
#include "web/hooks/sms_hooks.hpp"
#include "web/web_app.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using testing::kOwnTenant;
using testing::WebFixture;

class InboxPagesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fx_ = std::make_unique<WebFixture>(GetParam());
    MADOGUCHI_REQUIRE_DB(fx_->test_db());
    ASSERT_TRUE(fx_->ready());
    const int64_t now = fx_->clock().NowMs();
    ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                  messaging::Message m;
                  m.tenant = kOwnTenant;
                  m.address = "+819011112222";
                  m.channels = {messaging::Delivery::kSms};
                  m.template_key = "campaign_text";
                  m.variables = {{"text", std::string("日南 花子様　接種券を本日発送しました。")}};
                  m.purpose = messaging::Purpose::kCampaign;
                  m.due_at_ms = now;
                  m.dedupe_key = "campaign:1:2";
                  MADOGUCHI_RETURN_IF_ERROR(store::EnqueueMessages(c, {m}, now));
                  MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM messages"));
                  store::Reply r;
                  r.tenant = kOwnTenant;
                  r.message_id = rows.at(0).Int(0);
                  r.from_address = "+819011112222";
                  r.body = "届きました。予約は電話でもできますか";
                  r.received_at_ms = now;
                  r.dedupe_key = "sms:test-1";
                  MADOGUCHI_ASSIGN_OR_RETURN(bool stored, store::RecordReply(c, r));
                  (void)stored;
                  MADOGUCHI_ASSIGN_OR_RETURN(auto ids, c.Query("SELECT id FROM replies"));
                  reply_id_ = ids.at(0).Int(0);
                  return Status::Ok();
                }).ok());
    op_ = std::make_unique<testing::Session>(fx_->SessionFor(fx_->AddUser("op-i", Role::kOperator, {kOwnTenant})));
  }
  std::string Base() const { return std::string("/t/") + kOwnTenant + "/inbox"; }
  std::vector<store::StoredMessage> Messages() {
    std::vector<store::StoredMessage> out;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(out, store::ListMessages(c, kOwnTenant, 10));
                  return Status::Ok();
                }).ok());
    return out;
  }
  std::unique_ptr<WebFixture> fx_;
  std::unique_ptr<testing::Session> op_;
  int64_t reply_id_ = 0;
};

TEST_P(InboxPagesTest, AReplyIsShownBesideWhatItAnswersAndAnsweredBySmsToTheSameNumber) {
  auto page = fx_->SendAs(*op_, Call{"GET", Base()});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("届きました。予約は電話でもできますか"), std::string::npos);
  EXPECT_NE(page.body.find("一斉送信「日南 花子様　接種券を本日発送しました。」"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("未読"), std::string::npos);
  EXPECT_NE(page.body.find("090-1111-2222"), std::string::npos) << "the number as people read it";

  auto empty = fx_->SendAs(*op_, Call{"POST", Base() + "/" + std::to_string(reply_id_) + "/answer"}.Param("text", "  "));
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("返信の文面を入れてください。"), std::string::npos) << empty.body;
  EXPECT_EQ(Messages().size(), 1u) << "nothing sent";

  auto answered =
      fx_->SendAs(*op_, Call{"POST", Base() + "/" + std::to_string(reply_id_) + "/answer"}.Param("text", "はい、お電話でも予約できます。"));
  ASSERT_EQ(answered.status, 303) << answered.body;
  const auto messages = Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].message.template_key, "reply_text");
  EXPECT_EQ(messages[1].message.address, "+819011112222") << "the same number";
  EXPECT_EQ(messages[1].message.purpose, messaging::Purpose::kReply);
  auto after = fx_->SendAs(*op_, Call{"GET", testing::HeaderOf(answered, "Location")});
  EXPECT_NE(after.body.find("返信を送りました"), std::string::npos);
  EXPECT_NE(after.body.find("対応済み"), std::string::npos);
  EXPECT_EQ(after.body.find("name=\"text\""), std::string::npos) << "a done reply has no answer form";

  auto unknown = fx_->SendAs(*op_, Call{"POST", Base() + "/999999/done"});
  EXPECT_EQ(unknown.status, 404);
  std::vector<store::AuditEntry> log;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(log, store::ListAudit(c, kOwnTenant, 20, 0, {}));
                return Status::Ok();
              }).ok());
  std::vector<std::string> actions;
  for (const auto& e : log) actions.push_back(e.action);
  EXPECT_THAT(actions, ::testing::IsSupersetOf({"inbox.read", "inbox.answer"}));
}

// Issue #12 §6: the thread beside the resident's record. The console's page of a resident lists
// what was sent to them (a booking notice by their record, a campaign by their number) and what
// they answered, newest first, with a way to answer; the inbox leads to the record. Another
// resident's page shows none of it.
TEST_P(InboxPagesTest, TheResidentsThreadIsBesideTheirRecordAndTheInboxLeadsToIt) {
  int64_t hanako = 0, jiro = 0;
  const int64_t now = fx_->clock().NowMs();
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                std::vector<booking::Resident> list;
                for (int i = 0; i < 2; ++i) {
                  booking::Resident r;
                  r.address_number = std::to_string(9200 + i);
                  r.ticket_number = std::to_string(9200000000LL + i);
                  r.name = i == 0 ? "日南 花子" : "日南 次郎";
                  r.name_kana = "ニチナン";
                  r.birth_date = *ParseIsoDate("1940-01-01");
                  r.address = "日南市";
                  r.phone = i == 0 ? "090-1111-2222" : "080-3333-4444";
                  list.push_back(r);
                }
                store::SqlBookingPort port(c);
                MADOGUCHI_RETURN_IF_ERROR(port.UpsertResidents(kOwnTenant, list, 1));
                MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM residents ORDER BY ticket_number"));
                hanako = rows.at(0).Int(0);
                jiro = rows.at(1).Int(0);
                // A booking notice to her record, sent earlier than the campaign.
                messaging::Message m;
                m.tenant = kOwnTenant;
                m.resident_id = hanako;
                m.channels = {messaging::Delivery::kSms};
                m.template_key = "booking_confirmed";
                m.variables = {{"confirmation_code", std::string("K7QM4XRT")}, {"starts_at_ms", now + 86'400'000}};
                m.due_at_ms = now - 3'600'000;
                m.dedupe_key = "booking:1:confirmed";
                MADOGUCHI_RETURN_IF_ERROR(store::EnqueueMessages(c, {m}, now - 3'600'000));
                return Status::Ok();
              }).ok());
  auto page = fx_->SendAs(*op_, Call{"GET", std::string("/t/") + kOwnTenant + "/console/residents/" + std::to_string(hanako)});
  ASSERT_EQ(page.status, 200) << page.body;
  const size_t thread = page.body.find("<h2 id=\"thread\">お知らせと返信</h2>");
  ASSERT_NE(thread, std::string::npos) << page.body;
  const std::string t = page.body.substr(thread);
  const size_t reply = t.find("届きました。予約は電話でもできますか");
  const size_t campaign = t.find("一斉送信「日南 花子様　接種券を本日発送しました。」");
  const size_t notice = t.find("予約が確定したお知らせ");
  ASSERT_NE(reply, std::string::npos) << t;
  ASSERT_NE(campaign, std::string::npos) << "a campaign to her number, though its list named no record: " << t;
  ASSERT_NE(notice, std::string::npos) << t;
  EXPECT_LT(campaign, notice) << "newest first";
  EXPECT_NE(t.find("この方から（ショートメッセージ）"), std::string::npos);
  EXPECT_NE(t.find("市から（ショートメッセージ・送信待ち）"), std::string::npos) << t;
  EXPECT_NE(t.find("<strong>未読</strong>"), std::string::npos);
  EXPECT_NE(t.find("href=\"/t/" + std::string(kOwnTenant) + "/inbox#r" + std::to_string(reply_id_) + "\""), std::string::npos)
      << "a way to answer it";

  auto other = fx_->SendAs(*op_, Call{"GET", std::string("/t/") + kOwnTenant + "/console/residents/" + std::to_string(jiro)});
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.body.find("届きました"), std::string::npos) << "not another resident's thread";
  EXPECT_NE(other.body.find("この方へのお知らせも、この方からの返信も、まだありません。"), std::string::npos);

  // A reply to the notice sent to her record: the inbox leads to her page.
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM messages WHERE resident_id IS NOT NULL"));
                store::Reply r;
                r.tenant = kOwnTenant;
                r.message_id = rows.at(0).Int(0);
                r.from_address = "+819011112222";
                r.body = "ありがとうございます";
                r.received_at_ms = now + 1000;
                r.dedupe_key = "sms:test-2";
                return store::RecordReply(c, r).status();
              }).ok());
  auto inbox = fx_->SendAs(*op_, Call{"GET", Base()});
  EXPECT_NE(inbox.body.find("（日南 花子 さん）"), std::string::npos) << inbox.body;
  EXPECT_NE(inbox.body.find("href=\"/t/" + std::string(kOwnTenant) + "/console/residents/" + std::to_string(hanako) + "#thread\""),
            std::string::npos)
      << inbox.body;
}

// A flood of SMS replies from one number is not stored past messaging::kMaxRepliesPerHour in an
// hour (it would bury everyone else's), and 「停止」 is honoured all the same.
TEST_P(InboxPagesTest, AFloodOfSmsRepliesIsCappedAndAStopIsStillHonoured) {
  const int64_t now = fx_->clock().NowMs();
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto claimed, store::ClaimMessages(c, "w", now, 60'000, 10));
                std::vector<store::AttemptOutcome> outcomes;
                for (const auto& m : claimed) {
                  store::AttemptOutcome o;
                  o.id = m.stored.id;
                  o.channel = messaging::Delivery::kSms;
                  o.address_used = "+819011112222";
                  outcomes.push_back(o);
                }
                return store::RecordOutcomes(c, "w", outcomes, now).status();
              }).ok());
  auto secret = LoadSigningSecret(fx_->db(), fx_->clock());
  ASSERT_TRUE(secret.ok());
  const std::string key = SmsHookKey(*secret);
  auto mo = [&](const std::string& mid, const std::string& text) {
    auto r = fx_->Send(Call{"GET", "/hooks/sms/mo"}.Param("key", key).Param("from", "+819011112222").Param("text", text).Param("mid", mid));
    EXPECT_EQ(r.status, 200) << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  };
  // The fixture's reply is the first of the hour.
  for (int i = 1; i < messaging::kMaxRepliesPerHour; ++i) EXPECT_EQ(mo("m" + std::to_string(i), "テスト")["stored"], true) << i;
  auto over = mo("m-over", "もう一度");
  EXPECT_EQ(over["matched"], true);
  EXPECT_EQ(over["stored"], false);
  EXPECT_EQ(over["flooded"], true);
  auto stop = mo("m-stop", "停止");
  EXPECT_EQ(stop["stored"], true);
  EXPECT_EQ(stop["stop"], true);
  std::vector<store::Reply> kept;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(kept, store::ListReplies(c, kOwnTenant, 100));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(kept.size(), static_cast<size_t>(messaging::kMaxRepliesPerHour + 1));
}

INSTANTIATE_TEST_SUITE_P(Backends, InboxPagesTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web
