// The operator console: find the caller (券番号, phone or kana), see their bookings, book, move or
// cancel on their behalf (channel "phone"), and record each call's category and handle time — the
// call history the planner learns from (/t/{tenant}/calls.csv).
#include <kainjow/mustache.hpp>

#include <algorithm>
#include <map>

#include "common/time_format.hpp"
#include "messaging/phone.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "store/calls/call_records.hpp"
#include "store/line/line.hpp"
#include "store/outbox/replies.hpp"
#include "web/booking/console.hpp"
#include "web/core/audit.hpp"
#include "web/core/resident_access.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr size_t kShownResidents = 20;  // a search shows at most this many, and says so when there are more
constexpr int kThreadShown = 30;        // messages and replies beside the record, newest first

const char* kCategories[][2] = {{"booking", "予約"},       {"change", "変更"},    {"cancel", "取消"},
                                {"inquiry", "問い合わせ"}, {"complaint", "苦情"}, {"other", "その他"}};

// Both pages end with the form that records the call (tied to the resident when one is open).
const char* kCallForm = R"html(<h2>この電話を記録する</h2>
<form method="post" action="/t/{{tenant}}/console/calls" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}">
  <input type="hidden" name="started_at" value="{{started_at}}">
  {{#resident_id}}<input type="hidden" name="resident_id" value="{{resident_id}}">{{/resident_id}}
  <label for="category">用件</label>
  <select id="category" name="category" required><option value="" selected disabled>選んでください</option>{{#categories}}<option value="{{value}}">{{label}}</option>{{/categories}}</select>
  <label for="note">メモ（個人情報は書かない）</label>
  <input id="note" name="note" type="text" maxlength="200">
  <button type="submit">通話を記録</button>
</form>
)html";

const char* kConsole = R"html(<h1>オペレーター：{{tenant_name}}</h1>
<form method="get" action="/t/{{tenant}}/console" class="stack">
  <input type="hidden" name="started_at" value="{{started_at}}">
  <label for="q">券番号・電話番号・氏名カナで探す</label>
  <input id="q" name="q" type="text" value="{{q}}" autocomplete="off" autofocus>
  <button type="submit">探す</button>
</form>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#searched}}
<h2>見つかった方（{{count}}人）</h2>
{{#cut}}<p class="hint" role="status">{{cut}}人まで表示しています。ほかにも当てはまる方がいます。券番号か電話番号で、またはカナを続けて入れて絞り込んでください。</p>{{/cut}}
<ul class="cards">
{{#residents}}<li><a href="/t/{{tenant}}/console/residents/{{id}}?started_at={{started_at}}#book"><strong>{{name}}</strong>（{{kana}}）</a><br>券番号 {{ticket}}　生年月日 {{birth}}　{{phone}}<br>{{active}}</li>{{/residents}}
</ul>
{{/searched}}
{{#recorded}}<p class="done" role="status">通話を記録しました。</p>{{/recorded}}
)html";

const char* kResident = R"html(<p><a href="/t/{{tenant}}/console?started_at={{started_at}}">← 検索へ</a></p>
<h1>{{name}}（{{kana}}）</h1>
<p>券番号 {{ticket}}　生年月日 {{birth}}（{{age}}歳）<br>電話 {{phone}}　住所 {{address}}</p>
{{#message}}<p class="done" role="status">{{message}}</p>{{/message}}
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
{{#standing}}<p class="error" role="status">{{standing}}</p>{{/standing}}
{{#picker}}<section id="book">
<h2>{{heading}}</h2>
{{^venue_chosen}}
<ul class="cards">
{{#venues}}<li><strong>{{name}}</strong>　{{#earliest}}最も早い空き（残り{{left}}）
<form method="post" action="/t/{{tenant}}/console/residents/{{resident_id}}/{{action}}" class="inline">
  <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="started_at" value="{{started_at}}">
  <input type="hidden" name="slot_id" value="{{slot_id}}">{{#code}}<input type="hidden" name="code" value="{{code}}">{{/code}}
  <button type="submit">{{when}}で{{verb}}</button>
</form>{{/earliest}}{{^earliest}}空きはありません{{/earliest}}</li>{{/venues}}
</ul>
<p>ほかの日時を選ぶ：{{#venues}}<a href="/t/{{tenant}}/console/residents/{{resident_id}}?venue={{id}}&amp;started_at={{started_at}}#book">{{name}}</a>　{{/venues}}</p>
{{/venue_chosen}}
{{#venue_chosen}}
<p><a href="/t/{{tenant}}/console/residents/{{resident_id}}?started_at={{started_at}}#book">← 会場の一覧へ</a></p>
<h3>{{venue_name}}の日にち</h3>
<ul class="days">{{#days}}<li><a href="/t/{{tenant}}/console/residents/{{resident_id}}?venue={{venue_id}}&amp;date={{date}}&amp;started_at={{started_at}}#times">{{label}}（残り{{left}}）</a></li>{{/days}}</ul>
{{^days}}<p>この会場には空きがありません。</p>{{/days}}
{{#date_chosen}}<h3 id="times">{{day_label}}の時間</h3>
<ul class="times">{{#times}}<li><form method="post" action="/t/{{tenant}}/console/residents/{{resident_id}}/{{action}}" class="inline">
  <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="started_at" value="{{started_at}}">
  <input type="hidden" name="slot_id" value="{{slot_id}}">{{#code}}<input type="hidden" name="code" value="{{code}}">{{/code}}
  <button type="submit">{{time}}（残り{{left}}）で{{verb}}</button></form></li>{{/times}}</ul>{{/date_chosen}}
{{/venue_chosen}}
</section>{{/picker}}
<h2>予約</h2>
<ul class="cards">
{{#bookings}}<li><strong>{{when}}</strong>　{{venue}}　{{dose}}回目<br>予約番号 <strong>{{code_said}}</strong>　状態 {{state}}　受付 {{channel}}
{{#active}}
<p><a class="button danger" href="/t/{{tenant}}/console/residents/{{resident_id}}/cancel?code={{code}}&amp;started_at={{started_at}}">取り消す…</a></p>
{{/active}}
</li>{{/bookings}}
{{^bookings}}<li>予約はありません。</li>{{/bookings}}
</ul>
<h2 id="thread">お知らせと返信</h2>
{{#thread_capped}}<p class="hint">新しい順に{{thread_capped}}件を表示しています。</p>{{/thread_capped}}
<ol class="thread">
{{#thread}}<li class="{{dir}}"><span class="hint">{{at}}　{{who}}</span><br>{{text}}{{#unread}}　<strong>未読</strong>{{/unread}}{{#reply_id}}　<a href="/t/{{tenant}}/inbox#r{{reply_id}}">受信箱で返信する</a>{{/reply_id}}</li>
{{/thread}}
</ol>
{{^thread}}<p>この方へのお知らせも、この方からの返信も、まだありません。</p>{{/thread}}
)html";

// Cancelling asks first: 取り消す sat beside 変更する and cancelled at once.
const char* kConfirmCancel =
    R"html(<p><a href="/t/{{tenant}}/console/residents/{{resident_id}}?started_at={{started_at}}">← {{name}} さんの画面へ</a></p>
<h1>この予約を取り消しますか</h1>
<dl class="summary"><dt>お名前</dt><dd>{{name}}（{{kana}}）</dd><dt>日時</dt><dd>{{when}}</dd><dt>会場</dt><dd>{{venue}}</dd>
<dt>接種</dt><dd>{{dose}}回目</dd><dt>予約番号</dt><dd>{{code_said}}</dd></dl>
<form method="post" action="/t/{{tenant}}/console/residents/{{resident_id}}/cancel" class="stack">
  <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="code" value="{{code}}">
  <input type="hidden" name="started_at" value="{{started_at}}">
  <button type="submit" class="danger">取り消す</button>
</form>
<p><a class="button" href="/t/{{tenant}}/console/residents/{{resident_id}}?started_at={{started_at}}">取り消さない</a></p>
)html";

// When the call began: carried from the first page of the call through every action until it
// is recorded (a page load is not a new call); now when it is not carried or not believable.
int64_t CallStartedAt(const RequestContext& ctx, int64_t now) {
  const auto started = ParseId(ctx.request.Param("started_at").value_or(""));
  return started && *started <= now && now - *started < 4 * 3'600'000 ? *started : now;
}

// "1941年3月3日（昭和16年）": callers give the era.
std::string BirthLabel(booking::Day day) { return FormatDateJa(day) + "（" + booking::EraYear(day) + "）"; }

// A page followed by the call-record form.
std::string RenderWithCallForm(const char* tmpl, const mustache::data& d) { return Render(tmpl, d) + Render(kCallForm, d); }

// Who the caller is, as both the search list and the caller's page show it.
mustache::data ResidentFields(const std::string& tenant, const booking::ResidentRecord& r) {
  mustache::data d;
  d.set("tenant", tenant);
  d.set("name", r.r.name);
  d.set("kana", r.r.name_kana);
  d.set("ticket", r.r.ticket_number);
  d.set("birth", BirthLabel(r.r.birth_date));
  d.set("phone", r.r.phone);
  return d;
}

mustache::data Categories() {
  mustache::data list{mustache::data::type::list};
  for (const auto& c : kCategories) {
    mustache::data o;
    o.set("value", c[0]);
    o.set("label", c[1]);
    list.push_back(o);
  }
  return list;
}

}  // namespace

void ConsoleHandlers::Register(Router& router, ConsoleHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = ConsoleHandlers;
  add("GET", "/t/{tenant}/console", K::kPage, roles::kOperators, "operator console: find a caller (?q=), record a call", &H::PageConsole);
  add("GET", "/t/{tenant}/console/residents/{id}", K::kPage, roles::kOperators, "operator console: one resident and their bookings",
      &H::PageConsoleResident);
  add("GET", "/t/{tenant}/console/residents/{id}/cancel", K::kPage, roles::kOperators,
      "operator console: confirm cancelling a booking (?code=)", &H::PageConsoleConfirmCancel);
  add("POST", "/t/{tenant}/console/residents/{id}/{action}", K::kPage, roles::kOperators,
      "operator console: book, change or cancel for the caller", &H::PageConsoleAct);
  add("POST", "/t/{tenant}/console/calls", K::kPage, roles::kOperators, "operator console: record a call (category, handle time)",
      &H::PageConsoleCall);
}

HttpResponse ConsoleHandlers::PageConsole(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ErrorPage(&ctx, 404, "自治体が見つかりません。");
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  d.set("csrf", ctx.principal->csrf_token);
  const std::string started_at = std::to_string(CallStartedAt(ctx, clock_.NowMs()));
  d.set("started_at", started_at);
  d.set("categories", Categories());
  if (ctx.request.Param("recorded")) d.set("recorded", mustache::data::type::bool_true);
  const std::string q = ctx.request.Param("q").value_or("");
  d.set("q", q);
  if (!q.empty()) {
    std::vector<booking::ResidentRecord> found;
    std::vector<int> active;
    bool cut = false;
    // The look-up and its audit row in one transaction (the writer's).
    Status s = writer_.Run([&](store::Connection& conn) -> Status {
      found.clear();
      active.clear();
      MADOGUCHI_RETURN_IF_ERROR(residents_.CheckLookupBudget(conn, ctx));
      MADOGUCHI_ASSIGN_OR_RETURN(const booking::ResidentQuery query, booking::ReadResidentQuery(q));
      // One more than is shown, to know whether there are more than that.
      MADOGUCHI_ASSIGN_OR_RETURN(found, store::SearchResidents(conn, ctx.tenant, query, kShownResidents + 1));
      cut = found.size() > kShownResidents;
      if (cut) found.resize(kShownResidents);
      for (const auto& r : found) {
        MADOGUCHI_ASSIGN_OR_RETURN(auto b, store::BookingsOfResident(conn, ctx.tenant, r.id));
        int n = 0;
        for (const auto& x : b) n += booking::IsActive(x.state);
        active.push_back(n);
      }
      return Audit(clock_, conn, ctx, ctx.tenant, "resident.search", "residents:" + ResidentIds(found));
    });
    if (!s.ok()) {
      d.set("error", ui::ErrorText(s));
    } else {
      mustache::data list{mustache::data::type::list};
      for (size_t i = 0; i < found.size(); ++i) {
        const auto& r = found[i];
        mustache::data row = ResidentFields(ctx.tenant, r);
        row.set("id", std::to_string(r.id));
        row.set("started_at", started_at);
        row.set("active", active[i] ? "予約あり" : "予約なし");
        list.push_back(row);
      }
      d.set("searched", mustache::data::type::bool_true);
      d.set("count", std::to_string(found.size()));
      if (cut) d.set("cut", std::to_string(kShownResidents));
      d.set("residents", list);
    }
  }
  return HtmlResponse(200, PageShell("オペレーター", RenderWithCallForm(kConsole, d), &*ctx.principal));
}

HttpResponse ConsoleHandlers::ConsoleResidentPage(RequestContext& ctx, int status, const std::string& message, const std::string& error) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, "見つかりません。");
  const int64_t now = clock_.NowMs();
  std::optional<int64_t> venue = ParseId(ctx.request.Param("venue").value_or(""));
  std::optional<booking::Day> day;
  if (auto dd = ctx.request.Param("date")) day = ParseIsoDate(*dd);
  booking::ResidentRecord r;
  std::vector<booking::BookingRecord> bookings;
  std::vector<store::VenueRow> venues;
  std::map<int64_t, std::vector<booking::SlotRecord>> open;  // by venue: the venue list's few, or the chosen venue's all
  booking::Standing standing;
  std::vector<store::ThreadEntry> thread;
  std::vector<store::SeatsAt> venue_seats;  // the chosen venue's seats by hour
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    open.clear();
    venue_seats.clear();
    MADOGUCHI_RETURN_IF_ERROR(residents_.CheckLookupBudget(conn, ctx));
    MADOGUCHI_ASSIGN_OR_RETURN(r, store::GetResident(conn, ctx.tenant, *id));
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(standing, booking_.StandingOf(port, ctx.tenant, r));
    MADOGUCHI_ASSIGN_OR_RETURN(bookings, store::BookingsOfResident(conn, ctx.tenant, *id));
    // What was sent to them and what they answered, by record or by their number and email.
    std::vector<std::string> addresses;
    if (auto mobile = messaging::MobileE164(r.r.phone); mobile.ok()) addresses.push_back(*mobile);
    if (!r.email.empty()) addresses.push_back(r.email);
    MADOGUCHI_ASSIGN_OR_RETURN(std::vector<std::string> line_users, store::LineUsersOfResident(conn, ctx.tenant, *id));
    addresses.insert(addresses.end(), line_users.begin(), line_users.end());
    MADOGUCHI_ASSIGN_OR_RETURN(thread, store::ResidentThread(conn, ctx.tenant, *id, addresses, kThreadShown));
    MADOGUCHI_ASSIGN_OR_RETURN(venues, store::ListVenues(conn, ctx.tenant));
    // Not this municipality's venue: the venue list instead.
    if (venue && std::none_of(venues.begin(), venues.end(), [&](const store::VenueRow& v) { return v.id == *venue; })) venue.reset();
    // Every bookable slot is reachable (a list of the first 300, then 3000, left later weeks
    // out): the earliest few per venue; for the chosen venue its days with their seats, counted
    // over every slot (of the dose being moved), and the chosen day's times.
    // A booking being moved (the first not yet checked in): offered its dose's slots, never its own.
    std::optional<int> dose;
    std::optional<int64_t> held;
    for (const auto& b : bookings) {
      if (b.state == booking::State::kBooked) {
        dose = b.dose;
        held = b.slot.id;
        break;
      }
    }
    for (const auto& v : venues) {
      if (venue && v.id != *venue) continue;
      if (!venue) {
        MADOGUCHI_ASSIGN_OR_RETURN(open[v.id], store::ListSlots(conn, ctx.tenant, BookableSlots(now, 20, v.id, std::nullopt)));
        continue;
      }
      store::SlotFilter all = BookableSlots(now, 0, v.id, std::nullopt);
      all.dose = dose;
      all.not_id = held;
      MADOGUCHI_ASSIGN_OR_RETURN(venue_seats, store::CountSeats(conn, ctx.tenant, all));
      if (day) {
        MADOGUCHI_ASSIGN_OR_RETURN(open[v.id], store::ListSlots(conn, ctx.tenant, BookableSlots(now, 3000, v.id, *day)));
      }
    }
    return Audit(clock_, conn, ctx, ctx.tenant, "resident.read", "resident:" + std::to_string(*id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), s.code() == StatusCode::kNotFound ? "見つかりません。" : ui::ErrorText(s));
  mustache::data d = ResidentFields(ctx.tenant, r);
  d.set("resident_id", std::to_string(r.id));
  d.set("age", std::to_string(booking::AgeOn(r.r.birth_date, JapanDay(now))));
  d.set("address", r.r.address);
  d.set("csrf", ctx.principal->csrf_token);
  const std::string started_at = std::to_string(CallStartedAt(ctx, now));
  d.set("started_at", started_at);
  d.set("categories", Categories());
  if (!message.empty()) d.set("message", message);
  if (!error.empty()) d.set("error", error);
  mustache::data list{mustache::data::type::list};
  bool has_active = false;
  const booking::BookingRecord* moving = nullptr;  // a booked (not checked-in) booking: the picker moves it
  for (const auto& b : bookings) {
    mustache::data row;
    row.set("tenant", ctx.tenant);
    row.set("resident_id", std::to_string(r.id));
    row.set("csrf", ctx.principal->csrf_token);
    row.set("when", FormatTokyo(b.slot.starts_at_ms).substr(0, 16));
    row.set("venue", b.slot.venue_name);
    row.set("dose", std::to_string(b.dose));
    row.set("code", b.confirmation_code);
    row.set("code_said", booking::CodeInGroups(b.confirmation_code));
    row.set("started_at", started_at);
    row.set("state", std::string(ui::StateLabel(b.state)));
    row.set("channel", std::string(ui::ChannelLabel(b.channel)));
    if (booking::IsActive(b.state)) {
      row.set("active", mustache::data::type::bool_true);
      has_active = true;
      if (b.state == booking::State::kBooked && !moving) moving = &b;
    }
    list.push_back(row);
  }
  d.set("bookings", list);
  mustache::data entries{mustache::data::type::list};
  for (const store::ThreadEntry& e : thread) {
    mustache::data x;
    x.set("tenant", ctx.tenant);
    x.set("at", FormatTokyo(e.at_ms).substr(0, 16));
    x.set("dir", std::string(e.incoming ? "in" : "out"));
    const std::string by(ui::DeliveryText(e.channel));
    if (e.incoming) {
      x.set("who", "この方から（" + by + "）");
      x.set("text", e.text);
      if (e.state == "unread") x.set("unread", mustache::data::type::bool_true);
      if (e.state != "done") x.set("reply_id", std::to_string(e.id));
    } else {
      x.set("who", "市から（" + by + "・" + std::string(ui::MessageStateText(e.state, e.channel)) + "）");
      x.set("text", ui::MessageLabel(e.template_key, e.text, 60));
    }
    entries.push_back(x);
  }
  d.set("thread", entries);
  if (static_cast<int>(thread.size()) == kThreadShown) d.set("thread_capped", std::to_string(kThreadShown));
  if (!moving) {
    if (const std::string said = ui::StandingText(standing, ui::Reader::kStaff); !said.empty()) d.set("standing", said);
  }
  // The picker: venue → day (with the weekday: callers say 「水曜の午前」) → time, each offer an
  // explicit button; nothing is preselected for an Enter to book by accident.
  if ((!has_active && standing.MayChooseATime()) || moving) {
    auto offered = [&](const booking::SlotRecord& sl) { return !moving || (sl.dose == moving->dose && sl.id != moving->slot.id); };
    auto button = [&](const booking::SlotRecord& sl) {
      mustache::data o;
      o.set("tenant", ctx.tenant);
      o.set("resident_id", std::to_string(r.id));
      o.set("csrf", ctx.principal->csrf_token);
      o.set("started_at", started_at);
      o.set("slot_id", std::to_string(sl.id));
      o.set("left", std::to_string(sl.remaining()));
      o.set("action", moving ? "change" : "book");
      o.set("verb", moving ? "変更" : "予約");
      if (moving) o.set("code", moving->confirmation_code);
      return o;
    };
    mustache::data picker;
    picker.set("heading", moving ? std::to_string(moving->dose) + "回目の予約の日時を変える（いまは " +
                                       FormatMonthDayJa(JapanDay(moving->slot.starts_at_ms)) + " " +
                                       FormatTokyoHourMinute(moving->slot.starts_at_ms) + "　" + moving->slot.venue_name + "）"
                                 : std::string("予約を取る"));
    mustache::data venue_list{mustache::data::type::list};
    for (const auto& v : venues) {
      mustache::data row;
      row.set("id", std::to_string(v.id));
      row.set("name", v.name);
      row.set("tenant", ctx.tenant);
      row.set("resident_id", std::to_string(r.id));
      row.set("started_at", started_at);
      if (!venue) {
        for (const auto& sl : open[v.id]) {
          if (!offered(sl)) continue;
          mustache::data b = button(sl);
          b.set("when", FormatMonthDayJa(JapanDay(sl.starts_at_ms)) + " " + FormatTokyoHourMinute(sl.starts_at_ms));
          row.set("earliest", b);
          break;
        }
      }
      venue_list.push_back(row);
      if (venue && v.id == *venue) picker.set("venue_name", v.name);
    }
    picker.set("venues", venue_list);
    if (venue) {
      picker.set("venue_chosen", mustache::data::type::bool_true);
      std::map<booking::Day, int64_t> seats;
      for (const auto& at : venue_seats) seats[JapanDay(at.hour_ms)] += at.seats;
      mustache::data times{mustache::data::type::list};
      for (const auto& sl : open[*venue]) {
        if (!offered(sl)) continue;
        mustache::data b = button(sl);
        b.set("time", FormatTokyoHourMinute(sl.starts_at_ms) + "〜" + FormatTokyoHourMinute(sl.ends_at_ms));
        times.push_back(b);
      }
      mustache::data days{mustache::data::type::list};
      for (const auto& [on, n] : seats) {
        mustache::data row;
        row.set("tenant", ctx.tenant);
        row.set("resident_id", std::to_string(r.id));
        row.set("started_at", started_at);
        row.set("venue_id", std::to_string(*venue));
        row.set("date", FormatIsoDate(on));
        row.set("label", FormatMonthDayJa(on));
        row.set("left", std::to_string(n));
        days.push_back(row);
      }
      picker.set("days", days);
      if (day) {
        picker.set("date_chosen", mustache::data::type::bool_true);
        picker.set("day_label", FormatMonthDayJa(*day));
        picker.set("times", times);
      }
    }
    d.set("picker", picker);
  }
  return HtmlResponse(status, PageShell(r.r.name, RenderWithCallForm(kResident, d), &*ctx.principal));
}

HttpResponse ConsoleHandlers::PageConsoleResident(RequestContext& ctx) { return ConsoleResidentPage(ctx, 200, "", ""); }

HttpResponse ConsoleHandlers::PageConsoleConfirmCancel(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, "見つかりません。");
  const std::string code = ctx.request.Param("code").value_or("");
  booking::ResidentRecord r;
  std::optional<booking::BookingRecord> b;
  // The name shown and its audit row in one transaction.
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(r, store::GetResident(conn, ctx.tenant, *id));
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, code));
    if (!b || b->resident_id != *id) return NotFoundError("no such booking", "booking_not_found");
    return Audit(clock_, conn, ctx, ctx.tenant, "resident.read", "resident:" + std::to_string(*id));
  });
  if (!s.ok()) return ConsoleResidentPage(ctx, HttpStatusFor(s.code()), "", ui::ErrorText(s));
  mustache::data d = ResidentFields(ctx.tenant, r);
  d.set("resident_id", std::to_string(r.id));
  d.set("csrf", ctx.principal->csrf_token);
  d.set("started_at", std::to_string(CallStartedAt(ctx, clock_.NowMs())));
  d.set("when", FormatTokyo(b->slot.starts_at_ms).substr(0, 16));
  d.set("venue", b->slot.venue_name);
  d.set("dose", std::to_string(b->dose));
  d.set("code", b->confirmation_code);
  d.set("code_said", booking::CodeInGroups(b->confirmation_code));
  return HtmlResponse(200, PageShell("予約の取り消し", Render(kConfirmCancel, d), &*ctx.principal));
}

// Book, move or cancel for the caller; the page shows the outcome.
HttpResponse ConsoleHandlers::PageConsoleAct(RequestContext& ctx) {
  auto id = ParseId(ctx.path_params.at("id"));
  if (!id) return ErrorPage(&ctx, 404, "見つかりません。");
  const std::string action = ctx.path_params.at("action");
  // Only these three; anything else is refused (it used to fall through to a cancellation).
  if (action != "book" && action != "change" && action != "cancel") return ErrorPage(&ctx, 404, "この操作はできません。");
  const auto slot_id = ParseId(ctx.request.Param("slot_id").value_or(""));
  const std::string code = ctx.request.Param("code").value_or("");
  booking::ResidentRecord resident;
  std::optional<booking::BookingRecord> b;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(resident, store::GetResident(conn, ctx.tenant, *id));
    if (action != "book") {
      MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, code));
      if (!b || b->resident_id != *id) return NotFoundError("no such booking", "booking_not_found");
    }
    return Status::Ok();
  });
  if (!s.ok()) return ConsoleResidentPage(ctx, HttpStatusFor(s.code()), "", ui::ErrorText(s));
  if ((action == "book" || action == "change") && !slot_id) return ConsoleResidentPage(ctx, 422, "", "枠を選んでください。");
  std::string done_code;
  s = writer_.Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        if (action == "book") {
          MADOGUCHI_ASSIGN_OR_RETURN(
              auto made, booking_.Book(port, {ctx.tenant, resident, *slot_id, booking::Channel::kPhone, ctx.principal->user_id}));
          done_code = made.confirmation_code;
          return Audit(clock_, conn, ctx, ctx.tenant, "booking.create", "booking:" + std::to_string(made.id));
        }
        if (action == "change") {
          MADOGUCHI_ASSIGN_OR_RETURN(auto moved, booking_.Change(port, ctx.tenant, b->id, *slot_id));
          done_code = moved.confirmation_code;
          return Audit(clock_, conn, ctx, ctx.tenant, "booking.change", "booking:" + std::to_string(b->id));
        }
        MADOGUCHI_RETURN_IF_ERROR(booking_.Cancel(port, ctx.tenant, b->id).status());
        done_code = b->confirmation_code;
        return Audit(clock_, conn, ctx, ctx.tenant, "booking.cancel", "booking:" + std::to_string(b->id));
      },
      slot_id.value_or(b ? b->slot.id : 0));
  if (!s.ok()) {
    return ConsoleResidentPage(ctx, HttpStatusFor(s.code()), "", ui::ErrorText(s));
  }
  // Grouped as the caller will say it back (「K7QM の 4XRT」).
  done_code = booking::CodeInGroups(done_code);
  const std::string message = action == "book"     ? "予約しました。予約番号 " + done_code + " をお伝えください。"
                              : action == "change" ? "変更しました。予約番号 " + done_code + " は同じです。"
                                                   : "取り消しました（予約番号 " + done_code + "）。";
  return ConsoleResidentPage(ctx, 200, message, "");
}

HttpResponse ConsoleHandlers::PageConsoleCall(RequestContext& ctx) {
  store::CallRecord r;
  r.user_id = ctx.principal->user_id;
  r.category = ctx.request.Param("category").value_or("");
  bool known = false;
  for (const auto& c : kCategories) known |= r.category == c[0];
  if (!known) return ErrorPage(&ctx, 422, "用件を選んでください。");
  const int64_t now = clock_.NowMs();
  r.started_at_ms = CallStartedAt(ctx, now);
  r.handle_sec = static_cast<int>((now - r.started_at_ms) / 1000);
  r.note = ctx.request.Param("note").value_or("").substr(0, 200);
  if (auto rid = ParseId(ctx.request.Param("resident_id").value_or(""))) r.resident_id = *rid;
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    if (r.resident_id) MADOGUCHI_RETURN_IF_ERROR(store::GetResident(conn, ctx.tenant, *r.resident_id).status());
    MADOGUCHI_ASSIGN_OR_RETURN(int64_t id, store::InsertCallRecord(conn, ctx.tenant, r, now));
    return Audit(clock_, conn, ctx, ctx.tenant, "call.record", "call:" + std::to_string(id));
  });
  if (!s.ok()) return ErrorPage(&ctx, HttpStatusFor(s.code()), ui::ErrorText(s));
  return RedirectResponse("/t/" + ctx.tenant + "/console?recorded=1");
}

}  // namespace madoguchi::web
