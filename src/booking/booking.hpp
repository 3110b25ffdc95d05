// src/booking/booking.hpp — the rules of vaccination booking: what a valid ticket, resident row,
// venue and slot are; who is eligible for which dose when; how a booking moves between states.
//
// Pure functions over values: no database, no clock reads (callers pass times in), no I/O.
// The store (src/store/booking) applies these rules inside its transactions; every channel
// (web, operator console, LINE, API) goes through the same calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "common/time_format.hpp"

namespace madoguchi::booking {

using Day = std::chrono::sys_days;

// Stored by name; never rename.
enum class State { kBooked, kCheckedIn, kVaccinated, kCancelled, kNoShow };
const char* StateName(State s);
std::optional<State> ParseState(std::string_view name);
// Booked and checked-in bookings hold a seat and block another booking for the same dose.
bool IsActive(State s);
// The bookings a slot's seat count holds: the active ones and the vaccinated (a cancelled or
// no-show booking gave its seat back).
bool HoldsSeat(State s);
// booked → checked_in | cancelled | no_show; checked_in → vaccinated | cancelled. Others are final.
// kFailedPrecondition "bad_transition" otherwise.
Status CheckTransition(State from, State to);

enum class Channel { kWeb, kPhone, kLine, kApi };
const char* ChannelName(Channel c);
std::optional<Channel> ParseChannel(std::string_view name);

// 券番号: exactly 10 ASCII digits, not all the same digit (a national site accepted 0000000000).
Status ValidateTicketNumber(std::string_view ticket, std::string_view field = "ticket_number");

// "YYYY-MM-DD", a real date, not after `today`, not before 1900.
Result<Day> ParseBirthDate(std::string_view text, Day today, std::string_view field = "birth_date");

// A birth date as people write it: 西暦 ("1950-04-01", "1950/4/1", "1950年4月1日", "19500401")
// or 和暦 with its era ("昭和25年4月1日", "S25.4.1", "昭和元年12月26日"; 明治 大正 昭和 平成 令和
// or M T S H R), with full-width digits and spaces as an IME leaves them. Then ParseBirthDate's
// checks. kInvalidArgument on `field` keyed by what is wrong: "birth_year_western" (a year
// without an era that is not 4 digits), "birth_era_year" (an era's year it does not have),
// "birth_date_outside_era" (a date the era does not cover, e.g. 昭和64年2月), "invalid_argument"
// otherwise.
Result<Day> ReadTypedBirthDate(std::string_view typed, Day today, std::string_view field = "birth_date");

// The year of `day` in its era, as callers say it: "昭和16年", "平成元年"; "" before 明治.
std::string EraYear(Day day);

// Age in whole years on `on`.
int AgeOn(Day birth, Day on);

// One row of the target list (対象者一覧).
struct Resident {
  std::string address_number;  // 宛名番号: 1..15 digits
  std::string ticket_number;   // 券番号
  std::string name;            // 氏名
  std::string name_kana;       // 氏名カナ: full-width katakana, spaces allowed
  Day birth_date{};
  std::string address;  // 住所
  std::string phone;    // 電話番号 as written (digits and hyphens)
};

// A number as people type it: full-width digits become ASCII; spaces (half- and full-width)
// and hyphens go; anything else stays (and fails validation later).
std::string NormalizeDigits(std::string_view typed);

// A resident's phone: 10 or 11 digits, hyphens allowed. kInvalidArgument "bad_phone" on `field`.
Status ValidatePhone(std::string_view phone, std::string_view field = "phone");

// The phone's digits only ("090-1234-5678" → "09012345678"), for searching.
std::string PhoneDigits(std::string_view phone);
// Full-width katakana (and the long mark, middle dot, spaces) only; half-width spaces allowed.
bool IsKatakana(std::string_view text);
// Removes spaces (half- and full-width), for searching by kana.
std::string CompactKana(std::string_view kana);
// The given name's kana: what follows the first space (half- or full-width), compacted; "" when
// the name has no space ("ナンゴウ イチロウ" → "イチロウ").
std::string GivenKana(std::string_view kana);

// How an operator's search box is read: exactly 10 digits are a 券番号 (or, when no ticket has
// them, a phone number); 10 or more digits with hyphens or spaces a phone number; full-width
// katakana the start of a name (spaces ignored) — the family name's, or the given name's
// (GivenKana), family names first. kInvalidArgument naming "q" otherwise.
struct ResidentQuery {
  enum class Kind { kTicketOrPhone, kPhone, kKanaPrefix };
  Kind kind = Kind::kTicketOrPhone;
  std::string value;  // the digits, or the kana without spaces
};
// What the operator typed, as an IME leaves it: full-width digits, hiragana and half-width katakana
// are read as the list writes them (ASCII digits, full-width katakana).
Result<ResidentQuery> ReadResidentQuery(std::string_view typed);

struct RowProblem {
  int row = 0;                 // 1-based data row (the header is row 0)
  std::string field;           // column name, e.g. "券番号"
  std::string reason;          // English, for logs and the command line
  std::string key;             // what is wrong, for the message catalogue (e.g. "bad_kana"); empty: say `reason`
  int other_row = 0;           // for "repeated_in_file": the earlier row with the same number
  std::string address_number;  // the row's 宛名番号 as written (empty when the row has none), to find it
};

// Checks one row's cells (in the documented column order); appends problems.
std::optional<Resident> ValidateResidentRow(const std::vector<std::string>& cells, int row, Day today, std::vector<RowProblem>& problems);

// The whole list: every row valid, and no 宛名番号 or 券番号 twice. On any problem: kInvalidArgument
// "invalid_rows" and the problems (the file is rejected as a whole).
struct ImportCheck {
  std::vector<Resident> residents;
  std::vector<RowProblem> problems;
};
ImportCheck ValidateResidentList(const std::vector<std::vector<std::string>>& rows, Day today);
extern const char* const kResidentColumns[7];  // 宛名番号,券番号,氏名,氏名カナ,生年月日,住所,電話番号

struct Venue {
  std::string name;
  std::string address;
};
Status ValidateVenue(const Venue& v);

struct Slot {
  int64_t starts_at_ms = 0, ends_at_ms = 0;
  int capacity = 0;
  std::string vaccine;  // e.g. "pfizer", "moderna"; [a-z0-9_-]{1,32}
  int dose = 1;         // 1..10
};
Status ValidateSlot(const Slot& s);

// A day's slots at one venue: [from, to) (minutes after midnight, Japan time) cut into
// `minutes`-long slots. Errors: the slot field at fault (ValidateSlot), or "minutes" (5..240),
// or "to" when not one slot fits.
Result<std::vector<Slot>> SlotSeries(Day day, int from_minute, int to_minute, int minutes, int capacity, const std::string& vaccine,
                                     int dose);

// Tenant settings for who may book what (docs/booking.md).
struct Rules {
  std::optional<int> min_age;  // the age band open now (age on the slot's day)
  std::optional<int> max_age;
  std::map<std::string, int> min_days_after_previous_dose;  // by vaccine; default 21
  bool same_vaccine_for_second_dose = true;                 // dose 2 must use dose 1's vaccine
  int max_dose = 1;                                         // by default every listed ticket may book dose 1
};

// Ages 0..150 (min ≤ max), max_dose 1..10, intervals 0..3650 days for vaccine names as slots
// have them. kInvalidArgument naming the setting (e.g. "min_days_after_previous_dose.pfizer").
Status ValidateRules(const Rules& rules);

// What a municipality tells its residents on every page and with every booking (窓口と当日の
// 案内): where to call and when, and what the day asks of them.
struct Guidance {
  std::string phone;                                   // 窓口の電話番号, "0120-123-456"; empty until set
  std::string hours;                                   // 受付時間, "平日 9:00〜17:00"
  std::string bring = "接種券・予診票・本人確認書類";  // 当日の持ち物
  int arrive_minutes_before = 10;                      // 何分前に来てほしいか
};

// A phone number as people type it: full-width digits, hyphens and parentheses as ASCII, spaces
// (half- and full-width) dropped; anything else stays (and fails ValidateGuidance).
std::string ReadTypedPhone(std::string_view typed);

// phone: 3..20 of digits, hyphens and parentheses with 3..15 digits (full-width digits are
// normalised first by the caller); hours: at most 100 bytes, bring: at most 300 bytes, both text
// without control characters; arrive_minutes_before 0..120. kInvalidArgument naming the setting.
Status ValidateGuidance(const Guidance& g);

struct PriorDose {
  int dose = 0;
  Day day{};
  std::string vaccine;
};

// Who may book now, as a resident is told at sign-in (before choosing anything): the rules for
// their next dose and their age today. Too young is not a refusal: the age counts on the slot's
// day, so from the day they reach `min_age` they may book (`reaches_min_age`).
struct Standing {
  enum class Kind { kMayBook, kTooYoung, kTooOld, kDoseNotOpen };
  Kind kind = Kind::kMayBook;
  int next_dose = 1;
  int age_today = 0;
  std::optional<int> min_age, max_age;
  int max_dose = 1;
  std::optional<Day> reaches_min_age;  // kTooYoung: the birthday on which they reach min_age

  // Whether choosing a time can end in a booking: yes unless the age band or the dose is closed
  // (too young today may still book a slot on or after reaches_min_age).
  bool MayChooseATime() const { return kind == Kind::kMayBook || kind == Kind::kTooYoung; }
};
Standing StandingOf(const Rules& rules, Day birth, int next_dose, Day today);

// The target list as the rules page previews it: residents counted by birth date and the dose
// they are due next.
struct ListGroup {
  Day birth{};
  int next_dose = 1;
  int64_t count = 0;
};
// How many on the list rules would let book (「名簿の N 人のうち M 人が今予約できます」): by
// StandingOf today, those who may book now and those too young today who may book a slot on or
// after their birthday.
struct RulesReach {
  int64_t listed = 0, may_book_now = 0, too_young_today = 0;
};
RulesReach ReachOf(const Rules& rules, const std::vector<ListGroup>& list, Day today);

// kPermissionDenied "not_eligible" with the reason in the message and the rule in `field`
// ("age", "dose", "interval", "vaccine"). A dose already in `prior` cannot be booked again.
Status CheckEligibility(const Rules& rules, Day birth, int dose, Day slot_day, std::string_view vaccine,
                        const std::vector<PriorDose>& prior);

// 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L): read out over the phone.
std::string NewConfirmationCode();
bool LooksLikeConfirmationCode(std::string_view code);
// The code as people read it aloud: two groups of 4 ("K7QM-4XRT"); anything else as it is.
std::string CodeInGroups(std::string_view code);

// Dates ("YYYY-MM-DD": ParseIsoDate, FormatIsoDate) and the day in Japan of an instant
// (JapanDay, JapanMidnightMs) are the one Japan-time module's: src/common/time_format.hpp.

// When the day-before reminder is due: 10:00 Japan time the day before the slot, or now when
// that has passed.
int64_t ReminderDueMs(int64_t slot_starts_at_ms, int64_t now_ms);

}  // namespace madoguchi::booking
