// src/web/planning/planning_handlers.hpp — the supervisor's planner: a scenario (and call history,
// uploaded or recorded in the console) in, a saved plan with its report, CSV and JSON out, and
// the plan beside the calls so far. Pages and API share one path: parse and check → queue a job
// (web/planning/plan_jobs.hpp runs it: BuildPlan → save → audit) → its page until it is done.
#pragma once

#include <optional>
#include <string>

#include "common/clock.hpp"
#include "forecast/model.hpp"
#include "store/database.hpp"
#include "store/plans/plans.hpp"
#include "web/core/routes.hpp"

namespace madoguchi::web {

// A planning request from the page or the API.
struct PlanInput {
  std::string scenario;
  std::optional<std::string> history_csv, events_csv;
  bool use_call_records = false;  // the history is the calls operators recorded in the console
};

class PlanningHandlers {
 public:
  PlanningHandlers(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  static void Register(Router& router, PlanningHandlers* self);

  HttpResponse PagePlans(RequestContext& ctx);
  HttpResponse PagePlanCreate(RequestContext& ctx);
  HttpResponse PagePlanView(RequestContext& ctx);
  HttpResponse PagePlanDownload(RequestContext& ctx);
  HttpResponse PageCallsCsv(RequestContext& ctx);
  HttpResponse ApiListPlans(RequestContext& ctx);
  HttpResponse ApiCreatePlan(RequestContext& ctx);
  HttpResponse ApiGetPlan(RequestContext& ctx);
  HttpResponse ApiPlanActuals(RequestContext& ctx);

 private:
  // Checks the request and queues its plan (a job, audited plan.queue); returns the job's id.
  Result<int64_t> QueuePlan(const RequestContext& ctx, const PlanInput& in);
  // The page around `scenario` (the form shows it, the JSON box holds it). `typed_form`: the form
  // as the request typed it (refused), with the error beside its field; `open_json`: the JSON box
  // open (its refusal, or a scenario the form does not describe).
  // `error_in_scenario`: the error is about the scenario shown (a job's that failed), placed
  // beside its field as a refusal of the typed form is.
  struct PlansPageView {
    bool use_call_records = false, typed_form = false, open_json = false, error_in_scenario = false;
  };
  HttpResponse PlansPage(RequestContext& ctx, int status, const std::string& scenario, const Status* error, const PlansPageView& view);
  Result<store::SavedPlan> LoadPlan(const RequestContext& ctx);
  // The plan's forecast beside the calls recorded so far (days up to today, Japan time).
  Result<forecast::Tracking> TrackPlan(const RequestContext& ctx, const store::SavedPlan& plan);
  // The tenant's recorded calls as planner history ("timestamp,handle_sec", one row per call).
  Result<std::string> CallRecordsCsv(const std::string& tenant);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace madoguchi::web
