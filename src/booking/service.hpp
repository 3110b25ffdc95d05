// src/booking/service.hpp — the booking core: book, change, cancel, set a booking's state and
// join the waitlist, each one call, the same for the residents' pages, the API, the operator
// console, LINE and the CLI.
//
// The service holds the rules (booking.hpp states them as functions); storage is reached only
// through `BookingPort`, a narrow interface over one connection inside the caller's
// transaction: src/store implements it over SQL, tests over memory (tests/booking/fake_port.hpp).
// Every error the service returns leaves the caller to roll the transaction back: a seat taken
// before a later check failed is given back with it. The database's constraints (at most
// `capacity` seats, one active booking per ticket and dose) stay as the backstop.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "booking/booking.hpp"
#include "booking/vrs.hpp"
#include "common/clock.hpp"
#include "common/status.hpp"

namespace madoguchi::booking {

// ---- records as stored ----

struct ResidentRecord {
  int64_t id = 0;
  Resident r;
  std::string email;  // given by the resident for notices; empty: none
};

struct SlotRecord {
  int64_t id = 0, venue_id = 0;
  std::string venue_name;
  int64_t starts_at_ms = 0, ends_at_ms = 0;
  int capacity = 0, booked = 0;
  std::string vaccine;
  int dose = 1;
  std::string venue_address;  // empty where the reader did not need it (a seat just taken)
  bool closed = false;        // closed to booking by staff (CloseDay): no seat is taken or offered
  int remaining() const { return capacity - booked; }
};

struct BookingRecord {
  int64_t id = 0, resident_id = 0;
  std::string ticket_number;
  int dose = 1;
  State state = State::kBooked;
  Channel channel = Channel::kWeb;
  std::string confirmation_code;
  int64_t created_at_ms = 0, updated_at_ms = 0;
  SlotRecord slot;
};

// A message the booking sends a resident: one message in the outbox, written in the same
// transaction as the change (the store writes it as a messaging::Message; delivery is the worker's).
struct Notice {
  using Variables = std::map<std::string, std::variant<std::string, int64_t>>;  // = messaging::Variables

  std::string template_key;  // booking_confirmed, booking_changed, booking_cancelled, reminder, waitlist_offer
  std::string purpose;       // "booking", "reminder" or "waitlist" (messaging::Purpose names)
  std::optional<int64_t> booking_id;
  int64_t resident_id = 0;
  std::string address;             // a phone number given outright, instead of the resident's own
  std::vector<std::string> reach;  // delivery channels, most preferred first (messaging::Delivery names)
  Variables variables;
  int64_t due_at_ms = 0;
  std::optional<int64_t> expires_at_ms;  // not worth sending after this
  std::string dedupe_key;                // the same key is the same message
};

// A booking staff must tell about a change to its day (CloseDay): the booking and whom to call.
struct BookingToContact {
  BookingRecord booking;
  std::string name, name_kana, phone;
};

// What taking a seat found, read in the same statement that took it.
struct SeatTaken {
  SlotRecord slot;             // after the seat was taken
  bool dose_recorded = false;  // the resident already has this slot's dose recorded
  bool holds_active = false;   // the resident already holds an active booking for this dose
};

struct NewBooking {
  int64_t resident_id = 0, slot_id = 0;
  int dose = 1;
  Channel channel = Channel::kWeb;
  std::string confirmation_code;
  std::optional<int64_t> staff_user_id;  // who booked for a caller
  int64_t now_ms = 0;
};

struct Vaccination {
  int64_t resident_id = 0;
  std::optional<int64_t> booking_id;  // none for a dose recorded from a VRS file
  std::string source = "booking";     // booking | vrs
  int dose = 1;
  Day day{};
  std::string vaccine, lot, venue_name, doctor;
  int64_t now_ms = 0;
};

struct WaitingEntry {
  int64_t id = 0, resident_id = 0;
  int dose = 1;
  std::string phone;  // the number they gave to be told on; empty: the list's
  int64_t created_at_ms = 0;
};

// Who holds which 券番号 on the list now.
struct TicketHolder {
  std::string address_number, ticket_number;
};

struct ImportCounts {
  int inserted = 0, updated = 0;
};

// What comparing a VRS file with our records found (docs/vrs.md).
struct VrsReconcile {
  int people = 0, doses_matched = 0, doses_added = 0;
  std::vector<RowProblem> problems;  // rows that disagree with our records or name nobody we know
};

// The target list's rule: a row updates the resident with its 宛名番号 or adds one, and a 券番号
// belongs to one 宛名番号 at a time — checked row by row as a row-at-a-time import would (a
// ticket freed by an earlier row may be taken by a later one). kAlreadyExists "ticket_taken"
// naming "row N" otherwise.
Result<ImportCounts> CheckImport(const std::vector<TicketHolder>& held, const std::vector<Resident>& list);

// Storage as the service needs it. Every method works inside the caller's transaction, for one
// municipality; errors are the database's unless a method says otherwise.
class BookingPort {
 public:
  virtual ~BookingPort() = default;

  // Takes one seat if the slot is the tenant's and has one left (atomically: one row update);
  // nullopt when it has none or does not exist.
  virtual Result<std::optional<SeatTaken>> TakeSeat(const std::string& tenant, int64_t slot_id, int64_t resident_id) = 0;
  virtual Status FreeSeat(const std::string& tenant, int64_t slot_id) = 0;
  // kNotFound "slot_not_found" (field slot_id).
  virtual Result<SlotRecord> GetSlot(const std::string& tenant, int64_t slot_id) = 0;
  // kNotFound "resident_not_found".
  virtual Result<ResidentRecord> GetResident(const std::string& tenant, int64_t resident_id) = 0;
  virtual Result<std::vector<PriorDose>> PriorDoses(const std::string& tenant, int64_t resident_id) = 0;
  virtual Result<bool> HoldsActiveBooking(const std::string& tenant, int64_t resident_id, int dose) = 0;

  // The new booking's id. kAlreadyExists when the database's backstop refuses a second active
  // booking for the ticket and dose (or a confirmation code twice).
  virtual Result<int64_t> InsertBooking(const std::string& tenant, const NewBooking& b) = 0;
  // kNotFound "booking_not_found".
  virtual Result<BookingRecord> GetBooking(const std::string& tenant, int64_t booking_id) = 0;
  // Moves the booking from `from` to `to`; false when it is no longer in `from`.
  virtual Result<bool> UpdateState(const std::string& tenant, int64_t booking_id, State from, State to, int64_t now_ms) = 0;
  virtual Status MoveToSlot(const std::string& tenant, int64_t booking_id, int64_t slot_id, int64_t now_ms) = 0;
  virtual Status InsertVaccination(const std::string& tenant, const Vaccination& v) = 0;

  // ---- the target list and VRS ----
  virtual Result<std::vector<TicketHolder>> TicketHolders(const std::string& tenant) = 0;
  // Inserts the new residents and updates those listed (same 宛名番号). kAlreadyExists when the
  // database refuses a 券番号 held by another 宛名番号.
  virtual Status UpsertResidents(const std::string& tenant, const std::vector<Resident>& list, int64_t now_ms) = 0;
  virtual Result<std::optional<int64_t>> ResidentByAddressNumber(const std::string& tenant, const std::string& address_number) = 0;

  // Takes the notices (moved from: they are the caller's no more).
  virtual Status Enqueue(const std::string& tenant, std::vector<Notice> notices, int64_t now_ms) = 0;
  // Withdraws the booking's reminders not yet sent.
  virtual Status CancelPendingReminders(const std::string& tenant, int64_t booking_id) = 0;

  // The oldest waiting entry for `dose` that takes `venue_id` (entries without a venue take any).
  virtual Result<std::optional<WaitingEntry>> OldestWaiting(const std::string& tenant, int dose, int64_t venue_id) = 0;
  virtual Status MarkOffered(const std::string& tenant, int64_t entry_id, int64_t slot_id, int64_t now_ms) = 0;
  // The resident's waiting entry for `dose`, if any.
  virtual Result<std::optional<int64_t>> FindWaiting(const std::string& tenant, int64_t resident_id, int dose) = 0;
  // The resident's entries still waiting, oldest first.
  virtual Result<std::vector<WaitingEntry>> WaitingOf(const std::string& tenant, int64_t resident_id) = 0;
  // Closes the resident's waiting entry; false when there is no such entry still waiting.
  virtual Result<bool> CloseWaiting(const std::string& tenant, int64_t resident_id, int64_t entry_id) = 0;
  virtual Result<bool> VenueExists(const std::string& tenant, int64_t venue_id) = 0;
  virtual Result<int64_t> InsertWaiting(const std::string& tenant, int64_t resident_id, int dose, std::optional<int64_t> venue_id,
                                        const std::string& phone, int64_t now_ms) = 0;

  // The target list counted by birth date and next dose (one past the highest recorded).
  virtual Result<std::vector<ListGroup>> ListByBirthAndDose(const std::string& tenant) = 0;

  // ---- venues' days and slots, as staff change them ----
  // Closes (or with `closed` false reopens) the venue's slots starting in [from_ms, to_ms); the
  // number changed. `reason` is kept with a closed slot.
  virtual Result<int> SetSlotsClosed(const std::string& tenant, int64_t venue_id, int64_t from_ms, int64_t to_ms, bool closed,
                                     const std::string& reason, int64_t now_ms) = 0;
  // The active bookings of the venue's slots starting in [from_ms, to_ms), by time, with whom to call.
  virtual Result<std::vector<BookingToContact>> ActiveBookingsBetween(const std::string& tenant, int64_t venue_id, int64_t from_ms,
                                                                      int64_t to_ms) = 0;
  // Sets the capacity unless more seats are taken than it (false then: the slot changed meanwhile).
  virtual Result<bool> SetCapacity(const std::string& tenant, int64_t slot_id, int capacity) = 0;
  // Whether any booking (cancelled ones too) or waitlist offer names the slot.
  virtual Result<bool> SlotHasHistory(const std::string& tenant, int64_t slot_id) = 0;
  // Deletes the slot; false when it has a seat taken (it changed meanwhile).
  virtual Result<bool> DeleteEmptySlot(const std::string& tenant, int64_t slot_id) = 0;

  // The municipality's booking rules as saved, the defaults where none are. kInternal
  // "bad_stored_rules" when the saved ones do not parse: never the defaults in their place.
  virtual Result<Rules> TenantRules(const std::string& tenant) = 0;
};

struct BookCommand {
  std::string tenant;
  ResidentRecord resident;
  int64_t slot_id = 0;
  Channel channel = Channel::kWeb;
  std::optional<int64_t> staff_user_id;  // set when staff book for a caller
};

class BookingService {
 public:
  using CodeSource = std::function<std::string()>;
  // `clock` must outlive the service. `codes` makes confirmation codes (NewConfirmationCode).
  explicit BookingService(const Clock& clock, CodeSource codes = NewConfirmationCode);

  // Takes a seat and records the booking, its confirmation and its day-before reminder.
  // Checked against the municipality's rules (RulesOf). Errors: kNotFound "slot_not_found";
  // kFailedPrecondition "slot_past", "slot_full", "already_booked" (one active booking per ticket
  // and dose); kPermissionDenied "not_eligible"; RulesOf's.
  Result<BookingRecord> Book(BookingPort& port, const BookCommand& command) const;

  // Moves a booked (not yet checked-in) booking to another slot of the same dose, keeping its
  // code; the old seat is offered to the waitlist. Errors as Book, plus kNotFound
  // "booking_not_found", kFailedPrecondition "bad_transition", kInvalidArgument "slot_id".
  Result<BookingRecord> Change(BookingPort& port, const std::string& tenant, int64_t booking_id, int64_t new_slot_id) const;

  // The rules every booking of the municipality is checked against: read through the port at most
  // once a second per municipality (every booking needs them; they rarely change). Errors: the
  // port's TenantRules, never the defaults in their place.
  Result<Rules> RulesOf(BookingPort& port, const std::string& tenant) const;
  // After the rules were saved: this process reads them again at once (others within a second).
  void ForgetRules(const std::string& tenant) const;

  // Who may book now (StandingOf) for the resident: the municipality's rules, their next dose.
  // Errors: RulesOf's, the port's.
  Result<Standing> StandingOf(BookingPort& port, const std::string& tenant, const ResidentRecord& resident) const;

  // Whom `rules` would let book today on the municipality's list, before they are saved.
  // Errors: ValidateRules's, the port's.
  Result<RulesReach> ReachOf(BookingPort& port, const std::string& tenant, const Rules& rules) const;

  // Closes a venue's day to booking (a typhoon, no staff): its slots take no booking and offer
  // no freed seat; bookings already made stay, listed for staff to call (and move or cancel).
  // `reopen` undoes it. Errors: kNotFound "venue_not_found", kInvalidArgument "reason" (at most
  // 200 bytes of one-line text), kFailedPrecondition "nothing_to_close" when the day has no slot.
  struct DayClosed {
    int slots = 0;
    std::vector<BookingToContact> to_contact;
  };
  Result<DayClosed> CloseDay(BookingPort& port, const std::string& tenant, int64_t venue_id, Day day, const std::string& reason,
                             bool reopen = false) const;
  // A slot's seats: never below those taken; more seats are offered to the waitlist. Errors:
  // GetSlot's, kInvalidArgument "capacity" (1..100000), kFailedPrecondition "below_booked".
  Result<SlotRecord> SetCapacity(BookingPort& port, const std::string& tenant, int64_t slot_id, int capacity) const;
  // Deletes a slot nobody ever booked. Errors: GetSlot's, kFailedPrecondition "slot_has_bookings"
  // (seats taken, or bookings since cancelled that keep their record: close it instead).
  Status DeleteSlot(BookingPort& port, const std::string& tenant, int64_t slot_id) const;

  // Cancels an active booking: frees the seat, withdraws its reminder, sends the notice and
  // offers the seat to the waitlist. Errors: kNotFound "booking_not_found",
  // kFailedPrecondition "bad_transition".
  Result<BookingRecord> Cancel(BookingPort& port, const std::string& tenant, int64_t booking_id) const;

  // Check-in, vaccinated (recorded as a vaccination with `lot` and `doctor`), no-show (the seat
  // is freed and offered to the waitlist); cancelled is Cancel. Errors: kNotFound
  // "booking_not_found", kFailedPrecondition "bad_transition", kConflict when it changed meanwhile.
  Result<BookingRecord> SetState(BookingPort& port, const std::string& tenant, int64_t booking_id, State to, const std::string& lot = "",
                                 const std::string& doctor = "") const;

  // The resident's place on the waitlist for `dose` (the next dose they are due when not given);
  // an existing place is kept. Errors: kNotFound "venue_not_found" (field venue_id) for a venue
  // that is not the municipality's, kInvalidArgument "dose".
  struct WaitlistPlace {
    int64_t id = 0;
    int dose = 1;
  };
  // `phone`: a number to be told on instead of the list's (ValidatePhone's rule); with neither,
  // kInvalidArgument "no_contact" (field phone): a place nobody could be told about is no place.
  Result<WaitlistPlace> JoinWaitlist(BookingPort& port, const std::string& tenant, int64_t resident_id, std::optional<int> dose,
                                     std::optional<int64_t> venue_id, const std::string& phone = "") const;

  // Leaves the waitlist. Errors: kNotFound "waitlist_not_found" for an entry that is not the
  // resident's or no longer waiting.
  Status LeaveWaitlist(BookingPort& port, const std::string& tenant, int64_t resident_id, int64_t entry_id) const;

  // The target list (対象者一覧), validated already (ValidateResidentList), all or nothing:
  // CheckImport's rule, then one write. Errors: kAlreadyExists "ticket_taken" naming the row.
  Result<ImportCounts> ImportTargetList(BookingPort& port, const std::string& tenant, const std::vector<Resident>& list) const;

  // Compares each person's doses with ours: a dose we lack is recorded (source "vrs"); one we hold
  // must agree on the day and the vaccine; a person not on our list is a problem. The caller must
  // roll back when `problems` is not empty (the import is all or nothing).
  Result<VrsReconcile> ReconcileVrs(BookingPort& port, const std::string& tenant, const std::vector<VrsPerson>& people) const;

 private:
  Status OfferFreedSeat(BookingPort& port, const std::string& tenant, const SlotRecord& slot, int64_t now_ms) const;

  const Clock& clock_;
  CodeSource codes_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::pair<int64_t, Rules>> rules_;  // tenant → (read at, rules)
};

// ---- rules the channels ask about ----

// The states staff may set by hand: checked_in, vaccinated, no_show (booked is where a booking
// starts; cancelling is BookingService::Cancel).
bool StaffMaySet(State to);

// The dose a resident is due next: one past the highest recorded.
int NextDose(const std::vector<PriorDose>& prior);

// The messages a booking sends: a notice of `kind` now, and for a booked one its reminder at
// ReminderDueMs, which is not sent once the slot has started. `kind` is booking_confirmed or
// booking_changed. Each has a dedupe key of the booking, the kind, the slot and the time.
std::vector<Notice> NoticesForBooking(const BookingRecord& b, const std::string& kind, int64_t now_ms);

// The start of the dedupe keys of a booking's reminders: the outbox finds them by it.
std::string ReminderKeyPrefix(int64_t booking_id);

// How a booking's messages reach the resident, most preferred first: LINE, then SMS, then email
// for a booking made in LINE (the resident is there); SMS, then email otherwise (a resident with
// no mobile phone on the list who gave an email address). Never the channel itself: a phone
// booking is not answered by a phone call.
std::vector<std::string> ReachFor(Channel origin);

}  // namespace madoguchi::booking
