// Admins set what residents are told (窓口と当日の案内): the window's phone and hours on every
// residents' page, and what to bring and how early to come with every booking.
#include <kainjow/mustache.hpp>

#include <charconv>

#include "common/text.hpp"
#include "store/booking/bookings.hpp"
#include "web/booking/setup.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

const char* kGuidancePage = R"html(<h1>窓口と当日の案内：{{tenant_name}}</h1>
<p>住民向けの画面すべてに窓口の電話番号と受付時間を出し、予約の確認画面に持ち物と来てほしい時刻を出します。</p>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<form method="post" action="/t/{{tenant}}/guidance" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="phone">窓口の電話番号（例：0120-123-456）</label><input id="phone" name="phone" type="tel" maxlength="20" value="{{phone}}">
  <label for="hours">受付時間（例：毎日 9:00〜17:00）</label><input id="hours" name="hours" type="text" maxlength="100" value="{{hours}}">
  <label for="bring">当日の持ち物</label><input id="bring" name="bring" type="text" maxlength="300" value="{{bring}}">
  <label for="arrive">予約の何分前に来てほしいか（0〜120）</label><input id="arrive" name="arrive_minutes_before" type="number" min="0" max="120" value="{{arrive}}" required>
  <button type="submit">保存する</button>
</form>
)html";

}  // namespace

HttpResponse BookingSetupHandlers::GuidancePage(RequestContext& ctx, int status, const std::string& done, const std::string& error) {
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return Fail(ctx, s);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  if (!error.empty()) {
    // A refused form comes back as it was typed.
    d.set("phone", ctx.request.Param("phone").value_or(""));
    d.set("hours", ctx.request.Param("hours").value_or(""));
    d.set("bring", ctx.request.Param("bring").value_or(""));
    d.set("arrive", ctx.request.Param("arrive_minutes_before").value_or(""));
    d.set("error", error);
  } else {
    booking::Guidance g;
    Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(g, store::TenantGuidance(conn, ctx.tenant));
      return Status::Ok();
    });
    if (!s.ok()) return Fail(ctx, s);
    d.set("phone", g.phone);
    d.set("hours", g.hours);
    d.set("bring", g.bring);
    d.set("arrive", std::to_string(g.arrive_minutes_before));
  }
  if (!done.empty()) d.set("done", done);
  return HtmlResponse(status, PageShell("窓口と当日の案内", Render(kGuidancePage, d), &*ctx.principal));
}

HttpResponse BookingSetupHandlers::PageGuidance(RequestContext& ctx) { return GuidancePage(ctx, 200, "", ""); }

HttpResponse BookingSetupHandlers::PageGuidanceSave(RequestContext& ctx) {
  booking::Guidance g;
  g.phone = booking::ReadTypedPhone(ctx.request.Param("phone").value_or(""));
  g.hours = text::Trim(ctx.request.Param("hours").value_or(""));
  g.bring = text::Trim(ctx.request.Param("bring").value_or(""));
  const std::string arrive = booking::NormalizeDigits(ctx.request.Param("arrive_minutes_before").value_or(""));
  auto [end, ec] = std::from_chars(arrive.data(), arrive.data() + arrive.size(), g.arrive_minutes_before);
  if (arrive.empty() || ec != std::errc() || end != arrive.data() + arrive.size()) {
    return GuidancePage(ctx, 422, "", ui::ErrorText(InvalidArgumentError("arrive_minutes_before", "not a whole number", "not_a_number")));
  }
  if (Status valid = booking::ValidateGuidance(g); !valid.ok()) return GuidancePage(ctx, 422, "", ui::ErrorText(valid));
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::SaveTenantGuidance(conn, ctx.tenant, g, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, "guidance.update", "tenant:" + ctx.tenant);
  });
  if (!s.ok()) return GuidancePage(ctx, HttpStatusFor(s.code()), "", ui::ErrorText(s));
  tenants_.ForgetGuidance(ctx.tenant);  // this process shows it at once; others within a second
  return GuidancePage(ctx, 200, "保存しました。住民向けの画面に出ます。", "");
}

}  // namespace madoguchi::web
