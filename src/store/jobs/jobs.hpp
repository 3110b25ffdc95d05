// src/store/jobs/jobs.hpp — the long jobs table: a job is queued by a request, claimed by one
// runner under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), reports how far it has come, and
// ends done (with what it made) or failed (with the error a page shows).
#pragma once

#include <optional>
#include <string>

#include "common/status.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

struct Job {
  int64_t id = 0;
  std::string tenant;
  std::string kind;   // "plan"
  std::string state;  // queued, running, done, failed
  std::string input;  // the kind's own JSON
  int percent = 0;
  std::string stage;                 // the kind's own word for where it is ("shifts", "simulation")
  std::optional<int64_t> result_id;  // done: what it made (a plan's id)
  Status error;                      // failed: why (its key, field and message)
  int64_t created_by = 0;
  int64_t created_at_ms = 0;
  std::optional<int64_t> started_at_ms, finished_at_ms;
  int attempts = 0;
};

// Queues a job; returns its id. Errors: the database's.
Result<int64_t> EnqueueJob(Connection& conn, const std::string& tenant, const std::string& kind, const std::string& input,
                           int64_t created_by, int64_t now_ms);

// Attempts before a job whose runner keeps dying is failed ("job_abandoned").
inline constexpr int kMaxJobAttempts = 3;
// Takes the oldest queued job, or one whose runner's lease ran out, for `runner` until now +
// lease_ms; a job that ran out its lease kMaxJobAttempts times is failed instead. nullopt: none
// waiting. Errors: the database's.
Result<std::optional<Job>> ClaimJob(Connection& conn, const std::string& runner, int64_t now_ms, int64_t lease_ms);

// Whether ClaimJob would find anything (a read: an idle runner looks without taking the writer's
// lock). Errors: the database's.
Result<bool> AnyJobWaiting(Connection& conn, int64_t now_ms);

// How far it has come; the lease is renewed. false: `runner` no longer holds it. Errors: the database's.
Result<bool> ReportJobProgress(Connection& conn, int64_t id, const std::string& runner, int percent, const std::string& stage,
                               int64_t now_ms, int64_t lease_ms);
// Ends the job: done with `result_id`, or failed with `error`. false: `runner` no longer holds it
// (another took it over; nothing changes). Errors: the database's.
Result<bool> FinishJob(Connection& conn, int64_t id, const std::string& runner, std::optional<int64_t> result_id, const Status& error,
                       int64_t now_ms);

// The tenant's job. Errors: kNotFound "unknown_job" (also another tenant's); the database's.
Result<Job> GetJob(Connection& conn, const std::string& tenant, int64_t id);

}  // namespace madoguchi::store
