// The triage rule file: the defaults written and read back are the same rules; the example in
// examples/ is the defaults; a typo, a wrong type, an unknown priority or item is refused naming
// the setting (never ignored).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "formats/triage_rules.hpp"

namespace madoguchi::formats {
namespace {

TEST(TriageRulesFormatTest, TheDefaultsRoundTrip) {
  const care::TriageRuleSet d = care::DefaultTriageRules();
  const std::string text = TriageRulesJson(d);
  auto back = ParseTriageRules(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(TriageRulesJson(*back), text);
  EXPECT_EQ(back->rules.size(), d.rules.size());
  EXPECT_EQ(back->rules[4].any_yes, std::vector<care::Symptom>{care::Symptom::kBreathless});
  EXPECT_EQ(back->rules[6].number_reply_in, std::vector<care::NumberReply>{care::NumberReply::kCallMe});
  EXPECT_TRUE(back->rules[8].missed_check_in);
  EXPECT_EQ(back->rules[8].risk_score_at_least, 2);
}

TEST(TriageRulesFormatTest, TheExampleFileIsTheDefaults) {
  std::ifstream in(std::string(MADOGUCHI_SOURCE_DIR) + "/examples/triage_rules.json");
  std::stringstream s;
  s << in.rdbuf();
  auto parsed = ParseTriageRules(s.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(TriageRulesJson(*parsed), TriageRulesJson(care::DefaultTriageRules()));
}

TEST(TriageRulesFormatTest, MistakesAreRefusedNamingTheSetting) {
  auto field_of = [](const std::string& text) { return ParseTriageRules(text).status().field(); };
  const std::string head = R"({"version": "v1", "rules": [)";
  EXPECT_EQ(field_of(head + R"({"id": "a", "priority": "P0", "when": {"spo2_below": 93}}]})"), "rules[0].when.spo2_below");
  EXPECT_EQ(field_of(head + R"({"id": "a", "priority": "P5"}]})"), "rules[0].priority");
  EXPECT_EQ(field_of(head + R"({"id": "a", "priority": "P1", "when": {"any_yes": ["sneeze"]}}]})"), "rules[0].when.any_yes[0]");
  EXPECT_EQ(field_of(head + R"({"id": "a", "priority": "P1", "when": {"spo2_at_most": "93"}}]})"), "rules[0].when.spo2_at_most");
  EXPECT_EQ(field_of(head + R"({"id": "a", "priority": "P1", "when": {"urgent_symptom": false}}]})"), "rules[0].when.urgent_symptom");
  EXPECT_EQ(field_of(head + R"({"id": "A b", "priority": "P1"}]})"), "rules[0].id");
  EXPECT_EQ(field_of(R"({"version": "v1", "rules": [], "colour": 1})"), "colour");
  EXPECT_EQ(ParseTriageRules(R"({"version": "v1", "rules": []})").status().key(), "no_rules");
  EXPECT_EQ(ParseTriageRules("{not json").status().code(), StatusCode::kMalformed);
  auto catch_all = ParseTriageRules(head + R"({"id": "everyone", "priority": "P2"}]})");
  ASSERT_TRUE(catch_all.ok()) << "a rule with no condition is a catch-all";
}

}  // namespace
}  // namespace madoguchi::formats
