// src/planning/pipeline.hpp — the whole planning pipeline as one call: a forecast (from a city's
// profile, or from its call history and events), then the plan (staffing, lines, shifts, cost),
// with what the report says about how it was made. The file formats (scenario JSON, history and
// event CSV) are read in src/config; this takes their values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "forecast/model.hpp"
#include "forecast/profile.hpp"
#include "planning/plan.hpp"
#include "planning/report.hpp"

namespace madoguchi::planning {

// Calls already counted (history) and what will move them (events), to forecast from.
struct HistoryInput {
  forecast::History history;
  std::vector<forecast::Event> events;
  int horizon_days = 28;
  std::optional<double> capacity;
};

struct PlanRequest {
  std::string name;                              // the report's title; a default when empty
  std::optional<forecast::CityProfile> profile;  // either this ...
  std::optional<HistoryInput> history;           // ... or this
  PlanSettings settings;
  PlanProgress progress;  // optional: how far it has come (MakePlan's)
};

struct PlanOutput {
  forecast::Forecast forecast;
  PlanResult plan;
  ReportInfo info;
};

// Errors: the forecast's, with the field under "profile." or "history: "; kInvalidArgument
// "history.file" when neither a profile nor a history is given; MakePlan's.
Result<PlanOutput> BuildPlan(const PlanRequest& request);

}  // namespace madoguchi::planning
