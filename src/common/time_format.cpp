#include "common/time_format.hpp"

#include <chrono>
#include <cstdio>

namespace madoguchi {
namespace {

struct Civil {
  int year, month, day, hour, minute, second, millis;
};

Civil ToCivil(int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds(unix_ms)};
  const auto day_point = floor<days>(tp);
  const year_month_day ymd{day_point};
  const hh_mm_ss hms{tp - day_point};
  return {int(ymd.year()),
          int(unsigned(ymd.month())),
          int(unsigned(ymd.day())),
          int(hms.hours().count()),
          int(hms.minutes().count()),
          int(hms.seconds().count()),
          int(hms.subseconds().count())};
}

}  // namespace

Day JapanDay(int64_t unix_ms) {
  constexpr int64_t kDay = 86'400'000;
  const int64_t local = unix_ms + kJapanOffsetMs;
  return Day{std::chrono::days{local >= 0 ? local / kDay : (local - kDay + 1) / kDay}};
}

int64_t JapanMidnightMs(Day day) { return static_cast<int64_t>(day.time_since_epoch().count()) * 86'400'000 - kJapanOffsetMs; }

std::string FormatUtcIso(int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis);
  return buf;
}

std::string FormatTokyo(int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms + kJapanOffsetMs);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

std::string FormatTokyoIso(int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms + kJapanOffsetMs);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d+09:00", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

std::optional<std::chrono::sys_days> ParseIsoDate(std::string_view t) {
  using namespace std::chrono;
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int v[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < lens[k]; ++i) {
      const char c = t[starts[k] + i];
      if (c < '0' || c > '9') return std::nullopt;
      v[k] = v[k] * 10 + (c - '0');
    }
  }
  const year_month_day ymd{year{v[0]}, month{static_cast<unsigned>(v[1])}, day{static_cast<unsigned>(v[2])}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string FormatIsoDate(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<int> ParseClock(std::string_view text) {
  // "9:00" as people write it is "09:00".
  std::string padded;
  std::string_view t = text;
  if (t.size() == 4 && t[1] == ':') {
    padded = "0" + std::string(t);
    t = padded;
  }
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m >= 60 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string FormatClock(int minutes) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

const char* WeekdayJa(std::chrono::sys_days day) {
  static const char* const kNames[] = {"月", "火", "水", "木", "金", "土", "日"};
  return kNames[std::chrono::weekday{day}.iso_encoding() - 1];
}

std::string FormatMonthDayJa(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  return std::to_string(static_cast<unsigned>(ymd.month())) + "月" + std::to_string(static_cast<unsigned>(ymd.day())) + "日（" +
         WeekdayJa(day) + "）";
}

std::string FormatDateJa(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  return std::to_string(static_cast<int>(ymd.year())) + "年" + std::to_string(static_cast<unsigned>(ymd.month())) + "月" +
         std::to_string(static_cast<unsigned>(ymd.day())) + "日";
}

std::string FormatTokyoHourMinute(int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms + kJapanOffsetMs);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%d:%02d", c.hour, c.minute);
  return buf;
}

std::optional<int64_t> ParseIsoInstant(std::string_view t) {
  using namespace std::chrono;
  auto digits = [&](size_t at, size_t n) -> std::optional<int> {
    if (at + n > t.size()) return std::nullopt;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() < 17 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') || t[13] != ':') return std::nullopt;
  auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2);
  if (!y || !mo || !d || !h || !mi || *h > 23 || *mi > 59) return std::nullopt;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  size_t at = 16;
  int sec = 0, ms = 0;
  if (at < t.size() && t[at] == ':') {
    auto s = digits(at + 1, 2);
    if (!s || *s > 59) return std::nullopt;
    sec = *s;
    at += 3;
    if (at < t.size() && t[at] == '.') {
      size_t k = at + 1, n = 0;
      while (k < t.size() && t[k] >= '0' && t[k] <= '9') {
        if (n < 3) ms = ms * 10 + (t[k] - '0');
        ++k;
        ++n;
      }
      if (n == 0) return std::nullopt;
      for (; n < 3; ++n) ms *= 10;
      at = k;
    }
  }
  int offset_min = 0;
  const std::string_view rest = t.substr(at);
  if (rest == "Z") {
    offset_min = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    auto oh = digits(at + 1, 2), om = digits(at + 4, 2);
    if (!oh || !om || *oh > 14 || *om > 59) return std::nullopt;
    offset_min = (rest[0] == '+' ? 1 : -1) * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  const int64_t day_ms = static_cast<int64_t>(sys_days{ymd}.time_since_epoch().count()) * 86'400'000;
  return day_ms + ((*h * 60 + *mi - offset_min) * 60LL + sec) * 1000 + ms;
}

}  // namespace madoguchi
