// One venue as staff keep it: its name and address, a day closed to booking (a typhoon, no
// staff) with the residents booked that day listed to be called, each slot's seats, and an empty
// slot deleted. The rules are BookingService's (CloseDay, SetCapacity, DeleteSlot).
#include <kainjow/mustache.hpp>

#include "booking/booking.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
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

const char* kVenuePage = R"html(<p><a href="/t/{{tenant}}/venues">← 会場と予約枠の一覧へ</a></p>
<h1>会場：{{name}}</h1>
{{#done}}<p class="done" role="status">{{done}}</p>{{/done}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#has_contacts}}<section aria-labelledby="contact-h"><h2 id="contact-h">連絡が必要な方（{{contact_count}} 人）</h2>
<p>この日に予約がある方です。電話で伝え、オペレーター画面で日時を変えるか取り消してください。</p>
<div class="scroll"><table><thead><tr><th>時間</th><th>氏名</th><th>カナ</th><th>電話番号</th><th>予約番号</th><th></th></tr></thead><tbody>
{{#contacts}}<tr><td>{{when}}</td><td>{{name}}</td><td>{{kana}}</td><td>{{#phone}}<a href="tel:{{phone}}">{{phone}}</a>{{/phone}}{{^phone}}（電話番号なし）{{/phone}}</td><td>{{code}}</td>
<td><a href="/t/{{tenant}}/console/residents/{{resident_id}}">オペレーター画面で開く</a></td></tr>{{/contacts}}
</tbody></table></div></section>{{/has_contacts}}
<h2>名前と住所</h2>
<form method="post" action="/t/{{tenant}}/venues/{{id}}" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="name">会場名</label><input id="name" name="name" type="text" value="{{name_typed}}" required>
  <label for="address">住所</label><input id="address" name="address" type="text" value="{{address_typed}}">
  <button type="submit">保存する</button>
</form>
<h2>ある日の受付を締め切る・再開する</h2>
<p class="hint">台風や人手不足のときに。締め切った日は予約も空き待ちの案内もしません。すでに予約がある方は一覧に出ます。</p>
<form method="post" action="/t/{{tenant}}/venues/{{id}}/days" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <label for="date">日付</label><input id="date" name="date" type="date" value="{{date_typed}}" required>
  <label for="reason">理由（職員向けのメモ）</label><input id="reason" name="reason" type="text" maxlength="200" value="{{reason_typed}}" placeholder="台風のため">
  <div class="actions">
    <button type="submit" name="action" value="close" class="danger">この日の受付を締め切る</button>
    <button type="submit" name="action" value="reopen" class="outline">この日の受付を再開する</button>
  </div>
</form>
<h2>これからの予約枠</h2>
{{#capped}}<p class="note">近い順に {{capped}} 枠まで表示しています。それより先の枠は、近い枠が過ぎると表示されます（締め切り・再開は日付で指定できます）。</p>{{/capped}}
<div class="scroll"><table><thead><tr><th>日時</th><th>状態</th><th>予約</th><th>定員を変える</th><th>削除</th></tr></thead><tbody>
{{#slots}}<tr><td>{{when}}</td><td>{{state}}</td><td class="num">{{booked}} / {{capacity}}</td>
<td><form method="post" action="/t/{{tenant}}/slots/{{slot_id}}/capacity" class="inline">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<label for="cap-{{slot_id}}" class="visually-hidden">{{when}} の定員</label>
<input id="cap-{{slot_id}}" name="capacity" type="number" min="1" max="100000" value="{{capacity}}" class="short" required>
<button type="submit" class="secondary">変更</button></form></td>
<td>{{#empty}}<form method="post" action="/t/{{tenant}}/slots/{{slot_id}}/delete" class="inline">
<input type="hidden" name="csrf_token" value="{{csrf}}">
<button type="submit" class="secondary" aria-label="{{when}} の枠を削除">削除</button></form>{{/empty}}</td></tr>{{/slots}}
{{^slots}}<tr><td colspan="5">これからの予約枠はありません。</td></tr>{{/slots}}
</tbody></table></div>
)html";

constexpr size_t kMostSlotsShown = 1000;  // a list is never cut without saying so

// "2026-12-03 9:00〜9:30" as staff read a slot.
std::string SlotWhen(const booking::SlotRecord& s) {
  return FormatDateJa(JapanDay(s.starts_at_ms)) + " " + FormatTokyoHourMinute(s.starts_at_ms) + "〜" + FormatTokyoHourMinute(s.ends_at_ms);
}

}  // namespace

HttpResponse BookingSetupHandlers::VenuePage(RequestContext& ctx, int64_t venue_id, int status, const VenuePageView& view) {
  std::optional<store::VenueRow> venue;
  std::vector<booking::SlotRecord> slots;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(std::vector<store::VenueRow> venues, store::ListVenues(conn, ctx.tenant));
    for (auto& v : venues)
      if (v.id == venue_id) venue = std::move(v);
    if (!venue) return Status(StatusCode::kNotFound, "venue_not_found", "no such venue", "venue_id");
    store::SlotFilter f;
    f.venue_id = venue_id;
    f.after_ms = clock_.NowMs();
    f.limit = kMostSlotsShown;
    MADOGUCHI_ASSIGN_OR_RETURN(slots, store::ListSlots(conn, ctx.tenant, f));
    return Status::Ok();
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("csrf", ctx.principal->csrf_token);
  d.set("id", std::to_string(venue_id));
  d.set("name", venue->name);
  // Each form as typed when it was the one refused; the other form as stored.
  auto typed = [&](const char* field, const std::string& stored) {
    auto sent = ctx.request.Param(field);
    return view.keep_typed && sent ? *sent : stored;
  };
  d.set("name_typed", typed("name", venue->name));
  d.set("address_typed", typed("address", venue->address));
  d.set("date_typed", typed("date", ""));
  d.set("reason_typed", typed("reason", ""));
  if (!view.done.empty()) d.set("done", view.done);
  if (!view.error.empty()) d.set("error", view.error);
  if (!view.to_contact.empty()) {
    d.set("has_contacts", mustache::data::type::bool_true);
    d.set("contact_count", std::to_string(view.to_contact.size()));
    mustache::data list{mustache::data::type::list};
    for (const booking::BookingToContact& c : view.to_contact) {
      mustache::data x;
      x.set("tenant", ctx.tenant);
      x.set("when", SlotWhen(c.booking.slot));
      x.set("name", c.name);
      x.set("kana", c.name_kana);
      if (!c.phone.empty()) x.set("phone", c.phone);
      x.set("code", booking::CodeInGroups(c.booking.confirmation_code));
      x.set("resident_id", std::to_string(c.booking.resident_id));
      list.push_back(x);
    }
    d.set("contacts", list);
  }
  mustache::data sl{mustache::data::type::list};
  for (const auto& slot : slots) {
    mustache::data x;
    x.set("tenant", ctx.tenant);
    x.set("csrf", ctx.principal->csrf_token);
    x.set("slot_id", std::to_string(slot.id));
    x.set("when", SlotWhen(slot));
    x.set("state", std::string(ui::SlotStateLabel(slot.closed, slot.remaining())));
    x.set("booked", std::to_string(slot.booked));
    x.set("capacity", std::to_string(slot.capacity));
    if (slot.booked == 0) x.set("empty", mustache::data::type::bool_true);
    sl.push_back(x);
  }
  d.set("slots", sl);
  if (slots.size() >= kMostSlotsShown) d.set("capped", std::to_string(kMostSlotsShown));
  return HtmlResponse(status, PageShell("会場：" + venue->name, Render(kVenuePage, d), &*ctx.principal));
}

HttpResponse BookingSetupHandlers::PageVenue(RequestContext& ctx) {
  const auto id = ParseId(ctx.path_params.at("venue"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(Status(StatusCode::kNotFound, "venue_not_found", "", "venue_id")));
  return VenuePage(ctx, *id, 200, {});
}

HttpResponse BookingSetupHandlers::PageVenueSave(RequestContext& ctx) {
  const auto id = ParseId(ctx.path_params.at("venue"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(Status(StatusCode::kNotFound, "venue_not_found", "", "venue_id")));
  booking::Venue v{ctx.request.Param("name").value_or(""), ctx.request.Param("address").value_or("")};
  if (Status bad = booking::ValidateVenue(v); !bad.ok()) {
    return VenuePage(ctx, *id, 422,
                     {.error = ui::ErrorText(InvalidArgumentError(bad.field(), bad.message(), "bad_venue")), .keep_typed = true});
  }
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::UpdateVenue(conn, ctx.tenant, *id, v));
    return Audit(clock_, conn, ctx, ctx.tenant, "venue.update", "venue:" + std::to_string(*id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return VenuePage(ctx, *id, 200, {.done = "会場「" + v.name + "」を保存しました。"});
}

HttpResponse BookingSetupHandlers::PageVenueDay(RequestContext& ctx) {
  const auto id = ParseId(ctx.path_params.at("venue"));
  if (!id) return ErrorPage(&ctx, 404, ui::ErrorText(Status(StatusCode::kNotFound, "venue_not_found", "", "venue_id")));
  const std::string action = ctx.request.Param("action").value_or("");
  // Any other action is refused, never taken for one of these.
  if (action != "close" && action != "reopen") {
    return VenuePage(ctx, *id, 422,
                     {.error = ui::ErrorText(InvalidArgumentError("action", "close or reopen", "unknown_action")), .keep_typed = true});
  }
  const auto day = ParseIsoDate(ctx.request.Param("date").value_or(""));
  if (!day)
    return VenuePage(ctx, *id, 422, {.error = ui::ErrorText(InvalidArgumentError("date", "not a date", "bad_date")), .keep_typed = true});
  booking::BookingService::DayClosed closed;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(
        closed, booking_.CloseDay(port, ctx.tenant, *id, *day, text::Trim(ctx.request.Param("reason").value_or("")), action == "reopen"));
    return Audit(clock_, conn, ctx, ctx.tenant, action == "close" ? "venue.close_day" : "venue.reopen_day",
                 "venue:" + std::to_string(*id) + ":" + FormatIsoDate(*day));
  });
  if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kFailedPrecondition) {
    return VenuePage(ctx, *id, HttpStatusFor(s.code()), {.error = ui::ErrorText(s), .keep_typed = true});
  }
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  const std::string when = FormatDateJa(*day);
  if (action == "reopen")
    return VenuePage(ctx, *id, 200, {.done = when + "の受付を再開しました（" + std::to_string(closed.slots) + " 枠）。"});
  std::string done = when + "の受付を締め切りました（" + std::to_string(closed.slots) + " 枠）。";
  done += closed.to_contact.empty() ? "この日に予約のある方はいません。"
                                    : "予約のある " + std::to_string(closed.to_contact.size()) + " 人に連絡してください。";
  return VenuePage(ctx, *id, 200, {.done = done, .to_contact = std::move(closed.to_contact)});
}

HttpResponse BookingSetupHandlers::PageSlotChange(RequestContext& ctx) {
  const auto slot_id = ParseId(ctx.path_params.at("slot"));
  const std::string action = ctx.path_params.at("action");
  if (!slot_id) return ErrorPage(&ctx, 404, ui::ErrorText(Status(StatusCode::kNotFound, "slot_not_found", "", "slot_id")));
  if (action != "capacity" && action != "delete") {
    return ErrorPage(&ctx, 404, ui::ErrorText(Status(StatusCode::kNotFound, "unknown_action", "", "action")));
  }
  std::optional<int64_t> capacity;
  if (action == "capacity") {
    capacity = ParseId(booking::NormalizeDigits(text::Trim(ctx.request.Param("capacity").value_or(""))));
    // Checked before narrowing to int: 4294967297 must not become 1.
    if (capacity && *capacity > 100000) capacity = 0;
  }
  booking::SlotRecord slot;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(slot, port.GetSlot(ctx.tenant, *slot_id));
    if (action == "delete") {
      MADOGUCHI_RETURN_IF_ERROR(booking_.DeleteSlot(port, ctx.tenant, *slot_id));
      return Audit(clock_, conn, ctx, ctx.tenant, "slot.delete", "slot:" + std::to_string(*slot_id));
    }
    if (!capacity) return InvalidArgumentError("capacity", "must be a whole number");
    MADOGUCHI_ASSIGN_OR_RETURN(slot, booking_.SetCapacity(port, ctx.tenant, *slot_id, static_cast<int>(*capacity)));
    return Audit(clock_, conn, ctx, ctx.tenant, "slot.capacity", "slot:" + std::to_string(*slot_id));
  });
  if (s.code() == StatusCode::kNotFound || slot.venue_id == 0) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kFailedPrecondition) {
    return VenuePage(ctx, slot.venue_id, HttpStatusFor(s.code()), {.error = SlotWhen(slot) + "：" + ui::ErrorText(s)});
  }
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  if (action == "delete") return VenuePage(ctx, slot.venue_id, 200, {.done = SlotWhen(slot) + " の枠を削除しました。"});
  return VenuePage(ctx, slot.venue_id, 200, {.done = SlotWhen(slot) + " の定員を " + std::to_string(slot.capacity) + " 人にしました。"});
}

}  // namespace madoguchi::web
