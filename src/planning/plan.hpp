// src/planning/plan.hpp — from a forecast to agents, lines, shifts, a budget and a simulation check.
//
// For each open interval (docs/planning.md):
//   1. planned calls = the forecast's p50 (or p90 with plan_on = p90);
//   2. required agents = the smallest N meeting every service target (Erlang A with patience,
//      Erlang C without), then the target = required clamped to [min_agents, max_agents];
//   3. shifts: a MIP (CBC) covering the targets at least cost within the bounds; intervals it
//      cannot bring up to the required number are listed as short, with by how many;
//   4. lines: the smallest number whose blocking, with blocked and abandoned callers redialling,
//      stays within max_blocking in every interval (Erlang B with a retrial fixed point);
//   5. budget: paid operator hours × hourly cost + lines × days × daily line cost;
//   6. what-if: service level, abandonment and cost if at most k operators were on at once;
//   7. check: the schedule simulated day by day (sim::Simulate) with its confidence intervals.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <array>

#include "common/status.hpp"
#include "forecast/model.hpp"
#include "forecast/profile.hpp"

namespace madoguchi::planning {

struct ShiftPattern {
  std::string name;
  int start_minute = 0, end_minute = 0;  // [start, end) within one day
  int break_minutes = 0;                 // placed by the planner, 2.5 h or more from either end
  // The days it is worked: Monday..Sunday (forecast::WeekdayIndex) and national holidays, whatever
  // their weekday (a 「土曜」 shift is not worked on a Tuesday). Every day unless set.
  std::array<bool, 7> on_weekday{true, true, true, true, true, true, true};
  bool on_holiday = true;
  bool WorkedOn(forecast::Day day) const;
  bool WorkedOn(forecast::Day day, bool holiday) const;  // `holiday`: IsJapaneseHoliday(day), known already
};

struct ServiceTargets {
  double aht_sec = 300;
  double answer_within_sec = 20;
  double service_level = 0.8;
  std::optional<double> patience_sec;  // set: Erlang A and abandonment; unset: Erlang C
  std::optional<double> max_abandon;
  std::optional<double> max_occupancy;
  std::optional<double> max_mean_wait_sec;
};

struct PlanSettings {
  int interval_minutes = 30;
  forecast::OpeningHours hours;
  ServiceTargets service;
  bool plan_on_p90 = false;
  double max_blocking = 0.01;
  double redial_probability = 0.5;
  double redial_mean_delay_sec = 600;
  double cost_per_line_day = 0;
  int min_agents = 0, max_agents = 50;
  double cost_per_agent_hour = 0;
  std::vector<ShiftPattern> shifts;
  std::optional<int> pool;  // people who can work; with max_days_per_week
  int max_days_per_week = 5;
  int sim_replications = 20;  // 0: no simulation check
  uint64_t seed = 1;
  int sim_threads = 0;
  double solver_seconds = 20;  // per week of the plan
};

struct IntervalRow {
  forecast::Day day{};
  int start_minute = 0;
  double p10 = 0, p50 = 0, p90 = 0, planned_calls = 0;
  int required = 0;   // to meet every target
  int target = 0;     // within the bounds
  int scheduled = 0;  // by the shift plan
  int short_by = 0;   // required − scheduled, when positive
  int lines_needed = 0;
  double service_level = 0, p_abandon = 0;  // Erlang, at the scheduled agents
  std::optional<double> sim_service_level, sim_ci95, sim_abandon;
};

struct ShiftRow {
  forecast::Day day{};
  std::string name;
  int start_minute = 0, end_minute = 0;
  int break_start = -1, break_end = -1;
  int count = 0;
  double paid_hours = 0;
};

struct WhatIfRow {
  int staff_cap = 0;
  double service_level = 0, p_abandon = 0, agent_hours = 0, cost = 0;
};

struct Budget {
  double agent_hours = 0, agent_cost = 0;
  int lines = 0, calendar_days = 0;
  double line_cost = 0, total = 0;
};

struct PlanResult {
  int interval_minutes = 30;
  std::vector<forecast::DayForecast> days;
  std::vector<IntervalRow> intervals;
  std::vector<ShiftRow> shifts;
  Budget budget;
  std::vector<WhatIfRow> what_if;
  double planned_calls = 0;
  double erlang_service_level = 0, erlang_abandon = 0;  // call-weighted, at the schedule
  std::optional<double> sim_service_level, sim_ci95, sim_abandon;
  int short_intervals = 0;
  bool proven_optimal = true;
  double mip_gap = 0;  // relative, worst week
  std::vector<std::string> notes;
};

// Checks the settings; errors name the field ("shifts[1].break_minutes", "max_agents", …).
Status ValidatePlanSettings(const PlanSettings& s);

// How far a plan has come, for a page that waits on it: the share done (0–99; the caller says
// when it is whole) and the stage: "shifts" (the MIP, a week at a time) or "simulation" (a day at
// a time). Called on the thread making the plan.
using PlanProgress = std::function<void(int percent, std::string_view stage)>;

Result<PlanResult> MakePlan(const forecast::Forecast& forecast, const PlanSettings& settings, const PlanProgress& progress = {});

}  // namespace madoguchi::planning
