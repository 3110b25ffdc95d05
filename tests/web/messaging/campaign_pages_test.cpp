// 一斉送信 pages: a supervisor uploads a list and a text, sees recipients, parts and cost before
// anything is queued, sends it, and sees its progress; bad rows are listed in Japanese by row and
// column and queue nothing; operators cannot reach the pages; each step is audited.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time_format.hpp"
#include "store/audit/audit_log.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "store/outbox/campaigns.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/messages.hpp"
#include "support/status_matchers.hpp"
#include "support/web_fixture.hpp"
#include "web/jobs/job_runner.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using testing::kOwnTenant;
using testing::WebFixture;

class CampaignPagesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fx_ = std::make_unique<WebFixture>(GetParam());
    MADOGUCHI_REQUIRE_DB(fx_->test_db());
    ASSERT_TRUE(fx_->ready());
  }
  std::string Base() const { return std::string("/t/") + kOwnTenant + "/campaigns"; }
  int64_t CountMessages() {
    int64_t n = 0;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT COUNT(*) FROM messages WHERE campaign_id IS NOT NULL"));
                  n = rows.at(0).Int(0);
                  return Status::Ok();
                }).ok());
    return n;
  }
  // What a job thread of serve or worker does: every job waiting, run.
  int RunJobs() {
    int ran = 0;
    for (;;) {
      auto r = RunNextJob(fx_->db(), fx_->clock(), "test-runner");
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (!r.ok() || !*r) return ran;
      ++ran;
    }
  }
  std::unique_ptr<WebFixture> fx_;
};

TEST_P(CampaignPagesTest, APreviewShowsRecipientsPartsAndCostAndQueuesNothingUntilSent) {
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-c", Role::kSupervisor, {kOwnTenant}));
  const std::string csv = "電話番号,氏名\n090-1111-2222,日南 花子\n080-3333-4444,日南 次郎\n";
  auto made = fx_->SendAs(sup, Call{"POST", Base()}
                                   .Param("name", "接種券の発送のお知らせ")
                                   .Param("body", "{氏名}様　日南市です。接種券を本日発送しました。届きましたら予約をお願いします。")
                                   .Param("file", csv));
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string page = testing::HeaderOf(made, "Location");
  ASSERT_TRUE(page.starts_with(Base() + "/")) << page;
  EXPECT_EQ(CountMessages(), 0) << "a preview queues nothing";

  auto preview = fx_->SendAs(sup, Call{"GET", page});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_NE(preview.body.find("送る前の確認"), std::string::npos);
  EXPECT_NE(preview.body.find("<dd>2 人</dd>"), std::string::npos) << preview.body;
  EXPECT_NE(preview.body.find("最大 1 通分"), std::string::npos) << preview.body;
  EXPECT_NE(preview.body.find("6 円"), std::string::npos) << "2 parts at ¥3.00: " << preview.body;
  EXPECT_NE(preview.body.find("日南 花子様　日南市です。"), std::string::npos) << "the first recipient's text";

  auto sent = fx_->SendAs(sup, Call{"POST", page + "/send"});
  ASSERT_EQ(sent.status, 303) << sent.body;
  // The messages are written by a job, not the request: the page says it is preparing.
  EXPECT_EQ(CountMessages(), 0);
  auto preparing = fx_->SendAs(sup, Call{"GET", testing::HeaderOf(sent, "Location")});
  EXPECT_NE(preparing.body.find("送信を受け付けました。準備ができると送信が始まります。"), std::string::npos) << preparing.body;
  EXPECT_NE(preparing.body.find("宛先ごとのお知らせを作っています。"), std::string::npos);
  EXPECT_NE(preparing.body.find("http-equiv=\"refresh\" content=\"2\""), std::string::npos);
  EXPECT_EQ(preparing.body.find(">送信する</button>"), std::string::npos) << "not sent twice";
  EXPECT_EQ(fx_->SendAs(sup, Call{"POST", page + "/send"}).status, 409) << "a second send while the first is prepared";
  EXPECT_EQ(RunJobs(), 1) << "one job for the campaign";
  EXPECT_EQ(CountMessages(), 2);
  auto progress = fx_->SendAs(sup, Call{"GET", testing::HeaderOf(sent, "Location")});
  ASSERT_EQ(progress.status, 200);
  EXPECT_NE(progress.body.find("送信を始めました。"), std::string::npos) << progress.body;
  EXPECT_NE(progress.body.find("送信の状況"), std::string::npos);
  EXPECT_NE(progress.body.find("送信待ち"), std::string::npos) << progress.body;
  EXPECT_NE(progress.body.find("http-equiv=\"refresh\""), std::string::npos) << "the page follows the sending";
  auto again = fx_->SendAs(sup, Call{"POST", page + "/send"});
  EXPECT_EQ(again.status, 409) << "a campaign is sent once";
  EXPECT_EQ(CountMessages(), 2);
  auto paused = fx_->SendAs(sup, Call{"POST", page + "/pause"});
  EXPECT_EQ(paused.status, 303);
  auto shown = fx_->SendAs(sup, Call{"GET", page});
  EXPECT_NE(shown.body.find("一時停止中"), std::string::npos);
  EXPECT_NE(shown.body.find("再開する"), std::string::npos);
  auto list = fx_->SendAs(sup, Call{"GET", Base()});
  EXPECT_NE(list.body.find("接種券の発送のお知らせ"), std::string::npos);

  std::vector<store::AuditEntry> log;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(log, store::ListAudit(c, kOwnTenant, 20, 0, {}));
                return Status::Ok();
              }).ok());
  std::vector<std::string> actions;
  for (const auto& e : log) actions.push_back(e.action);
  EXPECT_THAT(actions, ::testing::IsSupersetOf({"campaign.create", "campaign.send", "campaign.pause"}));
}

// Issue #12 §1: a campaign's expansion is a job. When the list no longer passes by the time the job
// reads it (the part limit was lowered after the preview), nothing is written and the campaign's
// page says why; the draft can be sent again once it passes.
TEST_P(CampaignPagesTest, ASendThatNoLongerPassesWritesNothingAndSaysWhyAndMayBeSentAgain) {
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-j", Role::kSupervisor, {kOwnTenant}));
  std::string body;
  for (int i = 0; i < 80; ++i) body += "あ";  // two parts
  auto made =
      fx_->SendAs(sup, Call{"POST", Base()}.Param("name", "長い文面").Param("body", body).Param("file", "電話番号\n090-1111-2222\n"));
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string page = testing::HeaderOf(made, "Location");
  auto limit = [&](int parts) {
    messaging::SendingSettings settings;
    settings.max_sms_parts = parts;
    ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) {
                  return store::SaveSendingSettings(c, kOwnTenant, settings, fx_->clock().NowMs());
                }).ok());
  };
  ASSERT_EQ(fx_->SendAs(sup, Call{"POST", page + "/send"}).status, 303);
  limit(1);
  EXPECT_EQ(RunJobs(), 1);
  EXPECT_EQ(CountMessages(), 0) << "nothing written";
  auto failed = fx_->SendAs(sup, Call{"GET", page});
  EXPECT_NE(failed.body.find("送信できませんでした。宛先に直すところがあります。何も送っていません。"), std::string::npos) << failed.body;
  EXPECT_NE(failed.body.find("確認中（まだ送っていません）"), std::string::npos) << "still a draft";
  limit(4);
  ASSERT_EQ(fx_->SendAs(sup, Call{"POST", page + "/send"}).status, 303) << "sent again";
  EXPECT_EQ(RunJobs(), 1);
  EXPECT_EQ(CountMessages(), 1);
}

// Issue #12 (saved segments): recipients chosen by their bookings instead of a file — booked on
// a day (with {日時} and {会場}), or not yet booked — read again when sent; residents with neither a
// mobile nor an email are counted, not listed; a household sharing one phone gets one message each.
TEST_P(CampaignPagesTest, ASegmentPicksTheResidentsBookedOnADayOrNotYetBookedAndIsReadAgainWhenSent) {
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-s", Role::kSupervisor, {kOwnTenant}));
  const Day tomorrow = JapanDay(fx_->clock().NowMs()) + std::chrono::days{1};
  const int64_t at10 = JapanMidnightMs(tomorrow) + 10 * 3'600'000;
  std::vector<int64_t> residents;
  ASSERT_TRUE(
      store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
        std::vector<booking::Resident> list;
        const char* phones[] = {"090-1111-2222", "090-1111-2222", "0987-31-1111", "0987-31-2222",
                                "080-5555-6666", "070-7777-8888", "070-9999-0000"};
        for (int i = 0; i < 7; ++i) {
          booking::Resident r;
          r.address_number = std::to_string(9100 + i);
          r.ticket_number = std::to_string(9100000000LL + i);
          r.name = "日南 " + std::to_string(i) + "子";
          r.name_kana = "ニチナン";
          r.birth_date = *ParseIsoDate("1940-01-01");
          r.address = "日南市";
          r.phone = phones[i];
          list.push_back(r);
        }
        store::SqlBookingPort port(c);
        MADOGUCHI_RETURN_IF_ERROR(port.UpsertResidents(kOwnTenant, list, 1));
        MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM residents WHERE address_number LIKE '91%' ORDER BY "
                                                      "address_number"));
        for (const auto& r : rows) residents.push_back(r.Int(0));
        MADOGUCHI_RETURN_IF_ERROR(store::SetResidentEmail(c, kOwnTenant, residents[3], "yonko@example.jp", 1));
        MADOGUCHI_ASSIGN_OR_RETURN(int64_t venue, store::InsertVenue(c, kOwnTenant, {"市民会館", "日南市中央通1-1"}, 1));
        MADOGUCHI_ASSIGN_OR_RETURN(int64_t slot, store::InsertSlot(c, kOwnTenant, venue, {at10, at10 + 1'800'000, 10, "pfizer", 1}, 1));
        MADOGUCHI_ASSIGN_OR_RETURN(int64_t later,
                                   store::InsertSlot(c, kOwnTenant, venue, {at10 + 86'400'000, at10 + 88'200'000, 10, "pfizer", 1}, 1));
        // 0, 1 (one household's phone) and 2, 3 (landlines; 3 gave an email) tomorrow; 4 the day after.
        const int64_t slot_of[] = {slot, slot, slot, slot, later};
        for (int i = 0; i < 5; ++i) {
          MADOGUCHI_RETURN_IF_ERROR(c.Query("INSERT INTO bookings (tenant_code, resident_id, dose, slot_id, state, channel, "
                                            "confirmation_code, created_at, updated_at) VALUES (?, ?, 1, ?, 'booked', 'web', ?, 1, 1)",
                                            {std::string(kOwnTenant), residents[i], slot_of[i], "SEGCODE" + std::to_string(i)})
                                        .status());
        }
        // 5 has no booking; 6 neither, but was vaccinated elsewhere (the VRS record).
        return c
            .Query(
                "INSERT INTO vaccinations (tenant_code, resident_id, dose, vaccinated_on, vaccine, source, recorded_at) "
                "VALUES (?, ?, 1, '2026-11-01', 'pfizer', 'vrs', 1)",
                {std::string(kOwnTenant), residents[6]})
            .status();
      }).ok());
  auto made = fx_->SendAs(sup, Call{"POST", Base()}
                                   .Param("name", "明日の会場変更")
                                   .Param("body", "{氏名}様　{日時}の接種は{会場}の2階に変わりました。")
                                   .Param("source", "booked_on")
                                   .Param("day", FormatIsoDate(tomorrow)));
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string page = testing::HeaderOf(made, "Location");
  auto preview = fx_->SendAs(sup, Call{"GET", page});
  ASSERT_EQ(preview.status, 200);
  EXPECT_NE(preview.body.find(FormatMonthDayJa(tomorrow) + "に予約のある方"), std::string::npos) << preview.body;
  EXPECT_NE(preview.body.find("<dd>3 人（うちメールで 1 人）</dd>"), std::string::npos) << preview.body;
  EXPECT_NE(preview.body.find("<dd>1 人（携帯電話の番号もメールアドレスもないため、送りません）</dd>"), std::string::npos);
  EXPECT_NE(preview.body.find("日南 0子様　" + FormatMonthDayJa(tomorrow) + " 10:00の接種は市民会館の2階に変わりました。"),
            std::string::npos)
      << preview.body;
  // Before it is sent, one more resident is booked for tomorrow: the send reads the segment again.
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                return c
                    .Query(
                        "UPDATE bookings SET slot_id = (SELECT slot_id FROM bookings WHERE confirmation_code = 'SEGCODE0') "
                        "WHERE confirmation_code = 'SEGCODE4'")
                    .status();
              }).ok());
  auto sent = fx_->SendAs(sup, Call{"POST", page + "/send"});
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(RunJobs(), 1);
  std::vector<std::string> to;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT address FROM messages WHERE campaign_id IS NOT NULL ORDER BY id"));
                for (const auto& r : rows) to.push_back(r.Text(0));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(to, (std::vector<std::string>{"+819011112222", "+819011112222", "yonko@example.jp", "+818055556666"}));

  // Not yet booked: only the one with neither a booking nor a vaccination.
  auto unbooked = fx_->SendAs(
      sup,
      Call{"POST", Base()}.Param("name", "未予約の方へ").Param("body", "{氏名}様、予約はお済みですか。").Param("source", "not_booked"));
  ASSERT_EQ(unbooked.status, 303) << unbooked.body;
  auto unbooked_preview = fx_->SendAs(sup, Call{"GET", testing::HeaderOf(unbooked, "Location")});
  EXPECT_NE(unbooked_preview.body.find("まだ予約していない方"), std::string::npos);
  EXPECT_NE(unbooked_preview.body.find("<dd>1 人</dd>"), std::string::npos) << unbooked_preview.body;
  EXPECT_NE(unbooked_preview.body.find("日南 5子様、予約はお済みですか。"), std::string::npos);
  // Nobody left to reach: refused in Japanese, nothing kept.
  auto none = fx_->SendAs(sup, Call{"POST", Base()}
                                   .Param("name", "九日の方へ")
                                   .Param("body", "{氏名}様")
                                   .Param("source", "booked_on")
                                   .Param("day", FormatIsoDate(tomorrow + std::chrono::days{9})));
  EXPECT_EQ(none.status, 422);
  EXPECT_NE(none.body.find("この条件に当てはまり、連絡のつく方はいません。"), std::string::npos) << none.body;
  auto bad_day =
      fx_->SendAs(sup, Call{"POST", Base()}.Param("name", "x").Param("body", "y").Param("source", "booked_on").Param("day", "あした"));
  EXPECT_EQ(bad_day.status, 422);
  EXPECT_NE(bad_day.body.find("予約の日を選んでください"), std::string::npos) << bad_day.body;
  auto unknown = fx_->SendAs(sup, Call{"POST", Base()}.Param("name", "x").Param("body", "y").Param("source", "everyone"));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("宛先の選び方が正しくありません。"), std::string::npos) << unknown.body;
}

TEST_P(CampaignPagesTest, BadRowsAreListedInJapaneseByRowAndColumnAndNothingIsKept) {
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-d", Role::kSupervisor, {kOwnTenant}));
  const std::string csv = "電話番号,氏名\n090-1111-2222,日南 花子\n0987-31-1111,日南 太郎\n090-1111-2222,重複\n090-123,短い\n";
  auto r = fx_->SendAs(sup, Call{"POST", Base()}.Param("name", "お知らせ").Param("body", "{氏名}様").Param("file", csv));
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("宛先に直すところがあります。何も送っていません。"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("3行目「電話番号」：携帯電話の番号ではないため"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("4行目「電話番号」：同じ電話番号がもう一度出てきます。"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("5行目「電話番号」：携帯電話の番号（070・080・090で始まる11けた）を入れてください。"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("value=\"お知らせ\""), std::string::npos) << "what was typed is kept";
  auto unknown = fx_->SendAs(sup, Call{"POST", Base()}.Param("name", "お知らせ").Param("body", "{年齢}歳の方へ").Param("file", csv));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_NE(unknown.body.find("文面の {　} の中の名前が、ファイルの列の見出しにありません。"), std::string::npos) << unknown.body;
  auto no_file = fx_->SendAs(sup, Call{"POST", Base()}.Param("name", "お知らせ").Param("body", "こんにちは"));
  EXPECT_EQ(no_file.status, 422);
  EXPECT_NE(no_file.body.find("宛先のファイルを選んでください。"), std::string::npos);
  std::vector<store::CampaignRecord> list;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(list, store::ListCampaigns(c, kOwnTenant, 10));
                return Status::Ok();
              }).ok());
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(CountMessages(), 0);
}

TEST_P(CampaignPagesTest, OperatorsCannotReachThePages) {
  const auto op = fx_->SessionFor(fx_->AddUser("op-c", Role::kOperator, {kOwnTenant}));
  EXPECT_EQ(fx_->SendAs(op, Call{"GET", Base()}).status, 403);
  EXPECT_EQ(fx_->SendAs(op, Call{"POST", Base()}.Param("name", "x").Param("body", "x").Param("file", "電話番号\n09011112222\n")).status,
            403);
  EXPECT_EQ(CountMessages(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignPagesTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web

namespace madoguchi::web {
namespace {

TEST_P(CampaignPagesTest, TheStatusPageSaysWhenTheGatewayDoesNotAnswerAndWhenSendingIsBehind) {
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-s", Role::kSupervisor, {kOwnTenant}));
  const std::string page = std::string("/t/") + kOwnTenant + "/messaging";
  auto calm = fx_->SendAs(sup, Call{"GET", page});
  ASSERT_EQ(calm.status, 200) << calm.body;
  EXPECT_NE(calm.body.find("送信は順調です。"), std::string::npos);
  EXPECT_NE(calm.body.find("まだ送ったお知らせはありません。"), std::string::npos);
  const int64_t now = fx_->clock().NowMs();
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                messaging::Message m;
                m.tenant = kOwnTenant;
                m.address = "+819011112222";
                m.channels = {messaging::Delivery::kSms};
                m.template_key = "campaign_text";
                m.variables = {{"text", std::string("x")}};
                m.purpose = messaging::Purpose::kCampaign;
                m.due_at_ms = now - 10 * 60'000;  // due ten minutes ago
                m.dedupe_key = "t:1";
                MADOGUCHI_RETURN_IF_ERROR(store::EnqueueMessages(c, {m}, now));
                m.dedupe_key = "t:2";
                MADOGUCHI_RETURN_IF_ERROR(store::EnqueueMessages(c, {m}, now));
                return c.Query("UPDATE messages SET last_error = 'sms_gateway_unavailable' WHERE dedupe_key = 't:2'").status();
              }).ok());
  auto worried = fx_->SendAs(sup, Call{"GET", page});
  EXPECT_NE(worried.body.find("ショートメッセージの中継（Kannel）が応答していません。1 通が再送を待っています。"), std::string::npos)
      << worried.body;
  EXPECT_NE(worried.body.find("送る時刻を1分以上過ぎたお知らせが 2 通あります。"), std::string::npos) << worried.body;
  EXPECT_EQ(worried.body.find("送信は順調です。"), std::string::npos);
  const auto op = fx_->SessionFor(fx_->AddUser("op-s", Role::kOperator, {kOwnTenant}));
  EXPECT_EQ(fx_->SendAs(op, Call{"GET", page}).status, 403);
}

}  // namespace
}  // namespace madoguchi::web

namespace madoguchi::web {
namespace {

TEST_P(CampaignPagesTest, AnAdminSetsQuietHoursAndPriceAsTypedAndABadValueIsRefusedBesideItsField) {
  const auto adm = fx_->SessionFor(fx_->AddUser("adm-m", Role::kAdmin, {kOwnTenant}));
  const std::string page = std::string("/t/") + kOwnTenant + "/messaging/settings";
  auto shown = fx_->SendAs(adm, Call{"GET", page});
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find("value=\"21:00\""), std::string::npos) << "the default quiet hours";
  auto saved = fx_->SendAs(adm, Call{"POST", page}
                                    .Param("quiet_start", "２２：００")
                                    .Param("quiet_end", "7:30")
                                    .Param("max_sms_parts", "３")
                                    .Param("price", "3.3")
                                    .Param("sms_sender", "NichinanCty"));
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_NE(saved.body.find("保存しました。"), std::string::npos);
  messaging::SendingSettings back;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(back, store::GetSendingSettings(c, kOwnTenant));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(back.quiet_start_min, 22 * 60);
  EXPECT_EQ(back.quiet_end_min, 7 * 60 + 30);
  EXPECT_EQ(back.max_sms_parts, 3);
  EXPECT_EQ(back.sms_sen_per_part, 330);
  auto bad = fx_->SendAs(adm, Call{"POST", page}
                                  .Param("quiet_start", "22:00")
                                  .Param("quiet_end", "8:00")
                                  .Param("max_sms_parts", "12")
                                  .Param("price", "3")
                                  .Param("sms_sender", "x"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("1人に送る最大の通数は1から10です。"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("value=\"12\""), std::string::npos) << "kept as typed";
  auto price = fx_->SendAs(adm, Call{"POST", page}
                                    .Param("quiet_start", "22:00")
                                    .Param("quiet_end", "8:00")
                                    .Param("max_sms_parts", "2")
                                    .Param("price", "三円")
                                    .Param("sms_sender", "x"));
  EXPECT_EQ(price.status, 422);
  EXPECT_NE(price.body.find("1通分の料金は0円から1000円までで"), std::string::npos) << price.body;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(back, store::GetSendingSettings(c, kOwnTenant));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(back.max_sms_parts, 3) << "nothing saved when refused";
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-m", Role::kSupervisor, {kOwnTenant}));
  EXPECT_EQ(fx_->SendAs(sup, Call{"GET", page}).status, 403) << "settings are the admin's";
}

}  // namespace
}  // namespace madoguchi::web
