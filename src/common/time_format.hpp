// src/common/time_format.hpp — the one Japan-time module: stored UTC milliseconds as people in
// Japan read them, the day in Japan of an instant, and the date and clock formats every file and
// page uses. Japan Standard Time is UTC+9 all year (no daylight saving): kJapanOffsetMs is the
// only place the offset is written.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace madoguchi {

using Day = std::chrono::sys_days;

inline constexpr int64_t kJapanOffsetMs = 9 * 3'600'000;

// The day in Japan of a UTC instant, and midnight Japan time of a day as UTC ms.
Day JapanDay(int64_t unix_ms);
int64_t JapanMidnightMs(Day day);

// "2026-11-25T23:17:48.123Z"
std::string FormatUtcIso(int64_t unix_ms);

// "2026-11-26 08:17:48" in Asia/Tokyo (JST is UTC+9 all year; Japan has no daylight saving).
std::string FormatTokyo(int64_t unix_ms);

// "2027-04-12T09:00:00+09:00" in Japan time with its offset (for APIs people read).
std::string FormatTokyoIso(int64_t unix_ms);

// Civil dates ("YYYY-MM-DD" exactly, a real date) and their format.
std::optional<std::chrono::sys_days> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(std::chrono::sys_days day);

// "HH:MM" (or "H:MM") → minutes after midnight (0..1440); nullopt when malformed. And back.
std::optional<int> ParseClock(std::string_view text);
std::string FormatClock(int minutes);

// 月 火 水 木 金 土 日 for a day.
const char* WeekdayJa(std::chrono::sys_days day);
// "12月9日（水）": a day as people say it (callers name the weekday).
std::string FormatMonthDayJa(std::chrono::sys_days day);
// "1941年2月3日".
std::string FormatDateJa(std::chrono::sys_days day);

// "9:05": the Japan-time hour and minute of an instant (no leading zero on the hour).
std::string FormatTokyoHourMinute(int64_t unix_ms);

// ISO 8601 with an offset: "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)" → Unix ms. A time without an
// offset is refused (it would be ambiguous).
std::optional<int64_t> ParseIsoInstant(std::string_view text);

}  // namespace madoguchi
