// src/web/jobs/job_runner.cpp — see job_runner.hpp.
#include "web/jobs/job_runner.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "store/jobs/jobs.hpp"
#include "web/messaging/campaign_plan.hpp"
#include "web/planning/plan_jobs.hpp"

namespace madoguchi::web {

Result<bool> RunNextJob(store::Database& db, const Clock& clock, const std::string& runner, int64_t lease_ms) {
  // Most of the time there is nothing: looked for with a read, so that an idle runner never holds
  // SQLite's one writer.
  bool waiting = false;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(waiting, store::AnyJobWaiting(c, clock.NowMs()));
    return Status::Ok();
  }));
  if (!waiting) return false;
  std::optional<store::Job> job;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(job, store::ClaimJob(c, runner, clock.NowMs(), lease_ms));
    return Status::Ok();
  }));
  if (!job) return false;
  spdlog::info("msg=\"job started\" job={} kind={} tenant={} attempt={}", job->id, job->kind, job->tenant, job->attempts);
  int64_t reported_at = 0;
  auto progress = [&](int percent, std::string_view stage) {
    const int64_t now = clock.NowMs();
    if (now - reported_at < 1000) return;  // a page polls every two seconds: once a second is plenty
    reported_at = now;
    Status s = store::InTransaction(db, [&](store::Connection& c) -> Status {
      return store::ReportJobProgress(c, job->id, runner, percent, std::string(stage), now, lease_ms).status();
    });
    if (!s.ok()) spdlog::warn("msg=\"cannot report a job's progress\" job={} error=\"{}\"", job->id, s.ToString());
  };
  // A job that throws (a bug, a stored input this build cannot read) fails on its own: it never
  // takes the thread, or the server, down with it.
  Result<int64_t> made = [&]() -> Result<int64_t> {
    try {
      if (job->kind == "plan") return RunPlanJob(db, clock, *job, runner, progress);
      if (job->kind == "campaign_send") return RunCampaignSendJob(db, clock, *job, runner);
      return InternalError("no runner for jobs of kind " + job->kind, "bad_job");
    } catch (const std::exception& e) {
      return InternalError(std::string("the job stopped with an exception: ") + e.what(), "job_crashed");
    }
  }();
  if (made.ok()) {
    spdlog::info("msg=\"job done\" job={} result={}", job->id, *made);
    return true;
  }
  const Status& why = made.status();
  // The database's trouble, or another runner's job now: not this job's failure.
  if (why.code() == StatusCode::kUnavailable || why.key() == "job_lost") {
    spdlog::warn("msg=\"job left for another runner\" job={} error=\"{}\"", job->id, why.ToString());
    return why.code() == StatusCode::kUnavailable ? Result<bool>(why) : Result<bool>(true);
  }
  spdlog::info("msg=\"job failed\" job={} error=\"{}\"", job->id, why.ToString());
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(
      db, [&](store::Connection& c) -> Status { return store::FinishJob(c, job->id, runner, std::nullopt, why, clock.NowMs()).status(); }));
  return true;
}

}  // namespace madoguchi::web
