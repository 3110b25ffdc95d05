// The waiting room: the gate admits while there is room, then hands out numbers served in order;
// the API answers 503 with the place, an estimate and a signed ticket; the page shows the place
// and refreshes. (Throttling of failed guesses lives in the database: auth_test, booking_api_test.)
#include <gtest/gtest.h>

#include "store/booking_repo.hpp"
#include "support/web_fixture.hpp"
#include "web/admission.hpp"

namespace madoguchi::web {
namespace {

using testing::Call;
using testing::kOwnTenant;
using testing::WebFixture;

TEST(AdmissionGateTest, AdmitsWhileThereIsRoomThenServesNumbersInOrder) {
  FakeClock clock;
  int64_t committed = 0;
  AdmissionGate gate(2, [&] { return committed; }, clock);
  EXPECT_TRUE(gate.Check(0).admitted);
  EXPECT_TRUE(gate.Check(0).admitted);
  const auto third = gate.Check(0);
  const auto fourth = gate.Check(0);
  EXPECT_FALSE(third.admitted);
  EXPECT_FALSE(fourth.admitted);
  EXPECT_EQ(third.position, 1);
  EXPECT_EQ(fourth.position, 2);
  EXPECT_GT(fourth.eta_sec, 0);
  // A newcomer queues behind them even when room frees up.
  gate.Done();
  EXPECT_FALSE(gate.Check(0).admitted);
  // The first in line gets the freed place; the second still waits.
  EXPECT_TRUE(gate.Check(third.number).admitted);
  EXPECT_FALSE(gate.Check(fourth.number).admitted);
  gate.Done();
  EXPECT_TRUE(gate.Check(fourth.number).admitted);
}

TEST(AdmissionGateTest, QueueNumbersAreSignedAndExpire) {
  const std::string secret = "s3cret";
  const std::string t = SignNumber(secret, 42, 1000);
  EXPECT_EQ(VerifyNumber(secret, t, 2000), 42);
  EXPECT_FALSE(VerifyNumber("other", t, 2000));
  EXPECT_FALSE(VerifyNumber(secret, "41" + t.substr(2), 2000)) << "an edited number is refused";
  EXPECT_FALSE(VerifyNumber(secret, t, 1000 + 3'600'001)) << "an hour at most";
}

TEST(WaitingRoomTest, ApiAndPagesTellTheVisitorTheirPlace) {
  WebSettings settings;
  settings.admission_max_in_flight = 0;  // everyone waits: the room is full
  WebFixture fx("sqlite", settings);
  ASSERT_TRUE(fx.ready());
  auto r = fx.Send(Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/bookings"}.Json(
      {{"ticket_number", "1234567890"}, {"birth_date", "1950-01-01"}, {"slot_id", 1}}));
  EXPECT_EQ(r.status, 503);
  auto e = nlohmann::json::parse(r.body)["error"];
  EXPECT_EQ(e["code"], "waiting_room");
  EXPECT_EQ(e["position"], 1);
  EXPECT_TRUE(e["queue_ticket"].is_string());
  EXPECT_FALSE(testing::HeaderOf(r, "Retry-After").empty());
  // Coming back with the ticket keeps the place rather than taking a new one.
  auto again = fx.Send(Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/bookings"}
                           .Json({{"ticket_number", "1234567890"}, {"birth_date", "1950-01-01"}, {"slot_id", 1}})
                           .Header("Queue-Ticket", e["queue_ticket"]));
  EXPECT_EQ(nlohmann::json::parse(again.body)["error"]["position"], 1);
  // The page: the place, an estimate, and a refresh.
  auto page = fx.Send(Call{"GET", std::string("/r/") + kOwnTenant});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("番目です"), std::string::npos);
  EXPECT_NE(page.body.find("http-equiv=\"refresh\""), std::string::npos);
  EXPECT_FALSE(testing::SetCookie(page, "madoguchi_queue").empty());
  // Staff of the tenant are never in the line.
  const auto op = fx.SessionFor(fx.AddUser("op", accounts::Role::kOperator, {kOwnTenant}));
  auto staff = fx.SendAs(op, Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/bookings"}.Json(
                                 {{"ticket_number", "1234567890"}, {"slot_id", 1}}));
  EXPECT_NE(staff.status, 503);
}

}  // namespace
}  // namespace madoguchi::web
