#include "forecast/calendar.hpp"

#include <cmath>

namespace madoguchi::forecast {
namespace {

using namespace std::chrono;

// n-th Monday of month m (n from 1).
Day NthMonday(int y, unsigned m, unsigned n) { return sys_days{year{y} / month{m} / Monday[n]}; }

int VernalEquinox(int y) { return static_cast<int>(std::floor(20.8431 + 0.242194 * (y - 1980) - std::floor((y - 1980) / 4.0))); }
int AutumnalEquinox(int y) { return static_cast<int>(std::floor(23.2488 + 0.242194 * (y - 1980) - std::floor((y - 1980) / 4.0))); }

// The named holidays (without substitute and citizens' holidays).
std::optional<std::string> NamedHoliday(Day d) {
  const year_month_day ymd{d};
  const int y = static_cast<int>(ymd.year());
  if (y < 2000 || y > 2099) return std::nullopt;
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned dd = static_cast<unsigned>(ymd.day());
  auto is = [&](Day other) { return other == d; };
  switch (m) {
    case 1:
      if (dd == 1) return "元日";
      if (is(NthMonday(y, 1, 2))) return "成人の日";
      break;
    case 2:
      if (dd == 11) return "建国記念の日";
      if (dd == 23 && y >= 2020) return "天皇誕生日";
      break;
    case 3:
      if (static_cast<int>(dd) == VernalEquinox(y)) return "春分の日";
      break;
    case 4:
      if (dd == 29) return y >= 2007 ? "昭和の日" : "みどりの日";
      if (dd == 30 && y == 2019) return "国民の休日";
      break;
    case 5:
      if (dd == 1 && y == 2019) return "即位の日";
      if (dd == 2 && y == 2019) return "国民の休日";
      if (dd == 3) return "憲法記念日";
      if (dd == 4) return y >= 2007 ? "みどりの日" : "国民の休日";
      if (dd == 5) return "こどもの日";
      break;
    case 7:
      if (y == 2020) {
        if (dd == 23) return "海の日";
        if (dd == 24) return "スポーツの日";
        break;
      }
      if (y == 2021) {
        if (dd == 22) return "海の日";
        if (dd == 23) return "スポーツの日";
        break;
      }
      if (y >= 2003 ? is(NthMonday(y, 7, 3)) : dd == 20) return "海の日";
      break;
    case 8:
      if (y == 2020) {
        if (dd == 10) return "山の日";
        break;
      }
      if (y == 2021) {
        if (dd == 8) return "山の日";
        break;
      }
      if (y >= 2016 && dd == 11) return "山の日";
      break;
    case 9:
      if (y >= 2003 ? is(NthMonday(y, 9, 3)) : dd == 15) return "敬老の日";
      if (static_cast<int>(dd) == AutumnalEquinox(y)) return "秋分の日";
      break;
    case 10:
      if (y == 2019 && dd == 22) return "即位礼正殿の儀の行われる日";
      if (y == 2020 || y == 2021) break;
      if (is(NthMonday(y, 10, 2))) return y >= 2020 ? "スポーツの日" : "体育の日";
      break;
    case 11:
      if (dd == 3) return "文化の日";
      if (dd == 23) return "勤労感謝の日";
      break;
    case 12:
      if (dd == 23 && y <= 2018) return "天皇誕生日";
      break;
    default: break;
  }
  return std::nullopt;
}

}  // namespace

int WeekdayIndex(Day day) {
  // iso_encoding: Monday = 1 … Sunday = 7.
  return static_cast<int>(weekday{day}.iso_encoding()) - 1;
}

std::optional<std::string> JapaneseHoliday(Day d) {
  if (auto name = NamedHoliday(d)) return name;
  const int y = static_cast<int>(year_month_day{d}.year());
  if (y < 2000 || y > 2099) return std::nullopt;
  // 振替休日: the first non-holiday on or after a holiday that falls on a Sunday (from 2007; before,
  // only the Monday right after).
  if (WeekdayIndex(d) != 6) {
    for (Day back = d - days{1};; back -= days{1}) {
      if (!NamedHoliday(back)) break;
      if (WeekdayIndex(back) == 6) return "振替休日";
      if (y < 2007) break;
    }
  }
  // 国民の休日: an ordinary weekday between two holidays.
  if (WeekdayIndex(d) != 6 && NamedHoliday(d - days{1}) && NamedHoliday(d + days{1})) return "国民の休日";
  return std::nullopt;
}

bool IsYearEndClosure(Day d) {
  const year_month_day ymd{d};
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned dd = static_cast<unsigned>(ymd.day());
  return (m == 12 && dd >= 29) || (m == 1 && dd <= 3);
}

}  // namespace madoguchi::forecast
