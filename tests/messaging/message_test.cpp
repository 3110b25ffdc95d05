// What a message in the outbox must be, before any store sees it.
#include "messaging/message.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::IsOk;
using testing::StatusIs;
using testing::StatusIsOn;

Message Valid() {
  Message m;
  m.tenant = "452041";
  m.resident_id = 7;
  m.channels = {Delivery::kLine, Delivery::kSms};
  m.template_key = "booking_confirmed";
  m.variables = {{"confirmation_code", std::string("K7Q2")}, {"starts_at_ms", int64_t{1'800'000'000'000}}};
  m.due_at_ms = 1'800'000'000'000;
  m.dedupe_key = "booking:12:booking_confirmed:slot3:1800000000000";
  return m;
}

TEST(MessageTest, AWellFormedMessageIsValid) { EXPECT_THAT(ValidateMessage(Valid()), IsOk()); }

TEST(MessageTest, EachFaultIsNamedByItsField) {
  auto refused = [](auto change) {
    Message m = Valid();
    change(m);
    return ValidateMessage(m);
  };
  EXPECT_THAT(refused([](Message& m) { m.address = "09012345678"; }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "recipient"))
      << "a resident and an address";
  EXPECT_THAT(refused([](Message& m) { m.resident_id.reset(); }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "recipient"));
  EXPECT_THAT(refused([](Message& m) { m.channels.clear(); }), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "channels"));
  EXPECT_THAT(refused([](Message& m) { m.channels.push_back(Delivery::kLine); }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "channels"));
  EXPECT_THAT(refused([](Message& m) { m.template_key = "Booking Confirmed"; }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "template_key"));
  EXPECT_THAT(refused([](Message& m) { m.dedupe_key.clear(); }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "dedupe_key"));
  EXPECT_THAT(refused([](Message& m) { m.dedupe_key = std::string(201, 'a'); }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "dedupe_key"));
  EXPECT_THAT(refused([](Message& m) { m.variables["名前"] = std::string("x"); }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "variables"));
  EXPECT_THAT(refused([](Message& m) { m.expires_at_ms = m.due_at_ms; }),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "expires_at"));
}

TEST(MessageTest, NamesReadBackAndUnknownStoredNamesAreErrors) {
  for (Delivery d : {Delivery::kSms, Delivery::kEmail, Delivery::kLine, Delivery::kVoice}) {
    EXPECT_EQ(*ParseDelivery(DeliveryName(d)), d);
  }
  for (Purpose p : {Purpose::kBooking, Purpose::kReminder, Purpose::kWaitlist, Purpose::kFollowUp, Purpose::kKitReview, Purpose::kTriage,
                    Purpose::kCampaign, Purpose::kReply}) {
    EXPECT_EQ(*ParsePurpose(PurposeName(p)), p);
  }
  for (MessageState s : {MessageState::kQueued, MessageState::kSending, MessageState::kSent, MessageState::kDelivered,
                         MessageState::kFailed, MessageState::kCancelled, MessageState::kExpired, MessageState::kSuppressed}) {
    EXPECT_EQ(*ParseMessageState(MessageStateName(s)), s);
  }
  EXPECT_THAT(ParseDelivery("fax"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "channels"));
  EXPECT_THAT(ParseMessageState("pending"), StatusIs(StatusCode::kInternal, "unknown_state"));
  EXPECT_THAT(ParsePurpose("spam"), StatusIs(StatusCode::kInternal, "unknown_purpose"));
  EXPECT_THAT(ParseUrgency("soon"), StatusIs(StatusCode::kInternal, "unknown_urgency"));
}

}  // namespace
}  // namespace madoguchi::messaging
