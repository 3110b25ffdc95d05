// tests/booking/fake_port.hpp — booking::BookingPort in memory, for the booking core's unit
// tests. It keeps the database's backstops (a seat count never past capacity, one active
// booking per ticket and dose) so a rule the service forgot shows as the backstop's error, and
// it records every notice queued. One municipality; no transactions (a test checks the error a
// call returns, the store tests check the rollback).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "booking/service.hpp"

namespace madoguchi::booking::testing {

class FakePort final : public BookingPort {
 public:
  struct Message {
    Notice notice;
    std::string state = "queued";
  };
  struct Waiting {
    int64_t id = 0, resident_id = 0;
    int dose = 1;
    std::optional<int64_t> venue_id;
    std::string state = "waiting";
    int64_t offered_slot_id = 0;
    std::string phone;
  };

  std::string tenant = "452041";
  std::map<int64_t, ResidentRecord> residents;
  std::map<int64_t, SlotRecord> slots;
  std::map<int64_t, BookingRecord> bookings;
  std::map<int64_t, std::vector<PriorDose>> doses;  // by resident
  std::vector<Vaccination> vaccinations;
  std::vector<Message> outbox;
  std::vector<Waiting> waitlist;
  std::vector<int64_t> venues = {1};
  Rules rules;                        // as saved
  std::optional<Status> rules_error;  // reading the rules fails with this
  int rules_reads = 0;
  int calls = 0;                 // port calls, to show what the happy path costs
  bool stale_seat_read = false;  // TakeSeat misses an active booking (another process's, just made)

  ResidentRecord& AddResident(int64_t id, const std::string& birth = "1950-04-01") {
    ResidentRecord r;
    r.id = id;
    r.r.address_number = std::to_string(100000 + id);
    r.r.ticket_number = std::to_string(5000000000LL + id);
    r.r.birth_date = *ParseIsoDate(birth);
    return residents[id] = r;
  }
  SlotRecord& AddSlot(int64_t id, int64_t starts_at_ms, int capacity, int dose = 1, const std::string& vaccine = "pfizer",
                      int64_t venue_id = 1) {
    SlotRecord s;
    s.id = id;
    s.venue_id = venue_id;
    s.venue_name = "日南市文化センター";
    s.starts_at_ms = starts_at_ms;
    s.ends_at_ms = starts_at_ms + 1'800'000;
    s.capacity = capacity;
    s.vaccine = vaccine;
    s.dose = dose;
    return slots[id] = s;
  }
  std::vector<std::string> Kinds() const {
    std::vector<std::string> out;
    for (const auto& m : outbox) out.push_back(m.notice.template_key + ":" + m.state);
    return out;
  }

  Result<std::optional<SeatTaken>> TakeSeat(const std::string& t, int64_t slot_id, int64_t resident_id) override {
    ++calls;
    auto it = slots.find(slot_id);
    if (t != tenant || it == slots.end() || it->second.booked >= it->second.capacity || it->second.closed)
      return std::optional<SeatTaken>();
    it->second.booked += 1;
    SeatTaken out;
    out.slot = it->second;
    for (const auto& p : doses[resident_id]) out.dose_recorded |= p.dose == it->second.dose;
    out.holds_active = !stale_seat_read && HoldsActive(resident_id, it->second.dose);
    return std::optional<SeatTaken>(out);
  }
  Status FreeSeat(const std::string&, int64_t slot_id) override {
    ++calls;
    auto& s = slots.at(slot_id);
    if (s.booked > 0) s.booked -= 1;
    return Status::Ok();
  }
  Result<SlotRecord> GetSlot(const std::string& t, int64_t slot_id) override {
    ++calls;
    auto it = slots.find(slot_id);
    if (t != tenant || it == slots.end()) return Status(StatusCode::kNotFound, "slot_not_found", "no such time slot", "slot_id");
    return it->second;
  }
  Result<ResidentRecord> GetResident(const std::string&, int64_t resident_id) override {
    ++calls;
    auto it = residents.find(resident_id);
    if (it == residents.end()) return NotFoundError("no such resident", "resident_not_found");
    return it->second;
  }
  Result<std::vector<PriorDose>> PriorDoses(const std::string&, int64_t resident_id) override {
    ++calls;
    return doses[resident_id];
  }
  Result<bool> HoldsActiveBooking(const std::string&, int64_t resident_id, int dose) override {
    ++calls;
    return HoldsActive(resident_id, dose);
  }
  Result<int64_t> InsertBooking(const std::string&, const NewBooking& b) override {
    ++calls;
    if (HoldsActive(b.resident_id, b.dose)) return AlreadyExistsError("", "UNIQUE constraint failed: bookings_one_active");
    BookingRecord r;
    r.id = static_cast<int64_t>(bookings.size()) + 1;
    r.resident_id = b.resident_id;
    r.ticket_number = residents[b.resident_id].r.ticket_number;
    r.dose = b.dose;
    r.state = State::kBooked;
    r.channel = b.channel;
    r.confirmation_code = b.confirmation_code;
    r.created_at_ms = r.updated_at_ms = b.now_ms;
    r.slot = slots.at(b.slot_id);
    bookings[r.id] = r;
    return r.id;
  }
  Result<BookingRecord> GetBooking(const std::string&, int64_t booking_id) override {
    ++calls;
    auto it = bookings.find(booking_id);
    if (it == bookings.end()) return NotFoundError("no such booking", "booking_not_found");
    BookingRecord b = it->second;
    b.slot = slots.at(b.slot.id);
    return b;
  }
  Result<bool> UpdateState(const std::string&, int64_t booking_id, State from, State to, int64_t now_ms) override {
    ++calls;
    auto& b = bookings.at(booking_id);
    if (b.state != from) return false;
    b.state = to;
    b.updated_at_ms = now_ms;
    return true;
  }
  Status MoveToSlot(const std::string&, int64_t booking_id, int64_t slot_id, int64_t now_ms) override {
    ++calls;
    auto& b = bookings.at(booking_id);
    b.slot = slots.at(slot_id);
    b.updated_at_ms = now_ms;
    return Status::Ok();
  }
  Status InsertVaccination(const std::string&, const Vaccination& v) override {
    ++calls;
    for (const auto& p : doses[v.resident_id]) {
      if (p.dose == v.dose) return AlreadyExistsError("", "UNIQUE constraint failed: vaccinations");
    }
    vaccinations.push_back(v);
    doses[v.resident_id].push_back({v.dose, v.day, v.vaccine});
    return Status::Ok();
  }
  Result<std::vector<TicketHolder>> TicketHolders(const std::string&) override {
    ++calls;
    std::vector<TicketHolder> out;
    for (const auto& [id, r] : residents) out.push_back({r.r.address_number, r.r.ticket_number});
    return out;
  }
  Status UpsertResidents(const std::string&, const std::vector<Resident>& list, int64_t) override {
    ++calls;
    for (const Resident& r : list) {
      ResidentRecord* same = nullptr;
      for (auto& [id, held] : residents) {
        if (held.r.address_number == r.address_number) same = &held;
      }
      for (auto& [id, held] : residents) {
        if (held.r.ticket_number == r.ticket_number && &held != same)
          return AlreadyExistsError("", "UNIQUE constraint failed: ticket_number");
      }
      if (same) {
        same->r = r;
      } else {
        const int64_t id = residents.empty() ? 1 : residents.rbegin()->first + 1;
        residents[id] = ResidentRecord{id, r};
      }
    }
    return Status::Ok();
  }
  Result<std::optional<int64_t>> ResidentByAddressNumber(const std::string&, const std::string& address_number) override {
    ++calls;
    for (const auto& [id, r] : residents) {
      if (r.r.address_number == address_number) return std::optional<int64_t>(id);
    }
    return std::optional<int64_t>();
  }
  Status Enqueue(const std::string&, std::vector<Notice> notices, int64_t) override {
    ++calls;
    // As the database's unique (tenant, dedupe key): the same key is the same message.
    for (const auto& n : notices) {
      if (std::none_of(outbox.begin(), outbox.end(), [&](const Message& m) { return m.notice.dedupe_key == n.dedupe_key; })) {
        outbox.push_back({n});
      }
    }
    return Status::Ok();
  }
  Status CancelPendingReminders(const std::string&, int64_t booking_id) override {
    ++calls;
    for (auto& m : outbox) {
      if (m.notice.booking_id == booking_id && m.notice.template_key == "reminder" && m.state == "queued") m.state = "cancelled";
    }
    return Status::Ok();
  }
  Result<std::optional<WaitingEntry>> OldestWaiting(const std::string&, int dose, int64_t venue_id) override {
    ++calls;
    for (const auto& w : waitlist) {
      if (w.state == "waiting" && w.dose == dose && (!w.venue_id || *w.venue_id == venue_id)) {
        return std::optional<WaitingEntry>(WaitingEntry{w.id, w.resident_id, w.dose, w.phone, 0});
      }
    }
    return std::optional<WaitingEntry>();
  }
  Status MarkOffered(const std::string&, int64_t entry_id, int64_t slot_id, int64_t) override {
    ++calls;
    for (auto& w : waitlist) {
      if (w.id == entry_id) {
        w.state = "offered";
        w.offered_slot_id = slot_id;
      }
    }
    return Status::Ok();
  }
  Result<std::optional<int64_t>> FindWaiting(const std::string&, int64_t resident_id, int dose) override {
    ++calls;
    for (const auto& w : waitlist) {
      if (w.state == "waiting" && w.resident_id == resident_id && w.dose == dose) return std::optional<int64_t>(w.id);
    }
    return std::optional<int64_t>();
  }
  Result<std::vector<WaitingEntry>> WaitingOf(const std::string&, int64_t resident_id) override {
    ++calls;
    std::vector<WaitingEntry> out;
    for (const auto& w : waitlist) {
      if (w.state == "waiting" && w.resident_id == resident_id) out.push_back(WaitingEntry{w.id, w.resident_id, w.dose, w.phone, 0});
    }
    return out;
  }
  Result<bool> CloseWaiting(const std::string&, int64_t resident_id, int64_t entry_id) override {
    ++calls;
    for (auto& w : waitlist) {
      if (w.id == entry_id && w.resident_id == resident_id && w.state == "waiting") {
        w.state = "closed";
        return true;
      }
    }
    return false;
  }
  Result<bool> VenueExists(const std::string& t, int64_t venue_id) override {
    ++calls;
    return t == tenant && std::find(venues.begin(), venues.end(), venue_id) != venues.end();
  }
  Result<int> SetSlotsClosed(const std::string&, int64_t venue_id, int64_t from_ms, int64_t to_ms, bool closed, const std::string&,
                             int64_t) override {
    ++calls;
    int n = 0;
    for (auto& [id, s] : slots) {
      if (s.venue_id != venue_id || s.starts_at_ms < from_ms || s.starts_at_ms >= to_ms) continue;
      s.closed = closed;
      ++n;
    }
    return n;
  }
  Result<std::vector<BookingToContact>> ActiveBookingsBetween(const std::string&, int64_t venue_id, int64_t from_ms,
                                                              int64_t to_ms) override {
    ++calls;
    std::vector<BookingToContact> out;
    for (const auto& [id, b] : bookings) {
      const SlotRecord& s = slots.at(b.slot.id);
      if (s.venue_id != venue_id || s.starts_at_ms < from_ms || s.starts_at_ms >= to_ms || !IsActive(b.state)) continue;
      BookingToContact c;
      c.booking = b;
      c.booking.slot = s;
      c.name = residents.at(b.resident_id).r.name;
      c.phone = residents.at(b.resident_id).r.phone;
      out.push_back(c);
    }
    return out;
  }
  Result<bool> SetCapacity(const std::string&, int64_t slot_id, int capacity) override {
    ++calls;
    SlotRecord& s = slots.at(slot_id);
    if (s.booked > capacity) return false;
    s.capacity = capacity;
    return true;
  }
  Result<bool> SlotHasHistory(const std::string&, int64_t slot_id) override {
    ++calls;
    for (const auto& [id, b] : bookings)
      if (b.slot.id == slot_id) return true;
    return false;
  }
  Result<bool> DeleteEmptySlot(const std::string&, int64_t slot_id) override {
    ++calls;
    if (slots.at(slot_id).booked > 0) return false;
    slots.erase(slot_id);
    return true;
  }
  Result<std::vector<ListGroup>> ListByBirthAndDose(const std::string&) override {
    ++calls;
    std::vector<ListGroup> out;
    for (const auto& [id, r] : residents) {
      int top = 0;
      if (auto it = doses.find(id); it != doses.end())
        for (const PriorDose& p : it->second) top = std::max(top, p.dose);
      out.push_back({r.r.birth_date, top + 1, 1});
    }
    return out;
  }
  Result<Rules> TenantRules(const std::string&) override {
    ++rules_reads;
    if (rules_error) return *rules_error;
    return rules;
  }
  Result<int64_t> InsertWaiting(const std::string&, int64_t resident_id, int dose, std::optional<int64_t> venue_id,
                                const std::string& phone, int64_t) override {
    ++calls;
    Waiting w;
    w.id = static_cast<int64_t>(waitlist.size()) + 1;
    w.resident_id = resident_id;
    w.dose = dose;
    w.venue_id = venue_id;
    w.phone = phone;
    waitlist.push_back(w);
    return w.id;
  }

 private:
  bool HoldsActive(int64_t resident_id, int dose) const {
    return std::any_of(bookings.begin(), bookings.end(), [&](const auto& kv) {
      return kv.second.resident_id == resident_id && kv.second.dose == dose && IsActive(kv.second.state);
    });
  }
};

}  // namespace madoguchi::booking::testing
