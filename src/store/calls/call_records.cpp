#include "store/calls/call_records.hpp"

namespace madoguchi::store {

Result<int64_t> InsertCallRecord(Connection& conn, const std::string& tenant, const CallRecord& r, int64_t now_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("INSERT INTO call_records (tenant_code, user_id, resident_id, category, started_at, "
                                                   "handle_sec, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                                   {tenant, r.user_id, r.resident_id ? Value(*r.resident_id) : Value(nullptr), r.category,
                                                    r.started_at_ms, int64_t{r.handle_sec}, r.note, now_ms}));
  return rows[0].Int(0);
}

Result<std::vector<std::pair<int64_t, int>>> CallTimes(Connection& conn, const std::string& tenant, int64_t from_ms, int64_t to_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT started_at, handle_sec FROM call_records WHERE tenant_code = ? "
                                                   "AND started_at >= ? AND started_at < ? ORDER BY started_at",
                                                   {tenant, from_ms, to_ms}));
  std::vector<std::pair<int64_t, int>> out;
  for (const Row& r : rows) out.emplace_back(r.Int(0), static_cast<int>(r.Int(1)));
  return out;
}

Result<std::vector<std::pair<int64_t, int64_t>>> CallCountsByDay(Connection& conn, const std::string& tenant, int64_t from_ms,
                                                                 int64_t to_ms, int64_t utc_offset_ms) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT (started_at + ?) / 86400000 AS day, COUNT(*) FROM call_records "
                                                   "WHERE tenant_code = ? AND started_at >= ? AND started_at < ? "
                                                   "GROUP BY day ORDER BY day",
                                                   {utc_offset_ms, tenant, from_ms, to_ms}));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const Row& r : rows) out.emplace_back(r.Int(0), r.Int(1));
  return out;
}

Result<int64_t> CountCallRecords(Connection& conn, const std::string& tenant) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT COUNT(*) FROM call_records WHERE tenant_code = ?", {tenant}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace madoguchi::store
