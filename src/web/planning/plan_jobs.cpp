// src/web/planning/plan_jobs.cpp — see plan_jobs.hpp.
#include "web/planning/plan_jobs.hpp"

#include <nlohmann/json.hpp>

#include "formats/plan_scenario.hpp"
#include "planning/report.hpp"
#include "store/accounts/accounts.hpp"
#include "store/audit/audit_log.hpp"
#include "store/plans/plans.hpp"

namespace madoguchi::web {

using nlohmann::json;

Result<int64_t> RunPlanJob(store::Database& db, const Clock& clock, const store::Job& job, const std::string& runner,
                           const planning::PlanProgress& progress) {
  const json input = json::parse(job.input, nullptr, false);
  if (job.kind != "plan" || !input.is_object() || !input.contains("scenario") || !input["scenario"].is_string()) {
    return InternalError("job " + std::to_string(job.id) + " is not a plan job", "bad_job");
  }
  const std::string scenario = input["scenario"].get<std::string>();
  MADOGUCHI_ASSIGN_OR_RETURN(formats::PlanScenario sc, formats::ParsePlanScenario(scenario));
  sc.settings.solver_seconds = std::min(sc.settings.solver_seconds, kJobSolverSeconds);
  sc.settings.sim_replications = std::min(sc.settings.sim_replications, kJobMaxReplications);
  std::optional<std::string> history_csv, events_csv;
  if (input.contains("history_csv")) history_csv = input["history_csv"].get<std::string>();
  if (input.contains("events_csv")) events_csv = input["events_csv"].get<std::string>();
  std::optional<std::string_view> history, events;
  if (history_csv) history = *history_csv;
  if (events_csv) events = *events_csv;
  MADOGUCHI_ASSIGN_OR_RETURN(planning::PlanOutput out, formats::BuildPlan(sc, history, events, progress));
  store::SavedPlan p;
  p.tenant_code = job.tenant;
  p.name = out.info.title;
  p.created_at_ms = clock.NowMs();
  p.created_by = job.created_by;
  p.scenario_json = scenario;
  if (sc.history) p.history_csv = history_csv;
  const auto& pl = out.plan;
  json summary = {{"planned_calls", pl.planned_calls},
                  {"total", pl.budget.total},
                  {"lines", pl.budget.lines},
                  {"agent_hours", pl.budget.agent_hours},
                  {"erlang_service_level", pl.erlang_service_level},
                  {"short_intervals", pl.short_intervals}};
  if (pl.sim_service_level) summary["sim_service_level"] = *pl.sim_service_level;
  p.summary_json = summary.dump();
  p.report_html = planning::PlanHtml(pl, out.info);
  p.plan_csv = planning::PlanCsv(pl);
  p.plan_json = formats::PlanJson(out);
  int64_t id = 0;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertPlan(conn, p));
    // The plan is its author's: the audit row names who queued it, made by the job.
    MADOGUCHI_ASSIGN_OR_RETURN(std::optional<store::User> author, store::FindUserById(conn, job.created_by));
    store::AuditEntry e;
    e.at_ms = clock.NowMs();
    e.actor_user_id = job.created_by;
    e.actor_login = author ? author->login : "user:" + std::to_string(job.created_by);
    e.actor_role = author ? std::string(accounts::RoleName(author->role)) : "unknown";
    e.tenant_code = job.tenant;
    e.action = "plan.create";
    e.record = "plan:" + std::to_string(id);
    e.source_addr = "job";
    e.request_id = "job:" + std::to_string(job.id);
    MADOGUCHI_RETURN_IF_ERROR(store::AppendAudit(conn, e));
    MADOGUCHI_ASSIGN_OR_RETURN(bool held, store::FinishJob(conn, job.id, runner, id, Status::Ok(), clock.NowMs()));
    if (!held) return ConflictError("another runner took the job over", "job_lost");
    return Status::Ok();
  }));
  return id;
}

}  // namespace madoguchi::web
