// POST /line/webhook/{tenant}: LINE's webhook. The signature is checked on the raw body before
// anything is parsed; an empty `events` array (LINE's verify call) gets 200; each event is
// processed once (webhookEventId is recorded first: a redelivery is acknowledged and skipped).
// Follow, message and postback events drive a booking conversation with quick-reply buttons;
// answers go through the Messaging API (reply, else push). docs/line.md.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "channels/line.hpp"
#include "common/crypto.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"
#include "messaging/delivery.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "store/care/follow_up.hpp"
#include "store/line/line.hpp"
#include "store/outbox/delivery.hpp"
#include "store/outbox/replies.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"
#include "web/line/line_handlers.hpp"
#include "web/ui/messages.hpp"

namespace madoguchi::web {

namespace {

using channels::LineMessage;
using channels::QuickReply;

std::string DayJa(booking::Day d) {
  const std::chrono::year_month_day ymd{d};
  return std::to_string(static_cast<unsigned>(ymd.month())) + "/" + std::to_string(static_cast<unsigned>(ymd.day())) + "(" + WeekdayJa(d) +
         ")";
}

std::map<std::string, std::string> ParsePostback(const std::string& data) {
  std::map<std::string, std::string> out;
  for (size_t start = 0; start < data.size();) {
    size_t end = data.find('&', start);
    if (end == std::string::npos) end = data.size();
    const std::string pair = data.substr(start, end - start);
    const size_t eq = pair.find('=');
    if (eq != std::string::npos) out[pair.substr(0, eq)] = pair.substr(eq + 1);
    start = end + 1;
  }
  return out;
}

// Only the digits of what was typed (full-width ones too): "1950年4月1日" is not accepted as a date
// this way, but "19500401" and "１９５００４０１" are.
std::string Digits(const std::string& in) {
  std::string out;
  for (char c : booking::NormalizeDigits(in)) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

LineMessage Menu(const std::string& text) {
  return {text,
          {{"予約する", "menu=book", "予約する"},
           {"予約の確認", "menu=list", "予約の確認"},
           {"日時を変える", "menu=change", "日時を変える"},
           {"取り消す", "menu=cancel", "予約を取り消す"}}};
}

// LINE shows at most 13 quick replies. A longer list shows a page of them and 「もっと見る」 for
// the next (the postback `again` with `page`); `tail` (e.g. 「ほかの日」) ends every page.
LineMessage Paged(std::string text, const std::vector<QuickReply>& all, const std::string& again, int page,
                  const std::vector<QuickReply>& tail = {}) {
  constexpr size_t kMostButtons = 13;
  const size_t per_page = kMostButtons - tail.size() - 1;  // one for もっと見る
  const size_t fits_one = kMostButtons - tail.size();
  LineMessage m{std::move(text), {}};
  size_t first = 0, last = all.size();
  if (all.size() > fits_one) {
    first = std::min(all.size(), static_cast<size_t>(std::max(page, 0)) * per_page);
    last = std::min(all.size(), first + per_page);
  }
  m.quick_replies.assign(all.begin() + static_cast<std::ptrdiff_t>(first), all.begin() + static_cast<std::ptrdiff_t>(last));
  if (last < all.size()) m.quick_replies.push_back({"もっと見る", again + "&page=" + std::to_string(page + 1), "もっと見る"});
  for (const QuickReply& q : tail) m.quick_replies.push_back(q);
  return m;
}

}  // namespace

void LineHandlers::Register(Router& router, LineHandlers* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  add("POST", "/line/webhook/{tenant}", K::kApi, roles::kPublic, "LINE webhook (X-Line-Signature checked before parsing)",
      &LineHandlers::LineWebhook);
  add("PUT", "/api/v1/t/{tenant}/line", K::kApi, roles::kAdmin, "set the LINE channel {channel_secret,access_token}",
      &LineHandlers::ApiPutLineChannel);
  add("GET", "/t/{tenant}/line", K::kPage, roles::kAdmin, "LINE settings: channel secret and access token, the webhook URL",
      &LineHandlers::PageLineSettings);
  add("POST", "/t/{tenant}/line", K::kPage, roles::kAdmin,
      "save the LINE settings (action=save) or check the token against the Messaging API (action=test)",
      &LineHandlers::PageLineSettingsSave);
}

Result<std::optional<std::string>> LineHandlers::TakeReply(const RequestContext& ctx, const std::string& user_id, const std::string& text,
                                                           const std::string& dedupe) {
  if (text.empty() || text.size() > 4000 || !text::IsValidUtf8(text)) return std::optional<std::string>();
  const bool stop = messaging::IsStopRequest(text);
  store::Reply reply;
  reply.tenant = ctx.tenant;  // LINE user ids are the tenant's own
  reply.channel = "line";
  reply.from_address = user_id;
  reply.body = text;
  reply.received_at_ms = clock_.NowMs();
  reply.dedupe_key = "line:" + dedupe;
  reply.stop_request = stop;
  store::ReplyTaken taken = store::ReplyTaken::kNoConversation;
  std::optional<care::Reported> check_in;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db_, [&](store::Connection& c) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(taken, store::TakeReply(c, reply));
    if (taken != store::ReplyTaken::kStored || stop || !reply.message_id) return Status::Ok();
    // A number replied to a check-in is the day's report, and done in the inbox.
    store::SqlFollowUpPort port(c);
    MADOGUCHI_ASSIGN_OR_RETURN(check_in, follow_up_.TakeNumberReply(port, reply.tenant, *reply.message_id, text));
    if (!check_in) return Status::Ok();
    return store::SetReplyState(c, reply.tenant, reply.id, "done");
  }));
  if (taken == store::ReplyTaken::kNoConversation) return std::optional<std::string>();
  if (taken == store::ReplyTaken::kFlooded) return std::optional<std::string>(ui::LineReplyNotTakenText());
  if (check_in) return std::optional<std::string>(ui::LineCheckInTakenText(check_in->advice));
  return std::optional<std::string>(ui::LineReplyReceivedText(stop));
}

std::vector<LineMessage> LineHandlers::LineConversation(const RequestContext& ctx, const std::string& user_id, const std::string& kind,
                                                        const std::string& input, const std::string& dedupe) {
  const std::string& tenant = ctx.tenant;
  store::LineUser u;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(u, store::GetLineUser(conn, tenant, user_id));
    return Status::Ok();
  });
  const std::vector<LineMessage> busy = {{"ただいま混み合っています。しばらくしてからお試しください。", {}}};
  if (!s.ok()) return busy;
  // Where the conversation stands is saved before the answer that depends on it goes out: when
  // it cannot be saved, the resident hears "busy" and nothing moves on.
  auto save = [&](const store::LineUser& next) {
    return writer_.Run([&](store::Connection& conn) { return store::SaveLineUser(conn, tenant, user_id, next, clock_.NowMs()); });
  };
  auto ask_ticket = [&]() -> std::vector<LineMessage> {
    store::LineUser next = u;
    next.state = "await_ticket";
    next.resident_id.reset();
    if (!save(next).ok()) return busy;
    return {{"ワクチン接種の予約をお手伝いします。接種券に書かれた券番号（10けたの数字）を送ってください。", {}}};
  };
  if (kind == "follow") {
    store::LineUser next = u;
    next.state = "await_ticket";
    next.resident_id.reset();
    if (!save(next).ok()) return busy;
    return {{std::string(ui::LineFollowText()), {}}};
  }
  if (kind == "unfollow") {
    // Forgets the resident's link and a home-care patient's (their messages go by SMS again); a
    // failure is logged (LINE takes no answer to an unfollow).
    Status forgot = writer_.Run([&](store::Connection& conn) -> Status {
      MADOGUCHI_RETURN_IF_ERROR(store::SaveLineUser(conn, tenant, user_id, store::LineUser{}, clock_.NowMs()));
      store::SqlFollowUpPort port(conn);
      return port.ForgetLineUser(tenant, user_id);
    });
    if (!forgot.ok()) {
      spdlog::error("msg=\"cannot forget a LINE user who unfollowed\" tenant={} error=\"{}\"", tenant, forgot.ToString());
    }
    return {};
  }
  if (kind == "text") {
    // A home-care patient's link word (「連携 ABCDE-FGHJK」), whatever step the booking
    // conversation is at; audited with the link it makes.
    std::optional<care::LineLinked> linked;
    // Only a text that reads as a link word opens a write transaction.
    Status ls = !care::ReadLineLinkRequest(input) ? Status::Ok() : store::InTransaction(db_, [&](store::Connection& conn) -> Status {
      store::SqlFollowUpPort port(conn);
      MADOGUCHI_ASSIGN_OR_RETURN(linked, follow_up_.LinkLine(port, tenant, user_id, input));
      if (!linked || linked->outcome != care::LineLinkOutcome::kLinked) return Status::Ok();
      return Audit(clock_, conn, ctx, tenant, "care.line_link", "care_application:" + std::to_string(linked->application_id));
    });
    if (!ls.ok()) return busy;
    if (linked) return {{std::string(ui::LineLinkText(linked->outcome)), {}}};
    if (u.state == "await_ticket") {
      const std::string ticket = Digits(input);
      if (Status v = booking::ValidateTicketNumber(ticket); !v.ok()) {
        // Not a ticket: perhaps an answer to what the municipality sent (a home-care patient's
        // number replied to the day's check-in, who never books here).
        Result<std::optional<std::string>> reply = TakeReply(ctx, user_id, input, dedupe);
        if (!reply.ok()) return busy;
        if (*reply) return {{**reply, {}}};
        return {{ui::ErrorText(v, ui::Reader::kLine), {}}};
      }
      store::LineUser next = u;
      next.state = "await_birth";
      next.ticket = ticket;
      if (!save(next).ok()) return busy;
      return {{"生年月日を送ってください（例：1950年4月1日、昭和25年4月1日、19500401）。", {}}};
    }
    if (u.state == "await_birth") {
      // Counted by the LINE user, not by the address: every LINE request comes from LINE's servers.
      auto resident = residents_.Verify(ctx, u.ticket, input, "line:" + user_id);
      if (!resident.ok()) {
        const std::string key = resident.status().key();
        if (key == "throttled" || key == "slowed") return {{ui::ErrorText(resident.status(), ui::Reader::kLine), {}}};
        // A date that does not read (「西暦4けた」, an era's year it lacks) is said, and asked again:
        // nothing was checked against the list yet.
        if (resident.status().field() == "birth_date") return {{ui::ErrorText(resident.status(), ui::Reader::kLine), {}}};
        // Anything else starts again from the ticket, with the one answer for a wrong ticket
        // and a wrong birth date (which of the two was wrong is not told).
        store::LineUser next = u;
        next.state = "await_ticket";
        if (!save(next).ok()) return busy;
        return {{ui::ErrorText(Status(StatusCode::kPermissionDenied, "ticket_mismatch", ""), ui::Reader::kLine), {}}};
      }
      store::LineUser next;
      next.state = "idle";
      next.ticket = u.ticket;
      next.resident_id = resident->id;
      // The link of this LINE user to the resident, and the name the answer shows, audited in
      // the transaction that makes the link.
      booking::Standing standing;
      Status linked = writer_.Run([&](store::Connection& conn) -> Status {
        MADOGUCHI_RETURN_IF_ERROR(store::SaveLineUser(conn, tenant, user_id, next, clock_.NowMs()));
        // Who may book now, said at sign-in rather than after a time was chosen.
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(standing, booking_.StandingOf(port, tenant, *resident));
        return AuditResident(clock_, conn, ctx, tenant, resident->id, "line.link", "resident:" + std::to_string(resident->id));
      });
      if (!linked.ok()) return busy;
      const std::string said = ui::StandingText(standing, ui::Reader::kLine);
      return {Menu(resident->r.name + " 様、確認できました。" + (said.empty() ? "" : "\n" + said + "\n") + "どうしますか。")};
    }
    // Outside a step, a text answers what the municipality sent (a reminder, a campaign): it
    // goes to the operators' inbox, and the resident is told so.
    Result<std::optional<std::string>> reply = TakeReply(ctx, user_id, input, dedupe);
    if (!reply.ok()) return busy;
    if (*reply) {
      if (!u.resident_id) return {{**reply, {}}};
      return {Menu(**reply)};
    }
    if (!u.resident_id) return ask_ticket();
    return {Menu("どうしますか。")};
  }
  // Postbacks: the buttons.
  if (!u.resident_id) return ask_ticket();
  const auto p = ParsePostback(input);
  const int64_t resident_id = *u.resident_id;
  std::vector<booking::SlotRecord> slots;
  std::vector<store::SeatsAt> seats_at;
  std::vector<store::VenueRow> venues;
  std::vector<booking::BookingRecord> bookings;
  booking::ResidentRecord resident;
  std::optional<int64_t> venue;
  if (p.count("venue")) venue = std::atoll(p.at("venue").c_str());
  std::optional<booking::Day> day;
  if (p.count("date")) day = ParseIsoDate(p.at("date"));
  s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(resident, store::GetResident(conn, tenant, resident_id));
    MADOGUCHI_ASSIGN_OR_RETURN(bookings, store::BookingsOfResident(conn, tenant, resident_id));
    MADOGUCHI_ASSIGN_OR_RETURN(venues, store::ListVenues(conn, tenant));
    // Only what the step shows is read: the one slot chosen, a day's times, or every bookable
    // slot's seats counted by venue and hour (so a slot months out is as reachable as tomorrow's).
    if (p.count("slot")) {
      store::SlotFilter one = BookableSlots(clock_.NowMs(), 1);
      one.id = std::atoll(p.at("slot").c_str());
      MADOGUCHI_ASSIGN_OR_RETURN(slots, store::ListSlots(conn, tenant, one));
    } else if (venue && day) {
      MADOGUCHI_ASSIGN_OR_RETURN(slots, store::ListSlots(conn, tenant, BookableSlots(clock_.NowMs(), 2000, venue, day)));
    } else {
      MADOGUCHI_ASSIGN_OR_RETURN(seats_at, store::CountSeats(conn, tenant, BookableSlots(clock_.NowMs(), 0, venue)));
    }
    return Status::Ok();
  });
  if (!s.ok()) return {{"ただいま混み合っています。しばらくしてからお試しください。", {}}};
  std::vector<booking::BookingRecord> active;
  for (const auto& b : bookings) {
    if (booking::IsActive(b.state)) active.push_back(b);
  }
  auto describe = [](const booking::BookingRecord& b) {
    return DayJa(JapanDay(b.slot.starts_at_ms)) + " " + FormatTokyoHourMinute(b.slot.starts_at_ms) + " " + b.slot.venue_name +
           "（予約番号 " + b.confirmation_code + "）";
  };
  const std::string menu = p.count("menu") ? p.at("menu") : "";
  if (menu == "list") {
    if (active.empty()) return {Menu("いまの予約はありません。")};
    std::string text = "いまの予約：";
    for (const auto& b : active) text += "\n" + describe(b);
    return {Menu(text)};
  }
  if (menu == "cancel") {
    if (active.empty()) return {Menu("取り消せる予約はありません。")};
    LineMessage m{"どの予約を取り消しますか。", {}};
    for (const auto& b : active)
      m.quick_replies.push_back({DayJa(JapanDay(b.slot.starts_at_ms)) + " " + FormatTokyoHourMinute(b.slot.starts_at_ms),
                                 "cancel=" + b.confirmation_code, "取り消す"});
    return {m};
  }
  if (menu == "change") {
    if (active.empty()) return {Menu("変更できる予約はありません。")};
    LineMessage m{"どの予約の日時を変えますか。", {}};
    for (const auto& b : active)
      m.quick_replies.push_back({DayJa(JapanDay(b.slot.starts_at_ms)) + " " + FormatTokyoHourMinute(b.slot.starts_at_ms),
                                 "change=" + b.confirmation_code, "日時を変える"});
    return {m};
  }
  // Moving a booking: the same venue → day → time steps, each carrying the code being moved.
  const std::string moving = p.count("change") ? p.at("change") : "";
  const std::string keep = moving.empty() ? "" : "change=" + moving + "&";
  if (p.count("move")) {
    const int64_t to = std::atoll(p.count("to") ? p.at("to").c_str() : "0");
    for (const auto& b : active) {
      if (b.confirmation_code != p.at("move")) continue;
      booking::BookingRecord moved;
      s = writer_.Run(
          [&](store::Connection& conn) -> Status {
            store::SqlBookingPort port(conn);
            MADOGUCHI_ASSIGN_OR_RETURN(moved, booking_.Change(port, tenant, b.id, to));
            return Audit(clock_, conn, ctx, tenant, "booking.change", "booking:" + std::to_string(b.id));
          },
          std::min(b.slot.id, to));
      if (s.ok()) return {Menu("日時を変えました。\n" + describe(moved) + "\n予約番号は同じです。")};
      return {Menu("変更できませんでした。" + ui::ErrorText(s, ui::Reader::kLine))};
    }
    return {Menu("その予約は変更できませんでした。")};
  }
  if (p.count("cancel")) {
    for (const auto& b : active) {
      if (b.confirmation_code != p.at("cancel")) continue;
      s = writer_.Run(
          [&](store::Connection& conn) -> Status {
            store::SqlBookingPort port(conn);
            MADOGUCHI_RETURN_IF_ERROR(booking_.Cancel(port, tenant, b.id).status());
            return Audit(clock_, conn, ctx, tenant, "booking.cancel", "booking:" + std::to_string(b.id));
          },
          b.slot.id);
      if (s.ok()) return {Menu("予約を取り消しました：" + describe(b))};
    }
    return {Menu("その予約は取り消せませんでした。")};
  }
  if (p.count("book")) {
    const int64_t slot_id = std::atoll(p.at("book").c_str());
    // Checked against the tenant's rules, or not booked at all: when reading them fails the
    // booking core says so (never the defaults in their place, an eligibility bypass).
    booking::BookingRecord made;
    s = writer_.Run(
        [&](store::Connection& conn) -> Status {
          store::SqlBookingPort port(conn);
          MADOGUCHI_ASSIGN_OR_RETURN(made, booking_.Book(port, {tenant, resident, slot_id, booking::Channel::kLine, std::nullopt}));
          return Audit(clock_, conn, ctx, tenant, "booking.create", "booking:" + std::to_string(made.id));
        },
        slot_id);
    if (s.ok()) return {Menu("予約しました。\n" + describe(made) + "\n予約番号を控えてください。")};
    return {Menu(ui::ErrorText(s, ui::Reader::kLine))};
  }
  if (p.count("slot")) {
    const int64_t slot_id = std::atoll(p.at("slot").c_str());
    for (const auto& sl : slots) {
      if (sl.id != slot_id) continue;
      const std::string when = DayJa(JapanDay(sl.starts_at_ms)) + " " + FormatTokyoHourMinute(sl.starts_at_ms) + "〜" +
                               FormatTokyoHourMinute(sl.ends_at_ms) + " " + sl.venue_name;
      if (!moving.empty()) {
        return {{when + "\nこの時間に変えますか。",
                 {{"変える", "move=" + moving + "&to=" + std::to_string(sl.id), "変える"}, {"やめる", "menu=list", "やめる"}}}};
      }
      return {{when + "\nこの時間で予約しますか。",
               {{"予約する", "book=" + std::to_string(sl.id), "予約する"}, {"やめる", "menu=list", "やめる"}}}};
    }
    return {Menu("その時間は空いていません。")};
  }
  // Pointed to 日時を変える, never to cancelling and booking again (the seat can be lost between).
  if (!active.empty() && menu == "book") {
    return {Menu("すでに予約があります：" + describe(active.front()) +
                 "\n日時を変えるときは、下の「日時を変える」を押してください。予約番号はそのままです。")};
  }
  if (!moving.empty() &&
      std::none_of(active.begin(), active.end(), [&](const booking::BookingRecord& b) { return b.confirmation_code == moving; })) {
    return {Menu("その予約は変更できません。")};
  }
  const int page = p.count("page") ? std::max(0, std::atoi(p.at("page").c_str())) : 0;
  std::vector<QuickReply> choices;
  if (!venue) {
    std::map<int64_t, int64_t> seats;
    for (const auto& at : seats_at) seats[at.venue_id] += at.seats;
    for (const auto& v : venues) {
      if (seats[v.id] > 0) choices.push_back({v.name, keep + "venue=" + std::to_string(v.id), v.name});
    }
    if (choices.empty()) return {Menu("いま空いている予約枠はありません。")};
    // Back and further pages say menu=venues: menu=book is the menu's button, which stops at an
    // existing booking.
    return {Paged("会場を選んでください。", choices, keep + "menu=venues", page)};
  }
  const std::string at_venue = keep + "venue=" + std::to_string(*venue);
  if (!day) {
    std::map<booking::Day, int64_t> seats;
    for (const auto& at : seats_at) seats[JapanDay(at.hour_ms)] += at.seats;
    for (const auto& [d, n] : seats)
      choices.push_back({DayJa(d) + " 残" + std::to_string(n), at_venue + "&date=" + FormatIsoDate(d), DayJa(d)});
    if (choices.empty()) return {Menu("この会場に空きはありません。")};
    return {Paged("日にちを選んでください。", choices, at_venue, page, {{"ほかの会場", keep + "menu=venues", "ほかの会場"}})};
  }
  for (const auto& sl : slots)
    choices.push_back({FormatTokyoHourMinute(sl.starts_at_ms) + " 残" + std::to_string(sl.remaining()),
                       keep + "slot=" + std::to_string(sl.id), FormatTokyoHourMinute(sl.starts_at_ms)});
  if (choices.empty()) return {Menu("この日に空きはありません。")};
  return {Paged(DayJa(*day) + " 時間を選んでください。", choices, at_venue + "&date=" + FormatIsoDate(*day), page,
                {{"ほかの日", at_venue, "ほかの日"}})};
}

HttpResponse LineHandlers::LineWebhook(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return JsonError(s);
  std::optional<store::LineChannel> channel;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(channel, store::FindLineChannel(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  if (!channel) return JsonError(NotFoundError("LINE is not set up for this municipality", "line_not_configured"));
  // The signature first, on the raw bytes: nothing is parsed or stored for a forged request.
  if (!channels::VerifyLineSignature(channel->channel_secret, ctx.request.body, ctx.request.Header("X-Line-Signature"))) {
    return JsonError(UnauthenticatedError("the X-Line-Signature does not match", "bad_signature"));
  }
  const json body = json::parse(ctx.request.body, nullptr, false);
  if (!body.is_object() || !body.contains("events") || !body["events"].is_array()) {
    return JsonError(MalformedError("events", "the body must be {\"destination\", \"events\": [...]}", "bad_json"));
  }
  int processed = 0, skipped = 0;
  for (const json& e : body["events"]) {
    if (!e.is_object()) continue;
    const std::string id = e.value("webhookEventId", "");
    if (!id.empty()) {
      bool fresh = false;
      s = writer_.Run([&](store::Connection& conn) -> Status {
        MADOGUCHI_ASSIGN_OR_RETURN(fresh, store::RecordLineEvent(conn, ctx.tenant, id, clock_.NowMs()));
        return Status::Ok();
      });
      if (!s.ok()) return JsonError(s);  // LINE will redeliver
      if (!fresh) {
        ++skipped;
        continue;
      }
    }
    if (e.value("mode", "active") == "standby") continue;
    const json source = e.value("source", json::object());
    const std::string user = source.is_object() ? source.value("userId", "") : "";
    if (user.empty()) continue;
    const std::string type = e.value("type", "");
    std::vector<LineMessage> out;
    if (type == "follow") {
      out = LineConversation(ctx, user, "follow", "");
    } else if (type == "unfollow") {
      out = LineConversation(ctx, user, "unfollow", "");
    } else if (type == "message" && e.contains("message") && e["message"].value("type", "") == "text") {
      // LINE's id for the message, else the event's (both unique), names it in the inbox.
      const json& m = e["message"];
      std::string mid = m.contains("id") && m["id"].is_string() ? m["id"].get<std::string>() : "";
      if (mid.empty() || mid.size() > 100) mid = id.empty() ? crypto::Sha256Hex(user + "|" + e.dump()) : id;
      out = LineConversation(ctx, user, "text", e["message"].value("text", ""), mid);
    } else if (type == "postback" && e.contains("postback")) {
      out = LineConversation(ctx, user, "postback", e["postback"].value("data", ""));
    } else {
      continue;
    }
    ++processed;
    if (out.empty()) continue;
    auto sent = line_.Send(channel->access_token, e.value("replyToken", ""), user, out);
    if (!sent.ok()) spdlog::warn("msg=\"LINE answer not delivered\" rid={} error=\"{}\"", ctx.request_id, sent.status().ToString());
  }
  return JsonReply(200, {{"processed", processed}, {"redeliveries_skipped", skipped}});
}

HttpResponse LineHandlers::ApiPutLineChannel(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto secret = JsonString(*body, "channel_secret", 200);
  if (!secret.ok()) return JsonError(secret.status());
  auto token = JsonString(*body, "access_token", 1000);
  if (!token.ok()) return JsonError(token.status());
  if (Status s = SaveChannel(ctx, *secret, *token); !s.ok()) return JsonError(s);
  return JsonReply(200, {{"webhook_url", "/line/webhook/" + ctx.tenant}});
}

}  // namespace madoguchi::web
