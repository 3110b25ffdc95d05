// src/web/planning/plan_jobs.hpp — a queued plan made: the job's scenario and files through the
// planner (no request waits on it: a job runner calls this), the plan saved with its report, CSV
// and JSON, and audited as its author's plan.create.
#pragma once

#include "common/clock.hpp"
#include "planning/plan.hpp"
#include "store/database.hpp"
#include "store/jobs/jobs.hpp"

namespace madoguchi::web {

// The MIP's time per week and the simulation's replications, at most, for a plan made from a
// page or the API (the CLI has its own).
inline constexpr double kJobSolverSeconds = 10;
inline constexpr int kJobMaxReplications = 50;

// Makes the plan and, in one transaction, saves it and marks the job done (store::FinishJob), so
// that a job taken over by another runner saves nothing twice. Returns the plan's id. Errors:
// kInvalidArgument naming the field (the planner's: "hours", "history: …"); kInternal "bad_job"
// for an input that is not a plan job's; kConflict "job_lost" when `runner` no longer holds the
// job (nothing saved); the database's.
Result<int64_t> RunPlanJob(store::Database& db, const Clock& clock, const store::Job& job, const std::string& runner,
                           const planning::PlanProgress& progress);

}  // namespace madoguchi::web
