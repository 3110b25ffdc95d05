#include "store/booking/bookings.hpp"

#include "formats/booking_rules.hpp"

#include <algorithm>
#include <unordered_map>

namespace madoguchi::store {
namespace {

using booking::Channel;
using booking::State;

constexpr int64_t kDayMs = 86'400'000;

constexpr const char* kResidentColumns = "id, address_number, ticket_number, name, name_kana, birth_date, address, phone, email";
constexpr const char* kResidentColumnsR =
    "r.id, r.address_number, r.ticket_number, r.name, r.name_kana, r.birth_date, r.address, r.phone, r.email";

// Errors: kInternal "bad_stored_birth_date" for a birth date that is not YYYY-MM-DD (never a
// default date, which eligibility would then judge).
Result<booking::ResidentRecord> ResidentFrom(const Row& r, size_t at = 0) {
  booking::ResidentRecord out;
  out.id = r.Int(at + 0);
  out.r.address_number = r.Text(at + 1);
  out.r.ticket_number = r.Text(at + 2);
  out.r.name = r.Text(at + 3);
  out.r.name_kana = r.Text(at + 4);
  const auto birth = ParseIsoDate(r.Text(at + 5));
  if (!birth)
    return InternalError("resident " + std::to_string(out.id) + " has a stored birth date that is not a date", "bad_stored_birth_date");
  out.r.birth_date = *birth;
  out.r.address = r.Text(at + 6);
  out.r.phone = r.Text(at + 7);
  out.email = r.Text(at + 8);
  return out;
}

constexpr const char* kSlotColumns =
    "s.id, s.venue_id, v.name, s.starts_at, s.ends_at, s.capacity, s.booked, s.vaccine, s.dose, v.address, "
    "CASE WHEN s.closed_at IS NULL THEN 0 ELSE 1 END";

booking::SlotRecord SlotFrom(const Row& r, size_t at = 0) {
  booking::SlotRecord s;
  s.id = r.Int(at + 0);
  s.venue_id = r.Int(at + 1);
  s.venue_name = r.Text(at + 2);
  s.starts_at_ms = r.Int(at + 3);
  s.ends_at_ms = r.Int(at + 4);
  s.capacity = static_cast<int>(r.Int(at + 5));
  s.booked = static_cast<int>(r.Int(at + 6));
  s.vaccine = r.Text(at + 7);
  s.dose = static_cast<int>(r.Int(at + 8));
  s.venue_address = r.Text(at + 9);
  s.closed = r.Int(at + 10) != 0;
  return s;
}

// Booking columns, then the slot's (kSlotColumns order) from index 9.
constexpr const char* kBookingSelect =
    "SELECT b.id, b.resident_id, r.ticket_number, b.dose, b.state, b.channel, b.confirmation_code, b.created_at, "
    "b.updated_at, s.id, s.venue_id, v.name, s.starts_at, s.ends_at, s.capacity, s.booked, s.vaccine, s.dose, v.address, "
    "CASE WHEN s.closed_at IS NULL THEN 0 ELSE 1 END "
    "FROM bookings b JOIN residents r ON r.id = b.resident_id JOIN slots s ON s.id = b.slot_id "
    "JOIN venues v ON v.id = s.venue_id ";

// An unknown state or channel is an error, never read as "booked" (issue #10, §3).
Result<booking::BookingRecord> BookingFrom(const Row& r) {
  booking::BookingRecord b;
  b.id = r.Int(0);
  b.resident_id = r.Int(1);
  b.ticket_number = r.Text(2);
  b.dose = static_cast<int>(r.Int(3));
  const auto state = booking::ParseState(r.Text(4));
  if (!state) return InternalError("booking " + std::to_string(b.id) + " has the unknown state '" + r.Text(4) + "'", "bad_stored_value");
  const auto channel = booking::ParseChannel(r.Text(5));
  if (!channel)
    return InternalError("booking " + std::to_string(b.id) + " has the unknown channel '" + r.Text(5) + "'", "bad_stored_value");
  b.state = *state;
  b.channel = *channel;
  b.confirmation_code = r.Text(6);
  b.created_at_ms = r.Int(7);
  b.updated_at_ms = r.Int(8);
  b.slot = SlotFrom(r, 9);
  return b;
}

}  // namespace

// ---- residents ----

Result<std::optional<booking::ResidentRecord>> FindResidentByTicket(Connection& conn, const std::string& tenant,
                                                                    const std::string& ticket) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kResidentColumns + " FROM residents WHERE tenant_code = ? AND ticket_number = ?",
                            {tenant, ticket}));
  if (rows.empty()) return std::optional<booking::ResidentRecord>();
  MADOGUCHI_ASSIGN_OR_RETURN(booking::ResidentRecord found, ResidentFrom(rows[0]));
  return std::optional<booking::ResidentRecord>(std::move(found));
}

Result<ResidentWithGuesses> FindResidentWithGuesses(Connection& conn, const std::string& tenant, const std::string& ticket,
                                                    const std::string& subject, const std::string& source, int64_t since_ms) {
  // One statement: the counters (always one row) left-joined to the resident (none when unknown).
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query(std::string("SELECT (SELECT COUNT(*) FROM guess_failures WHERE scope = 'resident' AND subject = ? AND at >= ?), "
                             "g.n, g.last_at, ") +
                     kResidentColumnsR +
                     " FROM (SELECT COUNT(*) AS n, MAX(at) AS last_at FROM guess_failures "
                     "WHERE scope = 'resident' AND source = ? AND at >= ?) g "
                     "LEFT JOIN residents r ON r.tenant_code = ? AND r.ticket_number = ?",
                 {subject, since_ms, source, since_ms, tenant, ticket}));
  const Row& row = rows.at(0);
  ResidentWithGuesses out;
  out.counts = accounts::FailureCounts{static_cast<int>(row.Int(0)), static_cast<int>(row.Int(1)), row.IsNull(2) ? 0 : row.Int(2)};
  if (!row.IsNull(3)) {
    MADOGUCHI_ASSIGN_OR_RETURN(booking::ResidentRecord found, ResidentFrom(row, 3));
    out.resident = std::move(found);
  }
  return out;
}

Result<booking::ResidentRecord> GetResident(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string("SELECT ") + kResidentColumns + " FROM residents WHERE tenant_code = ? AND id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such resident", "resident_not_found");
  return ResidentFrom(rows[0]);
}

Status SetResidentEmail(Connection& conn, const std::string& tenant, int64_t id, const std::string& email, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("UPDATE residents SET email = ?, updated_at = ? WHERE tenant_code = ? AND id = ? "
                                                   "RETURNING id",
                                                   {email, now_ms, tenant, id}));
  if (rows.empty()) return NotFoundError("no such resident", "resident_not_found");
  return Status::Ok();
}

Result<std::vector<booking::ResidentRecord>> SearchResidents(Connection& conn, const std::string& tenant, const booking::ResidentQuery& q,
                                                             int limit) {
  using Kind = booking::ResidentQuery::Kind;
  const std::string base = std::string("SELECT ") + kResidentColumns + " FROM residents WHERE tenant_code = ? AND ";
  Result<Rows> rows = Rows{};
  switch (q.kind) {
    case Kind::kTicketOrPhone:
      // Two index look-ups (an OR would scan).
      rows = conn.Query(base + "ticket_number = ? ORDER BY id LIMIT ?", {tenant, q.value, int64_t{limit}});
      if (rows.ok() && rows->empty()) rows = conn.Query(base + "phone_digits = ? ORDER BY id LIMIT ?", {tenant, q.value, int64_t{limit}});
      break;
    case Kind::kPhone: rows = conn.Query(base + "phone_digits = ? ORDER BY id LIMIT ?", {tenant, q.value, int64_t{limit}}); break;
    case Kind::kKanaPrefix: {
      // Prefix match on the kana without spaces, then on the given name's: range scans on the
      // indexes, the family name's matches first.
      rows = conn.Query(base + "kana_compact >= ? AND kana_compact < ? ORDER BY kana_compact, id LIMIT ?",
                        {tenant, q.value, q.value + "\xEF\xBF\xBF", int64_t{limit}});
      if (!rows.ok() || static_cast<int>(rows->size()) >= limit) break;
      Result<Rows> given = conn.Query(
          base +
              "given_kana >= ? AND given_kana < ? AND NOT (kana_compact >= ? AND kana_compact < ?) "
              "ORDER BY given_kana, id LIMIT ?",
          {tenant, q.value, q.value + "\xEF\xBF\xBF", q.value, q.value + "\xEF\xBF\xBF", int64_t{limit - static_cast<int>(rows->size())}});
      if (!given.ok()) return given.status();
      for (Row& r : *given) rows->push_back(std::move(r));
      break;
    }
  }
  if (!rows.ok()) return rows.status();
  std::vector<booking::ResidentRecord> out;
  for (const Row& r : *rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(booking::ResidentRecord found, ResidentFrom(r));
    out.push_back(std::move(found));
  }
  return out;
}

Result<int64_t> CountResidents(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT COUNT(*) FROM residents WHERE tenant_code = ?", {tenant}));
  return rows[0].Int(0);
}

// ---- venues and slots ----

Result<int64_t> InsertVenue(Connection& conn, const std::string& tenant, const booking::Venue& v, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("INSERT INTO venues (tenant_code, name, address, created_at) VALUES (?, ?, ?, ?) "
                                                   "RETURNING id",
                                                   {tenant, v.name, v.address, now_ms}));
  return rows[0].Int(0);
}

Status UpdateVenue(Connection& conn, const std::string& tenant, int64_t venue_id, const booking::Venue& v) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("UPDATE venues SET name = ?, address = ? WHERE tenant_code = ? AND id = ? RETURNING id",
                                                   {v.name, v.address, tenant, venue_id}));
  if (rows.empty()) return Status(StatusCode::kNotFound, "venue_not_found", "no such venue in this municipality", "venue_id");
  return Status::Ok();
}

Result<std::vector<VenueRow>> ListVenues(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT id, name, address FROM venues WHERE tenant_code = ? ORDER BY id", {tenant}));
  std::vector<VenueRow> out;
  for (const Row& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
  return out;
}

Result<int64_t> InsertSlot(Connection& conn, const std::string& tenant, int64_t venue_id, const booking::Slot& s, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows venue, conn.Query("SELECT id FROM venues WHERE tenant_code = ? AND id = ?", {tenant, venue_id}));
  if (venue.empty()) return Status(StatusCode::kNotFound, "venue_not_found", "no such venue in this municipality", "venue_id");
  // A series submitted twice is refused, not doubled (issue #11, item 18).
  MADOGUCHI_ASSIGN_OR_RETURN(Rows same, conn.Query("SELECT id FROM slots WHERE tenant_code = ? AND venue_id = ? AND starts_at = ? AND "
                                                   "ends_at = ? AND vaccine = ? AND dose = ?",
                                                   {tenant, venue_id, s.starts_at_ms, s.ends_at_ms, s.vaccine, int64_t{s.dose}}));
  if (!same.empty()) {
    return Status(StatusCode::kAlreadyExists, "slot_exists",
                  "slot " + std::to_string(same[0].Int(0)) + " already has this venue, time, vaccine and dose", "starts_at");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("INSERT INTO slots (tenant_code, venue_id, starts_at, ends_at, capacity, vaccine, dose, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {tenant, venue_id, s.starts_at_ms, s.ends_at_ms, int64_t{s.capacity}, s.vaccine, int64_t{s.dose}, now_ms}));
  return rows[0].Int(0);
}

namespace {

// The WHERE of the slots `f` picks, after "WHERE s.tenant_code = ?", with its parameters.
void AddSlotFilter(const SlotFilter& f, std::string& sql, std::vector<Value>& params) {
  if (f.id) {
    sql += " AND s.id = ?";
    params.push_back(*f.id);
  }
  if (f.not_id) {
    sql += " AND s.id <> ?";
    params.push_back(*f.not_id);
  }
  if (f.dose) {
    sql += " AND s.dose = ?";
    params.push_back(int64_t{*f.dose});
  }
  if (f.venue_id) {
    sql += " AND s.venue_id = ?";
    params.push_back(*f.venue_id);
  }
  if (f.day) {
    sql += " AND s.starts_at >= ? AND s.starts_at < ?";
    const int64_t from = JapanMidnightMs(*f.day);
    params.push_back(from);
    params.push_back(from + kDayMs);
  }
  if (f.after_ms) {
    sql += " AND s.starts_at > ?";
    params.push_back(*f.after_ms);
  }
  if (f.only_with_seats) sql += " AND s.booked < s.capacity AND s.closed_at IS NULL";
}

}  // namespace

Result<std::vector<booking::SlotRecord>> ListSlots(Connection& conn, const std::string& tenant, const SlotFilter& f) {
  std::string sql = std::string("SELECT ") + kSlotColumns + " FROM slots s JOIN venues v ON v.id = s.venue_id WHERE s.tenant_code = ?";
  std::vector<Value> params = {tenant};
  AddSlotFilter(f, sql, params);
  sql += " ORDER BY s.starts_at, s.venue_id, s.id LIMIT ?";
  params.push_back(int64_t{f.limit});
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, params));
  std::vector<booking::SlotRecord> out;
  for (const Row& r : rows) out.push_back(SlotFrom(r));
  return out;
}

Result<std::vector<SeatsAt>> CountSeats(Connection& conn, const std::string& tenant, const SlotFilter& f) {
  std::string sql =
      "SELECT s.venue_id, s.starts_at / 3600000, CAST(SUM(s.capacity - s.booked) AS BIGINT) FROM slots s WHERE s.tenant_code = ?";
  std::vector<Value> params = {tenant};
  AddSlotFilter(f, sql, params);
  sql += " GROUP BY s.venue_id, s.starts_at / 3600000 ORDER BY 2, 1";
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, params));
  std::vector<SeatsAt> out;
  for (const Row& r : rows) out.push_back({r.Int(0), r.Int(1) * 3'600'000, r.Int(2)});
  return out;
}

Result<booking::SlotRecord> GetSlot(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kSlotColumns +
                                                       " FROM slots s JOIN venues v ON v.id = s.venue_id "
                                                       "WHERE s.tenant_code = ? AND s.id = ?",
                                                   {tenant, id}));
  if (rows.empty()) return Status(StatusCode::kNotFound, "slot_not_found", "no such time slot", "slot_id");
  return SlotFrom(rows[0]);
}

// ---- bookings ----

Result<std::optional<booking::BookingRecord>> FindBookingByCode(Connection& conn, const std::string& tenant, const std::string& code) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query(std::string(kBookingSelect) + "WHERE b.tenant_code = ? AND b.confirmation_code = ?", {tenant, code}));
  if (rows.empty()) return std::optional<booking::BookingRecord>();
  MADOGUCHI_ASSIGN_OR_RETURN(booking::BookingRecord b, BookingFrom(rows[0]));
  return std::optional<booking::BookingRecord>(std::move(b));
}

Result<booking::BookingRecord> GetBooking(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string(kBookingSelect) + "WHERE b.tenant_code = ? AND b.id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such booking", "booking_not_found");
  return BookingFrom(rows[0]);
}

Result<std::vector<booking::BookingRecord>> BookingsOfResident(Connection& conn, const std::string& tenant, int64_t resident_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string(kBookingSelect) + "WHERE b.tenant_code = ? AND b.resident_id = ? "
                                                                                 "ORDER BY b.id DESC",
                                                   {tenant, resident_id}));
  std::vector<booking::BookingRecord> out;
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(booking::BookingRecord b, BookingFrom(r));
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<booking::BookingRecord>> ActiveBookingsAtVenue(Connection& conn, const std::string& tenant, int64_t venue_id,
                                                                  int64_t from_ms, int64_t to_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query(std::string(kBookingSelect) + "WHERE b.tenant_code = ? AND s.venue_id = ? AND s.starts_at >= ? AND s.starts_at < ? "
                                               "AND b.state IN ('booked','checked_in') ORDER BY s.starts_at, b.id",
                 {tenant, venue_id, from_ms, to_ms}));
  std::vector<booking::BookingRecord> out;
  for (const Row& r : rows) {
    MADOGUCHI_ASSIGN_OR_RETURN(booking::BookingRecord b, BookingFrom(r));
    out.push_back(std::move(b));
  }
  return out;
}

Result<int64_t> CountActiveBookings(Connection& conn, const std::string& tenant, std::optional<int64_t> slot_id) {
  std::string sql = "SELECT COUNT(*) FROM bookings WHERE tenant_code = ? AND state IN ('booked','checked_in')";
  std::vector<Value> params = {tenant};
  if (slot_id) {
    sql += " AND slot_id = ?";
    params.push_back(*slot_id);
  }
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, params));
  return rows[0].Int(0);
}

Result<int64_t> CountSeatHolders(Connection& conn, const std::string& tenant, int64_t slot_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT state, COUNT(*) FROM bookings WHERE tenant_code = ? AND slot_id = ? "
                                                   "GROUP BY state",
                                                   {tenant, slot_id}));
  int64_t n = 0;
  for (const Row& r : rows) {
    const auto state = booking::ParseState(r.Text(0));
    if (!state) return InternalError("unknown booking state '" + r.Text(0) + "' in the database");
    if (booking::HoldsSeat(*state)) n += r.Int(1);
  }
  return n;
}

Status InsertResidentSession(Connection& conn, const ResidentSession& s) {
  return conn
      .Query(
          "INSERT INTO resident_sessions (token_hash, tenant_code, resident_id, created_at, expires_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {s.token_hash, s.tenant, s.resident_id, s.created_at_ms, s.expires_at_ms})
      .status();
}

Result<std::optional<ResidentSession>> FindResidentSession(Connection& conn, const std::string& token_hash, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT tenant_code, resident_id, created_at, expires_at FROM resident_sessions "
                                                   "WHERE token_hash = ? AND expires_at > ?",
                                                   {token_hash, now_ms}));
  if (rows.empty()) return std::optional<ResidentSession>();
  return std::optional<ResidentSession>(ResidentSession{token_hash, rows[0].Text(0), rows[0].Int(1), rows[0].Int(2), rows[0].Int(3)});
}

Status DeleteResidentSession(Connection& conn, const std::string& token_hash, int64_t now_ms) {
  MADOGUCHI_RETURN_IF_ERROR(
      conn.Query("DELETE FROM resident_sessions WHERE token_hash = ? OR expires_at <= ?", {token_hash, now_ms}).status());
  return Status::Ok();
}

Result<std::vector<booking::VrsPerson>> VrsExport(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT r.address_number, v.dose, v.recorded_at, v.vaccinated_on, r.ticket_number, v.venue_name, "
                                        "v.doctor_name, v.vaccine, v.lot FROM vaccinations v JOIN residents r ON r.id = v.resident_id "
                                        "WHERE v.tenant_code = ? ORDER BY r.address_number, v.dose",
                                        {tenant}));
  std::vector<booking::VrsPerson> out;
  for (const Row& r : rows) {
    if (out.empty() || out.back().address_number != r.Text(0)) out.push_back({r.Text(0), {}});
    booking::VrsDose d;
    d.dose = static_cast<int>(r.Int(1));
    d.registered_at_ms = r.Int(2);
    d.vaccinated_on = ParseIsoDate(r.Text(3)).value_or(booking::Day{});
    d.ticket_number = r.Text(4);
    d.municipality_code = tenant;
    d.venue_name = r.Text(5);
    d.doctor_name = r.Text(6);
    d.vaccine = r.Text(7);
    d.lot = r.Text(8);
    out.back().doses.push_back(std::move(d));
  }
  return out;
}

Result<std::optional<StoredResponse>> FindIdempotencyKey(Connection& conn, const std::string& tenant, const std::string& key) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("SELECT request_hash, status, body FROM idempotency_keys WHERE tenant_code = ? AND idem_key = ?", {tenant, key}));
  if (rows.empty()) return std::optional<StoredResponse>();
  return std::optional<StoredResponse>(StoredResponse{rows[0].Text(0), static_cast<int>(rows[0].Int(1)), rows[0].Text(2)});
}

Status SaveIdempotencyKey(Connection& conn, const std::string& tenant, const std::string& key, const StoredResponse& r, int64_t now_ms) {
  return conn
      .Query("INSERT INTO idempotency_keys (tenant_code, idem_key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
             {tenant, key, r.request_hash, int64_t{r.status}, r.body, now_ms})
      .status();
}

Result<std::vector<booking::PriorDose>> PriorDoses(Connection& conn, const std::string& tenant, int64_t resident_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT dose, vaccinated_on, vaccine FROM vaccinations WHERE tenant_code = ? AND resident_id = ? "
                                        "ORDER BY dose",
                                        {tenant, resident_id}));
  std::vector<booking::PriorDose> out;
  for (const Row& r : rows) {
    const auto day = ParseIsoDate(r.Text(1));
    if (!day)
      return InternalError("a vaccination of resident " + std::to_string(resident_id) + " has the date '" + r.Text(1) + "'",
                           "bad_stored_value");
    out.push_back({static_cast<int>(r.Int(0)), *day, r.Text(2)});
  }
  return out;
}

Result<booking::Rules> TenantRules(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT rules_json FROM tenant_settings WHERE tenant_code = ?", {tenant}));
  if (rows.empty()) return booking::Rules{};
  auto rules = formats::ParseBookingRules(rows[0].Text(0));
  if (!rules.ok()) {
    return InternalError("the stored booking rules of " + tenant + " do not parse: " + rules.status().ToString(), "bad_stored_rules");
  }
  return rules;
}

Status SaveTenantRules(Connection& conn, const std::string& tenant, const booking::Rules& rules, int64_t now_ms) {
  return SaveTenantRulesJson(conn, tenant, formats::BookingRulesJson(rules), now_ms);
}

Result<booking::Guidance> TenantGuidance(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT phone, hours, bring, arrive_minutes_before FROM tenant_guidance WHERE tenant_code = ?", {tenant}));
  booking::Guidance g;
  if (rows.empty()) return g;
  g.phone = rows[0].Text(0);
  g.hours = rows[0].Text(1);
  g.bring = rows[0].Text(2);
  g.arrive_minutes_before = static_cast<int>(rows[0].Int(3));
  return g;
}

Status SaveTenantGuidance(Connection& conn, const std::string& tenant, const booking::Guidance& g, int64_t now_ms) {
  return conn
      .Query(
          "INSERT INTO tenant_guidance (tenant_code, phone, hours, bring, arrive_minutes_before, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (tenant_code) DO UPDATE SET phone = excluded.phone, hours = excluded.hours, bring = excluded.bring, "
          "arrive_minutes_before = excluded.arrive_minutes_before, updated_at = excluded.updated_at",
          {tenant, g.phone, g.hours, g.bring, int64_t{g.arrive_minutes_before}, now_ms})
      .status();
}

Status SaveTenantRulesJson(Connection& conn, const std::string& tenant, const std::string& json, int64_t now_ms) {
  return conn
      .Query(
          "INSERT INTO tenant_settings (tenant_code, rules_json, updated_at) VALUES (?, ?, ?) "
          "ON CONFLICT (tenant_code) DO UPDATE SET rules_json = excluded.rules_json, updated_at = excluded.updated_at",
          {tenant, json, now_ms})
      .status();
}

Result<std::string> LoadOrCreateSecret(Connection& conn, const std::string& name, const std::string& fresh, int64_t now_ms) {
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) "
                                       "ON CONFLICT (name) DO NOTHING",
                                       {name, fresh, now_ms})
                                .status());
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT value FROM server_secrets WHERE name = ?", {name}));
  if (rows.empty()) return InternalError("the secret was not stored");
  return rows[0].Text(0);
}

}  // namespace madoguchi::store
