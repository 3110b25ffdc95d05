// Short links (issue #12): a code is 8 characters that name nothing, carry a tag only the server
// can make, and say where a message leads and until when; a campaign's link counts in its parts.
#include "messaging/links.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "messaging/campaign.hpp"
#include "messaging/templates.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIsOn;

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kNow = 1'800'000'000'000;

Message Of(const std::string& key, Variables vars = {}) {
  Message m;
  m.tenant = "452041";
  m.template_key = key;
  m.variables = std::move(vars);
  return m;
}

TEST(LinksTest, ACodeIsEightCharactersOfLettersAndDigitsThatOnlyItsKeyAccepts) {
  std::set<std::string> seen;
  for (uint64_t r : {uint64_t{0}, uint64_t{1}, uint64_t{61}, uint64_t{123456789}, ~uint64_t{0}}) {
    const std::string code = ShortCode(r, "key-a");
    EXPECT_EQ(code.size(), kShortCodeLength);
    EXPECT_EQ(code.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), std::string::npos) << code;
    EXPECT_TRUE(IsSignedShortCode(code, "key-a")) << code;
    EXPECT_FALSE(IsSignedShortCode(code, "key-b")) << "another server's key: " << code;
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 5u);
  const std::string code = ShortCode(987654321, "key-a");
  std::string altered = code;
  altered[2] = altered[2] == 'Q' ? 'R' : 'Q';
  EXPECT_FALSE(IsSignedShortCode(altered, "key-a")) << "a changed character breaks the tag";
  EXPECT_FALSE(IsSignedShortCode(code.substr(0, 7), "key-a"));
  EXPECT_FALSE(IsSignedShortCode(code + "A", "key-a"));
  EXPECT_FALSE(IsSignedShortCode(code.substr(0, 7) + "/", "key-a"));
  EXPECT_FALSE(IsSignedShortCode("", "key-a"));
}

TEST(LinksTest, ABookingsLinkOpensTheResidentsPageUntilTheDayAfterTheAppointment) {
  const int64_t starts = kNow + 3 * kDay;
  auto t = LinkTargetFor(Of("booking_confirmed", {{"starts_at_ms", starts}}), kNow);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->path, "/r/452041/me");
  EXPECT_EQ(t->expires_at_ms, starts + kDay);
  EXPECT_EQ(LinkTargetFor(Of("booking_changed", {{"starts_at_ms", starts}}), kNow)->path, "/r/452041/me");
  EXPECT_EQ(LinkTargetFor(Of("booking_confirmed"), kNow)->expires_at_ms, kNow + 30 * kDay) << "no appointment time: 30 days";
}

TEST(LinksTest, AnOfferLinksUntilItExpiresACampaignOnlyWhenItAsksAndOthersNever) {
  Message offer = Of("waitlist_offer");
  offer.expires_at_ms = kNow + 3600'000;
  EXPECT_EQ(LinkTargetFor(offer, kNow)->path, "/r/452041");
  EXPECT_EQ(LinkTargetFor(offer, kNow)->expires_at_ms, kNow + 3600'000);
  EXPECT_EQ(LinkTargetFor(Of("waitlist_offer"), kNow)->expires_at_ms, kNow + 2 * kDay);
  EXPECT_EQ(LinkTargetFor(Of("campaign_text", {{"text", std::string("x")}, {"link", std::string("booking")}}), kNow)->path, "/r/452041");
  EXPECT_FALSE(LinkTargetFor(Of("campaign_text", {{"text", std::string("x")}}), kNow).has_value());
  EXPECT_FALSE(LinkTargetFor(Of("reminder"), kNow).has_value());
  EXPECT_FALSE(LinkTargetFor(Of("booking_cancelled"), kNow).has_value());
  EXPECT_TRUE(LinkOpens(kNow + 1, kNow));
  EXPECT_FALSE(LinkOpens(kNow, kNow)) << "expired at its expiry";
  EXPECT_EQ(ShortLinkUrl("https://yoyaku.example.jp/", "Ab3dE9xY"), "https://yoyaku.example.jp/s/Ab3dE9xY");
}

TEST(LinksTest, ACampaignsTextEndsWithItsLinkAndTheLinkCountsInItsParts) {
  Message m = Of("campaign_text", {{"text", std::string("お知らせです。")}, {"link", std::string("booking")}});
  TemplateContext ctx;
  ctx.link = "https://yoyaku.example.jp/s/Ab3dE9xY";
  EXPECT_EQ(*RenderMessage(m, ctx), "お知らせです。 https://yoyaku.example.jp/s/Ab3dE9xY");
  EXPECT_EQ(*RenderMessage(m, TemplateContext{}), "お知らせです。") << "no public address: no link";

  std::string body;
  for (int i = 0; i < 40; ++i) body += "あ";
  const std::vector<std::string> header{"電話番号"};
  auto plain = PlanCampaign(body, header, {{"090-1111-2222"}}, {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->max_parts, 1);
  auto linked =
      PlanCampaign(body, header, {{"090-1111-2222"}}, {}, PlanOptions{.link = "booking", .public_url = "https://yoyaku.example.jp"});
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(linked->max_parts, 2) << "40 characters and a 37-character link are two parts";
  EXPECT_EQ(linked->link, "booking");
  EXPECT_EQ(linked->recipients[0].text, body) << "the link is added when sent, one per recipient";
  EXPECT_THAT(PlanCampaign(body, header, {{"090-1111-2222"}}, {}, PlanOptions{.link = "booking"}),
              StatusIsOn(StatusCode::kInvalidArgument, "no_public_url", "link"));
  EXPECT_THAT(PlanCampaign(body, header, {{"090-1111-2222"}}, {}, PlanOptions{.link = "http://evil", .public_url = "https://x"}),
              StatusIsOn(StatusCode::kInvalidArgument, "unknown_link_kind", "link"));
}

TEST(LinksTest, ACampaignsTimelineTakesTheSmallestStepThatFitsAndCountsEachEventOnce) {
  const int64_t minute = 60'000;
  auto short_one = CampaignTimelineSpan(kNow, kNow + 30 * minute);
  EXPECT_EQ(short_one.step_ms, minute);
  EXPECT_EQ(short_one.steps, 31);
  auto day = CampaignTimelineSpan(kNow, kNow + 20 * 60 * minute);
  EXPECT_EQ(day.step_ms, 30 * minute);
  EXPECT_EQ(day.steps, 41);
  auto week = CampaignTimelineSpan(kNow, kNow + 7 * kDay);
  EXPECT_EQ(week.step_ms, 360 * minute);
  EXPECT_EQ(short_one.StepOf(kNow - 1), 0) << "before the start: the first point";
  EXPECT_EQ(short_one.StepOf(kNow + 1), 1) << "counted from the first point after it";
  EXPECT_EQ(short_one.StepOf(kNow + minute), 1);
  EXPECT_EQ(short_one.StepOf(kNow + 999 * minute), 30) << "after the end: the last point";
}

}  // namespace
}  // namespace madoguchi::messaging
