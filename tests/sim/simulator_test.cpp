// The simulator against queueing theory and against the behaviour it promises.
#include "sim/simulator.hpp"

#include <gtest/gtest.h>

#include "queueing/erlang.hpp"

namespace madoguchi::sim {
namespace {

Scenario Stationary(double calls_per_hour, double aht, int agents, int hours) {
  Scenario s;
  s.interval_sec = 1800;
  s.answer_within_sec = 20;
  s.service = {DistributionKind::kExponential, aht};
  s.warmup_intervals = 1;
  for (int i = 0; i < hours * 2; ++i) s.intervals.push_back({calls_per_hour / 2, agents});
  return s;
}

// |sim - theory| within the 95 % interval, widened a little for the start-up transient.
void ExpectAgrees(const Estimate& e, double theory, double slack, const char* what) {
  EXPECT_NEAR(e.mean, theory, 1.5 * e.ci95 + slack) << what << ": sim " << e.mean << " ± " << e.ci95;
}

TEST(SimulatorTest, MM8AgreesWithErlangC) {
  const Scenario s = Stationary(120, 180, 8, 16);  // A = 6 Erlangs
  auto r = Simulate(s, {400, 42, 0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto c = *queueing::ErlangC({120, 180}, 8, 20);
  ExpectAgrees(r->totals.service_level, c.service_level, 0.005, "service level");
  ExpectAgrees(r->totals.mean_wait_sec, c.mean_wait_sec, 0.5, "mean wait");
  ExpectAgrees(r->totals.p_wait, c.p_wait, 0.005, "p_wait");
  ExpectAgrees(r->totals.occupancy, c.occupancy, 0.005, "occupancy");
  EXPECT_LT(r->totals.service_level.ci95, 0.01);
}

TEST(SimulatorTest, AbandonmentAgreesWithErlangA) {
  Scenario s = Stationary(200, 180, 9, 8);  // A = 10 on 9 agents: stable only because callers hang up
  s.patience = Distribution{DistributionKind::kExponential, 300};
  auto r = Simulate(s, {200, 7, 0});
  ASSERT_TRUE(r.ok());
  auto a = *queueing::ErlangA({200, 180}, 300, 9, 20);
  const double abandon_share = r->totals.abandoned.mean / r->totals.offered.mean;
  EXPECT_NEAR(abandon_share, a.p_abandon, 0.01) << "sim " << abandon_share;
  ExpectAgrees(r->totals.service_level, a.service_level, 0.01, "service level");
  ExpectAgrees(r->totals.mean_wait_sec, a.mean_wait_sec, 2.0, "mean wait");
}

TEST(SimulatorTest, LinesWithoutWaitingRoomAgreeWithErlangB) {
  Scenario s = Stationary(400, 180, 20, 8);  // A = 20 on 20 lines = 20 agents: no one can wait
  s.lines = 20;
  auto r = Simulate(s, {100, 3, 0});
  ASSERT_TRUE(r.ok());
  const double blocked = r->totals.blocked.mean / r->totals.offered.mean;
  EXPECT_NEAR(blocked, *queueing::ErlangB(20, 20), 0.01);
  EXPECT_EQ(r->totals.p_wait.mean, 0.0);
}

TEST(SimulatorTest, SameSeedSameResultWhateverTheThreads) {
  Scenario s = Stationary(300, 200, 10, 4);
  s.patience = Distribution{DistributionKind::kLognormal, 240, 0.8};
  s.lines = 14;
  s.redial_probability = 0.5;
  auto one = *Simulate(s, {16, 99, 1});
  auto four = *Simulate(s, {16, 99, 4});
  EXPECT_EQ(one.events, four.events);
  EXPECT_EQ(one.totals.service_level.mean, four.totals.service_level.mean);
  EXPECT_EQ(one.totals.redials.mean, four.totals.redials.mean);
  auto other = *Simulate(s, {16, 100, 4});
  EXPECT_NE(one.events, other.events);
}

TEST(SimulatorTest, RedialsAddToOfferedCalls) {
  Scenario s = Stationary(400, 180, 10, 4);
  s.lines = 12;
  auto no = *Simulate(s, {20, 5, 0});
  s.redial_probability = 0.8;
  s.redial_mean_delay_sec = 120;
  auto yes = *Simulate(s, {20, 5, 0});
  EXPECT_EQ(no.totals.redials.mean, 0);
  EXPECT_GT(yes.totals.redials.mean, 100);
  EXPECT_NEAR(yes.totals.offered.mean - yes.totals.redials.mean, no.totals.offered.mean, 3 * no.totals.offered.ci95 + 10);
}

TEST(SimulatorTest, ShiftEndsLetCallsFinishAndQueuesWaitForTheNextShift) {
  Scenario s;
  s.service = {DistributionKind::kDeterministic, 600};
  s.intervals = {{10, 5}, {0, 0}, {0, 3}};
  s.initial_queue = 0;
  auto r = *Simulate(s, {10, 1, 0});
  // Nobody is cut off: everything offered in the first interval is eventually answered.
  EXPECT_EQ(r.intervals[0].answered.mean, r.intervals[0].offered.mean);
  // No staff in the second interval: agents still on a call at the boundary finish it there
  // (at most 5 agents × one 600 s call each), and nobody starts a new one.
  bool carried_over = false;
  for (uint64_t i = 0; i < 10; ++i) {
    const Replication rep = RunReplication(s, 1, i);
    EXPECT_LE(rep.intervals[1].busy_agent_sec, 5 * 600.0 + 1e-6);
    carried_over |= rep.intervals[1].busy_agent_sec > 0;
  }
  EXPECT_TRUE(carried_over) << "a call answered late in interval 0 runs on past the shift end";
  Scenario q;
  q.service = {DistributionKind::kDeterministic, 60};
  q.initial_queue = 30;
  q.intervals = {{0, 0}, {0, 2}};
  auto w = *Simulate(q, {2, 1, 0});
  EXPECT_EQ(w.intervals[0].offered.mean, 30);
  EXPECT_EQ(w.intervals[0].answered.mean, 30);           // answered once the second shift starts
  EXPECT_GE(w.intervals[0].mean_wait_sec.mean, 1800.0);  // and not before
  EXPECT_EQ(w.intervals[0].service_level.mean, 0.0);
}

TEST(SimulatorTest, EmpiricalDistributionsAreUsed) {
  Scenario s = Stationary(60, 100, 3, 2);
  s.service = {DistributionKind::kEmpirical, 0, 1, {30, 60, 90}};  // mean 60 s
  auto r = *Simulate(s, {50, 2, 0});
  EXPECT_NEAR(r.totals.occupancy.mean, 60.0 * 60 / 3600 / 3, 0.03);
}

TEST(SimulatorTest, BadScenariosNameTheField) {
  Scenario s = Stationary(60, 100, 3, 2);
  s.intervals[1].agents = -1;
  EXPECT_EQ(Simulate(s, {10, 1, 0}).status().field(), "intervals[1].agents");
  s = Stationary(60, 100, 3, 2);
  s.service.mean_sec = 0;
  EXPECT_EQ(Simulate(s, {10, 1, 0}).status().field(), "service.mean_sec");
  s = Stationary(60, 100, 3, 2);
  EXPECT_EQ(Simulate(s, {1, 1, 0}).status().field(), "replications");
  s.redial_probability = 1.5;
  EXPECT_EQ(Simulate(s, {10, 1, 0}).status().field(), "redial.probability");
}

}  // namespace
}  // namespace madoguchi::sim
