#include "store/booking/port.hpp"

#include "store/booking/bookings.hpp"
#include "store/outbox/messages.hpp"

#include <algorithm>
#include <unordered_map>

namespace madoguchi::store {

using booking::Channel;
using booking::State;

namespace {

// id, resident_id, dose, phone, created_at
booking::WaitingEntry WaitingFrom(const Row& r) {
  return booking::WaitingEntry{r.Int(0), r.Int(1), static_cast<int>(r.Int(2)), r.Text(3), r.Int(4)};
}

}  // namespace

// ---- the booking core's storage (booking::BookingPort) ----

// The states that count as active, as SQL: from booking::IsActive, so "active" is defined once.
const std::string& ActiveStatesSql() {
  static const std::string sql = [] {
    std::string out;
    for (State st : {State::kBooked, State::kCheckedIn, State::kVaccinated, State::kCancelled, State::kNoShow}) {
      if (!booking::IsActive(st)) continue;
      out += (out.empty() ? "('" : ",'") + std::string(booking::StateName(st)) + "'";
    }
    return out + ")";
  }();
  return sql;
}

SqlBookingPort::SqlBookingPort(Connection& conn) : conn_(conn) {}

Result<std::optional<booking::SeatTaken>> SqlBookingPort::TakeSeat(const std::string& tenant, int64_t slot_id, int64_t resident_id) {
  // One statement: the seat, and what the rules need to know about it (the venue's name for the
  // messages, whether this dose is recorded or already booked for the resident).
  static const std::string sql =
      "UPDATE slots SET booked = booked + 1 WHERE id = ? AND tenant_code = ? AND booked < capacity AND closed_at IS NULL RETURNING id, venue_id, "
      "starts_at, ends_at, capacity, booked, vaccine, dose, (SELECT name FROM venues WHERE venues.id = slots.venue_id), "
      "EXISTS (SELECT 1 FROM vaccinations WHERE tenant_code = ? AND resident_id = ? AND dose = slots.dose), "
      "EXISTS (SELECT 1 FROM bookings WHERE tenant_code = ? AND resident_id = ? AND dose = slots.dose AND state IN " +
      ActiveStatesSql() + ")";
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query(sql, {slot_id, tenant, tenant, resident_id, tenant, resident_id}));
  if (rows.empty()) return std::optional<booking::SeatTaken>();
  const Row& t = rows[0];
  booking::SeatTaken out;
  out.slot.id = t.Int(0);
  out.slot.venue_id = t.Int(1);
  out.slot.starts_at_ms = t.Int(2);
  out.slot.ends_at_ms = t.Int(3);
  out.slot.capacity = static_cast<int>(t.Int(4));
  out.slot.booked = static_cast<int>(t.Int(5));
  out.slot.vaccine = t.Text(6);
  out.slot.dose = static_cast<int>(t.Int(7));
  out.slot.venue_name = t.Text(8);
  out.dose_recorded = t.Int(9) != 0;
  out.holds_active = t.Int(10) != 0;
  return std::optional<booking::SeatTaken>(std::move(out));
}

Status SqlBookingPort::FreeSeat(const std::string& tenant, int64_t slot_id) {
  return conn_.Query("UPDATE slots SET booked = booked - 1 WHERE id = ? AND tenant_code = ? AND booked > 0", {slot_id, tenant}).status();
}

Result<booking::SlotRecord> SqlBookingPort::GetSlot(const std::string& tenant, int64_t slot_id) {
  return store::GetSlot(conn_, tenant, slot_id);
}

Result<booking::ResidentRecord> SqlBookingPort::GetResident(const std::string& tenant, int64_t resident_id) {
  return store::GetResident(conn_, tenant, resident_id);
}

Result<std::vector<booking::PriorDose>> SqlBookingPort::PriorDoses(const std::string& tenant, int64_t resident_id) {
  return store::PriorDoses(conn_, tenant, resident_id);
}

Result<bool> SqlBookingPort::HoldsActiveBooking(const std::string& tenant, int64_t resident_id, int dose) {
  static const std::string sql =
      "SELECT 1 FROM bookings WHERE tenant_code = ? AND resident_id = ? AND dose = ? AND state IN " + ActiveStatesSql();
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query(sql, {tenant, resident_id, int64_t{dose}}));
  return !rows.empty();
}

Result<int64_t> SqlBookingPort::InsertBooking(const std::string& tenant, const booking::NewBooking& b) {
  // kAlreadyExists from the partial unique index (one active booking per ticket and dose). On
  // PostgreSQL the transaction is then aborted: the caller rolls back.
  return conn_.InsertReturningId(
      "INSERT INTO bookings (tenant_code, resident_id, dose, slot_id, state, channel, confirmation_code, created_by, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {tenant, b.resident_id, int64_t{b.dose}, b.slot_id, std::string(booking::StateName(State::kBooked)),
       std::string(booking::ChannelName(b.channel)), b.confirmation_code, b.staff_user_id ? Value(*b.staff_user_id) : Value(nullptr),
       b.now_ms, b.now_ms});
}

Result<booking::BookingRecord> SqlBookingPort::GetBooking(const std::string& tenant, int64_t booking_id) {
  return store::GetBooking(conn_, tenant, booking_id);
}

Result<bool> SqlBookingPort::UpdateState(const std::string& tenant, int64_t booking_id, State from, State to, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn_.Query("UPDATE bookings SET state = ?, updated_at = ? WHERE id = ? AND tenant_code = ? "
                             "AND state = ? RETURNING id",
                             {std::string(booking::StateName(to)), now_ms, booking_id, tenant, std::string(booking::StateName(from))}));
  return !rows.empty();
}

Status SqlBookingPort::MoveToSlot(const std::string& tenant, int64_t booking_id, int64_t slot_id, int64_t now_ms) {
  return conn_
      .Query("UPDATE bookings SET slot_id = ?, updated_at = ? WHERE id = ? AND tenant_code = ?", {slot_id, now_ms, booking_id, tenant})
      .status();
}

Status SqlBookingPort::InsertVaccination(const std::string& tenant, const booking::Vaccination& v) {
  return conn_
      .Query(
          "INSERT INTO vaccinations (tenant_code, resident_id, dose, vaccinated_on, vaccine, lot, venue_name, doctor_name, "
          "source, booking_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {tenant, v.resident_id, int64_t{v.dose}, FormatIsoDate(v.day), v.vaccine, v.lot, v.venue_name, v.doctor, v.source,
           v.booking_id ? Value(*v.booking_id) : Value(nullptr), v.now_ms})
      .status();
}

Result<std::vector<booking::TicketHolder>> SqlBookingPort::TicketHolders(const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows held, conn_.Query("SELECT address_number, ticket_number FROM residents WHERE tenant_code = ?", {tenant}));
  std::vector<booking::TicketHolder> out;
  out.reserve(held.size());
  for (const Row& row : held) out.push_back({row.Text(0), row.Text(1)});
  return out;
}

Status SqlBookingPort::UpsertResidents(const std::string& tenant, const std::vector<booking::Resident>& list, int64_t now_ms) {
  // Then many rows per statement: one round trip per 500 residents, not two per resident.
  constexpr size_t kRowsPerStatement = 500;
  constexpr std::string_view kInsert =
      "INSERT INTO residents (tenant_code, address_number, ticket_number, name, name_kana, kana_compact, given_kana, birth_date, "
      "address, phone, phone_digits, updated_at, created_at) VALUES ";
  constexpr std::string_view kUpsert =
      " ON CONFLICT (tenant_code, address_number) DO UPDATE SET ticket_number = excluded.ticket_number, "
      "name = excluded.name, name_kana = excluded.name_kana, kana_compact = excluded.kana_compact, given_kana = excluded.given_kana, "
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
      sql += i == first ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      params.insert(params.end(), {tenant, r.address_number, r.ticket_number, r.name, r.name_kana, booking::CompactKana(r.name_kana),
                                   booking::GivenKana(r.name_kana), FormatIsoDate(r.birth_date), r.address, r.phone,
                                   booking::PhoneDigits(r.phone), now_ms, now_ms});
    }
    sql += kUpsert;
    MADOGUCHI_RETURN_IF_ERROR(conn_.Query(sql, params).status());
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> SqlBookingPort::ResidentByAddressNumber(const std::string& tenant, const std::string& address_number) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows who, conn_.Query("SELECT id FROM residents WHERE tenant_code = ? AND address_number = ?", {tenant, address_number}));
  if (who.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(who[0].Int(0));
}

// The booking's notices as outbox messages (store/outbox). A purpose or channel name the
// messaging room does not know is an error, never sent some other way.
Status SqlBookingPort::Enqueue(const std::string& tenant, std::vector<booking::Notice> notices, int64_t now_ms) {
  std::vector<messaging::Message> messages;
  messages.reserve(notices.size());
  for (booking::Notice& n : notices) {
    messaging::Message m;
    m.tenant = tenant;
    // To the resident (their phone, email or LINE looked up when sent), or to a number given.
    if (n.address.empty()) m.resident_id = n.resident_id;
    else m.address = std::move(n.address);
    for (const std::string& name : n.reach) {
      MADOGUCHI_ASSIGN_OR_RETURN(messaging::Delivery d, messaging::ParseDelivery(name));
      m.channels.push_back(d);
    }
    m.template_key = std::move(n.template_key);
    m.variables = std::move(n.variables);
    MADOGUCHI_ASSIGN_OR_RETURN(m.purpose, messaging::ParsePurpose(n.purpose));
    m.due_at_ms = n.due_at_ms;
    m.expires_at_ms = n.expires_at_ms;
    m.dedupe_key = std::move(n.dedupe_key);
    m.booking_id = n.booking_id;
    messages.push_back(std::move(m));
  }
  return EnqueueMessages(conn_, messages, now_ms);
}

Status SqlBookingPort::CancelPendingReminders(const std::string& tenant, int64_t booking_id) {
  return CancelPendingByKeyPrefix(conn_, tenant, booking::ReminderKeyPrefix(booking_id));
}

Result<std::optional<booking::WaitingEntry>> SqlBookingPort::OldestWaiting(const std::string& tenant, int dose, int64_t venue_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn_.Query("SELECT id, resident_id, dose, phone, created_at FROM waitlist WHERE tenant_code = ? "
                                         "AND state = 'waiting' AND dose = ? AND (venue_id IS NULL OR venue_id = ?) ORDER BY id LIMIT 1",
                                         {tenant, int64_t{dose}, venue_id}));
  if (rows.empty()) return std::optional<booking::WaitingEntry>();
  return std::optional<booking::WaitingEntry>(WaitingFrom(rows[0]));
}

Status SqlBookingPort::MarkOffered(const std::string& tenant, int64_t entry_id, int64_t slot_id, int64_t now_ms) {
  return conn_
      .Query("UPDATE waitlist SET state = 'offered', offered_slot_id = ?, offered_at = ? WHERE id = ? AND tenant_code = ?",
             {slot_id, now_ms, entry_id, tenant})
      .status();
}

Result<std::optional<int64_t>> SqlBookingPort::FindWaiting(const std::string& tenant, int64_t resident_id, int dose) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query("SELECT id FROM waitlist WHERE tenant_code = ? AND resident_id = ? AND dose = ? "
                                                    "AND state = 'waiting'",
                                                    {tenant, resident_id, int64_t{dose}}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

Result<std::vector<booking::WaitingEntry>> SqlBookingPort::WaitingOf(const std::string& tenant, int64_t resident_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query("SELECT id, resident_id, dose, phone, created_at FROM waitlist WHERE tenant_code = ? "
                                                    "AND resident_id = ? AND state = 'waiting' ORDER BY id",
                                                    {tenant, resident_id}));
  std::vector<booking::WaitingEntry> out;
  for (const Row& r : rows) out.push_back(WaitingFrom(r));
  return out;
}

Result<bool> SqlBookingPort::CloseWaiting(const std::string& tenant, int64_t resident_id, int64_t entry_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query("UPDATE waitlist SET state = 'closed' WHERE id = ? AND tenant_code = ? "
                                                    "AND resident_id = ? AND state = 'waiting' RETURNING id",
                                                    {entry_id, tenant, resident_id}));
  return !rows.empty();
}

Result<bool> SqlBookingPort::VenueExists(const std::string& tenant, int64_t venue_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query("SELECT 1 FROM venues WHERE tenant_code = ? AND id = ?", {tenant, venue_id}));
  return !rows.empty();
}

Result<int64_t> SqlBookingPort::InsertWaiting(const std::string& tenant, int64_t resident_id, int dose, std::optional<int64_t> venue_id,
                                              const std::string& phone, int64_t now_ms) {
  return conn_.InsertReturningId(
      "INSERT INTO waitlist (tenant_code, resident_id, dose, venue_id, state, phone, created_at) "
      "VALUES (?, ?, ?, ?, 'waiting', ?, ?)",
      {tenant, resident_id, int64_t{dose}, venue_id ? Value(*venue_id) : Value(nullptr), phone, now_ms});
}

Result<std::vector<booking::ListGroup>> SqlBookingPort::ListByBirthAndDose(const std::string& tenant) {
  // Grouped in the database: a city's list of 300,000 comes back as a few thousand rows.
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn_.Query("SELECT r.birth_date, COALESCE(v.top, 0) + 1 AS next_dose, COUNT(*) FROM residents r "
                  "LEFT JOIN (SELECT resident_id, MAX(dose) AS top FROM vaccinations WHERE tenant_code = ? GROUP BY resident_id) v "
                  "ON v.resident_id = r.id WHERE r.tenant_code = ? GROUP BY r.birth_date, COALESCE(v.top, 0) + 1",
                  {tenant, tenant}));
  std::vector<booking::ListGroup> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    const auto birth = ParseIsoDate(row.Text(0));
    if (!birth) return InternalError("a resident has the birth date '" + row.Text(0) + "'", "bad_stored_value");
    out.push_back({*birth, static_cast<int>(row.Int(1)), row.Int(2)});
  }
  return out;
}

Result<int> SqlBookingPort::SetSlotsClosed(const std::string& tenant, int64_t venue_id, int64_t from_ms, int64_t to_ms, bool closed,
                                           const std::string& reason, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query("UPDATE slots SET closed_at = ?, closed_reason = ? WHERE tenant_code = ? AND "
                                                    "venue_id = ? AND starts_at >= ? AND starts_at < ? RETURNING id",
                                                    {closed ? Value(now_ms) : Value(nullptr), reason, tenant, venue_id, from_ms, to_ms}));
  return static_cast<int>(rows.size());
}

Result<std::vector<booking::BookingToContact>> SqlBookingPort::ActiveBookingsBetween(const std::string& tenant, int64_t venue_id,
                                                                                     int64_t from_ms, int64_t to_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<booking::BookingRecord> bookings,
                             store::ActiveBookingsAtVenue(conn_, tenant, venue_id, from_ms, to_ms));
  MADOGUCHI_ASSIGN_OR_RETURN(Rows people,
                             conn_.Query("SELECT r.id, r.name, r.name_kana, r.phone FROM residents r WHERE r.tenant_code = ? AND r.id IN "
                                         "(SELECT b.resident_id FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.tenant_code = ? "
                                         "AND s.venue_id = ? AND s.starts_at >= ? AND s.starts_at < ?)",
                                         {tenant, tenant, venue_id, from_ms, to_ms}));
  std::unordered_map<int64_t, const Row*> by_id;
  for (const Row& p : people) by_id[p.Int(0)] = &p;
  std::vector<booking::BookingToContact> out;
  out.reserve(bookings.size());
  for (booking::BookingRecord& b : bookings) {
    booking::BookingToContact c;
    if (auto it = by_id.find(b.resident_id); it != by_id.end()) {
      c.name = it->second->Text(1);
      c.name_kana = it->second->Text(2);
      c.phone = it->second->Text(3);
    }
    c.booking = std::move(b);
    out.push_back(std::move(c));
  }
  return out;
}

Result<bool> SqlBookingPort::SetCapacity(const std::string& tenant, int64_t slot_id, int capacity) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn_.Query("UPDATE slots SET capacity = ? WHERE tenant_code = ? AND id = ? AND booked <= ? RETURNING id",
                                         {int64_t{capacity}, tenant, slot_id, int64_t{capacity}}));
  return !rows.empty();
}

Result<bool> SqlBookingPort::SlotHasHistory(const std::string& tenant, int64_t slot_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn_.Query("SELECT 1 WHERE EXISTS (SELECT 1 FROM bookings WHERE tenant_code = ? AND slot_id = ?) "
                                                    "OR EXISTS (SELECT 1 FROM waitlist WHERE tenant_code = ? AND offered_slot_id = ?)",
                                                    {tenant, slot_id, tenant, slot_id}));
  return !rows.empty();
}

Result<bool> SqlBookingPort::DeleteEmptySlot(const std::string& tenant, int64_t slot_id) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows, conn_.Query("DELETE FROM slots WHERE tenant_code = ? AND id = ? AND booked = 0 RETURNING id", {tenant, slot_id}));
  return !rows.empty();
}

Result<booking::Rules> SqlBookingPort::TenantRules(const std::string& tenant) { return store::TenantRules(conn_, tenant); }

}  // namespace madoguchi::store
