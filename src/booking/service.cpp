// src/booking/service.cpp — see service.hpp.
#include "booking/service.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "common/text.hpp"

namespace madoguchi::booking {

namespace {

// What a booking's messages carry (the messaging room renders them).
Notice::Variables BookingVariables(const BookingRecord& b) {
  return {{"confirmation_code", b.confirmation_code},
          {"venue_id", b.slot.venue_id},
          {"starts_at_ms", b.slot.starts_at_ms},
          {"dose", int64_t{b.dose}},
          {"vaccine", b.slot.vaccine}};
}

// A record id in a dedupe key, zero-padded to 12 digits: keys then sort as the ids do, so new keys
// go at the end of the outbox's unique index instead of all over it (each commit rewrote a page
// of the index per message).
std::string KeyNumber(int64_t id) {
  std::string digits = std::to_string(id);
  return digits.size() >= 12 ? digits : std::string(12 - digits.size(), '0') + digits;
}

std::string BookingKey(int64_t booking_id, const std::string& kind) { return "booking:" + KeyNumber(booking_id) + ":" + kind + ":"; }

// The dedupe key names the change that wrote it (booking, kind, slot, time of the change): moved
// away and back, the booking's new reminder is a new message, not the withdrawn one.
Notice NoticeOf(const BookingRecord& b, std::string kind, int64_t due_ms, int64_t now_ms) {
  Notice n;
  n.purpose = kind == "reminder" ? "reminder" : "booking";
  n.dedupe_key = BookingKey(b.id, kind) + "slot" + std::to_string(b.slot.id) + ":" + std::to_string(now_ms);
  n.template_key = std::move(kind);
  n.booking_id = b.id;
  n.resident_id = b.resident_id;
  n.reach = ReachFor(b.channel);
  n.variables = BookingVariables(b);
  n.due_at_ms = due_ms;
  if (n.purpose == "reminder") n.expires_at_ms = b.slot.starts_at_ms;
  return n;
}

// A slot may be booked while it has not started and the resident is eligible for it.
Status CheckBookable(const SlotRecord& slot, const ResidentRecord& resident, const Rules& rules, const std::vector<PriorDose>& prior,
                     int64_t now_ms) {
  if (slot.starts_at_ms <= now_ms) return FailedPreconditionError("this time has already started", "slot_past");
  if (slot.closed) return FailedPreconditionError("this time is closed to booking", "slot_closed");
  return CheckEligibility(rules, resident.r.birth_date, slot.dose, JapanDay(slot.starts_at_ms), slot.vaccine, prior);
}

Status AlreadyBooked() { return FailedPreconditionError("this ticket already has a booking for this dose", "already_booked"); }

}  // namespace

bool StaffMaySet(State to) { return to == State::kCheckedIn || to == State::kVaccinated || to == State::kNoShow; }

int NextDose(const std::vector<PriorDose>& prior) {
  int highest = 0;
  for (const PriorDose& p : prior) highest = std::max(highest, p.dose);
  return highest + 1;
}

std::string ReminderKeyPrefix(int64_t booking_id) { return BookingKey(booking_id, "reminder"); }

std::vector<std::string> ReachFor(Channel origin) {
  if (origin == Channel::kLine) return {"line", "sms", "email"};
  return {"sms", "email"};
}

std::vector<Notice> NoticesForBooking(const BookingRecord& b, const std::string& kind, int64_t now_ms) {
  std::vector<Notice> out{NoticeOf(b, kind, now_ms, now_ms)};
  const int64_t remind_at = ReminderDueMs(b.slot.starts_at_ms, now_ms);
  if (remind_at < b.slot.starts_at_ms) out.push_back(NoticeOf(b, "reminder", remind_at, now_ms));
  return out;
}

Result<ImportCounts> CheckImport(const std::vector<TicketHolder>& held, const std::vector<Resident>& list) {
  std::unordered_map<std::string, std::string> ticket_of, holder_of;  // 宛名番号 → 券番号 and back
  ticket_of.reserve(held.size() + list.size());
  holder_of.reserve(held.size() + list.size());
  for (const TicketHolder& h : held) {
    ticket_of[h.address_number] = h.ticket_number;
    holder_of[h.ticket_number] = h.address_number;
  }
  ImportCounts counts;
  for (size_t i = 0; i < list.size(); ++i) {
    const Resident& r = list[i];
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
  return counts;
}

BookingService::BookingService(const Clock& clock, CodeSource codes) : clock_(clock), codes_(std::move(codes)) {}

Result<Rules> BookingService::RulesOf(BookingPort& port, const std::string& tenant) const {
  const int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    if (auto it = rules_.find(tenant); it != rules_.end() && now - it->second.first < 1000) return it->second.second;
  }
  MADOGUCHI_ASSIGN_OR_RETURN(Rules rules, port.TenantRules(tenant));
  std::lock_guard lock(mu_);
  rules_[tenant] = {now, rules};
  return rules;
}

void BookingService::ForgetRules(const std::string& tenant) const {
  std::lock_guard lock(mu_);
  rules_.erase(tenant);
}

Result<Standing> BookingService::StandingOf(BookingPort& port, const std::string& tenant, const ResidentRecord& resident) const {
  MADOGUCHI_ASSIGN_OR_RETURN(const Rules rules, RulesOf(port, tenant));
  MADOGUCHI_ASSIGN_OR_RETURN(const std::vector<PriorDose> prior, port.PriorDoses(tenant, resident.id));
  return booking::StandingOf(rules, resident.r.birth_date, NextDose(prior), JapanDay(clock_.NowMs()));
}

Result<RulesReach> BookingService::ReachOf(BookingPort& port, const std::string& tenant, const Rules& rules) const {
  MADOGUCHI_RETURN_IF_ERROR(ValidateRules(rules));
  MADOGUCHI_ASSIGN_OR_RETURN(const std::vector<ListGroup> list, port.ListByBirthAndDose(tenant));
  return booking::ReachOf(rules, list, JapanDay(clock_.NowMs()));
}

// The happy path is three calls of the port (take the seat, insert the booking, queue two
// messages): the seat is taken first and everything is checked after, on what the same
// statement read, because a failure gives the seat back with the rest of the transaction.
Result<BookingRecord> BookingService::Book(BookingPort& port, const BookCommand& c) const {
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<SeatTaken> taken, port.TakeSeat(c.tenant, c.slot_id, c.resident.id));
  if (!taken) {
    // Not found, or full; a ticket that already holds a booking hears that rather than "full".
    MADOGUCHI_ASSIGN_OR_RETURN(SlotRecord full, port.GetSlot(c.tenant, c.slot_id));
    MADOGUCHI_ASSIGN_OR_RETURN(bool holds, port.HoldsActiveBooking(c.tenant, c.resident.id, full.dose));
    if (holds) return AlreadyBooked();
    if (full.closed) return FailedPreconditionError("this time is closed to booking", "slot_closed");
    return FailedPreconditionError("this time is fully booked", "slot_full");
  }
  // One active booking per ticket and dose.
  if (taken->holds_active) return AlreadyBooked();
  // The rules need the doses already given for a later dose, or when this dose is recorded
  // (which the seat's statement said, sparing the single writer a query for dose 1).
  std::vector<PriorDose> prior;
  if (taken->slot.dose > 1 || taken->dose_recorded) {
    MADOGUCHI_ASSIGN_OR_RETURN(prior, port.PriorDoses(c.tenant, c.resident.id));
  }
  MADOGUCHI_ASSIGN_OR_RETURN(const Rules rules, RulesOf(port, c.tenant));
  MADOGUCHI_RETURN_IF_ERROR(CheckBookable(taken->slot, c.resident, rules, prior, now));
  if (taken->dose_recorded) {
    return InternalError("dose " + std::to_string(taken->slot.dose) + " is recorded, but the rules allowed it again");
  }
  BookingRecord b;
  b.resident_id = c.resident.id;
  b.ticket_number = c.resident.r.ticket_number;
  b.dose = taken->slot.dose;
  b.state = State::kBooked;
  b.channel = c.channel;
  // Random codes (31^8) do not collide in practice; the unique index would refuse one that did.
  b.confirmation_code = codes_();
  b.created_at_ms = b.updated_at_ms = now;
  b.slot = taken->slot;
  Result<int64_t> id =
      port.InsertBooking(c.tenant, NewBooking{c.resident.id, b.slot.id, b.dose, c.channel, b.confirmation_code, c.staff_user_id, now});
  // The backstop: a second active booking inserted meanwhile by another process.
  if (!id.ok() && id.status().code() == StatusCode::kAlreadyExists) return AlreadyBooked();
  if (!id.ok()) return id.status();
  b.id = *id;
  MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(c.tenant, NoticesForBooking(b, "booking_confirmed", now), now));
  return b;
}

Result<BookingRecord> BookingService::Change(BookingPort& port, const std::string& tenant, int64_t booking_id, int64_t new_slot_id) const {
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(BookingRecord b, port.GetBooking(tenant, booking_id));
  // Only a booking not yet checked in moves: at the venue, the person is already there.
  if (b.state != State::kBooked) {
    return IsActive(b.state) ? FailedPreconditionError("a checked-in booking cannot be moved", "bad_transition")
                             : FailedPreconditionError("this booking is no longer active", "bad_transition");
  }
  if (b.slot.id == new_slot_id) return b;
  MADOGUCHI_ASSIGN_OR_RETURN(SlotRecord target, port.GetSlot(tenant, new_slot_id));
  if (target.dose != b.dose) return InvalidArgumentError("slot_id", "that time is for another dose");
  MADOGUCHI_ASSIGN_OR_RETURN(ResidentRecord resident, port.GetResident(tenant, b.resident_id));
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<PriorDose> prior, port.PriorDoses(tenant, b.resident_id));
  MADOGUCHI_ASSIGN_OR_RETURN(const Rules rules, RulesOf(port, tenant));
  MADOGUCHI_RETURN_IF_ERROR(CheckBookable(target, resident, rules, prior, now));
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<SeatTaken> taken, port.TakeSeat(tenant, target.id, b.resident_id));
  if (!taken) {
    MADOGUCHI_ASSIGN_OR_RETURN(SlotRecord now_full, port.GetSlot(tenant, target.id));
    if (now_full.closed) return FailedPreconditionError("this time is closed to booking", "slot_closed");
    return FailedPreconditionError("this time is fully booked", "slot_full");
  }
  MADOGUCHI_RETURN_IF_ERROR(port.FreeSeat(tenant, b.slot.id));
  MADOGUCHI_RETURN_IF_ERROR(port.MoveToSlot(tenant, b.id, target.id, now));
  MADOGUCHI_RETURN_IF_ERROR(port.CancelPendingReminders(tenant, b.id));
  const SlotRecord old = b.slot;
  b.slot = taken->slot;
  b.updated_at_ms = now;
  MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(tenant, NoticesForBooking(b, "booking_changed", now), now));
  MADOGUCHI_RETURN_IF_ERROR(OfferFreedSeat(port, tenant, old, now));
  return b;
}

Result<BookingRecord> BookingService::Cancel(BookingPort& port, const std::string& tenant, int64_t booking_id) const {
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(BookingRecord b, port.GetBooking(tenant, booking_id));
  MADOGUCHI_RETURN_IF_ERROR(CheckTransition(b.state, State::kCancelled));
  MADOGUCHI_ASSIGN_OR_RETURN(bool moved, port.UpdateState(tenant, b.id, b.state, State::kCancelled, now));
  if (!moved) return FailedPreconditionError("this booking is no longer active", "bad_transition");
  MADOGUCHI_RETURN_IF_ERROR(port.FreeSeat(tenant, b.slot.id));
  MADOGUCHI_RETURN_IF_ERROR(port.CancelPendingReminders(tenant, b.id));
  b.state = State::kCancelled;
  b.updated_at_ms = now;
  b.slot.booked -= 1;
  MADOGUCHI_RETURN_IF_ERROR(port.Enqueue(tenant, {NoticeOf(b, "booking_cancelled", now, now)}, now));
  MADOGUCHI_RETURN_IF_ERROR(OfferFreedSeat(port, tenant, b.slot, now));
  return b;
}

Result<BookingRecord> BookingService::SetState(BookingPort& port, const std::string& tenant, int64_t booking_id, State to,
                                               const std::string& lot, const std::string& doctor) const {
  if (to == State::kCancelled) return Cancel(port, tenant, booking_id);
  const int64_t now = clock_.NowMs();
  MADOGUCHI_ASSIGN_OR_RETURN(BookingRecord b, port.GetBooking(tenant, booking_id));
  MADOGUCHI_RETURN_IF_ERROR(CheckTransition(b.state, to));
  MADOGUCHI_ASSIGN_OR_RETURN(bool moved, port.UpdateState(tenant, b.id, b.state, to, now));
  if (!moved) return ConflictError("the booking changed meanwhile");
  if (to == State::kNoShow) {
    // The seat is given back and offered to whoever waits for it.
    MADOGUCHI_RETURN_IF_ERROR(port.FreeSeat(tenant, b.slot.id));
    b.slot.booked -= 1;
    MADOGUCHI_RETURN_IF_ERROR(OfferFreedSeat(port, tenant, b.slot, now));
  }
  if (to == State::kVaccinated) {
    // The dose is recorded on the slot's day (Japan time), for VRS and the next dose's rules.
    Vaccination v;
    v.resident_id = b.resident_id;
    v.booking_id = b.id;
    v.dose = b.dose;
    v.day = JapanDay(b.slot.starts_at_ms);
    v.vaccine = b.slot.vaccine;
    v.lot = lot;
    v.venue_name = b.slot.venue_name;
    v.doctor = doctor;
    v.now_ms = now;
    MADOGUCHI_RETURN_IF_ERROR(port.InsertVaccination(tenant, v));
  }
  b.state = to;
  b.updated_at_ms = now;
  return b;
}

Result<BookingService::WaitlistPlace> BookingService::JoinWaitlist(BookingPort& port, const std::string& tenant, int64_t resident_id,
                                                                   std::optional<int> dose, std::optional<int64_t> venue_id,
                                                                   const std::string& phone) const {
  if (!dose) {
    MADOGUCHI_ASSIGN_OR_RETURN(std::vector<PriorDose> prior, port.PriorDoses(tenant, resident_id));
    dose = NextDose(prior);
  }
  if (*dose < 1 || *dose > 10) return InvalidArgumentError("dose", "must be 1..10");
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<int64_t> existing, port.FindWaiting(tenant, resident_id, *dose));
  if (existing) return WaitlistPlace{*existing, *dose};
  if (venue_id) {
    MADOGUCHI_ASSIGN_OR_RETURN(bool ours, port.VenueExists(tenant, *venue_id));
    if (!ours) return Status(StatusCode::kNotFound, "venue_not_found", "no such venue in this municipality", "venue_id");
  }
  if (!phone.empty()) {
    MADOGUCHI_RETURN_IF_ERROR(ValidatePhone(phone, "phone"));
  } else {
    MADOGUCHI_ASSIGN_OR_RETURN(ResidentRecord r, port.GetResident(tenant, resident_id));
    if (r.r.phone.empty()) return InvalidArgumentError("phone", "give a phone number to be told on", "no_contact");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(int64_t id, port.InsertWaiting(tenant, resident_id, *dose, venue_id, phone, clock_.NowMs()));
  return WaitlistPlace{id, *dose};
}

Status BookingService::LeaveWaitlist(BookingPort& port, const std::string& tenant, int64_t resident_id, int64_t entry_id) const {
  MADOGUCHI_ASSIGN_OR_RETURN(bool closed, port.CloseWaiting(tenant, resident_id, entry_id));
  if (!closed) return NotFoundError("no such waiting entry", "waitlist_not_found");
  return Status::Ok();
}

Result<ImportCounts> BookingService::ImportTargetList(BookingPort& port, const std::string& tenant,
                                                      const std::vector<Resident>& list) const {
  MADOGUCHI_ASSIGN_OR_RETURN(std::vector<TicketHolder> held, port.TicketHolders(tenant));
  MADOGUCHI_ASSIGN_OR_RETURN(ImportCounts counts, CheckImport(held, list));
  Status written = port.UpsertResidents(tenant, list, clock_.NowMs());
  // The check above should have caught it; the database's refusal names no row.
  if (written.code() == StatusCode::kAlreadyExists) {
    return AlreadyExistsError("rows", "a 券番号 in the file belongs to another 宛名番号", "ticket_taken");
  }
  MADOGUCHI_RETURN_IF_ERROR(written);
  return counts;
}

Result<VrsReconcile> BookingService::ReconcileVrs(BookingPort& port, const std::string& tenant,
                                                  const std::vector<VrsPerson>& people) const {
  const int64_t now = clock_.NowMs();
  VrsReconcile out;
  for (size_t i = 0; i < people.size(); ++i) {
    const int row = static_cast<int>(i) + 1;
    const VrsPerson& p = people[i];
    MADOGUCHI_ASSIGN_OR_RETURN(std::optional<int64_t> resident, port.ResidentByAddressNumber(tenant, p.address_number));
    if (!resident) {
      out.problems.push_back({row, "個別宛名番号", "is not on this municipality's list"});
      continue;
    }
    ++out.people;
    MADOGUCHI_ASSIGN_OR_RETURN(std::vector<PriorDose> ours, port.PriorDoses(tenant, *resident));
    for (const VrsDose& d : p.doses) {
      const std::string n = std::to_string(d.dose) + "回目";
      const auto held = std::find_if(ours.begin(), ours.end(), [&](const PriorDose& o) { return o.dose == d.dose; });
      if (held != ours.end()) {
        if (held->day != d.vaccinated_on) {
          out.problems.push_back(
              {row, n + "接種日", "is " + FormatIsoDate(d.vaccinated_on) + "; our record says " + FormatIsoDate(held->day)});
        } else if (held->vaccine != d.vaccine) {
          out.problems.push_back(
              {row, n + "ワクチンメーカー", "is " + VrsMakerName(d.vaccine) + "; our record says " + VrsMakerName(held->vaccine)});
        } else {
          ++out.doses_matched;
        }
        continue;
      }
      Vaccination v;
      v.resident_id = *resident;
      v.source = "vrs";
      v.dose = d.dose;
      v.day = d.vaccinated_on;
      v.vaccine = d.vaccine;
      v.lot = d.lot;
      v.venue_name = d.venue_name;
      v.doctor = d.doctor_name;
      v.now_ms = now;
      MADOGUCHI_RETURN_IF_ERROR(port.InsertVaccination(tenant, v));
      ++out.doses_added;
    }
  }
  return out;
}

Result<BookingService::DayClosed> BookingService::CloseDay(BookingPort& port, const std::string& tenant, int64_t venue_id, Day day,
                                                           const std::string& reason, bool reopen) const {
  if (reason.size() > 200 || !text::IsValidUtf8(reason) || text::HasControlChars(reason)) {
    return InvalidArgumentError("reason", "must be at most 200 bytes of one-line text");
  }
  MADOGUCHI_ASSIGN_OR_RETURN(bool exists, port.VenueExists(tenant, venue_id));
  if (!exists) return Status(StatusCode::kNotFound, "venue_not_found", "no such venue", "venue_id");
  const int64_t from = JapanMidnightMs(day), to = JapanMidnightMs(day + std::chrono::days{1});
  DayClosed out;
  MADOGUCHI_ASSIGN_OR_RETURN(out.slots, port.SetSlotsClosed(tenant, venue_id, from, to, !reopen, reopen ? "" : reason, clock_.NowMs()));
  if (out.slots == 0) return FailedPreconditionError("the venue has no slot that day", "nothing_to_close");
  MADOGUCHI_ASSIGN_OR_RETURN(out.to_contact, port.ActiveBookingsBetween(tenant, venue_id, from, to));
  return out;
}

Result<SlotRecord> BookingService::SetCapacity(BookingPort& port, const std::string& tenant, int64_t slot_id, int capacity) const {
  if (capacity < 1 || capacity > 100000) return InvalidArgumentError("capacity", "must be 1..100000");
  MADOGUCHI_ASSIGN_OR_RETURN(SlotRecord slot, port.GetSlot(tenant, slot_id));
  auto below = [&](int taken) {
    return Status(StatusCode::kFailedPrecondition, "below_booked",
                  std::to_string(taken) + " seats are taken: the capacity cannot be below that", "capacity");
  };
  if (capacity < slot.booked) return below(slot.booked);
  MADOGUCHI_ASSIGN_OR_RETURN(bool set, port.SetCapacity(tenant, slot_id, capacity));
  if (!set) {
    MADOGUCHI_ASSIGN_OR_RETURN(SlotRecord now, port.GetSlot(tenant, slot_id));
    return below(now.booked);
  }
  const int more = capacity - slot.capacity;
  slot.capacity = capacity;
  // Each new seat goes to whoever waits for one, as a freed seat does (never on a closed day).
  for (int i = 0; i < more && i < slot.remaining(); ++i) MADOGUCHI_RETURN_IF_ERROR(OfferFreedSeat(port, tenant, slot, clock_.NowMs()));
  return slot;
}

Status BookingService::DeleteSlot(BookingPort& port, const std::string& tenant, int64_t slot_id) const {
  MADOGUCHI_ASSIGN_OR_RETURN(SlotRecord slot, port.GetSlot(tenant, slot_id));
  const Status kept = FailedPreconditionError("the slot has bookings (or cancelled ones on record): close it instead", "slot_has_bookings");
  if (slot.booked > 0) return kept;
  MADOGUCHI_ASSIGN_OR_RETURN(bool history, port.SlotHasHistory(tenant, slot_id));
  if (history) return kept;
  MADOGUCHI_ASSIGN_OR_RETURN(bool deleted, port.DeleteEmptySlot(tenant, slot_id));
  if (!deleted) return kept;
  return Status::Ok();
}

// The oldest waiting entry that fits a freed seat gets the offer (by SMS: the resident asked to
// be told, whatever channel they booked on), while the slot has not started: a no-show's seat,
// freed after the start, or one of a closed day, is offered to nobody.
Status BookingService::OfferFreedSeat(BookingPort& port, const std::string& tenant, const SlotRecord& slot, int64_t now_ms) const {
  if (slot.starts_at_ms <= now_ms || slot.closed) return Status::Ok();
  MADOGUCHI_ASSIGN_OR_RETURN(std::optional<WaitingEntry> next, port.OldestWaiting(tenant, slot.dose, slot.venue_id));
  if (!next) return Status::Ok();
  MADOGUCHI_RETURN_IF_ERROR(port.MarkOffered(tenant, next->id, slot.id, now_ms));
  Notice n;
  n.template_key = "waitlist_offer";
  n.purpose = "waitlist";
  // To the number they gave, or the list's.
  if (next->phone.empty()) n.resident_id = next->resident_id;
  else n.address = next->phone;
  n.reach = {"sms"};
  n.variables = {{"slot_id", slot.id}, {"venue_id", slot.venue_id}, {"venue", slot.venue_name}, {"starts_at_ms", slot.starts_at_ms}};
  n.due_at_ms = now_ms;
  n.expires_at_ms = slot.starts_at_ms;
  n.dedupe_key = "waitlist:" + KeyNumber(next->id) + ":offer:slot" + std::to_string(slot.id);
  return port.Enqueue(tenant, {n}, now_ms);
}

}  // namespace madoguchi::booking
