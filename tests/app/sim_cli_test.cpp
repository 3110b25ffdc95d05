// Black-box tests of `madoguchi simulate`.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "app/process.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

TEST(SimulateCliTest, PrintsTotalsAndIntervalsWithConfidenceIntervalsReproducibly) {
  const std::string dir = MakeTempDir();
  const std::string example = std::string(MADOGUCHI_SOURCE_DIR) + "/examples/sim_two_intervals.json";
  auto a = RunProcess({MADOGUCHI_BINARY, "simulate", "--scenario", example, "--replications", "50", "--seed", "7"}, dir);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto j = nlohmann::json::parse(a.out);
  EXPECT_EQ(j["replications"], 50);
  ASSERT_EQ(j["intervals"].size(), 2u);
  for (const char* k :
       {"offered", "answered", "abandoned", "blocked", "redials", "service_level", "mean_wait_sec", "p_wait", "occupancy"}) {
    EXPECT_TRUE(j["totals"][k].contains("mean")) << k;
    EXPECT_TRUE(j["intervals"][1][k].contains("ci95")) << k;
  }
  EXPECT_GT(j["totals"]["offered"]["mean"].get<double>(), 200);
  auto b = RunProcess({MADOGUCHI_BINARY, "simulate", "--scenario", example, "--replications", "50", "--seed", "7", "--threads", "1"}, dir);
  EXPECT_EQ(a.out, b.out);  // same seed, same bytes, whatever the threads
}

TEST(SimulateCliTest, BadScenarioNamesTheField) {
  const std::string dir = MakeTempDir();
  std::ofstream(dir + "/bad.json") << R"({"aht_sec": 180, "intervals": [{"calls": 10, "agents": -3}]})";
  auto r = RunProcess({MADOGUCHI_BINARY, "simulate", "--scenario", dir + "/bad.json"}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("intervals[0].agents"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  auto missing = RunProcess({MADOGUCHI_BINARY, "simulate", "--scenario", dir + "/none.json"}, dir);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--scenario"), std::string::npos);
}

}  // namespace
}  // namespace madoguchi::testing
