// The booking core on an in-memory port: every rule of booking, changing, cancelling, setting a
// booking's state and the waitlist, without a database (the store tests run the same service on
// SQLite and PostgreSQL).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "booking/fake_port.hpp"
#include "booking/service.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::booking {
namespace {

using ::madoguchi::testing::IsOk;
using ::madoguchi::testing::StatusIs;
using ::madoguchi::testing::StatusIsOn;
using ::testing::ElementsAre;
using testing::FakePort;

constexpr int64_t kNow = 1'800'000'000'000;           // 2027-01-15 08:00 UTC
constexpr int64_t kLater = kNow + 10 * 86'400'000LL;  // a slot ten days on
constexpr int64_t kDay = 86'400'000;

class BookingServiceTest : public ::testing::Test {
 protected:
  BookingServiceTest() : service_(clock_, [this] { return "CODE" + std::to_string(++codes_); }) {
    port_.AddResident(1);
    port_.AddResident(2);
    port_.AddResident(3);
    port_.AddSlot(10, kLater, 1);
    port_.AddSlot(11, kLater + 3'600'000, 1);
  }
  BookCommand Command(int64_t resident, int64_t slot) {
    return BookCommand{port_.tenant, port_.residents.at(resident), slot, Channel::kWeb, std::nullopt};
  }
  // Saves `rules` as the municipality's, read at once.
  void SaveRules(const Rules& rules) {
    port_.rules = rules;
    service_.ForgetRules(port_.tenant);
  }
  // As the server calls the service: inside a transaction that an error rolls back.
  template <typename F>
  auto Txn(F f) {
    const FakePort saved = port_;
    auto r = f();
    if (!r.ok()) port_ = saved;
    return r;
  }
  Result<BookingRecord> Book(int64_t resident, int64_t slot, std::optional<Rules> rules = std::nullopt) {
    if (rules) SaveRules(*rules);
    return Txn([&] { return service_.Book(port_, Command(resident, slot)); });
  }

  FakeClock clock_{kNow};
  int codes_ = 0;
  FakePort port_;
  BookingService service_;
};

TEST_F(BookingServiceTest, BookingTakesASeatRecordsItAndQueuesTheConfirmationAndTheReminder) {
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->confirmation_code, "CODE1") << "codes come from the injected source";
  EXPECT_EQ(b->state, State::kBooked);
  EXPECT_EQ(b->slot.booked, 1);
  EXPECT_EQ(b->slot.venue_name, "日南市文化センター");
  EXPECT_EQ(port_.slots.at(10).booked, 1);
  ASSERT_EQ(port_.outbox.size(), 2u);
  EXPECT_EQ(port_.outbox[0].notice.template_key, "booking_confirmed");
  EXPECT_EQ(port_.outbox[0].notice.due_at_ms, kNow);
  EXPECT_THAT(port_.outbox[0].notice.reach, ElementsAre("sms", "email"))
      << "a web booking is answered by SMS (else email), not on its channel";
  EXPECT_EQ(std::get<std::string>(port_.outbox[0].notice.variables.at("confirmation_code")), "CODE1");
  EXPECT_EQ(port_.outbox[0].notice.purpose, "booking");
  EXPECT_FALSE(port_.outbox[0].notice.expires_at_ms.has_value());
  EXPECT_EQ(port_.outbox[1].notice.template_key, "reminder");
  EXPECT_EQ(port_.outbox[1].notice.purpose, "reminder");
  EXPECT_EQ(port_.outbox[1].notice.expires_at_ms, kLater) << "a reminder is not sent once the slot has started";
  EXPECT_NE(port_.outbox[0].notice.dedupe_key, port_.outbox[1].notice.dedupe_key);
  EXPECT_EQ(port_.outbox[1].notice.due_at_ms, ReminderDueMs(kLater, kNow)) << "10:00 Japan time the day before";
  EXPECT_EQ(port_.calls, 3) << "the opening-day path: take the seat, insert, queue";
}

TEST_F(BookingServiceTest, AFullSlotSaysFullAndATicketThatHoldsABookingHearsThatInstead) {
  ASSERT_THAT(Book(1, 10), IsOk());
  EXPECT_THAT(Book(2, 10), StatusIs(StatusCode::kFailedPrecondition, "slot_full"));
  EXPECT_THAT(Book(1, 10), StatusIs(StatusCode::kFailedPrecondition, "already_booked"));
  EXPECT_THAT(Book(2, 99), StatusIsOn(StatusCode::kNotFound, "slot_not_found", "slot_id"));
}

TEST_F(BookingServiceTest, OneActiveBookingPerTicketAndDoseIsTheEnginesRuleNotOnlyTheDatabases) {
  ASSERT_THAT(Book(1, 10), IsOk());
  const size_t before = port_.bookings.size();
  EXPECT_THAT(Book(1, 11), StatusIs(StatusCode::kFailedPrecondition, "already_booked"));
  EXPECT_EQ(port_.bookings.size(), before) << "refused before the insert, not by the backstop";
  // A cancelled booking no longer counts: the ticket books again.
  ASSERT_THAT(service_.Cancel(port_, port_.tenant, 1), IsOk());
  EXPECT_THAT(Book(1, 11), IsOk());
}

TEST_F(BookingServiceTest, TheBackstopsRefusalReadsAsAlreadyBooked) {
  // Another process's booking reached the database after the seat's statement read: the insert
  // is refused by the unique index, and the caller hears the same answer.
  ASSERT_THAT(Book(1, 10), IsOk());
  port_.stale_seat_read = true;
  EXPECT_THAT(Book(1, 11), StatusIs(StatusCode::kFailedPrecondition, "already_booked"));
}

TEST_F(BookingServiceTest, AStartedSlotAndAnIneligibleResidentAreRefused) {
  port_.AddSlot(20, kNow - 60'000, 5);
  EXPECT_THAT(Book(1, 20), StatusIs(StatusCode::kFailedPrecondition, "slot_past"));
  Rules rules;
  rules.min_age = 80;  // born 1950: 76 on the slot's day
  EXPECT_THAT(Book(1, 10, rules), StatusIsOn(StatusCode::kPermissionDenied, "not_eligible", "age"));
  EXPECT_EQ(port_.slots.at(10).booked, 0) << "the refusal's rollback gives the seat back";
}

TEST_F(BookingServiceTest, TheRulesAreTheMunicipalitysReadAtMostOnceASecondAndNeverDefaultsInTheirPlace) {
  ASSERT_THAT(Book(1, 10), IsOk());
  ASSERT_THAT(Book(2, 11), IsOk());
  EXPECT_EQ(port_.rules_reads, 1) << "read once for both bookings: every booking needs them";
  // Saved by another process: this one sees them within a second.
  port_.rules.min_age = 80;
  port_.AddSlot(12, kLater, 5);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_THAT(Book(3, 12), StatusIsOn(StatusCode::kPermissionDenied, "not_eligible", "age"));
  // When they cannot be read, nobody books (the defaults would let anyone in).
  port_.rules = Rules{};
  port_.rules_error = InternalError("the stored booking rules of 452041 do not parse", "bad_stored_rules");
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_THAT(Book(3, 12), StatusIs(StatusCode::kInternal, "bad_stored_rules"));
  EXPECT_EQ(port_.slots.at(12).booked, 0);
}

TEST_F(BookingServiceTest, ADoseAlreadyRecordedCannotBeBookedAgain) {
  port_.doses[1] = {{1, JapanDay(kNow - 30 * kDay), "pfizer"}};
  EXPECT_THAT(Book(1, 10), StatusIsOn(StatusCode::kPermissionDenied, "not_eligible", "dose"));
  EXPECT_TRUE(port_.bookings.empty());
}

TEST_F(BookingServiceTest, ALaterDoseFollowsTheIntervalAndTheVaccineOfTheFirst) {
  Rules rules;
  rules.max_dose = 2;
  port_.doses[1] = {{1, JapanDay(kLater - 10 * kDay), "pfizer"}};
  port_.AddSlot(30, kLater, 5, 2, "pfizer");
  port_.AddSlot(31, kLater + 20 * kDay, 5, 2, "moderna");
  port_.AddSlot(32, kLater + 20 * kDay, 5, 2, "pfizer");
  EXPECT_THAT(Book(1, 30, rules), StatusIsOn(StatusCode::kPermissionDenied, "not_eligible", "interval"));
  EXPECT_THAT(Book(1, 31, rules), StatusIsOn(StatusCode::kPermissionDenied, "not_eligible", "vaccine"));
  EXPECT_THAT(Book(1, 32, rules), IsOk());
  EXPECT_THAT(Book(2, 32, rules), StatusIsOn(StatusCode::kPermissionDenied, "not_eligible", "dose")) << "dose 2 needs dose 1";
}

TEST_F(BookingServiceTest, ChangingMovesTheSeatKeepsTheCodeAndOffersTheOldSeat) {
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  port_.waitlist.push_back({1, 2, 1, std::nullopt});
  auto moved = service_.Change(port_, port_.tenant, b->id, 11);
  ASSERT_THAT(moved, IsOk());
  EXPECT_EQ(moved->confirmation_code, b->confirmation_code);
  EXPECT_EQ(moved->slot.id, 11);
  EXPECT_EQ(port_.slots.at(10).booked, 0);
  EXPECT_EQ(port_.slots.at(11).booked, 1);
  EXPECT_THAT(port_.Kinds(), ElementsAre("booking_confirmed:queued", "reminder:cancelled", "booking_changed:queued", "reminder:queued",
                                         "waitlist_offer:queued"));
  EXPECT_EQ(port_.waitlist[0].state, "offered");
  EXPECT_EQ(port_.waitlist[0].offered_slot_id, 10);
  EXPECT_THAT(port_.outbox.back().notice.reach, ElementsAre("sms")) << "offers go by SMS, whatever channel the booking came from";
  EXPECT_EQ(port_.outbox.back().notice.purpose, "waitlist");
  EXPECT_EQ(port_.outbox.back().notice.expires_at_ms, kLater) << "an offer lapses when the slot starts";
  // To the same slot: nothing changes.
  EXPECT_THAT(service_.Change(port_, port_.tenant, b->id, 11), IsOk());
  EXPECT_EQ(port_.outbox.size(), 5u);
}

TEST_F(BookingServiceTest, OnlyABookedBookingMovesAndOnlyToItsDoseAndToASeat) {
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  port_.AddSlot(40, kLater, 5, 2);
  EXPECT_THAT(service_.Change(port_, port_.tenant, b->id, 40), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "slot_id"));
  ASSERT_THAT(Book(2, 11), IsOk());
  EXPECT_THAT(service_.Change(port_, port_.tenant, b->id, 11), StatusIs(StatusCode::kFailedPrecondition, "slot_full"));
  ASSERT_THAT(service_.SetState(port_, port_.tenant, b->id, State::kCheckedIn), IsOk());
  auto refused = service_.Change(port_, port_.tenant, b->id, 11);
  EXPECT_THAT(refused, StatusIs(StatusCode::kFailedPrecondition, "bad_transition"));
  EXPECT_EQ(refused.status().message(), "a checked-in booking cannot be moved");
  EXPECT_THAT(service_.Change(port_, port_.tenant, 99, 11), StatusIs(StatusCode::kNotFound, "booking_not_found"));
}

TEST_F(BookingServiceTest, CancellingFreesTheSeatWithdrawsTheReminderAndOffersTheSeat) {
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  port_.waitlist.push_back({1, 2, 1, 7});  // wants venue 7 only
  port_.waitlist.push_back({2, 3, 1, 1});  // wants this venue
  auto done = service_.Cancel(port_, port_.tenant, b->id);
  ASSERT_THAT(done, IsOk());
  EXPECT_EQ(done->state, State::kCancelled);
  EXPECT_EQ(port_.slots.at(10).booked, 0);
  EXPECT_THAT(port_.Kinds(),
              ElementsAre("booking_confirmed:queued", "reminder:cancelled", "booking_cancelled:queued", "waitlist_offer:queued"));
  EXPECT_EQ(port_.waitlist[0].state, "waiting") << "the oldest entry that fits the venue, not the oldest";
  EXPECT_EQ(port_.waitlist[1].state, "offered");
  EXPECT_THAT(service_.Cancel(port_, port_.tenant, b->id), StatusIs(StatusCode::kFailedPrecondition, "bad_transition"));
}

// Issue #11, item 18: a venue's day closed (a typhoon) takes no booking and offers no freed seat;
// the bookings already made stay, listed with whom to call; reopening undoes it.
TEST_F(BookingServiceTest, AClosedDayTakesNoBookingOffersNoSeatAndListsWhomToCall) {
  port_.residents.at(1).r.name = "日南 一";
  port_.residents.at(1).r.phone = "0987-31-1111";
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  const Day day = JapanDay(kLater);
  auto closed = Txn([&] { return service_.CloseDay(port_, port_.tenant, 1, day, "台風のため"); });
  ASSERT_THAT(closed, IsOk());
  EXPECT_EQ(closed->slots, 2) << "both of the day's slots";
  ASSERT_EQ(closed->to_contact.size(), 1u);
  EXPECT_EQ(closed->to_contact[0].name, "日南 一");
  EXPECT_EQ(closed->to_contact[0].phone, "0987-31-1111");
  EXPECT_EQ(closed->to_contact[0].booking.id, b->id);
  EXPECT_THAT(Book(2, 11), StatusIs(StatusCode::kFailedPrecondition, "slot_closed")) << "not 'full'";
  // A cancel frees the seat but offers it to nobody: the day is closed.
  port_.waitlist.push_back({1, 2, 1, std::nullopt});
  ASSERT_THAT(service_.Cancel(port_, port_.tenant, b->id), IsOk());
  EXPECT_EQ(port_.waitlist[0].state, "waiting");
  // Moving into a closed time is refused the same way.
  port_.AddSlot(12, kLater + 2 * kDay, 5);
  auto other = Book(3, 12);
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(Txn([&] { return service_.Change(port_, port_.tenant, other->id, 11); }),
              StatusIs(StatusCode::kFailedPrecondition, "slot_closed"));
  // Reopened, it books again.
  ASSERT_THAT(Txn([&] { return service_.CloseDay(port_, port_.tenant, 1, day, "", true); }), IsOk());
  EXPECT_THAT(Book(2, 11), IsOk());
  EXPECT_THAT(service_.CloseDay(port_, port_.tenant, 1, day + std::chrono::days{30}, ""),
              StatusIs(StatusCode::kFailedPrecondition, "nothing_to_close"));
  EXPECT_THAT(service_.CloseDay(port_, port_.tenant, 99, day, ""), StatusIs(StatusCode::kNotFound, "venue_not_found"));
  EXPECT_THAT(service_.CloseDay(port_, port_.tenant, 1, day, "台風\nのため"), StatusIs(StatusCode::kInvalidArgument, "invalid_argument"));
}

TEST_F(BookingServiceTest, ASlotsSeatsNeverGoBelowThoseTakenAndNewSeatsAreOffered) {
  port_.AddSlot(20, kLater, 2);
  ASSERT_THAT(Book(1, 20), IsOk());
  ASSERT_THAT(Book(2, 20), IsOk());
  EXPECT_THAT(service_.SetCapacity(port_, port_.tenant, 20, 1), StatusIs(StatusCode::kFailedPrecondition, "below_booked"));
  EXPECT_EQ(port_.slots.at(20).capacity, 2);
  EXPECT_THAT(service_.SetCapacity(port_, port_.tenant, 20, 0), StatusIs(StatusCode::kInvalidArgument, "invalid_argument"));
  port_.waitlist.push_back({1, 3, 1, std::nullopt});
  auto more = service_.SetCapacity(port_, port_.tenant, 20, 4);
  ASSERT_THAT(more, IsOk());
  EXPECT_EQ(more->capacity, 4);
  EXPECT_EQ(port_.waitlist[0].state, "offered") << "a new seat goes to whoever waits";
  EXPECT_THAT(service_.SetCapacity(port_, port_.tenant, 99, 4), StatusIs(StatusCode::kNotFound, "slot_not_found"));
}

TEST_F(BookingServiceTest, OnlyASlotNobodyEverBookedIsDeleted) {
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  EXPECT_THAT(service_.DeleteSlot(port_, port_.tenant, 10), StatusIs(StatusCode::kFailedPrecondition, "slot_has_bookings"));
  ASSERT_THAT(service_.Cancel(port_, port_.tenant, b->id), IsOk());
  EXPECT_THAT(service_.DeleteSlot(port_, port_.tenant, 10), StatusIs(StatusCode::kFailedPrecondition, "slot_has_bookings"))
      << "the cancelled booking keeps its record";
  EXPECT_THAT(service_.DeleteSlot(port_, port_.tenant, 11), IsOk());
  EXPECT_EQ(port_.slots.count(11), 0u);
}

TEST_F(BookingServiceTest, VaccinatedRecordsTheDoseOnTheSlotsDayInJapan) {
  // A slot at 16:30 UTC is 01:30 the next day in Japan.
  const int64_t late = JapanMidnightMs(JapanDay(kLater)) - 7 * 3'600'000 - 1'800'000 + kDay;
  port_.AddSlot(50, late, 5);
  auto b = Book(1, 50);
  ASSERT_THAT(b, IsOk());
  EXPECT_THAT(service_.SetState(port_, port_.tenant, b->id, State::kVaccinated),
              StatusIs(StatusCode::kFailedPrecondition, "bad_transition"))
      << "booked → vaccinated skips check-in";
  ASSERT_THAT(service_.SetState(port_, port_.tenant, b->id, State::kCheckedIn), IsOk());
  ASSERT_THAT(service_.SetState(port_, port_.tenant, b->id, State::kVaccinated, "FA1234", "日南 医師"), IsOk());
  ASSERT_EQ(port_.vaccinations.size(), 1u);
  EXPECT_EQ(port_.vaccinations[0].day, JapanDay(late));
  EXPECT_EQ(port_.vaccinations[0].lot, "FA1234");
  EXPECT_EQ(port_.vaccinations[0].venue_name, "日南市文化センター");
  EXPECT_EQ(port_.slots.at(50).booked, 1) << "a vaccinated booking keeps its seat (HoldsSeat)";
}

TEST_F(BookingServiceTest, ANoShowFreesTheSeatAndOffersIt) {
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  port_.waitlist.push_back({1, 2, 1, std::nullopt});
  ASSERT_THAT(service_.SetState(port_, port_.tenant, b->id, State::kNoShow), IsOk());
  EXPECT_EQ(port_.slots.at(10).booked, 0);
  EXPECT_EQ(port_.waitlist[0].state, "offered");
  EXPECT_THAT(service_.SetState(port_, port_.tenant, b->id, State::kCheckedIn),
              StatusIs(StatusCode::kFailedPrecondition, "bad_transition"));
}

TEST_F(BookingServiceTest, StaffSetCheckInVaccinatedAndNoShowOnly) {
  EXPECT_TRUE(StaffMaySet(State::kCheckedIn));
  EXPECT_TRUE(StaffMaySet(State::kVaccinated));
  EXPECT_TRUE(StaffMaySet(State::kNoShow));
  EXPECT_FALSE(StaffMaySet(State::kBooked));
  EXPECT_FALSE(StaffMaySet(State::kCancelled)) << "cancelling is Cancel, which sends the notice";
}

TEST_F(BookingServiceTest, TheWaitlistKeepsOnePlaceForTheDoseDueAndOnlyOurVenues) {
  for (int64_t r : {1, 2, 3}) port_.residents.at(r).r.phone = "090-1234-567" + std::to_string(r);
  auto first = service_.JoinWaitlist(port_, port_.tenant, 1, std::nullopt, std::nullopt);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->dose, 1);
  auto again = service_.JoinWaitlist(port_, port_.tenant, 1, 1, std::nullopt);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->id, first->id) << "an existing place is kept";
  port_.doses[2] = {{1, JapanDay(kNow - 30 * kDay), "pfizer"}};
  auto second = service_.JoinWaitlist(port_, port_.tenant, 2, std::nullopt, std::nullopt);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->dose, 2) << "a resident with dose 1 recorded waits for dose 2";
  EXPECT_THAT(service_.JoinWaitlist(port_, port_.tenant, 3, 1, 77), StatusIsOn(StatusCode::kNotFound, "venue_not_found", "venue_id"));
  EXPECT_THAT(service_.JoinWaitlist(port_, port_.tenant, 3, 11, std::nullopt),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "dose"));
  EXPECT_EQ(NextDose({}), 1);
  EXPECT_EQ(NextDose({{2, {}, "pfizer"}, {1, {}, "pfizer"}}), 3);
}

// Issue #11, item 6: a place on the waitlist says how the resident will be told — the list's
// phone or a number they give — and can be left.
TEST_F(BookingServiceTest, AWaitlistPlaceHasAWayToBeToldAndCanBeLeft) {
  EXPECT_THAT(service_.JoinWaitlist(port_, port_.tenant, 1, std::nullopt, std::nullopt),
              StatusIsOn(StatusCode::kInvalidArgument, "no_contact", "phone"))
      << "no phone on the list and none given: nobody could be told";
  EXPECT_THAT(service_.JoinWaitlist(port_, port_.tenant, 1, std::nullopt, std::nullopt, "12-34"),
              StatusIsOn(StatusCode::kInvalidArgument, "bad_phone", "phone"));
  auto given = service_.JoinWaitlist(port_, port_.tenant, 1, std::nullopt, std::nullopt, "090-9999-0001");
  ASSERT_THAT(given, IsOk());
  // A freed seat is offered to the number given, not the list's.
  auto b = Book(2, 10);
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(Txn([&] { return service_.Cancel(port_, port_.tenant, b->id); }), IsOk());
  EXPECT_EQ(port_.outbox.back().notice.template_key, "waitlist_offer");
  EXPECT_EQ(port_.outbox.back().notice.address, "090-9999-0001");
  EXPECT_EQ(port_.outbox.back().notice.resident_id, 0);
  // Leaving: only one's own entry that still waits.
  port_.residents.at(3).r.phone = "0987-31-0003";
  auto listed = service_.JoinWaitlist(port_, port_.tenant, 3, std::nullopt, std::nullopt);
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(service_.LeaveWaitlist(port_, port_.tenant, 2, listed->id), StatusIs(StatusCode::kNotFound, "waitlist_not_found"));
  EXPECT_THAT(service_.LeaveWaitlist(port_, port_.tenant, 3, listed->id), IsOk());
  EXPECT_THAT(service_.LeaveWaitlist(port_, port_.tenant, 3, listed->id), StatusIs(StatusCode::kNotFound, "waitlist_not_found"));
}

Resident Listed(const std::string& address_number, const std::string& ticket) {
  Resident r;
  r.address_number = address_number;
  r.ticket_number = ticket;
  r.name = "住民";
  r.birth_date = *ParseIsoDate("1950-01-01");
  return r;
}

TEST_F(BookingServiceTest, TheTargetListUpdatesByAddressNumberAndATicketHasOneHolder) {
  // Resident 1 holds 宛名番号 100001 and 券番号 5000000001.
  auto counts = Txn([&] {
    return service_.ImportTargetList(port_, port_.tenant, {Listed("100001", "6000000001"), Listed("100009", "5000000001")});
  });
  ASSERT_THAT(counts, IsOk()) << "the ticket freed by row 1 may be taken by row 2";
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->inserted, 1);
  EXPECT_EQ(port_.residents.at(1).r.ticket_number, "6000000001");
  auto clash = Txn([&] { return service_.ImportTargetList(port_, port_.tenant, {Listed("100010", "5000000002")}); });
  EXPECT_THAT(clash, StatusIsOn(StatusCode::kAlreadyExists, "ticket_taken", "row 1")) << "resident 2 holds it";
  EXPECT_THAT(CheckImport({}, {Listed("1", "7000000001"), Listed("2", "7000000001")}),
              StatusIsOn(StatusCode::kAlreadyExists, "ticket_taken", "row 2"));
}

TEST_F(BookingServiceTest, VrsAddsTheDosesWeLackAndReportsThoseThatDisagree) {
  port_.doses[1] = {{1, *ParseIsoDate("2026-12-01"), "pfizer"}};
  VrsDose agreeing{1, 0, *ParseIsoDate("2026-12-01"), "", "452041", "会場", "医師", "pfizer", "FA1"};
  VrsDose second{2, 0, *ParseIsoDate("2026-12-22"), "", "452041", "会場", "医師", "pfizer", "FA2"};
  auto ok = service_.ReconcileVrs(port_, port_.tenant, {{"100001", {agreeing, second}}});
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->people, 1);
  EXPECT_EQ(ok->doses_matched, 1);
  EXPECT_EQ(ok->doses_added, 1);
  ASSERT_EQ(port_.vaccinations.size(), 1u);
  EXPECT_EQ(port_.vaccinations[0].source, "vrs");
  EXPECT_FALSE(port_.vaccinations[0].booking_id);
  VrsDose other_day = agreeing;
  other_day.vaccinated_on = *ParseIsoDate("2026-12-02");
  VrsDose other_maker = agreeing;
  other_maker.vaccine = "moderna";
  auto bad = service_.ReconcileVrs(port_, port_.tenant, {{"100001", {other_day}}, {"100001", {other_maker}}, {"999", {agreeing}}});
  ASSERT_THAT(bad, IsOk());
  ASSERT_EQ(bad->problems.size(), 3u);
  EXPECT_EQ(bad->problems[0].field, "1回目接種日");
  EXPECT_EQ(bad->problems[1].field, "1回目ワクチンメーカー");
  EXPECT_EQ(bad->problems[2].field, "個別宛名番号");
  EXPECT_EQ(bad->problems[2].row, 3);
}

TEST_F(BookingServiceTest, ALineBookingIsAnsweredInLineFirstThenBySmsThenByEmail) {
  BookCommand c = Command(1, 10);
  c.channel = Channel::kLine;
  ASSERT_THAT(Txn([&] { return service_.Book(port_, c); }), IsOk());
  EXPECT_THAT(port_.outbox[0].notice.reach, ElementsAre("line", "sms", "email"));
  EXPECT_THAT(ReachFor(Channel::kPhone), ElementsAre("sms", "email")) << "a phone booking is not answered by a phone call";
}

TEST_F(BookingServiceTest, ASeatFreedAfterTheSlotStartedIsOfferedToNobody) {
  auto b = Book(1, 10);
  ASSERT_THAT(b, IsOk());
  port_.waitlist.push_back({1, 2, 1, std::nullopt});
  clock_.SetMs(kLater + 600'000);  // ten minutes into the slot: the resident did not come
  ASSERT_THAT(service_.SetState(port_, port_.tenant, b->id, State::kNoShow), IsOk());
  EXPECT_EQ(port_.slots.at(10).booked, 0) << "the seat is still given back";
  EXPECT_EQ(port_.waitlist[0].state, "waiting") << "nobody is offered a time that has begun";
  EXPECT_THAT(port_.Kinds(), ElementsAre("booking_confirmed:queued", "reminder:queued"));
}

TEST(NoticesForBookingTest, NoReminderForASlotThatHasStartedAndEachNoticeHasItsOwnKey) {
  BookingRecord b;
  b.id = 7;
  b.slot.id = 10;
  b.slot.starts_at_ms = kLater;
  auto both = NoticesForBooking(b, "booking_changed", kNow);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].dedupe_key, "booking:000000000007:booking_changed:slot10:" + std::to_string(kNow));
  EXPECT_EQ(both[1].due_at_ms, ReminderDueMs(kLater, kNow));
  // Changed to this slot again later: a new notice and reminder, not the first ones again.
  EXPECT_NE(NoticesForBooking(b, "booking_changed", kNow + 1)[1].dedupe_key, both[1].dedupe_key);
  // Written once the slot has begun (staff moving a late arrival): the notice, and no reminder.
  auto late = NoticesForBooking(b, "booking_changed", kLater + 1);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].template_key, "booking_changed");
}

}  // namespace
}  // namespace madoguchi::booking
