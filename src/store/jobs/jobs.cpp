// src/store/jobs/jobs.cpp — see jobs.hpp.
#include "store/jobs/jobs.hpp"

namespace madoguchi::store {
namespace {

constexpr char kJobColumns[] =
    "id, tenant_code, kind, state, input, percent, stage, result_id, error_code, error_key, error_field, error_message, created_by, "
    "created_at, started_at, finished_at, attempts";

Job ReadJob(const Row& r) {
  Job j;
  j.id = r.Int(0);
  j.tenant = r.Text(1);
  j.kind = r.Text(2);
  j.state = r.Text(3);
  j.input = r.Text(4);
  j.percent = static_cast<int>(r.Int(5));
  j.stage = r.Text(6);
  if (!r.IsNull(7)) j.result_id = r.Int(7);
  if (!r.IsNull(8) && r.Int(8) != 0) {
    j.error = Status(static_cast<StatusCode>(r.Int(8)), r.Text(9), r.Text(11), r.IsNull(10) ? "" : r.Text(10));
  }
  j.created_by = r.Int(12);
  j.created_at_ms = r.Int(13);
  if (!r.IsNull(14)) j.started_at_ms = r.Int(14);
  if (!r.IsNull(15)) j.finished_at_ms = r.Int(15);
  j.attempts = static_cast<int>(r.Int(16));
  return j;
}

}  // namespace

Result<int64_t> EnqueueJob(Connection& conn, const std::string& tenant, const std::string& kind, const std::string& input,
                           int64_t created_by, int64_t now_ms) {
  return conn.InsertReturningId(
      "INSERT INTO jobs (tenant_code, kind, state, input, created_by, created_at) VALUES (?, ?, 'queued', ?, ?, ?)",
      {tenant, kind, input, created_by, now_ms});
}

Result<std::optional<Job>> ClaimJob(Connection& conn, const std::string& runner, int64_t now_ms, int64_t lease_ms) {
  // A runner that died past its lease too often: the job is failed, not tried again.
  MADOGUCHI_RETURN_IF_ERROR(
      conn.Query("UPDATE jobs SET state = 'failed', error_code = ?, error_key = 'job_abandoned', error_field = '', error_message = "
                 "'its runner stopped before it was done, three times', finished_at = ?, lease_owner = NULL WHERE state = 'running' "
                 "AND lease_until < ? AND attempts >= ?",
                 {int64_t{static_cast<int>(StatusCode::kInternal)}, now_ms, now_ms, int64_t{kMaxJobAttempts}})
          .status());
  const std::string lock = conn.backend() == Backend::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1, started_at = ?, "
                            "percent = 0, stage = '' WHERE id = (SELECT id FROM jobs WHERE state = 'queued' OR (state = 'running' AND "
                            "lease_until < ?) ORDER BY created_at, id LIMIT 1" +
                                lock + ") RETURNING " + kJobColumns,
                            {runner, now_ms + lease_ms, now_ms, now_ms}));
  if (rows.empty()) return std::optional<Job>{};
  return std::optional<Job>(ReadJob(rows[0]));
}

Result<bool> AnyJobWaiting(Connection& conn, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT 1 FROM jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < ?) LIMIT 1", {now_ms}));
  return !rows.empty();
}

Result<bool> ReportJobProgress(Connection& conn, int64_t id, const std::string& runner, int percent, const std::string& stage,
                               int64_t now_ms, int64_t lease_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("UPDATE jobs SET percent = ?, stage = ?, lease_until = ? WHERE id = ? AND state = "
                                                   "'running' AND lease_owner = ? RETURNING id",
                                                   {int64_t{percent}, stage, now_ms + lease_ms, id, runner}));
  return !rows.empty();
}

Result<bool> FinishJob(Connection& conn, int64_t id, const std::string& runner, std::optional<int64_t> result_id, const Status& error,
                       int64_t now_ms) {
  const bool ok = error.ok();
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("UPDATE jobs SET state = ?, percent = ?, result_id = ?, error_code = ?, error_key = ?, error_field = ?, error_message = "
                 "?, finished_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = 'running' AND lease_owner = ? "
                 "RETURNING id",
                 {std::string(ok ? "done" : "failed"), int64_t{ok ? 100 : 0}, result_id ? Value(*result_id) : Value(nullptr),
                  int64_t{static_cast<int>(error.code())}, ok ? Value(nullptr) : Value(error.key()),
                  ok ? Value(nullptr) : Value(error.field()), ok ? Value(nullptr) : Value(error.message()), now_ms, id, runner}));
  return !rows.empty();
}

Result<Job> GetJob(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE tenant_code = ? AND id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such job", "unknown_job");
  return ReadJob(rows[0]);
}

}  // namespace madoguchi::store
