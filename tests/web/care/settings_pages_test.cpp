// The care settings page (issue #13): a supervisor or doctor sees the tenant's check-in times,
// days of home care, photo retention, clinic text and triage rules as they are, and changes them;
// the next rounds use what was saved; who may register and the kit list too. A refused form names the field in Japanese, marks its box,
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
  // The form as the page fills it, with `changes` (kUnticked: a box left unticked).
  static constexpr const char* kUnticked = "\x01unticked";
  Call Form(const std::vector<std::pair<std::string, std::string>>& changes) {
    std::string approved, research;
    for (const care::TestKit& k : care::DefaultCareSettings().eligibility.kits) (k.approved ? approved : research) += k.name + "\n";
    std::map<std::string, std::string> f = {{"check_in", "9:00"},
                                            {"remind_at", "12:00"},
                                            {"call_at", "15:00"},
                                            {"days_after_onset", "7"},
                                            {"kit_photo_retention_days", "30"},
                                            {"id_photo_retention_days", "7"},
                                            {"clinic_info", ""},
                                            {"oldest_age", "64"},
                                            {"max_days_since_test", "2"},
                                            {"refuse_risk_factors", "1"},
                                            {"refuse_pregnant", "1"},
                                            {"require_mild_symptoms", "1"},
                                            {"min_vaccinations", ""},
                                            {"max_bmi", ""},
                                            {"kits_approved", approved},
                                            {"kits_research", research},
                                            {"triage", ""}};
    for (const auto& [k, v] : changes) {
      if (v == kUnticked) f.erase(k);
      else f[k] = v;
    }
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
    const bool textarea = field == "clinic_info" || field == "triage" || field.starts_with("kits_");
    EXPECT_THAT(r.body, HasSubstr(field + "\"" + (textarea ? " rows" : " type")));
    EXPECT_THAT(r.body, HasSubstr(typed)) << "what was typed comes back";
    const size_t box = r.body.find("id=\"" + field + "\"");
    ASSERT_NE(box, std::string::npos);
    EXPECT_NE(r.body.find("aria-invalid=\"true\"", box), std::string::npos);
    EXPECT_LT(r.body.find("aria-invalid=\"true\"", box), r.body.find('>', box)) << "the wrong box is the one marked";
    const care::CareSettings after = Stored();
    EXPECT_EQ(after.check_in.send_minute, before.check_in.send_minute) << "nothing saved";
    EXPECT_EQ(after.episode.days_after_onset, before.episode.days_after_onset);
    EXPECT_EQ(after.triage.version, before.triage.version);
    EXPECT_EQ(after.eligibility.max_age, before.eligibility.max_age);
    EXPECT_EQ(after.eligibility.kits.size(), before.eligibility.kits.size());
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

// Issue #13: who may register (the eligibility screen and the kit list) could be changed only with
// `madoguchi care settings --rules`. The page shows the rules as they are and saves them; the
// screen residents answer asks what the new rules need.
TEST_P(CareSettingsPagesTest, WhoMayRegisterAndTheKitListAreChangedOnThePage) {
  HttpResponse page = fx_->SendAs(supervisor_, Call{"GET", Path()});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("name=\"oldest_age\" type=\"text\" inputmode=\"numeric\" value=\"64\""));
  EXPECT_THAT(page.body, HasSubstr("name=\"refuse_pregnant\" value=\"1\" checked"));
  EXPECT_THAT(page.body, HasSubstr("name=\"refuse_smokers\" value=\"1\">"));
  EXPECT_THAT(page.body, HasSubstr(care::DefaultCareSettings().eligibility.kits[0].name));

  HttpResponse saved = fx_->SendAs(supervisor_, Form({{"oldest_age", "７４"},
                                                      {"max_days_since_test", "3"},
                                                      {"refuse_pregnant", kUnticked},
                                                      {"refuse_smokers", "1"},
                                                      {"min_vaccinations", "２"},
                                                      {"max_bmi", "２７．５"},
                                                      {"kits_approved", "くまもと抗原キット\r\n\r\n  ひのくに抗原テスト  \r\n"},
                                                      {"kits_research", "研究用 抗原チェッカー"}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  const care::EligibilityRules e = Stored().eligibility;
  EXPECT_EQ(e.max_age, 74);
  EXPECT_EQ(e.max_days_since_test, 3);
  EXPECT_TRUE(e.refuse_risk_factors);
  EXPECT_FALSE(e.refuse_pregnant);
  EXPECT_TRUE(e.refuse_smokers);
  EXPECT_EQ(e.min_vaccinations, 2);
  EXPECT_EQ(e.max_bmi, 27.5);
  ASSERT_EQ(e.kits.size(), 3u) << "blank lines left out";
  EXPECT_EQ(e.kits[0].name, "くまもと抗原キット");
  EXPECT_EQ(e.kits[1].name, "ひのくに抗原テスト") << "trimmed";
  EXPECT_TRUE(e.kits[1].approved);
  EXPECT_EQ(e.kits[2].name, "研究用 抗原チェッカー");
  EXPECT_FALSE(e.kits[2].approved);
  EXPECT_THAT(saved.body, HasSubstr("value=\"27.5\""));
  EXPECT_THAT(saved.body, HasSubstr("name=\"refuse_pregnant\" value=\"1\">")) << "shown as saved";
  EXPECT_THAT(AuditActions(), ::testing::Contains("care_settings.update"));

  // The residents' screen asks what the rules now need, with the kits in the page's order.
  HttpResponse screen = fx_->Send(Call{"GET", std::string("/r/") + kOwnTenant + "/care"});
  ASSERT_EQ(screen.status, 200) << screen.body;
  EXPECT_THAT(screen.body, HasSubstr("name=\"vaccinations\""));
  EXPECT_THAT(screen.body, HasSubstr("name=\"height_cm\""));
  EXPECT_THAT(screen.body, HasSubstr("name=\"smoker\""));
  EXPECT_LT(screen.body.find("くまもと抗原キット"), screen.body.find("ひのくに抗原テスト"));

  // Emptied, the two optional questions are not asked again.
  ASSERT_EQ(fx_->SendAs(supervisor_, Form({{"min_vaccinations", ""}, {"max_bmi", ""}})).status, 200);
  EXPECT_EQ(Stored().eligibility.min_vaccinations, std::nullopt);
  EXPECT_EQ(Stored().eligibility.max_bmi, std::nullopt);
}

TEST_P(CareSettingsPagesTest, AWrongRegistrationRuleIsNamedBesideItsBoxAndNothingIsSaved) {
  ExpectRefused(Form({{"oldest_age", "200"}}), "oldest_age", "登録できる年齢は0歳から120歳までの数で入れてください。", "200");
  ExpectRefused(Form({{"oldest_age", "六十四"}}), "oldest_age", "登録できる年齢は0歳から120歳までの数で入れてください。", "六十四");
  ExpectRefused(Form({{"max_days_since_test", "15"}}), "max_days_since_test", "0日から14日までの数で入れてください。", "15");
  ExpectRefused(Form({{"min_vaccinations", "11"}}), "min_vaccinations", "ワクチン接種の回数は0回から10回まで", "11");
  ExpectRefused(Form({{"max_bmi", "5"}}), "max_bmi", "BMIの上限は10から60までの数で入れてください", "5");
  ExpectRefused(Form({{"max_bmi", "30.5.1"}}), "max_bmi", "BMIの上限は10から60までの数で入れてください", "30.5.1");
  ExpectRefused(Form({{"kits_approved", "\r\n"}}), "kits_approved", "承認された検査キットを1つ以上入れてください。", "");
  // The second of two of one name is in the research-use box: that box is marked.
  ExpectRefused(Form({{"kits_approved", "くまもと抗原キット"}, {"kits_research", "くまもと抗原キット"}}), "kits_research",
                "同じ名前の検査キットが2回入っています。", "くまもと抗原キット");
  ExpectRefused(Form({{"kits_approved", "くまもと\t抗原キット"}}), "kits_approved", "タブなどの見えない文字は使えません", "くまもと");
  ExpectRefused(Form({{"kits_approved", std::string(201, 'k')}}), "kits_approved", "200バイト", std::string(201, 'k'));
  std::string many;
  for (int i = 0; i < 101; ++i) many += "キット" + std::to_string(i) + "\n";
  ExpectRefused(Form({{"kits_approved", many}}), "kits_approved", "2つの欄あわせて100まで", "キット100");
  // A refused form keeps an unticked box unticked.
  HttpResponse r = fx_->SendAs(supervisor_, Form({{"refuse_pregnant", kUnticked}, {"oldest_age", "200"}}));
  EXPECT_THAT(r.body, HasSubstr("name=\"refuse_pregnant\" value=\"1\">"));
  EXPECT_THAT(r.body, HasSubstr("name=\"refuse_risk_factors\" value=\"1\" checked"));
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
