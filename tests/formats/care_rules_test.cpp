// A tenant's registration rules file: the defaults round-trip, a key left out keeps the default,
// and every wrong setting is refused naming it.
#include "formats/care_rules.hpp"

#include <gtest/gtest.h>

namespace madoguchi::formats {
namespace {

TEST(CareRulesFormatTest, TheDefaultsRoundTrip) {
  const care::CareSettings d = care::DefaultCareSettings();
  const std::string text = CareRulesJson(d);
  auto back = ParseCareRules(text, d);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(CareRulesJson(*back), text);
  EXPECT_EQ(back->eligibility.kits.size(), 2u);
  EXPECT_FALSE(back->eligibility.min_vaccinations.has_value());
}

TEST(CareRulesFormatTest, KumamotosRulesChangeOnlyWhatTheyName) {
  auto s = ParseCareRules(R"({"eligibility": {"max_age": 74, "min_vaccinations": 2, "max_bmi": 30,
      "kits": [{"name": "A社 抗原検査キット", "approved": true}]},
    "episode": {"kit_photo_retention_days": 90}, "clinic_info": "発熱外来は熊本県のホームページで。\n電話 096-000-0000"})",
                          care::DefaultCareSettings());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->eligibility.max_age, 74);
  EXPECT_EQ(s->eligibility.min_vaccinations, 2);
  EXPECT_EQ(s->eligibility.max_bmi, 30.0);
  EXPECT_TRUE(s->eligibility.refuse_pregnant);  // left out: the default
  ASSERT_EQ(s->eligibility.kits.size(), 1u);
  EXPECT_EQ(s->episode.kit_photo_retention_days, 90);
  EXPECT_EQ(s->episode.days_after_onset, 7);
  EXPECT_EQ(s->clinic_info, "発熱外来は熊本県のホームページで。\n電話 096-000-0000");
}

TEST(CareRulesFormatTest, EveryWrongSettingIsNamed) {
  const care::CareSettings d = care::DefaultCareSettings();
  auto field = [&](const std::string& text) { return ParseCareRules(text, d).status().field(); };
  EXPECT_EQ(field(R"({"eligibility": {"max_age": 200}})"), "eligibility.max_age");
  EXPECT_EQ(field(R"({"eligibility": {"maxage": 70}})"), "eligibility.maxage");
  EXPECT_EQ(field(R"({"eligibility": {"kits": [{"name": 5}]}})"), "eligibility.kits[0].name");
  EXPECT_EQ(field(R"({"eligibility": {"kits": [{"name": "研究用", "approved": false}]}})"), "eligibility.kits");
  EXPECT_EQ(ParseCareRules(R"({"eligibility": {"kits": [{"name": "研究用", "approved": false}]}})", d).status().key(), "no_approved_kit");
  EXPECT_EQ(field(R"({"eligibility": {"refuse_smokers": "yes"}})"), "eligibility.refuse_smokers");
  EXPECT_EQ(field(R"({"episode": {"id_photo_retention_days": 400}})"), "episode.id_photo_retention_days");
  EXPECT_EQ(field(R"({"clinic_info": ")" + std::string(2001, 'a') + R"("})"), "clinic_info");
  EXPECT_EQ(field(R"({"clinics": ""})"), "clinics");
  EXPECT_EQ(ParseCareRules("[1]", d).status().code(), StatusCode::kMalformed);
}

}  // namespace
}  // namespace madoguchi::formats
