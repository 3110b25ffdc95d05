#include "store/admission/waiting_line.hpp"

namespace madoguchi::store {

Result<LineCounts> ReadLine(Connection& conn) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT issued, served FROM waiting_line WHERE id = 1"));
  if (rows.empty()) return InternalError("the waiting room's line is missing (migration 8)", "no_waiting_line");
  return LineCounts{rows[0].Int(0), rows[0].Int(1)};
}

Result<LineCounts> TakeAndServe(Connection& conn, bool take, int64_t room) {
  const int64_t t = take ? 1 : 0, r = room > 0 ? room : 0;
  // Both sides read the row as it was: served becomes min(issued + t, served + r).
  MADOGUCHI_RETURN_IF_ERROR(conn.Query("UPDATE waiting_line SET issued = issued + ?, "
                                       "served = CASE WHEN served + ? < issued + ? THEN served + ? ELSE issued + ? END WHERE id = 1",
                                       {t, r, t, r, t})
                                .status());
  return ReadLine(conn);
}

}  // namespace madoguchi::store
