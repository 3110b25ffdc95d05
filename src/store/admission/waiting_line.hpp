// src/store/admission/waiting_line.hpp — the waiting room's line: two counters in one row, shared
// by every server process on the database (migration 8), so a number is a place in one line.
#pragma once

#include <cstdint>

#include "store/database.hpp"

namespace madoguchi::store {

struct LineCounts {
  int64_t issued = 0;  // the last number handed out
  int64_t served = 0;  // numbers up to this one may come in
};

// The counters now. Errors: the database's; kInternal when the line's row is missing.
Result<LineCounts> ReadLine(Connection& conn);
// In the caller's transaction: records `taken` numbers handed out (issued += taken) and lets up
// to `room` more numbers in (served moves on by `room`, never past issued).
// Errors: the database's.
Status RecordLine(Connection& conn, int64_t taken, int64_t room);

}  // namespace madoguchi::store
