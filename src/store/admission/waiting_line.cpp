#include "store/admission/waiting_line.hpp"

namespace madoguchi::store {

Result<LineCounts> ReadLine(Connection& conn) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT issued, served FROM waiting_line WHERE id = 1"));
  if (rows.empty()) return InternalError("the waiting room's line is missing (migration 8)", "no_waiting_line");
  return LineCounts{rows[0].Int(0), rows[0].Int(1)};
}

Status RecordLine(Connection& conn, int64_t taken, int64_t room) {
  const int64_t t = taken > 0 ? taken : 0, r = room > 0 ? room : 0;
  // Both sides read the row as it was: served becomes min(issued + t, served + r).
  return conn
      .Query(
          "UPDATE waiting_line SET issued = issued + ?, "
          "served = CASE WHEN served + ? < issued + ? THEN served + ? ELSE issued + ? END WHERE id = 1",
          {t, r, t, r, t})
      .status();
}

}  // namespace madoguchi::store
