// Bad input never crashes a reader: thousands of mangled history, event and scenario files each
// get either a result or an error that names where, and nothing else.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "formats/history_csv.hpp"
#include "formats/plan_scenario.hpp"
#include "formats/sim_scenario.hpp"

namespace madoguchi::formats {
namespace {

// Deletes, duplicates, replaces and inserts bytes (including NUL, quotes, commas, newlines and
// high bytes) at random places.
std::string Mangle(std::string s, std::mt19937_64& rng) {
  const char specials[] = {'\0', '"', ',', '\n', '\r', '-', ':', 'T', 'Z', '+', '.', '\xff', '\xe3', '{', '}', '[', ']', '9'};
  const int edits = 1 + static_cast<int>(rng() % 6);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0: s.erase(at, 1 + rng() % 8); break;
      case 1: s.insert(at, s.substr(at, 1 + rng() % 16)); break;
      case 2: s[at] = specials[rng() % sizeof specials]; break;
      default: s.insert(at, 1, specials[rng() % sizeof specials]); break;
    }
  }
  return s;
}

std::string ReadExample(const char* name) {
  std::ifstream in(std::string(MADOGUCHI_SOURCE_DIR) + "/examples/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(GarbageInputTest, ReadersAnswerEveryMangledFileWithAResultOrANamedError) {
  const std::string history = "date,calls,flag\n2026-01-05,10,ok\n2026-01-06,12,ok\n2026-01-07,9,ok\n";
  const std::string stamps = "timestamp\n2026-04-01 09:01:10\n2026-04-01T09:02:00+09:00\n2026-04-02T00:03:00Z\n";
  const std::string intervals = "date,interval_start,calls\n1999-01-03,07:00,5\n1999-01-03,07:06,7\n";
  const std::string cdr =
      R"("","031","100","ctx","x","SIP/1","SIP/2","Dial","a","2026-04-01 09:00:05","2026-04-01 09:00:20","2026-04-01 09:05:20",315,300,"ANSWERED","DOCUMENTATION","17.1","")"
      "\n";
  const std::string events = "date,kind,size,label\n2027-04-05,mailing,3000,a\n2027-04-12,booking_open,3000,\n";
  const std::string plan = ReadExample("plan_city_50k.json");
  const std::string sim = ReadExample("sim_two_intervals.json");
  std::mt19937_64 rng(20261126);
  int errors = 0, parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    for (const std::string* base : {&history, &stamps, &intervals, &cdr}) {
      auto r = ParseHistoryCsv(Mangle(*base, rng));
      if (r.ok()) {
        ++parsed;
        EXPECT_EQ(r->history.daily.size(), r->history.interval_minutes ? r->history.intraday.size() : r->history.daily.size());
      } else {
        ++errors;
        EXPECT_FALSE(r.status().field().empty()) << r.status().ToString();
      }
    }
    auto e = ParseEventsCsv(Mangle(events, rng));
    if (!e.ok()) {
      EXPECT_FALSE(e.status().field().empty()) << e.status().ToString();
    }
    if (i % 10 == 0) {  // the scenario readers are slower (the plan one validates everything)
      auto p = ParsePlanScenario(Mangle(plan, rng));
      if (!p.ok()) {
        EXPECT_FALSE(p.status().field().empty()) << p.status().ToString();
      }
      auto s = ParseSimScenario(Mangle(sim, rng));
      if (!s.ok()) {
        EXPECT_FALSE(s.status().field().empty()) << s.status().ToString();
      }
    }
  }
  EXPECT_GT(errors, 1000);
  // A typo in a year must not make a reader allocate centuries of days.
  auto far = ParseHistoryCsv("timestamp\n2026-04-01 09:00\n9026-04-01 09:00\n");
  EXPECT_EQ(far.status().field(), "history");
  EXPECT_GT(parsed, 100);
}

}  // namespace
}  // namespace madoguchi::formats
