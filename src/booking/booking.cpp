#include "booking/booking.hpp"

#include <algorithm>
#include <tuple>

#include "common/crypto.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"

namespace madoguchi::booking {
namespace {

using std::chrono::days;

constexpr int64_t kDayMs = 86'400'000;
constexpr char kCodeAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 characters

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Decodes one UTF-8 code point at s[i]; advances i. Returns -1 on malformed input.
long NextCodePoint(std::string_view s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return -1;
  long cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    const unsigned char n = static_cast<unsigned char>(s[i + k]);
    if ((n >> 6) != 2) return -1;
    cp = (cp << 6) | (n & 0x3F);
  }
  i += len;
  return cp;
}

void AppendUtf8(std::string& out, long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Half-width katakana U+FF66..U+FF9D as full-width (JIS X 0201's order).
constexpr char16_t kHalfWidthKana[] =
    u"ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

// What an IME leaves in a search box, as the list writes it: full-width digits and hyphens as
// ASCII, hiragana and half-width katakana (with its separate voicing marks) as full-width katakana.
std::string NormaliseTyped(std::string_view typed) {
  std::vector<long> cps;
  for (size_t i = 0; i < typed.size();) {
    long cp = NextCodePoint(typed, i);
    if (cp < 0) return std::string(typed);                                            // not UTF-8: left as it is, to be refused as it is
    if (cp >= 0xFF10 && cp <= 0xFF19) cp = '0' + (cp - 0xFF10);                       // ０-９
    else if (cp == 0xFF0D || cp == 0x2212 || cp == 0x2010 || cp == 0x2011) cp = '-';  // －, −, ‐
    else if (cp >= 0x3041 && cp <= 0x3096) cp += 0x60;                                // hiragana → katakana
    else if (cp == 0xFF65) cp = 0x30FB;                                               // ･ → ・
    else if (cp >= 0xFF66 && cp <= 0xFF9D) cp = kHalfWidthKana[cp - 0xFF66];
    else if ((cp == 0xFF9E || cp == 0xFF9F) && !cps.empty()) {
      long& prev = cps.back();
      // カ..チ voice at odd code points, ツ テ ト (after ッ) at even ones, ハ..ホ every third.
      const bool voiceable = (prev >= 0x30AB && prev <= 0x30C2 && prev % 2 == 1) || (prev >= 0x30C4 && prev <= 0x30C8 && prev % 2 == 0) ||
                             (prev >= 0x30CF && prev <= 0x30DD && (prev - 0x30CF) % 3 == 0);
      if (cp == 0xFF9E && prev == 0x30A6) {  // ｳﾞ → ヴ
        prev = 0x30F4;
        continue;
      }
      if (cp == 0xFF9E && voiceable) {
        prev += 1;
        continue;
      }
      if (cp == 0xFF9F && prev >= 0x30CF && prev <= 0x30DD && (prev - 0x30CF) % 3 == 0) {
        prev += 2;
        continue;
      }
    }
    cps.push_back(cp);
  }
  std::string out;
  for (long cp : cps) AppendUtf8(out, cp);
  return out;
}

}  // namespace

std::string ReadTypedPhone(std::string_view typed) {
  std::string out;
  for (size_t i = 0; i < typed.size();) {
    long cp = NextCodePoint(typed, i);
    if (cp < 0) return std::string(typed);
    if (cp >= 0xFF10 && cp <= 0xFF19) cp = '0' + (cp - 0xFF10);
    else if (cp == 0xFF0D || cp == 0x2212 || cp == 0x2010 || cp == 0x2011 || cp == 0x30FC) cp = '-';  // －, −, ‐, ー
    else if (cp == 0xFF08) cp = '(';
    else if (cp == 0xFF09) cp = ')';
    else if (cp == ' ' || cp == 0x3000) continue;
    AppendUtf8(out, cp);
  }
  return out;
}

const char* const kResidentColumns[7] = {"宛名番号", "券番号", "氏名", "氏名カナ", "生年月日", "住所", "電話番号"};

const char* StateName(State s) {
  switch (s) {
    case State::kBooked: return "booked";
    case State::kCheckedIn: return "checked_in";
    case State::kVaccinated: return "vaccinated";
    case State::kCancelled: return "cancelled";
    case State::kNoShow: return "no_show";
  }
  return "?";
}

std::optional<State> ParseState(std::string_view name) {
  for (State s : {State::kBooked, State::kCheckedIn, State::kVaccinated, State::kCancelled, State::kNoShow}) {
    if (name == StateName(s)) return s;
  }
  return std::nullopt;
}

bool IsActive(State s) { return s == State::kBooked || s == State::kCheckedIn; }

bool HoldsSeat(State s) { return IsActive(s) || s == State::kVaccinated; }

Status CheckTransition(State from, State to) {
  const bool ok = (from == State::kBooked && (to == State::kCheckedIn || to == State::kCancelled || to == State::kNoShow)) ||
                  (from == State::kCheckedIn && (to == State::kVaccinated || to == State::kCancelled));
  if (ok) return Status::Ok();
  return FailedPreconditionError(std::string("a booking that is ") + StateName(from) + " cannot become " + StateName(to), "bad_transition");
}

const char* ChannelName(Channel c) {
  switch (c) {
    case Channel::kWeb: return "web";
    case Channel::kPhone: return "phone";
    case Channel::kLine: return "line";
    case Channel::kApi: return "api";
  }
  return "?";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel c : {Channel::kWeb, Channel::kPhone, Channel::kLine, Channel::kApi}) {
    if (name == ChannelName(c)) return c;
  }
  return std::nullopt;
}

Status ValidateTicketNumber(std::string_view t, std::string_view field) {
  if (t.size() != 10 || !AllDigits(t)) return InvalidArgumentError(std::string(field), "must be the 10 digits of the ticket (券番号)");
  if (std::all_of(t.begin(), t.end(), [&](char c) { return c == t[0]; })) {
    return InvalidArgumentError(std::string(field), "is not a real ticket number");
  }
  return Status::Ok();
}

Result<Day> ParseBirthDate(std::string_view text, Day today, std::string_view field) {
  auto d = madoguchi::ParseIsoDate(text);
  if (!d) return InvalidArgumentError(std::string(field), "must be a date YYYY-MM-DD");
  if (*d > today) return InvalidArgumentError(std::string(field), "is in the future");
  if (*d < Day{std::chrono::year{1900} / 1 / 1}) return InvalidArgumentError(std::string(field), "is before 1900");
  return *d;
}

namespace {

struct Era {
  const char* name;
  char letter;
  Day first, last;  // the days the era covers
};
constexpr std::chrono::year_month_day Ymd(int y, unsigned m, unsigned d) {
  return std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d};
}
const Era kEras[] = {
    {"明治", 'M', Day{Ymd(1868, 10, 23)}, Day{Ymd(1912, 7, 29)}}, {"大正", 'T', Day{Ymd(1912, 7, 30)}, Day{Ymd(1926, 12, 24)}},
    {"昭和", 'S', Day{Ymd(1926, 12, 25)}, Day{Ymd(1989, 1, 7)}},  {"平成", 'H', Day{Ymd(1989, 1, 8)}, Day{Ymd(2019, 4, 30)}},
    {"令和", 'R', Day{Ymd(2019, 5, 1)}, Day{Ymd(2118, 12, 31)}},  // its last day is not known: 100 years
};

// Leading ASCII digits of `s` from `i` as a number (at most 8 of them); -1 when there are none.
int TakeNumber(const std::string& s, size_t& i, int* digits = nullptr) {
  int n = 0, k = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && k < 8) n = n * 10 + (s[i++] - '0'), ++k;
  if (digits) *digits = k;
  return k == 0 ? -1 : n;
}

// Skips one separator: 年 月 日 - / . (ASCII, after normalising).
bool SkipSeparator(const std::string& s, size_t& i) {
  for (std::string_view sep : {"年", "月", "日", "-", "/", "."}) {
    if (s.compare(i, sep.size(), sep) == 0) {
      i += sep.size();
      return true;
    }
  }
  return false;
}

}  // namespace

std::string EraYear(Day day) {
  for (const Era& e : kEras) {
    if (day < e.first || day > e.last) continue;
    const int year =
        static_cast<int>(std::chrono::year_month_day{day}.year()) - static_cast<int>(std::chrono::year_month_day{e.first}.year()) + 1;
    return std::string(e.name) + (year == 1 ? std::string("元") : std::to_string(year)) + "年";
  }
  return "";
}

Result<Day> ReadTypedBirthDate(std::string_view typed, Day today, std::string_view field) {
  // Full-width digits and hyphens as ASCII (NormaliseTyped), full-width ／ and ． too, spaces gone.
  std::string s;
  for (char c : NormaliseTyped(typed)) {
    if (c != ' ') s += c;
  }
  for (auto [from, to] : {std::pair{"\xEF\xBC\x8F", "/"}, {"\xEF\xBC\x8E", "."}, {"\xE3\x80\x80", ""}}) {
    for (size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, std::string_view(from).size(), to);
  }
  const std::string f(field);
  auto bad = [&](const char* key, const char* why) { return InvalidArgumentError(f, why, key); };
  size_t i = 0;
  const Era* era = nullptr;
  for (const Era& e : kEras) {
    const std::string_view name(e.name);
    if (s.compare(0, name.size(), name) == 0) i = name.size();
    else if (!s.empty() && (s[0] == e.letter || s[0] == e.letter + ('a' - 'A'))) i = 1;
    else continue;
    era = &e;
    break;
  }
  int year = 0, month = 0, day = 0, digits = 0;
  if (era) {
    if (s.compare(i, 3, "元") == 0) {
      year = 1;
      i += 3;
    } else {
      year = TakeNumber(s, i, &digits);
    }
    const int last_year = static_cast<int>(std::chrono::year_month_day{era->last}.year()) -
                          static_cast<int>(std::chrono::year_month_day{era->first}.year()) + 1;
    if (year < 1 || year > last_year) return bad("birth_era_year", "is not a year of that era");
    year += static_cast<int>(std::chrono::year_month_day{era->first}.year()) - 1;
    if (!SkipSeparator(s, i)) return bad("invalid_argument", "write the year, month and day");
    month = TakeNumber(s, i);
  } else {
    year = TakeNumber(s, i, &digits);
    if (digits == 8 && i == s.size()) {  // 19500401
      day = year % 100;
      month = year / 100 % 100;
      year /= 10000;
    } else {
      if (digits != 4) return bad("birth_year_western", "the year must be 4 digits (or give the era)");
      if (!SkipSeparator(s, i)) return bad("invalid_argument", "write the year, month and day");
      month = TakeNumber(s, i);
    }
  }
  if (day == 0) {
    if (month < 0 || !SkipSeparator(s, i)) return bad("invalid_argument", "write the year, month and day");
    day = TakeNumber(s, i);
    SkipSeparator(s, i);  // a closing 日
  }
  if (i != s.size() || month < 1 || month > 12 || day < 1 || day > 31) return bad("invalid_argument", "is not a date");
  const std::chrono::year_month_day ymd = Ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (!ymd.ok()) return bad("invalid_argument", "is not a date");
  const Day d{ymd};
  if (era && (d < era->first || d > era->last)) return bad("birth_date_outside_era", "is outside that era");
  return ParseBirthDate(FormatIsoDate(d), today, field);
}

int AgeOn(Day birth, Day on) {
  const std::chrono::year_month_day b{birth}, o{on};
  int age = static_cast<int>(o.year()) - static_cast<int>(b.year());
  if (std::pair{static_cast<unsigned>(o.month()), static_cast<unsigned>(o.day())} <
      std::pair{static_cast<unsigned>(b.month()), static_cast<unsigned>(b.day())}) {
    --age;
  }
  return age;
}

std::string NormalizeDigits(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size();) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == 0xEF && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xBC && static_cast<unsigned char>(in[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(in[i + 2]) <= 0x99) {
      out += static_cast<char>('0' + (static_cast<unsigned char>(in[i + 2]) - 0x90));
      i += 3;
    } else if (c == ' ' || c == '-') {
      ++i;
    } else if (c == 0xE3 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
               static_cast<unsigned char>(in[i + 2]) == 0x80) {
      i += 3;  // full-width space
    } else {
      out += in[i++];
    }
  }
  return out;
}

Status ValidatePhone(std::string_view phone, std::string_view field) {
  const bool chars = std::all_of(phone.begin(), phone.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  const size_t digits = PhoneDigits(phone).size();
  if (!chars || digits < 10 || digits > 11) {
    return InvalidArgumentError(std::string(field), "must be 10 or 11 digits (hyphens allowed)", "bad_phone");
  }
  return Status::Ok();
}

std::string PhoneDigits(std::string_view phone) {
  std::string out;
  for (char c : phone) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

bool IsKatakana(std::string_view text) {
  if (text.empty()) return false;
  for (size_t i = 0; i < text.size();) {
    const long cp = NextCodePoint(text, i);
    const bool ok = (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC || cp == 0x30FB || cp == 0x3000 || cp == ' ';
    if (!ok) return false;
  }
  return true;
}

std::string CompactKana(std::string_view kana) {
  std::string out;
  for (size_t i = 0; i < kana.size();) {
    const size_t start = i;
    const long cp = NextCodePoint(kana, i);
    if (cp < 0) return out;
    if (cp == ' ' || cp == 0x3000) continue;
    out.append(kana.substr(start, i - start));
  }
  return out;
}

std::string GivenKana(std::string_view kana) {
  for (size_t i = 0; i < kana.size();) {
    const long cp = NextCodePoint(kana, i);
    if (cp < 0) return "";
    if (cp == ' ' || cp == 0x3000) return CompactKana(kana.substr(i));
  }
  return "";
}

std::optional<Resident> ValidateResidentRow(const std::vector<std::string>& cells, int row, Day today, std::vector<RowProblem>& problems) {
  const size_t before = problems.size();
  // The 宛名番号 as written, when it is printable text, so the admin can find the row.
  const std::string who =
      !cells.empty() && text::IsValidUtf8(cells[0]) && !text::HasControlChars(cells[0]) && cells[0].size() <= 32 ? cells[0] : "";
  auto problem = [&](int col, std::string reason, const char* key) {
    problems.push_back({row, kResidentColumns[col], std::move(reason), key, 0, who});
  };
  if (cells.size() != 7) {
    problems.push_back({row, "", "has " + std::to_string(cells.size()) + " columns; the list has 7", "bad_column_count", 0, who});
    return std::nullopt;
  }
  for (int c = 0; c < 7; ++c) {
    if (!text::IsValidUtf8(cells[c])) problem(c, "is not valid text (UTF-8 or CP932)", "bad_text");
    else if (text::HasControlChars(cells[c])) problem(c, "contains a control character (a line break, tab or NUL)", "control_char");
  }
  if (problems.size() > before) return std::nullopt;
  Resident r;
  r.address_number = cells[0];
  if (!AllDigits(r.address_number) || r.address_number.size() > 15) problem(0, "must be 1 to 15 digits", "bad_address_number");
  r.ticket_number = cells[1];
  if (Status s = ValidateTicketNumber(r.ticket_number); !s.ok()) problem(1, s.message(), "bad_ticket_number");
  r.name = cells[2];
  if (r.name.empty() || r.name.size() > 200) problem(2, "must not be empty (at most 200 bytes)", "bad_name");
  r.name_kana = cells[3];
  if (!IsKatakana(r.name_kana)) problem(3, "must be full-width katakana", "bad_kana");
  auto birth = ParseBirthDate(cells[4], today);
  if (!birth.ok()) problem(4, birth.status().message(), "bad_birth_date");
  else r.birth_date = *birth;
  r.address = cells[5];
  if (r.address.size() > 400) problem(5, "is longer than 400 bytes", "address_too_long");
  r.phone = cells[6];
  if (!r.phone.empty() && !ValidatePhone(r.phone).ok()) {
    problem(6, "must be 10 or 11 digits (hyphens allowed), or empty", "bad_phone");
  }
  if (problems.size() > before) return std::nullopt;
  return r;
}

ImportCheck ValidateResidentList(const std::vector<std::vector<std::string>>& rows, Day today) {
  ImportCheck out;
  std::map<std::string, int> tickets, addresses;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int row = static_cast<int>(i) + 1;
    auto r = ValidateResidentRow(rows[i], row, today, out.problems);
    if (!r) continue;
    if (auto [it, fresh] = tickets.emplace(r->ticket_number, row); !fresh) {
      out.problems.push_back(
          {row, "券番号", "repeats row " + std::to_string(it->second), "repeated_in_file", it->second, r->address_number});
      continue;
    }
    if (auto [it, fresh] = addresses.emplace(r->address_number, row); !fresh) {
      out.problems.push_back(
          {row, "宛名番号", "repeats row " + std::to_string(it->second), "repeated_in_file", it->second, r->address_number});
      continue;
    }
    out.residents.push_back(std::move(*r));
  }
  return out;
}

Status ValidateVenue(const Venue& v) {
  if (v.name.empty() || v.name.size() > 200 || !text::IsValidUtf8(v.name))
    return InvalidArgumentError("name", "must be 1..200 bytes of text");
  if (text::HasControlChars(v.name)) return InvalidArgumentError("name", "must not contain control characters");
  if (v.address.size() > 400 || !text::IsValidUtf8(v.address)) return InvalidArgumentError("address", "must be at most 400 bytes of text");
  if (text::HasControlChars(v.address)) return InvalidArgumentError("address", "must not contain control characters");
  return Status::Ok();
}

namespace {

// A vaccine as slots and rules name it: 1..32 of a-z, 0-9, _ and -.
bool IsVaccineName(std::string_view v) {
  return !v.empty() && v.size() <= 32 &&
         std::all_of(v.begin(), v.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

}  // namespace

Status ValidateSlot(const Slot& s) {
  if (s.ends_at_ms <= s.starts_at_ms) return InvalidArgumentError("ends_at", "must be after starts_at");
  if (s.ends_at_ms - s.starts_at_ms > kDayMs) return InvalidArgumentError("ends_at", "a slot lasts at most a day");
  if (s.capacity < 1 || s.capacity > 100000) return InvalidArgumentError("capacity", "must be 1 .. 100,000");
  if (!IsVaccineName(s.vaccine)) return InvalidArgumentError("vaccine", "must be 1..32 of a-z, 0-9, _ and - (e.g. pfizer)");
  if (s.dose < 1 || s.dose > 10) return InvalidArgumentError("dose", "must be 1..10");
  return Status::Ok();
}

Result<std::vector<Slot>> SlotSeries(Day day, int from_minute, int to_minute, int minutes, int capacity, const std::string& vaccine,
                                     int dose) {
  if (minutes < 5 || minutes > 240) return InvalidArgumentError("minutes", "must be 5..240");
  std::vector<Slot> out;
  for (int m = from_minute; m + minutes <= to_minute; m += minutes) {
    Slot s{JapanMidnightMs(day) + m * 60'000LL, JapanMidnightMs(day) + (m + minutes) * 60'000LL, capacity, vaccine, dose};
    MADOGUCHI_RETURN_IF_ERROR(ValidateSlot(s));
    out.push_back(s);
  }
  if (out.empty()) return InvalidArgumentError("to", "not one slot fits between the start and the end");
  return out;
}

Result<ResidentQuery> ReadResidentQuery(std::string_view as_typed) {
  const std::string normal = NormaliseTyped(as_typed);
  const std::string_view typed = normal;
  const std::string digits = PhoneDigits(typed);
  if (digits.size() == 10 && digits.size() == typed.size()) return ResidentQuery{ResidentQuery::Kind::kTicketOrPhone, digits};
  if (digits.size() >= 10) return ResidentQuery{ResidentQuery::Kind::kPhone, digits};
  const std::string kana = CompactKana(typed);
  if (!kana.empty() && IsKatakana(typed)) return ResidentQuery{ResidentQuery::Kind::kKanaPrefix, kana};
  return InvalidArgumentError("q", "search by 券番号 (10 digits), phone number or name in katakana");
}

Status ValidateRules(const Rules& rules) {
  for (const auto& [field, age] : {std::pair{"min_age", rules.min_age}, std::pair{"max_age", rules.max_age}}) {
    if (age && (*age < 0 || *age > 150)) return InvalidArgumentError(field, "must be a whole number 0..150 or empty");
  }
  if (rules.min_age && rules.max_age && *rules.min_age > *rules.max_age) {
    return InvalidArgumentError("max_age", "must not be below min_age");
  }
  if (rules.max_dose < 1 || rules.max_dose > 10) return InvalidArgumentError("max_dose", "must be 1..10");
  for (const auto& [vaccine, days] : rules.min_days_after_previous_dose) {
    const std::string field = "min_days_after_previous_dose." + vaccine;
    if (!IsVaccineName(vaccine)) return InvalidArgumentError(field, "is not a vaccine name (1..32 of a-z, 0-9, _ and -)");
    if (days < 0 || days > 3650) return InvalidArgumentError(field, "must be days 0..3650");
  }
  return Status::Ok();
}

Status ValidateGuidance(const Guidance& g) {
  int digits = 0;
  for (char c : g.phone) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != '-' && c != '(' && c != ')') return InvalidArgumentError("phone", "may hold only digits, hyphens and parentheses");
  }
  if (!g.phone.empty() && (digits < 3 || digits > 15 || g.phone.size() > 20)) {
    return InvalidArgumentError("phone", "must have 3..15 digits (at most 20 characters)");
  }
  for (const auto& [field, value, limit] : {std::tuple{"hours", &g.hours, 100}, std::tuple{"bring", &g.bring, 300}}) {
    if (value->size() > static_cast<size_t>(limit) || !text::IsValidUtf8(*value)) {
      return InvalidArgumentError(field, "must be at most " + std::to_string(limit) + " bytes of text");
    }
    if (text::HasControlChars(*value)) return InvalidArgumentError(field, "must not contain control characters");
  }
  if (g.arrive_minutes_before < 0 || g.arrive_minutes_before > 120) {
    return InvalidArgumentError("arrive_minutes_before", "must be 0..120 minutes");
  }
  return Status::Ok();
}

Standing StandingOf(const Rules& rules, Day birth, int next_dose, Day today) {
  Standing s;
  s.next_dose = next_dose;
  s.age_today = AgeOn(birth, today);
  s.min_age = rules.min_age;
  s.max_age = rules.max_age;
  s.max_dose = rules.max_dose;
  if (next_dose > rules.max_dose) {
    s.kind = Standing::Kind::kDoseNotOpen;
  } else if (rules.max_age && s.age_today > *rules.max_age) {
    s.kind = Standing::Kind::kTooOld;
  } else if (rules.min_age && s.age_today < *rules.min_age) {
    s.kind = Standing::Kind::kTooYoung;
    const std::chrono::year_month_day b{birth};
    std::chrono::year_month_day at = (b.year() + std::chrono::years{*rules.min_age}) / b.month() / b.day();
    if (!at.ok()) at = (b.year() + std::chrono::years{*rules.min_age}) / std::chrono::March / 1;  // born 29 February
    s.reaches_min_age = Day{at};
  }
  return s;
}

RulesReach ReachOf(const Rules& rules, const std::vector<ListGroup>& list, Day today) {
  RulesReach reach;
  for (const ListGroup& g : list) {
    reach.listed += g.count;
    const Standing s = StandingOf(rules, g.birth, g.next_dose, today);
    if (s.kind == Standing::Kind::kMayBook) reach.may_book_now += g.count;
    if (s.kind == Standing::Kind::kTooYoung) reach.too_young_today += g.count;
  }
  return reach;
}

Status CheckEligibility(const Rules& rules, Day birth, int dose, Day slot_day, std::string_view vaccine,
                        const std::vector<PriorDose>& prior) {
  const int age = AgeOn(birth, slot_day);
  if (rules.min_age && age < *rules.min_age) {
    return Status(StatusCode::kPermissionDenied, "not_eligible", "booking is open from age " + std::to_string(*rules.min_age), "age");
  }
  if (rules.max_age && age > *rules.max_age) {
    return Status(StatusCode::kPermissionDenied, "not_eligible", "booking is not open for this age yet", "age");
  }
  if (dose > rules.max_dose) {
    return Status(StatusCode::kPermissionDenied, "not_eligible", "booking is open for dose " + std::to_string(rules.max_dose) + " only",
                  "dose");
  }
  for (const auto& p : prior) {
    if (p.dose == dose) {
      return Status(StatusCode::kPermissionDenied, "not_eligible",
                    "dose " + std::to_string(dose) + " is already recorded (" + FormatIsoDate(p.day) + ")", "dose");
    }
  }
  if (dose > 1) {
    const PriorDose* previous = nullptr;
    for (const auto& p : prior) {
      if (p.dose == dose - 1) previous = &p;
    }
    if (previous == nullptr) {
      return Status(StatusCode::kPermissionDenied, "not_eligible", "dose " + std::to_string(dose - 1) + " is not recorded yet", "dose");
    }
    if (rules.same_vaccine_for_second_dose && dose == 2 && previous->vaccine != vaccine) {
      return Status(StatusCode::kPermissionDenied, "not_eligible", "dose 2 must be " + previous->vaccine + ", like dose 1", "vaccine");
    }
    const auto it = rules.min_days_after_previous_dose.find(std::string(vaccine));
    const int gap = it == rules.min_days_after_previous_dose.end() ? 21 : it->second;
    if ((slot_day - previous->day).count() < gap) {
      return Status(StatusCode::kPermissionDenied, "not_eligible",
                    "needs at least " + std::to_string(gap) + " days after the previous dose", "interval");
    }
  }
  return Status::Ok();
}

std::string NewConfirmationCode() {
  // 64 random bits from the OS (hashed to hex); 31^8 ≈ 8.5e11 codes, so the modulo bias is nil.
  const std::string hex = crypto::Sha256Hex(crypto::RandomToken(16));
  std::string out;
  uint64_t v = std::stoull(hex.substr(0, 16), nullptr, 16);
  for (int i = 0; i < 8; ++i) {
    out += kCodeAlphabet[v % 31];
    v /= 31;
  }
  return out;
}

bool LooksLikeConfirmationCode(std::string_view code) {
  return code.size() == 8 &&
         std::all_of(code.begin(), code.end(), [](char c) { return std::string_view(kCodeAlphabet).find(c) != std::string_view::npos; });
}

std::string CodeInGroups(std::string_view code) {
  if (!LooksLikeConfirmationCode(code)) return std::string(code);
  return std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4));
}

int64_t ReminderDueMs(int64_t slot_starts_at_ms, int64_t now_ms) {
  const int64_t due = JapanMidnightMs(JapanDay(slot_starts_at_ms) - days{1}) + 10 * 3'600'000;
  return std::max(due, now_ms);
}

}  // namespace madoguchi::booking
