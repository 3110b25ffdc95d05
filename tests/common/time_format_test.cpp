#include "common/time_format.hpp"

#include <gtest/gtest.h>

namespace madoguchi {
namespace {

TEST(TimeFormatTest, UtcAndTokyo) {
  const int64_t ms = 1'764'112'668'123;  // 2025-11-25T23:17:48.123Z
  EXPECT_EQ(FormatUtcIso(ms), "2025-11-25T23:17:48.123Z");
  EXPECT_EQ(FormatTokyo(ms), "2025-11-26 08:17:48");  // JST = UTC+9
  EXPECT_EQ(FormatUtcIso(0), "1970-01-01T00:00:00.000Z");
}

}  // namespace
// Issue #11, items 14 and 21: times are written "9:00" as often as "09:00".
TEST(TimeFormatTest, AClockTimeReadsWithOrWithoutTheLeadingZero) {
  EXPECT_EQ(ParseClock("09:00"), 540);
  EXPECT_EQ(ParseClock("9:00"), 540);
  EXPECT_EQ(ParseClock("24:00"), 1440);
  EXPECT_EQ(ParseClock("9:0"), std::nullopt);
  EXPECT_EQ(ParseClock("25:00"), std::nullopt);
  EXPECT_EQ(ParseClock("9:60"), std::nullopt);
  EXPECT_EQ(ParseClock(":900"), std::nullopt);
}

}  // namespace madoguchi
