// The outbox on both backends: a message is written once per dedupe key, a bad one writes
// nothing, what cannot be read back is an error, and the old outbox's rows survive migration 7.
#include "store/outbox/messages.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "booking/service.hpp"
#include "store/accounts/accounts.hpp"
#include "store/migrations.hpp"
#include "support/status_matchers.hpp"
#include "support/test_db.hpp"

namespace madoguchi::store {
namespace {

using messaging::Delivery;
using messaging::Message;
using messaging::MessageState;
using testing::IsOk;
using testing::StatusIs;
using testing::StatusIsOn;
using testing::TestDatabase;

constexpr char kTenant[] = "452041";
constexpr int64_t kNow = 1'800'000'000'000;

Message ToAddress(std::string dedupe_key) {
  Message m;
  m.tenant = kTenant;
  m.address = "09012345678";
  m.channels = {Delivery::kSms, Delivery::kVoice};
  m.template_key = "follow_up_link";
  m.variables = {{"name", std::string("日南 花子")}, {"day", int64_t{3}}};
  m.purpose = messaging::Purpose::kFollowUp;
  m.urgency = messaging::Urgency::kUrgent;
  m.due_at_ms = kNow;
  m.expires_at_ms = kNow + 3'600'000;
  m.dedupe_key = std::move(dedupe_key);
  return m;
}

class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    db_ = tdb_->Open(true);
    ASSERT_NE(db_, nullptr);
    ASSERT_THAT(InTransaction(*db_, [](Connection& c) { return InsertTenant(c, {kTenant, "日南市", kNow}); }), IsOk());
  }
  Status Enqueue(const std::vector<Message>& m) {
    return InTransaction(*db_, [&](Connection& c) { return EnqueueMessages(c, m, kNow); });
  }
  Result<std::vector<StoredMessage>> List() {
    std::vector<StoredMessage> out;
    Status s = WithConnection(*db_, [&](Connection& c) -> Status {
      MADOGUCHI_ASSIGN_OR_RETURN(out, ListMessages(c, kTenant, 100));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Database> db_;
};

TEST_P(OutboxTest, AMessageIsStoredWholeAndReadBackAsWritten) {
  ASSERT_THAT(Enqueue({ToAddress("care:1:day3")}), IsOk());
  auto list = List();
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 1u);
  const StoredMessage& s = list->front();
  EXPECT_EQ(s.state, MessageState::kQueued);
  EXPECT_EQ(s.message.address, "09012345678");
  EXPECT_EQ(s.message.channels, (std::vector<Delivery>{Delivery::kSms, Delivery::kVoice})) << "the order of preference is kept";
  EXPECT_EQ(s.message.variables, ToAddress("x").variables) << "text and numbers, as JSON";
  EXPECT_EQ(s.message.purpose, messaging::Purpose::kFollowUp);
  EXPECT_EQ(s.message.urgency, messaging::Urgency::kUrgent);
  EXPECT_EQ(s.message.expires_at_ms, kNow + 3'600'000);
  EXPECT_EQ(s.created_at_ms, kNow);
}

TEST_P(OutboxTest, TheSameDedupeKeyIsTheSameMessageWrittenOnce) {
  ASSERT_THAT(Enqueue({ToAddress("care:1:day3"), ToAddress("care:1:day4")}), IsOk());
  ASSERT_THAT(Enqueue({ToAddress("care:1:day3")}), IsOk()) << "a retried write is not an error";
  auto list = List();
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->size(), 2u);
}

TEST_P(OutboxTest, AnInvalidMessageWritesNothingOfItsBatch) {
  Message bad = ToAddress("care:1:day5");
  bad.channels = {Delivery::kSms, Delivery::kSms};
  EXPECT_THAT(Enqueue({ToAddress("care:1:day4"), bad}), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "channels"));
  Message nobody = ToAddress("care:1:day6");
  nobody.address.clear();
  EXPECT_THAT(Enqueue({nobody}), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "recipient"));
  auto list = List();
  ASSERT_THAT(list, IsOk());
  EXPECT_TRUE(list->empty());
}

TEST_P(OutboxTest, AStoredValueThisBuildDoesNotKnowIsAnErrorNotAGuess) {
  ASSERT_THAT(Enqueue({ToAddress("care:1:day3")}), IsOk());
  ASSERT_THAT(InTransaction(*db_, [](Connection& c) { return c.Query("UPDATE messages SET channels = 'sms,fax'").status(); }), IsOk());
  EXPECT_THAT(List(), StatusIs(StatusCode::kInternal, "unknown_channel"));
}

TEST_P(OutboxTest, WithdrawingByKeyPrefixTakesOnlyThatPrefixsPendingMessages) {
  ASSERT_THAT(Enqueue({ToAddress("booking:000000000001:reminder:slot3:1"), ToAddress("booking:000000000001:booking_confirmed:slot3:1"),
                       ToAddress("booking:000000000010:reminder:slot3:1"), ToAddress("booking:000000000001:reminder:slot4:2")}),
              IsOk());
  ASSERT_THAT(InTransaction(*db_, [](Connection& c) { return CancelPendingByKeyPrefix(c, kTenant, "booking:000000000001:reminder:"); }),
              IsOk());
  auto list = List();
  ASSERT_THAT(list, IsOk());
  std::vector<MessageState> states;
  for (const auto& m : *list) states.push_back(m.state);
  EXPECT_EQ(states,
            (std::vector<MessageState>{MessageState::kCancelled, MessageState::kQueued, MessageState::kQueued, MessageState::kCancelled}))
      << "booking 1's reminders only: not its confirmation, not booking 10's";
}

// Migration 7 keeps what the old outbox held: its kind becomes the template, where the booking
// was made becomes how it is answered (LINE then SMS for LINE; SMS otherwise).
TEST_P(OutboxTest, TheOldOutboxRowsSurviveMigrationSeven) {
  auto tdb = std::make_unique<TestDatabase>(GetParam());
  auto db = tdb->Open(false);
  ASSERT_NE(db, nullptr);
  ASSERT_THAT(Migrate(*db, 6), IsOk());
  ASSERT_THAT(
      InTransaction(
          *db,
          [](Connection& c) -> Status {
            MADOGUCHI_RETURN_IF_ERROR(InsertTenant(c, {kTenant, "日南市", kNow}));
            MADOGUCHI_ASSIGN_OR_RETURN(
                int64_t resident, c.InsertReturningId("INSERT INTO residents (tenant_code, address_number, ticket_number, name, name_kana, "
                                                      "kana_compact, birth_date, address, phone, phone_digits, created_at, updated_at) "
                                                      "VALUES (?, '1', '1000000001', '日南 一郎', 'ニチナン イチロウ', 'ニチナンイチロウ', "
                                                      "'1950-01-01', '', '', '', ?, ?)",
                                                      {std::string(kTenant), kNow, kNow}));
            // A booking whose reminder is still pending.
            MADOGUCHI_ASSIGN_OR_RETURN(
                int64_t venue, c.InsertReturningId("INSERT INTO venues (tenant_code, name, address, created_at) VALUES (?, '会場', '', ?)",
                                                   {std::string(kTenant), kNow}));
            MADOGUCHI_ASSIGN_OR_RETURN(
                int64_t slot,
                c.InsertReturningId("INSERT INTO slots (tenant_code, venue_id, starts_at, ends_at, capacity, booked, vaccine, dose, "
                                    "created_at) VALUES (?, ?, ?, ?, 5, 1, 'pfizer', 1, ?)",
                                    {std::string(kTenant), venue, kNow + 86'400'000, kNow + 88'200'000, kNow}));
            MADOGUCHI_ASSIGN_OR_RETURN(
                int64_t booking,
                c.InsertReturningId("INSERT INTO bookings (tenant_code, resident_id, dose, slot_id, state, channel, confirmation_code, "
                                    "created_at, updated_at) VALUES (?, ?, 1, ?, 'booked', 'web', 'K7Q2ABCD', ?, ?)",
                                    {std::string(kTenant), resident, slot, kNow, kNow}));
            MADOGUCHI_RETURN_IF_ERROR(
                c.Query("INSERT INTO outbox (tenant_code, kind, booking_id, resident_id, channel, payload, due_at, state, "
                        "created_at) VALUES (?, 'reminder', ?, ?, 'web', '{}', ?, 'pending', ?)",
                        {std::string(kTenant), booking, resident, kNow + 2, kNow})
                    .status());
            return c
                .Query(
                    "INSERT INTO outbox (tenant_code, kind, resident_id, channel, payload, due_at, state, created_at) "
                    "VALUES (?, 'booking_confirmed', ?, 'line', '{\"confirmation_code\":\"K7Q2\",\"dose\":1}', ?, "
                    "'sent', ?), (?, 'reminder', ?, 'phone', '{\"dose\":1}', ?, 'pending', ?)",
                    {std::string(kTenant), resident, kNow, kNow, std::string(kTenant), resident, kNow + 1, kNow})
                .status();
          }),
      IsOk());
  ASSERT_THAT(Migrate(*db), IsOk());
  std::vector<StoredMessage> list;
  ASSERT_THAT(WithConnection(*db,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(list, ListMessages(c, kTenant, 10));
                               return Status::Ok();
                             }),
              IsOk());
  ASSERT_EQ(list.size(), 3u);  // the booking's reminder first (it was written first)
  EXPECT_EQ(list[1].message.template_key, "booking_confirmed");
  EXPECT_EQ(list[1].state, MessageState::kSent);
  EXPECT_EQ(list[1].message.channels, (std::vector<Delivery>{Delivery::kLine, Delivery::kSms}));
  EXPECT_EQ(std::get<std::string>(list[1].message.variables.at("confirmation_code")), "K7Q2");
  EXPECT_EQ(list[2].message.purpose, messaging::Purpose::kReminder);
  EXPECT_EQ(list[2].message.channels, std::vector<Delivery>{Delivery::kSms}) << "a phone booking is answered by SMS";
  EXPECT_EQ(list[2].message.due_at_ms, kNow + 1);
  // The booking's migrated reminder is withdrawn with the booking, as a new one would be.
  const StoredMessage reminder = list[0];
  ASSERT_TRUE(reminder.message.booking_id.has_value());
  const std::string prefix = booking::ReminderKeyPrefix(*reminder.message.booking_id);
  EXPECT_TRUE(reminder.message.dedupe_key.starts_with(prefix)) << reminder.message.dedupe_key;
  ASSERT_THAT(InTransaction(*db, [&](Connection& c) { return CancelPendingByKeyPrefix(c, kTenant, prefix); }), IsOk());
  ASSERT_THAT(WithConnection(*db,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(list, ListMessages(c, kTenant, 10));
                               return Status::Ok();
                             }),
              IsOk());
  EXPECT_EQ(list[0].state, MessageState::kCancelled);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::store
