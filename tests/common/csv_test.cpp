// The CSV reader and the encodings of the files cities send: every row read, or the whole file
// refused naming the row and column; linear time; CP932 heavy in half-width katakana.
#include "common/csv.hpp"

#include <gtest/gtest.h>

#include <string>

namespace madoguchi::csv {
namespace {

const char* kHeader = "宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号\n";

TEST(ReadCsv, StrayQuoteInsideAnUnquotedCellRefusesTheFileNamingRowAndColumn) {
  // A legacy export: 日南市2"丁目. The old reader swallowed this row and every row after it.
  const std::string text = std::string(kHeader) +
                           "1,1000000001,日南 一郎,ニチナン イチロウ,1950-01-01,日南市1丁目,\n"
                           "2,1000000002,日南 二郎,ニチナン ジロウ,1950-01-02,日南市2\"丁目,\n"
                           "3,1000000003,日南 三郎,ニチナン サブロウ,1950-01-03,日南市3丁目,\n";
  auto csv = ReadCsv(text);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().key(), "csv_stray_quote");
  EXPECT_EQ(csv.status().field(), "row 2 (line 3), column 6");
}

TEST(ReadCsv, TextAfterAClosingQuoteIsRefused) {
  auto csv = ReadCsv("a,b\n\"x\"y,z\n");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().key(), "csv_stray_quote");
  EXPECT_EQ(csv.status().field(), "row 1 (line 2), column 1");
}

TEST(ReadCsv, AQuoteNeverClosedIsRefusedNotSwallowed) {
  auto csv = ReadCsv("a,b\n1,2\n\"3,4\n5,6\n");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().key(), "csv_unclosed_quote");
  EXPECT_EQ(csv.status().field(), "row 2 (line 3), column 1");
}

TEST(ReadCsv, QuotedCellsKeepCommasQuotesAndLineBreaks) {
  auto csv = ReadCsv("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nlast,, \r\n");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  ASSERT_EQ(csv->second.size(), 2u);
  EXPECT_EQ(csv->second[0], (std::vector<std::string>{"x, y", "say \"hi\"", "two\r\nlines"}));
  EXPECT_EQ(csv->second[1], (std::vector<std::string>{"last", "", ""}));
}

TEST(ReadCsv, LastRowWithoutALineBreakAndBlankLinesBetween) {
  auto csv = ReadCsv("a,b\n\n1,2\n\n3,4");
  ASSERT_TRUE(csv.ok());
  ASSERT_EQ(csv->second.size(), 2u);
  EXPECT_EQ(csv->second[1], (std::vector<std::string>{"3", "4"}));
}

TEST(ReadCsv, EveryRowOfALargeFileIsRead) {
  // 8 MiB of rows with quoted cells: linear time (the old reader recounted quotes per line).
  std::string text = kHeader;
  int rows = 0;
  while (text.size() < 8u * 1024 * 1024) {
    text += std::to_string(rows + 1) + ",1" + std::to_string(100000000 + rows) +
            ",\"日南, 太郎\",ニチナン タロウ,1950-01-01,\"日南市\"\"1\"\"丁目\",\n";
    ++rows;
  }
  auto csv = ReadCsv(text);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  ASSERT_EQ(csv->second.size(), static_cast<size_t>(rows));
  EXPECT_EQ(csv->second.back()[5], "日南市\"1\"丁目");
}

TEST(ReadCsv, AStrayQuoteDeepInALargeFileIsStillFound) {
  std::string text = kHeader;
  for (int i = 0; i < 50000; ++i) text += "1,1000000001,\"a\"\"b\",カ,1950-01-01,x,\n";
  text += "1,1000000001,a\"b,カ,1950-01-01,x,\n";
  auto csv = ReadCsv(text);
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().field(), "row 50001 (line 50002), column 3");
}

TEST(ToUtf8, Cp932HeavyInHalfWidthKatakanaConverts) {
  // ﾆﾁﾅﾝ ﾀﾛｳ in CP932 is one byte a character and three in UTF-8.
  std::string sjis;
  for (int i = 0; i < 2000; ++i) sjis += "\xC6\xC1\xC5\xDD \xC0\xDB\xB3,";
  auto utf8 = ToUtf8(sjis);
  ASSERT_TRUE(utf8.ok()) << utf8.status().ToString();
  EXPECT_EQ(utf8->substr(0, 23), "ﾆﾁﾅﾝ ﾀﾛｳ,");
}

TEST(ToUtf8, NeitherEncodingNamesTheByte) {
  auto utf8 = ToUtf8("abc\x81");  // a CP932 lead byte with nothing after it
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.status().field(), "encoding");
}

TEST(CsvLine, FormulasAreWrittenAsText) {
  EXPECT_EQ(CsvLine({"=HYPERLINK(\"http://evil\")", "+1", "-2", "@SUM(A1)", "\tx", "plain"}),
            "\"'=HYPERLINK(\"\"http://evil\"\")\",'+1,'-2,'@SUM(A1),'\tx,plain\r\n");
  EXPECT_EQ(CsvLine({"=cmd|' /C calc'!A0"}), "'=cmd|' /C calc'!A0\r\n");
}

}  // namespace
}  // namespace madoguchi::csv
