// Booking over the API: venues and slots (staff create, anyone lists), and bookings made,
// changed and cancelled by residents (ticket + birth date) or by staff on their behalf. Every
// write goes through the group-commit writer, so a 201 is sent only after its commit is durable.
#include "common/crypto.hpp"
#include "common/time_format.hpp"
#include "formats/booking_rules.hpp"
#include "store/accounts_repo.hpp"
#include "store/booking_repo.hpp"
#include "web/internal/app_impl.hpp"

namespace madoguchi::web {

namespace {

constexpr const char* kQueueHeader = "Queue-Ticket";

json SlotJson(const booking::SlotRecord& s) {
  return {{"id", s.id},
          {"venue_id", s.venue_id},
          {"venue_name", s.venue_name},
          {"starts_at", FormatTokyoIso(s.starts_at_ms)},
          {"ends_at", FormatTokyoIso(s.ends_at_ms)},
          {"capacity", s.capacity},
          {"remaining", s.remaining()},
          {"vaccine", s.vaccine},
          {"dose", s.dose}};
}

Result<int64_t> JsonId(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return InvalidArgumentError(field, "is required");
  if (!it->is_number_integer() || it->get<int64_t>() <= 0) return InvalidArgumentError(field, "must be a positive whole number");
  return it->get<int64_t>();
}

Result<int64_t> JsonInstant(const json& body, const char* field) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::string text, JsonString(body, field, 64));
  auto ms = ParseIsoInstant(text);
  if (!ms) return InvalidArgumentError(field, "must be ISO 8601 with an offset, e.g. 2027-04-12T09:00:00+09:00");
  return *ms;
}

bool IsStaffOf(const RequestContext& ctx) { return ctx.principal && ctx.principal->HasTenant(ctx.tenant); }

// Staff of this tenant whose role books for callers (accounts::MayActForCallers).
bool ActsForCallers(const RequestContext& ctx) { return IsStaffOf(ctx) && accounts::MayActForCallers(ctx.principal->role); }

booking::Channel StaffChannel(const RequestContext& ctx) {
  return ctx.principal->via_api_token ? booking::Channel::kApi : booking::Channel::kPhone;
}

}  // namespace

Status WebApp::Impl::CheckLookupBudget(store::Connection& conn, const RequestContext& ctx) {
  const int64_t since = clock.NowMs() - 3'600'000;
  MADOGUCHI_ASSIGN_OR_RETURN(int64_t n,
                             store::CountActorActions(conn, ctx.principal->user_id, {"resident.search", "resident.read"}, since));
  if (n >= settings.staff_lookups_per_hour) {
    return ResourceExhaustedError(
        "more than " + std::to_string(settings.staff_lookups_per_hour) + " look-ups of residents in an hour; ask a supervisor",
        "lookups_throttled");
  }
  return Status::Ok();
}

Result<booking::Rules> WebApp::Impl::LoadRules(store::Connection& conn, const std::string& tenant) {
  // Read at most once a second per tenant: every booking needs them, and they rarely change.
  const int64_t now = clock.NowMs();
  {
    std::lock_guard lock(tenants_mu);
    if (auto it = rules_cache.find(tenant); it != rules_cache.end() && now - it->second.first < 1000) return it->second.second;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(booking::Rules rules, ReadRules(conn, tenant));
  std::lock_guard lock(tenants_mu);
  rules_cache[tenant] = {now, rules};
  return rules;
}

// The stored rules, or an error: rules that do not parse are never replaced by the defaults
// (which would open booking to everyone the rules keep out).
Result<booking::Rules> WebApp::Impl::ReadRules(store::Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(auto text, store::TenantRulesJson(conn, tenant));
  if (!text) return booking::Rules{};
  auto rules = formats::ParseBookingRules(*text);
  if (!rules.ok()) {
    return InternalError("the stored booking rules of " + tenant + " do not parse: " + rules.status().ToString(), "bad_stored_rules");
  }
  return rules;
}

// The municipality exists (looked up once per process; municipalities are not deleted).
Status WebApp::Impl::RequireTenantExists(const std::string& tenant) { return LoadTenantName(tenant); }

// Ticket and birth date against the target list, before any slot is touched. A ticket that is not
// listed and a wrong birth date get the same answer; repeated failures from one address or for
// one ticket are throttled.
Result<booking::ResidentRecord> WebApp::Impl::VerifyResident(const RequestContext& ctx, const std::string& ticket,
                                                             const std::string& birth_text, const std::string& source) {
  MADOGUCHI_RETURN_IF_ERROR(booking::ValidateTicketNumber(ticket));
  const int64_t now = clock.NowMs();
  const booking::Day today = JapanDay(now);
  MADOGUCHI_ASSIGN_OR_RETURN(booking::Day birth, booking::ParseBirthDate(birth_text, today));
  const int64_t window_start = now - std::chrono::milliseconds(settings.throttle.window).count();
  const std::string subject = ctx.tenant + ":" + ticket;
  const std::string& from = source.empty() ? ctx.ClientAddress() : source;
  // A right answer costs one read: the counters and the resident together. A wrong one is
  // recorded under the ticket's lock after counting again, so however many arrive at once, at
  // most the limit are answered "does not match"; the rest, and a right answer after them, hear
  // "throttled" (docs/security.md).
  std::optional<booking::ResidentRecord> found;
  std::optional<accounts::ThrottleDecision> throttled;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(auto read, store::FindResidentWithGuesses(conn, ctx.tenant, ticket, subject, from, window_start));
    throttled = accounts::Throttle(settings.throttle, read.counts, now);
    found = std::move(read.resident);
    return Status::Ok();
  }));
  if (throttled) return ThrottledError(*throttled);
  if (found && found->r.birth_date == birth) return *found;
  MADOGUCHI_RETURN_IF_ERROR(store::InTransaction(db, [&](store::Connection& conn) -> Status {
    throttled.reset();
    MADOGUCHI_RETURN_IF_ERROR(store::LockGuessSubject(conn, "resident", subject));
    MADOGUCHI_ASSIGN_OR_RETURN(auto counts, store::CountGuessFailures(conn, "resident", subject, from, window_start));
    throttled = accounts::Throttle(settings.throttle, counts, now);
    if (throttled) return Status::Ok();
    return store::RecordGuessFailure(conn, "resident", subject, from, now, window_start).status();
  }));
  if (throttled) return ThrottledError(*throttled);
  return PermissionDeniedError("the ticket number and birth date do not match our list", "ticket_mismatch");
}

HttpResponse WebApp::Impl::ApiListVenues(RequestContext& ctx) {
  if (Status s = RequireTenantExists(ctx.tenant); !s.ok()) return JsonError(s);
  std::vector<store::VenueRow> venues;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(venues, store::ListVenues(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json list = json::array();
  for (const auto& v : venues) list.push_back({{"id", v.id}, {"name", v.name}, {"address", v.address}});
  return JsonReply(200, list);
}

HttpResponse WebApp::Impl::ApiCreateVenue(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  booking::Venue v;
  auto name = JsonString(*body, "name", 200);
  if (!name.ok()) return JsonError(name.status());
  auto address = JsonString(*body, "address", 400, false);
  if (!address.ok()) return JsonError(address.status());
  v.name = *name;
  v.address = *address;
  if (Status s = booking::ValidateVenue(v); !s.ok()) return JsonError(s);
  int64_t id = 0;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertVenue(conn, ctx.tenant, v, clock.NowMs()));
    return Audit(conn, ctx, ctx.tenant, "venue.create", "venue:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"id", id}});
}

store::SlotFilter WebApp::Impl::BookableSlots(int limit, std::optional<int64_t> venue, std::optional<booking::Day> day) const {
  store::SlotFilter f;
  f.venue_id = venue;
  f.day = day;
  f.after_ms = clock.NowMs();
  f.only_with_seats = true;
  f.limit = limit;
  return f;
}

HttpResponse WebApp::Impl::ApiListSlots(RequestContext& ctx) {
  if (Status s = RequireTenantExists(ctx.tenant); !s.ok()) return JsonError(s);
  store::SlotFilter f;
  if (auto venue = ctx.request.Param("venue"); venue && !venue->empty()) {
    f.venue_id = ParseId(*venue);
    if (!f.venue_id) return JsonError(InvalidArgumentError("venue", "must be a venue id"));
  }
  if (auto date = ctx.request.Param("date"); date && !date->empty()) {
    f.day = ParseIsoDate(*date);
    if (!f.day) return JsonError(InvalidArgumentError("date", "must be a date YYYY-MM-DD"));
  }
  f.after_ms = clock.NowMs();
  std::vector<booking::SlotRecord> slots;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(slots, store::ListSlots(conn, ctx.tenant, f));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json list = json::array();
  for (const auto& slot : slots) list.push_back(SlotJson(slot));
  return JsonReply(200, list);
}

HttpResponse WebApp::Impl::ApiCreateSlot(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto venue = JsonId(*body, "venue_id");
  if (!venue.ok()) return JsonError(venue.status());
  booking::Slot slot;
  auto starts = JsonInstant(*body, "starts_at");
  if (!starts.ok()) return JsonError(starts.status());
  auto ends = JsonInstant(*body, "ends_at");
  if (!ends.ok()) return JsonError(ends.status());
  slot.starts_at_ms = *starts;
  slot.ends_at_ms = *ends;
  for (const auto& [field, target] : {std::pair{"capacity", &slot.capacity}, {"dose", &slot.dose}}) {
    auto it = body->find(field);
    if (it == body->end() && std::string(field) == "dose") continue;  // dose 1 by default
    if (it == body->end() || !it->is_number_integer()) return JsonError(InvalidArgumentError(field, "must be a whole number"));
    const int64_t v = it->get<int64_t>();
    if (v < -1'000'000 || v > 1'000'000) return JsonError(InvalidArgumentError(field, "is out of range"));
    *target = static_cast<int>(v);
  }
  auto vaccine = JsonString(*body, "vaccine", 32);
  if (!vaccine.ok()) return JsonError(vaccine.status());
  slot.vaccine = *vaccine;
  if (Status s = booking::ValidateSlot(slot); !s.ok()) return JsonError(s);
  int64_t id = 0;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertSlot(conn, ctx.tenant, *venue, slot, clock.NowMs()));
    return Audit(conn, ctx, ctx.tenant, "slot.create", "slot:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"id", id}});
}

// The resident named by the body (ticket and birth date), or — for staff of this tenant — by the
// ticket alone.
Result<booking::ResidentRecord> WebApp::Impl::ResidentOfRequest(const RequestContext& ctx, const json& body) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::string ticket, JsonString(body, "ticket_number", 32));
  if (IsStaffOf(ctx) && !body.contains("birth_date")) {
    if (!ActsForCallers(ctx)) {
      return PermissionDeniedError("booking on a caller's behalf is for operators and supervisors", "not_for_this_role");
    }
    MADOGUCHI_RETURN_IF_ERROR(booking::ValidateTicketNumber(ticket));
    std::optional<booking::ResidentRecord> found;
    MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& conn) -> Status {
      MADOGUCHI_RETURN_IF_ERROR(CheckLookupBudget(conn, ctx));
      MADOGUCHI_ASSIGN_OR_RETURN(found, store::FindResidentByTicket(conn, ctx.tenant, ticket));
      return Status::Ok();
    }));
    if (!found) return NotFoundError("no resident with this ticket number", "resident_not_found");
    return *found;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(std::string birth, JsonString(body, "birth_date", 16));
  return VerifyResident(ctx, ticket, birth);
}

// 503 with the visitor's place in line, when the database is behind.
std::optional<HttpResponse> WebApp::Impl::WaitingRoomFor(const RequestContext& ctx, bool& admitted) {
  if (IsStaffOf(ctx)) return std::nullopt;  // operators and API clients of the tenant have their own capacity
  const int64_t now = clock.NowMs();
  int64_t number = 0;
  if (const std::string t = ctx.request.Header(kQueueHeader); !t.empty()) number = VerifyNumber(secret, t, now).value_or(0);
  auto checked = gate->Check(number);
  if (!checked.ok()) return JsonError(checked.status());
  const AdmissionGate::Decision& d = *checked;
  if (d.admitted) {
    admitted = true;
    return std::nullopt;
  }
  HttpResponse r = JsonReply(503, {{"error",
                                    {{"code", "waiting_room"},
                                     {"message", "many people are booking right now; you are in line"},
                                     {"position", d.position},
                                     {"estimate_sec", d.eta_sec},
                                     {"queue_ticket", SignNumber(secret, d.number, now)}}}});
  r.AddHeader("Retry-After", std::to_string(std::clamp(d.eta_sec, 1, 60)));
  return r;
}

HttpResponse WebApp::Impl::ApiCreateBooking(RequestContext& ctx) {
  if (Status s = RequireTenantExists(ctx.tenant); !s.ok()) return JsonError(s);
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto slot_id = JsonId(*body, "slot_id");
  if (!slot_id.ok()) return JsonError(slot_id.status());
  const std::string key = ctx.request.Header("Idempotency-Key");
  if (key.size() > 200) return JsonError(InvalidArgumentError("Idempotency-Key", "must be at most 200 characters"));
  bool admitted = false;
  if (auto waiting = WaitingRoomFor(ctx, admitted)) return *waiting;
  // An admitted request leaves the gate when it is answered, whatever the answer.
  const LeaveWhenAnswered leave(admitted ? gate.get() : nullptr);
  auto resident = ResidentOfRequest(ctx, *body);
  if (!resident.ok()) return JsonError(resident.status());
  booking::Rules rules;
  Status loaded = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(rules, LoadRules(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!loaded.ok()) return JsonError(loaded);

  const std::string request_hash = crypto::Sha256Hex("POST " + ctx.request.path + "\n" + ctx.request.body);
  std::optional<store::StoredResponse> replay;
  booking::BookingRecord made;
  const booking::Channel channel = ActsForCallers(ctx) ? StaffChannel(ctx) : booking::Channel::kWeb;
  Status s = writer->Run(
      [&](store::Connection& conn) -> Status {
        replay.reset();
        if (!key.empty()) {
          MADOGUCHI_ASSIGN_OR_RETURN(replay, store::FindIdempotencyKey(conn, ctx.tenant, key));
          if (replay) {
            if (replay->request_hash != request_hash) {
              return InvalidArgumentError("Idempotency-Key", "was used for a different request", "idempotency_key_reused");
            }
            return Status::Ok();
          }
        }
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(
            made, booking_service.Book(port, {ctx.tenant, *resident, *slot_id, channel,
                                              ActsForCallers(ctx) ? std::optional(ctx.principal->user_id) : std::nullopt, rules}));
        const json reply = {{"booking_id", made.id}, {"confirmation_code", made.confirmation_code}, {"slot_id", made.slot.id}};
        if (!key.empty()) {
          MADOGUCHI_RETURN_IF_ERROR(store::SaveIdempotencyKey(conn, ctx.tenant, key, {request_hash, 201, reply.dump()}, clock.NowMs()));
        }
        return Audit(conn, ctx, ctx.tenant, "booking.create", "booking:" + std::to_string(made.id));
      },
      *slot_id);
  if (!s.ok()) return JsonError(s);
  if (replay) {
    HttpResponse r;
    r.status = replay->status;
    r.body = replay->body;
    r.AddHeader("Idempotent-Replayed", "true");
    return r;
  }
  return JsonReply(201, {{"booking_id", made.id}, {"confirmation_code", made.confirmation_code}, {"slot_id", made.slot.id}});
}

// The booking `code` of the resident named by the body (or any booking of the tenant, for staff).
Result<booking::BookingRecord> WebApp::Impl::BookingOfRequest(const RequestContext& ctx, const json& body) {
  const std::string code = ctx.path_params.at("code");
  if (!booking::LooksLikeConfirmationCode(code)) return NotFoundError("no such booking", "booking_not_found");
  std::optional<int64_t> resident_id;
  if (!ActsForCallers(ctx) || body.contains("ticket_number")) {
    MADOGUCHI_ASSIGN_OR_RETURN(booking::ResidentRecord r, ResidentOfRequest(ctx, body));
    resident_id = r.id;
  }
  std::optional<booking::BookingRecord> b;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, code));
    return Status::Ok();
  }));
  if (!b || (resident_id && b->resident_id != *resident_id)) return NotFoundError("no such booking", "booking_not_found");
  return *b;
}

HttpResponse WebApp::Impl::ApiCancelBooking(RequestContext& ctx) {
  if (Status s = RequireTenantExists(ctx.tenant); !s.ok()) return JsonError(s);
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto b = BookingOfRequest(ctx, *body);
  if (!b.ok()) return JsonError(b.status());
  booking::BookingRecord done;
  Status s = writer->Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(done, booking_service.Cancel(port, ctx.tenant, b->id));
        return Audit(conn, ctx, ctx.tenant, "booking.cancel", "booking:" + std::to_string(b->id));
      },
      b->slot.id);
  if (!s.ok()) return JsonError(s);
  return JsonReply(200, {{"booking_id", done.id}, {"confirmation_code", done.confirmation_code}, {"state", "cancelled"}});
}

HttpResponse WebApp::Impl::ApiChangeBooking(RequestContext& ctx) {
  if (Status s = RequireTenantExists(ctx.tenant); !s.ok()) return JsonError(s);
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto slot_id = JsonId(*body, "slot_id");
  if (!slot_id.ok()) return JsonError(slot_id.status());
  auto b = BookingOfRequest(ctx, *body);
  if (!b.ok()) return JsonError(b.status());
  booking::Rules rules;
  Status loaded = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(rules, LoadRules(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!loaded.ok()) return JsonError(loaded);
  booking::BookingRecord done;
  Status s = writer->Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(done, booking_service.Change(port, ctx.tenant, b->id, *slot_id, rules));
        return Audit(conn, ctx, ctx.tenant, "booking.change", "booking:" + std::to_string(b->id));
      },
      std::min(b->slot.id, *slot_id));
  if (!s.ok()) return JsonError(s);
  return JsonReply(200, {{"booking_id", done.id}, {"confirmation_code", done.confirmation_code}, {"slot_id", done.slot.id}});
}

HttpResponse WebApp::Impl::ApiGetBooking(RequestContext& ctx) {
  const std::string code = ctx.path_params.at("code");
  std::optional<booking::BookingRecord> b;
  std::optional<booking::ResidentRecord> resident;
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, code));
    if (!b) return NotFoundError("no such booking", "booking_not_found");
    MADOGUCHI_ASSIGN_OR_RETURN(resident, store::GetResident(conn, ctx.tenant, b->resident_id));
    return Audit(conn, ctx, ctx.tenant, "booking.read", "booking:" + std::to_string(b->id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(
      200, {{"booking_id", b->id},
            {"confirmation_code", b->confirmation_code},
            {"state", booking::StateName(b->state)},
            {"channel", booking::ChannelName(b->channel)},
            {"dose", b->dose},
            {"slot", SlotJson(b->slot)},
            {"resident", {{"ticket_number", resident->r.ticket_number}, {"name", resident->r.name}, {"name_kana", resident->r.name_kana}}},
            {"created_at", FormatUtcIso(b->created_at_ms)},
            {"updated_at", FormatUtcIso(b->updated_at_ms)}});
}

HttpResponse WebApp::Impl::ApiJoinWaitlist(RequestContext& ctx) {
  if (Status s = RequireTenantExists(ctx.tenant); !s.ok()) return JsonError(s);
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto resident = ResidentOfRequest(ctx, *body);
  if (!resident.ok()) return JsonError(resident.status());
  // Without a dose, the one the resident is due next (booking::NextDose).
  std::optional<int> dose;
  if (body->contains("dose")) {
    if (!(*body)["dose"].is_number_integer()) return JsonError(InvalidArgumentError("dose", "must be 1..10"));
    dose = (*body)["dose"].get<int>();
  }
  std::optional<int64_t> venue;
  if (body->contains("venue_id")) {
    auto v = JsonId(*body, "venue_id");
    if (!v.ok()) return JsonError(v.status());
    venue = *v;
  }
  booking::BookingService::WaitlistPlace place;
  Status s = writer->Run([&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(place, booking_service.JoinWaitlist(port, ctx.tenant, resident->id, dose, venue));
    return Audit(conn, ctx, ctx.tenant, "waitlist.join", "waitlist:" + std::to_string(place.id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"waitlist_id", place.id}, {"dose", place.dose}});
}

HttpResponse WebApp::Impl::ApiSetBookingState(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto state_name = JsonString(*body, "state", 32);
  if (!state_name.ok()) return JsonError(state_name.status());
  const auto to = booking::ParseState(*state_name);
  if (!to || !booking::StaffMaySet(*to)) {
    return JsonError(InvalidArgumentError("state", "must be checked_in, vaccinated or no_show (cancel with DELETE)"));
  }
  auto lot = JsonString(*body, "lot", 64, *to == booking::State::kVaccinated);
  if (!lot.ok()) return JsonError(lot.status());
  auto doctor = JsonString(*body, "doctor", 100, false);
  if (!doctor.ok()) return JsonError(doctor.status());
  std::optional<booking::BookingRecord> b;
  Status s = store::WithConnection(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, ctx.path_params.at("code")));
    return b ? Status::Ok() : NotFoundError("no such booking", "booking_not_found");
  });
  if (!s.ok()) return JsonError(s);
  booking::BookingRecord done;
  s = writer->Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(done, booking_service.SetState(port, ctx.tenant, b->id, *to, *lot, *doctor));
        return Audit(conn, ctx, ctx.tenant, std::string("booking.") + booking::StateName(*to), "booking:" + std::to_string(b->id));
      },
      b->slot.id);
  if (!s.ok()) return JsonError(s);
  return JsonReply(200,
                   {{"booking_id", done.id}, {"confirmation_code", done.confirmation_code}, {"state", booking::StateName(done.state)}});
}

HttpResponse WebApp::Impl::ApiSearchResidents(RequestContext& ctx) {
  const std::string q = ctx.request.Param("q").value_or("");
  if (q.empty() || q.size() > 100) return JsonError(InvalidArgumentError("q", "give a 券番号, a phone number or a name in katakana"));
  std::vector<booking::ResidentRecord> found;
  std::vector<std::vector<booking::BookingRecord>> bookings;
  // Reading people's records is audited in the same transaction as the read (the writer's).
  Status s = writer->Run([&](store::Connection& conn) -> Status {
    found.clear();
    bookings.clear();
    MADOGUCHI_RETURN_IF_ERROR(CheckLookupBudget(conn, ctx));
    MADOGUCHI_ASSIGN_OR_RETURN(const booking::ResidentQuery query, booking::ReadResidentQuery(q));
    MADOGUCHI_ASSIGN_OR_RETURN(found, store::SearchResidents(conn, ctx.tenant, query, 20));
    for (const auto& r : found) {
      MADOGUCHI_ASSIGN_OR_RETURN(auto b, store::BookingsOfResident(conn, ctx.tenant, r.id));
      bookings.push_back(std::move(b));
    }
    return Audit(conn, ctx, ctx.tenant, "resident.search", "residents:" + ResidentIds(found));
  });
  if (!s.ok()) return JsonError(s);
  json list = json::array();
  for (size_t i = 0; i < found.size(); ++i) {
    const auto& r = found[i];
    json bs = json::array();
    for (const auto& b : bookings[i]) {
      bs.push_back({{"confirmation_code", b.confirmation_code},
                    {"state", booking::StateName(b.state)},
                    {"dose", b.dose},
                    {"channel", booking::ChannelName(b.channel)},
                    {"slot", SlotJson(b.slot)}});
    }
    list.push_back({{"id", r.id},
                    {"ticket_number", r.r.ticket_number},
                    {"name", r.r.name},
                    {"name_kana", r.r.name_kana},
                    {"birth_date", FormatIsoDate(r.r.birth_date)},
                    {"phone", r.r.phone},
                    {"bookings", bs}});
  }
  return JsonReply(200, {{"residents", list}});
}

HttpResponse WebApp::Impl::ApiPutBookingRules(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto rules = formats::ParseBookingRules(body->dump());
  if (!rules.ok()) return JsonError(rules.status());
  if (Status s = SaveRules(ctx, *rules); !s.ok()) return JsonError(s);
  return JsonReply(200, json::parse(formats::BookingRulesJson(*rules)));
}

// Stores validated rules (booking::ValidateRules) in the one format (formats/booking_rules).
Status WebApp::Impl::SaveRules(const RequestContext& ctx, const booking::Rules& rules) {
  if (Status valid = booking::ValidateRules(rules); !valid.ok()) return valid;
  const std::string text = formats::BookingRulesJson(rules);
  Status s = store::InTransaction(db, [&](store::Connection& conn) -> Status {
    MADOGUCHI_RETURN_IF_ERROR(store::SaveTenantRulesJson(conn, ctx.tenant, text, clock.NowMs()));
    return Audit(conn, ctx, ctx.tenant, "booking_rules.update", "tenant:" + ctx.tenant);
  });
  MADOGUCHI_RETURN_IF_ERROR(s);
  {
    std::lock_guard lock(tenants_mu);
    rules_cache.erase(ctx.tenant);  // this process sees the change at once; others within a second
  }
  return Status::Ok();
}

}  // namespace madoguchi::web
