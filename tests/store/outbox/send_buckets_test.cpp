// The shared send rates on both backends: a bucket nobody has drawn from is full, a draw keeps
// what it leaves, workers drawing at once never take the same token twice, and a draw the
// database refuses leaves the bucket as it was.
#include "store/outbox/send_buckets.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/status_matchers.hpp"
#include "support/test_db.hpp"

namespace madoguchi::store {
namespace {

using messaging::BucketState;
using testing::IsOk;
using testing::TestDatabase;

constexpr int64_t kNow = 1'800'000'000'000;

class SendBucketsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    MADOGUCHI_REQUIRE_DB(*tdb_);
    OpenOptions options;
    options.max_connections = 8;
    db_ = tdb_->Open(true, options);
    ASSERT_NE(db_, nullptr);
  }
  BucketState Read(const std::string& name) {
    BucketState s;
    EXPECT_THAT(WithConnection(*db_,
                               [&](Connection& c) -> Status {
                                 MADOGUCHI_ASSIGN_OR_RETURN(s, ReadBucket(c, name));
                                 return Status::Ok();
                               }),
                IsOk());
    return s;
  }
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<Database> db_;
};

TEST_P(SendBucketsTest, ANewBucketIsFullAndADrawKeepsWhatItLeaves) {
  SqlBuckets buckets(*db_);
  EXPECT_FALSE(Read("channel:sms").exists);
  bool took = false;
  ASSERT_THAT(buckets.Draw("channel:sms", [&](BucketState& s) { took = messaging::TakeTokens(s, 10, 10, 3, kNow); }), IsOk());
  EXPECT_TRUE(took);
  const BucketState kept = Read("channel:sms");
  EXPECT_TRUE(kept.exists);
  EXPECT_EQ(kept.milli_tokens, 7000);
  EXPECT_EQ(kept.at_ms, kNow);
  ASSERT_THAT(buckets.Draw("channel:sms", [&](BucketState& s) { took = messaging::TakeTokens(s, 10, 10, 10, kNow + 500); }), IsOk());
  EXPECT_TRUE(took) << "7 left and 5 more in half a second, at most 10";
  EXPECT_EQ(Read("channel:sms").milli_tokens, 0);
  EXPECT_FALSE(Read("campaign:452041").exists) << "each bucket its own row";
}

TEST_P(SendBucketsTest, WorkersDrawingAtOnceNeverTakeTheSameTokenTwice) {
  // Four workers (their own connections) draw one token at a time, the clock stopped: together
  // they take exactly the bucket's 200, not more.
  std::atomic<int> taken{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      SqlBuckets buckets(*db_);
      for (int i = 0; i < 80; ++i) {
        bool took = false;
        Status s = buckets.Draw("channel:sms", [&](BucketState& b) { took = messaging::TakeTokens(b, 200, 200, 1, kNow); });
        if (!s.ok()) ADD_FAILURE() << s.ToString();
        taken += took ? 1 : 0;
      }
    });
  }
  for (std::thread& t : workers) t.join();
  EXPECT_EQ(taken.load(), 200);
  EXPECT_EQ(Read("channel:sms").milli_tokens, 0);
}

TEST_P(SendBucketsTest, ADrawTheDatabaseRefusesLeavesTheBucketAsItWas) {
  SqlBuckets buckets(*db_);
  ASSERT_THAT(buckets.Draw("channel:sms", [](BucketState& s) { messaging::TakeTokens(s, 10, 10, 4, kNow); }), IsOk());
  ASSERT_THAT(testing::RefuseWrites(*db_, "send_buckets", "UPDATE"), IsOk());
  bool took = false;
  EXPECT_FALSE(buckets.Draw("channel:sms", [&](BucketState& s) { took = messaging::TakeTokens(s, 10, 10, 4, kNow); }).ok());
  EXPECT_TRUE(took) << "the draw ran";
  EXPECT_EQ(Read("channel:sms").milli_tokens, 6000) << "and what it took was not kept: the caller sends nothing";
}

INSTANTIATE_TEST_SUITE_P(Backends, SendBucketsTest, ::testing::ValuesIn(testing::Backends()), [](const auto& info) { return info.param; });

}  // namespace
}  // namespace madoguchi::store
