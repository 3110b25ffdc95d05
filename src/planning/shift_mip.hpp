// src/planning/shift_mip.hpp — the shift schedule as a mixed-integer program, solved by CBC.
//
// Variables: x[d][p] >= 0 integer, the operators working shift variant p on day d; the shortfall
// in interval i of day d in three tiers with rising cost, so that it spreads over intervals
// rather than emptying one (service falls off faster than linearly) and the floor holds longest:
// the first half of (target − floor) at `penalty`, the second half at 2×, below the floor at 8×.
//   minimise   sum cost_p x[d][p] + sum tier penalties
//   subject to sum_{p covers i} x[d][p] + shortfall[d][i] >= target[d][i] (coverage, soft)
//              sum_{p covers i} x[d][p]           <= max_agents[d][i]  (hard upper bound)
//              sum_p x[d][p]                      <= pool              (people available each day)
//              sum_{d in the week} sum_p x[d][p]  <= pool * max_days_per_week
// Always feasible (x = 0); when the target cannot be met the shortfall shows in s. The solve has a
// time limit; the result says whether it is proven optimal and the gap to the bound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace madoguchi::planning {

struct ShiftVariant {
  std::string name;
  std::vector<int> covers;  // interval indices of the day it works (breaks excluded)
  double cost = 0;          // paid hours × hourly cost
};

struct ShiftProblem {
  int days = 0;
  int intervals_per_day = 0;
  std::vector<std::vector<int>> target;            // [day][interval]
  std::vector<std::vector<int>> max_agents;        // [day][interval]
  std::vector<std::vector<int>> variants_allowed;  // [day]: indices into `variants` usable that day
  std::vector<ShiftVariant> variants;
  std::optional<int> pool;
  int max_days_per_week = 7;            // with pool; days 0..6 are one week, 7..13 the next, …
  std::vector<std::vector<int>> floor;  // [day][interval]: min_agents (empty = 0)
  double shortfall_penalty = 0;         // per operator-interval short, first tier
  double seconds = 10;
};

struct ShiftSolution {
  std::vector<std::vector<int>> count;      // [day][variant]
  std::vector<std::vector<int>> scheduled;  // [day][interval]
  double objective = 0;
  double best_bound = 0;
  bool proven_optimal = false;
};

Result<ShiftSolution> SolveShifts(const ShiftProblem& problem);

}  // namespace madoguchi::planning
