// src/store/outbox/send_buckets.cpp — see send_buckets.hpp.
#include "store/outbox/send_buckets.hpp"

namespace madoguchi::store {
namespace {

Result<messaging::BucketState> Read(Connection& conn, const std::string& name, bool lock) {
  const std::string sql = std::string("SELECT milli_tokens, at FROM send_buckets WHERE name = ?") +
                          (lock && conn.backend() == Backend::kPostgres ? " FOR UPDATE" : "");
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query(sql, {name}));
  messaging::BucketState s;
  if (rows.empty() || rows[0].Int(1) == 0) return s;
  s.milli_tokens = rows[0].Int(0);
  s.at_ms = rows[0].Int(1);
  s.exists = true;
  return s;
}

}  // namespace

Status SqlBuckets::Draw(const std::string& name, const std::function<void(messaging::BucketState&)>& draw) {
  return InTransaction(db_, [&](Connection& c) -> Status {
    // The row first, so that there is one to lock however many workers come for it at once.
    MADOGUCHI_RETURN_IF_ERROR(
        c.Query("INSERT INTO send_buckets (name, milli_tokens, at) VALUES (?, 0, 0) ON CONFLICT (name) DO NOTHING", {name}).status());
    MADOGUCHI_ASSIGN_OR_RETURN(messaging::BucketState s, Read(c, name, true));
    draw(s);
    if (!s.exists) return Status::Ok();
    return c.Query("UPDATE send_buckets SET milli_tokens = ?, at = ? WHERE name = ?", {s.milli_tokens, s.at_ms, name}).status();
  });
}

Result<messaging::BucketState> ReadBucket(Connection& conn, const std::string& name) { return Read(conn, name, false); }

}  // namespace madoguchi::store
