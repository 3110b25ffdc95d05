// The staff's pages for home-care patients: see follow_up_pages.hpp.
#include "web/care/follow_up_pages.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>

#include "booking/booking.hpp"
#include "common/time_format.hpp"
#include "messaging/phone.hpp"
#include "store/accounts/accounts.hpp"
#include "store/care/follow_up.hpp"
#include "web/care/questions.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr int kCallListSize = 500;

std::string Waited(int64_t from_ms, int64_t now_ms) {
  const int64_t minutes = std::max<int64_t>(0, (now_ms - from_ms) / 60'000);
  if (minutes < 60) return std::to_string(minutes) + "分";
  if (minutes < 48 * 60) return std::to_string(minutes / 60) + "時間" + std::to_string(minutes % 60) + "分";
  return std::to_string(minutes / 1440) + "日";
}

std::string OneDecimal(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// What a report said, in a line: a number replied, or the urgent question and the items answered はい.
std::string Summary(const care::ReportRecord& r) {
  if (!r.report) return "期限までに回答なし";
  const care::HealthReport& h = *r.report;
  if (h.number_reply) return "返信 " + std::string(ui::NumberReplyLabel(*h.number_reply));
  std::string out = h.urgent ? "緊急性の高い症状あり" : "緊急性の高い症状なし";
  std::string yes;
  for (size_t i = 0; i < care::kSymptomCount; ++i) {
    if (h.answers[i] == care::Answer::kYes)
      yes += (yes.empty() ? "" : "、") + std::string(ui::DailySymptomLabel(static_cast<care::Symptom>(i)));
  }
  out += yes.empty() ? "。ほかの症状なし" : "。あり：" + yes;
  if (!h.note.empty()) out += "。ひとこと：" + h.note;
  return out;
}

std::string ShortReport(const care::ReportRecord& r) {
  std::string out = FormatTokyo(r.at_ms) + " " + std::string(care::PriorityName(r.classification.priority));
  if (r.report && r.report->spo2) out += " SpO2 " + std::to_string(*r.report->spo2) + "%";
  if (r.report && r.report->temperature) out += " " + OneDecimal(*r.report->temperature) + "℃";
  if (r.report && r.report->number_reply) out += " 返信" + std::string(ui::NumberReplyLabel(*r.report->number_reply)).substr(0, 1);
  return out;
}

std::string Tenant(store::Connection& c, const std::string& code) {
  auto t = store::FindTenant(c, code);
  return t.ok() && *t ? (*t)->name : code;
}

// The share of the day's check-ins answered, as the dashboard shows it.
std::string ReplyRate(const store::DayCounts& c) { return c.sent > 0 ? std::to_string(c.answered * 100 / c.sent) + "%" : "—"; }

HttpResponse Private(HttpResponse r) {
  r.AddHeader("Cache-Control", "no-store, private");
  return r;
}

}  // namespace

void CareFollowUpPages::Register(Router& router, CareFollowUpPages* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = CareFollowUpPages;
  add("GET", "/t/{tenant}/care/calls", K::kPage, roles::kCareStaff,
      "home-care patients to phone, most urgent first (priority, risk score, waiting); audited", &H::CallsPage);
  add("GET", "/t/{tenant}/care/patients/{id}", K::kPage, roles::kCareStaff,
      "a home-care patient's record: reports with their classification and rule, calls, check-ins; audited", &H::PatientPage);
  add("POST", "/t/{tenant}/care/patients/{id}/calls", K::kPage, roles::kCareStaff,
      "log a call to the patient (outcome, notes); a settling outcome takes them off the call list", &H::LogCall);
  add("POST", "/t/{tenant}/care/patients/{id}/reports", K::kPage, roles::kCareStaff,
      "a report taken on the phone (the check-in's questions), classified like the patient's own; audited", &H::ReportByPhone);
  add("POST", "/t/{tenant}/care/patients/{id}/check-in", K::kPage, roles::kCareStaff,
      "send the patient today's health check-in now (or its link again); audited", &H::SendCheckIn);
  add("POST", "/t/{tenant}/care/patients/{id}/line", K::kPage, roles::kCareStaff,
      "undo the patient's LINE link (their messages go by SMS or email again); audited", &H::UnlinkLine);
  add("POST", "/t/{tenant}/care/patients/{id}/extend", K::kPage, roles::kDoctors,
      "doctors: extend the home care by 1-14 days (the patient is told)", &H::Extend);
  add("GET", "/t/{tenant}/care/dashboard", K::kPage, roles::kCareStaff,
      "home care at a glance: open P0s (live), patients to call by priority, check-ins and reply rate by day, overdue reviews",
      &H::DashboardPage);
  add("GET", "/api/v1/t/{tenant}/care/dashboard", K::kApi, roles::kCareStaff,
      "the dashboard's figures and open P0s as JSON (the page polls it); audited", &H::DashboardJson);
  add("GET", "/static/care-live.js", K::kPage, roles::kPublic, "the dashboard's live update", &H::LiveJs);
}

HttpResponse CareFollowUpPages::CallsPage(RequestContext& ctx) {
  const int64_t now = clock_.NowMs();
  const booking::Day today = JapanDay(now);
  std::vector<store::CallListEntry> entries;
  int64_t total = 0;
  std::string tenant_name;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    tenant_name = Tenant(c, ctx.tenant);
    MADOGUCHI_ASSIGN_OR_RETURN(entries, store::ListCallList(c, ctx.tenant, today, kCallListSize));
    MADOGUCHI_ASSIGN_OR_RETURN(total, store::CountCallList(c, ctx.tenant));
    return Audit(clock_, c, ctx, ctx.tenant, "care.calls_read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant_name);
  d.set("count", std::to_string(total));
  // The list stops at kCallListSize: say so, and that the rest come up as these are called.
  if (total > static_cast<int64_t>(entries.size())) d.set("shown", std::to_string(entries.size()));
  mustache::data list{mustache::data::type::list};
  for (const store::CallListEntry& e : entries) {
    const care::CallNeed& need = *e.episode.call;
    mustache::data x;
    x.set("tenant", ctx.tenant);
    x.set("id", std::to_string(e.episode.id));
    x.set("class", need.priority == care::Priority::kP0 ? "alarm" : "");
    x.set("priority", std::string(care::PriorityName(need.priority)));
    x.set("rule", ui::TriageRuleText(need.rule_id));
    x.set("name", e.episode.name);
    x.set("kana", e.episode.kana);
    x.set("phone", messaging::NationalFormat(e.episode.phone));
    x.set("tel", messaging::NationalFormat(e.episode.phone));
    x.set("age", std::to_string(e.episode.patient.age));
    x.set("today", e.today ? std::string(ui::CheckInStateText(*e.today)) : std::string("—"));
    x.set("last_report", e.last_report ? ShortReport(*e.last_report) : std::string("—"));
    x.set("last_call",
          e.last_call ? FormatTokyo(e.last_call->at_ms) + " " + std::string(ui::CallOutcomeLabel(e.last_call->outcome)) : std::string("—"));
    x.set("waited", Waited(need.since_ms, now));
    list.push_back(x);
  }
  d.set("entries", list);
  // The P0s on the page as drawn: the live script announces any other.
  std::string p0_ids;
  for (const store::CallListEntry& e : entries) {
    if (e.episode.call->priority == care::Priority::kP0) p0_ids += (p0_ids.empty() ? "" : ",") + std::to_string(e.episode.id);
  }
  d.set("p0_ids", p0_ids);
  return Private(HtmlResponse(200, PageShell("電話する人", Render(templates::kCareCalls, d), &*ctx.principal)));
}

HttpResponse CareFollowUpPages::Patient(RequestContext& ctx, int status, int64_t id, const std::string& error, const std::string& done,
                                        const care::Problems& problems) {
  std::optional<store::PatientRecord> p;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(p, store::GetPatientRecord(c, ctx.tenant, id));
    return Audit(clock_, c, ctx, ctx.tenant, "care.patient_read", "care_episode:" + std::to_string(id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  const care::EpisodeView& e = p->episode;
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  d.set("id", std::to_string(e.id));
  d.set("name", e.name);
  d.set("kana", e.kana);
  d.set("phone", messaging::NationalFormat(e.phone));
  d.set("tel", messaging::NationalFormat(e.phone));
  d.set("age", std::to_string(e.patient.age));
  d.set("risk_factors", std::to_string(e.patient.risk_factors));
  d.set("receipt", care::ReceiptInGroups(p->receipt));
  d.set("starts", FormatDateJa(e.starts_on));
  d.set("ends", FormatDateJa(e.planned_end_on));
  if (!e.active) d.set("ended", mustache::data::type::bool_true);
  if (e.call) d.set("call", std::string(ui::PriorityLabel(e.call->priority)) + "（" + ui::TriageRuleText(e.call->rule_id) + "）");
  d.set("contact", std::string(ui::PatientContactLabel(e)));
  if (!e.line_user_id.empty() && e.active) d.set("line", mustache::data::type::bool_true);
  if (!error.empty()) d.set("error", error);
  // What a post just did (the redirect names it), told from the record, never from the address.
  std::string told;
  if (done == "call" && !p->calls.empty()) {
    told = FormatTokyo(p->calls[0].at_ms) + "の電話を「" + std::string(ui::CallOutcomeLabel(p->calls[0].outcome)) + "」と記録しました。";
  } else if (done == "check_in" && !p->check_ins.empty() && p->check_ins[0].day == JapanDay(clock_.NowMs())) {
    told = "今日の健康観察を送りました（" + std::string(ui::CheckInStateText(p->check_ins[0].state)) +
           "）。届くまで数分かかることがあります。";
  } else if (done == "extended" && e.active) {
    told =
        "療養期間は" + FormatDateJa(e.planned_end_on) + "までです。本人には" + std::string(ui::PatientContactLabel(e)) + "で知らせます。";
  } else if (done == "line" && e.line_user_id.empty()) {
    told = "LINEの連携を解除しました。これからのご案内は" + std::string(ui::PatientContactLabel(e)) + "で送ります。";
  }
  if (done == "report" && !p->reports.empty() && p->reports[0].source == care::ReportSource::kOperator) {
    told = FormatTokyo(p->reports[0].at_ms) + "の聞き取りを記録しました（" +
           std::string(care::PriorityName(p->reports[0].classification.priority)) + "・" +
           ui::TriageRuleText(p->reports[0].classification.rule_id) + "）。";
  }
  if (!told.empty()) d.set("done", told);
  // The form for a report taken on the phone: the check-in's questions, in the staff's words.
  const auto errors = ErrorsByField(problems, ui::Reader::kStaff);
  Questions q(ctx.request, errors);
  CheckInQuestions(q);
  d.set("phone_questions", q.Html());
  mustache::data urgent{mustache::data::type::list};
  for (std::string_view u : ui::UrgentSymptomTexts()) urgent.push_back(mustache::data(std::string(u)));
  d.set("urgent_list", urgent);
  if (!problems.empty()) d.set("phone_open", mustache::data::type::bool_true);
  if (ctx.principal->role == accounts::Role::kDoctor) d.set("doctor", mustache::data::type::bool_true);
  mustache::data days{mustache::data::type::list};
  for (int i = 1; i <= care::kMaxExtensionDays; ++i) days.push_back(mustache::data(std::to_string(i)));
  d.set("extend_days", days);
  mustache::data outcomes{mustache::data::type::list};
  for (care::CallOutcome o : {care::CallOutcome::kReached, care::CallOutcome::kNoAnswer, care::CallOutcome::kAdvised119,
                              care::CallOutcome::kReferred, care::CallOutcome::kWrongNumber}) {
    mustache::data x;
    x.set("value", std::string(care::CallOutcomeName(o)));
    x.set("label", std::string(ui::CallOutcomeLabel(o)));
    outcomes.push_back(x);
  }
  d.set("outcomes", outcomes);
  mustache::data reports{mustache::data::type::list};
  for (const care::ReportRecord& r : p->reports) {
    mustache::data x;
    x.set("at", FormatTokyo(r.at_ms));
    x.set("source", std::string(ui::ReportSourceLabel(r.source)));
    x.set("priority", std::string(care::PriorityName(r.classification.priority)));
    x.set("rule", ui::TriageRuleText(r.classification.rule_id));
    x.set("rule_id", r.classification.rule_id);
    x.set("version", r.classification.version);
    x.set("temperature", r.report && r.report->temperature ? OneDecimal(*r.report->temperature) + "℃" : std::string("—"));
    x.set("spo2", r.report && r.report->spo2 ? std::to_string(*r.report->spo2) + "%" : std::string("—"));
    x.set("summary", Summary(r));
    reports.push_back(x);
  }
  d.set("reports", reports);
  mustache::data calls{mustache::data::type::list};
  for (size_t i = 0; i < p->calls.size(); ++i) {
    const care::CallRecord& c = p->calls[i];
    mustache::data x;
    x.set("at", FormatTokyo(c.at_ms));
    x.set("outcome", std::string(ui::CallOutcomeLabel(c.outcome)));
    x.set("by", p->operator_names[i]);
    if (!c.notes.empty()) x.set("notes", c.notes);
    calls.push_back(x);
  }
  d.set("calls", calls);
  mustache::data check_ins{mustache::data::type::list};
  for (const care::CheckInRecord& c : p->check_ins) {
    mustache::data x;
    x.set("day", FormatDateJa(c.day));
    x.set("state", std::string(ui::CheckInStateText(c.state)));
    check_ins.push_back(x);
  }
  d.set("check_ins", check_ins);
  return Private(HtmlResponse(status, PageShell("療養者の記録", Render(templates::kCarePatient, d), &*ctx.principal)));
}

HttpResponse CareFollowUpPages::PatientPage(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such patient", "episode_not_found")));
  // After a post (below), what was done, as the redirect names it.
  return Patient(ctx, 200, *id, "", ctx.request.Param("done").value_or(""));
}

namespace {
// Where a post goes when it worked: back to the record, so that reloading it posts nothing again.
HttpResponse BackToRecord(const RequestContext& ctx, int64_t id, const char* done) {
  return RedirectResponse("/t/" + ctx.tenant + "/care/patients/" + std::to_string(id) + "?done=" + done);
}
}  // namespace

HttpResponse CareFollowUpPages::LogCall(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such patient", "episode_not_found")));
  auto outcome = care::ParseCallOutcome(ctx.request.Param("outcome").value_or(""));
  if (!outcome.ok()) return Patient(ctx, 422, *id, ui::ErrorText(outcome.status()), "");
  const std::string notes = ctx.request.Param("notes").value_or("");
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlFollowUpPort port(c);
    MADOGUCHI_RETURN_IF_ERROR(follow_up_.LogCall(port, ctx.tenant, *id, ctx.principal->user_id, *outcome, notes).status());
    return Audit(clock_, c, ctx, ctx.tenant, "care.call_log",
                 "care_episode:" + std::to_string(*id) + ":" + std::string(care::CallOutcomeName(*outcome)));
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidArgument) return Patient(ctx, 422, *id, ui::ErrorText(s), "");
    return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  }
  return BackToRecord(ctx, *id, "call");
}

HttpResponse CareFollowUpPages::ReportByPhone(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such patient", "episode_not_found")));
  care::HealthReport report;
  care::FormFields fields;
  for (const auto& [k, v] : ctx.request.params) fields.emplace(k, v);
  care::Problems problems = care::ReadHealthReport(fields, clock_.NowMs(), report);
  if (!problems.empty()) return Patient(ctx, 422, *id, "", "", problems);
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlFollowUpPort port(c);
    MADOGUCHI_ASSIGN_OR_RETURN(care::Reported r, follow_up_.ReportByPhone(port, ctx.tenant, *id, ctx.principal->user_id, report));
    return Audit(clock_, c, ctx, ctx.tenant, "care.report_by_phone", "care_report:" + std::to_string(r.report.id));
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kFailedPrecondition) return Patient(ctx, 422, *id, ui::ErrorText(s), "");
    return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  }
  return BackToRecord(ctx, *id, "report");
}

HttpResponse CareFollowUpPages::SendCheckIn(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such patient", "episode_not_found")));
  std::optional<care::CheckInRecord> sent;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlFollowUpPort port(c);
    MADOGUCHI_ASSIGN_OR_RETURN(sent, follow_up_.SendCheckInNow(port, ctx.tenant, *id));
    return Audit(clock_, c, ctx, ctx.tenant, "care.check_in_send", "care_check_in:" + std::to_string(sent->id));
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kFailedPrecondition) return Patient(ctx, 422, *id, ui::ErrorText(s), "");
    return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  }
  return BackToRecord(ctx, *id, "check_in");
}

HttpResponse CareFollowUpPages::UnlinkLine(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such patient", "episode_not_found")));
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlFollowUpPort port(c);
    MADOGUCHI_ASSIGN_OR_RETURN(care::EpisodeView e, port.GetEpisode(ctx.tenant, *id));
    MADOGUCHI_ASSIGN_OR_RETURN(bool unlinked, follow_up_.UnlinkLine(port, ctx.tenant, e.application_id));
    if (!unlinked) return Status::Ok();
    return Audit(clock_, c, ctx, ctx.tenant, "care.line_unlink", "care_episode:" + std::to_string(*id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return BackToRecord(ctx, *id, "line");
}

HttpResponse CareFollowUpPages::Extend(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such patient", "episode_not_found")));
  const std::string typed = ctx.request.Param("days").value_or("");
  int days = 0;
  auto [end, ec] = std::from_chars(typed.data(), typed.data() + typed.size(), days);
  if (ec != std::errc() || end != typed.data() + typed.size()) days = 0;
  std::optional<care::EpisodeView> e;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlFollowUpPort port(c);
    MADOGUCHI_ASSIGN_OR_RETURN(e, follow_up_.Extend(port, ctx.tenant, *id, ctx.principal->user_id, days));
    return Audit(clock_, c, ctx, ctx.tenant, "care.extend", "care_episode:" + std::to_string(*id) + ":" + std::to_string(days));
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kFailedPrecondition) {
      return Patient(ctx, 422, *id, ui::ErrorText(s), "");
    }
    return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  }
  return BackToRecord(ctx, *id, "extended");
}

HttpResponse CareFollowUpPages::DashboardPage(RequestContext& ctx) {
  const int64_t now = clock_.NowMs();
  std::optional<store::CareDashboard> dash;
  std::string tenant_name;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    tenant_name = Tenant(c, ctx.tenant);
    MADOGUCHI_ASSIGN_OR_RETURN(dash, store::GetCareDashboard(c, ctx.tenant, now));
    return Audit(clock_, c, ctx, ctx.tenant, "care.dashboard_read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant_name);
  d.set("updated", FormatTokyoHourMinute(now));
  d.set("active", std::to_string(dash->active_episodes));
  for (int i = 0; i < 4; ++i) d.set("to_call_" + std::to_string(i), std::to_string(dash->to_call[static_cast<size_t>(i)]));
  d.set("p0_count", std::to_string(dash->to_call[0]));
  d.set("waiting", std::to_string(dash->waiting_applications));
  d.set("overdue", std::to_string(dash->overdue_applications));
  d.set("photo_requested", std::to_string(dash->photo_requested));
  mustache::data p0{mustache::data::type::list};
  for (const store::CallListEntry& e : dash->open_p0) {
    mustache::data x;
    x.set("tenant", ctx.tenant);
    x.set("id", std::to_string(e.episode.id));
    x.set("name", e.episode.name);
    x.set("rule", ui::TriageRuleText(e.episode.call->rule_id));
    x.set("since", FormatTokyoHourMinute(e.episode.call->since_ms));
    p0.push_back(x);
  }
  d.set("p0", p0);
  if (!dash->open_p0.empty()) d.set("has_p0", mustache::data::type::bool_true);
  mustache::data days{mustache::data::type::list};
  for (const store::DayCounts& c : dash->days) {
    mustache::data x;
    x.set("day", FormatMonthDayJa(c.day));
    x.set("sent", std::to_string(c.sent));
    x.set("answered", std::to_string(c.answered));
    x.set("rate", ReplyRate(c));
    x.set("reminded", std::to_string(c.reminded));
    x.set("missed", std::to_string(c.missed));
    days.push_back(x);
  }
  d.set("days", days);
  return Private(HtmlResponse(200, PageShell("健康観察の状況", Render(templates::kCareDashboard, d), &*ctx.principal)));
}

HttpResponse CareFollowUpPages::DashboardJson(RequestContext& ctx) {
  const int64_t now = clock_.NowMs();
  std::optional<store::CareDashboard> dash;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(dash, store::GetCareDashboard(c, ctx.tenant, now));
    return Audit(clock_, c, ctx, ctx.tenant, "care.dashboard_read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return JsonError(s);
  nlohmann::json p0 = nlohmann::json::array();
  for (const store::CallListEntry& e : dash->open_p0) {
    p0.push_back({{"id", e.episode.id},
                  {"name", e.episode.name},
                  {"rule_id", e.episode.call->rule_id},
                  {"rule", ui::TriageRuleText(e.episode.call->rule_id)},
                  {"since_ms", e.episode.call->since_ms},
                  {"since", FormatTokyoHourMinute(e.episode.call->since_ms)}});
  }
  nlohmann::json days = nlohmann::json::array();
  for (const store::DayCounts& c : dash->days) {
    days.push_back({{"day", FormatIsoDate(c.day)},
                    {"label", FormatMonthDayJa(c.day)},
                    {"sent", c.sent},
                    {"answered", c.answered},
                    {"rate", ReplyRate(c)},
                    {"reminded", c.reminded},
                    {"missed", c.missed}});
  }
  nlohmann::json j = {{"active", dash->active_episodes},
                      {"to_call", dash->to_call},
                      {"p0", p0},
                      {"waiting", dash->waiting_applications},
                      {"overdue", dash->overdue_applications},
                      {"photo_requested", dash->photo_requested},
                      {"days", days},
                      {"updated", FormatTokyoHourMinute(now)}};
  return Private(JsonReply(200, j));
}

HttpResponse CareFollowUpPages::LiveJs(RequestContext&) { return ScriptResponse(templates::kCareLiveJs); }

}  // namespace madoguchi::web
