// src/web/jobs/job_runner.hpp — what a job thread of `serve` or `worker` does: claim the next long
// job (store/jobs), run it by its kind (a plan: web/planning/plan_jobs.hpp; a campaign's
// messages: web/messaging/campaign_plan.hpp), report its progress
// as it goes, and end it done or failed with the error its page shows.
#pragma once

#include <string>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace madoguchi::web {

// How long a runner's claim on a job holds without a progress report (a plan reports at least
// every week's MIP, at most 10 s apart): past it, another runner takes the job over.
inline constexpr int64_t kJobLeaseMs = 120'000;

// Runs one job if one is waiting; false when none was. A job's own failure (a scenario the
// planner refuses) ends it failed and is not an error here. Errors: the database's (the job is
// left to come back when its lease runs out).
Result<bool> RunNextJob(store::Database& db, const Clock& clock, const std::string& runner, int64_t lease_ms = kJobLeaseMs);

}  // namespace madoguchi::web
