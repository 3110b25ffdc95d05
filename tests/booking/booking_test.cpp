// The booking rules: tickets, birth dates, the resident list, states, eligibility, codes, times.
#include <gtest/gtest.h>

#include <set>

#include "booking/booking.hpp"
#include "support/status_matchers.hpp"

namespace madoguchi::booking {
namespace {

using ::madoguchi::testing::StatusIs;
using ::madoguchi::testing::StatusIsOn;

Day D(const char* s) { return *ParseIsoDate(s); }
const Day kToday = D("2027-04-01");

TEST(BookingRulesTest, TicketNumbers) {
  EXPECT_TRUE(ValidateTicketNumber("1234567890").ok());
  EXPECT_EQ(ValidateTicketNumber("0000000000").field(), "ticket_number") << "the 2021 national site accepted it";
  EXPECT_THAT(ValidateTicketNumber("999999999"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "ticket_number"));
  EXPECT_THAT(ValidateTicketNumber("12345678901"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "ticket_number"));
  EXPECT_THAT(ValidateTicketNumber("12345６7890"), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "ticket_number"));
  EXPECT_THAT(ValidateTicketNumber(""), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "ticket_number"));
}

TEST(BookingRulesTest, BirthDatesAndAges) {
  EXPECT_TRUE(ParseBirthDate("1950-02-28", kToday).ok());
  EXPECT_EQ(ParseBirthDate("1950-02-30", kToday).status().field(), "birth_date");
  EXPECT_THAT(ParseBirthDate("2030-01-01", kToday),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "birth_date"));  // in the future
  EXPECT_THAT(ParseBirthDate("1899-12-31", kToday),
              StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "birth_date"));  // before 1900
  EXPECT_EQ(AgeOn(D("1952-04-02"), D("2027-04-01")), 74);
  EXPECT_EQ(AgeOn(D("1952-04-01"), D("2027-04-01")), 75);
}

TEST(BookingRulesTest, StatesMoveOnlyForward) {
  EXPECT_TRUE(CheckTransition(State::kBooked, State::kCheckedIn).ok());
  EXPECT_TRUE(CheckTransition(State::kBooked, State::kCancelled).ok());
  EXPECT_TRUE(CheckTransition(State::kBooked, State::kNoShow).ok());
  EXPECT_TRUE(CheckTransition(State::kCheckedIn, State::kVaccinated).ok());
  EXPECT_EQ(CheckTransition(State::kBooked, State::kVaccinated).key(), "bad_transition");
  EXPECT_THAT(CheckTransition(State::kCancelled, State::kBooked), StatusIs(StatusCode::kFailedPrecondition, "bad_transition"));
  EXPECT_THAT(CheckTransition(State::kVaccinated, State::kCancelled), StatusIs(StatusCode::kFailedPrecondition, "bad_transition"));
  EXPECT_TRUE(IsActive(State::kCheckedIn));
  EXPECT_FALSE(IsActive(State::kNoShow));
}

TEST(BookingRulesTest, ResidentListIsRejectedRowByRow) {
  std::vector<std::vector<std::string>> rows = {
      {"1001", "1234567890", "日南 花子", "ニチナン ハナコ", "1945-05-05", "日南市", "0987-31-1234"},
      {"1002", "0000000000", "", "nichinan", "1945-13-01", "日南市", "12-34"},
      {"1003", "1234567890", "日南 太郎", "ニチナン タロウ", "1944-01-01", "日南市", ""},
      {"1004", "2234567890", "日南 次郎"},
  };
  const ImportCheck check = ValidateResidentList(rows, kToday);
  std::set<std::string> where;
  for (const auto& p : check.problems) where.insert(std::to_string(p.row) + ":" + p.field);
  EXPECT_EQ(where, (std::set<std::string>{"2:券番号", "2:氏名", "2:氏名カナ", "2:生年月日", "2:電話番号", "3:券番号", "4:"}));
  ASSERT_EQ(check.residents.size(), 1u);
  EXPECT_EQ(PhoneDigits(check.residents[0].phone), "0987311234");
  EXPECT_EQ(CompactKana("ニチナン　ハナコ"), "ニチナンハナコ");
  EXPECT_TRUE(IsKatakana("ヴァーチャル・ケイ"));
  EXPECT_FALSE(IsKatakana("ひらがな"));
}

TEST(BookingRulesTest, Eligibility) {
  Rules r;
  r.min_age = 75;
  const Day birth = D("1952-06-01");
  EXPECT_EQ(CheckEligibility(r, birth, 1, D("2027-05-31"), "pfizer", {}).field(), "age");
  EXPECT_TRUE(CheckEligibility(r, birth, 1, D("2027-06-01"), "pfizer", {}).ok()) << "75 on the slot's day";
  r.min_age.reset();
  EXPECT_EQ(CheckEligibility(r, birth, 2, D("2027-06-01"), "pfizer", {}).field(), "dose") << "dose 1 only by default";
  r.max_dose = 3;
  r.min_days_after_previous_dose["moderna"] = 28;
  const std::vector<PriorDose> one = {{1, D("2027-05-01"), "moderna"}};
  EXPECT_EQ(CheckEligibility(r, birth, 2, D("2027-05-20"), "moderna", one).field(), "interval");
  EXPECT_TRUE(CheckEligibility(r, birth, 2, D("2027-05-29"), "moderna", one).ok());
  EXPECT_EQ(CheckEligibility(r, birth, 2, D("2027-05-29"), "pfizer", one).field(), "vaccine");
  EXPECT_EQ(CheckEligibility(r, birth, 3, D("2027-09-29"), "pfizer", one).field(), "dose") << "dose 2 missing";
}

TEST(BookingRulesTest, SlotsAndVenues) {
  EXPECT_TRUE(ValidateSlot({0, 1'800'000, 20, "pfizer", 1}).ok());
  EXPECT_EQ(ValidateSlot({10, 10, 20, "pfizer", 1}).field(), "ends_at");
  EXPECT_EQ(ValidateSlot({0, 1'800'000, 0, "pfizer", 1}).field(), "capacity");
  EXPECT_EQ(ValidateSlot({0, 1'800'000, 5, "Pfizer!", 1}).field(), "vaccine");
  EXPECT_EQ(ValidateSlot({0, 1'800'000, 5, "pfizer", 0}).field(), "dose");
  EXPECT_EQ(ValidateVenue({"", "x"}).field(), "name");
}

TEST(BookingRulesTest, ConfirmationCodesAreReadableAndVaried) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::string c = NewConfirmationCode();
    ASSERT_TRUE(LooksLikeConfirmationCode(c)) << c;
    EXPECT_EQ(c.find_first_of("0O1IL"), std::string::npos);
    seen.insert(c);
  }
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_FALSE(LooksLikeConfirmationCode("ABCD-123"));
  EXPECT_EQ(CodeInGroups("K7QM4XRT"), "K7QM-4XRT") << "read aloud in two groups of four";
  EXPECT_EQ(CodeInGroups("abc"), "abc");
}

TEST(BookingRulesTest, JapanDaysAndReminders) {
  // 2027-04-12 09:00 JST = 2027-04-12 00:00 UTC.
  const int64_t slot = JapanMidnightMs(D("2027-04-12")) + 9 * 3'600'000;
  EXPECT_EQ(FormatIsoDate(JapanDay(slot)), "2027-04-12");
  EXPECT_EQ(FormatIsoDate(JapanDay(JapanMidnightMs(D("2027-04-12")) - 1)), "2027-04-11");
  const int64_t due = ReminderDueMs(slot, 0);
  EXPECT_EQ(due, JapanMidnightMs(D("2027-04-11")) + 10 * 3'600'000);
  EXPECT_EQ(ReminderDueMs(slot, slot - 3'600'000), slot - 3'600'000) << "booked the same morning: due now";
}

// How an operator's search box is read (it was read inside the store's query).
TEST(BookingRulesTest, AnOperatorsSearchIsATicketAPhoneOrTheStartOfAName) {
  using Kind = ResidentQuery::Kind;
  auto ticket = ReadResidentQuery("4520410001");
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(ticket->kind, Kind::kTicketOrPhone);
  auto phone = ReadResidentQuery("090-1111-2222");
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone->kind, Kind::kPhone);
  EXPECT_EQ(phone->value, "09011112222");
  auto kana = ReadResidentQuery("ニチナン　ハナ");
  ASSERT_TRUE(kana.ok());
  EXPECT_EQ(kana->kind, Kind::kKanaPrefix);
  EXPECT_EQ(kana->value, "ニチナンハナ");
  for (const char* bad : {"12345", "日南", "nichinan", ""}) EXPECT_EQ(ReadResidentQuery(bad).status().field(), "q") << bad;
}

// Issue #11, item 10: what an IME leaves in the box is read as the list writes it; full-width
// digits, hiragana and half-width katakana were all refused.
TEST(BookingRulesTest, AnOperatorsSearchReadsWhatAnImeTyped) {
  using Kind = ResidentQuery::Kind;
  auto ticket = ReadResidentQuery("４５２０４１０００１");
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(ticket->kind, Kind::kTicketOrPhone);
  EXPECT_EQ(ticket->value, "4520410001");
  auto phone = ReadResidentQuery("０９０－１１１１－２２２２");
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone->value, "09011112222");
  auto hiragana = ReadResidentQuery("にちなん　はな");
  ASSERT_TRUE(hiragana.ok());
  EXPECT_EQ(hiragana->kind, Kind::kKanaPrefix);
  EXPECT_EQ(hiragana->value, "ニチナンハナ");
  auto half = ReadResidentQuery("ﾆﾁﾅﾝ ﾀﾞｲｽｹ");
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->value, "ニチナンダイスケ");
  auto marks = ReadResidentQuery("ﾎﾟﾝﾀﾞ ｳﾞｨｰ ﾃﾞﾂﾞｶﾞﾄﾞ");
  ASSERT_TRUE(marks.ok());
  EXPECT_EQ(marks->value, "ポンダヴィーデヅガド");
}

// What residents are told (issue #11, items 1 and 5): a phone as typed, whatever the IME left.
TEST(BookingRulesTest, TheWindowsPhoneIsReadAsTypedAndTheGuidanceIsChecked) {
  EXPECT_EQ(ReadTypedPhone("０９８７－３１－１１００"), "0987-31-1100");
  EXPECT_EQ(ReadTypedPhone("（0987） 31 1100"), "(0987)311100");
  Guidance g;
  EXPECT_THAT(ValidateGuidance(g), ::madoguchi::testing::IsOk()) << "nothing set yet is fine: the page says where else to look";
  g.phone = "0987-31-1100";
  g.hours = "毎日 8:30〜17:15";
  EXPECT_THAT(ValidateGuidance(g), ::madoguchi::testing::IsOk());
  g.phone = "0987-31-11OO";
  EXPECT_THAT(ValidateGuidance(g), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "phone"));
  g.phone = "12";
  EXPECT_THAT(ValidateGuidance(g), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "phone"));
  g.phone = "0120-123-456";
  g.hours = std::string(101, 'x');
  EXPECT_THAT(ValidateGuidance(g), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "hours"));
  g.hours = "";
  g.bring = "接種券\n予診票";
  EXPECT_THAT(ValidateGuidance(g), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "bring"));
  g.bring = "";
  g.arrive_minutes_before = 121;
  EXPECT_THAT(ValidateGuidance(g), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "arrive_minutes_before"));
}

// Issue #11, item 7: 和暦 as well as 西暦, as people write them.
TEST(BookingRulesTest, ABirthDateIsReadInTheWesternYearOrInTheEra) {
  const Day today = D("2026-12-01");
  for (const char* typed : {"1950-04-01", "1950/4/1", "1950年4月1日", "19500401", "１９５０年４月１日", "昭和25年4月1日", "S25.4.1",
                            "s25/04/01", "昭和２５年 ４月 １日"}) {
    EXPECT_THAT(ReadTypedBirthDate(typed, today), ::madoguchi::testing::IsOkAndHolds(D("1950-04-01"))) << typed;
  }
  EXPECT_THAT(ReadTypedBirthDate("平成元年1月8日", today), ::madoguchi::testing::IsOkAndHolds(D("1989-01-08")));
  EXPECT_THAT(ReadTypedBirthDate("昭和元年12月25日", today), ::madoguchi::testing::IsOkAndHolds(D("1926-12-25")));
  EXPECT_THAT(ReadTypedBirthDate("大正15年3月3日", today), ::madoguchi::testing::IsOkAndHolds(D("1926-03-03")));
  EXPECT_THAT(ReadTypedBirthDate("25年4月1日", today), StatusIsOn(StatusCode::kInvalidArgument, "birth_year_western", "birth_date"))
      << "a two-digit year without an era: say 西暦4けた";
  EXPECT_THAT(ReadTypedBirthDate("昭和65年1月1日", today), StatusIsOn(StatusCode::kInvalidArgument, "birth_era_year", "birth_date"));
  EXPECT_THAT(ReadTypedBirthDate("昭和64年2月1日", today), StatusIsOn(StatusCode::kInvalidArgument, "birth_date_outside_era", "birth_date"))
      << "昭和 ended on 7 January 1989";
  EXPECT_THAT(ReadTypedBirthDate("平成元年1月7日", today),
              StatusIsOn(StatusCode::kInvalidArgument, "birth_date_outside_era", "birth_date"));
  EXPECT_THAT(ReadTypedBirthDate("1950年2月30日", today), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "birth_date"));
  EXPECT_THAT(ReadTypedBirthDate("2027-01-01", today), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "birth_date"));
  EXPECT_THAT(ReadTypedBirthDate("1950年4月", today), StatusIsOn(StatusCode::kInvalidArgument, "invalid_argument", "birth_date"));
}

// Issue #11, item 2: who may book now, said at sign-in.
TEST(BookingRulesTest, WhoMayBookNowFollowsTheAgeTodayAndTheNextDose) {
  Rules rules;
  rules.min_age = 75;
  rules.max_dose = 2;
  const Day today = D("2026-12-01");
  Standing s = StandingOf(rules, D("1951-04-01"), 1, today);  // 75
  EXPECT_EQ(s.kind, Standing::Kind::kMayBook);
  s = StandingOf(rules, D("1952-02-10"), 1, today);  // 74: 75 on 2027-02-10
  EXPECT_EQ(s.kind, Standing::Kind::kTooYoung);
  EXPECT_EQ(s.reaches_min_age, D("2027-02-10"));
  EXPECT_EQ(StandingOf(rules, D("1952-02-29"), 1, today).reaches_min_age, D("2027-03-01")) << "born on 29 February";
  EXPECT_EQ(StandingOf(rules, D("1940-01-01"), 3, today).kind, Standing::Kind::kDoseNotOpen);
  rules.max_age = 80;
  EXPECT_EQ(StandingOf(rules, D("1940-01-01"), 1, today).kind, Standing::Kind::kTooOld);
}

// Issue #11, item 19: the rules page says whom rules would let book before they are saved.
TEST(BookingRulesTest, ReachCountsTheListByTheSameStandingAsSignIn) {
  const Day today = D("2026-12-01");
  const std::vector<ListGroup> list = {
      {D("1940-05-01"), 1, 30},  // 86
      {D("1951-04-01"), 1, 20},  // 75
      {D("1952-02-10"), 1, 5},   // 74: 75 on 2027-02-10
      {D("1950-01-01"), 2, 7},   // 76, due dose 2
  };
  Rules rules;
  rules.min_age = 75;
  RulesReach r = ReachOf(rules, list, today);
  EXPECT_EQ(r.listed, 62);
  EXPECT_EQ(r.may_book_now, 50) << "dose 2 is not open with max_dose 1";
  EXPECT_EQ(r.too_young_today, 5);
  rules.min_age = 90;
  rules.max_age = 95;
  r = ReachOf(rules, list, today);
  EXPECT_EQ(r.may_book_now, 0);
  EXPECT_EQ(r.too_young_today, 55) << "the too young of dose 1 only";
  EXPECT_EQ(ReachOf(rules, {}, today).listed, 0);
}

}  // namespace
}  // namespace madoguchi::booking
