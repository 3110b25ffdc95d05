// Pacing (issue #12): a channel's rate holds every message on it; a tenant's campaign rate holds
// that tenant's campaign only, never its booking notices nor another tenant's campaign; those
// held back come back one by one at the rate, not all at once.
#include "messaging/pacing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIsOn;

constexpr int64_t kNow = 1'800'000'000'000;

TEST(PacingTest, AChannelsRateLetsASecondsWorthGoThenSpacesTheRest) {
  Pacer p({.sms_per_second = 10});
  int now_sent = 0;
  std::vector<int64_t> later;
  for (int i = 0; i < 25; ++i) {
    const int64_t at = p.Admit(Delivery::kSms, "452041", Purpose::kBooking, kNow);
    if (at == 0) ++now_sent;
    else later.push_back(at);
  }
  EXPECT_EQ(now_sent, 10) << "a second's worth at once";
  ASSERT_EQ(later.size(), 15u);
  for (size_t i = 1; i < later.size(); ++i) EXPECT_EQ(later[i] - later[i - 1], 100) << "one slot every 100 ms at 10 a second";
  EXPECT_GT(later.front(), kNow);
  EXPECT_EQ(p.Admit(Delivery::kEmail, "452041", Purpose::kBooking, kNow), 0) << "email has no limit here";
  EXPECT_EQ(p.Admit(Delivery::kSms, "452041", Purpose::kBooking, kNow + 1000), 0) << "a second later the bucket has refilled";
}

TEST(PacingTest, ATenantsCampaignRateHoldsItsCampaignOnlyNotItsBookingNoticesNorAnotherTenant) {
  Pacer p({.tenant_campaign_per_second = 2});
  EXPECT_EQ(p.Admit(Delivery::kSms, "452041", Purpose::kCampaign, kNow), 0);
  EXPECT_EQ(p.Admit(Delivery::kSms, "452041", Purpose::kCampaign, kNow), 0);
  EXPECT_GT(p.Admit(Delivery::kSms, "452041", Purpose::kCampaign, kNow), kNow) << "a third in the same second waits";
  EXPECT_GT(p.Admit(Delivery::kEmail, "452041", Purpose::kCampaign, kNow), kNow) << "every channel of the campaign together";
  for (Purpose notice : {Purpose::kBooking, Purpose::kReminder, Purpose::kWaitlist, Purpose::kReply, Purpose::kFollowUp}) {
    EXPECT_EQ(p.Admit(Delivery::kSms, "452041", notice, kNow), 0) << "a booking's notice is never held by the campaign's rate";
  }
  EXPECT_EQ(p.Admit(Delivery::kSms, "012025", Purpose::kCampaign, kNow), 0) << "another city's campaign has its own rate";
  EXPECT_EQ(p.Admit(Delivery::kSms, "452041", Purpose::kCampaign, kNow + 500), 0) << "half a second later, one more";
}

TEST(PacingTest, NoLimitsLetEverythingGoAndABadRateIsRefusedByName) {
  Pacer p({});
  for (int i = 0; i < 10'000; ++i) ASSERT_EQ(p.Admit(Delivery::kSms, "452041", Purpose::kCampaign, kNow), 0);
  EXPECT_TRUE(ValidatePacingLimits({}).ok());
  EXPECT_THAT(ValidatePacingLimits({.sms_per_second = -1}), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "sms-per-second"));
  EXPECT_THAT(ValidatePacingLimits({.tenant_campaign_per_second = 1e6}),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "tenant-campaign-per-second"));
}

}  // namespace
}  // namespace madoguchi::messaging
