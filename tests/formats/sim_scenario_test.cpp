#include "formats/sim_scenario.hpp"

#include <gtest/gtest.h>

namespace madoguchi::formats {
namespace {

TEST(SimScenarioTest, TheIssueExampleIsAccepted) {
  auto s = ParseSimScenario(R"({"interval_minutes": 30, "answer_within_sec": 20, "aht_sec": 180, "service": "exponential",
    "patience_sec": 300, "lines": 20, "redial": {"probability": 0.5, "mean_delay_sec": 300},
    "intervals": [{"calls": 100, "agents": 14}, {"calls": 120, "agents": 15}]})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->interval_sec, 1800);
  EXPECT_EQ(s->service.mean_sec, 180);
  ASSERT_TRUE(s->patience.has_value());
  EXPECT_EQ(s->patience->mean_sec, 300);
  EXPECT_EQ(*s->lines, 20);
  EXPECT_EQ(s->redial_probability, 0.5);
  ASSERT_EQ(s->intervals.size(), 2u);
  EXPECT_EQ(s->intervals[1].agents, 15);
}

TEST(SimScenarioTest, OptionalPartsDefaultToInfinite) {
  auto s = ParseSimScenario(R"({"aht_sec": 180, "intervals": [{"calls": 1, "agents": 1}]})");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->patience.has_value());
  EXPECT_FALSE(s->lines.has_value());
  EXPECT_EQ(s->redial_probability, 0);
}

TEST(SimScenarioTest, OtherDistributions) {
  auto s = ParseSimScenario(R"({"aht_sec": 200, "service": "lognormal", "service_cv": 0.7,
    "patience": {"empirical": [10, 50, 120]}, "intervals": [{"calls": 1, "agents": 1}]})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->service.kind, sim::DistributionKind::kLognormal);
  EXPECT_EQ(s->service.cv, 0.7);
  EXPECT_EQ(s->patience->samples_sec.size(), 3u);
}

TEST(SimScenarioTest, ErrorsNameTheFieldOrThePosition) {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"({"aht_sec": 180, "intervals": [{"calls": 1, "agents": 1}, {"calls": -4, "agents": 1}]})", "intervals[1].calls"},
      {R"({"aht_sec": 180, "intervals": [{"calls": 1, "agents": 1.5}]})", "intervals[0].agents"},
      {R"({"aht_sec": 180, "intervals": [{"calls": 1}]})", "intervals[0].agents"},
      {R"({"aht_sec": 180, "intervals": [{"calls": 1, "agents": 1, "agnets": 2}]})", "intervals[0].agnets"},
      {R"({"aht_sec": 0, "intervals": [{"calls": 1, "agents": 1}]})", "aht_sec"},
      {R"({"aht_sec": "180", "intervals": [{"calls": 1, "agents": 1}]})", "aht_sec"},
      {R"({"intervals": [{"calls": 1, "agents": 1}]})", "aht_sec"},
      {R"({"aht_sec": 180, "intervals": []})", "intervals"},
      {R"({"aht_sec": 180, "lines": 0, "intervals": [{"calls": 1, "agents": 1}]})", "lines"},
      {R"({"aht_sec": 180, "redial": {"probability": 2}, "intervals": [{"calls": 1, "agents": 1}]})", "redial.probability"},
      {R"({"aht_sec": 180, "service": "gamma", "intervals": [{"calls": 1, "agents": 1}]})", "service"},
      {R"({"aht_sec": 180, "patience_sec": -1, "intervals": [{"calls": 1, "agents": 1}]})", "patience_sec"},
      {R"({"aht_sec": 180, "service_cv": 0.5, "intervals": [{"calls": 1, "agents": 1}]})", "service_cv"},
      {"{\"aht_sec\": 180,\n \"intervals\": [}", "line 2, column 16"},
      {"[1, 2]", "line 1, column 1"},
  };
  for (const auto& c : cases) {
    auto s = ParseSimScenario(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.status().field(), c.field) << c.json << " -> " << s.status().ToString();
  }
}

}  // namespace
}  // namespace madoguchi::formats
