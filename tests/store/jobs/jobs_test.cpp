// Long jobs on both backends: runners claiming at once never hold one job twice (FOR UPDATE SKIP
// LOCKED on PostgreSQL); only the runner that holds a job reports on it or ends it; a job ends
// with what it made or why it failed, as its page reads it.
#include "store/jobs/jobs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "store/accounts/accounts.hpp"
#include "support/status_matchers.hpp"
#include "support/test_db.hpp"

namespace madoguchi::store {
namespace {

using testing::IsOk;
using testing::TestDatabase;

constexpr char kTenant[] = "452041";
constexpr int64_t kNow = 1'800'000'000'000;

class JobsStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    db_ = tdb_->Open(true);
    ASSERT_NE(db_, nullptr);
    ASSERT_THAT(
        InTransaction(*db_,
                      [&](Connection& c) -> Status {
                        MADOGUCHI_RETURN_IF_ERROR(InsertTenant(c, {kTenant, "日南市", kNow}));
                        MADOGUCHI_ASSIGN_OR_RETURN(user_, InsertUser(c, {"sup", "佐藤", accounts::Role::kSupervisor, "h", {kTenant}, 1}));
                        return Status::Ok();
                      }),
        IsOk());
  }
  int64_t Enqueue() {
    int64_t id = 0;
    EXPECT_THAT(InTransaction(*db_,
                              [&](Connection& c) -> Status {
                                MADOGUCHI_ASSIGN_OR_RETURN(id, EnqueueJob(c, kTenant, "plan", "{}", user_, kNow));
                                return Status::Ok();
                              }),
                IsOk());
    return id;
  }
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Database> db_;
  int64_t user_ = 0;
};

TEST_P(JobsStoreTest, RunnersClaimingAtOnceNeverHoldOneJobTwice) {
  for (int i = 0; i < 20; ++i) Enqueue();
  std::vector<std::vector<int64_t>> held(4);
  std::vector<std::thread> runners;
  for (int r = 0; r < 4; ++r) {
    runners.emplace_back([&, r] {
      for (;;) {
        std::optional<Job> got;
        Status s = InTransaction(*db_, [&](Connection& c) -> Status {
          MADOGUCHI_ASSIGN_OR_RETURN(got, ClaimJob(c, "r" + std::to_string(r), kNow, 60'000));
          return Status::Ok();
        });
        if (!s.ok() || !got) return;
        held[r].push_back(got->id);
      }
    });
  }
  for (auto& t : runners) t.join();
  std::set<int64_t> all;
  size_t total = 0;
  for (const auto& h : held) {
    total += h.size();
    all.insert(h.begin(), h.end());
  }
  EXPECT_EQ(total, 20u);
  EXPECT_EQ(all.size(), 20u) << "no job held by two runners";
}

TEST_P(JobsStoreTest, OnlyTheHolderReportsOrEndsAJobAndItEndsWithItsResultOrItsError) {
  const int64_t a = Enqueue(), b = Enqueue();
  std::optional<Job> first;
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              MADOGUCHI_ASSIGN_OR_RETURN(first, ClaimJob(c, "r1", kNow, 60'000));
                              return Status::Ok();
                            }),
              IsOk());
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->id, a) << "the oldest first";
  EXPECT_EQ(first->attempts, 1);
  auto run = [&](const std::function<Result<bool>(Connection&)>& f) {
    bool out = false;
    EXPECT_THAT(InTransaction(*db_,
                              [&](Connection& c) -> Status {
                                MADOGUCHI_ASSIGN_OR_RETURN(out, f(c));
                                return Status::Ok();
                              }),
                IsOk());
    return out;
  };
  EXPECT_FALSE(run([&](Connection& c) { return ReportJobProgress(c, a, "r2", 50, "shifts", kNow, 60'000); })) << "not r2's";
  EXPECT_TRUE(run([&](Connection& c) { return ReportJobProgress(c, a, "r1", 50, "shifts", kNow, 60'000); }));
  EXPECT_FALSE(run([&](Connection& c) { return FinishJob(c, a, "r2", 7, Status::Ok(), kNow); }));
  EXPECT_TRUE(run([&](Connection& c) { return FinishJob(c, a, "r1", 7, Status::Ok(), kNow + 10); }));
  EXPECT_FALSE(run([&](Connection& c) { return FinishJob(c, a, "r1", 8, Status::Ok(), kNow + 20); })) << "ended once";

  std::optional<Job> second;
  ASSERT_THAT(InTransaction(*db_,
                            [&](Connection& c) -> Status {
                              MADOGUCHI_ASSIGN_OR_RETURN(second, ClaimJob(c, "r1", kNow, 60'000));
                              return Status::Ok();
                            }),
              IsOk());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->id, b);
  EXPECT_TRUE(run(
      [&](Connection& c) { return FinishJob(c, b, "r1", std::nullopt, InvalidArgumentError("hours", "never open", "never_open"), kNow); }));
  Job done, failed;
  ASSERT_THAT(WithConnection(*db_,
                             [&](Connection& c) -> Status {
                               MADOGUCHI_ASSIGN_OR_RETURN(done, GetJob(c, kTenant, a));
                               MADOGUCHI_ASSIGN_OR_RETURN(failed, GetJob(c, kTenant, b));
                               return Status::Ok();
                             }),
              IsOk());
  EXPECT_EQ(done.state, "done");
  EXPECT_EQ(done.result_id, 7);
  EXPECT_EQ(done.percent, 100);
  EXPECT_TRUE(done.error.ok());
  EXPECT_EQ(failed.state, "failed");
  EXPECT_EQ(failed.error.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(failed.error.key(), "never_open");
  EXPECT_EQ(failed.error.field(), "hours");
  EXPECT_THAT(WithConnection(*db_, [&](Connection& c) { return GetJob(c, "012025", a).status(); }),
              testing::StatusIs(StatusCode::kNotFound, "unknown_job"))
      << "another tenant's job is not found";
}

INSTANTIATE_TEST_SUITE_P(Backends, JobsStoreTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::store
