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
  return {int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())), int(hms.hours().count()),
          int(hms.minutes().count()), int(hms.seconds().count()), int(hms.subseconds().count())};
}

}  // namespace

std::string FormatUtcIso(int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day, c.hour, c.minute,
                c.second, c.millis);
  return buf;
}

std::string FormatTokyo(int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms + 9LL * 3600 * 1000);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

std::string FormatTokyoIso(int64_t unix_ms) {
  const Civil c = ToCivil(unix_ms + 9LL * 3600 * 1000);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d+09:00", c.year, c.month, c.day, c.hour, c.minute, c.second);
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
