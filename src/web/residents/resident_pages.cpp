// Residents' booking pages: sign in with 券番号 + 生年月日, choose venue → day → time, confirm, get a
// confirmation code; view, change, cancel. No JavaScript; every form has a CSRF token; a signed
// cookie carries the session (no server-side state, so any process can serve any page). The
// waiting room stands in front when the system is saturated.
#include <kainjow/mustache.hpp>

#include <spdlog/spdlog.h>
#include <algorithm>

#include <map>

#include "common/crypto.hpp"
#include "common/time_format.hpp"
#include "messaging/email.hpp"
#include "messaging/phone.hpp"
#include "store/accounts/accounts.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "store/outbox/delivery.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/residents/resident_pages.hpp"
#include "web/ui/messages.hpp"
#include "web/ui/pages.hpp"
#include "web/ui/templates.hpp"

namespace madoguchi::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr int64_t kSessionMs = 30 * 60'000;
constexpr int64_t kAdmitMs = 20 * 60'000;

std::string Cookie(const std::string& name, const std::string& value, const std::string& tenant, int64_t max_age_s, bool secure) {
  return cookies::Name(name, secure) + "=" + value + "; Path=/r/" + tenant + "; Max-Age=" + std::to_string(max_age_s) +
         "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

// "4月12日（月） 9:00〜9:30" in Japan time.
std::string When(int64_t starts_ms, int64_t ends_ms) {
  return FormatMonthDayJa(JapanDay(starts_ms)) + " " + FormatTokyoHourMinute(starts_ms) + "〜" + FormatTokyoHourMinute(ends_ms);
}

// A page of this municipality's residents' pages to return to after signing in: "/r/{tenant}/…"
// in printable ASCII without "//" or a backslash (never another site); "" otherwise.
std::string ResidentNext(const std::string& tenant, const std::string& next) {
  const std::string base = "/r/" + tenant + "/";
  if (next.size() > 300 || !next.starts_with(base) || next.find("//") != std::string::npos) return "";
  for (char c : next) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '\\') return "";
  }
  return next;
}

// This request's path and query, to come back to.
std::string ThisPage(const RequestContext& ctx) {
  std::string out = ctx.request.path;
  char sep = '?';
  for (const auto& [k, v] : ctx.request.query) {
    out += sep + UrlEncode(k) + "=" + UrlEncode(v);
    sep = '&';
  }
  return out;
}

std::string VenueName(const std::vector<store::VenueRow>& venues, int64_t id) {
  for (const auto& v : venues) {
    if (v.id == id) return v.name;
  }
  return "";
}

// The sign-in form's 年号 choices ("" is 西暦).
constexpr const char* kSignInEras[] = {"", "昭和", "平成", "大正"};

// The sign-in form's 年号 choices, `chosen` selected (西暦 when none).
kainjow::mustache::data EraChoices(const std::string& chosen) {
  kainjow::mustache::data list{kainjow::mustache::data::type::list};
  for (const char* era : kSignInEras) {
    kainjow::mustache::data option;
    option.set("value", era);
    option.set("label", *era ? era : "西暦");
    if (chosen == era) option.set("selected", kainjow::mustache::data::type::bool_true);
    list.push_back(option);
  }
  return list;
}

// The resident's own booking `code`, or nullopt (someone else's, unknown, or unreadable).
std::optional<booking::BookingRecord> OwnBooking(store::Database& db_, const std::string& tenant, int64_t resident_id,
                                                 const std::string& code) {
  std::optional<booking::BookingRecord> b;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, tenant, code));
    return Status::Ok();
  });
  if (!s.ok() || !b || b->resident_id != resident_id) return std::nullopt;
  return b;
}

}  // namespace

void ResidentPages::Register(Router& router, ResidentPages* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = ResidentPages;
  // No login: 券番号 + 生年月日.
  add("GET", "/r/{tenant}", K::kPage, roles::kPublic, "residents: start (waiting room when busy), sign in", &H::ResidentStart);
  add("GET", "/r/{tenant}/wait", K::kPage, roles::kPublic, "residents: the waiting room", &H::ResidentWait);
  add("POST", "/r/{tenant}/signin", K::kPage, roles::kPublic, "residents: ticket number and birth date", &H::ResidentSignIn);
  add("POST", "/r/{tenant}/signout", K::kPage, roles::kPublic, "residents: end", &H::ResidentSignOut);
  add("GET", "/r/{tenant}/me", K::kPage, roles::kPublic, "residents: my bookings", &H::ResidentHome);
  add("GET", "/r/{tenant}/book", K::kPage, roles::kPublic, "residents: choose venue, day, time (?venue=&date=&change=)",
      &H::ResidentChoose);
  add("GET", "/r/{tenant}/confirm", K::kPage, roles::kPublic, "residents: confirm a time (?slot=&change=)", &H::ResidentConfirm);
  add("POST", "/r/{tenant}/book", K::kPage, roles::kPublic, "residents: book or move", &H::ResidentBook);
  add("GET", "/r/{tenant}/cancel", K::kPage, roles::kPublic, "residents: confirm a cancellation (?code=)", &H::ResidentCancelPage);
  add("POST", "/r/{tenant}/cancel", K::kPage, roles::kPublic, "residents: cancel", &H::ResidentCancel);
  add("POST", "/r/{tenant}/waitlist", K::kPage, roles::kPublic, "residents: tell me when a seat frees up", &H::ResidentWaitlist);
  add("POST", "/r/{tenant}/waitlist/leave", K::kPage, roles::kPublic, "residents: leave the waitlist", &H::ResidentLeaveWaitlist);
  add("POST", "/r/{tenant}/email", K::kPage, roles::kPublic, "residents: the email address notices go to (or remove=1)", &H::ResidentEmail);
  add("GET", "/static/resident.css", K::kPage, roles::kPublic, "residents' style sheet", &H::ResidentCss);
}

// ---- plumbing shared by the pages ----

HttpResponse ResidentPages::ResidentPage(const RequestContext& ctx, int status, const std::string& title, const std::string& content,
                                         bool signed_in, const std::string& csrf, int refresh_s) {
  mustache::data d;
  d.set("title", title);
  d.set("content", content);
  d.set("tenant", ctx.tenant);
  d.set("tenant_name", tenants_.Name(ctx.tenant));
  d.set("csrf", csrf);
  if (signed_in) d.set("signed_in", mustache::data::type::bool_true);
  if (refresh_s > 0) d.set("refresh", std::to_string(refresh_s));
  auto guidance = tenants_.Guidance(ctx.tenant);
  if (!guidance.ok()) {
    // Without the window's number the page would send people to nobody: say it cannot be shown.
    spdlog::error("msg=\"cannot read the residents' guidance\" rid={} tenant={} error=\"{}\"", ctx.request_id, ctx.tenant,
                  guidance.status().ToString());
    mustache::data e;
    e.set("message", ui::ErrorText(guidance.status(), ui::Reader::kResident));
    e.set("tenant", ctx.tenant);
    d.set("title", "お知らせ");
    d.set("content", Render(templates::kResidentError, e));
    d.set("signed_in", mustache::data::type::bool_false);
    return HtmlResponse(HttpStatusFor(guidance.status().code()), Render(templates::kResidentLayout, d));
  }
  if (!guidance->phone.empty()) {
    d.set("phone", guidance->phone);
    d.set("tel", booking::PhoneDigits(guidance->phone));
    if (!guidance->hours.empty()) d.set("hours", guidance->hours);
  }
  return HtmlResponse(status, Render(templates::kResidentLayout, d));
}

HttpResponse ResidentPages::NotFound(const HttpRequest& request, const std::string& request_id) {
  static const Route kNoRoute{"GET", "/r/{tenant}/…", RouteKind::kPage, {}, "residents: no such page", {}};
  RequestContext ctx{request, kNoRoute, {}, request_id, std::nullopt, {}};
  const std::string rest = request.path.substr(3);
  const std::string tenant = rest.substr(0, rest.find('/'));
  if (!tenant.empty() && tenants_.RequireExists(tenant).ok()) ctx.tenant = tenant;
  return ResidentError(ctx, 404, "このページはありません。");
}

// To the sign-in, which says the time ran out when a session had been there, and comes back to
// `next` afterwards.
HttpResponse ResidentPages::SignInFirst(const RequestContext& ctx, const std::string& next) {
  const bool had_session = !ResidentCookie(ctx, cookies::kResidentSession).empty();
  return RedirectResponse("/r/" + ctx.tenant + "?" + (had_session ? "expired=1&" : "") + "next=" + UrlEncode(next));
}

HttpResponse ResidentPages::ResidentError(const RequestContext& ctx, int status, const std::string& message) {
  mustache::data e;
  e.set("message", message);
  // The way back only to a municipality the page knows (an empty one is no section's end: "/r/").
  if (!ctx.tenant.empty()) e.set("tenant", ctx.tenant);
  return ResidentPage(ctx, status, "お知らせ", Render(templates::kResidentError, e), false, "");
}

// The value of the residents' cookie `base` under the name it has on this request (__Secure-
// over HTTPS).
std::string ResidentPages::ResidentCookie(const RequestContext& ctx, const char* base) const {
  return ctx.request.Cookie(cookies::Name(base, settings_.secure_cookies || ctx.request.tls));
}

// The CSRF token of this browser for residents' forms (double-submit cookie), made if missing.
std::string ResidentPages::ResidentCsrf(const RequestContext& ctx, HttpResponse* set_on) {
  std::string token = ResidentCookie(ctx, cookies::kResidentCsrf);
  if (token.empty() || token.size() > 64) {
    token = crypto::RandomToken(24);
    if (set_on)
      set_on->AddHeader("Set-Cookie",
                        Cookie(cookies::kResidentCsrf, token, ctx.tenant, 24 * 3600, settings_.secure_cookies || ctx.request.tls));
  }
  return token;
}

// The signed-in resident, from the session the cookie names (kept in the database, so any process
// serves any page and signing out ends it everywhere).
std::optional<int64_t> ResidentPages::ResidentSession(const RequestContext& ctx) {
  const std::string token = ResidentCookie(ctx, cookies::kResidentSession);
  if (token.empty() || token.size() > 64) return std::nullopt;
  std::optional<store::ResidentSession> session;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(session, store::FindResidentSession(conn, crypto::Sha256Hex(token), clock_.NowMs()));
    return Status::Ok();
  });
  if (!s.ok()) {
    spdlog::warn("msg=\"cannot read a resident session\" rid={} error=\"{}\"", ctx.request_id, s.ToString());
    return std::nullopt;
  }
  if (!session || session->tenant != ctx.tenant) return std::nullopt;
  return session->resident_id;
}

// Admitted already (cookie), or admitted now; else the waiting-room page.
std::optional<HttpResponse> ResidentPages::ResidentAdmission(const RequestContext& ctx) {
  const int64_t now = clock_.NowMs();
  if (auto parts = crypto::VerifyToken(secret_, "admitted", ResidentCookie(ctx, cookies::kAdmitted), now, 200);
      parts && parts->size() == 1 && (*parts)[0] == ctx.tenant) {
    return std::nullopt;
  }
  int64_t number = 0;
  if (const std::string q = ResidentCookie(ctx, cookies::kQueue); !q.empty()) number = VerifyNumber(secret_, q, now).value_or(0);
  auto checked = gate_.Check(number);
  if (!checked.ok())
    return ResidentError(ctx, HttpStatusFor(checked.status().code()), ui::ErrorText(checked.status(), ui::Reader::kResident));
  const AdmissionGate::Decision& d = *checked;
  const bool secure = settings_.secure_cookies || ctx.request.tls;
  if (d.admitted) {
    gate_.Done();  // a page visit holds no booking slot; the cookie lets the visitor finish
    HttpResponse pass = RedirectResponse(ThisPage(ctx));
    pass.AddHeader("Set-Cookie", Cookie(cookies::kAdmitted, crypto::SignToken(secret_, "admitted", {ctx.tenant}, now + kAdmitMs),
                                        ctx.tenant, kAdmitMs / 1000, secure));
    pass.AddHeader("Set-Cookie", Cookie(cookies::kQueue, "", ctx.tenant, 0, secure));
    return pass;
  }
  mustache::data w;
  w.set("tenant", ctx.tenant);
  w.set("position", std::to_string(d.position));
  w.set("eta", d.eta_sec < 60 ? "1分以内" : "およそ" + std::to_string((d.eta_sec + 59) / 60) + "分");
  HttpResponse r = ResidentPage(ctx, 200, "順番にご案内しています", Render(templates::kResidentWaiting, w), false, "", 10);
  r.AddHeader("Set-Cookie", Cookie(cookies::kQueue, SignNumber(secret_, d.number, now), ctx.tenant, 3600, secure));
  r.AddHeader("Retry-After", "10");
  return r;
}

// ---- the pages ----

HttpResponse ResidentPages::ResidentStart(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  if (auto wait = ResidentAdmission(ctx)) return *wait;
  const std::string next = ResidentNext(ctx.tenant, ctx.request.Param("next").value_or(""));
  if (ResidentSession(ctx)) return RedirectResponse(next.empty() ? "/r/" + ctx.tenant + "/me" : next);
  HttpResponse r;
  mustache::data d;
  d.set("tenant", ctx.tenant);
  d.set("csrf", ResidentCsrf(ctx, &r));
  d.set("eras", EraChoices(""));
  if (ctx.request.Param("bye")) d.set("bye", mustache::data::type::bool_true);
  if (!next.empty()) d.set("next", next);
  if (ctx.request.Param("expired")) {
    d.set("expired", mustache::data::type::bool_true);
    if (next.starts_with("/r/" + ctx.tenant + "/confirm")) d.set("unconfirmed", mustache::data::type::bool_true);
  }
  HttpResponse page = ResidentPage(ctx, 200, "はじめに", Render(templates::kResidentSignIn, d), false, "");
  for (auto& h : r.headers) page.AddHeader(h.first, h.second);
  return page;
}

HttpResponse ResidentPages::ResidentWait(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  if (auto wait = ResidentAdmission(ctx)) {
    if (wait->status == 303) {  // admitted: go to the start
      HttpResponse go = RedirectResponse("/r/" + ctx.tenant);
      for (auto& h : wait->headers) {
        if (h.first == "Set-Cookie") go.AddHeader(h.first, h.second);
      }
      return go;
    }
    return *wait;
  }
  return RedirectResponse("/r/" + ctx.tenant);
}

HttpResponse ResidentPages::ResidentSignIn(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  const std::string next = ResidentNext(ctx.tenant, ctx.request.Param("next").value_or(""));
  if (auto wait = ResidentAdmission(ctx)) return RedirectResponse("/r/" + ctx.tenant + (next.empty() ? "" : "?next=" + UrlEncode(next)));
  const std::string ticket = booking::NormalizeDigits(ctx.request.Param("ticket_number").value_or(""));
  const std::string y = booking::NormalizeDigits(ctx.request.Param("year").value_or(""));
  const std::string m = booking::NormalizeDigits(ctx.request.Param("month").value_or(""));
  const std::string dd = booking::NormalizeDigits(ctx.request.Param("day").value_or(""));
  std::string era = ctx.request.Param("era").value_or("");
  if (std::find(std::begin(kSignInEras), std::end(kSignInEras), era) == std::end(kSignInEras)) era.clear();  // 西暦
  // As one would write it, 「昭和25年4月1日」 or 「1950年4月1日」: the booking core reads both.
  auto resident = residents_.Verify(ctx, ticket, era + y + "年" + m + "月" + dd + "日");
  if (!resident.ok()) {
    mustache::data d;
    d.set("tenant", ctx.tenant);
    d.set("csrf", ResidentCsrf(ctx, nullptr));
    d.set("error", ui::ErrorText(resident.status(), ui::Reader::kResident));
    d.set("ticket", ticket);
    d.set("year", y);
    d.set("eras", EraChoices(era));
    if (!next.empty()) d.set("next", next);
    d.set("month", ctx.request.Param("month").value_or(""));
    d.set("day", ctx.request.Param("day").value_or(""));
    const int status = resident.status().code() == StatusCode::kResourceExhausted ? 429 : 422;
    return ResidentPage(ctx, status, "はじめに", Render(templates::kResidentSignIn, d), false, "");
  }
  const int64_t now = clock_.NowMs();
  const std::string token = crypto::RandomToken(32);
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    return store::InsertResidentSession(conn, {crypto::Sha256Hex(token), ctx.tenant, resident->id, now, now + kSessionMs});
  });
  if (!s.ok()) return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  HttpResponse r = RedirectResponse(next.empty() ? "/r/" + ctx.tenant + "/me" : next);  // back to what they were doing
  r.AddHeader("Set-Cookie",
              Cookie(cookies::kResidentSession, token, ctx.tenant, kSessionMs / 1000, settings_.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse ResidentPages::ResidentSignOut(RequestContext& ctx) {
  // Ended on the server: the cookie, if kept or copied, no longer signs anyone in.
  if (const std::string token = ResidentCookie(ctx, cookies::kResidentSession); !token.empty() && token.size() <= 64) {
    Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
      return store::DeleteResidentSession(conn, crypto::Sha256Hex(token), clock_.NowMs());
    });
    if (!s.ok()) return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  }
  HttpResponse r = RedirectResponse("/r/" + ctx.tenant + "?bye=1");  // the start says it is done
  r.AddHeader("Set-Cookie", Cookie(cookies::kResidentSession, "", ctx.tenant, 0, settings_.secure_cookies || ctx.request.tls));
  return r;
}

HttpResponse ResidentPages::ResidentHome(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  auto id = ResidentSession(ctx);
  if (!id) return SignInFirst(ctx, ThisPage(ctx));
  booking::ResidentRecord resident;
  std::vector<booking::BookingRecord> bookings;
  booking::Standing standing;
  std::vector<booking::WaitingEntry> waiting;
  messaging::SendingSettings sending;
  // The read and its audit row in one transaction: nothing is shown that the log does not hold.
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(resident, store::GetResident(conn, ctx.tenant, *id));
    MADOGUCHI_ASSIGN_OR_RETURN(sending, store::GetSendingSettings(conn, ctx.tenant));
    MADOGUCHI_ASSIGN_OR_RETURN(bookings, store::BookingsOfResident(conn, ctx.tenant, *id));
    // Who may book now, said before anything is chosen (it was said only after 予約を確定する).
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(standing, booking_.StandingOf(port, ctx.tenant, resident));
    MADOGUCHI_ASSIGN_OR_RETURN(waiting, port.WaitingOf(ctx.tenant, *id));
    return AuditResident(clock_, conn, ctx, ctx.tenant, *id, "resident.read", "resident:" + std::to_string(*id));
  });
  if (!s.ok()) return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  auto guidance = tenants_.Guidance(ctx.tenant);
  if (!guidance.ok())
    return ResidentError(ctx, HttpStatusFor(guidance.status().code()), ui::ErrorText(guidance.status(), ui::Reader::kResident));
  // Email is offered where no text message reaches the resident and the tenant sends email.
  const Result<std::string> mobile = messaging::MobileE164(resident.r.phone);
  const bool sends_email = !sending.email_from.empty();
  mustache::data list{mustache::data::type::list};
  for (const auto& b : bookings) {
    if (!booking::IsActive(b.state)) continue;
    mustache::data row;
    row.set("dose", std::to_string(b.dose));
    row.set("when", When(b.slot.starts_at_ms, b.slot.ends_at_ms));
    row.set("venue", b.slot.venue_name);
    if (!b.slot.venue_address.empty()) {
      row.set("address", b.slot.venue_address);
      row.set("map", "https://www.google.com/maps/search/?api=1&query=" + UrlEncode(b.slot.venue_address));
    }
    const int64_t arrive_ms = b.slot.starts_at_ms - int64_t{guidance->arrive_minutes_before} * 60'000;
    row.set("arrive", guidance->arrive_minutes_before == 0 ? FormatTokyoHourMinute(b.slot.starts_at_ms) + "に会場へお越しください"
                                                           : FormatTokyoHourMinute(arrive_ms) + "までに会場へお越しください（予約の" +
                                                                 std::to_string(guidance->arrive_minutes_before) + "分前）");
    if (!guidance->bring.empty()) row.set("bring", guidance->bring);
    row.set("code", b.confirmation_code);
    row.set("code_said", booking::CodeInGroups(b.confirmation_code));
    row.set("notice", ui::NoticeText(b.channel == booking::Channel::kLine, mobile.ok() ? messaging::NationalFormat(*mobile) : "",
                                     sends_email ? resident.email : ""));
    row.set("tenant", ctx.tenant);
    list.push_back(row);
  }
  mustache::data d;
  d.set("name", resident.r.name);
  d.set("tenant", ctx.tenant);
  d.set("bookings", list);
  if (const std::string said = ui::StandingText(standing, ui::Reader::kResident); !said.empty()) d.set("standing", said);
  mustache::data places{mustache::data::type::list};
  for (const auto& w : waiting) {
    mustache::data row;
    row.set("id", std::to_string(w.id));
    row.set("dose", std::to_string(w.dose));
    row.set("how", w.phone.empty() ? std::string("市の名簿にある電話番号へ") : w.phone + " へ");
    row.set("tenant", ctx.tenant);
    places.push_back(row);
  }
  d.set("waiting", places);
  if (ctx.request.Param("left")) d.set("left", mustache::data::type::bool_true);
  if (standing.MayChooseATime()) d.set("can_book", mustache::data::type::bool_true);
  // The banner says what is true of the booking now, not what the link claims: ?done= after an
  // operator cancelled it, or a code that is not this resident's, shows nothing.
  auto own = [&](const char* param) -> const booking::BookingRecord* {
    const auto code = ctx.request.Param(param);
    if (!code || !booking::LooksLikeConfirmationCode(*code)) return nullptr;
    for (const auto& b : bookings) {
      if (b.confirmation_code == *code) return &b;
    }
    return nullptr;
  };
  if (const auto* b = own("done"); b && booking::IsActive(b->state)) d.set("done", booking::CodeInGroups(b->confirmation_code));
  if (const auto* b = own("changed"); b && booking::IsActive(b->state)) d.set("changed", booking::CodeInGroups(b->confirmation_code));
  if (const auto* b = own("cancelled"); b && b->state == booking::State::kCancelled)
    d.set("cancelled", booking::CodeInGroups(b->confirmation_code));
  HttpResponse cookies;
  const std::string csrf = ResidentCsrf(ctx, &cookies);
  d.set("csrf", csrf);
  if (sends_email && (!mobile.ok() || !resident.email.empty())) {
    d.set("email_form", EmailForm(ctx, csrf, resident.email, resident.email, ""));
  }
  if (ctx.request.Param("email")) d.set(resident.email.empty() ? "email_removed" : "email_saved", mustache::data::type::bool_true);
  HttpResponse page = ResidentPage(ctx, 200, "予約の確認", Render(templates::kResidentHome, d), true, csrf);
  for (auto& h : cookies.headers) page.AddHeader(h.first, h.second);
  return page;
}

// venue → day → time, each a list of large links; `change` carries the booking being moved.
HttpResponse ResidentPages::ResidentChoose(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  if (!ResidentSession(ctx)) return SignInFirst(ctx, ThisPage(ctx));
  const std::string base = "/r/" + ctx.tenant + "/book";
  const std::string change = ctx.request.Param("change").value_or("");
  const std::string keep = booking::LooksLikeConfirmationCode(change) ? "change=" + change + "&" : "";
  const std::optional<int64_t> venue = ParseId(ctx.request.Param("venue").value_or(""));
  std::optional<booking::Day> day;
  if (auto d = ctx.request.Param("date"); d) day = ParseIsoDate(*d);
  std::vector<store::VenueRow> venues;
  std::vector<booking::SlotRecord> slots;  // the day's, to choose a time
  std::vector<store::SeatsAt> seats_at;    // every bookable slot's seats, to choose a venue and a day
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(venues, store::ListVenues(conn, ctx.tenant));
    if (venue && day) {
      MADOGUCHI_ASSIGN_OR_RETURN(slots, store::ListSlots(conn, ctx.tenant, BookableSlots(clock_.NowMs(), 3000, venue, day)));
    } else {
      MADOGUCHI_ASSIGN_OR_RETURN(seats_at, store::CountSeats(conn, ctx.tenant, BookableSlots(clock_.NowMs(), 0, venue)));
    }
    return Status::Ok();
  });
  if (!s.ok()) return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  mustache::data d;
  mustache::data choices{mustache::data::type::list};
  auto add = [&](const std::string& href, const std::string& label, const std::string& sub) {
    mustache::data c;
    c.set("href", href);
    c.set("label", label);
    c.set("sub", sub);
    choices.push_back(c);
  };
  if (!venue) {
    d.set("heading", "会場を選んでください");
    d.set("step", "手順 1/3");
    std::map<int64_t, int64_t> seats;
    for (const auto& at : seats_at) seats[at.venue_id] += at.seats;
    for (const auto& v : venues) {
      if (seats[v.id] > 0) add(base + "?" + keep + "venue=" + std::to_string(v.id), v.name, "残り " + std::to_string(seats[v.id]));
    }
    d.set("back", "/r/" + ctx.tenant + "/me");
  } else if (!day) {
    d.set("heading", "日にちを選んでください");
    d.set("step", "手順 2/3");
    d.set("chosen", "会場：" + VenueName(venues, *venue));
    std::map<booking::Day, int64_t> seats;
    for (const auto& at : seats_at) seats[JapanDay(at.hour_ms)] += at.seats;
    for (const auto& [dd, n] : seats) {
      add(base + "?" + keep + "venue=" + std::to_string(*venue) + "&date=" + FormatIsoDate(dd), FormatMonthDayJa(dd),
          "残り " + std::to_string(n));
    }
    d.set("back", base + (keep.empty() ? "" : "?" + keep.substr(0, keep.size() - 1)));
  } else {
    d.set("heading", FormatMonthDayJa(*day) + "　時間を選んでください");
    d.set("step", "手順 3/3");
    d.set("chosen", "会場：" + VenueName(venues, *venue));
    for (const auto& slot : slots) {
      add("/r/" + ctx.tenant + "/confirm?" + keep + "slot=" + std::to_string(slot.id),
          When(slot.starts_at_ms, slot.ends_at_ms).substr(FormatMonthDayJa(*day).size() + 1), "残り " + std::to_string(slot.remaining()));
    }
    d.set("back", base + "?" + keep + "venue=" + std::to_string(*venue));
  }
  d.set("choices", choices);
  d.set("tenant", ctx.tenant);
  HttpResponse cookies;
  const std::string csrf = ResidentCsrf(ctx, &cookies);
  d.set("csrf", csrf);
  mustache::data w;
  w.set("tenant", ctx.tenant);
  w.set("csrf", csrf);
  d.set("waitlist_form", Render(templates::kResidentWaitlistForm, w));
  HttpResponse page = ResidentPage(ctx, 200, "予約", Render(templates::kResidentPick, d), true, csrf);
  for (auto& h : cookies.headers) page.AddHeader(h.first, h.second);
  return page;
}

HttpResponse ResidentPages::ResidentConfirmPage(RequestContext& ctx, int64_t resident_id, int status, int64_t slot_id,
                                                const std::string& change, const std::string& error) {
  booking::SlotRecord slot;
  bool holds = false;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(slot, store::GetSlot(conn, ctx.tenant, slot_id));
    // After back or reload: what is true now, not a button for a booking already made.
    if (change.empty()) {
      store::SqlBookingPort port(conn);
      MADOGUCHI_ASSIGN_OR_RETURN(holds, port.HoldsActiveBooking(ctx.tenant, resident_id, slot.dose));
    }
    return Status::Ok();
  });
  if (!s.ok()) return RedirectResponse("/r/" + ctx.tenant + "/book");
  mustache::data d;
  d.set("tenant", ctx.tenant);
  const bool started = slot.starts_at_ms <= clock_.NowMs();
  const bool full = !holds && !started && slot.remaining() <= 0;
  if (holds) d.set("holds", mustache::data::type::bool_true);
  if (started && !holds) d.set("started", mustache::data::type::bool_true);
  if (full) d.set("full", mustache::data::type::bool_true);
  if (!holds && !started && !full) d.set("can_confirm", mustache::data::type::bool_true);
  d.set("heading", change.empty() ? "この内容で予約しますか" : "この日時に変更しますか");
  d.set("when", When(slot.starts_at_ms, slot.ends_at_ms));
  d.set("venue", slot.venue_name);
  d.set("dose", std::to_string(slot.dose));
  d.set("slot_id", std::to_string(slot.id));
  d.set("action", "/r/" + ctx.tenant + "/book");
  d.set("button", change.empty() ? "予約を確定する" : "変更を確定する");
  if (!change.empty()) d.set("change", change);
  if (!error.empty() && d.get("can_confirm") != nullptr) d.set("error", error);  // else the page says what is true
  d.set("back", "/r/" + ctx.tenant + "/book?" + (change.empty() ? "" : "change=" + change + "&") +
                    "venue=" + std::to_string(slot.venue_id) + "&date=" + FormatIsoDate(JapanDay(slot.starts_at_ms)));
  HttpResponse cookies;
  const std::string csrf = ResidentCsrf(ctx, &cookies);
  d.set("csrf", csrf);
  HttpResponse page = ResidentPage(ctx, status, "確認", Render(templates::kResidentConfirm, d), true, csrf);
  for (auto& h : cookies.headers) page.AddHeader(h.first, h.second);
  return page;
}

HttpResponse ResidentPages::ResidentConfirm(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  const auto id = ResidentSession(ctx);
  if (!id) return SignInFirst(ctx, ThisPage(ctx));
  const int64_t slot = ParseId(ctx.request.Param("slot").value_or("")).value_or(0);
  const std::string change = ctx.request.Param("change").value_or("");
  return ResidentConfirmPage(ctx, *id, 200, slot, booking::LooksLikeConfirmationCode(change) ? change : "", "");
}

HttpResponse ResidentPages::ResidentBook(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  auto id = ResidentSession(ctx);
  const int64_t slot_id = ParseId(ctx.request.Param("slot_id").value_or("")).value_or(0);
  const std::string change = ctx.request.Param("change").value_or("");
  // Signed out meanwhile: back to this time's confirm page after signing in again.
  if (!id) {
    return SignInFirst(ctx, "/r/" + ctx.tenant + "/confirm?slot=" + std::to_string(slot_id) +
                                (booking::LooksLikeConfirmationCode(change) ? "&change=" + change : ""));
  }
  booking::ResidentRecord resident;
  std::optional<booking::BookingRecord> moving;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(resident, store::GetResident(conn, ctx.tenant, *id));
    if (!change.empty()) {
      MADOGUCHI_ASSIGN_OR_RETURN(moving, store::FindBookingByCode(conn, ctx.tenant, change));
      if (!moving || moving->resident_id != *id) return NotFoundError("no such booking", "booking_not_found");
    }
    return Status::Ok();
  });
  if (!s.ok()) return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  // The write passes the same gate as the API's (issue #10 §4.2): while as many bookings are
  // being written as the database keeps up with, the resident keeps their place in line and
  // presses the button again.
  const int64_t now = clock_.NowMs();
  int64_t number = 0;
  if (const std::string q = ResidentCookie(ctx, cookies::kQueue); !q.empty()) number = VerifyNumber(secret_, q, now).value_or(0);
  auto checked = gate_.Check(number);
  if (!checked.ok()) {
    return ResidentConfirmPage(ctx, *id, HttpStatusFor(checked.status().code()), slot_id, moving ? change : "",
                               ui::ErrorText(checked.status(), ui::Reader::kResident));
  }
  const AdmissionGate::Decision& d = *checked;
  if (!d.admitted) {
    const std::string eta = d.eta_sec < 60 ? "1分以内" : "およそ" + std::to_string((d.eta_sec + 59) / 60) + "分";
    HttpResponse busy = ResidentConfirmPage(ctx, *id, 503, slot_id, moving ? change : "",
                                            "ただいま予約が集中しています。あなたは " + std::to_string(d.position) + " 番目です（" + eta +
                                                "）。少し待ってから、もう一度ボタンを押してください。予約はまだ確定していません。");
    busy.AddHeader("Set-Cookie", Cookie(cookies::kQueue, SignNumber(secret_, d.number, now), ctx.tenant, 3600,
                                        settings_.secure_cookies || ctx.request.tls));
    busy.AddHeader("Retry-After", std::to_string(std::clamp(d.eta_sec, 1, 60)));
    return busy;
  }
  const LeaveWhenAnswered leave(&gate_);
  booking::BookingRecord done;
  s = writer_.Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        if (moving) {
          MADOGUCHI_ASSIGN_OR_RETURN(done, booking_.Change(port, ctx.tenant, moving->id, slot_id));
          return Audit(clock_, conn, ctx, ctx.tenant, "booking.change", "booking:" + std::to_string(done.id));
        }
        MADOGUCHI_ASSIGN_OR_RETURN(done, booking_.Book(port, {ctx.tenant, resident, slot_id, booking::Channel::kWeb, std::nullopt}));
        return Audit(clock_, conn, ctx, ctx.tenant, "booking.create", "booking:" + std::to_string(done.id));
      },
      moving ? std::min(moving->slot.id, slot_id) : slot_id);
  if (!s.ok())
    return ResidentConfirmPage(ctx, *id, HttpStatusFor(s.code()), slot_id, moving ? change : "", ui::ErrorText(s, ui::Reader::kResident));
  HttpResponse ok = RedirectResponse("/r/" + ctx.tenant + (moving ? "/me?changed=" : "/me?done=") + done.confirmation_code);
  ok.AddHeader("Set-Cookie", Cookie(cookies::kQueue, "", ctx.tenant, 0, settings_.secure_cookies || ctx.request.tls));  // served
  return ok;
}

// The signed-in resident's booking that the request's `code` names; otherwise the answer to give:
// 404 for an unknown municipality, the sign-in without a session, their page for a code not theirs.
std::optional<HttpResponse> ResidentPages::OwnBookingOfRequest(const RequestContext& ctx, booking::BookingRecord& out) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  auto id = ResidentSession(ctx);
  const std::string code = ctx.request.Param("code").value_or("");
  if (!id) return SignInFirst(ctx, "/r/" + ctx.tenant + (booking::LooksLikeConfirmationCode(code) ? "/cancel?code=" + code : "/me"));
  auto b = OwnBooking(db_, ctx.tenant, *id, code);
  if (!b) return RedirectResponse("/r/" + ctx.tenant + "/me");
  out = std::move(*b);
  return std::nullopt;
}

HttpResponse ResidentPages::ResidentCancelPage(RequestContext& ctx) {
  booking::BookingRecord own;
  if (auto answer = OwnBookingOfRequest(ctx, own)) return *answer;
  const booking::BookingRecord* b = &own;
  const std::string& code = own.confirmation_code;
  mustache::data d;
  d.set("heading", "この予約を取り消しますか");
  d.set("when", When(b->slot.starts_at_ms, b->slot.ends_at_ms));
  d.set("venue", b->slot.venue_name);
  d.set("dose", std::to_string(b->dose));
  d.set("slot_id", std::to_string(b->slot.id));
  d.set("code", code);
  d.set("action", "/r/" + ctx.tenant + "/cancel");
  d.set("button", "取り消す");
  d.set("can_confirm", mustache::data::type::bool_true);
  d.set("back", "/r/" + ctx.tenant + "/me");
  HttpResponse cookies;
  const std::string csrf = ResidentCsrf(ctx, &cookies);
  d.set("csrf", csrf);
  HttpResponse page = ResidentPage(ctx, 200, "取り消し", Render(templates::kResidentConfirm, d), true, csrf);
  for (auto& h : cookies.headers) page.AddHeader(h.first, h.second);
  return page;
}

HttpResponse ResidentPages::ResidentCancel(RequestContext& ctx) {
  booking::BookingRecord own;
  if (auto answer = OwnBookingOfRequest(ctx, own)) return *answer;
  const booking::BookingRecord* b = &own;
  const std::string& code = own.confirmation_code;
  Status s = writer_.Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        MADOGUCHI_RETURN_IF_ERROR(booking_.Cancel(port, ctx.tenant, b->id).status());
        return Audit(clock_, conn, ctx, ctx.tenant, "booking.cancel", "booking:" + std::to_string(b->id));
      },
      b->slot.id);
  if (!s.ok() && s.key() != "bad_transition") return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  return RedirectResponse("/r/" + ctx.tenant + "/me?cancelled=" + code);
}

// "Tell me when a seat frees up": the oldest waiting entry gets the next freed seat's offer.
HttpResponse ResidentPages::ResidentWaitlist(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  auto id = ResidentSession(ctx);
  if (!id) return SignInFirst(ctx, "/r/" + ctx.tenant + "/book");
  // The list's phone, or the number typed (as an IME leaves it).
  const bool other = ctx.request.Param("contact").value_or("list") == "other";
  const std::string typed = ctx.request.Param("phone").value_or("");
  const std::string phone = other ? booking::ReadTypedPhone(typed) : "";
  Status s = other && phone.empty() ? InvalidArgumentError("phone", "give the number to be told on", "bad_phone") : Status::Ok();
  if (s.ok()) {
    s = writer_.Run([&](store::Connection& conn) -> Status {
      store::SqlBookingPort port(conn);
      MADOGUCHI_ASSIGN_OR_RETURN(auto place, booking_.JoinWaitlist(port, ctx.tenant, *id, std::nullopt, std::nullopt, phone));
      return Audit(clock_, conn, ctx, ctx.tenant, "waitlist.join", "waitlist:" + std::to_string(place.id));
    });
  }
  if (!s.ok()) {
    if (s.code() != StatusCode::kInvalidArgument)
      return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
    // The form again, as typed, with why.
    HttpResponse cookies;
    const std::string csrf = ResidentCsrf(ctx, &cookies);
    mustache::data w;
    w.set("tenant", ctx.tenant);
    w.set("csrf", csrf);
    w.set("phone", typed);
    if (other) w.set("other", mustache::data::type::bool_true);  // as chosen
    w.set("error", ui::ErrorText(s, ui::Reader::kResident));
    HttpResponse page =
        ResidentPage(ctx, 422, "空き待ち", "<h1>空きが出たら知らせてもらう</h1>" + Render(templates::kResidentWaitlistForm, w), true, csrf);
    for (auto& h : cookies.headers) page.AddHeader(h.first, h.second);
    return page;
  }
  return RedirectResponse("/r/" + ctx.tenant + "/me");
}

HttpResponse ResidentPages::ResidentLeaveWaitlist(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  auto id = ResidentSession(ctx);
  if (!id) return SignInFirst(ctx, "/r/" + ctx.tenant + "/me");
  const int64_t entry = ParseId(ctx.request.Param("entry").value_or("")).value_or(0);
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    MADOGUCHI_RETURN_IF_ERROR(booking_.LeaveWaitlist(port, ctx.tenant, *id, entry));
    return Audit(clock_, conn, ctx, ctx.tenant, "waitlist.leave", "waitlist:" + std::to_string(entry));
  });
  // Already gone (left in another tab, or offered meanwhile): their page shows what is true.
  if (!s.ok() && s.key() != "waitlist_not_found")
    return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
  return RedirectResponse("/r/" + ctx.tenant + "/me" + (s.ok() ? "?left=1" : ""));
}

std::string ResidentPages::EmailForm(const RequestContext& ctx, const std::string& csrf, const std::string& email, const std::string& typed,
                                     const std::string& error) {
  mustache::data f;
  f.set("tenant", ctx.tenant);
  f.set("csrf", csrf);
  if (!email.empty()) f.set("email", email);
  f.set("typed", typed);
  if (!error.empty()) f.set("error", error);
  return Render(templates::kResidentEmailForm, f);
}

HttpResponse ResidentPages::ResidentEmail(RequestContext& ctx) {
  if (!tenants_.RequireExists(ctx.tenant).ok()) return ResidentError(ctx, 404, "このページはありません。");
  auto id = ResidentSession(ctx);
  if (!id) return SignInFirst(ctx, "/r/" + ctx.tenant + "/me");
  const bool remove = ctx.request.Param("remove").value_or("") == "1";
  const std::string typed = ctx.request.Param("email").value_or("");
  Result<std::string> email = remove ? Result<std::string>(std::string()) : messaging::NormalEmail(typed);
  std::string current;
  Status s = email.status();
  if (s.ok()) {
    s = writer_.Run([&](store::Connection& conn) -> Status {
      MADOGUCHI_RETURN_IF_ERROR(store::SetResidentEmail(conn, ctx.tenant, *id, *email, clock_.NowMs()));
      return AuditResident(clock_, conn, ctx, ctx.tenant, *id, remove ? "resident.email_remove" : "resident.email",
                           "resident:" + std::to_string(*id));
    });
  }
  if (!s.ok()) {
    if (s.code() != StatusCode::kInvalidArgument)
      return ResidentError(ctx, HttpStatusFor(s.code()), ui::ErrorText(s, ui::Reader::kResident));
    // The form again, as typed, with why; nothing was changed.
    booking::ResidentRecord resident;
    Status read = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(resident, store::GetResident(conn, ctx.tenant, *id));
      return Status::Ok();
    });
    if (!read.ok()) return ResidentError(ctx, HttpStatusFor(read.code()), ui::ErrorText(read, ui::Reader::kResident));
    HttpResponse cookies;
    const std::string csrf = ResidentCsrf(ctx, &cookies);
    HttpResponse page = ResidentPage(ctx, 422, "メールでのお知らせ",
                                     EmailForm(ctx, csrf, resident.email, typed, ui::ErrorText(s, ui::Reader::kResident)) +
                                         "<p><a href=\"/r/" + ctx.tenant + "/me\">← 予約の確認にもどる</a></p>",
                                     true, csrf);
    for (auto& h : cookies.headers) page.AddHeader(h.first, h.second);
    return page;
  }
  return RedirectResponse("/r/" + ctx.tenant + "/me?email=" + (remove ? "removed" : "saved"));
}

HttpResponse ResidentPages::ResidentCss(RequestContext&) { return CssResponse(templates::kResidentCss); }

}  // namespace madoguchi::web
