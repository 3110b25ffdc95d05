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

}  // namespace madoguchi
