// The supervisor's planner: a scenario (and optionally call history) in, a saved plan with its
// report, CSV and JSON out. Pages and API share one path: parse and check → a queued job (plan_jobs.cpp).
#include <kainjow/mustache.hpp>

#include <cctype>
#include <cmath>
#include <map>

#include "common/text.hpp"
#include "common/time_format.hpp"
#include "formats/plan_scenario.hpp"
#include "planning/report.hpp"
#include "store/accounts/accounts.hpp"
#include "store/booking/bookings.hpp"
#include "store/calls/call_records.hpp"
#include "store/jobs/jobs.hpp"
#include "store/plans/plans.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/planning/plan_form.hpp"
#include "web/planning/planning_handlers.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr size_t kMaxHistoryBytes = 6 * 1024 * 1024;

std::string Percent(double v) {
  const long long tenths = std::llround(v * 1000);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

}  // namespace

void PlanningHandlers::Register(Router& router, PlanningHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = PlanningHandlers;
  add("GET", "/api/v1/t/{tenant}/plans", K::kApi, roles::kPlanners, "saved staffing plans", &H::ApiListPlans);
  add("POST", "/api/v1/t/{tenant}/plans", K::kApi, roles::kPlanners,
      "make and save a plan {scenario, history_csv?, events_csv?, use_call_records?} (docs/planning.md)", &H::ApiCreatePlan);
  add("GET", "/api/v1/t/{tenant}/plans/{id}", K::kApi, roles::kPlanners, "one plan (JSON)", &H::ApiGetPlan);
  add("GET", "/api/v1/t/{tenant}/plans/{id}/actuals", K::kApi, roles::kPlanners,
      "the plan's daily forecast beside the calls recorded so far (finished days judged against the band; today as it stands)",
      &H::ApiPlanActuals);
  add("GET", "/t/{tenant}/plans", K::kPage, roles::kPlanners, "planner page: scenario form and saved plans", &H::PagePlans);
  add("POST", "/t/{tenant}/plans", K::kPage, roles::kPlanners,
      "planner form (multipart: scenario, history_csv, events_csv, use_call_records)", &H::PagePlanCreate);
  add("GET", "/t/{tenant}/plans/{id}", K::kPage, roles::kPlanners, "one plan: the report with download links", &H::PagePlanView);
  add("GET", "/t/{tenant}/plans/{id}/{file}", K::kPage, roles::kPlanners, "download: report.html, plan.csv, plan.json or scenario.json",
      &H::PagePlanDownload);
  add("GET", "/t/{tenant}/calls.csv", K::kPage, roles::kPlanners, "call records as planner history (one row per call)", &H::PageCallsCsv);
}

// Checks the request (the scenario, its files, the recorded calls) and queues its plan for a job
// runner, audited as plan.queue; returns the job's id.
Result<int64_t> PlanningHandlers::QueuePlan(const RequestContext& ctx, const PlanInput& given) {
  PlanInput in = given;
  MADOGUCHI_ASSIGN_OR_RETURN(formats::PlanScenario sc, formats::ParsePlanScenario(in.scenario));
  if (in.use_call_records) {
    // Re-planning while the operation runs: the calls operators recorded are the history.
    if (!sc.history) {
      return InvalidArgumentError("use_call_records",
                                  "the scenario uses a city profile: write \"history\": {\"horizon_days\": 28} in its place "
                                  "to plan from the recorded calls");
    }
    if (in.history_csv) return InvalidArgumentError("history_csv", "attach a file or use the recorded calls, not both");
    MADOGUCHI_ASSIGN_OR_RETURN(in.history_csv, CallRecordsCsv(ctx.tenant));
    if (in.history_csv->find('\n') + 1 == in.history_csv->size()) {
      return InvalidArgumentError("use_call_records", "no calls have been recorded in the operator console yet");
    }
  }
  if (sc.history && !in.history_csv) {
    return InvalidArgumentError("history_csv", "the scenario names a history: attach the call history CSV, or use the recorded calls");
  }
  if (in.history_csv && in.history_csv->size() > kMaxHistoryBytes) {
    return InvalidArgumentError("history_csv", "is larger than 6 MiB: aggregate it to interval counts first");
  }
  std::optional<std::string_view> history, events;
  if (sc.history && in.history_csv) history = *in.history_csv;
  if (in.events_csv && !in.events_csv->empty()) events = *in.events_csv;
  // The files are read now, so that a bad line is named on the form, not later on the job's page.
  MADOGUCHI_RETURN_IF_ERROR(formats::PlanRequestOf(sc, history, events).status());
  json input = {{"scenario", in.scenario}};
  if (history) input["history_csv"] = std::string(*history);
  if (events) input["events_csv"] = std::string(*events);
  int64_t id = 0;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::EnqueueJob(conn, ctx.tenant, "plan", input.dump(), ctx.principal->user_id, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, "plan.queue", "job:" + std::to_string(id));
  }));
  return id;
}

namespace {

// "staffing.shifts[1].end" → "f-staffing-shifts-1-end": an element id for a field's path.
std::string FieldId(const std::string& path) {
  std::string id = "f-";
  for (char c : path) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return id;
}

// The catalogue knows a row's field once: "staffing.shifts[1].end" is looked up as
// "staffing.shifts[].end".
std::string WithoutIndex(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    out += path[i];
    if (path[i] != '[') continue;
    while (i + 1 < path.size() && path[i + 1] != ']') ++i;
  }
  return out;
}

}  // namespace

HttpResponse PlanningHandlers::PlansPage(RequestContext& ctx, int status, const std::string& scenario, const Status* error,
                                         const PlansPageView& view) {
  std::vector<store::SavedPlan> plans;
  std::optional<store::Tenant> tenant;
  int64_t recorded_calls = 0;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(conn, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(plans, store::ListPlans(conn, ctx.tenant, 50));
    MADOGUCHI_ASSIGN_OR_RETURN(recorded_calls, store::CountCallRecords(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data list{mustache::data::type::list};
  for (const auto& p : plans) {
    mustache::data row;
    row.set("id", std::to_string(p.id));
    row.set("tenant", ctx.tenant);
    row.set("name", p.name);
    row.set("created_at", FormatTokyo(p.created_at_ms));
    row.set("created_by", p.created_by_name);
    const json summary = json::parse(p.summary_json, nullptr, false);
    row.set("total", text::GroupThousands(summary.value("total", 0.0)));
    row.set("service_level", Percent(summary.value("sim_service_level", summary.value("erlang_service_level", 0.0))));
    row.set("short_intervals", std::to_string(summary.value("short_intervals", 0)));
    list.push_back(row);
  }
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  d.set("scenario", scenario);
  d.set("plans", list);
  d.set("recorded_calls", text::GroupThousands(static_cast<double>(recorded_calls)));
  d.set("use_call_records", view.use_call_records);

  // The form's values: as the request typed them after a refusal, else read from the scenario.
  std::optional<std::map<std::string, std::string>> values;
  if (view.typed_form) {
    values.emplace();
    for (const auto& [name, value] : ctx.request.params) values->emplace(name, value);
  } else {
    values = PlanFormValues(json::parse(scenario, nullptr, false));
  }
  // The refused field, and the form's field it is shown beside (the longest path it starts with).
  std::string error_text, error_at;
  if (error != nullptr) {
    error_text = ui::ErrorText(Status(error->code(), error->key(), error->message(), WithoutIndex(error->field())));
  }
  auto value = [&](const std::string& path) {
    auto it = values->find(path);
    return it == values->end() ? std::string() : it->second;
  };
  // The first of the form's fields the error is about: the field itself, one it is inside of
  // ("staffing.shifts[3].days[0]" → the row's days), or the first inside it ("staffing.shifts" →
  // the first shift's name).
  auto err_for = [&](const std::string& path) {
    if (error == nullptr || !(view.typed_form || view.error_in_scenario) || !error_at.empty()) return false;
    const std::string& f = error->field();
    const bool about =
        f == path || f.starts_with(path + ".") || f.starts_with(path + "[") || path.starts_with(f + ".") || path.starts_with(f + "[");
    if (about) error_at = path;
    return about;
  };
  if (values) {
    d.set("form", mustache::data::type::bool_true);
    const PlanFormLayout& layout = PlanForm();
    std::map<std::string, mustache::data*> by_path;
    mustache::data groups{mustache::data::type::list};
    for (const auto& [heading, fields] : layout.groups) {
      mustache::data g;
      g.set("heading", heading);
      mustache::data fl{mustache::data::type::list};
      for (const PlanField& f : fields) {
        mustache::data x;
        x.set("id", FieldId(f.path));
        x.set("name", f.path);
        x.set("label", f.label);
        x.set("value", value(f.path));
        x.set("inputmode", f.kind == PlanFieldKind::kText || f.kind == PlanFieldKind::kHours ? "text" : "decimal");
        if (!f.hint.empty()) x.set("hint", f.hint);
        if (err_for(f.path)) x.set("err", error_text);
        fl.push_back(x);
      }
      g.set("fields", fl);
      groups.push_back(g);
    }
    d.set("groups", groups);
    // Rows: mailings, openings, shifts.
    struct Column {
      std::string key, heading, size;
      bool number = false;
    };
    auto table = [&](const std::string& list, const std::string& heading, const std::string& hint, const std::string& what, int rows,
                     const std::vector<Column>& columns, bool days) {
      mustache::data t;
      t.set("heading", heading);
      if (!hint.empty()) t.set("hint", hint);
      mustache::data heads{mustache::data::type::list};
      for (const Column& c : columns) heads.push_back(mustache::data(c.heading));
      if (days) heads.push_back(mustache::data(std::string("曜日")));
      t.set("columns", heads);
      mustache::data rl{mustache::data::type::list};
      for (int i = 0; i < rows; ++i) {
        const std::string at = list + "[" + std::to_string(i) + "]";
        mustache::data cells{mustache::data::type::list};
        for (const Column& c : columns) {
          mustache::data cell, in;
          in.set("id", FieldId(at + "." + c.key));
          in.set("name", at + "." + c.key);
          in.set("label", what + std::to_string(i + 1) + "の" + c.heading);
          in.set("value", value(at + "." + c.key));
          in.set("inputmode", c.number ? "numeric" : "text");
          in.set("size", c.size);
          if (err_for(at + "." + c.key)) {
            in.set("err", mustache::data::type::bool_true);
            cell.set("err", error_text);
            cell.set("id", FieldId(at + "." + c.key));
          }
          cell.set("input", in);
          cells.push_back(cell);
        }
        if (days) {
          mustache::data cell, dd, choices{mustache::data::type::list};
          dd.set("label", what + std::to_string(i + 1) + "の曜日");
          for (const auto& [day, label] : ShiftDayChoices()) {
            mustache::data c;
            c.set("name", at + ".days." + day);
            c.set("day", label);
            if (!value(at + ".days." + day).empty()) c.set("on", mustache::data::type::bool_true);
            choices.push_back(c);
          }
          dd.set("choices", choices);
          cell.set("days", dd);
          if (err_for(at + ".days")) {
            cell.set("err", error_text);
            cell.set("id", FieldId(at + ".days"));
          }
          cells.push_back(cell);
        }
        mustache::data r;
        r.set("cells", cells);
        rl.push_back(r);
      }
      t.set("rows", rl);
      return t;
    };
    mustache::data tables{mustache::data::type::list};
    tables.push_back(
        table("profile.mailings", "接種券の発送", "発送した日から問い合わせが増えます。空いた行は使いません。", "発送", layout.mailing_rows,
              {{"date", "発送日（2027-04-05）", ""}, {"count", "人数", "", true}, {"label", "説明（例：85歳以上）", "wide"}}, false));
    tables.push_back(table("profile.booking_opens", "予約の開始", "予約が始まる日に入電が集中します。", "予約開始", layout.opening_rows,
                           {{"date", "開始日", ""}, {"count", "予約できる人数", "", true}}, false));
    tables.push_back(
        table("staffing.shifts", "シフト",
              "休憩は計画が置きます（6時間をこえて働くなら45分以上、8時間をこえるなら60分以上）。曜日のないシフトは使いません。", "シフト",
              layout.shift_rows,
              {{"name", "名前", "wide"},
               {"start", "始まり（08:30）", ""},
               {"end", "終わり（17:15）", ""},
               {"break_minutes", "休憩（分）", "", true}},
              true));
    d.set("tables", tables);
  }
  if (error != nullptr) {
    mustache::data e;
    e.set("text", error_text);
    if (!error_at.empty()) {
      e.set("label", PlanFieldLabel(error->field()).empty() ? std::string("入力") : PlanFieldLabel(error->field()));
      e.set("anchor", FieldId(error_at));
    } else if (!error->field().empty()) {
      e.set("where", error->field());  // a place in the JSON, for who wrote it
    }
    d.set("error", e);
  }
  if (view.open_json || !values) d.set("open_json", mustache::data::type::bool_true);
  return HtmlResponse(status, PageShell("人員計画", Render(templates::kPlans, d), &*ctx.principal));
}

HttpResponse PlanningHandlers::PagePlans(RequestContext& ctx) {
  // ?job=ID: a plan that could not be made, its scenario back in the form with why beside its field.
  if (auto job_param = ctx.request.Param("job")) {
    auto job_id = ParseId(*job_param);
    std::optional<store::Job> job;
    Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
      if (!job_id) return NotFoundError("no such job", "unknown_job");
      MADOGUCHI_ASSIGN_OR_RETURN(job, store::GetJob(conn, ctx.tenant, *job_id));
      return Status::Ok();
    });
    if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
    const json input = json::parse(job->input, nullptr, false);
    if (job->kind == "plan" && job->state == "failed" && input.is_object() && input.contains("scenario")) {
      const std::string scenario = input["scenario"].get<std::string>();
      const bool shown_by_form = PlanFormValues(json::parse(scenario, nullptr, false)).has_value();
      return PlansPage(ctx, 200, scenario, &job->error, {.open_json = !shown_by_form, .error_in_scenario = true});
    }
  }
  // Start from the newest saved scenario, or the documented example.
  std::string scenario = templates::kExampleScenario;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto plans, store::ListPlans(conn, ctx.tenant, 1));
    if (plans.empty()) return Status::Ok();
    MADOGUCHI_ASSIGN_OR_RETURN(auto newest, store::FindPlan(conn, ctx.tenant, plans[0].id));
    scenario = newest.scenario_json;
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return PlansPage(ctx, 200, scenario, nullptr, {});
}

HttpResponse PlanningHandlers::PagePlanCreate(RequestContext& ctx) {
  PlanInput in;
  in.scenario = ctx.request.Param("scenario").value_or("");
  if (ctx.request.Param("mode").value_or("") == "form") {
    // The form's fields over the scenario it was shown from (settings it does not show are kept).
    json base = json::parse(in.scenario, nullptr, false);
    if (!base.is_object()) base = json::parse(templates::kExampleScenario);
    auto written = ApplyPlanForm(base, ctx.request);
    if (!written.ok()) return PlansPage(ctx, 422, in.scenario, &written.status(), {.typed_form = true});
    const std::string shown = in.scenario;
    in.scenario = written->dump(2);
    auto id = QueuePlan(ctx, in);
    if (!id.ok()) {
      if (id.status().code() != StatusCode::kInvalidArgument && id.status().code() != StatusCode::kMalformed) {
        return ErrorPage(&ctx, HttpStatusFor(id.status().code()), ui::ErrorText(id.status()));
      }
      // The scenario counts only the filled rows: the refusal is shown beside the row typed.
      const Status& why = id.status();
      const Status at_row(why.code(), why.key(), why.message(), FormPathOf(why.field(), ctx.request));
      return PlansPage(ctx, 422, shown, &at_row, {.typed_form = true});
    }
    return RedirectResponse("/t/" + ctx.tenant + "/jobs/" + std::to_string(*id));
  }
  if (auto h = ctx.request.Param("history_csv"); h && !h->empty()) in.history_csv = *h;
  if (auto e = ctx.request.Param("events_csv"); e && !e->empty()) in.events_csv = *e;
  in.use_call_records = ctx.request.Param("use_call_records").value_or("") == "1";
  if (in.scenario.empty()) {
    const Status missing = InvalidArgumentError("scenario", "is empty: write or paste a scenario");
    return PlansPage(ctx, 422, templates::kExampleScenario, &missing, {.open_json = true});
  }
  auto id = QueuePlan(ctx, in);
  if (!id.ok()) {
    if (id.status().code() != StatusCode::kInvalidArgument && id.status().code() != StatusCode::kMalformed) {
      return ErrorPage(&ctx, HttpStatusFor(id.status().code()), ui::ErrorText(id.status()));
    }
    return PlansPage(ctx, 422, in.scenario, &id.status(), {.use_call_records = in.use_call_records, .open_json = true});
  }
  return RedirectResponse("/t/" + ctx.tenant + "/jobs/" + std::to_string(*id));
}

Result<store::SavedPlan> PlanningHandlers::LoadPlan(const RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return NotFoundError("no such plan", "plan_not_found");
  store::SavedPlan plan;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(plan, store::FindPlan(conn, ctx.tenant, *id));
    return Status::Ok();
  }));
  return plan;
}

// The report carries its own inline style and no script.
static void ReportHeaders(HttpResponse& r) {
  r.AddHeader("Content-Security-Policy",
              "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'self'");
  r.AddHeader("X-Frame-Options", "DENY");
}

Result<forecast::Tracking> PlanningHandlers::TrackPlan(const RequestContext& ctx, const store::SavedPlan& plan) {
  std::vector<forecast::DayForecast> days;
  const json j = json::parse(plan.plan_json, nullptr, false);
  if (j.is_object() && j.contains("forecast_days") && j["forecast_days"].is_array()) {
    for (const json& d : j["forecast_days"]) {
      const auto day = ParseIsoDate(d.value("date", ""));
      if (!day) continue;
      days.push_back({*day, d.value("closed", false), d.value("p10", 0.0), d.value("p50", 0.0), d.value("p90", 0.0)});
    }
  }
  const forecast::Day today = JapanDay(clock_.NowMs());
  std::vector<std::pair<forecast::Day, double>> actual;
  if (!days.empty() && days.front().day <= today) {
    std::vector<std::pair<int64_t, int64_t>> counts;
    MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(counts, store::CallCountsByDay(conn, ctx.tenant, JapanMidnightMs(days.front().day),
                                                                JapanMidnightMs(today + std::chrono::days{1}), kJapanOffsetMs));
      return Status::Ok();
    }));
    for (const auto& [day, n] : counts) actual.emplace_back(forecast::Day{std::chrono::days{day}}, static_cast<double>(n));
  }
  return forecast::TrackForecast(days, actual, today);
}

namespace {

// The comparison as a section for the top of the report page (inline styles: the report has no
// style sheet of ours).
std::string TrackingSection(const forecast::Tracking& t) {
  if (t.days.empty()) return "";
  std::string h =
      "<section style=\"font-size:16px;margin:8px 0 16px;padding:8px 12px;border:2px solid #ccc;border-radius:8px\">"
      "<h2 style=\"font-size:20px;margin:4px 0\">予測と実績（オペレーター画面で記録した通話）</h2>";
  if (t.actual_total == 0 && (t.days.empty() || t.days.back().actual == 0)) {
    return h + "<p>この計画の期間の通話は、まだ記録されていません。</p></section>";
  }
  if (t.finished_days == 0) {
    h += "<p>きょうが計画の初日です。昨日までの予測と記録の比較は、あすから出ます。</p>";
  } else if (t.actual_total == 0) {
    // No error figure without data: 0 % would read as a perfect forecast.
    h += "<p class=\"error\" role=\"alert\">昨日までの " + std::to_string(t.finished_days) + " 日（予測 " +
         text::GroupThousands(std::round(t.forecast_total)) +
         " 件）に、記録された通話は 1 件もありません。オペレーター画面で通話が記録されているか確かめてください。"
         "誤差率は、記録があるときだけ出します。</p>";
  } else {
    h += "<p>昨日までの " + std::to_string(t.finished_days) + " 日：予測 " + text::GroupThousands(std::round(t.forecast_total)) +
         " 件、記録 " + text::GroupThousands(t.actual_total) + " 件（誤差率 " + std::to_string(static_cast<int>(std::round(t.wape * 100))) +
         "%）。予測の幅を上回った日 " + std::to_string(t.above) + " 日、下回った日 " + std::to_string(t.below) +
         " 日。記録は応答した通話なので、話中やあきらめた通話は含みません。ずれが続くときは、記録した通話から計画を作り直せます。</p>";
  }
  h += "<div style=\"overflow-x:auto\"><table style=\"border-collapse:collapse\"><thead><tr>";
  for (const char* th : {"日付", "予測（中央）", "予測の幅", "記録した通話", ""}) {
    h += std::string("<th style=\"text-align:left;padding:4px 10px;border-bottom:2px solid #999\">") + th + "</th>";
  }
  h += "</tr></thead><tbody>";
  for (auto it = t.days.rbegin(); it != t.days.rend(); ++it) {  // newest first
    const forecast::TrackedDay& d = *it;
    const char* mark = d.partial                   ? "本日（集計中）"
                       : d.closed && d.actual == 0 ? "休業日"
                       : d.side > 0                ? "▲ 幅より多い"
                       : d.side < 0                ? "▼ 幅より少ない"
                                                   : "";
    const char* color = d.side > 0 ? "#b00020" : d.side < 0 ? "#1a4f9c" : "#333";
    h += "<tr><td style=\"padding:4px 10px\">" + FormatIsoDate(d.day) + "（" + WeekdayJa(d.day) + "）</td>" +
         "<td style=\"padding:4px 10px;text-align:right\">" + text::GroupThousands(std::round(d.p50)) + "</td>" +
         "<td style=\"padding:4px 10px;text-align:right\">" + text::GroupThousands(std::round(d.p10)) + "–" +
         text::GroupThousands(std::round(d.p90)) + "</td>" + "<td style=\"padding:4px 10px;text-align:right;font-weight:bold\">" +
         text::GroupThousands(d.actual) + "</td>" + "<td style=\"padding:4px 10px;color:" + color + "\">" + mark + "</td></tr>";
  }
  return h + "</tbody></table></div></section>";
}

}  // namespace

HttpResponse PlanningHandlers::PagePlanView(RequestContext& ctx) {
  auto plan = LoadPlan(ctx);
  if (!plan.ok()) return ErrorPage(&ctx, HttpStatusFor(plan.status().code()), "その計画は見つかりません。");
  const std::string base = "/t/" + ctx.tenant + "/plans/" + std::to_string(plan->id);
  const std::string nav =
      "<nav style=\"font-size:18px;padding:10px 0;border-bottom:2px solid #ccc;margin-bottom:8px\">"
      "<a href=\"/t/" +
      ctx.tenant +
      "/plans\">← 計画の一覧・新しい計画</a>　｜　ダウンロード："
      "<a href=\"" +
      base +
      "/report.html\">報告書（HTML）</a>　"
      "<a href=\"" +
      base + "/plan.csv\">区間ごとの表（CSV）</a>（<a href=\"" + base +
      "/plan.csv?names=machine\">列名を英字で</a>）　"
      "<a href=\"" +
      base +
      "/plan.json\">JSON</a>　"
      "<a href=\"" +
      base +
      "/scenario.json\">シナリオ</a>"
      "<br><span style=\"color:#555\">作成：" +
      text::HtmlEscape(plan->created_by_name) + "　" + FormatTokyo(plan->created_at_ms) + "</span></nav>";
  auto tracking = TrackPlan(ctx, *plan);
  if (!tracking.ok()) return ErrorPage(&ctx, HttpStatusFor(tracking.status().code()), ui::ErrorText(tracking.status()));
  std::string html = plan->report_html;
  const size_t body = html.find("<body>");
  if (body != std::string::npos) html.insert(body + 6, nav + TrackingSection(*tracking));
  HttpResponse r = HtmlResponse(200, html);
  ReportHeaders(r);
  return r;
}

HttpResponse PlanningHandlers::PagePlanDownload(RequestContext& ctx) {
  auto plan = LoadPlan(ctx);
  if (!plan.ok()) return ErrorPage(&ctx, HttpStatusFor(plan.status().code()), "その計画は見つかりません。");
  const std::string file = ctx.path_params.at("file");
  const std::string stem = "plan-" + ctx.tenant + "-" + std::to_string(plan->id);
  HttpResponse r;
  if (file == "report.html") {
    r = HtmlResponse(200, plan->report_html);
    ReportHeaders(r);
  } else if (file == "plan.csv") {
    r.content_type = "text/csv; charset=utf-8";
    // Japanese column names for people; ?names=machine keeps the machine names for programs.
    const bool machine = ctx.request.Param("names").value_or("") == "machine";
    r.body =
        "\xEF\xBB\xBF" + (machine ? plan->plan_csv : planning::PlanCsvWithJapaneseHeader(plan->plan_csv));  // BOM, so Excel reads UTF-8
  } else if (file == "plan.json") {
    r.content_type = "application/json";
    r.body = plan->plan_json;
  } else if (file == "scenario.json") {
    r.content_type = "application/json";
    r.body = plan->scenario_json;
  } else {
    return ErrorPage(&ctx, 404, "そのファイルはありません。");
  }
  const std::string ext = file.substr(file.find('.'));
  r.AddHeader("Content-Disposition", "attachment; filename=\"" + (file == "scenario.json" ? stem + "-scenario" : stem) + ext + "\"");
  return r;
}

HttpResponse PlanningHandlers::ApiListPlans(RequestContext& ctx) {
  std::vector<store::SavedPlan> plans;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(plans, store::ListPlans(conn, ctx.tenant, 200));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json list = json::array();
  for (const auto& p : plans) {
    list.push_back({{"id", p.id},
                    {"name", p.name},
                    {"created_at", FormatUtcIso(p.created_at_ms)},
                    {"created_by", p.created_by_name},
                    {"summary", json::parse(p.summary_json, nullptr, false)}});
  }
  return JsonReply(200, {{"plans", list}});
}

HttpResponse PlanningHandlers::ApiCreatePlan(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  PlanInput in;
  if (!body->contains("scenario") || !(*body)["scenario"].is_object()) {
    return JsonError(InvalidArgumentError("scenario", "is required: the scenario object (docs/planning.md)"));
  }
  in.scenario = (*body)["scenario"].dump(2);
  for (const auto& [key, target] : {std::pair{"history_csv", &in.history_csv}, {"events_csv", &in.events_csv}}) {
    if (!body->contains(key)) continue;
    if (!(*body)[key].is_string()) return JsonError(InvalidArgumentError(key, "must be a string (the CSV text)"));
    *target = (*body)[key].get<std::string>();
  }
  if (body->contains("use_call_records")) {
    if (!(*body)["use_call_records"].is_boolean()) {
      return JsonError(InvalidArgumentError("use_call_records", "must be true or false"));
    }
    in.use_call_records = (*body)["use_call_records"].get<bool>();
  }
  auto id = QueuePlan(ctx, in);
  if (!id.ok()) {
    Status s = id.status();
    if (s.code() == StatusCode::kMalformed) s = InvalidArgumentError("scenario", s.message());
    return JsonError(s);
  }
  // Accepted: a job runner makes it; the job says when it is done and which plan it made.
  const std::string job = "/api/v1/t/" + ctx.tenant + "/jobs/" + std::to_string(*id);
  return JsonReply(202, {{"job_id", *id}, {"state", "queued"}, {"job", job}, {"page", "/t/" + ctx.tenant + "/jobs/" + std::to_string(*id)}})
      .AddHeader("Location", job);
}

HttpResponse PlanningHandlers::ApiGetPlan(RequestContext& ctx) {
  auto plan = LoadPlan(ctx);
  if (!plan.ok()) return JsonError(plan.status());
  HttpResponse r;
  r.content_type = "application/json";
  r.body = plan->plan_json;
  return r;
}

HttpResponse PlanningHandlers::ApiPlanActuals(RequestContext& ctx) {
  auto plan = LoadPlan(ctx);
  if (!plan.ok()) return JsonError(plan.status());
  auto t = TrackPlan(ctx, *plan);
  if (!t.ok()) return JsonError(t.status());
  json days = json::array();
  for (const auto& d : t->days) {
    days.push_back({{"date", FormatIsoDate(d.day)},
                    {"closed", d.closed},
                    {"today", d.partial},
                    {"p10", d.p10},
                    {"p50", d.p50},
                    {"p90", d.p90},
                    {"recorded", d.actual},
                    {"outside_band", d.side > 0   ? "above"
                                     : d.side < 0 ? "below"
                                                  : ""}});
  }
  return JsonReply(200, {{"days", days},
                         {"finished_days", t->finished_days},
                         {"forecast_total", t->forecast_total},
                         {"recorded_total", t->actual_total},
                         {"wape", t->wape},
                         {"days_above", t->above},
                         {"days_below", t->below}});
}

// The calls as planner history: one row per call (docs/forecast.md, "one row per call").
Result<std::string> PlanningHandlers::CallRecordsCsv(const std::string& tenant) {
  std::vector<std::pair<int64_t, int>> calls;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(calls, store::CallTimes(conn, tenant, 0, clock_.NowMs() + 86'400'000));
    return Status::Ok();
  }));
  std::string csv = "timestamp,handle_sec\n";
  for (const auto& [at, sec] : calls) csv += FormatTokyoIso(at) + "," + std::to_string(sec) + "\n";
  return csv;
}

HttpResponse PlanningHandlers::PageCallsCsv(RequestContext& ctx) {
  auto csv = CallRecordsCsv(ctx.tenant);
  if (!csv.ok()) return ErrorPage(&ctx, HttpStatusFor(csv.status().code()), ui::ErrorText(csv.status()));
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(*csv);
  r.AddHeader("Content-Disposition", "attachment; filename=\"calls-" + ctx.tenant + ".csv\"");
  return r;
}

}  // namespace madoguchi::web
