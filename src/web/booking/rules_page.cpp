// Admins set who may book (age band, dose, intervals, same vaccine) on a page; saving goes
// through the same checks as PUT /api/v1/t/{tenant}/booking-rules.
#include <kainjow/mustache.hpp>

#include <charconv>

#include "formats/booking_rules.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "web/booking/setup.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

const char* kRulesPage = R"html(<h1>予約できる人の条件：{{tenant_name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#reach}}<p class="{{reach_class}}" role="status" id="reach">{{reach}}</p>{{/reach}}
<form method="post" action="/t/{{tenant}}/booking-rules" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="min_age">何歳から（接種日の年齢。空欄なら制限なし）</label><input id="min_age" name="min_age" type="number" min="0" max="150" value="{{min_age}}">
  <label for="max_age">何歳まで（空欄なら制限なし）</label><input id="max_age" name="max_age" type="number" min="0" max="150" value="{{max_age}}">
  <label for="max_dose">受け付ける接種回（何回目まで）</label><input id="max_dose" name="max_dose" type="number" min="1" max="10" value="{{max_dose}}" required>
  <label for="intervals">前回の接種からあける日数（ワクチン:日数 をカンマで区切る。書かないワクチンは21日）</label>
  <input id="intervals" name="intervals" type="text" value="{{intervals}}" placeholder="pfizer:21, moderna:28">
  <label><input type="checkbox" name="same_vaccine" value="1"{{#same_vaccine}} checked{{/same_vaccine}}> 2回目は1回目と同じワクチンに限る</label>
  <div class="actions">
    <button type="submit" name="preview" value="1" class="outline">何人が予約できるか確かめる</button>
    <button type="submit">保存する</button>
  </div>
</form>
)html";

// `typed` as a whole number (nullopt when empty), full-width digits too; false when it is
// something else.
bool WholeOrEmpty(const std::string& typed, std::optional<int>& out) {
  // NormalizeDigits drops hyphens: a minus sign would vanish, so it is refused first.
  if (typed.find('-') != std::string::npos || typed.find("\xEF\xBC\x8D") != std::string::npos) return false;  // - and －
  const std::string v = booking::NormalizeDigits(text::Trim(typed));
  if (v.empty()) return true;
  int n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size()) return false;
  out = n;
  return true;
}

}  // namespace

void BookingSetupHandlers::Register(Router& router, BookingSetupHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = BookingSetupHandlers;
  add("GET", "/t/{tenant}/booking-rules", K::kPage, roles::kAdmin, "who may book: age band, doses, intervals", &H::PageRules);
  add("POST", "/t/{tenant}/booking-rules", K::kPage, roles::kAdmin, "save who may book", &H::PageRulesSave);
  add("PUT", "/api/v1/t/{tenant}/booking-rules", K::kApi, roles::kAdmin,
      "eligibility {min_age,max_age,max_dose,same_vaccine_for_second_dose,min_days_after_previous_dose}", &H::ApiPutBookingRules);
  add("GET", "/t/{tenant}/guidance", K::kPage, roles::kAdmin, "what residents are told: the window's phone and hours, the day",
      &H::PageGuidance);
  add("POST", "/t/{tenant}/guidance", K::kPage, roles::kAdmin, "save what residents are told", &H::PageGuidanceSave);
  add("GET", "/t/{tenant}/residents", K::kPage, roles::kListKeepers, "target list: count and CSV upload form", &H::PageResidents);
  add("POST", "/t/{tenant}/residents/import", K::kPage, roles::kListKeepers, "target list: import a CSV (all rows or none)",
      &H::PageResidentsImport);
  add("GET", "/t/{tenant}/venues", K::kPage, roles::kPlanners, "venues and upcoming slots", &H::PageVenues);
  add("POST", "/t/{tenant}/venues", K::kPage, roles::kPlanners, "add a venue", &H::PageVenueCreate);
  add("POST", "/t/{tenant}/slots", K::kPage, roles::kPlanners, "add a day's series of slots", &H::PageSlotsCreate);
  add("GET", "/t/{tenant}/venues/{venue}", K::kPage, roles::kPlanners, "one venue: name, a day closed or reopened, each slot's seats",
      &H::PageVenue);
  add("POST", "/t/{tenant}/venues/{venue}", K::kPage, roles::kPlanners, "rename or move a venue", &H::PageVenueSave);
  add("POST", "/t/{tenant}/venues/{venue}/days", K::kPage, roles::kPlanners,
      "close a venue's day to booking (action=close, listing whom to call) or reopen it (action=reopen)", &H::PageVenueDay);
  add("POST", "/t/{tenant}/slots/{slot}/{action}", K::kPage, roles::kPlanners,
      "a slot's capacity (action=capacity, never below seats taken) or delete a never-booked slot (action=delete)", &H::PageSlotChange);
}

HttpResponse BookingSetupHandlers::RulesPage(RequestContext& ctx, int status, const std::string& done, const std::string& error,
                                             bool show_typed, const std::optional<booking::RulesReach>& preview) {
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  d.set("csrf", ctx.principal->csrf_token);
  std::string shown_error = error;
  if (show_typed) {
    // A refused form comes back as it was typed, so nothing the admin wrote is lost.
    for (const char* field : {"min_age", "max_age", "max_dose", "intervals"}) d.set(field, ctx.request.Param(field).value_or(""));
    if (ctx.request.Param("same_vaccine")) d.set("same_vaccine", mustache::data::type::bool_true);
  } else {
    booking::Rules rules;
    Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(rules, store::TenantRules(conn, ctx.tenant));
      return Status::Ok();
    });
    if (!s.ok() && s.key() != "bad_stored_rules") return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
    if (!s.ok()) {
      // Booking is refused until the rules read again: the form (with the defaults) is how the
      // admin repairs them.
      rules = booking::Rules{};
      shown_error = ui::ErrorText(s);
    }
    d.set("min_age", rules.min_age ? std::to_string(*rules.min_age) : "");
    d.set("max_age", rules.max_age ? std::to_string(*rules.max_age) : "");
    d.set("max_dose", std::to_string(rules.max_dose));
    std::string intervals;
    for (const auto& [v, days] : rules.min_days_after_previous_dose)
      intervals += (intervals.empty() ? "" : ", ") + v + ":" + std::to_string(days);
    d.set("intervals", intervals);
    if (rules.same_vaccine_for_second_dose) d.set("same_vaccine", mustache::data::type::bool_true);
  }
  if (!done.empty()) d.set("done", done);
  if (!shown_error.empty()) d.set("error", shown_error);
  // Whom the rules let book: the preview's, or (on the page as saved) the rules in force.
  std::optional<booking::RulesReach> reach = preview;
  if (!reach && shown_error.empty()) {
    Result<booking::RulesReach> in_force = ReachOfRules(ctx, std::nullopt);
    if (!in_force.ok()) return ErrorPage(&ctx, HttpStatusFor(in_force.status().code()), ui::ErrorText(in_force.status()));
    reach = *in_force;
  }
  if (reach) {
    d.set("reach", ui::ReachText(*reach, !preview.has_value()));
    d.set("reach_class", reach->listed > 0 && reach->may_book_now == 0 ? "error" : "note");
  }
  return HtmlResponse(status, PageShell("予約の条件", Render(kRulesPage, d), &*ctx.principal));
}

HttpResponse BookingSetupHandlers::PageRules(RequestContext& ctx) { return RulesPage(ctx, 200, "", ""); }

HttpResponse BookingSetupHandlers::PageRulesSave(RequestContext& ctx) {
  // The form becomes booking::Rules here; the checks are booking::ValidateRules, as for the API.
  booking::Rules rules;
  auto number = [&](const char* field, std::optional<int>& out) { return WholeOrEmpty(ctx.request.Param(field).value_or(""), out); };
  std::optional<int> max_dose;
  for (auto [field, out] : {std::pair{"min_age", &rules.min_age}, std::pair{"max_age", &rules.max_age}, std::pair{"max_dose", &max_dose}}) {
    if (!number(field, *out))
      return RulesPage(ctx, 422, "", ui::ErrorText(InvalidArgumentError(field, "not a whole number", "not_a_number")), true);
  }
  rules.max_dose = max_dose.value_or(1);
  rules.same_vaccine_for_second_dose = ctx.request.Param("same_vaccine").has_value();
  const std::string list = ctx.request.Param("intervals").value_or("");
  for (size_t start = 0; start < list.size();) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string item = text::Trim(list.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    std::optional<int> days;
    const std::string vaccine = text::Trim(item.substr(0, colon == std::string::npos ? 0 : colon));
    if (colon == std::string::npos || vaccine.empty() || !WholeOrEmpty(item.substr(colon + 1), days) || !days) {
      return RulesPage(ctx, 422, "", ui::ErrorText(InvalidArgumentError("intervals", "write vaccine:days, ...", "bad_intervals")), true);
    }
    rules.min_days_after_previous_dose[vaccine] = *days;
  }
  if (ctx.request.Param("preview")) {
    // Counted on the list as it is, nothing saved: the form comes back as typed with the count.
    Result<booking::RulesReach> reach = ReachOfRules(ctx, rules);
    if (!reach.ok()) return RefusedRules(ctx, reach.status());
    return RulesPage(ctx, 200, "", "", true, *reach);
  }
  if (Status saved = SaveRules(ctx, rules); !saved.ok()) return RefusedRules(ctx, saved);
  return RulesPage(ctx, 200, "保存しました。この画面の条件で予約を受け付けます。", "");
}

Result<booking::RulesReach> BookingSetupHandlers::ReachOfRules(const RequestContext& ctx, const std::optional<booking::Rules>& rules) {
  booking::RulesReach reach;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    booking::Rules counted;
    if (rules) {
      counted = *rules;
    } else {
      MADOGUCHI_ASSIGN_OR_RETURN(counted, booking_.RulesOf(port, ctx.tenant));
    }
    MADOGUCHI_ASSIGN_OR_RETURN(reach, booking_.ReachOf(port, ctx.tenant, counted));
    return Status::Ok();
  }));
  return reach;
}

HttpResponse BookingSetupHandlers::RefusedRules(RequestContext& ctx, Status refused) {
  // A vaccine's interval is named by the vaccine ("min_days_after_previous_dose.pfizer"); the
  // form has one box for them all.
  if (refused.field().starts_with("min_days_after_previous_dose")) {
    refused = InvalidArgumentError(refused.field(), refused.message(), "bad_interval_setting");
  }
  return RulesPage(ctx, HttpStatusFor(refused.code()), "", ui::ErrorText(refused), refused.code() == StatusCode::kInvalidArgument);
}

HttpResponse BookingSetupHandlers::ApiPutBookingRules(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto rules = formats::ParseBookingRules(body->dump());
  if (!rules.ok()) return JsonError(rules.status());
  if (Status s = SaveRules(ctx, *rules); !s.ok()) return JsonError(s);
  return JsonReply(200, json::parse(formats::BookingRulesJson(*rules)));
}

// Stores validated rules (booking::ValidateRules) in the one format (formats/booking_rules).
Status BookingSetupHandlers::SaveRules(const RequestContext& ctx, const booking::Rules& rules) {
  if (Status valid = booking::ValidateRules(rules); !valid.ok()) return valid;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::SaveTenantRules(conn, ctx.tenant, rules, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, "booking_rules.update", "tenant:" + ctx.tenant);
  });
  MADOGUCHI_RETURN_IF_ERROR(s);
  booking_.ForgetRules(ctx.tenant);  // this process sees the change at once; others within a second
  return Status::Ok();
}

}  // namespace madoguchi::web
