// The care settings page (issue #13): a supervisor or doctor sees the tenant's check-in times,
// days of home care, photo retention, clinic text and triage rules as they are, and changes them;
// the next rounds use what was saved. A refused form names the field in Japanese, marks its box,
// keeps what was typed, and saves nothing. Operators and another city's staff are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/audit/audit_log.hpp"
#include "store/care/settings.hpp"
#include "support/web_fixture.hpp"

namespace madoguchi::web {
namespace {

using accounts::Role;
using testing::Call;
using ::testing::HasSubstr;
using testing::kForeignTenant;
using testing::kOwnTenant;
using ::testing::Not;
using testing::WebFixture;

constexpr int64_t kNow = 1'796'184'000'000;  // 2026-12-02 13:00 in Japan

class CareSettingsPagesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fx_ = std::make_unique<WebFixture>(GetParam());
    MADOGUCHI_REQUIRE_DB(fx_->test_db());
    ASSERT_TRUE(fx_->ready());
    fx_->clock().SetMs(kNow);
    supervisor_ = fx_->SessionFor(fx_->AddUser("sv", Role::kSupervisor, {kOwnTenant}));
    doctor_ = fx_->SessionFor(fx_->AddUser("dr", Role::kDoctor, {kOwnTenant}));
    operator_ = fx_->SessionFor(fx_->AddUser("op", Role::kOperator, {kOwnTenant}));
    stranger_ = fx_->SessionFor(fx_->AddUser("sv2", Role::kSupervisor, {kForeignTenant}));
  }
  static std::string Path() { return std::string("/t/") + kOwnTenant + "/care/settings"; }
  // The form as the page fills it, with `changes`.
  Call Form(const std::vector<std::pair<std::string, std::string>>& changes) {
    std::map<std::string, std::string> f = {{"check_in", "9:00"},
                                            {"remind_at", "12:00"},
                                            {"call_at", "15:00"},
                                            {"days_after_onset", "7"},
                                            {"kit_photo_retention_days", "30"},
                                            {"id_photo_retention_days", "7"},
                                            {"clinic_info", ""},
                                            {"triage", ""}};
    for (const auto& [k, v] : changes) f[k] = v;
    Call c{"POST", Path()};
    for (const auto& [k, v] : f) c.Param(k, v);
    return c;
  }
  care::CareSettings Stored() {
    care::CareSettings s;
    EXPECT_TRUE(store::WithConnection(fx_->db(), [&](store::Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(s, store::LoadCareSettings(c, kOwnTenant));
                  return Status::Ok();
                }).ok());
    return s;
  }
  std::vector<std::string> AuditActions() { return fx_->AuditActions(kOwnTenant); }
  // Posts `form`, expects it refused with `text` beside `field`, and nothing saved.
  void ExpectRefused(const Call& form, const std::string& field, const std::string& text, const std::string& typed) {
    const care::CareSettings before = Stored();
    HttpResponse r = fx_->SendAs(supervisor_, form);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_THAT(r.body, HasSubstr(text));
    EXPECT_THAT(r.body, HasSubstr("id=\"" + field + "\" name=\"" + field + "\""));
    EXPECT_THAT(r.body, HasSubstr(field + "\"" + (field == "clinic_info" || field == "triage" ? " rows" : " type")));
    EXPECT_THAT(r.body, HasSubstr(typed)) << "what was typed comes back";
    const size_t box = r.body.find("id=\"" + field + "\"");
    ASSERT_NE(box, std::string::npos);
    EXPECT_NE(r.body.find("aria-invalid=\"true\"", box), std::string::npos);
    EXPECT_LT(r.body.find("aria-invalid=\"true\"", box), r.body.find('>', box)) << "the wrong box is the one marked";
    const care::CareSettings after = Stored();
    EXPECT_EQ(after.check_in.send_minute, before.check_in.send_minute) << "nothing saved";
    EXPECT_EQ(after.episode.days_after_onset, before.episode.days_after_onset);
    EXPECT_EQ(after.triage.version, before.triage.version);
  }
  std::unique_ptr<WebFixture> fx_;
  testing::Session supervisor_, doctor_, operator_, stranger_;
};

TEST_P(CareSettingsPagesTest, ASupervisorSeesTheSettingsAsTheyAreAndChangesThem) {
  HttpResponse page = fx_->SendAs(supervisor_, Call{"GET", Path()});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("name=\"check_in\" type=\"text\" inputmode=\"numeric\" value=\"09:00\""));
  EXPECT_THAT(page.body, HasSubstr("name=\"remind_at\" type=\"text\" inputmode=\"numeric\" value=\"12:00\""));
  EXPECT_THAT(page.body, HasSubstr("name=\"call_at\" type=\"text\" inputmode=\"numeric\" value=\"15:00\""));
  EXPECT_THAT(page.body, HasSubstr("いまの版：mhlw-kanagawa-2022.2"));
  EXPECT_THAT(page.body, HasSubstr("&quot;spo2_at_most&quot;: 93")) << "the rules in their file format, to edit";

  // Full-width digits as an IME types them.
  HttpResponse saved =
      fx_->SendAs(supervisor_, Form({{"check_in", "０８：３０"},
                                     {"remind_at", "11:30"},
                                     {"call_at", "14:00"},
                                     {"days_after_onset", "１０"},
                                     {"kit_photo_retention_days", "20"},
                                     {"id_photo_retention_days", "5"},
                                     {"clinic_info", "発熱外来は日南市医師会の一覧をご覧ください。\r\n夜間は #7119 へ。"}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_THAT(saved.body, HasSubstr("保存しました。"));
  const care::CareSettings s = Stored();
  EXPECT_EQ(s.check_in.send_minute, 8 * 60 + 30);
  EXPECT_EQ(s.check_in.remind_after_minutes, 180);
  EXPECT_EQ(s.check_in.call_after_minutes, 330);
  EXPECT_EQ(s.episode.days_after_onset, 10);
  EXPECT_EQ(s.episode.kit_photo_retention_days, 20);
  EXPECT_EQ(s.episode.id_photo_retention_days, 5);
  EXPECT_EQ(s.clinic_info, "発熱外来は日南市医師会の一覧をご覧ください。\n夜間は #7119 へ。");
  EXPECT_EQ(s.triage.version, "mhlw-kanagawa-2022.2") << "an empty box keeps the default rules";
  EXPECT_THAT(saved.body, HasSubstr("value=\"08:30\"")) << "the page shows what is stored now";
  EXPECT_THAT(AuditActions(), ::testing::Contains("care_settings.update"));

  // A doctor changes the triage rules: a tighter SpO2 line, under a new version.
  const std::string rules =
      R"({"version": "nichinan-2026.1", "fever_celsius": 37.5,
          "score": {"age_75_and_over": 3, "age_65_to_74": 2, "per_risk_factor": 1},
          "rules": [{"id": "spo2_94", "priority": "P0", "when": {"spo2_at_most": 94}}]})";
  HttpResponse triage = fx_->SendAs(doctor_, Form({{"check_in", "8:30"}, {"remind_at", "11:30"}, {"call_at", "14:00"}, {"triage", rules}}));
  ASSERT_EQ(triage.status, 200) << triage.body;
  EXPECT_EQ(Stored().triage.version, "nichinan-2026.1");
  ASSERT_EQ(Stored().triage.rules.size(), 1u);
  EXPECT_THAT(triage.body, HasSubstr("いまの版：nichinan-2026.1、規則 1 件"));
}

TEST_P(CareSettingsPagesTest, AWrongValueIsNamedBesideItsBoxAndNothingIsSaved) {
  ExpectRefused(Form({{"check_in", "25:00"}}), "check_in", "健康観察を送る時刻を 9:00 のように入れてください。", "25:00");
  ExpectRefused(Form({{"remind_at", "9:10"}}), "remind_at", "送る時刻の30分後から12時間後まで", "9:10");
  ExpectRefused(Form({{"call_at", "11:00"}}), "call_at", "電話の一覧に載せる時刻は、もう一度送る時刻より後にしてください。", "11:00");
  ExpectRefused(Form({{"days_after_onset", "七"}}), "days_after_onset", "療養の日数は1日から30日までの数で入れてください。", "七");
  ExpectRefused(Form({{"days_after_onset", "45"}}), "days_after_onset", "療養の日数は1日から30日までの数で入れてください。", "45");
  ExpectRefused(Form({{"id_photo_retention_days", "60"}}), "id_photo_retention_days",
                "検査キットの写真を残す日数までの数で入れてください。", "60");
  ExpectRefused(Form({{"clinic_info", std::string(2100, 'a')}}), "clinic_info", "受診の案内は2000バイト", std::string(2100, 'a'));
  ExpectRefused(Form({{"triage", "{ not json"}}), "triage", "優先度の判定の規則が読めません。", "{ not json");
  ExpectRefused(Form({{"triage", R"({"version": "x", "rules": [{"id": "a", "priority": "P9", "when": {"spo2_at_most": 93}}]})"}}), "triage",
                "優先度の判定の規則の「rules[0].priority」が正しくありません。", "P9");
  EXPECT_THAT(AuditActions(), Not(::testing::Contains("care_settings.update")));
}

TEST_P(CareSettingsPagesTest, OperatorsAndAnotherCitysStaffAreRefused) {
  EXPECT_EQ(fx_->SendAs(operator_, Call{"GET", Path()}).status, 403);
  EXPECT_EQ(fx_->SendAs(operator_, Form({{"check_in", "6:00"}})).status, 403);
  EXPECT_EQ(fx_->SendAs(stranger_, Call{"GET", Path()}).status, 403);
  EXPECT_EQ(fx_->SendAs(stranger_, Form({{"check_in", "6:00"}})).status, 403);
  EXPECT_EQ(Stored().check_in.send_minute, 9 * 60) << "nothing changed";
}

INSTANTIATE_TEST_SUITE_P(Backends, CareSettingsPagesTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::web
