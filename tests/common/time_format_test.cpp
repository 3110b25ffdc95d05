#include "common/time_format.hpp"

#include "common/text.hpp"

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

// Times, ranges and numbers as an IME leaves them read as typed in ASCII.
TEST(TimeFormatTest, TimesTypedWithTheImeOnReadAsAscii) {
  EXPECT_EQ(text::AsTyped("９：００〜１７：１５"), "9:00-17:15");
  EXPECT_EQ(text::AsTyped(" 08:30 ～ 12:00 "), "08:30-12:00");
  EXPECT_EQ(text::AsTyped("０．８"), "0.8");
  EXPECT_EQ(text::AsTyped("３０分"), "30分") << "what is not a digit or a mark stays, to be refused";
  EXPECT_EQ(ParseClock(text::AsTyped("９：３０")), 570);
}

}  // namespace madoguchi
