// src/store/calls/call_records.hpp — the calls operators record in the console: the planner's
// history. Every function runs on a connection the caller holds.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace madoguchi::store {

struct CallRecord {
  int64_t user_id = 0;
  std::optional<int64_t> resident_id;
  std::string category;  // booking, change, cancel, inquiry, complaint, other
  int64_t started_at_ms = 0;
  int handle_sec = 0;
  std::string note;
};
// Errors: the database's.
Result<int64_t> InsertCallRecord(Connection& conn, const std::string& tenant, const CallRecord& r, int64_t now_ms);
// (started_at_ms, handle_sec) of every call in [from, to), oldest first: exported as planner history.
// Errors: the database's.
Result<std::vector<std::pair<int64_t, int>>> CallTimes(Connection& conn, const std::string& tenant, int64_t from_ms, int64_t to_ms);
// Errors: the database's.
Result<int64_t> CountCallRecords(Connection& conn, const std::string& tenant);
// Calls per local day in [from, to): (days since 1970-01-01 in the zone `utc_offset_ms` ahead of
// UTC, count), days without calls left out. Times must be after 1970 in that zone.
// Errors: the database's.
Result<std::vector<std::pair<int64_t, int64_t>>> CallCountsByDay(Connection& conn, const std::string& tenant, int64_t from_ms,
                                                                 int64_t to_ms, int64_t utc_offset_ms);

}  // namespace madoguchi::store
