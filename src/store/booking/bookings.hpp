// src/store/booking/bookings.hpp — residents, venues, slots, bookings, vaccinations, the waitlist,
// idempotency keys, the rules' stored text and residents' sessions (a booking's messages go
// through store/outbox; the booking core's port is store/booking/port.hpp). Every function runs on
// a connection the caller holds, inside the caller's transaction; the rules come from src/booking.
//
// Concurrency (docs/booking.md): a seat is taken by `UPDATE slots SET booked = booked + 1 WHERE
// … AND booked < capacity` — one row, atomic on both backends (PostgreSQL re-checks the WHERE on
// the row's latest version; SQLite has one writer) — and the database itself refuses more than
// capacity (a CHECK) and a second active booking for a ticket and dose (a partial unique index).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.hpp"
#include "booking/booking.hpp"
#include "booking/service.hpp"
#include "booking/vrs.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

struct VenueRow {
  int64_t id = 0;
  std::string name, address;
};

// ---- the target list ----

// nullopt when no resident holds `ticket`. Errors (every read of a resident here): kInternal
// "bad_stored_birth_date" for a stored birth date that is not a date; the database's.
Result<std::optional<booking::ResidentRecord>> FindResidentByTicket(Connection& conn, const std::string& tenant, const std::string& ticket);
// kNotFound "resident_not_found" unless the resident is the tenant's. Errors: the database's.
Result<booking::ResidentRecord> GetResident(Connection& conn, const std::string& tenant, int64_t id);
// The address the resident's notices go to by email when no other channel reaches them ("" : none;
// messaging::NormalEmail checks it first). kNotFound "resident_not_found" unless the tenant's.
Status SetResidentEmail(Connection& conn, const std::string& tenant, int64_t id, const std::string& email, int64_t now_ms);
// The resident holding `ticket` (nullopt when none) and the residents' guess counters for
// `subject` and `source` since `since_ms` (store/accounts' CountGuessFailures), in one statement:
// what a right answer costs on the booking path. Errors: the database's.
struct ResidentWithGuesses {
  std::optional<booking::ResidentRecord> resident;
  accounts::FailureCounts counts;
};
// Errors: the database's.
Result<ResidentWithGuesses> FindResidentWithGuesses(Connection& conn, const std::string& tenant, const std::string& ticket,
                                                    const std::string& subject, const std::string& source, int64_t since_ms);
// The residents an operator's search finds (booking::ReadResidentQuery reads the box); at most
// `limit`. Errors: the database's.
Result<std::vector<booking::ResidentRecord>> SearchResidents(Connection& conn, const std::string& tenant,
                                                             const booking::ResidentQuery& query, int limit);
// Errors: the database's.
Result<int64_t> CountResidents(Connection& conn, const std::string& tenant);

// ---- venues and slots ----

// Errors: the database's.
Result<int64_t> InsertVenue(Connection& conn, const std::string& tenant, const booking::Venue& v, int64_t now_ms);
// Errors: the database's.
Result<std::vector<VenueRow>> ListVenues(Connection& conn, const std::string& tenant);
// kNotFound naming "venue_id" unless the venue is the tenant's; kAlreadyExists "slot_exists"
// (field starts_at) when the venue has a slot of the same start, end, vaccine and dose.
Result<int64_t> InsertSlot(Connection& conn, const std::string& tenant, int64_t venue_id, const booking::Slot& s, int64_t now_ms);
struct SlotFilter {
  std::optional<int64_t> id;      // that slot only
  std::optional<int64_t> not_id;  // any slot but this one (the one a booking being moved holds)
  std::optional<int64_t> venue_id;
  std::optional<int> dose;
  std::optional<booking::Day> day;  // Japan date of starts_at
  std::optional<int64_t> after_ms;  // only slots starting after this
  bool only_with_seats = false;
  int limit = 500;
};
// Errors: the database's.
Result<std::vector<booking::SlotRecord>> ListSlots(Connection& conn, const std::string& tenant, const SlotFilter& filter);
// The free seats of the slots `filter` picks (its limit aside: every one counts), by venue and by
// the hour the slot starts in (Unix ms of the hour's start; an hour lies in one Japan day). For
// lists of venues and days that must reach every slot without reading each. Errors: the database's.
struct SeatsAt {
  int64_t venue_id = 0;
  int64_t hour_ms = 0;
  int64_t seats = 0;
};
Result<std::vector<SeatsAt>> CountSeats(Connection& conn, const std::string& tenant, const SlotFilter& filter);
// kNotFound "slot_not_found" (field slot_id) unless the slot is the tenant's. Errors: the database's.
Result<booking::SlotRecord> GetSlot(Connection& conn, const std::string& tenant, int64_t id);

// ---- bookings ----

// nullopt for an unknown code. kInternal "bad_stored_value" for a state or channel the code does
// not know. Errors: the database's.
Result<std::optional<booking::BookingRecord>> FindBookingByCode(Connection& conn, const std::string& tenant, const std::string& code);
// kNotFound "booking_not_found"; kInternal "bad_stored_value" as FindBookingByCode.
Result<booking::BookingRecord> GetBooking(Connection& conn, const std::string& tenant, int64_t id);
// Newest first. kInternal "bad_stored_value" as FindBookingByCode; errors: the database's.
Result<std::vector<booking::BookingRecord>> BookingsOfResident(Connection& conn, const std::string& tenant, int64_t resident_id);
// The active bookings of a venue's slots starting in [from_ms, to_ms), by time. Errors as BookingsOfResident.
Result<std::vector<booking::BookingRecord>> ActiveBookingsAtVenue(Connection& conn, const std::string& tenant, int64_t venue_id,
                                                                  int64_t from_ms, int64_t to_ms);
// Renames or moves a venue. kNotFound "venue_not_found" (field venue_id) unless it is the tenant's.
Status UpdateVenue(Connection& conn, const std::string& tenant, int64_t venue_id, const booking::Venue& v);
// Errors: the database's.
Result<int64_t> CountActiveBookings(Connection& conn, const std::string& tenant, std::optional<int64_t> slot_id = std::nullopt);
// The bookings of a slot that hold one of its seats (booking::HoldsSeat): what slots.booked must equal.
// kInternal for a state the code does not know.
Result<int64_t> CountSeatHolders(Connection& conn, const std::string& tenant, int64_t slot_id);

// ---- VRS files ----

// Everyone with a recorded dose, in the VRS layout's terms (docs/vrs.md). Errors: the database's.
Result<std::vector<booking::VrsPerson>> VrsExport(Connection& conn, const std::string& tenant);

// The outbox is store/outbox/messages.hpp.

// ---- idempotency ----

struct StoredResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
};
// Errors: the database's.
Result<std::optional<StoredResponse>> FindIdempotencyKey(Connection& conn, const std::string& tenant, const std::string& key);
// kAlreadyExists when the key was stored concurrently (the caller re-reads it).
Status SaveIdempotencyKey(Connection& conn, const std::string& tenant, const std::string& key, const StoredResponse& r, int64_t now_ms);

// ---- eligibility settings and history ----

// By dose. kInternal "bad_stored_value" for a date that does not parse; errors: the database's.
Result<std::vector<booking::PriorDose>> PriorDoses(Connection& conn, const std::string& tenant, int64_t resident_id);
// The tenant's booking rules as saved (in formats/booking_rules' one format), the defaults when
// none are. Errors: kInternal "bad_stored_rules" when the saved text does not parse (never the
// defaults in its place); the database's.
Result<booking::Rules> TenantRules(Connection& conn, const std::string& tenant);
// Saves rules already validated (booking::ValidateRules). Errors: the database's.
Status SaveTenantRules(Connection& conn, const std::string& tenant, const booking::Rules& rules, int64_t now_ms);
// The rules' text as given, unchecked: what SaveTenantRules writes, and how a test stores text
// that does not parse. Errors: the database's.
Status SaveTenantRulesJson(Connection& conn, const std::string& tenant, const std::string& json, int64_t now_ms);

// What the municipality tells its residents (booking::Guidance), the defaults when none is saved.
// Errors: the database's.
Result<booking::Guidance> TenantGuidance(Connection& conn, const std::string& tenant);
// Saves guidance already validated (booking::ValidateGuidance). Errors: the database's.
Status SaveTenantGuidance(Connection& conn, const std::string& tenant, const booking::Guidance& g, int64_t now_ms);

// ---- residents' sessions (signed in with 券番号 and birth date) ----

struct ResidentSession {
  std::string token_hash;  // SHA-256 of the cookie's random token; the token itself is never stored
  std::string tenant;
  int64_t resident_id = 0;
  int64_t created_at_ms = 0, expires_at_ms = 0;
};
// Errors: the database's.
Status InsertResidentSession(Connection& conn, const ResidentSession& s);
// nullopt when unknown or expired at `now_ms`. Errors: the database's.
Result<std::optional<ResidentSession>> FindResidentSession(Connection& conn, const std::string& token_hash, int64_t now_ms);
// Ends one session (sign-out), and now and then sweeps expired ones. Errors: the database's.
Status DeleteResidentSession(Connection& conn, const std::string& token_hash, int64_t now_ms);

// ---- server secrets (signing residents' cookies and queue tickets; shared by every process) ----

// The secret named `name`, created from `fresh` if none is stored yet (the first process wins).
// Errors: the database's.
Result<std::string> LoadOrCreateSecret(Connection& conn, const std::string& name, const std::string& fresh, int64_t now_ms);

}  // namespace madoguchi::store
