// src/formats/plan_scenario.hpp — the planning scenario file (JSON), and the plan as JSON.
//
// A scenario gives either a city `profile` (no history) or a `history` (a call file), plus
// opening `hours`, `service` targets, `lines`, `staffing` (bounds, cost, shift patterns, rest
// rules), `simulation` and `solver` settings. docs/planning.md documents every key; unknown keys
// are errors, and every error names the field path ("staffing.shifts[1].start") or the line and
// column of broken JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "forecast/model.hpp"
#include "forecast/profile.hpp"
#include "planning/pipeline.hpp"
#include "planning/plan.hpp"
#include "planning/report.hpp"

namespace madoguchi::formats {

struct HistorySource {
  std::string file;  // relative to the scenario file
  std::string column;
  std::string events_file;  // optional
  std::optional<forecast::Day> from;
  int horizon_days = 28;
  std::optional<double> capacity;
};

struct PlanScenario {
  std::string name;
  std::optional<forecast::CityProfile> profile;
  std::optional<HistorySource> history;
  planning::PlanSettings settings;
};

Result<PlanScenario> ParsePlanScenario(std::string_view json_text);

// The planner's request: the scenario with its history and events files read (`history_csv`,
// `events_csv`, when it has a history). Cheap: a page checks the files with it before it queues
// the plan. Errors name the field or "history: line N".
Result<planning::PlanRequest> PlanRequestOf(const PlanScenario& scenario, std::optional<std::string_view> history_csv = std::nullopt,
                                            std::optional<std::string_view> events_csv = std::nullopt);

// PlanRequestOf, then planning::BuildPlan.
Result<planning::PlanOutput> BuildPlan(const PlanScenario& scenario, std::optional<std::string_view> history_csv = std::nullopt,
                                       std::optional<std::string_view> events_csv = std::nullopt,
                                       const planning::PlanProgress& progress = {});

std::string PlanJson(const planning::PlanOutput& output);

}  // namespace madoguchi::formats
