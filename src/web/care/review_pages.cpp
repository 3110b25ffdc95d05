// The doctors' pages for home-test applications: see review_pages.hpp.
#include "web/care/review_pages.hpp"

#include <kainjow/mustache.hpp>

#include <charconv>
#include <cstdio>

#include "booking/booking.hpp"
#include "common/csv.hpp"
#include "common/time_format.hpp"
#include "messaging/phone.hpp"
#include "store/accounts/accounts.hpp"
#include "store/care/applications.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr int kPageSize = 50;

std::string Strength(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// "3時間12分" since `from_ms`.
std::string Waited(int64_t from_ms, int64_t now_ms) {
  const int64_t minutes = std::max<int64_t>(0, (now_ms - from_ms) / 60'000);
  if (minutes < 60) return std::to_string(minutes) + "分";
  return std::to_string(minutes / 60) + "時間" + std::to_string(minutes % 60) + "分";
}

std::string Joined(const std::vector<std::string_view>& parts, const char* none) {
  if (parts.empty()) return none;
  std::string out;
  for (std::string_view p : parts) out += (out.empty() ? "" : "、") + std::string(p);
  return out;
}

std::string RisksOf(const care::ApplicationForm& f, int age) {
  std::vector<std::string_view> parts;
  if (age >= 65) parts.push_back("65歳以上");
  for (care::RiskFactor r : f.screen.risk_factors) parts.push_back(ui::RiskFactorLabel(r));
  return Joined(parts, "なし");
}

std::string SymptomsOf(const care::ApplicationForm& f) {
  std::vector<std::string_view> parts;
  for (care::OnsetSymptom s : f.symptoms) parts.push_back(ui::OnsetSymptomLabel(s));
  return Joined(parts, f.onset ? "（症状の記入なし）" : "症状なし");
}

}  // namespace

void CareReviewPages::Register(Router& router, CareReviewPages* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = CareReviewPages;
  add("GET", "/t/{tenant}/care/queue", K::kPage, roles::kCareStaff,
      "home-test applications waiting for a doctor, by pre-read and waiting time (?offset=)", &H::QueuePage);
  add("POST", "/t/{tenant}/care/next", K::kPage, roles::kDoctors, "doctors: take the next application in the queue (a lease)",
      &H::TakeNext);
  add("GET", "/t/{tenant}/care/applications/{id}", K::kPage, roles::kDoctors,
      "doctors: review an application (taken under a lease; audited)", &H::ReviewPage);
  add("POST", "/t/{tenant}/care/applications/{id}/decision", K::kPage, roles::kDoctors,
      "doctors: decide (confirm, cannot_confirm, unclear_photo, not_eligible) with a reason", &H::Decide);
  add("POST", "/t/{tenant}/care/applications/{id}/release", K::kPage, roles::kDoctors, "doctors: leave an application undecided",
      &H::Release);
  add("GET", "/t/{tenant}/care/applications/{id}/photo/{kind}", K::kPage, roles::kDoctors,
      "doctors: the kit photo or the ID photo (kind kit|id; never cached; audited)", &H::Photo);
  add("GET", "/t/{tenant}/care/confirmed.csv", K::kPage, roles::kCareLeads,
      "the confirmed cases decided on a day (?day=YYYY-MM-DD, Japan), CSV for the health centre", &H::ConfirmedCsv);
  add("GET", "/static/care-review.js", K::kPage, roles::kPublic, "the review page's keys, zoom and rotate", &H::ReviewJs);
}

HttpResponse CareReviewPages::Queue(RequestContext& ctx, int status, const std::string& error) {
  int offset = 0;
  if (auto o = ctx.request.Param("offset")) {
    auto [end, ec] = std::from_chars(o->data(), o->data() + o->size(), offset);
    if (ec != std::errc() || offset < 0 || offset > 10'000'000) offset = 0;
  }
  const int64_t now = clock_.NowMs();
  std::optional<store::Tenant> tenant;
  std::optional<store::QueuePage> page;
  std::vector<std::pair<std::string, int64_t>> counts;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(c, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(page, store::ListQueue(c, ctx.tenant, now, kPageSize, offset));
    MADOGUCHI_ASSIGN_OR_RETURN(counts, store::CountApplicationsByState(c, ctx.tenant));
    return Audit(clock_, c, ctx, ctx.tenant, "care.queue_read", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  const bool doctor = ctx.principal->role == accounts::Role::kDoctor;
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  d.set("waiting", std::to_string(page->waiting));
  d.set("today", FormatIsoDate(JapanDay(now)));
  if (doctor) d.set("doctor", mustache::data::type::bool_true);
  if (!error.empty()) d.set("error", error);
  mustache::data entries{mustache::data::type::list};
  for (const store::QueueEntry& e : page->entries) {
    mustache::data x;
    x.set("tenant", ctx.tenant);
    x.set("id", std::to_string(e.id));
    x.set("receipt", care::ReceiptInGroups(e.receipt));
    auto category = care::ParseKitCategory(e.category);
    x.set("category", category.ok() ? std::string(ui::KitCategoryLabel(*category)) : e.category);
    x.set("test_line", e.category == "readable" ? Strength(e.test_line) : std::string("—"));
    x.set("at", FormatTokyo(e.submitted_at_ms));
    x.set("waited", Waited(e.submitted_at_ms, now));
    x.set("held_by", e.lease_doctor ? e.lease_doctor_name : std::string());
    entries.push_back(x);
  }
  d.set("entries", entries);
  if (offset + kPageSize < page->waiting) {
    d.set("more", mustache::data::type::bool_true);
    d.set("next_offset", std::to_string(offset + kPageSize));
    d.set("page", std::to_string(kPageSize));
  }
  mustache::data cs{mustache::data::type::list};
  for (const auto& [state, count] : counts) {
    auto st = care::ParseApplicationState(state);
    mustache::data x;
    x.set("label", st.ok() ? std::string(ui::ApplicationStateText(*st, ui::Reader::kStaff)) : state);
    x.set("count", std::to_string(count));
    cs.push_back(x);
  }
  d.set("counts", cs);
  return HtmlResponse(status, PageShell("陽性者登録の確認待ち", Render(templates::kCareQueue, d), &*ctx.principal));
}

HttpResponse CareReviewPages::QueuePage(RequestContext& ctx) { return Queue(ctx, 200, ""); }

HttpResponse CareReviewPages::TakeNext(RequestContext& ctx) {
  std::optional<care::ApplicationRecord> a;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlCarePort port(c, files_);
    MADOGUCHI_ASSIGN_OR_RETURN(a, care_.Claim(port, ctx.tenant, ctx.principal->user_id, std::nullopt));
    return Status::Ok();
  });
  if (!s.ok()) return Queue(ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return RedirectResponse("/t/" + ctx.tenant + "/care/applications/" + std::to_string(a->id));
}

HttpResponse CareReviewPages::Review(RequestContext& ctx, int status, int64_t id, const std::string& error) {
  std::optional<care::ApplicationRecord> a;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlCarePort port(c, files_);
    MADOGUCHI_ASSIGN_OR_RETURN(a, care_.Claim(port, ctx.tenant, ctx.principal->user_id, id));
    return Audit(clock_, c, ctx, ctx.tenant, "care.application_read", "care_application:" + std::to_string(id));
  });
  if (!s.ok()) return Queue(ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  const care::ApplicationForm& f = a->form;
  const booking::Day today = JapanDay(clock_.NowMs());
  const int age = booking::AgeOn(f.screen.answers.birth_date, today);
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  d.set("id", std::to_string(a->id));
  d.set("receipt", care::ReceiptInGroups(a->receipt));
  d.set("until", FormatTokyoHourMinute(a->lease_until_ms.value_or(0)));
  if (!error.empty()) d.set("error", error);
  if (!a->kit_photo.empty()) d.set("kit", mustache::data::type::bool_true);
  if (!a->id_photo.empty()) d.set("id_photo", mustache::data::type::bool_true);
  d.set("category", std::string(ui::KitCategoryLabel(a->reading.category)));
  d.set("control", Strength(a->reading.control_line));
  d.set("test", Strength(a->reading.test_line));
  if (a->reading.test_line_seen) d.set("seen", mustache::data::type::bool_true);
  d.set("name", f.applicant.family_name + " " + f.applicant.given_name);
  d.set("kana", f.applicant.family_kana + " " + f.applicant.given_kana);
  d.set("birth", FormatDateJa(f.screen.answers.birth_date));
  d.set("age", std::to_string(age));
  d.set("sex", std::string(ui::SexLabel(f.applicant.sex)));
  d.set("tested", FormatDateJa(f.screen.answers.tested_on) + " " + FormatClock(f.tested_minute));
  d.set("kit_name", f.screen.answers.kit);
  d.set("onset", f.onset ? "発症 " + FormatDateJa(*f.onset) : std::string("症状なし"));
  d.set("symptoms", SymptomsOf(f));
  d.set("risks", RisksOf(f, age));
  if (f.screen.answers.vaccinations) d.set("vaccinations", std::to_string(*f.screen.answers.vaccinations) + "回");
  d.set("phone", messaging::NationalFormat(f.applicant.phone));
  d.set("email", f.applicant.email);
  d.set("postal", f.applicant.postal_code.size() == 7 ? f.applicant.postal_code.substr(0, 3) + "-" + f.applicant.postal_code.substr(3)
                                                      : f.applicant.postal_code);
  d.set("address", f.applicant.address);
  const std::string chosen = ctx.request.method == "POST" ? ctx.request.Param("decision").value_or("") : "";
  mustache::data decisions{mustache::data::type::list};
  int key = 1;
  for (care::Decision dc :
       {care::Decision::kConfirm, care::Decision::kCannotConfirm, care::Decision::kUnclearPhoto, care::Decision::kNotEligible}) {
    mustache::data x;
    x.set("value", std::string(care::DecisionName(dc)));
    x.set("label", std::string(ui::DecisionLabel(dc)));
    x.set("key", std::to_string(key++));
    if (chosen == care::DecisionName(dc)) x.set("on", mustache::data::type::bool_true);
    decisions.push_back(x);
  }
  d.set("decisions", decisions);
  if (ctx.request.method == "POST") d.set("reason", ctx.request.Param("reason").value_or(""));
  return HtmlResponse(status,
                      PageShell("申請の確認 " + care::ReceiptInGroups(a->receipt), Render(templates::kCareReview, d), &*ctx.principal));
}

HttpResponse CareReviewPages::ReviewPage(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such application", "application_not_found")));
  return Review(ctx, 200, *id, "");
}

HttpResponse CareReviewPages::Decide(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such application", "application_not_found")));
  auto decision = care::ParseDecision(ctx.request.Param("decision").value_or(""));
  if (!decision.ok()) return Review(ctx, 422, *id, ui::ErrorText(decision.status()));
  const std::string reason = ctx.request.Param("reason").value_or("");
  std::optional<care::Decided> decided;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlCarePort port(c, files_);
    MADOGUCHI_ASSIGN_OR_RETURN(decided, care_.Decide(port, ctx.tenant, ctx.principal->user_id, *id, *decision, reason));
    return Audit(clock_, c, ctx, ctx.tenant, "care.decision",
                 "care_application:" + std::to_string(*id) + ":" + std::string(care::DecisionName(*decision)));
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidArgument) return Review(ctx, 422, *id, ui::ErrorText(s));
    return Queue(ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  }
  return Queue(ctx, 200, "");
}

HttpResponse CareReviewPages::Release(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such application", "application_not_found")));
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlCarePort port(c, files_);
    MADOGUCHI_RETURN_IF_ERROR(port.ReleaseLease(ctx.tenant, *id, ctx.principal->user_id));
    return Audit(clock_, c, ctx, ctx.tenant, "care.release", "care_application:" + std::to_string(*id));
  });
  if (!s.ok()) return Queue(ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return RedirectResponse("/t/" + ctx.tenant + "/care/queue");
}

HttpResponse CareReviewPages::Photo(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  const std::string kind_name = ctx.path_params.at("kind");
  if (!id || (kind_name != "kit" && kind_name != "id")) {
    return ErrorPage(&ctx, 404, ui::ErrorText(NotFoundError("no such photo", "photo_not_found")));
  }
  const care::PhotoKind kind = kind_name == "id" ? care::PhotoKind::kId : care::PhotoKind::kKit;
  std::optional<std::string> ref;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(ref, store::CurrentPhoto(c, ctx.tenant, *id, kind));
    if (!ref) return NotFoundError("no such photo", "photo_not_found");
    return Audit(clock_, c, ctx, ctx.tenant, "care.photo_read", "care_application:" + std::to_string(*id) + ":" + kind_name);
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  auto bytes = files_.Read(ctx.tenant, kind, *ref);
  if (!bytes.ok()) return ErrorPage(&ctx, HttpStatusFor(bytes.status().code()), ui::ErrorText(bytes.status()));
  HttpResponse r;
  r.content_type = "image/jpeg";
  r.body = std::move(*bytes);
  r.AddHeader("Cache-Control", "no-store, private");
  r.AddHeader("Content-Disposition", "inline");
  return r;
}

HttpResponse CareReviewPages::ConfirmedCsv(RequestContext& ctx) {
  const booking::Day today = JapanDay(clock_.NowMs());
  booking::Day day = today;
  if (auto typed = ctx.request.Param("day"); typed && !typed->empty()) {
    auto parsed = booking::ParseBirthDate(*typed, today, "day");
    if (!parsed.ok()) return ErrorPage(&ctx, 422, ui::ErrorText(InvalidArgumentError("day", "a day up to today", "bad_date")));
    day = *parsed;
  }
  const int64_t start = JapanMidnightMs(day);
  std::vector<store::ConfirmedCase> cases;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(cases, store::ConfirmedOn(c, ctx.tenant, start, JapanMidnightMs(day + std::chrono::days{1})));
    return Audit(clock_, c, ctx, ctx.tenant, "care.confirmed_csv", "day:" + FormatIsoDate(day));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  std::string body = "\xEF\xBB\xBF";  // BOM, so Excel reads UTF-8
  body += csv::CsvLine({"受付番号", "確定日時", "氏名", "フリガナ", "生年月日", "年齢", "性別", "携帯電話", "郵便番号", "住所", "検査日",
                        "発症日", "症状", "重症化リスク", "療養開始日", "療養終了予定日"});
  for (const store::ConfirmedCase& c : cases) {
    const care::ApplicationForm& f = c.form;
    const int age = booking::AgeOn(f.screen.answers.birth_date, JapanDay(c.decided_at_ms));
    body += csv::CsvLine({care::ReceiptInGroups(c.receipt), FormatTokyo(c.decided_at_ms),
                          f.applicant.family_name + " " + f.applicant.given_name, f.applicant.family_kana + " " + f.applicant.given_kana,
                          FormatIsoDate(f.screen.answers.birth_date), std::to_string(age), std::string(ui::SexLabel(f.applicant.sex)),
                          messaging::NationalFormat(f.applicant.phone), f.applicant.postal_code, f.applicant.address,
                          FormatIsoDate(f.screen.answers.tested_on), f.onset ? FormatIsoDate(*f.onset) : std::string(), SymptomsOf(f),
                          RisksOf(f, age), FormatIsoDate(c.starts_on), FormatIsoDate(c.planned_end_on)});
  }
  HttpResponse r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(body);
  r.AddHeader("Content-Disposition", "attachment; filename=\"confirmed-" + ctx.tenant + "-" + FormatIsoDate(day) + ".csv\"");
  r.AddHeader("Cache-Control", "no-store, private");
  return r;
}

HttpResponse CareReviewPages::ReviewJs(RequestContext&) { return ScriptResponse(templates::kCareReviewJs); }

}  // namespace madoguchi::web
