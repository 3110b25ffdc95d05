// The residents' pages for a home-test positive: see application_pages.hpp.
#include "web/care/application_pages.hpp"

#include <kainjow/mustache.hpp>

#include <map>

#include "common/text.hpp"
#include "common/time_format.hpp"
#include "store/care/applications.hpp"
#include "store/care/follow_up.hpp"
#include "store/line/line.hpp"
#include "web/care/questions.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

// The screen's fields, carried on to the form as hidden fields (and read again there).
constexpr const char* kScreenFields[] = {"birth_date", "tested_on",    "kit",    "risk",      "pregnant",
                                         "mild",       "vaccinations", "smoker", "height_cm", "weight_kg"};

void ScreenQuestions(Questions& q, const care::EligibilityRules& rules) {
  q.Text("birth_date", "生年月日", "例：1986-05-01　または　昭和61年5月1日", "text", "", "bday");
  q.Text("tested_on", "検査キットで検査をした日", "", "date");
  std::vector<std::pair<std::string, std::string>> kits;
  for (const care::TestKit& k : rules.kits) kits.emplace_back(k.name, k.name);
  q.Pick("kit", "使った検査キット", "箱に書かれている種類を選んでください。", false, kits);
  std::vector<std::pair<std::string, std::string>> risks;
  for (care::RiskFactor r : care::kRiskFactors) {
    if (r == care::RiskFactor::kPregnancy) continue;  // asked on its own
    if (r == care::RiskFactor::kSmoking && rules.refuse_smokers) continue;
    risks.emplace_back(std::string(care::RiskFactorName(r)), std::string(ui::RiskFactorLabel(r)));
  }
  q.Pick("risk", "次のうち、あてはまるもの", "あてはまるものすべてに印をつけてください。なければ、何もつけずに進みます。", true, risks);
  q.YesNo("pregnant", "妊娠していますか", "");
  q.YesNo("mild", "いまの症状は軽いですか", "息が苦しい、水分がとれない、高い熱が続くときは「いいえ」を選んでください。");
  if (rules.min_vaccinations) q.Text("vaccinations", "ワクチンを接種した回数", "0回なら 0 と入れてください。", "text", "numeric");
  if (rules.refuse_smokers) q.YesNo("smoker", "たばこを吸いますか", "");
  if (rules.max_bmi) {
    q.Text("height_cm", "身長（センチメートル）", "例：160", "text", "decimal");
    q.Text("weight_kg", "体重（キログラム）", "例：55", "text", "decimal");
  }
}

void FormQuestions(Questions& q) {
  q.Text("family_name", "氏名（姓）", "", "text", "", "family-name");
  q.Text("given_name", "氏名（名）", "", "text", "", "given-name");
  q.Text("family_kana", "フリガナ（セイ）", "全角カタカナで。例：クマモト");
  q.Text("given_kana", "フリガナ（メイ）", "全角カタカナで。例：ハナコ");
  std::vector<std::pair<std::string, std::string>> sexes;
  for (care::Sex s : {care::Sex::kFemale, care::Sex::kMale, care::Sex::kOther, care::Sex::kUnanswered}) {
    sexes.emplace_back(std::string(care::SexName(s)), std::string(ui::SexLabel(s)));
  }
  q.Pick("sex", "性別", "", false, sexes);
  q.Text("phone", "携帯電話の番号", "結果と毎日の健康観察のご案内を、ショートメッセージでお送りします。例：090-1234-5678", "tel", "tel",
         "tel");
  q.Text("email", "メールアドレス（あれば）", "", "email", "email", "email");
  q.Pick("contact", "毎日の健康観察のご案内の受け取り方",
         "選ばないときは、ショートメッセージでお送りします。ショートメッセージなら、番号で返信するだけでも報告できます。", false,
         {{"sms", "ショートメッセージ（携帯電話）"}, {"email", "メール（上のメールアドレス）"}});
  q.Text("postal_code", "郵便番号", "例：862-8570", "text", "numeric", "postal-code");
  q.Text("address", "住所", "", "text", "", "street-address");
  q.Text("tested_time", "検査をした時刻", "例：9:30", "time");
  q.Text("onset_on", "症状が出た日", "症状がないときは空けて、下の「症状はない」に印をつけてください。", "date");
  q.Pick("no_symptoms", "症状がないとき", "", true, {{"1", "症状はない"}});
  std::vector<std::pair<std::string, std::string>> symptoms;
  for (care::OnsetSymptom s : care::kOnsetSymptoms)
    symptoms.emplace_back(std::string(care::OnsetSymptomName(s)), std::string(ui::OnsetSymptomLabel(s)));
  q.Pick("symptom", "いまある症状", "あてはまるものすべてに印をつけてください。", true, symptoms);
  q.File("kit_photo", "検査キットの写真",
         "明るい場所で、箱と一緒に、結果の窓（C と T の線）が見えるように真上から撮ってください。JPEG か PNG、15メガバイトまで。");
  q.File("id_photo", "本人確認書類の写真（表面だけ）",
         "運転免許証・マイナンバーカード・保険証など。保険証の記号・番号は、紙などで隠して撮ってください。");
}

// The fields a resident sent, without the CSRF token and the photos' bytes.
care::FormFields FieldsOf(const HttpRequest& r) {
  care::FormFields out;
  for (const auto& [k, v] : r.params) {
    if (k == "csrf_token" || r.file_fields.count(k)) continue;
    out.emplace(k, v);
  }
  return out;
}

HttpResponse Private(HttpResponse r) {
  r.AddHeader("Cache-Control", "no-store");
  r.AddHeader("Referrer-Policy", "no-referrer");
  return r;
}

}  // namespace

void CareApplicationPages::Register(Router& router, CareApplicationPages* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = CareApplicationPages;
  add("GET", "/r/{tenant}/care", K::kPage, roles::kPublic, "home-test positives: may I register online? (the eligibility screen)",
      &H::ScreenPage);
  add("POST", "/r/{tenant}/care/screen", K::kPage, roles::kPublic, "home-test positives: the screen's answers → the form or a clinic",
      &H::CheckScreen);
  add("POST", "/r/{tenant}/care/apply", K::kPage, roles::kPublic,
      "home-test positives: the application with the kit photo and the ID photo (multipart) → receipt number", &H::Apply);
  add("GET", "/r/{tenant}/care/s/{token}", K::kPage, roles::kPublic, "home-test positives: the application's status (signed link)",
      &H::StatusPage);
  add("POST", "/r/{tenant}/care/s/{token}/photo", K::kPage, roles::kPublic,
      "home-test positives: a new kit photo when one is asked for (multipart)", &H::SendPhoto);
  add("POST", "/r/{tenant}/care/s/{token}/line", K::kPage, roles::kPublic,
      "home-care patients: stop receiving the messages in LINE (back to SMS)", &H::UnlinkLine);
  add("GET", "/r/{tenant}/care/c/{token}", K::kPage, roles::kPublic, "home-care patients: the day's health check-in (signed link)",
      &H::CheckInPage);
  add("POST", "/r/{tenant}/care/c/{token}", K::kPage, roles::kPublic,
      "home-care patients: the day's report (urgent symptoms, temperature, SpO2, the daily items) → what to do", &H::SendCheckIn);
}

HttpResponse CareApplicationPages::Page(const RequestContext& ctx, int status, const std::string& title, const std::string& content) {
  mustache::data d;
  d.set("title", title);
  d.set("content", content);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  if (auto guidance = tenants_.Guidance(ctx.tenant); guidance.ok() && !guidance->phone.empty()) {
    d.set("phone", guidance->phone);
    d.set("tel", booking::PhoneDigits(guidance->phone));
    if (!guidance->hours.empty()) d.set("hours", guidance->hours);
  }
  return Private(HtmlResponse(status, Render(templates::kCareLayout, d)));
}

HttpResponse CareApplicationPages::Error(const RequestContext& ctx, int status, const std::string& message) {
  mustache::data e;
  e.set("message", message);
  return Page(ctx, status, "お知らせ", Render(templates::kResidentError, e));
}

Result<care::CareSettings> CareApplicationPages::Settings(const std::string& tenant) {
  std::optional<care::CareSettings> settings;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& c) -> Status {
    store::SqlCarePort port(c, files_);
    MADOGUCHI_ASSIGN_OR_RETURN(settings, port.TenantSettings(tenant));
    return Status::Ok();
  }));
  return *settings;
}

HttpResponse CareApplicationPages::Screen(RequestContext& ctx, int status, const care::Problems& problems) {
  auto settings = Settings(ctx.tenant);
  if (!settings.ok()) return Error(ctx, HttpStatusFor(settings.status().code()), ui::ErrorText(settings.status(), ui::Reader::kResident));
  const auto errors = ErrorsByField(problems, ui::Reader::kResident);
  Questions q(ctx.request, errors);
  ScreenQuestions(q, settings->eligibility);
  mustache::data d;
  d.set("tenant", ctx.tenant);
  HttpResponse cookies;
  d.set("csrf", residents_.ResidentCsrf(ctx, &cookies));
  d.set("questions", q.Html());
  if (!problems.empty()) d.set("errors", mustache::data::type::bool_true);
  HttpResponse page = Page(ctx, status, "登録できるかの確認", Render(templates::kCareScreen, d));
  for (auto& h : cookies.headers) page.headers.push_back(h);
  return page;
}

HttpResponse CareApplicationPages::Form(RequestContext& ctx, int status, const care::Problems& problems, bool photos_sent) {
  const auto errors = ErrorsByField(problems, ui::Reader::kResident);
  Questions q(ctx.request, errors);
  FormQuestions(q);
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  HttpResponse cookies;
  d.set("csrf", residents_.ResidentCsrf(ctx, &cookies));
  mustache::data carried{mustache::data::type::list};
  for (const char* name : kScreenFields) {
    auto [lo, hi] = ctx.request.params.equal_range(name);
    for (auto it = lo; it != hi; ++it) {
      mustache::data c;
      c.set("name", std::string(name));
      c.set("value", it->second);
      carried.push_back(c);
    }
  }
  d.set("carried", carried);
  d.set("questions", q.Html());
  if (ctx.request.Param("consent").value_or("") == "1") d.set("consent", mustache::data::type::bool_true);
  if (auto it = errors.find("consent"); it != errors.end()) d.set("consent_err", it->second);
  if (!problems.empty()) d.set("errors", mustache::data::type::bool_true);
  if (photos_sent) d.set("photos_again", mustache::data::type::bool_true);
  HttpResponse page = Page(ctx, status, "登録の内容", Render(templates::kCareForm, d));
  for (auto& h : cookies.headers) page.headers.push_back(h);
  return page;
}

HttpResponse CareApplicationPages::ScreenPage(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return Error(ctx, 404, "このページはありません。");
  return Screen(ctx, 200, {});
}

HttpResponse CareApplicationPages::CheckScreen(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return Error(ctx, 404, "このページはありません。");
  auto settings = Settings(ctx.tenant);
  if (!settings.ok()) return Error(ctx, HttpStatusFor(settings.status().code()), ui::ErrorText(settings.status(), ui::Reader::kResident));
  const booking::Day today = JapanDay(clock_.NowMs());
  care::Screen screen;
  care::Problems problems = care::ReadScreen(FieldsOf(ctx.request), settings->eligibility, today, screen);
  if (!problems.empty()) return Screen(ctx, 422, problems);
  auto verdict = care::CheckScreen(screen, settings->eligibility, today);
  if (!verdict.ok()) return Screen(ctx, 422, {verdict.status()});
  if (!verdict->eligible) {
    mustache::data d;
    d.set("tenant", ctx.tenant);
    mustache::data reasons{mustache::data::type::list};
    for (care::Ineligible i : verdict->reasons) reasons.push_back(mustache::data(std::string(ui::IneligibleText(i))));
    d.set("reasons", reasons);
    if (!settings->clinic_info.empty()) d.set("clinic", settings->clinic_info);
    return Page(ctx, 200, "医療機関を受診してください", Render(templates::kCareRefused, d));
  }
  return Form(ctx, 200, {}, false);
}

HttpResponse CareApplicationPages::Apply(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return Error(ctx, 404, "このページはありません。");
  auto settings = Settings(ctx.tenant);
  if (!settings.ok()) return Error(ctx, HttpStatusFor(settings.status().code()), ui::ErrorText(settings.status(), ui::Reader::kResident));
  care::ApplicationInput input;
  input.fields = FieldsOf(ctx.request);
  input.kit_photo = ctx.request.Param("kit_photo").value_or("");
  input.id_photo = ctx.request.Param("id_photo").value_or("");
  // Decoding and reading the photos is the slow part: outside any transaction.
  const care::Prepared prepared = care_.Prepare(input, *settings);
  const bool photos_sent = !input.kit_photo.empty() || !input.id_photo.empty();
  if (!prepared.problems.empty()) return Form(ctx, 422, prepared.problems, photos_sent);
  if (!prepared.eligibility.eligible) {
    // The screen's answers were changed on the way (they were checked on the screen): ask again.
    return Screen(ctx, 422, {});
  }
  care::Applied applied;
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlCarePort port(c, files_);
    MADOGUCHI_ASSIGN_OR_RETURN(applied, care_.Submit(port, ctx.tenant, prepared));
    return Audit(clock_, c, ctx, ctx.tenant, "care.apply", "care_application:" + std::to_string(applied.id));
  });
  if (!s.ok()) return Error(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  // The status page's own address is the signed link: it is where the resident comes back.
  return RedirectResponse("/r/" + ctx.tenant + "/care/s/" + applied.status_token + "?new=1");
}

HttpResponse CareApplicationPages::StatusView(RequestContext& ctx, int status, int64_t id, const std::string& token,
                                              const std::string& error) {
  std::optional<care::ApplicationRecord> a;
  std::optional<care::EpisodeRecord> episode;
  std::optional<care::CareSettings> settings;
  std::optional<care::FollowUpService::LineLinkOffer> line;
  std::string line_account;  // the LINE account's ID, when known
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlCarePort port(c, files_);
    MADOGUCHI_ASSIGN_OR_RETURN(a, port.GetApplication(ctx.tenant, id));
    MADOGUCHI_ASSIGN_OR_RETURN(episode, store::FindEpisode(c, ctx.tenant, id));
    MADOGUCHI_ASSIGN_OR_RETURN(settings, port.TenantSettings(ctx.tenant));
    // LINE is offered where the tenant has a LINE account set up.
    MADOGUCHI_ASSIGN_OR_RETURN(std::optional<store::LineChannel> channel, store::FindLineChannel(c, ctx.tenant));
    if (channel) {
      line_account = channel->basic_id;
      store::SqlFollowUpPort follow_up_port(c);
      MADOGUCHI_ASSIGN_OR_RETURN(line, follow_up_.OfferLineLink(follow_up_port, ctx.tenant, id));
    }
    return Audit(clock_, c, ctx, ctx.tenant, "care.status_read", "care_application:" + std::to_string(id));
  });
  if (!s.ok()) return Error(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("token", token);
  HttpResponse cookies;
  d.set("csrf", residents_.ResidentCsrf(ctx, &cookies));
  d.set("receipt", care::ReceiptInGroups(a->receipt));
  d.set("state", std::string(ui::ApplicationStateText(a->state, ui::Reader::kResident)));
  if (a->decision && a->decision != care::Decision::kConfirm && !a->reason.empty()) d.set("reason", a->reason);
  if (episode) d.set("end", FormatMonthDayJa(episode->planned_end_on));
  if (a->state == care::ApplicationState::kSeeClinic && !settings->clinic_info.empty()) d.set("clinic", settings->clinic_info);
  if (a->state == care::ApplicationState::kPhotoRequested) {
    d.set("retake", mustache::data::type::bool_true);
    if (a->decision != care::Decision::kUnclearPhoto) d.set("advice", std::string(ui::KitAdviceText(a->reading.category)));
  }
  if (!error.empty()) d.set("error", error);
  // From the record, never from the address: a photo sent again that now waits for a doctor.
  if (a->photos_sent > 1 && a->state == care::ApplicationState::kWaiting) d.set("sent", mustache::data::type::bool_true);
  if (line) {
    d.set("tenant_name", tenants_.Name(ctx.tenant));
    if (line->linked) d.set("line_linked", mustache::data::type::bool_true);
    else d.set("line_code", care::LineLinkCodeInGroups(line->code));
    if (!line->linked && !line_account.empty()) {
      // LINE's URL scheme: the chat with the account opens with the word written, to be sent.
      d.set("line_id", line_account);
      d.set("line_url", "https://line.me/R/oaMessage/" + text::PercentEncode(line_account) + "/?" +
                            text::PercentEncode("連携 " + care::LineLinkCodeInGroups(line->code)));
    }
  }
  std::string content = Render(templates::kCareStatus, d);
  if (ctx.request.Param("new").value_or("") == "1") {
    mustache::data r;
    r.set("receipt", care::ReceiptInGroups(a->receipt));
    r.set("status", content);
    content = Render(templates::kCareReceipt, r);
  }
  HttpResponse page = Page(ctx, status, "申請の状況", content);
  for (auto& h : cookies.headers) page.headers.push_back(h);
  return page;
}

HttpResponse CareApplicationPages::StatusPage(RequestContext& ctx) {
  const std::string token = ctx.path_params.at("token");
  const std::optional<int64_t> id = care_.ReadStatusToken(ctx.tenant, token);
  if (!id) return Error(ctx, 404, ui::ErrorText(NotFoundError("no such link", "link_expired"), ui::Reader::kResident));
  return StatusView(ctx, 200, *id, token, "");
}

HttpResponse CareApplicationPages::SendPhoto(RequestContext& ctx) {
  const std::string token = ctx.path_params.at("token");
  const std::optional<int64_t> id = care_.ReadStatusToken(ctx.tenant, token);
  if (!id) return Error(ctx, 404, ui::ErrorText(NotFoundError("no such link", "link_expired"), ui::Reader::kResident));
  auto photo = care_.PrepareNewPhoto(ctx.request.Param("kit_photo").value_or(""));
  Status s = photo.status();
  if (s.ok())
    s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
      store::SqlCarePort port(c, files_);
      MADOGUCHI_RETURN_IF_ERROR(care_.SendNewPhoto(port, ctx.tenant, *id, *photo).status());
      return Audit(clock_, c, ctx, ctx.tenant, "care.photo_resend", "care_application:" + std::to_string(*id));
    });
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kFailedPrecondition) {
      return StatusView(ctx, 422, *id, token, ui::ErrorText(s, ui::Reader::kResident));
    }
    return Error(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  }
  return RedirectResponse("/r/" + ctx.tenant + "/care/s/" + token);
}

HttpResponse CareApplicationPages::UnlinkLine(RequestContext& ctx) {
  const std::string token = ctx.path_params.at("token");
  const std::optional<int64_t> id = care_.ReadStatusToken(ctx.tenant, token);
  if (!id) return Error(ctx, 404, ui::ErrorText(NotFoundError("no such link", "link_expired"), ui::Reader::kResident));
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlFollowUpPort port(c);
    MADOGUCHI_ASSIGN_OR_RETURN(bool unlinked, follow_up_.UnlinkLine(port, ctx.tenant, *id));
    if (!unlinked) return Status::Ok();  // already undone: the page shows it so
    return Audit(clock_, c, ctx, ctx.tenant, "care.line_unlink", "care_application:" + std::to_string(*id));
  });
  if (!s.ok()) return Error(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  return RedirectResponse("/r/" + ctx.tenant + "/care/s/" + token + "#line");
}

HttpResponse CareApplicationPages::CheckInForm(RequestContext& ctx, int status, int64_t check_in_id, const std::string& token,
                                               const care::Problems& problems) {
  std::optional<care::CheckInRecord> c;
  std::optional<care::EpisodeView> e;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    store::SqlFollowUpPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(c, port.GetCheckIn(ctx.tenant, check_in_id));
    MADOGUCHI_ASSIGN_OR_RETURN(e, port.GetEpisode(ctx.tenant, c->episode_id));
    return Audit(clock_, conn, ctx, ctx.tenant, "care.check_in_read", "care_check_in:" + std::to_string(check_in_id));
  });
  if (!s.ok()) return Error(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  if (!e->active) {
    return Error(ctx, 410, ui::ErrorText(FailedPreconditionError("the home care has ended", "episode_ended"), ui::Reader::kResident));
  }
  const auto errors = ErrorsByField(problems, ui::Reader::kResident);
  Questions q(ctx.request, errors);
  CheckInQuestions(q);
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("token", token);
  HttpResponse cookies;
  d.set("csrf", residents_.ResidentCsrf(ctx, &cookies));
  d.set("name", e->name);
  d.set("day", FormatMonthDayJa(c->day));
  mustache::data urgent{mustache::data::type::list};
  for (std::string_view u : ui::UrgentSymptomTexts()) urgent.push_back(mustache::data(std::string(u)));
  d.set("urgent_list", urgent);
  d.set("questions", q.Html());
  if (c->state == care::CheckInState::kAnswered) d.set("answered", mustache::data::type::bool_true);
  if (!problems.empty()) d.set("errors", mustache::data::type::bool_true);
  HttpResponse page = Page(ctx, status, "今日の健康観察", Render(templates::kCareCheckIn, d));
  for (auto& h : cookies.headers) page.headers.push_back(h);
  return page;
}

HttpResponse CareApplicationPages::CheckInPage(RequestContext& ctx) {
  const std::string token = ctx.path_params.at("token");
  const std::optional<int64_t> id = follow_up_.ReadCheckInToken(ctx.tenant, token);
  if (!id) return Error(ctx, 404, ui::ErrorText(NotFoundError("no such link", "check_in_link_expired"), ui::Reader::kResident));
  if (ctx.request.Param("sent").value_or("") == "1") {
    // After sending (the post redirects here, so a reload sends nothing twice): what to do, as
    // the stored report's classification says; the form when there is none.
    std::optional<care::ReportRecord> latest;
    Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
      store::SqlFollowUpPort port(c);
      MADOGUCHI_ASSIGN_OR_RETURN(care::CheckInRecord ci, port.GetCheckIn(ctx.tenant, *id));
      MADOGUCHI_ASSIGN_OR_RETURN(std::vector<care::ReportRecord> reports, port.Reports(ctx.tenant, ci.episode_id));
      for (care::ReportRecord& r : reports) {
        if (r.check_in_id == *id && r.source != care::ReportSource::kMissed) {
          latest = std::move(r);
          break;
        }
      }
      return Status::Ok();
    });
    if (!s.ok()) return Error(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
    if (latest) return Advice(ctx, token, care::AdviceFor(latest->classification));
  }
  return CheckInForm(ctx, 200, *id, token, {});
}

HttpResponse CareApplicationPages::Advice(RequestContext& ctx, const std::string& token, care::Advice advice) {
  mustache::data d;
  switch (advice) {
    case care::Advice::kCall119: d.set("call119", mustache::data::type::bool_true); break;
    case care::Advice::kWeWillCall: d.set("we_call", mustache::data::type::bool_true); break;
    case care::Advice::kThanks: d.set("thanks", mustache::data::type::bool_true); break;
  }
  d.set("again", "/r/" + ctx.tenant + "/care/c/" + token);
  return Page(ctx, 200, advice == care::Advice::kCall119 ? "すぐに119番へ" : "報告を受け取りました",
              Render(templates::kCareCheckInDone, d));
}

HttpResponse CareApplicationPages::SendCheckIn(RequestContext& ctx) {
  const std::string token = ctx.path_params.at("token");
  const std::optional<int64_t> id = follow_up_.ReadCheckInToken(ctx.tenant, token);
  if (!id) return Error(ctx, 404, ui::ErrorText(NotFoundError("no such link", "check_in_link_expired"), ui::Reader::kResident));
  care::HealthReport report;
  care::Problems problems = care::ReadHealthReport(FieldsOf(ctx.request), clock_.NowMs(), report);
  if (!problems.empty()) return CheckInForm(ctx, 422, *id, token, problems);
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    store::SqlFollowUpPort port(c);
    MADOGUCHI_RETURN_IF_ERROR(follow_up_.Report(port, ctx.tenant, *id, report, care::ReportSource::kForm).status());
    return Audit(clock_, c, ctx, ctx.tenant, "care.check_in", "care_check_in:" + std::to_string(*id));
  });
  if (!s.ok()) return Error(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  return RedirectResponse("/r/" + ctx.tenant + "/care/c/" + token + "?sent=1");
}

}  // namespace madoguchi::web
