// src/web/care/settings_pages.cpp — see settings_pages.hpp. The rules (ranges, the deadlines'
// order, who may register, the triage file) are care's and formats'; this page reads the form and
// shows the answer.
#include "web/care/settings_pages.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/text.hpp"
#include "common/time_format.hpp"
#include "formats/care_rules.hpp"
#include "formats/triage_rules.hpp"
#include "store/accounts/accounts.hpp"
#include "store/care/settings.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {
namespace {

namespace mustache = kainjow::mustache;

const char* kPage = R"html(<h1>療養の設定：{{tenant_name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="post" action="/t/{{tenant}}/care/settings" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <fieldset><legend>毎日の健康観察（日本時間）</legend>
  <div class="field"><label for="check_in">送る時刻</label><input id="check_in" name="check_in" type="text" inputmode="numeric" value="{{check_in}}"{{#err_check_in}} aria-invalid="true"{{/err_check_in}}></div>
  <div class="field"><label for="remind_at">答えがないとき、もう一度送る時刻</label><input id="remind_at" name="remind_at" type="text" inputmode="numeric" value="{{remind_at}}"{{#err_remind_at}} aria-invalid="true"{{/err_remind_at}}></div>
  <div class="field"><label for="call_at">それでも答えがないとき、電話の一覧に載せる時刻</label><input id="call_at" name="call_at" type="text" inputmode="numeric" value="{{call_at}}"{{#err_call_at}} aria-invalid="true"{{/err_call_at}}>
  <span class="hint">どれも 9:00 のように入れます。同じ日のうちにしてください。</span></div>
  </fieldset>
  <fieldset><legend>療養の期間と写真</legend>
  <div class="field"><label for="days_after_onset">療養の日数（発症日、症状がなければ検査日から）</label><input id="days_after_onset" name="days_after_onset" type="text" inputmode="numeric" value="{{days_after_onset}}"{{#err_days_after_onset}} aria-invalid="true"{{/err_days_after_onset}}></div>
  <div class="field"><label for="kit_photo_retention_days">検査キットの写真を残す日数（療養が終わってから）</label><input id="kit_photo_retention_days" name="kit_photo_retention_days" type="text" inputmode="numeric" value="{{kit_photo_retention_days}}"{{#err_kit_photo_retention_days}} aria-invalid="true"{{/err_kit_photo_retention_days}}></div>
  <div class="field"><label for="id_photo_retention_days">本人確認書類の写真を残す日数（判断の後）</label><input id="id_photo_retention_days" name="id_photo_retention_days" type="text" inputmode="numeric" value="{{id_photo_retention_days}}"{{#err_id_photo_retention_days}} aria-invalid="true"{{/err_id_photo_retention_days}}></div>
  <div class="field"><label for="clinic_info">オンラインで登録できない方への受診の案内（空にすると一般的な案内）</label><textarea id="clinic_info" name="clinic_info" rows="4"{{#err_clinic_info}} aria-invalid="true"{{/err_clinic_info}}>{{clinic_info}}</textarea></div>
  </fieldset>
  <fieldset><legend>オンラインで登録できる方</legend>
  <p class="hint">申請のはじめの質問で確かめ、あてはまらない方には受診をご案内します。</p>
  <div class="field"><label for="oldest_age">登録できる年齢（この歳まで）</label><input id="oldest_age" name="oldest_age" type="text" inputmode="numeric" value="{{oldest_age}}"{{#err_oldest_age}} aria-invalid="true"{{/err_oldest_age}}></div>
  <div class="field"><label for="max_days_since_test">検査の日から申請までの日数（この日数まで。0 は検査の当日だけ）</label><input id="max_days_since_test" name="max_days_since_test" type="text" inputmode="numeric" value="{{max_days_since_test}}"{{#err_max_days_since_test}} aria-invalid="true"{{/err_max_days_since_test}}></div>
  <div class="field"><label class="check"><input type="checkbox" name="refuse_risk_factors" value="1"{{#refuse_risk_factors}} checked{{/refuse_risk_factors}}> 重症化のリスクがある方は登録できない</label>
  <label class="check"><input type="checkbox" name="refuse_pregnant" value="1"{{#refuse_pregnant}} checked{{/refuse_pregnant}}> 妊娠している方は登録できない</label>
  <label class="check"><input type="checkbox" name="require_mild_symptoms" value="1"{{#require_mild_symptoms}} checked{{/require_mild_symptoms}}> 症状が軽いと本人が思う方だけ登録できる</label>
  <label class="check"><input type="checkbox" name="refuse_smokers" value="1"{{#refuse_smokers}} checked{{/refuse_smokers}}> たばこを吸う方は登録できない</label></div>
  <div class="field"><label for="min_vaccinations">ワクチン接種の回数（この回数から登録できる。空にすると聞きません）</label><input id="min_vaccinations" name="min_vaccinations" type="text" inputmode="numeric" value="{{min_vaccinations}}"{{#err_min_vaccinations}} aria-invalid="true"{{/err_min_vaccinations}}></div>
  <div class="field"><label for="max_bmi">BMIの上限（この値まで登録できる。例：30。空にすると身長と体重を聞きません）</label><input id="max_bmi" name="max_bmi" type="text" inputmode="decimal" value="{{max_bmi}}"{{#err_max_bmi}} aria-invalid="true"{{/err_max_bmi}}></div>
  <div class="field"><label for="kits_approved">承認された検査キット（体外診断用医薬品。箱に書かれた名前を1行に1つ）</label><textarea id="kits_approved" name="kits_approved" rows="5"{{#err_kits_approved}} aria-invalid="true"{{/err_kits_approved}}>{{kits_approved}}</textarea></div>
  <div class="field"><label for="kits_research">研究用の検査キット（選んだ方には、その結果では登録できないとお伝えします。1行に1つ）</label><textarea id="kits_research" name="kits_research" rows="3"{{#err_kits_research}} aria-invalid="true"{{/err_kits_research}}>{{kits_research}}</textarea>
  <span class="hint">申請の画面には、この順に並びます。</span></div>
  </fieldset>
  <fieldset><legend>優先度の判定の規則（いまの版：{{triage_version}}、規則 {{triage_rules}} 件）</legend>
  <div class="field"><label for="triage">規則（書き方は docs/care.md。空にすると初めの規則に戻します）</label><textarea id="triage" name="triage" rows="14" spellcheck="false" autocapitalize="none"{{#err_triage}} aria-invalid="true"{{/err_triage}}>{{triage}}</textarea>
  <span class="hint">規則を変えると版の名前も変えてください。判定のたびに、使った版と規則が記録されます。</span></div>
  </fieldset>
  <div class="field"><button type="submit">保存する</button></div>
</form>
<p><a href="/t/{{tenant}}/care/dashboard">療養の状況へ</a></p>
)html";

// The form's field for what a rule names, so the page marks the box that was wrong; a kit
// ("eligibility.kits[3]…") is in the box of approved kits when its place is among the first
// `approved` (the page lists them first), else in the research-use box.
std::string FormField(const std::string& rule, size_t approved = 0) {
  if (rule == "send_minute") return "check_in";
  if (rule == "remind_after_minutes") return "remind_at";
  if (rule == "call_after_minutes") return "call_at";
  if (rule.starts_with("episode.")) return rule.substr(8);
  if (rule.starts_with("triage")) return "triage";
  if (rule.starts_with("eligibility.kits[")) {
    const size_t place = static_cast<size_t>(std::atoi(rule.c_str() + std::string_view("eligibility.kits[").size()));
    return place < approved ? "kits_approved" : "kits_research";
  }
  if (rule == "eligibility.kits") return "kits_approved";
  if (rule == "eligibility.max_age") return "oldest_age";  // "max_age" is the booking rules page's
  if (rule.starts_with("eligibility.")) return rule.substr(12);
  return rule;
}

// The lines of a box, trimmed, empty ones left out.
std::vector<std::string> Lines(std::string typed) {
  std::erase(typed, '\r');
  std::vector<std::string> out;
  for (size_t start = 0; start <= typed.size();) {
    size_t end = typed.find('\n', start);
    if (end == std::string::npos) end = typed.size();
    if (std::string line = text::Trim(typed.substr(start, end - start)); !line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

// The kits of one kind, a line each.
std::string KitLines(const std::vector<care::TestKit>& kits, bool approved) {
  std::string out;
  for (const care::TestKit& k : kits) {
    if (k.approved == approved) out += k.name + "\n";
  }
  return out;
}

// The same error on the form's field.
Status OnField(const Status& s, const std::string& field) { return Status(s.code(), s.key(), s.message(), field); }

// A number with a decimal point as typed (３０．５ too), or nullopt.
std::optional<double> Decimal(const std::string& typed) {
  const std::string t = text::AsTyped(typed);
  if (t.empty() || t.size() > 8 || t.find_first_not_of("0123456789.") != std::string::npos || std::count(t.begin(), t.end(), '.') > 1 ||
      t.front() == '.' || t.back() == '.')
    return std::nullopt;
  return std::stod(t);
}

// 30 → "30", 27.5 → "27.5".
std::string ShortDecimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A whole number as typed (full-width digits too), or nullopt.
std::optional<int> Whole(const std::string& typed) {
  const std::string t = text::AsTyped(typed);
  if (t.empty() || t.size() > 5 || t.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(t);
}

}  // namespace

void CareSettingsPages::Register(Router& router, CareSettingsPages* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = CareSettingsPages;
  add("GET", "/t/{tenant}/care/settings", K::kPage, roles::kCareLeads,
      "the tenant's home-care settings: check-in time and deadlines, days of home care, photo retention, who may register and the kits, "
      "triage rules",
      &H::Page);
  add("POST", "/t/{tenant}/care/settings", K::kPage, roles::kCareLeads,
      "save the home-care settings (validated; nothing saved when refused)", &H::Save);
}

HttpResponse CareSettingsPages::Render(RequestContext& ctx, int status, const std::string& done, const Status& error) {
  std::optional<store::Tenant> tenant;
  care::CareSettings stored;
  Status s = store::WithConnection(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(tenant, store::FindTenant(c, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(stored, store::LoadCareSettings(c, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenant ? tenant->name : ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  // A refused form comes back as it was typed; otherwise what is stored.
  auto value = [&](const char* field, const std::string& current) {
    d.set(field, !error.ok() ? ctx.request.Param(field).value_or("") : current);
  };
  const care::CheckInRules& r = stored.check_in;
  value("check_in", FormatClock(r.send_minute));
  value("remind_at", FormatClock(r.send_minute + r.remind_after_minutes));
  value("call_at", FormatClock(r.send_minute + r.call_after_minutes));
  value("days_after_onset", std::to_string(stored.episode.days_after_onset));
  value("kit_photo_retention_days", std::to_string(stored.episode.kit_photo_retention_days));
  value("id_photo_retention_days", std::to_string(stored.episode.id_photo_retention_days));
  value("clinic_info", stored.clinic_info);
  const care::EligibilityRules& e = stored.eligibility;
  value("oldest_age", std::to_string(e.max_age));
  value("max_days_since_test", std::to_string(e.max_days_since_test));
  value("min_vaccinations", e.min_vaccinations ? std::to_string(*e.min_vaccinations) : "");
  value("max_bmi", e.max_bmi ? ShortDecimal(*e.max_bmi) : "");
  value("kits_approved", KitLines(e.kits, true));
  value("kits_research", KitLines(e.kits, false));
  auto flag = [&](const char* field, bool current) {
    if (!error.ok() ? ctx.request.Param(field).has_value() : current) d.set(field, mustache::data::type::bool_true);
  };
  flag("refuse_risk_factors", e.refuse_risk_factors);
  flag("refuse_pregnant", e.refuse_pregnant);
  flag("require_mild_symptoms", e.require_mild_symptoms);
  flag("refuse_smokers", e.refuse_smokers);
  value("triage", nlohmann::json::parse(formats::TriageRulesJson(stored.triage)).dump(2));
  d.set("triage_version", stored.triage.version);
  d.set("triage_rules", std::to_string(stored.triage.rules.size()));
  if (!done.empty()) d.set("done", done);
  if (!error.ok()) {
    const std::string& f = error.field();
    d.set("error", f.starts_with("triage")
                       ? ui::TriageRulesErrorText(error.code() == StatusCode::kMalformed, f.size() > 7 ? f.substr(7) : "")
                       : ui::ErrorText(error));
    d.set("err_" + FormField(error.field()), mustache::data::type::bool_true);
  }
  return HtmlResponse(status, PageShell("療養の設定", web::Render(kPage, d), &*ctx.principal));
}

HttpResponse CareSettingsPages::Page(RequestContext& ctx) { return Render(ctx, 200, "", Status::Ok()); }

HttpResponse CareSettingsPages::Save(RequestContext& ctx) {
  const HttpRequest& r = ctx.request;
  auto refuse = [&](const Status& s) { return Render(ctx, 422, "", s); };
  auto clock_of = [&](const char* field) { return ParseClock(text::AsTyped(r.Param(field).value_or(""))); };
  const std::optional<int> send = clock_of("check_in"), remind = clock_of("remind_at"), call = clock_of("call_at");
  if (!send) return refuse(InvalidArgumentError("check_in", "is not a time"));
  if (!remind) return refuse(InvalidArgumentError("remind_at", "is not a time"));
  if (!call) return refuse(InvalidArgumentError("call_at", "is not a time"));
  nlohmann::json episode;
  for (const char* field : {"days_after_onset", "kit_photo_retention_days", "id_photo_retention_days"}) {
    const std::optional<int> days = Whole(r.Param(field).value_or(""));
    if (!days) return refuse(InvalidArgumentError(field, "is not a number of days"));
    episode[field] = *days;
  }
  std::string clinic_info = r.Param("clinic_info").value_or("");
  std::erase(clinic_info, '\r');
  // Who may register: read as typed, checked with care's own file reader below.
  nlohmann::json eligibility;
  for (const auto& [field, rule] : {std::pair{"oldest_age", "max_age"}, std::pair{"max_days_since_test", "max_days_since_test"}}) {
    const std::optional<int> n = Whole(r.Param(field).value_or(""));
    if (!n) return refuse(InvalidArgumentError(field, "is not a whole number"));
    eligibility[rule] = *n;
  }
  for (const char* field : {"refuse_risk_factors", "refuse_pregnant", "require_mild_symptoms", "refuse_smokers"}) {
    eligibility[field] = r.Param(field).has_value();
  }
  if (const std::string typed = text::AsTyped(r.Param("min_vaccinations").value_or("")); typed.empty()) {
    eligibility["min_vaccinations"] = nullptr;
  } else if (const std::optional<int> n = Whole(typed)) {
    eligibility["min_vaccinations"] = *n;
  } else {
    return refuse(InvalidArgumentError("min_vaccinations", "is not a whole number"));
  }
  if (const std::string typed = text::AsTyped(r.Param("max_bmi").value_or("")); typed.empty()) {
    eligibility["max_bmi"] = nullptr;
  } else if (const std::optional<double> bmi = Decimal(typed)) {
    eligibility["max_bmi"] = *bmi;
  } else {
    return refuse(InvalidArgumentError("max_bmi", "is not a number"));
  }
  const std::vector<std::string> approved = Lines(r.Param("kits_approved").value_or(""));
  const std::vector<std::string> research = Lines(r.Param("kits_research").value_or(""));
  nlohmann::json kits = nlohmann::json::array();
  for (const std::string& k : approved) kits.push_back({{"name", k}, {"approved", true}});
  for (const std::string& k : research) kits.push_back({{"name", k}, {"approved", false}});
  eligibility["kits"] = kits;
  std::optional<care::TriageRuleSet> triage;
  if (const std::string typed = text::Trim(r.Param("triage").value_or("")); typed.empty()) {
    triage = care::DefaultCareSettings().triage;
  } else {
    Result<care::TriageRuleSet> parsed = formats::ParseTriageRules(typed);
    // The rule the file got wrong rides along after the form's field: "triage:rules[2].priority".
    if (!parsed.ok())
      return refuse(OnField(parsed.status(), parsed.status().field().empty() ? "triage" : "triage:" + parsed.status().field()));
    triage = std::move(*parsed);
  }
  Status s = store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(care::CareSettings next, store::LoadCareSettings(c, ctx.tenant));
    // What care's own file reader checks (ranges, the clinic text) is checked the same way here.
    MADOGUCHI_ASSIGN_OR_RETURN(
        next, formats::ParseCareRules(
                  nlohmann::json{{"eligibility", eligibility}, {"episode", episode}, {"clinic_info", clinic_info}}.dump(), next));
    next.check_in.send_minute = *send;
    next.check_in.remind_after_minutes = *remind - *send;
    next.check_in.call_after_minutes = *call - *send;
    next.triage = *triage;
    MADOGUCHI_RETURN_IF_ERROR(store::SaveCareSettings(c, ctx.tenant, next, clock_.NowMs()));
    return Audit(clock_, c, ctx, ctx.tenant, "care_settings.update", "tenant:" + ctx.tenant);
  });
  if (s.code() == StatusCode::kInvalidArgument) return refuse(OnField(s, FormField(s.field(), approved.size())));
  if (!s.ok()) return Render(ctx, HttpStatusFor(s.code()), "", s);
  return Render(ctx, 200, "保存しました。あすからの健康観察と、これからの判定に使います。", Status::Ok());
}

}  // namespace madoguchi::web
