// A campaign's recipients are checked before anything is queued: every bad row by row and
// column, a placeholder the file has no column for refused once, the part limit per recipient.
#include "messaging/campaign.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.hpp"

namespace madoguchi::messaging {
namespace {

using testing::StatusIs;
using testing::StatusIsOn;

const std::vector<std::string> kHeader = {"電話番号", "氏名"};

TEST(CampaignTest, EachRecipientGetsTheTextFilledWithTheirRow) {
  auto plan =
      PlanCampaign("{氏名}様、日南市です。", kHeader, {{"090-1111-2222", "日南 花子"}, {"０８０－３３３３－４４４４", "日南 次郎"}}, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->problems.empty());
  ASSERT_EQ(plan->recipients.size(), 2u);
  EXPECT_EQ(plan->recipients[0].phone, "+819011112222");
  EXPECT_EQ(plan->recipients[0].text, "日南 花子様、日南市です。");
  EXPECT_EQ(plan->recipients[1].row, 3) << "the spreadsheet's row: the header is row 1";
  EXPECT_EQ(plan->total_parts, 2);
  EXPECT_EQ(plan->cost_sen, 600);
}

TEST(CampaignTest, EveryBadRowIsReportedByRowAndColumn) {
  SendingSettings one_part;
  one_part.max_sms_parts = 1;
  auto plan = PlanCampaign(
      "{氏名}様", kHeader,
      {{"090-1111-2222", "日南 花子"}, {"0987-31-1111", "日南 太郎"}, {"090-1111-2222", "重複"}, {"abc", std::string(80, 'x') + "あ"}},
      one_part);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->problems.size(), 4u);
  EXPECT_EQ(plan->problems[0].row, 3);
  EXPECT_EQ(plan->problems[0].column, "電話番号");
  EXPECT_EQ(plan->problems[0].key, "not_mobile");
  EXPECT_EQ(plan->problems[1].row, 4);
  EXPECT_EQ(plan->problems[1].key, "repeated_phone");
  EXPECT_EQ(plan->problems[2].row, 5);
  EXPECT_EQ(plan->problems[2].key, "bad_mobile") << "a mobile number is asked for";
  EXPECT_EQ(plan->problems[3].row, 5) << "every problem of a row";
  EXPECT_EQ(plan->problems[3].key, "too_many_parts");
}

TEST(CampaignTest, AFileOrTextThatCannotMakeACampaignIsRefusedOnce) {
  EXPECT_THAT(PlanCampaign("{年齢}歳の方へ", kHeader, {{"090-1111-2222", "a"}}, {}),
              StatusIsOn(StatusCode::kInvalidArgument, "unknown_variable", "template"));
  EXPECT_THAT(PlanCampaign("こんにちは", {"氏名"}, {{"a"}}, {}), StatusIsOn(StatusCode::kInvalidArgument, "no_phone_column", "file"));
  EXPECT_THAT(PlanCampaign("こんにちは", kHeader, {}, {}), StatusIsOn(StatusCode::kInvalidArgument, "no_recipients", "file"));
  EXPECT_THAT(PlanCampaign("  ", kHeader, {{"090-1111-2222", "a"}}, {}),
              StatusIsOn(StatusCode::kInvalidArgument, "bad_template", "template"));
}

// Issue #12 (email): a file may carry メールアドレス beside or instead of 電話番号; a row without a
// mobile is reached by email, which costs nothing and has no part limit.
TEST(CampaignTest, ARowWithoutAMobileIsReachedByItsEmailAddress) {
  SendingSettings one_part;
  one_part.max_sms_parts = 1;
  const std::vector<std::string> header = {"電話番号", "メールアドレス", "氏名"};
  const std::string long_name(80, 'x');
  auto plan = PlanCampaign("{氏名}様、日南市です。", header,
                           {{"090-1111-2222", "hanako@example.jp", "日南 花子"},
                            {"0987-31-1111", "ｔａｒｏ＠Ｅｘａｍｐｌｅ．ｊｐ", long_name},
                            {"", "jiro@example.jp", "日南 次郎"}},
                           one_part);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->problems.empty()) << plan->problems[0].key;
  ASSERT_EQ(plan->recipients.size(), 3u);
  EXPECT_EQ(plan->recipients[0].phone, "+819011112222") << "a mobile first";
  EXPECT_EQ(plan->recipients[0].email, "");
  EXPECT_EQ(plan->recipients[1].phone, "") << "a landline beside an email: by email";
  EXPECT_EQ(plan->recipients[1].email, "taro@example.jp");
  EXPECT_EQ(plan->recipients[2].email, "jiro@example.jp");
  EXPECT_EQ(plan->recipients[1].values.count("メールアドレス"), 0u) << "the address is not a variable";
  EXPECT_EQ(plan->by_email, 2);
  EXPECT_EQ(plan->total_parts, 1) << "only the SMS is paid for";
  EXPECT_EQ(plan->cost_sen, 300);

  auto only_email = PlanCampaign("お知らせです。", {"メールアドレス"}, {{"hanako@example.jp"}}, {});
  ASSERT_TRUE(only_email.ok());
  EXPECT_EQ(only_email->recipients.at(0).email, "hanako@example.jp");
}

TEST(CampaignTest, ABadOrRepeatedEmailOrARowWithNoAddressIsReportedOnItsCell) {
  const std::vector<std::string> header = {"電話番号", "メールアドレス"};
  auto plan = PlanCampaign("お知らせです。", header,
                           {{"", "hanako@example"}, {"", "a@example.jp"}, {"", "a@Example.JP"}, {"0987-31-1111", ""}}, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->problems.size(), 3u);
  EXPECT_EQ(plan->problems[0].row, 2);
  EXPECT_EQ(plan->problems[0].column, "メールアドレス");
  EXPECT_EQ(plan->problems[0].key, "bad_email");
  EXPECT_EQ(plan->problems[1].row, 4);
  EXPECT_EQ(plan->problems[1].key, "repeated_email") << "the same address once normalised";
  EXPECT_EQ(plan->problems[2].row, 5);
  EXPECT_EQ(plan->problems[2].key, "not_mobile") << "a landline and no email";
  EXPECT_EQ(plan->recipients.size(), 1u);
  auto empty = PlanCampaign("お知らせです。", {"メールアドレス", "氏名"}, {{"", "a"}}, {});
  ASSERT_TRUE(empty.ok());
  ASSERT_EQ(empty->problems.size(), 1u);
  EXPECT_EQ(empty->problems[0].key, "no_address");
}

TEST(CampaignTest, ProblemsStopAtTheCapWithTheRestCounted) {
  std::vector<std::vector<std::string>> rows(30, {"03-1234-5678", "x"});
  auto plan = PlanCampaign("{氏名}", kHeader, rows, {}, PlanOptions{.max_problems = 10});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->problems.size(), 11u);
  EXPECT_EQ(plan->problems.back().key, "more_problems");
  EXPECT_NE(plan->problems.back().message.find("20"), std::string::npos);
}

TEST(CampaignTest, AScheduledCampaignIsSendingOnceStartedAndDoneWhenNothingIsLeft) {
  EXPECT_EQ(CurrentCampaignState(CampaignState::kScheduled, 5, 1000, 999), CampaignState::kScheduled);
  EXPECT_EQ(CurrentCampaignState(CampaignState::kScheduled, 5, 1000, 1000), CampaignState::kSending);
  EXPECT_EQ(CurrentCampaignState(CampaignState::kScheduled, 0, 1000, 2000), CampaignState::kDone);
  EXPECT_EQ(CurrentCampaignState(CampaignState::kPaused, 0, 1000, 2000), CampaignState::kPaused);
}

TEST(CampaignTest, PauseResumeCancelOnlyWhereTheyMeanSomething) {
  EXPECT_EQ(*CampaignTransition(CampaignState::kScheduled, "pause"), CampaignState::kPaused);
  EXPECT_EQ(*CampaignTransition(CampaignState::kPaused, "resume"), CampaignState::kScheduled);
  EXPECT_EQ(*CampaignTransition(CampaignState::kPaused, "cancel"), CampaignState::kCancelled);
  EXPECT_THAT(CampaignTransition(CampaignState::kDone, "cancel"), StatusIs(StatusCode::kFailedPrecondition, "campaign_done"));
  EXPECT_THAT(CampaignTransition(CampaignState::kScheduled, "resume"), StatusIs(StatusCode::kFailedPrecondition, "campaign_scheduled"));
  EXPECT_THAT(CampaignTransition(CampaignState::kScheduled, "delete"),
              StatusIsOn(StatusCode::kInvalidArgument, "unknown_action", "action"));
}

}  // namespace
}  // namespace madoguchi::messaging
