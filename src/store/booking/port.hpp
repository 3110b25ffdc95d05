// src/store/booking/port.hpp — the booking core's storage over SQL: booking::BookingPort on one
// connection, inside the caller's transaction (the writer's, for every change to a booking).
//
// Concurrency: a seat is taken by `UPDATE slots SET booked = booked + 1 WHERE … AND booked <
// capacity`, one row, atomic on both backends (PostgreSQL re-checks the WHERE on the row's latest
// version; SQLite has one writer); the database refuses more than capacity (a CHECK) and a second
// active booking for a ticket and dose (a partial unique index) as the backstop of the rules.
#pragma once

#include "booking/service.hpp"
#include "store/database.hpp"

namespace madoguchi::store {

class SqlBookingPort final : public booking::BookingPort {
 public:
  // `conn` must outlive the port.
  explicit SqlBookingPort(Connection& conn);

  Result<std::optional<booking::SeatTaken>> TakeSeat(const std::string& tenant, int64_t slot_id, int64_t resident_id) override;
  Status FreeSeat(const std::string& tenant, int64_t slot_id) override;
  Result<booking::SlotRecord> GetSlot(const std::string& tenant, int64_t slot_id) override;
  Result<booking::ResidentRecord> GetResident(const std::string& tenant, int64_t resident_id) override;
  Result<std::vector<booking::PriorDose>> PriorDoses(const std::string& tenant, int64_t resident_id) override;
  Result<bool> HoldsActiveBooking(const std::string& tenant, int64_t resident_id, int dose) override;
  Result<int64_t> InsertBooking(const std::string& tenant, const booking::NewBooking& b) override;
  Result<booking::BookingRecord> GetBooking(const std::string& tenant, int64_t booking_id) override;
  Result<bool> UpdateState(const std::string& tenant, int64_t booking_id, booking::State from, booking::State to, int64_t now_ms) override;
  Status MoveToSlot(const std::string& tenant, int64_t booking_id, int64_t slot_id, int64_t now_ms) override;
  Status InsertVaccination(const std::string& tenant, const booking::Vaccination& v) override;
  Result<std::vector<booking::TicketHolder>> TicketHolders(const std::string& tenant) override;
  Status UpsertResidents(const std::string& tenant, const std::vector<booking::Resident>& list, int64_t now_ms) override;
  Result<std::optional<int64_t>> ResidentByAddressNumber(const std::string& tenant, const std::string& address_number) override;
  Status Enqueue(const std::string& tenant, std::vector<booking::Notice> notices, int64_t now_ms) override;
  Status CancelPendingReminders(const std::string& tenant, int64_t booking_id) override;
  Result<std::optional<booking::WaitingEntry>> OldestWaiting(const std::string& tenant, int dose, int64_t venue_id) override;
  Status MarkOffered(const std::string& tenant, int64_t entry_id, int64_t slot_id, int64_t now_ms) override;
  Result<std::optional<int64_t>> FindWaiting(const std::string& tenant, int64_t resident_id, int dose) override;
  Result<std::vector<booking::WaitingEntry>> WaitingOf(const std::string& tenant, int64_t resident_id) override;
  Result<bool> CloseWaiting(const std::string& tenant, int64_t resident_id, int64_t entry_id) override;
  Result<bool> VenueExists(const std::string& tenant, int64_t venue_id) override;
  Result<int64_t> InsertWaiting(const std::string& tenant, int64_t resident_id, int dose, std::optional<int64_t> venue_id,
                                const std::string& phone, int64_t now_ms) override;
  Result<std::vector<booking::ListGroup>> ListByBirthAndDose(const std::string& tenant) override;
  Result<int> SetSlotsClosed(const std::string& tenant, int64_t venue_id, int64_t from_ms, int64_t to_ms, bool closed,
                             const std::string& reason, int64_t now_ms) override;
  Result<std::vector<booking::BookingToContact>> ActiveBookingsBetween(const std::string& tenant, int64_t venue_id, int64_t from_ms,
                                                                       int64_t to_ms) override;
  Result<bool> SetCapacity(const std::string& tenant, int64_t slot_id, int capacity) override;
  Result<bool> SlotHasHistory(const std::string& tenant, int64_t slot_id) override;
  Result<bool> DeleteEmptySlot(const std::string& tenant, int64_t slot_id) override;
  Result<booking::Rules> TenantRules(const std::string& tenant) override;

 private:
  Connection& conn_;
};

// "('booked','checked_in')": the states booking::IsActive counts, for SQL that selects active bookings.
const std::string& ActiveStatesSql();

}  // namespace madoguchi::store
