// Issue #12 (short signed links): a campaign that ends its texts with a link counts the link in
// its parts before it is sent; each recipient's link is their own short code, which opens the
// booking page and is counted; the campaign shows who opened and who replied, over time and one
// by one (each look audited); a guessed, altered or expired code opens nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "messaging/links.hpp"
#include "store/audit/audit_log.hpp"
#include "store/outbox/campaigns.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/links.hpp"
#include "store/outbox/replies.hpp"
#include "support/status_matchers.hpp"
#include "support/web_fixture.hpp"
#include "web/jobs/job_runner.hpp"
#include "web/links/short_links.hpp"
#include "web/web_app.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using testing::kOwnTenant;
using testing::WebFixture;

constexpr char kPublic[] = "https://yoyaku.example.jp";

class ShortLinksTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    WebSettings settings;
    settings.public_url = kPublic;
    fx_ = std::make_unique<WebFixture>(GetParam(), settings);
    MADOGUCHI_REQUIRE_DB(fx_->test_db());
    ASSERT_TRUE(fx_->ready());
  }
  std::string Base() const { return std::string("/t/") + kOwnTenant + "/campaigns"; }

  // What a worker does with the campaign's messages: each gets its short link, and is sent.
  std::map<int64_t, std::string> SendAll() {
    auto secret = LoadSigningSecret(fx_->db(), fx_->clock());
    EXPECT_TRUE(secret.ok());
    const std::string key = ShortLinkKey(*secret);
    std::map<int64_t, std::string> codes;
    const int64_t now = fx_->clock().NowMs();
    EXPECT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(auto claimed, store::ClaimMessages(c, "w", now, 60'000, 100));
                  std::vector<store::NewShortLink> links;
                  std::vector<store::AttemptOutcome> outcomes;
                  uint64_t draw = 1000;
                  for (const auto& m : claimed) {
                    auto target = messaging::LinkTargetFor(m.stored.message, now);
                    EXPECT_TRUE(target.has_value()) << "a campaign with a link links every message";
                    links.push_back({m.stored.id, kOwnTenant, *target, messaging::ShortCode(draw++ * 7919, key)});
                    store::AttemptOutcome o;
                    o.id = m.stored.id;
                    o.channel = messaging::Delivery::kSms;
                    o.address_used = m.reach.phone;
                    o.parts = 2;
                    outcomes.push_back(o);
                  }
                  MADOGUCHI_ASSIGN_OR_RETURN(codes, store::LinksForMessages(c, links, now));
                  return store::RecordOutcomes(c, "w", outcomes, now).status();
                }).ok());
    return codes;
  }
  int64_t Opens(const std::string& code) {
    std::optional<store::ShortLink> l;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(l, store::FindShortLink(c, code));
                  return Status::Ok();
                }).ok());
    return l ? l->opens : -1;
  }
  std::unique_ptr<WebFixture> fx_;
};

TEST_P(ShortLinksTest, ACampaignsLinkIsCountedInItsPartsOpensTheBookingPageAndShowsWhoOpenedAndReplied) {
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-l", Role::kSupervisor, {kOwnTenant}));
  const std::string csv = "電話番号,氏名\n090-1111-2222,日南 花子\n080-3333-4444,日南 次郎\n";
  // 40 characters: one part alone, two with a space and a 36-character link.
  const std::string body = "日南市です。接種券を本日発送しました。届きましたら、お早めに予約をお願いします。よろしく";
  auto made = fx_->SendAs(
      sup, Call{"POST", Base()}.Param("name", "発送のお知らせ").Param("body", body).Param("file", csv).Param("link", "booking"));
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string page = testing::HeaderOf(made, "Location");
  auto preview = fx_->SendAs(sup, Call{"GET", page});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_NE(preview.body.find("最大 2 通分"), std::string::npos) << "the link's length is counted: " << preview.body;
  EXPECT_NE(preview.body.find(std::string(kPublic) + "/s/XXXXXXXX"), std::string::npos) << "the sample shows where the link goes";
  EXPECT_NE(preview.body.find("予約のページへの短いリンク"), std::string::npos);
  ASSERT_EQ(fx_->SendAs(sup, Call{"POST", page + "/send"}).status, 303);
  auto ran = RunNextJob(fx_->db(), fx_->clock(), "test-runner");
  ASSERT_TRUE(ran.ok() && *ran) << "the job writing its messages";

  const std::map<int64_t, std::string> codes = SendAll();
  ASSERT_EQ(codes.size(), 2u);
  const std::string code = codes.begin()->second;
  EXPECT_EQ(code.size(), messaging::kShortCodeLength);
  auto opened = fx_->Send(Call{"GET", "/s/" + code});
  EXPECT_EQ(opened.status, 303);
  EXPECT_EQ(testing::HeaderOf(opened, "Location"), std::string("/r/") + kOwnTenant) << "on to the booking page";
  fx_->Send(Call{"GET", "/s/" + code});
  EXPECT_EQ(Opens(code), 2) << "each open is counted";
  EXPECT_EQ(fx_->Send(Call{"HEAD", "/s/" + code}).status, 303);
  EXPECT_EQ(Opens(code), 2) << "a HEAD (a link preview) is not an open";

  // The other recipient replies.
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                store::Reply r;
                r.tenant = kOwnTenant;
                r.message_id = std::next(codes.begin())->first;
                r.from_address = "+818033334444";
                r.body = "予約しました";
                r.received_at_ms = fx_->clock().NowMs();
                r.dedupe_key = "mo:1";
                return store::RecordReply(c, r).status();
              }).ok());
  auto progress = fx_->SendAs(sup, Call{"GET", page});
  ASSERT_EQ(progress.status, 200);
  EXPECT_NE(progress.body.find("リンクを開いた：1 人（50%）"), std::string::npos) << progress.body;
  EXPECT_NE(progress.body.find("返信した：1 人（50%、返信 1 件）"), std::string::npos) << progress.body;
  EXPECT_NE(progress.body.find("<svg"), std::string::npos) << "the totals over time, as a chart";
  EXPECT_NE(progress.body.find("リンクを開いた</text>"), std::string::npos) << "its legend names the opened line";

  auto everyone = fx_->SendAs(sup, Call{"GET", page + "/recipients"});
  ASSERT_EQ(everyone.status, 200) << everyone.body;
  EXPECT_NE(everyone.body.find("090-1111-2222"), std::string::npos) << everyone.body;
  EXPECT_NE(everyone.body.find("開いた（2 回）"), std::string::npos) << everyone.body;
  EXPECT_NE(everyone.body.find("1 件"), std::string::npos) << "the reply beside its recipient";
  auto who_opened = fx_->SendAs(sup, Call{"GET", page + "/recipients?show=opened"});
  EXPECT_NE(who_opened.body.find("090-1111-2222"), std::string::npos);
  EXPECT_EQ(who_opened.body.find("080-3333-4444"), std::string::npos) << "only who opened: " << who_opened.body;
  auto who_replied = fx_->SendAs(sup, Call{"GET", page + "/recipients?show=replied"});
  EXPECT_NE(who_replied.body.find("080-3333-4444"), std::string::npos);
  EXPECT_EQ(who_replied.body.find("090-1111-2222"), std::string::npos);
  std::vector<store::AuditEntry> log;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(log, store::ListAudit(c, kOwnTenant, 50, 0, {}));
                return Status::Ok();
              }).ok());
  int reads = 0;
  for (const auto& e : log) reads += e.action == "campaign.recipients_read";
  EXPECT_EQ(reads, 3) << "each look at who got what is audited";
  const auto op = fx_->SessionFor(fx_->AddUser("op-l", Role::kOperator, {kOwnTenant}));
  EXPECT_EQ(fx_->SendAs(op, Call{"GET", page + "/recipients"}).status, 403);
}

TEST_P(ShortLinksTest, AGuessedAlteredOrExpiredCodeOpensNothingAndSaysSoInJapanese) {
  const auto sup = fx_->SessionFor(fx_->AddUser("sup-g", Role::kSupervisor, {kOwnTenant}));
  auto made = fx_->SendAs(sup, Call{"POST", Base()}
                                   .Param("name", "x")
                                   .Param("body", "お知らせです。")
                                   .Param("file", "電話番号\n090-1111-2222\n")
                                   .Param("link", "booking"));
  ASSERT_EQ(made.status, 303) << made.body;
  ASSERT_EQ(fx_->SendAs(sup, Call{"POST", testing::HeaderOf(made, "Location") + "/send"}).status, 303);
  auto ran = RunNextJob(fx_->db(), fx_->clock(), "test-runner");
  ASSERT_TRUE(ran.ok() && *ran);
  const std::string code = SendAll().begin()->second;

  auto guessed = fx_->Send(Call{"GET", "/s/Ab3dE9xY"});
  EXPECT_EQ(guessed.status, 404);
  EXPECT_NE(guessed.body.find("このリンクは使えません。"), std::string::npos) << guessed.body;
  EXPECT_EQ(guessed.body.find("href=\"/r/\""), std::string::npos) << "no way back to a municipality it does not know: " << guessed.body;
  std::string altered = code;
  altered[0] = altered[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(fx_->Send(Call{"GET", "/s/" + altered}).status, 404);
  EXPECT_EQ(fx_->Send(Call{"GET", "/s/" + code + "x"}).status, 404);
  EXPECT_EQ(fx_->Send(Call{"GET", "/s/" + code.substr(0, 7) + "%"}).status, 404);

  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                return c.Query("UPDATE short_links SET expires_at = ?", {fx_->clock().NowMs() - 1}).status();
              }).ok());
  auto expired = fx_->Send(Call{"GET", "/s/" + code});
  EXPECT_EQ(expired.status, 410);
  EXPECT_NE(expired.body.find("このリンクは有効期限が切れています。"), std::string::npos) << expired.body;
  EXPECT_NE(expired.body.find(std::string("href=\"/r/") + kOwnTenant + "\""), std::string::npos) << "a way to the municipality's page";
  EXPECT_EQ(Opens(code), 0) << "nothing opened, nothing counted";
}

TEST_P(ShortLinksTest, ALinkNeedsThePublicAddressAndTheChoiceIsDisabledWithout) {
  WebFixture bare(GetParam());
  ASSERT_TRUE(bare.ready());
  const auto sup = bare.SessionFor(bare.AddUser("sup-n", Role::kSupervisor, {kOwnTenant}));
  auto form = bare.SendAs(sup, Call{"GET", Base()});
  EXPECT_NE(form.body.find("利用者向けのアドレスが設定されていないため、リンクは付けられません。"), std::string::npos) << form.body;
  auto made = bare.SendAs(sup, Call{"POST", Base()}
                                   .Param("name", "x")
                                   .Param("body", "お知らせです。")
                                   .Param("file", "電話番号\n090-1111-2222\n")
                                   .Param("link", "booking"));
  EXPECT_EQ(made.status, 422);
  EXPECT_NE(made.body.find("リンクを外して送るか"), std::string::npos) << made.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, ShortLinksTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web
