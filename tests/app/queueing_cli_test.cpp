// Black-box tests of `madoguchi erlang` and `madoguchi staff`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/process.hpp"
#include "support/test_db.hpp"

namespace madoguchi::testing {
namespace {

ProcessResult Mdg(std::vector<std::string> args) {
  static const std::string dir = MakeTempDir();
  args.insert(args.begin(), MADOGUCHI_BINARY);
  return RunProcess(args, dir);
}

TEST(QueueingCliTest, ErlangB) {
  auto r = Mdg({"erlang", "b", "--traffic", "20", "--lines", "10"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "{\"p_block\":0.5379631686320729}\n");
}

TEST(QueueingCliTest, ErlangCAndA) {
  auto c = Mdg({"erlang", "c", "--calls-per-hour", "200", "--aht-sec", "180", "--agents", "14", "--answer-within-sec", "20"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto jc = nlohmann::json::parse(c.out);
  EXPECT_EQ(jc["traffic_erlangs"], 10);
  EXPECT_NEAR(jc["p_wait"].get<double>(), 0.174131933595, 1e-12);
  EXPECT_NEAR(jc["service_level"].get<double>(), 0.888350019179, 1e-12);
  EXPECT_NEAR(jc["mean_wait_sec"].get<double>(), 7.835937011777, 1e-11);
  EXPECT_NEAR(jc["occupancy"].get<double>(), 0.714285714286, 1e-12);
  EXPECT_FALSE(jc.contains("p_abandon"));

  auto a = Mdg({"erlang", "a", "--calls-per-hour", "200", "--aht-sec", "180", "--patience-sec", "300", "--agents", "14",
                "--answer-within-sec", "20"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto ja = nlohmann::json::parse(a.out);
  EXPECT_NEAR(ja["p_abandon"].get<double>(), 0.013984, 5e-7);
  EXPECT_NEAR(ja["service_level"].get<double>(), 0.916792, 5e-7);
}

TEST(QueueingCliTest, Staff) {
  auto r = Mdg({"staff", "--calls-per-hour", "2000", "--aht-sec", "180", "--answer-within-sec", "20", "--service-level", "0.8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["agents"], 107);
  EXPECT_GE(j["service_level"].get<double>(), 0.8);
  auto a = Mdg({"staff", "--calls-per-hour", "2000", "--aht-sec", "180", "--patience-sec", "300", "--max-abandon", "0.05",
                "--max-occupancy", "0.85", "--max-mean-wait-sec", "10"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto ja = nlohmann::json::parse(a.out);
  EXPECT_LE(ja["occupancy"].get<double>(), 0.85);
  EXPECT_TRUE(ja.contains("p_abandon"));
}

TEST(QueueingCliTest, InvalidInputExitsTwoWithOneLineNamingTheArgument) {
  struct Case {
    std::vector<std::string> args;
    std::string option;
  };
  const std::vector<Case> cases = {
      {{"erlang", "b", "--traffic", "-1", "--lines", "3"}, "--traffic"},
      {{"erlang", "b", "--traffic", "nan", "--lines", "3"}, "--traffic"},
      {{"erlang", "b", "--traffic", "abc", "--lines", "3"}, "--traffic"},
      {{"erlang", "b", "--traffic", "3", "--lines", "-2"}, "--lines"},
      {{"erlang", "c", "--calls-per-hour", "200", "--aht-sec", "0", "--agents", "14"}, "--aht-sec"},
      {{"erlang", "c", "--calls-per-hour", "200", "--aht-sec", "180", "--agents", "10"}, "--agents"},
      {{"erlang", "c", "--calls-per-hour", "-5", "--aht-sec", "180", "--agents", "10"}, "--calls-per-hour"},
      {{"erlang", "a", "--calls-per-hour", "200", "--aht-sec", "180", "--patience-sec", "0", "--agents", "3"}, "--patience-sec"},
      {{"staff", "--calls-per-hour", "200", "--aht-sec", "180", "--service-level", "2"}, "--service-level"},
      {{"staff", "--calls-per-hour", "200", "--aht-sec", "180", "--max-abandon", "0.1"}, "--max-abandon"},
      {{"erlang", "c", "--aht-sec", "180", "--agents", "10"}, "--calls-per-hour"}};
  for (const auto& c : cases) {
    auto r = Mdg(c.args);
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined;
    EXPECT_NE(r.err.find(c.option), std::string::npos) << joined << " -> " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << joined << " -> " << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

}  // namespace
}  // namespace madoguchi::testing
