// The waiting room: the gate admits while there is room, then hands out numbers served in order;
// the API answers 503 with the place, an estimate and a signed ticket; the page shows the place
// and refreshes. (Throttling of failed guesses lives in the database: auth_test, booking_api_test.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/batch_writer.hpp"
#include "store/booking/bookings.hpp"
#include "support/status_matchers.hpp"
#include "support/test_db.hpp"
#include "support/web_fixture.hpp"
#include "web/core/admission.hpp"

namespace madoguchi::web {
namespace {

using testing::Call;
using testing::kOwnTenant;
using testing::WebFixture;

// One line on a real database, as the server keeps it; each gate is one server process.
class WaitingLineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<testing::TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    db_ = tdb_->Open(true);
    ASSERT_NE(db_, nullptr);
    // One worker: a batch queued after another commits after it (Later() relies on that; with
    // PostgreSQL's four workers the line's increments may commit in any order, which they allow).
    store::BatchWriterOptions one = store::DefaultBatchWriterOptions(*db_);
    one.workers = 1;
    writer_ = std::make_unique<store::BatchWriter>(*db_, one);
    line_ = std::make_unique<DatabaseLine>(*db_, *writer_);
  }
  // A server process's gate on the shared line.
  std::unique_ptr<AdmissionGate> Process(int max_in_flight) {
    return std::make_unique<AdmissionGate>(
        max_in_flight, [] { return int64_t{0}; }, clock_, *line_);
  }
  // What one process changed reaches the others once committed and their view is old enough.
  void Later() {
    ASSERT_TRUE(writer_->Run([](store::Connection&) { return Status::Ok(); }).ok());
    clock_.Advance(std::chrono::milliseconds(AdmissionGate::kFreshMs + 1));
  }
  static AdmissionGate::Decision At(AdmissionGate& gate, int64_t number) {
    auto d = gate.Check(number);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : AdmissionGate::Decision{};
  }

  FakeClock clock_;
  std::unique_ptr<testing::TestDatabase> tdb_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::BatchWriter> writer_;
  std::unique_ptr<DatabaseLine> line_;
};

TEST_P(WaitingLineTest, AdmitsWhileThereIsRoomThenServesNumbersInOrder) {
  auto gate = Process(2);
  EXPECT_TRUE(At(*gate, 0).admitted);
  EXPECT_TRUE(At(*gate, 0).admitted);
  const auto third = At(*gate, 0);
  const auto fourth = At(*gate, 0);
  EXPECT_FALSE(third.admitted);
  EXPECT_FALSE(fourth.admitted);
  EXPECT_EQ(third.position, 1);
  EXPECT_EQ(fourth.position, 2);
  EXPECT_GT(fourth.eta_sec, 0);
  // A newcomer queues behind them even when room frees up.
  gate->Done();
  EXPECT_FALSE(At(*gate, 0).admitted);
  // The first in line gets the freed place; the second still waits.
  EXPECT_TRUE(At(*gate, third.number).admitted);
  EXPECT_FALSE(At(*gate, fourth.number).admitted);
  gate->Done();
  EXPECT_TRUE(At(*gate, fourth.number).admitted);
}

// Issue #10 §4.1: one line for the whole city. Each process kept its own line, and a number one
// process gave was a place in another's line too: the visitor who came later, to the other
// process, went in first. A process sees what another changed once the writer has committed it
// and its own view is kFreshMs old (Later()).
TEST_P(WaitingLineTest, TwoProcessesKeepOneLineInTheOrderPeopleCame) {
  auto a = Process(1), b = Process(1);
  ASSERT_TRUE(At(*a, 0).admitted);
  ASSERT_TRUE(At(*b, 0).admitted);
  const auto first = At(*a, 0);  // both full: the first to wait asks process A
  Later();
  const auto second = At(*b, 0);  // the next asks process B
  EXPECT_EQ(first.position, 1);
  EXPECT_EQ(second.position, 2) << "B's newcomer is behind A's, not first in a line of B's own";
  EXPECT_GT(second.number, first.number);
  // B frees a place; the second visitor, back at B, still waits for the first.
  b->Done();
  EXPECT_FALSE(At(*b, second.number).admitted);
  // The first, back at B (a balancer sends people anywhere), goes in; then the second's turn
  // comes with the next free place, at either process.
  EXPECT_TRUE(At(*b, first.number).admitted);
  Later();
  a->Done();
  EXPECT_TRUE(At(*a, second.number).admitted);
  Later();
  // The line is empty again: newcomers walk in at either process while it has room.
  b->Done();
  EXPECT_TRUE(At(*b, 0).admitted);
}

TEST_P(WaitingLineTest, NobodyWaitsOnTheDatabaseToBeLetInOrToTakeANumber) {
  auto gate = Process(4);
  ASSERT_TRUE(At(*gate, 0).admitted);  // the first look at the line reads it
  ASSERT_THAT(testing::RefuseWrites(*db_, "waiting_line", "UPDATE"), testing::IsOk());
  clock_.Advance(std::chrono::milliseconds(10));
  EXPECT_TRUE(At(*gate, 0).admitted) << "no write when nobody waits";
  EXPECT_TRUE(At(*gate, 0).admitted);
  EXPECT_TRUE(At(*gate, 0).admitted);
  // Full: the next visitor takes a number at once; the line's record of it goes with the
  // writer's next batch (here refused, and logged), and the place holds in this process.
  const auto next = At(*gate, 0);
  EXPECT_FALSE(next.admitted);
  EXPECT_EQ(next.position, 1);
  gate->Done();
  EXPECT_TRUE(At(*gate, next.number).admitted);
}

INSTANTIATE_TEST_SUITE_P(Backends, WaitingLineTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

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
  auto staff = fx.SendAs(
      op, Call{"POST", std::string("/api/v1/t/") + kOwnTenant + "/bookings"}.Json({{"ticket_number", "1234567890"}, {"slot_id", 1}}));
  EXPECT_NE(staff.status, 503);
}

}  // namespace
}  // namespace madoguchi::web
