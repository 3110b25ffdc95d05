// Black-box tests of `madoguchi forecast`, `forecast backtest` and `plan`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/process.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

std::string Example() { return std::string(MADOGUCHI_SOURCE_DIR) + "/examples/plan_city_50k.json"; }

std::string WriteHistory(const std::string& dir) {
  std::ofstream out(dir + "/calls.csv");
  out << "date,calls\n";
  for (int d = 0; d < 70; ++d) {
    // 2026-01-05 is a Monday; weekends closed.
    const int w = d % 7;
    char date[16];
    std::snprintf(date, sizeof date, "2026-%02d-%02d",
                  d + 5 <= 31   ? 1
                  : d + 5 <= 59 ? 2
                                : 3,
                  d + 5 <= 31   ? d + 5
                  : d + 5 <= 59 ? d + 5 - 31
                                : d + 5 - 59);
    out << date << "," << (w >= 5 ? 0 : 100 + 20 * (w == 0) + (d % 3)) << "\n";
  }
  return dir + "/calls.csv";
}

TEST(ForecastCliTest, WritesDailyCsvWithBands) {
  const std::string dir = MakeTempDir();
  const std::string history = WriteHistory(dir);
  auto r = RunProcess({MADOGUCHI_BINARY, "forecast", "--history", history, "--horizon-days", "14"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "date,p10,p50,p90");
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    double p10, p50, p90;
    ASSERT_EQ(std::sscanf(line.c_str() + 11, "%lf,%lf,%lf", &p10, &p50, &p90), 3) << line;
    EXPECT_LE(p10, p50);
    EXPECT_LE(p50, p90);
  }
  EXPECT_EQ(rows, 14);
  EXPECT_NE(r.out.find("2026-03-16,"), std::string::npos);  // the day after the history
  // Intervals with opening hours.
  auto iv = RunProcess(
      {MADOGUCHI_BINARY, "forecast", "--history", history, "--horizon-days", "3", "--hours", "08:30-17:15", "--out", dir + "/f.csv"}, dir);
  ASSERT_EQ(iv.exit_code, 0) << iv.err;
  std::ifstream f(dir + "/f.csv");
  std::getline(f, line);
  EXPECT_EQ(line, "date,interval_start,p10,p50,p90");
  std::getline(f, line);
  EXPECT_EQ(line.substr(11, 5), "08:30");
}

TEST(ForecastCliTest, BadHistoryNamesTheLineAndExitsTwo) {
  const std::string dir = MakeTempDir();
  std::ofstream(dir + "/bad.csv") << "date,calls\n2026-01-05,10\n2026-01-06,ten\n";
  auto r = RunProcess({MADOGUCHI_BINARY, "forecast", "--history", dir + "/bad.csv"}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 3, column calls"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  auto h = RunProcess({MADOGUCHI_BINARY, "forecast", "--history", WriteHistory(dir), "--horizon-days", "0"}, dir);
  EXPECT_EQ(h.exit_code, 2);
  EXPECT_NE(h.err.find("--horizon-days"), std::string::npos) << h.err;
  auto none = RunProcess({MADOGUCHI_BINARY, "forecast"}, dir);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--history"), std::string::npos) << none.err;
}

TEST(ForecastCliTest, BacktestReportsWapeAndMaseAgainstSeasonalNaive) {
  const std::string dir = MakeTempDir();
  auto r = RunProcess({MADOGUCHI_BINARY, "forecast", "backtest", "--history", WriteHistory(dir), "--test-days", "14"}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"model", "seasonal_naive"}) {
    EXPECT_TRUE(j[k].contains("wape")) << k;
    EXPECT_TRUE(j[k].contains("mase")) << k;
  }
  EXPECT_EQ(j["horizon_days"], 7);
  EXPECT_GT(j["points"].get<int>(), 50);
}

TEST(PlanCliTest, TheDocumentedExampleWritesJsonCsvAndHtml) {
  const std::string dir = MakeTempDir();
  auto r = RunProcess(
      {MADOGUCHI_BINARY, "plan", "--scenario", Example(), "--json", dir + "/p.json", "--csv", dir + "/p.csv", "--html", dir + "/p.html"},
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream jf(dir + "/p.json");
  auto j = nlohmann::json::parse(jf);
  EXPECT_EQ(j["forecast_days"].size(), 56u);
  EXPECT_GT(j["summary"]["planned_calls"].get<double>(), 5000);
  EXPECT_GT(j["budget"]["total"].get<double>(), 0);
  EXPECT_GT(j["budget"]["lines"].get<int>(), 0);
  for (const auto& row : j["intervals"]) {
    ASSERT_LE(row["scheduled"].get<int>(), 10) << "the example caps operators at 10";
    ASSERT_GE(row["scheduled"].get<int>(), 5) << row.dump();
  }
  EXPECT_GT(j["summary"]["short_intervals"].get<int>(), 0) << "opening days need more than 10: they are listed";
  EXPECT_TRUE(std::filesystem::file_size(dir + "/p.html") > 20000);
  EXPECT_TRUE(std::filesystem::file_size(dir + "/p.csv") > 10000);
  EXPECT_FALSE(std::filesystem::exists(dir + "/p.html.tmp"));
  // Same scenario and seed: the same plan.
  auto again = RunProcess({MADOGUCHI_BINARY, "plan", "--scenario", Example()}, dir);
  ASSERT_EQ(again.exit_code, 0);
  std::ifstream jf2(dir + "/p.json");
  std::stringstream first;
  first << jf2.rdbuf();
  EXPECT_EQ(again.out, first.str() + "\n");
}

TEST(PlanCliTest, ABadScenarioNamesTheFieldAndWritesNothing) {
  const std::string dir = MakeTempDir();
  std::ifstream in(Example());
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  text.replace(text.find("\"cost_per_agent_hour\": 2200"), 27, "\"cost_per_agent_hour\": -1");
  std::ofstream(dir + "/bad.json") << text;
  auto r = RunProcess({MADOGUCHI_BINARY, "plan", "--scenario", dir + "/bad.json", "--html", dir + "/out.html"}, dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("staffing.cost_per_agent_hour"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out.html"));
  std::ofstream(dir + "/history.json") << R"({"history": {"file": "missing.csv"}, "hours": {"weekday": "09:00-17:00"},
    "service": {"aht_sec": 300}, "staffing": {"max_agents": 5, "shifts": [{"start": "09:00", "end": "13:00"}]}})";
  auto h = RunProcess({MADOGUCHI_BINARY, "plan", "--scenario", dir + "/history.json"}, dir);
  EXPECT_EQ(h.exit_code, 2);
  EXPECT_NE(h.err.find("history.file"), std::string::npos) << h.err;
}

}  // namespace
}  // namespace madoguchi::testing
