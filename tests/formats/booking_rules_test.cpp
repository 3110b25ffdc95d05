// The booking rules' one JSON format: what the API, the rules page and the stored copy share.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "formats/booking_rules.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::formats {
namespace {

using ::madoguchi::testing::IsOk;
using ::madoguchi::testing::StatusIs;
using ::madoguchi::testing::StatusIsOn;

TEST(BookingRulesFormatTest, ReadsEverySettingAndWritesThemBack) {
  auto r = ParseBookingRules(R"({"min_age": 65, "max_age": null, "max_dose": 2, "same_vaccine_for_second_dose": false,
                                 "min_days_after_previous_dose": {"pfizer": 21, "moderna": 28}})");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->min_age, 65);
  EXPECT_FALSE(r->max_age);
  EXPECT_EQ(r->max_dose, 2);
  EXPECT_FALSE(r->same_vaccine_for_second_dose);
  EXPECT_EQ(r->min_days_after_previous_dose.at("moderna"), 28);
  auto again = ParseBookingRules(BookingRulesJson(*r));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(BookingRulesJson(*again), BookingRulesJson(*r));
}

TEST(BookingRulesFormatTest, LeftOutKeysKeepTheDefaults) {
  auto r = ParseBookingRules("{}");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->max_dose, 1);
  EXPECT_TRUE(r->same_vaccine_for_second_dose);
  EXPECT_FALSE(r->min_age);
}

TEST(BookingRulesFormatTest, AnythingElseIsRefusedNamingTheSetting) {
  EXPECT_THAT(ParseBookingRules("[1]"), StatusIs(StatusCode::kMalformed, "bad_json"));
  EXPECT_THAT(ParseBookingRules(R"({"min_ages": 65})"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "min_ages"));
  EXPECT_THAT(ParseBookingRules(R"({"min_age": "65"})"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "min_age"));
  EXPECT_THAT(ParseBookingRules(R"({"max_dose": 0})"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "max_dose"));
  EXPECT_THAT(ParseBookingRules(R"({"min_age": 80, "max_age": 70})"),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "max_age"));
  EXPECT_THAT(ParseBookingRules(R"({"same_vaccine_for_second_dose": 1})"),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "same_vaccine_for_second_dose"));
  EXPECT_THAT(ParseBookingRules(R"({"min_days_after_previous_dose": {"pfizer": 4000}})"),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "min_days_after_previous_dose.pfizer"));
  EXPECT_THAT(ParseBookingRules(R"({"min_days_after_previous_dose": {"Pfizer!": 21}})"),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "min_days_after_previous_dose.Pfizer!"));
}

}  // namespace
}  // namespace madoguchi::formats
