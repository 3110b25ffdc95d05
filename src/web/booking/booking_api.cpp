// Booking over the API: venues and slots (staff create, anyone lists), and bookings made,
// changed and cancelled by residents (ticket + birth date) or by staff on their behalf. Every
// write goes through the group-commit writer, so a 201 is sent only after its commit is durable.
#include "web/booking/booking_api.hpp"
#include "common/crypto.hpp"
#include "common/time_format.hpp"
#include "formats/booking_rules.hpp"
#include "store/accounts/accounts.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "web/core/audit.hpp"
#include "web/http/error_mapping.hpp"
#include "web/http/json.hpp"

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
          {"dose", s.dose},
          {"closed", s.closed}};
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

booking::Channel StaffChannel(const RequestContext& ctx) {
  return ctx.principal->via_api_token ? booking::Channel::kApi : booking::Channel::kPhone;
}

}  // namespace

void BookingApi::Register(Router& router, BookingApi* self) {
  RouteAdder add(router, self);
  using K = RouteKind;
  using H = BookingApi;
  add("GET", "/api/v1/t/{tenant}/venues", K::kApi, roles::kPublic, "vaccination venues", &H::ApiListVenues);
  add("POST", "/api/v1/t/{tenant}/venues", K::kApi, roles::kPlanners, "create a venue {name,address}", &H::ApiCreateVenue);
  add("GET", "/api/v1/t/{tenant}/slots", K::kApi, roles::kPublic, "slots from now on (?venue=&date=) with seats remaining",
      &H::ApiListSlots);
  add("POST", "/api/v1/t/{tenant}/slots", K::kApi, roles::kPlanners, "create a slot {venue_id,starts_at,ends_at,capacity,vaccine,dose}",
      &H::ApiCreateSlot);
  add("POST", "/api/v1/t/{tenant}/bookings", K::kApi, roles::kPublic,
      "book {ticket_number,birth_date,slot_id} (staff: ticket only); Idempotency-Key header", &H::ApiCreateBooking);
  add("PUT", "/api/v1/t/{tenant}/bookings/{code}", K::kApi, roles::kPublic, "move a booking {ticket_number,birth_date,slot_id}",
      &H::ApiChangeBooking);
  add("DELETE", "/api/v1/t/{tenant}/bookings/{code}", K::kApi, roles::kPublic, "cancel a booking {ticket_number,birth_date}",
      &H::ApiCancelBooking);
  add("GET", "/api/v1/t/{tenant}/bookings/{code}", K::kApi, roles::kBookingStaff, "one booking with its resident (staff)",
      &H::ApiGetBooking);
  add("POST", "/api/v1/t/{tenant}/waitlist", K::kApi, roles::kPublic,
      "wait for a freed seat {ticket_number,birth_date[,dose][,venue_id][,phone]} (staff: ticket only)", &H::ApiJoinWaitlist);
  add("POST", "/api/v1/t/{tenant}/bookings/{code}/state", K::kApi,
      accounts::RoleSet{accounts::Role::kAdmin, accounts::Role::kSupervisor, accounts::Role::kOperator, accounts::Role::kDoctor,
                        accounts::Role::kCityStaff},
      "at the venue: {state: checked_in|vaccinated|no_show, lot, doctor}", &H::ApiSetBookingState);
  add("GET", "/api/v1/t/{tenant}/residents", K::kApi, roles::kBookingStaff,
      "find residents by ?q= 券番号, phone or katakana name, with their bookings", &H::ApiSearchResidents);
}

HttpResponse BookingApi::ApiListVenues(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return JsonError(s);
  std::vector<store::VenueRow> venues;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(venues, store::ListVenues(conn, ctx.tenant));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json list = json::array();
  for (const auto& v : venues) list.push_back({{"id", v.id}, {"name", v.name}, {"address", v.address}});
  return JsonReply(200, list);
}

HttpResponse BookingApi::ApiCreateVenue(RequestContext& ctx) {
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
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertVenue(conn, ctx.tenant, v, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, "venue.create", "venue:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"id", id}});
}

HttpResponse BookingApi::ApiListSlots(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return JsonError(s);
  store::SlotFilter f;
  if (auto venue = ctx.request.Param("venue"); venue && !venue->empty()) {
    f.venue_id = ParseId(*venue);
    if (!f.venue_id) return JsonError(InvalidArgumentError("venue", "must be a venue id"));
  }
  if (auto date = ctx.request.Param("date"); date && !date->empty()) {
    f.day = ParseIsoDate(*date);
    if (!f.day) return JsonError(InvalidArgumentError("date", "must be a date YYYY-MM-DD"));
  }
  f.after_ms = clock_.NowMs();
  std::vector<booking::SlotRecord> slots;
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(slots, store::ListSlots(conn, ctx.tenant, f));
    return Status::Ok();
  });
  if (!s.ok()) return JsonError(s);
  json list = json::array();
  for (const auto& slot : slots) list.push_back(SlotJson(slot));
  return JsonReply(200, list);
}

HttpResponse BookingApi::ApiCreateSlot(RequestContext& ctx) {
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
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(id, store::InsertSlot(conn, ctx.tenant, *venue, slot, clock_.NowMs()));
    return Audit(clock_, conn, ctx, ctx.tenant, "slot.create", "slot:" + std::to_string(id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"id", id}});
}

// The resident named by the body (ticket and birth date), or — for staff of this tenant — by the
// ticket alone.
Result<booking::ResidentRecord> BookingApi::ResidentOfRequest(const RequestContext& ctx, const json& body) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::string ticket, JsonString(body, "ticket_number", 32));
  if (IsStaffOf(ctx) && !body.contains("birth_date")) {
    if (!ActsForCallers(ctx)) {
      return PermissionDeniedError("booking on a caller's behalf is for operators and supervisors", "not_for_this_role");
    }
    MADOGUCHI_RETURN_IF_ERROR(booking::ValidateTicketNumber(ticket));
    std::optional<booking::ResidentRecord> found;
    MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
      MADOGUCHI_RETURN_IF_ERROR(residents_.CheckLookupBudget(conn, ctx));
      MADOGUCHI_ASSIGN_OR_RETURN(found, store::FindResidentByTicket(conn, ctx.tenant, ticket));
      return Status::Ok();
    }));
    if (!found) return NotFoundError("no resident with this ticket number", "resident_not_found");
    return *found;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(std::string birth, JsonString(body, "birth_date", 16));
  return residents_.Verify(ctx, ticket, birth);
}

// 503 with the visitor's place in line, when the database is behind.
std::optional<HttpResponse> BookingApi::WaitingRoomFor(const RequestContext& ctx, bool& admitted) {
  if (IsStaffOf(ctx)) return std::nullopt;  // operators and API clients of the tenant have their own capacity
  const int64_t now = clock_.NowMs();
  int64_t number = 0;
  if (const std::string t = ctx.request.Header(kQueueHeader); !t.empty()) number = VerifyNumber(secret_, t, now).value_or(0);
  auto checked = gate_.Check(number);
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
                                     {"queue_ticket", SignNumber(secret_, d.number, now)}}}});
  r.AddHeader("Retry-After", std::to_string(std::clamp(d.eta_sec, 1, 60)));
  return r;
}

HttpResponse BookingApi::ApiCreateBooking(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return JsonError(s);
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto slot_id = JsonId(*body, "slot_id");
  if (!slot_id.ok()) return JsonError(slot_id.status());
  const std::string key = ctx.request.Header("Idempotency-Key");
  if (key.size() > 200) return JsonError(InvalidArgumentError("Idempotency-Key", "must be at most 200 characters"));
  bool admitted = false;
  if (auto waiting = WaitingRoomFor(ctx, admitted)) return *waiting;
  // An admitted request leaves the gate when it is answered, whatever the answer.
  const LeaveWhenAnswered leave(admitted ? &gate_ : nullptr);
  auto resident = ResidentOfRequest(ctx, *body);
  if (!resident.ok()) return JsonError(resident.status());

  const std::string request_hash = crypto::Sha256Hex("POST " + ctx.request.path + "\n" + ctx.request.body);
  std::optional<store::StoredResponse> replay;
  booking::BookingRecord made;
  const booking::Channel channel = ActsForCallers(ctx) ? StaffChannel(ctx) : booking::Channel::kWeb;
  Status s = writer_.Run(
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
        MADOGUCHI_ASSIGN_OR_RETURN(made, booking_.Book(port, {ctx.tenant, *resident, *slot_id, channel,
                                                              ActsForCallers(ctx) ? std::optional(ctx.principal->user_id) : std::nullopt}));
        const json reply = {{"booking_id", made.id}, {"confirmation_code", made.confirmation_code}, {"slot_id", made.slot.id}};
        if (!key.empty()) {
          MADOGUCHI_RETURN_IF_ERROR(store::SaveIdempotencyKey(conn, ctx.tenant, key, {request_hash, 201, reply.dump()}, clock_.NowMs()));
        }
        return Audit(clock_, conn, ctx, ctx.tenant, "booking.create", "booking:" + std::to_string(made.id));
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
Result<booking::BookingRecord> BookingApi::BookingOfRequest(const RequestContext& ctx, const json& body) {
  const std::string code = ctx.path_params.at("code");
  if (!booking::LooksLikeConfirmationCode(code)) return NotFoundError("no such booking", "booking_not_found");
  std::optional<int64_t> resident_id;
  if (!ActsForCallers(ctx) || body.contains("ticket_number")) {
    MADOGUCHI_ASSIGN_OR_RETURN(booking::ResidentRecord r, ResidentOfRequest(ctx, body));
    resident_id = r.id;
  }
  std::optional<booking::BookingRecord> b;
  MADOGUCHI_RETURN_IF_ERROR(store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, code));
    return Status::Ok();
  }));
  if (!b || (resident_id && b->resident_id != *resident_id)) return NotFoundError("no such booking", "booking_not_found");
  return *b;
}

HttpResponse BookingApi::ApiCancelBooking(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return JsonError(s);
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto b = BookingOfRequest(ctx, *body);
  if (!b.ok()) return JsonError(b.status());
  booking::BookingRecord done;
  Status s = writer_.Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(done, booking_.Cancel(port, ctx.tenant, b->id));
        return Audit(clock_, conn, ctx, ctx.tenant, "booking.cancel", "booking:" + std::to_string(b->id));
      },
      b->slot.id);
  if (!s.ok()) return JsonError(s);
  return JsonReply(200, {{"booking_id", done.id}, {"confirmation_code", done.confirmation_code}, {"state", "cancelled"}});
}

HttpResponse BookingApi::ApiChangeBooking(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return JsonError(s);
  auto body = ParseJsonObject(ctx.request);
  if (!body.ok()) return JsonError(body.status());
  auto slot_id = JsonId(*body, "slot_id");
  if (!slot_id.ok()) return JsonError(slot_id.status());
  auto b = BookingOfRequest(ctx, *body);
  if (!b.ok()) return JsonError(b.status());
  booking::BookingRecord done;
  Status s = writer_.Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(done, booking_.Change(port, ctx.tenant, b->id, *slot_id));
        return Audit(clock_, conn, ctx, ctx.tenant, "booking.change", "booking:" + std::to_string(b->id));
      },
      std::min(b->slot.id, *slot_id));
  if (!s.ok()) return JsonError(s);
  return JsonReply(200, {{"booking_id", done.id}, {"confirmation_code", done.confirmation_code}, {"slot_id", done.slot.id}});
}

HttpResponse BookingApi::ApiGetBooking(RequestContext& ctx) {
  const std::string code = ctx.path_params.at("code");
  std::optional<booking::BookingRecord> b;
  std::optional<booking::ResidentRecord> resident;
  Status s = store::InTransaction(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, code));
    if (!b) return NotFoundError("no such booking", "booking_not_found");
    MADOGUCHI_ASSIGN_OR_RETURN(resident, store::GetResident(conn, ctx.tenant, b->resident_id));
    return Audit(clock_, conn, ctx, ctx.tenant, "booking.read", "booking:" + std::to_string(b->id));
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

HttpResponse BookingApi::ApiJoinWaitlist(RequestContext& ctx) {
  if (Status s = tenants_.RequireExists(ctx.tenant); !s.ok()) return JsonError(s);
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
  std::string phone;
  if (body->contains("phone")) {
    auto p = JsonString(*body, "phone", 60);  // full-width digits are 3 bytes each
    if (!p.ok()) return JsonError(p.status());
    phone = booking::ReadTypedPhone(*p);
  }
  booking::BookingService::WaitlistPlace place;
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    store::SqlBookingPort port(conn);
    MADOGUCHI_ASSIGN_OR_RETURN(place, booking_.JoinWaitlist(port, ctx.tenant, resident->id, dose, venue, phone));
    return Audit(clock_, conn, ctx, ctx.tenant, "waitlist.join", "waitlist:" + std::to_string(place.id));
  });
  if (!s.ok()) return JsonError(s);
  return JsonReply(201, {{"waitlist_id", place.id}, {"dose", place.dose}});
}

HttpResponse BookingApi::ApiSetBookingState(RequestContext& ctx) {
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
  Status s = store::WithConnection(db_, [&](store::Connection& conn) -> Status {
    MADOGUCHI_ASSIGN_OR_RETURN(b, store::FindBookingByCode(conn, ctx.tenant, ctx.path_params.at("code")));
    return b ? Status::Ok() : NotFoundError("no such booking", "booking_not_found");
  });
  if (!s.ok()) return JsonError(s);
  booking::BookingRecord done;
  s = writer_.Run(
      [&](store::Connection& conn) -> Status {
        store::SqlBookingPort port(conn);
        MADOGUCHI_ASSIGN_OR_RETURN(done, booking_.SetState(port, ctx.tenant, b->id, *to, *lot, *doctor));
        return Audit(clock_, conn, ctx, ctx.tenant, std::string("booking.") + booking::StateName(*to), "booking:" + std::to_string(b->id));
      },
      b->slot.id);
  if (!s.ok()) return JsonError(s);
  return JsonReply(200,
                   {{"booking_id", done.id}, {"confirmation_code", done.confirmation_code}, {"state", booking::StateName(done.state)}});
}

HttpResponse BookingApi::ApiSearchResidents(RequestContext& ctx) {
  const std::string q = ctx.request.Param("q").value_or("");
  if (q.empty() || q.size() > 100) return JsonError(InvalidArgumentError("q", "give a 券番号, a phone number or a name in katakana"));
  std::vector<booking::ResidentRecord> found;
  std::vector<std::vector<booking::BookingRecord>> bookings;
  // Reading people's records is audited in the same transaction as the read (the writer's).
  Status s = writer_.Run([&](store::Connection& conn) -> Status {
    found.clear();
    bookings.clear();
    MADOGUCHI_RETURN_IF_ERROR(residents_.CheckLookupBudget(conn, ctx));
    MADOGUCHI_ASSIGN_OR_RETURN(const booking::ResidentQuery query, booking::ReadResidentQuery(q));
    MADOGUCHI_ASSIGN_OR_RETURN(found, store::SearchResidents(conn, ctx.tenant, query, 20));
    for (const auto& r : found) {
      MADOGUCHI_ASSIGN_OR_RETURN(auto b, store::BookingsOfResident(conn, ctx.tenant, r.id));
      bookings.push_back(std::move(b));
    }
    return Audit(clock_, conn, ctx, ctx.tenant, "resident.search", "residents:" + ResidentIds(found));
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

}  // namespace madoguchi::web
