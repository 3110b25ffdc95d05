// src/forecast/calendar.hpp — civil dates, weekdays and Japan's national holidays.
//
// Dates are std::chrono::sys_days (a day count; no time zone: every date here is a date in Japan).
// Holidays follow the Act on National Holidays (国民の祝日に関する法律) as amended up to 2021,
// including the Happy Monday moves, substitute holidays (振替休日), citizens' holidays
// (国民の休日), the 2019 enthronement days and the 2020/2021 Olympic moves. Equinox days use the
// standard approximation, exact for 1980–2099. Outside 2000–2099 no holiday is reported.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/time_format.hpp"

namespace madoguchi::forecast {

using Day = std::chrono::sys_days;

// 0 = Monday … 6 = Sunday.
int WeekdayIndex(Day day);

// The holiday's Japanese name ("元日", "振替休日", …), or nullopt on an ordinary day.
std::optional<std::string> JapaneseHoliday(Day day);
inline bool IsJapaneseHoliday(Day day) { return JapaneseHoliday(day).has_value(); }

// 12/29–1/3: municipal offices close (年末年始).
bool IsYearEndClosure(Day day);

// Dates and clock times: the common ones (src/common/time_format.hpp).
using madoguchi::FormatClock;
using madoguchi::ParseClock;

}  // namespace madoguchi::forecast
