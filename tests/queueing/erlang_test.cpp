// Erlang B, C, A against published values and against references computed with 60-digit
// decimal arithmetic (Python `decimal`, the plain recursion; script in docs/design/queueing.md).
#include "queueing/erlang.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace madoguchi::queueing {
namespace {

void ExpectRel(double got, double want, double tol, const std::string& what) {
  if (want == 0) {
    EXPECT_EQ(got, 0) << what;
    return;
  }
  EXPECT_LE(std::abs(got - want) / std::abs(want), tol) << what << ": got " << got << ", want " << want;
}

TEST(ErlangBTest, PublishedValues) {
  struct Case {
    int lines;
    double traffic;
    double p;
    double tol;
  };
  const Case cases[] = {{1, 1, 0.5, 1e-15},
                        {2, 1, 0.2, 1e-15},
                        {1, 5, 0.8333333333333334, 1e-15},
                        {10, 20, 0.5379631686320729, 1e-15},
                        {190, 200, 0.08869684386923561, 1e-14},
                        {200, 5, 5.31667137954674e-238, 1e-13},  // published to 15 digits
                        {1000, 500, 1.6524151277513355e-86, 4e-15}};
  for (const auto& c : cases) {
    ExpectRel(*ErlangB(c.traffic, c.lines), c.p, c.tol, "B(" + std::to_string(c.lines) + "," + std::to_string(c.traffic) + ")");
  }
}

TEST(ErlangBTest, MatchesHighPrecisionReferencesTo1e12) {
  struct Case {
    int lines;
    double traffic;
    long double p;
  };
  const Case cases[] = {
      {1, 0.5, 3.33333333333333333e-1L},          {5, 1.5, 1.41831553143057258e-2L},       {14, 10, 5.68191433865208591e-2L},
      {50, 40, 1.86906711096322491e-2L},          {107, 100, 3.91060519143270960e-2L},     {300, 250.5, 2.32386063022798790e-4L},
      {1000, 500, 1.65241512775134180e-86L},      {1000, 990.25, 1.91038173789676619e-2L}, {2000, 1900, 6.78969296498601926e-4L},
      {5000, 4900.5, 2.24093064321197598e-3L},    {10000, 9800, 5.37130402106269481e-4L},  {10000, 10500, 4.93894383502531507e-2L},
      {20000, 19500.75, 4.99312751822863442e-6L}, {20000, 20000, 5.62073140861008416e-3L}, {200, 5, 5.31667137954673844e-238L}};
  for (const auto& c : cases) {
    ExpectRel(*ErlangB(c.traffic, c.lines), static_cast<double>(c.p), 1e-12,
              "B(" + std::to_string(c.lines) + "," + std::to_string(c.traffic) + ")");
  }
  // 2.04e-37381 is below the double range: it must come back as 0, not NaN or garbage.
  EXPECT_EQ(*ErlangB(100, 20000), 0.0);
}

TEST(ErlangBTest, LinesForABlockingTarget) {
  EXPECT_EQ(*RequiredLines(10, 0.02), 17);  // 10 Erlangs need 17 lines for <= 2 % blocking
  EXPECT_EQ(*RequiredLines(0, 0.01), 0);
  EXPECT_EQ(RequiredLines(10, 1.5).status().field(), "max_blocking");
}

TEST(ErlangBTest, EdgeCasesAndBadInput) {
  EXPECT_EQ(*ErlangB(5, 0), 1.0);
  EXPECT_EQ(*ErlangB(0, 5), 0.0);
  EXPECT_EQ(ErlangB(-1, 5).status().field(), "traffic");
  EXPECT_EQ(ErlangB(NAN, 5).status().field(), "traffic");
  EXPECT_EQ(ErlangB(INFINITY, 5).status().field(), "traffic");
  EXPECT_EQ(ErlangB(5, -1).status().field(), "lines");
}

TEST(ErlangCTest, PublishedAndReferenceValues) {
  struct Case {
    int agents;
    double calls_per_hour, aht, within;
    long double p_wait, sl, wait;
  };
  const Case cases[] = {{14, 200, 180, 20, 1.74131933595049843e-1L, 8.88350019179466884e-1L, 7.83593701177724292e+0L},
                        {15, 200, 180, 20, 1.02042367007988006e-1L, 9.41452842869022326e-1L, 3.67352521228756822e+0L},
                        {35, 360, 303.03030303030303, 20, 3.12192501532849412e-1L, 7.71023359994684839e-1L, 2.01414517117967361e+1L},
                        {40, 360, 303.03030303030303, 20, 6.27883461353575677e-2L, 9.66892180764633328e-1L, 1.96213581672992398e+0L},
                        {135, 360, 303.03030303030303, 20, 3.31703715931894436e-44L, 1.0L, 9.60068642349911537e-44L},
                        {107, 2000, 180, 20, 3.83511957532718495e-1L, 8.23804702882899512e-1L, 9.86173605084133273e+0L},
                        {10000, 196000, 180, 20, 2.61677995902229699e-2L, 9.99999999994155078e-1L, 2.35510196312006729e-2L},
                        {20000, 396000, 180, 30, 1.00588987492739087e-1L, 9.99999999999999664e-1L, 9.05300887434651786e-2L}};
  for (const auto& c : cases) {
    auto m = ErlangC({c.calls_per_hour, c.aht}, c.agents, c.within);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    const std::string what = "C at N=" + std::to_string(c.agents);
    ExpectRel(m->p_wait, static_cast<double>(c.p_wait), 1e-12, what + " p_wait");
    ExpectRel(m->service_level, static_cast<double>(c.sl), 1e-12, what + " SL");
    ExpectRel(m->mean_wait_sec, static_cast<double>(c.wait), 1e-12, what + " wait");
  }
  // The published figures, as printed there.
  auto m = *ErlangC({200, 180}, 14, 20);
  EXPECT_NEAR(m.traffic_erlangs, 10, 1e-15);
  EXPECT_NEAR(m.p_wait, 0.174131933595, 5e-13);
  EXPECT_NEAR(m.service_level, 0.888350019179, 5e-13);
  EXPECT_NEAR(m.occupancy, 10.0 / 14, 1e-15);
  EXPECT_NEAR(ErlangC({360, 303.0303030303030}, 35, 20)->p_wait, 0.3121925015328496, 1e-13);
  EXPECT_NEAR(ErlangC({360, 303.0303030303030}, 40, 20)->service_level, 0.9668921807646333, 1e-13);
}

TEST(ErlangCTest, RejectsUnstableOrInvalidInputNamingTheField) {
  EXPECT_EQ(ErlangC({200, 180}, 10, 20).status().field(), "agents");  // N <= A
  EXPECT_EQ(ErlangC({200, 180}, 9, 20).status().field(), "agents");
  EXPECT_EQ(ErlangC({-1, 180}, 14, 20).status().field(), "calls_per_hour");
  EXPECT_EQ(ErlangC({200, 0}, 14, 20).status().field(), "aht_sec");
  EXPECT_EQ(ErlangC({200, NAN}, 14, 20).status().field(), "aht_sec");
  EXPECT_EQ(ErlangC({200, 180}, 14, -1).status().field(), "answer_within_sec");
  EXPECT_EQ(ErlangC({0, 180}, 3, 20)->service_level, 1.0);
}

TEST(ErlangATest, PublishedValues) {
  // lambda = 10/3 per minute, AHT 3 min, patience 5 min, N = 14.
  auto m = ErlangA({200, 180}, 300, 14, 20);
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(m->p_wait, 0.14526, 5e-6);
  EXPECT_NEAR(m->p_abandon, 0.013984, 5e-7);
  EXPECT_NEAR(m->mean_wait_sec / 60, 0.069919, 5e-7);
  EXPECT_NEAR(m->occupancy, 0.704297, 5e-7);
  EXPECT_NEAR(m->service_level, 0.916792, 5e-7);
}

TEST(ErlangATest, InternalIdentities) {
  for (int n : {0, 1, 5, 10, 14, 30}) {
    auto m = *ErlangA({200, 180}, 300, n, 20);
    // Little's law on abandonment: P(abandon) = mean wait / mean patience.
    EXPECT_NEAR(m.p_abandon, m.mean_wait_sec / 300, 1e-14) << n;
    // Carried load = offered load minus what abandons.
    EXPECT_NEAR(m.occupancy * std::max(n, 1), n == 0 ? 0 : 10 * (1 - m.p_abandon), 1e-12) << n;
    EXPECT_GE(m.service_level, 1 - m.p_wait - 1e-15);
    EXPECT_LE(m.service_level, 1 - m.p_abandon + 1e-15);
  }
  auto none = *ErlangA({200, 180}, 300, 0, 20);
  EXPECT_NEAR(none.p_abandon, 1.0, 1e-12);  // nobody to answer: everyone hangs up
  EXPECT_EQ(none.service_level, 0.0);
  // Service within 0 s is exactly the share not waiting.
  auto zero = *ErlangA({200, 180}, 300, 14, 0);
  EXPECT_NEAR(zero.service_level, 1 - zero.p_wait, 1e-15);
}

TEST(ErlangATest, ApproachesErlangCAsPatienceGrows) {
  auto c = *ErlangC({2000, 180}, 110, 20);
  auto a = *ErlangA({2000, 180}, 1e7, 110, 20);
  EXPECT_NEAR(a.p_wait, c.p_wait, 1e-4);
  EXPECT_NEAR(a.service_level, c.service_level, 1e-4);
}

TEST(ErlangATest, StableFromOneToTwentyThousandAgents) {
  for (double traffic : {0.5, 10.0, 500.0, 5000.0, 20000.0}) {
    for (int n : {1, 10, 100, 1000, 5000, 10000, 20000}) {
      auto m = ErlangA({traffic * 3600 / 180, 180}, 120, n, 20);
      ASSERT_TRUE(m.ok());
      for (double v : {m->p_wait, m->service_level, m->mean_wait_sec, m->occupancy, m->p_abandon}) {
        ASSERT_TRUE(std::isfinite(v)) << "A=" << traffic << " N=" << n;
        ASSERT_GE(v, 0.0);
      }
      EXPECT_LE(m->service_level, 1.0 + 1e-12);
      EXPECT_LE(m->p_wait, 1.0 + 1e-12);
    }
  }
}

TEST(ErlangCTest, StableFromOneToTwentyThousandAgents) {
  for (double traffic : {0.5, 10.0, 500.0, 5000.0, 19999.0}) {
    for (int n : {1, 10, 100, 1000, 5000, 10000, 20000}) {
      if (n <= traffic) continue;
      auto m = ErlangC({traffic * 20, 180}, n, 20);
      ASSERT_TRUE(m.ok());
      for (double v : {m->p_wait, m->service_level, m->mean_wait_sec}) {
        ASSERT_TRUE(std::isfinite(v)) << "A=" << traffic << " N=" << n;
        ASSERT_GE(v, 0.0);
        ASSERT_LE(v, n == 1 ? 1e9 : 1e9);
      }
    }
  }
}

TEST(StaffingTest, SmallestAgentsMeetingEveryTarget) {
  auto m = RequiredAgents({2000, 180}, {0.8, 20});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->agents, 107);
  EXPECT_LT(ErlangC({2000, 180}, 106, 20)->service_level, 0.8);

  StaffingTarget occ{0.8, 20};
  occ.max_occupancy = 0.85;
  EXPECT_EQ(RequiredAgents({2000, 180}, occ)->agents, 118);  // ceil(100 / 0.85)

  StaffingTarget wait{0.5, 20};
  wait.max_mean_wait_sec = 2.0;
  auto w = *RequiredAgents({2000, 180}, wait);
  EXPECT_LE(w.mean_wait_sec, 2.0);
  EXPECT_GT(ErlangC({2000, 180}, w.agents - 1, 20)->mean_wait_sec, 2.0);

  StaffingTarget a{0.8, 20};
  a.patience_sec = 300;
  a.max_abandon = 0.01;
  auto am = *RequiredAgents({2000, 180}, a);
  EXPECT_LE(am.p_abandon, 0.01);
  EXPECT_GE(am.service_level, 0.8);
  auto below = *ErlangA({2000, 180}, 300, am.agents - 1, 20);
  EXPECT_TRUE(below.p_abandon > 0.01 || below.service_level < 0.8);
}

TEST(StaffingTest, ImpossibleAndInvalidTargets) {
  StaffingTarget t{0.8, 20};
  EXPECT_EQ(RequiredAgents({2000, 180}, t, 50).status().code(), StatusCode::kFailedPrecondition);
  t.max_abandon = 0.05;  // without patience
  EXPECT_EQ(RequiredAgents({2000, 180}, t).status().field(), "max_abandon");
  EXPECT_EQ(RequiredAgents({2000, 180}, {1.5, 20}).status().field(), "service_level");
}

}  // namespace
}  // namespace madoguchi::queueing
