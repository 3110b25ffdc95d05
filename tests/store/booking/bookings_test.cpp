// The booking store on every backend: capacity and one-booking-per-ticket hold under concurrency
// (plain transactions and group commit), cancel/change/rebook, eligibility, the outbox, the
// waitlist, idempotency keys and the target-list import.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/accounts/accounts.hpp"
#include "store/batch_writer.hpp"
#include "store/booking/bookings.hpp"
#include "store/booking/port.hpp"
#include "store/migrations.hpp"
#include "store/outbox/messages.hpp"
#include "support/status_matchers.hpp"
#include "support/test_db.hpp"

namespace madoguchi::store {
namespace {

using booking::Channel;
using booking::State;
using testing::IsOk;
using testing::TestDatabase;

constexpr const char* kTenant = "452041";
constexpr int64_t kNow = 1'800'000'000'000;            // 2027-01-15
constexpr int64_t kSlotTime = kNow + 10 * 86'400'000;  // ten days later

booking::Resident Person(int i) {
  booking::Resident r;
  r.address_number = std::to_string(100000 + i);
  r.ticket_number = std::to_string(5000000000LL + i);
  r.name = "住民 " + std::to_string(i);
  r.name_kana = "ジュウミン タロウ";
  r.birth_date = *ParseIsoDate("1950-04-01");
  r.address = "宮崎県日南市";
  r.phone = "0987-00-" + std::to_string(1000 + i);
  return r;
}

class BookingStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    OpenOptions o;
    o.max_connections = 24;
    db_ = tdb_->Open(true, o);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(Run([&](Connection& c) { return InsertTenant(c, {kTenant, "日南市", kNow}); }).ok());
  }
  Status Run(const std::function<Status(Connection&)>& fn) { return InTransaction(*db_, fn); }

  // The booking core on this backend's port, as the server runs it.
  Result<booking::BookingRecord> BookOn(Connection& c, const booking::BookCommand& q) {
    SqlBookingPort port(c);
    return service_.Book(port, q);
  }
  Result<booking::BookingRecord> ChangeOn(Connection& c, int64_t id, int64_t slot) {
    SqlBookingPort port(c);
    return service_.Change(port, kTenant, id, slot);
  }
  Result<booking::BookingRecord> CancelOn(Connection& c, int64_t id) {
    SqlBookingPort port(c);
    return service_.Cancel(port, kTenant, id);
  }
  Result<booking::BookingRecord> SetStateOn(Connection& c, int64_t id, State to, const std::string& lot = "",
                                            const std::string& doctor = "") {
    SqlBookingPort port(c);
    return service_.SetState(port, kTenant, id, to, lot, doctor);
  }
  Status JoinOn(Connection& c, int64_t resident, int dose) {
    SqlBookingPort port(c);
    return service_.JoinWaitlist(port, kTenant, resident, dose, std::nullopt).status();
  }

  void AddResidents(int n) {
    std::vector<booking::Resident> list;
    for (int i = 0; i < n; ++i) list.push_back(Person(i));
    ASSERT_TRUE(Run([&](Connection& c) { return testing::ImportResidents(c, kTenant, list, kNow); }).ok());
  }
  int64_t AddSlot(int capacity, int dose = 1, int64_t at = kSlotTime, const std::string& vaccine = "pfizer") {
    int64_t venue = 0, slot = 0;
    EXPECT_TRUE(Run([&](Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(venue, InsertVenue(c, kTenant, {"日南市文化センター", "日南市中央通"}, kNow));
                  MADOGUCHI_ASSIGN_OR_RETURN(slot, InsertSlot(c, kTenant, venue, {at, at + 1'800'000, capacity, vaccine, dose}, kNow));
                  return Status::Ok();
                }).ok());
    return slot;
  }
  booking::ResidentRecord Resident(int i) {
    std::optional<booking::ResidentRecord> r;
    EXPECT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(r, FindResidentByTicket(c, kTenant, Person(i).ticket_number));
                  return Status::Ok();
                }).ok());
    return r.value_or(booking::ResidentRecord{});
  }
  // With `rules` saved as the municipality's first (the port reads them back).
  Result<booking::BookingRecord> Book(int i, int64_t slot, std::optional<booking::Rules> rules = std::nullopt) {
    if (rules) {
      EXPECT_THAT(Run([&](Connection& c) { return SaveTenantRules(c, kTenant, *rules, 0); }), IsOk());
      service_.ForgetRules(kTenant);
    }
    booking::BookCommand q{kTenant, Resident(i), slot, Channel::kWeb, std::nullopt};
    booking::BookingRecord out;
    Status s = Run([&](Connection& c) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(out, BookOn(c, q));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }
  booking::SlotRecord Slot(int64_t id) {
    booking::SlotRecord s;
    EXPECT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(s, GetSlot(c, kTenant, id));
                  return Status::Ok();
                }).ok());
    return s;
  }
  int64_t Active(std::optional<int64_t> slot = std::nullopt) {
    int64_t n = -1;
    EXPECT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(n, CountActiveBookings(c, kTenant, slot));
                  return Status::Ok();
                }).ok());
    return n;
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Database> db_;
  FakeClock clock_{kNow};
  booking::BookingService service_{clock_};
};

TEST_P(BookingStoreTest, ManyTransactionsRacingForTheLastSeatsFillExactlyTheCapacity) {
  AddResidents(400);
  const int64_t slot = AddSlot(25);
  std::atomic<int> ok{0}, full{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 400; i += 16) {
        auto r = Book(i, slot);
        if (r.ok()) ++ok;
        else if (r.status().key() == "slot_full") ++full;
        else ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 25);
  EXPECT_EQ(full.load(), 375);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Slot(slot).booked, 25);
  EXPECT_EQ(Active(slot), 25);
}

TEST_P(BookingStoreTest, GroupCommitKeepsTheSameGuaranteesAndBatches) {
  AddResidents(600);
  const int64_t slot = AddSlot(100);
  BatchWriter writer(*db_, DefaultBatchWriterOptions(*db_));
  std::atomic<int> ok{0}, full{0}, dup{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 32; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 600; i += 32) {
        // Each resident tries twice: the second must never book again.
        for (int rep = 0; rep < 2; ++rep) {
          const booking::ResidentRecord resident = Resident(i);
          booking::BookCommand q{kTenant, resident, slot, Channel::kLine, std::nullopt};
          Status s = writer.Run([&](Connection& c) { return BookOn(c, q).status(); });
          if (s.ok()) ++ok;
          else if (s.key() == "slot_full") ++full;
          else if (s.key() == "already_booked") ++dup;
          else ++other;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(dup.load(), 100) << "each of the 100 who booked was refused a second time";
  EXPECT_EQ(full.load(), 1000);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Slot(slot).booked, 100);
  EXPECT_EQ(Active(slot), 100);
  EXPECT_LT(writer.batches(), writer.ops()) << "several bookings shared a commit";
}

TEST_P(BookingStoreTest, OneTicketRacingForManySlotsGetsOneBooking) {
  AddResidents(1);
  std::vector<int64_t> slots;
  for (int i = 0; i < 8; ++i) slots.push_back(AddSlot(5));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 5; ++rep) {
        auto r = Book(0, slots[t]);
        if (r.ok()) ++ok;
        else EXPECT_EQ(r.status().key(), "already_booked") << r.status().ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(Active(), 1);
  int64_t seats = 0;
  for (int64_t s : slots) seats += Slot(s).booked;
  EXPECT_EQ(seats, 1) << "no seat is held by a refused attempt";
}

TEST_P(BookingStoreTest, CancelChangeAndRebookMoveSeatsAndWriteTheOutbox) {
  AddResidents(3);
  const int64_t a = AddSlot(1), b = AddSlot(1);
  auto first = Book(0, a);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(booking::LooksLikeConfirmationCode(first->confirmation_code));
  EXPECT_EQ(Book(1, a).status().key(), "slot_full");
  ASSERT_TRUE(Run([&](Connection& c) { return JoinOn(c, Resident(1).id, 1); }).ok());

  // Change to b: a frees up and is offered to the waitlist.
  booking::BookingRecord changed;
  ASSERT_TRUE(Run([&](Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(changed, ChangeOn(c, first->id, b));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(changed.confirmation_code, first->confirmation_code);
  EXPECT_EQ(Slot(a).booked, 0);
  EXPECT_EQ(Slot(b).booked, 1);
  // Cancel; the ticket can book again.
  ASSERT_TRUE(Run([&](Connection& c) { return CancelOn(c, first->id).status(); }).ok());
  EXPECT_EQ(Slot(b).booked, 0);
  EXPECT_EQ(Run([&](Connection& c) { return CancelOn(c, first->id).status(); }).key(), "bad_transition");
  auto again = Book(0, a);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(again->confirmation_code, first->confirmation_code);

  std::vector<StoredMessage> outbox;
  ASSERT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(outbox, ListMessages(c, kTenant, 100));
                return Status::Ok();
              }).ok());
  std::vector<std::string> kinds;
  int pending_reminders = 0;
  for (const auto& o : outbox) {
    kinds.push_back(o.message.template_key + ":" + std::string(messaging::MessageStateName(o.state)));
    if (o.message.template_key == "reminder" && o.state == messaging::MessageState::kQueued) {
      ++pending_reminders;
      EXPECT_EQ(o.message.booking_id, again->id);
      EXPECT_EQ(o.message.due_at_ms, booking::ReminderDueMs(kSlotTime, kNow));
      EXPECT_EQ(o.message.expires_at_ms, kSlotTime);
    }
    // Where the booking was made is not how it is answered: these bookings came from the web (SMS,
    // then email for a resident with no mobile who gave an address); a waitlist offer goes by SMS
    // to the number the waitlist took.
    const std::vector<messaging::Delivery> expected =
        o.message.template_key == "waitlist_offer"
            ? std::vector<messaging::Delivery>{messaging::Delivery::kSms}
            : std::vector<messaging::Delivery>{messaging::Delivery::kSms, messaging::Delivery::kEmail};
    EXPECT_EQ(o.message.channels, expected) << o.message.template_key;
  }
  EXPECT_EQ(pending_reminders, 1) << "only the live booking keeps a reminder";
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"booking_confirmed:queued", "reminder:cancelled", "booking_changed:queued", "reminder:cancelled",
                                      "waitlist_offer:queued", "booking_cancelled:queued", "booking_confirmed:queued", "reminder:queued"}));
}

TEST_P(BookingStoreTest, EligibilityRulesAndVaccinationHistory) {
  AddResidents(1);
  const int64_t d1 = AddSlot(5, 1, kSlotTime, "pfizer");
  booking::Rules rules;
  rules.min_age = 80;  // born 1950: 76 in 2027
  EXPECT_EQ(Book(0, d1, rules).status().key(), "not_eligible");
  rules.min_age = 65;
  rules.max_dose = 2;
  auto b = Book(0, d1, rules);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(Run([&](Connection& c) { return SetStateOn(c, b->id, State::kCheckedIn).status(); }).ok());
  ASSERT_TRUE(Run([&](Connection& c) { return SetStateOn(c, b->id, State::kVaccinated, "FA1234", "日南 医師").status(); }).ok());
  // Dose 2: too soon, wrong vaccine, then right.
  const int64_t early = AddSlot(5, 2, kSlotTime + 10 * 86'400'000LL);
  const int64_t moderna = AddSlot(5, 2, kSlotTime + 30 * 86'400'000LL, "moderna");
  const int64_t good = AddSlot(5, 2, kSlotTime + 30 * 86'400'000LL);
  auto too_soon = Book(0, early, rules);
  EXPECT_EQ(too_soon.status().field(), "interval");
  EXPECT_EQ(Book(0, moderna, rules).status().field(), "vaccine");
  EXPECT_TRUE(Book(0, good, rules).ok());
}

// A list is imported many rows per statement; the outcome is what importing row by row would give.
TEST_P(BookingStoreTest, ImportOfALongListAndTicketsMovingBetweenResidents) {
  std::vector<booking::Resident> list;
  for (int i = 0; i < 1234; ++i) list.push_back(Person(i));  // more than two statements' worth
  booking::ImportCounts counts;
  auto import = [&](const std::vector<booking::Resident>& rows) {
    return Run([&](Connection& c) -> Status {
      SqlBookingPort port(c);
      MADOGUCHI_ASSIGN_OR_RETURN(counts, service_.ImportTargetList(port, kTenant, rows));
      return Status::Ok();
    });
  };
  ASSERT_TRUE(import(list).ok());
  EXPECT_EQ(counts.inserted, 1234);
  EXPECT_EQ(counts.updated, 0);
  list[1233].phone = "090-9999-0000";
  ASSERT_TRUE(import(list).ok());
  EXPECT_EQ(counts.inserted, 0);
  EXPECT_EQ(counts.updated, 1234);
  EXPECT_EQ(Resident(1233).r.phone, "090-9999-0000");

  // Resident 1 takes resident 0's ticket in the row after resident 0 gave it up: accepted.
  std::vector<booking::Resident> moves = {Person(0), Person(1)};
  moves[0].ticket_number = "5999999999";
  moves[1].ticket_number = Person(0).ticket_number;
  ASSERT_TRUE(import(moves).ok());
  EXPECT_EQ(counts.updated, 2);
  auto holder = [&](const std::string& ticket) {
    std::optional<booking::ResidentRecord> r;
    EXPECT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                  MADOGUCHI_ASSIGN_OR_RETURN(r, FindResidentByTicket(c, kTenant, ticket));
                  return Status::Ok();
                }).ok());
    return r ? r->r.address_number : std::string("nobody");
  };
  EXPECT_EQ(holder(Person(0).ticket_number), Person(1).address_number);
  EXPECT_EQ(holder("5999999999"), Person(0).address_number);
  EXPECT_EQ(holder(Person(1).ticket_number), "nobody");
  // Taking a ticket its holder keeps: the whole file is refused, naming the row, and nothing changes.
  std::vector<booking::Resident> clash = {Person(5), Person(2)};
  clash[0].phone = "090-0000-0005";
  clash[1].ticket_number = Person(3).ticket_number;
  Status s = import(clash);
  EXPECT_EQ(s.field(), "row 2");
  EXPECT_EQ(s.key(), "ticket_taken");
  EXPECT_EQ(Resident(5).r.phone, Person(5).phone);
}

// Issue #10 §3: a state the code does not know, read from the database (a later version's, or a
// hand edit past the CHECK), is an error; it once read as "booked", which counts as active and
// may be moved and cancelled.
TEST_P(BookingStoreTest, AStoredStateTheCodeDoesNotKnowIsAnError) {
  AddResidents(1);
  auto b = Book(0, AddSlot(2));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  const std::string edit = db_->backend() == Backend::kSqlite
                               ? "PRAGMA ignore_check_constraints = ON; UPDATE bookings SET state = 'on_hold'; "
                                 "PRAGMA ignore_check_constraints = OFF;"
                               : "ALTER TABLE bookings DROP CONSTRAINT bookings_state_check; UPDATE bookings SET state = 'on_hold';";
  {
    auto conn = db_->Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->ExecuteScript(edit).ok());
  }
  Status read = WithConnection(*db_, [&](Connection& c) { return GetBooking(c, kTenant, b->id).status(); });
  EXPECT_EQ(read.code(), StatusCode::kInternal);
  EXPECT_EQ(read.key(), "bad_stored_value");
  EXPECT_NE(read.message().find("on_hold"), std::string::npos) << read.ToString();
  EXPECT_EQ(Run([&](Connection& c) { return CancelOn(c, b->id).status(); }).key(), "bad_stored_value") << "nothing acts on it";
}

// Issue #10 §2: a stored birth date that is not a date was read as 1970-01-01 (value_or), which
// eligibility then judged; it is an error now, on every read of the resident.
TEST_P(BookingStoreTest, AStoredBirthDateThatIsNotADateIsAnError) {
  AddResidents(1);
  ASSERT_TRUE(Run([](Connection& c) { return c.Query("UPDATE residents SET birth_date = 'S25.4.1'").status(); }).ok());
  Status read = WithConnection(*db_, [&](Connection& c) { return FindResidentByTicket(c, kTenant, Person(0).ticket_number).status(); });
  EXPECT_EQ(read.code(), StatusCode::kInternal);
  EXPECT_EQ(read.key(), "bad_stored_birth_date");
}

TEST_P(BookingStoreTest, IdempotencyKeysAndImportUpdates) {
  ASSERT_TRUE(Run([&](Connection& c) { return SaveIdempotencyKey(c, kTenant, "k1", {"h", 201, "{}"}, kNow); }).ok());
  EXPECT_EQ(Run([&](Connection& c) {
              return SaveIdempotencyKey(c, kTenant, "k1", {"h", 201, "{}"}, kNow);
            }).code(),
            StatusCode::kAlreadyExists);
  std::optional<StoredResponse> found;
  ASSERT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(found, FindIdempotencyKey(c, kTenant, "k1"));
                return Status::Ok();
              }).ok());
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, 201);

  AddResidents(5);
  std::vector<booking::Resident> again = {Person(0), Person(7)};
  again[0].phone = "090-1111-2222";
  booking::ImportCounts counts;
  ASSERT_TRUE(Run([&](Connection& c) -> Status {
                SqlBookingPort port(c);
                MADOGUCHI_ASSIGN_OR_RETURN(counts, service_.ImportTargetList(port, kTenant, again));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(counts.inserted, 1);
  EXPECT_EQ(counts.updated, 1);
  std::vector<booking::Resident> clash = {Person(1)};
  clash[0].address_number = "999";
  Status s = Run([&](Connection& c) { return testing::ImportResidents(c, kTenant, clash, kNow); });
  EXPECT_EQ(s.field(), "row 1");
  EXPECT_EQ(s.key(), "ticket_taken");
  // Search by phone, kana prefix, ticket.
  std::vector<booking::ResidentRecord> hits;
  ASSERT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(hits, SearchResidents(c, kTenant, *booking::ReadResidentQuery("09011112222"), 10));
                return Status::Ok();
              }).ok());
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].r.address_number, Person(0).address_number);
  ASSERT_TRUE(WithConnection(*db_, [&](Connection& c) -> Status {
                MADOGUCHI_ASSIGN_OR_RETURN(hits, SearchResidents(c, kTenant, *booking::ReadResidentQuery("ジュウミン"), 10));
                return Status::Ok();
              }).ok());
  EXPECT_EQ(hits.size(), 6u);
}

// Issue #11, item 10: callers give their given name too; the family name's matches come first.
TEST_P(BookingStoreTest, AnOperatorFindsAResidentByTheGivenNameToo) {
  std::vector<booking::Resident> list;
  for (const auto& [i, kana] : {std::pair{0, "ナンゴウ イチロウ"}, {1, "イチカワ ハナコ"}, {2, "ナンゴウ　ジロウ"}, {3, "アブラツ"}}) {
    booking::Resident r = Person(i);
    r.name_kana = kana;
    list.push_back(r);
  }
  ASSERT_THAT(Run([&](Connection& c) { return testing::ImportResidents(c, kTenant, list, kNow); }), IsOk());
  auto search = [&](const char* typed) {
    std::vector<std::string> kana;
    EXPECT_THAT(WithConnection(*db_,
                               [&](Connection& c) -> Status {
                                 MADOGUCHI_ASSIGN_OR_RETURN(auto hits, SearchResidents(c, kTenant, *booking::ReadResidentQuery(typed), 10));
                                 for (const auto& h : hits) kana.push_back(h.r.name_kana);
                                 return Status::Ok();
                               }),
                IsOk());
    return kana;
  };
  EXPECT_THAT(search("イチ"), ::testing::ElementsAre("イチカワ ハナコ", "ナンゴウ イチロウ"));
  EXPECT_THAT(search("じろう"), ::testing::ElementsAre("ナンゴウ　ジロウ")) << "after a full-width space, typed in hiragana";
  EXPECT_THAT(search("ナンゴウ"), ::testing::ElementsAre("ナンゴウ イチロウ", "ナンゴウ　ジロウ"));
  EXPECT_THAT(search("ロウ"), ::testing::IsEmpty()) << "the start of a name, not any part";
}

// Migration 11 fills the given name's kana of residents listed before it.
TEST_P(BookingStoreTest, MigrationElevenFillsTheGivenNamesOfResidentsAlreadyListed) {
  auto tdb = std::make_unique<TestDatabase>(GetParam());
  auto db = tdb->Open(false);
  ASSERT_NE(db, nullptr);
  ASSERT_THAT(Migrate(*db, 10), IsOk());
  ASSERT_THAT(InTransaction(
                  *db,
                  [](Connection& c) -> Status {
                    MADOGUCHI_RETURN_IF_ERROR(InsertTenant(c, {kTenant, "日南市", kNow}));
                    return c
                        .Query(
                            "INSERT INTO residents (tenant_code, address_number, ticket_number, name, name_kana, kana_compact, "
                            "birth_date, address, phone, phone_digits, created_at, updated_at) VALUES "
                            "(?, '1', '1000000001', '南郷 一郎', 'ナンゴウ イチロウ', 'ナンゴウイチロウ', '1941-01-01', '', '', '', 0, 0), "
                            "(?, '2', '1000000002', '南郷 次郎', 'ナンゴウ　ジ ロウ', 'ナンゴウジロウ', '1943-01-01', '', '', '', 0, 0), "
                            "(?, '3', '1000000003', '油津', 'アブラツ', 'アブラツ', '1945-01-01', '', '', '', 0, 0)",
                            {std::string(kTenant), std::string(kTenant), std::string(kTenant)})
                        .status();
                  }),
              IsOk());
  ASSERT_THAT(Migrate(*db), IsOk());
  std::vector<std::string> given;
  ASSERT_THAT(WithConnection(*db,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                                                          c.Query("SELECT given_kana FROM residents ORDER BY address_number", {}));
                               for (const Row& r : rows) given.push_back(r.Text(0));
                               return Status::Ok();
                             }),
              IsOk());
  EXPECT_THAT(given, ::testing::ElementsAre("イチロウ", "ジロウ", ""));
  EXPECT_EQ(booking::GivenKana("ナンゴウ　ジ ロウ"), "ジロウ") << "the same as the import writes";
}

INSTANTIATE_TEST_SUITE_P(Backends, BookingStoreTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::store
