// src/queueing/erlang.hpp — Erlang B, C and A, and inverse staffing.
//
// Models (docs/design/queueing.md has the derivations):
//   * Erlang B  — M/M/N/N: share of calls that find all N lines busy (blocked, busy tone).
//   * Erlang C  — M/M/N: infinite patience; needs N > traffic.
//   * Erlang A  — M/M/N+M (Palm): exponential patience with mean `patience_sec`; callers who
//                 wait longer hang up (abandon).
// Service level is the share of ALL arrivals answered within T: for Erlang A, callers who abandon
// (at any time) count as not answered within T. `mean_wait_sec` is the mean time in queue over all
// arrivals (zero for those answered at once; for Erlang A, abandoners count with the time they
// waited).
//
// Numerics: relative error <= 1e-12 for 1..20,000 agents and loads up to 20,000 Erlangs; no
// overflow and no NaN (results that underflow double precision come back as 0). All functions are
// pure and thread-safe.
#pragma once

#include <optional>

#include "common/status.hpp"

namespace madoguchi::queueing {

struct CallLoad {
  double calls_per_hour = 0.0;  // >= 0
  double aht_sec = 0.0;         // mean handle time, > 0
  double TrafficErlangs() const { return calls_per_hour * aht_sec / 3600.0; }
};

struct QueueMetrics {
  int agents = 0;
  double traffic_erlangs = 0.0;
  double p_wait = 0.0;         // share of arrivals that wait at all
  double service_level = 0.0;  // share of all arrivals answered within `answer_within_sec`
  double mean_wait_sec = 0.0;  // mean time in queue over all arrivals
  double occupancy = 0.0;      // carried traffic / agents
  double p_abandon = 0.0;      // Erlang A only: share of arrivals that hang up
};

// Probability that a call is blocked on `lines` lines offered `traffic_erlangs`.
// Errors: kInvalidArgument naming "traffic" (negative, NaN, > 1e6) or "lines" (negative, > 1e6).
Result<double> ErlangB(double traffic_erlangs, int lines);

// Erlang C metrics. Errors: kInvalidArgument naming "calls_per_hour", "aht_sec", "agents"
// (including agents <= traffic, where the queue grows without bound) or "answer_within_sec".
Result<QueueMetrics> ErlangC(const CallLoad& load, int agents, double answer_within_sec);

// Erlang A metrics; `patience_sec` is the mean patience (> 0). Any agents >= 0 is valid: the queue
// is stable because callers abandon. Errors as ErlangC, plus "patience_sec".
Result<QueueMetrics> ErlangA(const CallLoad& load, double patience_sec, int agents, double answer_within_sec);

struct StaffingTarget {
  double service_level = 0.80;              // in [0, 1): share answered within answer_within_sec
  double answer_within_sec = 20.0;          // >= 0
  std::optional<double> patience_sec;       // set: Erlang A; unset: Erlang C
  std::optional<double> max_abandon;        // Erlang A only; in (0, 1)
  std::optional<double> max_occupancy;      // in (0, 1]
  std::optional<double> max_mean_wait_sec;  // >= 0
};

// The smallest number of agents that meets every target at once, with the metrics at that number.
// Errors: kInvalidArgument naming the offending field; kFailedPrecondition when even `max_agents`
// do not suffice.
Result<QueueMetrics> RequiredAgents(const CallLoad& load, const StaffingTarget& target, int max_agents = 20000);

// The smallest number of lines whose Erlang B blocking is <= `max_blocking` for `traffic_erlangs`.
// Errors: kInvalidArgument; kFailedPrecondition beyond `max_lines`.
Result<int> RequiredLines(double traffic_erlangs, double max_blocking, int max_lines = 100000);

}  // namespace madoguchi::queueing
