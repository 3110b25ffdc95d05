// The one message catalogue: every text is Japanese, every entry can be reached, and the most
// specific entry for the reader wins.
#include "web/ui/messages.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <tuple>

namespace madoguchi::web::ui {
namespace {

constexpr Reader kReaders[] = {Reader::kStaff, Reader::kResident, Reader::kLine};

Status Error(StatusCode code, std::string key, std::string field = "") {
  return Status(code, std::move(key), "an English message for the log", std::move(field));
}

TEST(MessagesTest, EveryTextIsJapaneseWithoutCodesOrEnglish) {
  // Latin letters only where the person types them — a time format, vaccine names, the JSON key
  // "history" — and the names of LINE and the JSON, CSV, JPEG and PNG formats, and SpO2 as an
  // oximeter shows it, and BMI, as the pages' own labels say them.
  const std::regex allowed("HH:MM|pfizer|moderna|\"history\"|LINE|JSON|CSV|JPEG|PNG|SpO2|BMI");
  for (const CatalogueEntry& e : Catalogue()) {
    const std::string rest = std::regex_replace(std::string(e.text), allowed, "");
    EXPECT_FALSE(std::regex_search(rest, std::regex("[A-Za-z]"))) << e.key << "/" << e.field << ": " << e.text;
    EXPECT_GE(e.text.size(), 9u) << e.key;
  }
}

TEST(MessagesTest, EachKeyFieldAndReaderHasOneEntryAndEveryEntryIsReached) {
  std::set<std::tuple<std::string_view, std::string_view, int>> seen;
  for (const CatalogueEntry& e : Catalogue()) {
    EXPECT_TRUE(seen.insert({e.key, e.field, e.reader ? static_cast<int>(*e.reader) : -1}).second) << "twice: " << e.key << "/" << e.field;
    bool reached = false;
    for (Reader r : kReaders) {
      if (e.reader && *e.reader != r) continue;
      reached |= ErrorText(Error(StatusCode::kInvalidArgument, std::string(e.key), std::string(e.field)), r) == e.text;
    }
    EXPECT_TRUE(reached) << "no reader ever reads " << e.key << "/" << e.field;
  }
}

TEST(MessagesTest, TheReaderChoosesTheWording) {
  const Status full = Error(StatusCode::kConflict, "slot_full");
  EXPECT_EQ(ErrorText(full, Reader::kResident), "この時間はちょうど満員になりました。別の時間をお選びください。");
  EXPECT_EQ(ErrorText(full, Reader::kStaff), "その枠は満員になりました。別の枠を選んでください。");
  EXPECT_EQ(ErrorText(full, Reader::kLine), "その時間はちょうど満員になりました。別の時間をお選びください。");
}

TEST(MessagesTest, TheFieldNarrowsTheKeyAndAnUnknownFieldFallsBackToTheKey) {
  EXPECT_EQ(ErrorText(Error(StatusCode::kPermissionDenied, "not_eligible", "interval"), Reader::kResident),
            "前回の接種から必要な日数がたっていない日です。もっと後の日を選んでください。");
  EXPECT_EQ(ErrorText(Error(StatusCode::kPermissionDenied, "not_eligible", "weather"), Reader::kResident),
            "いまはこの予約を受け付けていません。");
  // The operator reads the reason as said of the caller.
  EXPECT_EQ(ErrorText(Error(StatusCode::kPermissionDenied, "not_eligible", "age"), Reader::kStaff),
            "この方はこの枠を予約できません。いまの条件では、この年齢の方の予約を受け付けていません。");
}

TEST(MessagesTest, LineReadsTheResidentsWordsWhereItHasNoneOfItsOwn) {
  EXPECT_EQ(ErrorText(Error(StatusCode::kUnavailable, "bad_stored_rules"), Reader::kLine),
            "予約できませんでした。しばらくしてからお試しください。");
  EXPECT_EQ(ErrorText(Error(StatusCode::kUnavailable, "bad_stored_rules"), Reader::kStaff),
            "予約の条件が読み取れないため、いまは予約を受け付けられません。管理者にお知らせください。");
}

TEST(MessagesTest, AnUnknownKeyReadsByItsCodeNeverTheEnglishMessage) {
  for (Reader r : kReaders) {
    const std::string text = ErrorText(Error(StatusCode::kInternal, "disk_on_fire"), r);
    EXPECT_EQ(text.find("English"), std::string::npos);
    EXPECT_FALSE(text.empty());
  }
  EXPECT_EQ(ErrorText(Error(StatusCode::kInternal, "disk_on_fire"), Reader::kStaff), "システムエラーが発生しました。");
  EXPECT_EQ(ErrorText(Error(StatusCode::kInternal, "disk_on_fire"), Reader::kResident),
            "うまくいきませんでした。しばらくしてからもう一度お試しください。");
  EXPECT_EQ(ErrorText(Error(StatusCode::kNotFound, "not_found"), Reader::kStaff), "ページが見つかりません。");
  EXPECT_EQ(ErrorText(Status::Ok(), Reader::kStaff), "");
}

// Issue #11, item 5: the resident's page says whether a notice will follow, and how.
TEST(MessagesTest, TheBookingSaysWhetherANoticeFollowsAndHow) {
  EXPECT_EQ(NoticeText(true, "090-1234-5678"), "予約の確認と前日のお知らせを、LINEでお送りします。");
  EXPECT_EQ(NoticeText(false, "090-1234-5678"), "予約の確認と前日のお知らせを、ショートメッセージで 090-1234-5678 にお送りします。");
  EXPECT_NE(NoticeText(false, "").find("お知らせは送りません"), std::string::npos);
}

// Issue #12 §3: staff see why an email did not arrive, from the status code the mail server
// reported, never the code itself.
TEST(MessagesTest, AnEmailThatCameBackSaysWhyInWords) {
  EXPECT_EQ(FailureReasonText("email_bounced: 5.1.1"), "メールアドレスが存在せず、届きませんでした");
  EXPECT_EQ(FailureReasonText("email_bounced: 5.1.10"), "メールアドレスが存在せず、届きませんでした");
  EXPECT_EQ(FailureReasonText("email_bounced: 5.2.2"), "受信箱がいっぱいで、届きませんでした");
  EXPECT_EQ(FailureReasonText("email_bounced: 5.7.1"), "メールが届きませんでした");
  EXPECT_EQ(FailureReasonText("email_delayed: 4.4.7"), "メールの配送が遅れています");
}

}  // namespace
}  // namespace madoguchi::web::ui
