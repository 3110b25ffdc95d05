// Issue #13's daily health observation through the pages: a patient confirmed by a doctor through
// the pages gets the next morning's check-in link by SMS; the form names every wrong field and
// keeps nothing then; SpO2 92 tells the patient to call 119 and puts them first on the operators'
// call list and among the dashboard's open P0s (its JSON, which the open page polls); a call is
// logged once (the post redirects) and a settling one takes the patient off; replying 3 to the
// check-in's SMS is that day's report; only doctors extend the home care; nobody else's staff and
// no resident see any of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "care/follow_up.hpp"
#include "messaging/templates.hpp"
#include "store/audit/audit_log.hpp"
#include "store/care/follow_up.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/messages.hpp"
#include "store/outbox/replies.hpp"
#include "support/care_forms.hpp"
#include "support/web_fixture.hpp"
#include "web/hooks/sms_hooks.hpp"
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
constexpr int64_t kNextMorning = kNow + 20 * kHour;  // 2026-12-03 09:00: the first check-in

class FollowUpPagesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fx_ = std::make_unique<WebFixture>(GetParam());
    MADOGUCHI_REQUIRE_DB(fx_->test_db());
    MADOGUCHI_REQUIRE_SHARED_DATA("kits");
    ASSERT_TRUE(fx_->ready());
    fx_->clock().SetMs(kNow);
    const int64_t doctor = fx_->AddUser("dr", Role::kDoctor, {kOwnTenant});
    doctor_ = fx_->SessionFor(doctor);
    // Applied and confirmed through the pages.
    HttpResponse applied =
        fx_->Send(testing::ResidentPost(std::string("/r/") + kOwnTenant + "/care/apply", testing::CareForm("kit_032.jpg")));
    ASSERT_EQ(applied.status, 303) << applied.body;
    HttpResponse next = fx_->SendAs(doctor_, Call{"POST", std::string("/t/") + kOwnTenant + "/care/next"});
    ASSERT_EQ(next.status, 303) << next.body;
    ASSERT_EQ(fx_->SendAs(doctor_, Call{"POST", HeaderOf(next, "Location") + "/decision"}.Param("decision", "confirm")).status, 200);
    // The next morning's round sends the check-in.
    fx_->clock().SetMs(kNextMorning);
    // Staff sign in that morning (yesterday's sessions have run out).
    doctor_ = fx_->SessionFor(doctor);
    operator_ = fx_->SessionFor(fx_->AddUser("op", Role::kOperator, {kOwnTenant}));
    supervisor_ = fx_->SessionFor(fx_->AddUser("sv", Role::kSupervisor, {kOwnTenant}));
    stranger_ = fx_->SessionFor(fx_->AddUser("op2", Role::kOperator, {kForeignTenant}));
    auto secret = LoadSigningSecret(fx_->db(), fx_->clock());
    ASSERT_TRUE(secret.ok());
    secret_ = *secret;
    ASSERT_EQ(Round().sent, 1);
    const store::StoredMessage m = CheckInMessage();
    message_id_ = m.id;
    link_ = messaging::VariableText(m.message.variables, "link_path");
    ASSERT_THAT(link_, HasSubstr("/care/c/"));
  }
  care::RoundCounts Round() {
    const care::FollowUpService follow_up(fx_->clock(), secret_);
    care::RoundCounts n;
    EXPECT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                  store::SqlFollowUpPort port(c);
                  MADOGUCHI_ASSIGN_OR_RETURN(n, follow_up.Round(port, kOwnTenant, 100));
                  return Status::Ok();
                }).ok());
    return n;
  }
  store::StoredMessage CheckInMessage() {
    std::vector<store::StoredMessage> all;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(all, store::ListMessages(c, kOwnTenant, 100));
                  return Status::Ok();
                }).ok());
    for (auto& m : all) {
      if (m.message.template_key == "care_check_in") return m;
    }
    ADD_FAILURE() << "no check-in in the outbox";
    return {};
  }
  // The form's answers of a patient who is well, with `spo2`.
  std::multimap<std::string, std::string> Report(const std::string& spo2) {
    std::multimap<std::string, std::string> f{{"urgent", "no"}, {"temperature", "37.2"}, {"spo2", spo2}, {"note", ""}};
    for (size_t i = 0; i < care::kSymptomCount; ++i) f.insert({"s_" + std::string(care::SymptomName(static_cast<care::Symptom>(i))), "no"});
    return f;
  }
  std::string Calls() { return std::string("/t/") + kOwnTenant + "/care/calls"; }
  std::vector<std::string> AuditActions() { return fx_->AuditActions(kOwnTenant); }
  int64_t EpisodeId() {
    int64_t id = 0;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(store::Rows rows, c.Query("SELECT id FROM care_episodes"));
                  id = rows[0].Int(0);
                  return Status::Ok();
                }).ok());
    return id;
  }

  std::unique_ptr<WebFixture> fx_;
  testing::Session doctor_, operator_, supervisor_, stranger_;
  std::string secret_, link_;
  int64_t message_id_ = 0;
};

TEST_P(FollowUpPagesTest, SpO2Of92TellsThePatientToCall119AndPutsThemFirstOnTheCallListAndTheDashboard) {
  HttpResponse form = fx_->Send(Call{"GET", link_});
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_THAT(form.body, HasSubstr("唇が紫色になっている"));
  EXPECT_THAT(form.body, HasSubstr("意識がぼんやりする"));
  EXPECT_THAT(form.body, HasSubstr("name=\"spo2\""));
  // Advice comes from a stored report, never from the address.
  HttpResponse claimed = fx_->Send(Call{"GET", link_}.Param("sent", "1"));
  EXPECT_THAT(claimed.body, Not(HasSubstr("報告を受け取りました")));
  EXPECT_THAT(claimed.body, HasSubstr("name=\"spo2\""));
  // Wrong answers are named beside their fields; nothing is kept.
  auto bad = Report("abc");
  bad.erase("urgent");
  bad.erase("temperature");
  bad.insert({"temperature", "45"});
  HttpResponse refused = fx_->Send(testing::ResidentPost(link_, bad));
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(refused.body, HasSubstr("はじめの質問（急いで受診が必要な症状）に答えてください。"));
  EXPECT_THAT(refused.body, HasSubstr("体温は34〜42（℃）で入れてください。"));
  EXPECT_THAT(refused.body, HasSubstr("spo2-err"));
  EXPECT_EQ(fx_->SendAs(operator_, Call{"GET", Calls()}).body.find("熊本 花子"), std::string::npos);

  HttpResponse sent = fx_->Send(testing::ResidentPost(link_, Report("92")));
  ASSERT_EQ(sent.status, 303) << sent.body;  // a reload of what follows sends nothing twice
  HttpResponse advice = fx_->Send(Call{"GET", HeaderOf(sent, "Location")});
  ASSERT_EQ(advice.status, 200);
  EXPECT_THAT(advice.body, HasSubstr("すぐに119番に電話してください"));
  HttpResponse calls = fx_->SendAs(operator_, Call{"GET", Calls()});
  ASSERT_EQ(calls.status, 200);
  EXPECT_THAT(calls.body, HasSubstr("熊本 花子"));
  EXPECT_THAT(calls.body, HasSubstr("SpO2 93%以下"));
  EXPECT_THAT(calls.body, HasSubstr("090-1234-5678"));
  EXPECT_THAT(HeaderOf(calls, "Cache-Control"), HasSubstr("no-store"));
  // The open list announces any other P0 by itself (care-live.js knows the ones drawn).
  EXPECT_THAT(calls.body, HasSubstr("data-known=\"" + std::to_string(EpisodeId()) + "\""));
  EXPECT_THAT(calls.body, HasSubstr("/static/care-live.js"));
  HttpResponse json = fx_->SendAs(supervisor_, Call{"GET", std::string("/api/v1/t/") + kOwnTenant + "/care/dashboard"});
  ASSERT_EQ(json.status, 200) << json.body;
  auto j = nlohmann::json::parse(json.body);
  ASSERT_EQ(j["p0"].size(), 1u);
  EXPECT_EQ(j["p0"][0]["name"], "熊本 花子");
  EXPECT_EQ(j["p0"][0]["rule_id"], "spo2_93");
  EXPECT_EQ(j["to_call"][0], 1);
  EXPECT_EQ(j["days"][0]["sent"], 1);
  EXPECT_EQ(j["days"][0]["answered"], 1);
  EXPECT_EQ(j["days"][0]["rate"], "100%");
  EXPECT_EQ(j["days"][0]["label"], "12月3日（木）");
  HttpResponse page = fx_->SendAs(supervisor_, Call{"GET", std::string("/t/") + kOwnTenant + "/care/dashboard"});
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("/static/care-live.js"));
  EXPECT_THAT(page.body, HasSubstr(std::string("data-feed=\"/api/v1/t/") + kOwnTenant + "/care/dashboard\""));  // the JSON above
  EXPECT_THAT(page.body, HasSubstr("熊本 花子"));
  // Another tenant's staff and residents see none of it; a forged link opens nothing.
  EXPECT_EQ(fx_->SendAs(stranger_, Call{"GET", Calls()}).status, 403);
  EXPECT_EQ(fx_->Send(Call{"GET", Calls()}).status / 100, 3);
  std::string forged = link_;
  forged.back() = forged.back() == 'a' ? 'b' : 'a';
  HttpResponse gone = fx_->Send(Call{"GET", forged});
  EXPECT_EQ(gone.status, 404);
  EXPECT_THAT(gone.body, HasSubstr("このリンクは有効期限が切れています"));
  const auto actions = AuditActions();
  for (const char* a : {"care.check_in_read", "care.check_in", "care.calls_read", "care.dashboard_read"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
  }
}

TEST_P(FollowUpPagesTest, ACallIsLoggedOnceAndASettlingOneTakesThePatientOffTheList) {
  ASSERT_EQ(fx_->Send(testing::ResidentPost(link_, Report("92"))).status, 303);
  const std::string record = std::string("/t/") + kOwnTenant + "/care/patients/" + std::to_string(EpisodeId());
  HttpResponse page = fx_->SendAs(operator_, Call{"GET", record});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("spo2_93"));
  EXPECT_THAT(page.body, HasSubstr(care::DefaultTriageRules().version));
  EXPECT_THAT(page.body, Not(HasSubstr("/extend")));  // doctors only
  // A banner is told from the record: an address that claims a call on a record without one shows none.
  EXPECT_THAT(fx_->SendAs(operator_, Call{"GET", record}.Param("done", "call")).body, Not(HasSubstr("と記録しました")));
  HttpResponse unknown = fx_->SendAs(operator_, Call{"POST", record + "/calls"}.Param("outcome", "maybe"));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_THAT(unknown.body, HasSubstr("電話の結果を選んでください。"));
  HttpResponse logged =
      fx_->SendAs(operator_, Call{"POST", record + "/calls"}.Param("outcome", "advised_119").Param("notes", "救急要請を案内"));
  ASSERT_EQ(logged.status, 303) << logged.body;
  HttpResponse after = fx_->SendAs(operator_, Call{"GET", HeaderOf(logged, "Location")});
  EXPECT_THAT(after.body, HasSubstr("の電話を「119番を案内した・救急要請した」と記録しました。"));
  EXPECT_THAT(after.body, HasSubstr("救急要請を案内"));
  HttpResponse calls = fx_->SendAs(operator_, Call{"GET", Calls()});
  EXPECT_THAT(calls.body, HasSubstr("いま電話が必要な方はいません。"));
  EXPECT_EQ(fx_->SendAs(stranger_, Call{"GET", record}).status, 403);

  // Today's check-in again, from the record (the patient says it never came).
  HttpResponse resent = fx_->SendAs(operator_, Call{"POST", record + "/check-in"});
  ASSERT_EQ(resent.status, 303) << resent.body;
  EXPECT_THAT(fx_->SendAs(operator_, Call{"GET", HeaderOf(resent, "Location")}).body,
              HasSubstr("今日の健康観察を送りました（回答あり）。"));
  EXPECT_EQ(fx_->SendAs(stranger_, Call{"POST", record + "/check-in"}).status, 403);

  // Only a doctor extends, by 1 to 14 days.
  EXPECT_EQ(fx_->SendAs(operator_, Call{"POST", record + "/extend"}.Param("days", "3")).status, 403);
  HttpResponse too_many = fx_->SendAs(doctor_, Call{"POST", record + "/extend"}.Param("days", "20"));
  EXPECT_EQ(too_many.status, 422);
  EXPECT_THAT(too_many.body, HasSubstr("延長する日数は1〜14日で選んでください。"));
  HttpResponse extended = fx_->SendAs(doctor_, Call{"POST", record + "/extend"}.Param("days", "3"));
  ASSERT_EQ(extended.status, 303) << extended.body;
  EXPECT_THAT(fx_->SendAs(doctor_, Call{"GET", HeaderOf(extended, "Location")}).body, HasSubstr("2026年12月10日"));
}

TEST_P(FollowUpPagesTest, Replying3ToTheCheckInSmsAsksForACallAndLeavesTheInboxClear) {
  // The worker sent the check-in to the patient's phone.
  ASSERT_TRUE(store::InTransaction(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(auto claimed, store::ClaimMessages(c, "w", kNextMorning, 60'000, 10));
                std::vector<store::AttemptOutcome> outcomes;
                for (const auto& m : claimed) {
                  store::AttemptOutcome o;
                  o.id = m.stored.id;
                  o.channel = messaging::Delivery::kSms;
                  o.address_used = "+819012345678";
                  outcomes.push_back(o);
                }
                return store::RecordOutcomes(c, "w", outcomes, kNextMorning).status();
              }).ok());
  auto mo = fx_->Send(Call{"GET", "/hooks/sms/mo"}
                          .Param("key", SmsHookKey(secret_))
                          .Param("from", "+819012345678")
                          .Param("text", "３")
                          .Param("mid", "mo-1"));
  ASSERT_EQ(mo.status, 200) << mo.body;
  auto j = nlohmann::json::parse(mo.body);
  EXPECT_EQ(j["matched"], true);
  EXPECT_EQ(j["check_in"], true);
  HttpResponse calls = fx_->SendAs(operator_, Call{"GET", Calls()});
  EXPECT_THAT(calls.body, HasSubstr("熊本 花子"));
  EXPECT_THAT(calls.body, HasSubstr("電話を希望（返信3）"));
  std::vector<store::Reply> replies;
  ASSERT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(replies, store::ListReplies(c, kOwnTenant, 10));
                return Status::Ok();
              }).ok());
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].state, "done");  // taken as the report: nothing left for the inbox
  // Answered: no reminder at noon.
  fx_->clock().SetMs(kNextMorning + 3 * kHour);
  EXPECT_EQ(Round().reminded, 0);
}

TEST_P(FollowUpPagesTest, AnOperatorEntersAReportTakenOnThePhoneAndItIsClassifiedLikeThePatientsOwn) {
  const std::string record = std::string("/t/") + kOwnTenant + "/care/patients/" + std::to_string(EpisodeId());
  HttpResponse page = fx_->SendAs(operator_, Call{"GET", record});
  EXPECT_THAT(page.body, HasSubstr("電話で聞き取った今日の報告を入れる"));
  EXPECT_THAT(page.body, HasSubstr("唇が紫色になっている"));
  // Unanswered items are named beside their fields and the form stays open; nothing is kept.
  auto partial = Report("");
  partial.erase("urgent");
  partial.erase("s_breathless");
  Call bad{"POST", record + "/reports"};
  for (const auto& [k, v] : partial) bad.Param(k, v);
  HttpResponse refused = fx_->SendAs(operator_, bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(refused.body, HasSubstr("はじめの質問（急いで受診が必要な症状）に答えてください。"));
  EXPECT_THAT(refused.body, HasSubstr("s_breathless-err"));
  EXPECT_THAT(refused.body, HasSubstr("<details open>"));
  EXPECT_THAT(fx_->SendAs(operator_, Call{"GET", record}).body, HasSubstr("まだ報告はありません。"));
  auto breathless = Report("");
  breathless.erase("s_breathless");
  breathless.insert({"s_breathless", "yes"});
  Call good{"POST", record + "/reports"};
  for (const auto& [k, v] : breathless) good.Param(k, v);
  HttpResponse taken = fx_->SendAs(operator_, good);
  ASSERT_EQ(taken.status, 303) << taken.body;
  HttpResponse after = fx_->SendAs(operator_, Call{"GET", HeaderOf(taken, "Location")});
  EXPECT_THAT(after.body, HasSubstr("の聞き取りを記録しました（P1・息苦しさがある）。"));
  EXPECT_THAT(after.body, HasSubstr("電話で聞き取り"));
  EXPECT_THAT(fx_->SendAs(operator_, Call{"GET", Calls()}).body, HasSubstr("息苦しさがある"));
  // The morning's check-in is answered: no reminder at noon.
  fx_->clock().SetMs(kNextMorning + 3 * kHour);
  EXPECT_EQ(Round().reminded, 0);
  const auto actions = AuditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "care.report_by_phone"), actions.end());
}

INSTANTIATE_TEST_SUITE_P(Backends, FollowUpPagesTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web
