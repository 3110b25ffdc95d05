// src/formats/sim_scenario.hpp — the simulation scenario file (JSON) into sim::Scenario.
//
// Format (docs/simulate.md):
//   {"interval_minutes": 30, "answer_within_sec": 20,
//    "aht_sec": 180, "service": "exponential" | "lognormal" | "deterministic" | {"empirical": [sec, ...]},
//    "service_cv": 0.8,                       (lognormal only)
//    "patience_sec": 300, "patience": "exponential" | "deterministic" | {"empirical": [...]},
//    "lines": 20, "redial": {"probability": 0.5, "mean_delay_sec": 300},
//    "initial_queue": 0, "warmup_intervals": 0,
//    "intervals": [{"calls": 100, "agents": 14}, ...]}
// `patience_sec`/`patience`, `lines`, `redial` are optional: absent means infinite patience,
// unlimited lines, no redial. Unknown keys are rejected (a typo must not be silently ignored).
#pragma once

#include <string_view>

#include "common/status.hpp"
#include "sim/simulator.hpp"

namespace madoguchi::formats {

// Errors: kMalformed with "line L, column C" for broken JSON; kInvalidArgument naming the field
// path ("intervals[3].agents") and why.
Result<sim::Scenario> ParseSimScenario(std::string_view json_text);

}  // namespace madoguchi::formats
