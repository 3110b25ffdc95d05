// src/sim/simulator.hpp — discrete-event simulation of one contact center.
//
// What is modelled (docs/simulate.md):
//   * arrivals: Poisson, with a constant rate inside each interval (calls_i / interval length);
//   * agents per interval; at an interval boundary a decrease takes idle agents off at once and
//     busy agents as they finish their call (no call is cut off); an increase is immediate;
//   * lines: at most `lines` callers in the system (talking + waiting); one more gets a busy tone;
//   * service times: exponential, lognormal (mean and coefficient of variation), or empirical;
//   * patience: infinite, exponential, or empirical; a caller still waiting when it runs out hangs up;
//   * redials: a blocked or abandoned caller calls again with `probability` after an exponential
//     delay; a redial is a new arrival (counted in `offered` and in `redials`);
//   * an initial queue of callers waiting at time 0; FIFO service; equal-time events in insertion order.
// After the last interval no one new arrives; callers still in the system are followed until they
// are served or hang up (with the last interval's agents), so every call's outcome is known.
//
// Every measure is attributed to the interval in which the call arrived, except occupancy, which is
// busy agent-time / staffed agent-time within the interval. service_level = answered within T /
// offered (all arrivals, busy tones included); p_wait and mean_wait_sec are over accepted calls
// (offered - blocked); abandoners count with the time they waited.
//
// Deterministic: the same scenario, seed and replication count give identical results whatever the
// thread count (replication i draws from Rng(seed, i); results merge in index order).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::sim {

enum class DistributionKind { kExponential, kLognormal, kEmpirical, kDeterministic };

struct Distribution {
  DistributionKind kind = DistributionKind::kExponential;
  double mean_sec = 0.0;            // exponential, lognormal, deterministic
  double cv = 1.0;                  // lognormal: standard deviation / mean
  std::vector<double> samples_sec;  // empirical: drawn uniformly with replacement
};

struct IntervalPlan {
  double calls = 0.0;  // expected first-attempt arrivals in the interval (redials come on top)
  int agents = 0;
};

struct Scenario {
  double interval_sec = 1800.0;
  double answer_within_sec = 20.0;
  Distribution service;                  // handle time
  std::optional<Distribution> patience;  // unset: callers never hang up
  std::optional<int> lines;              // unset: unlimited
  double redial_probability = 0.0;
  double redial_mean_delay_sec = 300.0;
  int initial_queue = 0;
  int warmup_intervals = 0;  // excluded from the totals (not from the per-interval output)
  std::vector<IntervalPlan> intervals;
};

// Checks ranges; errors name the field ("intervals[2].agents", "service.mean_sec", ...).
Status ValidateScenario(const Scenario& scenario);

// Counts from one replication, per interval.
struct IntervalCounts {
  int64_t offered = 0, answered = 0, answered_within = 0, abandoned = 0, blocked = 0, redials = 0, waited = 0;
  double wait_sum_sec = 0.0;    // over accepted calls
  double busy_agent_sec = 0.0;  // inside this interval
  double staffed_agent_sec = 0.0;
};

struct Replication {
  std::vector<IntervalCounts> intervals;
  uint64_t events = 0;  // events processed (arrivals, redials, service ends, abandonments, boundaries)
};

// One replication. REQUIRES: ValidateScenario(scenario).ok(). Single-threaded and pure.
Replication RunReplication(const Scenario& scenario, uint64_t seed, uint64_t index);

struct Estimate {
  double mean = 0.0;
  double ci95 = 0.0;  // half-width of the 95 % confidence interval over replications
};

struct IntervalEstimate {
  Estimate offered, answered, abandoned, blocked, redials, service_level, mean_wait_sec, p_wait, occupancy;
};

struct SimulationResult {
  int replications = 0;
  uint64_t seed = 0;
  uint64_t events = 0;
  IntervalEstimate totals;  // over the intervals after the warm-up
  std::vector<IntervalEstimate> intervals;
};

struct SimSettings {
  int replications = 100;  // 2 .. 100,000
  uint64_t seed = 1;
  int threads = 0;  // 0: one per hardware thread
};

// Runs the replications in parallel and summarises them. Errors: those of ValidateScenario, and
// kInvalidArgument naming "replications" or "threads".
Result<SimulationResult> Simulate(const Scenario& scenario, const SimSettings& settings);

}  // namespace madoguchi::sim
