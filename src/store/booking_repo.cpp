#include "store/booking_repo.hpp"

#include <algorithm>
#include <unordered_map>

namespace madoguchi::store {
namespace {

using booking::Channel;
using booking::State;

constexpr int64_t kDayMs = 86'400'000;

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

constexpr const char* kResidentColumns =
    "id, address_number, ticket_number, name, name_kana, birth_date, address, phone";
constexpr const char* kResidentColumnsR =
    "r.id, r.address_number, r.ticket_number, r.name, r.name_kana, r.birth_date, r.address, r.phone";

ResidentRow ResidentFrom(const Row& r, size_t at = 0) {
  ResidentRow out;
  out.id = r.Int(at + 0);
  out.r.address_number = r.Text(at + 1);
  out.r.ticket_number = r.Text(at + 2);
  out.r.name = r.Text(at + 3);
  out.r.name_kana = r.Text(at + 4);
  out.r.birth_date = booking::ParseDay(r.Text(at + 5)).value_or(booking::Day{});
  out.r.address = r.Text(at + 6);
  out.r.phone = r.Text(at + 7);
  return out;
}

constexpr const char* kSlotColumns =
    "s.id, s.venue_id, v.name, s.starts_at, s.ends_at, s.capacity, s.booked, s.vaccine, s.dose";

SlotRow SlotFrom(const Row& r, size_t at = 0) {
  SlotRow s;
  s.id = r.Int(at + 0);
  s.venue_id = r.Int(at + 1);
  s.venue_name = r.Text(at + 2);
  s.starts_at_ms = r.Int(at + 3);
  s.ends_at_ms = r.Int(at + 4);
  s.capacity = static_cast<int>(r.Int(at + 5));
  s.booked = static_cast<int>(r.Int(at + 6));
  s.vaccine = r.Text(at + 7);
  s.dose = static_cast<int>(r.Int(at + 8));
  return s;
}

// Booking columns, then the slot's (kSlotColumns order) from index 9.
constexpr const char* kBookingSelect =
    "SELECT b.id, b.resident_id, r.ticket_number, b.dose, b.state, b.channel, b.confirmation_code, b.created_at, "
    "b.updated_at, s.id, s.venue_id, v.name, s.starts_at, s.ends_at, s.capacity, s.booked, s.vaccine, s.dose "
    "FROM bookings b JOIN residents r ON r.id = b.resident_id JOIN slots s ON s.id = b.slot_id "
    "JOIN venues v ON v.id = s.venue_id ";

BookingRow BookingFrom(const Row& r) {
  BookingRow b;
  b.id = r.Int(0);
  b.resident_id = r.Int(1);
  b.ticket_number = r.Text(2);
  b.dose = static_cast<int>(r.Int(3));
  b.state = booking::ParseState(r.Text(4)).value_or(State::kBooked);
  b.channel = booking::ParseChannel(r.Text(5)).value_or(Channel::kWeb);
  b.confirmation_code = r.Text(6);
  b.created_at_ms = r.Int(7);
  b.updated_at_ms = r.Int(8);
  b.slot = SlotFrom(r, 9);
  return b;
}

std::string Payload(const BookingRow& b) {
  return "{\"confirmation_code\":" + JsonString(b.confirmation_code) + ",\"venue_id\":" + std::to_string(b.slot.venue_id) +
         ",\"starts_at_ms\":" + std::to_string(b.slot.starts_at_ms) + ",\"dose\":" + std::to_string(b.dose) +
         ",\"vaccine\":" + JsonString(b.slot.vaccine) + "}";
}

Status Enqueue(Connection& conn, const std::string& tenant, const std::string& kind, const BookingRow& b, int64_t due_ms,
               int64_t now_ms) {
  return conn
      .Query("INSERT INTO outbox (tenant_code, kind, booking_id, resident_id, channel, payload, due_at, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             {tenant, kind, b.id, b.resident_id, std::string(booking::ChannelName(b.channel)), Payload(b), due_ms, now_ms})
      .status();
}

// The notice (due now) and the day-before reminder, in one statement.
Status EnqueueConfirmationAndReminder(Connection& conn, const std::string& tenant, const std::string& kind,
                                      const BookingRow& b, int64_t now_ms) {
  const std::string channel = booking::ChannelName(b.channel);
  const std::string payload = Payload(b);
  return conn
      .Query("INSERT INTO outbox (tenant_code, kind, booking_id, resident_id, channel, payload, due_at, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, 'reminder', ?, ?, ?, ?, ?, ?)",
             {tenant, kind, b.id, b.resident_id, channel, payload, now_ms, now_ms, tenant, b.id, b.resident_id, channel, payload,
              booking::ReminderDueMs(b.slot.starts_at_ms, now_ms), now_ms})
      .status();
}

// Takes one seat; kFailedPrecondition "slot_full" when none is left.
Status TakeSeat(Connection& conn, const std::string& tenant, int64_t slot_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("UPDATE slots SET booked = booked + 1 WHERE id = ? AND tenant_code = ? "
                                                   "AND booked < capacity RETURNING booked",
                                                   {slot_id, tenant}));
  if (rows.empty()) return FailedPreconditionError("this time is fully booked", "slot_full");
  return Status::Ok();
}

Status FreeSeat(Connection& conn, int64_t slot_id) {
  return conn.Query("UPDATE slots SET booked = booked - 1 WHERE id = ? AND booked > 0", {slot_id}).status();
}

// The oldest waiting entry that fits a freed seat gets an offer in the outbox.
Status OfferToWaitlist(Connection& conn, const std::string& tenant, const SlotRow& slot, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT id, resident_id FROM waitlist WHERE tenant_code = ? AND state = 'waiting' AND dose = ? "
                            "AND (venue_id IS NULL OR venue_id = ?) ORDER BY id LIMIT 1",
                            {tenant, static_cast<int64_t>(slot.dose), slot.venue_id}));
  if (rows.empty()) return Status::Ok();
  const int64_t id = rows[0].Int(0), resident = rows[0].Int(1);
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("UPDATE waitlist SET state = 'offered', offered_slot_id = ?, offered_at = ? WHERE id = ?",
                                       {slot.id, now_ms, id})
                                .status());
  const std::string payload = "{\"slot_id\":" + std::to_string(slot.id) + ",\"venue\":" + JsonString(slot.venue_name) +
                              ",\"starts_at_ms\":" + std::to_string(slot.starts_at_ms) + "}";
  return conn
      .Query("INSERT INTO outbox (tenant_code, kind, resident_id, channel, payload, due_at, created_at) "
             "VALUES (?, 'waitlist_offer', ?, 'sms', ?, ?, ?)",
             {tenant, resident, payload, now_ms, now_ms})
      .status();
}

Status CheckBookable(const SlotRow& slot, const ResidentRow& resident, const booking::Rules& rules,
                     const std::vector<booking::PriorDose>& prior, int64_t now_ms) {
  if (slot.starts_at_ms <= now_ms) return FailedPreconditionError("this time has already started", "slot_past");
  return booking::CheckEligibility(rules, resident.r.birth_date, slot.dose, booking::JapanDay(slot.starts_at_ms), slot.vaccine,
                                   prior);
}

}  // namespace

// ---- residents ----

Result<ImportCounts> ImportResidents(Connection& conn, const std::string& tenant, const std::vector<booking::Resident>& list,
                                     int64_t now_ms) {
  // Who holds which ticket now, so the file can be checked row by row in memory, with the answer
  // a row-at-a-time import would give (a ticket freed by an earlier row may be taken by a later one).
  MADOGUCHI_ASSIGN_OR_RETURN(Rows held, conn.Query("SELECT address_number, ticket_number FROM residents WHERE tenant_code = ?",
                                                   {tenant}));
  std::unordered_map<std::string, std::string> ticket_of, holder_of;
  ticket_of.reserve(held.size() + list.size());
  holder_of.reserve(held.size() + list.size());
  for (const Row& row : held) {
    ticket_of[row.Text(0)] = row.Text(1);
    holder_of[row.Text(1)] = row.Text(0);
  }
  ImportCounts counts;
  for (size_t i = 0; i < list.size(); ++i) {
    const booking::Resident& r = list[i];
    if (auto h = holder_of.find(r.ticket_number); h != holder_of.end() && h->second != r.address_number) {
      return AlreadyExistsError("row " + std::to_string(i + 1), "券番号 " + r.ticket_number + " belongs to another 宛名番号",
                                "ticket_taken");
    }
    if (auto t = ticket_of.find(r.address_number); t != ticket_of.end()) {
      holder_of.erase(t->second);
      t->second = r.ticket_number;
      ++counts.updated;
    } else {
      ticket_of.emplace(r.address_number, r.ticket_number);
      ++counts.inserted;
    }
    holder_of[r.ticket_number] = r.address_number;
  }

  // Then many rows per statement: one round trip per 500 residents, not two per resident.
  constexpr size_t kRowsPerStatement = 500;
  constexpr std::string_view kInsert =
      "INSERT INTO residents (tenant_code, address_number, ticket_number, name, name_kana, kana_compact, birth_date, "
      "address, phone, phone_digits, updated_at, created_at) VALUES ";
  constexpr std::string_view kUpsert =
      " ON CONFLICT (tenant_code, address_number) DO UPDATE SET ticket_number = excluded.ticket_number, "
      "name = excluded.name, name_kana = excluded.name_kana, kana_compact = excluded.kana_compact, "
      "birth_date = excluded.birth_date, address = excluded.address, phone = excluded.phone, "
      "phone_digits = excluded.phone_digits, updated_at = excluded.updated_at";
  std::vector<Value> params;
  std::string sql;
  for (size_t first = 0; first < list.size(); first += kRowsPerStatement) {
    const size_t last = std::min(list.size(), first + kRowsPerStatement);
    sql.assign(kInsert);
    params.clear();
    for (size_t i = first; i < last; ++i) {
      const booking::Resident& r = list[i];
      sql += i == first ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      params.insert(params.end(), {tenant, r.address_number, r.ticket_number, r.name, r.name_kana,
                                   booking::CompactKana(r.name_kana), booking::FormatDay(r.birth_date), r.address,
                                   r.phone, booking::PhoneDigits(r.phone), now_ms, now_ms});
    }
    sql += kUpsert;
    Result<Rows> done = conn.Query(sql, params);
    if (!done.ok()) {
      if (done.status().code() == StatusCode::kAlreadyExists) {
        // The check above should have caught it; name the rows rather than guess one.
        return AlreadyExistsError("rows " + std::to_string(first + 1) + "-" + std::to_string(last),
                                  "a 券番号 in these rows belongs to another 宛名番号", "ticket_taken");
      }
      return done.status();
    }
  }
  return counts;
}

Result<std::optional<ResidentRow>> FindResidentByTicket(Connection& conn, const std::string& tenant, const std::string& ticket) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kResidentColumns +
                                                       " FROM residents WHERE tenant_code = ? AND ticket_number = ?",
                                                   {tenant, ticket}));
  if (rows.empty()) return std::optional<ResidentRow>();
  return std::optional<ResidentRow>(ResidentFrom(rows[0]));
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
  if (!row.IsNull(3)) out.resident = ResidentFrom(row, 3);
  return out;
}

Result<ResidentRow> GetResident(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kResidentColumns +
                                                       " FROM residents WHERE tenant_code = ? AND id = ?",
                                                   {tenant, id}));
  if (rows.empty()) return NotFoundError("no such resident", "resident_not_found");
  return ResidentFrom(rows[0]);
}

Result<std::vector<ResidentRow>> SearchResidents(Connection& conn, const std::string& tenant, const std::string& query, int limit) {
  const std::string digits = booking::PhoneDigits(query);
  const std::string kana = booking::CompactKana(query);
  Result<Rows> rows = Rows{};
  const std::string base = std::string("SELECT ") + kResidentColumns + " FROM residents WHERE tenant_code = ? AND ";
  if (!digits.empty() && digits.size() == query.size() && digits.size() == 10) {
    // A 10-digit number is a ticket or a phone number: two index lookups (an OR would scan).
    rows = conn.Query(base + "ticket_number = ? ORDER BY id LIMIT ?", {tenant, digits, int64_t{limit}});
    if (rows.ok() && rows->empty()) rows = conn.Query(base + "phone_digits = ? ORDER BY id LIMIT ?", {tenant, digits, int64_t{limit}});
  } else if (!digits.empty() && booking::PhoneDigits(query).size() >= 10) {
    rows = conn.Query(base + "phone_digits = ? ORDER BY id LIMIT ?", {tenant, digits, int64_t{limit}});
  } else if (!kana.empty() && booking::IsKatakana(query)) {
    // Prefix match on the kana without spaces: a range scan on the index.
    rows = conn.Query(base + "kana_compact >= ? AND kana_compact < ? ORDER BY kana_compact, id LIMIT ?",
                      {tenant, kana, kana + "\xEF\xBF\xBF", int64_t{limit}});
  } else {
    return InvalidArgumentError("q", "search by 券番号 (10 digits), phone number or name in katakana");
  }
  if (!rows.ok()) return rows.status();
  std::vector<ResidentRow> out;
  for (const Row& r : *rows) out.push_back(ResidentFrom(r));
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

Result<std::vector<VenueRow>> ListVenues(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT id, name, address FROM venues WHERE tenant_code = ? ORDER BY id", {tenant}));
  std::vector<VenueRow> out;
  for (const Row& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
  return out;
}

Result<int64_t> InsertSlot(Connection& conn, const std::string& tenant, int64_t venue_id, const booking::Slot& s, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows venue, conn.Query("SELECT id FROM venues WHERE tenant_code = ? AND id = ?", {tenant, venue_id}));
  if (venue.empty()) return Status(StatusCode::kNotFound, "venue_not_found", "no such venue in this municipality", "venue_id");
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("INSERT INTO slots (tenant_code, venue_id, starts_at, ends_at, capacity, vaccine, dose, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            {tenant, venue_id, s.starts_at_ms, s.ends_at_ms, int64_t{s.capacity}, s.vaccine, int64_t{s.dose}, now_ms}));
  return rows[0].Int(0);
}

Result<std::vector<SlotRow>> ListSlots(Connection& conn, const std::string& tenant, const SlotFilter& f) {
  std::string sql = std::string("SELECT ") + kSlotColumns + " FROM slots s JOIN venues v ON v.id = s.venue_id WHERE s.tenant_code = ?";
  std::vector<Value> params = {tenant};
  if (f.venue_id) {
    sql += " AND s.venue_id = ?";
    params.push_back(*f.venue_id);
  }
  if (f.day) {
    sql += " AND s.starts_at >= ? AND s.starts_at < ?";
    const int64_t from = booking::JapanMidnightMs(*f.day);
    params.push_back(from);
    params.push_back(from + kDayMs);
  }
  if (f.after_ms) {
    sql += " AND s.starts_at > ?";
    params.push_back(*f.after_ms);
  }
  if (f.only_with_seats) sql += " AND s.booked < s.capacity";
  sql += " ORDER BY s.starts_at, s.venue_id, s.id LIMIT ?";
  params.push_back(int64_t{f.limit});
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, params));
  std::vector<SlotRow> out;
  for (const Row& r : rows) out.push_back(SlotFrom(r));
  return out;
}

Result<SlotRow> GetSlot(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string("SELECT ") + kSlotColumns +
                                                       " FROM slots s JOIN venues v ON v.id = s.venue_id "
                                                       "WHERE s.tenant_code = ? AND s.id = ?",
                                                   {tenant, id}));
  if (rows.empty()) return Status(StatusCode::kNotFound, "slot_not_found", "no such time slot", "slot_id");
  return SlotFrom(rows[0]);
}

// ---- bookings ----

// The happy path is four statements (take the seat, insert the booking, queue two messages):
// the seat is taken first and everything else is checked after, because a failure rolls the
// seat back with the rest (the caller's transaction or savepoint).
Result<BookingRow> BookSeat(Connection& conn, const BookRequest& q) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows taken, conn.Query("UPDATE slots SET booked = booked + 1 WHERE id = ? AND tenant_code = ? "
                                                    "AND booked < capacity RETURNING id, venue_id, starts_at, ends_at, "
                                                    "capacity, booked, vaccine, dose, "
                                                    "(SELECT name FROM venues WHERE venues.id = slots.venue_id)",
                                                    {q.slot_id, q.tenant}));
  if (taken.empty()) {
    // Not found, or full; a ticket that already holds a booking hears that rather than "full".
    MADOGUCHI_ASSIGN_OR_RETURN(SlotRow full, GetSlot(conn, q.tenant, q.slot_id));
    MADOGUCHI_ASSIGN_OR_RETURN(Rows active, conn.Query("SELECT 1 FROM bookings WHERE tenant_code = ? AND resident_id = ? "
                                                       "AND dose = ? AND state IN ('booked','checked_in')",
                                                       {q.tenant, q.resident.id, int64_t{full.dose}}));
    if (!active.empty()) return FailedPreconditionError("this ticket already has a booking for this dose", "already_booked");
    return FailedPreconditionError("this time is fully booked", "slot_full");
  }
  SlotRow slot;
  const Row& t = taken[0];
  slot.id = t.Int(0);
  slot.venue_id = t.Int(1);
  slot.starts_at_ms = t.Int(2);
  slot.ends_at_ms = t.Int(3);
  slot.capacity = static_cast<int>(t.Int(4));
  slot.booked = static_cast<int>(t.Int(5));
  slot.vaccine = t.Text(6);
  slot.dose = static_cast<int>(t.Int(7));
  slot.venue_name = t.Text(8);
  // The rules need the doses already given for a later dose. For dose 1 (the opening-day rush)
  // the insert itself refuses a resident whose dose 1 is recorded, which spares the single
  // writer a query; the refusal is then explained by the same rule (booking::CheckEligibility).
  std::vector<booking::PriorDose> prior;
  if (slot.dose > 1) {
    MADOGUCHI_ASSIGN_OR_RETURN(prior, PriorDoses(conn, q.tenant, q.resident.id));
  }
  MADOGUCHI_RETURN_IF_ERROR(CheckBookable(slot, q.resident, q.rules, prior, q.now_ms));
  // Random codes (31^8) do not collide in practice; the unique index would refuse one that did.
  const std::string code = booking::NewConfirmationCode();
  Result<Rows> inserted = conn.Query(
      "INSERT INTO bookings (tenant_code, resident_id, dose, slot_id, state, channel, confirmation_code, created_by, "
      "created_at, updated_at) SELECT ?, ?, ?, ?, 'booked', ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM vaccinations "
      "WHERE tenant_code = ? AND resident_id = ? AND dose = ?) RETURNING id",
      {q.tenant, q.resident.id, int64_t{slot.dose}, slot.id, std::string(booking::ChannelName(q.channel)), code,
       q.staff_user_id ? Value(*q.staff_user_id) : Value(nullptr), q.now_ms, q.now_ms, q.tenant, q.resident.id,
       int64_t{slot.dose}});
  if (inserted.ok() && inserted->empty()) {
    MADOGUCHI_ASSIGN_OR_RETURN(prior, PriorDoses(conn, q.tenant, q.resident.id));
    MADOGUCHI_RETURN_IF_ERROR(CheckBookable(slot, q.resident, q.rules, prior, q.now_ms));
    return InternalError("a recorded dose refused the booking, but the rules found none");
  }
  if (!inserted.ok()) {
    // The partial unique index: this ticket already holds an active booking for the dose. (On
    // PostgreSQL the transaction is now aborted: the caller rolls back.)
    if (inserted.status().code() == StatusCode::kAlreadyExists) {
      return FailedPreconditionError("this ticket already has a booking for this dose", "already_booked");
    }
    return inserted.status();
  }
  BookingRow b;
  b.id = (*inserted)[0].Int(0);
  b.resident_id = q.resident.id;
  b.ticket_number = q.resident.r.ticket_number;
  b.dose = slot.dose;
  b.state = State::kBooked;
  b.channel = q.channel;
  b.confirmation_code = code;
  b.created_at_ms = b.updated_at_ms = q.now_ms;
  b.slot = slot;
  MADOGUCHI_RETURN_IF_ERROR(EnqueueConfirmationAndReminder(conn, q.tenant, "booking_confirmed", b, q.now_ms));
  return b;
}

Result<BookingRow> ChangeBooking(Connection& conn, const std::string& tenant, int64_t booking_id, int64_t new_slot_id,
                                 const booking::Rules& rules, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(BookingRow b, GetBooking(conn, tenant, booking_id));
  if (b.state != State::kBooked) return booking::CheckTransition(b.state, State::kCancelled).ok()
                                            ? FailedPreconditionError("a checked-in booking cannot be moved", "bad_transition")
                                            : FailedPreconditionError("this booking is no longer active", "bad_transition");
  if (b.slot.id == new_slot_id) return b;
  MADOGUCHI_ASSIGN_OR_RETURN(SlotRow target, GetSlot(conn, tenant, new_slot_id));
  if (target.dose != b.dose) return InvalidArgumentError("slot_id", "that time is for another dose");
  MADOGUCHI_ASSIGN_OR_RETURN(ResidentRow resident, GetResident(conn, tenant, b.resident_id));
  MADOGUCHI_ASSIGN_OR_RETURN(auto prior, PriorDoses(conn, tenant, b.resident_id));
  MADOGUCHI_RETURN_IF_ERROR(CheckBookable(target, resident, rules, prior, now_ms));
  MADOGUCHI_RETURN_IF_ERROR(TakeSeat(conn, tenant, target.id));
  MADOGUCHI_RETURN_IF_ERROR(FreeSeat(conn, b.slot.id));
  MADOGUCHI_RETURN_IF_ERROR(
      conn.Query("UPDATE bookings SET slot_id = ?, updated_at = ? WHERE id = ?", {target.id, now_ms, b.id}).status());
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("UPDATE outbox SET state = 'cancelled' WHERE booking_id = ? AND kind = 'reminder' AND state = 'pending'",
                                       {b.id})
                                .status());
  const SlotRow old = b.slot;
  b.slot = target;
  b.slot.booked += 1;
  b.updated_at_ms = now_ms;
  MADOGUCHI_RETURN_IF_ERROR(EnqueueConfirmationAndReminder(conn, tenant, "booking_changed", b, now_ms));
  MADOGUCHI_RETURN_IF_ERROR(OfferToWaitlist(conn, tenant, old, now_ms));
  return b;
}

Result<BookingRow> CancelBooking(Connection& conn, const std::string& tenant, int64_t booking_id, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(BookingRow b, GetBooking(conn, tenant, booking_id));
  MADOGUCHI_RETURN_IF_ERROR(booking::CheckTransition(b.state, State::kCancelled));
  MADOGUCHI_ASSIGN_OR_RETURN(Rows updated, conn.Query("UPDATE bookings SET state = 'cancelled', updated_at = ? WHERE id = ? "
                                                      "AND state IN ('booked','checked_in') RETURNING id",
                                                      {now_ms, b.id}));
  if (updated.empty()) return FailedPreconditionError("this booking is no longer active", "bad_transition");
  MADOGUCHI_RETURN_IF_ERROR(FreeSeat(conn, b.slot.id));
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("UPDATE outbox SET state = 'cancelled' WHERE booking_id = ? AND kind = 'reminder' AND state = 'pending'",
                                       {b.id})
                                .status());
  b.state = State::kCancelled;
  b.updated_at_ms = now_ms;
  b.slot.booked -= 1;
  MADOGUCHI_RETURN_IF_ERROR(Enqueue(conn, tenant, "booking_cancelled", b, now_ms, now_ms));
  MADOGUCHI_RETURN_IF_ERROR(OfferToWaitlist(conn, tenant, b.slot, now_ms));
  return b;
}

Result<BookingRow> SetBookingState(Connection& conn, const std::string& tenant, int64_t booking_id, State to, int64_t now_ms,
                                   const std::string& lot, const std::string& doctor) {
  if (to == State::kCancelled) return CancelBooking(conn, tenant, booking_id, now_ms);
  MADOGUCHI_ASSIGN_OR_RETURN(BookingRow b, GetBooking(conn, tenant, booking_id));
  MADOGUCHI_RETURN_IF_ERROR(booking::CheckTransition(b.state, to));
  MADOGUCHI_ASSIGN_OR_RETURN(Rows updated, conn.Query("UPDATE bookings SET state = ?, updated_at = ? WHERE id = ? AND state = ? RETURNING id",
                                                      {std::string(booking::StateName(to)), now_ms, b.id,
                                                       std::string(booking::StateName(b.state))}));
  if (updated.empty()) return ConflictError("the booking changed meanwhile");
  if (to == State::kNoShow) {
    MADOGUCHI_RETURN_IF_ERROR(FreeSeat(conn, b.slot.id));
    b.slot.booked -= 1;
    MADOGUCHI_RETURN_IF_ERROR(OfferToWaitlist(conn, tenant, b.slot, now_ms));
  }
  if (to == State::kVaccinated) {
    MADOGUCHI_RETURN_IF_ERROR(
        conn.Query("INSERT INTO vaccinations (tenant_code, resident_id, dose, vaccinated_on, vaccine, lot, venue_name, doctor_name, "
                   "source, booking_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booking', ?, ?)",
                   {tenant, b.resident_id, int64_t{b.dose}, booking::FormatDay(booking::JapanDay(b.slot.starts_at_ms)), b.slot.vaccine,
                    lot, b.slot.venue_name, doctor, b.id, now_ms})
            .status());
  }
  b.state = to;
  b.updated_at_ms = now_ms;
  return b;
}

Result<std::optional<BookingRow>> FindBookingByCode(Connection& conn, const std::string& tenant, const std::string& code) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string(kBookingSelect) + "WHERE b.tenant_code = ? AND b.confirmation_code = ?",
                                                   {tenant, code}));
  if (rows.empty()) return std::optional<BookingRow>();
  return std::optional<BookingRow>(BookingFrom(rows[0]));
}

Result<BookingRow> GetBooking(Connection& conn, const std::string& tenant, int64_t id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string(kBookingSelect) + "WHERE b.tenant_code = ? AND b.id = ?", {tenant, id}));
  if (rows.empty()) return NotFoundError("no such booking", "booking_not_found");
  return BookingFrom(rows[0]);
}

Result<std::vector<BookingRow>> BookingsOfResident(Connection& conn, const std::string& tenant, int64_t resident_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(std::string(kBookingSelect) + "WHERE b.tenant_code = ? AND b.resident_id = ? "
                                                                                 "ORDER BY b.id DESC",
                                                   {tenant, resident_id}));
  std::vector<BookingRow> out;
  for (const Row& r : rows) out.push_back(BookingFrom(r));
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
      .Query("INSERT INTO resident_sessions (token_hash, tenant_code, resident_id, created_at, expires_at) "
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
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("DELETE FROM resident_sessions WHERE token_hash = ? OR expires_at <= ?", {token_hash, now_ms}).status());
  return Status::Ok();
}

Result<std::vector<booking::VrsPerson>> VrsExport(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn.Query("SELECT r.address_number, v.dose, v.recorded_at, v.vaccinated_on, r.ticket_number, v.venue_name, "
                            "v.doctor_name, v.vaccine, v.lot FROM vaccinations v JOIN residents r ON r.id = v.resident_id "
                            "WHERE v.tenant_code = ? ORDER BY r.address_number, v.dose",
                            {tenant}));
  std::vector<booking::VrsPerson> out;
  for (const Row& r : rows) {
    if (out.empty() || out.back().address_number != r.Text(0)) out.push_back({r.Text(0), {}});
    booking::VrsDose d;
    d.dose = static_cast<int>(r.Int(1));
    d.registered_at_ms = r.Int(2);
    d.vaccinated_on = booking::ParseDay(r.Text(3)).value_or(booking::Day{});
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

Result<VrsReconcile> VrsImportRecords(Connection& conn, const std::string& tenant, const std::vector<booking::VrsPerson>& people,
                                      int64_t now_ms) {
  VrsReconcile out;
  for (size_t i = 0; i < people.size(); ++i) {
    const int row = static_cast<int>(i) + 1;
    const auto& p = people[i];
    MADOGUCHI_ASSIGN_OR_RETURN(Rows who, conn.Query("SELECT id FROM residents WHERE tenant_code = ? AND address_number = ?",
                                                    {tenant, p.address_number}));
    if (who.empty()) {
      out.problems.push_back({row, "個別宛名番号", "is not on this municipality's list"});
      continue;
    }
    const int64_t resident = who[0].Int(0);
    ++out.people;
    for (const auto& d : p.doses) {
      const std::string n = std::to_string(d.dose) + "回目";
      MADOGUCHI_ASSIGN_OR_RETURN(Rows ours, conn.Query("SELECT vaccinated_on, vaccine FROM vaccinations WHERE tenant_code = ? "
                                                       "AND resident_id = ? AND dose = ?",
                                                       {tenant, resident, int64_t{d.dose}}));
      if (!ours.empty()) {
        const std::string day = booking::FormatDay(d.vaccinated_on);
        if (ours[0].Text(0) != day) {
          out.problems.push_back({row, n + "接種日", "is " + day + "; our record says " + ours[0].Text(0)});
        } else if (ours[0].Text(1) != d.vaccine) {
          out.problems.push_back({row, n + "ワクチンメーカー", "is " + booking::VrsMakerName(d.vaccine) + "; our record says " +
                                                               booking::VrsMakerName(ours[0].Text(1))});
        } else {
          ++out.doses_matched;
        }
        continue;
      }
      MADOGUCHI_RETURN_IF_ERROR(
          conn.Query("INSERT INTO vaccinations (tenant_code, resident_id, dose, vaccinated_on, vaccine, lot, venue_name, doctor_name, "
                     "source, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'vrs', ?)",
                     {tenant, resident, int64_t{d.dose}, booking::FormatDay(d.vaccinated_on), d.vaccine, d.lot, d.venue_name,
                      d.doctor_name, now_ms})
              .status());
      ++out.doses_added;
    }
  }
  return out;
}

Result<int64_t> JoinWaitlist(Connection& conn, const std::string& tenant, int64_t resident_id, int dose,
                             std::optional<int64_t> venue_id, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows existing, conn.Query("SELECT id FROM waitlist WHERE tenant_code = ? AND resident_id = ? AND dose = ? "
                                                       "AND state = 'waiting'",
                                                       {tenant, resident_id, int64_t{dose}}));
  if (!existing.empty()) return existing[0].Int(0);
  if (venue_id) {
    // Only this municipality's venues (another's id once reached the database's foreign key, whose
    // raw message went back to the caller).
    MADOGUCHI_ASSIGN_OR_RETURN(Rows venue, conn.Query("SELECT 1 FROM venues WHERE tenant_code = ? AND id = ?", {tenant, *venue_id}));
    if (venue.empty()) return Status(StatusCode::kNotFound, "venue_not_found", "no such venue in this municipality", "venue_id");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("INSERT INTO waitlist (tenant_code, resident_id, dose, venue_id, state, created_at) "
                                                   "VALUES (?, ?, ?, ?, 'waiting', ?) RETURNING id",
                                                   {tenant, resident_id, int64_t{dose}, venue_id ? Value(*venue_id) : Value(nullptr), now_ms}));
  return rows[0].Int(0);
}

Result<std::vector<OutboxRow>> ListOutbox(Connection& conn, const std::string& tenant, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT id, kind, channel, payload, state, booking_id, resident_id, due_at FROM outbox "
                                                   "WHERE tenant_code = ? ORDER BY id LIMIT ?",
                                                   {tenant, int64_t{limit}}));
  std::vector<OutboxRow> out;
  for (const Row& r : rows) {
    OutboxRow o;
    o.id = r.Int(0);
    o.kind = r.Text(1);
    o.channel = r.Text(2);
    o.payload = r.Text(3);
    o.state = r.Text(4);
    if (!r.IsNull(5)) o.booking_id = r.Int(5);
    if (!r.IsNull(6)) o.resident_id = r.Int(6);
    o.due_at_ms = r.Int(7);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::optional<StoredResponse>> FindIdempotencyKey(Connection& conn, const std::string& tenant, const std::string& key) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT request_hash, status, body FROM idempotency_keys WHERE tenant_code = ? AND idem_key = ?",
                                                   {tenant, key}));
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
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT dose, vaccinated_on, vaccine FROM vaccinations WHERE tenant_code = ? AND resident_id = ? "
                                                   "ORDER BY dose",
                                                   {tenant, resident_id}));
  std::vector<booking::PriorDose> out;
  for (const Row& r : rows) {
    out.push_back({static_cast<int>(r.Int(0)), booking::ParseDay(r.Text(1)).value_or(booking::Day{}), r.Text(2)});
  }
  return out;
}

Result<std::optional<std::string>> TenantRulesJson(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT rules_json FROM tenant_settings WHERE tenant_code = ?", {tenant}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

Status SaveTenantRulesJson(Connection& conn, const std::string& tenant, const std::string& json, int64_t now_ms) {
  return conn
      .Query("INSERT INTO tenant_settings (tenant_code, rules_json, updated_at) VALUES (?, ?, ?) "
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

Result<int64_t> InsertCallRecord(Connection& conn, const std::string& tenant, const CallRecord& r, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("INSERT INTO call_records (tenant_code, user_id, resident_id, category, started_at, "
                                                   "handle_sec, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                   {tenant, r.user_id, r.resident_id ? Value(*r.resident_id) : Value(nullptr),
                                                    r.category, r.started_at_ms, int64_t{r.handle_sec}, r.note, now_ms}));
  return rows[0].Int(0);
}

Result<std::vector<std::pair<int64_t, int>>> CallTimes(Connection& conn, const std::string& tenant, int64_t from_ms, int64_t to_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT started_at, handle_sec FROM call_records WHERE tenant_code = ? "
                                                   "AND started_at >= ? AND started_at < ? ORDER BY started_at",
                                                   {tenant, from_ms, to_ms}));
  std::vector<std::pair<int64_t, int>> out;
  for (const Row& r : rows) out.emplace_back(r.Int(0), static_cast<int>(r.Int(1)));
  return out;
}

Result<std::vector<std::pair<int64_t, int64_t>>> CallCountsByDay(Connection& conn, const std::string& tenant, int64_t from_ms,
                                                                  int64_t to_ms, int64_t utc_offset_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT (started_at + ?) / 86400000 AS day, COUNT(*) FROM call_records "
                                                   "WHERE tenant_code = ? AND started_at >= ? AND started_at < ? "
                                                   "GROUP BY day ORDER BY day",
                                                   {utc_offset_ms, tenant, from_ms, to_ms}));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(r.Int(0), r.Int(1));
  return out;
}

Result<int64_t> CountCallRecords(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT COUNT(*) FROM call_records WHERE tenant_code = ?", {tenant}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace madoguchi::store
