// Call-history and event files: every supported format, and errors that name the line.
#include <gtest/gtest.h>

#include <cmath>

#include "formats/history_csv.hpp"

namespace madoguchi::formats {
namespace {

TEST(HistoryCsvTest, DailyCountsWithGapsAndFlags) {
  auto h = ParseHistoryCsv("date,calls,flag\n2025-01-06,10,ok\n2025-01-07,12,ok\n2025-01-09,8,dup\n2025-01-10,9,ok\n");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format, "daily");
  EXPECT_EQ(FormatIsoDate(h->history.first_day), "2025-01-06");
  ASSERT_EQ(h->history.daily.size(), 5u);
  EXPECT_EQ(h->history.daily[1], 12);
  EXPECT_TRUE(std::isnan(h->history.daily[2])) << "a missing row is no data, not zero";
  EXPECT_TRUE(std::isnan(h->history.daily[3])) << "a flagged row is no data";
  EXPECT_EQ(h->history.interval_minutes, 0);
}

TEST(HistoryCsvTest, ChoosesTheNamedColumnAndTrimsDates) {
  const char* text = "date,dedicated_dial_calls,health_center_consultations\n2020-01-29,11,0\n2020-01-30,61,4\n2020-01-31,47,2\n";
  auto h = ParseHistoryCsv(text, {"dedicated_dial_calls", ParseIsoDate("2020-01-30"), std::nullopt});
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(h->history.daily.size(), 2u);
  EXPECT_EQ(h->history.daily[0], 61);
  EXPECT_EQ(ParseHistoryCsv(text, {"nope", {}, {}}).status().field(), "column");
}

TEST(HistoryCsvTest, IntervalCountsInBothLayouts) {
  auto a = ParseHistoryCsv("date,interval_start,calls,imputed\n1999-01-03,07:00,5,0\n1999-01-03,07:06,7,0\n1999-01-04,07:00,3,0\n");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->format, "interval");
  EXPECT_EQ(a->history.interval_minutes, 6);
  EXPECT_EQ(a->history.daily[0], 12);
  EXPECT_EQ(a->history.intraday[0][70], 5);  // 07:00 / 6 minutes
  auto b = ParseHistoryCsv("datetime,calls\n2003-03-03 07:00,111\n2003-03-03 07:05,113\n");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->history.interval_minutes, 5);
  EXPECT_EQ(b->history.daily[0], 224);
}

TEST(HistoryCsvTest, TimestampsOnePerCallConvertedToJapanTime) {
  auto h = ParseHistoryCsv(
      "timestamp\n2026-04-01 09:01:10\n2026-04-01T09:02:00+09:00\n2026-04-01T00:03:00Z\n2026-04-02 23:59:59\n2026-04-03T15:00:00.250Z\n");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format, "timestamps");
  EXPECT_EQ(h->rows, 5);
  ASSERT_EQ(h->history.daily.size(), 4u);  // 15:00Z on 4/3 is 00:00 on 4/4 in Japan
  EXPECT_EQ(h->history.daily[0], 3);
  EXPECT_EQ(h->history.intraday[0][9 * 12], 3);  // all three in 09:00–09:05 JST
  EXPECT_EQ(h->history.daily[2], 0) << "a day without calls between others had zero calls";
  EXPECT_EQ(h->history.intraday[3][0], 1);
}

TEST(HistoryCsvTest, AsteriskMasterCsvCountsEachCallOnceAndReadsHandleTime) {
  const std::string row1 =
      R"("","0312345678","100","from-pstn","""Sato"" <0312345678>","SIP/trunk-0001","SIP/201-0002","Dial","SIP/201,30","2026-04-01 09:00:05","2026-04-01 09:00:20","2026-04-01 09:05:20",315,300,"ANSWERED","DOCUMENTATION","1711929605.1","")";
  const std::string row1b =
      R"("","0312345678","200","from-internal","","SIP/201-0002","SIP/202-0003","Dial","SIP/202","2026-04-01 09:03:00","2026-04-01 09:03:05","2026-04-01 09:05:20",140,135,"ANSWERED","DOCUMENTATION","1711929605.1","")";
  const std::string row2 =
      R"("","0999999999","100","from-pstn","","SIP/trunk-0004","","Queue","q1","2026-04-01 09:10:00","","2026-04-01 09:12:00",120,0,"NO ANSWER","DOCUMENTATION","1711930200.4","")";
  auto h = ParseHistoryCsv(row1 + "\n" + row1b + "\n" + row2 + "\n");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format, "asterisk_cdr");
  EXPECT_EQ(h->rows, 2) << "the transfer leg shares the uniqueid";
  EXPECT_EQ(h->history.daily[0], 2);
  ASSERT_TRUE(h->mean_handle_sec);
  EXPECT_EQ(*h->mean_handle_sec, 300);
  auto bad = ParseHistoryCsv(row1 + "\n" +
                             R"("","1","2","c","","ch","","Dial","x","yesterday","","",1,1,"ANSWERED","DOCUMENTATION","9","")" + "\n");
  EXPECT_EQ(bad.status().field(), "line 2, column 10 (start)");
}

TEST(HistoryCsvTest, ErrorsNameTheLineAndColumn) {
  EXPECT_EQ(ParseHistoryCsv("").status().field(), "history");
  EXPECT_EQ(ParseHistoryCsv("day,volume\n2025-01-01,4\n").status().field(), "line 1");
  EXPECT_EQ(ParseHistoryCsv("date,calls\n2025-01-01,4\n2025-13-01,5\n").status().field(), "line 3, column date");
  auto neg = ParseHistoryCsv("date,calls\n2025-01-01,4\n2025-01-02,-5\n");
  EXPECT_EQ(neg.status().field(), "line 3, column calls");
  EXPECT_NE(neg.status().message().find("-5"), std::string::npos);
  EXPECT_EQ(ParseHistoryCsv("date,calls\n2025-01-01,4\n2025-01-01,5\n").status().field(), "line 3");
  EXPECT_EQ(ParseHistoryCsv("date,calls\n2025-01-01\n").status().field(), "line 2");
  EXPECT_EQ(ParseHistoryCsv("date,interval_start,calls\n2025-01-01,25:00,1\n").status().field(), "line 2, column interval_start");
  EXPECT_EQ(ParseHistoryCsv("\xEF\xBB\xBF"
                            "date,calls\r\n2025-01-01,4\r\n")
                ->history.daily[0],
            4)
      << "BOM and CRLF are fine";
}

// Issue #10 §2 (CSV in one place): call history had a lenient splitter of its own, which read a
// stray quote as the start of a quoted field and ran the rest of the line into it. It is read by
// common/csv now, like the target list: such a file is refused naming where, and a Shift_JIS
// (CP932) export is read.
TEST(HistoryCsvTest, AStrayQuoteIsRefusedAndShiftJisIsRead) {
  auto stray = ParseHistoryCsv("date,calls,note\n2026-01-05,120,ok\n2026-01-06,1\"30,ok\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.status().key(), "csv_stray_quote");
  EXPECT_EQ(stray.status().field(), "row 2 (line 3), column 2");
  // 「祝日」 (a holiday) in the label, in CP932.
  auto events = ParseEventsCsv("date,kind,size,label\n2026-01-12,closed,,\x8f\x6a\x93\xfa\n");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].label, "祝日");
}

TEST(EventsCsvTest, ReadsKindsAndSizes) {
  auto e = ParseEventsCsv("date,kind,size,label\n2027-04-05,mailing,3000,85+\n2027-04-12,booking_open,3000,\n2027-05-03,closed,,GW\n");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ASSERT_EQ(e->size(), 3u);
  EXPECT_EQ((*e)[0].kind, forecast::EventKind::kMailing);
  EXPECT_EQ((*e)[0].size, 3000);
  EXPECT_EQ((*e)[2].kind, forecast::EventKind::kClosed);
  EXPECT_EQ(ParseEventsCsv("date,kind\n2027-04-05,party\n").status().field(), "line 2, column kind");
  EXPECT_EQ(ParseEventsCsv("date,kind\n2027-04-05,mailing\n").status().field(), "line 2, column size");
  EXPECT_EQ(ParseEventsCsv("when,what\n").status().field(), "line 1");
}

}  // namespace
}  // namespace madoguchi::formats
