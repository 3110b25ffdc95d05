// Pacing (issue #12): a channel's rate holds every message on it; a tenant's campaign rate holds
// that tenant's campaign only, never its booking notices nor another tenant's campaign; those
// held back come back one by one at the rate, not all at once; and two workers drawing from the
// same buckets send no faster together than one would alone.
#include "messaging/pacing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIs;
using testing::StatusIsOn;

constexpr int64_t kNow = 1'800'000'000'000;

// The buckets in memory, as the store keeps them (store/outbox/send_buckets_test.cpp tests that).
class MemoryBuckets final : public BucketPort {
 public:
  Status Draw(const std::string& name, const std::function<void(BucketState&)>& draw) override {
    ++draws;
    if (down) return UnavailableError("the database is down", "db_unavailable");
    draw(buckets[name]);
    return Status::Ok();
  }
  std::map<std::string, BucketState> buckets;
  int draws = 0;
  bool down = false;
};

int64_t AdmitOk(Pacer& p, Delivery d, const std::string& tenant, Purpose purpose, int64_t now) {
  Result<int64_t> at = p.Admit(d, tenant, purpose, now);
  EXPECT_TRUE(at.ok()) << at.status().ToString();
  return at.ok() ? *at : -1;
}

TEST(PacingTest, ABucketStartsFullFillsAtItsRateAndNeverHoldsMoreThanItsBurst) {
  BucketState s;
  EXPECT_TRUE(TakeTokens(s, 10, 10, 4, kNow)) << "a new bucket is full";
  EXPECT_TRUE(TakeTokens(s, 10, 10, 4, kNow));
  EXPECT_FALSE(TakeTokens(s, 10, 10, 4, kNow)) << "two left: a draw of four waits for them all";
  EXPECT_EQ(s.milli_tokens, 2000) << "and takes nothing meanwhile";
  EXPECT_EQ(TokensAt(s, 10, 10, 4, kNow), kNow + 200) << "one token every 100 ms at 10 a second";
  EXPECT_FALSE(TakeTokens(s, 10, 10, 4, kNow + 199));
  EXPECT_TRUE(TakeTokens(s, 10, 10, 4, kNow + 200));
  EXPECT_TRUE(TakeTokens(s, 10, 10, 10, kNow + 3'600'000)) << "an hour idle fills it to its burst";
  EXPECT_FALSE(TakeTokens(s, 10, 10, 1, kNow + 3'600'000)) << "and no more";
  EXPECT_FALSE(TakeTokens(s, 10, 10, 1, kNow + 3'600'000 - 5000)) << "a clock behind the bucket's adds nothing";
  EXPECT_EQ(TokensAt(s, 10, 10, 1, kNow + 3'600'000 - 5000), kNow + 3'600'000 + 100);
}

TEST(PacingTest, AChannelsRateLetsASecondsWorthGoThenSpacesTheRest) {
  MemoryBuckets shared;
  Pacer p({.sms_per_second = 10}, shared);
  int now_sent = 0;
  std::vector<int64_t> later;
  for (int i = 0; i < 25; ++i) {
    const int64_t at = AdmitOk(p, Delivery::kSms, "452041", Purpose::kBooking, kNow);
    if (at == 0) ++now_sent;
    else later.push_back(at);
  }
  EXPECT_EQ(now_sent, 10) << "a second's worth at once";
  ASSERT_EQ(later.size(), 15u);
  for (size_t i = 1; i < later.size(); ++i) EXPECT_EQ(later[i] - later[i - 1], 100) << "one slot every 100 ms at 10 a second";
  EXPECT_GT(later.front(), kNow);
  EXPECT_EQ(AdmitOk(p, Delivery::kEmail, "452041", Purpose::kBooking, kNow), 0) << "email has no limit here";
  EXPECT_EQ(AdmitOk(p, Delivery::kSms, "452041", Purpose::kBooking, kNow + 1000), 0) << "a second later the bucket has refilled";
}

TEST(PacingTest, ATenantsCampaignRateHoldsItsCampaignOnlyNotItsBookingNoticesNorAnotherTenant) {
  MemoryBuckets shared;
  Pacer p({.tenant_campaign_per_second = 2}, shared);
  EXPECT_EQ(AdmitOk(p, Delivery::kSms, "452041", Purpose::kCampaign, kNow), 0);
  EXPECT_EQ(AdmitOk(p, Delivery::kSms, "452041", Purpose::kCampaign, kNow), 0);
  EXPECT_GT(AdmitOk(p, Delivery::kSms, "452041", Purpose::kCampaign, kNow), kNow) << "a third in the same second waits";
  EXPECT_GT(AdmitOk(p, Delivery::kEmail, "452041", Purpose::kCampaign, kNow), kNow) << "every channel of the campaign together";
  for (Purpose notice : {Purpose::kBooking, Purpose::kReminder, Purpose::kWaitlist, Purpose::kReply, Purpose::kFollowUp}) {
    EXPECT_EQ(AdmitOk(p, Delivery::kSms, "452041", notice, kNow), 0) << "a booking's notice is never held by the campaign's rate";
  }
  EXPECT_EQ(AdmitOk(p, Delivery::kSms, "012025", Purpose::kCampaign, kNow), 0) << "another city's campaign has its own rate";
  EXPECT_EQ(AdmitOk(p, Delivery::kSms, "452041", Purpose::kCampaign, kNow + 500), 0) << "half a second later, one more";
}

TEST(PacingTest, TwoWorkersOnOneAccountSendNoFasterTogetherThanItsRate) {
  MemoryBuckets shared;
  const PacingLimits limits{.sms_per_second = 200};
  Pacer a(limits, shared), b(limits, shared);
  // Both try a message every millisecond for ten seconds, in no set order (as two processes).
  int sent = 0, sent_by_a = 0;
  std::vector<int64_t> times;
  std::mt19937 order(12);
  for (int64_t t = kNow; t < kNow + 10'000; ++t) {
    for (Pacer* p : order() % 2 ? std::vector<Pacer*>{&a, &b} : std::vector<Pacer*>{&b, &a}) {
      if (AdmitOk(*p, Delivery::kSms, "452041", Purpose::kBooking, t) == 0) {
        ++sent;
        if (p == &a) ++sent_by_a;
        times.push_back(t);
      }
    }
  }
  // At most the burst (a second's worth) plus the rate over the window and a draw's lifetime.
  EXPECT_LE(sent, 200 + 200 * 10.25) << "one bucket for both";
  EXPECT_GE(sent, 200 * 10 * 0.9) << "and together they use it";
  EXPECT_GT(sent_by_a, sent / 4) << "each sends its part";
  EXPECT_GT(sent - sent_by_a, sent / 4) << "each sends its part";
  // No second anywhere in the run goes over a second's worth plus the burst.
  for (size_t i = 0, j = 0; i < times.size(); ++i) {
    while (times[i] - times[j] >= 1000) ++j;
    ASSERT_LE(i - j + 1, 200u + 200u + 50u) << "at " << times[i] - kNow << " ms";
  }
  EXPECT_LT(shared.draws, sent) << "tokens are drawn a few at a time, not one per message";
}

TEST(PacingTest, WhenTheSharedRatesCannotBeReadNothingIsAdmitted) {
  MemoryBuckets shared;
  shared.down = true;
  Pacer p({.sms_per_second = 10}, shared);
  EXPECT_THAT(p.Admit(Delivery::kSms, "452041", Purpose::kBooking, kNow), StatusIs(StatusCode::kUnavailable, "db_unavailable"));
  EXPECT_EQ(AdmitOk(p, Delivery::kEmail, "452041", Purpose::kBooking, kNow), 0) << "a channel without a rate needs no bucket";
}

TEST(PacingTest, NoLimitsLetEverythingGoWithoutTouchingTheBucketsAndABadRateIsRefusedByName) {
  MemoryBuckets shared;
  Pacer p({}, shared);
  for (int i = 0; i < 10'000; ++i) ASSERT_EQ(AdmitOk(p, Delivery::kSms, "452041", Purpose::kCampaign, kNow), 0);
  EXPECT_EQ(shared.draws, 0);
  EXPECT_TRUE(ValidatePacingLimits({}).ok());
  EXPECT_THAT(ValidatePacingLimits({.sms_per_second = -1}), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "sms-per-second"));
  EXPECT_THAT(ValidatePacingLimits({.tenant_campaign_per_second = 1e6}),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "tenant-campaign-per-second"));
}

}  // namespace
}  // namespace madoguchi::messaging
