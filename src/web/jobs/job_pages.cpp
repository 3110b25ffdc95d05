// src/web/jobs/job_pages.cpp — see job_pages.hpp.
#include "web/jobs/job_pages.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "store/jobs/jobs.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

const char* kJobPage = R"html({{#refresh}}<meta http-equiv="refresh" content="2">{{/refresh}}
<p><a href="/t/{{tenant}}/plans">← 人員計画へ</a></p>
<h1>人員計画を作っています</h1>
{{#queued}}<p role="status">計算の順番を待っています（{{waited}}）。ほかの計画を計算しているときは、その後に始まります。</p>{{/queued}}
{{#running}}<p role="status">{{stage}}（{{percent}}%、始めてから {{elapsed}}）</p>
<p><progress value="{{percent}}" max="100" aria-label="計算の進み具合">{{percent}}%</progress></p>{{/running}}
{{#refresh}}<p class="hint">この画面は2秒ごとに新しくなり、できあがると計画の画面に移ります。閉じても計算は続き、できた計画は「人員計画」の一覧に出ます。</p>{{/refresh}}
{{#failed}}<div class="error" role="alert"><p>計画を作れませんでした。{{error}}</p></div>
<p><a class="button" href="/t/{{tenant}}/plans?job={{id}}">入力に戻って直す</a></p>{{/failed}}
)html";

std::string StageLabel(const std::string& stage) {
  if (stage == "shifts") return "シフトを組んでいます（1週間ずつ）";
  if (stage == "simulation") return "組んだシフトをシミュレーションで確かめています";
  return "予測を立てています";
}

std::string Elapsed(int64_t ms) {
  const int64_t s = std::max<int64_t>(0, ms / 1000);
  return s < 60 ? std::to_string(s) + "秒" : std::to_string(s / 60) + "分" + std::to_string(s % 60) + "秒";
}

Result<store::Job> LoadJob(store::Database& db, const RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return NotFoundError("no such job", "unknown_job");
  store::Job job;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(job, store::GetJob(c, ctx.tenant, *id));
    return Status::Ok();
  }));
  return job;
}

}  // namespace

void JobHandlers::Register(Router& router, JobHandlers* self) {
  RouteAdder add(router, self);
  add("GET", "/t/{tenant}/jobs/{id}", RouteKind::kPage, roles::kPlanners,
      "a long job (a plan being made): its progress, refreshing; on to the plan when done", &JobHandlers::PageJob);
  add("GET", "/api/v1/t/{tenant}/jobs/{id}", RouteKind::kApi, roles::kPlanners,
      "a long job: state, percent, stage; the plan when done, the error when failed", &JobHandlers::ApiJob);
}

HttpResponse JobHandlers::PageJob(RequestContext& ctx) {
  Result<store::Job> job = LoadJob(db_, ctx);
  if (!job.ok()) return ErrorPage(&ctx, HttpStatusFor(job.status().code()), ui::ErrorText(job.status()));
  // A campaign's sending is followed on the campaign's own page.
  if (job->kind == "campaign_send") {
    const auto input = nlohmann::json::parse(job->input, nullptr, false);
    if (input.is_object() && input.contains("campaign") && input["campaign"].is_number_integer()) {
      return RedirectResponse("/t/" + ctx.tenant + "/campaigns/" + std::to_string(input["campaign"].get<int64_t>()));
    }
  }
  if (job->state == "done" && job->result_id) return RedirectResponse("/t/" + ctx.tenant + "/plans/" + std::to_string(*job->result_id));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("id", std::to_string(job->id));
  if (job->state == "queued" || job->state == "running") d.set("refresh", mustache::data::type::bool_true);
  if (job->state == "queued") {
    d.set("queued", mustache::data::type::bool_true);
    d.set("waited", Elapsed(clock_.NowMs() - job->created_at_ms));
  }
  if (job->state == "running") {
    d.set("running", mustache::data::type::bool_true);
    d.set("stage", StageLabel(job->stage));
    d.set("percent", std::to_string(job->percent));
    d.set("elapsed", Elapsed(clock_.NowMs() - job->started_at_ms.value_or(clock_.NowMs())));
  }
  if (job->state == "failed") {
    d.set("failed", mustache::data::type::bool_true);
    d.set("error", ui::ErrorText(job->error));
  }
  return HtmlResponse(200, PageShell("人員計画を作っています", Render(kJobPage, d), &*ctx.principal));
}

HttpResponse JobHandlers::ApiJob(RequestContext& ctx) {
  Result<store::Job> job = LoadJob(db_, ctx);
  if (!job.ok()) return JsonError(job.status());
  nlohmann::json j = {{"id", job->id}, {"kind", job->kind}, {"state", job->state}, {"percent", job->percent}, {"stage", job->stage}};
  if (job->kind == "plan" && job->state == "done" && job->result_id) {
    const std::string base = "/t/" + ctx.tenant + "/plans/" + std::to_string(*job->result_id);
    j["plan"] = {
        {"id", *job->result_id}, {"report", base}, {"downloads", {base + "/report.html", base + "/plan.csv", base + "/plan.json"}}};
  }
  if (job->state == "failed") {
    const Status& e = job->error;
    j["error"] = {{"code", e.key()}, {"message", e.message()}};
    if (!e.field().empty()) j["error"]["field"] = e.field();
  }
  return JsonReply(200, j);
}

}  // namespace madoguchi::web
