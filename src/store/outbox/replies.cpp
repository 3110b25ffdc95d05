// src/store/outbox/replies.cpp — see replies.hpp.
#include "store/outbox/replies.hpp"

namespace madoguchi::store {

Result<std::optional<SentTo>> LastSentTo(Connection& conn, const std::string& address) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT tenant_code, id FROM messages WHERE address_used = ? AND sent_at IS NOT NULL "
                                                   "ORDER BY sent_at DESC, id DESC LIMIT 1",
                                                   {address}));
  if (rows.empty()) return std::optional<SentTo>();
  return std::optional<SentTo>(SentTo{rows[0].Text(0), rows[0].Int(1)});
}

Result<bool> RecordReply(Connection& conn, const Reply& r) {
  MADOGUCHI_ASSIGN_OR_RETURN(
      Rows rows,
      conn.Query("INSERT INTO replies (tenant_code, message_id, channel, from_address, body, received_at, dedupe_key, stop_request) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                 {r.tenant, r.message_id ? Value(*r.message_id) : Value(nullptr), r.channel, r.from_address, r.body, r.received_at_ms,
                  r.dedupe_key, int64_t{r.stop_request ? 1 : 0}}));
  return !rows.empty();
}

Result<std::vector<Reply>> ListReplies(Connection& conn, const std::string& tenant, int limit) {
  MADOGUCHI_ASSIGN_OR_RETURN(Rows rows,
                             conn.Query("SELECT id, message_id, channel, from_address, body, received_at, dedupe_key, stop_request, state "
                                        "FROM replies WHERE tenant_code = ? ORDER BY CASE state WHEN 'unread' THEN 0 ELSE 1 END, "
                                        "received_at DESC, id DESC LIMIT ?",
                                        {tenant, int64_t{limit}}));
  std::vector<Reply> out;
  for (const Row& row : rows) {
    Reply r;
    r.id = row.Int(0);
    r.tenant = tenant;
    if (!row.IsNull(1)) r.message_id = row.Int(1);
    r.channel = row.Text(2);
    r.from_address = row.Text(3);
    r.body = row.Text(4);
    r.received_at_ms = row.Int(5);
    r.dedupe_key = row.Text(6);
    r.stop_request = row.Int(7) != 0;
    r.state = row.Text(8);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace madoguchi::store
