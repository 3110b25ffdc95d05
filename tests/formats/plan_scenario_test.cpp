// The planning scenario file: the documented example parses, and every mistake names its field.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "formats/plan_scenario.hpp"

namespace madoguchi::formats {
namespace {

std::string Example() {
  std::ifstream in(std::string(MADOGUCHI_SOURCE_DIR) + "/examples/plan_city_50k.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

TEST(PlanScenarioTest, TheDocumentedExampleParses) {
  auto sc = ParsePlanScenario(Example());
  ASSERT_TRUE(sc.ok()) << sc.status().ToString();
  ASSERT_TRUE(sc->profile);
  EXPECT_EQ(sc->profile->population, 50000);
  EXPECT_EQ(sc->profile->mailings.size(), 3u);
  EXPECT_EQ(sc->settings.min_agents, 5);
  EXPECT_EQ(sc->settings.max_agents, 10);
  EXPECT_EQ(sc->settings.shifts.size(), 4u);
  EXPECT_EQ(sc->settings.shifts[0].start_minute, 510);
  EXPECT_EQ(sc->settings.shifts[0].break_minutes, 60);
  // 「土曜」 is worked on Saturdays only, the others on weekdays (issue #11, item 16).
  const auto& saturday = sc->settings.shifts[3];
  EXPECT_EQ(saturday.name, "土曜");
  EXPECT_EQ(saturday.on_weekday, (std::array<bool, 7>{false, false, false, false, false, true, false}));
  EXPECT_FALSE(saturday.on_holiday);
  EXPECT_EQ(sc->settings.shifts[0].on_weekday, (std::array<bool, 7>{true, true, true, true, true, false, false}));
  EXPECT_TRUE(sc->settings.hours.weekday[0]);
  EXPECT_TRUE(sc->settings.hours.weekday[5]);
  EXPECT_FALSE(sc->settings.hours.weekday[6]);
  EXPECT_FALSE(sc->settings.hours.holiday);
  EXPECT_EQ(sc->settings.service.patience_sec, 180);
}

TEST(PlanScenarioTest, MistakesNameTheirField) {
  const std::string ex = Example();
  auto field = [](const std::string& text) { return ParsePlanScenario(text).status().field(); };
  EXPECT_EQ(field(Replace(ex, "\"max_agents\": 10", "\"max_agents\": \"ten\"")), "staffing.max_agents");
  EXPECT_EQ(field(Replace(ex, "\"max_agents\": 10", "\"max_agents\": 3")), "staffing.min_agents");
  EXPECT_EQ(field(Replace(ex, "\"start\": \"08:30\", \"end\": \"17:15\"", "\"start\": \"08:30\", \"end\": \"7:15\"")),
            "staffing.shifts[0].end");
  EXPECT_EQ(field(Replace(ex, "\"break_minutes\": 60, \"days\": [\"weekday\"]},\n      {\"name\": \"午前\"",
                          "\"break_minutes\": 30, \"days\": [\"weekday\"]},\n      {\"name\": \"午前\"")),
            "staffing.shifts[0].break_minutes");
  EXPECT_EQ(field(Replace(ex, "\"aht_sec\": 360", "\"aht_sec\": 0")), "service.aht_sec");
  EXPECT_EQ(field(Replace(ex, "\"days\": [\"saturday\"]", "\"days\": [\"satday\"]")), "staffing.shifts[3].days[0]");
  EXPECT_EQ(field(Replace(ex, "\"days\": [\"saturday\"]", "\"days\": []")), "staffing.shifts[3].days");
  EXPECT_EQ(field(Replace(ex, "\"saturday\": \"09:00-17:00\"", "\"saturday\": \"17:00-09:00\"")), "hours.saturday");
  EXPECT_EQ(field(Replace(ex, "\"population\": 50000", "\"populaton\": 50000")), "profile.populaton");
  EXPECT_EQ(field(Replace(ex, "\"date\": \"2027-04-19\"", "\"date\": \"2027-04-31\"")), "profile.mailings[1].date");
  EXPECT_EQ(field(Replace(ex, "\"web\": 0.30", "\"web\": 0.95")), "profile.channel_mix");
  EXPECT_EQ(field(Replace(ex, "\"plan_on\": \"p50\"", "\"plan_on\": \"median\"")), "service.plan_on");
  EXPECT_EQ(field(Replace(ex, "\"replications\": 20", "\"replications\": 1")), "simulation.replications");
  EXPECT_EQ(field(Replace(ex, "\"max_blocking\": 0.02", "\"max_blocking\": 2")), "lines.max_blocking");
  auto broken = ParsePlanScenario("{\n  \"name\": \"x\",\n  \"hours\": {,}\n}");
  EXPECT_EQ(broken.status().code(), StatusCode::kMalformed);
  EXPECT_EQ(broken.status().field(), "line 3, column 13");
  EXPECT_EQ(field(R"({"hours": {"weekday": "09:00-17:00"}, "service": {"aht_sec": 300},
                      "staffing": {"max_agents": 5, "shifts": [{"start": "09:00", "end": "17:00", "break_minutes": 60}]}})"),
            "profile")
      << "a profile or a history is needed";
}

TEST(PlanScenarioTest, HistoryScenariosPlanFromTheGivenCsv) {
  const std::string scenario = R"({"name": "h", "history": {"file": "calls.csv", "horizon_days": 7},
    "hours": {"weekday": "09:00-17:00"}, "service": {"aht_sec": 300, "patience_sec": 120},
    "staffing": {"min_agents": 1, "max_agents": 6, "cost_per_agent_hour": 2000,
                 "shifts": [{"name": "day", "start": "09:00", "end": "17:00", "break_minutes": 60},
                            {"name": "am", "start": "09:00", "end": "13:00"}]},
    "simulation": {"replications": 5}})";
  auto sc = ParsePlanScenario(scenario);
  ASSERT_TRUE(sc.ok()) << sc.status().ToString();
  std::string csv = "date,calls\n";
  for (int d = 1; d <= 28; ++d) {
    const std::string day = (d < 10 ? "0" : "") + std::to_string(d);
    csv += "2026-02-" + day + "," + std::to_string(d % 7 == 0 || d % 7 == 1 ? 0 : 120) + "\n";  // Sat/Sun closed
  }
  EXPECT_EQ(BuildPlan(*sc).status().field(), "history.file");
  auto out = BuildPlan(*sc, csv);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->plan.days.size(), 7u);
  EXPECT_NEAR(out->plan.planned_calls, 5 * 120, 60);
  EXPECT_FALSE(out->plan.shifts.empty());
  auto bad = BuildPlan(*sc, std::string("date,calls\n2026-02-01,x\n"));
  EXPECT_EQ(bad.status().field(), "history: line 2, column calls");
}

}  // namespace
}  // namespace madoguchi::formats
