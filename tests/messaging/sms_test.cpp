// SMS encoding and parts: GSM 7-bit when every character allows it (extension characters count
// two septets), else UCS-2; 160/70 in one message, 153/67 per part; no character cut.
#include "messaging/sms.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIsOn;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(SmsTest, PlainLatinIsGsm7AndFits160Septets) {
  auto p = SplitSms(Repeat("a", 160));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(p->units, 160);
  EXPECT_EQ(p->parts(), 1);
  auto q = SplitSms(Repeat("a", 161));
  EXPECT_EQ(q->parts(), 2);
  EXPECT_EQ(q->texts[0].size(), 153u);
  EXPECT_EQ(q->texts[1].size(), 8u);
}

TEST(SmsTest, ExtensionCharactersCountTwoSeptetsAndAreNeverCut) {
  auto p = SplitSms("€[]{}~|^\\");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(p->units, 18);
  // 152 septets of 'a' then '€': the escape pair does not fit in part one's last septet.
  auto q = SplitSms(Repeat("a", 152) + "€" + Repeat("a", 10));
  ASSERT_EQ(q->parts(), 2);
  EXPECT_EQ(q->texts[0], Repeat("a", 152));
  EXPECT_EQ(q->texts[1], "€" + Repeat("a", 10));
  EXPECT_EQ(SplitSms(Repeat("a", 158) + "€")->parts(), 1) << "160 septets still fit one message";
  EXPECT_EQ(SplitSms(Repeat("a", 159) + "€")->parts(), 2) << "161 septets do not";
}

TEST(SmsTest, JapaneseIsUcs2With70InOneAnd67PerPart) {
  auto p = SplitSms(Repeat("あ", 70));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(p->units, 70);
  EXPECT_EQ(p->parts(), 1);
  auto q = SplitSms(Repeat("あ", 71));
  EXPECT_EQ(q->parts(), 2);
  EXPECT_EQ(q->texts[0], Repeat("あ", 67));
  EXPECT_EQ(SplitSms(Repeat("あ", 134))->parts(), 2);
  EXPECT_EQ(SplitSms(Repeat("あ", 135))->parts(), 3);
  // One character outside GSM makes the whole text UCS-2, Latin included.
  auto mixed = SplitSms(Repeat("a", 100) + "予");
  EXPECT_EQ(mixed->encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(mixed->parts(), 2);
}

TEST(SmsTest, SurrogatePairsCountTwoUnitsAndAreNeverSplit) {
  // 𠮷 (U+20BB7) is two UTF-16 units.
  auto p = SplitSms("𠮷野家");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->units, 4);
  // 66 units of あ and then 𠮷: the pair would straddle units 67 and 68, so it starts part two.
  auto q = SplitSms(Repeat("あ", 66) + "𠮷" + Repeat("い", 10));
  ASSERT_EQ(q->parts(), 2);
  EXPECT_EQ(q->texts[0], Repeat("あ", 66));
  EXPECT_EQ(q->texts[1], "𠮷" + Repeat("い", 10));
  EXPECT_EQ(SplitSms(Repeat("あ", 68) + "😀")->units, 70);
  EXPECT_EQ(SplitSms(Repeat("あ", 68) + "😀")->parts(), 1);
}

TEST(SmsTest, BadTextIsRefusedNamingTheField) {
  EXPECT_THAT(SplitSms("\xff\xfe"), StatusIsOn(StatusCode::kInvalidArgument, "bad_utf8", "text"));
  EXPECT_THAT(SplitSms("", "body"), StatusIsOn(StatusCode::kInvalidArgument, "empty", "body"));
}

TEST(SmsTest, ThePartLimitAndTheCost) {
  auto p = SplitSms(Repeat("あ", 200));  // 3 parts
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->parts(), 3);
  EXPECT_TRUE(CheckPartLimit(*p, 3).ok());
  EXPECT_THAT(CheckPartLimit(*p, 2), StatusIsOn(StatusCode::kInvalidArgument, "too_many_parts", "text"));
  EXPECT_EQ(SmsCostSen(*p, 330), 990);
}

}  // namespace
}  // namespace madoguchi::messaging
